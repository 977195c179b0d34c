// sort / argsort / msort / topk and searchsorted / bucketize on CUDA, the CPU's results bit for bit.
//
// sort: a thread per element writes cpu/sort_key.h's key (the CPU kernel's: 16-bit floats keyed
// through their float value) and its position in the row; CUB's radix sort orders the (key,
// position) pairs -- stable, so equal keys keep increasing positions, the CPU's (key, index)
// order, descending included (the key's bits are flipped, not the positions) -- one sort for a
// single row, the segmented sort over the rows otherwise; a pass stores the positions as int64
// and, for sort, the elements at them (the input's bits: -0.0 and NaN payloads kept, as the CPU
// copies them). Every key bit is sorted (4 or 8 passes of 8 bits), whatever the dtype.
//
// search: a thread per value runs cpu/sort_key.h's bisect over its row (through the sorter),
// comparing in float32 for the 16-bit floats as the CPU does.
#include "cpu/sort_key.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/scratch.h"
#include "cuda/status.h"

#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_segmented_radix_sort.cuh>

#include <climits>

namespace cmp::cuda_backend {

namespace {

__device__ __forceinline__ int64_t first_item() { return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ __forceinline__ int64_t item_step() { return static_cast<int64_t>(blockDim.x) * gridDim.x; }

// The CPU kernel's key of v (cpu/kernels/sort_search.cpp's radix_key).
template <typename T>
__device__ __forceinline__ cpu::radix_key_t<T> element_key(T v, bool descending) {
    if constexpr (std::is_same_v<T, half_t> || std::is_same_v<T, bf16_t>) return cpu::sort_key<float>(to_opmath(v), descending);
    else return cpu::sort_key<T>(v, descending);
}

template <typename T>
__global__ void sort_keys_kernel(const T* in, int64_t n, int64_t len, int64_t rows, bool descending,
                                 cpu::radix_key_t<T>* keys, int32_t* position, int32_t* row_begin) {
    for (int64_t i = first_item(); i < n; i += item_step()) {
        keys[i] = element_key<T>(in[i], descending);
        position[i] = static_cast<int32_t>(i % len);
        if (i % len == 0) row_begin[i / len] = static_cast<int32_t>(i);
        if (i == 0) row_begin[rows] = static_cast<int32_t>(n);
    }
}

template <typename T>
__global__ void sort_store_kernel(const T* in, const int32_t* sorted, int64_t n, int64_t len, T* values,
                                  int64_t* indices) {
    for (int64_t i = first_item(); i < n; i += item_step()) {
        const int64_t p = sorted[i];
        indices[i] = p;
        if (values) values[i] = in[i - i % len + p];
    }
}

template <typename T>
void sort_typed(const compute_cuda_sort& d) {
    using U = cpu::radix_key_t<T>;
    const auto s = static_cast<cudaStream_t>(d.stream);
    const Scratch keys(d.device, d.n * static_cast<int64_t>(sizeof(U)), d.stream),
        sorted_keys(d.device, d.n * static_cast<int64_t>(sizeof(U)), d.stream), position(d.device, d.n * 4, d.stream),
        sorted(d.device, d.n * 4, d.stream), row_begin(d.device, (d.rows + 1) * 4, d.stream);
    const T* in = static_cast<const T*>(d.in);
    sort_keys_kernel<T><<<blocks_for(d.n), kThreads, 0, s>>>(in, d.n, d.len, d.rows, d.descending != 0, keys.as<U>(),
                                                             position.as<int32_t>(), row_begin.as<int32_t>());
    const int items = static_cast<int>(d.n), segments = static_cast<int>(d.rows);
    const int32_t* begin = row_begin.as<int32_t>();
    const int end_bit = static_cast<int>(sizeof(U) * 8);
    // The same call twice: CUB's size query (temp == nullptr), then the sort.
    const auto run = [&](void* temp, size_t& temp_bytes) {
        if (d.rows == 1)
            return cub::DeviceRadixSort::SortPairs(temp, temp_bytes, keys.as<U>(), sorted_keys.as<U>(),
                                                   position.as<int32_t>(), sorted.as<int32_t>(), items, 0, end_bit, s);
        return cub::DeviceSegmentedRadixSort::SortPairs(temp, temp_bytes, keys.as<U>(), sorted_keys.as<U>(),
                                                        position.as<int32_t>(), sorted.as<int32_t>(), items, segments,
                                                        begin, begin + 1, 0, end_bit, s);
    };
    size_t temp_bytes = 0;
    check(run(nullptr, temp_bytes), "cuda sort: sort size");
    const Scratch temp(d.device, static_cast<int64_t>(temp_bytes), d.stream);
    check(run(temp.as<void>(), temp_bytes), "cuda sort: sort");
    sort_store_kernel<T><<<blocks_for(d.n), kThreads, 0, s>>>(in, sorted.as<int32_t>(), d.n, d.len,
                                                              static_cast<T*>(d.values), d.indices);
}

// The sorted row's j-th element as K (through the sorter when there is one).
template <typename T>
struct RowAt {
    const T* row;
    const int64_t* sorter;
    __device__ __forceinline__ opmath_t<T> operator()(int64_t j) const { return to_opmath(row[sorter ? sorter[j] : j]); }
};

template <typename T>
__global__ void search_kernel(compute_cuda_search d) {
    const T* seq = static_cast<const T*>(d.seq);
    const T* values = static_cast<const T*>(d.values);
    for (int64_t i = first_item(); i < d.n; i += item_step()) {
        const int64_t r = d.rows == 1 ? 0 : i / d.per_row;
        const RowAt<T> at{seq + r * d.seq_len, d.sorter ? d.sorter + r * d.seq_len : nullptr};
        const int64_t pos = cpu::bisect<opmath_t<T>>(at, d.seq_len, to_opmath(values[i]), d.right != 0);
        if (d.out_int32) static_cast<int32_t*>(d.out)[i] = static_cast<int32_t>(pos);
        else static_cast<int64_t*>(d.out)[i] = pos;
    }
}

}  // namespace

int32_t sort(const compute_cuda_sort* desc) {
    const char* what = "cuda sort";
    return run_described(what, desc, [&](const compute_cuda_sort& d) {
        if (d.rows <= 0 || d.len <= 0 || d.n != d.rows * d.len || !d.in || !d.indices)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": n must be rows * len, with in and indices");
        if (d.n > INT_MAX)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", d.n, " elements (at most 2^31 - 1 on CUDA)");
        CMP_CUDA_DISPATCH_ALL_TYPES(d.dtype, what, [&] { sort_typed<scalar_t>(d); });
    });
}

int32_t search(const compute_cuda_search* desc) {
    const char* what = "cuda search";
    return run_described(what, desc, [&](const compute_cuda_search& d) {
        if (d.rows <= 0 || d.per_row <= 0 || d.n != d.rows * d.per_row || d.seq_len < 0)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": n must be rows * per_row");
        if (d.dtype == CMP_DTYPE_BOOL) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": not defined for bool");
        const auto s = static_cast<cudaStream_t>(d.stream);
        CMP_CUDA_DISPATCH_ALL_TYPES(d.dtype, what, [&] {
            search_kernel<scalar_t><<<blocks_for(d.n), kThreads, 0, s>>>(d);
        });
    });
}

}  // namespace cmp::cuda_backend
