#!/usr/bin/python3
"""Writes the PyTorch reference fixtures under tests/reference/fixtures/.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/generate.py

Every input is drawn here from a fixed torch seed and stored in the fixture next to the
value PyTorch computed from it, so the tests never regenerate anything. The output is
deterministic: running the script twice gives byte-identical files. The format is described
in tests/reference/README.md.
"""
import json
import math
import os
import struct
import sys
import sysconfig


def use_reference_blas():
    """Restarts the script with Debian's reference BLAS first on the library path.

    Debian's PyTorch calls whatever libblas.so.3 the loader finds: the reference BLAS, or
    OpenBLAS once libopenblas0 is installed (bench/ installs it), whose kernels round
    differently. The fixtures were generated with the reference BLAS; without this, matmul,
    conv and attention fixtures change in their last bits from one machine to the next."""
    folder = os.path.join("/usr/lib", sysconfig.get_config_var("MULTIARCH") or "", "blas")
    if os.environ.get("REFERENCE_BLAS_DIR") == folder:
        return
    if not os.path.exists(os.path.join(folder, "libblas.so.3")):
        print(f"note: {folder}/libblas.so.3 not found (apt-get install libblas3): BLAS-backed "
              "fixtures may differ from the committed ones in their last bits", file=sys.stderr)
        return
    env = dict(os.environ, REFERENCE_BLAS_DIR=folder,
               LD_LIBRARY_PATH=folder + os.pathsep + os.environ.get("LD_LIBRARY_PATH", ""))
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


if __name__ == "__main__":
    use_reference_blas()

import torch  # noqa: E402  (after the BLAS choice above)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
NAME_OF = {v: k for k, v in DTYPES.items()}
# What torch raises for invalid arguments (a shape, dim or dtype it rejects).
TORCH_ERRORS = (RuntimeError, IndexError)
FLOATS = ("float32", "float64", "float16", "bfloat16")
INTS = ("int64", "int32", "int16", "int8", "uint8")


# ---------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------

def enc_float(x):
    """A float as JSON: a number whose repr round-trips exactly, or a named string for the
    values JSON numbers cannot hold (System.Text.Json reads these spellings with
    JsonNumberHandling.AllowNamedFloatingPointLiterals)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def enc_tensor(t):
    """{"dtype", "shape", "data"}: data is row-major. float16/bfloat16 data are the raw
    uint16 bit patterns, so every value (NaN payloads included) is stored exactly."""
    t = t.detach().contiguous()
    name = NAME_OF[t.dtype]
    flat = t.reshape(-1)
    if name in ("float16", "bfloat16"):
        data = [v & 0xFFFF for v in flat.view(torch.int16).tolist()]
    elif name in ("float32", "float64"):
        data = [enc_float(v) for v in flat.tolist()]
    elif name == "bool":
        data = [1 if v else 0 for v in flat.tolist()]
    else:
        data = [int(v) for v in flat.tolist()]
    return {"dtype": name, "shape": list(t.shape), "data": data}


def enc_input(base, permute=None):
    """An operand: a contiguous tensor, optionally followed by a permute so that the op sees a
    non-contiguous view. Returns (json, the torch tensor the op is applied to)."""
    j = enc_tensor(base)
    if permute is None:
        return j, base
    j["permute"] = list(permute)
    return j, base.permute(*permute)


def enc_scalar(v):
    """A Python number operand (PyTorch's wrapped number)."""
    if isinstance(v, bool):
        return {"scalar": "bool", "value": 1 if v else 0}
    if isinstance(v, int):
        return {"scalar": "int", "value": v}
    return {"scalar": "float", "value": enc_float(v)}


def write(name, cases, **extra):
    doc = {
        "torch_version": torch.__version__,
        "generator": "tests/reference/generate.py",
    }
    doc.update(extra)
    doc["cases"] = cases
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name)
    with open(path, "w", encoding="utf-8") as f:
        # One case per line keeps diffs readable while staying compact.
        f.write("{\n")
        items = [(k, v) for k, v in doc.items() if k != "cases"]
        for k, v in items:
            f.write(f"  {json.dumps(k)}: {json.dumps(v, allow_nan=False)},\n")
        f.write('  "cases": [\n')
        for i, c in enumerate(cases):
            sep = "," if i + 1 < len(cases) else ""
            f.write("    " + json.dumps(c, allow_nan=False, separators=(",", ":")) + sep + "\n")
        f.write("  ]\n}\n")
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"{name}: duplicate case names {sorted(dup)}"
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


def seeded(seed):
    torch.manual_seed(seed)


def randn(shape, dtype="float32", scale=1.0):
    return (torch.randn(tuple(shape), dtype=torch.float64) * scale).to(DTYPES[dtype])


def randint(shape, dtype, low=-20, high=20):
    if dtype == "bool":
        return torch.randint(0, 2, tuple(shape)).to(torch.bool)
    if dtype == "uint8":
        low, high = max(low, 0), max(high, 1)
    return torch.randint(low, high, tuple(shape), dtype=torch.int64).to(DTYPES[dtype])


def sample(shape, dtype, **kw):
    return randn(shape, dtype, **kw) if dtype in FLOATS else randint(shape, dtype)


def shape_name(shape):
    return "x".join(str(s) for s in shape) if len(shape) else "scalar"


# ---------------------------------------------------------------------------------------
# Type promotion
# ---------------------------------------------------------------------------------------

def gen_promotion():
    cases = []
    names = list(DTYPES)
    for a in names:
        for b in names:
            r = torch.promote_types(DTYPES[a], DTYPES[b])
            ta, tb = torch.zeros(2, dtype=DTYPES[a]), torch.zeros(2, dtype=DTYPES[b])
            assert torch.result_type(ta, tb) == r
            cases.append({"name": f"promote_{a}_{b}", "inputs": [enc_tensor(ta), enc_tensor(tb)],
                          "result": NAME_OF[r]})
    # Dimensioned tensor with a 0-dim tensor: the 0-dim operand only wins across categories.
    for a in names:
        for b in names:
            ta, tb = torch.zeros(2, dtype=DTYPES[a]), torch.zeros((), dtype=DTYPES[b])
            r = torch.result_type(ta, tb)
            cases.append({"name": f"tensor_{a}_zerodim_{b}", "inputs": [enc_tensor(ta), enc_tensor(tb)],
                          "result": NAME_OF[r]})
    # Tensors (dimensioned or 0-dim) with Python scalars, on either side.
    scalars = {"int": 3, "float": 2.5, "bool": True}
    for a in names:
        for sk, sv in scalars.items():
            for shape, kind in (((2,), "tensor"), ((), "zerodim")):
                ta = torch.zeros(shape, dtype=DTYPES[a])
                r = torch.result_type(ta, sv)
                assert torch.result_type(sv, ta) == r
                cases.append({"name": f"{kind}_{a}_scalar_{sk}", "inputs": [enc_tensor(ta), enc_scalar(sv)],
                              "result": NAME_OF[r]})
                cases.append({"name": f"scalar_{sk}_{kind}_{a}", "inputs": [enc_scalar(sv), enc_tensor(ta)],
                              "result": NAME_OF[r]})
    write("promotion.json", cases,
          description="torch.promote_types / torch.result_type for tensor, 0-dim tensor and "
                      "Python scalar operands; the tests check the dtype of a * b.")


