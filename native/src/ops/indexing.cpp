// Front-ends of the indexing ops: argument, dtype and shape checks (messages name the op and
// the shapes), output allocation, and the views that let index_select/index_add reuse the
// gather/scatter kernels (a 1-D index seen with stride 0 along every other dim).
#include "ops/indexing.h"

#include "core/device.h"
#include "core/iterator.h"
#include "core/parallel.h"
#include "cpu/indexing_stubs.h"
#include "ops/binary_math.h"
#include "ops/cuda_ops.h"
#include "ops/unary_math.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace cmp::cpu {
CMP_DEFINE_STUB(gather_stub);
CMP_DEFINE_STUB(scatter_stub);
CMP_DEFINE_STUB(mean_divide_stub);
CMP_DEFINE_STUB(masked_select_stub);
CMP_DEFINE_STUB(nonzero_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

// PyTorch treats a 0-dim tensor as 1-D with one element in these ops.
Tensor at_least_1d(const Tensor& t) { return t.dim() == 0 ? view(t, {1}) : t; }

int64_t wrap_index_dim(int64_t dim, const Tensor& self, const char* op) {
    return wrap_dim(dim, std::max<int64_t>(self.dim(), 1), op, &self.sizes());
}

void check_tensors(const char* op, std::initializer_list<std::pair<const Tensor*, const char*>> ts) {
    const Tensor* first = nullptr;
    for (auto [t, name] : ts) {
        if (!t) continue;
        CMP_CHECK(t->defined(), INVALID_ARGUMENT, op, ": the tensor '", name, "' is undefined");
        require_available(t->device(), op);
        if (first) {
            CMP_CHECK(t->device() == first->device(), DEVICE_ERROR, op, ": expected all tensors on one device, got ",
                      first->device().str(), " and ", t->device().str(), " for '", name, "'");
        }
        first = t;
    }
}

void check_index_dtype(const Tensor& index, const char* op, bool allow_int32) {
    CMP_CHECK(index.dtype() == CMP_DTYPE_INT64 || (allow_int32 && index.dtype() == CMP_DTYPE_INT32), DTYPE_MISMATCH, op,
              ": expected dtype int64", allow_int32 ? " or int32" : "", " for index, got ", dtype_name(index.dtype()));
}

// A written-to tensor whose elements share memory (an expanded view) would make the result
// depend on the order of writes, and parallel writes race.
void check_no_internal_overlap(const Tensor& t, const char* op) {
    for (int64_t d = 0; d < t.dim(); ++d)
        CMP_CHECK(t.size(d) <= 1 || t.stride(d) != 0, INVALID_ARGUMENT, op,
                  ": more than one element of the written-to tensor (shape ", t.sizes(), ", strides ", t.strides(),
                  ") refers to a single memory location; clone it first");
}

// gather's kernel on the tensors' device; a CUDA index out of range fails with the CPU's words
// (the device reports the first bad position in row-major order, the CPU the first of its line).
void gather_into(const Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const char* op) {
    if (self.device().is_cpu()) return cpu::gather_stub(out, self, dim, index, op);
    const std::optional<int64_t> bad = cuda_ops::gather(op, out, self, dim, index);
    CMP_CHECK(!bad, INDEX_OUT_OF_RANGE, op, ": index ", bad.value_or(0), " is out of bounds for dimension ", dim,
              " with size ", self.size(dim));
}

static_assert(static_cast<int>(ScatterReduce::None) == COMPUTE_CUDA_SCATTER_NONE &&
              static_cast<int>(ScatterReduce::Sum) == COMPUTE_CUDA_SCATTER_SUM &&
              static_cast<int>(ScatterReduce::Prod) == COMPUTE_CUDA_SCATTER_PROD &&
              static_cast<int>(ScatterReduce::Amax) == COMPUTE_CUDA_SCATTER_AMAX &&
              static_cast<int>(ScatterReduce::Amin) == COMPUTE_CUDA_SCATTER_AMIN);

// scatter's kernel on the self's device (a CUDA index out of range fails as gather_into's).
void scatter_kernel(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Scalar value,
                    ScatterReduce reduce, Scalar alpha, const char* op) {
    if (self.device().is_cpu()) return cpu::scatter_stub(self, dim, index, src, value, reduce, alpha, op);
    const std::optional<int64_t> bad =
        cuda_ops::scatter(op, self, dim, index, src, value, static_cast<int32_t>(reduce), alpha);
    CMP_CHECK(!bad, INDEX_OUT_OF_RANGE, op, ": index ", bad.value_or(0), " is out of bounds for dimension ", dim,
              " with size ", self.size(dim));
}

// scatter_reduce's mean: self /= max(count, 1) elementwise (integers round down, a bool stays
// the sum), on the CPU by its kernel, on CUDA by the elementwise ops.
void mean_divide(const Tensor& self, const Tensor& count) {
    if (self.device().is_cpu()) return cpu::mean_divide_stub(self, count);
    if (self.dtype() == CMP_DTYPE_BOOL) return;
    const Tensor n = clamp(count, scalar_int(1), std::nullopt);
    // Floats divide in opmath (float32 for the 16-bit floats, as the CPU kernel) and round once.
    const DType opmath = self.dtype() == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    copy_(self, is_floating(self.dtype()) ? div(self, to_dtype(n, opmath)) : floor_divide(self, n));
}

// A 1-D int64 index (int32 converted) for index_select/index_add.
Tensor vector_index(const Tensor& index, const char* op) {
    check_index_dtype(index, op, true);
    CMP_CHECK(index.dim() <= 1, SHAPE_MISMATCH, op, ": index is supposed to be a vector, got shape ", index.sizes());
    return at_least_1d(contiguous(to_dtype(index, CMP_DTYPE_INT64)));
}

// The 1-D index seen with the shape `sizes`: its values run along dim, repeated elsewhere.
Tensor index_along(const Tensor& index1d, const Shape& sizes, int64_t dim) {
    Shape strides(sizes.size(), 0);
    strides[static_cast<size_t>(dim)] = index1d.stride(0);
    return Tensor::make(index1d.storage(), CMP_DTYPE_INT64, sizes, strides, index1d.offset());
}

// Scatters src (or value) into self in place after checking PyTorch's shape rules.
void scatter_into(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Scalar value,
                  ScatterReduce reduce, Scalar alpha, const char* op) {
    check_index_dtype(index, op, false);
    const Tensor s = at_least_1d(self), idx = at_least_1d(index);
    const int64_t d = wrap_index_dim(dim, self, op);
    CMP_CHECK(idx.dim() == s.dim(), SHAPE_MISMATCH, op,
              ": index tensor must have the same number of dimensions as self tensor (index shape ", index.sizes(),
              ", self shape ", self.sizes(), ")");
    Tensor source;
    if (src.defined()) {
        CMP_CHECK(src.dtype() == self.dtype(), DTYPE_MISMATCH, op, ": expected self.dtype to be equal to src.dtype, got ",
                  dtype_name(self.dtype()), " and ", dtype_name(src.dtype()));
        source = at_least_1d(src);
        CMP_CHECK(source.dim() == s.dim(), SHAPE_MISMATCH, op,
                  ": src tensor must have the same number of dimensions as self tensor (src shape ", src.sizes(),
                  ", self shape ", self.sizes(), ")");
    }
    for (int64_t k = 0; k < s.dim(); ++k) {
        CMP_CHECK((k == d || idx.size(k) <= s.size(k)) && (!source.defined() || idx.size(k) <= source.size(k)),
                  SHAPE_MISMATCH, op, ": expected index ", index.sizes(), " to be smaller than self ", self.sizes(),
                  " apart from dimension ", d, source.defined() ? str(" and to be smaller than src ", src.sizes()) : "");
    }
    check_no_internal_overlap(s, op);
    if (idx.numel() == 0) return;
    scatter_kernel(s, d, idx, source, value, reduce, alpha, op);
}

// The value that leaves any other unchanged under reduce (scatter_reduce without self).
Scalar reduce_identity(ScatterReduce reduce, DType dtype) {
    const bool is_max = reduce == ScatterReduce::Amax;
    if (reduce == ScatterReduce::Prod) return scalar_int(1);
    if (reduce != ScatterReduce::Amax && reduce != ScatterReduce::Amin) return scalar_int(0);
    if (is_floating(dtype)) return scalar_float(is_max ? -INFINITY : INFINITY);
    return CMP_DISPATCH_ALL_TYPES(dtype, "scatter_reduce", [&]() -> Scalar {
        if constexpr (std::is_same_v<scalar_t, bool>) return scalar_bool(!is_max);
        else if constexpr (std::is_integral_v<scalar_t>)
            return scalar_int(static_cast<int64_t>(is_max ? std::numeric_limits<scalar_t>::lowest()
                                                          : std::numeric_limits<scalar_t>::max()));
        else return scalar_float(0.0);  // floating dtypes returned above
    });
}

}  // namespace

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
    const char* op = "gather";
    check_tensors(op, {{&self, "self"}, {&index, "index"}});
    check_index_dtype(index, op, false);
    const Tensor s = at_least_1d(self), idx = at_least_1d(index);
    const int64_t d = wrap_index_dim(dim, self, op);
    CMP_CHECK(idx.dim() == s.dim(), SHAPE_MISMATCH, op,
              ": index tensor must have the same number of dimensions as input tensor (index shape ", index.sizes(),
              ", input shape ", self.sizes(), ")");
    for (int64_t k = 0; k < s.dim(); ++k)
        CMP_CHECK(k == d || idx.size(k) <= s.size(k), SHAPE_MISMATCH, op, ": size does not match at dimension ", k,
                  ": expected index ", index.sizes(), " to be smaller than self ", self.sizes(), " apart from dimension ", d);
    Tensor out = Tensor::empty(index.sizes(), self.dtype(), self.device(), op);
    if (out.numel() > 0) gather_into(at_least_1d(out), s, d, idx, op);
    return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Scalar value, ScatterReduce reduce) {
    const char* op = "scatter";
    check_tensors(op, {{&self, "self"}, {&index, "index"}, {src.defined() ? &src : nullptr, "src"}});
    CMP_CHECK(reduce == ScatterReduce::None || reduce == ScatterReduce::Sum || reduce == ScatterReduce::Prod,
              INVALID_ARGUMENT, "scatter: reduce must be none, add (sum) or multiply (prod), got ", static_cast<int>(reduce));
    Tensor out = clone(self);
    scatter_into(out, dim, index, src, value, reduce, scalar_int(1), op);
    return out;
}

