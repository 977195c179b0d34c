"""Fixtures for the nn module layer (fixtures/nn_modules.json; run through generate.py): each case
builds one torch.nn module (or a Sequential of them) in float64, with its parameters drawn from a
fixed seed, and stores:

  "module": the module's type, "args": its constructor arguments (PyTorch's keyword names),
  "state": the state dict (torch's key names, in torch's order, float64 and int64 tensors),
  "train": whether the module ran in training mode,
  "inputs": the input tensors ("input", and "input2"/"target" for two-input modules),
  "kwargs": other forward arguments (ConvTranspose's output_size), when there are any,
  "inplace": true when the module was made with inplace=True: it ran on input * 1 (a leaf
      cannot be changed in place), must return that tensor, and "grad_input" is the leaf's,
  "expected": "output", "grad_output" (a fixed random upstream gradient), "grad_input" and
      "grad_<param key>" (torch.autograd.grad of sum(output * grad_output)), and "state_after"
      (buffers after the forward, for BatchNorm's running statistics); "indices" too for the
      max pools made with return_indices=True (whose call returns (output, indices)).

The tests load "state" with LoadStateDict(strict: true), so a key that Compute names differently
from torch fails the test, and compare StateDict().Keys with the stored order. Everything is
float64: these tests check the modules' wiring (arguments, defaults, buffers, modes), while each
op's float32/16-bit rounding is checked against its own fixture; the tests allow 1e-10 relative
to the largest |value| of the expected tensor.

RMSNorm is not in torch 1.13: its reference is the formula x * rsqrt(mean(x^2) + eps) * weight
computed by torch ("reference_note").
"""
import warnings

import torch
import torch.nn as nn

from generate import enc_tensor, write

D = torch.float64


def _build(kind, args):
    if kind == "Sequential":
        return nn.Sequential(*[_build(k, a) for k, a in args["layers"]])
    return getattr(nn, kind)(**args)


class _RMSNormRef(nn.Module):
    """What PyTorch 2.4's nn.RMSNorm computes, for torch 1.13 (weight ones at init)."""

    def __init__(self, normalized_shape, eps=None):
        super().__init__()
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.normalized_shape))

    def forward(self, x):
        dims = tuple(range(-len(self.normalized_shape), 0))
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        return x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps) * self.weight


class _FormulaRef(nn.Module):
    """An activation written as its formula, for the two whose torch 1.13 float64 backward
    rounds a constant to float32 (hardsigmoid_backward's 1/6, celu's 1/alpha.toFloat()):
    autograd of the formula gives the float64 gradient."""

    def __init__(self, kind, alpha=1.0):
        super().__init__()
        self.kind, self.alpha = kind, alpha

    def forward(self, x):
        if self.kind == "Hardsigmoid":
            return torch.clamp(x / 6 + 0.5, 0, 1)
        a = self.alpha
        return torch.where(x > 0, x, a * torch.expm1(x / a))


FORMULA_NOTE = ("gradient by autograd of the formula in float64 (torch 1.13's own backward rounds a constant to float32); "
                "the forward equals the nn module's")


