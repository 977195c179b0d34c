// Small helpers for tests that drive the library through the public C ABI: an owning handle,
// a status check that prints cmp_last_error(), and reading any tensor back as doubles.
#pragma once

#include "core/half.h"

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace cmp::testing {

struct HandleRelease {
    void operator()(cmp_tensor_impl* t) const { cmp_tensor_release(t); }
};
using Handle = std::unique_ptr<cmp_tensor_impl, HandleRelease>;

#define CMP_ASSERT_OK(expr) ASSERT_EQ((expr), CMP_STATUS_OK) << #expr << ": " << cmp_last_error()

inline cmp_device cpu_device() { return cmp_device{CMP_DEVICE_CPU, 0}; }

inline std::vector<int64_t> sizes_of(cmp_tensor t) {
    int64_t nd = 0;
    cmp_tensor_ndim(t, &nd);
    std::vector<int64_t> s(static_cast<size_t>(nd));
    if (nd > 0) cmp_tensor_sizes(t, s.data(), nd);
    return s;
}

// Every element in row-major order, converted to double (exact for every dtype but int64
// values beyond 2^53, which the tests do not use).
inline std::vector<double> values_of(cmp_tensor t) {
    int64_t n = 0, esize = 0;
    cmp_dtype dtype = CMP_DTYPE_FLOAT32;
    cmp_tensor_numel(t, &n);
    cmp_tensor_element_size(t, &esize);
    cmp_tensor_dtype(t, &dtype);
    std::vector<unsigned char> bytes(static_cast<size_t>(n * esize));
    EXPECT_EQ(cmp_tensor_copy_to_buffer(t, bytes.data(), n * esize), CMP_STATUS_OK) << cmp_last_error();
    std::vector<double> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const unsigned char* p = bytes.data() + i * esize;
        auto read = [&](auto v) {
            std::memcpy(&v, p, sizeof(v));
            return v;
        };
        switch (dtype) {
            case CMP_DTYPE_FLOAT32: out[i] = read(float{}); break;
            case CMP_DTYPE_FLOAT64: out[i] = read(double{}); break;
            case CMP_DTYPE_FLOAT16: out[i] = Half::to_float(read(uint16_t{})); break;
            case CMP_DTYPE_BFLOAT16: out[i] = BFloat16::to_float(read(uint16_t{})); break;
            case CMP_DTYPE_INT64: out[i] = static_cast<double>(read(int64_t{})); break;
            case CMP_DTYPE_INT32: out[i] = read(int32_t{}); break;
            case CMP_DTYPE_INT16: out[i] = read(int16_t{}); break;
            case CMP_DTYPE_INT8: out[i] = read(int8_t{}); break;
            case CMP_DTYPE_UINT8: out[i] = read(uint8_t{}); break;
            case CMP_DTYPE_BOOL: out[i] = read(uint8_t{}); break;
        }
    }
    return out;
}

// A contiguous tensor holding values (converted to dtype).
inline Handle tensor_from(const std::vector<double>& values, const std::vector<int64_t>& sizes, cmp_dtype dtype) {
    cmp_tensor src = nullptr, out = nullptr;
    EXPECT_EQ(cmp_from_buffer(values.data(), static_cast<int64_t>(values.size() * sizeof(double)), sizes.data(),
                              static_cast<int64_t>(sizes.size()), CMP_DTYPE_FLOAT64, &src),
              CMP_STATUS_OK)
        << cmp_last_error();
    Handle owned_src(src);
    EXPECT_EQ(cmp_to_dtype(src, dtype, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

}  // namespace cmp::testing
