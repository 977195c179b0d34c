using System;
using Compute.Native;

namespace Compute.NN
{
    /// <summary>
    /// Convolutions (F.conv1d/2d/3d, F.conv_transpose1d/2d/3d), F.unfold and F.fold, and the
    /// internal backward kernels that autograd calls. Per-dim arguments take one value (used
    /// for every spatial dim, like a Python int) or one value per spatial dim (like a tuple).
    /// </summary>
    public static partial class Functional
    {
        // cmp_conv_padding and cmp_conv_grad values (compute/ops/nn_conv.h).
        private const int PaddingExplicit = 0, PaddingValid = 1, PaddingSame = 2;
        private const int GradInput = 1, GradWeight = 2, GradBias = 4;

        /// <summary>1-d convolution (F.conv1d) of a [N, C_in, L] or [C_in, L] input with a [C_out, C_in / groups, k] weight.</summary>
        public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                    long[]? padding = null, long[]? dilation = null, long groups = 1) =>
            Convolution(1, input, weight, bias, stride, padding, PaddingExplicit, dilation, groups);

        /// <summary>F.conv1d with padding "same" or "valid".</summary>
        public static Tensor Conv1d(Tensor input, Tensor weight, string padding, Tensor? bias = null,
                                    long[]? stride = null, long[]? dilation = null, long groups = 1) =>
            Convolution(1, input, weight, bias, stride, null, PaddingMode(padding), dilation, groups);

