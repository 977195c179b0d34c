// Type promotion against PyTorch. The tables below are the output of torch 1.13
// (torch.promote_types, torch.result_type, torch.can_cast over the ten dtypes in cmp_dtype
// order), printed by a script, not typed: regenerate with the loop in the comment above each.
#include "core/promotion.h"
#include "engine_test_util.h"
#include "ops/ops.h"

#include <gtest/gtest.h>

namespace {

using namespace engine_test;

constexpr DType F32 = CMP_DTYPE_FLOAT32, F64 = CMP_DTYPE_FLOAT64, F16 = CMP_DTYPE_FLOAT16, BF16 = CMP_DTYPE_BFLOAT16,
                I64 = CMP_DTYPE_INT64, I32 = CMP_DTYPE_INT32, I16 = CMP_DTYPE_INT16, I8 = CMP_DTYPE_INT8,
                U8 = CMP_DTYPE_UINT8, B = CMP_DTYPE_BOOL;

// [torch.promote_types(a, b) for b in dtypes] for a in dtypes
const DType kPromote[10][10] = {
    {F32, F64, F32, F32, F32, F32, F32, F32, F32, F32},
    {F64, F64, F64, F64, F64, F64, F64, F64, F64, F64},
    {F32, F64, F16, F32, F16, F16, F16, F16, F16, F16},
    {F32, F64, F32, BF16, BF16, BF16, BF16, BF16, BF16, BF16},
    {F32, F64, F16, BF16, I64, I64, I64, I64, I64, I64},
    {F32, F64, F16, BF16, I64, I32, I32, I32, I32, I32},
    {F32, F64, F16, BF16, I64, I32, I16, I16, I16, I16},
    {F32, F64, F16, BF16, I64, I32, I16, I8, I16, I8},
    {F32, F64, F16, BF16, I64, I32, I16, I16, U8, U8},
    {F32, F64, F16, BF16, I64, I32, I16, I8, U8, B},
};

// [torch.result_type(torch.ones(2, dtype=a), s) for s in (3, 2.5, True)] for a in dtypes
const DType kWithWrapped[10][3] = {
    {F32, F32, F32},
    {F64, F64, F64},
    {F16, F16, F16},
    {BF16, BF16, BF16},
    {I64, F32, I64},
    {I32, F32, I32},
    {I16, F32, I16},
    {I8, F32, I8},
    {U8, F32, U8},
    {I64, F32, B},
};

// [torch.result_type(torch.ones(2, dtype=a), torch.ones((), dtype=b)) for b in dtypes] for a in dtypes
const DType kWithZeroDim[10][10] = {
    {F32, F32, F32, F32, F32, F32, F32, F32, F32, F32},
    {F64, F64, F64, F64, F64, F64, F64, F64, F64, F64},
    {F16, F16, F16, F16, F16, F16, F16, F16, F16, F16},
    {BF16, BF16, BF16, BF16, BF16, BF16, BF16, BF16, BF16, BF16},
    {F32, F64, F16, BF16, I64, I64, I64, I64, I64, I64},
    {F32, F64, F16, BF16, I32, I32, I32, I32, I32, I32},
    {F32, F64, F16, BF16, I16, I16, I16, I16, I16, I16},
    {F32, F64, F16, BF16, I8, I8, I8, I8, I8, I8},
    {F32, F64, F16, BF16, U8, U8, U8, U8, U8, U8},
    {F32, F64, F16, BF16, I64, I32, I16, I8, U8, B},
};

// [torch.result_type(torch.ones((), dtype=a), s) for s in (3, 2.5, True)] for a in dtypes
const DType kZeroDimWithWrapped[10][3] = {
    {F32, F32, F32},
    {F64, F64, F64},
    {F16, F16, F16},
    {BF16, BF16, BF16},
    {I64, F32, I64},
    {I32, F32, I32},
    {I16, F32, I16},
    {I8, F32, I8},
    {U8, F32, U8},
    {I64, F32, B},
};

// [torch.can_cast(a, b) for b in dtypes] for a in dtypes
const bool kCanCast[10][10] = {
    {true, true, true, true, false, false, false, false, false, false},
    {true, true, true, true, false, false, false, false, false, false},
    {true, true, true, true, false, false, false, false, false, false},
    {true, true, true, true, false, false, false, false, false, false},
    {true, true, true, true, true, true, true, true, true, false},
    {true, true, true, true, true, true, true, true, true, false},
    {true, true, true, true, true, true, true, true, true, false},
    {true, true, true, true, true, true, true, true, true, false},
    {true, true, true, true, true, true, true, true, true, false},
    {true, true, true, true, true, true, true, true, true, true},
};

Tensor wrapped(int which) {
    switch (which) {
        case 0: return cmp::ops::scalar_tensor(cmp::ops::scalar_int(3), cmp::Device::cpu());
        case 1: return cmp::ops::scalar_tensor(cmp::ops::scalar_float(2.5), cmp::Device::cpu());
        default: return cmp::ops::scalar_tensor(cmp::ops::scalar_bool(true), cmp::Device::cpu());
    }
}

TEST(Promotion, PromoteTypesMatchesTorch) {
    for (int a = 0; a < 10; ++a)
        for (int b = 0; b < 10; ++b)
            EXPECT_EQ(cmp::promote_types(DType(a), DType(b)), kPromote[a][b])
                << cmp::dtype_name(DType(a)) << " with " << cmp::dtype_name(DType(b));
}

TEST(Promotion, ResultTypeTensorWithWrappedNumber) {
    for (int a = 0; a < 10; ++a) {
        Tensor t = cmp::ops::full({2}, cmp::ops::scalar_int(1), DType(a), cmp::Device::cpu());
        for (int s = 0; s < 3; ++s) {
            EXPECT_EQ(cmp::result_type({t, wrapped(s)}), kWithWrapped[a][s]) << cmp::dtype_name(DType(a)) << " scalar " << s;
            // Operand order does not matter.
            EXPECT_EQ(cmp::result_type({wrapped(s), t}), kWithWrapped[a][s]);
        }
    }
}

TEST(Promotion, ResultTypeTensorWithZeroDimTensor) {
    for (int a = 0; a < 10; ++a)
        for (int b = 0; b < 10; ++b) {
            Tensor t = cmp::ops::full({2}, cmp::ops::scalar_int(1), DType(a), cmp::Device::cpu());
            Tensor z = cmp::ops::full({}, cmp::ops::scalar_int(1), DType(b), cmp::Device::cpu());
            EXPECT_EQ(cmp::result_type({t, z}), kWithZeroDim[a][b]) << cmp::dtype_name(DType(a)) << " with 0-dim "
                                                                    << cmp::dtype_name(DType(b));
        }
}

TEST(Promotion, ResultTypeZeroDimWithWrappedNumber) {
    for (int a = 0; a < 10; ++a) {
        Tensor z = cmp::ops::full({}, cmp::ops::scalar_int(1), DType(a), cmp::Device::cpu());
        for (int s = 0; s < 3; ++s) EXPECT_EQ(cmp::result_type({z, wrapped(s)}), kZeroDimWithWrapped[a][s]);
    }
}

TEST(Promotion, CanCastMatchesTorch) {
    for (int a = 0; a < 10; ++a)
        for (int b = 0; b < 10; ++b) EXPECT_EQ(cmp::can_cast(DType(a), DType(b)), kCanCast[a][b]);
}

TEST(Promotion, OpsUseResultType) {
    // int32 tensor + wrapped 2.5 computes in float32; uint8 + wrapped int stays uint8.
    Tensor i = make({1, 2}, {2}, I32);
    EXPECT_EQ(cmp::ops::add(i, wrapped(1), cmp::ops::scalar_int(1)).dtype(), F32);
    Tensor u = make({1, 2}, {2}, U8);
    EXPECT_EQ(cmp::ops::mul(u, wrapped(0)).dtype(), U8);
    // A 0-dim float64 tensor does not raise a float16 tensor, but does raise an int tensor.
    Tensor z = make({1.5}, {}, F64);
    EXPECT_EQ(cmp::ops::add(make({1}, {1}, F16), z, cmp::ops::scalar_int(1)).dtype(), F16);
    EXPECT_EQ(cmp::ops::add(i, z, cmp::ops::scalar_int(1)).dtype(), F64);
}

TEST(Promotion, LegacyNames) {
    EXPECT_STREQ(cmp::legacy_type_name(F32), "Float");
    EXPECT_STREQ(cmp::legacy_type_name(I64), "Long");
    EXPECT_STREQ(cmp::legacy_type_name(U8), "Byte");
}

}  // namespace
