// extern "C" layer of the shape family: joining, splitting, rearranging, triangles, diagonals.
#include "abi_util.h"
#include "ops/shape_ops.h"

#include <vector>

using namespace cmp;
using namespace cmp::abi;

namespace {

// The tensors of a C array of handles; each is validated and named by its position.
std::vector<Tensor> tensor_list(const cmp_tensor* tensors, int64_t count, const char* op) {
    CMP_CHECK(count >= 0, INVALID_ARGUMENT, op, ": count must be non-negative, got ", count);
    CMP_CHECK(count == 0 || tensors != nullptr, INVALID_ARGUMENT, op, ": argument 'tensors' is NULL with count ", count);
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        const std::string arg = str("tensors[", i, "]");
        out.push_back(tensor_arg(tensors[i], op, arg.c_str()));
    }
    return out;
}

// split_with_sizes takes one size per piece, which may be many more than kMaxDims.
Shape sizes_list(const int64_t* values, int64_t count, const char* op) {
    CMP_CHECK(count >= 0, INVALID_ARGUMENT, op, ": length of 'sizes' must be >= 0, got ", count);
    CMP_CHECK(count == 0 || values != nullptr, INVALID_ARGUMENT, op, ": argument 'sizes' is NULL with length ", count);
    return Shape(values, values + count);
}

// Hands a list of results to the C caller: the count always, the handles when outs is given
// (all or nothing, so a failing call never leaves the caller references to release).
template <typename Fn>
cmp_status tensor_list_out(const char* op, cmp_tensor tensor, cmp_tensor* outs, int64_t capacity, int64_t* out_count, Fn&& fn) {
    return guard(op, [&] {
        int64_t& count = out_arg(out_count, op, "out_count");
        count = 0;
        Tensor t = tensor_arg(tensor, op, "tensor");
        std::vector<Tensor> pieces = fn(t);
        const int64_t n = static_cast<int64_t>(pieces.size());
        if (outs != nullptr) {
            CMP_CHECK(capacity >= n, INVALID_ARGUMENT, op, ": capacity ", capacity, " is smaller than the ", n,
                      " results; call with outs NULL to get the count");
            for (int64_t i = 0; i < n; ++i) outs[i] = to_handle(pieces[static_cast<size_t>(i)]);
        }
        count = n;
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_cat(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out) {
    return guard("cat", [&] {
        cmp_tensor& o = out_tensor(out, "cat");
        o = to_handle(ops::cat(tensor_list(tensors, count, "cat"), dim));
    });
}

CMP_API cmp_status cmp_stack(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out) {
    return guard("stack", [&] {
        cmp_tensor& o = out_tensor(out, "stack");
        o = to_handle(ops::stack(tensor_list(tensors, count, "stack"), dim));
    });
}

CMP_API cmp_status cmp_split(cmp_tensor tensor, int64_t split_size, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count) {
    return tensor_list_out("split", tensor, outs, capacity, out_count,
                           [&](const Tensor& t) { return ops::split(t, split_size, dim); });
}

CMP_API cmp_status cmp_split_with_sizes(cmp_tensor tensor, const int64_t* sizes, int64_t nsizes, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count) {
    return tensor_list_out("split_with_sizes", tensor, outs, capacity, out_count, [&](const Tensor& t) {
        return ops::split_with_sizes(t, sizes_list(sizes, nsizes, "split_with_sizes"), dim);
    });
}

CMP_API cmp_status cmp_chunk(cmp_tensor tensor, int64_t chunks, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count) {
    return tensor_list_out("chunk", tensor, outs, capacity, out_count,
                           [&](const Tensor& t) { return ops::chunk(t, chunks, dim); });
}

CMP_API cmp_status cmp_unbind(cmp_tensor tensor, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count) {
    return tensor_list_out("unbind", tensor, outs, capacity, out_count, [&](const Tensor& t) { return ops::unbind(t, dim); });
}

CMP_API cmp_status cmp_flip(cmp_tensor tensor, const int64_t* dims, int64_t ndims, cmp_tensor* out) {
    return unary("flip", tensor, out, [&](const Tensor& t) { return ops::flip(t, array_arg(dims, ndims, "flip", "dims")); });
}

CMP_API cmp_status cmp_roll(cmp_tensor tensor, const int64_t* shifts, int64_t nshifts, const int64_t* dims, int64_t ndims, cmp_tensor* out) {
    return unary("roll", tensor, out, [&](const Tensor& t) {
        return ops::roll(t, array_arg(shifts, nshifts, "roll", "shifts"), array_arg(dims, ndims, "roll", "dims"));
    });
}

CMP_API cmp_status cmp_repeat(cmp_tensor tensor, const int64_t* repeats, int64_t nrepeats, cmp_tensor* out) {
    return unary("repeat", tensor, out,
                 [&](const Tensor& t) { return ops::repeat(t, array_arg(repeats, nrepeats, "repeat", "repeats")); });
}

CMP_API cmp_status cmp_tile(cmp_tensor tensor, const int64_t* reps, int64_t nreps, cmp_tensor* out) {
    return unary("tile", tensor, out, [&](const Tensor& t) { return ops::tile(t, array_arg(reps, nreps, "tile", "reps")); });
}

CMP_API cmp_status cmp_tril(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out) {
    return unary("tril", tensor, out, [&](const Tensor& t) { return ops::tril(t, diagonal); });
}

CMP_API cmp_status cmp_triu(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out) {
    return unary("triu", tensor, out, [&](const Tensor& t) { return ops::triu(t, diagonal); });
}

CMP_API cmp_status cmp_diagonal(cmp_tensor tensor, int64_t offset, int64_t dim1, int64_t dim2, cmp_tensor* out) {
    return unary("diagonal", tensor, out, [&](const Tensor& t) { return ops::diagonal(t, offset, dim1, dim2); });
}

CMP_API cmp_status cmp_diag(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out) {
    return unary("diag", tensor, out, [&](const Tensor& t) { return ops::diag(t, diagonal); });
}

}  // extern "C"
