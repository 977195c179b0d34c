using Compute;
using Compute.Optim;

namespace Compute.Tests.Optim;

/// <summary>
/// Optimizer behaviour beyond the PyTorch values: ZeroGrad, closures, parameters without
/// gradients, groups added later, argument checks, and state dicts that do not fit.
/// </summary>
public class OptimizerBehaviourTests
{
    private static Tensor Param(params float[] values) => Tensor.From(values).RequiresGradInPlace();

    [Test]
    public void ZeroGradSetsToNoneByDefaultOrFillsZeros()
    {
        Tensor p = Param(1, 2, 3);
        var opt = new SGD([p], lr: 0.1);
        p.Grad = Tensor.From(new float[] { 1, 1, 1 });
        opt.ZeroGrad(setToNone: false);
        Assert.That(p.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0 }));
        opt.ZeroGrad();
        Assert.That(p.Grad, Is.Null);
    }

    [Test]
    public void StepBumpsTheParameterVersion()
    {
        // An optimizer step is an in-place write (PyTorch's p.add_): a graph that saved the
        // parameter before the step must refuse to run backward through it afterwards.
        Tensor p = Param(1, 2);
        Tensor y = (p * p).Sum();
        var opt = new SGD([p], lr: 0.1);
        ulong before = p.Version;
        p.Grad = Tensor.From(new float[] { 1, 1 });
        opt.Step();
        Assert.That(p.Version, Is.EqualTo(before + 1));
        Assert.That(() => y.Backward(), Throws.InstanceOf<InvalidOperationException>().With.Message.Contains("modified by an inplace operation"));
    }

    [Test]
    public void StateCreatedInsideAScopeOutlivesIt()
    {
        // The usual loop: every step in its own TensorScope. The state the first step creates
        // (momentum buffers, Adam's moments) must survive the scope and give the same values as
        // steps taken without scopes.
        foreach (Func<Tensor, Optimizer> make in new Func<Tensor, Optimizer>[]
                 {
                     p => new SGD([p], lr: 0.1, momentum: 0.9),
                     p => new Adam([p], lr: 0.1, amsgrad: true),
                     p => new RMSprop([p], lr: 0.1, momentum: 0.5, centered: true),
                     p => new Adagrad([p], lr: 0.1),
                 })
        {
            Tensor scoped = Param(1, -2, 3), plain = Param(1, -2, 3);
            Optimizer inScopes = make(scoped), outside = make(plain);
            for (int step = 0; step < 3; step++)
            {
                using (TensorScope.Begin())
                {
                    scoped.Grad = Tensor.From(new float[] { 0.5f, -1, step });
                    inScopes.Step();
                }
                plain.Grad = Tensor.From(new float[] { 0.5f, -1, step });
                outside.Step();
            }
            Assert.That(scoped.ToArray<float>(), Is.EqualTo(plain.ToArray<float>()), inScopes.GetType().Name);
        }
    }

    [Test]
    public void StepSkipsParametersWithoutGradientAndRunsUnderNoGrad()
    {
        Tensor a = Param(1, 2), b = Param(3, 4);
        var opt = new Adam([a, b], lr: 0.1);
        a.Grad = Tensor.From(new float[] { 1, -1 });
        opt.Step();
        Assert.That(b.ToArray<float>(), Is.EqualTo(new float[] { 3, 4 }));
        Assert.That(opt.GetState(b), Is.Null);
        // Adam's first step moves each element by lr against the gradient's sign.
        Assert.That(a.ToArray<float>()[0], Is.EqualTo(0.9f).Within(1e-6));
        Assert.That(a.ToArray<float>()[1], Is.EqualTo(2.1f).Within(1e-6));
        Assert.That(opt.GetState(a)!.Scalars["step"], Is.EqualTo(1));
        Assert.That(a.IsLeaf && a.RequiresGrad, Is.True);
    }

    [Test]
    public void StepWithClosureEvaluatesItWithGradEnabledAndReturnsTheLoss()
    {
        Tensor p = Param(2);
        var opt = new SGD([p], lr: 0.25);
        Tensor loss;
        using (Autograd.NoGrad())
        {
            loss = opt.Step(() =>
            {
                opt.ZeroGrad();
                Tensor l = (p * p).Sum();
                l.Backward();
                return l;
            });
        }
        Assert.That(loss.Item<float>(), Is.EqualTo(4f));
        Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { 1 }));  // 2 - 0.25 * 4
    }

    [Test]
    public void AddParamGroupTakesDefaultsAndRefusesDuplicates()
    {
        Tensor a = Param(1), b = Param(2);
        var opt = new SGD([a], lr: 0.1, momentum: 0.9);
        opt.AddParamGroup(new ParamGroup([b]) { ["lr"] = 0.01 });
        Assert.That(opt.ParamGroups[1].LearningRate, Is.EqualTo(0.01));
        Assert.That(opt.ParamGroups[1].GetDouble("momentum"), Is.EqualTo(0.9));
        var e = Assert.Throws<ArgumentException>(() => opt.AddParamGroup(new ParamGroup([a])));
        Assert.That(e!.Message, Does.Contain("more than once"));
    }

    [Test]
    public void ConstructorChecksOptionsAndParameters()
    {
        Tensor p = Param(1);
        Assert.That(() => new SGD([p], lr: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("lr"));
        Assert.That(() => new Adam([p], betas: (1.0, 0.9)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("beta"));
        Assert.That(() => new SGD([p], lr: 0.1, nesterov: true), Throws.ArgumentException.With.Message.Contains("Nesterov"));
        Assert.That(() => new SGD(Array.Empty<Tensor>(), lr: 0.1), Throws.ArgumentException.With.Message.Contains("empty"));
        Tensor nonLeaf = p * 2;
        Assert.That(() => new SGD([nonLeaf], lr: 0.1), Throws.ArgumentException.With.Message.Contains("non-leaf"));
        Tensor ints = Tensor.From(new long[] { 1, 2 });
        Assert.That(() => new SGD([ints], lr: 0.1), Throws.ArgumentException.With.Message.Contains("floating"));
        Assert.That(() => new ParamGroup([p]) { ["lr"] = "fast" }, Throws.ArgumentException.With.Message.Contains("'lr'"));
    }

    [Test]
    public void NonContiguousParameterFailsByName()
    {
        Tensor p = Tensor.Zeros(3, 2).Transpose(0, 1).RequiresGradInPlace();
        p.Grad = Tensor.Ones(2, 3);
        var opt = new SGD([p], lr: 0.1);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => opt.Step());
        Assert.That(e!.Message, Does.Contain("sgd_step").And.Contain("contiguous"));
    }

    [Test]
    public void LoadStateDictRefusesWhatDoesNotFitAndLeavesTheOptimizerAsItWas()
    {
        Tensor a = Param(1, 2), b = Param(3, 4, 5);
        var opt = new Adam([a, b], lr: 0.1);
        a.Grad = Tensor.From(new float[] { 1, 1 });
        b.Grad = Tensor.From(new float[] { 1, 1, 1 });
        opt.Step();
        OptimizerStateDict sd = opt.StateDict();

        var other = new Adam([Param(1, 2)], lr: 0.1);
        Assert.That(() => other.LoadStateDict(sd), Throws.ArgumentException.With.Message.Contains("has 2 parameters, the optimizer's has 1"));

        Tensor c = Param(1, 2), d = Param(3, 4);  // d has the wrong shape for state.1
        var wrongShape = new Adam([c, d], lr: 0.5);
        var e = Assert.Throws<ArgumentException>(() => wrongShape.LoadStateDict(sd));
        Assert.That(e!.Message, Does.Contain("state.1.").And.Contain("[3]").And.Contain("[2]"));
        Assert.That(wrongShape.ParamGroups[0].LearningRate, Is.EqualTo(0.5));
        Assert.That(wrongShape.GetState(c), Is.Null);
    }

    [Test]
    public void StateDictJsonIsValidatedOnLoad()
    {
        var tensors = new Dictionary<string, Tensor>();
        Assert.That(() => OptimizerStateDict.FromTensorsAndJson(tensors, "{not json"), Throws.InstanceOf<InvalidDataException>());
        Assert.That(() => OptimizerStateDict.FromTensorsAndJson(tensors, "{\"param_groups\": 3, \"scalar_state\": {}}"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("param_groups"));
        Assert.That(() => OptimizerStateDict.FromTensorsAndJson(tensors, "{\"param_groups\": [{\"lr\": 1}], \"scalar_state\": {}}"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("params"));
        Assert.That(() => OptimizerStateDict.FromTensorsAndJson(tensors, "{\"param_groups\": [{\"params\": [0.5]}], \"scalar_state\": {}}"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("integer"));
        var bad = new Dictionary<string, Tensor> { ["state.x.exp_avg"] = Tensor.Zeros(1) };
        Assert.That(() => OptimizerStateDict.FromTensorsAndJson(bad, "{\"param_groups\": [], \"scalar_state\": {}}"),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("state.x.exp_avg"));
    }

    [Test]
    public void StateDictCarriesGroupsStepsAndStateTensors()
    {
        Tensor a = Param(1, 2), b = Param(3);
        var opt = new SGD([new ParamGroup([a]), new ParamGroup([b]) { ["lr"] = 0.5 }], lr: 0.1, momentum: 0.9);
        a.Grad = Tensor.From(new float[] { 1, 2 });
        opt.Step();
        OptimizerStateDict sd = opt.StateDict();
        Assert.That(sd.ParamGroups[0]["params"], Is.EqualTo(new long[] { 0 }));
        Assert.That(sd.ParamGroups[1]["params"], Is.EqualTo(new long[] { 1 }));
        Assert.That(sd.ParamGroups[1]["lr"], Is.EqualTo(0.5));
        Assert.That(sd.ToTensors().Keys, Is.EqualTo(new[] { "state.0.momentum_buffer" }));
        Assert.That(sd.State[0]["momentum_buffer"].ToArray<float>(), Is.EqualTo(new float[] { 1, 2 }));
        Assert.That(sd.ToJson(), Does.Contain("\"momentum\":0.9").And.Contain("\"params\":[1]"));
    }
}
