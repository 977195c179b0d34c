"""Op benchmarks beyond the main table (bench/ops/entries.py): the binary, ternary, shape,
indexing and neural-network ops issue 3 lists, one typical shape each, so that a sweep shows
which kernels still run below PyTorch's speed. Same Entry form as entries.py."""
import ctypes

import numpy as np

from capi import Scalar, int64s
from entries import Entry, MEG, F32, ONE, rand, make_inputs, _F


def other(*shape, low=-2.0, high=2.0, seed=12345, dtype=F32):
    """Like entries.rand, with other numbers (rand seeds by shape, so two inputs of one shape
    would otherwise be equal)."""
    rng = np.random.default_rng(sum(shape) + seed)
    return lambda: rng.uniform(low, high, size=shape).astype(dtype)


def _cross_entropy_backward_torch(t):
    """What PyTorch's autograd runs for F.cross_entropy's mean backward: nll_loss_backward, then
    log_softmax's backward on the saved log-probabilities (computed here, outside the timing)."""
    import torch
    logp = t[0].log_softmax(1)
    total = torch.tensor(float(t[0].shape[0]))
    return lambda: torch.ops.aten._log_softmax_backward_data(
        torch.ops.aten.nll_loss_backward(t[2], logp, t[1], None, 1, -100, total), logp, 1, torch.float32)


def _ints(*shape, high, dtype=np.int64):
    rng = np.random.default_rng(sum(shape) + 7)
    return lambda: rng.integers(0, high, size=shape).astype(dtype)


def _bools(*shape):
    rng = np.random.default_rng(sum(shape) + 11)
    return lambda: rng.random(size=shape) < 0.5


# (name, C function, torch call, (low, high) of both inputs)
_BINARY = (
    ("pow", "cmp_pow", lambda a, b: a.pow(b), (0.5, 2.0)),
    ("atan2", "cmp_atan2", lambda a, b: a.atan2(b), (-2.0, 2.0)),
    ("hypot", "cmp_hypot", lambda a, b: a.hypot(b), (-2.0, 2.0)),
    ("fmod", "cmp_fmod", lambda a, b: a.fmod(b), (0.5, 2.0)),
    ("remainder", "cmp_remainder", lambda a, b: a.remainder(b), (0.5, 2.0)),
    ("floor_divide", "cmp_floor_divide", lambda a, b: a.floor_divide(b), (0.5, 2.0)),
    ("maximum", "cmp_maximum", lambda a, b: a.maximum(b), (-2.0, 2.0)),
    ("fmax", "cmp_fmax", lambda a, b: a.fmax(b), (-2.0, 2.0)),
    ("copysign", "cmp_copysign", lambda a, b: a.copysign(b), (-2.0, 2.0)),
    ("lt", "cmp_lt", lambda a, b: a < b, (-2.0, 2.0)),
)
_FLOAT64_TOO = ("pow", "fmod", "remainder", "floor_divide", "atan2", "hypot")


