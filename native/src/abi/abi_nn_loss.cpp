// extern "C" layer of the loss functions (compute/ops/nn_loss.h).
#include "abi/abi_util.h"
#include "ops/nn_loss.h"

namespace cmp::abi {
namespace {

using cpu::PointwiseLoss;
using cpu::PointwiseLossArgs;

Tensor optional_tensor(cmp_tensor t, const char* op, const char* arg) { return t ? tensor_arg(t, op, arg) : Tensor(); }

// An optional out-parameter: set to NULL first; nullptr when the caller passed none.
cmp_tensor* optional_out(cmp_tensor* out) {
    if (out) *out = nullptr;
    return out;
}

// smooth_l1's beta (>= 0) and huber's delta (> 0), checked as PyTorch does.
void check_param(const char* op, const PointwiseLossArgs& a) {
    if (a.op == PointwiseLoss::SmoothL1)
        CMP_CHECK(a.param >= 0, INVALID_ARGUMENT, op, ": beta must be non-negative, got ", a.param);
    if (a.op == PointwiseLoss::Huber) CMP_CHECK(a.param > 0, INVALID_ARGUMENT, op, ": delta must be positive, got ", a.param);
}

// The forward ABI of an elementwise loss.
cmp_status pointwise_forward(const char* op, PointwiseLossArgs args, cmp_tensor input, cmp_tensor target, cmp_tensor weight,
                             cmp_tensor pos_weight, int32_t reduction, bool allow_batchmean, cmp_tensor* out) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        check_param(op, args);
        Tensor w = optional_tensor(weight, op, "weight"), pw = optional_tensor(pos_weight, op, "pos_weight");
        args.has_weight = w.defined();
        args.has_pos_weight = pw.defined();
        o = to_handle(ops::pointwise_loss(op, args, tensor_arg(input, op, "input"), tensor_arg(target, op, "target"), w, pw,
                                          ops::reduction_arg(reduction, op, allow_batchmean)));
    });
}

// The backward ABI of an elementwise loss.
cmp_status pointwise_backward(const char* op, PointwiseLossArgs args, cmp_tensor grad_output, cmp_tensor input,
                              cmp_tensor target, cmp_tensor weight, cmp_tensor pos_weight, int32_t reduction,
                              bool allow_batchmean, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) noexcept {
    return guard(op, [&] {
        cmp_tensor& gi = out_tensor(out_grad_input, op);
        cmp_tensor* gt = optional_out(out_grad_target);
        check_param(op, args);
        Tensor w = optional_tensor(weight, op, "weight"), pw = optional_tensor(pos_weight, op, "pos_weight");
        args.has_weight = w.defined();
        args.has_pos_weight = pw.defined();
        auto grads = ops::pointwise_loss_backward(op, args, tensor_arg(grad_output, op, "grad_output"),
                                                  tensor_arg(input, op, "input"), tensor_arg(target, op, "target"), w, pw,
                                                  ops::reduction_arg(reduction, op, allow_batchmean), gt != nullptr);
        gi = to_handle(grads.first);
        if (gt) *gt = to_handle(grads.second);
    });
}

PointwiseLossArgs loss_args(PointwiseLoss op, double param = 0) {
    PointwiseLossArgs a;
    a.op = op;
    a.param = param;
    return a;
}

}  // namespace
}  // namespace cmp::abi

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_cross_entropy(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index,
                                     int32_t reduction, double label_smoothing, cmp_tensor* out) {
    constexpr const char* op = "cross_entropy";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(ops::cross_entropy(tensor_arg(input, op, "input"), tensor_arg(target, op, "target"),
                                         optional_tensor(weight, op, "weight"), ignore_index,
                                         ops::reduction_arg(reduction, op), label_smoothing));
    });
}

