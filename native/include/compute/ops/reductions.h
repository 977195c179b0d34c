/*
 * compute/ops/reductions.h - part of the C ABI: Reductions and scans (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_REDUCTIONS_H
#define COMPUTE_OPS_REDUCTIONS_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/reductions.h"
#endif


/** Sum over dims after converting the input to dtype (x.sum(dim, keepdim, dtype=dtype)). Dtypes: all. */
CMP_API cmp_status cmp_sum_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/** Mean over dims after converting the input to dtype, which must be floating (x.mean(dim, keepdim, dtype=dtype)). */
CMP_API cmp_status cmp_mean_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/** Product over dims (all dims when ndims is 0); integer and bool inputs give int64, an empty product is 1. */
CMP_API cmp_status cmp_prod(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Product over dims after converting the input to dtype (x.prod(dim, keepdim, dtype=dtype)). */
CMP_API cmp_status cmp_prod_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/**
 * Largest value over dims (all dims when ndims is 0), NaN if any reduced element is NaN; a reduced dim must not be empty.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_amax(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/**
 * Smallest value over dims (all dims when ndims is 0), NaN if any reduced element is NaN; a reduced dim must not be empty.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_amin(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/**
 * Largest of all elements as a 0-dim tensor (torch.max(x)); NaN if any element is NaN; errors on an empty tensor.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_max(cmp_tensor a, cmp_tensor* out);

/**
 * Smallest of all elements as a 0-dim tensor (torch.min(x)); NaN if any element is NaN; errors on an empty tensor.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_min(cmp_tensor a, cmp_tensor* out);

/** Largest values along dim and their int64 indices (torch.max(x, dim)): the first NaN wins, ties give the first index. */
CMP_API cmp_status cmp_max_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices);

/** Smallest values along dim and their int64 indices (torch.min(x, dim)): the first NaN wins, ties give the first index. */
CMP_API cmp_status cmp_min_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices);

/**
 * Index of the largest value along dim, or in the flattened tensor when has_dim is 0 (torch.argmax); int64 result.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_argmax(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out);

/**
 * Index of the smallest value along dim, or in the flattened tensor when has_dim is 0 (torch.argmin); int64 result.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_argmin(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out);

/** Variance over dims with Bessel-style correction (divisor n - correction; 1 is PyTorch's default); floating inputs only. */
CMP_API cmp_status cmp_var(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out);

/** Standard deviation over dims: the square root of cmp_var. Dtypes: floating. */
CMP_API cmp_status cmp_std(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out);

/** Variance and mean over dims in one pass (torch.var_mean). Dtypes: floating. */
CMP_API cmp_status cmp_var_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out_var, cmp_tensor* out_mean);

/** Standard deviation and mean over dims in one pass (torch.std_mean). Dtypes: floating. */
CMP_API cmp_status cmp_std_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out_std, cmp_tensor* out_mean);

/**
 * Vector p-norm over dims (torch.linalg.vector_norm): ord 2, 1, INFINITY (max |x|), -INFINITY
 * (min |x|), 0 (count of non-zeros) or any other p ((sum |x|^p)^(1/p)). Floating inputs only.
 */
CMP_API cmp_status cmp_vector_norm(cmp_tensor a, double ord, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** log(sum(exp(x))) over dims, computed without overflow; integer and bool inputs give float32. */
CMP_API cmp_status cmp_logsumexp(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/**
 * Whether any element over dims is non-zero: bool (uint8 for uint8 inputs, like PyTorch); false when empty.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_any(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/**
 * Whether every element over dims is non-zero: bool (uint8 for uint8 inputs, like PyTorch); true when empty.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_all(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/**
 * Number of non-zero elements over dims (all dims when ndims is 0) as int64; NaN counts as non-zero.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_count_nonzero(cmp_tensor a, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/** Running sum along dim; integer and bool inputs give int64. */
CMP_API cmp_status cmp_cumsum(cmp_tensor a, int64_t dim, cmp_tensor* out);

/** Running sum along dim after converting the input to dtype. */
CMP_API cmp_status cmp_cumsum_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out);

/** Running product along dim; integer and bool inputs give int64. */
CMP_API cmp_status cmp_cumprod(cmp_tensor a, int64_t dim, cmp_tensor* out);

/** Running product along dim after converting the input to dtype. */
CMP_API cmp_status cmp_cumprod_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out);

/* end of section: reductions */

#endif /* COMPUTE_OPS_REDUCTIONS_H */
