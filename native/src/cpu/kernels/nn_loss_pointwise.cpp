// Elementwise losses (mse, l1, smooth_l1, huber, binary_cross_entropy, its logits form, kl_div)
// and their derivatives with respect to input and target. Each loss is one formula on opmath
// values (cpu/nn_loss_math.h, shared with the CUDA backend); the TensorIterator has already
// broadcast and converted the operands, and the shared loops of loops.h give the
// dense/broadcast/strided inner loops. The op and the optional
// weight operands are template parameters so each inner loop is branch-free.
#include "cpu/loops.h"
#include "cpu/nn_loss_math.h"
#include "cpu/nn_loss_stubs.h"
#include "cpu/vec_math_policy.h"
#include "cpu/vec_math.h"

#include <algorithm>
#include <cmath>

namespace cmp::cpu {
namespace {

using L = PointwiseLoss;

// Transcendental formulas cost tens of cycles per element: parallelise sooner.
constexpr int64_t kGrain = kDefaultGrain / 8;

// The math of the shared formulas (cpu/nn_loss_math.h): the vectorisable approximations, and the C
// library's log and log1p where the CPU has always used them (the binary cross entropy's clamped
// logs, kl_div's xlogy).
struct CpuMath : VecMath {
    template <typename M>
    static CMP_VEC_INLINE M log_scalar(M x) { return static_cast<M>(std::log(x)); }
    template <typename M>
    static CMP_VEC_INLINE M log1p_scalar(M x) { return static_cast<M>(std::log1p(x)); }
};

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
            run_weighted<scalar_t, W, PW>(
                it, [p](M x, M y, M pw) { return loss_math::loss_value<CpuMath, Op>(x, y, pw, p); });
        });
    });
}

void pointwise_loss_backward(TensorIterator& it, const PointwiseLossArgs& a, bool grad_target, double scale) {
    CMP_DISPATCH_FLOATING_TYPES(it.compute_dtype(), "loss_backward", [&] {
        using M = opmath_t<scalar_t>;
        const M p = static_cast<M>(a.param), sc = static_cast<M>(scale);
        dispatch_loss(a, [&]<L Op, bool W, bool PW>() {
            if (grad_target)
                run_grad<scalar_t, W, PW>(
                    it, [p](M x, M y, M pw) { return loss_math::grad_target_value<CpuMath, Op>(x, y, pw, p); }, sc);
            else
                run_grad<scalar_t, W, PW>(
                    it, [p](M x, M y, M pw) { return loss_math::grad_input_value<CpuMath, Op>(x, y, pw, p); }, sc);
        });
    });
}

}  // namespace

CMP_REGISTER_KERNEL(pointwise_loss_stub, &pointwise_loss)
CMP_REGISTER_KERNEL(pointwise_loss_backward_stub, &pointwise_loss_backward)

}  // namespace cmp::cpu
