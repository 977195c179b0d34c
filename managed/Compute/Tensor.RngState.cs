using System;
using System.Buffers.Binary;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>Number of bytes in the tensor returned by <see cref="GetRngState"/>.</summary>
        public const int RngStateBytes = 16;

        /// <summary>
        /// The default generator's whole state as a uint8 tensor of <see cref="RngStateBytes"/>
        /// bytes (torch.get_rng_state): the Philox seed and stream offset, each 8 bytes little-endian.
        /// Restoring it with <see cref="SetRngState"/> makes every later random op repeat exactly.
        /// </summary>
        public static Tensor GetRngState()
        {
            NativeMethods.RngGetState(out ulong seed, out ulong offset);
            var bytes = new byte[RngStateBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0, 8), seed);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8, 8), offset);
            return From(bytes);
        }

        /// <summary>Restores a state from <see cref="GetRngState"/> (torch.set_rng_state).</summary>
        /// <exception cref="ArgumentException">The tensor is not a uint8 tensor of <see cref="RngStateBytes"/> elements.</exception>
        public static void SetRngState(Tensor newState)
        {
            ArgumentNullException.ThrowIfNull(newState);
            if (newState.DType != DType.UInt8 || newState.NumberOfElements != RngStateBytes)
            {
                throw new ArgumentException(
                    $"SetRngState: newState must be a uint8 tensor of {RngStateBytes} elements (from GetRngState), " +
                    $"got {newState.DType.Name()} of shape {FormatShape(newState.ShapeCached)}.", nameof(newState));
            }
            byte[] bytes = newState.ToArray<byte>();
            NativeMethods.RngSetState(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0, 8)),
                                      BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8, 8)));
        }
    }
}
