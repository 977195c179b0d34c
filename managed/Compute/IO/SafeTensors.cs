using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Compute.IO
{
    /// <summary>
    /// The safetensors format (huggingface/safetensors): 8 bytes little-endian header size N,
    /// N bytes of JSON header ({"name": {"dtype", "shape", "data_offsets"}, optional
    /// "__metadata__": {string: string}}, space-padded to a multiple of 8), then the tensors'
    /// little-endian bytes, back to back. Files written here are byte-identical to the reference
    /// writer's (tensors ordered by dtype alignment, largest first, then by name; compact JSON).
    /// Files read are untrusted: the header size, the JSON, every dtype, shape and offset are
    /// checked, and tensors must cover the data section exactly, without overlap.
    /// </summary>
    public static class SafeTensors
    {
        /// <summary>Writes <paramref name="tensors"/> (CPU, any layout) to <paramref name="path"/> atomically (temporary file + rename).</summary>
        /// <param name="tensors">Named tensors; names must be unique and not "__metadata__".</param>
        /// <param name="path">The file to write.</param>
        /// <param name="metadata">Free-form string pairs stored in the header's "__metadata__".</param>
        public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(path);
            byte[] bytes = Serialize(tensors, metadata);
            AtomicFile.Write(path, stream => stream.Write(bytes));
        }

        /// <summary>The safetensors bytes of <paramref name="tensors"/> (safetensors.torch.save).</summary>
        public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            RequireLittleEndian();
            var named = new List<(string Name, Tensor Tensor)>();
            foreach (var (name, tensor) in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, name);
                if (name == SafeTensorsHeader.MetadataKey)
                {
                    throw new ArgumentException($"SafeTensors.Save: '{SafeTensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
                }
                if (tensor.Device != Device.Cpu)
                {
                    throw new ArgumentException($"SafeTensors.Save: tensor '{name}' is on {tensor.Device}; move it to the CPU first.", nameof(tensors));
                }
                SafeTensorsHeader.NameOf(tensor.DType);   // a dtype the format cannot name fails here, before any bytes
                named.Add((name, tensor));
            }
            // The reference writer's order: descending dtype alignment, then name (byte order).
            named.Sort((a, b) =>
            {
                int byDType = SafeTensorsHeader.Rank(b.Tensor.DType).CompareTo(SafeTensorsHeader.Rank(a.Tensor.DType));
                return byDType != 0 ? byDType : SafeTensorsHeader.CompareCodePoints(a.Name, b.Name);
            });
            var entries = new List<SafeTensorsEntry>(named.Count);
            var data = new List<byte[]>(named.Count);
            long offset = 0;
            foreach (var (name, tensor) in named)
            {
                byte[] bytes = tensor.ToBytes();
                entries.Add(new SafeTensorsEntry(name, tensor.DType, tensor.Shape, offset, offset + bytes.Length));
                data.Add(bytes);
                offset += bytes.Length;
            }
            byte[] header = SafeTensorsHeader.Write(entries, metadata);
            var result = new byte[checked(8 + header.Length + offset)];
            BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
            header.CopyTo(result, 8);
            long at = 8 + header.Length;
            foreach (byte[] bytes in data)
            {
                bytes.CopyTo(result, at);
                at += bytes.Length;
            }
            return result;
        }

        /// <summary>Reads every tensor of a safetensors file (safetensors.torch.load_file), in the header's order.</summary>
        /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the problem.</exception>
        public static OrderedDictionary<string, Tensor> Load(string path) => Load(path, out _);

        /// <summary>Reads every tensor and the "__metadata__" pairs of a safetensors file.</summary>
        public static OrderedDictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
        {
            ArgumentNullException.ThrowIfNull(path);
            return Deserialize(ReadFile(path), out metadata, path);
        }

        /// <summary>Only the "__metadata__" pairs of a file (the header is read and validated, the tensors are not loaded).</summary>
        public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> prefix = stackalloc byte[8];
            int got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
            long headerSize = CheckHeaderSize(prefix[..got], stream.Length, path);
            var header = new byte[headerSize];
            stream.ReadExactly(header);
            return SafeTensorsHeader.Parse(header, stream.Length - 8 - headerSize, path).Metadata;
        }

        /// <summary>Parses safetensors bytes (safetensors.torch.load); <paramref name="source"/> names them in errors.</summary>
        public static OrderedDictionary<string, Tensor> Deserialize(ReadOnlySpan<byte> bytes, out IReadOnlyDictionary<string, string> metadata,
                                                                     string source = "safetensors data")
        {
            RequireLittleEndian();
            long headerSize = CheckHeaderSize(bytes, bytes.Length, source);
            ReadOnlySpan<byte> data = bytes.Slice(8 + (int)headerSize);
            var (entries, meta) = SafeTensorsHeader.Parse(bytes.Slice(8, (int)headerSize), data.Length, source);
            var result = new OrderedDictionary<string, Tensor>(entries.Count);
            foreach (SafeTensorsEntry e in entries)
            {
                result.Add(e.Name, Tensor.FromBytes(data.Slice((int)e.Begin, (int)(e.End - e.Begin)), e.DType, e.Shape));
            }
            metadata = meta;
            return result;
        }

        private static long CheckHeaderSize(ReadOnlySpan<byte> bytes, long fileLength, string source)
        {
            if (bytes.Length < 8)
            {
                throw SafeTensorsHeader.Bad(source, $"{fileLength} bytes is too short for the 8-byte header size");
            }
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (n > SafeTensorsHeader.MaxHeaderBytes)
            {
                throw SafeTensorsHeader.Bad(source, $"the header size {n} exceeds the format's limit of {SafeTensorsHeader.MaxHeaderBytes} bytes");
            }
            if ((long)n > fileLength - 8)
            {
                throw SafeTensorsHeader.Bad(source, $"the header size {n} runs past the end of the {fileLength}-byte file (truncated?)");
            }
            return (long)n;
        }

        private static byte[] ReadFile(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"SafeTensors: {path} does not exist.", path);
            }
            if (info.Length > Array.MaxLength)
            {
                throw new NotSupportedException($"SafeTensors: {path} is {info.Length} bytes; files over {Array.MaxLength} bytes are not supported yet.");
            }
            return File.ReadAllBytes(path);
        }

        private static void RequireLittleEndian()
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("SafeTensors: the format is little-endian; big-endian machines are not supported.");
            }
        }
    }
}
