// Front-ends of unique, unique_consecutive and repeat_interleave. unique sorts (the flattened
// tensor, or the slices along dim lexicographically through stable sorts column by column),
// then one kernel marks where a run of equal elements/slices starts; groups, inverse and counts
// follow from those marks in one pass (on a CUDA device in device ops: group_rows_cuda, with the
// number of groups read back once). repeat_interleave is a broadcast copy (number repeats)
// or an index_select with the repeated positions (tensor repeats). On a CUDA device the repeat
// counts decide the result's size, so they are read back to the host (one synchronous
// device-to-host copy), the positions built there and moved to the device for index_select.
#include "ops/sort_search.h"

#include "core/device.h"
#include "cpu/sort_search_stubs.h"
#include "ops/indexing.h"
#include "ops/reductions.h"
#include "ops/shape_ops.h"

#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

namespace cmp::cpu {
CMP_DEFINE_STUB(row_change_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

Tensor empty_int64(const Shape& sizes, Device device, const char* op) {
    return Tensor::empty(sizes, CMP_DTYPE_INT64, device, op);
}

// a's slices along dim as contiguous rows. Like PyTorch, dim is swapped with dim 0 (not moved
// to the front), which fixes the element order the slices are compared in lexicographically.
Tensor slices_as_rows(const Tensor& a, int64_t dim) {
    const Tensor swapped = contiguous(transpose(a, 0, dim));
    const int64_t n = a.size(dim);
    const int64_t row_len = n == 0 ? 0 : swapped.numel() / n;
    return view(swapped, {n, row_len});
}

// Row order that sorts rows lexicographically (stable): least significant column first.
Tensor lexicographic_order(const Tensor& rows) {
    const int64_t n = rows.size(0), cols = rows.size(1);
    Tensor perm = arange(scalar_int(0), scalar_int(n), scalar_int(1), CMP_DTYPE_INT64, rows.device());
    for (int64_t c = cols; c-- > 0;) {
        const Tensor column = index_select(select(rows, 1, c), 0, perm);
        perm = index_select(perm, 0, argsort(column, 0, false));
    }
    return perm;
}

// Groups of equal consecutive rows of `sorted_rows` (rows x row_len, contiguous). order[i] is
// the original position of sorted row i. Fills the inverse (by original position) and counts,
// and returns the sorted positions where groups start.
std::vector<int64_t> group_rows(const char* op, const Tensor& sorted_rows, const int64_t* order, int64_t* inverse,
                                std::vector<int64_t>& counts) {
    const int64_t n = sorted_rows.size(0), row_len = sorted_rows.size(1);
    std::vector<int64_t> starts;
    if (n == 0) return starts;
    std::unique_ptr<bool[]> changed(new bool[static_cast<size_t>(n)]);
    if (row_len == 0) {
        // Empty slices are all equal.
        std::fill(changed.get(), changed.get() + n, false);
        changed[0] = true;
    } else {
        cpu::row_change_stub(op, sorted_rows.dtype(), sorted_rows.data_ptr(), n, row_len, changed.get());
    }
    int64_t group = -1;
    for (int64_t i = 0; i < n; ++i) {
        if (changed[static_cast<size_t>(i)]) {
            ++group;
            starts.push_back(i);
            counts.push_back(0);
        }
        ++counts.back();
        if (inverse) inverse[order ? order[i] : i] = group;
    }
    return starts;
}

// group_rows on a CUDA device, in device ops (the same groups, inverse and counts): row i starts a
// group where it differs from row i - 1 in some element (compare ne, NaN differing from NaN as on
// the CPU, then any over the row); the number of groups U is read back (one synchronous copy, as
// PyTorch's CUDA unique makes); the starts are the first U positions of a stable descending argsort
// of those marks (the marked positions in increasing order); a row's group is the number of starts
// after the first that are <= its position (searchsorted, right); counts are the gaps between
// starts. inverse (defined when wanted) gets row order[i]'s group at position order[i] through the
// inverse permutation argsort(order). Returns the starts (int64, on the device).
Tensor group_rows_cuda(const char* op, const Tensor& sorted_rows, const Tensor& order, Tensor* inverse, Tensor* counts) {
    const Device device = sorted_rows.device();
    const int64_t n = sorted_rows.size(0), row_len = sorted_rows.size(1);
    if (n == 0) return empty_int64({0}, device, op);
    Tensor changed = full({n}, scalar_bool(false), CMP_DTYPE_BOOL, device);
    fill_(narrow(changed, 0, 0, 1), scalar_bool(true));
    if (row_len > 0 && n > 1)  // empty slices are all equal
        copy_(narrow(changed, 0, 1, n - 1),
              any(compare(CompareOp::Ne, narrow(sorted_rows, 0, 1, n - 1), narrow(sorted_rows, 0, 0, n - 1)), {1}, false));
    const int64_t groups = item(sum(changed, {}, false), {}).i;
    const Tensor starts = contiguous(narrow(argsort(changed, 0, true), 0, 0, groups));
    const Tensor later_starts = narrow(starts, 0, 1, groups - 1);
    if (inverse) {
        const Tensor positions = arange(scalar_int(0), scalar_int(n), scalar_int(1), CMP_DTYPE_INT64, device);
        const Tensor group = searchsorted(later_starts, positions, false, true, Tensor());
        *inverse = order.defined() ? index_select(group, 0, argsort(order, 0, false)) : group;
    }
    if (counts) {
        const Tensor ends = cat({later_starts, full({1}, scalar_int(n), CMP_DTYPE_INT64, device)}, 0);
        *counts = sub(ends, starts, scalar_int(1));
    }
    return starts;
}

Tensor vector_tensor(const std::vector<int64_t>& v, Device device, const char* op) {
    Tensor t = empty_int64({static_cast<int64_t>(v.size())}, device, op);
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    return t;
}

std::tuple<Tensor, Tensor, Tensor> unique_impl(const char* op, const Tensor& a, bool sort_first, bool return_inverse,
                                               bool return_counts, bool has_dim, int64_t dim) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
    require_available(a.device(), op);
    Tensor rows;  // one element or slice per row
    int64_t d = 0;
    if (has_dim) {
        CMP_CHECK(a.dim() > 0, INDEX_OUT_OF_RANGE, op, ": Dimension specified as ", dim, " but tensor has no dimensions");
        d = wrap_dim(dim, a, op);
        // As in PyTorch: with no elements, only the selected dim may be the empty one.
        CMP_CHECK(a.numel() != 0 || a.size(d) == 0, INVALID_ARGUMENT, op, ": input of shape ", a.sizes(),
                  " has 0-sized dims other than dim ", dim, ", so unique cannot be applied");
        rows = slices_as_rows(a, d);
    } else {
        rows = view(contiguous(a), {a.numel(), 1});
    }
    const int64_t n = rows.size(0);
    Tensor order;
    Tensor sorted_rows = rows;
    if (sort_first && n > 1 && has_dim) {
        order = lexicographic_order(rows);
        sorted_rows = contiguous(index_select(rows, 0, order));
    } else if (sort_first && n > 1) {
        // The sort writes the sorted values itself (no gather through the order afterwards).
        auto [values, indices] = sort(reshape(rows, {n}), 0, false);
        order = indices;
        sorted_rows = view(values, {n, 1});
    }
    const Shape inverse_sizes = return_inverse ? (has_dim ? Shape{n} : a.sizes()) : Shape{0};
    Tensor inverse, count_tensor, start_tensor;
    if (!a.device().is_cpu()) {
        start_tensor = group_rows_cuda(op, sorted_rows, order, return_inverse ? &inverse : nullptr,
                                       return_counts ? &count_tensor : nullptr);
        inverse = return_inverse && n > 0 ? reshape(inverse, inverse_sizes) : empty_int64(inverse_sizes, a.device(), op);
        if (!return_counts || n == 0) count_tensor = empty_int64({0}, a.device(), op);
    } else {
        inverse = empty_int64(inverse_sizes, a.device(), op);
        std::vector<int64_t> counts;
        const std::vector<int64_t> starts = group_rows(op, sorted_rows, order.defined() ? order.data<int64_t>() : nullptr,
                                                       return_inverse ? inverse.data<int64_t>() : nullptr, counts);
        start_tensor = vector_tensor(starts, a.device(), op);
        count_tensor = return_counts ? vector_tensor(counts, a.device(), op) : empty_int64({0}, a.device(), op);
    }
    const int64_t groups = start_tensor.numel();
    const Tensor picked = index_select(sorted_rows, 0, start_tensor);
    Tensor values;
    if (has_dim) {
        // picked holds the unique slices as rows of the swapped layout; swap dim back.
        Shape swapped_sizes = a.sizes();
        std::swap(swapped_sizes[0], swapped_sizes[static_cast<size_t>(d)]);
        swapped_sizes[0] = groups;
        values = contiguous(transpose(reshape(picked, swapped_sizes), 0, d));
    } else {
        values = reshape(picked, {groups});
    }
    return {values, inverse, count_tensor};
}

void check_repeats_count(const char* op, int64_t r) {
    CMP_CHECK(r >= 0, INVALID_ARGUMENT, op, ": repeats can not be negative, got ", r);
}

void check_output_size(const char* op, int64_t output_size, int64_t actual) {
    CMP_CHECK(output_size < 0 || output_size == actual, SHAPE_MISMATCH, op, ": output_size ", output_size,
              " does not match the total of repeats ", actual);
}

// The tensor and dim repeat_interleave works on: a itself along dim, or a flattened.
std::pair<Tensor, int64_t> interleave_operand(const char* op, const Tensor& a, bool has_dim, int64_t dim) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
    require_available(a.device(), op);
    if (!has_dim) return {reshape(a, {a.numel()}), 0};
    CMP_CHECK(a.dim() > 0, INDEX_OUT_OF_RANGE, op, ": dim specified as ", dim, " but the input is 0-dim (shape [])");
    return {a, wrap_dim(dim, a, op)};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& a, bool return_inverse, bool return_counts, bool has_dim,
                                          int64_t dim) {
    return unique_impl("unique", a, true, return_inverse, return_counts, has_dim, dim);
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& a, bool return_inverse, bool return_counts,
                                                      bool has_dim, int64_t dim) {
    return unique_impl("unique_consecutive", a, false, return_inverse, return_counts, has_dim, dim);
}

