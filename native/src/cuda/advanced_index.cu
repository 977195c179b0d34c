// Advanced indexing on CUDA (compute_cuda_advanced_index): x[indices...] and its puts, laid out
// as the core's cmp::cpu::AdvancedIndexPlan, every position's target from
// cuda/advanced_index_walk.h (the fake backend runs the same walk on the host).
//
// GET: a thread per position checks its index values and moves one element as bits. A value out
// of range is not read through: the thread raises a 64-bit device word by atomicMax with the
// complement of its position, so the word holds the first bad position whatever the threads'
// order; the host reads it after the kernel (one synchronisation) and, when raised, the values at
// that position, naming the first bad operand as the CPU kernel does.
//
// PUT / PUT_ACCUMULATE: deterministic, no atomics. A thread per position writes its target (or
// raises the word: nothing is written to self before every index is known to be good), CUB's
// stable radix sort orders the (target, position) pairs, and the thread at the start of each run
// of equal targets does the run in position order: the last value (PUT), or the values added one
// by one in opmath with a rounding to the dtype after each (PUT_ACCUMULATE), the CPU kernel's
// order and roundings, so the result is the CPU's bit for bit. A thread's work is its run's
// length: many repeats of one target are done serially.
#include "cuda/advanced_index_walk.h"
#include "cuda/device_flag.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/scatter_combine.h"
#include "cuda/scratch.h"

#include <cub/device/device_radix_sort.cuh>

#include <climits>

namespace cmp::cuda_backend {

namespace {

using cuda_index::index_target;
using cuda_index::offset_of;
using Desc = compute_cuda_advanced_index;

__device__ __forceinline__ void raise_first(unsigned long long* bad, int64_t p) {
    atomicMax(bad, ~static_cast<unsigned long long>(p));
}

template <typename U>
__global__ void get_kernel(Desc a, unsigned long long* bad) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    const U* self = static_cast<const U*>(a.self);
    U* out = static_cast<U*>(a.values);
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < a.n; p += step) {
        int64_t target = 0, value = 0;
        int32_t k = 0;
        if (!index_target(a, p, &target, &value, &k)) {
            raise_first(bad, p);
            continue;
        }
        out[value] = self[target];
    }
}

__global__ void targets_kernel(Desc a, int64_t* keys, int64_t* positions, unsigned long long* bad) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t p = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; p < a.n; p += step) {
        int64_t target = 0, value = 0;
        int32_t k = 0;
        if (!index_target(a, p, &target, &value, &k)) raise_first(bad, p);
        keys[p] = target;
        positions[p] = p;
    }
}

template <typename T>
__global__ void put_runs_kernel(Desc a, const int64_t* keys, const int64_t* positions, bool accumulate) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    T* self = static_cast<T*>(a.self);
    const T* values = static_cast<const T*>(a.values);
    for (int64_t k = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; k < a.n; k += step) {
        const int64_t key = keys[k];
        if (k > 0 && keys[k - 1] == key) continue;  // not the start of a run
        int64_t end = k + 1;
        while (end < a.n && keys[end] == key) ++end;
        if (!accumulate) {
            self[key] = values[offset_of(positions[end - 1], a.ndim, a.shape, a.values_strides)];
            continue;
        }
        T cur = self[key];
        for (int64_t m = k; m < end; ++m)
            cur = from_opmath<T>(cuda_scatter::add(
                to_opmath(cur), to_opmath(values[offset_of(positions[m], a.ndim, a.shape, a.values_strides)])));
        self[key] = cur;
    }
}

// The bits a sort of the targets needs: the largest target when no stride is negative (then
// every target is in [0, bound]), else all 64.
int sort_bits(const Desc& a) {
    int64_t bound = 0;
    for (int d = 0; d < a.ndim; ++d) {
        if (a.self_strides[d] < 0) return 64;
        bound += (a.shape[d] - 1) * a.self_strides[d];
    }
    for (int k = 0; k < a.nindices; ++k) {
        if (a.strides[k] < 0) return 64;
        bound += (a.sizes[k] - 1) * a.strides[k];
    }
    int bits = 1;
    while (bits < 63 && (bound >> bits) != 0) ++bits;
    return bits;
}

