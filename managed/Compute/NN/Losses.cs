using System;

namespace Compute.NN
{
    /// <summary>
    /// A loss as a module (PyTorch's _Loss): <c>loss.Forward(input, target)</c> with the options
    /// given at construction. Class weights are registered as buffers, as in PyTorch, so they
    /// move with <see cref="Module.To(Device)"/> and appear in the state dict ("weight", "pos_weight").
    /// </summary>
    public abstract class Loss : Module<Tensor, Tensor, Tensor>
    {
        private protected Loss(Reduction reduction) => Reduction = reduction;

        /// <summary>How the per-element losses are reduced (reduction).</summary>
        public Reduction Reduction { get; }
    }

    /// <summary>Cross entropy between logits [N, C, *] (or [C]) and class indices or probabilities (PyTorch's nn.CrossEntropyLoss).</summary>
    public class CrossEntropyLoss : Loss
    {
        /// <summary>Makes the loss with PyTorch's defaults; <paramref name="weight"/> [C] rescales the classes.</summary>
        public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
            : base(reduction)
        {
            RegisterBuffer("weight", weight);
            IgnoreIndex = ignoreIndex;
            LabelSmoothing = labelSmoothing;
        }

        /// <summary>The class weights [C] ("weight" buffer), or null.</summary>
        public Tensor? Weight => GetBuffer("weight");

        /// <summary>The target value that contributes nothing (ignore_index).</summary>
        public long IgnoreIndex { get; }

        /// <summary>The amount of smoothing towards the uniform distribution (label_smoothing).</summary>
        public double LabelSmoothing { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) =>
            Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
    }

    /// <summary>Negative log likelihood of log-probabilities [N, C, *] (or [C]) at class indices (PyTorch's nn.NLLLoss).</summary>
    public class NLLLoss : Loss
    {
        /// <summary>Makes the loss with PyTorch's defaults; <paramref name="weight"/> [C] rescales the classes.</summary>
        public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
        {
            RegisterBuffer("weight", weight);
            IgnoreIndex = ignoreIndex;
        }

        /// <summary>The class weights [C] ("weight" buffer), or null.</summary>
        public Tensor? Weight => GetBuffer("weight");

        /// <summary>The target value that contributes nothing (ignore_index).</summary>
        public long IgnoreIndex { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
    }

    /// <summary>Squared error (PyTorch's nn.MSELoss).</summary>
    public class MSELoss : Loss
    {
        /// <summary>Makes the loss.</summary>
        public MSELoss(Reduction reduction = Reduction.Mean) : base(reduction)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
    }

    /// <summary>Absolute error (PyTorch's nn.L1Loss).</summary>
    public class L1Loss : Loss
    {
        /// <summary>Makes the loss.</summary>
        public L1Loss(Reduction reduction = Reduction.Mean) : base(reduction)
        {
        }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
    }

    /// <summary>Squared error below <see cref="Beta"/> (halved, divided by beta), absolute error above (PyTorch's nn.SmoothL1Loss).</summary>
    public class SmoothL1Loss : Loss
    {
        /// <summary>Makes the loss.</summary>
        public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction) => Beta = beta;

        /// <summary>Where the loss turns from quadratic to linear (beta).</summary>
        public double Beta { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
    }

    /// <summary>Squared error below <see cref="Delta"/> (halved), delta × (|error| - delta/2) above (PyTorch's nn.HuberLoss).</summary>
    public class HuberLoss : Loss
    {
        /// <summary>Makes the loss.</summary>
        public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction) => Delta = delta;

        /// <summary>Where the loss turns from quadratic to linear (delta).</summary>
        public double Delta { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
    }

    /// <summary>Binary cross entropy of probabilities in [0, 1] (PyTorch's nn.BCELoss).</summary>
    public class BCELoss : Loss
    {
        /// <summary>Makes the loss; <paramref name="weight"/> rescales each element (broadcast).</summary>
        public BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction) => RegisterBuffer("weight", weight);

        /// <summary>The element weights ("weight" buffer), or null.</summary>
        public Tensor? Weight => GetBuffer("weight");

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
    }

    /// <summary>Binary cross entropy of logits, computed stably (PyTorch's nn.BCEWithLogitsLoss).</summary>
    public class BCEWithLogitsLoss : Loss
    {
        /// <summary>Makes the loss; <paramref name="weight"/> rescales each element, <paramref name="posWeight"/> the positive examples per class.</summary>
        public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : base(reduction)
        {
            RegisterBuffer("weight", weight);
            RegisterBuffer("pos_weight", posWeight);
        }

        /// <summary>The element weights ("weight" buffer), or null.</summary>
        public Tensor? Weight => GetBuffer("weight");

        /// <summary>The positive-class weights ("pos_weight" buffer), or null.</summary>
        public Tensor? PosWeight => GetBuffer("pos_weight");

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) =>
            Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
    }

    /// <summary>Kullback-Leibler divergence of log-probabilities from the target (PyTorch's nn.KLDivLoss).</summary>
    public class KLDivLoss : Module<Tensor, Tensor, Tensor>
    {
        /// <summary>Makes the loss; <paramref name="logTarget"/> says the target is given as log-probabilities.</summary>
        public KLDivLoss(KlDivReduction reduction = KlDivReduction.Mean, bool logTarget = false)
        {
            Reduction = reduction;
            LogTarget = logTarget;
        }

        /// <summary>How the per-element losses are reduced (reduction; BatchMean gives the true KL divergence).</summary>
        public KlDivReduction Reduction { get; }

        /// <summary>Whether the target is log-probabilities (log_target).</summary>
        public bool LogTarget { get; }

        /// <inheritdoc/>
        protected override Tensor ForwardCore(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, LogTarget);
    }
}
