using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// Base of the epoch-based learning-rate schedulers (torch.optim.lr_scheduler._LRScheduler).
    /// Construction records each group's "initial_lr" and takes the first step (epoch 0), as
    /// PyTorch does; call <see cref="Step"/> after each <see cref="Optimizer.Step()"/>. Values are
    /// computed with PyTorch's recursive (chainable) formulas, so they equal PyTorch's to the bit.
    /// </summary>
    public abstract class LRScheduler
    {
        /// <summary>Sets up the scheduler; a derived constructor ends with <see cref="InitialStep"/>.</summary>
        /// <param name="optimizer">The optimizer whose groups' "lr" this scheduler sets.</param>
        /// <param name="lastEpoch">The index of the last epoch when resuming; -1 starts afresh (then each group's "initial_lr" is set from its "lr").</param>
        protected LRScheduler(Optimizer optimizer, long lastEpoch = -1)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            Optimizer = optimizer;
            for (int i = 0; i < optimizer.ParamGroups.Count; i++)
            {
                ParamGroup g = optimizer.ParamGroups[i];
                if (lastEpoch == -1)
                {
                    g.SetDefault("initial_lr", g.LearningRate);
                }
                else if (!g.ContainsKey("initial_lr"))
                {
                    throw new ArgumentException($"{GetType().Name}: param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer.");
                }
            }
            BaseLrs = optimizer.ParamGroups.Select(g => g.GetDouble("initial_lr")).ToArray();
            LastEpoch = lastEpoch;
            LastLr = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        }

        /// <summary>The optimizer this scheduler drives.</summary>
        public Optimizer Optimizer { get; }

        /// <summary>The index of the last epoch (step) taken; 0 after construction.</summary>
        public long LastEpoch { get; protected internal set; }

        /// <summary>Each group's initial learning rate (PyTorch's base_lrs).</summary>
        protected double[] BaseLrs { get; set; }

        /// <summary>How many times <see cref="Step"/> ran, construction's step included (PyTorch's _step_count).</summary>
        protected long StepCount { get; set; }

        private double[] LastLr { get; set; }

        /// <summary>The learning rates the last step set, one per group (PyTorch's get_last_lr()).</summary>
        public IReadOnlyList<double> GetLastLr() => (double[])LastLr.Clone();

        /// <summary>Advances one epoch and sets each group's "lr".</summary>
        public virtual void Step()
        {
            StepCount++;
            LastEpoch++;
            Apply(ComputeLr());
        }

        /// <summary>
        /// Jumps to <paramref name="epoch"/> (PyTorch's deprecated step(epoch), which SequentialLR
        /// uses at its milestones): the closed form where the scheduler has one, else the recursive one.
        /// </summary>
        internal virtual void StepTo(long epoch)
        {
            StepCount++;
            LastEpoch = epoch;
            Apply(ClosedFormLr() ?? ComputeLr());
        }

        /// <summary>PyTorch's _initial_step: resets the step count and takes the first step.</summary>
        protected internal void InitialStep()
        {
            StepCount = 0;
            Step();
        }

        /// <summary>The learning rates for <see cref="LastEpoch"/> (PyTorch's get_lr, the recursive form: it may read each group's current "lr").</summary>
        protected abstract double[] ComputeLr();

        /// <summary>The closed-form learning rates for <see cref="LastEpoch"/>, or null where PyTorch has none.</summary>
        protected virtual double[]? ClosedFormLr() => null;

        /// <summary>Sets each group's "lr" and records them as the last learning rates.</summary>
        protected void Apply(double[] lrs)
        {
            for (int i = 0; i < lrs.Length; i++)
            {
                Optimizer.ParamGroups[i].LearningRate = lrs[i];
            }
            LastLr = Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        }

        /// <summary>The current "lr" of every group.</summary>
        protected double[] GroupLrs() => Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

        /// <summary>Each group's current "lr" times <paramref name="factor"/>.</summary>
        protected double[] ScaledGroupLrs(double factor) => Optimizer.ParamGroups.Select(g => g.LearningRate * factor).ToArray();

        /// <summary>
        /// The scheduler's state under PyTorch's attribute names ("last_epoch", "base_lrs",
        /// "_step_count", "_last_lr" and the scheduler's own options): numbers, bools, strings
        /// and arrays, writable with <see cref="StateJson.Serialize"/>.
        /// </summary>
        public Dictionary<string, object?> StateDict()
        {
            var state = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["last_epoch"] = LastEpoch,
                ["base_lrs"] = (double[])BaseLrs.Clone(),
                ["_step_count"] = StepCount,
                ["_last_lr"] = (double[])LastLr.Clone(),
            };
            SaveState(state);
            return state;
        }

        /// <summary>Restores what <see cref="StateDict"/> returned (or its JSON read back by <see cref="StateJson.Deserialize"/>); malformed values throw.</summary>
        public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
        {
            ArgumentNullException.ThrowIfNull(stateDict);
            string what = $"{GetType().Name}.LoadStateDict";
            double[] baseLrs = StateJson.AsDoubles(StateJson.Required(stateDict, "base_lrs", what), $"{what}: base_lrs");
            double[] lastLr = StateJson.AsDoubles(StateJson.Required(stateDict, "_last_lr", what), $"{what}: _last_lr");
            int groups = Optimizer.ParamGroups.Count;
            if (baseLrs.Length != groups || lastLr.Length != groups)
            {
                throw new ArgumentException($"{what}: the state has {baseLrs.Length} base_lrs and {lastLr.Length} _last_lr for {groups} parameter groups.");
            }
            long lastEpoch = StateJson.AsLong(StateJson.Required(stateDict, "last_epoch", what), $"{what}: last_epoch");
            long stepCount = StateJson.AsLong(StateJson.Required(stateDict, "_step_count", what), $"{what}: _step_count");
            LoadState(stateDict, what);
            LastEpoch = lastEpoch;
            StepCount = stepCount;
            BaseLrs = baseLrs;
            LastLr = lastLr;
        }

        /// <summary>Adds the scheduler's own fields to a state dict (PyTorch's attribute names).</summary>
        protected virtual void SaveState(Dictionary<string, object?> state)
        {
        }

        /// <summary>Reads the scheduler's own fields back; <paramref name="what"/> prefixes error messages.</summary>
        protected virtual void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
        }

        /// <summary>Throws unless <paramref name="values"/> has one entry per parameter group.</summary>
        protected static double[] PerGroup(Optimizer optimizer, IReadOnlyList<double> values, string name)
        {
            if (values.Count != optimizer.ParamGroups.Count)
            {
                throw new ArgumentException($"expected {optimizer.ParamGroups.Count} values for {name}, got {values.Count}", name);
            }
            return values.ToArray();
        }
    }
}
