// The Philox generator: the published known-answer vectors, the documented stream layout
// (core/philox.h, which the CUDA backend must reproduce), reproducibility across thread
// counts, state save/restore, randint bounds and errors, and distribution sanity with
// bounds derived from the sample size.
#include "abi_helpers.h"
#include "core/box_muller.h"
#include "core/half.h"
#include "core/philox.h"
#include "core/philox_values.h"
#include "cpu/dispatch_stub.h"
#include "cpu/random_stubs.h"

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace {

using cmp::PhiloxBlock;
using cmp::testing::Handle;
using cmp::testing::values_of;

// Random123's tests/kat_vectors, "philox4x32 10" lines: counter, key -> output.
TEST(Philox, KnownAnswerVectors) {
    struct Kat {
        PhiloxBlock ctr;
        uint32_t k0, k1;
        PhiloxBlock want;
    };
    const Kat kats[] = {
        {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}}},
        {{{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, 0xffffffffu, 0xffffffffu,
         {{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}}},
        {{{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, 0xa4093822u, 0x299f31d0u,
         {{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}}},
    };
    for (const Kat& k : kats) {
        const PhiloxBlock got = cmp::philox4x32_10(k.ctr, k.k0, k.k1);
        for (int i = 0; i < 4; ++i) EXPECT_EQ(got.w[i], k.want.w[i]) << "word " << i;
    }
}

const cmp_device kCpu{CMP_DEVICE_CPU, 0};

Handle make_random(const char* kind, const std::vector<int64_t>& sizes, cmp_dtype dtype, int64_t low = 0,
                   int64_t high = 0) {
    cmp_tensor out = nullptr;
    cmp_status s = CMP_STATUS_OK;
    const auto nd = static_cast<int64_t>(sizes.size());
    if (std::string(kind) == "rand") s = cmp_rand(sizes.data(), nd, dtype, kCpu, &out);
    else if (std::string(kind) == "randn") s = cmp_randn(sizes.data(), nd, dtype, kCpu, &out);
    else s = cmp_randint(low, high, sizes.data(), nd, dtype, kCpu, &out);
    EXPECT_EQ(s, CMP_STATUS_OK) << kind << ": " << cmp_last_error();
    return Handle(out);
}

std::vector<double> draw(const char* kind, int64_t n, cmp_dtype dtype, int64_t low = 0, int64_t high = 0) {
    Handle t = make_random(kind, {n}, dtype, low, high);
    return t ? values_of(t.get()) : std::vector<double>{};
}

// The layout documented in core/philox.h, recomputed here element by element.
TEST(Random, StreamLayoutIsAsDocumented) {
    const uint64_t seed = 0x0123456789abcdefull;
    const int64_t n = 4099;  // not a multiple of any block size
    ASSERT_EQ(cmp_manual_seed(seed), CMP_STATUS_OK);
    const std::vector<double> f32 = draw("rand", n, CMP_DTYPE_FLOAT32);
    const std::vector<double> f64 = draw("rand", n, CMP_DTYPE_FLOAT64);
    const std::vector<double> ri = draw("randint", n, CMP_DTYPE_INT64, -1000, 1000);
    const std::vector<double> nf = draw("randn", n, CMP_DTYPE_FLOAT64);
    uint64_t s = 0, offset = 0;
    ASSERT_EQ(cmp_rng_get_state(&s, &offset), CMP_STATUS_OK);
    EXPECT_EQ(s, seed);
    // ceil(n/4) + 3 * ceil(n/2) blocks
    const uint64_t b4 = (n + 3) / 4, b2 = (n + 1) / 2;
    EXPECT_EQ(offset, b4 + 3 * b2);
    for (int64_t i = 0; i < n; ++i) {
        const PhiloxBlock q = cmp::philox_block(seed, i / 4);
        ASSERT_EQ(f32[i], std::ldexp(static_cast<double>(q.w[i % 4] >> 8), -24)) << i;
        const PhiloxBlock d = cmp::philox_block(seed, b4 + i / 2);
        ASSERT_EQ(f64[i], std::ldexp(static_cast<double>(cmp::philox_u64(d, i % 2) >> 11), -53)) << i;
        const PhiloxBlock r = cmp::philox_block(seed, b4 + b2 + i / 2);
        ASSERT_EQ(ri[i], -1000.0 + static_cast<double>(cmp::philox_u64(r, i % 2) % 2000)) << i;
        const PhiloxBlock g = cmp::philox_block(seed, b4 + 2 * b2 + i / 2);
        const double u1 = std::ldexp(static_cast<double>((cmp::philox_u64(g, 0) >> 11) + 1), -53);
        const double u2 = std::ldexp(static_cast<double>(cmp::philox_u64(g, 1) >> 11), -53);
        const cmp::NormalPair z = cmp::box_muller(u1, u2);
        ASSERT_EQ(nf[i], i % 2 == 0 ? z.z0 : z.z1) << i;
    }
}

// rand's and randn's element i of a call starting at block `offset`, one scalar block at a time
// by core/philox_values.h (the CUDA kernels' definition), rounded to dtype and read back as
// double. StreamLayoutIsAsDocumented above checks the layout itself, written out by hand.
double layout_value(bool normal, cmp_dtype dtype, uint64_t seed, uint64_t offset, int64_t i) {
    const cmp::PhiloxFloat k = dtype == CMP_DTYPE_FLOAT64    ? cmp::PhiloxFloat::Float64
                               : dtype == CMP_DTYPE_FLOAT16  ? cmp::PhiloxFloat::Float16
                               : dtype == CMP_DTYPE_BFLOAT16 ? cmp::PhiloxFloat::BFloat16
                                                             : cmp::PhiloxFloat::Float32;
    const int per_block = cmp::philox_per_block(k);
    const PhiloxBlock b = cmp::philox_block(seed, offset + static_cast<uint64_t>(i / per_block));
    const int e = static_cast<int>(i % per_block);
    const double v = normal ? cmp::philox_randn(b, e, k) : cmp::philox_rand(b, e, k);
    if (dtype == CMP_DTYPE_FLOAT16) return static_cast<double>(static_cast<float>(cmp::Half(static_cast<float>(v))));
    if (dtype == CMP_DTYPE_BFLOAT16) return static_cast<double>(static_cast<float>(cmp::BFloat16(static_cast<float>(v))));
    return k == cmp::PhiloxFloat::Float64 ? v : static_cast<double>(static_cast<float>(v));
}

// The per-ISA kernels (16 blocks per call in vector lanes) against the scalar layout, bit for
// bit: every floating dtype, sizes ending mid-block, mid-call (64 or 32 elements) and
// mid-group (1024 or 512), start offsets that are not multiples of 16 and whose 16 blocks carry
// the counter's low word across 2^32 (the lane counters' slow path), and 1 and 4 threads.
TEST(Random, KernelsFollowTheLayout) {
    int32_t saved = 1;
    ASSERT_EQ(cmp_get_num_threads(&saved), CMP_STATUS_OK);
    const uint64_t seed = 0xfedcba9876543210ull;
    const uint64_t offsets[] = {0, 5, (uint64_t(1) << 32) - 7, (uint64_t(3) << 32) - 300};
    const int64_t sizes[] = {1, 3, 63, 65, 1027, 70001};
    for (int32_t threads : {1, 4}) {
        ASSERT_EQ(cmp_set_num_threads(threads), CMP_STATUS_OK);
        for (bool normal : {false, true}) {
            for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
                for (uint64_t offset : offsets) {
                    for (int64_t n : sizes) {
                        ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
                        const std::vector<double> got = draw(normal ? "randn" : "rand", n, dtype);
                        ASSERT_EQ(static_cast<int64_t>(got.size()), n);
                        for (int64_t i = 0; i < n; ++i) {
                            ASSERT_EQ(got[i], layout_value(normal, dtype, seed, offset, i))
                                << (normal ? "randn" : "rand") << " dtype " << dtype << " offset " << offset << " n "
                                << n << " element " << i << " threads " << threads;
                        }
                    }
                }
            }
        }
    }
    cmp_set_num_threads(saved);
}

// The ISA variants of randn compiled into this binary (every one this CPU runs), called
// directly, give the same bits as each other: core/box_muller.h is evaluated without
// contraction (an FMA in the avx2/avx512 builds would round differently from baseline).
// Every floating dtype, a size that ends mid-call, and a draw big enough to split into threads.
TEST(Random, RandnIsTheSameBitsOnEveryIsa) {
    const int top = cmp::cpu::selected_isa_level();
    if (top == 0) GTEST_SKIP() << "only the baseline variant runs on this CPU (or COMPUTE_CPU_ISA=baseline)";
    const cmp::cpu::RandomDraw draw{0x5eedull, (uint64_t(1) << 32) - 20};
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (int64_t n : {int64_t(77), int64_t(300001)}) {
            std::vector<unsigned char> want;
            for (int level = 0; level <= top; ++level) {
                const auto kernel = cmp::cpu::randn_stub.at(level);
                ASSERT_NE(kernel, nullptr) << "level " << level;
                const size_t bytes = static_cast<size_t>(n) * (dtype == CMP_DTYPE_FLOAT64 ? 8 : dtype == CMP_DTYPE_FLOAT32 ? 4 : 2);
                std::vector<unsigned char> got(bytes);
                kernel(static_cast<cmp::DType>(dtype), draw, n, got.data());
                if (level == 0) {
                    want = got;
                    continue;
                }
                for (size_t b = 0; b < bytes; ++b) {
                    ASSERT_EQ(got[b], want[b]) << cmp::cpu::isa_level_name(level) << " vs baseline, dtype " << dtype
                                               << " n " << n << " byte " << b;
                }
            }
        }
    }
}

// randint's kernel (16 blocks per call in lanes) against the layout, element by element: a
// power-of-two range (taken by masking), odd ranges (a 64-bit remainder), the full int64
// range, several dtypes, sizes ending mid-block, mid-call and mid-group, offsets whose blocks
// carry the counter's low word across 2^32, 1 and 4 threads.
TEST(Random, RandintKernelFollowsTheLayout) {
    int32_t saved = 1;
    ASSERT_EQ(cmp_get_num_threads(&saved), CMP_STATUS_OK);
    struct Case {
        cmp_dtype dtype;
        int64_t low, high;
    };
    const Case cases[] = {{CMP_DTYPE_INT64, -1000, 1000},          {CMP_DTYPE_INT64, 0, int64_t(1) << 40},
                          {CMP_DTYPE_INT64, INT64_MIN, INT64_MAX},  {CMP_DTYPE_INT32, -7, 9},
                          {CMP_DTYPE_UINT8, 0, 256},                {CMP_DTYPE_BOOL, 0, 2},
                          {CMP_DTYPE_FLOAT32, -5, 6},               {CMP_DTYPE_FLOAT16, -3, 3}};
    const uint64_t seed = 0x1234, offsets[] = {0, 7, (uint64_t(1) << 32) - 9};
    for (int32_t threads : {1, 4}) {
        ASSERT_EQ(cmp_set_num_threads(threads), CMP_STATUS_OK);
        for (const Case& c : cases) {
            const uint64_t range = static_cast<uint64_t>(c.high) - static_cast<uint64_t>(c.low);
            for (uint64_t offset : offsets) {
                for (int64_t n : {int64_t(1), int64_t(31), int64_t(33), int64_t(513), int64_t(20001)}) {
                    ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
                    const std::vector<double> got = draw("randint", n, c.dtype, c.low, c.high);
                    ASSERT_EQ(static_cast<int64_t>(got.size()), n);
                    for (int64_t i = 0; i < n; ++i) {
                        const PhiloxBlock b = cmp::philox_block(seed, offset + static_cast<uint64_t>(i / 2));
                        const int64_t v = cmp::philox_randint(b, static_cast<int>(i % 2), c.low, range);
                        ASSERT_EQ(got[i], static_cast<double>(v)) << "dtype " << c.dtype << " [" << c.low << ", " << c.high
                                                                  << ") offset " << offset << " n " << n << " element " << i
                                                                  << " threads " << threads;
                    }
                }
            }
        }
    }
    cmp_set_num_threads(saved);
}

// The error of core/box_muller.h's ln, sin and cos in ulps of the exact value (long double as
// the reference: 64 or more significant bits), over all 2^24 float32 randn inputs at a stride
// and float64 inputs spread over every binade u1 can take. The sin/cos reference is taken at
// (pi/2) x for the exactly reduced x (the reduction itself is exact by construction; a long
// double 2 pi u would be less accurate than the function near the zeros).
double ulps_from(double got, long double want) {
    int e = 0;
    std::frexp(static_cast<double>(want), &e);
    return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / std::ldexp(1.0L, e - 53));
}

