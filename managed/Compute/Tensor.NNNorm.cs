using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        // Softmax as tensor methods (x.softmax(dim), x.log_softmax(dim)); the normalisation
        // layers themselves are in Compute.NN.Functional (Functional.Norm.cs).

        /// <summary>
        /// An optional tensor argument for the native layer: the tensor's handle, or a handle that
        /// passes NULL (an invalid SafeHandle marshals as a zero pointer).
        /// </summary>
        internal static TensorHandle HandleOrNull(Tensor? t) => t is null ? new TensorHandle() : t.Handle;

        private static ReadOnlySpan<DType> OptionalDType(DType? dtype) => dtype is DType d ? new[] { d } : default;

        /// <summary>
        /// softmax along <paramref name="dim"/> (x.softmax(dim, dtype=...)): exp(x - max) / sum(exp(x - max)),
        /// so large inputs never overflow. <paramref name="dtype"/> converts the input first; 16-bit
        /// inputs are computed in float32. Floating tensors only (or an integer one with a floating dtype).
        /// </summary>
        public Tensor Softmax(long dim, DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.Softmax, this) is { } cast ? cast.Softmax(dim) :
            NN.NNFormulas.Softmax(Own(NativeMethods.Softmax(Handle, dim, OptionalDType(dtype))), this, dim);

        /// <summary>log_softmax along <paramref name="dim"/> (x.log_softmax(dim, dtype=...)): x - max - log(sum(exp(x - max))).</summary>
        public Tensor LogSoftmax(long dim, DType? dtype = null) =>
            dtype is null && AutocastRegion.Recast(AutocastOps.LogSoftmax, this) is { } cast ? cast.LogSoftmax(dim) :
            NN.NNFormulas.LogSoftmax(Own(NativeMethods.LogSoftmax(Handle, dim, OptionalDType(dtype))), this, dim);
    }
}
