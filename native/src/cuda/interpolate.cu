// interpolate on CUDA, forward and backward (the interpolate entry).
//
// The taps are the CPU front-end's (ops/nn_pool_interp.cpp, PyTorch's coordinate rules on the
// host), uploaded once per call; cuda/interp_taps.h applies them per element:
// - FORWARD: a thread per output (grid-stride) mixes its taps in the CPU kernel's order.
// - BACKWARD: a gather, no atomics: a thread per input walks the inverse tap lists of its three
//   coordinates and adds its terms in the order in which the CPU kernel adds them into its
//   zero-filled grad_in. The CPU's bits on every run.
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/interp_taps.h"

namespace cmp::cuda_backend {

namespace {

template <typename T>
__global__ void interp_forward_kernel(compute_cuda_interp p, const T* src, T* dst) {
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < p.n;
         e += static_cast<int64_t>(blockDim.x) * gridDim.x)
        dst[e] = cuda_interp::forward_one<T>(p, src, e);
}

template <typename T>
__global__ void interp_backward_kernel(compute_cuda_interp p, const T* src, T* dst) {
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < p.n;
         e += static_cast<int64_t>(blockDim.x) * gridDim.x)
        dst[e] = cuda_interp::backward_one<T>(p, src, e);
}

template <typename T>
void run(const compute_cuda_interp& p, const char* what) {
    const auto s = static_cast<cudaStream_t>(p.stream);
    const auto* src = static_cast<const T*>(p.src);
    auto* dst = static_cast<T*>(p.dst);
    if (p.op == COMPUTE_CUDA_INTERP_FORWARD) {
        interp_forward_kernel<T><<<blocks_for(p.n), kThreads, 0, s>>>(p, src, dst);
    } else if (p.op == COMPUTE_CUDA_INTERP_BACKWARD) {
        if constexpr (std::is_floating_point_v<T>) interp_backward_kernel<T><<<blocks_for(p.n), kThreads, 0, s>>>(p, src, dst);
        else fail(CMP_STATUS_DTYPE_MISMATCH, what, ": backward of a non-floating dtype");
    } else {
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown pass ", p.op);
    }
}

}  // namespace

int32_t interpolate(const compute_cuda_interp* d) {
    const char* what = "cuda interpolate";
    return run_described(what, d, [&](const compute_cuda_interp& p) {
        for (const compute_cuda_interp_dim& dim : p.dims)
            if (dim.in_size < 1 || dim.out_size < 1)
                fail(CMP_STATUS_INVALID_ARGUMENT, what, ": a dim of input size ", dim.in_size, " and output size ",
                     dim.out_size);
        switch (p.dtype) {
            case CMP_DTYPE_FLOAT32: return run<float>(p, what);
            case CMP_DTYPE_FLOAT64: return run<double>(p, what);
            case CMP_DTYPE_UINT8:
                if (p.linear) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": linear mode on uint8");
                return run<uint8_t>(p, what);
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype ", p.dtype, " (float32, float64 or uint8)");
        }
    });
}

}  // namespace cmp::cuda_backend
