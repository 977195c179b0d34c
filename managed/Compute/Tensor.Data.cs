using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// The elements in row-major order, copied into a new array (any layout and device).
        /// <typeparamref name="T"/> must be the dtype's element type (float for float32, long
        /// for int64, Half for float16, bool for bool...); convert first with <see cref="To(DType)"/>.
        /// </summary>
        public unsafe T[] ToArray<T>() where T : unmanaged
        {
            TensorHandle handle = Handle;
            RequireElementType<T>(nameof(ToArray));
            var result = new T[checked((int)NativeMethods.TensorNumel(handle))];
            fixed (T* p = result)
            {
                NativeMethods.TensorCopyToBuffer(handle, (nint)p, (long)result.Length * sizeof(T));
            }
            return result;
        }

        /// <summary>
        /// The value of a one-element tensor (PyTorch's item()), converted to
        /// <typeparamref name="T"/> (any of the numeric types or bool).
        /// </summary>
        public T Item<T>() where T : unmanaged
        {
            long numel = NumberOfElements;
            if (numel != 1)
            {
                throw new ArgumentException(
                    $"Item: a tensor with {numel} elements (shape {FormatShape(ShapeCached)}) cannot be converted to a single value.");
            }
            Span<long> zeros = stackalloc long[ShapeCached.Length];
            zeros.Clear();
            return ScalarAs<T>(NativeMethods.TensorItem(Handle, zeros, zeros.Length));
        }

        /// <summary>The element at <paramref name="indices"/> (one per dim; negative ones count from the end).</summary>
        public T Item<T>(params long[] indices) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(indices);
            long[] shape = ShapeCached;
            if (indices.Length != shape.Length)
            {
                throw new ArgumentException(
                    $"Item: {indices.Length} indices given for a tensor of shape {FormatShape(shape)} ({shape.Length} dims).",
                    nameof(indices));
            }
            var resolved = new long[indices.Length];
            for (int d = 0; d < indices.Length; d++)
            {
                resolved[d] = indices[d] < 0 && indices[d] >= -shape[d] ? indices[d] + shape[d] : indices[d];
            }
            return ScalarAs<T>(NativeMethods.TensorItem(Handle, resolved, resolved.Length));
        }

        internal static T ScalarAs<T>(NativeScalar value) where T : unmanaged
        {
            bool isFloat = value.Kind == (int)ScalarKind.Float;
            double f = value.F;
            long i = value.I;
            object boxed = typeof(T) switch
            {
                var t when t == typeof(double) => isFloat ? f : i,
                var t when t == typeof(float) => isFloat ? (float)f : (float)i,
                var t when t == typeof(Half) => isFloat ? (Half)f : (Half)i,
                var t when t == typeof(long) => isFloat ? checked((long)f) : i,
                var t when t == typeof(int) => isFloat ? checked((int)f) : checked((int)i),
                var t when t == typeof(short) => isFloat ? checked((short)f) : checked((short)i),
                var t when t == typeof(sbyte) => isFloat ? checked((sbyte)f) : checked((sbyte)i),
                var t when t == typeof(byte) => isFloat ? checked((byte)f) : checked((byte)i),
                var t when t == typeof(bool) => isFloat ? f != 0 : i != 0,
                _ => throw new DTypeMismatchException($"Item: {typeof(T).Name} is not a numeric type Compute can convert to."),
            };
            return (T)boxed;
        }

        private void RequireElementType<T>(string op) where T : unmanaged
        {
            DType dtype = DType;
            if (!DTypes.TryOf<T>(out DType asked) || asked != dtype)
            {
                throw new DTypeMismatchException(
                    $"{op}<{typeof(T).Name}>: the tensor's dtype is {dtype.Name()}, whose elements are not {typeof(T).Name}; " +
                    $"call .To(DType.{DTypeFor<T>()}) first or ask for the matching element type.");
            }
        }

        private static string DTypeFor<T>() => DTypes.TryOf<T>(out DType dtype) ? dtype.ToString() : "<none>";
    }
}
