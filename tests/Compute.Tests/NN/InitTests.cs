using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// Compute.NN.Init and the layers' default initialisation: bounds and moments that hold for any
/// seed. With n samples the sample variance's relative standard error is below √(2/n) (0.5% at
/// n = 100,000 for the normal, less for the uniform); the tests allow 5%, ten such errors, so
/// they fail only when the distribution is wrong.
/// </summary>
public class InitTests
{
    private static (double Mean, double Var, double MaxAbs) Moments(Tensor t)
    {
        double[] v = t.To(DType.Float64).ToArray<double>();
        double mean = v.Average();
        return (mean, v.Select(x => (x - mean) * (x - mean)).Sum() / v.Length, v.Max(Math.Abs));
    }

    [Test]
    public void LinearDefaultInitIsUniformWithinOneOverSqrtFanIn()
    {
        var lin = new Linear(400, 300);
        double bound = 1 / Math.Sqrt(400);
        var (mean, variance, maxAbs) = Moments(lin.Weight);
        Assert.That(maxAbs, Is.LessThanOrEqualTo(bound));
        Assert.That(variance, Is.EqualTo(bound * bound / 3).Within(5).Percent);
        Assert.That(Math.Abs(mean), Is.LessThan(0.05 * bound));
        var (_, _, biasMax) = Moments(lin.Bias!);
        Assert.That(biasMax, Is.LessThanOrEqualTo(bound));
    }

    [Test]
    public void KaimingAndXavierHaveTheirVariances()
    {
        var w = Tensor.Empty(500, 250);
        Init.KaimingNormalInPlace(w, mode: "fan_out", nonlinearity: "relu");
        Assert.That(Moments(w).Var, Is.EqualTo(2.0 / 500).Within(5).Percent);
        Init.KaimingUniformInPlace(w, a: 0.2);
        double gain = Math.Sqrt(2 / (1 + 0.04));
        Assert.That(Moments(w).Var, Is.EqualTo(gain * gain / 250).Within(5).Percent);
        Assert.That(Moments(w).MaxAbs, Is.LessThanOrEqualTo(gain * Math.Sqrt(3.0 / 250)));
        Init.XavierUniformInPlace(w, gain: 2);
        Assert.That(Moments(w).Var, Is.EqualTo(4 * 2.0 / 750).Within(5).Percent);
        Init.XavierNormalInPlace(w);
        Assert.That(Moments(w).Var, Is.EqualTo(2.0 / 750).Within(5).Percent);
    }

    [Test]
    public void TruncNormalStaysInItsBounds()
    {
        var w = Tensor.Empty(100000);
        Init.TruncNormalInPlace(w, mean: 1, std: 2, a: -1, b: 2);
        var (mean, _, _) = Moments(w);
        double[] v = w.ToArray<float>().Select(x => (double)x).ToArray();
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-1));
        Assert.That(v.Max(), Is.LessThanOrEqualTo(2));
        // The mean of N(1, 4) truncated to [-1, 2]: mu + sigma (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
        // with alpha = -1, beta = 0.5; phi and Phi computed here in double.
        static double Phi(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        double cdfA = 0.15865525393145707, cdfB = 0.6914624612740131; // Φ(-1), Φ(0.5): constants, from 0.5 (1 + erf(x / √2)) in Python
        double expected = 1 + 2 * (Phi(-1) - Phi(0.5)) / (cdfB - cdfA);
        Assert.That(mean, Is.EqualTo(expected).Within(0.02));
    }

    [Test]
    public void GainsAndFansFollowPyTorch()
    {
        Assert.That(Init.CalculateGain("relu"), Is.EqualTo(Math.Sqrt(2)));
        Assert.That(Init.CalculateGain("tanh"), Is.EqualTo(5.0 / 3));
        Assert.That(Init.CalculateGain("leaky_relu"), Is.EqualTo(Math.Sqrt(2 / (1 + 0.0001))));
        Assert.That(Init.CalculateGain("conv2d"), Is.EqualTo(1));
        Assert.Throws<ArgumentException>(() => Init.CalculateGain("swish"));
        Assert.That(Init.CalculateFanInAndFanOut(Tensor.Empty(8, 3, 5, 5)), Is.EqualTo((75L, 200L)));
        var ex = Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(Tensor.Empty(4)));
        Assert.That(ex!.Message, Does.Contain("fewer than 2 dimensions").And.Contain("[4]"));
        Assert.Throws<ArgumentException>(() => Init.KaimingUniformInPlace(Tensor.Empty(2, 2), mode: "fan_avg"));
    }

    [Test]
    public void InitDrawsFromTheSeededDefaultGenerator()
    {
        Tensor.ManualSeed(7);
        var a = new Linear(5, 4);
        Tensor.ManualSeed(7);
        var b = new Linear(5, 4);
        Assert.That(a.Weight.ToArray<float>(), Is.EqualTo(b.Weight.ToArray<float>()));
        Assert.That(a.Bias!.ToArray<float>(), Is.EqualTo(b.Bias!.ToArray<float>()));
        Assert.That(a.Weight.RequiresGrad && a.Weight.IsLeaf && a.Weight.GradFn is null, Is.True);
    }

    [Test]
    public void LayerDefaultInitsHaveTheirDistributions()
    {
        var emb = new Embedding(1000, 100);
        var (mean, variance, _) = Moments(emb.Weight);
        Assert.That(variance, Is.EqualTo(1.0).Within(5).Percent, "Embedding: N(0, 1)");
        Assert.That(Math.Abs(mean), Is.LessThan(0.05));
        var conv = new Conv1d(20, 300, 5);
        double bound = 1 / Math.Sqrt(20 * 5);
        var (_, convVar, convMax) = Moments(conv.Weight);
        Assert.That(convMax, Is.LessThanOrEqualTo(bound));
        Assert.That(convVar, Is.EqualTo(bound * bound / 3).Within(5).Percent, "Conv: kaiming_uniform(a = sqrt 5)");
        var tconv = new ConvTranspose2d(300, 40, 3);
        // PyTorch takes fan_in from the transposed weight [in, out/groups, k, k] as it is: size(1) * k * k.
        double tbound = 1 / Math.Sqrt(40 * 9);
        Assert.That(Moments(tconv.Weight).MaxAbs, Is.LessThanOrEqualTo(tbound));
        Assert.That(Moments(tconv.Weight).Var, Is.EqualTo(tbound * tbound / 3).Within(5).Percent);
        var ln = new LayerNorm(7);
        Assert.That(ln.Weight!.ToArray<float>().All(v => v == 1) && ln.Bias!.ToArray<float>().All(v => v == 0), Is.True);
    }
}
