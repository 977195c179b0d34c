using System;
using Compute.Native;

namespace Compute
{
    // In-place ops under autograd, as PyTorch records them. An in-place op on a tensor that
    // takes part in autograd runs as its out-of-place op (which records the node and saves
    // what the formula needs, with a snapshot of the old value where the formula reads it),
    // then writes the result into the tensor and makes the tensor that node's output: its
    // history is rewritten, the old history becoming the node's input. The native write bumps
    // the storage's version counter, so a tensor saved earlier by another node is caught if
    // backward would read it changed. On a view, the base's history is rewritten too
    // (CopySlices), and the other views of the base follow it when autograd next reads them.
    public partial class Tensor
    {
        [ThreadStatic]
        private static Tensor? t_inPlaceTarget;

        /// <summary>The tensor an in-place op is recording for on this thread: saving it means saving a snapshot.</summary>
        internal static Tensor? InPlaceTarget => t_inPlaceTarget;

        /// <summary>
        /// The version counter of this tensor's storage (PyTorch's _version), shared with every
        /// view of it: how many in-place writes the storage has seen. Autograd compares it with
        /// the version a tensor had when it was saved for backward.
        /// </summary>
        public ulong Version => NativeMethods.TensorVersion(Handle);

        /// <summary>
        /// Runs an in-place op. Without anything to record it is the native in-place kernel
        /// <paramref name="native"/>; otherwise <paramref name="outOfPlace"/> computes and
        /// records the result, which then replaces this tensor's data and history.
        /// <paramref name="operand1"/> and <paramref name="operand2"/> are the op's other tensor operands.
        /// </summary>
        private Tensor RecordInPlace(string op, Action<TensorHandle> native, Func<Tensor> outOfPlace, Tensor? operand1 = null,
            Tensor? operand2 = null)
        {
            // Only floating-point tensors take part in autograd (an integer target is never recorded).
            if (GradMode.IsEnabled && _autograd is { ViewCreatedInNoGrad: true })
            {
                throw new InvalidOperationException(
                    $"{op}: A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this " +
                    "use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and " +
                    "the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside " +
                    "(if you want the inplace to be tracked).");
            }
            if (!GradMode.IsEnabled || !DType.IsFloatingPoint() || !(RequiresGrad || (operand1?.RequiresGrad ?? false) || (operand2?.RequiresGrad ?? false)))
            {
                native(Handle);
                return this;
            }
            CheckInPlaceAllowed(op);
            Tensor result;
            Tensor? previous = t_inPlaceTarget;
            t_inPlaceTarget = this;
            // In-place ops are not autocast (as in PyTorch): the recorded out-of-place form runs
            // in this tensor's own dtype.
            using AutocastRegion noAutocast = AutocastRegion.Suspend();
            try
            {
                result = outOfPlace();
            }
            finally
            {
                t_inPlaceTarget = previous;
            }
            if (!Hooks.ShapesEqual(result.ShapeCached, ShapeCached))
            {
                throw new ShapeMismatchException(
                    $"{op}: output with shape {FormatShape(ShapeCached)} doesn't match the broadcast shape {FormatShape(result.ShapeCached)}.");
            }
            if (result.DType.IsFloatingPoint() && !DType.IsFloatingPoint())
            {
                throw new DTypeMismatchException($"{op}: result type {result.DType} can't be cast to the desired output type {DType}.");
            }
            NativeMethods.CopyInPlace(Handle, result.Handle);
            // An op PyTorch does not differentiate (logical_and_ on floats) leaves the history as it was.
            if (result.AutogradMetaOrNull?.GradFn is AutogradNode node)
            {
                TakeHistory(node);
            }
            result.Dispose();
            return this;
        }

        /// <summary>PyTorch's checks before an in-place op rewrites history.</summary>
        private void CheckInPlaceAllowed(string op)
        {
            AutogradMeta? meta = AutogradMetaOrNull;
            if (meta is { RequiresGradLeaf: true, GradFn: null })
            {
                throw new InvalidOperationException(
                    $"{op}: a leaf Variable that requires grad is being used in an in-place operation. " +
                    "Wrap the update in Autograd.NoGrad() (as optimizers do), or change a clone.");
            }
            if (meta?.MultiOutputViewOf is string producer)
            {
                throw new InvalidOperationException(
                    $"{op}: Output {meta.OutputNr} of {producer} is a view and is being modified inplace. This view is the output of " +
                    "a function that returns multiple views. Such functions do not allow the output views to be modified inplace. " +
                    "You should replace the inplace operation by an out-of-place one.");
            }
            if (meta?.ViewBase is Tensor root && root.AutogradMetaOrNull is { RequiresGradLeaf: true, GradFn: null })
            {
                throw new InvalidOperationException(
                    $"{op}: a view of a leaf Variable that requires grad is being used in an in-place operation.");
            }
        }

        /// <summary>Makes this tensor (just overwritten by <paramref name="node"/>'s output 0) that output.</summary>
        private void TakeHistory(AutogradNode node)
        {
            AutogradMeta? meta = _autograd;
            if (meta?.ViewBase is not Tensor root)
            {
                AttachGradFn(node, 0);
                return;
            }
            // A view: the base's new history is "the old base with this region replaced by the
            // node's output", and the view is that region of the new base.
            StridedGeometry baseGeometry = root.Geometry("in-place op on a view");
            StridedGeometry viewGeometry = Geometry("in-place op on a view");
            var copySlices = new CopySlices(Engine.EdgeOf(root) ?? default, TensorMeta.Of(root), baseGeometry, viewGeometry, node);
            root.AttachGradFn(copySlices, 0);
            AttachGradFn(ViewNode(copySlices, root, baseGeometry, viewGeometry), 0);
            _autograd!.ViewBase = root;
            _autograd.BaseFnSeen = copySlices;
        }

