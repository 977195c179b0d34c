using System;
using System.Text;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>Matrix product of this n x k matrix and a k x m matrix of the same dtype (x.mm(other)).</summary>
        public Tensor Mm(Tensor other) =>
            AutocastRegion.Recast(AutocastOps.Mm, this, other) is { } cast ? cast.A.Mm(cast.B) :
            Recorder.Record(Binary(this, other, NativeMethods.Mm), "MmBackward0", [this, other], [this, other], static ctx => ProductBackward(ctx, 1));

        /// <summary>Matrix product of two 2-D tensors of one dtype (torch.mm).</summary>
        public static Tensor Mm(Tensor a, Tensor b) => NotNull(a).Mm(b);

        /// <summary>Batched matrix product of this [B, n, k] tensor and a [B, k, m] tensor (x.bmm(other)).</summary>
        public Tensor Bmm(Tensor other) =>
            AutocastRegion.Recast(AutocastOps.Bmm, this, other) is { } cast ? cast.A.Bmm(cast.B) :
            Recorder.Record(Binary(this, other, NativeMethods.Bmm), "BmmBackward0", [this, other], [this, other], static ctx => ProductBackward(ctx, 1));

        /// <summary>Batched matrix product of [B, n, k] and [B, k, m] tensors of one dtype; no broadcasting (torch.bmm).</summary>
        public static Tensor Bmm(Tensor a, Tensor b) => NotNull(a).Bmm(b);

        /// <summary>Product of this n x k matrix and a k-vector (x.mv(vec)).</summary>
        public Tensor Mv(Tensor vec) =>
            AutocastRegion.Recast(AutocastOps.Mv, this, vec) is { } cast ? cast.A.Mv(cast.B) :
            Recorder.Record(Binary(this, vec, NativeMethods.Mv), "MvBackward0", [this, vec], [this, vec], static ctx => ProductBackward(ctx, 1));

        /// <summary>Product of an n x k matrix and a k-vector (torch.mv).</summary>
        public static Tensor Mv(Tensor mat, Tensor vec) => NotNull(mat).Mv(vec);

        /// <summary>Dot product with another 1-D tensor of the same size and dtype, as a 0-dim tensor (x.dot(other)).</summary>
        public Tensor Dot(Tensor other) =>
            AutocastRegion.Recast(AutocastOps.Dot, this, other) is { } cast ? cast.A.Dot(cast.B) :
            Recorder.Record(Binary(this, other, NativeMethods.Dot), "DotBackward0", [this, other], [this, other], static ctx => ProductBackward(ctx, 1));

        /// <summary>Dot product of two 1-D tensors of the same size and dtype (torch.dot).</summary>
        public static Tensor Dot(Tensor a, Tensor b) => NotNull(a).Dot(b);

        /// <summary>Outer product with another 1-D tensor; dtypes promote (x.outer(other)).</summary>
        public Tensor Outer(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Outer), "OuterBackward0", [this, other], [this, other], static ctx => OuterBackward(ctx));

        /// <summary>Outer product of two 1-D tensors; dtypes promote (torch.outer).</summary>
        public static Tensor Outer(Tensor a, Tensor b) => NotNull(a).Outer(b);

        /// <summary>
        /// beta * input + alpha * (mat1 @ mat2) (torch.addmm). input broadcasts to the product's shape;
        /// with beta 0 it is ignored, NaNs included.
        /// </summary>
        public static Tensor Addmm(Tensor input, Tensor mat1, Tensor mat2, Scalar? beta = null, Scalar? alpha = null) =>
            AddProduct(AutocastOps.Addmm, input, mat1, mat2, beta, alpha, NativeMethods.Addmm, "AddmmBackward0");

        /// <summary>beta * input + alpha * (batch1 @ batch2) for [B, n, k] and [B, k, m] batches (torch.baddbmm).</summary>
        public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, Scalar? beta = null, Scalar? alpha = null) =>
            AddProduct(AutocastOps.Baddbmm, input, batch1, batch2, beta, alpha, NativeMethods.Baddbmm, "BaddbmmBackward0");

        /// <summary>beta * input + alpha * (mat @ vec) (torch.addmv).</summary>
        public static Tensor Addmv(Tensor input, Tensor mat, Tensor vec, Scalar? beta = null, Scalar? alpha = null) =>
            AddProduct(AutocastOps.Addmv, input, mat, vec, beta, alpha, NativeMethods.Addmv, "AddmvBackward0");

        /// <summary>
        /// Einstein summation (torch.einsum), e.g. <c>Tensor.Einsum("bij,bjk->bik", a, b)</c>: subscripts in
        /// [a-zA-Z], "..." for broadcast dims, a subscript repeated in one operand takes its diagonal, subscripts
        /// missing from the output are summed; without "->" the output holds the subscripts seen once, sorted.
        /// </summary>
        public static Tensor Einsum(string equation, params Tensor[] operands)
        {
            ArgumentNullException.ThrowIfNull(equation);
            ArgumentNullException.ThrowIfNull(operands);
            using AutocastRegion amp = AutocastRegion.Enter(AutocastOps.Einsum, ref operands);
            byte[] text = Encoding.UTF8.GetBytes(equation + "\0");
            Tensor result = WithHandles(operands, "einsum", raw => NativeMethods.Einsum(text, raw, raw.Length));
            int count = operands.Length;
            return Recorder.Record(result, "EinsumBackward0", operands, operands, ctx => EinsumBackward(ctx, equation, count));
        }

        private delegate TensorHandle AddProductOp(TensorHandle input, TensorHandle a, TensorHandle b, NativeScalar beta, NativeScalar alpha);

        private static Tensor AddProduct(AutocastOp autocast, Tensor input, Tensor a, Tensor b, Scalar? beta, Scalar? alpha,
                                         AddProductOp op, string name)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            Tensor? first = a, second = b;
            using AutocastRegion amp = AutocastRegion.Enter(autocast, ref input, ref first, ref second);
            (a, b) = (first!, second!);
            Tensor result = Own(op(input.Handle, a.Handle, b.Handle, beta?.Native ?? One, alpha?.Native ?? One));
            double scaleInput = beta?.ToDouble() ?? 1, scaleProduct = alpha?.ToDouble() ?? 1;
            return Recorder.Record(result, name, [input, a, b], [a, b], ctx =>
            {
                Tensor?[] product = ProductBackward(ctx, scaleProduct, first: 1);
                return [ctx.Needs(0) ? ctx.Grad * scaleInput : null, product[0], product[1]];
            });
        }
    }
}
