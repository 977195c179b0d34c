// The fixture and comparison helpers of the device-parity tests (test_cuda_*.cpp): each test
// runs an op on the GPU and on the CPU from the same inputs and compares, and skips with the
// reason when no CUDA device is usable.
#pragma once

#include "cuda_test_util.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace cmp::testing {

inline const cmp_dtype kAllDtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16,
                                CMP_DTYPE_INT64,   CMP_DTYPE_INT32,   CMP_DTYPE_INT16,   CMP_DTYPE_INT8,
                                CMP_DTYPE_UINT8,   CMP_DTYPE_BOOL};

class CudaParity : public ::testing::Test {
protected:
    void SetUp() override {
        int32_t count = 0;
        ASSERT_EQ(cmp_cuda_device_count(&count), CMP_STATUS_OK) << cmp_last_error();
        if (count == 0) {
            const char* reason = "";
            cmp_cuda_unavailable_reason(&reason);
            GTEST_SKIP() << "no CUDA device: " << reason;
        }
    }
};

// n values mixing signs, fractions and a few large magnitudes (deterministic).
inline std::vector<double> sample(int64_t n, double scale = 1.0) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = scale * (static_cast<double>((i * 37) % 23) - 11.0) / 4.0;
    return v;
}

inline Handle cuda(const Handle& t) { return to_device(t.get(), cuda_device()); }

// The view of t with dims d0 and d1 swapped (a strided operand for the kernels).
inline Handle transposed(const Handle& t, int64_t d0 = 0, int64_t d1 = 1) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_transpose(t.get(), d0, d1, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

}  // namespace cmp::testing
