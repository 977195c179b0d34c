// randperm and multinomial on CUDA, the CPU's numbers for a seed.
//
// randperm: one thread per Philox block of the reserved range writes its two 64-bit keys
// (philox_u64, randint's positions) and their indices, CUB's radix sort (stable: equal keys keep
// increasing indices, the CPU's (key, index) order) sorts the pairs, and a pass stores the sorted
// indices in the output's dtype (exact: the front-end's n check keeps every value representable).
//
// multinomial (core/multinomial_rows.h on both devices):
//  * CHECK: a thread per element raises a 64-bit device word (atomicMax of the complement, as
//    index.cu: the smallest position wins) at position r * (categories + 1) + c for an element that
//    is not finite or is negative, and marks its row when the element is positive; then a thread
//    per row raises position r * (categories + 1) + categories for a row without a positive
//    element. With every element finite and non-negative, a row's sum is positive exactly when one
//    element is (sums of non-negative doubles never round down to 0), so the smallest raised
//    position is the CPU's first failure. The host reads the word (synchronising the stream) and,
//    on failure only, the bad element.
//  * WITH_REPLACEMENT: a thread per row writes its running sums (multinomial_cumsum: sequential,
//    the CPU's additions in its order, O(categories) per thread) into scratch, then a thread per
//    sample binary-searches them (multinomial_pick).
//  * WITHOUT_REPLACEMENT: a thread per element writes multinomial_key(p, u) and its category, CUB's
//    segmented radix sort orders each row by decreasing key (stable: ties keep increasing
//    categories, the CPU's tie rule), and a thread per sample copies the row's first num_samples.
#include "core/multinomial_rows.h"
#include "core/philox.h"
#include "cuda/device_flag.h"
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

