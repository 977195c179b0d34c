// gather, index_select, embedding, embedding_backward and the scatter family on a CUDA device
// against the CPU's,
// shared by the routing tests (the fake backend runs cuda/index.cu's loops on the host) and the
// parity tests (the real kernels). Every case runs the same inputs on both devices and compares
// the results exactly: gather and the lookups move elements as bits, and embedding_backward and
// the scatters combine each element's terms in the CPU's order with the CPU's roundings
// (docs/CUDA.md), so the bits must
// agree (expect_identical: -0.0 is not 0.0). Index errors must fail on both with the same status
// and message (one bad index per case: the device names the first bad position in row-major
// order, the CPU's gather the first of its line).
#pragma once

#include "cuda_test_util.h"

#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::index_cases {

inline const cmp_dtype kEveryDtype[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16,
                                        CMP_DTYPE_INT64,   CMP_DTYPE_INT32,   CMP_DTYPE_INT16,   CMP_DTYPE_INT8,
                                        CMP_DTYPE_UINT8,   CMP_DTYPE_BOOL};
inline const cmp_dtype kFloating[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

inline int64_t numel(const std::vector<int64_t>& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

// n distinct-looking values (with zeros and negatives: bool and uint8 see them converted).
inline std::vector<double> values(int64_t n, int salt = 0) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 7 + salt) % 23) * 0.375 - 3.0;
    return v;
}

// values(numel, salt) in dtype dt with the given shape, seen transposed (dims 0 and 1 swapped:
// a strided operand) when transpose is set.
inline Handle operand(const std::vector<int64_t>& shape, cmp_dtype dt, int salt, bool transpose) {
    std::vector<int64_t> stored = shape;
    if (transpose) std::swap(stored[0], stored[1]);
    Handle t = tensor_from(values(numel(stored), salt), stored, dt);
    if (!transpose) return t;
    cmp_tensor v = nullptr;
    EXPECT_EQ(cmp_transpose(t.get(), 0, 1, &v), CMP_STATUS_OK) << cmp_last_error();
    return Handle(v);
}

// An index tensor (int64) of the given shape and values.
inline Handle index_of(const std::vector<double>& v, const std::vector<int64_t>& shape) {
    return tensor_from(v, shape, CMP_DTYPE_INT64);
}

// Runs op on the CPU operands and on their CUDA copies: both succeed with identical values and
// shapes, or both fail with the same status and message.
using Op = std::function<cmp_status(const std::vector<cmp_tensor>&, cmp_tensor*)>;
inline void expect_same(const std::string& what, const std::vector<const Handle*>& host, const Op& op) {
    std::vector<Handle> dev;
    std::vector<cmp_tensor> h, d;
    for (const Handle* t : host) {
        dev.push_back(to_device(t->get(), cuda_device()));
        h.push_back(t->get());
    }
    for (const Handle& t : dev) d.push_back(t.get());
    cmp_tensor ho = nullptr, dout = nullptr;
    const Failure hf = failure_of([&] { return op(h, &ho); });
    const Handle hres(ho);
    const Failure df = failure_of([&] { return op(d, &dout); });
    const Handle dres(dout);
    if (!both_succeeded(what, hf, df)) return;
    ASSERT_EQ(device_of(dres.get()).type, CMP_DEVICE_CUDA) << what;
    int64_t hn = 0, dn = 0;
    ASSERT_EQ(cmp_tensor_ndim(hres.get(), &hn), CMP_STATUS_OK);
    ASSERT_EQ(cmp_tensor_ndim(dres.get(), &dn), CMP_STATUS_OK);
    ASSERT_EQ(dn, hn) << what;
    std::vector<int64_t> hs(static_cast<size_t>(hn)), ds(static_cast<size_t>(dn));
    ASSERT_EQ(cmp_tensor_sizes(hres.get(), hs.data(), hn), CMP_STATUS_OK);
    ASSERT_EQ(cmp_tensor_sizes(dres.get(), ds.data(), dn), CMP_STATUS_OK);
    EXPECT_EQ(ds, hs) << what;
    expect_identical(host_values(dres.get()), values_of(hres.get()), what);
}

