using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The autograd engine against torch.autograd (fixture autograd.json, made by
/// tests/reference/gen_autograd.py): the same expression is built here under the case's name,
/// backward runs, and every leaf's Grad must equal PyTorch's to float64 rounding.
/// </summary>
public class AutogradTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autograd.json", "Autograd");

    private static Tensor Hvp(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        Tensor g = Autograd.Grad(f(x), x, createGraph: true);
        return (g * v).Sum();
    }

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Expressions = new()
    {
        ["mlp"] = t => (t[0].MatMul(t[1]) + t[2]).Tanh().MatMul(t[3]).Sigmoid().Sum(),
        ["broadcast_arith"] = t => ((t[0] / t[1]) * t[0] - t[1] + 2).Exp().Mean(),
        ["scalar_forms"] = t => (2 - t[0]) / 3 + 4 / t[0] * 5 - t[0] * 0.5 + 1.5 * t[0] - (t[0] + 1) * 2,
        ["unary_chain"] = t => (t[0].Pow(3) + t[0].Sqrt() + t[0].Log() + t[0].Abs() + t[0].Sin() * t[0].Cos()
                                + t[0].Relu() - t[0].Neg() + t[0].Pow(0.5) + t[0].Pow(0)).Sum(),
        ["views"] = t => (t[0].Permute(2, 0, 1).Reshape(4, 6).T.Unsqueeze(0).Expand(2, 6, 4) * t[1]).Sum(new long[] { 0, 2 }),
        ["reductions"] = t => t[0].Sum(1).Mean(-1, keepDim: true) * t[0].Mean() + t[0].Sum(new long[] { 0, 2 }, keepDim: true).Sum(),
        ["matmul_shapes"] = t => t[0].MatMul(t[1]).MatMul(t[2]) + t[3].MatMul(t[4]).MatMul(t[5]).Sum(),
        ["squeeze_view"] = t => (t[0].Squeeze() * 2).Sum() + t[0].Squeeze(-1).Pow(2).Sum() + t[0].View(3).Sum(),
        ["shared_input"] = t => t[0] * t[0] + t[0] / (t[0] + 3),
        ["prod_zeros"] = t => t[0].Prod(1).Sum() + t[0].Prod() * 0.1 + t[0].Slice(0, 0, 2).Prod() + t[0].Prod(0, keepDim: true).Sum(),
        ["extremes"] = t => t[0].Amax(1).Sum() + t[0].Amin(new long[] { 0, 1 }) + t[0].Max() + t[0].Min() + t[0].Max(0).Values.Sum()
                            + t[0].Min(1, keepDim: true).Values.Sum(),
        ["moments"] = t => t[0].Var(1).Sum() + t[0].Std(new long[] { 0, 1 }, correction: 0) + t[0].VarMean(1).Var.Sum() * 0.5
                           + t[0].VarMean(1).Mean.Sum() * 2 + t[0].StdMean(0, keepDim: true).Std.Sum() + t[0].StdMean(0, keepDim: true).Mean.Sum(),
        ["norms"] = t => t[0].Norm(2) + t[0].Norm(1, 1).Sum() + t[0].VectorNorm(3, 0).Sum() + t[0].VectorNorm(double.PositiveInfinity)
                         + t[0].VectorNorm(0),
        ["scans"] = t => t[0].LogSumExp(1).Sum() + t[0].CumSum(1).Pow(2).Sum() + t[0].CumProd(0).Sum(),
        ["cumprod_zero"] = t => t[0].CumProd(1),
        ["indexing"] = t =>
        {
            Tensor idx = Tensor.From(new long[] { 0, 2, 1, 3, 3, 0 }).View(3, 2);
            return (t[0].Gather(1, idx) * 2).Sum() + t[0].IndexSelect(0, Tensor.From(new long[] { 2, 0, 2 })).Pow(2).Sum()
                   + t[0].MaskedSelect(t[0] > 0).Pow(2).Sum() + t[0].Scatter(1, idx, t[1]).Pow(2).Sum()
                   + t[0].ScatterAdd(1, idx, t[1]).Pow(2).Sum() + t[0].IndexAdd(0, Tensor.From(new long[] { 0, 2 }), t[2], alpha: 2).Pow(2).Sum();
        },
        ["shape_ops"] = t =>
        {
            Tensor x = t[0];
            Tensor sum = (x.Flip(0, 2) * t[1]).Sum() + x.Roll(1, 2).Pow(2).Sum() + x.Repeat(2, 1, 1, 2).Pow(2).Sum() * 0.1
                         + (x.Tile(2) * 3).Sum() + x.Select(0, 0).Tril(-1).Pow(2).Sum() + x.Select(0, 1).Triu(1).Pow(2).Sum()
                         + x.Diagonal(0, 1, 2).Pow(2).Sum() + x.Select(0, 0).Select(1, 0).Diag(1).Pow(2).Sum()
                         + x.Select(0, 0).Slice(0, 0, 3).Slice(1, 0, 3).Diag().Pow(3).Sum();
            Tensor[] split = x.Split(2, 2);
            for (int i = 0; i < split.Length; i++)
            {
                sum = sum + split[i].Pow(2).Sum() * i;
            }
            Tensor[] chunks = x.Chunk(3, 1);
            for (int i = 0; i < chunks.Length; i++)
            {
                sum = sum + chunks[i].Sum() * (i + 1);
            }
            return sum + x.Unbind(0)[1].Pow(2).Sum();
        },
        ["linalg"] = t => t[0].Mm(t[1]).Sum() + Tensor.Bmm(t[3], t[4]).Pow(2).Sum() + t[0].Mv(t[2]).Pow(2).Sum() + t[2].Dot(t[2] * 2)
                          + Tensor.Outer(t[2], t[5]).Pow(2).Sum() + Tensor.Addmm(t[5], t[0], t[1], beta: 0.5, alpha: 2).Pow(2).Sum()
                          + Tensor.Baddbmm(t[5], t[3], t[4], beta: 2, alpha: 0.5).Sum()
                          + Tensor.Addmv(t[0].Select(1, 0), t[0], t[2], beta: 3, alpha: -1).Pow(2).Sum(),
        ["conversions"] = t => (t[0].To(DType.Float32) * 2).To(DType.Float64).Sum() + t[0].T.Contiguous().Pow(2).Sum() + t[0].Clone().Exp().Sum(),
        ["adv_indexing"] = t =>
        {
            Tensor x = t[0];
            return x[Tensor.From(new long[] { 0, 2, 0 })].Pow(2).Sum() + x[x > 0].Sum() * 2
                   + x[.., Tensor.From(new long[] { 1, 1 })].Sum() + x[TensorIndex.Ellipsis].Pow(3).Sum()
                   + x.IndexPut([Tensor.From(new long[] { 0, 1 })], t[1]).Pow(2).Sum()
                   + x.IndexPut([Tensor.From(new long[] { 1, 1 }), Tensor.From(new long[] { 0, 2 })], t[2], accumulate: true).Pow(2).Sum();
        },
        ["einsum"] = t => Tensor.Einsum("ij,jk->ik", t[0], t[1]).Pow(2).Sum() + Tensor.Einsum("iij->j", t[2]).Pow(2).Sum()
                          + Tensor.Einsum("ij,jk->i", t[0], t[1]).Pow(2).Sum() + Tensor.Einsum("...ij,jk->...ik", t[2], t[1]).Pow(2).Sum()
                          + Tensor.Einsum("ij,jk", t[0], t[1]).Sum() + Tensor.Einsum("bi,bi->b", t[0], t[0]).Pow(2).Sum()
                          + Tensor.Einsum("...j,...j->...", t[3], t[4]).Pow(2).Sum()
                          + Tensor.Einsum("iji->j", t[2].Slice(2, 0, 2)).Sum(),
        ["scatter_reduce"] = t =>
        {
            Tensor idx = Tensor.From(new long[] { 0, 2, 1, 3, 3, 0 }).View(3, 2), idx2 = Tensor.From(new long[] { 0, 0, 1, 1, 3, 3 }).View(3, 2);
            return t[0].ScatterReduce(1, idx, t[1], "sum").Pow(2).Sum() + t[0].ScatterReduce(1, idx, t[1], "mean", includeSelf: false).Pow(2).Sum()
                   + t[0].ScatterReduce(1, idx, t[1], "mean").Pow(2).Sum() + t[0].ScatterReduce(1, idx2, t[1], "amax").Pow(2).Sum()
                   + t[0].ScatterReduce(1, idx2, t[1], "amin", includeSelf: false).Pow(2).Sum()
                   + t[0].ScatterReduce(1, idx2, t[1], "prod").Pow(2).Sum() + t[0].ScatterReduce(1, idx, t[1], "prod", includeSelf: false).Pow(2).Sum();
        },
        ["scatter_reduce_prod_zeros"] = t =>
        {
            Tensor idx = Tensor.From(new long[] { 0, 2, 1, 3, 3, 0 }).View(3, 2), idx2 = Tensor.From(new long[] { 0, 0, 1, 1, 3, 3 }).View(3, 2);
            return t[0].ScatterReduce(1, idx2, t[1], "prod").Pow(2).Sum() + t[0].ScatterReduce(1, idx, t[1], "prod", includeSelf: false).Sum();
        },
        ["hvp_cubic"] = t => Hvp(a => (a.Pow(3) * t[1]).Sum(), t[0], t[2]),
        ["hvp_tanh_matmul"] = t => Hvp(p => p.MatMul(t[1]).Tanh().Sum(), t[0], t[2]),
    };

    [TestCaseSource(nameof(Cases))]
    public void GradientsMatchTorch(JsonElement c)
    {
        using var scope = TensorScope.Begin();
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor[] t = inputs.Select(j => ReferenceFixture.Build(j).RequiresGradInPlace(j.GetProperty("requires_grad").GetBoolean()))
            .ToArray();
        Tensor output = Expressions[c.GetProperty("name").GetString()!](t);
        AssertClose(output, c.GetProperty("expected"), "output");
        JsonElement go = c.GetProperty("grad_output");
        output.Backward(go.ValueKind == JsonValueKind.Null ? null : ReferenceFixture.Build(go));
        JsonElement[] grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null)
            {
                Assert.That(t[i].Grad, Is.Null, $"input {i} does not require grad");
                continue;
            }
            Assert.That(t[i].Grad, Is.Not.Null, $"input {i} got no gradient");
            AssertClose(t[i].Grad!, grads[i], $"grad of input {i}");
        }
    }

    // float64 throughout: the two sides evaluate the same formulas, so they agree to a few
    // rounding steps of each element's magnitude.
    private static void AssertClose(Tensor actual, JsonElement expected, string what)
    {
        using Tensor e = ReferenceFixture.Build(expected);
        Assert.That(actual.Shape, Is.EqualTo(e.Shape), what + " shape");
        double[] a = actual.To(DType.Float64).Contiguous().ToArray<double>();
        double[] x = e.ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.That(a[i], Is.EqualTo(x[i]).Within(1e-12 * (1 + Math.Abs(x[i]))), $"{what}, element {i}");
        }
    }

    [Test]
    public void GradFnNamesAndLeaves()
    {
        using var x = Tensor.Ones(2, 2).RequiresGradInPlace();
        using var y = x * 3;
        using var z = y.Sum();
        Assert.That(x.IsLeaf, Is.True);
        Assert.That(x.GradFn, Is.Null);
        Assert.That(y.IsLeaf, Is.False);
        Assert.That(y.GradFn!.Name, Is.EqualTo("MulBackward0"));
        Assert.That(z.GradFn!.Name, Is.EqualTo("SumBackward0"));
        Assert.That(z.GradFn.NextFunctions[0].Node, Is.SameAs(y.GradFn));
        Assert.That(y.GradFn.NextFunctions[0].Node!.Name, Is.EqualTo("AccumulateGrad"));
        using var untracked = Tensor.Ones(2) * 3;
        Assert.That(untracked.RequiresGrad, Is.False);
        Assert.That(untracked.GradFn, Is.Null);
    }

    [Test]
    public void GradientsAccumulateAndCanBeZeroedToNull()
    {
        using var x = Tensor.From(new[] { 1.0, 2.0 }).RequiresGradInPlace();
        (x * x).Sum().Backward();
        (x * x).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 4.0, 8.0 }));
        x.Grad = null;
        (x * 5).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 5.0, 5.0 }));
    }

    [Test]
    public void TwoLeavesFedTheSameGradientDoNotShareIt()
    {
        using var a = Tensor.Zeros(3).RequiresGradInPlace();
        using var b = Tensor.Zeros(3).RequiresGradInPlace();
        (a + b).Sum().Backward();
        using (Autograd.NoGrad())
        {
            a.Grad!.MulInPlace(10);
        }
        Assert.That(b.Grad!.ToArray<float>(), Is.EqualTo(new[] { 1f, 1f, 1f }));
    }

    [Test]
    public void NoGradScopesAreRestoredAndPerThread()
    {
        using var x = Tensor.Ones(2).RequiresGradInPlace();
        using (Autograd.NoGrad())
        {
            Assert.That(Autograd.IsGradEnabled, Is.False);
            using var y = x * 2;
            Assert.That(y.RequiresGrad, Is.False);
            bool other = Task.Run(() => Autograd.IsGradEnabled).Result;
            Assert.That(other, Is.True, "another thread keeps its own grad mode");
            using (Autograd.EnableGrad())
            {
                using var z = x * 2;
                Assert.That(z.RequiresGrad, Is.True);
            }
        }
        Assert.That(Autograd.IsGradEnabled, Is.True);
        using (Autograd.InferenceMode())
        {
            Assert.That(Autograd.IsInferenceMode, Is.True);
            using var w = x * 2;
            Assert.That(w.RequiresGrad, Is.False);
        }
        using (Autograd.SetGradEnabled(false))
        {
            Assert.That(Autograd.IsGradEnabled, Is.False);
        }
    }

    [Test]
    public void BackwardTwiceWithoutRetainGraphFails()
    {
        using var x = Tensor.From(new[] { 1.0, 2.0 }).RequiresGradInPlace();
        using var y = (x.Exp() * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.That(x.Grad!.ToArray<double>()[0], Is.EqualTo(2 * 2 * Math.E).Within(1e-12));
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(e!.Message, Does.Contain("second time").And.Contain("retainGraph"));
    }

    [Test]
    public void ClearErrors()
    {
        using var x = Tensor.Ones(3).RequiresGradInPlace();
        using var y = x * 2;
        Assert.That(() => y.Backward(), Throws.InvalidOperationException.With.Message.Contains("one element"));
        Assert.That(() => y.Backward(Tensor.Ones(4)), Throws.InstanceOf<ShapeMismatchException>().With.Message.Contains("[4]"));
        using var plain = Tensor.Ones(2);
        Assert.That(() => plain.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("does not require grad"));
        Assert.That(() => Tensor.Ones(new long[] { 2 }, DType.Int64).RequiresGrad = true, Throws.InstanceOf<DTypeMismatchException>());
        Assert.That(() => y.RequiresGrad = false, Throws.InvalidOperationException.With.Message.Contains("leaves"));
        Assert.That(() => x.AddInPlace(1), Throws.InvalidOperationException.With.Message.Contains("NoGrad"));
        using var unused = Tensor.Ones(3).RequiresGradInPlace();
        Assert.That(() => Autograd.Grad(new[] { y.Sum() }, new[] { unused }), Throws.InvalidOperationException.With.Message.Contains("allowUnused"));
        Tensor?[] g = Autograd.Grad(new[] { (x * 2).Sum() }, new[] { x, unused }, allowUnused: true);
        Assert.That(g[1], Is.Null);
        Assert.That(g[0]!.ToArray<float>(), Is.EqualTo(new[] { 2f, 2f, 2f }));
        Assert.That(x.Grad, Is.Null, "Autograd.Grad does not accumulate into leaves");
    }

    [Test]
    public void RetainGradAndHooks()
    {
        using var x = Tensor.From(new[] { 1.0, 2.0, 3.0 }).RequiresGradInPlace();
        using var y = x * 2;
        y.RetainGrad();
        var seen = new List<double[]>();
        using HookHandle h = y.RegisterHook(g => { seen.Add(g.ToArray<double>()); return g * 10; });
        using HookHandle leafHook = x.RegisterHook(g => g + 1);
        (y * y).Sum().Backward();
        Assert.That(seen.Single(), Is.EqualTo(new[] { 4.0, 8.0, 12.0 }));
        Assert.That(y.Grad!.ToArray<double>(), Is.EqualTo(new[] { 40.0, 80.0, 120.0 }), "retained after the hook");
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 81.0, 161.0, 241.0 }));
        h.Remove();
        leafHook.Remove();
        x.Grad = null;
        (x * 2).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 2.0, 2.0 }));
    }

    [Test]
    public void DataDependentControlFlow()
    {
        // A loop whose length depends on the data, and a recursion: y = x^(2^k) until y > 100.
        using var scope = TensorScope.Begin();
        var x = Tensor.From(new[] { 1.5 }).RequiresGradInPlace();
        Tensor y = x;
        int steps = 0;
        while (y.Item<double>() <= 100)
        {
            y = y * y;
            steps++;
        }
        static Tensor Recurse(Tensor t, int depth) => depth == 0 ? t : Recurse(t.Sin() + t, depth - 1);
        Recurse(y, 2).Sum().Backward();
        // d/dx of f(g(x)) with g = x^(2^steps), f = h(h(.)), h(t) = sin t + t.
        double v = Math.Pow(1.5, Math.Pow(2, steps));
        double dg = Math.Pow(2, steps) * v / 1.5;
        double h1 = Math.Sin(v) + v;
        double expected = (Math.Cos(h1) + 1) * (Math.Cos(v) + 1) * dg;
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(expected).Within(1e-9 * Math.Abs(expected)));
    }

    [Test]
    public void DetachLeavesTheGraph()
    {
        using var x = Tensor.Ones(2).RequiresGradInPlace();
        using var y = x * 2;
        using var d = y.Detach();
        Assert.That(d.RequiresGrad, Is.False);
        Assert.That(d.IsLeaf, Is.True);
        using var z = (d * x).Sum();
        z.Backward();
        Assert.That(x.Grad!.ToArray<float>(), Is.EqualTo(new[] { 2f, 2f }));
    }

    [Test]
    public void AnomalyModeNamesTheForwardOp()
    {
        using var x = Tensor.From(new[] { 0.0 }).RequiresGradInPlace();
        using (Autograd.DetectAnomaly())
        {
            using var y = x.Sqrt().Sum();
            var e = Assert.Throws<ArithmeticException>(() => y.Backward());
            Assert.That(e!.Message, Does.Contain("SqrtBackward0").And.Contain(nameof(AnomalyModeNamesTheForwardOp)));
        }
    }

    [Test]
    public void DroppedGraphsFreeTheirSavedTensors()
    {
        // 10,000 forward passes whose graphs are never run: disposing each output (here by
        // the scope) must free what its graph saved, without waiting for the GC.
        using var w = Tensor.Randn(64, 64).RequiresGradInPlace();
        long baseline = ComputeMemory.Stats().Allocated;
        for (int i = 0; i < 10_000; i++)
        {
            using var scope = TensorScope.Begin();
            Tensor h = (w.MatMul(w) * 2).Tanh().Sum();
            if (i % 1000 == 0)
            {
                Assert.That(ComputeMemory.Stats().Allocated - baseline, Is.LessThan(8L << 20), $"iteration {i}");
            }
        }
        Assert.That(ComputeMemory.Stats().Allocated - baseline, Is.LessThan(1L << 20));
    }

    [Test]
    public void TrainingLoopWithoutDisposeHoldsFlatMemory()
    {
        // The loop a newcomer writes: no Dispose, no scope. Graphs, saved tensors and
        // temporaries must still be reclaimed (memory pressure runs the GC), so native memory
        // stays bounded instead of growing by every step's tensors (~100 KiB a step here).
        long threshold = ComputeMemory.CollectionThreshold;
        ComputeMemory.CollectionThreshold = 16L << 20;
        try
        {
            var w = Tensor.Randn(64, 64).RequiresGradInPlace();
            var x = Tensor.Randn(32, 64);
            long baseline = ComputeMemory.Stats().Allocated, peak = 0;
            for (int i = 0; i < 10_000; i++)
            {
                var loss = x.MatMul(w).Tanh().Pow(2).Mean();
                loss.Backward();
                using (Autograd.NoGrad())
                {
                    w.SubInPlace(w.Grad! * 0.01);
                }
                w.Grad = null;
                peak = Math.Max(peak, ComputeMemory.Stats().Allocated - baseline);
            }
            Assert.That(peak, Is.LessThan(128L << 20), "10,000 steps of ~100 KiB each would be ~1 GiB without reclamation");
        }
        finally
        {
            ComputeMemory.CollectionThreshold = threshold;
        }
    }
}