# ---------------------------------------------------------------------------------------
# Pointwise ops
# ---------------------------------------------------------------------------------------

def correctly_rounded(op, a, b, alpha, out_dtype):
    """The exactly rounded result of a float32/float16/bfloat16 op, computed in float64
    (53 >= 2*24+2 bits, so rounding the float64 result once more is innocuous). Used to prove
    that PyTorch's result is the IEEE one, which justifies an exact comparison in the tests."""
    a64 = a.to(out_dtype).double()
    b64 = b.to(out_dtype).double() if b is not None else None
    if op == "add":
        r = a64 + b64
    elif op == "sub":
        r = a64 - b64
    elif op == "mul":
        r = a64 * b64
    elif op == "div":
        r = a64 / b64
    elif op == "neg":
        r = -a64
    else:
        raise ValueError(op)
    return r.to(out_dtype)


def same_bits_or_nan(x, y):
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    xs, ys = x.reshape(-1).double(), y.reshape(-1).double()
    both_nan = torch.isnan(xs) & torch.isnan(ys)
    eq = (xs == ys) & (torch.signbit(xs) == torch.signbit(ys))
    return bool((both_nan | eq).all())


BINARY = {
    "add": lambda a, b, alpha: torch.add(a, b, alpha=alpha),
    "sub": lambda a, b, alpha: torch.sub(a, b, alpha=alpha),
    "mul": lambda a, b, alpha: torch.mul(a, b),
    "div": lambda a, b, alpha: torch.div(a, b),
    "eq": lambda a, b, alpha: torch.eq(a, b),
    "ne": lambda a, b, alpha: torch.ne(a, b),
    "lt": lambda a, b, alpha: torch.lt(a, b),
    "le": lambda a, b, alpha: torch.le(a, b),
    "gt": lambda a, b, alpha: torch.gt(a, b),
    "ge": lambda a, b, alpha: torch.ge(a, b),
}
UNARY = {"neg": torch.neg, "exp": torch.exp}


class Pointwise:
    def __init__(self):
        self.cases = []

    def binary(self, name, op, a, b, alpha=None, permute_a=None):
        """a is a tensor; b a tensor or a Python scalar (a wrapped number)."""
        ja, ta = enc_input(a, permute_a)
        jb = enc_scalar(b) if not isinstance(b, torch.Tensor) else enc_tensor(b)
        case = {"name": name, "op": op, "inputs": [ja, jb]}
        if op in ("add", "sub"):
            alpha = 1 if alpha is None else alpha
            case["alpha"] = enc_scalar(alpha)
        try:
            r = BINARY[op](ta, b, alpha)
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            self.cases.append(case)
            return
        case["expected"] = enc_tensor(r)
        self._check_exact(op, ta, b, alpha, r)
        if op in ("add", "sub") and r.is_floating_point() and alpha != 1:
            # a + alpha*b may be fused (one rounding) or not (two): the tests allow the
            # difference, bounded by |a| + |alpha*b| (see tolerance in the C++ tests).
            bb = b if isinstance(b, torch.Tensor) else torch.tensor(b)
            case["abs_bound"] = enc_tensor((ta.double().abs() + (bb.double() * float(alpha)).abs())
                                           .expand(r.shape).contiguous())
        self.cases.append(case)

    def unary(self, name, op, a, permute_a=None):
        ja, ta = enc_input(a, permute_a)
        case = {"name": name, "op": op, "inputs": [ja]}
        try:
            r = UNARY[op](ta)
        except TORCH_ERRORS as e:
            if op == "exp" and ta.dtype == torch.float16 and "not implemented" in str(e):
                # PyTorch 1.13 has no CPU float16 exp kernel (a gap, not a rule): take its
                # float32 exp rounded to float16, which is what later PyTorch versions compute.
                r = torch.exp(ta.float()).half()
                case["reference_note"] = "torch.exp(x.float()).half(): torch 1.13 has no CPU float16 exp"
            else:
                case["error"] = str(e).splitlines()[0]
                self.cases.append(case)
                return
        case["expected"] = enc_tensor(r)
        self._check_exact(op, ta, None, None, r)
        self.cases.append(case)

    @staticmethod
    def _check_exact(op, a, b, alpha, r):
        # The C++ tests compare add/sub (alpha 1), mul, div and neg exactly. Prove here that
        # PyTorch's answer is the correctly rounded one, so exactness is the right demand.
        if op not in ("add", "sub", "mul", "div", "neg") or r.dtype not in (torch.float32, torch.float16, torch.bfloat16):
            return
        if op in ("add", "sub") and alpha != 1:
            return
        bt = None
        if b is not None:
            bt = b if isinstance(b, torch.Tensor) else torch.tensor(b)
        cr = correctly_rounded(op, a, bt, alpha, r.dtype)
        assert same_bits_or_nan(cr.expand(r.shape), r), f"{op}: PyTorch is not correctly rounded here"


