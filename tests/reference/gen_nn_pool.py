"""Fixtures for the pooling family of issue 3: max_pool1d/2d/3d (indices, NaN), avg_pool1d/2d
(ceil_mode, count_include_pad, divisor_override), adaptive_avg_pool1d/2d, adaptive_max_pool2d,
interpolate (nearest, nearest-exact, linear, bilinear; size or scale_factor,
recompute_scale_factor, align_corners) and grid_sample 2-d (bilinear/nearest,
zeros/border/reflection, align_corners), forward and backward. Writes fixtures/nn_pool.json
(run through generate.py).

Every case has "op", "input" (and "grid" for grid_sample), the op's arguments, then "expected"
(and "expected_indices" for max pooling) or "error". Cases with "grad_output" also carry
PyTorch's autograd gradients: "expected_grad" (d input) and, for grid_sample, "expected_grad_grid".

Tolerances: maxima, their indices, nearest-neighbour copies and their gradients (sums of
grad_output values added in the same order) are exact. Averages and interpolations are sums
of products whose evaluation order and fused multiply-adds may differ between libraries; they
carry "count" (the number of terms), "eps" (the unit roundoff of the compute dtype) and
"abs_bound" / "grad_abs_bound" (the same op applied to |x| and |grad_output| in float64), and the
tests accept |actual - expected| <= count * eps * abs_bound plus one ulp of the result dtype.
"""
import functools

import torch
import torch.nn.functional as F

from generate import TORCH_ERRORS, enc_input, enc_tensor, randint, randn, seeded, write

# F.interpolate also raises ValueError for bad arguments.
ERRORS = TORCH_ERRORS + (ValueError, NotImplementedError)
EPS = {"float64": 2.0 ** -52, "float32": 2.0 ** -23, "float16": 2.0 ** -23, "bfloat16": 2.0 ** -23}
NAN, INF = float("nan"), float("inf")


def tup(v, n):
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def dtname(t):
    return str(t.dtype).replace("torch.", "")


class Cases:
    def __init__(self):
        self.cases = []

    def run(self, name, op, x, fn, args, permute=None, grad=True, bound=None, count=None, extra_inputs=None,
            indices=False, grid_bound=None, bf16_in_float32=False, grad_extra=None):
        """fn(x, *extra) -> result or (result, indices). bound(fn) -> the float64 |x| version."""
        jx, tx = enc_input(x, permute)
        c = {"name": name, "op": op, "input": jx}
        extras = []
        for key, t in (extra_inputs or {}).items():
            c[key] = enc_tensor(t)
            extras.append(t)
        c.update(args)
        src = tx
        half = tx.dtype == torch.float16 or (bf16_in_float32 and tx.dtype == torch.bfloat16)
        if tx.dtype == torch.float16:
            c["reference_note"] = "torch 1.13 has no CPU kernel for float16 here: the float32 result rounded to float16"
        elif half:
            c["reference_note"] = ("torch 1.13 computes the interpolation weights of bfloat16 inputs in bfloat16; "
                                   "the library computes in float32: the float32 result rounded to bfloat16")
        if half:
            src = tx.float()
            extras = [e.float() for e in extras]
        try:
            r = fn(src, *extras)
        except ERRORS as e:
            c["error"] = str(e).splitlines()[0]
            self.cases.append(c)
            return
        out, idx = (r if indices else (r, None))
        if half:
            out = out.to(tx.dtype)
        c["expected"] = enc_tensor(out)
        if idx is not None:
            c["expected_indices"] = enc_tensor(idx)
        if count is not None and out.is_floating_point():
            c["count"] = count
            c["eps"] = EPS[dtname(tx)]
            c["abs_bound"] = enc_tensor(bound(lambda a, *e: fn(a, *e)[0] if indices else fn(a, *e), tx, extras))
        if grad and tx.dtype in (torch.float32, torch.float64) and out.numel() > 0:
            xs = [tx.detach().clone().requires_grad_(True)] + [e.detach().clone().requires_grad_(True) for e in extras]
            o = fn(*xs)
            o = o[0] if indices else o
            g = randn(list(o.shape), dtname(tx))
            o.backward(g)
            c["grad_output"] = enc_tensor(g)
            c["expected_grad"] = enc_tensor(xs[0].grad)
            if len(xs) > 1:
                c["expected_grad_grid"] = enc_tensor(xs[1].grad)
            if count is not None:
                # Only the input is made non-negative: a grid's sign decides where it samples.
                ad = [xs[0].detach().double().abs().requires_grad_(True)] + [e.detach().double() for e in xs[1:]]
                ob = fn(*ad)
                ob = ob[0] if indices else ob
                ob.backward(g.double().abs())
                gb = ad[0].grad if grad_extra is None else ad[0].grad + grad_extra(tx, g.double().abs())
                c["grad_abs_bound"] = enc_tensor(gb)
                if grid_bound is not None:
                    c["grad_grid_count"], b = grid_bound(tx.detach().double(), g.double())
                    c["grad_grid_abs_bound"] = enc_tensor(b)
        self.cases.append(c)


