// cross_entropy and nll_loss front-ends: argument checks with PyTorch's rules, the
// (outer, classes, inner) layout the kernels read, and the reduction of the per-row losses.
// CUDA tensors take the same checks and layout; their rows go to the backend's class_loss entry
// (ops/cuda_ops.h) and the reductions are the device's sum and div, nothing read back.
#include "ops/nn_loss.h"

#include "core/promotion.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <cmath>
#include <limits>
#include <vector>

namespace cmp::cpu {
CMP_DEFINE_STUB(class_loss_forward_stub);
CMP_DEFINE_STUB(class_loss_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

Reduction reduction_arg(int32_t value, const char* op, bool allow_batchmean) {
    CMP_CHECK(value >= 0 && value <= (allow_batchmean ? 3 : 2), INVALID_ARGUMENT, op, ": invalid reduction ", value,
              allow_batchmean ? " (expected NONE, MEAN, SUM or BATCHMEAN)" : " (expected NONE, MEAN or SUM)");
    return static_cast<Reduction>(value);
}

namespace {

constexpr int64_t kDefaultIgnoreIndex = -100;

// PyTorch's message (core/iterator.cpp gives it for the elementwise ops).
void check_same_device(const char* op, const Tensor& a, const Tensor& b) {
    CMP_CHECK(a.device() == b.device(), DEVICE_ERROR, op,
              ": Expected all tensors to be on the same device, but found at least two devices, ", a.device().str(), " and ",
              b.device().str(), "!");
}

// A validated class-loss call: contiguous operands (kept alive here) and the kernel's view.
struct ClassProblem {
    Tensor input, target, weight;
    cpu::ClassLossArgs args{};
    Shape row_shape;  // shape of the unreduced loss: input without its class dim
    int64_t rows() const { return args.outer * args.inner; }
};

ClassProblem make_problem(const char* op, const Tensor& input, const Tensor& target, const Tensor& weight,
                          int64_t ignore_index, double smoothing, bool logits) {
    CMP_CHECK(is_floating(input.dtype()), DTYPE_MISMATCH, op, ": expected a floating input, got ", dtype_name(input.dtype()),
              " with shape ", input.sizes());
    CMP_CHECK(input.dim() >= 1, SHAPE_MISMATCH, op, ": input must have at least 1 dim (classes), got shape ", input.sizes());
    CMP_CHECK(smoothing >= 0.0 && smoothing <= 1.0, INVALID_ARGUMENT, op, ": label_smoothing must be between 0.0 and 1.0, got ",
              smoothing);
    check_same_device(op, input, target);
    if (weight.defined()) check_same_device(op, input, weight);
    ClassProblem p;
    const int64_t class_dim = input.dim() == 1 ? 0 : 1;
    p.row_shape = input.sizes();
    p.row_shape.erase(p.row_shape.begin() + class_dim);
    p.args.op = op;
    p.args.classes = input.size(class_dim);
    p.args.outer = class_dim == 0 ? 1 : input.size(0);
    p.args.inner = 1;
    for (int64_t d = 2; d < input.dim(); ++d) p.args.inner *= input.size(d);
    p.args.ignore_index = ignore_index;
    p.args.smoothing = smoothing;
    p.args.logits = logits;
    // Probability targets: PyTorch takes that path when target has input's shape.
    p.args.prob_target = logits && target.sizes() == input.sizes();
    DType dtype = input.dtype();
    if (p.args.prob_target) {
        CMP_CHECK(is_floating(target.dtype()), DTYPE_MISMATCH, op,
                  ": expected a floating target with class probabilities (target has input's shape ", input.sizes(),
                  "), got ", dtype_name(target.dtype()));
        CMP_CHECK(ignore_index == kDefaultIgnoreIndex, INVALID_ARGUMENT, op,
                  ": ignore_index is not supported for floating point (probability) targets");
        dtype = promote_types(input.dtype(), target.dtype());
        p.target = contiguous(to_dtype(target, dtype));
    } else {
        CMP_CHECK(target.dtype() == CMP_DTYPE_INT64, DTYPE_MISMATCH, op, ": expected int64 class indices as target, got ",
                  dtype_name(target.dtype()), " with shape ", target.sizes(), " (input shape ", input.sizes(), ")");
        CMP_CHECK(target.sizes() == p.row_shape, SHAPE_MISMATCH, op, ": expected target of shape ", p.row_shape,
                  " for input of shape ", input.sizes(), ", got ", target.sizes());
        p.target = contiguous(target);
    }
    p.input = contiguous(to_dtype(input, dtype));
    if (weight.defined()) {
        CMP_CHECK(weight.dim() == 1 && weight.size(0) == p.args.classes, SHAPE_MISMATCH, op,
                  ": weight must be a 1-D tensor with one value per class (", p.args.classes, "), got shape ", weight.sizes());
        CMP_CHECK(weight.dtype() == input.dtype(), DTYPE_MISMATCH, op, ": weight has dtype ", dtype_name(weight.dtype()),
                  ", expected input's dtype ", dtype_name(input.dtype()));
        p.weight = contiguous(to_dtype(weight, dtype));
    }
    p.args.dtype = dtype;
    p.args.input = p.input.data_ptr();
    p.args.target = p.target.data_ptr();
    p.args.weight = p.weight.defined() ? p.weight.data_ptr() : nullptr;
    return p;
}

// The accumulation dtype of the CUDA path's per-row values (PyTorch's CUDA kernels'): float64
// for float64, float32 otherwise.
DType cuda_acc_dtype(DType dtype) { return dtype == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32; }

// The weight MEAN divides by on the device: the sum of the row weights.
Tensor cuda_weight_total(const ClassProblem& p) {
    Tensor row_weight = empty({p.rows()}, cuda_acc_dtype(p.args.dtype), p.input.device());
    cuda_ops::class_loss_forward(p.args, Tensor(), row_weight);
    return sum(row_weight, {}, false);
}

Tensor reduce_rows_cuda(const ClassProblem& p, Reduction reduction) {
    const DType acc = cuda_acc_dtype(p.args.dtype);
    Tensor loss = empty({p.rows()}, acc, p.input.device());
    Tensor row_weight = empty({p.rows()}, acc, p.input.device());
    cuda_ops::class_loss_forward(p.args, loss, row_weight);
    if (reduction == Reduction::None) return to_dtype(reshape(loss, p.row_shape), p.args.dtype);
    Tensor total = sum(loss, {}, false);
    if (reduction == Reduction::Mean) total = div(total, sum(row_weight, {}, false));
    return to_dtype(total, p.args.dtype);
}

// The reduced (or unreduced) loss from the kernel's per-row values. MEAN divides by the summed
// row weights, which is 0 (so the result NaN) when every target is ignored, as in PyTorch.
Tensor reduce_rows(const ClassProblem& p, Reduction reduction) {
    if (!p.input.device().is_cpu()) return reduce_rows_cuda(p, reduction);
    const int64_t rows = p.rows();
    Tensor loss = empty({rows}, CMP_DTYPE_FLOAT64, p.input.device());
    std::vector<double> row_weight(static_cast<size_t>(rows));
    cpu::class_loss_forward_stub(p.args, loss.data<double>(), row_weight.data());
    if (reduction == Reduction::None) return to_dtype(reshape(loss, p.row_shape), p.args.dtype);
    double total = 0, weight_total = 0;
    const double* l = loss.data<double>();
    for (int64_t r = 0; r < rows; ++r) {
        total += l[r];
        weight_total += row_weight[static_cast<size_t>(r)];
    }
    const double value = reduction == Reduction::Mean ? total / weight_total : total;
    return full({}, scalar_float(value), p.args.dtype, p.input.device());
}

// The weight MEAN divides by: summed class weights of the non-ignored targets (a count for
// probability targets). Range errors are reported by the kernel.
double mean_divisor(const ClassProblem& p) {
    if (p.args.prob_target) return static_cast<double>(p.rows());
    const int64_t* t = p.target.data<int64_t>();
    std::vector<double> w;
    if (p.weight.defined()) {
        Tensor w64 = contiguous(to_dtype(p.weight, CMP_DTYPE_FLOAT64));
        w.assign(w64.data<double>(), w64.data<double>() + p.args.classes);
    }
    double total = 0;
    for (int64_t r = 0; r < p.rows(); ++r) {
        if (t[r] == p.args.ignore_index || t[r] < 0 || t[r] >= p.args.classes) continue;
        total += w.empty() ? 1.0 : w[static_cast<size_t>(t[r])];
    }
    return total;
}

// Runs the backward kernel: grad_output is shaped like the forward result.
std::pair<Tensor, Tensor> backward_rows(const ClassProblem& p, const Tensor& grad_output, Reduction reduction,
                                        bool want_target) {
    const char* op = p.args.op;
    check_same_device(op, p.input, grad_output);
    if (reduction == Reduction::None) {
        CMP_CHECK(grad_output.sizes() == p.row_shape, SHAPE_MISMATCH, op, "_backward: grad_output has shape ",
                  grad_output.sizes(), ", expected ", p.row_shape, " (the unreduced loss)");
    } else {
        CMP_CHECK(grad_output.numel() == 1 && grad_output.dim() == 0, SHAPE_MISMATCH, op,
                  "_backward: grad_output must be a 0-dim tensor for a reduced loss, got shape ", grad_output.sizes());
    }
    Tensor grad_input = empty(p.input.sizes(), p.args.dtype, p.input.device());
    Tensor grad_target;
    if (want_target && p.args.prob_target) grad_target = empty(p.target.sizes(), p.args.dtype, p.input.device());
    if (!p.input.device().is_cpu()) {
        // grad_output per row (NONE), or one value for every row: itself (SUM) or divided by
        // the summed row weights (MEAN), all on the device.
        Tensor grad_rows = to_dtype(grad_output, cuda_acc_dtype(p.args.dtype));
        if (reduction == Reduction::None) grad_rows = contiguous(grad_rows);
        else if (reduction == Reduction::Mean) grad_rows = div(grad_rows, cuda_weight_total(p));
        cuda_ops::class_loss_backward(p.args, grad_rows, grad_input, grad_target);
        return {grad_input, grad_target};
    }
    Tensor grad_rows;
    double grad_scalar = 0;
    if (reduction == Reduction::None) {
        grad_rows = contiguous(to_dtype(grad_output, CMP_DTYPE_FLOAT64));
    } else {
        grad_scalar = item(to_dtype(grad_output, CMP_DTYPE_FLOAT64), {}).f;
        if (reduction == Reduction::Mean) grad_scalar /= mean_divisor(p);
    }
    cpu::class_loss_backward_stub(p.args, grad_rows.defined() ? grad_rows.data<double>() : nullptr, grad_scalar,
                                  grad_input.data_ptr(), grad_target.defined() ? grad_target.data_ptr() : nullptr);
    return {grad_input, grad_target};
}

void check_grad_dtype(const char* op, const Tensor& grad_output) {
    CMP_CHECK(is_floating(grad_output.dtype()), DTYPE_MISMATCH, op, "_backward: expected a floating grad_output, got ",
              dtype_name(grad_output.dtype()));
}

}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                     Reduction reduction, double label_smoothing) {
    return reduce_rows(make_problem("cross_entropy", input, target, weight, ignore_index, label_smoothing, true), reduction);
}

std::pair<Tensor, Tensor> cross_entropy_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target,
                                                 const Tensor& weight, int64_t ignore_index, Reduction reduction,
                                                 double label_smoothing, bool want_target) {
    check_grad_dtype("cross_entropy", grad_output);
    ClassProblem p = make_problem("cross_entropy", input, target, weight, ignore_index, label_smoothing, true);
    auto grads = backward_rows(p, grad_output, reduction, want_target);
    // Probability targets of another dtype were promoted with the input: give each gradient
    // its operand's dtype back.
    if (grads.first.dtype() != input.dtype()) grads.first = to_dtype(grads.first, input.dtype());
    if (grads.second.defined() && grads.second.dtype() != target.dtype()) grads.second = to_dtype(grads.second, target.dtype());
    return grads;
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index, Reduction reduction) {
    return reduce_rows(make_problem("nll_loss", input, target, weight, ignore_index, 0.0, false), reduction);
}

Tensor nll_loss_backward(const Tensor& grad_output, const Tensor& input, const Tensor& target, const Tensor& weight,
                         int64_t ignore_index, Reduction reduction) {
    check_grad_dtype("nll_loss", grad_output);
    return backward_rows(make_problem("nll_loss", input, target, weight, ignore_index, 0.0, false), grad_output, reduction,
                         false)
        .first;
}

}  // namespace cmp::ops