TEST(Random, BoxMullerLogAndSinCosAreAccurate) {
    if (std::numeric_limits<long double>::digits < 64) GTEST_SKIP() << "long double is no wider than double here";
    constexpr long double kHalfPi = 1.57079632679489661923132169163975144L;
    double worst_log = 0, worst_sin = 0, worst_cos = 0;
    auto check = [&](double u1, double u2) {
        if (u1 != 1.0) worst_log = std::max(worst_log, ulps_from(cmp::box_muller_log(u1), std::log(static_cast<long double>(u1))));
        const long double t = 4.0L * u2, q = std::nearbyint(t), a = kHalfPi * (t - q);
        const long double s = std::sin(a), c = std::cos(a);
        const int quadrant = static_cast<int>(q) & 3;
        const long double want_sin = quadrant == 0 ? s : quadrant == 1 ? c : quadrant == 2 ? -s : -c;
        const long double want_cos = quadrant == 0 ? c : quadrant == 1 ? -s : quadrant == 2 ? -c : s;
        const cmp::SinCos got = cmp::box_muller_sincos(u2);
        if (want_sin != 0) worst_sin = std::max(worst_sin, ulps_from(got.sin, want_sin));
        if (want_cos != 0) worst_cos = std::max(worst_cos, ulps_from(got.cos, want_cos));
    };
    for (uint64_t k = 1; k <= (uint64_t(1) << 24); k += 61) check(std::ldexp(static_cast<double>(k), -24), std::ldexp(static_cast<double>(k - 1), -24));
    uint64_t x = 88172645463325252ull;  // xorshift64
    for (int i = 0; i < (1 << 18); ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const uint64_t v = (x >> 11) >> (i % 53);  // u1 down to 2^-53
        check(std::ldexp(static_cast<double>(v + 1), -53), std::ldexp(static_cast<double>((x * 0x27BB2EE687B0B0FDull) >> 11), -53));
    }
    EXPECT_LE(worst_log, 1.25);
    EXPECT_LE(worst_sin, 1.75);
    EXPECT_LE(worst_cos, 1.75);
    // The end points: ln 1 = 0, and the quadrant boundaries are exact.
    EXPECT_EQ(cmp::box_muller_log(1.0), 0.0);
    EXPECT_EQ(cmp::box_muller_sincos(0.0).cos, 1.0);
    EXPECT_EQ(cmp::box_muller_sincos(0.25).sin, 1.0);
    EXPECT_EQ(cmp::box_muller_sincos(0.5).cos, -1.0);
    EXPECT_EQ(cmp::box_muller_sincos(0.75).sin, -1.0);
}

