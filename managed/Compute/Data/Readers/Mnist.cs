using System;
using System.Collections.Generic;
using System.IO;

namespace Compute.Data
{
    /// <summary>
    /// The MNIST digits (torchvision.datasets.MNIST): 28x28 uint8 images and labels 0-9, read
    /// from the four IDX files (plain or .gz) under <c>root/MNIST/raw</c>. A sample is
    /// { image, label }: the image uint8 [28, 28] (or what <c>transform</c> makes of it, e.g.
    /// <see cref="ToTensor"/> gives float32 [1, 28, 28]) and the label an int64 scalar tensor.
    /// </summary>
    public class Mnist : LabeledImages
    {
        /// <summary>Where torchvision downloads MNIST from.</summary>
        public static readonly IReadOnlyList<string> Mirrors = new[]
        {
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
        };

        /// <summary>Reads the training (60,000) or test (10,000) split under <paramref name="root"/>.</summary>
        /// <param name="root">Folder holding <c>MNIST/raw</c>.</param>
        /// <param name="train">The training split (train-*) rather than the test split (t10k-*).</param>
        /// <param name="transform">Applied to each image.</param>
        /// <param name="download">Fetches missing files from <see cref="Mirrors"/> first.</param>
        public Mnist(string root, bool train = true, ITransform? transform = null, bool download = false)
            : this(root, train, transform, download, "MNIST", Mirrors)
        {
        }

        /// <summary>For datasets in the MNIST file format (Fashion-MNIST, KMNIST...): folder name and mirrors.</summary>
        protected Mnist(string root, bool train, ITransform? transform, bool download, string folderName, IReadOnlyList<string> mirrors)
        {
            ArgumentNullException.ThrowIfNull(root);
            string raw = Path.Combine(root, folderName, "raw");
            string prefix = train ? "train" : "t10k";
            string images = Locate(raw, $"{prefix}-images-idx3-ubyte", download, mirrors);
            string labels = Locate(raw, $"{prefix}-labels-idx1-ubyte", download, mirrors);
            var (imageData, labelData) = Load(images, labels);
            SetData(imageData, labelData);
            Transform = transform;
            Train = train;
        }

        /// <summary>Reads a pair of IDX files directly (images [N, H, W] uint8, labels [N] uint8).</summary>
        public Mnist(string imagesPath, string labelsPath, ITransform? transform = null)
        {
            var (images, labels) = Load(imagesPath, labelsPath);
            SetData(images, labels);
            Transform = transform;
        }

        /// <summary>Whether this is the training split.</summary>
        public bool Train { get; }

        private static string Locate(string raw, string name, bool download, IReadOnlyList<string> mirrors)
        {
            foreach (string candidate in new[] { name, name + ".gz" })
            {
                string path = Path.Combine(raw, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
            if (!download)
            {
                throw new FileNotFoundException(
                    $"MNIST: neither {name} nor {name}.gz is in {raw}; pass download: true or put the file there.", Path.Combine(raw, name));
            }
            return Download.File(raw, name + ".gz", mirrors);
        }

        private static (Tensor Images, Tensor Labels) Load(string imagesPath, string labelsPath)
        {
            Tensor images = Idx.Read(imagesPath);
            using Tensor labels = Idx.Read(labelsPath);
            if (images.DType != DType.UInt8 || images.Dim != 3)
            {
                throw new InvalidDataException(
                    $"{imagesPath}: expected uint8 images [N, H, W], got {images.DType.Name()} [{string.Join(", ", images.Shape)}].");
            }
            if (labels.DType != DType.UInt8 || labels.Dim != 1)
            {
                throw new InvalidDataException(
                    $"{labelsPath}: expected uint8 labels [N], got {labels.DType.Name()} [{string.Join(", ", labels.Shape)}].");
            }
            if (labels.Size(0) != images.Size(0))
            {
                throw new InvalidDataException(
                    $"MNIST: {imagesPath} holds {images.Size(0)} images but {labelsPath} holds {labels.Size(0)} labels.");
            }
            byte[] values = labels.ToArray<byte>();
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] > 9)
                {
                    throw new InvalidDataException($"{labelsPath}: label {i} is {values[i]}, not a digit 0-9.");
                }
            }
            return (images, labels.To(DType.Int64));
        }
    }

    /// <summary>
    /// Fashion-MNIST (torchvision.datasets.FashionMNIST): Zalando's 28x28 clothing images in
    /// the MNIST file format, under <c>root/FashionMNIST/raw</c>.
    /// </summary>
    public sealed class FashionMnist : Mnist
    {
        /// <summary>Where torchvision downloads Fashion-MNIST from.</summary>
        public static new readonly IReadOnlyList<string> Mirrors = new[]
        {
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        };

        /// <summary>The class names, by label.</summary>
        public static readonly IReadOnlyList<string> Classes = new[]
        {
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        };

        /// <summary>Reads the training or test split under <paramref name="root"/>; see <see cref="Mnist"/>.</summary>
        public FashionMnist(string root, bool train = true, ITransform? transform = null, bool download = false)
            : base(root, train, transform, download, "FashionMNIST", Mirrors)
        {
        }
    }
}
