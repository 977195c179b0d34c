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
    "prod_zeros": lambda x: x.prod(dim=1).sum() + x.prod() * 0.1 + x[:2].prod() + x.prod(dim=0, keepdim=True).sum(),
    "extremes": lambda x: (x.amax(dim=1).sum() + x.amin(dim=[0, 1]) + x.max() + x.min() + x.max(dim=0).values.sum()
                           + x.min(dim=1, keepdim=True).values.sum()),
    "moments": lambda x: (x.var(dim=1).sum() + x.std(dim=[0, 1], unbiased=False) + torch.var_mean(x, dim=1)[0].sum() * 0.5
                          + torch.var_mean(x, dim=1)[1].sum() * 2 + sum(t.sum() for t in torch.std_mean(x, dim=0, keepdim=True))),
    "norms": lambda x: (x.norm(2) + x.norm(1, dim=1).sum() + torch.linalg.vector_norm(x, 3, dim=0).sum()
                        + torch.linalg.vector_norm(x, float("inf")) + torch.linalg.vector_norm(x, 0)),
    "scans": lambda x: x.logsumexp(dim=1).sum() + x.cumsum(dim=1).pow(2).sum() + x.cumprod(dim=0).sum(),
    "cumprod_zero": lambda x: x.cumprod(dim=1),
    "indexing": lambda x, src, src2: ((x.gather(1, IDX) * 2).sum() + x.index_select(0, torch.tensor([2, 0, 2])).pow(2).sum()
                                      + x.masked_select(x > 0).pow(2).sum() + x.scatter(1, IDX, src).pow(2).sum()
                                      + x.scatter_add(1, IDX, src).pow(2).sum()
                                      + x.index_add(0, torch.tensor([0, 2]), src2, alpha=2).pow(2).sum()),
    "shape_ops": lambda x, w: ((x.flip(0, 2) * w).sum() + x.roll(1, 2).pow(2).sum() + x.repeat(2, 1, 1, 2).pow(2).sum() * 0.1
                               + (x.tile((2,)) * 3).sum() + x[0].tril(-1).pow(2).sum() + x[1].triu(1).pow(2).sum()
                               + x.diagonal(0, 1, 2).pow(2).sum() + x[0, :, 0].diag(1).pow(2).sum() + x[0, :3, :3].diag().pow(3).sum()
                               + sum(p.pow(2).sum() * i for i, p in enumerate(x.split(2, dim=2)))
                               + sum(p.sum() * (i + 1) for i, p in enumerate(x.chunk(3, dim=1))) + x.unbind(0)[1].pow(2).sum()),
    "linalg": lambda a, b, v, bt, bt2, c: (a.mm(b).sum() + torch.bmm(bt, bt2).pow(2).sum() + a.mv(v).pow(2).sum() + v.dot(v * 2)
                                           + torch.outer(v, c).pow(2).sum() + torch.addmm(c, a, b, beta=0.5, alpha=2).pow(2).sum()
                                           + torch.baddbmm(c, bt, bt2, beta=2, alpha=0.5).sum()
                                           + torch.addmv(a[:, 0], a, v, beta=3, alpha=-1).pow(2).sum()),
    "conversions": lambda x: (x.float() * 2).double().sum() + x.t().contiguous().pow(2).sum() + x.clone().exp().sum(),
    "adv_indexing": lambda x, v, w: (x[torch.tensor([0, 2, 0])].pow(2).sum() + x[x > 0].sum() * 2
                                     + x[:, torch.tensor([1, 1])].sum() + x[...].pow(3).sum()
                                     + x.index_put((torch.tensor([0, 1]),), v).pow(2).sum()
                                     + x.index_put((torch.tensor([1, 1]), torch.tensor([0, 2])), w, accumulate=True).pow(2).sum()),
    "einsum": lambda a, b, c, e, f: (torch.einsum("ij,jk->ik", a, b).pow(2).sum() + torch.einsum("iij->j", c).pow(2).sum()
                                     + torch.einsum("ij,jk->i", a, b).pow(2).sum() + torch.einsum("...ij,jk->...ik", c, b).pow(2).sum()
                                     + torch.einsum("ij,jk", a, b).sum() + torch.einsum("bi,bi->b", a, a).pow(2).sum()
                                     + torch.einsum("...j,...j->...", e, f).pow(2).sum() + torch.einsum("iji->j", c[:, :, :2]).sum()),
    "scatter_reduce": lambda x, src: (x.scatter_reduce(1, IDX, src, "sum").pow(2).sum()
                                      + x.scatter_reduce(1, IDX, src, "mean", include_self=False).pow(2).sum()
                                      + x.scatter_reduce(1, IDX, src, "mean").pow(2).sum()
                                      + x.scatter_reduce(1, IDX2, src, "amax").pow(2).sum()
                                      + x.scatter_reduce(1, IDX2, src, "amin", include_self=False).pow(2).sum()
                                      + x.scatter_reduce(1, IDX2, src, "prod").pow(2).sum()
                                      + x.scatter_reduce(1, IDX, src, "prod", include_self=False).pow(2).sum()),
    # prod with zeros in self and in src (one zero at a place, and two zeros at one place)
    "scatter_reduce_prod_zeros": lambda x, src: (x.scatter_reduce(1, IDX2, src, "prod").pow(2).sum()
                                                 + x.scatter_reduce(1, IDX, src, "prod", include_self=False).sum()),
    "hvp_cubic": lambda x, y, v: hvp(lambda a, b: (a.pow(3) * b).sum(), x, [y], v),
    "hvp_tanh_matmul": lambda x, a, v: hvp(lambda p, q: (p @ q).tanh().sum(), x, [a], v),
}


