// Tensor layout helpers: contiguity, numel, dim wrapping, allocation of fresh tensors.
#include "tensor.h"

#include <limits>

namespace cmp {

Tensor Tensor::make(Ref<Storage> storage, DType dtype, Shape sizes, Shape strides, int64_t offset) {
    return Tensor(make_ref<TensorImpl>(std::move(storage), dtype, std::move(sizes), std::move(strides), offset));
}

Tensor Tensor::make_external(Ref<Storage> storage, DType dtype, Shape sizes, Shape strides, int64_t offset) {
    try {
        // Passed as a copy: our reference keeps the storage alive through a failure until
        // its deleter is disarmed.
        return make(storage, dtype, std::move(sizes), std::move(strides), offset);
    } catch (...) {
        storage->disarm_deleter();
        throw;
    }
}

Tensor Tensor::empty(const Shape& sizes, DType dtype, Device device, const char* op) {
    check_dtype(dtype, op, "dtype");
    require_available(device, op);
    int64_t n = checked_numel(sizes, op);
    int64_t esize = cmp::element_size(dtype);
    CMP_CHECK(n <= std::numeric_limits<int64_t>::max() / esize, INVALID_ARGUMENT, op, ": sizes ", sizes,
              " of dtype ", dtype_name(dtype), " overflow the byte count");
    Ref<Storage> storage = Storage::allocate(n * esize, device);
    return make(std::move(storage), dtype, sizes, contiguous_strides(sizes), 0);
}

int64_t Tensor::size(int64_t d) const { return sizes()[wrap_dim(d, dim(), "size")]; }

int64_t Tensor::stride(int64_t d) const { return strides()[wrap_dim(d, dim(), "stride")]; }

int64_t Tensor::numel() const {
    int64_t n = 1;
    for (int64_t s : sizes()) n *= s;
    return n;
}

bool Tensor::is_contiguous() const {
    // PyTorch's rule: empty tensors are contiguous, and size-1 dims may have any stride.
    const Shape& sz = sizes();
    const Shape& st = strides();
    int64_t expected = 1;
    for (int64_t i = dim() - 1; i >= 0; --i) {
        if (sz[i] == 0) return true;
        if (sz[i] == 1) continue;
        if (st[i] != expected) return false;
        expected *= sz[i];
    }
    return true;
}

Shape contiguous_strides(const Shape& sizes) {
    Shape strides(sizes.size());
    int64_t s = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
        strides[i] = s;
        // Size-0 dims still get the stride they would have with size 1, as PyTorch does.
        s *= sizes[i] > 1 ? sizes[i] : 1;
    }
    return strides;
}

int64_t checked_numel(const Shape& sizes, const char* op) {
    int64_t n = 1;
    bool overflow = false;
    for (int64_t s : sizes) {
        CMP_CHECK(s >= 0, INVALID_ARGUMENT, op, ": negative dimension ", s, " in sizes ", sizes);
        if (s != 0 && n > std::numeric_limits<int64_t>::max() / s) overflow = true;
        else n *= s;
    }
    // A zero anywhere makes the product 0 even when a partial product overflowed.
    for (int64_t s : sizes)
        if (s == 0) return 0;
    CMP_CHECK(!overflow, INVALID_ARGUMENT, op, ": sizes ", sizes, " overflow the element count");
    return n;
}

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op, const Shape* shape) {
    // A 0-dim tensor accepts dim 0 and -1, as in PyTorch.
    int64_t n = ndim > 0 ? ndim : 1;
    CMP_CHECK(dim >= -n && dim < n, INDEX_OUT_OF_RANGE, op, ": dimension ", dim, " out of range",
              shape ? str(" for a tensor of shape ", *shape) : std::string(),
              " (expected to be in range of [", -n, ", ", n - 1, "])");
    return dim < 0 ? dim + n : dim;
}

}  // namespace cmp
