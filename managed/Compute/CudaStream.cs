using System;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// A queue of work on one CUDA device (torch.cuda.Stream). Every op on CUDA tensors is queued
    /// on the calling thread's current stream of their device (<see cref="Cuda.CurrentStream"/>),
    /// which is the device's default stream until <see cref="Cuda.SetStream"/> or
    /// <see cref="Cuda.UseStream"/> names another. Work on different streams may overlap and is
    /// not ordered: work that reads what another stream wrote must wait for it first
    /// (<see cref="WaitStream"/>, <see cref="WaitEvent"/>).
    /// </summary>
    /// <remarks>
    /// Streams come from a pool of 32 per device that the native library owns for the life of the
    /// process, as PyTorch's do, so a stream needs no disposal and a program that asks for more than
    /// 32 streams of a device shares them. Two <see cref="CudaStream"/> objects for the same stream
    /// are equal.
    /// </remarks>
    public sealed class CudaStream : IEquatable<CudaStream>
    {
        internal readonly nint Handle;

        internal CudaStream(nint handle) => Handle = handle;

        /// <summary>
        /// A stream of CUDA device <paramref name="device"/> from the pool of
        /// <paramref name="priority"/> (torch.cuda.Stream(device, priority)). Lower numbers are more
        /// urgent: when streams of different priorities have work ready, the GPU schedules the more
        /// urgent first. 0 is the default; a priority outside the device's
        /// <see cref="PriorityRange"/> is clamped into it. Each priority has its own pool of 32.
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public CudaStream(int device = 0, int priority = 0)
            : this(NativeMethods.CudaStreamCreateWithPriority(device, priority))
        {
        }

        /// <summary>
        /// Wraps a <c>cudaStream_t</c> that the program made itself, for example in the C++ code that
        /// embeds Compute, so that Compute's work can be queued on it (torch.cuda.ExternalStream).
        /// Wrapping the same stream again gives an equal <see cref="CudaStream"/>.
        /// </summary>
        /// <remarks>
        /// The program owns the stream: it must be a stream of CUDA device <paramref name="device"/>,
        /// and stay alive while work is queued on it and while tensors allocated on it live
        /// (synchronize it before destroying it).
        /// </remarks>
        /// <param name="cudaStream">The <c>cudaStream_t</c>; not zero (the default stream is <see cref="Default"/>).</param>
        /// <param name="device">The CUDA device the stream belongs to.</param>
        /// <exception cref="ArgumentException">The stream is zero.</exception>
        /// <exception cref="DeviceUnavailableException">The device is not available, or the driver does not know the stream.</exception>
        public static CudaStream FromExternal(nint cudaStream, int device = 0) =>
            new(NativeMethods.CudaStreamFromExternal(device, cudaStream));

        /// <summary>
        /// The stream priorities of CUDA device <paramref name="device"/>
        /// (torch.cuda.Stream.priority_range): <c>Least</c> is 0, the default, and <c>Greatest</c> the
        /// most urgent (negative, for example -5; 0 where the device has no priorities).
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static (int Least, int Greatest) PriorityRange(int device = 0)
        {
            NativeMethods.CudaStreamPriorityRange(device, out int least, out int greatest);
            return (least, greatest);
        }

        /// <summary>This stream's priority (0 for default streams; lower is more urgent).</summary>
        public int Priority => NativeMethods.CudaStreamPriority(Handle);

        /// <summary>
        /// The <c>cudaStream_t</c> behind this stream (torch.cuda.Stream.cuda_stream), for handing to
        /// other CUDA libraries; zero for a device's default stream (the legacy default stream).
        /// </summary>
        public nint NativeHandle => NativeMethods.CudaStreamNativeHandle(Handle);

        /// <summary>The default stream of CUDA device <paramref name="device"/> (torch.cuda.default_stream).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public static CudaStream Default(int device = 0) => new(NativeMethods.CudaDefaultStream(device));

        /// <summary>The device this stream queues work on.</summary>
        public Device Device => Device.Cuda(NativeMethods.CudaStreamDevice(Handle));

        /// <summary>Waits on the host until all work queued on this stream has finished (synchronize()).</summary>
        public void Synchronize() => NativeMethods.CudaStreamSynchronize(Handle);

        /// <summary>Whether all work queued on this stream has finished, without waiting (query()).</summary>
        public bool Query() => NativeMethods.CudaStreamQuery(Handle) != 0;

        /// <summary>
        /// Makes work queued on this stream from now on wait until <paramref name="cudaEvent"/>
        /// has completed, without blocking the host (wait_event()). An event never recorded is
        /// complete.
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The event belongs to another device.</exception>
        public void WaitEvent(CudaEvent cudaEvent)
        {
            ArgumentNullException.ThrowIfNull(cudaEvent);
            NativeMethods.CudaStreamWaitEvent(Handle, cudaEvent.LiveHandle);
        }

        /// <summary>
        /// Makes work queued on this stream from now on wait until the work queued on
        /// <paramref name="other"/> so far has finished, without blocking the host (wait_stream()).
        /// </summary>
        public void WaitStream(CudaStream other)
        {
            ArgumentNullException.ThrowIfNull(other);
            using var marker = new CudaEvent(other.Device.Index);
            marker.Record(other);
            WaitEvent(marker);
        }

        /// <summary>
        /// Records <paramref name="cudaEvent"/> (a new event when null) at the current end of this
        /// stream and returns it (record_event()).
        /// </summary>
        public CudaEvent RecordEvent(CudaEvent? cudaEvent = null)
        {
            cudaEvent ??= new CudaEvent(Device.Index);
            cudaEvent.Record(this);
            return cudaEvent;
        }

        /// <summary>
        /// Makes this stream the calling thread's current stream of its device until the returned
        /// scope is disposed, which restores the previous one (torch.cuda.stream(s)).
        /// </summary>
        public IDisposable Use() => Cuda.UseStream(this);

        /// <inheritdoc/>
        public bool Equals(CudaStream? other) => other is not null && other.Handle == Handle;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is CudaStream s && Equals(s);

        /// <inheritdoc/>
        public override int GetHashCode() => Handle.GetHashCode();

        /// <summary>Whether two objects name the same stream.</summary>
        public static bool operator ==(CudaStream? a, CudaStream? b) => a is null ? b is null : a.Equals(b);

        /// <summary>Whether two objects name different streams.</summary>
        public static bool operator !=(CudaStream? a, CudaStream? b) => !(a == b);

        /// <summary>The device and the stream's handle, e.g. <c>CudaStream(cuda:0, 0x55d0c0)</c>.</summary>
        public override string ToString() => $"CudaStream({Device}, 0x{Handle:x})";
    }
}
