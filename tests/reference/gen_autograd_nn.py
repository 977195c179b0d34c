"""Fixtures for the gradients of the neural-network ops (tests/reference/fixtures/autograd_nn.json):
losses, softmax and the normalisation layers, embedding, convolution, pooling, interpolation, grid_sample,
attention, sort/topk/msort, repeat_interleave, pad and the end-to-end models (a 2-layer MLP and a
tiny CNN). For each case, float64 inputs, a fixed grad_output, torch's first-order gradient of
every input that requires grad, and a second-order product: the gradient of sum_i sum(grad_i * v_i)
with respect to the inputs, built with create_graph=True. Run through generate.py.

A case has the fields of autograd_pointwise.json: "name" (the C# test builds the same expression
under that name), "inputs" (with "requires_grad"; integer targets do not), "grad_output", "v",
"expected", "grads" and "second" (null where an input does not require grad). A gradient torch
leaves undefined (None) is stored as zeros. Ops whose picks are linear in the input (sort, pad,
...) are raised to a power so that their second order is not trivially zero.
"""
import torch
import torch.nn.functional as F

from generate import enc_tensor, seeded, write

F64 = torch.float64


def rn(*shape, scale=1.0):
    return torch.randn(*shape, dtype=F64) * scale


def uni(lo, hi, *shape):
    return torch.rand(*shape, dtype=F64) * (hi - lo) + lo


def probs(*shape, dim=1):
    return torch.softmax(rn(*shape), dim)


def classes(n, *shape):
    return torch.randint(0, n, shape, dtype=torch.int64)


def with_ignored(t, value=-100):
    t = t.clone()
    t.view(-1)[1] = value
    return t


def diff(*gens):
    """Builder: every input requires grad."""
    return lambda: [(g(), True) for g in gens]


def attention(q, k, v, mask=None, causal=False):
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if causal:
        mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, -1) @ v


