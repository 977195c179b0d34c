using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Compute.Memory;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private static NativeDevice On(Device? device) => NativeDevice.From(device ?? Device.Cpu);

        /// <summary>A float32 CPU tensor of zeros (torch.zeros(*shape)).</summary>
        public static Tensor Zeros(params long[] shape) => Zeros(shape.AsSpan());

        /// <summary>A tensor of zeros (torch.zeros).</summary>
        public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Zeros(shape, shape.Length, dtype, On(device)));

        /// <summary>A float32 CPU tensor of ones (torch.ones(*shape)).</summary>
        public static Tensor Ones(params long[] shape) => Ones(shape.AsSpan());

        /// <summary>A tensor of ones (torch.ones).</summary>
        public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Ones(shape, shape.Length, dtype, On(device)));

        /// <summary>An uninitialised float32 CPU tensor (torch.empty(*shape)).</summary>
        public static Tensor Empty(params long[] shape) => Empty(shape.AsSpan());

        /// <summary>An uninitialised tensor (torch.empty).</summary>
        public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Empty(shape, shape.Length, dtype, On(device)));

        /// <summary>
        /// A tensor filled with <paramref name="value"/> (torch.full). Without a dtype it is
        /// inferred from the value as PyTorch does: float32, int64 or bool.
        /// </summary>
        public static Tensor Full(ReadOnlySpan<long> shape, Scalar value, DType? dtype = null, Device? device = null) =>
            Own(NativeMethods.Full(shape, shape.Length, value.Native, dtype ?? value.DefaultDType, On(device)));

        /// <summary>A 0-dim tensor holding <paramref name="value"/> (torch.tensor(value)), dtype inferred as PyTorch does.</summary>
        public static Tensor From(Scalar value, DType? dtype = null, Device? device = null) =>
            Full(ReadOnlySpan<long>.Empty, value, dtype, device);

        /// <summary>
        /// Values 0, 1, ... below <paramref name="end"/> (torch.arange(end)); int64 for integer
        /// arguments, float32 for floating ones, unless a dtype is given.
        /// </summary>
        public static Tensor Arange(Scalar end, DType? dtype = null, Device? device = null) =>
            Arange(0, end, 1, dtype, device);

        /// <summary>Values start, start+step, ... below end (torch.arange(start, end, step)).</summary>
        public static Tensor Arange(Scalar start, Scalar end, Scalar step, DType? dtype = null, Device? device = null)
        {
            DType inferred = start.IsFloatingPoint || end.IsFloatingPoint || step.IsFloatingPoint ? DType.Float32 : DType.Int64;
            return Own(NativeMethods.Arange(start.Native, end.Native, step.Native, dtype ?? inferred, On(device)));
        }

        /// <summary>Values start, start+1, ... below end (torch.arange(start, end)).</summary>
        public static Tensor Arange(Scalar start, Scalar end, DType? dtype = null, Device? device = null) =>
            Arange(start, end, 1, dtype, device);

        /// <summary>
        /// A CPU tensor holding a copy of <paramref name="data"/> (torch.tensor). Without a
        /// shape it is 1-D; with one, the shape's product must equal the number of elements.
        /// </summary>
        public static Tensor From<T>(T[] data, params long[] shape) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(data);
            return From((ReadOnlySpan<T>)data, shape);
        }

        /// <summary>A CPU tensor holding a copy of <paramref name="data"/>, with the given shape (1-D without one).</summary>
        public static Tensor From<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(shape);
            DType dtype = DTypes.Of<T>();
            long[] sizes = shape.Length == 0 ? new long[] { data.Length } : shape;
            CheckElementCount(nameof(From), data.Length, sizes);
            unsafe
            {
                fixed (T* p = data)
                {
                    return Own(NativeMethods.FromBuffer((nint)p, (long)data.Length * sizeof(T), sizes, sizes.Length, dtype));
                }
            }
        }

        /// <summary>A CPU tensor holding a copy of a 2-D array, with its shape.</summary>
        public static Tensor From<T>(T[,] data) where T : unmanaged => FromMultiDimensional<T>(data);

        /// <summary>A CPU tensor holding a copy of a 3-D array, with its shape.</summary>
        public static Tensor From<T>(T[,,] data) where T : unmanaged => FromMultiDimensional<T>(data);

        /// <summary>A CPU tensor holding a copy of a 4-D array, with its shape.</summary>
        public static Tensor From<T>(T[,,,] data) where T : unmanaged => FromMultiDimensional<T>(data);

        private static Tensor FromMultiDimensional<T>(Array data) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(data);
            // A multi-dimensional array is one row-major block, exactly a contiguous tensor.
            ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(data));
            return From(MemoryMarshal.CreateReadOnlySpan(ref first, data.Length), ArrayShape(data));
        }

        /// <summary>
        /// A CPU tensor over <paramref name="data"/> itself, without a copy (torch.from_numpy):
        /// writes through either are seen by both. The array stays pinned until the tensor and
        /// every view of it are released. Without a shape it is 1-D.
        /// </summary>
        public static Tensor Wrap<T>(T[] data, params long[] shape) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(shape);
            return WrapArray<T>(data, shape.Length == 0 ? new long[] { data.Length } : shape);
        }

        /// <summary>A CPU tensor over a 2-D array itself, without a copy (see <see cref="Wrap{T}(T[], long[])"/>).</summary>
        public static Tensor Wrap<T>(T[,] data) where T : unmanaged => WrapArray<T>(data, ArrayShape(data));

        /// <summary>A CPU tensor over a 3-D array itself, without a copy (see <see cref="Wrap{T}(T[], long[])"/>).</summary>
        public static Tensor Wrap<T>(T[,,] data) where T : unmanaged => WrapArray<T>(data, ArrayShape(data));

        private static unsafe Tensor WrapArray<T>(Array data, long[] shape) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(data);
            DType dtype = DTypes.Of<T>();
            CheckElementCount(nameof(Wrap), data.Length, shape);
            (nint pointer, nint context) = PinnedMemory.Pin(data);
            TensorHandle handle;
            try
            {
                handle = NativeMethods.FromExternal(pointer, shape, default, shape.Length, dtype,
                                                    NativeDevice.From(Device.Cpu), PinnedMemory.Deleter, context);
            }
            catch
            {
                // The library did not take the memory: unpin it here.
                PinnedMemory.Unpin(context);
                throw;
            }
            return External(handle);
        }

        private static long[] ArrayShape(Array data)
        {
            ArgumentNullException.ThrowIfNull(data);
            var shape = new long[data.Rank];
            for (int i = 0; i < shape.Length; i++)
            {
                shape[i] = data.GetLength(i);
            }
            return shape;
        }

        private static void CheckElementCount(string op, long count, long[] shape)
        {
            long product = 1;
            foreach (long size in shape)
            {
                if (size < 0)
                {
                    throw new ArgumentException($"{op}: shape {FormatShape(shape)} has a negative size.", nameof(shape));
                }
                product = size == 0 || product == 0 ? 0 : checked(product * size);
            }
            if (product != count)
            {
                throw new ShapeMismatchException(
                    $"{op}: the data has {count} elements but shape {FormatShape(shape)} holds {product}.");
            }
        }
    }
}