// bernoulli's documented draw (ops/distributions.cpp): u = rand(shape, float64) from the same
// state, result 1 where u < p; scalar p and a tensor of p, several output dtypes, sizes ending
// mid-block and mid-call, an offset whose blocks cross 2^32, 1 and 4 threads.
TEST(Random, BernoulliIsRandFloat64BelowP) {
    using cmp::testing::tensor_from;
    int32_t saved = 1;
    ASSERT_EQ(cmp_get_num_threads(&saved), CMP_STATUS_OK);
    const uint64_t seed = 99, offsets[] = {3, (uint64_t(1) << 32) - 9};
    for (int32_t threads : {1, 4}) {
        ASSERT_EQ(cmp_set_num_threads(threads), CMP_STATUS_OK);
        for (int64_t n : {int64_t(1), int64_t(33), int64_t(70001)}) {
            std::vector<double> p(static_cast<size_t>(n));
            for (int64_t i = 0; i < n; ++i) p[i] = static_cast<double>((i * 37) % 101) / 100.0;
            for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_INT64, CMP_DTYPE_BOOL}) {
                for (uint64_t offset : offsets) {
                    ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
                    const std::vector<double> u = draw("rand", n, CMP_DTYPE_FLOAT64);
                    // A tensor of p (floating dtypes only), then a scalar p, from the same state.
                    std::vector<double> want = p;
                    if (dtype == CMP_DTYPE_FLOAT32 || dtype == CMP_DTYPE_FLOAT64) {
                        Handle probs = tensor_from(p, {n}, dtype);
                        const std::vector<double> pv = values_of(probs.get());
                        ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
                        cmp_tensor raw = nullptr;
                        ASSERT_EQ(cmp_bernoulli(probs.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
                        Handle got(raw);
                        const std::vector<double> v = values_of(got.get());
                        for (int64_t i = 0; i < n; ++i) ASSERT_EQ(v[i], u[i] < pv[i] ? 1.0 : 0.0) << "tensor p, element " << i;
                    }
                    Handle like = tensor_from(std::vector<double>(static_cast<size_t>(n), 0.0), {n}, dtype);
                    ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
                    cmp_tensor raw = nullptr;
                    ASSERT_EQ(cmp_bernoulli_scalar(like.get(), 0.3, &raw), CMP_STATUS_OK) << cmp_last_error();
                    Handle got(raw);
                    const std::vector<double> v = values_of(got.get());
                    for (int64_t i = 0; i < n; ++i)
                        ASSERT_EQ(v[i], u[i] < 0.3 ? 1.0 : 0.0) << "scalar p, dtype " << dtype << " element " << i;
                }
            }
        }
    }
    cmp_set_num_threads(saved);
}