def _cases():
    c = {}
    # --- pointwise losses (input and target both differentiable) ---
    c["mse_mean"] = (F.mse_loss, diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["mse_none_broadcast"] = (lambda x, y: F.mse_loss(x, y, reduction="none"), diff(lambda: rn(3, 4), lambda: rn(4)))
    c["mse_sum"] = (lambda x, y: F.mse_loss(x, y, reduction="sum"), diff(lambda: rn(2, 3), lambda: rn(2, 3)))
    c["l1_mean"] = (F.l1_loss, diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["l1_none"] = (lambda x, y: F.l1_loss(x, y, reduction="none"), diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["smooth_l1_mean"] = (lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["smooth_l1_beta0_sum"] = (lambda x, y: F.smooth_l1_loss(x, y, reduction="sum", beta=0.0),
                                diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["huber_none"] = (lambda x, y: F.huber_loss(x, y, reduction="none", delta=0.7), diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["huber_mean"] = (lambda x, y: F.huber_loss(x, y, delta=1.3), diff(lambda: rn(3, 4), lambda: rn(3, 4)))
    c["bce_mean_weight"] = (lambda x, y, w: F.binary_cross_entropy(x, y, weight=w),
                            lambda: [(uni(0.1, 0.9, 3, 4), True), (uni(0, 1, 3, 4), True), (uni(0.5, 2, 4), False)])
    c["bce_none"] = (lambda x, y: F.binary_cross_entropy(x, y, reduction="none"),
                     diff(lambda: uni(0.1, 0.9, 3, 4), lambda: uni(0, 1, 3, 4)))
    c["bce_logits_mean"] = (lambda x, y, w, pw: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=pw),
                            lambda: [(rn(3, 4, scale=2), True), (uni(0, 1, 3, 4), True), (uni(0.5, 2, 3, 1), False),
                                     (uni(0.5, 3, 4), False)])
    c["bce_logits_none"] = (lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
                            diff(lambda: rn(3, 4, scale=2), lambda: uni(0, 1, 3, 4)))
    c["kl_div_batchmean"] = (lambda x, y: F.kl_div(x, y, reduction="batchmean"),
                             diff(lambda: torch.log_softmax(rn(3, 4), 1), lambda: probs(3, 4)))
    c["kl_div_log_target_sum"] = (lambda x, y: F.kl_div(x, y, reduction="sum", log_target=True),
                                  diff(lambda: torch.log_softmax(rn(3, 4), 1), lambda: torch.log_softmax(rn(3, 4), 1)))
    c["kl_div_mean"] = (lambda x, y: F.kl_div(x, y, reduction="mean"), diff(lambda: rn(3, 4), lambda: probs(3, 4)))
    c["kl_div_none"] = (lambda x, y: F.kl_div(x, y, reduction="none"), diff(lambda: rn(3, 4), lambda: probs(3, 4)))

    # --- class losses (integer targets are not differentiable) ---
    c["nll_mean_weight_ignore"] = (lambda x, t, w: F.nll_loss(x, t, weight=w, ignore_index=-100),
                                   lambda: [(rn(4, 3), True), (with_ignored(classes(3, 4)), False), (uni(0.5, 2, 3), False)])
    c["nll_none_3d"] = (lambda x, t: F.nll_loss(x, t, reduction="none"), lambda: [(rn(2, 3, 4), True), (classes(3, 2, 4), False)])
    c["nll_sum_1d"] = (lambda x, t: F.nll_loss(x, t, reduction="sum"), lambda: [(rn(5), True), (classes(5), False)])
    c["cross_entropy_mean"] = (F.cross_entropy, lambda: [(rn(4, 5), True), (classes(5, 4), False)])
    c["cross_entropy_weight_ignore_smoothing"] = (
        lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=2, label_smoothing=0.2),
        lambda: [(rn(5, 4), True), (with_ignored(classes(4, 5), 2), False), (uni(0.5, 2, 4), False)])
    c["cross_entropy_smoothing_ignore"] = (lambda x, t: F.cross_entropy(x, t, label_smoothing=0.3),
                                           lambda: [(rn(5, 4), True), (with_ignored(classes(4, 5)), False)])
    c["cross_entropy_none_4d"] = (lambda x, t: F.cross_entropy(x, t, reduction="none", label_smoothing=0.1),
                                  lambda: [(rn(2, 3, 2, 2), True), (classes(3, 2, 2, 2), False)])
    c["cross_entropy_sum_1d"] = (lambda x, t: F.cross_entropy(x, t, reduction="sum"), lambda: [(rn(5), True), (classes(5), False)])
    c["cross_entropy_probs"] = (lambda x, y, w: F.cross_entropy(x, y, weight=w, label_smoothing=0.15),
                                lambda: [(rn(3, 4), True), (probs(3, 4), True), (uni(0.5, 2, 4), False)])
    c["cross_entropy_probs_none"] = (lambda x, y: F.cross_entropy(x, y, reduction="none"),
                                     diff(lambda: rn(2, 3, 2), lambda: probs(2, 3, 2)))

    # --- picks and copies ---
    c["sort"] = (lambda x: torch.sort(x, dim=1, descending=True).values.pow(3), diff(lambda: rn(3, 4)))
    c["sort_dim0"] = (lambda x: torch.sort(x, dim=0).values.pow(3), diff(lambda: rn(3, 4)))
    c["topk"] = (lambda x: torch.topk(x, 2, dim=-1).values.pow(3), diff(lambda: rn(3, 5)))
    c["topk_smallest_dim0"] = (lambda x: torch.topk(x, 2, dim=0, largest=False).values.pow(3), diff(lambda: rn(4, 3)))
    c["msort"] = (lambda x: torch.msort(x).pow(3), diff(lambda: rn(4, 3)))
    c["repeat_interleave"] = (lambda x: x.repeat_interleave(2, dim=1).pow(3), diff(lambda: rn(2, 3)))
    c["repeat_interleave_flat"] = (lambda x: x.repeat_interleave(3).pow(3), diff(lambda: rn(2, 2)))
    c["repeat_interleave_tensor"] = (lambda x: x.repeat_interleave(torch.tensor([2, 0, 1]), dim=0).pow(3), diff(lambda: rn(3, 2)))
    c["pad_constant"] = (lambda x: F.pad(x, (1, 2, -1, 1), value=0.5).pow(3), diff(lambda: rn(2, 3, 4)))
    c["pad_reflect"] = (lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect").pow(3), diff(lambda: rn(1, 2, 3, 4)))
    c["pad_replicate"] = (lambda x: F.pad(x, (2, 1), mode="replicate").pow(3), diff(lambda: rn(2, 3, 4)))
    c["pad_circular"] = (lambda x: F.pad(x, (1, 2, 2, 1), mode="circular").pow(3), diff(lambda: rn(1, 2, 3, 4)))

    # --- softmax and normalisation layers ---
    c["softmax"] = (lambda x: torch.softmax(x, 1), diff(lambda: rn(3, 4)))
    c["softmax_dim0_3d"] = (lambda x: torch.softmax(x, 0), diff(lambda: rn(3, 2, 2)))
    c["log_softmax"] = (lambda x: torch.log_softmax(x, -1), diff(lambda: rn(3, 4)))
    c["nll_of_log_softmax"] = (lambda x, t: F.nll_loss(torch.log_softmax(x, 1), t), lambda: [(rn(4, 3), True), (classes(3, 4), False)])
    c["layer_norm"] = (lambda x, w, b: F.layer_norm(x, (4,), w, b), diff(lambda: rn(3, 4), lambda: rn(4), lambda: rn(4)))
    c["layer_norm_2d_no_affine"] = (lambda x: F.layer_norm(x, (3, 4), eps=1e-3), diff(lambda: rn(2, 3, 4)))
    # torch 1.13 has no rms_norm: its definition (as torch 2.4 computes it) is the reference.
    c["rms_norm"] = (lambda x, w: x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w, diff(lambda: rn(3, 4), lambda: rn(4)))
    c["rms_norm_default_eps"] = (lambda x: x * torch.rsqrt(x.pow(2).mean((-2, -1), keepdim=True) + torch.finfo(F64).eps),
                                 diff(lambda: rn(2, 3, 4)))
    c["batch_norm_train"] = (lambda x, w, b: F.batch_norm(x, torch.zeros(3, dtype=F64), torch.ones(3, dtype=F64), w, b, training=True),
                             diff(lambda: rn(2, 3, 4), lambda: rn(3), lambda: rn(3)))
    c["batch_norm_train_2d"] = (lambda x: F.batch_norm(x, None, None, training=True, eps=1e-3), diff(lambda: rn(5, 3)))
    c["batch_norm_eval"] = (lambda x, w, b, rm, rv: F.batch_norm(x, rm, rv, w, b, training=False),
                            lambda: [(rn(2, 3, 2), True), (rn(3), True), (rn(3), True), (rn(3), False), (uni(0.5, 2, 3), False)])
    c["group_norm"] = (lambda x, w, b: F.group_norm(x, 2, w, b), diff(lambda: rn(2, 4, 3), lambda: rn(4), lambda: rn(4)))
    c["group_norm_no_affine"] = (lambda x: F.group_norm(x, 3, eps=1e-3), diff(lambda: rn(2, 3, 2, 2)))
    c["embedding"] = (lambda i, w: F.embedding(i, w, padding_idx=1).pow(2),
                      lambda: [(torch.tensor([[0, 1, 3], [3, 2, 1]]), False), (rn(4, 3), True)])

    # --- pooling, interpolation, grid sampling, attention ---
    c["max_pool2d"] = (lambda x: F.max_pool2d(x, 2, stride=1).pow(3), diff(lambda: rn(1, 2, 4, 4)))
    c["max_pool1d_padded"] = (lambda x: F.max_pool1d(x, 3, stride=2, padding=1).pow(3), diff(lambda: rn(2, 3, 7)))
    c["adaptive_max_pool2d"] = (lambda x: F.adaptive_max_pool2d(x, (2, 3)).pow(3), diff(lambda: rn(2, 5, 7)))
    c["avg_pool2d"] = (lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False, ceil_mode=True).pow(3),
                       diff(lambda: rn(1, 2, 5, 6)))
    c["avg_pool1d"] = (lambda x: F.avg_pool1d(x, 2).pow(3), diff(lambda: rn(2, 3, 6)))
    c["adaptive_avg_pool2d"] = (lambda x: F.adaptive_avg_pool2d(x, (3, 2)).pow(3), diff(lambda: rn(1, 2, 5, 5)))
    c["adaptive_avg_pool1d"] = (lambda x: F.adaptive_avg_pool1d(x, 4).pow(3), diff(lambda: rn(2, 3, 7)))
    c["interpolate_bilinear"] = (lambda x: F.interpolate(x, size=(5, 3), mode="bilinear", align_corners=False).pow(3),
                                 diff(lambda: rn(1, 2, 3, 4)))
    c["interpolate_nearest_scale"] = (lambda x: F.interpolate(x, scale_factor=2.0).pow(3), diff(lambda: rn(1, 2, 3)))
    c["grid_sample"] = (lambda x, g: F.grid_sample(x, g, align_corners=False),
                        diff(lambda: rn(1, 2, 3, 4), lambda: uni(-0.9, 0.9, 1, 2, 3, 2)))
    # torch 1.13 has no F.scaled_dot_product_attention: its definition is the reference.
    c["sdpa"] = (lambda q, k, v: attention(q, k, v), diff(lambda: rn(2, 3, 4), lambda: rn(2, 5, 4), lambda: rn(2, 5, 3)))
    c["sdpa_causal_scale"] = (lambda q, k, v: attention(q, k, v, causal=True) * 2,
                              diff(lambda: rn(1, 2, 4, 3), lambda: rn(1, 2, 4, 3), lambda: rn(1, 2, 4, 3)))
    c["sdpa_bool_mask"] = (lambda q, k, v, m: attention(q, k, v, mask=m),
                           lambda: [(rn(2, 3, 4), True), (rn(2, 5, 4), True), (rn(2, 5, 3), True),
                                    (torch.tensor([[True, False, True, True, False]] * 3), False)])

    # --- convolution (bilinear: the second order needs no power) ---
    c["conv2d"] = (lambda x, w, b: F.conv2d(x, w, b, padding=1), diff(lambda: rn(2, 3, 4, 4), lambda: rn(2, 3, 3, 3), lambda: rn(2)))
    c["conv2d_stride_dilation_groups"] = (lambda x, w: F.conv2d(x, w, stride=2, dilation=(1, 2), groups=2),
                                          diff(lambda: rn(1, 4, 6, 7), lambda: rn(2, 2, 2, 2)))
    c["conv1d_same"] = (lambda x, w, b: F.conv1d(x, w, b, padding="same"), diff(lambda: rn(2, 2, 5), lambda: rn(3, 2, 4), lambda: rn(3)))
    c["conv_transpose2d"] = (lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1),
                             diff(lambda: rn(1, 2, 3, 3), lambda: rn(2, 3, 3, 3), lambda: rn(3)))

    c["unfold"] = (lambda x: F.unfold(x, (2, 3), dilation=1, padding=1, stride=(2, 1)).pow(3), diff(lambda: rn(2, 2, 4, 5)))
    c["fold"] = (lambda x: F.fold(x, (4, 5), (2, 3), padding=1, stride=(2, 1)).pow(3), diff(lambda: rn(2, 12, 15)))

    # --- end to end: a tiny CNN (conv -> relu -> max pool -> linear -> cross entropy) ---
    c["cnn"] = (lambda x, t, w, b, fw, fb: F.cross_entropy(
                    F.max_pool2d(torch.relu(F.conv2d(x, w, b, padding=1)), 2).reshape(x.shape[0], -1) @ fw + fb, t),
                lambda: [(rn(3, 2, 4, 4), False), (classes(4, 3), False), (rn(3, 2, 3, 3), True), (rn(3), True),
                         (rn(12, 4), True), (rn(4), True)])

    # --- end to end: a 2-layer MLP trained with cross entropy ---
    c["mlp"] = (lambda x, t, w1, b1, w2, b2: F.cross_entropy(torch.relu(x @ w1 + b1).tanh() @ w2 + b2, t),
                lambda: [(rn(6, 4), False), (classes(3, 6), False), (rn(4, 5), True), (rn(5), True), (rn(5, 3), True),
                         (rn(3), True)])
    return c


CASES = _cases()

# Ops whose torch 1.13 double backward is no float64 reference, with the same loss written with
# ops torch differentiates exactly; the second-order product comes from it, after its first
# gradient is checked against the op's:
#   binary_cross_entropy: binary_cross_entropy_double_backward adds eps = 1e-12 to x and 1 - x
#   in its denominators (a 1e-11 relative change); the op's first gradient has no such term.
SECOND_VIA = {
    "bce_mean_weight": lambda x, y, w: (-w * (y * x.log() + (1 - y) * (1 - x).log())).mean(),
    "bce_none": lambda x, y: -(y * x.log() + (1 - y) * (1 - x).log()),
}


# torch has no double backward for these either ("derivative for aten::grid_sampler_2d_backward is
# not implemented"): no second-order product is stored, and Compute must refuse createGraph by name.
FIRST_ORDER_ONLY = {"grid_sample"}


def _zeros_for_none(gs, ts):
    # torch stores some known-zero gradients (sign's) as storage-less ZeroTensors.
    return [torch.zeros_like(t) if g is None or g._is_zerotensor() else g for g, t in zip(gs, ts)]


def generate():
    seeded(71)
    out_cases = []
    for name, (f, build) in CASES.items():
        raw = build()
        ts = [t.clone().requires_grad_(rg) for t, rg in raw]
        wrt = [t for t in ts if t.requires_grad]
        out = f(*ts)
        go = torch.randn(out.shape, dtype=F64)
        vs = [torch.randn(t.shape, dtype=F64) if t.requires_grad else None for t in ts]
        grads = _zeros_for_none(torch.autograd.grad(out, wrt, go, create_graph=True, allow_unused=True), wrt)
        if name in SECOND_VIA:
            via = _zeros_for_none(torch.autograd.grad(SECOND_VIA[name](*ts), wrt, go, create_graph=True, allow_unused=True), wrt)
            assert all(torch.allclose(a, b, rtol=1e-10, atol=0) for a, b in zip(grads, via)), name
            grads = [g.detach() for g in grads]
            grads_for_second = via
        else:
            grads_for_second = grads
        total = sum((g * v).sum() for g, v in zip(grads_for_second, [v for v in vs if v is not None]) if g.requires_grad)
        if name in FIRST_ORDER_ONLY:
            second = [None for t in wrt]
        elif isinstance(total, torch.Tensor) and total.requires_grad:
            second = _zeros_for_none(torch.autograd.grad(total, wrt, allow_unused=True), wrt)
        else:
            second = [torch.zeros_like(t) for t in wrt]
        it_g, it_s = iter(grads), iter(second)
        out_cases.append({
            "name": name,
            "inputs": [dict(enc_tensor(t), requires_grad=rg) for t, rg in raw],
            "grad_output": enc_tensor(go),
            "v": [enc_tensor(v) if v is not None else None for v in vs],
            "expected": enc_tensor(out),
            "grads": [enc_tensor(next(it_g)) if rg else None for _, rg in raw],
            "second": [enc_tensor(s) if (s := next(it_s) if rg else None) is not None else None for _, rg in raw],
        })
    write("autograd_nn.json", out_cases)