def gen_pointwise():
    seeded(1)
    p = Pointwise()
    # Same-shape float ops in each float dtype, and broadcasting patterns.
    for dt in FLOATS:
        for op in ("add", "sub", "mul", "div"):
            p.binary(f"{op}_{dt}_2x3", op, randn([2, 3], dt), randn([2, 3], dt))
        p.binary(f"add_alpha_{dt}", "add", randn([2, 3], dt), randn([2, 3], dt), alpha=2.5)
        p.binary(f"sub_alpha_{dt}", "sub", randn([2, 3], dt), randn([2, 3], dt), alpha=-0.75)
        p.unary(f"neg_{dt}", "neg", randn([7], dt))
        p.unary(f"exp_{dt}", "exp", randn([9], dt, scale=3.0))
    for op in ("add", "sub", "mul", "div"):
        p.binary(f"{op}_broadcast_3x1_1x4", op, randn([3, 1]), randn([1, 4]))
        p.binary(f"{op}_broadcast_2x3x4_4", op, randn([2, 3, 4]), randn([4]))
        p.binary(f"{op}_broadcast_4_2x3x4", op, randn([4]), randn([2, 3, 4]))
        p.binary(f"{op}_zerodim_rhs", op, randn([2, 3]), randn([]))
        p.binary(f"{op}_zerodim_both", op, randn([]), randn([]))
        p.binary(f"{op}_empty_0x3_1x3", op, randn([0, 3]), randn([1, 3]))
        p.binary(f"{op}_empty_2x0_1", op, randn([2, 0]), randn([1]))
        p.binary(f"{op}_transposed_lhs", op, randn([4, 3]), randn([4]), permute_a=[1, 0])
    p.binary("add_alpha_broadcast_3x1_1x4", "add", randn([3, 1]), randn([1, 4]), alpha=-2)
    p.binary("add_alpha_int32", "add", randint([2, 3], "int32"), randint([2, 3], "int32"), alpha=3)
    p.binary("sub_alpha_int64", "sub", randint([5], "int64"), randint([5], "int64"), alpha=-4)
    p.binary("add_bool_bool", "add", randint([6], "bool"), randint([6], "bool"))
    p.binary("mul_bool_bool", "mul", randint([6], "bool"), randint([6], "bool"))
    # Integer ops in every integer dtype (values small enough not to overflow).
    for dt in INTS:
        for op in ("add", "sub", "mul"):
            p.binary(f"{op}_{dt}", op, randint([2, 5], dt), randint([2, 5], dt))
        p.binary(f"div_{dt}_true_division", "div", randint([2, 5], dt), randint([2, 5], dt, 1, 9))
        p.unary(f"neg_{dt}", "neg", randint([6], dt))
        p.unary(f"exp_{dt}", "exp", randint([6], dt, -5, 5))
    p.unary("neg_int8_min_wraps", "neg", torch.tensor([-128, 127, 0], dtype=torch.int8))
    p.unary("neg_uint8_wraps", "neg", torch.tensor([0, 1, 200, 255], dtype=torch.uint8))
    p.unary("exp_bool", "exp", torch.tensor([True, False]))
    # Mixed dtypes.
    mixes = [("int32", "float32"), ("float32", "int32"), ("uint8", "int8"), ("bool", "int32"),
             ("int64", "bool"), ("float16", "bfloat16"), ("bfloat16", "float32"), ("float16", "float64"),
             ("int16", "uint8"), ("int8", "float16"), ("int64", "float32"), ("bool", "float64")]
    for da, db in mixes:
        for op in ("add", "mul", "div", "lt"):
            p.binary(f"{op}_{da}_{db}", op, sample([2, 3], da), sample([3], db))
    p.binary("div_int32_int32_to_float", "div", torch.tensor([7, -7, 1, 100], dtype=torch.int32),
             torch.tensor([2, 2, 3, -7], dtype=torch.int32))
    p.binary("div_int64_by_zero", "div", torch.tensor([1, -1, 0, 5]), torch.tensor([0, 0, 0, 0]))
    p.binary("div_uint8_by_zero", "div", torch.tensor([1, 0], dtype=torch.uint8), torch.tensor([0, 0], dtype=torch.uint8))
    # Python scalar operands (wrapped numbers).
    for dt, sv in (("float32", 2.5), ("float32", 3), ("int32", 2.5), ("int32", 3), ("int32", True),
                   ("uint8", 300), ("float16", 1.1), ("bfloat16", -3), ("bool", 2), ("bool", 0.5),
                   ("int64", -7), ("float64", 1e-3)):
        for op in ("add", "mul", "div", "sub", "gt", "eq"):
            p.binary(f"{op}_{dt}_scalar_{type(sv).__name__}_{str(sv).replace('.', 'p').replace('-', 'm')}",
                     op, sample([5], dt), sv)
    p.binary("add_int32_scalar_alpha", "add", randint([4], "int32"), 5, alpha=2)
    p.binary("add_float32_scalar_alpha", "add", randn([4]), 1.5, alpha=0.25)
    # Special float values.
    nan, inf = float("nan"), float("inf")
    specials = torch.tensor([0.0, -0.0, 1.0, -1.0, inf, -inf, nan, 1e-45, -3e38, 3e38], dtype=torch.float32)
    sa = specials.repeat_interleave(10)
    sb = specials.repeat(10)
    for op in ("add", "sub", "mul", "div", "eq", "ne", "lt", "le", "gt", "ge"):
        p.binary(f"{op}_special_values_float32", op, sa, sb)
    p.binary("add_special_values_float64", "add", sa.double(), sb.double())
    p.binary("div_special_values_float64", "div", sa.double(), sb.double())
    p.binary("mul_special_values_float16", "mul", sa.half(), sb.half())
    p.binary("div_special_values_bfloat16", "div", sa.bfloat16(), sb.bfloat16())
    p.unary("neg_special_values_float32", "neg", specials)
    p.unary("neg_special_values_float16", "neg", specials.half())
    p.binary("add_overflow_to_inf_float32", "add", torch.tensor([3e38, -3e38]), torch.tensor([3e38, -3e38]))
    p.binary("mul_overflow_to_inf_float16", "mul", torch.tensor([300.0, -300.0]).half(), torch.tensor([300.0, 300.0]).half())
    p.binary("div_one_by_zero_float32", "div", torch.tensor([1.0, -1.0, 0.0, 1.0]), torch.tensor([0.0, 0.0, 0.0, -0.0]))
    # exp overflow / underflow boundaries.
    p.unary("exp_limits_float32", "exp", torch.tensor(
        [88.0, 88.72, 88.73, 89.0, 1000.0, -87.0, -87.4, -100.0, -103.0, -103.97, -104.0, -1000.0,
         0.0, -0.0, 1.0, inf, -inf, nan, 1e-8, -1e-8]))
    p.unary("exp_limits_float64", "exp", torch.tensor(
        [709.0, 709.78, 709.79, -708.0, -740.0, -745.0, -746.0, 0.0, inf, -inf, nan], dtype=torch.float64))
    p.unary("exp_limits_float16", "exp", torch.tensor([11.0, 11.09, 11.1, 12.0, -9.0, -15.0, -17.0, -18.0, inf, -inf, nan]).half())
    p.unary("exp_limits_bfloat16", "exp", torch.tensor([88.0, 89.0, -90.0, -120.0, 0.5, inf, nan]).bfloat16())
    p.unary("exp_zerodim", "exp", randn([]))
    p.unary("exp_empty", "exp", randn([0, 2]))
    p.unary("exp_transposed", "exp", randn([3, 4]), permute_a=[1, 0])
    p.unary("exp_many_float32", "exp", torch.linspace(-100.0, 88.0, 301))
    p.unary("neg_transposed", "neg", randn([3, 4]), permute_a=[1, 0])
    # Comparisons: broadcasting, integer vs float, unsigned vs signed.
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        p.binary(f"{op}_broadcast_3x1_1x4_int32", op, randint([3, 1], "int32", -2, 2), randint([1, 4], "int32", -2, 2))
        p.binary(f"{op}_uint8_int8_edges", op, torch.tensor([200, 0, 5], dtype=torch.uint8), torch.tensor([-1, 0, 5], dtype=torch.int8))
        p.binary(f"{op}_int64_scalar_float", op, torch.tensor([1, 2, 3]), 2.0)
        p.binary(f"{op}_float32_scalar_int", op, torch.tensor([1.5, 2.0, 2.5]), 2)
        p.binary(f"{op}_bool_bool", op, torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False]))
    # What PyTorch rejects.
    p.binary("error_add_shape_mismatch", "add", randn([2, 3]), randn([4]))
    p.binary("error_mul_shape_mismatch", "mul", randn([2, 3]), randn([3, 2]))
    p.binary("error_sub_bool_bool", "sub", randint([3], "bool"), randint([3], "bool"))
    p.binary("error_add_int_float_alpha", "add", randint([3], "int32"), randint([3], "int32"), alpha=1.5)
    p.binary("error_eq_shape_mismatch", "eq", randn([2]), randn([3]))
    p.unary("error_neg_bool", "neg", randint([3], "bool"))
    write("pointwise.json", p.cases,
          description="add/sub (alpha), mul, div, neg, exp and comparisons: broadcasting, mixed "
                      "dtypes, Python scalars, special values, errors.")


