// The caching host allocator. One mutex guards the free lists and counters; the system
// allocator and the failure hook are called without it, because the managed hook runs the
// GC whose finalizers free tensors (re-entering deallocate) possibly on other threads.
#include "allocator.h"

#include "error.h"

#include <bit>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cmp::cpu_allocator {

namespace {

constexpr int64_t kDefaultCacheLimit = int64_t{256} << 20;
// Larger requests cannot be rounded to a class without overflow; no system grants them.
constexpr int64_t kMaxRequest = int64_t{1} << 60;

int64_t initial_cache_limit() {
    if (const char* env = std::getenv("COMPUTE_CPU_CACHE_LIMIT")) {
        char* end = nullptr;
        long long v = std::strtoll(env, &end, 10);
        if (end != env && v >= 0) return v;
    }
    return kDefaultCacheLimit;
}

// Classes up to this many bytes (multiples of kAlignment) have their free list in an array
// indexed by size / kAlignment: tiny tensors allocate on every op, and a hash lookup per
// allocation was measurable there.
constexpr int64_t kSmallClassLimit = 1024;
constexpr size_t kSmallClasses = kSmallClassLimit / kAlignment + 1;

struct State {
    std::mutex mu;
    std::vector<void*> small_free[kSmallClasses];                 // size class / kAlignment -> blocks
    std::unordered_map<int64_t, std::vector<void*>> free_blocks;  // larger size class -> blocks
    int64_t allocated = 0;
    int64_t reserved = 0;
    int64_t cached = 0;
    int64_t peak = 0;
    int64_t failed = 0;
    int64_t cache_limit = initial_cache_limit();
    int64_t system_limit = -1;
    cmp_alloc_failure_hook hook = nullptr;
    void* hook_context = nullptr;
};

// Leaked on purpose: tensors held by static objects of other libraries may be freed after
// this translation unit's statics are destroyed.
State& st() {
    static State* s = new State();
    return *s;
}

void* system_aligned_alloc(int64_t size) {
#if defined(_WIN32)
    return _aligned_malloc(static_cast<size_t>(size), kAlignment);
#else
    return std::aligned_alloc(kAlignment, static_cast<size_t>(size));
#endif
}

void system_free(void* p) {
#if defined(_WIN32)
    _aligned_free(p);
#else
    std::free(p);
#endif
}

// Takes a block of exactly `size` bytes from the system, accounting it as reserved.
void* system_take(int64_t size) {
    State& s = st();
    {
        std::lock_guard lock(s.mu);
        if (s.system_limit >= 0 && s.reserved + size > s.system_limit) return nullptr;
        s.reserved += size;  // counted before the call so concurrent limit checks see it
    }
    void* p = system_aligned_alloc(size);
    if (!p) {
        std::lock_guard lock(s.mu);
        s.reserved -= size;
    }
    return p;
}

// The free list of class `size` (null when a large class has none yet); the caller holds the lock.
std::vector<void*>* free_list_locked(State& s, int64_t size, bool create) {
    if (size <= kSmallClassLimit) return &s.small_free[static_cast<size_t>(size / kAlignment)];
    if (create) return &s.free_blocks[size];
    auto it = s.free_blocks.find(size);
    return it == s.free_blocks.end() ? nullptr : &it->second;
}

void note_allocated_locked(State& s, int64_t size) {
    s.allocated += size;
    if (s.allocated > s.peak) s.peak = s.allocated;
}

// Pops a cached block of class `size` and counts it as allocated, under one lock (the path
// every op that reuses memory takes); null when none is cached.
void* take_cached(int64_t size) {
    State& s = st();
    std::lock_guard lock(s.mu);
    std::vector<void*>* list = free_list_locked(s, size, false);
    if (!list || list->empty()) return nullptr;
    void* p = list->back();
    list->pop_back();
    s.cached -= size;
    note_allocated_locked(s, size);
    return p;
}

void note_allocated(int64_t size) {
    State& s = st();
    std::lock_guard lock(s.mu);
    note_allocated_locked(s, size);
}

}  // namespace

int64_t size_class(int64_t nbytes) {
    if (nbytes <= 1024) return (nbytes + kAlignment - 1) / kAlignment * kAlignment;
    // Eight classes per power of two: granularity is 1/8 of the largest power of two below.
    int shift = static_cast<int>(std::bit_width(static_cast<uint64_t>(nbytes - 1))) - 1 - 3;
    int64_t step = int64_t{1} << shift;
    return (nbytes + step - 1) / step * step;
}

