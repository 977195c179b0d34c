"""Which ops autograd records (tests/reference/fixtures/autograd_recording.json): for every
public tensor op of the C# API, called on a float64 input that requires grad, whether each
tensor it returns requires grad in PyTorch (and the grad_fn name PyTorch gives it). The C#
test AutogradRecordingTests calls the same op under the case's name and must agree, so an op
that forgets to record a node (its gradient would silently vanish) fails there, and so does an
op that records where PyTorch does not (integer and bool results, argmax, ...).

A case: "name" (the C# method, with a suffix for an overload), "requires_grad" (one entry per
tensor result, in order) and "grad_fn" (PyTorch's node name per result, null where none).
In-place cases ("...InPlace") are applied to x.clone(), a non-leaf, as PyTorch allows.
Values do not matter here; the gradients themselves are checked by the other autograd fixtures.
"""
import torch
import torch.nn.functional as F

from generate import seeded, write

F64 = torch.float64


def ops():
    """name -> function of (x, o): x is a [3, 4] float64 leaf requiring grad with entries in
    (0.5, 2.5), o a [3, 4] float64 tensor that does not."""
    idx = torch.tensor([[0, 2], [1, 3], [3, 0]])
    rows = torch.tensor([2, 0])
    mask = torch.tensor([[True, False, True, False]] * 3)
    small = lambda x: x * 0.2  # noqa: E731  (inside (-1, 1) for asin, atanh, erfinv)
    img = lambda x: x.reshape(1, 1, 3, 4)  # noqa: E731
    c = {
        # arithmetic and operators
        "Add": lambda x, o: x.add(o, alpha=2), "Add_scalar": lambda x, o: x + 2, "Sub": lambda x, o: x.sub(o),
        "Sub_scalar_left": lambda x, o: 2 - x, "Mul": lambda x, o: x * o, "Div": lambda x, o: x / o,
        "Div_scalar_left": lambda x, o: 2 / x, "Div_trunc": lambda x, o: x.div(o, rounding_mode="trunc"),
        "Neg": lambda x, o: -x, "Pow": lambda x, o: x.pow(o), "Pow_scalar": lambda x, o: x.pow(2),
        "Pow_scalar_base": lambda x, o: torch.pow(2, x), "Remainder": lambda x, o: x % o,
        "FloorDivide": lambda x, o: x.floor_divide(o), "Fmod": lambda x, o: x.fmod(o), "Atan2": lambda x, o: x.atan2(o),
        "Hypot": lambda x, o: x.hypot(o), "Maximum": lambda x, o: x.maximum(o), "Minimum": lambda x, o: x.minimum(o),
        "Fmax": lambda x, o: x.fmax(o), "Fmin": lambda x, o: x.fmin(o), "Copysign": lambda x, o: x.copysign(o),
        "Lerp": lambda x, o: x.lerp(o, 0.3), "Lerp_tensor": lambda x, o: x.lerp(o, o),
        "Addcmul": lambda x, o: x.addcmul(o, o, value=2), "Addcdiv": lambda x, o: x.addcdiv(o, o + 3),
        "MaskedFill": lambda x, o: x.masked_fill(mask, 1.5), "Where": lambda x, o: torch.where(mask, x, o),
        "Clamp": lambda x, o: x.clamp(1, 2), "Clamp_tensor": lambda x, o: x.clamp(o, o + 1),
        "NanToNum": lambda x, o: x.nan_to_num(),
        "Eq": lambda x, o: x == o, "Ne": lambda x, o: x != o, "Lt": lambda x, o: x < o, "Le": lambda x, o: x <= o,
        "Gt": lambda x, o: x > o, "Ge": lambda x, o: x >= o, "IsNan": lambda x, o: x.isnan(),
        "IsInf": lambda x, o: x.isinf(), "IsFinite": lambda x, o: x.isfinite(),
        "LogicalAnd": lambda x, o: x.logical_and(o), "LogicalOr": lambda x, o: x.logical_or(o),
        "LogicalXor": lambda x, o: x.logical_xor(o), "LogicalNot": lambda x, o: x.logical_not(),
        # unary math and activations
        "Abs": lambda x, o: x.abs(), "Sign": lambda x, o: x.sign(), "Sqrt": lambda x, o: x.sqrt(),
        "Rsqrt": lambda x, o: x.rsqrt(), "Square": lambda x, o: x.square(), "Exp": lambda x, o: x.exp(),
        "Exp2": lambda x, o: x.exp2(), "Expm1": lambda x, o: x.expm1(), "Log": lambda x, o: x.log(),
        "Log2": lambda x, o: x.log2(), "Log10": lambda x, o: x.log10(), "Log1p": lambda x, o: x.log1p(),
        "Sin": lambda x, o: x.sin(), "Cos": lambda x, o: x.cos(), "Tan": lambda x, o: x.tan(),
        "Asin": lambda x, o: small(x).asin(), "Acos": lambda x, o: small(x).acos(), "Atan": lambda x, o: x.atan(),
        "Sinh": lambda x, o: x.sinh(), "Cosh": lambda x, o: x.cosh(), "Tanh": lambda x, o: x.tanh(),
        "Asinh": lambda x, o: x.asinh(), "Acosh": lambda x, o: (x + 1).acosh(), "Atanh": lambda x, o: small(x).atanh(),
        "Sigmoid": lambda x, o: x.sigmoid(), "Erf": lambda x, o: x.erf(), "Erfc": lambda x, o: x.erfc(),
        "Erfinv": lambda x, o: small(x).erfinv(), "Lgamma": lambda x, o: x.lgamma(), "Digamma": lambda x, o: x.digamma(),
        "Polygamma": lambda x, o: x.polygamma(2), "Polygamma_static": lambda x, o: torch.polygamma(1, x),
        "Floor": lambda x, o: x.floor(), "Ceil": lambda x, o: x.ceil(), "Trunc": lambda x, o: x.trunc(),
        "Frac": lambda x, o: x.frac(), "Round": lambda x, o: x.round(), "Round_decimals": lambda x, o: x.round(decimals=1),
        "Reciprocal": lambda x, o: x.reciprocal(), "Logit": lambda x, o: (x * 0.3).logit(),
        "Relu": lambda x, o: x.relu(), "Relu6": lambda x, o: F.relu6(x), "Silu": lambda x, o: F.silu(x),
        "Mish": lambda x, o: F.mish(x), "Selu": lambda x, o: F.selu(x), "Hardsigmoid": lambda x, o: F.hardsigmoid(x),
        "Hardswish": lambda x, o: F.hardswish(x), "LogSigmoid": lambda x, o: F.logsigmoid(x),
        "Gelu": lambda x, o: F.gelu(x), "Softplus": lambda x, o: F.softplus(x), "Elu": lambda x, o: F.elu(x),
        "Celu": lambda x, o: F.celu(x), "LeakyRelu": lambda x, o: F.leaky_relu(x), "Hardtanh": lambda x, o: F.hardtanh(x),
        "Softmax": lambda x, o: x.softmax(1), "LogSoftmax": lambda x, o: x.log_softmax(1),
        # reductions and scans
        "Sum": lambda x, o: x.sum(), "Sum_dim": lambda x, o: x.sum(1), "Mean": lambda x, o: x.mean(),
        "Mean_dim": lambda x, o: x.mean(0), "Prod": lambda x, o: x.prod(), "Prod_dim": lambda x, o: x.prod(1),
        "Amax": lambda x, o: x.amax(1), "Amin": lambda x, o: x.amin(), "Max": lambda x, o: x.max(),
        "Max_dim": lambda x, o: tuple(x.max(1)), "Min": lambda x, o: x.min(), "Min_dim": lambda x, o: tuple(x.min(0)),
        "Argmax": lambda x, o: x.argmax(), "Argmin": lambda x, o: x.argmin(1),
        "Var": lambda x, o: x.var(1), "Std": lambda x, o: x.std(), "VarMean": lambda x, o: torch.var_mean(x, 1),
        "StdMean": lambda x, o: torch.std_mean(x, 1), "VectorNorm": lambda x, o: torch.linalg.vector_norm(x),
        "Norm": lambda x, o: x.norm(1, 1), "LogSumExp": lambda x, o: x.logsumexp(1),
        "Any": lambda x, o: x.any(), "All": lambda x, o: x.all(1), "CountNonzero": lambda x, o: x.count_nonzero(),
        "CumSum": lambda x, o: x.cumsum(1), "CumProd": lambda x, o: x.cumprod(0),
        # views, shape ops and joins
        "View": lambda x, o: x.view(4, 3), "Reshape": lambda x, o: x.reshape(12), "Permute": lambda x, o: x.permute(1, 0),
        "Transpose": lambda x, o: x.transpose(0, 1), "T": lambda x, o: x.t(), "Slice": lambda x, o: x[:, 1:3],
        "Select": lambda x, o: x[1], "Narrow": lambda x, o: x.narrow(1, 1, 2), "Expand": lambda x, o: x.expand(2, 3, 4),
        "Squeeze": lambda x, o: x.reshape(3, 1, 4).squeeze(), "Unsqueeze": lambda x, o: x.unsqueeze(0),
        "AsStrided": lambda x, o: x.as_strided((2, 2), (1, 4)), "Flatten": lambda x, o: x.flatten(),
        "Contiguous": lambda x, o: x.t().contiguous(), "Clone": lambda x, o: x.clone(), "To": lambda x, o: x.float(),
        "Detach": lambda x, o: x.detach(), "Cat": lambda x, o: torch.cat([x, o]), "Stack": lambda x, o: torch.stack([x, o]),
        "Split": lambda x, o: x.split(2, 1), "SplitWithSizes": lambda x, o: x.split([1, 3], 1),
        "Chunk": lambda x, o: x.chunk(2, 0), "Unbind": lambda x, o: x.unbind(0), "Flip": lambda x, o: x.flip(0),
        "Roll": lambda x, o: x.roll(1), "Repeat": lambda x, o: x.repeat(2, 1), "Tile": lambda x, o: x.tile((2,)),
        "Tril": lambda x, o: x.tril(), "Triu": lambda x, o: x.triu(), "Diagonal": lambda x, o: x.diagonal(),
        "Diag": lambda x, o: x[0].diag(), "RepeatInterleave": lambda x, o: x.repeat_interleave(2, 0),
        "Unfold": lambda x, o: F.unfold(img(x), (2, 2)),
        "Fold": lambda x, o: F.fold(x.reshape(1, 4, 3), (2, 6), (2, 2), stride=(1, 2)),
        # indexing
        "Indexer": lambda x, o: x[1:, 2], "Index": lambda x, o: x[torch.tensor([0, 2])], "Gather": lambda x, o: x.gather(1, idx),
        "Scatter": lambda x, o: x.scatter(1, idx, o), "Scatter_value": lambda x, o: x.scatter(1, idx, 2.0),
        "Scatter_reduce": lambda x, o: x.scatter(1, idx, o, reduce="add"),
        "ScatterAdd": lambda x, o: x.scatter_add(1, idx, o), "ScatterReduce": lambda x, o: x.scatter_reduce(1, idx, o, "amax"),
        "IndexSelect": lambda x, o: x.index_select(0, rows), "IndexAdd": lambda x, o: x.index_add(0, rows, o[:2]),
        "IndexPut": lambda x, o: x.index_put((rows,), o[0]), "MaskedSelect": lambda x, o: x.masked_select(mask),
        "Nonzero": lambda x, o: x.nonzero(),
        # sort and search
        "Sort": lambda x, o: tuple(x.sort()), "Argsort": lambda x, o: x.argsort(), "Msort": lambda x, o: x.msort(),
        "Topk": lambda x, o: tuple(x.topk(2)), "Unique": lambda x, o: x.unique(),
        "UniqueConsecutive": lambda x, o: x.unique_consecutive(), "Searchsorted": lambda x, o: torch.searchsorted(x, o),
        "Bucketize": lambda x, o: torch.bucketize(x, torch.tensor([1.0, 2.0], dtype=F64)),
        # linear algebra
        "MatMul": lambda x, o: x @ o.t(), "Mm": lambda x, o: x.mm(o.t()), "Bmm": lambda x, o: x.unsqueeze(0).bmm(o.t().unsqueeze(0)),
        "Mv": lambda x, o: x.mv(o[0]), "Dot": lambda x, o: x[0].dot(o[0]), "Outer": lambda x, o: x[0].outer(o[0]),
        "Addmm": lambda x, o: torch.addmm(x, o, torch.eye(4, dtype=F64)),
        "Addmv": lambda x, o: torch.addmv(x[0], o.t(), o[:, 0]),
        "Baddbmm": lambda x, o: torch.baddbmm(x, o.unsqueeze(0), torch.eye(4, dtype=F64).unsqueeze(0)),
        "Einsum": lambda x, o: torch.einsum("ij,ij->i", x, o),
        # random ops on a float input
        "Bernoulli": lambda x, o: (x * 0.2).bernoulli(), "Bernoulli_p": lambda x, o: x.bernoulli(0.5),
        "Normal": lambda x, o: torch.normal(x, o.abs() + 0.1), "Multinomial": lambda x, o: x.multinomial(2),
        "RandLike": lambda x, o: torch.rand_like(x), "RandnLike": lambda x, o: torch.randn_like(x),
        "ZerosLike": lambda x, o: torch.zeros_like(x), "OnesLike": lambda x, o: torch.ones_like(x),
        "EmptyLike": lambda x, o: torch.empty_like(x), "FullLike": lambda x, o: torch.full_like(x, 2.0),
        # neural-network functional ops
        "F_Conv1d": lambda x, o: F.conv1d(x.unsqueeze(0), o[:, :2].reshape(2, 3, 1)),
        "F_Conv2d": lambda x, o: F.conv2d(img(x), torch.ones(1, 1, 2, 2, dtype=F64)),
        "F_Conv3d": lambda x, o: F.conv3d(img(x).unsqueeze(2), torch.ones(1, 1, 1, 2, 2, dtype=F64)),
        "F_ConvTranspose1d": lambda x, o: F.conv_transpose1d(x.unsqueeze(0), o[:, :2].reshape(3, 2, 1)),
        "F_ConvTranspose2d": lambda x, o: F.conv_transpose2d(img(x), torch.ones(1, 1, 2, 2, dtype=F64)),
        "F_ConvTranspose3d": lambda x, o: F.conv_transpose3d(img(x).unsqueeze(2), torch.ones(1, 1, 1, 2, 2, dtype=F64)),
        "F_Interpolate": lambda x, o: F.interpolate(img(x), scale_factor=2.0, mode="bilinear"),
        "F_GridSample": lambda x, o: F.grid_sample(img(x), torch.zeros(1, 2, 2, 2, dtype=F64), align_corners=False),
        "F_Linear": lambda x, o: F.linear(x, o[:2], o[2, :2]),
        "F_Bilinear": lambda x, o: F.bilinear(x, o, torch.ones(2, 4, 4, dtype=F64)),
        "F_MseLoss": lambda x, o: F.mse_loss(x, o), "F_L1Loss": lambda x, o: F.l1_loss(x, o),
        "F_SmoothL1Loss": lambda x, o: F.smooth_l1_loss(x, o), "F_HuberLoss": lambda x, o: F.huber_loss(x, o),
        "F_BinaryCrossEntropy": lambda x, o: F.binary_cross_entropy(x * 0.3, o.sigmoid()),
        "F_BinaryCrossEntropyWithLogits": lambda x, o: F.binary_cross_entropy_with_logits(x, o.sigmoid()),
        "F_KlDiv": lambda x, o: F.kl_div(x, o.sigmoid(), reduction="sum"),
        "F_CrossEntropy": lambda x, o: F.cross_entropy(x, torch.tensor([0, 3, 1])),
        "F_NllLoss": lambda x, o: F.nll_loss(x, torch.tensor([0, 3, 1])),
        "F_LayerNorm": lambda x, o: F.layer_norm(x, [4]), "F_RmsNorm": lambda x, o: x * (x.pow(2).mean(-1, keepdim=True) + 1e-6).rsqrt(),
        "F_BatchNorm": lambda x, o: F.batch_norm(x, None, None, training=True),
        "F_GroupNorm": lambda x, o: F.group_norm(x, 2), "F_Dropout": lambda x, o: F.dropout(x, 0.5),
        "F_Dropout1d": lambda x, o: F.dropout1d(x.unsqueeze(0), 0.5), "F_Dropout2d": lambda x, o: F.dropout2d(img(x), 0.5),
        "F_Dropout3d": lambda x, o: F.dropout3d(img(x).unsqueeze(0), 0.5),
        "F_Embedding": lambda x, o: F.embedding(torch.tensor([0, 2]), x), "F_Pad": lambda x, o: F.pad(x, (1, 1)),
        "F_MaxPool1d": lambda x, o: F.max_pool1d(x.unsqueeze(0), 2),
        "F_MaxPool1dWithIndices": lambda x, o: F.max_pool1d(x.unsqueeze(0), 2, return_indices=True),
        "F_MaxPool2d": lambda x, o: F.max_pool2d(img(x), 2),
        "F_MaxPool2dWithIndices": lambda x, o: F.max_pool2d(img(x), 2, return_indices=True),
        "F_AvgPool1d": lambda x, o: F.avg_pool1d(x.unsqueeze(0), 2), "F_AvgPool2d": lambda x, o: F.avg_pool2d(img(x), 2),
        "F_AdaptiveAvgPool1d": lambda x, o: F.adaptive_avg_pool1d(x.unsqueeze(0), 2),
        "F_AdaptiveAvgPool2d": lambda x, o: F.adaptive_avg_pool2d(img(x), 2),
        "F_AdaptiveMaxPool2d": lambda x, o: F.adaptive_max_pool2d(img(x), 2),
        "F_AdaptiveMaxPool2dWithIndices": lambda x, o: F.adaptive_max_pool2d(img(x), 2, return_indices=True),
        "F_AdaptiveMaxPool1d": lambda x, o: F.adaptive_max_pool1d(x.unsqueeze(0), 2),
        "F_AdaptiveMaxPool1dWithIndices": lambda x, o: F.adaptive_max_pool1d(x.unsqueeze(0), 2, return_indices=True),
        "F_ScaledDotProductAttention": lambda x, o: torch.softmax(x.unsqueeze(0) @ o.unsqueeze(0).transpose(-2, -1) / 2, -1)
        @ o.unsqueeze(0),
        "F_Hardshrink": lambda x, o: F.hardshrink(x), "F_Softshrink": lambda x, o: F.softshrink(x),
        "F_Tanhshrink": lambda x, o: F.tanhshrink(x), "F_Softsign": lambda x, o: F.softsign(x),
        "F_Threshold": lambda x, o: F.threshold(x, 0.1, 2.0), "F_Glu": lambda x, o: F.glu(x),
        "F_Softmin": lambda x, o: F.softmin(x, 1), "F_Prelu": lambda x, o: F.prelu(x, torch.tensor([0.25], dtype=F64)),
        "F_Rrelu": lambda x, o: F.rrelu(x),
    }
    # Functional activations are the Tensor methods under other names; their records must agree too.
    for name in ("Relu", "Relu6", "Gelu", "Silu", "Mish", "Softplus", "Elu", "Selu", "Celu", "LeakyRelu", "Hardtanh",
                 "Hardsigmoid", "Hardswish", "LogSigmoid", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"):
        c["F_" + name] = c[name]
    return c


# In-place ops, applied to x.clone() (a non-leaf that requires grad).
INPLACE = {
    "AddInPlace": lambda y, o: y.add_(o), "SubInPlace": lambda y, o: y.sub_(2), "MulInPlace": lambda y, o: y.mul_(o),
    "DivInPlace": lambda y, o: y.div_(2), "PowInPlace": lambda y, o: y.pow_(2), "FloorDivideInPlace": lambda y, o: y.floor_divide_(o),
    "RemainderInPlace": lambda y, o: y.remainder_(o), "FmodInPlace": lambda y, o: y.fmod_(2), "Atan2InPlace": lambda y, o: y.atan2_(o),
    "HypotInPlace": lambda y, o: y.hypot_(o), "CopysignInPlace": lambda y, o: y.copysign_(o),
    "LerpInPlace": lambda y, o: y.lerp_(o, 0.5), "AddcmulInPlace": lambda y, o: y.addcmul_(o, o),
    "AddcdivInPlace": lambda y, o: y.addcdiv_(o, o + 3), "MaskedFillInPlace": lambda y, o: y.masked_fill_(o > 0, 1.0),
    "ScatterAddInPlace": lambda y, o: y.scatter_add_(1, torch.tensor([[0], [1], [2]]), o[:, :1]),
    "IndexAddInPlace": lambda y, o: y.index_add_(0, torch.tensor([1]), o[:1]),
    "IndexPutInPlace": lambda y, o: y.index_put_((torch.tensor([1]),), o[0]),
    "ClampInPlace": lambda y, o: y.clamp_(1, 2), "NanToNumInPlace": lambda y, o: y.nan_to_num_(),
    "CopyFrom": lambda y, o: y.copy_(o), "Fill": lambda y, o: y.fill_(2.0),
    "NormalInPlace": lambda y, o: y.normal_(), "UniformInPlace": lambda y, o: y.uniform_(),
    "AbsInPlace": lambda y, o: y.abs_(), "SignInPlace": lambda y, o: y.sign_(), "SqrtInPlace": lambda y, o: y.sqrt_(),
    "RsqrtInPlace": lambda y, o: y.rsqrt_(), "SquareInPlace": lambda y, o: y.square_(), "Exp2InPlace": lambda y, o: y.exp2_(),
    "Expm1InPlace": lambda y, o: y.expm1_(), "LogInPlace": lambda y, o: y.log_(), "Log2InPlace": lambda y, o: y.log2_(),
    "Log10InPlace": lambda y, o: y.log10_(), "Log1pInPlace": lambda y, o: y.log1p_(), "SinInPlace": lambda y, o: y.sin_(),
    "CosInPlace": lambda y, o: y.cos_(), "TanInPlace": lambda y, o: y.tan_(), "AsinInPlace": lambda y, o: y.mul_(0.2).asin_(),
    "AcosInPlace": lambda y, o: y.mul_(0.2).acos_(), "AtanInPlace": lambda y, o: y.atan_(), "SinhInPlace": lambda y, o: y.sinh_(),
    "CoshInPlace": lambda y, o: y.cosh_(), "TanhInPlace": lambda y, o: y.tanh_(), "AsinhInPlace": lambda y, o: y.asinh_(),
    "AcoshInPlace": lambda y, o: y.add_(1).acosh_(), "AtanhInPlace": lambda y, o: y.mul_(0.2).atanh_(),
    "SigmoidInPlace": lambda y, o: y.sigmoid_(), "ErfInPlace": lambda y, o: y.erf_(), "ErfcInPlace": lambda y, o: y.erfc_(),
    "ErfinvInPlace": lambda y, o: y.mul_(0.2).erfinv_(), "LgammaInPlace": lambda y, o: y.lgamma_(),
    "DigammaInPlace": lambda y, o: y.digamma_(), "PolygammaInPlace": lambda y, o: y.polygamma_(1), "FloorInPlace": lambda y, o: y.floor_(), "CeilInPlace": lambda y, o: y.ceil_(),
    "TruncInPlace": lambda y, o: y.trunc_(), "FracInPlace": lambda y, o: y.frac_(), "ReciprocalInPlace": lambda y, o: y.reciprocal_(),
    "RoundInPlace": lambda y, o: y.round_(), "LogitInPlace": lambda y, o: y.mul_(0.3).logit_(),
    "ReluInPlace": lambda y, o: y.relu_(), "Relu6InPlace": lambda y, o: F.relu6(y, inplace=True),
    "SiluInPlace": lambda y, o: F.silu(y, inplace=True), "MishInPlace": lambda y, o: F.mish(y, inplace=True),
    "SeluInPlace": lambda y, o: F.selu(y, inplace=True), "HardsigmoidInPlace": lambda y, o: F.hardsigmoid(y, inplace=True),
    "HardswishInPlace": lambda y, o: F.hardswish(y, inplace=True), "EluInPlace": lambda y, o: F.elu(y, inplace=True),
    "CeluInPlace": lambda y, o: F.celu(y, inplace=True), "LeakyReluInPlace": lambda y, o: F.leaky_relu(y, inplace=True),
    "HardtanhInPlace": lambda y, o: F.hardtanh(y, inplace=True),
    "ThresholdInPlace": lambda y, o: F.threshold(y, 0.1, 2.0, inplace=True),
    "RreluInPlace": lambda y, o: F.rrelu(y, training=True, inplace=True),
}


def _outputs(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def generate():
    seeded(61)
    cases = []
    table = dict(ops())
    table.update({k: (lambda f: lambda x, o: f(x.clone(), o))(f) for k, f in INPLACE.items()})
    for name in sorted(table):
        x = (torch.rand(3, 4, dtype=F64) * 2 + 0.5).requires_grad_()
        o = torch.rand(3, 4, dtype=F64) * 2 + 0.5
        outs = [t for t in _outputs(table[name](x, o)) if t is not None]
        cases.append({
            "name": name,
            "requires_grad": [t.requires_grad for t in outs],
            "grad_fn": [type(t.grad_fn).__name__ if t.grad_fn is not None else None for t in outs],
        })
    write("autograd_recording.json", cases)
