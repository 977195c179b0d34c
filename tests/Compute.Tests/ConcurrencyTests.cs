using Compute;

namespace Compute.Tests;

public class ConcurrencyTests
{
    // Integer-valued floats keep every product and sum exact, so results must match the
    // scalar C# computation exactly whatever the accumulation order.
    private static float[] Values(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)random.Next(-4, 5)).ToArray();

    private static float[] MatMulReference(float[] a, float[] b, int n)
    {
        var c = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int k = 0; k < n; k++)
                {
                    s += a[i * n + k] * b[k * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    [Test]
    public void OpsFromEightThreadsAtOnceGiveCorrectResults()
    {
        const int Threads = 8;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(id => new Thread(() =>
        {
            var random = new Random(1000 + id);
            start.SignalAndWait();
            try
            {
                RunRounds(id, random, failures);
            }
            catch (Exception e)
            {
                // An exception escaping a thread would kill the test host; record it instead.
                failures.Add($"thread {id}: {e}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(failures, Is.Empty);
    }

    private static void RunRounds(int id, Random random, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        const int Rounds = 50;
        const int N = 48;
        for (int round = 0; round < Rounds; round++)
        {
            float[] a = Values(random, N * N);
            float[] b = Values(random, N * N);
            using Tensor ta = Tensor.From(a, N, N);
            using Tensor tb = Tensor.From(b, N, N);
            using Tensor sum = ta + tb * 2;
            using Tensor product = ta.MatMul(tb);
            using Tensor rowSums = product.Sum(dim: 1);
            float[] expectedSum = a.Zip(b, (x, y) => x + y * 2).ToArray();
            float[] expectedProduct = MatMulReference(a, b, N);
            float[] expectedRows = Enumerable.Range(0, N).Select(i => expectedProduct.Skip(i * N).Take(N).Sum()).ToArray();
            if (!sum.ToArray<float>().SequenceEqual(expectedSum))
            {
                failures.Add($"thread {id} round {round}: a + 2b differs");
            }
            if (!product.ToArray<float>().SequenceEqual(expectedProduct))
            {
                failures.Add($"thread {id} round {round}: matmul differs");
            }
            if (!rowSums.ToArray<float>().SequenceEqual(expectedRows))
            {
                failures.Add($"thread {id} round {round}: sum(dim=1) differs");
            }
        }
    }

    [Test]
    public void DisposeRacingWithUseNeverCrashes()
    {
        // A tensor disposed on one thread while another uses it either completes the op
        // (the SafeHandle keeps it alive for the call) or throws ObjectDisposedException.
        for (int round = 0; round < 200; round++)
        {
            Tensor shared = Tensor.Ones(64, 64);
            Exception? error = null;
            var user = new Thread(() =>
            {
                try
                {
                    for (int i = 0; i < 20; i++)
                    {
                        using Tensor r = shared * 2;
                    }
                }
                catch (ObjectDisposedException)
                {
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            user.Start();
            shared.Dispose();
            user.Join();
            Assert.That(error, Is.Null);
        }
    }
}
