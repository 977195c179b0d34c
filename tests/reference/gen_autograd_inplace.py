"""Fixtures for in-place ops under autograd (tests/reference/fixtures/autograd_inplace.json):
programs that change non-leaf tensors and views of them in place, with the gradients
torch.autograd computes, and the programs PyTorch rejects with the first line of its error.
Run through generate.py.

A case: "name" (the C# test runs the same program under that name), "inputs" (float64 tensors
with "requires_grad"), then either "expected" (the program's scalar result), "grads" (one per
input, null where it does not require grad) and "grad_fn" (the name of the result's node), or
"error" (PyTorch's message; "error_at" says whether the program fails while running ("forward")
or in backward ("backward")).
"""
import torch
import torch.nn.functional as F

from generate import enc_tensor, seeded, write

F64 = torch.float64


def rand(*shape):
    return torch.randn(*shape, dtype=F64)


def select_mul(x):
    y = x * 2
    y[0].mul_(3)
    return y.sum()


def slice_add_operand(x, w):
    y = x * 1
    y[:, 1:3].add_(w)
    return (y * y).sum()


def diagonal_mul(x, w):
    y = x.clone()
    y.diagonal().mul_(w)
    return y.pow(2).sum()


def chain(x):
    y = x.exp()
    y.mul_(2).sin_()
    y.add_(x)
    return y.sum()


def copy_into_buffer(x, w):
    b = torch.zeros(3, 4, dtype=F64)
    b[0].copy_(x[1])
    b[1:] = w
    return (b * b).sum()


def view_of_view(x, w):
    y = x * 1
    y[1][1:3].mul_(w)
    return (y * y).sum()


def other_view_sees_change(x):
    y = x * 1
    a, b = y[0], y[0:2]
    a.mul_(3)
    return (b * b).sum()


def base_after_view_change(x):
    y = x.sigmoid()
    v = y.t()
    v[1].mul_(0.5)
    return (y * x).sum()


def relu_inplace_mlp(x, w1, w2):
    h = x @ w1
    F.relu(h, inplace=True)
    return torch.tanh(h @ w2).sum()


def masked_index_fill(x, v):
    y = x + 0
    y.masked_fill_(x > 0, 0.5)
    y.index_put_((torch.tensor([0, 2]),), v)
    y[1].fill_(2.0)
    return (y * x).sum()


def inplace_operand_saved(x, w):
    y = x * 1
    y.mul_(w)   # the formula for w reads y's old value: saved as a copy
    y.pow_(2)
    return y.sum()


def scatter_index_add(x, s):
    y = x * 1
    y.scatter_add_(1, torch.tensor([[0, 1], [2, 3], [1, 1]]), s)
    y.index_add_(0, torch.tensor([2, 0]), x[:2], alpha=0.5)
    return (y * y).sum()


def clamp_addcmul(x, a, b):
    y = x * 1
    y.clamp_(-0.5, 0.7).addcmul_(a, b, value=2).lerp_(a, 0.25)
    return y.pow(2).sum()


def leaf_no_grad_update(x):
    with torch.no_grad():
        x.mul_(2)
    return (x * x).sum()


def error_saved_output(x):
    y = x.exp()
    y.add_(1)
    return y.sum()


def error_saved_input(x, w):
    y = x * 2
    z = y * w
    y.add_(1)
    return z.sum()


def error_leaf(x):
    x.add_(1)
    return x.sum()


def error_view_of_leaf(x):
    x[0].add_(1)
    return x.sum()


def error_multi_output_view(x):
    y = x * 1
    y.split(2, 1)[0].mul_(2)
    return y.sum()


def error_view_created_in_no_grad(x, w):
    y = x * 1
    with torch.no_grad():
        v = y[0:2]
    v.mul_(w)
    return y.sum()


PROGRAMS = {
    "select_mul": (select_mul, lambda: [(rand(3, 4), True)]),
    "slice_add_operand": (slice_add_operand, lambda: [(rand(3, 4), True), (rand(3, 2), True)]),
    "diagonal_mul": (diagonal_mul, lambda: [(rand(3, 3), True), (rand(3), True)]),
    "chain": (chain, lambda: [(rand(2, 3), True)]),
    "copy_into_buffer": (copy_into_buffer, lambda: [(rand(2, 4), True), (rand(2, 4), True)]),
    "view_of_view": (view_of_view, lambda: [(rand(3, 4), True), (rand(2), True)]),
    "other_view_sees_change": (other_view_sees_change, lambda: [(rand(3, 4), True)]),
    "base_after_view_change": (base_after_view_change, lambda: [(rand(3, 4), True)]),
    "relu_inplace_mlp": (relu_inplace_mlp, lambda: [(rand(4, 3), False), (rand(3, 5), True), (rand(5, 2), True)]),
    "masked_index_fill": (masked_index_fill, lambda: [(rand(3, 4), True), (rand(4), True)]),
    "inplace_operand_saved": (inplace_operand_saved, lambda: [(rand(3), True), (rand(3), True)]),
    "scatter_index_add": (scatter_index_add, lambda: [(rand(3, 4), True), (rand(3, 2), True)]),
    "clamp_addcmul": (clamp_addcmul, lambda: [(rand(2, 3), True), (rand(2, 3), True), (rand(2, 3), True)]),
    "leaf_no_grad_update": (leaf_no_grad_update, lambda: [(rand(3), True)]),
    "error_saved_output": (error_saved_output, lambda: [(rand(3, 4), True)]),
    "error_saved_input": (error_saved_input, lambda: [(rand(3), True), (rand(3), True)]),
    "error_leaf": (error_leaf, lambda: [(rand(3), True)]),
    "error_view_of_leaf": (error_view_of_leaf, lambda: [(rand(2, 3), True)]),
    "error_multi_output_view": (error_multi_output_view, lambda: [(rand(2, 4), True)]),
    "error_view_created_in_no_grad": (error_view_created_in_no_grad, lambda: [(rand(3), True), (rand(2), True)]),
}


def generate():
    seeded(67)
    cases = []
    for name, (program, make) in PROGRAMS.items():
        inputs = make()
        ts = [t.clone().requires_grad_(rg) for t, rg in inputs]
        case = {"name": name, "inputs": [dict(enc_tensor(t), requires_grad=rg) for t, rg in inputs]}
        try:
            out = program(*ts)
        except RuntimeError as e:
            case.update(error=str(e).splitlines()[0], error_at="forward")
            cases.append(case)
            continue
        grad_fn = type(out.grad_fn).__name__
        try:
            out.backward()
        except RuntimeError as e:
            case.update(error=str(e).splitlines()[0], error_at="backward")
            cases.append(case)
            continue
        case.update(expected=enc_tensor(out), grad_fn=grad_fn,
                    grads=[enc_tensor(t.grad) if rg else None for t, (_, rg) in zip(ts, inputs)])
        cases.append(case)
    write("autograd_inplace.json", cases)
