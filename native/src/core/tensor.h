// The tensor: storage + dtype + sizes + strides (in elements) + offset. TensorImpl is what a
// C handle points to; Tensor is the value type the native code passes around.
#pragma once

#include "device.h"
#include "dtype.h"
#include "refcount.h"
#include "storage.h"

#include <cstdint>
#include <vector>

namespace cmp {

using Shape = std::vector<int64_t>;

class TensorImpl : public RefCounted {
public:
    static constexpr uint32_t kMagic = 0x434d5054;  // "CMPT": marks a live handle

    TensorImpl(Ref<Storage> storage, DType dtype, Shape sizes, Shape strides, int64_t offset)
        : storage_(std::move(storage)), dtype_(dtype), sizes_(std::move(sizes)),
          strides_(std::move(strides)), offset_(offset) {}
    // The store is volatile so the compiler cannot drop it as dead (the object is about to
    // be freed): a later use of the released handle must see the cleared magic.
    ~TensorImpl() override { *static_cast<volatile uint32_t*>(&magic_) = 0; }

    bool alive() const { return magic_ == kMagic; }

    Ref<Storage> storage_;
    DType dtype_;
    Shape sizes_;
    Shape strides_;
    int64_t offset_ = 0;
    // A number given as an operand (cmp_scalar_tensor): lowest priority in type promotion.
    bool wrapped_number_ = false;

private:
    uint32_t magic_ = kMagic;
};

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Ref<TensorImpl> impl) : impl_(std::move(impl)) {}

    // A new tensor over storage with explicit layout (no bounds check: see as_strided).
    static Tensor make(Ref<Storage> storage, DType dtype, Shape sizes, Shape strides, int64_t offset);
    // Like make, over a storage that wraps caller-owned memory: when building the tensor fails
    // the storage's deleter is disarmed first, so a failed call leaves ownership with the caller.
    static Tensor make_external(Ref<Storage> storage, DType dtype, Shape sizes, Shape strides, int64_t offset);
    // An uninitialised contiguous tensor; checks the dtype, the device's availability, and
    // sizes for negatives and byte-count overflow; errors name op.
    static Tensor empty(const Shape& sizes, DType dtype, Device device, const char* op = "empty");

    bool defined() const { return static_cast<bool>(impl_); }
    TensorImpl* impl() const { return impl_.get(); }
    Ref<TensorImpl> ref() const { return impl_; }

    DType dtype() const { return impl_->dtype_; }
    Device device() const { return impl_->storage_->device(); }
    const Shape& sizes() const { return impl_->sizes_; }
    const Shape& strides() const { return impl_->strides_; }
    int64_t size(int64_t dim) const;    // dim may be negative
    int64_t stride(int64_t dim) const;  // dim may be negative
    int64_t dim() const { return static_cast<int64_t>(impl_->sizes_.size()); }
    int64_t offset() const { return impl_->offset_; }
    int64_t numel() const;
    int64_t element_size() const { return cmp::element_size(dtype()); }
    int64_t nbytes() const { return numel() * element_size(); }
    bool is_contiguous() const;
    bool is_wrapped_number() const { return impl_->wrapped_number_; }
    const Ref<Storage>& storage() const { return impl_->storage_; }

    // Address of the first element.
    void* data_ptr() const {
        return static_cast<char*>(impl_->storage_->data()) + impl_->offset_ * element_size();
    }
    template <typename T>
    T* data() const { return static_cast<T*>(data_ptr()); }

private:
    Ref<TensorImpl> impl_;
};

// Row-major strides for sizes.
Shape contiguous_strides(const Shape& sizes);
// Product of sizes; throws INVALID_ARGUMENT on a negative size or overflow (naming op).
int64_t checked_numel(const Shape& sizes, const char* op);
// a * b and a + b into *out; true when the exact result does not fit in int64.
inline bool mul_overflow(int64_t a, int64_t b, int64_t* out) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_mul_overflow(a, b, out);
#else
    if (a != 0 && b != 0) {
        if ((a > 0 && b > 0 && a > INT64_MAX / b) || (a < 0 && b < 0 && a < INT64_MAX / b) ||
            (a > 0 && b < 0 && b < INT64_MIN / a) || (a < 0 && b > 0 && a < INT64_MIN / b))
            return true;
    }
    *out = a * b;
    return false;
#endif
}
inline bool add_overflow(int64_t a, int64_t b, int64_t* out) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_add_overflow(a, b, out);
#else
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return true;
    *out = a + b;
    return false;
#endif
}
// Wraps a possibly negative dim into [0, ndim); throws INDEX_OUT_OF_RANGE naming op.
int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op, const Shape* shape = nullptr);
// Same, for a dim of t; the message names t's shape.
inline int64_t wrap_dim(int64_t dim, const Tensor& t, const char* op) { return wrap_dim(dim, t.dim(), op, &t.sizes()); }

}  // namespace cmp
