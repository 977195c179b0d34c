using System;
using Compute.Native;

namespace Compute
{
    // Pointwise binary and ternary math (the pointwise-binary family): one method per PyTorch op
    // by the naming map (torch.remainder -> Remainder, x.remainder_(y) -> RemainderInPlace),
    // number operands as wrapped numbers (they promote like Python numbers), and the operators
    // % & | ^ << >> (a shift's left operand must be the tensor: C# requires it).
    public partial class Tensor
    {
        /// <summary>floor(this / other) (torch.floor_divide): integers stay integers; integer division by zero throws.</summary>
        public Tensor FloorDivide(Tensor other) =>
            RecordNotDifferentiable(Binary(this, other, NativeMethods.FloorDivide), "FloorDivideBackward0", [this, other], FloorDivideHasNoGradient);

        /// <summary>floor(this / a number) (torch.floor_divide): integers stay integers; integer division by zero throws.</summary>
        public Tensor FloorDivide(Scalar other) =>
            RecordNotDifferentiable(Binary(this, other, NativeMethods.FloorDivide), "FloorDivideBackward0", [this], FloorDivideHasNoGradient);

        // PyTorch defines no derivative for floor_divide (it does for div with rounding_mode).
        private const string FloorDivideHasNoGradient = "PyTorch defines none for floor_divide; Div(other, \"floor\") has a zero gradient";

        /// <summary>In-place FloorDivide (floor_divide_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor FloorDivideInPlace(Tensor other) => InPlace(other, NativeMethods.FloorDivideInPlace, () => FloorDivide(other));

        /// <summary>In-place FloorDivide (floor_divide_) with a number. Returns this tensor.</summary>
        public Tensor FloorDivideInPlace(Scalar other) => InPlace(other, NativeMethods.FloorDivideInPlace, () => FloorDivide(other));

        /// <summary>Remainder with the sign of the divisor, like Python's % (torch.remainder).</summary>
        public Tensor Remainder(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Remainder), "RemainderBackward1", [this, other], [this, other],
                static ctx => RemainderBackward(ctx, "floor"));

        /// <summary>Remainder with the sign of the divisor, like Python's % (torch.remainder).</summary>
        public Tensor Remainder(Scalar other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Remainder), "RemainderBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>In-place Remainder (remainder_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor RemainderInPlace(Tensor other) => InPlace(other, NativeMethods.RemainderInPlace, () => Remainder(other));

        /// <summary>In-place Remainder (remainder_) with a number. Returns this tensor.</summary>
        public Tensor RemainderInPlace(Scalar other) => InPlace(other, NativeMethods.RemainderInPlace, () => Remainder(other));

