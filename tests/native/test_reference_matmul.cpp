// matmul against PyTorch: 1-D·1-D, 2-D·2-D, 1-D·2-D, 2-D·1-D, batched with broadcast batch
// dims, transposed (non-contiguous) operands, float32/float64/bfloat16/int64, K = 0, and the
// shapes and dtype mixes PyTorch rejects.
#include "fixture.h"

namespace cmp::reference {
namespace {

// Each output is a K-term dot product. Whatever the blocking, order or use of FMA, its error
// is within K*u*(|A|@|B|) (u = eps/2 of the accumulation type), so two implementations are
// within K*eps*(|A|@|B|) of each other; abs_bound holds |A|@|B| computed in float64, count
// holds K. bfloat16 is accumulated in float32 and rounded once at the end, where two close
// float32 results can round to neighbouring bfloat16 values: 1 ulp more. Integers are exact.
Tolerance tolerance_for(const Json& c, cmp_dtype out) {
    if (!dtype_is_floating(out)) return Tolerance::exact();
    Tolerance t;
    cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at("abs_bound");
    t.ulps = (out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16) ? 1 : 0;
    return t;
}

class ReferenceMatmul : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceMatmul, MatchesTorch) {
    const Json& c = *GetParam();
    Tensor a = make_tensor(c.at("inputs").at(size_t{0}));
    Tensor b = make_tensor(c.at("inputs").at(size_t{1}));
    cmp_tensor raw = nullptr;
    cmp_status status = cmp_matmul(a.get(), b.get(), &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, "matmul")) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    const Json& expected = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), expected, tolerance_for(c, dtype_from_name(expected.at("dtype").as_string()))));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceMatmul, ::testing::ValuesIn(fixture_cases("matmul.json")), case_name);

}  // namespace
}  // namespace cmp::reference
