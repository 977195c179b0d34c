#!/usr/bin/python3
"""Writes format_cases.json: tensors and the exact text PyTorch prints for them.

Run with Debian's python3-torch: /usr/bin/python3 tests/Compute.Tests/Fixtures/generate_format_fixtures.py
The NUnit tests rebuild each tensor from its values and compare Tensor.ToString() with
"expected". Values are written as Python reprs (exact for every float32/float64 value).
"""
import json
import os

import torch

torch.manual_seed(1234)


def case(name, tensor):
    flat = tensor.reshape(-1)
    if tensor.dtype.is_floating_point:
        kind = "float"
        values = [repr(float(v)) for v in flat.double().tolist()]
    elif tensor.dtype == torch.bool:
        kind = "bool"
        values = [bool(v) for v in flat.tolist()]
    else:
        kind = "int"
        values = [int(v) for v in flat.tolist()]
    return {
        "name": name,
        "dtype": str(tensor.dtype).replace("torch.", ""),
        "shape": list(tensor.shape),
        "kind": kind,
        "values": values,
        "expected": str(tensor),
    }


def cases():
    yield case("float32 integers 2x2", torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    yield case("float32 decimals", torch.tensor([0.5, -1.25, 3.14159, 100.0]))
    yield case("float32 randn 3x4", torch.randn(3, 4))
    yield case("float64 randn 2x3", torch.randn(2, 3, dtype=torch.float64))
    yield case("float32 scientific small", torch.tensor([1e-5, 2.5e-3, 1.0]))
    yield case("float32 scientific large ratio", torch.tensor([1.0, 12345.0, 0.5]))
    yield case("float32 scientific huge integers", torch.tensor([1e9, 3.0]))
    yield case("float32 nan inf", torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5, 0.0]))
    yield case("float32 integers with nan", torch.tensor([float("nan"), 2.0, -3.0]))
    yield case("float32 all zeros", torch.zeros(2, 3))
    yield case("float32 negative zero", torch.tensor([-0.0, 1.0]))
    yield case("float32 half-way ties", torch.tensor([0.03125, 0.15625, 2.5, -0.09375]))
    yield case("float32 0-dim", torch.tensor(3.5))
    yield case("float32 0-dim integer", torch.tensor(-2.0))
    yield case("int64 0-dim", torch.tensor(7))
    yield case("int64 matrix", torch.tensor([[1, -20, 300], [4, 5, 6]]))
    yield case("int32 vector", torch.tensor([1, 2, 3], dtype=torch.int32))
    yield case("int16 vector", torch.tensor([-7, 8], dtype=torch.int16))
    yield case("int8 vector", torch.tensor([-128, 127], dtype=torch.int8))
    yield case("uint8 vector", torch.tensor([0, 255, 17], dtype=torch.uint8))
    yield case("bool matrix", torch.tensor([[True, False], [False, True]]))
    yield case("float16 vector", torch.tensor([0.1, 1.5, -2.0], dtype=torch.float16))
    yield case("bfloat16 vector", torch.tensor([0.1, 1.5, -2.0], dtype=torch.bfloat16))
    yield case("float32 3-d", torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 7)
    yield case("float32 long row wraps", torch.randn(30))
    yield case("int64 long row wraps", torch.arange(0, 4000, 97))
    yield case("float64 long row with suffix", torch.randn(12, dtype=torch.float64) * 1000)
    yield case("empty float32 0x3", torch.zeros(0, 3))
    yield case("empty float32 1-d", torch.zeros(0))
    yield case("empty int64 1-d", torch.zeros(0, dtype=torch.int64))
    yield case("big float32 1-d summarised", torch.arange(2000, dtype=torch.float32) / 3)
    yield case("big float32 2-d summarised", torch.randn(50, 40))
    yield case("big int64 3-d summarised", torch.arange(6000).reshape(10, 20, 30))
    yield case("big float64 4x300 summarised", torch.randn(4, 300, dtype=torch.float64))
    yield case("big bool summarised", torch.arange(1200).reshape(40, 30) % 3 == 0)
    yield case("just above threshold 1001", torch.arange(1001, dtype=torch.float32))
    yield case("threshold exactly 1000", torch.arange(1000, dtype=torch.float32).reshape(10, 100))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "format_cases.json")
    data = {"generator": "tests/Compute.Tests/Fixtures/generate_format_fixtures.py",
            "torch_version": torch.__version__, "cases": list(cases())}
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {out} ({len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
