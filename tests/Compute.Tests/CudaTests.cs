using Compute;
using Compute.NN;
using Compute.Optim;

namespace Compute.Tests;

// Compute.Cuda through the managed layer. Without a usable device (CI) the availability tests
// run and the device tests are ignored with the reason; on a GPU machine the device tests
// compare CUDA results with the CPU's.
public class CudaTests
{
    private static void RequireDevice()
    {
        if (!Cuda.IsAvailable)
        {
            Assert.Ignore($"No CUDA device: {Cuda.UnavailableReason}");
        }
    }

    // Every element of actual within rtol of expected, relative to max(1, |expected|).
    private static void AssertClose(double[] actual, double[] expected, double rtol)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(rtol * Math.Max(1.0, Math.Abs(expected[i]))), $"element {i}");
        }
    }

    [Test]
    public void WithoutADeviceIsAvailableIsFalseWithAReason()
    {
        if (Cuda.IsAvailable)
        {
            Assert.Ignore("A CUDA device is present; this test covers machines without one.");
        }
        Assert.That(Cuda.DeviceCount, Is.EqualTo(0));
        Assert.That(Cuda.UnavailableReason, Does.Contain("compute_cuda"));
        Assert.DoesNotThrow(Cuda.EmptyCache);
        var ex = Assert.Throws<DeviceUnavailableException>(() => Cuda.MemoryAllocated());
        Assert.That(ex!.Message, Does.Contain("cuda:0 is not available"));
        Assert.Throws<DeviceUnavailableException>(() => Cuda.Synchronize());
    }

    [Test]
    public void ArithmeticOnTheDeviceMatchesTheCpu()
    {
        RequireDevice();
        using Tensor a = Tensor.From(new float[] { -2f, -0.5f, 0f, 1.5f, 3f, 4.25f }, 2, 3);
        using Tensor b = Tensor.From(new float[] { 0.5f, -1f, 2f }, 3);
        using Tensor ga = a.To(Device.Cuda());
        using Tensor gb = b.To(Device.Cuda());
        Assert.That(ga.Device, Is.EqualTo(Device.Cuda()));
        using Tensor cpu = Functional.Relu((a * b) - a) + b.Exp();
        using Tensor gpu = Functional.Relu((ga * gb) - ga) + gb.Exp();
        using Tensor back = gpu.To(Device.Cpu);
        float[] expected = cpu.ToArray<float>(), actual = back.ToArray<float>();
        for (int i = 0; i < expected.Length; i++)
        {
            // exp may differ from the CPU's by an ulp or two (docs/CUDA.md).
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-6 * Math.Max(1.0, Math.Abs(expected[i]))));
        }
        using Tensor sum = ga.Sum(1).To(Device.Cpu);
        Assert.That(sum.ToArray<float>(), Is.EqualTo(a.Sum(1).ToArray<float>()));
    }

    [Test]
    public void NonzeroMaskedSelectAndAdvancedIndexingOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        using Tensor x = Tensor.From(new float[] { 0f, 1.5f, -2f, 0f, 3f, 0f, 4f, -0.5f, 0f, 2f, 0f, 1f }, 3, 4);
        using Tensor mask = Tensor.From(new bool[] { true, false, true, true }, 4);
        using Tensor rows = Tensor.From(new long[] { 2, 0, -1 }, 3);
        using Tensor cols = Tensor.From(new long[] { 3, 1, 3, -1 }, 4);
        using Tensor values = Tensor.From(new float[] { 1f, 2f, 3f, 4f }, 4);
        using Tensor gx = x.To(Device.Cuda()), gmask = mask.To(Device.Cuda()), grows = rows.To(Device.Cuda());
        using Tensor gcols = cols.To(Device.Cuda());
        using Tensor gvalues = values.To(Device.Cuda());
        using Tensor nz = gx.Nonzero().To(Device.Cpu), cnz = x.Nonzero();
        Assert.That(nz.ToArray<long>(), Is.EqualTo(cnz.ToArray<long>()));
        using Tensor sel = gx.MaskedSelect(gmask).To(Device.Cpu), csel = x.MaskedSelect(mask);
        Assert.That(sel.ToArray<float>(), Is.EqualTo(csel.ToArray<float>()));
        using Tensor picked = gx.Index(grows, gmask).To(Device.Cpu), cpicked = x.Index(rows, mask);
        Assert.That(picked.ToArray<float>(), Is.EqualTo(cpicked.ToArray<float>()));
        // Column 3 named three times: the last value wins, or the values add in order (the CPU's bits).
        foreach (bool accumulate in new[] { false, true })
        {
            using Tensor put = gx.IndexPut(new Tensor?[] { null, gcols }, gvalues, accumulate).To(Device.Cpu);
            using Tensor cput = x.IndexPut(new Tensor?[] { null, cols }, values, accumulate);
            Assert.That(put.ToArray<float>(), Is.EqualTo(cput.ToArray<float>()), $"accumulate {accumulate}");
        }
    }

    [Test]
    public void MemoryStatisticsFollowTensors()
    {
        RequireDevice();
        long before = Cuda.MemoryAllocated();
        using (Tensor t = Tensor.Zeros([1 << 20], device: Device.Cuda()))
        {
            Assert.That(Cuda.MemoryAllocated() - before, Is.GreaterThanOrEqualTo(4L << 20));
            Assert.That(Cuda.MaxMemoryAllocated(), Is.GreaterThanOrEqualTo(Cuda.MemoryAllocated()));
        }
        Assert.That(Cuda.MemoryAllocated(), Is.EqualTo(before));
        Assert.That(Cuda.MemoryReserved(), Is.GreaterThanOrEqualTo(before + (4L << 20)));
        Cuda.EmptyCache();
        Assert.That(Cuda.MemoryReserved(), Is.EqualTo(Cuda.MemoryAllocated()));
        Cuda.Synchronize();
    }

    // The scans' backward are compositions (a reversed cumsum: flip; cumprod through zeros:
    // an eye / triu table): on CUDA they must give the CPU's gradients.
    [TestCase(false)]
    [TestCase(true)]
    public void ScanGradientsOnTheDeviceMatchTheCpu(bool withZero)
    {
        RequireDevice();
        double[] values = { 0.5, -1.25, 2.0, 1.5, -0.75, 3.0, 1.0, -2.0, 0.25, 4.0, -1.0, 0.125 };
        if (withZero)
        {
            values[4] = 0.0;
        }
        double[] Gradients(Device device)
        {
            using Tensor host = Tensor.From(values, 3, 4);
            using Tensor x = host.To(device).RequiresGradInPlace();
            using Tensor weights = Tensor.From(new double[] { 1, -2, 0.5, 3 }).To(device);
            using Tensor loss = (x.CumSum(1) * weights).Sum() + (x.CumProd(1) * weights).Sum() + x.CumSum(0).Sum();
            loss.Backward();
            using Tensor grad = x.Grad!.To(Device.Cpu);
            return grad.ToArray<double>();
        }
        double[] expected = Gradients(Device.Cpu), actual = Gradients(Device.Cuda());
        for (int i = 0; i < expected.Length; i++)
        {
            // Products and sums of a dozen float64 terms, in another order on the GPU.
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-13 * Math.Max(1.0, Math.Abs(expected[i]))), $"element {i}");
        }
    }

    [Test]
    public void AnOpWithoutACudaKernelNamesTheOpAndTheDevice()
    {
        RequireDevice();
        using Tensor g = Tensor.Ones([2, 2], device: Device.Cuda());
        var ex = Assert.Throws<DeviceUnavailableException>(() => Compute.Native.NativeMethods.ToDlpack(g.Handle));
        Assert.That(ex!.Message, Does.Contain("to_dlpack: not implemented on CUDA yet").And.Contain("cuda:0"));
    }

    [Test]
    public void AllowTF32IsOffByDefaultAndCanBeSetWithoutADevice()
    {
        Assert.That(Cuda.AllowTF32, Is.False);
        try
        {
            Cuda.AllowTF32 = true;
            Assert.That(Cuda.AllowTF32, Is.True);
        }
        finally
        {
            Cuda.AllowTF32 = false;
        }
        Assert.That(Cuda.AllowTF32, Is.False);
    }

    // Matrix products run on cuBLAS; their backward is made of products, transposes and sums,
    // so a linear layer with a broadcast batch gives the CPU's gradients on CUDA.
    [Test]
    public void ProductGradientsOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        double[] Gradients(Device device)
        {
            using Tensor xHost = Tensor.Arange(0, 24, dtype: DType.Float64).Reshape(2, 3, 4) / 7.0;
            using Tensor wHost = Tensor.Arange(0, 20, dtype: DType.Float64).Reshape(5, 4) / 9.0 - 1.0;
            using Tensor x = xHost.To(device).RequiresGradInPlace();
            using Tensor w = wHost.To(device).RequiresGradInPlace();
            using Tensor b = Tensor.Ones([5], dtype: DType.Float64, device: device).RequiresGradInPlace();
            using Tensor y = Functional.Linear(x, w, b);
            using Tensor loss = (y * y).Sum() + x.MatMul(w.T).MatMul(w).Sum();
            loss.Backward();
            using Tensor gx = x.Grad!.To(Device.Cpu), gw = w.Grad!.To(Device.Cpu), gb = b.Grad!.To(Device.Cpu);
            return [.. gx.ToArray<double>(), .. gw.ToArray<double>(), .. gb.ToArray<double>()];
        }
        double[] expected = Gradients(Device.Cpu), actual = Gradients(Device.Cuda());
        // Sums of a few dozen float64 products, in cuBLAS's order on the GPU.
        AssertClose(actual, expected, 1e-12);
    }

    // Layer, RMS and group norm run cuda/row_norm.cu forward and backward: a small block of
    // layers trained on the device gives the CPU's gradients (float64: the device sums rows in
    // two passes, the CPU with Welford, both in float64, so they agree to rounding).
    [Test]
    public void NormGradientsOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        double[] Gradients(Device device)
        {
            using Tensor xHost = Tensor.Arange(0, 96, dtype: DType.Float64).Reshape(2, 4, 3, 4) / 7.0 - 6.0;
            using Tensor x = xHost.To(device).RequiresGradInPlace();
            using Tensor w = (Tensor.Arange(0, 4, dtype: DType.Float64) / 3.0 + 0.5).To(device).RequiresGradInPlace();
            using Tensor b = (Tensor.Arange(0, 4, dtype: DType.Float64) / 5.0).To(device).RequiresGradInPlace();
            using Tensor g = Functional.GroupNorm(x, 2, w, b);
            using Tensor l = Functional.LayerNorm(g, [3, 4]);
            using Tensor r = Functional.RmsNorm(l, [4], w);
            using Tensor loss = (r * r * xHost.To(device)).Sum();
            loss.Backward();
            using Tensor gx = x.Grad!.To(Device.Cpu), gw = w.Grad!.To(Device.Cpu), gb = b.Grad!.To(Device.Cpu);
            return [.. gx.ToArray<double>(), .. gw.ToArray<double>(), .. gb.ToArray<double>()];
        }
        double[] expected = Gradients(Device.Cpu), actual = Gradients(Device.Cuda());
        // Row sums of at most 24 float64 terms in another order on each device, three layers deep.
        AssertClose(actual, expected, 1e-12);
    }

    // cross_entropy and nll_loss run on the device (cuda/class_loss.cu) with their reductions:
    // a classifier's loss and the gradients of its weights match the CPU's, and a class index out
    // of range fails with the CPU's message.
    [TestCase(false)]
    [TestCase(true)]
    public void ClassLossGradientsOnTheDeviceMatchTheCpu(bool nll)
    {
        RequireDevice();
        double[] Gradients(Device device)
        {
            using Tensor xHost = Tensor.Arange(0, 24, dtype: DType.Float64).Reshape(6, 4) / 7.0 - 1.5;
            using Tensor wHost = Tensor.Arange(0, 20, dtype: DType.Float64).Reshape(4, 5) / 9.0 - 1.0;
            using Tensor x = xHost.To(device);
            using Tensor w = wHost.To(device).RequiresGradInPlace();
            using Tensor target = Tensor.From(new long[] { 0, 4, 2, 1, 3, 2 }, 6).To(device);
            using Tensor classWeight = (Tensor.Arange(0, 5, dtype: DType.Float64) / 4.0 + 0.5).To(device);
            using Tensor logits = x.MatMul(w);
            using Tensor loss = nll
                ? Functional.NllLoss(Functional.LogSoftmax(logits, 1), target, classWeight, ignoreIndex: 2)
                : Functional.CrossEntropy(logits, target, classWeight, ignoreIndex: 2, labelSmoothing: 0.1);
            loss.Backward();
            using Tensor gw = w.Grad!.To(Device.Cpu), l = loss.To(Device.Cpu);
            return [.. l.ToArray<double>(), .. gw.ToArray<double>()];
        }
        double[] expected = Gradients(Device.Cpu), actual = Gradients(Device.Cuda());
        // float64 sums of a few terms in another order (docs/CUDA.md, class losses).
        AssertClose(actual, expected, 1e-12);
        using Tensor logitsBad = Tensor.Zeros([2, 3], dtype: DType.Float64, device: Device.Cuda());
        using Tensor bad = Tensor.From(new long[] { 1, 3 }, 2).To(Device.Cuda());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => { using Tensor r = Functional.CrossEntropy(logitsBad, bad); });
        Assert.That(ex!.Message, Does.Contain("target 3 is out of bounds for 3 classes (target element 1)"));
    }

    // Issue 6's training proof: a small classifier (Linear, ReLU, GELU, LayerNorm, Dropout, cross
    // entropy, AdamW) trained for 50 steps on the GPU from the CPU's initial weights and data gives
    // the CPU's losses step by step. Dropout draws the same masks on both devices (same seed, same
    // Philox numbers). float64 throughout, so the comparison measures the devices' kernels rather
    // than float32 rounding: the devices differ by summation order only (about 1e-16 relative per
    // op), which 50 optimizer steps grow by orders of magnitude but not to 1e-9; a wrong kernel
    // (a missed term, a wrong mask or gradient) moves the losses by far more.
    [Test]
    public void FiftyTrainingStepsGiveTheCpusLosses()
    {
        RequireDevice();
        const int Steps = 50;
        double[] Losses(Device device)
        {
            using var scope = TensorScope.Begin();
            Tensor.ManualSeed(2026);
            var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 32), new GELU(),
                                       new LayerNorm(32), new Dropout(0.1), new Linear(32, 5));
            model.To(DType.Float64);
            Tensor xHost = Tensor.Randn([64, 20], dtype: DType.Float64);
            Tensor yHost = Tensor.Randint(0, 5, [64]);
            model.To(device);
            Tensor x = xHost.To(device), y = yHost.To(device);
            var optimizer = new AdamW(model.Parameters(), lr: 1e-2, weightDecay: 0.01);
            model.Train();
            var losses = new double[Steps];
            for (int step = 0; step < Steps; step++)
            {
                using var stepScope = TensorScope.Begin();
                optimizer.ZeroGrad();
                Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
                loss.Backward();
                optimizer.Step();
                losses[step] = loss.Item<double>();
            }
            return losses;
        }
        double[] expected = Losses(Device.Cpu), actual = Losses(Device.Cuda());
        Assert.That(expected[Steps - 1], Is.LessThan(0.5 * expected[0]), "the model learns (the comparison is not of constants)");
        for (int step = 0; step < Steps; step++)
        {
            Assert.That(actual[step], Is.EqualTo(expected[step]).Within(1e-9 * Math.Abs(expected[step])), $"loss of step {step}");
        }
    }

    [Test]
    public void IndexingGradientsOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        // gather (backward: scatter_add), index_select (backward: index_add) and embedding
        // (backward: embedding_backward), each device's sums in the CPU's order: the same values.
        double[] Gradients(Device device)
        {
            using Tensor wHost = Tensor.Arange(0, 30, dtype: DType.Float32).Reshape(6, 5) / 7.0 - 2.0;
            using Tensor w = wHost.To(device).RequiresGradInPlace();
            using Tensor tokens = Tensor.From(new long[] { 4, 1, 4, 0, 5, 4 }, 2, 3).To(device);
            using Tensor rows = Tensor.From(new long[] { 2, 2, 5 }, 3).To(device);
            using Tensor cols = Tensor.From(new long[] { 0, 4, 4, 1, 3, 0 }, 3, 2).To(device);
            using Tensor e = Functional.Embedding(tokens, w, paddingIdx: 1);
            using Tensor s = w.IndexSelect(0, rows);
            using Tensor g = s.Gather(1, cols);
            using Tensor loss = (e * e).Sum() + (g * g).Sum();
            loss.Backward();
            using Tensor gw = w.Grad!.To(Device.Cpu);
            return gw.ToArray<float>().Select(v => (double)v).ToArray();
        }
        Assert.That(Gradients(Device.Cuda()), Is.EqualTo(Gradients(Device.Cpu)));
    }

    // batch_norm (training, running statistics updated in place), reflect pad, cat and causal
    // attention with dropout run on the device as compositions of device ops: the gradients,
    // the running statistics and the loss match the CPU's (float64; the device forms each sum
    // in another order, and dropout draws the CPU's keep mask for the same seed).
    [Test]
    public void ComposedOpsGradientsOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        double[] Run(Device device)
        {
            // x (2, 3, 4, 4), weight and bias (3): float64 leaves on the device.
            Tensor Leaf(long n, double step, double shift)
            {
                using Tensor host = Tensor.Arange(0, n, dtype: DType.Float64) * step + shift;
                return host.To(device).RequiresGradInPlace();
            }
            using Tensor flat = Leaf(96, 1.0 / 11.0, -4.0), w = Leaf(3, 0.25, 0.5), b = Leaf(3, 0.2, 0.0);
            using Tensor x = flat.Reshape(2, 3, 4, 4);
            using Tensor rm = Tensor.Zeros([3], dtype: DType.Float64, device: device);
            using Tensor rv = Tensor.Ones([3], dtype: DType.Float64, device: device);
            using Tensor y = Functional.BatchNorm(x, rm, rv, w, b, training: true);
            using Tensor p = Functional.Pad(y, [1, 1, 1, 1], PaddingMode.Reflect);
            using Tensor half = p * 0.5;
            using Tensor c = Tensor.Cat([p, half], 1);
            using Tensor q = c.Reshape(2, 6, 36) / 6.0;
            Tensor.ManualSeed(7);
            using Tensor a = Functional.ScaledDotProductAttention(q, q, q, dropoutP: 0.25, isCausal: true);
            using Tensor loss = (a * a).Sum();
            loss.Backward();
            using Tensor gx = flat.Grad!.To(Device.Cpu), gw = w.Grad!.To(Device.Cpu), gb = b.Grad!.To(Device.Cpu);
            using Tensor rmh = rm.To(Device.Cpu), rvh = rv.To(Device.Cpu), lh = loss.To(Device.Cpu);
            return [.. gx.ToArray<double>(), .. gw.ToArray<double>(), .. gb.ToArray<double>(), .. rmh.ToArray<double>(),
                    .. rvh.ToArray<double>(), .. lh.ToArray<double>()];
        }
        double[] expected = Run(Device.Cpu), actual = Run(Device.Cuda());
        // float64 sums of at most 96 terms per channel and 36 per product, in another order.
        AssertClose(actual, expected, 1e-10);
    }

    // Pooling runs cuda/pool.cu forward and backward: max pooling with overlapping windows (its
    // backward sorts the indices), average and adaptive average pooling (gathers) and adaptive
    // max pooling (max_pool_backward) add each input's terms in the CPU's order: the same values.
    [Test]
    public void PoolingGradientsOnTheDeviceMatchTheCpu()
    {
        RequireDevice();
        double[] Gradients(Device device)
        {
            using Tensor xHost = Tensor.Arange(0, 2 * 3 * 9 * 9, dtype: DType.Float32).Reshape(2, 3, 9, 9) / 13.0 - 9.0;
            using Tensor x = xHost.To(device).RequiresGradInPlace();
            using Tensor m = Functional.MaxPool2d(x, 3, stride: 2, padding: 1);
            using Tensor a = Functional.AvgPool2d(x, 3, stride: 2, padding: 1, countIncludePad: false);
            using Tensor ad = Functional.AdaptiveAvgPool2d(x, 4, 4);
            using Tensor am = Functional.AdaptiveMaxPool2d(x, 2, 3);
            using Tensor loss = (m * m).Sum() + (a * a).Sum() + (ad * ad).Sum() + (am * am).Sum();
            loss.Backward();
            using Tensor gx = x.Grad!.To(Device.Cpu);
            return gx.ToArray<float>().Select(v => (double)v).ToArray();
        }
        Assert.That(Gradients(Device.Cuda()), Is.EqualTo(Gradients(Device.Cpu)));
    }

    // randperm and multinomial on the device give the CPU's permutation and samples for a seed
    // (the keys and the running sums / sort keys are the same functions on both devices).
    [Test]
    public void RandpermAndMultinomialOnTheDeviceGiveTheCpusNumbers()
    {
        RequireDevice();
        long[] Run(Device device)
        {
            Tensor.ManualSeed(11);
            using Tensor perm = Tensor.Randperm(1001, device: device);
            using Tensor host = Tensor.From(Enumerable.Range(0, 40).Select(i => (double)(i % 7)).ToArray());
            using Tensor probs = host.Reshape(4, 10).To(device);
            using Tensor with = probs.Multinomial(50, replacement: true);
            using Tensor without = probs.Multinomial(10);
            using Tensor ph = perm.To(Device.Cpu), wh = with.To(Device.Cpu), woh = without.To(Device.Cpu);
            return [.. ph.ToArray<long>(), .. wh.ToArray<long>(), .. woh.ToArray<long>()];
        }
        Assert.That(Run(Device.Cuda()), Is.EqualTo(Run(Device.Cpu)));
    }
}
