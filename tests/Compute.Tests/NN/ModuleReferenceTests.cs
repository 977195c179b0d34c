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
        Module module = Build(c.GetProperty("module").GetString()!, c.GetProperty("args"));
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
        Tensor output = module switch
        {
            Module<Tensor, Tensor> m => m.Forward(input),
            Module<Tensor, Tensor, Tensor> m => m.Forward(input, (input2 ?? target)!),
            _ => throw new InvalidOperationException(module.GetType().Name),
        };
        JsonElement expected = c.GetProperty("expected");
        AssertClose(output, expected.GetProperty("output"), "output");
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

    // ---- building a module from PyTorch's constructor arguments ------------------------------

    private static Module Build(string kind, JsonElement a)
    {
        long L(string k, long d = 0) => a.TryGetProperty(k, out var v) ? v.GetInt64() : d;
        double Dbl(string k, double d) => a.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        bool B(string k, bool d) => a.TryGetProperty(k, out var v) ? v.GetBoolean() : d;
        string S(string k, string d) => a.TryGetProperty(k, out var v) ? v.GetString()! : d;
        long[] Arr(string k, long d) => !a.TryGetProperty(k, out var v) ? [d]
            : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : [v.GetInt64()];
        Tensor? T(string k) => a.TryGetProperty(k, out var v) ? ReferenceFixture.Build(v) : null;
        Reduction R() => S("reduction", "mean") switch { "none" => Reduction.None, "sum" => Reduction.Sum, _ => Reduction.Mean };
        bool StringPadding = a.TryGetProperty("padding", out var pad) && pad.ValueKind == JsonValueKind.String;
        return kind switch
        {
            "Linear" => new Linear(L("in_features"), L("out_features"), B("bias", true)),
            "Bilinear" => new Bilinear(L("in1_features"), L("in2_features"), L("out_features"), B("bias", true)),
            "Identity" => new Identity(),
            "Flatten" => new Flatten(L("start_dim", 1), L("end_dim", -1)),
            "Unflatten" => new Unflatten(L("dim"), Arr("unflattened_size", 0)),
            "Conv1d" => new Conv1d(L("in_channels"), L("out_channels"), L("kernel_size"), L("stride", 1), L("padding"), L("dilation", 1),
                L("groups", 1), B("bias", true), S("padding_mode", "zeros")),
            "Conv2d" when StringPadding => new Conv2d(L("in_channels"), L("out_channels"), Arr("kernel_size", 1), S("padding", ""),
                Arr("stride", 1), Arr("dilation", 1), L("groups", 1), B("bias", true), S("padding_mode", "zeros")),
            "Conv2d" => new Conv2d(L("in_channels"), L("out_channels"), Arr("kernel_size", 1), Arr("stride", 1), Arr("padding", 0),
                Arr("dilation", 1), L("groups", 1), B("bias", true), S("padding_mode", "zeros")),
            "Conv3d" => new Conv3d(L("in_channels"), L("out_channels"), Arr("kernel_size", 1), Arr("stride", 1), Arr("padding", 0),
                Arr("dilation", 1), L("groups", 1), B("bias", true), S("padding_mode", "zeros")),
            "ConvTranspose1d" => new ConvTranspose1d(L("in_channels"), L("out_channels"), L("kernel_size"), L("stride", 1), L("padding"),
                L("output_padding"), L("groups", 1), B("bias", true), L("dilation", 1)),
            "ConvTranspose2d" => new ConvTranspose2d(L("in_channels"), L("out_channels"), Arr("kernel_size", 1), Arr("stride", 1),
                Arr("padding", 0), Arr("output_padding", 0), L("groups", 1), B("bias", true), Arr("dilation", 1)),
            "MaxPool1d" => new MaxPool1d(L("kernel_size"), a.TryGetProperty("stride", out _) ? L("stride") : null, L("padding"),
                L("dilation", 1), B("ceil_mode", false)),
            "MaxPool2d" => new MaxPool2d(Arr("kernel_size", 1), a.TryGetProperty("stride", out _) ? Arr("stride", 1) : null, Arr("padding", 0),
                Arr("dilation", 1), B("ceil_mode", false)),
            "AvgPool1d" => new AvgPool1d(L("kernel_size"), a.TryGetProperty("stride", out _) ? L("stride") : null, L("padding"),
                B("ceil_mode", false), B("count_include_pad", true)),
            "AvgPool2d" => new AvgPool2d(Arr("kernel_size", 1), a.TryGetProperty("stride", out _) ? Arr("stride", 1) : null, Arr("padding", 0),
                B("ceil_mode", false), B("count_include_pad", true)),
            "AdaptiveAvgPool1d" => new AdaptiveAvgPool1d(L("output_size")),
            "AdaptiveAvgPool2d" => new AdaptiveAvgPool2d(Arr("output_size", 1)),
            "AdaptiveMaxPool2d" => new AdaptiveMaxPool2d(Arr("output_size", 1)),
            "BatchNorm1d" => new BatchNorm1d(L("num_features"), Dbl("eps", 1e-5), Momentum(a), B("affine", true), B("track_running_stats", true)),
            "BatchNorm2d" => new BatchNorm2d(L("num_features"), Dbl("eps", 1e-5), Momentum(a), B("affine", true), B("track_running_stats", true)),
            "LayerNorm" => new LayerNorm(Arr("normalized_shape", 1), Dbl("eps", 1e-5), B("elementwise_affine", true)),
            "GroupNorm" => new GroupNorm(L("num_groups"), L("num_channels"), Dbl("eps", 1e-5), B("affine", true)),
            "RMSNorm" => new RMSNorm(Arr("normalized_shape", 1), a.TryGetProperty("eps", out var e) ? e.GetDouble() : null),
            "Embedding" => new Embedding(L("num_embeddings"), L("embedding_dim"), a.TryGetProperty("padding_idx", out _) ? L("padding_idx") : null),
            "Dropout" => new Dropout(Dbl("p", 0.5)),
            "Upsample" => a.TryGetProperty("size", out _)
                ? new Upsample(Arr("size", 1), null, S("mode", "nearest"), a.TryGetProperty("align_corners", out var ac) ? ac.GetBoolean() : null)
                : new Upsample(Dbl("scale_factor", 1), S("mode", "nearest")),
            "ReLU" => new ReLU(),
            "ReLU6" => new ReLU6(),
            "GELU" => new GELU(S("approximate", "none")),
            "SiLU" => new SiLU(),
            "Mish" => new Mish(),
            "Softplus" => new Softplus(Dbl("beta", 1), Dbl("threshold", 20)),
            "ELU" => new ELU(Dbl("alpha", 1)),
            "SELU" => new SELU(),
            "CELU" => new CELU(Dbl("alpha", 1)),
            "LeakyReLU" => new LeakyReLU(Dbl("negative_slope", 0.01)),
            "Hardtanh" => new Hardtanh(Dbl("min_val", -1), Dbl("max_val", 1)),
            "Hardsigmoid" => new Hardsigmoid(),
            "Hardswish" => new Hardswish(),
            "LogSigmoid" => new LogSigmoid(),
            "Sigmoid" => new Sigmoid(),
            "Tanh" => new Tanh(),
            "Softmax" => new Softmax(L("dim")),
            "LogSoftmax" => new LogSoftmax(L("dim")),
            "Hardshrink" => new Hardshrink(Dbl("lambd", 0.5)),
            "Softshrink" => new Softshrink(Dbl("lambd", 0.5)),
            "Tanhshrink" => new Tanhshrink(),
            "Softsign" => new Softsign(),
            "Threshold" => new Threshold(Dbl("threshold", 0), Dbl("value", 0)),
            "Softmin" => new Softmin(L("dim")),
            "Softmax2d" => new Softmax2d(),
            "GLU" => new GLU(L("dim", -1)),
            "PReLU" => new PReLU(L("num_parameters", 1), Dbl("init", 0.25)),
            "RReLU" => new RReLU(Dbl("lower", 1.0 / 8), Dbl("upper", 1.0 / 3)),
            "CrossEntropyLoss" => new CrossEntropyLoss(T("weight"), L("ignore_index", -100), R(), Dbl("label_smoothing", 0)),
            "NLLLoss" => new NLLLoss(T("weight"), L("ignore_index", -100), R()),
            "MSELoss" => new MSELoss(R()),
            "L1Loss" => new L1Loss(R()),
            "SmoothL1Loss" => new SmoothL1Loss(R(), Dbl("beta", 1)),
            "HuberLoss" => new HuberLoss(R(), Dbl("delta", 1)),
            "BCELoss" => new BCELoss(T("weight"), R()),
            "BCEWithLogitsLoss" => new BCEWithLogitsLoss(T("weight"), R(), T("pos_weight")),
            "KLDivLoss" => new KLDivLoss(S("reduction", "mean") switch
            {
                "none" => KlDivReduction.None,
                "sum" => KlDivReduction.Sum,
                "batchmean" => KlDivReduction.BatchMean,
                _ => KlDivReduction.Mean,
            }, B("log_target", false)),
            "Sequential" => new Sequential(a.GetProperty("layers").EnumerateArray()
                .Select(l => (Module<Tensor, Tensor>)Build(l[0].GetString()!, l[1])).ToArray()),
            _ => throw new NotSupportedException($"no builder for {kind}"),
        };
    }

    private static double? Momentum(JsonElement a) =>
        !a.TryGetProperty("momentum", out var m) ? 0.1 : m.ValueKind == JsonValueKind.Null ? null : m.GetDouble();
}
