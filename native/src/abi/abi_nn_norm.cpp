// C ABI of the normalisation family (compute/ops/nn_norm.h): softmax, layer/RMS/batch/group
// norm, dropout, embedding and their backward functions.
#include "abi_util.h"
#include "ops/nn_norm.h"

#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

using namespace cmp;
using namespace cmp::abi;

namespace {

// An optional tensor argument: NULL is an undefined Tensor.
Tensor optional_arg(cmp_tensor handle, const char* op, const char* arg) {
    return handle == nullptr ? Tensor() : tensor_arg(handle, op, arg);
}

// Several out handles: each is checked and cleared first, set only when the whole call succeeds.
class Outs {
public:
    Outs(const char* op, std::initializer_list<std::pair<cmp_tensor*, const char*>> outs) {
        for (const auto& [ptr, name] : outs) {
            cmp_tensor& o = out_arg(ptr, op, name);
            o = nullptr;
            slots_.push_back(&o);
        }
    }
    // Hands out the results in order (an undefined result leaves its slot NULL).
    void set(std::initializer_list<Tensor> results) {
        size_t i = 0;
        for (const Tensor& t : results) {
            if (t.defined()) *slots_[i] = to_handle(t);
            ++i;
        }
    }

private:
    std::vector<cmp_tensor*> slots_;
};

cmp_status softmax_common(const char* op, cmp_tensor input, int64_t dim, const cmp_dtype* dtype, cmp_tensor* out,
                          Tensor (*fn)(const Tensor&, int64_t, std::optional<DType>)) {
    return unary(op, input, out, [&](const Tensor& t) {
        std::optional<DType> d;
        if (dtype != nullptr) d = dtype_arg(*dtype, op, "dtype");
        return fn(t, dim, d);
    });
}

cmp_status softmax_grad_common(const char* op, cmp_tensor grad_output, cmp_tensor output, int64_t dim, cmp_tensor* out,
                               Tensor (*fn)(const Tensor&, const Tensor&, int64_t)) {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        o = to_handle(fn(tensor_arg(grad_output, op, "grad_output"), tensor_arg(output, op, "output"), dim));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_softmax(cmp_tensor input, int64_t dim, const cmp_dtype* dtype, cmp_tensor* out) {
    return softmax_common("softmax", input, dim, dtype, out, &ops::softmax);
}

CMP_API cmp_status cmp_log_softmax(cmp_tensor input, int64_t dim, const cmp_dtype* dtype, cmp_tensor* out) {
    return softmax_common("log_softmax", input, dim, dtype, out, &ops::log_softmax);
}

CMP_API cmp_status cmp_softmax_backward(cmp_tensor grad_output, cmp_tensor output, int64_t dim, cmp_tensor* out_grad_input) {
    return softmax_grad_common("softmax_backward", grad_output, output, dim, out_grad_input, &ops::softmax_backward);
}

CMP_API cmp_status cmp_log_softmax_backward(cmp_tensor grad_output, cmp_tensor output, int64_t dim,
                                            cmp_tensor* out_grad_input) {
    return softmax_grad_common("log_softmax_backward", grad_output, output, dim, out_grad_input,
                               &ops::log_softmax_backward);
}

CMP_API cmp_status cmp_layer_norm(cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor weight,
                                  cmp_tensor bias, double eps, cmp_tensor* out, cmp_tensor* out_mean,
                                  cmp_tensor* out_rstd) {
    const char* op = "layer_norm";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_mean, "out_mean"}, {out_rstd, "out_rstd"}});
        ops::NormOutput r = ops::layer_norm(tensor_arg(input, op, "input"), array_arg(normalized_shape, ndim, op, "normalized_shape"),
                                            optional_arg(weight, op, "weight"), optional_arg(bias, op, "bias"), eps);
        outs.set({r.out, r.mean, r.rstd});
    });
}

