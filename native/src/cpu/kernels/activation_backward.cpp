// Fused derivatives of the pointwise activations (table in cpu/activation_backward_stubs.h):
// grad_input = grad_output * f'(x) in one pass of the shared binary loops (loops.h), so the
// dense loop vectorises whenever the functor does (the exp, tanh, erf and sigmoid of
// cpu/unary_math_vec.h). Each functor is PyTorch's *_backward formula on opmath values (float for
// float16/bfloat16), including where it sends NaN: a comparison with NaN is false, so NaN takes
// the branch PyTorch's own kernel gives it (hardtanh and elu pass the gradient, hardsigmoid
// drops it). The managed composition of each formula (Autograd/Formulas.Pointwise.cs) is written
// to agree.
#include "cpu/activation_backward_stubs.h"
#include "cpu/loops.h"
#include "cpu/unary_math_vec.h"

namespace cmp::cpu {
namespace {

using Op = ActivationBackwardOp;
using Params = ActivationBackwardParams;

// exp, erf, tanh cost tens of cycles per element: parallelise sooner.
constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

// d/dx x Phi(x) = Phi(x) + x phi(x).
template <typename M>
struct GeluGrad {
    explicit GeluGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        const M cdf = M(0.5) * (M(1) + verf(x * M(0.70710678118654752440)));
        const M pdf = vexp(M(-0.5) * x * x) * M(0.39894228040143267794);  // 1 / sqrt(2 pi)
        return g * (cdf + x * pdf);
    }
};

// The tanh approximation x/2 (1 + t), t = tanh(beta (x + kappa x^3)), differentiated as is:
// (1 + t)/2 + x/2 (1 - t^2) beta (1 + 3 kappa x^2).
template <typename M>
struct GeluTanhGrad {
    explicit GeluTanhGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        constexpr M beta = M(0.79788456080286535588);  // sqrt(2/pi)
        constexpr M kappa = M(0.044715);
        const M x2 = x * x;
        const M t = vtanh(beta * (x + kappa * x2 * x));
        const M inner = beta * (M(1) + M(3) * kappa * x2);
        return g * (M(0.5) * (M(1) + t) + M(0.5) * x * (M(1) - t * t) * inner);
    }
};

// d/dx x s(x) = s (1 + x (1 - s)), s = sigmoid(x).
template <typename M>
struct SiluGrad {
    explicit SiluGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        const M s = vsigmoid(x);
        return g * s * (M(1) + x * (M(1) - s));
    }
};

// d/dx x tanh(softplus(x)) = t + x sigmoid(x) (1 - t^2), t = tanh(log1p(e^x)) as the forward.
template <typename M>
struct MishGrad {
    explicit MishGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        const M t = vtanh(vlog1p(vexp(x)));
        return g * (t + x * vsigmoid(x) * (M(1) - t * t));
    }
};

// sigmoid(beta x) below the threshold; above it the forward is x itself. PyTorch writes the
// sigmoid as z / (z + 1) with z = e^(beta x), which is inf / inf = NaN where z overflows under a
// large threshold; 1 / (1 + e^-(beta x)) is the same number without that.
template <typename M>
struct SoftplusGrad {
    M beta, threshold;
    explicit SoftplusGrad(const Params& p) : beta(M(p.a)), threshold(M(p.b)) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        const M z = x * beta;
        return z > threshold ? g : g * vsigmoid(z);
    }
};

// PyTorch's elu_backward on the input: scale above 0, input_scale alpha scale e^(x input_scale)
// at and below (NaN, failing x <= 0, gets scale like PyTorch's).
template <typename M>
struct EluGrad {
    M negcoef, poscoef, negiptcoef;
    explicit EluGrad(const Params& p) : negcoef(M(p.a) * M(p.b)), poscoef(M(p.b)), negiptcoef(M(p.c)) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        return x <= M(0) ? g * negiptcoef * negcoef * vexp(x * negiptcoef) : g * poscoef;
    }
};

