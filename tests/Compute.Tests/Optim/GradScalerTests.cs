using Compute;
using Compute.Amp;
using Compute.NN;
using Compute.Optim;

namespace Compute.Tests.Optim;

/// <summary>
/// GradScaler: scaling and unscaling by powers of two leave training bit-identical, steps with
/// inf/NaN gradients are skipped and back the scale off, clean steps grow it every
/// growthInterval, and the call-order rules and state dict of PyTorch's GradScaler.
/// (PyTorch 1.13 has no CPU kernels for its scaler, so these are the documented rules, not
/// fixture values.)
/// </summary>
public class GradScalerTests
{
    private static Tensor Param(params float[] values) => Tensor.From(values).RequiresGradInPlace();

    /// <summary>Trains a tiny regression for a few steps; with a scaler when one is given.</summary>
    private static float[] Train(GradScaler? scaler)
    {
        Tensor.ManualSeed(5);
        using Tensor x = Tensor.Randn(8, 3), y = Tensor.Randn(8, 2);
        Tensor w = Tensor.Randn(2, 3).RequiresGradInPlace(), b = Tensor.Zeros(2).RequiresGradInPlace();
        var opt = new SGD([w, b], lr: 0.05, momentum: 0.9);
        for (int step = 0; step < 6; step++)
        {
            opt.ZeroGrad();
            Tensor loss = Functional.MseLoss(Functional.Linear(x, w, b), y);
            if (scaler is null)
            {
                loss.Backward();
                opt.Step();
            }
            else
            {
                scaler.Scale(loss).Backward();
                Assert.That(scaler.Step(opt), Is.True);
                scaler.Update();
            }
        }
        return [.. w.ToArray<float>(), .. b.ToArray<float>()];
    }

    [Test]
    public void ScalingByAPowerOfTwoLeavesTrainingBitIdentical()
    {
        float[] plain = Train(null);
        var scaler = new GradScaler();
        float[] scaled = Train(scaler);
        Assert.That(scaled, Is.EqualTo(plain));
        Assert.That(scaler.GetScale(), Is.EqualTo(65536.0), "no overflow and fewer than 2000 steps: the scale is unchanged");
    }

