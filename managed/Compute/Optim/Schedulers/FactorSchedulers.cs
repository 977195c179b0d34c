using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// Scales each group's learning rate by a factor that changes linearly from <c>startFactor</c>
    /// to <c>endFactor</c> over <c>totalIters</c> epochs, then holds (torch.optim.lr_scheduler.LinearLR).
    /// </summary>
    public sealed class LinearLR : LRScheduler
    {
        private double _startFactor, _endFactor;
        private long _totalIters;

        /// <summary>A linear warm-up (or decay) of the learning rate's factor.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="startFactor">Factor at epoch 0, in (0, 1].</param>
        /// <param name="endFactor">Factor from epoch <paramref name="totalIters"/> on, in [0, 1].</param>
        /// <param name="totalIters">Epochs over which the factor changes.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, long totalIters = 5, long lastEpoch = -1)
            : base(optimizer, lastEpoch)
        {
            // PyTorch 1.13 accepts 0, which then divides by zero at the first recursive step; Compute refuses it up front.
            if (!(startFactor > 0 && startFactor <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "LinearLR: starting multiplicative factor expected to be in (0, 1].");
            }
            if (!(endFactor >= 0 && endFactor <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "LinearLR: ending multiplicative factor expected to be between 0 and 1.");
            }
            if (totalIters <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "LinearLR: totalIters must be positive.");
            }
            _startFactor = startFactor;
            _endFactor = endFactor;
            _totalIters = totalIters;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr()
        {
            if (LastEpoch == 0)
            {
                return ScaledGroupLrs(_startFactor);
            }
            if (LastEpoch > _totalIters)
            {
                return GroupLrs();
            }
            double factor = 1.0 + (_endFactor - _startFactor) /
                (_totalIters * _startFactor + (LastEpoch - 1) * (_endFactor - _startFactor));
            return ScaledGroupLrs(factor);
        }

        /// <inheritdoc/>
        protected override double[] ClosedFormLr() =>
            BaseLrs.Select(b => b * (_startFactor + (_endFactor - _startFactor) * Math.Min(_totalIters, LastEpoch) / _totalIters)).ToArray();

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["start_factor"] = _startFactor;
            state["end_factor"] = _endFactor;
            state["total_iters"] = _totalIters;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            double start = StateJson.AsDouble(StateJson.Required(state, "start_factor", what), $"{what}: start_factor");
            double end = StateJson.AsDouble(StateJson.Required(state, "end_factor", what), $"{what}: end_factor");
            long total = StateJson.AsLong(StateJson.Required(state, "total_iters", what), $"{what}: total_iters");
            if (!(start > 0 && start <= 1) || !(end >= 0 && end <= 1) || total <= 0)
            {
                throw new ArgumentException($"{what}: invalid factors or total_iters ({start}, {end}, {total}).");
            }
            (_startFactor, _endFactor, _totalIters) = (start, end, total);
        }
    }

    /// <summary>
    /// Sets each group's learning rate to its initial one times a function of the epoch
    /// (torch.optim.lr_scheduler.LambdaLR). The functions are not part of the state dict (as in
    /// PyTorch, where plain functions are skipped).
    /// </summary>
    public sealed class LambdaLR : LRScheduler
    {
        private readonly Func<long, double>[] _lambdas;

        /// <summary>One function for every group.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="lrLambda">The factor for an epoch.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public LambdaLR(Optimizer optimizer, Func<long, double> lrLambda, long lastEpoch = -1)
            : this(optimizer, Enumerable.Repeat(lrLambda ?? throw new ArgumentNullException(nameof(lrLambda)), optimizer?.ParamGroups.Count ?? 0).ToArray(), lastEpoch)
        {
        }

        /// <summary>One function per group.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="lrLambdas">The factor for an epoch, one function per parameter group.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<long, double>> lrLambdas, long lastEpoch = -1) : base(optimizer, lastEpoch)
        {
            ArgumentNullException.ThrowIfNull(lrLambdas);
            if (lrLambdas.Count != optimizer.ParamGroups.Count || lrLambdas.Any(f => f is null))
            {
                throw new ArgumentException($"LambdaLR: expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lrLambdas.Count(f => f is not null)}.",
                    nameof(lrLambdas));
            }
            _lambdas = lrLambdas.ToArray();
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr() => BaseLrs.Select((b, i) => b * _lambdas[i](LastEpoch)).ToArray();
    }
}
