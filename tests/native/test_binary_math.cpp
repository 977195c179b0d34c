// The binary/ternary math family against PyTorch (tests/reference/fixtures/binary_math.json,
// written by tests/reference/gen_binary_math.py), through the public C ABI only: div rounding
// modes, floor_divide, remainder, fmod, pow, atan2, hypot, maximum/minimum, fmax/fmin,
// copysign, bitwise and shift ops, logical ops, where, lerp, addcmul/addcdiv and masked_fill,
// out-of-place and in place; then the cases torch cannot produce (it traps on them) or that
// Compute deliberately decides differently, each with its reason.
#include "fixture.h"

#include <cstring>
#include <limits>
#include <map>

namespace cmp::reference {
namespace {

using Out2 = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);
using InPlace2 = cmp_status (*)(cmp_tensor, cmp_tensor);

struct BinaryEntry {
    Out2 out;
    InPlace2 in_place;  // null when PyTorch has no in-place form
};

const std::map<std::string, BinaryEntry>& binary_ops() {
    static const std::map<std::string, BinaryEntry> ops = {
        {"div_trunc",
         {[](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_div_rounding(a, b, CMP_ROUNDING_TRUNC, o); },
          [](cmp_tensor a, cmp_tensor b) { return cmp_div_rounding_(a, b, CMP_ROUNDING_TRUNC); }}},
        {"div_floor",
         {[](cmp_tensor a, cmp_tensor b, cmp_tensor* o) { return cmp_div_rounding(a, b, CMP_ROUNDING_FLOOR, o); },
          [](cmp_tensor a, cmp_tensor b) { return cmp_div_rounding_(a, b, CMP_ROUNDING_FLOOR); }}},
        {"floor_divide", {cmp_floor_divide, cmp_floor_divide_}},
        {"remainder", {cmp_remainder, cmp_remainder_}},
        {"fmod", {cmp_fmod, cmp_fmod_}},
        {"pow", {cmp_pow, cmp_pow_}},
        {"atan2", {cmp_atan2, cmp_atan2_}},
        {"hypot", {cmp_hypot, cmp_hypot_}},
        {"maximum", {cmp_maximum, nullptr}},
        {"minimum", {cmp_minimum, nullptr}},
        {"fmax", {cmp_fmax, nullptr}},
        {"fmin", {cmp_fmin, nullptr}},
        {"copysign", {cmp_copysign, cmp_copysign_}},
        {"bitwise_and", {cmp_bitwise_and, cmp_bitwise_and_}},
        {"bitwise_or", {cmp_bitwise_or, cmp_bitwise_or_}},
        {"bitwise_xor", {cmp_bitwise_xor, cmp_bitwise_xor_}},
        {"bitwise_left_shift", {cmp_bitwise_left_shift, cmp_bitwise_left_shift_}},
        {"bitwise_right_shift", {cmp_bitwise_right_shift, cmp_bitwise_right_shift_}},
        {"logical_and", {cmp_logical_and, cmp_logical_and_}},
        {"logical_or", {cmp_logical_or, cmp_logical_or_}},
        {"logical_xor", {cmp_logical_xor, cmp_logical_xor_}},
    };
    return ops;
}

// Runs the case's op on its operands. For an in-place case the result is operand 0 itself;
// *result receives the tensor to compare (a new reference either way).
cmp_status run_case(const Json& c, std::vector<Tensor>& in, cmp_tensor* result) {
    const std::string& op = c.at("op").as_string();
    const bool in_place = c.has("in_place");
    const size_t n = in.size();
    cmp_tensor a = in[0].get(), b = in[1].get(), t = n > 2 ? in[2].get() : nullptr;
    const bool has_value = c.has("value");
    const cmp_scalar v = has_value ? scalar_from_json(c.at("value")) : cmp_scalar{};
    cmp_status s = CMP_STATUS_INTERNAL_ERROR;
    *result = nullptr;
    auto it = binary_ops().find(op);
    if (it != binary_ops().end()) {
        if (!in_place) return it->second.out(a, b, result);
        if (!it->second.in_place) throw std::runtime_error("fixture asks for an in-place " + op + ", which has none");
        s = it->second.in_place(a, b);
    } else if (op == "where") {
        return cmp_where(a, b, t, result);
    } else if (op == "lerp") {
        if (!in_place) return has_value ? cmp_lerp_scalar(a, b, v, result) : cmp_lerp(a, b, t, result);
        s = has_value ? cmp_lerp_scalar_(a, b, v) : cmp_lerp_(a, b, t);
    } else if (op == "addcmul") {
        if (!in_place) return cmp_addcmul(a, b, t, v, result);
        s = cmp_addcmul_(a, b, t, v);
    } else if (op == "addcdiv") {
        if (!in_place) return cmp_addcdiv(a, b, t, v, result);
        s = cmp_addcdiv_(a, b, t, v);
    } else if (op == "masked_fill") {
        if (!in_place) return has_value ? cmp_masked_fill(a, b, v, result) : cmp_masked_fill_tensor(a, b, t, result);
        s = has_value ? cmp_masked_fill_(a, b, v) : cmp_masked_fill_tensor_(a, b, t);
    } else {
        throw std::runtime_error("unknown fixture op " + op);
    }
    if (s == CMP_STATUS_OK) {
        cmp_tensor_retain(a);
        *result = a;
    }
    return s;
}

// The tolerance each op earns, and why.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    const std::string& op = c.at("op").as_string();
    const bool half = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16;
    if (!dtype_is_floating(out)) return Tolerance::exact();
    if (op == "pow" || op == "atan2" || op == "hypot") {
        // Not correctly rounded anywhere: PyTorch uses SLEEF's 1-ulp functions (and x*x*x-style
        // shortcuts for small integer exponents), Compute the C library's (under 1 ulp), so
        // the two may be 2 ulps apart. 16-bit results round a float32 value that close to the
        // truth: they can only straddle one rounding boundary, 1 ulp of the 16-bit type.
        Tolerance t;
        t.ulps = half ? 1 : 2;
        return t;
    }
    if (op == "lerp" || op == "addcmul" || op == "addcdiv") {
        // At most four roundings, each relative to one term of abs_bound (|a| + |end| +
        // (|w| + 1)|end - a| for lerp, |a| + |value*t1*t2| or |a| + |value*t1/t2| otherwise),
        // so each implementation is within 4 eps * abs_bound of the exact value whether or not
        // it fuses a multiply-add: 8 eps apart. 16-bit results are computed in float32 and may
        // then round to neighbouring values: 1 more ulp.
        Tolerance t;
        t.bound_scale = 8.0 * dtype_epsilon(out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32);
        t.abs_bound = &c.at("abs_bound");
        t.ulps = half ? 1 : 0;
        return t;
    }
    // Division with rounding, remainders, min/max, copysign, where and masked_fill are exact
    // operations (fmod is exact; trunc/floor of a quotient, min/max and selects introduce no
    // rounding beyond what PyTorch also does), and float16/bfloat16 computed in float32 give
    // the same value (the fixture notes where torch rounds differently).
    return Tolerance::exact();
}