__device__ __forceinline__ int64_t thread_index() { return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ __forceinline__ int64_t thread_step() { return static_cast<int64_t>(blockDim.x) * gridDim.x; }

// ---- randperm ----

__global__ void randperm_keys_kernel(uint64_t seed, uint64_t offset, int64_t n, uint64_t* keys, int32_t* index) {
    const int64_t blocks = (n + 1) / 2;
    for (int64_t b = thread_index(); b < blocks; b += thread_step()) {
        const PhiloxBlock block = philox_block(seed, offset + static_cast<uint64_t>(b));
        for (int j = 0; j < 2 && 2 * b + j < n; ++j) {
            keys[2 * b + j] = philox_u64(block, j);
            index[2 * b + j] = static_cast<int32_t>(2 * b + j);
        }
    }
}

template <typename T>
__global__ void store_indices_kernel(const int32_t* sorted, int64_t n, T* out) {
    for (int64_t i = thread_index(); i < n; i += thread_step()) out[i] = convert<T>(static_cast<int64_t>(sorted[i]));
}

// ---- multinomial ----

__device__ __forceinline__ void raise_first(unsigned long long* word, int64_t position) {
    atomicMax(word, ~static_cast<unsigned long long>(position));
}

__global__ void check_elements_kernel(const double* p, int64_t rows, int64_t cats, unsigned long long* bad,
                                      unsigned char* row_positive) {
    for (int64_t i = thread_index(); i < rows * cats; i += thread_step()) {
        const double v = p[i];
        const int64_t r = i / cats, c = i % cats;
        if (!(isfinite(v) && v >= 0.0)) raise_first(bad, r * (cats + 1) + c);
        else if (v > 0.0) row_positive[r] = 1;
    }
}

__global__ void check_rows_kernel(int64_t rows, int64_t cats, unsigned long long* bad, const unsigned char* row_positive) {
    for (int64_t r = thread_index(); r < rows; r += thread_step())
        if (!row_positive[r]) raise_first(bad, r * (cats + 1) + cats);
}

__global__ void cumsum_rows_kernel(const double* p, int64_t rows, int64_t cats, double* cum, int64_t* last_nonzero) {
    for (int64_t r = thread_index(); r < rows; r += thread_step())
        last_nonzero[r] = multinomial_cumsum(p + r * cats, cats, cum + r * cats);
}

__global__ void pick_kernel(const double* cum, const int64_t* last_nonzero, const double* u, int64_t rows, int64_t cats,
                            int64_t samples, int64_t* out) {
    for (int64_t i = thread_index(); i < rows * samples; i += thread_step()) {
        const int64_t r = i / samples;
        out[i] = multinomial_pick(cum + r * cats, cats, last_nonzero[r], u[i]);
    }
}

__global__ void keys_kernel(const double* p, const double* u, int64_t n, int64_t cats, double* keys, int32_t* category,
                            int32_t* row_begin, int64_t rows) {
    for (int64_t i = thread_index(); i < n; i += thread_step()) {
        keys[i] = multinomial_key(p[i], u[i]);
        category[i] = static_cast<int32_t>(i % cats);
        if (i % cats == 0) row_begin[i / cats] = static_cast<int32_t>(i);
        if (i == 0) row_begin[rows] = static_cast<int32_t>(n);
    }
}

__global__ void first_samples_kernel(const int32_t* sorted, int64_t rows, int64_t cats, int64_t samples, int64_t* out) {
    for (int64_t i = thread_index(); i < rows * samples; i += thread_step())
        out[i] = sorted[(i / samples) * cats + i % samples];
}

void multinomial_check(compute_cuda_multinomial* m, const compute_cuda_multinomial& d, const char* what) {
    const auto s = static_cast<cudaStream_t>(d.stream);
    const Scratch row_positive(d.device, d.rows, d.stream);
    check(cudaMemsetAsync(row_positive.as<unsigned char>(), 0, static_cast<size_t>(d.rows), s),
          "cuda multinomial: clear the row marks");
    const DeviceWord<unsigned long long> bad(d.device, d.stream);
    check_elements_kernel<<<blocks_for(d.n), kThreads, 0, s>>>(d.probs, d.rows, d.categories, bad.get(),
                                                                row_positive.as<unsigned char>());
    check_rows_kernel<<<blocks_for(d.rows), kThreads, 0, s>>>(d.rows, d.categories, bad.get(),
                                                             row_positive.as<unsigned char>());
    check(cudaGetLastError(), "cuda multinomial: check launch");
    const unsigned long long word = bad.value();
    if (word == 0) return;
    const int64_t position = static_cast<int64_t>(~word);
    m->bad_row = position / (d.categories + 1);
    m->bad_category = position % (d.categories + 1);
    m->bad_value = 0.0;
    if (m->bad_category < d.categories) {
        check(cudaMemcpyAsync(&m->bad_value, d.probs + m->bad_row * d.categories + m->bad_category, sizeof(double),
                              cudaMemcpyDeviceToHost, s),
              "cuda multinomial: read the bad element");
        check(cudaStreamSynchronize(s), "cuda multinomial: synchronize");
    }
    fail(CMP_STATUS_INVALID_ARGUMENT, what, ": row ", m->bad_row, " fails the checks");
}

void multinomial_with_replacement(const compute_cuda_multinomial& d) {
    const auto s = static_cast<cudaStream_t>(d.stream);
    const Scratch cum(d.device, d.n * 8, d.stream), last(d.device, d.rows * 8, d.stream);
    cumsum_rows_kernel<<<blocks_for(d.rows), kThreads, 0, s>>>(d.probs, d.rows, d.categories, cum.as<double>(),
                                                              last.as<int64_t>());
    pick_kernel<<<blocks_for(d.rows * d.num_samples), kThreads, 0, s>>>(
        cum.as<double>(), last.as<int64_t>(), d.u, d.rows, d.categories, d.num_samples, d.out);
}

void multinomial_without_replacement(const compute_cuda_multinomial& d, const char* what) {
    if (d.n > INT_MAX || d.rows >= INT_MAX)
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": ", d.rows, " x ", d.categories,
             " probabilities without replacement (at most 2^31 - 1 on CUDA)");
    const auto s = static_cast<cudaStream_t>(d.stream);
    const Scratch keys(d.device, d.n * 8, d.stream), sorted_keys(d.device, d.n * 8, d.stream),
        category(d.device, d.n * 4, d.stream), sorted(d.device, d.n * 4, d.stream),
        row_begin(d.device, (d.rows + 1) * 4, d.stream);
    keys_kernel<<<blocks_for(d.n), kThreads, 0, s>>>(d.probs, d.u, d.n, d.categories, keys.as<double>(),
                                                     category.as<int32_t>(), row_begin.as<int32_t>(), d.rows);
    const int items = static_cast<int>(d.n), segments = static_cast<int>(d.rows);
    const int32_t* begin = row_begin.as<int32_t>();
    size_t temp_bytes = 0;
    check(cub::DeviceSegmentedRadixSort::SortPairsDescending(nullptr, temp_bytes, keys.as<double>(), sorted_keys.as<double>(),
                                                             category.as<int32_t>(), sorted.as<int32_t>(), items, segments,
                                                             begin, begin + 1, 0, 64, s),
          "cuda multinomial: sort size");
    const Scratch temp(d.device, static_cast<int64_t>(temp_bytes), d.stream);
    check(cub::DeviceSegmentedRadixSort::SortPairsDescending(temp.as<void>(), temp_bytes, keys.as<double>(),
                                                             sorted_keys.as<double>(), category.as<int32_t>(),
                                                             sorted.as<int32_t>(), items, segments, begin, begin + 1, 0,
                                                             64, s),
          "cuda multinomial: sort");
    first_samples_kernel<<<blocks_for(d.rows * d.num_samples), kThreads, 0, s>>>(sorted.as<int32_t>(), d.rows,
                                                                                 d.categories, d.num_samples, d.out);
}

}  // namespace

