using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Autocast on the CPU against torch.autocast("cpu", dtype=torch.bfloat16): output dtypes (the
/// policy of each op list), values within the fixture's bounds, and float32 gradients through
/// bfloat16 products (tests/reference/gen_autocast.py); then the scope's own rules: nesting,
/// device types, the weight-cast cache, backward and threads.
/// </summary>
public class AutocastTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autocast.json", "Autocast");

    private static Tolerance Bound(JsonElement bound) => new(BoundScale: 1, AbsBound: bound);

    private static Tensor Run(string op, Tensor[] x, JsonElement args) => op switch
    {
        "mm" => Tensor.Mm(x[0], x[1]),
        "matmul" => x[0].MatMul(x[1]),
        "bmm" => x[0].Bmm(x[1]),
        "addmm" => Tensor.Addmm(x[0], x[1], x[2]),
        "baddbmm" => Tensor.Baddbmm(x[0], x[1], x[2]),
        "linear" => Functional.Linear(x[0], x[1], x.Length > 2 ? x[2] : null),
        "einsum" => Tensor.Einsum(args.GetProperty("equation").GetString()!, x[0], x[1]),
        "conv1d" => Functional.Conv1d(x[0], x[1], x[2]),
        "conv2d" => Functional.Conv2d(x[0], x[1], x[2], padding: [args.GetProperty("padding").GetInt64()]),
        "conv_transpose2d" => Functional.ConvTranspose2d(x[0], x[1], x[2], stride: [args.GetProperty("stride").GetInt64()]),
        "prelu" => Functional.Prelu(x[0], x[1]),
        "softmax" => x[0].Softmax(args.GetProperty("dim").GetInt64()),
        "log_softmax" => x[0].LogSoftmax(args.GetProperty("dim").GetInt64()),
        "sum" => x[0].Sum(),
        "exp" => x[0].Exp(),
        "mv" => x[0].Mv(x[1]),
        "layer_norm" => Functional.LayerNorm(x[0], ReferenceFixture.Longs(args.GetProperty("shape"))),
        "cross_entropy" => Functional.CrossEntropy(x[0], x[1]),
        "nll_loss" => Functional.NllLoss(x[0], x[1]),
        "mse_loss" => Functional.MseLoss(x[0], x[1]),
        "l1_loss" => Functional.L1Loss(x[0], x[1]),
        "smooth_l1_loss" => Functional.SmoothL1Loss(x[0], x[1]),
        "huber_loss" => Functional.HuberLoss(x[0], x[1]),
        "kl_div" => Functional.KlDiv(x[0], x[1], KlDivReduction.BatchMean),
        "binary_cross_entropy_with_logits" => Functional.BinaryCrossEntropyWithLogits(x[0], x[1]),
        "binary_cross_entropy" => Functional.BinaryCrossEntropy(x[0], x[1]),
        "prod" => x[0].Prod(),
        "pad_reflect" => Functional.Pad(x[0], ReferenceFixture.Longs(args.GetProperty("pad")), PaddingMode.Reflect),
        "pad_replicate" => Functional.Pad(x[0], ReferenceFixture.Longs(args.GetProperty("pad")), PaddingMode.Replicate),
        "cat" => Tensor.Cat([x[0], x[1]]),
        "stack" => Tensor.Stack([x[0], x[1]]),
        _ => throw new ArgumentException($"fixture names unknown op {op}"),
    };

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorchOnTheCpu(JsonElement c)
    {
        using var bag = new TensorBag();
        bool grads = c.TryGetProperty("expected_grads", out JsonElement expectedGrads);
        Tensor[] inputs = c.GetProperty("inputs").EnumerateArray().Select(j => bag.Add(ReferenceFixture.Build(j))).ToArray();
        if (grads)
        {
            foreach (Tensor t in inputs.Where(t => t.DType == DType.Float32))
            {
                t.RequiresGradInPlace();
            }
        }
        Tensor output;
        using (new Autocast(DType.BFloat16))
        {
            output = bag.Add(Run(c.GetProperty("op").GetString()!, inputs, c.GetProperty("args")));
        }
        ReferenceFixture.AssertMatches(output, c.GetProperty("expected"), Bound(c.GetProperty("abs_bound")));
        if (!grads)
        {
            return;
        }
        Tensor v = bag.Add(ReferenceFixture.Build(c.GetProperty("v")));
        (output.To(DType.Float32) * v).Sum().Backward();
        JsonElement[] want = expectedGrads.EnumerateArray().ToArray();
        JsonElement[] bounds = c.GetProperty("grad_bounds").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (want[i].ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            Assert.That(inputs[i].Grad, Is.Not.Null, $"input {i} has no gradient");
            ReferenceFixture.AssertMatches(inputs[i].Grad!, want[i], Bound(bounds[i]));
        }
    }

    [Test]
    public void ACudaScopeLeavesCpuTensorsAlone()
    {
        using Tensor a = Tensor.Randn(4, 5), b = Tensor.Randn(5, 3);
        using (new Autocast(DeviceType.Cuda, DType.Float16))
        {
            Assert.That(Autocast.IsEnabled(DeviceType.Cuda), Is.True);
            Assert.That(Autocast.IsEnabled(DeviceType.Cpu), Is.False);
            using Tensor y = a.MatMul(b);
            Assert.That(y.DType, Is.EqualTo(DType.Float32));
        }
        Assert.That(Autocast.IsEnabled(DeviceType.Cuda), Is.False);
    }

    [Test]
    public void ScopesNestAndAnInnerDisabledScopeTurnsItOff()
    {
        using Tensor a = Tensor.Randn(4, 5), b = Tensor.Randn(5, 3);
        using (new Autocast(DType.BFloat16))
        {
            Assert.That(Autocast.GetDType(DeviceType.Cpu), Is.EqualTo(DType.BFloat16));
            using (new Autocast(DeviceType.Cpu, enabled: false))
            {
                Assert.That(Autocast.GetDType(DeviceType.Cpu), Is.Null);
                using Tensor off = a.MatMul(b);
                Assert.That(off.DType, Is.EqualTo(DType.Float32));
                using (new Autocast(DeviceType.Cpu, DType.Float16))
                {
                    using Tensor half = a.MatMul(b);
                    Assert.That(half.DType, Is.EqualTo(DType.Float16));
                }
            }
            using Tensor on = a.MatMul(b);
            Assert.That(on.DType, Is.EqualTo(DType.BFloat16));
        }
        Assert.That(Autocast.GetDType(DeviceType.Cpu), Is.Null);
    }

    [Test]
    public void TheDefaultDTypesArePyTorchs()
    {
        using (new Autocast(DeviceType.Cpu))
        {
            Assert.That(Autocast.GetDType(DeviceType.Cpu), Is.EqualTo(DType.BFloat16));
        }
        using (new Autocast(DeviceType.Cuda))
        {
            Assert.That(Autocast.GetDType(DeviceType.Cuda), Is.EqualTo(DType.Float16));
        }
    }

    [Test]
    public void OnlySixteenBitDTypesAreAccepted()
    {
        var e = Assert.Throws<ArgumentException>(() => new Autocast(DType.Float32));
        Assert.That(e!.Message, Does.Contain("Autocast").And.Contain("float32"));
    }

    [Test]
    public void ACachedWeightCastFollowsInPlaceUpdates()
    {
        using Tensor x = Tensor.Randn(3, 4);
        using Tensor w = Tensor.Randn(2, 4).RequiresGradInPlace();
        using (new Autocast(DType.BFloat16))
        {
            using Tensor first = Functional.Linear(x, w);
            using (Autograd.NoGrad())
            {
                w.AddInPlace(1.0);
            }
            using Tensor second = Functional.Linear(x, w);
            using Tensor expected = x.To(DType.BFloat16).MatMul(w.Detach().To(DType.BFloat16).T);
            Assert.That(second.To(DType.Float32).ToArray<float>(), Is.EqualTo(expected.To(DType.Float32).ToArray<float>()),
                "the second Linear must see the updated weight, not the cast cached before the update");
        }
    }

    [Test]
    public void ACastMadeWithoutGradIsNotReusedWithGrad()
    {
        using Tensor x = Tensor.Randn(3, 4);
        using Tensor w = Tensor.Randn(2, 4).RequiresGradInPlace();
        using (new Autocast(DType.BFloat16))
        {
            using (Autograd.NoGrad())
            {
                using Tensor inference = Functional.Linear(x, w);
            }
            using Tensor y = Functional.Linear(x, w);
            y.To(DType.Float32).Sum().Backward();
        }
        Assert.That(w.Grad, Is.Not.Null);
        Assert.That(w.Grad!.DType, Is.EqualTo(DType.Float32));
    }

    [Test]
    public void AWeightUsedTwiceGetsBothGradients()
    {
        using Tensor x = Tensor.Randn(3, 4);
        using Tensor w = Tensor.Randn(4, 4).RequiresGradInPlace();
        using (new Autocast(DType.BFloat16))
        {
            using Tensor y = Functional.Linear(Functional.Linear(x, w), w);
            y.To(DType.Float32).Sum().Backward();
        }
        using Tensor viaCache = w.Grad!.Clone();
        w.Grad = null;
        // The same computation with the casts written out, outside autocast.
        using Tensor wb = w.To(DType.BFloat16);
        using Tensor xb = x.To(DType.BFloat16);
        using Tensor z = xb.MatMul(wb.T).MatMul(wb.T);
        z.To(DType.Float32).Sum().Backward();
        Assert.That(viaCache.ToArray<float>(), Is.EqualTo(w.Grad!.ToArray<float>()));
    }

    [Test]
    public void BackwardInsideTheScopeMatchesBackwardOutside()
    {
        using Tensor x = Tensor.Randn(5, 6);
        using Tensor w = Tensor.Randn(3, 6).RequiresGradInPlace();
        using Tensor target = Tensor.From(new long[] { 0, 2, 1, 1, 0 });
        Tensor loss;
        using (new Autocast(DType.BFloat16))
        {
            loss = Functional.CrossEntropy(Functional.Linear(x, w), target);
            Assert.That(loss.DType, Is.EqualTo(DType.Float32));
            loss.Backward();
        }
        using Tensor inside = w.Grad!.Clone();
        w.Grad = null;
        using (new Autocast(DType.BFloat16))
        {
            loss = Functional.CrossEntropy(Functional.Linear(x, w), target);
        }
        loss.Backward();
        Assert.That(inside.DType, Is.EqualTo(DType.Float32));
        Assert.That(inside.ToArray<float>(), Is.EqualTo(w.Grad!.ToArray<float>()));
    }

    [Test]
    public void ScopesArePerThread()
    {
        using Tensor a = Tensor.Randn(4, 5), b = Tensor.Randn(5, 3);
        using (new Autocast(DType.BFloat16))
        {
            DType other = Task.Run(() =>
            {
                using Tensor y = a.MatMul(b);
                return y.DType;
            }).GetAwaiter().GetResult();
            Assert.That(other, Is.EqualTo(DType.Float32));
        }
    }
}
