// A function the fake backend exports for the routing tests (fake_backend.h), found with dlsym in
// the library the core loaded (COMPUTE_FAKE_BACKEND, the same path), or nullptr and a failure.
#pragma once

#include "fake_backend.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

namespace cmp::testing {

template <typename Fn>
Fn fake_export(const char* name) {
    void* lib = dlopen(COMPUTE_FAKE_BACKEND, RTLD_NOW);  // the core's handle: the same path
    const Fn fn = lib ? reinterpret_cast<Fn>(dlsym(lib, name)) : nullptr;
    if (!fn) ADD_FAILURE() << "the fake backend does not export " << name;
    return fn;
}

// The fake's host kernels (fill, copy, binary, SUM / MEAN / AMAX / AMIN rows) for one scope: the
// loss front-ends reduce, range-check, cast and sum broadcast gradients back around their kernel.
class HostKernels {
public:
    HostKernels() { set(1); }
    ~HostKernels() { set(0); }
    HostKernels(const HostKernels&) = delete;
    HostKernels& operator=(const HostKernels&) = delete;

private:
    static void set(int32_t on) {
        static const auto fn = fake_export<FakeSetHostKernelsFn>(FAKE_BACKEND_SET_HOST_KERNELS);
        if (fn) fn(on);
    }
};

}  // namespace cmp::testing
