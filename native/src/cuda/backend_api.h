/* The versioned interface between the core library (libcompute) and the CUDA backend
 * (libcompute_cuda). The backend exports one C function, compute_cuda_get_backend, returning a
 * table of function pointers; the core loads the library with dlopen, checks the table's
 * version and size, and calls nothing else. Only plain C types cross this line (no C++, no
 * CUDA types), so the two libraries can be built by different compilers and the core never
 * links CUDA.
 *
 * Any change to this file that is not adding a member at the end of the table is a new
 * COMPUTE_CUDA_BACKEND_VERSION; the core refuses a backend of another version with a message
 * naming the library and both versions.
 *
 * Every function returning int32_t returns a cmp_status; on failure the backend keeps a
 * thread-local message (last_error) that names what failed, in the project's style.
 * Streams and events are opaque pointers (cudaStream_t / cudaEvent_t); a NULL stream is the
 * device's default stream. */
#ifndef COMPUTE_CUDA_BACKEND_API_H
#define COMPUTE_CUDA_BACKEND_API_H

#include <compute/compute.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COMPUTE_CUDA_BACKEND_VERSION 2u
/* Dims and operands of an elementwise launch (after the core's coalescing). Six operands since
 * the pointwise losses' backward (out, grad, input, target, weight, pos_weight); the table's
 * pointwise_loss entry came with that change, so a backend built before it (4 operands) has a
 * smaller table and is refused by the size check. */
#define COMPUTE_CUDA_MAX_DIMS 12
#define COMPUTE_CUDA_MAX_OPERANDS 6

/* What the core knows about one device. */
typedef struct compute_cuda_device_properties {
    char name[256];
    int64_t total_memory;
    int32_t major;
    int32_t minor;
    int32_t multiprocessor_count;
    int32_t reserved;
} compute_cuda_device_properties;

/* One elementwise launch: operand 0 is the output, 1.. the inputs. Shape and byte strides
 * are innermost dim first, as the core's TensorIterator lays them out. */
typedef struct compute_cuda_iter {
    int32_t device;
    int32_t ndim;
    int32_t noperands;
    int32_t reserved;
    void* stream;
    int64_t numel;
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t strides[COMPUTE_CUDA_MAX_OPERANDS][COMPUTE_CUDA_MAX_DIMS];
    void* data[COMPUTE_CUDA_MAX_OPERANDS];
    int32_t dtypes[COMPUTE_CUDA_MAX_OPERANDS]; /* cmp_dtype values */
} compute_cuda_iter;

/* Unary ops: operands share one dtype. */
typedef enum compute_cuda_unary_op {
    COMPUTE_CUDA_UNARY_NEG = 0,
    COMPUTE_CUDA_UNARY_EXP = 1
} compute_cuda_unary_op;

/* Binary ops: operands share one dtype; ADD computes a + alpha * b (sub is add with -alpha). */
typedef enum compute_cuda_binary_op {
    COMPUTE_CUDA_BINARY_ADD = 0,
    COMPUTE_CUDA_BINARY_MUL = 1,
    COMPUTE_CUDA_BINARY_DIV = 2
} compute_cuda_binary_op;

/* Comparisons, in the order of the core's cmp::ops::CompareOp (checked there). */
typedef enum compute_cuda_compare_op {
    COMPUTE_CUDA_COMPARE_EQ = 0,
    COMPUTE_CUDA_COMPARE_NE = 1,
    COMPUTE_CUDA_COMPARE_LT = 2,
    COMPUTE_CUDA_COMPARE_LE = 3,
    COMPUTE_CUDA_COMPARE_GT = 4,
    COMPUTE_CUDA_COMPARE_GE = 5
} compute_cuda_compare_op;

/* Row reductions (reduce_rows, reduce_rows_args). SUM, MEAN and PROD accumulate in float64 for
 * float64, float32 for the other floats and int64 (wrapping) for integers and bool; AMAX / AMIN
 * compare opmath values (float32 for 16-bit floats, int64 for integers and bool) and propagate
 * NaN; ANY / ALL test x != 0 (NaN is non-zero).
 * The ops from ARGMAX on take compute_cuda_reduce_args (reduce_rows_args): ARGMAX / ARGMIN give
 * the index of the extremum in its row (int64, args->indices) and optionally its value (out, may
 * be NULL): the first NaN wins, then the strictly better value, equal values keep the lower
 * index. VAR / STD (floating inputs) merge Welford partials in the SUM accumulator with divisor
 * max(n - args->param, 0) and optionally store the row means (args->mean, NaN for an empty row).
 * NORM (floating inputs) is the vector norm of ord args->param (0, 1, 2, +-INFINITY, other p;
 * the inf norms propagate NaN). LOGSUMEXP gives float32 for integers and bool, merging
 * (max, sum of exp(x - max)) partials. COUNT_NONZERO counts x != 0 in int64. */
typedef enum compute_cuda_reduce_op {
    COMPUTE_CUDA_REDUCE_SUM = 0,
    COMPUTE_CUDA_REDUCE_MEAN = 1,
    COMPUTE_CUDA_REDUCE_PROD = 2,
    COMPUTE_CUDA_REDUCE_AMAX = 3,
    COMPUTE_CUDA_REDUCE_AMIN = 4,
    COMPUTE_CUDA_REDUCE_ANY = 5,
    COMPUTE_CUDA_REDUCE_ALL = 6,
    COMPUTE_CUDA_REDUCE_ARGMAX = 7,
    COMPUTE_CUDA_REDUCE_ARGMIN = 8,
    COMPUTE_CUDA_REDUCE_VAR = 9,
    COMPUTE_CUDA_REDUCE_STD = 10,
    COMPUTE_CUDA_REDUCE_NORM = 11,
    COMPUTE_CUDA_REDUCE_LOGSUMEXP = 12,
    COMPUTE_CUDA_REDUCE_COUNT_NONZERO = 13
} compute_cuda_reduce_op;
#define COMPUTE_CUDA_REDUCE_OP_COUNT 14

