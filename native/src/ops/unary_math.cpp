// Front-ends of the unary math family: dtype rules per UnaryDomain (cpu/unary_math_stubs.h),
// argument checks naming the op, then TensorIterator and the kernels.
#include "ops/unary_math.h"

#include "core/error.h"
#include "core/iterator.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <cmath>
#include <utility>

namespace cmp::cpu {
CMP_DEFINE_STUB(unary_math_stub);
CMP_DEFINE_STUB(clamp_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

using cpu::UnaryDomain;
using cpu::UnaryMathOp;
using cpu::UnaryMathParams;

namespace {

// PyTorch's message for a dtype a kernel is not defined for names the op and the dtype.
void check_domain(const char* name, UnaryDomain d, DType dt) {
    switch (d) {
        case UnaryDomain::FloatOnly:
            CMP_CHECK(is_floating(dt), DTYPE_MISMATCH, name, ": not implemented for dtype ", dtype_name(dt),
                      " (floating dtypes only)");
            break;
        case UnaryDomain::Numeric:
            CMP_CHECK(dt != CMP_DTYPE_BOOL, DTYPE_MISMATCH, name, ": not implemented for dtype bool");
            break;
        case UnaryDomain::Integral:
            CMP_CHECK(!is_floating(dt), DTYPE_MISMATCH, name, ": not implemented for dtype ", dtype_name(dt),
                      " (integer and bool dtypes only)");
            break;
        default: break;
    }
}

void run(const char* name, UnaryMathOp op, const Tensor& a, const Tensor& out, const UnaryMathParams& p, Tensor* result) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    const UnaryDomain d = cpu::unary_domain(op);
    check_domain(name, d, a.dtype());
    // square is pow(a, 2): PyTorch computes a bool square in int64.
    const Tensor in = d == UnaryDomain::Square && a.dtype() == CMP_DTYPE_BOOL ? to_dtype(a, CMP_DTYPE_INT64) : a;
    auto config = TensorIterator::pointwise(name, {in}, out);
    config.promote_int_to_float = d == UnaryDomain::FloatPromote;
    if (d == UnaryDomain::Predicate) {
        config.has_out_dtype = true;
        config.out_dtype = CMP_DTYPE_BOOL;
        CMP_CHECK(!out.defined() || out.dtype() == CMP_DTYPE_BOOL, DTYPE_MISMATCH, name,
                  ": the result is bool and cannot be written into a ", dtype_name(out.dtype()), " tensor");
    }
    TensorIterator iter(std::move(config));
    if (cuda_ops::on_cuda(iter)) cuda_ops::unary_math(iter, op, p);
    else cpu::unary_math_stub(iter, op, p);
    if (result) *result = iter.output();
}

}  // namespace

Tensor unary_math(const char* name, UnaryMathOp op, const Tensor& a, const UnaryMathParams& p) {
    Tensor r;
    run(name, op, a, Tensor(), p, &r);
    return r;
}

void unary_math_(const char* name, UnaryMathOp op, const Tensor& a, const UnaryMathParams& p) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    run(name, op, a, a, p, nullptr);
}

