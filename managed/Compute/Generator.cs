using System;
using System.Buffers.Binary;

namespace Compute
{
    /// <summary>
    /// A seeded random generator owned by the caller (torch.Generator), for the data pipeline:
    /// samplers, <see cref="Data.Dataset.RandomSplit{T}(Data.Dataset{T}, double[], Generator?)"/>
    /// and random transforms. Its whole state is a seed and a counter, so it is cheap to
    /// create per batch and exact to checkpoint (<see cref="GetState"/>/<see cref="SetState"/>).
    /// </summary>
    /// <remarks>
    /// The stream is SplitMix64 over a counter: number k is a 64-bit mix of seed + k * golden
    /// ratio. It is not the stream of PyTorch's CPU generator (mt19937), so permutations
    /// differ from PyTorch's for the same seed; their distribution is the same.
    /// A generator is not thread-safe: give each thread its own.
    /// </remarks>
    public sealed class Generator
    {
        /// <summary>PyTorch's default seed (torch.Generator().initial_seed()).</summary>
        public const ulong DefaultSeed = 67280421310721UL;

        private const ulong Golden = 0x9E3779B97F4A7C15UL;
        private ulong _seed;
        private ulong _offset;

        /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
        public Generator(ulong seed = DefaultSeed) => ManualSeed(seed);

        /// <summary>The seed the stream started from (torch.Generator.initial_seed).</summary>
        public ulong InitialSeed => _seed;

        /// <summary>How many 64-bit numbers have been drawn since seeding.</summary>
        public ulong Offset => _offset;

        /// <summary>Reseeds and rewinds the stream; returns this generator (torch.Generator.manual_seed).</summary>
        public Generator ManualSeed(ulong seed)
        {
            _seed = seed;
            _offset = 0;
            return this;
        }

        /// <summary>
        /// A generator seeded from Compute's default generator (one draw from it), as PyTorch's
        /// samplers do when given none: the data order then follows <see cref="Tensor.ManualSeed"/>
        /// and is restored with <see cref="Tensor.SetRngState"/>.
        /// </summary>
        public static Generator FromDefault()
        {
            using Tensor draw = Tensor.Randint(0, long.MaxValue, ReadOnlySpan<long>.Empty);
            return new Generator((ulong)draw.Item<long>());
        }

        /// <summary>The next uniformly distributed 64-bit number.</summary>
        public ulong NextUInt64()
        {
            _offset++;
            ulong z = _seed + _offset * Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A uniform double in [0, 1) (53 random bits).</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
        public long NextInt64(long bound)
        {
            if (bound <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(bound), bound, "Generator.NextInt64: bound must be positive.");
            }
            ulong b = (ulong)bound;
            // Reject the top partial block of the 64-bit range so every residue is equally likely.
            ulong limit = ulong.MaxValue - ulong.MaxValue % b;
            ulong x;
            do
            {
                x = NextUInt64();
            } while (x >= limit);
            return (long)(x % b);
        }

        /// <summary>A random permutation of 0..n-1 (torch.randperm(n, generator=g)), by Fisher-Yates.</summary>
        public int[] Randperm(int n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n);
            var perm = new int[n];
            for (int i = 0; i < n; i++)
            {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--)
            {
                int j = (int)NextInt64(i + 1);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            return perm;
        }

        /// <summary>The state (seed and offset, 8 bytes each, little-endian) as a uint8 tensor (torch.Generator.get_state).</summary>
        public Tensor GetState()
        {
            var bytes = new byte[16];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0, 8), _seed);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8, 8), _offset);
            return Tensor.From(bytes);
        }

        /// <summary>Restores a state from <see cref="GetState"/> (torch.Generator.set_state).</summary>
        public void SetState(Tensor newState)
        {
            ArgumentNullException.ThrowIfNull(newState);
            if (newState.DType != DType.UInt8 || newState.NumberOfElements != 16)
            {
                throw new ArgumentException(
                    $"Generator.SetState: newState must be a uint8 tensor of 16 elements (from GetState), " +
                    $"got {newState.DType.Name()} of shape [{string.Join(", ", newState.Shape)}].", nameof(newState));
            }
            byte[] bytes = newState.ToArray<byte>();
            _seed = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0, 8));
            _offset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8, 8));
        }
    }
}