def binary():
    n = MEG
    for name, fn, call, (low, high) in _BINARY:
        yield Entry(name, f"float32 [{n}] op [{n}]",
                    make_inputs(rand(n, low=low, high=high), other(n, low=low, high=high)),
                    lambda c, t, fn=fn: c.caller(fn, t[0], t[1]),
                    lambda t, call=call: (lambda: call(t[0], t[1])), requires=fn)
    # The fmod family has its own float64 kernel path (cpu/vec_fmod.h); atan2 and hypot theirs
    # (cpu/vec_atan.h), pow its own (cpu/vec_pow.h: pow_f64).
    for name, fn, call, (low, high) in _BINARY:
        if name in _FLOAT64_TOO:
            yield Entry(name, f"float64 [{n}] op [{n}]",
                        make_inputs(rand(n, dtype=np.float64, low=low, high=high),
                                    other(n, low=low, high=high, dtype=np.float64)),
                        lambda c, t, fn=fn: c.caller(fn, t[0], t[1]),
                        lambda t, call=call: (lambda: call(t[0], t[1])), requires=fn)
    yield Entry("where", f"bool [{n}] ? float32 [{n}] : [{n}]", make_inputs(_bools(n), rand(n), other(n)),
                lambda c, t: c.caller("cmp_where", t[0], t[1], t[2]),
                lambda t: (lambda: _torch().where(t[0], t[1], t[2])), requires="cmp_where")
    yield Entry("lerp (tensor weight)", f"float32 [{n}] x3", make_inputs(rand(n), other(n), rand(n, low=0.0, high=1.0)),
                lambda c, t: c.caller("cmp_lerp", t[0], t[1], t[2]),
                lambda t: (lambda: t[0].lerp(t[1], t[2])), requires="cmp_lerp")
    yield Entry("addcmul", f"float32 [{n}] x3", make_inputs(rand(n), other(n), rand(n, low=0.0, high=1.0)),
                lambda c, t: c.caller("cmp_addcmul", t[0], t[1], t[2], Scalar.of(0.5)),
                lambda t: (lambda: t[0].addcmul(t[1], t[2], value=0.5)), requires="cmp_addcmul")
    yield Entry("masked_fill", f"float32 [{n}], bool [{n}]", make_inputs(rand(n), _bools(n)),
                lambda c, t: c.caller("cmp_masked_fill", t[0], t[1], Scalar.of(0.0)),
                lambda t: (lambda: t[0].masked_fill(t[1], 0.0)), requires="cmp_masked_fill")
    yield Entry("clamp (scalars)", f"float32 [{n}]", make_inputs(rand(n)),
                lambda c, t: c.caller("cmp_clamp", t[0], ctypes.byref(Scalar.of(-1.0)), ctypes.byref(Scalar.of(1.0))),
                lambda t: (lambda: t[0].clamp(-1.0, 1.0)), requires="cmp_clamp")


