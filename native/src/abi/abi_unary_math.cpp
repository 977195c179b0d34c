// extern "C" functions of the unary math family: cmp_<name> and cmp_<name>_ for every op of the
// table in cpu/unary_math_stubs.h (generated from it), then the ops with parameters.
#include "abi_util.h"
#include "ops/ops.h"
#include "ops/unary_math.h"

#include <optional>

using namespace cmp;
using namespace cmp::abi;

namespace {

// One tensor changed in place, nothing returned.
template <typename Fn>
cmp_status inplace(const char* op, cmp_tensor a, Fn&& fn) noexcept {
    return guard(op, [&] {
        Tensor t = tensor_arg(a, op, "a");
        fn(t);
        mark_written(t);
    });
}

template <typename T>
std::optional<T> optional_arg(const T* p) {
    return p ? std::optional<T>(*p) : std::nullopt;
}

std::optional<cmp_scalar> scalar_bound(const cmp_scalar* s, const char* op, const char* arg) {
    if (!s) return std::nullopt;
    scalar_arg(*s, op, arg);
    return *s;
}

// A tensor bound may be NULL (absent).
Tensor optional_tensor(cmp_tensor t, const char* op, const char* arg) { return t ? tensor_arg(t, op, arg) : Tensor(); }

}  // namespace

extern "C" {

#define CMP_UNARY_ABI(Name, name, domain, inplace_form)                                        \
    CMP_API cmp_status cmp_##name(cmp_tensor a, cmp_tensor* out) {                             \
        return unary(#name, a, out, [](const Tensor& t) { return ops::name(t); });            \
    }                                                                                          \
    CMP_UNARY_INPLACE_##inplace_form(CMP_API cmp_status cmp_##name##_(cmp_tensor a) {          \
        return inplace(#name "_", a, [](const Tensor& t) { ops::name##_(t); });               \
    })
CMP_UNARY_MATH_PLAIN_OPS(CMP_UNARY_ABI)
#undef CMP_UNARY_ABI

CMP_API cmp_status cmp_logit(cmp_tensor a, double eps, cmp_tensor* out) {
    return unary("logit", a, out, [&](const Tensor& t) { return ops::logit(t, eps); });
}
CMP_API cmp_status cmp_polygamma(cmp_tensor a, int64_t n, cmp_tensor* out) {
    return unary("polygamma", a, out, [&](const Tensor& t) { return ops::polygamma(t, n); });
}
CMP_API cmp_status cmp_polygamma_(cmp_tensor a, int64_t n) {
    return inplace("polygamma_", a, [&](const Tensor& t) { ops::polygamma_(t, n); });
}
CMP_API cmp_status cmp_logit_(cmp_tensor a, double eps) {
    return inplace("logit_", a, [&](const Tensor& t) { ops::logit_(t, eps); });
}

CMP_API cmp_status cmp_round(cmp_tensor a, int64_t decimals, cmp_tensor* out) {
    return unary("round", a, out, [&](const Tensor& t) { return ops::round(t, decimals); });
}
CMP_API cmp_status cmp_round_(cmp_tensor a, int64_t decimals) {
    return inplace("round_", a, [&](const Tensor& t) { ops::round_(t, decimals); });
}

CMP_API cmp_status cmp_gelu(cmp_tensor a, int32_t tanh_approximation, cmp_tensor* out) {
    return unary("gelu", a, out, [&](const Tensor& t) {
        CMP_CHECK(tanh_approximation == 0 || tanh_approximation == 1, INVALID_ARGUMENT,
                  "gelu: argument 'tanh_approximation' must be 0 ('none') or 1 ('tanh'), got ", tanh_approximation);
        return ops::gelu(t, tanh_approximation == 1);
    });
}

CMP_API cmp_status cmp_softplus(cmp_tensor a, double beta, double threshold, cmp_tensor* out) {
    return unary("softplus", a, out, [&](const Tensor& t) { return ops::softplus(t, beta, threshold); });
}

