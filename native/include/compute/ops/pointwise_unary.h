/*
 * compute/ops/pointwise_unary.h - part of the C ABI: Pointwise math: unary functions and activations (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_POINTWISE_UNARY_H
#define COMPUTE_OPS_POINTWISE_UNARY_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/pointwise_unary.h"
#endif


/** |a|. Integer dtypes are kept (abs of the most negative value wraps, as in PyTorch); not defined for bool. */
CMP_API cmp_status cmp_abs(cmp_tensor a, cmp_tensor* out);

/** abs, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_abs_(cmp_tensor a);

/** -1, 0 or 1 by the sign of a (0 for NaN and for +-0). Keeps the dtype, bool included. Dtypes: all. */
CMP_API cmp_status cmp_sign(cmp_tensor a, cmp_tensor* out);

/** sign, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sign_(cmp_tensor a);

/** Square root (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sqrt(cmp_tensor a, cmp_tensor* out);

/** sqrt, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sqrt_(cmp_tensor a);

/** 1 / sqrt(a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_rsqrt(cmp_tensor a, cmp_tensor* out);

/** rsqrt, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_rsqrt_(cmp_tensor a);

/** a * a. Integer dtypes are kept; bool gives int64. Dtypes: all. */
CMP_API cmp_status cmp_square(cmp_tensor a, cmp_tensor* out);

/** square, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_square_(cmp_tensor a);

/** 2^a (integer and bool inputs give float32). */
CMP_API cmp_status cmp_exp2(cmp_tensor a, cmp_tensor* out);

/** exp2, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_exp2_(cmp_tensor a);

/** e^a - 1, accurate near 0 (integer and bool inputs give float32). */
CMP_API cmp_status cmp_expm1(cmp_tensor a, cmp_tensor* out);

/** expm1, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_expm1_(cmp_tensor a);

/** Natural logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log(cmp_tensor a, cmp_tensor* out);

/** log, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log_(cmp_tensor a);

/** Base-2 logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log2(cmp_tensor a, cmp_tensor* out);

/** log2, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log2_(cmp_tensor a);

/** Base-10 logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log10(cmp_tensor a, cmp_tensor* out);

/** log10, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log10_(cmp_tensor a);

/** log(1 + a), accurate near 0 (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log1p(cmp_tensor a, cmp_tensor* out);

/** log1p, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log1p_(cmp_tensor a);

/** Sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sin(cmp_tensor a, cmp_tensor* out);

/** sin, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sin_(cmp_tensor a);

/** Cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_cos(cmp_tensor a, cmp_tensor* out);

/** cos, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_cos_(cmp_tensor a);

/** Tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_tan(cmp_tensor a, cmp_tensor* out);

/** tan, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_tan_(cmp_tensor a);

/** Arcsine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_asin(cmp_tensor a, cmp_tensor* out);

/** asin, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_asin_(cmp_tensor a);

/** Arccosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_acos(cmp_tensor a, cmp_tensor* out);

/** acos, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_acos_(cmp_tensor a);

/** Arctangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_atan(cmp_tensor a, cmp_tensor* out);

/** atan, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_atan_(cmp_tensor a);

/** Hyperbolic sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sinh(cmp_tensor a, cmp_tensor* out);

/** sinh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sinh_(cmp_tensor a);

/** Hyperbolic cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_cosh(cmp_tensor a, cmp_tensor* out);

/** cosh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_cosh_(cmp_tensor a);

/** Hyperbolic tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_tanh(cmp_tensor a, cmp_tensor* out);

/** tanh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_tanh_(cmp_tensor a);

/** Inverse hyperbolic sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_asinh(cmp_tensor a, cmp_tensor* out);

/** asinh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_asinh_(cmp_tensor a);

/** Inverse hyperbolic cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_acosh(cmp_tensor a, cmp_tensor* out);

/** acosh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_acosh_(cmp_tensor a);

/** Inverse hyperbolic tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_atanh(cmp_tensor a, cmp_tensor* out);

/** atanh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_atanh_(cmp_tensor a);

/** 1 / (1 + e^-a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sigmoid(cmp_tensor a, cmp_tensor* out);

/** sigmoid, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sigmoid_(cmp_tensor a);

/** Error function (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erf(cmp_tensor a, cmp_tensor* out);

/** erf, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erf_(cmp_tensor a);

/** Complementary error function 1 - erf(a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erfc(cmp_tensor a, cmp_tensor* out);

/** erfc, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erfc_(cmp_tensor a);

/** Inverse error function on [-1, 1] (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erfinv(cmp_tensor a, cmp_tensor* out);

/** erfinv, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erfinv_(cmp_tensor a);

/** log |Gamma(a)| (integer and bool inputs give float32). */
CMP_API cmp_status cmp_lgamma(cmp_tensor a, cmp_tensor* out);

