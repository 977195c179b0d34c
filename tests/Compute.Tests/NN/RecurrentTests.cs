using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// RNN/LSTM/GRU behaviour that the PyTorch fixtures (SequenceModuleTests) do not cover: default
/// init bounds, parameter names and shapes, dropout between layers in training, and clear errors.
/// </summary>
public class RecurrentTests
{
    [Test]
    public void LstmParametersHaveTorchNamesShapesAndInitBounds()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: true);
        var names = lstm.NamedParameters().Select(p => p.Name).ToArray();
        Assert.That(names.Take(8), Is.EqualTo(new[]
        {
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        }));
        Assert.That(names, Has.Length.EqualTo(16));
        var p = lstm.NamedParameters().ToDictionary(x => x.Name, x => x.Parameter);
        Assert.That(p["weight_ih_l0"].Shape, Is.EqualTo(new long[] { 16, 3 }));
        Assert.That(p["weight_ih_l1"].Shape, Is.EqualTo(new long[] { 16, 8 }));
        Assert.That(p["weight_hh_l1_reverse"].Shape, Is.EqualTo(new long[] { 16, 4 }));
        foreach (var (_, param) in lstm.NamedParameters())
        {
            float[] v = param.Detach().Contiguous().ToArray<float>();
            Assert.That(v.Max(), Is.LessThanOrEqualTo(0.5f));
            Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-0.5f));
        }
        Assert.That(lstm.ToString(), Is.EqualTo("LSTM(3, 4, num_layers=2, bidirectional=True)"));
    }

    [Test]
    public void DropoutBetweenLayersOnlyInTraining()
    {
        Tensor.ManualSeed(7);
        var gru = new GRU(2, 6, numLayers: 2, dropout: 0.5);
        Tensor x = Tensor.Randn(5, 3, 2);
        gru.Eval();
        float[] a = gru.Forward(x).Output.Contiguous().ToArray<float>();
        float[] b = gru.Forward(x).Output.Contiguous().ToArray<float>();
        Assert.That(b, Is.EqualTo(a), "evaluation is deterministic");
        gru.Train();
        float[] c = gru.Forward(x).Output.Contiguous().ToArray<float>();
        Assert.That(c, Is.Not.EqualTo(a), "training applies dropout to the first layer's output");
    }

    [Test]
    public void BadShapesFailByName()
    {
        var rnn = new RNN(3, 4, numLayers: 2);
        var e = Assert.Throws<ShapeMismatchException>(() => rnn.Forward(Tensor.Zeros(5, 2, 7)));
        Assert.That(e!.Message, Does.Contain("RNN").And.Contain("input_size").And.Contain("Expected 3, got 7"));
        e = Assert.Throws<ShapeMismatchException>(() => rnn.Forward(Tensor.Zeros(5, 2, 3), Tensor.Zeros(1, 2, 4)));
        Assert.That(e!.Message, Does.Contain("Expected hidden size (2, 2, 4)").And.Contain("[1, 2, 4]"));
        e = Assert.Throws<ShapeMismatchException>(() => rnn.Forward(Tensor.Zeros(5, 3), Tensor.Zeros(2, 1, 4)));
        Assert.That(e!.Message, Does.Contain("hx should also be 2-D"));
        Assert.Throws<ShapeMismatchException>(() => rnn.Forward(Tensor.Zeros(2, 2, 2, 3)));
        Assert.Throws<ArgumentException>(() => new RNN(3, 4, nonlinearity: "sigmoid"));
        Assert.Throws<DTypeMismatchException>(() => rnn.Forward(Tensor.Zeros([5, 2, 3], DType.Float64)));
        var cell = new LSTMCell(3, 4);
        e = Assert.Throws<ShapeMismatchException>(() => cell.Forward(Tensor.Zeros(2, 3), (Tensor.Zeros(3, 4), Tensor.Zeros(2, 4))));
        Assert.That(e!.Message, Does.Contain("LSTMCell").And.Contain("hx[0]"));
    }
}
