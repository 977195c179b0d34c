// Loads the CUDA backend library once, on demand.
#include "cuda_runtime.h"

#include "error.h"

#include <cstdlib>
#include <mutex>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace cmp::cuda {

namespace {

#if defined(_WIN32)
constexpr const char* kDefaultLibrary = "compute_cuda.dll";
#else
constexpr const char* kDefaultLibrary = "libcompute_cuda.so";
#endif

struct State {
    Backend backend;
    bool loaded = false;
    std::string reason;
};

void* open_library(const char* name, std::string& error) {
#if defined(_WIN32)
    HMODULE h = LoadLibraryA(name);
    if (!h) error = "error " + std::to_string(GetLastError());
    return reinterpret_cast<void*>(h);
#else
    void* h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
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

const State& state() {
    static State s;
    static std::once_flag once;
    std::call_once(once, [] {
        const char* env = std::getenv("COMPUTE_CUDA_LIBRARY");
        const char* name = env && *env ? env : kDefaultLibrary;
        std::string error;
        void* lib = open_library(name, error);
        if (!lib) {
            s.reason = str(name, " could not be loaded (", error, ")");
            return;
        }
        // The library stays loaded for the life of the process: kernels and device memory
        // may be in use until exit.
        auto count = reinterpret_cast<int32_t (*)()>(find_symbol(lib, "compute_cuda_device_count"));
        if (!count) {
            s.reason = str(name, " does not export compute_cuda_device_count");
            return;
        }
        s.backend.device_count = count;
        s.loaded = true;
    });
    return s;
}

}  // namespace

const Backend* backend() {
    const State& s = state();
    return s.loaded ? &s.backend : nullptr;
}

const std::string& unavailable_reason() { return state().reason; }

int32_t device_count() {
    const Backend* b = backend();
    return b ? b->device_count() : 0;
}

void require_device(int32_t index, const char* op) {
    const Backend* b = backend();
    if (!b) fail(CMP_STATUS_DEVICE_ERROR, str(op, ": device cuda:", index, " is not available: ", unavailable_reason()));
    int32_t n = b->device_count();
    CMP_CHECK(index < n, DEVICE_ERROR, op, ": device cuda:", index, " is not available: ", n,
              " CUDA device(s) present");
    // The backend loads, but this core does not yet route tensor memory or kernels to it.
    fail(CMP_STATUS_DEVICE_ERROR, str(op, ": device cuda:", index,
                                      " is present but the CUDA backend has no tensor support in this build"));
}

}  // namespace cmp::cuda