CMP_API cmp_status cmp_cross_entropy_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight,
                                              int64_t ignore_index, int32_t reduction, double label_smoothing,
                                              cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    constexpr const char* op = "cross_entropy_backward";
    return guard(op, [&] {
        cmp_tensor& gi = out_tensor(out_grad_input, op);
        cmp_tensor* gt = optional_out(out_grad_target);
        auto grads = ops::cross_entropy_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                                 tensor_arg(target, op, "target"), optional_tensor(weight, op, "weight"),
                                                 ignore_index, ops::reduction_arg(reduction, op), label_smoothing,
                                                 gt != nullptr);
        gi = to_handle(grads.first);
        if (gt && grads.second.defined()) *gt = to_handle(grads.second);
    });
}

CMP_API cmp_status cmp_nll_loss(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int64_t ignore_index,
                                int32_t reduction, cmp_tensor* out) {
    constexpr const char* op = "nll_loss";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(ops::nll_loss(tensor_arg(input, op, "input"), tensor_arg(target, op, "target"),
                                    optional_tensor(weight, op, "weight"), ignore_index, ops::reduction_arg(reduction, op)));
    });
}

CMP_API cmp_status cmp_nll_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, cmp_tensor weight,
                                         int64_t ignore_index, int32_t reduction, cmp_tensor* out_grad_input) {
    constexpr const char* op = "nll_loss_backward";
    return guard(op, [&] {
        cmp_tensor& gi = out_tensor(out_grad_input, op);
        gi = to_handle(ops::nll_loss_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                              tensor_arg(target, op, "target"), optional_tensor(weight, op, "weight"),
                                              ignore_index, ops::reduction_arg(reduction, op)));
    });
}