/** lgamma, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_lgamma_(cmp_tensor a);

/** Digamma (psi) function, the derivative of lgamma (integer and bool inputs give float32). */
CMP_API cmp_status cmp_digamma(cmp_tensor a, cmp_tensor* out);

/** digamma, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_digamma_(cmp_tensor a);

/** Largest integer not above a. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_floor(cmp_tensor a, cmp_tensor* out);

/** floor, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_floor_(cmp_tensor a);

/** Smallest integer not below a. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_ceil(cmp_tensor a, cmp_tensor* out);

/** ceil, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_ceil_(cmp_tensor a);

/** a rounded toward zero. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_trunc(cmp_tensor a, cmp_tensor* out);

/** trunc, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_trunc_(cmp_tensor a);

/** a - trunc(a), with the sign of a. Floating dtypes only. */
CMP_API cmp_status cmp_frac(cmp_tensor a, cmp_tensor* out);

/** frac, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_frac_(cmp_tensor a);

/** 1 / a (integer and bool inputs give float32). */
CMP_API cmp_status cmp_reciprocal(cmp_tensor a, cmp_tensor* out);

/** reciprocal, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_reciprocal_(cmp_tensor a);

/** max(a, 0) (NaN stays NaN). Integer dtypes are kept; not defined for bool. */
CMP_API cmp_status cmp_relu(cmp_tensor a, cmp_tensor* out);

/** relu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_relu_(cmp_tensor a);

/** min(max(a, 0), 6) (hardtanh(a, 0, 6)). Integer dtypes are kept; not defined for bool. */
CMP_API cmp_status cmp_relu6(cmp_tensor a, cmp_tensor* out);

/** relu6, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_relu6_(cmp_tensor a);

/** a * sigmoid(a) (swish). Floating dtypes only. */
CMP_API cmp_status cmp_silu(cmp_tensor a, cmp_tensor* out);

/** silu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_silu_(cmp_tensor a);

/** a * tanh(softplus(a)). Floating dtypes only. */
CMP_API cmp_status cmp_mish(cmp_tensor a, cmp_tensor* out);

/** mish, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_mish_(cmp_tensor a);

/** scale * elu(a, alpha) with SELU's fixed alpha and scale. Floating dtypes only. */
CMP_API cmp_status cmp_selu(cmp_tensor a, cmp_tensor* out);

/** selu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_selu_(cmp_tensor a);

/** min(max(a / 6 + 1/2, 0), 1). Floating dtypes only. */
CMP_API cmp_status cmp_hardsigmoid(cmp_tensor a, cmp_tensor* out);

/** hardsigmoid, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_hardsigmoid_(cmp_tensor a);

/** a * hardsigmoid(a). Floating dtypes only. */
CMP_API cmp_status cmp_hardswish(cmp_tensor a, cmp_tensor* out);

/** hardswish, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_hardswish_(cmp_tensor a);

/** log(sigmoid(a)), computed without overflow. Floating dtypes only. */
CMP_API cmp_status cmp_logsigmoid(cmp_tensor a, cmp_tensor* out);

/** ~a for integer dtypes, logical not for bool. Floating dtypes are rejected. */
CMP_API cmp_status cmp_bitwise_not(cmp_tensor a, cmp_tensor* out);

/** bitwise_not, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_bitwise_not_(cmp_tensor a);

/** Whether a is NaN, as a bool tensor (false for integer and bool inputs). Dtypes: all. */
CMP_API cmp_status cmp_isnan(cmp_tensor a, cmp_tensor* out);

/** Whether a is +-infinity, as a bool tensor. Dtypes: all. */
CMP_API cmp_status cmp_isinf(cmp_tensor a, cmp_tensor* out);

/** Whether a is neither NaN nor +-infinity, as a bool tensor. Dtypes: all. */
CMP_API cmp_status cmp_isfinite(cmp_tensor a, cmp_tensor* out);

