using Compute;
using Compute.Optim;

namespace Compute.Tests.Optim;

/// <summary>Scheduler argument checks and state handling beyond the PyTorch values.</summary>
public class SchedulerBehaviourTests
{
    private static SGD Opt(double lr = 0.1) => new([Tensor.Zeros(2).RequiresGradInPlace()], lr: lr, momentum: 0.9);

    [Test]
    public void ConstructionSetsInitialLrAndTakesTheFirstStep()
    {
        SGD opt = Opt();
        var s = new LinearLR(opt, startFactor: 0.5, totalIters: 2);
        Assert.That(s.LastEpoch, Is.EqualTo(0));
        Assert.That(opt.ParamGroups[0].GetDouble("initial_lr"), Is.EqualTo(0.1));
        Assert.That(s.GetLastLr(), Is.EqualTo(new[] { 0.05 }));
    }

    [Test]
    public void BadArgumentsAreRefused()
    {
        Assert.That(() => new StepLR(Opt(), stepSize: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new CosineAnnealingWarmRestarts(Opt(), t0: 2, tMult: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new OneCycleLR(Opt(), maxLr: 0.1), Throws.ArgumentException.With.Message.Contains("totalSteps"));
        Assert.That(() => new OneCycleLR(Opt(), maxLr: 0.1, totalSteps: 5, annealStrategy: "cosine"),
            Throws.ArgumentException.With.Message.Contains("annealStrategy"));
        Assert.That(() => new ReduceLROnPlateau(Opt(), mode: "up"), Throws.ArgumentException.With.Message.Contains("mode"));
        Assert.That(() => new ReduceLROnPlateau(Opt(), factor: 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        SGD opt = Opt();
        var a = new StepLR(opt, 2);
        Assert.That(() => new SequentialLR(Opt(), [a], Array.Empty<long>()), Throws.ArgumentException.With.Message.Contains("same optimizer"));
        Assert.That(() => new SequentialLR(opt, [a], [3L]), Throws.ArgumentException.With.Message.Contains("milestone"));
    }

    [Test]
    public void OneCycleRefusesToStepPastTheEnd()
    {
        SGD opt = Opt();
        var s = new OneCycleLR(opt, maxLr: 0.1, totalSteps: 3);
        s.Step();
        s.Step();
        s.Step();
        Assert.That(() => s.Step(), Throws.InvalidOperationException.With.Message.Contains("total steps is 3"));
    }

    [Test]
    public void LoadStateDictValidatesTheState()
    {
        var s = new StepLR(Opt(), 2);
        // A state dict passed directly, not through JSON (counts as long, sub-states as lists), loads too.
        s.LoadStateDict(s.StateDict());
        SGD opt = Opt();
        var seq = new SequentialLR(opt, [new LinearLR(opt), new MultiStepLR(opt, [2L, 4L])], [3L]);
        seq.Step();
        seq.LoadStateDict(seq.StateDict());
        Assert.That(seq.LastEpoch, Is.EqualTo(1));
        Dictionary<string, object?> state = s.StateDict();
        state["step_size"] = 0.0;
        Assert.That(() => s.LoadStateDict(state), Throws.ArgumentException.With.Message.Contains("step_size"));
        state = s.StateDict();
        state["base_lrs"] = new[] { 0.1, 0.2 };
        Assert.That(() => s.LoadStateDict(state), Throws.ArgumentException.With.Message.Contains("base_lrs"));
        state = s.StateDict();
        state.Remove("last_epoch");
        Assert.That(() => s.LoadStateDict(state), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("last_epoch"));
    }

    [Test]
    public void PlateauStateKeepsInfiniteBestThroughJson()
    {
        var p = new ReduceLROnPlateau(Opt());
        string json = StateJson.Serialize(p.StateDict());
        Assert.That(json, Does.Contain("\"best\":\"Infinity\""));
        var q = new ReduceLROnPlateau(Opt());
        q.LoadStateDict(StateJson.Deserialize(json));
        Assert.That(q.Best, Is.EqualTo(double.PositiveInfinity));
    }
}
