// Fused derivatives of the pointwise activations (table in cpu/activation_backward_stubs.h):
// grad_input = grad_output * f'(x) in one pass of the shared binary loops (loops.h), so the
// dense loop vectorises whenever the functor does (the exp, tanh, erf and sigmoid of
// cpu/unary_math_vec.h). Each functor is PyTorch's *_backward formula on opmath values (float for
// float16/bfloat16), written once in cpu/activation_backward_math.h (the CUDA backend evaluates the
// same formulas with its own math library), including where it sends NaN: a comparison with NaN is
// false, so NaN takes the branch PyTorch's own kernel gives it (hardtanh and elu pass the
// gradient, hardsigmoid drops it). The managed composition of each formula
// (Autograd/Formulas.Pointwise.cs) is written to agree.
#include "cpu/activation_backward_stubs.h"
#include "cpu/loops.h"
#include "cpu/vec_math_policy.h"

namespace cmp::cpu {
namespace {

using Op = ActivationBackwardOp;
using Params = ActivationBackwardParams;

// exp, erf, tanh cost tens of cycles per element: parallelise sooner.
constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

// One functor per op over the shared formula, its coefficients formed once per kernel call (the
// ops without parameters keep none, so their loops carry nothing).
#define CMP_ACT_GRAD_FN(Name, call)                                                        \
    template <typename M>                                                                  \
    struct Name {                                                                          \
        ActivationCoefs<M> k;                                                              \
        explicit Name(const ActivationCoefs<M>& coefs) : k(coefs) {}                       \
        CMP_VEC_INLINE M operator()(M g, M v) const { return call; }                       \
    };
#define CMP_ACT_GRAD_FN0(Name, call)                                                       \
    template <typename M>                                                                  \
    struct Name {                                                                          \
        explicit Name(const ActivationCoefs<M>&) {}                                        \
        CMP_VEC_INLINE M operator()(M g, M v) const { return call; }                       \
    };
CMP_ACT_GRAD_FN0(GeluGrad, act_grad::gelu<VecMath>(g, v))
CMP_ACT_GRAD_FN0(GeluTanhGrad, act_grad::gelu_tanh<VecMath>(g, v))
CMP_ACT_GRAD_FN0(SiluGrad, act_grad::silu<VecMath>(g, v))
CMP_ACT_GRAD_FN0(MishGrad, act_grad::mish<VecMath>(g, v))
CMP_ACT_GRAD_FN(SoftplusGrad, act_grad::softplus<VecMath>(g, v, k.a, k.b))
CMP_ACT_GRAD_FN(EluGrad, act_grad::elu<VecMath>(g, v, k.a, k.b, k.c))
CMP_ACT_GRAD_FN0(HardswishGrad, act_grad::hardswish(g, v))
CMP_ACT_GRAD_FN0(HardsigmoidGrad, act_grad::hardsigmoid(g, v))
CMP_ACT_GRAD_FN0(LogsigmoidGrad, act_grad::logsigmoid<VecMath>(g, v))
CMP_ACT_GRAD_FN(LeakyReluGrad, act_grad::leaky_relu(g, v, k.a))
CMP_ACT_GRAD_FN(HardtanhGrad, act_grad::hardtanh(g, v, k.a, k.b))
CMP_ACT_GRAD_FN0(SigmoidGrad, act_grad::sigmoid(g, v))
CMP_ACT_GRAD_FN0(TanhGrad, act_grad::tanh(g, v))
#undef CMP_ACT_GRAD_FN0
#undef CMP_ACT_GRAD_FN

template <template <typename> class Fn, typename T>
void apply(TensorIterator& iter, Op op, const Params& p, int64_t grain) {
    iter.for_each(pointwise_loop<T, T, T>(Fn<opmath_t<T>>(activation_coefs<opmath_t<T>>(op, p))), grain);
}

template <typename T>
void activation_backward_typed(TensorIterator& iter, Op op, const Params& p) {
    constexpr int64_t cheap = kDefaultGrain, costly = kTranscendentalGrain;
    switch (op) {
        case Op::Gelu: return apply<GeluGrad, T>(iter, op, p, costly);
        case Op::GeluTanh: return apply<GeluTanhGrad, T>(iter, op, p, costly);
        case Op::Silu: return apply<SiluGrad, T>(iter, op, p, costly);
        case Op::Mish: return apply<MishGrad, T>(iter, op, p, costly);
        case Op::Softplus: return apply<SoftplusGrad, T>(iter, op, p, costly);
        case Op::Elu: return apply<EluGrad, T>(iter, op, p, costly);
        case Op::Hardswish: return apply<HardswishGrad, T>(iter, op, p, cheap);
        case Op::Hardsigmoid: return apply<HardsigmoidGrad, T>(iter, op, p, cheap);
        case Op::Logsigmoid: return apply<LogsigmoidGrad, T>(iter, op, p, costly);
        case Op::LeakyRelu: return apply<LeakyReluGrad, T>(iter, op, p, cheap);
        case Op::Hardtanh: return apply<HardtanhGrad, T>(iter, op, p, cheap);
        case Op::Sigmoid: return apply<SigmoidGrad, T>(iter, op, p, cheap);
        case Op::Tanh: return apply<TanhGrad, T>(iter, op, p, cheap);
    }
}

void activation_backward_kernel(TensorIterator& iter, Op op, const Params& p) {
    CMP_DISPATCH_FLOATING_TYPES(iter.compute_dtype(), "activation backward",
                                [&] { activation_backward_typed<scalar_t>(iter, op, p); });
}

}  // namespace

CMP_REGISTER_KERNEL(activation_backward_stub, activation_backward_kernel)

}  // namespace cmp::cpu
