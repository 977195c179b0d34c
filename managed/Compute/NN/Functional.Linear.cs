using System;

namespace Compute.NN
{
    public static partial class Functional
    {
        /// <summary>
        /// y = x Wᵀ + b (F.linear): <paramref name="input"/> [*, in], <paramref name="weight"/>
        /// [out, in], optional <paramref name="bias"/> [out] gives [*, out].
        /// </summary>
        public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            long[] x = input.ShapeCached, w = weight.ShapeCached;
            if (w.Length != 2 || x.Length == 0 || x[^1] != w[1])
            {
                throw new ShapeMismatchException(
                    $"Linear: input of shape {Tensor.FormatShape(x)} and weight of shape {Tensor.FormatShape(w)} do not fit " +
                    "(the weight must be [out_features, in_features] and the input's last dim in_features).");
            }
            if (bias is not null && (bias.Dim != 1 || bias.ShapeCached[0] != w[0]))
            {
                throw new ShapeMismatchException(
                    $"Linear: bias of shape {Tensor.FormatShape(bias.ShapeCached)} does not fit weight of shape {Tensor.FormatShape(w)} (expected [{w[0]}]).");
            }
            Tensor y = input.MatMul(weight.T);
            return bias is null ? y : y + bias;
        }
    }
}