// 0 below -3, x/3 + 1/2 on [-3, 3], 1 above (and for NaN).
template <typename M>
struct HardswishGrad {
    explicit HardswishGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const {
        return x < M(-3) ? M(0) : (x <= M(3) ? g * (x / M(3) + M(0.5)) : g);
    }
};

// 1/6 strictly inside (-3, 3), else 0 (NaN included). g / 6 rather than PyTorch's g * (1/6 in
// float32): the exact derivative of relu6(x + 3) / 6, which double backward differentiates.
template <typename M>
struct HardsigmoidGrad {
    explicit HardsigmoidGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const { return (x > M(-3)) & (x < M(3)) ? g / M(6) : M(0); }
};

// d/dx log sigmoid(x) = sigmoid(-x) = 1 / (1 + e^x): 0 for large x, 1 for very negative x.
template <typename M>
struct LogsigmoidGrad {
    explicit LogsigmoidGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M x) const { return g * vsigmoid(-x); }
};

template <typename M>
struct LeakyReluGrad {
    M slope;
    explicit LeakyReluGrad(const Params& p) : slope(M(p.a)) {}
    CMP_VEC_INLINE M operator()(M g, M x) const { return x > M(0) ? g : g * slope; }
};

// The gradient passes strictly inside (min_val, max_val); PyTorch tests the outside, so NaN
// passes it.
template <typename M>
struct HardtanhGrad {
    M lo, hi;
    explicit HardtanhGrad(const Params& p) : lo(M(p.a)), hi(M(p.b)) {}
    CMP_VEC_INLINE M operator()(M g, M x) const { return (x <= lo) | (x >= hi) ? M(0) : g; }
};

// From the forward's result y: sigmoid' = (1 - y) y, tanh' = 1 - y^2 (PyTorch's order of terms).
template <typename M>
struct SigmoidGrad {
    explicit SigmoidGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M y) const { return g * (M(1) - y) * y; }
};
template <typename M>
struct TanhGrad {
    explicit TanhGrad(const Params&) {}
    CMP_VEC_INLINE M operator()(M g, M y) const { return g * (M(1) - y * y); }
};

template <template <typename> class Fn, typename T>
void apply(TensorIterator& iter, const Params& p, int64_t grain) {
    iter.for_each(pointwise_loop<T, T, T>(Fn<opmath_t<T>>(p)), grain);
}

template <typename T>
void activation_backward_typed(TensorIterator& iter, Op op, const Params& p) {
    constexpr int64_t cheap = kDefaultGrain, costly = kTranscendentalGrain;
    switch (op) {
        case Op::Gelu: return apply<GeluGrad, T>(iter, p, costly);
        case Op::GeluTanh: return apply<GeluTanhGrad, T>(iter, p, costly);
        case Op::Silu: return apply<SiluGrad, T>(iter, p, costly);
        case Op::Mish: return apply<MishGrad, T>(iter, p, costly);
        case Op::Softplus: return apply<SoftplusGrad, T>(iter, p, costly);
        case Op::Elu: return apply<EluGrad, T>(iter, p, costly);
        case Op::Hardswish: return apply<HardswishGrad, T>(iter, p, cheap);
        case Op::Hardsigmoid: return apply<HardsigmoidGrad, T>(iter, p, cheap);
        case Op::Logsigmoid: return apply<LogsigmoidGrad, T>(iter, p, costly);
        case Op::LeakyRelu: return apply<LeakyReluGrad, T>(iter, p, cheap);
        case Op::Hardtanh: return apply<HardtanhGrad, T>(iter, p, cheap);
        case Op::Sigmoid: return apply<SigmoidGrad, T>(iter, p, cheap);
        case Op::Tanh: return apply<TanhGrad, T>(iter, p, cheap);
    }
}

void activation_backward_kernel(TensorIterator& iter, Op op, const Params& p) {
    CMP_DISPATCH_FLOATING_TYPES(iter.compute_dtype(), "activation backward",
                                [&] { activation_backward_typed<scalar_t>(iter, op, p); });
}

}  // namespace

CMP_REGISTER_KERNEL(activation_backward_stub, activation_backward_kernel)

}  // namespace cmp::cpu
