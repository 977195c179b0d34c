// The element updates of the fused optimizers, written once for both devices: the CPU kernels
// (cpu/kernels/optim.cpp, per ISA) run them in a loop over their chunk, the CUDA backend
// (cuda/optim.cu) in a thread per element. Each body mirrors the sequence of tensor ops in
// torch/optim/*.py (single-tensor path) element by element, keeping PyTorch's evaluation order
// (addcmul: value * t1 * t2, addcdiv: value * t1 / t2, add with alpha: self + alpha * other)
// and rounding each stored state to T where PyTorch's in-place op would, so that results match
// it to rounding. Scalars are converted to the opmath type A once (the *_consts functions), as
// PyTorch's kernels convert a Python float to the tensor's type.
//
// T is the stored type (float, double, or a 16-bit float: cmp::Half / BFloat16 on the host,
// __half / __nv_bfloat16 on the device), A its opmath type (float for the 16-bit floats).
#pragma once

#include <cstdint>
#if defined(__CUDACC__)
#define CMP_OPTIM_HD __host__ __device__ __forceinline__
#else
#include "cpu/vec_inline.h"

#include <cmath>
// Forced inline: each CPU kernel's loop vectorises with the body in it (and a per-ISA kernel
// must not call another ISA's out-of-line copy).
#define CMP_OPTIM_HD CMP_VEC_INLINE
#endif

