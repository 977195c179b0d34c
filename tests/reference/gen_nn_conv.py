"""Fixtures for the convolution family: conv1d/2d/3d, conv_transpose1d/2d/3d with their
gradients, unfold and fold (tests/reference/fixtures/nn_conv.json). Run through generate.py.

A case: "op" (conv, conv_transpose, unfold, fold), "nspatial", "inputs" (input, weight, bias or
null; input/weight may carry "permute"), "grad_output" (conv ops: a fixed tensor shaped like the
output), "args" (stride, padding as a list or the string "same"/"valid", dilation, groups,
output_padding; unfold/fold: kernel_size, dilation, padding, stride, output_size; every list
holds nspatial values), then "expected" and, for conv ops, "grad_input", "grad_weight" and
"grad_bias" (null without a bias) from torch autograd, or "error". Float results carry
"abs_bound" (an object with one float64 tensor per result: the same computation on |inputs| and
|grad_output|) and "count" (the longest sum any result element is made of).
"""
import math

import torch
import torch.nn.functional as F

from generate import enc_input, enc_tensor, randint, randn, seeded, write

ERRORS = (RuntimeError, IndexError, ValueError)
HALF = (torch.float16, torch.bfloat16)


def _forward(op, nd, x, w, b, a):
    if op == "conv":
        f = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
        return f(x, w, b, stride=a["stride"], padding=a["padding"], dilation=a["dilation"], groups=a["groups"])
    f = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[nd - 1]
    return f(x, w, b, stride=a["stride"], padding=a["padding"], output_padding=a["output_padding"],
             groups=a["groups"], dilation=a["dilation"])


def _with_grads(op, nd, x, w, b, a, gy_for):
    """Output and autograd gradients, computed in float64 from the given values."""
    x = x.detach().double().requires_grad_(True)
    w = w.detach().double().requires_grad_(True)
    b = None if b is None else b.detach().double().requires_grad_(True)
    y = _forward(op, nd, x, w, b, a)
    gy = gy_for(y)
    y.backward(gy.double())
    return y, x.grad, w.grad, (None if b is None else b.grad)


def _count(op, nd, x, w, y):
    k = math.prod(w.shape[2:])
    # An output element sums (input channels per group) * k products plus the bias; w.shape[0]
    # bounds that for a transposed convolution, w.shape[1] is it for a convolution.
    per_out = (w.shape[0] if op == "conv_transpose" else w.shape[1]) * k + 1
    batch = x.shape[0] if x.dim() == nd + 2 else 1
    planes = max(math.prod(y.shape[-nd:]), math.prod(x.shape[-nd:]))
    return int(max(per_out, w.shape[0] * k, batch * planes, 1))


