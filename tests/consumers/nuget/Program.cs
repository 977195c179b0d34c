// The tensor tour of examples/c and examples/cpp, run through the Compute NuGet package by a
// fresh console project (tests/consumers/nuget_consumer.sh). Prints one line per result,
// "name: v1 v2 ...", checked against PyTorch's numbers in expected/tensor_tour.txt.
using System;
using System.Globalization;
using System.Linq;
using Compute;

static void Print(string name, Tensor t)
{
    using var asDouble = t.To(DType.Float64);
    var values = asDouble.ToArray<double>().Select(v => v.ToString("G9", CultureInfo.InvariantCulture));
    Console.WriteLine($"{name}: {string.Join(" ", values)}");
}

using var scope = TensorScope.Begin();   // everything created below is freed at the end
var a = Tensor.Arange(6, dtype: DType.Float32).Reshape(2, 3);
var b = Tensor.Arange(12, dtype: DType.Float32).Reshape(3, 4);
var c = a.MatMul(b);
Print("matmul", c);

var d = c.Add(Tensor.Arange(4, dtype: DType.Float32), alpha: 0.5);   // broadcast over rows
Print("add_alpha", d);
Print("sum", d.Sum());
Print("mean_dim1", d.Mean(dim: 1));
Print("exp_neg_div", (-(a / 4)).Exp());
Print("gt_count", (c > 40).Sum());
Print("transpose_select", c.Transpose(0, 1).Select(0, 2));   // views of c, no copy

// Which CUDA backend the process found (nuget_consumer.sh checks it when it adds Compute.Cuda).
Console.WriteLine(Cuda.IsAvailable ? $"# cuda devices {Cuda.DeviceCount}" : $"# cuda unavailable: {Cuda.UnavailableReason}");
