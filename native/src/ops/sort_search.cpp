// Front-ends of sort, argsort, msort, topk, searchsorted and bucketize: PyTorch's argument rules
// and messages, output allocation, then one kernel call (cpu/kernels/sort_search.cpp).
#include "ops/sort_search.h"

#include "core/device.h"
#include "core/promotion.h"
#include "ops/cuda_ops.h"
#include "ops/reductions.h"
#include "cpu/sort_search_stubs.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(sort_stub);
CMP_DEFINE_STUB(search_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

void require_tensor(const Tensor& t, const char* op, const char* arg) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": argument '", arg, "' is undefined");
    require_available(t.device(), op);
}

// sort_lines on CUDA: the sorted dim moved last and made dense, every row sorted whole on the device
// (cuda_ops::sort_rows, the CPU's order), and the first k of each row moved back into place
// (topk is the head of the stable sort, which is what the CPU kernel returns too).
std::pair<Tensor, Tensor> sort_lines_cuda(const char* op, const Tensor& a, int64_t w, int64_t k, bool descending,
                                          bool want_values, const Shape& out_sizes) {
    Tensor values = want_values ? Tensor::empty(out_sizes, a.dtype(), a.device(), op) : Tensor();
    Tensor indices = Tensor::empty(out_sizes, CMP_DTYPE_INT64, a.device(), op);
    if (indices.numel() == 0) return {values, indices};
    const int64_t last = std::max<int64_t>(a.dim(), 1) - 1;
    const Tensor rows = contiguous(a.dim() == 0 ? a : transpose(a, w, last));
    const Tensor sorted_values = want_values ? Tensor::empty(rows.sizes(), a.dtype(), a.device(), op) : Tensor();
    const Tensor sorted_indices = Tensor::empty(rows.sizes(), CMP_DTYPE_INT64, a.device(), op);
    cuda_ops::sort_rows(op, rows, a.dim() == 0 ? 1 : a.size(w), descending, sorted_values, sorted_indices);
    const auto back = [&](const Tensor& sorted) {
        return a.dim() == 0 ? sorted : contiguous(transpose(narrow(sorted, last, 0, k), w, last));
    };
    return {want_values ? back(sorted_values) : Tensor(), back(sorted_indices)};
}

// Sorts (k == size of dim) or selects the top k of every line along dim into new contiguous
// values (unless !want_values) and int64 indices, shaped like a with dim resized to k.
std::pair<Tensor, Tensor> sort_lines(const char* op, const Tensor& a, int64_t dim, int64_t k, bool descending,
                                     bool want_values) {
    const int64_t w = a.dim() == 0 ? 0 : dim;
    Shape out_sizes = a.sizes();
    if (a.dim() > 0) out_sizes[static_cast<size_t>(w)] = k;
    if (!a.device().is_cpu()) return sort_lines_cuda(op, a, w, k, descending, want_values, out_sizes);
    Tensor values = want_values ? Tensor::empty(out_sizes, a.dtype(), a.device(), op) : Tensor();
    Tensor indices = Tensor::empty(out_sizes, CMP_DTYPE_INT64, a.device(), op);
    if (indices.numel() == 0) return {values, indices};
    const Shape out_strides = contiguous_strides(out_sizes);
    cpu::LinePlan plan;
    plan.op = op;
    plan.in = a.data_ptr();
    plan.dtype = a.dtype();
    plan.len = a.dim() == 0 ? 1 : a.sizes()[static_cast<size_t>(w)];
    plan.in_step = a.dim() == 0 ? 0 : a.strides()[static_cast<size_t>(w)];
    plan.out_step = a.dim() == 0 ? 0 : out_strides[static_cast<size_t>(w)];
    plan.lines = a.numel() / plan.len;
    for (int64_t d = 0; d < a.dim(); ++d) {
        const size_t i = static_cast<size_t>(d);
        if (d != w && a.sizes()[i] != 1) plan.outer.push_back({a.sizes()[i], a.strides()[i], out_strides[i]});
    }
    if (plan.outer.empty()) plan.outer.push_back({1, 0, 0});
    plan.values = want_values ? values.data_ptr() : nullptr;
    plan.indices = indices.data<int64_t>();
    cpu::SortArgs args;
    args.descending = descending;
    args.k = a.dim() == 0 ? 1 : k;  // a 0-dim result holds the element whatever k (0 or 1), as PyTorch's
    cpu::sort_stub(plan, args);
    return {values, indices};
}