Tensor repeat_interleave(const Tensor& a, int64_t repeats, bool has_dim, int64_t dim, int64_t output_size) {
    const char* op = "repeat_interleave";
    check_repeats_count(op, repeats);
    auto [t, d] = interleave_operand(op, a, has_dim, dim);
    int64_t total = 0;
    CMP_CHECK(!mul_overflow(t.size(d), repeats, &total), INVALID_ARGUMENT, op, ": repeats ", repeats,
              " overflows the size of dim ", d, " of shape ", t.sizes());
    check_output_size(op, output_size, total);
    // Each element seen `repeats` times through a stride-0 dim right after d; reshape copies.
    Shape expanded = t.sizes();
    expanded.insert(expanded.begin() + d + 1, repeats);
    Shape out_sizes = t.sizes();
    out_sizes[static_cast<size_t>(d)] = total;
    Tensor out = Tensor::empty(expanded, t.dtype(), t.device(), op);
    copy_(out, expand(unsqueeze(t, d + 1), expanded));
    return view(out, out_sizes);
}

Tensor repeat_interleave_indices(const Tensor& repeats, int64_t output_size) {
    const char* op = "repeat_interleave";
    CMP_CHECK(repeats.defined(), INVALID_ARGUMENT, op, ": argument 'repeats' is undefined");
    require_available(repeats.device(), op);
    CMP_CHECK(repeats.dim() == 1, SHAPE_MISMATCH, op, ": repeats must be a 1-D tensor, got shape ", repeats.sizes());
    CMP_CHECK(repeats.dtype() == CMP_DTYPE_INT64 || repeats.dtype() == CMP_DTYPE_INT32, DTYPE_MISMATCH, op,
              ": repeats has to be an int64 or int32 tensor, got ", dtype_name(repeats.dtype()));
    if (!repeats.device().is_cpu())  // the counts size the result: read back (a sync), see above
        return to_device(repeat_interleave_indices(to_device(repeats, Device::cpu()), output_size), repeats.device());
    const Tensor r = contiguous(to_dtype(repeats, CMP_DTYPE_INT64));
    const int64_t* rp = r.data<int64_t>();
    int64_t total = 0;
    for (int64_t i = 0; i < r.numel(); ++i) {
        check_repeats_count(op, rp[i]);
        CMP_CHECK(!add_overflow(total, rp[i], &total), INVALID_ARGUMENT, op, ": the total of repeats overflows int64");
    }
    check_output_size(op, output_size, total);
    Tensor out = empty_int64({total}, repeats.device(), op);
    int64_t* o = out.data<int64_t>();
    for (int64_t i = 0, k = 0; i < r.numel(); ++i)
        for (int64_t j = 0; j < rp[i]; ++j) o[k++] = i;
    return out;
}

Tensor repeat_interleave_tensor(const Tensor& a, const Tensor& repeats, bool has_dim, int64_t dim, int64_t output_size) {
    const char* op = "repeat_interleave";
    auto [t, d] = interleave_operand(op, a, has_dim, dim);
    CMP_CHECK(repeats.defined(), INVALID_ARGUMENT, op, ": argument 'repeats' is undefined");
    CMP_CHECK(repeats.dim() <= 1, SHAPE_MISMATCH, op, ": repeats must be 0-dim or 1-dim tensor, got shape ",
              repeats.sizes());
    const int64_t n = t.size(d);
    Tensor r = repeats.dim() == 0 ? reshape(repeats, {1}) : repeats;
    if (r.numel() == 1 && n != 1) r = expand(r, {n});
    CMP_CHECK(r.size(0) == n, SHAPE_MISMATCH, op, ": repeats must have the same size as input along dim, but got "
              "repeats.size(0) = ", r.size(0), " and input.size(", d, ") = ", n);
    return index_select(t, d, repeat_interleave_indices(r, output_size));
}

}  // namespace cmp::ops
