using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// Reduces each group's learning rate by <c>factor</c> when a metric has stopped improving for
    /// more than <c>patience</c> epochs (torch.optim.lr_scheduler.ReduceLROnPlateau). Improvement is
    /// judged in "rel" or "abs" threshold mode for a metric to minimize ("min") or maximize ("max");
    /// after a reduction, <c>cooldown</c> epochs pass before bad epochs count again; rates never go
    /// below min_lr, and changes smaller than eps are skipped.
    /// </summary>
    public sealed class ReduceLROnPlateau
    {
        private readonly Optimizer _optimizer;
        private double[] _minLrs;
        private double _factor, _threshold, _eps, _best;
        private long _patience, _cooldown, _cooldownCounter, _numBadEpochs;
        private string _mode, _thresholdMode;
        private double[] _lastLr;

        /// <summary>Watches a metric passed to <see cref="Step(double)"/>.</summary>
        /// <param name="optimizer">The optimizer whose learning rates to reduce.</param>
        /// <param name="mode">"min": the metric should decrease; "max": increase.</param>
        /// <param name="factor">Multiplier of the learning rate on a plateau (&lt; 1).</param>
        /// <param name="patience">Epochs without improvement tolerated before reducing.</param>
        /// <param name="threshold">How much better a value must be to count as an improvement.</param>
        /// <param name="thresholdMode">"rel": relative to the best value; "abs": absolute.</param>
        /// <param name="cooldown">Epochs to wait after a reduction before counting bad epochs again.</param>
        /// <param name="minLr">Lower bound of every group's learning rate.</param>
        /// <param name="eps">Reductions smaller than this are not applied.</param>
        /// <param name="minLrs">Per-group lower bounds (overrides <paramref name="minLr"/> when given).</param>
        public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, long patience = 10, double threshold = 1e-4,
            string thresholdMode = "rel", long cooldown = 0, double minLr = 0, double eps = 1e-8, IReadOnlyList<double>? minLrs = null)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            if (!(factor < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau: factor should be < 1.0.");
            }
            _optimizer = optimizer;
            _factor = factor;
            if (minLrs != null && minLrs.Count != optimizer.ParamGroups.Count)
            {
                throw new ArgumentException($"ReduceLROnPlateau: expected {optimizer.ParamGroups.Count} min_lrs, got {minLrs.Count}.", nameof(minLrs));
            }
            _minLrs = minLrs?.ToArray() ?? Enumerable.Repeat(minLr, optimizer.ParamGroups.Count).ToArray();
            _patience = patience;
            _cooldown = cooldown;
            _eps = eps;
            _threshold = threshold;
            CheckModes(mode, thresholdMode, "ReduceLROnPlateau");
            _mode = mode;
            _thresholdMode = thresholdMode;
            _best = ModeWorse;
            _lastLr = GroupLrs();
        }

        /// <summary>The optimizer this scheduler drives.</summary>
        public Optimizer Optimizer => _optimizer;

        /// <summary>The number of the last epoch passed to <see cref="Step(double)"/> (0 before the first).</summary>
        public long LastEpoch { get; private set; }

        /// <summary>The best metric value seen so far (infinity of the wrong sign before the first step).</summary>
        public double Best => _best;

        /// <summary>Consecutive epochs without improvement (PyTorch's num_bad_epochs).</summary>
        public long NumBadEpochs => _numBadEpochs;

        /// <summary>The learning rates after the last step, one per group (before any step: the current ones).</summary>
        public IReadOnlyList<double> GetLastLr() => (double[])_lastLr.Clone();

        private double ModeWorse => _mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;

        private double[] GroupLrs() => _optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

        /// <summary>Records the epoch's <paramref name="metrics"/> value and reduces the learning rates on a plateau.</summary>
        public void Step(double metrics)
        {
            double current = metrics;
            LastEpoch += 1;
            if (IsBetter(current, _best))
            {
                _best = current;
                _numBadEpochs = 0;
            }
            else
            {
                _numBadEpochs += 1;
            }
            if (_cooldownCounter > 0)
            {
                _cooldownCounter -= 1;
                _numBadEpochs = 0;  // bad epochs in cooldown do not count
            }
            if (_numBadEpochs > _patience)
            {
                ReduceLr();
                _cooldownCounter = _cooldown;
                _numBadEpochs = 0;
            }
            _lastLr = GroupLrs();
        }

        /// <summary>Records a scalar tensor metric (its value is read with Item).</summary>
        public void Step(Tensor metrics)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            using Tensor d = metrics.Detach();
            using Tensor f = d.To(DType.Float64);
            Step(f.Item<double>());
        }

        private void ReduceLr()
        {
            for (int i = 0; i < _optimizer.ParamGroups.Count; i++)
            {
                ParamGroup g = _optimizer.ParamGroups[i];
                double oldLr = g.LearningRate;
                double newLr = Math.Max(oldLr * _factor, _minLrs[i]);
                if (oldLr - newLr > _eps)
                {
                    g.LearningRate = newLr;
                }
            }
        }

        private bool IsBetter(double a, double best) => (_mode, _thresholdMode) switch
        {
            ("min", "rel") => a < best * (1.0 - _threshold),
            ("min", _) => a < best - _threshold,
            (_, "rel") => a > best * (_threshold + 1.0),
            _ => a > best + _threshold,
        };

        private static void CheckModes(string mode, string thresholdMode, string what)
        {
            if (mode is not ("min" or "max"))
            {
                throw new ArgumentException($"{what}: mode '{mode}' is unknown (use \"min\" or \"max\").", nameof(mode));
            }
            if (thresholdMode is not ("rel" or "abs"))
            {
                throw new ArgumentException($"{what}: threshold mode '{thresholdMode}' is unknown (use \"rel\" or \"abs\").", nameof(thresholdMode));
            }
        }

        /// <summary>The scheduler's state under PyTorch's attribute names, writable with <see cref="StateJson.Serialize"/>.</summary>
        public Dictionary<string, object?> StateDict() => new(StringComparer.Ordinal)
        {
            ["factor"] = _factor,
            ["min_lrs"] = (double[])_minLrs.Clone(),
            ["patience"] = _patience,
            ["cooldown"] = _cooldown,
            ["cooldown_counter"] = _cooldownCounter,
            ["mode"] = _mode,
            ["threshold"] = _threshold,
            ["threshold_mode"] = _thresholdMode,
            ["best"] = _best,
            ["num_bad_epochs"] = _numBadEpochs,
            ["mode_worse"] = ModeWorse,
            ["eps"] = _eps,
            ["last_epoch"] = LastEpoch,
            ["_last_lr"] = (double[])_lastLr.Clone(),
        };

        /// <summary>Restores what <see cref="StateDict"/> returned (or its JSON read back); malformed values throw.</summary>
        public void LoadStateDict(IReadOnlyDictionary<string, object?> stateDict)
        {
            ArgumentNullException.ThrowIfNull(stateDict);
            const string what = "ReduceLROnPlateau.LoadStateDict";
            object? Get(string key) => StateJson.Required(stateDict, key, what);
            string mode = StateJson.AsString(Get("mode"), $"{what}: mode");
            string thresholdMode = StateJson.AsString(Get("threshold_mode"), $"{what}: threshold_mode");
            CheckModes(mode, thresholdMode, what);
            double[] minLrs = StateJson.AsDoubles(Get("min_lrs"), $"{what}: min_lrs");
            double[] lastLr = StateJson.AsDoubles(Get("_last_lr"), $"{what}: _last_lr");
            if (minLrs.Length != _optimizer.ParamGroups.Count || lastLr.Length != _optimizer.ParamGroups.Count)
            {
                throw new ArgumentException($"{what}: the state has {minLrs.Length} min_lrs and {lastLr.Length} _last_lr for {_optimizer.ParamGroups.Count} groups.");
            }
            double factor = StateJson.AsDouble(Get("factor"), $"{what}: factor");
            long patience = StateJson.AsLong(Get("patience"), $"{what}: patience");
            long cooldown = StateJson.AsLong(Get("cooldown"), $"{what}: cooldown");
            long cooldownCounter = StateJson.AsLong(Get("cooldown_counter"), $"{what}: cooldown_counter");
            double threshold = StateJson.AsDouble(Get("threshold"), $"{what}: threshold");
            double best = StateJson.AsDouble(Get("best"), $"{what}: best");
            long numBad = StateJson.AsLong(Get("num_bad_epochs"), $"{what}: num_bad_epochs");
            double eps = StateJson.AsDouble(Get("eps"), $"{what}: eps");
            long lastEpoch = StateJson.AsLong(Get("last_epoch"), $"{what}: last_epoch");
            (_mode, _thresholdMode, _minLrs, _lastLr, _factor, _patience, _cooldown) = (mode, thresholdMode, minLrs, lastLr, factor, patience, cooldown);
            (_cooldownCounter, _threshold, _best, _numBadEpochs, _eps, LastEpoch) = (cooldownCounter, threshold, best, numBad, eps, lastEpoch);
        }
    }
}
