using Compute;
using Compute.NN;

namespace Compute.Tests.NN;

/// <summary>
/// MultiheadAttention behaviour beside the PyTorch fixtures (SequenceModuleTests): parameter
/// names and init, the fused path agreeing with the explicit one, and clear errors.
/// </summary>
public class MultiheadAttentionTests
{
    [Test]
    public void ParametersAreNamedAndInitialisedAsTorch()
    {
        var mha = new MultiheadAttention(8, 2);
        Assert.That(mha.StateDict().Keys, Is.EqualTo(new[] { "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias" }));
        Assert.That(mha.InProjBias!.Contiguous().ToArray<float>(), Is.All.EqualTo(0f));
        // xavier_uniform on [24, 8]: bound sqrt(6 / (8 + 24)).
        float bound = (float)Math.Sqrt(6.0 / 32);
        Assert.That(mha.InProjWeight!.Contiguous().ToArray<float>(), Is.All.InRange(-bound, bound));
        var separate = new MultiheadAttention(6, 3, kdim: 4, vdim: 5, bias: false);
        Assert.That(separate.StateDict().Keys, Is.EqualTo(new[] { "q_proj_weight", "k_proj_weight", "v_proj_weight", "out_proj.weight" }));
    }

    [Test]
    public void FusedPathAgreesWithWeightsPath()
    {
        Tensor.ManualSeed(3);
        var mha = new MultiheadAttention(16, 4, batchFirst: true);
        Tensor x = Tensor.Randn(2, 7, 16);
        Tensor causal = Tensor.Ones([7, 7], DType.Bool).Triu(1);
        float[] a = mha.Forward(x, x, x, attnMask: causal).Output.Contiguous().ToArray<float>();
        float[] b = mha.Forward(x, x, x, needWeights: false, attnMask: causal).Output.Contiguous().ToArray<float>();
        Assert.That(b, Is.EqualTo(a).Within(1e-5f));
    }

    [Test]
    public void TrainingWeightsAreTheDroppedOutOnesAsTorchReturnsThem()
    {
        // torch 1.13's multi_head_attention_forward applies dropout to attn_output_weights and
        // returns that tensor: zeros where dropped, softmax / (1 - p) elsewhere.
        Tensor.ManualSeed(8);
        var mha = new MultiheadAttention(8, 2, dropout: 0.5);
        Tensor x = Tensor.Randn(6, 3, 8);
        mha.Eval();
        float[] eval = mha.Forward(x, x, x, averageAttnWeights: false).Weights!.Contiguous().ToArray<float>();
        mha.Train();
        float[] train = mha.Forward(x, x, x, averageAttnWeights: false).Weights!.Contiguous().ToArray<float>();
        int dropped = train.Count(w => w == 0);
        Assert.That(dropped, Is.InRange(train.Length / 4, 3 * train.Length / 4), "about half the weights dropped");
        for (int i = 0; i < train.Length; i++)
        {
            if (train[i] != 0)
            {
                Assert.That(train[i], Is.EqualTo(eval[i] * 2).Within(1e-5f), $"weight {i}");
            }
        }
    }

    [Test]
    public void BadArgumentsFailByName()
    {
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(10, 3));
        var mha = new MultiheadAttention(8, 2);
        Tensor x = Tensor.Zeros(5, 3, 8);
        var e = Assert.Throws<ShapeMismatchException>(() => mha.Forward(x, x, x, attnMask: Tensor.Zeros(5, 4)));
        Assert.That(e!.Message, Does.Contain("attn_mask").And.Contain("[5, 4]").And.Contain("[5, 5]"));
        e = Assert.Throws<ShapeMismatchException>(() => mha.Forward(x, x, x, keyPaddingMask: Tensor.Zeros([3, 4], DType.Bool)));
        Assert.That(e!.Message, Does.Contain("key_padding_mask"));
        e = Assert.Throws<ShapeMismatchException>(() => mha.Forward(x, x, Tensor.Zeros(5, 3, 7)));
        Assert.That(e!.Message, Does.Contain("MultiheadAttention"));
        Assert.Throws<DTypeMismatchException>(() => mha.Forward(x, x, x, attnMask: Tensor.Zeros([5, 5], DType.Int64)));
    }
}
