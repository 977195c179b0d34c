using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// Cosine annealing from each group's initial learning rate to <c>etaMin</c> over <c>tMax</c>
    /// epochs, continuing periodically beyond (torch.optim.lr_scheduler.CosineAnnealingLR). Uses
    /// PyTorch's recursive form, so the values (and their interplay with other changes to "lr")
    /// equal PyTorch's.
    /// </summary>
    public sealed class CosineAnnealingLR : LRScheduler
    {
        private long _tMax;
        private double _etaMin;

        /// <summary>Anneals over <paramref name="tMax"/> epochs down to <paramref name="etaMin"/>.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="tMax">Half period, in epochs (&gt; 0).</param>
        /// <param name="etaMin">Minimum learning rate.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin = 0, long lastEpoch = -1) : base(optimizer, lastEpoch)
        {
            if (tMax <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "CosineAnnealingLR: tMax must be positive.");
            }
            _tMax = tMax;
            _etaMin = etaMin;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr()
        {
            if (LastEpoch == 0)
            {
                return GroupLrs();
            }
            if (StepCount == 1 && LastEpoch > 0)
            {
                return ClosedFormLr();
            }
            if ((LastEpoch - 1 - _tMax) % (2 * _tMax) == 0)
            {
                return Optimizer.ParamGroups.Select((g, i) =>
                    g.LearningRate + (BaseLrs[i] - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2).ToArray();
            }
            return Optimizer.ParamGroups.Select(g =>
                (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / (1 + Math.Cos(Math.PI * (LastEpoch - 1) / _tMax)) *
                (g.LearningRate - _etaMin) + _etaMin).ToArray();
        }

        /// <inheritdoc/>
        protected override double[] ClosedFormLr() =>
            BaseLrs.Select(b => _etaMin + (b - _etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / 2).ToArray();

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["T_max"] = _tMax;
            state["eta_min"] = _etaMin;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            long tMax = StateJson.AsLong(StateJson.Required(state, "T_max", what), $"{what}: T_max");
            if (tMax <= 0)
            {
                throw new ArgumentException($"{what}: T_max must be positive, got {tMax}.");
            }
            _etaMin = StateJson.AsDouble(StateJson.Required(state, "eta_min", what), $"{what}: eta_min");
            _tMax = tMax;
        }
    }

    /// <summary>
    /// Cosine annealing with warm restarts (SGDR; torch.optim.lr_scheduler.CosineAnnealingWarmRestarts):
    /// the learning rate anneals from the initial one to <c>etaMin</c> over <c>t0</c> epochs, then
    /// restarts, each period <c>tMult</c> times longer than the one before.
    /// </summary>
    public sealed class CosineAnnealingWarmRestarts : LRScheduler
    {
        private long _t0, _tI, _tMult;
        private double _etaMin, _tCur;

        /// <summary>Restarts after <paramref name="t0"/> epochs, then after periods growing by <paramref name="tMult"/>.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to schedule.</param>
        /// <param name="t0">Epochs before the first restart (&gt; 0).</param>
        /// <param name="tMult">Growth factor of the period (&gt;= 1).</param>
        /// <param name="etaMin">Minimum learning rate.</param>
        /// <param name="lastEpoch">The last epoch when resuming; -1 starts afresh.</param>
        public CosineAnnealingWarmRestarts(Optimizer optimizer, long t0, long tMult = 1, double etaMin = 0, long lastEpoch = -1)
            : base(optimizer, lastEpoch)
        {
            if (t0 <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(t0), t0, $"CosineAnnealingWarmRestarts: expected positive integer T_0, but got {t0}.");
            }
            if (tMult < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(tMult), tMult, $"CosineAnnealingWarmRestarts: expected integer T_mult >= 1, but got {tMult}.");
            }
            _t0 = _tI = t0;
            _tMult = tMult;
            _etaMin = etaMin;
            _tCur = lastEpoch;
            InitialStep();
        }

        /// <inheritdoc/>
        protected override double[] ComputeLr() =>
            BaseLrs.Select(b => _etaMin + (b - _etaMin) * (1 + Math.Cos(Math.PI * _tCur / _tI)) / 2).ToArray();

        /// <inheritdoc/>
        public override void Step()
        {
            if (LastEpoch < 0)
            {
                StepTo(0);
                return;
            }
            _tCur += 1;
            if (_tCur >= _tI)
            {
                _tCur -= _tI;
                _tI *= _tMult;
            }
            LastEpoch++;
            Apply(ComputeLr());
        }

        /// <inheritdoc/>
        internal override void StepTo(long epoch)
        {
            if (epoch < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "CosineAnnealingWarmRestarts: expected non-negative epoch.");
            }
            if (epoch >= _t0)
            {
                if (_tMult == 1)
                {
                    _tCur = epoch % _t0;
                }
                else
                {
                    long n = (long)Math.Log((double)epoch / _t0 * (_tMult - 1) + 1, _tMult);
                    _tCur = epoch - _t0 * (Math.Pow(_tMult, n) - 1) / (_tMult - 1);
                    _tI = _t0 * (long)Math.Pow(_tMult, n);
                }
            }
            else
            {
                _tI = _t0;
                _tCur = epoch;
            }
            LastEpoch = epoch;
            Apply(ComputeLr());
        }

        /// <inheritdoc/>
        protected override void SaveState(Dictionary<string, object?> state)
        {
            state["T_0"] = _t0;
            state["T_i"] = _tI;
            state["T_mult"] = _tMult;
            state["eta_min"] = _etaMin;
            state["T_cur"] = _tCur;
        }

        /// <inheritdoc/>
        protected override void LoadState(IReadOnlyDictionary<string, object?> state, string what)
        {
            long t0 = StateJson.AsLong(StateJson.Required(state, "T_0", what), $"{what}: T_0");
            long tI = StateJson.AsLong(StateJson.Required(state, "T_i", what), $"{what}: T_i");
            long tMult = StateJson.AsLong(StateJson.Required(state, "T_mult", what), $"{what}: T_mult");
            if (t0 <= 0 || tI <= 0 || tMult < 1)
            {
                throw new ArgumentException($"{what}: invalid periods T_0={t0}, T_i={tI}, T_mult={tMult}.");
            }
            _etaMin = StateJson.AsDouble(StateJson.Required(state, "eta_min", what), $"{what}: eta_min");
            _tCur = StateJson.AsDouble(StateJson.Required(state, "T_cur", what), $"{what}: T_cur");
            (_t0, _tI, _tMult) = (t0, tI, tMult);
        }
    }
}
