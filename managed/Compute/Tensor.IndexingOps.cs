using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // PyTorch names its scatter reductions with strings; the same strings are accepted here
        // so code ports line by line ("add"/"multiply" for scatter, "sum"/"prod"/"mean"/"amax"/
        // "amin" for scatter_reduce).
        private static ScatterOp ParseScatterReduce(string? reduce, bool scatterReduce, string op) => reduce switch
        {
            null when !scatterReduce => ScatterOp.None,
            "add" when !scatterReduce => ScatterOp.Sum,
            "multiply" when !scatterReduce => ScatterOp.Prod,
            "sum" when scatterReduce => ScatterOp.Sum,
            "prod" when scatterReduce => ScatterOp.Prod,
            "mean" when scatterReduce => ScatterOp.Mean,
            "amax" when scatterReduce => ScatterOp.Amax,
            "amin" when scatterReduce => ScatterOp.Amin,
            _ => throw new ArgumentException(
                $"{op}: reduce must be {(scatterReduce ? "'sum', 'prod', 'mean', 'amax' or 'amin'" : "null, 'add' or 'multiply'")}, got '{reduce}'.",
                nameof(reduce)),
        };

        // PyTorch 1.13 records scatter(..., reduce=) but its backward is not implemented.
        private const string ScatterReduceArgHasNoGradient = "PyTorch defines none for scatter with a reduce argument (use ScatterReduce)";

        /// <summary>
        /// Values along <paramref name="dim"/> at the positions <paramref name="index"/> (int64)
        /// gives (torch.gather); the result has the index's shape.
        /// </summary>
        public Tensor Gather(long dim, Tensor index)
        {
            ArgumentNullException.ThrowIfNull(index);
            return Recorder.Record(Own(NativeMethods.Gather(Handle, dim, index.Handle)), "GatherBackward0", [this, null], [index],
                ctx => [ZerosLike(ctx.Grad, ctx.InputShape(0)).ScatterAdd(dim, ctx.Saved(0), ctx.Grad), null]);
        }

        /// <summary>
        /// A copy with <paramref name="src"/> written along <paramref name="dim"/> at the positions
        /// <paramref name="index"/> gives (torch.scatter); <paramref name="reduce"/> is null,
        /// "add" or "multiply".
        /// </summary>
        public Tensor Scatter(long dim, Tensor index, Tensor src, string? reduce = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            Tensor result = Own(NativeMethods.Scatter(Handle, dim, index.Handle, src.Handle, (int)ParseScatterReduce(reduce, false, "Scatter")));
            if (reduce is not null)
            {
                return RecordNotDifferentiable(result, "ScatterBackward0", [this, null, src], ScatterReduceArgHasNoGradient);
            }
            return Recorder.Record(result, "ScatterBackward0", [this, null, src], [index], ctx =>
                [ctx.Needs(0) ? ctx.Grad.Scatter(dim, ctx.Saved(0), 0) : null, null, ctx.Needs(2) ? ctx.Grad.Gather(dim, ctx.Saved(0)) : null]);
        }

        /// <summary>Like <see cref="Scatter(long, Tensor, Tensor, string?)"/> with every source value equal to <paramref name="value"/>.</summary>
        public Tensor Scatter(long dim, Tensor index, Scalar value, string? reduce = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            Tensor result = Own(NativeMethods.ScatterValue(Handle, dim, index.Handle, value.Native, (int)ParseScatterReduce(reduce, false, "Scatter")));
            if (reduce is not null)
            {
                return RecordNotDifferentiable(result, "ScatterBackward1", [this, null], ScatterReduceArgHasNoGradient);
            }
            return Recorder.Record(result, "ScatterBackward1", [this, null], [index], ctx => [ctx.Grad.Scatter(dim, ctx.Saved(0), 0), null]);
        }

        /// <summary>A copy with <paramref name="src"/> added at the positions <paramref name="index"/> gives (torch.scatter_add; gather's backward).</summary>
        public Tensor ScatterAdd(long dim, Tensor index, Tensor src)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            if (AutocastRegion.Recast(AutocastOps.ScatterAdd, this, src) is { } cast)
            {
                return cast.A.ScatterAdd(dim, index, cast.B);
            }
            return Recorder.Record(Own(NativeMethods.ScatterAdd(Handle, dim, index.Handle, src.Handle)), "ScatterAddBackward0",
                [this, null, src], [index], ctx => [ctx.Grad, null, ctx.Needs(2) ? ctx.Grad.Gather(dim, ctx.Saved(0)) : null]);
        }

        /// <summary>In-place <see cref="ScatterAdd"/> (scatter_add_); returns this tensor.</summary>
        public Tensor ScatterAddInPlace(long dim, Tensor index, Tensor src)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            return RecordInPlace(nameof(ScatterAddInPlace), h => NativeMethods.ScatterAddInPlace(h, dim, index.Handle, src.Handle),
                () => ScatterAdd(dim, index, src), src);
        }

        /// <summary>
        /// torch.scatter_reduce: <paramref name="reduce"/> is "sum", "prod", "mean", "amax" or
        /// "amin"; <paramref name="includeSelf"/> says whether this tensor's elements take part.
        /// </summary>
        public Tensor ScatterReduce(long dim, Tensor index, Tensor src, string reduce, bool includeSelf = true)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            var code = ParseScatterReduce(reduce, true, "ScatterReduce");
            Tensor result = Own(NativeMethods.ScatterReduce(Handle, dim, index.Handle, src.Handle, (int)code, includeSelf ? 1 : 0));
            if (!Recorder.Wanted(this, src))
            {
                return result;
            }
            return Recorder.Record(result, "ScatterReduceBackward0", [this, null, src], [this, index, src, result],
                ctx => ScatterReduceBackward(ctx, dim, code, includeSelf));
        }

        /// <summary>The entries at the 1-D int64/int32 <paramref name="index"/> along <paramref name="dim"/> (torch.index_select).</summary>
        public Tensor IndexSelect(long dim, Tensor index)
        {
            ArgumentNullException.ThrowIfNull(index);
            return Recorder.Record(Own(NativeMethods.IndexSelect(Handle, dim, index.Handle)), "IndexSelectBackward0", [this, null], [index],
                ctx => [ZerosLike(ctx.Grad, ctx.InputShape(0)).IndexAdd(dim, ctx.Saved(0), ctx.Grad), null]);
        }

        /// <summary>
        /// A copy with alpha * <paramref name="source"/> added at the positions the 1-D
        /// <paramref name="index"/> gives along <paramref name="dim"/> (torch.index_add; index_select's backward).
        /// </summary>
        public Tensor IndexAdd(long dim, Tensor index, Tensor source, Scalar? alpha = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(source);
            Scalar a = alpha ?? 1;
            return Recorder.Record(Own(NativeMethods.IndexAdd(Handle, dim, index.Handle, source.Handle, a.Native)), "IndexAddBackward0",
                [this, null, source], [index], ctx => [ctx.Grad, null, ctx.Needs(2) ? ctx.Grad.IndexSelect(dim, ctx.Saved(0)) * a : null]);
        }

        /// <summary>In-place <see cref="IndexAdd"/> (index_add_); returns this tensor.</summary>
        public Tensor IndexAddInPlace(long dim, Tensor index, Tensor source, Scalar? alpha = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(source);
            return RecordInPlace(nameof(IndexAddInPlace), h => NativeMethods.IndexAddInPlace(h, dim, index.Handle, source.Handle, (alpha ?? 1).Native),
                () => IndexAdd(dim, index, source, alpha), source);
        }

        /// <summary>The elements where the bool <paramref name="mask"/> (broadcast with this tensor) is true, as a 1-D tensor (torch.masked_select).</summary>
        public Tensor MaskedSelect(Tensor mask)
        {
            ArgumentNullException.ThrowIfNull(mask);
            return Recorder.Record(Own(NativeMethods.MaskedSelect(Handle, mask.Handle)), "MaskedSelectBackward0", [this, null], [mask],
                static ctx => [MaskedSelectBackward(ctx), null]);
        }

        /// <summary>The indices of the non-zero elements as an int64 tensor [count, Dim] (torch.nonzero).</summary>
        public Tensor Nonzero() => Own(NativeMethods.Nonzero(Handle));
    }
}