int32_t randperm(const compute_cuda_randperm* desc) {
    const char* what = "cuda randperm";
    return run_described(what, desc, [&](const compute_cuda_randperm& r) {
        if (r.n > INT_MAX) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": n = ", r.n, " (at most 2^31 - 1 on CUDA)");
        if (r.dtype == CMP_DTYPE_BOOL) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": not defined for dtype bool");
        const auto s = static_cast<cudaStream_t>(r.stream);
        const Scratch keys(r.device, r.n * 8, r.stream), sorted_keys(r.device, r.n * 8, r.stream),
            index(r.device, r.n * 4, r.stream), sorted(r.device, r.n * 4, r.stream);
        randperm_keys_kernel<<<blocks_for((r.n + 1) / 2), kThreads, 0, s>>>(r.seed, r.offset, r.n, keys.as<uint64_t>(),
                                                                            index.as<int32_t>());
        const int items = static_cast<int>(r.n);
        size_t temp_bytes = 0;
        check(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.as<uint64_t>(), sorted_keys.as<uint64_t>(),
                                              index.as<int32_t>(), sorted.as<int32_t>(), items, 0, 64, s),
              "cuda randperm: sort size");
        const Scratch temp(r.device, static_cast<int64_t>(temp_bytes), r.stream);
        check(cub::DeviceRadixSort::SortPairs(temp.as<void>(), temp_bytes, keys.as<uint64_t>(), sorted_keys.as<uint64_t>(),
                                              index.as<int32_t>(), sorted.as<int32_t>(), items, 0, 64, s),
              "cuda randperm: sort");
        CMP_CUDA_DISPATCH_ALL_TYPES(r.dtype, what, [&] {
            store_indices_kernel<scalar_t><<<blocks_for(r.n), kThreads, 0, s>>>(sorted.as<int32_t>(), r.n,
                                                                               static_cast<scalar_t*>(r.out));
        });
    });
}

int32_t multinomial(compute_cuda_multinomial* m) {
    const char* what = "cuda multinomial";
    return run_described(what, m, [&](const compute_cuda_multinomial& d) {
        if (d.rows <= 0 || d.categories <= 0 || d.n != d.rows * d.categories)
            fail(CMP_STATUS_INVALID_ARGUMENT, what, ": n must be rows * categories");
        switch (d.pass) {
            case COMPUTE_CUDA_MULTINOMIAL_CHECK: multinomial_check(m, d, what); break;
            case COMPUTE_CUDA_MULTINOMIAL_WITH_REPLACEMENT: multinomial_with_replacement(d); break;
            case COMPUTE_CUDA_MULTINOMIAL_WITHOUT_REPLACEMENT:
                if (d.num_samples > d.categories) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": more samples than categories");
                multinomial_without_replacement(d, what);
                break;
            default: fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown pass ", d.pass);
        }
    });
}

}  // namespace cmp::cuda_backend
