// Views: results share storage with their input.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_view(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out) {
    return unary("view", tensor, out, [&](const Tensor& t) { return ops::view(t, array_arg(sizes, ndim, "view", "sizes")); });
}

CMP_API cmp_status cmp_reshape(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out) {
    return unary("reshape", tensor, out,
                 [&](const Tensor& t) { return ops::reshape(t, array_arg(sizes, ndim, "reshape", "sizes")); });
}

CMP_API cmp_status cmp_permute(cmp_tensor tensor, const int64_t* dims, int64_t ndim, cmp_tensor* out) {
    return unary("permute", tensor, out,
                 [&](const Tensor& t) { return ops::permute(t, array_arg(dims, ndim, "permute", "dims")); });
}

CMP_API cmp_status cmp_transpose(cmp_tensor tensor, int64_t dim0, int64_t dim1, cmp_tensor* out) {
    return unary("transpose", tensor, out, [&](const Tensor& t) { return ops::transpose(t, dim0, dim1); });
}

CMP_API cmp_status cmp_slice(cmp_tensor tensor, int64_t dim, int64_t start, int64_t end, int64_t step, cmp_tensor* out) {
    return unary("slice", tensor, out, [&](const Tensor& t) { return ops::slice(t, dim, start, end, step); });
}

CMP_API cmp_status cmp_select(cmp_tensor tensor, int64_t dim, int64_t index, cmp_tensor* out) {
    return unary("select", tensor, out, [&](const Tensor& t) { return ops::select(t, dim, index); });
}

CMP_API cmp_status cmp_narrow(cmp_tensor tensor, int64_t dim, int64_t start, int64_t length, cmp_tensor* out) {
    return unary("narrow", tensor, out, [&](const Tensor& t) { return ops::narrow(t, dim, start, length); });
}

CMP_API cmp_status cmp_expand(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out) {
    return unary("expand", tensor, out,
                 [&](const Tensor& t) { return ops::expand(t, array_arg(sizes, ndim, "expand", "sizes")); });
}

CMP_API cmp_status cmp_squeeze(cmp_tensor tensor, cmp_tensor* out) {
    return unary("squeeze", tensor, out, [&](const Tensor& t) { return ops::squeeze(t); });
}

CMP_API cmp_status cmp_squeeze_dim(cmp_tensor tensor, int64_t dim, cmp_tensor* out) {
    return unary("squeeze", tensor, out, [&](const Tensor& t) { return ops::squeeze_dim(t, dim); });
}

CMP_API cmp_status cmp_unsqueeze(cmp_tensor tensor, int64_t dim, cmp_tensor* out) {
    return unary("unsqueeze", tensor, out, [&](const Tensor& t) { return ops::unsqueeze(t, dim); });
}

CMP_API cmp_status cmp_as_strided(cmp_tensor tensor, const int64_t* sizes, const int64_t* strides, int64_t ndim,
                                  int64_t offset, cmp_tensor* out) {
    return unary("as_strided", tensor, out, [&](const Tensor& t) {
        return ops::as_strided(t, array_arg(sizes, ndim, "as_strided", "sizes"),
                               array_arg(strides, ndim, "as_strided", "strides"), offset);
    });
}

CMP_API cmp_status cmp_flatten(cmp_tensor tensor, int64_t start_dim, int64_t end_dim, cmp_tensor* out) {
    return unary("flatten", tensor, out, [&](const Tensor& t) { return ops::flatten(t, start_dim, end_dim); });
}

}  // extern "C"
