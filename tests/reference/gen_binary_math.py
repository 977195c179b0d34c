"""Fixtures of the pointwise binary/ternary math family (binary_math.json): div with rounding
modes, floor_divide, remainder, fmod, pow, atan2, hypot, maximum/minimum, fmax/fmin, copysign,
bitwise and shift ops, logical ops, where, lerp, addcmul/addcdiv, masked_fill, and their
in-place forms. Run through tests/reference/generate.py (which imports this module).
"""
import torch

from generate import (DTYPES, FLOATS, INTS, NAME_OF, TORCH_ERRORS, enc_input, enc_scalar, enc_tensor,
                      randint, randn, sample, seeded, write)

# Each op: torch function of its operands (and the case's extra arguments).
OPS = {
    "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
    "floor_divide": torch.floor_divide,
    "remainder": torch.remainder,
    "fmod": torch.fmod,
    "pow": torch.pow,
    "atan2": torch.atan2,
    "hypot": torch.hypot,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "fmax": torch.fmax,
    "fmin": torch.fmin,
    "copysign": torch.copysign,
    "bitwise_and": torch.bitwise_and,
    "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor,
    "bitwise_left_shift": torch.bitwise_left_shift,
    "bitwise_right_shift": torch.bitwise_right_shift,
    "logical_and": torch.logical_and,
    "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor,
    "where": torch.where,
    "lerp": torch.lerp,
    "addcmul": lambda a, b, c, value: torch.addcmul(a, b, c, value=value),
    "addcdiv": lambda a, b, c, value: torch.addcdiv(a, b, c, value=value),
    "masked_fill": torch.masked_fill,
}
# The in-place method of each op that has one.
IN_PLACE = {
    "div_trunc": lambda a, b: a.div_(b, rounding_mode="trunc"),
    "div_floor": lambda a, b: a.div_(b, rounding_mode="floor"),
    "lerp": lambda a, b, w: a.lerp_(b, w),
    "addcmul": lambda a, b, c, value: a.addcmul_(b, c, value=value),
    "addcdiv": lambda a, b, c, value: a.addcdiv_(b, c, value=value),
}
# Results that are not one correctly rounded operation: the C++/C# tests allow a few ulps
# (transcendentals) or derive a bound from abs_bound (multiply-add chains).
TRANSCENDENTAL = ("pow", "atan2", "hypot")
HALVES = (torch.float16, torch.bfloat16)


def _operand(x, permute=None):
    if isinstance(x, torch.Tensor):
        return enc_input(x, permute)
    return enc_scalar(x), x


def _call(op, args, value, in_place):
    extra = () if value is None else (value,)
    if in_place:
        a = args[0].clone()
        fn = IN_PLACE.get(op) or getattr(torch.Tensor, op + "_")
        fn(a, *args[1:], *extra)
        return a
    return OPS[op](*args, *extra)


def _upcast(x):
    return x.float() if isinstance(x, torch.Tensor) and x.dtype in HALVES else x


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, name, op, operands, value=None, permute_first=None, in_place=False):
        """operands: tensors or Python numbers; value: the scalar argument (addcmul/addcdiv
        value, masked_fill value, lerp weight) when the op has one."""
        encoded = [_operand(x, permute_first if i == 0 else None) for i, x in enumerate(operands)]
        args = [t for _, t in encoded]
        case = {"name": name, "op": op, "inputs": [j for j, _ in encoded]}
        if in_place:
            case["in_place"] = True
        if value is not None:
            case["value"] = enc_scalar(value)
        try:
            r = _call(op, args, value, in_place)
        except TORCH_ERRORS as e:
            half = next((x.dtype for x in args if isinstance(x, torch.Tensor) and x.dtype in HALVES), None)
            if half is None or "not implemented for" not in str(e):
                case["error"] = str(e).splitlines()[0]
                self.cases.append(case)
                return
            # A gap in torch 1.13's CPU kernels, not a rule: the expectation is torch's float32
            # computation rounded once to the 16-bit type, which is what Compute does.
            r = _call(op, [_upcast(x) for x in args], value, in_place).to(half)
            case["reference_note"] = (f"torch.{op} on float32 copies, rounded to {NAME_OF[half]}: torch 1.13 has "
                                      f"no CPU {NAME_OF[half]} kernel")
            args = [_upcast(x) for x in args]
        if r.dtype in HALVES and any(isinstance(x, torch.Tensor) and x.dtype in HALVES for x in args):
            # Compute keeps float16/bfloat16 in float32 and rounds once at the end. Where torch
            # 1.13 rounds intermediate results to the 16-bit type, or lacks the CPU kernel, the
            # fixture holds torch's float32 computation rounded once, and says so.
            try:
                up = _call(op, [_upcast(x) for x in args], value, in_place).to(r.dtype) if not in_place else None
            except TORCH_ERRORS:
                up = None
            if up is not None and not _same(up, r):
                case["reference_note"] = (f"torch.{op} on float32 copies, rounded to {NAME_OF[r.dtype]}: torch 1.13 "
                                          f"rounds intermediates to the 16-bit type")
                r = up
        case["expected"] = enc_tensor(r)
        if op in ("lerp", "addcmul", "addcdiv") and r.is_floating_point():
            case["abs_bound"] = enc_tensor(_abs_bound(op, args, value, r))
        self.cases.append(case)


