// rand, randn, randint and bernoulli: the Philox blocks drawn 16 at a time in vector lanes
// (cpu/philox_lanes.h), then turned into values exactly as core/philox.h's layout says (the
// same numbers as one scalar block at a time, bit for bit: tests/native/test_random.cpp,
// KernelsFollowTheLayout).
//
// Work is cut into groups of 256 blocks at fixed positions (group g holds blocks
// offset + 256g ..), so each element uses the block the layout gives it whichever thread draws
// it: the values do not depend on the thread count.
//
// randn's Box-Muller is core/box_muller.h: plain double arithmetic that GCC vectorises over a
// call's 16 or 32 pairs. This file compiles with -ffp-contract=off (CMakeLists.txt) so that
// every ISA variant rounds exactly as that header is written (Random.RandnIsTheSameBitsOnEveryIsa).
#include "core/box_muller.h"
#include "core/half.h"
#include "core/parallel.h"
#include "core/u64_divisor.h"
#include "cpu/loops.h"
#include "cpu/philox_lanes.h"
#include "cpu/random_stubs.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <type_traits>

namespace cmp::cpu {
namespace {

constexpr double kTwoPow24Inv = 1.0 / 16777216.0;  // 2^-24

// Blocks per group: 16 philox_lanes calls.
constexpr int64_t kGroupBlocks = 16 * kPhiloxLanes;
// Philox costs ~20 ns per block scalar, a few ns in lanes: 4096 blocks is worth a thread.
constexpr int64_t kGrainGroups = 4096 / kGroupBlocks;

// Elements per block: 2 for float64 (64-bit word pairs), 4 for the 32-bit and 16-bit floats.
template <typename T>
constexpr int kPerBlock = std::is_same_v<T, double> ? 2 : 4;

// A uniform in [0, 1) from one 32-bit word, with exactly the bits the type can hold.
template <typename T>
CMP_VEC_INLINE T uniform_from_word(uint32_t u) {
    if constexpr (std::is_same_v<T, Half>) return T(static_cast<float>(u >> 21) * (1.0f / 2048.0f));
    else if constexpr (std::is_same_v<T, BFloat16>) return T(static_cast<float>(u >> 24) * (1.0f / 256.0f));
    else return static_cast<float>(u >> 8) * static_cast<float>(kTwoPow24Inv);
}

// Word pair j of lane l as one 64-bit value (philox_u64's order: w[2j] low, w[2j + 1] high).
CMP_VEC_INLINE uint64_t lane_u64(const PhiloxLanes& r, int l, int j) {
    return static_cast<uint64_t>(r.w[2 * j][l]) | (static_cast<uint64_t>(r.w[2 * j + 1][l]) << 32);
}

// v * 2^-53 for v <= 2^53 without converting a 64-bit integer to double (only AVX-512DQ has that
// instruction; elsewhere GCC converts lane by lane): v as 27 + 26-bit pieces, each exact in
// double through the 2^52 exponent, scaled by powers of two; the sum is v * 2^-53 exactly (53
// bits), so the value is the conversion's, bit for bit.
CMP_VEC_INLINE double unit_from_53_bits(uint64_t v) {
    constexpr uint64_t kTwo52Bits = 0x4330000000000000ull;
    constexpr double kTwo52 = 4503599627370496.0;
    const double hi = std::bit_cast<double>(kTwo52Bits | (v >> 26)) - kTwo52;
    const double lo = std::bit_cast<double>(kTwo52Bits | (v & 0x3FFFFFFull)) - kTwo52;
    return hi * 0x1p-27 + lo * 0x1p-53;
}

// run[k], k < 16 * kPerBlock<T>: rand's element k of the 16 blocks.
template <typename T>
CMP_VEC_INLINE void uniform_run(const PhiloxLanes& r, T* run) {
    if constexpr (std::is_same_v<T, double>) {
        for (int l = 0; l < kPhiloxLanes; ++l)
            for (int j = 0; j < 2; ++j) run[2 * l + j] = unit_from_53_bits(lane_u64(r, l, j) >> 11);
    } else {
        for (int l = 0; l < kPhiloxLanes; ++l)
            for (int j = 0; j < 4; ++j) run[4 * l + j] = uniform_from_word<T>(r.w[j][l]);
    }
}

// run[k]: randn's element k of the 16 blocks. The call's pairs (16 for float64, 32 otherwise)
// are gathered into u1[] and u2[] first so that Box-Muller runs as one loop over all of them,
// in vector lanes.
template <typename T>
CMP_VEC_INLINE void normal_run(const PhiloxLanes& r, T* run) {
    constexpr int kPairsPerBlock = kPerBlock<T> / 2;
    constexpr int kPairs = kPairsPerBlock * kPhiloxLanes;
    // Pair p of lane l is entry p * 16 + l: lanes stay contiguous, as the words are.
    double u1[kPairs], u2[kPairs], z0[kPairs], z1[kPairs];
    if constexpr (std::is_same_v<T, double>) {
        for (int l = 0; l < kPhiloxLanes; ++l) {
            u1[l] = unit_from_53_bits((lane_u64(r, l, 0) >> 11) + 1);
            u2[l] = unit_from_53_bits(lane_u64(r, l, 1) >> 11);
        }
    } else {
        // 24-bit values: exact through int32, which converts in lanes on every ISA.
        auto unit = [](uint32_t v) { return static_cast<double>(static_cast<int32_t>(v)) * kTwoPow24Inv; };
        for (int p = 0; p < kPairsPerBlock; ++p) {
            for (int l = 0; l < kPhiloxLanes; ++l) {
                u1[p * kPhiloxLanes + l] = unit((r.w[2 * p][l] >> 8) + 1);
                u2[p * kPhiloxLanes + l] = unit(r.w[2 * p + 1][l] >> 8);
            }
        }
    }
    for (int k = 0; k < kPairs; ++k) {
        const NormalPair z = box_muller(u1[k], u2[k]);
        z0[k] = z.z0;
        z1[k] = z.z1;
    }
    for (int p = 0; p < kPairsPerBlock; ++p) {
        for (int l = 0; l < kPhiloxLanes; ++l) {
            T* out = run + kPerBlock<T> * l + 2 * p;
            if constexpr (std::is_same_v<T, double>) {
                out[0] = z0[l];
                out[1] = z1[l];
            } else {
                out[0] = T(static_cast<float>(z0[p * kPhiloxLanes + l]));
                out[1] = T(static_cast<float>(z1[p * kPhiloxLanes + l]));
            }
        }
    }
}

// Runs emit(r, first, skip, take) over the draw's elements 0 .. n - 1 (E per block), one
// philox_lanes call at a time: the call's elements skip .. skip + take - 1 are elements
// first .. first + take - 1. Groups in parallel.
template <int E, typename Emit>
void for_each_call(const RandomDraw& d, int64_t n, const Emit& emit) {
    constexpr int64_t kGroup = E * kGroupBlocks;  // elements per group
    const int64_t groups = (n + kGroup - 1) / kGroup;
    parallel_for(0, groups, kGrainGroups, [&](int64_t g0, int64_t g1) {
        for (int64_t g = g0; g < g1; ++g) {
            int64_t first = g * kGroup;
            for_each_lanes_run<E>(d.seed, d.offset, static_cast<uint64_t>(first), std::min(kGroup, n - first),
                                  [&](const PhiloxLanes& r, int64_t skip, int64_t take) {
                                      emit(r, first, skip, take);
                                      first += take;
                                  });
        }
    });
}

// out[0 .. n) from the draw's blocks, convert(r, run) giving a whole call's values.
template <typename T, typename Convert>
void fill_typed(const RandomDraw& d, int64_t n, T* out, const Convert& convert) {
    for_each_call<kPerBlock<T>>(d, n, [&](const PhiloxLanes& r, int64_t first, int64_t skip, int64_t take) {
        T run[kPerBlock<T> * kPhiloxLanes];
        convert(r, run);
        std::copy(run + skip, run + skip + take, out + first);
    });
}

void rand_kernel(DType dtype, const RandomDraw& d, int64_t n, void* out) {
    CMP_DISPATCH_FLOATING_TYPES(dtype, "rand", [&] {
        fill_typed(d, n, static_cast<scalar_t*>(out), [](const PhiloxLanes& r, scalar_t* run) { uniform_run(r, run); });
    });
}

void randn_kernel(DType dtype, const RandomDraw& d, int64_t n, void* out) {
    CMP_DISPATCH_FLOATING_TYPES(dtype, "randn", [&] {
        fill_typed(d, n, static_cast<scalar_t*>(out), [](const PhiloxLanes& r, scalar_t* run) { normal_run(r, run); });
    });
}

// out[0 .. n) = low + reduce(u64) in T, u64 as rand float64's (E = 2), reduce(u) = u mod range.
template <typename T, typename Reduce>
void randint_typed(const RandomDraw& d, int64_t n, int64_t low, T* out, const Reduce& reduce) {
    for_each_call<2>(d, n, [&](const PhiloxLanes& r, int64_t first, int64_t skip, int64_t take) {
        T* o = out + first;
        for (int64_t k = 0; k < take; ++k) {
            const auto e = static_cast<int>(skip + k);
            const auto v = static_cast<int64_t>(static_cast<uint64_t>(low) + reduce(lane_u64(r, e / 2, e % 2)));
            if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) o[k] = T(static_cast<float>(v));
            else o[k] = static_cast<T>(v);
        }
    });
}

void randint_kernel(DType dtype, const RandomDraw& d, int64_t n, int64_t low, uint64_t range, void* out) {
    CMP_DISPATCH_ALL_TYPES(dtype, "randint", [&] {
        auto* o = static_cast<scalar_t*>(out);
        // The remainder without a 64-bit `div` per element: a power-of-two range (randint(0, 2),
        // a byte...) keeps the low bits, any other range multiplies by its inverse (same values).
        if ((range & (range - 1)) == 0) randint_typed(d, n, low, o, [m = range - 1](uint64_t u) { return u & m; });
        else randint_typed(d, n, low, o, [div = U64Divisor(range)](uint64_t u) { return div.remainder(u); });
    });
}

// 1 or 0 in T (Half and BFloat16 through float).
template <typename T>
CMP_VEC_INLINE T one_if(bool b) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(b ? 1.0f : 0.0f);
    else return static_cast<T>(b ? 1 : 0);
}