# ---------------------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------------------

def gen_reduce():
    seeded(2)
    cases = []

    def add(name, op, x, dims, keepdim, permute=None):
        jx, tx = enc_input(x, permute)
        case = {"name": name, "op": op, "input": jx, "dims": dims, "keepdim": keepdim}
        fn = torch.sum if op == "sum" else torch.mean
        try:
            r = fn(tx, dim=dims, keepdim=keepdim) if dims is not None else fn(tx)
            if keepdim and dims is None:
                raise AssertionError("keepdim needs dims")
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(r)
        if r.is_floating_point():
            # Sum of |x| over the reduced elements (and its mean for mean): bounds the rounding
            # error of any summation order; the tests scale it by the count and epsilon.
            a = tx.double().abs()
            bound = a.sum(dim=dims, keepdim=keepdim) if dims is not None else a.sum()
            n = tx.numel() if dims is None else math.prod(tx.shape[d] for d in dims) if dims else tx.numel()
            if op == "mean" and n > 0:
                bound = bound / n
            case["abs_bound"] = enc_tensor(bound)
            case["count"] = int(n)
        cases.append(case)

    for op in ("sum", "mean"):
        x = randn([2, 3, 4])
        add(f"{op}_all", op, x, None, False)
        add(f"{op}_dim0", op, x, [0], False)
        add(f"{op}_dim1_keepdim", op, x, [1], True)
        add(f"{op}_dim_neg1", op, x, [-1], False)
        add(f"{op}_dims_0_2", op, x, [0, 2], False)
        add(f"{op}_dims_neg1_0_keepdim", op, x, [-1, 0], True)
        add(f"{op}_dims_all_listed", op, x, [0, 1, 2], False)
        add(f"{op}_dims_all_keepdim", op, x, [0, 1, 2], True)
        add(f"{op}_float64_dim1", op, randn([3, 5], "float64"), [1], False)
        add(f"{op}_float16_all", op, randn([50], "float16"), None, False)
        add(f"{op}_float16_dim0", op, randn([6, 5], "float16"), [0], False)
        add(f"{op}_bfloat16_all", op, randn([50], "bfloat16"), None, False)
        add(f"{op}_bfloat16_dim1", op, randn([5, 6], "bfloat16"), [1], True)
        add(f"{op}_transposed_dim0", op, randn([4, 6]), [0], False, permute=[1, 0])
        add(f"{op}_transposed_all", op, randn([4, 6]), None, False, permute=[1, 0])
        add(f"{op}_permuted_dims_1_2", op, randn([3, 4, 5]), [1, 2], False, permute=[2, 0, 1])
        add(f"{op}_empty_all", op, randn([0, 3]), None, False)
        add(f"{op}_empty_dim0", op, randn([0, 3]), [0], False)
        add(f"{op}_empty_dim1", op, randn([0, 3]), [1], True)
        add(f"{op}_zerodim", op, randn([]), None, False)
        add(f"{op}_long_row_float32", op, randn([2, 1000]), [1], False)
        add(f"{op}_long_column_float32", op, randn([1000, 3]), [0], False)
        add(f"{op}_special_values", op, torch.tensor([[1.0, float("inf")], [float("nan"), 2.0], [-float("inf"), float("inf")]]), [1], False)
        for dt in INTS + ("bool",):
            add(f"{op}_{dt}_all", op, randint([3, 4], dt), None, False)
            add(f"{op}_{dt}_dim1", op, randint([3, 4], dt), [1], False)
        add(f"error_{op}_dim_out_of_range", op, randn([2, 3]), [2], False)
        add(f"error_{op}_dim_repeated", op, randn([2, 3]), [0, -2], False)
    add("sum_int64_large_values", "sum", torch.tensor([2**40, 2**41, -(2**39)]), None, False)
    add("sum_uint8_no_wrap", "sum", torch.full((4,), 200, dtype=torch.uint8), None, False)
    # Layouts whose dims do not merge: two kept dims walked with a carry (rows of an inner
    # reduction), and more column rows than one block of the column kernel (128) over two
    # reduced dims; many short rows.
    for op in ("sum", "mean"):
        add(f"{op}_rows_two_kept_dims", op, randn([3, 5, 7]), [-1], False, permute=[1, 0, 2])
        add(f"{op}_columns_two_reduced_dims", op, randn([13, 30, 9]), [0, 1], False, permute=[1, 0, 2])
        add(f"{op}_columns_strided_outputs", op, randn([20, 9, 40]), [0, 2], True, permute=[2, 1, 0])
        add(f"{op}_many_rows_of_64", op, randn([300, 64]), [1], False)
    write("reduce.json", cases,
          description="sum and mean over all dims, single dims, dim lists, negative dims, keepdim, "
                      "integer/bool inputs, half types, empty and non-contiguous inputs.")


