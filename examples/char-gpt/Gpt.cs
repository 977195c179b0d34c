using Compute;
using Compute.NN;

namespace CharGpt;

/// <summary>
/// A decoder-only Transformer over characters: token and learned position embeddings, pre-norm
/// blocks (TransformerEncoderLayer with normFirst and a causal mask, the usual way to build a
/// GPT from PyTorch's layers), a final LayerNorm and an untied linear head to next-character logits.
/// </summary>
internal sealed class Gpt : Module<Tensor, Tensor>
{
    public Gpt(int vocabSize, int blockSize, int dModel, int heads, int layers, double dropout)
    {
        BlockSize = blockSize;
        TokEmb = new Embedding(vocabSize, dModel);
        PosEmb = new Embedding(blockSize, dModel);
        var block = new TransformerEncoderLayer(dModel, heads, 4 * dModel, dropout, activation: "gelu", batchFirst: true, normFirst: true);
        Blocks = new TransformerEncoder(block, layers);
        LnF = new LayerNorm(dModel);
        Head = new Linear(dModel, vocabSize);
    }

    public int BlockSize { get; }

    public Embedding TokEmb { get; }

    public Embedding PosEmb { get; }

    public TransformerEncoder Blocks { get; }

    public LayerNorm LnF { get; }

    public Linear Head { get; }

    /// <summary>ids [B, T] (T ≤ BlockSize) → logits [B, T, vocab].</summary>
    protected override Tensor ForwardCore(Tensor ids)
    {
        long t = ids.Shape[1];
        Tensor x = TokEmb.Forward(ids) + PosEmb.Forward(Tensor.Arange(t));
        // true above the diagonal: position i may not look at positions after it.
        Tensor causal = Tensor.Ones([t, t], DType.Bool).Triu(1);
        return Head.Forward(LnF.Forward(Blocks.Forward(x, causal)));
    }

    /// <summary>Continues <paramref name="context"/> [1, T] by <paramref name="count"/> sampled characters.</summary>
    public Tensor Generate(Tensor context, int count, double temperature)
    {
        using var noGrad = Autograd.NoGrad();
        Tensor ids = context;
        for (int i = 0; i < count; i++)
        {
            long t = ids.Shape[1];
            Tensor window = t > BlockSize ? ids.Narrow(1, t - BlockSize, BlockSize) : ids;
            Tensor logits = Forward(window).Select(1, -1) / temperature;
            Tensor next = logits.Softmax(-1).Multinomial(1);
            ids = Tensor.Cat([ids, next], 1);
        }
        return ids;
    }
}
