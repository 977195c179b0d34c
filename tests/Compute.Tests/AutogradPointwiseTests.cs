using System.Text.Json;
using Compute;
using Compute.Tests.Reference;
using F = Compute.NN.Functional;

namespace Compute.Tests;

/// <summary>
/// Gradients of the pointwise ops against torch.autograd (fixture autograd_pointwise.json, made
/// by tests/reference/gen_autograd_pointwise.py): for each op the result, the name of its node,
/// the first-order gradient of every input for a fixed grad_output, and the second-order
/// product (gradient of sum(grad_i * v_i), taken through the recorded backward formulas), all
/// in float64 to 1e-12 relative. The activations go through Compute.NN.Functional, which must
/// record them too.
/// </summary>
public class AutogradPointwiseTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autograd_pointwise.json", "AutogradPointwise");

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Expressions = new()
    {
        ["sign"] = t => t[0].Sign(),
        ["rsqrt"] = t => t[0].Rsqrt(),
        ["square"] = t => t[0].Square(),
        ["exp2"] = t => t[0].Exp2(),
        ["expm1"] = t => t[0].Expm1(),
        ["log2"] = t => t[0].Log2(),
        ["log10"] = t => t[0].Log10(),
        ["log1p"] = t => t[0].Log1p(),
        ["tan"] = t => t[0].Tan(),
        ["asin"] = t => t[0].Asin(),
        ["acos"] = t => t[0].Acos(),
        ["atan"] = t => t[0].Atan(),
        ["sinh"] = t => t[0].Sinh(),
        ["cosh"] = t => t[0].Cosh(),
        ["asinh"] = t => t[0].Asinh(),
        ["acosh"] = t => t[0].Acosh(),
        ["atanh"] = t => t[0].Atanh(),
        ["logit"] = t => t[0].Logit(),
        ["logit_eps"] = t => t[0].Logit(0.2),
        ["erf"] = t => t[0].Erf(),
        ["erfc"] = t => t[0].Erfc(),
        ["erfinv"] = t => t[0].Erfinv(),
        ["lgamma"] = t => t[0].Lgamma(),
        ["floor"] = t => t[0].Floor(),
        ["ceil"] = t => t[0].Ceil(),
        ["trunc"] = t => t[0].Trunc(),
        ["round"] = t => t[0].Round(),
        ["round_decimals"] = t => t[0].Round(2),
        ["frac"] = t => t[0].Frac(),
        ["reciprocal"] = t => t[0].Reciprocal(),
        ["relu6"] = t => F.Relu6(t[0]),
        ["hardtanh"] = t => F.Hardtanh(t[0]),
        ["hardtanh_bounds"] = t => F.Hardtanh(t[0], -0.5, 2.0),
        ["gelu"] = t => F.Gelu(t[0]),
        ["gelu_tanh"] = t => F.Gelu(t[0], "tanh"),
        ["silu"] = t => F.Silu(t[0]),
        ["mish"] = t => F.Mish(t[0]),
        ["softplus"] = t => F.Softplus(t[0]),
        ["softplus_beta"] = t => F.Softplus(t[0], beta: 2.0, threshold: 3.0),
        ["elu"] = t => F.Elu(t[0], 1.3),
        ["selu"] = t => F.Selu(t[0]),
        ["celu"] = t => F.Celu(t[0], 0.7),
        ["leaky_relu"] = t => F.LeakyRelu(t[0], 0.2),
        ["hardsigmoid"] = t => F.Hardsigmoid(t[0]),
        ["hardswish"] = t => F.Hardswish(t[0]),
        ["logsigmoid"] = t => F.LogSigmoid(t[0]),
        ["sigmoid_chain"] = t => F.Tanh(F.Sigmoid(t[0])),
        ["clamp"] = t => t[0].Clamp(-0.5, 0.7),
        ["clamp_min"] = t => t[0].Clamp(min: -0.5),
        ["clamp_max"] = t => t[0].Clamp(max: 0.7),
        ["nan_to_num"] = t => t[0].NanToNum(1.5, 3.0, -3.0),
        ["clamp_tensor"] = t => t[0].Clamp(t[1], t[2]),
        ["clamp_tensor_min"] = t => t[0].Clamp(min: t[1]),
        ["clamp_tensor_max"] = t => t[0].Clamp(max: t[1]),
        ["pow_tensor"] = t => t[0].Pow(t[1]),
        ["pow_tensor_broadcast"] = t => t[0].Pow(t[1]),
        ["pow_tensor_zero_base"] = t => t[0].Pow(t[1]),
        ["pow_number_base"] = t => Tensor.Pow(2.5, t[0]),
        ["pow_zero_number_base"] = t => Tensor.Pow(0.0, t[0]),
        ["atan2"] = t => t[0].Atan2(t[1]),
        ["atan2_number"] = t => t[0].Atan2(-1.5),
        ["hypot"] = t => t[0].Hypot(t[1]),
        ["hypot_number"] = t => t[0].Hypot(0.75),
        ["maximum"] = t => t[0].Maximum(t[1]),
        ["minimum"] = t => t[0].Minimum(t[1]),
        ["fmax"] = t => t[0].Fmax(t[1]),
        ["fmin"] = t => t[0].Fmin(t[1]),
        ["remainder"] = t => t[0] % t[1],
        ["remainder_number"] = t => t[0].Remainder(1.5),
        ["fmod"] = t => t[0].Fmod(t[1]),
        ["fmod_number"] = t => t[0].Fmod(-1.5),
        ["copysign"] = t => t[0].Copysign(t[1]),
        ["copysign_number"] = t => t[0].Copysign(-2.0),
        ["div_floor"] = t => t[0].Div(t[1], "floor"),
        ["div_trunc_number"] = t => t[0].Div(1.5, "trunc"),
        ["where"] = t => Tensor.Where(t[0], t[1], t[2]),
        ["where_number_other"] = t => Tensor.Where(t[0], t[1], 2.5),
        ["where_number_self"] = t => Tensor.Where(t[0], 2.5, t[1]),
        ["lerp_number"] = t => t[0].Lerp(t[1], 0.3),
        ["lerp_tensor"] = t => t[0].Lerp(t[1], t[2]),
        ["addcmul"] = t => t[0].Addcmul(t[1], t[2], 2.0),
        ["addcmul_default"] = t => t[0].Addcmul(t[1], t[2]),
        ["addcdiv"] = t => t[0].Addcdiv(t[1], t[2], -0.5),
        ["masked_fill"] = t => t[0].MaskedFill(t[1], 2.5),
        ["masked_fill_tensor"] = t => t[0].MaskedFill(t[1], t[2]),
    };

    // Ops whose backward formula needs an op Compute does not have yet (lgamma's derivative is
    // digamma, whose own derivative is polygamma(1, x)): first order is checked, and the second
    // order must fail with a clear error instead of silently dropping a term.
    [TestCaseSource(nameof(Cases))]
    public void FirstAndSecondOrderMatchTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        string name = c.GetProperty("name").GetString()!;
        (Tensor[] t, int[] diff, Tensor[] wrt) = Inputs(c);

        Tensor output = Expressions[name](t);
        AssertClose(output, c.GetProperty("expected"), "output");
        Assert.That(output.GradFn?.Name, Is.EqualTo(c.GetProperty("grad_fn").GetString()), "node name");

        Tensor gradOutput = ReferenceFixture.Build(c.GetProperty("grad_output"));
        Tensor?[] grads = Autograd.Grad(new[] { output }, wrt, new[] { gradOutput }, createGraph: true, allowUnused: true);
        JsonElement[] expectedGrads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int k = 0; k < diff.Length; k++)
        {
            AssertClose(grads[k] ?? Tensor.ZerosLike(wrt[k]), expectedGrads[diff[k]], $"grad of input {diff[k]}");
        }

        // The second-order product sum_k sum(grads[k] * v_k); constant first gradients add nothing.
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
        // lgamma's second derivative is trigamma, which PyTorch computes with a truncated
        // asymptotic series accurate to about 5e-10 relative (measured against mpmath in
        // gen_polygamma.py); Compute's polygamma(1) agrees with mpmath to ~1e-15, so the
        // comparison with PyTorch can only be as close as PyTorch's own error.
        double relative = name == "lgamma" ? 1e-9 : 1e-12;
        for (int k = 0; k < diff.Length; k++)
        {
            AssertClose(second[k] ?? Tensor.ZerosLike(wrt[k]), expectedSecond[diff[k]], $"second-order product, input {diff[k]}", relative);
        }
    }

    // Without createGraph the activations' first-order backward runs their fused native kernel
    // (cmp_<op>_backward) instead of the recorded composition: the gradients must still be
    // torch's. (The test above, with createGraph, covers the composition.)
    [TestCaseSource(nameof(Cases))]
    public void FirstOrderWithoutGraphMatchesTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        (Tensor[] t, int[] diff, Tensor[] wrt) = Inputs(c);
        Tensor output = Expressions[c.GetProperty("name").GetString()!](t);
        Tensor gradOutput = ReferenceFixture.Build(c.GetProperty("grad_output"));
        Tensor?[] grads = Autograd.Grad(new[] { output }, wrt, new[] { gradOutput }, allowUnused: true);
        JsonElement[] expectedGrads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int k = 0; k < diff.Length; k++)
        {
            Assert.That(grads[k]?.RequiresGrad ?? false, Is.False, "a first-order gradient records nothing");
            AssertClose(grads[k] ?? Tensor.ZerosLike(t[diff[k]]), expectedGrads[diff[k]], $"grad of input {diff[k]}");
        }
    }

    // The fused kernels and the compositions kept for createGraph are one formula: in float32,
    // over both sides of every branch point, the far tails, +-inf and NaN, they agree to a few
    // float32 roundings and give NaN at the same places.
    [Test]
    public void FusedActivationBackwardAgreesWithComposition()
    {
        using var scope = TensorScope.Begin();
        var values = new List<float>();
        for (int i = -160; i <= 160; i++)
        {
            values.Add(i / 20f);
        }
        values.AddRange([-3f, 3f, 6f, -0.5f, 2f, 1.5f, -30f, 30f, -100f, 100f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -0f]);
        var activations = new Dictionary<string, Func<Tensor, Tensor>>
        {
            ["gelu"] = x => F.Gelu(x),
            ["gelu_tanh"] = x => F.Gelu(x, "tanh"),
            ["silu"] = x => F.Silu(x),
            ["mish"] = x => F.Mish(x),
            ["softplus"] = x => F.Softplus(x, 2.0, 3.0),
            ["elu"] = x => F.Elu(x, 1.3),
            ["selu"] = x => F.Selu(x),
            ["celu"] = x => F.Celu(x, 0.7),
            ["hardswish"] = x => F.Hardswish(x),
            ["hardsigmoid"] = x => F.Hardsigmoid(x),
            ["logsigmoid"] = x => F.LogSigmoid(x),
            ["leaky_relu"] = x => F.LeakyRelu(x, 0.2),
            ["hardtanh"] = x => F.Hardtanh(x, -0.5, 2.0),
            ["relu6"] = x => F.Relu6(x),
            ["sigmoid"] = x => F.Sigmoid(x),
            ["tanh"] = x => F.Tanh(x),
        };
        Tensor input = Tensor.From(values.ToArray());
        Tensor g = Tensor.From(values.Select((_, i) => (i % 7 - 3.25f) * 0.5f).ToArray());
        foreach ((string name, Func<Tensor, Tensor> f) in activations)
        {
            Tensor x = input.Detach().RequiresGradInPlace();
            Tensor y = f(x);
            float[] fused = Autograd.Grad(new[] { y }, new[] { x }, new[] { g })[0]!.ToArray<float>();
            Tensor x2 = input.Detach().RequiresGradInPlace();
            float[] composed = Autograd.Grad(new[] { f(x2) }, new[] { x2 }, new[] { g }, createGraph: true)[0]!.ToArray<float>();
            for (int i = 0; i < fused.Length; i++)
            {
                string at = $"{name}'({values[i]})";
                if (float.IsNaN(composed[i]))
                {
                    Assert.That(fused[i], Is.NaN, at);
                    continue;
                }
                Assert.That(fused[i], Is.EqualTo(composed[i]).Within(2e-6 * (1 + Math.Abs(composed[i]))), at);
            }
        }
    }

    // The case's inputs (requiring grad as the fixture says), the indices of those that do, and
    // those inputs themselves.
    private static (Tensor[] All, int[] Diff, Tensor[] Wrt) Inputs(JsonElement c)
    {
        Tensor[] t = c.GetProperty("inputs").EnumerateArray()
            .Select(j => ReferenceFixture.Build(j).RequiresGradInPlace(j.GetProperty("requires_grad").GetBoolean())).ToArray();
        int[] diff = Enumerable.Range(0, t.Length).Where(i => t[i].RequiresGrad).ToArray();
        return (t, diff, diff.Select(i => t[i]).ToArray());
    }

    // float64 on both sides with the same formulas: a few roundings of each element's
    // magnitude apart. NaN is expected where torch gives NaN (0 * log 0 at a zero base).
    private static void AssertClose(Tensor actual, JsonElement expected, string what, double relative = 1e-12)
    {
        using Tensor e = ReferenceFixture.Build(expected);
        Assert.That(actual.Shape, Is.EqualTo(e.Shape), what + " shape");
        Assert.That(actual.DType, Is.EqualTo(DType.Float64), what + " dtype");
        double[] a = actual.Contiguous().ToArray<double>();
        double[] x = e.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsInfinity(x[i]))
            {
                Assert.That(a[i], Is.EqualTo(x[i]), $"{what}, element {i}");
                continue;
            }
            Assert.That(a[i], Is.EqualTo(x[i]).Within(relative * (1 + Math.Abs(x[i]))), $"{what}, element {i}");
        }
    }

    private static Tensor Leaf(params double[] values) => Tensor.From(values).RequiresGradInPlace();

    [Test]
    public void GradCheckAndGradGradCheckAgreeWithFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(0.3, -1.2, 0.8, 2.1), y = Leaf(1.1, 0.4, -0.9, 1.7), w = Leaf(0.2, 0.7, 0.4, 0.9);
        var functions = new Dictionary<string, (Func<Tensor[], Tensor> F, Tensor[] Inputs)>
        {
            ["atan2"] = (a => a[0].Atan2(a[1]), new[] { x, y }),
            ["pow"] = (a => a[0].Abs().Pow(a[1]), new[] { y, x }),
            ["lerp"] = (a => a[0].Lerp(a[1], a[2]), new[] { x, y, w }),
            ["gelu_tanh"] = (a => a[0].Gelu("tanh"), new[] { x }),
            ["mish"] = (a => a[0].Mish(), new[] { x }),
            ["softplus"] = (a => a[0].Softplus(2.0, 3.0), new[] { x }),
            ["erfinv"] = (a => a[0].Erfinv(), new[] { w }),
            ["addcdiv"] = (a => a[0].Addcdiv(a[1], a[2], 0.5), new[] { x, y, w }),
            ["clamp_tensor"] = (a => a[0].Clamp(a[1], a[2]), new[] { x, w - 1, y + 1 }),
            ["hypot"] = (a => a[0].Hypot(a[1]), new[] { x, y }),
        };
        foreach ((string name, var (f, inputs)) in functions)
        {
            Tensor[] leaves = inputs.Select(i => i.Detach().RequiresGradInPlace()).ToArray();
            Assert.That(Autograd.GradCheck(f, leaves), Is.True, name);
            Assert.That(Autograd.GradGradCheck(f, leaves), Is.True, name + " (second order)");
        }
    }

    [Test]
    public void RemainderOfANumberByATensorAndFloorDivideHaveNoDerivativeAsInPyTorch()
    {
        using var scope = TensorScope.Begin();
        Tensor y = Leaf(0.7, 1.3);
        foreach (Tensor r in new[] { 5.0 % y, y.FloorDivide(0.5), y.FloorDivide(y) })
        {
            Assert.That(r.RequiresGrad, Is.True);
            Assert.That(() => r.Sum().Backward(), Throws.TypeOf<NotSupportedException>().With.Message.Contains("not implemented"));
        }
    }

    [Test]
    public void ComparisonsAndIntegerResultsDoNotRecord()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Leaf(0.5, -2.0, 3.0);
        foreach (Tensor r in new[] { x.Gt(0), x.Eq(x), x.IsNan(), x.IsFinite(), x.Lt(1.0), x.LogicalNot() })
        {
            Assert.That(r.DType, Is.EqualTo(DType.Bool));
            Assert.That(r.RequiresGrad, Is.False);
            Assert.That(r.GradFn, Is.Null);
        }
    }

    [Test]
    public void InPlaceFormsRecordTrackedOperandsAndRefuseLeaves()
    {
        // Gradient values of in-place programs are checked against PyTorch in AutogradInPlaceTests.
        using var scope = TensorScope.Begin();
        Tensor tracked = Leaf(0.5, 1.5), plain = Tensor.From(new[] { 1.0, 2.0 });
        Assert.That(plain.Clone().AddcmulInPlace(tracked, plain).GradFn!.Name, Is.EqualTo("AddcmulBackward0"));
        Assert.That(plain.Clone().LerpInPlace(plain, tracked).GradFn!.Name, Is.EqualTo("LerpBackward1"));
        Assert.That(plain.Clone().ClampInPlace(tracked, plain).RequiresGrad, Is.True);
        Assert.That(() => tracked.ClampInPlace(0.0, 1.0), Throws.InvalidOperationException.With.Message.Contains("a leaf Variable"));
        Assert.That(() => tracked.NanToNumInPlace(), Throws.InvalidOperationException.With.Message.Contains("a leaf Variable"));
    }
}
