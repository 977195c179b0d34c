// The pointwise losses and their derivatives on CUDA (cpu/nn_loss_math.h's formulas, evaluated
// with the CUDA math library: cuda/device_math.cuh), through the one elementwise engine. As
// unary_math.cu, one functor per dtype and operand count switches on the op, the value computed
// (loss, d/d input, d/d target) and the optional operands (values the whole grid shares, so the
// branches never diverge): 3 operand counts each for the forward (out, input, target[, weight]
// [, pos_weight]) and the backward (out, grad, input, target[, weight][, pos_weight]), launched
// without the 4-element vectorised kernel (it would unroll the switch four times).
#include "cpu/nn_loss_math.h"
#include "cuda/device_math.cuh"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

namespace cmp::cuda_backend {

namespace {

using cpu::loss_math::LossPlan;
using cpu::loss_math::LossValue;

// The shared formulas' math on the device: the C-library-only logs of the CPU are the CUDA
// library's too.
struct LossDeviceMath : DeviceMath {
    template <typename M>
    __host__ __device__ __forceinline__ static M log_scalar(M x) {
        return log(x);
    }
    template <typename M>
    __host__ __device__ __forceinline__ static M log1p_scalar(M x) {
        return log1p(x);
    }
};

// Operand 0 = the element of plan k from the inputs, all of storage type T.
template <typename T>
struct PointwiseLossFn {
    using M = opmath_t<T>;
    LossPlan<M> k;
    template <typename... V>
    __device__ T operator()(V... v) const {
        const M in[] = {to_opmath(v)...};
        return from_opmath<T>(cpu::loss_math::element<LossDeviceMath>(k, in));
    }
};

template <typename T>
void launch_loss(const compute_cuda_iter& it, const LossPlan<opmath_t<T>>& k) {
    const PointwiseLossFn<T> f{k};
    switch (it.noperands) {
        case 3: return launch_no_vector<T, T, T>(it, f);
        case 4: return launch_no_vector<T, T, T, T>(it, f);
        case 5: return launch_no_vector<T, T, T, T, T>(it, f);
        case 6: return launch_no_vector<T, T, T, T, T, T>(it, f);
        default: fail(CMP_STATUS_INTERNAL_ERROR, "cuda pointwise_loss: ", it.noperands, " operands");
    }
}

}  // namespace

int32_t pointwise_loss(const compute_cuda_iter* it, const compute_cuda_loss_args* a) {
    return guard("cuda pointwise_loss", [&] {
        if (!it || !a) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda pointwise_loss: no description");
        if (!cpu::loss_math::known_loss(a->op)) fail(CMP_STATUS_INTERNAL_ERROR, "cuda pointwise_loss: unknown op ", a->op);
        const int expected = 3 + (a->backward ? 1 : 0) + (a->has_weight ? 1 : 0) + (a->has_pos_weight ? 1 : 0);
        if (it->noperands != expected)
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda pointwise_loss: expected ", expected, " operands, got ", it->noperands);
        for (int k = 1; k < it->noperands; ++k)
            if (it->dtypes[k] != it->dtypes[0])
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda pointwise_loss: operand dtypes differ (", it->dtypes[0], " and ",
                     it->dtypes[k], ")");
        check_device(it->device, "cuda pointwise_loss");
        const LossValue what = !a->backward ? LossValue::Loss : a->grad_target ? LossValue::GradTarget : LossValue::GradInput;
        CMP_CUDA_DISPATCH_FLOATING_TYPES(it->dtypes[0], "cuda pointwise_loss", [&] {
            using M = opmath_t<scalar_t>;
            const LossPlan<M> k{static_cast<cpu::PointwiseLoss>(a->op), what, a->has_weight != 0, a->has_pos_weight != 0,
                                static_cast<M>(a->param), static_cast<M>(a->scale)};
            launch_loss<scalar_t>(*it, k);
        });
    });
}

}  // namespace cmp::cuda_backend