def _randomize(module, seed):
    """Every floating parameter from N(0, 1) (not the default init, so that e.g. norm weights
    are not all ones and a wrong parameter wiring shows)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=D))
        for name, b in module.named_buffers():
            if name.split(".")[-1].startswith("running_"):
                if name.endswith("running_var"):
                    b.copy_(torch.rand(b.shape, generator=g, dtype=D) + 0.5)
                else:
                    b.copy_(torch.randn(b.shape, generator=g, dtype=D))


def _case(cases, name, kind, args, inputs, train=True, randomize=True, target=None, input2=None, note=None, seed=0, kwargs=None):
    torch.manual_seed(seed)
    inplace = bool(args.get("inplace"))
    if kind == "RMSNorm":
        module = _RMSNormRef(**args)
    elif note == FORMULA_NOTE:
        reference = _build(kind, args).to(D)
        module = _FormulaRef(kind, **{k: v for k, v in args.items() if k != "inplace"})
        assert torch.allclose(module(inputs), reference(inputs.clone()), rtol=1e-15, atol=1e-15)
        if inplace:
            _check_formula_inplace(module, reference, inputs)
    else:
        module = _build(kind, args)
    module = module.to(D)
    if randomize:
        _randomize(module, seed + 1)
    module.train(train)
    state = module.state_dict()
    case = {"name": name, "module": kind, "args": _json_args(args), "train": train,
            "state_keys": list(state.keys()),
            "state": {k: enc_tensor(v) for k, v in state.items()}}
    xs = []
    enc_inputs = {}
    for key, x in (("input", inputs), ("input2", input2), ("target", target)):
        if x is None:
            continue
        if x.is_floating_point() and key != "target":
            x = x.detach().clone().requires_grad_(True)
        enc_inputs[key] = enc_tensor(x)
        xs.append((key, x))
    case["inputs"] = enc_inputs
    args_in = [x for k, x in xs]
    if kwargs:
        case["kwargs"] = kwargs
    if inplace:
        case["inplace"] = True
        if not isinstance(module, _FormulaRef):
            args_in[0] = args_in[0] * 1
    out = module(*args_in, **(kwargs or {}))
    indices = None
    if isinstance(out, tuple):
        out, indices = out
    if inplace and not isinstance(module, _FormulaRef):
        assert out is args_in[0]
    g = torch.Generator().manual_seed(seed + 2)
    go = torch.randn(out.shape, generator=g, dtype=D)
    wrt_names = [k for k, x in xs if x.requires_grad] + [f"param:{k}" for k, p in module.named_parameters()]
    wrt = [x for k, x in xs if x.requires_grad] + [p for _, p in module.named_parameters()]
    grads = torch.autograd.grad((out * go).sum(), wrt, allow_unused=True) if wrt else []
    expected = {"output": enc_tensor(out), "grad_output": enc_tensor(go)}
    if indices is not None:
        expected["indices"] = enc_tensor(indices)
    for n, gr in zip(wrt_names, grads):
        if gr is not None:
            key = "grad_" + (n[6:] if n.startswith("param:") else n)
            expected[key] = enc_tensor(gr)
    expected["state_after"] = {k: enc_tensor(v) for k, v in module.state_dict().items() if k not in dict(module.named_parameters())}
    case["expected"] = expected
    if note:
        case["reference_note"] = note
    cases.append(case)


def _check_formula_inplace(formula, module, inputs):
    """The formula's gradient is torch's in-place module's up to the float32 constant FORMULA_NOTE names."""
    x1 = inputs.detach().clone().requires_grad_(True)
    x2 = inputs.detach().clone().requires_grad_(True)
    h = x2 * 1
    out = module(h)
    assert out is h
    g1, = torch.autograd.grad(formula(x1).sum(), x1)
    g2, = torch.autograd.grad(out.sum(), x2)
    assert torch.allclose(g1, g2, rtol=1e-6, atol=1e-7)


def _json_args(args):
    if isinstance(args, torch.Tensor):
        return enc_tensor(args)
    if isinstance(args, dict):
        return {k: _json_args(v) for k, v in args.items()}
    if isinstance(args, (list, tuple)):
        return [_json_args(v) for v in args]
    return args


def _x(shape, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=D) * scale


