// Front-ends of the elementwise losses: PyTorch's shape and dtype rules, one TensorIterator
// pass for the per-element losses (or gradients) on the CPU or the CUDA backend, then the
// reduction (on the tensors' device). Gradients of broadcast
// operands are summed back to each operand's shape, as autograd does through expand.
#include "ops/nn_loss.h"

#include "core/iterator.h"
#include "core/promotion.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"
#include "ops/reductions.h"

#include <vector>

namespace cmp::cpu {
CMP_DEFINE_STUB(pointwise_loss_stub);
CMP_DEFINE_STUB(pointwise_loss_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

using cpu::PointwiseLoss;

// The operands after (input, target), in the order the kernel reads them.
std::vector<Tensor> extra_operands(const cpu::PointwiseLossArgs& args, const Tensor& weight, const Tensor& pos_weight) {
    std::vector<Tensor> v;
    if (args.has_weight) v.push_back(weight);
    if (args.has_pos_weight) v.push_back(pos_weight);
    return v;
}

// Checks what PyTorch checks and returns the broadcast shape of the per-element losses.
Shape check_operands(const char* op, const cpu::PointwiseLossArgs& args, const Tensor& input, const Tensor& target,
                     const Tensor& weight, const Tensor& pos_weight) {
    std::vector<Tensor> all{input, target};
    for (const Tensor& t : extra_operands(args, weight, pos_weight)) all.push_back(t);
    const DType dtype = result_type(all);
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, op, ": expected floating input and target, got ", dtype_name(input.dtype()),
              " and ", dtype_name(target.dtype()));
    const bool binary = args.op == PointwiseLoss::Bce || args.op == PointwiseLoss::BceLogits;
    if (binary) {
        // The binary cross entropies do not broadcast target (PyTorch raises).
        CMP_CHECK(target.sizes() == input.sizes(), SHAPE_MISMATCH, op, ": target shape ", target.sizes(),
                  " must be the same as input shape ", input.sizes());
    }
    const Shape shape = broadcast_shapes(input.sizes(), target.sizes(), op);
    const char* names[] = {"weight", "pos_weight"};
    const Tensor* extras[] = {&weight, &pos_weight};
    for (int i = 0; i < 2; ++i) {
        if (!extras[i]->defined()) continue;
        CMP_CHECK(broadcast_shapes(extras[i]->sizes(), shape, op) == shape, SHAPE_MISMATCH, op, ": ", names[i],
                  " of shape ", extras[i]->sizes(), " does not broadcast to input's shape ", shape);
    }
    if (args.op == PointwiseLoss::Bce && input.numel() > 0) {
        // NaN fails this too, as in PyTorch.
        const double lo = item(to_dtype(min_all(input), CMP_DTYPE_FLOAT64), {}).f;
        const double hi = item(to_dtype(max_all(input), CMP_DTYPE_FLOAT64), {}).f;
        CMP_CHECK(lo >= 0.0 && hi <= 1.0, INVALID_ARGUMENT, op, ": all elements of input should be between 0 and 1");
    }
    return shape;
}

// The divisor of MEAN / BATCHMEAN for losses of `shape` and input `input`.
double mean_divisor(Reduction reduction, const Shape& shape, const Tensor& input) {
    if (reduction == Reduction::Mean) {
        int64_t n = 1;
        for (int64_t s : shape) n *= s;
        return static_cast<double>(n);
    }
    if (reduction == Reduction::BatchMean) return input.dim() > 0 ? static_cast<double>(input.size(0)) : 1.0;
    return 1.0;
}

// t summed over the dims along which `shape` was broadcast to t's shape.
Tensor sum_to(const Tensor& t, const Shape& shape) {
    if (t.sizes() == shape) return t;
    const int64_t lead = t.dim() - static_cast<int64_t>(shape.size());
    Shape dims;
    for (int64_t d = 0; d < t.dim(); ++d)
        if (d < lead || (shape[static_cast<size_t>(d - lead)] == 1 && t.size(d) != 1)) dims.push_back(d);
    if (dims.empty()) return reshape(t, shape);
    return reshape(sum(t, dims, true), shape);
}

}  // namespace

Tensor pointwise_loss(const char* op, const cpu::PointwiseLossArgs& args, const Tensor& input, const Tensor& target,
                      const Tensor& weight, const Tensor& pos_weight, Reduction reduction) {
    check_operands(op, args, input, target, weight, pos_weight);
    std::vector<Tensor> inputs{input, target};
    for (const Tensor& t : extra_operands(args, weight, pos_weight)) inputs.push_back(t);
    TensorIterator it(TensorIterator::pointwise(op, std::move(inputs)));
    if (cuda_ops::on_cuda(it)) cuda_ops::pointwise_loss(it, args, false, false, 1.0);
    else cpu::pointwise_loss_stub(it, args);
    const Tensor& loss = it.output();
    switch (reduction) {
        case Reduction::None: return loss;
        case Reduction::Sum: return sum(loss, {}, false);
        case Reduction::Mean: return mean(loss, {}, false);
        case Reduction::BatchMean: break;
    }
    return div(sum(loss, {}, false), scalar_tensor(scalar_float(mean_divisor(reduction, loss.sizes(), input)), loss.device()));
}

std::pair<Tensor, Tensor> pointwise_loss_backward(const char* op, const cpu::PointwiseLossArgs& args, const Tensor& grad_output,
                                                  const Tensor& input, const Tensor& target, const Tensor& weight,
                                                  const Tensor& pos_weight, Reduction reduction, bool want_target) {
    const Shape shape = check_operands(op, args, input, target, weight, pos_weight);
    CMP_CHECK(is_floating(grad_output.dtype()), DTYPE_MISMATCH, op, "_backward: expected a floating grad_output, got ",
              dtype_name(grad_output.dtype()));
    if (reduction == Reduction::None) {
        CMP_CHECK(grad_output.sizes() == shape, SHAPE_MISMATCH, op, "_backward: grad_output has shape ", grad_output.sizes(),
                  ", expected ", shape, " (the unreduced loss)");
    } else {
        CMP_CHECK(grad_output.dim() == 0, SHAPE_MISMATCH, op,
                  "_backward: grad_output must be a 0-dim tensor for a reduced loss, got shape ", grad_output.sizes());
    }
    const double scale = 1.0 / mean_divisor(reduction, shape, input);
    auto run = [&](bool of_target, const Tensor& like) {
        std::vector<Tensor> inputs{grad_output, input, target};
        for (const Tensor& t : extra_operands(args, weight, pos_weight)) inputs.push_back(t);
        TensorIterator it(TensorIterator::pointwise(op, std::move(inputs)));
        if (cuda_ops::on_cuda(it)) cuda_ops::pointwise_loss(it, args, true, of_target, scale);
        else cpu::pointwise_loss_backward_stub(it, args, of_target, scale);
        Tensor g = sum_to(it.output(), like.sizes());
        return g.dtype() == like.dtype() || !is_floating(like.dtype()) ? g : to_dtype(g, like.dtype());
    };
    Tensor grad_input = run(false, input);
    Tensor grad_target = want_target ? run(true, target) : Tensor();
    return {grad_input, grad_target};
}

}  // namespace cmp::ops
