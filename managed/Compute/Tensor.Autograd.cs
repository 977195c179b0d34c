using System;
using System.Collections.Generic;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        private AutogradMeta? _autograd;

        /// <summary>This tensor's autograd state; a view whose base was changed in place gets its new history first.</summary>
        internal AutogradMeta? AutogradMetaOrNull => _autograd is { ViewBase: not null } view ? RefreshedView(view) : _autograd;

        /// <summary>
        /// Whether autograd tracks this tensor: a leaf the user marked, or the result of an op
        /// on such tensors while grad mode is on (PyTorch's requires_grad). Only leaves can be
        /// changed, and only floating-point tensors can require grad.
        /// </summary>
        public bool RequiresGrad
        {
            get => AutogradMetaOrNull?.RequiresGrad ?? false;
            set => RequiresGradInPlace(value);
        }

        /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (PyTorch's requires_grad_()).</summary>
        public Tensor RequiresGradInPlace(bool requiresGrad = true)
        {
            if (AutogradMetaOrNull?.GradFn is AutogradNode fn)
            {
                if (!requiresGrad)
                {
                    throw new InvalidOperationException(
                        $"RequiresGrad: only leaves can stop requiring grad; this tensor was made by {fn.Name}. " +
                        "Use Detach() for a tensor outside the graph.");
                }
                return this;
            }
            if (requiresGrad && !DType.IsFloatingPoint())
            {
                throw new DTypeMismatchException(
                    $"RequiresGrad: only floating-point tensors can require gradients; this tensor is {DType}.");
            }
            if (requiresGrad || _autograd != null)
            {
                Meta().RequiresGradLeaf = requiresGrad;
            }
            return this;
        }

        /// <summary>
        /// The gradient that backward accumulated into this leaf (or into a non-leaf that called
        /// <see cref="RetainGrad"/>); null until then. Set it to null to zero it the PyTorch 2 way.
        /// </summary>
        public Tensor? Grad
        {
            get
            {
                if (_autograd is null)
                {
                    return null;
                }
                return _autograd.Grad;
            }
            set
            {
                if (value is not null)
                {
                    if (!Hooks.ShapesEqual(value.ShapeCached, ShapeCached))
                    {
                        throw new ShapeMismatchException(
                            $"Grad: the gradient's shape {FormatShape(value.ShapeCached)} differs from the tensor's {FormatShape(ShapeCached)}.");
                    }
                    if (value.DType != DType)
                    {
                        throw new DTypeMismatchException($"Grad: the gradient is {value.DType} but the tensor is {DType}.");
                    }
                }
                if (value is not null || _autograd != null)
                {
                    Meta().Grad = value;
                }
            }
        }

        /// <summary>The node that made this tensor (PyTorch's grad_fn); null for leaves and untracked tensors.</summary>
        public AutogradNode? GradFn => AutogradMetaOrNull?.GradFn;

        /// <summary>Whether this tensor is a leaf of the graph: made by the user, not by a tracked op.</summary>
        public bool IsLeaf => AutogradMetaOrNull?.GradFn is null;

        /// <summary>Whether this non-leaf keeps its gradient in <see cref="Grad"/> (see <see cref="RetainGrad"/>).</summary>
        public bool RetainsGrad => _autograd?.RetainsGrad ?? false;

        /// <summary>Asks backward to keep this non-leaf tensor's gradient in <see cref="Grad"/> (a leaf always does).</summary>
        public void RetainGrad()
        {
            AutogradMeta? meta = AutogradMetaOrNull;
            if (meta?.GradFn is not AutogradNode fn)
            {
                if (!RequiresGrad)
                {
                    throw new InvalidOperationException("RetainGrad: the tensor does not require grad.");
                }
                return;
            }
            if (!meta.RetainsGrad)
            {
                meta.RetainsGrad = true;
                fn.AddRetainer(meta.OutputNr, meta);
            }
        }

        /// <summary>
        /// A tensor sharing this one's data but outside the graph (PyTorch's detach()): it does
        /// not require grad, and in-place changes to either are seen by both.
        /// </summary>
        public Tensor Detach() => WrapReference(Handle);

        /// <summary>Takes this tensor out of the graph in place: it becomes a leaf that does not require grad.</summary>
        public Tensor DetachInPlace()
        {
            if (_autograd != null)
            {
                _handle.SetGradFn(null);
                _autograd = null;
            }
            return this;
        }

        /// <summary>
        /// Computes the gradient of this tensor with respect to the leaves of its graph and adds
        /// it to their <see cref="Grad"/> (PyTorch's backward()). A tensor with more than one
        /// element needs <paramref name="gradient"/>, the gradient of some scalar with respect to
        /// it. The graph's saved tensors are freed unless <paramref name="retainGraph"/>;
        /// <paramref name="createGraph"/> records the backward pass too, for higher-order gradients.
        /// </summary>
        public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false)
        {
            Engine.Run(new[] { this }, new[] { gradient }, retainGraph ?? createGraph, createGraph, null, "Backward");
        }

        /// <summary>
        /// Calls <paramref name="hook"/> with this tensor's gradient each time one is computed;
        /// returning a tensor replaces the gradient, returning null keeps it. Remove the hook with
        /// the returned handle.
        /// </summary>
        public HookHandle RegisterHook(Func<Tensor, Tensor?> hook)
        {
            ArgumentNullException.ThrowIfNull(hook);
            AutogradMeta meta = AutogradMetaOrNull is { RequiresGrad: true } m ? m : throw new InvalidOperationException(
                "RegisterHook: cannot register a hook on a tensor that does not require grad.");
            long id = Hooks.NextId();
            if (meta.GradFn is AutogradNode fn)
            {
                int nr = meta.OutputNr;
                fn.AddOutputHook(nr, id, hook);
                return new HookHandle(() => fn.RemoveOutputHook(nr, id));
            }
            lock (meta)
            {
                (meta.Hooks ??= new()).Add(new(id, hook));
            }
            return new HookHandle(() =>
            {
                lock (meta)
                {
                    return meta.Hooks!.RemoveAll(h => h.Key == id) > 0;
                }
            });
        }

        private AutogradMeta Meta() => _autograd ??= new AutogradMeta();

        // ---- plumbing for the recorder and saved tensors -------------------------------------

        /// <summary>A new native reference to this tensor, owned by the caller and in no scope.</summary>
        internal TensorHandle NewReference()
        {
            TensorHandle h = Handle;
            bool added = false;
            try
            {
                h.DangerousAddRef(ref added);
                nint raw = h.DangerousGetHandle();
                NativeMethods.TensorRetain(raw);
                return TensorHandle.FromOwnedRaw(raw);
            }
            finally
            {
                if (added)
                {
                    h.DangerousRelease();
                }
            }
        }

        /// <summary>A new tensor (in the current scope) over the same native tensor as <paramref name="handle"/>.</summary>
        internal static Tensor WrapReference(TensorHandle handle)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                nint raw = handle.DangerousGetHandle();
                NativeMethods.TensorRetain(raw);
                return new Tensor(TensorHandle.FromOwnedRaw(raw));
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>Makes this tensor output <paramref name="outputNr"/> of <paramref name="node"/>.</summary>
        internal void AttachGradFn(AutogradNode node, int outputNr)
        {
            _autograd = new AutogradMeta { GradFn = node, OutputNr = outputNr };
            _handle.SetGradFn(node);
        }

        /// <summary>Makes this wrapper take <paramref name="other"/>'s place in the graph (both wrap one native tensor).</summary>
        private void ShareAutogradOf(Tensor other)
        {
            _autograd = other._autograd;
            _handle.SetGradFn(_autograd?.GradFn);
        }

        /// <summary>Makes this tensor the same autograd leaf as the one <paramref name="leaf"/> belongs to.</summary>
        internal void ShareLeafMeta(AutogradMeta leaf) => _autograd = leaf;

        internal long StorageUseCount => NativeMethods.TensorStorageUseCount(Handle);

        /// <summary>Whether a tensor of shape <paramref name="from"/> broadcasts to <paramref name="to"/>.</summary>
        internal static bool IsExpandableTo(ReadOnlySpan<long> from, ReadOnlySpan<long> to)
        {
            if (from.Length > to.Length)
            {
                return false;
            }
            for (int i = 1; i <= from.Length; i++)
            {
                long f = from[^i], t = to[^i];
                if (f != t && f != 1)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (PyTorch's sum_to_size).</summary>
        internal Tensor SumToSize(ReadOnlySpan<long> shape)
        {
            long[] mine = ShapeCached;
            int lead = mine.Length - shape.Length;
            var dims = new List<long>();
            for (int i = 0; i < mine.Length; i++)
            {
                if (i < lead || (shape[i - lead] == 1 && mine[i] != 1))
                {
                    dims.Add(i);
                }
            }
            if (dims.Count == 0)
            {
                return this;
            }
            Tensor summed = Sum(dims.ToArray(), keepDim: true);
            return lead == 0 ? summed : summed.View(shape.ToArray());
        }
    }
}