class ReferenceBinaryMath : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceBinaryMath, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    std::vector<Tensor> in;
    for (const Json& j : c.at("inputs").items()) in.push_back(make_operand(j));
    cmp_tensor raw = nullptr;
    const cmp_status status = run_case(c, in, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), expected, tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()))));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceBinaryMath, ::testing::ValuesIn(fixture_cases("binary_math.json")), case_name);

// ---- cases the fixtures cannot hold ----------------------------------------------------------

Tensor from_int64(std::vector<int64_t> values) {
    cmp_tensor t = nullptr;
    const int64_t n = static_cast<int64_t>(values.size());
    check(cmp_from_buffer(values.data(), n * 8, &n, 1, CMP_DTYPE_INT64, &t), "cmp_from_buffer");
    return Tensor(t);
}

std::vector<int64_t> int64_values(cmp_tensor t) {
    int64_t n = 0;
    check(cmp_tensor_numel(t, &n), "cmp_tensor_numel");
    std::vector<int64_t> v(static_cast<size_t>(n));
    check(cmp_tensor_copy_to_buffer(t, v.data(), n * 8), "cmp_tensor_copy_to_buffer");
    return v;
}

// torch traps (SIGFPE) on INT64_MIN / -1; Compute gives the two's-complement wrap that torch
// itself gives for int8 (-128 / -1 == -128, in the fixtures) and a remainder of 0, never a trap.
TEST(BinaryMath, Int64MinByMinusOneWraps) {
    const int64_t lo = std::numeric_limits<int64_t>::min();
    Tensor a = from_int64({lo, lo});
    Tensor b = from_int64({-1, -1});
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_div_rounding(a.get(), b.get(), CMP_ROUNDING_TRUNC, &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{lo, lo}));
    ASSERT_EQ(cmp_div_rounding(a.get(), b.get(), CMP_ROUNDING_FLOOR, &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{lo, lo}));
    ASSERT_EQ(cmp_remainder(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{0, 0}));
    ASSERT_EQ(cmp_fmod(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{0, 0}));
}

