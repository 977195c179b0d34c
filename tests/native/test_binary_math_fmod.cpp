// float32 and float64 fmod, remainder and floor division run a vectorised fmod (cpu/vec_fmod.h)
// on blocks where it is exact and std::fmod elsewhere (float64 only on ISAs with an FMA; at
// COMPUTE_CPU_ISA=baseline it is std::fmod throughout, and these tests check that too). Their
// definition stays the scalar std::fmod formula, so the results must equal it bit for bit:
// random pairs over a wide exponent range (exact multiples, zero remainders of both signs,
// quotients up to just under the bound, 2^28 for float and 2^52 for double, blocks that take
// the vector path whole), quotients within an ulp of an integer (where the computed quotient
// rounds onto the next integer and the vector fmod must correct its remainder), and blocks
// sprinkled with the pairs it must not take (b = ±0, ±inf, NaN, quotients at the bound and
// far beyond). Run at every COMPUTE_CPU_ISA level.
#include "abi_helpers.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace cmp::reference {
namespace {

// The scalar definitions (native/src/cpu/kernels/binary_math.cpp), here with std::fmod only.
template <typename F>
F ref_fmod(F a, F b) { return std::fmod(a, b); }

template <typename F>
F ref_remainder(F a, F b) {
    F mod = std::fmod(a, b);
    if (mod != F(0) && ((b < F(0)) != (mod < F(0)))) mod += b;
    return mod;
}

template <typename F>
F ref_div_floor(F a, F b) {
    if (b == F(0)) return a / b;
    const F mod = std::fmod(a, b);
    F div = (a - mod) / b;
    if (mod != F(0) && ((b < F(0)) != (mod < F(0)))) div -= F(1);
    if (div == F(0)) return std::copysign(F(0), a / b);
    F fl = std::floor(div);
    if (div - fl > F(0.5)) fl += F(1);
    return fl;
}

using cmp::testing::Handle;

template <typename F>
constexpr cmp_dtype dtype_of_v = sizeof(F) == 4 ? CMP_DTYPE_FLOAT32 : CMP_DTYPE_FLOAT64;

// Tensors through the shared ABI helpers (float -> double -> float is exact, NaN and -0
// included).
template <typename F>
Handle from_values(const std::vector<F>& values) {
    return cmp::testing::tensor_from({values.begin(), values.end()}, {static_cast<int64_t>(values.size())},
                                     dtype_of_v<F>);
}

template <typename F>
std::vector<F> values(cmp_tensor t) {
    const std::vector<double> v = cmp::testing::values_of(t);
    return {v.begin(), v.end()};
}

template <typename F>
auto bits(F x) {
    std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t> u;
    std::memcpy(&u, &x, sizeof(F));
    return u;
}

template <typename F>
struct Pairs {
    std::vector<F> a, b;
};

// The ranges per type: b's exponent, and the quotient bound of the vector path (vec_fmod.h).
template <typename F>
struct Range;
template <>
struct Range<float> {
    static constexpr int min_exp = -60, max_exp = 60, bound_exp = 28;
};
template <>
struct Range<double> {
    // b down into the subnormals (2^-1070 keeps a few mantissa bits), up to where b * 2^52
    // stays finite.
    static constexpr int min_exp = -1070, max_exp = 960, bound_exp = 52;
};

// Good pairs: b of any sign and exponent in Range, a = b * q with |q| in [2^-30, 2^(bound -
// 0.1)], a quarter of them exact integer multiples (zero remainders, -0 for negative a).
template <typename F>
Pairs<F> good_pairs(std::mt19937& rng, size_t n) {
    std::uniform_real_distribution<F> mant(F(1), F(2));
    std::uniform_int_distribution<int> bexp(Range<F>::min_exp, Range<F>::max_exp);
    std::uniform_real_distribution<double> qexp(-30.0, Range<F>::bound_exp - 0.1);
    std::uniform_int_distribution<int> coin(0, 3);
    std::uniform_int_distribution<int32_t> small(-1000, 1000);
    Pairs<F> p;
    for (size_t i = 0; i < n; ++i) {
        const F sign = coin(rng) & 1 ? F(-1) : F(1);
        const F b = sign * std::ldexp(mant(rng), bexp(rng));
        double q = std::exp2(qexp(rng)) * (coin(rng) & 1 ? -1.0 : 1.0);
        if (coin(rng) == 0) q = coin(rng) == 0 ? std::trunc(q) : static_cast<double>(small(rng));
        p.a.push_back(static_cast<F>(static_cast<double>(b) * q));  // double * double rounds once
        p.b.push_back(b);
    }
    return p;
}

// Quotients within an ulp or two of an integer m: a = m * b rounded, then moved a few ulps
// either way, m of every size up to the bound. Here a / b often rounds onto m from below, the
// case where the vector fmod's first remainder overshoots and must be corrected; b with few
// mantissa bits makes m * b exact, so the unmoved a gives zero remainders of both signs.
template <typename F>
Pairs<F> near_integer_pairs(std::mt19937& rng, size_t n) {
    std::uniform_real_distribution<F> mant(F(1), F(2));
    std::uniform_int_distribution<int> bexp(Range<F>::min_exp + 60, Range<F>::max_exp);
    std::uniform_real_distribution<double> mexp(0.0, Range<F>::bound_exp - 0.01);
    std::uniform_int_distribution<int> coin(0, 3);
    std::uniform_int_distribution<int> steps(-2, 2);
    std::uniform_int_distribution<int> odd(0, 1 << 10);
    Pairs<F> p;
    for (size_t i = 0; i < n; ++i) {
        F b = std::ldexp(coin(rng) == 0 ? F(2 * odd(rng) + 1) : mant(rng), bexp(rng));
        if (coin(rng) & 1) b = -b;
        const F m = static_cast<F>(std::trunc(std::exp2(mexp(rng))));
        F a = static_cast<F>(static_cast<double>(m) * static_cast<double>(b));
        if (coin(rng) & 1) a = -a;
        const int k = steps(rng);
        for (int s = 0; s < (k < 0 ? -k : k); ++s)
            a = std::nextafter(a, k < 0 ? -std::numeric_limits<F>::infinity() : std::numeric_limits<F>::infinity());
        p.a.push_back(a);
        p.b.push_back(b);
    }
    return p;
}

// The pairs the vector path must leave to std::fmod.
template <typename F>
void sprinkle_specials(std::mt19937& rng, Pairs<F>& p, size_t every) {
    const F inf = std::numeric_limits<F>::infinity();
    const F nan = std::numeric_limits<F>::quiet_NaN();
    const F bound = std::ldexp(F(1), Range<F>::bound_exp);
    const F specials_b[] = {F(0), -F(0), inf, -inf, nan, F(1e-30), F(-3), F(0.1), std::numeric_limits<F>::denorm_min()};
    const F specials_a[] = {F(5.5), -F(5.5), inf, -inf, nan, F(1e30), F(3.0e9), -bound, bound * F(0.1), F(0), -F(0),
                            std::numeric_limits<F>::max(), -std::numeric_limits<F>::denorm_min()};
    std::uniform_int_distribution<size_t> pick_b(0, std::size(specials_b) - 1);
    std::uniform_int_distribution<size_t> pick_a(0, std::size(specials_a) - 1);
    for (size_t i = 0; i < p.a.size(); i += every) {
        const size_t j = (i * 7) % 3;
        if (j == 0) p.b[i] = specials_b[pick_b(rng)];
        if (j != 2) p.a[i] = specials_a[pick_a(rng)];
        else p.a[i] = p.b[i] * bound;  // quotient exactly at the bound
    }
}

template <typename F>
using Ref = F (*)(F, F);
using Op = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);
using OpInPlace = cmp_status (*)(cmp_tensor, cmp_tensor);

