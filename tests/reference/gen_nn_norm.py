"""Fixtures for the normalisation family: softmax, log_softmax, layer_norm, rms_norm, batch_norm,
group_norm and embedding, forward values and autograd gradients (fixtures/nn_norm.json; run
through generate.py). Dropout draws from the library's own Philox stream, so its tests check
properties (determinism, kept fraction, scaling, edges) instead of PyTorch's numbers.

A case: "op", "inputs" (an object: "input", optional "weight", "bias", "running_mean",
"running_var", "indices"; the input may carry "permute"), "grad_output" (the fixed upstream
gradient, for the cases that check the backward kernel), "args" (the op's other arguments), then
"error" or "expected": an object of tensors named after the ABI's outputs (out, mean, rstd,
running_mean, running_var, grad_input, grad_weight, grad_bias, weight_after). Each rounded
floating result has a float64 "abs_bound" and an int "count" under the same name: the tests
accept |actual - expected| <= count * eps(accumulation dtype) * abs_bound (1 ulp more for 16-bit
outputs, which both libraries round once from float32).

The bounds come from running the op's formula on magnitudes in float64 (see bounds_* below):
  softmax:      y * (1 + |x - max|)         the exponent's rounding is relative to |x - max|
  log_softmax:  |x - max| + |log sum| + 1
  backward:     the same formula on |terms|, times the forward's amplification factor
  normalisers:  (|x - mean| + mean|x|) * rstd * |w| + |b|: the mean's rounding error scales with
                mean|x|, the rest is relative; K = 1 + mean|x| * rstd amplifies the gradients
count is the longest sum involved plus a few operations.

16-bit inputs: Debian's torch 1.13 lacks some CPU kernels for float16 and rounds some bfloat16
intermediates; those cases are computed in float32 from the same values and rounded once
("reference_note"), which is how the library computes them.
"""
import torch
import torch.nn.functional as F

from generate import TORCH_ERRORS as _TORCH_ERRORS, enc_float, enc_input, enc_tensor, randint, randn, seeded, write

NAN, INF = float("nan"), float("inf")
# F.batch_norm raises ValueError for one value per channel in training.
TORCH_ERRORS = _TORCH_ERRORS + (ValueError,)
LOW = (torch.float16, torch.bfloat16)


def _softmax_bounds(x, dim, log, go):
    x = x.double()
    m = x.amax(dim, keepdim=True) if x.numel() else x
    dx = (x - m).abs()
    amp = 1 + dx.amax(dim, keepdim=True) if x.numel() else dx
    if log:
        y = torch.log_softmax(x, dim)
        fwd = dx + torch.logsumexp(x - m, dim, keepdim=True).abs() + 1
    else:
        y = torch.softmax(x, dim)
        fwd = y * (1 + dx)
    if go is None:
        return fwd, None
    go = go.double().abs()
    p = y.exp() if log else y
    if log:
        bwd = (go + p * go.sum(dim, keepdim=True)) * amp
    else:
        bwd = y * (go + 2 * (go * y).sum(dim, keepdim=True)) * amp
    return fwd, bwd


