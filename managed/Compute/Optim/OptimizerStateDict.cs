using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// An optimizer's state (PyTorch's <c>optimizer.state_dict()</c>): per-parameter state
    /// tensors and scalars keyed by the parameter's index over all groups in order, and each
    /// group's hyper-parameters with the indices of its parameters under "params".
    /// For a checkpoint, <see cref="ToTensors"/> gives the tensors under flat keys
    /// ("state.0.exp_avg") and <see cref="ToJson"/> everything else; <see cref="FromTensorsAndJson"/>
    /// reads the two back, validating both.
    /// </summary>
    public sealed class OptimizerStateDict
    {
        /// <summary>Builds a state dict from its parts (the optimizer does this; see <see cref="Optimizer.StateDict"/>).</summary>
        public OptimizerStateDict(IReadOnlyList<IReadOnlyDictionary<string, object>> paramGroups,
            IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> state,
            IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>> scalarState)
        {
            ParamGroups = paramGroups ?? throw new ArgumentNullException(nameof(paramGroups));
            State = state ?? throw new ArgumentNullException(nameof(state));
            ScalarState = scalarState ?? throw new ArgumentNullException(nameof(scalarState));
        }

        /// <summary>Each group's options under PyTorch's keys, plus "params": the group's parameter indices (long[]).</summary>
        public IReadOnlyList<IReadOnlyDictionary<string, object>> ParamGroups { get; }

        /// <summary>Per-parameter state tensors ("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "square_avg", "grad_avg", "sum").</summary>
        public IReadOnlyDictionary<int, IReadOnlyDictionary<string, Tensor>> State { get; }

        /// <summary>Per-parameter scalar state ("step").</summary>
        public IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>> ScalarState { get; }

        /// <summary>The state tensors under keys "{prefix}state.{index}.{name}", ordered by index then name.</summary>
        public OrderedDictionary<string, Tensor> ToTensors(string prefix = "")
        {
            ArgumentNullException.ThrowIfNull(prefix);
            var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (index, tensors) in State.OrderBy(kv => kv.Key))
            {
                foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    result.Add($"{prefix}state.{index.ToString(CultureInfo.InvariantCulture)}.{name}", t);
                }
            }
            return result;
        }

        /// <summary>The groups and scalar state as JSON ({"param_groups": [...], "scalar_state": {"0": {"step": 3}}}).</summary>
        public string ToJson()
        {
            var scalars = new Dictionary<string, object?>();
            foreach (var (index, values) in ScalarState.OrderBy(kv => kv.Key))
            {
                scalars[index.ToString(CultureInfo.InvariantCulture)] = values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
            }
            var groups = ParamGroups.Select(g => (object?)g.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)).ToList();
            return StateJson.Serialize(new Dictionary<string, object?> { ["param_groups"] = groups, ["scalar_state"] = scalars });
        }

        /// <summary>
        /// Reads back what <see cref="ToTensors"/> and <see cref="ToJson"/> wrote. Tensor keys not
        /// starting with <paramref name="prefix"/> are ignored (a checkpoint holds other things);
        /// malformed keys or JSON throw <see cref="InvalidDataException"/>.
        /// </summary>
        public static OptimizerStateDict FromTensorsAndJson(IReadOnlyDictionary<string, Tensor> tensors, string json, string prefix = "")
        {
            ArgumentNullException.ThrowIfNull(tensors);
            ArgumentNullException.ThrowIfNull(json);
            ArgumentNullException.ThrowIfNull(prefix);
            const string what = "OptimizerStateDict";
            Dictionary<string, object?> root = StateJson.Deserialize(json);
            object? groupsValue = StateJson.Required(root, "param_groups", what);
            if (groupsValue is not object?[] rawGroups)
            {
                throw new InvalidDataException($"{what}: 'param_groups' must be an array of objects.");
            }
            var groups = new List<IReadOnlyDictionary<string, object>>();
            for (int g = 0; g < rawGroups.Length; g++)
            {
                Dictionary<string, object?> raw = StateJson.AsObject(rawGroups[g], $"{what}: param_groups[{g}]");
                var options = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var (key, value) in raw)
                {
                    string at = $"{what}: param_groups[{g}].{key}";
                    options[key] = key == "params"
                        ? StateJson.AsDoubles(value, at).Select((v, i) => StateJson.AsLong(v, $"{at}[{i}]")).ToArray()
                        : value switch
                        {
                            bool b => b,
                            double[] a => a,
                            object?[] { Length: 0 } => Array.Empty<double>(),
                            _ => StateJson.AsDouble(value, at),
                        };
                }
                if (!options.ContainsKey("params"))
                {
                    throw new InvalidDataException($"{what}: param_groups[{g}] has no 'params'.");
                }
                groups.Add(options);
            }
            var scalarState = new Dictionary<int, IReadOnlyDictionary<string, double>>();
            foreach (var (key, value) in StateJson.AsObject(StateJson.Required(root, "scalar_state", what), $"{what}: scalar_state"))
            {
                int index = ParseIndex(key, $"{what}: scalar_state key '{key}'");
                scalarState[index] = StateJson.AsObject(value, $"{what}: scalar_state.{key}")
                    .ToDictionary(kv => kv.Key, kv => StateJson.AsDouble(kv.Value, $"{what}: scalar_state.{key}.{kv.Key}"));
            }
            var state = new Dictionary<int, Dictionary<string, Tensor>>();
            string head = prefix + "state.";
            foreach (var (key, tensor) in tensors)
            {
                if (!key.StartsWith(head, StringComparison.Ordinal))
                {
                    continue;
                }
                string rest = key.Substring(head.Length);
                int dot = rest.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || dot == rest.Length - 1)
                {
                    throw new InvalidDataException($"{what}: tensor key '{key}' is not '{head}<index>.<name>'.");
                }
                int index = ParseIndex(rest.Substring(0, dot), $"{what}: tensor key '{key}'");
                if (!state.TryGetValue(index, out var entry))
                {
                    state[index] = entry = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                }
                entry[rest.Substring(dot + 1)] = tensor ?? throw new InvalidDataException($"{what}: tensor '{key}' is null.");
            }
            return new OptimizerStateDict(groups,
                state.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, Tensor>)kv.Value), scalarState);
        }

        private static int ParseIndex(string s, string what) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i
                : throw new InvalidDataException($"{what}: '{s}' is not a parameter index.");
    }
}
