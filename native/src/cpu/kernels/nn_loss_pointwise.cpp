// Elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy, its logits form, kl_div)
// and their derivatives with respect to input and target. Each loss is one formula on opmath
// values; the TensorIterator has already broadcast and converted the operands, and the shared
// loops of loops.h give the dense/broadcast/strided inner loops. The op and the optional
// weight operands are template parameters so each inner loop is branch-free.
#include "cpu/loops.h"
#include "cpu/nn_loss_stubs.h"
#include "cpu/unary_math_vec.h"
#include "cpu/vec_math.h"

#include <algorithm>
#include <cmath>

namespace cmp::cpu {
namespace {

using L = PointwiseLoss;

// Transcendental formulas cost tens of cycles per element: parallelise sooner.
constexpr int64_t kGrain = kDefaultGrain / 8;

// softplus(-x) = log(1 + e^-x) without overflow: max(-x, 0) + log(e^-max + e^(-x - max)),
// PyTorch's formulation for binary_cross_entropy_with_logits.
template <typename M>
CMP_VEC_INLINE M softplus_neg(M x) {
    const M mv = std::max(-x, M(0));
    return vlog(vexp(-mv) + vexp(-x - mv)) + mv;
}

template <typename M>
M sign_of(M d) {
    return static_cast<M>((d > 0) - (d < 0));
}

// The loss of one element; pw is pos_weight (1 when absent), p the op's beta or delta.
template <L Op, typename M>
M loss_value(M x, M y, M pw, M p) {
    if constexpr (Op == L::Mse) {
        return (x - y) * (x - y);
    } else if constexpr (Op == L::L1) {
        return std::abs(x - y);
    } else if constexpr (Op == L::SmoothL1) {
        const M d = std::abs(x - y);
        return d < p ? M(0.5) * d * d / p : d - M(0.5) * p;
    } else if constexpr (Op == L::Huber) {
        const M d = std::abs(x - y);
        return d < p ? M(0.5) * d * d : p * (d - M(0.5) * p);
    } else if constexpr (Op == L::Bce) {
        // Each log clamped at -100 so 0 and 1 give a finite loss, as PyTorch.
        return (y - M(1)) * std::max(static_cast<M>(std::log1p(-x)), M(-100)) - y * std::max(static_cast<M>(std::log(x)), M(-100));
    } else if constexpr (Op == L::BceLogits) {
        return (M(1) - y) * x + (M(1) + (pw - M(1)) * y) * softplus_neg(x);
    } else if constexpr (Op == L::KlDiv) {
        // xlogy(y, y) - y x: 0 log 0 counts as 0.
        return (y == M(0) ? M(0) : y * static_cast<M>(std::log(y))) - y * x;
    } else {
        return vexp(y) * (y - x);
    }
}

// d loss / d input of one element.
template <L Op, typename M>
M grad_input_value(M x, M y, M pw, M p) {
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
        return d / std::max((M(1) - x) * x, M(1e-12));
    } else if constexpr (Op == L::BceLogits) {
        return (pw * y + M(1) - y) * vsigmoid(x) - pw * y;
    } else if constexpr (Op == L::KlDiv) {
        return -y;
    } else {
        return -vexp(y);
    }
}

// d loss / d target of one element.
template <L Op, typename M>
M grad_target_value(M x, M y, M pw, M p) {
    if constexpr (Op == L::Bce) {
        // Unlike the loss, PyTorch's target derivative does not clamp the logs (inf at 0 and 1).
        return static_cast<M>(std::log1p(-x)) - static_cast<M>(std::log(x));
    } else if constexpr (Op == L::BceLogits) {
        return (pw - M(1)) * softplus_neg(x) - x;
    } else if constexpr (Op == L::KlDiv) {
        // The derivative of xlogy(y, y) as autograd forms it: log y (0 where y == 0) + y / y.
        return (y == M(0) ? M(0) : static_cast<M>(std::log(y))) + y / y - x;
    } else if constexpr (Op == L::KlDivLogTarget) {
        return vexp(y) * (y - x + M(1));
    } else {
        return -grad_input_value<Op>(x, y, pw, p);
    }
}

// Runs f(x, y, pw) (times the weight when there is one) over the iterator, whose inputs are
// x, y, then [weight][pos_weight].
template <typename T, bool W, bool PW, typename F>
void run_weighted(TensorIterator& it, const F& f) {
    using M = opmath_t<T>;
    if constexpr (W && PW)
        it.for_each(pointwise_loop<T, T, T, T, T>([f](M x, M y, M w, M pw) { return f(x, y, pw) * w; }), kGrain);
    else if constexpr (W)
        it.for_each(pointwise_loop<T, T, T, T>([f](M x, M y, M w) { return f(x, y, M(1)) * w; }), kGrain);
    else if constexpr (PW)
        it.for_each(pointwise_loop<T, T, T, T>([f](M x, M y, M pw) { return f(x, y, pw); }), kGrain);
    else
        it.for_each(pointwise_loop<T, T, T>([f](M x, M y) { return f(x, y, M(1)); }), kGrain);
}

// Same, with a leading grad operand g multiplied in, times scale.
template <typename T, bool W, bool PW, typename F>
void run_grad(TensorIterator& it, const F& f, opmath_t<T> scale) {
    using M = opmath_t<T>;
    if constexpr (W && PW)
        it.for_each(pointwise_loop<T, T, T, T, T, T>([f, scale](M g, M x, M y, M w, M pw) { return g * scale * f(x, y, pw) * w; }), kGrain);
    else if constexpr (W)
        it.for_each(pointwise_loop<T, T, T, T, T>([f, scale](M g, M x, M y, M w) { return g * scale * f(x, y, M(1)) * w; }), kGrain);
    else if constexpr (PW)
        it.for_each(pointwise_loop<T, T, T, T, T>([f, scale](M g, M x, M y, M pw) { return g * scale * f(x, y, pw); }), kGrain);
    else
        it.for_each(pointwise_loop<T, T, T, T>([f, scale](M g, M x, M y) { return g * scale * f(x, y, M(1)); }), kGrain);
}

// Calls fn.template operator()<Op, W, PW>() for the runtime op and operand flags; only the
// binary cross entropies take weights, only the logits form a pos_weight.
template <typename Fn>
void dispatch_loss(const PointwiseLossArgs& a, const Fn& fn) {
    switch (a.op) {
        case L::Mse: return fn.template operator()<L::Mse, false, false>();
        case L::L1: return fn.template operator()<L::L1, false, false>();
        case L::SmoothL1: return fn.template operator()<L::SmoothL1, false, false>();
        case L::Huber: return fn.template operator()<L::Huber, false, false>();
        case L::KlDiv: return fn.template operator()<L::KlDiv, false, false>();
        case L::KlDivLogTarget: return fn.template operator()<L::KlDivLogTarget, false, false>();
        case L::Bce:
            if (a.has_weight) return fn.template operator()<L::Bce, true, false>();
            return fn.template operator()<L::Bce, false, false>();
        case L::BceLogits:
            if (a.has_weight && a.has_pos_weight) return fn.template operator()<L::BceLogits, true, true>();
            if (a.has_weight) return fn.template operator()<L::BceLogits, true, false>();
            if (a.has_pos_weight) return fn.template operator()<L::BceLogits, false, true>();
            return fn.template operator()<L::BceLogits, false, false>();
    }
}

void pointwise_loss(TensorIterator& it, const PointwiseLossArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(it.compute_dtype(), "loss", [&] {
        using M = opmath_t<scalar_t>;
        const M p = static_cast<M>(a.param);
        dispatch_loss(a, [&]<L Op, bool W, bool PW>() {
            run_weighted<scalar_t, W, PW>(it, [p](M x, M y, M pw) { return loss_value<Op>(x, y, pw, p); });
        });
    });
}

void pointwise_loss_backward(TensorIterator& it, const PointwiseLossArgs& a, bool grad_target, double scale) {
    CMP_DISPATCH_FLOATING_TYPES(it.compute_dtype(), "loss_backward", [&] {
        using M = opmath_t<scalar_t>;
        const M p = static_cast<M>(a.param), sc = static_cast<M>(scale);
        dispatch_loss(a, [&]<L Op, bool W, bool PW>() {
            if (grad_target)
                run_grad<scalar_t, W, PW>(it, [p](M x, M y, M pw) { return grad_target_value<Op>(x, y, pw, p); }, sc);
            else
                run_grad<scalar_t, W, PW>(it, [p](M x, M y, M pw) { return grad_input_value<Op>(x, y, pw, p); }, sc);
        });
    });
}

}  // namespace

CMP_REGISTER_KERNEL(pointwise_loss_stub, &pointwise_loss)
CMP_REGISTER_KERNEL(pointwise_loss_backward_stub, &pointwise_loss_backward)

}  // namespace cmp::cpu
