using System.Text.Json;
using Compute;

namespace Compute.Tests;

/// <summary>Operators, promotion, broadcasting, reductions and matmul against PyTorch (Fixtures/ops_cases.json).</summary>
public class OperatorTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        FixtureTensors.Cases("ops_cases.json").Select(c => new TestCaseData(c).SetName("Op: " + c.GetProperty("name").GetString()));

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(JsonElement testCase)
    {
        string op = testCase.GetProperty("op").GetString()!;
        JsonElement args = testCase.GetProperty("args");
        var operands = testCase.GetProperty("operands").EnumerateArray().ToArray();
        var tensors = new List<Tensor>();
        try
        {
            object Operand(int i)
            {
                if (operands[i].TryGetProperty("tensor", out JsonElement spec))
                {
                    Tensor t = FixtureTensors.Build(spec);
                    tensors.Add(t);
                    return t;
                }
                return FixtureTensors.BuildScalar(operands[i].GetProperty("scalar"));
            }

            object a = Operand(0);
            object? b = operands.Length > 1 ? Operand(1) : null;
            Scalar? alpha = args.TryGetProperty("alpha", out JsonElement al)
                ? (al.TryGetInt64(out long ai) ? (Scalar)ai : (Scalar)al.GetDouble())
                : null;
            long[]? dims = args.TryGetProperty("dim", out JsonElement d) ? d.EnumerateArray().Select(x => x.GetInt64()).ToArray() : null;
            bool keepDim = args.TryGetProperty("keepdim", out JsonElement k) && k.GetBoolean();

            using Tensor result = Apply(op, a, b, alpha, dims, keepDim);
            AssertMatches(result, testCase.GetProperty("expected"), Tolerance(op));
        }
        finally
        {
            tensors.ForEach(t => t.Dispose());
        }
    }

    // Elementwise arithmetic is correctly rounded in IEEE arithmetic on both sides, so it must
    // match exactly. exp comes from different libm implementations, and sums / matmul
    // accumulate in a different order: those are held to a few float32 ulps (float64: 1e-12).
    private static (double Rel, double Abs) Tolerance(string op) =>
        op is "exp" or "sum" or "mean" or "matmul" ? (1e-5, 1e-6) : (0, 0);

    private static Tensor Apply(string op, object a, object? b, Scalar? alpha, long[]? dims, bool keepDim)
    {
        switch (op)
        {
            case "neg": return -(Tensor)a;
            case "exp": return ((Tensor)a).Exp();
            case "sum": return dims == null ? ((Tensor)a).Sum() : ((Tensor)a).Sum(dims, keepDim);
            case "mean": return dims == null ? ((Tensor)a).Mean() : ((Tensor)a).Mean(dims, keepDim);
            case "matmul": return ((Tensor)a).MatMul((Tensor)b!);
        }
        if (alpha is Scalar al)
        {
            Tensor ta = (Tensor)a;
            return op == "add"
                ? (b is Tensor tb ? ta.Add(tb, alpha: al) : ta.Add((Scalar)b!, alpha: al))
                : (b is Tensor tb2 ? ta.Sub(tb2, alpha: al) : ta.Sub((Scalar)b!, alpha: al));
        }
        return (a, b) switch
        {
            (Tensor x, Tensor y) => op switch
            {
                "add" => x + y, "sub" => x - y, "mul" => x * y, "div" => x / y,
                "lt" => x < y, "le" => x <= y, "gt" => x > y, "ge" => x >= y, "eq" => x.Eq(y), "ne" => x.Ne(y),
                _ => throw new ArgumentException(op),
            },
            (Tensor x, Scalar y) => op switch
            {
                "add" => x + y, "sub" => x - y, "mul" => x * y, "div" => x / y,
                "lt" => x < y, "le" => x <= y, "gt" => x > y, "ge" => x >= y, "eq" => x.Eq(y), "ne" => x.Ne(y),
                _ => throw new ArgumentException(op),
            },
            (Scalar x, Tensor y) => op switch
            {
                "add" => x + y, "sub" => x - y, "mul" => x * y, "div" => x / y,
                "lt" => x < y, "le" => x <= y, "gt" => x > y, "ge" => x >= y,
                _ => throw new ArgumentException(op),
            },
            _ => throw new ArgumentException($"unsupported operands for {op}"),
        };
    }

    internal static void AssertMatches(Tensor actual, JsonElement expected, (double Rel, double Abs) tolerance)
    {
        DType dtype = FixtureTensors.ParseDType(expected.GetProperty("dtype").GetString()!);
        Assert.That(actual.DType, Is.EqualTo(dtype), "dtype");
        Assert.That(actual.Shape, Is.EqualTo(FixtureTensors.Shape(expected)), "shape");
        if (dtype.IsFloatingPoint())
        {
            using Tensor asDouble = actual.To(DType.Float64);
            double[] got = asDouble.ToArray<double>();
            double[] want = FixtureTensors.Floats(expected);
            (double rel, double abs) = dtype == DType.Float64 && tolerance.Rel > 0 ? (1e-12, 1e-12) : tolerance;
            for (int i = 0; i < want.Length; i++)
            {
                if (rel == 0)
                {
                    Assert.That(got[i], Is.EqualTo(want[i]), $"element {i}");
                }
                else
                {
                    Assert.That(got[i], Is.EqualTo(want[i]).Within(abs + rel * Math.Abs(want[i])), $"element {i}");
                }
            }
        }
        else if (dtype == DType.Bool)
        {
            Assert.That(actual.ToArray<bool>(), Is.EqualTo(FixtureTensors.Bools(expected)));
        }
        else
        {
            using Tensor asLong = actual.To(DType.Int64);
            Assert.That(asLong.ToArray<long>(), Is.EqualTo(FixtureTensors.Ints(expected)));
        }
    }

    [Test]
    public void InPlaceOpsModifyTheTensorAndReturnIt()
    {
        using Tensor a = Tensor.From(new float[] { 1, 2, 3 });
        using Tensor b = Tensor.From(new float[] { 10, 20, 30 });
        using Tensor expected = a + b * 2;
        float[] want = expected.ToArray<float>();
        Assert.That(a.AddInPlace(b, alpha: 2), Is.SameAs(a));
        Assert.That(a.ToArray<float>(), Is.EqualTo(want));
        using Tensor halved = a / 2;
        a.DivInPlace(2);
        Assert.That(a.ToArray<float>(), Is.EqualTo(halved.ToArray<float>()));
    }

    [Test]
    public void EqualityOperatorsCompareReferences()
    {
        using Tensor a = Tensor.Ones(2);
        using Tensor b = Tensor.Ones(2);
#pragma warning disable CS1718 // comparing a variable to itself is the point here
        Assert.That(a == a, Is.True);
#pragma warning restore CS1718
        Assert.That(a == b, Is.False);
        using Tensor eq = a.Eq(b);
        Assert.That(eq.ToArray<bool>(), Is.EqualTo(new[] { true, true }));
    }
}