def _norm_bounds(x, red, w, b, go, rms, param_shape_dims, eps):
    """x, w, b, go in float64 broadcast to x's shape; red: dims the statistics run over;
    param_shape_dims: dims summed for the parameter gradients (all but the parameter's dims)."""
    ax = x.abs()
    if rms:
        mu = torch.zeros_like(x)
        r = torch.rsqrt(x.pow(2).mean(red, keepdim=True) + eps)
        k = torch.ones_like(r)
        spread = ax
    else:
        mu = x.mean(red, keepdim=True)
        r = torch.rsqrt(x.var(red, unbiased=False, keepdim=True) + eps)
        k = 1 + ax.mean(red, keepdim=True) * r
        spread = (x - mu).abs() + ax.mean(red, keepdim=True)
    out = spread * r * w.abs() + b.abs()
    bounds = {"out": out}
    if go is None:
        return bounds
    xhat = ((x - mu) * r).abs()
    dyw = (go * w).abs()
    gi = dyw + xhat * (dyw * xhat).mean(red, keepdim=True)
    if not rms:
        gi = gi + dyw.mean(red, keepdim=True)
    bounds["grad_input"] = k * r * gi
    bounds["grad_weight"] = (k * go.abs() * (xhat + 1)).sum(param_shape_dims)
    bounds["grad_bias"] = go.abs().sum(param_shape_dims)
    return bounds


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, op, name, inputs, args, run, grad=False, permute=None, bounds=None, count=None, low_in_float=False,
            grad_fn=None):
        """inputs: name -> tensor or None; run(ts, args) -> dict of results. With grad, a fixed
        grad_output is drawn and the gradients come from autograd, or from grad_fn(res, go, args)
        where autograd would differentiate something other than what the library's backward
        kernel is given (16-bit outputs)."""
        case = {"name": f"{op}_{name}", "op": op, "inputs": {}, "args": args}
        ts = {}
        for k, v in inputs.items():
            if v is None:
                continue
            j, t = enc_input(v, permute if k == "input" else None)
            case["inputs"][k] = j
            ts[k] = t
        go = None
        try:
            calc = dict(ts)
            if low_in_float:
                calc = {k: (v.float() if v.dtype in LOW else v) for k, v in ts.items()}
                case["reference_note"] = "computed in float32 from the same values and rounded once to the input dtype"
            if grad:
                calc = {k: (v.detach().clone().requires_grad_(v.is_floating_point() and k in ("input", "weight", "bias")))
                        for k, v in calc.items()}
            res = run(calc, args)
            if grad:
                go_dtype = ts["input"].dtype if low_in_float else res["out"].dtype
                go = randn(list(res["out"].shape), "float64").to(go_dtype)
                case["grad_output"] = enc_tensor(go)
            if grad and grad_fn is not None:
                res.update(grad_fn(res, go, args))
            elif grad:
                res["out"].backward(go.to(res["out"].dtype))
                res["grad_input"] = calc["input"].grad
                for k in ("weight", "bias"):
                    if k in calc and calc[k].grad is not None:
                        res["grad_" + k] = calc[k].grad
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            self.cases.append(case)
            return
        target = ts["input"].dtype if "input" in ts else ts["weight"].dtype
        case["expected"] = {}
        for k, v in res.items():
            v = v.detach()
            if low_in_float and v.dtype == torch.float32 and k not in ("mean", "rstd"):
                v = v.to(target)
            case["expected"][k] = enc_tensor(v)
        if bounds is not None:
            bd = bounds(ts, args, go)
            case["abs_bound"] = {k: enc_tensor(v.detach().double()) for k, v in bd.items() if k in res}
            case["count"] = {k: int(count) for k in case["abs_bound"]}
        self.cases.append(case)


