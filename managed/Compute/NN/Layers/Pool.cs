using System;

namespace Compute.NN
{
    /// <summary>Max over windows of [N, C, L] or [C, L] (PyTorch's nn.MaxPool1d); <see cref="ForwardWithIndices"/> also returns the argmax indices.</summary>
    public class MaxPool1d : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module; the stride defaults to the kernel size.</summary>
        public MaxPool1d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
        {
            KernelSize = kernelSize;
            Stride = stride ?? kernelSize;
            Padding = padding;
            Dilation = dilation;
            CeilMode = ceilMode;
        }

        /// <summary>Window size (kernel_size).</summary>
        public long KernelSize { get; }

        /// <summary>Window step (stride).</summary>
        public long Stride { get; }

        /// <summary>Implicit -inf padding on both sides (padding).</summary>
        public long Padding { get; }

        /// <summary>Spacing of window elements (dilation).</summary>
        public long Dilation { get; }

        /// <summary>Whether the output size rounds up (ceil_mode).</summary>
        public bool CeilMode { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

        /// <summary>The pooled values and their flat indices in each input plane (PyTorch's return_indices=True).</summary>
        public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
            Functional.MaxPool1dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={Py(CeilMode)}";
    }

    /// <summary>Max over windows of [N, C, H, W] or [C, H, W] (PyTorch's nn.MaxPool2d); <see cref="ForwardWithIndices"/> also returns the argmax indices.</summary>
    public class MaxPool2d : Module<Tensor, Tensor>
    {
        private readonly long[] _kernelSize, _stride, _padding, _dilation;

        /// <summary>Makes the module with square windows; the stride defaults to the kernel size.</summary>
        public MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
            : this([kernelSize], stride is long s ? [s] : null, [padding], [dilation], ceilMode)
        {
        }

        /// <summary>Makes the module with per-dim sizes (one value or two each); the stride defaults to the kernel size.</summary>
        public MaxPool2d(long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false)
        {
            ArgumentNullException.ThrowIfNull(kernelSize);
            _kernelSize = (long[])kernelSize.Clone();
            _stride = (long[])(stride ?? kernelSize).Clone();
            _padding = (long[])(padding ?? [0]).Clone();
            _dilation = (long[])(dilation ?? [1]).Clone();
            CeilMode = ceilMode;
        }

        /// <summary>Whether the output size rounds up (ceil_mode).</summary>
        public bool CeilMode { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.MaxPool2d(input, _kernelSize, _stride, _padding, _dilation, CeilMode);

        /// <summary>The pooled values and their flat indices in each input plane (PyTorch's return_indices=True).</summary>
        public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
            Functional.MaxPool2dWithIndices(input, _kernelSize, _stride, _padding, _dilation, CeilMode);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"kernel_size={PyScalarOrTuple(_kernelSize)}, stride={PyScalarOrTuple(_stride)}, padding={PyScalarOrTuple(_padding)}, " +
            $"dilation={PyScalarOrTuple(_dilation)}, ceil_mode={Py(CeilMode)}";

        private static string PyScalarOrTuple(long[] v) => v.Length == 1 ? v[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : Py(v);
    }

    /// <summary>Mean over windows of [N, C, L] or [C, L] (PyTorch's nn.AvgPool1d).</summary>
    public class AvgPool1d : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module; the stride defaults to the kernel size.</summary>
        public AvgPool1d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true)
        {
            KernelSize = kernelSize;
            Stride = stride ?? kernelSize;
            Padding = padding;
            CeilMode = ceilMode;
            CountIncludePad = countIncludePad;
        }

        /// <summary>Window size (kernel_size).</summary>
        public long KernelSize { get; }

        /// <summary>Window step (stride).</summary>
        public long Stride { get; }

        /// <summary>Implicit zero padding on both sides (padding).</summary>
        public long Padding { get; }

        /// <summary>Whether the output size rounds up (ceil_mode).</summary>
        public bool CeilMode { get; }

