/*
 * compute/ops/factories.h - part of the C ABI: Factories and random distributions (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_FACTORIES_H
#define COMPUTE_OPS_FACTORIES_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/factories.h"
#endif


/**
 * An uninitialised tensor shaped like tensor (torch.empty_like). A tensor whose strides are
 * dense (a permuted contiguous tensor) gives the same strides, as PyTorch's preserve format;
 * others give a contiguous result. dtype / device NULL keep the input's.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_empty_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/**
 * Zeros shaped like tensor (torch.zeros_like); layout, dtype and device as in cmp_empty_like.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_zeros_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Ones shaped like tensor (torch.ones_like); layout, dtype and device as in cmp_empty_like. Dtypes: all. */
CMP_API cmp_status cmp_ones_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/**
 * value everywhere, shaped like tensor (torch.full_like); layout, dtype and device as in cmp_empty_like.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_full_like(cmp_tensor tensor, cmp_scalar value, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Uniform numbers in [0, 1) shaped like tensor (torch.rand_like); the dtype must be floating. */
CMP_API cmp_status cmp_rand_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Standard normal numbers shaped like tensor (torch.randn_like); the dtype must be floating. */
CMP_API cmp_status cmp_randn_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/**
 * steps values evenly spaced from start to end inclusive (torch.linspace). The first half is
 * computed from start and the second from end, as PyTorch does, so both endpoints are exact.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_linspace(cmp_scalar start, cmp_scalar end, int64_t steps, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** base raised to steps exponents evenly spaced from start to end (torch.logspace). Dtypes: all but bool. */
CMP_API cmp_status cmp_logspace(cmp_scalar start, cmp_scalar end, int64_t steps, double base, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** An n x m matrix with ones on the diagonal and zeros elsewhere (torch.eye(n, m)). Dtypes: all. */
CMP_API cmp_status cmp_eye(int64_t n, int64_t m, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * A random permutation of 0..n-1 (torch.randperm) from the default Philox generator.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_randperm(int64_t n, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * Normal numbers with per-element mean and std (torch.normal(mean, std)): the two broadcast,
 * the result has mean's dtype (floating) and every std must be >= 0.
 */
CMP_API cmp_status cmp_normal(cmp_tensor mean, cmp_tensor std, cmp_tensor* out);

/** Normal numbers with scalar mean and std >= 0 (torch.normal(mean, std, size)); dtype floating. */
CMP_API cmp_status cmp_normal_scalar(double mean, double std, const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Fills tensor in place with normal numbers of the given mean and std >= 0 (Tensor.normal_). */
CMP_API cmp_status cmp_normal_(cmp_tensor tensor, double mean, double std);

/**
 * Fills tensor in place with uniform numbers in [from, to), from <= to (Tensor.uniform_); rounding to a narrow dtype may reach to, as in PyTorch.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_uniform_(cmp_tensor tensor, double from, double to);

/**
 * 1 with probability p[i] and 0 otherwise, element by element (torch.bernoulli(p)); p is
 * floating with values in [0, 1], and the result has its shape and dtype.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_bernoulli(cmp_tensor p, cmp_tensor* out);

/** 1 with probability p in [0, 1], shaped and typed like tensor (torch.bernoulli(tensor, p)). */
CMP_API cmp_status cmp_bernoulli_scalar(cmp_tensor tensor, double p, cmp_tensor* out);

/**
 * num_samples category indices (int64) per row of the 1-D or 2-D floating tensor probs, drawn
 * with probabilities proportional to its non-negative weights (torch.multinomial). Without
 * replacement (replacement 0) an index appears at most once per row.
 */
CMP_API cmp_status cmp_multinomial(cmp_tensor probs, int64_t num_samples, int32_t replacement, cmp_tensor* out);

/**
 * The 2 x N (row, column) indices of the lower triangle of a row x col matrix, row by row (torch.tril_indices).
 * Dtypes: integer.
 */
CMP_API cmp_status cmp_tril_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * The 2 x N (row, column) indices of the upper triangle of a row x col matrix, row by row (torch.triu_indices).
 * Dtypes: integer.
 */
CMP_API cmp_status cmp_triu_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/* end of section: factories */

#endif /* COMPUTE_OPS_FACTORIES_H */
