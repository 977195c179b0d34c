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
            Tensor? w2 = weight;
            using AutocastRegion amp = AutocastRegion.Enter(AutocastOps.Linear, ref input, ref w2, ref bias);
            Tensor y = input.MatMul(w2!.T);
            return bias is null ? y : y + bias;
        }

        /// <summary>
        /// y[..., o] = Σᵢⱼ x1[..., i] W[o, i, j] x2[..., j] + b[o] (F.bilinear): inputs [*, in1] and
        /// [*, in2] with the same leading dims, weight [out, in1, in2], optional bias [out].
        /// </summary>
        public static Tensor Bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias = null)
        {
            ArgumentNullException.ThrowIfNull(input1);
            ArgumentNullException.ThrowIfNull(input2);
            ArgumentNullException.ThrowIfNull(weight);
            long[] a = input1.ShapeCached, b = input2.ShapeCached, w = weight.ShapeCached;
            if (w.Length != 3 || a.Length == 0 || a.Length != b.Length || a[^1] != w[1] || b[^1] != w[2] ||
                !a.AsSpan(0, a.Length - 1).SequenceEqual(b.AsSpan(0, b.Length - 1)))
            {
                throw new ShapeMismatchException(
                    $"Bilinear: input1 {Tensor.FormatShape(a)}, input2 {Tensor.FormatShape(b)} and weight {Tensor.FormatShape(w)} do not fit " +
                    "(inputs [*, in1] and [*, in2] with the same leading dims, weight [out, in1, in2]).");
            }
            if (bias is not null && (bias.Dim != 1 || bias.ShapeCached[0] != w[0]))
            {
                throw new ShapeMismatchException(
                    $"Bilinear: bias of shape {Tensor.FormatShape(bias.ShapeCached)} does not fit weight of shape {Tensor.FormatShape(w)} (expected [{w[0]}]).");
            }
            Tensor? in2 = input2, w3 = weight;
            using AutocastRegion amp = AutocastRegion.Enter(AutocastOps.Bilinear, ref input1, ref in2, ref w3, ref bias);
            (input2, weight) = (in2!, w3!);
            long[] lead = a[..^1];
            long rows = 1;
            foreach (long d in lead)
            {
                rows *= d;
            }
            Tensor y = Tensor.Einsum("bi,oij,bj->bo", input1.Reshape(rows, a[^1]), weight, input2.Reshape(rows, b[^1]));
            if (bias is not null)
            {
                y = y + bias;
            }
            return y.Reshape([.. lead, w[0]]);
        }
    }
}
