using System;
using System.Threading;
using Compute.Native;

namespace Compute
{
    /// <summary>
    /// A tensor a node keeps for its backward formula (PyTorch's SavedVariable). It holds its
    /// own native reference, so the user may dispose the tensor it came from; and it remembers
    /// the tensor's place in the graph, so that a backward with createGraph differentiates
    /// through it. It also remembers the storage's version counter: if an in-place op changed the
    /// tensor before backward reads it, backward fails with PyTorch's error instead of using the
    /// new values.
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
        private readonly ulong _version;
        // For the error message about a saved input changed in place: the tensor itself, whose
        // node then is the one PyTorch names (the in-place op's). Dropped with the data.
        private Tensor? _original;

        private SavedTensor(TensorHandle handle, bool isOutput, int outputNr, AutogradMeta? leaf, AutogradNode? producer)
        {
            _handle = handle;
            _version = NativeMethods.TensorVersion(handle);
            _isOutput = isOutput;
            _outputNr = outputNr;
            _leaf = leaf;
            _producer = producer;
            _producer?.AddRef();
        }

        /// <summary>
        /// Saves an input of the op. With <paramref name="snapshot"/> (the op is about to
        /// overwrite it in place) the saved data is a copy taken now, keeping the input's place
        /// in the graph.
        /// </summary>
        internal static SavedTensor Input(Tensor tensor, bool snapshot = false)
        {
            AutogradMeta? meta = tensor.AutogradMetaOrNull;
            AutogradMeta? leaf = meta is { GradFn: null, RequiresGradLeaf: true } ? meta : null;
            TensorHandle handle;
            if (snapshot)
            {
                using (Autograd.NoGrad())
                using (Tensor copy = tensor.Clone())
                {
                    handle = copy.NewReference();
                }
            }
            else
            {
                handle = tensor.NewReference();
            }
            return new SavedTensor(handle, false, meta?.OutputNr ?? 0, leaf, meta?.GradFn) { _original = tensor };
        }

        internal static SavedTensor Output(Tensor tensor, int outputNr) =>
            new(tensor.NewReference(), true, outputNr, null, null);

        /// <summary>A new tensor over the saved one, attached to the graph where the original was.</summary>
        internal Tensor Unpack(AutogradNode owner)
        {
            TensorHandle handle = Volatile.Read(ref _handle) ?? throw FreedError(owner);
            ulong version = NativeMethods.TensorVersion(handle);
            if (version != _version)
            {
                throw ModifiedError(owner, handle, version);
            }
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
            _original = null;
            _producer?.Release();
        }

        // PyTorch's message, prefixed with the node whose backward needed the tensor.
        private InvalidOperationException ModifiedError(AutogradNode owner, TensorHandle handle, ulong version)
        {
            var shape = new long[NativeMethods.TensorNdim(handle)];
            NativeMethods.TensorSizes(handle, shape, shape.Length);
            // PyTorch names the node of a saved output (the owner) or the current node of a saved input.
            AutogradMeta? meta = _isOutput || _original is not { IsDisposed: false } o ? null : o.AutogradMetaOrNull;
            string? producer = _isOutput ? owner.Name : meta?.GradFn?.Name;
            string which = producer != null ? $", which is output {(_isOutput ? _outputNr : meta!.OutputNr)} of {producer}," : "";
            return new InvalidOperationException(
                $"{owner.Name}: one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{NativeMethods.TensorDtype(handle)} {Tensor.FormatShape(shape)}]{which} is at version {version}; expected version " +
                $"{_version} instead. Hint: the tensor was changed in place after {owner.Name} saved it for backward; use the " +
                "out-of-place op, or change a clone.");
        }

        internal static InvalidOperationException FreedError(AutogradNode owner) => new(
            $"{owner.Name}: trying to backward through the graph a second time (or to read saved tensors after they " +
            "were freed). Saved values of the graph are freed when Backward() or Autograd.Grad() runs; pass " +
            "retainGraph: true to the first call if you need to backward through the graph again.");
    }
}
