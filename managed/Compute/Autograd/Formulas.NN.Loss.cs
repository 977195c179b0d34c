using System;

namespace Compute.NN
{
    // Backward of the loss functions. First order: the native loss backward kernels. With
    // createGraph: the derivative of PyTorch's definition of each loss written with recorded
    // ops (inputs and targets broadcast together; the engine sums a broadcast gradient back).
    internal static partial class NNFormulas
    {
        /// <summary>The per-element gradient scale of a reduction over <paramref name="count"/> elements.</summary>
        private static Tensor PerElement(Tensor grad, Reduction reduction, long count) =>
            reduction == Reduction.Mean ? grad / (double)count : grad;

        // The losses made of one pointwise expression of d = input - target (or of both): the
        // composite returns the gradient with respect to input and to target.
        private delegate (Tensor Input, Tensor? Target) PairGrad(Tensor x, Tensor y, Tensor g);

        private static Tensor RecordPair(Tensor result, string name, Tensor input, Tensor target, Reduction reduction,
            Func<Tensor, Tensor, Tensor, Functional.LossGrads> native, PairGrad composite)
        {
            return Recorder.Record(result, name, [input, target], [input, target], ctx =>
            {
                Tensor x = ctx.Saved(0), y = ctx.Saved(1);
                if (!Recording)
                {
                    Functional.LossGrads k = native(ctx.Grad, x, y);
                    return Needed(ctx, k.GradInput, k.GradTarget);
                }
                long count = reduction == Reduction.Mean ? (x - y).NumberOfElements : 1;
                var (gx, gy) = composite(x, y, PerElement(ctx.Grad, reduction, count));
                return Needed(ctx, gx, gy);
            });
        }

        internal static Tensor MseLoss(Tensor result, Tensor input, Tensor target, Reduction reduction) =>
            RecordPair(result, "MseLossBackward0", input, target, reduction,
                (g, x, y) => Functional.MseLossBackward(g, x, y, reduction),
                (x, y, g) => Opposite(g * (x - y) * 2.0));

        internal static Tensor L1Loss(Tensor result, Tensor input, Tensor target, Reduction reduction) =>
            RecordPair(result, "L1LossBackward0", input, target, reduction,
                (g, x, y) => Functional.L1LossBackward(g, x, y, reduction),
                (x, y, g) => Opposite(g * (x - y).Sign()));

        // Smooth L1's slope is d / beta inside (-beta, beta), the sign outside: d clamped to
        // +-beta, over beta. beta 0 is the L1 loss.
        internal static Tensor SmoothL1Loss(Tensor result, Tensor input, Tensor target, Reduction reduction, double beta) =>
            RecordPair(result, "SmoothL1LossBackward0", input, target, reduction,
                (g, x, y) => Functional.SmoothL1LossBackward(g, x, y, reduction, beta),
                (x, y, g) => Opposite(g * (beta == 0 ? (x - y).Sign() : (x - y).Clamp(-beta, beta) / beta)));

        // Huber's slope is d clamped to +-delta.
        internal static Tensor HuberLoss(Tensor result, Tensor input, Tensor target, Reduction reduction, double delta) =>
            RecordPair(result, "HuberLossBackward0", input, target, reduction,
                (g, x, y) => Functional.HuberLossBackward(g, x, y, reduction, delta),
                (x, y, g) => Opposite(g * (x - y).Clamp(-delta, delta)));

        private static (Tensor, Tensor?) Opposite(Tensor gradInput) => (gradInput, -gradInput);

        // -w (y log x + (1 - y) log(1 - x)): d/dx = w (x - y) / (x (1 - x)), the denominator kept
        // from 0 by 1e-12 as PyTorch does; d/dy = w (log(1 - x) - log x) = -w logit(x).
        internal static Tensor BinaryCrossEntropy(Tensor result, Tensor input, Tensor target, Tensor? weight, Reduction reduction)
        {
            NotDifferentiable(weight, "weight", "binary_cross_entropy");
            return RecordPair(result, "BinaryCrossEntropyBackward0", input, target, reduction,
                (g, x, y) => Functional.BinaryCrossEntropyBackward(g, x, y, weight, reduction),
                (x, y, g) =>
                {
                    Tensor gw = weight is null ? g : g * weight;
                    return (gw * (x - y) / (x * (1.0 - x)).Clamp(min: 1e-12), -gw * x.Logit());
                });
        }

