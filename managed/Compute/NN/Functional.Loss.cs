using System;
using Compute.Native;

namespace Compute.NN
{
    /// <summary>How a loss reduces its per-element losses (PyTorch's <c>reduction=</c>).</summary>
    public enum Reduction
    {
        /// <summary>No reduction: one loss per element ('none').</summary>
        None = 0,
        /// <summary>The mean ('mean'); the class losses divide by the summed weights of the non-ignored targets.</summary>
        Mean = 1,
        /// <summary>The sum ('sum').</summary>
        Sum = 2,
    }

    /// <summary>The reductions of <see cref="Functional.KlDiv"/>: those of <see cref="Reduction"/> plus 'batchmean'.</summary>
    public enum KlDivReduction
    {
        /// <summary>One loss per element ('none').</summary>
        None = 0,
        /// <summary>The mean over every element ('mean'; PyTorch recommends BatchMean for the true KL divergence).</summary>
        Mean = 1,
        /// <summary>The sum ('sum').</summary>
        Sum = 2,
        /// <summary>The sum divided by the input's first dim ('batchmean').</summary>
        BatchMean = 3,
    }

    /// <summary>
    /// Loss functions of torch.nn.functional. Inputs and targets are validated natively; bad
    /// shapes or dtypes throw with a message naming the op, the argument and the shapes.
    /// The backward kernels are internal: autograd (issue 4) calls them.
    /// </summary>
    public static partial class Functional
    {
        // A NULL cmp_tensor for optional native arguments (never released: it owns nothing).
        private static readonly TensorHandle NoTensor = new();

        private static TensorHandle Optional(Tensor? t) => t is null ? NoTensor : t.Handle;

        private static void CheckReduction(Reduction reduction, string op)
        {
            if (reduction is < Reduction.None or > Reduction.Sum)
                throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{op}: invalid reduction");
        }

        /// <summary>
        /// Cross entropy of logits (F.cross_entropy): log-softmax over dim 1 (dim 0 for a 1-D input)
        /// fused with the negative log-likelihood. <paramref name="target"/> holds int64 class
        /// indices shaped like input without its class dim, or class probabilities shaped like input.
        /// </summary>
        /// <param name="input">Logits (C), (N, C) or (N, C, d1, ..., dk).</param>
        /// <param name="target">Class indices (int64) or probabilities (floating, input's shape).</param>
        /// <param name="weight">Optional per-class weight (C).</param>
        /// <param name="ignoreIndex">Class index that contributes nothing (class-index targets only).</param>
        /// <param name="reduction">None, Mean (divided by the summed weights of the non-ignored targets) or Sum.</param>
        /// <param name="labelSmoothing">Mass in [0, 1] spread uniformly over the classes.</param>
        public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
            Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(target);
            CheckReduction(reduction, "cross_entropy");
            if (AutocastRegion.Recast(AutocastOps.CrossEntropy, input, target, weight) is { } cast)
            {
                return CrossEntropy(cast.A, cast.B!, cast.C, ignoreIndex, reduction, labelSmoothing);
            }
            return NNFormulas.CrossEntropy(Tensor.Own(NativeMethods.CrossEntropy(input.Handle, target.Handle, Optional(weight), ignoreIndex,
                (int)reduction, labelSmoothing)), input, target, weight, ignoreIndex, reduction, labelSmoothing);
        }

