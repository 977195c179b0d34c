using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Linspace, Logspace, Eye, TrilIndices/TriuIndices and the *Like factories against the PyTorch
/// fixture factories2.json (tests/reference/gen_factories2.py), and the random factories
/// through the C# API: reproducible for a seed, within the distribution bounds derived in
/// tests/native/test_factories2.cpp.
/// </summary>
public class Factories2Tests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("factories2.json", "Factories2");

    private static DType DTypeOf(JsonElement c) => ReferenceFixture.ParseDType(c.GetProperty("dtype").GetString()!);

    private static Tensor Run(JsonElement c, TensorBag bag)
    {
        string op = c.GetProperty("op").GetString()!;
        switch (op)
        {
            case "linspace":
                return Tensor.Linspace(ReferenceFixture.Scalar(c.GetProperty("start")), ReferenceFixture.Scalar(c.GetProperty("end")),
                    c.GetProperty("steps").GetInt64(), DTypeOf(c));
            case "logspace":
                return Tensor.Logspace(ReferenceFixture.Scalar(c.GetProperty("start")), ReferenceFixture.Scalar(c.GetProperty("end")),
                    c.GetProperty("steps").GetInt64(), c.TryGetProperty("base", out JsonElement b) ? b.GetDouble() : 10.0, DTypeOf(c));
            case "eye":
                return Tensor.Eye(c.GetProperty("n").GetInt64(), c.GetProperty("m").GetInt64(), DTypeOf(c));
            case "tril_indices":
                return Tensor.TrilIndices(c.GetProperty("row").GetInt64(), c.GetProperty("col").GetInt64(), c.GetProperty("offset").GetInt64(), DTypeOf(c));
            case "triu_indices":
                return Tensor.TriuIndices(c.GetProperty("row").GetInt64(), c.GetProperty("col").GetInt64(), c.GetProperty("offset").GetInt64(), DTypeOf(c));
        }
        Tensor input = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        DType? dtype = c.TryGetProperty("dtype", out _) ? DTypeOf(c) : null;
        return op switch
        {
            "zeros_like" => Tensor.ZerosLike(input, dtype),
            "ones_like" => Tensor.OnesLike(input, dtype, Device.Cpu),
            "full_like" => Tensor.FullLike(input, ReferenceFixture.Scalar(c.GetProperty("value")), dtype),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run(c, bag)), c);
            return;
        }
        Tensor result = bag.Add(Run(c, bag));
        JsonElement expected = c.GetProperty("expected");
        Tolerance tol = Tolerance.Exact;
        if (c.TryGetProperty("abs_bound", out JsonElement bound))
        {
            // linspace: PyTorch's vector path differs by up to 3 roundings (test_factories2.cpp).
            tol = new Tolerance(0, 1.5 * ReferenceFixture.Epsilon(result.DType), bound);
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
        if (c.TryGetProperty("strides", out JsonElement strides))
        {
            Assert.That(result.Strides, Is.EqualTo(ReferenceFixture.Longs(strides)));
        }
    }

    [Test]
    public void RandomFactoriesReproduceForASeed()
    {
        float[] Draw()
        {
            Tensor.ManualSeed(1234);
            using var p = Tensor.Randperm(50);
            using var n = Tensor.Normal(1.0, 2.0, new long[] { 30 });
            using var u = Tensor.Zeros(20).UniformInPlace(-1, 1);
            using var b = Tensor.Full(new long[] { 20 }, 0.5f).Bernoulli();
            using var m = Tensor.From(new[] { 1.0f, 2.0f, 3.0f }).Multinomial(2);
            return p.ToArray<long>().Select(v => (float)v)
                .Concat(n.ToArray<float>()).Concat(u.ToArray<float>()).Concat(b.ToArray<float>())
                .Concat(m.ToArray<long>().Select(v => (float)v)).ToArray();
        }
        Assert.That(Draw(), Is.EqualTo(Draw()));
    }

    [Test]
    public void UniformStaysInRangeWithTheExpectedMean()
    {
        // 100000 uniforms on [-2, 6): mean 2, sd (8 / sqrt(12)) / sqrt(n) = 0.0073, bound 5 sd.
        // -2 + 8u is exact in float32 for every 24-bit u, so no value can round up to 6.
        Tensor.ManualSeed(99);
        using var u = Tensor.Empty(new long[] { 100000 }).UniformInPlace(-2, 6);
        float[] v = u.ToArray<float>();
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-2.0f));
        Assert.That(v.Max(), Is.LessThan(6.0f));
        Assert.That(v.Average(x => (double)x), Is.EqualTo(2.0).Within(5 * (8 / Math.Sqrt(12)) / Math.Sqrt(100000)));
    }

    [Test]
    public void RandpermIsAPermutation()
    {
        using var p = Tensor.Randperm(1000, DType.Int32);
        int[] v = p.ToArray<int>();
        Array.Sort(v);
        Assert.That(v, Is.EqualTo(Enumerable.Range(0, 1000).ToArray()));
    }

    [Test]
    public void BadArgumentsThrow()
    {
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Tensor.Randperm(-1));
        using var ints = Tensor.Zeros(new long[] { 3 }, DType.Int64);
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => ints.UniformInPlace());
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => ints.Multinomial(1));
        using var probs = Tensor.From(new[] { 1.0f, 0.0f });
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => probs.Multinomial(3));
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Tensor.RandLike(ints));
    }
}
