// Dtype conversion (cmp_to_dtype) against PyTorch's .to(dtype): float32 <-> float16/bfloat16
// bit patterns (round-to-nearest-even ties, subnormals, overflow to inf, NaN), float64 <->
// float32, integer -> float rounding, float -> integer truncation toward zero, integer
// narrowing wrap-around and bool conversions. Conversions are exactly defined, so every
// value must match bit for bit (NaN sign and payload excepted: PyTorch does not define them).
#include "fixture.h"

namespace cmp::reference {
namespace {

class ReferenceConvert : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceConvert, MatchesTorch) {
    const Json& c = *GetParam();
    Tensor input = make_tensor(c.at("input"));
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_to_dtype(input.get(), dtype_from_name(c.at("dtype").as_string()), &raw), CMP_STATUS_OK)
        << cmp_last_error();
    Tensor out(raw);
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), Tolerance::exact()));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceConvert, ::testing::ValuesIn(fixture_cases("convert.json")), case_name);

}  // namespace
}  // namespace cmp::reference