        // -w (p y log s(x) + (1 - y) log(1 - s(x))) with p the positive weight:
        // d/dx = w ((p y + 1 - y) s(x) - p y); d/dy = -w (p log s(x) - log s(-x)).
        internal static Tensor BinaryCrossEntropyWithLogits(Tensor result, Tensor input, Tensor target, Tensor? weight,
            Tensor? posWeight, Reduction reduction)
        {
            NotDifferentiable(weight, "weight", "binary_cross_entropy_with_logits");
            NotDifferentiable(posWeight, "pos_weight", "binary_cross_entropy_with_logits");
            return RecordPair(result, "BinaryCrossEntropyWithLogitsBackward0", input, target, reduction,
                (g, x, y) => Functional.BinaryCrossEntropyWithLogitsBackward(g, x, y, weight, reduction, posWeight),
                (x, y, g) =>
                {
                    Tensor gw = weight is null ? g : g * weight;
                    Tensor py = posWeight is null ? y : posWeight * y;
                    Tensor logS = x.LogSigmoid();
                    Tensor gx = gw * ((py + 1.0 - y) * x.Sigmoid() - py);
                    Tensor gy = -gw * ((posWeight is null ? logS : posWeight * logS) - (-x).LogSigmoid());
                    return (gx, gy);
                });
        }

        // PyTorch's kl_div: exp(y) (y - x) for log targets, y log y - y x otherwise.
        internal static Tensor KlDiv(Tensor result, Tensor input, Tensor target, KlDivReduction reduction, bool logTarget)
        {
            return Recorder.Record(result, "KlDivBackward0", [input, target], [input, target], ctx =>
            {
                Tensor x = ctx.Saved(0), y = ctx.Saved(1);
                if (!Recording)
                {
                    Functional.LossGrads k = Functional.KlDivBackward(ctx.Grad, x, y, reduction, logTarget);
                    return Needed(ctx, k.GradInput, k.GradTarget);
                }
                Tensor g = ctx.Grad;
                if (reduction == KlDivReduction.Mean)
                {
                    g = g / (double)(x - y).NumberOfElements;
                }
                else if (reduction == KlDivReduction.BatchMean && x.Dim > 0)
                {
                    g = g / (double)x.Size(0);
                }
                if (logTarget)
                {
                    Tensor ey = y.Exp();
                    return Needed(ctx, -g * ey, g * ey * (y - x + 1.0));
                }
                return Needed(ctx, -g * y, g * (y.Log() + 1.0 - x));
            });
        }

        // ---- class losses ------------------------------------------------------------------

        /// <summary>
        /// What the class losses share for class-index targets: the class dim, the mask of the
        /// targets that are not ignored, the targets with ignored ones replaced by class 0 (safe
        /// to index with), and each target's weight (0 where ignored).
        /// </summary>
        private readonly record struct ClassTargets(int ClassDim, Tensor Kept, Tensor Safe, Tensor Weight)
        {
            internal static ClassTargets Of(Tensor input, Tensor target, Tensor? weight, long ignoreIndex)
            {
                int classDim = input.Dim == 1 ? 0 : 1;
                Tensor kept = target.Ne(ignoreIndex);
                Tensor safe = Tensor.Where(kept, target, 0L);
                Tensor w = kept.To(input.DType);
                if (weight is not null)
                {
                    w = w * weight.IndexSelect(0, safe.Flatten()).Reshape(target.Shape);
                }
                return new ClassTargets(classDim, kept, safe, w);
            }

            /// <summary><paramref name="perTarget"/> (the target's shape) placed at each target's class, zeros elsewhere.</summary>
            internal Tensor AtTarget(Tensor input, Tensor perTarget) =>
                Tensor.ZerosLike(input).Scatter(ClassDim, Safe.Unsqueeze(ClassDim), perTarget.Unsqueeze(ClassDim));
        }

        internal static Tensor NllLoss(Tensor result, Tensor input, Tensor target, Tensor? weight, long ignoreIndex, Reduction reduction)
        {
            NotDifferentiable(weight, "weight", "nll_loss");
            return Recorder.Record(result, "NllLossBackward0", [input], [input, target], ctx =>
            {
                Tensor x = ctx.Saved(0), t = ctx.Saved(1);
                if (!Recording)
                {
                    return [Functional.NllLossBackward(ctx.Grad, x, t, weight, ignoreIndex, reduction)];
                }
                // The loss is -w_t x_t (over the summed target weights for the mean): the
                // gradient is -w_t g at each target's class.
                var c = ClassTargets.Of(x, t, weight, ignoreIndex);
                Tensor g = reduction == Reduction.Mean ? ctx.Grad / c.Weight.Sum() : ctx.Grad;
                return [c.AtTarget(x, -(g * c.Weight))];
            });
        }

