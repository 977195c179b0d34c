// tril, triu, diagonal and diag.
#include "ops/shape_ops.h"

#include "core/device.h"
#include "cpu/shape_ops_stubs.h"
#include "ops/cuda_ops.h"

#include <algorithm>

namespace cmp::cpu {
CMP_DEFINE_STUB(triangle_zero_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

Tensor triangle(const Tensor& t, int64_t diagonal, bool upper, const char* op) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": the tensor is undefined");
    CMP_CHECK(t.dim() >= 2, SHAPE_MISMATCH, op, ": input tensor must have at least 2 dimensions, got shape ", t.sizes());
    require_available(t.device(), op);
    if (!t.device().is_cpu()) return cuda_ops::triangle(op, t, diagonal, upper);
    Tensor out = clone(t);
    cpu::triangle_zero_stub(out, diagonal, upper);
    return out;
}

}  // namespace

Tensor tril(const Tensor& t, int64_t diagonal) { return triangle(t, diagonal, false, "tril"); }
Tensor triu(const Tensor& t, int64_t diagonal) { return triangle(t, diagonal, true, "triu"); }

Tensor diagonal(const Tensor& t, int64_t offset, int64_t dim1, int64_t dim2) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "diagonal: the tensor is undefined");
    const int64_t d1 = wrap_dim(dim1, t, "diagonal"), d2 = wrap_dim(dim2, t, "diagonal");
    CMP_CHECK(d1 != d2, INVALID_ARGUMENT, "diagonal: dimensions cannot be identical ", dim1, ", ", dim2, " (shape ",
              t.sizes(), ")");
    const int64_t n1 = t.size(d1), n2 = t.size(d2), s1 = t.stride(d1), s2 = t.stride(d2);
    // Offsets past the matrix give an empty diagonal; comparing before subtracting avoids overflow.
    int64_t length = 0, start = t.offset();
    if (offset >= 0 && offset < n2) {
        length = std::min(n1, n2 - offset);
        start += offset * s2;
    } else if (offset < 0 && -offset < n1) {
        length = std::min(n1 + offset, n2);
        start -= offset * s1;
    }
    // An empty diagonal keeps the input's offset so the view never points past the storage.
    if (length == 0) start = t.offset();
    Shape sizes, strides;
    for (int64_t k = 0; k < t.dim(); ++k) {
        if (k == d1 || k == d2) continue;
        sizes.push_back(t.size(k));
        strides.push_back(t.stride(k));
    }
    sizes.push_back(length);
    strides.push_back(s1 + s2);
    return Tensor::make(t.storage(), t.dtype(), sizes, strides, start);
}

Tensor diag(const Tensor& t, int64_t k) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "diag: the tensor is undefined");
    CMP_CHECK(t.dim() == 1 || t.dim() == 2, SHAPE_MISMATCH, "diag: expected a 1-D or 2-D tensor, got shape ", t.sizes());
    if (t.dim() == 2) return clone(diagonal(t, k, 0, 1));
    int64_t n = 0;
    CMP_CHECK(k != INT64_MIN && !add_overflow(t.size(0), k < 0 ? -k : k, &n), INVALID_ARGUMENT,
              "diag: diagonal ", k, " is too large");
    Tensor out = Tensor::empty({n, n}, t.dtype(), t.device(), "diag");
    fill_(out, scalar_int(0));
    copy_(diagonal(out, k, 0, 1), t);
    return out;
}

}  // namespace cmp::ops