// Every dtype, every generator: the same numbers with 1 and 4 threads (sizes large enough to
// be split across the pool).
TEST(Random, SameNumbersForAnyThreadCount) {
    int32_t saved = 1;
    ASSERT_EQ(cmp_get_num_threads(&saved), CMP_STATUS_OK);
    const int64_t n = 200003;
    for (const char* kind : {"rand", "randn", "randint"}) {
        for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16, CMP_DTYPE_INT32}) {
            if (dtype == CMP_DTYPE_INT32 && std::string(kind) != "randint") continue;
            std::vector<double> runs[2];
            const int32_t threads[2] = {1, 4};
            for (int r = 0; r < 2; ++r) {
                ASSERT_EQ(cmp_set_num_threads(threads[r]), CMP_STATUS_OK);
                ASSERT_EQ(cmp_manual_seed(2024), CMP_STATUS_OK);
                runs[r] = draw(kind, n, dtype, -50, 100);
            }
            EXPECT_EQ(runs[0], runs[1]) << kind << " dtype " << dtype;
        }
    }
    cmp_set_num_threads(saved);
}

TEST(Random, SeedsAndCallsGiveDifferentNumbers) {
    cmp_manual_seed(1);
    const std::vector<double> a = draw("rand", 1000, CMP_DTYPE_FLOAT32);
    const std::vector<double> b = draw("rand", 1000, CMP_DTYPE_FLOAT32);  // the offset moved on
    cmp_manual_seed(2);
    const std::vector<double> c = draw("rand", 1000, CMP_DTYPE_FLOAT32);
    cmp_manual_seed(1);
    const std::vector<double> a2 = draw("rand", 1000, CMP_DTYPE_FLOAT32);
    EXPECT_EQ(a, a2);
    // Equal elements by chance: 1000 pairs at 2^-24 each.
    auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
        int count = 0;
        for (size_t i = 0; i < x.size(); ++i) count += x[i] == y[i];
        return count;
    };
    EXPECT_LE(same(a, b), 2);
    EXPECT_LE(same(a, c), 2);
}

