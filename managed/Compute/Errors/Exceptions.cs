using System;

namespace Compute
{
    /// <summary>
    /// An error inside Compute that no more specific .NET exception describes (a status of
    /// CMP_STATUS_INTERNAL_ERROR: a bug in Compute, with the native message saying where).
    /// </summary>
    public class ComputeException : Exception
    {
        /// <summary>Creates the exception with a message.</summary>
        public ComputeException(string message) : base(message) { }

        /// <summary>Creates the exception with a message and the exception that caused it.</summary>
        public ComputeException(string message, Exception innerException) : base(message, innerException) { }
    }

    /// <summary>Shapes of the operands do not match and cannot be broadcast, or a size is wrong for the op.</summary>
    public class ShapeMismatchException : ArgumentException
    {
        /// <summary>Creates the exception with a message naming the op and the shapes.</summary>
        public ShapeMismatchException(string message) : base(message) { }
    }

    /// <summary>A dtype is not supported by the op, or does not match the one asked for.</summary>
    public class DTypeMismatchException : ArgumentException
    {
        /// <summary>Creates the exception with a message naming the op and the dtypes.</summary>
        public DTypeMismatchException(string message) : base(message) { }
    }

    /// <summary>
    /// The layout (strides) of a tensor does not allow the op, for example a view of
    /// non-contiguous data; <see cref="Tensor.Reshape(long[])"/> or <see cref="Tensor.Contiguous"/> help.
    /// </summary>
    public class TensorLayoutException : ArgumentException
    {
        /// <summary>Creates the exception with a message naming the op and the layout.</summary>
        public TensorLayoutException(string message) : base(message) { }
    }

    /// <summary>Native memory could not be allocated, even after the garbage collector ran.</summary>
    public class ComputeOutOfMemoryException : OutOfMemoryException
    {
        /// <summary>Creates the exception with a message naming the op and the size asked for.</summary>
        public ComputeOutOfMemoryException(string message) : base(message) { }
    }

    /// <summary>The device is unknown or not available (for example CUDA without a CUDA library or driver).</summary>
    public class DeviceUnavailableException : InvalidOperationException
    {
        /// <summary>Creates the exception with a message naming the device.</summary>
        public DeviceUnavailableException(string message) : base(message) { }
    }

    /// <summary>
    /// The native library found does not implement the ABI these bindings were generated for.
    /// </summary>
    public class NativeLibraryVersionException : InvalidOperationException
    {
        /// <summary>Creates the exception with a message naming both versions and the library's path.</summary>
        public NativeLibraryVersionException(string message) : base(message) { }
    }
}
