using System;
using System.Collections.Generic;
using Compute.Native;

namespace Compute
{
    // Backward formulas of shape and indexing ops, written with recorded ops.
    public partial class Tensor
    {
        /// <summary>Zeros with <paramref name="shape"/> and the dtype of <paramref name="like"/>.</summary>
        private static Tensor ZerosLike(Tensor like, long[] shape) => Zeros(shape, like.DType);

        /// <summary>
        /// For the ops whose gradient Compute does not define (as PyTorch leaves some reductions
        /// of scatter undefined): refuses to build a graph through them rather than give a wrong one.
        /// </summary>
        private static void RefuseGrad(string op, Tensor a, Tensor? b)
        {
            if (Recorder.Wanted(a, b))
            {
                throw new InvalidOperationException(
                    $"{op}: its gradient is not defined in Compute; call it under Autograd.NoGrad() or on detached tensors.");
            }
        }

        // repeat/tile: the output is the input laid out repeats[d] times along each dim, so
        // viewing the gradient as [r0, s0, r1, s1, ...] and summing the r dims undoes it.
        private static Tensor RepeatBackward(Tensor g, long[] inputShape, long[] repeats)
        {
            int lead = repeats.Length - inputShape.Length;
            var split = new List<long>(2 * repeats.Length);
            var sumDims = new List<long>(repeats.Length);
            for (int d = 0; d < repeats.Length; d++)
            {
                long size = d < lead ? 1 : inputShape[d - lead];
                sumDims.Add(split.Count);
                split.Add(repeats[d]);
                split.Add(size);
            }
            if (g.NumberOfElements == 0)
            {
                return Zeros(inputShape, g.DType);
            }
            return g.Reshape(split.ToArray()).Sum(sumDims.ToArray()).Reshape(inputShape);
        }

        // masked_select: the selected gradients go back to the positions the (broadcast) mask
        // marks, through index_add on the flattened broadcast shape; the engine then sums any
        // broadcasting of the input away.
        private static Tensor MaskedSelectBackward(BackwardContext ctx)
        {
            Tensor mask = ctx.Saved(0);
            long[] shape = BroadcastShapes(ctx.InputShape(0), mask.ShapeCached);
            Tensor positions = mask.Expand(shape).Reshape(-1).Nonzero().Reshape(-1);
            long numel = 1;
            foreach (long s in shape)
            {
                numel *= s;
            }
            return Zeros(new[] { numel }, ctx.Grad.DType).IndexAdd(0, positions, ctx.Grad).Reshape(shape);
        }

        // The gradient of any view that picks elements of its input (diagonal, 2-D diag): view
        // a tensor of flat positions the same way, then index_add the gradient at them.
        private static Tensor ViewBackward(Tensor g, long[] inputShape, Func<Tensor, Tensor> view)
        {
            long numel = 1;
            foreach (long s in inputShape)
            {
                numel *= s;
            }
            Tensor positions;
            using (Autograd.NoGrad())
            {
                positions = view(Arange(numel).Reshape(inputShape)).Reshape(-1);
            }
            return Zeros(new[] { numel }, g.DType).IndexAdd(0, positions, g.Reshape(-1)).Reshape(inputShape);
        }

        // split/chunk/unbind: the pieces' gradients (zeros for pieces that got none) joined back.
        private Tensor[] PiecesRecorded(Tensor[] pieces, string name, long dim, bool stacked)
        {
            if (!Recorder.Wanted(this) || pieces.Length == 0)
            {
                return pieces;
            }
            int d = NormalizeDim(dim, Dim, name);
            int count = pieces.Length;
            Recorder.RecordMany(pieces, name, [this], null, ctx =>
            {
                var grads = new Tensor[count];
                for (int i = 0; i < grads.Length; i++)
                {
                    grads[i] = ctx.GradAt(i);
                }
                return [stacked ? Stack(grads, d) : Cat(grads, d)];
            });
            return pieces;
        }

        /// <summary>
        /// this[indices] with index tensors (torch's index, the getter of advanced indexing); the
        /// gradient goes back to the picked positions through index_put with accumulation.
        /// </summary>
        internal Tensor IndexWith(Tensor?[] indices)
        {
            Tensor result = WithOptionalHandles(indices, h => Own(NativeMethods.Index(Handle, h, h.Length)));
            if (!Recorder.Wanted(this))
            {
                return result;
            }
            var (saved, rebuild) = SaveIndices(indices);
            return Recorder.Record(result, "IndexBackward0", [this], saved,
                ctx => [ZerosLike(ctx.Grad, ctx.InputShape(0)).IndexPut(rebuild(ctx), ctx.Grad, accumulate: true)]);
        }

        // An index list with nulls (whole dims) saved as its tensors plus where they went.
        private static (Tensor[] Saved, Func<BackwardContext, Tensor?[]> Rebuild) SaveIndices(Tensor?[] indices)
        {
            var saved = new List<Tensor>();
            var slot = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++)
            {
                slot[i] = indices[i] is Tensor t ? saved.Count : -1;
                if (indices[i] is Tensor index)
                {
                    saved.Add(index);
                }
            }
            return (saved.ToArray(), ctx => Array.ConvertAll(slot, s => s < 0 ? null : ctx.Saved(s)));
        }

        private static long[] BroadcastShapes(long[] a, long[] b)
        {
            int n = Math.Max(a.Length, b.Length);
            var shape = new long[n];
            for (int i = 1; i <= n; i++)
            {
                long x = i <= a.Length ? a[^i] : 1, y = i <= b.Length ? b[^i] : 1;
                shape[^i] = x == 1 ? y : x;
            }
            return shape;
        }
    }
}
