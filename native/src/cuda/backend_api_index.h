/* Descriptors of the CUDA backend's indexing, sampling and sorting entries: gather / scatter,
 * embedding's gradient, randperm / multinomial, nonzero, advanced indexing, sort and search.
 * Part of the CUDA backend interface: included by cuda/backend_api.h only, inside its
 * extern "C" block and after its common types; the versioning rules there apply here. */
#ifndef COMPUTE_CUDA_BACKEND_API_INDEX_H
#define COMPUTE_CUDA_BACKEND_API_INDEX_H

/* Gathered elements (gather, index_select, embedding): for every position p of shape (index's
 * and out's, outermost first, ndim dims), out[p] = self[p with its coordinate along dim replaced by
 * index[p]], elements moved as bits of element_size bytes (1, 2, 4 or 8). Strides are in elements
 * (an index stride may be 0: index_select's 1-D index seen along every other dim). An index value
 * outside [0, size) fails with INDEX_OUT_OF_RANGE and sets bad_position to the first such position
 * (row-major over shape) and bad_index to its value, from which the core words its message. */
typedef struct compute_cuda_gather {
    int32_t device;
    int32_t element_size;
    int32_t ndim; /* 1 .. COMPUTE_CUDA_MAX_DIMS */
    int32_t dim;
    void* stream;
    int64_t n;    /* elements of out: the product of shape */
    int64_t size; /* self's size along dim */
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t out_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t self_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_strides[COMPUTE_CUDA_MAX_DIMS];
    void* out;
    const void* self;
    const int64_t* index;
    int64_t bad_position; /* out, on INDEX_OUT_OF_RANGE */
    int64_t bad_index;    /* out, on INDEX_OUT_OF_RANGE */
} compute_cuda_gather;

/* embedding's dense gradient (embedding_backward): grad_weight [num_weights, dim] (dense, written
 * whole) from grad_out [n, dim] (dense, a floating dtype) and the n dense int64 indices: row r is
 * the sum over the positions i with indices[i] == r, in increasing i, of grad_out[i] (times
 * 1 / count(r) with scale_grad_by_freq), accumulated in float64 for float64 and float32 otherwise;
 * the row padding_idx (-1: none) and rows no index names are zero. An index outside
 * [0, num_weights) fails as gather's (bad_position, bad_index). */
typedef struct compute_cuda_embedding_backward {
    int32_t device;
    int32_t dtype; /* cmp_dtype of grad_out and grad_weight */
    int32_t scale_grad_by_freq;
    int32_t reserved;
    void* stream;
    int64_t n;     /* num_weights * dim + count: zero exactly when there is nothing to do */
    int64_t count; /* indices */
    int64_t dim;
    int64_t num_weights;
    int64_t padding_idx;
    const void* grad_out;
    const int64_t* indices;
    void* grad_weight;
    int64_t bad_position; /* out, on INDEX_OUT_OF_RANGE */
    int64_t bad_index;    /* out, on INDEX_OUT_OF_RANGE */
} compute_cuda_embedding_backward;

/* How scatter combines (scatter), in the order of the core's ops::ScatterReduce (checked there;
 * its MEAN is a SUM followed by the core's division). Integers wrap; AMAX / AMIN propagate NaN. */
typedef enum compute_cuda_scatter_op {
    COMPUTE_CUDA_SCATTER_NONE = 0,
    COMPUTE_CUDA_SCATTER_SUM = 1,
    COMPUTE_CUDA_SCATTER_PROD = 2,
    COMPUTE_CUDA_SCATTER_AMAX = 4,
    COMPUTE_CUDA_SCATTER_AMIN = 5
} compute_cuda_scatter_op;

/* Scattered elements, in place (scatter, scatter_add, scatter_reduce, index_add): for every
 * position p of index_shape, self[p with its coordinate along dim replaced by index[p]] =
 * op(that element, src[p] * alpha), or op(element, value) when src is NULL, in the dtype's opmath
 * (value and alpha converted as the CPU kernel converts them), rounded to the dtype after each
 * update. Each element's updates are applied in increasing position along dim, the CPU kernel's
 * order, so repeated indices combine deterministically (no atomics). Every index value is
 * checked before anything is written: one outside [0, self_shape[dim]) fails as gather's. Shapes
 * outermost first, strides in elements; index_shape is no larger than self_shape apart from dim. */
typedef struct compute_cuda_scatter {
    int32_t device;
    int32_t dtype; /* cmp_dtype of self and src */
    int32_t ndim;  /* 1 .. COMPUTE_CUDA_MAX_DIMS */
    int32_t dim;
    void* stream;
    int64_t n;     /* elements of index: zero does nothing */
    int64_t self_shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t self_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t src_strides[COMPUTE_CUDA_MAX_DIMS];
    void* self;
    const int64_t* index;
    const void* src;
    cmp_scalar value;
    cmp_scalar alpha;
    int32_t op; /* compute_cuda_scatter_op */
    int32_t reserved;
    int64_t bad_position; /* out, on INDEX_OUT_OF_RANGE */
    int64_t bad_index;    /* out, on INDEX_OUT_OF_RANGE */
} compute_cuda_scatter;

