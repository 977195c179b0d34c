// Devices, copies, streams and events of the backend table: thin, checked wrappers over the
// CUDA runtime.
#include "cuda/entries.h"
#include "cuda/status.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace cmp::cuda_backend {

namespace {

// The device count and, when it is 0, why; asked of the runtime once (it does not change while
// the process runs, and the first call initialises the driver, which is slow).
struct Probe {
    int32_t count = 0;
    std::string reason;
};

const Probe& probe() {
    static Probe p;
    static std::once_flag once;
    std::call_once(once, [] {
        int n = 0;
        const cudaError_t err = cudaGetDeviceCount(&n);
        if (err != cudaSuccess) {
            cudaGetLastError();
            p.reason = cat("no usable CUDA device: cudaGetDeviceCount failed with ", cudaGetErrorName(err), " (",
                           cudaGetErrorString(err), ")");
            return;
        }
        p.count = n;
        if (n == 0) p.reason = "no CUDA device found";
    });
    return p;
}

}  // namespace

int32_t runtime_version() {
    int v = 0;
    return cudaRuntimeGetVersion(&v) == cudaSuccess ? v : 0;
}

int32_t device_count() { return probe().count; }

const char* unavailable_reason() { return probe().reason.c_str(); }

int32_t device_properties(int32_t device, compute_cuda_device_properties* out) {
    return guard("cuda device_properties", [&] {
        check_device(device, "cuda device_properties");
        cudaDeviceProp p{};
        check(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
        compute_cuda_device_properties r{};
        std::snprintf(r.name, sizeof r.name, "%s", p.name);
        r.total_memory = static_cast<int64_t>(p.totalGlobalMem);
        r.major = p.major;
        r.minor = p.minor;
        r.multiprocessor_count = p.multiProcessorCount;
        *out = r;
    });
}

int32_t synchronize(int32_t device) {
    return guard("cuda synchronize", [&] {
        check_device(device, "cuda synchronize");
        DeviceGuard g(device);
        check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    });
}

int32_t copy_bytes(int32_t device, void* dst, const void* src, int64_t nbytes, void* stream, int32_t async) {
    return guard("cuda memcpy", [&] {
        if (nbytes == 0) return;
        if (nbytes < 0) fail(CMP_STATUS_INVALID_ARGUMENT, "cuda memcpy: negative byte count ", nbytes);
        check_device(device, "cuda memcpy");
        DeviceGuard g(device);
        auto s = static_cast<cudaStream_t>(stream);
        // cudaMemcpyDefault: unified addressing tells host from device memory on every GPU
        // the backend targets (sm_80+, 64-bit).
        if (async) {
            check(cudaMemcpyAsync(dst, src, static_cast<size_t>(nbytes), cudaMemcpyDefault, s), "cudaMemcpyAsync");
        } else if (s) {
            check(cudaMemcpyAsync(dst, src, static_cast<size_t>(nbytes), cudaMemcpyDefault, s), "cudaMemcpyAsync");
            check(cudaStreamSynchronize(s), "cudaStreamSynchronize");
        } else {
            check(cudaMemcpy(dst, src, static_cast<size_t>(nbytes), cudaMemcpyDefault), "cudaMemcpy");
        }
    });
}

// guard() for an entry whose body runs with a validated device made current.
template <typename Body>
static int32_t on_device(int32_t device, const char* what, Body&& body) {
    return guard(what, [&] {
        check_device(device, what);
        DeviceGuard g(device);
        body();
    });
}

int32_t mem_get_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes) {
    return on_device(device, "cuda mem_get_info", [&] {
        size_t free = 0, total = 0;
        check(cudaMemGetInfo(&free, &total), "cudaMemGetInfo");
        *free_bytes = static_cast<int64_t>(free);
        *total_bytes = static_cast<int64_t>(total);
    });
}

