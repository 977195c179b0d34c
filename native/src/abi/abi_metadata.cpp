// Tensor metadata and element access.
#include "abi_util.h"
#include "ops/ops.h"

#include <cstring>

using namespace cmp;
using namespace cmp::abi;

namespace {

// Shared body of the getters: validate the handle and the out pointer, then read one field.
template <typename T, typename Get>
cmp_status getter(const char* op, cmp_tensor tensor, T* out, Get&& get) {
    return guard(op, [&] {
        T& o = out_arg(out, op);
        o = get(tensor_arg(tensor, op, "tensor"));
    });
}

cmp_status copy_dims(const char* op, cmp_tensor tensor, int64_t* out, int64_t capacity, bool strides) {
    return guard(op, [&] {
        Tensor t = tensor_arg(tensor, op, "tensor");
        const Shape& v = strides ? t.strides() : t.sizes();
        const int64_t n = static_cast<int64_t>(v.size());
        CMP_CHECK(capacity >= n, INVALID_ARGUMENT, op, ": capacity ", capacity, " is smaller than ndim ", n,
                  " of a tensor of shape ", t.sizes());
        CMP_CHECK(out != nullptr || n == 0, INVALID_ARGUMENT, op, ": argument 'out' is NULL");
        if (n) std::memcpy(out, v.data(), static_cast<size_t>(n) * sizeof(int64_t));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_tensor_ndim(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_ndim", tensor, out, [](const Tensor& t) { return t.dim(); });
}

CMP_API cmp_status cmp_tensor_sizes(cmp_tensor tensor, int64_t* out, int64_t capacity) {
    return copy_dims("tensor_sizes", tensor, out, capacity, false);
}

CMP_API cmp_status cmp_tensor_strides(cmp_tensor tensor, int64_t* out, int64_t capacity) {
    return copy_dims("tensor_strides", tensor, out, capacity, true);
}

CMP_API cmp_status cmp_tensor_offset(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_offset", tensor, out, [](const Tensor& t) { return t.offset(); });
}

CMP_API cmp_status cmp_tensor_dtype(cmp_tensor tensor, cmp_dtype* out) {
    return getter("tensor_dtype", tensor, out, [](const Tensor& t) { return t.dtype(); });
}

CMP_API cmp_status cmp_tensor_device(cmp_tensor tensor, cmp_device* out) {
    return getter("tensor_device", tensor, out, [](const Tensor& t) { return t.device().to_c(); });
}

CMP_API cmp_status cmp_tensor_numel(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_numel", tensor, out, [](const Tensor& t) { return t.numel(); });
}

CMP_API cmp_status cmp_tensor_element_size(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_element_size", tensor, out, [](const Tensor& t) { return t.element_size(); });
}

CMP_API cmp_status cmp_tensor_is_contiguous(cmp_tensor tensor, int32_t* out) {
    return getter("tensor_is_contiguous", tensor, out,
                  [](const Tensor& t) { return static_cast<int32_t>(t.is_contiguous() ? 1 : 0); });
}

CMP_API cmp_status cmp_tensor_storage_nbytes(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_storage_nbytes", tensor, out, [](const Tensor& t) { return t.storage()->nbytes(); });
}

CMP_API cmp_status cmp_tensor_storage_use_count(cmp_tensor tensor, int64_t* out) {
    return getter("tensor_storage_use_count", tensor, out, [](const Tensor& t) { return t.storage()->use_count(); });
}

CMP_API cmp_status cmp_tensor_version(cmp_tensor tensor, uint64_t* out) {
    return getter("tensor_version", tensor, out, [](const Tensor& t) { return t.storage()->version(); });
}

CMP_API cmp_status cmp_tensor_data_ptr(cmp_tensor tensor, void** out) {
    return getter("tensor_data_ptr", tensor, out, [](const Tensor& t) { return t.data_ptr(); });
}

CMP_API cmp_status cmp_tensor_copy_to_buffer(cmp_tensor tensor, void* dst, int64_t nbytes) {
    return guard("tensor_copy_to_buffer", [&] {
        Tensor t = tensor_arg(tensor, "tensor_copy_to_buffer", "tensor");
        CMP_CHECK(nbytes == t.nbytes(), SHAPE_MISMATCH, "tensor_copy_to_buffer: nbytes is ", nbytes,
                  " but a tensor of shape ", t.sizes(), " and dtype ", dtype_name(t.dtype()), " holds ", t.nbytes(),
                  " bytes");
        CMP_CHECK(dst != nullptr || nbytes == 0, INVALID_ARGUMENT, "tensor_copy_to_buffer: argument 'dst' is NULL");
        if (nbytes == 0) return;
        // The destination is viewed as a contiguous tensor so the copy engine handles any
        // source layout (and, later, device-to-host transfers) in one pass.
        Tensor d = ops::from_external(dst, t.sizes(), nullptr, t.dtype(), Device::cpu(), nullptr, nullptr);
        ops::copy_(d, t);
    });
}

CMP_API cmp_status cmp_tensor_item(cmp_tensor tensor, const int64_t* indices, int64_t count, cmp_scalar* out) {
    return guard("item", [&] {
        cmp_scalar& o = out_arg(out, "item");
        Tensor t = tensor_arg(tensor, "item", "tensor");
        Shape idx = array_arg(indices, count, "item", "indices");
        o = ops::item(t, idx);
    });
}

}  // extern "C"
