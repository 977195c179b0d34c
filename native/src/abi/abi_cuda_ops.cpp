// Which ABI functions accept CUDA tensors and devices today. CUDA support arrives op by op;
// every other function refuses a CUDA tensor (or a CUDA device for a new tensor) here, at the
// door, with a message naming the op and the device, so no CPU kernel ever dereferences device
// memory. An op joins the list when its front-end has a CUDA branch (ops/cuda_ops.h) and a
// device-parity test (tests/cuda).
#include "abi_util.h"
#include "cpu/activation_backward_math.h"
#include "cpu/binary_math_list.h"
#include "cpu/unary_math_list.h"

#include <cstring>
#include <string_view>

namespace cmp::abi {

namespace {

// Metadata and views touch no element; the rest have CUDA kernels or move data between devices.
constexpr std::string_view kCudaOps[] = {
    // metadata
    "tensor_device", "tensor_dtype", "tensor_element_size", "tensor_is_contiguous", "tensor_ndim", "tensor_numel",
    "tensor_offset", "tensor_sizes", "tensor_storage_nbytes", "tensor_storage_use_count", "tensor_strides",
    "tensor_version",
    // reading elements back to the host (a synchronous device-to-host copy)
    "item", "tensor_copy_to_buffer",
    // views
    "view", "reshape", "permute", "transpose", "slice", "select", "narrow", "expand", "squeeze", "unsqueeze",
    "as_strided", "flatten",
    // creation and copies
    "empty", "zeros", "ones", "full", "scalar_tensor", "from_external", "empty_like", "zeros_like", "ones_like",
    "full_like", "to_device", "to_dtype", "contiguous", "clone", "copy_", "fill_", "pin_memory", "is_pinned", "record_stream",
    // factories on top of those (eye: fill_ on a diagonal view) or built on the CPU and moved
    // (arange, linspace, logspace, tril_indices, triu_indices)
    "eye", "arange", "linspace", "logspace", "tril_indices", "triu_indices",
    // more views: diagonal and the pieces of split / split_with_sizes / chunk / unbind
    "diagonal", "split", "split_with_sizes", "chunk", "unbind",
    // rearranging copies: flip (a view with negative strides, laid out by the copy kernel),
    // roll (block copies), tril / triu (their own kernel); cat / stack (copy_ into narrow views
    // of the result), repeat / tile / repeat_interleave with a number (a broadcast view copied),
    // repeat_interleave with tensor repeats (the counts read back to the host, then
    // index_select), diag (fill_ and copy_ through a diagonal view, or a clone of one), pad
    // (constant: fill_ and one block copy_; reflect / replicate / circular: index_select per
    // padded dim) and its backward (copy_, or index_add per padded dim)
    "flip", "roll", "tril", "triu", "cat", "stack", "repeat", "tile", "repeat_interleave", "diag", "pad",
    "pad_backward",
    // kernels
    "add", "add_", "sub", "sub_", "mul", "mul_", "div", "div_", "neg", "exp",
    // reductions over dims (also with a dtype), max and min with and without a dim, the index,
    // moment and norm reductions, the scans
    "sum", "mean", "prod", "amax", "amin", "max", "min", "any", "all", "argmax", "argmin", "var", "std", "var_mean",
    "std_mean", "vector_norm", "logsumexp", "count_nonzero", "cumsum", "cumprod",
    // softmax and its backward
    "softmax", "log_softmax", "softmax_backward", "log_softmax_backward",
    // layer norm, RMS norm and group norm with their backward (cuda/row_norm.cu)
    "layer_norm", "layer_norm_backward", "rms_norm", "rms_norm_backward", "group_norm", "group_norm_backward",
    // batch norm with its backward: var_mean, sum and elementwise ops (ops/nn_norm_batchnorm.cpp)
    "batch_norm", "batch_norm_backward",
    // pooling (cuda/pool.cu): max, average and adaptive pooling with their backward (adaptive
    // max pooling's is max_pool_backward); every pass deterministic, the CPU's values
    "max_pool", "max_pool_backward", "avg_pool", "avg_pool_backward", "adaptive_avg_pool",
    "adaptive_avg_pool_backward", "adaptive_max_pool",
    // interpolate (cuda/interpolate.cu): the CPU's taps uploaded, the backward a gather over
    // their inverse lists; the CPU's values
    "interpolate", "interpolate_backward",
    // grid_sample 2-d (cuda/grid_sample.cu): the CPU's coordinate math, the input gradient a
    // sorted gather; the CPU's values
    "grid_sample", "grid_sample_backward",
    // indexing (cuda/index.cu): gather, index_select, embedding (without max_norm) and its
    // dense backward, the scatter family (scatter_reduce's mean divides with the elementwise ops)
    "gather", "index_select", "embedding", "embedding_backward", "scatter", "scatter_add", "scatter_add_",
    "scatter_reduce", "index_add", "index_add_",
    // nonzero and masked_select (cuda/nonzero.cu: the count read back once, then the rows or the
    // elements), advanced indexing and its puts (cuda/advanced_index.cu: deterministic puts, the
    // CPU's bits; bool / uint8 masks become indices through nonzero)
    "nonzero", "masked_select", "index", "index_put", "index_put_",
    // the unary math family, from its op table (both forms; an op without an in-place form
    // has no cmp_<name>_ to call), and clamp
#define CMP_CUDA_UNARY_NAMES(Name, name, domain, inplace) #name, #name "_",
    CMP_UNARY_MATH_OPS(CMP_CUDA_UNARY_NAMES)
#undef CMP_CUDA_UNARY_NAMES
    "clamp", "clamp_", "clamp_min", "clamp_max",
    // the fused activation derivatives, from their op table (gelu's two forms share one name)
#define CMP_CUDA_ACTIVATION_BACKWARD_NAMES(Name, name, of_result) #name "_backward",
    CMP_ACTIVATION_BACKWARD_OPS(CMP_CUDA_ACTIVATION_BACKWARD_NAMES)
#undef CMP_CUDA_ACTIVATION_BACKWARD_NAMES
    // the pointwise losses (cuda/pointwise_loss.cu; the reductions around them are the sum / mean
    // kernels); cmp_<loss>_backward checks its tensors under the loss's own name (abi_nn_loss.cpp)
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "kl_div",
    // the binary and ternary math families, from their op tables (div with a rounding mode is
    // "div", above; floor_divide is div with rounding mode floor under its own name)
#define CMP_CUDA_BINARY_NAMES(Name, name, inplace, domain, int_to_float, bool_out) #name, #name "_",
    CMP_BINARY_MATH_OPS(CMP_CUDA_BINARY_NAMES)
#undef CMP_CUDA_BINARY_NAMES
#define CMP_CUDA_TERNARY_NAMES(Name, name, domain) #name, #name "_",
    CMP_TERNARY_MATH_OPS(CMP_CUDA_TERNARY_NAMES)
#undef CMP_CUDA_TERNARY_NAMES
    "floor_divide", "floor_divide_",
    // matrix products (cuBLAS; outer is a broadcast mul, einsum lowers to bmm, sum and mul)
    "matmul", "mm", "bmm", "mv", "dot", "outer", "addmm", "baddbmm", "addmv", "einsum",
    // random fills from the Philox stream, the CPU's numbers for a seed (normal / normal_ /
    // uniform_ map randn's / rand's numbers by core/philox_values.h's philox_affine in the fill),
    // dropout (the keep mask drawn on the device, applied by mul) and its backward
    "rand", "randn", "randint", "rand_like", "randn_like", "bernoulli", "normal", "normal_", "uniform_", "dropout",
    "feature_dropout", "dropout_backward",
    // randperm (keys drawn on the device, CUB's stable radix sort) and multinomial (checks and
    // samples on the device, core/multinomial_rows.h): the CPU's numbers for a seed
    "randperm", "multinomial",
    // sorting and searching (cuda/sort_search.cu: cpu/sort_key.h's keys through CUB's stable radix
    // sort, topk as the head of that sort; the bisection per value): the CPU's values and indices
    "sort", "argsort", "msort", "topk", "searchsorted", "bucketize",
    // unique / unique_consecutive (ops/sort_search_unique.cpp): the sorts and searches above with
    // compare, any, sum, index_select; the number of groups read back (one synchronous copy)
    "unique", "unique_consecutive",
    // the fused optimizer steps (cuda/optim.cu runs the CPU kernels' element updates)
    "sgd_step", "adam_step", "adamw_step", "rmsprop_step", "adagrad_step",
    // the class losses, forward and backward (cuda/class_loss.cu; the reductions are sum and div)
    "cross_entropy", "cross_entropy_backward", "nll_loss", "nll_loss_backward",
    // attention and its backward as a composition (gemm, mask, logsumexp, softmax, the dropout
    // keep mask at the CPU kernel's stream position; ops/attention.cpp), not a fused kernel
    "scaled_dot_product_attention", "scaled_dot_product_attention_backward",
    // convolutions, forward and backward, and unfold / fold (cuda/im2col.cu's im2col / col2im
    // around the cuBLAS products; 16-bit floats computed in float32 as on the CPU)
    "conv", "conv_backward", "conv_transpose", "conv_transpose_backward", "unfold", "fold",
    // comparisons and selections
    "eq", "ne", "lt", "le", "gt", "ge", "where", "masked_fill", "masked_fill_",
    // device-wide functions
    "cmp_memory_stats_get", "cmp_empty_cache",
};

bool runs_on_cuda(const char* op) {
    const std::string_view name(op);
    for (std::string_view allowed : kCudaOps)
        if (name == allowed) return true;
    return false;
}

}  // namespace

void check_device_supported(Device device, const char* op, const char* arg) {
    if (device.is_cpu()) return;
    require_available(device, op);  // "not available" (and why) says more than "not implemented"
    if (runs_on_cuda(op)) return;
    fail(CMP_STATUS_DEVICE_ERROR,
         str(op, ": not implemented on CUDA yet (argument '", arg, "' is on ", device.str(),
             "); move the tensors to the CPU with to(cpu) first"));
}

}  // namespace cmp::abi
