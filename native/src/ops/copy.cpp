// copy_, fill_ and the conversions built on them (contiguous, clone, to_dtype, to_device), and
// item. All element movement goes through TensorIterator and the per-ISA copy/fill kernels.
#include "ops/ops.h"

#include "core/cuda_runtime.h"
#include "core/device.h"
#include "core/iterator.h"
#include "core/storage.h"
#include "cpu/elementwise_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(copy_stub);
CMP_DEFINE_STUB(fill_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

// Whether the byte ranges the two tensors could touch intersect (same storage only).
bool may_overlap(const Tensor& a, const Tensor& b) {
    if (a.storage().get() != b.storage().get() || a.numel() == 0 || b.numel() == 0) return false;
    auto range = [](const Tensor& t, int64_t& lo, int64_t& hi) {
        lo = hi = t.offset();
        for (int64_t d = 0; d < t.dim(); ++d) {
            const int64_t span = (t.sizes()[static_cast<size_t>(d)] - 1) * t.strides()[static_cast<size_t>(d)];
            (span < 0 ? lo : hi) += span;
        }
        lo *= t.element_size();
        hi = (hi + 1) * t.element_size();
    };
    int64_t alo, ahi, blo, bhi;
    range(a, alo, ahi);
    range(b, blo, bhi);
    return alo < bhi && blo < ahi;
}

// An uninitialised contiguous tensor of t's shape and dtype in pinned host memory (needs CUDA:
// the pinned blocks come from the CUDA backend).
Tensor empty_pinned_like(const Tensor& t, const char* op) {
    cuda::require_device(0, op);
    const int64_t nbytes = t.numel() * t.element_size();  // fits: t's own storage holds as much
    return Tensor::make(Storage::allocate_pinned(nbytes), t.dtype(), t.sizes(), contiguous_strides(t.sizes()), 0);
}

bool same_layout(const Tensor& a, const Tensor& b) {
    return a.storage().get() == b.storage().get() && a.offset() == b.offset() && a.dtype() == b.dtype() &&
           a.sizes() == b.sizes() && a.strides() == b.strides();
}

}  // namespace

void copy_(const Tensor& dst, const Tensor& src) { copy_(dst, src, false); }

void copy_(const Tensor& dst, const Tensor& src, bool non_blocking) {
    CMP_CHECK(dst.defined(), INVALID_ARGUMENT, "copy_: the destination tensor is undefined");
    CMP_CHECK(src.defined(), INVALID_ARGUMENT, "copy_: the source tensor is undefined");
    if (same_layout(dst, src)) return;  // x.copy_(x)
    if (dst.device() != src.device()) return cuda_ops::copy_across_devices(dst, src, non_blocking);
    // A source that shares memory with the destination is read in full before any write
    // (e.g. x[1:].copy_(x[:-1])), so the result is as if the copy were simultaneous.
    Tensor source = may_overlap(dst, src) ? clone(src) : src;
    TensorIterator::Config c;
    c.op = "copy_";
    c.out = dst;
    c.inputs = {source};
    c.out_is_input = true;
    c.has_compute_dtype = true;
    c.compute_dtype = dst.dtype();
    c.cast_inputs = false;  // the kernel converts
    TensorIterator iter(std::move(c));
    if (cuda_ops::on_cuda(iter)) return cuda_ops::copy(iter);
    cpu::copy_stub(iter);
}

void fill_(const Tensor& t, Scalar value) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "fill_: the tensor is undefined");
    CMP_CHECK(value.kind == CMP_SCALAR_FLOAT || value.kind == CMP_SCALAR_INT || value.kind == CMP_SCALAR_BOOL,
              INVALID_ARGUMENT, "fill_: invalid scalar kind ", value.kind);
    TensorIterator::Config c;
    c.op = "fill_";
    c.out = t;
    c.out_is_input = true;
    c.has_compute_dtype = true;
    c.compute_dtype = t.dtype();
    TensorIterator iter(std::move(c));
    if (cuda_ops::on_cuda(iter)) return cuda_ops::fill(iter, value);
    cpu::fill_stub(iter, value);
}

Tensor clone(const Tensor& t) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "clone: the tensor is undefined");
    Tensor out = Tensor::empty(t.sizes(), t.dtype(), t.device());
    copy_(out, t);
    return out;
}

Tensor contiguous(const Tensor& t) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "contiguous: the tensor is undefined");
    return t.is_contiguous() ? t : clone(t);
}

Tensor to_dtype(const Tensor& t, DType dtype) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "to: the tensor is undefined");
    check_dtype(static_cast<int32_t>(dtype), "to", "dtype");
    if (t.dtype() == dtype) return t;
    Tensor out = Tensor::empty(t.sizes(), dtype, t.device());
    copy_(out, t);
    return out;
}

Tensor to_device(const Tensor& t, Device device, bool non_blocking) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "to: the tensor is undefined");
    if (t.device() == device) return t;
    require_available(device, "to");
    require_available(t.device(), "to");
    // A non-blocking copy to the host lands in pinned memory, as PyTorch's does, so that it can
    // run asynchronously; the caller synchronises the stream before reading it.
    Tensor out = non_blocking && device.is_cpu() ? empty_pinned_like(t, "to")
                                                 : Tensor::empty(t.sizes(), t.dtype(), device, "to");
    copy_(out, t, non_blocking);
    return out;
}

Tensor pin_memory(const Tensor& t) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "pin_memory: the tensor is undefined");
    CMP_CHECK(t.device().is_cpu(), INVALID_ARGUMENT, "pin_memory: expected a CPU tensor, got one on ",
              t.device().str());
    if (is_pinned(t)) return t;
    Tensor out = empty_pinned_like(t, "pin_memory");
    copy_(out, t);
    return out;
}

bool is_pinned(const Tensor& t) { return t.defined() && t.storage() && t.storage()->pinned(); }

Scalar item(const Tensor& t, const Shape& indices) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, "item: the tensor is undefined");
    CMP_CHECK(static_cast<int64_t>(indices.size()) == t.dim(), INVALID_ARGUMENT, "item: expected ", t.dim(),
              " indices for a tensor with shape ", t.sizes(), ", got ", indices.size());
    require_available(t.device(), "item");
    int64_t offset = 0;
    for (size_t d = 0; d < indices.size(); ++d) {
        const int64_t size = t.sizes()[d];
        int64_t i = indices[d];
        CMP_CHECK(i >= -size && i < size, INDEX_OUT_OF_RANGE, "item: index ", i, " is out of bounds for dimension ",
                  d, " with size ", size);
        if (i < 0) i += size;
        offset += i * t.strides()[d];
    }
    if (!t.device().is_cpu()) {
        // The one element as a 0-dim view, brought to the host (a synchronous transfer).
        const Tensor element = as_strided(t, {}, {}, t.offset() + offset);
        return item(to_device(element, Device::cpu()), {});
    }
    return CMP_DISPATCH_ALL_TYPES(t.dtype(), "item", [&]() -> Scalar {
        const scalar_t v = t.data<scalar_t>()[offset];
        if constexpr (std::is_same_v<scalar_t, bool>) return scalar_bool(v);
        else if constexpr (std::is_integral_v<scalar_t>) return scalar_int(static_cast<int64_t>(v));
        else return scalar_float(static_cast<double>(static_cast<opmath_t<scalar_t>>(v)));
    });
}

}  // namespace cmp::ops