def abs_bound(fn, x, extras):
    return fn(x.detach().double().abs(), *[e.detach().double() for e in extras])


def gen_max_pool(cs):
    def mp(name, x, n, k, stride=None, padding=0, dilation=1, ceil_mode=False, permute=None):
        f = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
        args = {"nspatial": n, "kernel_size": tup(k, n), "stride": None if stride is None else tup(stride, n),
                "padding": tup(padding, n), "dilation": tup(dilation, n), "ceil_mode": ceil_mode}
        cs.run(name, "max_pool", x,
               lambda t: f(t, k, stride, padding, dilation, ceil_mode=ceil_mode, return_indices=True),
               args, permute=permute, indices=True)

    mp("max2d_k2", randn([2, 3, 6, 6]), 2, 2)
    mp("max2d_k3_s2_p1", randn([2, 2, 7, 8]), 2, 3, 2, 1)
    mp("max2d_rect_kernel", randn([1, 2, 5, 9]), 2, (2, 3), (1, 2), (1, 0))
    mp("max2d_dilation", randn([1, 2, 9, 9]), 2, 3, 1, 1, 2)
    mp("max2d_ceil_mode", randn([1, 2, 7, 7]), 2, 3, 2, 0, 1, True)
    mp("max2d_ceil_mode_pad_edge", randn([1, 1, 6, 6]), 2, 3, 2, 1, 1, True)
    mp("max2d_unbatched", randn([3, 5, 5]), 2, 2, 1)
    mp("max2d_noncontiguous", randn([2, 5, 4, 3]), 2, 2, 1, permute=[0, 3, 2, 1])
    mp("max2d_float64", randn([2, 2, 5, 5], "float64"), 2, 3, 2, 1)
    mp("max2d_bfloat16", randn([1, 2, 4, 4], "bfloat16"), 2, 2)
    mp("max2d_float16", randn([1, 2, 4, 4], "float16"), 2, 2)
    mp("max2d_empty_batch", randn([0, 2, 4, 4]), 2, 2)
    x = randn([1, 2, 4, 4])
    x[0, 0, 0, 1] = NAN
    x[0, 0, 3, 3] = NAN
    x[0, 0, 2, 2] = INF
    x[0, 1, 1, 1] = -INF
    x[0, 1, 0, 0] = NAN
    x[0, 1, 0, 1] = NAN
    mp("max2d_nan_inf", x, 2, 2)
    mp("max2d_all_neg_inf", torch.full([1, 1, 2, 2], -INF), 2, 2)
    mp("max1d_k3", randn([2, 3, 10]), 1, 3)
    mp("max1d_s1_p1_dil2_ceil", randn([2, 2, 9]), 1, 3, 2, 1, 2, True)
    mp("max1d_unbatched", randn([4, 7]), 1, 2)
    mp("max3d_k2", randn([1, 2, 4, 4, 4]), 3, 2)
    mp("max3d_k3_s2_p1_ceil_unbatched", randn([2, 5, 6, 7]), 3, 3, 2, 1, 1, True)
    mp("max2d_error_int64", randint([1, 1, 4, 4], "int64"), 2, 2)
    mp("max2d_error_pad_gt_half", randn([1, 1, 6, 6]), 2, 2, 1, 2)
    mp("max2d_error_kernel_too_big", randn([1, 1, 3, 3]), 2, 4)
    mp("max2d_error_zero_stride", randn([1, 1, 4, 4]), 2, 2, 0)
    mp("max2d_error_zero_kernel", randn([1, 1, 4, 4]), 2, 0)
    mp("max2d_error_rank", randn([4, 4]), 2, 2)
    mp("max2d_error_zero_channels", randn([1, 0, 4, 4]), 2, 2)


