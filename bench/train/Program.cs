// Whole training steps through the C# API: zero the gradients, forward, loss, backward and the
// optimizer's step, on the models of the examples (MNIST's MLP and CNN, a pre-norm Transformer
// encoder layer as in examples/char-gpt). Prints one line per model, read by
// bench/train/compare.py, which runs the same steps in PyTorch (models.py there defines them
// the same way: same layers, shapes, optimizer and hyper-parameters).
//
//   Train [--threads N] [--seconds S] [--cpu-time] [--filter NAME]
//
// Timing rule (as in every Compute benchmark): warm-up steps (long enough for the JIT's tiered
// compilation), then batches of steps until S seconds have passed (at least 3 batches); the
// best batch is reported as microseconds per step. With --cpu-time the clock is the process's
// CPU time (every thread: the pool's workers and the GC count too).
using System.Diagnostics;
using System.Globalization;
using Compute;
using Compute.NN;
using Compute.Optim;

int threads = 0;
double seconds = 2.0;
bool cpuTime = false;
string? filter = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads" && i + 1 < args.Length) threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--cpu-time") cpuTime = true;
    else if (args[i] == "--filter" && i + 1 < args.Length) filter = args[++i];
    else throw new ArgumentException($"unknown argument {args[i]} (expected --threads N, --seconds S, --cpu-time, --filter NAME)");
}
if (threads > 0) Tensor.SetNumThreads(threads);
Tensor.ManualSeed(0);

// MNIST's MLP: 784 -> 128 -> 10, batch 64, SGD with momentum.
Run("mlp", "batch 64 of [1, 28, 28], SGD momentum 0.9", () =>
{
    var model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
    var x = Tensor.Randn(64, 1, 28, 28);
    var y = Tensor.Randint(0, 10, new long[] { 64 });
    var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
    return () => Step(opt, () => Functional.CrossEntropy(model.Forward(x), y));
});

// MNIST's CNN (examples/mnist/Models.cs), batch 64, SGD with momentum; dropout is active.
Run("cnn", "batch 64 of [1, 28, 28], SGD momentum 0.9", () =>
{
    var model = new Sequential(
        new Conv2d(1, 16, 5), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 5), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(512, 128), new ReLU(), new Dropout(0.25),
        new Linear(128, 10));
    var x = Tensor.Randn(64, 1, 28, 28);
    var y = Tensor.Randint(0, 10, new long[] { 64 });
    var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
    return () => Step(opt, () => Functional.CrossEntropy(model.Forward(x), y));
});

// One pre-norm Transformer encoder layer (d_model 128, 4 heads, feed-forward 512, GELU, dropout
// 0.1, causal mask) and a 64-way token classifier, batch 16 x 64 tokens, AdamW.
Run("transformer", "batch 16 x 64 tokens, d 128, 4 heads, AdamW", () =>
{
    var layer = new TransformerEncoderLayer(128, 4, 512, 0.1, activation: "gelu", batchFirst: true, normFirst: true);
    var head = new Linear(128, 64);
    var x = Tensor.Randn(16, 64, 128);
    var y = Tensor.Randint(0, 64, new long[] { 16 * 64 });
    var mask = Tensor.Ones([64, 64], DType.Bool).Triu(1);  // true blocks: causal
    var opt = new AdamW(layer.Parameters().Concat(head.Parameters()), lr: 1e-3, weightDecay: 0.01);
    return () => Step(opt, () => Functional.CrossEntropy(head.Forward(layer.Forward(x, mask)).Reshape(-1, 64), y));
});

static void Step(Optimizer opt, Func<Tensor> loss)
{
    using var scope = TensorScope.Begin();
    opt.ZeroGrad();
    loss().Backward();
    opt.Step();
}

void Run(string name, string what, Func<Action> setup)
{
    if (filter != null && !name.Contains(filter, StringComparison.Ordinal)) return;
    Action step = setup();
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < Math.Max(1.0, seconds / 2)) step();
    // Steps per batch: about 0.1 s each, at least one.
    var probe = Stopwatch.StartNew();
    step();
    int perBatch = Math.Max(1, (int)(0.1 / Math.Max(probe.Elapsed.TotalSeconds, 1e-6)));
    double best = double.MaxValue, total = 0;
    int batches = 0;
    while (batches < 3 || total < seconds)
    {
        double t0 = Clock();
        for (int i = 0; i < perBatch; i++) step();
        double t = Clock() - t0;
        best = Math.Min(best, t / perBatch);
        total += t;
        batches++;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}\t{best * 1e6:F1}\t{what}"));
}

double Clock() => cpuTime
    ? Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds
    : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
