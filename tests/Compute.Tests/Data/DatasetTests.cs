using System.Text.Json;
using Compute.Data;
using Compute.Tests.Reference;

namespace Compute.Tests.Data;

public class DatasetTests
{
    private sealed class Range : Dataset<int>
    {
        private readonly int _start, _count;
        public Range(int start, int count) { _start = start; _count = count; }
        public override int Count => _count;
        protected override int Get(int index) => _start + index;
    }

    [Test]
    public void TensorDatasetSlicesEveryTensorAlongTheFirstDim()
    {
        using var x = Tensor.Arange(12, dtype: DType.Float32).Reshape(4, 3);
        using var y = Tensor.Arange(4);
        var ds = new TensorDataset(x, y);
        Assert.That(ds.Count, Is.EqualTo(4));
        Tensor[] s = ds[2];
        Assert.That(s[0].ToArray<float>(), Is.EqualTo(new float[] { 6, 7, 8 }));
        Assert.That(s[1].Item<long>(), Is.EqualTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = ds[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = ds[-1]);
    }

    [Test]
    public void TensorDatasetRejectsMismatchedFirstDims()
    {
        using var x = Tensor.Zeros(4, 3);
        using var y = Tensor.Zeros(5);
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(x, y));
        Assert.That(e!.Message, Does.Contain("Size mismatch").And.Contain("4, 5"));
        Assert.Throws<ArgumentException>(() => new TensorDataset());
    }

    [Test]
    public void SubsetAndConcatIndexThrough()
    {
        var a = new Range(0, 3);
        var empty = new Range(100, 0);
        var b = new Range(10, 2);
        var concat = new ConcatDataset<int>(new Dataset<int>[] { a, empty, b });
        Assert.That(concat.ToArray(), Is.EqualTo(new[] { 0, 1, 2, 10, 11 }));
        Assert.That(concat.CumulativeSizes, Is.EqualTo(new[] { 3, 3, 5 }));
        Assert.That((a + b).ToArray(), Is.EqualTo(new[] { 0, 1, 2, 10, 11 }));
        var sub = new Subset<int>(concat, new[] { 4, 0, 3 });
        Assert.That(sub.ToArray(), Is.EqualTo(new[] { 11, 0, 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subset<int>(a, new[] { 3 }));
    }

    [TestCaseSource(nameof(SplitCases))]
    public void RandomSplitSizesMatchPyTorch(JsonElement c)
    {
        int n = c.GetProperty("n").GetInt32();
        double[] fractions = c.GetProperty("fractions").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ds = new Range(0, n);
        if (c.TryGetProperty("error", out _))
        {
            Assert.Throws<ArgumentException>(() => Compute.Data.Dataset.RandomSplit(ds, fractions, new Generator(0)));
            return;
        }
        Subset<int>[] parts = Compute.Data.Dataset.RandomSplit(ds, fractions, new Generator(0));
        Assert.That(parts.Select(p => p.Count), Is.EqualTo(ReferenceFixture.Longs(c.GetProperty("expected")).Select(v => (int)v)));
        // Disjoint and covering: every index exactly once.
        Assert.That(parts.SelectMany(p => p).OrderBy(v => v), Is.EqualTo(Enumerable.Range(0, n)));
    }

    private static IEnumerable<TestCaseData> SplitCases() => DataFixture.Cases("random_split_lengths");

    [Test]
    public void RandomSplitIsReproducibleWithASeedAndFollowsTheDefaultGenerator()
    {
        var ds = new Range(0, 50);
        int[] First(Generator? g) => Compute.Data.Dataset.RandomSplit(ds, new[] { 20, 30 }, g)[0].ToArray();
        Assert.That(First(new Generator(7)), Is.EqualTo(First(new Generator(7))));
        Assert.That(First(new Generator(7)), Is.Not.EqualTo(First(new Generator(8))));
        Tensor.ManualSeed(3);
        int[] a = First(null);
        Tensor.ManualSeed(3);
        Assert.That(First(null), Is.EqualTo(a));
        var e = Assert.Throws<ArgumentException>(() => Compute.Data.Dataset.RandomSplit(ds, new[] { 20, 20 }, new Generator(1)));
        Assert.That(e!.Message, Does.Contain("does not equal the length"));
    }

    [Test]
    public void CharTextDatasetShiftsTargetsByOne()
    {
        var ds = new CharTextDataset("hello world", 4);
        Assert.That(ds.VocabSize, Is.EqualTo(8));
        Assert.That(ds.Count, Is.EqualTo(7));
        Tensor[] s = ds[1];
        Assert.That(ds.Decode(s[0]), Is.EqualTo("ello"));
        Assert.That(ds.Decode(s[1]), Is.EqualTo("llo "));
        using Tensor ids = ds.Encode("low");
        Assert.That(ds.Decode(ids), Is.EqualTo("low"));
        Assert.Throws<ArgumentException>(() => ds.Encode("xyz!"));
        Assert.Throws<ArgumentException>(() => new CharTextDataset("abc", 3));
    }
}
