// The caching device allocator. cudaMalloc/cudaFree are slow and synchronise the device, so
// freed blocks are kept in per-device, per-stream pools and handed out again: a block freed by
// work on stream S is only reused for work on S, which the stream orders after the free
// without any event. A block also used by work on other streams (record_stream) waits, when
// freed, in a pending list until an event recorded on each of those streams at the free has
// completed, and only then joins S's pool.
// When cudaMalloc fails, the cached blocks of the device go back to the driver, the core's
// reclaim hook runs (the managed host's GC, which may free tensors), and the allocation is
// tried once more before OUT_OF_MEMORY, whose message carries the statistics.
#include "cuda/entries.h"
#include "cuda/status.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cmp::cuda_backend {

namespace {

struct Block {
    int32_t device;
    int64_t size;
    cudaStream_t stream;
    std::vector<cudaStream_t> uses;  // other streams whose work uses the block (record_stream)
};

// A freed block waiting for the work on its other streams (one event per stream).
struct Pending {
    void* ptr;
    Block block;
    std::vector<cudaEvent_t> events;
};

// (stream, size) -> cached pointers of that size on that stream.
using Pool = std::multimap<std::pair<uintptr_t, int64_t>, void*>;

struct DeviceState {
    Pool cached;
    std::vector<Pending> pending;
    cmp_memory_stats stats{};
};

struct State {
    std::mutex mutex;
    std::map<int32_t, DeviceState> devices;
    std::unordered_map<void*, Block> live;
    compute_cuda_reclaim_fn hook = nullptr;
    void* hook_context = nullptr;
};

State& state() {
    static State* s = new State();  // never destroyed: tensors may be freed during exit
    return *s;
}

// Requests are rounded to 512 bytes (cudaMalloc's own granularity is larger, so nothing is
// lost) so that similar sizes share cached blocks.
constexpr int64_t kRound = 512;
int64_t round_size(int64_t n) { return (n + kRound - 1) / kRound * kRound; }

// A cached block serves a request when it is at most 1/8 larger (bounded waste).
void* take_cached(DeviceState& d, cudaStream_t stream, int64_t size, int64_t* got) {
    const auto key = std::make_pair(reinterpret_cast<uintptr_t>(stream), size);
    auto it = d.cached.lower_bound(key);
    if (it == d.cached.end() || it->first.first != key.first || it->first.second > size + size / 8) return nullptr;
    void* p = it->second;
    *got = it->first.second;
    d.cached.erase(it);
    return p;
}

// Moves the pending blocks whose events have all completed into their streams' pools; the caller
// holds the lock and has made the device current.
void settle_pending(DeviceState& d) {
    for (size_t i = 0; i < d.pending.size();) {
        Pending& p = d.pending[i];
        bool done = true;
        for (cudaEvent_t e : p.events) {
            const cudaError_t r = cudaEventQuery(e);
            if (r == cudaErrorNotReady) {
                cudaGetLastError();
                done = false;
                break;
            }
            // Any other failure: the stream's work is gone with the error; nothing to wait for.
            if (r != cudaSuccess) cudaGetLastError();
        }
        if (!done) {
            ++i;
            continue;
        }
        for (cudaEvent_t e : p.events) cudaEventDestroy(e);
        d.cached.emplace(std::make_pair(reinterpret_cast<uintptr_t>(p.block.stream), p.block.size), p.ptr);
        d.pending[i] = std::move(d.pending.back());
        d.pending.pop_back();
    }
}

// Frees every cached block of one device; the caller holds the lock.
void release_cached(int32_t device, DeviceState& d) {
    if (d.cached.empty()) return;
    DeviceGuard g(device);
    for (auto& [key, p] : d.cached) {
        cudaFree(p);  // a failure here leaves nothing to recover; the bytes are gone either way
        d.stats.reserved -= key.second;
    }
    cudaGetLastError();
    d.cached.clear();
}

std::string gib(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return buf;
}

[[noreturn]] void out_of_memory(int32_t device, int64_t nbytes, const cmp_memory_stats& s) {
    size_t free_b = 0, total_b = 0;
    if (cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) cudaGetLastError();
    fail(CMP_STATUS_OUT_OF_MEMORY, "cuda allocate: CUDA out of memory. Tried to allocate ", gib(nbytes),
         " (", nbytes, " bytes) on cuda:", device, " (", gib(static_cast<int64_t>(total_b)), " total capacity; ",
         gib(static_cast<int64_t>(free_b)), " free; ", gib(s.allocated), " allocated, ", gib(s.reserved),
         " reserved, ", gib(s.peak_allocated), " peak allocated by Compute; ", s.failed_allocations,
         " failed allocations)");
}

void* allocate_block(int32_t device, int64_t nbytes, cudaStream_t stream) {
    State& st = state();
    const int64_t size = round_size(nbytes);
    DeviceGuard g(device);
    std::unique_lock lock(st.mutex);
    DeviceState& d = st.devices[device];
    settle_pending(d);
    int64_t got = size;
    void* p = take_cached(d, stream, size, &got);
    if (!p) {
        cudaError_t err = cudaMalloc(&p, static_cast<size_t>(size));
        if (err == cudaErrorMemoryAllocation) {
            cudaGetLastError();
            ++d.stats.failed_allocations;
            release_cached(device, d);
            err = cudaMalloc(&p, static_cast<size_t>(size));
            if (err == cudaErrorMemoryAllocation && st.hook) {
                cudaGetLastError();
                auto hook = st.hook;
                void* context = st.hook_context;
                // The hook runs unlocked: it may free tensors, which calls deallocate.
                lock.unlock();
                const bool retry = hook(nbytes, context) != 0;
                lock.lock();
                if (retry) {
                    p = take_cached(d, stream, size, &got);
                    if (!p) {
                        release_cached(device, d);
                        err = cudaMalloc(&p, static_cast<size_t>(size));
                    } else {
                        err = cudaSuccess;
                    }
                }
            }
            if (err == cudaErrorMemoryAllocation) {
                cudaGetLastError();
                out_of_memory(device, nbytes, d.stats);
            }
        }
        check(err, "cudaMalloc");
        d.stats.reserved += size;
        got = size;
    }
    st.live.emplace(p, Block{device, got, stream, {}});
    d.stats.allocated += got;
    if (d.stats.allocated > d.stats.peak_allocated) d.stats.peak_allocated = d.stats.allocated;
    return p;
}

}  // namespace

