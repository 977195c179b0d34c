using System;
using System.Collections.Generic;
using Compute.Optim;

namespace Compute.Amp
{
    /// <summary>
    /// Loss scaling for mixed-precision training (PyTorch's <c>torch.cuda.amp.GradScaler</c>, on
    /// every device). Gradients of float16 activations underflow to zero when they are small; the
    /// scaler multiplies the loss by a large factor before <c>Backward</c>, divides the
    /// gradients by it before the optimizer step, skips steps whose gradients overflowed to
    /// inf/NaN, and adapts the factor: it halves (<c>backoffFactor</c>) after an overflow and
    /// doubles (<c>growthFactor</c>) after <c>growthInterval</c> steps without one.
    /// <code>
    /// var scaler = new GradScaler();
    /// foreach (var (x, y) in loader)
    /// {
    ///     optimizer.ZeroGrad();
    ///     Tensor loss;
    ///     using (new Autocast(DType.Float16))
    ///     {
    ///         loss = Functional.CrossEntropy(model.Forward(x), y);
    ///     }
    ///     scaler.Scale(loss).Backward();
    ///     scaler.Step(optimizer);     // unscales, then steps unless a gradient is inf/NaN
    ///     scaler.Update();
    /// }
    /// </code>
    /// Call <see cref="Unscale"/> first when the unscaled gradients are needed before the step
    /// (gradient clipping). The scale is a float32 value (65536 at first), as in PyTorch; with
    /// a power-of-two scale and factors, scaling and unscaling are exact.
    /// </summary>
    public sealed class GradScaler
    {
        private enum Stage
        {
            Ready,
            Unscaled,
            Stepped,
        }

        // Per optimizer, between two Update calls: where it is in the step, and whether any of
        // its gradients was inf/NaN (a bool tensor on the gradients' device, read once at Step).
        private sealed class OptimizerState
        {
            internal Stage Stage = Stage.Ready;
            internal Tensor? FoundInf;
        }

        private readonly Dictionary<Optimizer, OptimizerState> _perOptimizer = new(ReferenceEqualityComparer.Instance);
        private float _scale;
        private int _growthTracker;
        private double _growthFactor;
        private double _backoffFactor;
        private int _growthInterval;