#define CMP_UNARY_DEFINE(Name, name, domain, inplace)                                             \
    Tensor name(const Tensor& a) { return unary_math(#name, UnaryMathOp::Name, a); }              \
    CMP_UNARY_INPLACE_##inplace(void name##_(const Tensor& a) { unary_math_(#name "_", UnaryMathOp::Name, a); })
CMP_UNARY_MATH_PLAIN_OPS(CMP_UNARY_DEFINE)
#undef CMP_UNARY_DEFINE

namespace {

UnaryMathParams params(double a, double b = 0.0, double c = 0.0, int64_t i = 0) { return {a, b, c, i}; }

// round with decimals 0 is the plain rounding kernel (integers kept); other decimals scale by
// 10^decimals, which PyTorch defines for floating dtypes only.
UnaryMathOp round_op(int64_t decimals) { return decimals == 0 ? UnaryMathOp::Round : UnaryMathOp::RoundDecimals; }

void check_celu_alpha(const char* name, double alpha) {
    CMP_CHECK(alpha != 0.0, INVALID_ARGUMENT, name, ": alpha cannot be 0");
}

// PyTorch refuses negative hardtanh limits for uint8 (they would wrap around).
void check_hardtanh_limits(const char* name, const Tensor& a, double lo, double hi) {
    CMP_CHECK(!(a.defined() && a.dtype() == CMP_DTYPE_UINT8 && (lo < 0.0 || hi < 0.0)), INVALID_ARGUMENT, name,
              ": cannot do hardtanh on an unsigned type with negative limits (min_val ", lo, ", max_val ", hi, ")");
    // Integer tensors take the limits in their own type, as PyTorch's checked conversion does:
    // NaN, infinities and values beyond the type's range are refused.
    if (!a.defined() || is_floating(a.dtype()) || a.dtype() == CMP_DTYPE_BOOL) return;
    double least = -9.2233720368547758e18, most = 9.2233720368547758e18;
    switch (a.dtype()) {
        case CMP_DTYPE_UINT8: least = 0, most = 255; break;
        case CMP_DTYPE_INT8: least = -128, most = 127; break;
        case CMP_DTYPE_INT16: least = -32768, most = 32767; break;
        case CMP_DTYPE_INT32: least = -2147483648.0, most = 2147483647.0; break;
        default: break;
    }
    for (const auto& [arg, v] : {std::pair<const char*, double>{"min_val", lo}, {"max_val", hi}})
        CMP_CHECK(std::isfinite(v) && v >= least && v <= most, INVALID_ARGUMENT, name, ": ", arg, " ", v,
                  " cannot be converted to ", dtype_name(a.dtype()), " without overflow");
}

// A NaN limit makes every result NaN, as PyTorch's hardtanh (a clamp) gives: run as clamp.
bool hardtanh_as_clamp(const Tensor& a, double lo, double hi) {
    return a.defined() && is_floating(a.dtype()) && (std::isnan(lo) || std::isnan(hi));
}

UnaryMathParams nan_to_num_params(double nan, std::optional<double> posinf, std::optional<double> neginf) {
    return params(nan, posinf.value_or(0.0), neginf.value_or(0.0), (posinf ? 1 : 0) | (neginf ? 2 : 0));
}

void check_polygamma_order(const char* name, int64_t n) {
    CMP_CHECK(n >= 0, INVALID_ARGUMENT, name, ": n must be non-negative, got ", n);
}

}  // namespace

Tensor polygamma(const Tensor& a, int64_t n) {
    check_polygamma_order("polygamma", n);
    return unary_math("polygamma", UnaryMathOp::Polygamma, a, params(0, 0, 0, n));
}
void polygamma_(const Tensor& a, int64_t n) {
    check_polygamma_order("polygamma_", n);
    unary_math_("polygamma_", UnaryMathOp::Polygamma, a, params(0, 0, 0, n));
}
Tensor logit(const Tensor& a, double eps) { return unary_math("logit", UnaryMathOp::Logit, a, params(eps)); }
void logit_(const Tensor& a, double eps) { unary_math_("logit_", UnaryMathOp::Logit, a, params(eps)); }
Tensor round(const Tensor& a, int64_t decimals) { return unary_math("round", round_op(decimals), a, params(0, 0, 0, decimals)); }
void round_(const Tensor& a, int64_t decimals) { unary_math_("round_", round_op(decimals), a, params(0, 0, 0, decimals)); }
Tensor gelu(const Tensor& a, bool tanh_approximation) {
    return unary_math("gelu", tanh_approximation ? UnaryMathOp::GeluTanh : UnaryMathOp::Gelu, a);
}
Tensor softplus(const Tensor& a, double beta, double threshold) {
    return unary_math("softplus", UnaryMathOp::Softplus, a, params(beta, threshold));
}
Tensor elu(const Tensor& a, double alpha) { return unary_math("elu", UnaryMathOp::Elu, a, params(alpha)); }
void elu_(const Tensor& a, double alpha) { unary_math_("elu_", UnaryMathOp::Elu, a, params(alpha)); }
Tensor celu(const Tensor& a, double alpha) {
    check_celu_alpha("celu", alpha);
    return unary_math("celu", UnaryMathOp::Celu, a, params(alpha));
}
void celu_(const Tensor& a, double alpha) {
    check_celu_alpha("celu_", alpha);
    unary_math_("celu_", UnaryMathOp::Celu, a, params(alpha));
}
Tensor leaky_relu(const Tensor& a, double slope) { return unary_math("leaky_relu", UnaryMathOp::LeakyRelu, a, params(slope)); }
void leaky_relu_(const Tensor& a, double slope) { unary_math_("leaky_relu_", UnaryMathOp::LeakyRelu, a, params(slope)); }
Tensor hardtanh(const Tensor& a, double lo, double hi) {
    check_hardtanh_limits("hardtanh", a, lo, hi);
    if (hardtanh_as_clamp(a, lo, hi)) return clamp(a, scalar_float(lo), scalar_float(hi));
    return unary_math("hardtanh", UnaryMathOp::Hardtanh, a, params(lo, hi));
}
void hardtanh_(const Tensor& a, double lo, double hi) {
    check_hardtanh_limits("hardtanh_", a, lo, hi);
    if (hardtanh_as_clamp(a, lo, hi)) return clamp_(a, scalar_float(lo), scalar_float(hi));
    unary_math_("hardtanh_", UnaryMathOp::Hardtanh, a, params(lo, hi));
}
Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
    return unary_math("nan_to_num", UnaryMathOp::NanToNum, a, nan_to_num_params(nan, posinf, neginf));
}
void nan_to_num_(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf) {
    unary_math_("nan_to_num_", UnaryMathOp::NanToNum, a, nan_to_num_params(nan, posinf, neginf));
}

// ---- clamp ------------------------------------------------------------------------------

namespace {

// Bounds take part in type promotion like the other operands (number bounds as wrapped
// numbers: an int tensor clamped to 0.5 is float32), then one kernel clamps.
void run_clamp(const char* name, const Tensor& a, const Tensor& min, const Tensor& max, const Tensor& out,
               bool nan_bounds, Tensor* result) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    CMP_CHECK(min.defined() || max.defined(), INVALID_ARGUMENT, name, ": At least one of 'min' or 'max' must not be None");
    std::vector<Tensor> inputs{a};
    if (min.defined()) inputs.push_back(min);
    if (max.defined()) inputs.push_back(max);
    auto config = TensorIterator::pointwise(name, inputs, out);
    TensorIterator iter(std::move(config));
    const cpu::ClampMode mode = min.defined() && max.defined() ? cpu::ClampMode::Both
                                : min.defined()                ? cpu::ClampMode::Min
                                                               : cpu::ClampMode::Max;
    // PyTorch 1.13 runs one tensor bound as clamp_min/clamp_max (maximum/minimum, which take
    // bool: logical or/and); bool number bounds and clamp with both bounds have no bool kernel.
    CMP_CHECK(iter.compute_dtype() != CMP_DTYPE_BOOL || (nan_bounds && mode != cpu::ClampMode::Both), DTYPE_MISMATCH,
              name, ": not implemented for dtype bool", nan_bounds ? " with both bounds" : " with number bounds");
    if (cuda_ops::on_cuda(iter)) cuda_ops::clamp(iter, mode, nan_bounds);
    else cpu::clamp_stub(iter, mode, nan_bounds);
    if (result) *result = iter.output();
}

// Two number bounds with a NaN among them make every result NaN (PyTorch 1.13's clamp.Scalar),
// which run_clamp's nan_bounds gives; a single NaN bound is ignored (its clamp_min/clamp_max).
bool nan_among_two(const std::optional<cmp_scalar>& min, const std::optional<cmp_scalar>& max) {
    const auto nan = [](const cmp_scalar& s) { return s.kind == CMP_SCALAR_FLOAT && std::isnan(s.f); };
    return min && max && (nan(*min) || nan(*max));
}

Tensor bound(const std::optional<cmp_scalar>& s, const Tensor& like) {
    return s ? scalar_tensor(*s, like.device()) : Tensor();
}

}  // namespace

Tensor clamp(const Tensor& a, std::optional<cmp_scalar> min, std::optional<cmp_scalar> max) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, "clamp: argument 'input' is undefined");
    Tensor r;
    run_clamp("clamp", a, bound(min, a), bound(max, a), Tensor(), nan_among_two(min, max), &r);
    return r;
}

void clamp_(const Tensor& a, std::optional<cmp_scalar> min, std::optional<cmp_scalar> max) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, "clamp_: argument 'input' is undefined");
    run_clamp("clamp_", a, bound(min, a), bound(max, a), a, nan_among_two(min, max), nullptr);
}

Tensor clamp(const Tensor& a, const Tensor& min, const Tensor& max) {
    Tensor r;
    run_clamp("clamp", a, min, max, Tensor(), true, &r);
    return r;
}

void clamp_(const Tensor& a, const Tensor& min, const Tensor& max) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, "clamp_: argument 'input' is undefined");
    run_clamp("clamp_", a, min, max, a, true, nullptr);
}

}  // namespace cmp::ops
