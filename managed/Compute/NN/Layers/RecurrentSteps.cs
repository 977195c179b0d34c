namespace Compute.NN
{
    /// <summary>
    /// One time step of each recurrent cell, shared by the cell modules and the multi-layer
    /// RNN/LSTM/GRU. The input projection (x W_ihᵀ + b_ih) is passed in already computed: the
    /// multi-layer modules compute it for the whole sequence with one matmul, and only the
    /// hidden projection is left inside the sequential loop. Composite over differentiable ops,
    /// so autograd derives the backward.
    /// </summary>
    internal static class RecurrentSteps
    {
        /// <summary>h' = act(gi + h W_hhᵀ + b_hh), act tanh or relu (PyTorch's RNN cell).</summary>
        internal static Tensor Rnn(Tensor gi, Tensor h, Tensor weightHh, Tensor? biasHh, bool relu)
        {
            Tensor pre = gi + Functional.Linear(h, weightHh, biasHh);
            return relu ? pre.Relu() : pre.Tanh();
        }

        /// <summary>
        /// The LSTM cell with gates in PyTorch's order (input, forget, cell, output):
        /// c' = f c + i g, h' = o tanh(c').
        /// </summary>
        internal static (Tensor H, Tensor C) Lstm(Tensor gi, Tensor h, Tensor c, Tensor weightHh, Tensor? biasHh)
        {
            Tensor[] gates = (gi + Functional.Linear(h, weightHh, biasHh)).Chunk(4, -1);
            Tensor i = gates[0].Sigmoid(), f = gates[1].Sigmoid(), g = gates[2].Tanh(), o = gates[3].Sigmoid();
            Tensor cNext = f * c + i * g;
            return (o * cNext.Tanh(), cNext);
        }

        /// <summary>
        /// The GRU cell with gates in PyTorch's order (reset, update, new): r and z from the sum
        /// of both projections, n = tanh(gi_n + r (h W_hnᵀ + b_hn)), h' = (1 - z) n + z h.
        /// </summary>
        internal static Tensor Gru(Tensor gi, Tensor h, Tensor weightHh, Tensor? biasHh)
        {
            Tensor[] x = gi.Chunk(3, -1);
            Tensor[] hh = Functional.Linear(h, weightHh, biasHh).Chunk(3, -1);
            Tensor r = (x[0] + hh[0]).Sigmoid();
            Tensor z = (x[1] + hh[1]).Sigmoid();
            Tensor n = (x[2] + r * hh[2]).Tanh();
            // (1 - z) n + z h, written as ATen's CPU cell computes it: n + z (h - n).
            return n + z * (h - n);
        }
    }
}
