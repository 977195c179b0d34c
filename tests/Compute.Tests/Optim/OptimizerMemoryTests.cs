using Compute;
using Compute.NN;
using Compute.Optim;

namespace Compute.Tests.Optim;

/// <summary>
/// A training loop through Compute.Optim with no Dispose call keeps native memory bounded (the
/// short CI variant of bench/soak, whose 5,000-step figures are in docs/PERFORMANCE.md): the
/// optimizer's state is created once and updated in place, everything else is reclaimed.
/// </summary>
[NonParallelizable]
public class OptimizerMemoryTests
{
    [Test]
    public void AdamWLoopWithoutDisposeHoldsBoundedMemory()
    {
        long threshold = ComputeMemory.CollectionThreshold;
        ComputeMemory.CollectionThreshold = 16L << 20;
        try
        {
            Tensor w1 = (Tensor.Randn(128, 256) * 0.05).RequiresGradInPlace(), w2 = (Tensor.Randn(10, 128) * 0.05).RequiresGradInPlace();
            var opt = new AdamW([w1, w2], lr: 1e-3);
            var sched = new CosineAnnealingLR(opt, tMax: 100);
            long baseline = ComputeMemory.Stats().Allocated, peak = 0;
            Tensor? stateBefore = null;
            for (int i = 0; i < 1500; i++)
            {
                Tensor x = Tensor.Randn(64, 256);
                Tensor y = Tensor.Randint(0, 10, [64]);
                Tensor loss = Functional.CrossEntropy(Functional.Relu(x.MatMul(w1.Transpose(0, 1))).MatMul(w2.Transpose(0, 1)), y);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
                sched.Step();
                stateBefore ??= opt.GetState(w1)!.Tensors["exp_avg"];
                peak = Math.Max(peak, ComputeMemory.Stats().Allocated - baseline);
            }
            // The state tensors are the same objects throughout (updated in place, never replaced).
            Assert.That(opt.GetState(w1)!.Tensors["exp_avg"], Is.SameAs(stateBefore));
            // ~300 KiB of activations and gradients per step: 1,500 steps would be ~450 MiB without reclamation.
            Assert.That(peak, Is.LessThan(128L << 20));
        }
        finally
        {
            ComputeMemory.CollectionThreshold = threshold;
        }
    }
}
