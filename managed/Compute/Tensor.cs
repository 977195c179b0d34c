using System;
using Compute.Memory;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// An n-dimensional array of one <see cref="DType"/> on one <see cref="Device"/>, backed by
    /// the native library (PyTorch's torch.Tensor). Views share storage with the tensor they
    /// come from.
    /// </summary>
    /// <remarks>
    /// Lifetime: <see cref="Dispose"/> frees the native memory now; a tensor nobody disposes is
    /// freed by its finalizer, and Compute runs the garbage collector itself when undisposed
    /// native memory grows (see <see cref="ComputeMemory.CollectionThreshold"/>).
    /// <see cref="TensorScope"/> disposes everything created in a block. <c>==</c> and
    /// <c>!=</c> compare references, as for any .NET class; the elementwise comparisons are
    /// <see cref="Eq(Tensor)"/> and <see cref="Ne(Tensor)"/> (and the operators &lt; &lt;= &gt; &gt;=).
    /// </remarks>
    public partial class Tensor : IDisposable
    {
        // Not readonly: a Parameter's data can be replaced in place of the object (see
        // ReplaceData), so that optimizers holding the Parameter see the moved or cast values.
        private TensorHandle _handle;
        private long[]? _shape;
        private DType? _dtype;

        /// <summary>
        /// Wraps <paramref name="handle"/>. Subclasses in this assembly (Compute.NN.Parameter)
        /// pass <paramref name="inScope"/> false so that no <see cref="TensorScope"/> disposes
        /// a tensor that lives as long as its module.
        /// </summary>
        private protected Tensor(TensorHandle handle, bool inScope = true)
        {
            _handle = handle;
            if (inScope)
            {
                TensorScope.Register(handle);
            }
        }

        /// <summary>
        /// Wraps a handle returned by the library. Native bytes are reported to the GC only when
        /// this handle is the sole user of its storage (a fresh allocation), so views and new
        /// references to an input's storage are not counted twice.
        /// </summary>
        internal static Tensor Own(TensorHandle handle)
        {
            // Installed on first use, after a native call has loaded the library: a missing or
            // mismatched library then surfaces as its own exception, not a type initializer's.
            AllocationFailureHook.EnsureInstalled();
            var tensor = new Tensor(handle);
            if (NativeMethods.TensorStorageUseCount(handle) == 1)
            {
                handle.TrackBytes(NativeMethods.TensorStorageNbytes(handle));
            }
            return tensor;
        }

        /// <summary>Wraps a handle over memory the caller owns (nothing reported to the GC).</summary>
        internal static Tensor External(TensorHandle handle) => new(handle);

        /// <summary>Wraps the result of an op that may return a new reference to its input itself.</summary>
        internal static Tensor OwnOrShare(TensorHandle result, Tensor input) =>
            result.Address == input._handle.Address ? new Tensor(result) : Own(result);

        /// <summary>The native handle; throws <see cref="ObjectDisposedException"/> after Dispose.</summary>
        internal TensorHandle Handle
        {
            get
            {
                if (_handle.IsClosed)
                {
                    throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed; it cannot be used any more.");
                }
                return _handle;
            }
        }

        /// <summary>Whether <see cref="Dispose"/> was called (or the scope that owned the tensor ended).</summary>
        public bool IsDisposed => _handle.IsClosed;

        /// <summary>Frees the native tensor now. Views of it stay valid; calling it twice is harmless.</summary>
        public void Dispose() => _handle.Dispose();

        /// <summary>
        /// Points this tensor object at <paramref name="data"/>'s native tensor (PyTorch's
        /// <c>param.data = data</c>): the object keeps its identity and its autograd leaf flags,
        /// its old data reference is released, and its gradient is dropped when it no longer fits.
        /// Only leaves can be re-pointed; the new handle is in no scope.
        /// </summary>
        private protected void ReplaceData(Tensor data)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (!IsLeaf)
            {
                throw new InvalidOperationException("ReplaceData: only a leaf tensor's data can be replaced.");
            }
            TensorHandle fresh = data.NewReference();
            TensorHandle old = System.Threading.Interlocked.Exchange(ref _handle, fresh);
            _shape = null;
            _dtype = null;
            if (_autograd is AutogradMeta meta)
            {
                // The gradient accumulator remembers the old shape, dtype and device: start a
                // fresh leaf record that keeps the user's flags and hooks.
                var renewed = new AutogradMeta { RequiresGradLeaf = meta.RequiresGradLeaf, Hooks = meta.Hooks };
                Tensor? grad = meta.Grad;
                if (grad is not null && Hooks.ShapesEqual(grad.ShapeCached, data.ShapeCached) &&
                    grad.DType == data.DType && grad.Device == data.Device)
                {
                    renewed.Grad = grad;
                }
                _autograd = renewed;
            }
            if (!ReferenceEquals(old, fresh))
            {
                old.Dispose();
            }
        }

        /// <summary>Number of dimensions (PyTorch's dim()).</summary>
        public int Dim => (int)NativeMethods.TensorNdim(Handle);

        /// <summary>Sizes of the dimensions (a copy).</summary>
        public long[] Shape => (long[])ShapeCached.Clone();

        /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
        public long Size(int dim)
        {
            long[] shape = ShapeCached;
            int d = NormalizeDim(dim, shape.Length, nameof(Size));
            return shape[d];
        }

        internal long[] ShapeCached
        {
            get
            {
                if (_shape == null)
                {
                    TensorHandle handle = Handle;
                    var shape = new long[NativeMethods.TensorNdim(handle)];
                    NativeMethods.TensorSizes(handle, shape, shape.Length);
                    _shape = shape;
                }
                return _shape;
            }
        }

        /// <summary>Strides of the dimensions in elements (a copy).</summary>
        public long[] Strides
        {
            get
            {
                TensorHandle handle = Handle;
                var strides = new long[NativeMethods.TensorNdim(handle)];
                NativeMethods.TensorStrides(handle, strides, strides.Length);
                return strides;
            }
        }

        /// <summary>Offset of the first element in the storage, in elements.</summary>
        public long StorageOffset => NativeMethods.TensorOffset(Handle);

        /// <summary>Number of elements (PyTorch's numel()).</summary>
        public long NumberOfElements => NativeMethods.TensorNumel(Handle);

        /// <summary>Size of one element in bytes.</summary>
        public int ElementSize => DType.ElementSize();

        /// <summary>Element type.</summary>
        public DType DType => _dtype ??= NativeMethods.TensorDtype(Handle);

        /// <summary>Device holding the data.</summary>
        public Device Device => NativeMethods.TensorDevice(Handle).ToDevice();

        /// <summary>Whether the elements are laid out contiguously in row-major order.</summary>
        public bool IsContiguous => NativeMethods.TensorIsContiguous(Handle) != 0;

        internal static int NormalizeDim(long dim, int ndim, string op)
        {
            long d = dim < 0 ? dim + ndim : dim;
            if (d < 0 || d >= ndim)
            {
                throw new ArgumentOutOfRangeException(nameof(dim), dim,
                    $"{op}: dim {dim} is out of range for a tensor with {ndim} dims (expected {-ndim} to {ndim - 1}).");
            }
            return (int)d;
        }

        internal static string FormatShape(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
    }
}
