// The fused activation derivatives on CUDA (cpu/activation_backward_math.h's table and
// formulas, evaluated with the CUDA math library: cuda/device_math.cuh), through the one
// elementwise engine. As unary_math.cu, one functor per dtype switches on the op (a value the
// whole grid shares, so the branch never diverges): 3 kernels per dtype whatever the length of
// the table, launched without the 4-element vectorised kernel, which would unroll the switch
// four times.
#include "cpu/activation_backward_math.h"
#include "cuda/device_math.cuh"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

namespace cmp::cuda_backend {

namespace {

using cpu::ActivationBackwardOp;

// Operand 0 = grad_output (operand 1) * f'(operand 2), all of storage type T.
template <typename T>
struct ActivationBackwardFn {
    using M = opmath_t<T>;
    ActivationBackwardOp op;
    cpu::ActivationCoefs<M> k;
    __device__ T operator()(T g, T v) const {
        return from_opmath<T>(cpu::act_grad::apply<DeviceMath>(op, to_opmath(g), to_opmath(v), k));
    }
};

}  // namespace

int32_t activation_backward(const compute_cuda_iter* it, int32_t op_value, const compute_cuda_activation_params* params) {
    return guard("cuda activation_backward", [&] {
        if (!it || !params) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda activation_backward: no description");
        if (!cpu::act_grad::known_activation_backward_op(op_value))
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda activation_backward: unknown op ", op_value);
        if (it->noperands != 3) fail(CMP_STATUS_INTERNAL_ERROR, "cuda activation_backward: expected 3 operands");
        for (int k = 1; k < 3; ++k)
            if (it->dtypes[k] != it->dtypes[0])
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda activation_backward: operand dtypes differ (", it->dtypes[0],
                     " and ", it->dtypes[k], ")");
        check_device(it->device, "cuda activation_backward");
        const auto op = static_cast<ActivationBackwardOp>(op_value);
        const cpu::ActivationBackwardParams p{params->a, params->b, params->c};
        CMP_CUDA_DISPATCH_FLOATING_TYPES(it->dtypes[0], "cuda activation_backward", [&] {
            using M = opmath_t<scalar_t>;
            launch_no_vector<scalar_t, scalar_t, scalar_t>(
                *it, ActivationBackwardFn<scalar_t>{op, cpu::activation_coefs<M>(op, p)});
        });
    });
}

}  // namespace cmp::cuda_backend
