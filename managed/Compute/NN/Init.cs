using System;

namespace Compute.NN
{
    /// <summary>
    /// Parameter initialisation (PyTorch's torch.nn.init). Each function fills its tensor in
    /// place without recording autograd, draws from the default generator (seeded by
    /// <see cref="Tensor.ManualSeed"/>), and returns the tensor. PyTorch's <c>uniform_</c> is
    /// <see cref="UniformInPlace"/>, and so on.
    /// </summary>
    public static partial class Init
    {
        /// <summary>
        /// The recommended gain for a nonlinearity (PyTorch's calculate_gain): 1 for "linear",
        /// the "conv*" and "conv_transpose*" names and "sigmoid"; 5/3 for "tanh"; √2 for "relu";
        /// √(2 / (1 + slope²)) for "leaky_relu" (slope <paramref name="param"/>, 0.01 by default);
        /// 3/4 for "selu".
        /// </summary>
        public static double CalculateGain(string nonlinearity, double? param = null)
        {
            ArgumentNullException.ThrowIfNull(nonlinearity);
            switch (nonlinearity)
            {
                case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                    return 1;
                case "tanh":
                    return 5.0 / 3;
                case "relu":
                    return Math.Sqrt(2.0);
                case "leaky_relu":
                    double slope = param ?? 0.01;
                    return Math.Sqrt(2.0 / (1 + slope * slope));
                case "selu":
                    return 3.0 / 4;
                default:
                    throw new ArgumentException($"CalculateGain: unsupported nonlinearity \"{nonlinearity}\".", nameof(nonlinearity));
            }
        }

        /// <summary>
        /// fan_in = size(1) × receptive field and fan_out = size(0) × receptive field, the
        /// receptive field being the product of the sizes after the first two (PyTorch's
        /// _calculate_fan_in_and_fan_out).
        /// </summary>
        /// <exception cref="ArgumentException">The tensor has fewer than 2 dimensions.</exception>
        public static (long FanIn, long FanOut) CalculateFanInAndFanOut(Tensor tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            long[] shape = tensor.ShapeCached;
            if (shape.Length < 2)
            {
                throw new ArgumentException(
                    $"CalculateFanInAndFanOut: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape {Tensor.FormatShape(shape)}).",
                    nameof(tensor));
            }
            long receptive = 1;
            for (int i = 2; i < shape.Length; i++)
            {
                receptive *= shape[i];
            }
            return (shape[1] * receptive, shape[0] * receptive);
        }

        /// <summary>Fills <paramref name="tensor"/> with values drawn from U(<paramref name="a"/>, <paramref name="b"/>) (uniform_).</summary>
        public static Tensor UniformInPlace(Tensor tensor, double a = 0, double b = 1) =>
            Fill(tensor, nameof(UniformInPlace), t => t.UniformInPlace(a, b));

        /// <summary>Fills <paramref name="tensor"/> with values drawn from N(<paramref name="mean"/>, <paramref name="std"/>²) (normal_).</summary>
        public static Tensor NormalInPlace(Tensor tensor, double mean = 0, double std = 1) =>
            Fill(tensor, nameof(NormalInPlace), t => t.NormalInPlace(mean, std));

        /// <summary>Runs the in-place <paramref name="fill"/> on a floating-point tensor outside autograd.</summary>
        private static Tensor Fill(Tensor tensor, string op, Action<Tensor> fill)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            RequireFloating(tensor, op);
            using (Autograd.NoGrad())
            {
                fill(tensor);
            }
            return tensor;
        }

