using System.Diagnostics;
using Compute;
using Compute.Data;
using Compute.NN;

namespace MnistExample;

/// <summary>
/// `--soak N`: the MNIST training loop written as a newcomer writes it, with no Dispose and no
/// TensorScope, for N steps (epochs repeat as needed), printing the process's memory every 500
/// steps: native bytes allocated, the GC heap and the resident set. Flat figures show that
/// undisposed tensors are reclaimed (GC memory pressure and the allocator's collection hook).
/// </summary>
internal static class Soak
{
    internal static void Run(Dataset<Tensor[]> train, int steps)
    {
        Sequential model = Models.Mlp();
        var loader = new DataLoader(train, batchSize: 64, shuffle: true, numWorkers: 2);
        const double lr = 0.05;
        Console.WriteLine($"Soak: {steps} steps of the MLP loop with no Dispose and no scope");
        Console.WriteLine("   step   loss   native allocated MiB   GC heap MiB   resident MiB");
        var watch = Stopwatch.StartNew();
        int step = 0;
        while (step < steps)
        {
            foreach (Tensor[] batch in loader)
            {
                Tensor loss = Functional.CrossEntropy(model.Forward(batch[0]), batch[1]);
                loss.Backward();
                using (Autograd.NoGrad())
                {
                    foreach (Tensor p in model.Parameters())
                    {
                        p.SubInPlace(p.Grad! * lr);
                        p.Grad = null;
                    }
                }
                if (++step % 500 == 0 || step == 1)
                {
                    Process self = Process.GetCurrentProcess();
                    Console.WriteLine($"{step,7} {loss.Item<float>(),7:F4} {ComputeMemory.Stats().Allocated / 1048576.0,22:F1} " +
                                      $"{GC.GetTotalMemory(false) / 1048576.0,13:F1} {self.WorkingSet64 / 1048576.0,14:F1}");
                }
                if (step == steps) break;
            }
        }
        Console.WriteLine($"Soak: {steps} steps in {watch.Elapsed.TotalSeconds:F0} s");
    }
}