// out[i] = 1 where rand's float64 u[i] < p (p[i] when p is not null, P float or double), else 0.
template <typename T, typename P>
void bernoulli_typed(const RandomDraw& d, int64_t n, const P* p, double p_all, T* out) {
    for_each_call<2>(d, n, [&](const PhiloxLanes& r, int64_t first, int64_t skip, int64_t take) {
        double u[2 * kPhiloxLanes];
        uniform_run(r, u);
        T* o = out + first;
        if (p) {
            const P* q = p + first;
            for (int64_t k = 0; k < take; ++k) o[k] = one_if<T>(u[skip + k] < static_cast<double>(q[k]));
        } else {
            for (int64_t k = 0; k < take; ++k) o[k] = one_if<T>(u[skip + k] < p_all);
        }
    });
}

void bernoulli_kernel(DType dtype, const RandomDraw& d, int64_t n, const void* p, DType p_dtype, double p_all,
                      void* out) {
    CMP_DISPATCH_ALL_TYPES(dtype, "bernoulli", [&] {
        auto* o = static_cast<scalar_t*>(out);
        if (p_dtype == CMP_DTYPE_FLOAT32) bernoulli_typed(d, n, static_cast<const float*>(p), p_all, o);
        else bernoulli_typed(d, n, static_cast<const double*>(p), p_all, o);
    });
}

}  // namespace

CMP_REGISTER_KERNEL(rand_stub, rand_kernel)
CMP_REGISTER_KERNEL(randn_stub, randn_kernel)
CMP_REGISTER_KERNEL(randint_stub, randint_kernel)
CMP_REGISTER_KERNEL(bernoulli_stub, bernoulli_kernel)

}  // namespace cmp::cpu