        /// <summary>Whether the zero padding counts in the divisor (count_include_pad).</summary>
        public bool CountIncludePad { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.AvgPool1d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},)";
    }

    /// <summary>Mean over windows of [N, C, H, W] or [C, H, W] (PyTorch's nn.AvgPool2d).</summary>
    public class AvgPool2d : Module<Tensor, Tensor>
    {
        private readonly long[] _kernelSize, _stride, _padding;

        /// <summary>Makes the module with square windows; the stride defaults to the kernel size.</summary>
        public AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true,
            long? divisorOverride = null)
            : this([kernelSize], stride is long s ? [s] : null, [padding], ceilMode, countIncludePad, divisorOverride)
        {
        }

        /// <summary>Makes the module with per-dim sizes (one value or two each); the stride defaults to the kernel size.</summary>
        public AvgPool2d(long[] kernelSize, long[]? stride = null, long[]? padding = null, bool ceilMode = false, bool countIncludePad = true,
            long? divisorOverride = null)
        {
            ArgumentNullException.ThrowIfNull(kernelSize);
            _kernelSize = (long[])kernelSize.Clone();
            _stride = (long[])(stride ?? kernelSize).Clone();
            _padding = (long[])(padding ?? [0]).Clone();
            CeilMode = ceilMode;
            CountIncludePad = countIncludePad;
            DivisorOverride = divisorOverride;
        }

        /// <summary>Whether the output size rounds up (ceil_mode).</summary>
        public bool CeilMode { get; }

        /// <summary>Whether the zero padding counts in the divisor (count_include_pad).</summary>
        public bool CountIncludePad { get; }

        /// <summary>A fixed divisor instead of the window size (divisor_override), or null.</summary>
        public long? DivisorOverride { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) =>
            Functional.AvgPool2d(input, _kernelSize, _stride, _padding, CeilMode, CountIncludePad, DivisorOverride);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"kernel_size={Py(_kernelSize)}, stride={Py(_stride)}, padding={Py(_padding)}";
    }

    /// <summary>Mean pooling of [N, C, L] or [C, L] to <see cref="OutputSize"/> positions (PyTorch's nn.AdaptiveAvgPool1d).</summary>
    public class AdaptiveAvgPool1d : Module<Tensor, Tensor>
    {
        /// <summary>Makes the module.</summary>
        public AdaptiveAvgPool1d(long outputSize) => OutputSize = outputSize;

        /// <summary>The output length (output_size).</summary>
        public long OutputSize { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.AdaptiveAvgPool1d(input, OutputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"output_size={OutputSize}";
    }

    /// <summary>Mean pooling of [N, C, H, W] or [C, H, W] to the given output size (PyTorch's nn.AdaptiveAvgPool2d).</summary>
    public class AdaptiveAvgPool2d : Module<Tensor, Tensor>
    {
        private readonly long[] _outputSize;

        /// <summary>Makes the module; one size means a square output.</summary>
        public AdaptiveAvgPool2d(params long[] outputSize)
        {
            ArgumentNullException.ThrowIfNull(outputSize);
            _outputSize = (long[])outputSize.Clone();
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.AdaptiveAvgPool2d(input, _outputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"output_size={(_outputSize.Length == 1 ? _outputSize[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : Py(_outputSize))}";
    }

    /// <summary>Max pooling of [N, C, H, W] or [C, H, W] to the given output size (PyTorch's nn.AdaptiveMaxPool2d).</summary>
    public class AdaptiveMaxPool2d : Module<Tensor, Tensor>
    {
        private readonly long[] _outputSize;

        /// <summary>Makes the module; one size means a square output.</summary>
        public AdaptiveMaxPool2d(params long[] outputSize)
        {
            ArgumentNullException.ThrowIfNull(outputSize);
            _outputSize = (long[])outputSize.Clone();
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.AdaptiveMaxPool2d(input, _outputSize);

        /// <summary>The pooled values and their flat indices in each input plane (PyTorch's return_indices=True).</summary>
        public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) => Functional.AdaptiveMaxPool2dWithIndices(input, _outputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"output_size={(_outputSize.Length == 1 ? _outputSize[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : Py(_outputSize))}";
    }
}
