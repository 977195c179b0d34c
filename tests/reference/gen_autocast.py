"""Fixtures for automatic mixed precision on the CPU (tests/reference/fixtures/autocast.json).
Run through generate.py.

Every case runs one op inside torch.autocast("cpu", dtype=torch.bfloat16) (torch 1.13, whose CPU
autocast takes bfloat16 only) and stores: "op" (the C# test's name for the call), "inputs" (the
tensors as given to the op, float32 unless the case is about another dtype), "args" (the op's
other arguments), "expected" (PyTorch's output: its dtype is the autocast policy's verdict) and
"abs_bound" (float64, shaped like expected): how far a correct result may be from PyTorch's.

The bound: "exact" is the op in float64 on the values the policy feeds it (the inputs rounded to
the dtype autocast casts them to); PyTorch is |torch - exact| from it, and a correct
implementation is within "roundings" units in the last place of the output dtype at |exact|
(one per rounding to the output dtype that Compute's composition may do: a product with a bias
added after it rounds twice) plus, for float32 reductions over n elements, n * eps32 * scale
(the classic bound of a float32 sum of terms of magnitude up to scale).

Gradient cases ("grads": true) also backpropagate sum(output.float() * v) and store the
gradient of every float32 input ("expected_grads", "grad_bounds"); autocast casts gradients
back to the input dtype, so they are float32, computed through bfloat16 products.

Compute follows PyTorch's current lists (aten/src/ATen/autocast_mode.cpp). Two ops joined the
CPU bfloat16 list after torch 1.13, conv_transpose and prelu: their cases ("cast_first") run
the float32 op on inputs rounded to bfloat16 and round its result (see case()).
"""
import torch
import torch.nn.functional as F

from generate import enc_tensor, seeded, write

BF16 = torch.bfloat16
F64 = torch.float64


def ulp(x, dtype):
    """Units in the last place of dtype at |x| (float64 tensor)."""
    eps = torch.finfo(dtype).eps
    tiny = torch.finfo(dtype).tiny
    return torch.clamp(x.abs(), min=tiny) * eps


def bound(torch_out, exact, roundings, dtype, extra=None):
    b = (torch_out.double() - exact).abs() + roundings * ulp(exact, dtype)
    if extra is not None:
        b = b + extra
    return b


def as_fed(t, dtype):
    """The float64 values an op sees when autocast casts t to dtype (float64/int inputs unchanged)."""
    if t.dtype in (torch.float32, torch.float16, BF16) and dtype is not None:
        return t.to(dtype).double()
    return t.double() if t.is_floating_point() else t


def case(cases, name, op, fn, inputs, args, fed, roundings, reduce_n=0, grads=False, bilinear=False, cast_first=False):
    """fn(*tensors) is the op; fed is the dtype autocast feeds it (None: inputs as given).
    reduce_n: the op sums n terms in float32 (or the output dtype, if wider); the scale of the
    terms is fn of the absolute inputs for an op linear in each input (products, convolutions:
    bilinear=True), else |exact| plus the largest |input| (losses: the terms are of the size
    of the inputs and the result)."""
    leaves = [t.clone().requires_grad_(grads and t.dtype == torch.float32) for t in inputs]
    if cast_first:
        # Ops that PyTorch added to the CPU bfloat16 list after 1.13. Autocast in PyTorch 2.x
        # casts the inputs to bfloat16 and runs the bfloat16 kernel, which accumulates in
        # float32 and rounds once; 1.13's CPU bfloat16 conv_transpose2d fails (a channel-count
        # error), so the float32 op runs on the bfloat16-rounded inputs and its result is rounded.
        out = fn(*[t.to(BF16).float() if t.dtype == torch.float32 else t for t in leaves]).to(BF16)
    else:
        with torch.autocast("cpu", dtype=BF16):
            out = fn(*leaves)
    exact_in = [as_fed(t, fed).requires_grad_(grads and t.dtype == torch.float32) for t in inputs]
    exact = fn(*exact_in)
    extra = None
    if reduce_n:
        acc = torch.float64 if out.dtype == torch.float64 else torch.float32
        if bilinear:
            scale = fn(*[e.detach().abs() if e.is_floating_point() else e for e in exact_in]).abs()
        else:
            scale = exact.detach().abs() + max(e.detach().abs().max().item() for e in exact_in if e.is_floating_point())
        extra = reduce_n * torch.finfo(acc).eps * scale
    c = {
        "name": name,
        "op": op,
        "inputs": [enc_tensor(t) for t in inputs],
        "args": args,
        "expected": enc_tensor(out),
        "abs_bound": enc_tensor(bound(out, exact.detach(), roundings, out.dtype, extra)),
    }
    if grads:
        v = torch.randn(out.shape, dtype=torch.float32)
        (out.float() * v).sum().backward()
        # The upstream gradient reaches the bfloat16 output as v rounded to bfloat16.
        (exact * v.to(out.dtype).double()).sum().backward()
        c["v"] = enc_tensor(v)
        c["expected_grads"] = [enc_tensor(t.grad) if t.grad is not None else None for t in leaves]
        c["grad_bounds"] = [enc_tensor(bound(t.grad, e.grad, roundings, BF16)) if t.grad is not None else None
                            for t, e in zip(leaves, exact_in)]
        assert all(t.grad is None or t.grad.dtype == torch.float32 for t in leaves)
    cases.append(c)


