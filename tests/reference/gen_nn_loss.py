"""Fixtures for the loss functions (tests/reference/fixtures/nn_loss.json): cross_entropy,
nll_loss, mse_loss, l1_loss, smooth_l1_loss, huber_loss, binary_cross_entropy(_with_logits) and
kl_div, forward and backward. Run through generate.py.

A case: "op", "inputs" ({"input", "target", optional "weight"/"pos_weight"}, tensors, some with
"permute"), "options" (reduction as "none"/"mean"/"sum"/"batchmean", ignore_index,
label_smoothing, beta, delta, log_target), then either "error" or "expected" with
"grad_output" (a fixed random upstream gradient shaped like the result), "grad_input" and, where
PyTorch differentiates the target, "grad_target" (torch.autograd.grad of sum(result *
grad_output)).

Tolerances: every float output carries "abs_bound" and "grad_*_bound" (float64 tensors shaped
like the value) and "count": a value is evaluated with at most `count` rounding steps, each
off by at most eps times the magnitude given by the bound (the same terms computed on absolute
values in float64), so two correct implementations agree within count * eps * bound.

float16/bfloat16 cases: Debian's torch 1.13 has no CPU float16 log_softmax, so the reference is
the op computed in float32 on the same values and rounded once ("reference_note"); the library
computes these dtypes in float32 too.
"""
import math

import torch
import torch.nn.functional as F

from generate import enc_input, enc_tensor, randint, randn, seeded, write, TORCH_ERRORS

CLASS_OPS = ("cross_entropy", "nll_loss")


def _call(op, t, o):
    red = o.get("reduction", "mean")
    if op == "cross_entropy":
        return F.cross_entropy(t["input"], t["target"], weight=t.get("weight"), ignore_index=o.get("ignore_index", -100),
                               reduction=red, label_smoothing=o.get("label_smoothing", 0.0))
    if op == "nll_loss":
        return F.nll_loss(t["input"], t["target"], weight=t.get("weight"), ignore_index=o.get("ignore_index", -100),
                          reduction=red)
    if op == "mse_loss":
        return F.mse_loss(t["input"], t["target"], reduction=red)
    if op == "l1_loss":
        return F.l1_loss(t["input"], t["target"], reduction=red)
    if op == "smooth_l1_loss":
        return F.smooth_l1_loss(t["input"], t["target"], reduction=red, beta=o.get("beta", 1.0))
    if op == "huber_loss":
        return F.huber_loss(t["input"], t["target"], reduction=red, delta=o.get("delta", 1.0))
    if op == "binary_cross_entropy":
        return F.binary_cross_entropy(t["input"], t["target"], weight=t.get("weight"), reduction=red)
    if op == "binary_cross_entropy_with_logits":
        return F.binary_cross_entropy_with_logits(t["input"], t["target"], weight=t.get("weight"), reduction=red,
                                                  pos_weight=t.get("pos_weight"))
    if op == "kl_div":
        return F.kl_div(t["input"], t["target"], reduction=red, log_target=o.get("log_target", False))
    raise ValueError(op)


def _reduce(v, red, rows_weight=None, batch=None):
    """Reduces a float64 bound like the op reduces its losses."""
    if red == "none":
        return v
    if red == "sum":
        return v.sum()
    if red == "batchmean":
        return v.sum() / batch
    if rows_weight is not None:
        return v.sum() / rows_weight
    return v.mean()


