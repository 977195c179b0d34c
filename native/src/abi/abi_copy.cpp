// Copies and conversions.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_contiguous(cmp_tensor tensor, cmp_tensor* out) {
    return unary("contiguous", tensor, out, [](const Tensor& t) { return ops::contiguous(t); });
}

CMP_API cmp_status cmp_clone(cmp_tensor tensor, cmp_tensor* out) {
    return unary("clone", tensor, out, [](const Tensor& t) { return ops::clone(t); });
}

CMP_API cmp_status cmp_to_dtype(cmp_tensor tensor, cmp_dtype dtype, cmp_tensor* out) {
    return unary("to_dtype", tensor, out,
                 [&](const Tensor& t) { return ops::to_dtype(t, dtype_arg(dtype, "to_dtype", "dtype")); });
}

CMP_API cmp_status cmp_to_device(cmp_tensor tensor, cmp_device device, cmp_tensor* out) {
    return unary("to_device", tensor, out, [&](const Tensor& t) {
        Device d = device_arg(device, "to_device", "device");
        require_available(d, "to_device");
        return ops::to_device(t, d);
    });
}

CMP_API cmp_status cmp_copy_(cmp_tensor dst, cmp_tensor src) {
    return guard("copy_", [&] {
        Tensor t = tensor_arg(dst, "copy_", "dst");
        ops::copy_(t, tensor_arg(src, "copy_", "src"));
        mark_written(t);
    });
}

CMP_API cmp_status cmp_fill_(cmp_tensor tensor, cmp_scalar value) {
    return guard("fill_", [&] {
        Tensor t = tensor_arg(tensor, "fill_", "tensor");
        scalar_arg(value, "fill_", "value");
        ops::fill_(t, value);
        mark_written(t);
    });
}

}  // extern "C"
