using System;

namespace Compute.NN
{
    // The activations that PyTorch writes as their own kernels but that are cheap compositions
    // of existing differentiable ops: shrinkage (hardshrink, softshrink, tanhshrink, softsign),
    // threshold, gated and learned slopes (glu, prelu, rrelu) and softmin. Autograd records the
    // ops they are made of, so their gradients (and double backward) come for free.
    public static partial class Functional
    {
        /// <summary>x where |x| &gt; lambd, else 0 (F.hardshrink). NaN passes through.</summary>
        public static Tensor Hardshrink(Tensor input, double lambd = 0.5)
        {
            RequireFloat(input, "hardshrink");
            return Tensor.Where(input.Abs().Le(lambd), 0.0, input);
        }

        /// <summary>
        /// x - lambd above lambd, x + lambd below -lambd, 0 between (F.softshrink); lambd must be
        /// at least 0. NaN passes through (as in PyTorch 2; torch 1.13 returned 0 for NaN).
        /// </summary>
        public static Tensor Softshrink(Tensor input, double lambd = 0.5)
        {
            RequireFloat(input, "softshrink");
            if (!(lambd >= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(lambd), lambd, $"softshrink: lambd must be at least 0, got {lambd}");
            }
            // x - lambd * sign(x) outside the band keeps the gradient 1 there and 0 inside.
            return Tensor.Where(input.Abs().Le(lambd), 0.0, input - input.Sign() * lambd);
        }

        /// <summary>x - tanh(x) (F.tanhshrink); integer inputs give the default float dtype.</summary>
        public static Tensor Tanhshrink(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input - input.Tanh();
        }

        /// <summary>x / (1 + |x|) (F.softsign); integer inputs give the default float dtype.</summary>
        public static Tensor Softsign(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return input / (input.Abs() + 1);
        }

        /// <summary>
        /// x where x &gt; threshold, else <paramref name="value"/> (F.threshold); any dtype.
        /// <c>inplace: true</c> overwrites the input and returns it.
        /// </summary>
        public static Tensor Threshold(Tensor input, double threshold, double value, bool inplace = false)
        {
            ArgumentNullException.ThrowIfNull(input);
            // x <= threshold (not !(x > threshold)) so that NaN is kept, as PyTorch does.
            Tensor below = input.Le(threshold);
            return inplace ? input.MaskedFillInPlace(below, value) : input.MaskedFill(below, value);
        }

        /// <summary>
        /// The gated linear unit (F.glu): splits <paramref name="dim"/> into halves a and b and returns
        /// a * sigmoid(b); that dim must have an even size.
        /// </summary>
        public static Tensor Glu(Tensor input, long dim = -1)
        {
            RequireFloat(input, "glu");
            if (input.Shape.Length == 0)
            {
                throw new ArgumentException("glu: a 0-d input has no dim to halve", nameof(input));
            }
            long d = dim < 0 ? dim + input.Shape.Length : dim;
            if (d < 0 || d >= input.Shape.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(dim), dim, $"glu: dim {dim} is out of range for shape [{string.Join(", ", input.Shape)}]");
            }
            if (input.Shape[d] % 2 != 0)
            {
                throw new ArgumentException($"glu: dim {dim} of shape [{string.Join(", ", input.Shape)}] has odd size {input.Shape[d]}; it must halve evenly", nameof(input));
            }
            Tensor[] halves = input.Chunk(2, d);
            return halves[0] * halves[1].Sigmoid();
        }

        /// <summary>softmax of -x along <paramref name="dim"/> (F.softmin).</summary>
        public static Tensor Softmin(Tensor input, long dim, DType? dtype = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return (-input).Softmax(dim, dtype);
        }

        /// <summary>
        /// x where x &gt; 0, else weight * x (F.prelu). <paramref name="weight"/> has one element or
        /// one per channel, the channel dim being dim 1 (a 1-D input has one channel).
        /// </summary>
        public static Tensor Prelu(Tensor input, Tensor weight)
        {
            RequireFloat(input, "prelu");
            ArgumentNullException.ThrowIfNull(weight);
            if (AutocastRegion.Recast(AutocastOps.Prelu, input, weight) is { } cast)
            {
                return Prelu(cast.A, cast.B);
            }
            if (weight.Shape.Length > 1)
            {
                throw new ArgumentException($"prelu: weight must be 0-D or 1-D, got shape [{string.Join(", ", weight.Shape)}]", nameof(weight));
            }
            long channels = input.Shape.Length >= 2 ? input.Shape[1] : 1;
            long count = weight.NumberOfElements;
            if (count != 1 && count != channels)
            {
                throw new ArgumentException(
                    $"prelu: weight has {count} elements but the input of shape [{string.Join(", ", input.Shape)}] has {channels} channel(s) (dim 1)", nameof(weight));
            }
            Tensor slope = weight;
            if (count != 1)
            {
                // [C] -> [C, 1, ..., 1] so that it broadcasts over dim 1 and the dims after it.
                long[] shape = new long[input.Shape.Length - 1];
                Array.Fill(shape, 1L);
                shape[0] = channels;
                slope = weight.Reshape(shape);
            }
            return Tensor.Where(input.Gt(0.0), input, input * slope);
        }

        /// <summary>
        /// The randomized leaky ReLU (F.rrelu): negative inputs are multiplied by a slope drawn per
        /// element from U(lower, upper) in training (from the default generator) and by
        /// (lower + upper) / 2 otherwise. <c>inplace: true</c> overwrites the input and returns it.
        /// </summary>
        public static Tensor Rrelu(Tensor input, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false, bool inplace = false)
        {
            RequireFloat(input, "rrelu");
            if (!(lower <= upper))
            {
                throw new ArgumentException($"rrelu: lower ({lower}) must not exceed upper ({upper})", nameof(lower));
            }
            Tensor slope;
            if (training)
            {
                using (Autograd.NoGrad())
                {
                    slope = Tensor.EmptyLike(input).UniformInPlace(lower, upper);
                }
            }
            else
            {
                slope = Tensor.FullLike(input, (lower + upper) / 2);
            }
            // One factor per element (1 where x > 0), so the in-place form is a single multiply.
            Tensor factor = Tensor.Where(input.Gt(0.0), 1.0, slope);
            return inplace ? input.MulInPlace(factor) : input * factor;
        }

        private static void RequireFloat(Tensor input, string op)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!input.DType.IsFloatingPoint())
            {
                throw new ArgumentException($"{op}: expected a floating-point input, got {input.DType}", nameof(input));
            }
        }
    }
}