int32_t stream_priority_range(int32_t device, int32_t* least, int32_t* greatest) {
    return on_device(device, "cuda stream_priority_range", [&] {
        int lo = 0, hi = 0;
        check(cudaDeviceGetStreamPriorityRange(&lo, &hi), "cudaDeviceGetStreamPriorityRange");
        *least = lo;
        *greatest = hi;
    });
}

int32_t stream_create_with_priority(int32_t device, int32_t priority, void** out) {
    return on_device(device, "cuda stream_create_with_priority", [&] {
        cudaStream_t s = nullptr;
        // Non-blocking: work on it does not serialise with the legacy default stream.
        check(cudaStreamCreateWithPriority(&s, cudaStreamNonBlocking, priority), "cudaStreamCreateWithPriority");
        *out = s;
    });
}

int32_t stream_priority(void* stream, int32_t* out) {
    return guard("cuda stream_priority", [&] {
        int p = 0;
        check(cudaStreamGetPriority(static_cast<cudaStream_t>(stream), &p), "cudaStreamGetPriority");
        *out = p;
    });
}

int32_t stream_destroy(void* stream) {
    return guard("cuda stream_destroy", [&] {
        if (stream) check(cudaStreamDestroy(static_cast<cudaStream_t>(stream)), "cudaStreamDestroy");
    });
}

int32_t stream_synchronize(void* stream) {
    return guard("cuda stream_synchronize",
                 [&] { check(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)), "cudaStreamSynchronize"); });
}

// cudaErrorNotReady from a query is an answer, not a failure; it is cleared so that the next
// cudaGetLastError does not report it.
static bool finished(cudaError_t e, const char* what) {
    if (e == cudaErrorNotReady) {
        (void)cudaGetLastError();
        return false;
    }
    check(e, what);
    return true;
}

int32_t stream_query(void* stream, int32_t* done) {
    return guard("cuda stream_query", [&] {
        *done = finished(cudaStreamQuery(static_cast<cudaStream_t>(stream)), "cudaStreamQuery") ? 1 : 0;
    });
}

int32_t stream_wait_event(void* stream, void* event) {
    return guard("cuda stream_wait_event", [&] {
        check(cudaStreamWaitEvent(static_cast<cudaStream_t>(stream), static_cast<cudaEvent_t>(event), 0),
              "cudaStreamWaitEvent");
    });
}

int32_t event_create(int32_t device, int32_t timing, void** out) {
    return guard("cuda event_create", [&] {
        check_device(device, "cuda event_create");
        DeviceGuard g(device);
        cudaEvent_t e = nullptr;
        check(cudaEventCreateWithFlags(&e, timing ? cudaEventDefault : cudaEventDisableTiming),
              "cudaEventCreateWithFlags");
        *out = e;
    });
}

int32_t event_destroy(void* event) {
    return guard("cuda event_destroy", [&] {
        if (event) check(cudaEventDestroy(static_cast<cudaEvent_t>(event)), "cudaEventDestroy");
    });
}

int32_t event_record(void* event, void* stream) {
    return guard("cuda event_record", [&] {
        check(cudaEventRecord(static_cast<cudaEvent_t>(event), static_cast<cudaStream_t>(stream)), "cudaEventRecord");
    });
}

int32_t event_synchronize(void* event) {
    return guard("cuda event_synchronize",
                 [&] { check(cudaEventSynchronize(static_cast<cudaEvent_t>(event)), "cudaEventSynchronize"); });
}

int32_t event_query(void* event, int32_t* done) {
    return guard("cuda event_query", [&] {
        *done = finished(cudaEventQuery(static_cast<cudaEvent_t>(event)), "cudaEventQuery") ? 1 : 0;
    });
}

int32_t event_elapsed_ms(void* start, void* end, float* out) {
    return guard("cuda event_elapsed_ms", [&] {
        check(cudaEventElapsedTime(out, static_cast<cudaEvent_t>(start), static_cast<cudaEvent_t>(end)),
              "cudaEventElapsedTime");
    });
}

}  // namespace cmp::cuda_backend
