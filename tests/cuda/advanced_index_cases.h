// nonzero, masked_select, index, index_put and index_put_ on a CUDA device against the CPU's,
// shared by the routing tests (the fake backend runs cuda/nonzero.cu's and
// cuda/advanced_index.cu's passes on the host) and the parity tests (the real kernels). Every
// case runs the same inputs on both devices and compares the results exactly (expect_identical:
// elements move as bits, and the accumulating puts add each target's values in the CPU's order
// with its roundings). Errors must fail on both with the same status and message (the device
// names the first bad position in row-major order, then its first bad operand: the CPU kernel's
// order). The puts that copy values (and masks that are not bool) need the copy kernel: the
// routing tests switch the fake's host kernels on.
#pragma once

#include "index_cases.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace cmp::testing::advanced_index_cases {

using index_cases::expect_same;
using index_cases::kEveryDtype;
using index_cases::numel;
using index_cases::values;

// t, or t with dims 0 and 1 swapped when transpose is set: applied inside the ops, so that the
// device operand is strided too (to_device makes a moved tensor dense).
inline Handle viewed(cmp_tensor t, bool transpose) {
    cmp_tensor v = nullptr;
    EXPECT_EQ(transpose ? cmp_transpose(t, 0, 1, &v) : cmp_contiguous(t, &v), CMP_STATUS_OK) << cmp_last_error();
    return Handle(v);
}

// ---- nonzero ----------------------------------------------------------------------------------

struct NonzeroCase {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<double> v = {};  // empty: values(numel, 3), a zero every 23 elements
    bool transpose = false;
};

inline std::vector<NonzeroCase> nonzero_cases() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {
        {"nonzero 1-D", {30}},
        {"nonzero 2-D", {5, 7}},
        {"nonzero 3-D", {3, 4, 5}},
        {"nonzero transposed", {6, 5}, {}, true},
        {"nonzero all zero", {4, 3}, std::vector<double>(12, 0.0)},
        {"nonzero none zero", {2, 3}, {1, 2, 3, 4, 5, 6}},
        {"nonzero -0.0 is zero, NaN is not", {5}, {-0.0, nan, 0.0, 0.25, -1}},
        {"nonzero empty", {3, 0}},
        {"nonzero 0-dim non-zero", {}, {2}},
        {"nonzero 0-dim zero", {}, {0}},
    };
}

// The stored operand (its dims 0 and 1 swapped when the case transposes it in the op).
inline std::vector<int64_t> stored(std::vector<int64_t> shape, bool transpose) {
    if (transpose) std::swap(shape[0], shape[1]);
    return shape;
}

inline void nonzero_case(const NonzeroCase& c, cmp_dtype dt) {
    const std::vector<int64_t> shape = stored(c.shape, c.transpose);
    const Handle self = tensor_from(c.v.empty() ? values(numel(shape), 3) : c.v, shape, dt);
    expect_same(c.name + " dtype " + std::to_string(dt), {&self}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_nonzero(viewed(t[0], c.transpose).get(), out);
    });
}

// ---- masked_select ----------------------------------------------------------------------------

struct MaskedSelectCase {
    std::string name;
    std::vector<int64_t> self;
    std::vector<int64_t> mask;
    std::vector<double> mask_values = {};  // empty: alternating by position (i % 3 != 1)
    cmp_dtype mask_dtype = CMP_DTYPE_BOOL;
    bool transpose_self = false;
};

inline std::vector<MaskedSelectCase> masked_select_cases() {
    return {
        {"masked_select same shape", {4, 5}, {4, 5}},
        {"masked_select mask broadcast over rows", {4, 5}, {5}},
        {"masked_select mask broadcast over columns", {4, 5}, {4, 1}},
        {"masked_select both broadcast", {4, 1}, {1, 5}},
        {"masked_select transposed self", {5, 3}, {5, 3}, {}, CMP_DTYPE_BOOL, true},
        {"masked_select all true", {2, 3}, {2, 3}, {1, 1, 1, 1, 1, 1}},
        {"masked_select all false", {2, 3}, {2, 3}, {0, 0, 0, 0, 0, 0}},
        {"masked_select uint8 mask", {2, 3}, {2, 3}, {0, 2, 0, 1, 1, 0}, CMP_DTYPE_UINT8},
        {"masked_select 0-dim self", {}, {2, 3}},
        {"masked_select 0-dim mask", {2, 3}, {}, {1}},
        {"masked_select empty", {0, 3}, {3}},
        {"masked_select shapes that do not broadcast", {4, 5}, {4}},
        {"masked_select float mask", {2, 3}, {2, 3}, {}, CMP_DTYPE_FLOAT32},
    };
}