def _class_bounds(op, t, o):
    """|terms| of the class losses in float64: loss bound per row and grad_input bound."""
    x = t["input"].detach().double()
    cdim = 0 if x.dim() == 1 else 1
    C = x.shape[cdim]
    w = t["weight"].double() if "weight" in t else torch.ones(C, dtype=torch.float64)
    shape = [1] * x.dim()
    shape[cdim] = C
    wv = w.view(shape).abs()
    lse = torch.logsumexp(x, cdim, keepdim=True) if op == "cross_entropy" else torch.zeros_like(x.sum(cdim, keepdim=True))
    # |log-prob| error scale per element; none where the value itself is not finite (those are
    # compared exactly: NaN with NaN).
    mag = torch.nan_to_num(x.abs() + lse.abs(), nan=0.0, posinf=0.0)
    p = torch.nan_to_num(torch.softmax(x, cdim), nan=0.0) if op == "cross_entropy" else torch.zeros_like(x)
    eps_s = o.get("label_smoothing", 0.0)
    tgt = t["target"]
    if tgt.is_floating_point():
        tt = tgt.detach().double().abs() * (1 - eps_s) + eps_s / C
        row = (wv * tt * mag).sum(cdim)
        gin = p * (1 + mag) * (wv * tt).sum(cdim, keepdim=True) + wv * tt
        gtg = wv * mag
        return row, gin, gtg, None
    ignore = tgt == o.get("ignore_index", -100)
    safe = tgt.clone()
    safe[ignore] = 0
    onehot = F.one_hot(safe, C).double()
    if cdim == 1:
        onehot = onehot.movedim(-1, 1)
    keep = (~ignore).double().unsqueeze(cdim)
    hard = onehot * wv * (1 - eps_s) + eps_s / C * wv
    row = (keep * hard * mag).sum(cdim)
    gin = keep * (p * (1 + mag) * hard.sum(cdim, keepdim=True) + hard)
    wsum = (w[safe] * (~ignore).double()).sum()
    return row, gin, None, wsum


def _pointwise_bounds(op, t, o):
    """|terms| of the elementwise losses and their gradients in float64."""
    x = t["input"].detach().double()
    y = t["target"].detach().double()
    ax, ay = x.abs(), y.abs()
    w = t["weight"].double().abs() if "weight" in t else torch.ones(())
    pw = t["pos_weight"].double().abs() if "pos_weight" in t else torch.ones(())
    if op == "mse_loss":
        return (ax + ay) ** 2, 2 * (ax + ay), 2 * (ax + ay)
    if op == "l1_loss":
        return ax + ay, torch.ones_like(ax + ay), torch.ones_like(ax + ay)
    if op in ("smooth_l1_loss", "huber_loss"):
        p = o.get("beta", o.get("delta", 1.0))
        s = ax + ay
        b = s * s / max(p, 1e-30) + s + p * p if op == "smooth_l1_loss" else s * s + p * (s + p)
        g = s / max(p, 1e-30) + 1 if op == "smooth_l1_loss" else s + p
        return b, g, g
    if op == "binary_cross_entropy":
        lx = torch.clamp(torch.log(x), min=-100).abs()
        l1x = torch.clamp(torch.log1p(-x), min=-100).abs()
        b = w * (ay * lx + (1 - y).abs() * l1x + 1)
        g = w * (ax + ay + 1) / torch.clamp((1 - x) * x, min=1e-12)
        return b, g, w * (lx + l1x + 1)
    if op == "binary_cross_entropy_with_logits":
        sp = F.softplus(-x) + 1
        b = w * ((1 + ay) * ax + (1 + pw * ay + ay) * sp)
        g = w * (pw * ay + 1 + ay + pw * ay)
        return b, g, w * (ax + (pw + 1) * sp)
    if op == "kl_div":
        if o.get("log_target", False):
            e = torch.exp(y)
            return e * (ax + ay + 1), e, e * (ax + ay + 2)
        ly = torch.where(y > 0, torch.log(y.clamp(min=1e-300)), torch.zeros_like(y)).abs()
        return ay * (ly + ax + 1), ay, ly + ax + 2
    raise ValueError(op)


def _half_reference(op, ts, o):
    """16-bit inputs: computed in float32 on the same values (see the module docstring)."""
    return {k: (v.float() if v.is_floating_point() else v) for k, v in ts.items()}


