using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// polygamma against torch.polygamma and the gradients it gives digamma, lgamma and polygamma
/// itself against torch.autograd (fixture polygamma.json, made by tests/reference/gen_polygamma.py).
/// </summary>
public class PolygammaTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("polygamma.json", "Polygamma");

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        Tensor x = ReferenceFixture.Build(c.GetProperty("input"));
        if (c.GetProperty("kind").GetString() == "grad")
        {
            CheckGradients(c, x);
            return;
        }
        long n = c.GetProperty("n").GetInt64();
        if (c.TryGetProperty("error", out _))
        {
            Assert.That(() => x.Polygamma(n), Throws.InstanceOf<ArgumentException>()
                .With.Message.Contains("polygamma").And.Message.Contains("n must be non-negative"));
            return;
        }
        Tensor expected = ReferenceFixture.Build(c.GetProperty("expected"));
        Tensor actual = x.Polygamma(n);
        Assert.That(actual.DType, Is.EqualTo(expected.DType), "dtype");
        AssertWithin(actual, expected, ReferenceFixture.Build(c.GetProperty("abs_bound")).ToArray<double>(), "polygamma");

        // The in-place form and the static torch.polygamma(n, x) spelling give the same values.
        if (x.DType.IsFloatingPoint())
        {
            Tensor inPlace = x.Clone().PolygammaInPlace(n);
            Assert.That(inPlace.To(DType.Float64).ToArray<double>(), Is.EqualTo(actual.To(DType.Float64).ToArray<double>()).AsCollection, "in place");
        }
        Assert.That(Tensor.Polygamma(n, x).To(DType.Float64).ToArray<double>(), Is.EqualTo(actual.To(DType.Float64).ToArray<double>()));
    }

    // |actual - expected| <= bound elementwise (bound from the fixture: PyTorch's own distance
    // from the exact value plus 4 ulps); NaN and infinities must match exactly.
    private static void AssertWithin(Tensor actual, Tensor expected, double[] bound, string what)
    {
        double[] a = actual.To(DType.Float64).ToArray<double>();
        double[] e = expected.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(e[i]) || double.IsInfinity(e[i]))
            {
                Assert.That(a[i], Is.EqualTo(e[i]), $"{what}, element {i}");
                continue;
            }
            Assert.That(Math.Abs(a[i] - e[i]), Is.LessThanOrEqualTo(bound[i]), $"{what}, element {i}: {a[i]} vs {e[i]}");
        }
    }

    private static void CheckGradients(JsonElement c, Tensor input)
    {
        Func<Tensor, Tensor> f = c.GetProperty("op").GetString() switch
        {
            "digamma" => t => t.Digamma(),
            "lgamma" => t => t.Lgamma(),
            "polygamma2" => t => t.Polygamma(2),
            var op => throw new ArgumentException(op),
        };
        Tensor x = input.RequiresGradInPlace();
        Tensor v = ReferenceFixture.Build(c.GetProperty("v"));
        Tensor g = Autograd.Grad(f(x).Sum(), x, createGraph: true);
        Tensor second = Autograd.Grad((g * v).Sum(), x);
        // float64 throughout, the same formulas on both sides: a few roundings apart, except
        // that the next polygamma order PyTorch uses may be its trigamma (5e-10 relative).
        AssertClose(g, ReferenceFixture.Build(c.GetProperty("grad")), 1e-9, "first derivative");
        AssertClose(second, ReferenceFixture.Build(c.GetProperty("second")), 1e-9, "second-order product");
        Assert.That(Autograd.GradCheck(t => f(t[0]), [x.Detach().RequiresGradInPlace()]), Is.True, "gradcheck");
    }

    private static void AssertClose(Tensor actual, Tensor expected, double relative, string what)
    {
        double[] a = actual.ToArray<double>(), e = expected.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(e[i]).Within(relative * (1 + Math.Abs(e[i]))), $"{what}, element {i}");
        }
    }

    [Test]
    public void DigammaGradientIsTrigamma()
    {
        using var x = Tensor.From(new[] { 0.5, 1.0, 4.0 }).RequiresGradInPlace();
        x.Digamma().Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(x.Detach().Polygamma(1).ToArray<double>()));
        Assert.That(x.Digamma().GradFn!.Name, Is.EqualTo("DigammaBackward0"));
    }
}
