// A GPT-2-small training step (12 pre-norm blocks of 12 heads, d_model 768, feed-forward 3072
// with GELU, vocabulary 50257, context 1024, the LM head tied to the token embedding: 124M
// parameters) through the C# API, timed in tokens per second: forward, cross-entropy over every
// position, backward and an AdamW step on random tokens. gpt2_torch.py builds the same model from
// PyTorch's layers, and compare.py runs both on one device.
//
//   Gpt2 [--device cuda|cpu] [--batch B] [--ctx T] [--layers L] [--d-model D] [--heads H]
//        [--vocab V] [--steps N] [--bf16]
//
// Defaults: GPT-2 small, batch 8 x 1024 tokens, 10 timed steps after 3 warm-up steps, float32
// (--bf16: Autocast to bfloat16, as torch.autocast). Prints "tokens_per_s <value>" and the
// parameter count; smaller shapes serve as a dry run on the CPU.
using System.Diagnostics;
using System.Globalization;
using Compute;
using Compute.Amp;
using Compute.NN;
using Compute.Optim;

string device = "cuda";
int batch = 8, ctx = 1024, layers = 12, dModel = 768, heads = 12, vocab = 50257, steps = 10;
bool bf16 = false;
for (int i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--device" when i + 1 < args.Length: device = args[++i]; break;
        case "--batch" when i + 1 < args.Length: batch = Next(); break;
        case "--ctx" when i + 1 < args.Length: ctx = Next(); break;
        case "--layers" when i + 1 < args.Length: layers = Next(); break;
        case "--d-model" when i + 1 < args.Length: dModel = Next(); break;
        case "--heads" when i + 1 < args.Length: heads = Next(); break;
        case "--vocab" when i + 1 < args.Length: vocab = Next(); break;
        case "--steps" when i + 1 < args.Length: steps = Next(); break;
        case "--bf16": bf16 = true; break;
        default: throw new ArgumentException($"unknown argument {args[i]} (see the top of bench/gpt2/Program.cs)");
    }
}
Device dev = device == "cuda" ? Device.Cuda() : Device.Cpu;
if (dev.Type == DeviceType.Cuda && !Cuda.IsAvailable)
{
    Console.Error.WriteLine($"Gpt2: no CUDA device: {Cuda.UnavailableReason}");
    return 1;
}

Tensor.ManualSeed(0);
var model = new Gpt2(vocab, ctx, dModel, heads, layers);
model.To(dev);
long count = model.Parameters().Sum(p => p.NumberOfElements);
var optimizer = new AdamW(model.Parameters(), lr: 3e-4, weightDecay: 0.1);
Tensor tokens = Tensor.Randint(0, vocab, [batch, ctx + 1]).To(dev);
Tensor input = tokens.Narrow(1, 0, ctx), target = tokens.Narrow(1, 1, ctx);

double lastLoss = 0;
void Step()
{
    using var scope = TensorScope.Begin();
    Tensor loss;
    using (bf16 ? new Autocast(DType.BFloat16) : null)
    {
        Tensor logits = model.Forward(input);
        loss = Functional.CrossEntropy(logits.Reshape(-1, vocab).To(DType.Float32), target.Reshape(-1));
    }
    loss.Backward();
    optimizer.Step();
    model.ZeroGrad();
    lastLoss = loss.Item<float>();  // reads the loss back: the step has finished on the device
}

for (int i = 0; i < 3; i++)
{
    Step();
}
var clock = Stopwatch.StartNew();
for (int i = 0; i < steps; i++)
{
    Step();
}
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"parameters {count}");
Console.WriteLine($"loss {lastLoss.ToString("F4", CultureInfo.InvariantCulture)}");
Console.WriteLine($"tokens_per_s {(steps * (double)batch * ctx / seconds).ToString("F1", CultureInfo.InvariantCulture)}");
return 0;

/// <summary>GPT-2's decoder: token and position embeddings, pre-norm blocks with a causal mask,
/// a final LayerNorm and the LM head tied to the token embedding.</summary>
internal sealed class Gpt2 : Module<Tensor, Tensor>
{
    public Gpt2(int vocab, int ctx, int dModel, int heads, int layers)
    {
        Wte = new Embedding(vocab, dModel);
        Wpe = new Embedding(ctx, dModel);
        var block = new TransformerEncoderLayer(dModel, heads, 4 * dModel, dropout: 0.0, activation: "gelu",
            batchFirst: true, normFirst: true);
        Blocks = new TransformerEncoder(block, layers);
        LnF = new LayerNorm(dModel);
        // GPT-2's initialisation of the embeddings (std 0.02), so the tied head starts near uniform.
        using var noGrad = Autograd.NoGrad();
        Init.NormalInPlace(Wte.Weight, 0, 0.02);
        Init.NormalInPlace(Wpe.Weight, 0, 0.02);
    }

    public Embedding Wte { get; }

    public Embedding Wpe { get; }

    public TransformerEncoder Blocks { get; }

    public LayerNorm LnF { get; }

    /// <summary>ids [B, T] -> logits [B, T, vocab].</summary>
    protected override Tensor ForwardCore(Tensor ids)
    {
        long t = ids.Shape[1];
        Device d = ids.Device;
        Tensor x = Wte.Forward(ids) + Wpe.Forward(Tensor.Arange(t).To(d));
        Tensor causal = Tensor.Ones([t, t], DType.Bool).Triu(1).To(d);
        return Functional.Linear(LnF.Forward(Blocks.Forward(x, causal)), Wte.Weight);
    }
}
