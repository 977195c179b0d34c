"""Fixtures for the pointwise unary math family (tests/reference/fixtures/unary_math.json):
sqrt, log, sin, ..., the activations, isnan/isinf/isfinite, nan_to_num, bitwise/logical not
and clamp. Run through generate.py (its main() imports this module and calls generate()).

Each case: "op" (the PyTorch name), "args" (the op's keyword arguments, PyTorch spelling, each
as a Python-scalar operand {"scalar", "value"}),
"inputs" (the tensor operands: input, then clamp's tensor bounds), and "expected" or "error".
"inplace": true marks cases whose in-place form (torch's op_) gives the same values in the
input's dtype; the tests run both forms on them.
"""
import math

import torch
import torch.nn.functional as F

from generate import DTYPES, FLOATS, NAME_OF, TORCH_ERRORS, enc_input, enc_scalar, enc_tensor, randint, randn, seeded, write

nan, inf = float("nan"), float("inf")

# Values every float op meets: NaN, infinities, signed zeros, float32 subnormals, +-1, and
# large magnitudes.
SPECIALS = [nan, inf, -inf, 0.0, -0.0, 1e-40, -1e-40, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 100.0, -100.0, 1e30, -1e30]


def rand_range(shape, lo, hi, dtype="float32"):
    return (torch.rand(tuple(shape), dtype=torch.float64) * (hi - lo) + lo).to(DTYPES[dtype])


# Input samplers by the op's natural domain (values where the function is interesting).
def sample_any(shape, dtype):
    return randn(shape, dtype, scale=3.0)


def sample_positive(shape, dtype):
    return rand_range(shape, 0.01, 20.0, dtype)


def sample_unit(shape, dtype):
    return rand_range(shape, -0.999, 0.999, dtype)


def sample_open01(shape, dtype):
    return rand_range(shape, 0.001, 0.999, dtype)


def sample_acosh(shape, dtype):
    return rand_range(shape, 1.0, 30.0, dtype)


def sample_trig(shape, dtype):
    return rand_range(shape, -10.0, 10.0, dtype)


def sample_round(shape, dtype):
    # Halves (ties to even), and values with fractions.
    return (torch.randint(-40, 40, tuple(shape)).double() / 4.0 + randn(shape, "float64", 0.01) * (torch.rand(tuple(shape)) > 0.5)).to(DTYPES[dtype])


def gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


# op -> (torch function taking (x, **args), sampler, domain, has in-place form)
# Domains as in cpu/unary_math_stubs.h: "promote" (int -> float32), "float" (floating only),
# "numeric" (keeps ints, no bool), "any", "integral", "predicate".
OPS = {
    "abs": (torch.abs, sample_any, "numeric", True),
    "sign": (torch.sign, sample_any, "any", True),
    "sqrt": (torch.sqrt, sample_positive, "promote", True),
    "rsqrt": (torch.rsqrt, sample_positive, "promote", True),
    "square": (torch.square, sample_any, "square", True),
    "exp2": (torch.exp2, sample_any, "promote", True),
    "expm1": (torch.expm1, sample_any, "promote", True),
    "log": (torch.log, sample_positive, "promote", True),
    "log2": (torch.log2, sample_positive, "promote", True),
    "log10": (torch.log10, sample_positive, "promote", True),
    "log1p": (torch.log1p, sample_positive, "promote", True),
    "sin": (torch.sin, sample_trig, "promote", True),
    "cos": (torch.cos, sample_trig, "promote", True),
    "tan": (torch.tan, sample_trig, "promote", True),
    "asin": (torch.asin, sample_unit, "promote", True),
    "acos": (torch.acos, sample_unit, "promote", True),
    "atan": (torch.atan, sample_any, "promote", True),
    "sinh": (torch.sinh, sample_any, "promote", True),
    "cosh": (torch.cosh, sample_any, "promote", True),
    "tanh": (torch.tanh, sample_any, "promote", True),
    "asinh": (torch.asinh, sample_any, "promote", True),
    "acosh": (torch.acosh, sample_acosh, "promote", True),
    "atanh": (torch.atanh, sample_unit, "promote", True),
    "sigmoid": (torch.sigmoid, sample_any, "promote", True),
    "logit": (torch.logit, sample_open01, "promote", True),
    "erf": (torch.erf, sample_any, "promote", True),
    "erfc": (torch.erfc, sample_any, "promote", True),
    "erfinv": (torch.erfinv, sample_unit, "promote", True),
    "lgamma": (torch.lgamma, sample_any, "promote", True),
    "digamma": (torch.digamma, sample_positive, "promote", True),
    "floor": (torch.floor, sample_round, "numeric", True),
    "ceil": (torch.ceil, sample_round, "numeric", True),
    "round": (torch.round, sample_round, "numeric", True),
    "trunc": (torch.trunc, sample_round, "numeric", True),
    "frac": (torch.frac, sample_round, "float", True),
    "reciprocal": (torch.reciprocal, sample_any, "promote", True),
    "relu": (torch.relu, sample_any, "numeric", True),
    "relu6": (F.relu6, sample_any, "numeric", True),
    "gelu": (F.gelu, sample_any, "float", False),
    "gelu_tanh": (gelu_tanh, sample_any, "float", False),
    "silu": (F.silu, sample_any, "float", True),
    "mish": (F.mish, sample_any, "float", True),
    "softplus": (F.softplus, sample_any, "float", False),
    "elu": (F.elu, sample_any, "float", True),
    "selu": (F.selu, sample_any, "float", True),
    "celu": (F.celu, sample_any, "float", True),
    "leaky_relu": (F.leaky_relu, sample_any, "float", True),
    "hardtanh": (F.hardtanh, sample_any, "numeric", True),
    "hardsigmoid": (F.hardsigmoid, sample_any, "float", True),
    "hardswish": (F.hardswish, sample_any, "float", True),
    "logsigmoid": (F.logsigmoid, sample_any, "float", False),
    "isnan": (torch.isnan, sample_any, "predicate", False),
    "isinf": (torch.isinf, sample_any, "predicate", False),
    "isfinite": (torch.isfinite, sample_any, "predicate", False),
    "nan_to_num": (torch.nan_to_num, sample_any, "any", True),
    "bitwise_not": (torch.bitwise_not, sample_any, "integral", True),
    "logical_not": (torch.logical_not, sample_any, "predicate", False),
}

