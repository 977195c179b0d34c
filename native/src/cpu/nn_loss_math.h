// The pointwise losses' per-element formulas (loss, d/d input, d/d target), written once for both
// devices: the CPU kernels (cpu/kernels/nn_loss_pointwise.cpp, per ISA) call them with their
// math (the vectorisable vexp, vlog, vsigmoid of cpu/unary_math_vec.h where the CPU used them, the
// C library's log and log1p where it did: the binary cross entropy's clamped logs and kl_div's
// xlogy), the CUDA backend (cuda/pointwise_loss.cu) with the CUDA math library, and the routing
// tests' fake backend with the C library. The math is a policy type Math with static exp, log,
// sigmoid, fabs and the scalar log_scalar, log1p_scalar of the compute type M (float for the
// 16-bit floats). Nothing here includes core/ headers, so nvcc can read it.
#pragma once

#include <cstdint>
#if defined(__CUDACC__)
#define CMP_LOSS_HD __host__ __device__ __forceinline__
#define CMP_LOSS_VEC __host__ __device__ __forceinline__
#else
#include "cpu/vec_inline.h"
// On the CPU the formulas are plain templates, inlined as the compiler sees fit (forcing them
// grew the baseline kernels by a third), except softplus_neg, forced as it always was. Every
// instantiation names the caller's Math type, which the CPU kernels define per ISA in an
// anonymous namespace, so no ISA's copy can stand in for another's.
#define CMP_LOSS_HD
#define CMP_LOSS_VEC CMP_VEC_INLINE
#endif