TEST(Random, StateSaveRestoreReproduces) {
    cmp_manual_seed(77);
    draw("randn", 10, CMP_DTYPE_FLOAT32);
    uint64_t seed = 0, offset = 0;
    ASSERT_EQ(cmp_rng_get_state(&seed, &offset), CMP_STATUS_OK);
    const std::vector<double> first = draw("randn", 513, CMP_DTYPE_FLOAT64);
    const std::vector<double> first_int = draw("randint", 77, CMP_DTYPE_INT16, -5, 5);
    draw("rand", 1000, CMP_DTYPE_FLOAT32);
    ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
    EXPECT_EQ(draw("randn", 513, CMP_DTYPE_FLOAT64), first);
    EXPECT_EQ(draw("randint", 77, CMP_DTYPE_INT16, -5, 5), first_int);
}

double mean_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

double variance_of(const std::vector<double>& v, double mean) {
    double s = 0;
    for (double x : v) s += (x - mean) * (x - mean);
    return s / static_cast<double>(v.size() - 1);
}

// Sample mean and variance within 6 standard errors of the true values (a false alarm has
// probability ~2e-9 per check): SE(mean) = sigma / sqrt(n); SE(variance) = sqrt((mu4 -
// sigma^4) / n) with mu4 the fourth central moment (1/80 for U(0,1), 3 for N(0,1)).
TEST(Random, UniformMomentsAndRange) {
    cmp_manual_seed(12345);
    const int64_t n = 1 << 20;
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        const std::vector<double> v = draw("rand", n, dtype);
        ASSERT_EQ(static_cast<int64_t>(v.size()), n);
        EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
        EXPECT_LT(*std::max_element(v.begin(), v.end()), 1.0) << "dtype " << dtype << " reached 1.0";
        // bfloat16 has 256 levels (step 1/256) whose mean is 0.5 - 1/512 and variance
        // (1 - 1/256^2) / 12; float16 has 2048 levels. Use the exact moments of the grid.
        const double levels = dtype == CMP_DTYPE_BFLOAT16 ? 256 : dtype == CMP_DTYPE_FLOAT16 ? 2048 : 16777216;
        const double true_mean = 0.5 - 0.5 / levels;
        const double true_var = (1 - 1 / (levels * levels)) / 12;
        const double m = mean_of(v);
        EXPECT_NEAR(m, true_mean, 6 * std::sqrt(true_var / n)) << "dtype " << dtype;
        EXPECT_NEAR(variance_of(v, m), true_var, 6 * std::sqrt((1.0 / 80 - 1.0 / 144) / n)) << "dtype " << dtype;
        // Chi-square over 16 equal bins, 15 degrees of freedom: P(X > 60) ~ 1e-7.
        std::vector<double> bins(16, 0);
        for (double x : v) bins[static_cast<size_t>(x * 16)] += 1;
        double chi2 = 0;
        for (double c : bins) chi2 += (c - n / 16.0) * (c - n / 16.0) / (n / 16.0);
        EXPECT_LT(chi2, 60.0) << "dtype " << dtype;
    }
}

