using System;
using System.Runtime.InteropServices;
using Compute.Memory;

namespace Compute.Native
{
    /// <summary>
    /// Owns one reference to a native cmp_tensor. Releasing it (Dispose now, or the
    /// finalizer later) drops that reference; the generated LibraryImport stubs AddRef the
    /// handle for the duration of each call, so a concurrent Dispose can never free a tensor
    /// a native call is still using.
    /// </summary>
    internal sealed class TensorHandle : SafeHandle
    {
        // Native bytes this handle reported to the GC and the undisposed-bytes counter;
        // given back when the handle is released.
        private long _trackedBytes;

        // The autograd node that made this tensor: the handle holds one reference to it, so the
        // graph's saved tensors go as soon as the last tensor that could run it is released.
        private AutogradNode? _gradFn;

        /// <summary>Used by the marshaller for out-parameters.</summary>
        public TensorHandle() : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>
        /// Takes ownership of a reference the library handed out through an array of raw
        /// handles (the results of split, chunk, unbind), which the marshaller cannot wrap.
        /// </summary>
        internal static TensorHandle FromOwnedRaw(nint raw)
        {
            var h = new TensorHandle();
            h.SetHandle(raw);
            return h;
        }

        /// <summary>The raw pointer, for identity comparisons only (never dereferenced).</summary>
        internal nint Address => handle;

        internal void TrackBytes(long bytes)
        {
            _trackedBytes = bytes;
            NativeMemoryTracker.Track(bytes);
        }

        /// <summary>Replaces the node this handle keeps alive (null lets go of it).</summary>
        internal void SetGradFn(AutogradNode? node)
        {
            node?.AddRef();
            System.Threading.Interlocked.Exchange(ref _gradFn, node)?.Release();
        }

        protected override bool ReleaseHandle()
        {
            System.Threading.Interlocked.Exchange(ref _gradFn, null)?.Release();
            // Release cannot fail for a live handle; the status is ignored so a finalizer
            // never throws.
            NativeMethods.cmp_tensor_release(handle);
            if (_trackedBytes > 0)
            {
                NativeMemoryTracker.Untrack(_trackedBytes);
                _trackedBytes = 0;
            }
            return true;
        }
    }
}
