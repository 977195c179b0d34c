/* Descriptors of the CUDA backend's neural-network entries: the class losses, convolutions'
 * im2col, pooling, interpolate and grid_sample.
 * Part of the CUDA backend interface: included by cuda/backend_api.h only, inside its
 * extern "C" block and after its common types; the versioning rules there apply here. */
#ifndef COMPUTE_CUDA_BACKEND_API_NN_H
#define COMPUTE_CUDA_BACKEND_API_NN_H

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

/* Scaled dot-product attention (attention, attention_backward), laid out as the core's
 * cmp::cpu::AttentionArgs: dense q [batch, L, E], k [batch, S, E], v [batch, S, Ev], out and
 * grad_out [batch, L, Ev], lse and dsum [batch, L], grad_q / grad_k / grad_v like q / k / v, all of
 * dtype float32 or float64 (the core computes 16-bit floats in float32), E and Ev at most
 * COMPUTE_CUDA_ATTENTION_MAX_HEAD (the core composes larger heads from gemm and softmax).
 * Score (b, i, j) = scale * q[b, i] . k[b, j], then the mask: element (b, i, j) of mask is
 * mask[mask_offset(b) + i * mask_rs + j * mask_cs], where mask_offset(b) sums
 * index_d(b) * mask_lead_strides[d] over the batch dims (b split over mask_lead_sizes, the last
 * fastest; their product is batch); a bool mask (one byte each) keeps the scores where it is
 * non-zero and sets -inf elsewhere, a dtype mask is added. Then with causal, -inf where j > i.
 * The weights are the softmax of each score row (lse its log-sum-exp; a row with no finite
 * score gives NaN outputs and lse -inf, as 0 / 0 does on the CPU); with dropout_p > 0 weight
 * (b, i, j) is kept, times keep_scale, when Philox word n % 4 of block offset + n / 4 of seed,
 * n = (b * L + i) * S + j, passes threshold (core/philox_values.h's philox_keep), else 0.
 * The backward reads dsum[b, i] = sum_e grad_out[b, i, e] * out[b, i, e]. */
#define COMPUTE_CUDA_ATTENTION_MAX_HEAD 256
typedef struct compute_cuda_attention {
    int32_t device;
    int32_t dtype;
    void* stream;
    int64_t n; /* elements written: batch * L (forward's lse; out has Ev per row), or the gradients' */
    int64_t batch;
    int64_t L;
    int64_t S;
    int64_t E;
    int64_t Ev;
    double scale;
    int32_t causal;
    int32_t mask_bool;
    int32_t mask_lead_dims;
    uint32_t threshold; /* dropout: keep when (word >> 8) >= threshold */
    int64_t mask_lead_sizes[COMPUTE_CUDA_MAX_DIMS];
    int64_t mask_lead_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t mask_rs;
    int64_t mask_cs;
    double dropout_p;
    double keep_scale; /* 1 / (1 - dropout_p) */
    uint64_t seed;
    uint64_t offset;
    const void* mask; /* NULL: no mask */
    const void* q;
    const void* k;
    const void* v;
    void* out;            /* forward */
    void* lse;            /* forward: written; backward: read */
    const void* grad_out; /* backward, like the rest */
    const void* dsum;
    void* grad_q;
    void* grad_k;
    void* grad_v;
} compute_cuda_attention;

/* Batch norm (batch_norm, batch_norm_backward) over the dense input x [batch, channels, inner],
 * laid out as the core's cmp::cpu::BatchNormPlan, every operand of dtype float32 or float64 (the
 * core converts 16-bit operands to float32, their statistics dtype); weight and bias may be NULL
 * (ones, zeros). Forward: training forms each channel's mean and biased variance (M = batch *
 * inner elements; none: NaN saved, running statistics untouched), saves mean and
 * invstd = 1 / sqrt(var + eps), updates running_mean / running_var when not NULL
 * ((1 - momentum) * running + momentum * stat in float64, the variance unbiased); evaluation
 * takes mean and var from the running statistics; then y = (x - mean) * (invstd * weight) + bias.
 * Backward: grad_bias = sum(grad_out), grad_weight = sum(grad_out * xhat) per channel (both
 * written, whatever the caller needs), grad_in = invstd * weight * (grad_out - grad_bias / M -
 * xhat * grad_weight / M) in training, invstd * weight * grad_out in evaluation.
 * workspace: 2 * channels * COMPUTE_CUDA_BATCH_NORM_MAX_SPLITS elements of dtype, for the
 * partial sums of a channel's slices (the kernels split a channel's values over up to that many
 * blocks). */
#define COMPUTE_CUDA_BATCH_NORM_MAX_SPLITS 32
typedef struct compute_cuda_batch_norm {
    int32_t device;
    int32_t dtype;
    void* stream;
    int64_t n; /* channels: zero when there is nothing to do */
    int64_t batch;
    int64_t channels;
    int64_t inner;
    int32_t training;
    int32_t reserved;
    double momentum;
    double eps;
    const void* x;
    const void* weight;
    const void* bias;
    void* running_mean;
    void* running_var;
    void* y;
    void* save_mean;   /* forward: written; backward: read */
    void* save_invstd; /* forward: written; backward: read */
    const void* grad_out;
    void* grad_in;
    void* grad_weight;
    void* grad_bias;
    void* workspace;
} compute_cuda_batch_norm;

#endif /* COMPUTE_CUDA_BACKEND_API_NN_H */
