using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // Views share storage with this tensor; Own() sees the shared storage and does not
        // count the bytes a second time.

        /// <summary>A view with new sizes; one size may be -1 (inferred). Fails when the strides do not allow it.</summary>
        public Tensor View(params long[] shape) =>
            ViewResult(Recorder.Record(Own(NativeMethods.View(Handle, shape, shape.Length)), "ViewBackward0", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));

        /// <summary>Like <see cref="View"/>, but copies when a view is impossible.</summary>
        public Tensor Reshape(params long[] shape) =>
            ViewIfShared(Recorder.Record(Own(NativeMethods.Reshape(Handle, shape, shape.Length)), "ReshapeAliasBackward0", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));

        /// <summary>Reorders the dims: <paramref name="dims"/> is a permutation of 0..Dim-1.</summary>
        public Tensor Permute(params long[] dims) =>
            ViewResult(Recorder.Record(Own(NativeMethods.Permute(Handle, dims, dims.Length)), "PermuteBackward0", [this], null, ctx => [ctx.Grad.Permute(InversePermutation(dims))]));

        /// <summary>Swaps two dims.</summary>
        public Tensor Transpose(long dim0, long dim1) =>
            ViewResult(Recorder.Record(Own(NativeMethods.Transpose(Handle, dim0, dim1)), "TransposeBackward0", [this], null, ctx => [ctx.Grad.Transpose(dim0, dim1)]));

        /// <summary>The transpose of a tensor with at most 2 dims (PyTorch's .T for matrices, t()).</summary>
        public Tensor T
        {
            get
            {
                int ndim = ShapeCached.Length;
                if (ndim > 2)
                {
                    throw new ArgumentException($"T: the tensor has {ndim} dims; use Transpose or Permute for more than 2.");
                }
                return ndim < 2 ? ViewResult(Recorder.Record(Own(NativeMethods.Contiguous(Handle)), "TBackward0", [this], null, static ctx => [ctx.Grad]))
                    : Transpose(0, 1);
            }
        }

        /// <summary>
        /// Elements start, start+step, ... below end along <paramref name="dim"/>, bounds
        /// clamped as in Python (x[start:end:step]); step must be positive.
        /// </summary>
        public Tensor Slice(long dim, long start, long end, long step = 1)
        {
            Tensor result = Own(NativeMethods.Slice(Handle, dim, start, end, step));
            if (!Recorder.Wanted(this))
            {
                return ViewResult(result);
            }
            int d = NormalizeDim(dim, Dim, nameof(Slice));
            long size = ShapeCached[d];
            long first = Math.Clamp(start < 0 ? start + size : start, 0, size);
            return ViewResult(Recorder.Record(result, "SliceBackward0", [this], null, ctx => [SliceBackward(ctx.Grad, ctx.InputShape(0), d, first, step)]));
        }

        /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>; the dim is removed.</summary>
        public Tensor Select(long dim, long index)
        {
            Tensor result = Own(NativeMethods.Select(Handle, dim, index));
            if (!Recorder.Wanted(this))
            {
                return ViewResult(result);
            }
            int d = NormalizeDim(dim, Dim, nameof(Select));
            long at = index < 0 ? index + ShapeCached[d] : index;
            return ViewResult(Recorder.Record(result, "SelectBackward0", [this], null, ctx => [SliceBackward(ctx.Grad.Unsqueeze(d), ctx.InputShape(0), d, at, 1)]));
        }

        /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>.</summary>
        public Tensor Narrow(long dim, long start, long length)
        {
            Tensor result = Own(NativeMethods.Narrow(Handle, dim, start, length));
            if (!Recorder.Wanted(this))
            {
                return ViewResult(result);
            }
            int d = NormalizeDim(dim, Dim, nameof(Narrow));
            long first = start < 0 ? start + ShapeCached[d] : start;
            return ViewResult(Recorder.Record(result, "NarrowBackward0", [this], null, ctx => [SliceBackward(ctx.Grad, ctx.InputShape(0), d, first, 1)]));
        }

        /// <summary>Broadcasts size-1 dims to <paramref name="shape"/> (-1 keeps a size); new leading dims may be added.</summary>
        public Tensor Expand(params long[] shape) =>
            ViewResult(Recorder.Record(Own(NativeMethods.Expand(Handle, shape, shape.Length)), "ExpandBackward0", [this], null, static ctx => [ctx.Grad]));

        /// <summary>Removes every size-1 dim.</summary>
        public Tensor Squeeze() =>
            ViewResult(Recorder.Record(Own(NativeMethods.Squeeze(Handle)), "SqueezeBackward0", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));

        /// <summary>Removes <paramref name="dim"/> if its size is 1, otherwise keeps the shape.</summary>
        public Tensor Squeeze(long dim) =>
            ViewResult(Recorder.Record(Own(NativeMethods.SqueezeDim(Handle, dim)), "SqueezeBackward1", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));

        /// <summary>Inserts a size-1 dim at position <paramref name="dim"/>.</summary>
        public Tensor Unsqueeze(long dim) =>
            ViewResult(Recorder.Record(Own(NativeMethods.Unsqueeze(Handle, dim)), "UnsqueezeBackward0", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));

        /// <summary>
        /// A view with explicit sizes, strides (in elements) and storage offset, bounds checked
        /// (torch.as_strided). <paramref name="storageOffset"/> counts from the start of the
        /// storage; null keeps this tensor's own offset, as PyTorch's default does.
        /// </summary>
        public Tensor AsStrided(long[] shape, long[] strides, long? storageOffset = null)
        {
            ArgumentNullException.ThrowIfNull(shape);
            ArgumentNullException.ThrowIfNull(strides);
            if (shape.Length != strides.Length)
            {
                throw new ShapeMismatchException(
                    $"AsStrided: shape {FormatShape(shape)} and strides {FormatShape(strides)} have different lengths.");
            }
            long offset = storageOffset ?? StorageOffset;
            Tensor result = Own(NativeMethods.AsStrided(Handle, shape, strides, shape.Length, offset));
            if (!Recorder.Wanted(this))
            {
                return ViewResult(result);
            }
            var input = new StridedGeometry(Shape, Strides, StorageOffset);
            var output = new StridedGeometry((long[])shape.Clone(), (long[])strides.Clone(), offset);
            return ViewResult(Recorder.Record(result, "AsStridedBackward0", [this], null, ctx => [AsStridedBackward(ctx.Grad, input, output)]));
        }

        /// <summary>Merges dims <paramref name="startDim"/>..<paramref name="endDim"/> into one (a view when possible).</summary>
        public Tensor Flatten(long startDim = 0, long endDim = -1)
        {
            Tensor result = OwnOrShare(NativeMethods.Flatten(Handle, startDim, endDim), this);
            if (result.Handle.Address == Handle.Address)
            {
                // PyTorch returns the input itself when there is nothing to merge: same graph position.
                result.ShareAutogradOf(this);
                return result;
            }
            return ViewIfShared(Recorder.Record(result, "ReshapeAliasBackward0", [this], null, static ctx => [ctx.Grad.Reshape(ctx.InputShape(0))]));
        }

        /// <summary>Marks a result that may or may not share this tensor's storage (reshape, flatten) as a view when it does.</summary>
        private Tensor ViewIfShared(Tensor result) =>
            GradMode.IsEnabled && result.StorageBase == StorageBase ? ViewResult(result) : result;

        /// <summary>Address of the start of the storage: equal for tensors that share storage.</summary>
        private nint StorageBase => DataPointer - (nint)(StorageOffset * ElementSize);
    }
}