namespace cmp::cpu {

// SGD: state0 = momentum buffer (null when momentum == 0). init_buffer: the buffer is set to
// the gradient (PyTorch's first momentum step, no dampening) instead of being updated.
struct SgdArgs {
    double lr, momentum, dampening, weight_decay;
    bool nesterov, maximize, init_buffer;
};

// Adam/AdamW: state0 = exp_avg, state1 = exp_avg_sq, state2 = max_exp_avg_sq (amsgrad, else
// null). step_size = lr / (1 - beta1^step) and bias_correction2_sqrt = sqrt(1 - beta2^step) are
// formed in double by the caller, as PyTorch forms them in Python floats.
struct AdamArgs {
    double lr, beta1, beta2, eps, weight_decay;
    double step_size, bias_correction2_sqrt;
    bool decoupled, maximize;
};

// RMSprop: state0 = square_avg, state1 = grad_avg (centered, else null), state2 = momentum
// buffer (momentum > 0, else null).
struct RmspropArgs {
    double lr, alpha, eps, weight_decay, momentum;
    bool maximize;
};

// Adagrad: state0 = sum. clr = lr / (1 + (step - 1) * lr_decay), formed by the caller.
struct AdagradArgs {
    double clr, eps, weight_decay;
    bool maximize;
};

namespace optim_detail {

template <typename A>
CMP_OPTIM_HD A sqrt_(A x) {
#if defined(__CUDA_ARCH__)
    return sqrt(x);
#else
    return std::sqrt(x);
#endif
}

// The gradient as the update uses it: negated for maximize, plus weight_decay * param when
// weight decay is coupled (grad.add(param, alpha=weight_decay)).
template <typename A>
CMP_OPTIM_HD A effective_grad(A g, A p, bool maximize, bool couple, A wd) {
    if (maximize) g = -g;
    return couple ? g + wd * p : g;
}

// torch.maximum: NaN in either operand gives NaN.
template <typename A>
CMP_OPTIM_HD A nan_max(A x, A y) {
    return (x != x || x > y) ? x : y;
}

}  // namespace optim_detail

template <typename A>
struct SgdConsts {
    A lr_neg, wd, mom, one_minus_damp;
    bool couple, use_buf, init_buffer, nesterov, maximize;
};

template <typename A>
CMP_OPTIM_HD SgdConsts<A> sgd_consts(const SgdArgs& a) {
    return {static_cast<A>(-a.lr), static_cast<A>(a.weight_decay), static_cast<A>(a.momentum),
            static_cast<A>(1 - a.dampening), a.weight_decay != 0, a.momentum != 0, a.init_buffer, a.nesterov, a.maximize};
}

// Element i of SGD: p, the gradient gr and the momentum buffer buf (used when c.use_buf).
template <typename T, typename A>
CMP_OPTIM_HD void sgd_update(const SgdConsts<A>& c, T* p, const T* gr, T* buf, int64_t i) {
    const A pv = static_cast<A>(p[i]);
    A d = optim_detail::effective_grad(static_cast<A>(gr[i]), pv, c.maximize, c.couple, c.wd);
    if (c.use_buf) {
        A bv = c.init_buffer ? d : static_cast<A>(buf[i]) * c.mom + c.one_minus_damp * d;
        buf[i] = static_cast<T>(bv);
        bv = static_cast<A>(buf[i]);
        d = c.nesterov ? d + c.mom * bv : bv;
    }
    p[i] = static_cast<T>(pv + c.lr_neg * d);
}

template <typename A>
struct AdamConsts {
    A beta1, beta2, one_minus_beta1, one_minus_beta2, wd, eps, decay, bc2, step_neg;
    bool couple, decoupled, maximize;
};

template <typename A>
CMP_OPTIM_HD AdamConsts<A> adam_consts(const AdamArgs& a) {
    return {static_cast<A>(a.beta1),
            static_cast<A>(a.beta2),
            static_cast<A>(1 - a.beta1),
            static_cast<A>(1 - a.beta2),
            static_cast<A>(a.weight_decay),
            static_cast<A>(a.eps),
            static_cast<A>(1 - a.lr * a.weight_decay),  // AdamW: param.mul_(1 - lr * weight_decay)
            static_cast<A>(a.bias_correction2_sqrt),
            static_cast<A>(-a.step_size),
            !a.decoupled && a.weight_decay != 0,
            a.decoupled,
            a.maximize};
}

// Element i of Adam/AdamW: exp_avg m, exp_avg_sq v, max_exp_avg_sq vmax (amsgrad, else null).
template <typename T, typename A>
CMP_OPTIM_HD void adam_update(const AdamConsts<A>& c, T* p, const T* gr, T* m, T* v, T* vmax, int64_t i) {
    A pv = static_cast<A>(p[i]);
    if (c.decoupled) pv = static_cast<A>(static_cast<T>(pv * c.decay));
    const A g = optim_detail::effective_grad(static_cast<A>(gr[i]), pv, c.maximize, c.couple, c.wd);
    const A mv = static_cast<A>(static_cast<T>(static_cast<A>(m[i]) * c.beta1 + c.one_minus_beta1 * g));
    A vv = static_cast<A>(static_cast<T>(static_cast<A>(v[i]) * c.beta2 + c.one_minus_beta2 * g * g));
    m[i] = static_cast<T>(mv);
    v[i] = static_cast<T>(vv);
    if (vmax) {
        vv = optim_detail::nan_max(static_cast<A>(vmax[i]), vv);
        vmax[i] = static_cast<T>(vv);
    }
    const A denom = optim_detail::sqrt_(vv) / c.bc2 + c.eps;
    p[i] = static_cast<T>(pv + c.step_neg * mv / denom);
}

template <typename A>
struct RmspropConsts {
    A alpha, one_minus_alpha, wd, eps, mom, lr_neg;
    bool couple, maximize;
};

template <typename A>
CMP_OPTIM_HD RmspropConsts<A> rmsprop_consts(const RmspropArgs& a) {
    return {static_cast<A>(a.alpha), static_cast<A>(1 - a.alpha), static_cast<A>(a.weight_decay), static_cast<A>(a.eps),
            static_cast<A>(a.momentum), static_cast<A>(-a.lr), a.weight_decay != 0, a.maximize};
}

// Element i of RMSprop: square_avg sq, grad_avg ga (centered, else null), momentum buffer buf
// (momentum > 0, else null).
template <typename T, typename A>
CMP_OPTIM_HD void rmsprop_update(const RmspropConsts<A>& c, T* p, const T* gr, T* sq, T* ga, T* buf, int64_t i) {
    const A pv = static_cast<A>(p[i]);
    const A g = optim_detail::effective_grad(static_cast<A>(gr[i]), pv, c.maximize, c.couple, c.wd);
    const A sv = static_cast<A>(static_cast<T>(static_cast<A>(sq[i]) * c.alpha + c.one_minus_alpha * g * g));
    sq[i] = static_cast<T>(sv);
    A avg;
    if (ga) {
        const A gav = static_cast<A>(static_cast<T>(static_cast<A>(ga[i]) * c.alpha + c.one_minus_alpha * g));
        ga[i] = static_cast<T>(gav);
        avg = optim_detail::sqrt_(sv + A(-1) * gav * gav);  // square_avg.addcmul(grad_avg, grad_avg, value=-1)
    } else {
        avg = optim_detail::sqrt_(sv);
    }
    avg = avg + c.eps;
    if (buf) {
        const A bv = static_cast<A>(static_cast<T>(static_cast<A>(buf[i]) * c.mom + g / avg));
        buf[i] = static_cast<T>(bv);
        p[i] = static_cast<T>(pv + c.lr_neg * bv);
    } else {
        p[i] = static_cast<T>(pv + c.lr_neg * g / avg);
    }
}

template <typename A>
struct AdagradConsts {
    A wd, eps, clr_neg;
    bool couple, maximize;
};

template <typename A>
CMP_OPTIM_HD AdagradConsts<A> adagrad_consts(const AdagradArgs& a) {
    return {static_cast<A>(a.weight_decay), static_cast<A>(a.eps), static_cast<A>(-a.clr), a.weight_decay != 0, a.maximize};
}

// Element i of Adagrad: the running sum of squares.
template <typename T, typename A>
CMP_OPTIM_HD void adagrad_update(const AdagradConsts<A>& c, T* p, const T* gr, T* sum, int64_t i) {
    const A pv = static_cast<A>(p[i]);
    const A g = optim_detail::effective_grad(static_cast<A>(gr[i]), pv, c.maximize, c.couple, c.wd);
    const A s = static_cast<A>(static_cast<T>(static_cast<A>(sum[i]) + g * g));
    sum[i] = static_cast<T>(s);
    p[i] = static_cast<T>(pv + c.clr_neg * g / (optim_detail::sqrt_(s) + c.eps));
}

}  // namespace cmp::cpu

#undef CMP_OPTIM_HD
