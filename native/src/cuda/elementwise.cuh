// The CUDA elementwise engine: one launcher under fill, copy/cast, unary and binary ops. An op
// is a functor on raw element values (Out f(In...)); the engine picks the kernel by layout:
//  - contiguous: every operand dense along one dim, 32-bit indices, and when every pointer is
//    aligned, each thread moves kVec elements with one vector load/store per operand;
//  - strided: any layout the core's TensorIterator describes (broadcast operands have stride
//    0), the element offsets computed from the linear index with one divide per dim, in 32-bit
//    arithmetic when every offset fits and 64-bit otherwise.
// Layout (broadcasting, dim coalescing, dtype promotion) was already done by the core, so the
// kernels only walk what they are given.
#pragma once

#include "cuda/backend_api.h"
#include "cuda/status.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace cmp::cuda_backend {

constexpr int kThreads = 256;
constexpr int kVec = 4;
// Grid-stride loops: more blocks than this only add scheduling cost.
constexpr int64_t kMaxBlocks = int64_t(1) << 20;

template <typename T, int V>
struct alignas(sizeof(T) * V) VecOf {
    T v[V];
};

template <int N>
struct Pointers {
    char* p[N];
};

// Shape and byte strides, innermost dim first; dims beyond ndim are unused.
template <int N>
struct Offsets {
    int ndim;
    int64_t sizes[COMPUTE_CUDA_MAX_DIMS];
    int64_t strides[N][COMPUTE_CUDA_MAX_DIMS];

    template <typename index_t>
    __device__ __forceinline__ void get(index_t linear, index_t (&out)[N]) const {
#pragma unroll
        for (int k = 0; k < N; ++k) out[k] = 0;
#pragma unroll
        for (int d = 0; d < COMPUTE_CUDA_MAX_DIMS; ++d) {
            if (d == ndim) break;
            // The outermost dim needs no divide: what is left of the index is its coordinate.
            index_t idx = linear;
            if (d + 1 < ndim) {
                const auto size = static_cast<index_t>(sizes[d]);
                idx = linear % size;
                linear /= size;
            }
#pragma unroll
            for (int k = 0; k < N; ++k) out[k] += idx * static_cast<index_t>(strides[k][d]);
        }
    }
};

template <typename Out, typename... In, typename F, size_t... I>
__device__ __forceinline__ void apply_at(const Pointers<1 + sizeof...(In)>& ptr, const int64_t* off, const F& f,
                                         std::index_sequence<I...>) {
    *reinterpret_cast<Out*>(ptr.p[0] + off[0]) = f(*reinterpret_cast<const In*>(ptr.p[I + 1] + off[I + 1])...);
}

template <typename index_t, typename F, typename Out, typename... In>
__global__ void strided_kernel(Offsets<1 + sizeof...(In)> layout, Pointers<1 + sizeof...(In)> ptr, index_t numel,
                               F f) {
    constexpr int N = 1 + sizeof...(In);
    const index_t step = static_cast<index_t>(blockDim.x) * gridDim.x;
    for (index_t i = static_cast<index_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < numel; i += step) {
        index_t off[N];
        layout.get(i, off);
        int64_t off64[N];
#pragma unroll
        for (int k = 0; k < N; ++k) off64[k] = static_cast<int64_t>(off[k]);
        apply_at<Out, In...>(ptr, off64, f, std::index_sequence_for<In...>{});
    }
}

template <typename Out, typename F, typename... VIn>
__device__ __forceinline__ void apply_vec(Out* out, const F& f, const VIn&... in) {
    VecOf<Out, kVec> r;
#pragma unroll
    for (int j = 0; j < kVec; ++j) r.v[j] = f(in.v[j]...);
    *reinterpret_cast<VecOf<Out, kVec>*>(out) = r;
}

// Dense operands; with vectorized, all pointers are aligned to kVec elements. The first
// numel / kVec * kVec elements go kVec at a time, the tail one at a time.
template <bool vectorized, typename F, typename Out, typename... In>
__global__ void contiguous_kernel(Out* out, uint32_t numel, F f, const In*... in) {
    const uint32_t step = blockDim.x * gridDim.x;
    const uint32_t first = blockIdx.x * blockDim.x + threadIdx.x;
    if constexpr (vectorized) {
        const uint32_t nvec = numel / kVec;
        for (uint32_t v = first; v < nvec; v += step) {
            const uint32_t base = v * kVec;
            apply_vec<Out>(out + base, f, *reinterpret_cast<const VecOf<In, kVec>*>(in + base)...);
        }
        for (uint32_t i = nvec * kVec + first; i < numel; i += step) out[i] = f(in[i]...);
    } else {
        for (uint32_t i = first; i < numel; i += step) out[i] = f(in[i]...);
    }
}

inline unsigned blocks_for(int64_t work) {
    return static_cast<unsigned>(std::clamp<int64_t>((work + kThreads - 1) / kThreads, 1, kMaxBlocks));
}

