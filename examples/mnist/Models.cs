using Compute;
using Compute.NN;

namespace MnistExample;

/// <summary>A model as named parameters and a forward function (PyTorch's functional style).</summary>
internal abstract class Model
{
    internal OrderedDictionary<string, Tensor> Parameters { get; } = new();

    internal abstract string Name { get; }

    internal abstract Tensor Forward(Tensor images, bool training);

    internal long ParameterCount => Parameters.Values.Sum(p => p.NumberOfElements);

    // nn.Linear / nn.Conv2d's default initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
    protected void Add(string name, long fanIn, params long[] shape)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        using Tensor u = Tensor.Rand(shape);
        Parameters[name] = ((u * (2 * bound)) - bound).RequiresGradInPlace();
    }

    protected Tensor Linear(Tensor x, string name) =>
        x.MatMul(Parameters[name + ".weight"].Transpose(0, 1)) + Parameters[name + ".bias"];
}

/// <summary>784 -> 128 -> 10 with ReLU.</summary>
internal sealed class Mlp : Model
{
    internal Mlp()
    {
        Add("fc1.weight", 784, 128, 784);
        Add("fc1.bias", 784, 128);
        Add("fc2.weight", 128, 10, 128);
        Add("fc2.bias", 128, 10);
    }

    internal override string Name => "MLP 784-128-10";

    internal override Tensor Forward(Tensor images, bool training)
    {
        Tensor x = images.Reshape(images.Size(0), 784);
        return Linear(Functional.Relu(Linear(x, "fc1")), "fc2");
    }
}

/// <summary>
/// conv 5x5 (1 -> 16) -> ReLU -> max-pool 2 -> conv 5x5 (16 -> 32) -> ReLU -> max-pool 2 ->
/// 512 -> 128 -> 10, dropout before the classifier.
/// </summary>
internal sealed class Cnn : Model
{
    internal Cnn()
    {
        Add("conv1.weight", 25, 16, 1, 5, 5);
        Add("conv1.bias", 25, 16);
        Add("conv2.weight", 16 * 25, 32, 16, 5, 5);
        Add("conv2.bias", 16 * 25, 32);
        Add("fc1.weight", 512, 128, 512);
        Add("fc1.bias", 512, 128);
        Add("fc2.weight", 128, 10, 128);
        Add("fc2.bias", 128, 10);
    }

    internal override string Name => "CNN conv16-conv32-128-10";

    internal override Tensor Forward(Tensor images, bool training)
    {
        Tensor x = Functional.Conv2d(images, Parameters["conv1.weight"], Parameters["conv1.bias"]);
        x = Functional.MaxPool2d(Functional.Relu(x), 2);
        x = Functional.Conv2d(x, Parameters["conv2.weight"], Parameters["conv2.bias"]);
        x = Functional.MaxPool2d(Functional.Relu(x), 2);
        x = x.Reshape(x.Size(0), 512);
        x = Functional.Dropout(Functional.Relu(Linear(x, "fc1")), 0.25, training);
        return Linear(x, "fc2");
    }
}
