using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Compute.Optim
{
    /// <summary>
    /// The JSON form of the scalar parts of optimizer and scheduler state dicts (hyper-parameters,
    /// step counts, epochs), for checkpoint metadata. Values are numbers (double), bools, strings,
    /// arrays of numbers (double[]) and nested objects; non-finite numbers are written as the
    /// strings "Infinity", "-Infinity" and "NaN" (JSON has no literal for them) and read back by
    /// <see cref="AsDouble"/>. Files are untrusted: malformed input throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static class StateJson
    {
        /// <summary>Writes a dictionary of scalar state as a JSON object.</summary>
        public static string Serialize(IReadOnlyDictionary<string, object?> state)
        {
            ArgumentNullException.ThrowIfNull(state);
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                WriteValue(w, state, "state");
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>Reads a JSON object written by <see cref="Serialize"/>: numbers as double, arrays of numbers as double[], objects as dictionaries.</summary>
        public static Dictionary<string, object?> Deserialize(string json)
        {
            ArgumentNullException.ThrowIfNull(json);
            try
            {
                using JsonDocument doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"StateJson: expected a JSON object, got {doc.RootElement.ValueKind}.");
                }
                return ReadObject(doc.RootElement);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"StateJson: malformed JSON: {e.Message}", e);
            }
        }

        /// <summary>A number read back from state JSON (a double, or one of the non-finite strings) or from a state dict (also long, int, float); <paramref name="what"/> names it in errors.</summary>
        public static double AsDouble(object? value, string what) => value switch
        {
            double d => d,
            // A state dict passed directly (not through JSON) holds counts as long.
            long or int or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => throw new InvalidDataException($"{what}: expected a number, got {Describe(value)}."),
        };

        /// <summary>An integral number read back from state JSON.</summary>
        public static long AsLong(object? value, string what)
        {
            double d = AsDouble(value, what);
            if (d != Math.Floor(d) || Math.Abs(d) > 9007199254740992.0)
            {
                throw new InvalidDataException($"{what}: expected an integer, got {d.ToString(CultureInfo.InvariantCulture)}.");
            }
            return (long)d;
        }

        /// <summary>A bool read back from state JSON.</summary>
        public static bool AsBool(object? value, string what) =>
            value is bool b ? b : throw new InvalidDataException($"{what}: expected a bool, got {Describe(value)}.");

        /// <summary>A string read back from state JSON.</summary>
        public static string AsString(object? value, string what) =>
            value is string s ? s : throw new InvalidDataException($"{what}: expected a string, got {Describe(value)}.");

        /// <summary>An array of numbers read back from state JSON.</summary>
        public static double[] AsDoubles(object? value, string what) => value switch
        {
            double[] a => a,
            long[] l => l.Select(v => (double)v).ToArray(),
            object?[] items => items.Select((v, i) => AsDouble(v, $"{what}[{i}]")).ToArray(),
            _ => throw new InvalidDataException($"{what}: expected an array of numbers, got {Describe(value)}."),
        };

        /// <summary>An object read back from state JSON.</summary>
        public static Dictionary<string, object?> AsObject(object? value, string what) =>
            value as Dictionary<string, object?> ?? throw new InvalidDataException($"{what}: expected an object, got {Describe(value)}.");

        /// <summary>A required entry of an object read back from state JSON.</summary>
        public static object? Required(IReadOnlyDictionary<string, object?> obj, string key, string what) =>
            obj.TryGetValue(key, out object? v) ? v : throw new InvalidDataException($"{what}: missing '{key}'.");

        private static string Describe(object? v) => v switch
        {
            null => "null",
            string s => $"the string \"{s}\"",
            _ => v.GetType().Name,
        };

        private static void WriteValue(Utf8JsonWriter w, object? value, string path)
        {
            switch (value)
            {
                case null: w.WriteNullValue(); break;
                case bool b: w.WriteBooleanValue(b); break;
                case string s: w.WriteStringValue(s); break;
                case double d: WriteDouble(w, d); break;
                case float or int or long: WriteDouble(w, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
                case double[] a:
                    w.WriteStartArray();
                    foreach (double d in a) WriteDouble(w, d);
                    w.WriteEndArray();
                    break;
                case long[] a:
                    w.WriteStartArray();
                    foreach (long l in a) WriteDouble(w, l);
                    w.WriteEndArray();
                    break;
                case IReadOnlyDictionary<string, object?> obj:
                    w.WriteStartObject();
                    foreach (var (k, v) in obj)
                    {
                        w.WritePropertyName(k);
                        WriteValue(w, v, $"{path}.{k}");
                    }
                    w.WriteEndObject();
                    break;
                case IEnumerable<object?> items:
                    w.WriteStartArray();
                    int i = 0;
                    foreach (object? item in items) WriteValue(w, item, $"{path}[{i++}]");
                    w.WriteEndArray();
                    break;
                default:
                    throw new ArgumentException($"StateJson: {path} has type {value.GetType().Name}, which state JSON cannot hold.");
            }
        }

        private static void WriteDouble(Utf8JsonWriter w, double d)
        {
            if (double.IsFinite(d)) w.WriteNumberValue(d);
            else w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }

        private static Dictionary<string, object?> ReadObject(JsonElement e)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty p in e.EnumerateObject())
            {
                result[p.Name] = Read(p.Value);
            }
            return result;
        }

        private static object? Read(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Null: return null;
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String: return e.GetString();
                case JsonValueKind.Number: return e.GetDouble();
                case JsonValueKind.Object: return ReadObject(e);
                case JsonValueKind.Array:
                    object?[] items = e.EnumerateArray().Select(Read).ToArray();
                    return items.Length > 0 && items.All(v => v is double) ? items.Cast<double>().ToArray() : items;
                default: throw new InvalidDataException($"StateJson: unexpected JSON value {e.ValueKind}.");
            }
        }
    }
}
