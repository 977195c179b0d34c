using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The unary math methods and Functional activations against the PyTorch fixtures of
/// tests/reference/fixtures/unary_math.json (written by gen_unary_math.py). The tolerances are
/// the native tests' (derived in tests/native/test_unary_math.cpp).
/// </summary>
public class UnaryMathTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("unary_math.json", "UnaryMath");

    private static double Arg(JsonElement args, string key, double fallback) =>
        args.TryGetProperty(key, out JsonElement v) ? ReferenceFixture.Float(v.GetProperty("value")) : fallback;

    private static double? OptionalArg(JsonElement args, string key) =>
        args.TryGetProperty(key, out JsonElement v) ? ReferenceFixture.Float(v.GetProperty("value")) : null;

    private static Scalar? ScalarArg(JsonElement args, string key) =>
        args.TryGetProperty(key, out JsonElement v) ? ReferenceFixture.Scalar(v) : null;

    private static Tensor Run(string op, Tensor x, JsonElement args, Func<int, Tensor> bound) => op switch
    {
        "abs" => x.Abs(), "sign" => x.Sign(), "sqrt" => x.Sqrt(), "rsqrt" => x.Rsqrt(), "square" => x.Square(),
        "exp2" => x.Exp2(), "expm1" => x.Expm1(), "log" => x.Log(), "log2" => x.Log2(), "log10" => x.Log10(),
        "log1p" => x.Log1p(), "sin" => x.Sin(), "cos" => x.Cos(), "tan" => x.Tan(), "asin" => x.Asin(),
        "acos" => x.Acos(), "atan" => x.Atan(), "sinh" => x.Sinh(), "cosh" => x.Cosh(), "tanh" => Functional.Tanh(x),
        "asinh" => x.Asinh(), "acosh" => x.Acosh(), "atanh" => x.Atanh(), "sigmoid" => Functional.Sigmoid(x),
        "erf" => x.Erf(), "erfc" => x.Erfc(), "erfinv" => x.Erfinv(), "lgamma" => x.Lgamma(), "digamma" => x.Digamma(),
        "floor" => x.Floor(), "ceil" => x.Ceil(), "trunc" => x.Trunc(), "frac" => x.Frac(),
        "reciprocal" => x.Reciprocal(), "relu" => Functional.Relu(x), "relu6" => Functional.Relu6(x),
        "silu" => Functional.Silu(x), "mish" => Functional.Mish(x), "selu" => Functional.Selu(x),
        "hardsigmoid" => Functional.Hardsigmoid(x), "hardswish" => Functional.Hardswish(x),
        "logsigmoid" => Functional.LogSigmoid(x), "bitwise_not" => x.BitwiseNot(), "isnan" => x.IsNan(),
        "isinf" => x.IsInf(), "isfinite" => x.IsFinite(), "logical_not" => x.LogicalNot(),
        "logit" => x.Logit(OptionalArg(args, "eps")),
        "round" => x.Round((long)Arg(args, "decimals", 0)),
        "gelu" => Functional.Gelu(x), "gelu_tanh" => Functional.Gelu(x, approximate: "tanh"),
        "softplus" => Functional.Softplus(x, beta: Arg(args, "beta", 1.0), threshold: Arg(args, "threshold", 20.0)),
        "elu" => Functional.Elu(x, alpha: Arg(args, "alpha", 1.0)),
        "celu" => Functional.Celu(x, alpha: Arg(args, "alpha", 1.0)),
        "leaky_relu" => Functional.LeakyRelu(x, negativeSlope: Arg(args, "negative_slope", 0.01)),
        "hardtanh" => Functional.Hardtanh(x, minVal: Arg(args, "min_val", -1.0), maxVal: Arg(args, "max_val", 1.0)),
        "nan_to_num" => x.NanToNum(Arg(args, "nan", 0.0), OptionalArg(args, "posinf"), OptionalArg(args, "neginf")),
        "clamp" => x.Clamp(min: ScalarArg(args, "min"), max: ScalarArg(args, "max")),
        "clamp_tensor" => x.Clamp(min: bound(1), max: bound(2)),
        "clamp_min_tensor" => x.Clamp(min: bound(1)),
        "clamp_max_tensor" => x.Clamp(max: bound(1)),
        _ => throw new FormatException($"fixture op {op}"),
    };

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        string op = c.GetProperty("op").GetString()!;
        JsonElement args = c.GetProperty("args");
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor x = bag.Add(ReferenceFixture.Build(inputs[0]));
        Tensor Bound(int i) => bag.Add(ReferenceFixture.Build(inputs[i]));
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Run(op, x, args, Bound)), c);
            return;
        }
        Tensor result = bag.Add(Run(op, x, args, Bound));
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        ReferenceFixture.AssertMatches(result, expected, UnaryMathTolerance.For(c, op, outType));
    }

    [Test]
    public void FunctionalInPlaceReturnsTheInput()
    {
        using Tensor x = Tensor.From(new[] { -2.0f, 0.5f, 3.0f });
        Tensor r = Functional.Relu(x, inplace: true);
        Assert.That(r, Is.SameAs(x));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new[] { 0.0f, 0.5f, 3.0f }));
    }

    [Test]
    public void BadArgumentsThrow()
    {
        using Tensor x = Tensor.From(new[] { 0.5f });
        Assert.Throws<ArgumentException>(() => x.Gelu("fast").Dispose());
        Assert.Throws<ArgumentException>(() => x.Clamp((Tensor?)null, null).Dispose());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Logit(-0.5).Dispose());
        using Tensor i = Tensor.From(new[] { 4 });
        Assert.That(() => i.SqrtInPlace(), Throws.InstanceOf<Exception>().With.Message.Contains("can't be cast"));
    }
}
