using System;
using System.Collections.Generic;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// Deterministic lifetime for a block of code: every tensor created on this thread while
    /// the scope is the innermost one is disposed when the scope ends, except the ones passed
    /// to <see cref="Keep(Tensor)"/>, which move to the enclosing scope (or, outside any scope, back to
    /// the garbage collector's care).
    /// <code>
    /// Tensor Step(Tensor x)
    /// {
    ///     using var scope = TensorScope.Begin();
    ///     var y = (x * 2 + 1).Exp();
    ///     return scope.Keep(y.Sum());   // everything else created here is freed now
    /// }
    /// </code>
    /// Scopes nest and are per thread: tensors created on other threads are not captured.
    /// End scopes in reverse order of <see cref="Begin"/> on the thread that began them
    /// (a <c>using</c> statement does this).
    /// </summary>
    public sealed class TensorScope : IDisposable
    {
        [ThreadStatic]
        private static TensorScope? t_current;

        // The scope refers to its tensors' handles weakly (tracking resurrection, so a handle
        // waiting for its finalizer can still be released here): an unreachable tensor inside
        // a long loop is still reclaimed by the GC, and a reachable one is released at the end.
        private readonly List<WeakReference<TensorHandle>> _handles = new();
        private readonly HashSet<TensorHandle> _kept = new(ReferenceEqualityComparer.Instance);
        private readonly TensorScope? _parent;
        private readonly int _threadId;
        private int _pruneAt = 1024;
        private bool _disposed;

        private TensorScope(TensorScope? parent)
        {
            _parent = parent;
            _threadId = Environment.CurrentManagedThreadId;
        }

        /// <summary>Starts a scope nested in the current one, if any, on this thread.</summary>
        public static TensorScope Begin()
        {
            var scope = new TensorScope(t_current);
            t_current = scope;
            return scope;
        }

        /// <summary>The innermost scope of this thread, or null.</summary>
        public static TensorScope? Current => t_current;

        /// <summary>
        /// Keeps <paramref name="tensor"/> alive past the end of this scope; it moves to the
        /// enclosing scope, if any. Returns the tensor, so <c>return scope.Keep(t);</c> reads well.
        /// </summary>
        public Tensor Keep(Tensor tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ObjectDisposedException.ThrowIf(_disposed, this);
            TensorHandle handle = tensor.Handle;
            _kept.Add(handle);
            _parent?.Add(handle);
            return tensor;
        }

        /// <summary>Keeps every tensor given (see <see cref="Keep(Tensor)"/>).</summary>
        public void Keep(params Tensor[] tensors)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            foreach (Tensor tensor in tensors)
            {
                Keep(tensor);
            }
        }

        /// <summary>Number of tensors created in this scope that are still alive and not kept.</summary>
        public int Count
        {
            get
            {
                int count = 0;
                foreach (var weak in _handles)
                {
                    if (weak.TryGetTarget(out TensorHandle? handle) && !handle.IsClosed && !_kept.Contains(handle))
                    {
                        count++;
                    }
                }
                return count;
            }
        }

        internal static void Register(TensorHandle handle) => t_current?.Add(handle);

        /// <summary>
        /// Keeps <paramref name="tensor"/> if it was created in this scope and returns true;
        /// returns false for a tensor from elsewhere (a dataset's own tensor a collate function
        /// passed through), which must not move to the enclosing scope and be disposed there.
        /// </summary>
        internal bool KeepIfCreatedHere(Tensor tensor)
        {
            TensorHandle handle = tensor.Handle;
            foreach (var weak in _handles)
            {
                if (weak.TryGetTarget(out TensorHandle? h) && ReferenceEquals(h, handle))
                {
                    Keep(tensor);
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Takes a tensor out of every scope of this thread: no scope end disposes it (a
        /// gradient stored in a parameter's Grad outlives the scope backward ran in).
        /// </summary>
        internal static void Escape(Tensor tensor)
        {
            for (TensorScope? s = t_current; s != null; s = s._parent)
            {
                s._kept.Add(tensor.Handle);
            }
        }

        private void Add(TensorHandle handle)
        {
            _handles.Add(new WeakReference<TensorHandle>(handle, trackResurrection: true));
            if (_handles.Count >= _pruneAt)
            {
                // Drop entries whose tensors are gone so a long loop does not grow the list forever.
                _handles.RemoveAll(w => !w.TryGetTarget(out TensorHandle? h) || h.IsClosed);
                _pruneAt = Math.Max(1024, 2 * _handles.Count);
            }
        }

        /// <summary>Disposes every tensor created in the scope except the kept ones, and ends the scope.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            if (Environment.CurrentManagedThreadId != _threadId || !ReferenceEquals(t_current, this))
            {
                throw new InvalidOperationException(
                    "TensorScope.Dispose: scopes must end in reverse order of TensorScope.Begin, on the thread that began them.");
            }
            _disposed = true;
            t_current = _parent;
            foreach (var weak in _handles)
            {
                if (weak.TryGetTarget(out TensorHandle? handle) && !_kept.Contains(handle))
                {
                    handle.Dispose();
                }
            }
            _handles.Clear();
            _kept.Clear();
        }
    }
}
