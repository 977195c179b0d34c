using System.Text.Json;
using Compute.Data;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.Data;

public class TransformTests
{
    private static IEnumerable<TestCaseData> NormalizeCases() => DataFixture.Cases("normalize");
    private static IEnumerable<TestCaseData> ResizeCases() => DataFixture.Cases("resize");
    private static IEnumerable<TestCaseData> ToTensorCases() => DataFixture.Cases("to_tensor");

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [TestCaseSource(nameof(NormalizeCases))]
    public void NormalizeMatchesPyTorch(JsonElement c)
    {
        using var x = ReferenceFixture.Build(c.GetProperty("input"));
        var normalize = new Normalize(Doubles(c.GetProperty("mean")), Doubles(c.GetProperty("std")));
        using Tensor y = normalize.Apply(x);
        // (x - m) / s: two correctly rounded float32 operations in both libraries, so exact.
        ReferenceFixture.AssertMatches(y, c.GetProperty("expected"), Tolerance.Exact);
        using Tensor copy = x.Clone();
        new Normalize(Doubles(c.GetProperty("mean")), Doubles(c.GetProperty("std")), inplace: true).Apply(copy);
        ReferenceFixture.AssertMatches(copy, c.GetProperty("expected"), Tolerance.Exact);
    }

    [TestCaseSource(nameof(ResizeCases))]
    public void ResizeMatchesInterpolate(JsonElement c)
    {
        using var x = ReferenceFixture.Build(c.GetProperty("input"));
        long[] size = ReferenceFixture.Longs(c.GetProperty("size"));
        using Tensor y = new Resize(size[0], size[1], c.GetProperty("mode").GetString()!).Apply(x);
        // Bilinear float32 results are sums of 4 weighted taps whose weights both libraries
        // derive from float32 source coordinates: within count * eps * abs_bound plus one ulp,
        // where the fixture's abs_bound covers the sum and the coordinate rounding (gen_data.py).
        // Nearest copies and the fixture's uint8 results (rounded values, none near .5) are exact.
        Tolerance tol = c.TryGetProperty("abs_bound", out JsonElement bound)
            ? new Tolerance(1, c.GetProperty("count").GetInt64() * ReferenceFixture.Float(c.GetProperty("eps")), bound)
            : Tolerance.Exact;
        ReferenceFixture.AssertMatches(y, c.GetProperty("expected"), tol);
    }

    [TestCaseSource(nameof(ToTensorCases))]
    public void ToTensorMatchesPyTorch(JsonElement c)
    {
        using var x = ReferenceFixture.Build(c.GetProperty("input"));
        using Tensor y = new ToTensor().Apply(x);
        ReferenceFixture.AssertMatches(y, c.GetProperty("expected"), Tolerance.Exact);
    }

    [Test]
    public void ResizeOfTheSmallerEdgeKeepsTheAspectRatio()
    {
        using var x = Tensor.Rand(new long[] { 3, 20, 40 });
        using Tensor y = new Resize(10).Apply(x);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 3, 10, 20 }));
    }

    [Test]
    public void RandomCropTakesAWindowOfThePaddedImage()
    {
        using var x = Tensor.Arange(1, 26, dtype: DType.Float32).Reshape(1, 5, 5);
        var crop = new RandomCrop(5, padding: new long[] { 2 });
        var seen = new HashSet<string>();
        for (int i = 0; i < 40; i++)
        {
            using Tensor y = crop.Apply(x);
            Assert.That(y.Shape, Is.EqualTo(new long[] { 1, 5, 5 }));
            float[] v = y.ToArray<float>();
            seen.Add(string.Join(",", v));
            // Every crop holds a window of the padded image: its non-zero values are consecutive rows of x.
            Assert.That(v.Where(f => f != 0).All(f => f is >= 1 and <= 25));
        }
        Assert.That(seen.Count, Is.GreaterThan(5), "different offsets are drawn");
        Assert.Throws<ArgumentException>(() => new RandomCrop((6, 6)).Apply(x));
        using Tensor padded = new RandomCrop((6, 6), padIfNeeded: true).Apply(x);
        Assert.That(padded.Shape, Is.EqualTo(new long[] { 1, 6, 6 }));
        using Tensor reflect = new RandomCrop(5, new long[] { 1 }, paddingMode: PaddingMode.Reflect).Apply(x);
        Assert.That(reflect.ToArray<float>(), Has.None.EqualTo(0f));
    }

    [Test]
    public void FlipProbabilityZeroAndOne()
    {
        using var x = Tensor.Arange(6, dtype: DType.Float32).Reshape(2, 3);
        using Tensor never = new RandomHorizontalFlip(0).Apply(x);
        using Tensor always = new RandomHorizontalFlip(1).Apply(x);
        Assert.That(never.ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }));
        Assert.That(always.ToArray<float>(), Is.EqualTo(new float[] { 2, 1, 0, 5, 4, 3 }));
    }

    [Test]
    public void ComposeAppliesInOrderAndNormalizeRejectsBadInput()
    {
        using var img = Tensor.Full(new long[] { 2, 2 }, 255, DType.UInt8);
        var t = new Compose(new ToTensor(), new Normalize(new[] { 0.5 }, new[] { 0.5 }));
        using Tensor y = t.Apply(img);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 1, 2, 2 }));
        Assert.That(y.ToArray<float>(), Is.All.EqualTo(1f));
        Assert.Throws<ArgumentException>(() => new Normalize(new[] { 0.5 }, new[] { 0.0 }));
        using var ints = Tensor.Zeros(new long[] { 1, 2, 2 }, DType.Int64);
        Assert.Throws<ArgumentException>(() => new Normalize(new[] { 0.5 }, new[] { 1.0 }).Apply(ints));
        using var three = Tensor.Zeros(3, 2, 2);
        Assert.Throws<ArgumentException>(() => new Normalize(new[] { 0.5, 0.5 }, new[] { 1.0, 1.0 }).Apply(three));
    }
}
