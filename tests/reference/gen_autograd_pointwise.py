"""Fixtures for the gradients of the pointwise ops (tests/reference/fixtures/autograd_pointwise.json):
for each op, float64 inputs drawn away from the points where it is not differentiable (ties and
zero bases are drawn on purpose where PyTorch has a stated convention for them), a fixed
grad_output, torch's first-order gradient of every input, and a second-order product: the
gradient of sum_i sum(grad_i * v_i) with respect to the inputs, built with create_graph=True.
Run through generate.py.

A case: "name" (the C# test builds the same expression under that name), "inputs" (tensors with
"requires_grad"; bool masks do not), "grad_output", "v" (one per input, null where it does not
require grad), "grad_fn" (the name of the result's node), "expected" (the result), "grads" and "second" (one per input, null where it does
not require grad). A gradient torch leaves undefined (None) is stored as zeros: it is zero.
"""
import torch
import torch.nn.functional as F

from generate import enc_tensor, seeded, write

F64 = torch.float64
SHAPE = (3, 4)


def rn(*shape, scale=1.0):
    return torch.randn(*(shape or SHAPE), dtype=F64) * scale


def uni(lo, hi, *shape):
    return torch.rand(*(shape or SHAPE), dtype=F64) * (hi - lo) + lo


def pos(*shape):
    return uni(0.5, 2.5, *shape)


def away0(*shape):
    """Magnitudes in [0.5, 2.5] with random signs (for 1/x, copysign and the like)."""
    return pos(*shape) * torch.where(torch.rand(*(shape or SHAPE)) < 0.5, -1.0, 1.0).to(F64)


def mask(*shape):
    return torch.rand(*(shape or SHAPE)) < 0.5


def with_ties(x, y):
    """y equal to x in a few places: maximum/minimum split the gradient there."""
    y = y.clone()
    y[0, :2] = x[0, :2]
    y[2, 3] = x[2, 3]
    return y


