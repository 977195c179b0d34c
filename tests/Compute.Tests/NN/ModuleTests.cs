using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// The Module base: registration by reflection and by name, traversal, modes, ZeroGrad, To,
/// StateDict/LoadStateDict and forward hooks. Numbers against PyTorch are in ModuleReferenceTests.
/// </summary>
public class ModuleTests
{
    private sealed class Net : Module<Tensor, Tensor>
    {
        public Linear Fc1 = new(3, 4);
        private readonly Linear _fc2 = new(4, 2, bias: false);
        public Parameter Scale { get; set; } = new(Tensor.Ones(2));
        public Parameter? Unused;

        public Net()
        {
            RegisterBuffer("running", Tensor.Zeros(2));
            RegisterBuffer("steps", Tensor.Zeros([1], DType.Int64));
            RegisterBuffer("cache", Tensor.Zeros(2), persistent: false);
        }

        public Tensor Running => GetBuffer("running")!;

        protected override Tensor ForwardCore(Tensor input) => _fc2.Forward(Fc1.Forward(input).Relu()) * Scale;
    }

    [Test]
    public void MembersRegisterInDeclarationOrderUnderSnakeCaseNames()
    {
        var net = new Net();
        // PyTorch's order: each module's own parameters, then its children's.
        Assert.That(net.NamedParameters().Select(p => p.Name), Is.EqualTo(new[] { "scale", "fc1.weight", "fc1.bias", "fc2.weight" }));
        Assert.That(net.NamedChildren().Select(c => c.Name), Is.EqualTo(new[] { "fc1", "fc2" }));
        Assert.That(net.NamedBuffers().Select(b => b.Name), Is.EqualTo(new[] { "running", "steps", "cache" }));
        Assert.That(net.StateDict().Keys, Is.EqualTo(new[] { "scale", "running", "steps", "fc1.weight", "fc1.bias", "fc2.weight" }));
        Assert.That(net.NamedModules().Select(m => m.Name), Is.EqualTo(new[] { "", "fc1", "fc2" }));
    }

    [Test]
    public void AssigningAFieldLaterIsSeen()
    {
        var net = new Net();
        net.Unused = new Parameter(Tensor.Zeros(5));
        Assert.That(net.NamedParameters(recurse: false).Select(p => p.Name), Is.EqualTo(new[] { "scale", "unused" }));
        net.Fc1 = new Linear(3, 4, bias: false);
        Assert.That(net.StateDict().Keys, Does.Not.Contain("fc1.bias"));
    }

    [Test]
    public void SharedParametersAndModulesAppearOnce()
    {
        var shared = new Linear(2, 2);
        var seq = new Sequential(shared, new ReLUForTest(), shared);
        Assert.That(seq.Parameters().Count(), Is.EqualTo(2));
        Assert.That(seq.Modules().Count(), Is.EqualTo(3));
        Assert.That(seq.NamedModules(removeDuplicate: false).Select(m => m.Name), Is.EqualTo(new[] { "", "0", "1", "2" }));
        // The state dict has no duplicate module entries (PyTorch dedupes modules, not keys of distinct modules).
        Assert.That(seq.StateDict().Keys, Is.EqualTo(new[] { "0.weight", "0.bias" }));
    }

    [Test]
    public void RegistrationRejectsBadAndConflictingNames()
    {
        var net = new Net();
        var ex = Assert.Throws<ArgumentException>(() => net.RegisterParameter("fc1", new Parameter(Tensor.Zeros(1))));
        Assert.That(ex!.Message, Does.Contain("fc1").And.Contain("Fc1"));
        Assert.Throws<ArgumentException>(() => net.RegisterModule("a.b", new Linear(1, 1)));
        Assert.Throws<ArgumentException>(() => net.RegisterBuffer("", Tensor.Zeros(1)));
        Assert.Throws<ArgumentException>(() => net.RegisterModule("running", new Linear(1, 1)));
        Assert.Throws<ArgumentException>(() => net.RegisterModule("self", net));
    }

    [Test]
    public void SnakeCaseRule()
    {
        var net = new NamingNet();
        Assert.That(net.NamedParameters().Select(p => p.Name),
            Is.EqualTo(new[] { "running_mean", "qkv_proj", "layer1", "conv2_out", "in_proj_weight", "custom" }));
    }

    private sealed class NamingNet : Module
    {
        public Parameter RunningMean = P();
        public Parameter QKVProj = P();
        private Parameter _layer1 = P();
        public Parameter Conv2Out = P();
        public Parameter InProjWeight { get; } = P();
        [RegisteredName("custom")] public Parameter Renamed = P();
        [NotRegistered] public Parameter Ignored = P();

        private static Parameter P() => new(Tensor.Zeros(1));

        public Parameter Layer1 => _layer1;
    }