def avg_case(cs, name, x, n, k, stride=None, padding=0, ceil_mode=False, include_pad=True, divisor=None, permute=None):
    if n == 1:
        fn = lambda t: F.avg_pool1d(t, k, stride, padding, ceil_mode, include_pad)
    else:
        f = F.avg_pool2d if n == 2 else F.avg_pool3d
        fn = lambda t: f(t, k, stride, padding, ceil_mode, include_pad, divisor)
    kk = tup(k, n)
    count = 1
    for v in kk:
        count *= v
    args = {"nspatial": n, "kernel_size": kk, "stride": None if stride is None else tup(stride, n),
            "padding": tup(padding, n), "ceil_mode": ceil_mode, "count_include_pad": include_pad,
            "divisor_override": divisor or 0}
    cs.run(name, "avg_pool", x, fn, args, permute=permute, bound=abs_bound, count=count)


def adaptive_avg_case(cs, name, x, n, size, permute=None):
    f = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[n]
    ins = list(x.shape[-n:])
    count = 1
    for i, o in zip(ins, tup(size, n)):
        count *= -(-i // max(o, 1)) + 1
    cs.run(name, "adaptive_avg_pool", x, lambda t: f(t, size), {"nspatial": n, "output_size": tup(size, n)},
           permute=permute, bound=abs_bound, count=count)


def adaptive_max_case(cs, name, x, n, size, permute=None):
    f = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}[n]
    cs.run(name, "adaptive_max_pool", x, lambda t: f(t, size, return_indices=True),
           {"nspatial": n, "output_size": tup(size, n)}, permute=permute, indices=True)