/* randperm (randperm): out[0 .. n) of dtype (any numeric dtype but bool) = 0 .. n-1 ordered by
 * (key, index), key i = philox_u64 of block offset + i / 2 of seed's stream, word pair i % 2
 * (core/philox.h, randint's positions): the keys are drawn on the device and sorted with their
 * indices by CUB's stable radix sort, so a seed gives the CPU's permutation. n at most 2^31 - 1
 * (CUB's item count). */
typedef struct compute_cuda_randperm {
    int32_t device;
    int32_t dtype; /* cmp_dtype of out */
    void* stream;
    uint64_t seed;
    uint64_t offset;
    int64_t n;
    void* out;
} compute_cuda_randperm;

/* multinomial's passes (multinomial), every value from core/multinomial_rows.h. */
typedef enum compute_cuda_multinomial_pass {
    /* probs' checks in the CPU's order: the first element (row-major) that is not finite or is
     * negative, or the first row with no positive element (its sum <= 0), whichever comes first;
     * fails with INVALID_ARGUMENT and bad_row, bad_category (categories for the row sum) and
     * bad_value (the element; 0 for a row). Reads one word back (synchronises the stream). */
    COMPUTE_CUDA_MULTINOMIAL_CHECK = 0,
    /* out[r, s] = multinomial_pick of u[r, s] over row r's multinomial_cumsum. */
    COMPUTE_CUDA_MULTINOMIAL_WITH_REPLACEMENT = 1,
    /* out[r, 0 .. num_samples) = row r's categories by decreasing multinomial_key(p, u[r, c]),
     * ties in increasing c (a stable segmented radix sort). rows * categories at most 2^31 - 1. */
    COMPUTE_CUDA_MULTINOMIAL_WITHOUT_REPLACEMENT = 2
} compute_cuda_multinomial_pass;

/* probs [rows, categories] and u dense float64 on the device ([rows, num_samples] with
 * replacement, [rows, categories] without), out [rows, num_samples] dense int64. */
typedef struct compute_cuda_multinomial {
    int32_t device;
    int32_t pass; /* compute_cuda_multinomial_pass */
    void* stream;
    int64_t n; /* rows * categories: zero exactly when there is nothing to do */
    int64_t rows;
    int64_t categories;
    int64_t num_samples;
    const double* probs;
    const double* u;
    int64_t* out;
    int64_t bad_row;      /* out, CHECK's INVALID_ARGUMENT */
    int64_t bad_category; /* out: categories for a row whose sum is not positive */
    double bad_value;     /* out */
} compute_cuda_multinomial;

/* nonzero's and masked_select's passes (nonzero) over the positions p of shape (row-major, the
 * CPU kernels' order); an element of in is selected when it is non-zero in its opmath (NaN is
 * non-zero, -0.0 is zero). */
typedef enum compute_cuda_nonzero_pass {
    /* positions[p] = how many of the positions 0 .. p are selected (an inclusive scan of the
     * flags), and count = positions[n - 1], read back (synchronises the stream: the caller needs
     * the result's size, as PyTorch does). */
    COMPUTE_CUDA_NONZERO_COUNT = 0,
    /* out [count, ndim] int64 (dense): row positions[p] - 1 = the coordinates of each selected p. */
    COMPUTE_CUDA_NONZERO_COORDS = 1,
    /* out [count] (dense, element_size bytes an element): element positions[p] - 1 = src at p
     * for each selected p, moved as bits (masked_select). */
    COMPUTE_CUDA_NONZERO_SELECT = 2
} compute_cuda_nonzero_pass;

/* in (dtype, any strides) and src seen over shape (outermost first, strides in elements);
 * positions dense int64 [n], written by COUNT and read by the other passes. n at most 2^31 - 1
 * (CUB's item count). */
typedef struct compute_cuda_nonzero {
    int32_t device;
    int32_t pass;  /* compute_cuda_nonzero_pass */
    int32_t dtype; /* cmp_dtype of in */
    int32_t ndim;  /* 0 .. COMPUTE_CUDA_MAX_DIMS */
    void* stream;
    int64_t n;     /* the product of shape: zero does nothing */
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t in_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t src_strides[COMPUTE_CUDA_MAX_DIMS]; /* SELECT */
    int32_t element_size;                       /* SELECT: 1, 2, 4 or 8 */
    int32_t reserved;
    const void* in;
    const void* src; /* SELECT */
    int64_t* positions;
    void* out;
    int64_t count; /* out, COUNT */
} compute_cuda_nonzero;