namespace cmp::cpu {

enum class PointwiseLoss { Mse, L1, SmoothL1, Huber, Bce, BceLogits, KlDiv, KlDivLogTarget };

namespace loss_math {

using L = PointwiseLoss;

// std::max exactly (a NaN first argument is returned), without <algorithm> on the device.
template <typename M>
CMP_LOSS_HD M max_of(M a, M b) {
    return a < b ? b : a;
}

template <typename M>
CMP_LOSS_HD M sign_of(M d) {
    return static_cast<M>((d > 0) - (d < 0));
}

// softplus(-x) = log(1 + e^-x) without overflow: max(-x, 0) + log(e^-max + e^(-x - max)),
// PyTorch's formulation for binary_cross_entropy_with_logits.
template <class Math, typename M>
CMP_LOSS_VEC M softplus_neg(M x) {
    const M mv = max_of(-x, M(0));
    return Math::log(Math::exp(-mv) + Math::exp(-x - mv)) + mv;
}

// The loss of one element; pw is pos_weight (1 when absent), p the op's beta or delta.
template <class Math, L Op, typename M>
CMP_LOSS_HD M loss_value(M x, M y, M pw, M p) {
    if constexpr (Op == L::Mse) {
        return (x - y) * (x - y);
    } else if constexpr (Op == L::L1) {
        return Math::fabs(x - y);
    } else if constexpr (Op == L::SmoothL1) {
        const M d = Math::fabs(x - y);
        return d < p ? M(0.5) * d * d / p : d - M(0.5) * p;
    } else if constexpr (Op == L::Huber) {
        const M d = Math::fabs(x - y);
        return d < p ? M(0.5) * d * d : p * (d - M(0.5) * p);
    } else if constexpr (Op == L::Bce) {
        // Each log clamped at -100 so 0 and 1 give a finite loss, as PyTorch.
        return (y - M(1)) * max_of(Math::log1p_scalar(-x), M(-100)) - y * max_of(Math::log_scalar(x), M(-100));
    } else if constexpr (Op == L::BceLogits) {
        return (M(1) - y) * x + (M(1) + (pw - M(1)) * y) * softplus_neg<Math>(x);
    } else if constexpr (Op == L::KlDiv) {
        // xlogy(y, y) - y x: 0 log 0 counts as 0.
        return (y == M(0) ? M(0) : y * Math::log_scalar(y)) - y * x;
    } else {
        return Math::exp(y) * (y - x);
    }
}

// d loss / d input of one element.
template <class Math, L Op, typename M>
CMP_LOSS_HD M grad_input_value(M x, M y, M pw, M p) {
    const M d = x - y;
    if constexpr (Op == L::Mse) {
        return M(2) * d;
    } else if constexpr (Op == L::L1) {
        return sign_of(d);
    } else if constexpr (Op == L::SmoothL1) {
        // PyTorch's branch order: with beta = 0 a zero difference takes the -1 branch.
        return d <= -p ? M(-1) : d >= p ? M(1) : d / p;
    } else if constexpr (Op == L::Huber) {
        return d <= -p ? -p : d >= p ? p : d;
    } else if constexpr (Op == L::Bce) {
        return d / max_of((M(1) - x) * x, M(1e-12));
    } else if constexpr (Op == L::BceLogits) {
        return (pw * y + M(1) - y) * Math::sigmoid(x) - pw * y;
    } else if constexpr (Op == L::KlDiv) {
        return -y;
    } else {
        return -Math::exp(y);
    }
}

// d loss / d target of one element.
template <class Math, L Op, typename M>
CMP_LOSS_HD M grad_target_value(M x, M y, M pw, M p) {
    if constexpr (Op == L::Bce) {
        // Unlike the loss, PyTorch's target derivative does not clamp the logs (inf at 0 and 1).
        return Math::log1p_scalar(-x) - Math::log_scalar(x);
    } else if constexpr (Op == L::BceLogits) {
        return (pw - M(1)) * softplus_neg<Math>(x) - x;
    } else if constexpr (Op == L::KlDiv) {
        // The derivative of xlogy(y, y) as autograd forms it: log y (0 where y == 0) + y / y.
        return (y == M(0) ? M(0) : Math::log_scalar(y)) + y / y - x;
    } else if constexpr (Op == L::KlDivLogTarget) {
        return Math::exp(y) * (y - x + M(1));
    } else {
        return -grad_input_value<Math, Op>(x, y, pw, p);
    }
}

// What one launch computes: the loss, its derivative with respect to input, or to target.
enum class LossValue { Loss, GradInput, GradTarget };

template <class Math, L Op, typename M>
CMP_LOSS_HD M value_of(LossValue what, M x, M y, M pw, M p) {
    switch (what) {
        case LossValue::Loss: return loss_value<Math, Op>(x, y, pw, p);
        case LossValue::GradInput: return grad_input_value<Math, Op>(x, y, pw, p);
        case LossValue::GradTarget: return grad_target_value<Math, Op>(x, y, pw, p);
    }
    return x;  // not reached
}

// A launch's constants in the compute type M, for the callers that switch per launch rather
// than instantiate a loop per op (the CUDA kernel, the fake backend).
template <typename M>
struct LossPlan {
    L op;
    LossValue what;
    bool has_weight, has_pos_weight;
    M param;  // beta, delta
    M scale;  // backward only: 1/n for a mean
};

// One element of a launch, as the CPU kernels form it: the loss f(x, y, pw) (times weight), or
// g * scale * f'(x, y, pw) (times weight). in holds the inputs in the iteration's order:
// [g,] x, y[, weight][, pos_weight].
template <class Math, typename M>
CMP_LOSS_HD M element(const LossPlan<M>& k, const M* in) {
    const bool backward = k.what != LossValue::Loss;
    const M* xy = backward ? in + 1 : in;
    const M w = k.has_weight ? xy[2] : M(1);
    const M pw = k.has_pos_weight ? xy[k.has_weight ? 3 : 2] : M(1);
    M f = M(0);
    switch (k.op) {
#define CMP_LOSS_CASE(Op) \
    case Op: f = value_of<Math, Op>(k.what, xy[0], xy[1], pw, k.param); break;
        CMP_LOSS_CASE(L::Mse)
        CMP_LOSS_CASE(L::L1)
        CMP_LOSS_CASE(L::SmoothL1)
        CMP_LOSS_CASE(L::Huber)
        CMP_LOSS_CASE(L::Bce)
        CMP_LOSS_CASE(L::BceLogits)
        CMP_LOSS_CASE(L::KlDiv)
        CMP_LOSS_CASE(L::KlDivLogTarget)
#undef CMP_LOSS_CASE
    }
    const M r = backward ? in[0] * k.scale * f : f;
    return k.has_weight ? r * w : r;
}

// Whether op is one of the enum (for a value that crossed a C boundary).
inline bool known_loss(int32_t op) { return op >= 0 && op <= static_cast<int32_t>(L::KlDivLogTarget); }

}  // namespace loss_math
}  // namespace cmp::cpu
