using System;
using System.Threading;

namespace Compute.Memory
{
    /// <summary>
    /// Keeps native memory bounded for code that never calls Dispose. The GC cannot see native
    /// bytes, so each tensor that owns fresh storage (of at least PressureFloor bytes) reports them with GC.AddMemoryPressure,
    /// and a counter of bytes owned by undisposed tensors forces a full collection plus
    /// finalizers when it passes a threshold: AddMemoryPressure alone is a hint the GC may
    /// act on too late for a loop of large temporaries.
    /// </summary>
    internal static class NativeMemoryTracker
    {
        internal const long DefaultThreshold = 256L << 20;

        // Tensors smaller than this are counted (the threshold below still sees them) but not
        // reported to the GC as memory pressure: for a few bytes the report costs more than the
        // op (about 30 ns), and its balancing makes the GC run full collections (about 15 per
        // million tiny ops, bench/overhead). Their managed objects alone keep the GC running often
        // enough to finalize them.
        internal const long PressureFloor = 16L << 10;

        private static long s_undisposedBytes;
        private static long s_minimumThreshold = DefaultThreshold;
        private static long s_threshold = DefaultThreshold;
        private static int s_collecting;

        internal static long UndisposedBytes => Volatile.Read(ref s_undisposedBytes);

        internal static long MinimumThreshold
        {
            get => Volatile.Read(ref s_minimumThreshold);
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
                Volatile.Write(ref s_minimumThreshold, value);
                Volatile.Write(ref s_threshold, value);
            }
        }

        /// <summary>Called with a tensor already rooted by the caller, never inside a native call.</summary>
        internal static void Track(long bytes)
        {
            if (bytes <= 0)
            {
                return;
            }
            if (bytes >= PressureFloor)
            {
                GC.AddMemoryPressure(bytes);
            }
            long now = Interlocked.Add(ref s_undisposedBytes, bytes);
            if (now > Volatile.Read(ref s_threshold))
            {
                Collect();
            }
        }

        internal static void Untrack(long bytes)
        {
            Interlocked.Add(ref s_undisposedBytes, -bytes);
            if (bytes >= PressureFloor)
            {
                GC.RemoveMemoryPressure(bytes);
            }
        }

        /// <summary>Runs the GC and the finalizers of unreachable tensors, then re-arms the threshold.</summary>
        internal static void Collect()
        {
            // One thread collects; the others go on (their garbage is collected all the same).
            if (Interlocked.Exchange(ref s_collecting, 1) != 0)
            {
                return;
            }
            try
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                // Live data may legitimately exceed the threshold: re-arm above what survived so
                // a program holding 2 GB of live tensors does not collect on every allocation.
                long survived = Volatile.Read(ref s_undisposedBytes);
                Volatile.Write(ref s_threshold, Math.Max(MinimumThreshold, 2 * survived));
            }
            finally
            {
                Volatile.Write(ref s_collecting, 0);
            }
        }
    }
}
