using System;
using System.Collections.Generic;
using System.Threading;

namespace Compute
{
    /// <summary>
    /// One recorded op of the autograd graph (PyTorch's grad_fn / Node): it turns the gradients
    /// of the op's outputs into gradients of its inputs. <see cref="Tensor.GradFn"/> returns the
    /// node that made a tensor; <see cref="NextFunctions"/> walks the graph toward the leaves.
    /// </summary>
    public abstract class AutogradNode
    {
        private static long s_sequence;

        // Nodes are shared by the tensors they made and by the nodes downstream of them. The
        // count lets a graph free its saved tensors as soon as nothing can run it any more
        // (its outputs disposed or out of scope) instead of waiting for the garbage collector.
        private int _refs;
        private int _released;

        // Per forward output: hooks registered on the non-leaf tensor, and tensors that retain
        // their gradient. Both run just before this node, on the gradient of that output.
        private List<KeyValuePair<long, Func<Tensor, Tensor?>>>?[]? _outputHooks;
        private AutogradMeta?[]? _retainers;

        internal AutogradNode(string name, Edge[] next, TensorMeta[] inputs, TensorMeta[] outputs)
        {
            Name = name;
            Next = next;
            Inputs = inputs;
            Outputs = outputs;
            SequenceNr = Interlocked.Increment(ref s_sequence);
            foreach (Edge edge in next)
            {
                edge.Node?.AddRef();
            }
            if (GradMode.IsAnomalyDetection)
            {
                CreationTrace = Environment.StackTrace;
            }
        }

        /// <summary>The node's name, as PyTorch prints it (for example <c>MulBackward0</c>).</summary>
        public string Name { get; }

        /// <summary>
        /// Where the gradients of the forward op's inputs go, one entry per input: the node and
        /// its input number, or a null node for an input that does not require grad
        /// (PyTorch's next_functions).
        /// </summary>
        public IReadOnlyList<(AutogradNode? Node, int InputNr)> NextFunctions
        {
            get
            {
                var list = new (AutogradNode?, int)[Next.Length];
                for (int i = 0; i < Next.Length; i++)
                {
                    list[i] = (Next[i].Node, Next[i].InputNr);
                }
                return list;
            }
        }

        /// <inheritdoc/>
        public override string ToString() => $"<{Name}>";

        /// <summary>Edges to the nodes of the forward inputs (one per input).</summary>
        internal Edge[] Next { get; }

        /// <summary>Shape and dtype of each forward input: a gradient is reduced and cast to them.</summary>
        internal TensorMeta[] Inputs { get; }

        /// <summary>Shape and dtype of each forward output: a missing output gradient is zeros of it.</summary>
        internal TensorMeta[] Outputs { get; }

        /// <summary>Creation order; later nodes run first when several are ready.</summary>
        internal long SequenceNr { get; }

        /// <summary>The stack where the forward op ran, recorded in anomaly mode only.</summary>
        internal string? CreationTrace { get; }

        /// <summary>Whether the saved tensors were freed (backward without retainGraph, or no users left).</summary>
        internal bool IsReleased => Volatile.Read(ref _released) != 0;

        /// <summary>Computes the input gradients from the output gradients (nulls are zeros).</summary>
        internal abstract Tensor?[] Apply(Tensor?[] gradOutputs, bool createGraph);

        /// <summary>Frees what the node saved for backward; later Apply calls fail clearly.</summary>
        internal void ReleaseSaved()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                OnReleaseSaved();
            }
        }

        /// <summary>Frees the saved tensors of a node kind that has any.</summary>
        private protected virtual void OnReleaseSaved()
        {
        }

        internal void AddRef() => Interlocked.Increment(ref _refs);

        /// <summary>Drops one user; the last one frees the saved tensors and lets go of the inputs' nodes.</summary>
        internal void Release()
        {
            if (Interlocked.Decrement(ref _refs) != 0)
            {
                return;
            }
            ReleaseSaved();
            foreach (Edge edge in Next)
            {
                edge.Node?.Release();
            }
        }

        internal void AddOutputHook(int outputNr, long id, Func<Tensor, Tensor?> hook)
        {
            lock (this)
            {
                _outputHooks ??= new List<KeyValuePair<long, Func<Tensor, Tensor?>>>?[Outputs.Length];
                (_outputHooks[outputNr] ??= new()).Add(new(id, hook));
            }
        }

        internal bool RemoveOutputHook(int outputNr, long id)
        {
            lock (this)
            {
                return _outputHooks?[outputNr]?.RemoveAll(h => h.Key == id) > 0;
            }
        }

        internal void AddRetainer(int outputNr, AutogradMeta meta)
        {
            lock (this)
            {
                _retainers ??= new AutogradMeta?[Outputs.Length];
                _retainers[outputNr] = meta;
            }
        }

        /// <summary>Runs the tensor hooks of each output on its gradient, then stores retained gradients.</summary>
        internal void RunPreHooks(Tensor?[] grads, Func<Tensor, Tensor> store)
        {
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is not Tensor grad)
                {
                    continue;
                }
                KeyValuePair<long, Func<Tensor, Tensor?>>[]? hooks;
                lock (this)
                {
                    hooks = _outputHooks?[i]?.ToArray();
                }
                if (hooks != null)
                {
                    grads[i] = grad = Hooks.Run(hooks, grad);
                }
                if (_retainers?[i] is AutogradMeta meta)
                {
                    meta.Grad = meta.Grad is null ? store(grad) : meta.Grad + grad;
                    TensorScope.Escape(meta.Grad);
                }
            }
        }
    }

    /// <summary>Shape and dtype of a tensor seen by a node.</summary>
    internal readonly record struct TensorMeta(long[] Shape, DType DType)
    {
        internal static TensorMeta Of(Tensor t) => new(t.Shape, t.DType);
    }
}
