using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// Runs schedulers one after another, switching at the milestone epochs
    /// (torch.optim.lr_scheduler.SequentialLR): scheduler i drives epochs
    /// [milestones[i-1], milestones[i]) and starts from its epoch 0 at its milestone.
    /// </summary>
    public sealed class SequentialLR : LRScheduler
    {
        private readonly LRScheduler[] _schedulers;
        private readonly long[] _milestones;

        /// <summary>Chains <paramref name="schedulers"/> (already constructed on <paramref name="optimizer"/>) at <paramref name="milestones"/>.</summary>
        /// <param name="optimizer">The optimizer all the schedulers drive.</param>
        /// <param name="schedulers">The schedulers, in order.</param>
        /// <param name="milestones">Epochs at which to switch to the next scheduler; one fewer than the schedulers.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<long> milestones, long lastEpoch = -1)
            : base(optimizer, lastEpoch)
        {
            ArgumentNullException.ThrowIfNull(schedulers);
            ArgumentNullException.ThrowIfNull(milestones);
            if (schedulers.Count == 0)
            {
                throw new ArgumentException("SequentialLR: expects at least one scheduler.", nameof(schedulers));
            }
            for (int i = 0; i < schedulers.Count; i++)
            {
                if (schedulers[i] is null || !ReferenceEquals(schedulers[i].Optimizer, optimizer))
                {
                    throw new ArgumentException("SequentialLR: expects all schedulers to belong to the same optimizer, but got " +
                        $"scheduler at index {i} to be different than the optimizer passed in.", nameof(schedulers));
                }
            }
            if (milestones.Count != schedulers.Count - 1)
            {
                throw new ArgumentException("SequentialLR: expects number of schedulers provided to be one more than the number of " +
                    $"milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}.",
                    nameof(milestones));
            }
            _schedulers = schedulers.ToArray();
            _milestones = milestones.ToArray();
            // As PyTorch: undo the first step each scheduler took when it was built, then start the first one.
            LastEpoch = lastEpoch + 1;
            foreach (ParamGroup g in optimizer.ParamGroups)
            {
                g.LearningRate = g.GetDouble("initial_lr");
            }
            foreach (LRScheduler s in _schedulers)
            {
                s.LastEpoch -= 1;
            }
            _schedulers[0].InitialStep();
            Apply(_schedulers[0].GetLastLr().ToArray());
        }

        /// <inheritdoc/>
        public override void Step()
        {
            LastEpoch++;
            int idx = _milestones.Count(m => m <= LastEpoch);  // bisect_right
            LRScheduler scheduler = _schedulers[idx];
            if (idx > 0 && _milestones[idx - 1] == LastEpoch)
            {
                scheduler.StepTo(0);
            }
            else
            {
                scheduler.Step();
            }
            Apply(scheduler.GetLastLr().ToArray());
        }

        /// <inheritdoc/>
        internal override void StepTo(long epoch) =>
            throw new NotSupportedException("SequentialLR: cannot jump to an epoch (PyTorch's SequentialLR.step takes none).");

        /// <inheritdoc/>
        protected override double[] ComputeLr() => GroupLrs();

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["_milestones"] = (long[])_milestones.Clone();
            state["_schedulers"] = _schedulers.Select(s => (object?)s.StateDict()).ToList();
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            object? raw = StateJson.Required(state, "_schedulers", what);
            IReadOnlyList<object?> subs = raw switch
            {
                IReadOnlyList<object?> list => list,
                _ => throw new ArgumentException($"{what}: _schedulers must be a list of scheduler states."),
            };
            if (subs.Count != _schedulers.Length)
            {
                throw new ArgumentException($"{what}: the state has {subs.Count} schedulers, this SequentialLR has {_schedulers.Length}.");
            }
            for (int i = 0; i < subs.Count; i++)
            {
                _schedulers[i].LoadStateDict(subs[i] as IReadOnlyDictionary<string, object?>
                    ?? throw new ArgumentException($"{what}: _schedulers[{i}] is not a scheduler state."));
            }
        }
    }
}