        /// <summary>Negative log-likelihood of log-probabilities (F.nll_loss); shapes as <see cref="CrossEntropy"/> with class-index targets.</summary>
        public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
            Reduction reduction = Reduction.Mean)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(target);
            CheckReduction(reduction, "nll_loss");
            if (AutocastRegion.Recast(AutocastOps.NllLoss, input, target, weight) is { } cast)
            {
                return NllLoss(cast.A, cast.B!, cast.C, ignoreIndex, reduction);
            }
            return NNFormulas.NllLoss(Tensor.Own(NativeMethods.NllLoss(input.Handle, target.Handle, Optional(weight), ignoreIndex, (int)reduction)),
                input, target, weight, ignoreIndex, reduction);
        }

        /// <summary>(input - target)^2 (F.mse_loss); input and target broadcast together.</summary>
        public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
            AutocastRegion.Recast(AutocastOps.MseLoss, input, target) is { } cast ? MseLoss(cast.A, cast.B, reduction) :
            NNFormulas.MseLoss(Pair(input, target, reduction, "mse_loss", (x, y, r) => NativeMethods.MseLoss(x, y, r)), input, target, reduction);

        /// <summary>|input - target| (F.l1_loss); input and target broadcast together.</summary>
        public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
            AutocastRegion.Recast(AutocastOps.L1Loss, input, target) is { } cast ? L1Loss(cast.A, cast.B, reduction) :
            NNFormulas.L1Loss(Pair(input, target, reduction, "l1_loss", (x, y, r) => NativeMethods.L1Loss(x, y, r)), input, target, reduction);

        /// <summary>Smooth L1 (F.smooth_l1_loss): 0.5 d^2 / beta where |d| &lt; beta, else |d| - 0.5 beta; beta 0 is the L1 loss.</summary>
        public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
            AutocastRegion.Recast(AutocastOps.SmoothL1Loss, input, target) is { } cast ? SmoothL1Loss(cast.A, cast.B, reduction, beta) :
            NNFormulas.SmoothL1Loss(Pair(input, target, reduction, "smooth_l1_loss", (x, y, r) => NativeMethods.SmoothL1Loss(x, y, r, beta)),
                input, target, reduction, beta);

        /// <summary>Huber loss (F.huber_loss): 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta); delta &gt; 0.</summary>
        public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0) =>
            AutocastRegion.Recast(AutocastOps.HuberLoss, input, target) is { } cast ? HuberLoss(cast.A, cast.B, reduction, delta) :
            NNFormulas.HuberLoss(Pair(input, target, reduction, "huber_loss", (x, y, r) => NativeMethods.HuberLoss(x, y, r, delta)),
                input, target, reduction, delta);

        /// <summary>
        /// Binary cross entropy of probabilities (F.binary_cross_entropy): each log is clamped at -100.
        /// input must lie in [0, 1]; target has input's shape; weight broadcasts to it.
        /// </summary>
        public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            AutocastRegion.Recast(AutocastOps.BinaryCrossEntropy, input, target, weight) is { } cast ? BinaryCrossEntropy(cast.A, cast.B!, cast.C, reduction) :
            NNFormulas.BinaryCrossEntropy(Pair(input, target, reduction, "binary_cross_entropy",
                (x, y, r) => NativeMethods.BinaryCrossEntropy(x, y, Optional(weight), r)), input, target, weight, reduction);

        /// <summary>
        /// Binary cross entropy of logits in the overflow-free form (F.binary_cross_entropy_with_logits);
        /// weight and posWeight broadcast to input (posWeight usually over the last, class, dim).
        /// </summary>
        public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null,
            Reduction reduction = Reduction.Mean, Tensor? posWeight = null) =>
            AutocastRegion.Recast(AutocastOps.BinaryCrossEntropyWithLogits, input, target, weight, posWeight) is { } cast
                ? BinaryCrossEntropyWithLogits(cast.A, cast.B!, cast.C, reduction, cast.D) :
            NNFormulas.BinaryCrossEntropyWithLogits(Pair(input, target, reduction, "binary_cross_entropy_with_logits",
                (x, y, r) => NativeMethods.BinaryCrossEntropyWithLogits(x, y, Optional(weight), Optional(posWeight), r)),
                input, target, weight, posWeight, reduction);

        /// <summary>
        /// Kullback-Leibler divergence (F.kl_div) of log-probabilities input from target
        /// (probabilities, or log-probabilities when <paramref name="logTarget"/>).
        /// </summary>
        public static Tensor KlDiv(Tensor input, Tensor target, KlDivReduction reduction = KlDivReduction.Mean, bool logTarget = false)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(target);
            if (reduction is < KlDivReduction.None or > KlDivReduction.BatchMean)
                throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "kl_div: invalid reduction");
            if (AutocastRegion.Recast(AutocastOps.KlDiv, input, target) is { } cast)
                return KlDiv(cast.A, cast.B, reduction, logTarget);
            return NNFormulas.KlDiv(Tensor.Own(NativeMethods.KlDiv(input.Handle, target.Handle, (int)reduction, logTarget ? 1 : 0)),
                input, target, reduction, logTarget);
        }

        private static Tensor Pair(Tensor input, Tensor target, Reduction reduction, string op,
            Func<TensorHandle, TensorHandle, int, TensorHandle> call)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(target);
            CheckReduction(reduction, op);
            return Tensor.Own(call(input.Handle, target.Handle, (int)reduction));
        }

        // ---- backward kernels (internal; autograd wires them) ------------------------------------

        /// <summary>Gradients of a loss: grad_input, and grad_target where the target is differentiable (else null).</summary>
        internal readonly record struct LossGrads(Tensor GradInput, Tensor? GradTarget);

        private static LossGrads Grads(TensorHandle gradInput, TensorHandle gradTarget) =>
            new(Tensor.Own(gradInput), gradTarget.IsInvalid ? null : Tensor.Own(gradTarget));

        internal static LossGrads CrossEntropyBackward(Tensor gradOutput, Tensor input, Tensor target, Tensor? weight = null,
            long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
        {
            NativeMethods.CrossEntropyBackward(gradOutput.Handle, input.Handle, target.Handle, Optional(weight), ignoreIndex,
                (int)reduction, labelSmoothing, out TensorHandle gi, out TensorHandle gt);
            return Grads(gi, gt);
        }

        internal static Tensor NllLossBackward(Tensor gradOutput, Tensor input, Tensor target, Tensor? weight = null,
            long ignoreIndex = -100, Reduction reduction = Reduction.Mean) =>
            Tensor.Own(NativeMethods.NllLossBackward(gradOutput.Handle, input.Handle, target.Handle, Optional(weight), ignoreIndex,
                (int)reduction));

        internal static LossGrads MseLossBackward(Tensor gradOutput, Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
        {
            NativeMethods.MseLossBackward(gradOutput.Handle, input.Handle, target.Handle, (int)reduction, out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads L1LossBackward(Tensor gradOutput, Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
        {
            NativeMethods.L1LossBackward(gradOutput.Handle, input.Handle, target.Handle, (int)reduction, out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads SmoothL1LossBackward(Tensor gradOutput, Tensor input, Tensor target,
            Reduction reduction = Reduction.Mean, double beta = 1.0)
        {
            NativeMethods.SmoothL1LossBackward(gradOutput.Handle, input.Handle, target.Handle, (int)reduction, beta, out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads HuberLossBackward(Tensor gradOutput, Tensor input, Tensor target,
            Reduction reduction = Reduction.Mean, double delta = 1.0)
        {
            NativeMethods.HuberLossBackward(gradOutput.Handle, input.Handle, target.Handle, (int)reduction, delta, out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads BinaryCrossEntropyBackward(Tensor gradOutput, Tensor input, Tensor target, Tensor? weight = null,
            Reduction reduction = Reduction.Mean)
        {
            NativeMethods.BinaryCrossEntropyBackward(gradOutput.Handle, input.Handle, target.Handle, Optional(weight), (int)reduction,
                out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads BinaryCrossEntropyWithLogitsBackward(Tensor gradOutput, Tensor input, Tensor target,
            Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
        {
            NativeMethods.BinaryCrossEntropyWithLogitsBackward(gradOutput.Handle, input.Handle, target.Handle, Optional(weight),
                Optional(posWeight), (int)reduction, out var gi, out var gt);
            return Grads(gi, gt);
        }

        internal static LossGrads KlDivBackward(Tensor gradOutput, Tensor input, Tensor target,
            KlDivReduction reduction = KlDivReduction.Mean, bool logTarget = false)
        {
            NativeMethods.KlDivBackward(gradOutput.Handle, input.Handle, target.Handle, (int)reduction, logTarget ? 1 : 0,
                out var gi, out var gt);
            return Grads(gi, gt);
        }
    }
}
