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
        public Tensor To(Device device)
        {
            Device from = Device;
            return Recorder.Record(OwnOrShare(NativeMethods.ToDevice(Handle, NativeDevice.From(device)), this), "ToCopyBackward0", [this], null,
                ctx => [ctx.Grad.To(from)]);
        }

        /// <summary>Copies <paramref name="source"/> into this tensor in place, broadcasting it and converting its dtype (copy_).</summary>
        public Tensor CopyFrom(Tensor source)
        {
            ArgumentNullException.ThrowIfNull(source);
            return RecordInPlace(nameof(CopyFrom), h => NativeMethods.CopyInPlace(h, source.Handle), () =>
            {
                // The copy's value is the source broadcast and converted; the overwritten
                // values get no gradient (PyTorch's CopyBackwards).
                Tensor r = EmptyLike(this);
                NativeMethods.CopyInPlace(r.Handle, source.Handle);
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