inline void masked_select_case(const MaskedSelectCase& c, cmp_dtype dt) {
    const std::vector<int64_t> shape = stored(c.self, c.transpose_self);
    const Handle self = tensor_from(values(numel(shape), 5), shape, dt);
    std::vector<double> mv = c.mask_values;
    if (mv.empty())
        for (int64_t i = 0; i < numel(c.mask); ++i) mv.push_back(i % 3 != 1 ? 1.0 : 0.0);
    const Handle mask = tensor_from(mv, c.mask, c.mask_dtype);
    expect_same(c.name + " dtype " + std::to_string(dt), {&self, &mask}, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_masked_select(viewed(t[0], c.transpose_self).get(), t[1], out);
    });
}

// ---- index, index_put, index_put_ -------------------------------------------------------------

// One entry of x[...]: taken whole (an undefined index), an int64 index tensor or a mask.
struct Entry {
    std::vector<double> v;  // empty with whole: the dim taken whole
    std::vector<int64_t> shape;
    cmp_dtype dtype = CMP_DTYPE_INT64;
    bool whole = false;
};
inline Entry whole() { return Entry{{}, {}, CMP_DTYPE_INT64, true}; }
inline Entry idx(std::vector<double> v, std::vector<int64_t> shape) { return Entry{std::move(v), std::move(shape)}; }
inline Entry mask(std::vector<double> v, std::vector<int64_t> shape, cmp_dtype dt = CMP_DTYPE_BOOL) {
    return Entry{std::move(v), std::move(shape), dt};
}

struct IndexCase {
    std::string name;
    std::vector<int64_t> self;
    std::vector<Entry> entries;
    bool transpose_self = false;
    std::optional<std::vector<int64_t>> values = std::nullopt;  // the puts' values shape (none: the result's)
};

inline std::vector<IndexCase> index_cases() {
    return {
        {"index dim 0", {4, 3, 2}, {idx({3, 0, 2}, {3})}},
        {"index dim 1 (adjacent, in place)", {4, 3, 2}, {whole(), idx({2, 0, 2, 1}, {2, 2})}},
        {"index two adjacent dims broadcast", {4, 3, 2}, {idx({1, 3}, {2, 1}), idx({0, 2, 1}, {3})}},
        {"index two non-adjacent dims (result dims first)", {4, 3, 2},
         {idx({3, 1, 0}, {3}), whole(), idx({1, 0, 1}, {3})}},
        {"index last dim only", {4, 3, 2}, {whole(), whole(), idx({1, 1, 0}, {3})}},
        {"index negative indices", {4, 3, 2}, {idx({-1, -4, 2}, {3}), idx({-3, 2, -1}, {3})}},
        {"index 0-dim index", {4, 3, 2}, {whole(), idx({2}, {})}},
        {"index duplicates", {5, 2}, {idx({1, 3, 1, 1, 4, 3, 1}, {7})}},
        {"index empty index", {4, 3}, {idx({}, {0})}},
        {"index transposed self", {4, 6}, {whole(), idx({5, 0, 5, 2}, {4})}, true},
        {"index bool mask", {3, 4, 2}, {mask({1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1}, {3, 4})}},
        {"index mask after a whole dim", {3, 4, 2}, {whole(), mask({0, 1, 1, 0}, {4})}},
        {"index all-true mask", {2, 3}, {mask({1, 1, 1, 1, 1, 1}, {2, 3})}},
        {"index all-false mask", {2, 3}, {mask({0, 0}, {2})}},
        {"index uint8 mask", {4, 3}, {mask({0, 3, 1, 0}, {4}, CMP_DTYPE_UINT8)}},
        {"index mask with an index", {3, 4}, {mask({1, 0, 1}, {3}), idx({3, 0}, {2})}},
        {"index too large", {4, 3}, {idx({0, 3}, {2}), idx({1, 3}, {2})}},
        {"index too negative", {4, 3}, {idx({0, -5, 1}, {3})}},
        {"index first bad position wins", {4, 3}, {idx({0, 9, -7}, {3}), idx({5, 0, 0}, {3})}},
        {"index into an empty dim", {4, 0}, {whole(), idx({0}, {1})}},
        {"index float index", {4, 3}, {mask({0.0}, {1}, CMP_DTYPE_FLOAT32)}},
        {"index too many indices", {4}, {idx({0}, {1}), idx({0}, {1})}},
        {"index mask of the wrong shape", {4, 3}, {mask({1, 0, 1}, {3})}},
        {"index shapes that do not broadcast", {4, 3}, {idx({0, 1}, {2}), idx({0, 1, 2}, {3})}},
        {"index put values broadcast", {5, 4}, {idx({4, 1, 4}, {3})}, false, std::vector<int64_t>{4}},
        {"index put 0-dim values", {5, 4}, {idx({4, 1, 4}, {3}), idx({0, 0, 3}, {3})}, false, std::vector<int64_t>{}},
        {"index put values that do not broadcast", {5, 4}, {idx({4, 1}, {2})}, false, std::vector<int64_t>{3}},
    };
}

