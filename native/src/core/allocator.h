// Host memory: a 64-byte-aligned caching allocator. Freed blocks are kept in size classes and
// reused; when the system refuses memory the cache is released, the allocation-failure hook
// (the managed host's GC) runs, and the allocation is tried once more before OUT_OF_MEMORY.
#pragma once

#include <compute/compute.h>

#include <cstdint>

namespace cmp::cpu_allocator {

constexpr int64_t kAlignment = 64;

void* allocate(int64_t nbytes);  // throws cmp::Error(OUT_OF_MEMORY) naming the size
void deallocate(void* p, int64_t nbytes);
void empty_cache();
cmp_memory_stats stats();
void set_failure_hook(cmp_alloc_failure_hook hook, void* context);
// Runs the installed failure hook (without the allocator's lock) for a failed allocation of
// nbytes elsewhere (the CUDA backend's device allocator); 0 when no hook is installed.
int32_t run_failure_hook(int64_t nbytes);

// The block size a request of nbytes is served with (a multiple of kAlignment; classes are
// at most 1/8 apart so rounding wastes at most 12.5%).
int64_t size_class(int64_t nbytes);
// Bytes of freed blocks kept for reuse at most (default 256 MiB, COMPUTE_CPU_CACHE_LIMIT in
// bytes overrides it); blocks beyond the cap go back to the system.
void set_cache_limit(int64_t bytes);
int64_t cache_limit();
// Bytes currently cached (reserved but not allocated).
int64_t cached_bytes();
// Resets peak_allocated to the current allocated and failed_allocations to 0.
void reset_stats();
// For tests: pretend the system refuses any allocation that would take reserved bytes above
// limit (negative: no limit). Exercises the failure path deterministically.
void set_system_limit_for_testing(int64_t limit);

}  // namespace cmp::cpu_allocator
