using System.Text.Json;
using Compute;
using Compute.Optim;
using Compute.Tests.Reference;

namespace Compute.Tests.Optim;

/// <summary>
/// SGD, Adam, AdamW, RMSprop and Adagrad (option sets and parameter groups) against torch.optim
/// 1.13 over several steps (fixture optim.json), and the state-dict round trip through the
/// checkpoint form (ToTensors + ToJson): resuming continues bit-identically. Tolerance: the
/// fixture's per-element bound (derived in tests/reference/gen_optim.py).
/// </summary>
public class OptimizerReferenceTests
{
    private static IEnumerable<TestCaseData> Cases() => OptimFixture.Cases("optimizer", "Optim");

    private static List<Tensor> Params(JsonElement c) =>
        c.GetProperty("params").EnumerateArray().Select(p => ReferenceFixture.Build(p).RequiresGradInPlace()).ToList();

    private static void SetGrads(JsonElement c, int step, IReadOnlyList<Tensor> ps)
    {
        JsonElement grads = c.GetProperty("grads")[step];
        for (int i = 0; i < ps.Count; i++)
        {
            ps[i].Grad = ReferenceFixture.Build(grads[i]);
        }
    }

    private static void AssertStep(JsonElement c, int step, IReadOnlyList<Tensor> ps)
    {
        JsonElement s = c.GetProperty("steps")[step];
        for (int i = 0; i < ps.Count; i++)
        {
            var tol = new Tolerance(BoundScale: 1.0, AbsBound: s.GetProperty("bound")[i]);
            ReferenceFixture.AssertMatches(ps[i].Detach(), s.GetProperty("expected")[i], tol);
        }
    }

    private static double[] Values(Tensor t)
    {
        using Tensor d = t.Detach().To(DType.Float64);
        return d.ToArray<double>();
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        List<Tensor> ps = Params(c);
        Optimizer opt = OptimFixture.BuildOptimizer(c, ps);
        int steps = c.GetProperty("steps").GetArrayLength();
        for (int k = 0; k < steps; k++)
        {
            SetGrads(c, k, ps);
            opt.Step();
            AssertStep(c, k, ps);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void StateDictRoundTripResumesBitIdentically(JsonElement c)
    {
        int resumeAt = c.GetProperty("resume_at").GetInt32();
        int steps = c.GetProperty("steps").GetArrayLength();
        List<Tensor> straight = Params(c);
        Optimizer a = OptimFixture.BuildOptimizer(c, straight);
        for (int k = 0; k < resumeAt; k++)
        {
            SetGrads(c, k, straight);
            a.Step();
        }
        // The checkpoint form: tensors under a prefix plus JSON metadata, read back.
        OptimizerStateDict saved = a.StateDict();
        var tensors = saved.ToTensors("optimizer.").ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        string json = saved.ToJson();
        List<Tensor> resumed = straight.Select(p => p.Detach().Clone().RequiresGradInPlace()).ToList();
        Optimizer b = OptimFixture.BuildOptimizer(c, resumed);
        b.LoadStateDict(OptimizerStateDict.FromTensorsAndJson(tensors, json, "optimizer."));
        for (int k = resumeAt; k < steps; k++)
        {
            SetGrads(c, k, straight);
            SetGrads(c, k, resumed);
            a.Step();
            b.Step();
            for (int i = 0; i < straight.Count; i++)
            {
                Assert.That(Values(resumed[i]), Is.EqualTo(Values(straight[i])),
                    $"parameter {i} after step {k + 1}: resumed differs from straight");
            }
            AssertStep(c, k, resumed);
        }
    }
}
