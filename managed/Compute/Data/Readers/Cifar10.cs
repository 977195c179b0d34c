using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;

namespace Compute.Data
{
    /// <summary>
    /// CIFAR-10 (torchvision.datasets.CIFAR10) from its binary batches under
    /// <c>root/cifar-10-batches-bin</c> (data_batch_1..5.bin for training, test_batch.bin for
    /// test): records of one label byte and a 3x32x32 image stored channel by channel. A sample is
    /// { image, label }: the image uint8 [32, 32, 3] (height, width, channels, like the PIL image
    /// torchvision gives; <see cref="ToTensor"/> makes float32 [3, 32, 32]) and the label an int64 scalar.
    /// </summary>
    public sealed class Cifar10 : LabeledImages
    {
        /// <summary>Bytes per record: one label and 3 * 32 * 32 pixels.</summary>
        public const int RecordBytes = 1 + 3 * 32 * 32;

        /// <summary>Where the binary version is published.</summary>
        public const string Url = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

        /// <summary>The class names, by label.</summary>
        public static readonly IReadOnlyList<string> Classes = new[]
        {
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
        };

        /// <summary>Reads the training (50,000) or test (10,000) split under <paramref name="root"/>.</summary>
        /// <param name="root">Folder holding <c>cifar-10-batches-bin</c>.</param>
        /// <param name="train">The five training batches rather than the test batch.</param>
        /// <param name="transform">Applied to each image.</param>
        /// <param name="download">Fetches and unpacks the archive first when the folder is missing.</param>
        public Cifar10(string root, bool train = true, ITransform? transform = null, bool download = false)
        {
            ArgumentNullException.ThrowIfNull(root);
            string folder = Path.Combine(root, "cifar-10-batches-bin");
            if (!Directory.Exists(folder) && download)
            {
                string archive = Download.File(root, "cifar-10-binary.tar.gz", new[] { Url[..(Url.LastIndexOf('/') + 1)] });
                using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
                TarFile.ExtractToDirectory(gzip, root, overwriteFiles: true);
            }
            var files = new List<string>();
            if (train)
            {
                for (int i = 1; i <= 5; i++)
                {
                    files.Add(Path.Combine(folder, $"data_batch_{i}.bin"));
                }
            }
            else
            {
                files.Add(Path.Combine(folder, "test_batch.bin"));
            }
            var (images, labels) = ReadBatches(files);
            SetData(images, labels);
            Transform = transform;
        }

        /// <summary>Reads binary batch files into images uint8 [N, 32, 32, 3] and labels int64 [N].</summary>
        /// <exception cref="InvalidDataException">A file is not a whole number of records, or a label is not 0-9.</exception>
        public static (Tensor Images, Tensor Labels) ReadBatches(IReadOnlyList<string> files)
        {
            ArgumentNullException.ThrowIfNull(files);
            var pixels = new List<byte[]>();
            var labels = new List<long>();
            foreach (string file in files)
            {
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"CIFAR-10: {file} does not exist; pass download: true or unpack cifar-10-binary.tar.gz there.", file);
                }
                byte[] bytes = File.ReadAllBytes(file);
                if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
                {
                    throw new InvalidDataException(
                        $"{file}: not a CIFAR-10 binary batch: {bytes.Length} bytes is not a whole number of {RecordBytes}-byte records" +
                        (bytes.Length > RecordBytes ? $" ({bytes.Length / RecordBytes} records and {bytes.Length % RecordBytes} bytes left over; truncated?)." : "."));
                }
                var images = new byte[bytes.Length / RecordBytes * (RecordBytes - 1)];
                for (int r = 0, n = bytes.Length / RecordBytes; r < n; r++)
                {
                    byte label = bytes[r * RecordBytes];
                    if (label > 9)
                    {
                        throw new InvalidDataException($"{file}: record {r} has label {label}, not a class 0-9.");
                    }
                    labels.Add(label);
                    Buffer.BlockCopy(bytes, r * RecordBytes + 1, images, r * (RecordBytes - 1), RecordBytes - 1);
                }
                pixels.Add(images);
            }
            var all = new byte[labels.Count * (RecordBytes - 1)];
            int offset = 0;
            foreach (byte[] part in pixels)
            {
                Buffer.BlockCopy(part, 0, all, offset, part.Length);
                offset += part.Length;
            }
            // Stored [N, C, H, W]; images are handed out [H, W, C] like torchvision's.
            using Tensor chw = Tensor.From(all, labels.Count, 3, 32, 32);
            using Tensor hwc = chw.Permute(0, 2, 3, 1);
            return (hwc.Contiguous(), Tensor.From(labels.ToArray()));
        }
    }
}
