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

}  // namespace cmp::cpu_allocator
