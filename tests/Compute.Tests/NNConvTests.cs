using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Functional.Conv1d/2d/3d, ConvTranspose1d/2d/3d, Unfold, Fold and the internal backward
/// kernels against the PyTorch fixture nn_conv.json (tests/reference/gen_nn_conv.py). The
/// tolerance is the native test's (derived in tests/native/test_nn_conv_reference.cpp):
/// count * eps * abs_bound, 1 ulp more for float16/bfloat16.
/// </summary>
public class NNConvTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("nn_conv.json", "NNConv");

    private static long[] Longs(JsonElement e) => ReferenceFixture.Longs(e);

    private static Tensor Forward(JsonElement c, Tensor x, Tensor w, Tensor? b)
    {
        JsonElement a = c.GetProperty("args");
        int nd = c.GetProperty("nspatial").GetInt32();
        long[] stride = Longs(a.GetProperty("stride")), dilation = Longs(a.GetProperty("dilation"));
        long groups = a.GetProperty("groups").GetInt64();
        JsonElement p = a.GetProperty("padding");
        if (c.GetProperty("op").GetString() == "conv_transpose")
        {
            long[] pad = Longs(p), outPad = Longs(a.GetProperty("output_padding"));
            return nd switch
            {
                1 => Functional.ConvTranspose1d(x, w, b, stride, pad, outPad, groups, dilation),
                2 => Functional.ConvTranspose2d(x, w, b, stride, pad, outPad, groups, dilation),
                _ => Functional.ConvTranspose3d(x, w, b, stride, pad, outPad, groups, dilation),
            };
        }
        if (p.ValueKind == JsonValueKind.String)
        {
            string mode = p.GetString()!;
            return nd switch
            {
                1 => Functional.Conv1d(x, w, mode, b, stride, dilation, groups),
                2 => Functional.Conv2d(x, w, mode, b, stride, dilation, groups),
                _ => Functional.Conv3d(x, w, mode, b, stride, dilation, groups),
            };
        }
        return nd switch
        {
            1 => Functional.Conv1d(x, w, b, stride, Longs(p), dilation, groups),
            2 => Functional.Conv2d(x, w, b, stride, Longs(p), dilation, groups),
            _ => Functional.Conv3d(x, w, b, stride, Longs(p), dilation, groups),
        };
    }

    private static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) Backward(
        JsonElement c, Tensor gy, Tensor x, Tensor w, bool input, bool weight, bool bias)
    {
        JsonElement a = c.GetProperty("args");
        int nd = c.GetProperty("nspatial").GetInt32();
        long[] stride = Longs(a.GetProperty("stride")), dilation = Longs(a.GetProperty("dilation"));
        long groups = a.GetProperty("groups").GetInt64();
        JsonElement p = a.GetProperty("padding");
        if (c.GetProperty("op").GetString() == "conv_transpose")
        {
            return Functional.ConvTransposeBackward(gy, x, w, nd, stride, Longs(p), Longs(a.GetProperty("output_padding")),
                groups, dilation, input, weight, bias);
        }
        return p.ValueKind == JsonValueKind.String
            ? Functional.ConvBackward(gy, x, w, nd, stride, null, p.GetString(), dilation, groups, input, weight, bias)
            : Functional.ConvBackward(gy, x, w, nd, stride, Longs(p), null, dilation, groups, input, weight, bias);
    }

    private static Tolerance ToleranceFor(JsonElement c, string key)
    {
        DType outType = ReferenceFixture.ParseDType(c.GetProperty(key).GetProperty("dtype").GetString()!);
        double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
        return new Tolerance(outType is DType.Float16 or DType.BFloat16 ? 1 : 0,
            c.GetProperty("count").GetInt64() * eps, c.GetProperty("abs_bound").GetProperty(key));
    }

    private static void AssertMatches(Tensor? actual, JsonElement c, string key)
    {
        Assert.That(actual, Is.Not.Null, key);
        DType outType = ReferenceFixture.ParseDType(c.GetProperty(key).GetProperty("dtype").GetString()!);
        // Integer convolutions are exact (wrap-around included).
        Tolerance tol = outType.IsFloatingPoint() ? ToleranceFor(c, key) : Tolerance.Exact;
        ReferenceFixture.AssertMatches(actual!, c.GetProperty(key), tol);
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor x = bag.Add(ReferenceFixture.Build(inputs[0]));
        string op = c.GetProperty("op").GetString()!;
        if (op is "unfold" or "fold")
        {
            JsonElement a = c.GetProperty("args");
            long[] k = Longs(a.GetProperty("kernel_size")), d = Longs(a.GetProperty("dilation"));
            long[] p = Longs(a.GetProperty("padding")), s = Longs(a.GetProperty("stride"));
            Func<Tensor> run = op == "unfold"
                ? () => Functional.Unfold(x, k, d, p, s)
                : () => Functional.Fold(x, Longs(a.GetProperty("output_size")), k, d, p, s);
            if (c.TryGetProperty("error", out _))
            {
                ReferenceFixture.AssertRejected(() => bag.Add(run()), c);
                return;
            }
            Tensor r = bag.Add(run());
            if (op == "unfold") ReferenceFixture.AssertMatches(r, c.GetProperty("expected"), Tolerance.Exact);
            else AssertMatches(r, c, "expected");
            return;
        }
        Tensor w = bag.Add(ReferenceFixture.Build(inputs[1]));
        Tensor? b = inputs[2].ValueKind == JsonValueKind.Null ? null : bag.Add(ReferenceFixture.Build(inputs[2]));
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => bag.Add(Forward(c, x, w, b)), c);
            return;
        }
        Tensor y = bag.Add(Forward(c, x, w, b));
        AssertMatches(y, c, "expected");

        if (!c.TryGetProperty("grad_output", out JsonElement gyJson))
        {
            // An integer convolution: no gradients in PyTorch, and the backward kernel rejects it.
            Assert.Throws<DTypeMismatchException>(() => Backward(c, y, x, w, false, true, false));
            return;
        }
        Tensor gy = bag.Add(ReferenceFixture.Build(gyJson));
        bool hasBias = c.GetProperty("grad_bias").ValueKind != JsonValueKind.Null;
        var (gi, gw, gb) = Backward(c, gy, x, w, true, true, hasBias);
        using (gi)
        using (gw)
        using (gb)
        {
            AssertMatches(gi, c, "grad_input");
            AssertMatches(gw, c, "grad_weight");
            if (hasBias) AssertMatches(gb, c, "grad_bias");
            else Assert.That(gb, Is.Null);
        }
    }

    private static JsonElement Case(string name) =>
        ReferenceFixture.Cases("nn_conv.json", "").Select(t => (JsonElement)t.Arguments[0]!)
            .Single(c => c.GetProperty("name").GetString() == name);

    [Test]
    public void ConvBackwardComputesOnlyRequestedGradients()
    {
        JsonElement c = Case("conv2d_groups");
        using var bag = new TensorBag();
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor x = bag.Add(ReferenceFixture.Build(inputs[0])), w = bag.Add(ReferenceFixture.Build(inputs[1]));
        Tensor gy = bag.Add(ReferenceFixture.Build(c.GetProperty("grad_output")));
        var (gi, gw, gb) = Backward(c, gy, x, w, input: false, weight: true, bias: false);
        using (gw)
        {
            Assert.That(gi, Is.Null);
            Assert.That(gb, Is.Null);
            AssertMatches(gw, c, "grad_weight");
        }
    }

    [Test]
    public void ConvTransposeBackwardMatchesTorch()
    {
        JsonElement c = Case("conv_transpose2d_stride_output_padding");
        using var bag = new TensorBag();
        JsonElement[] inputs = c.GetProperty("inputs").EnumerateArray().ToArray();
        Tensor x = bag.Add(ReferenceFixture.Build(inputs[0])), w = bag.Add(ReferenceFixture.Build(inputs[1]));
        Tensor gy = bag.Add(ReferenceFixture.Build(c.GetProperty("grad_output")));
        var (gi, gw, gb) = Backward(c, gy, x, w, true, true, true);
        using (gi)
        using (gw)
        using (gb)
        {
            AssertMatches(gi, c, "grad_input");
            AssertMatches(gw, c, "grad_weight");
            AssertMatches(gb, c, "grad_bias");
        }
    }

    [Test]
    public void IntArgumentFormRepeatsForEveryDim()
    {
        // stride: [2] means stride 2 in both dims, as F.conv2d(stride=2).
        using var x = Tensor.Ones(1, 1, 5, 5);
        using var w = Tensor.Ones(1, 1, 3, 3);
        using var y = Functional.Conv2d(x, w, stride: new long[] { 2 }, padding: new long[] { 1 });
        Assert.That(y.Shape, Is.EqualTo(new long[] { 1, 1, 3, 3 }));
        // Corner windows see 4 ones, edges 6, the centre 9.
        Assert.That(y.ToArray<float>(), Is.EqualTo(new[] { 4f, 6f, 4f, 6f, 9f, 6f, 4f, 6f, 4f }));
    }

    [Test]
    public void ErrorsNameOpArgumentAndShapes()
    {
        using var x = Tensor.Zeros(1, 4, 5, 5);
        using var w = Tensor.Zeros(2, 3, 3, 3);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Conv2d(x, w).Dispose());
        Assert.That(e!.Message, Does.Contain("conv2d").And.Contain("[1, 4, 5, 5]").And.Contain("[2, 3, 3, 3]"));
        Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, w, "full").Dispose());
        Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, w, stride: new long[] { 1, 1, 1 }).Dispose());
        Assert.Throws<ArgumentNullException>(() => Functional.Conv2d(null!, w).Dispose());
    }
}