# ---------------------------------------------------------------------------------------
# Matmul
# ---------------------------------------------------------------------------------------

def gen_matmul():
    seeded(3)
    cases = []

    def add(name, a, b, pa=None, pb=None):
        ja, ta = enc_input(a, pa)
        jb, tb = enc_input(b, pb)
        case = {"name": name, "inputs": [ja, jb]}
        try:
            if ta.dtype in (torch.float16, torch.bfloat16) and ta.dtype == tb.dtype:
                # Debian's torch 1.13 (generic BLAS) has no CPU float16 matmul, and its bfloat16
                # matmul rounds every partial sum to bfloat16 (errors of several ulps). The
                # reference is PyTorch's float32 matmul rounded once to the 16-bit type, which is
                # what PyTorch's accumulate-in-float32 paths (oneDNN, later versions) compute.
                r = torch.matmul(ta.float(), tb.float()).to(ta.dtype)
                case["reference_note"] = "torch.matmul(a.float(), b.float()).to(dtype): float32 accumulation"
            else:
                r = torch.matmul(ta, tb)
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(r)
        if r.is_floating_point():
            # |A| @ |B| bounds the rounding error of any order of the K-term dot products.
            case["abs_bound"] = enc_tensor(torch.matmul(ta.double().abs(), tb.double().abs()))
            case["count"] = int(ta.shape[-1])
        cases.append(case)

    add("dot_1d_1d", randn([5]), randn([5]))
    add("mm_2d_2d", randn([3, 4]), randn([4, 5]))
    add("mv_1d_2d", randn([4]), randn([4, 3]))
    add("mv_2d_1d", randn([3, 4]), randn([4]))
    add("bmm_3d_2d", randn([2, 3, 4]), randn([4, 5]))
    add("bmm_2d_3d", randn([3, 4]), randn([2, 4, 5]))
    add("bmm_3d_3d", randn([2, 3, 4]), randn([2, 4, 5]))
    add("bmm_broadcast_batch", randn([2, 1, 3, 4]), randn([3, 4, 2]))
    add("bmm_broadcast_both", randn([2, 1, 3, 4]), randn([1, 5, 4, 2]))
    add("bmm_1d_3d", randn([4]), randn([2, 4, 3]))
    add("bmm_3d_1d", randn([2, 3, 4]), randn([4]))
    add("mm_lhs_transposed", randn([4, 3]), randn([4, 5]), pa=[1, 0])
    add("mm_rhs_transposed", randn([3, 4]), randn([5, 4]), pb=[1, 0])
    add("mm_both_transposed", randn([4, 3]), randn([5, 4]), pa=[1, 0], pb=[1, 0])
    add("bmm_permuted_batch", randn([3, 2, 4]), randn([2, 4, 5]), pa=[1, 0, 2])
    add("mm_float64", randn([3, 6], "float64"), randn([6, 2], "float64"))
    add("bmm_float64", randn([2, 3, 6], "float64"), randn([6, 2], "float64"))
    add("mm_bfloat16", randn([3, 8], "bfloat16"), randn([8, 4], "bfloat16"))
    add("bmm_bfloat16", randn([2, 3, 16], "bfloat16"), randn([16, 5], "bfloat16"))
    add("mm_float16", randn([4, 8], "float16"), randn([8, 3], "float16"))
    add("mv_float16", randn([5, 7], "float16"), randn([7], "float16"))
    add("mm_int64", randint([3, 4], "int64"), randint([4, 2], "int64"))
    add("dot_int64", randint([6], "int64"), randint([6], "int64"))
    add("bmm_int64", randint([2, 3, 4], "int64"), randint([4, 2], "int64"))
    add("mm_k0", randn([3, 0]), randn([0, 4]))
    add("dot_k0", randn([0]), randn([0]))
    add("mm_m0", randn([0, 3]), randn([3, 4]))
    add("mm_larger_float32", randn([33, 70]), randn([70, 17]))
    add("mm_larger_float64", randn([17, 65], "float64"), randn([65, 9], "float64"))
    add("mm_1x1", randn([1, 1]), randn([1, 1]))
    add("error_mm_inner_mismatch", randn([3, 4]), randn([5, 6]))
    add("error_dot_size_mismatch", randn([3]), randn([4]))
    add("error_zerodim_operand", randn([]), randn([3]))
    add("error_batch_not_broadcastable", randn([2, 3, 4]), randn([3, 4, 5]))
    add("error_dtype_mismatch", randn([2, 2]), randn([2, 2], "float64"))
    write("matmul.json", cases,
          description="matmul: 1-D/2-D/batched operands, broadcast batch dims, transposed operands, "
                      "float32/float64/bfloat16/int64, K=0 and errors.")


# ---------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------

def f32_from_bits(bits):
    return torch.tensor(bits, dtype=torch.int64).to(torch.int32).view(torch.float32)


