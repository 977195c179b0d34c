using System;
using System.Collections;
using System.Collections.Generic;

namespace Compute.Data
{
    /// <summary>
    /// A map-style dataset (torch.utils.data.Dataset): <see cref="Count"/> samples, read by
    /// index. Subclasses implement <see cref="Count"/> and <see cref="Get"/>; a
    /// <see cref="DataLoader{T, TBatch}"/> batches them.
    /// </summary>
    /// <typeparam name="T">The type of one sample, e.g. <c>Tensor[]</c> for (input, target).</typeparam>
    public abstract class Dataset<T> : IReadOnlyList<T>
    {
        /// <summary>Number of samples (len(dataset)).</summary>
        public abstract int Count { get; }

        /// <summary>Sample <paramref name="index"/>, 0 &lt;= index &lt; <see cref="Count"/> (dataset[index]).</summary>
        /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Count)
                {
                    throw new ArgumentOutOfRangeException(nameof(index), index,
                        $"{GetType().Name}: index {index} is out of range for a dataset of {Count} samples.");
                }
                return Get(index);
            }
        }

        /// <summary>Reads sample <paramref name="index"/>; the indexer has checked the range.</summary>
        protected abstract T Get(int index);

        /// <summary>The samples in order.</summary>
        public IEnumerator<T> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return Get(i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>The samples of <paramref name="first"/> followed by those of <paramref name="second"/> (dataset + dataset).</summary>
        public static ConcatDataset<T> operator +(Dataset<T> first, Dataset<T> second) => new(new[] { first, second });
    }

    /// <summary>
    /// An iterable-style dataset (torch.utils.data.IterableDataset): a stream of samples with no
    /// random access, for data read sequentially (files, generators). A
    /// <see cref="DataLoader{T, TBatch}"/> batches it in stream order.
    /// </summary>
    public abstract class IterableDataset<T> : IEnumerable<T>
    {
        /// <summary>The samples, in stream order.</summary>
        public abstract IEnumerator<T> GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// Samples that are slices of tensors along their first dim (torch.utils.data.TensorDataset):
    /// sample i is { tensors[0][i], tensors[1][i], ... } (views, no copy).
    /// </summary>
    public sealed class TensorDataset : Dataset<Tensor[]>
    {
        private readonly Tensor[] _tensors;

        /// <summary>Wraps tensors whose first dims have one size.</summary>
        /// <exception cref="ArgumentException">No tensor, a 0-dim tensor, or first dims that differ.</exception>
        public TensorDataset(params Tensor[] tensors)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            if (tensors.Length == 0)
            {
                throw new ArgumentException("TensorDataset: at least one tensor is needed.", nameof(tensors));
            }
            foreach (Tensor t in tensors)
            {
                ArgumentNullException.ThrowIfNull(t, nameof(tensors));
                if (t.Dim == 0)
                {
                    throw new ArgumentException("TensorDataset: a 0-dim tensor has no first dim to index.", nameof(tensors));
                }
            }
            long n = tensors[0].Size(0);
            foreach (Tensor t in tensors)
            {
                if (t.Size(0) != n)
                {
                    throw new ArgumentException(
                        "TensorDataset: Size mismatch between tensors: first dims are " +
                        string.Join(", ", Array.ConvertAll(tensors, x => x.Size(0))) + ".", nameof(tensors));
                }
            }
            _tensors = [.. tensors];
        }

        /// <summary>The wrapped tensors.</summary>
        public IReadOnlyList<Tensor> Tensors => _tensors;

        /// <inheritdoc/>
        public override int Count => checked((int)_tensors[0].Size(0));

        /// <inheritdoc/>
        protected override Tensor[] Get(int index) => Array.ConvertAll(_tensors, t => t.Select(0, index));
    }

    /// <summary>The samples of a dataset at given indices (torch.utils.data.Subset).</summary>
    public sealed class Subset<T> : Dataset<T>
    {
        private readonly int[] _indices;

        /// <summary>Sample i of the subset is <c>dataset[indices[i]]</c>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
        public Subset(Dataset<T> dataset, IReadOnlyList<int> indices)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(indices);
            _indices = new int[indices.Count];
            for (int i = 0; i < _indices.Length; i++)
            {
                int index = indices[i];
                if ((uint)index >= (uint)dataset.Count)
                {
                    throw new ArgumentOutOfRangeException(nameof(indices), index,
                        $"Subset: index {index} (position {i}) is out of range for a dataset of {dataset.Count} samples.");
                }
                _indices[i] = index;
            }
            Dataset = dataset;
        }

        /// <summary>The dataset the subset reads from.</summary>
        public Dataset<T> Dataset { get; }

        /// <summary>The indices into <see cref="Dataset"/>.</summary>
        public IReadOnlyList<int> Indices => _indices;

        /// <inheritdoc/>
        public override int Count => _indices.Length;

        /// <inheritdoc/>
        protected override T Get(int index) => Dataset[_indices[index]];
    }

    /// <summary>Datasets one after another (torch.utils.data.ConcatDataset).</summary>
    public sealed class ConcatDataset<T> : Dataset<T>
    {
        private readonly Dataset<T>[] _datasets;
        private readonly int[] _ends;   // cumulative sizes: dataset k holds [ends[k-1], ends[k])

        /// <summary>Concatenates <paramref name="datasets"/> (at least one).</summary>
        public ConcatDataset(IEnumerable<Dataset<T>> datasets)
        {
            ArgumentNullException.ThrowIfNull(datasets);
            _datasets = new List<Dataset<T>>(datasets).ToArray();
            if (_datasets.Length == 0)
            {
                throw new ArgumentException("ConcatDataset: datasets should not be an empty iterable.", nameof(datasets));
            }
            _ends = new int[_datasets.Length];
            int total = 0;
            for (int k = 0; k < _datasets.Length; k++)
            {
                ArgumentNullException.ThrowIfNull(_datasets[k], nameof(datasets));
                total = checked(total + _datasets[k].Count);
                _ends[k] = total;
            }
        }

        /// <summary>The concatenated datasets.</summary>
        public IReadOnlyList<Dataset<T>> Datasets => _datasets;

        /// <summary>Cumulative sizes (cumulative_sizes): entry k is the number of samples in datasets 0..k.</summary>
        public IReadOnlyList<int> CumulativeSizes => _ends;

        /// <inheritdoc/>
        public override int Count => _ends[^1];

        /// <inheritdoc/>
        protected override T Get(int index)
        {
            // The first dataset whose end lies beyond index (an upper bound, so empty datasets,
            // which repeat the previous end, are skipped).
            int lo = 0, hi = _ends.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (_ends[mid] > index) hi = mid; else lo = mid + 1;
            }
            int k = lo;
            int start = k == 0 ? 0 : _ends[k - 1];
            return _datasets[k][index - start];
        }
    }
}