def _same(x, y):
    xs, ys = x.reshape(-1).double(), y.reshape(-1).double()
    return bool(((xs == ys) | (torch.isnan(xs) & torch.isnan(ys))).all())


def _abs_bound(op, args, value, r):
    """Sum of the magnitudes of the terms the result is made of, in float64: the rounding error
    of any evaluation order (fused or not) is a small multiple of eps times it."""
    d = [x.double() if isinstance(x, torch.Tensor) else torch.tensor(float(x), dtype=torch.float64) for x in args]
    if op == "lerp":
        a, end = d[0], d[1]
        w = d[2] if len(d) > 2 else torch.tensor(float(value), dtype=torch.float64)
        b = a.abs() + end.abs() + (w.abs() + 1) * (end - a).abs()
    elif op == "addcmul":
        b = d[0].abs() + abs(float(value)) * (d[1] * d[2]).abs()
    else:
        b = d[0].abs() + abs(float(value)) * (d[1] / d[2]).abs()
    return b.expand(r.shape).contiguous()


def specials(dtype=torch.float32):
    nan, inf = float("nan"), float("inf")
    return torch.tensor([0.0, -0.0, 1.0, -1.0, 2.5, -2.5, inf, -inf, nan, 7.0], dtype=dtype)


def grid(op, dtype=torch.float32):
    """Every pair of special values. maximum/minimum/fmax/fmin skip the pairs of zeros of
    opposite sign: torch 1.13's vectorised and scalar paths return different zeros for them."""
    s = specials(dtype)
    a, b = s.repeat_interleave(len(s)), s.repeat(len(s))
    if op in ("maximum", "minimum", "fmax", "fmin"):
        keep = ~((a == 0) & (b == 0) & (torch.signbit(a) != torch.signbit(b)))
        a, b = a[keep], b[keep]
    if op == "copysign":
        # The fixture format does not store a NaN's sign (README), so NaN cannot be the sign source.
        keep = ~torch.isnan(b)
        a, b = a[keep], b[keep]
    return a, b


def add_pow_sweeps(c, dtype, range_name, range_limit, near_one, wide, more):
    """pow over [101] blocks of one float dtype: bases in [e^-10, e^10] with |y log x| up to
    range_limit / 2; bases within near_one[0] / 2 of 1 with exponents to near_one[1] / 2; bases
    in e^(+-wide[0] / 2), every fourth times wide[1], with exponents in (-3, 3); and every pair of
    the special values more."""
    name = NAME_OF[dtype]
    x = torch.exp((torch.rand(101, dtype=dtype) - 0.5) * 20.0)
    c.add(range_name, "pow", [x, (torch.rand(101, dtype=dtype) - 0.5) * range_limit / x.log()])
    x = 1.0 + (torch.rand(101, dtype=dtype) - 0.5) * near_one[0]
    c.add(f"pow_long_near_one_{name}", "pow", [x, (torch.rand(101, dtype=dtype) - 0.5) * near_one[1]])
    x = torch.exp((torch.rand(101, dtype=dtype) - 0.5) * wide[0])
    x[::4] = x[::4] * wide[1]
    c.add(f"pow_long_wide_{name}", "pow", [x, (torch.rand(101, dtype=dtype) - 0.5) * 6.0])
    s = torch.tensor(more, dtype=dtype)
    c.add(f"pow_special_values_{name}_more", "pow", [s.repeat_interleave(len(s)), s.repeat(len(s))])


def nonzero_int(shape, dtype, low=-20, high=20):
    x = randint(shape, dtype, low, high)
    return torch.where(x == 0, torch.ones_like(x), x)