        /// <summary>Sizes, strides and storage offset of this tensor.</summary>
        private StridedGeometry Geometry(string why)
        {
            if (IsDisposed)
            {
                throw new ObjectDisposedException(nameof(Tensor),
                    $"{why}: the base tensor of the view was disposed, so autograd cannot rebuild the view's history.");
            }
            return new StridedGeometry(Shape, Strides, StorageOffset);
        }

        // The node of a view regenerated from its base's new history (PyTorch's AsStridedBackward0).
        private static FunctionNode ViewNode(AutogradNode baseFn, Tensor root, StridedGeometry baseGeometry, StridedGeometry viewGeometry) =>
            new("AsStridedBackward0", new[] { new Edge(baseFn, 0) }, new[] { new TensorMeta(baseGeometry.Sizes, root.DType) },
                new[] { new TensorMeta(viewGeometry.Sizes, root.DType) },
                ctx => [AsStridedBackward(ctx.Grad, baseGeometry, viewGeometry)]);

        /// <summary>
        /// The view's meta after its base was changed in place since the view's history was made:
        /// the view becomes a region of the base's new history (PyTorch regenerates it the same way).
        /// </summary>
        private AutogradMeta RefreshedView(AutogradMeta view)
        {
            Tensor root = view.ViewBase!;
            AutogradNode? baseFn = root._autograd?.GradFn;
            if (ReferenceEquals(baseFn, view.BaseFnSeen))
            {
                return view;
            }
            var fresh = new AutogradMeta { ViewBase = root, BaseFnSeen = baseFn, MultiOutputViewOf = view.MultiOutputViewOf };
            if (baseFn != null)
            {
                StridedGeometry baseGeometry = root.Geometry("reading a view whose base changed in place");
                fresh.GradFn = ViewNode(baseFn, root, baseGeometry, Geometry("reading a view"));
                _handle.SetGradFn(fresh.GradFn);
            }
            _autograd = fresh;
            return fresh;
        }

        /// <summary>
        /// Marks <paramref name="view"/> (made by a view op from this tensor, its history already
        /// recorded) as a view of this tensor's base, so in-place ops on it reach the base. Views
        /// are tracked while grad mode is on; one made under NoGrad of a tensor that requires grad
        /// is only marked so, because PyTorch refuses to change it in place under grad mode.
        /// </summary>
        internal Tensor ViewResult(Tensor view)
        {
            if (!GradMode.IsEnabled)
            {
                // Remembered only where it matters: the base takes part in autograd.
                if (RequiresGrad)
                {
                    view.Meta().ViewCreatedInNoGrad = true;
                }
                return view;
            }
            Tensor root = _autograd?.ViewBase ?? this;
            AutogradMeta meta = view.Meta();
            meta.ViewBase = root;
            meta.BaseFnSeen = root._autograd?.GradFn;
            return view;
        }

        /// <summary>Like <see cref="ViewResult"/> for the views of split, chunk and unbind, which may not be changed in place under grad.</summary>
        private Tensor[] MultiViewResults(Tensor[] views, string op)
        {
            if (GradMode.IsEnabled)
            {
                foreach (Tensor v in views)
                {
                    ViewResult(v).Meta().MultiOutputViewOf = op;
                }
            }
            return views;
        }
    }

    /// <summary>
    /// The node an in-place op on a view gives the view's base (PyTorch's CopySlices): the
    /// gradient of the new base is passed through outside the view's region; inside it, the
    /// in-place op's node turns it into the gradient of the region's old value (and of the op's
    /// other operands).
    /// </summary>
    internal sealed class CopySlices : AutogradNode
    {
        private readonly AutogradNode _fn;
        private readonly Tensor.StridedGeometry _base;
        private readonly Tensor.StridedGeometry _view;

        internal CopySlices(Edge baseEdge, TensorMeta baseMeta, Tensor.StridedGeometry baseGeometry, Tensor.StridedGeometry viewGeometry,
            AutogradNode fn)
            : base("CopySlices", Edges(baseEdge, fn), Metas(baseMeta, fn), new[] { baseMeta })
        {
            _fn = fn;
            _fn.AddRef();
            _base = baseGeometry;
            _view = viewGeometry;
        }

        private static Edge[] Edges(Edge baseEdge, AutogradNode fn)
        {
            var next = (Edge[])fn.Next.Clone();
            next[0] = baseEdge;
            return next;
        }

        private static TensorMeta[] Metas(TensorMeta baseMeta, AutogradNode fn)
        {
            var inputs = (TensorMeta[])fn.Inputs.Clone();
            inputs[0] = baseMeta;
            return inputs;
        }

        internal override Tensor?[] Apply(Tensor?[] gradOutputs, bool createGraph)
        {
            Tensor grad = gradOutputs[0] ?? Tensor.Zeros(Outputs[0].Shape, Outputs[0].DType);
            var (region, rebuild) = Tensor.StridedRegion(grad, _base, _view);
            Tensor?[] inner = _fn.Apply(new Tensor?[] { region }, createGraph);
            var result = (Tensor?[])inner.Clone();
            result[0] = Next[0].IsValid ? rebuild(inner[0]) : null;
            return result;
        }

        private protected override void OnReleaseSaved() => _fn.Release();
    }
}
