// Intra-op parallelism: one persistent thread pool shared by every kernel.
// parallel_for splits [begin, end) into chunks of at least `grain` iterations; work smaller
// than one grain, nested calls, and calls made while another host thread owns the pool run
// inline on the caller, so the pool is safe to use from many host threads at once.
#pragma once

#include <cstdint>
#include <functional>

namespace cmp {

// Number of threads (the caller counts as one). Defaults to the machine's cores, or
// COMPUTE_NUM_THREADS when set.
int32_t get_num_threads();
void set_num_threads(int32_t n);  // throws INVALID_ARGUMENT for n < 1
bool in_parallel_region();

// fn(chunk_begin, chunk_end) is called for disjoint chunks covering [begin, end). The first
// exception thrown by any chunk is rethrown on the caller after all chunks finish.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn);

// A grain that keeps tensors under ~32K elements on one thread for cheap element loops.
constexpr int64_t kDefaultGrain = 32768;

}  // namespace cmp