/* The operands of a row reduction beyond its input and output, laid out as the core's
 * cmp::cpu::FoldArgs. Unused members are ignored; NULL args reads as all zero. */
typedef struct compute_cuda_reduce_args {
    double param;  /* VAR / STD: the correction; NORM: ord */
    void* indices; /* ARGMAX / ARGMIN: int64, one per row (required) */
    void* mean;    /* VAR / STD: the row means in out_dtype, one per row, or NULL */
} compute_cuda_reduce_args;

/* A contiguous tensor seen as [outer, dim, inner] (the core's cmp::cpu::SoftmaxPlan, also the
 * scans' layout): softmax and the scans run along the middle axis, independently on each of the
 * outer * inner lines; element k of line (o, i) is at (o * dim + k) * inner + i. */
typedef struct compute_cuda_lines {
    int32_t device;
    int32_t dtype; /* every operand's cmp_dtype */
    void* stream;
    int64_t outer;
    int64_t dim;
    int64_t inner;
} compute_cuda_lines;

/* Scans (scan), in the order of the core's cmp::cpu::ScanOp (checked there). */
typedef enum compute_cuda_scan_op {
    COMPUTE_CUDA_SCAN_CUMSUM = 0,
    COMPUTE_CUDA_SCAN_CUMPROD = 1
} compute_cuda_scan_op;

/* The parameters of a unary math op, laid out as the core's cmp::cpu::UnaryMathParams
 * (cpu/unary_math_list.h documents which op reads which). */
typedef struct compute_cuda_unary_params {
    double a;
    double b;
    double c;
    int64_t i;
} compute_cuda_unary_params;

/* One operand of gemm: a batch of row-major matrices, element (b, i, j) at element offset
 * b * batch_stride + i * row_stride + j * col_stride from data (strides in elements). */
typedef struct compute_cuda_matrices {
    void* data;
    int64_t batch_stride;
    int64_t row_stride;
    int64_t col_stride;
} compute_cuda_matrices;

/* C[b] = alpha * A[b] B[b] + beta * C[b] for b < batch: A is m x k, B k x n, C m x n, all of one
 * dtype (float32, float64, float16 or bfloat16). With beta == 0, C is not read (NaN there does
 * not propagate). Products accumulate in float64 for float64 and float32 otherwise; float32 may
 * use TF32 tensor cores when allow_tf32 is non-zero. */
typedef struct compute_cuda_gemm {
    int32_t device;
    int32_t dtype; /* cmp_dtype of A, B and C */
    void* stream;
    int64_t batch;
    int64_t m;
    int64_t n;
    int64_t k;
    compute_cuda_matrices a;
    compute_cuda_matrices b;
    compute_cuda_matrices c; /* col_stride 1, row_stride >= n */
    double alpha;
    double beta;
    int32_t allow_tf32;
    int32_t reserved;
} compute_cuda_gemm;

/* Random fills (random), every value from core/philox.h's stream layout through
 * core/philox_values.h, so a seed gives the CPU's numbers bit for bit. */
typedef enum compute_cuda_random_op {
    COMPUTE_CUDA_RANDOM_RAND = 0,      /* floating dtypes; 2 elements per block for float64, else 4 */
    COMPUTE_CUDA_RANDOM_RANDN = 1,     /* floating dtypes; as rand */
    COMPUTE_CUDA_RANDOM_RANDINT = 2,   /* any dtype: low + (u64 mod range); 2 per block */
    COMPUTE_CUDA_RANDOM_BERNOULLI = 3, /* any dtype: 1 where float64 rand < p[i] (or p_all); 2 per block */
    COMPUTE_CUDA_RANDOM_KEEP = 4,      /* bool: dropout's keep decisions, (w >> 8) >= threshold; 4 per block */
    COMPUTE_CUDA_RANDOM_NORMAL = 5,    /* floating: randn's element, then shift + scale * it in float64 (normal_) */
    COMPUTE_CUDA_RANDOM_UNIFORM = 6    /* floating: rand's element, then shift + scale * it in float64 (uniform_) */
} compute_cuda_random_op;

/* out[0 .. n), dense, of dtype, from blocks offset, offset + 1, ... of seed's stream (element i
 * from block offset + i / E). p, when not NULL, holds n dense float32 or float64 (p_dtype)
 * probabilities on the device. */
typedef struct compute_cuda_random {
    int32_t device;
    int32_t op;    /* compute_cuda_random_op */
    int32_t dtype; /* cmp_dtype of out */
    int32_t p_dtype;
    void* stream;
    uint64_t seed;
    uint64_t offset;
    int64_t n;
    int64_t low;     /* randint */
    uint64_t range;  /* randint: high - low as uint64, >= 1 */
    const void* p;   /* bernoulli */
    double p_all;    /* bernoulli without p */
    uint32_t threshold; /* keep: cpu::dropout_threshold(p) */
    int32_t reserved;
    void* out;
    double shift; /* normal, uniform: core/philox_values.h's philox_affine */
    double scale;
} compute_cuda_random;

