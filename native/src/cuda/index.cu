// Indexing on CUDA: gather (which also serves index_select and embedding's lookup) and
// embedding's dense gradient.
//
// gather: one thread per output element (grid-stride) finds its coordinates in the index's shape,
// reads its index value and copies one element as bits (the dtypes of one size share a kernel,
// as triangle.cu). A value outside [0, size) is not read through: the thread raises a 64-bit
// device word by atomicMax with the complement of its position, so the word ends up holding the
// first bad position whatever the threads' order; the host reads the word after the kernel
// (which synchronises the stream) and, when raised, the bad value at that position.
//
// embedding_backward: deterministic, no float atomics. The indices are sorted with their
// positions by CUB's radix sort (stable: equal indices keep increasing positions), then one
// thread per (sorted slot, column) that starts a run of equal indices sums the run's rows of
// grad_out in position order, the CPU kernel's order and roundings (products and sums rounded
// one by one: no FMA contraction), so the result is the CPU's bit for bit. Cost: the sort
// (O(n) passes over 16 bytes per index), and a thread's work is its run's length, so a run of
// many equal indices (a padding token repeated) is summed by dim threads serially.
#include "cuda/device_flag.h"
#include "cuda/dtypes.cuh"
#include "cuda/element_bits.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/scatter_combine.h"
#include "cuda/scratch.h"

#include <cub/device/device_radix_sort.cuh>

namespace cmp::cuda_backend {

namespace {

struct GatherLayout {
    int32_t ndim;
    int32_t dim;
    int64_t size;
    int64_t shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t out_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t self_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_strides[COMPUTE_CUDA_MAX_DIMS];
};

// Records position p as bad: the word keeps the largest complement, i.e. the smallest position.
__device__ __forceinline__ void raise_bad(unsigned long long* bad, int64_t p) {
    atomicMax(bad, ~static_cast<unsigned long long>(p));
}

template <typename U>
__global__ void gather_kernel(GatherLayout l, U* out, const U* self, const int64_t* index, int64_t n,
                              unsigned long long* bad) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < n; p += step) {
        int64_t rest = p, o = 0, s = 0, x = 0;
        for (int d = l.ndim - 1; d >= 0; --d) {
            const int64_t c = rest % l.shape[d];
            rest /= l.shape[d];
            o += c * l.out_strides[d];
            x += c * l.index_strides[d];
            if (d != l.dim) s += c * l.self_strides[d];
        }
        const int64_t i = index[x];
        if (i < 0 || i >= l.size) {
            raise_bad(bad, p);
            continue;
        }
        out[o] = self[s + i * l.self_strides[l.dim]];
    }
}

using cuda_scatter::offset_of;

__global__ void iota_kernel(int64_t* out, int64_t n) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) out[i] = i;
}

__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }

struct EmbeddingRuns {
    const int64_t* keys;      // sorted indices
    const int64_t* positions; // their positions, increasing within a run
    int64_t count;
    int64_t dim;
    int64_t num_weights;
    int64_t padding_idx;
    bool scale_grad_by_freq;
};

template <typename T>
__global__ void embedding_runs_kernel(EmbeddingRuns r, const T* grad_out, T* grad_weight, unsigned long long* bad) {
    using A = opmath_t<T>;
    // A thread per (slot, column); with no column, one per slot still checks the indices.
    const int64_t cols = r.dim > 0 ? r.dim : 1;
    const int64_t work = r.count * cols;
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < work; t += step) {
        const int64_t k = t / cols, j = t % cols;
        const int64_t key = r.keys[k];
        if (k > 0 && r.keys[k - 1] == key) continue;  // not the start of a run
        int64_t end = k + 1;
        while (end < r.count && r.keys[end] == key) ++end;
        if (key < 0 || key >= r.num_weights) {
            if (j == 0)
                for (int64_t m = k; m < end; ++m) raise_bad(bad, r.positions[m]);
            continue;
        }
        if (key == r.padding_idx || r.dim == 0) continue;
        const A scale = r.scale_grad_by_freq ? A(1) / static_cast<A>(end - k) : A(1);
        A acc = A(0);
        for (int64_t m = k; m < end; ++m)
            acc = add_rn(acc, mul_rn(to_opmath(grad_out[r.positions[m] * r.dim + j]), scale));
        grad_weight[key * r.dim + j] = from_opmath<T>(acc);
    }
}

struct ScatterLayout {
    int32_t ndim;
    int32_t dim;
    int64_t self_shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_shape[COMPUTE_CUDA_MAX_DIMS];
    int64_t self_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t index_strides[COMPUTE_CUDA_MAX_DIMS];
    int64_t src_strides[COMPUTE_CUDA_MAX_DIMS];
};

