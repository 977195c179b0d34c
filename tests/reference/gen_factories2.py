"""Fixtures for the deterministic factories (tests/reference/fixtures/factories2.json):
linspace, logspace, eye, tril_indices, triu_indices and the *_like family (shape, strides,
dtype, value). Random factories cannot match PyTorch's CPU generator; test_factories2.cpp
checks them by reproducibility and statistics instead. Run through generate.py.

A case: "op" and its arguments ("start"/"end" as Python scalars, "steps", "base", "n", "m",
"row", "col", "offset", "dtype"; for *_like an "input" tensor, optional "value", "dtype"),
then "expected" (and "strides" for *_like) or "error".
"""
import torch

from generate import DTYPES, NAME_OF, TORCH_ERRORS, enc_input, enc_scalar, enc_tensor, randn, seeded, write


def generate():
    seeded(41)
    cases = []

    def run(case, fn):
        try:
            r = fn()
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            return None
        case["expected"] = enc_tensor(r)
        return r

    def lin(name, op, start, end, steps, dtype="float32", base=None):
        case = {"name": f"{op}_{name}", "op": op, "start": enc_scalar(start), "end": enc_scalar(end),
                "steps": steps, "dtype": dtype}
        kw = {"dtype": DTYPES[dtype]}
        if base is not None:
            case["base"] = base
            kw["base"] = base
        r = run(case, lambda: getattr(torch, op)(start, end, steps, **kw))
        if r is not None and op == "linspace" and r.is_floating_point() and dtype in ("float32", "float64"):
            # PyTorch's vector path computes some elements as base + j * step from a rounded
            # base; its difference from start + i * step is bounded by max(|start|, |end|).
            m = max(abs(float(start)), abs(float(end)))
            case["abs_bound"] = enc_tensor(torch.full((steps,), m, dtype=torch.float64))
        cases.append(case)

    lin("unit", "linspace", 0.0, 1.0, 5)
    lin("neg_range", "linspace", -3.3, 7.1, 100)
    lin("many", "linspace", 0.0, 1.0, 1000)
    lin("descending", "linspace", 5.0, -5.0, 1001)
    lin("odd_ends", "linspace", 1e-3, 123.456, 37)
    lin("float64", "linspace", -3.3, 7.1, 100, "float64")
    lin("float64_many", "linspace", 0.1, 0.7, 513, "float64")
    lin("one_step", "linspace", 2.5, 7.0, 1)
    lin("zero_steps", "linspace", 2.5, 7.0, 0)
    lin("int_args", "linspace", 0, 10, 6)
    lin("int64", "linspace", 0, 10, 4, "int64")
    lin("int64_neg", "linspace", 7, -5, 7, "int64")
    lin("int32", "linspace", -3, 4, 5, "int32")
    lin("uint8", "linspace", 0, 255, 6, "uint8")
    lin("int64_float_ends", "linspace", 0.5, 9.7, 5, "int64")
    lin("float16", "linspace", -1.0, 3.0, 9, "float16")
    lin("bfloat16", "linspace", 0.0, 10.0, 7, "bfloat16")
    lin("error_negative_steps", "linspace", 0.0, 1.0, -1)
    lin("error_bool", "linspace", 0, 1, 3, "bool")
    lin("base10", "logspace", 0.0, 3.0, 4)
    lin("base2", "logspace", -2.0, 5.0, 15, base=2.0)
    lin("float64", "logspace", -3.0, 2.5, 23, "float64")
    lin("float64_base_e", "logspace", 0.0, 1.0, 11, "float64", base=2.718281828459045)
    lin("int64", "logspace", 0, 3, 4, "int64")
    lin("int64_base2", "logspace", 0, 10, 6, "int64", base=2.0)
    lin("one_step", "logspace", 2.0, 5.0, 1)
    lin("error_negative_steps", "logspace", 0.0, 1.0, -2)

    def eye(name, n, m, dtype="float32"):
        case = {"name": f"eye_{name}", "op": "eye", "n": n, "m": m, "dtype": dtype}
        run(case, lambda: torch.eye(n, m, dtype=DTYPES[dtype]))
        cases.append(case)

    eye("square", 3, 3)
    eye("wide", 2, 5)
    eye("tall", 4, 2, "float64")
    eye("int64", 3, 3, "int64")
    eye("bool", 3, 4, "bool")
    eye("empty", 0, 3)
    eye("error_n", -1, 3)
    eye("error_m", 2, -1)

    def tri(name, op, row, col, offset=0, dtype="int64"):
        case = {"name": f"{op}_{name}", "op": op, "row": row, "col": col, "offset": offset, "dtype": dtype}
        run(case, lambda: getattr(torch, op)(row, col, offset, dtype=DTYPES[dtype]))
        cases.append(case)

    for op in ("tril_indices", "triu_indices"):
        tri("square", op, 4, 4)
        tri("wide_offset", op, 3, 5, 1)
        tri("tall_neg_offset", op, 5, 3, -2)
        tri("big_offset", op, 3, 3, 10)
        tri("very_neg_offset", op, 3, 3, -10)
        tri("int32", op, 3, 4, 0, "int32")
        tri("empty", op, 0, 3)
        tri("error_row", op, -1, 2)
        tri("error_col", op, 2, -1)
        tri("error_float", op, 3, 3, 0, "float32")

    def like(name, op, x, permute=None, dtype=None, value=None):
        j, t = enc_input(x, permute)
        case = {"name": f"{op}_{name}", "op": op, "input": j}
        kw = {}
        if dtype is not None:
            case["dtype"] = dtype
            kw["dtype"] = DTYPES[dtype]
        args = [t]
        if value is not None:
            case["value"] = enc_scalar(value)
            args.append(value)
        r = run(case, lambda: getattr(torch, op)(*args, **kw))
        if r is not None:
            case["strides"] = list(r.stride())
        cases.append(case)

    like("contiguous", "zeros_like", randn([2, 3]))
    like("transposed", "zeros_like", randn([2, 3]), [1, 0])
    like("permuted3", "ones_like", randn([2, 3, 4]), [2, 0, 1])
    like("dtype", "ones_like", randn([2, 3]), dtype="int32")
    like("int_input", "zeros_like", torch.arange(6).reshape(2, 3))
    like("value", "full_like", randn([3, 2]), [1, 0], value=2.5)
    like("int_value", "full_like", torch.arange(4), value=7)
    like("float_into_int", "full_like", torch.arange(4), value=7.9)
    like("bool", "full_like", randn([2, 2]), dtype="bool", value=True)
    like("empty", "zeros_like", randn([0, 3]))
    like("scalar", "ones_like", torch.tensor(3.0))

    write("factories2.json", cases,
          description="linspace, logspace, eye, tril/triu_indices and the *_like family against PyTorch")
