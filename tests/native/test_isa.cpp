// Runtime ISA dispatch: the level chosen from cpuid and COMPUTE_CPU_ISA, and agreement of the
// kernel variants on every level this CPU can run. Kernels never reassociate, so ops without a
// multiply-add (add with alpha 1, mul, div, neg, compare, casts, sums) give the same bits on every
// level. The AVX2/AVX-512 builds let the compiler fuse a*b+c into one FMA (one rounding instead of
// two: faster and at least as accurate), so add with alpha != 1 and exp may differ from the
// baseline by the last bit; those are checked to agree within one unit in the last place.
#include "core/iterator.h"
#include "cpu/dispatch_stub.h"
#include "cpu/elementwise_stubs.h"
#include "cpu/reduce_stubs.h"
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include <compute/compute.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include <algorithm>

namespace {

using namespace engine_test;
using cmp::TensorIterator;
namespace cpu = cmp::cpu;

TEST(Isa, SelectedLevelHonoursEnvironment) {
    const int level = cpu::selected_isa_level();
    ASSERT_GE(level, 0);
    ASSERT_LT(level, cpu::kIsaLevels);
    EXPECT_STREQ(cpu::isa_level_name(0), "baseline");
    EXPECT_STREQ(cpu::isa_level_name(1), "avx2");
    EXPECT_STREQ(cpu::isa_level_name(2), "avx512");
    if (const char* env = std::getenv("COMPUTE_CPU_ISA")) {
        for (int l = 0; l < cpu::kIsaLevels; ++l)
            if (std::strcmp(env, cpu::isa_level_name(l)) == 0) {
                EXPECT_LE(level, l) << "COMPUTE_CPU_ISA=" << env;
            }
    }
    std::printf("selected ISA level: %s\n", cpu::isa_level_name(level));
}

TEST(Isa, EveryLevelUpToTheSelectedOneIsRegistered) {
    for (int l = 0; l <= cpu::selected_isa_level(); ++l) {
        EXPECT_NE(cpu::copy_stub.at(l), nullptr) << l;
        EXPECT_NE(cpu::binary_stub.at(l), nullptr) << l;
        EXPECT_NE(cpu::unary_stub.at(l), nullptr) << l;
        EXPECT_NE(cpu::compare_stub.at(l), nullptr) << l;
        EXPECT_NE(cpu::reduce_stub.at(l), nullptr) << l;
    }
}

// Runs `run` once per runnable level on a fresh iterator and checks every output matches the
// baseline's bits.
// Whether every element of b is within one ulp (of b's dtype) of a, the ulp taken at the
// magnitude of the element or, when given, of scale[i] (for a*b+c the fused and unfused results
// differ by the rounding of the product, which cancellation does not shrink).
bool within_one_ulp(const Tensor& a, const Tensor& b, const std::vector<double>& scale = {}) {
    const int digits = b.dtype() == CMP_DTYPE_FLOAT64 ? 52 : b.dtype() == CMP_DTYPE_FLOAT32 ? 23
                       : b.dtype() == CMP_DTYPE_FLOAT16 ? 10 : 7;
    const auto va = values(a), vb = values(b);
    for (size_t i = 0; i < va.size(); ++i) {
        if (va[i] == vb[i]) continue;
        const double ulp = std::ldexp(1.0, std::ilogb(scale.empty() ? vb[i] : std::max(std::fabs(vb[i]), scale[i])) - digits);
        if (!(std::fabs(va[i] - vb[i]) <= ulp)) return false;
    }
    return true;
}

void expect_levels_agree(const std::function<TensorIterator()>& make_iter,
                         const std::function<void(int, TensorIterator&)>& run, const std::string& what,
                         bool may_fuse = false, const std::vector<double>& scale = {}) {
    Tensor first;
    for (int l = 0; l <= cpu::selected_isa_level(); ++l) {
        TensorIterator it = make_iter();
        run(l, it);
        if (l == 0) first = it.output();
        else if (may_fuse) EXPECT_TRUE(within_one_ulp(first, it.output(), scale)) << what << ": level " << cpu::isa_level_name(l);
        else EXPECT_TRUE(same_bits(first, it.output())) << what << ": level " << cpu::isa_level_name(l);
    }
}

// |x| + |alpha * y| per element: the scale of the terms of x + alpha * y.
std::vector<double> product_scale(const Tensor& x, const Tensor& y, double alpha) {
    auto vx = values(x), vy = values(y);
    for (size_t i = 0; i < vx.size(); ++i) vx[i] = std::fabs(vx[i]) + std::fabs(alpha * vy[i]);
    return vx;
}

Tensor ops_scalar(DType d) { return make({3}, {}, d); }  // a 0-dim operand: the broadcast fast path

TEST(Isa, KernelVariantsAgreeBitwise) {
    const int64_t n = 4099;  // not a multiple of any vector width
    for (DType d : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16, CMP_DTYPE_INT32}) {
        Tensor a = make(random_values(n, 101, -80, 80, cmp::is_floating(d)), {n}, d);
        Tensor b = make(random_values(n, 102, -9, 9, cmp::is_floating(d), true), {n}, d);
        Tensor s = ops_scalar(d);
        const std::string name = cmp::dtype_name(d);
        const cmp_scalar one = cmp::ops::scalar_int(1);
        const cmp_scalar alpha = cmp::is_floating(d) ? cmp::ops::scalar_float(0.3) : cmp::ops::scalar_int(3);
        for (auto kind : {cpu::BinaryOp::Add, cpu::BinaryOp::Mul, cpu::BinaryOp::Div}) {
            if (kind == cpu::BinaryOp::Div && !cmp::is_floating(d)) continue;
            for (const Tensor& rhs : {b, s}) {
                expect_levels_agree([&] { return TensorIterator(TensorIterator::pointwise("t", {a, rhs})); },
                                    [&](int l, TensorIterator& it) { cpu::binary_stub.at(l)(it, kind, one); },
                                    "binary " + name);
            }
        }
        expect_levels_agree([&] { return TensorIterator(TensorIterator::pointwise("t", {a, b})); },
                            [&](int l, TensorIterator& it) { cpu::binary_stub.at(l)(it, cpu::BinaryOp::Add, alpha); },
                            "add with alpha " + name, cmp::is_floating(d), product_scale(a, b, 0.3));
        expect_levels_agree([&] { return TensorIterator(TensorIterator::pointwise("t", {a})); },
                            [&](int l, TensorIterator& it) { cpu::unary_stub.at(l)(it, cpu::UnaryOp::Neg); },
                            "neg " + name);
        if (cmp::is_floating(d)) {
            expect_levels_agree([&] { return TensorIterator(TensorIterator::pointwise("t", {a})); },
                                [&](int l, TensorIterator& it) { cpu::unary_stub.at(l)(it, cpu::UnaryOp::Exp); },
                                "exp " + name, /*may_fuse=*/true);
        }
        auto cfg = [&] {
            auto c = TensorIterator::pointwise("t", {a, b});
            c.has_out_dtype = true;
            c.out_dtype = CMP_DTYPE_BOOL;
            return TensorIterator(c);
        };
        expect_levels_agree(cfg, [&](int l, TensorIterator& it) { cpu::compare_stub.at(l)(it, cmp::ops::CompareOp::Lt); },
                            "lt " + name);
        for (DType to : all_dtypes()) {
            auto copy_cfg = [&] {
                TensorIterator::Config c;
                c.op = "t";
                c.out = cmp::ops::empty({n}, to, cmp::Device::cpu());
                c.inputs = {a};
                c.out_is_input = true;
                c.has_compute_dtype = true;
                c.compute_dtype = to;
                c.cast_inputs = false;
                return TensorIterator(c);
            };
            expect_levels_agree(copy_cfg, [&](int l, TensorIterator& it) { cpu::copy_stub.at(l)(it); },
                                "cast " + name + " -> " + cmp::dtype_name(to));
        }
        // Reductions: a whole-tensor sum through each level.
        const DType out_dtype = cmp::is_floating(d) ? d : CMP_DTYPE_INT64;
        Tensor first;
        for (int l = 0; l <= cpu::selected_isa_level(); ++l) {
            Tensor out = cmp::ops::empty({}, out_dtype, cmp::Device::cpu());
            cpu::ReducePlan plan{"sum", a.data_ptr(), out.data_ptr(), d, out_dtype, {}, {{n, 1, 0}}, n, 1};
            cpu::reduce_stub.at(l)(plan, cpu::ReduceOp::Sum);
            if (l == 0) first = out;
            else EXPECT_TRUE(same_bits(first, out)) << "sum " << name << " level " << l;
        }
    }
}

}  // namespace
