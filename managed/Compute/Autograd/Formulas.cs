using System;

namespace Compute
{
    // Backward formulas shared by several ops, or too long to sit beside their op. Each is
    // written with differentiable tensor ops, so a backward with createGraph records them.
    public sealed partial class Tensor
    {
        private static Tensor Scaled(Tensor grad, Scalar? alpha) => alpha is Scalar a ? grad * a : grad;

        private static Tensor PowScalarBackward(BackwardContext ctx, Scalar exponent)
        {
            if (exponent.ToDouble() == 0)
            {
                return ZerosLike(ctx.Grad);
            }
            Tensor x = ctx.Saved(0);
            return ctx.Grad * exponent * x.Pow(exponent.IsFloatingPoint ? (Scalar)(exponent.ToDouble() - 1) : (Scalar)(exponent.ToInt64() - 1));
        }

        // matmul's gradient: grad @ b^T and a^T @ grad, with 1-D operands lifted to matrices
        // and back; broadcast batch dims are summed away by the engine.
        private static Tensor?[] MatMulBackward(BackwardContext ctx)
        {
            Tensor a = ctx.Saved(0), b = ctx.Saved(1), g = ctx.Grad;
            int da = a.Dim, db = b.Dim;
            if (da == 1 && db == 1)
            {
                return [ctx.Needs(0) ? g * b : null, ctx.Needs(1) ? g * a : null];
            }
            Tensor a2 = da == 1 ? a.Unsqueeze(0) : a;
            Tensor b2 = db == 1 ? b.Unsqueeze(-1) : b;
            Tensor g2 = da == 1 ? g.Unsqueeze(-2) : db == 1 ? g.Unsqueeze(-1) : g;
            Tensor? ga = null, gb = null;
            if (ctx.Needs(0))
            {
                ga = g2.MatMul(b2.Transpose(-2, -1));
                if (da == 1)
                {
                    ga = ga.Squeeze(-2);
                }
            }
            if (ctx.Needs(1))
            {
                gb = a2.Transpose(-2, -1).MatMul(g2);
                if (db == 1)
                {
                    gb = gb.Squeeze(-1);
                }
            }
            return [ga, gb];
        }

        private static long[] InversePermutation(long[] dims)
        {
            var inverse = new long[dims.Length];
            for (int i = 0; i < dims.Length; i++)
            {
                long d = dims[i] < 0 ? dims[i] + dims.Length : dims[i];
                inverse[d] = i;
            }
            return inverse;
        }

        // sum and mean: the gradient broadcasts back over the reduced dims (re-inserted first
        // when keepDim was false); mean divides by the number of elements each output averaged.
        private Tensor ReductionRecorded(Tensor result, string name, long[]? dims, bool keepDim, bool mean)
        {
            if (!Recorder.Wanted(this))
            {
                return result;
            }
            long count = NumberOfElements / Math.Max(1, result.NumberOfElements);
            long[] reduced = dims is null || dims.Length == 0 ? AllDims(Dim) : NormalizedSorted(dims, Dim);
            bool reinsert = !keepDim && Dim > 0;
            return Recorder.Record(result, name, [this], null, ctx =>
            {
                Tensor g = ctx.Grad;
                if (reinsert)
                {
                    foreach (long d in reduced)
                    {
                        g = g.Unsqueeze(d);
                    }
                }
                g = g.Expand(ctx.InputShape(0));
                return [mean ? g / count : g];
            });
        }

        private static long[] AllDims(int ndim)
        {
            var all = new long[ndim];
            for (int i = 0; i < ndim; i++)
            {
                all[i] = i;
            }
            return all;
        }

        private static long[] NormalizedSorted(long[] dims, int ndim)
        {
            var result = new long[dims.Length];
            for (int i = 0; i < dims.Length; i++)
            {
                result[i] = NormalizeDim(dims[i], Math.Max(ndim, 1), "Sum");
            }
            Array.Sort(result);
            return result;
        }

        /// <summary>
        /// In-place ops are not recorded yet: rather than give wrong gradients, they refuse to
        /// touch a tensor autograd tracks while grad mode is on (PyTorch refuses it for leaves).
        /// </summary>
        private void CheckInPlace(Tensor? other)
        {
            if (GradMode.IsEnabled && (RequiresGrad || (other?.RequiresGrad ?? false)))
            {
                throw new InvalidOperationException(IsLeaf && RequiresGrad
                    ? "In-place op: a leaf tensor that requires grad cannot be changed in place while grad mode is on; " +
                      "wrap the update in Autograd.NoGrad() (as optimizers do)."
                    : "In-place op: Compute does not yet record in-place ops on tensors that take part in autograd; " +
                      "use the out-of-place op (for example Add instead of AddInPlace), or Detach() first.");
            }
        }
    }
}
