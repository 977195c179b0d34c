using System;

namespace Compute
{
    /// <summary>
    /// The node kind every differentiable op records: a backward formula written with tensor
    /// ops (so it is itself differentiable when createGraph is set) plus the tensors it saved.
    /// </summary>
    internal sealed class FunctionNode : AutogradNode
    {
        private readonly Func<BackwardContext, Tensor?[]> _backward;
        private SavedTensor[] _saved = Array.Empty<SavedTensor>();

        internal FunctionNode(string name, Edge[] next, TensorMeta[] inputs, TensorMeta[] outputs,
            Func<BackwardContext, Tensor?[]> backward)
            : base(name, next, inputs, outputs)
        {
            _backward = backward;
        }

        internal void SetSaved(SavedTensor[] saved) => _saved = saved;

        internal Tensor Unpack(int index)
        {
            if (IsReleased)
            {
                throw SavedTensor.FreedError(this);
            }
            return _saved[index].Unpack(this);
        }

        internal override Tensor?[] Apply(Tensor?[] gradOutputs, bool createGraph) =>
            _backward(new BackwardContext(this, gradOutputs));

        private protected override void OnReleaseSaved()
        {
            foreach (SavedTensor saved in _saved)
            {
                saved.Release();
            }
        }
    }

    /// <summary>
    /// What a backward formula reads: the gradients of the op's outputs, the tensors it saved
    /// (by the order they were given to the recorder), and which inputs need a gradient.
    /// </summary>
    internal sealed class BackwardContext
    {
        private readonly FunctionNode _node;
        private readonly Tensor?[] _grads;

        internal BackwardContext(FunctionNode node, Tensor?[] grads)
        {
            _node = node;
            _grads = grads;
        }

        /// <summary>The gradient of output 0 (zeros when none reached it).</summary>
        internal Tensor Grad => GradAt(0);

        /// <summary>The gradient of output <paramref name="i"/> (zeros when none reached it).</summary>
        internal Tensor GradAt(int i)
        {
            if (_grads[i] is Tensor g)
            {
                return g;
            }
            TensorMeta meta = _node.Outputs[i];
            return _grads[i] = Tensor.Zeros(meta.Shape, meta.DType);
        }

        /// <summary>Whether output <paramref name="i"/> received a gradient at all.</summary>
        internal bool HasGrad(int i) => _grads[i] is not null;

        /// <summary>Saved tensor <paramref name="i"/>.</summary>
        internal Tensor Saved(int i) => _node.Unpack(i);

        /// <summary>Whether forward input <paramref name="i"/> requires a gradient (PyTorch's needs_input_grad).</summary>
        internal bool Needs(int i) => _node.Next[i].IsValid;

        /// <summary>Shape of forward input <paramref name="i"/>.</summary>
        internal long[] InputShape(int i) => _node.Inputs[i].Shape;

        /// <summary>Dtype of forward input <paramref name="i"/>.</summary>
        internal DType InputDType(int i) => _node.Inputs[i].DType;
    }
}