# Ops whose result cancels (x * (1 + erf(...)) for very negative x, digamma/lgamma near their
# roots, mish = x * tanh(softplus(x)) on subnormal intermediates): their error is relative to
# the size of the terms, not of the result. "abs_bound" holds that size per element (|x| for the
# activations, 1 for digamma/lgamma, whose terms are of order 1 at their roots); the tests
# explain the factor they apply.
ABS_BOUND = {
    "gelu": lambda x: x.abs(),
    "gelu_tanh": lambda x: x.abs(),
    "mish": lambda x: x.abs(),
    "digamma": lambda x: torch.ones_like(x),
    "lgamma": lambda x: torch.ones_like(x),
}

# Non-default keyword arguments each parameterised op is also tested with.
ARG_VARIANTS = {
    "logit": [{"eps": 0.25}, {"eps": 0.0}],
    "round": [{"decimals": 2}, {"decimals": -1}, {"decimals": 3}],
    "softplus": [{"beta": 2.0, "threshold": 5.0}, {"beta": 0.5, "threshold": 1.0}],
    "elu": [{"alpha": 0.5}, {"alpha": -1.5}],
    "celu": [{"alpha": 2.0}, {"alpha": -0.5}],
    "leaky_relu": [{"negative_slope": 0.2}, {"negative_slope": -0.5}],
    "hardtanh": [{"min_val": -0.5, "max_val": 2.0}, {"min_val": 2.0, "max_val": -1.0}, {"min_val": nan, "max_val": 1.0},
                 {"min_val": -3e9, "max_val": 300.0}],
    "nan_to_num": [{"nan": 1.5}, {"nan": -2.0, "posinf": 1e6, "neginf": -7.0}, {"posinf": 1e10}],
}


# Every op a case may name: the table plus clamp (number bounds; tensor bounds are "clamp_tensor").
CALLS = dict(OPS, clamp=(torch.clamp, None, "numeric", True))


def torch_call(op, x, args):
    fn = CALLS[op][0]
    return fn(x, **args)


