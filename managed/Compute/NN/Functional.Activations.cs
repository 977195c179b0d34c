using System;

namespace Compute.NN
{
    /// <summary>
    /// torch.nn.functional as static methods: <c>F.relu(x)</c> is <c>Functional.Relu(x)</c>.
    /// The activations here call the tensor methods of the same name; <c>inplace: true</c>
    /// modifies and returns the input, like PyTorch's <c>inplace=True</c>.
    /// </summary>
    public static partial class Functional
    {
        private static Tensor Apply(Tensor input, bool inplace, Func<Tensor, Tensor> outOfPlace, Func<Tensor, Tensor> inPlace)
        {
            ArgumentNullException.ThrowIfNull(input);
            return inplace ? inPlace(input) : outOfPlace(input);
        }

        /// <summary>max(x, 0) (F.relu).</summary>
        public static Tensor Relu(Tensor input, bool inplace = false) => Apply(input, inplace, x => x.Relu(), x => x.ReluInPlace());

        /// <summary>min(max(x, 0), 6) (F.relu6).</summary>
        public static Tensor Relu6(Tensor input, bool inplace = false) => Apply(input, inplace, x => x.Relu6(), x => x.Relu6InPlace());

        /// <summary>GELU (F.gelu): <paramref name="approximate"/> is "none" (exact) or "tanh".</summary>
        public static Tensor Gelu(Tensor input, string approximate = "none")
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.Gelu(approximate);
        }

        /// <summary>x * sigmoid(x) (F.silu).</summary>
        public static Tensor Silu(Tensor input, bool inplace = false) => Apply(input, inplace, x => x.Silu(), x => x.SiluInPlace());

        /// <summary>x * tanh(softplus(x)) (F.mish).</summary>
        public static Tensor Mish(Tensor input, bool inplace = false) => Apply(input, inplace, x => x.Mish(), x => x.MishInPlace());

        /// <summary>log(1 + e^(beta x)) / beta, linear above threshold (F.softplus).</summary>
        public static Tensor Softplus(Tensor input, double beta = 1.0, double threshold = 20.0)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.Softplus(beta, threshold);
        }

        /// <summary>ELU (F.elu).</summary>
        public static Tensor Elu(Tensor input, double alpha = 1.0, bool inplace = false) =>
            Apply(input, inplace, x => x.Elu(alpha), x => x.EluInPlace(alpha));

        /// <summary>SELU (F.selu).</summary>
        public static Tensor Selu(Tensor input, bool inplace = false) => Apply(input, inplace, x => x.Selu(), x => x.SeluInPlace());

        /// <summary>CELU (F.celu); alpha must not be 0.</summary>
        public static Tensor Celu(Tensor input, double alpha = 1.0, bool inplace = false) =>
            Apply(input, inplace, x => x.Celu(alpha), x => x.CeluInPlace(alpha));

        /// <summary>x where x &gt; 0, else negativeSlope x (F.leaky_relu).</summary>
        public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01, bool inplace = false) =>
            Apply(input, inplace, x => x.LeakyRelu(negativeSlope), x => x.LeakyReluInPlace(negativeSlope));

        /// <summary>min(max(x, minVal), maxVal) (F.hardtanh).</summary>
        public static Tensor Hardtanh(Tensor input, double minVal = -1.0, double maxVal = 1.0, bool inplace = false) =>
            Apply(input, inplace, x => x.Hardtanh(minVal, maxVal), x => x.HardtanhInPlace(minVal, maxVal));

        /// <summary>min(max(x/6 + 1/2, 0), 1) (F.hardsigmoid).</summary>
        public static Tensor Hardsigmoid(Tensor input, bool inplace = false) =>
            Apply(input, inplace, x => x.Hardsigmoid(), x => x.HardsigmoidInPlace());

        /// <summary>x * hardsigmoid(x) (F.hardswish).</summary>
        public static Tensor Hardswish(Tensor input, bool inplace = false) =>
            Apply(input, inplace, x => x.Hardswish(), x => x.HardswishInPlace());

        /// <summary>log(sigmoid(x)) (F.logsigmoid).</summary>
        public static Tensor LogSigmoid(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.LogSigmoid();
        }

        /// <summary>1 / (1 + e^-x) (F.sigmoid).</summary>
        public static Tensor Sigmoid(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.Sigmoid();
        }

        /// <summary>tanh(x) (F.tanh).</summary>
        public static Tensor Tanh(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input.Tanh();
        }
    }
}
