// Unary math and activations (the pointwise-unary family of issue 3), internal API. The table
// of ops is in cpu/unary_math_stubs.h; every op here has PyTorch's dtype rules (see UnaryDomain)
// and the _ forms work in place on their argument.
#pragma once

#include "core/tensor.h"
#include "cpu/unary_math_stubs.h"

#include <compute/compute.h>

#include <optional>

namespace cmp::ops {

// Any op of the table with its parameters; `out` undefined: a new tensor, else in place
// (then out is also the input). The named functions below call these.
Tensor unary_math(const char* name, cpu::UnaryMathOp op, const Tensor& a, const cpu::UnaryMathParams& p = {});
void unary_math_(const char* name, cpu::UnaryMathOp op, const Tensor& a, const cpu::UnaryMathParams& p = {});

// One function per op without parameters: abs(a), sqrt(a)..., and abs_(a)... for the ops with
// an in-place form (CMP_UNARY_INPLACE_1 expands, CMP_UNARY_INPLACE_0 does not).
#define CMP_UNARY_INPLACE_0(...)
#define CMP_UNARY_INPLACE_1(...) __VA_ARGS__
#define CMP_UNARY_DECLARE(Name, name, domain, inplace) \
    Tensor name(const Tensor& a);                      \
    CMP_UNARY_INPLACE_##inplace(void name##_(const Tensor& a);)
CMP_UNARY_MATH_PLAIN_OPS(CMP_UNARY_DECLARE)
#undef CMP_UNARY_DECLARE

// eps < 0: no clamp (PyTorch's eps=None).
Tensor logit(const Tensor& a, double eps);
void logit_(const Tensor& a, double eps);
// polygamma(n, a), n >= 0 (PyTorch's torch.polygamma(n, input)).
Tensor polygamma(const Tensor& a, int64_t n);
void polygamma_(const Tensor& a, int64_t n);
Tensor round(const Tensor& a, int64_t decimals);
void round_(const Tensor& a, int64_t decimals);
Tensor gelu(const Tensor& a, bool tanh_approximation);
Tensor softplus(const Tensor& a, double beta, double threshold);
Tensor elu(const Tensor& a, double alpha);
void elu_(const Tensor& a, double alpha);
Tensor celu(const Tensor& a, double alpha);
void celu_(const Tensor& a, double alpha);
Tensor leaky_relu(const Tensor& a, double negative_slope);
void leaky_relu_(const Tensor& a, double negative_slope);
Tensor hardtanh(const Tensor& a, double min_val, double max_val);
void hardtanh_(const Tensor& a, double min_val, double max_val);
Tensor nan_to_num(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf);
void nan_to_num_(const Tensor& a, double nan, std::optional<double> posinf, std::optional<double> neginf);

// clamp with number bounds (either may be absent, not both) or tensor bounds (same rule).
Tensor clamp(const Tensor& a, std::optional<cmp_scalar> min, std::optional<cmp_scalar> max);
void clamp_(const Tensor& a, std::optional<cmp_scalar> min, std::optional<cmp_scalar> max);
Tensor clamp(const Tensor& a, const Tensor& min, const Tensor& max);  // either may be undefined
void clamp_(const Tensor& a, const Tensor& min, const Tensor& max);

}  // namespace cmp::ops