def generate():
    seeded(53)
    cases = []

    def add(op, name, inputs, options=None, permutes=None, grad_target=None):
        options = options or {}
        permutes = permutes or {}
        case = {"name": f"{op}_{name}", "op": op, "inputs": {}, "options": options}
        ts = {}
        for k, v in inputs.items():
            j, tv = enc_input(v, permutes.get(k))
            case["inputs"][k] = j
            ts[k] = tv
        dtype = ts["input"].dtype
        half = dtype in (torch.float16, torch.bfloat16)
        work = _half_reference(op, ts, options) if half else dict(ts)
        if half:
            case["reference_note"] = "computed in float32 on the same values and rounded once"
        diff_target = grad_target if grad_target is not None else (
            op not in CLASS_OPS and work["target"].is_floating_point())
        if op == "cross_entropy" and work["target"].is_floating_point():
            diff_target = True
        try:
            _call(op, work, options)  # errors of the op itself, before autograd's own checks
            work["input"] = work["input"].detach().requires_grad_(True)
            if diff_target:
                work["target"] = work["target"].detach().requires_grad_(True)
            r = _call(op, work, options)
        except TORCH_ERRORS + (ValueError,) as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        # The upstream gradient as the library will see it: in the operand dtype.
        g = randn(list(r.shape), "float64").to(dtype).to(r.dtype)
        wrt = [work["input"]] + ([work["target"]] if diff_target else [])
        grads = torch.autograd.grad((r * g).sum(), wrt)
        out_dtype = dtype
        case["expected"] = enc_tensor(r.detach().to(out_dtype))
        case["grad_output"] = enc_tensor(g.to(out_dtype))
        case["grad_input"] = enc_tensor(grads[0].to(out_dtype))
        if diff_target:
            case["grad_target"] = enc_tensor(grads[1].to(ts["target"].dtype))
        red = options.get("reduction", "mean")
        g64 = g.double().abs()
        if op in CLASS_OPS:
            row, gin, gtg, wsum = _class_bounds(op, {k: v.detach() for k, v in work.items()}, options)
            cdim = 0 if work["input"].dim() == 1 else 1
            C = work["input"].shape[cdim]
            rows = row.numel()
            case["abs_bound"] = enc_tensor(_reduce(row, red, wsum))
            gr = g64 if red == "none" else g64 / (wsum if (red == "mean" and wsum is not None) else
                                                   (rows if red == "mean" else 1))
            gr = gr.unsqueeze(cdim) if red == "none" else gr
            case["grad_input_bound"] = enc_tensor(gr * gin)
            if gtg is not None:
                case["grad_target_bound"] = enc_tensor(gr * gtg)
            case["count"] = C + rows + 16
        else:
            b, gi, gt = _pointwise_bounds(op, {k: v.detach() for k, v in work.items()}, options)
            shape = torch.broadcast_shapes(work["input"].shape, work["target"].shape)
            b = b.expand(shape)
            n = math.prod(shape)
            batch = work["input"].shape[0] if work["input"].dim() > 0 else 1
            case["abs_bound"] = enc_tensor(_reduce(b, red, batch=batch))
            scale = {"none": 1.0, "sum": 1.0, "mean": 1.0 / max(n, 1), "batchmean": 1.0 / max(batch, 1)}[red]
            gfull = (g64 * scale).expand(shape)

            def summed(v, like):
                v = v.expand(shape)
                while v.dim() > like.dim():
                    v = v.sum(0)
                for d in range(like.dim()):
                    if like.shape[d] == 1 and v.shape[d] != 1:
                        v = v.sum(d, keepdim=True)
                return v

            case["grad_input_bound"] = enc_tensor(summed(gfull * gi, work["input"]))
            if diff_target:
                case["grad_target_bound"] = enc_tensor(summed(gfull * gt, work["target"]))
            case["count"] = n + 16
        cases.append(case)

    def labels(shape, C, ignore=None, frac=0.0):
        t = torch.randint(0, C, tuple(shape))
        if ignore is not None and frac > 0:
            t[torch.rand(tuple(shape)) < frac] = ignore
        return t

    def probs(shape, dim=1, dtype="float32"):
        return torch.softmax(randn(shape, "float64"), dim).to(getattr(torch, dtype))

    # ---- cross_entropy -------------------------------------------------------------------
    ce = "cross_entropy"
    for red in ("mean", "sum", "none"):
        add(ce, f"basic_{red}", {"input": randn([4, 5]), "target": labels([4], 5)}, {"reduction": red})
    add(ce, "weight_mean", {"input": randn([6, 4]), "target": labels([6], 4), "weight": torch.rand(4) + 0.1})
    add(ce, "ignore_hits", {"input": randn([8, 3]), "target": torch.tensor([0, -100, 2, 1, -100, 2, 0, 1])},
        {"reduction": "mean"})
    add(ce, "ignore_custom_weight", {"input": randn([6, 4]), "target": torch.tensor([3, 1, 3, 0, 2, 3]),
                                     "weight": torch.rand(4) + 0.1}, {"ignore_index": 3, "reduction": "mean"})
    add(ce, "all_ignored_mean", {"input": randn([3, 4]), "target": torch.full((3,), -100)}, {"reduction": "mean"})
    add(ce, "all_ignored_sum", {"input": randn([3, 4]), "target": torch.full((3,), -100)}, {"reduction": "sum"})
    add(ce, "smoothing", {"input": randn([5, 6]), "target": labels([5], 6)}, {"label_smoothing": 0.1})
    add(ce, "smoothing_weight_ignore", {"input": randn([7, 5]), "target": labels([7], 5, -100, 0.3),
                                        "weight": torch.rand(5) + 0.2}, {"label_smoothing": 0.25})
    add(ce, "smoothing_weight_none", {"input": randn([4, 5]), "target": labels([4], 5, -100, 0.3),
                                      "weight": torch.rand(5) + 0.2}, {"label_smoothing": 0.3, "reduction": "none"})
    add(ce, "kdim", {"input": randn([2, 4, 3, 2]), "target": labels([2, 3, 2], 4)})
    add(ce, "kdim_none_weight", {"input": randn([2, 3, 5]), "target": labels([2, 5], 3, -100, 0.2),
                                 "weight": torch.rand(3) + 0.5}, {"reduction": "none"})
    add(ce, "class_only", {"input": randn([7]), "target": torch.tensor(3)})
    add(ce, "probs", {"input": randn([4, 5]), "target": probs([4, 5])})
    add(ce, "probs_weight_smoothing_sum", {"input": randn([3, 4]), "target": probs([3, 4]), "weight": torch.rand(4) + 0.1},
        {"label_smoothing": 0.2, "reduction": "sum"})
    add(ce, "probs_kdim_none", {"input": randn([2, 3, 4]), "target": probs([2, 3, 4])}, {"reduction": "none"})
    add(ce, "noncontiguous", {"input": randn([5, 4]), "target": labels([4], 5)}, permutes={"input": [1, 0]})
    add(ce, "float64", {"input": randn([6, 7], "float64", 3.0), "target": labels([6], 7), "weight": torch.rand(7, dtype=torch.float64)},
        {"label_smoothing": 0.05})
    add(ce, "large_logits", {"input": randn([3, 40], scale=30.0), "target": labels([3], 40)}, {"reduction": "none"})
    add(ce, "nan_inf_logits", {"input": torch.tensor([[1.0, float("nan"), 0.5], [float("inf"), 1.0, 2.0], [float("inf"), 1.0, 2.0],
                                                   [float("-inf"), 0.0, 1.0]]), "target": torch.tensor([0, 0, 1, 2])},
        {"reduction": "none"})
    add(ce, "wide_rows", {"input": randn([2, 67]), "target": labels([2], 67)})
    add(ce, "float16", {"input": randn([4, 6], "float16"), "target": labels([4], 6)}, {"reduction": "none"})
    add(ce, "bfloat16", {"input": randn([4, 6], "bfloat16"), "target": labels([4], 6)})
    add(ce, "empty_batch_mean", {"input": randn([0, 3]), "target": labels([0], 3)})
    add(ce, "error_target_range", {"input": randn([2, 3]), "target": torch.tensor([0, 5])})
    add(ce, "error_negative_target", {"input": randn([2, 3]), "target": torch.tensor([0, -2])})
    add(ce, "error_target_dtype", {"input": randn([2, 3]), "target": torch.tensor([0, 1], dtype=torch.int32)})
    add(ce, "error_target_shape", {"input": randn([2, 3]), "target": labels([3], 3)})
    add(ce, "error_weight_size", {"input": randn([2, 3]), "target": labels([2], 3), "weight": torch.rand(4)})
    add(ce, "error_int_input", {"input": randint([2, 3], "int64"), "target": labels([2], 3)})
    add(ce, "error_probs_ignore", {"input": randn([2, 3]), "target": probs([2, 3])}, {"ignore_index": 1})

    # ---- nll_loss --------------------------------------------------------------------------
    nl = "nll_loss"
    lsm = lambda shape, dim=1, dtype="float32": torch.log_softmax(randn(shape, "float64"), dim).to(getattr(torch, dtype))
    for red in ("mean", "sum", "none"):
        add(nl, f"basic_{red}", {"input": lsm([5, 4]), "target": labels([5], 4)}, {"reduction": red})
    add(nl, "weight_ignore", {"input": lsm([6, 3]), "target": torch.tensor([0, 2, -100, 1, 2, -100]),
                              "weight": torch.rand(3) + 0.1})
    add(nl, "all_ignored_mean", {"input": lsm([2, 3]), "target": torch.tensor([1, 1])}, {"ignore_index": 1})
    add(nl, "kdim", {"input": lsm([2, 3, 4]), "target": labels([2, 4], 3)}, {"reduction": "none"})
    add(nl, "class_only", {"input": lsm([5], 0), "target": torch.tensor(2)})
    add(nl, "float64", {"input": lsm([4, 3], dtype="float64"), "target": labels([4], 3), "weight": torch.rand(3, dtype=torch.float64)})
    add(nl, "noncontiguous", {"input": lsm([3, 5]), "target": labels([5], 3)}, permutes={"input": [1, 0]})
    add(nl, "bfloat16", {"input": lsm([3, 4], dtype="bfloat16"), "target": labels([3], 4)})
    add(nl, "error_target_range", {"input": lsm([2, 3]), "target": torch.tensor([3, 0])})
    add(nl, "error_target_dtype", {"input": lsm([2, 3]), "target": torch.tensor([0.0, 1.0])})

    # ---- elementwise losses ----------------------------------------------------------------
    for op in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
        for red in ("mean", "sum", "none"):
            add(op, f"basic_{red}", {"input": randn([3, 4]), "target": randn([3, 4])}, {"reduction": red})
        add(op, "broadcast_target", {"input": randn([3, 4]), "target": randn([4])}, {"reduction": "mean"})
        add(op, "broadcast_input", {"input": randn([2, 1]), "target": randn([2, 3])}, {"reduction": "none"})
        add(op, "float64", {"input": randn([5], "float64"), "target": randn([5], "float64")}, {"reduction": "sum"})
        add(op, "noncontiguous", {"input": randn([4, 3]), "target": randn([3, 4])}, {"reduction": "mean"},
            permutes={"input": [1, 0]})
        add(op, "bfloat16", {"input": randn([6], "bfloat16"), "target": randn([6], "bfloat16")}, {"reduction": "none"})
        add(op, "empty_mean", {"input": randn([0, 2]), "target": randn([0, 2])}, {"reduction": "mean"})
        add(op, "error_shape", {"input": randn([3, 4]), "target": randn([5])})
        add(op, "error_int", {"input": randint([3], "int64"), "target": randint([3], "int64")})
    add("smooth_l1_loss", "beta_half", {"input": randn([8]), "target": randn([8])}, {"beta": 0.5, "reduction": "none"})
    add("smooth_l1_loss", "beta_zero", {"input": randn([8]), "target": randn([8])}, {"beta": 0.0, "reduction": "mean"})
    add("smooth_l1_loss", "error_beta", {"input": randn([2]), "target": randn([2])}, {"beta": -1.0})
    add("huber_loss", "delta_two", {"input": randn([8], scale=3.0), "target": randn([8])}, {"delta": 2.0, "reduction": "sum"})
    add("huber_loss", "error_delta", {"input": randn([2]), "target": randn([2])}, {"delta": 0.0})

    bce = "binary_cross_entropy"
    p01 = lambda shape, dtype="float32": torch.sigmoid(randn(shape, "float64") * 2).to(getattr(torch, dtype))
    for red in ("mean", "sum", "none"):
        add(bce, f"basic_{red}", {"input": p01([3, 4]), "target": torch.rand(3, 4)}, {"reduction": red})
    add(bce, "weight", {"input": p01([3, 4]), "target": torch.rand(3, 4), "weight": torch.rand(4)})
    add(bce, "clamped_logs", {"input": torch.tensor([0.0, 1.0, 0.5, 1.0]), "target": torch.tensor([1.0, 0.0, 0.5, 1.0])},
        {"reduction": "none"})
    add(bce, "float64", {"input": p01([5], "float64"), "target": torch.rand(5, dtype=torch.float64)}, {"reduction": "sum"})
    add(bce, "noncontiguous", {"input": p01([4, 3]), "target": torch.rand(3, 4)}, permutes={"input": [1, 0]})
    add(bce, "error_range", {"input": torch.tensor([0.5, 1.5]), "target": torch.rand(2)})
    add(bce, "error_shape", {"input": p01([3]), "target": torch.rand(1)})

    bl = "binary_cross_entropy_with_logits"
    for red in ("mean", "sum", "none"):
        add(bl, f"basic_{red}", {"input": randn([3, 4], scale=3.0), "target": torch.rand(3, 4)}, {"reduction": red})
    add(bl, "weight", {"input": randn([3, 4]), "target": torch.rand(3, 4), "weight": torch.rand(3, 1)})
    add(bl, "pos_weight", {"input": randn([3, 4]), "target": torch.rand(3, 4), "pos_weight": torch.rand(4) * 3},
        {"reduction": "none"})
    add(bl, "weight_pos_weight", {"input": randn([2, 5]), "target": torch.rand(2, 5), "weight": torch.rand(5),
                                  "pos_weight": torch.rand(5) * 2}, {"reduction": "sum"})
    add(bl, "extreme_logits", {"input": torch.tensor([-200.0, -30.0, 0.0, 30.0, 200.0]), "target": torch.tensor([1.0, 0.0, 0.5, 1.0, 0.0])},
        {"reduction": "none"})
    add(bl, "float64", {"input": randn([6], "float64"), "target": torch.rand(6, dtype=torch.float64)})
    add(bl, "bfloat16", {"input": randn([6], "bfloat16"), "target": torch.rand(6).to(torch.bfloat16)}, {"reduction": "none"})
    add(bl, "error_shape", {"input": randn([3]), "target": torch.rand(2)})

    kl = "kl_div"
    for red in ("mean", "sum", "none", "batchmean"):
        add(kl, f"basic_{red}", {"input": lsm([3, 4]), "target": probs([3, 4])}, {"reduction": red})
    add(kl, "log_target", {"input": lsm([3, 4]), "target": lsm([3, 4])}, {"reduction": "batchmean", "log_target": True})
    add(kl, "log_target_none", {"input": lsm([2, 3]), "target": lsm([2, 3])}, {"reduction": "none", "log_target": True})
    add(kl, "broadcast_target", {"input": lsm([3, 4]), "target": probs([4], 0)}, {"reduction": "sum"})
    add(kl, "float64", {"input": lsm([2, 5], dtype="float64"), "target": probs([2, 5], dtype="float64")},
        {"reduction": "batchmean"})
    add(kl, "error_shape", {"input": lsm([3, 4]), "target": probs([3, 5])})

    # cross_entropy: dense rows take a vector max and sum the exps in float32 blocks of 1024
    # (the CPU kernel): rows longer than two blocks, and NaN/inf where the vector body reads them
    # (column 20 of 40), including a -inf in an otherwise finite row. Own generator, and last:
    # add() draws each backward's grad_output from the global one, so earlier cases keep theirs.
    g = torch.Generator().manual_seed(20261205)
    add("cross_entropy", "long_rows", {"input": torch.randn(3, 2500, generator=g) * 3.0,
                                       "target": torch.tensor([7, 1500, 2499])}, {"reduction": "none"})
    wide = torch.randn(4, 40, generator=g)
    wide[0, 20], wide[1, 20], wide[2, 20] = float("nan"), float("inf"), float("-inf")
    add("cross_entropy", "nan_inf_dense_rows", {"input": wide, "target": torch.tensor([3, 20, 5, 39])}, {"reduction": "none"})

    write("nn_loss.json", cases, description="Loss functions, forward and backward, against torch.nn.functional and autograd.")
    _generate_attention()