def gen_softmax(c):
    def run(log):
        def f(ts, a):
            fn = torch.log_softmax if log else torch.softmax
            kw = {"dtype": getattr(torch, a["dtype"])} if a.get("dtype") else {}
            return {"out": fn(ts["input"], a["dim"], **kw)}
        return f

    def bounds(log):
        def f(ts, a, go):
            x = ts["input"]
            if a.get("dtype"):
                x = x.to(getattr(torch, a["dtype"]))
            fwd, bwd = _softmax_bounds(x, a["dim"], log, go)
            r = {"out": fwd}
            if bwd is not None:
                r["grad_input"] = bwd
            return r
        return f

    def rounded_backward(log):
        # The backward kernel gets the 16-bit output: PyTorch's backward formula on that output,
        # in float32, rounded once.
        def f(res, go, a):
            y = res["out"].detach().to(go.dtype).float()
            fn = torch._log_softmax_backward_data if log else torch._softmax_backward_data
            return {"grad_input": fn(go.float(), y, a["dim"], torch.float32)}
        return f

    for log in (False, True):
        op = "log_softmax" if log else "softmax"
        def add(name, x, dim, dtype=None, grad=True, permute=None, low=False, grad_fn=None):
            n = x.shape[dim] if 0 < x.dim() and -x.dim() <= dim < x.dim() else 1
            c.add(op, name, {"input": x}, {"dim": dim, "dtype": dtype}, run(log), grad=grad, permute=permute,
                  bounds=bounds(log), count=n + 8, low_in_float=low, grad_fn=grad_fn)
        add("last", randn([4, 7]), 1)
        add("neg_dim", randn([3, 5]), -1)
        add("dim0", randn([6, 5]), 0)
        add("middle", randn([2, 9, 3]), 1)
        add("middle_neg", randn([1, 3, 66]), -2)
        add("long_row", randn([1, 150], scale=3.0), 1)
        add("float64", randn([3, 11], "float64"), 1)
        add("float64_cols", randn([5, 3, 4], "float64"), 0)
        add("permuted", randn([5, 4]), 1, permute=[1, 0])
        add("permuted_3d", randn([3, 4, 5]), 0, permute=[2, 0, 1])
        add("scalar", randn([]), 0)
        add("empty_batch", randn([0, 4]), 1)
        add("large", torch.tensor([[1000.0, 999.0, -1000.0], [88.0, 89.0, 90.0], [-1e30, 3.0, 1e30]]), 1)
        add("large_float64", torch.tensor([[1e308, 1e308, -1e308], [700.0, 710.0, 720.0]], dtype=torch.float64), 1)
        add("special", torch.tensor([[NAN, 1.0, 2.0], [INF, 1.0, 2.0], [-INF, -INF, -INF], [-INF, 0.0, 1.0]]), 1, grad=False)
        add("dtype_float64", randn([3, 6]), 1, dtype="float64")
        add("int_with_dtype", randint([3, 4], "int64"), 1, dtype="float32", grad=False)
        add("bfloat16", randn([4, 9], "bfloat16"), 1, low=True, grad_fn=rounded_backward(log))
        add("float16", randn([3, 8], "float16"), 0, low=True, grad=False)
        add("error_int", randint([3, 4], "int64"), 1, grad=False)
        add("error_dim", randn([3, 4]), 2, grad=False)


def _layer_norm_case(c, name, x, ns, w=None, b=None, eps=1e-5, grad=True, permute=None, low=False):
    def run(ts, a):
        out, mean, rstd = torch.native_layer_norm(ts["input"], a["normalized_shape"], ts.get("weight"), ts.get("bias"), a["eps"])
        return {"out": out, "mean": mean, "rstd": rstd}

    def bounds(ts, a, go):
        x = ts["input"].double()
        k = len(a["normalized_shape"])
        red = list(range(x.dim() - k, x.dim()))
        wb = ts["weight"].double().expand_as(x) if "weight" in ts else torch.ones_like(x)
        bb = ts["bias"].double().expand_as(x) if "bias" in ts else torch.zeros_like(x)
        r = _norm_bounds(x, red, wb, bb, None if go is None else go.double(), False, list(range(x.dim() - k)), a["eps"])
        r["mean"] = x.abs().mean(red, keepdim=True)
        s = torch.rsqrt(x.var(red, unbiased=False, keepdim=True) + a["eps"])
        r["rstd"] = s * (1 + r["mean"] * s)
        return r

    n = 1
    for s in ns:
        n *= s
    rows = x.numel() // max(n, 1)
    c.add("layer_norm", name, {"input": x, "weight": w, "bias": b}, {"normalized_shape": ns, "eps": eps}, run, grad=grad,
          permute=permute, bounds=bounds, count=n + rows + 8, low_in_float=low)