CMP_API cmp_status cmp_mse_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out) {
    return pointwise_forward("mse_loss", loss_args(PointwiseLoss::Mse), input, target, nullptr, nullptr, reduction, false, out);
}
CMP_API cmp_status cmp_mse_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction,
                                         cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("mse_loss", loss_args(PointwiseLoss::Mse), grad_output, input, target, nullptr, nullptr,
                              reduction, false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_l1_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, cmp_tensor* out) {
    return pointwise_forward("l1_loss", loss_args(PointwiseLoss::L1), input, target, nullptr, nullptr, reduction, false, out);
}
CMP_API cmp_status cmp_l1_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction,
                                        cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("l1_loss", loss_args(PointwiseLoss::L1), grad_output, input, target, nullptr, nullptr, reduction,
                              false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_smooth_l1_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, double beta, cmp_tensor* out) {
    return pointwise_forward("smooth_l1_loss", loss_args(PointwiseLoss::SmoothL1, beta), input, target, nullptr, nullptr,
                             reduction, false, out);
}
CMP_API cmp_status cmp_smooth_l1_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction,
                                               double beta, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("smooth_l1_loss", loss_args(PointwiseLoss::SmoothL1, beta), grad_output, input, target, nullptr,
                              nullptr, reduction, false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_huber_loss(cmp_tensor input, cmp_tensor target, int32_t reduction, double delta, cmp_tensor* out) {
    return pointwise_forward("huber_loss", loss_args(PointwiseLoss::Huber, delta), input, target, nullptr, nullptr, reduction,
                             false, out);
}
CMP_API cmp_status cmp_huber_loss_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction,
                                           double delta, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("huber_loss", loss_args(PointwiseLoss::Huber, delta), grad_output, input, target, nullptr,
                              nullptr, reduction, false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_binary_cross_entropy(cmp_tensor input, cmp_tensor target, cmp_tensor weight, int32_t reduction,
                                            cmp_tensor* out) {
    return pointwise_forward("binary_cross_entropy", loss_args(PointwiseLoss::Bce), input, target, weight, nullptr, reduction,
                             false, out);
}
CMP_API cmp_status cmp_binary_cross_entropy_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target,
                                                     cmp_tensor weight, int32_t reduction, cmp_tensor* out_grad_input,
                                                     cmp_tensor* out_grad_target) {
    return pointwise_backward("binary_cross_entropy", loss_args(PointwiseLoss::Bce), grad_output, input, target, weight,
                              nullptr, reduction, false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_binary_cross_entropy_with_logits(cmp_tensor input, cmp_tensor target, cmp_tensor weight,
                                                        cmp_tensor pos_weight, int32_t reduction, cmp_tensor* out) {
    return pointwise_forward("binary_cross_entropy_with_logits", loss_args(PointwiseLoss::BceLogits), input, target, weight,
                             pos_weight, reduction, false, out);
}
CMP_API cmp_status cmp_binary_cross_entropy_with_logits_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target,
                                                                 cmp_tensor weight, cmp_tensor pos_weight, int32_t reduction,
                                                                 cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("binary_cross_entropy_with_logits", loss_args(PointwiseLoss::BceLogits), grad_output, input,
                              target, weight, pos_weight, reduction, false, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_kl_div(cmp_tensor input, cmp_tensor target, int32_t reduction, int32_t log_target, cmp_tensor* out) {
    return pointwise_forward("kl_div", loss_args(log_target ? PointwiseLoss::KlDivLogTarget : PointwiseLoss::KlDiv), input,
                             target, nullptr, nullptr, reduction, true, out);
}
CMP_API cmp_status cmp_kl_div_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor target, int32_t reduction,
                                       int32_t log_target, cmp_tensor* out_grad_input, cmp_tensor* out_grad_target) {
    return pointwise_backward("kl_div", loss_args(log_target ? PointwiseLoss::KlDivLogTarget : PointwiseLoss::KlDiv),
                              grad_output, input, target, nullptr, nullptr, reduction, true, out_grad_input, out_grad_target);
}

CMP_API cmp_status cmp_scaled_dot_product_attention(cmp_tensor q, cmp_tensor k, cmp_tensor v, cmp_tensor attn_mask,
                                                    double dropout_p, int32_t is_causal, const double* scale, cmp_tensor* out,
                                                    cmp_tensor* out_logsumexp, uint64_t* out_seed, uint64_t* out_offset) {
    constexpr const char* op = "scaled_dot_product_attention";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        cmp_tensor* lse = optional_out(out_logsumexp);
        auto r = ops::scaled_dot_product_attention(tensor_arg(q, op, "q"), tensor_arg(k, op, "k"), tensor_arg(v, op, "v"),
                                                   optional_tensor(attn_mask, op, "attn_mask"), dropout_p, is_causal != 0,
                                                   scale ? std::optional<double>(*scale) : std::nullopt);
        o = to_handle(r.out);
        if (lse) *lse = to_handle(r.lse);
        if (out_seed) *out_seed = r.seed;
        if (out_offset) *out_offset = r.offset;
    });
}

CMP_API cmp_status cmp_scaled_dot_product_attention_backward(cmp_tensor grad_output, cmp_tensor q, cmp_tensor k, cmp_tensor v,
                                                             cmp_tensor attn_mask, double dropout_p, int32_t is_causal,
                                                             const double* scale, cmp_tensor out, cmp_tensor logsumexp,
                                                             uint64_t seed, uint64_t offset, cmp_tensor* out_grad_q,
                                                             cmp_tensor* out_grad_k, cmp_tensor* out_grad_v) {
    constexpr const char* op = "scaled_dot_product_attention_backward";
    return guard(op, [&] {
        cmp_tensor& gq = out_tensor(out_grad_q, op);
        cmp_tensor& gk = out_tensor(out_grad_k, op);
        cmp_tensor& gv = out_tensor(out_grad_v, op);
        auto r = ops::scaled_dot_product_attention_backward(
            tensor_arg(grad_output, op, "grad_output"), tensor_arg(q, op, "q"), tensor_arg(k, op, "k"), tensor_arg(v, op, "v"),
            optional_tensor(attn_mask, op, "attn_mask"), dropout_p, is_causal != 0,
            scale ? std::optional<double>(*scale) : std::nullopt, tensor_arg(out, op, "out"),
            tensor_arg(logsumexp, op, "logsumexp"), seed, offset);
        gq = to_handle(r.q);
        gk = to_handle(r.k);
        gv = to_handle(r.v);
    });
}

}  // extern "C"
