using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// What the fixtures of ModuleReferenceTests cannot show for the shrink, threshold and gated
/// activations: random slopes in training, in-place forms, NaN, integer inputs and the errors.
/// </summary>
public class ShrinkAndGateTests
{
    [Test]
    public void RreluTrainingDrawsEachNegativeSlopeWithinBoundsAndItIsTheGradient()
    {
        Tensor.ManualSeed(5);
        Tensor x = (Tensor.Randn([1000], DType.Float64) - 0.5).RequiresGradInPlace();
        var m = new RReLU(0.2, 0.3);
        Tensor y = m.Forward(x);
        y.Sum().Backward();
        double[] xs = x.Detach().ToArray<double>(), ys = y.Detach().ToArray<double>(), gs = x.Grad!.ToArray<double>();
        for (int i = 0; i < xs.Length; i++)
        {
            if (xs[i] > 0)
            {
                Assert.That((ys[i], gs[i]), Is.EqualTo((xs[i], 1.0)), $"positive input {i}");
            }
            else
            {
                Assert.That(gs[i], Is.InRange(0.2, 0.3), $"slope of negative input {i}");
                Assert.That(ys[i], Is.EqualTo(xs[i] * gs[i]).Within(1e-15), $"output of negative input {i}");
            }
        }
        Assert.That(gs.Where((g, i) => xs[i] <= 0).Distinct().Count(), Is.GreaterThan(100), "one slope per element");
    }

    [Test]
    public void RreluTrainingFollowsTheSeed()
    {
        Tensor x = Tensor.Full([50], -1.0, DType.Float64);
        Tensor.ManualSeed(9);
        double[] a = Functional.Rrelu(x, training: true).ToArray<double>();
        Tensor.ManualSeed(9);
        double[] b = Functional.Rrelu(x, training: true).ToArray<double>();
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void InplaceFormsOverwriteAndReturnTheInput()
    {
        Tensor x = Tensor.From(new[] { -2.0, 0.1, 0.5, 3.0 });
        Assert.That(new Threshold(0.2, -1, inplace: true).Forward(x), Is.SameAs(x));
        Assert.That(x.ToArray<double>(), Is.EqualTo(new[] { -1.0, -1.0, 0.5, 3.0 }));
        Tensor y = Tensor.From(new[] { -2.0, 4.0 });
        var rrelu = new RReLU(0.25, 0.25, inplace: true);
        rrelu.Eval();
        Assert.That(rrelu.Forward(y), Is.SameAs(y));
        Assert.That(y.ToArray<double>(), Is.EqualTo(new[] { -0.5, 4.0 }));
    }

    [Test]
    public void ThresholdKeepsIntegerDtypes()
    {
        Tensor y = Functional.Threshold(Tensor.From(new long[] { 1, 2, 3 }), 2, 0);
        Assert.That(y.DType, Is.EqualTo(DType.Int64));
        Assert.That(y.ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 3 }));
    }

    [Test]
    public void NanPassesThroughTheShrinks()
    {
        Tensor x = Tensor.From(new[] { double.NaN, 2.0 });
        Assert.That(double.IsNaN(Functional.Hardshrink(x).ToArray<double>()[0]));
        Assert.That(double.IsNaN(Functional.Softshrink(x).ToArray<double>()[0]));
        Assert.That(double.IsNaN(Functional.Threshold(x, 0, 5).ToArray<double>()[0]));
    }

    [Test]
    public void BadArgumentsNameTheOpAndTheShapes()
    {
        var odd = Assert.Throws<ArgumentException>(() => Functional.Glu(Tensor.Zeros(2, 3), 1));
        Assert.That(odd!.Message, Does.Contain("glu").And.Contain("[2, 3]"));
        Assert.Throws<ArgumentException>(() => Functional.Glu(Tensor.Zeros(ReadOnlySpan<long>.Empty)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Glu(Tensor.Zeros(2, 4), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Softshrink(Tensor.Zeros(2), -0.5));
        var prelu = Assert.Throws<ArgumentException>(() => Functional.Prelu(Tensor.Zeros(2, 3, 4), Tensor.Ones(4)));
        Assert.That(prelu!.Message, Does.Contain("prelu").And.Contain("[2, 3, 4]"));
        var sm = Assert.Throws<ArgumentException>(() => new Softmax2d().Forward(Tensor.Zeros(2, 3)));
        Assert.That(sm!.Message, Does.Contain("Softmax2d").And.Contain("[2, 3]"));
        Assert.Throws<ArgumentException>(() => new RReLU(0.5, 0.1));
        var ints = Assert.Throws<ArgumentException>(() => Functional.Hardshrink(Tensor.From(new long[] { 1 })));
        Assert.That(ints!.Message, Does.Contain("hardshrink").And.Contain("Int64"));
    }

    [Test]
    public void PreluHasTorchsParameterAndRepr()
    {
        var m = new PReLU(3);
        Assert.That(m.StateDict().Keys, Is.EqualTo(new[] { "weight" }));
        Assert.That(m.Weight.ToArray<float>(), Is.EqualTo(new[] { 0.25f, 0.25f, 0.25f }));
        Assert.That(m.ToString(), Does.Contain("PReLU(num_parameters=3)"));
    }

    [Test]
    public void ActivationsPrintTheirOptionsAsTorchDoes()
    {
        // Strings printed by torch 1.13's repr() of the same modules.
        Assert.That(new ReLU().ToString(), Is.EqualTo("ReLU()"));
        Assert.That(new ReLU(inplace: true).ToString(), Is.EqualTo("ReLU(inplace=True)"));
        Assert.That(new ELU(0.5, inplace: true).ToString(), Is.EqualTo("ELU(alpha=0.5, inplace=True)"));
        Assert.That(new LeakyReLU(0.2).ToString(), Is.EqualTo("LeakyReLU(negative_slope=0.2)"));
        Assert.That(new Threshold(0.1, 20.0, inplace: true).ToString(), Is.EqualTo("Threshold(threshold=0.1, value=20.0, inplace=True)"));
        Assert.That(new RReLU(0.25, 0.5, inplace: true).ToString(), Is.EqualTo("RReLU(lower=0.25, upper=0.5, inplace=True)"));
        Assert.That(new Softshrink().ToString(), Is.EqualTo("Softshrink(0.5)"));
    }
}