/* Fused optimizer steps (optim_step), in the order of the core's ops (ops/optim.cpp). */
typedef enum compute_cuda_optim_op {
    COMPUTE_CUDA_OPTIM_SGD = 0,
    COMPUTE_CUDA_OPTIM_ADAM = 1, /* Adam and AdamW (decoupled) */
    COMPUTE_CUDA_OPTIM_RMSPROP = 2,
    COMPUTE_CUDA_OPTIM_ADAGRAD = 3
} compute_cuda_optim_op;

/* One parameter's update: param, grad and up to three state buffers, dense, n elements of a
 * floating dtype, on the device. The arguments are those of cpu/optim_update.h's SgdArgs,
 * AdamArgs, RmspropArgs and AdagradArgs (cuda/optim_args.h converts both ways); the states are
 * the CPU kernels' (state0..2, NULL where unused). */
typedef struct compute_cuda_optim {
    int32_t device;
    int32_t op;    /* compute_cuda_optim_op */
    int32_t dtype; /* cmp_dtype of every buffer */
    int32_t reserved;
    void* stream;
    int64_t n;
    void* param;
    const void* grad;
    void* state0;
    void* state1;
    void* state2;
    double lr, momentum, dampening, weight_decay, beta1, beta2, eps, step_size, bias_correction2_sqrt, alpha, clr;
    int32_t nesterov, maximize, init_buffer, decoupled;
} compute_cuda_optim;

/* Rows normalised on their own (row_norm, row_norm_backward): layer norm, RMS norm and group
 * norm as the core's cmp::cpu::RowNormPlan describes them. The dense input is `rows` rows of
 * row_len = channels * inner elements; element e of row r has the affine index
 * (r % groups) * channels + e / inner into weight, bias, grad_weight and grad_bias (groups *
 * channels values each; weight NULL reads as ones, bias NULL as zeros). Elements are of dtype
 * (a floating one), statistics (mean, rstd: one per row) of stat_dtype, float64 for float64 and
 * float32 for the others, which is also the dtype the kernels accumulate in. */
typedef struct compute_cuda_row_norm {
    int32_t device;
    int32_t dtype;      /* cmp_dtype of x, y, weight, bias, grad_out, grad_in, grad_weight, grad_bias */
    int32_t stat_dtype; /* cmp_dtype of mean and rstd */
    int32_t rms;        /* non-zero: RMS norm (no mean; mean is NULL), rstd = 1 / sqrt(mean(x^2) + eps) */
    void* stream;
    int64_t n;          /* rows + groups * channels: zero exactly when there is nothing to write */
    int64_t rows;
    int64_t row_len;
    int64_t channels;
    int64_t inner;
    int64_t groups;
    double eps;         /* forward only */
    const void* x;
    const void* weight;
    const void* bias;   /* forward only */
    void* y;            /* forward: out */
    void* mean;         /* forward: out; backward: in */
    void* rstd;         /* forward: out; backward: in */
    const void* grad_out;  /* backward only, like the rest */
    void* grad_in;
    void* grad_weight;  /* may be NULL */
    void* grad_bias;    /* may be NULL */
} compute_cuda_row_norm;

/* The parameters of a fused activation derivative, laid out as the core's
 * cmp::cpu::ActivationBackwardParams (cpu/activation_backward_math.h documents which op reads
 * which: softplus beta, threshold; elu alpha, scale, input_scale; leaky_relu slope; hardtanh
 * min, max). */
typedef struct compute_cuda_activation_params {
    double a;
    double b;
    double c;
} compute_cuda_activation_params;

/* One launch of the pointwise losses (pointwise_loss). op is a cmp::cpu::PointwiseLoss value
 * (cpu/nn_loss_math.h, compiled into both libraries, whose formulas the kernel evaluates).
 * Forward: operands out, input, target[, weight][, pos_weight]; out = loss (times weight).
 * Backward: operands out, grad, input, target[, weight][, pos_weight]; out = grad * scale *
 * d loss / d input (d / d target when grad_target is non-zero), times weight. All operands of
 * one floating dtype (16-bit floats computed in float32). */
typedef struct compute_cuda_loss_args {
    int32_t op;
    int32_t has_weight;
    int32_t has_pos_weight; /* binary_cross_entropy_with_logits only */
    int32_t backward;
    int32_t grad_target;
    int32_t reserved;
    double param; /* smooth_l1's beta, huber's delta */
    double scale; /* backward: 1/n for a mean, 1/batch for a batchmean, else 1 */
} compute_cuda_loss_args;

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

/* cross_entropy / nll_loss (class_loss) over the rows of a dense input laid out as the core's
 * cmp::cpu::ClassLossArgs: (outer, classes, inner), row r = o * inner + i holds the classes
 * values input[(o * classes + c) * inner + i]. input, weight (classes values or NULL),
 * probability targets (laid out like input), grad_input and grad_target share dtype (a floating
 * cmp_dtype); class-index targets are int64, one per row. The per-row operands loss, row_weight
 * and grad_rows have the accumulation dtype: float64 for float64, float32 otherwise.
 * Forward (backward == 0): loss[r] (0 for an ignored target) and row_weight[r] (the target's
 * class weight, 0 when ignored, 1 for probability targets); loss may be NULL, then only
 * row_weight is written (MEAN's divisor). Backward: grad_input (and grad_target when not NULL,
 * probability targets only) for the row gradient grad_rows[r * grad_rows_stride] (stride 0: one
 * value for every row). A class index outside [0, classes) that is not ignore_index fails with
 * INDEX_OUT_OF_RANGE naming the first such target and its row (this reads a value back, which
 * synchronises the stream for class-index targets). */
