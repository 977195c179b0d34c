// The fused activation derivatives' table and their per-element formulas, written once for
// both devices: the CPU kernels (cpu/kernels/activation_backward.cpp, per ISA) call them with the
// CPU's vectorisable approximations (vexp, vnormal_cdf, vtanh, vsigmoid of cpu/unary_math_vec.h, so the
// dense loops still vectorise), the CUDA backend (cuda/activation_backward.cu) with the CUDA
// math library, and the routing tests' fake backend with the C library. The math is a policy
// type Math with static exp, normal_cdf (the standard normal CDF), tanh, log1p and sigmoid of
// the compute type M (float for the
// 16-bit floats); every formula keeps PyTorch's *_backward order of terms. Nothing here includes
// core/ headers, so nvcc can read it.
#pragma once

#include <cstdint>
#if defined(__CUDACC__)
#define CMP_ACT_HD __host__ __device__ __forceinline__
#else
#include "cpu/vec_inline.h"
// Forced inline: each CPU kernel's loop vectorises with the formula in it (and a per-ISA
// kernel must not call another ISA's out-of-line copy).
#define CMP_ACT_HD CMP_VEC_INLINE
#endif

namespace cmp::cpu {

// X(Name, name, OfResult): cmp_<name>_backward is the C function; OfResult 1 means the second
// operand is the forward's result y (sigmoid, tanh: their derivative is cheapest from y), 0
// that it is the forward's input x.
#define CMP_ACTIVATION_BACKWARD_OPS(X) \
    X(Gelu, gelu, 0)                   \
    X(GeluTanh, gelu, 0)               \
    X(Silu, silu, 0)                   \
    X(Mish, mish, 0)                   \
    X(Softplus, softplus, 0)           \
    X(Elu, elu, 0)                     \
    X(Hardswish, hardswish, 0)         \
    X(Hardsigmoid, hardsigmoid, 0)     \
    X(Logsigmoid, logsigmoid, 0)       \
    X(LeakyRelu, leaky_relu, 0)        \
    X(Hardtanh, hardtanh, 0)           \
    X(Sigmoid, sigmoid, 1)             \
    X(Tanh, tanh, 1)

enum class ActivationBackwardOp {
#define CMP_ACTIVATION_BACKWARD_ENUM(Name, name, of_result) Name,
    CMP_ACTIVATION_BACKWARD_OPS(CMP_ACTIVATION_BACKWARD_ENUM)
#undef CMP_ACTIVATION_BACKWARD_ENUM
};

// The parameters of an op, by position: softplus (a = beta, b = threshold); elu (a = alpha,
// b = scale, c = input_scale: PyTorch's one form behind elu, selu and celu); leaky_relu
// (a = negative_slope); hardtanh (a = min_val, b = max_val). The others read none.
struct ActivationBackwardParams {
    double a = 0.0;
    double b = 0.0;
    double c = 0.0;
};

// An op's parameters in the compute type M, formed once per launch (as PyTorch converts a
// Python float to the tensor's type): softplus (a = beta, b = threshold), elu (a = negcoef =
// alpha * scale, b = poscoef = scale, c = negiptcoef = input_scale), leaky_relu (a = slope),
// hardtanh (a = min, b = max).
template <typename M>
struct ActivationCoefs {
    M a, b, c;
};

template <typename M>
ActivationCoefs<M> activation_coefs(ActivationBackwardOp op, const ActivationBackwardParams& p) {
    if (op == ActivationBackwardOp::Elu) return {M(p.a) * M(p.b), M(p.b), M(p.c)};
    return {M(p.a), M(p.b), M(p.c)};
}

namespace act_grad {

// d/dx x Phi(x) = Phi(x) + x phi(x).
template <class Math, typename M>
CMP_ACT_HD M gelu(M g, M x) {
    const M cdf = Math::normal_cdf(x);
    const M pdf = Math::exp(M(-0.5) * x * x) * M(0.39894228040143267794);  // 1 / sqrt(2 pi)
    return g * (cdf + x * pdf);
}

// The tanh approximation x/2 (1 + t), t = tanh(beta (x + kappa x^3)), differentiated as is:
// (1 + t)/2 + x/2 (1 - t^2) beta (1 + 3 kappa x^2).
template <class Math, typename M>
CMP_ACT_HD M gelu_tanh(M g, M x) {
    constexpr M beta = M(0.79788456080286535588);  // sqrt(2/pi)
    constexpr M kappa = M(0.044715);
    const M x2 = x * x;
    const M t = Math::tanh(beta * (x + kappa * x2 * x));
    const M inner = beta * (M(1) + M(3) * kappa * x2);
    return g * (M(0.5) * (M(1) + t) + M(0.5) * x * (M(1) - t * t) * inner);
}

// d/dx x s(x) = s (1 + x (1 - s)), s = sigmoid(x).
template <class Math, typename M>
CMP_ACT_HD M silu(M g, M x) {
    const M s = Math::sigmoid(x);
    return g * s * (M(1) + x * (M(1) - s));
}

// d/dx x tanh(softplus(x)) = t + x sigmoid(x) (1 - t^2), t = tanh(log1p(e^x)) as the forward.
template <class Math, typename M>
CMP_ACT_HD M mish(M g, M x) {
    const M t = Math::tanh(Math::log1p(Math::exp(x)));
    return g * (t + x * Math::sigmoid(x) * (M(1) - t * t));
}

// sigmoid(beta x) below the threshold; above it the forward is x itself. PyTorch writes the
// sigmoid as z / (z + 1) with z = e^(beta x), which is inf / inf = NaN where z overflows under a
// large threshold; 1 / (1 + e^-(beta x)) is the same number without that.
template <class Math, typename M>
CMP_ACT_HD M softplus(M g, M x, M beta, M threshold) {
    const M z = x * beta;
    return z > threshold ? g : g * Math::sigmoid(z);
}

// PyTorch's elu_backward on the input: scale above 0, input_scale alpha scale e^(x input_scale)
// at and below (NaN, failing x <= 0, gets scale like PyTorch's).
template <class Math, typename M>
CMP_ACT_HD M elu(M g, M x, M negcoef, M poscoef, M negiptcoef) {
    return x <= M(0) ? g * negiptcoef * negcoef * Math::exp(x * negiptcoef) : g * poscoef;
}

// 0 below -3, x/3 + 1/2 on [-3, 3], 1 above (and for NaN).
template <typename M>
CMP_ACT_HD M hardswish(M g, M x) {
    return x < M(-3) ? M(0) : (x <= M(3) ? g * (x / M(3) + M(0.5)) : g);
}

// 1/6 strictly inside (-3, 3), else 0 (NaN included). g / 6 rather than PyTorch's g * (1/6 in
// float32): the exact derivative of relu6(x + 3) / 6, which double backward differentiates.
template <typename M>
CMP_ACT_HD M hardsigmoid(M g, M x) {
    return (x > M(-3)) & (x < M(3)) ? g / M(6) : M(0);
}

// d/dx log sigmoid(x) = sigmoid(-x) = 1 / (1 + e^x): 0 for large x, 1 for very negative x.
template <class Math, typename M>
CMP_ACT_HD M logsigmoid(M g, M x) {
    return g * Math::sigmoid(-x);
}

template <typename M>
CMP_ACT_HD M leaky_relu(M g, M x, M slope) {
    return x > M(0) ? g : g * slope;
}

// The gradient passes strictly inside (min_val, max_val); PyTorch tests the outside, so NaN
// passes it.
template <typename M>
CMP_ACT_HD M hardtanh(M g, M x, M lo, M hi) {
    return (x <= lo) | (x >= hi) ? M(0) : g;
}

// From the forward's result y: sigmoid' = (1 - y) y, tanh' = 1 - y^2 (PyTorch's order of terms).
template <typename M>
CMP_ACT_HD M sigmoid(M g, M y) {
    return g * (M(1) - y) * y;
}
template <typename M>
CMP_ACT_HD M tanh(M g, M y) {
    return g * (M(1) - y * y);
}

// Every op by its enum value, for the callers that switch per launch rather than instantiate a
// loop per op (the CUDA kernel, the fake backend): v is the forward's input, or its result for
// the OfResult ops.
template <class Math, typename M>
CMP_ACT_HD M apply(ActivationBackwardOp op, M g, M v, const ActivationCoefs<M>& k) {
    switch (op) {
        case ActivationBackwardOp::Gelu: return gelu<Math>(g, v);
        case ActivationBackwardOp::GeluTanh: return gelu_tanh<Math>(g, v);
        case ActivationBackwardOp::Silu: return silu<Math>(g, v);
        case ActivationBackwardOp::Mish: return mish<Math>(g, v);
        case ActivationBackwardOp::Softplus: return softplus<Math>(g, v, k.a, k.b);
        case ActivationBackwardOp::Elu: return elu<Math>(g, v, k.a, k.b, k.c);
        case ActivationBackwardOp::Hardswish: return hardswish(g, v);
        case ActivationBackwardOp::Hardsigmoid: return hardsigmoid(g, v);
        case ActivationBackwardOp::Logsigmoid: return logsigmoid<Math>(g, v);
        case ActivationBackwardOp::LeakyRelu: return leaky_relu(g, v, k.a);
        case ActivationBackwardOp::Hardtanh: return hardtanh(g, v, k.a, k.b);
        case ActivationBackwardOp::Sigmoid: return sigmoid(g, v);
        case ActivationBackwardOp::Tanh: return tanh(g, v);
    }
    return g;  // not reached: the caller checked op
}

// Whether op is one of the table (for a value that crossed a C boundary).
inline bool known_activation_backward_op(int32_t op) {
    return op >= 0 && op <= static_cast<int32_t>(ActivationBackwardOp::Tanh);
}

}  // namespace act_grad
}  // namespace cmp::cpu