/* What an advanced index does (advanced_index) at every position p of shape (row-major). The
 * target of p is self + sum_k v_k * strides[k] + the offset of p in self_strides, where v_k is
 * indices[k] at p (wrapped once when in [-sizes[k], 0)). */
typedef enum compute_cuda_advanced_index_op {
    /* values[p] = self[target(p)], moved as bits (index). */
    COMPUTE_CUDA_INDEX_GET = 0,
    /* self[target(p)] = values[p]; of the positions naming one target the last (largest p)
     * wins, as the CPU kernel writes them in order (index_put_). */
    COMPUTE_CUDA_INDEX_PUT = 1,
    /* self[target] = self[target] + values[p] for its positions in increasing p, in the dtype's
     * opmath, rounded to the dtype after each (index_put_ with accumulate; integers wrap, bool
     * adds as or). */
    COMPUTE_CUDA_INDEX_PUT_ACCUMULATE = 2
} compute_cuda_advanced_index_op;

/* An advanced index laid out as the core's cmp::cpu::AdvancedIndexPlan: every operand seen
 * over shape, strides in elements (outermost first). Every index value is checked before
 * anything is written: one outside [-sizes[k], sizes[k]) fails with INDEX_OUT_OF_RANGE and sets
 * bad_position (the first such position, row-major), bad_operand (its first bad k) and
 * bad_index (the value). The puts sort the (target, position) pairs (CUB's stable radix sort)
 * and give each target's run to one thread in position order: deterministic, the CPU's bits, no
 * atomics. n at most 2^31 - 1 for the puts. */
typedef struct compute_cuda_advanced_index {
    int32_t device;
    int32_t op;       /* compute_cuda_advanced_index_op */
    int32_t dtype;    /* cmp_dtype of self and values */
    int32_t ndim;     /* 0 .. COMPUTE_CUDA_MAX_DIMS */
    int32_t nindices; /* 1 .. COMPUTE_CUDA_MAX_DIMS */
    int32_t reserved;
    void* stream;
    int64_t n; /* the product of shape: zero does nothing */
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t self_strides[COMPUTE_CUDA_MAX_DIMS];   /* 0 along the broadcast index dims */
    int64_t values_strides[COMPUTE_CUDA_MAX_DIMS]; /* GET: the output's */
    int64_t index_strides[COMPUTE_CUDA_MAX_DIMS][COMPUTE_CUDA_MAX_DIMS]; /* [k][dim] */
    int64_t sizes[COMPUTE_CUDA_MAX_DIMS];   /* self's size along the k-th indexed dim */
    int64_t strides[COMPUTE_CUDA_MAX_DIMS]; /* self's stride along it */
    const int64_t* indices[COMPUTE_CUDA_MAX_DIMS];
    void* self;
    void* values;
    int64_t bad_position; /* out, on INDEX_OUT_OF_RANGE */
    int64_t bad_operand;  /* out */
    int64_t bad_index;    /* out */
} compute_cuda_advanced_index;
/* sort / argsort / msort / topk (sort): rows dense rows of len elements of dtype (any dtype), each
 * ordered by cpu/sort_key.h's (key, index) pairs -- ascending, or descending with descending (the
 * key's bits flipped), NaN above every number, -0.0 equal to 0.0, ties in increasing index: the
 * CPU's order -- by CUB's stable radix sort (segmented for rows > 1). indices (dense int64
 * [rows, len]) get the positions in the row, values (dense [rows, len] of dtype, or NULL) the
 * elements at them (the input's bits). n = rows * len at most 2^31 - 1 (CUB's item count). */
typedef struct compute_cuda_sort {
    int32_t device;
    int32_t dtype; /* cmp_dtype of in and values */
    void* stream;
    int64_t n; /* rows * len */
    int64_t rows;
    int64_t len;
    int32_t descending;
    int32_t reserved;
    const void* in;
    void* values;     /* may be NULL (argsort) */
    int64_t* indices;
} compute_cuda_sort;

/* searchsorted / bucketize (search): for each of the n = rows * per_row dense values, the position
 * cpu/sort_key.h's bisect finds in its row of the dense sorted sequence [rows, seq_len] (read
 * through sorter, a dense int64 [rows, seq_len] permutation whose entries the core has checked, when
 * not NULL); value i belongs to row i / per_row. Values and sequence share dtype (any but bool),
 * compared in float32 for the 16-bit floats; out is dense int32 (out_int32) or int64. */
typedef struct compute_cuda_search {
    int32_t device;
    int32_t dtype; /* cmp_dtype of seq and values */
    void* stream;
    int64_t n; /* rows * per_row */
    int64_t rows;
    int64_t seq_len;
    int64_t per_row;
    int32_t right;
    int32_t out_int32;
    const void* seq;
    const int64_t* sorter; /* may be NULL */
    const void* values;
    void* out;
} compute_cuda_search;

#endif /* COMPUTE_CUDA_BACKEND_API_INDEX_H */
