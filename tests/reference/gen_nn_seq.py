"""Fixtures for the sequence modules: RNN, LSTM, GRU and their cells, MultiheadAttention and the
Transformer layers (fixtures/nn_seq.json; run through generate.py).

A case: "module" (the class name), "args" (constructor keyword arguments, PyTorch's names),
"state" (the module's state_dict after seeding: the test loads it with LoadStateDict, and its
keys must equal the C# module's StateDict keys in the same order), "inputs" (the forward's
positional tensors by name; tuples such as LSTM's (h0, c0) are "h0"/"c0"), "kwargs" (other
forward arguments), "expected" (the forward's tensors by name), "grad_outputs" (one fixed
upstream gradient per floating output) and "grads" (d(sum_i <out_i, grad_out_i>) for every
parameter by its state-dict name and for the floating inputs as "input_<name>").

Every module runs in evaluation mode (dropout off, as dropout draws from the library's own
generator). Most cases are float64: the library computes the same composite formulas in a
possibly different order, so the tests allow 1e-10 relative-to-magnitude differences there,
and 2e-5 for the float32 cases (about 100 float32 ulps of accumulated rounding over a few
dozen recurrent steps or a few layers).
"""
import torch

from generate import enc_tensor, randn, seeded, write


def _result_names(module_name, result):
    if module_name in ("RNN", "GRU"):
        return [("output", result[0]), ("h_n", result[1])]
    if module_name == "LSTM":
        return [("output", result[0]), ("h_n", result[1][0]), ("c_n", result[1][1])]
    if module_name == "LSTMCell":
        return [("h", result[0]), ("c", result[1])]
    if module_name == "MultiheadAttention":
        return [("output", result[0]), ("weights", result[1])]
    return [("output", result)]


def case(cases, name, module_name, args, inputs, kwargs=None, dtype=torch.float64, forward=None, build=None):
    """inputs: list of (name, tensor or None); forward(module, tensors, kwargs) calls the module
    (default: positional call with the inputs in order); build() makes the module when the
    constructor's arguments are not plain keywords."""
    kwargs = kwargs or {}
    module = (build() if build else getattr(torch.nn, module_name)(**args)).to(dtype)
    module.eval()
    c = {"name": name, "module": module_name, "args": args,
         "state": {k: enc_tensor(v) for k, v in module.state_dict().items()}}
    c["inputs"] = {k: enc_tensor(v) for k, v in inputs if v is not None}
    if kwargs:
        c["kwargs"] = {k: (enc_tensor(v) if isinstance(v, torch.Tensor) else v) for k, v in kwargs.items()}
    ts = {k: (v.detach().clone().requires_grad_(v.is_floating_point()) if v is not None else None) for k, v in inputs}
    call_kwargs = {k: v for k, v in kwargs.items()}
    result = forward(module, ts, call_kwargs) if forward else module(*[ts[k] for k, _ in inputs], **call_kwargs)
    named = [(k, v) for k, v in _result_names(module_name, result) if v is not None]
    c["expected"] = {k: enc_tensor(v) for k, v in named}
    total = 0
    c["grad_outputs"] = {}
    for k, v in named:
        if v.is_floating_point() and v.requires_grad:
            g = randn(list(v.shape), "float64").to(v.dtype)
            c["grad_outputs"][k] = enc_tensor(g)
            total = total + (v * g).sum()
    total.backward()
    grads = {k: enc_tensor(p.grad) for k, p in module.named_parameters() if p.grad is not None}
    for k, v in ts.items():
        if v is not None and v.grad is not None:
            grads["input_" + k] = enc_tensor(v.grad)
    c["grads"] = grads
    cases.append(c)


