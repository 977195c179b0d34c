using System.Reflection;
using System.Text.Json;
using Compute;
using Compute.NN;
using Compute.Tests.Reference;

namespace Compute.Tests;

/// <summary>
/// The audit of what autograd records, against PyTorch (fixture autograd_recording.json, made
/// by tests/reference/gen_autograd_recording.py): every public op of Tensor and Functional is
/// called on a float64 input that requires grad, and each tensor it returns must require grad
/// exactly when PyTorch's does. An op that forgets to record (its gradient would silently
/// vanish) fails here, and so does a new public op nobody classified.
/// </summary>
public class AutogradRecordingTests
{
    private static IEnumerable<TestCaseData> Cases() => ReferenceFixture.Cases("autograd_recording.json", "Recording");

    private static readonly Tensor Rows = Tensor.From(new long[] { 2, 0 });
    private static readonly Tensor Targets = Tensor.From(new long[] { 0, 3, 1 });
    private static readonly Tensor Idx = Tensor.From(new long[] { 0, 2, 1, 3, 3, 0 }).View(3, 2);

    private static Tensor Mask() => Tensor.From(new[] { true, false, true, false }).Expand(3, 4);
    private static Tensor Img(Tensor x) => x.Reshape(1, 1, 3, 4);
    private static Tensor Eye4() => Tensor.Eye(4, dtype: DType.Float64);
    private static Tensor Ones(params long[] shape) => Tensor.Ones(shape, DType.Float64);

