using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Compute.Optim
{
    /// <summary>
    /// A parameter group (one entry of PyTorch's <c>optimizer.param_groups</c>): parameters plus
    /// hyper-parameters under PyTorch's keys ("lr", "momentum", "betas", "weight_decay", ...).
    /// Options missing when the group is added to an optimizer take the optimizer's defaults.
    /// Values are <see cref="double"/>, <see cref="bool"/> or <c>double[]</c> ("betas"); schedulers
    /// read and write "lr" (and "initial_lr", "momentum"/"betas" for OneCycleLR) here.
    /// </summary>
    /// <example><code>
    /// var opt = new SGD([new ParamGroup(model.Base.Parameters()), new ParamGroup(model.Head.Parameters()) { ["lr"] = 1e-3 }],
    ///                   lr: 1e-2, momentum: 0.9);
    /// </code></example>
    public sealed class ParamGroup
    {
        private readonly List<Tensor> _params;
        private readonly Dictionary<string, object> _options = new(StringComparer.Ordinal);

        /// <summary>A group of <paramref name="parameters"/> with the given options (others come from the optimizer's defaults).</summary>
        public ParamGroup(IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, object>? options = null)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            _params = parameters.ToList();
            for (int i = 0; i < _params.Count; i++)
            {
                if (_params[i] is null)
                {
                    throw new ArgumentException($"ParamGroup: parameter {i} is null.", nameof(parameters));
                }
            }
            if (options != null)
            {
                foreach (var (key, value) in options)
                {
                    this[key] = value;
                }
            }
        }

        /// <summary>The group's parameters (PyTorch's group["params"]).</summary>
        public IReadOnlyList<Tensor> Params => _params;

        /// <summary>The option names this group holds.</summary>
        public IEnumerable<string> Keys => _options.Keys;

        /// <summary>An option by its PyTorch name; setting checks the value's type (double, bool or double[]).</summary>
        public object this[string key]
        {
            get => _options.TryGetValue(key, out object? v) ? v
                : throw new KeyNotFoundException($"ParamGroup: no option '{key}' (has: {string.Join(", ", _options.Keys)}).");
            set => _options[key] = Normalize(key, value);
        }

        /// <summary>Whether the group holds the option.</summary>
        public bool ContainsKey(string key) => _options.ContainsKey(key);

        /// <summary>The learning rate, group["lr"].</summary>
        public double LearningRate
        {
            get => GetDouble("lr");
            set => _options["lr"] = value;
        }

        /// <summary>A numeric option.</summary>
        public double GetDouble(string key) => this[key] is double d ? d
            : throw new InvalidCastException($"ParamGroup: option '{key}' is {Describe(this[key])}, not a number.");

        /// <summary>A boolean option.</summary>
        public bool GetBool(string key) => this[key] is bool b ? b
            : throw new InvalidCastException($"ParamGroup: option '{key}' is {Describe(this[key])}, not a bool.");

        /// <summary>A pair option such as "betas".</summary>
        public (double, double) GetPair(string key) => this[key] is double[] { Length: 2 } p ? (p[0], p[1])
            : throw new InvalidCastException($"ParamGroup: option '{key}' is {Describe(this[key])}, not a pair of numbers.");

        internal void SetDefault(string key, object value)
        {
            if (!_options.ContainsKey(key))
            {
                _options[key] = Normalize(key, value);
            }
        }

        internal IReadOnlyDictionary<string, object> Options => _options;

        // Numbers become double and pairs double[] (copied), so JSON round trips compare equal.
        private static object Normalize(string key, object value)
        {
            ArgumentNullException.ThrowIfNull(key);
            return value switch
            {
                null => throw new ArgumentNullException(nameof(value), $"ParamGroup: option '{key}' cannot be null."),
                bool b => b,
                double d => d,
                float or int or long => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                double[] a => (double[])a.Clone(),
                ValueTuple<double, double> t => new[] { t.Item1, t.Item2 },
                _ => throw new ArgumentException(
                    $"ParamGroup: option '{key}' has type {value.GetType().Name}; use a number, a bool or double[].", nameof(value)),
            };
        }

        private static string Describe(object v) => v is double[] a ? $"[{string.Join(", ", a)}]" : $"{v} ({v.GetType().Name})";
    }
}
