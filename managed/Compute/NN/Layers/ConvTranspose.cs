using System;
using System.Linq;

namespace Compute.NN
{
    /// <summary>
    /// What ConvTranspose1d/2d share (PyTorch's _ConvTransposeNd): the forward with an
    /// explicit output size, which picks the output padding as PyTorch's _output_padding does.
    /// </summary>
    public abstract class ConvTransposeBase : ConvBase
    {
        private readonly string _name;

        private protected ConvTransposeBase(int n, string name, long inChannels, long outChannels, long[] kernelSize, long[]? stride,
            long[]? padding, long[]? outputPadding, long groups, bool bias, long[]? dilation, string paddingMode, Device? device, DType dtype)
            : base(n, name, inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, paddingMode, true, outputPadding,
                device, dtype)
        {
            _name = name;
        }

        /// <summary>Output padding per spatial dim, used when the forward is given no output size (output_padding; a copy).</summary>
        public long[] OutputPadding => (long[])_outputPadding.Clone();

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Transpose(input, _outputPadding);

        /// <summary>
        /// PyTorch's <c>forward(input, output_size)</c>: the output's spatial size is
        /// <paramref name="outputSize"/> (the spatial sizes, or the whole output shape with the
        /// batch and channel dims), reached by choosing the output padding in place of
        /// <see cref="OutputPadding"/>; null means the constructor's output padding. Every size must
        /// lie between the smallest output, (in - 1)·stride - 2·padding + dilation·(kernel - 1) + 1,
        /// and that plus stride - 1; otherwise an ArgumentException names the sizes.
        /// </summary>
        public Tensor Forward(Tensor input, long[]? outputSize)
        {
            Func<object?[], Tensor> run = args =>
            {
                Tensor x = InputAs<Tensor>(args, 0);
                return Transpose(x, OutputPaddingFor(x, InputAs<long[]?>(args, 1)));
            };
            return HasForwardHooks ? InvokeForward([input, outputSize], run) : run([input, outputSize]);
        }

        /// <summary>The transposed convolution with the given output padding.</summary>
        private protected abstract Tensor Transpose(Tensor input, long[] outputPadding);

        private long[] OutputPaddingFor(Tensor input, long[]? outputSize)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (outputSize is null)
            {
                return _outputPadding;
            }
            int n = _kernelSize.Length;
            int nonSpatial = input.Dim == n + 2 ? 2 : 1;
            long[] wanted = outputSize.Length == n + nonSpatial ? outputSize[nonSpatial..] : outputSize;
            if (wanted.Length != n)
            {
                throw new ArgumentException(
                    $"{_name}: for {input.Dim}D input, outputSize must have {n} or {n + nonSpatial} elements (got {outputSize.Length}).",
                    nameof(outputSize));
            }
            if (input.Dim < n + 1)
            {
                throw new ShapeMismatchException(
                    $"{_name}: expected a {n + 1}-D (unbatched) or {n + 2}-D (batched) input, got shape {Tensor.FormatShape(input.ShapeCached)}.");
            }
            long[] spatial = input.ShapeCached[^n..];
            long[] min = new long[n], max = new long[n];
            for (int d = 0; d < n; d++)
            {
                min[d] = (spatial[d] - 1) * _stride[d] - 2 * _padding[d] + _dilation[d] * (_kernelSize[d] - 1) + 1;
                max[d] = min[d] + _stride[d] - 1;
            }
            if (Enumerable.Range(0, n).Any(d => wanted[d] < min[d] || wanted[d] > max[d]))
            {
                throw new ArgumentException(
                    $"{_name}: requested an output size of {Tensor.FormatShape(wanted)}, but valid sizes range from {Tensor.FormatShape(min)} " +
                    $"to {Tensor.FormatShape(max)} (for an input of {Tensor.FormatShape(spatial)}).", nameof(outputSize));
            }
            return Enumerable.Range(0, n).Select(d => wanted[d] - min[d]).ToArray();
        }
    }

    /// <summary>1-D transposed convolution (PyTorch's nn.ConvTranspose1d); weight [in, out/groups, k].</summary>
    public class ConvTranspose1d : ConvTransposeBase
    {
        /// <summary>Makes the layer (PyTorch's argument order: ..., outputPadding, groups, bias, dilation, paddingMode; only "zeros" padding).</summary>
        public ConvTranspose1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0,
            long groups = 1, bool bias = true, long dilation = 1, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(1, nameof(ConvTranspose1d), inChannels, outChannels, [kernelSize], [stride], [padding], [outputPadding], groups, bias, [dilation],
                paddingMode, device, dtype)
        {
        }

        private protected override Tensor Transpose(Tensor input, long[] outputPadding) =>
            Functional.ConvTranspose1d(input, Weight, Bias, _stride, _padding, outputPadding, Groups, _dilation);
    }

    /// <summary>2-D transposed convolution (PyTorch's nn.ConvTranspose2d); weight [in, out/groups, kH, kW].</summary>
    public class ConvTranspose2d : ConvTransposeBase
    {
        /// <summary>Makes the layer with square sizes (PyTorch's argument order: ..., outputPadding, groups, bias, dilation, paddingMode).</summary>
        public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0,
            long groups = 1, bool bias = true, long dilation = 1, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : this(inChannels, outChannels, [kernelSize], [stride], [padding], [outputPadding], groups, bias, [dilation], paddingMode, device, dtype)
        {
        }

        /// <summary>Makes the layer with per-dim sizes (one value or one per spatial dim each); only "zeros" padding, as in PyTorch.</summary>
        public ConvTranspose2d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, long[]? padding = null,
            long[]? outputPadding = null, long groups = 1, bool bias = true, long[]? dilation = null, string paddingMode = "zeros",
            Device? device = null, DType dtype = DType.Float32)
            : base(2, nameof(ConvTranspose2d), inChannels, outChannels, kernelSize, stride, padding, outputPadding, groups, bias, dilation,
                paddingMode, device, dtype)
        {
        }

        private protected override Tensor Transpose(Tensor input, long[] outputPadding) =>
            Functional.ConvTranspose2d(input, Weight, Bias, _stride, _padding, outputPadding, Groups, _dilation);
    }
}
