using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Compute.NN
{
    /// <summary>What <see cref="Module.LoadStateDict"/> did not match (PyTorch's _IncompatibleKeys).</summary>
    public sealed class LoadStateDictResult
    {
        internal LoadStateDictResult(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys)
        {
            MissingKeys = missingKeys;
            UnexpectedKeys = unexpectedKeys;
        }

        /// <summary>Keys the module expects that the state dict lacks (their tensors were left as they were).</summary>
        public IReadOnlyList<string> MissingKeys { get; }

        /// <summary>Keys of the state dict that the module does not have (ignored).</summary>
        public IReadOnlyList<string> UnexpectedKeys { get; }

        /// <inheritdoc/>
        public override string ToString() =>
            $"LoadStateDictResult(MissingKeys=[{string.Join(", ", MissingKeys)}], UnexpectedKeys=[{string.Join(", ", UnexpectedKeys)}])";
    }

    public abstract partial class Module
    {
        /// <summary>
        /// The module's state: every parameter and persistent buffer under its dotted name
        /// ("fc1.weight", "bn.running_mean", "bn.num_batches_tracked"), in PyTorch's order (each
        /// module's parameters, then its buffers, then its children). The tensors are detached
        /// and share storage with the module's (PyTorch's state_dict()); a shared parameter
        /// appears under each of its names.
        /// </summary>
        public OrderedDictionary<string, Tensor> StateDict(string prefix = "")
        {
            var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (key, tensor, _) in StateEntries(prefix))
            {
                state[key] = tensor.Detach();
            }
            return state;
        }

        /// <summary>
        /// Copies the tensors of <paramref name="state"/> into the module's parameters and
        /// persistent buffers (PyTorch's load_state_dict), converting devices but not dtypes.
        /// Nothing is copied when a tensor's shape or dtype differs from the module's: the
        /// exception names the key. With <paramref name="strict"/> (the default) missing or
        /// unexpected keys are an error too; otherwise they are reported in the result.
        /// </summary>
        /// <exception cref="ShapeMismatchException">A tensor's shape differs from the module's (the message names the key and both shapes).</exception>
        /// <exception cref="DTypeMismatchException">A tensor's dtype differs from the module's.</exception>
        /// <exception cref="InvalidOperationException"><paramref name="strict"/> and keys are missing or unexpected.</exception>
        public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
        {
            ArgumentNullException.ThrowIfNull(state);
            var entries = StateEntries("").ToList();
            var expected = new HashSet<string>(StringComparer.Ordinal);
            var missing = new List<string>();
            var copies = new List<(Tensor Target, Tensor Source)>();
            foreach (var (key, target, _) in entries)
            {
                expected.Add(key);
                if (!state.TryGetValue(key, out Tensor? source))
                {
                    missing.Add(key);
                    continue;
                }
                if (source is null)
                {
                    throw new ArgumentException($"LoadStateDict: the tensor for \"{key}\" is null.", nameof(state));
                }
                if (!source.ShapeCached.AsSpan().SequenceEqual(target.ShapeCached))
                {
                    throw new ShapeMismatchException(
                        $"LoadStateDict: size mismatch for \"{key}\": the state dict has shape {Tensor.FormatShape(source.ShapeCached)}, " +
                        $"the {TypeName} has {Tensor.FormatShape(target.ShapeCached)}.");
                }
                if (source.DType != target.DType)
                {
                    throw new DTypeMismatchException(
                        $"LoadStateDict: dtype mismatch for \"{key}\": the state dict has {source.DType}, the {TypeName} has {target.DType}.");
                }
                copies.Add((target, source));
            }
            var unexpected = state.Keys.Where(k => !expected.Contains(k)).ToList();
            if (strict && (missing.Count > 0 || unexpected.Count > 0))
            {
                var message = new StringBuilder($"LoadStateDict: error(s) in loading the state dict for {TypeName}:");
                if (missing.Count > 0)
                {
                    message.Append(" missing key(s): ").Append(string.Join(", ", missing.Select(k => $"\"{k}\""))).Append('.');
                }
                if (unexpected.Count > 0)
                {
                    message.Append(" unexpected key(s): ").Append(string.Join(", ", unexpected.Select(k => $"\"{k}\""))).Append('.');
                }
                throw new InvalidOperationException(message.ToString());
            }
            using (Autograd.NoGrad())
            {
                foreach (var (target, source) in copies)
                {
                    // In place: the storage, the Parameter objects and optimizers holding them stay.
                    target.CopyFrom(source);
                }
            }
            return new LoadStateDictResult(missing, unexpected);
        }

        /// <summary>Every parameter and persistent buffer with its key, shared ones under each name.</summary>
        private IEnumerable<(string Key, Tensor Tensor, bool IsParameter)> StateEntries(string prefix)
        {
            foreach (var (modulePrefix, module) in Walk(prefix, recurse: true, removeDuplicate: true))
            {
                foreach (var (name, p) in module.OwnParameters())
                {
                    yield return (Join(modulePrefix, name), p, true);
                }
                foreach (var (name, b, persistent) in module.OwnBuffers())
                {
                    if (persistent)
                    {
                        yield return (Join(modulePrefix, name), b, false);
                    }
                }
            }
        }
    }
}