void scatter_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
    check_tensors("scatter_add_", {{&self, "self"}, {&index, "index"}, {&src, "src"}});
    CMP_CHECK(src.defined(), INVALID_ARGUMENT, "scatter_add_: src is undefined");
    scatter_into(self, dim, index, src, scalar_int(0), ScatterReduce::Sum, scalar_int(1), "scatter_add_");
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
    check_tensors("scatter_add", {{&self, "self"}, {&index, "index"}, {&src, "src"}});
    Tensor out = clone(self);
    scatter_into(out, dim, index, src, scalar_int(0), ScatterReduce::Sum, scalar_int(1), "scatter_add");
    return out;
}

Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce,
                      bool include_self) {
    const char* op = "scatter_reduce";
    check_tensors(op, {{&self, "self"}, {&index, "index"}, {&src, "src"}});
    CMP_CHECK(reduce != ScatterReduce::None, INVALID_ARGUMENT,
              "scatter_reduce: reduce must be one of sum, prod, mean, amax, amin");
    Tensor out = clone(self);
    // Without self, every position that receives a value starts from the reduction's identity.
    if (!include_self)
        scatter_into(out, dim, index, Tensor(), reduce_identity(reduce, self.dtype()), ScatterReduce::None,
                     scalar_int(1), op);
    const bool mean = reduce == ScatterReduce::Mean;
    scatter_into(out, dim, index, src, scalar_int(0), mean ? ScatterReduce::Sum : reduce, scalar_int(1), op);
    if (mean) {
        // How many values each position averages: itself (when included) plus what it received.
        Tensor count = full(self.sizes(), scalar_int(include_self ? 1 : 0), CMP_DTYPE_INT64, self.device());
        scatter_into(count, dim, index, Tensor(), scalar_int(1), ScatterReduce::Sum, scalar_int(1), op);
        mean_divide(out, count);
    }
    return out;
}