/** a == 0 as a bool tensor. Dtypes: all. */
CMP_API cmp_status cmp_logical_not(cmp_tensor a, cmp_tensor* out);

/** polygamma(n, a): the n-th derivative of digamma, n >= 0 (torch.polygamma(n, a)); digamma for n = 0, poles (+-inf) at 0 and the negative integers. Integer and bool inputs give float32. */
CMP_API cmp_status cmp_polygamma(cmp_tensor a, int64_t n, cmp_tensor* out);

/** polygamma, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_polygamma_(cmp_tensor a, int64_t n);

/** logit: log(a / (1 - a)); when eps >= 0, a is first clamped to [eps, 1 - eps] (a negative eps is PyTorch's eps=None: no clamp). Integer and bool inputs give float32. */
CMP_API cmp_status cmp_logit(cmp_tensor a, double eps, cmp_tensor* out);

/** logit, in place on a. */
CMP_API cmp_status cmp_logit_(cmp_tensor a, double eps);

/**
 * Round half to even, to `decimals` decimal places (negative: to tens, hundreds...). Integer dtypes are kept when decimals is 0 and rejected otherwise; bool is rejected.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_round(cmp_tensor a, int64_t decimals, cmp_tensor* out);

/** round, in place on a. */
CMP_API cmp_status cmp_round_(cmp_tensor a, int64_t decimals);

/** GELU: a * Phi(a) with the exact normal CDF (tanh_approximation 0, PyTorch's approximate='none') or its tanh approximation (1, approximate='tanh'). Floating dtypes only. */
CMP_API cmp_status cmp_gelu(cmp_tensor a, int32_t tanh_approximation, cmp_tensor* out);

/** softplus: log(1 + e^(beta * a)) / beta, or a itself where beta * a > threshold. Floating dtypes only. */
CMP_API cmp_status cmp_softplus(cmp_tensor a, double beta, double threshold, cmp_tensor* out);

/** ELU: a where a > 0, else alpha * (e^a - 1). Floating dtypes only. */
CMP_API cmp_status cmp_elu(cmp_tensor a, double alpha, cmp_tensor* out);

/** elu, in place on a. */
CMP_API cmp_status cmp_elu_(cmp_tensor a, double alpha);

/** CELU: max(0, a) + min(0, alpha * (e^(a / alpha) - 1)); alpha must not be 0. Floating dtypes only. */
CMP_API cmp_status cmp_celu(cmp_tensor a, double alpha, cmp_tensor* out);

/** celu, in place on a. */
CMP_API cmp_status cmp_celu_(cmp_tensor a, double alpha);

/** Leaky ReLU: a where a > 0, else negative_slope * a. Floating dtypes only. */
CMP_API cmp_status cmp_leaky_relu(cmp_tensor a, double negative_slope, cmp_tensor* out);

/** leaky_relu, in place on a. */
CMP_API cmp_status cmp_leaky_relu_(cmp_tensor a, double negative_slope);

/** hardtanh: min(max(a, min_val), max_val) (NaN stays NaN). Integer dtypes are kept (bounds converted to them); not defined for bool. */
CMP_API cmp_status cmp_hardtanh(cmp_tensor a, double min_val, double max_val, cmp_tensor* out);

/** hardtanh, in place on a. */
CMP_API cmp_status cmp_hardtanh_(cmp_tensor a, double min_val, double max_val);

/**
 * Replaces NaN by nan, +inf by *posinf and -inf by *neginf; a NULL posinf/neginf means the dtype's largest/lowest finite value. Integer and bool tensors are returned unchanged (copied).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_nan_to_num(cmp_tensor a, double nan, const double* posinf, const double* neginf, cmp_tensor* out);

/** nan_to_num, in place on a. */
CMP_API cmp_status cmp_nan_to_num_(cmp_tensor a, double nan, const double* posinf, const double* neginf);

/**
 * min(max(a, *min), *max) with number bounds; either may be NULL but not both. The result dtype promotes a with the bounds as Python numbers (int tensor, float bound: float32). A NaN in a stays NaN; a NaN bound is ignored, as in PyTorch.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_clamp(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max, cmp_tensor* out);

/** clamp with number bounds, in place on a. */
CMP_API cmp_status cmp_clamp_(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max);

