namespace Compute.Native
{
    internal partial struct NativeScalar
    {
        internal static NativeScalar FromDouble(double value) =>
            new() { Kind = (int)ScalarKind.Float, F = value };

        internal static NativeScalar FromInt64(long value) =>
            new() { Kind = (int)ScalarKind.Int, I = value };

        internal static NativeScalar FromBool(bool value) =>
            new() { Kind = (int)ScalarKind.Bool, I = value ? 1 : 0 };
    }

    internal partial struct NativeDevice
    {
        internal static NativeDevice From(Device device) =>
            new() { Type = (int)device.Type, Index = device.Index };

        internal Device ToDevice() => new((DeviceType)Type, Index);
    }
}
