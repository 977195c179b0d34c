namespace Compute
{
    /// <summary>What autocast does to the floating-point inputs of an op.</summary>
    internal enum AutocastPolicy
    {
        /// <summary>Not on the list: inputs untouched (the op may still call listed ops).</summary>
        None,

        /// <summary>Cast to the scope's dtype (bfloat16 / float16).</summary>
        LowerPrecision,

        /// <summary>Cast 16-bit inputs to float32 (also PyTorch's fp32_set_opt_dtype and fp32_append_dtype ops).</summary>
        Float32,

        /// <summary>Cast every input to the widest dtype among them.</summary>
        Promote,

        /// <summary>Refused under autocast (binary_cross_entropy on CUDA).</summary>
        Banned,
    }

    /// <summary>One op of the autocast lists: its PyTorch name and its policy on each device type.</summary>
    internal sealed class AutocastOp
    {
        internal AutocastOp(string name, AutocastPolicy cuda, AutocastPolicy cpu)
        {
            Name = name;
            Cuda = cuda;
            Cpu = cpu;
        }

        internal string Name { get; }
        internal AutocastPolicy Cuda { get; }
        internal AutocastPolicy Cpu { get; }

        internal AutocastPolicy For(DeviceType deviceType) => deviceType == DeviceType.Cuda ? Cuda : Cpu;
    }

    /// <summary>
    /// PyTorch's autocast op lists (aten/src/ATen/autocast_mode.cpp: the CUDA lists and the
    /// AutocastCPU registrations) for the ops Compute has. Where Compute implements as one op
    /// what PyTorch composes from listed ops, the entry gives the composite's effective
    /// policy: PyTorch's CPU einsum reaches a bmm, which is listed, so it computes in the lower
    /// precision; cross_entropy on CUDA is log_softmax and nll_loss, both float32.
    /// </summary>
    internal static class AutocastOps
    {
        private const AutocastPolicy Lower = AutocastPolicy.LowerPrecision;
        private const AutocastPolicy F32 = AutocastPolicy.Float32;
        private const AutocastPolicy Promote = AutocastPolicy.Promote;
        private const AutocastPolicy None = AutocastPolicy.None;

        // Lower precision on both device types.
        internal static readonly AutocastOp Conv = new("conv", Lower, Lower);
        internal static readonly AutocastOp ConvTranspose = new("conv_transpose", Lower, Lower);
        internal static readonly AutocastOp Prelu = new("prelu", Lower, Lower);
        internal static readonly AutocastOp Addmm = new("addmm", Lower, Lower);
        internal static readonly AutocastOp Matmul = new("matmul", Lower, Lower);
        internal static readonly AutocastOp Mm = new("mm", Lower, Lower);
        internal static readonly AutocastOp Linear = new("linear", Lower, Lower);
        internal static readonly AutocastOp Baddbmm = new("baddbmm", Lower, Lower);
        internal static readonly AutocastOp Bmm = new("bmm", Lower, Lower);
        internal static readonly AutocastOp Einsum = new("einsum", Lower, Lower);
        internal static readonly AutocastOp ScaledDotProductAttention = new("scaled_dot_product_attention", Lower, Lower);

        // Lower precision on CUDA only.
        internal static readonly AutocastOp Addmv = new("addmv", Lower, None);
        internal static readonly AutocastOp Mv = new("mv", Lower, None);

        // float32 on CUDA (AT_FORALL_FP32 and the fp32_set_opt_dtype / fp32_append_dtype ops), not on the CPU.
        internal static readonly AutocastOp Acos = new("acos", F32, None);
        internal static readonly AutocastOp Asin = new("asin", F32, None);
        internal static readonly AutocastOp Cosh = new("cosh", F32, None);
        internal static readonly AutocastOp Erfinv = new("erfinv", F32, None);
        internal static readonly AutocastOp Exp = new("exp", F32, None);
        internal static readonly AutocastOp Expm1 = new("expm1", F32, None);
        internal static readonly AutocastOp Log = new("log", F32, None);
        internal static readonly AutocastOp Log10 = new("log10", F32, None);
        internal static readonly AutocastOp Log2 = new("log2", F32, None);
        internal static readonly AutocastOp Log1p = new("log1p", F32, None);
        internal static readonly AutocastOp Reciprocal = new("reciprocal", F32, None);
        internal static readonly AutocastOp Rsqrt = new("rsqrt", F32, None);
        internal static readonly AutocastOp Sinh = new("sinh", F32, None);
        internal static readonly AutocastOp Tan = new("tan", F32, None);
        internal static readonly AutocastOp Pow = new("pow", F32, None);
        internal static readonly AutocastOp Softplus = new("softplus", F32, None);
        internal static readonly AutocastOp LayerNorm = new("layer_norm", F32, None);
        internal static readonly AutocastOp GroupNorm = new("group_norm", F32, None);
        internal static readonly AutocastOp LogSumExp = new("logsumexp", F32, None);
        internal static readonly AutocastOp Softmax = new("softmax", F32, None);
        internal static readonly AutocastOp LogSoftmax = new("log_softmax", F32, None);
        internal static readonly AutocastOp CumSum = new("cumsum", F32, None);
        internal static readonly AutocastOp CumProd = new("cumprod", F32, None);
        internal static readonly AutocastOp Sum = new("sum", F32, None);
        internal static readonly AutocastOp VectorNorm = new("linalg_vector_norm", F32, None);

        // float32 on both device types.
        internal static readonly AutocastOp Prod = new("prod", F32, F32);
        internal static readonly AutocastOp MseLoss = new("mse_loss", F32, F32);
        internal static readonly AutocastOp L1Loss = new("l1_loss", F32, F32);
        internal static readonly AutocastOp SmoothL1Loss = new("smooth_l1_loss", F32, F32);
        internal static readonly AutocastOp HuberLoss = new("huber_loss", F32, F32);
        internal static readonly AutocastOp NllLoss = new("nll_loss", F32, F32);
        internal static readonly AutocastOp CrossEntropy = new("cross_entropy", F32, F32);
        internal static readonly AutocastOp KlDiv = new("kl_div", F32, F32);
        internal static readonly AutocastOp BinaryCrossEntropyWithLogits = new("binary_cross_entropy_with_logits", F32, F32);

        // binary_cross_entropy: refused on CUDA (use the logits form), float32 on the CPU.
        internal static readonly AutocastOp BinaryCrossEntropy = new("binary_cross_entropy", AutocastPolicy.Banned, F32);

        // grid_sample: the widest input dtype on CUDA, float32 on the CPU.
        internal static readonly AutocastOp GridSample = new("grid_sampler", Promote, F32);

        // reflection_pad1d/2d and replication_pad1d/2d/3d: float32 on the CPU only.
        internal static readonly AutocastOp ReflectOrReplicatePad = new("reflection_pad/replication_pad", None, F32);

        // The widest input dtype on CUDA.
        internal static readonly AutocastOp Addcdiv = new("addcdiv", Promote, None);
        internal static readonly AutocastOp Addcmul = new("addcmul", Promote, None);
        internal static readonly AutocastOp Atan2 = new("atan2", Promote, None);
        internal static readonly AutocastOp Bilinear = new("bilinear", Promote, None);
        internal static readonly AutocastOp Dot = new("dot", Promote, None);
        internal static readonly AutocastOp IndexPut = new("index_put", Promote, None);
        internal static readonly AutocastOp ScatterAdd = new("scatter_add", Promote, None);

        // The widest input dtype on the CPU.
        internal static readonly AutocastOp Cat = new("cat", None, Promote);
        internal static readonly AutocastOp Stack = new("stack", None, Promote);
    }
}
