// Helpers of the CUDA test binaries: moving tensors between devices through the C ABI and
// reading a tensor of any device back as doubles.
#pragma once

#include "abi_helpers.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace cmp::testing {

inline cmp_device cuda_device(int32_t index = 0) { return cmp_device{CMP_DEVICE_CUDA, index}; }

inline Handle to_device(cmp_tensor t, cmp_device device) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_to_device(t, device, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

// A stream of device 0's pool, and device 0's default stream.
inline cmp_cuda_stream new_stream() {
    cmp_cuda_stream s = nullptr;
    EXPECT_EQ(cmp_cuda_stream_create(0, &s), CMP_STATUS_OK) << cmp_last_error();
    return s;
}

inline cmp_cuda_stream default_stream() {
    cmp_cuda_stream s = nullptr;
    EXPECT_EQ(cmp_cuda_default_stream(0, &s), CMP_STATUS_OK) << cmp_last_error();
    return s;
}

// A copy of t in pinned host memory, and t on device d with non_blocking.
inline Handle pin(cmp_tensor t) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_pin_memory(t, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

inline Handle to_device_nb(cmp_tensor t, cmp_device d, int32_t non_blocking = 1) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_to_device_non_blocking(t, d, non_blocking, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

inline cmp_device device_of(cmp_tensor t) {
    cmp_device d{-1, -1};
    EXPECT_EQ(cmp_tensor_device(t, &d), CMP_STATUS_OK) << cmp_last_error();
    return d;
}

// Every element as double, whatever device t is on (a CUDA tensor is copied to the CPU).
inline std::vector<double> host_values(cmp_tensor t) {
    if (device_of(t).type == CMP_DEVICE_CPU) return values_of(t);
    Handle host = to_device(t, cpu_device());
    return values_of(host.get());
}

// Relative tolerance of one float op per dtype: a few ulps of the result dtype.
inline double tolerance(cmp_dtype dt) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return 1e-6;
        case CMP_DTYPE_FLOAT64: return 1e-14;
        case CMP_DTYPE_FLOAT16: return 1e-3;
        case CMP_DTYPE_BFLOAT16: return 8e-3;
        default: return 0.0;
    }
}

inline void expect_close(const std::vector<double>& gpu, const std::vector<double>& cpu, double rtol, const std::string& what) {
    ASSERT_EQ(gpu.size(), cpu.size()) << what;
    for (size_t i = 0; i < gpu.size(); ++i) {
        if (std::isnan(cpu[i])) {
            EXPECT_TRUE(std::isnan(gpu[i])) << what << " at " << i;
            continue;
        }
        if (rtol == 0.0 || std::isinf(cpu[i])) {
            EXPECT_EQ(gpu[i], cpu[i]) << what << " at " << i;
        } else {
            EXPECT_LE(std::fabs(gpu[i] - cpu[i]), rtol * std::max(1.0, std::fabs(cpu[i]))) << what << " at " << i;
        }
    }
}

// The same values bit for bit as far as doubles tell: equal with the same sign (so -0.0 is
// not 0.0), or both NaN.
inline void expect_identical(const std::vector<double>& gpu, const std::vector<double>& cpu, const std::string& what) {
    ASSERT_EQ(gpu.size(), cpu.size()) << what;
    for (size_t i = 0; i < gpu.size(); ++i) {
        if (std::isnan(cpu[i])) {
            EXPECT_TRUE(std::isnan(gpu[i])) << what << " at " << i << ": " << gpu[i] << " (CPU: NaN)";
            continue;
        }
        EXPECT_TRUE(gpu[i] == cpu[i] && std::signbit(gpu[i]) == std::signbit(cpu[i]))
            << what << " at " << i << ": " << gpu[i] << " (CPU: " << cpu[i] << ")";
    }
}

// The status of a call that must fail, with its message.
struct Failure {
    cmp_status status;
    std::string message;
};
template <typename Fn>
Failure failure_of(Fn&& fn) {
    const cmp_status s = fn();
    return {s, s == CMP_STATUS_OK ? std::string() : std::string(cmp_last_error())};
}

// Whether the same call succeeded on the CPU and on CUDA. Otherwise both must have failed alike
// (the same status and message): a mismatch is a test failure, and the caller stops either way.
inline bool both_succeeded(const std::string& what, const Failure& cpu, const Failure& cuda) {
    EXPECT_EQ(cuda.status, cpu.status) << what << ": CPU \"" << cpu.message << "\", CUDA \"" << cuda.message << "\"";
    if (cuda.status != cpu.status) return false;
    if (cpu.status == CMP_STATUS_OK) return true;
    EXPECT_EQ(cuda.message, cpu.message) << what;
    return false;
}

}  // namespace cmp::testing
