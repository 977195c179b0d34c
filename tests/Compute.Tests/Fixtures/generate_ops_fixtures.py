#!/usr/bin/python3
"""Writes ops_cases.json: inputs and PyTorch's outputs (values, dtype, shape) for the managed
operator tests: broadcasting, type promotion with tensors and with C# numbers on either
side, alpha, comparisons, reductions and matmul.

Run with Debian's python3-torch: /usr/bin/python3 tests/Compute.Tests/Fixtures/generate_ops_fixtures.py
"""
import json
import os

import torch

torch.manual_seed(42)


def enc_tensor(t):
    flat = t.reshape(-1)
    if t.dtype.is_floating_point:
        values = [repr(float(v)) for v in flat.double().tolist()]
    elif t.dtype == torch.bool:
        values = [bool(v) for v in flat.tolist()]
    else:
        values = [int(v) for v in flat.tolist()]
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "values": values}


def enc_operand(x):
    if isinstance(x, torch.Tensor):
        return {"tensor": enc_tensor(x)}
    if isinstance(x, bool):
        return {"scalar": {"kind": "bool", "value": repr(x)}}
    if isinstance(x, int):
        return {"scalar": {"kind": "int", "value": repr(x)}}
    return {"scalar": {"kind": "float", "value": repr(float(x))}}


def case(name, op, operands, result, **kwargs):
    return {"name": name, "op": op, "operands": [enc_operand(o) for o in operands],
            "args": kwargs, "expected": enc_tensor(result)}


def f32(*shape):
    return torch.randn(*shape)


def ints(dtype, *shape, low=-20, high=20):
    return torch.randint(low, high, shape, dtype=dtype)


def cases():
    a, b = f32(2, 3), f32(3)
    yield case("add broadcast row", "add", [a, b], a + b)
    a, b = f32(4, 1), f32(1, 5)
    yield case("mul outer broadcast", "mul", [a, b], a * b)
    a, b = f32(2, 1, 3), f32(4, 1)
    yield case("sub 3-d broadcast", "sub", [a, b], a - b)
    a, b = f32(3, 2), f32(2) + 3
    yield case("div broadcast", "div", [a, b], a / b)
    a, b = ints(torch.int32, 3, 1), ints(torch.int64, 1, 4)
    yield case("int32 * int64 promotes to int64", "mul", [a, b], a * b)
    a, b = ints(torch.uint8, 5, low=0, high=200), ints(torch.int8, 5)
    yield case("uint8 + int8 promotes to int16", "add", [a, b], a + b)
    a, b = ints(torch.int32, 4), f32(4)
    yield case("int32 + float32 is float32", "add", [a, b], a + b)
    a, b = f32(3), torch.randn(3, dtype=torch.float64)
    yield case("float32 + float64 is float64", "add", [a, b], a + b)
    a, b = torch.tensor([True, False, True]), ints(torch.int16, 3)
    yield case("bool + int16 is int16", "add", [a, b], a + b)
    a, b = ints(torch.int32, 2, 3), ints(torch.int32, 3, low=1, high=9)
    yield case("int32 / int32 is float32", "div", [a, b], a / b)
    a = torch.randn(4).half()
    b = torch.randn(4).half()
    yield case("float16 * float16", "mul", [a, b], a * b)
    a = ints(torch.int32, 5)
    yield case("int32 + 2.5 is float32", "add", [a, 2.5], a + 2.5)
    yield case("int32 * 3 stays int32", "mul", [a, 3], a * 3)
    a = ints(torch.uint8, 4, low=0, high=100)
    yield case("uint8 + 300 wraps as uint8", "add", [a, 300], a + 300)
    yield case("uint8 / 2 is float32", "div", [a, 2], a / 2)
    a = torch.randn(3).half()
    yield case("float16 + 1.5 stays float16", "add", [a, 1.5], a + 1.5)
    a = torch.tensor([True, False])
    yield case("bool + 1 is int64", "add", [a, 1], a + 1)
    a = f32(2, 2)
    yield case("2 - tensor", "sub", [2, a], 2 - a)
    # Python's 10 / a is a.reciprocal() * 10 (Tensor.__rdiv__), one rounding more than a
    # true division; Compute's 10 / a is true division, which torch.div computes.
    yield case("10 / tensor", "div", [10, a], torch.div(torch.tensor(10), a))
    a = ints(torch.int64, 3)
    yield case("int64 * 0.5 is float32", "mul", [a, 0.5], a * 0.5)
    yield case("true * int64 is int64", "mul", [True, a], True * a)
    a, b = f32(2, 3), f32(2, 3)
    yield case("add alpha 2", "add", [a, b], torch.add(a, b, alpha=2), alpha=2)
    yield case("sub alpha 0.5", "sub", [a, b], torch.sub(a, b, alpha=0.5), alpha=0.5)
    a, b = ints(torch.int32, 4), ints(torch.int32, 4)
    yield case("int32 add alpha 3", "add", [a, b], torch.add(a, b, alpha=3), alpha=3)
    a, b = f32(3, 1), f32(4)
    yield case("lt broadcast", "lt", [a, b], a < b)
    yield case("ge broadcast", "ge", [a, b], a >= b)
    a = ints(torch.int32, 6, low=0, high=4)
    yield case("eq scalar", "eq", [a, 2], a == 2)
    yield case("ne scalar", "ne", [a, 2], a != 2)
    yield case("gt float scalar on int", "gt", [a, 1.5], a > 1.5)
    yield case("le scalar left", "le", [2, a], 2 <= a)
    a = f32(2, 3)
    yield case("neg float32", "neg", [a], -a)
    a = ints(torch.int32, 4)
    yield case("neg int32", "neg", [a], -a)
    a = f32(3, 4)
    yield case("exp float32", "exp", [a], a.exp())
    a = ints(torch.int64, 4, low=-3, high=3)
    yield case("exp int64 is float32", "exp", [a], a.exp())
    a = f32(3, 4, 5)
    yield case("sum all", "sum", [a], a.sum())
    yield case("sum dim 1", "sum", [a], a.sum(dim=1), dim=[1])
    yield case("sum dims 0 2 keepdim", "sum", [a], a.sum(dim=(0, 2), keepdim=True), dim=[0, 2], keepdim=True)
    yield case("sum dim -1", "sum", [a], a.sum(dim=-1), dim=[-1])
    yield case("mean all", "mean", [a], a.mean())
    yield case("mean dim 2 keepdim", "mean", [a], a.mean(dim=2, keepdim=True), dim=[2], keepdim=True)
    a = ints(torch.int32, 3, 4)
    yield case("sum int32 is int64", "sum", [a], a.sum(dim=0), dim=[0])
    a = torch.tensor([[True, False, True], [True, True, False]])
    yield case("sum bool is int64", "sum", [a], a.sum())
    a, b = f32(3, 4), f32(4, 5)
    yield case("matmul 2-d", "matmul", [a, b], a @ b)
    a, b = f32(2, 3, 4), f32(4, 2)
    yield case("matmul batched broadcast", "matmul", [a, b], a @ b)
    a, b = f32(4), f32(4, 3)
    yield case("matmul vector matrix", "matmul", [a, b], a @ b)
    a, b = torch.randn(2, 1, 3, 4, dtype=torch.float64), torch.randn(3, 4, 2, dtype=torch.float64)
    yield case("matmul float64 batch broadcast", "matmul", [a, b], a @ b)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_cases.json")
    data = {"generator": "tests/Compute.Tests/Fixtures/generate_ops_fixtures.py",
            "torch_version": torch.__version__, "cases": list(cases())}
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {out} ({len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
