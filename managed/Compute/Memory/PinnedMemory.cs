using System;
using System.Runtime.InteropServices;

namespace Compute.Memory
{
    /// <summary>
    /// Pins managed arrays wrapped by tensors without a copy. The pin is a GCHandle whose
    /// address is the native deleter's context; the library calls the deleter when the last
    /// tensor (views included) using the memory is released, on whatever thread that is.
    /// </summary>
    internal static unsafe class PinnedMemory
    {
        internal static delegate* unmanaged<nint, nint, void> Deleter => &OnNativeRelease;

        internal static (nint Data, nint Context) Pin(Array array)
        {
            var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            return (handle.AddrOfPinnedObject(), GCHandle.ToIntPtr(handle));
        }

        internal static void Unpin(nint context) => GCHandle.FromIntPtr(context).Free();

        [UnmanagedCallersOnly]
        private static void OnNativeRelease(nint data, nint context) => Unpin(context);
    }
}