def gen_recurrent(cases):
    def lstm_forward(module, ts, kw):
        hx = (ts["h0"], ts["c0"]) if ts.get("h0") is not None else None
        return module(ts["input"], hx)

    def lstm_cell_forward(module, ts, kw):
        hx = (ts["h0"], ts["c0"]) if ts.get("h0") is not None else None
        return module(ts["input"], hx)

    for mod in ("RNN", "LSTM", "GRU"):
        fwd = lstm_forward if mod == "LSTM" else None
        lstm = mod == "LSTM"

        def add(name, args, x, h0=None, c0=None, dtype=torch.float64):
            seeded(len(cases) + 1000)
            inputs = [("input", x.to(dtype)), ("h0", None if h0 is None else h0.to(dtype))]
            if lstm:
                inputs.append(("c0", None if c0 is None else c0.to(dtype)))
            case(cases, f"{mod}_{name}", mod, args, inputs, dtype=dtype, forward=fwd)

        H = 5
        add("basic", {"input_size": 3, "hidden_size": H}, randn([4, 2, 3], "float64"))
        add("two_layers_h0", {"input_size": 3, "hidden_size": H, "num_layers": 2}, randn([5, 3, 3], "float64"),
            randn([2, 3, H], "float64"), randn([2, 3, H], "float64"))
        add("bidirectional_batch_first", {"input_size": 4, "hidden_size": H, "num_layers": 2, "bidirectional": True,
                                          "batch_first": True}, randn([2, 6, 4], "float64"),
            randn([4, 2, H], "float64"), randn([4, 2, H], "float64"))
        add("no_bias_unbatched", {"input_size": 3, "hidden_size": H, "bias": False}, randn([7, 3], "float64"),
            randn([1, H], "float64"), randn([1, H], "float64"))
        add("dropout_eval", {"input_size": 2, "hidden_size": 3, "num_layers": 3, "dropout": 0.5}, randn([3, 2, 2], "float64"))
        add("float32", {"input_size": 6, "hidden_size": 8, "num_layers": 2, "bidirectional": True},
            randn([10, 4, 6], "float64"), dtype=torch.float32)
        if mod == "RNN":
            add("relu", {"input_size": 3, "hidden_size": H, "nonlinearity": "relu", "num_layers": 2},
                randn([5, 2, 3], "float64"))

    for mod in ("RNNCell", "LSTMCell", "GRUCell"):
        lstm = mod == "LSTMCell"

        def add(name, args, x, h0=None, c0=None):
            seeded(len(cases) + 1000)
            inputs = [("input", x), ("h0", h0)] + ([("c0", c0)] if lstm else [])
            case(cases, f"{mod}_{name}", mod, args, inputs, forward=lstm_cell_forward if lstm else None)

        add("basic", {"input_size": 3, "hidden_size": 4}, randn([2, 3], "float64"))
        add("state", {"input_size": 3, "hidden_size": 4}, randn([5, 3], "float64"),
            randn([5, 4], "float64"), randn([5, 4], "float64"))
        add("unbatched_no_bias", {"input_size": 2, "hidden_size": 3, "bias": False}, randn([2], "float64"),
            randn([3], "float64"), randn([3], "float64"))
        if mod == "RNNCell":
            add("relu", {"input_size": 3, "hidden_size": 4, "nonlinearity": "relu"}, randn([3, 3], "float64"),
                randn([3, 4], "float64"))


def gen_attention(cases):
    def add(name, args, q, k, v, dtype=torch.float64, **kwargs):
        seeded(len(cases) + 1000)
        inputs = [("query", q.to(dtype)), ("key", k.to(dtype)), ("value", v.to(dtype))]
        kwargs = {key: (val.to(dtype) if isinstance(val, torch.Tensor) and val.is_floating_point() else val)
                  for key, val in kwargs.items()}
        case(cases, f"MultiheadAttention_{name}", "MultiheadAttention", args, inputs, kwargs, dtype=dtype)

    def causal(n):
        return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)

    x = randn([5, 3, 8], "float64")
    add("self", {"embed_dim": 8, "num_heads": 2}, x, x.clone(), x.clone())
    add("cross_batch_first_no_weights", {"embed_dim": 8, "num_heads": 4, "batch_first": True},
        randn([2, 4, 8], "float64"), randn([2, 6, 8], "float64"), randn([2, 6, 8], "float64"),
        need_weights=False, attn_mask=randn([4, 6], "float64"))
    add("kdim_vdim", {"embed_dim": 6, "num_heads": 3, "kdim": 4, "vdim": 5},
        randn([3, 2, 6], "float64"), randn([7, 2, 4], "float64"), randn([7, 2, 5], "float64"))
    add("bool_masks_per_head", {"embed_dim": 8, "num_heads": 2}, x, x.clone(), x.clone(),
        attn_mask=causal(5), key_padding_mask=torch.tensor(
            [[False] * 5, [False, False, False, True, True], [False, True, True, True, True]]),
        average_attn_weights=False)
    add("masks_no_weights", {"embed_dim": 8, "num_heads": 2}, x, x.clone(), x.clone(), need_weights=False,
        attn_mask=causal(5), key_padding_mask=torch.tensor(
            [[False] * 5, [False, False, False, True, True], [False, False, False, False, True]]))
    add("mask_3d_no_bias", {"embed_dim": 4, "num_heads": 2, "bias": False},
        randn([3, 2, 4], "float64"), randn([4, 2, 4], "float64"), randn([4, 2, 4], "float64"),
        attn_mask=randn([4, 3, 4], "float64"))
    add("unbatched", {"embed_dim": 6, "num_heads": 2}, randn([4, 6], "float64"), randn([5, 6], "float64"),
        randn([5, 6], "float64"), key_padding_mask=torch.tensor([False, False, True, False, True]))
    add("float32", {"embed_dim": 16, "num_heads": 4, "batch_first": True}, randn([3, 7, 16], "float64"),
        randn([3, 9, 16], "float64"), randn([3, 9, 16], "float64"), dtype=torch.float32)


