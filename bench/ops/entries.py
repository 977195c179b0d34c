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


# The unary ops a model spends its pointwise time in, as (name, C function, extra C arguments,
# torch call, input range): activations take [-2, 2], the functions defined only for positive
# (or > -1) inputs take a range inside their domain.
_UNARY = (
    ("gelu", "cmp_gelu", (ctypes.c_int32(0),), lambda x: _F().gelu(x), (-2.0, 2.0), " (exact erf form)"),
    ("gelu", "cmp_gelu", (ctypes.c_int32(1),), lambda x: _F().gelu(x, approximate="tanh"), (-2.0, 2.0), " (tanh form)"),
    ("erf", "cmp_erf", (), lambda x: x.erf(), (-2.0, 2.0), ""),
    ("erfc", "cmp_erfc", (), lambda x: x.erfc(), (-2.0, 2.0), ""),
    ("tanh", "cmp_tanh", (), lambda x: x.tanh(), (-2.0, 2.0), ""),
    ("sigmoid", "cmp_sigmoid", (), lambda x: x.sigmoid(), (-2.0, 2.0), ""),
    ("silu", "cmp_silu", (), lambda x: _F().silu(x), (-2.0, 2.0), ""),
    ("mish", "cmp_mish", (), lambda x: _F().mish(x), (-2.0, 2.0), ""),
    ("softplus", "cmp_softplus", (ctypes.c_double(1.0), ctypes.c_double(20.0)), lambda x: _F().softplus(x), (-2.0, 2.0), ""),
    ("elu", "cmp_elu", (ctypes.c_double(1.0),), lambda x: _F().elu(x), (-2.0, 2.0), ""),
    ("logsigmoid", "cmp_logsigmoid", (), lambda x: _F().logsigmoid(x), (-2.0, 2.0), ""),
    ("hardswish", "cmp_hardswish", (), lambda x: _F().hardswish(x), (-4.0, 4.0), ""),
    ("log", "cmp_log", (), lambda x: x.log(), (0.01, 4.0), ""),
    ("log1p", "cmp_log1p", (), lambda x: x.log1p(), (-0.5, 2.0), ""),
    ("expm1", "cmp_expm1", (), lambda x: x.expm1(), (-2.0, 2.0), ""),
    ("sin", "cmp_sin", (), lambda x: x.sin(), (-4.0, 4.0), ""),
    ("cos", "cmp_cos", (), lambda x: x.cos(), (-4.0, 4.0), ""),
    ("tan", "cmp_tan", (), lambda x: x.tan(), (-4.0, 4.0), ""),
    ("sqrt", "cmp_sqrt", (), lambda x: x.sqrt(), (0.01, 4.0), ""),
    ("rsqrt", "cmp_rsqrt", (), lambda x: x.rsqrt(), (0.01, 4.0), ""),
    ("selu", "cmp_selu", (), lambda x: _F().selu(x), (-2.0, 2.0), ""),
    ("celu", "cmp_celu", (ctypes.c_double(1.5),), lambda x: _F().celu(x, alpha=1.5), (-2.0, 2.0), ""),
    ("logit", "cmp_logit", (ctypes.c_double(-1.0),), lambda x: x.logit(), (0.01, 0.99), ""),
    ("hardsigmoid", "cmp_hardsigmoid", (), lambda x: _F().hardsigmoid(x), (-4.0, 4.0), ""),
    ("relu6", "cmp_relu6", (), lambda x: _F().relu6(x), (-2.0, 8.0), ""),
    ("exp2", "cmp_exp2", (), lambda x: x.exp2(), (-4.0, 4.0), ""),
    ("log2", "cmp_log2", (), lambda x: x.log2(), (0.01, 4.0), ""),
    ("log10", "cmp_log10", (), lambda x: x.log10(), (0.01, 4.0), ""),
    ("sinh", "cmp_sinh", (), lambda x: x.sinh(), (-4.0, 4.0), ""),
    ("cosh", "cmp_cosh", (), lambda x: x.cosh(), (-4.0, 4.0), ""),
    ("asinh", "cmp_asinh", (), lambda x: x.asinh(), (-4.0, 4.0), ""),
    ("acosh", "cmp_acosh", (), lambda x: x.acosh(), (1.0, 5.0), ""),
    ("atanh", "cmp_atanh", (), lambda x: x.atanh(), (-0.99, 0.99), ""),
    ("atan", "cmp_atan", (), lambda x: x.atan(), (-4.0, 4.0), ""),
    ("asin", "cmp_asin", (), lambda x: x.asin(), (-0.99, 0.99), ""),
    ("acos", "cmp_acos", (), lambda x: x.acos(), (-0.99, 0.99), ""),
    ("lgamma", "cmp_lgamma", (), lambda x: x.lgamma(), (0.1, 6.0), ""),
    ("digamma", "cmp_digamma", (), lambda x: x.digamma(), (0.1, 6.0), ""),
    ("erfinv", "cmp_erfinv", (), lambda x: x.erfinv(), (-0.99, 0.99), ""),
)
# The ones also timed in float64.
_UNARY_F64 = ("gelu", "erf", "erfc", "tanh", "sigmoid", "silu", "log", "log1p", "expm1", "sin", "cos", "tan", "elu",
              "selu", "celu", "logit", "exp2", "log2", "log10", "sinh", "cosh", "asinh", "acosh", "atanh", "atan", "asin",
              "acos", "lgamma", "digamma", "erfinv")


