using System;
using System.Runtime.InteropServices;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// A marker in a CUDA stream's work (torch.cuda.Event): record it on a stream, then wait for
    /// it on the host (<see cref="Synchronize"/>) or on another stream
    /// (<see cref="CudaStream.WaitEvent"/>), ask whether the work before it is done
    /// (<see cref="Query"/>), or time the work between two events (<see cref="ElapsedTime"/>).
    /// </summary>
    /// <remarks>Dispose events when done with them; the finalizer frees one that is not disposed. An
    /// event may be disposed while the work before its record is still running.</remarks>
    public sealed class CudaEvent : IDisposable
    {
        private readonly EventHandle _handle;

        /// <summary>A new event of CUDA device <paramref name="device"/>.</summary>
        /// <param name="device">The device whose streams the event is recorded on.</param>
        /// <param name="enableTiming">Records times for <see cref="ElapsedTime"/>; without, recording and waiting are cheaper.</param>
        /// <exception cref="DeviceUnavailableException">The device is not available.</exception>
        public CudaEvent(int device = 0, bool enableTiming = false)
        {
            _handle = new EventHandle(NativeMethods.CudaEventCreate(device, enableTiming ? 1 : 0));
            DeviceIndex = device;
            EnableTiming = enableTiming;
        }

        /// <summary>The device of the event.</summary>
        public Device Device => Device.Cuda(DeviceIndex);

        /// <summary>Whether the event records times.</summary>
        public bool EnableTiming { get; }

        private int DeviceIndex { get; }

        internal nint LiveHandle
        {
            get
            {
                ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
                return _handle.DangerousGetHandle();
            }
        }

        /// <summary>
        /// Records the event at the current end of <paramref name="stream"/> (the current stream of
        /// the event's device when null), replacing any earlier record (record()).
        /// </summary>
        /// <exception cref="DeviceUnavailableException">The stream belongs to another device.</exception>
        public void Record(CudaStream? stream = null)
        {
            stream ??= Cuda.CurrentStream(DeviceIndex);
            NativeMethods.CudaEventRecord(LiveHandle, stream.Handle);
        }

        /// <summary>
        /// Makes work queued on <paramref name="stream"/> (the current stream of the event's device
        /// when null) from now on wait for this event (wait()).
        /// </summary>
        public void Wait(CudaStream? stream = null)
        {
            stream ??= Cuda.CurrentStream(DeviceIndex);
            stream.WaitEvent(this);
        }

        /// <summary>Whether the work before the event's last record has finished, without waiting (query()).</summary>
        public bool Query() => NativeMethods.CudaEventQuery(LiveHandle) != 0;

        /// <summary>Waits on the host until the work before the event's last record has finished (synchronize()).</summary>
        public void Synchronize() => NativeMethods.CudaEventSynchronize(LiveHandle);

        /// <summary>
        /// Milliseconds between this event's record and <paramref name="end"/>'s (elapsed_time()):
        /// both created with <c>enableTiming</c>, both recorded and completed.
        /// </summary>
        /// <exception cref="ArgumentException">Either event was created without timing.</exception>
        public float ElapsedTime(CudaEvent end)
        {
            ArgumentNullException.ThrowIfNull(end);
            return NativeMethods.CudaEventElapsedMs(LiveHandle, end.LiveHandle);
        }

        /// <summary>Frees the event.</summary>
        public void Dispose() => _handle.Dispose();

        /// <summary>The device and whether the event records times.</summary>
        public override string ToString() => $"CudaEvent({Device}, enableTiming: {EnableTiming})";

        private sealed class EventHandle : SafeHandle
        {
            public EventHandle(nint handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

            public override bool IsInvalid => handle == IntPtr.Zero;

            protected override bool ReleaseHandle()
            {
                // May run on the finalizer thread, where an exception would end the process.
                try
                {
                    NativeMethods.CudaEventDestroy(handle);
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }
    }
}
