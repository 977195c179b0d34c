// Sorting, searching, unique, padding and repeat_interleave (see ops/sort_search.h).
#include "abi_util.h"
#include "ops/sort_search.h"

#include <tuple>
#include <utility>

using namespace cmp;
using namespace cmp::abi;

namespace {

// Ops with two results: both out handles are cleared first and set only on success.
template <typename Fn>
cmp_status pair_out(const char* op, cmp_tensor a, cmp_tensor* out0, const char* name0, cmp_tensor* out1,
                    const char* name1, Fn&& fn) {
    return guard(op, [&] {
        cmp_tensor& o0 = out_arg(out0, op, name0);
        o0 = nullptr;
        cmp_tensor& o1 = out_arg(out1, op, name1);
        o1 = nullptr;
        std::pair<Tensor, Tensor> r = fn(tensor_arg(a, op, "a"));
        o0 = to_handle(std::move(r.first));
        o1 = to_handle(std::move(r.second));
    });
}

// unique / unique_consecutive: three results, all cleared first.
template <typename Fn>
cmp_status triple_out(const char* op, cmp_tensor a, cmp_tensor* values, cmp_tensor* inverse, cmp_tensor* counts,
                      Fn&& fn) {
    return guard(op, [&] {
        cmp_tensor* outs[3] = {values, inverse, counts};
        const char* names[3] = {"out_values", "out_inverse", "out_counts"};
        for (int i = 0; i < 3; ++i) out_arg(outs[i], op, names[i]) = nullptr;
        auto [v, inv, cnt] = fn(tensor_arg(a, op, "a"));
        *values = to_handle(std::move(v));
        *inverse = to_handle(std::move(inv));
        *counts = to_handle(std::move(cnt));
    });
}

// The pad mode read from its raw int (a C caller may pass any value).
ops::PadMode pad_mode_arg(int32_t mode, const char* op) {
    CMP_CHECK(mode >= 0 && mode <= 3, INVALID_ARGUMENT, op, ": mode ", mode,
              " is not a cmp_pad_mode (0 constant, 1 reflect, 2 replicate, 3 circular)");
    return static_cast<ops::PadMode>(mode);
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_sort(cmp_tensor a, int64_t dim, int32_t descending, int32_t stable, cmp_tensor* out_values,
                            cmp_tensor* out_indices) {
    (void)stable;  // every sort here is stable
    return pair_out("sort", a, out_values, "out_values", out_indices, "out_indices",
                    [&](const Tensor& t) { return ops::sort(t, dim, descending != 0); });
}

CMP_API cmp_status cmp_argsort(cmp_tensor a, int64_t dim, int32_t descending, int32_t stable, cmp_tensor* out) {
    (void)stable;
    return unary("argsort", a, out, [&](const Tensor& t) { return ops::argsort(t, dim, descending != 0); });
}

CMP_API cmp_status cmp_msort(cmp_tensor a, cmp_tensor* out) {
    return unary("msort", a, out, [&](const Tensor& t) { return ops::msort(t); });
}

CMP_API cmp_status cmp_topk(cmp_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted,
                            cmp_tensor* out_values, cmp_tensor* out_indices) {
    return pair_out("topk", a, out_values, "out_values", out_indices, "out_indices",
                    [&](const Tensor& t) { return ops::topk(t, k, dim, largest != 0, sorted != 0); });
}

CMP_API cmp_status cmp_pad(cmp_tensor a, const int64_t* pad, int64_t npad, int32_t mode, double value, cmp_tensor* out) {
    return unary("pad", a, out, [&](const Tensor& t) {
        return ops::pad(t, array_arg(pad, npad, "pad", "pad"), pad_mode_arg(mode, "pad"), value);
    });
}

CMP_API cmp_status cmp_pad_backward(cmp_tensor grad_output, const int64_t* input_sizes, int64_t ndim,
                                    const int64_t* pad, int64_t npad, int32_t mode, cmp_tensor* out_grad_input) {
    const char* op = "pad_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_arg(out_grad_input, op, "out_grad_input");
        o = nullptr;
        const Tensor g = tensor_arg(grad_output, op, "grad_output");
        o = to_handle(ops::pad_backward(g, array_arg(input_sizes, ndim, op, "input_sizes"), array_arg(pad, npad, op, "pad"),
                                        pad_mode_arg(mode, op)));
    });
}

