using System;

namespace Compute.NN
{
    /// <summary>
    /// What the max pools share (PyTorch's return_indices): <see cref="ForwardWithIndices"/>
    /// returns the maxima and their positions. A pool made with <c>returnIndices: true</c> is
    /// PyTorch's pool whose call returns that pair, so its <see cref="Module{TInput, TOutput}.Forward"/>
    /// (typed to return one tensor) refuses and names ForwardWithIndices instead.
    /// </summary>
    public abstract class MaxPoolingBase : Module<Tensor, Tensor>
    {
        private protected MaxPoolingBase(bool returnIndices) => ReturnIndices = returnIndices;

        /// <summary>Whether the module's call returns the indices with the output (return_indices).</summary>
        public bool ReturnIndices { get; }

        /// <inheritdoc/>
        protected sealed override Tensor ForwardCore(Tensor input)
        {
            if (ReturnIndices)
            {
                throw new InvalidOperationException(
                    $"{GetType().Name}: made with returnIndices: true, its forward returns (output, indices); call ForwardWithIndices.");
            }
            return Pool(input);
        }

        /// <summary>
        /// The pooled values and their flat int64 indices in each input plane (what PyTorch's call
        /// returns with return_indices=True); runs the forward hooks, which see the pair.
        /// </summary>
        public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input) =>
            HasForwardHooks ? InvokeForward([input], args => PoolWithIndices(InputAs<Tensor>(args, 0))) : PoolWithIndices(input);

        /// <summary>The pooled values alone.</summary>
        private protected abstract Tensor Pool(Tensor input);

        /// <summary>The pooled values and their indices.</summary>
        private protected abstract (Tensor Output, Tensor Indices) PoolWithIndices(Tensor input);
    }

    /// <summary>Max over windows of [N, C, L] or [C, L] (PyTorch's nn.MaxPool1d); <see cref="MaxPoolingBase.ForwardWithIndices"/> also returns the argmax indices.</summary>
    public class MaxPool1d : MaxPoolingBase
    {
        /// <summary>Makes the module (PyTorch's argument order); the stride defaults to the kernel size.</summary>
        public MaxPool1d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool returnIndices = false, bool ceilMode = false)
            : base(returnIndices)
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

        private protected override Tensor Pool(Tensor input) => Functional.MaxPool1d(input, KernelSize, Stride, Padding, Dilation, CeilMode);

        private protected override (Tensor Output, Tensor Indices) PoolWithIndices(Tensor input) =>
            Functional.MaxPool1dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);

        /// <inheritdoc/>
        public override string ExtraRepr() =>
            $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={Py(CeilMode)}";
    }

    /// <summary>Max over windows of [N, C, H, W] or [C, H, W] (PyTorch's nn.MaxPool2d); <see cref="MaxPoolingBase.ForwardWithIndices"/> also returns the argmax indices.</summary>
    public class MaxPool2d : MaxPoolingBase
    {
        private readonly long[] _kernelSize, _stride, _padding, _dilation;

        /// <summary>Makes the module with square windows (PyTorch's argument order); the stride defaults to the kernel size.</summary>
        public MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool returnIndices = false, bool ceilMode = false)
            : this([kernelSize], stride is long s ? [s] : null, [padding], [dilation], returnIndices, ceilMode)
        {
        }

        /// <summary>Makes the module with per-dim sizes (one value or two each); the stride defaults to the kernel size.</summary>
        public MaxPool2d(long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool returnIndices = false,
            bool ceilMode = false)
            : base(returnIndices)
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

        private protected override Tensor Pool(Tensor input) => Functional.MaxPool2d(input, _kernelSize, _stride, _padding, _dilation, CeilMode);

        private protected override (Tensor Output, Tensor Indices) PoolWithIndices(Tensor input) =>
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
}
