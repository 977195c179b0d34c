// Argument validation and the thread-local error message of the extern "C" layer.
#include "abi_util.h"

#include <cstring>
#include <limits>

namespace cmp::abi {

namespace {
thread_local std::string t_last_error;
}

void set_last_error(std::string message) { t_last_error = std::move(message); }
const char* last_error() { return t_last_error.c_str(); }

TensorImpl* impl_arg(cmp_tensor handle, const char* op, const char* arg) {
    CMP_CHECK(handle != nullptr, INVALID_HANDLE, op, ": argument '", arg, "' is a NULL tensor handle");
    auto* impl = reinterpret_cast<TensorImpl*>(handle);
    // Best effort: a released TensorImpl clears its magic in its destructor, so a handle
    // used after its last release is usually caught here instead of corrupting memory.
    CMP_CHECK(impl->alive(), INVALID_HANDLE, op, ": argument '", arg,
              "' is not a live tensor handle (already released?)");
    return impl;
}

Tensor tensor_arg(cmp_tensor handle, const char* op, const char* arg) {
    Tensor t(Ref<TensorImpl>::borrow(impl_arg(handle, op, arg)));
    check_device_supported(t.device(), op, arg);
    return t;
}

cmp_tensor to_handle(Tensor t) {
    CMP_CHECK(t.defined(), INTERNAL_ERROR, "internal error: an op returned an undefined tensor");
    Ref<TensorImpl> ref = t.ref();
    return reinterpret_cast<cmp_tensor>(ref.leak());
}

Shape array_arg(const int64_t* values, int64_t count, const char* op, const char* arg) {
    CMP_CHECK(count >= 0, INVALID_ARGUMENT, op, ": length of '", arg, "' must be >= 0, got ", count);
    CMP_CHECK(count <= kMaxDims, INVALID_ARGUMENT, op, ": length of '", arg, "' is ", count,
              ", more than the maximum of ", kMaxDims, " dims");
    CMP_CHECK(values != nullptr || count == 0, INVALID_ARGUMENT, op, ": argument '", arg, "' is NULL but its length is ",
              count);
    return Shape(values, values + count);
}

DType dtype_arg(const cmp_dtype& d, const char* op, const char* arg) {
    static_assert(sizeof(cmp_dtype) == sizeof(int32_t), "cmp_dtype is passed as a C int");
    int32_t raw;
    std::memcpy(&raw, &d, sizeof raw);
    check_dtype(raw, op, arg);
    return static_cast<DType>(raw);
}

Device device_arg(cmp_device d, const char* op, const char* arg) {
    const Device device = Device::from_c(d, op, arg);
    check_device_supported(device, op, arg);
    return device;
}

void scalar_arg(const cmp_scalar& s, const char* op, const char* arg) {
    CMP_CHECK(s.kind == CMP_SCALAR_FLOAT || s.kind == CMP_SCALAR_INT || s.kind == CMP_SCALAR_BOOL, INVALID_ARGUMENT,
              op, ": argument '", arg, "' has invalid scalar kind ", s.kind, " (expected 0 = float, 1 = int, 2 = bool)");
}

Creation creation_args(const char* op, const int64_t* sizes, int64_t ndim, const cmp_dtype& dtype, cmp_device device) {
    Creation c{array_arg(sizes, ndim, op, "sizes"), dtype_arg(dtype, op, "dtype"), device_arg(device, op, "device")};
    int64_t n = checked_numel(c.sizes, op);
    CMP_CHECK(n <= std::numeric_limits<int64_t>::max() / element_size(c.dtype), INVALID_ARGUMENT, op, ": sizes ",
              c.sizes, " of dtype ", dtype_name(c.dtype), " overflow the byte count");
    require_available(c.device, op);
    return c;
}

}  // namespace cmp::abi