TEST(Random, NormalMoments) {
    cmp_manual_seed(54321);
    const int64_t n = 1 << 20;
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        const std::vector<double> v = draw("randn", n, dtype);
        const double m = mean_of(v);
        EXPECT_NEAR(m, 0.0, 6 / std::sqrt(static_cast<double>(n))) << "dtype " << dtype;
        EXPECT_NEAR(variance_of(v, m), 1.0, 6 * std::sqrt(2.0 / n)) << "dtype " << dtype;
        // P(|z| > 1.96) = 0.05: binomial count within 6 standard deviations.
        double tails = 0;
        for (double x : v) tails += std::abs(x) > 1.959963984540054;
        EXPECT_NEAR(tails / n, 0.05, 6 * std::sqrt(0.05 * 0.95 / n)) << "dtype " << dtype;
    }
}

TEST(Random, RandintStaysInBoundsAndCoversTheRange) {
    cmp_manual_seed(9);
    struct Case {
        cmp_dtype dtype;
        int64_t low, high;
    };
    const Case cases[] = {
        {CMP_DTYPE_INT64, -3, 4},   {CMP_DTYPE_INT32, 10, 17},  {CMP_DTYPE_INT16, -7, 0},
        {CMP_DTYPE_INT8, -128, 128}, {CMP_DTYPE_UINT8, 0, 256}, {CMP_DTYPE_BOOL, 0, 2},
        {CMP_DTYPE_FLOAT32, -5, 5}, {CMP_DTYPE_FLOAT64, 0, 3},  {CMP_DTYPE_FLOAT16, -2048, 2049},
        {CMP_DTYPE_BFLOAT16, 0, 257},
    };
    for (const Case& c : cases) {
        const std::vector<double> v = draw("randint", 20000, c.dtype, c.low, c.high);
        std::set<double> seen(v.begin(), v.end());
        for (double x : v) {
            ASSERT_GE(x, static_cast<double>(c.low)) << "dtype " << c.dtype;
            ASSERT_LT(x, static_cast<double>(c.high)) << "dtype " << c.dtype;
            ASSERT_EQ(x, std::floor(x));
        }
        // Every value of ranges up to 256 appears in 20000 draws (miss probability < 1e-30).
        if (c.high - c.low <= 256 && c.dtype != CMP_DTYPE_FLOAT16) {
            EXPECT_EQ(static_cast<int64_t>(seen.size()), c.high - c.low) << "dtype " << c.dtype;
        }
    }
    // The full int64 range works (range computed without overflow).
    Handle t = make_random("randint", {1000}, CMP_DTYPE_INT64, INT64_MIN, INT64_MAX);
    ASSERT_TRUE(t);
}

