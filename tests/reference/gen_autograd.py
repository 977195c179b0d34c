"""Fixtures for the autograd engine (tests/reference/fixtures/autograd.json): expressions over
float64 tensors, their value, and the gradients torch.autograd computes for every input that
requires grad. Run through generate.py.

A case: "name" (the C# test builds the same expression under that name), "inputs" (tensors
with "requires_grad"), optional "grad_output" for a non-scalar result, "expected" (the
result) and "grads" (one per input, null where the input does not require grad). Cases named
"hvp_*" differentiate a first gradient again (autograd.grad with create_graph=True).
"""
import torch

from generate import enc_tensor, seeded, write

F64 = torch.float64


def rand(*shape):
    return torch.randn(*shape, dtype=F64)


def positive(*shape):
    return torch.rand(*shape, dtype=F64) * 2 + 0.5


def hvp(f, x, others, v):
    g, = torch.autograd.grad(f(x, *others), x, create_graph=True)
    return (g * v).sum()


EXPRESSIONS = {
    "mlp": lambda x, w1, b1, w2: ((x @ w1 + b1).tanh() @ w2).sigmoid().sum(),
    "broadcast_arith": lambda a, b: ((a / b) * a - b + 2).exp().mean(),
    "scalar_forms": lambda x: (2 - x) / 3 + 4 / x * 5 - x * 0.5 + 1.5 * x - (x + 1) * 2,
    "unary_chain": lambda x: (x.pow(3) + x.sqrt() + x.log() + x.abs() + x.sin() * x.cos() + x.relu() - x.neg()
                              + x.pow(0.5) + x.pow(0)).sum(),
    "views": lambda x, w: (x.permute(2, 0, 1).reshape(4, 6).t().unsqueeze(0).expand(2, 6, 4) * w).sum(dim=(0, 2)),
    "reductions": lambda x: x.sum(dim=1).mean(dim=-1, keepdim=True) * x.mean() + x.sum(dim=[0, 2], keepdim=True).sum(),
    "matmul_shapes": lambda v, m, w, bt, mm, u: (v @ m) @ w + (bt @ mm @ u).sum(),
    "squeeze_view": lambda x: (x.squeeze() * 2).sum() + (x.squeeze(-1) ** 2).sum() + x.view(3).sum(),
    "shared_input": lambda x: x * x + x / (x + 3),
    "hvp_cubic": lambda x, y, v: hvp(lambda a, b: (a.pow(3) * b).sum(), x, [y], v),
    "hvp_tanh_matmul": lambda x, a, v: hvp(lambda p, q: (p @ q).tanh().sum(), x, [a], v),
}


def generate():
    seeded(47)
    cases = []

    def add(name, inputs, grad_output=None):
        ts = [t.clone().requires_grad_(rg) for t, rg in inputs]
        out = EXPRESSIONS[name](*ts)
        if grad_output is None:
            out.backward()
        else:
            out.backward(grad_output)
        cases.append({
            "name": name,
            "inputs": [dict(enc_tensor(t), requires_grad=rg) for t, rg in inputs],
            "grad_output": None if grad_output is None else enc_tensor(grad_output),
            "expected": enc_tensor(out),
            "grads": [enc_tensor(t.grad) if rg else None for t, (_, rg) in zip(ts, inputs)],
        })

    add("mlp", [(rand(4, 3), False), (rand(3, 5), True), (rand(5), True), (rand(5, 2), True)])
    add("broadcast_arith", [(rand(3, 1), True), (positive(1, 4), True)])
    add("scalar_forms", [(positive(5), True)], grad_output=rand(5))
    add("unary_chain", [(positive(2, 3), True)])
    add("views", [(rand(2, 3, 4), True), (rand(2, 6, 4), True)], grad_output=rand(6))
    add("reductions", [(rand(3, 4, 5), True)], grad_output=rand(3, 1))
    add("matmul_shapes", [(rand(3), True), (rand(3, 4), True), (rand(4), True), (rand(2, 3, 4), True),
                          (rand(4, 5), True), (rand(5), False)])
    add("squeeze_view", [(rand(1, 3, 1), True)])
    add("shared_input", [(positive(4), True)], grad_output=rand(4))
    add("hvp_cubic", [(rand(4), True), (rand(4), True), (rand(4), False)])
    add("hvp_tanh_matmul", [(rand(2, 3), True), (rand(3, 3), True), (rand(2, 3), False)])
    write("autograd.json", cases)
    generate_functional()


def generate_functional():
    """autograd_functional.json: torch.autograd.functional results for two functions the C#
    test builds under the same names."""
    seeded(53)
    from torch.autograd import functional as AF
    x, a, w, v3, v2 = rand(3), rand(3, 3), rand(3), rand(3), rand(2)
    b = rand(3, 2)

    def vec(x):          # R^3 -> R^2
        return (x @ b).tanh() * x[:2]

    def scalar(x):       # R^3 -> R
        return (x.pow(3) * w).sum() + x @ a @ x

    vjp_out, vjp = AF.vjp(vec, x, v2)
    jvp_out, jvp = AF.jvp(vec, x, v3)
    hvp_out, hvp = AF.hvp(scalar, x, v3)
    cases = [
        {"name": "jacobian_vec", "expected": enc_tensor(AF.jacobian(vec, x))},
        {"name": "hessian_scalar", "expected": enc_tensor(AF.hessian(scalar, x))},
        {"name": "vjp_vec", "output": enc_tensor(vjp_out), "expected": enc_tensor(vjp)},
        {"name": "jvp_vec", "output": enc_tensor(jvp_out), "expected": enc_tensor(jvp)},
        {"name": "hvp_scalar", "output": enc_tensor(hvp_out), "expected": enc_tensor(hvp)},
    ]
    write("autograd_functional.json", cases, x=enc_tensor(x), a=enc_tensor(a), w=enc_tensor(w), b=enc_tensor(b),
          v3=enc_tensor(v3), v2=enc_tensor(v2))
