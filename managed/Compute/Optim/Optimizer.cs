using System;
using System.Collections.Generic;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// The state an optimizer keeps for one parameter (PyTorch's <c>optimizer.state[p]</c>):
    /// state tensors such as "exp_avg" and scalars such as "step".
    /// </summary>
    public sealed class ParamState
    {
        /// <summary>State tensors by PyTorch's names; each is contiguous and shaped and typed like the parameter.</summary>
        public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

        /// <summary>Scalar state by PyTorch's names ("step").</summary>
        public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether the optimizer has not yet stored anything for this parameter.</summary>
        public bool IsEmpty => Tensors.Count == 0 && Scalars.Count == 0;
    }

    /// <summary>
    /// Base of the optimizers (torch.optim.Optimizer): parameter groups with per-group options,
    /// <see cref="ZeroGrad"/>, <see cref="Step()"/> and <see cref="StateDict"/>/<see cref="LoadStateDict"/>.
    /// A step runs under <see cref="Autograd.NoGrad"/> and updates each parameter that has a
    /// gradient in place with one fused native kernel call.
    /// </summary>
    public abstract class Optimizer
    {
        private readonly List<ParamGroup> _groups = new();
        private readonly Dictionary<Tensor, ParamState> _state = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, object> _defaults;

        /// <summary>Sets up the groups; options a group lacks come from <paramref name="defaults"/> (PyTorch's keys).</summary>
        protected Optimizer(IEnumerable<ParamGroup> paramGroups, IReadOnlyDictionary<string, object> defaults)
        {
            ArgumentNullException.ThrowIfNull(paramGroups);
            ArgumentNullException.ThrowIfNull(defaults);
            _defaults = new Dictionary<string, object>(defaults, StringComparer.Ordinal);
            List<ParamGroup> groups = paramGroups.ToList();
            if (groups.Count == 0 || groups.All(g => g.Params.Count == 0))
            {
                throw new ArgumentException($"{GetType().Name}: optimizer got an empty parameter list.", nameof(paramGroups));
            }
            foreach (ParamGroup g in groups)
            {
                AddParamGroup(g);
            }
        }

        /// <summary>The parameter groups (PyTorch's optimizer.param_groups); schedulers change their "lr".</summary>
        public IReadOnlyList<ParamGroup> ParamGroups => _groups;

        /// <summary>The options a group gets when it does not set them.</summary>
        public IReadOnlyDictionary<string, object> Defaults => _defaults;

        /// <summary>The state kept for <paramref name="param"/>, or null before its first step.</summary>
        public ParamState? GetState(Tensor param)
        {
            ArgumentNullException.ThrowIfNull(param);
            return _state.TryGetValue(param, out ParamState? s) ? s : null;
        }

        /// <summary>
        /// Adds a group (PyTorch's add_param_group): missing options take the defaults, then the
        /// options are checked. A parameter may belong to only one group and must be a floating leaf.
        /// </summary>
        public void AddParamGroup(ParamGroup paramGroup)
        {
            ArgumentNullException.ThrowIfNull(paramGroup);
            string name = GetType().Name;
            var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (ParamGroup g in _groups)
            {
                seen.UnionWith(g.Params);
            }
            var inGroup = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            foreach (Tensor p in paramGroup.Params)
            {
                if (!p.DType.IsFloatingPoint())
                {
                    throw new ArgumentException($"{name}: can only optimize floating tensors, got a {p.DType} parameter.", nameof(paramGroup));
                }
                if (!p.IsLeaf)
                {
                    throw new ArgumentException($"{name}: can't optimize a non-leaf Tensor.", nameof(paramGroup));
                }
                if (seen.Contains(p) || !inGroup.Add(p))
                {
                    throw new ArgumentException($"{name}: some parameters appear more than once (in one group or in more than one group).",
                        nameof(paramGroup));
                }
            }
            foreach (var (key, value) in _defaults)
            {
                paramGroup.SetDefault(key, value);
            }
            ValidateGroup(paramGroup);
            _groups.Add(paramGroup);
            OnParamGroupAdded(paramGroup);
        }

        /// <summary>
        /// Clears the gradients of every parameter: sets them to null (the default, as PyTorch 2), or
        /// with <paramref name="setToNone"/> false fills them with zeros.
        /// </summary>
        public void ZeroGrad(bool setToNone = true)
        {
            foreach (ParamGroup g in _groups)
            {
                foreach (Tensor p in g.Params)
                {
                    Tensor? grad = p.Grad;
                    if (grad is null)
                    {
                        continue;
                    }
                    if (setToNone)
                    {
                        p.Grad = null;
                    }
                    else
                    {
                        using (Autograd.NoGrad())
                        {
                            // A gradient made with createGraph is part of a graph: detach before zeroing, as PyTorch does.
                            if (grad.GradFn != null)
                            {
                                grad = grad.Detach();
                                p.Grad = grad;
                            }
                            grad.Fill(0);
                        }
                    }
                }
            }
        }

        /// <summary>Updates every parameter that has a gradient (parameters without one are skipped).</summary>
        public void Step()
        {
            using (Autograd.NoGrad())
            {
                foreach (ParamGroup g in _groups)
                {
                    foreach (Tensor p in g.Params)
                    {
                        Tensor? grad = p.Grad;
                        if (grad is null)
                        {
                            continue;
                        }
                        if (!_state.TryGetValue(p, out ParamState? state))
                        {
                            _state[p] = state = new ParamState();
                        }
                        Update(p, grad, state, g);
                    }
                }
            }
        }

        /// <summary>
        /// Evaluates <paramref name="closure"/> with gradients enabled (it should zero the
        /// gradients, compute the loss and call Backward), then steps; returns the closure's loss.
        /// </summary>
        public Tensor Step(Func<Tensor> closure)
        {
            ArgumentNullException.ThrowIfNull(closure);
            Tensor loss;
            using (Autograd.EnableGrad())
            {
                loss = closure();
            }
            Step();
            return loss;
        }

        /// <summary>
        /// The optimizer's state (PyTorch's state_dict()): per-parameter state keyed by the
        /// parameter's index over all groups in order, and the groups' options. State tensors are
        /// the optimizer's own (not copies), as in PyTorch.
        /// </summary>
        public OptimizerStateDict StateDict()
        {
            var groups = new List<IReadOnlyDictionary<string, object>>();
            var tensors = new Dictionary<int, IReadOnlyDictionary<string, Tensor>>();
            var scalars = new Dictionary<int, IReadOnlyDictionary<string, double>>();
            int index = 0;
            foreach (ParamGroup g in _groups)
            {
                var options = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var (key, value) in g.Options)
                {
                    options[key] = value is double[] a ? a.Clone() : value;
                }
                var ids = new long[g.Params.Count];
                for (int i = 0; i < ids.Length; i++, index++)
                {
                    ids[i] = index;
                    if (_state.TryGetValue(g.Params[i], out ParamState? s) && !s.IsEmpty)
                    {
                        if (s.Tensors.Count > 0) tensors[index] = new Dictionary<string, Tensor>(s.Tensors, StringComparer.Ordinal);
                        if (s.Scalars.Count > 0) scalars[index] = new Dictionary<string, double>(s.Scalars, StringComparer.Ordinal);
                    }
                }
                options["params"] = ids;
                groups.Add(options);
            }
            return new OptimizerStateDict(groups, tensors, scalars);
        }

        /// <summary>
        /// Restores state saved by <see cref="StateDict"/> (PyTorch's load_state_dict): the group
        /// count and sizes must match; options are replaced by the saved ones; state tensors are
        /// copied and converted to their parameter's dtype, and must have its shape.
        /// </summary>
        public void LoadStateDict(OptimizerStateDict stateDict)
        {
            ArgumentNullException.ThrowIfNull(stateDict);
            string name = GetType().Name;
            if (stateDict.ParamGroups.Count != _groups.Count)
            {
                throw new ArgumentException(
                    $"{name}.LoadStateDict: loaded state dict has {stateDict.ParamGroups.Count} parameter groups, the optimizer has {_groups.Count}.");
            }
            var byIndex = new Dictionary<long, Tensor>();
            for (int g = 0; g < _groups.Count; g++)
            {
                long[] ids = stateDict.ParamGroups[g].TryGetValue("params", out object? v) && v is long[] l ? l
                    : throw new ArgumentException($"{name}.LoadStateDict: parameter group {g} has no 'params' index list.");
                if (ids.Length != _groups[g].Params.Count)
                {
                    throw new ArgumentException($"{name}.LoadStateDict: loaded parameter group {g} has {ids.Length} parameters, " +
                        $"the optimizer's has {_groups[g].Params.Count}.");
                }
                for (int i = 0; i < ids.Length; i++)
                {
                    if (!byIndex.TryAdd(ids[i], _groups[g].Params[i]))
                    {
                        throw new ArgumentException($"{name}.LoadStateDict: parameter index {ids[i]} appears more than once.");
                    }
                }
            }
            var newState = new Dictionary<Tensor, ParamState>(ReferenceEqualityComparer.Instance);
            ParamState StateFor(int index, string what)
            {
                if (!byIndex.TryGetValue(index, out Tensor? p))
                {
                    throw new ArgumentException($"{name}.LoadStateDict: {what} refers to parameter {index}, which no group lists.");
                }
                if (!newState.TryGetValue(p, out ParamState? s))
                {
                    newState[p] = s = new ParamState();
                }
                return s;
            }
            // Validate and convert everything before changing the optimizer, so a bad dict leaves it as it was.
            foreach (var (index, tensors) in stateDict.State)
            {
                ParamState s = StateFor(index, "state");
                Tensor p = byIndex[index];
                foreach (var (key, t) in tensors)
                {
                    if (!t.Shape.SequenceEqual(p.Shape))
                    {
                        throw new ArgumentException($"{name}.LoadStateDict: state.{index}.{key} has shape [{string.Join(", ", t.Shape)}] " +
                            $"but parameter {index} has [{string.Join(", ", p.Shape)}].");
                    }
                    using (Autograd.NoGrad())
                    {
                        // To returns the tensor itself when the dtype already matches: never dispose it here.
                        s.Tensors[key] = StateTensor(t.To(p.DType).Contiguous().Clone());
                    }
                }
            }
            foreach (var (index, scalars) in stateDict.ScalarState)
            {
                ParamState s = StateFor(index, "scalar state");
                foreach (var (key, value) in scalars)
                {
                    s.Scalars[key] = value;
                }
            }
            var newOptions = new List<Dictionary<string, object>>();
            for (int g = 0; g < _groups.Count; g++)
            {
                newOptions.Add(stateDict.ParamGroups[g].Where(kv => kv.Key != "params").ToDictionary(kv => kv.Key, kv => kv.Value));
            }
            // Options are checked on a scratch group first for the same reason.
            for (int g = 0; g < _groups.Count; g++)
            {
                ValidateGroup(new ParamGroup(_groups[g].Params, newOptions[g]));
            }
            for (int g = 0; g < _groups.Count; g++)
            {
                foreach (var (key, value) in newOptions[g])
                {
                    _groups[g][key] = value;
                }
            }
            _state.Clear();
            foreach (var (p, s) in newState)
            {
                _state[p] = s;
            }
        }

        /// <summary>Checks a group's options (all defaults filled in) as PyTorch's constructor checks them; throws <see cref="ArgumentException"/>.</summary>
        protected abstract void ValidateGroup(ParamGroup group);

        /// <summary>Called once a group is added (Adagrad creates its state here, as PyTorch does in its constructor).</summary>
        protected virtual void OnParamGroupAdded(ParamGroup group)
        {
        }

        /// <summary>The state of a parameter, created empty when missing.</summary>
        protected ParamState StateOf(Tensor param)
        {
            if (!_state.TryGetValue(param, out ParamState? s))
            {
                _state[param] = s = new ParamState();
            }
            return s;
        }

        /// <summary>Updates one parameter in place from its gradient (called under NoGrad, only when the gradient exists).</summary>
        protected abstract void Update(Tensor param, Tensor grad, ParamState state, ParamGroup group);

        /// <summary>Throws unless the group option <paramref name="key"/> is finite and at least zero (PyTorch's "Invalid ... value").</summary>
        protected void CheckNonNegative(ParamGroup group, string key)
        {
            double value = group.GetDouble(key);
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(key, value, $"{GetType().Name}: invalid {key} value: {value}");
            }
        }

        /// <summary>
        /// A zero state tensor shaped, typed and laid out (contiguous) like <paramref name="param"/>.
        /// It lives as long as the optimizer, so it belongs to no <see cref="TensorScope"/>: the
        /// first Step usually runs inside a training step's scope, whose end must not dispose it.
        /// </summary>
        protected static Tensor ZerosFor(Tensor param) => StateTensor(Tensor.Zeros(param.Shape, param.DType, param.Device));

        /// <summary>Takes a new state tensor out of every scope of this thread (see <see cref="ZerosFor"/>).</summary>
        private static Tensor StateTensor(Tensor tensor)
        {
            TensorScope.Escape(tensor);
            return tensor;
        }
    }
}
