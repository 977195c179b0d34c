using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// Transformer layer behaviour beside the PyTorch fixtures (SequenceModuleTests): stacks start as
/// independent copies of the given layer (PyTorch's deepcopy), and bad settings fail by name.
/// </summary>
public class TransformerTests
{
    [Test]
    public void EncoderLayersAreIndependentCopies()
    {
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16);
        var encoder = new TransformerEncoder(layer, 2);
        var state = encoder.StateDict();
        Assert.That(state.Keys.First(), Is.EqualTo("layers.0.self_attn.in_proj_weight"));
        float[] l0 = state["layers.0.linear1.weight"].Contiguous().ToArray<float>();
        float[] l1 = state["layers.1.linear1.weight"].Contiguous().ToArray<float>();
        Assert.That(l1, Is.EqualTo(l0), "copies start equal");
        using (Autograd.NoGrad())
        {
            ((TransformerEncoderLayer)encoder.Layers[0]).Linear1.Weight.Fill(0);
        }
        Assert.That(((TransformerEncoderLayer)encoder.Layers[1]).Linear1.Weight.Contiguous().ToArray<float>(), Is.EqualTo(l0),
            "changing one layer leaves the other alone");
        Assert.That(layer.Linear1.Weight.Contiguous().ToArray<float>(), Is.EqualTo(l0), "the template is not one of the layers");
    }

    [Test]
    public void BadSettingsFailByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(8, 2, activation: "tanh"));
        Assert.That(e!.Message, Does.Contain("TransformerEncoderLayer").And.Contain("tanh"));
        Assert.Throws<ArgumentException>(() => new TransformerDecoderLayer(8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransformerDecoder(new TransformerDecoderLayer(8, 2), 0));
    }
}
