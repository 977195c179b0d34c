using Compute.Data;
using Compute.IO;
using Compute.NN;
using Compute.Optim;

namespace Compute.Tests.Data;

/// <summary>Checkpoint.Save/Load with real modules, an optimizer and a scheduler.</summary>
public class CheckpointTests : TempFolderTest
{
    private sealed class Run
    {
        internal readonly Sequential Model;
        internal readonly Optimizer Optimizer;
        internal readonly LRScheduler Scheduler;
        internal readonly List<float> Losses = new();
        internal long Step;
        private readonly DataLoader _loader;

        internal Run(TensorDataset data, bool adam)
        {
            Tensor.ManualSeed(7);
            Model = new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
            Optimizer = adam ? new AdamW(Model.Parameters(), lr: 0.01) : new SGD(Model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 1e-3);
            Scheduler = new StepLR(Optimizer, stepSize: 1, gamma: 0.8);
            _loader = new DataLoader(data, batchSize: 8, shuffle: true);
        }

        internal void Epoch()
        {
            Model.Train();
            foreach (Tensor[] batch in _loader)
            {
                using var scope = TensorScope.Begin();
                Optimizer.ZeroGrad();
                Tensor loss = Functional.CrossEntropy(Model.Forward(batch[0]), batch[1]);
                loss.Backward();
                Optimizer.Step();
                Losses.Add(loss.Item<float>());
                Step++;
            }
            Scheduler.Step();
        }
    }

    private static TensorDataset Data()
    {
        Tensor.ManualSeed(99);
        return new TensorDataset(Tensor.Randn(40, 4), Tensor.Randint(0, 3, new long[] { 40 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ResumingIsBitIdentical(bool adam)
    {
        TensorDataset data = Data();
        var straight = new Run(data, adam);
        for (int e = 0; e < 4; e++) straight.Epoch();

        var first = new Run(data, adam);
        first.Epoch();
        first.Epoch();
        string path = Path.Combine(Dir, "run.safetensors");
        Checkpoint.Save(path, first.Model, first.Optimizer, first.Scheduler, first.Step, epoch: 2);
        using (Tensor.Rand(100)) { }   // the random stream moves on before the resume

        var resumed = new Run(data, adam);   // fresh weights and optimizer state, all replaced by the load
        TrainingCheckpoint c = Checkpoint.Load(path, resumed.Model, resumed.Optimizer, resumed.Scheduler);
        resumed.Step = c.Step;
        Assert.That(c.Epoch, Is.EqualTo(2));
        resumed.Epoch();
        resumed.Epoch();

        Assert.That(first.Losses.Concat(resumed.Losses), Is.EqualTo(straight.Losses), "per-step losses, bit for bit");
        Assert.That(resumed.Scheduler.GetLastLr(), Is.EqualTo(straight.Scheduler.GetLastLr()));
        foreach (var (name, p) in straight.Model.NamedParameters())
        {
            Tensor q = resumed.Model.NamedParameters().Single(x => x.Name == name).Parameter;
            Assert.That(q.ToBytes(), Is.EqualTo(p.ToBytes()), name);
        }
    }

    [Test]
    public void LoadNamesAMismatchedKey()
    {
        var model = new Sequential(new Linear(4, 3));
        string path = Path.Combine(Dir, "m.safetensors");
        Checkpoint.Save(path, model);
        var other = new Sequential(new Linear(5, 3));
        var e = Assert.Catch<ArgumentException>(() => Checkpoint.Load(path, other));
        Assert.That(e!.Message, Does.Contain("0.weight"));
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model, new SGD(model.Parameters(), lr: 0.1)));
    }
}
