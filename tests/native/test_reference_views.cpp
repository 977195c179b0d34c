// Views against PyTorch: view/reshape/permute/transpose/slice (with step)/select/narrow/
// expand/squeeze/unsqueeze/flatten/as_strided, alone and chained, compared on values, shape,
// strides, storage offset and whether the result shares the input's storage (reshape and
// flatten copy exactly when PyTorch does). Also arange, whose values are exactly defined.
#include "fixture.h"

#include <functional>
#include <map>

namespace cmp::reference {
namespace {

std::vector<int64_t> ints(const Json& j) {
    std::vector<int64_t> out;
    for (const Json& v : j.items()) out.push_back(v.as_int());
    return out;
}

int64_t n(const std::vector<int64_t>& v) { return static_cast<int64_t>(v.size()); }

using Step = std::function<cmp_status(cmp_tensor, const Json&, cmp_tensor*)>;

const std::map<std::string, Step>& steps() {
    static const std::map<std::string, Step> table = {
        {"view", [](cmp_tensor t, const Json& s, cmp_tensor* o) { auto v = ints(s.at("sizes")); return cmp_view(t, v.data(), n(v), o); }},
        {"reshape", [](cmp_tensor t, const Json& s, cmp_tensor* o) { auto v = ints(s.at("sizes")); return cmp_reshape(t, v.data(), n(v), o); }},
        {"permute", [](cmp_tensor t, const Json& s, cmp_tensor* o) { auto v = ints(s.at("dims")); return cmp_permute(t, v.data(), n(v), o); }},
        {"transpose", [](cmp_tensor t, const Json& s, cmp_tensor* o) { return cmp_transpose(t, s.at("dim0").as_int(), s.at("dim1").as_int(), o); }},
        {"slice", [](cmp_tensor t, const Json& s, cmp_tensor* o) {
             return cmp_slice(t, s.at("dim").as_int(), s.at("start").as_int(), s.at("end").as_int(), s.at("step").as_int(), o); }},
        {"select", [](cmp_tensor t, const Json& s, cmp_tensor* o) { return cmp_select(t, s.at("dim").as_int(), s.at("index").as_int(), o); }},
        {"narrow", [](cmp_tensor t, const Json& s, cmp_tensor* o) {
             return cmp_narrow(t, s.at("dim").as_int(), s.at("start").as_int(), s.at("length").as_int(), o); }},
        {"expand", [](cmp_tensor t, const Json& s, cmp_tensor* o) { auto v = ints(s.at("sizes")); return cmp_expand(t, v.data(), n(v), o); }},
        {"squeeze", [](cmp_tensor t, const Json&, cmp_tensor* o) { return cmp_squeeze(t, o); }},
        {"squeeze_dim", [](cmp_tensor t, const Json& s, cmp_tensor* o) { return cmp_squeeze_dim(t, s.at("dim").as_int(), o); }},
        {"unsqueeze", [](cmp_tensor t, const Json& s, cmp_tensor* o) { return cmp_unsqueeze(t, s.at("dim").as_int(), o); }},
        {"flatten", [](cmp_tensor t, const Json& s, cmp_tensor* o) { return cmp_flatten(t, s.at("start_dim").as_int(), s.at("end_dim").as_int(), o); }},
        {"as_strided", [](cmp_tensor t, const Json& s, cmp_tensor* o) {
             auto sizes = ints(s.at("sizes"));
             auto strides = ints(s.at("strides"));
             return cmp_as_strided(t, sizes.data(), strides.data(), n(sizes), s.at("offset").as_int(), o); }},
        {"contiguous", [](cmp_tensor t, const Json&, cmp_tensor* o) { return cmp_contiguous(t, o); }},
    };
    return table;
}

// Address of the start of a tensor's storage: its data pointer minus its offset.
const char* storage_base(cmp_tensor t) {
    void* p = nullptr;
    int64_t offset = 0;
    check(cmp_tensor_data_ptr(t, &p), "cmp_tensor_data_ptr");
    check(cmp_tensor_offset(t, &offset), "cmp_tensor_offset");
    return static_cast<const char*>(p) - offset * dtype_size(dtype_of(t));
}

class ReferenceViews : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceViews, MatchesTorch) {
    const Json& c = *GetParam();
    Tensor base = make_tensor(c.at("input"));
    Tensor t(nullptr);
    cmp_tensor current = base.get();
    const auto& list = c.at("steps").items();
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string& op = list[i].at("op").as_string();
        auto it = steps().find(op);
        ASSERT_NE(it, steps().end()) << "fixture step " << op;
        cmp_tensor raw = nullptr;
        cmp_status status = it->second(current, list[i], &raw);
        Tensor next(raw);
        if (c.has("error") && static_cast<int64_t>(i) == c.at("error_step").as_int()) {
            EXPECT_TRUE(fails_with_message(status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
            return;
        }
        ASSERT_EQ(status, CMP_STATUS_OK) << "step " << i << " (" << op << "): " << cmp_last_error();
        t = std::move(next);
        current = t.get();
    }
    ASSERT_FALSE(c.has("error")) << "the failing step was never reached";
    EXPECT_TRUE(tensor_matches(current, c.at("expected"), Tolerance::exact()));
    // Every stride is PyTorch's, those of size-1 dims included: no element address depends
    // on them, but DLPack consumers and code ported from PyTorch see them.
    EXPECT_EQ(strides_of(current), ints(c.at("strides"))) << "strides";
    int64_t offset = -1;
    check(cmp_tensor_offset(current, &offset), "cmp_tensor_offset");
    EXPECT_EQ(offset, c.at("offset").as_int()) << "storage offset";
    EXPECT_EQ(storage_base(current) == storage_base(base.get()), c.at("shares_storage").as_bool())
        << "shares storage with the input";
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceViews, ::testing::ValuesIn(fixture_cases("views.json")), case_name);

class ReferenceArange : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceArange, MatchesTorch) {
    const Json& c = *GetParam();
    cmp_tensor raw = nullptr;
    cmp_status status = cmp_arange(scalar_from_json(c.at("start")), scalar_from_json(c.at("end")),
                                   scalar_from_json(c.at("step")), dtype_from_name(c.at("dtype").as_string()),
                                   cmp_device{CMP_DEVICE_CPU, 0}, &raw);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, "arange")) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    // Length and integer values are exact. A float element is start + i*step, but PyTorch's
    // CPU kernel evaluates it as (start + k*step) + j*step with k a multiple of its SIMD width
    // (three roundings, build dependent), while a direct start + i*step rounds twice: each is
    // within 3u resp. 2u of the exact value times |start| + i*|step| (abs_bound), u = eps/2 of
    // the dtype, so they are within 2.5*eps*abs_bound of each other. A 16-bit result is
    // rounded from float32 values that close: 1 ulp more.
    cmp_dtype dtype = dtype_from_name(c.at("dtype").as_string());
    Tolerance tol;
    if (dtype_is_floating(dtype)) {
        bool half = dtype == CMP_DTYPE_FLOAT16 || dtype == CMP_DTYPE_BFLOAT16;
        tol.bound_scale = 2.5 * dtype_epsilon(half ? CMP_DTYPE_FLOAT32 : dtype);
        tol.abs_bound = &c.at("abs_bound");
        tol.ulps = half ? 1 : 0;
    }
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), tol));
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceArange, ::testing::ValuesIn(fixture_cases("arange.json")), case_name);

}  // namespace
}  // namespace cmp::reference
