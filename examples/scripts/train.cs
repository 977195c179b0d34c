#!/usr/bin/env -S dotnet run
// A single-file Compute training script (.NET 10 file-based app). From this folder:
//     ../../build.sh pack        # once: writes artifacts/Compute.0.1.0.nupkg
//     dotnet run train.cs
// nuget.config beside this file makes ../../artifacts a package source, so the directive below
// resolves to the locally packed package (native library included). NuGet caches a version
// once: after re-packing 0.1.0, remove ~/.nuget/packages/compute/0.1.0 to pick up the new one.
#:package Compute@0.1.0
// File-based apps default to native AOT publishing; a training script has no use for it.
#:property PublishAot=false

using Compute;
using Compute.NN;

// Two interleaved spirals, 2 x 200 points: a small MLP has to bend its decision boundary twice.
Tensor.ManualSeed(0);
const int perClass = 200;
var points = new float[2 * perClass * 2];
var labels = new long[2 * perClass];
var rng = new Random(0);
for (int c = 0; c < 2; c++)
{
    for (int i = 0; i < perClass; i++)
    {
        double r = 0.2 + 0.8 * i / perClass, angle = 3.0 * Math.PI * i / perClass + c * Math.PI + rng.NextDouble() * 0.2;
        int n = c * perClass + i;
        points[2 * n] = (float)(r * Math.Cos(angle));
        points[2 * n + 1] = (float)(r * Math.Sin(angle));
        labels[n] = c;
    }
}
Tensor x = Tensor.From(points).Reshape(2 * perClass, 2);
Tensor y = Tensor.From(labels);

var model = new Sequential(new Linear(2, 64), new Act(), new Linear(64, 64), new Act(), new Linear(64, 2));
Console.WriteLine(model);

// Plain SGD with momentum, written out (Compute.Optim has the library versions).
const double lr = 0.1, momentum = 0.9;
var velocity = model.Parameters().Select(p => Tensor.ZerosLike(p)).ToArray();
for (int step = 1; step <= 600; step++)
{
    Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
    model.ZeroGrad();
    loss.Backward();
    using (Autograd.NoGrad())
    {
        int k = 0;
        foreach (Parameter p in model.Parameters())
        {
            velocity[k].MulInPlace(momentum).AddInPlace(p.Grad!);
            p.SubInPlace(velocity[k++], alpha: lr);
        }
    }
    if (step % 100 == 0 || step == 1)
    {
        double accuracy;
        using (Autograd.NoGrad())
        {
            accuracy = model.Forward(x).Argmax(1).Eq(y).To(DType.Float32).Mean().Item<float>();
        }
        Console.WriteLine($"step {step,4}  loss {loss.Item<float>():F4}  train accuracy {accuracy:P1}");
    }
}

/// <summary>ReLU as a module, so it can sit in the Sequential.</summary>
sealed class Act : Module<Tensor, Tensor>
{
    protected override Tensor ForwardCore(Tensor input) => Functional.Relu(input);
}