    // The same calls as gen_autograd_recording.py, under the same names; x is the [3, 4] leaf
    // that requires grad, o a [3, 4] tensor that does not.
    private static readonly Dictionary<string, Func<Tensor, Tensor, object>> Ops = new()
    {
        ["Add"] = (x, o) => x.Add(o, alpha: 2), ["Add_scalar"] = (x, o) => x + 2, ["Sub"] = (x, o) => x.Sub(o),
        ["Sub_scalar_left"] = (x, o) => 2 - x, ["Mul"] = (x, o) => x * o, ["Div"] = (x, o) => x / o,
        ["Div_scalar_left"] = (x, o) => 2 / x, ["Div_trunc"] = (x, o) => x.Div(o, "trunc"), ["Neg"] = (x, o) => -x,
        ["Pow"] = (x, o) => x.Pow(o), ["Pow_scalar"] = (x, o) => x.Pow(2), ["Pow_scalar_base"] = (x, o) => Tensor.Pow(2, x),
        ["Remainder"] = (x, o) => x % o, ["FloorDivide"] = (x, o) => x.FloorDivide(o), ["Fmod"] = (x, o) => x.Fmod(o),
        ["Atan2"] = (x, o) => x.Atan2(o), ["Hypot"] = (x, o) => x.Hypot(o), ["Maximum"] = (x, o) => x.Maximum(o),
        ["Minimum"] = (x, o) => x.Minimum(o), ["Fmax"] = (x, o) => x.Fmax(o), ["Fmin"] = (x, o) => x.Fmin(o),
        ["Copysign"] = (x, o) => x.Copysign(o), ["Lerp"] = (x, o) => x.Lerp(o, 0.3), ["Lerp_tensor"] = (x, o) => x.Lerp(o, o),
        ["Addcmul"] = (x, o) => x.Addcmul(o, o, 2), ["Addcdiv"] = (x, o) => x.Addcdiv(o, o + 3),
        ["MaskedFill"] = (x, o) => x.MaskedFill(Mask(), 1.5), ["Where"] = (x, o) => Tensor.Where(Mask(), x, o),
        ["Clamp"] = (x, o) => x.Clamp(min: (Scalar)1, max: (Scalar)2), ["Clamp_tensor"] = (x, o) => x.Clamp(o, o + 1),
        ["NanToNum"] = (x, o) => x.NanToNum(),
        ["Eq"] = (x, o) => x.Eq(o), ["Ne"] = (x, o) => x.Ne(o), ["Lt"] = (x, o) => x < o, ["Le"] = (x, o) => x <= o,
        ["Gt"] = (x, o) => x > o, ["Ge"] = (x, o) => x >= o, ["IsNan"] = (x, o) => x.IsNan(), ["IsInf"] = (x, o) => x.IsInf(),
        ["IsFinite"] = (x, o) => x.IsFinite(), ["LogicalAnd"] = (x, o) => x.LogicalAnd(o), ["LogicalOr"] = (x, o) => x.LogicalOr(o),
        ["LogicalXor"] = (x, o) => x.LogicalXor(o), ["LogicalNot"] = (x, o) => x.LogicalNot(),

        ["Abs"] = (x, o) => x.Abs(), ["Sign"] = (x, o) => x.Sign(), ["Sqrt"] = (x, o) => x.Sqrt(), ["Rsqrt"] = (x, o) => x.Rsqrt(),
        ["Square"] = (x, o) => x.Square(), ["Exp"] = (x, o) => x.Exp(), ["Exp2"] = (x, o) => x.Exp2(), ["Expm1"] = (x, o) => x.Expm1(),
        ["Log"] = (x, o) => x.Log(), ["Log2"] = (x, o) => x.Log2(), ["Log10"] = (x, o) => x.Log10(), ["Log1p"] = (x, o) => x.Log1p(),
        ["Sin"] = (x, o) => x.Sin(), ["Cos"] = (x, o) => x.Cos(), ["Tan"] = (x, o) => x.Tan(), ["Asin"] = (x, o) => (x * 0.2).Asin(),
        ["Acos"] = (x, o) => (x * 0.2).Acos(), ["Atan"] = (x, o) => x.Atan(), ["Sinh"] = (x, o) => x.Sinh(), ["Cosh"] = (x, o) => x.Cosh(),
        ["Tanh"] = (x, o) => x.Tanh(), ["Asinh"] = (x, o) => x.Asinh(), ["Acosh"] = (x, o) => (x + 1).Acosh(),
        ["Atanh"] = (x, o) => (x * 0.2).Atanh(), ["Sigmoid"] = (x, o) => x.Sigmoid(), ["Erf"] = (x, o) => x.Erf(),
        ["Erfc"] = (x, o) => x.Erfc(), ["Erfinv"] = (x, o) => (x * 0.2).Erfinv(), ["Lgamma"] = (x, o) => x.Lgamma(),
        ["Digamma"] = (x, o) => x.Digamma(), ["Polygamma"] = (x, o) => x.Polygamma(2),
        ["Polygamma_static"] = (x, o) => Tensor.Polygamma(1, x), ["Floor"] = (x, o) => x.Floor(), ["Ceil"] = (x, o) => x.Ceil(),
        ["Trunc"] = (x, o) => x.Trunc(), ["Frac"] = (x, o) => x.Frac(), ["Round"] = (x, o) => x.Round(),
        ["Round_decimals"] = (x, o) => x.Round(1), ["Reciprocal"] = (x, o) => x.Reciprocal(), ["Logit"] = (x, o) => (x * 0.3).Logit(),
        ["Relu"] = (x, o) => x.Relu(), ["Relu6"] = (x, o) => x.Relu6(), ["Silu"] = (x, o) => x.Silu(), ["Mish"] = (x, o) => x.Mish(),
        ["Selu"] = (x, o) => x.Selu(), ["Hardsigmoid"] = (x, o) => x.Hardsigmoid(), ["Hardswish"] = (x, o) => x.Hardswish(),
        ["LogSigmoid"] = (x, o) => x.LogSigmoid(), ["Gelu"] = (x, o) => x.Gelu(), ["Softplus"] = (x, o) => x.Softplus(),
        ["Elu"] = (x, o) => x.Elu(), ["Celu"] = (x, o) => x.Celu(), ["LeakyRelu"] = (x, o) => x.LeakyRelu(),
        ["Hardtanh"] = (x, o) => x.Hardtanh(), ["Softmax"] = (x, o) => x.Softmax(1), ["LogSoftmax"] = (x, o) => x.LogSoftmax(1),

        ["Sum"] = (x, o) => x.Sum(), ["Sum_dim"] = (x, o) => x.Sum(1), ["Mean"] = (x, o) => x.Mean(), ["Mean_dim"] = (x, o) => x.Mean(0),
        ["Prod"] = (x, o) => x.Prod(), ["Prod_dim"] = (x, o) => x.Prod(1), ["Amax"] = (x, o) => x.Amax(1), ["Amin"] = (x, o) => x.Amin(),
        ["Max"] = (x, o) => x.Max(), ["Max_dim"] = (x, o) => x.Max(1), ["Min"] = (x, o) => x.Min(), ["Min_dim"] = (x, o) => x.Min(0),
        ["Argmax"] = (x, o) => x.Argmax(), ["Argmin"] = (x, o) => x.Argmin(1), ["Var"] = (x, o) => x.Var(1), ["Std"] = (x, o) => x.Std(),
        ["VarMean"] = (x, o) => x.VarMean(1), ["StdMean"] = (x, o) => x.StdMean(1), ["VectorNorm"] = (x, o) => x.VectorNorm(),
        ["Norm"] = (x, o) => x.Norm(1, 1), ["LogSumExp"] = (x, o) => x.LogSumExp(1), ["Any"] = (x, o) => x.Any(),
        ["All"] = (x, o) => x.All(1), ["CountNonzero"] = (x, o) => x.CountNonzero(), ["CumSum"] = (x, o) => x.CumSum(1),
        ["CumProd"] = (x, o) => x.CumProd(0),

        ["View"] = (x, o) => x.View(4, 3), ["Reshape"] = (x, o) => x.Reshape(12), ["Permute"] = (x, o) => x.Permute(1, 0),
        ["Transpose"] = (x, o) => x.Transpose(0, 1), ["T"] = (x, o) => x.T, ["Slice"] = (x, o) => x[.., 1..3],
        ["Select"] = (x, o) => x.Select(0, 1), ["Narrow"] = (x, o) => x.Narrow(1, 1, 2), ["Expand"] = (x, o) => x.Expand(2, 3, 4),
        ["Squeeze"] = (x, o) => x.Reshape(3, 1, 4).Squeeze(), ["Unsqueeze"] = (x, o) => x.Unsqueeze(0),
        ["AsStrided"] = (x, o) => x.AsStrided([2, 2], [1, 4]), ["Flatten"] = (x, o) => x.Flatten(),
        ["Contiguous"] = (x, o) => x.T.Contiguous(), ["Clone"] = (x, o) => x.Clone(), ["To"] = (x, o) => x.To(DType.Float32),
        ["Detach"] = (x, o) => x.Detach(), ["Cat"] = (x, o) => Tensor.Cat([x, o]), ["Stack"] = (x, o) => Tensor.Stack([x, o]),
        ["Split"] = (x, o) => x.Split(2, 1), ["SplitWithSizes"] = (x, o) => x.SplitWithSizes([1, 3], 1),
        ["Chunk"] = (x, o) => x.Chunk(2, 0), ["Unbind"] = (x, o) => x.Unbind(0), ["Flip"] = (x, o) => x.Flip(0),
        ["Roll"] = (x, o) => x.Roll(1), ["Repeat"] = (x, o) => x.Repeat(2, 1), ["Tile"] = (x, o) => x.Tile(2),
        ["Tril"] = (x, o) => x.Tril(), ["Triu"] = (x, o) => x.Triu(), ["Diagonal"] = (x, o) => x.Diagonal(),
        ["Diag"] = (x, o) => x.Select(0, 0).Diag(), ["RepeatInterleave"] = (x, o) => x.RepeatInterleave(2, 0),
        ["Unfold"] = (x, o) => Functional.Unfold(Img(x), [2, 2]),
        ["Fold"] = (x, o) => Functional.Fold(x.Reshape(1, 4, 3), [2, 6], [2, 2], stride: [1, 2]),

        ["Indexer"] = (x, o) => x[1.., 2], ["Index"] = (x, o) => x.Index(Tensor.From(new long[] { 0, 2 })),
        ["Gather"] = (x, o) => x.Gather(1, Idx), ["Scatter"] = (x, o) => x.Scatter(1, Idx, o),
        ["Scatter_value"] = (x, o) => x.Scatter(1, Idx, 2.0), ["Scatter_reduce"] = (x, o) => x.Scatter(1, Idx, o, "add"), ["ScatterAdd"] = (x, o) => x.ScatterAdd(1, Idx, o),
        ["ScatterReduce"] = (x, o) => x.ScatterReduce(1, Idx, o, "amax"), ["IndexSelect"] = (x, o) => x.IndexSelect(0, Rows),
        ["IndexAdd"] = (x, o) => x.IndexAdd(0, Rows, o.Slice(0, 0, 2)), ["IndexPut"] = (x, o) => x.IndexPut([Rows], o.Select(0, 0)),
        ["MaskedSelect"] = (x, o) => x.MaskedSelect(Mask()), ["Nonzero"] = (x, o) => x.Nonzero(),

        ["Sort"] = (x, o) => x.Sort(), ["Argsort"] = (x, o) => x.Argsort(), ["Msort"] = (x, o) => x.Msort(), ["Topk"] = (x, o) => x.Topk(2),
        ["Unique"] = (x, o) => x.Unique().Values, ["UniqueConsecutive"] = (x, o) => x.UniqueConsecutive().Values,
        ["Searchsorted"] = (x, o) => Tensor.Searchsorted(x, o),
        ["Bucketize"] = (x, o) => Tensor.Bucketize(x, Tensor.From(new[] { 1.0, 2.0 })),

        ["MatMul"] = (x, o) => x.MatMul(o.T), ["Mm"] = (x, o) => x.Mm(o.T), ["Bmm"] = (x, o) => x.Unsqueeze(0).Bmm(o.T.Unsqueeze(0)),
        ["Mv"] = (x, o) => x.Mv(o.Select(0, 0)), ["Dot"] = (x, o) => x.Select(0, 0).Dot(o.Select(0, 0)),
        ["Outer"] = (x, o) => x.Select(0, 0).Outer(o.Select(0, 0)), ["Addmm"] = (x, o) => Tensor.Addmm(x, o, Eye4()),
        ["Addmv"] = (x, o) => Tensor.Addmv(x.Select(0, 0), o.T, o.Select(1, 0)),
        ["Baddbmm"] = (x, o) => Tensor.Baddbmm(x, o.Unsqueeze(0), Eye4().Unsqueeze(0)),
        ["Einsum"] = (x, o) => Tensor.Einsum("ij,ij->i", x, o),

        ["Bernoulli"] = (x, o) => (x * 0.2).Bernoulli(), ["Bernoulli_p"] = (x, o) => x.Bernoulli(0.5),
        ["Normal"] = (x, o) => Tensor.Normal(x, o.Abs() + 0.1), ["Multinomial"] = (x, o) => x.Multinomial(2),
        ["RandLike"] = (x, o) => Tensor.RandLike(x), ["RandnLike"] = (x, o) => Tensor.RandnLike(x),
        ["ZerosLike"] = (x, o) => Tensor.ZerosLike(x), ["OnesLike"] = (x, o) => Tensor.OnesLike(x),
        ["EmptyLike"] = (x, o) => Tensor.EmptyLike(x), ["FullLike"] = (x, o) => Tensor.FullLike(x, 2.0),

        ["F_Conv1d"] = (x, o) => Functional.Conv1d(x.Unsqueeze(0), o.Slice(1, 0, 2).Reshape(2, 3, 1)),
        ["F_Conv2d"] = (x, o) => Functional.Conv2d(Img(x), Ones(1, 1, 2, 2)),
        ["F_Conv3d"] = (x, o) => Functional.Conv3d(Img(x).Unsqueeze(2), Ones(1, 1, 1, 2, 2)),
        ["F_ConvTranspose1d"] = (x, o) => Functional.ConvTranspose1d(x.Unsqueeze(0), o.Slice(1, 0, 2).Reshape(3, 2, 1)),
        ["F_ConvTranspose2d"] = (x, o) => Functional.ConvTranspose2d(Img(x), Ones(1, 1, 2, 2)),
        ["F_ConvTranspose3d"] = (x, o) => Functional.ConvTranspose3d(Img(x).Unsqueeze(2), Ones(1, 1, 1, 2, 2)),
        ["F_Interpolate"] = (x, o) => Functional.Interpolate(Img(x), 2.0, "bilinear"),
        ["F_GridSample"] = (x, o) => Functional.GridSample(Img(x), Tensor.Zeros([1, 2, 2, 2], DType.Float64), alignCorners: false),
        ["F_Linear"] = (x, o) => Functional.Linear(x, o.Slice(0, 0, 2), o.Select(0, 2).Slice(0, 0, 2)),
        ["F_Bilinear"] = (x, o) => Functional.Bilinear(x, o, Ones(2, 4, 4)),
        ["F_MseLoss"] = (x, o) => Functional.MseLoss(x, o), ["F_L1Loss"] = (x, o) => Functional.L1Loss(x, o),
        ["F_SmoothL1Loss"] = (x, o) => Functional.SmoothL1Loss(x, o), ["F_HuberLoss"] = (x, o) => Functional.HuberLoss(x, o),
        ["F_BinaryCrossEntropy"] = (x, o) => Functional.BinaryCrossEntropy(x * 0.3, o.Sigmoid()),
        ["F_BinaryCrossEntropyWithLogits"] = (x, o) => Functional.BinaryCrossEntropyWithLogits(x, o.Sigmoid()),
        ["F_KlDiv"] = (x, o) => Functional.KlDiv(x, o.Sigmoid(), KlDivReduction.Sum),
        ["F_CrossEntropy"] = (x, o) => Functional.CrossEntropy(x, Targets), ["F_NllLoss"] = (x, o) => Functional.NllLoss(x, Targets),
        ["F_LayerNorm"] = (x, o) => Functional.LayerNorm(x, [4]), ["F_RmsNorm"] = (x, o) => Functional.RmsNorm(x, [4]),
        ["F_BatchNorm"] = (x, o) => Functional.BatchNorm(x, null, null, training: true),
        ["F_GroupNorm"] = (x, o) => Functional.GroupNorm(x, 2), ["F_Dropout"] = (x, o) => Functional.Dropout(x, 0.5),
        ["F_Dropout1d"] = (x, o) => Functional.Dropout1d(x.Unsqueeze(0), 0.5), ["F_Dropout2d"] = (x, o) => Functional.Dropout2d(Img(x), 0.5),
        ["F_Dropout3d"] = (x, o) => Functional.Dropout3d(Img(x).Unsqueeze(0), 0.5),
        ["F_Embedding"] = (x, o) => Functional.Embedding(Tensor.From(new long[] { 0, 2 }), x), ["F_Pad"] = (x, o) => Functional.Pad(x, [1, 1]),
        ["F_MaxPool1d"] = (x, o) => Functional.MaxPool1d(x.Unsqueeze(0), 2),
        ["F_MaxPool1dWithIndices"] = (x, o) => Functional.MaxPool1dWithIndices(x.Unsqueeze(0), 2),
        ["F_MaxPool2d"] = (x, o) => Functional.MaxPool2d(Img(x), 2),
        ["F_MaxPool2dWithIndices"] = (x, o) => Functional.MaxPool2dWithIndices(Img(x), [2, 2]),
        ["F_AvgPool1d"] = (x, o) => Functional.AvgPool1d(x.Unsqueeze(0), 2), ["F_AvgPool2d"] = (x, o) => Functional.AvgPool2d(Img(x), 2),
        ["F_AdaptiveAvgPool1d"] = (x, o) => Functional.AdaptiveAvgPool1d(x.Unsqueeze(0), 2),
        ["F_AdaptiveAvgPool2d"] = (x, o) => Functional.AdaptiveAvgPool2d(Img(x), 2),
        ["F_AdaptiveMaxPool2d"] = (x, o) => Functional.AdaptiveMaxPool2d(Img(x), 2),
        ["F_AdaptiveMaxPool2dWithIndices"] = (x, o) => Functional.AdaptiveMaxPool2dWithIndices(Img(x), 2),
        ["F_AdaptiveMaxPool1d"] = (x, o) => Functional.AdaptiveMaxPool1d(x.Unsqueeze(0), 2),
        ["F_AdaptiveMaxPool1dWithIndices"] = (x, o) => Functional.AdaptiveMaxPool1dWithIndices(x.Unsqueeze(0), 2),
        ["F_ScaledDotProductAttention"] = (x, o) => Functional.ScaledDotProductAttention(x.Unsqueeze(0), o.Unsqueeze(0), o.Unsqueeze(0)),
        ["F_Relu"] = (x, o) => Functional.Relu(x), ["F_Relu6"] = (x, o) => Functional.Relu6(x), ["F_Gelu"] = (x, o) => Functional.Gelu(x),
        ["F_Silu"] = (x, o) => Functional.Silu(x), ["F_Mish"] = (x, o) => Functional.Mish(x), ["F_Softplus"] = (x, o) => Functional.Softplus(x),
        ["F_Elu"] = (x, o) => Functional.Elu(x), ["F_Selu"] = (x, o) => Functional.Selu(x), ["F_Celu"] = (x, o) => Functional.Celu(x),
        ["F_LeakyRelu"] = (x, o) => Functional.LeakyRelu(x), ["F_Hardtanh"] = (x, o) => Functional.Hardtanh(x),
        ["F_Hardsigmoid"] = (x, o) => Functional.Hardsigmoid(x), ["F_Hardswish"] = (x, o) => Functional.Hardswish(x),
        ["F_LogSigmoid"] = (x, o) => Functional.LogSigmoid(x), ["F_Sigmoid"] = (x, o) => Functional.Sigmoid(x),
        ["F_Tanh"] = (x, o) => Functional.Tanh(x), ["F_Softmax"] = (x, o) => Functional.Softmax(x, 1),
        ["F_LogSoftmax"] = (x, o) => Functional.LogSoftmax(x, 1),
        ["F_Hardshrink"] = (x, o) => Functional.Hardshrink(x), ["F_Softshrink"] = (x, o) => Functional.Softshrink(x),
        ["F_Tanhshrink"] = (x, o) => Functional.Tanhshrink(x), ["F_Softsign"] = (x, o) => Functional.Softsign(x),
        ["F_Threshold"] = (x, o) => Functional.Threshold(x, 0.1, 2.0), ["F_Glu"] = (x, o) => Functional.Glu(x),
        ["F_Softmin"] = (x, o) => Functional.Softmin(x, 1),
        ["F_Prelu"] = (x, o) => Functional.Prelu(x, Tensor.From(new[] { 0.25 })), ["F_Rrelu"] = (x, o) => Functional.Rrelu(x),

        // In-place ops, on x.Clone() (a non-leaf that requires grad), as the generator does.
        ["AddInPlace"] = (x, o) => x.Clone().AddInPlace(o), ["SubInPlace"] = (x, o) => x.Clone().SubInPlace(2),
        ["MulInPlace"] = (x, o) => x.Clone().MulInPlace(o), ["DivInPlace"] = (x, o) => x.Clone().DivInPlace(2),
        ["PowInPlace"] = (x, o) => x.Clone().PowInPlace(2), ["FloorDivideInPlace"] = (x, o) => x.Clone().FloorDivideInPlace(o),
        ["RemainderInPlace"] = (x, o) => x.Clone().RemainderInPlace(o), ["FmodInPlace"] = (x, o) => x.Clone().FmodInPlace(2),
        ["Atan2InPlace"] = (x, o) => x.Clone().Atan2InPlace(o), ["HypotInPlace"] = (x, o) => x.Clone().HypotInPlace(o),
        ["CopysignInPlace"] = (x, o) => x.Clone().CopysignInPlace(o), ["LerpInPlace"] = (x, o) => x.Clone().LerpInPlace(o, 0.5),
        ["AddcmulInPlace"] = (x, o) => x.Clone().AddcmulInPlace(o, o), ["AddcdivInPlace"] = (x, o) => x.Clone().AddcdivInPlace(o, o + 3),
        ["MaskedFillInPlace"] = (x, o) => x.Clone().MaskedFillInPlace(o > 0, 1.0),
        ["ScatterAddInPlace"] = (x, o) => x.Clone().ScatterAddInPlace(1, Tensor.From(new long[] { 0, 1, 2 }).View(3, 1), o.Slice(1, 0, 1)),
        ["IndexAddInPlace"] = (x, o) => x.Clone().IndexAddInPlace(0, Tensor.From(new long[] { 1 }), o.Slice(0, 0, 1)),
        ["IndexPutInPlace"] = (x, o) => x.Clone().IndexPutInPlace([Tensor.From(new long[] { 1 })], o.Select(0, 0)),
        ["ClampInPlace"] = (x, o) => x.Clone().ClampInPlace(min: (Scalar)1, max: (Scalar)2), ["NanToNumInPlace"] = (x, o) => x.Clone().NanToNumInPlace(),
        ["CopyFrom"] = (x, o) => x.Clone().CopyFrom(o), ["Fill"] = (x, o) => x.Clone().Fill(2.0),
        ["NormalInPlace"] = (x, o) => x.Clone().NormalInPlace(), ["UniformInPlace"] = (x, o) => x.Clone().UniformInPlace(),
        ["AbsInPlace"] = (x, o) => x.Clone().AbsInPlace(), ["SignInPlace"] = (x, o) => x.Clone().SignInPlace(),
        ["SqrtInPlace"] = (x, o) => x.Clone().SqrtInPlace(), ["RsqrtInPlace"] = (x, o) => x.Clone().RsqrtInPlace(),
        ["SquareInPlace"] = (x, o) => x.Clone().SquareInPlace(), ["Exp2InPlace"] = (x, o) => x.Clone().Exp2InPlace(),
        ["Expm1InPlace"] = (x, o) => x.Clone().Expm1InPlace(), ["LogInPlace"] = (x, o) => x.Clone().LogInPlace(),
        ["Log2InPlace"] = (x, o) => x.Clone().Log2InPlace(), ["Log10InPlace"] = (x, o) => x.Clone().Log10InPlace(),
        ["Log1pInPlace"] = (x, o) => x.Clone().Log1pInPlace(), ["SinInPlace"] = (x, o) => x.Clone().SinInPlace(),
        ["CosInPlace"] = (x, o) => x.Clone().CosInPlace(), ["TanInPlace"] = (x, o) => x.Clone().TanInPlace(),
        ["AsinInPlace"] = (x, o) => x.Clone().MulInPlace(0.2).AsinInPlace(), ["AcosInPlace"] = (x, o) => x.Clone().MulInPlace(0.2).AcosInPlace(),
        ["AtanInPlace"] = (x, o) => x.Clone().AtanInPlace(), ["SinhInPlace"] = (x, o) => x.Clone().SinhInPlace(),
        ["CoshInPlace"] = (x, o) => x.Clone().CoshInPlace(), ["TanhInPlace"] = (x, o) => x.Clone().TanhInPlace(),
        ["AsinhInPlace"] = (x, o) => x.Clone().AsinhInPlace(), ["AcoshInPlace"] = (x, o) => x.Clone().AddInPlace(1).AcoshInPlace(),
        ["AtanhInPlace"] = (x, o) => x.Clone().MulInPlace(0.2).AtanhInPlace(), ["SigmoidInPlace"] = (x, o) => x.Clone().SigmoidInPlace(),
        ["ErfInPlace"] = (x, o) => x.Clone().ErfInPlace(), ["ErfcInPlace"] = (x, o) => x.Clone().ErfcInPlace(),
        ["ErfinvInPlace"] = (x, o) => x.Clone().MulInPlace(0.2).ErfinvInPlace(), ["LgammaInPlace"] = (x, o) => x.Clone().LgammaInPlace(),
        ["DigammaInPlace"] = (x, o) => x.Clone().DigammaInPlace(), ["PolygammaInPlace"] = (x, o) => x.Clone().PolygammaInPlace(1), ["FloorInPlace"] = (x, o) => x.Clone().FloorInPlace(),
        ["CeilInPlace"] = (x, o) => x.Clone().CeilInPlace(), ["TruncInPlace"] = (x, o) => x.Clone().TruncInPlace(),
        ["FracInPlace"] = (x, o) => x.Clone().FracInPlace(), ["ReciprocalInPlace"] = (x, o) => x.Clone().ReciprocalInPlace(),
        ["RoundInPlace"] = (x, o) => x.Clone().RoundInPlace(), ["LogitInPlace"] = (x, o) => x.Clone().MulInPlace(0.3).LogitInPlace(),
        ["ReluInPlace"] = (x, o) => x.Clone().ReluInPlace(), ["Relu6InPlace"] = (x, o) => Functional.Relu6(x.Clone(), inplace: true),
        ["SiluInPlace"] = (x, o) => Functional.Silu(x.Clone(), inplace: true), ["MishInPlace"] = (x, o) => Functional.Mish(x.Clone(), inplace: true),
        ["SeluInPlace"] = (x, o) => Functional.Selu(x.Clone(), inplace: true),
        ["HardsigmoidInPlace"] = (x, o) => Functional.Hardsigmoid(x.Clone(), inplace: true),
        ["HardswishInPlace"] = (x, o) => Functional.Hardswish(x.Clone(), inplace: true),
        ["EluInPlace"] = (x, o) => Functional.Elu(x.Clone(), inplace: true), ["CeluInPlace"] = (x, o) => Functional.Celu(x.Clone(), inplace: true),
        ["LeakyReluInPlace"] = (x, o) => Functional.LeakyRelu(x.Clone(), inplace: true),
        ["HardtanhInPlace"] = (x, o) => Functional.Hardtanh(x.Clone(), inplace: true),
        ["ThresholdInPlace"] = (x, o) => Functional.Threshold(x.Clone(), 0.1, 2.0, inplace: true),
        ["RreluInPlace"] = (x, o) => Functional.Rrelu(x.Clone(), training: true, inplace: true),
    };

