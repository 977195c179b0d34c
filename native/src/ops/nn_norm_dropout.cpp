// Dropout and feature dropout on the default Philox generator, and their backward. The kernels
// (cpu/kernels/nn_dropout.cpp) draw the mask and scale by it; this file checks, reserves the
// stream and picks the kernel or the general broadcast path.
//
// Stream layout (see core/philox.h): a call that draws n keep decisions reserves ceil(n / 4)
// blocks; decision i uses word w[i % 4] of block offset + i / 4 as rand's float32 uniform
// u = (w >> 8) * 2^-24 and keeps the element (or channel) when u >= p. So P(keep) = 1 - p up to
// the 2^-24 grid, and a seed gives the same mask for any thread count.
//
// The output is x * (kept ? 1 / (1 - p) : 0), as PyTorch's x * (bernoulli(1 - p) / (1 - p)):
// a NaN in a dropped element stays NaN. For float16/bfloat16 the factor 1 / (1 - p) is rounded
// to the dtype first, as PyTorch's native_dropout and native_dropout_backward do.
#include "core/error.h"
#include "core/philox.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"

#include <cstdint>

namespace cmp::cpu {
CMP_DEFINE_STUB(dropout_stub);
CMP_DEFINE_STUB(dropout_apply_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

constexpr int kPerBlock = 4;

void check_p(double p, const char* op) {
    CMP_CHECK(p >= 0.0 && p <= 1.0, INVALID_ARGUMENT, op, ": dropout probability has to be between 0 and 1, but got ", p);
}

double keep_scale(double p) { return p == 1.0 ? 0.0 : 1.0 / (1.0 - p); }

// g * mask * scale for any mask that broadcasts to g, on any device, through the pointwise ops:
// the scale is a 0-dim tensor, so a float16/bfloat16 g gets it rounded to its dtype first.
Tensor apply_mask(const Tensor& g, const Tensor& mask, double p) {
    Tensor out = mul(g, mask);
    mul_(out, scalar_tensor(scalar_float(keep_scale(p)), g.device()));
    return out;
}

std::pair<Tensor, Tensor> dropout_impl(const Tensor& input, double p, bool training, const Shape& mask_shape,
                                       int64_t inner, const char* op) {
    Tensor mask = Tensor::empty(mask_shape, CMP_DTYPE_BOOL, input.device(), op);
    if (!training || p == 0.0) {
        fill_(mask, scalar_bool(true));
        return {clone(input), mask};
    }
    const int64_t rows = mask.numel();
    if (rows == 0) return {Tensor::empty(input.sizes(), input.dtype(), input.device(), op), mask};
    const PhiloxState state = philox_reserve(static_cast<uint64_t>((rows + kPerBlock - 1) / kPerBlock));
    const cpu::DropoutDraw draw{state.seed, state.offset, cpu::dropout_threshold(p)};
    if (!input.device().is_cpu()) {
        // The same decisions drawn on the device into the mask, then applied as the backward does.
        compute_cuda_random r = cuda_ops::random_draw(COMPUTE_CUDA_RANDOM_KEEP, state.seed, state.offset);
        r.threshold = draw.threshold;
        cuda_ops::random(op, r, mask);
        return {apply_mask(input, mask, p), mask};
    }
    Tensor out = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    const Tensor x = contiguous(input);
    cpu::dropout_stub(cpu::DropoutPlan{input.dtype(), rows, inner, keep_scale(p)}, draw, x.data_ptr(), out.data_ptr(),
                      mask.data<bool>());
    return {out, mask};
}

// The kernel's rows for a mask of grad's sizes on its leading dims and 1 on the rest (dropout's
// own mask, or feature dropout's (N, C, 1, ...)): false for any other broadcast, another device
// (the general path dispatches by device), or nothing to do.
bool mask_rows(const Tensor& grad, const Tensor& mask, int64_t& inner) {
    if (grad.numel() == 0 || !grad.device().is_cpu() || !mask.device().is_cpu()) return false;
    int64_t lead = mask.dim();
    while (lead > 0 && mask.size(lead - 1) == 1) --lead;
    for (int64_t d = 0; d < lead; ++d)
        if (mask.size(d) != grad.size(d)) return false;
    inner = nn_norm::prod(grad.sizes(), lead, grad.dim());
    return true;
}

}  // namespace

std::pair<Tensor, Tensor> dropout(const Tensor& input, double p, bool training) {
    const char* op = "dropout";
    nn_norm::require_floating(input, op, "input");
    check_p(p, op);
    return dropout_impl(input, p, training, input.sizes(), 1, op);
}

std::pair<Tensor, Tensor> feature_dropout(const Tensor& input, double p, bool training) {
    const char* op = "feature_dropout";
    nn_norm::require_floating(input, op, "input");
    check_p(p, op);
    CMP_CHECK(input.dim() >= 2, SHAPE_MISMATCH, op, ": expected an (N, C, *) input with at least 2 dims, got shape ",
              input.sizes());
    Shape mask_shape(static_cast<size_t>(input.dim()), 1);
    mask_shape[0] = input.size(0);
    mask_shape[1] = input.size(1);
    return dropout_impl(input, p, training, mask_shape, nn_norm::prod(input.sizes(), 2, input.dim()), op);
}

Tensor dropout_backward(const Tensor& grad_output, const Tensor& mask, double p) {
    const char* op = "dropout_backward";
    nn_norm::require_floating(grad_output, op, "grad_output");
    nn_norm::require(mask, op, "mask");
    check_p(p, op);
    CMP_CHECK(mask.dtype() == CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": mask must be bool, got ", dtype_name(mask.dtype()));
    CMP_CHECK(mask.dim() == grad_output.dim(), SHAPE_MISMATCH, op, ": mask of shape ", mask.sizes(),
              " does not broadcast to grad_output of shape ", grad_output.sizes());
    for (int64_t d = 0; d < mask.dim(); ++d) {
        CMP_CHECK(mask.size(d) == grad_output.size(d) || mask.size(d) == 1, SHAPE_MISMATCH, op, ": mask of shape ",
                  mask.sizes(), " does not broadcast to grad_output of shape ", grad_output.sizes());
    }
    int64_t inner = 1;
    if (mask_rows(grad_output, mask, inner)) {
        const Tensor g = contiguous(grad_output), m = contiguous(mask);
        Tensor out = Tensor::empty(grad_output.sizes(), grad_output.dtype(), grad_output.device(), op);
        cpu::dropout_apply_stub(cpu::DropoutPlan{g.dtype(), m.numel(), inner, keep_scale(p)}, g.data_ptr(), m.data<bool>(),
                                out.data_ptr());
        return out;
    }
    return apply_mask(grad_output, mask, p);
}

}  // namespace cmp::ops
