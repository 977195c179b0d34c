using System;
using System.Threading;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// A tensor a node keeps for its backward formula (PyTorch's SavedVariable). It holds its
    /// own native reference, so the user may dispose the tensor it came from; and it remembers
    /// the tensor's place in the graph, so that a backward with createGraph differentiates
    /// through it.
    /// </summary>
    internal sealed class SavedTensor
    {
        private TensorHandle? _handle;
        private readonly bool _isOutput;
        private readonly int _outputNr;
        // For a saved input: the leaf's meta (gradients must reach the same leaf) or the node
        // that made it. A saved output refers to its own node only while unpacking, so a node
        // never keeps itself alive.
        private readonly AutogradMeta? _leaf;
        private readonly AutogradNode? _producer;

        private SavedTensor(TensorHandle handle, bool isOutput, int outputNr, AutogradMeta? leaf, AutogradNode? producer)
        {
            _handle = handle;
            _isOutput = isOutput;
            _outputNr = outputNr;
            _leaf = leaf;
            _producer = producer;
            _producer?.AddRef();
        }

        internal static SavedTensor Input(Tensor tensor)
        {
            AutogradMeta? meta = tensor.AutogradMetaOrNull;
            AutogradMeta? leaf = meta is { GradFn: null, RequiresGradLeaf: true } ? meta : null;
            return new SavedTensor(tensor.NewReference(), false, meta?.OutputNr ?? 0, leaf, meta?.GradFn);
        }

        internal static SavedTensor Output(Tensor tensor, int outputNr) =>
            new(tensor.NewReference(), true, outputNr, null, null);

        /// <summary>A new tensor over the saved one, attached to the graph where the original was.</summary>
        internal Tensor Unpack(AutogradNode owner)
        {
            TensorHandle handle = Volatile.Read(ref _handle) ?? throw FreedError(owner);
            Tensor tensor = Tensor.WrapReference(handle);
            if (_isOutput)
            {
                tensor.AttachGradFn(owner, _outputNr);
            }
            else if (_leaf != null)
            {
                tensor.ShareLeafMeta(_leaf);
            }
            else if (_producer != null)
            {
                tensor.AttachGradFn(_producer, _outputNr);
            }
            return tensor;
        }

        internal void Release()
        {
            Interlocked.Exchange(ref _handle, null)?.Dispose();
            _producer?.Release();
        }

        internal static InvalidOperationException FreedError(AutogradNode owner) => new(
            $"{owner.Name}: trying to backward through the graph a second time (or to read saved tensors after they " +
            "were freed). Saved values of the graph are freed when Backward() or Autograd.Grad() runs; pass " +
            "retainGraph: true to the first call if you need to backward through the graph again.");
    }
}
