using System.Text.Json;
using Compute;

namespace Compute.Tests.Reference;

/// <summary>
/// The C# view methods, To(dtype) and Arange against the PyTorch fixtures of tests/reference:
/// values, shapes, strides (size-1 dims included) and storage offsets.
/// </summary>
public class ReferenceViewTests
{
    private static IEnumerable<TestCaseData> Views() => ReferenceFixture.Cases("views.json", "View");
    private static IEnumerable<TestCaseData> Conversions() => ReferenceFixture.Cases("convert.json", "To");
    private static IEnumerable<TestCaseData> Ranges() => ReferenceFixture.Cases("arange.json", "Arange");

    private static Tensor Step(Tensor t, JsonElement s)
    {
        long I(string name) => s.GetProperty(name).GetInt64();
        long[] L(string name) => ReferenceFixture.Longs(s.GetProperty(name));
        return s.GetProperty("op").GetString() switch
        {
            "view" => t.View(L("sizes")),
            "reshape" => t.Reshape(L("sizes")),
            "permute" => t.Permute(L("dims")),
            "transpose" => t.Transpose(I("dim0"), I("dim1")),
            "slice" => t.Slice(I("dim"), I("start"), I("end"), I("step")),
            "select" => t.Select(I("dim"), I("index")),
            "narrow" => t.Narrow(I("dim"), I("start"), I("length")),
            "expand" => t.Expand(L("sizes")),
            "squeeze" => t.Squeeze(),
            "squeeze_dim" => t.Squeeze(I("dim")),
            "unsqueeze" => t.Unsqueeze(I("dim")),
            "flatten" => t.Flatten(I("start_dim"), I("end_dim")),
            "as_strided" => t.AsStrided(L("sizes"), L("strides"), I("offset")),
            "contiguous" => t.Contiguous(),
            var op => throw new FormatException($"fixture step {op}"),
        };
    }

    [TestCaseSource(nameof(Views))]
    public void ViewMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor t = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        JsonElement[] steps = c.GetProperty("steps").EnumerateArray().ToArray();
        long errorStep = c.TryGetProperty("error_step", out JsonElement es) ? es.GetInt64() : -1;
        for (int i = 0; i < steps.Length; i++)
        {
            if (i == errorStep)
            {
                Tensor current = t;
                ReferenceFixture.AssertRejected(() => bag.Add(Step(current, steps[i])), c);
                return;
            }
            t = bag.Add(Step(t, steps[i]));
        }
        ReferenceFixture.AssertMatches(t, c.GetProperty("expected"), Tolerance.Exact);
        Assert.That(t.Strides, Is.EqualTo(ReferenceFixture.Longs(c.GetProperty("strides"))), "strides");
        Assert.That(t.StorageOffset, Is.EqualTo(c.GetProperty("offset").GetInt64()), "storage offset");
    }

    [TestCaseSource(nameof(Conversions))]
    public void ConversionMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor x = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        Tensor y = bag.Add(x.To(ReferenceFixture.ParseDType(c.GetProperty("dtype").GetString()!)));
        ReferenceFixture.AssertMatches(y, c.GetProperty("expected"), Tolerance.Exact);
    }

    [TestCaseSource(nameof(Ranges))]
    public void ArangeMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        DType dtype = ReferenceFixture.ParseDType(c.GetProperty("dtype").GetString()!);
        Tensor Run() => Tensor.Arange(ReferenceFixture.Scalar(c.GetProperty("start")), ReferenceFixture.Scalar(c.GetProperty("end")),
                                      ReferenceFixture.Scalar(c.GetProperty("step")), dtype);
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run()), c);
            return;
        }
        // Float elements: within 2.5 eps of |start| + i*|step| (see test_reference_views.cpp).
        bool half = dtype is DType.Float16 or DType.BFloat16;
        Tolerance tol = dtype.IsFloatingPoint()
            ? new Tolerance(half ? 1 : 0, 2.5 * ReferenceFixture.Epsilon(half ? DType.Float32 : dtype), c.GetProperty("abs_bound"))
            : Tolerance.Exact;
        ReferenceFixture.AssertMatches(bag.Add(Run()), c.GetProperty("expected"), tol);
    }
}
