using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using Compute.IO;

namespace Compute.Data
{
    /// <summary>
    /// The IDX format of the MNIST files (yann.lecun.com/exdb/mnist): a big-endian header
    /// (two zero bytes, a type code, the number of dims, then each dim as a 32-bit size) followed
    /// by the elements, big-endian. Files may be gzip-compressed (.gz, recognised by content).
    /// Files are untrusted: every size is checked against the bytes actually present.
    /// </summary>
    public static class Idx
    {
        /// <summary>Reads an IDX file (plain or gzip) into a CPU tensor of its element type.</summary>
        /// <exception cref="InvalidDataException">The file is not IDX, or is truncated or too long; the message names the file.</exception>
        public static Tensor Read(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            byte[] bytes = ReadMaybeGzip(path);
            return Parse(bytes, path);
        }

        /// <summary>Parses IDX bytes; <paramref name="source"/> names them in errors.</summary>
        public static Tensor Parse(ReadOnlySpan<byte> bytes, string source = "IDX data")
        {
            if (bytes.Length < 4)
            {
                throw Bad(source, $"{bytes.Length} bytes is too short for the 4-byte IDX magic number");
            }
            if (bytes[0] != 0 || bytes[1] != 0)
            {
                throw Bad(source, $"the magic number starts with 0x{bytes[0]:X2}{bytes[1]:X2}, not 0x0000 (not an IDX file)");
            }
            (DType dtype, int size) = bytes[2] switch
            {
                0x08 => (DType.UInt8, 1),
                0x09 => (DType.Int8, 1),
                0x0B => (DType.Int16, 2),
                0x0C => (DType.Int32, 4),
                0x0D => (DType.Float32, 4),
                0x0E => (DType.Float64, 8),
                _ => throw Bad(source, $"unknown element type code 0x{bytes[2]:X2} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)"),
            };
            int ndim = bytes[3];
            if (ndim == 0)
            {
                throw Bad(source, "the header declares 0 dims");
            }
            int header = 4 + 4 * ndim;
            if (bytes.Length < header)
            {
                throw Bad(source, $"truncated header: {ndim} dims need {header} bytes, the file has {bytes.Length}");
            }
            var shape = new long[ndim];
            long count = 1;
            for (int d = 0; d < ndim; d++)
            {
                shape[d] = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4 + 4 * d, 4));
                if (shape[d] > int.MaxValue)
                {
                    throw Bad(source, $"dim {d} has an implausible size {shape[d]}");
                }
                count *= shape[d];
                if (count > int.MaxValue)
                {
                    throw Bad(source, $"the shape [{string.Join(", ", shape[..(d + 1)])}...] has more elements than can be read");
                }
            }
            long expected = header + count * size;
            if (bytes.Length != expected)
            {
                throw Bad(source, (bytes.Length < expected ? "truncated: " : "trailing data: ") +
                                  $"shape [{string.Join(", ", shape)}] of {dtype.Name()} needs {expected} bytes with the header, the file has {bytes.Length}");
            }
            ReadOnlySpan<byte> data = bytes.Slice(header);
            // Elements are big-endian; swap to the machine's order (a no-op for bytes).
            byte[] native = data.ToArray();
            if (size > 1 && BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < native.Length; i += size)
                {
                    Array.Reverse(native, i, size);
                }
            }
            return Tensor.FromBytes(native, dtype, shape);
        }

        /// <summary>Writes a uint8, int8, int16, int32, float32 or float64 tensor as an IDX file (gzip when the path ends in .gz).</summary>
        public static void Write(string path, Tensor tensor)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(tensor);
            byte code = tensor.DType switch
            {
                DType.UInt8 => 0x08,
                DType.Int8 => 0x09,
                DType.Int16 => 0x0B,
                DType.Int32 => 0x0C,
                DType.Float32 => 0x0D,
                DType.Float64 => 0x0E,
                _ => throw new ArgumentException($"Idx.Write: IDX has no element type for {tensor.DType.Name()}.", nameof(tensor)),
            };
            if (tensor.Dim == 0 || tensor.Dim > 255)
            {
                throw new ArgumentException($"Idx.Write: IDX stores 1 to 255 dims, the tensor has {tensor.Dim}.", nameof(tensor));
            }
            long[] shape = tensor.Shape;
            var header = new byte[4 + 4 * shape.Length];
            header[2] = code;
            header[3] = (byte)shape.Length;
            for (int d = 0; d < shape.Length; d++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + 4 * d), checked((uint)shape[d]));
            }
            byte[] data = tensor.ToBytes();
            int size = tensor.ElementSize;
            if (size > 1 && BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < data.Length; i += size)
                {
                    Array.Reverse(data, i, size);
                }
            }
            AtomicFile.Write(path, stream =>
            {
                Stream target = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                    ? new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true)
                    : stream;
                target.Write(header);
                target.Write(data);
                if (!ReferenceEquals(target, stream))
                {
                    target.Dispose();
                }
            });
        }

        /// <summary>The file's bytes, gunzipped when it starts with the gzip magic (1F 8B).</summary>
        internal static byte[] ReadMaybeGzip(string path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} does not exist.", path);
            }
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
            {
                return bytes;
            }
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gzip.CopyTo(output);
                // GZipStream stops quietly at a truncated stream; the trailer's size field (the
                // uncompressed length mod 2^32, of the last member) catches that.
                uint declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
                if (bytes.Length < 18 || declared != (uint)output.Length)
                {
                    throw new InvalidDataException(
                        $"{bytes.Length} compressed bytes gave {output.Length} bytes but the gzip trailer declares {declared} (truncated?)");
                }
                return output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: the gzip stream is corrupt or truncated ({e.Message}).", e);
            }
        }

        private static InvalidDataException Bad(string source, string what) => new($"{source}: not a valid IDX file: {what}.");
    }
}