struct GatherCase {
    std::string name;
    std::vector<int64_t> self;
    int64_t dim;
    std::vector<int64_t> index;
    std::vector<double> index_values = {};  // empty: in range, mixed by position
    bool transpose_self = false;       // self seen transposed (dims 0 and 1 swapped): strided
};

inline std::vector<double> in_range(const std::vector<int64_t>& index, int64_t size) {
    std::vector<double> v(static_cast<size_t>(numel(index)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 5 + i / 3) % static_cast<size_t>(size));
    return v;
}

inline std::vector<GatherCase> gather_cases() {
    return {
        {"gather dim 1", {3, 4, 5}, 1, {3, 6, 5}, {}},
        {"gather dim -1, index smaller elsewhere", {3, 4, 5}, -1, {2, 3, 7}, {}},
        {"gather dim 0", {3, 4, 5}, 0, {2, 4, 5}, {}},
        {"gather 1-D", {9}, 0, {12}, {}},
        {"gather of a transposed self", {4, 6}, 1, {6, 3}, {}, true},
        {"gather empty index", {3, 4, 5}, 1, {3, 0, 5}, {}},
        {"gather 0-dim", {}, 0, {}, {0}},
        {"gather index too large", {3, 4}, 1, {3, 2}, {0, 1, 2, 3, 4, 0}},
        {"gather negative index", {3, 4}, 0, {2, 4}, {0, 1, 2, 0, 1, 2, -1, 0}},
        {"gather into an empty dim", {3, 0}, 1, {3, 1}, {0, 0, 0}},
    };
}

inline void gather_case(const GatherCase& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const Handle self = operand(c.self, dt, 1, c.transpose_self);
    const int64_t nd = static_cast<int64_t>(c.self.size());
    const int64_t d = nd == 0 ? 0 : (c.dim + nd) % nd;
    const int64_t size = nd == 0 ? 1 : c.self[static_cast<size_t>(d)];
    const Handle index = index_of(c.index_values.empty() ? in_range(c.index, size) : c.index_values, c.index);
    // The index stays on the CPU side of the op's operands list, so that a CUDA self gets a CUDA index.
    expect_same(what, {&self, &index}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_gather(t[0], c.dim, t[1], out);
    });
}

struct SelectCase {
    std::string name;
    std::vector<int64_t> self;
    int64_t dim;
    std::vector<double> index;
    bool transpose_self = false;
};

inline std::vector<SelectCase> select_cases() {
    return {
        {"index_select dim 0", {4, 3, 2}, 0, {3, 0, 3, 1}},
        {"index_select dim 1", {4, 3, 2}, 1, {2, 2, 0}},
        {"index_select dim -1", {4, 3, 2}, -1, {1, 0, 1, 1, 0}},
        {"index_select of a transposed self", {5, 3}, 0, {4, 0, 2}, true},
        {"index_select empty index", {4, 3}, 1, {}},
        {"index_select 1-D", {6}, 0, {5, 5, 0}},
        {"index_select index too large", {4, 3}, 0, {0, 4}},
        {"index_select negative index", {4, 3}, 1, {-1}},
    };
}

inline void select_case(const SelectCase& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const Handle self = operand(c.self, dt, 2, c.transpose_self);
    const Handle index = index_of(c.index, {static_cast<int64_t>(c.index.size())});
    expect_same(what, {&self, &index}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_index_select(t[0], c.dim, t[1], out);
    });
}

struct EmbeddingCase {
    std::string name;
    int64_t num, dim;
    std::vector<int64_t> indices_shape;
    std::vector<double> indices;
    bool has_padding = false;
    int64_t padding = 0;
};

inline std::vector<EmbeddingCase> embedding_cases() {
    return {
        {"embedding 1-D indices with repeats", 7, 4, {6}, {3, 0, 6, 3, 3, 1}},
        {"embedding 2-D indices, padding 2", 7, 3, {2, 3}, {2, 5, 2, 0, 2, 6}, true, 2},
        {"embedding padding -1", 5, 4, {4}, {4, 4, 1, 0}, true, -1},
        {"embedding 0-dim index", 5, 4, {}, {3}},
        {"embedding no index", 5, 4, {0}, {}},
        {"embedding of no column", 5, 0, {3}, {1, 2, 1}},
        {"embedding many repeats", 3, 5, {40}, {}},
        {"embedding index too large", 5, 2, {3}, {0, 5, 1}},
        {"embedding negative index", 5, 2, {2, 2}, {0, 1, -2, 1}},
    };
}

