// The cache of pinned (page-locked) host memory behind Tensor.pin_memory. cudaHostAlloc and
// cudaFreeHost are slow (cudaFreeHost also waits for the whole device), so freed blocks are kept
// and handed out again. A block may still be the source or target of an asynchronous copy when
// its tensor dies (x.pin_memory().to(cuda, non_blocking) and x dropped at once), so each copy
// records an event on its stream (host_record) and a freed block is reused only once all of its
// events have completed.
#include "cuda/entries.h"
#include "cuda/status.h"

#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cmp::cuda_backend {

namespace {

struct HostBlock {
    int64_t size = 0;
    bool free = false;
    std::vector<cudaEvent_t> pending;  // copies still using the block, newest last
};

struct HostState {
    std::mutex mutex;
    std::unordered_map<void*, HostBlock> blocks;  // every block obtained from cudaHostAlloc
    std::multimap<int64_t, void*> cached;          // size -> freed blocks
};

HostState& host_state() {
    static HostState* s = new HostState();  // never destroyed: tensors may be freed during exit
    return *s;
}

// Same rounding and bounded waste as the device allocator: 512-byte sizes, and a cached block
// serves a request at most 1/8 larger than itself.
constexpr int64_t kRound = 512;

// Whether every copy recorded on b has finished; drops the events of those that have.
bool settle(HostBlock& b) {
    while (!b.pending.empty()) {
        const cudaError_t e = cudaEventQuery(b.pending.back());
        if (e == cudaErrorNotReady) {
            (void)cudaGetLastError();
            return false;
        }
        check(e, "cuda pin_memory: cudaEventQuery");
        check(cudaEventDestroy(b.pending.back()), "cuda pin_memory: cudaEventDestroy");
        b.pending.pop_back();
    }
    return true;
}

void* take_cached(HostState& st, int64_t size, int64_t* got) {
    for (auto it = st.cached.lower_bound(size); it != st.cached.end() && it->first <= size + size / 8; ++it) {
        HostBlock& b = st.blocks.at(it->second);
        if (!settle(b)) continue;
        void* p = it->second;
        *got = it->first;
        b.free = false;
        st.cached.erase(it);
        return p;
    }
    return nullptr;
}

// Frees the cached blocks no copy uses any more (before retrying a failed cudaHostAlloc).
void release_settled(HostState& st) {
    for (auto it = st.cached.begin(); it != st.cached.end();) {
        HostBlock& b = st.blocks.at(it->second);
        if (!settle(b)) {
            ++it;
            continue;
        }
        (void)cudaFreeHost(it->second);
        st.blocks.erase(it->second);
        it = st.cached.erase(it);
    }
}

}  // namespace

int32_t host_allocate(int64_t nbytes, void** out) {
    return guard("cuda pin_memory", [&] {
        *out = nullptr;
        if (nbytes < 0) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda pin_memory: negative byte count ", nbytes);
        if (nbytes == 0) return;
        const int64_t size = (nbytes + kRound - 1) / kRound * kRound;
        HostState& st = host_state();
        std::lock_guard<std::mutex> lock(st.mutex);
        int64_t got = size;
        void* p = take_cached(st, size, &got);
        if (!p) {
            // Portable: pinned for every device's context, so any device may copy from it.
            cudaError_t e = cudaHostAlloc(&p, static_cast<size_t>(size), cudaHostAllocPortable);
            if (e != cudaSuccess) {
                (void)cudaGetLastError();
                release_settled(st);
                e = cudaHostAlloc(&p, static_cast<size_t>(size), cudaHostAllocPortable);
            }
            if (e != cudaSuccess) {
                (void)cudaGetLastError();
                fail(CMP_STATUS_OUT_OF_MEMORY, "cuda pin_memory: cannot allocate ", nbytes,
                     " bytes of pinned host memory (", cudaGetErrorName(e), ")");
            }
            st.blocks[p] = HostBlock{size, false, {}};
        }
        *out = p;
    });
}

int32_t host_deallocate(void* ptr) {
    return guard("cuda pin_memory: free", [&] {
        if (!ptr) return;
        HostState& st = host_state();
        std::lock_guard<std::mutex> lock(st.mutex);
        auto it = st.blocks.find(ptr);
        if (it == st.blocks.end() || it->second.free)
            fail(CMP_STATUS_INVALID_ARGUMENT, "cuda pin_memory: free of a pointer that is not a live pinned block");
        it->second.free = true;
        st.cached.emplace(it->second.size, ptr);
    });
}

int32_t host_record(void* ptr, int32_t device, void* stream) {
    return guard("cuda pin_memory: record", [&] {
        check_device(device, "cuda pin_memory: record");
        HostState& st = host_state();
        std::lock_guard<std::mutex> lock(st.mutex);
        auto it = st.blocks.find(ptr);
        if (it == st.blocks.end() || it->second.free)
            fail(CMP_STATUS_INVALID_ARGUMENT, "cuda pin_memory: record on a pointer that is not a live pinned block");
        DeviceGuard g(device);
        cudaEvent_t e = nullptr;
        check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cuda pin_memory: cudaEventCreateWithFlags");
        const cudaError_t r = cudaEventRecord(e, static_cast<cudaStream_t>(stream));
        if (r != cudaSuccess) {
            (void)cudaEventDestroy(e);
            check(r, "cuda pin_memory: cudaEventRecord");
        }
        it->second.pending.push_back(e);
    });
}

}  // namespace cmp::cuda_backend
