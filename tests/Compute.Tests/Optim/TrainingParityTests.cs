using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Optim;
using Compute.Tests.Reference;

namespace Compute.Tests.Optim;

/// <summary>
/// Issue 5's end-to-end parity test: the same small MLP (Linear 10-32-16-4 with ReLU), the same
/// initial weights and data as PyTorch (fixture train_parity.json, tests/reference/gen_train_parity.py),
/// trained 20 full-batch steps with cross-entropy, once with SGD (momentum 0.9) and once with
/// AdamW; every step's loss agrees with PyTorch's within 1e-5 relative.
/// </summary>
public class TrainingParityTests
{
    private sealed class Mlp : Module<Tensor, Tensor>
    {
        private readonly Linear fc1, fc2, fc3;

        internal Mlp(long[] sizes)
        {
            fc1 = new Linear(sizes[0], sizes[1]);
            fc2 = new Linear(sizes[1], sizes[2]);
            fc3 = new Linear(sizes[2], sizes[3]);
        }

        protected override Tensor ForwardCore(Tensor x) =>
            fc3.Forward(Functional.Relu(fc2.Forward(Functional.Relu(fc1.Forward(x)))));
    }

    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("train_parity.json", "TrainingParity");

    [TestCaseSource(nameof(Cases))]
    public void LossesMatchTorchForTwentySteps(JsonElement c)
    {
        long[] sizes = c.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var model = new Mlp(sizes);
        var init = c.GetProperty("init").EnumerateObject().ToDictionary(p => p.Name, p => ReferenceFixture.Build(p.Value));
        LoadStateDictResult loaded = model.LoadStateDict(init);
        Assert.That(loaded.MissingKeys, Is.Empty);
        Assert.That(loaded.UnexpectedKeys, Is.Empty);
        Tensor x = ReferenceFixture.Build(c.GetProperty("x"));
        Tensor y = ReferenceFixture.Build(c.GetProperty("y"));
        Optimizer opt = c.GetProperty("name").GetString() == "adamw"
            ? new AdamW(model.Parameters(), lr: 1e-2, weightDecay: 1e-2)
            : new SGD(model.Parameters(), lr: 0.1, momentum: 0.9);
        double[] expected = c.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var failures = new List<string>();
        for (int step = 0; step < expected.Length; step++)
        {
            opt.ZeroGrad();
            Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
            loss.Backward();
            opt.Step();
            double got = loss.Item<float>();
            if (Math.Abs(got - expected[step]) > 1e-5 * Math.Abs(expected[step]))
            {
                failures.Add($"step {step + 1}: PyTorch {expected[step]:R}, Compute {got:R}");
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        // The losses fell: the test trains rather than repeating the first value.
        Assert.That(expected[^1], Is.LessThan(expected[0] * 0.95));
    }
}
