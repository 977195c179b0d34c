using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>Multiplies each group's learning rate by <c>gamma</c> every <c>stepSize</c> epochs (torch.optim.lr_scheduler.StepLR).</summary>
    public sealed class StepLR : LRScheduler
    {
        private long _stepSize;
        private double _gamma;

        /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="stepSize">Period of the decay, in epochs (&gt; 0).</param>
        /// <param name="gamma">Multiplicative factor of the decay.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public StepLR(Optimizer optimizer, long stepSize, double gamma = 0.1, long lastEpoch = -1) : base(optimizer, lastEpoch)
        {
            if (stepSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: stepSize must be positive.");
            }
            _stepSize = stepSize;
            _gamma = gamma;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr() =>
            LastEpoch == 0 || LastEpoch % _stepSize != 0 ? GroupLrs() : ScaledGroupLrs(_gamma);

        /// <inheritdoc/>
        protected override double[] ClosedFormLr() =>
            BaseLrs.Select(b => b * Math.Pow(_gamma, Math.Floor((double)LastEpoch / _stepSize))).ToArray();

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["step_size"] = _stepSize;
            state["gamma"] = _gamma;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            long stepSize = StateJson.AsLong(StateJson.Required(state, "step_size", what), $"{what}: step_size");
            if (stepSize <= 0)
            {
                throw new ArgumentException($"{what}: step_size must be positive, got {stepSize}.");
            }
            _gamma = StateJson.AsDouble(StateJson.Required(state, "gamma", what), $"{what}: gamma");
            _stepSize = stepSize;
        }
    }

    /// <summary>Multiplies each group's learning rate by <c>gamma</c> at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR); a repeated milestone applies gamma that many times.</summary>
    public sealed class MultiStepLR : LRScheduler
    {
        private long[] _milestones;
        private double _gamma;

        /// <summary>Decays by <paramref name="gamma"/> at each of <paramref name="milestones"/>.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="milestones">Epoch indices (any order; repeats count).</param>
        /// <param name="gamma">Multiplicative factor of the decay.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public MultiStepLR(Optimizer optimizer, IEnumerable<long> milestones, double gamma = 0.1, long lastEpoch = -1) : base(optimizer, lastEpoch)
        {
            ArgumentNullException.ThrowIfNull(milestones);
            _milestones = milestones.OrderBy(m => m).ToArray();
            _gamma = gamma;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr()
        {
            int count = _milestones.Count(m => m == LastEpoch);
            return count == 0 ? GroupLrs() : ScaledGroupLrs(Math.Pow(_gamma, count));
        }

        /// <inheritdoc/>
        protected override double[] ClosedFormLr()
        {
            int passed = _milestones.Count(m => m <= LastEpoch);  // bisect_right over the sorted milestones
            return BaseLrs.Select(b => b * Math.Pow(_gamma, passed)).ToArray();
        }

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["milestones"] = (long[])_milestones.Clone();
            state["gamma"] = _gamma;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            object? raw = StateJson.Required(state, "milestones", what);
            long[] milestones = raw is long[] l ? (long[])l.Clone()
                : StateJson.AsDoubles(raw, $"{what}: milestones").Select((v, i) => StateJson.AsLong(v, $"{what}: milestones[{i}]")).ToArray();
            _gamma = StateJson.AsDouble(StateJson.Required(state, "gamma", what), $"{what}: gamma");
            _milestones = milestones.OrderBy(m => m).ToArray();
        }
    }

    /// <summary>Multiplies each group's learning rate by <c>gamma</c> every epoch (torch.optim.lr_scheduler.ExponentialLR).</summary>
    public sealed class ExponentialLR : LRScheduler
    {
        private double _gamma;

        /// <summary>Decays by <paramref name="gamma"/> every epoch.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="gamma">Multiplicative factor of the decay.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public ExponentialLR(Optimizer optimizer, double gamma, long lastEpoch = -1) : base(optimizer, lastEpoch)
        {
            _gamma = gamma;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr() => LastEpoch == 0 ? GroupLrs() : ScaledGroupLrs(_gamma);

        /// <inheritdoc/>
        protected override double[] ClosedFormLr() => BaseLrs.Select(b => b * Math.Pow(_gamma, LastEpoch)).ToArray();

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state) => state["gamma"] = _gamma;

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what) =>
            _gamma = StateJson.AsDouble(StateJson.Required(state, "gamma", what), $"{what}: gamma");
    }
}
