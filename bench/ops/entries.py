"""The op benchmarks: one entry each, both sides side by side (run by bench/ops/compare.py).

An entry names the op and the shapes, makes its inputs as numpy arrays (the same numbers go to
Compute, PyTorch and numpy), and gives one call per side:
  compute(c, t)  -> a function running the op once through the C ABI (c: capi.Library,
                    t: the inputs as Compute tensors); the harness frees the outputs
  torch(t)       -> the same op in PyTorch (t: the inputs as torch tensors)
  numpy(a)       -> the same op in numpy (OpenBLAS for products), or None where numpy has no
                    such op
An entry whose C function the library does not export yet is skipped, so an op's benchmark
can be written before the op lands.
"""
import ctypes

import numpy as np

from capi import Scalar, int64s

ONE = Scalar.of(1)
F32 = np.float32
MEG = 1 << 20


class Entry:
    def __init__(self, name, shapes, inputs, compute, torch, numpy=None, requires=None, flop=None):
        self.name, self.shapes = name, shapes
        self.inputs, self.compute, self.torch, self.numpy = inputs, compute, torch, numpy
        self.requires = requires
        self.flop = flop  # floating-point operations per call, for GFLOP/s where it means something


def rand(*shape, dtype=F32, low=-2.0, high=2.0):
    rng = np.random.default_rng(sum(shape) + len(shape))
    return lambda: rng.uniform(low, high, size=shape).astype(dtype)


def make_inputs(*makers):
    return lambda: [m() for m in makers]


def pointwise():
    n = MEG
    yield Entry("add", f"float32 [{n}] + [{n}]", make_inputs(rand(n), rand(n)),
                lambda c, t: c.caller("cmp_add", t[0], t[1], ONE),
                lambda t: (lambda: t[0] + t[1]),
                lambda a: (lambda: np.add(a[0], a[1])), requires="cmp_add")
    yield Entry("add", f"float64 [{n}] + [{n}]", make_inputs(rand(n, dtype=np.float64), rand(n, dtype=np.float64)),
                lambda c, t: c.caller("cmp_add", t[0], t[1], ONE),
                lambda t: (lambda: t[0] + t[1]),
                lambda a: (lambda: np.add(a[0], a[1])), requires="cmp_add")
    yield Entry("add (broadcast row)", "float32 [1024, 1024] + [1024]", make_inputs(rand(1024, 1024), rand(1024)),
                lambda c, t: c.caller("cmp_add", t[0], t[1], ONE),
                lambda t: (lambda: t[0] + t[1]),
                lambda a: (lambda: np.add(a[0], a[1])), requires="cmp_add")
    yield Entry("exp", f"float32 [{n}]", make_inputs(rand(n)),
                lambda c, t: c.caller("cmp_exp", t[0]),
                lambda t: (lambda: t[0].exp()),
                lambda a: (lambda: np.exp(a[0])), requires="cmp_exp")
    yield Entry("gelu", f"float32 [{n}] (exact erf form)", make_inputs(rand(n)),
                lambda c, t: c.caller("cmp_gelu", t[0], ctypes.c_int32(0)),
                lambda t: (lambda: _F().gelu(t[0])), requires="cmp_gelu")
    yield Entry("sigmoid", f"float32 [{n}]", make_inputs(rand(n)),
                lambda c, t: c.caller("cmp_sigmoid", t[0]),
                lambda t: (lambda: t[0].sigmoid()), requires="cmp_sigmoid")


