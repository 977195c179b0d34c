using System;
using System.Collections.Generic;

namespace Compute
{
    /// <summary>
    /// What autograd knows about one tensor (PyTorch's AutogradMeta): whether a leaf requires
    /// grad, its accumulated gradient, or for a non-leaf the node that made it. Created only for
    /// tensors that take part in autograd, so plain tensors pay one null field.
    /// </summary>
    internal sealed class AutogradMeta
    {
        /// <summary>Set by the user on a leaf (RequiresGrad = true).</summary>
        internal bool RequiresGradLeaf;

        /// <summary>The gradient accumulated by backward (leaves, and non-leaves that retain it).</summary>
        internal Tensor? Grad;

        /// <summary>The node that created this tensor (null for leaves).</summary>
        internal AutogradNode? GradFn;

        /// <summary>Which output of <see cref="GradFn"/> this tensor is.</summary>
        internal int OutputNr;

        /// <summary>Whether a non-leaf keeps its gradient in <see cref="Grad"/> (RetainGrad).</summary>
        internal bool RetainsGrad;

        private AccumulateGrad? _accumulator;

        /// <summary>User hooks on the gradient of this tensor, in registration order.</summary>
        internal List<KeyValuePair<long, Func<Tensor, Tensor?>>>? Hooks;

        /// <summary>
        /// For a view made while grad mode was on: the tensor that owns the memory (the root of
        /// a chain of views; PyTorch's _base). An in-place op on the view rewrites the base's
        /// history too (<see cref="CopySlices"/>), and views whose base changed history pick
        /// up the new one the next time autograd reads them.
        /// </summary>
        internal Tensor? ViewBase;

        /// <summary>The base's GradFn when this view's own GradFn was made (a different one means the base was changed in place).</summary>
        internal AutogradNode? BaseFnSeen;

        /// <summary>A view made under NoGrad of a tensor that requires grad: PyTorch forbids changing it in place under grad mode.</summary>
        internal bool ViewCreatedInNoGrad;

        /// <summary>Set on the views returned by an op with several view outputs (split, chunk, unbind): the op's name.</summary>
        internal string? MultiOutputViewOf;

        internal bool RequiresGrad => RequiresGradLeaf || GradFn != null;

        /// <summary>The node that sums gradients into this leaf <paramref name="leaf"/>; one per leaf, made on first use.</summary>
        internal AccumulateGrad AccumulatorOf(Tensor leaf) => _accumulator ??= new AccumulateGrad(this, TensorMeta.Of(leaf));
    }
}
