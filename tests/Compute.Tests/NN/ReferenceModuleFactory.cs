using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.NN;

/// <summary>Builds the modules of nn_modules.json from torch's constructor arguments (PyTorch's names) and runs their forward.</summary>
internal static class ReferenceModuleFactory
{
    /// <summary>The module <paramref name="kind"/> (torch.nn's class name) made from torch's keyword arguments.</summary>
    internal static Module Build(string kind, JsonElement a)
    {
        long L(string k, long d = 0) => a.TryGetProperty(k, out var v) ? v.GetInt64() : d;
        double Dbl(string k, double d) => a.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        bool B(string k, bool d) => a.TryGetProperty(k, out var v) ? v.GetBoolean() : d;
        string S(string k, string d) => a.TryGetProperty(k, out var v) ? v.GetString()! : d;
        long[] Arr(string k, long d) => !a.TryGetProperty(k, out var v) ? [d]
            : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : [v.GetInt64()];
        Tensor? T(string k) => a.TryGetProperty(k, out var v) ? ReferenceFixture.Build(v) : null;
        bool Inplace() => B("inplace", false);
        long? OptionalDim() => a.TryGetProperty("dim", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetInt64() : null;
        long?[] Sizes(string k) => a.GetProperty(k).ValueKind == JsonValueKind.Array
            ? a.GetProperty(k).EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? (long?)null : x.GetInt64()).ToArray()
            : [a.GetProperty(k).GetInt64()];
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
                L("output_padding"), L("groups", 1), B("bias", true), L("dilation", 1), S("padding_mode", "zeros")),
            "ConvTranspose2d" => new ConvTranspose2d(L("in_channels"), L("out_channels"), Arr("kernel_size", 1), Arr("stride", 1),
                Arr("padding", 0), Arr("output_padding", 0), L("groups", 1), B("bias", true), Arr("dilation", 1), S("padding_mode", "zeros")),
            "MaxPool1d" => new MaxPool1d(L("kernel_size"), a.TryGetProperty("stride", out _) ? L("stride") : null, L("padding"),
                L("dilation", 1), B("return_indices", false), B("ceil_mode", false)),
            "MaxPool2d" => new MaxPool2d(Arr("kernel_size", 1), a.TryGetProperty("stride", out _) ? Arr("stride", 1) : null, Arr("padding", 0),
                Arr("dilation", 1), B("return_indices", false), B("ceil_mode", false)),
            "AvgPool1d" => new AvgPool1d(L("kernel_size"), a.TryGetProperty("stride", out _) ? L("stride") : null, L("padding"),
                B("ceil_mode", false), B("count_include_pad", true)),
            "AvgPool2d" => new AvgPool2d(Arr("kernel_size", 1), a.TryGetProperty("stride", out _) ? Arr("stride", 1) : null, Arr("padding", 0),
                B("ceil_mode", false), B("count_include_pad", true)),
            "AdaptiveAvgPool1d" => new AdaptiveAvgPool1d(L("output_size")),
            "AdaptiveAvgPool2d" => new AdaptiveAvgPool2d(Sizes("output_size")),
            "AdaptiveMaxPool1d" => new AdaptiveMaxPool1d(L("output_size"), B("return_indices", false)),
            "AdaptiveMaxPool2d" => new AdaptiveMaxPool2d(Sizes("output_size"), B("return_indices", false)),
            "BatchNorm1d" => new BatchNorm1d(L("num_features"), Dbl("eps", 1e-5), Momentum(a), B("affine", true), B("track_running_stats", true)),
            "BatchNorm2d" => new BatchNorm2d(L("num_features"), Dbl("eps", 1e-5), Momentum(a), B("affine", true), B("track_running_stats", true)),
            "LayerNorm" => new LayerNorm(Arr("normalized_shape", 1), Dbl("eps", 1e-5), B("elementwise_affine", true)),
            "GroupNorm" => new GroupNorm(L("num_groups"), L("num_channels"), Dbl("eps", 1e-5), B("affine", true)),
            "RMSNorm" => new RMSNorm(Arr("normalized_shape", 1), a.TryGetProperty("eps", out var e) ? e.GetDouble() : null),
            "Embedding" => new Embedding(L("num_embeddings"), L("embedding_dim"), a.TryGetProperty("padding_idx", out _) ? L("padding_idx") : null,
                scaleGradByFreq: B("scale_grad_by_freq", false)),
            "Dropout" => new Dropout(Dbl("p", 0.5), Inplace()),
            "Dropout1d" => new Dropout1d(Dbl("p", 0.5), Inplace()),
            "Dropout2d" => new Dropout2d(Dbl("p", 0.5), Inplace()),
            "Dropout3d" => new Dropout3d(Dbl("p", 0.5), Inplace()),
            "Upsample" => a.TryGetProperty("size", out _)
                ? new Upsample(Arr("size", 1), null, S("mode", "nearest"), a.TryGetProperty("align_corners", out var ac) ? ac.GetBoolean() : null)
                : new Upsample(Dbl("scale_factor", 1), S("mode", "nearest"), a.TryGetProperty("align_corners", out var ac2) ? ac2.GetBoolean() : null,
                    a.TryGetProperty("recompute_scale_factor", out var rs) ? rs.GetBoolean() : null),
            "ReLU" => new ReLU(Inplace()),
            "ReLU6" => new ReLU6(Inplace()),
            "GELU" => new GELU(S("approximate", "none")),
            "SiLU" => new SiLU(Inplace()),
            "Mish" => new Mish(Inplace()),
            "Softplus" => new Softplus(Dbl("beta", 1), Dbl("threshold", 20)),
            "ELU" => new ELU(Dbl("alpha", 1), Inplace()),
            "SELU" => new SELU(Inplace()),
            "CELU" => new CELU(Dbl("alpha", 1), Inplace()),
            "LeakyReLU" => new LeakyReLU(Dbl("negative_slope", 0.01), Inplace()),
            "Hardtanh" => new Hardtanh(Dbl("min_val", -1), Dbl("max_val", 1), Inplace()),
            "Hardsigmoid" => new Hardsigmoid(Inplace()),
            "Hardswish" => new Hardswish(Inplace()),
            "Threshold" => new Threshold(Dbl("threshold", 0), Dbl("value", 0), Inplace()),
            "LogSigmoid" => new LogSigmoid(),
            "Sigmoid" => new Sigmoid(),
            "Tanh" => new Tanh(),
            "Softmax" => new Softmax(OptionalDim()),
            "LogSoftmax" => new LogSoftmax(OptionalDim()),
            "Hardshrink" => new Hardshrink(Dbl("lambd", 0.5)),
            "Softshrink" => new Softshrink(Dbl("lambd", 0.5)),
            "Tanhshrink" => new Tanhshrink(),
            "Softsign" => new Softsign(),
            "Softmin" => new Softmin(OptionalDim()),
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

    /// <summary>Runs the module's forward on the case's inputs and forward keyword arguments.</summary>
    internal static Tensor Forward(Module module, Tensor input, Tensor? second, JsonElement kwargs)
    {
        if (kwargs.ValueKind == JsonValueKind.Object && kwargs.TryGetProperty("output_size", out var size))
        {
            return ((ConvTransposeBase)module).Forward(input, size.EnumerateArray().Select(x => x.GetInt64()).ToArray());
        }
        return module switch
        {
            Module<Tensor, Tensor> m => m.Forward(input),
            Module<Tensor, Tensor, Tensor> m => m.Forward(input, second!),
            _ => throw new InvalidOperationException(module.GetType().Name),
        };
    }

    private static double? Momentum(JsonElement a) =>
        !a.TryGetProperty("momentum", out var m) ? 0.1 : m.ValueKind == JsonValueKind.Null ? null : m.GetDouble();
}
