// Error handling inside the CUDA backend: functions of the backend table return a cmp_status
// and leave a thread-local message (read through the table's last_error), so nothing throws
// across the C boundary to the core.
#pragma once

#include "cuda/backend_api.h"

#include <cuda_runtime.h>

#include <cstdint>
#include <exception>
#include <sstream>
#include <string>

namespace cmp::cuda_backend {

// Thrown inside the backend, caught by guard() at the table's boundary.
struct Failure {
    int32_t status;
    std::string message;
};

template <typename... Args>
std::string cat(const Args&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}

template <typename... Args>
[[noreturn]] void fail(int32_t status, const Args&... args) {
    throw Failure{status, cat(args...)};
}

void set_last_error(std::string message);
const char* last_error();

// Throws DEVICE_ERROR "<what>: <CUDA error name>: <description>" when err is not cudaSuccess,
// clearing CUDA's sticky per-thread error first so the next call starts clean.
void check(cudaError_t err, const char* what);

// Runs body, turning what it throws into a status and a message.
template <typename Body>
int32_t guard(const char* what, Body&& body) noexcept {
    try {
        body();
        return CMP_STATUS_OK;
    } catch (const Failure& f) {
        set_last_error(f.message);
        return f.status;
    } catch (const std::bad_alloc&) {
        set_last_error(cat(what, ": out of host memory"));
        return CMP_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(cat(what, ": internal error: ", e.what()));
        return CMP_STATUS_INTERNAL_ERROR;
    } catch (...) {
        set_last_error(cat(what, ": internal error: unknown exception"));
        return CMP_STATUS_INTERNAL_ERROR;
    }
}

// Makes device current for a scope and restores the previous one (the caller's thread may be
// using another device).
class DeviceGuard {
public:
    explicit DeviceGuard(int32_t device);
    ~DeviceGuard();
    DeviceGuard(const DeviceGuard&) = delete;
    DeviceGuard& operator=(const DeviceGuard&) = delete;

private:
    int previous_ = -1;
};

// Validates a device index against the device count; errors name what.
void check_device(int32_t device, const char* what);

// An entry over one description *d of n elements on one device (random, optim_step): checks it,
// makes the device current, runs body(*d) unless there is no element, and reports a failed
// launch. Status and message as guard().
template <typename Desc, typename Body>
int32_t run_described(const char* what, const Desc* d, Body&& body) {
    return guard(what, [&] {
        if (!d) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": no description");
        const Desc copy = *d;
        if (copy.n < 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": negative element count ", copy.n);
        check_device(copy.device, what);
        if (copy.n == 0) return;
        DeviceGuard device_guard(copy.device);
        body(copy);
        check(cudaGetLastError(), cat(what, ": kernel launch").c_str());
    });
}

}  // namespace cmp::cuda_backend