def torch_inplace(op, x, args):
    """torch's in-place form on a copy of x (gelu_tanh and the F.* names map to their _ forms)."""
    y = x.clone()
    name = {"relu6": None, "hardtanh": "hardtanh_", "elu": "elu_", "celu": "celu_", "selu": "selu_",
            "leaky_relu": "leaky_relu_", "silu": None, "mish": None, "hardsigmoid": None, "hardswish": None}
    if op in ("relu6", "silu", "mish", "hardsigmoid", "hardswish"):
        OPS[op][0](y, inplace=True, **args)
        return y
    if op in name:
        getattr(F, name[op])(y, **args)
        return y
    getattr(y, op + "_")(**args)
    return y


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, name, op, x, args=None, permute=None, bounds=None):
        args = dict(args or {})
        j, tx = enc_input(x, permute)
        # Arguments as Python-scalar operands: the kind (int, float, bool) matters for clamp.
        case = {"name": name, "op": op, "args": {k: enc_scalar(v) for k, v in args.items()}, "inputs": [j]}
        if bounds is not None:
            case["inputs"] += [enc_tensor(b) for b in bounds]
        try:
            if bounds is not None:
                # clamp_tensor: both bounds; clamp_min_tensor / clamp_max_tensor: the one named.
                one = {"clamp_min_tensor": "min", "clamp_max_tensor": "max"}.get(op)
                r = torch.clamp(tx, **{one: bounds[0]}) if one else torch.clamp(tx, *bounds)
                case["inplace"] = r.dtype == tx.dtype
            else:
                r = torch_call(op, tx, args)
        except TORCH_ERRORS + (ZeroDivisionError,) as e:
            if tx.dtype in (torch.float16, torch.bfloat16) and f"not implemented for '{'Half' if tx.dtype == torch.float16 else 'BFloat16'}'" in str(e) \
                    and op not in ("bitwise_not",):
                # torch 1.13 lacks many CPU float16 kernels (and mish for bfloat16): a gap, not a
                # rule. Take its float32 result rounded to the 16-bit type, which is what a 16-bit
                # kernel computing in float32 (later PyTorch versions, and Compute) gives.
                r = torch_call(op, tx.float(), args).to(tx.dtype)
                case["reference_note"] = f"torch.{op}(x.float()).to({NAME_OF[tx.dtype]}): torch 1.13 has no CPU {NAME_OF[tx.dtype]} kernel"
            else:
                case["error"] = str(e).split("\n")[0]
                self.cases.append(case)
                return
        if tx.dtype == torch.bfloat16 and bounds is None and "reference_note" not in case \
                and CALLS[op][2] in ("promote", "float"):
            # Some torch 1.13 bfloat16 kernels (gelu 'tanh', logit) round intermediate results to
            # bfloat16, far below the precision of their float path: where the two differ by more
            # than the last rounding can explain, take the float path rounded to bfloat16.
            f = torch_call(op, tx.float(), args)
            if f.is_floating_point() and ((f.bfloat16().float() - r.float()).abs() > f.abs() * 2.0**-7).any():
                r = f.to(torch.bfloat16)
                case["reference_note"] = f"torch.{op}(x.float()).bfloat16(): torch 1.13's bfloat16 kernel rounds intermediates to bfloat16"
        case["expected"] = enc_tensor(r)
        if op in ABS_BOUND and r.is_floating_point():
            case["abs_bound"] = enc_tensor(ABS_BOUND[op](tx.double()).expand(r.shape).contiguous())
        if bounds is None and CALLS[op][3] and r.dtype == tx.dtype and "reference_note" not in case:
            ri = torch_inplace(op, tx, args)
            assert torch.equal(ri, r) or (ri.isnan() == r.isnan()).all() and torch.equal(ri[~ri.isnan()], r[~r.isnan()]), op
            case["inplace"] = True
        self.cases.append(case)