def gen_transformer(cases):
    def stack(layer_cls, layer_args, num_layers, norm):
        def build():
            stack_cls = torch.nn.TransformerEncoder if layer_cls is torch.nn.TransformerEncoderLayer else torch.nn.TransformerDecoder
            m = stack_cls(layer_cls(**layer_args), num_layers,
                          norm=torch.nn.LayerNorm(layer_args["d_model"]) if norm else None)
            # The stack deep-copies one layer; make the copies differ so that a mix-up shows.
            with torch.no_grad():
                for i, layer in enumerate(m.layers):
                    for p in layer.parameters():
                        p.add_(torch.randn(p.shape, dtype=torch.float64).to(p.dtype) * 0.05 * i)
                if norm:
                    m.norm.weight.add_(torch.randn(m.norm.weight.shape) * 0.1)
                    m.norm.bias.add_(torch.randn(m.norm.bias.shape) * 0.1)
            return m
        return build

    def add(name, module_name, args, inputs, dtype=torch.float64, build=None, **kwargs):
        seeded(len(cases) + 1000)
        inputs = [(k, v.to(dtype)) for k, v in inputs]
        kwargs = {key: (val.to(dtype) if isinstance(val, torch.Tensor) and val.is_floating_point() else val)
                  for key, val in kwargs.items()}
        case(cases, f"{module_name}_{name}", module_name, args, inputs, kwargs, dtype=dtype, build=build)

    def causal(n):
        return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)

    enc = {"d_model": 8, "nhead": 2, "dim_feedforward": 16}
    add("post_norm_relu", "TransformerEncoderLayer", enc, [("src", randn([5, 3, 8], "float64"))],
        src_mask=randn([5, 5], "float64"))
    add("pre_norm_gelu_batch_first", "TransformerEncoderLayer",
        dict(enc, activation="gelu", norm_first=True, batch_first=True, layer_norm_eps=1e-6),
        [("src", randn([3, 6, 8], "float64"))], src_mask=causal(6),
        src_key_padding_mask=torch.tensor([[False] * 6, [False] * 4 + [True] * 2, [False] * 5 + [True]]))
    add("unbatched", "TransformerEncoderLayer", enc, [("src", randn([4, 8], "float64"))])
    add("float32", "TransformerEncoderLayer", dict(enc, d_model=16, nhead=4, dim_feedforward=32, norm_first=True),
        [("src", randn([7, 2, 16], "float64"))], dtype=torch.float32, src_mask=causal(7))
    stack_args = {"layer": dict(enc, norm_first=True, activation="gelu"), "num_layers": 2, "norm": True}
    add("two_layers_norm", "TransformerEncoder", stack_args, [("src", randn([5, 2, 8], "float64"))],
        build=stack(torch.nn.TransformerEncoderLayer, stack_args["layer"], 2, True), mask=causal(5))

    add("post_norm", "TransformerDecoderLayer", enc,
        [("tgt", randn([4, 2, 8], "float64")), ("memory", randn([6, 2, 8], "float64"))], tgt_mask=causal(4),
        memory_key_padding_mask=torch.tensor([[False] * 6, [False] * 3 + [True] * 3]))
    add("pre_norm_batch_first_masks", "TransformerDecoderLayer", dict(enc, norm_first=True, batch_first=True, activation="gelu"),
        [("tgt", randn([2, 5, 8], "float64")), ("memory", randn([2, 3, 8], "float64"))],
        tgt_mask=causal(5), memory_mask=randn([5, 3], "float64"),
        tgt_key_padding_mask=torch.tensor([[False] * 5, [False] * 4 + [True]]))
    dec_args = {"layer": dict(enc), "num_layers": 2, "norm": True}
    add("two_layers_norm", "TransformerDecoder", dec_args,
        [("tgt", randn([3, 2, 8], "float64")), ("memory", randn([4, 2, 8], "float64"))],
        build=stack(torch.nn.TransformerDecoderLayer, dec_args["layer"], 2, True), tgt_mask=causal(3))