    private sealed class ReLUForTest : Module<Tensor, Tensor>
    {
        protected override Tensor ForwardCore(Tensor input) => input.Relu();
    }

    [Test]
    public void ParameterSharesStorageAndIsALeaf()
    {
        var t = Tensor.Zeros(3).RequiresGradInPlace();
        Tensor made = t * 2;
        var p = new Parameter(made);
        Assert.That(p.IsLeaf && p.RequiresGrad, Is.True);
        using (Autograd.NoGrad())
        {
            made.Fill(5);
        }
        Assert.That(p.ToArray<float>(), Is.EqualTo(new float[] { 5, 5, 5 }));
        Assert.That(new Parameter(Tensor.Zeros(1), requiresGrad: false).RequiresGrad, Is.False);
        Assert.Throws<DTypeMismatchException>(() => _ = new Parameter(Tensor.Zeros([2], DType.Int64)));
    }

    [Test]
    public void ModuleStateOutlivesTheScopeItWasMadeIn()
    {
        Net net;
        using (TensorScope.Begin())
        {
            net = new Net();
        }
        Assert.That(net.Parameters().Concat(net.Buffers()).Any(t => t.IsDisposed), Is.False);
        Assert.That(net.Forward(Tensor.Ones(1, 3)).Shape, Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void TrainEvalReachEveryModule()
    {
        var net = new Net();
        Assert.That(net.Modules().All(m => m.Training), Is.True);
        net.Eval();
        Assert.That(net.Modules().Any(m => m.Training), Is.False);
        net.Train();
        Assert.That(net.Modules().All(m => m.Training), Is.True);
    }

    [Test]
    public void ApplyVisitsChildrenBeforeParent()
    {
        var net = new Net();
        var order = new List<string>();
        net.Apply(m => order.Add(m is Linear l ? $"Linear{l.InFeatures}" : m.GetType().Name));
        Assert.That(order, Is.EqualTo(new[] { "Linear3", "Linear4", "Net" }));
    }

    [Test]
    public void ZeroGradSetsToNoneOrZeroes()
    {
        var net = new Net();
        net.Forward(Tensor.Ones(2, 3)).Sum().Backward();
        Assert.That(net.Parameters().All(p => p.Grad is not null), Is.True);
        net.ZeroGrad(setToNone: false);
        foreach (Parameter p in net.Parameters())
        {
            Assert.That(p.Grad!.ToArray<float>().All(v => v == 0), Is.True);
        }
        net.ZeroGrad();
        Assert.That(net.Parameters().All(p => p.Grad is null), Is.True);
    }

    [Test]
    public void ToDTypeKeepsParameterObjectsAndConvertsGradsAndFloatBuffers()
    {
        var net = new Net();
        net.Forward(Tensor.Ones(2, 3)).Sum().Backward();
        Parameter[] before = net.Parameters().ToArray();
        float[] w = before[1].ToArray<float>();
        float[] g = before[1].Grad!.ToArray<float>();
        net.To(DType.Float64);
        Parameter[] after = net.Parameters().ToArray();
        Assert.That(after.Zip(before).All(pair => ReferenceEquals(pair.First, pair.Second)), Is.True, "the same Parameter objects");
        Assert.That(after.All(p => p.DType == DType.Float64 && p.RequiresGrad && p.IsLeaf), Is.True);
        Assert.That(after[1].ToArray<double>(), Is.EqualTo(w.Select(v => (double)v).ToArray()));
        Assert.That(after[1].Grad!.DType, Is.EqualTo(DType.Float64));
        Assert.That(after[1].Grad!.ToArray<double>(), Is.EqualTo(g.Select(v => (double)v).ToArray()));
        var buffers = net.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.DType);
        Assert.That(buffers["running"], Is.EqualTo(DType.Float64));
        Assert.That(buffers["steps"], Is.EqualTo(DType.Int64));
        // Training continues in the new dtype: gradients accumulate into the converted leaves.
        net.ZeroGrad();
        net.Forward(Tensor.Ones([2, 3], DType.Float64)).Sum().Backward();
        Assert.That(after.All(p => p.Grad is { DType: DType.Float64 }), Is.True);
        Assert.Throws<ArgumentException>(() => net.To(DType.Int32));
    }

    [Test]
    public void ToDeviceOnTheSameDeviceKeepsValues()
    {
        var net = new Net();
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        net.To(Device.Cpu);
        foreach (var (key, value) in net.StateDict())
        {
            Assert.That(value.Eq(before[key]).All().Item<bool>(), Is.True, key);
        }
    }

    [Test]
    public void StateDictIsDetachedAndSharesStorage()
    {
        var net = new Net();
        var state = net.StateDict();
        Assert.That(state["fc1.weight"].RequiresGrad, Is.False);
        using (Autograd.NoGrad())
        {
            state["running"].Fill(3);
        }
        Assert.That(net.Running.ToArray<float>(), Is.EqualTo(new float[] { 3, 3 }));
    }

    [Test]
    public void LoadStateDictCopiesInPlace()
    {
        var source = new Net();
        var target = new Net();
        Parameter w = target.Fc1.Weight;
        LoadStateDictResult result = target.LoadStateDict(source.StateDict());
        Assert.That(result.MissingKeys, Is.Empty);
        Assert.That(result.UnexpectedKeys, Is.Empty);
        Assert.That(target.Fc1.Weight, Is.SameAs(w));
        Assert.That(w.ToArray<float>(), Is.EqualTo(source.Fc1.Weight.ToArray<float>()));
        Assert.That(w.RequiresGrad && w.IsLeaf, Is.True);
    }

    [Test]
    public void LoadStateDictStrictReportsMissingAndUnexpectedKeys()
    {
        var net = new Net();
        var state = new Net().StateDict();
        state.Remove("fc1.bias");
        state["extra.weight"] = Tensor.Zeros(1);
        float[] before = net.Fc1.Weight.ToArray<float>();
        var ex = Assert.Throws<InvalidOperationException>(() => net.LoadStateDict(state));
        Assert.That(ex!.Message, Does.Contain("\"fc1.bias\"").And.Contain("\"extra.weight\"").And.Contain("Net"));
        Assert.That(net.Fc1.Weight.ToArray<float>(), Is.EqualTo(before), "a failed load copies nothing");

        LoadStateDictResult result = net.LoadStateDict(state, strict: false);
        Assert.That(result.MissingKeys, Is.EqualTo(new[] { "fc1.bias" }));
        Assert.That(result.UnexpectedKeys, Is.EqualTo(new[] { "extra.weight" }));
        Assert.That(net.Fc1.Weight.ToArray<float>(), Is.EqualTo(state["fc1.weight"].ToArray<float>()));
    }

    [Test]
    public void LoadStateDictNamesTheKeyOnShapeOrDTypeMismatch()
    {
        var net = new Net();
        var state = new Net().StateDict();
        state["fc1.weight"] = Tensor.Zeros(4, 2);
        var shape = Assert.Throws<ShapeMismatchException>(() => net.LoadStateDict(state, strict: false));
        Assert.That(shape!.Message, Does.Contain("\"fc1.weight\"").And.Contain("[4, 2]").And.Contain("[4, 3]"));

        state = new Net().StateDict();
        state["steps"] = Tensor.Zeros([1], DType.Float32);
        var dtype = Assert.Throws<DTypeMismatchException>(() => net.LoadStateDict(state));
        Assert.That(dtype!.Message, Does.Contain("\"steps\"").And.Contain("Float32").And.Contain("Int64"));
    }

    [Test]
    public void ForwardHooksReplaceInputsAndOutputsAndAreRemovable()
    {
        var lin = new Linear(2, 2);
        var seen = new List<string>();
        Tensor x = Tensor.Ones(1, 2);
        HookHandle pre = lin.RegisterForwardPreHook((m, inputs) =>
        {
            seen.Add("pre");
            return [((Tensor)inputs[0]!) * 0];
        });
        HookHandle post = lin.RegisterForwardHook((m, inputs, output) =>
        {
            seen.Add("post");
            Assert.That(((Tensor)inputs[0]!).ToArray<float>(), Is.EqualTo(new float[] { 0, 0 }));
            return ((Tensor)output!) + 1;
        });
        Tensor y = lin.Forward(x);
        Assert.That(seen, Is.EqualTo(new[] { "pre", "post" }));
        Assert.That(y.ToArray<float>(), Is.EqualTo((lin.Bias! + 1).ToArray<float>()));
        pre.Remove();
        post.Dispose();
        Assert.That(lin.Forward(x).ToArray<float>(), Is.EqualTo(Functional.Linear(x, lin.Weight, lin.Bias).ToArray<float>()));
        Assert.That(seen.Count, Is.EqualTo(2));
    }

    [Test]
    public void HookReturningTheWrongTypeIsAClearError()
    {
        var lin = new Linear(2, 2);
        lin.RegisterForwardHook((m, i, o) => "not a tensor");
        var ex = Assert.Throws<InvalidCastException>(() => lin.Forward(Tensor.Ones(1, 2)));
        Assert.That(ex!.Message, Does.Contain("Linear").And.Contain("String"));
    }

    [Test]
    public void SequentialChainsAndIndexes()
    {
        var a = new Linear(3, 4);
        var b = new Linear(4, 2);
        var seq = new Sequential(a, new ReLUForTest(), b);
        Tensor x = Tensor.Randn(5, 3);
        Tensor expected = b.Forward(a.Forward(x).Relu());
        Assert.That(seq.Forward(x).ToArray<float>(), Is.EqualTo(expected.ToArray<float>()));
        Assert.That(seq[0], Is.SameAs(a));
        Assert.That(seq[-1], Is.SameAs(b));
        Assert.That(seq[1..].Count, Is.EqualTo(2));
        Assert.That(seq[1..].StateDict().Keys, Is.EqualTo(new[] { "2.weight", "2.bias" }));
        var named = new Sequential(("enc", (Module<Tensor, Tensor>)a), ("dec", b));
        Assert.That(named.StateDict().Keys, Is.EqualTo(new[] { "enc.weight", "enc.bias", "dec.weight", "dec.bias" }));
        Assert.That(named["dec"], Is.SameAs(b));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = seq[3]);
    }

