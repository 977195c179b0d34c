using System;
using System.Collections;
using System.Collections.Generic;

namespace Compute.Data
{
    /// <summary>
    /// Batches of a dataset, one epoch per enumeration (torch.utils.data.DataLoader): a sampler
    /// orders the indices (sequential, or shuffled when <c>shuffle</c>), a batch sampler groups
    /// them, and a collate function turns each group of samples into a batch.
    /// </summary>
    /// <remarks>
    /// <para>With <c>numWorkers</c> &gt; 0, that many threads build batches ahead (each up to
    /// <c>prefetchFactor</c> batches) while the caller trains; batch i is built by worker
    /// i % numWorkers and batches arrive in sampler order, identical to numWorkers = 0.</para>
    /// <para>Lifetime: the tensors of a batch belong to the caller. Everything else a worker
    /// creates while building it is freed at once; the batch's tensors join the caller's current
    /// <see cref="TensorScope"/> when it is taken (or stay with the garbage collector outside one).</para>
    /// <para>Randomness: each epoch draws a base seed from <c>generator</c> (or the default
    /// generator), and each batch gets its own generator from it for random transforms, so the
    /// data depend on the seed only, never on thread timing.</para>
    /// </remarks>
    public class DataLoader<T, TBatch> : IEnumerable<TBatch>
    {
        private readonly Dataset<T>? _dataset;
        private readonly IterableDataset<T>? _iterable;
        private readonly BatchSampler? _batchSampler;
        private readonly Func<IReadOnlyList<T>, TBatch> _collate;

        /// <summary>A loader over a map-style dataset.</summary>
        /// <param name="dataset">The samples.</param>
        /// <param name="collateFn">Turns a list of samples into a batch.</param>
        /// <param name="batchSize">Samples per batch.</param>
        /// <param name="shuffle">A new random order every epoch (RandomSampler with <paramref name="generator"/>).</param>
        /// <param name="sampler">A custom index order; excludes <paramref name="shuffle"/>.</param>
        /// <param name="batchSampler">Custom batches of indices; excludes batchSize, shuffle, sampler and dropLast.</param>
        /// <param name="numWorkers">Threads building batches ahead; 0 builds them on the caller's thread.</param>
        /// <param name="dropLast">Drops a last batch smaller than batchSize.</param>
        /// <param name="generator">Seeds shuffling and the per-epoch base seed; the default generator when null.</param>
        /// <param name="prefetchFactor">Batches each worker builds ahead.</param>
        public DataLoader(Dataset<T> dataset, Func<IReadOnlyList<T>, TBatch> collateFn, int batchSize = 1, bool shuffle = false,
                          Sampler? sampler = null, BatchSampler? batchSampler = null, int numWorkers = 0, bool dropLast = false,
                          Generator? generator = null, int prefetchFactor = 2)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(collateFn);
            CheckWorkers(numWorkers, prefetchFactor);
            if (batchSampler != null)
            {
                if (batchSize != 1 || shuffle || sampler != null || dropLast)
                {
                    throw new ArgumentException("DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast.",
                                                nameof(batchSampler));
                }
            }
            else
            {
                if (sampler != null && shuffle)
                {
                    throw new ArgumentException("DataLoader: sampler option is mutually exclusive with shuffle.", nameof(sampler));
                }
                sampler ??= shuffle ? new RandomSampler(dataset.Count, generator: generator) : new SequentialSampler(dataset.Count);
                batchSampler = new BatchSampler(sampler, batchSize, dropLast);
            }
            _dataset = dataset;
            _batchSampler = batchSampler;
            _collate = collateFn;
            BatchSize = batchSampler.BatchSize;
            NumWorkers = numWorkers;
            PrefetchFactor = prefetchFactor;
            Generator = generator;
        }

