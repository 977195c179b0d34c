// Reductions and scans of issue 3 (see ops/reductions.h).
#include "abi_util.h"
#include "ops/reductions.h"

#include <utility>

using namespace cmp;
using namespace cmp::abi;

namespace {

using DimsFn = Tensor (*)(const Tensor&, const Shape&, bool);
using DimsDtypeFn = Tensor (*)(const Tensor&, const Shape&, bool, DType);
using PairFn = std::pair<Tensor, Tensor> (*)(const Tensor&, const Shape&, double, bool);

cmp_status over_dims(const char* op, cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out,
                     DimsFn fn) {
    return unary(op, a, out, [&](const Tensor& t) { return fn(t, array_arg(dims, ndims, op, "dims"), keepdim != 0); });
}

cmp_status over_dims_dtype(const char* op, cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim,
                           const cmp_dtype& dtype, cmp_tensor* out, DimsDtypeFn fn) {
    return unary(op, a, out, [&](const Tensor& t) {
        return fn(t, array_arg(dims, ndims, op, "dims"), keepdim != 0, dtype_arg(dtype, op, "dtype"));
    });
}

// Ops with two results: both out handles are cleared first and set only on success.
template <typename Fn>
cmp_status two_outputs(const char* op, cmp_tensor a, cmp_tensor* out0, const char* name0, cmp_tensor* out1,
                       const char* name1, Fn&& fn) {
    return guard(op, [&] {
        cmp_tensor& o0 = out_arg(out0, op, name0);
        o0 = nullptr;
        cmp_tensor& o1 = out_arg(out1, op, name1);
        o1 = nullptr;
        std::pair<Tensor, Tensor> r = fn(tensor_arg(a, op, "a"));
        o0 = to_handle(std::move(r.first));
        o1 = to_handle(std::move(r.second));
    });
}

cmp_status moments_pair(const char* op, cmp_tensor a, const int64_t* dims, int64_t ndims, double correction,
                        int32_t keepdim, cmp_tensor* out0, const char* name0, cmp_tensor* out_mean, PairFn fn) {
    return two_outputs(op, a, out0, name0, out_mean, "out_mean", [&](const Tensor& t) {
        return fn(t, array_arg(dims, ndims, op, "dims"), correction, keepdim != 0);
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_sum_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype,
                                 cmp_tensor* out) {
    return over_dims_dtype("sum", a, dims, ndims, keepdim, dtype, out, &ops::sum_dtype);
}

CMP_API cmp_status cmp_mean_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype,
                                  cmp_tensor* out) {
    return over_dims_dtype("mean", a, dims, ndims, keepdim, dtype, out, &ops::mean_dtype);
}

CMP_API cmp_status cmp_prod(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("prod", a, dims, ndims, keepdim, out, &ops::prod);
}

CMP_API cmp_status cmp_prod_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype,
                                  cmp_tensor* out) {
    return over_dims_dtype("prod", a, dims, ndims, keepdim, dtype, out, &ops::prod_dtype);
}

CMP_API cmp_status cmp_amax(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("amax", a, dims, ndims, keepdim, out, &ops::amax);
}

CMP_API cmp_status cmp_amin(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("amin", a, dims, ndims, keepdim, out, &ops::amin);
}

CMP_API cmp_status cmp_max(cmp_tensor a, cmp_tensor* out) { return unary("max", a, out, &ops::max_all); }

CMP_API cmp_status cmp_min(cmp_tensor a, cmp_tensor* out) { return unary("min", a, out, &ops::min_all); }

CMP_API cmp_status cmp_max_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices) {
    return two_outputs("max", a, out_values, "out_values", out_indices, "out_indices",
                       [&](const Tensor& t) { return ops::max_dim(t, dim, keepdim != 0); });
}

CMP_API cmp_status cmp_min_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices) {
    return two_outputs("min", a, out_values, "out_values", out_indices, "out_indices",
                       [&](const Tensor& t) { return ops::min_dim(t, dim, keepdim != 0); });
}

CMP_API cmp_status cmp_argmax(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out) {
    return unary("argmax", a, out, [&](const Tensor& t) { return ops::argmax(t, has_dim != 0, dim, keepdim != 0); });
}

CMP_API cmp_status cmp_argmin(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out) {
    return unary("argmin", a, out, [&](const Tensor& t) { return ops::argmin(t, has_dim != 0, dim, keepdim != 0); });
}

CMP_API cmp_status cmp_var(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim,
                           cmp_tensor* out) {
    return unary("var", a, out, [&](const Tensor& t) {
        return ops::var(t, array_arg(dims, ndims, "var", "dims"), correction, keepdim != 0);
    });
}

CMP_API cmp_status cmp_std(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim,
                           cmp_tensor* out) {
    return unary("std", a, out, [&](const Tensor& t) {
        return ops::std_dev(t, array_arg(dims, ndims, "std", "dims"), correction, keepdim != 0);
    });
}

CMP_API cmp_status cmp_var_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim,
                                cmp_tensor* out_var, cmp_tensor* out_mean) {
    return moments_pair("var_mean", a, dims, ndims, correction, keepdim, out_var, "out_var", out_mean, &ops::var_mean);
}

CMP_API cmp_status cmp_std_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim,
                                cmp_tensor* out_std, cmp_tensor* out_mean) {
    return moments_pair("std_mean", a, dims, ndims, correction, keepdim, out_std, "out_std", out_mean, &ops::std_mean);
}

CMP_API cmp_status cmp_vector_norm(cmp_tensor a, double ord, const int64_t* dims, int64_t ndims, int32_t keepdim,
                                   cmp_tensor* out) {
    return unary("vector_norm", a, out, [&](const Tensor& t) {
        return ops::vector_norm(t, ord, array_arg(dims, ndims, "vector_norm", "dims"), keepdim != 0);
    });
}

CMP_API cmp_status cmp_logsumexp(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("logsumexp", a, dims, ndims, keepdim, out, &ops::logsumexp);
}

CMP_API cmp_status cmp_any(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("any", a, dims, ndims, keepdim, out, &ops::any);
}

CMP_API cmp_status cmp_all(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out) {
    return over_dims("all", a, dims, ndims, keepdim, out, &ops::all);
}

CMP_API cmp_status cmp_count_nonzero(cmp_tensor a, const int64_t* dims, int64_t ndims, cmp_tensor* out) {
    return unary("count_nonzero", a, out, [&](const Tensor& t) {
        return ops::count_nonzero(t, array_arg(dims, ndims, "count_nonzero", "dims"));
    });
}

CMP_API cmp_status cmp_cumsum(cmp_tensor a, int64_t dim, cmp_tensor* out) {
    return unary("cumsum", a, out, [&](const Tensor& t) { return ops::cumsum(t, dim); });
}

CMP_API cmp_status cmp_cumsum_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out) {
    return unary("cumsum", a, out, [&](const Tensor& t) { return ops::cumsum_dtype(t, dim, dtype_arg(dtype, "cumsum", "dtype")); });
}

CMP_API cmp_status cmp_cumprod(cmp_tensor a, int64_t dim, cmp_tensor* out) {
    return unary("cumprod", a, out, [&](const Tensor& t) { return ops::cumprod(t, dim); });
}

CMP_API cmp_status cmp_cumprod_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out) {
    return unary("cumprod", a, out, [&](const Tensor& t) { return ops::cumprod_dtype(t, dim, dtype_arg(dtype, "cumprod", "dtype")); });
}

}  // extern "C"
