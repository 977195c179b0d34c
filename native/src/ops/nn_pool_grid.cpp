// Front-end of grid_sample 2-d (F.grid_sample) and its backward: checks the input/grid pair
// with PyTorch's rules and runs the kernels of cpu/kernels/nn_pool_grid.cpp, or for CUDA tensors
// the device passes (ops/cuda_interp.cpp, cuda/grid_sample.cu), which give the CPU's values.
#include "ops/nn_pool.h"
#include "ops/nn_pool_util.h"

#include "core/device.h"
#include "cpu/nn_pool_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(grid_sample_stub);
CMP_DEFINE_STUB(grid_sample_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

using namespace pool_util;

namespace {

cpu::GridSampleArgs grid_args(int32_t mode, int32_t padding_mode, bool align_corners, const char* op) {
    CMP_CHECK(mode == CMP_GRID_SAMPLE_BILINEAR || mode == CMP_GRID_SAMPLE_NEAREST, INVALID_ARGUMENT, op,
              ": mode must be bilinear (0) or nearest (1), got ", mode);
    CMP_CHECK(padding_mode >= CMP_GRID_PADDING_ZEROS && padding_mode <= CMP_GRID_PADDING_REFLECTION, INVALID_ARGUMENT, op,
              ": padding_mode must be zeros (0), border (1) or reflection (2), got ", padding_mode);
    return {mode == CMP_GRID_SAMPLE_NEAREST, padding_mode, align_corners};
}

// Checks input [N, C, H, W] and grid [N, Ho, Wo, 2] and returns them contiguous in the compute dtype.
std::pair<Tensor, Tensor> grid_inputs(const Tensor& input, const Tensor& grid, const char* op) {
    CMP_CHECK(input.defined() && grid.defined(), INVALID_ARGUMENT, op, ": input and grid must be defined");
    require_available(input.device(), op);
    same_device(grid, input, op, "grid");
    CMP_CHECK(input.dim() == 4, SHAPE_MISMATCH, op, ": expected a 4-D input [N, C, H, W], got shape ", input.sizes());
    CMP_CHECK(grid.dim() == 4 && grid.size(3) == 2, SHAPE_MISMATCH, op, ": expected a grid of shape [N, H_out, W_out, 2], got ",
              grid.sizes());
    CMP_CHECK(grid.size(0) == input.size(0), SHAPE_MISMATCH, op, ": input of shape ", input.sizes(), " and grid of shape ",
              grid.sizes(), " have different batch sizes");
    CMP_CHECK(input.size(2) > 0 && input.size(3) > 0, SHAPE_MISMATCH, op,
              ": expected an input with non-empty spatial dims, got shape ", input.sizes());
    CMP_CHECK(is_floating(input.dtype()), DTYPE_MISMATCH, op, ": not implemented for dtype ", dtype_name(input.dtype()));
    CMP_CHECK(grid.dtype() == input.dtype(), DTYPE_MISMATCH, op, ": input (", dtype_name(input.dtype()), ") and grid (",
              dtype_name(grid.dtype()), ") must have the same dtype");
    const DType c = compute_dtype(input.dtype());
    return {contiguous(to_dtype(input, c)), contiguous(to_dtype(grid, c))};
}

}  // namespace

Tensor grid_sample(const Tensor& input, const Tensor& grid, int32_t mode, int32_t padding_mode, bool align_corners) {
    const char* op = "grid_sample";
    const cpu::GridSampleArgs a = grid_args(mode, padding_mode, align_corners, op);
    auto [x, g] = grid_inputs(input, grid, op);
    Tensor out = Tensor::empty({x.size(0), x.size(1), g.size(1), g.size(2)}, x.dtype(), x.device());
    if (!x.device().is_cpu()) cuda_ops::grid_sample(op, a, x, g, Tensor(), out, Tensor());
    else if (out.numel() > 0) cpu::grid_sample_stub(a, x, g, out);
    return to_caller(out, input.dtype());
}

std::pair<Tensor, Tensor> grid_sample_backward(const Tensor& grad_output, const Tensor& input, const Tensor& grid,
                                               int32_t mode, int32_t padding_mode, bool align_corners) {
    const char* op = "grid_sample_backward";
    const cpu::GridSampleArgs a = grid_args(mode, padding_mode, align_corners, op);
    auto [x, g] = grid_inputs(input, grid, op);
    same_device(grad_output, input, op, "grad_output");
    Tensor go = grad_arg(grad_output, input.dtype(), {x.size(0), x.size(1), g.size(1), g.size(2)}, op, "grad_output");
    if (!x.device().is_cpu()) {
        // The device passes write every element; with no sample there is nothing to add.
        const bool empty = go.numel() == 0;
        Tensor grad_input = empty ? full(x.sizes(), scalar_int(0), x.dtype(), x.device())
                                  : Tensor::empty(x.sizes(), x.dtype(), x.device());
        Tensor grad_grid = empty ? full(g.sizes(), scalar_int(0), x.dtype(), x.device())
                                 : Tensor::empty(g.sizes(), x.dtype(), x.device());
        if (!empty) cuda_ops::grid_sample(op, a, x, g, go, grad_input, grad_grid);
        return {to_caller(grad_input, input.dtype()), to_caller(grad_grid, input.dtype())};
    }
    Tensor grad_input = zeros(x.sizes(), x.dtype());
    Tensor grad_grid = zeros(g.sizes(), x.dtype());
    if (go.numel() > 0) cpu::grid_sample_backward_stub(a, go, x, g, grad_input, grad_grid);
    return {to_caller(grad_input, input.dtype()), to_caller(grad_grid, input.dtype())};
}

}  // namespace cmp::ops
