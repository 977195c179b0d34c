using System;
using Compute.Native;

namespace Compute.NN
{
    /// <summary>
    /// Pooling of torch.nn.functional: max, average and adaptive pooling over the trailing 1 or 2
    /// dims of an input shaped [N, C, *spatial] or unbatched [C, *spatial]. A single number for a
    /// per-dim argument applies to every spatial dim, as PyTorch's int arguments do.
    /// </summary>
    public static partial class Functional
    {
        // A per-dim argument: one value for every dim, or exactly one value per dim.
        private static long[] PoolPerDim(long[]? values, int nspatial, string name, long fallback)
        {
            if (values is null || values.Length == 0) return PoolFilled(nspatial, fallback);
            if (values.Length == 1) return PoolFilled(nspatial, values[0]);
            if (values.Length != nspatial)
            {
                throw new ArgumentException($"{name} must have 1 or {nspatial} values, got {values.Length}.", name);
            }
            return values;
        }

        private static long[] PoolFilled(int n, long value)
        {
            var r = new long[n];
            Array.Fill(r, value);
            return r;
        }

        private static (Tensor, Tensor) OwnPoolPair(TensorHandle first, TensorHandle second)
        {
            Tensor a = Tensor.Own(first);
            try
            {
                return (a, Tensor.Own(second));
            }
            catch
            {
                a.Dispose();
                second.Dispose();
                throw;
            }
        }

        private static (Tensor, Tensor) MaxPoolNd(Tensor input, int n, long[] kernelSize, long[]? stride, long[]? padding,
                                                  long[]? dilation, bool ceilMode)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(kernelSize);
            long[] k = PoolPerDim(kernelSize, n, nameof(kernelSize), 0);
            long[]? s = stride is null ? null : PoolPerDim(stride, n, nameof(stride), 0);
            NativeMethods.MaxPool(input.Handle, n, k, s is null ? default : s, PoolPerDim(padding, n, nameof(padding), 0),
                                  PoolPerDim(dilation, n, nameof(dilation), 1), ceilMode ? 1 : 0, out TensorHandle values,
                                  out TensorHandle indices);
            return NNFormulas.MaxPool(OwnPoolPair(values, indices), $"MaxPool{n}DWithIndicesBackward0", input, n);
        }

        private static Tensor DropIndices((Tensor Output, Tensor Indices) r)
        {
            if (r.Output.GradFn is null) // a recorded max pool keeps its indices for backward
            {
                r.Indices.Dispose();
            }
            return r.Output;
        }