CMP_API cmp_status cmp_layer_norm_backward(cmp_tensor grad_output, cmp_tensor input, const int64_t* normalized_shape,
                                           int64_t ndim, cmp_tensor mean, cmp_tensor rstd, cmp_tensor weight,
                                           cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight,
                                           cmp_tensor* out_grad_bias) {
    const char* op = "layer_norm_backward";
    return guard(op, [&] {
        Outs outs(op, {{out_grad_input, "out_grad_input"}, {out_grad_weight, "out_grad_weight"}, {out_grad_bias, "out_grad_bias"}});
        ops::NormGrads g = ops::layer_norm_backward(
            tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
            array_arg(normalized_shape, ndim, op, "normalized_shape"), tensor_arg(mean, op, "mean"),
            tensor_arg(rstd, op, "rstd"), optional_arg(weight, op, "weight"));
        outs.set({g.grad_input, g.grad_weight, g.grad_bias});
    });
}

CMP_API cmp_status cmp_rms_norm(cmp_tensor input, const int64_t* normalized_shape, int64_t ndim, cmp_tensor weight,
                                const double* eps, cmp_tensor* out, cmp_tensor* out_rstd) {
    const char* op = "rms_norm";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_rstd, "out_rstd"}});
        std::optional<double> e;
        if (eps != nullptr) e = *eps;
        ops::NormOutput r = ops::rms_norm(tensor_arg(input, op, "input"), array_arg(normalized_shape, ndim, op, "normalized_shape"),
                                          optional_arg(weight, op, "weight"), e);
        outs.set({r.out, r.rstd});
    });
}

CMP_API cmp_status cmp_rms_norm_backward(cmp_tensor grad_output, cmp_tensor input, const int64_t* normalized_shape,
                                         int64_t ndim, cmp_tensor rstd, cmp_tensor weight, cmp_tensor* out_grad_input,
                                         cmp_tensor* out_grad_weight) {
    const char* op = "rms_norm_backward";
    return guard(op, [&] {
        Outs outs(op, {{out_grad_input, "out_grad_input"}, {out_grad_weight, "out_grad_weight"}});
        ops::NormGrads g = ops::rms_norm_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                                  array_arg(normalized_shape, ndim, op, "normalized_shape"),
                                                  tensor_arg(rstd, op, "rstd"), optional_arg(weight, op, "weight"));
        outs.set({g.grad_input, g.grad_weight});
    });
}

CMP_API cmp_status cmp_batch_norm(cmp_tensor input, cmp_tensor weight, cmp_tensor bias, cmp_tensor running_mean,
                                  cmp_tensor running_var, int32_t training, double momentum, double eps, cmp_tensor* out,
                                  cmp_tensor* out_save_mean, cmp_tensor* out_save_invstd) {
    const char* op = "batch_norm";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_save_mean, "out_save_mean"}, {out_save_invstd, "out_save_invstd"}});
        Tensor mean = optional_arg(running_mean, op, "running_mean");
        Tensor var = optional_arg(running_var, op, "running_var");
        ops::NormOutput r = ops::batch_norm(tensor_arg(input, op, "input"), optional_arg(weight, op, "weight"),
                                            optional_arg(bias, op, "bias"), mean, var, training != 0, momentum, eps);
        if (training != 0) {  // the running statistics were updated in place
            if (mean.defined()) mark_written(mean);
            if (var.defined()) mark_written(var);
        }
        outs.set({r.out, r.mean, r.rstd});
    });
}

CMP_API cmp_status cmp_batch_norm_backward(cmp_tensor grad_output, cmp_tensor input, cmp_tensor weight,
                                           cmp_tensor save_mean, cmp_tensor save_invstd, int32_t training,
                                           cmp_tensor* out_grad_input, cmp_tensor* out_grad_weight,
                                           cmp_tensor* out_grad_bias) {
    const char* op = "batch_norm_backward";
    return guard(op, [&] {
        Outs outs(op, {{out_grad_input, "out_grad_input"}, {out_grad_weight, "out_grad_weight"}, {out_grad_bias, "out_grad_bias"}});
        ops::NormGrads g = ops::batch_norm_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                                    optional_arg(weight, op, "weight"), tensor_arg(save_mean, op, "save_mean"),
                                                    tensor_arg(save_invstd, op, "save_invstd"), training != 0);
        outs.set({g.grad_input, g.grad_weight, g.grad_bias});
    });
}

