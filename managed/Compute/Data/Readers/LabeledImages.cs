using System;

namespace Compute.Data
{
    /// <summary>
    /// Images with class labels held as two tensors (what MNIST and CIFAR-10 are once read): a
    /// sample is { image, label }, the image a view of <see cref="Data"/> passed through the
    /// transform, the label an int64 scalar tensor.
    /// </summary>
    public abstract class LabeledImages : Dataset<Tensor[]>
    {
        private Tensor? _images;
        private Tensor? _labels;

        /// <summary>Applied to each image; null hands out the stored uint8 image.</summary>
        protected ITransform? Transform { get; init; }

        /// <summary>Sets the images [N, ...] and int64 labels [N] once they are read.</summary>
        protected void SetData(Tensor images, Tensor labels)
        {
            ArgumentNullException.ThrowIfNull(images);
            ArgumentNullException.ThrowIfNull(labels);
            _images = images;
            _labels = labels;
        }

        /// <summary>All images, uint8.</summary>
        public Tensor Data => _images ?? throw new InvalidOperationException($"{GetType().Name}: the images are not read yet.");

        /// <summary>All labels, int64 [N].</summary>
        public Tensor Targets => _labels ?? throw new InvalidOperationException($"{GetType().Name}: the labels are not read yet.");

        /// <inheritdoc/>
        public override int Count => (int)Targets.Size(0);

        /// <inheritdoc/>
        protected override Tensor[] Get(int index)
        {
            Tensor image = Data.Select(0, index);
            return new[] { Transform?.Apply(image) ?? image, Targets.Select(0, index) };
        }
    }
}