template <typename F>
void expect_matches(const Pairs<F>& p, Op op, OpInPlace op_, Ref<F> ref, const char* name) {
    Handle a = from_values(p.a);
    Handle b = from_values(p.b);
    cmp_tensor raw = nullptr;
    ASSERT_EQ(op(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    const std::vector<F> out = values<F>(Handle(raw).get());
    ASSERT_EQ(op_(a.get(), b.get()), CMP_STATUS_OK) << cmp_last_error();  // out aliases a
    const std::vector<F> in_place = values<F>(a.get());
    int64_t mismatches = 0;
    for (size_t i = 0; i < p.a.size(); ++i) {
        const F want = ref(p.a[i], p.b[i]);
        if (bits(out[i]) != bits(want) || bits(in_place[i]) != bits(want)) {
            if (++mismatches <= 10)
                ADD_FAILURE() << name << "(" << std::hexfloat << p.a[i] << ", " << p.b[i] << ") = " << out[i]
                              << " (in place " << in_place[i] << "), scalar formula " << want;
        }
    }
    EXPECT_EQ(mismatches, 0) << name << (sizeof(F) == 4 ? " float32" : " float64");
}

template <typename F>
void check_all(const Pairs<F>& p) {
    expect_matches<F>(p, cmp_fmod, cmp_fmod_, ref_fmod<F>, "fmod");
    expect_matches<F>(p, cmp_remainder, cmp_remainder_, ref_remainder<F>, "remainder");
    expect_matches<F>(p, cmp_floor_divide, cmp_floor_divide_, ref_div_floor<F>, "floor_divide");
}

template <typename F>
void vector_path_matches(uint32_t seed) {
    std::mt19937 rng(seed);
    check_all(good_pairs<F>(rng, 1 << 16));
    check_all(near_integer_pairs<F>(rng, 1 << 16));
}

template <typename F>
void blocks_with_special_pairs_match(uint32_t seed) {
    std::mt19937 rng(seed);
    Pairs<F> p = good_pairs<F>(rng, 1 << 14);
    sprinkle_specials(rng, p, 997);  // most blocks still take the vector path, some do not
    check_all(p);
    Pairs<F> dense = good_pairs<F>(rng, 4096);
    sprinkle_specials(rng, dense, 3);
    check_all(dense);
}

// A broadcast divisor (stride 0) goes through the same block check.
template <typename F>
void broadcast_divisor_matches(uint32_t seed, std::initializer_list<F> divisors) {
    std::mt19937 rng(seed);
    const Pairs<F> p = good_pairs<F>(rng, 3000);
    for (const F d : divisors) {
        Handle a = from_values(p.a);
        Handle b = from_values(std::vector<F>{d});
        cmp_tensor raw = nullptr;
        ASSERT_EQ(cmp_remainder(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
        const std::vector<F> out = values<F>(Handle(raw).get());
        for (size_t i = 0; i < p.a.size(); ++i)
            ASSERT_EQ(bits(out[i]), bits(ref_remainder(p.a[i], d))) << std::hexfloat << p.a[i] << " % " << d;
    }
}

TEST(BinaryMathFmod, Float32VectorPathMatchesScalarFormula) { vector_path_matches<float>(20261205); }
TEST(BinaryMathFmod, Float64VectorPathMatchesScalarFormula) { vector_path_matches<double>(20261206); }

TEST(BinaryMathFmod, Float32BlocksWithSpecialPairsMatchScalarFormula) { blocks_with_special_pairs_match<float>(7); }
TEST(BinaryMathFmod, Float64BlocksWithSpecialPairsMatchScalarFormula) { blocks_with_special_pairs_match<double>(8); }

TEST(BinaryMathFmod, Float32BroadcastDivisorMatchesScalarFormula) {
    broadcast_divisor_matches<float>(11, {0.1f, -7.25f, 3.0e-20f, 0.0f, std::numeric_limits<float>::infinity()});
}
TEST(BinaryMathFmod, Float64BroadcastDivisorMatchesScalarFormula) {
    broadcast_divisor_matches<double>(12, {0.1, -7.25, 3.0e-200, 0x1p-1060, 0.0, std::numeric_limits<double>::infinity()});
}

}  // namespace
}  // namespace cmp::reference
