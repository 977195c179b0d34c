/*
 * compute/ops/shape_index.h - part of the C ABI: Shape, joining and indexing ops (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_SHAPE_INDEX_H
#define COMPUTE_OPS_SHAPE_INDEX_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/shape_index.h"
#endif


/**
 * Concatenates count tensors along dim (torch.cat). The result dtype promotes over all inputs;
 * 1-D empty tensors (shape [0]) are skipped as PyTorch does; the other shapes must match
 * except along dim.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_cat(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out);

/** Stacks count tensors of one shape along a new dim (torch.stack); dtypes promote as in cmp_cat. */
CMP_API cmp_status cmp_stack(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out);

/**
 * Splits into views of split_size elements along dim (the last may be smaller; torch.split).
 * Writes up to capacity new handles into outs and the number of pieces into out_count; with
 * outs NULL only the count is computed. capacity below the count is an error.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_split(cmp_tensor tensor, int64_t split_size, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/**
 * Splits into views of the given sizes along dim (they must sum to its size); outs as in cmp_split.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_split_with_sizes(cmp_tensor tensor, const int64_t* sizes, int64_t nsizes, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/**
 * Splits into at most chunks views along dim, each ceil(size/chunks) long (torch.chunk); outs as in cmp_split.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_chunk(cmp_tensor tensor, int64_t chunks, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** The views at each index along dim, the dim removed (torch.unbind); outs as in cmp_split. Dtypes: all. */
CMP_API cmp_status cmp_unbind(cmp_tensor tensor, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** A copy with the order of elements reversed along each of dims. Dtypes: all. */
CMP_API cmp_status cmp_flip(cmp_tensor tensor, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/**
 * A copy with elements shifted circularly by shifts[i] along dims[i]; with ndims 0 the tensor
 * is flattened, rolled by the single shift and restored to its shape (torch.roll).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_roll(cmp_tensor tensor, const int64_t* shifts, int64_t nshifts, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/**
 * The tensor repeated repeats[i] times along each dim (torch.Tensor.repeat); nrepeats >= ndim.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_repeat(cmp_tensor tensor, const int64_t* repeats, int64_t nrepeats, cmp_tensor* out);

/** Like cmp_repeat, but reps shorter than ndim are padded with leading 1s (torch.tile). Dtypes: all. */
CMP_API cmp_status cmp_tile(cmp_tensor tensor, const int64_t* reps, int64_t nreps, cmp_tensor* out);

/**
 * A copy keeping the elements on and below the diagonal-th diagonal of the last two dims (torch.tril).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_tril(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/**
 * A copy keeping the elements on and above the diagonal-th diagonal of the last two dims (torch.triu).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_triu(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/**
 * A view of the offset-th diagonal of dims dim1 and dim2, appended as the last dim (torch.diagonal).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_diagonal(cmp_tensor tensor, int64_t offset, int64_t dim1, int64_t dim2, cmp_tensor* out);

/**
 * torch.diag: a 1-D input gives a square matrix with it on the diagonal-th diagonal; a 2-D
 * input gives a copy of its diagonal-th diagonal.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_diag(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/** How scatter ops combine a value with the element already there (cmp_scatter*). */
typedef enum cmp_scatter_op {
    /** Overwrite (plain scatter). */
    CMP_SCATTER_OP_NONE = 0,
    /** Add ('add' of scatter, 'sum' of scatter_reduce). */
    CMP_SCATTER_OP_SUM = 1,
    /** Multiply ('multiply' of scatter, 'prod' of scatter_reduce). */
    CMP_SCATTER_OP_PROD = 2,
    /** Mean of the values (and the original element when include_self); scatter_reduce only. */
    CMP_SCATTER_OP_MEAN = 3,
    /** Maximum, NaN propagating; scatter_reduce only. */
    CMP_SCATTER_OP_AMAX = 4,
    /** Minimum, NaN propagating; scatter_reduce only. */
    CMP_SCATTER_OP_AMIN = 5
} cmp_scatter_op;

/**
 * out[i][j][k] = tensor[i][index[i][j][k]][k] for dim 1 (torch.gather). index is int64 with
 * the tensor's number of dims and no larger than it except along dim; out has index's shape.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_gather(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out);

/**
 * A copy of tensor with src[i][j][k] written to [i][index[i][j][k]][k] for dim 1 (torch.scatter);
 * reduce is CMP_SCATTER_OP_NONE, _SUM ('add') or _PROD ('multiply'). src has tensor's dtype.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_scatter(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, cmp_tensor* out);

/** Like cmp_scatter with every src element equal to value. */
CMP_API cmp_status cmp_scatter_value(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_scalar value, int32_t reduce, cmp_tensor* out);

/**
 * A copy of tensor with src added at the positions index gives along dim (torch.scatter_add; gather's backward).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_scatter_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, cmp_tensor* out);

/** cmp_scatter_add in place. */
CMP_API cmp_status cmp_scatter_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src);

/**
 * torch.scatter_reduce: reduce is any cmp_scatter_op but NONE; include_self (0/1) says
 * whether the original elements take part. Integer means round down, as in PyTorch.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_scatter_reduce(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, int32_t include_self, cmp_tensor* out);

/** The entries of tensor at the 1-D int64/int32 index along dim (torch.index_select). Dtypes: all. */
CMP_API cmp_status cmp_index_select(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out);

/**
 * A copy of tensor with alpha * source[..., i, ...] added at [..., index[i], ...] along dim
 * (torch.index_add; index_select's backward). index is 1-D int64/int32.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_index_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha, cmp_tensor* out);

/** cmp_index_add in place. */
CMP_API cmp_status cmp_index_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha);

/** The elements of tensor where mask (bool, broadcast with tensor) is true, as a 1-D tensor. Dtypes: all. */
CMP_API cmp_status cmp_masked_select(cmp_tensor tensor, cmp_tensor mask, cmp_tensor* out);

/** The indices of the non-zero elements as an int64 tensor [count, ndim] (torch.nonzero). Dtypes: all. */
CMP_API cmp_status cmp_nonzero(cmp_tensor tensor, cmp_tensor* out);

/**
 * Advanced indexing, PyTorch's x[indices]: indices holds count entries for the dims from dim 0;
 * a NULL entry takes its dim whole, an int64 tensor picks positions (negative count from the
 * end), a bool/uint8 mask covers as many dims as it has. The index tensors broadcast together;
 * their shape replaces the indexed dims in place when those are adjacent, else at the front.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_index(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor* out);

/** A copy of tensor with values (broadcast; same dtype) put at tensor[indices], or added when accumulate is non-zero. */
CMP_API cmp_status cmp_index_put(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate, cmp_tensor* out);

/** cmp_index_put in place (torch.index_put_); repeated indices accumulate when accumulate is non-zero. */
CMP_API cmp_status cmp_index_put_(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate);

/* end of section: shape-index */

#endif /* COMPUTE_OPS_SHAPE_INDEX_H */