CMP_API cmp_status cmp_elu(cmp_tensor a, double alpha, cmp_tensor* out) {
    return unary("elu", a, out, [&](const Tensor& t) { return ops::elu(t, alpha); });
}
CMP_API cmp_status cmp_elu_(cmp_tensor a, double alpha) {
    return inplace("elu_", a, [&](const Tensor& t) { ops::elu_(t, alpha); });
}

CMP_API cmp_status cmp_celu(cmp_tensor a, double alpha, cmp_tensor* out) {
    return unary("celu", a, out, [&](const Tensor& t) { return ops::celu(t, alpha); });
}
CMP_API cmp_status cmp_celu_(cmp_tensor a, double alpha) {
    return inplace("celu_", a, [&](const Tensor& t) { ops::celu_(t, alpha); });
}

CMP_API cmp_status cmp_leaky_relu(cmp_tensor a, double negative_slope, cmp_tensor* out) {
    return unary("leaky_relu", a, out, [&](const Tensor& t) { return ops::leaky_relu(t, negative_slope); });
}
CMP_API cmp_status cmp_leaky_relu_(cmp_tensor a, double negative_slope) {
    return inplace("leaky_relu_", a, [&](const Tensor& t) { ops::leaky_relu_(t, negative_slope); });
}

CMP_API cmp_status cmp_hardtanh(cmp_tensor a, double min_val, double max_val, cmp_tensor* out) {
    return unary("hardtanh", a, out, [&](const Tensor& t) { return ops::hardtanh(t, min_val, max_val); });
}
CMP_API cmp_status cmp_hardtanh_(cmp_tensor a, double min_val, double max_val) {
    return inplace("hardtanh_", a, [&](const Tensor& t) { ops::hardtanh_(t, min_val, max_val); });
}

CMP_API cmp_status cmp_nan_to_num(cmp_tensor a, double nan, const double* posinf, const double* neginf, cmp_tensor* out) {
    return unary("nan_to_num", a, out,
                 [&](const Tensor& t) { return ops::nan_to_num(t, nan, optional_arg(posinf), optional_arg(neginf)); });
}
CMP_API cmp_status cmp_nan_to_num_(cmp_tensor a, double nan, const double* posinf, const double* neginf) {
    return inplace("nan_to_num_", a,
                   [&](const Tensor& t) { ops::nan_to_num_(t, nan, optional_arg(posinf), optional_arg(neginf)); });
}

CMP_API cmp_status cmp_clamp(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max, cmp_tensor* out) {
    return unary("clamp", a, out, [&](const Tensor& t) {
        return ops::clamp(t, scalar_bound(min, "clamp", "min"), scalar_bound(max, "clamp", "max"));
    });
}
CMP_API cmp_status cmp_clamp_(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max) {
    return inplace("clamp_", a, [&](const Tensor& t) {
        ops::clamp_(t, scalar_bound(min, "clamp_", "min"), scalar_bound(max, "clamp_", "max"));
    });
}

CMP_API cmp_status cmp_clamp_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor max, cmp_tensor* out) {
    return unary("clamp", a, out, [&](const Tensor& t) {
        return ops::clamp(t, optional_tensor(min, "clamp", "min"), optional_tensor(max, "clamp", "max"));
    });
}
CMP_API cmp_status cmp_clamp_tensor_(cmp_tensor a, cmp_tensor min, cmp_tensor max) {
    return inplace("clamp_", a, [&](const Tensor& t) {
        ops::clamp_(t, optional_tensor(min, "clamp_", "min"), optional_tensor(max, "clamp_", "max"));
    });
}

CMP_API cmp_status cmp_clamp_min_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor* out) {
    return unary("clamp_min", a, out, [&](const Tensor& t) { return ops::clamp(t, tensor_arg(min, "clamp_min", "min"), Tensor()); });
}
CMP_API cmp_status cmp_clamp_max_tensor(cmp_tensor a, cmp_tensor max, cmp_tensor* out) {
    return unary("clamp_max", a, out, [&](const Tensor& t) { return ops::clamp(t, Tensor(), tensor_arg(max, "clamp_max", "max")); });
}

}  // extern "C"
