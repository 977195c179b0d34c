using System;

namespace Compute
{
    /// <summary>
    /// The node at a leaf that requires grad: it sums every gradient that reaches the leaf into
    /// <see cref="Tensor.Grad"/>, after the leaf's hooks (PyTorch's AccumulateGrad).
    /// </summary>
    internal sealed class AccumulateGrad : AutogradNode
    {
        private readonly AutogradMeta _leaf;

        internal AccumulateGrad(AutogradMeta leaf, TensorMeta shape)
            : base("AccumulateGrad", Array.Empty<Edge>(), Array.Empty<TensorMeta>(), new[] { shape })
        {
            _leaf = leaf;
        }

        internal AutogradMeta Leaf => _leaf;

        /// <summary>Set by the engine for one backward run: takes or copies a gradient for storage.</summary>
        internal Func<Tensor, Tensor>? Store { get; set; }

        internal override Tensor?[] Apply(Tensor?[] gradOutputs, bool createGraph)
        {
            if (gradOutputs[0] is not Tensor grad)
            {
                return Array.Empty<Tensor?>();
            }
            if (_leaf.Hooks is { Count: > 0 } hooks)
            {
                grad = Hooks.Run(hooks.ToArray(), grad);
            }
            Tensor? old = _leaf.Grad;
            if (old is null)
            {
                _leaf.Grad = createGraph ? grad : (Store ?? (g => g.Clone()))(grad);
            }
            else if (!createGraph && !GradMode.IsEnabled && !old.RequiresGrad)
            {
                // Accumulating in place, as PyTorch does outside createGraph: no new buffer per step.
                old.AddInPlace(grad);
            }
            else
            {
                _leaf.Grad = old + grad;
            }
            TensorScope.Escape(_leaf.Grad!);
            return Array.Empty<Tensor?>();
        }
    }
}
