// The intra-op thread pool. One pool, created on first use, with get_num_threads()-1 workers;
// the calling thread runs chunks too. A call owns the pool for its duration (try_lock): a
// second host thread arriving meanwhile, or a nested call from inside a chunk, runs inline
// instead of waiting, so concurrent callers never deadlock and never oversubscribe.
#include "parallel.h"

#include "error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace cmp {

namespace {

thread_local bool t_in_parallel = false;

// Before sleeping on a condition variable, a worker waiting for the next job and a caller
// waiting for the workers' chunks poll for this long. Waking a sleeping thread costs a
// futex call and, on a busy machine, waiting for the scheduler to give it a core back (often
// longer than a whole mid-sized GEMM), so back-to-back parallel calls, the common case in a
// training step, find the threads still running. The cost is a core kept busy that long
// after the last job.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(100);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(_M_X64)
    _mm_pause();
#endif
}

// Polls until done() or kSpinBeforeSleep has passed; returns done().
template <typename Done>
bool spin_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + kSpinBeforeSleep;
    for (int i = 0;; ++i) {
        if (done()) return true;
        for (int p = 0; p < 16; ++p) cpu_relax();
        if ((i & 15) == 15 && std::chrono::steady_clock::now() >= deadline) return done();
    }
}

// Marks the current thread as running pool work for the lifetime of the guard.
struct RegionGuard {
    bool saved;
    RegionGuard() : saved(t_in_parallel) { t_in_parallel = true; }
    ~RegionGuard() { t_in_parallel = saved; }
};

int32_t default_num_threads() {
    if (const char* env = std::getenv("COMPUTE_NUM_THREADS")) {
        char* end = nullptr;
        long v = std::strtol(env, &end, 10);
        // A malformed value is ignored rather than fatal: the library must load anyway.
        if (end != env && *end == '\0' && v >= 1 && v <= 4096) return static_cast<int32_t>(v);
    }
    unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : static_cast<int32_t>(hc);
}

// One parallel_for call: chunks are claimed with an atomic counter by the caller and workers.
struct Job {
    const std::function<void(int64_t, int64_t)>* fn;
    int64_t begin, end, chunk, nchunks;
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> completed{0};  // chunks finished (or skipped), for the caller's polling
    std::atomic<bool> failed{false};
    std::exception_ptr error;  // first failure, guarded by the pool mutex

    // Claims chunks until none are left; returns how many this thread claimed. After a failure
    // the remaining chunks are still claimed (and counted, so the caller's wait ends) but skipped.
    int64_t work(std::mutex& m) {
        int64_t claimed = 0;
        RegionGuard region;
        for (int64_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < nchunks; ++claimed) {
            if (failed.load(std::memory_order_relaxed)) continue;
            int64_t b = begin + c * chunk;
            int64_t e = std::min(end, b + chunk);
            try {
                (*fn)(b, e);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m);
                if (!error) error = std::current_exception();
                failed.store(true, std::memory_order_relaxed);
            }
            completed.fetch_add(1, std::memory_order_release);
        }
        return claimed;
    }
};

class Pool {
public:
    ~Pool() { stop_workers(); }

    int32_t num_threads() {
        std::lock_guard<std::mutex> lock(config_);
        return num_threads_;
    }

    void set_num_threads(int32_t n) {
        // Waits for any running job (owner_), then replaces the workers.
        std::lock_guard<std::mutex> own(owner_);
        std::lock_guard<std::mutex> lock(config_);
        if (n == num_threads_) return;
        stop_workers();
        num_threads_ = n;
    }

