using System;

namespace Compute.NN
{
    /// <summary>
    /// A multi-layer Elman RNN (PyTorch's nn.RNN): h_t = act(x_t W_ihᵀ + b_ih + h_(t-1) W_hhᵀ + b_hh)
    /// with act tanh or relu. <see cref="Forward(Tensor, Tensor?)"/> returns the output of the last layer at every
    /// step and the final hidden state of every layer. Shapes and parameter names as in <see cref="RNNBase"/>.
    /// </summary>
    public class RNN : RNNBase
    {
        /// <summary>Makes the module; <paramref name="nonlinearity"/> is "tanh" or "relu".</summary>
        public RNN(long inputSize, long hiddenSize, long numLayers = 1, string nonlinearity = "tanh", bool bias = true,
            bool batchFirst = false, double dropout = 0, bool bidirectional = false, Device? device = null, DType dtype = DType.Float32)
            : base(Kind(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, device, dtype)
        {
            Nonlinearity = nonlinearity;
        }

        /// <summary>"tanh" or "relu" (nonlinearity).</summary>
        public string Nonlinearity { get; }

        /// <summary>
        /// Runs the RNN on <paramref name="input"/> from the initial hidden state <paramref name="hx"/>
        /// (zeros when null). Returns (output, h_n).
        /// </summary>
        public (Tensor Output, Tensor HN) Forward(Tensor input, Tensor? hx = null)
        {
            Func<object?[], (Tensor, Tensor)> run = args =>
            {
                var (output, h, _) = Run(InputAs<Tensor>(args, 0), InputAs<Tensor?>(args, 1), null);
                return (output, h);
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }

        private static CellKind Kind(string nonlinearity) => nonlinearity switch
        {
            "tanh" => CellKind.RnnTanh,
            "relu" => CellKind.RnnRelu,
            _ => throw new ArgumentException($"RNN: Unknown nonlinearity '{nonlinearity}'; expected 'tanh' or 'relu'.", nameof(nonlinearity)),
        };
    }

    /// <summary>
    /// A multi-layer long short-term memory RNN (PyTorch's nn.LSTM). Gates in PyTorch's order
    /// (input, forget, cell, output), so weight_ih_lk is [4·hidden, in]. <see cref="Forward"/>
    /// returns the output and the final (h, c) of every layer. With <c>projSize</c> &gt; 0 (PyTorch's
    /// proj_size) each h is projected by weight_hr_lk [projSize, hidden]: the output, h_0 and h_n
    /// have projSize features, c_0 and c_n hidden. Shapes and parameter names as in
    /// <see cref="RNNBase"/>.
    /// </summary>
    public class LSTM : RNNBase
    {
        /// <summary>Makes the module; <paramref name="projSize"/> must be 0 (no projection) or below <paramref name="hiddenSize"/>.</summary>
        public LSTM(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
            double dropout = 0, bool bidirectional = false, long projSize = 0, Device? device = null, DType dtype = DType.Float32)
            : base(CellKind.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize, device, dtype)
        {
        }

        /// <summary>
        /// Runs the LSTM on <paramref name="input"/> from the initial states <paramref name="hx"/>
        /// = (h_0, c_0) (zeros when null). Returns (output, (h_n, c_n)).
        /// </summary>
        public (Tensor Output, (Tensor HN, Tensor CN) State) Forward(Tensor input, (Tensor H0, Tensor C0)? hx = null)
        {
            Func<object?[], (Tensor, (Tensor, Tensor))> run = args =>
            {
                var state = InputAs<(Tensor, Tensor)?>(args, 1);
                var (output, h, c) = Run(InputAs<Tensor>(args, 0), state?.Item1, state?.Item2);
                return (output, (h, c!));
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }
    }

    /// <summary>
    /// A multi-layer gated recurrent unit RNN (PyTorch's nn.GRU). Gates in PyTorch's order
    /// (reset, update, new), so weight_ih_lk is [3·hidden, in]. <see cref="Forward"/> returns the
    /// output and the final hidden state of every layer. Shapes and parameter names as in
    /// <see cref="RNNBase"/>.
    /// </summary>
    public class GRU : RNNBase
    {
        /// <summary>Makes the module.</summary>
        public GRU(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
            double dropout = 0, bool bidirectional = false, Device? device = null, DType dtype = DType.Float32)
            : base(CellKind.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, device, dtype)
        {
        }

        /// <summary>
        /// Runs the GRU on <paramref name="input"/> from the initial hidden state <paramref name="hx"/>
        /// (zeros when null). Returns (output, h_n).
        /// </summary>
        public (Tensor Output, Tensor HN) Forward(Tensor input, Tensor? hx = null)
        {
            Func<object?[], (Tensor, Tensor)> run = args =>
            {
                var (output, h, _) = Run(InputAs<Tensor>(args, 0), InputAs<Tensor?>(args, 1), null);
                return (output, h);
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }
    }
}
