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

        // scatter_reduce's gradient (saved: self, index, src, result): each
        // output element's gradient goes to the values that made it, a mean's divided by how
        // many there were, an extreme's shared evenly among the values equal to it, a product's
        // times the product of the others. Without
        // includeSelf the positions written to give self nothing.
        private static Tensor?[] ScatterReduceBackward(BackwardContext ctx, long dim, ScatterOp reduce, bool includeSelf)
        {
            Tensor self = ctx.Saved(0), index = ctx.Saved(1), src = ctx.Saved(2), grad = ctx.Grad;
            Tensor gradSelf, gradSrc;
            switch (reduce)
            {
                case ScatterOp.Sum:
                    gradSelf = grad;
                    gradSrc = grad.Gather(dim, index);
                    break;
                case ScatterOp.Mean:
                    {
                        Tensor count;
                        using (Autograd.NoGrad())
                        {
                            count = (includeSelf ? OnesLike(grad) : ZerosLike(grad)).ScatterAdd(dim, index, OnesLike(src, grad.DType));
                            count = count.MaskedFill(count.Eq(0), 1);
                        }
                        gradSelf = grad / count;
                        gradSrc = grad.Gather(dim, index) / count.Gather(dim, index);
                        break;
                    }
                case ScatterOp.Prod:
                    {
                        // Each value's gradient is the product of the others: the product
                        // without it. Zeros are masked to 1 so that the product of the others
                        // is computed directly rather than as result / value; a source value
                        // that is the only zero at its place gets the product of the rest,
                        // one of several zeros gets 0 (the product stays 0 without it).
                        Tensor result = ctx.Saved(3);
                        Tensor maskedSelf = self.MaskedFill(self.Eq(0), 1);
                        gradSelf = grad * maskedSelf.ScatterReduce(dim, index, src, "prod", includeSelf) / maskedSelf;
                        Tensor srcZero = src.Eq(0);
                        Tensor zerosAtPlace = ZerosLike(self).ScatterAdd(dim, index, srcZero.To(self.DType)).Gather(dim, index);
                        Tensor singleZero = srcZero.LogicalAnd(zerosAtPlace.Eq(1));
                        Tensor withoutSingleZero = self.ScatterReduce(dim, index, src.MaskedFill(singleZero, 1), "prod", includeSelf);
                        gradSrc = Where(singleZero, (grad * withoutSingleZero).Gather(dim, index),
                            (grad * result).Gather(dim, index) / src.MaskedFill(srcZero, 1));
                        break;
                    }
                default: // amax, amin
                    {
                        Tensor result = ctx.Saved(3);
                        Tensor selfIsResult, srcIsResult, share;
                        using (Autograd.NoGrad())
                        {
                            selfIsResult = self.Eq(result).To(grad.DType);
                            srcIsResult = src.Eq(result.Gather(dim, index)).To(grad.DType);
                            share = selfIsResult.ScatterAdd(dim, index, srcIsResult);
                        }
                        Tensor distributed = grad / share;
                        gradSelf = selfIsResult * distributed;
                        gradSrc = srcIsResult * distributed.Gather(dim, index);
                        break;
                    }
            }
            if (!includeSelf)
            {
                gradSelf = gradSelf.Scatter(dim, index, 0);
            }
            return [ctx.Needs(0) ? gradSelf : null, null, ctx.Needs(2) ? gradSrc : null];
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

        /// <summary>Sizes, strides and storage offset of a strided view (PyTorch's TensorGeometry).</summary>
        internal readonly record struct StridedGeometry(long[] Sizes, long[] Strides, long Offset)
        {
            internal long Numel
            {
                get
                {
                    long n = 1;
                    foreach (long s in Sizes)
                    {
                        n *= s;
                    }
                    return n;
                }
            }

            /// <summary>One past the farthest storage element the view reaches (non-empty views).</summary>
            internal long End
            {
                get
                {
                    long last = Offset;
                    for (int i = 0; i < Sizes.Length; i++)
                    {
                        last += (Sizes[i] - 1) * Strides[i];
                    }
                    return last + 1;
                }
            }

            /// <summary>
            /// Whether two elements may share a storage element: sorted by stride, each dim must
            /// step past everything the smaller-stride dims reach (PyTorch's overlap note).
            /// </summary>
            internal bool MayOverlap
            {
                get
                {
                    var dims = new List<int>();
                    for (int i = 0; i < Sizes.Length; i++)
                    {
                        if (Sizes[i] > 1)
                        {
                            dims.Add(i);
                        }
                    }
                    long[] strides = Strides;
                    dims.Sort((a, b) => strides[a].CompareTo(strides[b]));
                    long reach = 0;
                    foreach (int d in dims)
                    {
                        if (strides[d] <= reach)
                        {
                            return true;
                        }
                        reach += (Sizes[d] - 1) * strides[d];
                    }
                    return false;
                }
            }

            /// <summary>The storage positions of the view's elements (row-major), relative to <paramref name="origin"/>.</summary>
            internal Tensor Positions(Tensor storagePositions, long origin) =>
                storagePositions.AsStrided(Sizes, Strides, Offset - origin).Reshape(-1);
        }

        // as_strided's gradient (PyTorch's as_strided_backward): the output's gradient is summed
        // into a zero storage at the positions the output reads, then the input's elements are
        // read back from that storage; where the input itself reads a storage element several
        // times (expanded inputs), each reading gets an equal share. Built from index_add,
        // division and index_select, which are recorded, so it is differentiable in turn.
        private static Tensor AsStridedBackward(Tensor g, StridedGeometry input, StridedGeometry output)
        {
            if (input.Numel == 0 || output.Numel == 0)
            {
                return Zeros(input.Sizes, g.DType);
            }
            long origin = Math.Min(input.Offset, output.Offset);
            long extent = Math.Max(input.End, output.End) - origin;
            Tensor outPositions, inPositions;
            Tensor? count = null;
            using (Autograd.NoGrad())
            {
                Tensor storagePositions = Arange(extent);
                outPositions = output.Positions(storagePositions, origin);
                inPositions = input.Positions(storagePositions, origin);
                if (input.MayOverlap)
                {
                    // Storage elements the input never reads keep a count of 1: they are not
                    // read back, and dividing by 1 keeps double backward free of 0/0.
                    count = Zeros(new[] { extent }, g.DType).IndexAdd(0, inPositions, OnesLike(inPositions, g.DType)).Clamp(min: (Scalar)1);
                }
            }
            Tensor storage = Zeros(new[] { extent }, g.DType).IndexAdd(0, outPositions, g.Reshape(-1));
            if (count is not null)
            {
                storage = storage / count;
            }
            return storage.IndexSelect(0, inPositions).Reshape(input.Sizes);
        }

        /// <summary>
        /// Splits the gradient of a base tensor (geometry <paramref name="baseGeometry"/>) into the
        /// part inside a view's region (returned in the view's shape) and a function that rebuilds
        /// the gradient of the base with the region's part replaced (null: zeros): what CopySlices
        /// needs. Works in storage positions, so any strided view of a non-overlapping base works;
        /// built from index_add and index_select, so it is differentiable in turn.
        /// </summary>
        internal static (Tensor Region, Func<Tensor?, Tensor> Rebuild) StridedRegion(Tensor grad, StridedGeometry baseGeometry,
            StridedGeometry viewGeometry)
        {
            if (baseGeometry.Numel == 0 || viewGeometry.Numel == 0)
            {
                return (Zeros(viewGeometry.Sizes, grad.DType), _ => grad);
            }
            long origin = Math.Min(baseGeometry.Offset, viewGeometry.Offset);
            long extent = Math.Max(baseGeometry.End, viewGeometry.End) - origin;
            Tensor basePositions, viewPositions, outside;
            using (Autograd.NoGrad())
            {
                Tensor storagePositions = Arange(extent);
                basePositions = baseGeometry.Positions(storagePositions, origin);
                viewPositions = viewGeometry.Positions(storagePositions, origin);
                outside = Ones(new[] { extent }, grad.DType).IndexPut([viewPositions], Zeros(Array.Empty<long>(), grad.DType));
            }
            Tensor storage = Zeros(new[] { extent }, grad.DType).IndexAdd(0, basePositions, grad.Reshape(-1));
            Tensor region = storage.IndexSelect(0, viewPositions).Reshape(viewGeometry.Sizes);
            return (region, inner =>
            {
                Tensor rest = storage * outside;
                if (inner is not null)
                {
                    rest = rest.IndexAdd(0, viewPositions, (inner.DType == grad.DType ? inner : inner.To(grad.DType)).Reshape(-1));
                }
                return rest.IndexSelect(0, basePositions).Reshape(baseGeometry.Sizes);
            });
        }

        // split/chunk/unbind: the pieces' gradients (zeros for pieces that got none) joined back.
        private Tensor[] PiecesRecorded(Tensor[] pieces, string name, long dim, bool stacked)
        {
            if (!Recorder.Wanted(this) || pieces.Length == 0)
            {
                return MultiViewResults(pieces, name);
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
            return MultiViewResults(pieces, name);
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