def gen_layer_norm(c):
    _layer_norm_case(c, "basic", randn([4, 6]), [6], randn([6]), randn([6]))
    _layer_norm_case(c, "no_affine", randn([3, 5]), [5])
    _layer_norm_case(c, "weight_only", randn([3, 5]), [5], randn([5]))
    _layer_norm_case(c, "two_dims", randn([2, 2, 3, 5]), [3, 5], randn([3, 5]), randn([3, 5]), eps=1e-3)
    _layer_norm_case(c, "long_row", randn([2, 67]), [67], randn([67]), randn([67]))
    _layer_norm_case(c, "many_rows", randn([24, 8]), [8], randn([8]), randn([8]))
    _layer_norm_case(c, "float64", randn([5, 7], "float64"), [7], randn([7], "float64"), randn([7], "float64"))
    _layer_norm_case(c, "offset_float64", randn([2, 24], "float64") + 1e4, [24], randn([24], "float64"), randn([24], "float64"))
    _layer_norm_case(c, "permuted", randn([6, 4]), [4], randn([4]), randn([4]), permute=[1, 0])
    _layer_norm_case(c, "empty_batch", randn([0, 5]), [5], randn([5]), randn([5]))
    _layer_norm_case(c, "bfloat16", randn([3, 16], "bfloat16"), [16], randn([16], "bfloat16"), randn([16], "bfloat16"), grad=False, low=True)
    _layer_norm_case(c, "float16", randn([2, 12], "float16"), [12], randn([12], "float16"), randn([12], "float16"), grad=False, low=True)
    _layer_norm_case(c, "error_shape", randn([3, 5]), [4], grad=False)
    _layer_norm_case(c, "error_weight", randn([3, 5]), [5], randn([4]), grad=False)
    _layer_norm_case(c, "error_bias", randn([3, 5]), [5], randn([5]), randn([6]), grad=False)


def _rms(x, ns, w, eps):
    dims = tuple(range(x.dim() - len(ns), x.dim()))
    rstd = torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    out = x * rstd
    if w is not None:
        out = out * w
    return out, rstd