int32_t set_reclaim_hook(compute_cuda_reclaim_fn hook, void* context) {
    return guard("cuda set_reclaim_hook", [&] {
        State& st = state();
        std::lock_guard lock(st.mutex);
        st.hook = hook;
        st.hook_context = context;
    });
}

int32_t allocate(int32_t device, int64_t nbytes, void* stream, void** out) {
    return guard("cuda allocate", [&] {
        *out = nullptr;
        if (nbytes < 0) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda allocate: negative byte count ", nbytes);
        check_device(device, "cuda allocate");
        if (nbytes == 0) return;
        *out = allocate_block(device, nbytes, static_cast<cudaStream_t>(stream));
    });
}

int32_t deallocate(void* ptr) {
    return guard("cuda deallocate", [&] {
        if (!ptr) return;
        State& st = state();
        std::lock_guard lock(st.mutex);
        auto it = st.live.find(ptr);
        if (it == st.live.end()) fail(CMP_STATUS_INTERNAL_ERROR, "cuda deallocate: pointer was not allocated here");
        Block b = std::move(it->second);
        st.live.erase(it);
        DeviceState& d = st.devices[b.device];
        d.stats.allocated -= b.size;
        if (!b.uses.empty()) {
            DeviceGuard g(b.device);
            Pending p{ptr, b, {}};
            for (cudaStream_t s : b.uses) {
                cudaEvent_t e = nullptr;
                if (cudaEventCreateWithFlags(&e, cudaEventDisableTiming) == cudaSuccess &&
                    cudaEventRecord(e, s) == cudaSuccess) {
                    p.events.push_back(e);
                    continue;
                }
                // No event: wait for the stream here rather than risk a reuse under its work.
                cudaGetLastError();
                if (e) cudaEventDestroy(e);
                cudaStreamSynchronize(s);
                cudaGetLastError();
            }
            d.pending.push_back(std::move(p));
            return;
        }
        d.cached.emplace(std::make_pair(reinterpret_cast<uintptr_t>(b.stream), b.size), ptr);
    });
}

int32_t record_stream(void* ptr, void* stream) {
    return guard("cuda record_stream", [&] {
        State& st = state();
        std::lock_guard lock(st.mutex);
        auto it = st.live.find(ptr);
        if (it == st.live.end())
            fail(CMP_STATUS_INVALID_ARGUMENT, "cuda record_stream: the pointer is not a live block of the allocator");
        Block& b = it->second;
        const auto s = static_cast<cudaStream_t>(stream);
        if (s == b.stream || std::find(b.uses.begin(), b.uses.end(), s) != b.uses.end()) return;
        b.uses.push_back(s);
    });
}

int32_t memory_stats(int32_t device, cmp_memory_stats* out) {
    return guard("cuda memory_stats", [&] {
        check_device(device, "cuda memory_stats");
        State& st = state();
        std::lock_guard lock(st.mutex);
        *out = st.devices[device].stats;
    });
}

int32_t reset_peak_stats(int32_t device) {
    return guard("cuda reset_peak_stats", [&] {
        check_device(device, "cuda reset_peak_stats");
        State& st = state();
        std::lock_guard lock(st.mutex);
        DeviceState& d = st.devices[device];
        d.stats.peak_allocated = d.stats.allocated;
        d.stats.failed_allocations = 0;
    });
}

int32_t empty_cache(int32_t device) {
    return guard("cuda empty_cache", [&] {
        check_device(device, "cuda empty_cache");
        State& st = state();
        std::lock_guard lock(st.mutex);
        DeviceGuard g(device);
        settle_pending(st.devices[device]);
        release_cached(device, st.devices[device]);
    });
}

}  // namespace cmp::cuda_backend
