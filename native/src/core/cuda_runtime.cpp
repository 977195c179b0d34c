// Loads the CUDA backend library once, on demand, and checks its interface version.
#include "cuda_runtime.h"

#include "allocator.h"
#include "cuda_stream.h"
#include "error.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#include <sys/stat.h>
#endif

namespace cmp::cuda {

namespace {

#if defined(_WIN32)
constexpr const char* kDefaultLibrary = "compute_cuda.dll";
#else
constexpr const char* kDefaultLibrary = "libcompute_cuda.so";
#endif

struct State {
    const Backend* backend = nullptr;
    int32_t devices = 0;
    std::string reason;
};

void* open_library(const std::string& name, std::string& error) {
#if defined(_WIN32)
    HMODULE h = LoadLibraryA(name.c_str());
    if (!h) error = "error " + std::to_string(GetLastError());
    return reinterpret_cast<void*>(h);
#else
    void* h = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char* e = dlerror();
        error = e ? e : "unknown error";
    }
    return h;
#endif
}

void* find_symbol(void* lib, const char* name) {
#if defined(_WIN32)
    return reinterpret_cast<void*>(GetProcAddress(reinterpret_cast<HMODULE>(lib), name));
#else
    return dlsym(lib, name);
#endif
}

// COMPUTE_CUDA_LIBRARY, else the backend next to this library (a package ships them side by
// side, and then no search path needs setting), else the bare name for the loader to find.
std::string library_name() {
    const char* env = std::getenv("COMPUTE_CUDA_LIBRARY");
    if (env && *env) return env;
#if !defined(_WIN32)
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&library_name), &info) && info.dli_fname) {
        std::string self = info.dli_fname;
        const size_t slash = self.rfind('/');
        if (slash != std::string::npos) {
            std::string beside = self.substr(0, slash + 1) + kDefaultLibrary;
            struct stat st {};
            if (stat(beside.c_str(), &st) == 0) return beside;
        }
    }
#endif
    return kDefaultLibrary;
}

// The backend's allocator asks the core's allocation-failure hook (the managed GC) before
// reporting out-of-memory: one hook for host and device memory.
int32_t reclaim(int64_t nbytes, void*) { return cpu_allocator::run_failure_hook(nbytes); }

// Opens name and checks its table; on failure returns nullptr and sets reason.
const Backend* load(const std::string& name, std::string& reason) {
    std::string error;
    void* lib = open_library(name, error);
    if (!lib) {
        reason = str(name, " could not be loaded (", error, ")");
        return nullptr;
    }
    // The library stays loaded for the life of the process: kernels and device memory may be
    // in use until exit (and a refused library costs nothing to keep).
    auto get = reinterpret_cast<compute_cuda_get_backend_fn>(find_symbol(lib, COMPUTE_CUDA_GET_BACKEND_SYMBOL));
    if (!get) {
        reason = str(name, " does not export ", COMPUTE_CUDA_GET_BACKEND_SYMBOL,
                     " (it is not a Compute CUDA backend of interface version ", COMPUTE_CUDA_BACKEND_VERSION, ")");
        return nullptr;
    }
    const Backend* b = get();
    if (!b || b->version != COMPUTE_CUDA_BACKEND_VERSION || b->size < sizeof(Backend)) {
        reason = str(name, " implements CUDA backend interface version ", b ? b->version : 0u, " (table of ",
                     b ? b->size : 0u, " bytes), but this libcompute ", COMPUTE_VERSION, " expects version ",
                     COMPUTE_CUDA_BACKEND_VERSION, " (", sizeof(Backend),
                     " bytes): use the libcompute_cuda built with this libcompute");
        return nullptr;
    }
    return b;
}

const State& state() {
    static State s;
    static std::once_flag once;
    std::call_once(once, [] {
        const std::string name = library_name();
        const Backend* b = load(name, s.reason);
        if (!b) return;
        b->set_reclaim_hook(&reclaim, nullptr);
        s.backend = b;
        s.devices = b->device_count();
        if (s.devices == 0) s.reason = str(name, " is loaded but ", b->unavailable_reason());
    });
    return s;
}

}  // namespace

std::string probe_library(const std::string& name) {
    std::string reason;
    load(name, reason);
    return reason;
}

const Backend* backend() { return state().backend; }

const std::string& unavailable_reason() { return state().reason; }

int32_t device_count() { return state().devices; }

void require_device(int32_t index, const char* op) {
    const State& s = state();
    if (!s.backend || s.devices == 0)
        fail(CMP_STATUS_DEVICE_ERROR, str(op, ": device cuda:", index, " is not available: ", s.reason));
    CMP_CHECK(index < s.devices, DEVICE_ERROR, op, ": device cuda:", index, " is not available: ", s.devices,
              " CUDA device(s) present");
}

namespace {
std::atomic<bool> g_allow_tf32{false};
}  // namespace

bool allow_tf32() { return g_allow_tf32.load(std::memory_order_relaxed); }

void set_allow_tf32(bool allow) { g_allow_tf32.store(allow, std::memory_order_relaxed); }

const Backend& get(const char* op) {
    const State& s = state();
    if (!s.backend) fail(CMP_STATUS_DEVICE_ERROR, str(op, ": CUDA is not available: ", s.reason));
    return *s.backend;
}

void check(int32_t status, const char* op) {
    if (status == CMP_STATUS_OK) return;
    fail(static_cast<cmp_status>(status), str(op, ": ", get(op).last_error()));
}

void* allocate(int32_t device, int64_t nbytes, const char* op) {
    void* p = nullptr;
    check(get(op).allocate(device, nbytes, current_stream(device), &p), op);
    return p;
}

void deallocate(void* ptr) noexcept {
    // Only storages allocated through the backend come here, so it is loaded; a failure has
    // nowhere to go from a destructor and means the pointer was not ours.
    if (const Backend* b = backend()) b->deallocate(ptr);
}

cmp_memory_stats memory_stats(int32_t device, const char* op) {
    cmp_memory_stats out{};
    check(get(op).memory_stats(device, &out), op);
    return out;
}

void empty_cache(int32_t device, const char* op) { check(get(op).empty_cache(device), op); }

void reset_peak_stats(int32_t device, const char* op) { check(get(op).reset_peak_stats(device), op); }

void mem_get_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes, const char* op) {
    check(get(op).mem_get_info(device, free_bytes, total_bytes), op);
}

void synchronize(int32_t device, const char* op) { check(get(op).synchronize(device), op); }

void copy_bytes(int32_t device, void* dst, const void* src, int64_t nbytes, const char* op) {
    check(get(op).memcpy(device, dst, src, nbytes, current_stream(device), 0), op);
}

void copy_bytes_async(int32_t device, void* dst, const void* src, int64_t nbytes, void* stream, const char* op) {
    check(get(op).memcpy(device, dst, src, nbytes, stream, 1), op);
}

}  // namespace cmp::cuda
