// split, split_with_sizes, chunk and unbind: views of the input along one dim.
#include "ops/shape_ops.h"

#include <algorithm>

namespace cmp::ops {

namespace {

int64_t split_dim(const Tensor& t, int64_t dim, const char* op) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": the tensor is undefined");
    CMP_CHECK(t.dim() > 0, INDEX_OUT_OF_RANGE, op, ": dimension specified as ", dim, " but tensor has no dimensions");
    return wrap_dim(dim, t, op);
}

}  // namespace

std::vector<Tensor> split(const Tensor& t, int64_t split_size, int64_t dim) {
    const int64_t d = split_dim(t, dim, "split");
    const int64_t n = t.size(d);
    CMP_CHECK(split_size >= 0, INVALID_ARGUMENT, "split: expects split_size be non-negative, but got split_size=",
              split_size);
    CMP_CHECK(split_size > 0 || n == 0, INVALID_ARGUMENT,
              "split: split_size can only be 0 if dimension size is 0, but got dimension size of ", n, " (shape ",
              t.sizes(), ")");
    // An empty dim still gives one (empty) piece, as in PyTorch.
    const int64_t pieces = split_size == 0 ? 1 : std::max<int64_t>(1, n / split_size + (n % split_size != 0));
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(pieces));
    for (int64_t i = 0; i < pieces; ++i) {
        const int64_t start = i * split_size;
        out.push_back(narrow(t, d, start, std::min(split_size, n - start)));
    }
    return out;
}

std::vector<Tensor> split_with_sizes(const Tensor& t, const Shape& sizes, int64_t dim) {
    const int64_t d = split_dim(t, dim, "split_with_sizes");
    int64_t total = 0;
    for (int64_t s : sizes) {
        CMP_CHECK(s >= 0, INVALID_ARGUMENT, "split_with_sizes: expects split_sizes have only non-negative entries, but got split_sizes=",
                  sizes);
        CMP_CHECK(!add_overflow(total, s, &total), INVALID_ARGUMENT, "split_with_sizes: split_sizes ", sizes, " overflow");
    }
    CMP_CHECK(total == t.size(d), SHAPE_MISMATCH, "split_with_sizes: expects split_sizes to sum exactly to ", t.size(d),
              " (input tensor's size at dimension ", d, ", shape ", t.sizes(), "), but got split_sizes=", sizes);
    std::vector<Tensor> out;
    out.reserve(sizes.size());
    int64_t start = 0;
    for (int64_t s : sizes) {
        out.push_back(narrow(t, d, start, s));
        start += s;
    }
    return out;
}

std::vector<Tensor> chunk(const Tensor& t, int64_t chunks, int64_t dim) {
    const int64_t d = split_dim(t, dim, "chunk");
    CMP_CHECK(chunks > 0, INVALID_ARGUMENT, "chunk: expects `chunks` to be greater than 0, got: ", chunks);
    const int64_t n = t.size(d);
    // An empty dim is cut into `chunks` empty pieces (PyTorch does the same).
    if (n == 0) return split_with_sizes(t, Shape(static_cast<size_t>(chunks), 0), d);
    return split(t, n / chunks + (n % chunks != 0), d);
}

std::vector<Tensor> unbind(const Tensor& t, int64_t dim) {
    const int64_t d = split_dim(t, dim, "unbind");
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(t.size(d)));
    for (int64_t i = 0; i < t.size(d); ++i) out.push_back(select(t, d, i));
    return out;
}

}  // namespace cmp::ops
