using System;

namespace Compute.Data
{
    /// <summary>
    /// The generator random transforms draw from. A <see cref="DataLoader{T, TBatch}"/> sets one per
    /// batch, seeded from the epoch's base seed and the batch's index, so a batch gets the same
    /// augmentation whichever worker (or the caller's thread) builds it: numWorkers does not
    /// change the data. Outside a loader each draw seeds a generator from the default one.
    /// </summary>
    internal static class DataRandom
    {
        [ThreadStatic]
        private static Generator? t_current;

        /// <summary>The generator of the batch this thread is building, or a fresh one from the default generator.</summary>
        internal static Generator Current => t_current ?? Generator.FromDefault();

        /// <summary>Runs <paramref name="fetch"/> with the generator of batch <paramref name="batchIndex"/> of an epoch.</summary>
        internal static TResult WithBatch<TResult>(ulong baseSeed, long batchIndex, Func<TResult> fetch)
        {
            Generator? saved = t_current;
            // A distinct stream per batch: the base seed advanced by the batch index through one
            // SplitMix step (distinct inputs give distinct, well-mixed seeds).
            t_current = new Generator(new Generator(baseSeed).ManualSeed(baseSeed + (ulong)batchIndex).NextUInt64());
            try
            {
                return fetch();
            }
            finally
            {
                t_current = saved;
            }
        }
    }
}
