// Tensor creation: factories, copies of host buffers, wrapped external memory.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

namespace {

cmp_status filled(const char* op, const int64_t* sizes, int64_t ndim, const cmp_scalar& value, const cmp_dtype& dtype,
                  cmp_device device, cmp_tensor* out) {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        scalar_arg(value, op, "value");
        Creation c = creation_args(op, sizes, ndim, dtype, device);
        o = to_handle(ops::full(c.sizes, value, c.dtype, c.device));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_empty(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return guard("empty", [&] {
        cmp_tensor& o = out_tensor(out, "empty");
        Creation c = creation_args("empty", sizes, ndim, dtype, device);
        o = to_handle(ops::empty(c.sizes, c.dtype, c.device));
    });
}

CMP_API cmp_status cmp_zeros(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return filled("zeros", sizes, ndim, ops::scalar_int(0), dtype, device, out);
}

CMP_API cmp_status cmp_ones(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return filled("ones", sizes, ndim, ops::scalar_int(1), dtype, device, out);
}

CMP_API cmp_status cmp_full(const int64_t* sizes, int64_t ndim, cmp_scalar value, cmp_dtype dtype, cmp_device device,
                            cmp_tensor* out) {
    return filled("full", sizes, ndim, value, dtype, device, out);
}

CMP_API cmp_status cmp_scalar_tensor(cmp_scalar value, cmp_device device, cmp_tensor* out) {
    return guard("scalar_tensor", [&] {
        cmp_tensor& o = out_tensor(out, "scalar_tensor");
        scalar_arg(value, "scalar_tensor", "value");
        Device d = device_arg(device, "scalar_tensor", "device");
        require_available(d, "scalar_tensor");
        o = to_handle(ops::scalar_tensor(value, d));
    });
}

CMP_API cmp_status cmp_arange(cmp_scalar start, cmp_scalar end, cmp_scalar step, cmp_dtype dtype, cmp_device device,
                              cmp_tensor* out) {
    return guard("arange", [&] {
        cmp_tensor& o = out_tensor(out, "arange");
        scalar_arg(start, "arange", "start");
        scalar_arg(end, "arange", "end");
        scalar_arg(step, "arange", "step");
        DType dt = dtype_arg(dtype, "arange", "dtype");
        Device d = device_arg(device, "arange", "device");
        require_available(d, "arange");
        o = to_handle(ops::arange(start, end, step, dt, d));
    });
}

CMP_API cmp_status cmp_from_buffer(const void* data, int64_t nbytes, const int64_t* sizes, int64_t ndim,
                                   cmp_dtype dtype, cmp_tensor* out) {
    return guard("from_buffer", [&] {
        cmp_tensor& o = out_tensor(out, "from_buffer");
        Creation c = creation_args("from_buffer", sizes, ndim, dtype, cmp_device{CMP_DEVICE_CPU, 0});
        CMP_CHECK(data != nullptr || nbytes == 0, INVALID_ARGUMENT, "from_buffer: argument 'data' is NULL but nbytes is ",
                  nbytes);
        o = to_handle(ops::from_buffer(data, nbytes, c.sizes, c.dtype));
    });
}

CMP_API cmp_status cmp_from_external(void* data, const int64_t* sizes, const int64_t* strides, int64_t ndim,
                                     cmp_dtype dtype, cmp_device device, cmp_deleter deleter, void* context,
                                     cmp_tensor* out) {
    return guard("from_external", [&] {
        cmp_tensor& o = out_tensor(out, "from_external");
        Creation c = creation_args("from_external", sizes, ndim, dtype, device);
        Shape st;
        if (strides) st = array_arg(strides, ndim, "from_external", "strides");
        o = to_handle(ops::from_external(data, c.sizes, strides ? &st : nullptr, c.dtype, c.device, deleter, context));
    });
}

}  // extern "C"