        /// <summary>Remainder with the sign of the dividend, like C's fmod (torch.fmod).</summary>
        public Tensor Fmod(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Fmod), "FmodBackward1", [this, other], [this, other],
                static ctx => RemainderBackward(ctx, "trunc"));

        /// <summary>Remainder with the sign of the dividend, like C's fmod (torch.fmod).</summary>
        public Tensor Fmod(Scalar other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Fmod), "FmodBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>In-place Fmod (fmod_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor FmodInPlace(Tensor other) => InPlace(other, NativeMethods.FmodInPlace, () => Fmod(other));

        /// <summary>In-place Fmod (fmod_) with a number. Returns this tensor.</summary>
        public Tensor FmodInPlace(Scalar other) => InPlace(other, NativeMethods.FmodInPlace, () => Fmod(other));

        /// <summary>this to the power other (torch.pow); integers to a negative number power throw.</summary>
        public Tensor Pow(Tensor other)
        {
            if (AutocastRegion.Recast(AutocastOps.Pow, this, other) is { } cast)
            {
                return cast.A.Pow(cast.B);
            }
            Tensor result = Binary(this, other, NativeMethods.Pow);
            return Recorder.Record(result, "PowBackward1", [this, other], [this, other, result], static ctx => PowTensorBackward(ctx));
        }

        /// <summary>this to the power a number (torch.pow); integers to a negative number power throw.</summary>
        public Tensor Pow(Scalar other) =>
            AutocastRegion.Recast(AutocastOps.Pow, this)?.Pow(other) ??
            Recorder.Record(Binary(this, other, NativeMethods.Pow), "PowBackward0", [this], [this], ctx => [PowScalarBackward(ctx, other)]);

        /// <summary>In-place Pow (pow_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor PowInPlace(Tensor other) => InPlace(other, NativeMethods.PowInPlace, () => Pow(other));

        /// <summary>In-place Pow (pow_) with a number. Returns this tensor.</summary>
        public Tensor PowInPlace(Scalar other) => InPlace(other, NativeMethods.PowInPlace, () => Pow(other));

        /// <summary>atan(this / other) in the quadrant of (other, this) (torch.atan2); integers give float32.</summary>
        public Tensor Atan2(Tensor other) =>
            AutocastRegion.Recast(AutocastOps.Atan2, this, other) is { } cast ? cast.A.Atan2(cast.B) :
            Recorder.Record(Binary(this, other, NativeMethods.Atan2), "Atan2Backward0", [this, other], [this, other],
                static ctx => Atan2Backward(ctx.Grad, ctx.Saved(0), ctx.Saved(1), ctx.Needs(0), ctx.Needs(1)));

        /// <summary>atan(this / a number) in the quadrant of (a number, this) (torch.atan2); integers give float32.</summary>
        public Tensor Atan2(Scalar other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Atan2), "Atan2Backward0", [this], [this],
                ctx => [ctx.Grad * other * (ctx.Saved(0) * ctx.Saved(0) + other.ToDouble() * other.ToDouble()).Reciprocal()]);

        /// <summary>In-place Atan2 (atan2_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor Atan2InPlace(Tensor other) => InPlace(other, NativeMethods.Atan2InPlace, () => Atan2(other));

        /// <summary>In-place Atan2 (atan2_) with a number. Returns this tensor.</summary>
        public Tensor Atan2InPlace(Scalar other) => InPlace(other, NativeMethods.Atan2InPlace, () => Atan2(other));

        /// <summary>sqrt(this^2 + other^2) without undue overflow (torch.hypot); floating dtypes only.</summary>
        public Tensor Hypot(Tensor other)
        {
            Tensor result = Binary(this, other, NativeMethods.Hypot);
            return Recorder.Record(result, "HypotBackward0", [this, other], [this, other, result], static ctx =>
                [ctx.Needs(0) ? ctx.Grad * ctx.Saved(0) / ctx.Saved(2) : null, ctx.Needs(1) ? ctx.Grad * ctx.Saved(1) / ctx.Saved(2) : null]);
        }

        /// <summary>sqrt(this^2 + a number^2) without undue overflow (torch.hypot); floating dtypes only.</summary>
        public Tensor Hypot(Scalar other)
        {
            Tensor result = Binary(this, other, NativeMethods.Hypot);
            return Recorder.Record(result, "HypotBackward0", [this], [this, result], static ctx => [ctx.Grad * ctx.Saved(0) / ctx.Saved(1)]);
        }

        /// <summary>In-place Hypot (hypot_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor HypotInPlace(Tensor other) => InPlace(other, NativeMethods.HypotInPlace, () => Hypot(other));

        /// <summary>In-place Hypot (hypot_) with a number. Returns this tensor.</summary>
        public Tensor HypotInPlace(Scalar other) => InPlace(other, NativeMethods.HypotInPlace, () => Hypot(other));

        /// <summary>Elementwise maximum, NaN when either is NaN (torch.maximum).</summary>
        public Tensor Maximum(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Maximum), "MaximumBackward0", [this, other], [this, other],
                static ctx => MaxMinBackward(ctx, isMax: true));

        /// <summary>Elementwise minimum, NaN when either is NaN (torch.minimum).</summary>
        public Tensor Minimum(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Minimum), "MinimumBackward0", [this, other], [this, other],
                static ctx => MaxMinBackward(ctx, isMax: false));

        /// <summary>Elementwise maximum ignoring NaN: NaN only when both are (torch.fmax).</summary>
        public Tensor Fmax(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Fmax), "FmaxBackward0", [this, other], [this, other],
                static ctx => FmaxFminBackward(ctx, isMax: true));

        /// <summary>Elementwise minimum ignoring NaN: NaN only when both are (torch.fmin).</summary>
        public Tensor Fmin(Tensor other) =>
            Recorder.Record(Binary(this, other, NativeMethods.Fmin), "FminBackward0", [this, other], [this, other],
                static ctx => FmaxFminBackward(ctx, isMax: false));

        /// <summary>|this| with the sign of other (torch.copysign); integers give float32.</summary>
        public Tensor Copysign(Tensor other)
        {
            Tensor result = Binary(this, other, NativeMethods.Copysign);
            // The sign taken from other is piecewise constant: other's gradient is zero.
            return Recorder.Record(result, "CopysignBackward0", [this, other], [this, result], static ctx =>
                [ctx.Needs(0) ? CopysignBackward(ctx.Grad, ctx.Saved(0), ctx.Saved(1)) : null,
                    ctx.Needs(1) ? Zeros(ctx.InputShape(1), ctx.InputDType(1)) : null]);
        }

        /// <summary>|this| with the sign of a number (torch.copysign); integers give float32.</summary>
        public Tensor Copysign(Scalar other)
        {
            Tensor result = Binary(this, other, NativeMethods.Copysign);
            return Recorder.Record(result, "CopysignBackward1", [this], [this, result],
                static ctx => [CopysignBackward(ctx.Grad, ctx.Saved(0), ctx.Saved(1))]);
        }

        /// <summary>In-place Copysign (copysign_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor CopysignInPlace(Tensor other) => InPlace(other, NativeMethods.CopysignInPlace, () => Copysign(other));

        /// <summary>In-place Copysign (copysign_) with a number. Returns this tensor.</summary>
        public Tensor CopysignInPlace(Scalar other) => InPlace(other, NativeMethods.CopysignInPlace, () => Copysign(other));

        /// <summary>Bitwise AND (torch.bitwise_and); integer and bool dtypes.</summary>
        public Tensor BitwiseAnd(Tensor other) => Binary(this, other, NativeMethods.BitwiseAnd);

        /// <summary>Bitwise AND (torch.bitwise_and); integer and bool dtypes.</summary>
        public Tensor BitwiseAnd(Scalar other) => Binary(this, other, NativeMethods.BitwiseAnd);

        /// <summary>In-place BitwiseAnd (bitwise_and_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseAndInPlace(Tensor other) => InPlace(other, NativeMethods.BitwiseAndInPlace, () => BitwiseAnd(other));

        /// <summary>In-place BitwiseAnd (bitwise_and_) with a number. Returns this tensor.</summary>
        public Tensor BitwiseAndInPlace(Scalar other) => InPlace(other, NativeMethods.BitwiseAndInPlace, () => BitwiseAnd(other));

        /// <summary>Bitwise OR (torch.bitwise_or); integer and bool dtypes.</summary>
        public Tensor BitwiseOr(Tensor other) => Binary(this, other, NativeMethods.BitwiseOr);

        /// <summary>Bitwise OR (torch.bitwise_or); integer and bool dtypes.</summary>
        public Tensor BitwiseOr(Scalar other) => Binary(this, other, NativeMethods.BitwiseOr);

        /// <summary>In-place BitwiseOr (bitwise_or_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseOrInPlace(Tensor other) => InPlace(other, NativeMethods.BitwiseOrInPlace, () => BitwiseOr(other));

        /// <summary>In-place BitwiseOr (bitwise_or_) with a number. Returns this tensor.</summary>
        public Tensor BitwiseOrInPlace(Scalar other) => InPlace(other, NativeMethods.BitwiseOrInPlace, () => BitwiseOr(other));

        /// <summary>Bitwise XOR (torch.bitwise_xor); integer and bool dtypes.</summary>
        public Tensor BitwiseXor(Tensor other) => Binary(this, other, NativeMethods.BitwiseXor);

        /// <summary>Bitwise XOR (torch.bitwise_xor); integer and bool dtypes.</summary>
        public Tensor BitwiseXor(Scalar other) => Binary(this, other, NativeMethods.BitwiseXor);

        /// <summary>In-place BitwiseXor (bitwise_xor_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseXorInPlace(Tensor other) => InPlace(other, NativeMethods.BitwiseXorInPlace, () => BitwiseXor(other));

        /// <summary>In-place BitwiseXor (bitwise_xor_) with a number. Returns this tensor.</summary>
        public Tensor BitwiseXorInPlace(Scalar other) => InPlace(other, NativeMethods.BitwiseXorInPlace, () => BitwiseXor(other));

        /// <summary>this shifted left by other bits (torch.bitwise_left_shift); shifts outside [0, width) give 0.</summary>
        public Tensor BitwiseLeftShift(Tensor other) => Binary(this, other, NativeMethods.BitwiseLeftShift);

        /// <summary>this shifted left by a number bits (torch.bitwise_left_shift); shifts outside [0, width) give 0.</summary>
        public Tensor BitwiseLeftShift(Scalar other) => Binary(this, other, NativeMethods.BitwiseLeftShift);

        /// <summary>In-place BitwiseLeftShift (bitwise_left_shift_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseLeftShiftInPlace(Tensor other) => InPlace(other, NativeMethods.BitwiseLeftShiftInPlace, () => BitwiseLeftShift(other));

        /// <summary>In-place BitwiseLeftShift (bitwise_left_shift_) with a number. Returns this tensor.</summary>
        public Tensor BitwiseLeftShiftInPlace(Scalar other) => InPlace(other, NativeMethods.BitwiseLeftShiftInPlace, () => BitwiseLeftShift(other));

        /// <summary>this shifted right by other bits, arithmetic for signed types (torch.bitwise_right_shift).</summary>
        public Tensor BitwiseRightShift(Tensor other) => Binary(this, other, NativeMethods.BitwiseRightShift);

        /// <summary>this shifted right by a number bits, arithmetic for signed types (torch.bitwise_right_shift).</summary>
        public Tensor BitwiseRightShift(Scalar other) => Binary(this, other, NativeMethods.BitwiseRightShift);

        /// <summary>In-place BitwiseRightShift (bitwise_right_shift_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor BitwiseRightShiftInPlace(Tensor other) => InPlace(other, NativeMethods.BitwiseRightShiftInPlace, () => BitwiseRightShift(other));

        /// <summary>In-place BitwiseRightShift (bitwise_right_shift_) with a number. Returns this tensor.</summary>
        public Tensor BitwiseRightShiftInPlace(Scalar other) => InPlace(other, NativeMethods.BitwiseRightShiftInPlace, () => BitwiseRightShift(other));

        /// <summary>(this != 0) AND (other != 0) as a bool tensor (torch.logical_and); any dtypes.</summary>
        public Tensor LogicalAnd(Tensor other) => Binary(this, other, NativeMethods.LogicalAnd);

        /// <summary>In-place LogicalAnd (logical_and_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor LogicalAndInPlace(Tensor other) => InPlace(other, NativeMethods.LogicalAndInPlace, () => LogicalAnd(other));

        /// <summary>(this != 0) OR (other != 0) as a bool tensor (torch.logical_or); any dtypes.</summary>
        public Tensor LogicalOr(Tensor other) => Binary(this, other, NativeMethods.LogicalOr);

        /// <summary>In-place LogicalOr (logical_or_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor LogicalOrInPlace(Tensor other) => InPlace(other, NativeMethods.LogicalOrInPlace, () => LogicalOr(other));

        /// <summary>(this != 0) XOR (other != 0) as a bool tensor (torch.logical_xor); any dtypes.</summary>
        public Tensor LogicalXor(Tensor other) => Binary(this, other, NativeMethods.LogicalXor);

        /// <summary>In-place LogicalXor (logical_xor_); the result must fit this tensor's dtype. Returns this tensor.</summary>
        public Tensor LogicalXorInPlace(Tensor other) => InPlace(other, NativeMethods.LogicalXorInPlace, () => LogicalXor(other));

        /// <summary>A number to the power of each element (torch.pow(number, tensor)).</summary>
        public static Tensor Pow(Scalar self, Tensor exponent)
        {
            if (AutocastRegion.Recast(AutocastOps.Pow, exponent) is { } cast)
            {
                return Pow(self, cast);
            }
            Tensor result = Binary(self, exponent, NativeMethods.Pow);
            return Recorder.Record(result, "PowBackward2", [exponent], [exponent, result],
                ctx => [PowNumberBaseBackward(ctx.Grad, self, ctx.Saved(0), ctx.Saved(1))]);
        }

        // torch.div's rounding_mode as the ABI's cmp_rounding_mode value.
        private static int RoundingMode(string? roundingMode) => roundingMode switch
        {
            null => 0,
            "trunc" => 1,
            "floor" => 2,
            _ => throw new ArgumentException(
                $"div: expected rounding_mode to be one of null, 'trunc', or 'floor' but found '{roundingMode}'",
                nameof(roundingMode)),
        };

        /// <summary>
        /// this / other rounded as roundingMode says (torch.div with rounding_mode): null is true
        /// division, "trunc" rounds toward zero and "floor" toward negative infinity; with a
        /// rounding mode integers stay integers and integer division by zero throws.
        /// </summary>
        public Tensor Div(Tensor other, string? roundingMode)
        {
            int mode = RoundingMode(roundingMode);
            if (mode == 0)
            {
                return Div(other);
            }
            // Rounded quotients are piecewise constant: PyTorch gives zero gradients.
            return RecordZeroGrad(Binary(this, other, (a, b) => NativeMethods.DivRounding(a, b, mode)), "DivBackward2", [this, other]);
        }

        /// <summary>this / a number, rounded as roundingMode says (see <see cref="Div(Tensor, string?)"/>).</summary>
        public Tensor Div(Scalar other, string? roundingMode)
        {
            int mode = RoundingMode(roundingMode);
            if (mode == 0)
            {
                return Div(other);
            }
            return RecordZeroGrad(Binary(this, other, (a, b) => NativeMethods.DivRounding(a, b, mode)), "DivBackward2", [this]);
        }

        /// <summary>In-place Div with a rounding mode (div_). Returns this tensor.</summary>
        public Tensor DivInPlace(Tensor other, string? roundingMode)
        {
            int mode = RoundingMode(roundingMode);
            return InPlace(other, (a, b) => NativeMethods.DivRoundingInPlace(a, b, mode), () => Div(other, roundingMode));
        }

        /// <summary>In-place Div by a number with a rounding mode (div_). Returns this tensor.</summary>
        public Tensor DivInPlace(Scalar other, string? roundingMode)
        {
            int mode = RoundingMode(roundingMode);
            return InPlace(other, (a, b) => NativeMethods.DivRoundingInPlace(a, b, mode), () => Div(other, roundingMode));
        }

        /// <summary>
        /// a where condition is true, else b (torch.where): the three broadcast together,
        /// condition must be bool, and a and b are promoted to their common dtype.
        /// </summary>
        public static Tensor Where(Tensor condition, Tensor a, Tensor b)
        {
            ArgumentNullException.ThrowIfNull(condition);
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            return Recorder.Record(Own(NativeMethods.Where(condition.Handle, a.Handle, b.Handle)), "WhereBackward0", [a, b], [condition],
                static ctx => [ctx.Needs(0) ? GradWhere(ctx.Saved(0), ctx.Grad) : null,
                    ctx.Needs(1) ? Where(ctx.Saved(0), 0, ctx.Grad) : null]);
        }

        /// <summary>torch.where with a number for b (it promotes like a Python number).</summary>
        public static Tensor Where(Tensor condition, Tensor a, Scalar b)
        {
            ArgumentNullException.ThrowIfNull(condition);
            ArgumentNullException.ThrowIfNull(a);
            using TensorHandle wb = Wrapped(b, a);
            return Recorder.Record(Own(NativeMethods.Where(condition.Handle, a.Handle, wb)), "WhereBackward0", [a], [condition],
                static ctx => [GradWhere(ctx.Saved(0), ctx.Grad)]);
        }

        /// <summary>torch.where with a number for a (it promotes like a Python number).</summary>
        public static Tensor Where(Tensor condition, Scalar a, Tensor b)
        {
            ArgumentNullException.ThrowIfNull(condition);
            ArgumentNullException.ThrowIfNull(b);
            using TensorHandle wa = Wrapped(a, b);
            return Recorder.Record(Own(NativeMethods.Where(condition.Handle, wa, b.Handle)), "WhereBackward0", [b], [condition],
                static ctx => [Where(ctx.Saved(0), 0, ctx.Grad)]);
        }

        /// <summary>torch.where with numbers for both a and b.</summary>
        public static Tensor Where(Tensor condition, Scalar a, Scalar b)
        {
            ArgumentNullException.ThrowIfNull(condition);
            using TensorHandle wa = Wrapped(a, condition);
            using TensorHandle wb = Wrapped(b, condition);
            return Own(NativeMethods.Where(condition.Handle, wa, wb));
        }

        /// <summary>this + weight * (end - this) (torch.lerp); all three share one floating dtype.</summary>
        public Tensor Lerp(Tensor end, Tensor weight)
        {
            ArgumentNullException.ThrowIfNull(end);
            ArgumentNullException.ThrowIfNull(weight);
            return Recorder.Record(Own(NativeMethods.Lerp(Handle, end.Handle, weight.Handle)), "LerpBackward1", [this, end, weight],
                [this, end, weight], static ctx =>
                [ctx.Needs(0) ? ctx.Grad * (1 - ctx.Saved(2)) : null, ctx.Needs(1) ? ctx.Grad * ctx.Saved(2) : null,
                    ctx.Needs(2) ? ctx.Grad * (ctx.Saved(1) - ctx.Saved(0)) : null]);
        }

        /// <summary>this + weight * (end - this) with a number as weight (torch.lerp).</summary>
        public Tensor Lerp(Tensor end, Scalar weight) =>
            Recorder.Record(Binary(this, end, (a, e) => NativeMethods.LerpScalar(a, e, weight.Native)), "LerpBackward0", [this, end], null,
                ctx => [ctx.Needs(0) ? ctx.Grad * (1 - weight.ToDouble()) : null, ctx.Needs(1) ? ctx.Grad * weight : null]);

        /// <summary>In-place Lerp (lerp_). Returns this tensor.</summary>
        public Tensor LerpInPlace(Tensor end, Tensor weight)
        {
            ArgumentNullException.ThrowIfNull(end);
            ArgumentNullException.ThrowIfNull(weight);
            return RecordInPlace(nameof(LerpInPlace), h => NativeMethods.LerpInPlace(h, end.Handle, weight.Handle), () => Lerp(end, weight), end, weight);
        }

        /// <summary>In-place Lerp with a number as weight (lerp_). Returns this tensor.</summary>
        public Tensor LerpInPlace(Tensor end, Scalar weight) =>
            InPlace(end, (a, e) => NativeMethods.LerpScalarInPlace(a, e, weight.Native), () => Lerp(end, weight));

        /// <summary>this + value * tensor1 * tensor2 (torch.addcmul); value defaults to 1.</summary>
        public Tensor Addcmul(Tensor tensor1, Tensor tensor2, Scalar? value = null)
        {
            ArgumentNullException.ThrowIfNull(tensor1);
            ArgumentNullException.ThrowIfNull(tensor2);
            if (AutocastRegion.Recast(AutocastOps.Addcmul, this, tensor1, tensor2) is { } cast)
            {
                return cast.A.Addcmul(cast.B!, cast.C!, value);
            }
            return Recorder.Record(Own(NativeMethods.Addcmul(Handle, tensor1.Handle, tensor2.Handle, value?.Native ?? One)), "AddcmulBackward0",
                [this, tensor1, tensor2], [tensor1, tensor2], ctx =>
                [ctx.Grad, ctx.Needs(1) ? ctx.Grad * Scaled(ctx.Saved(1), value) : null,
                    ctx.Needs(2) ? ctx.Grad * Scaled(ctx.Saved(0), value) : null]);
        }

        /// <summary>In-place Addcmul (addcmul_). Returns this tensor.</summary>
        public Tensor AddcmulInPlace(Tensor tensor1, Tensor tensor2, Scalar? value = null)
        {
            ArgumentNullException.ThrowIfNull(tensor1);
            ArgumentNullException.ThrowIfNull(tensor2);
            return RecordInPlace(nameof(AddcmulInPlace), h => NativeMethods.AddcmulInPlace(h, tensor1.Handle, tensor2.Handle, value?.Native ?? One),
                () => Addcmul(tensor1, tensor2, value), tensor1, tensor2);
        }

        /// <summary>
        /// this + value * tensor1 / tensor2 (torch.addcdiv); value defaults to 1. Two integer
        /// tensor1/tensor2 operands are rejected as in PyTorch.
        /// </summary>
        public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, Scalar? value = null)
        {
            ArgumentNullException.ThrowIfNull(tensor1);
            ArgumentNullException.ThrowIfNull(tensor2);
            if (AutocastRegion.Recast(AutocastOps.Addcdiv, this, tensor1, tensor2) is { } cast)
            {
                return cast.A.Addcdiv(cast.B!, cast.C!, value);
            }
            Scalar v = value ?? 1;
            return Recorder.Record(Own(NativeMethods.Addcdiv(Handle, tensor1.Handle, tensor2.Handle, v.Native)), "AddcdivBackward0",
                [this, tensor1, tensor2], [tensor1, tensor2], ctx =>
                [ctx.Grad, ctx.Needs(1) ? ctx.Grad * (v / ctx.Saved(1)) : null,
                    ctx.Needs(2) ? -ctx.Grad * (v * ctx.Saved(0) / (ctx.Saved(1) * ctx.Saved(1))) : null]);
        }

        /// <summary>In-place Addcdiv (addcdiv_). Returns this tensor.</summary>
        public Tensor AddcdivInPlace(Tensor tensor1, Tensor tensor2, Scalar? value = null)
        {
            ArgumentNullException.ThrowIfNull(tensor1);
            ArgumentNullException.ThrowIfNull(tensor2);
            return RecordInPlace(nameof(AddcdivInPlace), h => NativeMethods.AddcdivInPlace(h, tensor1.Handle, tensor2.Handle, value?.Native ?? One),
                () => Addcdiv(tensor1, tensor2, value), tensor1, tensor2);
        }

        /// <summary>
        /// A copy with value (converted to this dtype) where the bool mask is true
        /// (torch.masked_fill); this and mask broadcast together.
        /// </summary>
        public Tensor MaskedFill(Tensor mask, Scalar value) =>
            Recorder.Record(Binary(this, mask, (a, m) => NativeMethods.MaskedFill(a, m, value.Native)), "MaskedFillBackward0", [this], [mask],
                static ctx => [GradDrop(ctx.Grad, ctx.Saved(0))]);

        /// <summary>MaskedFill with the value as a 0-dim tensor.</summary>
        public Tensor MaskedFill(Tensor mask, Tensor value)
        {
            ArgumentNullException.ThrowIfNull(mask);
            ArgumentNullException.ThrowIfNull(value);
            // value is 0-dim: it receives the sum of the gradient over the filled places.
            return Recorder.Record(Own(NativeMethods.MaskedFillTensor(Handle, mask.Handle, value.Handle)), "MaskedFillBackward1", [this, value],
                [mask], static ctx => [ctx.Needs(0) ? GradDrop(ctx.Grad, ctx.Saved(0)) : null,
                    ctx.Needs(1) ? GradWhere(ctx.Saved(0), ctx.Grad).Sum() : null]);
        }

        /// <summary>Writes value where the bool mask is true, in place (masked_fill_). Returns this tensor.</summary>
        public Tensor MaskedFillInPlace(Tensor mask, Scalar value) =>
            InPlace(mask, (a, m) => NativeMethods.MaskedFillInPlace(a, m, value.Native), () => MaskedFill(mask, value));

        /// <summary>MaskedFillInPlace with the value as a 0-dim tensor. Returns this tensor.</summary>
        public Tensor MaskedFillInPlace(Tensor mask, Tensor value)
        {
            ArgumentNullException.ThrowIfNull(mask);
            ArgumentNullException.ThrowIfNull(value);
            return RecordInPlace(nameof(MaskedFillInPlace), h => NativeMethods.MaskedFillTensorInPlace(h, mask.Handle, value.Handle),
                () => MaskedFill(mask, value), value);
        }

        /// <summary>Remainder with the sign of the divisor (Python's %, torch.remainder).</summary>
        public static Tensor operator %(Tensor a, Tensor b) => NotNull(a).Remainder(b);

        /// <summary>Remainder with the sign of the divisor (Python's %, torch.remainder).</summary>
        public static Tensor operator %(Tensor a, Scalar b) => NotNull(a).Remainder(b);

        /// <summary>Remainder with the sign of the divisor (Python's %, torch.remainder).</summary>
        public static Tensor operator %(Scalar a, Tensor b) =>
            RecordNotDifferentiable(Binary(a, b, NativeMethods.Remainder), "RemainderBackward2", [b], "PyTorch defines none for remainder(number, tensor)");

        /// <summary>Bitwise AND (integer and bool dtypes).</summary>
        public static Tensor operator &(Tensor a, Tensor b) => Binary(a, b, NativeMethods.BitwiseAnd);

        /// <summary>Bitwise AND (integer and bool dtypes).</summary>
        public static Tensor operator &(Tensor a, Scalar b) => Binary(a, b, NativeMethods.BitwiseAnd);

        /// <summary>Bitwise AND (integer and bool dtypes).</summary>
        public static Tensor operator &(Scalar a, Tensor b) => Binary(a, b, NativeMethods.BitwiseAnd);

        /// <summary>Bitwise OR (integer and bool dtypes).</summary>
        public static Tensor operator |(Tensor a, Tensor b) => Binary(a, b, NativeMethods.BitwiseOr);

        /// <summary>Bitwise OR (integer and bool dtypes).</summary>
        public static Tensor operator |(Tensor a, Scalar b) => Binary(a, b, NativeMethods.BitwiseOr);

        /// <summary>Bitwise OR (integer and bool dtypes).</summary>
        public static Tensor operator |(Scalar a, Tensor b) => Binary(a, b, NativeMethods.BitwiseOr);

        /// <summary>Bitwise XOR (integer and bool dtypes).</summary>
        public static Tensor operator ^(Tensor a, Tensor b) => Binary(a, b, NativeMethods.BitwiseXor);

        /// <summary>Bitwise XOR (integer and bool dtypes).</summary>
        public static Tensor operator ^(Tensor a, Scalar b) => Binary(a, b, NativeMethods.BitwiseXor);

        /// <summary>Bitwise XOR (integer and bool dtypes).</summary>
        public static Tensor operator ^(Scalar a, Tensor b) => Binary(a, b, NativeMethods.BitwiseXor);

        /// <summary>Left shift (integer dtypes).</summary>
        public static Tensor operator <<(Tensor a, Tensor b) => Binary(a, b, NativeMethods.BitwiseLeftShift);

        /// <summary>Left shift (integer dtypes).</summary>
        public static Tensor operator <<(Tensor a, Scalar b) => Binary(a, b, NativeMethods.BitwiseLeftShift);

        /// <summary>Right shift, arithmetic for signed types (integer dtypes).</summary>
        public static Tensor operator >>(Tensor a, Tensor b) => Binary(a, b, NativeMethods.BitwiseRightShift);

        /// <summary>Right shift, arithmetic for signed types (integer dtypes).</summary>
        public static Tensor operator >>(Tensor a, Scalar b) => Binary(a, b, NativeMethods.BitwiseRightShift);
    }
}