def _rms_norm_case(c, name, x, ns, w=None, eps=None, grad=True, permute=None, low=False):
    def resolve(a, dtype):
        if a["eps"] is not None:
            return a["eps"]
        return torch.finfo(torch.float64 if dtype == torch.float64 else torch.float32).eps

    def run(ts, a):
        x = ts["input"]
        if list(x.shape[x.dim() - len(a["normalized_shape"]):]) != a["normalized_shape"]:
            raise RuntimeError(f"normalized_shape {a['normalized_shape']} does not match input of shape {list(x.shape)}")
        if "weight" in ts and list(ts["weight"].shape) != a["normalized_shape"]:
            raise RuntimeError(f"weight of shape {list(ts['weight'].shape)} does not match normalized_shape")
        out, rstd = _rms(x, a["normalized_shape"], ts.get("weight"), resolve(a, x.dtype))
        return {"out": out, "rstd": rstd}

    def bounds(ts, a, go):
        x = ts["input"].double()
        k = len(a["normalized_shape"])
        red = list(range(x.dim() - k, x.dim()))
        wb = ts["weight"].double().expand_as(x) if "weight" in ts else torch.ones_like(x)
        r = _norm_bounds(x, red, wb, torch.zeros_like(x), None if go is None else go.double(), True,
                         list(range(x.dim() - k)), resolve(a, ts["input"].dtype))
        r["rstd"] = torch.rsqrt(x.pow(2).mean(red, keepdim=True) + resolve(a, ts["input"].dtype))
        r.pop("grad_bias", None)
        return r

    n = 1
    for s in ns:
        n *= s
    c.add("rms_norm", name, {"input": x, "weight": w}, {"normalized_shape": ns, "eps": eps}, run, grad=grad,
          permute=permute, bounds=bounds, count=n + x.numel() // max(n, 1) + 8, low_in_float=low)


def gen_rms_norm(c):
    _rms_norm_case(c, "basic", randn([4, 6]), [6], randn([6]), 1e-6)
    _rms_norm_case(c, "default_eps", randn([3, 5]), [5], randn([5]))
    _rms_norm_case(c, "no_weight", randn([3, 5]), [5], None, 1e-5)
    _rms_norm_case(c, "two_dims", randn([2, 3, 4]), [3, 4], randn([3, 4]), 1e-5)
    _rms_norm_case(c, "long_row", randn([1, 70]), [70], randn([70]), 1e-5)
    _rms_norm_case(c, "float64", randn([4, 9], "float64"), [9], randn([9], "float64"))
    _rms_norm_case(c, "permuted", randn([5, 3]), [3], randn([3]), 1e-5, permute=[1, 0])
    _rms_norm_case(c, "empty_batch", randn([0, 4]), [4], randn([4]), 1e-5)
    _rms_norm_case(c, "bfloat16", randn([3, 8], "bfloat16"), [8], randn([8], "bfloat16"), 1e-5, grad=False, low=True)
    _rms_norm_case(c, "error_shape", randn([3, 5]), [3], grad=False)
    _rms_norm_case(c, "error_weight", randn([3, 5]), [5], randn([3]), grad=False)


def _channel_bounds(ts, go, red, eps, training):
    x = ts["input"].double()
    shape = [1, x.shape[1]] + [1] * (x.dim() - 2)
    wb = ts["weight"].double().reshape(shape).expand_as(x) if "weight" in ts else torch.ones_like(x)
    bb = ts["bias"].double().reshape(shape).expand_as(x) if "bias" in ts else torch.zeros_like(x)
    pdims = [d for d in range(x.dim()) if d != 1]
    if training:
        return _norm_bounds(x, red, wb, bb, None if go is None else go.double(), False, pdims, eps)
    # Evaluation: running statistics are inputs, so only the affine map rounds.
    m = ts["running_mean"].double().reshape(shape)
    r = torch.rsqrt(ts["running_var"].double().reshape(shape) + eps)
    b = {"out": ((x.abs() + m.abs()) * r * wb.abs() + bb.abs())}
    if go is not None:
        g = go.double().abs()
        xhat = ((x - m) * r).abs()
        b["grad_input"] = g * wb.abs() * r
        b["grad_weight"] = (g * (xhat + 1)).sum(pdims)
        b["grad_bias"] = g.sum(pdims)
    return b


def _batch_norm_case(c, name, x, w=None, b=None, rm=None, rv=None, training=True, momentum=0.1, eps=1e-5, grad=True,
                     permute=None, low=False):
    def run(ts, a):
        rm_ = ts["running_mean"].detach().clone() if "running_mean" in ts else None
        rv_ = ts["running_var"].detach().clone() if "running_var" in ts else None
        out = F.batch_norm(ts["input"], rm_, rv_, ts.get("weight"), ts.get("bias"), a["training"], a["momentum"], a["eps"])
        res = {"out": out}
        xd = ts["input"].detach()
        if a["training"]:
            dims = [d for d in range(xd.dim()) if d != 1]
            res["mean"] = xd.mean(dims)
            res["rstd"] = torch.rsqrt(xd.var(dims, unbiased=False) + a["eps"])
        else:
            res["mean"] = rm_
            res["rstd"] = torch.rsqrt(rv_ + a["eps"])
        if rm_ is not None:
            res["running_mean"] = rm_
            res["running_var"] = rv_
        return res

    def bounds(ts, a, go):
        x = ts["input"].double()
        red = [d for d in range(x.dim()) if d != 1]
        r = _channel_bounds(ts, go, red, a["eps"], a["training"])
        if a["training"]:
            r["mean"] = x.abs().mean(red)
            s = torch.rsqrt(x.var(red, unbiased=False) + a["eps"])
            r["rstd"] = s * (1 + r["mean"] * s)
            if "running_mean" in ts:
                mom = a["momentum"]
                r["running_mean"] = ts["running_mean"].double().abs() + mom * r["mean"]
                r["running_var"] = ts["running_var"].double().abs() + mom * x.pow(2).sum(red) / max(x.numel() // x.shape[1] - 1, 1)
        else:
            r["mean"] = ts["running_mean"].double().abs()
            r["rstd"] = torch.rsqrt(ts["running_var"].double() + a["eps"])
        return r

    per_channel = x.numel() // max(x.shape[1], 1) if x.dim() >= 2 else 1
    c.add("batch_norm", name, {"input": x, "weight": w, "bias": b, "running_mean": rm, "running_var": rv},
          {"training": training, "momentum": momentum, "eps": eps}, run, grad=grad, permute=permute, bounds=bounds,
          count=per_channel + 8, low_in_float=low)


def gen_batch_norm(c):
    C = 3
    stats = lambda: (randn([C]), randn([C]).abs() + 0.5)
    rm, rv = stats()
    _batch_norm_case(c, "train_2d", randn([8, C]), randn([C]), randn([C]), rm, rv)
    rm, rv = stats()
    _batch_norm_case(c, "train_4d", randn([2, C, 2, 5]), randn([C]), randn([C]), rm, rv, momentum=0.3)
    _batch_norm_case(c, "train_3d_no_running", randn([2, C, 7]), randn([C]), randn([C]))
    _batch_norm_case(c, "train_no_affine", randn([5, C, 2]), None, None)
    rm, rv = stats()
    _batch_norm_case(c, "train_5d", randn([2, C, 2, 3, 2]), randn([C]), randn([C]), rm, rv)
    rm, rv = stats()
    _batch_norm_case(c, "train_permuted", randn([C, 6, 4]), randn([C]), randn([C]), rm, rv, permute=[1, 0, 2])
    rm, rv = stats()
    _batch_norm_case(c, "train_float64", randn([6, C, 4], "float64"), randn([C], "float64"), randn([C], "float64"),
                     rm.double(), rv.double())
    rm, rv = stats()
    _batch_norm_case(c, "eval_4d", randn([3, C, 2, 2]), randn([C]), randn([C]), rm, rv, training=False)
    rm, rv = stats()
    _batch_norm_case(c, "eval_2d_float64", randn([4, C], "float64"), randn([C], "float64"), randn([C], "float64"),
                     rm.double(), rv.double(), training=False)
    rm, rv = stats()
    _batch_norm_case(c, "eval_empty_batch", randn([0, C, 2]), randn([C]), randn([C]), rm, rv, training=False)
    rm, rv = stats()
    _batch_norm_case(c, "train_bfloat16", randn([4, C, 3], "bfloat16"), None, None, grad=False, low=True)
    _batch_norm_case(c, "error_one_value", randn([1, C]), grad=False)
    _batch_norm_case(c, "error_weight", randn([4, C]), randn([C + 1]), grad=False)
    _batch_norm_case(c, "error_eval_no_running", randn([4, C]), training=False, grad=False)


def _group_norm_case(c, name, x, groups, w=None, b=None, eps=1e-5, grad=True, permute=None, low=False):
    def run(ts, a):
        xi = ts["input"]
        out = F.group_norm(xi, a["num_groups"], ts.get("weight"), ts.get("bias"), a["eps"])
        n, ch = xi.shape[0], xi.shape[1]
        hw = xi.numel() // max(n * ch, 1)
        _, mean, rstd = torch.native_group_norm(xi.detach().contiguous(), None, None, n, ch, hw, a["num_groups"], a["eps"])
        return {"out": out, "mean": mean, "rstd": rstd}

    def bounds(ts, a, go):
        x = ts["input"].double()
        n, ch, g = x.shape[0], x.shape[1], a["num_groups"]
        per = ch // g * (x[0, 0].numel() if n else 1)
        xg = x.reshape(n, g, per)
        # Statistics per (sample, group): bounds on the grouped view, mapped back to x's shape.
        shape = [1, ch] + [1] * (x.dim() - 2)
        wb = (ts["weight"].double().reshape(shape).expand_as(x) if "weight" in ts else torch.ones_like(x)).reshape(n, g, per)
        bb = (ts["bias"].double().reshape(shape).expand_as(x) if "bias" in ts else torch.zeros_like(x)).reshape(n, g, per)
        gg = None if go is None else go.double().reshape(n, g, per)
        r = _norm_bounds(xg, [2], wb, bb, gg, False, [0], a["eps"])
        out = {"out": r["out"].reshape(x.shape)}
        if go is not None:
            out["grad_input"] = r["grad_input"].reshape(x.shape)
            k = 1 + xg.abs().mean(2, keepdim=True) * torch.rsqrt(xg.var(2, unbiased=False, keepdim=True) + a["eps"])
            mu = xg.mean(2, keepdim=True)
            xhat = ((xg - mu) * torch.rsqrt(xg.var(2, unbiased=False, keepdim=True) + a["eps"])).abs()
            pd = [d for d in range(x.dim()) if d != 1]
            out["grad_weight"] = (k * gg.abs() * (xhat + 1)).reshape(x.shape).sum(pd)
            out["grad_bias"] = go.double().abs().sum(pd)
        m = xg.abs().mean(2)
        s = torch.rsqrt(xg.var(2, unbiased=False) + a["eps"])
        out["mean"] = m
        out["rstd"] = s * (1 + m * s)
        return out

    per_group = x.numel() // max(x.shape[0] * groups, 1) if x.dim() >= 2 else 1
    c.add("group_norm", name, {"input": x, "weight": w, "bias": b}, {"num_groups": groups, "eps": eps}, run, grad=grad,
          permute=permute, bounds=bounds, count=per_group + x.numel() + 8, low_in_float=low)


def gen_group_norm(c):
    _group_norm_case(c, "basic", randn([2, 6, 5]), 3, randn([6]), randn([6]))
    _group_norm_case(c, "one_group", randn([3, 4, 2, 2]), 1, randn([4]), randn([4]))
    _group_norm_case(c, "per_channel", randn([2, 4, 3]), 4, randn([4]), randn([4]))
    _group_norm_case(c, "no_affine", randn([2, 6, 2, 3]), 2)
    _group_norm_case(c, "2d_input", randn([5, 6]), 3, randn([6]), randn([6]))
    _group_norm_case(c, "float64", randn([2, 8, 3], "float64"), 4, randn([8], "float64"), randn([8], "float64"), eps=1e-3)
    _group_norm_case(c, "permuted", randn([4, 2, 6]), 2, randn([4]), randn([4]), permute=[1, 0, 2])
    _group_norm_case(c, "empty_batch", randn([0, 4, 3]), 2, randn([4]), randn([4]), grad=False)
    _group_norm_case(c, "bfloat16", randn([2, 4, 8], "bfloat16"), 2, randn([4], "bfloat16"), randn([4], "bfloat16"), grad=False, low=True)
    _group_norm_case(c, "error_groups", randn([2, 6, 5]), 4, grad=False)
    _group_norm_case(c, "error_weight", randn([2, 6, 5]), 3, randn([5]), grad=False)


def _embedding_case(c, name, w, idx, padding_idx=None, max_norm=None, norm_type=2.0, scale=False, grad=True):
    def run(ts, a):
        weight = ts["weight"]
        if a["max_norm"] is not None:
            weight = weight.detach().clone()
        out = F.embedding(ts["indices"], weight, a["padding_idx"], a["max_norm"], norm_type, a["scale_grad_by_freq"])
        res = {"out": out}
        if a["max_norm"] is not None:
            res["weight_after"] = weight
        return res

    def run_grad(ts, a):
        # The backward kernel's reference: autograd of the plain lookup (max_norm off).
        return {"out": F.embedding(ts["indices"], ts["input"], a["padding_idx"], None, 2.0, a["scale_grad_by_freq"])}

    def bounds(ts, a, go):
        wt = ts["weight"].double() if "weight" in ts else ts["input"].double()
        r = {}
        if a["max_norm"] is not None:
            r["out"] = F.embedding(ts["indices"], wt.abs())
            r["weight_after"] = wt.abs()
        if go is not None:
            g = torch.zeros_like(wt)
            g.index_add_(0, ts["indices"].reshape(-1).long(), go.double().abs().reshape(-1, wt.shape[1]))
            r["grad_input"] = g
        return r

    args = {"padding_idx": padding_idx, "max_norm": max_norm, "norm_type": enc_float(norm_type), "scale_grad_by_freq": scale}
    if not grad:
        c.add("embedding", name, {"weight": w, "indices": idx}, args, run, bounds=bounds if max_norm else None,
              count=w.shape[-1] + 8 if w.dim() == 2 else 1)
        return
    # Gradient cases name the weight "input" so the shared machinery differentiates it.
    def run_g(ts, a):
        return run_grad(ts, a)
    c.add("embedding_backward", name, {"input": w, "indices": idx}, args, run_g, grad=True, bounds=bounds,
          count=idx.numel() + 4)


def gen_embedding(c):
    w = randn([10, 4])
    _embedding_case(c, "basic", w, torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]), grad=False)
    _embedding_case(c, "int32", w, torch.tensor([0, 9, 3], dtype=torch.int32), grad=False)
    _embedding_case(c, "scalar_index", w, torch.tensor(7), grad=False)
    _embedding_case(c, "empty", w, torch.zeros((0, 3), dtype=torch.int64), grad=False)
    _embedding_case(c, "float64", randn([5, 3], "float64"), torch.tensor([[4, 0], [2, 2]]), grad=False)
    _embedding_case(c, "max_norm", randn([6, 3], scale=2.0), torch.tensor([0, 2, 2, 5]), max_norm=1.5, grad=False)
    _embedding_case(c, "max_norm_p1", randn([6, 3], scale=2.0), torch.tensor([1, 3]), max_norm=2.0, norm_type=1.0, grad=False)
    _embedding_case(c, "error_index", w, torch.tensor([1, 10]), grad=False)
    _embedding_case(c, "error_negative_index", w, torch.tensor([-1, 2]), grad=False)
    _embedding_case(c, "error_float_indices", w, torch.tensor([1.0, 2.0]), grad=False)
    _embedding_case(c, "duplicates", randn([6, 3]), torch.tensor([[1, 2, 1], [1, 5, 0]]))
    _embedding_case(c, "padding", randn([6, 3]), torch.tensor([[1, 2, 1], [0, 5, 2]]), padding_idx=2)
    _embedding_case(c, "padding_negative", randn([6, 3]), torch.tensor([1, 5, 5, 0]), padding_idx=-1)
    _embedding_case(c, "scale_by_freq", randn([5, 2]), torch.tensor([3, 3, 1, 3, 0, 1]), scale=True)
    _embedding_case(c, "float64_int32", randn([4, 5], "float64"), torch.tensor([[0, 3], [3, 3]], dtype=torch.int32))
    # vector_norm's ord 0 (non-zeros counted) and -inf (the smallest |x|) as the renorm's norm.
    _embedding_case(c, "max_norm_p0", torch.tensor([[0.0, 1.5, 0.0], [2.0, -1.0, 3.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0]]),
                    torch.tensor([0, 1, 2, 3, 1]), max_norm=1.5, norm_type=0.0, grad=False)
    _embedding_case(c, "max_norm_pinf_neg", randn([6, 3], scale=2.0), torch.tensor([0, 4, 5]), max_norm=0.3,
                    norm_type=float("-inf"), grad=False)


def generate():
    seeded(53)
    c = Cases()
    gen_softmax(c)
    gen_layer_norm(c)
    gen_rms_norm(c)
    gen_batch_norm(c)
    gen_group_norm(c)
    gen_embedding(c)
    write("nn_norm.json", c.cases,
          description="softmax, log_softmax, layer_norm, rms_norm, batch_norm, group_norm, embedding: forward and autograd "
                      "gradients; see tests/reference/gen_nn_norm.py")