CMP_API cmp_status cmp_group_norm(cmp_tensor input, int64_t num_groups, cmp_tensor weight, cmp_tensor bias, double eps,
                                  cmp_tensor* out, cmp_tensor* out_mean, cmp_tensor* out_rstd) {
    const char* op = "group_norm";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_mean, "out_mean"}, {out_rstd, "out_rstd"}});
        ops::NormOutput r = ops::group_norm(tensor_arg(input, op, "input"), num_groups, optional_arg(weight, op, "weight"),
                                            optional_arg(bias, op, "bias"), eps);
        outs.set({r.out, r.mean, r.rstd});
    });
}

CMP_API cmp_status cmp_group_norm_backward(cmp_tensor grad_output, cmp_tensor input, int64_t num_groups, cmp_tensor mean,
                                           cmp_tensor rstd, cmp_tensor weight, cmp_tensor* out_grad_input,
                                           cmp_tensor* out_grad_weight, cmp_tensor* out_grad_bias) {
    const char* op = "group_norm_backward";
    return guard(op, [&] {
        Outs outs(op, {{out_grad_input, "out_grad_input"}, {out_grad_weight, "out_grad_weight"}, {out_grad_bias, "out_grad_bias"}});
        ops::NormGrads g = ops::group_norm_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(input, op, "input"),
                                                    num_groups, tensor_arg(mean, op, "mean"), tensor_arg(rstd, op, "rstd"),
                                                    optional_arg(weight, op, "weight"));
        outs.set({g.grad_input, g.grad_weight, g.grad_bias});
    });
}

CMP_API cmp_status cmp_dropout(cmp_tensor input, double p, int32_t training, cmp_tensor* out, cmp_tensor* out_mask) {
    const char* op = "dropout";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_mask, "out_mask"}});
        auto [y, mask] = ops::dropout(tensor_arg(input, op, "input"), p, training != 0);
        outs.set({y, mask});
    });
}

CMP_API cmp_status cmp_feature_dropout(cmp_tensor input, double p, int32_t training, cmp_tensor* out, cmp_tensor* out_mask) {
    const char* op = "feature_dropout";
    return guard(op, [&] {
        Outs outs(op, {{out, "out"}, {out_mask, "out_mask"}});
        auto [y, mask] = ops::feature_dropout(tensor_arg(input, op, "input"), p, training != 0);
        outs.set({y, mask});
    });
}

CMP_API cmp_status cmp_dropout_backward(cmp_tensor grad_output, cmp_tensor mask, double p, cmp_tensor* out_grad_input) {
    const char* op = "dropout_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_input, op);
        o = to_handle(ops::dropout_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(mask, op, "mask"), p));
    });
}

CMP_API cmp_status cmp_embedding(cmp_tensor weight, cmp_tensor indices, int64_t padding_idx, int32_t has_padding_idx,
                                 const double* max_norm, double norm_type, cmp_tensor* out) {
    const char* op = "embedding";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        std::optional<int64_t> pad;
        if (has_padding_idx != 0) pad = padding_idx;
        std::optional<double> mn;
        if (max_norm != nullptr) mn = *max_norm;
        Tensor w = tensor_arg(weight, op, "weight");
        o = to_handle(ops::embedding(w, tensor_arg(indices, op, "indices"), pad, mn, norm_type));
        if (mn) mark_written(w);  // max_norm renormalised rows of weight in place
    });
}

CMP_API cmp_status cmp_embedding_backward(cmp_tensor grad_output, cmp_tensor indices, int64_t num_weights,
                                          int64_t padding_idx, int32_t has_padding_idx, int32_t scale_grad_by_freq,
                                          cmp_tensor* out_grad_weight) {
    const char* op = "embedding_backward";
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out_grad_weight, op);
        std::optional<int64_t> pad;
        if (has_padding_idx != 0) pad = padding_idx;
        o = to_handle(ops::embedding_backward(tensor_arg(grad_output, op, "grad_output"), tensor_arg(indices, op, "indices"),
                                              num_weights, pad, scale_grad_by_freq != 0));
    });
}

}  // extern "C"
