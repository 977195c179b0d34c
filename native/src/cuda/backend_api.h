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

#define COMPUTE_CUDA_BACKEND_VERSION 5u
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

/* What gemm does after the product. BIAS: C = alpha * A B + bias, bias a dense vector of n
 * elements of the dtype added to every row (a Linear layer's bias); C is not read. */
typedef enum compute_cuda_gemm_epilogue {
    COMPUTE_CUDA_GEMM_EPILOGUE_NONE = 0,
    COMPUTE_CUDA_GEMM_EPILOGUE_BIAS = 1
} compute_cuda_gemm_epilogue;

/* C[b] = alpha * A[b] B[b] + beta * C[b] for b < batch: A is m x k, B k x n, C m x n, all of one
 * dtype (float32, float64, float16 or bfloat16). With beta == 0, C is not read (NaN there does
 * not propagate). Products accumulate in float64 for float64 and float32 otherwise; float32 may
 * use TF32 tensor cores when allow_tf32 is non-zero. With epilogue BIAS (batch 1, beta 0) the
 * bias is added as cuBLASLt's epilogue, in the same pass, or, where cuBLASLt has no algorithm
 * for the product, written to C first and the product added onto it. */
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
    int32_t epilogue;  /* compute_cuda_gemm_epilogue */
    const void* bias;  /* epilogue BIAS: n elements of dtype, dense */
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

#include "cuda/backend_api_index.h"
#include "cuda/backend_api_nn.h"

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
    /* (Version 5 removed stream_create: every stream is made by stream_create_with_priority.) */
    int32_t (*stream_destroy)(void* stream);
    int32_t (*stream_synchronize)(void* stream);
    /* *done = 1 when all work queued on the stream has finished, else 0. */
    int32_t (*stream_query)(void* stream, int32_t* done);
    int32_t (*stream_wait_event)(void* stream, void* event);
    /* timing 0 creates the event with timing disabled (cheaper to record and wait on). */
    int32_t (*event_create)(int32_t device, int32_t timing, void** out);
    int32_t (*event_destroy)(void* event);
    int32_t (*event_record)(void* event, void* stream);
    int32_t (*event_synchronize)(void* event);
    /* *done = 1 when the work before the event's record has finished, else 0. */
    int32_t (*event_query)(void* event, int32_t* done);
    int32_t (*event_elapsed_ms)(void* start, void* end, float* out);

    /* --- pinned (page-locked) host memory, cached --- */
    /* nbytes == 0 gives NULL. OUT_OF_MEMORY names the request. */
    int32_t (*host_allocate)(int64_t nbytes, void** out);
    /* Returns the block to the cache; it is handed out again only once every copy recorded on
     * it (host_record) has finished. */
    int32_t (*host_deallocate)(void* ptr);
    /* Notes that work queued on stream (of device) uses the pinned block at ptr (a pointer
     * host_allocate returned). */
    int32_t (*host_record)(void* ptr, int32_t device, void* stream);

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

    /* --- cross-stream use of device memory (Tensor.record_stream) --- */
    /* Notes that work queued on stream uses the block at ptr (a pointer allocate returned), so
     * that once freed it is reused only after the work queued on stream so far has finished. */
    int32_t (*record_stream)(void* ptr, void* stream);

    /* --- appended in version 4: stream priorities --- */
    /* The device's stream priorities (cudaDeviceGetStreamPriorityRange): *least is the default
     * (0), *greatest the most urgent (a negative number, or 0 where priorities are not supported);
     * lower numbers are scheduled first. */
    int32_t (*stream_priority_range)(int32_t device, int32_t* least, int32_t* greatest);
    /* A new non-blocking stream (no implicit ordering with the legacy default stream) of the
     * given priority, within the device's range (0 is the default priority). */
    int32_t (*stream_create_with_priority)(int32_t device, int32_t priority, void** out);
    /* The priority of a live stream (NULL: the default stream's). Fails naming the error for a
     * handle the driver does not know (a stream made outside and destroyed). */
    int32_t (*stream_priority)(void* stream, int32_t* out);

    /* --- appended in version 4: the device's own view of its memory --- */
    /* Free and total bytes of the device as the driver counts them (cudaMemGetInfo): what every
     * process and context on it leaves free, not only this library's allocator. */
    int32_t (*mem_get_info)(int32_t device, int64_t* free_bytes, int64_t* total_bytes);

    /* --- appended in version 5: fused scaled dot-product attention (compute_cuda_attention) --- */
    /* out and lse from q, k, v, the mask, the causal cut and dropout, in one pass over the keys
     * per block of queries (cuda/flash_attention.cuh): no [L, S] matrix in memory. n == 0 does
     * nothing. */
    int32_t (*attention)(const compute_cuda_attention* a);
    /* grad_q, grad_k and grad_v from grad_out, lse and dsum, recomputing the weights tile by tile:
     * one kernel per key block for grad_k and grad_v, one per query block for grad_q (no atomics:
     * the same bits on every run). n == 0 does nothing. */
    int32_t (*attention_backward)(const compute_cuda_attention* a);

    /* --- appended in version 5: fused batch norm (compute_cuda_batch_norm) --- */
    /* The statistics (blocks per slice of a channel, a thread per channel to add them), then y
     * (cuda/batch_norm.cuh). n == 0 does nothing. */
    int32_t (*batch_norm)(const compute_cuda_batch_norm* b);
    /* The channel sums (blocks per slice, added in order: no atomics), then grad_in. n == 0 does
     * nothing. */
    int32_t (*batch_norm_backward)(const compute_cuda_batch_norm* b);
} compute_cuda_backend;

/* The one symbol the backend exports. */
typedef const compute_cuda_backend* (*compute_cuda_get_backend_fn)(void);
#define COMPUTE_CUDA_GET_BACKEND_SYMBOL "compute_cuda_get_backend"

#ifdef __cplusplus
}
#endif

#endif /* COMPUTE_CUDA_BACKEND_API_H */