TEST(Random, BadArgumentsAreErrors) {
    const int64_t sizes[] = {3};
    cmp_tensor out = nullptr;
    auto expect_error = [&](cmp_status s, const char* needle) {
        EXPECT_EQ(s, CMP_STATUS_INVALID_ARGUMENT) << cmp_last_error();
        EXPECT_NE(std::string(cmp_last_error()).find(needle), std::string::npos) << cmp_last_error();
        EXPECT_EQ(out, nullptr);
    };
    expect_error(cmp_randint(5, 5, sizes, 1, CMP_DTYPE_INT64, kCpu, &out), "randint: expected low < high");
    expect_error(cmp_randint(0, 300, sizes, 1, CMP_DTYPE_UINT8, kCpu, &out), "high - 1 = 299 is out of bounds [0, 255] for uint8");
    expect_error(cmp_randint(-1, 3, sizes, 1, CMP_DTYPE_UINT8, kCpu, &out), "low=-1 is out of bounds");
    expect_error(cmp_randint(0, 3, sizes, 1, CMP_DTYPE_BOOL, kCpu, &out), "for bool");
    expect_error(cmp_randint(0, (1 << 24) + 2, sizes, 1, CMP_DTYPE_FLOAT32, kCpu, &out), "for float32");
    expect_error(cmp_randint(0, 2050, sizes, 1, CMP_DTYPE_FLOAT16, kCpu, &out), "for float16");
    EXPECT_EQ(cmp_rand(sizes, 1, CMP_DTYPE_INT64, kCpu, &out), CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(std::string(cmp_last_error()).find("rand"), std::string::npos);
    EXPECT_EQ(cmp_randn(sizes, 1, CMP_DTYPE_BOOL, kCpu, &out), CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_EQ(out, nullptr);
}

}  // namespace
