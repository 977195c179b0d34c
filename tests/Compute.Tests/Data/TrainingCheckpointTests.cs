using Compute.Data;
using Compute.IO;
using Compute.NN;

namespace Compute.Tests.Data;

public class TrainingCheckpointTests : TempFolderTest
{
    /// <summary>
    /// A small training run written with functional ops: a 2-layer MLP with dropout (draws from
    /// the default generator), a shuffled loader without its own generator (its order comes from
    /// the default generator too) and SGD with momentum (a state tensor per parameter).
    /// </summary>
    private sealed class Run
    {
        internal readonly OrderedDictionary<string, Tensor> Parameters = new();
        internal readonly OrderedDictionary<string, Tensor> Momentum = new();
        internal long Step;
        internal readonly List<float> Losses = new();
        private readonly DataLoader _loader;

        internal Run(TensorDataset data)
        {
            Tensor.ManualSeed(2024);
            Parameters["fc1.weight"] = (Tensor.Randn(16, 4) * 0.5).RequiresGradInPlace();
            Parameters["fc1.bias"] = Tensor.Zeros(16).RequiresGradInPlace();
            Parameters["fc2.weight"] = (Tensor.Randn(3, 16) * 0.25).RequiresGradInPlace();
            Parameters["fc2.bias"] = Tensor.Zeros(3).RequiresGradInPlace();
            _loader = new DataLoader(data, batchSize: 8, shuffle: true);
        }

        internal void Epoch()
        {
            foreach (Tensor[] batch in _loader)
            {
                using var scope = TensorScope.Begin();
                Tensor h = Functional.Relu(batch[0].MatMul(Parameters["fc1.weight"].Transpose(0, 1)) + Parameters["fc1.bias"]);
                h = Functional.Dropout(h, 0.2);
                Tensor logits = h.MatMul(Parameters["fc2.weight"].Transpose(0, 1)) + Parameters["fc2.bias"];
                Tensor loss = Functional.CrossEntropy(logits, batch[1]);
                loss.Backward();
                Losses.Add(loss.Item<float>());
                using (Autograd.NoGrad())
                {
                    foreach (var (name, p) in Parameters)
                    {
                        Tensor grad = p.Grad!;
                        if (!Momentum.TryGetValue(name, out Tensor? buf))
                        {
                            Momentum[name] = scope.Keep(grad.Clone());
                        }
                        else
                        {
                            buf.MulInPlace(0.9).AddInPlace(grad);
                        }
                        p.SubInPlace(Momentum[name] * 0.05);
                        p.Grad = null;
                    }
                }
                Step++;
            }
        }

        internal TrainingCheckpoint Checkpoint(long epoch) => new()
        {
            Model = Parameters,
            OptimizerTensors = Momentum,
            OptimizerJson = "{\"lr\":0.05,\"momentum\":0.9}",
            RngState = Tensor.GetRngState(),
            Step = Step,
            Epoch = epoch,
            Extra = { ["run"] = "test" },
        };

        internal void Restore(TrainingCheckpoint c)
        {
            foreach (var (name, t) in c.Model) Parameters[name] = t.RequiresGradInPlace();
            Momentum.Clear();
            foreach (var (name, t) in c.OptimizerTensors) Momentum[name] = t;
            Tensor.SetRngState(c.RngState!);
            Step = c.Step;
        }
    }

    private static TensorDataset Data()
    {
        Tensor.ManualSeed(99);
        Tensor x = Tensor.Randn(40, 4);
        Tensor y = Tensor.Randint(0, 3, new long[] { 40 });
        return new TensorDataset(x, y);
    }

    [Test]
    public void ResumingFromACheckpointIsBitIdentical()
    {
        TensorDataset data = Data();
        var straight = new Run(data);
        for (int e = 0; e < 4; e++) straight.Epoch();

        var first = new Run(data);
        first.Epoch();
        first.Epoch();
        string path = Path.Combine(Dir, "ckpt.safetensors");
        first.Checkpoint(2).Save(path);
        // Anything may happen in between: other random draws, another process.
        using (Tensor.Rand(1000)) { }

        var resumed = new Run(data);
        TrainingCheckpoint loaded = TrainingCheckpoint.Load(path);
        Assert.That((loaded.Step, loaded.Epoch, loaded.Extra["run"]), Is.EqualTo((10L, 2L, "test")));
        Assert.That(loaded.OptimizerJson, Does.Contain("momentum"));
        resumed.Restore(loaded);
        resumed.Epoch();
        resumed.Epoch();

        Assert.That(resumed.Step, Is.EqualTo(straight.Step));
        Assert.That(first.Losses.Concat(resumed.Losses), Is.EqualTo(straight.Losses), "per-step losses, bit for bit");
        foreach (var (name, p) in straight.Parameters)
        {
            Assert.That(resumed.Parameters[name].ToBytes(), Is.EqualTo(p.ToBytes()), name);
        }
    }

    [Test]
    public void AFileThatIsNotACheckpointIsRejected()
    {
        string path = Path.Combine(Dir, "plain.safetensors");
        using var t = Tensor.Ones(2);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["w"] = t }, path);
        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        Assert.That(e!.Message, Does.Contain("not a Compute training checkpoint"));
    }
}
