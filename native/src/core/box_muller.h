// randn's Box-Muller transform in double, defined by its operations rather than by a math
// library: z0 = r cos(2 pi u2), z1 = r sin(2 pi u2), r = sqrt(-2 ln u1), with ln, sin and cos
// written out here in +, -, *, / and sqrt only. Those five are correctly rounded on every
// IEEE machine, so evaluated in the order written, with nothing contracted into a fused
// multiply-add, the results are the same bits on every CPU ISA (scalar or in vector lanes) and
// on a GPU: core/philox.h's randn layout is this function, not "whatever the C library's log
// returns" (libm differs between systems, versions and devices, and a vectorised log is not
// bit-identical to it).
//
// THE RULE FOR EVERY USER: no contraction. GCC contracts a * b + c into an FMA whenever the
// target has one (-mfma, arm64), which changes the rounding: host files that include this
// header compile with -ffp-contract=off (CMakeLists.txt sets it for cpu/kernels/random.cpp and
// tests/native/test_random.cpp). Device code calls the _rn intrinsics below, which nvcc never
// fuses. Random.RandnIsTheSameBitsOnEveryIsa checks the CPU variants against each other.
//
// Accuracy against long double, over all 2^24 float32 randn inputs and 2^24 float64 ones spread
// over every binade of u1: ln within 1.24 ulp, sin and cos within 1.63 ulp (a probe, 2026-12-06;
// Random.BoxMullerLogAndSinCosAreAccurate checks a subset against 1.25 and 1.75). Statistically
// nothing: float32 randn rounds these doubles to 24 bits.
#pragma once

#include "cpu/vec_inline.h"

#include <cstdint>
#if !defined(__CUDA_ARCH__)
#include <cmath>
#include <cstring>
#endif

// Forced inline on the host: the CPU kernel's loop over 16-32 pairs vectorises only with the
// whole body inlined (and a per-ISA kernel must not call another ISA's out-of-line copy).
#if defined(__CUDACC__)
#define CMP_BOX_MULLER_HD __host__ __device__ __forceinline__
#else
#define CMP_BOX_MULLER_HD CMP_VEC_INLINE
#endif

namespace cmp {
namespace box_muller_detail {

CMP_BOX_MULLER_HD uint64_t bits_of(double x) {
#if defined(__CUDA_ARCH__)
    return static_cast<uint64_t>(__double_as_longlong(x));
#else
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
#endif
}

CMP_BOX_MULLER_HD double from_bits(uint64_t b) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double(static_cast<long long>(b));
#else
    double x;
    std::memcpy(&x, &b, sizeof x);
    return x;
#endif
}

// The only floating operations used: each rounds once, to nearest even.
#if defined(__CUDA_ARCH__)
CMP_BOX_MULLER_HD double add(double a, double b) { return __dadd_rn(a, b); }
CMP_BOX_MULLER_HD double sub(double a, double b) { return __dsub_rn(a, b); }
CMP_BOX_MULLER_HD double mul(double a, double b) { return __dmul_rn(a, b); }
CMP_BOX_MULLER_HD double div(double a, double b) { return __ddiv_rn(a, b); }
CMP_BOX_MULLER_HD double sqrt_(double a) { return __dsqrt_rn(a); }
#else
CMP_BOX_MULLER_HD double add(double a, double b) { return a + b; }
CMP_BOX_MULLER_HD double sub(double a, double b) { return a - b; }
CMP_BOX_MULLER_HD double mul(double a, double b) { return a * b; }
CMP_BOX_MULLER_HD double div(double a, double b) { return a / b; }
CMP_BOX_MULLER_HD double sqrt_(double a) { return std::sqrt(a); }
#endif

// c[0] + y (c[1] + y (c[2] + ... + y c[N - 1])), innermost first.
template <int N>
CMP_BOX_MULLER_HD double horner(double y, const double (&c)[N]) {
    double p = c[N - 1];
    for (int k = N - 2; k >= 0; --k) p = add(mul(p, y), c[k]);
    return p;
}

}  // namespace box_muller_detail