// Shift counts outside [0, 64): C++ leaves them undefined and torch 1.13's int64 kernel returns
// whatever x86 does (the count masked to 6 bits), so the fixture cannot hold them. Compute
// gives PyTorch 2's defined results (and torch 1.13's own for the 8/16-bit types, which are in
// the fixture): a left shift gives 0, a right shift the sign fill.
TEST(BinaryMath, Int64ShiftsOutsideTheWidth) {
    Tensor a = from_int64({5, -5, 5, -5, 5, -5});
    Tensor n = from_int64({64, 64, 65, 65, -1, -1});
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_bitwise_left_shift(a.get(), n.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{0, 0, 0, 0, 0, 0}));
    ASSERT_EQ(cmp_bitwise_right_shift(a.get(), n.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(int64_values(Tensor(raw).get()), (std::vector<int64_t>{0, -1, 0, -1, 0, -1}));
}

TEST(BinaryMath, IntegerDivisionByZeroNamesTheOp) {
    Tensor a = from_int64({1, 2});
    Tensor b = from_int64({1, 0});
    cmp_tensor raw = nullptr;
    EXPECT_EQ(cmp_floor_divide(a.get(), b.get(), &raw), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(raw, nullptr);
    EXPECT_NE(std::strstr(cmp_last_error(), "floor_divide"), nullptr) << cmp_last_error();
    EXPECT_NE(std::strstr(cmp_last_error(), "ZeroDivisionError"), nullptr) << cmp_last_error();
}

TEST(BinaryMath, InvalidRoundingModeIsAnError) {
    Tensor a = from_int64({1});
    cmp_tensor raw = nullptr;
    EXPECT_EQ(cmp_div_rounding(a.get(), a.get(), 3, &raw), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::strstr(cmp_last_error(), "rounding_mode"), nullptr) << cmp_last_error();
    EXPECT_EQ(cmp_div_rounding_(a.get(), a.get(), -1), CMP_STATUS_INVALID_ARGUMENT);
}

// torch 1.13 still takes integer masks with a deprecation warning; later versions reject them
// and so does Compute, with a message naming the op and the mask's dtype.
TEST(BinaryMath, MaskedFillRejectsNonBoolMask) {
    Tensor a = from_int64({1, 2});
    Tensor mask = from_int64({1, 0});
    cmp_tensor raw = nullptr;
    cmp_scalar v{CMP_SCALAR_INT, 0, 0.0, 5};
    EXPECT_EQ(cmp_masked_fill(a.get(), mask.get(), v, &raw), CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(std::strstr(cmp_last_error(), "masked_fill"), nullptr) << cmp_last_error();
    EXPECT_NE(std::strstr(cmp_last_error(), "int64"), nullptr) << cmp_last_error();
}

TEST(BinaryMath, NullArgumentsAreErrors) {
    Tensor a = from_int64({1});
    cmp_tensor raw = nullptr;
    EXPECT_EQ(cmp_where(nullptr, a.get(), a.get(), &raw), CMP_STATUS_INVALID_HANDLE);
    EXPECT_EQ(cmp_where(a.get(), a.get(), a.get(), nullptr), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_addcmul_(a.get(), nullptr, a.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}), CMP_STATUS_INVALID_HANDLE);
    EXPECT_EQ(cmp_remainder(a.get(), a.get(), nullptr), CMP_STATUS_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace cmp::reference
