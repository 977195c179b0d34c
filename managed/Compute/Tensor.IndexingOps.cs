using System;
using Compute.Native;

namespace Compute
{
    public sealed partial class Tensor
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

        /// <summary>
        /// Values along <paramref name="dim"/> at the positions <paramref name="index"/> (int64)
        /// gives (torch.gather); the result has the index's shape.
        /// </summary>
        public Tensor Gather(long dim, Tensor index)
        {
            ArgumentNullException.ThrowIfNull(index);
            return Own(NativeMethods.Gather(Handle, dim, index.Handle));
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
            return Own(NativeMethods.Scatter(Handle, dim, index.Handle, src.Handle, (int)ParseScatterReduce(reduce, false, "Scatter")));
        }

        /// <summary>Like <see cref="Scatter(long, Tensor, Tensor, string?)"/> with every source value equal to <paramref name="value"/>.</summary>
        public Tensor Scatter(long dim, Tensor index, Scalar value, string? reduce = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            return Own(NativeMethods.ScatterValue(Handle, dim, index.Handle, value.Native, (int)ParseScatterReduce(reduce, false, "Scatter")));
        }

        /// <summary>A copy with <paramref name="src"/> added at the positions <paramref name="index"/> gives (torch.scatter_add; gather's backward).</summary>
        public Tensor ScatterAdd(long dim, Tensor index, Tensor src)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            return Own(NativeMethods.ScatterAdd(Handle, dim, index.Handle, src.Handle));
        }

        /// <summary>In-place <see cref="ScatterAdd"/> (scatter_add_); returns this tensor.</summary>
        public Tensor ScatterAddInPlace(long dim, Tensor index, Tensor src)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(src);
            NativeMethods.ScatterAddInPlace(Handle, dim, index.Handle, src.Handle);
            return this;
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
            return Own(NativeMethods.ScatterReduce(Handle, dim, index.Handle, src.Handle, (int)code, includeSelf ? 1 : 0));
        }

        /// <summary>The entries at the 1-D int64/int32 <paramref name="index"/> along <paramref name="dim"/> (torch.index_select).</summary>
        public Tensor IndexSelect(long dim, Tensor index)
        {
            ArgumentNullException.ThrowIfNull(index);
            return Own(NativeMethods.IndexSelect(Handle, dim, index.Handle));
        }

        /// <summary>
        /// A copy with alpha * <paramref name="source"/> added at the positions the 1-D
        /// <paramref name="index"/> gives along <paramref name="dim"/> (torch.index_add; index_select's backward).
        /// </summary>
        public Tensor IndexAdd(long dim, Tensor index, Tensor source, Scalar? alpha = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(source);
            return Own(NativeMethods.IndexAdd(Handle, dim, index.Handle, source.Handle, (alpha ?? 1).Native));
        }

        /// <summary>In-place <see cref="IndexAdd"/> (index_add_); returns this tensor.</summary>
        public Tensor IndexAddInPlace(long dim, Tensor index, Tensor source, Scalar? alpha = null)
        {
            ArgumentNullException.ThrowIfNull(index);
            ArgumentNullException.ThrowIfNull(source);
            NativeMethods.IndexAddInPlace(Handle, dim, index.Handle, source.Handle, (alpha ?? 1).Native);
            return this;
        }

        /// <summary>The elements where the bool <paramref name="mask"/> (broadcast with this tensor) is true, as a 1-D tensor (torch.masked_select).</summary>
        public Tensor MaskedSelect(Tensor mask)
        {
            ArgumentNullException.ThrowIfNull(mask);
            return Own(NativeMethods.MaskedSelect(Handle, mask.Handle));
        }

        /// <summary>The indices of the non-zero elements as an int64 tensor [count, Dim] (torch.nonzero).</summary>
        public Tensor Nonzero() => Own(NativeMethods.Nonzero(Handle));
    }
}
