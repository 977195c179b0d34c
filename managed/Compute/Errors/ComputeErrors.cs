using System;

namespace Compute.Native
{
    /// <summary>
    /// Exception factories the generated bindings call for each non-OK status (the mapping
    /// itself lives in bindings/config.json). Index errors become
    /// <see cref="ArgumentOutOfRangeException"/> rather than IndexOutOfRangeException: the
    /// runtime reserves the latter for array bounds, and an out-of-range dim or index passed
    /// to an op is a bad argument, in the same family as shape and dtype errors.
    /// </summary>
    internal static class ComputeErrors
    {
        /// <summary>Key under which the failed native function's name is kept in <see cref="Exception.Data"/>.</summary>
        internal const string FunctionKey = "Compute.NativeFunction";

        internal static Exception InvalidArgument(string function, string message) =>
            Tag(new ArgumentException(message), function);

        internal static Exception ShapeMismatch(string function, string message) =>
            Tag(new ShapeMismatchException(message), function);

        internal static Exception DTypeMismatch(string function, string message) =>
            Tag(new DTypeMismatchException(message), function);

        internal static Exception IndexOutOfRange(string function, string message) =>
            Tag(new ArgumentOutOfRangeException(null, message), function);

        internal static Exception OutOfMemory(string function, string message) =>
            Tag(new ComputeOutOfMemoryException(message), function);

        internal static Exception DeviceUnavailable(string function, string message) =>
            Tag(new DeviceUnavailableException(message), function);

        // Managed code never passes a null handle (SafeHandle marshalling refuses closed ones
        // first), so a handle the library rejects is one that was already released.
        internal static Exception InvalidHandle(string function, string message) =>
            Tag(new ObjectDisposedException(null, message), function);

        internal static Exception Layout(string function, string message) =>
            Tag(new TensorLayoutException(message), function);

        internal static Exception InvalidState(string function, string message) =>
            Tag(new InvalidOperationException(message), function);

        internal static Exception Internal(string function, string message) =>
            Tag(new ComputeException(message), function);

        private static Exception Tag(Exception exception, string function)
        {
            exception.Data[FunctionKey] = function;
            return exception;
        }
    }
}