def unary():
    n = MEG
    for name, fn, extra, call, (low, high), note in _UNARY:
        dtypes = (F32, np.float64) if name in _UNARY_F64 and "tanh form" not in note else (F32,)
        for dtype in dtypes:
            yield Entry(name, f"{np.dtype(dtype).name} [{n}]{note}", make_inputs(rand(n, dtype=dtype, low=low, high=high)),
                        lambda c, t, fn=fn, extra=extra: c.caller(fn, t[0], *extra),
                        lambda t, call=call: (lambda: call(t[0])), requires=fn)


# The fused activation derivatives (cmp_<op>_backward) against PyTorch's aten *_backward ops on
# the same grad_output and input (the forward's result for sigmoid and tanh): what one
# first-order backward through the activation costs on each side.
_ACTIVATION_BACKWARD = (
    ("gelu backward", "cmp_gelu_backward", (ctypes.c_int32(0),), lambda g, x: _aten().gelu_backward(g, x), " (exact)"),
    ("gelu backward", "cmp_gelu_backward", (ctypes.c_int32(1),),
     lambda g, x: _aten().gelu_backward(g, x, approximate="tanh"), " (tanh form)"),
    ("silu backward", "cmp_silu_backward", (), lambda g, x: _aten().silu_backward(g, x), ""),
    ("mish backward", "cmp_mish_backward", (), lambda g, x: _aten().mish_backward(g, x), ""),
    ("softplus backward", "cmp_softplus_backward", (ctypes.c_double(1.0), ctypes.c_double(20.0)),
     lambda g, x: _aten().softplus_backward(g, x, 1.0, 20.0), ""),
    ("elu backward", "cmp_elu_backward", (ctypes.c_double(1.0), ctypes.c_double(1.0), ctypes.c_double(1.0)),
     lambda g, x: _aten().elu_backward(g, 1.0, 1.0, 1.0, False, x), ""),
    ("hardswish backward", "cmp_hardswish_backward", (), lambda g, x: _aten().hardswish_backward(g, x), ""),
    ("sigmoid backward", "cmp_sigmoid_backward", (), lambda g, y: _aten().sigmoid_backward(g, y), " (of the result)"),
    ("tanh backward", "cmp_tanh_backward", (), lambda g, y: _aten().tanh_backward(g, y), " (of the result)"),
)


def activation_backward():
    n = MEG
    for name, fn, extra, call, note in _ACTIVATION_BACKWARD:
        # x in [-2, 2] (a result of sigmoid/tanh in (-1, 1)); grad_output the same numbers scaled.
        bound = 0.99 if "result" in note else 2.0
        for dtype in (F32, np.float64) if name == "gelu backward" and "exact" in note else (F32,):
            yield Entry(name, f"{np.dtype(dtype).name} [{n}]{note}",
                        make_inputs(rand(n, dtype=dtype, low=-1.0, high=1.0), rand(n, dtype=dtype, low=-bound, high=bound)),
                        lambda c, t, fn=fn, extra=extra: c.caller(fn, t[0], t[1], *extra),
                        lambda t, call=call: (lambda: call(t[0], t[1])), requires=fn)