def _attention(q, k, v, mask, is_causal, scale):
    """softmax(q k^T * scale + mask) v, the composition torch 1.13 offers (no fused op), and the
    log-sum-exp of each score row."""
    s = q @ k.transpose(-2, -1) * (scale if scale is not None else 1.0 / math.sqrt(q.shape[-1]))
    if is_causal:
        keep = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
        s = s.masked_fill(~keep, float("-inf"))
    elif mask is not None:
        s = s.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else s + mask
    return torch.softmax(s, -1) @ v, torch.logsumexp(s, -1)


def _generate_attention():
    """Fixtures of scaled_dot_product_attention (tests/reference/fixtures/nn_attention.json):
    "inputs" q, k, v and optional "mask" (some permuted), "options" (is_causal, scale), then
    "error" or "expected", "logsumexp", "grad_output" and autograd's "grad_q"/"grad_k"/"grad_v".
    Bounds as for the losses: each output element is a sum over S keys (and E features) of
    products, so "count" = S + E + 16 and the bounds are the same products on |values| (scores
    bounded by |q| |k| * scale)."""
    seeded(59)
    cases = []

    def add(name, q, k, v, mask=None, options=None, permutes=None):
        options = options or {}
        permutes = permutes or {}
        case = {"name": f"sdpa_{name}", "op": "scaled_dot_product_attention", "inputs": {}, "options": options}
        ts = {}
        for key, val in (("q", q), ("k", k), ("v", v), ("mask", mask)):
            if val is None:
                continue
            j, tv = enc_input(val, permutes.get(key))
            case["inputs"][key] = j
            ts[key] = tv
        dtype = ts["q"].dtype
        half = dtype in (torch.float16, torch.bfloat16)
        if half:
            case["reference_note"] = "computed in float32 on the same values and rounded once"
        work = {key: (t.float() if half and t.is_floating_point() else t) for key, t in ts.items()}
        try:
            qg, kg, vg = (work[key].detach().requires_grad_(True) for key in ("q", "k", "v"))
            out, lse = _attention(qg, kg, vg, work.get("mask"), options.get("is_causal", False), options.get("scale"))
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        g = randn(list(out.shape), "float64").to(dtype).to(out.dtype)
        gq, gk, gv = torch.autograd.grad((out * g).sum(), [qg, kg, vg])
        case["expected"] = enc_tensor(out.detach().to(dtype))
        case["logsumexp"] = enc_tensor(lse.detach())
        case["grad_output"] = enc_tensor(g.to(dtype))
        for key, t in (("grad_q", gq), ("grad_k", gk), ("grad_v", gv)):
            case[key] = enc_tensor(t.to(dtype))
        # Magnitude bounds: |v| weighted by the probabilities for out; |scores| for lse; for the
        # grads the same backward on |values| with |grad_output|.
        aq, ak, av, ag = (t.detach().double().abs() for t in (work["q"], work["k"], work["v"], g))
        sc = options.get("scale", 1.0 / math.sqrt(q.shape[-1]))
        sabs = aq @ ak.transpose(-2, -1) * abs(sc)
        smax = sabs.amax(-1, keepdim=True) * 2 + 1
        vmax = av.amax(-2, keepdim=True)
        case["abs_bound"] = enc_tensor(smax * vmax.expand(out.shape) + vmax)
        case["logsumexp_bound"] = enc_tensor(smax.squeeze(-1) + 1)
        gnorm = (ag @ av.transpose(-2, -1)).amax(-1, keepdim=True) + (ag * vmax).sum(-1, keepdim=True)
        case["grad_q_bound"] = enc_tensor((1 + smax) * gnorm * abs(sc) * ak.sum(-2, keepdim=True))
        case["grad_k_bound"] = enc_tensor((((1 + smax) * gnorm * abs(sc)).transpose(-2, -1) @ aq).expand(ak.shape))
        case["grad_v_bound"] = enc_tensor(((1 + smax) * ag).sum(-2, keepdim=True).expand(av.shape))
        case["count"] = int(k.shape[-2]) + int(q.shape[-1]) + 16
        cases.append(case)

    add("basic", randn([2, 2, 3, 4]), randn([2, 2, 5, 4]), randn([2, 2, 5, 3]))
    add("no_batch", randn([4, 8]), randn([7, 8]), randn([7, 5]))
    add("bool_mask_broadcast", randn([2, 5, 4]), randn([2, 6, 4]), randn([2, 6, 4]), mask=torch.rand(5, 6) > 0.3)
    add("additive_mask", randn([2, 2, 3, 4]), randn([2, 2, 5, 4]), randn([2, 2, 5, 2]), mask=randn([1, 2, 3, 5]))
    add("causal", randn([2, 6, 4]), randn([2, 6, 4]), randn([2, 6, 4]), options={"is_causal": True})
    add("causal_two_blocks", randn([1, 66, 2]), randn([1, 66, 2]), randn([1, 66, 1]), options={"is_causal": True})
    add("scale", randn([2, 3, 4]), randn([2, 4, 4]), randn([2, 4, 3]), options={"scale": 0.3})
    add("three_key_blocks", randn([1, 2, 2]), randn([1, 130, 2]), randn([1, 130, 1]))
    add("float64", randn([2, 4, 6], "float64"), randn([2, 5, 6], "float64"), randn([2, 5, 3], "float64"),
        mask=randn([4, 5], "float64"))
    add("noncontiguous", randn([4, 2, 3]), randn([2, 5, 3]), randn([2, 5, 3]), permutes={"q": [1, 0, 2]})
    add("bfloat16", randn([2, 3, 4], "bfloat16"), randn([2, 5, 4], "bfloat16"), randn([2, 5, 4], "bfloat16"))
    add("error_head_dim", randn([2, 3, 4]), randn([2, 5, 3]), randn([2, 5, 4]))
    add("error_batch", randn([2, 3, 4]), randn([3, 5, 4]), randn([3, 5, 4]))
    write("nn_attention.json", cases, description="scaled_dot_product_attention as softmax(q k^T scale + mask) v, with autograd grads.")