void* allocate(int64_t nbytes) {
    CMP_CHECK(nbytes >= 0, INVALID_ARGUMENT, "allocator: negative allocation size ", nbytes);
    if (nbytes == 0) return nullptr;
    State& s = st();
    const bool possible = nbytes <= kMaxRequest;
    const int64_t size = possible ? size_class(nbytes) : nbytes;

    if (possible) {
        if (void* cached = take_cached(size)) return cached;  // already counted as allocated
    }
    void* p = possible ? system_take(size) : nullptr;
    if (!p && possible && cached_bytes() > 0) {
        // Cached blocks of other classes may be what stands in the way.
        empty_cache();
        p = system_take(size);
    }
    if (!p) {
        cmp_alloc_failure_hook hook;
        void* context;
        {
            std::lock_guard lock(s.mu);
            ++s.failed;
            hook = s.hook;
            context = s.hook_context;
        }
        // The hook runs without the lock: it may free tensors, which calls deallocate.
        if (hook && hook(nbytes, context) != 0 && possible) {
            // Memory the hook freed may have landed in the cache (counted when taken).
            if (void* cached = take_cached(size)) return cached;
            empty_cache();
            p = system_take(size);
        }
    }
    if (!p) {
        cmp_memory_stats now = stats();
        fail(CMP_STATUS_OUT_OF_MEMORY, str("allocator: out of memory allocating ", nbytes, " bytes (allocated ",
                                           now.allocated, ", reserved ", now.reserved, ")"));
    }
    note_allocated(size);
    return p;
}

void deallocate(void* p, int64_t nbytes) {
    if (!p) return;
    State& s = st();
    const int64_t size = size_class(nbytes);
    {
        std::lock_guard lock(s.mu);
        s.allocated -= size;
        if (s.cached + size <= s.cache_limit) {
            free_list_locked(s, size, true)->push_back(p);
            s.cached += size;
            return;
        }
        s.reserved -= size;
    }
    system_free(p);
}

void empty_cache() {
    State& s = st();
    std::vector<void*> blocks;
    {
        std::lock_guard lock(s.mu);
        for (auto& list : s.small_free) {
            blocks.insert(blocks.end(), list.begin(), list.end());
            list.clear();
        }
        for (auto& [size, list] : s.free_blocks) {
            blocks.insert(blocks.end(), list.begin(), list.end());
            list.clear();
        }
        s.free_blocks.clear();
        s.reserved -= s.cached;
        s.cached = 0;
    }
    for (void* p : blocks) system_free(p);
}

cmp_memory_stats stats() {
    State& s = st();
    std::lock_guard lock(s.mu);
    cmp_memory_stats out{};
    out.allocated = s.allocated;
    out.reserved = s.reserved;
    out.peak_allocated = s.peak;
    out.failed_allocations = s.failed;
    return out;
}

void set_failure_hook(cmp_alloc_failure_hook hook, void* context) {
    State& s = st();
    std::lock_guard lock(s.mu);
    s.hook = hook;
    s.hook_context = context;
}

int32_t run_failure_hook(int64_t nbytes) {
    cmp_alloc_failure_hook hook;
    void* context;
    {
        State& s = st();
        std::lock_guard lock(s.mu);
        hook = s.hook;
        context = s.hook_context;
    }
    return hook ? hook(nbytes, context) : 0;
}

void set_cache_limit(int64_t bytes) {
    CMP_CHECK(bytes >= 0, INVALID_ARGUMENT, "allocator: cache limit must be >= 0, got ", bytes);
    {
        std::lock_guard lock(st().mu);
        st().cache_limit = bytes;
    }
    // Simplest way to honour a lowered cap immediately.
    if (cached_bytes() > bytes) empty_cache();
}

int64_t cache_limit() {
    std::lock_guard lock(st().mu);
    return st().cache_limit;
}

int64_t cached_bytes() {
    std::lock_guard lock(st().mu);
    return st().cached;
}

void reset_stats() {
    State& s = st();
    std::lock_guard lock(s.mu);
    s.peak = s.allocated;
    s.failed = 0;
}

void set_system_limit_for_testing(int64_t limit) {
    std::lock_guard lock(st().mu);
    st().system_limit = limit;
}

}  // namespace cmp::cpu_allocator
