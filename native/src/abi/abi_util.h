// Shared machinery of the extern "C" layer: one guard that turns every C++ exception into a
// cmp_status plus a thread-local message, and argument converters that validate what a C
// caller can get wrong (NULL or released handles, bad enum values, NULL arrays, ndim).
#pragma once

#include "core/device.h"
#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor.h"

#include <compute/compute.h>

#include <exception>
#include <new>
#include <string>

namespace cmp::abi {

// Upper bound on ndim accepted from C: catches garbage counts before they size a vector.
constexpr int64_t kMaxDims = 64;

void set_last_error(std::string message);
const char* last_error();

// Runs body and maps what it throws to a status. `op` names the ABI function in messages for
// exceptions that carry none (bad_alloc, foreign exceptions).
template <typename Body>
cmp_status guard(const char* op, Body&& body) noexcept {
    try {
        body();
        return CMP_STATUS_OK;
    } catch (const Error& e) {
        set_last_error(e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        set_last_error(str(op, ": out of memory"));
        return CMP_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(str(op, ": internal error: ", e.what()));
        return CMP_STATUS_INTERNAL_ERROR;
    } catch (...) {
        set_last_error(str(op, ": internal error: unknown exception"));
        return CMP_STATUS_INTERNAL_ERROR;
    }
}

// Throws DEVICE_ERROR naming op and arg when device is a CUDA device and op has no CUDA
// support yet (abi_cuda_ops.cpp). tensor_arg and device_arg call it.
void check_device_supported(Device device, const char* op, const char* arg);

// A borrowed tensor handle as a Tensor (which holds its own reference for the call); refuses a
// CUDA tensor for an op without CUDA support.
Tensor tensor_arg(cmp_tensor handle, const char* op, const char* arg);
// The TensorImpl behind a handle without taking a reference (retain/release).
TensorImpl* impl_arg(cmp_tensor handle, const char* op, const char* arg);
// Hands a new reference to the C caller.
cmp_tensor to_handle(Tensor t);

// An int64 array of count values; NULL is accepted only when count is 0.
Shape array_arg(const int64_t* values, int64_t count, const char* op, const char* arg);
// Takes the enum by reference and reads its bytes: a C caller may pass any int, and loading
// an out-of-range value as a C++ enum would itself be undefined behaviour.
DType dtype_arg(const cmp_dtype& d, const char* op, const char* arg);
Device device_arg(cmp_device d, const char* op, const char* arg);
void scalar_arg(const cmp_scalar& s, const char* op, const char* arg);

// Throws INVALID_ARGUMENT when an out-parameter pointer is NULL.
template <typename T>
T& out_arg(T* out, const char* op, const char* arg = "out") {
    CMP_CHECK(out != nullptr, INVALID_ARGUMENT, op, ": argument '", arg, "' is NULL");
    return *out;
}

// The out handle pointer, set to NULL first so a failing call never leaves garbage in it.
inline cmp_tensor& out_tensor(cmp_tensor* out, const char* op) {
    cmp_tensor& o = out_arg(out, op);
    o = nullptr;
    return o;
}

// Validated inputs of a factory: sizes (checked for negatives and overflow), dtype, and a
// device that is available.
struct Creation {
    Shape sizes;
    DType dtype;
    Device device;
};
Creation creation_args(const char* op, const int64_t* sizes, int64_t ndim, const cmp_dtype& dtype, cmp_device device);

}  // namespace cmp::abi

namespace cmp::abi {

// The common shape of most ABI functions: one input tensor, one new tensor out.
template <typename Fn>
cmp_status unary(const char* op, cmp_tensor tensor, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        Tensor t = tensor_arg(tensor, op, "tensor");
        o = to_handle(fn(t));
    });
}

// Two input tensors (a, b), one new tensor out.
template <typename Fn>
cmp_status binary(const char* op, cmp_tensor a, cmp_tensor b, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        Tensor ta = tensor_arg(a, op, "a");
        Tensor tb = tensor_arg(b, op, "b");
        o = to_handle(fn(ta, tb));
    });
}

// Every ABI function that writes into an existing tensor calls this once the write succeeded:
// it bumps the version counter of the tensor's storage (shared with its views), so autograd
// can tell that a tensor it saved for backward was changed (cmp_tensor_version).
inline const Tensor& mark_written(const Tensor& t) {
    t.storage()->bump_version();
    return t;
}

// Two input tensors, result written into the first.
template <typename Fn>
cmp_status binary_inplace(const char* op, cmp_tensor a, cmp_tensor b, Fn&& fn) noexcept {
    return guard(op, [&] {
        Tensor ta = tensor_arg(a, op, "a");
        Tensor tb = tensor_arg(b, op, "b");
        fn(ta, tb);
        mark_written(ta);
    });
}

// Two input tensors and one number argument called s_name (add/sub's alpha, lerp's weight,
// masked_fill's value): the number is checked, then fn runs; the _inplace form writes into a.
// One pair of helpers for every such op, so each ABI function is a single call.
inline cmp_status binary_scalar(const char* op, cmp_tensor a, cmp_tensor b, const cmp_scalar& s, const char* s_name,
                                cmp_tensor* out, Tensor (*fn)(const Tensor&, const Tensor&, cmp_scalar)) noexcept {
    return binary(op, a, b, out, [&](const Tensor& x, const Tensor& y) {
        scalar_arg(s, op, s_name);
        return fn(x, y, s);
    });
}

inline cmp_status binary_scalar_inplace(const char* op, cmp_tensor a, cmp_tensor b, const cmp_scalar& s,
                                        const char* s_name, void (*fn)(const Tensor&, const Tensor&, cmp_scalar)) noexcept {
    return binary_inplace(op, a, b, [&](const Tensor& x, const Tensor& y) {
        scalar_arg(s, op, s_name);
        fn(x, y, s);
    });
}

}  // namespace cmp::abi
