// The intra-op thread pool: coverage of the range, exceptions, nesting, many host threads at
// once, resizing, and the inline path for small work.
#include "core/error.h"
#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

// Restores the thread count a test changed.
struct ThreadCountGuard {
    int32_t saved = cmp::get_num_threads();
    ~ThreadCountGuard() { cmp::set_num_threads(saved); }
};

TEST(Parallel, CoversEveryIndexExactlyOnce) {
    ThreadCountGuard guard;
    for (int32_t threads : {1, 2, 3, 4, 7}) {
        cmp::set_num_threads(threads);
        for (int64_t n : {0, 1, 5, 1000, 100003}) {
            for (int64_t grain : {1, 7, 1000, 1 << 20}) {
                std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
                cmp::parallel_for(0, n, grain, [&](int64_t b, int64_t e) {
                    ASSERT_LE(b, e);
                    for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
                });
                for (int64_t i = 0; i < n; ++i)
                    ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << "threads " << threads << " n " << n << " i " << i;
            }
        }
    }
}

TEST(Parallel, NonZeroBegin) {
    std::atomic<int64_t> sum{0};
    cmp::parallel_for(10, 20010, 100, [&](int64_t b, int64_t e) {
        int64_t s = 0;
        for (int64_t i = b; i < e; ++i) s += i;
        sum += s;
    });
    int64_t expect = 0;
    for (int64_t i = 10; i < 20010; ++i) expect += i;
    EXPECT_EQ(sum.load(), expect);
}

TEST(Parallel, UsesSeveralThreadsForLargeWork) {
    ThreadCountGuard guard;
    cmp::set_num_threads(4);
    std::mutex m;
    std::set<std::thread::id> ids;
    std::atomic<int> running{0};
    std::atomic<int> max_running{0};
    cmp::parallel_for(0, 4, 1, [&](int64_t, int64_t) {
        int now = ++running;
        int prev = max_running.load();
        while (now > prev && !max_running.compare_exchange_weak(prev, now)) {}
        {
            std::lock_guard<std::mutex> lock(m);
            ids.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        --running;
    });
    EXPECT_GE(ids.size(), 2u);
    EXPECT_GE(max_running.load(), 2);
}

TEST(Parallel, ExceptionPropagatesToCaller) {
    ThreadCountGuard guard;
    for (int32_t threads : {1, 4}) {
        cmp::set_num_threads(threads);
        EXPECT_THROW(cmp::parallel_for(0, 1000, 1,
                                       [&](int64_t, int64_t e) {
                                           if (e > 500) throw std::runtime_error("chunk failed");  // the chunk holding index 500
                                       }),
                     std::runtime_error);
        // The pool still works after a failure.
        std::atomic<int64_t> count{0};
        cmp::parallel_for(0, 1000, 1, [&](int64_t b, int64_t e) { count += e - b; });
        EXPECT_EQ(count.load(), 1000);
    }
}

TEST(Parallel, NestedCallsRunInline) {
    ThreadCountGuard guard;
    cmp::set_num_threads(4);
    std::atomic<int64_t> count{0};
    cmp::parallel_for(0, 8, 1, [&](int64_t b, int64_t e) {
        EXPECT_TRUE(cmp::in_parallel_region());
        for (int64_t i = b; i < e; ++i) {
            cmp::parallel_for(0, 100, 1, [&](int64_t b2, int64_t e2) { count += e2 - b2; });
        }
    });
    EXPECT_EQ(count.load(), 800);
    EXPECT_FALSE(cmp::in_parallel_region());
}

TEST(Parallel, ManyHostThreadsAtOnce) {
    ThreadCountGuard guard;
    cmp::set_num_threads(4);
    std::vector<std::thread> hosts;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t) {
        hosts.emplace_back([&, t] {
            for (int rep = 0; rep < 50; ++rep) {
                const int64_t n = 10000 + t * 17 + rep;
                std::atomic<int64_t> sum{0};
                cmp::parallel_for(0, n, 64, [&](int64_t b, int64_t e) {
                    int64_t s = 0;
                    for (int64_t i = b; i < e; ++i) s += i;
                    sum += s;
                });
                if (sum.load() != n * (n - 1) / 2) failures++;
            }
        });
    }
    for (auto& h : hosts) h.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST(Parallel, SetNumThreads) {
    ThreadCountGuard guard;
    cmp::set_num_threads(3);
    EXPECT_EQ(cmp::get_num_threads(), 3);
    cmp::set_num_threads(1);
    EXPECT_EQ(cmp::get_num_threads(), 1);
    try {
        cmp::set_num_threads(0);
        FAIL() << "expected an error";
    } catch (const cmp::Error& e) {
        EXPECT_EQ(e.status(), CMP_STATUS_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("set_num_threads"), std::string::npos);
    }
    // Inside a parallel region the pool cannot be resized.
    cmp::set_num_threads(2);
    std::atomic<int> errors{0};
    cmp::parallel_for(0, 2, 1, [&](int64_t, int64_t) {
        try {
            cmp::set_num_threads(5);
        } catch (const cmp::Error& e) {
            if (e.status() == CMP_STATUS_INVALID_STATE) errors++;
        }
    });
    EXPECT_GE(errors.load(), 1);
    EXPECT_EQ(cmp::get_num_threads(), 2);
}

TEST(Parallel, ResizeWhileOtherThreadsRun) {
    ThreadCountGuard guard;
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::thread worker([&] {
        while (!stop) {
            std::atomic<int64_t> count{0};
            cmp::parallel_for(0, 5000, 10, [&](int64_t b, int64_t e) { count += e - b; });
            if (count.load() != 5000) failures++;
        }
    });
    for (int i = 0; i < 50; ++i) cmp::set_num_threads(1 + i % 4);
    stop = true;
    worker.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
