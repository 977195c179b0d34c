using System;
using Compute.Native;

namespace Compute
{
    public partial class Tensor
    {
        /// <summary>Seeds the default random generator (torch.manual_seed).</summary>
        public static void ManualSeed(ulong seed) => NativeMethods.ManualSeed(seed);

        /// <summary>Uniform float32 numbers in [0, 1) on the CPU (torch.rand(*shape)).</summary>
        public static Tensor Rand(params long[] shape) => Rand(shape.AsSpan());

        /// <summary>Uniform numbers in [0, 1) (torch.rand); dtype must be floating-point.</summary>
        public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Rand(shape, shape.Length, dtype, On(device)));

        /// <summary>Standard normal float32 numbers on the CPU (torch.randn(*shape)).</summary>
        public static Tensor Randn(params long[] shape) => Randn(shape.AsSpan());

        /// <summary>Standard normal numbers (torch.randn); dtype must be floating-point.</summary>
        public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
            Own(NativeMethods.Randn(shape, shape.Length, dtype, On(device)));

        /// <summary>Uniform integers in [low, high) (torch.randint(low, high, shape)); int64 by default.</summary>
        public static Tensor Randint(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device? device = null) =>
            Own(NativeMethods.Randint(low, high, shape, shape.Length, dtype, On(device)));

        /// <summary>Uniform integers in [0, high) (torch.randint(high, shape)); int64 by default.</summary>
        public static Tensor Randint(long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device? device = null) =>
            Randint(0, high, shape, dtype, device);
    }
}