// ln(u) for u in [2^-53, 1] (randn's u1; any positive normal double below 2^1023 works).
//  * u = 2^e * m with m in [sqrt(1/2), sqrt(2)), found on the bits: adding 2^52 * 1024 minus
//    sqrt(1/2)'s bits carries into the exponent field exactly when m would leave that range.
//    e reaches double through the 2^52 exponent (exact), not an int64 conversion (which only
//    AVX-512DQ has in lanes).
//  * ln(m) = ln(1 + f), f = m - 1 (exact, |f| < 0.42), as 2 atanh(s) with s = f / (2 + f),
//    |s| < 0.172: 2s + 2s(s^2/3 + s^4/5 + ...). Written as f - f^2/2 + s (f^2/2 + R) (the same
//    value, since 2s = f - s f) so the large part, f, is exact and only small terms round. R is
//    the atanh series to s^18: the next term is below 2^-56 of the result.
//  * e ln2 is added in two parts: ln2_hi has 40 significant bits, so e * ln2_hi is exact for
//    |e| < 2^13, and ln2_lo carries the rest.
CMP_BOX_MULLER_HD double box_muller_log(double u) {
    using namespace box_muller_detail;
    constexpr uint64_t kSqrtHalfBits = 0x3FE6A09E667F3BCDull;  // sqrt(1/2)
    constexpr uint64_t kBias = uint64_t(1024) << 52;
    constexpr uint64_t kTwo52Bits = 0x4330000000000000ull;
    constexpr double kTwo52Plus1024 = 4503599627370496.0 + 1024.0;
    constexpr double kLn2Hi = 0x1.62e42fefa2000p-1;
    constexpr double kLn2Lo = 0x1.9ef35793c7673p-41;
    const uint64_t ix = bits_of(u);
    const uint64_t eb = (ix + (kBias - kSqrtHalfBits)) >> 52;  // e + 1024
    const double m = from_bits(ix + kBias - (eb << 52));
    const double e = sub(from_bits(kTwo52Bits | eb), kTwo52Plus1024);
    const double f = sub(m, 1.0);
    const double hfsq = mul(mul(0.5, f), f);
    const double s = div(f, add(2.0, f));
    const double z = mul(s, s);
    // R = z (2/3 + 2/5 z + ... + 2/19 z^8).
    const double kAtanh[] = {0.6666666666666666,  0.4,                 0.2857142857142857,
                             0.2222222222222222,  0.18181818181818182, 0.15384615384615385,
                             0.13333333333333333, 0.11764705882352941, 0.10526315789473684};
    const double p = horner(z, kAtanh);
    const double r = mul(z, p);
    const double lo = add(mul(s, add(hfsq, r)), mul(e, kLn2Lo));
    return add(mul(e, kLn2Hi), add(sub(f, hfsq), lo));
}

struct SinCos {
    double sin, cos;
};

// sin and cos of 2 pi u for u in [0, 1) (randn's u2), reduced on u itself, exactly: t = 4u is
// exact, q = t rounded to the nearest integer (the 1.5 * 2^52 trick, whose low bits then hold q
// mod 4) and x = t - q in [-1/2, 1/2] are exact too, so 2 pi u = (pi / 2)(q + x) with no error
// at all. sin(pi x / 2) and cos(pi x / 2) are their Taylor series in x (|pi x / 2| <= pi / 4)
// to x^17 and x^16: the first terms left out are below 2^-60 of the results. The quadrant q
// then swaps and negates them (exact).
CMP_BOX_MULLER_HD SinCos box_muller_sincos(double u) {
    using namespace box_muller_detail;
    constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52
    const double t = mul(4.0, u);
    const double qt = add(t, kRound);
    const uint64_t q = bits_of(qt) & 3;
    const double x = sub(t, sub(qt, kRound));
    const double y = mul(x, x);
    // sin(pi x / 2) = x (S1 + S3 y + ... + S17 y^8), S(2k+1) = (-1)^k (pi/2)^(2k+1) / (2k+1)!
    const double kSin[] = {1.5707963267948966,    -0.6459640975062463,  0.07969262624616705,
                           -0.004681754135318688, 0.00016044118478735983, -3.598843235212085e-06,
                           5.692172921967927e-08,  -6.688035109811468e-10, 6.0669357311061955e-12};
    const double sin_x = mul(x, horner(y, kSin));
    // cos(pi x / 2) = 1 + y (C2 + C4 y + ... + C16 y^7), C(2k) = (-1)^k (pi/2)^(2k) / (2k)!
    const double kCos[] = {-1.2337005501361697,  0.25366950790104803,   -0.02086348076335296,
                           0.0009192602748394266, -2.5202042373060607e-05, 4.710874778818172e-07,
                           -6.386603083791852e-09, 6.565963114979473e-11};
    const double cos_x = add(1.0, mul(y, horner(y, kCos)));
    // Quadrant q: (sin, cos) of (pi / 2) q + a is (s, c), (c, -s), (-s, -c), (-c, s) for q = 0..3.
    const bool odd = (q & 1) != 0;
    const double s = odd ? cos_x : sin_x;
    const double c = odd ? sin_x : cos_x;
    return SinCos{(q & 2) != 0 ? -s : s, ((q + 1) & 2) != 0 ? -c : c};
}

struct NormalPair {
    double z0, z1;
};

// The pair of standard normals from u1 in (0, 1] and u2 in [0, 1): z0 = r cos(2 pi u2),
// z1 = r sin(2 pi u2), r = sqrt(-2 ln u1).
CMP_BOX_MULLER_HD NormalPair box_muller(double u1, double u2) {
    using namespace box_muller_detail;
    const double r = sqrt_(mul(-2.0, box_muller_log(u1)));
    const SinCos sc = box_muller_sincos(u2);
    return NormalPair{mul(r, sc.cos), mul(r, sc.sin)};
}

}  // namespace cmp

#undef CMP_BOX_MULLER_HD
