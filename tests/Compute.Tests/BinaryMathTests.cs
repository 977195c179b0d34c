using System.Text.Json;
using Compute;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The binary/ternary math methods and the operators % &amp; | ^ &lt;&lt; &gt;&gt; against the PyTorch
/// fixtures of tests/reference (binary_math.json, written by gen_binary_math.py). Tolerances
/// are the native test's (derived in tests/native/test_binary_math.cpp).
/// </summary>
public class BinaryMathTests
{
    // torch.<op>(number, tensor) for the ops C# cannot spell with a number on the left (shifts,
    // floor_divide) is checked by the native reference test only, so those cases are not listed.
    private static IEnumerable<TestCaseData> Cases() =>
        ReferenceFixture.Cases("binary_math.json", "BinaryMath").Where(t => HasCSharpForm((JsonElement)t.Arguments[0]!));

    private static bool HasCSharpForm(JsonElement c)
    {
        string op = c.GetProperty("op").GetString()!;
        bool scalarFirst = ReferenceFixture.IsScalar(c.GetProperty("inputs")[0]);
        return !(scalarFirst && Binary.TryGetValue(op, out BinaryForms? forms) && forms.ScalarFirst is null);
    }

    private static bool IsHalf(DType d) => d is DType.Float16 or DType.BFloat16;

    private sealed record BinaryForms(
        Func<Tensor, Tensor, Tensor> Tensor,
        Func<Tensor, Scalar, Tensor>? Scalar = null,
        Func<Tensor, Tensor, Tensor>? InPlace = null,
        Func<Tensor, Scalar, Tensor>? ScalarInPlace = null,
        Func<Scalar, Tensor, Tensor>? ScalarFirst = null);

    // The C# spelling of each fixture op. The operators are used where C# has one, so that the
    // fixture checks them too.
    private static readonly Dictionary<string, BinaryForms> Binary = new()
    {
        ["div_trunc"] = new((a, b) => a.Div(b, "trunc"), (a, s) => a.Div(s, "trunc"), (a, b) => a.DivInPlace(b, "trunc"),
                            (a, s) => a.DivInPlace(s, "trunc")),
        ["div_floor"] = new((a, b) => a.Div(b, "floor"), (a, s) => a.Div(s, "floor"), (a, b) => a.DivInPlace(b, "floor"),
                            (a, s) => a.DivInPlace(s, "floor")),
        ["floor_divide"] = new((a, b) => a.FloorDivide(b), (a, s) => a.FloorDivide(s), (a, b) => a.FloorDivideInPlace(b),
                               (a, s) => a.FloorDivideInPlace(s)),
        ["remainder"] = new((a, b) => a % b, (a, s) => a % s, (a, b) => a.RemainderInPlace(b), (a, s) => a.RemainderInPlace(s),
                            (s, b) => s % b),
        ["fmod"] = new((a, b) => a.Fmod(b), (a, s) => a.Fmod(s), (a, b) => a.FmodInPlace(b), (a, s) => a.FmodInPlace(s)),
        ["pow"] = new((a, b) => a.Pow(b), (a, s) => a.Pow(s), (a, b) => a.PowInPlace(b), (a, s) => a.PowInPlace(s),
                      (s, b) => Tensor.Pow(s, b)),
        ["atan2"] = new((a, b) => a.Atan2(b), (a, s) => a.Atan2(s), (a, b) => a.Atan2InPlace(b), (a, s) => a.Atan2InPlace(s)),
        ["hypot"] = new((a, b) => a.Hypot(b), (a, s) => a.Hypot(s), (a, b) => a.HypotInPlace(b), (a, s) => a.HypotInPlace(s)),
        ["maximum"] = new((a, b) => a.Maximum(b)),
        ["minimum"] = new((a, b) => a.Minimum(b)),
        ["fmax"] = new((a, b) => a.Fmax(b)),
        ["fmin"] = new((a, b) => a.Fmin(b)),
        ["copysign"] = new((a, b) => a.Copysign(b), (a, s) => a.Copysign(s), (a, b) => a.CopysignInPlace(b),
                           (a, s) => a.CopysignInPlace(s)),
        ["bitwise_and"] = new((a, b) => a & b, (a, s) => a & s, (a, b) => a.BitwiseAndInPlace(b), (a, s) => a.BitwiseAndInPlace(s),
                              (s, b) => s & b),
        ["bitwise_or"] = new((a, b) => a | b, (a, s) => a | s, (a, b) => a.BitwiseOrInPlace(b), (a, s) => a.BitwiseOrInPlace(s),
                             (s, b) => s | b),
        ["bitwise_xor"] = new((a, b) => a ^ b, (a, s) => a ^ s, (a, b) => a.BitwiseXorInPlace(b), (a, s) => a.BitwiseXorInPlace(s),
                              (s, b) => s ^ b),
        ["bitwise_left_shift"] = new((a, b) => a << b, (a, s) => a << s, (a, b) => a.BitwiseLeftShiftInPlace(b),
                                     (a, s) => a.BitwiseLeftShiftInPlace(s)),
        ["bitwise_right_shift"] = new((a, b) => a >> b, (a, s) => a >> s, (a, b) => a.BitwiseRightShiftInPlace(b),
                                      (a, s) => a.BitwiseRightShiftInPlace(s)),
        ["logical_and"] = new((a, b) => a.LogicalAnd(b), InPlace: (a, b) => a.LogicalAndInPlace(b)),
        ["logical_or"] = new((a, b) => a.LogicalOr(b), InPlace: (a, b) => a.LogicalOrInPlace(b)),
        ["logical_xor"] = new((a, b) => a.LogicalXor(b), InPlace: (a, b) => a.LogicalXorInPlace(b)),
    };

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        string op = c.GetProperty("op").GetString()!;
        bool inPlace = c.TryGetProperty("in_place", out _);
        Scalar? value = c.TryGetProperty("value", out JsonElement v) ? ReferenceFixture.Scalar(v) : null;
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        object[] x = inputs.Select(j => ReferenceFixture.IsScalar(j) ? (object)ReferenceFixture.Scalar(j)
                                                                      : bag.Add(ReferenceFixture.Build(j))).ToArray();
        Binary.TryGetValue(op, out BinaryForms? forms);