def gen_avg_pool(cs):
    ap = functools.partial(avg_case, cs)
    ap("avg2d_k2", randn([2, 3, 6, 6]), 2, 2)
    ap("avg2d_k3_s2_p1", randn([2, 2, 7, 8]), 2, 3, 2, 1)
    ap("avg2d_exclude_pad", randn([2, 2, 7, 8]), 2, 3, 2, 1, include_pad=False)
    ap("avg2d_ceil_mode", randn([1, 2, 7, 7]), 2, 3, 2, 1, True)
    ap("avg2d_ceil_mode_exclude_pad", randn([1, 2, 7, 7]), 2, 3, 2, 1, True, False)
    ap("avg2d_divisor_override", randn([1, 2, 6, 6]), 2, 3, 2, 1, divisor=5)
    ap("avg2d_rect", randn([1, 2, 5, 9]), 2, (2, 3), (1, 2), (1, 1))
    ap("avg2d_unbatched", randn([3, 5, 5]), 2, 2, 1)
    ap("avg2d_noncontiguous", randn([2, 5, 4, 3]), 2, 2, 1, permute=[0, 3, 2, 1])
    ap("avg2d_float64", randn([2, 2, 5, 5], "float64"), 2, 3, 2, 1)
    ap("avg2d_bfloat16", randn([1, 2, 4, 4], "bfloat16"), 2, 2)
    ap("avg2d_float16", randn([1, 2, 4, 4], "float16"), 2, 2)
    ap("avg2d_int64", randint([1, 2, 5, 5], "int64"), 2, 2, 1, 1)
    ap("avg2d_empty_batch", randn([0, 2, 4, 4]), 2, 2)
    ap("avg1d_k3", randn([2, 3, 10]), 1, 3)
    ap("avg1d_ceil_pad_exclude", randn([2, 2, 9]), 1, 3, 2, 1, True, False)
    ap("avg1d_unbatched", randn([4, 7]), 1, 2)
    ap("avg3d_k2_s1_p1_exclude", randn([1, 2, 4, 5, 4]), 3, 2, 1, 1, False, False)
    ap("avg3d_ceil_divisor", randn([2, 1, 5, 5, 5]), 3, 3, 2, 1, True, True, 7)
    ap("avg2d_error_pad_gt_half", randn([1, 1, 6, 6]), 2, 2, 1, 2)
    ap("avg2d_error_kernel_too_big", randn([1, 1, 3, 3]), 2, 4)
    ap("avg2d_error_zero_stride", randn([1, 1, 4, 4]), 2, 2, 0)
    ap("avg2d_error_int32", randint([1, 1, 4, 4], "int32"), 2, 2)


def gen_adaptive(cs):
    aa = functools.partial(adaptive_avg_case, cs)
    am = functools.partial(adaptive_max_case, cs)
    aa("aavg2d_5to3", randn([2, 3, 5, 5]), 2, 3)
    aa("aavg2d_7x6to3x4", randn([1, 2, 7, 6]), 2, (3, 4))
    aa("aavg2d_upsample", randn([1, 2, 3, 2]), 2, (5, 4))
    aa("aavg2d_global", randn([2, 4, 5, 6]), 2, 1)
    aa("aavg2d_unbatched", randn([2, 6, 6]), 2, 4)
    aa("aavg2d_noncontiguous", randn([2, 7, 5, 3]), 2, 2, permute=[0, 3, 2, 1])
    aa("aavg2d_float64", randn([1, 2, 9, 7], "float64"), 2, (4, 3))
    aa("aavg2d_bfloat16", randn([1, 2, 5, 5], "bfloat16"), 2, 2)
    aa("aavg2d_output_zero", randn([1, 2, 5, 5]), 2, (0, 2))
    aa("aavg1d_10to4", randn([2, 3, 10]), 1, 4)
    aa("aavg1d_unbatched", randn([3, 7]), 1, 3)
    aa("aavg3d_5x4x6to2x3x4", randn([1, 2, 5, 4, 6]), 3, (2, 3, 4))
    aa("aavg2d_error_int64", randint([1, 1, 4, 4], "int64"), 2, 2)
    aa("aavg2d_error_rank", randn([4, 4]), 2, 2)
    am("amax2d_5to3", randn([2, 3, 5, 5]), 2, 3)
    am("amax2d_7x6to3x4", randn([1, 2, 7, 6]), 2, (3, 4))
    am("amax2d_unbatched", randn([2, 6, 6]), 2, 4)
    am("amax2d_noncontiguous", randn([2, 7, 5, 3]), 2, 2, permute=[0, 3, 2, 1])
    x = randn([1, 1, 4, 4])
    x[0, 0, 1, 1] = NAN
    am("amax2d_nan", x, 2, 2)
    am("amax2d_float64", randn([1, 2, 9, 7], "float64"), 2, (4, 3))
    am("amax1d_10to4", randn([2, 3, 10]), 1, 4)
    am("amax3d_5x4x6to2x3x4", randn([1, 2, 5, 4, 6]), 3, (2, 3, 4))
    am("amax2d_error_int64", randint([1, 1, 4, 4], "int64"), 2, 2)


