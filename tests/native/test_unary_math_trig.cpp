// sin, cos and tan run the vectorised functions of cpu/vec_trig.h on the blocks of the loop whose
// every |x| is at most 2^26 (float32 blocks within 12800: the float-lane ones, at avx2/avx512),
// and the C library's on any block holding another value (large, inf, NaN). Through the ABI, float32 and float64, out of place and in place (out aliases the
// input): values in range are within the functions' tested error of the C library's (1 ulp;
// float64 tan 2), and the blocks with values out of range give the C library's results bit for
// bit, whatever else they hold. Run at every COMPUTE_CPU_ISA level.
#include "abi_helpers.h"
#include "ulp_distance.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace cmp::reference {
namespace {

using cmp::testing::Handle;

using cmp::testing::ulps;

bool same_value(double a, double b) { return std::isnan(a) ? std::isnan(b) : a == b && std::signbit(a) == std::signbit(b); }

using Op = cmp_status (*)(cmp_tensor, cmp_tensor*);
using OpInPlace = cmp_status (*)(cmp_tensor);

struct TrigOp {
    const char* name;
    Op op;
    OpInPlace op_;
    double (*ref)(double);
    float (*ref_f)(float);
    int64_t max_ulps_f64;
};

const TrigOp kOps[] = {
    {"sin", cmp_sin, cmp_sin_, [](double x) { return std::sin(x); }, [](float x) { return std::sin(x); }, 1},
    {"cos", cmp_cos, cmp_cos_, [](double x) { return std::cos(x); }, [](float x) { return std::cos(x); }, 1},
    {"tan", cmp_tan, cmp_tan_, [](double x) { return std::tan(x); }, [](float x) { return std::tan(x); }, 2},
};

// x from a mix of scales inside the vector range; every `every`-th element (if any) replaced by
// one of the values the vector path must leave alone.
std::vector<double> inputs(cmp_dtype dtype, size_t n, size_t every, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> mag(-20.0, 26.0), unit(-1.0, 1.0);
    std::uniform_int_distribution<int> coin(0, 1);
    const double inf = std::numeric_limits<double>::infinity();
    const double specials[] = {inf, -inf, std::numeric_limits<double>::quiet_NaN(), 1e30, -3.0e9, 67108868.0, 1e300};
    std::vector<double> x(n);
    for (size_t i = 0; i < n; ++i) {
        const double v = coin(rng) ? 4.0 * unit(rng) : std::exp2(mag(rng)) * (coin(rng) ? -1.0 : 1.0);
        const double xi = every != 0 && i % every == every / 2 ? specials[(i / every) % std::size(specials)] : v;
        x[i] = dtype == CMP_DTYPE_FLOAT32 ? static_cast<double>(static_cast<float>(xi)) : xi;  // as the tensor holds it
    }
    return x;
}

// Runs on one thread, so the kernel's blocks of 512 start at multiples of 512 (threads would
// split the loop where they like).
void expect_matches(const std::vector<double>& x, cmp_dtype dtype, const TrigOp& op) {
    constexpr size_t kBlock = 512;  // the block of the kernel's range check
    int32_t saved = 1;
    CMP_ASSERT_OK(cmp_get_num_threads(&saved));
    CMP_ASSERT_OK(cmp_set_num_threads(1));
    const bool f32 = dtype == CMP_DTYPE_FLOAT32;
    Handle a = cmp::testing::tensor_from(x, {static_cast<int64_t>(x.size())}, dtype);
    cmp_tensor raw = nullptr;
    ASSERT_EQ(op.op(a.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    const std::vector<double> out = cmp::testing::values_of(Handle(raw).get());
    ASSERT_EQ(op.op_(a.get()), CMP_STATUS_OK) << cmp_last_error();
    const std::vector<double> in_place = cmp::testing::values_of(a.get());
    CMP_ASSERT_OK(cmp_set_num_threads(saved));
    // Which blocks hold a value out of the vector range (and so run the C library).
    std::vector<bool> scalar_block(x.size() / kBlock + 1, false);
    for (size_t i = 0; i < x.size(); ++i) scalar_block[i / kBlock] = scalar_block[i / kBlock] || !(std::fabs(x[i]) <= 67108864.0);
    int64_t failures = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double want = f32 ? static_cast<double>(op.ref_f(static_cast<float>(x[i]))) : op.ref(x[i]);
        for (const double got : {out[i], in_place[i]}) {
            bool ok;
            if (scalar_block[i / kBlock] || std::isnan(want) || x[i] == 0.0) {
                ok = same_value(got, want);  // the C library's result itself (and sin(-0) = -0)
            } else {
                const int64_t d = f32 ? ulps(static_cast<float>(got), static_cast<float>(want)) : ulps(got, want);
                ok = d <= (f32 ? 1 : op.max_ulps_f64);
            }
            if (!ok && ++failures <= 10)
                ADD_FAILURE() << op.name << "(" << x[i] << ") = " << got << ", C library " << want << " (element " << i
                              << ", block " << (scalar_block[i / kBlock] ? "with" : "without") << " values out of range)";
        }
    }
    EXPECT_EQ(failures, 0) << op.name;
}

TEST(UnaryMathTrig, VectorPathWithinUlpsOfCLibrary) {
    for (const cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64})
        for (const TrigOp& op : kOps) expect_matches(inputs(dtype, 1 << 15, 0, 1), dtype, op);
}

// Float32 x within the float lanes' range (|x| <= 12800): mixed scales, and the floats nearest
// k pi/2 (the reduction's hardest case). Every `every`-th block gets one value beyond 12800 but
// within 2^26 (so runs the double lanes) and the block after it one out of range (C library).
std::vector<double> float_lane_inputs(size_t n, size_t every, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> wide(-12800.0, 12800.0), unit(-1.0, 1.0), mag(-20.0, 13.6);
    std::uniform_int_distribution<int> kind(0, 3), k(-8149, 8149);
    std::vector<double> x(n);
    for (size_t i = 0; i < n; ++i) {
        double v;
        switch (kind(rng)) {
        case 0: v = wide(rng); break;
        case 1: v = 4.0 * unit(rng); break;
        case 2: v = std::exp2(mag(rng)) * (unit(rng) < 0 ? -1.0 : 1.0); break;
        default: v = k(rng) * 1.5707963267948966; break;
        }
        x[i] = static_cast<double>(static_cast<float>(v));
    }
    for (size_t b = 0; every != 0 && b * 512 + 300 < n; b += every) {
        x[b * 512 + 300] = 40000.5;                                       // double lanes
        if ((b + 1) * 512 + 7 < n) x[(b + 1) * 512 + 7] = -1e9;            // C library
    }
    return x;
}

TEST(UnaryMathTrig, Float32SmallArgumentsWithinUlpOfCLibrary) {
    for (const TrigOp& op : kOps) {
        expect_matches(float_lane_inputs(1 << 15, 0, 4), CMP_DTYPE_FLOAT32, op);  // every block float lanes
        expect_matches(float_lane_inputs(1 << 14, 5, 5), CMP_DTYPE_FLOAT32, op);  // all three paths
    }
}

TEST(UnaryMathTrig, BlocksWithValuesOutOfRangeUseCLibrary) {
    for (const cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        for (const TrigOp& op : kOps) {
            expect_matches(inputs(dtype, 1 << 14, 1500, 2), dtype, op);  // most blocks vector, some not
            expect_matches(inputs(dtype, 3000, 3, 3), dtype, op);        // every block scalar
        }
    }
    const std::vector<double> signed_zeros = {0.0, -0.0, 1.0, -0.0};
    for (const cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64})
        for (const TrigOp& op : kOps) expect_matches(signed_zeros, dtype, op);
}

}  // namespace
}  // namespace cmp::reference