        Tensor Run()
        {
            if (forms is not null)
            {
                return (x[0], x[1], inPlace) switch
                {
                    (Scalar s, Tensor b, false) => forms.ScalarFirst!(s, b),
                    (Tensor a, Tensor b, false) => forms.Tensor(a, b),
                    (Tensor a, Scalar s, false) => forms.Scalar!(a, s),
                    (Tensor a, Tensor b, true) => forms.InPlace!(a, b),
                    (Tensor a, Scalar s, true) => forms.ScalarInPlace!(a, s),
                    _ => throw new FormatException(op),
                };
            }
            Tensor t0 = (Tensor)x[0];
            return op switch
            {
                "where" => (x[1], x[2]) switch
                {
                    (Tensor a, Tensor b) => Tensor.Where(t0, a, b),
                    (Tensor a, Scalar b) => Tensor.Where(t0, a, b),
                    (Scalar a, Tensor b) => Tensor.Where(t0, a, b),
                    (Scalar a, Scalar b) => Tensor.Where(t0, a, b),
                    _ => throw new FormatException(op),
                },
                "lerp" when value is Scalar w => inPlace ? t0.LerpInPlace((Tensor)x[1], w) : t0.Lerp((Tensor)x[1], w),
                "lerp" => inPlace ? t0.LerpInPlace((Tensor)x[1], (Tensor)x[2]) : t0.Lerp((Tensor)x[1], (Tensor)x[2]),
                "addcmul" => inPlace ? t0.AddcmulInPlace((Tensor)x[1], (Tensor)x[2], value)
                                     : t0.Addcmul((Tensor)x[1], (Tensor)x[2], value),
                "addcdiv" => inPlace ? t0.AddcdivInPlace((Tensor)x[1], (Tensor)x[2], value)
                                     : t0.Addcdiv((Tensor)x[1], (Tensor)x[2], value),
                "masked_fill" when value is Scalar f => inPlace ? t0.MaskedFillInPlace((Tensor)x[1], f)
                                                                : t0.MaskedFill((Tensor)x[1], f),
                "masked_fill" => inPlace ? t0.MaskedFillInPlace((Tensor)x[1], (Tensor)x[2])
                                         : t0.MaskedFill((Tensor)x[1], (Tensor)x[2]),
                _ => throw new FormatException(op),
            };
        }

