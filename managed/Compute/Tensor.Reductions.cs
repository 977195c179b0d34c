using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // The reductions of torch: a dim list may be empty (every dim), dims may be negative.
        // Overloads mirror PyTorch's call forms: no dim (every element), one dim, a dim list.

        private delegate TensorHandle DimsOp(TensorHandle a, ReadOnlySpan<long> dims, long ndims, int keepdim);

        private delegate TensorHandle DimsDtypeOp(TensorHandle a, ReadOnlySpan<long> dims, long ndims, int keepdim, DType dtype);

        private static int Flag(bool value) => value ? 1 : 0;

        private Tensor OverDims(long[]? dim, bool keepDim, DimsOp op)
        {
            long[] dims = dim ?? Array.Empty<long>();
            return Own(op(Handle, dims, dims.Length, Flag(keepDim)));
        }

        private Tensor OverDims(long[]? dim, bool keepDim, DType? dtype, DimsOp op, DimsDtypeOp withDtype)
        {
            long[] dims = dim ?? Array.Empty<long>();
            return Own(dtype is DType d
                ? withDtype(Handle, dims, dims.Length, Flag(keepDim), d)
                : op(Handle, dims, dims.Length, Flag(keepDim)));
        }

        private static (Tensor, Tensor) OwnPair(TensorHandle first, TensorHandle second)
        {
            Tensor a = Own(first);
            try
            {
                return (a, Own(second));
            }
            catch
            {
                a.Dispose();
                second.Dispose();
                throw;
            }
        }

        private static long[] Checked(long[] dim)
        {
            ArgumentNullException.ThrowIfNull(dim);
            return dim;
        }

        // ---- sum / mean / prod ---------------------------------------------------------------

        /// <summary>Sum of all elements as a 0-dim tensor (torch.sum); integer and bool inputs sum to int64 unless <paramref name="dtype"/> is given, in which case the input is converted to it first.</summary>
        public Tensor Sum(DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.Sum, this) is { } cast ? cast.Sum() :
            RecordReduction(OverDims(null, false, dtype, NativeMethods.Sum, NativeMethods.SumDtype), "SumBackward0", null, false, SumFormula);

        /// <summary>Sum over <paramref name="dim"/> (x.sum(dim=d, keepdim=k, dtype=t)).</summary>
        public Tensor Sum(long dim, bool keepDim = false, DType? dtype = null) => Sum(new[] { dim }, keepDim, dtype);

        /// <summary>Sum over <paramref name="dim"/>, as the <c>long</c> overload. (Without it a literal
        /// <c>Sum(0)</c> would bind to <c>Sum(DType?)</c>, since C# converts the constant 0 to any enum, and
        /// reduce every dim.)</summary>
        public Tensor Sum(int dim, bool keepDim = false, DType? dtype = null) => Sum((long)dim, keepDim, dtype);

        /// <summary>Sum over several dims (x.sum(dim=(d0, d1), keepdim=k, dtype=t)).</summary>
        public Tensor Sum(long[] dim, bool keepDim = false, DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.Sum, this) is { } cast ? cast.Sum(dim, keepDim) :
            RecordReduction(OverDims(Checked(dim), keepDim, dtype, NativeMethods.Sum, NativeMethods.SumDtype), "SumBackward1", dim, keepDim, SumFormula);

        /// <summary>Mean of all elements as a 0-dim tensor (torch.mean); floating inputs, or a floating <paramref name="dtype"/> to convert to first.</summary>
        public Tensor Mean(DType? dtype = null) =>
            RecordReduction(OverDims(null, false, dtype, NativeMethods.Mean, NativeMethods.MeanDtype), "MeanBackward0", null, false, MeanFormula);

        /// <summary>Mean over <paramref name="dim"/> (x.mean(dim=d, keepdim=k, dtype=t)).</summary>
        public Tensor Mean(long dim, bool keepDim = false, DType? dtype = null) => Mean(new[] { dim }, keepDim, dtype);

        /// <summary>Mean over <paramref name="dim"/>, as the <c>long</c> overload. (Without it a literal
        /// <c>Mean(0)</c> would bind to <c>Mean(DType?)</c>, since C# converts the constant 0 to any enum, and
        /// reduce every dim.)</summary>
        public Tensor Mean(int dim, bool keepDim = false, DType? dtype = null) => Mean((long)dim, keepDim, dtype);

        /// <summary>Mean over several dims (x.mean(dim=(d0, d1), keepdim=k, dtype=t)).</summary>
        public Tensor Mean(long[] dim, bool keepDim = false, DType? dtype = null) =>
            RecordReduction(OverDims(Checked(dim), keepDim, dtype, NativeMethods.Mean, NativeMethods.MeanDtype), "MeanBackward1", dim, keepDim, MeanFormula);

        /// <summary>Product of all elements (torch.prod); integer and bool inputs give int64 unless <paramref name="dtype"/> is given; an empty product is 1.</summary>
        public Tensor Prod(DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.Prod, this) is { } cast ? cast.Prod() :
            RecordReduction(OverDims(null, false, dtype, NativeMethods.Prod, NativeMethods.ProdDtype), "ProdBackward0", null, false, ProdFormula);

        /// <summary>Product over <paramref name="dim"/> (x.prod(dim=d, keepdim=k, dtype=t)).</summary>
        public Tensor Prod(long dim, bool keepDim = false, DType? dtype = null) => Prod(new[] { dim }, keepDim, dtype);

        /// <summary>Product over <paramref name="dim"/>, as the <c>long</c> overload. (Without it a literal
        /// <c>Prod(0)</c> would bind to <c>Prod(DType?)</c>, since C# converts the constant 0 to any enum, and
        /// reduce every dim.)</summary>
        public Tensor Prod(int dim, bool keepDim = false, DType? dtype = null) => Prod((long)dim, keepDim, dtype);

        /// <summary>Product over several dims.</summary>
        public Tensor Prod(long[] dim, bool keepDim = false, DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.Prod, this) is { } cast ? cast.Prod(dim, keepDim) :
            RecordReduction(OverDims(Checked(dim), keepDim, dtype, NativeMethods.Prod, NativeMethods.ProdDtype), "ProdBackward1", dim, keepDim, ProdFormula);

        // ---- extrema ---------------------------------------------------------------------------

        /// <summary>Largest element (torch.amax over every dim); NaN if any element is NaN; an empty tensor is an error.</summary>
        public Tensor Amax() => RecordReduction(OverDims(null, false, NativeMethods.Amax), "AmaxBackward0", null, false, ExtremeFormula);

        /// <summary>Largest values over <paramref name="dim"/> (torch.amax); NaN propagates.</summary>
        public Tensor Amax(long dim, bool keepDim = false) => Amax(new[] { dim }, keepDim);

        /// <summary>Largest values over several dims (torch.amax).</summary>
        public Tensor Amax(long[] dim, bool keepDim = false) =>
            RecordReduction(OverDims(Checked(dim), keepDim, NativeMethods.Amax), "AmaxBackward0", dim, keepDim, ExtremeFormula);

        /// <summary>Smallest element (torch.amin over every dim); NaN if any element is NaN; an empty tensor is an error.</summary>
        public Tensor Amin() => RecordReduction(OverDims(null, false, NativeMethods.Amin), "AminBackward0", null, false, ExtremeFormula);

        /// <summary>Smallest values over <paramref name="dim"/> (torch.amin); NaN propagates.</summary>
        public Tensor Amin(long dim, bool keepDim = false) => Amin(new[] { dim }, keepDim);

        /// <summary>Smallest values over several dims (torch.amin).</summary>
        public Tensor Amin(long[] dim, bool keepDim = false) =>
            RecordReduction(OverDims(Checked(dim), keepDim, NativeMethods.Amin), "AminBackward0", dim, keepDim, ExtremeFormula);

        /// <summary>Largest element as a 0-dim tensor (torch.max(x)); NaN if any element is NaN.</summary>
        public Tensor Max() => RecordReduction(Own(NativeMethods.Max(Handle)), "MaxBackward1", null, false, ExtremeFormula);

        /// <summary>Largest values along <paramref name="dim"/> and their int64 indices (torch.max(x, dim)): the first NaN wins, ties give the first index.</summary>
        public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
        {
            NativeMethods.MaxDim(Handle, dim, Flag(keepDim), out TensorHandle values, out TensorHandle indices);
            var (v, i) = OwnPair(values, indices);
            return (SelectedRecorded(v, i, "MaxBackward0", dim, keepDim), i);
        }

        /// <summary>Smallest element as a 0-dim tensor (torch.min(x)); NaN if any element is NaN.</summary>
        public Tensor Min() => RecordReduction(Own(NativeMethods.Min(Handle)), "MinBackward1", null, false, ExtremeFormula);

        /// <summary>Smallest values along <paramref name="dim"/> and their int64 indices (torch.min(x, dim)): the first NaN wins, ties give the first index.</summary>
        public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
        {
            NativeMethods.MinDim(Handle, dim, Flag(keepDim), out TensorHandle values, out TensorHandle indices);
            var (v, i) = OwnPair(values, indices);
            return (SelectedRecorded(v, i, "MinBackward0", dim, keepDim), i);
        }

        /// <summary>Index of the largest value along <paramref name="dim"/>, or into the flattened tensor when it is null (torch.argmax).</summary>
        public Tensor Argmax(long? dim = null, bool keepDim = false) =>
            Own(NativeMethods.Argmax(Handle, Flag(dim.HasValue), dim ?? 0, Flag(keepDim)));

        /// <summary>Index of the smallest value along <paramref name="dim"/>, or into the flattened tensor when it is null (torch.argmin).</summary>
        public Tensor Argmin(long? dim = null, bool keepDim = false) =>
            Own(NativeMethods.Argmin(Handle, Flag(dim.HasValue), dim ?? 0, Flag(keepDim)));

        // ---- moments ---------------------------------------------------------------------------

        /// <summary>Variance over <paramref name="dim"/> (every dim when null) with divisor n - <paramref name="correction"/> (torch.var).</summary>
        public Tensor Var(long[]? dim = null, double correction = 1, bool keepDim = false)
        {
            long[] dims = dim ?? Array.Empty<long>();
            return RecordReduction(Own(NativeMethods.Var(Handle, dims, dims.Length, correction, Flag(keepDim))), "VarBackward0", dims, keepDim,
                VarFormula(correction));
        }

        /// <summary>Variance over one dim (torch.var(x, dim)).</summary>
        public Tensor Var(long dim, double correction = 1, bool keepDim = false) => Var(new[] { dim }, correction, keepDim);

        /// <summary>Standard deviation over <paramref name="dim"/> (every dim when null) with divisor n - <paramref name="correction"/> (torch.std).</summary>
        public Tensor Std(long[]? dim = null, double correction = 1, bool keepDim = false)
        {
            long[] dims = dim ?? Array.Empty<long>();
            return RecordReduction(Own(NativeMethods.Std(Handle, dims, dims.Length, correction, Flag(keepDim))), "StdBackward0", dims, keepDim,
                StdFormula(correction));
        }

        /// <summary>Standard deviation over one dim (torch.std(x, dim)).</summary>
        public Tensor Std(long dim, double correction = 1, bool keepDim = false) => Std(new[] { dim }, correction, keepDim);

        /// <summary>Variance and mean in one pass (torch.var_mean).</summary>
        public (Tensor Var, Tensor Mean) VarMean(long[]? dim = null, double correction = 1, bool keepDim = false)
        {
            long[] dims = dim ?? Array.Empty<long>();
            NativeMethods.VarMean(Handle, dims, dims.Length, correction, Flag(keepDim), out TensorHandle v, out TensorHandle m);
            return MomentPairRecorded(OwnPair(v, m), "VarMeanBackward0", dims, keepDim, VarFormula(correction));
        }

        /// <summary>Variance and mean over one dim (torch.var_mean(x, dim)).</summary>
        public (Tensor Var, Tensor Mean) VarMean(long dim, double correction = 1, bool keepDim = false) =>
            VarMean(new[] { dim }, correction, keepDim);

        /// <summary>Standard deviation and mean in one pass (torch.std_mean).</summary>
        public (Tensor Std, Tensor Mean) StdMean(long[]? dim = null, double correction = 1, bool keepDim = false)
        {
            long[] dims = dim ?? Array.Empty<long>();
            NativeMethods.StdMean(Handle, dims, dims.Length, correction, Flag(keepDim), out TensorHandle s, out TensorHandle m);
            return MomentPairRecorded(OwnPair(s, m), "StdMeanBackward0", dims, keepDim, StdFormula(correction));
        }

        /// <summary>Standard deviation and mean over one dim (torch.std_mean(x, dim)).</summary>
        public (Tensor Std, Tensor Mean) StdMean(long dim, double correction = 1, bool keepDim = false) =>
            StdMean(new[] { dim }, correction, keepDim);

        // ---- norms and logsumexp ---------------------------------------------------------------

        /// <summary>
        /// Vector p-norm over <paramref name="dim"/> (every dim when null), torch.linalg.vector_norm:
        /// <paramref name="ord"/> 2, 1, <see cref="double.PositiveInfinity"/> (max |x|),
        /// <see cref="double.NegativeInfinity"/> (min |x|), 0 (number of non-zeros) or any p.
        /// </summary>
        public Tensor VectorNorm(double ord = 2, long[]? dim = null, bool keepDim = false)
        {
            if (AutocastRegion.Recast(AutocastOps.VectorNorm, this) is { } cast)
            {
                return cast.VectorNorm(ord, dim, keepDim);
            }
            long[] dims = dim ?? Array.Empty<long>();
            return RecordReduction(Own(NativeMethods.VectorNorm(Handle, ord, dims, dims.Length, Flag(keepDim))), "LinalgVectorNormBackward0", dims,
                keepDim, NormFormula(ord));
        }

        /// <summary>Vector p-norm over one dim.</summary>
        public Tensor VectorNorm(double ord, long dim, bool keepDim = false) => VectorNorm(ord, new[] { dim }, keepDim);

        /// <summary>The p-norm of torch.norm(x, p, dim) for a numeric p: the vector norm of <see cref="VectorNorm(double, long[], bool)"/>.</summary>
        public Tensor Norm(double p = 2, long[]? dim = null, bool keepDim = false) => VectorNorm(p, dim, keepDim);

        /// <summary>p-norm over one dim (torch.norm(x, p, dim)).</summary>
        public Tensor Norm(double p, long dim, bool keepDim = false) => VectorNorm(p, new[] { dim }, keepDim);

        /// <summary>log(sum(exp(x))) over <paramref name="dim"/> without overflow (torch.logsumexp); integer and bool inputs give float32.</summary>
        public Tensor LogSumExp(long dim, bool keepDim = false) => LogSumExp(new[] { dim }, keepDim);

        /// <summary>log(sum(exp(x))) over several dims (every dim for an empty list).</summary>
        public Tensor LogSumExp(long[] dim, bool keepDim = false) =>
            AutocastRegion.Recast(AutocastOps.LogSumExp, this)?.LogSumExp(dim, keepDim) ??
            RecordReduction(OverDims(Checked(dim), keepDim, NativeMethods.Logsumexp), "LogsumexpBackward0", dim, keepDim, LogSumExpFormula);

        // ---- logical reductions and counts -----------------------------------------------------

        /// <summary>Whether any element is non-zero (torch.any): bool, or uint8 for a uint8 input.</summary>
        public Tensor Any() => OverDims(null, false, NativeMethods.Any);

        /// <summary>Whether any element along <paramref name="dim"/> is non-zero.</summary>
        public Tensor Any(long dim, bool keepDim = false) => OverDims(new[] { dim }, keepDim, NativeMethods.Any);

        /// <summary>Whether any element over several dims is non-zero.</summary>
        public Tensor Any(long[] dim, bool keepDim = false) => OverDims(Checked(dim), keepDim, NativeMethods.Any);

        /// <summary>Whether every element is non-zero (torch.all): bool, or uint8 for a uint8 input; true when empty.</summary>
        public Tensor All() => OverDims(null, false, NativeMethods.All);

        /// <summary>Whether every element along <paramref name="dim"/> is non-zero.</summary>
        public Tensor All(long dim, bool keepDim = false) => OverDims(new[] { dim }, keepDim, NativeMethods.All);

        /// <summary>Whether every element over several dims is non-zero.</summary>
        public Tensor All(long[] dim, bool keepDim = false) => OverDims(Checked(dim), keepDim, NativeMethods.All);

        /// <summary>Number of non-zero elements over <paramref name="dim"/> (every dim when null) as int64 (torch.count_nonzero); NaN counts.</summary>
        public Tensor CountNonzero(long[]? dim = null)
        {
            long[] dims = dim ?? Array.Empty<long>();
            return Own(NativeMethods.CountNonzero(Handle, dims, dims.Length));
        }

        /// <summary>Number of non-zero elements along one dim.</summary>
        public Tensor CountNonzero(long dim) => CountNonzero(new[] { dim });

        // ---- scans -----------------------------------------------------------------------------

        /// <summary>Running sum along <paramref name="dim"/> (torch.cumsum); integer and bool inputs give int64 unless <paramref name="dtype"/> is given.</summary>
        public Tensor CumSum(long dim, DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.CumSum, this) is { } cast ? cast.CumSum(dim) :
            Recorder.Record(Own(dtype is DType d ? NativeMethods.CumsumDtype(Handle, dim, d) : NativeMethods.Cumsum(Handle, dim)),
                "CumsumBackward0", [this], null, ctx => [CumSumBackward(ctx.Grad, dim)]);

        /// <summary>Running product along <paramref name="dim"/> (torch.cumprod); integer and bool inputs give int64 unless <paramref name="dtype"/> is given.</summary>
        public Tensor CumProd(long dim, DType? dtype = null)
        {
            if (dtype is null && AutocastRegion.Recast(AutocastOps.CumProd, this) is { } cast)
            {
                return cast.CumProd(dim);
            }
            Tensor result = Own(dtype is DType d ? NativeMethods.CumprodDtype(Handle, dim, d) : NativeMethods.Cumprod(Handle, dim));
            return Recorder.Record(result, "CumprodBackward0", [this], [this, result], ctx => [CumProdBackward(ctx, dim)]);
        }
    }
}
