using Compute.Data;

namespace Compute.Tests.Data;

public class DataLoaderTests
{
    private static TensorDataset Numbers(int n, out Tensor x, out Tensor y)
    {
        x = Tensor.Arange(n * 2, dtype: DType.Float32).Reshape(n, 2);
        y = Tensor.Arange(n);
        return new TensorDataset(x, y);
    }

    private static long[][] Labels(IEnumerable<Tensor[]> batches) => batches.Select(b => b[1].ToArray<long>()).ToArray();

    [Test]
    public void BatchesStackSamplesInOrder()
    {
        var ds = Numbers(10, out Tensor x, out Tensor y);
        var loader = new DataLoader(ds, batchSize: 4);
        Assert.That(loader.Count, Is.EqualTo(3));
        Tensor[][] batches = loader.ToArray();
        Assert.That(batches.Select(b => b[0].Shape), Is.EqualTo(new[] { new long[] { 4, 2 }, new long[] { 4, 2 }, new long[] { 2, 2 } }));
        Assert.That(batches[1][0].ToArray<float>(), Is.EqualTo(new float[] { 8, 9, 10, 11, 12, 13, 14, 15 }));
        Assert.That(Labels(batches)[2], Is.EqualTo(new long[] { 8, 9 }));
        var dropping = new DataLoader(ds, batchSize: 4, dropLast: true);
        Assert.That(dropping.Count, Is.EqualTo(2));
        Assert.That(dropping.Count(), Is.EqualTo(2));
        x.Dispose();
        y.Dispose();
    }

    [Test]
    public void ShuffleIsSeededAndNewEachEpoch()
    {
        var ds = Numbers(20, out _, out _);
        var loader = new DataLoader(ds, batchSize: 5, shuffle: true, generator: new Generator(9));
        long[] epoch1 = Labels(loader).SelectMany(b => b).ToArray();
        long[] epoch2 = Labels(loader).SelectMany(b => b).ToArray();
        Assert.That(epoch1.OrderBy(v => v), Is.EqualTo(Enumerable.Range(0, 20).Select(v => (long)v)));
        Assert.That(epoch2, Is.Not.EqualTo(epoch1));
        var again = new DataLoader(ds, batchSize: 5, shuffle: true, generator: new Generator(9));
        Assert.That(Labels(again).SelectMany(b => b), Is.EqualTo(epoch1));
        // Without a generator the order follows the default generator's seed.
        Tensor.ManualSeed(77);
        long[] a = Labels(new DataLoader(ds, batchSize: 5, shuffle: true)).SelectMany(b => b).ToArray();
        Tensor.ManualSeed(77);
        Assert.That(Labels(new DataLoader(ds, batchSize: 5, shuffle: true)).SelectMany(b => b), Is.EqualTo(a));
    }

    [Test]
    public void WorkersGiveTheSameBatchesAsTheCallersThread([Values(1, 2, 3)] int workers)
    {
        var ds = Numbers(37, out _, out _);
        // A random transform on the features: augmentation must not depend on which thread ran it.
        var augmented = new Augmented(ds);
        Tensor[][] Run(int numWorkers) =>
            new DataLoader(augmented, batchSize: 4, shuffle: true, numWorkers: numWorkers, generator: new Generator(21)).ToArray();
        Tensor[][] inline = Run(0), parallel = Run(workers);
        Assert.That(parallel.Length, Is.EqualTo(inline.Length));
        for (int i = 0; i < inline.Length; i++)
        {
            Assert.That(parallel[i][0].ToArray<float>(), Is.EqualTo(inline[i][0].ToArray<float>()), $"batch {i}");
            Assert.That(parallel[i][1].ToArray<long>(), Is.EqualTo(inline[i][1].ToArray<long>()), $"batch {i}");
        }
    }

    private sealed class Augmented : Dataset<Tensor[]>
    {
        private readonly TensorDataset _inner;
        private readonly RandomHorizontalFlip _flip = new(0.5);
        public Augmented(TensorDataset inner) => _inner = inner;
        public override int Count => _inner.Count;
        protected override Tensor[] Get(int index)
        {
            Tensor[] s = _inner[index];
            return new[] { _flip.Apply(s[0].Unsqueeze(0)), s[1] };   // features as a 1x2 image
        }
    }

