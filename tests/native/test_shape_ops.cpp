// Shape ops against PyTorch (shape_ops.json): cat, stack, split, split_with_sizes, chunk,
// unbind, flip, roll, repeat, tile, tril, triu, diagonal and diag through the C ABI, compared
// on values, dtypes, number of results and whether each result shares the input's storage.
// Below the fixture test: the list-out protocol (count query, capacity) and bad C arguments.
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

// Results of one op call: status plus owned handles.
struct Results {
    cmp_status status = CMP_STATUS_OK;
    std::vector<Tensor> tensors;
};

// raw is taken by reference: it is read after the call that fills it has run.
Results single(cmp_status status, const cmp_tensor& raw) {
    Results r;
    r.status = status;
    if (raw) r.tensors.emplace_back(raw);
    return r;
}

// Calls a list-returning function twice: once for the count, once for the handles.
Results list(const std::function<cmp_status(cmp_tensor*, int64_t, int64_t*)>& fn) {
    Results r;
    int64_t count = -1;
    r.status = fn(nullptr, 0, &count);
    if (r.status != CMP_STATUS_OK) return r;
    std::vector<cmp_tensor> raw(static_cast<size_t>(count), nullptr);
    int64_t again = -1;
    r.status = fn(raw.data(), count, &again);
    EXPECT_EQ(again, count);
    for (cmp_tensor t : raw) r.tensors.emplace_back(t);
    return r;
}

using Op = std::function<Results(const std::vector<cmp_tensor>&, const Json&)>;

const std::map<std::string, Op>& ops() {
    static const std::map<std::string, Op> table = {
        {"cat", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_cat(x.data(), static_cast<int64_t>(x.size()), a.at("dim").as_int(), &o), o); }},
        {"stack", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_stack(x.data(), static_cast<int64_t>(x.size()), a.at("dim").as_int(), &o), o); }},
        {"split", [](const std::vector<cmp_tensor>& x, const Json& a) {
             return list([&](cmp_tensor* o, int64_t cap, int64_t* cnt) {
                 return cmp_split(x[0], a.at("split_size").as_int(), a.at("dim").as_int(), o, cap, cnt); }); }},
        {"split_with_sizes", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto s = ints(a.at("sizes"));
             return list([&](cmp_tensor* o, int64_t cap, int64_t* cnt) {
                 return cmp_split_with_sizes(x[0], s.data(), n(s), a.at("dim").as_int(), o, cap, cnt); }); }},
        {"chunk", [](const std::vector<cmp_tensor>& x, const Json& a) {
             return list([&](cmp_tensor* o, int64_t cap, int64_t* cnt) {
                 return cmp_chunk(x[0], a.at("chunks").as_int(), a.at("dim").as_int(), o, cap, cnt); }); }},
        {"unbind", [](const std::vector<cmp_tensor>& x, const Json& a) {
             return list([&](cmp_tensor* o, int64_t cap, int64_t* cnt) { return cmp_unbind(x[0], a.at("dim").as_int(), o, cap, cnt); }); }},
        {"flip", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto d = ints(a.at("dims"));
             cmp_tensor o = nullptr;
             return single(cmp_flip(x[0], d.data(), n(d), &o), o); }},
        {"roll", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto s = ints(a.at("shifts"));
             auto d = ints(a.at("dims"));
             cmp_tensor o = nullptr;
             return single(cmp_roll(x[0], s.data(), n(s), d.data(), n(d), &o), o); }},
        {"repeat", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto r = ints(a.at("repeats"));
             cmp_tensor o = nullptr;
             return single(cmp_repeat(x[0], r.data(), n(r), &o), o); }},
        {"tile", [](const std::vector<cmp_tensor>& x, const Json& a) {
             auto r = ints(a.at("reps"));
             cmp_tensor o = nullptr;
             return single(cmp_tile(x[0], r.data(), n(r), &o), o); }},
        {"tril", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_tril(x[0], a.at("diagonal").as_int(), &o), o); }},
        {"triu", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_triu(x[0], a.at("diagonal").as_int(), &o), o); }},
        {"diagonal", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_diagonal(x[0], a.at("offset").as_int(), a.at("dim1").as_int(), a.at("dim2").as_int(), &o), o); }},
        {"diag", [](const std::vector<cmp_tensor>& x, const Json& a) {
             cmp_tensor o = nullptr;
             return single(cmp_diag(x[0], a.at("diagonal").as_int(), &o), o); }},
    };
    return table;
}

