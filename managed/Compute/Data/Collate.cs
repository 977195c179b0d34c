using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Compute.Data
{
    /// <summary>
    /// Collate functions: how a list of samples becomes a batch (torch.utils.data.default_collate).
    /// The defaults stack tensors along a new first dim and turn numbers into 1-D tensors.
    /// </summary>
    public static class Collate
    {
        /// <summary>Stacks samples of one shape into a batch [batch, ...] (default_collate for tensors).</summary>
        /// <exception cref="ArgumentException">No sample, or samples whose shapes differ (naming both).</exception>
        public static Tensor Stack(IReadOnlyList<Tensor> samples)
        {
            ArgumentNullException.ThrowIfNull(samples);
            if (samples.Count == 0)
            {
                throw new ArgumentException("Collate: a batch needs at least one sample.", nameof(samples));
            }
            long[] first = samples[0].Shape;
            for (int i = 1; i < samples.Count; i++)
            {
                long[] shape = samples[i].Shape;
                if (!shape.AsSpan().SequenceEqual(first))
                {
                    throw new ArgumentException(
                        $"Collate: stack expects each tensor to be equal size, but got [{string.Join(", ", first)}] at entry 0 " +
                        $"and [{string.Join(", ", shape)}] at entry {i}.", nameof(samples));
                }
            }
            return Tensor.Stack(samples);
        }

        /// <summary>
        /// Stacks each field of tuple-like samples: sample i is { x_i, y_i, ... } and the batch is
        /// { stack(x), stack(y), ... } (default_collate for a tuple of tensors).
        /// </summary>
        public static Tensor[] Default(IReadOnlyList<Tensor[]> samples)
        {
            ArgumentNullException.ThrowIfNull(samples);
            if (samples.Count == 0)
            {
                throw new ArgumentException("Collate: a batch needs at least one sample.", nameof(samples));
            }
            int fields = samples[0].Length;
            var batch = new Tensor[fields];
            var column = new Tensor[samples.Count];
            for (int f = 0; f < fields; f++)
            {
                for (int i = 0; i < samples.Count; i++)
                {
                    if (samples[i].Length != fields)
                    {
                        throw new ArgumentException(
                            $"Collate: each element in list of batch should be of equal size: sample 0 has {fields} fields, sample {i} has {samples[i].Length}.",
                            nameof(samples));
                    }
                    column[i] = samples[i][f];
                }
                batch[f] = Stack(column);
            }
            return batch;
        }

        /// <summary>Integers become an int64 tensor [batch] (default_collate for ints).</summary>
        public static Tensor Default(IReadOnlyList<long> samples)
        {
            ArgumentNullException.ThrowIfNull(samples);
            return Tensor.From(new List<long>(samples).ToArray());
        }

        /// <summary>Floats become a float64 tensor [batch] (default_collate for Python floats).</summary>
        public static Tensor Default(IReadOnlyList<double> samples)
        {
            ArgumentNullException.ThrowIfNull(samples);
            return Tensor.From(new List<double>(samples).ToArray());
        }

        /// <summary>
        /// The tensors a batch holds: the batch itself, the elements of arrays, lists and tuples,
        /// recursively. The loader uses it to hand a batch's tensors to the consumer's scope.
        /// </summary>
        internal static void CollectTensors(object? batch, List<Tensor> into)
        {
            switch (batch)
            {
                case null:
                    return;
                case Tensor t:
                    into.Add(t);
                    return;
                case string:
                    return;
                case ITuple tuple:
                    for (int i = 0; i < tuple.Length; i++)
                    {
                        CollectTensors(tuple[i], into);
                    }
                    return;
                case System.Collections.IEnumerable items:
                    foreach (object? item in items)
                    {
                        CollectTensors(item, into);
                    }
                    return;
            }
        }
    }
}