# name -> (expression, input builder). The builder returns [(tensor, requires_grad)].
def _cases():
    c = {}

    def unary(name, f, gen):
        c[name] = (f, lambda: [(gen(), True)])

    unary("sign", torch.sign, rn)
    unary("rsqrt", torch.rsqrt, pos)
    unary("square", torch.square, rn)
    unary("exp2", torch.exp2, rn)
    unary("expm1", torch.expm1, rn)
    unary("log2", torch.log2, pos)
    unary("log10", torch.log10, pos)
    unary("log1p", torch.log1p, lambda: uni(-0.5, 2.0))
    unary("tan", torch.tan, lambda: uni(-1.2, 1.2))
    unary("asin", torch.asin, lambda: uni(-0.9, 0.9))
    unary("acos", torch.acos, lambda: uni(-0.9, 0.9))
    unary("atan", torch.atan, lambda: rn(scale=2))
    unary("sinh", torch.sinh, rn)
    unary("cosh", torch.cosh, rn)
    unary("asinh", torch.asinh, lambda: rn(scale=2))
    unary("acosh", torch.acosh, lambda: uni(1.2, 4.0))
    unary("atanh", torch.atanh, lambda: uni(-0.9, 0.9))
    unary("logit", torch.logit, lambda: uni(0.05, 0.95))
    unary("logit_eps", lambda x: torch.logit(x, eps=0.2), lambda: uni(0.02, 0.98))
    unary("erf", torch.erf, rn)
    unary("erfc", torch.erfc, rn)
    unary("erfinv", torch.erfinv, lambda: uni(-0.9, 0.9))
    unary("lgamma", torch.lgamma, pos)
    unary("floor", torch.floor, lambda: rn(scale=3))
    unary("ceil", torch.ceil, lambda: rn(scale=3))
    unary("trunc", torch.trunc, lambda: rn(scale=3))
    unary("round", torch.round, lambda: rn(scale=3))
    unary("round_decimals", lambda x: torch.round(x, decimals=2), lambda: rn(scale=3))
    unary("frac", torch.frac, lambda: rn(scale=3))
    unary("reciprocal", torch.reciprocal, away0)
    unary("relu6", F.relu6, lambda: uni(-3, 9))
    unary("hardtanh", F.hardtanh, lambda: rn(scale=2))
    unary("hardtanh_bounds", lambda x: F.hardtanh(x, -0.5, 2.0), lambda: rn(scale=2))
    unary("gelu", F.gelu, lambda: rn(scale=2))
    unary("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), lambda: rn(scale=2))
    unary("silu", F.silu, lambda: rn(scale=3))
    unary("mish", F.mish, lambda: rn(scale=3))
    unary("softplus", F.softplus, lambda: rn(scale=3))
    unary("softplus_beta", lambda x: F.softplus(x, beta=2.0, threshold=3.0), lambda: rn(scale=3))
    unary("elu", lambda x: F.elu(x, alpha=1.3), lambda: rn(scale=2))
    unary("selu", F.selu, lambda: rn(scale=2))
    unary("celu", lambda x: F.celu(x, alpha=0.7), lambda: rn(scale=2))
    unary("leaky_relu", lambda x: F.leaky_relu(x, 0.2), lambda: rn(scale=2))
    unary("hardsigmoid", F.hardsigmoid, lambda: uni(-5, 5))
    unary("hardswish", F.hardswish, lambda: uni(-5, 5))
    unary("logsigmoid", F.logsigmoid, lambda: rn(scale=3))
    unary("sigmoid_chain", lambda x: torch.sigmoid(x).tanh(), rn)
    unary("clamp", lambda x: torch.clamp(x, -0.5, 0.7), rn)
    unary("clamp_min", lambda x: torch.clamp(x, min=-0.5), rn)
    unary("clamp_max", lambda x: torch.clamp(x, max=0.7), rn)

    def nonfinite():
        x = rn()
        x[0, 1], x[1, 2], x[2, 0] = float("nan"), float("inf"), float("-inf")
        return x

    unary("nan_to_num", lambda x: torch.nan_to_num(x, nan=1.5, posinf=3.0, neginf=-3.0), nonfinite)

    def inputs(*gens):
        return lambda: [(g(), True) for g in gens]

    # Tensor bounds, broadcast, crossing (min > max) in about half the places.
    c["clamp_tensor"] = (lambda x, lo, hi: torch.clamp(x, lo, hi), inputs(rn, lambda: rn(4), lambda: rn(3, 1)))
    c["clamp_tensor_min"] = (lambda x, lo: torch.clamp(x, min=lo), inputs(rn, lambda: rn(4)))
    c["clamp_tensor_max"] = (lambda x, hi: torch.clamp(x, max=hi), inputs(rn, lambda: rn(3, 1)))

    c["pow_tensor"] = (torch.pow, inputs(pos, rn))
    c["pow_tensor_broadcast"] = (torch.pow, inputs(pos, lambda: rn(4)))

    def zero_base():
        x, e = pos(), uni(0.5, 3.0)
        x[0, :] = 0.0
        e[0, 0], e[0, 1] = 0.0, 2.0
        return [(x, True), (e, True)]

    c["pow_tensor_zero_base"] = (torch.pow, zero_base)
    c["pow_number_base"] = (lambda e: torch.pow(2.5, e), inputs(rn))
    c["pow_zero_number_base"] = (lambda e: torch.pow(0.0, e), inputs(pos))
    c["atan2"] = (torch.atan2, inputs(rn, rn))
    c["atan2_number"] = (lambda x: torch.atan2(x, torch.tensor(-1.5, dtype=F64)), inputs(rn))
    c["hypot"] = (torch.hypot, inputs(rn, lambda: rn(4)))
    c["hypot_number"] = (lambda x: torch.hypot(x, torch.tensor(0.75, dtype=F64)), inputs(rn))

    def tied():
        x = rn()
        return [(x, True), (with_ties(x, rn()), True)]

    def tied_nan():
        x = rn()
        y = with_ties(x, rn())
        y[1, 1] = float("nan")
        return [(x, True), (y, True)]

    c["maximum"] = (torch.maximum, tied)
    c["minimum"] = (torch.minimum, tied)
    c["fmax"] = (torch.fmax, tied_nan)
    c["fmin"] = (torch.fmin, tied_nan)
    c["remainder"] = (torch.remainder, inputs(lambda: rn(scale=5), away0))
    c["remainder_number"] = (lambda x: torch.remainder(x, 1.5), inputs(lambda: rn(scale=5)))
    c["fmod"] = (torch.fmod, inputs(lambda: rn(scale=5), away0))
    c["fmod_number"] = (lambda x: torch.fmod(x, -1.5), inputs(lambda: rn(scale=5)))
    c["copysign"] = (torch.copysign, inputs(away0, rn))
    c["copysign_number"] = (lambda x: torch.copysign(x, -2.0), inputs(away0))
    c["div_floor"] = (lambda x, y: torch.div(x, y, rounding_mode="floor"), inputs(lambda: rn(scale=5), away0))
    c["div_trunc_number"] = (lambda x: torch.div(x, 1.5, rounding_mode="trunc"), inputs(lambda: rn(scale=5)))
    c["where"] = (torch.where, lambda: [(mask(), False), (rn(), True), (rn(4), True)])
    c["where_number_other"] = (lambda m, x: torch.where(m, x, 2.5), lambda: [(mask(), False), (rn(), True)])
    c["where_number_self"] = (lambda m, y: torch.where(m, 2.5, y), lambda: [(mask(), False), (rn(), True)])
    c["lerp_number"] = (lambda x, e: torch.lerp(x, e, 0.3), inputs(rn, rn))
    c["lerp_tensor"] = (torch.lerp, inputs(rn, rn, lambda: uni(0, 1, 4)))
    c["addcmul"] = (lambda x, a, b: torch.addcmul(x, a, b, value=2.0), inputs(rn, rn, lambda: rn(4)))
    c["addcmul_default"] = (torch.addcmul, inputs(rn, rn, rn))
    c["addcdiv"] = (lambda x, a, b: torch.addcdiv(x, a, b, value=-0.5), inputs(rn, rn, away0))
    c["masked_fill"] = (lambda x, m: x.masked_fill(m, 2.5), lambda: [(rn(), True), (mask(), False)])
    c["masked_fill_tensor"] = (lambda x, m, v: x.masked_fill(m, v),
                               lambda: [(rn(), True), (mask(4), False), (rn(()), True)])
    return c


CASES = _cases()

# Ops whose own torch 1.13 backward is no float64 reference, with the same function written
# with ops torch differentiates exactly; that gives both orders (the result and the node name
# still come from the op). The op's own first gradient must agree with it to float32
# precision, which catches a wrong rewrite:
#   hardsigmoid: hardsigmoid_backward multiplies by 1/6 rounded to float32, and has no double
#                backward at all ("derivative for aten::hardsigmoid_backward is not implemented");
#   celu:        its backward takes 1/alpha from alpha rounded to float32 (alpha.toFloat()).
# Compute uses the exact constants.
REFERENCE_VIA = {
    "hardsigmoid": lambda x: F.relu6(x + 3) / 6,
    "celu": lambda x: torch.where(x > 0, x, 0.7 * torch.expm1(x / 0.7)),
}


def _zeros_for_none(gs, ts):
    return [torch.zeros_like(t) if g is None else g for g, t in zip(gs, ts)]


def generate():
    seeded(61)
    out_cases = []
    for name, (f, build) in CASES.items():
        raw = build()
        ts = [t.clone().requires_grad_(rg) for t, rg in raw]
        diff = [t for t in ts if t.requires_grad]
        out = f(*ts)
        go = torch.randn(out.shape, dtype=F64)
        vs = [torch.randn(t.shape, dtype=F64) if t.requires_grad else None for t in ts]
        grads = _zeros_for_none(torch.autograd.grad(out, diff, go, create_graph=True, allow_unused=True), diff)
        if name in REFERENCE_VIA:
            via = _zeros_for_none(torch.autograd.grad(REFERENCE_VIA[name](*ts), diff, go, create_graph=True,
                                                      allow_unused=True), diff)
            assert all(torch.allclose(a, b, rtol=1e-6, atol=0) for a, b in zip(grads, via)), name
            grads = via
        total = sum((g * v).sum() for g, v in zip(grads, [v for v in vs if v is not None]) if g.requires_grad)
        if isinstance(total, torch.Tensor) and total.requires_grad:
            second = _zeros_for_none(torch.autograd.grad(total, diff, allow_unused=True), diff)
        else:
            second = [torch.zeros_like(t) for t in diff]
        it_g, it_s = iter(grads), iter(second)
        out_cases.append({
            "name": name,
            "inputs": [dict(enc_tensor(t), requires_grad=rg) for t, rg in raw],
            "grad_output": enc_tensor(go),
            "v": [enc_tensor(v) if v is not None else None for v in vs],
            "grad_fn": out.grad_fn.name(),
            "expected": enc_tensor(out),
            "grads": [enc_tensor(next(it_g)) if rg else None for _, rg in raw],
            "second": [enc_tensor(next(it_s)) if rg else None for _, rg in raw],
        })
    write("autograd_pointwise.json", out_cases)
