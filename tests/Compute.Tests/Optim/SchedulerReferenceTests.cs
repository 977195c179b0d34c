using System.Text.Json;
using Compute;
using Compute.Optim;
using Compute.Tests.Reference;

namespace Compute.Tests.Optim;

/// <summary>
/// Every scheduler's learning rates (and OneCycleLR's momentum) against torch.optim.lr_scheduler
/// 1.13 (fixture optim.json), compared exactly: both libraries do the same double arithmetic with
/// the same libm. Also the state-dict round trip through JSON halfway through the schedule.
/// </summary>
public class SchedulerReferenceTests
{
    private static IEnumerable<TestCaseData> Cases() => OptimFixture.Cases("scheduler", "Scheduler");

    private static double[] Expected(JsonElement c, string key, int step) =>
        c.GetProperty(key)[step].EnumerateArray().Select(ReferenceFixture.Float).ToArray();

    private static double[] Momenta(Optimizer opt) =>
        opt.ParamGroups.Select(g => g.ContainsKey("betas") ? g.GetPair("betas").Item1 : g.GetDouble("momentum")).ToArray();

    // A scheduler of either kind behind one interface for the test.
    private sealed record Driver(Func<IReadOnlyList<double>> LastLr, Action<int> Step, Func<Dictionary<string, object?>> Save,
        Action<IReadOnlyDictionary<string, object?>> Load);

    private static Driver Build(JsonElement c, Optimizer opt)
    {
        string name = c.GetProperty("scheduler").GetString()!;
        if (name == "ReduceLROnPlateau")
        {
            ReduceLROnPlateau p = OptimFixture.BuildPlateau(c.GetProperty("options"), opt);
            return new Driver(p.GetLastLr, k => p.Step(c.GetProperty("metrics")[k].GetDouble()), p.StateDict, p.LoadStateDict);
        }
        LRScheduler s = OptimFixture.BuildScheduler(name, c.GetProperty("options"), opt);
        return new Driver(s.GetLastLr, _ => s.Step(), s.StateDict, s.LoadStateDict);
    }

    private static void AssertAt(JsonElement c, int k, Driver d, Optimizer opt)
    {
        Assert.That(d.LastLr(), Is.EqualTo(Expected(c, "lrs", k)), $"learning rates after {k} steps");
        if (c.TryGetProperty("momenta", out _))
        {
            Assert.That(Momenta(opt), Is.EqualTo(Expected(c, "momenta", k)), $"momentum after {k} steps");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        Optimizer opt = OptimFixture.BuildSchedulerOptimizer(c);
        Driver d = Build(c, opt);
        int steps = c.GetProperty("steps").GetInt32();
        AssertAt(c, 0, d, opt);
        for (int k = 1; k <= steps; k++)
        {
            opt.Step();
            d.Step(k - 1);
            AssertAt(c, k, d, opt);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void StateDictRoundTripThroughJsonResumes(JsonElement c)
    {
        int steps = c.GetProperty("steps").GetInt32(), half = steps / 2;
        Optimizer opt = OptimFixture.BuildSchedulerOptimizer(c);
        Driver d = Build(c, opt);
        for (int k = 1; k <= half; k++)
        {
            opt.Step();
            d.Step(k - 1);
        }
        OptimizerStateDict optState = opt.StateDict();
        string optJson = optState.ToJson();
        string schedJson = StateJson.Serialize(d.Save());
        // PyTorch's resume order: build both afresh, then load the optimizer's and the scheduler's state.
        Optimizer opt2 = OptimFixture.BuildSchedulerOptimizer(c);
        Driver d2 = Build(c, opt2);
        opt2.LoadStateDict(OptimizerStateDict.FromTensorsAndJson(optState.ToTensors(), optJson));
        d2.Load(StateJson.Deserialize(schedJson));
        AssertAt(c, half, d2, opt2);
        for (int k = half + 1; k <= steps; k++)
        {
            opt2.Step();
            d2.Step(k - 1);
            AssertAt(c, k, d2, opt2);
        }
    }
}