        // An in-place result is operand 0 itself, already in the bag.
        Tensor Keep(Tensor r) => inPlace ? r : bag.Add(r);
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => Keep(Run()), c);
            return;
        }
        Tensor result = Keep(Run());
        if (inPlace) Assert.That(result, Is.SameAs(x[0]), "an in-place method returns its tensor");
        JsonElement expected = c.GetProperty("expected");
        DType outType = ReferenceFixture.ParseDType(expected.GetProperty("dtype").GetString()!);
        Tolerance tol = Tolerance.Exact;
        if (op is "pow" or "atan2" or "hypot" && outType.IsFloatingPoint())
        {
            tol = new Tolerance(Ulps: IsHalf(outType) ? 1 : 2);
        }
        else if (c.TryGetProperty("abs_bound", out JsonElement bound))  // lerp, addcmul, addcdiv on floats
        {
            tol = new Tolerance(IsHalf(outType) ? 1 : 0,
                                8 * ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32), bound);
        }
        ReferenceFixture.AssertMatches(result, expected, tol);
    }

    [Test]
    public void OperatorsFollowPythonSemantics()
    {
        using var bag = new TensorBag();
        Tensor a = bag.Add(Tensor.From(new long[] { 5, -5, 6 }));
        Assert.That(bag.Add(a % 3).ToArray<long>(), Is.EqualTo(new long[] { 2, 1, 0 }));
        Assert.That(bag.Add(7 % a).ToArray<long>(), Is.EqualTo(new long[] { 2, -3, 1 }));
        Assert.That(bag.Add(a & 4).ToArray<long>(), Is.EqualTo(new long[] { 4, 0, 4 }));
        Assert.That(bag.Add(a | 1).ToArray<long>(), Is.EqualTo(new long[] { 5, -5, 7 }));
        Assert.That(bag.Add(a ^ a).ToArray<long>(), Is.EqualTo(new long[] { 0, 0, 0 }));
        Assert.That(bag.Add(a << 2).ToArray<long>(), Is.EqualTo(new long[] { 20, -20, 24 }));
        Assert.That(bag.Add(a >> 1).ToArray<long>(), Is.EqualTo(new long[] { 2, -3, 3 }));
        Tensor f = bag.Add(a % 2.5);
        Assert.That(f.DType, Is.EqualTo(DType.Float32), "a float number promotes an integer tensor, as in PyTorch");
    }

    [Test]
    public void IntegerDivisionByZeroThrowsNamingTheOp()
    {
        using var bag = new TensorBag();
        Tensor a = bag.Add(Tensor.From(new long[] { 1, 2 }));
        Tensor z = bag.Add(Tensor.From(new long[] { 1, 0 }));
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => bag.Add(a.Div(z, "floor")));
        Assert.That(e!.Message, Does.Contain("div").And.Contain("ZeroDivisionError"));
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => bag.Add(a % z));
        Assert.That(e!.Message, Does.Contain("remainder"));
    }

    [Test]
    public void UnknownRoundingModeThrows()
    {
        using var bag = new TensorBag();
        Tensor a = bag.Add(Tensor.From(new long[] { 1 }));
        var e = Assert.Throws<ArgumentException>(() => a.Div(a, "round"));
        Assert.That(e!.Message, Does.Contain("rounding_mode").And.Contain("round"));
        Assert.That(bag.Add(a.Div(a, null)).DType, Is.EqualTo(DType.Float32), "null is true division");
    }

    [Test]
    public void NullArgumentsThrow()
    {
        using var bag = new TensorBag();
        Tensor a = bag.Add(Tensor.From(new[] { 1.0f }));
        Assert.Throws<ArgumentNullException>(() => Tensor.Where(null!, a, a));
        Assert.Throws<ArgumentNullException>(() => a.Lerp(null!, a));
        Assert.Throws<ArgumentNullException>(() => a.Addcmul(a, null!));
        Assert.Throws<ArgumentNullException>(() => a.MaskedFill(null!, 1.0));
        Assert.Throws<ArgumentNullException>(() => _ = a % (Tensor)null!);
    }
}
