using System;

namespace Compute.NN
{
    /// <summary>
    /// What RNNCell, LSTMCell and GRUCell share (PyTorch's nn.RNNCellBase): the parameters
    /// weight_ih [gates·hidden, in], weight_hh [gates·hidden, hidden], bias_ih and bias_hh
    /// [gates·hidden], drawn from U(-1/√hiddenSize, 1/√hiddenSize), and the input checks. Input
    /// [N, in] or unbatched [in]; states [N, hidden] or [hidden].
    /// </summary>
    public abstract class RNNCellBase : Module
    {
        private protected RNNCellBase(string op, long gates, long inputSize, long hiddenSize, bool bias, Device? device, DType dtype)
        {
            if (inputSize < 0 || hiddenSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenSize),
                    $"{op}: inputSize must be >= 0 and hiddenSize > 0; got inputSize={inputSize}, hiddenSize={hiddenSize}.");
            }
            InputSize = inputSize;
            HiddenSize = hiddenSize;
            WeightIh = new Parameter(Tensor.Empty([gates * hiddenSize, inputSize], dtype, device));
            WeightHh = new Parameter(Tensor.Empty([gates * hiddenSize, hiddenSize], dtype, device));
            BiasIh = bias ? new Parameter(Tensor.Empty([gates * hiddenSize], dtype, device)) : null;
            BiasHh = bias ? new Parameter(Tensor.Empty([gates * hiddenSize], dtype, device)) : null;
            ResetParameters();
        }

        /// <summary>Features of the input (input_size).</summary>
        public long InputSize { get; }

        /// <summary>Features of the hidden state (hidden_size).</summary>
        public long HiddenSize { get; }

        /// <summary>The input-to-hidden weight [gates·hidden, in] ("weight_ih").</summary>
        public Parameter WeightIh { get; set; }

        /// <summary>The hidden-to-hidden weight [gates·hidden, hidden] ("weight_hh").</summary>
        public Parameter WeightHh { get; set; }

        /// <summary>The input-to-hidden bias ("bias_ih"), or null.</summary>
        public Parameter? BiasIh { get; set; }

        /// <summary>The hidden-to-hidden bias ("bias_hh"), or null.</summary>
        public Parameter? BiasHh { get; set; }

        /// <summary>Draws every parameter again from U(-1/√hiddenSize, 1/√hiddenSize) (PyTorch's reset_parameters).</summary>
        public void ResetParameters()
        {
            double bound = 1 / Math.Sqrt(HiddenSize);
            foreach (Parameter? p in new[] { WeightIh, WeightHh, BiasIh, BiasHh })
            {
                if (p is not null)
                {
                    Init.UniformInPlace(p, -bound, bound);
                }
            }
        }

        /// <summary>
        /// Checks the input, returns it batched ([N, in]) with whether it was, and the input
        /// projection x W_ihᵀ + b_ih.
        /// </summary>
        private protected (Tensor Gi, bool Batched, long Batch) Project(string op, Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Dim != 1 && input.Dim != 2)
            {
                throw new ShapeMismatchException($"{op}: Expected input to be 1D or 2D, got {input.Dim}D tensor of shape {Tensor.FormatShape(input.ShapeCached)} instead.");
            }
            bool batched = input.Dim == 2;
            Tensor x = batched ? input : input.Unsqueeze(0);
            if (x.ShapeCached[1] != InputSize)
            {
                throw new ShapeMismatchException(
                    $"{op}: input has inconsistent input_size: got {x.ShapeCached[1]} expected {InputSize} (input shape {Tensor.FormatShape(input.ShapeCached)}).");
            }
            if (input.DType != WeightIh.DType)
            {
                throw new DTypeMismatchException($"{op}: input dtype {input.DType.Name()} differs from the parameters' {WeightIh.DType.Name()}.");
            }
            return (Functional.Linear(x, WeightIh, BiasIh), batched, x.ShapeCached[0]);
        }

        /// <summary>The state <paramref name="given"/> batched and checked, or zeros [batch, hidden].</summary>
        private protected Tensor State(string op, string name, Tensor? given, bool batched, long batch, Tensor gi)
        {
            if (given is null)
            {
                return Tensor.Zeros([batch, HiddenSize], gi.DType, gi.Device);
            }
            Tensor s = batched ? given : given.Dim == 1 ? given.Unsqueeze(0) : given;
            if (given.Dim != (batched ? 2 : 1) || s.ShapeCached[0] != batch || s.ShapeCached[1] != HiddenSize)
            {
                throw new ShapeMismatchException(
                    $"{op}: {name} of shape {Tensor.FormatShape(given.ShapeCached)} does not fit; expected " +
                    (batched ? $"[{batch}, {HiddenSize}]" : $"[{HiddenSize}] (the input is unbatched)") + ".");
            }
            if (given.DType != gi.DType)
            {
                throw new DTypeMismatchException($"{op}: {name} dtype {given.DType.Name()} differs from the parameters' {gi.DType.Name()}.");
            }
            return s;
        }

        /// <inheritdoc/>
        public override string ExtraRepr() => $"{InputSize}, {HiddenSize}" + (BiasIh is null ? ", bias=False" : "");
    }

    /// <summary>An Elman RNN cell (PyTorch's nn.RNNCell): h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu.</summary>
    public class RNNCell : RNNCellBase
    {
        /// <summary>Makes the cell; <paramref name="nonlinearity"/> is "tanh" or "relu".</summary>
        public RNNCell(long inputSize, long hiddenSize, bool bias = true, string nonlinearity = "tanh", Device? device = null, DType dtype = DType.Float32)
            : base("RNNCell", 1, inputSize, hiddenSize, bias, device, CheckNonlinearity(nonlinearity, dtype))
        {
            Nonlinearity = nonlinearity;
        }

        /// <summary>"tanh" or "relu" (nonlinearity).</summary>
        public string Nonlinearity { get; }

        /// <summary>One step from <paramref name="hx"/> (zeros when null); returns h'.</summary>
        public Tensor Forward(Tensor input, Tensor? hx = null)
        {
            Func<object?[], Tensor> run = args =>
            {
                var (gi, batched, batch) = Project("RNNCell", InputAs<Tensor>(args, 0));
                Tensor h = State("RNNCell", "hx", InputAs<Tensor?>(args, 1), batched, batch, gi);
                Tensor next = RecurrentSteps.Rnn(gi, h, WeightHh, BiasHh, Nonlinearity == "relu");
                return batched ? next : next.Squeeze(0);
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }

        private static DType CheckNonlinearity(string nonlinearity, DType dtype) => nonlinearity is "tanh" or "relu"
            ? dtype
            : throw new ArgumentException($"RNNCell: Unknown nonlinearity: {nonlinearity}; expected 'tanh' or 'relu'.", nameof(nonlinearity));

        /// <inheritdoc/>
        public override string ExtraRepr() => base.ExtraRepr() + (Nonlinearity != "tanh" ? $", nonlinearity={Nonlinearity}" : "");
    }

    /// <summary>A long short-term memory cell (PyTorch's nn.LSTMCell), gates in the order input, forget, cell, output.</summary>
    public class LSTMCell : RNNCellBase
    {
        /// <summary>Makes the cell.</summary>
        public LSTMCell(long inputSize, long hiddenSize, bool bias = true, Device? device = null, DType dtype = DType.Float32)
            : base("LSTMCell", 4, inputSize, hiddenSize, bias, device, dtype)
        {
        }

        /// <summary>One step from <paramref name="hx"/> = (h, c) (zeros when null); returns (h', c').</summary>
        public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? hx = null)
        {
            Func<object?[], (Tensor, Tensor)> run = args =>
            {
                var (gi, batched, batch) = Project("LSTMCell", InputAs<Tensor>(args, 0));
                var state = InputAs<(Tensor, Tensor)?>(args, 1);
                Tensor h = State("LSTMCell", "hx[0]", state?.Item1, batched, batch, gi);
                Tensor c = State("LSTMCell", "hx[1]", state?.Item2, batched, batch, gi);
                var (hNext, cNext) = RecurrentSteps.Lstm(gi, h, c, WeightHh, BiasHh);
                return batched ? (hNext, cNext) : (hNext.Squeeze(0), cNext.Squeeze(0));
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }
    }

    /// <summary>A gated recurrent unit cell (PyTorch's nn.GRUCell), gates in the order reset, update, new.</summary>
    public class GRUCell : RNNCellBase
    {
        /// <summary>Makes the cell.</summary>
        public GRUCell(long inputSize, long hiddenSize, bool bias = true, Device? device = null, DType dtype = DType.Float32)
            : base("GRUCell", 3, inputSize, hiddenSize, bias, device, dtype)
        {
        }

        /// <summary>One step from <paramref name="hx"/> (zeros when null); returns h'.</summary>
        public Tensor Forward(Tensor input, Tensor? hx = null)
        {
            Func<object?[], Tensor> run = args =>
            {
                var (gi, batched, batch) = Project("GRUCell", InputAs<Tensor>(args, 0));
                Tensor h = State("GRUCell", "hx", InputAs<Tensor?>(args, 1), batched, batch, gi);
                Tensor next = RecurrentSteps.Gru(gi, h, WeightHh, BiasHh);
                return batched ? next : next.Squeeze(0);
            };
            return HasForwardHooks ? InvokeForward([input, hx], run) : run([input, hx]);
        }
    }
}
