// Memory soak of an MNIST-like training loop through Compute.Optim, written the way a newcomer
// writes it: no Dispose call, no TensorScope. An MLP 784-128-10 trains with AdamW (two state
// tensors per parameter) and a cosine learning-rate schedule on random batches of 64 for STEPS
// steps (default 5,000). Every 250 steps it prints the native bytes allocated, the bytes held by
// undisposed tensors, the GC heap and the resident set; at the end, the range of each after the
// first 1,000 steps. Flat ranges show that undisposed tensors (activations, gradients, the
// optimizer's temporaries: none, its updates are fused in place) are reclaimed.
//
//   dotnet run -c Release --project bench/soak [-- STEPS]
using System.Diagnostics;
using Compute;
using Compute.NN;
using Compute.Optim;

int steps = args.Length > 0 ? int.Parse(args[0]) : 5000;
Tensor.ManualSeed(0);

var model = new Mlp();
var optimizer = new AdamW(model.Parameters(), lr: 1e-3);
var scheduler = new CosineAnnealingLR(optimizer, tMax: 1000);

Console.WriteLine($"Soak: {steps} steps, MLP 784-128-10, AdamW + CosineAnnealingLR, batch 64, no Dispose");
Console.WriteLine("   step     loss   native MiB   undisposed MiB   GC heap MiB   resident MiB");
var samples = new List<(int Step, double Native, double Undisposed, double Gc, double Rss)>();
var watch = Stopwatch.StartNew();
for (int step = 1; step <= steps; step++)
{
    Tensor x = Tensor.Randn(64, 784);
    Tensor y = Tensor.Randint(0, 10, [64]);
    Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
    optimizer.ZeroGrad();
    loss.Backward();
    optimizer.Step();
    scheduler.Step();
    if (step % 250 == 0 || step == 1)
    {
        const double MiB = 1048576.0;
        Process self = Process.GetCurrentProcess();
        var s = (step, ComputeMemory.Stats().Allocated / MiB, ComputeMemory.UndisposedBytes / MiB, GC.GetTotalMemory(false) / MiB,
            self.WorkingSet64 / MiB);
        samples.Add(s);
        Console.WriteLine($"{step,7} {loss.Item<float>(),8:F4} {s.Item2,12:F1} {s.Item3,16:F1} {s.Item4,13:F1} {s.Item5,14:F1}");
    }
}
Console.WriteLine($"Soak: {steps} steps in {watch.Elapsed.TotalSeconds:F0} s");
var late = samples.Where(s => s.Step >= Math.Min(1000, steps)).ToList();
Console.WriteLine($"After step {late[0].Step}: native {late.Min(s => s.Native):F1}-{late.Max(s => s.Native):F1} MiB, " +
                  $"GC heap {late.Min(s => s.Gc):F1}-{late.Max(s => s.Gc):F1} MiB, resident {late.Min(s => s.Rss):F1}-{late.Max(s => s.Rss):F1} MiB");

/// <summary>784 -> 128 -> 10 with ReLU, from nn.Linear layers.</summary>
internal sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1 = new(784, 128), fc2 = new(128, 10);

    protected override Tensor ForwardCore(Tensor x) => fc2.Forward(Functional.Relu(fc1.Forward(x)));
}
