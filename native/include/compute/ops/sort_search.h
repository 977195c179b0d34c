/*
 * compute/ops/sort_search.h - part of the C ABI: Sorting, searching, unique, padding and repeat_interleave (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_SORT_SEARCH_H
#define COMPUTE_OPS_SORT_SEARCH_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/sort_search.h"
#endif


/** Padding modes of cmp_pad and cmp_pad_backward (torch.nn.functional.pad's mode). */
typedef enum cmp_pad_mode {
    /** Fill with a constant value; negative pads crop. */
    CMP_PAD_CONSTANT = 0,
    /** Mirror the input without repeating the edge element ('reflect'); pads must be below the dim size. */
    CMP_PAD_REFLECT = 1,
    /** Repeat the edge element ('replicate'). */
    CMP_PAD_REPLICATE = 2,
    /** Wrap around ('circular'); pads must not exceed the dim size. */
    CMP_PAD_CIRCULAR = 3
} cmp_pad_mode;

/**
 * Sorts along dim (torch.sort): values and int64 indices into the input. NaN sorts as larger
 * than every number (last ascending, first descending). With stable nonzero equal elements keep
 * their input order; without it the order of ties is still the input order (the sort is always stable).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_sort(cmp_tensor a, int64_t dim, int32_t descending, int32_t stable, cmp_tensor* out_values, cmp_tensor* out_indices);

/** The int64 indices that sort a along dim (torch.argsort), ordered as cmp_sort orders them. Dtypes: all. */
CMP_API cmp_status cmp_argsort(cmp_tensor a, int64_t dim, int32_t descending, int32_t stable, cmp_tensor* out);

/** Sorts along dim 0 (torch.msort): the values of cmp_sort(a, 0). Dtypes: all. */
CMP_API cmp_status cmp_msort(cmp_tensor a, cmp_tensor* out);

/**
 * The k largest (largest nonzero) or smallest elements along dim and their int64 indices
 * (torch.topk); NaN counts as the largest value. With sorted nonzero the results are in sorted
 * order (descending for largest); otherwise in an unspecified order. 0 <= k <= size of dim.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_topk(cmp_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, cmp_tensor* out_values, cmp_tensor* out_indices);

/**
 * Pads the last npad/2 dims (torch.nn.functional.pad): pad holds (left, right) pairs starting
 * with the last dim. mode is a cmp_pad_mode value. CONSTANT fills with value (converted to the
 * dtype) and accepts negative pads, which crop. REFLECT, REPLICATE and CIRCULAR pad the last 1,
 * 2 or 3 dims of a tensor with one or two more dims (batch, channel) than that.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_pad(cmp_tensor a, const int64_t* pad, int64_t npad, int32_t mode, double value, cmp_tensor* out);

/**
 * Gradient of cmp_pad with respect to its input: grad_output has the padded shape, input_sizes
 * is the unpadded input's shape. Each padded element's gradient is added to the input element it
 * was copied from (CONSTANT: a slice of grad_output, zero where the pad cropped).
 */
CMP_API cmp_status cmp_pad_backward(cmp_tensor grad_output, const int64_t* input_sizes, int64_t ndim, const int64_t* pad, int64_t npad, int32_t mode, cmp_tensor* out_grad_input);

/**
 * Repeats each element repeats times along dim (torch.repeat_interleave(a, repeats, dim)), or
 * along the flattened tensor when has_dim is 0. output_size, when not negative, must equal the
 * result's size along dim (PyTorch uses it to skip a sync; here it is checked).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_repeat_interleave(cmp_tensor a, int64_t repeats, int32_t has_dim, int64_t dim, int64_t output_size, cmp_tensor* out);

/**
 * Repeats element i along dim repeats[i] times: repeats is a 0-dim or 1-dim integer tensor with
 * one entry per element along dim (or one entry for all); has_dim 0 flattens a first.
 * output_size as in cmp_repeat_interleave.
 */
CMP_API cmp_status cmp_repeat_interleave_tensor(cmp_tensor a, cmp_tensor repeats, int32_t has_dim, int64_t dim, int64_t output_size, cmp_tensor* out);

/**
 * torch.repeat_interleave(repeats): index i repeated repeats[i] times, for a 1-D integer repeats; int64 result.
 * Dtypes: int64, int32.
 */
CMP_API cmp_status cmp_repeat_interleave_indices(cmp_tensor repeats, int64_t output_size, cmp_tensor* out);

/**
 * For each value, the index where it would be inserted into the innermost dim of sorted_sequence
 * to keep it sorted (torch.searchsorted): the first such index, or the last with right nonzero.
 * sorted_sequence is 1-D, or N-D with leading dims equal to values' leading dims. The result has
 * values' shape and is int64, or int32 with out_int32 nonzero. NaN sorts last.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_searchsorted(cmp_tensor sorted_sequence, cmp_tensor values, int32_t out_int32, int32_t right, cmp_tensor* out);

/**
 * cmp_searchsorted over sorted_sequence permuted by sorter (int64 indices that sort its innermost dim, as argsort gives).
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_searchsorted_sorter(cmp_tensor sorted_sequence, cmp_tensor values, int32_t out_int32, int32_t right, cmp_tensor sorter, cmp_tensor* out);

/** cmp_searchsorted of a single number (a 1-D sorted_sequence gives a 0-dim result). */
CMP_API cmp_status cmp_searchsorted_scalar(cmp_tensor sorted_sequence, cmp_scalar value, int32_t out_int32, int32_t right, cmp_tensor* out);

/**
 * The bucket of each element of input given 1-D sorted boundaries (torch.bucketize): the index i
 * with boundaries[i-1] < x <= boundaries[i], or boundaries[i-1] <= x < boundaries[i] with right nonzero.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_bucketize(cmp_tensor input, cmp_tensor boundaries, int32_t out_int32, int32_t right, cmp_tensor* out);

/**
 * The distinct elements of a (torch.unique), of the flattened tensor when has_dim is 0, else the
 * distinct slices along dim. The values come out sorted (sorted 0 is accepted and gives the same
 * order). out_inverse (int64, a's shape, or the size of dim) maps each element/slice to its
 * position in out_values; out_counts (int64) counts each value. When return_inverse /
 * return_counts is 0 the matching output is an empty tensor, as torch's _unique2 returns.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_unique(cmp_tensor a, int32_t sorted, int32_t return_inverse, int32_t return_counts, int32_t has_dim, int64_t dim, cmp_tensor* out_values, cmp_tensor* out_inverse, cmp_tensor* out_counts);

/**
 * Collapses runs of equal consecutive elements (or slices along dim when has_dim is nonzero)
 * into one (torch.unique_consecutive); out_inverse and out_counts as in cmp_unique.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_unique_consecutive(cmp_tensor a, int32_t return_inverse, int32_t return_counts, int32_t has_dim, int64_t dim, cmp_tensor* out_values, cmp_tensor* out_inverse, cmp_tensor* out_counts);

/* end of section: sort_search */

#endif /* COMPUTE_OPS_SORT_SEARCH_H */
