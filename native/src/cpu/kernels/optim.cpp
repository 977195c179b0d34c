// Fused optimizer updates (see cpu/optim_stubs.h). Each loop body mirrors the sequence of
// tensor ops in torch/optim/*.py (single-tensor path) element by element, keeping PyTorch's
// evaluation order (addcmul: value * t1 * t2, addcdiv: value * t1 / t2, add with alpha:
// self + alpha * other) so that results match it to rounding. Scalars are converted to the
// opmath type once, as PyTorch's CPU kernels convert a Python float to the tensor's type.
// Elements are independent, so chunks run on the pool without affecting the result.
#include "core/parallel.h"
#include "cpu/optim_stubs.h"

#include <cmath>

namespace cmp::cpu {
namespace {

template <typename Body>
void for_chunks(const OptimBuffers& b, const Body& body) {
    parallel_for(0, b.n, kDefaultGrain, [&](int64_t i0, int64_t i1) { body(i0, i1); });
}

// The gradient as the update uses it: negated for maximize, plus weight_decay * param when
// weight decay is coupled (grad.add(param, alpha=weight_decay)).
template <typename A>
inline A effective_grad(A g, A p, bool maximize, bool couple, A wd) {
    if (maximize) g = -g;
    return couple ? g + wd * p : g;
}

template <typename T>
void sgd_typed(const OptimBuffers& b, const SgdArgs& a) {
    using A = opmath_t<T>;
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict buf = static_cast<T*>(b.state0);
    const A lr_neg = static_cast<A>(-a.lr), wd = static_cast<A>(a.weight_decay), mom = static_cast<A>(a.momentum);
    const A one_minus_damp = static_cast<A>(1 - a.dampening);
    const bool couple = a.weight_decay != 0, use_buf = a.momentum != 0;
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            const A pv = static_cast<A>(p[i]);
            A d = effective_grad(static_cast<A>(gr[i]), pv, a.maximize, couple, wd);
            if (use_buf) {
                A bv = a.init_buffer ? d : static_cast<A>(buf[i]) * mom + one_minus_damp * d;
                buf[i] = static_cast<T>(bv);
                bv = static_cast<A>(buf[i]);
                d = a.nesterov ? d + mom * bv : bv;
            }
            p[i] = static_cast<T>(pv + lr_neg * d);
        }
    });
}

// torch.maximum: NaN in either operand gives NaN.
template <typename A>
inline A nan_max(A x, A y) {
    return (x != x || x > y) ? x : y;
}

template <typename T>
void adam_typed(const OptimBuffers& b, const AdamArgs& a) {
    using A = opmath_t<T>;
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict m = static_cast<T*>(b.state0);
    T* __restrict v = static_cast<T*>(b.state1);
    T* __restrict vmax = static_cast<T*>(b.state2);
    const A beta1 = static_cast<A>(a.beta1), beta2 = static_cast<A>(a.beta2);
    const A one_minus_beta1 = static_cast<A>(1 - a.beta1), one_minus_beta2 = static_cast<A>(1 - a.beta2);
    const A wd = static_cast<A>(a.weight_decay), eps = static_cast<A>(a.eps);
    const A decay = static_cast<A>(1 - a.lr * a.weight_decay);  // AdamW: param.mul_(1 - lr * weight_decay)
    const A bc2 = static_cast<A>(a.bias_correction2_sqrt), step_neg = static_cast<A>(-a.step_size);
    const bool couple = !a.decoupled && a.weight_decay != 0;
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            A pv = static_cast<A>(p[i]);
            if (a.decoupled) pv = static_cast<A>(static_cast<T>(pv * decay));
            const A g = effective_grad(static_cast<A>(gr[i]), pv, a.maximize, couple, wd);
            const A mv = static_cast<A>(static_cast<T>(static_cast<A>(m[i]) * beta1 + one_minus_beta1 * g));
            A vv = static_cast<A>(static_cast<T>(static_cast<A>(v[i]) * beta2 + one_minus_beta2 * g * g));
            m[i] = static_cast<T>(mv);
            v[i] = static_cast<T>(vv);
            if (vmax) {
                vv = nan_max(static_cast<A>(vmax[i]), vv);
                vmax[i] = static_cast<T>(vv);
            }
            const A denom = std::sqrt(vv) / bc2 + eps;
            p[i] = static_cast<T>(pv + step_neg * mv / denom);
        }
    });
}

