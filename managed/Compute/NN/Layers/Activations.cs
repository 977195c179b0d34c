using System;

namespace Compute.NN
{
    // The activations of Functional as modules (PyTorch's nn.ReLU, nn.GELU, ...): each stores
    // its options and forwards to the Functional op of the same name.

    /// <summary>
    /// An activation with PyTorch's <c>inplace</c> option: stores it and prints it after the
    /// activation's own options, as PyTorch's extra_repr does.
    /// </summary>
    public abstract class InplaceActivation : Module<Tensor, Tensor>
    {
        /// <summary>Stores <paramref name="inplace"/>.</summary>
        private protected InplaceActivation(bool inplace)
        {
            Inplace = inplace;
        }

        /// <summary>Whether the input is modified in place (inplace).</summary>
        public bool Inplace { get; }

        /// <summary>The activation's own options as PyTorch prints them ("" when it has none).</summary>
        protected virtual string Options => "";

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            !Inplace ? Options : Options.Length == 0 ? "inplace=True" : Options + ", inplace=True";
    }

    /// <summary>max(x, 0) (nn.ReLU).</summary>
    public class ReLU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public ReLU(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Relu(input, Inplace);
    }

    /// <summary>min(max(x, 0), 6) (nn.ReLU6).</summary>
    public class ReLU6 : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public ReLU6(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Relu6(input, Inplace);
    }

    /// <summary>the Gaussian error linear unit; approximate is "none" (exact) or "tanh" (nn.GELU).</summary>
    public class GELU : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public GELU(string approximate = "none")
        {
            ArgumentNullException.ThrowIfNull(approximate);
            Approximate = approximate;
        }

        /// <summary>"none" or "tanh" (approximate).</summary>
        public string Approximate { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Gelu(input, Approximate);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"approximate='{Approximate}'";
    }

    /// <summary>x * sigmoid(x) (nn.SiLU).</summary>
    public class SiLU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public SiLU(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Silu(input, Inplace);
    }

    /// <summary>x * tanh(softplus(x)) (nn.Mish).</summary>
    public class Mish : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Mish(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Mish(input, Inplace);
    }

    /// <summary>log(1 + e^(beta x)) / beta, linear above threshold (nn.Softplus).</summary>
    public class Softplus : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Softplus(double beta = 1.0, double threshold = 20.0)
        {
            Beta = beta;
            Threshold = threshold;
        }

        /// <summary>Beta (beta).</summary>
        public double Beta { get; }

        /// <summary>The threshold of beta x above which the function is linear (threshold).</summary>
        public double Threshold { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Softplus(input, Beta, Threshold);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"beta={PyNumber(Beta)}, threshold={PyNumber(Threshold)}";
    }

    /// <summary>x for x > 0, alpha (e^x - 1) otherwise (nn.ELU).</summary>
    public class ELU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public ELU(double alpha = 1.0, bool inplace = false)
            : base(inplace)
        {
            Alpha = alpha;
        }

        /// <summary>Alpha (alpha).</summary>
        public double Alpha { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Elu(input, Alpha, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"alpha={PyNumber(Alpha)}";
    }

    /// <summary>scale * ELU(x, alpha) with the self-normalising constants (nn.SELU).</summary>
    public class SELU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public SELU(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Selu(input, Inplace);
    }

    /// <summary>max(0, x) + min(0, alpha (e^(x/alpha) - 1)) (nn.CELU).</summary>
    public class CELU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public CELU(double alpha = 1.0, bool inplace = false)
            : base(inplace)
        {
            Alpha = alpha;
        }

        /// <summary>Alpha (alpha).</summary>
        public double Alpha { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Celu(input, Alpha, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"alpha={PyNumber(Alpha)}";
    }

    /// <summary>x for x >= 0, negativeSlope * x otherwise (nn.LeakyReLU).</summary>
    public class LeakyReLU : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public LeakyReLU(double negativeSlope = 0.01, bool inplace = false)
            : base(inplace)
        {
            NegativeSlope = negativeSlope;
        }

        /// <summary>The slope for negative inputs (negativeSlope).</summary>
        public double NegativeSlope { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.LeakyRelu(input, NegativeSlope, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"negative_slope={PyNumber(NegativeSlope)}";
    }

    /// <summary>x clamped to [minVal, maxVal] (nn.Hardtanh).</summary>
    public class Hardtanh : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Hardtanh(double minVal = -1.0, double maxVal = 1.0, bool inplace = false)
            : base(inplace)
        {
            MinVal = minVal;
            MaxVal = maxVal;
        }

        /// <summary>The lower bound (minVal).</summary>
        public double MinVal { get; }

        /// <summary>The upper bound (maxVal).</summary>
        public double MaxVal { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Hardtanh(input, MinVal, MaxVal, Inplace);

        /// <inheritdoc/>
        protected override string Options => $"min_val={PyNumber(MinVal)}, max_val={PyNumber(MaxVal)}";
    }

    /// <summary>relu6(x + 3) / 6 (nn.Hardsigmoid).</summary>
    public class Hardsigmoid : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Hardsigmoid(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Hardsigmoid(input, Inplace);
    }

    /// <summary>x * relu6(x + 3) / 6 (nn.Hardswish).</summary>
    public class Hardswish : InplaceActivation
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Hardswish(bool inplace = false)
            : base(inplace)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Hardswish(input, Inplace);
    }

    /// <summary>log(sigmoid(x)) (nn.LogSigmoid).</summary>
    public class LogSigmoid : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public LogSigmoid()
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.LogSigmoid(input);
    }

    /// <summary>1 / (1 + e^-x) (nn.Sigmoid).</summary>
    public class Sigmoid : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Sigmoid()
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Sigmoid(input);
    }

    /// <summary>tanh(x) (nn.Tanh).</summary>
    public class Tanh : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module with PyTorch's defaults.</summary>
        public Tanh()
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Tanh(input);
    }

    /// <summary>e^x normalised to sum to 1 along dim (nn.Softmax).</summary>
    public class Softmax : DimActivation
    {
        /// <summary>Makes the module normalising along <paramref name="dim"/> (null: PyTorch's deprecated implicit dim).</summary>
        public Softmax(long? dim = null) : base(dim)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.Softmax(input, DimFor(input));
    }

    /// <summary>log(softmax(x)) along dim (nn.LogSoftmax).</summary>
    public class LogSoftmax : DimActivation
    {
        /// <summary>Makes the module normalising along <paramref name="dim"/> (null: PyTorch's deprecated implicit dim).</summary>
        public LogSoftmax(long? dim = null) : base(dim)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.LogSoftmax(input, DimFor(input));
    }
}