typedef struct compute_cuda_class_loss {
    int32_t device;
    int32_t dtype; /* cmp_dtype of input */
    void* stream;
    int64_t n;     /* rows: outer * inner */
    int64_t outer;
    int64_t classes;
    int64_t inner;
    int64_t ignore_index;
    double smoothing;   /* label smoothing in [0, 1] */
    int32_t logits;     /* cross_entropy: input holds logits (log_softmax fused); nll_loss: log-probabilities */
    int32_t prob_target; /* target holds class probabilities */
    int32_t backward;
    int32_t reserved;
    const void* input;
    const void* target;
    const void* weight;
    void* loss;
    void* row_weight;
    const void* grad_rows;
    int64_t grad_rows_stride;
    void* grad_input;
    void* grad_target;
} compute_cuda_class_loss;

/* The geometry of one convolution, laid out as the core's cmp::cpu::ConvGeom3: always three
 * spatial dims (1-d and 2-d convolutions have leading dims of size 1: kernel, stride and
 * dilation 1, no padding); "image" is the convolution's input side, "out" its output. */
typedef struct compute_cuda_conv_geom {
    int64_t image[3];
    int64_t out[3];
    int64_t kernel[3];
    int64_t stride[3];
    int64_t pad[3]; /* zeros before the image's start */
    int64_t dilation[3];
} compute_cuda_conv_geom;

/* im2col and its adjoint col2im (im2col entry) for `images` dense images [channels, *image]
 * of dtype (float32 or float64; the core computes 16-bit floats in float32). K is the kernel
 * volume, P the out plane; row r = c * K + tap (taps kd, kh, kw row-major) of image n's column
 * matrix holds at column p (an out position, row-major) the element
 * cols[n * col_image_stride + r * col_row_stride + p], so the matrices may be [images, rows, P]
 * or interleaved [rows, images, P].
 * im2col (col2im == 0): in is the images, out the columns; entry (n, r, p) is the pixel tap
 * r's position p reads, 0 where it falls in the padding.
 * col2im (col2im != 0): in is the columns, out the images; pixel (n, c, x) = bias[c] (0 when
 * bias is NULL) + the entries read from it, added tap by tap in increasing order (a gather:
 * each pixel sums its own entries, no atomics, the same bits on every run and the CPU's
 * col2im order); entries read from the padding are dropped. */
typedef struct compute_cuda_im2col {
    int32_t device;
    int32_t dtype;  /* cmp_dtype of in, out and bias */
    void* stream;
    int64_t n;      /* elements written: images * channels * K * P (im2col) or images * channels * image plane (col2im) */
    int64_t images;
    int64_t channels;
    int64_t col_image_stride;
    int64_t col_row_stride;
    compute_cuda_conv_geom geom;
    int32_t col2im;
    int32_t reserved;
    const void* in;
    void* out;
    const void* bias; /* col2im only; may be NULL */
} compute_cuda_im2col;

/* Pooling passes (pool), in the order of the core's calls (ops/nn_pool.cpp). */
typedef enum compute_cuda_pool_op {
    COMPUTE_CUDA_POOL_MAX = 0,          /* dst = window maxima of src, indices = their positions */
    COMPUTE_CUDA_POOL_AVG = 1,          /* dst = window averages of src */
    COMPUTE_CUDA_POOL_AVG_BACKWARD = 2, /* dst (grad_in) from src (grad_out): each input's windows */
    COMPUTE_CUDA_POOL_MAX_BACKWARD = 3  /* dst (grad_in) from src (grad_out) and indices */
} compute_cuda_pool_op;

/* One spatial dim of a pooling (cuda/pool_window.h turns it into windows). Regular windows:
 * output o starts at o * stride - pad and takes kernel positions dilation apart, those inside
 * [0, in_size); its divisor is the count of those, or with include_pad the extent
 * min(start + kernel, in_size + pad) - start. adaptive: output o takes
 * [floor(o in / out), ceil((o + 1) in / out)) (kernel, stride, pad unused; dilation 1). The
 * size-1 dims that pad a pooling to three dims are {1, 1, 1, 1, 0, 1, 0, 0}. */
typedef struct compute_cuda_pool_dim {
    int64_t in_size;
    int64_t out_size;
    int64_t kernel;
    int64_t stride;
    int64_t pad;
    int64_t dilation;
    int32_t adaptive;
    int32_t include_pad;
} compute_cuda_pool_dim;

/* A pooling pass over `planes` contiguous planes of dims[0] x dims[1] x dims[2] (outermost
 * first) input positions and as many outputs of out_size. dtype: float32 or float64 (the core
 * converts the 16-bit floats), int64 for POOL_AVG. divisor_override: 0 divides an average by
 * the product of the dims' divisors (one int64), -1 by each dim's divisor in turn (adaptive
 * pooling), > 0 by itself. n: the elements the pass writes (outputs forward, inputs backward).
 * MAX_BACKWARD: an index outside the plane fails with INDEX_OUT_OF_RANGE and sets bad_position
 * (the first such position of indices, row-major) and bad_index (its value); the check reads a
 * word back, which synchronises the stream. */
