using System;
using System.Collections.Generic;

namespace Compute
{
    // Backward formulas shared by several ops, or too long to sit beside their op. Each is
    // written with differentiable tensor ops, so a backward with createGraph records them.
    public partial class Tensor
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

        // The gradient of every matrix product (matmul, mm, bmm, mv, dot and the product inside
        // addmm & co): grad @ b^T and a^T @ grad, with 1-D operands lifted to matrices and back;
        // broadcast batch dims are summed away by the engine. The operands are saved tensors
        // 0 and 1 and inputs first and first + 1; the product was scaled by scale.
        private static Tensor?[] ProductBackward(BackwardContext ctx, double scale = 1, int first = 0)
        {
            Tensor a = ctx.Saved(0), b = ctx.Saved(1), g = scale == 1 ? ctx.Grad : ctx.Grad * scale;
            bool needA = ctx.Needs(first), needB = ctx.Needs(first + 1);
            int da = a.Dim, db = b.Dim;
            if (da == 1 && db == 1)
            {
                return [needA ? g * b : null, needB ? g * a : null];
            }
            Tensor a2 = da == 1 ? a.Unsqueeze(0) : a;
            Tensor b2 = db == 1 ? b.Unsqueeze(-1) : b;
            Tensor g2 = da == 1 ? g.Unsqueeze(-2) : db == 1 ? g.Unsqueeze(-1) : g;
            Tensor? ga = null, gb = null;
            if (needA)
            {
                ga = g2.MatMul(b2.Transpose(-2, -1));
                if (da == 1)
                {
                    ga = ga.Squeeze(-2);
                }
            }
            if (needB)
            {
                gb = a2.Transpose(-2, -1).MatMul(g2);
                if (db == 1)
                {
                    gb = gb.Squeeze(-1);
                }
            }
            return [ga, gb];
        }

        private static Tensor?[] OuterBackward(BackwardContext ctx)
        {
            Tensor a = ctx.Saved(0), b = ctx.Saved(1), g = ctx.Grad;
            return [ctx.Needs(0) ? g.MatMul(b) : null, ctx.Needs(1) ? g.Transpose(0, 1).MatMul(a) : null];
        }

        // The gradient of a slice (start, step along dim) of a tensor shaped inputShape: the
        // slice's gradient spread back to its positions, zeros elsewhere. Built from cat, reshape
        // and narrow, which are recorded, so it is differentiable in turn.
        private static Tensor SliceBackward(Tensor g, long[] inputShape, int dim, long start, long step)
        {
            long n = g.Size(dim), size = inputShape[dim];
            Tensor spread = g;
            if (step > 1 && n > 0)
            {
                long[] fillShape = g.Shape;
                var withStep = new List<long>(fillShape);
                withStep.Insert(dim + 1, step - 1);
                Tensor fill = Zeros(withStep.ToArray(), g.DType);
                long[] flat = g.Shape;
                flat[dim] = n * step;
                spread = Cat(new[] { g.Unsqueeze(dim + 1), fill }, dim + 1).Reshape(flat);
                spread = spread.Narrow(dim, 0, Math.Min(n * step, size - start));
            }
            long after = size - start - spread.Size(dim);
            var parts = new List<Tensor>(3);
            if (start > 0)
            {
                parts.Add(ZerosAlong(g, dim, start));
            }
            parts.Add(spread);
            if (after > 0)
            {
                parts.Add(ZerosAlong(g, dim, after));
            }
            return parts.Count == 1 ? spread : Cat(parts, dim);
        }

        private static Tensor ZerosAlong(Tensor like, int dim, long length)
        {
            long[] shape = like.Shape;
            shape[dim] = length;
            return Zeros(shape, like.DType);
        }

        // cat's gradient: each input's part of the output gradient, found by its size along dim
        // (1-D empty inputs were skipped by cat and get none).
        private static Tensor?[] CatBackward(BackwardContext ctx, int count, int dim)
        {
            var grads = new Tensor?[count];
            long offset = 0;
            for (int i = 0; i < count; i++)
            {
                long[] shape = ctx.InputShape(i);
                if (shape.Length == 1 && shape[0] == 0 && ctx.Grad.Dim != 1)
                {
                    continue;
                }
                long length = shape[dim];
                if (ctx.Needs(i))
                {
                    grads[i] = ctx.Grad.Narrow(dim, offset, length);
                }
                offset += length;
            }
            return grads;
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
    }
}