IDX = torch.tensor([[0, 2], [1, 3], [3, 0]])
IDX2 = torch.tensor([[0, 0], [1, 1], [3, 3]])  # two values into one place: ties share an extreme's gradient


def with_zeros(t, positions):
    t = t.clone()
    for p in positions:
        t[p] = 0
    return t


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
    add("prod_zeros", [(with_zeros(rand(3, 4), [(0, 1), (2, 0), (2, 3)]), True)])
    ties = rand(3, 4)
    ties[0, 3] = ties[0, 1]
    ties[2, 2] = ties.max()
    ties[1, 0] = ties.min()
    add("extremes", [(ties, True)])
    add("moments", [(rand(3, 5), True)])
    add("norms", [(rand(2, 3), True)])
    add("scans", [(rand(3, 4), True)])
    add("cumprod_zero", [(with_zeros(rand(2, 5), [(0, 2), (1, 1), (1, 3)]), True)], grad_output=rand(2, 5))
    add("indexing", [(rand(3, 4), True), (rand(3, 2), True), (rand(2, 4), True)])
    add("shape_ops", [(rand(2, 3, 4), True), (rand(2, 3, 4), True)])
    add("linalg", [(rand(3, 4), True), (rand(4, 2), True), (rand(4), True), (rand(2, 3, 4), True), (rand(2, 4, 2), True),
                   (rand(2), True)])
    add("conversions", [(rand(2, 3), True)])
    add("adv_indexing", [(rand(4, 3), True), (rand(3), True), (rand(2), True)])
    add("einsum", [(rand(2, 3), True), (rand(3, 4), True), (rand(2, 2, 3), True), (rand(2, 1, 3), True), (rand(4, 3), True)])
    add("hvp_cubic", [(rand(4), True), (rand(4), True), (rand(4), False)])
    add("hvp_tanh_matmul", [(rand(2, 3), True), (rand(3, 3), True), (rand(2, 3), False)])
    tied = rand(3, 2)
    tied[0, 1] = tied[0, 0]   # equal extremes split the gradient evenly
    add("scatter_reduce", [(rand(3, 4), True), (tied, True)])
    add("scatter_reduce_prod_zeros", [(with_zeros(rand(3, 4), [(0, 0), (2, 1)]), True),
                                      (with_zeros(rand(3, 2), [(0, 1), (1, 0), (1, 1)]), True)])
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
