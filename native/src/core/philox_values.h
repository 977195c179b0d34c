// The values of core/philox.h's stream layout, one Philox block at a time, as plain functions
// for every device: the CUDA backend's random kernels (cuda/random.cu) compute a block per
// thread with them, and the CPU tests check the CPU kernels (which compute 16 blocks at a time
// in vector lanes, cpu/kernels/random.cpp and cpu/dropout_keep.h) against them, so both devices
// are held to one definition (Random.LayoutValuesMatchTheCpuKernels).
//
// Every value is computed exactly as the layout says: the uniforms are integers times powers of
// two (exact), randn is core/box_muller.h (the same bits on every device), so a value depends on
// nothing but (seed, block, position in the block).
#pragma once

#include "core/box_muller.h"
#include "core/philox.h"

#include <cstdint>

namespace cmp {

// The element families of the layout: float64 draws 2 elements per block, the others 4.
enum class PhiloxFloat : int32_t { Float32 = 0, Float16 = 1, BFloat16 = 2, Float64 = 3 };

CMP_PHILOX_HD int philox_per_block(PhiloxFloat k) { return k == PhiloxFloat::Float64 ? 2 : 4; }

// rand's element e (< philox_per_block(k)) of block b, as the double it is exactly (a float32,
// float16 or bfloat16 value for those families: converting it to the dtype is exact).
CMP_PHILOX_HD double philox_rand(const PhiloxBlock& b, int e, PhiloxFloat k) {
    switch (k) {
        case PhiloxFloat::Float64: return static_cast<double>(philox_u64(b, e) >> 11) * 0x1p-53;
        case PhiloxFloat::Float16: return static_cast<double>(b.w[e] >> 21) * 0x1p-11;
        case PhiloxFloat::BFloat16: return static_cast<double>(b.w[e] >> 24) * 0x1p-8;
        default: return static_cast<double>(b.w[e] >> 8) * 0x1p-24;
    }
}

// randn's element e of block b, as box_muller's double. float64 stores it as it is; the other
// families round it to float32 first (and a 16-bit dtype from that float), as the CPU does.
CMP_PHILOX_HD double philox_randn(const PhiloxBlock& b, int e, PhiloxFloat k) {
    double u1, u2;
    if (k == PhiloxFloat::Float64) {
        u1 = static_cast<double>((philox_u64(b, 0) >> 11) + 1) * 0x1p-53;
        u2 = static_cast<double>(philox_u64(b, 1) >> 11) * 0x1p-53;
    } else {
        const int j = e / 2;  // the pair (w[2j], w[2j + 1])
        u1 = static_cast<double>((b.w[2 * j] >> 8) + 1) * 0x1p-24;
        u2 = static_cast<double>(b.w[2 * j + 1] >> 8) * 0x1p-24;
    }
    const NormalPair z = box_muller(u1, u2);
    return e % 2 == 0 ? z.z0 : z.z1;
}

// normal_ and uniform_ from randn's / rand's element v as stored in the dtype: shift + scale * v
// in float64, each operation rounded once on every device (never fused into an FMA), so a seed
// gives the same numbers on the CPU and on CUDA.
CMP_PHILOX_HD double philox_affine(double v, double shift, double scale) {
    return box_muller_detail::add(shift, box_muller_detail::mul(scale, v));
}

// randint's element j (0 or 1) of block b: low + (u64 mod range), wrapping as int64.
CMP_PHILOX_HD int64_t philox_randint(const PhiloxBlock& b, int j, int64_t low, uint64_t range) {
    return static_cast<int64_t>(static_cast<uint64_t>(low) + philox_u64(b, j) % range);
}

// bernoulli's element j (0 or 1) of block b: 1 when rand's float64 element is below p.
CMP_PHILOX_HD bool philox_bernoulli(const PhiloxBlock& b, int j, double p) {
    return philox_rand(b, j, PhiloxFloat::Float64) < p;
}

// Dropout's keep decision e (0..3) of block b: rand's float32 uniform >= p, compared in integers
// against threshold = ceil(p * 2^24) (cpu::dropout_threshold).
CMP_PHILOX_HD bool philox_keep(const PhiloxBlock& b, int e, uint32_t threshold) {
    return (b.w[e] >> 8) >= threshold;
}

}  // namespace cmp