def generate():
    c = Cases()
    for i, (op, (fn, sampler, domain, _)) in enumerate(OPS.items()):
        seeded(1000 + i)
        for dt in FLOATS:
            c.add(f"{op}_{dt}", op, sampler([17], dt))
        c.add(f"{op}_specials_float32", op, torch.tensor(SPECIALS, dtype=torch.float32))
        c.add(f"{op}_specials_float64", op, torch.tensor(SPECIALS + [1e-310, 1e300], dtype=torch.float64))
        c.add(f"{op}_transposed", op, sampler([3, 4], "float32"), permute=[1, 0])
        c.add(f"{op}_empty", op, sampler([0, 3], "float32"))
        c.add(f"{op}_zerodim", op, sampler([], "float64"))
        # A long row: the vectorised body and the scalar tail both run.
        c.add(f"{op}_long_float32", op, sampler([67], "float32"))
        for dt in ("int64", "int32", "int16", "int8", "uint8", "bool"):
            c.add(f"{op}_{dt}", op, randint([7], dt, -9, 9))
        for k, args in enumerate(ARG_VARIANTS.get(op, [])):
            c.add(f"{op}_args{k}_float32", op, sampler([17], "float32"), args)
            c.add(f"{op}_args{k}_float64", op, sampler([17], "float64"), args)
            c.add(f"{op}_args{k}_specials", op, torch.tensor(SPECIALS, dtype=torch.float32), args)
            c.add(f"{op}_args{k}_int32", op, randint([7], "int32", -9, 9), args)
    # Integer edge cases: abs of the most negative value wraps; sign of unsigned values.
    c.add("abs_int8_min", "abs", torch.tensor([-128, -1, 127], dtype=torch.int8))
    c.add("square_int16_wrap", "square", torch.tensor([300, -200, 181], dtype=torch.int16))
    c.add("bitwise_not_int64_limits", "bitwise_not", torch.tensor([0, -1, 2**63 - 1, -2**63], dtype=torch.int64))
    c.add("logit_edges", "logit", torch.tensor([0.0, 1.0, -0.5, 1.5, nan, 0.5]))
    c.add("erfinv_edges_float64", "erfinv", torch.tensor([1.0, -1.0, -1e-300, 1e-20, 1.0000001], dtype=torch.float64))
    # (No inputs within 1e-3 of +-1: there torch 1.13's float64 erfinv loses digits -- 40 ulps at
    # 0.999, 1e-9 relative at 0.999999999, 5.86395 for 5.8635847487551679 at 1 - 2^-53, by mpmath
    # -- so it cannot serve as a reference.)
    c.add("digamma_poles_float64", "digamma", torch.tensor([0.0, -0.0, -1.0, -2.5, -10.3, 1e-8, 1.4616321449683622, 1e15, inf, -inf], dtype=torch.float64))
    c.add("lgamma_poles_float64", "lgamma", torch.tensor([0.0, -0.0, -1.0, -2.5, 1.0, 2.0, 1e-300, 1e300, inf, -inf], dtype=torch.float64))
    # float64 lgamma and digamma in long rows (vectorised body and scalar tail) over the ranges
    # cpu/vec_gamma.h treats apart: near 0, the zeros at 1 and 2 (digamma: 1.4616...), the
    # recurrence's range up to 8, Stirling's beyond, large magnitudes, the reflection below 0.
    # digamma's negative inputs lie in (-n - 1/2, -n) only: for x in (-n, -n + 1/2) (and near
    # the negative zeros in (-n - 1, -n - 1/2)) torch 1.13's reflection takes tan(pi r) with
    # r = x - trunc(x) near -1, which loses digits (1.5e-14 absolute at x = -n + 0.1 by mpmath),
    # so it cannot serve as a reference there.
    seeded(4242)
    g = torch.rand(7, 37, dtype=torch.float64)
    wide = torch.cat([g[0] * 40.0 - 20.0, 1.0 + (g[1] - 0.5) * 2e-3, 2.0 + (g[2] - 0.5) * 2e-3,
                      torch.exp(g[3] * 690.0 - 690.0), torch.exp(g[4] * 690.0), g[5] * 7.5 + 0.5])
    c.add("lgamma_long_float64", "lgamma", torch.cat([wide, -torch.exp(g[6] * 34.0)]))
    neg = -(torch.floor(g[6] * 30.0) + g[0] * 0.45 + 0.02)
    c.add("digamma_long_float64", "digamma", torch.cat([wide[37:], 1.4616321449683622 + (g[0] - 0.5) * 1e-3, neg]))
    c.add("lgamma_specials2_float64", "lgamma", torch.tensor(
        [-4503599627370496.0, -4503599627370495.5, -2251799813685248.5, -1e20, 2.55e305, 2.6e305, 1.7976931348623157e308,
         5e-324, -5e-324, 1e-320, 0.5, 1.5, 2.5, 7.999999999999999, 8.0, -0.5, -2.4570247, -2.7476826467274, -7.5], dtype=torch.float64))
    c.add("digamma_specials2_float64", "digamma", torch.tensor(
        [-4503599627370496.0, -4503599627370495.5, -1e20, 1.7976931348623157e308, 5e-324, -5e-324, 1e-320, -1e-300, 0.5,
         1.0, 2.0, 7.999999999999999, 8.0, 1e15, -2.5, -10.25], dtype=torch.float64))
    c.add("round_ties_float32", "round", torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 8388609.0, 1e30, -0.0]))
    c.add("round_decimals_ties", "round", torch.tensor([1.25, 2.5, 0.125, 1234.5678, -0.0051, 1e30]), {"decimals": 2})
    c.add("nan_to_num_specials_float16", "nan_to_num", torch.tensor([nan, inf, -inf, 1.0]).half())
    c.add("nan_to_num_specials_bfloat16", "nan_to_num", torch.tensor([nan, inf, -inf, 1.0]).bfloat16(), {"posinf": 1e10})
    c.add("sigmoid_tails_float32", "sigmoid", torch.tensor([-200.0, -104.0, -88.0, -87.0, -20.0, 20.0, 88.0, 89.0]))
    c.add("tanh_sweep_float32", "tanh", torch.linspace(-12.0, 12.0, 481))
    c.add("log_sweep_float32", "log", torch.logspace(-44, 38, 411))
    c.add("log_sweep_float64", "log", torch.logspace(-310, 307, 411, dtype=torch.float64))
    c.add("gelu_sweep_float32", "gelu", torch.linspace(-10.0, 10.0, 401))
    c.add("gelu_tanh_sweep_float32", "gelu_tanh", torch.linspace(-10.0, 10.0, 401))
    c.add("silu_sweep_float32", "silu", torch.linspace(-100.0, 100.0, 401))
    # Rejected arguments.
    c.add("celu_alpha_zero", "celu", torch.tensor([1.0, -1.0]), {"alpha": 0.0})

    # clamp with number bounds (either one, or both; promotion with Python numbers).
    seeded(77)
    x = randn([4, 5], "float32", scale=3.0)
    xi = randint([4, 5], "int32", -9, 9)
    for name, t in (("float32", x), ("float64", x.double()), ("int32", xi), ("bfloat16", x.bfloat16()),
                    ("uint8", randint([4, 5], "uint8", 0, 20)), ("bool", randint([4], "bool"))):
        for args in ({"min": -1.0, "max": 1.5}, {"min": 0.5}, {"max": -2}, {"min": 2, "max": 5},
                     {"min": 3.0, "max": -1.0}, {"min": nan}, {"min": True}, {"min": nan, "max": 1.0},
                     {"min": -1.0, "max": nan}):
            tag = "_".join(f"{k}{v}" for k, v in args.items()).replace("-", "m").replace(".", "p")
            c.add(f"clamp_{name}_{tag}", "clamp", t, args)
    c.add("clamp_transposed", "clamp", x, {"min": -1.0, "max": 1.0}, permute=[1, 0])
    c.add("clamp_specials", "clamp", torch.tensor(SPECIALS), {"min": -1.0, "max": 1.0})
    c.add("clamp_no_bounds", "clamp", x, {})
    # clamp with tensor bounds: broadcasting, promotion, NaN in the bounds.
    lo, hi = randn([5], "float32"), randn([4, 1], "float64") + 1.0
    c.add("clamp_tensor_both", "clamp_tensor", x, bounds=[lo, hi])
    c.add("clamp_tensor_int_bounds_float", "clamp_tensor", xi, bounds=[lo.double(), hi])
    c.add("clamp_tensor_nan", "clamp_tensor", torch.tensor([1.0, nan, 3.0, -2.0]),
          bounds=[torch.tensor([nan, 0.0, 0.0, 0.0]), torch.tensor([2.0, 2.0, nan, 2.0])])
    c.add("clamp_tensor_int", "clamp_tensor", xi, bounds=[randint([5], "int32", -5, 0), randint([4, 1], "int64", 0, 5)])
    c.add("clamp_tensor_shape_mismatch", "clamp_tensor", x, bounds=[randn([3], "float32"), hi])
    c.add("clamp_tensor_bool", "clamp_tensor", randint([4], "bool"), bounds=[randint([4], "bool"), randint([4], "bool")])
    # One tensor bound: bool works (max/min of bools), promotion with bool bounds, broadcasting.
    bx = torch.tensor([[True, False, True, False], [False, False, True, True]])
    bb = torch.tensor([[False], [True]])
    for which in ("min", "max"):
        op = f"clamp_{which}_tensor"
        c.add(f"{op}_bool", op, bx, bounds=[bb])
        c.add(f"{op}_bool_same_shape", op, bx, bounds=[torch.tensor([[False, True, True, False], [True, False, False, True]])])
        c.add(f"{op}_int_bool_bound", op, xi, bounds=[randint([5], "bool")])
        c.add(f"{op}_float_bool_bound", op, x, bounds=[randint([4, 1], "bool")])
        c.add(f"{op}_bool_int_bound", op, bx, bounds=[randint([4], "int64", -2, 3)])
        c.add(f"{op}_float", op, x, bounds=[lo])
    c.add("clamp_bool_number_bound", "clamp", bx, {"min": False})

    write("unary_math.json", c.cases,
          description="Unary math and activations: every op on float32/float64/float16/bfloat16, "
                      "integer and bool inputs (promoted, kept or rejected as PyTorch does), NaN/Inf/-0.0/"
                      "subnormals, transposed, empty and 0-dim inputs, op arguments, in-place forms; "
                      "clamp with number bounds and with tensor bounds.")