    /// <summary>
    /// Public members returning tensors that are not ops on a float input, so PyTorch records
    /// nothing for them (or, for operators, the named method they call is in the table).
    /// </summary>
    private static readonly HashSet<string> NotOps =
    [
        // factories: no tensor input (PyTorch's factories never require grad)
        "Arange", "Empty", "Eye", "From", "Full", "Linspace", "Logspace", "Ones", "Rand", "Randint", "Randn", "Randperm",
        "TrilIndices", "TriuIndices", "Wrap", "Zeros", "RepeatInterleaveIndices",
        "FromBytes", "GetRngState", // a tensor from raw bytes; the RNG state as bytes
        // autograd plumbing and lifetime
        "RequiresGradInPlace", "DetachInPlace", "get_Grad", "Keep",
        // needs a CUDA device, which this audit (and its PyTorch fixture) runs without; it records
        // an identity gradient (PinMemoryBackward0), as PyTorch's pin_memory does
        "PinMemory",
        // operators: each calls the named method of the table (Add, Sub, Mul, Div, Remainder, Neg,
        // comparisons, bitwise ops) or a bitwise op on integers
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus", "op_UnaryNegation",
        "op_LessThan", "op_GreaterThan", "op_LessThanOrEqual", "op_GreaterThanOrEqual",
        "op_BitwiseAnd", "op_BitwiseOr", "op_ExclusiveOr", "op_LeftShift", "op_RightShift",
        // integer-only ops: PyTorch rejects float inputs
        "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "BitwiseLeftShift", "BitwiseRightShift",
        // the indexer's getter is the Index op (case "Indexer")
        "get_Subscript", "get_T",
    ];

