// A tour of Compute's tensors, written the way a PyTorch user would write it in C#.
// Run it with `./build.sh run-example`; each section prints what it computes.
using Compute;

static void Section(string title) => Console.WriteLine($"\n== {title}");

// A scope disposes every tensor created inside it when it ends, so the tour needs no
// `using` per temporary; a tensor that must outlive a scope is kept with scope.Keep(t).
using var scope = TensorScope.Begin();

Section("creation");
var x = Tensor.Arange(12, dtype: DType.Float32).Reshape(3, 4);
Console.WriteLine(x);
Console.WriteLine($"shape [{string.Join(", ", x.Shape)}], strides [{string.Join(", ", x.Strides)}], dtype {x.DType}, device {x.Device}");
Console.WriteLine(Tensor.Ones(2, 2));
Console.WriteLine(Tensor.From(new[] { 1.5, -2.0, 3.25 }, 3));

Section("views share storage");
var row = x[1];                 // x[1]
var cols = x[.., 1..3];         // x[:, 1:3]
var last = x[^1];               // x[-1]
Console.WriteLine(row);
Console.WriteLine(cols);
Console.WriteLine(last);
Console.WriteLine(x.T);         // transpose: no copy, different strides
Console.WriteLine($"x.T is contiguous: {x.T.IsContiguous}");

Section("broadcasting and type promotion");
var bias = Tensor.From(new[] { 10f, 20f, 30f, 40f }, 4);
Console.WriteLine(x + bias);                       // [3,4] + [4]
var ints = Tensor.Arange(4, dtype: DType.Int32);
Console.WriteLine((ints + 0.5).DType);             // int32 + Python-like float -> float32
Console.WriteLine((ints / 2).DType);               // true division of integers -> float32
Console.WriteLine(x > 5);                          // comparisons give bool tensors

Section("reductions");
Console.WriteLine($"sum {x.Sum().Item<float>()}, mean {x.Mean().Item<float>()}");
Console.WriteLine(x.Sum(dim: 0));
Console.WriteLine(x.Mean(dim: 1, keepDim: true));

Section("matmul");
var w = Tensor.Arange(8, dtype: DType.Float32).Reshape(4, 2);
Console.WriteLine(x.MatMul(w));                    // [3,4] @ [4,2]
var batch = Tensor.Ones(5, 3, 4).MatMul(w);        // batched: [5,3,4] @ [4,2]
Console.WriteLine($"batched matmul shape [{string.Join(", ", batch.Shape)}]");

Section("random numbers (Philox: same seed, same numbers, any thread count)");
Tensor.ManualSeed(42);
var r1 = Tensor.Randn(2, 3);
Tensor.ManualSeed(42);
var r2 = Tensor.Randn(2, 3);
Console.WriteLine(r1);
Console.WriteLine($"reproducible: {r1.ToArray<float>().SequenceEqual(r2.ToArray<float>())}");

Section("bad input is an exception naming the op and the shapes");
try
{
    x.MatMul(x);
}
catch (ArgumentException e)
{
    Console.WriteLine($"{e.GetType().Name}: {e.Message}");
}
