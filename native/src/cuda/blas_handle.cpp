// The cuBLAS handle pool (blas_handle.h). A thread keeps the handles it created in a
// thread-local list and returns them to the pool when it ends, so a program that starts and
// ends threads reuses a few handles instead of creating one per thread. The pool destroys every
// handle when the library is unloaded or the process exits: it is a function-local static made
// right after the first cublasCreate (by then the CUDA runtime of this library and cuBLAS's own
// have initialised and registered their exit-time teardown), so it is destroyed before them:
// exit handlers run in the reverse order of registration.
#include "cuda/blas_handle.h"

#include "cuda/status.h"

#include <atomic>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

namespace cmp::cuda_backend {

namespace {

using DeviceHandle = std::pair<int32_t, cublasHandle_t>;

// Set once the pool exists, and once it is destroyed: a thread ending after that (during
// process exit) leaves its handles alone instead of touching a destroyed pool.
std::atomic<bool> g_pool_made{false};
std::atomic<bool> g_pool_gone{false};

struct Pool {
    std::mutex mutex;
    std::vector<DeviceHandle> idle;  // returned by ended threads, ready for another
    std::vector<cublasHandle_t> all;

    ~Pool() {
        g_pool_gone = true;
        std::lock_guard lock(mutex);
        for (cublasHandle_t h : all) cublasDestroy(h);  // nothing to report to at exit
    }
};

Pool& pool() {
    static Pool p;
    g_pool_made = true;
    return p;
}

struct ThreadHandles {
    std::vector<DeviceHandle> mine;

    ~ThreadHandles() {
        if (mine.empty() || g_pool_gone) return;
        Pool& p = pool();
        std::lock_guard lock(p.mutex);
        p.idle.insert(p.idle.end(), mine.begin(), mine.end());
    }
};

thread_local ThreadHandles t_handles;

cublasHandle_t acquire(int32_t device) {
    if (g_pool_made) {
        Pool& p = pool();
        std::lock_guard lock(p.mutex);
        for (size_t i = 0; i < p.idle.size(); ++i) {
            if (p.idle[i].first != device) continue;
            const cublasHandle_t h = p.idle[i].second;
            p.idle.erase(p.idle.begin() + static_cast<std::ptrdiff_t>(i));
            return h;
        }
    }
    cublasHandle_t h = nullptr;
    check_blas(cublasCreate(&h), cat("cublasCreate on cuda:", device));
    Pool& p = pool();  // made here the first time: after cuBLAS initialised (see the top)
    std::lock_guard lock(p.mutex);
    p.all.push_back(h);
    return h;
}

}  // namespace

cublasHandle_t blas_handle(int32_t device, cudaStream_t stream) {
    cublasHandle_t handle = nullptr;
    for (const DeviceHandle& dh : t_handles.mine)
        if (dh.first == device) handle = dh.second;
    if (!handle) {
        handle = acquire(device);
        t_handles.mine.emplace_back(device, handle);
    }
    check_blas(cublasSetStream(handle, stream), "cublasSetStream");
    return handle;
}

void check_blas(cublasStatus_t status, const std::string& what) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    cudaGetLastError();  // a failed launch inside cuBLAS must not be reported again by the next call
    fail(status == CUBLAS_STATUS_ALLOC_FAILED ? CMP_STATUS_OUT_OF_MEMORY : CMP_STATUS_DEVICE_ERROR, what, ": ",
         cublasGetStatusName(status), ": ", cublasGetStatusString(status));
}

}  // namespace cmp::cuda_backend
