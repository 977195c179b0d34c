using System;
using System.Runtime.CompilerServices;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private delegate TensorHandle BinaryOp(TensorHandle a, TensorHandle b);

        private delegate void InPlaceOp(TensorHandle a, TensorHandle b);

        private static readonly NativeScalar One = NativeScalar.FromInt64(1);

        private static Tensor Binary(Tensor a, Tensor b, BinaryOp op)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            return Own(op(a.Handle, b.Handle));
        }

        // A C# number operand becomes a wrapped-number 0-dim tensor (cmp_scalar_tensor), so
        // type promotion treats it like a Python number: int32 tensor * 2.5 is float32.
        private static TensorHandle Wrapped(Scalar value, Tensor like) =>
            NativeMethods.ScalarTensor(value.Native, NativeDevice.From(like.Device));

        private static Tensor Binary(Tensor a, Scalar b, BinaryOp op)
        {
            ArgumentNullException.ThrowIfNull(a);
            using TensorHandle scalar = Wrapped(b, a);
            return Own(op(a.Handle, scalar));
        }

        private static Tensor Binary(Scalar a, Tensor b, BinaryOp op)
        {
            ArgumentNullException.ThrowIfNull(b);
            using TensorHandle scalar = Wrapped(a, b);
            return Own(op(scalar, b.Handle));
        }

        // An in-place binary op: the native kernel, or its out-of-place op recorded (see InPlace.cs).
        private Tensor InPlace(Tensor other, InPlaceOp op, Func<Tensor> outOfPlace, [CallerMemberName] string name = "")
        {
            ArgumentNullException.ThrowIfNull(other);
            return RecordInPlace(name, h => op(h, other.Handle), outOfPlace, other);
        }

        private Tensor InPlace(Scalar other, InPlaceOp op, Func<Tensor> outOfPlace, [CallerMemberName] string name = "") =>
            RecordInPlace(name, h =>
            {
                using TensorHandle scalar = Wrapped(other, this);
                op(h, scalar);
            }, outOfPlace);

        /// <summary>this + alpha * other, broadcasting (torch.add).</summary>
        public Tensor Add(Tensor other, Scalar? alpha = null)
        {
            // No delegate, closure or input array unless a node is recorded: on a tiny tensor
            // those allocations are a visible share of the op (bench/overhead).
            ArgumentNullException.ThrowIfNull(other);
            Tensor result = Own(NativeMethods.Add(Handle, other.Handle, alpha?.Native ?? One));
            return Recorder.Wanted(this, other) ? RecordAdd(result, other, alpha) : result;
        }

        private Tensor RecordAdd(Tensor result, Tensor other, Scalar? alpha) =>
            Recorder.Record(result, "AddBackward0", [this, other], null, ctx => [ctx.Grad, Scaled(ctx.Grad, alpha)]);

        /// <summary>this + alpha * other (torch.add with a number).</summary>
        public Tensor Add(Scalar other, Scalar? alpha = null) =>
            Recorder.Record(Binary(this, other, (a, b) => NativeMethods.Add(a, b, alpha?.Native ?? One)),
                "AddBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>this += alpha * other, in place (add_). Returns this tensor.</summary>
        public Tensor AddInPlace(Tensor other, Scalar? alpha = null) =>
            InPlace(other, (a, b) => NativeMethods.AddInPlace(a, b, alpha?.Native ?? One), () => Add(other, alpha));

        /// <summary>this += alpha * other, in place (add_). Returns this tensor.</summary>
        public Tensor AddInPlace(Scalar other, Scalar? alpha = null) =>
            InPlace(other, (a, b) => NativeMethods.AddInPlace(a, b, alpha?.Native ?? One), () => Add(other, alpha));

        /// <summary>this - alpha * other, broadcasting (torch.sub).</summary>
        public Tensor Sub(Tensor other, Scalar? alpha = null)
        {
            ArgumentNullException.ThrowIfNull(other);
            Tensor result = Own(NativeMethods.Sub(Handle, other.Handle, alpha?.Native ?? One));
            return Recorder.Wanted(this, other) ? RecordSub(result, other, alpha) : result;
        }

        private Tensor RecordSub(Tensor result, Tensor other, Scalar? alpha) =>
            Recorder.Record(result, "SubBackward0", [this, other], null,
                ctx => [ctx.Grad, ctx.Needs(1) ? -Scaled(ctx.Grad, alpha) : null]);

        /// <summary>this - alpha * other (torch.sub with a number).</summary>
        public Tensor Sub(Scalar other, Scalar? alpha = null) =>
            Recorder.Record(Binary(this, other, (a, b) => NativeMethods.Sub(a, b, alpha?.Native ?? One)),
                "SubBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>this -= alpha * other, in place (sub_). Returns this tensor.</summary>
        public Tensor SubInPlace(Tensor other, Scalar? alpha = null) =>
            InPlace(other, (a, b) => NativeMethods.SubInPlace(a, b, alpha?.Native ?? One), () => Sub(other, alpha));

        /// <summary>this -= alpha * other, in place (sub_). Returns this tensor.</summary>
        public Tensor SubInPlace(Scalar other, Scalar? alpha = null) =>
            InPlace(other, (a, b) => NativeMethods.SubInPlace(a, b, alpha?.Native ?? One), () => Sub(other, alpha));

        /// <summary>Elementwise product, broadcasting (torch.mul).</summary>
        public Tensor Mul(Tensor other)
        {
            Tensor result = Binary(this, other, NativeMethods.Mul);
            return Recorder.Wanted(this, other)
                ? Recorder.Record(result, "MulBackward0", [this, other], [this, other],
                    static ctx => [ctx.Needs(0) ? ctx.Grad * ctx.Saved(1) : null, ctx.Needs(1) ? ctx.Grad * ctx.Saved(0) : null])
                : result;
        }

        /// <summary>Product with a number (torch.mul).</summary>
        public Tensor Mul(Scalar other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Mul), "MulBackward0", [this], null, ctx => [ctx.Grad * other]);

        /// <summary>this *= other, in place (mul_). Returns this tensor.</summary>
        public Tensor MulInPlace(Tensor other) => InPlace(other, NativeMethods.MulInPlace, () => Mul(other));

        /// <summary>this *= other, in place (mul_). Returns this tensor.</summary>
        public Tensor MulInPlace(Scalar other) => InPlace(other, NativeMethods.MulInPlace, () => Mul(other));

        /// <summary>True division, broadcasting: integer inputs give a floating result (torch.div).</summary>
        public Tensor Div(Tensor other)
        {
            Tensor result = Binary(this, other, NativeMethods.Div);
            return Recorder.Wanted(this, other)
                ? Recorder.Record(result, "DivBackward0", [this, other], [this, other],
                    static ctx => [ctx.Needs(0) ? ctx.Grad / ctx.Saved(1) : null,
                        ctx.Needs(1) ? -ctx.Grad * ctx.Saved(0) / (ctx.Saved(1) * ctx.Saved(1)) : null])
                : result;
        }

        /// <summary>True division by a number (torch.div).</summary>
        public Tensor Div(Scalar other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Div), "DivBackward0", [this], null, ctx => [ctx.Grad / other]);

        /// <summary>this /= other, in place (div_). Returns this tensor.</summary>
        public Tensor DivInPlace(Tensor other) => InPlace(other, NativeMethods.DivInPlace, () => Div(other));

        /// <summary>this /= other, in place (div_). Returns this tensor.</summary>
        public Tensor DivInPlace(Scalar other) => InPlace(other, NativeMethods.DivInPlace, () => Div(other));

        /// <summary>-this (torch.neg); not defined for bool.</summary>
        public Tensor Neg() =>
            Recorder.Record(Own(NativeMethods.Neg(Handle)), "NegBackward0", [this], null, static ctx => [-ctx.Grad]);

        /// <summary>e to the power of each element (torch.exp); integer inputs give float32.</summary>
        public Tensor Exp()
        {
            if (AutocastRegion.Recast(AutocastOps.Exp, this) is { } cast)
            {
                return cast.Exp();
            }
            Tensor result = Own(NativeMethods.Exp(Handle));
            return Recorder.Record(result, "ExpBackward0", [this], [result], static ctx => [ctx.Grad * ctx.Saved(0)]);
        }

        /// <summary>this == other elementwise, as a bool tensor (torch.eq).</summary>
        public Tensor Eq(Tensor other) => Binary(this, other, NativeMethods.Eq);

        /// <summary>this == other elementwise, as a bool tensor (torch.eq).</summary>
        public Tensor Eq(Scalar other) => Binary(this, other, NativeMethods.Eq);

        /// <summary>this != other elementwise, as a bool tensor (torch.ne).</summary>
        public Tensor Ne(Tensor other) => Binary(this, other, NativeMethods.Ne);

        /// <summary>this != other elementwise, as a bool tensor (torch.ne).</summary>
        public Tensor Ne(Scalar other) => Binary(this, other, NativeMethods.Ne);

        /// <summary>this &lt; other elementwise, as a bool tensor (torch.lt).</summary>
        public Tensor Lt(Tensor other) => Binary(this, other, NativeMethods.Lt);

        /// <summary>this &lt; other elementwise, as a bool tensor (torch.lt).</summary>
        public Tensor Lt(Scalar other) => Binary(this, other, NativeMethods.Lt);

        /// <summary>this &lt;= other elementwise, as a bool tensor (torch.le).</summary>
        public Tensor Le(Tensor other) => Binary(this, other, NativeMethods.Le);

        /// <summary>this &lt;= other elementwise, as a bool tensor (torch.le).</summary>
        public Tensor Le(Scalar other) => Binary(this, other, NativeMethods.Le);

        /// <summary>this &gt; other elementwise, as a bool tensor (torch.gt).</summary>
        public Tensor Gt(Tensor other) => Binary(this, other, NativeMethods.Gt);

        /// <summary>this &gt; other elementwise, as a bool tensor (torch.gt).</summary>
        public Tensor Gt(Scalar other) => Binary(this, other, NativeMethods.Gt);

        /// <summary>this &gt;= other elementwise, as a bool tensor (torch.ge).</summary>
        public Tensor Ge(Tensor other) => Binary(this, other, NativeMethods.Ge);

        /// <summary>this &gt;= other elementwise, as a bool tensor (torch.ge).</summary>
        public Tensor Ge(Scalar other) => Binary(this, other, NativeMethods.Ge);

        /// <summary>Matrix product with PyTorch's matmul rules: 1-D, 2-D and broadcast batched inputs (the @ operator).</summary>
        public Tensor MatMul(Tensor other) =>
            AutocastRegion.Recast(AutocastOps.Matmul, this, other) is { } cast ? cast.A.MatMul(cast.B) :
            Recorder.Record(Binary(this, other, NativeMethods.Matmul), "MmBackward0", [this, other], [this, other],
                static ctx => ProductBackward(ctx));

        /// <summary>Matrix product of two tensors (torch.matmul).</summary>
        public static Tensor MatMul(Tensor a, Tensor b)
        {
            ArgumentNullException.ThrowIfNull(a);
            return a.MatMul(b);
        }
    }
}
