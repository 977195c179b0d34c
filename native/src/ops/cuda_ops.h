// The ops that run on CUDA tensors today, as the op front-ends call them once TensorIterator
// (or the reduction planner) has checked shapes, dtypes and devices: the layout the engine
// computed is handed to the CUDA backend's one elementwise engine (cuda/backend_api.h).
// An op front-end without a CUDA branch never gets a CUDA tensor: the abi layer refuses CUDA
// tensors for every op not listed in abi/abi_cuda_ops.cpp.
#pragma once

#include "core/iterator.h"
#include "cpu/activation_backward_math.h"
#include "cpu/binary_math_list.h"
#include "cpu/indexing_stubs.h"
#include "cpu/nn_loss_stubs.h"
#include "cpu/nn_norm_stubs.h"
#include "cpu/nn_pool_stubs.h"
#include "cpu/unary_math_list.h"
#include "cuda/backend_api.h"
#include "ops/nn_conv_engine.h"
#include "ops/ops.h"
#include "ops/reductions.h"

#include <optional>

namespace cmp::ops::cuda_ops {

// Whether the iteration's output lives on a CUDA device.
inline bool on_cuda(const TensorIterator& iter) { return !iter.operand(0).device().is_cpu(); }

void fill(TensorIterator& iter, const Scalar& value);
void copy(TensorIterator& iter);
void unary(TensorIterator& iter, compute_cuda_unary_op op);
void binary(TensorIterator& iter, compute_cuda_binary_op op, const Scalar& alpha);
// The unary math family (cpu/unary_math_list.h) and clamp, with the CPU stubs' operands.
void unary_math(TensorIterator& iter, cpu::UnaryMathOp op, const cpu::UnaryMathParams& params);
void clamp(TensorIterator& iter, cpu::ClampMode mode, bool nan_bounds_propagate);
// The binary math family (cpu/binary_math_list.h) with the CPU stub's operands (out, a, b);
// an integer division by zero fails as on the CPU. The ternary ops lerp (value unused),
// addcmul, addcdiv with operands out, a, b, c.
void binary_math(TensorIterator& iter, cpu::BinaryMathOp op);
void ternary_math(TensorIterator& iter, cpu::TernaryMathOp op, const Scalar& value);
// The fused activation derivatives (cpu/activation_backward_math.h) with the CPU stub's operands
// (out, grad_output, x or y).
void activation_backward(TensorIterator& iter, cpu::ActivationBackwardOp op, const cpu::ActivationBackwardParams& params);
// The pointwise losses (cpu/nn_loss_math.h) with the CPU stubs' operands: the forward (out, input,
// target[, weight][, pos_weight]) or the backward (out, grad, ...; grad_target, scale).
void pointwise_loss(TensorIterator& iter, const cpu::PointwiseLossArgs& args, bool backward, bool grad_target, double scale);
// Comparisons (bool out), where (out, condition, a, b) and masked_fill (out, a, mask).
void compare(TensorIterator& iter, CompareOp op);
void where(TensorIterator& iter);
void masked_fill(TensorIterator& iter, const Scalar& value);

// copy_ where dst and src are on different devices (host <-> device, device <-> device):
// staged through a contiguous buffer so that broadcasting, strides and dtype conversion are
// done by the engine of one device. With non_blocking, a dense copy between a CUDA device and
// pinned host memory is queued on the device's current stream and not waited for; the pinned
// block is recorded on that stream, so it is not reused before the copy has run.
void copy_across_devices(const Tensor& dst, const Tensor& src, bool non_blocking);

// A reduction of the CUDA tensor a by the CPU's reduction plan r of it (ops/reductions.h: dims
// checked, output allocated on a's device; the front-end's checks and result dtype done): the
// reduced dims are moved innermost and made dense, one row per output element, and the backend
// reduces the rows into r.plan.out (and args' outputs: indices, means; NULL for none).
void reduce(const char* op, compute_cuda_reduce_op kind, const Tensor& a, const PlannedReduction& r,
            const compute_cuda_reduce_args* args);
// sum, mean, prod, amax, amin, any or all over dims: plans, reduces and returns the result.
Tensor reduce(const char* op, compute_cuda_reduce_op kind, const Tensor& a, const Shape& dims, bool keepdim,
              DType out_dtype);

// softmax / log_softmax of the dense CUDA tensor x into out (dense, x's sizes and dtype) by
// the CPU's [outer, dim, inner] plan of them (ops/nn_norm_softmax.cpp), and the gradient from
// the dense grad_output go and forward output y into grad_input gi by the same plan.
void softmax(const char* op, const cpu::SoftmaxPlan& plan, const Tensor& x, const Tensor& out, bool log);
void softmax_backward(const char* op, const cpu::SoftmaxPlan& plan, const Tensor& go, const Tensor& y,
                      const Tensor& gi, bool log);
// cumsum / cumprod of the CUDA tensor a (already in the result dtype) along the wrapped dim w
// into out (dense, a's sizes and dtype); a is made dense first when it is not.
void scan(const char* op, compute_cuda_scan_op kind, const Tensor& a, int64_t w, const Tensor& out);
// tril / triu (upper) of the CUDA tensor t (at least 2 dims) at `diagonal`: a new dense tensor;
// t is made dense first when it is not.
Tensor triangle(const char* op, const Tensor& t, int64_t diagonal, bool upper);

// c[i] = alpha * a[i] @ b[i] + beta * c[i] for the 3-D CUDA views a ([batch, m, k]), b
// ([batch, k, n]) and c ([batch, m, n], dense rows) of one dtype, checked by the front-end
// (cuda_linalg.cpp): float32 (TF32 when cuda::allow_tf32()), float64, float16 and bfloat16
// through cuBLAS, other dtypes refused naming op. An operand cuBLAS cannot read as it is
// (cuda/gemm_layout.h) is made contiguous first; k == 0 gives beta * c (0 for beta 0)
// with the elementwise kernels. With beta 0, c is not read.
void gemm(const char* op, const Tensor& a, const Tensor& b, double alpha, double beta, const Tensor& c);
// c[0] = alpha * a[0] @ b[0] + bias broadcast over the rows (bias dense [n], k > 0, one matrix):
// cuBLASLt's bias epilogue, one pass (cuda/gemm_lt.cpp).
void gemm_bias(const char* op, const Tensor& a, const Tensor& b, double alpha, const Tensor& bias, const Tensor& c);

// A random fill of the dense tensor out from the Philox blocks the caller reserved: r carries
// the op, seed, offset and the op's parameters; device, stream, dtype, count and data come from
// out (ops/random.cpp, ops/distributions.cpp, ops/nn_norm_dropout.cpp).
void random(const char* op, compute_cuda_random r, const Tensor& out);

// Fused scaled dot-product attention (ops/attention.cpp): the forward, or with backward the
// gradients, that a describes on device; device and stream are set here, the rest is the caller's.
void attention(const char* op, compute_cuda_attention a, bool backward, Device device);
// Fused batch norm (ops/nn_norm_batchnorm.cpp): the forward, or with backward the gradients, that
// b describes on device; device and stream are set here, the rest is the caller's.
void batch_norm(const char* op, compute_cuda_batch_norm b, bool backward, Device device);

// A fused optimizer step (ops/optim.cpp) described by o: buffers, sizes and arguments are the caller's.
void optim_step(const char* op, const compute_cuda_optim& o);

// Layer norm, RMS norm and group norm (ops/nn_norm_layer.cpp) of dense CUDA tensors on device,
// by the CPU's plan and with the CPU kernel's operands (device pointers), and their gradients.
void row_norm(const char* op, const cpu::RowNormPlan& plan, Device device, const cpu::RowNormData& d);
void row_norm_backward(const char* op, const cpu::RowNormPlan& plan, Device device, const cpu::RowNormGrads& g);

// cross_entropy / nll_loss rows of the class-loss problem a (ops/nn_loss_class.cpp: dense
// operands on device, checked by the CPU's front-end) through the backend's class_loss entry.
// Forward: the per-row loss (may be undefined: row weights only) and row weights into dense
// tensors of the accumulation dtype (float64 for float64, float32 otherwise). Backward: the
// gradients from grad_rows (that dtype; one value per row, or a 0-dim value for every row) into
// grad_input and grad_target (may be undefined), dense and of a's dtype. A class index out of
// range fails with INDEX_OUT_OF_RANGE and the CPU kernel's message.
void class_loss_forward(const cpu::ClassLossArgs& a, const Tensor& loss, const Tensor& row_weight);
void class_loss_backward(const cpu::ClassLossArgs& a, const Tensor& grad_rows, const Tensor& grad_input,
                         const Tensor& grad_target);
// out = self gathered along dim by the int64 index (gather, index_select's index seen along
// every dim, embedding's rows): out has index's shape, every other dim of index no larger than
// self's (the front-end's checks), strides as they are. Returns the value of the first index
// (row-major over index's shape) outside [0, self.size(dim)), for the front-end's message.
std::optional<int64_t> gather(const char* op, const Tensor& out, const Tensor& self, int64_t dim, const Tensor& index);
// self (in place) scattered into along dim by the int64 index from src (or value when src is
// undefined) times alpha, combined by op (compute_cuda_scatter_op; the core's ScatterReduce
// values), shapes checked by the front-end. Returns the value of the first bad index (row-major
// over index's shape), self untouched then.
std::optional<int64_t> scatter(const char* op, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                               const Scalar& value, int32_t reduce, const Scalar& alpha);
// embedding's dense gradient [num_weights, grad_out.size(-1)] from the CUDA grad_out and the
// int64 indices (grad_out's shape without its last dim); padding_idx -1 for none. Returns the
// first index outside [0, num_weights) in *bad (the result is then undefined).
Tensor embedding_backward(const char* op, const Tensor& grad_out, const Tensor& indices, int64_t num_weights,
                          int64_t padding_idx, bool scale_grad_by_freq, std::optional<int64_t>* bad);

// nonzero of the CUDA tensor self (ops/cuda_index.cpp): int64 [count, self.dim()] in the CPU's
// row-major order; the count is read back once (the result's size depends on it, as in PyTorch).
Tensor nonzero(const char* op, const Tensor& self);
// masked_select of self by mask (bool), both already broadcast to one shape: self's elements
// where mask is true, in row-major order, as a new 1-D tensor (the count read back once).
Tensor masked_select(const char* op, const Tensor& self, const Tensor& mask);
// The advanced index of plan (ops/indexing_advanced.cpp) on the device: GET into out (dense,
// plan.shape), or PUT / PUT_ACCUMULATE of values (plan.shape) into plan.src's elements. Every
// index is checked before anything is written; the first bad one (row-major position, then
// operand) comes back as (operand k, value) for the CPU kernel's message.
struct IndexFailure {
    int64_t operand, value;
};
std::optional<IndexFailure> advanced_index(const char* op, const cpu::AdvancedIndexPlan& plan, const Tensor& values,
                                           compute_cuda_advanced_index_op kind);

// The convolution engine's passes (ops/nn_conv_engine.h: dense operands of one device, float32
// or float64, checked and prepared by the front-ends) on CUDA (ops/cuda_conv.cpp): im2col /
// col2im on the device around cuBLAS products, the batch in chunks whose column matrices stay
// under 256 MB; deterministic (col2im is a gather, the weight gradient sums its images inside
// the GEMMs).
void conv_forward(const conv_engine::Problem& p, const Tensor& image, const Tensor& weight, const Tensor& bias,
                  const Tensor& out);
void conv_backward_image(const conv_engine::Problem& p, const Tensor& grad_out, const Tensor& weight,
                         const Tensor& bias, const Tensor& grad_image);
void conv_backward_weight(const conv_engine::Problem& p, const Tensor& image, const Tensor& grad_out,
                          const Tensor& grad_weight);
void conv_unfold(const conv_engine::Problem& p, const Tensor& image, const Tensor& cols);
void conv_fold(const conv_engine::Problem& p, const Tensor& cols, const Tensor& image);
// Sets the column budget of a chunk in bytes (256 MB by default) and returns the previous one;
// for tests, which set 1 to run every convolution in chunks of one image.
int64_t set_conv_column_budget(int64_t bytes);
// The pooling pass p describes (ops/nn_pool.cpp: op, planes, dims, divisor) from the dense CUDA
// tensor src into dst (and indices: written by POOL_MAX, read by POOL_MAX_BACKWARD); dtype, n
// (dst's elements) and pointers from the tensors. Returns the value of MAX_BACKWARD's first index
// outside its plane, nothing written then.
std::optional<int64_t> pool(const char* op, compute_cuda_pool p, const Tensor& src, const Tensor& dst,
                            const Tensor& indices);
// randperm's permutation into the dense out (n = out.numel() <= 2^31 - 1, any numeric dtype but
// bool, every value representable: the front-end's checks) from blocks offset.. of seed.
void randperm(const char* op, uint64_t seed, uint64_t offset, const Tensor& out);
// multinomial's checks of the dense float64 probs [rows, categories] on its device (one word
// read back): nothing when they pass, else the CPU's first failure as (row, category, value),
// category == categories for a row whose sum is not positive.
struct MultinomialFailure {
    int64_t row, category;
    double value;
};
std::optional<MultinomialFailure> multinomial_check(const char* op, const Tensor& probs);
// multinomial's samples into the dense int64 out [rows, num_samples] from the checked probs and
// the dense float64 u ([rows, num_samples] with replacement, [rows, categories] without).
void multinomial_sample(const char* op, const Tensor& probs, const Tensor& u, bool replacement, const Tensor& out);

// sort / argsort / msort / topk (ops/cuda_sort_search.cpp): every dense row of len elements of the
// CUDA tensor in (any dtype, at most 2^31 - 1 elements) sorted in the CPU's order (cpu/sort_key.h:
// stable, NaN largest, -0.0 equal to 0.0, ties in increasing index whatever the direction) into
// the dense int64 indices and, when defined, the dense values (in's dtype), both shaped like in.
void sort_rows(const char* op, const Tensor& in, int64_t len, bool descending, const Tensor& values,
               const Tensor& indices);
// searchsorted / bucketize: out (dense int64 or int32, values' sizes) = the position of each dense
// value in its row of the dense sequence seq (rows of seq.size(-1) > 0 elements; value i is in row
// i / (values.numel() / rows)), through the dense int64 sorter (checked entries) when defined;
// seq and values share a dtype other than bool (the front-end's promotion).
void search(const char* op, const Tensor& seq, const Tensor& sorter, const Tensor& values, bool right,
            const Tensor& out);
// The interpolate pass of the CPU front-end's plan (ops/nn_pool_interp.cpp: the taps of every
// dim) from the dense CUDA tensor src into dst (dense, written whole): the forward (src the
// input) or, with backward, the input gradient (src grad_output). The taps, or their inverse
// lists, are moved to the device in one transfer (cuda_interp.cpp).
void interpolate(const char* op, const cpu::InterpPlan& plan, bool backward, const Tensor& src, const Tensor& dst);
// grid_sample's pass (ops/nn_pool_grid.cpp) over the dense CUDA tensors input and grid of one
// dtype: the forward into out when grad_output is undefined, else the backward into grad_input
// (out) and grad_grid, both written whole. Does nothing when the output has no element.
void grid_sample(const char* op, const cpu::GridSampleArgs& a, const Tensor& input, const Tensor& grid,
                 const Tensor& grad_output, const Tensor& out, const Tensor& grad_grid);

// A random fill's description with its op and the reserved blocks; the op's parameters are the caller's.
inline compute_cuda_random random_draw(compute_cuda_random_op op, uint64_t seed, uint64_t offset) {
    compute_cuda_random r{};
    r.op = op;
    r.seed = seed;
    r.offset = offset;
    return r;
}

}  // namespace cmp::ops::cuda_ops
