// Philox4x32-10 for 16 consecutive blocks at once, one block per vector lane: the words are
// those of core/philox.h's philox_block, bit for bit (tests/native/test_nn_norm_dropout.cpp,
// MaskFollowsThePhiloxLayout, checks the dropout mask against the scalar generator at each ISA),
// only computed 16 blocks at a time.
//
// A round needs the high and low halves of two 32 x 32 -> 64-bit products per block. Written as
// plain loops, GCC vectorises them with 64-bit multiplies of zero-extended lanes and the packing
// around them: 3.5x faster than scalar Philox at AVX-512 but only 1.3x at AVX2. AVX2 and AVX-512
// instead take the high halves from the unsigned even-lane multiply (vpmuludq) of the even and
// the shifted odd lanes, and the low halves from the 32-bit multiply: a further 1.5-2.6x
// (AVX-512) and 2.2-3.6x (AVX2) (16 blocks per call, standalone, AMD EPYC build machine under
// load). Other ISAs run philox_block lane by lane.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/philox_lanes.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "core/philox.h"
#include "cpu/vec_inline.h"

#include <cstdint>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#define CMP_PHILOX_LANES_SIMD 1
#endif

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

constexpr int kPhiloxLanes = 16;

// Structure of arrays: w[j][l] is word j of block first + l.
struct PhiloxLanes {
    uint32_t w[4][kPhiloxLanes];
};