        internal static Tensor CrossEntropy(Tensor result, Tensor input, Tensor target, Tensor? weight, long ignoreIndex,
            Reduction reduction, double labelSmoothing)
        {
            NotDifferentiable(weight, "weight", "cross_entropy");
            bool probabilities = target.DType.IsFloatingPoint();
            return Recorder.Record(result, "CrossEntropyLossBackward0", [input, probabilities ? target : null], [input, target], ctx =>
            {
                Tensor x = ctx.Saved(0), t = ctx.Saved(1);
                if (!Recording)
                {
                    Functional.LossGrads k = Functional.CrossEntropyBackward(ctx.Grad, x, t, weight, ignoreIndex, reduction, labelSmoothing);
                    return Needed(ctx, k.GradInput, k.GradTarget);
                }
                return probabilities
                    ? CrossEntropyProbabilities(ctx, x, t, weight, reduction, labelSmoothing)
                    : [CrossEntropyClasses(ctx.Grad, x, t, weight, ignoreIndex, reduction, labelSmoothing), null];
            });
        }

        // Weights shaped to broadcast along the class dim of input.
        private static Tensor AlongClasses(Tensor weight, Tensor input, int classDim)
        {
            var shape = new long[input.Dim];
            Array.Fill(shape, 1L);
            shape[classDim] = weight.NumberOfElements;
            return weight.Reshape(shape);
        }

        // PyTorch's definition: (1 - e) nll(log_softmax(x)) + e/C sum_c -w_c log_softmax(x)_c
        // over the targets not ignored, both terms over the summed target weights for the mean.
        // Each term's gradient is softmax times the term's total weight minus its weights.
        private static Tensor CrossEntropyClasses(Tensor grad, Tensor x, Tensor t, Tensor? weight, long ignoreIndex,
            Reduction reduction, double smoothing)
        {
            var c = ClassTargets.Of(x, t, weight, ignoreIndex);
            int dim = c.ClassDim;
            Tensor p = (x - x.LogSumExp(dim, keepDim: true)).Exp();
            Tensor gNll = reduction == Reduction.Mean ? grad / c.Weight.Sum() : grad;
            Tensor wt = (gNll * c.Weight).Unsqueeze(dim);
            Tensor result = (p * wt - c.AtTarget(x, gNll * c.Weight)) * (1.0 - smoothing);
            if (smoothing > 0)
            {
                long classes = x.Size(dim);
                Tensor kept = (gNll * c.Kept.To(x.DType)).Unsqueeze(dim);
                Tensor smooth = weight is null
                    ? p * (double)classes - 1.0
                    : p * weight.Sum() - AlongClasses(weight, x, dim);
                result = result + kept * smooth * (smoothing / classes);
            }
            return result;
        }

        // Probability targets y' = (1 - e) y + e / C: the loss -sum_c w_c y'_c log_softmax(x)_c,
        // the mean over the targets (numel / C).
        private static Tensor?[] CrossEntropyProbabilities(BackwardContext ctx, Tensor x, Tensor y, Tensor? weight,
            Reduction reduction, double smoothing)
        {
            int dim = x.Dim == 1 ? 0 : 1;
            long classes = x.Size(dim);
            Tensor g = reduction == Reduction.Mean ? ctx.Grad / (double)(x.NumberOfElements / classes) : ctx.Grad;
            if (g.Dim > 0)
            {
                g = g.Unsqueeze(dim);
            }
            Tensor logP = x - x.LogSumExp(dim, keepDim: true);
            Tensor target = smoothing > 0 ? y * (1.0 - smoothing) + smoothing / classes : y;
            Tensor weighted = weight is null ? target : target * AlongClasses(weight, x, dim);
            Tensor gx = g * (logP.Exp() * weighted.Sum(dim, keepDim: true) - weighted);
            Tensor gy = -g * (weight is null ? logP : logP * AlongClasses(weight, x, dim)) * (1.0 - smoothing);
            return Needed(ctx, gx, gy);
        }
    }
}