inline std::vector<double> indices_of(const EmbeddingCase& c) {
    if (!c.indices.empty() || numel(c.indices_shape) == 0) return c.indices;
    std::vector<double> v(static_cast<size_t>(numel(c.indices_shape)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * i + 1) % static_cast<size_t>(c.num));
    return v;
}

inline void embedding_case(const EmbeddingCase& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const Handle weight = tensor_from(values(c.num * c.dim, 3), {c.num, c.dim}, dt);
    const Handle indices = index_of(indices_of(c), c.indices_shape);
    expect_same(what, {&weight, &indices}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_embedding(t[0], t[1], c.padding, c.has_padding ? 1 : 0, nullptr, 2.0, out);
    });
}

inline void embedding_backward_case(const EmbeddingCase& c, cmp_dtype dt, bool scale) {
    const std::string what = c.name + " backward" + (scale ? " scaled by frequency" : "") + " dtype " + std::to_string(dt);
    std::vector<int64_t> grad_shape = c.indices_shape;
    grad_shape.push_back(c.dim);
    const Handle grad = tensor_from(values(numel(grad_shape), 4), grad_shape, dt);
    const Handle indices = index_of(indices_of(c), c.indices_shape);
    expect_same(what, {&grad, &indices}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_embedding_backward(t[0], t[1], c.num, c.padding, c.has_padding ? 1 : 0, scale ? 1 : 0, out);
    });
}

// embedding with max_norm on both devices: the lookups and the renormalised weights agree within
// a few ulps of the dtype (each device sums the norms in float64 in its own order, so a scale can
// round the other way), a bad index fails alike and leaves both weights untouched, an integer
// weight is refused alike.
struct MaxNormCase {
    std::string name;
    int64_t num, dim;
    std::vector<double> indices;
    double max_norm, norm_type;
};

inline std::vector<MaxNormCase> max_norm_cases() {
    return {
        {"max_norm 2, repeats, rows under and over", 6, 5, {4, 1, 4, 0, 4, 5}, 3.0, 2.0},
        {"max_norm 1-norm", 5, 4, {0, 2, 3}, 2.5, 1.0},
        {"max_norm inf-norm", 5, 4, {3, 1, 1}, 1.5, INFINITY},
        {"max_norm 3-norm, every row", 4, 6, {3, 2, 1, 0}, 0.5, 3.0},
        {"max_norm no row over", 4, 3, {1, 2}, 1e6, 2.0},
        {"max_norm 0-norm (non-zeros counted)", 5, 4, {0, 1, 2, 3, 4}, 2.5, 0.0},
        {"max_norm -inf-norm (smallest |x|)", 5, 4, {4, 2, 0}, 0.5, -INFINITY},
        {"max_norm index too large", 5, 3, {1, 7, 2}, 1.0, 2.0},
    };
}

inline void max_norm_case(const MaxNormCase& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const Handle host = tensor_from(values(c.num * c.dim, 5), {c.num, c.dim}, dt);
    const Handle dev = to_device(host.get(), cuda_device());
    const Handle index = index_of(c.indices, {static_cast<int64_t>(c.indices.size())});
    const Handle dev_index = to_device(index.get(), cuda_device());
    cmp_tensor ho = nullptr, dout = nullptr;
    const Failure hf = failure_of([&] { return cmp_embedding(host.get(), index.get(), 0, 0, &c.max_norm, c.norm_type, &ho); });
    const Handle hres(ho);
    const Failure df = failure_of([&] { return cmp_embedding(dev.get(), dev_index.get(), 0, 0, &c.max_norm, c.norm_type, &dout); });
    const Handle dres(dout);
    expect_close(host_values(dev.get()), values_of(host.get()), tolerance(dt), what + " weight");
    if (both_succeeded(what, hf, df)) expect_close(host_values(dres.get()), values_of(hres.get()), tolerance(dt), what);
}