    /// <summary>
    /// In-place bitwise ops (integers only: PyTorch rejects float inputs), logical ops (their
    /// results are not differentiable: PyTorch keeps the history as it was, and so does Compute),
    /// and the indexer's setter (it calls CopyFrom or IndexPutInPlace, both in the table).
    /// </summary>
    private static readonly HashSet<string> NotFloatInPlace =
    [
        "BitwiseAndInPlace", "BitwiseOrInPlace", "BitwiseXorInPlace", "BitwiseNotInPlace", "BitwiseLeftShiftInPlace",
        "BitwiseRightShiftInPlace", "LogicalAndInPlace", "LogicalOrInPlace", "LogicalXorInPlace", "set_Subscript",
    ];

    private static string MethodOf(string caseName)
    {
        string name = caseName.StartsWith("F_", StringComparison.Ordinal) ? caseName[2..] : caseName;
        int cut = name.IndexOf('_');
        return cut < 0 ? name : name[..cut];
    }

    private static bool ReturnsTensors(MethodInfo m)
    {
        Type t = m.ReturnType;
        return t == typeof(Tensor) || t == typeof(Tensor[])
               || (t.IsGenericType && t.Name.StartsWith("ValueTuple", StringComparison.Ordinal)
                   && t.GetGenericArguments().Contains(typeof(Tensor)));
    }

