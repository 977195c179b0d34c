using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests.NN;

/// <summary>Builds the modules of nn_seq.json from their PyTorch constructor arguments and calls their forward.</summary>
internal static class SequenceModuleFactory
{
    private static long L(JsonElement a, string key, long fallback) => a.TryGetProperty(key, out var v) ? v.GetInt64() : fallback;

    private static bool B(JsonElement a, string key, bool fallback) => a.TryGetProperty(key, out var v) ? v.GetBoolean() : fallback;

    private static double D(JsonElement a, string key, double fallback) => a.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;

    private static string S(JsonElement a, string key, string fallback) => a.TryGetProperty(key, out var v) ? v.GetString()! : fallback;

    internal static Module Make(string name, JsonElement a)
    {
        long input = L(a, "input_size", 0), hidden = L(a, "hidden_size", 0), layers = L(a, "num_layers", 1);
        bool bias = B(a, "bias", true), batchFirst = B(a, "batch_first", false), bidir = B(a, "bidirectional", false);
        double dropout = D(a, "dropout", 0);
        return name switch
        {
            "RNN" => new RNN(input, hidden, layers, S(a, "nonlinearity", "tanh"), bias, batchFirst, dropout, bidir),
            "LSTM" => new LSTM(input, hidden, layers, bias, batchFirst, dropout, bidir, L(a, "proj_size", 0)),
            "GRU" => new GRU(input, hidden, layers, bias, batchFirst, dropout, bidir),
            "RNNCell" => new RNNCell(input, hidden, bias, S(a, "nonlinearity", "tanh")),
            "LSTMCell" => new LSTMCell(input, hidden, bias),
            "GRUCell" => new GRUCell(input, hidden, bias),
            "MultiheadAttention" => new MultiheadAttention(L(a, "embed_dim", 0), L(a, "num_heads", 0), dropout, bias,
                B(a, "add_bias_kv", false), B(a, "add_zero_attn", false), a.TryGetProperty("kdim", out var kd) ? kd.GetInt64() : null, a.TryGetProperty("vdim", out var vd) ? vd.GetInt64() : null,
                batchFirst),
            "TransformerEncoderLayer" => EncoderLayer(a),
            "TransformerDecoderLayer" => DecoderLayer(a),
            "TransformerEncoder" => new TransformerEncoder(EncoderLayer(a.GetProperty("layer")), (int)L(a, "num_layers", 1),
                B(a, "norm", false) ? new LayerNorm(L(a.GetProperty("layer"), "d_model", 0)) : null),
            "TransformerDecoder" => new TransformerDecoder(DecoderLayer(a.GetProperty("layer")), (int)L(a, "num_layers", 1),
                B(a, "norm", false) ? new LayerNorm(L(a.GetProperty("layer"), "d_model", 0)) : null),
            _ => throw new ArgumentException($"nn_seq.json names unknown module {name}"),
        };
    }

    private static TransformerEncoderLayer EncoderLayer(JsonElement a) => Callable(a) is { } fn
        ? new(L(a, "d_model", 0), L(a, "nhead", 0), fn, L(a, "dim_feedforward", 2048), D(a, "dropout", 0.1), D(a, "layer_norm_eps", 1e-5),
            B(a, "batch_first", false), B(a, "norm_first", false))
        : new(L(a, "d_model", 0), L(a, "nhead", 0), L(a, "dim_feedforward", 2048), D(a, "dropout", 0.1), S(a, "activation", "relu"),
            D(a, "layer_norm_eps", 1e-5), B(a, "batch_first", false), B(a, "norm_first", false));

    private static TransformerDecoderLayer DecoderLayer(JsonElement a) => Callable(a) is { } fn
        ? new(L(a, "d_model", 0), L(a, "nhead", 0), fn, L(a, "dim_feedforward", 2048), D(a, "dropout", 0.1), D(a, "layer_norm_eps", 1e-5),
            B(a, "batch_first", false), B(a, "norm_first", false))
        : new(L(a, "d_model", 0), L(a, "nhead", 0), L(a, "dim_feedforward", 2048), D(a, "dropout", 0.1), S(a, "activation", "relu"),
            D(a, "layer_norm_eps", 1e-5), B(a, "batch_first", false), B(a, "norm_first", false));

    /// <summary>The function a case passes as the activation (torch's activation=F.silu), by the name the fixture gives.</summary>
    private static Func<Tensor, Tensor>? Callable(JsonElement a) => S(a, "activation_callable", "") switch
    {
        "" => null,
        "silu" => x => Functional.Silu(x),
        "tanh" => x => x.Tanh(),
        var name => throw new ArgumentException($"nn_seq.json names unknown activation {name}"),
    };

    internal static IReadOnlyList<(string Name, Tensor Value)> Run(Module module, Dictionary<string, Tensor> x, JsonElement kwargs, TensorBag bag)
    {
        Tensor? Mask(string key) => kwargs.ValueKind == JsonValueKind.Object && kwargs.TryGetProperty(key, out var m)
            ? bag.Add(ReferenceFixture.Build(m)) : null;
        switch (module)
        {
            case TransformerEncoderLayer layer:
                return [("output", layer.Forward(x["src"], Mask("src_mask"), Mask("src_key_padding_mask")))];
            case TransformerEncoder encoder:
                return [("output", encoder.Forward(x["src"], Mask("mask"), Mask("src_key_padding_mask")))];
            case TransformerDecoderLayer layer:
                return [("output", layer.Forward(x["tgt"], x["memory"], Mask("tgt_mask"), Mask("memory_mask"),
                    Mask("tgt_key_padding_mask"), Mask("memory_key_padding_mask")))];
            case TransformerDecoder decoder:
                return [("output", decoder.Forward(x["tgt"], x["memory"], Mask("tgt_mask"), Mask("memory_mask"),
                    Mask("tgt_key_padding_mask"), Mask("memory_key_padding_mask")))];
        }
        if (module is MultiheadAttention mha)
        {
            bool Flag(string key) => kwargs.ValueKind != JsonValueKind.Object || !kwargs.TryGetProperty(key, out var f) || f.GetBoolean();
            var (output, weights) = mha.Forward(x["query"], x["key"], x["value"], Mask("key_padding_mask"), Flag("need_weights"),
                Mask("attn_mask"), Flag("average_attn_weights"));
            return weights is null ? [("output", output)] : [("output", output), ("weights", weights)];
        }
        Tensor input = x["input"];
        Tensor? h0 = x.GetValueOrDefault("h0");
        Tensor? c0 = x.GetValueOrDefault("c0");
        switch (module)
        {
            case RNN rnn:
            {
                var (output, hn) = rnn.Forward(input, h0);
                return [("output", output), ("h_n", hn)];
            }
            case GRU gru:
            {
                var (output, hn) = gru.Forward(input, h0);
                return [("output", output), ("h_n", hn)];
            }
            case LSTM lstm:
            {
                var (output, (hn, cn)) = lstm.Forward(input, h0 is null ? null : (h0, c0!));
                return [("output", output), ("h_n", hn), ("c_n", cn)];
            }
            case RNNCell cell:
                return [("output", cell.Forward(input, h0))];
            case GRUCell cell:
                return [("output", cell.Forward(input, h0))];
            case LSTMCell cell:
            {
                var (h, c) = cell.Forward(input, h0 is null ? null : (h0, c0!));
                return [("h", h), ("c", c)];
            }
            default:
                throw new ArgumentException($"no forward for {module.GetType().Name}");
        }
    }
}
