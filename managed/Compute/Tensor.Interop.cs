using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>
        /// The elements of a contiguous CPU tensor as a span over the native memory itself, no
        /// copy. The span is valid only while the tensor (or a view sharing its storage) is
        /// alive: keep the tensor referenced, and do not dispose it, while using the span.
        /// </summary>
        public unsafe Span<T> AsSpan<T>() where T : unmanaged
        {
            TensorHandle handle = Handle;
            RequireElementType<T>(nameof(AsSpan));
            if (Device.Type != DeviceType.Cpu)
            {
                throw new InvalidOperationException($"AsSpan: the tensor is on {Device}; spans need CPU memory (call .To(Device.Cpu)).");
            }
            if (!IsContiguous)
            {
                throw new TensorLayoutException(
                    $"AsSpan: the tensor of shape {FormatShape(ShapeCached)} with strides {FormatShape(Strides)} is not contiguous; call .Contiguous() first.");
            }
            long numel = NativeMethods.TensorNumel(handle);
            if (numel > int.MaxValue)
            {
                throw new InvalidOperationException($"AsSpan: {numel} elements do not fit in a span.");
            }
            return new Span<T>((void*)NativeMethods.TensorDataPtr(handle), (int)numel);
        }

        /// <summary>A read-only view of <see cref="AsSpan{T}"/>.</summary>
        public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged => AsSpan<T>();

        /// <summary>Address of the first element (for interop with other native code); valid while the tensor lives.</summary>
        public nint DataPointer => NativeMethods.TensorDataPtr(Handle);
    }
}
