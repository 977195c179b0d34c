// Type promotion against torch.promote_types / torch.result_type: for every pair of the ten
// dtypes, and for dimensioned tensors, 0-dim tensors and Python scalars (wrapped numbers) on
// either side. The promoted dtype is observed as the dtype of a * b, which PyTorch defines
// for every dtype pair (bool * bool is bool), so no other op's restrictions get in the way.
#include "fixture.h"

namespace cmp::reference {
namespace {

class ReferencePromotion : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferencePromotion, MulResultDtype) {
    const Json& c = *GetParam();
    Tensor a = make_operand(c.at("inputs").at(size_t{0}));
    Tensor b = make_operand(c.at("inputs").at(size_t{1}));
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_mul(a.get(), b.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor out(raw);
    EXPECT_STREQ(dtype_to_name(dtype_of(out.get())), c.at("result").as_string().c_str());
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferencePromotion, ::testing::ValuesIn(fixture_cases("promotion.json")), case_name);

}  // namespace
}  // namespace cmp::reference