def gen_convert():
    seeded(4)
    cases = []

    def add(name, x, dtype):
        y = x.to(DTYPES[dtype])
        cases.append({"name": name, "input": enc_tensor(x), "dtype": dtype, "expected": enc_tensor(y)})

    nan, inf = float("nan"), float("inf")
    # float32 -> float16: exact, rounding ties, largest finite, overflow, subnormals, NaN.
    h_edges = [0.0, -0.0, 1.0, -1.0, 65504.0, 65519.0, 65519.996, 65520.0, 1e5, -1e5, inf, -inf, nan,
               2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0000001, 3 * 2.0 ** -25, 2.0 ** -26,
               1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 1 + 2.0 ** -11 + 2.0 ** -20, 2049.0, 2051.0,
               1e-45, 0.1, 1 / 3, 6.1e-5, 6.09e-5]
    bf_edges = [0.0, -0.0, 1.0, -1.0, 3.3895314e38, 3.3961e38, 3.4028235e38, inf, -inf, nan,
                1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -8 + 2.0 ** -20, 257.0, 259.0, 1e-45,
                1.1754942e-38, 1.1754944e-38, 0.1, 1 / 3, -2.5e-40]
    mags = torch.exp(torch.empty(1200, dtype=torch.float64).uniform_(-110.0, 95.0))
    signs = torch.where(torch.rand(1200) < 0.5, -1.0, 1.0).double()
    many = (mags * signs).float()
    raw_bits = torch.randint(-(2**31), 2**31, (1200,), dtype=torch.int64)
    random_bits = f32_from_bits(raw_bits.tolist())
    add("float32_to_float16_edges", torch.tensor(h_edges, dtype=torch.float32), "float16")
    add("float32_to_float16_many", many, "float16")
    add("float32_to_float16_random_bits", random_bits, "float16")
    add("float32_to_bfloat16_edges", torch.tensor(bf_edges, dtype=torch.float32), "bfloat16")
    add("float32_to_bfloat16_many", many, "bfloat16")
    add("float32_to_bfloat16_random_bits", random_bits, "bfloat16")
    # 16-bit patterns back to float32 (every 11th pattern covers each exponent and both signs;
    # the specials are added explicitly).
    pats = sorted(set(range(0, 65536, 11)) | {0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01,
                                            0x007F, 0x0080, 0x7F7F, 0x7F80, 0xFF80, 0x7FC0, 0x7F81})
    pt = torch.tensor(pats, dtype=torch.int32).to(torch.int16)
    add("float16_to_float32_patterns", pt.view(torch.float16), "float32")
    add("bfloat16_to_float32_patterns", pt.view(torch.bfloat16), "float32")
    add("float16_to_float64_patterns", pt[::5].view(torch.float16), "float64")
    add("float16_to_bfloat16", pt[::9].view(torch.float16), "bfloat16")
    add("bfloat16_to_float16", pt[::9].view(torch.bfloat16), "float16")
    # float64 -> float32: rounding, overflow, subnormal.
    add("float64_to_float32", torch.tensor([0.1, 1 / 3, 1 + 2.0 ** -24, 1 + 3 * 2.0 ** -24, 3.4028235677973366e38,
                                            3.5e38, 1e39, -1e39, 1e-40, 1e-46, 7e-46, 2.0 ** -149, 2.0 ** -150,
                                            -0.0, inf, nan, 16777217.0], dtype=torch.float64), "float32")
    add("float64_to_float32_many", (mags * signs), "float32")
    add("float32_to_float64", many[:300], "float64")
    add("float64_to_float16", (mags[:300] * signs[:300]) / 1e10, "float16")
    add("float64_to_bfloat16", (mags[:300] * signs[:300]), "bfloat16")
    # Integers to floats (rounding of large integers, overflow to inf in float16).
    big = torch.tensor([0, 1, -1, 2**24 + 1, 2**24 + 3, -(2**24 + 1), 2**53 + 1, 2**62, -(2**63), 2**63 - 1,
                        65504, 65519, 65520, 70000, -70000, 2049, 2051, 257, 259])
    for dt in FLOATS:
        add(f"int64_to_{dt}", big, dt)
    add("int32_to_float32", torch.tensor([2**31 - 1, -(2**31), 16777217, 123456789], dtype=torch.int32), "float32")
    add("int16_to_float16", torch.tensor([32767, -32768, 2049, 2051, 1, -1], dtype=torch.int16), "float16")
    add("uint8_to_float32", torch.arange(0, 256, 17, dtype=torch.uint8), "float32")
    add("int8_to_bfloat16", torch.tensor([-128, 127, -1, 0, 1], dtype=torch.int8), "bfloat16")
    # Floats to integers: truncation toward zero, for values each target type can hold.
    fvals = torch.tensor([0.0, -0.0, 0.4, 0.5, 0.9, 1.0, 1.5, 2.7, 99.99, 126.5, 127.0, 127.9])
    signed = torch.cat([fvals, -fvals, torch.tensor([-128.0, -128.9])])
    for dt in ("int64", "int32", "int16", "int8"):
        add(f"float32_to_{dt}_truncation", signed, dt)
    add("float32_to_uint8_truncation", torch.cat([fvals, torch.tensor([200.5, 255.0, 255.9])]), "uint8")
    add("float64_to_int64_large", torch.tensor([2.0**62, -(2.0**62), 9.007199254740993e15, -123456789.9], dtype=torch.float64), "int64")
    add("float32_to_int32_large", torch.tensor([2.0**30, -(2.0**31), 16777216.0, 2147483520.0]), "int32")
    add("float16_to_int32", torch.tensor([65504.0, -65504.0, 2.5, -2.5, 0.99]).half(), "int32")
    add("bfloat16_to_int64", torch.tensor([3.0e10, -1.5, 255.0, 1e18]).bfloat16(), "int64")
    add("float16_to_int8", torch.tensor([127.5, -128.5, 3.9, -3.9]).half(), "int8")
    # To and from bool: non-zero (NaN included) is true, -0.0 is false.
    add("float32_to_bool", torch.tensor([0.0, -0.0, 1e-45, -2.5, inf, -inf, nan]), "bool")
    add("float16_to_bool", torch.tensor([0.0, -0.0, 6e-8, nan]).half(), "bool")
    add("bfloat16_to_bool", torch.tensor([0.0, -0.0, 1e-40, nan]).bfloat16(), "bool")
    add("int64_to_bool", torch.tensor([0, 1, -1, 2**40, 256]), "bool")
    add("uint8_to_bool", torch.tensor([0, 1, 128, 255], dtype=torch.uint8), "bool")
    bools = torch.tensor([True, False, True])
    for dt in FLOATS + INTS:
        add(f"bool_to_{dt}", bools, dt)
    # Integer narrowing wraps modulo 2^n (two's complement), as C++20 defines.
    wide = torch.tensor([0, 1, -1, 127, 128, 255, 256, 300, -129, -128, 32767, 32768, 65535, 65536,
                         -32769, 2**31 - 1, 2**31, -(2**31) - 1, 2**40 + 5])
    for dt in ("int32", "int16", "int8", "uint8"):
        add(f"int64_to_{dt}_wrap", wide, dt)
    add("int32_to_uint8_wrap", torch.tensor([-1, -255, -256, 511, 1000], dtype=torch.int32), "uint8")
    add("int16_to_int8_wrap", torch.tensor([200, -200, 255, -1], dtype=torch.int16), "int8")
    add("uint8_to_int8_wrap", torch.tensor([200, 128, 127, 255], dtype=torch.uint8), "int8")
    add("int8_to_uint8_wrap", torch.tensor([-1, -128, 127, 0], dtype=torch.int8), "uint8")
    add("uint8_to_int64", torch.tensor([0, 255, 128], dtype=torch.uint8), "int64")
    add("int8_to_int64_sign_extends", torch.tensor([-1, -128, 127], dtype=torch.int8), "int64")
    # Same dtype, empty and 0-dim.
    add("float32_to_float32", randn([4]), "float32")
    add("empty_float32_to_int32", randn([0, 3]), "int32")
    add("zerodim_float64_to_float16", randn([], "float64"), "float16")
    write("convert.json", cases,
          description="to(dtype): float32<->float16/bfloat16 bit patterns (ties, subnormals, overflow, "
                      "NaN), float<->int truncation, integer wrap, bool conversions.")


