using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.NN;

/// <summary>ModuleList, ModuleDict, ParameterList, Summary, Dropout modules, orthogonal init and torch.nn.utils.</summary>
public class ContainerAndUtilsTests
{
    [Test]
    public void ModuleListRegistersByPositionAndRenumbers()
    {
        var list = new ModuleList(new Linear(2, 3), new ReLU());
        list.Append(new Linear(3, 1));
        Assert.That(list.Count, Is.EqualTo(3));
        Assert.That(list.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }));
        list.Insert(0, new Linear(1, 2, bias: false));
        Assert.That(list.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "1.weight", "1.bias", "3.weight", "3.bias" }));
        Module removed = list.RemoveAt(1);
        Assert.That(removed, Is.InstanceOf<Linear>());
        Assert.That(list.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "2.weight", "2.bias" }));
        Assert.That(list[-1], Is.SameAs(list[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = list[3]);
    }

    [Test]
    public void ModuleDictKeepsInsertionOrder()
    {
        var dict = new ModuleDict { { "enc", new Linear(2, 2) }, { "act", new Tanh() } };
        dict["dec"] = new Linear(2, 1);
        Assert.That(dict.Keys, Is.EqualTo(new[] { "enc", "act", "dec" }));
        Assert.That(dict.StateDict().Keys, Is.EqualTo(new[] { "enc.weight", "enc.bias", "dec.weight", "dec.bias" }));
        Assert.That(dict.Remove("act"), Is.True);
        Assert.That(dict.ContainsKey("act"), Is.False);
        Assert.Throws<KeyNotFoundException>(() => _ = dict["act"]);
    }

    [Test]
    public void ParameterListWrapsTensorsAndSharesStorage()
    {
        Tensor t = Tensor.Zeros(3);
        var list = new ParameterList(t, new Parameter(Tensor.Ones(2)));
        Assert.That(list.StateDict().Keys, Is.EqualTo(new[] { "0", "1" }));
        Assert.That(list[0].RequiresGrad, Is.True);
        using (Autograd.NoGrad())
        {
            t.Fill(4);
        }
        Assert.That(list[0].ToArray<float>(), Is.EqualTo(new float[] { 4, 4, 4 }));
        Assert.That(list.Parameters().Count(), Is.EqualTo(2));
    }

    [Test]
    public void SummaryListsLayersShapesAndCounts()
    {
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Sequential(new Linear(8, 3), new BatchNorm1d(3)));
        model.Train();
        string table = model.Summary(2, 4);
        string[] lines = table.Split('\n');
        Assert.That(lines.Any(l => l.StartsWith("├─Linear: 1-1") && l.Contains("[2, 8]") && l.TrimEnd().EndsWith("40")), Is.True, table);
        Assert.That(lines.Any(l => l.StartsWith("├─ReLU: 1-2") && l.Contains("[2, 8]") && l.TrimEnd().EndsWith("--")), Is.True, table);
        Assert.That(lines.Any(l => l.StartsWith("│    └─Linear: 2-1") && l.Contains("[2, 3]") && l.TrimEnd().EndsWith("27")), Is.True, table);
        Assert.That(lines.Any(l => l.Contains("BatchNorm1d: 2-2") && l.TrimEnd().EndsWith("6")), Is.True, table);
        Assert.That(table, Does.Contain("Total params: 73").And.Contain("Trainable params: 73").And.Contain("Non-trainable params: 0"));
        // The pass ran in eval mode without changing the running stats, and modes are restored.
        var bn = (BatchNorm1d)((Sequential)model[2])[1];
        Assert.That(bn.NumBatchesTracked!.Item<long>(), Is.EqualTo(0));
        Assert.That(model.Modules().All(m => m.Training), Is.True);
        Assert.That(model.Modules().All(m => m is not Linear l || !l.Weight.RequiresGrad || l.Weight.Grad is null), Is.True);
    }

    [Test]
    public void DropoutZeroesAndScalesInTrainingOnly()
    {
        var drop = new Dropout(0.25);
        Tensor x = Tensor.Ones(200, 100);
        float[] y = drop.Forward(x).ToArray<float>();
        Assert.That(y.All(v => v == 0 || Math.Abs(v - 1 / 0.75f) < 1e-6), Is.True);
        double kept = y.Count(v => v != 0) / (double)y.Length;
        // 20,000 Bernoulli(0.75) draws: standard error 0.003; 0.02 is six of them.
        Assert.That(kept, Is.EqualTo(0.75).Within(0.02));
        drop.Eval();
        Assert.That(drop.Forward(x).ToArray<float>().All(v => v == 1), Is.True);
        var channels = new Dropout2d(0.5);
        float[] c = channels.Forward(Tensor.Ones(4, 50, 3, 3)).ToArray<float>();
        for (int i = 0; i < c.Length; i += 9)
        {
            Assert.That(c.Skip(i).Take(9).Distinct().Count(), Is.EqualTo(1), "a whole channel is kept or dropped");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dropout(1.5));
    }

    [Test]
    public void OrthogonalInitGivesOrthonormalRowsOrColumns()
    {
        foreach (long[] shape in new[] { new long[] { 6, 4 }, new long[] { 3, 8 }, new long[] { 4, 2, 3 } })
        {
            Tensor w = Init.OrthogonalInPlace(Tensor.Empty(shape), gain: 2);
            Tensor m = w.Reshape(shape[0], -1).To(DType.Float64);
            bool tall = m.Size(0) >= m.Size(1);
            Tensor gram = tall ? m.T.MatMul(m) : m.MatMul(m.T);
            long n = gram.Size(0);
            double[] g = gram.ToArray<double>();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    // Float32 storage of the entries: |error| of a dot of <= 8 terms is well below 1e-5 * gain².
                    Assert.That(g[i * n + j], Is.EqualTo(i == j ? 4.0 : 0.0).Within(1e-5), $"shape {string.Join("x", shape)} ({i}, {j})");
                }
            }
        }
        Assert.Throws<ArgumentException>(() => Init.OrthogonalInPlace(Tensor.Empty(5)));
    }

    private static IEnumerable<TestCaseData> UtilCases() => ReferenceFixture.Cases("nn_utils.json", "NNUtils");

    /// <summary>
    /// Tolerance: the total norm sums fewer than 32 float32 terms and the coefficient divides by it,
    /// so a correct float32 result is within 64 ulps (relative 64 · 2⁻²³) of PyTorch's.
    /// </summary>
    [TestCaseSource(nameof(UtilCases))]
    public void ClipGradMatchesTorch(JsonElement c)
    {
        Parameter[] ps = c.GetProperty("grads").EnumerateArray().Select(g =>
        {
            Tensor grad = ReferenceFixture.Build(g);
            var p = new Parameter(Tensor.ZerosLike(grad)) { Grad = grad };
            return p;
        }).ToArray();
        JsonElement expected = c.GetProperty("expected");
        if (c.GetProperty("op").GetString() == "clip_grad_norm")
        {
            JsonElement nt = c.GetProperty("norm_type");
            double normType = nt.ValueKind == JsonValueKind.String ? double.PositiveInfinity : nt.GetDouble();
            Tensor total = Utils.ClipGradNorm(ps, c.GetProperty("max_norm").GetDouble(), normType);
            AssertRelative(total, expected.GetProperty("total_norm"));
        }
        else
        {
            Utils.ClipGradValue(ps, c.GetProperty("clip_value").GetDouble());
        }
        JsonElement[] grads = expected.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < ps.Length; i++)
        {
            AssertRelative(ps[i].Grad!, grads[i]);
        }
    }

    private static void AssertRelative(Tensor actual, JsonElement spec)
    {
        using Tensor expected = ReferenceFixture.Build(spec);
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
        double[] a = actual.To(DType.Float64).ToArray<double>(), e = expected.To(DType.Float64).ToArray<double>();
        double scale = Math.Max(e.Max(Math.Abs), 1e-30);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(e[i]).Within(64 * Math.ScaleB(1.0, -23) * scale), $"element {i}");
        }
    }

    [Test]
    public void ClipGradNormRejectsNonFiniteWhenAsked()
    {
        var p = new Parameter(Tensor.Zeros(2)) { Grad = Tensor.From(new[] { float.PositiveInfinity, 1f }) };
        var ex = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm([p], 1.0, errorIfNonfinite: true));
        Assert.That(ex!.Message, Does.Contain("non-finite"));
        Assert.That(Utils.ClipGradNorm(Array.Empty<Tensor>(), 1.0).Item<float>(), Is.EqualTo(0));
    }

    [Test]
    public void ParametersRoundTripThroughAVector()
    {
        var lin = new Linear(3, 2);
        Tensor vec = Utils.ParametersToVector(lin.Parameters());
        Assert.That(vec.Shape, Is.EqualTo(new long[] { 8 }));
        Assert.That(vec.ToArray<float>().Take(6), Is.EqualTo(lin.Weight.ToArray<float>()));
        Parameter w = lin.Weight;
        Utils.VectorToParameters(Tensor.Arange(8).To(DType.Float32), lin.Parameters());
        Assert.That(lin.Weight, Is.SameAs(w));
        Assert.That(w.ToArray<float>(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }));
        Assert.That(lin.Bias!.ToArray<float>(), Is.EqualTo(new float[] { 6, 7 }));
        var ex = Assert.Throws<ArgumentException>(() => Utils.VectorToParameters(Tensor.Zeros(7), lin.Parameters()));
        Assert.That(ex!.Message, Does.Contain("8 elements").And.Contain("[7]"));
    }

    [Test]
    public void LayersValidateTheirArguments()
    {
        Assert.Throws<ArgumentException>(() => _ = new Conv2d(3, 4, 3, groups: 2));
        Assert.Throws<ArgumentException>(() => _ = new Conv2d(2, 4, [3], "same", stride: [2]));
        Assert.Throws<ArgumentException>(() => _ = new GroupNorm(3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Embedding(4, 2, paddingIdx: 4));
        Assert.That(new Embedding(4, 2, paddingIdx: -1).PaddingIdx, Is.EqualTo(3));
        var bn = new BatchNorm2d(3);
        var ex = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 3)));
        Assert.That(ex!.Message, Does.Contain("4D").And.Contain("[2, 3]"));
    }

    [Test]
    public void EmbeddingFromPretrainedSharesAndFreezes()
    {
        Tensor table = Tensor.Arange(6).To(DType.Float32).Reshape(3, 2);
        var emb = Embedding.FromPretrained(table);
        Assert.That(emb.Weight.RequiresGrad, Is.False);
        Assert.That(emb.Forward(Tensor.From(new long[] { 2, 0 })).ToArray<float>(), Is.EqualTo(new float[] { 4, 5, 0, 1 }));
        Assert.That(Embedding.FromPretrained(table, freeze: false).Weight.RequiresGrad, Is.True);
        var init = new Embedding(5, 3, paddingIdx: 2);
        Assert.That(init.Weight.Select(0, 2).ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0 }));
    }

    [Test]
    public void LayerDefaultInitsFollowPyTorch()
    {
        var conv = new Conv2d(8, 16, 3);
        double bound = 1 / Math.Sqrt(8 * 9);
        Assert.That(conv.Weight.Abs().Max().Item<float>(), Is.LessThanOrEqualTo(bound));
        Assert.That(conv.Bias!.Abs().Max().Item<float>(), Is.LessThanOrEqualTo(bound));
        var bn = new BatchNorm1d(4);
        Assert.That(bn.Weight!.ToArray<float>().All(v => v == 1) && bn.Bias!.ToArray<float>().All(v => v == 0), Is.True);
        Assert.That(bn.RunningVar!.ToArray<float>().All(v => v == 1), Is.True);
        Assert.That(bn.NumBatchesTracked!.DType, Is.EqualTo(DType.Int64));
        var bil = new Bilinear(25, 3, 2);
        Assert.That(bil.Weight.Abs().Max().Item<float>(), Is.LessThanOrEqualTo(0.2));
    }
}