// index_select of a contiguous CPU tensor: each selected slice (the elements after dim) is one
// contiguous block, copied whole. The gather kernel walks lines along dim instead, which for
// dim 0 strides across rows element by element (0.04x PyTorch for [8192, 128] rows).
// Every index is checked before anything is written.
bool index_select_slices(const Tensor& out, const Tensor& self, int64_t dim, const Tensor& idx, const char* op) {
    if (!self.is_contiguous() || !self.device().is_cpu()) return false;
    const int64_t n = idx.numel(), size = self.size(dim);
    const int64_t* ip = idx.data<int64_t>();  // contiguous (vector_index)
    for (int64_t j = 0; j < n; ++j)
        CMP_CHECK(ip[j] >= 0 && ip[j] < size, INDEX_OUT_OF_RANGE, op, ": index ", ip[j],
                  " is out of bounds for dimension ", dim, " with size ", size);
    int64_t inner = 1, outer = 1;
    for (int64_t k = 0; k < self.dim(); ++k) (k < dim ? outer : inner) *= k == dim ? 1 : self.size(k);
    const size_t bytes = static_cast<size_t>(inner * self.element_size());
    char* o = static_cast<char*>(out.data_ptr());
    const char* src = static_cast<const char*>(self.data_ptr());
    parallel_for(0, outer * n, std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(inner, 1)), [&](int64_t b, int64_t e) {
        for (int64_t t = b; t < e; ++t)
            std::memcpy(o + static_cast<size_t>(t) * bytes,
                        src + static_cast<size_t>((t / n) * size + ip[t % n]) * bytes, bytes);
    });
    return true;
}

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
    const char* op = "index_select";
    check_tensors(op, {{&self, "self"}, {&index, "index"}});
    const Tensor idx = vector_index(index, op);
    const Tensor s = at_least_1d(self);
    const int64_t d = wrap_index_dim(dim, self, op);
    Shape sizes = s.sizes();
    sizes[static_cast<size_t>(d)] = idx.numel();
    Tensor out = Tensor::empty(sizes, self.dtype(), self.device(), op);
    if (out.numel() > 0 && !index_select_slices(out, s, d, idx, op))
        gather_into(out, s, d, index_along(idx, sizes, d), op);
    // A 0-dim input gives a 0-dim result in PyTorch (the first selected element).
    if (self.dim() == 0 && out.numel() > 0) return clone(view(narrow(out, 0, 0, 1), {}));
    return out;
}