template <typename T>
void rmsprop_typed(const OptimBuffers& b, const RmspropArgs& a) {
    using A = opmath_t<T>;
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict sq = static_cast<T*>(b.state0);
    T* __restrict ga = static_cast<T*>(b.state1);
    T* __restrict buf = static_cast<T*>(b.state2);
    const A alpha = static_cast<A>(a.alpha), one_minus_alpha = static_cast<A>(1 - a.alpha);
    const A wd = static_cast<A>(a.weight_decay), eps = static_cast<A>(a.eps), mom = static_cast<A>(a.momentum);
    const A lr_neg = static_cast<A>(-a.lr);
    const bool couple = a.weight_decay != 0;
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            const A pv = static_cast<A>(p[i]);
            const A g = effective_grad(static_cast<A>(gr[i]), pv, a.maximize, couple, wd);
            const A sv = static_cast<A>(static_cast<T>(static_cast<A>(sq[i]) * alpha + one_minus_alpha * g * g));
            sq[i] = static_cast<T>(sv);
            A avg;
            if (ga) {
                const A gav = static_cast<A>(static_cast<T>(static_cast<A>(ga[i]) * alpha + one_minus_alpha * g));
                ga[i] = static_cast<T>(gav);
                avg = std::sqrt(sv + A(-1) * gav * gav);  // square_avg.addcmul(grad_avg, grad_avg, value=-1)
            } else {
                avg = std::sqrt(sv);
            }
            avg = avg + eps;
            if (buf) {
                const A bv = static_cast<A>(static_cast<T>(static_cast<A>(buf[i]) * mom + g / avg));
                buf[i] = static_cast<T>(bv);
                p[i] = static_cast<T>(pv + lr_neg * bv);
            } else {
                p[i] = static_cast<T>(pv + lr_neg * g / avg);
            }
        }
    });
}

template <typename T>
void adagrad_typed(const OptimBuffers& b, const AdagradArgs& a) {
    using A = opmath_t<T>;
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict sum = static_cast<T*>(b.state0);
    const A wd = static_cast<A>(a.weight_decay), eps = static_cast<A>(a.eps), clr_neg = static_cast<A>(-a.clr);
    const bool couple = a.weight_decay != 0;
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
            const A pv = static_cast<A>(p[i]);
            const A g = effective_grad(static_cast<A>(gr[i]), pv, a.maximize, couple, wd);
            const A s = static_cast<A>(static_cast<T>(static_cast<A>(sum[i]) + g * g));
            sum[i] = static_cast<T>(s);
            p[i] = static_cast<T>(pv + clr_neg * g / (std::sqrt(s) + eps));
        }
    });
}

void sgd_kernel(const OptimBuffers& b, const SgdArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "sgd_step", [&] { sgd_typed<scalar_t>(b, a); });
}
void adam_kernel(const OptimBuffers& b, const AdamArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "adam_step", [&] { adam_typed<scalar_t>(b, a); });
}
void rmsprop_kernel(const OptimBuffers& b, const RmspropArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "rmsprop_step", [&] { rmsprop_typed<scalar_t>(b, a); });
}
void adagrad_kernel(const OptimBuffers& b, const AdagradArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "adagrad_step", [&] { adagrad_typed<scalar_t>(b, a); });
}

}  // namespace

CMP_REGISTER_KERNEL(sgd_step_stub, sgd_kernel)
CMP_REGISTER_KERNEL(adam_step_stub, adam_kernel)
CMP_REGISTER_KERNEL(rmsprop_step_stub, rmsprop_kernel)
CMP_REGISTER_KERNEL(adagrad_step_stub, adagrad_kernel)

}  // namespace cmp::cpu