// The index check of scatter: a thread per index position, before anything is written.
__global__ void scatter_check_kernel(ScatterLayout l, const int64_t* index, int64_t n, unsigned long long* bad) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    const int64_t size = l.self_shape[l.dim];
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < n; p += step) {
        int64_t rest = p, x = 0;
        for (int d = l.ndim - 1; d >= 0; --d) {
            x += (rest % l.index_shape[d]) * l.index_strides[d];
            rest /= l.index_shape[d];
        }
        const int64_t i = index[x];
        if (i < 0 || i >= size) raise_bad(bad, p);
    }
}

// A thread per element of self: the positions of its line of the index (the index's other
// coordinates equal to the element's) in increasing order, each naming the element combined
// in and rounded to T, as the CPU kernel's line loop does.
template <typename T>
__global__ void scatter_kernel(ScatterLayout l, T* self, const int64_t* index, const T* src, opmath_t<T> value,
                               opmath_t<T> alpha, bool scaled, int32_t op, int64_t self_numel) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t q = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; q < self_numel; q += step) {
        int64_t rest = q, so = 0, xo = 0, ro = 0, at = 0;
        bool covered = true;
        for (int d = l.ndim - 1; d >= 0; --d) {
            const int64_t c = rest % l.self_shape[d];
            rest /= l.self_shape[d];
            so += c * l.self_strides[d];
            if (d == l.dim) {
                at = c;
                continue;
            }
            covered = covered && c < l.index_shape[d];
            xo += c * l.index_strides[d];
            ro += c * l.src_strides[d];
        }
        if (!covered) continue;
        T cur = self[so];
        bool touched = false;
        for (int64_t j = 0; j < l.index_shape[l.dim]; ++j) {
            if (index[xo + j * l.index_strides[l.dim]] != at) continue;
            opmath_t<T> v = src ? to_opmath(src[ro + j * l.src_strides[l.dim]]) : value;
            if (scaled) v = cuda_scatter::mul(v, alpha);
            cur = from_opmath<T>(cuda_scatter::combine(to_opmath(cur), v, op));
            touched = true;
        }
        if (touched) self[so] = cur;
    }
}

}  // namespace

int32_t gather(compute_cuda_gather* g) {
    const char* what = "cuda gather";
    return run_described(what, g, [&](const compute_cuda_gather& d) {
        if (d.ndim < 1 || d.ndim > COMPUTE_CUDA_MAX_DIMS || d.dim < 0 || d.dim >= d.ndim)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": dim ", d.dim, " of ", d.ndim, " dims");
        GatherLayout l{};
        l.ndim = d.ndim;
        l.dim = d.dim;
        l.size = d.size;
        for (int k = 0; k < d.ndim; ++k) {
            l.shape[k] = d.shape[k];
            l.out_strides[k] = d.out_strides[k];
            l.self_strides[k] = d.self_strides[k];
            l.index_strides[k] = d.index_strides[k];
        }
        const auto s = static_cast<cudaStream_t>(d.stream);
        const DeviceWord<unsigned long long> bad(d.device, d.stream);
        auto launch = [&](auto zero) {
            using U = decltype(zero);
            gather_kernel<U><<<blocks_for(d.n), kThreads, 0, s>>>(l, static_cast<U*>(d.out), static_cast<const U*>(d.self),
                                                                  d.index, d.n, bad.get());
        };
        with_element_bits(d.element_size, what, launch);
        check(cudaGetLastError(), "cuda gather: kernel launch");
        const unsigned long long word = bad.value();
        if (word == 0) return;
        const auto p = static_cast<int64_t>(~word);
        g->bad_position = p;
        g->bad_index = read_index(d.index, offset_of(p, d.ndim, d.shape, d.index_strides), d.stream, what);
        fail(CMP_STATUS_INDEX_OUT_OF_RANGE, what, ": index ", g->bad_index, " is out of bounds for dimension ", d.dim,
             " with size ", d.size);
    });
}

