using System.Text.Json;
using Compute.Data;
using Compute.Tests.Reference;

namespace Compute.Tests.Data;

public class SamplerTests
{
    private static IEnumerable<TestCaseData> BatchCases() => DataFixture.Cases("batch_sampler");

    [TestCaseSource(nameof(BatchCases))]
    public void BatchSamplerMatchesPyTorch(JsonElement c)
    {
        var sampler = new BatchSampler(new SequentialSampler(c.GetProperty("n").GetInt32()), c.GetProperty("batch_size").GetInt32(),
                                       c.GetProperty("drop_last").GetBoolean());
        int[][] expected = c.GetProperty("expected").EnumerateArray().Select(b => b.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        Assert.That(sampler.ToArray(), Is.EqualTo(expected));
        Assert.That(sampler.Count, Is.EqualTo(c.GetProperty("expected_len").GetInt32()));
    }

    [Test]
    public void RandomSamplerYieldsPermutationsAndChainsThem()
    {
        var sampler = new RandomSampler(10, generator: new Generator(1));
        int[] first = sampler.ToArray(), second = sampler.ToArray();
        Assert.That(first.OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 10)));
        Assert.That(second, Is.Not.EqualTo(first), "a new order every epoch");
        int[] chained = new RandomSampler(4, numSamples: 10, generator: new Generator(2)).ToArray();
        Assert.That(chained.Length, Is.EqualTo(10));
        Assert.That(chained.Take(4).OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 4)));
        Assert.That(chained.Skip(4).Take(4).OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 4)));
        int[] replaced = new RandomSampler(3, replacement: true, numSamples: 50, generator: new Generator(3)).ToArray();
        Assert.That(replaced.Length, Is.EqualTo(50));
        Assert.That(replaced.All(i => i is >= 0 and < 3) && replaced.Distinct().Count() == 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSampler(5, numSamples: 0));
    }

    [Test]
    public void SubsetRandomSamplerShufflesOnlyTheSubset()
    {
        int[] order = new SubsetRandomSampler(new[] { 5, 7, 9 }, new Generator(4)).ToArray();
        Assert.That(order.OrderBy(i => i), Is.EqualTo(new[] { 5, 7, 9 }));
    }

    [Test]
    public void WeightedRandomSamplerFollowsTheWeights()
    {
        double[] weights = { 1, 0, 3 };
        int[] draws = new WeightedRandomSampler(weights, 20000, generator: new Generator(5)).ToArray();
        Assert.That(draws, Has.None.EqualTo(1), "zero weight is never drawn");
        double share = draws.Count(d => d == 2) / 20000.0;
        // Binomial(20000, 0.75): standard deviation 0.003, so 5 sigma is 0.015 (a fixed seed: deterministic).
        Assert.That(share, Is.EqualTo(0.75).Within(0.015));
        int[] unique = new WeightedRandomSampler(new double[] { 1, 2, 3, 4 }, 4, replacement: false, generator: new Generator(6)).ToArray();
        Assert.That(unique.OrderBy(i => i), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => new WeightedRandomSampler(new double[] { 1, 0 }, 2, replacement: false));
        Assert.Throws<ArgumentException>(() => new WeightedRandomSampler(new double[] { 1, -1 }, 2));
        Assert.Throws<ArgumentException>(() => new WeightedRandomSampler(new double[] { 0, 0 }, 2));
    }

    [Test]
    public void GeneratorStateRoundTripsAndRandpermIsAPermutation()
    {
        var g = new Generator(42);
        g.NextUInt64();
        using Tensor state = g.GetState();
        ulong a = g.NextUInt64(), b = g.NextUInt64();
        g.SetState(state);
        Assert.That((g.NextUInt64(), g.NextUInt64()), Is.EqualTo((a, b)));
        Assert.That(g.Randperm(100).OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 100)));
        using Tensor bad = Tensor.Zeros(3);
        Assert.Throws<ArgumentException>(() => g.SetState(bad));
    }

    [Test]
    public void RngStateRestoresTheDefaultGenerator()
    {
        Tensor.ManualSeed(123);
        using Tensor skip = Tensor.Rand(5);
        using Tensor state = Tensor.GetRngState();
        Assert.That(state.DType, Is.EqualTo(DType.UInt8));
        Assert.That(state.Shape, Is.EqualTo(new long[] { Tensor.RngStateBytes }));
        using Tensor first = Tensor.Randn(7);
        using Tensor more = Tensor.Rand(3);
        Tensor.SetRngState(state);
        using Tensor again = Tensor.Randn(7);
        Assert.That(again.ToArray<float>(), Is.EqualTo(first.ToArray<float>()));
        using Tensor wrong = Tensor.Zeros(16);
        var e = Assert.Throws<ArgumentException>(() => Tensor.SetRngState(wrong));
        Assert.That(e!.Message, Does.Contain("SetRngState").And.Contain("uint8"));
    }
}