    [Test]
    public void AnInfOrNaNGradientSkipsTheStepAndBacksOff()
    {
        foreach (float bad in new[] { float.PositiveInfinity, float.NaN })
        {
            Tensor p = Param(1, 2, 3), q = Param(4, 5);
            var opt = new SGD([p, q], lr: 0.1);
            var scaler = new GradScaler(initScale: 1024);
            p.Grad = Tensor.From(new float[] { 1, 1, 1 });
            q.Grad = Tensor.From(new float[] { 1, bad });
            Assert.That(scaler.Step(opt), Is.False);
            Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3 }), "skipped step: parameters unchanged");
            Assert.That(q.ToArray<float>(), Is.EqualTo(new float[] { 4, 5 }));
            scaler.Update();
            Assert.That(scaler.GetScale(), Is.EqualTo(512.0));
        }
    }

    [Test]
    public void StepUnscalesTheGradients()
    {
        Tensor p = Param(1, 2);
        var opt = new SGD([p], lr: 1.0);
        var scaler = new GradScaler(initScale: 8);
        p.Grad = Tensor.From(new float[] { 8, -16 });
        Assert.That(scaler.Step(opt), Is.True);
        Assert.That(p.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, -2 }));
        Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { 0, 4 }));
    }

    [Test]
    public void TheScaleGrowsEveryGrowthIntervalCleanStepsAndTheCountRestartsAfterAnOverflow()
    {
        Tensor p = Param(1);
        var opt = new SGD([p], lr: 0.0);
        var scaler = new GradScaler(initScale: 4, growthFactor: 2, backoffFactor: 0.25, growthInterval: 3);
        void Iteration(float grad)
        {
            p.Grad = Tensor.From(new[] { grad });
            scaler.Step(opt);
            scaler.Update();
        }
        Iteration(1);
        Iteration(1);
        Assert.That(scaler.GetScale(), Is.EqualTo(4.0));
        Iteration(float.PositiveInfinity);
        Assert.That(scaler.GetScale(), Is.EqualTo(1.0));
        Iteration(1);
        Iteration(1);
        Assert.That(scaler.GetScale(), Is.EqualTo(1.0), "the overflow restarted the count");
        Iteration(1);
        Assert.That(scaler.GetScale(), Is.EqualTo(2.0));
    }

    [Test]
    public void TheScaleDoesNotGrowPastFloat32()
    {
        Tensor p = Param(1);
        var opt = new SGD([p], lr: 0.0);
        var scaler = new GradScaler(initScale: 3e38, growthInterval: 1);
        p.Grad = Tensor.From(new float[] { 0 });
        scaler.Step(opt);
        scaler.Update();
        Assert.That(scaler.GetScale(), Is.EqualTo((double)(float)3e38));
    }

    [Test]
    public void UnscaleBeforeClippingIsNotRepeatedByStep()
    {
        Tensor p = Param(0, 0);
        var opt = new SGD([p], lr: 1.0);
        var scaler = new GradScaler(initScale: 4);
        p.Grad = Tensor.From(new float[] { 12, 16 });
        scaler.Unscale(opt);
        Assert.That(p.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 3, 4 }));
        Utils.ClipGradNorm([p], maxNorm: 1.0);
        scaler.Step(opt);
        Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { -0.6f, -0.8f }).Within(1e-6));
    }

    [Test]
    public void CallsOutOfOrderAreRefused()
    {
        Tensor p = Param(1);
        var opt = new SGD([p], lr: 0.1);
        var scaler = new GradScaler();
        Assert.That(() => scaler.Update(), Throws.InvalidOperationException.With.Message.Contains("no inf checks"));
        Assert.That(() => scaler.Step(opt), Throws.InvalidOperationException.With.Message.Contains("no inf checks"));
        scaler.Update(newScale: 2.0);
        p.Grad = Tensor.From(new float[] { 1 });
        scaler.Unscale(opt);
        Assert.That(() => scaler.Unscale(opt), Throws.InvalidOperationException.With.Message.Contains("already called"));
        scaler.Step(opt);
        Assert.That(() => scaler.Step(opt), Throws.InvalidOperationException.With.Message.Contains("already called"));
        Assert.That(() => scaler.Unscale(opt), Throws.InvalidOperationException.With.Message.Contains("after Step"));
        scaler.Update();
        Assert.That(scaler.GetScale(), Is.EqualTo(2.0));
    }

    [Test]
    public void Float16GradientsAreRefused()
    {
        Tensor p = Tensor.From(new float[] { 1, 2 }).To(DType.Float16).RequiresGradInPlace();
        var opt = new SGD([p], lr: 0.1);
        p.Grad = Tensor.Ones([2], DType.Float16);
        Assert.That(() => new GradScaler().Unscale(opt), Throws.InvalidOperationException.With.Message.Contains("float16"));
    }

    [Test]
    public void AFloat16LossIsScaledInFloat32WithItsShape()
    {
        using Tensor loss = Tensor.From(new float[] { 3 }).To(DType.Float16).Reshape();
        var scaler = new GradScaler(initScale: 65536);
        using Tensor scaled = scaler.Scale(loss);
        Assert.That(scaled.DType, Is.EqualTo(DType.Float32));
        Assert.That(scaled.Shape, Is.Empty);
        Assert.That(scaled.Item<float>(), Is.EqualTo(196608f));
    }

    [Test]
    public void TheStateDictRoundTrips()
    {
        Tensor p = Param(1);
        var opt = new SGD([p], lr: 0.0);
        var scaler = new GradScaler(initScale: 16, growthInterval: 5);
        for (int i = 0; i < 3; i++)
        {
            p.Grad = Tensor.From(new float[] { 1 });
            scaler.Step(opt);
            scaler.Update();
        }
        var restored = new GradScaler();
        restored.LoadStateDict(scaler.StateDict());
        Assert.That(restored.GetScale(), Is.EqualTo(16.0));
        Assert.That(restored.GrowthInterval, Is.EqualTo(5));
        Assert.That(restored.StateDict(), Is.EqualTo(scaler.StateDict()));
        // Two more clean steps complete the interval of five in the restored scaler too.
        for (int i = 0; i < 2; i++)
        {
            p.Grad = Tensor.From(new float[] { 1 });
            restored.Step(opt);
            restored.Update();
        }
        Assert.That(restored.GetScale(), Is.EqualTo(32.0));
        Assert.That(() => restored.LoadStateDict(new Dictionary<string, double>()), Throws.ArgumentException);
    }

    [Test]
    public void ADisabledScalerPassesThrough()
    {
        Tensor p = Param(1);
        var opt = new SGD([p], lr: 1.0);
        var scaler = new GradScaler(enabled: false);
        using Tensor loss = Tensor.From(new float[] { 2 });
        Assert.That(scaler.Scale(loss), Is.SameAs(loss));
        p.Grad = Tensor.From(new float[] { 1 });
        Assert.That(scaler.Step(opt), Is.True);
        Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { 0 }));
        scaler.Update();
        Assert.That(scaler.GetScale(), Is.EqualTo(1.0));
        Assert.That(scaler.StateDict(), Is.Empty);
        Assert.That(() => scaler.LoadStateDict(new Dictionary<string, double> { ["scale"] = 2 }), Throws.InvalidOperationException);
    }

    [Test]
    public void InvalidSettingsAreRefused()
    {
        Assert.That(() => new GradScaler(initScale: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new GradScaler(growthFactor: 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new GradScaler(backoffFactor: 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new GradScaler(growthInterval: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