void index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha) {
    const char* op = "index_add_";
    check_tensors(op, {{&self, "self"}, {&index, "index"}, {&source, "source"}});
    CMP_CHECK(!(is_integral(self.dtype(), true) && alpha.kind == CMP_SCALAR_FLOAT), INVALID_ARGUMENT, op,
              ": for integral input tensors, argument alpha must not be a floating point number");
    const Tensor idx = vector_index(index, op);
    const Tensor s = at_least_1d(self), src = at_least_1d(source);
    const int64_t d = wrap_index_dim(dim, self, op);
    CMP_CHECK(source.dtype() == self.dtype(), DTYPE_MISMATCH, op, ": self (", dtype_name(self.dtype()),
              ") and source (", dtype_name(source.dtype()), ") must have the same dtype");
    CMP_CHECK(src.dim() == s.dim(), SHAPE_MISMATCH, op, ": source shape ", source.sizes(),
              " must have the same number of dimensions as self shape ", self.sizes());
    CMP_CHECK(src.size(d) == idx.numel(), SHAPE_MISMATCH, op, ": number of indices (", idx.numel(),
              ") should be equal to source.size(dim) (", src.size(d), ")");
    for (int64_t k = 0; k < s.dim(); ++k)
        CMP_CHECK(k == d || src.size(k) == s.size(k), SHAPE_MISMATCH, op, ": source shape ", source.sizes(),
                  " must match self shape ", self.sizes(), " except at dimension ", d);
    check_no_internal_overlap(s, op);
    if (idx.numel() == 0 || src.numel() == 0) return;
    scatter_kernel(s, d, index_along(idx, src.sizes(), d), src, scalar_int(0), ScatterReduce::Sum, alpha, op);
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha) {
    check_tensors("index_add", {{&self, "self"}});
    Tensor out = clone(self);
    index_add_(out, dim, index, source, alpha);
    return out;
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
    const char* op = "masked_select";
    check_tensors(op, {{&self, "self"}, {&mask, "mask"}});
    CMP_CHECK(mask.dtype() == CMP_DTYPE_BOOL || mask.dtype() == CMP_DTYPE_UINT8, DTYPE_MISMATCH, op,
              ": expected a bool (or uint8) mask, got ", dtype_name(mask.dtype()));
    const Shape shape = broadcast_shapes(self.sizes(), mask.sizes(), op);
    const Tensor s = expand(self, shape), m = expand(to_dtype(mask, CMP_DTYPE_BOOL), shape);
    if (!self.device().is_cpu()) return cuda_ops::masked_select(op, s, m);
    return cpu::masked_select_stub(s, m);
}

Tensor nonzero(const Tensor& self) {
    check_tensors("nonzero", {{&self, "self"}});
    if (!self.device().is_cpu()) return cuda_ops::nonzero("nonzero", self);
    return cpu::nonzero_stub(self);
}

}  // namespace cmp::ops
