using System;
using System.Collections;
using System.Collections.Generic;

namespace Compute.Data
{
    /// <summary>
    /// An order of dataset indices (torch.utils.data.Sampler). Each enumeration is one epoch;
    /// random samplers draw a new order every time.
    /// </summary>
    public abstract class Sampler : IEnumerable<int>
    {
        /// <summary>Number of indices one enumeration yields (len(sampler)).</summary>
        public abstract int Count { get; }

        /// <summary>The indices of one epoch.</summary>
        public abstract IEnumerator<int> GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private protected static void RequireNonNegative(int value, string name, string op)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{op}: {name} should be a non-negative integer value, but got {name}={value}.");
            }
        }
    }

    /// <summary>0, 1, ..., count-1 in order (torch.utils.data.SequentialSampler).</summary>
    public sealed class SequentialSampler : Sampler
    {
        private readonly int _count;

        /// <summary>Indices of a dataset of <paramref name="count"/> samples.</summary>
        public SequentialSampler(int count)
        {
            RequireNonNegative(count, nameof(count), nameof(SequentialSampler));
            _count = count;
        }

        /// <inheritdoc/>
        public override int Count => _count;

        /// <inheritdoc/>
        public override IEnumerator<int> GetEnumerator()
        {
            for (int i = 0; i < _count; i++)
            {
                yield return i;
            }
        }
    }

    /// <summary>
    /// Random indices (torch.utils.data.RandomSampler): a permutation of the dataset, or with
    /// <c>replacement</c> independent uniform draws. <c>numSamples</c> beyond the dataset's size
    /// without replacement chains whole permutations. Without a generator each epoch seeds one
    /// from the default generator, so the order follows <see cref="Tensor.ManualSeed"/>.
    /// </summary>
    public sealed class RandomSampler : Sampler
    {
        private readonly int _dataCount;
        private readonly int _numSamples;
        private readonly bool _replacement;
        private readonly Generator? _generator;

        /// <summary>Samples indices of a dataset of <paramref name="dataCount"/> samples.</summary>
        public RandomSampler(int dataCount, bool replacement = false, int? numSamples = null, Generator? generator = null)
        {
            RequireNonNegative(dataCount, nameof(dataCount), nameof(RandomSampler));
            _numSamples = numSamples ?? dataCount;
            if (_numSamples <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numSamples), _numSamples,
                    $"RandomSampler: num_samples should be a positive integer value, but got num_samples={_numSamples}.");
            }
            _dataCount = dataCount;
            _replacement = replacement;
            _generator = generator;
        }

        /// <summary>Whether indices are drawn with replacement.</summary>
        public bool Replacement => _replacement;

        /// <inheritdoc/>
        public override int Count => _numSamples;

        /// <inheritdoc/>
        public override IEnumerator<int> GetEnumerator()
        {
            if (_dataCount == 0)
            {
                throw new InvalidOperationException("RandomSampler: cannot sample from an empty dataset.");
            }
            Generator g = _generator ?? Generator.FromDefault();
            if (_replacement)
            {
                for (int i = 0; i < _numSamples; i++)
                {
                    yield return (int)g.NextInt64(_dataCount);
                }
                yield break;
            }
            int left = _numSamples;
            while (left > 0)
            {
                int[] perm = g.Randperm(_dataCount);
                int take = Math.Min(left, perm.Length);
                for (int i = 0; i < take; i++)
                {
                    yield return perm[i];
                }
                left -= take;
            }
        }
    }

    /// <summary>The given indices in a random order each epoch (torch.utils.data.SubsetRandomSampler).</summary>
    public sealed class SubsetRandomSampler : Sampler
    {
        private readonly int[] _indices;
        private readonly Generator? _generator;

        /// <summary>Shuffles <paramref name="indices"/> every epoch.</summary>
        public SubsetRandomSampler(IReadOnlyList<int> indices, Generator? generator = null)
        {
            ArgumentNullException.ThrowIfNull(indices);
            _indices = new List<int>(indices).ToArray();
            _generator = generator;
        }

        /// <inheritdoc/>
        public override int Count => _indices.Length;

        /// <inheritdoc/>
        public override IEnumerator<int> GetEnumerator()
        {
            int[] perm = (_generator ?? Generator.FromDefault()).Randperm(_indices.Length);
            foreach (int p in perm)
            {
                yield return _indices[p];
            }
        }
    }

    /// <summary>
    /// Indices drawn with probabilities proportional to <c>weights</c> (torch.utils.data.WeightedRandomSampler),
    /// with replacement by default; without it, each index at most once.
    /// </summary>
    public sealed class WeightedRandomSampler : Sampler
    {
        private readonly double[] _weights;
        private readonly int _numSamples;
        private readonly bool _replacement;
        private readonly Generator? _generator;

        /// <summary>Draws <paramref name="numSamples"/> indices of <paramref name="weights"/>.</summary>
        /// <exception cref="ArgumentException">A weight is negative or not finite, all are zero, or
        /// more samples than non-zero weights are asked for without replacement.</exception>
        public WeightedRandomSampler(IReadOnlyList<double> weights, int numSamples, bool replacement = true, Generator? generator = null)
        {
            ArgumentNullException.ThrowIfNull(weights);
            if (numSamples <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numSamples), numSamples,
                    $"WeightedRandomSampler: num_samples should be a positive integer value, but got num_samples={numSamples}.");
            }
            _weights = new List<double>(weights).ToArray();
            int positive = 0;
            foreach (double w in _weights)
            {
                if (!(w >= 0) || double.IsInfinity(w))
                {
                    throw new ArgumentException($"WeightedRandomSampler: weights must be finite and non-negative, got {w}.", nameof(weights));
                }
                if (w > 0)
                {
                    positive++;
                }
            }
            if (positive == 0)
            {
                throw new ArgumentException("WeightedRandomSampler: the weights add up to zero; nothing can be drawn.", nameof(weights));
            }
            if (!replacement && numSamples > positive)
            {
                throw new ArgumentException(
                    $"WeightedRandomSampler: cannot draw {numSamples} samples without replacement from {positive} non-zero weights.", nameof(numSamples));
            }
            _numSamples = numSamples;
            _replacement = replacement;
            _generator = generator;
        }

        /// <inheritdoc/>
        public override int Count => _numSamples;

        /// <inheritdoc/>
        public override IEnumerator<int> GetEnumerator()
        {
            Generator g = _generator ?? Generator.FromDefault();
            double[] weights = (double[])_weights.Clone();
            for (int s = 0; s < _numSamples; s++)
            {
                int index = Draw(weights, g.NextDouble());
                if (!_replacement)
                {
                    weights[index] = 0;   // each index at most once
                }
                yield return index;
            }
        }

        // The index whose cumulative weight interval holds u * total (inverse CDF).
        private static int Draw(double[] weights, double u)
        {
            double total = 0;
            foreach (double w in weights)
            {
                total += w;
            }
            double target = u * total, cumulative = 0;
            int last = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                if (weights[i] <= 0)
                {
                    continue;
                }
                cumulative += weights[i];
                last = i;
                if (target < cumulative)
                {
                    return i;
                }
            }
            return last;   // rounding left target at the very top: the last non-zero weight
        }
    }

    /// <summary>
    /// Groups another sampler's indices into batches (torch.utils.data.BatchSampler); the last
    /// batch is smaller unless <c>dropLast</c>.
    /// </summary>
    public sealed class BatchSampler : IEnumerable<int[]>
    {
        private readonly IEnumerable<int> _sampler;
        private readonly int _samplerCount;

        /// <summary>Batches of <paramref name="batchSize"/> indices of <paramref name="sampler"/>.</summary>
        public BatchSampler(Sampler sampler, int batchSize, bool dropLast)
            : this(sampler, sampler?.Count ?? 0, batchSize, dropLast)
        {
        }

        /// <summary>Batches any sequence of <paramref name="count"/> indices.</summary>
        public BatchSampler(IEnumerable<int> sampler, int count, int batchSize, bool dropLast)
        {
            ArgumentNullException.ThrowIfNull(sampler);
            if (batchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                    $"BatchSampler: batch_size should be a positive integer value, but got batch_size={batchSize}.");
            }
            _sampler = sampler;
            _samplerCount = count;
            BatchSize = batchSize;
            DropLast = dropLast;
        }

        /// <summary>Indices per batch.</summary>
        public int BatchSize { get; }

        /// <summary>Whether a last, smaller batch is dropped.</summary>
        public bool DropLast { get; }

        /// <summary>Number of batches per epoch (len(batch_sampler)).</summary>
        public int Count => DropLast ? _samplerCount / BatchSize : (_samplerCount + BatchSize - 1) / BatchSize;

        /// <summary>The batches of one epoch.</summary>
        public IEnumerator<int[]> GetEnumerator()
        {
            var batch = new List<int>(BatchSize);
            foreach (int index in _sampler)
            {
                batch.Add(index);
                if (batch.Count == BatchSize)
                {
                    yield return batch.ToArray();
                    batch.Clear();
                }
            }
            if (batch.Count > 0 && !DropLast)
            {
                yield return batch.ToArray();
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