def generate():
    c = []
    # Linear family.
    _case(c, "linear", "Linear", {"in_features": 4, "out_features": 3}, _x([2, 4], 10))
    _case(c, "linear_no_bias_3d_input", "Linear", {"in_features": 4, "out_features": 3, "bias": False}, _x([2, 5, 4], 11))
    _case(c, "bilinear", "Bilinear", {"in1_features": 3, "in2_features": 4, "out_features": 2}, _x([5, 3], 12), input2=_x([5, 4], 13))
    _case(c, "identity", "Identity", {}, _x([2, 3], 14))
    _case(c, "flatten", "Flatten", {}, _x([2, 3, 2, 2], 15))
    _case(c, "flatten_dims", "Flatten", {"start_dim": 0, "end_dim": 1}, _x([2, 3, 2], 16))
    _case(c, "unflatten", "Unflatten", {"dim": 1, "unflattened_size": [2, 3]}, _x([4, 6], 17))
    # Convolutions.
    _case(c, "conv1d", "Conv1d", {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1}, _x([2, 2, 9], 20))
    _case(c, "conv2d", "Conv2d", {"in_channels": 2, "out_channels": 4, "kernel_size": 3, "padding": 1}, _x([2, 2, 5, 6], 21))
    _case(c, "conv2d_groups_dilation_no_bias", "Conv2d", {"in_channels": 4, "out_channels": 2, "kernel_size": 3, "dilation": 2, "groups": 2,
                                                          "bias": False}, _x([1, 4, 7, 7], 22))
    _case(c, "conv2d_same_reflect", "Conv2d", {"in_channels": 2, "out_channels": 3, "kernel_size": [3, 4], "padding": "same",
                                               "padding_mode": "reflect"}, _x([1, 2, 5, 6], 23))
    _case(c, "conv2d_circular", "Conv2d", {"in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 2,
                                           "padding_mode": "circular"}, _x([2, 1, 4, 5], 24))
    _case(c, "conv3d", "Conv3d", {"in_channels": 2, "out_channels": 2, "kernel_size": 2, "stride": 1}, _x([1, 2, 3, 4, 3], 25))
    _case(c, "conv_transpose1d", "ConvTranspose1d", {"in_channels": 3, "out_channels": 2, "kernel_size": 3, "stride": 2,
                                                     "output_padding": 1}, _x([2, 3, 5], 26))
    _case(c, "conv_transpose2d", "ConvTranspose2d", {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "stride": 2,
                                                     "padding": 1}, _x([1, 2, 4, 3], 27))
    # Pooling.
    _case(c, "maxpool1d", "MaxPool1d", {"kernel_size": 3, "stride": 2}, _x([2, 3, 9], 30))
    _case(c, "maxpool2d", "MaxPool2d", {"kernel_size": 2}, _x([2, 2, 6, 5], 31))
    _case(c, "maxpool2d_ceil_padding", "MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}, _x([1, 2, 6, 7], 32))
    _case(c, "avgpool1d", "AvgPool1d", {"kernel_size": 2}, _x([2, 3, 8], 33))
    _case(c, "avgpool2d_no_pad_count", "AvgPool2d", {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
          _x([1, 2, 6, 5], 34))
    _case(c, "adaptive_avgpool1d", "AdaptiveAvgPool1d", {"output_size": 3}, _x([2, 2, 7], 35))
    _case(c, "adaptive_avgpool2d", "AdaptiveAvgPool2d", {"output_size": [2, 3]}, _x([1, 3, 5, 7], 36))
    _case(c, "adaptive_maxpool2d", "AdaptiveMaxPool2d", {"output_size": 2}, _x([2, 2, 5, 5], 37))
    # Normalisation.
    _case(c, "batchnorm1d_train", "BatchNorm1d", {"num_features": 3}, _x([4, 3], 40))
    _case(c, "batchnorm1d_eval_3d", "BatchNorm1d", {"num_features": 3}, _x([2, 3, 5], 41), train=False)
    _case(c, "batchnorm2d_train", "BatchNorm2d", {"num_features": 2, "momentum": 0.3}, _x([3, 2, 4, 4], 42))
    _case(c, "batchnorm2d_eval", "BatchNorm2d", {"num_features": 2}, _x([2, 2, 3, 3], 43), train=False)
    _case(c, "batchnorm2d_cumulative", "BatchNorm2d", {"num_features": 2, "momentum": None}, _x([2, 2, 3, 3], 44))
    _case(c, "batchnorm1d_no_affine", "BatchNorm1d", {"num_features": 3, "affine": False}, _x([5, 3], 45))
    _case(c, "batchnorm1d_no_running_stats_eval", "BatchNorm1d", {"num_features": 3, "track_running_stats": False}, _x([5, 3], 46),
          train=False)
    _case(c, "layernorm", "LayerNorm", {"normalized_shape": [4]}, _x([3, 4], 47))
    _case(c, "layernorm_2d_no_affine", "LayerNorm", {"normalized_shape": [3, 4], "elementwise_affine": False, "eps": 1e-3},
          _x([2, 3, 4], 48))
    _case(c, "groupnorm", "GroupNorm", {"num_groups": 2, "num_channels": 4}, _x([2, 4, 3], 49))
    _case(c, "rmsnorm", "RMSNorm", {"normalized_shape": [4], "eps": 1e-6}, _x([3, 4], 50),
          note="x * rsqrt(mean(x^2) + eps) * weight computed by torch 1.13 (nn.RMSNorm is PyTorch 2.4)")
    _case(c, "embedding_padding", "Embedding", {"num_embeddings": 6, "embedding_dim": 3, "padding_idx": 1},
          torch.tensor([[0, 1, 5], [1, 3, 3]]))
    _case(c, "dropout_eval", "Dropout", {"p": 0.4}, _x([3, 4], 51), train=False)
    _case(c, "upsample_nearest", "Upsample", {"scale_factor": 2.0}, _x([1, 2, 3, 2], 52))
    _case(c, "upsample_bilinear", "Upsample", {"size": [5, 7], "mode": "bilinear", "align_corners": False}, _x([1, 2, 3, 4], 53))
    # Activations (inputs wide enough to reach every piece).
    for kind, args in (("ReLU", {}), ("ReLU6", {}), ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("SiLU", {}), ("Mish", {}),
                       ("Softplus", {"beta": 2.0, "threshold": 3.0}), ("ELU", {"alpha": 0.7}), ("SELU", {}), ("CELU", {"alpha": 1.3}),
                       ("LeakyReLU", {"negative_slope": 0.2}), ("Hardtanh", {"min_val": -2.0, "max_val": 1.5}),
                       ("Hardsigmoid", {}), ("Hardswish", {}), ("LogSigmoid", {}), ("Sigmoid", {}), ("Tanh", {}),
                       ("Softmax", {"dim": 1}), ("LogSoftmax", {"dim": 0}), ("Hardshrink", {"lambd": 0.7}),
                       ("Softshrink", {"lambd": 0.6}), ("Tanhshrink", {}), ("Softsign", {}),
                       ("Threshold", {"threshold": 0.2, "value": -1.5}), ("Softmin", {"dim": 1}), ("PReLU", {}),
                       ("PReLU", {"num_parameters": 5, "init": 0.1})):
        suffix = "_" + "_".join(f"{k}" for k in args) if args else ""
        note = FORMULA_NOTE if kind in ("Hardsigmoid", "CELU") else None
        _case(c, f"act_{kind.lower()}{suffix}", kind, args, _x([3, 5], 60, scale=3.0), note=note)
    _case(c, "act_glu_dim0", "GLU", {"dim": 0}, _x([4, 3], 61, scale=3.0))
    _case(c, "act_softmax2d", "Softmax2d", {}, _x([2, 3, 2, 2], 62))
    _case(c, "act_rrelu_eval", "RReLU", {"lower": 0.1, "upper": 0.4}, _x([3, 5], 63, scale=3.0), train=False)
    _case(c, "act_prelu_channels_4d", "PReLU", {"num_parameters": 3}, _x([2, 3, 2, 2], 64))
    generate_options(c)
    # Losses (input, target).
    logits = _x([4, 5], 70)
    classes = torch.tensor([1, 0, 4, 2])
    wts = torch.rand(5, generator=torch.Generator().manual_seed(71), dtype=D) + 0.5
    _case(c, "loss_cross_entropy", "CrossEntropyLoss", {}, logits, target=classes)
    _case(c, "loss_cross_entropy_weight_smoothing_ignore", "CrossEntropyLoss",
          {"weight": wts, "label_smoothing": 0.1, "ignore_index": 4}, logits, target=classes)
    _case(c, "loss_nll_sum", "NLLLoss", {"reduction": "sum"}, torch.log_softmax(logits, 1), target=classes)
    y = _x([3, 4], 72)
    _case(c, "loss_mse", "MSELoss", {}, _x([3, 4], 73), target=y)
    _case(c, "loss_l1_none", "L1Loss", {"reduction": "none"}, _x([3, 4], 74), target=y)
    _case(c, "loss_smooth_l1_beta", "SmoothL1Loss", {"beta": 0.5}, _x([3, 4], 75), target=y)
    _case(c, "loss_huber_delta", "HuberLoss", {"delta": 0.8, "reduction": "sum"}, _x([3, 4], 76), target=y)
    probs = torch.sigmoid(_x([3, 4], 77))
    bin_t = (torch.rand(3, 4, generator=torch.Generator().manual_seed(78), dtype=D) > 0.5).to(D)
    _case(c, "loss_bce", "BCELoss", {}, probs, target=bin_t)
    _case(c, "loss_bce_logits_pos_weight", "BCEWithLogitsLoss", {"pos_weight": torch.tensor([1.0, 2.0, 0.5, 3.0], dtype=D)},
          _x([3, 4], 79), target=bin_t)
    _case(c, "loss_kl_div_batchmean", "KLDivLoss", {"reduction": "batchmean"}, torch.log_softmax(_x([3, 4], 80), 1),
          target=torch.softmax(_x([3, 4], 81), 1))
    # Architectures: torch's state-dict keys for a stack, and a run through it.
    _case(c, "sequential_cnn", "Sequential", {"layers": [
        ["Conv2d", {"in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 1}],
        ["BatchNorm2d", {"num_features": 2}],
        ["ReLU", {}],
        ["MaxPool2d", {"kernel_size": 2}],
        ["Flatten", {}],
        ["Linear", {"in_features": 8, "out_features": 3}]]}, _x([2, 1, 4, 4], 90))
    generate_utils()
    write("nn_modules.json", c, description="torch.nn modules in float64: state dicts (keys and values), outputs, input and "
                                            "parameter gradients, buffers after the forward.")


def generate_options(c):
    """Constructor and forward options a PyTorch script may use: in-place activations and
    dropout, return_indices, adaptive pools with None, ConvTranspose's output_size, ..."""
    x = _x([3, 5], 60, scale=3.0)
    for kind, args in (("ReLU", {}), ("ReLU6", {}), ("SiLU", {}), ("Mish", {}), ("ELU", {"alpha": 0.7}), ("SELU", {}),
                       ("CELU", {"alpha": 1.3}), ("LeakyReLU", {"negative_slope": 0.2}), ("Hardtanh", {"min_val": -2.0, "max_val": 1.5}),
                       ("Hardsigmoid", {}), ("Hardswish", {}), ("Threshold", {"threshold": 0.1, "value": 20.0}),
                       ("Threshold", {"threshold": -0.5, "value": -3.0})):
        note = FORMULA_NOTE if kind in ("Hardsigmoid", "CELU") else None
        suffix = "_" + "_".join(f"{k}" for k in args) if args else ""
        if kind == "Threshold":
            _case(c, f"act_threshold_{args['value']:g}", kind, args, x)
            suffix = f"_{args['value']:g}"
        _case(c, f"act_{kind.lower()}{suffix}_inplace", kind, dict(args, inplace=True), x, note=note)
    _case(c, "dropout_inplace_eval", "Dropout", {"p": 0.4, "inplace": True}, _x([3, 4], 61), train=False)
    _case(c, "dropout2d_inplace_eval", "Dropout2d", {"p": 0.4, "inplace": True}, _x([2, 3, 2, 2], 62), train=False)
    _case(c, "dropout1d_inplace_eval", "Dropout1d", {"p": 0.4, "inplace": True}, _x([2, 3, 4], 87), train=False)
    _case(c, "dropout3d_eval", "Dropout3d", {"p": 0.4}, _x([2, 2, 2, 2, 2], 88), train=False)
    # dim=None: torch's deprecated implicit dim (0 for 0-, 1- and 3-D inputs, else 1), with a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _case(c, "softmax_implicit_dim_3d", "Softmax", {}, _x([2, 3, 4], 89))
        _case(c, "log_softmax_implicit_dim_2d", "LogSoftmax", {}, _x([3, 4], 90))
        _case(c, "softmin_implicit_dim_4d", "Softmin", {"dim": None}, _x([2, 3, 2, 2], 91))
    _case(c, "maxpool1d_return_indices", "MaxPool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "return_indices": True},
          _x([2, 3, 9], 63))
    _case(c, "maxpool2d_return_indices_ceil", "MaxPool2d", {"kernel_size": 2, "return_indices": True, "ceil_mode": True},
          _x([1, 2, 5, 5], 64))
    _case(c, "adaptive_maxpool1d", "AdaptiveMaxPool1d", {"output_size": 4}, _x([2, 3, 9], 65))
    _case(c, "adaptive_maxpool1d_return_indices_unbatched", "AdaptiveMaxPool1d", {"output_size": 3, "return_indices": True},
          _x([3, 7], 66))
    _case(c, "adaptive_maxpool2d_none_return_indices", "AdaptiveMaxPool2d", {"output_size": [None, 3], "return_indices": True},
          _x([1, 2, 4, 7], 67))
    _case(c, "adaptive_avgpool2d_none", "AdaptiveAvgPool2d", {"output_size": [3, None]}, _x([2, 2, 7, 4], 68))
    _case(c, "conv_transpose1d_output_size", "ConvTranspose1d", {"in_channels": 3, "out_channels": 2, "kernel_size": 3, "stride": 3,
                                                                  "padding": 1}, _x([2, 3, 5], 69), kwargs={"output_size": [15]})
    _case(c, "conv_transpose2d_output_size_full_shape", "ConvTranspose2d", {"in_channels": 2, "out_channels": 3, "kernel_size": 3,
                                                                            "stride": 2, "padding": 1, "dilation": 2},
          _x([1, 2, 4, 3], 84), kwargs={"output_size": [1, 3, 10, 7]})
    _case(c, "conv_transpose2d_output_size_unbatched", "ConvTranspose2d", {"in_channels": 2, "out_channels": 2, "kernel_size": [2, 3],
                                                                           "stride": [3, 2]}, _x([2, 3, 4], 85),
          kwargs={"output_size": [9, 10]})
    _case(c, "embedding_scale_grad_by_freq", "Embedding", {"num_embeddings": 6, "embedding_dim": 3, "scale_grad_by_freq": True,
                                                           "padding_idx": 0}, torch.tensor([[0, 2, 2, 5], [2, 3, 3, 0]]))
    for recompute in (True, False):
        _case(c, f"upsample_recompute_scale_factor_{recompute}", "Upsample",
              {"scale_factor": 1.7, "mode": "bilinear", "align_corners": False, "recompute_scale_factor": recompute}, _x([1, 2, 3, 4], 86))


def generate_utils():
    """fixtures/nn_utils.json: clip_grad_norm_ (grads before, max_norm, norm_type, total norm,
    grads after) and clip_grad_value_, on float32 gradients of several shapes."""
    cases = []
    g = torch.Generator().manual_seed(100)
    shapes = ([3, 4], [5], [2, 2, 2])
    for name, max_norm, norm_type in (("l2_clips", 1.0, 2.0), ("l2_no_clip", 100.0, 2.0), ("l1", 2.0, 1.0),
                                      ("inf", 0.5, float("inf")), ("l3", 1.5, 3.0)):
        params = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p in params:
            p.grad = torch.randn(p.shape, generator=g) * 2
        before = [enc_tensor(p.grad) for p in params]
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append({"name": f"clip_grad_norm_{name}", "op": "clip_grad_norm", "grads": before, "max_norm": max_norm,
                      "norm_type": "inf" if norm_type == float("inf") else norm_type,
                      "expected": {"total_norm": enc_tensor(total), "grads": [enc_tensor(p.grad) for p in params]}})
    params = [torch.zeros(s, requires_grad=True) for s in shapes]
    for p in params:
        p.grad = torch.randn(p.shape, generator=g) * 2
    before = [enc_tensor(p.grad) for p in params]
    torch.nn.utils.clip_grad_value_(params, 0.7)
    cases.append({"name": "clip_grad_value", "op": "clip_grad_value", "grads": before, "clip_value": 0.7,
                  "expected": {"grads": [enc_tensor(p.grad) for p in params]}})
    write("nn_utils.json", cases, description="torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on float32 gradients.")
