// Fused optimizer steps on CUDA: a thread per element (grid-stride) runs cpu/optim_update.h's
// update, the CPU kernels' code, on the device's types (16-bit floats computed in float32).
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/optim_args.h"
#include "cuda/status.h"

namespace cmp::cuda_backend {

namespace {

template <typename Update>
__global__ void optim_kernel(int64_t n, Update update) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) update(i);
}

// The update of one optimizer over the buffers of o, as a functor of the element index.
template <typename T>
struct SgdStep {
    cpu::SgdConsts<opmath_t<T>> c;
    T *p, *buf;
    const T* g;
    __device__ void operator()(int64_t i) const { cpu::sgd_update(c, p, g, buf, i); }
};
template <typename T>
struct AdamStep {
    cpu::AdamConsts<opmath_t<T>> c;
    T *p, *m, *v, *vmax;
    const T* g;
    __device__ void operator()(int64_t i) const { cpu::adam_update(c, p, g, m, v, vmax, i); }
};
template <typename T>
struct RmspropStep {
    cpu::RmspropConsts<opmath_t<T>> c;
    T *p, *sq, *ga, *buf;
    const T* g;
    __device__ void operator()(int64_t i) const { cpu::rmsprop_update(c, p, g, sq, ga, buf, i); }
};
template <typename T>
struct AdagradStep {
    cpu::AdagradConsts<opmath_t<T>> c;
    T *p, *sum;
    const T* g;
    __device__ void operator()(int64_t i) const { cpu::adagrad_update(c, p, g, sum, i); }
};

template <typename Update>
void launch(const compute_cuda_optim& o, const Update& u) {
    optim_kernel<Update><<<blocks_for(o.n), kThreads, 0, static_cast<cudaStream_t>(o.stream)>>>(o.n, u);
}

template <typename T>
void step_typed(const compute_cuda_optim& o) {
    using A = opmath_t<T>;
    auto* p = static_cast<T*>(o.param);
    const auto* g = static_cast<const T*>(o.grad);
    auto* s0 = static_cast<T*>(o.state0);
    auto* s1 = static_cast<T*>(o.state1);
    auto* s2 = static_cast<T*>(o.state2);
    switch (o.op) {
        case COMPUTE_CUDA_OPTIM_SGD:
            launch(o, SgdStep<T>{cpu::sgd_consts<A>(cuda_optim::sgd_args(o)), p, s0, g});
            break;
        case COMPUTE_CUDA_OPTIM_ADAM:
            launch(o, AdamStep<T>{cpu::adam_consts<A>(cuda_optim::adam_args(o)), p, s0, s1, s2, g});
            break;
        case COMPUTE_CUDA_OPTIM_RMSPROP:
            launch(o, RmspropStep<T>{cpu::rmsprop_consts<A>(cuda_optim::rmsprop_args(o)), p, s0, s1, s2, g});
            break;
        case COMPUTE_CUDA_OPTIM_ADAGRAD:
            launch(o, AdagradStep<T>{cpu::adagrad_consts<A>(cuda_optim::adagrad_args(o)), p, s0, g});
            break;
        default: fail(CMP_STATUS_INVALID_ARGUMENT, "cuda optim_step: unknown op ", o.op);
    }
}

}  // namespace

int32_t optim_step(const compute_cuda_optim* desc) {
    const char* what = "cuda optim_step";
    return run_described(what, desc, [&](const compute_cuda_optim& o) {
        switch (o.dtype) {
            case CMP_DTYPE_FLOAT32: step_typed<float>(o); break;
            case CMP_DTYPE_FLOAT64: step_typed<double>(o); break;
            case CMP_DTYPE_FLOAT16: step_typed<half_t>(o); break;
            case CMP_DTYPE_BFLOAT16: step_typed<bf16_t>(o); break;
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": param must be floating, got dtype ", o.dtype);
        }
    });
}

}  // namespace cmp::cuda_backend