/** min(max(a, min), max) with tensor bounds, broadcast and promoted together; either bound may be NULL but not both. A NaN in any operand gives NaN. Bool operands promoting to bool take one bound only (max or min of bools, as PyTorch's clamp_min/clamp_max); both bounds are rejected for bool, as in PyTorch. */
CMP_API cmp_status cmp_clamp_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor max, cmp_tensor* out);

/** clamp with tensor bounds, in place on a. */
CMP_API cmp_status cmp_clamp_tensor_(cmp_tensor a, cmp_tensor min, cmp_tensor max);

/** max(a, min) with a tensor bound (torch.clamp(a, min=t)); NaN in either gives NaN; for bool, a or min. Dtypes: all. */
CMP_API cmp_status cmp_clamp_min_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor* out);

/** min(a, max) with a tensor bound (torch.clamp(a, max=t)); NaN in either gives NaN; for bool, a and max. Dtypes: all. */
CMP_API cmp_status cmp_clamp_max_tensor(cmp_tensor a, cmp_tensor max, cmp_tensor* out);

/*
 * Activation derivatives: grad_input = grad_output * f'(self) in one fused pass, with PyTorch's
 * *_backward formulas. grad_output and self must have the same shape and the same floating dtype
 * (float16/bfloat16 computed in float32); CPU tensors only. self is the forward's input, except
 * for sigmoid_backward and tanh_backward, which take the forward's result.
 */

/** Derivative of gelu (tanh_approximation as in cmp_gelu: 0 exact, 1 the tanh approximation). */
CMP_API cmp_status cmp_gelu_backward(cmp_tensor grad_output, cmp_tensor self, int32_t tanh_approximation, cmp_tensor* out);

/** Derivative of silu: s (1 + x (1 - s)), s = sigmoid(x). */
CMP_API cmp_status cmp_silu_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out);

/** Derivative of mish: t + x sigmoid(x) (1 - t^2), t = tanh(softplus(x)). */
CMP_API cmp_status cmp_mish_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out);

/** Derivative of softplus: sigmoid(beta x), or 1 where beta x > threshold. */
CMP_API cmp_status cmp_softplus_backward(cmp_tensor grad_output, cmp_tensor self, double beta, double threshold, cmp_tensor* out);

/** Derivative of PyTorch's general ELU (elu, selu, celu): scale where x > 0, else input_scale * alpha * scale * e^(x * input_scale). elu is (alpha, 1, 1), celu (alpha, 1, 1 / alpha), selu its fixed alpha and scale with input_scale 1. */
CMP_API cmp_status cmp_elu_backward(cmp_tensor grad_output, cmp_tensor self, double alpha, double scale, double input_scale, cmp_tensor* out);

/** Derivative of hardswish: 0 below -3, x / 3 + 1/2 up to 3, 1 above. */
CMP_API cmp_status cmp_hardswish_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out);

/** Derivative of hardsigmoid: 1/6 strictly between -3 and 3, else 0. */
CMP_API cmp_status cmp_hardsigmoid_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out);

/** Derivative of logsigmoid: sigmoid(-x). */
CMP_API cmp_status cmp_logsigmoid_backward(cmp_tensor grad_output, cmp_tensor self, cmp_tensor* out);

/** Derivative of leaky_relu: 1 where x > 0, else negative_slope. */
CMP_API cmp_status cmp_leaky_relu_backward(cmp_tensor grad_output, cmp_tensor self, double negative_slope, cmp_tensor* out);

/** Derivative of hardtanh (relu6 is hardtanh(0, 6)): 0 where x <= min_val or x >= max_val, else 1. */
CMP_API cmp_status cmp_hardtanh_backward(cmp_tensor grad_output, cmp_tensor self, double min_val, double max_val, cmp_tensor* out);

/** Derivative of sigmoid from its result y = sigmoid(x): (1 - y) y. */
CMP_API cmp_status cmp_sigmoid_backward(cmp_tensor grad_output, cmp_tensor output, cmp_tensor* out);

/** Derivative of tanh from its result y = tanh(x): 1 - y^2. */
CMP_API cmp_status cmp_tanh_backward(cmp_tensor grad_output, cmp_tensor output, cmp_tensor* out);

/* end of section: pointwise-unary */

#endif /* COMPUTE_OPS_POINTWISE_UNARY_H */
