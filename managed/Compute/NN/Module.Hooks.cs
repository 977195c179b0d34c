using System;
using System.Collections.Generic;

namespace Compute.NN
{
    /// <summary>
    /// Runs before a module's forward with the module and its inputs; returning an array
    /// replaces the inputs, returning null keeps them (PyTorch's forward pre-hook).
    /// </summary>
    public delegate object?[]? ForwardPreHook(Module module, object?[] inputs);

    /// <summary>
    /// Runs after a module's forward with the module, its inputs and its output; returning a
    /// value replaces the output, returning null keeps it (PyTorch's forward hook).
    /// </summary>
    public delegate object? ForwardHook(Module module, object?[] inputs, object? output);

    public abstract partial class Module
    {
        private List<KeyValuePair<long, ForwardPreHook>>? _forwardPreHooks;
        private List<KeyValuePair<long, ForwardHook>>? _forwardHooks;
        private static long s_nextHookId;
        private readonly object _hookLock = new();

        /// <summary>
        /// Registers <paramref name="hook"/> to run before every forward of this module (PyTorch's
        /// register_forward_pre_hook); hooks run in registration order. Remove it with the returned handle.
        /// </summary>
        public HookHandle RegisterForwardPreHook(ForwardPreHook hook)
        {
            ArgumentNullException.ThrowIfNull(hook);
            return AddHook(ref _forwardPreHooks, hook);
        }

        /// <summary>
        /// Registers <paramref name="hook"/> to run after every forward of this module (PyTorch's
        /// register_forward_hook); hooks run in registration order. Remove it with the returned handle.
        /// </summary>
        public HookHandle RegisterForwardHook(ForwardHook hook)
        {
            ArgumentNullException.ThrowIfNull(hook);
            return AddHook(ref _forwardHooks, hook);
        }

        /// <summary>Whether any forward or forward pre-hook is registered on this module.</summary>
        protected bool HasForwardHooks
        {
            get
            {
                lock (_hookLock)
                {
                    return _forwardPreHooks is { Count: > 0 } || _forwardHooks is { Count: > 0 };
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="forward"/> on <paramref name="inputs"/> between this module's
        /// forward pre-hooks and forward hooks. A module whose public Forward takes other
        /// arguments than <see cref="Module{TInput, TOutput}"/> allows calls this with its inputs
        /// boxed (and unboxes them in <paramref name="forward"/>, since a pre-hook may replace them).
        /// </summary>
        /// <exception cref="InvalidCastException">A hook returned inputs or an output of the wrong type.</exception>
        protected TOutput InvokeForward<TOutput>(object?[] inputs, Func<object?[], TOutput> forward)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            ArgumentNullException.ThrowIfNull(forward);
            KeyValuePair<long, ForwardPreHook>[] pre;
            KeyValuePair<long, ForwardHook>[] post;
            lock (_hookLock)
            {
                pre = _forwardPreHooks?.ToArray() ?? [];
                post = _forwardHooks?.ToArray() ?? [];
            }
            foreach (var hook in pre)
            {
                if (hook.Value(this, inputs) is object?[] replaced)
                {
                    if (replaced.Length != inputs.Length)
                    {
                        throw new InvalidCastException(
                            $"{TypeName}: a forward pre-hook returned {replaced.Length} inputs; the forward takes {inputs.Length}.");
                    }
                    inputs = replaced;
                }
            }
            TOutput output = forward(inputs);
            foreach (var hook in post)
            {
                object? replaced = hook.Value(this, inputs, output);
                if (replaced is not null)
                {
                    output = replaced is TOutput typed ? typed : throw new InvalidCastException(
                        $"{TypeName}: a forward hook returned a {replaced.GetType().Name}; the forward returns {typeof(TOutput).Name}.");
                }
            }
            return output;
        }

        /// <summary>Input <paramref name="index"/> of <paramref name="inputs"/> as <typeparamref name="T"/>, with a clear error when a pre-hook replaced it by another type.</summary>
        protected T InputAs<T>(object?[] inputs, int index)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            object? value = inputs[index];
            if (value is T typed)
            {
                return typed;
            }
            if (value is null && default(T) is null)
            {
                return default!;
            }
            throw new InvalidCastException(
                $"{TypeName}: input {index} is a {value?.GetType().Name ?? "null"} after the forward pre-hooks; the forward takes {typeof(T).Name}.");
        }

        private HookHandle AddHook<T>(ref List<KeyValuePair<long, T>>? list, T hook)
        {
            long id = System.Threading.Interlocked.Increment(ref s_nextHookId);
            List<KeyValuePair<long, T>> target;
            lock (_hookLock)
            {
                target = list ??= new();
                target.Add(new(id, hook));
            }
            return new HookHandle(() =>
            {
                lock (_hookLock)
                {
                    return target.RemoveAll(h => h.Key == id) > 0;
                }
            });
        }
    }
}