        private static Tensor AvgPoolNd(Tensor input, int n, long[] kernelSize, long[]? stride, long[]? padding, bool ceilMode,
                                        bool countIncludePad, long? divisorOverride)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(kernelSize);
            if (divisorOverride is long d && d <= 0)
            {
                throw new ArgumentException($"avg_pool{n}d: divisorOverride must be positive, got {d}.", nameof(divisorOverride));
            }
            long[] k = PoolPerDim(kernelSize, n, nameof(kernelSize), 0);
            long[]? s = stride is null ? null : PoolPerDim(stride, n, nameof(stride), 0);
            long[] p = PoolPerDim(padding, n, nameof(padding), 0);
            return NNFormulas.Linear(Tensor.Own(NativeMethods.AvgPool(input.Handle, n, k, s is null ? default : s, p,
                                                    ceilMode ? 1 : 0, countIncludePad ? 1 : 0, divisorOverride ?? 0)),
                $"AvgPool{n}DBackward0", input, x => AvgPoolNd(x, n, k, s, p, ceilMode, countIncludePad, divisorOverride),
                (g, x) => AvgPoolBackward(g, x, n, k, s, p, ceilMode, countIncludePad, divisorOverride));
        }

        /// <summary>1-d max pooling (F.max_pool1d); stride defaults to kernelSize.</summary>
        public static Tensor MaxPool1d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1,
                                       bool ceilMode = false) =>
            DropIndices(MaxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode));

        /// <summary>F.max_pool1d(..., return_indices=True): the maxima and their int64 positions along the input's last dim.</summary>
        public static (Tensor Output, Tensor Indices) MaxPool1dWithIndices(Tensor input, long kernelSize, long? stride = null,
                                                                           long padding = 0, long dilation = 1, bool ceilMode = false) =>
            MaxPoolNd(input, 1, new[] { kernelSize }, stride is long s ? new[] { s } : null, new[] { padding }, new[] { dilation }, ceilMode);

        /// <summary>
        /// 2-d max pooling (F.max_pool2d). Per-dim arguments take one value (both dims) or two
        /// (height, width); stride defaults to kernelSize. A NaN in a window is its maximum.
        /// </summary>
        public static Tensor MaxPool2d(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null,
                                       long[]? dilation = null, bool ceilMode = false) =>
            DropIndices(MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode));

        /// <summary>2-d max pooling with a square kernel (F.max_pool2d(x, k)).</summary>
        public static Tensor MaxPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1,
                                       bool ceilMode = false) =>
            MaxPool2d(input, new[] { kernelSize }, stride is long s ? new[] { s } : null, new[] { padding }, new[] { dilation }, ceilMode);

        /// <summary>F.max_pool2d(..., return_indices=True): the maxima and their int64 positions in the flattened input plane (h * W + w).</summary>
        public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, long[] kernelSize, long[]? stride = null,
                                                                           long[]? padding = null, long[]? dilation = null,
                                                                           bool ceilMode = false) =>
            MaxPoolNd(input, 2, kernelSize, stride, padding, dilation, ceilMode);

        /// <summary>1-d average pooling (F.avg_pool1d); stride defaults to kernelSize.</summary>
        public static Tensor AvgPool1d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false,
                                       bool countIncludePad = true) =>
            AvgPoolNd(input, 1, new[] { kernelSize }, stride is long s ? new[] { s } : null, new[] { padding }, ceilMode,
                      countIncludePad, null);

        /// <summary>
        /// 2-d average pooling (F.avg_pool2d). countIncludePad counts zero padding in the divisor;
        /// divisorOverride replaces the divisor. Floating and int64 inputs.
        /// </summary>
        public static Tensor AvgPool2d(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null,
                                       bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null) =>
            AvgPoolNd(input, 2, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);

        /// <summary>2-d average pooling with a square kernel (F.avg_pool2d(x, k)).</summary>
        public static Tensor AvgPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false,
                                       bool countIncludePad = true, long? divisorOverride = null) =>
            AvgPool2d(input, new[] { kernelSize }, stride is long s ? new[] { s } : null, new[] { padding }, ceilMode,
                      countIncludePad, divisorOverride);

        /// <summary>Adaptive average pooling to outputSize along the last dim (F.adaptive_avg_pool1d).</summary>
        public static Tensor AdaptiveAvgPool1d(Tensor input, long outputSize)
        {
            ArgumentNullException.ThrowIfNull(input);
            return NNFormulas.Linear(Tensor.Own(NativeMethods.AdaptiveAvgPool(input.Handle, 1, new[] { outputSize })),
                "AdaptiveAvgPool1DBackward0", input, x => AdaptiveAvgPool1d(x, outputSize), (g, x) => AdaptiveAvgPoolBackward(g, x, 1));
        }

        /// <summary>
        /// Adaptive average pooling to outputSize (F.adaptive_avg_pool2d) where a null size keeps
        /// that dim's input size, as PyTorch's None does: <c>(null, 3)</c> pools only the width.
        /// </summary>
        public static Tensor AdaptiveAvgPool2d(Tensor input, long?[] outputSize) =>
            AdaptiveAvgPool2d(input, AdaptiveSizes(input, outputSize, 2, "adaptive_avg_pool2d"));

        /// <summary>Adaptive average pooling to outputSize (one value or height, width) (F.adaptive_avg_pool2d).</summary>
        public static Tensor AdaptiveAvgPool2d(Tensor input, params long[] outputSize)
        {
            ArgumentNullException.ThrowIfNull(input);
            return NNFormulas.Linear(Tensor.Own(NativeMethods.AdaptiveAvgPool(input.Handle, 2, PoolPerDim(outputSize, 2, nameof(outputSize), 0))),
                "AdaptiveAvgPool2DBackward0", input, x => AdaptiveAvgPool2d(x, outputSize), (g, x) => AdaptiveAvgPoolBackward(g, x, 2));
        }

        /// <summary>Adaptive max pooling to outputSize along the last dim (F.adaptive_max_pool1d).</summary>
        public static Tensor AdaptiveMaxPool1d(Tensor input, long outputSize) => DropIndices(AdaptiveMaxPool1dWithIndices(input, outputSize));

        /// <summary>F.adaptive_max_pool1d(..., return_indices=True): the maxima and their int64 positions along the input's last dim.</summary>
        public static (Tensor Output, Tensor Indices) AdaptiveMaxPool1dWithIndices(Tensor input, long outputSize) =>
            AdaptiveMaxPoolNd(input, 1, [outputSize]);

        /// <summary>Adaptive max pooling to outputSize where a null size keeps that dim's input size (F.adaptive_max_pool2d with None).</summary>
        public static Tensor AdaptiveMaxPool2d(Tensor input, long?[] outputSize) =>
            AdaptiveMaxPool2d(input, AdaptiveSizes(input, outputSize, 2, "adaptive_max_pool2d"));

        /// <summary>F.adaptive_max_pool2d(..., return_indices=True) where a null size keeps that dim's input size.</summary>
        public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, long?[] outputSize) =>
            AdaptiveMaxPool2dWithIndices(input, AdaptiveSizes(input, outputSize, 2, "adaptive_max_pool2d"));

        /// <summary>Adaptive max pooling to outputSize (one value or height, width) (F.adaptive_max_pool2d).</summary>
        public static Tensor AdaptiveMaxPool2d(Tensor input, params long[] outputSize) =>
            DropIndices(AdaptiveMaxPool2dWithIndices(input, outputSize));

        /// <summary>F.adaptive_max_pool2d(..., return_indices=True): maxima and their positions in the flattened input plane.</summary>
        public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, params long[] outputSize) =>
            AdaptiveMaxPoolNd(input, 2, PoolPerDim(outputSize, 2, nameof(outputSize), 0));

        private static (Tensor Output, Tensor Indices) AdaptiveMaxPoolNd(Tensor input, int n, long[] outputSize)
        {
            ArgumentNullException.ThrowIfNull(input);
            NativeMethods.AdaptiveMaxPool(input.Handle, n, outputSize, out TensorHandle values, out TensorHandle indices);
            return NNFormulas.MaxPool(OwnPoolPair(values, indices), $"AdaptiveMaxPool{n}DBackward0", input, n);
        }

        /// <summary>
        /// The output size of an adaptive pool given with PyTorch's None: one value for every dim
        /// or one per dim, a null keeping the input's size in that dim.
        /// </summary>
        private static long[] AdaptiveSizes(Tensor input, long?[] outputSize, int n, string op)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(outputSize);
            if (outputSize.Length != 1 && outputSize.Length != n)
            {
                throw new ArgumentException($"{op}: outputSize must have 1 or {n} values, got {outputSize.Length}.", nameof(outputSize));
            }
            if (input.Dim < n + 1)
            {
                throw new ShapeMismatchException(
                    $"{op}: expected a {n + 1}-D (unbatched) or {n + 2}-D (batched) input, got shape {Tensor.FormatShape(input.ShapeCached)}.");
            }
            long[] shape = input.ShapeCached;
            var sizes = new long[n];
            for (int i = 0; i < n; i++)
            {
                sizes[i] = outputSize[outputSize.Length == 1 ? 0 : i] ?? shape[shape.Length - n + i];
            }
            return sizes;
        }

        // ---- backward kernels (internal: autograd, issue 4, wires them) ----------------------

        /// <summary>Gradient of max pooling or adaptive max pooling over nspatial dims, from the indices the forward returned.</summary>
        internal static Tensor MaxPoolBackward(Tensor gradOutput, Tensor input, int nspatial, Tensor indices) =>
            Tensor.Own(NativeMethods.MaxPoolBackward(gradOutput.Handle, input.Handle, nspatial, indices.Handle));

        /// <summary>Gradient of average pooling (same per-dim arguments as the forward, each of nspatial values).</summary>
        internal static Tensor AvgPoolBackward(Tensor gradOutput, Tensor input, int nspatial, long[] kernelSize, long[]? stride,
                                               long[] padding, bool ceilMode, bool countIncludePad, long? divisorOverride) =>
            Tensor.Own(NativeMethods.AvgPoolBackward(gradOutput.Handle, input.Handle, nspatial, kernelSize,
                                                     stride is null ? default : stride, padding, ceilMode ? 1 : 0,
                                                     countIncludePad ? 1 : 0, divisorOverride ?? 0));

        /// <summary>Gradient of adaptive average pooling over nspatial dims.</summary>
        internal static Tensor AdaptiveAvgPoolBackward(Tensor gradOutput, Tensor input, int nspatial) =>
            Tensor.Own(NativeMethods.AdaptiveAvgPoolBackward(gradOutput.Handle, input.Handle, nspatial));
    }
}
