using System;
using System.Collections.Generic;
using System.Threading;

namespace Compute
{
    /// <summary>
    /// Removes a hook registered with <see cref="Tensor.RegisterHook(Func{Tensor, Tensor?})"/>
    /// (PyTorch's RemovableHandle). Disposing it removes the hook too.
    /// </summary>
    public sealed class HookHandle : IDisposable
    {
        private Func<bool>? _remove;

        internal HookHandle(Func<bool> remove) => _remove = remove;

        /// <summary>Removes the hook; later calls do nothing.</summary>
        public void Remove() => Interlocked.Exchange(ref _remove, null)?.Invoke();

        /// <summary>Same as <see cref="Remove"/>.</summary>
        public void Dispose() => Remove();
    }

    internal static class Hooks
    {
        private static long s_nextId;

        internal static long NextId() => Interlocked.Increment(ref s_nextId);

        /// <summary>Each hook sees the gradient the previous one returned (null keeps it).</summary>
        internal static Tensor Run(IEnumerable<KeyValuePair<long, Func<Tensor, Tensor?>>> hooks, Tensor grad)
        {
            foreach (var hook in hooks)
            {
                Tensor? replaced = hook.Value(grad);
                if (replaced is not null)
                {
                    if (!ShapesEqual(replaced.ShapeCached, grad.ShapeCached))
                    {
                        throw new ArgumentException(
                            $"RegisterHook: a hook returned a gradient of shape {Tensor.FormatShape(replaced.ShapeCached)}, " +
                            $"but the tensor's gradient has shape {Tensor.FormatShape(grad.ShapeCached)}.");
                    }
                    grad = replaced;
                }
            }
            return grad;
        }

        internal static bool ShapesEqual(ReadOnlySpan<long> a, ReadOnlySpan<long> b) => a.SequenceEqual(b);
    }
}