// Whether every offset of every operand fits in uint32, so the index math can stay 32-bit. A
// negative stride (flip's view walks a dim backwards from its last element) takes the signed
// 64-bit path: the 32-bit offsets are unsigned.
inline bool fits_32bit(const compute_cuda_iter& it) {
    if (it.numel > INT32_MAX) return false;
    for (int k = 0; k < it.noperands; ++k) {
        int64_t max_off = 0;
        for (int d = 0; d < it.ndim; ++d) {
            if (it.strides[k][d] < 0) return false;
            max_off += (it.shape[d] - 1) * it.strides[k][d];
        }
        if (max_off > INT32_MAX) return false;
    }
    return true;
}

template <typename T>
bool dense(const compute_cuda_iter& it, int k) {
    return it.ndim == 1 && it.strides[k][0] == static_cast<int64_t>(sizeof(T));
}

template <typename T>
bool aligned(const compute_cuda_iter& it, int k) {
    return reinterpret_cast<uintptr_t>(it.data[k]) % (sizeof(T) * kVec) == 0;
}

template <bool allow_vector, typename Out, typename... In, typename F, size_t... I>
void launch_contiguous(const compute_cuda_iter& it, const F& f, cudaStream_t stream, std::index_sequence<I...>) {
    auto* out = static_cast<Out*>(it.data[0]);
    const auto n = static_cast<uint32_t>(it.numel);
    if constexpr (allow_vector) {
        if (aligned<Out>(it, 0) && (aligned<In>(it, static_cast<int>(I) + 1) && ...)) {
            contiguous_kernel<true, F, Out, In...><<<blocks_for((it.numel + kVec - 1) / kVec), kThreads, 0, stream>>>(
                out, n, f, static_cast<const In*>(it.data[I + 1])...);
            return;
        }
    }
    contiguous_kernel<false, F, Out, In...><<<blocks_for(it.numel), kThreads, 0, stream>>>(
        out, n, f, static_cast<const In*>(it.data[I + 1])...);
}

template <typename Out, typename... In, typename F>
void launch_strided(const compute_cuda_iter& it, const F& f, cudaStream_t stream) {
    constexpr int N = 1 + sizeof...(In);
    Offsets<N> layout{};
    layout.ndim = it.ndim;
    Pointers<N> ptr{};
    for (int d = 0; d < it.ndim; ++d) layout.sizes[d] = it.shape[d];
    for (int op = 0; op < N; ++op) {
        ptr.p[op] = static_cast<char*>(it.data[op]);
        for (int d = 0; d < it.ndim; ++d) layout.strides[op][d] = it.strides[op][d];
    }
    if (fits_32bit(it)) {
        strided_kernel<uint32_t, F, Out, In...><<<blocks_for(it.numel), kThreads, 0, stream>>>(
            layout, ptr, static_cast<uint32_t>(it.numel), f);
    } else {
        strided_kernel<int64_t, F, Out, In...><<<blocks_for(it.numel), kThreads, 0, stream>>>(layout, ptr, it.numel,
                                                                                              f);
    }
}

template <typename Out, typename... In, size_t... I>
bool all_dense(const compute_cuda_iter& it, std::index_sequence<I...>) {
    return fits_32bit(it) && dense<Out>(it, 0) && (dense<In>(it, static_cast<int>(I) + 1) && ...);
}

template <bool allow_vector, typename Out, typename... In, typename F>
void launch_impl(const compute_cuda_iter& it, const F& f) {
    constexpr int N = 1 + sizeof...(In);
    if (it.noperands != N)
        fail(CMP_STATUS_INTERNAL_ERROR, "cuda elementwise: expected ", N, " operands, got ", it.noperands);
    if (it.ndim < 1 || it.ndim > COMPUTE_CUDA_MAX_DIMS)
        fail(CMP_STATUS_INTERNAL_ERROR, "cuda elementwise: ", it.ndim, " dims (at most ", COMPUTE_CUDA_MAX_DIMS, ")");
    if (it.numel == 0) return;
    DeviceGuard g(it.device);
    auto stream = static_cast<cudaStream_t>(it.stream);
    if (all_dense<Out, In...>(it, std::index_sequence_for<In...>{}))
        launch_contiguous<allow_vector, Out, In...>(it, f, stream, std::index_sequence_for<In...>{});
    else
        launch_strided<Out, In...>(it, f, stream);
    check(cudaGetLastError(), "cuda elementwise: kernel launch");
}

// Launches f over the iteration: operand 0 (type Out) = f(operand 1 (In[0]), ...).
template <typename Out, typename... In, typename F>
void launch(const compute_cuda_iter& it, const F& f) {
    launch_impl<true, Out, In...>(it, f);
}

// The same without the vectorized kernel: casts use it, because 90 dtype pairs of extra
// kernels would cost build time for a path that casts rarely need, and so do the op-switching
// functors of unary_math.cu (the vectorized kernel would unroll the whole switch 4 times).
template <typename Out, typename... In, typename F>
void launch_no_vector(const compute_cuda_iter& it, const F& f) {
    launch_impl<false, Out, In...>(it, f);
}

}  // namespace cmp::cuda_backend