inline void every_max_norm_case() {
    for (cmp_dtype dt : kFloating)
        for (const MaxNormCase& c : max_norm_cases()) max_norm_case(c, dt);
    max_norm_case({"max_norm of an int64 weight", 4, 3, {1, 2}, 1.0, 2.0}, CMP_DTYPE_INT64);
}

// The scatter family. The in-place forms (scatter_add_, index_add_) run on the fake backend too;
// the others clone self first (the copy kernel), so they run on a GPU only (out_of_place).
struct ScatterCase {
    std::string name;
    std::vector<int64_t> self;
    int64_t dim;
    std::vector<int64_t> index;
    std::vector<int64_t> src;          // no smaller than index
    bool unique = false;               // the index names each element of a line at most once
    std::vector<double> index_values = {};  // given (bad indices), else generated
    bool transpose_src = false;        // src seen transposed (dims 0 and 1)
};

inline std::vector<double> scatter_index(const ScatterCase& c, int64_t d) {
    if (!c.index_values.empty()) return c.index_values;
    const int64_t size = c.self[static_cast<size_t>(d)];
    std::vector<double> v(static_cast<size_t>(numel(c.index)));
    int64_t inner = 1;
    for (size_t k = static_cast<size_t>(d) + 1; k < c.index.size(); ++k) inner *= c.index[k];
    for (size_t p = 0; p < v.size(); ++p) {
        const int64_t j = (static_cast<int64_t>(p) / inner) % c.index[static_cast<size_t>(d)];
        const int64_t line = static_cast<int64_t>(p) % inner + static_cast<int64_t>(p) / (inner * c.index[static_cast<size_t>(d)]);
        v[p] = static_cast<double>(c.unique ? (j + line) % size : (p * 5 + p / 3) % static_cast<size_t>(size));
    }
    return v;
}

inline std::vector<ScatterCase> scatter_cases() {
    return {
        {"scatter dim 0, repeats", {4, 5}, 0, {6, 5}, {6, 5}},
        {"scatter dim 1, index smaller elsewhere", {4, 5, 3}, 1, {3, 7, 2}, {4, 7, 3}},
        {"scatter dim -1, unique", {3, 6}, -1, {3, 4}, {3, 4}, true},
        {"scatter unique dim 0", {5, 4, 2}, 0, {4, 3, 2}, {4, 4, 2}, true},
        {"scatter of a transposed src", {4, 5}, 1, {4, 5}, {4, 5}, false, {}, true},
        {"scatter empty index", {4, 5}, 1, {4, 0}, {4, 5}},
        {"scatter index too large", {3, 4}, 1, {2, 2}, {2, 2}, true, {0, 1, 4, 2}},
        {"scatter negative index", {3, 4}, 0, {2, 2}, {2, 2}, true, {0, 1, 2, -3}},
    };
}

// scatter_add_ (in place) or, when out_of_place, also every other form on the same operands:
// scatter (src, none only for unique indices, add, multiply), scatter with a value, scatter_add,
// scatter_reduce (sum, prod, mean, amax, amin with and without self).
inline void scatter_case(const ScatterCase& c, cmp_dtype dt, bool out_of_place) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const int64_t nd = static_cast<int64_t>(c.self.size());
    const int64_t d = (c.dim + nd) % nd;
    const Handle self = tensor_from(values(numel(c.self), 5), c.self, dt);
    const Handle src = operand(c.src, dt, 6, c.transpose_src);
    const Handle index = index_of(scatter_index(c, d), c.index);
    const auto in_place = [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        const cmp_status s = cmp_scatter_add_(t[0], c.dim, t[1], t[2]);
        if (s == CMP_STATUS_OK && cmp_tensor_retain(t[0]) == CMP_STATUS_OK) *out = t[0];
        return s;
    };
    expect_same(what + " scatter_add_", {&self, &index, &src}, in_place);
    if (!out_of_place) return;
    for (int32_t reduce : {0, 1, 2}) {
        if (reduce == 0 && !c.unique) continue;
        expect_same(what + " scatter reduce " + std::to_string(reduce), {&self, &index, &src},
                    [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
                        return cmp_scatter(t[0], c.dim, t[1], t[2], reduce, out);
                    });
        expect_same(what + " scatter_value reduce " + std::to_string(reduce), {&self, &index},
                    [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
                        return cmp_scatter_value(t[0], c.dim, t[1], cmp_scalar{CMP_SCALAR_FLOAT, 0, 1.5, 0}, reduce, out);
                    });
    }
    expect_same(what + " scatter_add", {&self, &index, &src}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_scatter_add(t[0], c.dim, t[1], t[2], out);
    });
    for (int32_t reduce : {1, 2, 3, 4, 5})
        for (int32_t include_self : {0, 1})
            expect_same(what + " scatter_reduce " + std::to_string(reduce) + " include_self " + std::to_string(include_self),
                        {&self, &index, &src}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
                            return cmp_scatter_reduce(t[0], c.dim, t[1], t[2], reduce, include_self, out);
                        });
}

