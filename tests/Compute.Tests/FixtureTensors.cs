using System.Globalization;
using System.Text.Json;
using Compute;

namespace Compute.Tests;

/// <summary>Reads the PyTorch-generated fixture files and rebuilds their tensors.</summary>
internal static class FixtureTensors
{
    internal static JsonElement[] Cases(string file)
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", file);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    internal static DType ParseDType(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" => DType.Float64,
        "float16" => DType.Float16,
        "bfloat16" => DType.BFloat16,
        "int64" => DType.Int64,
        "int32" => DType.Int32,
        "int16" => DType.Int16,
        "int8" => DType.Int8,
        "uint8" => DType.UInt8,
        "bool" => DType.Bool,
        _ => throw new ArgumentException($"unknown dtype {name}"),
    };

    internal static double ParseFloat(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    internal static long[] Shape(JsonElement spec) => spec.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    internal static double[] Floats(JsonElement spec) =>
        spec.GetProperty("values").EnumerateArray().Select(e => ParseFloat(e.GetString()!)).ToArray();

    internal static long[] Ints(JsonElement spec) => spec.GetProperty("values").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    internal static bool[] Bools(JsonElement spec) => spec.GetProperty("values").EnumerateArray().Select(e => e.GetBoolean()).ToArray();

    /// <summary>The tensor a spec describes, built through float64/int64/bool and converted (exact for fixture values).</summary>
    internal static Tensor Build(JsonElement spec)
    {
        DType dtype = ParseDType(spec.GetProperty("dtype").GetString()!);
        long[] shape = Shape(spec);
        using Tensor flat = dtype.IsFloatingPoint() ? Tensor.From(Floats(spec))
            : dtype == DType.Bool ? Tensor.From(Bools(spec))
            : Tensor.From(Ints(spec));
        // Reshape rather than From(values, shape): an empty shape there means 1-D, here 0-dim.
        using Tensor shaped = flat.Reshape(shape);
        return shaped.To(dtype).Clone();
    }

    internal static Scalar BuildScalar(JsonElement spec)
    {
        string value = spec.GetProperty("value").GetString()!;
        return spec.GetProperty("kind").GetString() switch
        {
            "float" => ParseFloat(value),
            "int" => long.Parse(value, CultureInfo.InvariantCulture),
            _ => value == "True",
        };
    }
}