        /// <summary>Fills <paramref name="tensor"/> with <paramref name="value"/> (constant_).</summary>
        public static Tensor ConstantInPlace(Tensor tensor, double value)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            using (Autograd.NoGrad())
            {
                tensor.Fill(value);
            }
            return tensor;
        }

        /// <summary>Fills <paramref name="tensor"/> with zeros (zeros_).</summary>
        public static Tensor ZerosInPlace(Tensor tensor) => ConstantInPlace(tensor, 0);

        /// <summary>Fills <paramref name="tensor"/> with ones (ones_).</summary>
        public static Tensor OnesInPlace(Tensor tensor) => ConstantInPlace(tensor, 1);

        /// <summary>
        /// Glorot uniform init (xavier_uniform_): U(-a, a) with a = gain × √(6 / (fan_in + fan_out)).
        /// </summary>
        public static Tensor XavierUniformInPlace(Tensor tensor, double gain = 1)
        {
            var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
            double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
            return UniformInPlace(tensor, -a, a);
        }

        /// <summary>
        /// Glorot normal init (xavier_normal_): N(0, std²) with std = gain × √(2 / (fan_in + fan_out)).
        /// </summary>
        public static Tensor XavierNormalInPlace(Tensor tensor, double gain = 1)
        {
            var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
            return NormalInPlace(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
        }

        /// <summary>
        /// He uniform init (kaiming_uniform_): U(-bound, bound) with bound = gain × √(3 / fan),
        /// gain = <see cref="CalculateGain"/>(<paramref name="nonlinearity"/>, <paramref name="a"/>)
        /// and fan the fan_in or fan_out (<paramref name="mode"/>). A tensor with no elements is left as it is.
        /// </summary>
        public static Tensor KaimingUniformInPlace(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (tensor.NumberOfElements == 0)
            {
                return tensor;
            }
            double bound = Math.Sqrt(3.0) * CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode, nameof(KaimingUniformInPlace)));
            return UniformInPlace(tensor, -bound, bound);
        }

        /// <summary>
        /// He normal init (kaiming_normal_): N(0, std²) with std = gain / √fan (see
        /// <see cref="KaimingUniformInPlace"/>). A tensor with no elements is left as it is.
        /// </summary>
        public static Tensor KaimingNormalInPlace(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
        {
            ArgumentNullException.ThrowIfNull(tensor);
            if (tensor.NumberOfElements == 0)
            {
                return tensor;
            }
            return NormalInPlace(tensor, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode, nameof(KaimingNormalInPlace))));
        }

        /// <summary>
        /// Fills <paramref name="tensor"/> with N(<paramref name="mean"/>, <paramref name="std"/>²)
        /// truncated to [<paramref name="a"/>, <paramref name="b"/>] (trunc_normal_), by PyTorch's
        /// method: uniform values between the bounds' CDF values mapped through the inverse CDF
        /// (erfinv), then clamped.
        /// </summary>
        public static Tensor TruncNormalInPlace(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2)
        {
            double l = NormCdf((a - mean) / std), u = NormCdf((b - mean) / std);
            return Fill(tensor, nameof(TruncNormalInPlace), t => t.UniformInPlace(2 * l - 1, 2 * u - 1).ErfinvInPlace()
                .MulInPlace(std * Math.Sqrt(2.0)).AddInPlace(mean).ClampInPlace(a, b));
        }

        /// <summary>
        /// Linear's and the convolutions' reset_parameters: weight kaiming_uniform(a = √5), bias
        /// U(-1/√fan_in, 1/√fan_in) with fan_in from the weight (zeros when fan_in is 0, as Linear does).
        /// </summary>
        internal static void ResetLinearLike(Tensor weight, Tensor? bias)
        {
            KaimingUniformInPlace(weight, a: Math.Sqrt(5));
            if (bias is not null)
            {
                var (fanIn, _) = CalculateFanInAndFanOut(weight);
                double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                UniformInPlace(bias, -bound, bound);
            }
        }

        private static double NormCdf(double x)
        {
            // .NET has no erf: use the library's float64 one (PyTorch uses Python's math.erf here).
            using var t = Tensor.From(x / Math.Sqrt(2.0), DType.Float64);
            using var e = t.Erf();
            return (1 + e.Item<double>()) / 2;
        }

        private static double Fan(Tensor tensor, string mode, string op)
        {
            ArgumentNullException.ThrowIfNull(mode);
            var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
            return mode switch
            {
                "fan_in" => fanIn,
                "fan_out" => fanOut,
                _ => throw new ArgumentException($"{op}: mode \"{mode}\" not supported, please use one of \"fan_in\", \"fan_out\".", nameof(mode)),
            };
        }

        private static void RequireFloating(Tensor tensor, string op)
        {
            if (!tensor.DType.IsFloatingPoint())
            {
                throw new DTypeMismatchException($"{op}: the tensor must be floating-point; it is {tensor.DType}.");
            }
        }
    }
}
