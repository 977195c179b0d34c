using System;
using System.Globalization;

namespace Compute
{
    /// <summary>A device holding tensor data: the CPU or a CUDA GPU (PyTorch's torch.device).</summary>
    public readonly struct Device : IEquatable<Device>
    {
        /// <summary>Creates a device from its type and ordinal.</summary>
        public Device(DeviceType type, int index = 0)
        {
            if (index < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "Device: the index must be >= 0.");
            }
            if (type == DeviceType.Cpu && index != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "Device: the CPU has index 0 only.");
            }
            Type = type;
            Index = index;
        }

        /// <summary>The kind of device.</summary>
        public DeviceType Type { get; }

        /// <summary>The device ordinal (0 for the CPU).</summary>
        public int Index { get; }

        /// <summary>The host CPU.</summary>
        public static Device Cpu => new(DeviceType.Cpu);

        /// <summary>CUDA GPU number <paramref name="index"/> (PyTorch's "cuda:index").</summary>
        public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

        /// <summary>Number of usable CUDA devices; 0 without a CUDA library or driver.</summary>
        public static int CudaDeviceCount => Native.NativeMethods.CudaDeviceCount();

        /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
        public static Device Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (text == "cpu")
            {
                return Cpu;
            }
            if (text == "cuda")
            {
                return Cuda();
            }
            if (text.StartsWith("cuda:", StringComparison.Ordinal) &&
                int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                return Cuda(index);
            }
            throw new FormatException($"Device.Parse: '{text}' is not a device; expected \"cpu\", \"cuda\" or \"cuda:N\".");
        }

        /// <inheritdoc/>
        public bool Equals(Device other) => Type == other.Type && Index == other.Index;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Device other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Type, Index);

        /// <summary>Whether two devices are the same.</summary>
        public static bool operator ==(Device left, Device right) => left.Equals(right);

        /// <summary>Whether two devices differ.</summary>
        public static bool operator !=(Device left, Device right) => !left.Equals(right);

        /// <summary>"cpu" or "cuda:N", as PyTorch prints devices.</summary>
        public override string ToString() =>
            Type == DeviceType.Cpu ? "cpu" : string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}");
    }
}
