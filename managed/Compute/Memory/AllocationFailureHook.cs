using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Compute.Native;

namespace Compute.Memory
{
    /// <summary>
    /// The native allocator calls this hook when an allocation fails: undisposed tensors that
    /// are already unreachable may hold exactly the memory needed, so the GC and finalizers
    /// run and the allocator tries once more before reporting out-of-memory.
    /// </summary>
    internal static unsafe class AllocationFailureHook
    {
        private static int s_installed;

        internal static void EnsureInstalled()
        {
            if (Volatile.Read(ref s_installed) == 0 && Interlocked.Exchange(ref s_installed, 1) == 0)
            {
                NativeMethods.SetAllocFailureHook(&OnAllocationFailure, 0);
            }
        }

        [UnmanagedCallersOnly]
        private static int OnAllocationFailure(long nbytes, nint context)
        {
            // An exception must not cross back into native code.
            try
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                return 1;
            }
            catch (Exception)
            {
                return 0;
            }
        }
    }
}
