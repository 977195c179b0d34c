// Per-op overhead of tiny tensors through the C# API, end to end: argument checks, the
// P/Invoke call with SafeHandle reference counting, the native op on 16 elements, the result's
// Tensor and TensorHandle, and disposing it. Prints one line per case, read by
// bench/ops/compare.py, which times the same loops in PyTorch.
//
//   Overhead [--threads N] [--seconds S]
//
// Timing rule (as in every Compute benchmark): a warm-up (here long enough for the JIT's
// tiered compilation to reach its optimised code), then batches of a fixed number of
// iterations until S seconds have passed (at least 3 batches); the best batch is reported as
// nanoseconds per iteration.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Compute;

int threads = 0;
double seconds = 0.5;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--threads" && i + 1 < args.Length) threads = int.Parse(args[++i]);
    else if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    else throw new ArgumentException($"unknown argument {args[i]} (expected --threads N, --seconds S)");
}
if (threads > 0) Raw.Check(Raw.cmp_set_num_threads(threads));

using var a = Tensor.Rand(16);
using var b = Tensor.Rand(16);

// 16-element add, result disposed each time (a user's `using var c = a + b;`).
Report("add16", 1, () =>
{
    using var c = a + b;
});

// 100 dependent ops on 16 elements (alternating + and *), each intermediate disposed when
// the next exists: the cost of a chain of small ops such as a tiny model's forward pass.
Report("chain100", 100, () =>
{
    Tensor y = a;
    for (int i = 0; i < 100; i++)
    {
        Tensor next = (i & 1) == 0 ? y + b : y * b;
        if (!ReferenceEquals(y, a)) y.Dispose();
        y = next;
    }
    y.Dispose();
});

// The same chain under autograd (issue 4: "the overhead of a 100-op tiny-tensor chain with and
// without grad"): a requires grad, so each op also records its node and saves what its
// backward needs; the graph is freed when the last tensor is disposed.
using var ag = Tensor.Rand(16).RequiresGradInPlace();
Tensor Chain(Tensor start)
{
    Tensor y = start;
    for (int i = 0; i < 100; i++)
    {
        Tensor next = (i & 1) == 0 ? y + b : y * b;
        if (!ReferenceEquals(y, start)) y.Dispose();
        y = next;
    }
    return y;
}
Report("chain100_grad", 100, () => Chain(ag).Dispose());

// Forward with grad, then backward through the 100 nodes (plus the sum that makes a scalar);
// the gradient is dropped each time (PyTorch 2's zero_grad(set_to_none=True)).
Report("chain100_backward", 100, () =>
{
    using Tensor y = Chain(ag);
    using Tensor loss = y.Sum();
    loss.Backward();
    ag.Grad!.Dispose();
    ag.Grad = null;
});

// The floor under the C# API: the same add through a bare P/Invoke with raw handles (no
// SafeHandle, no Tensor object), i.e. the native op plus the transition.
nint ra = Raw.Rand16(), rb = Raw.Rand16();
Report("add16_raw_pinvoke", 1, () =>
{
    Raw.Check(Raw.cmp_add(ra, rb, Raw.One, out nint c));
    Raw.cmp_tensor_release(c);
});
Raw.cmp_tensor_release(ra);
Raw.cmp_tensor_release(rb);

void Report(string name, int opsPerIteration, Action body)
{
    // Warm-up: ~0.3 s, so tiered JIT compilation and PGO have settled before timing.
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < 0.3) body();
    // About 2000 ops per batch whatever the case (PyTorch's side does the same): on a shared
    // machine a longer batch mostly measures time spent descheduled.
    int batch = Math.Max(1, 2000 / opsPerIteration);
    double best = double.MaxValue, total = 0;
    int batches = 0;
    int gen2Before = GC.CollectionCount(2);
    while (batches < 3 || total < seconds)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) body();
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        best = Math.Min(best, s);
        total += s;
        batches++;
    }
    double nsPerIteration = best / batch * 1e9;
    // Full (gen2) collections per million ops while timing: the best batch leaves their pauses
    // out, so this says how often the amortised cost is paid.
    double gen2PerMillion = (GC.CollectionCount(2) - gen2Before) * 1e6 / ((double)batches * batch * opsPerIteration);
    Console.WriteLine(FormattableString.Invariant(
        $"overhead {name} ops={opsPerIteration} batches={batches} ns_per_iter={nsPerIteration:F1} ns_per_op={nsPerIteration / opsPerIteration:F1} gen2_gcs_per_million_ops={gen2PerMillion:F1}"));
}

static unsafe partial class Raw
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Scalar
    {
        public int Kind;
        public int Reserved;
        public double F;
        public long I;
    }

    internal static readonly Scalar One = new() { Kind = 1, I = 1 };

    [LibraryImport("compute")]
    internal static partial int cmp_add(nint a, nint b, Scalar alpha, out nint result);

    [LibraryImport("compute")]
    internal static partial int cmp_tensor_release(nint tensor);

    [LibraryImport("compute")]
    internal static partial int cmp_set_num_threads(int threads);

    [LibraryImport("compute")]
    private static partial int cmp_rand(long* sizes, long ndim, int dtype, Device device, out nint result);

    [StructLayout(LayoutKind.Sequential)]
    private struct Device
    {
        public int Type;
        public int Index;
    }

    internal static nint Rand16()
    {
        long size = 16;
        Check(cmp_rand(&size, 1, 0, default, out nint t));
        return t;
    }

    internal static void Check(int status)
    {
        if (status != 0) throw new InvalidOperationException($"native call failed with status {status}");
    }
}
