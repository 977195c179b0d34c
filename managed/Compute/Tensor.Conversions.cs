using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>A contiguous tensor with the same values: this tensor's data when already contiguous, else a copy.</summary>
        public Tensor Contiguous() =>
            Recorder.Record(OwnOrShare(NativeMethods.Contiguous(Handle), this), "CloneBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>A contiguous copy with its own storage.</summary>
        public Tensor Clone() => Recorder.Record(Own(NativeMethods.Clone(Handle)), "CloneBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>The values converted to <paramref name="dtype"/> (the same data when the dtype already matches).</summary>
        public Tensor To(DType dtype)
        {
            Tensor result = OwnOrShare(NativeMethods.ToDtype(Handle, dtype), this);
            return dtype.IsFloatingPoint() ? Recorder.Record(result, "ToCopyBackward0", [this], null, static ctx => [ctx.Grad]) : result;
        }

        /// <summary>The tensor on <paramref name="device"/> (the same data when it is already there).</summary>
        /// <param name="device">Where the result lives.</param>
        /// <param name="nonBlocking">
        /// When true and the copy is between a CUDA device and pinned host memory
        /// (<see cref="PinMemory"/>), it is queued on the device's current stream and this call
        /// returns before it has run, so the host can prepare the next batch meanwhile; a copy to the
        /// host then lands in pinned memory, which must not be read before the stream is synchronised
        /// (<see cref="CudaStream.Synchronize"/>). Other copies are synchronous either way (non_blocking).
        /// </param>
        public Tensor To(Device device, bool nonBlocking = false)
        {
            Device from = Device;
            return Recorder.Record(OwnOrShare(NativeMethods.ToDeviceNonBlocking(Handle, NativeDevice.From(device), nonBlocking ? 1 : 0), this),
                "ToCopyBackward0", [this], null, ctx => [ctx.Grad.To(from)]);
        }

        /// <summary>
        /// A copy of this CPU tensor in page-locked (pinned) host memory, or this tensor when it is
        /// pinned already (pin_memory()): copies between pinned memory and a CUDA device are faster and
        /// can run asynchronously (<see cref="To(Device, bool)"/> with nonBlocking). Needs a CUDA device.
        /// </summary>
        /// <exception cref="DeviceUnavailableException">No CUDA device is available.</exception>
        /// <exception cref="ArgumentException">The tensor is not on the CPU.</exception>
        public Tensor PinMemory() =>
            Recorder.Record(OwnOrShare(NativeMethods.PinMemory(Handle), this), "PinMemoryBackward0", [this], null, static ctx => [ctx.Grad]);

        /// <summary>Whether the tensor lives in pinned host memory (is_pinned()).</summary>
        public bool IsPinned => NativeMethods.IsPinned(Handle) != 0;

        /// <summary>
        /// Tells the caching allocator that work queued on <paramref name="stream"/> uses this CUDA
        /// tensor's memory (record_stream()): when the tensor is freed, its block is not handed out
        /// again until the work queued on that stream by then has finished. Needed when a tensor made
        /// on one stream is used on another and may be freed before that work is done.
        /// </summary>
        /// <exception cref="ArgumentException">The tensor is not on a CUDA device.</exception>
        /// <exception cref="DeviceUnavailableException">The stream belongs to another device.</exception>
        public void RecordStream(CudaStream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            NativeMethods.RecordStream(Handle, stream.Handle);
        }

        /// <summary>Copies <paramref name="source"/> into this tensor in place, broadcasting it and converting its dtype (copy_).</summary>
        /// <param name="source">The values to copy.</param>
        /// <param name="nonBlocking">As for <see cref="To(Device, bool)"/>: a dense copy of the same dtype and shape between a
        /// CUDA device and pinned host memory is queued on the device's current stream and not waited for.</param>
        public Tensor CopyFrom(Tensor source, bool nonBlocking = false)
        {
            ArgumentNullException.ThrowIfNull(source);
            int nb = nonBlocking ? 1 : 0;
            return RecordInPlace(nameof(CopyFrom), h => NativeMethods.CopyNonBlockingInPlace(h, source.Handle, nb), () =>
            {
                // The copy's value is the source broadcast and converted; the overwritten
                // values get no gradient (PyTorch's CopyBackwards).
                Tensor r = EmptyLike(this);
                NativeMethods.CopyNonBlockingInPlace(r.Handle, source.Handle, nb);
                return Recorder.Record(r, "CopyBackwards", [this, source], null, static ctx =>
                    [ctx.Needs(0) ? Zeros(ctx.InputShape(0), ctx.InputDType(0)) : null, ctx.Needs(1) ? ctx.Grad : null]);
            }, source);
        }

        /// <summary>Sets every element to <paramref name="value"/> in place (fill_).</summary>
        public Tensor Fill(Scalar value)
        {
            return RecordInPlace(nameof(Fill), h => NativeMethods.FillInPlace(h, value.Native),
                () => RecordZeroGrad(FullLike(this, value), "FillBackward0", [this]));
        }
    }
}
