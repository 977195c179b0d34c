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
            Tensor y;
            using (Autograd.NoGrad())
            {
                // With a bias, one addmm over the input's rows (PyTorch's form for linear): on CUDA
                // the bias rides cuBLASLt's epilogue, in the product's own pass.
                y = bias is null ? input.MatMul(w2!.T) : AddmmOverRows(bias, input, w2!);
            }
            // One node, as PyTorch's addmm/mm for linear: recorded as matmul(x, Wᵀ) + b, the
            // weight's gradient came out of a transpose view of (xᵀ g), which the engine had to
            // copy before storing it in .Grad (a sixth of an MNIST MLP step).
            Tensor? b = bias;
            return Recorder.Record(y, bias is null ? "MmBackward0" : "AddmmBackward0", [input, w2!, bias], [input, w2!],
                ctx => LinearBackward(ctx, b is not null));
        }

        // b + x Wᵀ as one addmm of the input's rows: [*, in] seen as [rows, in], then [*, out].
        private static Tensor AddmmOverRows(Tensor bias, Tensor input, Tensor weight)
        {
            long[] x = input.ShapeCached;
            if (x.Length == 2)
            {
                return Tensor.Addmm(bias, input, weight.T);
            }
            long rows = 1;
            for (int i = 0; i < x.Length - 1; i++)
            {
                rows *= x[i];
            }
            long[] outShape = [.. x[..^1], weight.ShapeCached[0]];
            return Tensor.Addmm(bias, input.Reshape(rows, x[^1]), weight.T).Reshape(outShape);
        }

        // y = x Wᵀ + b: dx = g W, dW = gᵀ x and db = the sum of g over the leading dims, with
        // x and g taken as matrices of their rows (dW comes out [out, in] directly, not as a
        // transposed view). Differentiable ops, so createGraph records them.
        private static Tensor?[] LinearBackward(BackwardContext ctx, bool hasBias)
        {
            Tensor x = ctx.Saved(0), w = ctx.Saved(1), g = ctx.Grad;
            long outFeatures = w.ShapeCached[0], inFeatures = w.ShapeCached[1];
            Tensor? gx = ctx.Needs(0) ? g.MatMul(w) : null;
            Tensor? gw = null, gb = null;
            if (ctx.Needs(1) || (hasBias && ctx.Needs(2)))
            {
                // Rows counted from the leading dims, not reshape's -1, which cannot be inferred
                // when a feature count is 0.
                long rows = 1;
                long[] gShape = g.ShapeCached;
                for (int i = 0; i < gShape.Length - 1; i++)
                {
                    rows *= gShape[i];
                }
                Tensor g2 = g.Reshape(rows, outFeatures);
                if (ctx.Needs(1))
                {
                    gw = g2.Transpose(0, 1).MatMul(x.Reshape(rows, inFeatures));
                }
                if (hasBias && ctx.Needs(2))
                {
                    gb = g2.Sum(0);
                }
            }
            return [gx, gw, gb];
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