        /// <summary>
        /// A scaler starting at <paramref name="initScale"/>. <paramref name="growthFactor"/> must
        /// be above 1, <paramref name="backoffFactor"/> in (0, 1), <paramref name="growthInterval"/>
        /// positive. With <paramref name="enabled"/> false every method passes through (Scale
        /// returns its input, Step just steps), so one training loop serves both precisions.
        /// </summary>
        public GradScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5,
            int growthInterval = 2000, bool enabled = true)
        {
            if (!(initScale > 0) || double.IsInfinity(initScale))
            {
                throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "GradScaler: initScale must be a positive finite number.");
            }
            IsEnabled = enabled;
            _scale = (float)initScale;
            GrowthFactor = growthFactor;
            BackoffFactor = backoffFactor;
            GrowthInterval = growthInterval;
        }

        /// <summary>Whether the scaler scales at all.</summary>
        public bool IsEnabled { get; }

        /// <summary>The factor the scale is multiplied by after <see cref="GrowthInterval"/> steps without inf/NaN gradients (above 1).</summary>
        public double GrowthFactor
        {
            get => _growthFactor;
            set => _growthFactor = value > 1.0 && double.IsFinite(value) ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "GradScaler: the growth factor must be a finite number above 1.0.");
        }

        /// <summary>The factor the scale is multiplied by after a step with inf/NaN gradients (between 0 and 1).</summary>
        public double BackoffFactor
        {
            get => _backoffFactor;
            set => _backoffFactor = value > 0.0 && value < 1.0 ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "GradScaler: the backoff factor must lie in (0, 1).");
        }

        /// <summary>How many consecutive steps without inf/NaN gradients grow the scale.</summary>
        public int GrowthInterval
        {
            get => _growthInterval;
            set => _growthInterval = value > 0 ? value
                : throw new ArgumentOutOfRangeException(nameof(value), value, "GradScaler: the growth interval must be a positive integer.");
        }

        /// <summary>The current scale (PyTorch's get_scale()); 1 when the scaler is disabled.</summary>
        public double GetScale() => IsEnabled ? _scale : 1.0;

        /// <summary>
        /// <paramref name="outputs"/> multiplied by the scale (in float32, PyTorch's promotion of a
        /// float16/bfloat16 loss times its float32 scale); call Backward on the result.
        /// </summary>
        public Tensor Scale(Tensor outputs)
        {
            ArgumentNullException.ThrowIfNull(outputs);
            if (!IsEnabled)
            {
                return outputs;
            }
            // A one-element float32 tensor, as PyTorch's _scale, so the product promotes the same
            // way (a float16 loss becomes float32); the result keeps the outputs' shape.
            // (Neither is disposed here: the product's backward reads the scale.)
            Tensor scale = Tensor.Full([1], _scale, DType.Float32, outputs.Device);
            Tensor product = outputs * scale;
            return product.Dim == outputs.Dim ? product : product.Reshape(outputs.Shape);
        }

        /// <summary>Scales each of several outputs (losses of several heads).</summary>
        public IReadOnlyList<Tensor> Scale(IEnumerable<Tensor> outputs)
        {
            ArgumentNullException.ThrowIfNull(outputs);
            var scaled = new List<Tensor>();
            foreach (Tensor t in outputs)
            {
                scaled.Add(Scale(t));
            }
            return scaled;
        }

        /// <summary>
        /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale in place
        /// and notes whether any is inf/NaN (PyTorch's unscale_). Once per optimizer between two
        /// <see cref="Update"/> calls, before <see cref="Step"/>; Step calls it when you did not.
        /// float16 gradients are refused: keep float32 parameters (Autocast casts them per op).
        /// </summary>
        public void Unscale(Optimizer optimizer)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            if (!IsEnabled)
            {
                return;
            }
            OptimizerState state = StateOf(optimizer);
            if (state.Stage == Stage.Unscaled)
            {
                throw new InvalidOperationException("GradScaler.Unscale: already called on this optimizer since the last Update().");
            }
            if (state.Stage == Stage.Stepped)
            {
                throw new InvalidOperationException("GradScaler.Unscale: called after Step(); call Update() first.");
            }
            // PyTorch's inverse: the reciprocal in double, rounded to float32.
            double inverse = (float)(1.0 / _scale);
            using (Autograd.NoGrad())
            {
                foreach (ParamGroup group in optimizer.ParamGroups)
                {
                    foreach (Tensor p in group.Params)
                    {
                        if (p.Grad is not Tensor grad)
                        {
                            continue;
                        }
                        if (grad.DType == DType.Float16)
                        {
                            throw new InvalidOperationException(
                                "GradScaler.Unscale: attempting to unscale float16 gradients. Keep the parameters in float32 " +
                                "(Autocast runs the ops in float16) so the optimizer updates float32 master weights.");
                        }
                        // Checked before the division, as PyTorch's kernel does.
                        using Tensor finite = grad.IsFinite();
                        using Tensor allFinite = finite.All();
                        using Tensor bad = allFinite.LogicalNot();
                        Tensor? before = state.FoundInf;
                        state.FoundInf = before is null ? bad.Clone() : before.LogicalOr(bad);
                        before?.Dispose();
                        grad.MulInPlace(inverse);
                    }
                }
            }
            state.Stage = Stage.Unscaled;
        }

        /// <summary>
        /// Unscales the gradients if <see cref="Unscale"/> was not called, then runs
        /// <paramref name="optimizer"/>'s step unless a gradient was inf/NaN. Returns whether the
        /// step ran (PyTorch returns the step's result, or None when skipped).
        /// </summary>
        public bool Step(Optimizer optimizer)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            if (!IsEnabled)
            {
                optimizer.Step();
                return true;
            }
            OptimizerState state = StateOf(optimizer);
            if (state.Stage == Stage.Stepped)
            {
                throw new InvalidOperationException("GradScaler.Step: already called on this optimizer since the last Update().");
            }
            if (state.Stage == Stage.Ready)
            {
                Unscale(optimizer);
            }
            if (state.FoundInf is not Tensor found)
            {
                throw new InvalidOperationException(
                    "GradScaler.Step: no inf checks were recorded for this optimizer: none of its parameters has a gradient.");
            }
            bool skip = found.Item<bool>();
            if (!skip)
            {
                optimizer.Step();
            }
            state.Stage = Stage.Stepped;
            return !skip;
        }

        /// <summary>
        /// Adapts the scale for the next iteration (PyTorch's update()): times
        /// <see cref="BackoffFactor"/> if any optimizer stepped or unscaled in this iteration saw
        /// inf/NaN gradients; else times <see cref="GrowthFactor"/> once every
        /// <see cref="GrowthInterval"/> such iterations in a row (unless that overflows float32).
        /// With <paramref name="newScale"/> it sets the scale to that instead.
        /// </summary>
        public void Update(double? newScale = null)
        {
            if (!IsEnabled)
            {
                return;
            }
            if (newScale is double s)
            {
                if (!(s > 0) || double.IsInfinity(s))
                {
                    throw new ArgumentOutOfRangeException(nameof(newScale), s, "GradScaler.Update: newScale must be a positive finite number.");
                }
                _scale = (float)s;
            }
            else
            {
                bool any = false, foundInf = false;
                foreach (OptimizerState state in _perOptimizer.Values)
                {
                    if (state.FoundInf is Tensor f)
                    {
                        any = true;
                        foundInf |= f.Item<bool>();
                    }
                }
                if (!any)
                {
                    throw new InvalidOperationException(
                        "GradScaler.Update: no inf checks were recorded prior to Update(): call Step() (or Unscale()) first.");
                }
                UpdateScale(foundInf);
            }
            foreach (OptimizerState state in _perOptimizer.Values)
            {
                state.FoundInf?.Dispose();
            }
            _perOptimizer.Clear();
        }

        // PyTorch's _amp_update_scale_: products in double, stored as float32.
        private void UpdateScale(bool foundInf)
        {
            if (foundInf)
            {
                _scale = (float)(_scale * _backoffFactor);
                _growthTracker = 0;
                return;
            }
            int successful = _growthTracker + 1;
            if (successful == _growthInterval)
            {
                float grown = (float)(_scale * _growthFactor);
                if (float.IsFinite(grown))
                {
                    _scale = grown;
                }
                _growthTracker = 0;
            }
            else
            {
                _growthTracker = successful;
            }
        }

        /// <summary>
        /// The scaler's state (PyTorch's state_dict() keys: scale, growth_factor, backoff_factor,
        /// growth_interval, _growth_tracker); empty when disabled. Save it with the checkpoint.
        /// </summary>
        public Dictionary<string, double> StateDict() => !IsEnabled ? new Dictionary<string, double>() : new Dictionary<string, double>
        {
            ["scale"] = _scale,
            ["growth_factor"] = _growthFactor,
            ["backoff_factor"] = _backoffFactor,
            ["growth_interval"] = _growthInterval,
            ["_growth_tracker"] = _growthTracker,
        };

        /// <summary>Restores a state from <see cref="StateDict"/>.</summary>
        public void LoadStateDict(IReadOnlyDictionary<string, double> stateDict)
        {
            ArgumentNullException.ThrowIfNull(stateDict);
            if (!IsEnabled)
            {
                throw new InvalidOperationException("GradScaler.LoadStateDict: attempting to load a state into a disabled GradScaler.");
            }
            if (stateDict.Count == 0)
            {
                throw new ArgumentException(
                    "GradScaler.LoadStateDict: the state is empty, possibly because it was saved from a disabled GradScaler.", nameof(stateDict));
            }
            double Get(string key) => stateDict.TryGetValue(key, out double v) ? v
                : throw new ArgumentException($"GradScaler.LoadStateDict: the state has no \"{key}\" entry.", nameof(stateDict));
            double scale = Get("scale"), tracker = Get("_growth_tracker"), interval = Get("growth_interval");
            if (!(scale > 0) || double.IsInfinity(scale) || tracker < 0 || tracker != Math.Floor(tracker) || interval != Math.Floor(interval) ||
                interval > int.MaxValue || tracker > int.MaxValue)
            {
                throw new ArgumentException(
                    $"GradScaler.LoadStateDict: invalid state (scale {scale}, _growth_tracker {tracker}, growth_interval {interval}).", nameof(stateDict));
            }
            GrowthFactor = Get("growth_factor");
            BackoffFactor = Get("backoff_factor");
            GrowthInterval = (int)interval;
            _scale = (float)scale;
            _growthTracker = (int)tracker;
        }

        private OptimizerState StateOf(Optimizer optimizer)
        {
            if (!_perOptimizer.TryGetValue(optimizer, out OptimizerState? state))
            {
                _perOptimizer[optimizer] = state = new OptimizerState();
            }
            return state;
        }
    }
}