struct IndexAddCase {
    std::string name;
    std::vector<int64_t> self;
    int64_t dim;
    std::vector<double> index;
};

inline std::vector<IndexAddCase> index_add_cases() {
    return {
        {"index_add dim 0, repeats", {5, 3}, 0, {4, 0, 4, 2, 4}},
        {"index_add dim 1", {3, 4, 2}, 1, {3, 1, 1}},
        {"index_add dim -1", {3, 4}, -1, {0, 3}},
        {"index_add empty index", {3, 4}, 0, {}},
        {"index_add index too large", {3, 4}, 0, {1, 3}},
        {"index_add negative index", {3, 4}, 1, {-1, 0}},
    };
}

// index_add_ with alpha 1, 2 and (floating dtypes; integer ones refuse it on both devices) 0.5;
// when out_of_place, index_add too.
inline void index_add_case(const IndexAddCase& c, cmp_dtype dt, bool out_of_place) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const int64_t nd = static_cast<int64_t>(c.self.size());
    std::vector<int64_t> src_shape = c.self;
    src_shape[static_cast<size_t>((c.dim + nd) % nd)] = static_cast<int64_t>(c.index.size());
    const Handle self = tensor_from(values(numel(c.self), 7), c.self, dt);
    const Handle src = tensor_from(values(numel(src_shape), 8), src_shape, dt);
    const Handle index = index_of(c.index, {static_cast<int64_t>(c.index.size())});
    for (const cmp_scalar alpha : {cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 2},
                                   cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.5, 0}}) {
        const std::string with = what + " alpha " + std::to_string(alpha.kind == CMP_SCALAR_FLOAT ? alpha.f : alpha.i);
        expect_same(with + " index_add_", {&self, &index, &src}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
            const cmp_status s = cmp_index_add_(t[0], c.dim, t[1], t[2], alpha);
            if (s == CMP_STATUS_OK && cmp_tensor_retain(t[0]) == CMP_STATUS_OK) *out = t[0];
            return s;
        });
        if (out_of_place)
            expect_same(with + " index_add", {&self, &index, &src}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
                return cmp_index_add(t[0], c.dim, t[1], t[2], alpha, out);
            });
    }
}

// Every case above in every dtype (embedding_backward: the floating ones, with and without
// scale_grad_by_freq); the scatter family's out-of-place forms only when out_of_place (a GPU).
inline void every_case(bool out_of_place = false) {
    for (cmp_dtype dt : kEveryDtype) {
        for (const GatherCase& c : gather_cases()) gather_case(c, dt);
        for (const SelectCase& c : select_cases()) select_case(c, dt);
        for (const EmbeddingCase& c : embedding_cases()) embedding_case(c, dt);
        for (const ScatterCase& c : scatter_cases()) scatter_case(c, dt, out_of_place);
        for (const IndexAddCase& c : index_add_cases()) index_add_case(c, dt, out_of_place);
    }
    for (cmp_dtype dt : kFloating)
        for (const EmbeddingCase& c : embedding_cases())
            for (bool scale : {false, true}) embedding_backward_case(c, dt, scale);
}

}  // namespace cmp::testing::index_cases
