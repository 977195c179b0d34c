// Helpers for the engine tests (iterator, elementwise, reduce, isa): building tensors of any
// dtype from C++ values, reading them back, and an element-at-a-time reference reader that
// does not go through the iteration engine.
#pragma once

#include "core/error.h"
#include "core/tensor.h"
#include "ops/ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace engine_test {

using cmp::DType;
using cmp::Shape;
using cmp::Tensor;

inline const std::vector<DType>& all_dtypes() {
    static const std::vector<DType> d = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16,
                                         CMP_DTYPE_INT64,   CMP_DTYPE_INT32,   CMP_DTYPE_INT16,   CMP_DTYPE_INT8,
                                         CMP_DTYPE_UINT8,   CMP_DTYPE_BOOL};
    return d;
}

// A float64 tensor holding values (row-major) with the given shape.
inline Tensor doubles(const std::vector<double>& values, const Shape& shape) {
    return cmp::ops::from_buffer(values.data(), static_cast<int64_t>(values.size() * sizeof(double)), shape,
                                 CMP_DTYPE_FLOAT64);
}

// values converted to dtype (values should be exactly representable in it).
inline Tensor make(const std::vector<double>& values, const Shape& shape, DType dtype) {
    return cmp::ops::to_dtype(doubles(values, shape), dtype);
}

template <typename T>
Tensor from_vec(const std::vector<T>& values, const Shape& shape) {
    return cmp::ops::from_buffer(values.data(), static_cast<int64_t>(values.size() * sizeof(T)), shape,
                                 cmp::dtype_of<T>);
}

// Element at a multi-index, read through item() (no iteration engine involved).
inline double at(const Tensor& t, const Shape& idx) {
    cmp_scalar s = cmp::ops::item(t, idx);
    return s.kind == CMP_SCALAR_FLOAT ? s.f : static_cast<double>(s.i);
}

// Every element in row-major order, read through item().
inline std::vector<double> values(const Tensor& t) {
    std::vector<double> out;
    const int64_t n = t.numel();
    Shape idx(static_cast<size_t>(t.dim()), 0);
    for (int64_t k = 0; k < n; ++k) {
        out.push_back(at(t, idx));
        for (int64_t d = t.dim() - 1; d >= 0; --d) {
            if (++idx[static_cast<size_t>(d)] < t.sizes()[static_cast<size_t>(d)]) break;
            idx[static_cast<size_t>(d)] = 0;
        }
    }
    return out;
}

template <typename T>
std::vector<T> raw(const Tensor& t) {
    Tensor c = cmp::ops::contiguous(t);
    std::vector<T> out(static_cast<size_t>(c.numel()));
    if (!out.empty()) std::memcpy(out.data(), c.data_ptr(), out.size() * sizeof(T));
    return out;
}

// Random values exactly representable in every dtype of the test (small integers, or
// multiples of 1/8 for floats when allow_fraction), optionally avoiding zero.
inline std::vector<double> random_values(size_t n, uint32_t seed, double lo, double hi, bool fractions,
                                         bool nonzero = false) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> dist(static_cast<int>(lo * 8), static_cast<int>(hi * 8));
    std::vector<double> v(n);
    for (auto& x : v) {
        do {
            x = dist(gen) / 8.0;
            if (!fractions) x = std::trunc(x);
        } while (nonzero && x == 0.0);
    }
    return v;
}

// Expects fn to throw cmp::Error with status and a message containing every needle.
template <typename Fn>
void expect_error(Fn fn, cmp_status status, const std::vector<std::string>& needles) {
    try {
        fn();
        ADD_FAILURE() << "expected an error";
    } catch (const cmp::Error& e) {
        EXPECT_EQ(e.status(), status) << e.what();
        for (const auto& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
    }
}

// Bitwise equality of two tensors' contents (same dtype and shape).
inline bool same_bits(const Tensor& a, const Tensor& b) {
    if (a.dtype() != b.dtype() || a.sizes() != b.sizes()) return false;
    Tensor ca = cmp::ops::contiguous(a), cb = cmp::ops::contiguous(b);
    return std::memcmp(ca.data_ptr(), cb.data_ptr(), static_cast<size_t>(ca.nbytes())) == 0;
}

// Round a double to the value dtype holds for it (through a one-element conversion).
inline double round_to(double v, DType dtype) { return at(make({v}, {1}, dtype), {0}); }

}  // namespace engine_test