// PyTorch wraps the dim of a 0-dim tensor as if it had one dim (so 0 and -1 are valid).
int64_t wrap_sort_dim(int64_t dim, const Tensor& a, const char* op) {
    return wrap_dim(dim, std::max<int64_t>(a.dim(), 1), op, &a.sizes());
}

}  // namespace

std::pair<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending) {
    require_tensor(a, "sort", "input");
    const int64_t w = wrap_sort_dim(dim, a, "sort");
    return sort_lines("sort", a, w, a.dim() == 0 ? 1 : a.size(w), descending, true);
}

Tensor argsort(const Tensor& a, int64_t dim, bool descending) {
    require_tensor(a, "argsort", "input");
    const int64_t w = wrap_sort_dim(dim, a, "argsort");
    return sort_lines("argsort", a, w, a.dim() == 0 ? 1 : a.size(w), descending, false).second;
}

Tensor msort(const Tensor& a) {
    require_tensor(a, "msort", "input");
    const int64_t w = wrap_sort_dim(0, a, "msort");
    return sort_lines("msort", a, w, a.dim() == 0 ? 1 : a.size(w), false, true).first;
}

std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest, bool sorted) {
    (void)sorted;  // results always come out sorted, one of the orders sorted=False allows
    require_tensor(a, "topk", "input");
    const int64_t w = wrap_sort_dim(dim, a, "topk");
    const int64_t n = a.dim() == 0 ? 1 : a.size(w);
    CMP_CHECK(k >= 0 && k <= n, INDEX_OUT_OF_RANGE, "topk: k (", k, ") is out of range for dim ", dim,
              " of size ", n, " (input shape ", a.sizes(), ")");
    return sort_lines("topk", a, w, k, largest, true);
}