const char* storage_base(cmp_tensor t) {
    void* p = nullptr;
    int64_t offset = 0;
    check(cmp_tensor_data_ptr(t, &p), "cmp_tensor_data_ptr");
    check(cmp_tensor_offset(t, &offset), "cmp_tensor_offset");
    return static_cast<const char*>(p) - offset * dtype_size(dtype_of(t));
}

class ReferenceShapeOps : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceShapeOps, MatchesTorch) {
    const Json& c = *GetParam();
    const std::string& op = c.at("op").as_string();
    auto it = ops().find(op);
    ASSERT_NE(it, ops().end()) << "fixture op " << op;
    std::vector<Tensor> inputs;
    std::vector<cmp_tensor> raw;
    for (const Json& j : c.at("inputs").items()) {
        inputs.push_back(make_tensor(j));
        raw.push_back(inputs.back().get());
    }
    Results r = it->second(raw, c.at("args"));
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(r.status, op.c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(r.status, CMP_STATUS_OK) << op << ": " << cmp_last_error();
    const auto& expected = c.at("expected").items();
    ASSERT_EQ(r.tensors.size(), expected.size()) << "number of results";
    // Moving elements never rounds: every result is exact.
    for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_TRUE(tensor_matches(r.tensors[i].get(), expected[i], Tolerance::exact())) << "result " << i;
    if (c.has("shares_storage")) {
        for (size_t i = 0; i < r.tensors.size(); ++i)
            EXPECT_EQ(storage_base(r.tensors[i].get()) == storage_base(raw[0]), c.at("shares_storage").as_bool())
                << "result " << i << " shares storage with the input";
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceShapeOps, ::testing::ValuesIn(fixture_cases("shape_ops.json")), case_name);

Tensor arange_f32(int64_t count, std::vector<int64_t> shape) {
    std::vector<float> v(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
    cmp_tensor raw = nullptr;
    check(cmp_from_buffer(v.data(), count * 4, shape.data(), n(shape), CMP_DTYPE_FLOAT32, &raw), "cmp_from_buffer");
    return Tensor(raw);
}

TEST(ShapeOpsAbi, SplitCountQueryAndCapacity) {
    Tensor t = arange_f32(10, {10});
    int64_t count = -1;
    ASSERT_EQ(cmp_split(t.get(), 3, 0, nullptr, 0, &count), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(count, 4);
    // Too small a buffer: an error naming the count, and no handle written.
    cmp_tensor outs[2] = {nullptr, nullptr};
    EXPECT_EQ(cmp_split(t.get(), 3, 0, outs, 2, &count), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("capacity 2"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(outs[0], nullptr);
    EXPECT_EQ(cmp_split(t.get(), 3, 0, outs, 2, nullptr), CMP_STATUS_INVALID_ARGUMENT);
}

TEST(ShapeOpsAbi, CatRejectsBadLists) {
    Tensor t = arange_f32(4, {2, 2});
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_cat(nullptr, 2, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(cmp_cat(nullptr, 0, 0, &out), CMP_STATUS_INVALID_ARGUMENT);  // empty list
    EXPECT_NE(std::string(cmp_last_error()).find("non-empty"), std::string::npos) << cmp_last_error();
    cmp_tensor list[2] = {t.get(), nullptr};
    EXPECT_EQ(cmp_cat(list, 2, 0, &out), CMP_STATUS_INVALID_HANDLE);
    EXPECT_NE(std::string(cmp_last_error()).find("tensors[1]"), std::string::npos) << cmp_last_error();
    EXPECT_EQ(cmp_stack(list, -1, 0, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(out, nullptr);
}

TEST(ShapeOpsAbi, CatOfLargeTensorsMatchesElementwiseDefinition) {
    // Large enough that copy_ runs over the pool; the values identify their source position.
    const int64_t rows = 300, cols_a = 200, cols_b = 170;
    Tensor a = arange_f32(rows * cols_a, {rows, cols_a});
    Tensor b = arange_f32(rows * cols_b, {rows, cols_b});
    cmp_tensor list[2] = {a.get(), b.get()};
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_cat(list, 2, 1, &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor out(raw);
    std::vector<float> v(static_cast<size_t>(rows * (cols_a + cols_b)));
    check(cmp_tensor_copy_to_buffer(out.get(), v.data(), static_cast<int64_t>(v.size() * 4)), "copy_to_buffer");
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols_a + cols_b; ++c) {
            const float want = static_cast<float>(c < cols_a ? r * cols_a + c : r * cols_b + (c - cols_a));
            ASSERT_EQ(v[static_cast<size_t>(r * (cols_a + cols_b) + c)], want) << r << "," << c;
        }
}

}  // namespace
}  // namespace cmp::reference
