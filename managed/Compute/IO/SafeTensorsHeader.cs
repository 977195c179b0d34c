using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compute.IO
{
    /// <summary>One tensor's entry in a safetensors header.</summary>
    internal readonly record struct SafeTensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End);

    /// <summary>
    /// The JSON header of a safetensors file: writing it exactly as the reference (Rust) writer
    /// does, and parsing an untrusted one with every field, offset and size checked.
    /// </summary>
    internal static class SafeTensorsHeader
    {
        /// <summary>The reference implementation's limit; a larger header is refused before it is read.</summary>
        internal const long MaxHeaderBytes = 100_000_000;

        internal const string MetadataKey = "__metadata__";

        // The format's dtype names; the position is the reference writer's sort key (by alignment).
        private static readonly (string Name, DType DType)[] Names =
        {
            ("BOOL", DType.Bool), ("U8", DType.UInt8), ("I8", DType.Int8), ("I16", DType.Int16), ("F16", DType.Float16),
            ("BF16", DType.BFloat16), ("I32", DType.Int32), ("F32", DType.Float32), ("F64", DType.Float64), ("I64", DType.Int64),
        };

        internal static string NameOf(DType dtype)
        {
            foreach (var (name, d) in Names) if (d == dtype) return name;
            throw new ArgumentException($"SafeTensors: dtype {dtype.Name()} has no safetensors name.");
        }

        internal static int Rank(DType dtype)
        {
            for (int i = 0; i < Names.Length; i++) if (Names[i].DType == dtype) return i;
            return -1;
        }

        private static bool TryParseDType(string name, out DType dtype)
        {
            foreach (var (n, d) in Names)
            {
                if (n == name)
                {
                    dtype = d;
                    return true;
                }
            }
            dtype = default;
            return false;
        }

        /// <summary>The header bytes, padded with spaces to a multiple of 8 as the reference writer does.</summary>
        internal static byte[] Write(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
        {
            var sb = new StringBuilder("{");
            bool first = true;
            if (metadata != null && metadata.Count > 0)
            {
                sb.Append(Quote(MetadataKey)).Append(":{");
                // The reference writer keeps metadata in a hash map; sorted keys make our files deterministic.
                var keys = new List<string>(metadata.Keys);
                keys.Sort(CompareCodePoints);
                for (int i = 0; i < keys.Count; i++)
                {
                    sb.Append(i == 0 ? "" : ",").Append(Quote(keys[i])).Append(':').Append(Quote(metadata[keys[i]]));
                }
                sb.Append('}');
                first = false;
            }
            foreach (SafeTensorsEntry e in entries)
            {
                sb.Append(first ? "" : ",").Append(Quote(e.Name)).Append(":{\"dtype\":").Append(Quote(NameOf(e.DType)))
                  .Append(",\"shape\":[").Append(string.Join(",", Array.ConvertAll(e.Shape, s => s.ToString(CultureInfo.InvariantCulture))))
                  .Append("],\"data_offsets\":[").Append(e.Begin.ToString(CultureInfo.InvariantCulture)).Append(',')
                  .Append(e.End.ToString(CultureInfo.InvariantCulture)).Append("]}");
                first = false;
            }
            sb.Append('}');
            int length = Encoding.UTF8.GetByteCount(sb.ToString());
            sb.Append(' ', (8 - length % 8) % 8);
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        /// <summary>
        /// Orders strings by Unicode code points, which is the byte order of their UTF-8 (the
        /// reference writer sorts Rust strings by bytes); UTF-16 ordinal order differs for
        /// characters above U+FFFF.
        /// </summary>
        internal static int CompareCodePoints(string? a, string? b)
        {
            if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
            var ea = a.EnumerateRunes();
            var eb = b.EnumerateRunes();
            while (true)
            {
                bool ha = ea.MoveNext(), hb = eb.MoveNext();
                if (!ha || !hb) return ha == hb ? 0 : ha ? 1 : -1;
                int c = ea.Current.Value.CompareTo(eb.Current.Value);
                if (c != 0) return c;
            }
        }

        // JSON string as serde_json writes it: only quote, backslash and control characters escaped.
        private static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2).Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// <summary>
        /// Parses and validates a header for a data section of <paramref name="dataBytes"/> bytes:
        /// known dtypes, non-negative shapes, offsets inside the data, byte lengths matching
        /// shape and dtype, no duplicate names, and tensors covering the data without overlap or holes.
        /// </summary>
        internal static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> header, long dataBytes, string source)
        {
            if (header.Length == 0 || header[0] != (byte)'{')
            {
                throw Bad(source, "the header does not start with '{'");
            }
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(header.ToArray().AsMemory().TrimEnd((byte)' '));
            }
            catch (JsonException e)
            {
                throw Bad(source, $"the header is not valid JSON ({e.Message})");
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(source, "the header is not a JSON object");
                }
                var entries = new List<SafeTensorsEntry>();
                var metadata = new Dictionary<string, string>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    if (!seen.Add(p.Name))
                    {
                        throw Bad(source, $"the header names '{p.Name}' twice");
                    }
                    if (p.Name == MetadataKey)
                    {
                        ParseMetadata(p.Value, metadata, source);
                        continue;
                    }
                    entries.Add(ParseEntry(p.Name, p.Value, dataBytes, source));
                }
                CheckCoverage(entries, dataBytes, source);
                return (entries, metadata);
            }
        }

        private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Bad(source, "__metadata__ is not an object of strings");
            }
            foreach (JsonProperty m in value.EnumerateObject())
            {
                if (m.Value.ValueKind != JsonValueKind.String)
                {
                    throw Bad(source, $"__metadata__ entry '{m.Name}' is not a string");
                }
                metadata[m.Name] = m.Value.GetString()!;
            }
        }

        private static SafeTensorsEntry ParseEntry(string name, JsonElement value, long dataBytes, string source)
        {
            if (value.ValueKind != JsonValueKind.Object
                || !value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
                || !value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
                || !value.TryGetProperty("data_offsets", out JsonElement offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            {
                throw Bad(source, $"tensor '{name}' needs \"dtype\" (string), \"shape\" and \"data_offsets\" (arrays)");
            }
            string dtypeName = dtypeElement.GetString()!;
            if (!TryParseDType(dtypeName, out DType dtype))
            {
                throw Bad(source, $"tensor '{name}' has dtype '{dtypeName}', which Compute does not support (BOOL, U8, I8, I16, I32, I64, F16, BF16, F32, F64)");
            }
            var shape = new long[shapeElement.GetArrayLength()];
            long numel = 1;
            int d = 0;
            foreach (JsonElement s in shapeElement.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out long size) || size < 0)
                {
                    throw Bad(source, $"tensor '{name}' has a shape entry {s} that is not a non-negative integer");
                }
                shape[d++] = size;
                // Bounded by the data size below; stop multiplying before it can overflow.
                numel = numel == 0 || size == 0 ? 0 : numel > dataBytes ? numel : Math.Min(numel * size, dataBytes + 1);
            }
            if (offsetsElement.GetArrayLength() != 2)
            {
                throw Bad(source, $"tensor '{name}' has {offsetsElement.GetArrayLength()} data_offsets, expected [begin, end]");
            }
            long begin = Offset(offsetsElement[0], name, source);
            long end = Offset(offsetsElement[1], name, source);
            if (begin > end || end > dataBytes)
            {
                throw Bad(source, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataBytes}-byte data section");
            }
            if (numel > dataBytes || (end - begin) != numel * dtype.ElementSize())
            {
                throw Bad(source, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtypeName} needs " +
                                  (numel > dataBytes ? "more bytes than the file has" : $"{numel * dtype.ElementSize()} bytes") +
                                  $", its data_offsets [{begin}, {end}] span {end - begin}");
            }
            return new SafeTensorsEntry(name, dtype, shape, begin, end);
        }

        private static long Offset(JsonElement e, string name, string source) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0
                ? v
                : throw Bad(source, $"tensor '{name}' has a data offset {e} that is not a non-negative integer");

        // The format requires the data section to be exactly the tensors' bytes, in any order.
        private static void CheckCoverage(List<SafeTensorsEntry> entries, long dataBytes, string source)
        {
            var sorted = new List<SafeTensorsEntry>(entries);
            sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long at = 0;
            foreach (SafeTensorsEntry e in sorted)
            {
                if (e.Begin < at)
                {
                    throw Bad(source, $"tensor '{e.Name}' at bytes [{e.Begin}, {e.End}] overlaps the tensor before it (which ends at {at})");
                }
                if (e.Begin > at)
                {
                    throw Bad(source, $"bytes [{at}, {e.Begin}) of the data section belong to no tensor (a hole before '{e.Name}')");
                }
                at = e.End;
            }
            if (at != dataBytes)
            {
                throw Bad(source, $"the tensors cover {at} bytes but the data section has {dataBytes} (trailing bytes)");
            }
        }

        internal static System.IO.InvalidDataException Bad(string source, string what) => new($"SafeTensors: {source}: {what}.");
    }
}
