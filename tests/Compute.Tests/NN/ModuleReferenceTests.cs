using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.NN;

/// <summary>
/// Every layer and loss module against torch.nn (fixture nn_modules.json, made by
/// tests/reference/gen_nn_modules.py): the module is built from PyTorch's constructor arguments,
/// torch's state dict is loaded with LoadStateDict(strict: true) (so every key must be named as in
/// torch), and the output, the input and parameter gradients and the buffers after the forward
/// are compared. All in float64: these check the modules' wiring, not rounding (each op has its
/// own fixture), so the tolerance is 1e-10 relative to the largest |expected value|.
/// </summary>
public class ModuleReferenceTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("nn_modules.json", "NNModule");

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        Module module = ReferenceModuleFactory.Build(c.GetProperty("module").GetString()!, c.GetProperty("args"));
        module.To(DType.Float64);
        module.Train(c.GetProperty("train").GetBoolean());
        string[] torchKeys = c.GetProperty("state_keys").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.That(module.StateDict().Keys, Is.EqualTo(torchKeys), "state-dict keys and order");
        var state = new Dictionary<string, Tensor>();
        foreach (JsonProperty p in c.GetProperty("state").EnumerateObject())
        {
            state[p.Name] = ReferenceFixture.Build(p.Value);
        }
        module.LoadStateDict(state);

        JsonElement inputs = c.GetProperty("inputs");
        Tensor input = Input(inputs.GetProperty("input"));
        Tensor? input2 = inputs.TryGetProperty("input2", out var i2) ? Input(i2) : null;
        Tensor? target = inputs.TryGetProperty("target", out var t) ? ReferenceFixture.Build(t) : null;
        bool inplace = c.TryGetProperty("inplace", out var ip) && ip.GetBoolean();
        // A leaf that requires grad cannot be changed in place: the in-place module runs on input * 1.
        Tensor first = inplace ? input * 1.0 : input;
        JsonElement expected = c.GetProperty("expected");
        Tensor? indices = null;
        Tensor output;
        if (module is MaxPoolingBase { ReturnIndices: true } pool)
        {
            Assert.Throws<InvalidOperationException>(() => pool.Forward(first), "Forward of a returnIndices pool");
            (output, indices) = pool.ForwardWithIndices(first);
        }
        else
        {
            output = ReferenceModuleFactory.Forward(module, first, input2 ?? target, c.TryGetProperty("kwargs", out var kw) ? kw : default);
        }
        if (inplace)
        {
            Assert.That(output, Is.SameAs(first), "an inplace module returns its input");
        }
        AssertClose(output, expected.GetProperty("output"), "output");
        if (expected.TryGetProperty("indices", out var wantIndices))
        {
            Assert.That(indices, Is.Not.Null, "indices");
            AssertClose(indices!, wantIndices, "indices");
        }
        output.Backward(ReferenceFixture.Build(expected.GetProperty("grad_output")));
        foreach (JsonProperty p in expected.EnumerateObject())
        {
            if (p.Name == "grad_input")
            {
                AssertClose(input.Grad!, p.Value, "grad_input");
            }
            else if (p.Name == "grad_input2")
            {
                AssertClose(input2!.Grad!, p.Value, "grad_input2");
            }
            else if (p.Name.StartsWith("grad_", StringComparison.Ordinal) && p.Name != "grad_output")
            {
                string key = p.Name["grad_".Length..];
                Tensor? grad = module.GetParameter(key).Grad;
                Assert.That(grad, Is.Not.Null, $"{key} has no gradient");
                AssertClose(grad!, p.Value, p.Name);
            }
        }
        var after = module.StateDict();
        foreach (JsonProperty p in expected.GetProperty("state_after").EnumerateObject())
        {
            AssertClose(after[p.Name], p.Value, "buffer " + p.Name);
        }
    }

    private static Tensor Input(JsonElement spec)
    {
        Tensor x = ReferenceFixture.Build(spec);
        return x.DType.IsFloatingPoint() ? x.RequiresGradInPlace() : x;
    }

    private static void AssertClose(Tensor actual, JsonElement expectedSpec, string what)
    {
        using Tensor expected = ReferenceFixture.Build(expectedSpec);
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), what + " shape");
        Assert.That(actual.DType, Is.EqualTo(expected.DType), what + " dtype");
        if (!expected.DType.IsFloatingPoint())
        {
            Assert.That(actual.To(DType.Int64).ToArray<long>(), Is.EqualTo(expected.To(DType.Int64).ToArray<long>()), what);
            return;
        }
        double[] a = actual.Contiguous().ToArray<double>(), e = expected.ToArray<double>();
        double tol = 1e-10 * Math.Max(1, e.Length == 0 ? 0 : e.Max(Math.Abs));
        var bad = Enumerable.Range(0, e.Length).Where(i => !(Math.Abs(a[i] - e[i]) <= tol)).Take(5)
            .Select(i => $"[{i}] expected {e[i]:R}, got {a[i]:R}").ToList();
        Assert.That(bad, Is.Empty, $"{what} differs from PyTorch (tolerance {tol:G3})");
    }
}