        /// <summary>A loader over an iterable dataset: batches in stream order (no sampler, no shuffle).</summary>
        public DataLoader(IterableDataset<T> dataset, Func<IReadOnlyList<T>, TBatch> collateFn, int batchSize = 1, int numWorkers = 0,
                          bool dropLast = false, Generator? generator = null, int prefetchFactor = 2)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(collateFn);
            CheckWorkers(numWorkers, prefetchFactor);
            if (batchSize <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                    $"DataLoader: batch_size should be a positive integer value, but got batch_size={batchSize}.");
            }
            _iterable = dataset;
            _collate = collateFn;
            BatchSize = batchSize;
            DropLast = dropLast;
            NumWorkers = numWorkers;
            PrefetchFactor = prefetchFactor;
            Generator = generator;
        }

        /// <summary>Samples per batch (the last may hold fewer).</summary>
        public int BatchSize { get; }

        /// <summary>Threads building batches ahead of the caller.</summary>
        public int NumWorkers { get; }

        /// <summary>Batches each worker builds ahead.</summary>
        public int PrefetchFactor { get; }

        /// <summary>The generator for shuffling and base seeds, or null for the default generator.</summary>
        public Generator? Generator { get; }

        private bool DropLast { get; }

        /// <summary>Number of batches per epoch (len(loader)); unknown for an iterable dataset.</summary>
        /// <exception cref="InvalidOperationException">The loader reads an iterable dataset.</exception>
        public int Count => _batchSampler?.Count
            ?? throw new InvalidOperationException("DataLoader: an iterable dataset has no length, so neither has its loader.");

        /// <summary>The batches of one epoch.</summary>
        public IEnumerator<TBatch> GetEnumerator()
        {
            // Drawn first, as PyTorch's iterator does, so the whole epoch follows the generator's state.
            ulong baseSeed = Generator?.NextUInt64() ?? Compute.Generator.FromDefault().InitialSeed;
            IEnumerable<IReadOnlyList<int>>? batches = _batchSampler;
            IEnumerable<Func<TBatch>> jobs = _iterable != null ? IterableJobs(baseSeed) : IndexJobs(batches!, baseSeed);
            return NumWorkers == 0 ? BatchPrefetcher<TBatch>.Inline(jobs) : new BatchPrefetcher<TBatch>(jobs, NumWorkers, PrefetchFactor).Run();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // One job per batch of the batch sampler; the indices are drawn on the caller's thread.
        private IEnumerable<Func<TBatch>> IndexJobs(IEnumerable<IReadOnlyList<int>> batches, ulong baseSeed)
        {
            Dataset<T> dataset = _dataset!;
            long batchIndex = 0;
            foreach (IReadOnlyList<int> indices in batches)
            {
                long b = batchIndex++;
                yield return () => DataRandom.WithBatch(baseSeed, b, () =>
                {
                    var samples = new T[indices.Count];
                    for (int i = 0; i < samples.Length; i++)
                    {
                        samples[i] = dataset[indices[i]];
                    }
                    return _collate(samples);
                });
            }
        }

        // The stream is read on the caller's thread (it has no random access); collating runs in the job.
        private IEnumerable<Func<TBatch>> IterableJobs(ulong baseSeed)
        {
            long batchIndex = 0;
            var samples = new List<T>(BatchSize);
            foreach (T sample in _iterable!)
            {
                samples.Add(sample);
                if (samples.Count == BatchSize)
                {
                    T[] full = samples.ToArray();
                    samples.Clear();
                    long b = batchIndex++;
                    yield return () => DataRandom.WithBatch(baseSeed, b, () => _collate(full));
                }
            }
            if (samples.Count > 0 && !DropLast)
            {
                T[] rest = samples.ToArray();
                long b = batchIndex;
                yield return () => DataRandom.WithBatch(baseSeed, b, () => _collate(rest));
            }
        }

        private static void CheckWorkers(int numWorkers, int prefetchFactor)
        {
            if (numWorkers < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers,
                    "DataLoader: num_workers option should be non-negative; use numWorkers=0 to disable multiprocessing.");
            }
            if (prefetchFactor <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(prefetchFactor), prefetchFactor, "DataLoader: prefetchFactor must be positive.");
            }
        }
    }

    /// <summary>
    /// The usual loader: samples are tensor tuples (<see cref="TensorDataset"/>, the image and text
    /// datasets) and batches stack each field (<see cref="Collate.Default(IReadOnlyList{Tensor[]})"/>).
    /// </summary>
    public sealed class DataLoader : DataLoader<Tensor[], Tensor[]>
    {
        /// <summary>A loader over tensor-tuple samples; see <see cref="DataLoader{T, TBatch}"/> for the options.</summary>
        /// <remarks><c>pinMemory</c> copies each batch's tensors into pinned host memory as it is built (on the
        /// worker threads when <c>numWorkers</c> &gt; 0), so that
        /// <c>batch[i].To(Device.Cuda(), nonBlocking: true)</c> runs asynchronously (pin_memory). It is ignored
        /// when no CUDA device is available, as PyTorch ignores it.</remarks>
        public DataLoader(Dataset<Tensor[]> dataset, int batchSize = 1, bool shuffle = false, Sampler? sampler = null,
                          BatchSampler? batchSampler = null, int numWorkers = 0, bool dropLast = false, Generator? generator = null,
                          int prefetchFactor = 2, Func<IReadOnlyList<Tensor[]>, Tensor[]>? collateFn = null, bool pinMemory = false)
            : base(dataset, Pinned(collateFn ?? Collate.Default, pinMemory), batchSize, shuffle, sampler, batchSampler, numWorkers,
                   dropLast, generator, prefetchFactor)
        {
            PinMemory = pinMemory && Cuda.IsAvailable;
        }

        /// <summary>A loader over an iterable dataset of tensor tuples.</summary>
        /// <remarks><c>pinMemory</c> as for the map-style loader.</remarks>
        public DataLoader(IterableDataset<Tensor[]> dataset, int batchSize = 1, int numWorkers = 0, bool dropLast = false,
                          Generator? generator = null, int prefetchFactor = 2, Func<IReadOnlyList<Tensor[]>, Tensor[]>? collateFn = null,
                          bool pinMemory = false)
            : base(dataset, Pinned(collateFn ?? Collate.Default, pinMemory), batchSize, numWorkers, dropLast, generator, prefetchFactor)
        {
            PinMemory = pinMemory && Cuda.IsAvailable;
        }

        /// <summary>Whether batches arrive in pinned host memory (pinMemory was asked for and CUDA is available).</summary>
        public bool PinMemory { get; }

        // The collate function followed by pinning (the unpinned batch is freed by the job's scope,
        // BatchPrefetcher.RunJob); the function itself when pinning is off or impossible.
        private static Func<IReadOnlyList<Tensor[]>, Tensor[]> Pinned(Func<IReadOnlyList<Tensor[]>, Tensor[]> collate, bool pinMemory)
        {
            if (!pinMemory || !Cuda.IsAvailable)
            {
                return collate;
            }
            return samples =>
            {
                Tensor[] batch = collate(samples);
                var pinned = new Tensor[batch.Length];
                for (int i = 0; i < batch.Length; i++)
                {
                    pinned[i] = batch[i].Device.Type == DeviceType.Cpu ? batch[i].PinMemory() : batch[i];
                }
                return pinned;
            };
        }
    }
}
