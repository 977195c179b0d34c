using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// Softmax, LogSoftmax, LayerNorm, RmsNorm, BatchNorm, GroupNorm and Embedding, forward and the
/// internal backward wrappers, against the PyTorch fixture nn_norm.json
/// (tests/reference/gen_nn_norm.py); dropout by its properties. The tolerance is the native
/// test's (tests/native/test_nn_norm_reference.cpp): count * eps * abs_bound per result, 1 ulp more
/// for 16-bit outputs.
/// </summary>
public class NNNormTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("nn_norm.json", "NNNorm");

    private static long[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();

    private static double? OptDouble(JsonElement args, string name) =>
        args.GetProperty(name).ValueKind == JsonValueKind.Null ? null : ReferenceFixture.Float(args.GetProperty(name));

    /// <summary>Runs the case's forward and, with a grad_output, the backward wrapper; results by fixture name.</summary>
    private static Dictionary<string, Tensor> Run(JsonElement c, Dictionary<string, Tensor> t, Tensor? go, TensorBag bag)
    {
        JsonElement a = c.GetProperty("args");
        var r = new Dictionary<string, Tensor>();
        Tensor? Get(string n) => t.TryGetValue(n, out Tensor? v) ? v : null;
        Tensor Keep(Tensor x) => bag.Add(x);
        switch (c.GetProperty("op").GetString())
        {
            case "softmax":
            case "log_softmax":
            {
                bool log = c.GetProperty("op").GetString() == "log_softmax";
                long dim = a.GetProperty("dim").GetInt64();
                DType? dtype = a.GetProperty("dtype").ValueKind == JsonValueKind.Null
                    ? null : ReferenceFixture.ParseDType(a.GetProperty("dtype").GetString()!);
                Tensor y = Keep(log ? Functional.LogSoftmax(t["input"], dim, dtype) : t["input"].Softmax(dim, dtype));
                r["out"] = y;
                if (go is not null)
                {
                    Tensor gi = Keep(log ? Functional.LogSoftmaxBackward(go, y, dim) : Functional.SoftmaxBackward(go, y, dim));
                    // With dtype, PyTorch's input gradient also passes back through the input's conversion.
                    r["grad_input"] = dtype is null ? gi : Keep(gi.To(t["input"].DType));
                }
                break;
            }
            case "layer_norm":
            {
                long[] ns = Ints(a.GetProperty("normalized_shape"));
                var (o, m, s) = Functional.LayerNormWithStats(t["input"], ns, Get("weight"), Get("bias"), ReferenceFixture.Float(a.GetProperty("eps")));
                (r["out"], r["mean"], r["rstd"]) = (Keep(o), Keep(m), Keep(s));
                if (go is not null)
                {
                    var (gi, gw, gb) = Functional.LayerNormBackward(go, t["input"], ns, m, s, Get("weight"));
                    (r["grad_input"], r["grad_weight"], r["grad_bias"]) = (Keep(gi), Keep(gw), Keep(gb));
                }
                break;
            }
            case "rms_norm":
            {
                long[] ns = Ints(a.GetProperty("normalized_shape"));
                var (o, s) = Functional.RmsNormWithStats(t["input"], ns, Get("weight"), OptDouble(a, "eps"));
                (r["out"], r["rstd"]) = (Keep(o), Keep(s));
                if (go is not null)
                {
                    var (gi, gw) = Functional.RmsNormBackward(go, t["input"], ns, s, Get("weight"));
                    (r["grad_input"], r["grad_weight"]) = (Keep(gi), Keep(gw));
                }
                break;
            }
            case "batch_norm":
            {
                bool training = a.GetProperty("training").GetBoolean();
                var (o, m, s) = Functional.BatchNormWithStats(t["input"], Get("running_mean"), Get("running_var"), Get("weight"), Get("bias"),
                    training, ReferenceFixture.Float(a.GetProperty("momentum")), ReferenceFixture.Float(a.GetProperty("eps")));
                (r["out"], r["mean"], r["rstd"]) = (Keep(o), Keep(m), Keep(s));
                if (Get("running_mean") is Tensor rm) (r["running_mean"], r["running_var"]) = (rm, t["running_var"]);
                if (go is not null)
                {
                    var (gi, gw, gb) = Functional.BatchNormBackward(go, t["input"], Get("weight"), m, s, training);
                    (r["grad_input"], r["grad_weight"], r["grad_bias"]) = (Keep(gi), Keep(gw), Keep(gb));
                }
                break;
            }
            case "group_norm":
            {
                long groups = a.GetProperty("num_groups").GetInt64();
                var (o, m, s) = Functional.GroupNormWithStats(t["input"], groups, Get("weight"), Get("bias"), ReferenceFixture.Float(a.GetProperty("eps")));
                (r["out"], r["mean"], r["rstd"]) = (Keep(o), Keep(m), Keep(s));
                if (go is not null)
                {
                    var (gi, gw, gb) = Functional.GroupNormBackward(go, t["input"], groups, m, s, Get("weight"));
                    (r["grad_input"], r["grad_weight"], r["grad_bias"]) = (Keep(gi), Keep(gw), Keep(gb));
                }
                break;
            }
            default:
            {
                bool grad = c.GetProperty("op").GetString() == "embedding_backward";
                Tensor weight = grad ? t["input"] : t["weight"];
                long? pad = a.GetProperty("padding_idx").ValueKind == JsonValueKind.Null ? null : a.GetProperty("padding_idx").GetInt64();
                r["out"] = Keep(Functional.Embedding(t["indices"], weight, pad, OptDouble(a, "max_norm"), ReferenceFixture.Float(a.GetProperty("norm_type"))));
                r["weight_after"] = weight;
                if (go is not null)
                    r["grad_input"] = Keep(Functional.EmbeddingBackward(go, t["indices"], weight.Size(0), pad, a.GetProperty("scale_grad_by_freq").GetBoolean()));
                break;
            }
        }
        return r;
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesTorch(JsonElement c)
    {
        using var bag = new TensorBag();
        var inputs = new Dictionary<string, Tensor>();
        foreach (JsonProperty p in c.GetProperty("inputs").EnumerateObject()) inputs[p.Name] = bag.Add(ReferenceFixture.Build(p.Value));
        Tensor? go = c.TryGetProperty("grad_output", out JsonElement g) ? bag.Add(ReferenceFixture.Build(g)) : null;
        if (c.TryGetProperty("error", out _))
        {
            ReferenceFixture.AssertRejected(() => Run(c, inputs, go, bag), c);
            return;
        }
        Dictionary<string, Tensor> results = Run(c, inputs, go, bag);
        foreach (JsonProperty e in c.GetProperty("expected").EnumerateObject())
        {
            DType outType = ReferenceFixture.ParseDType(e.Value.GetProperty("dtype").GetString()!);
            Tolerance tol = Tolerance.Exact;
            if (outType.IsFloatingPoint() && c.TryGetProperty("abs_bound", out JsonElement bounds) && bounds.TryGetProperty(e.Name, out JsonElement bound))
            {
                double eps = ReferenceFixture.Epsilon(outType == DType.Float64 ? DType.Float64 : DType.Float32);
                tol = new Tolerance(outType is DType.Float16 or DType.BFloat16 ? 1 : 0,
                    c.GetProperty("count").GetProperty(e.Name).GetInt64() * eps, bound);
            }
            Assert.That(results.ContainsKey(e.Name), $"no result named {e.Name}");
            ReferenceFixture.AssertMatches(results[e.Name], e.Value, tol);
        }
    }

    [Test]
    public void DropoutIsDeterministicUnderASeedAndScalesKeptElements()
    {
        using var x = Tensor.Randn(100, 50);
        Tensor.ManualSeed(21);
        var (a, maskA) = Functional.DropoutWithMask(x, 0.2, training: true);
        Tensor.ManualSeed(21);
        using Tensor b = Functional.Dropout(x, 0.2);
        using (a)
        using (maskA)
        {
            Assert.That(b.ToArray<float>(), Is.EqualTo(a.ToArray<float>()));
            float[] xs = x.ToArray<float>(), ys = a.ToArray<float>();
            bool[] ms = maskA.ToArray<bool>();
            int kept = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                if (ms[i]) kept++;
                Assert.That(ys[i], Is.EqualTo(ms[i] ? xs[i] * (float)(1 / 0.8) : 0f).Within(1).Ulps);
            }
            // Binomial(5000, 0.8): standard deviation ~28; ten deviations cannot happen by chance.
            Assert.That(kept, Is.InRange(4000 - 283, 4000 + 283));
        }
    }

    [Test]
    public void DropoutEdges()
    {
        using var x = Tensor.Randn(3, 4);
        using Tensor eval = Functional.Dropout(x, 0.5, training: false);
        Assert.That(eval.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
        using Tensor none = Functional.Dropout(x, 0.0);
        Assert.That(none.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
        using Tensor all = Functional.Dropout(x, 1.0);
        Assert.That(all.ToArray<float>(), Is.All.EqualTo(0f));
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Dropout(x, -0.1));
        Assert.That(e!.Message, Does.Contain("dropout"));
    }

    [Test]
    public void Dropout2dDropsWholeChannelsBatchedAndUnbatched()
    {
        using var x = Tensor.Randn(4, 6, 3, 3);
        using Tensor y = Functional.Dropout2d(x, 0.5);
        float[] xs = x.ToArray<float>(), ys = y.ToArray<float>();
        for (int ch = 0; ch < 24; ch++)
        {
            bool dropped = ys[ch * 9] == 0f && xs[ch * 9] != 0f;
            for (int k = 0; k < 9; k++)
                Assert.That(ys[ch * 9 + k], Is.EqualTo(dropped ? 0f : xs[ch * 9 + k] * 2f));
        }
        using var unbatched = Tensor.Randn(5, 2, 2);
        using Tensor u = Functional.Dropout2d(unbatched, 0.5);
        Assert.That(u.Shape, Is.EqualTo(new long[] { 5, 2, 2 }));
        using var flat = Tensor.Randn(5);
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Dropout2d(flat));
    }

    [Test]
    public void DropoutBackwardAppliesTheMask()
    {
        using var x = Tensor.Randn(2, 3, 4);
        var (y, mask) = Functional.FeatureDropoutWithMask(x, 0.5, training: true);
        using (y)
        using (mask)
        using (var go = Tensor.Randn(2, 3, 4))
        using (Tensor gi = Functional.DropoutBackward(go, mask, 0.5))
        {
            Assert.That(mask.Shape, Is.EqualTo(new long[] { 2, 3, 1 }));
            float[] g = go.ToArray<float>(), r = gi.ToArray<float>();
            bool[] m = mask.ToArray<bool>();
            for (int i = 0; i < g.Length; i++) Assert.That(r[i], Is.EqualTo(m[i / 4] ? g[i] * 2f : 0f));
        }
    }

    [Test]
    public void InvalidArgumentsThrowWithMessages()
    {
        using var x = Tensor.Randn(3, 5);
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.LayerNorm(x, new long[] { 4 }));
        Assert.That(e!.Message, Does.Contain("layer_norm").And.Contain("[3, 5]"));
        using var w = Tensor.Randn(4);
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.LayerNorm(x, new long[] { 5 }, w));
        Assert.That(e!.Message, Does.Contain("weight"));
        using var x3 = Tensor.Randn(2, 6, 4);
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.GroupNorm(x3, 4));
        Assert.That(e!.Message, Does.Contain("num_groups=4"));
        using var table = Tensor.Randn(10, 3);
        using var idx = Tensor.From(new long[] { 1, 10 });
        e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Functional.Embedding(idx, table));
        Assert.That(e!.Message, Does.Contain("embedding").And.Contain("10"));
        Assert.Throws<ArgumentNullException>(() => Functional.LayerNorm(x, null!));
    }
}