def shape_and_index():
    rows, cols = 1024, 1024
    yield Entry("cat (dim 1)", f"float32 2 x [{rows}, {cols // 2}]", make_inputs(rand(rows, cols // 2), other(rows, cols // 2)),
                lambda c, t: _cat(c, t), lambda t: (lambda: _torch().cat([t[0], t[1]], 1)), requires="cmp_cat")
    yield Entry("gather (dim 1)", f"float32 [{rows}, {cols}], int64 [{rows}, 256]",
                make_inputs(rand(rows, cols), _ints(rows, 256, high=cols)),
                lambda c, t: c.caller("cmp_gather", t[0], ctypes.c_int64(1), t[1]),
                lambda t: (lambda: t[0].gather(1, t[1])), requires="cmp_gather")
    yield Entry("index_select (dim 0)", f"float32 [{rows * 8}, 128], int64 [4096]",
                make_inputs(rand(rows * 8, 128), _ints(4096, high=rows * 8)),
                lambda c, t: c.caller("cmp_index_select", t[0], ctypes.c_int64(0), t[1]),
                lambda t: (lambda: t[0].index_select(0, t[1])), requires="cmp_index_select")
    yield Entry("embedding", "float32 [50257, 768], int64 [8, 128]",
                make_inputs(rand(50257, 768), _ints(8, 128, high=50257)),
                lambda c, t: c.caller("cmp_embedding", t[0], t[1], ctypes.c_int64(0), ctypes.c_int32(0), None, ctypes.c_double(2.0)),
                lambda t: (lambda: _F().embedding(t[1], t[0])), requires="cmp_embedding")
    yield Entry("sort (last dim)", "float32 [256, 4096]", make_inputs(rand(256, 4096)),
                lambda c, t: c.caller("cmp_sort", t[0], ctypes.c_int64(-1), ctypes.c_int32(0), ctypes.c_int32(0), outs=2),
                lambda t: (lambda: t[0].sort(-1)), requires="cmp_sort")
    yield Entry("topk (k 10, last dim)", "float32 [256, 4096]", make_inputs(rand(256, 4096)),
                lambda c, t: c.caller("cmp_topk", t[0], ctypes.c_int64(10), ctypes.c_int64(-1), ctypes.c_int32(1), ctypes.c_int32(1), outs=2),
                lambda t: (lambda: t[0].topk(10, -1)), requires="cmp_topk")
    yield Entry("cumsum (last dim)", f"float32 [{rows}, {cols}]", make_inputs(rand(rows, cols)),
                lambda c, t: c.caller("cmp_cumsum", t[0], ctypes.c_int64(-1)),
                lambda t: (lambda: t[0].cumsum(-1)), requires="cmp_cumsum")
    yield Entry("argmax (last dim)", f"float32 [{rows}, {cols}]", make_inputs(rand(rows, cols)),
                lambda c, t: c.caller("cmp_argmax", t[0], ctypes.c_int32(1), ctypes.c_int64(-1), ctypes.c_int32(0)),
                lambda t: (lambda: t[0].argmax(-1)), requires="cmp_argmax")
    yield Entry("vector_norm (2, last dim)", f"float32 [{rows}, {cols}]", make_inputs(rand(rows, cols)),
                lambda c, t: c.caller("cmp_vector_norm", t[0], ctypes.c_double(2.0), int64s([-1]), ctypes.c_int64(1), ctypes.c_int32(0)),
                lambda t: (lambda: _torch().linalg.vector_norm(t[0], 2, -1)), requires="cmp_vector_norm")


def _cat(c, t):
    pair = (ctypes.c_void_p * 2)(t[0].value, t[1].value)
    return c.caller("cmp_cat", pair, ctypes.c_int64(2), ctypes.c_int64(1))


def nn_more():
    yield Entry("log_softmax (last dim)", "float32 [4096, 1000]", make_inputs(rand(4096, 1000)),
                lambda c, t: c.caller("cmp_log_softmax", t[0], ctypes.c_int64(-1), None),
                lambda t: (lambda: t[0].log_softmax(-1)), requires="cmp_log_softmax")
    yield Entry("cross_entropy (mean)", "float32 [4096, 1000], int64 [4096]",
                make_inputs(rand(4096, 1000), _ints(4096, high=1000)),
                lambda c, t: c.caller("cmp_cross_entropy", t[0], t[1], None, ctypes.c_int64(-100), ctypes.c_int32(1), ctypes.c_double(0.0)),
                lambda t: (lambda: _F().cross_entropy(t[0], t[1])), requires="cmp_cross_entropy")
    yield Entry("cross_entropy backward (mean)", "float32 [4096, 1000], int64 [4096]",
                make_inputs(rand(4096, 1000), _ints(4096, high=1000), lambda: np.array(1.0, dtype=F32)),
                lambda c, t: c.caller("cmp_cross_entropy_backward", t[2], t[0], t[1], None, ctypes.c_int64(-100),
                                      ctypes.c_int32(1), ctypes.c_double(0.0), outs=2),
                _cross_entropy_backward_torch, requires="cmp_cross_entropy_backward")
    yield Entry("mse_loss (mean)", f"float32 [{MEG}]", make_inputs(rand(MEG), other(MEG)),
                lambda c, t: c.caller("cmp_mse_loss", t[0], t[1], ctypes.c_int32(1)),
                lambda t: (lambda: _F().mse_loss(t[0], t[1])), requires="cmp_mse_loss")
    yield Entry("rms_norm (last dim)", "float32 [2048, 768]", make_inputs(rand(2048, 768), rand(768)),
                lambda c, t: c.caller("cmp_rms_norm", t[0], int64s([768]), ctypes.c_int64(1), t[1], None, outs=2),
                lambda t: (lambda: t[0] * (t[0].square().mean(-1, keepdim=True) + 1.1920929e-07).rsqrt() * t[1]),
                requires="cmp_rms_norm")
    yield Entry("group_norm (32 groups)", "float32 [8, 256, 28, 28]", make_inputs(rand(8, 256, 28, 28), rand(256), other(256)),
                lambda c, t: c.caller("cmp_group_norm", t[0], ctypes.c_int64(32), t[1], t[2], ctypes.c_double(1e-5), outs=3),
                lambda t: (lambda: _F().group_norm(t[0], 32, t[1], t[2])), requires="cmp_group_norm")
    yield Entry("batch_norm (training)", "float32 [32, 64, 56, 56]",
                make_inputs(rand(32, 64, 56, 56), rand(64), other(64), other(64, low=-0.1, high=0.1), rand(64, low=0.5, high=1.5)),
                lambda c, t: c.caller("cmp_batch_norm", t[0], t[1], t[2], t[3], t[4], ctypes.c_int32(1), ctypes.c_double(0.1),
                                      ctypes.c_double(1e-5), outs=3),
                lambda t: (lambda: _F().batch_norm(t[0], t[3], t[4], t[1], t[2], True)),
                requires="cmp_batch_norm")
    yield Entry("max_pool2d (3x3 s2 p1)", "float32 [32, 64, 112, 112]", make_inputs(rand(32, 64, 112, 112)),
                lambda c, t: c.caller("cmp_max_pool", t[0], ctypes.c_int64(2), int64s([3, 3]), int64s([2, 2]), int64s([1, 1]),
                                      int64s([1, 1]), ctypes.c_int32(0), outs=2),
                lambda t: (lambda: _F().max_pool2d(t[0], 3, 2, 1, return_indices=True)), requires="cmp_max_pool")
    yield Entry("avg_pool2d (2x2 s2)", "float32 [32, 64, 56, 56]", make_inputs(rand(32, 64, 56, 56)),
                lambda c, t: c.caller("cmp_avg_pool", t[0], ctypes.c_int64(2), int64s([2, 2]), int64s([2, 2]), int64s([0, 0]),
                                      ctypes.c_int32(0), ctypes.c_int32(1), ctypes.c_int64(0)),
                lambda t: (lambda: _F().avg_pool2d(t[0], 2, 2)), requires="cmp_avg_pool")
    # Global average pooling (a CNN's head) over 7x7 and 14x14 planes.
    for n, planes, size in ((32, 512, 7), (64, 256, 14)):
        yield Entry("adaptive_avg_pool2d (to 1x1)", f"float32 [{n}, {planes}, {size}, {size}]", make_inputs(rand(n, planes, size, size)),
                    lambda c, t: c.caller("cmp_adaptive_avg_pool", t[0], ctypes.c_int64(2), int64s([1, 1])),
                    lambda t: (lambda: _F().adaptive_avg_pool2d(t[0], 1)), requires="cmp_adaptive_avg_pool")
    # An output that divides the input evenly (plain 2x2 block means), and both gradients.
    yield Entry("adaptive_avg_pool2d (to 7x7)", "float32 [32, 256, 14, 14]", make_inputs(rand(32, 256, 14, 14)),
                lambda c, t: c.caller("cmp_adaptive_avg_pool", t[0], ctypes.c_int64(2), int64s([7, 7])),
                lambda t: (lambda: _F().adaptive_avg_pool2d(t[0], 7)), requires="cmp_adaptive_avg_pool")
    for out, planes, size in ((1, 512, 7), (7, 256, 14)):
        yield Entry(f"adaptive_avg_pool2d backward ({out}x{out})", f"float32 [32, {planes}, {out}, {out}] -> [..., {size}, {size}]",
                    make_inputs(rand(32, planes, out, out), rand(32, planes, size, size)),
                    lambda c, t: c.caller("cmp_adaptive_avg_pool_backward", t[0], t[1], ctypes.c_int64(2)),
                    lambda t: (lambda: _torch().ops.aten._adaptive_avg_pool2d_backward(t[0], t[1])),
                    requires="cmp_adaptive_avg_pool_backward")
    yield Entry("upsample bilinear (x2)", "float32 [8, 64, 56, 56]", make_inputs(rand(8, 64, 56, 56)),
                lambda c, t: c.caller("cmp_interpolate", t[0], ctypes.c_int64(2), int64s([112, 112]), None, ctypes.c_int32(2),
                                      ctypes.c_int32(0), ctypes.c_int32(0)),
                lambda t: (lambda: _F().interpolate(t[0], size=(112, 112), mode="bilinear", align_corners=False)),
                requires="cmp_interpolate")
    yield Entry("upsample bilinear backward (x2)", "float32 [8, 64, 112, 112] -> [8, 64, 56, 56]",
                make_inputs(rand(8, 64, 112, 112)),
                lambda c, t: c.caller("cmp_interpolate_backward", t[0], int64s([8, 64, 56, 56]), ctypes.c_int64(4), None,
                                      ctypes.c_int32(2), ctypes.c_int32(0), ctypes.c_int32(0)),
                lambda t: (lambda: _torch().ops.aten.upsample_bilinear2d_backward(t[0], [112, 112], [8, 64, 56, 56], False)),
                requires="cmp_interpolate_backward")
    yield Entry("upsample nearest (x2)", "float32 [8, 64, 56, 56]", make_inputs(rand(8, 64, 56, 56)),
                lambda c, t: c.caller("cmp_interpolate", t[0], ctypes.c_int64(2), int64s([112, 112]), None, ctypes.c_int32(0),
                                      ctypes.c_int32(0), ctypes.c_int32(0)),
                lambda t: (lambda: _F().interpolate(t[0], size=(112, 112), mode="nearest")), requires="cmp_interpolate")
    yield Entry("grid_sample bilinear (zeros)", "float32 [8, 64, 56, 56], grid [8, 56, 56, 2]",
                make_inputs(rand(8, 64, 56, 56), other(8, 56, 56, 2, low=-1.1, high=1.1)),
                lambda c, t: c.caller("cmp_grid_sample", t[0], t[1], ctypes.c_int32(0), ctypes.c_int32(0), ctypes.c_int32(0)),
                lambda t: (lambda: _F().grid_sample(t[0], t[1], mode="bilinear", padding_mode="zeros", align_corners=False)),
                requires="cmp_grid_sample")
    yield Entry("grid_sample bilinear backward (zeros)", "float32 [8, 64, 56, 56], grid [8, 56, 56, 2]",
                make_inputs(other(8, 64, 56, 56, seed=777), rand(8, 64, 56, 56), other(8, 56, 56, 2, low=-1.1, high=1.1)),
                lambda c, t: c.caller("cmp_grid_sample_backward", t[0], t[1], t[2], ctypes.c_int32(0), ctypes.c_int32(0),
                                      ctypes.c_int32(0), outs=2),
                lambda t: (lambda: _torch().ops.aten.grid_sampler_2d_backward(t[0], t[1], t[2], 0, 0, False, [True, True])),
                requires="cmp_grid_sample_backward")
    yield Entry("dropout (p 0.1, training)", f"float32 [{MEG}]", make_inputs(rand(MEG)),
                lambda c, t: c.caller("cmp_dropout", t[0], ctypes.c_double(0.1), ctypes.c_int32(1), outs=2),
                lambda t: (lambda: _F().dropout(t[0], 0.1, True)), requires="cmp_dropout")
    yield Entry("dropout backward (p 0.1)", f"float32 [{MEG}], bool [{MEG}]", make_inputs(rand(MEG), _bools(MEG)),
                lambda c, t: c.caller("cmp_dropout_backward", t[0], t[1], ctypes.c_double(0.1)),
                lambda t: (lambda: _torch().ops.aten.native_dropout_backward(t[0], t[1], 1 / 0.9)),
                requires="cmp_dropout_backward")
    yield Entry("feature dropout (p 0.1, training)", "float32 [32, 256, 14, 14]", make_inputs(rand(32, 256, 14, 14)),
                lambda c, t: c.caller("cmp_feature_dropout", t[0], ctypes.c_double(0.1), ctypes.c_int32(1), outs=2),
                lambda t: (lambda: _F().dropout2d(t[0], 0.1, True)), requires="cmp_feature_dropout")
    yield Entry("scaled_dot_product_attention (causal)", "float32 q,k,v [8, 12, 256, 64]",
                make_inputs(rand(8, 12, 256, 64), other(8, 12, 256, 64), other(8, 12, 256, 64, seed=999)),
                lambda c, t: _sdpa(c, t), lambda t: _sdpa_torch(t), requires="cmp_scaled_dot_product_attention")


def _sdpa(c, t):
    fn = c.lib.cmp_scaled_dot_product_attention
    out, seed, offset = ctypes.c_void_p(), ctypes.c_uint64(), ctypes.c_uint64()

    def run():
        c.check(fn(t[0], t[1], t[2], None, ctypes.c_double(0.0), ctypes.c_int32(1), None, ctypes.byref(out), None,
                   ctypes.byref(seed), ctypes.byref(offset)), "cmp_scaled_dot_product_attention")
        c.release(out)
    return run


def _sdpa_torch(t):
    """Torch 1.13 has no F.scaled_dot_product_attention: the composition a 1.13 model runs."""
    torch = _torch()
    q, k, v = t
    length = q.shape[-2]
    causal = torch.ones(length, length, dtype=torch.bool).tril()

    def run():
        scores = (q @ k.transpose(-2, -1)) * (q.shape[-1] ** -0.5)
        return scores.masked_fill(~causal, float("-inf")).softmax(-1) @ v
    return run


class _Device(ctypes.Structure):
    """cmp_device, passed by value to the factories."""
    _fields_ = [("type", ctypes.c_int32), ("index", ctypes.c_int32)]


def random():
    """The Philox draws: rand, randn, randint, normal_, uniform_ and bernoulli of 2^20 elements
    (a new tensor per call, as torch.rand/randn/randint/bernoulli, or in place; PyTorch runs its
    own generator, so only the times compare)."""
    sizes, cpu = int64s([MEG]), _Device(0, 0)
    # randint into int64: an odd range (a 64-bit remainder per element) and a power of two.
    for low, high in ((0, 1000), (0, 256)):
        yield Entry(f"randint [{low}, {high})", f"int64 [{MEG}]", make_inputs(),
                    lambda c, t, low=low, high=high: c.caller("cmp_randint", ctypes.c_int64(low), ctypes.c_int64(high),
                                                              sizes, ctypes.c_int64(1), ctypes.c_int32(4), cpu),
                    lambda t, low=low, high=high: (lambda: _torch().randint(low, high, (MEG,), dtype=_torch().int64)),
                    requires="cmp_randint")
    # normal_ and uniform_ in place on float32 (randn / rand then mean + std * z, from + (to - from) * u).
    yield Entry("normal_ (1, 2)", f"float32 [{MEG}]", make_inputs(rand(MEG)),
                lambda c, t: c.caller("cmp_normal_", t[0], ctypes.c_double(1.0), ctypes.c_double(2.0), outs=0),
                lambda t: (lambda: t[0].normal_(1.0, 2.0)), requires="cmp_normal_")
    yield Entry("uniform_ (-1, 1)", f"float32 [{MEG}]", make_inputs(rand(MEG)),
                lambda c, t: c.caller("cmp_uniform_", t[0], ctypes.c_double(-1.0), ctypes.c_double(1.0), outs=0),
                lambda t: (lambda: t[0].uniform_(-1.0, 1.0)), requires="cmp_uniform_")
    for dtype, code, tdt in (("float32", 0, "float32"), ("float64", 1, "float64")):
        for name, fn, call in (("rand", "cmp_rand", "rand"), ("randn", "cmp_randn", "randn")):
            yield Entry(name, f"{dtype} [{MEG}]", make_inputs(),
                        lambda c, t, fn=fn, code=code: c.caller(fn, sizes, ctypes.c_int64(1), ctypes.c_int32(code), cpu),
                        lambda t, call=call, tdt=tdt: (lambda: getattr(_torch(), call)(MEG, dtype=getattr(_torch(), tdt))),
                        requires=fn)
        yield Entry("bernoulli (scalar p 0.3)", f"{dtype} [{MEG}]", make_inputs(rand(MEG, dtype=np.dtype(dtype))),
                    lambda c, t: c.caller("cmp_bernoulli_scalar", t[0], ctypes.c_double(0.3)),
                    lambda t: (lambda: _torch().bernoulli(t[0], 0.3)), requires="cmp_bernoulli_scalar")
        yield Entry("bernoulli (tensor p)", f"{dtype} [{MEG}]", make_inputs(rand(MEG, dtype=np.dtype(dtype), low=0.0, high=1.0)),
                    lambda c, t: c.caller("cmp_bernoulli", t[0]),
                    lambda t: (lambda: _torch().bernoulli(t[0])), requires="cmp_bernoulli")


def _torch():
    import torch
    return torch


def all_coverage():
    for group in (binary, shape_and_index, nn_more, random):
        yield from group()
