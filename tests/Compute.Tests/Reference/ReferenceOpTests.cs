using System.Text.Json;
using Compute;

namespace Compute.Tests.Reference;

/// <summary>
/// The C# operators and methods (+ - * / unary -, Add/Sub with alpha, Exp, comparisons,
/// Sum/Mean, MatMul) and type promotion against the PyTorch fixtures of tests/reference. The
/// tolerances are the native tests' (derived there, in tests/native/test_reference_*.cpp).
/// </summary>
public class ReferenceOpTests
{
    private static IEnumerable<TestCaseData> Promotion() => ReferenceFixture.Cases("promotion.json", "Promotion");
    private static IEnumerable<TestCaseData> Pointwise() => ReferenceFixture.Cases("pointwise.json", "Pointwise");
    private static IEnumerable<TestCaseData> Reduce() => ReferenceFixture.Cases("reduce.json", "Reduce");
    private static IEnumerable<TestCaseData> Matmul() => ReferenceFixture.Cases("matmul.json", "MatMul");

    private static bool IsHalf(DType d) => d is DType.Float16 or DType.BFloat16;

    [TestCaseSource(nameof(Promotion))]
    public void PromotedDtypeOfProduct(JsonElement c)
    {
        using var bag = new TensorBag();
        JsonElement a = c.GetProperty("inputs")[0], b = c.GetProperty("inputs")[1];
        Tensor product = ReferenceFixture.IsScalar(a)
            ? bag.Add(ReferenceFixture.Scalar(a) * bag.Add(ReferenceFixture.Build(b)))
            : ReferenceFixture.IsScalar(b)
                ? bag.Add(bag.Add(ReferenceFixture.Build(a)) * ReferenceFixture.Scalar(b))
                : bag.Add(bag.Add(ReferenceFixture.Build(a)) * bag.Add(ReferenceFixture.Build(b)));
        Assert.That(product.DType, Is.EqualTo(ReferenceFixture.ParseDType(c.GetProperty("result").GetString()!)));
    }

    [TestCaseSource(nameof(Pointwise))]
    public void PointwiseMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        string op = c.GetProperty("op").GetString()!;
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor a = bag.Add(ReferenceFixture.Build(inputs[0]));
        Tensor Run()
        {
            if (inputs.Length == 1) return op == "neg" ? -a : a.Exp();
            Scalar? alpha = c.TryGetProperty("alpha", out JsonElement al) ? ReferenceFixture.Scalar(al) : null;
            bool plain = alpha is null || alpha == (Scalar)1L || alpha == (Scalar)1.0;
            if (ReferenceFixture.IsScalar(inputs[1]))
            {
                Scalar s = ReferenceFixture.Scalar(inputs[1]);
                return op switch
                {
                    "add" => plain ? a + s : a.Add(s, alpha),
                    "sub" => plain ? a - s : a.Sub(s, alpha),
                    "mul" => a * s,
                    "div" => a / s,
                    "eq" => a.Eq(s),
                    "ne" => a.Ne(s),
                    "lt" => a < s,
                    "le" => a <= s,
                    "gt" => a > s,
                    "ge" => a >= s,
                    _ => throw new FormatException(op),
                };
            }
            Tensor b = bag.Add(ReferenceFixture.Build(inputs[1]));
            return op switch
            {
                "add" => plain ? a + b : a.Add(b, alpha),
                "sub" => plain ? a - b : a.Sub(b, alpha),
                "mul" => a * b,
                "div" => a / b,
                "eq" => a.Eq(b),
                "ne" => a.Ne(b),
                "lt" => a < b,
                "le" => a <= b,
                "gt" => a > b,
                "ge" => a >= b,
                _ => throw new FormatException(op),
            };
        }

        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run()), c);
            return;
        }
        Tensor result = bag.Add(Run());
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        Tolerance tol = Tolerance.Exact;
        if (op == "exp")
        {
            tol = new Tolerance(Ulps: IsHalf(outType) ? 1 : 2);
        }
        else if (c.TryGetProperty("abs_bound", out JsonElement bound))  // float add/sub with alpha != 1
        {
            tol = new Tolerance(IsHalf(outType) ? 1 : 0,
                                2 * ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32), bound);
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
    }

    [TestCaseSource(nameof(Reduce))]
    public void SumAndMeanMatchTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        bool sum = c.GetProperty("op").GetString() == "sum";
        Tensor x = bag.Add(ReferenceFixture.Build(c.GetProperty("input")));
        JsonElement dimsJson = c.GetProperty("dims");
        bool keepDim = c.GetProperty("keepdim").GetBoolean();
        Tensor Run()
        {
            if (dimsJson.ValueKind == JsonValueKind.Null) return sum ? x.Sum() : x.Mean();
            long[] dims = ReferenceFixture.Longs(dimsJson);
            if (dims.Length == 1) return sum ? x.Sum(dims[0], keepDim) : x.Mean(dims[0], keepDim);
            return sum ? x.Sum(dims, keepDim) : x.Mean(dims, keepDim);
        }

        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run()), c);
            return;
        }
        Tensor result = bag.Add(Run());
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        Tolerance tol = Tolerance.Exact;
        if (outType.IsFloatingPoint())
        {
            double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
            tol = new Tolerance((IsHalf(outType) ? 1 : 0) + (sum ? 0 : 1), c.GetProperty("count").GetInt64() * eps,
                                c.GetProperty("abs_bound"));
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
    }

    [TestCaseSource(nameof(Matmul))]
    public void MatMulMatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        Tensor a = bag.Add(ReferenceFixture.Build(c.GetProperty("inputs")[0]));
        Tensor b = bag.Add(ReferenceFixture.Build(c.GetProperty("inputs")[1]));
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(a.MatMul(b)), c);
            return;
        }
        Tensor result = bag.Add(a.MatMul(b));
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        Tolerance tol = Tolerance.Exact;
        if (outType.IsFloatingPoint())
        {
            double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
            tol = new Tolerance(IsHalf(outType) ? 1 : 0, c.GetProperty("count").GetInt64() * eps, c.GetProperty("abs_bound"));
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
    }
}
