using System;
using System.Collections.Generic;

namespace Compute.Data
{
    /// <summary>A transform of one sample tensor (a torchvision.transforms callable).</summary>
    public interface ITransform
    {
        /// <summary>The transformed sample (a new tensor, or the input where nothing changes).</summary>
        Tensor Apply(Tensor input);
    }

    /// <summary>Transforms applied one after another (transforms.Compose).</summary>
    public sealed class Compose : ITransform
    {
        private readonly ITransform[] _transforms;

        /// <summary>Applies <paramref name="transforms"/> in order.</summary>
        public Compose(params ITransform[] transforms)
        {
            ArgumentNullException.ThrowIfNull(transforms);
            foreach (ITransform t in transforms)
            {
                ArgumentNullException.ThrowIfNull(t, nameof(transforms));
            }
            _transforms = (ITransform[])transforms.Clone();
        }

        /// <summary>The transforms, in order.</summary>
        public IReadOnlyList<ITransform> Transforms => _transforms;

        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            Tensor x = input;
            foreach (ITransform t in _transforms)
            {
                x = t.Apply(x);
            }
            return x;
        }
    }

    /// <summary>A transform from a function (transforms.Lambda).</summary>
    public sealed class Lambda : ITransform
    {
        private readonly Func<Tensor, Tensor> _function;

        /// <summary>Applies <paramref name="function"/>.</summary>
        public Lambda(Func<Tensor, Tensor> function) => _function = function ?? throw new ArgumentNullException(nameof(function));

        /// <inheritdoc/>
        public Tensor Apply(Tensor input) => _function(input);
    }

    /// <summary>
    /// An image as float32 [C, H, W] in [0, 1] (transforms.ToTensor): a uint8 image [H, W, C] or
    /// [H, W] (as the readers return them) is moved to channels first and divided by 255; a
    /// floating-point image is only moved to channels first.
    /// </summary>
    public sealed class ToTensor : ITransform
    {
        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Dim is not (2 or 3))
            {
                throw new ArgumentException($"ToTensor: pic should be 2 or 3 dimensional [H, W] or [H, W, C], got shape [{string.Join(", ", input.Shape)}].",
                                            nameof(input));
            }
            Tensor chw = input.Dim == 2 ? input.Unsqueeze(0) : input.Permute(2, 0, 1);
            if (input.DType == DType.UInt8)
            {
                using Tensor asFloat = chw.To(DType.Float32);
                return asFloat.Div(255);
            }
            return chw.Contiguous();
        }
    }

    /// <summary>(input - mean[c]) / std[c] per channel of a float image [..., C, H, W] (transforms.Normalize).</summary>
    public sealed class Normalize : ITransform
    {
        private readonly double[] _mean;
        private readonly double[] _std;

        /// <summary>Normalises with per-channel <paramref name="mean"/> and <paramref name="std"/> (one value each applies to every channel).</summary>
        public Normalize(double[] mean, double[] std, bool inplace = false)
        {
            ArgumentNullException.ThrowIfNull(mean);
            ArgumentNullException.ThrowIfNull(std);
            if (mean.Length == 0 || std.Length == 0)
            {
                throw new ArgumentException("Normalize: mean and std need at least one value each.");
            }
            foreach (double s in std)
            {
                if (s == 0)
                {
                    throw new ArgumentException($"Normalize: std evaluated to zero after conversion to float32, leading to division by zero (std = [{string.Join(", ", std)}]).",
                                                nameof(std));
                }
            }
            _mean = (double[])mean.Clone();
            _std = (double[])std.Clone();
            Inplace = inplace;
        }

        /// <summary>Whether the input tensor itself is overwritten.</summary>
        public bool Inplace { get; }

        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!input.DType.IsFloatingPoint())
            {
                throw new ArgumentException($"Normalize: Input tensor should be a float tensor. Got {input.DType.Name()}.", nameof(input));
            }
            if (input.Dim < 3)
            {
                throw new ArgumentException($"Normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got shape [{string.Join(", ", input.Shape)}].",
                                            nameof(input));
            }
            long channels = input.Size(-3);
            long[] perChannel = { channels, 1, 1 };
            using Tensor mean = Broadcast(_mean, channels, "mean", input.DType).Reshape(perChannel);
            using Tensor std = Broadcast(_std, channels, "std", input.DType).Reshape(perChannel);
            if (Inplace)
            {
                return input.SubInPlace(mean).DivInPlace(std);
            }
            using Tensor centred = input - mean;
            return centred / std;
        }

        private static Tensor Broadcast(double[] values, long channels, string name, DType dtype)
        {
            if (values.Length != 1 && values.Length != channels)
            {
                throw new ArgumentException($"Normalize: {name} has {values.Length} values for an image of {channels} channels.");
            }
            var full = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                full[c] = values[values.Length == 1 ? 0 : c];
            }
            using Tensor t = Tensor.From(full);
            return t.To(dtype);
        }
    }
}
