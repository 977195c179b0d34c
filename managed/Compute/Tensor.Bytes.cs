using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// A CPU tensor holding a copy of raw little-endian element bytes of any dtype
        /// (torch.frombuffer(data, dtype=dtype).reshape(shape)), for readers of binary files;
        /// bfloat16 and float16 included. The byte count must be the shape's product times the element size.
        /// </summary>
        /// <exception cref="ArgumentException">The byte count does not match the shape and dtype.</exception>
        public static unsafe Tensor FromBytes(ReadOnlySpan<byte> data, DType dtype, params long[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            long count = 1;
            foreach (long size in shape)
            {
                if (size < 0)
                {
                    throw new ArgumentException($"FromBytes: shape {FormatShape(shape)} has a negative size.", nameof(shape));
                }
                count = checked(count * size);
            }
            long expected = checked(count * dtype.ElementSize());
            if (data.Length != expected)
            {
                throw new ArgumentException(
                    $"FromBytes: shape {FormatShape(shape)} of {dtype.Name()} needs {expected} bytes, got {data.Length}.", nameof(data));
            }
            if (count == 0)
            {
                return Empty(shape, dtype);
            }
            fixed (byte* p = data)
            {
                return Own(NativeMethods.FromBuffer((nint)p, data.Length, shape, shape.Length, dtype));
            }
        }

        /// <summary>The elements' raw bytes in row-major order, in the machine's byte order (any layout).</summary>
        public unsafe byte[] ToBytes()
        {
            TensorHandle handle = Handle;
            var bytes = new byte[checked(NativeMethods.TensorNumel(handle) * ElementSize)];
            if (bytes.Length == 0)
            {
                return bytes;
            }
            fixed (byte* p = bytes)
            {
                NativeMethods.TensorCopyToBuffer(handle, (nint)p, bytes.Length);
            }
            return bytes;
        }
    }
}
