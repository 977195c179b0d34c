// float32 fmod, remainder and floor division run a vectorised fmod (cpu/vec_fmod.h) on blocks
// where it is exact and std::fmod elsewhere. Their definition stays the scalar std::fmod formula,
// so the results must equal it bit for bit: random pairs over a wide exponent range (exact
// multiples, zero remainders of both signs, quotients up to just under the 2^28 bound, blocks
// that take the vector path whole) and blocks sprinkled with the pairs it must not take
// (b = ±0, ±inf, NaN, quotients of 2^28 and far beyond). Run at every COMPUTE_CPU_ISA level.
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
float ref_fmod(float a, float b) { return std::fmod(a, b); }

float ref_remainder(float a, float b) {
    float mod = std::fmod(a, b);
    if (mod != 0.0f && ((b < 0.0f) != (mod < 0.0f))) mod += b;
    return mod;
}

float ref_div_floor(float a, float b) {
    if (b == 0.0f) return a / b;
    const float mod = std::fmod(a, b);
    float div = (a - mod) / b;
    if (mod != 0.0f && ((b < 0.0f) != (mod < 0.0f))) div -= 1.0f;
    if (div == 0.0f) return std::copysign(0.0f, a / b);
    float fl = std::floor(div);
    if (div - fl > 0.5f) fl += 1.0f;
    return fl;
}

using cmp::testing::Handle;

// float32 tensors through the shared ABI helpers (float -> double -> float is exact, NaN and -0
// included).
Handle from_float(const std::vector<float>& values) {
    return cmp::testing::tensor_from({values.begin(), values.end()}, {static_cast<int64_t>(values.size())},
                                     CMP_DTYPE_FLOAT32);
}

std::vector<float> float_values(cmp_tensor t) {
    const std::vector<double> v = cmp::testing::values_of(t);
    return {v.begin(), v.end()};
}

uint32_t bits(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    return u;
}

struct Pairs {
    std::vector<float> a, b;
};

// Good pairs: b of any sign with exponent in [-60, 60], a = b * q with |q| in [2^-30, 2^27.9],
// a quarter of them exact integer multiples (zero remainders, -0 for negative a).
Pairs good_pairs(std::mt19937& rng, size_t n) {
    std::uniform_real_distribution<float> mant(1.0f, 2.0f);
    std::uniform_int_distribution<int> bexp(-60, 60);
    std::uniform_real_distribution<double> qexp(-30.0, 27.9);
    std::uniform_int_distribution<int> coin(0, 3);
    std::uniform_int_distribution<int32_t> small(-1000, 1000);
    Pairs p;
    for (size_t i = 0; i < n; ++i) {
        const float sign = coin(rng) & 1 ? -1.0f : 1.0f;
        const float b = sign * std::ldexp(mant(rng), bexp(rng));
        double q = std::exp2(qexp(rng)) * (coin(rng) & 1 ? -1.0 : 1.0);
        if (coin(rng) == 0) q = coin(rng) == 0 ? std::trunc(q) : static_cast<double>(small(rng));
        p.a.push_back(static_cast<float>(static_cast<double>(b) * q));
        p.b.push_back(b);
    }
    return p;
}

// The pairs the vector path must leave to std::fmod.
void sprinkle_specials(std::mt19937& rng, Pairs& p, size_t every) {
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float specials_b[] = {0.0f, -0.0f, inf, -inf, nan, 1e-30f, -3.0f, 0.1f};
    const float specials_a[] = {5.5f, -5.5f, inf, -inf, nan, 1e30f, 3.0e9f, -0x1p28f, 0x1p28f * 0.1f, 0.0f, -0.0f};
    std::uniform_int_distribution<size_t> pick_b(0, std::size(specials_b) - 1);
    std::uniform_int_distribution<size_t> pick_a(0, std::size(specials_a) - 1);
    for (size_t i = 0; i < p.a.size(); i += every) {
        const size_t j = (i * 7) % 3;
        if (j == 0) p.b[i] = specials_b[pick_b(rng)];
        if (j != 2) p.a[i] = specials_a[pick_a(rng)];
        else p.a[i] = p.b[i] * 0x1p28f;  // quotient exactly at the bound
    }
}

using Op = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);
using OpInPlace = cmp_status (*)(cmp_tensor, cmp_tensor);

void expect_matches(const Pairs& p, Op op, OpInPlace op_, float (*ref)(float, float), const char* name) {
    Handle a = from_float(p.a);
    Handle b = from_float(p.b);
    cmp_tensor raw = nullptr;
    ASSERT_EQ(op(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    const std::vector<float> out = float_values(Handle(raw).get());
    ASSERT_EQ(op_(a.get(), b.get()), CMP_STATUS_OK) << cmp_last_error();  // out aliases a
    const std::vector<float> in_place = float_values(a.get());
    int64_t mismatches = 0;
    for (size_t i = 0; i < p.a.size(); ++i) {
        const float want = ref(p.a[i], p.b[i]);
        if (bits(out[i]) != bits(want) || bits(in_place[i]) != bits(want)) {
            if (++mismatches <= 10)
                ADD_FAILURE() << name << "(" << p.a[i] << ", " << p.b[i] << ") = " << out[i] << " (in place "
                              << in_place[i] << "), scalar formula " << want;
        }
    }
    EXPECT_EQ(mismatches, 0) << name;
}

void check_all(const Pairs& p) {
    expect_matches(p, cmp_fmod, cmp_fmod_, ref_fmod, "fmod");
    expect_matches(p, cmp_remainder, cmp_remainder_, ref_remainder, "remainder");
    expect_matches(p, cmp_floor_divide, cmp_floor_divide_, ref_div_floor, "floor_divide");
}

TEST(BinaryMathFmod, Float32VectorPathMatchesScalarFormula) {
    std::mt19937 rng(20261205);
    check_all(good_pairs(rng, 1 << 16));
}

TEST(BinaryMathFmod, Float32BlocksWithSpecialPairsMatchScalarFormula) {
    std::mt19937 rng(7);
    Pairs p = good_pairs(rng, 1 << 14);
    sprinkle_specials(rng, p, 997);  // most blocks still take the vector path, some do not
    check_all(p);
    Pairs dense = good_pairs(rng, 4096);
    sprinkle_specials(rng, dense, 3);
    check_all(dense);
}

// A broadcast divisor (stride 0) goes through the same block check.
TEST(BinaryMathFmod, Float32BroadcastDivisorMatchesScalarFormula) {
    std::mt19937 rng(11);
    const Pairs p = good_pairs(rng, 3000);
    for (const float d : {0.1f, -7.25f, 3.0e-20f, 0.0f, std::numeric_limits<float>::infinity()}) {
        Handle a = from_float(p.a);
        Handle b = from_float({d});
        cmp_tensor raw = nullptr;
        ASSERT_EQ(cmp_remainder(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
        const std::vector<float> out = float_values(Handle(raw).get());
        for (size_t i = 0; i < p.a.size(); ++i)
            ASSERT_EQ(bits(out[i]), bits(ref_remainder(p.a[i], d))) << p.a[i] << " % " << d;
    }
}

}  // namespace
}  // namespace cmp::reference
