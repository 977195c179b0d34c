using System.Runtime.CompilerServices;
using Compute;

namespace Compute.Tests;

/// <summary>
/// Native memory stays bounded without Dispose, scopes free what they created, kept tensors
/// survive. Runs alone: it measures process-wide memory.
/// </summary>
[NonParallelizable]
public class LifetimeTests
{
    private const int Iterations = 10_000;
    private const long FourMegabytesOfFloats = 1 << 20;

    private static long PeakRssBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static void Flush()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Test]
    public void TemporariesWithoutDisposeKeepPeakRssUnderOneGigabyte()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("VmHWM is read from /proc/self/status, which only Linux has.");
        }
        double checksum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            // 4 MB of native memory per iteration, never disposed: 40 GB in total.
            Tensor t = Tensor.Full([FourMegabytesOfFloats], (float)(i % 7));
            checksum += t.Item<float>(FourMegabytesOfFloats - 1);
        }
        long peak = PeakRssBytes();
        TestContext.Out.WriteLine($"peak RSS {peak >> 20} MiB after {Iterations} undisposed 4 MB tensors");
        Assert.That(peak, Is.LessThan(1L << 30));
        Assert.That(checksum, Is.EqualTo(Enumerable.Range(0, Iterations).Sum(i => (double)(i % 7))));
    }

    [Test]
    public void ScopeFreesEverythingItCreatedAtItsEnd()
    {
        Flush();
        long baseline = ComputeMemory.Stats().Allocated;
        Tensor last = null!;
        using (var scope = TensorScope.Begin())
        {
            for (int i = 0; i < Iterations; i++)
            {
                last = Tensor.Full([FourMegabytesOfFloats], (float)i);
            }
            Assert.That(ComputeMemory.Stats().Allocated, Is.GreaterThanOrEqualTo(baseline + 4 * FourMegabytesOfFloats),
                "the last tensor is still alive inside the scope");
            Assert.That(last.IsDisposed, Is.False);
        }
        Assert.That(last.IsDisposed, Is.True);
        Assert.That(ComputeMemory.Stats().Allocated, Is.EqualTo(baseline), "native bytes back to the baseline at scope exit");
    }

    [Test]
    public void KeptTensorSurvivesTheScope()
    {
        Tensor kept;
        Tensor temporary;
        using (var scope = TensorScope.Begin())
        {
            temporary = Tensor.Arange(4);
            kept = scope.Keep(temporary * 3);
        }
        Assert.That(temporary.IsDisposed, Is.True);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray<long>(), Is.EqualTo(new long[] { 0, 3, 6, 9 }));
        kept.Dispose();
    }

    [Test]
    public void NestedScopesMoveKeptTensorsOutward()
    {
        Tensor inner;
        Tensor outerOnly;
        using (var outer = TensorScope.Begin())
        {
            outerOnly = Tensor.Ones(2);
            using (var nested = TensorScope.Begin())
            {
                Assert.That(TensorScope.Current, Is.SameAs(nested));
                inner = nested.Keep(Tensor.Zeros(3));
                Tensor dropped = Tensor.Zeros(1);
                Assert.That(nested.Count, Is.EqualTo(1));
                GC.KeepAlive(dropped);
            }
            Assert.That(TensorScope.Current, Is.SameAs(outer));
            Assert.That(inner.IsDisposed, Is.False, "kept by the inner scope");
            Assert.That(outerOnly.IsDisposed, Is.False);
        }
        Assert.That(TensorScope.Current, Is.Null);
        Assert.That(inner.IsDisposed, Is.True, "the outer scope owns what the inner one kept");
        Assert.That(outerOnly.IsDisposed, Is.True);
    }

    [Test]
    public void ScopesArePerThread()
    {
        Tensor fromOtherThread = null!;
        using (TensorScope.Begin())
        {
            var thread = new Thread(() => fromOtherThread = Tensor.Ones(2));
            thread.Start();
            thread.Join();
        }
        Assert.That(fromOtherThread.IsDisposed, Is.False);
        fromOtherThread.Dispose();
    }

    [Test]
    public void DisposeFreesNativeMemoryNow()
    {
        Flush();
        long before = ComputeMemory.Stats().Allocated;
        Tensor t = Tensor.Zeros(1 << 20);
        Assert.That(ComputeMemory.Stats().Allocated, Is.EqualTo(before + 4 * (1 << 20)));
        Assert.That(ComputeMemory.UndisposedBytes, Is.GreaterThanOrEqualTo(4L << 20));
        t.Dispose();
        Assert.That(ComputeMemory.Stats().Allocated, Is.EqualTo(before));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateGarbage(List<WeakReference> refs)
    {
        refs.Add(new WeakReference(Tensor.Zeros(1 << 18)));
    }

    [Test]
    public void FinalizerFreesUndisposedTensors()
    {
        Flush();
        long before = ComputeMemory.Stats().Allocated;
        var refs = new List<WeakReference>();
        CreateGarbage(refs);
        Flush();
        Assert.That(refs[0].IsAlive, Is.False);
        Assert.That(ComputeMemory.Stats().Allocated, Is.EqualTo(before));
    }

    [Test]
    public void GraphsSurviveFinalizersOfIntermediatesTheCodeNoLongerUses()
    {
        // Each intermediate below is used once, as an op's input: once the op has read its
        // node, the tensor is garbage. A collector running all the time (as under memory
        // pressure) used to finalize such a tensor before the new node took its reference,
        // freeing what its node saved, so backward failed at random ("backward through the
        // graph a second time"); each of 5 runs of such a loop failed that way before the fix.
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                Flush();
            }
        });
        collector.Start();
        try
        {
            var l1 = new Compute.NN.Linear(8, 16);
            var l2 = new Compute.NN.Linear(16, 4);
            Tensor x = Tensor.Randn(32, 8);
            for (int i = 0; i < 20_000; i++)
            {
                l2.Forward(l1.Forward(x).Relu()).Square().Mean().Backward();
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }
}
