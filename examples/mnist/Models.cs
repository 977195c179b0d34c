using Compute.NN;

namespace MnistExample;

/// <summary>The two models, written as in PyTorch with nn.Sequential.</summary>
internal static class Models
{
    /// <summary>784 -> 128 -> 10 with ReLU.</summary>
    internal static Sequential Mlp() => new(
        new Flatten(),
        new Linear(784, 128), new ReLU(),
        new Linear(128, 10));

    /// <summary>
    /// conv 5x5 (1 -> 16) -> ReLU -> max-pool 2 -> conv 5x5 (16 -> 32) -> ReLU -> max-pool 2 ->
    /// 512 -> 128 -> 10, with dropout before the classifier.
    /// </summary>
    internal static Sequential Cnn() => new(
        new Conv2d(1, 16, 5), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 5), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(512, 128), new ReLU(), new Dropout(0.25),
        new Linear(128, 10));
}