typedef struct compute_cuda_pool {
    int32_t device;
    int32_t dtype;
    int32_t op; /* compute_cuda_pool_op */
    int32_t reserved;
    void* stream;
    int64_t n;
    int64_t planes;
    int64_t divisor_override;
    compute_cuda_pool_dim dims[3];
    const void* src;  /* forward: input; backward: grad_output */
    void* dst;        /* forward: output; backward: grad_input */
    int64_t* indices; /* MAX: written; MAX_BACKWARD: read; else NULL */
    int64_t bad_position;
    int64_t bad_index;
} compute_cuda_pool;

/* interpolate passes (interpolate), ops/nn_pool_interp.cpp's taps on the device. */
typedef enum compute_cuda_interp_op {
    COMPUTE_CUDA_INTERP_FORWARD = 0, /* dst (output) gathered from src (input) through the taps */
    COMPUTE_CUDA_INTERP_BACKWARD = 1 /* dst (grad_input) from src (grad_output) through the inverse lists */
} compute_cuda_interp_op;

/* One spatial dim of an interpolation, as device arrays the core uploads (one transfer). The
 * forward reads the taps of output o: i0[o], i1[o] and weights w0[o], w1[o] (nearest modes: i0
 * only). The backward reads the inverse lists: input i is read by the entries
 * [first[i], first[i + 1]) of (outputs, weights), ordered by output and, for one output, tap 0
 * before tap 1 (an output whose two taps name i appears twice). The size-1 dims that pad the
 * op to three dims have real 0 and one tap {0, 0, 1, 0}; the pointers a pass does not read may
 * be NULL. */
typedef struct compute_cuda_interp_dim {
    int64_t in_size;
    int64_t out_size;
    int32_t real;
    int32_t reserved;
    const int64_t* i0;      /* out_size values (forward) */
    const int64_t* i1;      /* out_size values (forward) */
    const double* w0;       /* out_size values (forward) */
    const double* w1;       /* out_size values (forward) */
    const int64_t* first;   /* in_size + 1 offsets (backward) */
    const int64_t* outputs; /* first[in_size] output indices (backward) */
    const double* weights;  /* first[in_size] tap weights (backward) */
} compute_cuda_interp_dim;

/* An interpolate pass over `planes` contiguous planes of dims[0] x dims[1] x dims[2] (outermost
 * first). linear: 0 for nearest / nearest-exact (dst = the i0 tap), 1 for linear. dtype: float32
 * or float64 (the core converts the 16-bit floats), uint8 for a nearest FORWARD. n: the elements
 * of dst (planes times the output plane forward, the input plane backward). */
typedef struct compute_cuda_interp {
    int32_t device;
    int32_t dtype;
    int32_t op; /* compute_cuda_interp_op */
    int32_t linear;
    void* stream;
    int64_t n;
    int64_t planes;
    compute_cuda_interp_dim dims[3];
    const void* src; /* forward: input; backward: grad_output */
    void* dst;       /* forward: output; backward: grad_input */
} compute_cuda_interp;

/* grid_sample 2-d passes (grid_sample), ops/nn_pool_grid.cpp's operands on the device. */
typedef enum compute_cuda_grid_op {
    COMPUTE_CUDA_GRID_FORWARD = 0, /* output from input and grid */
    COMPUTE_CUDA_GRID_BACKWARD = 1 /* grad_input and grad_grid from grad_output, input and grid */
} compute_cuda_grid_op;

/* A grid_sample pass: input [N, C, H, W], grid [N, Ho, Wo, 2], output / grad_output
 * [N, C, Ho, Wo], grad_input like input, grad_grid like grid, all contiguous and of dtype
 * float32 or float64 (the core converts the 16-bit floats). nearest: 0 bilinear, 1 nearest;
 * padding: cmp_grid_padding_mode. n: the output's elements (both passes; the backward writes
 * every element of grad_input and grad_grid). */
typedef struct compute_cuda_grid_sample {
    int32_t device;
    int32_t dtype;
    int32_t op; /* compute_cuda_grid_op */
    int32_t nearest;
    int32_t padding;
    int32_t align_corners;
    void* stream;
    int64_t n;
    int64_t batch;
    int64_t channels;
    int64_t height;
    int64_t width;
    int64_t out_height;
    int64_t out_width;
    const void* input;
    const void* grid;
    const void* grad_output; /* BACKWARD only */
    void* output;            /* FORWARD only */
    void* grad_input;        /* BACKWARD only */
    void* grad_grid;         /* BACKWARD only */
} compute_cuda_grid_sample;

/* The core's allocation-failure hook (the managed host's GC): the backend calls it, without
 * holding its own locks, when a device allocation fails even after freeing its cache; a
 * non-zero return asks for one more try. */
typedef int32_t (*compute_cuda_reclaim_fn)(int64_t nbytes, void* context);