def gen_interpolate(cs):
    def ip(name, x, size=None, scale=None, mode="nearest", align=None, recompute=None, permute=None):
        n = x.dim() - 2
        taps = 2 ** n if mode in ("linear", "bilinear", "trilinear") else 1
        args = {"nspatial": n, "size": None if size is None else tup(size, n),
                "scale_factor": None if scale is None else tup(scale, n), "mode": mode,
                "align_corners": bool(align), "recompute_scale_factor": bool(recompute)}
        fn = lambda t: F.interpolate(t, size, scale, mode, align, recompute)
        cs.run(name, "interpolate", x, fn, args, permute=permute, bound=linear_bound if taps > 1 else None,
               count=taps if taps > 1 else None, bf16_in_float32=taps > 1,
               grad_extra=linear_grad_extra if taps > 1 else None)

    # torch 1.13 rounds the source coordinate src = scale * (o + 0.5) - 0.5 in its own sequence
    # of float operations, so a weight lambda = src - floor(src) may differ from ours by a few
    # ulps of src, i.e. by up to 2 eps * in_size per dim. The output moves by d lambda *
    # (x[i1] - x[i0]), at most 2 eps in_size * 2 max|x| per dim; with count = taps (2^n >= 2)
    # the bound below covers it: abs_bound = interp(|x|) + 2 sum_d in_d * max|x| of the plane.
    def spatial(t):
        return tuple(range(2, t.dim()))

    def linear_bound(f, t, extras):
        ta = t.detach().double().abs()
        b = f(ta)
        return b + 2 * sum(t.shape[2:]) * ta.amax(dim=spatial(ta), keepdim=True).expand_as(b) if ta.numel() else b

    # The gradient: each input receives w * g from the outputs whose taps hit it, at most
    # prod_d (ceil(O_d / I_d) + 2) of them, each weight off by up to 2 eps in_d per dim (count >= 2
    # supplies the factor 2).
    def linear_grad_extra(t, ga):
        hits = 1
        for i, o in zip(t.shape[2:], ga.shape[2:]):
            hits *= -(-o // i) + 2
        return (sum(t.shape[2:]) * hits * ga.amax(dim=spatial(ga), keepdim=True)).expand(t.shape)

    ip("nearest2d_size", randn([2, 2, 3, 4]), size=(5, 7))
    ip("nearest2d_scale2", randn([1, 2, 3, 3]), scale=2.0)
    ip("nearest2d_scale_1_7", randn([1, 2, 4, 5]), scale=1.7)
    ip("nearest2d_scale_1_7_recompute", randn([1, 2, 4, 5]), scale=1.7, recompute=True)
    ip("nearest2d_downsample", randn([1, 2, 7, 9]), size=(3, 4))
    ip("nearest2d_noncontiguous", randn([2, 5, 4, 3]), size=(6, 6), permute=[0, 3, 2, 1])
    ip("nearest2d_uint8", randint([1, 2, 3, 3], "uint8", 0, 255), scale=2.0)
    ip("nearest2d_bfloat16", randn([1, 1, 3, 3], "bfloat16"), size=(4, 5))
    ip("nearest_exact2d", randn([1, 2, 4, 5]), size=(7, 3), mode="nearest-exact")
    ip("nearest_exact2d_scale", randn([1, 2, 4, 5]), scale=1.5, mode="nearest-exact")
    ip("nearest1d_size", randn([2, 3, 5]), size=8)
    ip("nearest1d_scale", randn([2, 3, 5]), scale=2.5)
    ip("linear1d", randn([2, 3, 5]), size=8, mode="linear")
    ip("linear1d_align", randn([2, 3, 5]), size=8, mode="linear", align=True)
    ip("linear1d_scale", randn([2, 3, 5]), scale=1.5, mode="linear")
    ip("bilinear_size", randn([2, 2, 4, 5]), size=(7, 3), mode="bilinear")
    ip("bilinear_align", randn([2, 2, 4, 5]), size=(7, 3), mode="bilinear", align=True)
    ip("bilinear_scale", randn([1, 2, 4, 5]), scale=1.7, mode="bilinear")
    ip("bilinear_scale_recompute", randn([1, 2, 4, 5]), scale=1.7, mode="bilinear", recompute=True)
    ip("bilinear_scale_tuple", randn([1, 2, 4, 5]), scale=(2.0, 0.6), mode="bilinear")
    ip("bilinear_same_size_scale", randn([1, 1, 5, 5]), scale=1.1, mode="bilinear")
    ip("bilinear_align_to_one", randn([1, 1, 4, 4]), size=(1, 3), mode="bilinear", align=True)
    ip("bilinear_downsample", randn([1, 2, 9, 8]), size=(4, 3), mode="bilinear")
    ip("bilinear_float64", randn([1, 2, 4, 4], "float64"), size=(6, 7), mode="bilinear")
    ip("bilinear_bfloat16", randn([1, 1, 3, 3], "bfloat16"), size=(5, 4), mode="bilinear")
    ip("bilinear_noncontiguous", randn([2, 5, 4, 3]), size=(6, 6), mode="bilinear", permute=[0, 3, 2, 1])
    ip("bilinear_empty_batch", randn([0, 2, 3, 3]), size=(5, 5), mode="bilinear")
    ip("nearest2d_error_align_corners", randn([1, 1, 3, 3]), size=(5, 5), align=True)
    ip("bilinear_error_zero_size", randn([1, 1, 3, 3]), scale=0.2, mode="bilinear")
    ip("bilinear_error_int64", randint([1, 1, 3, 3], "int64"), size=(5, 5), mode="bilinear")


def gen_grid_sample(cs):
    def gs(name, x, grid, mode="bilinear", padding="zeros", align=False, permute=None):
        args = {"mode": mode, "padding_mode": padding, "align_corners": align}
        fn = lambda t, g: F.grid_sample(t, g, mode, padding, align)
        lin = mode == "bilinear"
        cs.run("grid_" + name, "grid_sample", x, fn, args, permute=permute, bound=grid_bound_fwd if lin else None,
               count=4 if lin else None, extra_inputs={"grid": grid}, grid_bound=grid_grad_bound if lin else None,
               grad_extra=grid_input_grad_extra if lin else None)

    # As for interpolate, torch 1.13 rounds the source coordinates in its own sequence (a
    # vectorised kernel, fused multiply-adds), so each corner weight may differ by a few ulps of
    # the coordinate: up to 2 eps (H + W) in all. The output moves by at most that times 2 max|x|
    # of the plane; each input's gradient by that times the sum of |grad_output| over the plane
    # (count 4 supplies the factors 2).
    def grid_bound_fwd(f, t, extras):
        ta = t.detach().double().abs()
        b = f(ta, *[e.detach().double() for e in extras])
        return b + (t.shape[2] + t.shape[3]) * ta.amax(dim=(2, 3), keepdim=True).expand_as(b)

    def grid_input_grad_extra(t, ga):
        return ((t.shape[2] + t.shape[3]) * ga.sum(dim=(2, 3), keepdim=True)).expand(t.shape)

    def grid_grad_bound(x, g):
        """d grid[n, h, w, 0] = mult_x * sum over channels and the 4 corners of x * (+-corner
        distance <= 1) * grad_output: bounded by mult * 4 * sum_c max|x[n, c]| |g[n, c, h, w]|, with
        mult <= size / 2 (the unnormalisation's derivative; clipping and reflection give 0 or +-1).
        Its terms number 4 C, each a product of three rounded factors."""
        per = (g.abs() * x.abs().amax(dim=(2, 3), keepdim=True)).sum(1) * 4
        b = torch.stack([per * x.shape[3] / 2, per * x.shape[2] / 2], dim=-1)
        return 4 * 3 * x.shape[1], b

    def grid(shape, spread=1.2, dtype="float32"):
        return (torch.rand(tuple(shape), dtype=torch.float64) * 2 - 1).mul(spread).to(getattr(torch, dtype))

    for pad in ("zeros", "border", "reflection"):
        for align in (False, True):
            tag = f"{pad}_{'align' if align else 'noalign'}"
            gs(f"bilinear_{tag}", randn([2, 3, 4, 5]), grid([2, 3, 4, 2]), "bilinear", pad, align)
            gs(f"nearest_{tag}", randn([2, 2, 4, 5]), grid([2, 3, 3, 2]), "nearest", pad, align)
    gs("bilinear_reflection_far", randn([1, 2, 3, 4]), grid([1, 4, 4, 2], 3.5), "bilinear", "reflection", False)
    gs("bilinear_float64", randn([1, 2, 4, 4], "float64"), grid([1, 3, 3, 2], dtype="float64"))
    gs("bilinear_noncontiguous", randn([2, 5, 4, 3]), grid([2, 2, 3, 2]), permute=[0, 3, 2, 1])
    gs("error_grid_shape", randn([1, 2, 4, 4]), grid([1, 3, 3, 3]))
    gs("error_batch_mismatch", randn([2, 2, 4, 4]), grid([1, 3, 3, 2]))


def gen_tiling(cs):
    """Windows that tile the planes (kernel == stride without padding, adaptive output sizes that
    divide the input, global pooling): the kernels run them as regular windows side by side and
    write the average's gradient instead of accumulating it. Generated last, so the inputs of
    the cases above stay as they were."""
    ap = functools.partial(avg_case, cs)
    aa = functools.partial(adaptive_avg_case, cs)
    am = functools.partial(adaptive_max_case, cs)
    ap("avg2d_k2_tiles_divisor", randn([2, 2, 4, 6]), 2, 2, divisor=3)
    ap("avg3d_k2_tiles", randn([1, 2, 4, 4, 6]), 3, 2)
    ap("avg1d_k4_tiles", randn([2, 3, 12]), 1, 4)
    aa("aavg2d_8x6to4x3", randn([2, 3, 8, 6]), 2, (4, 3))
    aa("aavg2d_8x5to4x3", randn([1, 2, 8, 5]), 2, (4, 3))
    aa("aavg2d_6x9to4x3", randn([1, 2, 6, 9]), 2, (4, 3))
    aa("aavg2d_14to7_noncontiguous", randn([2, 14, 14, 3]), 2, 7, permute=[0, 3, 1, 2])
    aa("aavg2d_global_7x7_float64", randn([2, 3, 7, 7], "float64"), 2, 1)
    aa("aavg2d_global_bfloat16", randn([2, 3, 4, 4], "bfloat16"), 2, 1)
    aa("aavg1d_12to4", randn([2, 3, 12]), 1, 4)
    aa("aavg1d_global", randn([3, 5, 9]), 1, 1)
    aa("aavg3d_4x6x8to2x3x2", randn([1, 2, 4, 6, 8]), 3, (2, 3, 2))
    aa("aavg3d_global", randn([2, 2, 3, 4, 5]), 3, 1)
    x = randn([2, 2, 8, 6])
    x[0, 1, 2, 3] = NAN
    x[1, 0, 5, 0] = -INF
    am("amax2d_8x6to4x3_nan", x, 2, (4, 3))
    am("amax1d_12to3", randn([2, 3, 12]), 1, 3)
    am("amax3d_4x6x8to2x3x2", randn([1, 2, 4, 6, 8]), 3, (2, 3, 2))


def generate():
    seeded(53)
    cs = Cases()
    gen_max_pool(cs)
    gen_avg_pool(cs)
    gen_adaptive(cs)
    gen_interpolate(cs)
    gen_grid_sample(cs)
    gen_tiling(cs)
    write("nn_pool.json", cs.cases, description=__doc__.splitlines()[0])
