// The caching CPU allocator: alignment, size classes, reuse, the cache cap, statistics, thread
// safety, and the allocation-failure path (release cache, hook, one retry, then OOM).
#include "core/allocator.h"
#include "core/error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace cmp {
namespace {

namespace alloc = cpu_allocator;

// Puts the allocator back in its default state whatever a test did.
class Allocator : public ::testing::Test {
protected:
    void SetUp() override {
        saved_limit_ = alloc::cache_limit();
        alloc::empty_cache();
        alloc::reset_stats();
    }
    void TearDown() override {
        alloc::set_failure_hook(nullptr, nullptr);
        alloc::set_system_limit_for_testing(-1);
        alloc::set_cache_limit(saved_limit_);
        alloc::empty_cache();
    }
    int64_t saved_limit_ = 0;
};

TEST_F(Allocator, BlocksAre64ByteAlignedAndWritable) {
    std::vector<std::pair<void*, int64_t>> blocks;
    for (int64_t n : {1, 3, 63, 64, 65, 1000, 4097, 1 << 20, (1 << 20) + 7}) {
        void* p = alloc::allocate(n);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alloc::kAlignment, 0u) << n;
        std::memset(p, 0xab, static_cast<size_t>(n));
        blocks.emplace_back(p, n);
    }
    for (auto [p, n] : blocks) alloc::deallocate(p, n);
    EXPECT_EQ(alloc::allocate(0), nullptr);
    alloc::deallocate(nullptr, 0);
    EXPECT_THROW(alloc::allocate(-1), Error);
}

TEST_F(Allocator, SizeClassesBoundTheWaste) {
    int64_t prev = 0;
    for (int64_t n = 1; n < (1 << 22); n = n * 5 / 4 + 1) {
        int64_t c = alloc::size_class(n);
        EXPECT_GE(c, n);
        EXPECT_EQ(c % alloc::kAlignment, 0);
        EXPECT_GE(c, prev) << "classes grow with the request";
        if (n > 1024) {
            EXPECT_LE(c - n, n / 8) << n;
        }
        prev = c;
    }
}

TEST_F(Allocator, FreedBlocksAreReusedAndCounted) {
    cmp_memory_stats s0 = alloc::stats();
    void* a = alloc::allocate(10000);
    const int64_t size = alloc::size_class(10000);
    cmp_memory_stats s1 = alloc::stats();
    EXPECT_EQ(s1.allocated - s0.allocated, size);
    EXPECT_EQ(s1.reserved - s0.reserved, size);
    EXPECT_GE(s1.peak_allocated, s1.allocated);
    alloc::deallocate(a, 10000);
    cmp_memory_stats s2 = alloc::stats();
    EXPECT_EQ(s2.allocated, s0.allocated);
    EXPECT_EQ(s2.reserved, s1.reserved) << "the freed block stays cached";
    EXPECT_EQ(alloc::cached_bytes(), size);
    void* b = alloc::allocate(9999);  // same class
    EXPECT_EQ(b, a) << "a cached block of the same class is reused";
    EXPECT_EQ(alloc::cached_bytes(), 0);
    alloc::deallocate(b, 9999);
    alloc::empty_cache();
    EXPECT_EQ(alloc::stats().reserved, s0.reserved);
    EXPECT_EQ(alloc::cached_bytes(), 0);
}

TEST_F(Allocator, CacheCapSendsBlocksBackToTheSystem) {
    alloc::set_cache_limit(alloc::size_class(5000));
    void* a = alloc::allocate(5000);
    void* b = alloc::allocate(5000);
    alloc::deallocate(a, 5000);
    alloc::deallocate(b, 5000);
    EXPECT_EQ(alloc::cached_bytes(), alloc::size_class(5000)) << "only what fits under the cap is kept";
    alloc::set_cache_limit(0);
    EXPECT_EQ(alloc::cached_bytes(), 0) << "lowering the cap drops what is above it";
}

TEST_F(Allocator, PeakTracksTheHighestAllocated) {
    int64_t base = alloc::stats().allocated;
    void* a = alloc::allocate(1 << 20);
    void* b = alloc::allocate(1 << 20);
    alloc::deallocate(a, 1 << 20);
    alloc::deallocate(b, 1 << 20);
    EXPECT_EQ(alloc::stats().peak_allocated - base, 2 * alloc::size_class(1 << 20));
    alloc::reset_stats();
    EXPECT_EQ(alloc::stats().peak_allocated, alloc::stats().allocated);
}

struct HookState {
    int calls = 0;
    int64_t requested = 0;
    void* held = nullptr;  // a block the hook may free, like a finalizer would
    int64_t held_size = 0;
    int32_t answer = 1;
};

int32_t freeing_hook(int64_t nbytes, void* context) {
    auto* s = static_cast<HookState*>(context);
    ++s->calls;
    s->requested = nbytes;
    // Re-entering the allocator here would deadlock if the hook ran under its lock.
    (void)alloc::stats();
    if (s->held) {
        alloc::deallocate(s->held, s->held_size);
        s->held = nullptr;
    }
    return s->answer;
}