def gen_options(cases):
    """LSTM's proj_size, MultiheadAttention's add_bias_kv / add_zero_attn and the Transformer
    layers' callable activation (after the other
    cases, so that adding them left the earlier cases' random inputs as they were)."""
    def lstm_forward(module, ts, kw):
        hx = (ts["h0"], ts["c0"]) if ts.get("h0") is not None else None
        return module(ts["input"], hx)

    def lstm(name, args, x, h0=None, c0=None):
        seeded(len(cases) + 1000)
        case(cases, f"LSTM_{name}", "LSTM", args, [("input", x), ("h0", h0), ("c0", c0)], forward=lstm_forward)

    # proj_size: h (and the output) have proj_size features, c keeps hidden_size.
    lstm("proj", {"input_size": 3, "hidden_size": 5, "proj_size": 2}, randn([4, 2, 3], "float64"))
    lstm("proj_two_layers_bidirectional_h0", {"input_size": 4, "hidden_size": 5, "num_layers": 2, "bidirectional": True,
                                              "batch_first": True, "proj_size": 3}, randn([2, 6, 4], "float64"),
         randn([4, 2, 3], "float64"), randn([4, 2, 5], "float64"))
    lstm("proj_unbatched_no_bias", {"input_size": 3, "hidden_size": 5, "num_layers": 2, "bias": False, "proj_size": 1},
         randn([5, 3], "float64"), randn([2, 1], "float64"), randn([2, 5], "float64"))

    def mha(name, args, q, k, v, **kwargs):
        seeded(len(cases) + 1000)
        case(cases, f"MultiheadAttention_{name}", "MultiheadAttention", args, [("query", q), ("key", k), ("value", v)], kwargs)

    def causal(n):
        return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)

    x = randn([5, 3, 8], "float64")
    mha("bias_kv_masks", {"embed_dim": 8, "num_heads": 2, "add_bias_kv": True}, x, x.clone(), x.clone(),
        attn_mask=causal(5), key_padding_mask=torch.tensor(
            [[False] * 5, [False, False, False, True, True], [False, True, True, True, True]]))
    mha("zero_attn_per_head_weights", {"embed_dim": 8, "num_heads": 4, "add_zero_attn": True}, randn([3, 2, 8], "float64"),
        randn([4, 2, 8], "float64"), randn([4, 2, 8], "float64"), attn_mask=randn([3, 4], "float64"),
        average_attn_weights=False)
    mha("bias_kv_zero_attn_kdim_vdim_batch_first_no_weights", {"embed_dim": 6, "num_heads": 2, "add_bias_kv": True,
                                                               "add_zero_attn": True, "kdim": 4, "vdim": 5, "batch_first": True},
        randn([2, 3, 6], "float64"), randn([2, 5, 4], "float64"), randn([2, 5, 5], "float64"), need_weights=False,
        key_padding_mask=torch.tensor([[False] * 5, [False, False, True, True, True]]), attn_mask=randn([4, 3, 5], "float64"))
    mha("bias_kv_zero_attn_unbatched", {"embed_dim": 4, "num_heads": 2, "add_bias_kv": True, "add_zero_attn": True},
        randn([3, 4], "float64"), randn([4, 4], "float64"), randn([4, 4], "float64"),
        key_padding_mask=torch.tensor([False, True, False, False]))

    # A callable activation (torch accepts any function of a tensor): "activation_callable" names
    # the function the C# test passes as a Func<Tensor, Tensor>.
    callables = {"silu": torch.nn.functional.silu, "tanh": torch.tanh}

    def layer(name, module_name, args, inputs, fn, **kwargs):
        seeded(len(cases) + 1000)
        cls = getattr(torch.nn, module_name)
        case(cases, f"{module_name}_{name}", module_name, dict(args, activation_callable=fn), inputs, kwargs,
             build=lambda: cls(**args, activation=callables[fn]))

    enc = {"d_model": 8, "nhead": 2, "dim_feedforward": 16}
    layer("callable_activation", "TransformerEncoderLayer", dict(enc, norm_first=True), [("src", randn([5, 2, 8], "float64"))],
          "silu", src_mask=causal(5))
    layer("callable_activation", "TransformerDecoderLayer", dict(enc, batch_first=True),
          [("tgt", randn([2, 4, 8], "float64")), ("memory", randn([2, 3, 8], "float64"))], "tanh", tgt_mask=causal(4))


def generate():
    seeded(0)  # the inputs are drawn before each case's own seed
    cases = []
    gen_recurrent(cases)
    gen_attention(cases)
    gen_transformer(cases)
    gen_options(cases)
    write("nn_seq.json", cases, description="RNN/LSTM/GRU and cells (and attention/transformer modules): outputs and gradients in eval mode.")