def _reduce(fn, dims, keepdim=0, extra=()):
    """The Compute call of a reduction C function taking (a, dims, ndims, [extra...], keepdim)."""
    def call(c, t):
        d = (None, ctypes.c_int64(0)) if dims is None else (int64s(dims), ctypes.c_int64(len(dims)))
        return c.caller(fn, t[0], *d, *extra, ctypes.c_int32(keepdim))
    return call


def reductions():
    # [N, 64] and [64, N] reduced over either dim: many short rows (inner), few long rows, and
    # the outer (column) reductions that run vectorised across the kept dim.
    for rows, cols in ((1024, 1024), (64, 16384), (16384, 64)):
        shape = f"float32 [{rows}, {cols}]"
        yield Entry("sum (all)", shape, make_inputs(rand(rows, cols)), _reduce("cmp_sum", None),
                    lambda t: (lambda: t[0].sum()),
                    lambda a: (lambda: a[0].sum()), requires="cmp_sum")
        yield Entry("sum (last dim)", shape, make_inputs(rand(rows, cols)), _reduce("cmp_sum", [-1]),
                    lambda t: (lambda: t[0].sum(-1)),
                    lambda a: (lambda: a[0].sum(-1)), requires="cmp_sum")
        yield Entry("sum (first dim)", shape, make_inputs(rand(rows, cols)), _reduce("cmp_sum", [0]),
                    lambda t: (lambda: t[0].sum(0)),
                    lambda a: (lambda: a[0].sum(0)), requires="cmp_sum")
    yield Entry("sum (all)", f"float64 [{MEG}]", make_inputs(rand(MEG, dtype=np.float64)), _reduce("cmp_sum", None),
                lambda t: (lambda: t[0].sum()),
                lambda a: (lambda: a[0].sum()), requires="cmp_sum")
    # The other reductions share the engine; rows of 64 and 1024 and a column reduction each.
    for rows, cols, dim in ((16384, 64, -1), (1024, 1024, -1), (1024, 1024, 0)):
        shape = f"float32 [{rows}, {cols}], dim {dim}"
        yield Entry("mean", shape, make_inputs(rand(rows, cols)), _reduce("cmp_mean", [dim]),
                    lambda t, d=dim: (lambda: t[0].mean(d)),
                    lambda a, d=dim: (lambda: a[0].mean(d)), requires="cmp_mean")
        yield Entry("prod", shape, make_inputs(rand(rows, cols, low=0.9, high=1.1)), _reduce("cmp_prod", [dim]),
                    lambda t, d=dim: (lambda: t[0].prod(d)),
                    lambda a, d=dim: (lambda: a[0].prod(d)), requires="cmp_prod")
        yield Entry("amax", shape, make_inputs(rand(rows, cols)), _reduce("cmp_amax", [dim]),
                    lambda t, d=dim: (lambda: t[0].amax(d)),
                    lambda a, d=dim: (lambda: a[0].max(d)), requires="cmp_amax")
        yield Entry("amin", shape, make_inputs(rand(rows, cols)), _reduce("cmp_amin", [dim]),
                    lambda t, d=dim: (lambda: t[0].amin(d)),
                    lambda a, d=dim: (lambda: a[0].min(d)), requires="cmp_amin")
        yield Entry("var", shape, make_inputs(rand(rows, cols)), _reduce("cmp_var", [dim], extra=(ctypes.c_double(1),)),
                    lambda t, d=dim: (lambda: t[0].var(d)),
                    lambda a, d=dim: (lambda: a[0].var(d, ddof=1)), requires="cmp_var")
        yield Entry("logsumexp", shape, make_inputs(rand(rows, cols)), _reduce("cmp_logsumexp", [dim]),
                    lambda t, d=dim: (lambda: t[0].logsumexp(d)), requires="cmp_logsumexp")
        yield Entry("std", shape, make_inputs(rand(rows, cols)), _reduce("cmp_std", [dim], extra=(ctypes.c_double(1),)),
                    lambda t, d=dim: (lambda: t[0].std(d)),
                    lambda a, d=dim: (lambda: a[0].std(d, ddof=1)), requires="cmp_std")
        yield Entry("norm (2)", shape, make_inputs(rand(rows, cols)),
                    lambda c, t, d=dim: c.caller("cmp_vector_norm", t[0], ctypes.c_double(2), int64s([d]), ctypes.c_int64(1),
                                                 ctypes.c_int32(0)),
                    lambda t, d=dim: (lambda: t[0].norm(2, d)),
                    lambda a, d=dim: (lambda: np.linalg.norm(a[0], axis=d)), requires="cmp_vector_norm")
        yield Entry("argmax", shape, make_inputs(rand(rows, cols)),
                    lambda c, t, d=dim: c.caller("cmp_argmax", t[0], ctypes.c_int32(1), ctypes.c_int64(d), ctypes.c_int32(0)),
                    lambda t, d=dim: (lambda: t[0].argmax(d)),
                    lambda a, d=dim: (lambda: a[0].argmax(d)), requires="cmp_argmax")
        yield Entry("cumsum", shape, make_inputs(rand(rows, cols)),
                    lambda c, t, d=dim: c.caller("cmp_cumsum", t[0], ctypes.c_int64(d)),
                    lambda t, d=dim: (lambda: t[0].cumsum(d)),
                    lambda a, d=dim: (lambda: a[0].cumsum(d)), requires="cmp_cumsum")
        for name in ("any", "all"):
            yield Entry(name, shape, make_inputs(rand(rows, cols, low=0.5, high=1.5)), _reduce("cmp_" + name, [dim]),
                        lambda t, d=dim, name=name: (lambda: getattr(t[0], name)(d)),
                        lambda a, d=dim, name=name: (lambda: getattr(a[0], name)(d)), requires="cmp_" + name)
    yield Entry("mean (all)", "float32 [1024, 1024]", make_inputs(rand(1024, 1024)), _reduce("cmp_mean", None),
                lambda t: (lambda: t[0].mean()),
                lambda a: (lambda: a[0].mean()), requires="cmp_mean")
    # Global average pooling as a reduction: 16384 rows of 49 (7x7 planes).
    yield Entry("mean", "float32 [32, 512, 7, 7], dims (2, 3)", make_inputs(rand(32, 512, 7, 7)), _reduce("cmp_mean", [2, 3]),
                lambda t: (lambda: t[0].mean((2, 3))),
                lambda a: (lambda: a[0].mean((2, 3))), requires="cmp_mean")


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

        # With a bias, Functional.Linear is one addmm over the input's rows (PyTorch's linear).
        def compute_bias(c, t):
            wt = c.op("cmp_transpose", t[1], ctypes.c_int64(0), ctypes.c_int64(1))[0]
            c.keep(wt)
            return c.caller("cmp_addmm", t[2], t[0], wt, ONE, ONE)
        yield Entry("linear + bias (addmm)", f"float32 [{batch}, {fan_in}] x [{fan_out}, {fan_in}]^T + [{fan_out}]",
                    make_inputs(rand(batch, fan_in), rand(fan_out, fan_in), rand(fan_out)), compute_bias,
                    lambda t: (lambda: _F().linear(t[0], t[1], t[2])),
                    lambda a: (lambda: a[0] @ a[1].T + a[2]), requires="cmp_addmm",
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
        yield conv_entry(n, cin, cout, hw, k, stride=1, pad=k // 2, groups=1)
    # 1x1 with stride 2 (ResNet's downsampling shortcut) and a MobileNet 1x1 projection; ResNet's
    # 3x3 stride-2 downsampling.
    yield conv_entry(8, 256, 512, 28, 1, stride=2, pad=0, groups=1)
    yield conv_entry(8, 64, 128, 56, 1, stride=2, pad=0, groups=1)
    yield conv_entry(8, 144, 24, 56, 1, stride=1, pad=0, groups=1)
    yield conv_entry(8, 64, 128, 56, 3, stride=2, pad=1, groups=1)
    # ResNet's deeper 3x3 layers: more channels on smaller images.
    yield conv_entry(8, 128, 128, 28, 3, stride=1, pad=1, groups=1)
    yield conv_entry(8, 256, 256, 14, 3, stride=1, pad=1, groups=1)
    # Depthwise 3x3 (MobileNet), stride 1 and 2.
    for n, c, hw in ((8, 128, 56), (8, 32, 112), (8, 144, 56)):
        for stride in (1, 2):
            yield conv_entry(n, c, c, hw, 3, stride=stride, pad=1, groups=c)
    yield conv_entry(8, 64, 128, 1024, 3, stride=1, pad=1, groups=1, nspatial=1)
    # Gradients of ResNet's 3x3 layer and of a depthwise layer, one gradient per entry.
    for n, cin, cout, hw, groups in ((8, 64, 64, 56, 1), (8, 128, 128, 56, 128)):
        for which in ("input", "weight"):
            yield conv_backward_entry(n, cin, cout, hw, 3, pad=1, groups=groups, which=which)


def _conv_label(n, cin, cout, size, k, groups, nspatial):
    sp, ks = ", ".join([str(size)] * nspatial), ", ".join([str(k)] * nspatial)
    return f"float32 [{n}, {cin}, {sp}] * [{cout}, {cin // groups}, {ks}]"


def _conv_kind(cin, groups, stride, pad, k):
    if groups == cin and groups > 1:
        return "depthwise"
    return "same padding" if stride == 1 and pad == k // 2 else ("no padding" if pad == 0 else f"padding {pad}")


def conv_entry(n, cin, cout, hw, k, stride, pad, groups, nspatial=2):
    def conv(c, t):
        return c.caller("cmp_conv", t[0], t[1], t[2], ctypes.c_int64(nspatial), int64s([stride] * nspatial),
                        int64s([pad] * nspatial), ctypes.c_int32(0), int64s([1] * nspatial), ctypes.c_int64(groups))
    out_hw = (hw + 2 * pad - k) // stride + 1
    fn = "conv2d" if nspatial == 2 else "conv1d"
    return Entry(f"{fn} (stride {stride}, {_conv_kind(cin, groups, stride, pad, k)})",
                 _conv_label(n, cin, cout, hw, k, groups, nspatial),
                 make_inputs(rand(n, cin, *[hw] * nspatial), rand(cout, cin // groups, *[k] * nspatial), rand(cout)), conv,
                 lambda t: (lambda: getattr(_F(), fn)(t[0], t[1], t[2], stride=stride, padding=pad, groups=groups)),
                 requires="cmp_conv", flop=2 * n * cout * out_hw ** nspatial * (cin // groups) * k ** nspatial)


def conv_backward_entry(n, cin, cout, hw, k, pad, groups, which):
    """One gradient of a stride-1 conv2d: cmp_conv_backward against aten.convolution_backward."""
    mask = 1 if which == "input" else 2

    def backward(c, t):
        return c.caller("cmp_conv_backward", t[2], t[0], t[1], ctypes.c_int64(2), int64s([1, 1]), int64s([pad, pad]),
                        ctypes.c_int32(0), int64s([1, 1]), ctypes.c_int64(groups), ctypes.c_int32(mask), outs=3)

    def torch_backward(t):
        import torch
        torch_mask = [which == "input", which == "weight", False]
        return lambda: torch.ops.aten.convolution_backward(t[2], t[0], t[1], [cout], [1, 1], [pad, pad], [1, 1], False,
                                                           [0, 0], groups, torch_mask)
    out_hw = hw + 2 * pad - k + 1
    kind = "depthwise" if groups == cin and groups > 1 else "same padding"
    return Entry(f"conv2d {which} grad ({kind})", _conv_label(n, cin, cout, hw, k, groups, 2),
                 make_inputs(rand(n, cin, hw, hw), rand(cout, cin // groups, k, k), rand(n, cout, out_hw, out_hw)),
                 backward, torch_backward, requires="cmp_conv_backward",
                 flop=2 * n * cout * out_hw * out_hw * (cin // groups) * k * k)


def _F():
    import torch.nn.functional as F
    return F


def _aten():
    import torch
    return torch.ops.aten


def all_entries():
    for group in (pointwise, unary, activation_backward, reductions, linear_layers, nn_ops):
        yield from group()
