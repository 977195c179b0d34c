using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.NN;

/// <summary>
/// RNN/LSTM/GRU, their cells, MultiheadAttention and the Transformer layers against the PyTorch
/// fixture nn_seq.json (tests/reference/gen_nn_seq.py): the C# module's state-dict keys must equal
/// torch's, the torch weights are loaded with LoadStateDict, and the outputs and every parameter
/// and input gradient must match in evaluation mode. Tolerance: |actual - expected| &lt;=
/// tol·(1 + |expected|) with tol 1e-10 for float64 (the same formulas, summed in another order)
/// and 2e-5 for float32 (about a hundred float32 ulps over a few dozen recurrent steps).
/// </summary>
public class SequenceModuleTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("nn_seq.json", "NNSeq");

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Module module = SequenceModuleFactory.Make(c.GetProperty("module").GetString()!, c.GetProperty("args"));
        JsonElement stateJson = c.GetProperty("state");
        var state = new Dictionary<string, Tensor>();
        foreach (JsonProperty p in stateJson.EnumerateObject())
        {
            state[p.Name] = bag.Add(ReferenceFixture.Build(p.Value));
        }
        Assert.That(module.StateDict().Keys, Is.EqualTo(stateJson.EnumerateObject().Select(p => p.Name)), "state-dict keys");
        module.To(state.Values.First().DType);
        module.LoadStateDict(state);
        module.Eval();

        var inputs = new Dictionary<string, Tensor>();
        foreach (JsonProperty p in c.GetProperty("inputs").EnumerateObject())
        {
            Tensor t = bag.Add(ReferenceFixture.Build(p.Value));
            if (t.DType.IsFloatingPoint())
            {
                t.RequiresGradInPlace();
            }
            inputs[p.Name] = t;
        }
        JsonElement kwargs = c.TryGetProperty("kwargs", out var k) ? k : default;
        IReadOnlyList<(string Name, Tensor Value)> outputs = SequenceModuleFactory.Run(module, inputs, kwargs, bag);

        JsonElement expected = c.GetProperty("expected");
        Assert.That(outputs.Select(o => o.Name), Is.EquivalentTo(expected.EnumerateObject().Select(p => p.Name)), "outputs");
        double tol = module.Parameters().First().DType == DType.Float64 ? 1e-10 : 2e-5;
        foreach (var (name, value) in outputs)
        {
            AssertClose(value, expected.GetProperty(name), tol, name);
        }

        Tensor? total = null;
        foreach (JsonProperty g in c.GetProperty("grad_outputs").EnumerateObject())
        {
            Tensor grad = bag.Add(ReferenceFixture.Build(g.Value));
            Tensor term = (outputs.Single(o => o.Name == g.Name).Value * grad).Sum();
            total = total is null ? term : total + term;
        }
        total!.Backward();
        var parameters = module.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        foreach (JsonProperty g in c.GetProperty("grads").EnumerateObject())
        {
            Tensor? actual = g.Name.StartsWith("input_", StringComparison.Ordinal)
                ? inputs[g.Name["input_".Length..]].Grad
                : parameters[g.Name].Grad;
            Assert.That(actual, Is.Not.Null, $"gradient of {g.Name}");
            AssertClose(actual!, g.Value, tol, "grad " + g.Name);
        }
    }

    private static void AssertClose(Tensor actual, JsonElement expected, double tol, string what)
    {
        Assert.That(actual.Shape, Is.EqualTo(ReferenceFixture.Longs(expected.GetProperty("shape"))), what + " shape");
        Assert.That(actual.DType, Is.EqualTo(ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!)), what + " dtype");
        double[] want = expected.GetProperty("data").EnumerateArray().Select(ReferenceFixture.Float).ToArray();
        using Tensor asDouble = actual.Detach().To(DType.Float64).Contiguous();
        double[] got = asDouble.ToArray<double>();
        var failures = new List<string>();
        for (int i = 0; i < want.Length; i++)
        {
            if (!(Math.Abs(got[i] - want[i]) <= tol * (1 + Math.Abs(want[i]))))
            {
                failures.Add($"element {i}: expected {want[i]:R}, got {got[i]:R}");
            }
        }
        Assert.That(failures, Is.Empty, $"{what}: {failures.Count} of {want.Length} elements differ from PyTorch:\n  " + string.Join("\n  ", failures.Take(8)));
    }
}
