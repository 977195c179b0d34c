using System;
using System.Globalization;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// A number passed to an op: a floating-point value, an integer or a boolean (PyTorch's
    /// Scalar). Its kind takes part in type promotion the way a Python number does: an int32
    /// tensor plus 2 stays int32, plus 2.5 becomes float32.
    /// </summary>
    public readonly struct Scalar : IEquatable<Scalar>
    {
        private readonly NativeScalar _value;

        private Scalar(NativeScalar value) => _value = value;

        /// <summary>Whether the scalar holds a floating-point value.</summary>
        public bool IsFloatingPoint => _value.Kind == (int)ScalarKind.Float;

        /// <summary>Whether the scalar holds a boolean.</summary>
        public bool IsBoolean => _value.Kind == (int)ScalarKind.Bool;

        /// <summary>Whether the scalar holds an integer.</summary>
        public bool IsInteger => _value.Kind == (int)ScalarKind.Int;

        internal NativeScalar Native => _value;

        internal static Scalar FromNative(NativeScalar value) => new(value);

        /// <summary>The dtype PyTorch gives a tensor created from this value alone (float32, int64 or bool).</summary>
        public DType DefaultDType => IsFloatingPoint ? DType.Float32 : IsBoolean ? DType.Bool : DType.Int64;

        /// <summary>The value as a double.</summary>
        public double ToDouble() => IsFloatingPoint ? _value.F : _value.I;

        /// <summary>The value as a long (floating-point values are truncated toward zero).</summary>
        public long ToInt64() => IsFloatingPoint ? checked((long)_value.F) : _value.I;

        /// <summary>The value as a boolean (non-zero is true).</summary>
        public bool ToBoolean() => IsFloatingPoint ? _value.F != 0 : _value.I != 0;

        /// <summary>A floating-point scalar.</summary>
        public static implicit operator Scalar(double value) => new(NativeScalar.FromDouble(value));

        /// <summary>A floating-point scalar.</summary>
        public static implicit operator Scalar(float value) => new(NativeScalar.FromDouble(value));

        /// <summary>A floating-point scalar.</summary>
        public static implicit operator Scalar(Half value) => new(NativeScalar.FromDouble((double)value));

        /// <summary>An integer scalar.</summary>
        public static implicit operator Scalar(long value) => new(NativeScalar.FromInt64(value));

        /// <summary>An integer scalar.</summary>
        public static implicit operator Scalar(int value) => new(NativeScalar.FromInt64(value));

        /// <summary>An integer scalar.</summary>
        public static implicit operator Scalar(short value) => new(NativeScalar.FromInt64(value));

        /// <summary>An integer scalar.</summary>
        public static implicit operator Scalar(sbyte value) => new(NativeScalar.FromInt64(value));

        /// <summary>An integer scalar.</summary>
        public static implicit operator Scalar(byte value) => new(NativeScalar.FromInt64(value));

        /// <summary>A boolean scalar.</summary>
        public static implicit operator Scalar(bool value) => new(NativeScalar.FromBool(value));

        /// <inheritdoc/>
        public bool Equals(Scalar other) =>
            _value.Kind == other._value.Kind && _value.I == other._value.I && _value.F.Equals(other._value.F);

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Scalar other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(_value.Kind, _value.I, _value.F);

        /// <summary>Whether two scalars hold the same kind and value.</summary>
        public static bool operator ==(Scalar left, Scalar right) => left.Equals(right);

        /// <summary>Whether two scalars differ in kind or value.</summary>
        public static bool operator !=(Scalar left, Scalar right) => !left.Equals(right);

        /// <inheritdoc/>
        public override string ToString() =>
            IsFloatingPoint ? _value.F.ToString("R", CultureInfo.InvariantCulture)
            : IsBoolean ? (_value.I != 0 ? "True" : "False")
            : _value.I.ToString(CultureInfo.InvariantCulture);
    }
}
