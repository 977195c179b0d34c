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

        /// <summary>A stream of CUDA device <paramref name="device"/> from the pool (torch.cuda.Stream(device)).</summary>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public CudaStream(int device = 0) : this(NativeMethods.CudaStreamCreate(device))
        {
        }

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
