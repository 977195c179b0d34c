using System;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// CUDA devices and their memory (PyTorch's <c>torch.cuda</c>). CUDA support lives in a
    /// separate native library, libcompute_cuda, that the core loads at run time when it sits
    /// next to libcompute (or COMPUTE_CUDA_LIBRARY names it); without it, or without a driver or
    /// GPU, <see cref="IsAvailable"/> is false and <see cref="UnavailableReason"/> says why.
    /// Which ops run on CUDA so far is listed in docs/CUDA.md; any other op given a CUDA tensor
    /// throws <see cref="DeviceUnavailableException"/> naming the op and the device.
    /// </summary>
    public static class Cuda
    {
        /// <summary>Whether at least one CUDA device can be used (torch.cuda.is_available()).</summary>
        public static bool IsAvailable => DeviceCount > 0;

        /// <summary>Number of usable CUDA devices; 0 without the CUDA library, a driver or a GPU (torch.cuda.device_count()).</summary>
        public static int DeviceCount => NativeMethods.CudaDeviceCount();

        /// <summary>
        /// Why CUDA cannot be used: the CUDA library could not be loaded or is of another
        /// version, or it sees no device. Empty when <see cref="IsAvailable"/> is true.
        /// </summary>
        public static string UnavailableReason => NativeMethods.CudaUnavailableReason();

        /// <summary>Waits until all work queued on CUDA device <paramref name="device"/> has finished (torch.cuda.synchronize()).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static void Synchronize(int device = 0) => NativeMethods.CudaSynchronize(device);

        /// <summary>Bytes of device memory held by live tensors on CUDA device <paramref name="device"/> (torch.cuda.memory_allocated()).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static long MemoryAllocated(int device = 0) => Stats(device).Allocated;

        /// <summary>
        /// Bytes of device memory obtained from the driver by Compute's caching allocator on CUDA
        /// device <paramref name="device"/>, including cached blocks no tensor uses (torch.cuda.memory_reserved()).
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static long MemoryReserved(int device = 0) => Stats(device).Reserved;

        /// <summary>
        /// The highest <see cref="MemoryAllocated"/> of CUDA device <paramref name="device"/> since
        /// the start or the last <see cref="ResetPeakMemoryStats"/> (torch.cuda.max_memory_allocated()).
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static long MaxMemoryAllocated(int device = 0) => Stats(device).PeakAllocated;

        /// <summary>
        /// Free and total bytes of CUDA device <paramref name="device"/> as the driver counts them
        /// (torch.cuda.mem_get_info()): the free bytes are what every process and context on the
        /// device leaves, so blocks in Compute's cache count as used (<see cref="EmptyCache"/>
        /// returns them; <see cref="MemoryReserved"/> tells how many there are).
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static (long Free, long Total) MemGetInfo(int device = 0)
        {
            NativeMethods.CudaMemGetInfo(device, out long free, out long total);
            return (free, total);
        }

        /// <summary>Starts peak tracking again from what is allocated now (torch.cuda.reset_peak_memory_stats()).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static void ResetPeakMemoryStats(int device = 0) => NativeMethods.CudaResetPeakMemoryStats(device);

        /// <summary>
        /// Whether float32 matrix products on CUDA (MatMul, Mm, Bmm, Mv, Dot, Addmm, Baddbmm,
        /// Addmv, Einsum, Linear) may use TF32 tensor cores: their inputs are rounded to a 10-bit
        /// mantissa (about 3 decimal digits) and the products accumulate in float32, several times
        /// faster on Ampere and newer GPUs (torch.backends.cuda.matmul.allow_tf32). False by
        /// default, so float32 products keep full float32 precision. Process-wide; it needs no
        /// device and can be set before CUDA is used. Float16, bfloat16 and float64 products are
        /// not affected.
        /// </summary>
        public static bool AllowTF32
        {
            get => NativeMethods.CudaGetAllowTf32() != 0;
            set => NativeMethods.CudaSetAllowTf32(value ? 1 : 0);
        }

        /// <summary>
        /// Returns the caching allocator's unused blocks of every CUDA device to the driver
        /// (torch.cuda.empty_cache()); does nothing when CUDA is not available.
        /// </summary>
        public static void EmptyCache()
        {
            int count = DeviceCount;
            for (int i = 0; i < count; i++)
            {
                ComputeMemory.EmptyCache(Device.Cuda(i));
            }
        }

        /// <summary>
        /// The calling thread's current stream of CUDA device <paramref name="device"/>
        /// (torch.cuda.current_stream): where ops on that device's tensors are queued. The
        /// device's default stream until <see cref="SetStream"/> or <see cref="UseStream"/> names another.
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static CudaStream CurrentStream(int device = 0) => new(NativeMethods.CudaCurrentStream(device));

        /// <summary>The default stream of CUDA device <paramref name="device"/> (torch.cuda.default_stream).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static CudaStream DefaultStream(int device = 0) => CudaStream.Default(device);

        /// <summary>
        /// Makes <paramref name="stream"/> the calling thread's current stream of its device
        /// (torch.cuda.set_stream); other threads and other devices keep theirs.
        /// </summary>
        public static void SetStream(CudaStream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            NativeMethods.CudaSetCurrentStream(stream.Handle);
        }

        /// <summary>
        /// Makes <paramref name="stream"/> the calling thread's current stream of its device until
        /// the returned scope is disposed, which restores the stream that was current before
        /// (torch.cuda.stream(s)): <c>using (Cuda.UseStream(s)) { ... }</c>.
        /// </summary>
        public static IDisposable UseStream(CudaStream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            CudaStream previous = CurrentStream(stream.Device.Index);
            SetStream(stream);
            return new StreamScope(previous);
        }

        private sealed class StreamScope(CudaStream previous) : IDisposable
        {
            private CudaStream? _previous = previous;

            public void Dispose()
            {
                if (_previous is null)
                {
                    return;
                }
                SetStream(_previous);
                _previous = null;
            }
        }

        private static MemoryStats Stats(int device) => ComputeMemory.Stats(Device.Cuda(device));
    }
}