CMP_API cmp_status cmp_repeat_interleave(cmp_tensor a, int64_t repeats, int32_t has_dim, int64_t dim,
                                         int64_t output_size, cmp_tensor* out) {
    return unary("repeat_interleave", a, out, [&](const Tensor& t) {
        return ops::repeat_interleave(t, repeats, has_dim != 0, dim, output_size);
    });
}

CMP_API cmp_status cmp_repeat_interleave_tensor(cmp_tensor a, cmp_tensor repeats, int32_t has_dim, int64_t dim,
                                                int64_t output_size, cmp_tensor* out) {
    return binary("repeat_interleave", a, repeats, out, [&](const Tensor& t, const Tensor& r) {
        return ops::repeat_interleave_tensor(t, r, has_dim != 0, dim, output_size);
    });
}

CMP_API cmp_status cmp_repeat_interleave_indices(cmp_tensor repeats, int64_t output_size, cmp_tensor* out) {
    return unary("repeat_interleave", repeats, out,
                 [&](const Tensor& r) { return ops::repeat_interleave_indices(r, output_size); });
}

CMP_API cmp_status cmp_searchsorted(cmp_tensor sorted_sequence, cmp_tensor values, int32_t out_int32, int32_t right,
                                    cmp_tensor* out) {
    return binary("searchsorted", sorted_sequence, values, out, [&](const Tensor& s, const Tensor& v) {
        return ops::searchsorted(s, v, out_int32 != 0, right != 0, Tensor());
    });
}

CMP_API cmp_status cmp_searchsorted_sorter(cmp_tensor sorted_sequence, cmp_tensor values, int32_t out_int32,
                                           int32_t right, cmp_tensor sorter, cmp_tensor* out) {
    const char* op = "searchsorted";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        const Tensor s = tensor_arg(sorted_sequence, op, "sorted_sequence");
        const Tensor v = tensor_arg(values, op, "values");
        const Tensor so = tensor_arg(sorter, op, "sorter");
        o = to_handle(ops::searchsorted(s, v, out_int32 != 0, right != 0, so));
    });
}

CMP_API cmp_status cmp_searchsorted_scalar(cmp_tensor sorted_sequence, cmp_scalar value, int32_t out_int32,
                                           int32_t right, cmp_tensor* out) {
    return unary("searchsorted", sorted_sequence, out, [&](const Tensor& s) {
        scalar_arg(value, "searchsorted", "value");
        return ops::searchsorted_scalar(s, value, out_int32 != 0, right != 0);
    });
}

CMP_API cmp_status cmp_bucketize(cmp_tensor input, cmp_tensor boundaries, int32_t out_int32, int32_t right,
                                 cmp_tensor* out) {
    return binary("bucketize", input, boundaries, out, [&](const Tensor& x, const Tensor& b) {
        return ops::bucketize(x, b, out_int32 != 0, right != 0);
    });
}

CMP_API cmp_status cmp_unique(cmp_tensor a, int32_t sorted, int32_t return_inverse, int32_t return_counts,
                              int32_t has_dim, int64_t dim, cmp_tensor* out_values, cmp_tensor* out_inverse,
                              cmp_tensor* out_counts) {
    (void)sorted;  // the values always come out sorted
    return triple_out("unique", a, out_values, out_inverse, out_counts, [&](const Tensor& t) {
        return ops::unique(t, return_inverse != 0, return_counts != 0, has_dim != 0, dim);
    });
}

CMP_API cmp_status cmp_unique_consecutive(cmp_tensor a, int32_t return_inverse, int32_t return_counts,
                                          int32_t has_dim, int64_t dim, cmp_tensor* out_values,
                                          cmp_tensor* out_inverse, cmp_tensor* out_counts) {
    return triple_out("unique_consecutive", a, out_values, out_inverse, out_counts, [&](const Tensor& t) {
        return ops::unique_consecutive(t, return_inverse != 0, return_counts != 0, has_dim != 0, dim);
    });
}

}  // extern "C"