        /// <summary>2-d convolution (F.conv2d) of a [N, C_in, H, W] or [C_in, H, W] input with a [C_out, C_in / groups, kH, kW] weight.</summary>
        public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                    long[]? padding = null, long[]? dilation = null, long groups = 1) =>
            Convolution(2, input, weight, bias, stride, padding, PaddingExplicit, dilation, groups);

        /// <summary>F.conv2d with padding "same" (odd extra zero at the end for even kernels; stride 1 only) or "valid".</summary>
        public static Tensor Conv2d(Tensor input, Tensor weight, string padding, Tensor? bias = null,
                                    long[]? stride = null, long[]? dilation = null, long groups = 1) =>
            Convolution(2, input, weight, bias, stride, null, PaddingMode(padding), dilation, groups);

        /// <summary>3-d convolution (F.conv3d) of a [N, C_in, D, H, W] or [C_in, D, H, W] input.</summary>
        public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                    long[]? padding = null, long[]? dilation = null, long groups = 1) =>
            Convolution(3, input, weight, bias, stride, padding, PaddingExplicit, dilation, groups);

        /// <summary>F.conv3d with padding "same" or "valid".</summary>
        public static Tensor Conv3d(Tensor input, Tensor weight, string padding, Tensor? bias = null,
                                    long[]? stride = null, long[]? dilation = null, long groups = 1) =>
            Convolution(3, input, weight, bias, stride, null, PaddingMode(padding), dilation, groups);

        /// <summary>Transposed 1-d convolution (F.conv_transpose1d): weight is [C_in, C_out / groups, k].</summary>
        public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                             long[]? padding = null, long[]? outputPadding = null, long groups = 1,
                                             long[]? dilation = null) =>
            TransposedConvolution(1, input, weight, bias, stride, padding, outputPadding, groups, dilation);

        /// <summary>Transposed 2-d convolution (F.conv_transpose2d): weight is [C_in, C_out / groups, kH, kW].</summary>
        public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                             long[]? padding = null, long[]? outputPadding = null, long groups = 1,
                                             long[]? dilation = null) =>
            TransposedConvolution(2, input, weight, bias, stride, padding, outputPadding, groups, dilation);

        /// <summary>Transposed 3-d convolution (F.conv_transpose3d): weight is [C_in, C_out / groups, kD, kH, kW].</summary>
        public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null,
                                             long[]? padding = null, long[]? outputPadding = null, long groups = 1,
                                             long[]? dilation = null) =>
            TransposedConvolution(3, input, weight, bias, stride, padding, outputPadding, groups, dilation);

        /// <summary>Sliding local blocks of a [N, C, H, W] or [C, H, W] input as columns [N, C * kH * kW, L] (F.unfold).</summary>
        public static Tensor Unfold(Tensor input, long[] kernelSize, long[]? dilation = null, long[]? padding = null,
                                    long[]? stride = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return NNFormulas.AdjointPair(Tensor.Own(NativeMethods.Unfold(input.Handle, PerDim(kernelSize, 2, 0, nameof(kernelSize)),
                PerDim(dilation, 2, 1, nameof(dilation)), PerDim(padding, 2, 0, nameof(padding)),
                PerDim(stride, 2, 1, nameof(stride)))), "Im2ColBackward0", input,
                (g, shape) => Fold(g, shape[^2..], kernelSize, dilation, padding, stride));
        }

        /// <summary>Sums columns [N, C * kH * kW, L] back into an image [N, C, *outputSize] (F.fold, the adjoint of Unfold).</summary>
        public static Tensor Fold(Tensor input, long[] outputSize, long[] kernelSize, long[]? dilation = null,
                                  long[]? padding = null, long[]? stride = null)
        {
            ArgumentNullException.ThrowIfNull(input);
            return NNFormulas.AdjointPair(Tensor.Own(NativeMethods.Fold(input.Handle, PerDim(outputSize, 2, 0, nameof(outputSize)),
                PerDim(kernelSize, 2, 0, nameof(kernelSize)), PerDim(dilation, 2, 1, nameof(dilation)),
                PerDim(padding, 2, 0, nameof(padding)), PerDim(stride, 2, 1, nameof(stride)))), "Col2ImBackward0", input,
                (g, _) => Unfold(g, kernelSize, dilation, padding, stride));
        }

        /// <summary>
        /// Gradients of a convolution of nspatial dims (same arguments as Conv1d/2d/3d; paddingMode
        /// "same" or "valid" overrides padding). Only the requested gradients are computed; the
        /// others are null.
        /// </summary>
        internal static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) ConvBackward(
            Tensor gradOutput, Tensor input, Tensor weight, int nspatial, long[]? stride = null, long[]? padding = null,
            string? paddingMode = null, long[]? dilation = null, long groups = 1, bool inputGrad = true,
            bool weightGrad = true, bool biasGrad = true)
        {
            ArgumentNullException.ThrowIfNull(gradOutput);
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            int mode = paddingMode is null ? PaddingExplicit : PaddingMode(paddingMode);
            NativeMethods.ConvBackward(gradOutput.Handle, input.Handle, weight.Handle, nspatial,
                PerDim(stride, nspatial, 1, nameof(stride)),
                mode == PaddingExplicit ? PerDim(padding, nspatial, 0, nameof(padding)) : default,
                mode, PerDim(dilation, nspatial, 1, nameof(dilation)), groups, Mask(inputGrad, weightGrad, biasGrad),
                out TensorHandle gi, out TensorHandle gw, out TensorHandle gb);
            return (OwnOrNull(gi), OwnOrNull(gw), OwnOrNull(gb));
        }

        /// <summary>Gradients of a transposed convolution (same arguments as ConvTranspose1d/2d/3d); as ConvBackward.</summary>
        internal static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) ConvTransposeBackward(
            Tensor gradOutput, Tensor input, Tensor weight, int nspatial, long[]? stride = null, long[]? padding = null,
            long[]? outputPadding = null, long groups = 1, long[]? dilation = null, bool inputGrad = true,
            bool weightGrad = true, bool biasGrad = true)
        {
            ArgumentNullException.ThrowIfNull(gradOutput);
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            NativeMethods.ConvTransposeBackward(gradOutput.Handle, input.Handle, weight.Handle, nspatial,
                PerDim(stride, nspatial, 1, nameof(stride)), PerDim(padding, nspatial, 0, nameof(padding)),
                PerDim(outputPadding, nspatial, 0, nameof(outputPadding)), groups,
                PerDim(dilation, nspatial, 1, nameof(dilation)), Mask(inputGrad, weightGrad, biasGrad),
                out TensorHandle gi, out TensorHandle gw, out TensorHandle gb);
            return (OwnOrNull(gi), OwnOrNull(gw), OwnOrNull(gb));
        }

        private static Tensor Convolution(int nspatial, Tensor input, Tensor weight, Tensor? bias, long[]? stride,
                                          long[]? padding, int mode, long[]? dilation, long groups)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            if (AutocastRegion.Recast(AutocastOps.Conv, input, weight, bias) is { } cast)
            {
                return Convolution(nspatial, cast.A, cast.B!, cast.C, stride, padding, mode, dilation, groups);
            }
            using var none = new TensorHandle();
            return NNFormulas.Convolution(Tensor.Own(NativeMethods.Conv(input.Handle, weight.Handle, bias?.Handle ?? none, nspatial,
                PerDim(stride, nspatial, 1, nameof(stride)),
                mode == PaddingExplicit ? PerDim(padding, nspatial, 0, nameof(padding)) : default, mode,
                PerDim(dilation, nspatial, 1, nameof(dilation)), groups)), input, weight, bias, new NNFormulas.ConvOps(
                (x, w) => Convolution(nspatial, x, w, null, stride, padding, mode, dilation, groups),
                (g, x, w, need) => ConvBackward(g, x, w, nspatial, stride, padding,
                    mode == PaddingExplicit ? null : mode == PaddingSame ? "same" : "valid", dilation, groups, need.Input, need.Weight, need.Bias)));
        }

        private static Tensor TransposedConvolution(int nspatial, Tensor input, Tensor weight, Tensor? bias,
                                                    long[]? stride, long[]? padding, long[]? outputPadding, long groups,
                                                    long[]? dilation)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(weight);
            if (AutocastRegion.Recast(AutocastOps.ConvTranspose, input, weight, bias) is { } cast)
            {
                return TransposedConvolution(nspatial, cast.A, cast.B!, cast.C, stride, padding, outputPadding, groups, dilation);
            }
            using var none = new TensorHandle();
            return NNFormulas.Convolution(Tensor.Own(NativeMethods.ConvTranspose(input.Handle, weight.Handle, bias?.Handle ?? none, nspatial,
                PerDim(stride, nspatial, 1, nameof(stride)), PerDim(padding, nspatial, 0, nameof(padding)),
                PerDim(outputPadding, nspatial, 0, nameof(outputPadding)), groups,
                PerDim(dilation, nspatial, 1, nameof(dilation)))), input, weight, bias, new NNFormulas.ConvOps(
                (x, w) => TransposedConvolution(nspatial, x, w, null, stride, padding, outputPadding, groups, dilation),
                (g, x, w, need) => ConvTransposeBackward(g, x, w, nspatial, stride, padding, outputPadding, groups, dilation,
                    need.Input, need.Weight, need.Bias)));
        }

        // One value repeats for every dim (PyTorch's int form); null takes the default. The C ABI
        // reads exactly nspatial values, so any other length is rejected here.
        private static long[] PerDim(long[]? values, int nspatial, long defaultValue, string name)
        {
            if (values is null)
            {
                var filled = new long[nspatial];
                Array.Fill(filled, defaultValue);
                return filled;
            }
            if (values.Length == nspatial) return values;
            if (values.Length == 1)
            {
                var filled = new long[nspatial];
                Array.Fill(filled, values[0]);
                return filled;
            }
            throw new ArgumentException($"expected {name} to have 1 or {nspatial} values, but got {values.Length}", name);
        }

        private static int PaddingMode(string padding)
        {
            ArgumentNullException.ThrowIfNull(padding);
            return padding switch
            {
                "same" => PaddingSame,
                "valid" => PaddingValid,
                _ => throw new ArgumentException($"padding must be \"same\" or \"valid\", but got \"{padding}\"", nameof(padding)),
            };
        }

        private static int Mask(bool input, bool weight, bool bias) =>
            (input ? GradInput : 0) | (weight ? GradWeight : 0) | (bias ? GradBias : 0);

        private static Tensor? OwnOrNull(TensorHandle h)
        {
            if (!h.IsInvalid) return Tensor.Own(h);
            h.Dispose();
            return null;
        }
    }
}