TEST_F(Allocator, HookFreesMemoryAndTheRetrySucceeds) {
    const int64_t n = 768 << 10;
    HookState hook;
    hook.held = alloc::allocate(n);
    hook.held_size = n;
    alloc::set_cache_limit(0);  // freed blocks go back to the "system" at once
    // The pretend system holds room for one such block beyond what is reserved now.
    alloc::set_system_limit_for_testing(alloc::stats().reserved + alloc::size_class(n) / 2);
    alloc::set_failure_hook(&freeing_hook, &hook);
    void* p = alloc::allocate(n);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(hook.calls, 1);
    EXPECT_EQ(hook.requested, n);
    EXPECT_EQ(hook.held, nullptr);
    EXPECT_EQ(alloc::stats().failed_allocations, 1);
    alloc::deallocate(p, n);
}

TEST_F(Allocator, HookFreeingIntoTheCacheIsEnoughToo) {
    const int64_t n = 768 << 10;
    HookState hook;
    hook.held = alloc::allocate(n);
    hook.held_size = n;
    alloc::set_system_limit_for_testing(alloc::stats().reserved);  // the system gives nothing more
    alloc::set_failure_hook(&freeing_hook, &hook);
    void* p = alloc::allocate(n);  // served from the block the hook put in the cache
    EXPECT_NE(p, nullptr);
    EXPECT_EQ(hook.calls, 1);
    alloc::deallocate(p, n);
}

TEST_F(Allocator, OutOfMemoryAfterTheHookIsAClearError) {
    HookState hook;  // frees nothing, asks for a retry
    alloc::set_system_limit_for_testing(alloc::stats().reserved);
    alloc::set_failure_hook(&freeing_hook, &hook);
    try {
        alloc::allocate(4096);
        FAIL() << "expected out of memory";
    } catch (const Error& e) {
        EXPECT_EQ(e.status(), CMP_STATUS_OUT_OF_MEMORY);
        std::string msg = e.what();
        EXPECT_NE(msg.find("allocator: out of memory allocating 4096 bytes"), std::string::npos) << msg;
        EXPECT_NE(msg.find("allocated"), std::string::npos) << msg;
        EXPECT_NE(msg.find("reserved"), std::string::npos) << msg;
    }
    EXPECT_EQ(hook.calls, 1) << "the hook runs once per failed allocation";
    hook.answer = 0;  // declining the retry also ends in OOM
    EXPECT_THROW(alloc::allocate(4096), Error);
    EXPECT_EQ(hook.calls, 2);
    EXPECT_EQ(alloc::stats().failed_allocations, 2);
}

TEST_F(Allocator, FailureReleasesTheCacheBeforeTheHook) {
    // A cached block of another class is returned to the system to make room.
    void* a = alloc::allocate(1 << 20);
    alloc::deallocate(a, 1 << 20);
    ASSERT_GT(alloc::cached_bytes(), 0);
    alloc::set_system_limit_for_testing(alloc::stats().reserved);
    HookState hook;
    alloc::set_failure_hook(&freeing_hook, &hook);
    void* b = alloc::allocate(512 << 10);
    EXPECT_NE(b, nullptr);
    EXPECT_EQ(hook.calls, 0) << "no hook needed: the cache made room";
    alloc::deallocate(b, 512 << 10);
}

TEST_F(Allocator, ImpossibleSizesFailWithoutCrashing) {
    HookState hook;
    alloc::set_failure_hook(&freeing_hook, &hook);
    try {
        alloc::allocate(int64_t{1} << 62);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.status(), CMP_STATUS_OUT_OF_MEMORY);
    }
    EXPECT_EQ(hook.calls, 1);
}

TEST_F(Allocator, ManyThreadsKeepCountsConsistent) {
    const int64_t base = alloc::stats().allocated;
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([t, &errors] {
            std::vector<std::pair<void*, int64_t>> live;
            for (int i = 0; i < 2000; ++i) {
                int64_t n = 64 + ((i * 7919 + t * 104729) % 50000);
                void* p = alloc::allocate(n);
                static_cast<char*>(p)[0] = static_cast<char>(t);
                static_cast<char*>(p)[n - 1] = static_cast<char>(t);
                live.emplace_back(p, n);
                if (live.size() > 16) {
                    auto [q, m] = live.front();
                    if (static_cast<char*>(q)[0] != static_cast<char>(t) ||
                        static_cast<char*>(q)[m - 1] != static_cast<char>(t))
                        ++errors;  // another thread got the same block
                    alloc::deallocate(q, m);
                    live.erase(live.begin());
                }
            }
            for (auto [q, m] : live) alloc::deallocate(q, m);
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(alloc::stats().allocated, base);
}

}  // namespace
}  // namespace cmp