    [Test]
    public void EveryPublicTensorOpIsClassified()
    {
        var covered = new HashSet<string>(Ops.Keys.Select(MethodOf));
        covered.Add("Index"); // the indexer case "Indexer" and the method itself
        var unclassified = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Concat(typeof(Functional).GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.DeclaringType == typeof(Tensor) || m.DeclaringType == typeof(Functional))
            .Where(ReturnsTensors)
            .Select(m => m.Name)
            .Distinct()
            .Where(n => !covered.Contains(n) && !NotOps.Contains(n) && !NotFloatInPlace.Contains(n))
            .OrderBy(n => n)
            .ToArray();
        Assert.That(unclassified, Is.Empty,
            "public ops neither called by the recording audit nor listed as non-ops: add them to gen_autograd_recording.py and Ops");
    }

    [Test]
    public void EveryFixtureCaseHasACall()
    {
        JsonElement[] cases = ReferenceFixture.Cases("autograd_recording.json", "Recording")
            .Select(c => (JsonElement)c.Arguments[0]!).ToArray();
        string[] missing = cases.Select(c => c.GetProperty("name").GetString()!)
            .Where(n => !Ops.ContainsKey(n)).ToArray();
        Assert.That(missing, Is.Empty, "fixture cases without a C# call");
    }

