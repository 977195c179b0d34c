using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Mm, Bmm, Mv, Dot, Outer, Addmm, Baddbmm, Addmv and Einsum against the PyTorch fixture
/// linalg2.json (tests/reference/gen_linalg2.py). The tolerance is the native test's
/// (derived in tests/native/test_linalg2.cpp): count * eps * abs_bound, 1 ulp more for bfloat16.
/// </summary>
public class Linalg2Tests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("linalg2.json", "Linalg2");

    private static Tensor Run(JsonElement c, Tensor[] t)
    {
        switch (c.GetProperty("op").GetString())
        {
            case "mm": return t[0].Mm(t[1]);
            case "bmm": return Tensor.Bmm(t[0], t[1]);
            case "mv": return t[0].Mv(t[1]);
            case "dot": return t[0].Dot(t[1]);
            case "outer": return Tensor.Outer(t[0], t[1]);
            case "einsum": return Tensor.Einsum(c.GetProperty("equation").GetString()!, t);
        }
        Scalar beta = ReferenceFixture.Scalar(c.GetProperty("beta"));
        Scalar alpha = ReferenceFixture.Scalar(c.GetProperty("alpha"));
        return c.GetProperty("op").GetString() switch
        {
            "addmm" => Tensor.Addmm(t[0], t[1], t[2], beta: beta, alpha: alpha),
            "baddbmm" => Tensor.Baddbmm(t[0], t[1], t[2], beta: beta, alpha: alpha),
            "addmv" => Tensor.Addmv(t[0], t[1], t[2], beta: beta, alpha: alpha),
            var op => throw new ArgumentException($"unknown op {op}"),
        };
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor[] inputs = c.GetProperty("inputs").EnumerateArray().Select(j => bag.Add(ReferenceFixture.Build(j))).ToArray();
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run(c, inputs)), c);
            return;
        }
        Tensor result = bag.Add(Run(c, inputs));
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        Tolerance tol = Tolerance.Exact;
        if (outType.IsFloatingPoint())
        {
            double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
            tol = new Tolerance(outType is DType.Float16 or DType.BFloat16 ? 1 : 0,
                c.GetProperty("count").GetInt64() * eps, c.GetProperty("abs_bound"));
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
    }

    [Test]
    public void DefaultsAreBetaOneAlphaOne()
    {
        using var input = Tensor.From(new[] { 1.0f, 2.0f }, 2, 1);
        using var a = Tensor.Eye(2);
        using var b = Tensor.From(new[] { 3.0f, 4.0f, 5.0f, 6.0f }, 2, 2);
        using var r = Tensor.Addmm(input, a, b);
        Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 4.0f, 5.0f, 7.0f, 8.0f }));
    }

    [Test]
    public void EinsumRejectsNullOperand()
    {
        using var a = Tensor.Zeros(2);
        Assert.Throws<ArgumentNullException>(() => Tensor.Einsum("i,i", a, null!));
    }
}