typedef struct compute_cuda_backend {
    uint32_t version; /* COMPUTE_CUDA_BACKEND_VERSION the backend was built with */
    uint32_t size;    /* sizeof(compute_cuda_backend) as the backend sees it */
    /* The message of the last failure on this thread (never NULL). */
    const char* (*last_error)(void);
    /* CUDA runtime version the backend was built against (e.g. 11080). */
    int32_t (*runtime_version)(void);

    /* --- devices --- */
    /* Usable devices; 0 without a driver or GPU (never fails). */
    int32_t (*device_count)(void);
    /* Why device_count is 0 ("" when devices exist). */
    const char* (*unavailable_reason)(void);
    int32_t (*device_properties)(int32_t device, compute_cuda_device_properties* out);
    int32_t (*synchronize)(int32_t device);

    /* --- caching allocator (per device, per stream pools) --- */
    int32_t (*set_reclaim_hook)(compute_cuda_reclaim_fn hook, void* context);
    /* nbytes == 0 gives NULL. OUT_OF_MEMORY names the request and the statistics. */
    int32_t (*allocate)(int32_t device, int64_t nbytes, void* stream, void** out);
    /* Returns the block to its stream's pool; never fails for a pointer from allocate. */
    int32_t (*deallocate)(void* ptr);
    int32_t (*memory_stats)(int32_t device, cmp_memory_stats* out);
    int32_t (*reset_peak_stats)(int32_t device);
    /* Frees cached blocks (not in use) of the device back to the driver. */
    int32_t (*empty_cache)(int32_t device);

    /* --- copies (any direction; host memory may be pageable) --- */
    /* Synchronous when stream is NULL and async is 0; otherwise queued on stream. */
    int32_t (*memcpy)(int32_t device, void* dst, const void* src, int64_t nbytes, void* stream, int32_t async);

    /* --- streams and events --- */
    int32_t (*stream_create)(int32_t device, void** out);
    int32_t (*stream_destroy)(void* stream);
    int32_t (*stream_synchronize)(void* stream);
    int32_t (*stream_wait_event)(void* stream, void* event);
    int32_t (*event_create)(int32_t device, void** out);
    int32_t (*event_destroy)(void* event);
    int32_t (*event_record)(void* event, void* stream);
    int32_t (*event_synchronize)(void* event);
    int32_t (*event_elapsed_ms)(void* start, void* end, float* out);

    /* --- kernels (one elementwise engine; one row reduction) --- */
    /* Operand 0 = value converted to operand 0's dtype. */
    int32_t (*fill)(const compute_cuda_iter* iter, cmp_scalar value);
    /* Operand 0 = operand 1 converted (any dtype pair). */
    int32_t (*copy)(const compute_cuda_iter* iter);
    int32_t (*unary)(const compute_cuda_iter* iter, int32_t op);
    int32_t (*binary)(const compute_cuda_iter* iter, int32_t op, cmp_scalar alpha);
    /* out[r] = sum of in[r * row_len .. r * row_len + row_len) for r < rows, both contiguous;
     * accumulates in float64 for float64, float32 for the other floats, int64 for integers and
     * bool. out_dtype is sum's result dtype: in_dtype for floats, int64 otherwise. */
    int32_t (*sum_rows)(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out,
                        int32_t out_dtype, int64_t rows, int64_t row_len);

    /* --- version 2: the pointwise math families, driven by the core's op tables --- */
    /* Operand 0 = op(operand 1); op is a cmp::cpu::UnaryMathOp value (cpu/unary_math_list.h,
     * compiled into both libraries). Operand 1 has the compute dtype; operand 0 has it too, or
     * is bool for the Predicate ops. */
    int32_t (*unary_math)(const compute_cuda_iter* iter, int32_t op, const compute_cuda_unary_params* params);
    /* Operand 0 = clamp(operand 1, bounds): mode is a cmp::cpu::ClampMode (Both: operands 2 and
     * 3 are min and max; Min / Max: operand 2 is the bound); all operands in one dtype. NaN
     * bounds propagate when nan_bounds_propagate is non-zero, else they are ignored. */
    int32_t (*clamp)(const compute_cuda_iter* iter, int32_t mode, int32_t nan_bounds_propagate);
    /* Operand 0 (bool) = operand 1 (op) operand 2, inputs of one dtype; op a compute_cuda_compare_op. */
    int32_t (*compare)(const compute_cuda_iter* iter, int32_t op);
    /* Operand 0 = operand 1 (bool) ? operand 2 : operand 3, all but the condition of one dtype. */
    int32_t (*where)(const compute_cuda_iter* iter);
    /* Operand 0 = operand 2 (bool) ? value : operand 1, value converted to operand 0's dtype. */
    int32_t (*masked_fill)(const compute_cuda_iter* iter, cmp_scalar value);

    /* --- appended in version 2: the binary and ternary math families (cpu/binary_math_list.h) --- */
    /* Operand 0 = operand 1 (op) operand 2; op is a cmp::cpu::BinaryMathOp value. The inputs have
     * the compute dtype; operand 0 has it too, or is bool for the logical ops. An integer
     * division by zero (div with a rounding mode, remainder, fmod) fails with INVALID_ARGUMENT
     * and the CPU kernel's message (cmp::cpu::kIntegerDivisionByZero): the kernel raises a
     * device flag that is read back after it, which synchronises the stream for those ops. */
    int32_t (*binary_math)(const compute_cuda_iter* iter, int32_t op);
    /* Operand 0 = op(operand 1, 2, 3), all of one dtype; op is a cmp::cpu::TernaryMathOp value:
     * lerp(a, end, weight), addcmul / addcdiv(a, t1, t2) with value (unused by lerp). */
    int32_t (*ternary_math)(const compute_cuda_iter* iter, int32_t op, cmp_scalar value);

    /* --- appended in version 2: the reductions over dims --- */
    /* out[r] = op over in[r * row_len .. r * row_len + row_len) for r < rows, both contiguous;
     * op is a compute_cuda_reduce_op. out_dtype is the op's result dtype, checked: the input's
     * for MEAN (floating inputs only), AMAX and AMIN; SUM's and PROD's is the input's for
     * floats and int64 otherwise; ANY's and ALL's is uint8 for uint8 inputs and bool otherwise.
     * A row of length 0 gives the identity (0, 1, false, true; NaN for MEAN); AMAX / AMIN have
     * none and fail with INVALID_ARGUMENT (the core refuses those with PyTorch's message first).
     * sum_rows is reduce_rows with SUM. */
    int32_t (*reduce_rows)(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out,
                           int32_t out_dtype, int64_t rows, int64_t row_len, int32_t op);

    /* --- appended in version 2: the reductions with operands beyond one output --- */
    /* reduce_rows for every compute_cuda_reduce_op, with args (NULL for the ops before ARGMAX).
     * out_dtype as reduce_rows, and: the input's for ARGMAX / ARGMIN (whose out may be NULL),
     * VAR, STD (floating inputs) and NORM (floating inputs); LOGSUMEXP's the input's for floats,
     * float32 otherwise; COUNT_NONZERO's int64. Rows of length 0 fail with INVALID_ARGUMENT for
     * ARGMAX / ARGMIN and the NORMs of ord +-INFINITY as for AMAX; VAR of one is NaN, NORM 0,
     * LOGSUMEXP -inf, COUNT_NONZERO 0. */
    int32_t (*reduce_rows_args)(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out,
                                int32_t out_dtype, int64_t rows, int64_t row_len, int32_t op,
                                const compute_cuda_reduce_args* args);

    /* --- appended in version 2: softmax and the scans along one dim --- */
    /* out = softmax(in), or log_softmax(in) when log is non-zero, along the lines; floating
     * dtypes, computed in float64 for float64 and float32 otherwise, as the CPU kernels: the
     * line's maximum m first (a NaN never becomes m, but reaches every output through the sum),
     * then exp(x - m) and its sum s, then exp(x - m) * (1 / s) or (x - m) - log(s). A line of
     * -inf only gives NaN, as in PyTorch. */
    int32_t (*softmax)(const compute_cuda_lines* lines, const void* in, void* out, int32_t log);
    /* grad_in from grad_out and the forward's output out, along the lines (dtypes as softmax):
     * softmax: out * (grad_out - sum(grad_out * out)); log_softmax: grad_out - exp(out) * sum(grad_out). */
    int32_t (*softmax_backward)(const compute_cuda_lines* lines, const void* grad_out, const void* out,
                                void* grad_in, int32_t log);
    /* out = the running sum or product (op, a compute_cuda_scan_op) along the lines, accumulated
     * as SUM / PROD of reduce_rows (float64 for float64, float32 for the other floats, int64
     * wrapping for integers) and stored in the dtype; every dtype but bool (the core converts
     * bool to int64 first). */
    int32_t (*scan)(const compute_cuda_lines* lines, const void* in, void* out, int32_t op);

    /* --- appended in version 2: tril / triu --- */
    /* out = in with the elements outside a triangle zeroed (all-zero bits: +0.0, false), both
     * dense, any dtype: lines->outer matrices of lines->dim rows and lines->inner columns; row r
     * keeps column c where c - r <= diagonal (tril, upper == 0) or c - r >= diagonal (triu). */
    int32_t (*triangle)(const compute_cuda_lines* lines, const void* in, void* out, int64_t diagonal, int32_t upper);

    /* --- appended in version 2: matrix products (cuBLAS) --- */
    /* The strided batched product of compute_cuda_gemm on g->stream, through the calling
     * thread's cuBLAS handle of the device. A and B must be readable as they are
     * (cuda/gemm_layout.h), C dense in its rows; every size and leading dimension must
     * fit cuBLAS's 32-bit int. m, n or batch 0 does nothing; k 0 is the caller's (C = beta * C;
     * the core does it with its elementwise kernels). */
    int32_t (*gemm)(const compute_cuda_gemm* g);

    /* --- appended in version 2: random fills on the device --- */
    /* The fill r describes (compute_cuda_random) on r->stream. n == 0 does nothing. */
    int32_t (*random)(const compute_cuda_random* r);

    /* --- appended in version 2: fused optimizer steps --- */
    /* One parameter's step (compute_cuda_optim) on o->stream, element by element as the CPU
     * kernels (cpu/optim_update.h). n == 0 does nothing. */
    int32_t (*optim_step)(const compute_cuda_optim* o);

    /* --- appended in version 2: layer norm, RMS norm and group norm (compute_cuda_row_norm) --- */
    /* y, mean (not for rms) and rstd from x, weight and bias: a row's mean and variance
     * (biased, divisor row_len) in two passes in stat_dtype, rstd = 1 / sqrt(var + eps),
     * y = (x - mean) * rstd * w + b. A row of no element has mean 0 and var 0 (RMS: var NaN),
     * as on the CPU. */
    int32_t (*row_norm)(const compute_cuda_row_norm* d);
    /* grad_in, grad_weight and grad_bias (each optional but grad_in) from grad_out, x, weight,
     * mean (NULL for rms) and rstd: with dyw = grad_out * w and xhat = (x - mean) * rstd,
     * grad_in = rstd * (dyw - mean(dyw) - xhat * mean(dyw * xhat)) per row (no mean(dyw) term
     * for rms); grad_weight / grad_bias sum grad_out * xhat / grad_out over the elements of
     * each affine index in a fixed order (no atomics: the same bits on every run). */
    int32_t (*row_norm_backward)(const compute_cuda_row_norm* d);

    /* --- appended in version 2: the fused activation derivatives --- */
    /* Operand 0 (grad_input) = grad_output (operand 1) * f'(operand 2), all of one floating dtype
     * (16-bit floats computed in float32); op is a cmp::cpu::ActivationBackwardOp value
     * (cpu/activation_backward_math.h, compiled into both libraries, whose formulas the kernel
     * evaluates); operand 2 is the forward's input, or its result for sigmoid and tanh. */
    int32_t (*activation_backward)(const compute_cuda_iter* iter, int32_t op,
                                   const compute_cuda_activation_params* params);

    /* --- appended in version 2: the pointwise losses, forward and backward --- */
    /* The launch a describes (compute_cuda_loss_args) over iter. */
    int32_t (*pointwise_loss)(const compute_cuda_iter* iter, const compute_cuda_loss_args* a);

    /* --- appended in version 2: cross_entropy and nll_loss, forward and backward --- */
    /* The pass c describes (compute_cuda_class_loss) on c->stream, a row per line group as
     * softmax. n == 0 does nothing. */
    int32_t (*class_loss)(const compute_cuda_class_loss* c);

    /* --- appended in version 2: indexing (gather, index_select, embedding) --- */
    /* The gather g describes (compute_cuda_gather) on g->stream; reads the index values back to
     * the host only to report a bad one (the stream is synchronised for the check). */
    int32_t (*gather)(compute_cuda_gather* g);
    /* embedding's gradient (compute_cuda_embedding_backward), deterministic: the indices are
     * sorted with their positions (a stable radix sort), then one thread per (distinct index,
     * column) adds its rows in position order, so every run gives the CPU's sums bit for bit. */
    int32_t (*embedding_backward)(compute_cuda_embedding_backward* e);
    /* The scatter s describes (compute_cuda_scatter): a pass over the index checks every value
     * (reading the result back synchronises the stream), then a thread per element of self
     * scans its line of the index for the positions naming it. */
    int32_t (*scatter)(compute_cuda_scatter* s);

    /* --- appended in version 2: convolutions (im2col / col2im; the products are gemm's) --- */
    /* The pass d describes (compute_cuda_im2col) on d->stream, a thread per element written.
     * n == 0 does nothing. */
    int32_t (*im2col)(const compute_cuda_im2col* d);

    /* --- appended in version 2: max / average / adaptive pooling, forward and backward --- */
    /* The pass p describes (compute_cuda_pool), deterministic: the forward is a thread per
     * output visiting its window in the CPU kernel's order (d, h, w); AVG_BACKWARD a thread per
     * input adding the shares of the windows that hold it in output order; MAX_BACKWARD sorts
     * the (plane, index) keys with their positions (a stable radix sort) and gives each input
     * the sum of its run in position order. No float atomics: the CPU's sums, every run. */
    int32_t (*pool)(compute_cuda_pool* p);

    /* --- appended in version 2: randperm and multinomial --- */
    /* The permutation r describes (compute_cuda_randperm) on r->stream. n == 0 does nothing. */
    int32_t (*randperm)(const compute_cuda_randperm* r);
    /* The pass m describes (compute_cuda_multinomial) on m->stream; CHECK writes the bad_* fields. */
    int32_t (*multinomial)(compute_cuda_multinomial* m);
    /* --- appended in version 2: nonzero, masked_select and advanced indexing --- */
    /* The pass z describes (compute_cuda_nonzero) on z->stream; COUNT writes z->count. */
    int32_t (*nonzero)(compute_cuda_nonzero* z);
    /* The index a describes (compute_cuda_advanced_index): a pass over the positions checks every
     * index value (one word read back: synchronises the stream), then the get or the put. */
    int32_t (*advanced_index)(compute_cuda_advanced_index* a);

    /* --- appended in version 2: sort and the searches --- */
    /* The sort s describes (compute_cuda_sort) on s->stream. n == 0 does nothing. */
    int32_t (*sort)(const compute_cuda_sort* s);
    /* The searches s describes (compute_cuda_search) on s->stream, a thread per value. n == 0 does
     * nothing. */
    int32_t (*search)(const compute_cuda_search* s);

    /* --- appended in version 2: interpolate, forward and backward --- */
    /* The pass d describes (compute_cuda_interp) on d->stream, a thread per element of dst:
     * the forward applies the CPU's taps in the CPU kernel's order (w, then h, then d), the
     * backward adds each input's terms in output order (the CPU kernel's), products rounded
     * before they are added; no atomics. n == 0 does nothing. */
    int32_t (*interpolate)(const compute_cuda_interp* d);

    /* --- appended in version 2: grid_sample 2-d, forward and backward --- */
    /* The pass d describes (compute_cuda_grid_sample) on d->stream, deterministic: the forward
     * is a thread per output; the backward's grad_grid a thread per sample adding its channels'
     * terms in the CPU kernel's order, its grad_input a gather: the (sample, corner) entries are
     * sorted by the input pixel they add to (a stable radix sort), then a thread per input
     * element adds its run in sample order. No float atomics: the CPU's sums, every run. */
    int32_t (*grid_sample)(const compute_cuda_grid_sample* d);
} compute_cuda_backend;

/* The one symbol the backend exports. */
typedef const compute_cuda_backend* (*compute_cuda_get_backend_fn)(void);
#define COMPUTE_CUDA_GET_BACKEND_SYMBOL "compute_cuda_get_backend"

#ifdef __cplusplus
}
#endif

#endif /* COMPUTE_CUDA_BACKEND_API_H */
