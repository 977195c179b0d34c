using System;
using Compute.Native;

namespace Compute.NN
{
    /// <summary>How <see cref="Functional.Pad"/> fills the new elements (F.pad's mode).</summary>
    public enum PaddingMode
    {
        /// <summary>A constant value ('constant'); negative pads crop.</summary>
        Constant = 0,
        /// <summary>The input mirrored without repeating the edge ('reflect'); pads must be smaller than the dim.</summary>
        Reflect = 1,
        /// <summary>The edge element repeated ('replicate').</summary>
        Replicate = 2,
        /// <summary>The input wrapped around ('circular'); pads must not exceed the dim.</summary>
        Circular = 3,
    }

    public static partial class Functional
    {
        // Inside Functional the name PaddingMode also denotes private helpers of the conv and
        // grid_sample wrappers (string -> mode int), so the enum is spelled out in full here.

        /// <summary>
        /// Pads the last pad.Length / 2 dims (F.pad): <paramref name="pad"/> holds (left, right)
        /// pairs starting with the last dim. Constant mode fills with <paramref name="value"/> and
        /// takes any number of dims; the other modes pad 1 to 3 dims of an input with one (reflect,
        /// replicate) or two (batch, channel) more dims, and take no value.
        /// </summary>
        public static Tensor Pad(Tensor input, long[] pad, Compute.NN.PaddingMode mode = Compute.NN.PaddingMode.Constant, double value = 0)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(pad);
            if (mode != Compute.NN.PaddingMode.Constant && value != 0)
                throw new ArgumentException($"pad: padding mode {mode} doesn't take in value argument", nameof(value));
            // PyTorch's CPU list has reflection_pad1d/2d and replication_pad1d/2d/3d in float32.
            bool listed = mode == Compute.NN.PaddingMode.Replicate || (mode == Compute.NN.PaddingMode.Reflect && pad.Length <= 4);
            if (listed && AutocastRegion.Recast(AutocastOps.ReflectOrReplicatePad, input) is { } cast)
            {
                return Pad(cast, pad, mode, value);
            }
            return NNFormulas.Pad(Tensor.Own(NativeMethods.Pad(input.Handle, pad, pad.Length, (int)mode, value)), input, pad, mode);
        }

        /// <summary>Gradient of <see cref="Pad"/> with respect to its input of shape <paramref name="inputSizes"/>: each padded element's gradient is added to the element it copied.</summary>
        internal static Tensor PadBackward(Tensor gradOutput, long[] inputSizes, long[] pad, Compute.NN.PaddingMode mode)
        {
            ArgumentNullException.ThrowIfNull(gradOutput);
            ArgumentNullException.ThrowIfNull(inputSizes);
            ArgumentNullException.ThrowIfNull(pad);
            return Tensor.Own(NativeMethods.PadBackward(gradOutput.Handle, inputSizes, inputSizes.Length, pad, pad.Length, (int)mode));
        }
    }
}
