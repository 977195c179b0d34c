using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;
using F = Compute.NN.Functional;

namespace Compute.Tests;

/// <summary>
/// Gradients of the neural-network ops against torch.autograd (fixture autograd_nn.json, made by
/// tests/reference/gen_autograd_nn.py): for each case the result, the first-order gradient of
/// every input that requires grad for a fixed grad_output (computed by the native backward
/// kernels), and the second-order product (gradient of sum(grad_i * v_i), computed through the
/// composite formulas recorded when backward runs with createGraph), in float64 to 1e-12 relative.
/// </summary>
public class AutogradNNTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autograd_nn.json", "AutogradNN");

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Expressions = new()
    {
        ["mse_mean"] = t => F.MseLoss(t[0], t[1]),
        ["mse_none_broadcast"] = t => F.MseLoss(t[0], t[1], Reduction.None),
        ["mse_sum"] = t => F.MseLoss(t[0], t[1], Reduction.Sum),
        ["l1_mean"] = t => F.L1Loss(t[0], t[1]),
        ["l1_none"] = t => F.L1Loss(t[0], t[1], Reduction.None),
        ["smooth_l1_mean"] = t => F.SmoothL1Loss(t[0], t[1], beta: 0.5),
        ["smooth_l1_beta0_sum"] = t => F.SmoothL1Loss(t[0], t[1], Reduction.Sum, beta: 0.0),
        ["huber_none"] = t => F.HuberLoss(t[0], t[1], Reduction.None, delta: 0.7),
        ["huber_mean"] = t => F.HuberLoss(t[0], t[1], delta: 1.3),
        ["bce_mean_weight"] = t => F.BinaryCrossEntropy(t[0], t[1], t[2]),
        ["bce_none"] = t => F.BinaryCrossEntropy(t[0], t[1], reduction: Reduction.None),
        ["bce_logits_mean"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], t[2], posWeight: t[3]),
        ["bce_logits_none"] = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], reduction: Reduction.None),
        ["kl_div_batchmean"] = t => F.KlDiv(t[0], t[1], KlDivReduction.BatchMean),
        ["kl_div_log_target_sum"] = t => F.KlDiv(t[0], t[1], KlDivReduction.Sum, logTarget: true),
        ["kl_div_mean"] = t => F.KlDiv(t[0], t[1]),
        ["kl_div_none"] = t => F.KlDiv(t[0], t[1], KlDivReduction.None),
        ["nll_mean_weight_ignore"] = t => F.NllLoss(t[0], t[1], t[2]),
        ["nll_none_3d"] = t => F.NllLoss(t[0], t[1], reduction: Reduction.None),
        ["nll_sum_1d"] = t => F.NllLoss(t[0], t[1], reduction: Reduction.Sum),
        ["cross_entropy_mean"] = t => F.CrossEntropy(t[0], t[1]),
        ["cross_entropy_weight_ignore_smoothing"] = t => F.CrossEntropy(t[0], t[1], t[2], ignoreIndex: 2, labelSmoothing: 0.2),
        ["cross_entropy_smoothing_ignore"] = t => F.CrossEntropy(t[0], t[1], labelSmoothing: 0.3),
        ["cross_entropy_none_4d"] = t => F.CrossEntropy(t[0], t[1], reduction: Reduction.None, labelSmoothing: 0.1),
        ["cross_entropy_sum_1d"] = t => F.CrossEntropy(t[0], t[1], reduction: Reduction.Sum),
        ["cross_entropy_probs"] = t => F.CrossEntropy(t[0], t[1], t[2], labelSmoothing: 0.15),
        ["cross_entropy_probs_none"] = t => F.CrossEntropy(t[0], t[1], reduction: Reduction.None),
        ["sort"] = t => t[0].Sort(1, descending: true).Values.Pow(3),
        ["sort_dim0"] = t => t[0].Sort(0).Values.Pow(3),
        ["topk"] = t => t[0].Topk(2, -1).Values.Pow(3),
        ["topk_smallest_dim0"] = t => t[0].Topk(2, 0, largest: false).Values.Pow(3),
        ["msort"] = t => t[0].Msort().Pow(3),
        ["repeat_interleave"] = t => t[0].RepeatInterleave(2, 1).Pow(3),
        ["repeat_interleave_flat"] = t => t[0].RepeatInterleave(3).Pow(3),
        ["repeat_interleave_tensor"] = t => t[0].RepeatInterleave(Tensor.From(new long[] { 2, 0, 1 }), 0).Pow(3),
        ["pad_constant"] = t => F.Pad(t[0], [1, 2, -1, 1], value: 0.5).Pow(3),
        ["pad_reflect"] = t => F.Pad(t[0], [2, 1, 1, 2], PaddingMode.Reflect).Pow(3),
        ["pad_replicate"] = t => F.Pad(t[0], [2, 1], PaddingMode.Replicate).Pow(3),
        ["pad_circular"] = t => F.Pad(t[0], [1, 2, 2, 1], PaddingMode.Circular).Pow(3),
        ["softmax"] = t => t[0].Softmax(1),
        ["softmax_dim0_3d"] = t => F.Softmax(t[0], 0),
        ["log_softmax"] = t => F.LogSoftmax(t[0], -1),
        ["nll_of_log_softmax"] = t => F.NllLoss(t[0].LogSoftmax(1), t[1]),
        ["layer_norm"] = t => F.LayerNorm(t[0], [4], t[1], t[2]),
        ["layer_norm_2d_no_affine"] = t => F.LayerNorm(t[0], [3, 4], eps: 1e-3),
        ["rms_norm"] = t => F.RmsNorm(t[0], [4], t[1], 1e-6),
        ["rms_norm_default_eps"] = t => F.RmsNorm(t[0], [3, 4]),
        ["batch_norm_train"] = t => F.BatchNorm(t[0], Tensor.Zeros([3], DType.Float64), Tensor.Ones([3], DType.Float64), t[1], t[2],
            training: true),
        ["batch_norm_train_2d"] = t => F.BatchNorm(t[0], null, null, training: true, eps: 1e-3),
        ["batch_norm_eval"] = t => F.BatchNorm(t[0], t[3], t[4], t[1], t[2], training: false),
        ["group_norm"] = t => F.GroupNorm(t[0], 2, t[1], t[2]),
        ["group_norm_no_affine"] = t => F.GroupNorm(t[0], 3, eps: 1e-3),
        ["embedding"] = t => F.Embedding(t[0], t[1], paddingIdx: 1).Pow(2),
        ["max_pool2d"] = t => F.MaxPool2d(t[0], 2, stride: 1).Pow(3),
        ["max_pool1d_padded"] = t => F.MaxPool1d(t[0], 3, stride: 2, padding: 1).Pow(3),
        ["adaptive_max_pool2d"] = t => F.AdaptiveMaxPool2d(t[0], 2, 3).Pow(3),
        ["avg_pool2d"] = t => F.AvgPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false).Pow(3),
        ["avg_pool1d"] = t => F.AvgPool1d(t[0], 2).Pow(3),
        ["adaptive_avg_pool2d"] = t => F.AdaptiveAvgPool2d(t[0], 3, 2).Pow(3),
        ["adaptive_avg_pool1d"] = t => F.AdaptiveAvgPool1d(t[0], 4).Pow(3),
        ["interpolate_bilinear"] = t => F.Interpolate(t[0], [5, 3], mode: "bilinear", alignCorners: false).Pow(3),
        ["interpolate_nearest_scale"] = t => F.Interpolate(t[0], 2.0).Pow(3),
        ["grid_sample"] = t => F.GridSample(t[0], t[1], alignCorners: false),
        ["sdpa"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2]),
        ["sdpa_causal_scale"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2], isCausal: true) * 2,
        ["sdpa_bool_mask"] = t => F.ScaledDotProductAttention(t[0], t[1], t[2], t[3]),
        ["conv2d"] = t => F.Conv2d(t[0], t[1], t[2], padding: [1]),
        ["conv2d_stride_dilation_groups"] = t => F.Conv2d(t[0], t[1], stride: [2], dilation: [1, 2], groups: 2),
        ["conv1d_same"] = t => F.Conv1d(t[0], t[1], "same", t[2]),
        ["conv_transpose2d"] = t => F.ConvTranspose2d(t[0], t[1], t[2], stride: [2], padding: [1]),
        ["unfold"] = t => F.Unfold(t[0], [2, 3], [1], [1], [2, 1]).Pow(3),
        ["fold"] = t => F.Fold(t[0], [4, 5], [2, 3], padding: [1], stride: [2, 1]).Pow(3),
        ["cnn"] = t => F.CrossEntropy(
            F.MaxPool2d(F.Relu(F.Conv2d(t[0], t[2], t[3], padding: [1])), 2).Reshape(t[0].Size(0), -1).MatMul(t[4]) + t[5], t[1]),
        ["mlp"] = t => F.CrossEntropy(F.Relu(t[0].MatMul(t[2]) + t[3]).Tanh().MatMul(t[4]) + t[5], t[1]),
    };

    // Ops whose gradient exists only as a native kernel: createGraph must fail by name.
    private static readonly HashSet<string> FirstOrderOnly = new() { "grid_sample" };

    [TestCaseSource(nameof(Cases))]
    public void FirstAndSecondOrderMatchTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        string name = c.GetProperty("name").GetString()!;
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor[] t = inputs.Select(j => ReferenceFixture.Build(j).RequiresGradInPlace(j.GetProperty("requires_grad").GetBoolean()))
            .ToArray();
        int[] diff = Enumerable.Range(0, t.Length).Where(i => t[i].RequiresGrad).ToArray();
        Tensor[] wrt = diff.Select(i => t[i]).ToArray();
        Tensor gradOutput = ReferenceFixture.Build(c.GetProperty("grad_output"));
        JsonElement[] expectedGrads = c.GetProperty("grads").EnumerateArray().ToArray();

        // First order alone runs the native backward kernels.
        Tensor output = Expressions[name](t);
        AssertClose(output, c.GetProperty("expected"), "output");
        Tensor?[] first = Autograd.Grad(new[] { output }, wrt, new[] { gradOutput }, allowUnused: true);
        for (int k = 0; k < diff.Length; k++)
        {
            AssertClose(first[k] ?? Tensor.ZerosLike(wrt[k]), expectedGrads[diff[k]], $"grad of input {diff[k]}");
        }

        // With createGraph the composite formulas run: the same first gradient, differentiable again.
        output = Expressions[name](t);
        if (FirstOrderOnly.Contains(name))
        {
            Assert.That(() => Autograd.Grad(new[] { output }, wrt, new[] { gradOutput }, createGraph: true),
                Throws.TypeOf<InvalidOperationException>().With.Message.Contains(name).And.Message.Contains("double backward"));
            return;
        }
        Tensor?[] grads = Autograd.Grad(new[] { output }, wrt, new[] { gradOutput }, createGraph: true, allowUnused: true);
        for (int k = 0; k < diff.Length; k++)
        {
            AssertClose(grads[k] ?? Tensor.ZerosLike(wrt[k]), expectedGrads[diff[k]], $"composite grad of input {diff[k]}");
        }
        JsonElement[] v = c.GetProperty("v").EnumerateArray().ToArray();
        Tensor? total = null;
        for (int k = 0; k < diff.Length; k++)
        {
            if (grads[k] is Tensor g && g.RequiresGrad)
            {
                Tensor term = (g * ReferenceFixture.Build(v[diff[k]])).Sum();
                total = total is null ? term : total + term;
            }
        }
        Tensor?[] second = total is null ? new Tensor?[diff.Length] : Autograd.Grad(new[] { total }, wrt, allowUnused: true);
        JsonElement[] expectedSecond = c.GetProperty("second").EnumerateArray().ToArray();
        for (int k = 0; k < diff.Length; k++)
        {
            AssertClose(second[k] ?? Tensor.ZerosLike(wrt[k]), expectedSecond[diff[k]], $"second-order product, input {diff[k]}");
        }
    }

    // float64 on both sides: a few roundings of each element's magnitude apart.
    private static void AssertClose(Tensor actual, JsonElement expected, string what)
    {
        using Tensor e = ReferenceFixture.Build(expected);
        Assert.That(actual.Shape, Is.EqualTo(e.Shape), what + " shape");
        Assert.That(actual.DType, Is.EqualTo(DType.Float64), what + " dtype");
        double[] a = actual.Contiguous().ToArray<double>();
        double[] x = e.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(x[i]).Within(1e-12 * (1 + Math.Abs(x[i]))), $"{what}, element {i}");
        }
    }

    private static Tensor Leaf(Tensor t) => t.Detach().RequiresGradInPlace();

    [Test]
    public void GradCheckAndGradGradCheckAgreeWithFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Randn([3, 4], dtype: DType.Float64), y = Tensor.Randn([3, 4], dtype: DType.Float64);
        Tensor p = Tensor.Rand([3, 4], dtype: DType.Float64) * 0.8 + 0.1;
        Tensor classes = Tensor.From(new long[] { 2, 0, 3 });
        var functions = new Dictionary<string, (Func<Tensor[], Tensor> F, Tensor[] Inputs)>
        {
            ["cross_entropy"] = (a => F.CrossEntropy(a[0], classes, labelSmoothing: 0.1), new[] { x }),
            ["cross_entropy_probs"] = (a => F.CrossEntropy(a[0], (a[1] - a[1].LogSumExp(1, keepDim: true)).Exp()), new[] { x, y }),
            ["bce_with_logits"] = (a => F.BinaryCrossEntropyWithLogits(a[0], a[1]), new[] { x, p }),
            ["bce"] = (a => F.BinaryCrossEntropy(a[0], a[1]), new[] { p, p.Flip(0) }),
            ["kl_div_log_target"] = (a => F.KlDiv(a[0], a[1], KlDivReduction.BatchMean, logTarget: true), new[] { x, y }),
            ["huber"] = (a => F.HuberLoss(a[0], a[1], delta: 0.5), new[] { x, y }),
            ["topk"] = (a => a[0].Topk(2, 1).Values.Pow(2), new[] { x }),
            ["pad_reflect"] = (a => F.Pad(a[0].Unsqueeze(0), [2, 1], PaddingMode.Reflect).Pow(2), new[] { x }),
            ["conv1d"] = (a => F.Conv1d(a[0].Unsqueeze(0), a[1].Narrow(1, 0, 2).Unsqueeze(0), padding: [1]).Pow(2), new[] { x, y }),
            ["softmax"] = (a => a[0].Softmax(1).Pow(2), new[] { x }),
            ["log_softmax"] = (a => F.LogSoftmax(a[0], 0).Pow(2), new[] { x }),
            ["layer_norm"] = (a => F.LayerNorm(a[0], [4], a[1][0], a[1][1]), new[] { x, y.Narrow(0, 0, 2) }),
            ["rms_norm"] = (a => F.RmsNorm(a[0], [4], a[1][0], 1e-5), new[] { x, y.Narrow(0, 0, 1) }),
            ["batch_norm_train"] = (a => F.BatchNorm(a[0], null, null, a[1][0].Narrow(0, 0, 3), training: true), new[] { x.T, y }),
            ["group_norm"] = (a => F.GroupNorm(a[0].Reshape(2, 6), 2, a[1][0], a[1][1]), new[] { x, y.Reshape(2, 6) }),
        };
        foreach ((string name, var (f, inputs)) in functions)
        {
            Tensor[] leaves = inputs.Select(Leaf).ToArray();
            Assert.That(Autograd.GradCheck(f, leaves), Is.True, name);
            Assert.That(Autograd.GradGradCheck(f, leaves), Is.True, name + " (second order)");
        }
    }

    // Dropout draws a new mask on every call, so it is checked against its own output: the kept
    // elements are the nonzero ones (the input has no zeros), and the gradient is grad * mask / (1 - p).
    [Test]
    public void DropoutGradientIsTheKeptMaskOverOneMinusP()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(Tensor.Rand([4, 6], DType.Float64) + 0.5);
        Tensor g = Tensor.Randn([4, 6], DType.Float64), v = Tensor.Randn([4, 6], DType.Float64);
        foreach (bool createGraph in new[] { false, true })
        {
            Tensor y = F.Dropout(x, 0.4);
            Tensor kept = y.Ne(0).To(DType.Float64);
            Tensor gx = Autograd.Grad(new[] { y }, new[] { x }, new[] { g }, createGraph: createGraph)[0]!;
            AssertAllClose(gx, g * kept / 0.6, $"dropout gradient, createGraph {createGraph}");
        }
        // Second order of dropout(x)^2: 2 g v mask / (1 - p)^2.
        Tensor z = F.Dropout(x, 0.4);
        Tensor gz = Autograd.Grad(new[] { z.Pow(2) }, new[] { x }, new[] { g }, createGraph: true)[0]!;
        Tensor second = Autograd.Grad(new[] { (gz * v).Sum() }, new[] { x })[0]!;
        AssertAllClose(second, g * v * z.Ne(0).To(DType.Float64) * (2.0 / 0.36), "dropout second order");
        // Channel dropout of an unbatched (C, H, W) input drops whole channels.
        Tensor c = Leaf(Tensor.Rand([3, 2, 2], DType.Float64) + 0.5);
        Tensor d = F.Dropout2d(c, 0.5);
        Tensor gc = Autograd.Grad(new[] { d }, new[] { c }, new[] { Tensor.OnesLike(d) })[0]!;
        AssertAllClose(gc, d.Ne(0).To(DType.Float64) * 2.0, "dropout2d gradient");
    }

    [Test]
    public void DropoutInEvaluationPassesTheGradientThrough()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(Tensor.Randn([3, 4], DType.Float64)), g = Tensor.Randn([3, 4], DType.Float64);
        foreach (bool createGraph in new[] { false, true })
        {
            Tensor y = F.Dropout(x, 0.4, training: false);
            AssertAllClose(Autograd.Grad(new[] { y }, new[] { x }, new[] { g }, createGraph: createGraph)[0]!, g, "eval dropout");
        }
    }

    // With dropout the attention mask lives only inside the kernel: first order works, a
    // differentiable gradient is refused by name.
    [Test]
    public void AttentionWithDropoutRefusesDoubleBackwardByName()
    {
        using var scope = TensorScope.Begin();
        Tensor q = Leaf(Tensor.Randn([2, 3, 4], DType.Float64)), k = Leaf(Tensor.Randn([2, 5, 4], DType.Float64));
        Tensor v = Leaf(Tensor.Randn([2, 5, 3], DType.Float64));
        Tensor first = Autograd.Grad(new[] { F.ScaledDotProductAttention(q, k, v, dropoutP: 0.3).Sum() }, new[] { q })[0]!;
        Assert.That(first.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Tensor o = F.ScaledDotProductAttention(q, k, v, dropoutP: 0.3).Sum();
        Assert.That(() => Autograd.Grad(new[] { o }, new[] { q }, createGraph: true),
            Throws.TypeOf<InvalidOperationException>().With.Message.Contains("scaled_dot_product_attention").And.Message.Contains("double backward"));
    }

    private static void AssertAllClose(Tensor actual, Tensor expected, string what)
    {
        double[] a = actual.Contiguous().ToArray<double>(), x = expected.Contiguous().ToArray<double>();
        Assert.That(a.Length, Is.EqualTo(x.Length), what);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(x[i]).Within(1e-12 * (1 + Math.Abs(x[i]))), $"{what}, element {i}");
        }
    }

    [Test]
    public void RunningStatisticsAreNotDifferentiable()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(Tensor.Randn([4, 3], DType.Float64));
        Tensor mean = Leaf(Tensor.Zeros([3], DType.Float64)), var = Tensor.Ones([3], DType.Float64);
        Assert.That(() => F.BatchNorm(x, mean, var, training: false),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("batch_norm").And.Message.Contains("'running_mean'"));
    }

    [Test]
    public void ClassWeightsThatRequireGradAreRefusedByName()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(Tensor.Randn([2, 3], dtype: DType.Float64));
        Tensor w = Leaf(Tensor.Ones([3], DType.Float64));
        Tensor t = Tensor.From(new long[] { 0, 2 });
        Assert.That(() => F.CrossEntropy(x, t, w), Throws.TypeOf<NotSupportedException>().With.Message.Contains("cross_entropy")
            .And.Message.Contains("'weight'"));
    }

    [Test]
    public void IntegerResultsAreNotRecorded()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(Tensor.Randn([2, 5], dtype: DType.Float64));
        var (values, indices) = x.Sort(1);
        Assert.That(values.GradFn?.Name, Is.EqualTo("SortBackward0"));
        Assert.That(indices.RequiresGrad, Is.False);
        Assert.That(x.Argsort(1).RequiresGrad, Is.False);
        Assert.That(() => x.Unique().Values.Sum().Backward(),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("unique").And.Message.Contains("not implemented"));
    }
}
