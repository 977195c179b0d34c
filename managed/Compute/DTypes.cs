using System;

namespace Compute
{
    /// <summary>Facts about <see cref="DType"/> values.</summary>
    public static class DTypes
    {
        /// <summary>Size of one element in bytes.</summary>
        public static int ElementSize(this DType dtype) => dtype switch
        {
            DType.Float64 or DType.Int64 => 8,
            DType.Float32 or DType.Int32 => 4,
            DType.Float16 or DType.BFloat16 or DType.Int16 => 2,
            DType.Int8 or DType.UInt8 or DType.Bool => 1,
            _ => throw Invalid(dtype),
        };

        /// <summary>Whether the dtype is a floating-point type.</summary>
        public static bool IsFloatingPoint(this DType dtype) =>
            dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;

        /// <summary>PyTorch's name for the dtype without the "torch." prefix, e.g. "float32".</summary>
        public static string Name(this DType dtype) => dtype switch
        {
            DType.Float32 => "float32",
            DType.Float64 => "float64",
            DType.Float16 => "float16",
            DType.BFloat16 => "bfloat16",
            DType.Int64 => "int64",
            DType.Int32 => "int32",
            DType.Int16 => "int16",
            DType.Int8 => "int8",
            DType.UInt8 => "uint8",
            DType.Bool => "bool",
            _ => throw Invalid(dtype),
        };

        /// <summary>
        /// The dtype whose elements are stored as <typeparamref name="T"/> (float, double, Half,
        /// long, int, short, sbyte, byte, bool). bfloat16 has no .NET element type.
        /// </summary>
        public static DType Of<T>() where T : unmanaged =>
            TryOf<T>(out DType dtype) ? dtype
            : throw new DTypeMismatchException($"{typeof(T).Name} is not the element type of any Compute dtype; " +
                                               "use float, double, Half, long, int, short, sbyte, byte or bool.");

        internal static bool TryOf<T>(out DType dtype)
        {
            if (typeof(T) == typeof(float)) { dtype = DType.Float32; return true; }
            if (typeof(T) == typeof(double)) { dtype = DType.Float64; return true; }
            if (typeof(T) == typeof(Half)) { dtype = DType.Float16; return true; }
            if (typeof(T) == typeof(long)) { dtype = DType.Int64; return true; }
            if (typeof(T) == typeof(int)) { dtype = DType.Int32; return true; }
            if (typeof(T) == typeof(short)) { dtype = DType.Int16; return true; }
            if (typeof(T) == typeof(sbyte)) { dtype = DType.Int8; return true; }
            if (typeof(T) == typeof(byte)) { dtype = DType.UInt8; return true; }
            if (typeof(T) == typeof(bool)) { dtype = DType.Bool; return true; }
            dtype = default;
            return false;
        }

        private static ArgumentOutOfRangeException Invalid(DType dtype) =>
            new(nameof(dtype), dtype, $"{(int)dtype} is not a valid DType value.");
    }
}