    void run(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
        const int64_t n = end - begin;
        std::unique_lock<std::mutex> own(owner_, std::try_to_lock);
        int32_t threads = 1;
        if (own.owns_lock()) {
            std::lock_guard<std::mutex> lock(config_);
            threads = num_threads_;
            if (threads > 1) start_workers(threads - 1);
        }
        const int64_t max_chunks = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
        const int64_t nchunks = std::min<int64_t>(threads, max_chunks);
        if (nchunks <= 1) {
            RegionGuard region;
            fn(begin, end);
            return;
        }
        Job job;
        job.fn = &fn;
        job.begin = begin;
        job.end = end;
        job.chunk = (n + nchunks - 1) / nchunks;
        job.nchunks = (n + job.chunk - 1) / job.chunk;
        {
            std::lock_guard<std::mutex> lock(m_);
            job_ = &job;
            finished_ = 0;
            ++generation_;
            published_.store(generation_, std::memory_order_release);
        }
        work_cv_.notify_all();
        int64_t mine = job.work(m_);
        spin_until([&] { return job.completed.load(std::memory_order_acquire) == job.nchunks; });
        std::unique_lock<std::mutex> lock(m_);
        finished_ += mine;
        // Wait until every chunk is done and every worker that picked up this job let go of it,
        // so the Job on this stack frame outlives all uses.
        done_cv_.wait(lock, [&] { return finished_ == job.nchunks && busy_ == 0; });
        job_ = nullptr;
        if (job.error) std::rethrow_exception(job.error);
    }

private:
    void start_workers(int32_t count) {
        if (static_cast<int32_t>(workers_.size()) == count) return;
        stop_workers();
        uint64_t gen;
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = false;
            stop_flag_.store(false, std::memory_order_relaxed);
            gen = generation_;
        }
        // Each worker starts from the current generation so it cannot miss the next job.
        for (int32_t i = 0; i < count; ++i) workers_.emplace_back([this, gen] { worker_main(gen); });
    }

    void stop_workers() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
            stop_flag_.store(true, std::memory_order_relaxed);
        }
        work_cv_.notify_all();
        for (auto& w : workers_) w.join();
        workers_.clear();
    }

    void worker_main(uint64_t seen) {
        for (;;) {
            Job* job;
            spin_until([&] {
                return published_.load(std::memory_order_acquire) != seen || stop_flag_.load(std::memory_order_relaxed);
            });
            {
                std::unique_lock<std::mutex> lock(m_);
                work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
                job = job_;
                if (!job) continue;
                ++busy_;
            }
            int64_t mine = job->work(m_);
            {
                std::lock_guard<std::mutex> lock(m_);
                finished_ += mine;
                --busy_;
            }
            done_cv_.notify_all();
        }
    }

    std::mutex owner_;   // held by the one call using the workers
    std::mutex config_;  // guards num_threads_ and workers_
    int32_t num_threads_ = default_num_threads();
    std::vector<std::thread> workers_;

    std::mutex m_;  // guards the fields below
    std::condition_variable work_cv_, done_cv_;
    uint64_t generation_ = 0;
    Job* job_ = nullptr;
    int64_t finished_ = 0;
    int32_t busy_ = 0;
    bool stop_ = false;
    // Copies of generation_ and stop_ that spinning workers read without taking m_; the
    // condition-variable waits still decide under the lock, so the copies only save sleeps.
    std::atomic<uint64_t> published_{0};
    std::atomic<bool> stop_flag_{false};
};

Pool& pool() {
    // Leaked on purpose: joining threads from a static destructor at process exit can hang
    // when the exit happens on a thread the runtime already tore down (e.g. a .NET host).
    static Pool* p = new Pool();
    return *p;
}

}  // namespace

int32_t get_num_threads() { return pool().num_threads(); }

void set_num_threads(int32_t n) {
    CMP_CHECK(n >= 1, INVALID_ARGUMENT, "set_num_threads: num_threads must be at least 1, got ", n);
    CMP_CHECK(!t_in_parallel, INVALID_STATE, "set_num_threads: cannot be called from inside a parallel region");
    pool().set_num_threads(n);
}

bool in_parallel_region() { return t_in_parallel; }

void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (end <= begin) return;
    if (t_in_parallel || end - begin <= std::max<int64_t>(grain, 1)) {
        fn(begin, end);  // nested or small: inline, no pool traffic
        return;
    }
    pool().run(begin, end, grain, fn);
}

}  // namespace cmp