def generate():
    seeded(91)
    r = lambda *s, scale=1.0: torch.randn(*s, dtype=torch.float32) * scale
    cases = []
    # ---- lower precision: products and convolutions run in bfloat16 ----
    case(cases, "mm", "mm", torch.mm, [r(5, 7), r(7, 3)], {}, BF16, 1, reduce_n=7, bilinear=True, grads=True)
    case(cases, "matmul_batched_broadcast", "matmul", torch.matmul, [r(2, 5, 7), r(7, 3)], {}, BF16, 1, reduce_n=7, bilinear=True)
    case(cases, "bmm", "bmm", torch.bmm, [r(2, 4, 6), r(2, 6, 3)], {}, BF16, 1, reduce_n=6, bilinear=True)
    case(cases, "addmm", "addmm", torch.addmm, [r(3), r(5, 7), r(7, 3)], {}, BF16, 2)
    case(cases, "baddbmm", "baddbmm", torch.baddbmm, [r(2, 4, 3), r(2, 4, 6), r(2, 6, 3)], {}, BF16, 2)
    case(cases, "linear_bias", "linear", F.linear, [r(4, 6), r(3, 6), r(3)], {}, BF16, 2, reduce_n=7, bilinear=True, grads=True)
    case(cases, "linear_no_bias", "linear", F.linear, [r(2, 4, 6), r(3, 6)], {}, BF16, 1, reduce_n=6, bilinear=True, grads=True)
    case(cases, "einsum", "einsum", lambda a, b: torch.einsum("ij,jk->ik", a, b), [r(5, 7), r(7, 3)],
         {"equation": "ij,jk->ik"}, BF16, 1, reduce_n=7, bilinear=True)
    case(cases, "conv1d", "conv1d", F.conv1d, [r(2, 3, 9), r(4, 3, 3), r(4)], {}, BF16, 2, reduce_n=10, bilinear=True)
    case(cases, "conv2d", "conv2d", lambda x, w, b: F.conv2d(x, w, b, padding=1), [r(1, 2, 6, 6), r(3, 2, 3, 3), r(3)],
         {"padding": 1}, BF16, 2, reduce_n=19, bilinear=True, grads=True)
    case(cases, "conv_transpose2d", "conv_transpose2d", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2),
         [r(1, 2, 4, 4), r(2, 3, 3, 3), r(3)], {"stride": 2}, BF16, 2, reduce_n=19, bilinear=True,
         cast_first=True)
    case(cases, "prelu", "prelu", F.prelu, [r(2, 3, 4), r(3).abs() * 0.25], {}, BF16, 1, cast_first=True)
    # float64 is never cast.
    case(cases, "linear_float64_untouched", "linear", F.linear,
         [r(4, 6).double(), r(3, 6).double(), r(3).double()], {}, None, 1, reduce_n=7, bilinear=True)
    # ---- not on the CPU lists: the input's dtype is kept ----
    case(cases, "softmax_bf16_kept", "softmax", lambda x: torch.softmax(x, -1), [r(3, 8).to(BF16)], {"dim": -1}, None, 1)
    case(cases, "log_softmax_bf16_kept", "log_softmax", lambda x: torch.log_softmax(x, -1), [r(3, 8).to(BF16)],
         {"dim": -1}, None, 1)
    case(cases, "sum_bf16_kept", "sum", torch.sum, [r(16).to(BF16)], {}, None, 1)
    case(cases, "exp_float32_kept", "exp", torch.exp, [r(10)], {}, None, 1)
    case(cases, "mv_float32_kept", "mv", torch.mv, [r(4, 6), r(6)], {}, None, 1, reduce_n=6, bilinear=True)
    case(cases, "layer_norm_bf16_kept", "layer_norm", lambda x: F.layer_norm(x, (8,)), [r(3, 8).to(BF16)], {"shape": [8]},
         None, 1)
    # ---- float32 on the CPU: 16-bit inputs are computed in float32 ----
    lg = r(4, 5).to(BF16)
    case(cases, "cross_entropy", "cross_entropy", F.cross_entropy, [lg, torch.tensor([1, 0, 4, 2])], {}, torch.float32, 2,
         reduce_n=20)
    case(cases, "nll_loss", "nll_loss", F.nll_loss, [torch.log_softmax(r(4, 5), -1).to(BF16), torch.tensor([3, 0, 1, 1])],
         {}, torch.float32, 2, reduce_n=4)
    case(cases, "mse_loss", "mse_loss", F.mse_loss, [r(3, 4).to(BF16), r(3, 4)], {}, torch.float32, 2, reduce_n=12)
    case(cases, "l1_loss", "l1_loss", F.l1_loss, [r(3, 4).to(BF16), r(3, 4)], {}, torch.float32, 2, reduce_n=12)
    case(cases, "smooth_l1_loss", "smooth_l1_loss", F.smooth_l1_loss, [r(3, 4).to(BF16), r(3, 4)], {}, torch.float32, 2,
         reduce_n=12)
    case(cases, "huber_loss", "huber_loss", F.huber_loss, [r(3, 4).to(BF16), r(3, 4)], {}, torch.float32, 2, reduce_n=12)
    case(cases, "kl_div", "kl_div", lambda a, b: F.kl_div(a, b, reduction="batchmean"),
         [torch.log_softmax(r(3, 4), -1).to(BF16), torch.softmax(r(3, 4), -1)], {"reduction": "batchmean"}, torch.float32, 2,
         reduce_n=12)
    case(cases, "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits", F.binary_cross_entropy_with_logits,
         [r(3, 4).to(BF16), torch.rand(3, 4)], {}, torch.float32, 2, reduce_n=12)
    case(cases, "binary_cross_entropy", "binary_cross_entropy", F.binary_cross_entropy,
         [torch.rand(3, 4).clamp(0.05, 0.95).to(BF16), torch.rand(3, 4)], {}, torch.float32, 2, reduce_n=12)
    case(cases, "prod", "prod", torch.prod, [(r(6) * 0.5 + 1).to(BF16)], {}, torch.float32, 2, reduce_n=6)
    case(cases, "pad_reflect_1d", "pad_reflect", lambda x: F.pad(x, (2, 1), mode="reflect"), [r(1, 2, 5).to(BF16)],
         {"pad": [2, 1]}, torch.float32, 0)
    case(cases, "pad_replicate_2d", "pad_replicate", lambda x: F.pad(x, (1, 1, 2, 0), mode="replicate"),
         [r(1, 1, 3, 4).to(BF16)], {"pad": [1, 1, 2, 0]}, torch.float32, 0)
    case(cases, "pad_reflect_3d_kept", "pad_reflect", lambda x: F.pad(x, (1, 1, 1, 1, 1, 1), mode="reflect"),
         [r(1, 1, 3, 3, 3).to(BF16)], {"pad": [1, 1, 1, 1, 1, 1]}, None, 0)
    # ---- promote on the CPU: the widest input dtype ----
    case(cases, "cat_promotes", "cat", lambda a, b: torch.cat([a, b]), [r(2, 3).to(BF16), r(1, 3)], {}, torch.float32, 0)
    case(cases, "stack_promotes", "stack", lambda a, b: torch.stack([a, b]), [r(2, 3).to(BF16), r(2, 3)], {},
         torch.float32, 0)
    case(cases, "cat_bf16_kept", "cat", lambda a, b: torch.cat([a, b]), [r(2, 3).to(BF16), r(1, 3).to(BF16)], {}, None, 0)
    write("autocast.json", cases,
          description="Ops under torch.autocast('cpu', dtype=torch.bfloat16): output dtype and values with bounds, "
                      "and float32 gradients through bfloat16 products. See tests/reference/gen_autocast.py.")