# ---------------------------------------------------------------------------------------
# Views and arange
# ---------------------------------------------------------------------------------------

def apply_step(t, s):
    op = s["op"]
    if op == "view":
        return t.view(tuple(s["sizes"]))
    if op == "reshape":
        return t.reshape(tuple(s["sizes"]))
    if op == "permute":
        return t.permute(tuple(s["dims"]))
    if op == "transpose":
        return t.transpose(s["dim0"], s["dim1"])
    if op == "slice":
        idx = [slice(None)] * t.dim()
        d = s["dim"] % t.dim()
        idx[d] = slice(s["start"], s["end"], s["step"])
        return t[tuple(idx)]
    if op == "select":
        return t.select(s["dim"], s["index"])
    if op == "narrow":
        return t.narrow(s["dim"], s["start"], s["length"])
    if op == "expand":
        return t.expand(tuple(s["sizes"]))
    if op == "squeeze":
        return t.squeeze()
    if op == "squeeze_dim":
        return t.squeeze(s["dim"])
    if op == "unsqueeze":
        return t.unsqueeze(s["dim"])
    if op == "flatten":
        return t.flatten(s["start_dim"], s["end_dim"])
    if op == "as_strided":
        return t.as_strided(s["sizes"], s["strides"], s["offset"])
    if op == "contiguous":
        return t.contiguous()
    raise ValueError(op)


# The largest int64: slice ends beyond the size are clamped (Python's x[a:]).
INT64_MAX = 2**63 - 1


