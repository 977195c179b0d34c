using System;

namespace Compute.NN
{
    // The modules of Functional.ShrinkAndGate.cs (PyTorch's nn.Hardshrink, nn.PReLU, ...): each
    // stores its options and forwards to the Functional op of the same name.

    /// <summary>x where |x| &gt; lambd, else 0 (nn.Hardshrink).</summary>
    public class Hardshrink : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Hardshrink(double lambd = 0.5)
        {
            Lambd = lambd;
        }

        /// <summary>The half-width of the band set to zero (lambd).</summary>
        public double Lambd { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Hardshrink(input, Lambd);

        /// <inheritdoc/>
        public override string ExtraRepr() => PyNumber(Lambd);
    }

    /// <summary>x - lambd above lambd, x + lambd below -lambd, 0 between (nn.Softshrink).</summary>
    public class Softshrink : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults; lambd must be at least 0.</summary>
        public Softshrink(double lambd = 0.5)
        {
            if (!(lambd >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(lambd), lambd, $"Softshrink: lambd must be at least 0, got {lambd}");
            }
            Lambd = lambd;
        }

        /// <summary>The half-width of the band set to zero (lambd).</summary>
        public double Lambd { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Softshrink(input, Lambd);

        /// <inheritdoc/>
        public override string ExtraRepr() => PyNumber(Lambd);
    }

    /// <summary>x - tanh(x) (nn.Tanhshrink).</summary>
    public class Tanhshrink : Module<Tensor, Tensor>
    {
        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Tanhshrink(input);
    }

    /// <summary>x / (1 + |x|) (nn.Softsign).</summary>
    public class Softsign : Module<Tensor, Tensor>
    {
        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Softsign(input);
    }

    /// <summary>x where x &gt; threshold, else value (nn.Threshold).</summary>
    public class Threshold : InplaceActivation
    {
        /// <summary>Makes the module; <paramref name="inplace"/> overwrites the input.</summary>
        public Threshold(double threshold, double value, bool inplace = false)
            : base(inplace)
        {
            ThresholdValue = threshold;
            Value = value;
        }

        /// <summary>Inputs at or below this are replaced (threshold).</summary>
        public double ThresholdValue { get; }

        /// <summary>The replacement (value).</summary>
        public double Value { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Threshold(input, ThresholdValue, Value, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"threshold={PyNumber(ThresholdValue)}, value={PyNumber(Value)}";
    }

    /// <summary>
    /// An activation applied along one dim (Softmax, LogSoftmax, Softmin, GLU): stores the dim and
    /// prints it as PyTorch does.
    /// </summary>
    public abstract class DimActivation : Module<Tensor, Tensor>
    {
        /// <summary>Stores <paramref name="dim"/>.</summary>
        private protected DimActivation(long? dim)
        {
            Dim = dim;
        }

        /// <summary>The dim the activation works along (dim); null for the softmaxes' legacy implicit dim.</summary>
        public long? Dim { get; }

        /// <summary>
        /// <see cref="Dim"/>, or when null the dim PyTorch's deprecated implicit choice
        /// (_get_softmax_dim) takes: 0 for a 0-, 1- or 3-D input, else 1.
        /// </summary>
        private protected long DimFor(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return Dim ?? (input.Dim is 0 or 1 or 3 ? 0 : 1);
        }

        /// <inheritdoc/>
        public override string ExtraRepr() => Dim is long d ? $"dim={d}" : "dim=None";
    }

    /// <summary>The gated linear unit a * sigmoid(b) over the halves of dim (nn.GLU).</summary>
    public class GLU : DimActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public GLU(long dim = -1) : base(dim)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Glu(input, DimFor(input));
    }

    /// <summary>softmax(-x) along dim (nn.Softmin).</summary>
    public class Softmin : DimActivation
    {
        /// <summary>Makes the module normalising along <paramref name="dim"/> (null: PyTorch's deprecated implicit dim).</summary>
        public Softmin(long? dim = null) : base(dim)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Softmin(input, DimFor(input));
    }

    /// <summary>softmax over the channels of a (C, H, W) or (N, C, H, W) input (nn.Softmax2d).</summary>
    public class Softmax2d : Module<Tensor, Tensor>
    {
        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Shape.Length is not (3 or 4))
            {
                throw new ArgumentException(
                    $"Softmax2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape [{string.Join(", ", input.Shape)}]", nameof(input));
            }
            return Functional.Softmax(input, -3);
        }
    }

    /// <summary>
    /// x where x &gt; 0, else a * x with a learned slope a, one shared or one per channel
    /// (nn.PReLU; parameter "weight" of shape [numParameters], initialised to the constructor's init).
    /// </summary>
    public class PReLU : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public PReLU(long numParameters = 1, double init = 0.25, Device? device = null, DType dtype = DType.Float32)
        {
            if (numParameters <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numParameters), numParameters, "PReLU: numParameters must be positive.");
            }
            NumParameters = numParameters;
            InitValue = init;
            Weight = new Parameter(Tensor.Full([numParameters], init, dtype, device));
        }

        /// <summary>The number of slopes: 1, or the input's channel count (num_parameters).</summary>
        public long NumParameters { get; }

        /// <summary>The initial slope (init).</summary>
        public double InitValue { get; }

        /// <summary>The slopes [numParameters] ("weight").</summary>
        public Parameter Weight { get; set; }

        /// <summary>Sets every slope back to <see cref="InitValue"/>.</summary>
        public void ResetParameters() => Init.ConstantInPlace(Weight, InitValue);

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Prelu(input, Weight);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"num_parameters={NumParameters}";
    }

    /// <summary>
    /// The randomized leaky ReLU (nn.RReLU): in training each negative input gets a slope drawn
    /// from U(lower, upper); in evaluation the slope is (lower + upper) / 2.
    /// </summary>
    public class RReLU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public RReLU(double lower = 1.0 / 8, double upper = 1.0 / 3, bool inplace = false)
            : base(inplace)
        {
            if (!(lower <= upper))
            {
                throw new ArgumentException($"RReLU: lower ({lower}) must not exceed upper ({upper})", nameof(lower));
            }
            Lower = lower;
            Upper = upper;
        }

        /// <summary>The smallest slope (lower).</summary>
        public double Lower { get; }

        /// <summary>The largest slope (upper).</summary>
        public double Upper { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Rrelu(input, Lower, Upper, Training, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"lower={PyNumber(Lower)}, upper={PyNumber(Upper)}";
    }
}
