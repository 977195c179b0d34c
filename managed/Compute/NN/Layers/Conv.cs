using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.NN
{
    /// <summary>
    /// What the convolution layers share (PyTorch's _ConvNd): the options, the weight
    /// ([out, in/groups, *kernel], or [in, out/groups, *kernel] when transposed) and bias, and
    /// PyTorch's default init (kaiming_uniform with a = √5, bias U(-1/√fan_in, 1/√fan_in)).
    /// </summary>
    public abstract class ConvBase : Module<Tensor, Tensor>
    {
        private protected readonly long[] _kernelSize, _stride, _padding, _dilation, _outputPadding;

        private protected ConvBase(int n, string name, long inChannels, long outChannels, long[] kernelSize, long[]? stride, long[]? padding,
            string? paddingString, long[]? dilation, long groups, bool bias, string paddingMode, bool transposed, long[]? outputPadding,
            Device? device, DType dtype)
        {
            ArgumentNullException.ThrowIfNull(paddingMode);
            if (groups <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(groups), groups, $"{name}: groups must be a positive integer.");
            }
            if (inChannels <= 0 || outChannels <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            {
                throw new ArgumentException(
                    $"{name}: in_channels ({inChannels}) and out_channels ({outChannels}) must be positive and divisible by groups ({groups}).");
            }
            _kernelSize = PerDim(kernelSize, n, name, nameof(kernelSize), 1);
            _stride = PerDim(stride ?? [1], n, name, nameof(stride), 1);
            _padding = PerDim(padding ?? [0], n, name, nameof(padding), 0);
            _dilation = PerDim(dilation ?? [1], n, name, nameof(dilation), 1);
            _outputPadding = PerDim(outputPadding ?? [0], n, name, nameof(outputPadding), 0);
            if (paddingString is not null)
            {
                if (paddingString != "same" && paddingString != "valid")
                {
                    throw new ArgumentException($"{name}: invalid padding string \"{paddingString}\", should be one of \"valid\", \"same\".", nameof(padding));
                }
                if (paddingString == "same" && _stride.Any(s => s != 1))
                {
                    throw new ArgumentException($"{name}: padding=\"same\" is not supported for strided convolutions.", nameof(padding));
                }
            }
            if (paddingMode is not ("zeros" or "reflect" or "replicate" or "circular"))
            {
                throw new ArgumentException(
                    $"{name}: paddingMode must be one of \"zeros\", \"reflect\", \"replicate\", \"circular\"; got \"{paddingMode}\".", nameof(paddingMode));
            }
            if (transposed && paddingMode != "zeros")
            {
                throw new ArgumentException($"{name}: only \"zeros\" padding mode is supported.", nameof(paddingMode));
            }
            InChannels = inChannels;
            OutChannels = outChannels;
            Groups = groups;
            PaddingString = paddingString;
            PaddingMode = paddingMode;
            long[] weightShape = transposed ? [inChannels, outChannels / groups, .. _kernelSize] : [outChannels, inChannels / groups, .. _kernelSize];
            Weight = new Parameter(Tensor.Empty(weightShape, dtype, device));
            Bias = bias ? new Parameter(Tensor.Empty([outChannels], dtype, device)) : null;
            ResetParameters();
        }

        /// <summary>Input channels (in_channels).</summary>
        public long InChannels { get; }

        /// <summary>Output channels (out_channels).</summary>
        public long OutChannels { get; }

        /// <summary>Kernel size per spatial dim (kernel_size; a copy).</summary>
        public long[] KernelSize => (long[])_kernelSize.Clone();

        /// <summary>Stride per spatial dim (a copy).</summary>
        public long[] Stride => (long[])_stride.Clone();

        /// <summary>Padding per spatial dim (a copy); see <see cref="PaddingString"/> for "same"/"valid".</summary>
        public long[] Padding => (long[])_padding.Clone();

        /// <summary>"same" or "valid" when the layer was made with a padding string, else null.</summary>
        public string? PaddingString { get; }

        /// <summary>Dilation per spatial dim (a copy).</summary>
        public long[] Dilation => (long[])_dilation.Clone();

        /// <summary>Number of blocked connections from input to output channels (groups).</summary>
        public long Groups { get; }

        /// <summary>How the input is padded: "zeros", "reflect", "replicate" or "circular" (padding_mode).</summary>
        public string PaddingMode { get; }

        /// <summary>The weight ("weight").</summary>
        public Parameter Weight { get; set; }

        /// <summary>The bias [out_channels] ("bias"), or null.</summary>
        public Parameter? Bias { get; set; }

        /// <summary>Draws the parameters again as the constructor does (PyTorch's reset_parameters).</summary>
        public void ResetParameters() => Init.ResetLinearLike(Weight, Bias);

        /// <inheritdoc/>
        public override string ExtraRepr()
        {
            var parts = new List<string> { $"{InChannels}", $"{OutChannels}", $"kernel_size={Py(_kernelSize)}", $"stride={Py(_stride)}" };
            if (PaddingString is not null)
            {
                parts.Add($"padding={PaddingString}");
            }
            else if (_padding.Any(p => p != 0))
            {
                parts.Add($"padding={Py(_padding)}");
            }
            if (_dilation.Any(d => d != 1))
            {
                parts.Add($"dilation={Py(_dilation)}");
            }
            if (_outputPadding.Any(p => p != 0))
            {
                parts.Add($"output_padding={Py(_outputPadding)}");
            }
            if (Groups != 1)
            {
                parts.Add($"groups={Groups}");
            }
            if (Bias is null)
            {
                parts.Add("bias=False");
            }
            if (PaddingMode != "zeros")
            {
                parts.Add($"padding_mode={PaddingMode}");
            }
            return string.Join(", ", parts);
        }

        /// <summary>
        /// Runs <paramref name="conv"/> (a Functional convolution with explicit padding), first
        /// padding the input itself for the non-zero padding modes, as PyTorch does.
        /// </summary>
        private protected Tensor Convolve(Tensor input, Func<Tensor, long[]?, string?, Tensor> conv)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (PaddingMode == "zeros")
            {
                return conv(input, PaddingString is null ? _padding : null, PaddingString);
            }
            int n = _kernelSize.Length;
            var pad = new long[2 * n];
            for (int i = 0; i < n; i++)
            {
                // F.pad lists the last dim first: (left, right) of dim -1, then dim -2, ...
                int d = n - 1 - i;
                long before = _padding[d], after = _padding[d];
                if (PaddingString == "same")
                {
                    long total = _dilation[d] * (_kernelSize[d] - 1);
                    before = total / 2;
                    after = total - before;
                }
                else if (PaddingString == "valid")
                {
                    before = after = 0;
                }
                pad[2 * i] = before;
                pad[2 * i + 1] = after;
            }
            var mode = PaddingMode switch
            {
                "reflect" => NN.PaddingMode.Reflect,
                "replicate" => NN.PaddingMode.Replicate,
                _ => NN.PaddingMode.Circular,
            };
            return conv(Functional.Pad(input, pad, mode), new long[n], null);
        }

        private static long[] PerDim(long[] values, int n, string name, string argument, long min)
        {
            ArgumentNullException.ThrowIfNull(values, argument);
            long[] result = values.Length == 1 ? Enumerable.Repeat(values[0], n).ToArray()
                : values.Length == n ? (long[])values.Clone()
                : throw new ArgumentException($"{name}: {argument} must have 1 or {n} values; got {values.Length}.", argument);
            if (result.Any(v => v < min))
            {
                throw new ArgumentOutOfRangeException(argument, $"{name}: {argument} values must be >= {min}; got {Py(result)}.");
            }
            return result;
        }
    }

    /// <summary>1-D convolution over [N, C_in, L] or [C_in, L] (PyTorch's nn.Conv1d).</summary>
    public class Conv1d : ConvBase
    {
        /// <summary>Makes the layer; sizes given once apply to the one spatial dim.</summary>
        public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
            bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(1, nameof(Conv1d), inChannels, outChannels, [kernelSize], [stride], [padding], null, [dilation], groups, bias, paddingMode,
                false, null, device, dtype)
        {
        }

        /// <summary>Makes the layer with <paramref name="padding"/> "same" or "valid".</summary>
        public Conv1d(long inChannels, long outChannels, long kernelSize, string padding, long stride = 1, long dilation = 1, long groups = 1,
            bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(1, nameof(Conv1d), inChannels, outChannels, [kernelSize], [stride], null, padding, [dilation], groups, bias, paddingMode,
                false, null, device, dtype)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Convolve(input, (x, p, s) => s is null
            ? Functional.Conv1d(x, Weight, Bias, _stride, p, _dilation, Groups)
            : Functional.Conv1d(x, Weight, s, Bias, _stride, _dilation, Groups));
    }

    /// <summary>2-D convolution over [N, C_in, H, W] or [C_in, H, W] (PyTorch's nn.Conv2d).</summary>
    public class Conv2d : ConvBase
    {
        /// <summary>Makes the layer with square kernel, stride, padding and dilation.</summary>
        public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
            bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : this(inChannels, outChannels, [kernelSize], [stride], [padding], [dilation], groups, bias, paddingMode, device, dtype)
        {
        }

        /// <summary>Makes the layer with per-dim sizes (one value or one per spatial dim each).</summary>
        public Conv2d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
            long groups = 1, bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(2, nameof(Conv2d), inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, paddingMode,
                false, null, device, dtype)
        {
        }

        /// <summary>Makes the layer with <paramref name="padding"/> "same" or "valid".</summary>
        public Conv2d(long inChannels, long outChannels, long[] kernelSize, string padding, long[]? stride = null, long[]? dilation = null,
            long groups = 1, bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(2, nameof(Conv2d), inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias, paddingMode,
                false, null, device, dtype)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) => Convolve(input, (x, p, s) => s is null
            ? Functional.Conv2d(x, Weight, Bias, _stride, p, _dilation, Groups)
            : Functional.Conv2d(x, Weight, s, Bias, _stride, _dilation, Groups));
    }

    /// <summary>3-D convolution over [N, C_in, D, H, W] or [C_in, D, H, W] (PyTorch's nn.Conv3d).</summary>
    public class Conv3d : ConvBase
    {
        /// <summary>Makes the layer with cubic kernel, stride, padding and dilation.</summary>
        public Conv3d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
            bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : this(inChannels, outChannels, [kernelSize], [stride], [padding], [dilation], groups, bias, paddingMode, device, dtype)
        {
        }

        /// <summary>Makes the layer with per-dim sizes (one value or one per spatial dim each).</summary>
        public Conv3d(long inChannels, long outChannels, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
            long groups = 1, bool bias = true, string paddingMode = "zeros", Device? device = null, DType dtype = DType.Float32)
            : base(3, nameof(Conv3d), inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, paddingMode,
                false, null, device, dtype)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input) =>
            Convolve(input, (x, p, s) => Functional.Conv3d(x, Weight, Bias, _stride, p, _dilation, Groups));
    }
}
