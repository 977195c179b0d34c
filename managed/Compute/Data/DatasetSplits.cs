using System;
using System.Collections.Generic;

namespace Compute.Data
{
    /// <summary>Functions over datasets (torch.utils.data's random_split).</summary>
    public static class Dataset
    {
        /// <summary>
        /// Splits a dataset into non-overlapping random subsets of the given sizes
        /// (torch.utils.data.random_split with integer lengths, which must add up to the dataset's size).
        /// Without a generator one is seeded from the default generator (<see cref="Generator.FromDefault"/>).
        /// </summary>
        public static Subset<T>[] RandomSplit<T>(Dataset<T> dataset, int[] lengths, Generator? generator = null)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(lengths);
            long sum = 0;
            foreach (int length in lengths)
            {
                if (length < 0)
                {
                    throw new ArgumentException($"RandomSplit: lengths must be non-negative, got [{string.Join(", ", lengths)}].", nameof(lengths));
                }
                sum += length;
            }
            if (sum != dataset.Count)
            {
                throw new ArgumentException(
                    $"RandomSplit: Sum of input lengths ({sum}) does not equal the length of the input dataset ({dataset.Count})!", nameof(lengths));
            }
            int[] perm = (generator ?? Generator.FromDefault()).Randperm(dataset.Count);
            var subsets = new Subset<T>[lengths.Length];
            int offset = 0;
            for (int k = 0; k < lengths.Length; k++)
            {
                subsets[k] = new Subset<T>(dataset, new ArraySegment<int>(perm, offset, lengths[k]));
                offset += lengths[k];
            }
            return subsets;
        }

        /// <summary>
        /// Splits a dataset by fractions that add up to 1 (torch.utils.data.random_split with
        /// fractions): floor(n * fraction) samples each, then the remaining samples are given one
        /// at a time to the subsets in round-robin order, as PyTorch does.
        /// </summary>
        public static Subset<T>[] RandomSplit<T>(Dataset<T> dataset, double[] lengths, Generator? generator = null)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(lengths);
            return RandomSplit(dataset, SplitSizes(dataset.Count, lengths), generator);
        }

        /// <summary>The subset sizes for fractions of n samples (random_split's rule).</summary>
        internal static int[] SplitSizes(int n, double[] fractions)
        {
            double sum = 0;
            for (int i = 0; i < fractions.Length; i++)
            {
                if (!(fractions[i] >= 0 && fractions[i] <= 1))
                {
                    throw new ArgumentException($"RandomSplit: Fraction at index {i} is not between 0 and 1 (got {fractions[i]}).", nameof(fractions));
                }
                sum += fractions[i];
            }
            // math.isclose(sum, 1) with its default relative tolerance, and not above 1.
            if (!(Math.Abs(sum - 1) <= 1e-9 * Math.Max(1, Math.Abs(sum)) && sum <= 1))
            {
                throw new ArgumentException($"RandomSplit: fractions must add up to 1, got {sum}.", nameof(fractions));
            }
            var sizes = new int[fractions.Length];
            int assigned = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                sizes[i] = (int)Math.Floor(n * fractions[i]);
                assigned += sizes[i];
            }
            for (int i = 0; i < n - assigned; i++)
            {
                sizes[i % sizes.Length]++;
            }
            return sizes;
        }
    }
}