namespace {

DType search_out_dtype(bool out_int32) { return out_int32 ? CMP_DTYPE_INT32 : CMP_DTYPE_INT64; }

// Runs the search kernel once sequence, values (and sorter) are checked: promotes sequence and
// values to their common dtype and makes every operand contiguous.
Tensor run_search(const char* op, const Tensor& seq_in, const Tensor& values_in, bool out_int32, bool right,
                  const Tensor& sorter_in) {
    const DType common = result_type({seq_in, values_in});
    CMP_CHECK(common != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not defined for bool inputs");
    const Tensor seq = contiguous(to_dtype(seq_in, common));
    const Tensor values = contiguous(to_dtype(values_in, common));
    Tensor out = Tensor::empty(values.sizes(), search_out_dtype(out_int32), values.device(), op);
    if (out.numel() == 0) return out;
    Tensor sorter;
    if (sorter_in.defined()) sorter = contiguous(sorter_in);
    if (!out.device().is_cpu()) {
        if (seq.size(-1) == 0) fill_(out, scalar_int(0));  // as below
        else cuda_ops::search(op, seq, sorter, values, right, out);
        return out;
    }
    cpu::SearchPlan plan;
    plan.op = op;
    plan.dtype = common;
    plan.seq = seq.data_ptr();
    plan.sorter = sorter.defined() ? sorter.data<int64_t>() : nullptr;
    plan.values = values.data_ptr();
    plan.out = out.data_ptr();
    plan.out_int32 = out_int32;
    plan.right = right;
    plan.seq_len = seq.size(-1);
    if (plan.seq_len == 0) {
        fill_(out, scalar_int(0));  // nothing to search: every value goes at position 0
        return out;
    }
    plan.rows = seq.numel() / plan.seq_len;
    plan.per_row = values.numel() / plan.rows;
    cpu::search_stub(plan);
    return out;
}

void check_search_shapes(const char* op, const Tensor& seq, const Tensor& values) {
    CMP_CHECK(seq.dim() >= 1, SHAPE_MISMATCH, op, ": boundaries tensor should have positive dimension, but got shape ",
              seq.sizes());
    if (seq.dim() == 1) return;
    bool leading_match = values.dim() == seq.dim();
    for (int64_t d = 0; leading_match && d + 1 < seq.dim(); ++d) leading_match = seq.size(d) == values.size(d);
    CMP_CHECK(leading_match, SHAPE_MISMATCH, op,
              ": boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input "
              "value tensor must match, but we got boundaries tensor ",
              seq.sizes(), " and input value tensor ", values.sizes());
}

// The operands of a search share one device (PyTorch's message).
void check_same_device(const char* op, const Tensor& seq, const Tensor& other) {
    if (!other.defined()) return;
    CMP_CHECK(other.device() == seq.device(), DEVICE_ERROR, op,
              ": Expected all tensors to be on the same device, but found at least two devices, ", seq.device().str(),
              " and ", other.device().str(), "!");
}

void check_sorter(const char* op, const Tensor& seq, const Tensor& sorter) {
    CMP_CHECK(sorter.dtype() == CMP_DTYPE_INT64, DTYPE_MISMATCH, op, ": sorter must be a tensor of long dtype, got ",
              dtype_name(sorter.dtype()));
    CMP_CHECK(sorter.sizes() == seq.sizes(), SHAPE_MISMATCH, op,
              ": boundary and sorter must have the same size, but got boundary tensor ", seq.sizes(),
              " and got sorter tensor ", sorter.sizes());
    // The kernel reads through the sorter, so every entry must be a valid position. On CUDA the
    // least and largest entries are read back; only when one is bad is the sorter copied to the
    // host, where the loop below names the first bad entry as on the CPU.
    const int64_t len = seq.size(-1);
    if (!sorter.device().is_cpu()) {
        if (sorter.numel() == 0) return;
        const int64_t least = item(min_all(sorter), {}).i, largest = item(max_all(sorter), {}).i;
        if (least >= 0 && largest < len) return;
    }
    const Tensor s = contiguous(to_device(sorter, Device::cpu()));
    const int64_t* p = s.data<int64_t>();
    for (int64_t i = 0; i < s.numel(); ++i)
        CMP_CHECK(p[i] >= 0 && p[i] < len, INDEX_OUT_OF_RANGE, op, ": sorter index ", p[i],
                  " is out of range for the innermost dim of size ", len);
}

}  // namespace

Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32, bool right,
                    const Tensor& sorter) {
    const char* op = "searchsorted";
    require_tensor(sorted_sequence, op, "sorted_sequence");
    require_tensor(values, op, "values");
    check_same_device(op, sorted_sequence, values);
    check_same_device(op, sorted_sequence, sorter);
    check_search_shapes(op, sorted_sequence, values);
    if (sorter.defined()) check_sorter(op, sorted_sequence, sorter);
    return run_search(op, sorted_sequence, values, out_int32, right, sorter);
}

Tensor searchsorted_scalar(const Tensor& sorted_sequence, Scalar value, bool out_int32, bool right) {
    const char* op = "searchsorted";
    require_tensor(sorted_sequence, op, "sorted_sequence");
    CMP_CHECK(sorted_sequence.dim() == 1, SHAPE_MISMATCH, op,
              ": input value can be a scalar only when boundaries tensor dimension is 1, but got boundaries tensor ",
              sorted_sequence.sizes());
    return run_search(op, sorted_sequence, scalar_tensor(value, sorted_sequence.device()), out_int32, right, Tensor());
}

Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32, bool right) {
    const char* op = "bucketize";
    require_tensor(input, op, "input");
    require_tensor(boundaries, op, "boundaries");
    CMP_CHECK(boundaries.dim() == 1, SHAPE_MISMATCH, op, ": boundaries tensor must be 1 dimension, but got shape ",
              boundaries.sizes());
    check_same_device(op, boundaries, input);
    return run_search(op, boundaries, input, out_int32, right, Tensor());
}

}  // namespace cmp::ops
