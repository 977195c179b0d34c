using System;
using Compute.Native;

namespace Compute
{
    /// <summary>Native memory of Compute: statistics and the knobs of its garbage-collector integration.</summary>
    public static class ComputeMemory
    {
        /// <summary>Memory statistics of a device (CPU by default), in bytes.</summary>
        public static MemoryStats Stats(Device? device = null) =>
            NativeMethods.MemoryStatsGet(NativeDevice.From(device ?? Device.Cpu));

        /// <summary>Returns the allocator's cached, unused blocks of a device to the system.</summary>
        public static void EmptyCache(Device? device = null) =>
            NativeMethods.EmptyCache(NativeDevice.From(device ?? Device.Cpu));

        /// <summary>Bytes of native storage owned by tensors that are neither disposed nor finalized yet.</summary>
        public static long UndisposedBytes => Memory.NativeMemoryTracker.UndisposedBytes;

        /// <summary>
        /// When <see cref="UndisposedBytes"/> grows past this many bytes (256 MiB by default, or
        /// twice what survived the last collection), Compute runs the garbage collector and
        /// finalizers so that tensors nobody disposed give their memory back.
        /// </summary>
        public static long CollectionThreshold
        {
            get => Memory.NativeMemoryTracker.MinimumThreshold;
            set => Memory.NativeMemoryTracker.MinimumThreshold = value;
        }

        /// <summary>Runs the garbage collector and the finalizers of unreachable tensors now.</summary>
        public static void Collect() => Memory.NativeMemoryTracker.Collect();
    }
}
