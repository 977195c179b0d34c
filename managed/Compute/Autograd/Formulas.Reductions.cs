using System;
using System.Linq;

namespace Compute
{
    // Backward formulas of reductions and scans. A reduction's formula gets `u`, which puts a
    // reduced tensor (the gradient, the result) back in the input's rank by re-inserting the
    // reduced dims as size 1 (when keepDim was false), so it broadcasts against the input.
    public partial class Tensor
    {
        private delegate Tensor? ReductionFormula(BackwardContext ctx, Func<Tensor, Tensor> u, long[] dims, long count);

        /// <summary>
        /// Records a reduction over <paramref name="dims"/> (null or empty: every dim) of this
        /// tensor. Saved tensor 0 is the input, 1 the result.
        /// </summary>
        private Tensor RecordReduction(Tensor result, string name, long[]? dims, bool keepDim, ReductionFormula formula)
        {
            if (!Recorder.Wanted(this))
            {
                return result;
            }
            int ndim = Dim;
            long[] reduced = dims is null || dims.Length == 0 ? AllDims(ndim) : NormalizedSorted(dims, ndim);
            long count = 1;
            foreach (long d in reduced)
            {
                count *= ndim == 0 ? 1 : ShapeCached[d];
            }
            bool reinsert = !keepDim && ndim > 0;
            Tensor U(Tensor t)
            {
                if (reinsert)
                {
                    foreach (long d in reduced)
                    {
                        t = t.Unsqueeze(d);
                    }
                }
                return t;
            }
            return Recorder.Record(result, name, [this], [this, result], ctx => [formula(ctx, U, reduced, count)]);
        }

        private static long[] AllDims(int ndim) => Enumerable.Range(0, ndim).Select(d => (long)d).ToArray();

        private static long[] NormalizedSorted(long[] dims, int ndim)
        {
            long[] result = dims.Select(d => (long)NormalizeDim(d, Math.Max(ndim, 1), "reduction")).ToArray();
            Array.Sort(result);
            return result;
        }

        private static readonly ReductionFormula SumFormula = (ctx, u, _, _) => u(ctx.Grad).Expand(ctx.InputShape(0));

        private static readonly ReductionFormula MeanFormula = (ctx, u, _, count) => u(ctx.Grad).Expand(ctx.InputShape(0)) / count;

        // amax/amin, and max/min over everything: the gradient is shared evenly by the elements
        // equal to the extreme (PyTorch's evenly distributed gradient).
        private static readonly ReductionFormula ExtremeFormula = (ctx, u, dims, _) =>
        {
            Tensor x = ctx.Saved(0);
            Tensor hits = x.Eq(u(ctx.Saved(1))).To(x.DType);
            return u(ctx.Grad) * hits / hits.Sum(dims, keepDim: true);
        };

        // prod: each element's gradient is the product of the others, taken as exclusive
        // running products from both ends (no division, so zeros are handled exactly).
        private static readonly ReductionFormula ProdFormula = (ctx, u, dims, _) =>
        {
            Tensor x = ctx.Saved(0);
            if (x.Dim == 0)
            {
                return ctx.Grad.Clone();
            }
            long[] rest = AllDims(x.Dim).Where(d => !dims.Contains(d)).ToArray();
            long[] order = rest.Concat(dims).ToArray();
            Tensor moved = x.Permute(order);
            long[] movedShape = moved.Shape;
            long[] flat = movedShape.Take(rest.Length).Append(-1L).ToArray();
            Tensor others = ProductOfOthers(moved.Reshape(flat), -1).Reshape(movedShape).Permute(InversePermutation(order));
            return u(ctx.Grad) * others;
        };

        private static Tensor ProductOfOthers(Tensor x, long dim)
        {
            long n = x.Size((int)dim);
            if (n <= 1)
            {
                return OnesLike(x);
            }
            Tensor ones = OnesLike(x.Narrow(dim, 0, 1));
            Tensor before = Cat([ones, x.Narrow(dim, 0, n - 1)], dim).CumProd(dim);
            Tensor after = Cat([ones, x.Flip(dim).Narrow(dim, 0, n - 1)], dim).CumProd(dim).Flip(dim);
            return before * after;
        }

        private static ReductionFormula VarFormula(double correction) => (ctx, u, dims, count) =>
        {
            Tensor x = ctx.Saved(0);
            return u(ctx.Grad) * 2 * (x - x.Mean(dims, keepDim: true)) / (count - correction);
        };

        private static ReductionFormula StdFormula(double correction) => (ctx, u, dims, count) =>
        {
            Tensor x = ctx.Saved(0);
            return u(ctx.Grad / ctx.Saved(1)) * (x - x.Mean(dims, keepDim: true)) / (count - correction);
        };

