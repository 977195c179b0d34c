"""Fixtures for polygamma and the gradients it gives digamma and lgamma
(tests/reference/fixtures/polygamma.json). Run through generate.py.

Value cases ("kind": "value"): "n", "input" (float32 or float64), "expected" = torch.polygamma(n,
input), and "abs_bound" (float64, shaped like expected): how far an exact result may be from
PyTorch's. PyTorch computes polygamma(1, x) with a truncated asymptotic series whose relative error
reaches ~5e-10 in float64 (and float32 inputs in float32 arithmetic), so the bound is
|torch - exact| (exact from mpmath at 30 digits) plus 4 units in the last place of the input's
dtype, of max(|exact|, 1) (the reflection and recurrence sums cancel terms of order 1); NaN and infinite expectations must match exactly. Poles: polygamma(n, 0) is infinite for
every n; at negative integers PyTorch's trigamma (n = 1) returns a huge finite number through
its reflection formula, so those inputs are left out for n = 1 (Compute returns infinity there).
A case with "error" holds PyTorch's message for a negative n.

Gradient cases ("kind": "grad"): "op" (digamma, lgamma or polygamma with "n"), "input", "v"; the
first derivative of sum(op(x)) and the second-order product d/dx sum(grad * v), from
torch.autograd with create_graph=True.
"""
import mpmath
import torch

from generate import enc_tensor, seeded, write

F64 = torch.float64


def exact(n, x):
    if x != x or x in (float("inf"), float("-inf")):
        return None
    if x <= 0 and x == int(x):
        return None
    with mpmath.workdps(30):
        return float(mpmath.polygamma(n, x))


def bound(n, x, expected):
    ulp = torch.finfo(x.dtype).eps
    out = []
    for xi, ei in zip(x.double().tolist(), expected.double().tolist()):
        e = exact(n, xi)
        if e is None or ei != ei or abs(ei) == float("inf"):
            out.append(0.0)
        else:
            # 4 ulps of the larger of |exact| and 1: the reflection (x < 0) and recurrence sums
            # add terms of order 1 that cancel to smaller values.
            out.append(abs(ei - e) + 4 * ulp * max(abs(e), 1.0))
    return torch.tensor(out, dtype=F64).reshape(expected.shape)


def generate():
    seeded(71)
    values = torch.cat([
        torch.tensor([1e-6, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 6.4, 10.0, 31.5, 1000.0, -0.5, -1.3, -2.7, -7.25, 0.0,
                      float("inf"), float("nan")], dtype=F64),
        torch.rand(12, dtype=F64) * 20 - 5,
    ])
    cases = []
    for n in range(5):
        for dtype in ("float64", "float32"):
            x = values.to(getattr(torch, dtype))
            if n == 1:
                x = x[~((x < 0) & (x == x.round()))]
            expected = torch.polygamma(n, x)
            cases.append({"name": f"polygamma_{n}_{dtype}", "kind": "value", "n": n, "input": enc_tensor(x),
                          "expected": enc_tensor(expected), "abs_bound": enc_tensor(bound(n, x, expected))})
    cases.append({"name": "polygamma_int_input", "kind": "value", "n": 2, "input": enc_tensor(torch.tensor([1, 2, 5])),
                  "expected": enc_tensor(torch.polygamma(2, torch.tensor([1, 2, 5]))),
                  "abs_bound": enc_tensor(bound(2, torch.tensor([1.0, 2.0, 5.0]), torch.polygamma(2, torch.tensor([1, 2, 5]))))})
    try:
        torch.polygamma(-1, torch.tensor([1.0]))
    except RuntimeError as e:
        cases.append({"name": "polygamma_negative_n", "kind": "value", "n": -1, "input": enc_tensor(torch.tensor([1.0])),
                      "error": str(e).splitlines()[0]})

    grad_ops = {
        "digamma": lambda x: x.digamma(),
        "lgamma": lambda x: x.lgamma(),
        "polygamma2": lambda x: torch.polygamma(2, x),
    }
    for name, f in grad_ops.items():
        x = (torch.rand(2, 3, dtype=F64) * 6 - 2.9).requires_grad_()
        v = torch.randn(2, 3, dtype=F64)
        g, = torch.autograd.grad(f(x).sum(), x, create_graph=True)
        second, = torch.autograd.grad((g * v).sum(), x)
        cases.append({"name": f"grad_{name}", "kind": "grad", "op": name, "input": enc_tensor(x), "v": enc_tensor(v),
                      "grad": enc_tensor(g), "second": enc_tensor(second)})
    write("polygamma.json", cases)
