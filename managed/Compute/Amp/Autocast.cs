using System;

namespace Compute
{
    /// <summary>
    /// Automatic mixed precision for a block of code (PyTorch's <c>torch.autocast</c>): while the
    /// scope is open on this thread, the ops of PyTorch's autocast lists run in a lower-precision
    /// dtype (matrix products, convolutions, attention), in float32 (reductions, norms, losses,
    /// exp/log and the other ops that lose accuracy in 16 bits), or in the widest dtype of their
    /// inputs (ops that mix inputs, such as <c>Addcmul</c> or <c>Cat</c>), whatever dtype their
    /// float32 or 16-bit inputs have. The lists are PyTorch's, one for CUDA tensors and one for
    /// CPU tensors (they differ: on the CPU, softmax, sum and layer_norm stay in the input's dtype);
    /// the op list is in <c>AutocastOps.cs</c>.
    /// <code>
    /// using (new Autocast(DType.BFloat16))
    /// {
    ///     Tensor logits = model.Forward(x);              // Linear/Conv run in bfloat16
    ///     loss = Functional.CrossEntropy(logits, y);     // the loss in float32
    /// }
    /// loss.Backward();                                   // each op's gradient in its forward dtype
    /// </code>
    /// As in PyTorch: float64, integer and bool tensors are never cast; in-place ops are not
    /// autocast; the gradient of a cast is cast back, so parameters (float32) get float32
    /// gradients. Casts of float32 leaf tensors that require grad (model weights) are cached for
    /// the lifetime of the outermost scope, so a weight used several times in a forward pass is
    /// converted once; unlike PyTorch, the cache notices an in-place update of the weight (its
    /// version) and a change of grad mode and converts again. Backward runs without autocast,
    /// each gradient in the dtype of its forward op. Scopes nest (an inner
    /// <c>new Autocast(DeviceType.Cuda, enabled: false)</c> turns it off for a region), are per
    /// thread, and must be disposed in reverse order on the thread that made them.
    /// </summary>
    public sealed class Autocast : IDisposable
    {
        private readonly AutocastContext _context;
        private readonly DType? _previousCpu;
        private readonly DType? _previousCuda;
        private readonly bool _previousCache;
        private readonly int _threadId;
        private bool _disposed;

        /// <summary>
        /// Autocasts ops on CPU and CUDA tensors alike to <paramref name="dtype"/>
        /// (<see cref="DType.BFloat16"/> or <see cref="DType.Float16"/>).
        /// </summary>
        public Autocast(DType dtype, bool enabled = true, bool cacheEnabled = true)
            : this(null, dtype, enabled, cacheEnabled)
        {
        }

        /// <summary>
        /// Autocasts ops on tensors of <paramref name="deviceType"/> only (PyTorch's
        /// <c>torch.autocast(device_type, dtype, enabled, cache_enabled)</c>). The default dtype is
        /// PyTorch's: float16 for CUDA, bfloat16 for the CPU. With <paramref name="enabled"/> false
        /// the scope turns autocasting off for that device type until it ends.
        /// </summary>
        public Autocast(DeviceType deviceType, DType? dtype = null, bool enabled = true, bool cacheEnabled = true)
            : this((DeviceType?)deviceType, dtype, enabled, cacheEnabled)
        {
        }

        private Autocast(DeviceType? deviceType, DType? dtype, bool enabled, bool cacheEnabled)
        {
            if (dtype is DType d && d != DType.BFloat16 && d != DType.Float16)
            {
                throw new ArgumentException(
                    $"Autocast: dtype must be bfloat16 or float16 (the lower precision the listed ops run in), got {d.Name()}.",
                    nameof(dtype));
            }
            _context = AutocastContext.ForThisThread();
            _threadId = Environment.CurrentManagedThreadId;
            _previousCpu = _context.CpuDType;
            _previousCuda = _context.CudaDType;
            _previousCache = _context.CacheEnabled;
            if (deviceType is null or DeviceType.Cpu)
            {
                _context.CpuDType = enabled ? dtype ?? DType.BFloat16 : null;
            }
            if (deviceType is null or DeviceType.Cuda)
            {
                _context.CudaDType = enabled ? dtype ?? DType.Float16 : null;
            }
            _context.CacheEnabled = cacheEnabled;
            _context.Nesting++;
        }

        /// <summary>Whether ops on tensors of <paramref name="deviceType"/> are autocast on this thread now.</summary>
        public static bool IsEnabled(DeviceType deviceType) => AutocastContext.Current?.DTypeFor(deviceType) is not null;

        /// <summary>
        /// The dtype the lower-precision ops of <paramref name="deviceType"/> run in on this thread,
        /// or null when autocasting is off for it.
        /// </summary>
        public static DType? GetDType(DeviceType deviceType) => AutocastContext.Current?.DTypeFor(deviceType);

        /// <summary>Ends the scope: restores the previous settings; the outermost scope also empties the cast cache.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            if (Environment.CurrentManagedThreadId != _threadId)
            {
                throw new InvalidOperationException("Autocast: a scope must be disposed on the thread that created it.");
            }
            _disposed = true;
            _context.CpuDType = _previousCpu;
            _context.CudaDType = _previousCuda;
            _context.CacheEnabled = _previousCache;
            if (--_context.Nesting == 0)
            {
                _context.ClearCache();
            }
        }
    }
}