        private static ReductionFormula NormFormula(double ord) => (ctx, u, dims, _) =>
        {
            Tensor x = ctx.Saved(0), norm = ctx.Saved(1), g = ctx.Grad;
            if (ord == 0)
            {
                return ZerosLike(x);
            }
            if (ord == 1)
            {
                return u(g) * x.Sign();
            }
            if (double.IsInfinity(ord))
            {
                Tensor hits = x.Abs().Eq(u(norm)).To(x.DType);
                return u(g) * x.Sign() * hits / hits.Sum(dims, keepDim: true);
            }
            // d|x|_p / dx = x |x|^(p-2) / |x|_p^(p-1); a zero norm gives a zero gradient, as in PyTorch.
            Tensor scale = ord == 2 ? g / norm : g / norm.Pow(ord - 1);
            scale = scale.MaskedFill(norm.Eq(0), 0);
            Tensor direction = ord == 2 ? x : x * x.Abs().Pow(ord - 2);
            return direction * u(scale);
        };

        private static readonly ReductionFormula LogSumExpFormula = (ctx, u, _, _) =>
            u(ctx.Grad) * (ctx.Saved(0) - u(ctx.Saved(1))).Exp();

        // max/min along a dim: the gradient goes to the index the op picked.
        private Tensor SelectedRecorded(Tensor values, Tensor indices, string name, long dim, bool keepDim)
        {
            if (!Recorder.Wanted(this))
            {
                return values;
            }
            int d = NormalizeDim(dim, Math.Max(Dim, 1), name);
            bool reinsert = !keepDim && Dim > 0;
            return Recorder.Record(values, name, [this], [indices], ctx =>
            {
                Tensor g = reinsert ? ctx.Grad.Unsqueeze(d) : ctx.Grad;
                Tensor index = reinsert ? ctx.Saved(0).Unsqueeze(d) : ctx.Saved(0);
                return [ZerosLike(g, ctx.InputShape(0)).Scatter(d, index, g)];
            });
        }

        // var_mean / std_mean: two outputs, each with its gradient (either may be missing).
        private (Tensor, Tensor) MomentPairRecorded((Tensor First, Tensor Mean) pair, string name, long[] dims, bool keepDim,
            ReductionFormula first)
        {
            if (!Recorder.Wanted(this))
            {
                return pair;
            }
            int ndim = Dim;
            long[] reduced = dims.Length == 0 ? AllDims(ndim) : NormalizedSorted(dims, ndim);
            long count = reduced.Aggregate(1L, (c, d) => c * (ndim == 0 ? 1 : ShapeCached[d]));
            bool reinsert = !keepDim && ndim > 0;
            Tensor U(Tensor t)
            {
                if (reinsert)
                {
                    foreach (long d in reduced)
                    {
                        t = t.Unsqueeze(d);
                    }
                }
                return t;
            }
            Recorder.RecordMany([pair.First, pair.Mean], name, [this], [this, pair.First], ctx =>
            {
                Tensor? total = ctx.HasGrad(0) ? first(ctx, U, reduced, count) : null;
                if (ctx.HasGrad(1))
                {
                    Tensor meanPart = U(ctx.GradAt(1)).Expand(ctx.InputShape(0)) / count;
                    total = total is null ? meanPart : total + meanPart;
                }
                return [total];
            });
            return pair;
        }

        // cumsum: each input element reaches every later output, so its gradient is the
        // reversed running sum of the output gradient.
        private static Tensor CumSumBackward(Tensor g, long dim) => g.Flip(dim).CumSum(dim).Flip(dim);

        // cumprod: without zeros, (reversed running sum of grad * y) / x. With zeros, the exact
        // sum over j >= k of g_j * prod_{i <= j, i != k} x_i, built as an n x n table per row.
        private static Tensor CumProdBackward(BackwardContext ctx, long dim)
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1), g = ctx.Grad;
            if (x.NumberOfElements == 0)
            {
                return ZerosLike(x);
            }
            bool hasZero;
            using (Autograd.NoGrad())
            {
                // Item reads host memory: a CUDA flag comes over first.
                hasZero = x.Eq(0).Any().To(Device.Cpu).Item<bool>();
            }
            if (!hasZero)
            {
                return CumSumBackward(g * y, dim) / x;
            }
            Tensor xl = x.Transpose(dim, -1), gl = g.Transpose(dim, -1);
            long n = xl.Size(-1);
            Tensor eye = Eye(n, n, x.DType, x.Device);
            long[] square = xl.Shape.Append(n).ToArray();
            square[^2] = n;
            Tensor table = xl.Unsqueeze(-2).Expand(square) * (1 - eye) + eye;   // row k: x with x_k replaced by 1
            Tensor partial = table.CumProd(-1) * Ones(new[] { n, n }, x.DType, x.Device).Triu();   // [k, j], kept for j >= k
            return (partial * gl.Unsqueeze(-2)).Sum(-1).Transpose(dim, -1);
        }
    }
}