def reductions():
    for rows, cols in ((1024, 1024), (64, 16384), (16384, 64)):
        shape = f"float32 [{rows}, {cols}]"
        yield Entry("sum (all)", shape, make_inputs(rand(rows, cols)),
                    lambda c, t: c.caller("cmp_sum", t[0], None, ctypes.c_int64(0), ctypes.c_int32(0)),
                    lambda t: (lambda: t[0].sum()),
                    lambda a: (lambda: a[0].sum()), requires="cmp_sum")
        yield Entry("sum (last dim)", shape, make_inputs(rand(rows, cols)),
                    lambda c, t: c.caller("cmp_sum", t[0], int64s([-1]), ctypes.c_int64(1), ctypes.c_int32(0)),
                    lambda t: (lambda: t[0].sum(-1)),
                    lambda a: (lambda: a[0].sum(-1)), requires="cmp_sum")
    yield Entry("sum (all)", f"float64 [{MEG}]", make_inputs(rand(MEG, dtype=np.float64)),
                lambda c, t: c.caller("cmp_sum", t[0], None, ctypes.c_int64(0), ctypes.c_int32(0)),
                lambda t: (lambda: t[0].sum()),
                lambda a: (lambda: a[0].sum()), requires="cmp_sum")


def linear_layers():
    """y = x W^T as a Linear layer computes it: W is [out, in], used through a transposed view."""
    for batch, fan_in, fan_out in ((32, 784, 128), (64, 784, 128), (128, 784, 128), (256, 784, 128),
                                   (256, 128, 10), (256, 512, 512), (32, 4096, 1024)):
        def compute(c, t):
            wt = c.op("cmp_transpose", t[1], ctypes.c_int64(0), ctypes.c_int64(1))[0]
            c.keep(wt)
            return c.caller("cmp_matmul", t[0], wt)
        yield Entry("linear (x @ W^T)", f"float32 [{batch}, {fan_in}] x [{fan_out}, {fan_in}]^T",
                    make_inputs(rand(batch, fan_in), rand(fan_out, fan_in)), compute,
                    lambda t: (lambda: _F().linear(t[0], t[1])),
                    lambda a: (lambda: a[0] @ a[1].T), requires="cmp_matmul",
                    flop=2 * batch * fan_in * fan_out)


def nn_ops():
    for rows, cols in ((256, 1000), (4096, 128), (1024, 1024)):
        yield Entry("softmax (last dim)", f"float32 [{rows}, {cols}]", make_inputs(rand(rows, cols)),
                    lambda c, t: c.caller("cmp_softmax", t[0], ctypes.c_int64(-1), None),
                    lambda t: (lambda: t[0].softmax(-1)), requires="cmp_softmax")
    for rows, cols in ((2048, 768), (256, 1024)):
        def layer_norm(c, t, cols=cols):
            return c.caller("cmp_layer_norm", t[0], int64s([cols]), ctypes.c_int64(1), t[1], t[2],
                            ctypes.c_double(1e-5), outs=3)
        yield Entry("layer_norm (last dim, affine)", f"float32 [{rows}, {cols}]",
                    make_inputs(rand(rows, cols), rand(cols), rand(cols)), layer_norm,
                    lambda t, cols=cols: (lambda: _F().layer_norm(t[0], [cols], t[1], t[2], 1e-5)),
                    requires="cmp_layer_norm")
    for n, cin, cout, hw, k in ((32, 3, 16, 28, 3), (32, 16, 32, 14, 3), (8, 64, 64, 56, 3), (8, 128, 128, 28, 1)):
        def conv(c, t, k=k):
            pad = k // 2
            return c.caller("cmp_conv", t[0], t[1], t[2], ctypes.c_int64(2), int64s([1, 1]), int64s([pad, pad]),
                            ctypes.c_int32(0), int64s([1, 1]), ctypes.c_int64(1))
        yield Entry("conv2d (stride 1, same padding)", f"float32 [{n}, {cin}, {hw}, {hw}] * [{cout}, {cin}, {k}, {k}]",
                    make_inputs(rand(n, cin, hw, hw), rand(cout, cin, k, k), rand(cout)), conv,
                    lambda t, k=k: (lambda: _F().conv2d(t[0], t[1], t[2], padding=k // 2)),
                    requires="cmp_conv", flop=2 * n * cout * hw * hw * cin * k * k)


def _F():
    import torch.nn.functional as F
    return F


def all_entries():
    for group in (pointwise, reductions, linear_layers, nn_ops):
        yield from group()