int32_t scatter(compute_cuda_scatter* c) {
    const char* what = "cuda scatter";
    return run_described(what, c, [&](const compute_cuda_scatter& d) {
        if (d.ndim < 1 || d.ndim > COMPUTE_CUDA_MAX_DIMS || d.dim < 0 || d.dim >= d.ndim)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": dim ", d.dim, " of ", d.ndim, " dims");
        ScatterLayout l{};
        l.ndim = d.ndim;
        l.dim = d.dim;
        int64_t self_numel = 1;
        for (int k = 0; k < d.ndim; ++k) {
            l.self_shape[k] = d.self_shape[k];
            l.index_shape[k] = d.index_shape[k];
            l.self_strides[k] = d.self_strides[k];
            l.index_strides[k] = d.index_strides[k];
            l.src_strides[k] = d.src_strides[k];
            self_numel *= d.self_shape[k];
        }
        const auto s = static_cast<cudaStream_t>(d.stream);
        {
            const DeviceWord<unsigned long long> bad(d.device, d.stream);
            scatter_check_kernel<<<blocks_for(d.n), kThreads, 0, s>>>(l, d.index, d.n, bad.get());
            check(cudaGetLastError(), "cuda scatter: check launch");
            const unsigned long long word = bad.value();
            if (word != 0) {
                const auto p = static_cast<int64_t>(~word);
                c->bad_position = p;
                c->bad_index = read_index(d.index, offset_of(p, d.ndim, d.index_shape, d.index_strides), d.stream, what);
                fail(CMP_STATUS_INDEX_OUT_OF_RANGE, what, ": index ", c->bad_index, " is out of bounds for dimension ",
                     d.dim, " with size ", d.self_shape[d.dim]);
            }
        }
        if (self_numel == 0) return;
        CMP_CUDA_DISPATCH_ALL_TYPES(d.dtype, what, [&] {
            using A = opmath_t<scalar_t>;
            const A alpha = scalar_to_opmath<scalar_t>(d.alpha);
            const bool scaled = d.src != nullptr && alpha != A(1);
            scatter_kernel<scalar_t><<<blocks_for(self_numel), kThreads, 0, s>>>(
                l, static_cast<scalar_t*>(d.self), d.index, static_cast<const scalar_t*>(d.src),
                scalar_to_opmath<scalar_t>(d.value), alpha, scaled, d.op, self_numel);
        });
    });
}

int32_t embedding_backward(compute_cuda_embedding_backward* e) {
    const char* what = "cuda embedding_backward";
    return run_described(what, e, [&](const compute_cuda_embedding_backward& d) {
        const auto s = static_cast<cudaStream_t>(d.stream);
        auto body = [&](auto zero) {
            using scalar_t = decltype(zero);
            check(cudaMemsetAsync(d.grad_weight, 0, static_cast<size_t>(d.num_weights * d.dim) * sizeof(scalar_t), s),
                  "cuda embedding_backward: clear");
            if (d.count == 0) return;
            const Scratch keys(d.device, d.count * 8, d.stream), positions(d.device, d.count * 8, d.stream),
                sorted_positions(d.device, d.count * 8, d.stream);
            iota_kernel<<<blocks_for(d.count), kThreads, 0, s>>>(positions.as<int64_t>(), d.count);
            size_t temp_bytes = 0;
            const int items = static_cast<int>(d.count);
            if (d.count > INT32_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", d.count, " indices (at most 2^31 - 1)");
            check(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, d.indices, keys.as<int64_t>(),
                                                  positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0, 64, s),
                  "cuda embedding_backward: sort size");
            const Scratch temp(d.device, static_cast<int64_t>(temp_bytes), d.stream);
            check(cub::DeviceRadixSort::SortPairs(temp.as<void>(), temp_bytes, d.indices, keys.as<int64_t>(),
                                                  positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0, 64, s),
                  "cuda embedding_backward: sort");
            const DeviceWord<unsigned long long> bad(d.device, d.stream);
            const EmbeddingRuns r{keys.as<int64_t>(), sorted_positions.as<int64_t>(), d.count, d.dim, d.num_weights,
                                  d.padding_idx, d.scale_grad_by_freq != 0};
            embedding_runs_kernel<scalar_t><<<blocks_for(d.count * std::max<int64_t>(d.dim, 1)), kThreads, 0, s>>>(
                r, static_cast<const scalar_t*>(d.grad_out), static_cast<scalar_t*>(d.grad_weight), bad.get());
            check(cudaGetLastError(), "cuda embedding_backward: kernel launch");
            const unsigned long long word = bad.value();
            if (word == 0) return;
            e->bad_position = static_cast<int64_t>(~word);
            e->bad_index = read_index(d.indices, e->bad_position, d.stream, what);
            fail(CMP_STATUS_INDEX_OUT_OF_RANGE, what, ": index ", e->bad_index, " is out of range for ", d.num_weights,
                 " embeddings");
        };
        switch (d.dtype) {
            case CMP_DTYPE_FLOAT32: body(float{}); break;
            case CMP_DTYPE_FLOAT64: body(double{}); break;
            case CMP_DTYPE_FLOAT16: body(half_t{}); break;
            case CMP_DTYPE_BFLOAT16: body(bf16_t{}); break;
            default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype ", d.dtype, " is not a floating dtype");
        }
    });
}

}  // namespace cmp::cuda_backend