def generate():
    seeded(30)
    c = Cases()
    division = ("div_trunc", "div_floor", "floor_divide", "remainder", "fmod")
    float_ops = division + ("pow", "atan2", "hypot", "maximum", "minimum", "fmax", "fmin", "copysign",
                            "logical_and", "logical_or", "logical_xor")
    # Floating dtypes, same shapes.
    for dt in FLOATS:
        for op in float_ops:
            a, b = randn([2, 3], dt, scale=3.0), randn([2, 3], dt, scale=3.0)
            if op == "pow":
                a = a.abs()  # a real result for every exponent
            c.add(f"{op}_{dt}_2x3", op, [a, b])
    # Integer dtypes.
    int_ops = division + ("pow", "maximum", "minimum", "fmax", "fmin", "bitwise_and", "bitwise_or", "bitwise_xor",
                          "logical_and", "logical_or", "logical_xor", "atan2", "copysign")
    for dt in INTS:
        for op in int_ops:
            if op in division:
                a, b = randint([2, 5], dt, -50, 50), nonzero_int([2, 5], dt, -9, 9)
            elif op == "pow":
                a, b = randint([2, 5], dt, -4, 5), randint([2, 5], dt, 0, 6)
            else:
                a, b = randint([2, 5], dt), randint([2, 5], dt)
            c.add(f"{op}_{dt}", op, [a, b])
        bits = torch.iinfo(DTYPES[dt]).bits
        for op in ("bitwise_left_shift", "bitwise_right_shift"):
            a = randint([12], dt, -100, 100)
            if dt in ("int32", "int64"):
                # torch 1.13 shifts these with a raw C++ shift, undefined for counts outside
                # [0, width) (x86 masks the count); PyTorch 2 defines them as 0 / the sign fill,
                # which Compute follows: test_binary_math.cpp checks those counts.
                shifts = torch.tensor([0, 1, 2, 3, bits - 1, bits - 2, 7, 2, 5, 1, 0, 3], dtype=torch.int64)
            elif dt == "uint8":
                shifts = torch.tensor([0, 1, 2, 3, bits - 1, bits, bits + 1, 2, 5, 1, 0, 3], dtype=torch.int64)
            else:
                # The 8- and 16-bit types shift in int, so torch 1.13 gives the defined results.
                shifts = torch.tensor([0, 1, 2, 3, bits - 1, bits, bits + 1, -1, -5, 1, 0, 3], dtype=torch.int64)
            c.add(f"{op}_{dt}", op, [a, shifts.to(DTYPES[dt])])
    # Edge integers: INT_MIN / -1 wraps, signs of quotient and remainder, pow wrap-around.
    # (torch itself traps with SIGFPE on INT_MIN / -1 in int32 and int64, so only int8 has that
    # pair here; test_binary_math.cpp checks that Compute wraps there as torch does for int8.)
    for dt in ("int8", "int32", "int64"):
        info = torch.iinfo(DTYPES[dt])
        lo = info.min if dt == "int8" else info.min + 1
        a = torch.tensor([lo, info.min, info.max, 7, -7, 7, -7, 0, 1, -1], dtype=DTYPES[dt])
        b = torch.tensor([-1, 1, -1, 2, 2, -2, -2, 3, -1, -1], dtype=DTYPES[dt])
        for op in division:
            c.add(f"{op}_{dt}_edges", op, [a, b])
    c.add("pow_int64_negative_tensor_exponent", "pow", [torch.tensor([0, 1, -1, -1, 2, -2, 3]),
                                                        torch.tensor([-1, -2, -3, -4, -1, -1, -2])])
    c.add("pow_int8_wraps", "pow", [torch.tensor([2, 3, -2, 5], dtype=torch.int8), torch.tensor([7, 5, 7, 4], dtype=torch.int8)])
    c.add("pow_int64_wraps", "pow", [torch.tensor([3, -3, 7]), torch.tensor([41, 41, 30])])
    for dt in ("bool",):
        for op in ("maximum", "minimum", "bitwise_and", "bitwise_or", "bitwise_xor", "logical_and", "logical_or",
                   "logical_xor", "fmax", "atan2", "copysign"):
            c.add(f"{op}_bool", op, [torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False])])
    # Special values.
    for op in ("div_trunc", "div_floor", "remainder", "fmod", "pow", "atan2", "hypot", "maximum", "minimum", "fmax",
               "fmin", "copysign", "logical_and", "logical_xor"):
        a, b = grid(op)
        c.add(f"{op}_special_values_float32", op, [a, b])
    for op in ("div_floor", "remainder", "maximum", "fmin", "pow"):
        a, b = grid(op, torch.float64)
        c.add(f"{op}_special_values_float64", op, [a, b])
    c.add("div_floor_rounding_float64", "div_floor", [torch.tensor([1.0, -1.0, 0.3, -0.3, 1e308, 5.0], dtype=torch.float64),
                                                      torch.tensor([0.1, 0.1, 0.1, 0.1, 1e-308, -0.5], dtype=torch.float64)])
    c.add("remainder_float32_signs", "remainder", [torch.tensor([5.0, -5.0, 5.0, -5.0, 0.0, -0.0, 1e-30]),
                                                   torch.tensor([3.0, 3.0, -3.0, -3.0, 3.0, -3.0, 1.0])])
    # Broadcasting, 0-dim, empty and non-contiguous operands.
    for op in ("div_floor", "remainder", "fmod", "pow", "atan2", "maximum", "minimum", "fmax", "copysign", "hypot"):
        c.add(f"{op}_broadcast_3x1_1x4", op, [randn([3, 1]).abs(), randn([1, 4])])
        c.add(f"{op}_broadcast_2x3x4_4", op, [randn([2, 3, 4]).abs(), randn([4])])
        c.add(f"{op}_zerodim_rhs", op, [randn([2, 3]).abs(), randn([])])
        c.add(f"{op}_empty_0x3_1x3", op, [randn([0, 3]), randn([1, 3])])
        c.add(f"{op}_transposed_lhs", op, [randn([4, 3]).abs(), randn([4])], permute_first=[1, 0])
    for op in ("bitwise_and", "bitwise_xor", "bitwise_left_shift", "logical_or"):
        c.add(f"{op}_broadcast_int32_3x1_1x4", op, [randint([3, 1], "int32"), randint([1, 4], "int32", 0, 8)])
        c.add(f"{op}_transposed_int64", op, [randint([4, 3], "int64"), randint([4], "int64", 0, 8)], permute_first=[1, 0])
    # Mixed dtypes.
    for da, db in (("int32", "float32"), ("float32", "int64"), ("uint8", "int8"), ("bool", "int32"),
                   ("float16", "bfloat16"), ("int16", "float64"), ("bfloat16", "float32")):
        for op in ("div_floor", "div_trunc", "remainder", "fmod", "maximum", "minimum", "fmin", "atan2", "copysign",
                   "logical_and", "logical_xor"):
            a, b = sample([2, 3], da), sample([3], db)
            if op in division and not b.is_floating_point():
                b = torch.where(b == 0, torch.ones_like(b), b)
            c.add(f"{op}_{da}_{db}", op, [a, b])
    c.add("bitwise_and_uint8_int8", "bitwise_and", [torch.tensor([200, 7, 255], dtype=torch.uint8),
                                                    torch.tensor([-1, 3, -128], dtype=torch.int8)])
    c.add("bitwise_or_bool_int16", "bitwise_or", [torch.tensor([True, False, True]), torch.tensor([4, 0, -2], dtype=torch.int16)])
    c.add("pow_float32_int64", "pow", [randn([4]).abs(), torch.tensor([0, 1, 2, -3])])
    c.add("pow_int32_float64", "pow", [torch.tensor([2, 3, 4], dtype=torch.int32), randn([3], "float64")])
    # Python numbers on either side (wrapped numbers).
    for op, a, b in (("remainder", randint([6], "int64"), 3), ("remainder", 5, nonzero_int([6], "int64")),
                     ("remainder", randn([6], scale=4.0), 1.5), ("remainder", randint([6], "int32"), 2.5),
                     ("fmod", randint([6], "int64"), -3), ("fmod", randn([6], scale=4.0), 2),
                     ("div_floor", randint([6], "int64"), 2), ("div_trunc", randint([6], "int16"), -3),
                     ("div_floor", randint([6], "int32"), 2.5), ("floor_divide", 7, nonzero_int([6], "int64")),
                     ("pow", randn([6]).abs(), 2), ("pow", randn([6]), 3), ("pow", randn([6]).abs(), 0.5),
                     ("pow", randn([6]).abs(), 2.5), ("pow", randn([6]), -1), ("pow", randn([6]), -2),
                     ("pow", randint([6], "int64", -5, 5), 2), ("pow", randint([6], "int32", -5, 5), 3),
                     ("pow", randint([6], "int64", 1, 5), -1), ("pow", randint([6], "int64", 1, 5), 0.5),
                     ("pow", 2, randint([6], "int64", 0, 10)), ("pow", -2, torch.tensor([-2, 3, 0, 1])),
                     ("pow", 2.5, randn([6])), ("pow", 2, randn([6])), ("pow", torch.tensor([True, False]), 2),
                     ("pow", randint([6], "uint8", 0, 4), 3), ("pow", randn([6], "float16").abs(), 2),
                     ("bitwise_and", randint([6], "int64"), 6), ("bitwise_xor", randint([6], "uint8"), 300),
                     ("bitwise_left_shift", randint([6], "int32"), 3), ("bitwise_right_shift", 1024, randint([6], "int64", 0, 12)),
                     ("copysign", randn([6]), -0.0), ("copysign", randint([6], "int64"), -1)):
        def tag(x):
            if isinstance(x, torch.Tensor):
                return NAME_OF[x.dtype]
            return f"scalar_{type(x).__name__}_{str(x).replace('.', 'p').replace('-', 'm')}"
        name = f"{op}_{tag(a)}_{tag(b)}"
        while any(k["name"] == name for k in c.cases):
            name += "_b"
        c.add(name, op, [a, b])
    # Integer division by zero and the other errors PyTorch raises.
    for op in division:
        c.add(f"error_{op}_int64_by_zero", op, [torch.tensor([1, 2, 3]), torch.tensor([1, 0, 1])])
    c.add("error_div_floor_int32_scalar_zero", "div_floor", [torch.tensor([1, 2], dtype=torch.int32), 0])
    c.add("error_remainder_uint8_by_zero", "remainder", [torch.tensor([1, 2], dtype=torch.uint8), torch.tensor([0, 1], dtype=torch.uint8)])
    c.add("div_floor_float_by_zero", "div_floor", [torch.tensor([1.0, -1.0, 0.0]), torch.tensor([0.0, 0.0, 0.0])])
    c.add("remainder_float_by_zero", "remainder", [torch.tensor([1.0, -1.0, 0.0]), 0.0])
    for op in division + ("pow",):
        c.add(f"error_{op}_bool", op, [torch.tensor([True, False]), torch.tensor([True, True])])
    c.add("error_pow_int_negative_scalar", "pow", [torch.tensor([2, 3]), -1])
    c.add("error_pow_int32_negative_scalar", "pow", [torch.tensor([2, 3], dtype=torch.int32), -2])
    c.add("error_hypot_int64", "hypot", [torch.tensor([3, 4]), torch.tensor([4, 3])])
    for op in ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift"):
        c.add(f"error_{op}_float32", op, [randn([3]), randn([3])])
    c.add("error_bitwise_left_shift_bool", "bitwise_left_shift", [torch.tensor([True]), torch.tensor([True])])
    c.add("error_remainder_shape_mismatch", "remainder", [randn([2, 3]), randn([4])])
    c.add("error_maximum_shape_mismatch", "maximum", [randn([2]), randn([3])])
    # In-place forms.
    c.add("remainder_inplace_int64", "remainder", [randint([2, 3], "int64"), nonzero_int([3], "int64")], in_place=True)
    c.add("error_remainder_inplace_int_float", "remainder", [randint([3], "int64"), 2.5], in_place=True)
    c.add("fmod_inplace_float32_transposed", "fmod", [randn([3, 2], scale=4.0), randn([3])], permute_first=[1, 0],
          in_place=True)
    c.add("pow_inplace_float32", "pow", [randn([4]).abs(), 2.5], in_place=True)
    c.add("error_pow_inplace_broadcast", "pow", [randn([3]), randn([2, 3])], in_place=True)
    c.add("div_floor_inplace_int32", "div_floor", [randint([5], "int32"), nonzero_int([5], "int32")], in_place=True)
    c.add("div_trunc_inplace_float64", "div_trunc", [randn([5], "float64", scale=5.0), randn([5], "float64")], in_place=True)
    c.add("error_div_trunc_inplace_int_float", "div_trunc", [randint([3], "int64"), randn([3])], in_place=True)
    c.add("floor_divide_inplace_float32", "floor_divide", [randn([5], scale=5.0), 0.7], in_place=True)
    c.add("atan2_inplace_float64", "atan2", [randn([4], "float64"), randn([4], "float64")], in_place=True)
    c.add("hypot_inplace_float32", "hypot", [randn([4]), randn([4])], in_place=True)
    c.add("copysign_inplace_float32", "copysign", [randn([4]), randn([1])], in_place=True)
    c.add("bitwise_and_inplace_int16", "bitwise_and", [randint([5], "int16"), randint([5], "int16")], in_place=True)
    c.add("bitwise_or_inplace_bool", "bitwise_or", [torch.tensor([True, False, False]), torch.tensor([False, False, True])],
          in_place=True)
    c.add("bitwise_xor_inplace_uint8", "bitwise_xor", [randint([5], "uint8"), 255], in_place=True)
    c.add("bitwise_left_shift_inplace_int64", "bitwise_left_shift", [randint([5], "int64"), 2], in_place=True)
    c.add("bitwise_right_shift_inplace_int8", "bitwise_right_shift", [randint([5], "int8"), 1], in_place=True)
    c.add("logical_and_inplace_float32", "logical_and", [randn([5]), torch.tensor([1.0, 0.0, 2.0, 0.0, -1.0])],
          in_place=True)
    c.add("logical_or_inplace_int32", "logical_or", [torch.tensor([0, 5, 0], dtype=torch.int32), torch.tensor([0, 0, 3])],
          in_place=True)
    c.add("logical_xor_inplace_bool", "logical_xor", [torch.tensor([True, False, True]), torch.tensor([True, True, False])],
          in_place=True)
    # where.
    cond = randint([2, 3], "bool")
    for da, db in (("float32", "float32"), ("int32", "float32"), ("int64", "int8"), ("bool", "bool"),
                   ("float16", "bfloat16"), ("uint8", "int8"), ("float64", "float16")):
        c.add(f"where_{da}_{db}", "where", [cond, sample([2, 3], da), sample([2, 3], db)])
    c.add("where_broadcast_3x1_1x4", "where", [randint([3, 1], "bool"), randn([1, 4]), randn([3, 4])])
    c.add("where_broadcast_cond_4", "where", [randint([4], "bool"), randn([2, 3, 4]), randn([3, 1])])
    c.add("where_scalar_b", "where", [cond, randint([2, 3], "int64"), 2.5])
    c.add("where_scalar_a_int32", "where", [cond, 7, randint([2, 3], "int32")])
    c.add("where_scalars_both", "where", [cond, 1, 0])
    c.add("where_zerodim_b", "where", [cond, randint([2, 3], "int16"), torch.tensor(5)])
    c.add("where_transposed_cond", "where", [randint([3, 2], "bool"), randn([2, 3]), randn([2, 3])], permute_first=[1, 0])
    c.add("where_empty", "where", [randint([0, 3], "bool"), randn([0, 3]), randn([3])])
    c.add("where_special_values", "where", [randint([10], "bool"), specials(), specials().flip(0)])
    c.add("error_where_cond_int64", "where", [torch.tensor([1, 0]), randn([2]), randn([2])])
    c.add("error_where_cond_float", "where", [torch.tensor([1.0, 0.0]), randn([2]), randn([2])])
    c.add("error_where_shape_mismatch", "where", [randint([2], "bool"), randn([3]), randn([3])])
    # lerp.
    for dt in ("float32", "float64"):
        c.add(f"lerp_{dt}", "lerp", [randn([2, 3], dt), randn([2, 3], dt), randn([2, 3], dt)])
        c.add(f"lerp_scalar_{dt}", "lerp", [randn([5], dt), randn([5], dt)], value=0.3)
        c.add(f"lerp_scalar_high_{dt}", "lerp", [randn([5], dt), randn([5], dt)], value=0.75)
    c.add("lerp_weights_around_half", "lerp", [randn([6]), randn([6]), torch.tensor([0.0, 0.49, 0.5, 0.51, 1.0, -0.5])])
    c.add("lerp_broadcast", "lerp", [randn([3, 1]), randn([1, 4]), randn([4])])
    c.add("lerp_transposed", "lerp", [randn([4, 3]), randn([3, 4]), randn([3, 4])], permute_first=[1, 0])
    c.add("lerp_special_values", "lerp", [specials(), specials().flip(0), torch.full([10], 0.25)])
    c.add("lerp_inplace_float32", "lerp", [randn([2, 3]), randn([3]), randn([2, 3])], in_place=True)
    c.add("lerp_scalar_inplace_float64", "lerp", [randn([4], "float64"), randn([4], "float64")], value=0.6, in_place=True)
    c.add("error_lerp_inplace_broadcast", "lerp", [randn([3]), randn([2, 3]), randn([3])], in_place=True)
    c.add("error_lerp_int64", "lerp", [randint([3], "int64"), randint([3], "int64")], value=0.5)
    c.add("error_lerp_end_dtype", "lerp", [randn([3]), randn([3], "float64")], value=0.5)
    c.add("error_lerp_weight_dtype", "lerp", [randn([3]), randn([3]), randn([3], "float64")])
    c.add("lerp_float16", "lerp", [randn([5], "float16"), randn([5], "float16"), randn([5], "float16")])
    c.add("lerp_scalar_float16", "lerp", [randn([5], "float16"), randn([5], "float16")], value=0.3)
    c.add("lerp_bfloat16", "lerp", [randn([5], "bfloat16"), randn([5], "bfloat16"), randn([5], "bfloat16")])
    c.add("lerp_scalar_bfloat16", "lerp", [randn([5], "bfloat16"), randn([5], "bfloat16")], value=0.3)
    # addcmul / addcdiv.
    for dt in ("float32", "float64", "float16", "bfloat16"):
        c.add(f"addcmul_{dt}", "addcmul", [randn([2, 3], dt), randn([2, 3], dt), randn([2, 3], dt)], value=0.5)
        c.add(f"addcdiv_{dt}", "addcdiv", [randn([2, 3], dt), randn([2, 3], dt), randn([2, 3], dt)], value=-1.5)
    for dt in ("int64", "int32", "uint8", "int8"):
        c.add(f"addcmul_{dt}", "addcmul", [sample([5], dt), sample([5], dt), sample([5], dt)], value=2)
    c.add("addcmul_int64_float_value", "addcmul", [randint([3], "int64"), randint([3], "int64"), randint([3], "int64")],
          value=2.5)
    c.add("addcmul_broadcast_mixed", "addcmul", [randn([3, 1]), randint([4], "int32"), randn([3, 4], "float64")], value=1)
    c.add("addcdiv_broadcast_int_float", "addcdiv", [randint([3, 1], "int64"), randint([1, 4], "int32"), randn([4])],
          value=2)
    c.add("addcdiv_by_zero", "addcdiv", [randn([3]), torch.tensor([1.0, 0.0, -1.0]), torch.tensor([0.0, 0.0, 0.0])], value=1)
    c.add("addcmul_transposed", "addcmul", [randn([4, 3]), randn([3, 4]), randn([4])], value=-2, permute_first=[1, 0])
    c.add("addcmul_inplace_float32", "addcmul", [randn([2, 3]), randn([3]), randn([2, 1])], value=0.25, in_place=True)
    c.add("addcdiv_inplace_float64", "addcdiv", [randn([3], "float64"), randn([3], "float64"), randn([3], "float64")],
          value=3, in_place=True)
    c.add("error_addcmul_inplace_int_float", "addcmul", [randint([3], "int64"), randn([3]), randn([3])], value=1,
          in_place=True)
    c.add("error_addcdiv_int_int", "addcdiv", [randn([3]), randint([3], "int64"), randint([3], "int64")], value=1)
    c.add("error_addcmul_bool", "addcmul", [randint([3], "bool"), randint([3], "bool"), randint([3], "bool")], value=1)
    c.add("error_addcmul_shape_mismatch", "addcmul", [randn([3]), randn([2]), randn([3])], value=1)
    # masked_fill.
    mask = randint([2, 3], "bool")
    for dt in ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"):
        c.add(f"masked_fill_{dt}", "masked_fill", [sample([2, 3], dt), mask], value=3)
    c.add("masked_fill_float_value_int_tensor", "masked_fill", [randint([2, 3], "int64"), mask], value=5.7)
    c.add("masked_fill_nan", "masked_fill", [randn([2, 3]), mask], value=float("nan"))
    c.add("masked_fill_neg_inf", "masked_fill", [randn([2, 3]), mask], value=float("-inf"))
    c.add("masked_fill_bool_value", "masked_fill", [randn([2, 3]), mask], value=True)
    c.add("masked_fill_broadcast_mask", "masked_fill", [randn([2, 3, 4]), randint([3, 1], "bool")], value=-1.0)
    c.add("masked_fill_broadcast_input", "masked_fill", [randn([3]), randint([2, 3], "bool")], value=0.5)
    c.add("masked_fill_transposed", "masked_fill", [randn([3, 2]), mask], value=9, permute_first=[1, 0])
    c.add("masked_fill_empty", "masked_fill", [randn([0, 3]), randint([3], "bool")], value=1)
    c.add("masked_fill_tensor_value", "masked_fill", [randn([2, 3]), mask, torch.tensor(2.5, dtype=torch.float64)])
    c.add("masked_fill_tensor_value_int", "masked_fill", [randint([2, 3], "int32"), mask, torch.tensor(7)])
    c.add("masked_fill_inplace", "masked_fill", [randn([2, 3]), randint([3], "bool")], value=-2.0, in_place=True)
    c.add("masked_fill_inplace_tensor_value", "masked_fill", [randint([2, 3], "int64"), mask, torch.tensor(4)],
          in_place=True)
    c.add("error_masked_fill_inplace_broadcast", "masked_fill", [randn([3]), randint([2, 3], "bool")], value=0.0,
          in_place=True)
    c.add("error_masked_fill_value_1d", "masked_fill", [randn([2, 3]), mask, torch.tensor([1.0])])
    c.add("error_masked_fill_shape_mismatch", "masked_fill", [randn([3]), randint([4], "bool")], value=1.0)
    # Long enough for the vector loops' full blocks and a tail at every ISA (16 floats a block at
    # avx512): a random condition or mask per element, NaNs among the fmax/fmin operands on either
    # side and both. Drawn last so the cases above keep their inputs.
    long_cond = randint([101], "bool")
    for dt in ("float32", "float64", "float16", "int8", "int64"):
        c.add(f"where_long_{dt}", "where", [long_cond, sample([101], dt), sample([101], dt)])
    for dt in ("float32", "float64", "int16", "bool"):
        c.add(f"masked_fill_long_{dt}", "masked_fill", [sample([101], dt), long_cond], value=-4)
    for dt in ("float32", "float64"):
        a, b = randn([101], dt, scale=3.0), randn([101], dt, scale=3.0)
        a[::3], b[::5] = float("nan"), float("nan")
        for op in ("fmax", "fmin", "maximum", "minimum"):
            c.add(f"{op}_long_nans_{dt}", op, [a, b])
    # float32 pow in vector lanes: negative bases with integer and non-integer exponents, and
    # results that overflow to inf or underflow to subnormals and 0.
    base = randn([101], "float32", scale=3.0)
    expo = torch.where(torch.rand(101) < 0.5, torch.randint(-7, 8, (101,)).float(), randn([101], "float32", scale=3.0))
    c.add("pow_long_float32", "pow", [base, expo])
    c.add("pow_long_range_float32", "pow", [torch.rand(101) * 50.0, (torch.rand(101) - 0.5) * 80.0])
    c.add("pow_long_float16", "pow", [randn([101], "float16", scale=2.0).abs(), randn([101], "float16", scale=2.0)])
    for op in ("fmax", "fmin"):
        a, b = grid(op, torch.float64)
        c.add(f"{op}_special_values_float64_all", op, [a, b])
    # float64 pow in vector lanes (cpu/vec_pow.h pow_f64), [101] for full blocks and a tail:
    # negative bases with integer (odd and even) and non-integer exponents; |y log|x|| up to ~760
    # (results that overflow, underflow to subnormals and to 0); bases within 1e-9 of 1 with
    # exponents to 1e10; subnormal and huge bases; and every pair of a wider set of special values
    # than pow_special_values_float64 (odd/even integers, 2^52 and 2^53 neighbours, +-0.5,
    # subnormals, 1 +- ulp, huge). Drawn after every case above, so those keep their inputs.
    f64 = torch.float64
    base = randn([101], "float64", scale=3.0)
    expo = torch.where(torch.rand(101) < 0.5, torch.randint(-9, 10, (101,)).double(), randn([101], "float64", scale=3.0))
    c.add("pow_long_float64", "pow", [base, expo])
    two52, two53 = 2.0 ** 52, 2.0 ** 53
    add_pow_sweeps(c, f64, "pow_long_range_float64", 1520.0, (2e-9, 2e10), (1480.0, 1e-20),
                   [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, float("inf"), float("-inf"),
                    float("nan"), two52, -two52, two52 + 1.0, -(two52 + 1.0), two53, two53 + 2.0, two52 - 0.5, 5e-324,
                    -5e-324, 1e308, -1e308, 1.0000000000000002, 0.9999999999999999, -0.9999999999999999, 1023.0,
                    -1075.0])
    # float32 pow in float lanes (cpu/vec_pow.h pow_f32), as for float64: |y log|x|| up to ~107
    # (overflow at 88.7, subnormal results below -87.3, 0 below -103.9), bases within 1e-5 of 1
    # with exponents to 1e7, subnormal to huge bases, and every pair of a wider set of special
    # values (odd/even integers, 2^23 and 2^24 neighbours, +-0.5, subnormals, 1 +- ulp, huge,
    # 2 ** -150 = half the smallest subnormal). Drawn after every case above, so those keep their
    # inputs.
    two23, two24 = 2.0 ** 23, 2.0 ** 24
    add_pow_sweeps(c, torch.float32, "pow_long_range_wide_float32", 215.0, (2e-5, 2e7), (190.0, 1e-10),
                   [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, float("inf"), float("-inf"),
                    float("nan"), two23, -two23, two23 + 1.0, -(two23 + 1.0), two24, two24 + 2.0, two23 - 0.5,
                    1.401298464324817e-45, -1.401298464324817e-45, 3e38, -3e38, 1.0000001192092896,
                    0.9999999403953552, -0.9999999403953552, 127.0, -149.0, -150.0, 128.0])
    write("binary_math.json", c.cases,
          description="Pointwise binary/ternary math: div rounding modes, floor_divide, remainder, fmod, pow, atan2, "
                      "hypot, maximum/minimum, fmax/fmin, copysign, bitwise, shifts, logical ops, where, lerp, "
                      "addcmul/addcdiv, masked_fill; in-place forms (in_place), scalar arguments (value), broadcasting, "
                      "mixed dtypes, Python scalars, special values, errors. abs_bound for lerp/addcmul/addcdiv.")