    [TestCaseSource(nameof(Cases))]
    public void RecordsWhereTorchRecords(JsonElement c)
    {
        string name = c.GetProperty("name").GetString()!;
        Func<Tensor, Tensor, object> op = Ops[name];
        using var scope = TensorScope.Begin();
        Tensor x = (Tensor.Rand(new long[] { 3, 4 }, DType.Float64) * 2 + 0.5).RequiresGradInPlace();
        Tensor o = Tensor.Rand(new long[] { 3, 4 }, DType.Float64) * 2 + 0.5;
        Tensor[] outputs = Flatten(op(x, o));
        bool[] expected = c.GetProperty("requires_grad").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        Assert.That(outputs.Length, Is.EqualTo(expected.Length), $"{name}: number of tensor results");
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.That(outputs[i].RequiresGrad, Is.EqualTo(expected[i]),
                $"{name}: result {i} requires grad in PyTorch: {expected[i]} (PyTorch's grad_fn: {c.GetProperty("grad_fn")[i]})");
            Assert.That(outputs[i].GradFn is not null, Is.EqualTo(expected[i]), $"{name}: result {i} GradFn");
        }
    }

    [Test]
    public void ScatterWithReduceRecordsButHasNoGradientAsInPyTorch()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([3, 4], DType.Float64).RequiresGradInPlace();
        Tensor y = x.Scatter(1, Idx, Tensor.Ones([3, 2], DType.Float64), "multiply");
        Assert.That(y.RequiresGrad, Is.True);
        Assert.That(() => y.Sum().Backward(), Throws.TypeOf<NotSupportedException>().With.Message.Contains("ScatterBackward0"));
    }

    private static Tensor[] Flatten(object result) => result switch
    {
        Tensor t => [t],
        Tensor[] ts => ts,
        System.Runtime.CompilerServices.ITuple tuple => Enumerable.Range(0, tuple.Length)
            .Select(i => tuple[i]).OfType<Tensor>().ToArray(),
        _ => throw new ArgumentException($"unexpected result {result.GetType()}"),
    };
}
