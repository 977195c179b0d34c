using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Autograd.Functional against torch.autograd.functional (autograd_functional.json), and
/// GradCheck / GradGradCheck, custom functions, view and join gradients and the DOT export.
/// </summary>
public class AutogradFunctionalTests
{
    private static readonly JsonElement Doc = Load();

    private static JsonElement Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "ReferenceFixtures", "autograd_functional.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static Tensor T(string name) => ReferenceFixture.Build(Doc.GetProperty(name));

    private static JsonElement Case(string name) =>
        Doc.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static Tensor Vec(Tensor[] x, Tensor b) => x[0].MatMul(b).Tanh() * x[0].Slice(0, 0, 2);

    private static Tensor ScalarFn(Tensor[] x, Tensor w, Tensor a) => (x[0].Pow(3) * w).Sum() + x[0].MatMul(a).MatMul(x[0]);

    private static void AssertClose(Tensor actual, JsonElement expected)
    {
        using Tensor e = ReferenceFixture.Build(expected);
        Assert.That(actual.Shape, Is.EqualTo(e.Shape));
        double[] a = actual.Contiguous().ToArray<double>(), x = e.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(x[i]).Within(1e-12 * (1 + Math.Abs(x[i]))), $"element {i}");
        }
    }

    [Test]
    public void FunctionalMatchesTorch()
    {
        using var scope = TensorScope.Begin();
        Tensor x = T("x"), a = T("a"), w = T("w"), b = T("b"), v3 = T("v3"), v2 = T("v2");
        AssertClose(Autograd.Functional.Jacobian(xs => Vec(xs, b), [x]), Case("jacobian_vec").GetProperty("expected"));
        AssertClose(Autograd.Functional.Hessian(xs => ScalarFn(xs, w, a), [x]), Case("hessian_scalar").GetProperty("expected"));
        var (vo, vjp) = Autograd.Functional.Vjp(xs => Vec(xs, b), [x], v2);
        AssertClose(vo, Case("vjp_vec").GetProperty("output"));
        AssertClose(vjp[0], Case("vjp_vec").GetProperty("expected"));
        var (jo, jvp) = Autograd.Functional.Jvp(xs => Vec(xs, b), [x], [v3]);
        AssertClose(jo, Case("jvp_vec").GetProperty("output"));
        AssertClose(jvp, Case("jvp_vec").GetProperty("expected"));
        var (ho, hvp) = Autograd.Functional.Hvp(xs => ScalarFn(xs, w, a), [x], [v3]);
        AssertClose(ho, Case("hvp_scalar").GetProperty("output"));
        AssertClose(hvp[0], Case("hvp_scalar").GetProperty("expected"));
        Assert.That(x.RequiresGrad, Is.False, "the caller's tensors are left alone");
    }

    private static Tensor Rand(params long[] shape) => Tensor.Randn(shape, DType.Float64).RequiresGradInPlace();

    [Test]
    public void GradCheckPassesForRecordedOps()
    {
        using var scope = TensorScope.Begin();
        Tensor.ManualSeed(5);
        Tensor a = Rand(3, 4), b = Rand(4, 2), c = Rand(3);
        Assert.That(Autograd.GradCheck(t => (t[0].MatMul(t[1]).Tanh() * 2 - t[0].Sum(1, keepDim: true)).Sigmoid(), [a, b]), Is.True);
        // Views and joins: slice with a step, select, narrow, cat and stack.
        Assert.That(Autograd.GradCheck(t => Tensor.Cat([t[0].Slice(1, 1, 4, 2), t[0].Narrow(0, 1, 2).Select(0, -1).Unsqueeze(1).Expand(4, 2)[0..3]], 0), [a]), Is.True);
        Assert.That(Autograd.GradCheck(t => Tensor.Stack([t[0], t[0] * t[1], t[1].Exp()], 1), [c, c.Detach().Abs().RequiresGradInPlace()]), Is.True);
        Assert.That(Autograd.GradGradCheck(t => (t[0].MatMul(t[1]).Tanh() * t[0].Sum()).Sin(), [a, b]), Is.True);
        Assert.That(Autograd.GradGradCheck(t => t[0].Div(t[1].Exp()).Sqrt(), [c.Detach().Abs().RequiresGradInPlace(), c]), Is.True);
    }

    private sealed class WrongSquare : AutogradFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        // Deliberately off by a factor: d(x^2)/dx is 2x, not 3x.
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 3 * ctx.SavedTensors[0]];
    }

    private sealed class Cube : AutogradFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            ctx.Values["scale"] = 3.0;
            return inputs[0].Pow(3);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) =>
            [gradOutput * (double)ctx.Values["scale"] * ctx.SavedTensors[0].Pow(2)];
    }

    [Test]
    public void GradCheckCatchesAWrongGradient()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Rand(4);
        Assert.That(Autograd.GradCheck(t => new WrongSquare().Apply(t[0]), [x], raiseException: false), Is.False);
        var e = Assert.Throws<ArithmeticException>(() => Autograd.GradCheck(t => new WrongSquare().Apply(t[0]), [x]));
        Assert.That(e!.Message, Does.Contain("input 0").And.Contain("analytical"));
        Assert.That(() => Autograd.GradCheck(t => t[0] * 2, [Tensor.Randn(3).RequiresGradInPlace()]),
            Throws.InstanceOf<DTypeMismatchException>().With.Message.Contains("Float64"));
    }

    [Test]
    public void CustomFunctionWorksInGraphsAndTwice()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Rand(5);
        Tensor y = new Cube().Apply(x);
        Assert.That(y.GradFn!.Name, Is.EqualTo("CubeBackward"));
        Assert.That(Autograd.GradCheck(t => new Cube().Apply(t[0].Sin()) * t[0], [x]), Is.True);
        Assert.That(Autograd.GradGradCheck(t => new Cube().Apply(t[0]), [x]), Is.True);
        using (Autograd.NoGrad())
        {
            Assert.That(new Cube().Apply(x).RequiresGrad, Is.False);
        }
    }

    [Test]
    public void ExportDotDrawsTheGraph()
    {
        using var scope = TensorScope.Begin();
        Tensor w = Rand(3, 2), x = Tensor.Randn(new long[] { 4, 3 }, DType.Float64);
        string dot = Autograd.ExportDot(x.MatMul(w).Relu().Sum());
        Assert.That(dot, Does.StartWith("digraph"));
        Assert.That(dot, Does.Contain("SumBackward0").And.Contain("ReluBackward0").And.Contain("MmBackward0").And.Contain("AccumulateGrad\\n[3, 2]"));
        Assert.That(dot.Split("->").Length - 1, Is.EqualTo(4), "leaf -> mm -> relu -> sum -> output");
    }
}