def generate():
    seeded(47)
    cases = []

    def conv_case(op, name, nd, x, w, b=None, px=None, pw=None, **args):
        a = {"stride": [1] * nd, "padding": [0] * nd, "dilation": [1] * nd, "groups": 1}
        if op == "conv_transpose":
            a["output_padding"] = [0] * nd
        a.update(args)
        jx, tx = enc_input(x, px)
        jw, tw = enc_input(w, pw)
        case = {"name": f"{op}{nd}d_{name}", "op": op, "nspatial": nd,
                "inputs": [jx, jw, None if b is None else enc_tensor(b)], "args": a}
        try:
            if tx.dtype == torch.float16 and tw.dtype == torch.float16:
                # torch 1.13 has no float16 convolution on the CPU; the checks run in float32.
                y = _forward(op, nd, tx.float(), tw.float(), None if b is None else b.float(), a).half()
            else:
                y = _forward(op, nd, tx, tw, b, a)
        except ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        if not y.is_floating_point():
            # Integer convolutions (forward only: integers carry no gradients) are torch's own
            # results, wrap-around included.
            case["expected"] = enc_tensor(y)
            cases.append(case)
            return
        # The shape from a float64 run: torch 1.13's bfloat16 conv_transpose2d on the CPU returns
        # a wrongly shaped result, and the values below are float64 computations anyway.
        shape = _forward(op, nd, tx.double(), tw.double(), None if b is None else b.double(), a).shape
        gy = randn(list(shape), "float32").to(y.dtype)
        case["grad_output"] = enc_tensor(gy)
        # Everything is computed in float64 and rounded once to the case's dtype: for float32
        # that is within the tests' bound of torch's float32 result, and for float16/bfloat16
        # it is what the library promises (computing in float32, rounding once).
        y64, gx, gw, gb = _with_grads(op, nd, tx, tw, b, a, lambda _: gy)
        dt = y.dtype
        if dt in HALF:
            case["reference_note"] = "computed from the same values in float64 and rounded once"
        case["expected"] = enc_tensor(y64.to(dt))
        case["grad_input"] = enc_tensor(gx.to(dt))
        case["grad_weight"] = enc_tensor(gw.to(dt))
        case["grad_bias"] = None if gb is None else enc_tensor(gb.to(dt))
        ay, agx, agw, agb = _with_grads(op, nd, tx.abs(), tw.abs(), None if b is None else b.abs(), a,
                                        lambda _: gy.abs())
        case["abs_bound"] = {"expected": enc_tensor(ay.detach()), "grad_input": enc_tensor(agx),
                             "grad_weight": enc_tensor(agw),
                             "grad_bias": None if agb is None else enc_tensor(agb)}
        case["count"] = _count(op, nd, tx, tw, y)
        cases.append(case)

    def conv(name, nd, x, w, b=None, **kw):
        conv_case("conv", name, nd, x, w, b, **kw)

    def convt(name, nd, x, w, b=None, **kw):
        conv_case("conv_transpose", name, nd, x, w, b, **kw)

    # conv2d
    conv("basic", 2, randn([2, 3, 5, 4]), randn([2, 3, 3, 3]), randn([2]), padding=[1, 1])
    conv("stride_pad", 2, randn([1, 3, 7, 6]), randn([3, 3, 3, 2]), stride=[2, 1], padding=[1, 2])
    conv("dilation", 2, randn([1, 2, 9, 10]), randn([3, 2, 3, 3]), randn([3]), stride=[2, 2], padding=[2, 1],
         dilation=[2, 3])
    conv("groups", 2, randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), randn([4]), groups=2, padding=[1, 0])
    conv("depthwise", 2, randn([1, 4, 5, 5]), randn([4, 1, 3, 3]), randn([4]), groups=4, padding=[1, 1])
    conv("depthwise_multiplier_stride", 2, randn([1, 2, 7, 8]), randn([4, 1, 3, 3]), groups=2, stride=[2, 3],
         padding=[1, 1])
    conv("depthwise_dilation", 2, randn([1, 2, 7, 6]), randn([2, 1, 3, 2]), randn([2]), groups=2,
         dilation=[2, 2], padding=[2, 1])
    conv("pointwise", 2, randn([2, 4, 3, 3]), randn([3, 4, 1, 1]), randn([3]))
    conv("pointwise_stride", 2, randn([1, 4, 5, 5]), randn([3, 4, 1, 1]), stride=[2, 2])
    conv("pointwise_groups", 2, randn([2, 6, 3, 4]), randn([4, 3, 1, 1]), groups=2)
    conv("same_odd", 2, randn([1, 3, 6, 5]), randn([2, 3, 3, 3]), randn([2]), padding="same")
    conv("same_even_dilation", 2, randn([1, 2, 6, 5]), randn([3, 2, 4, 2]), padding="same", dilation=[2, 3])
    conv("valid", 2, randn([1, 2, 6, 5]), randn([2, 2, 3, 2]), padding="valid")
    conv("unbatched", 2, randn([3, 6, 6]), randn([2, 3, 3, 3]), randn([2]), padding=[1, 1])
    conv("noncontiguous", 2, randn([1, 5, 4, 3]), randn([3, 3, 3, 2]), randn([2]), px=[0, 3, 1, 2],
         pw=[3, 2, 0, 1], padding=[1, 1])
    conv("zero_batch", 2, randn([0, 3, 5, 5]), randn([2, 3, 3, 3]), randn([2]))
    conv("float64", 2, randn([1, 3, 4, 5], "float64"), randn([2, 3, 2, 3], "float64"), randn([2], "float64"),
         stride=[1, 2], padding=[1, 1])
    conv("float16", 2, randn([1, 2, 5, 5], "float16"), randn([3, 2, 3, 3], "float16"), randn([3], "float16"))
    conv("bfloat16", 2, randn([1, 2, 5, 5], "bfloat16"), randn([3, 2, 3, 3], "bfloat16"))
    conv("kernel_equals_padded_input", 2, randn([1, 1, 2, 2]), randn([1, 1, 4, 3]), padding=[1, 1])
    conv("error_weight_rank", 2, randn([1, 3, 5, 5]), randn([2, 3, 3]))
    conv("error_input_rank", 2, randn([5, 5]), randn([2, 3, 3, 3]))
    conv("error_channels", 2, randn([1, 4, 5, 5]), randn([2, 3, 3, 3]))
    conv("error_groups_divide", 2, randn([1, 4, 5, 5]), randn([5, 2, 3, 3]), groups=2)
    conv("error_kernel_too_large", 2, randn([1, 3, 2, 2]), randn([2, 3, 3, 3]))
    conv("error_negative_padding", 2, randn([1, 3, 5, 5]), randn([2, 3, 3, 3]), padding=[-1, 0])
    conv("int64", 2, randint([1, 3, 5, 5], "int64"), randint([2, 3, 3, 3], "int64"), randint([2], "int64"),
         stride=[2, 1], padding=[1, 1])
    conv("int8_wraps", 2, randint([2, 3, 4, 4], "int8"), randint([2, 3, 3, 3], "int8"), padding=[1, 1])
    conv("int32_depthwise", 1, randint([1, 3, 6], "int32"), randint([3, 1, 3], "int32"), groups=3)
    conv("error_bool_input", 2, randint([1, 3, 5, 5], "bool"), randint([2, 3, 3, 3], "bool"))
    conv("error_same_strided", 2, randn([1, 3, 5, 5]), randn([2, 3, 3, 3]), padding="same", stride=[2, 2])
    conv("error_dtype_mismatch", 2, randn([1, 3, 5, 5], "float64"), randn([2, 3, 3, 3]))
    conv("error_bias_shape", 2, randn([1, 3, 5, 5]), randn([2, 3, 3, 3]), randn([3]))
    conv("error_zero_stride", 2, randn([1, 3, 5, 5]), randn([2, 3, 3, 3]), stride=[0, 1])
    conv("error_zero_groups", 2, randn([1, 3, 5, 5]), randn([2, 3, 3, 3]), groups=0)
    # conv1d
    conv("basic", 1, randn([2, 4, 11]), randn([6, 2, 3]), randn([6]), stride=[2], padding=[1], dilation=[2],
         groups=2)
    conv("same_even", 1, randn([2, 3, 8]), randn([2, 3, 4]), padding="same")
    conv("unbatched", 1, randn([3, 9]), randn([4, 3, 2]), randn([4]))
    conv("depthwise", 1, randn([2, 3, 10]), randn([3, 1, 5]), randn([3]), groups=3, padding=[2])
    # conv3d
    conv("basic", 3, randn([1, 2, 4, 4, 3]), randn([2, 2, 3, 2, 2]), randn([2]), stride=[1, 2, 1],
         padding=[1, 0, 1])
    conv("groups_dilation", 3, randn([1, 4, 4, 3, 4]), randn([2, 2, 2, 2, 2]), groups=2, dilation=[2, 1, 2])
    conv("depthwise_same", 3, randn([1, 2, 3, 4, 3]), randn([2, 1, 3, 2, 3]), randn([2]), groups=2,
         padding="same")
    conv("unbatched", 3, randn([2, 3, 4, 3]), randn([2, 2, 2, 2, 2]))
    # conv_transpose
    convt("basic", 2, randn([1, 3, 3, 4]), randn([3, 2, 3, 3]), randn([2]))
    convt("stride_output_padding", 2, randn([1, 2, 4, 3]), randn([2, 3, 3, 2]), randn([3]), stride=[2, 3],
          padding=[1, 0], output_padding=[1, 2])
    convt("groups_dilation", 2, randn([1, 4, 3, 3]), randn([4, 3, 2, 3]), groups=2, dilation=[2, 1],
          padding=[1, 1], stride=[2, 1])
    convt("output_padding_below_dilation", 2, randn([1, 2, 3, 3]), randn([2, 2, 2, 2]), dilation=[2, 2],
          output_padding=[1, 1])
    convt("unbatched", 2, randn([2, 3, 3]), randn([2, 3, 2, 2]), randn([3]), stride=[2, 2])
    convt("noncontiguous", 2, randn([1, 3, 4, 2]), randn([2, 2, 2, 2]), px=[0, 3, 1, 2], pw=[1, 0, 3, 2])
    convt("zero_batch", 2, randn([0, 2, 3, 3]), randn([2, 3, 2, 2]), randn([3]))
    convt("float64", 2, randn([1, 2, 3, 3], "float64"), randn([2, 2, 3, 3], "float64"), randn([2], "float64"),
          stride=[2, 2], padding=[1, 1], output_padding=[1, 0])
    convt("bfloat16", 2, randn([1, 2, 3, 3], "bfloat16"), randn([2, 2, 2, 2], "bfloat16"))
    convt("basic", 1, randn([2, 4, 4]), randn([4, 3, 3]), randn([6]), stride=[3], padding=[1], output_padding=[2],
          groups=2)
    convt("unbatched", 1, randn([2, 6]), randn([2, 1, 4]), dilation=[2])
    convt("basic", 3, randn([1, 2, 3, 2, 3]), randn([2, 2, 2, 3, 2]), randn([2]), stride=[2, 1, 2],
          padding=[0, 1, 1])
    # One output channel per group: the depthwise loops of the engine (with and without bias).
    convt("depthwise", 2, randn([1, 3, 4, 4]), randn([3, 1, 3, 3]), randn([3]), groups=3, stride=[2, 2],
          padding=[1, 1], output_padding=[1, 0])
    convt("depthwise_multiplier", 1, randn([2, 4, 5]), randn([4, 1, 3]), groups=2, dilation=[2])
    convt("int64", 2, randint([1, 2, 3, 3], "int64"), randint([2, 3, 2, 2], "int64"), randint([6], "int64"),
          stride=[2, 2], groups=2)
    convt("error_output_padding", 2, randn([1, 2, 3, 3]), randn([2, 2, 2, 2]), stride=[2, 2],
          output_padding=[2, 0])
    convt("error_channels", 2, randn([1, 3, 3, 3]), randn([2, 2, 2, 2]))
    convt("error_groups_divide", 2, randn([1, 3, 3, 3]), randn([3, 2, 2, 2]), groups=2)
    convt("error_negative_padding", 1, randn([1, 2, 5]), randn([2, 2, 3]), padding=[-1])

    # unfold / fold
    def fold_case(op, name, x, px=None, **args):
        a = {"kernel_size": [2, 2], "dilation": [1, 1], "padding": [0, 0], "stride": [1, 1]}
        a.update(args)
        jx, tx = enc_input(x, px)
        case = {"name": f"{op}_{name}", "op": op, "nspatial": 2, "inputs": [jx], "args": a}
        try:
            if op == "unfold":
                y = F.unfold(tx, a["kernel_size"], a["dilation"], a["padding"], a["stride"])
            else:
                y = F.fold(tx, a["output_size"], a["kernel_size"], a["dilation"], a["padding"], a["stride"])
        except ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(y)
        if op == "fold":
            # fold sums up to kernel_size[0] * kernel_size[1] overlapping entries per pixel.
            ab = F.fold(tx.abs().double(), a["output_size"], a["kernel_size"], a["dilation"], a["padding"],
                        a["stride"])
            case["abs_bound"] = {"expected": enc_tensor(ab)}
            case["count"] = math.prod(a["kernel_size"])
        cases.append(case)

    fold_case("unfold", "basic", randn([2, 3, 4, 5]), kernel_size=[2, 3])
    fold_case("unfold", "pad_stride_dilation", randn([1, 2, 6, 7]), kernel_size=[3, 2], padding=[1, 2],
              stride=[2, 3], dilation=[2, 1])
    fold_case("unfold", "unbatched_noncontiguous", randn([5, 4, 2]), px=[2, 0, 1])
    fold_case("unfold", "float64", randn([1, 1, 3, 3], "float64"))
    fold_case("unfold", "error_rank", randn([4, 5]))
    fold_case("unfold", "error_int", randint([1, 1, 3, 3], "int64"))
    fold_case("unfold", "error_too_large", randn([1, 1, 2, 2]), kernel_size=[3, 3])
    fold_case("fold", "basic", randn([2, 12, 9]), output_size=[4, 5], kernel_size=[2, 3])
    fold_case("fold", "pad_stride_dilation", randn([1, 12, 8]), output_size=[6, 7], kernel_size=[3, 2],
              padding=[1, 2], stride=[2, 3], dilation=[2, 1])
    fold_case("fold", "unbatched", randn([8, 9]), output_size=[4, 4])
    fold_case("fold", "error_blocks", randn([1, 8, 8]), output_size=[4, 4])
    fold_case("fold", "error_divisible", randn([1, 7, 9]), output_size=[4, 4])

    # Depthwise rows wider than the forward kernel's register tile (32 float32 / 16 float64
    # outputs) plus edges: the tiled interior, the checked edges and the tail between them.
    conv("depthwise_wide_rows", 2, randn([2, 3, 4, 75]), randn([3, 1, 3, 3]), randn([3]), groups=3, padding=[1, 1])
    conv("depthwise_wide_stride2_dilation", 2, randn([1, 2, 5, 90]), randn([4, 1, 3, 3]), groups=2, stride=[2, 2],
         padding=[1, 2], dilation=[1, 2])
    conv("depthwise_wide_float64", 2, randn([1, 2, 3, 41], "float64"), randn([2, 1, 2, 5], "float64"),
         randn([2], "float64"), groups=2, padding=[0, 2])
    conv("depthwise_wide_1d_stride3", 1, randn([2, 4, 130]), randn([4, 1, 4]), randn([4]), groups=4, stride=[3],
         padding=[2])
    # The vector loops of the depthwise path (cpu/kernels/nn_conv_direct.h): rows narrower than
    # one vector, stride 2 (shuffled loads) with padding, a channel multiplier, float64's
    # narrower vectors, a padding equal to the kernel's reach (the image gradient's spread
    # grad_out then has no border) and one wider than it (the image gradient keeps the scalar loop),
    # an odd width split into stride-2 phases by whole vector pairs plus an overlapping one.
    conv("depthwise_narrow_stride2_multiplier", 2, randn([2, 3, 9, 7]), randn([6, 1, 3, 3]), randn([6]), groups=3,
         stride=[2, 2], padding=[1, 1])
    conv("depthwise_stride2_float64_multiplier", 2, randn([2, 2, 6, 50], "float64"), randn([4, 1, 3, 3], "float64"),
         randn([4], "float64"), groups=2, stride=[2, 2], padding=[1, 1])
    conv("depthwise_stride31_padding_reach", 2, randn([1, 2, 11, 40]), randn([2, 1, 3, 3]), groups=2, stride=[3, 1],
         padding=[2, 2])
    conv("depthwise_dilation3_wide", 2, randn([1, 2, 5, 67]), randn([2, 1, 2, 3]), randn([2]), groups=2,
         padding=[1, 3], dilation=[2, 3])
    conv("depthwise_padding_past_reach", 2, randn([1, 2, 6, 6]), randn([2, 1, 3, 3]), randn([2]), groups=2,
         padding=[3, 3])
    conv("depthwise_stride2_odd_width", 2, randn([1, 2, 6, 45]), randn([2, 1, 3, 3]), randn([2]), groups=2,
         stride=[2, 2], padding=[1, 1])
    conv("depthwise_narrow_stride2", 1, randn([3, 4, 5]), randn([4, 1, 3]), groups=4, stride=[2], padding=[1])
    # 1x1 kernels with stride > 1 (im2col is then a strided gather), with groups and padding.
    conv("pointwise_stride2_batch", 2, randn([3, 6, 9, 8]), randn([4, 6, 1, 1]), randn([4]), stride=[2, 2])
    conv("pointwise_stride_groups_padding", 2, randn([2, 4, 7, 7]), randn([6, 2, 1, 1]), groups=2, stride=[3, 2],
         padding=[1, 1])
    conv("pointwise_stride", 1, randn([2, 5, 17]), randn([3, 5, 1]), randn([3]), stride=[4])
    # The implicit GEMM (cpu/kernels/conv_gemm.cpp) packs the GEMM's panels of 8-32 output
    # positions straight from the image: rows wider than a panel (panels start mid-row),
    # channels * taps beyond one k block of 256, a product split between threads at one image,
    # a width stride with dilation, and more image channels than one row block of the image
    # gradient's GEMM (at stride 1 that gradient is a convolution of grad_out), plus a
    # transposed convolution at stride 1 (its forward is that gradient), and float64 3-d with
    # a padding past the kernel's reach (the gradient's padding is then negative).
    conv("implicit_wide_rows", 2, randn([1, 29, 3, 37]), randn([7, 29, 3, 3]), randn([7]), padding=[1, 2])
    conv("implicit_stride_dilation", 2, randn([1, 3, 5, 70]), randn([4, 3, 2, 3]), randn([4]), stride=[1, 2],
         padding=[1, 3], dilation=[2, 3])
    conv("implicit_many_channels", 2, randn([1, 200, 2, 3]), randn([2, 200, 1, 2]), padding=[0, 1])
    conv("implicit_float64_3d", 3, randn([2, 3, 3, 4, 20], "float64"), randn([5, 3, 2, 3, 3], "float64"),
         randn([5], "float64"), padding=[1, 0, 3], dilation=[1, 2, 1])
    convt("implicit_stride1_dilation", 2, randn([1, 4, 3, 40]), randn([4, 3, 3, 2]), randn([3]), padding=[1, 2],
          dilation=[1, 3], output_padding=[0, 1])
    # The implicit weight gradient (cpu/kernels/conv_weight_grad.cpp) takes image channels per
    # group that are a multiple of 32, or 128 and more, in blocks of the micro-kernel's width:
    # groups with a batch (images accumulated), a partial last block, more output channels
    # than one row block of the GEMM, reductions longer than one k block of 256, 3-d float64
    # with dilation, and "same" padding of an even kernel (padding after the image only).
    conv("implicit_wgrad_batch_groups", 2, randn([3, 64, 7, 9]), randn([8, 32, 3, 3]), randn([8]), groups=2,
         padding=[1, 1])
    conv("implicit_wgrad_partial_block", 2, randn([2, 136, 4, 5]), randn([3, 136, 2, 3]), padding=[1, 0],
         dilation=[2, 1])
    conv("implicit_wgrad_many_outputs", 2, randn([1, 32, 3, 4]), randn([200, 32, 1, 2]), padding=[0, 1])
    conv("implicit_wgrad_conv1d_long", 1, randn([2, 32, 300]), randn([5, 32, 5]), randn([5]), padding=[2])
    conv("implicit_wgrad_float64_3d", 3, randn([2, 32, 3, 4, 6], "float64"), randn([4, 32, 2, 2, 3], "float64"),
         padding=[1, 0, 1], dilation=[1, 1, 2])
    conv("implicit_wgrad_same_even_kernel", 2, randn([1, 32, 5, 6]), randn([3, 32, 2, 4]), padding="same")
    # Strided convolutions whose taps read every phase of the stride take the implicit GEMM
    # over phase planes (cpu/kernels/conv_shifted.h): stride 2 with odd sizes and a batch,
    # stride 3 over a 4-tap kernel next to stride 2 over 5, 3-d float64 with a stride on two
    # dims, conv1d, padding past the kernel's reach, and stride 2 with dilation 2 (one phase
    # only: im2col).
    conv("implicit_stride2_batch", 2, randn([2, 5, 9, 11]), randn([6, 5, 3, 3]), randn([6]), stride=[2, 2],
         padding=[1, 1])
    conv("implicit_stride3_kernel4", 2, randn([1, 3, 13, 17]), randn([4, 3, 4, 5]), stride=[3, 2], padding=[2, 0])
    conv("implicit_stride2_float64_3d", 3, randn([1, 2, 5, 6, 7], "float64"), randn([3, 2, 2, 3, 3], "float64"),
         randn([3], "float64"), stride=[2, 1, 2], padding=[0, 1, 1])
    conv("implicit_stride2_conv1d", 1, randn([2, 4, 31]), randn([3, 4, 3]), randn([3]), stride=[2], padding=[1])
    conv("implicit_stride2_padding_past_reach", 2, randn([1, 2, 6, 6]), randn([2, 2, 3, 3]), stride=[2, 2],
         padding=[3, 3])
    conv("implicit_stride2_dilation2", 2, randn([1, 3, 9, 9]), randn([2, 3, 3, 3]), stride=[2, 2], padding=[2, 2],
         dilation=[2, 2])
    # At stride 1 along the width a row's right border doubles as the next row's left border
    # (conv_shifted.h, shared_columns): padding past the kernel's reach (2 shared columns, reads
    # past the last plane), dilation, unequal pads from padding="same" with an even kernel, and
    # 32 channels so the weight gradient's blocked copy takes the shared rows too.
    conv("implicit_shared_border_pad_past_reach", 2, randn([2, 32, 5, 6]), randn([3, 32, 3, 3]), randn([3]),
         padding=[1, 3])
    conv("implicit_shared_border_dilation", 2, randn([1, 32, 4, 9]), randn([2, 32, 2, 3]), randn([2]),
         padding=[1, 2], dilation=[1, 2])
    conv("implicit_shared_border_same_even", 2, randn([2, 3, 4, 7]), randn([2, 3, 3, 4]), padding="same",
         dilation=[1, 2])

    write("nn_conv.json", cases,
          description="conv1d/2d/3d and conv_transpose1d/2d/3d (outputs and autograd gradients), unfold, fold")
