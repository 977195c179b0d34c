using System;
using System.Runtime.CompilerServices;

namespace Compute
{
    /// <summary>
    /// The autocast settings of one thread (PyTorch keeps them in thread-local state too), the
    /// cache of weight casts, and the depth of op bodies being run with autocasting suspended.
    /// </summary>
    internal sealed class AutocastContext
    {
        [ThreadStatic]
        private static AutocastContext? t_current;

        // A cached cast is reused only while its source is the same storage at the same version
        // and grad mode is what it was: an optimizer step between two uses (an in-place update)
        // or a NoGrad region that produced a cast without a graph gets a fresh cast.
        private sealed record CachedCast(Tensor Cast, object SourceHandle, ulong Version, bool GradEnabled);

        private ConditionalWeakTable<Tensor, CachedCast>? _cache;

        internal DType? CpuDType;
        internal DType? CudaDType;
        internal bool CacheEnabled = true;
        internal int Nesting;

        /// <summary>Listed ops running now; inside them the ops they call are not autocast again.</summary>
        internal int Suspended;

        internal static AutocastContext? Current => t_current;

        internal static AutocastContext ForThisThread() => t_current ??= new AutocastContext();

        /// <summary>Whether ops would be autocast now (some device type enabled and not suspended).</summary>
        internal bool Active => Suspended == 0 && (CpuDType is not null || CudaDType is not null);

        internal DType? DTypeFor(DeviceType deviceType) => deviceType switch
        {
            DeviceType.Cpu => CpuDType,
            DeviceType.Cuda => CudaDType,
            _ => null,
        };

        /// <summary>
        /// <paramref name="t"/> in <paramref name="dtype"/>; float32 leaf tensors that require
        /// grad (weights) are converted once per outermost scope (PyTorch's cached_cast).
        /// </summary>
        internal Tensor CastCached(Tensor t, DType dtype)
        {
            if (!CacheEnabled || t.DType != DType.Float32 || !t.RequiresGrad || !t.IsLeaf)
            {
                return t.To(dtype);
            }
            _cache ??= new ConditionalWeakTable<Tensor, CachedCast>();
            bool grad = GradMode.IsEnabled;
            if (_cache.TryGetValue(t, out CachedCast? hit) && !hit.Cast.IsDisposed && hit.Cast.DType == dtype &&
                ReferenceEquals(hit.SourceHandle, t.Handle) && hit.Version == t.Version && hit.GradEnabled == grad)
            {
                return hit.Cast;
            }
            Tensor cast = t.To(dtype);
            _cache.AddOrUpdate(t, new CachedCast(cast, t.Handle, t.Version, grad));
            return cast;
        }

        internal void ClearCache() => _cache?.Clear();
    }
}
