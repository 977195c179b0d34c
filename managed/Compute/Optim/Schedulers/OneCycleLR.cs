using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): the learning rate rises from
    /// max_lr / divFactor to max_lr, then anneals to initial_lr / finalDivFactor (with
    /// <c>threePhase</c>, it first returns to the initial rate), by cosine or linear annealing; the
    /// momentum (or Adam's beta1) cycles inversely between maxMomentum and baseMomentum. Step
    /// once per batch; stepping past totalSteps throws.
    /// </summary>
    public sealed class OneCycleLR : LRScheduler
    {
        private readonly long _totalSteps;
        private readonly (double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum)[] _phases;
        private readonly bool _cos;
        private readonly bool _cycleMomentum;
        private readonly bool _useBeta1;

        /// <summary>A one-cycle schedule of <paramref name="totalSteps"/> steps (or <paramref name="epochs"/> * <paramref name="stepsPerEpoch"/>).</summary>
        /// <param name="optimizer">The optimizer whose learning rates (and momentum) to schedule.</param>
        /// <param name="maxLr">Peak learning rate for every group.</param>
        /// <param name="totalSteps">Steps in the cycle; if null, epochs * stepsPerEpoch.</param>
        /// <param name="epochs">Epochs, with <paramref name="stepsPerEpoch"/>, when totalSteps is null.</param>
        /// <param name="stepsPerEpoch">Steps per epoch, with <paramref name="epochs"/>.</param>
        /// <param name="pctStart">Fraction of the cycle spent increasing the learning rate.</param>
        /// <param name="annealStrategy">"cos" or "linear".</param>
        /// <param name="cycleMomentum">Cycle the momentum (SGD, RMSprop) or beta1 (Adam, AdamW) inversely to the learning rate.</param>
        /// <param name="baseMomentum">Lowest momentum, at the peak learning rate.</param>
        /// <param name="maxMomentum">Highest momentum, at the start and end.</param>
        /// <param name="divFactor">initial_lr = maxLr / divFactor.</param>
        /// <param name="finalDivFactor">min_lr = initial_lr / finalDivFactor.</param>
        /// <param name="threePhase">Use a third phase that anneals to min_lr after returning to initial_lr.</param>
        /// <param name="lastEpoch">The last step when resuming; -1 starts afresh.</param>
        public OneCycleLR(Optimizer optimizer, double maxLr, long? totalSteps = null, long? epochs = null, long? stepsPerEpoch = null,
            double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85,
            double maxMomentum = 0.95, double divFactor = 25.0, double finalDivFactor = 1e4, bool threePhase = false, long lastEpoch = -1)
            : this(optimizer, Enumerable.Repeat(maxLr, optimizer?.ParamGroups.Count ?? 0).ToArray(), totalSteps, epochs, stepsPerEpoch, pctStart,
                annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase, lastEpoch)
        {
        }

        /// <summary>As the other constructor, with one peak learning rate per parameter group.</summary>
        /// <param name="optimizer">The optimizer whose learning rates (and momentum) to schedule.</param>
        /// <param name="maxLrs">Peak learning rate of each group.</param>
        /// <param name="totalSteps">Steps in the cycle; if null, epochs * stepsPerEpoch.</param>
        /// <param name="epochs">Epochs, with <paramref name="stepsPerEpoch"/>, when totalSteps is null.</param>
        /// <param name="stepsPerEpoch">Steps per epoch, with <paramref name="epochs"/>.</param>
        /// <param name="pctStart">Fraction of the cycle spent increasing the learning rate.</param>
        /// <param name="annealStrategy">"cos" or "linear".</param>
        /// <param name="cycleMomentum">Cycle the momentum (SGD, RMSprop) or beta1 (Adam, AdamW) inversely to the learning rate.</param>
        /// <param name="baseMomentum">Lowest momentum, at the peak learning rate.</param>
        /// <param name="maxMomentum">Highest momentum, at the start and end.</param>
        /// <param name="divFactor">initial_lr = maxLr / divFactor.</param>
        /// <param name="finalDivFactor">min_lr = initial_lr / finalDivFactor.</param>
        /// <param name="threePhase">Use a third phase that anneals to min_lr after returning to initial_lr.</param>
        /// <param name="lastEpoch">The last step when resuming; -1 starts afresh.</param>
        public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLrs, long? totalSteps = null, long? epochs = null,
            long? stepsPerEpoch = null, double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true,
            double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25.0, double finalDivFactor = 1e4,
            bool threePhase = false, long lastEpoch = -1)
            : base(Prepare(optimizer, maxLrs, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor,
                finalDivFactor, lastEpoch), lastEpoch)
        {
            if (totalSteps is null && (epochs is null || stepsPerEpoch is null))
            {
                throw new ArgumentException("OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch).");
            }
            if (totalSteps is long t)
            {
                if (t <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(totalSteps), t, "OneCycleLR: expected positive integer totalSteps.");
                }
                _totalSteps = t;
            }
            else
            {
                if (epochs <= 0 || stepsPerEpoch <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(epochs), $"OneCycleLR: expected positive epochs and stepsPerEpoch, got {epochs} and {stepsPerEpoch}.");
                }
                _totalSteps = epochs!.Value * stepsPerEpoch!.Value;
            }
            _phases = threePhase
                ?
                [
                    (pctStart * _totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    (2 * pctStart * _totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    (_totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
                ]
                :
                [
                    (pctStart * _totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    (_totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
                ];
            _cos = annealStrategy == "cos";
            _cycleMomentum = cycleMomentum;
            _useBeta1 = optimizer.Defaults.ContainsKey("betas");
            InitialStep();
        }

        // Runs before the base constructor (which reads "initial_lr"): validates and writes the
        // groups' schedule keys as PyTorch's constructor does before calling its base.
        private static Optimizer Prepare(Optimizer optimizer, IReadOnlyList<double> maxLrs, double pctStart, string annealStrategy,
            bool cycleMomentum, double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, long lastEpoch)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            ArgumentNullException.ThrowIfNull(maxLrs);
            if (!(pctStart >= 0 && pctStart <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "OneCycleLR: expected float between 0 and 1 pctStart.");
            }
            if (annealStrategy is not ("cos" or "linear"))
            {
                throw new ArgumentException($"OneCycleLR: annealStrategy must be one of 'cos' or 'linear', instead got '{annealStrategy}'.",
                    nameof(annealStrategy));
            }
            double[] max = PerGroup(optimizer, maxLrs, "max_lr");
            bool useBeta1 = optimizer.Defaults.ContainsKey("betas");
            if (cycleMomentum && !useBeta1 && !optimizer.Defaults.ContainsKey("momentum"))
            {
                throw new ArgumentException("OneCycleLR: optimizer must support momentum with `cycleMomentum` option enabled.", nameof(cycleMomentum));
            }
            if (lastEpoch == -1)
            {
                for (int i = 0; i < max.Length; i++)
                {
                    ParamGroup g = optimizer.ParamGroups[i];
                    g["initial_lr"] = max[i] / divFactor;
                    g["max_lr"] = max[i];
                    g["min_lr"] = g.GetDouble("initial_lr") / finalDivFactor;
                    if (cycleMomentum)
                    {
                        if (useBeta1)
                        {
                            g["betas"] = new[] { maxMomentum, g.GetPair("betas").Item2 };
                        }
                        else
                        {
                            g["momentum"] = maxMomentum;
                        }
                        g["max_momentum"] = maxMomentum;
                        g["base_momentum"] = baseMomentum;
                    }
                }
            }
            return optimizer;
        }

        private double Anneal(double start, double end, double pct) =>
            _cos ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1) : (end - start) * pct + start;

        /// <inheritdoc/>
        protected override double[] ComputeLr()
        {
            long stepNum = LastEpoch;
            if (stepNum > _totalSteps)
            {
                throw new InvalidOperationException($"OneCycleLR: tried to step {stepNum + 1} times. The specified number of total steps is {_totalSteps}.");
            }
            var lrs = new double[Optimizer.ParamGroups.Count];
            for (int gi = 0; gi < lrs.Length; gi++)
            {
                ParamGroup g = Optimizer.ParamGroups[gi];
                double start = 0;
                for (int i = 0; i < _phases.Length; i++)
                {
                    var phase = _phases[i];
                    if (stepNum <= phase.EndStep || i == _phases.Length - 1)
                    {
                        double pct = (stepNum - start) / (phase.EndStep - start);
                        lrs[gi] = Anneal(g.GetDouble(phase.StartLr), g.GetDouble(phase.EndLr), pct);
                        if (_cycleMomentum)
                        {
                            double m = Anneal(g.GetDouble(phase.StartMomentum), g.GetDouble(phase.EndMomentum), pct);
                            if (_useBeta1)
                            {
                                g["betas"] = new[] { m, g.GetPair("betas").Item2 };
                            }
                            else
                            {
                                g["momentum"] = m;
                            }
                        }
                        break;
                    }
                    start = phase.EndStep;
                }
            }
            return lrs;
        }

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["total_steps"] = _totalSteps;
            state["cycle_momentum"] = _cycleMomentum;
            state["use_beta1"] = _useBeta1;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            // The phases and options are the constructor's; a state from a different schedule is refused rather than mixed in.
            long total = StateJson.AsLong(StateJson.Required(state, "total_steps", what), $"{what}: total_steps");
            if (total != _totalSteps)
            {
                throw new ArgumentException($"{what}: the state is for {total} total steps, this scheduler has {_totalSteps}.");
            }
        }
    }
}
