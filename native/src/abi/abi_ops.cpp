// Pointwise ops, reductions and linear algebra.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

namespace {

cmp_status reduction(const char* op, cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out,
                     Tensor (*fn)(const Tensor&, const Shape&, bool)) {
    return unary(op, a, out, [&](const Tensor& t) { return fn(t, array_arg(dims, ndims, op, "dims"), keepdim != 0); });
}

cmp_status compare(const char* op, ops::CompareOp kind, cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary(op, a, b, out, [&](const Tensor& x, const Tensor& y) { return ops::compare(kind, x, y); });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_add(cmp_tensor a, cmp_tensor b, cmp_scalar alpha, cmp_tensor* out) {
    return binary_scalar("add", a, b, alpha, "alpha", out, ops::add);
}

CMP_API cmp_status cmp_add_(cmp_tensor a, cmp_tensor b, cmp_scalar alpha) {
    return binary_scalar_inplace("add_", a, b, alpha, "alpha", ops::add_);
}

CMP_API cmp_status cmp_sub(cmp_tensor a, cmp_tensor b, cmp_scalar alpha, cmp_tensor* out) {
    return binary_scalar("sub", a, b, alpha, "alpha", out, ops::sub);
}

CMP_API cmp_status cmp_sub_(cmp_tensor a, cmp_tensor b, cmp_scalar alpha) {
    return binary_scalar_inplace("sub_", a, b, alpha, "alpha", ops::sub_);
}

CMP_API cmp_status cmp_mul(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("mul", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::mul(x, y); });
}

CMP_API cmp_status cmp_mul_(cmp_tensor a, cmp_tensor b) {
    return binary_inplace("mul_", a, b, [](const Tensor& x, const Tensor& y) { ops::mul_(x, y); });
}

CMP_API cmp_status cmp_div(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("div", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::div(x, y); });
}

CMP_API cmp_status cmp_div_(cmp_tensor a, cmp_tensor b) {
    return binary_inplace("div_", a, b, [](const Tensor& x, const Tensor& y) { ops::div_(x, y); });
}

CMP_API cmp_status cmp_neg(cmp_tensor a, cmp_tensor* out) {
    return unary("neg", a, out, [](const Tensor& t) { return ops::neg(t); });
}

CMP_API cmp_status cmp_exp(cmp_tensor a, cmp_tensor* out) {
    return unary("exp", a, out, [](const Tensor& t) { return ops::exp(t); });
}

CMP_API cmp_status cmp_eq(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("eq", ops::CompareOp::Eq, a, b, out); }
CMP_API cmp_status cmp_ne(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("ne", ops::CompareOp::Ne, a, b, out); }
CMP_API cmp_status cmp_lt(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("lt", ops::CompareOp::Lt, a, b, out); }
CMP_API cmp_status cmp_le(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("le", ops::CompareOp::Le, a, b, out); }
CMP_API cmp_status cmp_gt(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("gt", ops::CompareOp::Gt, a, b, out); }
CMP_API cmp_status cmp_ge(cmp_tensor a, cmp_tensor b, cmp_tensor* out) { return compare("ge", ops::CompareOp::Ge, a, b, out); }

CMP_API cmp_status cmp_sum(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return reduction("sum", a, dims, ndims, keepdim, out, &ops::sum);
}

CMP_API cmp_status cmp_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return reduction("mean", a, dims, ndims, keepdim, out, &ops::mean);
}

CMP_API cmp_status cmp_matmul(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("matmul", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::matmul(x, y); });
}

}  // extern "C"
