using System.Text.Json;
using Compute;

namespace Compute.Tests.Reference;

/// <summary>
/// The PyTorch reference fixtures of tests/reference (written by tests/reference/generate.py,
/// format in tests/reference/README.md), shared with the native GoogleTests: loading, building
/// tensors through the C# API, and comparing results under a stated tolerance.
/// </summary>
internal static class ReferenceFixture
{
    private static readonly Dictionary<string, JsonElement[]> Loaded = new();

    /// <summary>The cases of a fixture file as NUnit cases named after the fixture case.</summary>
    internal static IEnumerable<TestCaseData> Cases(string file, string prefix)
    {
        foreach (JsonElement c in Load(file))
        {
            yield return new TestCaseData(c).SetName($"{prefix}: {c.GetProperty("name").GetString()}");
        }
    }

    private static JsonElement[] Load(string file)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(file, out JsonElement[]? cases))
            {
                // The test project copies tests/reference/fixtures/*.json to ReferenceFixtures/.
                string dir = Path.Combine(AppContext.BaseDirectory, "ReferenceFixtures");
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, file)));
                cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
                Loaded[file] = cases;
            }
            return cases;
        }
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
        _ => throw new ArgumentException($"fixture names unknown dtype {name}"),
    };

    /// <summary>A float entry: a number, or "NaN" / "Infinity" / "-Infinity".</summary>
    internal static double Float(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new FormatException($"fixture float \"{s}\""),
        }
        : e.GetDouble();

    internal static long[] Longs(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();

    private static float BFloat16BitsToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>A Python scalar operand as a <see cref="Scalar"/>.</summary>
    internal static Scalar Scalar(JsonElement j)
    {
        JsonElement v = j.GetProperty("value");
        return j.GetProperty("scalar").GetString() switch
        {
            "float" => Float(v),
            "int" => v.GetInt64(),
            "bool" => v.GetInt64() != 0,
            var k => throw new FormatException($"fixture scalar kind {k}"),
        };
    }

    internal static bool IsScalar(JsonElement j) => j.TryGetProperty("scalar", out _);

    /// <summary>
    /// The fixture tensor as a CPU tensor (permuted when the fixture asks for a non-contiguous
    /// view). bfloat16 has no .NET type: its values are built as float32 and converted, which is
    /// exact (every bfloat16 is a float32; the conversion itself is checked natively).
    /// </summary>
    internal static Tensor Build(JsonElement t)
    {
        DType dtype = ParseDType(t.GetProperty("dtype").GetString()!);
        long[] shape = Longs(t.GetProperty("shape"));
        JsonElement[] data = t.GetProperty("data").EnumerateArray().ToArray();
        Tensor flat = dtype switch
        {
            DType.Float32 => Tensor.From(data.Select(e => (float)Float(e)).ToArray()),
            DType.Float64 => Tensor.From(data.Select(Float).ToArray()),
            DType.Float16 => Tensor.From(data.Select(e => BitConverter.UInt16BitsToHalf((ushort)e.GetInt32())).ToArray()),
            DType.BFloat16 => FromBFloat16(data),
            DType.Int64 => Tensor.From(data.Select(e => e.GetInt64()).ToArray()),
            DType.Int32 => Tensor.From(data.Select(e => (int)e.GetInt64()).ToArray()),
            DType.Int16 => Tensor.From(data.Select(e => (short)e.GetInt64()).ToArray()),
            DType.Int8 => Tensor.From(data.Select(e => (sbyte)e.GetInt64()).ToArray()),
            DType.UInt8 => Tensor.From(data.Select(e => (byte)e.GetInt64()).ToArray()),
            _ => Tensor.From(data.Select(e => e.GetInt64() != 0).ToArray()),
        };
        using (flat)
        {
            using Tensor shaped = flat.Reshape(shape);
            if (t.TryGetProperty("permute", out JsonElement p))
            {
                return shaped.Permute(Longs(p));
            }
            return shaped.Clone();
        }
    }

    private static Tensor FromBFloat16(JsonElement[] data)
    {
        using Tensor f = Tensor.From(data.Select(e => BFloat16BitsToSingle((ushort)e.GetInt32())).ToArray());
        return f.To(DType.BFloat16).Clone();
    }

    /// <summary>One floating element: value and bit pattern in its own dtype.</summary>
    private readonly record struct FloatElem(double Value, ulong Bits);

    private static int Width(DType d) => d.ElementSize() * 8;

    private static FloatElem FromBits(DType d, ulong bits) => d switch
    {
        DType.Float32 => new(BitConverter.UInt32BitsToSingle((uint)bits), bits),
        DType.Float64 => new(BitConverter.UInt64BitsToDouble(bits), bits),
        DType.Float16 => new((double)BitConverter.UInt16BitsToHalf((ushort)bits), bits),
        _ => new(BFloat16BitsToSingle((ushort)bits), bits),
    };

    private static FloatElem Expected(DType d, JsonElement e) => d switch
    {
        DType.Float16 or DType.BFloat16 => FromBits(d, (ulong)e.GetInt64()),
        DType.Float32 => FromBits(d, BitConverter.SingleToUInt32Bits((float)Float(e))),
        _ => FromBits(d, BitConverter.DoubleToUInt64Bits(Float(e))),
    };

    private static FloatElem[] ActualFloats(Tensor t)
    {
        switch (t.DType)
        {
            case DType.Float32: return t.ToArray<float>().Select(v => FromBits(DType.Float32, BitConverter.SingleToUInt32Bits(v))).ToArray();
            case DType.Float64: return t.ToArray<double>().Select(v => FromBits(DType.Float64, BitConverter.DoubleToUInt64Bits(v))).ToArray();
            case DType.Float16: return t.ToArray<Half>().Select(v => FromBits(DType.Float16, BitConverter.HalfToUInt16Bits(v))).ToArray();
            default:
                // Widening bfloat16 to float32 is exact: its bits are the top half of the float32's.
                using (Tensor wide = t.To(DType.Float32))
                {
                    return wide.ToArray<float>().Select(v => FromBits(DType.BFloat16, BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
                }
        }
    }

    private static long[] ActualInts(Tensor t) => t.DType switch
    {
        DType.Int64 => t.ToArray<long>(),
        DType.Int32 => t.ToArray<int>().Select(v => (long)v).ToArray(),
        DType.Int16 => t.ToArray<short>().Select(v => (long)v).ToArray(),
        DType.Int8 => t.ToArray<sbyte>().Select(v => (long)v).ToArray(),
        DType.UInt8 => t.ToArray<byte>().Select(v => (long)v).ToArray(),
        _ => t.ToArray<bool>().Select(v => v ? 1L : 0L).ToArray(),
    };

    internal static double Epsilon(DType d) => d switch
    {
        DType.Float32 => Math.ScaleB(1.0, -23),
        DType.Float64 => Math.ScaleB(1.0, -52),
        DType.Float16 => Math.ScaleB(1.0, -10),
        DType.BFloat16 => Math.ScaleB(1.0, -7),
        _ => 0.0,
    };

    private static long Ordered(ulong bits, int width)
    {
        ulong sign = 1UL << (width - 1);
        long magnitude = (long)(bits & (sign - 1));
        return (bits & sign) != 0 ? -magnitude : magnitude;
    }

    private static double UlpAt(DType d, FloatElem e)
    {
        ulong magnitude = e.Bits & ((1UL << (Width(d) - 1)) - 1);
        return FromBits(d, magnitude + 1).Value - FromBits(d, magnitude).Value;
    }

    /// <summary>
    /// Asserts shape, dtype and values. The tolerance rules are those of the native tests
    /// (tests/native/fixture.h, where each op's tolerance is derived): bit-exact by default
    /// (NaN matches NaN; -0.0 differs from +0.0), else within ulps or within
    /// boundScale * abs_bound[i] + ulps * ulp(expected). Integers and bools are always exact.
    /// </summary>
    internal static void AssertMatches(Tensor actual, JsonElement expected, Tolerance tol)
    {
        DType want = ParseDType(expected.GetProperty("dtype").GetString()!);
        long[] wantShape = Longs(expected.GetProperty("shape"));
        Assert.That(actual.DType, Is.EqualTo(want), "dtype");
        Assert.That(actual.Shape, Is.EqualTo(wantShape), "shape");
        JsonElement[] data = expected.GetProperty("data").EnumerateArray().ToArray();
        var failures = new List<string>();
        if (!want.IsFloatingPoint())
        {
            long[] got = ActualInts(actual);
            for (int i = 0; i < data.Length; i++)
            {
                if (got[i] != data[i].GetInt64()) failures.Add($"element {i}: expected {data[i].GetInt64()}, got {got[i]}");
            }
        }
        else
        {
            FloatElem[] got = ActualFloats(actual);
            double[]? bound = tol.AbsBound is JsonElement b ? b.GetProperty("data").EnumerateArray().Select(Float).ToArray() : null;
            for (int i = 0; i < data.Length; i++)
            {
                FloatElem w = Expected(want, data[i]), g = got[i];
                bool ok;
                if (double.IsNaN(w.Value) || double.IsNaN(g.Value)) ok = double.IsNaN(w.Value) && double.IsNaN(g.Value);
                else if (w.Bits == g.Bits) ok = true;
                else if (double.IsInfinity(w.Value) && tol.Ulps == 0) ok = false;
                else
                {
                    long distance = Math.Abs(Ordered(g.Bits, Width(want)) - Ordered(w.Bits, Width(want)));
                    double allowed = tol.Ulps * UlpAt(want, w) + (bound is null ? 0 : tol.BoundScale * bound[i]) + tol.Underflow;
                    ok = (tol.Ulps > 0 && distance <= tol.Ulps) ||
                         ((tol.Ulps > 0 || bound is not null || tol.Underflow > 0) && double.IsFinite(w.Value) && Math.Abs(g.Value - w.Value) <= allowed);
                }
                if (!ok) failures.Add($"element {i}: expected {w.Value:R}, got {g.Value:R}");
            }
        }
        Assert.That(failures, Is.Empty, $"{failures.Count} of {data.Length} elements differ from PyTorch:\n  " +
                                        string.Join("\n  ", failures.Take(8)));
    }

    /// <summary>A case PyTorch rejects must throw an ArgumentException-family error carrying the native message.</summary>
    internal static void AssertRejected(TestDelegate call, JsonElement testCase)
    {
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), call,
                              "PyTorch rejects this: " + testCase.GetProperty("error").GetString());
        Assert.That(e!.Message, Is.Not.Empty);
    }
}

/// <summary>
/// How far a floating result may be from PyTorch's (see ReferenceFixture.AssertMatches). Underflow is an
/// absolute allowance for results in the subnormal range, where each rounding errs by up to half the
/// smallest subnormal whatever the value (tests/native/fixture.h's Tolerance::underflow).
/// </summary>
internal readonly record struct Tolerance(long Ulps = 0, double BoundScale = 0, JsonElement? AbsBound = null, double Underflow = 0)
{
    internal static Tolerance Exact => new();
}

/// <summary>Disposes every tensor a test creates, in reverse order.</summary>
internal sealed class TensorBag : IDisposable
{
    private readonly List<Tensor> _tensors = new();

    internal Tensor Add(Tensor t)
    {
        _tensors.Add(t);
        return t;
    }

    public void Dispose()
    {
        for (int i = _tensors.Count - 1; i >= 0; i--) _tensors[i].Dispose();
    }
}