// Fails naming the first bad operand at the first bad position the word holds (when raised).
void report_bad(const DeviceWord<unsigned long long>& bad, compute_cuda_advanced_index* out, const Desc& a,
                const char* what) {
    const unsigned long long word = bad.value();
    if (word == 0) return;
    const auto p = static_cast<int64_t>(~word);
    for (int32_t k = 0; k < a.nindices; ++k) {
        const int64_t i = read_index(a.indices[k], cuda_index::index_offset(a, k, p), a.stream, what);
        if (i >= -a.sizes[k] && i < a.sizes[k]) continue;
        out->bad_position = p;
        out->bad_operand = k;
        out->bad_index = i;
        fail(CMP_STATUS_INDEX_OUT_OF_RANGE, what, ": index ", i, " is out of bounds for indexed dim ", k, " with size ",
             a.sizes[k]);
    }
    fail(CMP_STATUS_INTERNAL_ERROR, what, ": position ", p, " was reported bad but its indices are in range");
}

}  // namespace

int32_t advanced_index(compute_cuda_advanced_index* x) {
    const char* what = "cuda advanced_index";
    return run_described(what, x, [&](const Desc& a) {
        if (a.ndim < 0 || a.ndim > COMPUTE_CUDA_MAX_DIMS || a.nindices < 1 || a.nindices > COMPUTE_CUDA_MAX_DIMS)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", a.ndim, " dims, ", a.nindices, " indices");
        const auto s = static_cast<cudaStream_t>(a.stream);
        const unsigned blocks = blocks_for(a.n);
        const DeviceWord<unsigned long long> bad(a.device, a.stream);
        if (a.op == COMPUTE_CUDA_INDEX_GET) {
            CMP_CUDA_DISPATCH_ALL_TYPES(a.dtype, what, [&] {
                get_kernel<bits_t<scalar_t>><<<blocks, kThreads, 0, s>>>(a, bad.get());
            });
            check(cudaGetLastError(), "cuda advanced_index: get launch");
            report_bad(bad, x, a, what);
            return;
        }
        if (a.op != COMPUTE_CUDA_INDEX_PUT && a.op != COMPUTE_CUDA_INDEX_PUT_ACCUMULATE)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown op ", a.op);
        if (a.n > INT32_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", a.n, " positions (at most 2^31 - 1)");
        const Scratch keys(a.device, a.n * 8, a.stream), positions(a.device, a.n * 8, a.stream),
            sorted_keys(a.device, a.n * 8, a.stream), sorted_positions(a.device, a.n * 8, a.stream);
        targets_kernel<<<blocks, kThreads, 0, s>>>(a, keys.as<int64_t>(), positions.as<int64_t>(), bad.get());
        check(cudaGetLastError(), "cuda advanced_index: targets launch");
        report_bad(bad, x, a, what);
        const int items = static_cast<int>(a.n), end_bit = sort_bits(a);
        size_t temp_bytes = 0;
        check(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                              positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0,
                                              end_bit, s),
              "cuda advanced_index: sort size");
        const Scratch temp(a.device, static_cast<int64_t>(temp_bytes), a.stream);
        check(cub::DeviceRadixSort::SortPairs(temp.as<void>(), temp_bytes, keys.as<int64_t>(), sorted_keys.as<int64_t>(),
                                              positions.as<int64_t>(), sorted_positions.as<int64_t>(), items, 0,
                                              end_bit, s),
              "cuda advanced_index: sort");
        const bool accumulate = a.op == COMPUTE_CUDA_INDEX_PUT_ACCUMULATE;
        CMP_CUDA_DISPATCH_ALL_TYPES(a.dtype, what, [&] {
            put_runs_kernel<scalar_t><<<blocks, kThreads, 0, s>>>(a, sorted_keys.as<int64_t>(),
                                                                  sorted_positions.as<int64_t>(), accumulate);
        });
    });
}

}  // namespace cmp::cuda_backend
