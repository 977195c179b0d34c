using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The loss functions of Compute.NN.Functional and their internal backward kernels against the
/// PyTorch fixture nn_loss.json (tests/reference/gen_nn_loss.py). Tolerance as in
/// tests/native/test_nn_loss.cpp: count * eps * bound, one more ulp for 16-bit results.
/// </summary>
public class NNLossTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("nn_loss.json", "NNLoss");

    private sealed record Operands(Tensor Input, Tensor Target, Tensor? Weight, Tensor? PosWeight);

    private static Operands Build(JsonElement c, TensorBag bag)
    {
        JsonElement inputs = c.GetProperty("inputs");
        Tensor? Opt(string key) => inputs.TryGetProperty(key, out var j) ? bag.Add(ReferenceFixture.Build(j)) : null;
        return new Operands(bag.Add(ReferenceFixture.Build(inputs.GetProperty("input"))),
            bag.Add(ReferenceFixture.Build(inputs.GetProperty("target"))), Opt("weight"), Opt("pos_weight"));
    }

    private static string ReductionName(JsonElement o) =>
        o.TryGetProperty("reduction", out var r) ? r.GetString()! : "mean";

    private static Reduction ReductionOf(JsonElement o) => ReductionName(o) switch
    {
        "none" => Reduction.None,
        "sum" => Reduction.Sum,
        _ => Reduction.Mean,
    };

    private static KlDivReduction KlReductionOf(JsonElement o) => ReductionName(o) switch
    {
        "none" => KlDivReduction.None,
        "sum" => KlDivReduction.Sum,
        "batchmean" => KlDivReduction.BatchMean,
        _ => KlDivReduction.Mean,
    };

    private static double Opt(JsonElement o, string key, double fallback) =>
        o.TryGetProperty(key, out var v) ? ReferenceFixture.Float(v) : fallback;

    private static long IgnoreIndex(JsonElement o) => o.TryGetProperty("ignore_index", out var v) ? v.GetInt64() : -100;

    private static bool LogTarget(JsonElement o) => o.TryGetProperty("log_target", out var v) && v.GetBoolean();

    private static Tensor Forward(JsonElement c, Operands t)
    {
        JsonElement o = c.GetProperty("options");
        Reduction r = ReductionOf(o);
        return c.GetProperty("op").GetString() switch
        {
            "cross_entropy" => Functional.CrossEntropy(t.Input, t.Target, t.Weight, IgnoreIndex(o), r, Opt(o, "label_smoothing", 0)),
            "nll_loss" => Functional.NllLoss(t.Input, t.Target, t.Weight, IgnoreIndex(o), r),
            "mse_loss" => Functional.MseLoss(t.Input, t.Target, r),
            "l1_loss" => Functional.L1Loss(t.Input, t.Target, r),
            "smooth_l1_loss" => Functional.SmoothL1Loss(t.Input, t.Target, r, Opt(o, "beta", 1.0)),
            "huber_loss" => Functional.HuberLoss(t.Input, t.Target, r, Opt(o, "delta", 1.0)),
            "binary_cross_entropy" => Functional.BinaryCrossEntropy(t.Input, t.Target, t.Weight, r),
            "binary_cross_entropy_with_logits" => Functional.BinaryCrossEntropyWithLogits(t.Input, t.Target, t.Weight, r, t.PosWeight),
            "kl_div" => Functional.KlDiv(t.Input, t.Target, KlReductionOf(o), LogTarget(o)),
            var op => throw new ArgumentException($"unknown op {op}"),
        };
    }

    private static Functional.LossGrads Backward(JsonElement c, Tensor g, Operands t)
    {
        JsonElement o = c.GetProperty("options");
        Reduction r = ReductionOf(o);
        return c.GetProperty("op").GetString() switch
        {
            "cross_entropy" => Functional.CrossEntropyBackward(g, t.Input, t.Target, t.Weight, IgnoreIndex(o), r, Opt(o, "label_smoothing", 0)),
            "nll_loss" => new Functional.LossGrads(Functional.NllLossBackward(g, t.Input, t.Target, t.Weight, IgnoreIndex(o), r), null),
            "mse_loss" => Functional.MseLossBackward(g, t.Input, t.Target, r),
            "l1_loss" => Functional.L1LossBackward(g, t.Input, t.Target, r),
            "smooth_l1_loss" => Functional.SmoothL1LossBackward(g, t.Input, t.Target, r, Opt(o, "beta", 1.0)),
            "huber_loss" => Functional.HuberLossBackward(g, t.Input, t.Target, r, Opt(o, "delta", 1.0)),
            "binary_cross_entropy" => Functional.BinaryCrossEntropyBackward(g, t.Input, t.Target, t.Weight, r),
            "binary_cross_entropy_with_logits" => Functional.BinaryCrossEntropyWithLogitsBackward(g, t.Input, t.Target, t.Weight, r, t.PosWeight),
            "kl_div" => Functional.KlDivBackward(g, t.Input, t.Target, KlReductionOf(o), LogTarget(o)),
            var op => throw new ArgumentException($"unknown op {op}"),
        };
    }

    private static Tolerance Tol(JsonElement c, string boundKey, JsonElement expected)
    {
        DType d = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        double eps = ReferenceFixture.Epsilon(d == DType.Float64 ? DType.Float64 : DType.Float32);
        long count = c.GetProperty("count").GetInt64();
        // Each of the count roundings may underflow by half the smallest subnormal (a gradient of
        // exp(-103) * g rounds to 0 or to the smallest float32 subnormal depending on the order).
        double underflow = count * 0.5 * (d == DType.Float64 ? double.Epsilon : float.Epsilon);
        return new Tolerance(d is DType.Float16 or DType.BFloat16 ? 1 : 0, count * eps, c.GetProperty(boundKey), underflow);
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Operands t = Build(c, bag);
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Forward(c, t)), c);
            return;
        }
        JsonElement expected = c.GetProperty("expected");
        ReferenceFixture.AssertMatches(bag.Add(Forward(c, t)), expected, Tol(c, "abs_bound", expected));
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesAutograd(JsonElement c)
    {
        if (c.TryGetProperty("error", out _)) return;  // the forward test covers rejection; native tests cover backward's
        using var bag = new TensorBag();
        Operands t = Build(c, bag);
        Tensor g = bag.Add(ReferenceFixture.Build(c.GetProperty("grad_output")));
        Functional.LossGrads grads = Backward(c, g, t);
        bag.Add(grads.GradInput);
        if (grads.GradTarget is not null) bag.Add(grads.GradTarget);
        JsonElement gi = c.GetProperty("grad_input");
        ReferenceFixture.AssertMatches(grads.GradInput, gi, Tol(c, "grad_input_bound", gi));
        if (c.TryGetProperty("grad_target", out JsonElement gt))
        {
            Assert.That(grads.GradTarget, Is.Not.Null, "grad_target");
            ReferenceFixture.AssertMatches(grads.GradTarget!, gt, Tol(c, "grad_target_bound", gt));
        }
    }

    [Test]
    public void ErrorNamesOpArgumentAndShapes()
    {
        using var input = Tensor.Zeros(2, 3);
        using var target = Tensor.From(new[] { 0L, 1L, 2L });
        var e = Assert.Throws<ShapeMismatchException>(() => Functional.CrossEntropy(input, target));
        Assert.That(e!.Message, Does.Contain("cross_entropy").And.Contain("target").And.Contain("[2, 3]").And.Contain("[3]"));
    }

    [Test]
    public void WrongTargetDTypeIsRejected()
    {
        using var input = Tensor.Zeros(2, 3);
        using var target = Tensor.From(new[] { 0, 1 });
        var e = Assert.Throws<DTypeMismatchException>(() => Functional.NllLoss(input, target));
        Assert.That(e!.Message, Does.Contain("nll_loss").And.Contain("int64").And.Contain("int32"));
    }

    [Test]
    public void OutOfRangeReductionIsRejected()
    {
        using var a = Tensor.Zeros(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.MseLoss(a, a, (Reduction)7));
    }

    [Test]
    public void ClassTargetsHaveNoTargetGradient()
    {
        using var input = Tensor.Zeros(2, 3);
        using var target = Tensor.From(new[] { 0L, 2L });
        using var g = Tensor.From(new[] { 1.0f }).Reshape();
        var grads = Functional.CrossEntropyBackward(g, input, target);
        using var gi = grads.GradInput;
        Assert.That(grads.GradTarget, Is.Null);
        Assert.That(gi.Shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    private static IEnumerable<TestCaseData> AttentionCases() => ReferenceFixture.Cases("nn_attention.json", "Attention");

    [TestCaseSource(nameof(AttentionCases))]
    public void AttentionMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        JsonElement inputs = c.GetProperty("inputs"), o = c.GetProperty("options");
        Tensor q = bag.Add(ReferenceFixture.Build(inputs.GetProperty("q")));
        Tensor k = bag.Add(ReferenceFixture.Build(inputs.GetProperty("k")));
        Tensor v = bag.Add(ReferenceFixture.Build(inputs.GetProperty("v")));
        Tensor? mask = inputs.TryGetProperty("mask", out var m) ? bag.Add(ReferenceFixture.Build(m)) : null;
        bool causal = o.TryGetProperty("is_causal", out var ic) && ic.GetBoolean();
        double? scale = o.TryGetProperty("scale", out var sc) ? ReferenceFixture.Float(sc) : null;
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Functional.ScaledDotProductAttention(q, k, v, mask, 0, causal, scale)), c);
            return;
        }
        Tensor output = bag.Add(Functional.ScaledDotProductAttention(q, k, v, mask, 0, causal, scale));
        JsonElement expected = c.GetProperty("expected");
        ReferenceFixture.AssertMatches(output, expected, Tol(c, "abs_bound", expected));

        var fwd = Functional.ScaledDotProductAttentionForward(q, k, v, mask, 0, causal, scale);
        bag.Add(fwd.Output);
        bag.Add(fwd.LogSumExp);
        Tensor g = bag.Add(ReferenceFixture.Build(c.GetProperty("grad_output")));
        var (gq, gk, gv) = Functional.ScaledDotProductAttentionBackward(g, q, k, v, mask, 0, causal, scale, fwd);
        bag.Add(gq);
        bag.Add(gk);
        bag.Add(gv);
        foreach (var (name, t) in new[] { ("grad_q", gq), ("grad_k", gk), ("grad_v", gv) })
        {
            JsonElement e = c.GetProperty(name);
            ReferenceFixture.AssertMatches(t, e, Tol(c, name + "_bound", e));
        }
    }

    [Test]
    public void AttentionDropoutIsReproducibleFromTheSeed()
    {
        using var q = Tensor.Randn(2, 4, 3);
        using var k = Tensor.Randn(2, 6, 3);
        using var v = Tensor.Randn(2, 6, 5);
        Tensor.ManualSeed(7);
        using var a = Functional.ScaledDotProductAttention(q, k, v, dropoutP: 0.5);
        using var b = Functional.ScaledDotProductAttention(q, k, v, dropoutP: 0.5);
        Tensor.ManualSeed(7);
        using var c = Functional.ScaledDotProductAttention(q, k, v, dropoutP: 0.5);
        Assert.That(c.ToArray<float>(), Is.EqualTo(a.ToArray<float>()));
        Assert.That(b.ToArray<float>(), Is.Not.EqualTo(a.ToArray<float>()));
    }

    [Test]
    public void AttentionRejectsCausalWithMask()
    {
        using var q = Tensor.Zeros(2, 3);
        using var mask = Tensor.Zeros(2, 2);
        var e = Assert.Throws<ArgumentException>(() => Functional.ScaledDotProductAttention(q, q, q, mask, isCausal: true));
        Assert.That(e!.Message, Does.Contain("scaled_dot_product_attention").And.Contain("is_causal"));
    }
}