    [Test]
    public void WorkerBatchesBelongToTheConsumersScope()
    {
        var ds = Numbers(16, out _, out _);
        var loader = new DataLoader(ds, batchSize: 4, numWorkers: 2);
        var seen = new List<Tensor>();
        using (TensorScope.Begin())
        {
            foreach (Tensor[] batch in loader)
            {
                seen.AddRange(batch);
                Assert.That(batch[0].IsDisposed, Is.False);
            }
        }
        Assert.That(seen.Count, Is.EqualTo(8));
        Assert.That(seen.All(t => t.IsDisposed), "the scope the batches were taken in disposed them");
        // Outside a scope a batch stays alive (the garbage collector's care).
        Tensor[] kept = loader.First();
        Assert.That(kept[0].IsDisposed, Is.False);
    }

    [Test]
    public void CollateThatPassesADatasetTensorThroughDoesNotHandItToTheScope()
    {
        using var whole = Tensor.Arange(6);
        var ds = new TensorDataset(whole);
        // A collate function returning a tensor the dataset owns: the loader must not adopt it.
        var loader = new DataLoader<Tensor[], Tensor>(ds, _ => whole, batchSize: 2, numWorkers: 2);
        using (TensorScope.Begin())
        {
            foreach (Tensor t in loader) Assert.That(t.IsDisposed, Is.False);
        }
        Assert.That(whole.IsDisposed, Is.False);
    }

    [Test]
    public void LeavingAnEpochEarlyStopsTheWorkers()
    {
        var ds = Numbers(200, out _, out _);
        var loader = new DataLoader(ds, batchSize: 2, numWorkers: 3, prefetchFactor: 4);
        int taken = 0;
        foreach (Tensor[] _ in loader)
        {
            if (++taken == 3) break;
        }
        Assert.That(taken, Is.EqualTo(3));
        Assert.That(Thread.CurrentThread.Name, Is.Not.StartWith("DataLoader worker"));
        // A second full epoch still works after the early exit.
        Assert.That(loader.Count(), Is.EqualTo(100));
    }

    private sealed class Failing : Dataset<Tensor[]>
    {
        public override int Count => 10;
        protected override Tensor[] Get(int index) =>
            index == 6 ? throw new InvalidOperationException("sample 6 is corrupt") : new[] { Tensor.From((long)index) };
    }

    [Test]
    public void AWorkersExceptionReachesTheCaller([Values(0, 2)] int workers)
    {
        var loader = new DataLoader(new Failing(), batchSize: 2, numWorkers: workers);
        int batches = 0;
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (Tensor[] _ in loader) batches++;
        });
        Assert.That(e!.Message, Is.EqualTo("sample 6 is corrupt"));
        Assert.That(batches, Is.EqualTo(3), "the batches before the failing one arrive");
    }

    [Test]
    public void SamplersAndCustomCollate()
    {
        var ds = Numbers(6, out _, out _);
        var loader = new DataLoader<Tensor[], long>(ds, samples => samples.Sum(s => s[1].Item<long>()), batchSize: 2,
                                                    sampler: new SubsetRandomSampler(new[] { 1, 3, 5 }, new Generator(3)));
        Assert.That(loader.Sum(), Is.EqualTo(9));
        var batched = new DataLoader(ds, batchSampler: new BatchSampler(new SequentialSampler(6), 3, false));
        Assert.That(Labels(batched), Is.EqualTo(new[] { new long[] { 0, 1, 2 }, new long[] { 3, 4, 5 } }));
        Assert.Throws<ArgumentException>(() => new DataLoader(ds, shuffle: true, sampler: new SequentialSampler(6)));
        Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: 2, batchSampler: new BatchSampler(new SequentialSampler(6), 3, false)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(ds, numWorkers: -1));
    }

    [Test]
    public void CollateNamesMismatchedShapes()
    {
        using var a = Tensor.Zeros(2);
        using var b = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentException>(() => Collate.Stack(new[] { a, b }));
        Assert.That(e!.Message, Does.Contain("[2]").And.Contain("[3]").And.Contain("entry 1"));
    }

    private sealed class Stream : IterableDataset<Tensor[]>
    {
        public override IEnumerator<Tensor[]> GetEnumerator()
        {
            for (long i = 0; i < 7; i++) yield return new[] { Tensor.From(i) };
        }
    }

    [Test]
    public void IterableDatasetsBatchInStreamOrder([Values(0, 2)] int workers)
    {
        var loader = new DataLoader(new Stream(), batchSize: 3, numWorkers: workers);
        Assert.That(loader.Select(b => b[0].ToArray<long>()).ToArray(),
                    Is.EqualTo(new[] { new long[] { 0, 1, 2 }, new long[] { 3, 4, 5 }, new long[] { 6 } }));
        Assert.Throws<InvalidOperationException>(() => _ = loader.Count);
        Assert.That(new DataLoader(new Stream(), batchSize: 3, dropLast: true).Count(), Is.EqualTo(2));
    }
}