#if defined(CMP_PHILOX_LANES_SIMD)
namespace philox_simd {
#if defined(__AVX512F__)
using Reg = __m512i;
CMP_VEC_INLINE Reg load(const uint32_t* p) { return _mm512_loadu_si512(p); }
CMP_VEC_INLINE void store(uint32_t* p, Reg v) { _mm512_storeu_si512(p, v); }
CMP_VEC_INLINE Reg set1(uint32_t v) { return _mm512_set1_epi32(static_cast<int>(v)); }
// The zero-masked forms with every lane on (the same instructions): GCC 12 warns that the
// unmasked intrinsics' _mm512_undefined_epi32 is used uninitialised.
CMP_VEC_INLINE Reg mul_even(Reg a, Reg b) { return _mm512_maskz_mul_epu32(0xFF, a, b); }
CMP_VEC_INLINE Reg shift_down(Reg a) { return _mm512_maskz_srli_epi64(0xFF, a, 32); }
CMP_VEC_INLINE Reg odd_from(Reg even, Reg odd) { return _mm512_mask_blend_epi32(0xAAAA, even, odd); }
CMP_VEC_INLINE Reg mul_low(Reg a, Reg b) { return _mm512_mullo_epi32(a, b); }
CMP_VEC_INLINE Reg xor3(Reg a, Reg b, Reg c) { return _mm512_xor_si512(_mm512_xor_si512(a, b), c); }
CMP_VEC_INLINE Reg add(Reg a, Reg b) { return _mm512_add_epi32(a, b); }
#else
using Reg = __m256i;
CMP_VEC_INLINE Reg load(const uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
CMP_VEC_INLINE void store(uint32_t* p, Reg v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
CMP_VEC_INLINE Reg set1(uint32_t v) { return _mm256_set1_epi32(static_cast<int>(v)); }
CMP_VEC_INLINE Reg mul_even(Reg a, Reg b) { return _mm256_mul_epu32(a, b); }
CMP_VEC_INLINE Reg shift_down(Reg a) { return _mm256_srli_epi64(a, 32); }
CMP_VEC_INLINE Reg odd_from(Reg even, Reg odd) { return _mm256_blend_epi32(even, odd, 0xAA); }
CMP_VEC_INLINE Reg mul_low(Reg a, Reg b) { return _mm256_mullo_epi32(a, b); }
CMP_VEC_INLINE Reg xor3(Reg a, Reg b, Reg c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
CMP_VEC_INLINE Reg add(Reg a, Reg b) { return _mm256_add_epi32(a, b); }
#endif
constexpr int kWidth = static_cast<int>(sizeof(Reg) / sizeof(uint32_t));
constexpr int kRegs = kPhiloxLanes / kWidth;
alignas(64) constexpr uint32_t kLaneIndex[kPhiloxLanes] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// High 32 bits of a * m in every lane: the even lanes' 64-bit products have them in their upper
// halves (shifted down into place); the odd lanes', computed from a shifted down, have them in
// place already.
CMP_VEC_INLINE Reg mul_high(Reg a, Reg m) { return odd_from(shift_down(mul_even(a, m)), mul_even(shift_down(a), m)); }
}  // namespace philox_simd
#endif

// Blocks first .. first + 15 of the stream of `seed` (counter (uint32(block),
// uint32(block >> 32), 0, 0), key (uint32(seed), uint32(seed >> 32)): core/philox.h's layout).
CMP_VEC_INLINE PhiloxLanes philox_lanes(uint64_t seed, uint64_t first) {
    PhiloxLanes r;
#if defined(CMP_PHILOX_LANES_SIMD)
    using namespace philox_simd;
    Reg c[4][kRegs];
    const auto lo = static_cast<uint32_t>(first), hi = static_cast<uint32_t>(first >> 32);
    if (lo <= UINT32_MAX - (kPhiloxLanes - 1)) {
        // Counters built in registers: written lane by lane to memory and loaded whole, they
        // stalled store forwarding (~20% of the dropout kernel's time under perf).
        for (int v = 0; v < kRegs; ++v) {
            c[0][v] = add(set1(lo), load(kLaneIndex + v * kWidth));
            c[1][v] = set1(hi);
        }
    } else {
        // The low word wraps inside these 16 blocks (once in 2^28 calls): through memory.
        for (int l = 0; l < kPhiloxLanes; ++l) {
            const uint64_t block = first + static_cast<uint64_t>(l);
            r.w[0][l] = static_cast<uint32_t>(block);
            r.w[1][l] = static_cast<uint32_t>(block >> 32);
        }
        for (int v = 0; v < kRegs; ++v) {
            c[0][v] = load(r.w[0] + v * kWidth);
            c[1][v] = load(r.w[1] + v * kWidth);
        }
    }
    for (int v = 0; v < kRegs; ++v) c[2][v] = c[3][v] = set1(0);
    const Reg m0 = set1(philox_detail::kM0), m1 = set1(philox_detail::kM1);
    auto k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += philox_detail::kW0;
            k1 += philox_detail::kW1;
        }
        const Reg key0 = set1(k0), key1 = set1(k1);
        for (int v = 0; v < kRegs; ++v) {
            const Reg hi0 = mul_high(c[0][v], m0), lo0 = mul_low(c[0][v], m0);
            const Reg hi1 = mul_high(c[2][v], m1), lo1 = mul_low(c[2][v], m1);
            c[0][v] = xor3(hi1, c[1][v], key0);
            c[1][v] = lo1;
            c[2][v] = xor3(hi0, c[3][v], key1);
            c[3][v] = lo0;
        }
    }
    for (int j = 0; j < 4; ++j)
        for (int v = 0; v < kRegs; ++v) store(r.w[j] + v * kWidth, c[j][v]);
#else
    for (int l = 0; l < kPhiloxLanes; ++l) {
        const PhiloxBlock b = philox_block(seed, first + static_cast<uint64_t>(l));
        for (int j = 0; j < 4; ++j) r.w[j][l] = b.w[j];
    }
#endif
    return r;
}

// Walks items first .. first + n - 1 of a stream with E items per block (item i in block
// offset + i / E) one philox_lanes call at a time: emit(r, skip, take) gets the 16 blocks and
// the items it wants from them, items skip .. skip + take - 1 of the call's 16 * E (item k is
// in lane k / E). Every item is computed from its own block, so any split of the items among
// threads gives the same values.
template <int E, typename Emit>
CMP_VEC_INLINE void for_each_lanes_run(uint64_t seed, uint64_t offset, uint64_t first, int64_t n, const Emit& emit) {
    constexpr int64_t kRun = E * kPhiloxLanes;
    uint64_t block = first / E;
    auto skip = static_cast<int64_t>(first % E);
    while (n > 0) {
        const PhiloxLanes r = philox_lanes(seed, offset + block);
        const int64_t take = n < kRun - skip ? n : kRun - skip;
        emit(r, skip, take);
        n -= take;
        skip = 0;
        block += kPhiloxLanes;
    }
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu

#undef CMP_PHILOX_LANES_SIMD
