using System;
using System.Globalization;
using System.Linq;

namespace Compute.NN
{
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

    /// <summary>
    /// Mean pooling of [N, C, H, W] or [C, H, W] to the given output size (PyTorch's
    /// nn.AdaptiveAvgPool2d); a null size keeps that dim's input size (PyTorch's None).
    /// </summary>
    public class AdaptiveAvgPool2d : Module<Tensor, Tensor>
    {
        private readonly long?[] _outputSize;

        /// <summary>Makes the module; one size means a square output.</summary>
        public AdaptiveAvgPool2d(params long[] outputSize) : this(AdaptivePool.Nullable(outputSize))
        {
        }

        /// <summary>Makes the module; a null size keeps the input's size in that dim (<c>new long?[] { null, 3 }</c> is PyTorch's (None, 3)).</summary>
        public AdaptiveAvgPool2d(long?[] outputSize) => _outputSize = AdaptivePool.Checked(outputSize, 2, nameof(AdaptiveAvgPool2d));

        /// <summary>The output size per dim, null where the input's size is kept (output_size; a copy).</summary>
        public long?[] OutputSize => (long?[])_outputSize.Clone();

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Functional.AdaptiveAvgPool2d(input, _outputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => "output_size=" + AdaptivePool.Format(_outputSize);
    }

    /// <summary>Max pooling of [N, C, L] or [C, L] to <see cref="OutputSize"/> positions (PyTorch's nn.AdaptiveMaxPool1d).</summary>
    public class AdaptiveMaxPool1d : MaxPoolingBase
    {
        /// <summary>Makes the module.</summary>
        public AdaptiveMaxPool1d(long outputSize, bool returnIndices = false) : base(returnIndices) => OutputSize = outputSize;

        /// <summary>The output length (output_size).</summary>
        public long OutputSize { get; }

        private protected override Tensor Pool(Tensor input) => Functional.AdaptiveMaxPool1d(input, OutputSize);

        private protected override (Tensor Output, Tensor Indices) PoolWithIndices(Tensor input) =>
            Functional.AdaptiveMaxPool1dWithIndices(input, OutputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => $"output_size={OutputSize}";
    }

    /// <summary>
    /// Max pooling of [N, C, H, W] or [C, H, W] to the given output size (PyTorch's
    /// nn.AdaptiveMaxPool2d); a null size keeps that dim's input size (PyTorch's None).
    /// </summary>
    public class AdaptiveMaxPool2d : MaxPoolingBase
    {
        private readonly long?[] _outputSize;

        /// <summary>Makes the module; one size means a square output.</summary>
        public AdaptiveMaxPool2d(params long[] outputSize) : this(AdaptivePool.Nullable(outputSize))
        {
        }

        /// <summary>Makes the module with a square output (PyTorch's AdaptiveMaxPool2d(n, return_indices)).</summary>
        public AdaptiveMaxPool2d(long outputSize, bool returnIndices = false) : this([outputSize], returnIndices)
        {
        }

        /// <summary>Makes the module; a null size keeps the input's size in that dim (<c>new long?[] { null, 3 }</c> is PyTorch's (None, 3)).</summary>
        public AdaptiveMaxPool2d(long?[] outputSize, bool returnIndices = false) : base(returnIndices) =>
            _outputSize = AdaptivePool.Checked(outputSize, 2, nameof(AdaptiveMaxPool2d));

        /// <summary>The output size per dim, null where the input's size is kept (output_size; a copy).</summary>
        public long?[] OutputSize => (long?[])_outputSize.Clone();

        private protected override Tensor Pool(Tensor input) => Functional.AdaptiveMaxPool2d(input, _outputSize);

        private protected override (Tensor Output, Tensor Indices) PoolWithIndices(Tensor input) =>
            Functional.AdaptiveMaxPool2dWithIndices(input, _outputSize);

        /// <inheritdoc/>
        public override string ExtraRepr() => "output_size=" + AdaptivePool.Format(_outputSize);
    }

    /// <summary>The output-size handling the 2-d adaptive pool modules share.</summary>
    internal static class AdaptivePool
    {
        internal static long?[] Nullable(long[] outputSize)
        {
            ArgumentNullException.ThrowIfNull(outputSize);
            return outputSize.Select(v => (long?)v).ToArray();
        }

        internal static long?[] Checked(long?[] outputSize, int n, string module)
        {
            ArgumentNullException.ThrowIfNull(outputSize);
            if (outputSize.Length != 1 && outputSize.Length != n)
            {
                throw new ArgumentException($"{module}: outputSize must have 1 or {n} values, got {outputSize.Length}.", nameof(outputSize));
            }
            if (outputSize.Any(v => v < 0))
            {
                throw new ArgumentOutOfRangeException(nameof(outputSize), $"{module}: outputSize must be non-negative, got {Format(outputSize)}.");
            }
            return (long?[])outputSize.Clone();
        }

        /// <summary>As PyTorch prints output_size: "2" for one value, "(None, 3)" for a pair.</summary>
        internal static string Format(long?[] sizes)
        {
            static string One(long? v) => v is long x ? x.ToString(CultureInfo.InvariantCulture) : "None";
            return sizes.Length == 1 ? One(sizes[0]) : "(" + string.Join(", ", sizes.Select(One)) + ")";
        }
    }
}
