using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Pooling, interpolate and grid_sample through the C# API (Functional.MaxPool1d/2d, AvgPool1d/2d,
/// AdaptiveAvgPool1d/2d, AdaptiveMaxPool2d, Interpolate, GridSample and the internal backward
/// wrappers) against fixtures/nn_pool.json. The tolerances are the native test's (derived in
/// tests/reference/gen_nn_pool.py): exact for maxima, indices and nearest copies, count * eps *
/// abs_bound plus one ulp for averages and interpolations.
/// </summary>
public class NNPoolTests
{
    // Only the cases C# can spell: 3-d pooling and adaptive_max_pool1d have no C# entry point yet
    // (the C ABI has them; the native tests cover those cases).
    private static IEnumerable<TestCaseData> Cases() =>
        ReferenceFixture.Cases("nn_pool.json", "NNPool").Where(t => CSharpHasIt((JsonElement)t.Arguments[0]!));

    private static bool CSharpHasIt(JsonElement c) => N(c) < 3 && !(Str(c, "op") == "adaptive_max_pool" && N(c) == 1);

    private static int N(JsonElement c) => c.TryGetProperty("nspatial", out JsonElement n) ? n.GetInt32() : 2;

    private static long[]? Longs(JsonElement c, string key) =>
        c.TryGetProperty(key, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? ReferenceFixture.Longs(v) : null;

    private static double[]? Doubles(JsonElement c, string key) =>
        c.TryGetProperty(key, out JsonElement v) && v.ValueKind != JsonValueKind.Null
            ? v.EnumerateArray().Select(ReferenceFixture.Float).ToArray()
            : null;

    private static bool Flag(JsonElement c, string key) => c.TryGetProperty(key, out JsonElement v) && v.GetBoolean();

    private static string Str(JsonElement c, string key) => c.GetProperty(key).GetString()!;

    private static Tolerance Bounded(JsonElement c, string boundKey, string countKey = "count") =>
        c.TryGetProperty(countKey, out JsonElement count) && c.TryGetProperty(boundKey, out JsonElement bound)
            ? new Tolerance(1, count.GetInt64() * ReferenceFixture.Float(c.GetProperty("eps")), bound)
            : Tolerance.Exact;

    private static bool Linear(JsonElement c) => Str(c, "mode") is "linear" or "bilinear" or "trilinear";

    // The forward as a user writes it; Second is the indices of max pooling.
    private static (Tensor First, Tensor? Second) Forward(JsonElement c, Tensor x, Tensor? grid)
    {
        int n = N(c);
        switch (Str(c, "op"))
        {
            case "max_pool":
            {
                long[] k = Longs(c, "kernel_size")!, p = Longs(c, "padding")!, d = Longs(c, "dilation")!;
                long[]? s = Longs(c, "stride");
                var (o, i) = n == 1
                    ? Functional.MaxPool1dWithIndices(x, k[0], s?[0], p[0], d[0], Flag(c, "ceil_mode"))
                    : Functional.MaxPool2dWithIndices(x, k, s, p, d, Flag(c, "ceil_mode"));
                return (o, i);
            }
            case "avg_pool":
            {
                long[] k = Longs(c, "kernel_size")!, p = Longs(c, "padding")!;
                long[]? s = Longs(c, "stride");
                long div = c.GetProperty("divisor_override").GetInt64();
                return (n == 1
                    ? Functional.AvgPool1d(x, k[0], s?[0], p[0], Flag(c, "ceil_mode"), Flag(c, "count_include_pad"))
                    : Functional.AvgPool2d(x, k, s, p, Flag(c, "ceil_mode"), Flag(c, "count_include_pad"), div == 0 ? null : div), null);
            }
            case "adaptive_avg_pool":
            {
                long[] size = Longs(c, "output_size")!;
                return (n == 1 ? Functional.AdaptiveAvgPool1d(x, size[0]) : Functional.AdaptiveAvgPool2d(x, size), null);
            }
            case "adaptive_max_pool":
            {
                var (o, i) = Functional.AdaptiveMaxPool2dWithIndices(x, Longs(c, "output_size")!);
                return (o, i);
            }
            case "interpolate":
                return (Functional.Interpolate(x, Longs(c, "size"), Doubles(c, "scale_factor"), Str(c, "mode"), AlignCorners(c),
                                               Flag(c, "recompute_scale_factor") ? true : null), null);
            case "grid_sample":
                return (Functional.GridSample(x, grid!, Str(c, "mode"), Str(c, "padding_mode"), Flag(c, "align_corners")), null);
            default:
                throw new ArgumentException($"unknown op {Str(c, "op")}");
        }
    }

    // PyTorch's align_corners=None for the nearest modes, the flag otherwise (an error case sets it on nearest).
    private static bool? AlignCorners(JsonElement c) => Flag(c, "align_corners") ? true : Linear(c) ? false : null;

    private static (Tensor GradInput, Tensor? GradGrid) Backward(JsonElement c, Tensor g, Tensor x, Tensor? grid, Tensor? indices)
    {
        int n = N(c);
        switch (Str(c, "op"))
        {
            case "max_pool":
            case "adaptive_max_pool":
                return (Functional.MaxPoolBackward(g, x, n, indices!), null);
            case "avg_pool":
            {
                long div = c.GetProperty("divisor_override").GetInt64();
                return (Functional.AvgPoolBackward(g, x, n, Longs(c, "kernel_size")!, Longs(c, "stride"), Longs(c, "padding")!,
                                                   Flag(c, "ceil_mode"), Flag(c, "count_include_pad"), div == 0 ? null : div), null);
            }
            case "adaptive_avg_pool":
                return (Functional.AdaptiveAvgPoolBackward(g, x, n), null);
            case "interpolate":
                return (Functional.InterpolateBackward(g, x.Shape, Doubles(c, "scale_factor"), Str(c, "mode"), AlignCorners(c),
                                                       Flag(c, "recompute_scale_factor") ? true : null), null);
            case "grid_sample":
            {
                var (gi, gg) = Functional.GridSampleBackward(g, x, grid!, Str(c, "mode"), Str(c, "padding_mode"), Flag(c, "align_corners"));
                return (gi, gg);
            }
            default:
                throw new ArgumentException($"unknown op {Str(c, "op")}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor x = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        Tensor? grid = c.TryGetProperty("grid", out JsonElement gj) ? bag.Add(ReferenceFixture.Build(gj)) : null;
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() =>
            {
                var (first, second) = Forward(c, x, grid);
                bag.Add(first);
                if (second is not null) bag.Add(second);
            }, c);
            return;
        }
        var (result, indices) = Forward(c, x, grid);
        bag.Add(result);
        if (indices is not null) bag.Add(indices);
        ReferenceFixture.AssertMatches(result, c.GetProperty("expected"), Bounded(c, "abs_bound"));
        if (c.TryGetProperty("expected_indices", out JsonElement ei)) ReferenceFixture.AssertMatches(indices!, ei, Tolerance.Exact);
        if (!c.TryGetProperty("grad_output", out JsonElement go)) return;
        Tensor g = bag.Add(ReferenceFixture.Build(go));
        var (gradInput, gradGrid) = Backward(c, g, x, grid, indices);
        bag.Add(gradInput);
        if (gradGrid is not null) bag.Add(gradGrid);
        ReferenceFixture.AssertMatches(gradInput, c.GetProperty("expected_grad"), Bounded(c, "grad_abs_bound"));
        if (c.TryGetProperty("expected_grad_grid", out JsonElement eg))
        {
            ReferenceFixture.AssertMatches(gradGrid!, eg, Bounded(c, "grad_grid_abs_bound", "grad_grid_count"));
        }
    }

    [Test]
    public void MaxPool2dDefaultsStrideToKernelAndDropsIndices()
    {
        using var x = Tensor.From(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f }, 1, 1, 4, 4);
        using var y = Functional.MaxPool2d(x, 2);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 1, 1, 2, 2 }));
        Assert.That(y.ToArray<float>(), Is.EqualTo(new[] { 6f, 8f, 14f, 16f }));
    }

    [Test]
    public void BadArgumentsThrowWithTheOpAndShapeInTheMessage()
    {
        using var x = Tensor.Zeros(1, 1, 3, 3);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.MaxPool2d(x, 4).Dispose());
        Assert.That(e!.Message, Does.Contain("max_pool2d").And.Contain("[1, 1, 3, 3]"));
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.AvgPool2d(x, 2, padding: 2).Dispose());
        Assert.That(e!.Message, Does.Contain("avg_pool2d").And.Contain("padding"));
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.MaxPool2d(x, 2, stride: 0).Dispose());
        Assert.That(e!.Message, Does.Contain("stride"));
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Interpolate(x, 3, mode: "linear").Dispose());
        Assert.That(e!.Message, Does.Contain("linear"));
        using var grid = Tensor.Zeros(2, 2, 2, 2);
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.GridSample(x, grid).Dispose());
        Assert.That(e!.Message, Does.Contain("grid_sample").And.Contain("batch"));
    }
}
