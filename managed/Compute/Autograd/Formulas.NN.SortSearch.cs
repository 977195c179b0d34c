using System;

namespace Compute.NN
{
    // Backward of the sort/search family. sort, topk and msort pick elements: each picked
    // value's gradient goes back to where it was picked from (a recorded scatter, so it is
    // differentiable again). repeat_interleave sums the gradient of the copies (a recorded
    // index_add). pad's gradient is its native backward kernel, itself recorded for double
    // backward. argsort, searchsorted and bucketize return integers: not recorded; unique's values
    // have no derivative (as in PyTorch) and fail by name in backward.
    internal static partial class NNFormulas
    {
        /// <summary>Records the values of <paramref name="result"/>, picked from <paramref name="input"/> along <paramref name="dim"/> at its indices.</summary>
        internal static (Tensor Values, Tensor Indices) Picked((Tensor Values, Tensor Indices) result, string name, Tensor input, long dim)
        {
            Recorder.Record(result.Values, name, [input], [result.Indices], ctx =>
                [Tensor.Zeros(ctx.InputShape(0), ctx.InputDType(0)).Scatter(dim, ctx.Saved(0), ctx.Grad)]);
            return result;
        }

        // msort returns no indices; the stable argsort of the saved input is the same permutation.
        internal static Tensor Msort(Tensor result, Tensor input) =>
            Recorder.Record(result, "SortBackward0", [input], [input], ctx =>
                [Tensor.Zeros(ctx.InputShape(0), ctx.InputDType(0)).Scatter(0, ctx.Saved(0).Argsort(0, stable: true), ctx.Grad)]);

        /// <summary>
        /// Records repeat_interleave along <paramref name="dim"/> (the flattened input when null):
        /// the copies of element i are found by repeating the index i the same way, and their
        /// gradients summed into it.
        /// </summary>
        internal static Tensor RepeatInterleave(Tensor result, Tensor input, long? dim, Func<Tensor, Tensor> repeatIndices)
        {
            return Recorder.Record(result, "RepeatInterleaveBackward0", [input], null, ctx =>
            {
                long[] shape = ctx.InputShape(0);
                long[] along = dim is null ? [TotalSize(shape)] : shape;
                int d = dim is null ? 0 : (int)(dim < 0 ? dim + shape.Length : dim);
                Tensor copies = repeatIndices(Tensor.Arange(along[d], DType.Int64));
                Tensor grad = Tensor.Zeros(along, ctx.InputDType(0)).IndexAdd(d, copies, ctx.Grad);
                return [dim is null ? grad.Reshape(shape) : grad];
            });
        }

        /// <summary>
        /// unique's values have no derivative in PyTorch either: they are recorded so that a
        /// backward through them fails by name instead of leaving the input's gradient silently out.
        /// </summary>
        internal static (Tensor Values, Tensor? Inverse, Tensor? Counts) NoDerivative((Tensor Values, Tensor? Inverse, Tensor? Counts) r,
            string op, Tensor input)
        {
            Recorder.Record(r.Values, "NotImplemented", [input], null, _ =>
                throw new NotSupportedException($"{op}: the derivative of its values is not implemented (as in PyTorch); detach the input."));
            return r;
        }

        private static long TotalSize(long[] shape)
        {
            long n = 1;
            foreach (long s in shape)
            {
                n *= s;
            }
            return n;
        }

        /// <summary>Records F.pad: the gradient is the native pad backward (each padded element added to the one it copied).</summary>
        internal static Tensor Pad(Tensor result, Tensor input, long[] pad, PaddingMode mode)
        {
            long[] pads = (long[])pad.Clone();
            return Recorder.Record(result, "PadBackward0", [input], null, ctx => [PadGrad(ctx.Grad, ctx.InputShape(0), pads, mode)]);
        }

        // Pad's backward is linear in the gradient, and its adjoint is pad itself: so with
        // createGraph the backward kernel is recorded with pad as its backward. Constant padding's
        // backward is the crop, which is pad by the negated amounts.
        private static Tensor PadGrad(Tensor grad, long[] inputShape, long[] pad, PaddingMode mode)
        {
            if (Recording && mode == PaddingMode.Constant)
            {
                return Functional.Pad(grad, Array.ConvertAll(pad, p => -p));
            }
            Tensor result = Functional.PadBackward(grad, inputShape, pad, mode);
            return Recording
                ? Recorder.Record(result, "PadBackwardBackward0", [grad], null, ctx => [Functional.Pad(ctx.Grad, pad, mode)])
                : result;
        }
    }
}
