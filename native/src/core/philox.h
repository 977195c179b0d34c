// Philox 4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as 1, 2, 3",
// SC'11): a counter-based generator. One call maps a 128-bit counter and a 64-bit key to 128
// random bits, so any element of a random tensor can be computed on its own, by any thread,
// on any device. This header is written to compile for the CUDA backend unchanged.
//
// THE STREAM LAYOUT (the CUDA backend must reproduce it exactly)
// ----------------------------------------------------------------
// Generator state: (seed, offset), both uint64. offset counts Philox blocks already used.
//   key     = (uint32(seed), uint32(seed >> 32))
//   counter = (uint32(block), uint32(block >> 32), 0, 0)   for block = offset + local block
//   a block = 4 uint32 words w0..w3 = philox4x32_10(counter, key)
// A call that fills n elements with E elements per block uses ceil(n / E) blocks:
// element i comes from block offset + i / E, and the call advances offset by ceil(n / E).
// So element i depends only on (seed, offset, i): any thread count, any device, same values.
//
//   rand, float32/float16/bfloat16 (E = 4): element i uses word w[i % 4] = u.
//       float32  = (u >> 8)  * 2^-24     (24 bits: every value exact, max 1 - 2^-24)
//       float16  = (u >> 21) * 2^-11     (11 bits: exact in half, max 1 - 2^-11)
//       bfloat16 = (u >> 24) * 2^-8      (8 bits: exact in bfloat16, max 1 - 2^-8)
//     Using exactly as many bits as the type holds means no value ever rounds up to 1.0.
//   rand, float64 (E = 2): element i uses u64 = w[2j] | w[2j+1] << 32, j = i % 2;
//       float64  = (u64 >> 11) * 2^-53.
//   randn, float32/float16/bfloat16 (E = 4): Box-Muller on the pair j = (i % 4) / 2:
//       u1 = ((w[2j] >> 8) + 1) * 2^-24  (in (0, 1], so log(u1) is finite)
//       u2 = (w[2j+1] >> 8) * 2^-24
//       (z0, z1) = core/box_muller.h's box_muller(u1, u2) in double: r cos(2 pi u2) and
//       r sin(2 pi u2), r = sqrt(-2 ln u1), with ln, sin and cos that header's own, defined
//       operation by operation (IEEE +, -, *, /, sqrt, no fused multiply-add; not libm's);
//       element with i % 2 == 0 -> z0, i % 2 == 1 -> z1; rounded to dtype.
//   randn, float64 (E = 2): one pair per block:
//       u1 = ((U0 >> 11) + 1) * 2^-53, u2 = (U1 >> 11) * 2^-53 with U0 = w0 | w1 << 32,
//       U1 = w2 | w3 << 32; element 2b -> z0, 2b + 1 -> z1.
//   randint(low, high) (E = 2): element i uses u64 as in rand float64;
//       value = low + (u64 mod (high - low)), the range taken as uint64 (bias <= range / 2^64).
//   randperm, normal, uniform_, bernoulli, multinomial, rand_like, randn_like: written next
//       to each op in ops/distributions.cpp and ops/factories2.cpp (randperm's keys take
//       randint's positions; the others draw through rand/randn above).
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define CMP_PHILOX_HD __host__ __device__ __forceinline__
#else
#define CMP_PHILOX_HD inline
#endif

namespace cmp {

struct PhiloxBlock {
    uint32_t w[4];
};

namespace philox_detail {
// Round multipliers and Weyl key increments of Philox 4x32 (from the paper).
constexpr uint32_t kM0 = 0xD2511F53u;
constexpr uint32_t kM1 = 0xCD9E8D57u;
constexpr uint32_t kW0 = 0x9E3779B9u;  // golden ratio
constexpr uint32_t kW1 = 0xBB67AE85u;  // sqrt(3) - 1
}  // namespace philox_detail

// The raw bijection: counter (c0..c3) under key (k0, k1), ten rounds.
CMP_PHILOX_HD PhiloxBlock philox4x32_10(PhiloxBlock ctr, uint32_t k0, uint32_t k1) {
    using namespace philox_detail;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += kW0;
            k1 += kW1;
        }
        const uint64_t p0 = static_cast<uint64_t>(kM0) * ctr.w[0];
        const uint64_t p1 = static_cast<uint64_t>(kM1) * ctr.w[2];
        const auto hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
        const auto hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
        ctr = PhiloxBlock{{hi1 ^ ctr.w[1] ^ k0, lo1, hi0 ^ ctr.w[3] ^ k1, lo0}};
    }
    return ctr;
}

// Block number `block` of the stream of `seed` (see the layout above).
CMP_PHILOX_HD PhiloxBlock philox_block(uint64_t seed, uint64_t block) {
    PhiloxBlock ctr{{static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), 0u, 0u}};
    return philox4x32_10(ctr, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// Word pair j (0 or 1) of a block as one 64-bit value.
CMP_PHILOX_HD uint64_t philox_u64(const PhiloxBlock& b, int j) {
    return static_cast<uint64_t>(b.w[2 * j]) | (static_cast<uint64_t>(b.w[2 * j + 1]) << 32);
}

// The default generator (thread safe). PyTorch's default seed until manual_seed is called.
constexpr uint64_t kDefaultSeed = 67280421310721ull;

struct PhiloxState {
    uint64_t seed;
    uint64_t offset;  // first block of the reserved range
};

// Atomically reserves `blocks` consecutive blocks of the default generator's stream and
// returns where they start; every device's random kernels take their blocks through this.
PhiloxState philox_reserve(uint64_t blocks);

}  // namespace cmp