// The case's operands: self, then the defined entries' tensors, then (puts) values.
struct IndexOperands {
    std::vector<Handle> owned;
    std::vector<const Handle*> list;
};

inline IndexOperands index_operands(const IndexCase& c, cmp_dtype dt, const std::vector<int64_t>* values_shape) {
    IndexOperands o;
    const std::vector<int64_t> shape = stored(c.self, c.transpose_self);
    o.owned.push_back(tensor_from(values(numel(shape), 2), shape, dt));
    for (const Entry& e : c.entries)
        if (!e.whole) o.owned.push_back(tensor_from(e.v, e.shape, e.dtype));
    if (values_shape) o.owned.push_back(tensor_from(values(numel(*values_shape), 9), *values_shape, dt));
    for (const Handle& h : o.owned) o.list.push_back(&h);
    return o;
}

// x[entries] from the op's operand list t (self, the defined entries...).
inline std::vector<cmp_tensor> entries_of(const IndexCase& c, const std::vector<cmp_tensor>& t) {
    std::vector<cmp_tensor> out;
    size_t next = 1;
    for (const Entry& e : c.entries) out.push_back(e.whole ? nullptr : t[next++]);
    return out;
}

// The shape of x[entries] on the CPU (nothing when the get fails).
inline bool result_shape(const IndexCase& c, cmp_dtype dt, std::vector<int64_t>* shape) {
    const IndexOperands o = index_operands(c, dt, nullptr);
    std::vector<cmp_tensor> t;
    for (const Handle* h : o.list) t.push_back(h->get());
    const std::vector<cmp_tensor> e = entries_of(c, t);
    cmp_tensor out = nullptr;
    if (cmp_index(viewed(t[0], c.transpose_self).get(), e.data(), static_cast<int64_t>(e.size()), &out) != CMP_STATUS_OK)
        return false;
    const Handle r(out);
    int64_t nd = 0;
    EXPECT_EQ(cmp_tensor_ndim(r.get(), &nd), CMP_STATUS_OK);
    shape->assign(static_cast<size_t>(nd), 0);
    EXPECT_EQ(cmp_tensor_sizes(r.get(), shape->data(), nd), CMP_STATUS_OK);
    return true;
}

// The get, then index_put_ / index_put with and without accumulate (values of the result's shape,
// or of the case's values shape; accumulate on bool adds as or).
inline void index_case(const IndexCase& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    {
        const IndexOperands o = index_operands(c, dt, nullptr);
        expect_same(what + " index", o.list, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
            const std::vector<cmp_tensor> e = entries_of(c, t);
            return cmp_index(viewed(t[0], c.transpose_self).get(), e.data(), static_cast<int64_t>(e.size()), out);
        });
    }
    std::vector<int64_t> vshape;
    if (c.values) vshape = *c.values;
    else if (!result_shape(c, dt, &vshape)) vshape = {1};  // the get fails: the puts fail alike whatever the values
    const IndexOperands o = index_operands(c, dt, &vshape);
    for (int32_t accumulate : {0, 1}) {
        const std::string with = what + (accumulate ? " accumulate" : "");
        expect_same(with + " index_put_", o.list, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
            const std::vector<cmp_tensor> e = entries_of(c, t);
            const cmp_status s = cmp_index_put_(viewed(t[0], c.transpose_self).get(), e.data(),
                                                static_cast<int64_t>(e.size()), t.back(), accumulate);
            if (s == CMP_STATUS_OK && cmp_tensor_retain(t[0]) == CMP_STATUS_OK) *out = t[0];
            return s;
        });
        expect_same(with + " index_put", o.list, [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
            const std::vector<cmp_tensor> e = entries_of(c, t);
            return cmp_index_put(viewed(t[0], c.transpose_self).get(), e.data(), static_cast<int64_t>(e.size()), t.back(),
                                 accumulate, out);
        });
    }
}

// Every case above in every dtype.
inline void every_case() {
    for (cmp_dtype dt : kEveryDtype) {
        for (const NonzeroCase& c : nonzero_cases()) nonzero_case(c, dt);
        for (const MaskedSelectCase& c : masked_select_cases()) masked_select_case(c, dt);
        for (const IndexCase& c : index_cases()) index_case(c, dt);
    }
}

}  // namespace cmp::testing::advanced_index_cases
