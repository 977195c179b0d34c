using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// Constructor and forward options beside the PyTorch fixtures (ModuleReferenceTests,
/// SequenceModuleTests check their numbers): in-place dropout in training, whose mask the
/// library draws itself; the errors PyTorch raises for options it rejects; what the options
/// add to the state dict and the printed module.
/// </summary>
public class ModuleOptionTests
{
    [Test]
    public void InplaceDropoutInTrainingChangesAndReturnsItsInputWithDropoutGradients()
    {
        Tensor.ManualSeed(11);
        Tensor x = (Tensor.Rand([4, 50], DType.Float64) + 1).RequiresGradInPlace();
        Tensor h = x * 1.0;
        ulong version = h.Version;
        var dropout = new Dropout(0.3, inplace: true);
        Tensor y = dropout.Forward(h);
        Assert.That(y, Is.SameAs(h));
        Assert.That(h.Version, Is.GreaterThan(version), "the write bumps the version counter");
        double[] before = x.Detach().ToArray<double>(), after = h.Detach().ToArray<double>();
        bool[] kept = after.Select(v => v != 0).ToArray();
        Assert.That(kept.Count(k => !k), Is.InRange(20, 100), "about 30% of 200 dropped");
        for (int i = 0; i < before.Length; i++)
        {
            Assert.That(after[i], Is.EqualTo(kept[i] ? before[i] / 0.7 : 0).Within(1e-12), $"element {i}");
        }
        y.Sum().Backward();
        double[] grad = x.Grad!.ToArray<double>();
        for (int i = 0; i < grad.Length; i++)
        {
            Assert.That(grad[i], Is.EqualTo(kept[i] ? 1 / 0.7 : 0).Within(1e-12), $"gradient {i}");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void InplaceChannelDropoutZeroesWholeChannelsOfItsInput(int spatialDims)
    {
        Tensor.ManualSeed(12);
        long[] shape = [3, 8, .. Enumerable.Repeat(2L, spatialDims)];
        int perChannel = 1 << spatialDims;
        Tensor h = Tensor.Rand(shape) + 1;
        Dropout module = spatialDims switch
        {
            1 => new Dropout1d(0.5, inplace: true),
            2 => new Dropout2d(0.5, inplace: true),
            _ => new Dropout3d(0.5, inplace: true),
        };
        Tensor y = module.Forward(h);
        Assert.That(y, Is.SameAs(h));
        float[] v = h.ToArray<float>();
        int dropped = 0;
        for (int c = 0; c < 24; c++)
        {
            float[] channel = v.Skip(perChannel * c).Take(perChannel).ToArray();
            Assert.That(channel.All(e => e == 0) || channel.All(e => e != 0), Is.True, $"channel {c} is dropped whole or kept whole");
            dropped += channel.All(e => e == 0) ? 1 : 0;
        }
        Assert.That(dropped, Is.InRange(3, 21), "about half of 24 channels dropped");
    }

    [Test]
    public void InplaceDropoutRefusesALeafThatRequiresGradAndIsTheIdentityInEval()
    {
        Tensor leaf = Tensor.Ones(3, 4).RequiresGradInPlace();
        var e = Assert.Throws<InvalidOperationException>(() => new Dropout(0.5, inplace: true).Forward(leaf));
        Assert.That(e!.Message, Does.Contain("dropout").And.Contain("leaf"));
        var eval = new Dropout(0.5, inplace: true);
        eval.Eval();
        Assert.That(eval.Forward(leaf), Is.SameAs(leaf), "evaluation returns the input untouched, as torch's dropout_");
        Assert.That(eval.ExtraRepr(), Is.EqualTo("p=0.5, inplace=True"));
    }

    [Test]
    public void TransformerLayersTakeACallableActivationAndKeepItInTheirCopies()
    {
        Tensor.ManualSeed(4);
        int calls = 0;
        var layer = new TransformerEncoderLayer(8, 2, activation: x => { calls++; return Functional.Silu(x); }, dimFeedforward: 16);
        Assert.That(layer.Activation, Is.Null);
        var stack = new TransformerEncoder(layer, 3, enableNestedTensor: false, maskCheck: false);
        stack.Forward(Tensor.Randn(5, 2, 8));
        Assert.That(calls, Is.EqualTo(3), "each copied layer applies the callable once");
        Assert.That(stack.EnableNestedTensor || stack.MaskCheck, Is.False);
        Assert.Throws<ArgumentNullException>(() => new TransformerDecoderLayer(8, 2, activation: (Func<Tensor, Tensor>)null!));
        Assert.Throws<ArgumentException>(() => new TransformerDecoderLayer(8, 2, activation: "silu"));
    }

    [Test]
    public void InplaceModulesOnASavedOutputMakeBackwardRefuseAsInTorch()
    {
        // sigmoid saves its output; overwriting it in place makes backward fail, as PyTorch's
        // "modified by an inplace operation" error does for ReLU(inplace=True) and Dropout(inplace=True).
        foreach (Module<Tensor, Tensor> module in new Module<Tensor, Tensor>[] { new ReLU(inplace: true), new Dropout(0.5, inplace: true) })
        {
            Tensor x = Tensor.Rand(4, 4).RequiresGradInPlace();
            Tensor h = x.Sigmoid();
            module.Forward(h);
            var e = Assert.Throws<InvalidOperationException>(() => h.Sum().Backward(), module.GetType().Name);
            Assert.That(e!.Message, Does.Contain("modified by an inplace operation"));
        }
    }

    [Test]
    public void ConvTransposeOutputSizeOutOfRangeNamesTheSizes()
    {
        var conv = new ConvTranspose2d(2, 3, 3, stride: 2, padding: 1);
        Tensor x = Tensor.Zeros(1, 2, 4, 3);
        Assert.That(conv.Forward(x, [8, 6]).Shape, Is.EqualTo(new long[] { 1, 3, 8, 6 }));
        Assert.That(conv.Forward(x, null).Shape, Is.EqualTo(new long[] { 1, 3, 7, 5 }), "null: the constructor's output padding");
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(x, [9, 5]));
        Assert.That(e!.Message, Does.Contain("ConvTranspose2d").And.Contain("[9, 5]").And.Contain("[7, 5]").And.Contain("[8, 6]"));
        e = Assert.Throws<ArgumentException>(() => conv.Forward(x, [1, 2, 3]));
        Assert.That(e!.Message, Does.Contain("2 or 4 elements"));
        Assert.Throws<ArgumentException>(() => new ConvTranspose1d(2, 2, 3, paddingMode: "reflect"));
    }

    [Test]
    public void ConvTransposeOutputSizeRunsTheForwardHooks()
    {
        var conv = new ConvTranspose1d(1, 1, 2, stride: 2);
        object?[]? seen = null;
        conv.RegisterForwardHook((_, inputs, output) =>
        {
            seen = inputs;
            return null;
        });
        conv.Forward(Tensor.Zeros(1, 1, 3), [7]);
        Assert.That(seen, Is.Not.Null);
        Assert.That(seen![1], Is.EqualTo(new long[] { 7 }));
    }

    [Test]
    public void ReturnIndicesPoolsGiveThePairThroughTheirHooks()
    {
        var pool = new AdaptiveMaxPool2d(new long?[] { null, 2 }, returnIndices: true);
        object? seen = null;
        pool.RegisterForwardHook((_, _, output) =>
        {
            seen = output;
            return null;
        });
        var (output, indices) = pool.ForwardWithIndices(Tensor.Arange(12, DType.Float32).Reshape(1, 3, 4));
        Assert.That(output.Shape, Is.EqualTo(new long[] { 1, 3, 2 }));
        Assert.That(indices.ToArray<long>(), Is.EqualTo(new long[] { 1, 3, 5, 7, 9, 11 }));
        Assert.That(seen, Is.InstanceOf<(Tensor, Tensor)>());
        Assert.That((((Tensor, Tensor))seen!).Item2, Is.SameAs(indices));
        Assert.That(pool.ExtraRepr(), Is.EqualTo("output_size=(None, 2)"));
        Assert.That(new MaxPool2d(2).ReturnIndices, Is.False);
        Assert.Throws<ArgumentException>(() => new AdaptiveAvgPool2d(new long?[] { 1, 2, 3 }));
    }

    [Test]
    public void LstmProjectionShapesKeysAndErrors()
    {
        var lstm = new LSTM(3, 5, numLayers: 2, bidirectional: true, projSize: 2);
        Assert.That(lstm.StateDict().Keys.Take(5), Is.EqualTo(new[]
        {
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
        }));
        Assert.That(lstm.GetParameter("weight_hh_l1_reverse").Shape, Is.EqualTo(new long[] { 20, 2 }));
        Assert.That(lstm.GetParameter("weight_ih_l1").Shape, Is.EqualTo(new long[] { 20, 4 }));
        Assert.That(lstm.GetParameter("weight_hr_l1_reverse").Shape, Is.EqualTo(new long[] { 2, 5 }));
        var (output, (h, c)) = lstm.Forward(Tensor.Zeros(6, 4, 3));
        Assert.That(output.Shape, Is.EqualTo(new long[] { 6, 4, 4 }));
        Assert.That(h.Shape, Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(c.Shape, Is.EqualTo(new long[] { 4, 4, 5 }));
        Assert.That(lstm.ExtraRepr(), Is.EqualTo("3, 5, proj_size=2, num_layers=2, bidirectional=True"));
        var e = Assert.Throws<ShapeMismatchException>(() => lstm.Forward(Tensor.Zeros(6, 4, 3), (Tensor.Zeros(4, 4, 5), Tensor.Zeros(4, 4, 5))));
        Assert.That(e!.Message, Does.Contain("hx").And.Contain("(4, 4, 2)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LSTM(3, 5, projSize: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LSTM(3, 5, projSize: -1));
    }

    [Test]
    public void AttentionBiasKvParametersAreNamedAsTorch()
    {
        var mha = new MultiheadAttention(8, 2, addBiasKv: true, addZeroAttn: true);
        Assert.That(mha.StateDict().Keys, Is.EqualTo(new[]
        {
            "in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias",
        }));
        Assert.That(mha.BiasK!.Shape, Is.EqualTo(new long[] { 1, 1, 8 }));
        Tensor x = Tensor.Zeros(5, 3, 8);
        var (_, weights) = mha.Forward(x, x, x);
        Assert.That(weights!.Shape, Is.EqualTo(new long[] { 3, 5, 7 }), "two more source positions: bias_k and the zero key");
    }

    [Test]
    public void EmbeddingScaleGradByFreqRecordedBackwardAgreesWithTheKernel()
    {
        // The gradient is scaled on purpose, so it is not the derivative and GradCheck does not
        // apply: the recorded formula used under createGraph must give the native kernel's
        // numbers, which the torch fixture checks.
        Tensor.ManualSeed(5);
        Tensor weight = Tensor.Randn([5, 3], DType.Float64).RequiresGradInPlace();
        Tensor idx = Tensor.From(new long[] { 0, 2, 2, 4, 2, 0 }).Reshape(2, 3);
        Tensor Lookup(Tensor[] t) => Functional.Embedding(idx, t[0], paddingIdx: 4, scaleGradByFreq: true).Pow(2);
        double[] kernel = Autograd.Grad(Lookup([weight]).Sum(), weight).ToArray<double>();
        double[] recorded = Autograd.Grad(Lookup([weight]).Sum(), weight, createGraph: true).Detach().ToArray<double>();
        Assert.That(recorded, Is.EqualTo(kernel).Within(1e-12));
        Assert.That(kernel[6], Is.EqualTo(2 * weight.Detach().ToArray<double>()[6]).Within(1e-12), "row 2 looked up 3 times: 3 · 2w / 3");
    }
}