def gen_views():
    cases = []
    b3 = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    b1 = torch.arange(12, dtype=torch.int32)
    b_one = torch.arange(6, dtype=torch.int64).reshape(1, 2, 1, 3)

    def add(name, base, steps):
        case = {"name": name, "input": enc_tensor(base), "steps": steps}
        t = base
        for i, s in enumerate(steps):
            try:
                t = apply_step(t, s)
            except TORCH_ERRORS as e:
                case["error"] = str(e).splitlines()[0]
                case["error_step"] = i
                cases.append(case)
                return
        case["expected"] = enc_tensor(t)
        case["strides"] = list(t.stride())
        case["offset"] = t.storage_offset()
        case["shares_storage"] = t.storage().data_ptr() == base.storage().data_ptr()
        cases.append(case)

    def st(op, **kw):
        d = {"op": op}
        d.update(kw)
        return d

    add("view_4x6", b3, [st("view", sizes=[4, 6])])
    add("view_infer", b3, [st("view", sizes=[3, -1])])
    add("reshape_flat", b3, [st("reshape", sizes=[-1])])
    add("reshape_6x4", b3, [st("reshape", sizes=[6, 4])])
    add("reshape_to_zerodim", torch.tensor([5.0]), [st("reshape", sizes=[])])
    add("permute_2_0_1", b3, [st("permute", dims=[2, 0, 1])])
    add("permute_negative_dims", b3, [st("permute", dims=[-1, 0, -2])])
    add("transpose_0_2", b3, [st("transpose", dim0=0, dim1=2)])
    add("transpose_neg", b3, [st("transpose", dim0=-1, dim1=-2)])
    add("slice_step2", b3, [st("slice", dim=2, start=1, end=4, step=2)])
    add("slice_step3_from0", b1, [st("slice", dim=0, start=0, end=12, step=3)])
    add("slice_negative_start", b3, [st("slice", dim=1, start=-2, end=INT64_MAX, step=1)])
    add("slice_end_clamped", b3, [st("slice", dim=-1, start=2, end=100, step=1)])
    add("slice_empty", b3, [st("slice", dim=1, start=2, end=1, step=1)])
    add("select_dim1_last", b3, [st("select", dim=1, index=-1)])
    add("select_dim0", b3, [st("select", dim=0, index=1)])
    add("select_to_zerodim", b1, [st("select", dim=0, index=5)])
    add("narrow_dim2", b3, [st("narrow", dim=2, start=1, length=2)])
    add("narrow_negative_dim", b3, [st("narrow", dim=-2, start=0, length=2)])
    add("expand_size1_dims", torch.arange(3, dtype=torch.float32).reshape(1, 3, 1), [st("expand", sizes=[2, 3, 4])])
    add("expand_new_leading", torch.arange(3, dtype=torch.int16), [st("expand", sizes=[2, 2, -1])])
    add("expand_keep_minus1", b_one, [st("expand", sizes=[4, -1, 5, -1])])
    add("squeeze_all", b_one, [st("squeeze")])
    add("squeeze_dim0", b_one, [st("squeeze_dim", dim=0)])
    add("squeeze_dim_not_one", b_one, [st("squeeze_dim", dim=1)])
    add("squeeze_dim_negative", b_one, [st("squeeze_dim", dim=-2)])
    add("unsqueeze_0", b3, [st("unsqueeze", dim=0)])
    add("unsqueeze_last", b3, [st("unsqueeze", dim=3)])
    add("unsqueeze_neg1", b3, [st("unsqueeze", dim=-1)])
    add("unsqueeze_middle", b3, [st("unsqueeze", dim=1)])
    add("flatten_all", b3, [st("flatten", start_dim=0, end_dim=-1)])
    add("flatten_1_2", b3, [st("flatten", start_dim=1, end_dim=2)])
    add("flatten_zerodim", torch.tensor(7.0), [st("flatten", start_dim=0, end_dim=-1)])
    add("as_strided_overlap", b1, [st("as_strided", sizes=[3, 3], strides=[1, 3], offset=2)])
    add("as_strided_zero_stride", b1, [st("as_strided", sizes=[2, 4], strides=[0, 2], offset=1)])
    # Chains: views of views, and reshape/flatten of non-contiguous data (these copy).
    add("transpose_then_reshape_copies", b3, [st("transpose", dim0=1, dim1=2), st("reshape", sizes=[2, 12])])
    add("transpose_then_flatten_copies", b3, [st("transpose", dim0=0, dim1=1), st("flatten", start_dim=0, end_dim=-1)])
    add("transpose_then_reshape_as_view", b3, [st("transpose", dim0=0, dim1=1), st("reshape", sizes=[3, 2, 2, 2])])
    add("permute_then_slice_step", b3, [st("permute", dims=[2, 1, 0]), st("slice", dim=0, start=0, end=4, step=2)])
    add("slice_then_select", b3, [st("slice", dim=2, start=1, end=4, step=2), st("select", dim=1, index=2)])
    add("select_then_transpose", b3, [st("select", dim=0, index=1), st("transpose", dim0=0, dim1=1)])
    add("narrow_then_view", b3, [st("narrow", dim=0, start=1, length=1), st("view", sizes=[12])])
    add("expand_then_reshape_copies", torch.arange(3, dtype=torch.float32).reshape(3, 1), [st("expand", sizes=[3, 2]), st("reshape", sizes=[6])])
    add("as_strided_on_view", b1, [st("slice", dim=0, start=2, end=12, step=1), st("as_strided", sizes=[2, 2], strides=[4, 1], offset=3)])
    add("unsqueeze_then_expand", b1, [st("unsqueeze", dim=0), st("expand", sizes=[3, 12])])
    add("contiguous_of_transpose", b3, [st("transpose", dim0=0, dim1=2), st("contiguous")])
    add("squeeze_then_unsqueeze", b_one, [st("squeeze"), st("unsqueeze", dim=1)])
    # What PyTorch rejects.
    add("error_view_of_transposed", b3, [st("transpose", dim0=0, dim1=1), st("view", sizes=[24])])
    add("error_view_wrong_numel", b3, [st("view", sizes=[5, 5])])
    add("error_view_two_inferred", b3, [st("view", sizes=[-1, -1])])
    add("error_permute_not_permutation", b3, [st("permute", dims=[0, 0, 1])])
    add("error_transpose_dim_out_of_range", b3, [st("transpose", dim0=0, dim1=3)])
    add("error_select_index_out_of_range", b3, [st("select", dim=1, index=3)])
    add("error_narrow_out_of_range", b3, [st("narrow", dim=2, start=3, length=2)])
    add("error_expand_non_singleton", b3, [st("expand", sizes=[2, 5, 4])])
    add("error_unsqueeze_out_of_range", b3, [st("unsqueeze", dim=4)])
    add("error_as_strided_out_of_bounds", b1, [st("as_strided", sizes=[4, 4], strides=[4, 1], offset=0)])
    write("views.json", cases,
          description="reshape/view/permute/transpose/slice/select/narrow/expand/squeeze/unsqueeze/"
                      "flatten/as_strided (chained): values, shapes, strides, storage offsets, sharing.")


def gen_arange():
    cases = []

    def add(name, start, end, step, dtype):
        case = {"name": name, "start": enc_scalar(start), "end": enc_scalar(end), "step": enc_scalar(step),
                "dtype": dtype}
        try:
            r = torch.arange(start, end, step, dtype=DTYPES[dtype])
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(r)
        if r.is_floating_point():
            # PyTorch's CPU kernel computes element i as (start + k*step) + j*step, where k is i
            # rounded down to its SIMD width, so the last bits depend on the build; |start| +
            # i*|step| bounds the rounding error of any such formula (see the C++ test).
            i = torch.arange(r.numel(), dtype=torch.float64)
            case["abs_bound"] = enc_tensor(abs(float(start)) + i * abs(float(step)))
        cases.append(case)

    add("int64_0_10_1", 0, 10, 1, "int64")
    add("int64_0_10_3", 0, 10, 3, "int64")
    add("int64_negative_step", 10, 0, -3, "int64")
    add("int32_minus5_5_2", -5, 5, 2, "int32")
    add("int64_empty", 3, 3, 1, "int64")
    add("uint8_0_250_25", 0, 250, 25, "uint8")
    add("float32_tenths", 0.0, 1.0, 0.1, "float32")
    add("float32_negative_step", 1.0, 0.0, -0.25, "float32")
    add("float32_from_ints", 0, 5, 1, "float32")
    add("float32_long", -3.0, 7.0, 0.37, "float32")
    add("float64_tenths", 0.0, 1.0, 0.1, "float64")
    add("float64_fraction_step", 0.5, 3.0, 0.7, "float64")
    add("float64_negative", 2.0, -2.0, -0.3, "float64")
    add("float16_0_5", 0, 5, 1, "float16")
    add("bfloat16_steps", 0.0, 2.0, 0.25, "bfloat16")
    add("int64_float_step", 0, 5, 1.5, "int64")
    add("error_zero_step", 0, 10, 0, "int64")
    add("error_wrong_sign_step", 0, 10, -1, "int64")
    write("arange.json", cases, description="arange(start, end, step, dtype) for int and float dtypes.")


def main():
    gen_promotion()
    gen_pointwise()
    gen_reduce()
    gen_matmul()
    gen_convert()
    gen_views()
    gen_arange()
    # Op families add their generators as tests/reference/gen_<family>.py modules, each with a
    # generate() that uses the encoders above (import them from this module); they run in name
    # order so the output stays deterministic.
    import importlib
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    sys.modules.setdefault("generate", sys.modules[__name__])
    for name in sorted(f[:-3] for f in os.listdir(here) if f.startswith("gen_") and f.endswith(".py")):
        importlib.import_module(name).generate()


if __name__ == "__main__":
    main()