    [Test]
    public void ToStringPrintsTheTreeLikePyTorch()
    {
        var seq = new Sequential(new Linear(3, 4), new Linear(4, 2, bias: false));
        Assert.That(seq.ToString(), Is.EqualTo(
            "Sequential(\n  (0): Linear(in_features=3, out_features=4, bias=True)\n  (1): Linear(in_features=4, out_features=2, bias=False)\n)"));
    }

    [Test]
    public void LinearRejectsMismatchedInput()
    {
        var lin = new Linear(3, 2);
        var ex = Assert.Throws<ShapeMismatchException>(() => lin.Forward(Tensor.Ones(4, 5)));
        Assert.That(ex!.Message, Does.Contain("Linear").And.Contain("[4, 5]").And.Contain("[2, 3]"));
    }

    [Test]
    public void LinearGradientsAreTheComposedFormsAndDifferentiable()
    {
        // Linear records one node (gᵀx for the weight); its gradients must be those of
        // x @ Wᵀ + b recorded op by op, for any leading dims, and themselves differentiable.
        using var scope = TensorScope.Begin();
        foreach (long[] xShape in new[] { new long[] { 5, 3 }, new long[] { 2, 4, 3 }, new long[] { 3 }, new long[] { 0, 3 } })
        {
            Tensor x = Tensor.Randn(xShape, DType.Float64).RequiresGradInPlace();
            Tensor w = Tensor.Randn(new long[] { 2, 3 }, DType.Float64).RequiresGradInPlace();
            Tensor b = Tensor.Randn(new long[] { 2 }, DType.Float64).RequiresGradInPlace();
            Tensor?[] fused = Autograd.Grad([(Functional.Linear(x, w, b) * Functional.Linear(x, w, b)).Sum()], [x, w, b]);
            Tensor?[] composed = Autograd.Grad([(x.MatMul(w.T) + b).Square().Sum()], [x, w, b]);
            for (int i = 0; i < 3; i++)
            {
                Assert.That(fused[i]!.Shape, Is.EqualTo(composed[i]!.Shape), $"input {i} of x {Tensor.FormatShape(xShape)}");
                Assert.That(fused[i]!.ToArray<double>(), Is.EqualTo(composed[i]!.ToArray<double>()).Within(1e-12),
                    $"input {i} of x {Tensor.FormatShape(xShape)}");
            }
            if (xShape[0] > 0)
            {
                Assert.That(Autograd.GradCheck(t => Functional.Linear(t[0], t[1], t[2]), [x, w, b]), Is.True);
                Assert.That(Autograd.GradGradCheck(t => Functional.Linear(t[0], t[1]), [x, w]), Is.True);
            }
        }
        // No input features: the weight is [2, 0], the output the bias alone.
        Tensor x0 = Tensor.Zeros(new long[] { 4, 0 }, DType.Float64).RequiresGradInPlace();
        Tensor w0 = Tensor.Zeros(new long[] { 2, 0 }, DType.Float64).RequiresGradInPlace();
        Tensor b0 = Tensor.Ones(new long[] { 2 }, DType.Float64).RequiresGradInPlace();
        Tensor?[] g0 = Autograd.Grad([Functional.Linear(x0, w0, b0).Sum()], [x0, w0, b0]);
        Assert.That(g0[0]!.Shape, Is.EqualTo(new long[] { 4, 0 }));
        Assert.That(g0[1]!.Shape, Is.EqualTo(new long[] { 2, 0 }));
        Assert.That(g0[2]!.ToArray<double>(), Is.EqualTo(new[] { 4.0, 4.0 }));
    }

    [Test]
    public void GetSubmoduleAndGetParameterFollowDottedPaths()
    {
        var seq = new Sequential(new Net());
        Assert.That(seq.GetSubmodule("0.fc1"), Is.SameAs(((Net)seq[0]).Fc1));
        Assert.That(seq.GetParameter("0.fc1.bias"), Is.SameAs(((Net)seq[0]).Fc1.Bias));
        Assert.Throws<ArgumentException>(() => seq.GetSubmodule("0.nope"));
        Assert.Throws<ArgumentException>(() => seq.GetParameter("0.fc1.nope"));
    }
}
