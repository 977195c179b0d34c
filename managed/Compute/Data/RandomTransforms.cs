using System;
using Compute.NN;

namespace Compute.Data
{
    /// <summary>
    /// A random crop of the last two dims of an image [..., H, W] (transforms.RandomCrop), after
    /// optional padding. Draws from the loader's per-batch generator, so augmentation is
    /// reproducible and independent of the number of workers.
    /// </summary>
    public sealed class RandomCrop : ITransform
    {
        private readonly long _height;
        private readonly long _width;
        private readonly long[]? _padding;   // left, right, top, bottom

        /// <summary>Crops to <paramref name="size"/> (height, width).</summary>
        /// <param name="size">Output height and width.</param>
        /// <param name="padding">Padding first: one value (all sides), two (left/right, top/bottom) or four (left, top, right, bottom), as torchvision.</param>
        /// <param name="padIfNeeded">Pads an image smaller than the crop up to its size.</param>
        /// <param name="fill">The constant for <see cref="PaddingMode.Constant"/>.</param>
        /// <param name="paddingMode">Constant, reflect or replicate (torchvision's edge), or circular.</param>
        public RandomCrop((long Height, long Width) size, long[]? padding = null, bool padIfNeeded = false, double fill = 0,
                          PaddingMode paddingMode = PaddingMode.Constant)
        {
            if (size.Height <= 0 || size.Width <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), $"RandomCrop: size must be positive, got ({size.Height}, {size.Width}).");
            }
            _height = size.Height;
            _width = size.Width;
            _padding = padding is null ? null : padding.Length switch
            {
                1 => new[] { padding[0], padding[0], padding[0], padding[0] },
                2 => new[] { padding[0], padding[0], padding[1], padding[1] },
                4 => new[] { padding[0], padding[2], padding[1], padding[3] },
                _ => throw new ArgumentException($"RandomCrop: padding must have 1, 2 or 4 values, got {padding.Length}.", nameof(padding)),
            };
            PadIfNeeded = padIfNeeded;
            Fill = fill;
            PaddingMode = paddingMode;
        }

        /// <summary>A square crop of <paramref name="size"/> x <paramref name="size"/> (see the other constructor).</summary>
        public RandomCrop(long size, long[]? padding = null, bool padIfNeeded = false, double fill = 0, PaddingMode paddingMode = PaddingMode.Constant)
            : this((size, size), padding, padIfNeeded, fill, paddingMode)
        {
        }

        /// <summary>Whether a too small image is padded up to the crop size.</summary>
        public bool PadIfNeeded { get; }

        /// <summary>Constant fill value for padding.</summary>
        public double Fill { get; }

        /// <summary>How padding is filled.</summary>
        public PaddingMode PaddingMode { get; }

        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Dim < 2)
            {
                throw new ArgumentException($"RandomCrop: expected an image [..., H, W], got shape [{string.Join(", ", input.Shape)}].", nameof(input));
            }
            using var scope = TensorScope.Begin();
            Tensor x = input;
            if (_padding != null)
            {
                x = Pad(x, _padding);
            }
            if (PadIfNeeded && x.Size(-1) < _width)
            {
                long d = _width - x.Size(-1);
                x = Pad(x, new[] { d, d, 0L, 0L });
            }
            if (PadIfNeeded && x.Size(-2) < _height)
            {
                long d = _height - x.Size(-2);
                x = Pad(x, new[] { 0L, 0L, d, d });
            }
            long h = x.Size(-2), w = x.Size(-1);
            if (h < _height || w < _width)
            {
                throw new ArgumentException(
                    $"RandomCrop: Required crop size ({_height}, {_width}) is larger than input image size ({h}, {w}).", nameof(input));
            }
            Generator g = DataRandom.Current;
            long top = g.NextInt64(h - _height + 1);
            long left = g.NextInt64(w - _width + 1);
            return scope.Keep(x.Narrow(-2, top, _height).Narrow(-1, left, _width).Contiguous());
        }

        // F.pad wants a batch/channel dim in front for the non-constant modes; images [H, W] get one.
        private Tensor Pad(Tensor x, long[] pad)
        {
            if (x.Dim == 2)
            {
                return Functional.Pad(x.Unsqueeze(0), pad, PaddingMode, PaddingMode == PaddingMode.Constant ? Fill : 0).Squeeze(0);
            }
            return Functional.Pad(x, pad, PaddingMode, PaddingMode == PaddingMode.Constant ? Fill : 0);
        }
    }

    /// <summary>Flips an image [..., H, W] left-right with probability p (transforms.RandomHorizontalFlip).</summary>
    public sealed class RandomHorizontalFlip : ITransform
    {
        /// <summary>Flips with probability <paramref name="p"/>.</summary>
        public RandomHorizontalFlip(double p = 0.5)
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(p), p, "RandomHorizontalFlip: p must be in [0, 1].");
            }
            P = p;
        }

        /// <summary>Probability of a flip.</summary>
        public double P { get; }

        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Dim < 2)
            {
                throw new ArgumentException($"RandomHorizontalFlip: expected an image [..., H, W], got shape [{string.Join(", ", input.Shape)}].", nameof(input));
            }
            // torch.rand(1) < p, drawn from the batch's generator.
            return DataRandom.Current.NextDouble() < P ? input.Flip(-1) : input;
        }
    }

    /// <summary>
    /// Resizes an image [..., C, H, W] or [H, W] (transforms.Resize) through
    /// <see cref="Functional.Interpolate(Tensor, long[], double[], string, bool?, bool?)"/>: to (height, width),
    /// or with one size the smaller edge to it, keeping the aspect ratio. uint8 images are
    /// interpolated in float32 and rounded back, as torchvision does. No antialiasing.
    /// </summary>
    public sealed class Resize : ITransform
    {
        private readonly long _height;
        private readonly long _width;
        private readonly bool _smallerEdge;

        /// <summary>Resizes to <paramref name="height"/> x <paramref name="width"/> with <paramref name="interpolation"/> ("bilinear" or "nearest").</summary>
        public Resize(long height, long width, string interpolation = "bilinear")
        {
            if (height <= 0 || width <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(height), $"Resize: size must be positive, got ({height}, {width}).");
            }
            _height = height;
            _width = width;
            Interpolation = CheckMode(interpolation);
        }

        /// <summary>Resizes the smaller edge to <paramref name="size"/>, keeping the aspect ratio.</summary>
        public Resize(long size, string interpolation = "bilinear")
        {
            if (size <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(size), size, "Resize: size must be positive.");
            }
            _height = _width = size;
            _smallerEdge = true;
            Interpolation = CheckMode(interpolation);
        }

        /// <summary>The interpolation mode.</summary>
        public string Interpolation { get; }

        /// <inheritdoc/>
        public Tensor Apply(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Dim < 2)
            {
                throw new ArgumentException($"Resize: expected an image [..., H, W], got shape [{string.Join(", ", input.Shape)}].", nameof(input));
            }
            using var scope = TensorScope.Begin();
            long[] shape = input.Shape;
            long h = shape[^2], w = shape[^1];
            (long outH, long outW) = _smallerEdge
                ? (h <= w ? (_height, (long)(_height * w / (double)h)) : ((long)(_width * h / (double)w), _width))
                : (_height, _width);
            Tensor x = input.Reshape(-1, 1, h, w);
            bool integral = !input.DType.IsFloatingPoint();
            if (integral)
            {
                x = x.To(DType.Float32);
            }
            bool? alignCorners = Interpolation == "bilinear" ? false : null;
            Tensor y = Functional.Interpolate(x, new[] { outH, outW }, null, Interpolation, alignCorners);
            if (integral)
            {
                y = y.Round().Clamp(0, 255).To(input.DType);
            }
            long[] outShape = (long[])shape.Clone();
            outShape[^2] = outH;
            outShape[^1] = outW;
            return scope.Keep(y.Reshape(outShape).Contiguous());
        }

        private static string CheckMode(string mode) => mode is "bilinear" or "nearest"
            ? mode
            : throw new ArgumentException($"Resize: interpolation '{mode}' is not supported (bilinear, nearest).", nameof(mode));
    }
}
