using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The reductions of issue 3 through the C# API (Prod, Amax/Amin, Max/Min with indices,
/// Argmax/Argmin, Var/Std/VarMean/StdMean, VectorNorm, LogSumExp, Any/All, CountNonzero,
/// CumSum/CumProd, the dtype argument of Sum/Mean/Prod) against fixtures/reductions.json. The
/// tolerances are the native test's (derived in tests/reference/gen_reductions.py):
/// count * eps * abs_bound plus one ulp for rounded float results, exact otherwise.
/// </summary>
public class ReductionsTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("reductions.json", "Reductions");

    private static Tolerance ToleranceOf(JsonElement c, string boundKey = "abs_bound") =>
        c.TryGetProperty("count", out JsonElement count)
            ? new Tolerance(1, count.GetInt64() * ReferenceFixture.Float(c.GetProperty("eps")), c.GetProperty(boundKey))
            : Tolerance.Exact;

    private static long[]? Dims(JsonElement c) =>
        c.TryGetProperty("dims", out JsonElement d) && d.ValueKind != JsonValueKind.Null ? ReferenceFixture.Longs(d) : null;

    private static long? Dim(JsonElement c) =>
        c.TryGetProperty("dim", out JsonElement d) && d.ValueKind != JsonValueKind.Null ? d.GetInt64() : null;

    private static DType? DTypeArg(JsonElement c) =>
        c.TryGetProperty("dtype", out JsonElement d) && d.ValueKind != JsonValueKind.Null
            ? ReferenceFixture.ParseDType(d.GetString()!)
            : null;

    // Runs the case's op the way a user would write it; second is the indices or the mean.
    private static (Tensor First, Tensor? Second) Run(JsonElement c, Tensor x)
    {
        string op = c.GetProperty("op").GetString()!;
        long[]? dims = Dims(c);
        long? dim = Dim(c);
        bool keepDim = c.TryGetProperty("keepdim", out JsonElement k) && k.GetBoolean();
        double correction = c.TryGetProperty("correction", out JsonElement corr) ? corr.GetDouble() : 1;
        DType? dtype = DTypeArg(c);
        switch (op)
        {
            case "sum": return (dims is null ? x.Sum(dtype) : x.Sum(dims, keepDim, dtype), null);
            case "mean": return (dims is null ? x.Mean(dtype) : x.Mean(dims, keepDim, dtype), null);
            case "prod":
                if (dims is null) return (x.Prod(dtype), null);
                return (dims.Length == 1 ? x.Prod(dims[0], keepDim, dtype) : x.Prod(dims, keepDim, dtype), null);
            case "amax": return (dims is null ? x.Amax() : x.Amax(dims, keepDim), null);
            case "amin": return (dims is null ? x.Amin() : x.Amin(dims, keepDim), null);
            case "max":
                if (!c.TryGetProperty("dim", out _)) return (x.Max(), null);
                var (maxValues, maxIndices) = x.Max(dim!.Value, keepDim);
                return (maxValues, maxIndices);
            case "min":
                if (!c.TryGetProperty("dim", out _)) return (x.Min(), null);
                var (minValues, minIndices) = x.Min(dim!.Value, keepDim);
                return (minValues, minIndices);
            case "argmax": return (x.Argmax(dim, keepDim), null);
            case "argmin": return (x.Argmin(dim, keepDim), null);
            case "var": return (x.Var(dims, correction, keepDim), null);
            case "std": return (x.Std(dims, correction: correction, keepDim: keepDim), null);
            case "var_mean": { var (v, m) = x.VarMean(dims, correction, keepDim); return (v, m); }
            case "std_mean": { var (s, m) = x.StdMean(dims, correction, keepDim); return (s, m); }
            case "vector_norm": return (x.VectorNorm(ReferenceFixture.Float(c.GetProperty("ord")), dims, keepDim), null);
            case "logsumexp": return (x.LogSumExp(dims!, keepDim), null);
            case "any": return (dims is null ? x.Any() : x.Any(dims, keepDim), null);
            case "all": return (dims is null ? x.All() : x.All(dims, keepDim), null);
            case "count_nonzero": return (x.CountNonzero(dims), null);
            case "cumsum": return (x.CumSum(dim!.Value, dtype), null);
            case "cumprod": return (x.CumProd(dim!.Value, dtype), null);
            default: throw new ArgumentException($"unknown op {op}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor x = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() =>
            {
                var (first, second) = Run(c, x);
                bag.Add(first);
                if (second is not null) bag.Add(second);
            }, c);
            return;
        }
        var (result, extra) = Run(c, x);
        bag.Add(result);
        if (extra is not null) bag.Add(extra);
        ReferenceFixture.AssertMatches(result, c.GetProperty("expected"), ToleranceOf(c));
        if (c.TryGetProperty("expected_indices", out JsonElement indices))
            ReferenceFixture.AssertMatches(extra!, indices, Tolerance.Exact);
        if (c.TryGetProperty("expected_mean", out JsonElement mean))
            ReferenceFixture.AssertMatches(extra!, mean, ToleranceOf(c, "mean_abs_bound"));
    }

    [Test]
    public void MaxAlongDimDeconstructsIntoValuesAndIndices()
    {
        using var x = Tensor.From(new[] { 1f, 5f, 5f, 2f }, 2, 2);
        var (values, indices) = x.Max(1);
        using (values)
        using (indices)
        {
            Assert.That(values.ToArray<float>(), Is.EqualTo(new[] { 5f, 5f }));
            Assert.That(indices.ToArray<long>(), Is.EqualTo(new[] { 1L, 0L }));
            Assert.That(indices.DType, Is.EqualTo(DType.Int64));
        }
    }

    [Test]
    public void ALiteralZeroDimReducesDimZero()
    {
        // C# converts the constant 0 to any enum: without the int overloads, Sum(0) was Sum(DType?)
        // and summed every element.
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3);
        Assert.That(x.Sum(0).ToArray<float>(), Is.EqualTo(new[] { 5f, 7f, 9f }));
        Assert.That(x.Mean(0).ToArray<float>(), Is.EqualTo(new[] { 2.5f, 3.5f, 4.5f }));
        Assert.That(x.Prod(0).ToArray<float>(), Is.EqualTo(new[] { 4f, 10f, 18f }));
        Assert.That(x.Sum(0, keepDim: true).Shape, Is.EqualTo(new[] { 1L, 3L }));
        Assert.That(x.Sum(DType.Float64).ToArray<double>(), Is.EqualTo(new[] { 21.0 }));
    }

    [Test]
    public void ErrorMessagesNameTheOpAndShape()
    {
        using var empty = Tensor.Zeros(0, 3);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => empty.Amax(0).Dispose());
        Assert.That(e!.Message, Does.Contain("amax").And.Contain("[0, 3]"));
    }
}
