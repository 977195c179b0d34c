// Element types: sizes, names, the C++ type behind each cmp_dtype, and the switch that turns a
// runtime dtype into a template instantiation (every kernel goes through CMP_DISPATCH_*).
#pragma once

#include "error.h"
#include "half.h"

#include <compute/compute.h>

#include <cstdint>

namespace cmp {

using DType = cmp_dtype;
constexpr int kNumDTypes = 10;

inline bool dtype_valid(int32_t d) { return d >= 0 && d < kNumDTypes; }
int64_t element_size(DType d);
const char* dtype_name(DType d);  // "float32", "int64", ... as torch prints them
inline bool is_floating(DType d) {
    return d == CMP_DTYPE_FLOAT32 || d == CMP_DTYPE_FLOAT64 || d == CMP_DTYPE_FLOAT16 || d == CMP_DTYPE_BFLOAT16;
}
inline bool is_integral(DType d, bool include_bool) {
    return !is_floating(d) && (include_bool || d != CMP_DTYPE_BOOL);
}
// Throws INVALID_ARGUMENT naming the op and argument when d is not a known dtype value.
void check_dtype(int32_t d, const char* op, const char* arg);

template <typename T> struct CppType;
template <> struct CppType<float> { static constexpr DType value = CMP_DTYPE_FLOAT32; };
template <> struct CppType<double> { static constexpr DType value = CMP_DTYPE_FLOAT64; };
template <> struct CppType<Half> { static constexpr DType value = CMP_DTYPE_FLOAT16; };
template <> struct CppType<BFloat16> { static constexpr DType value = CMP_DTYPE_BFLOAT16; };
template <> struct CppType<int64_t> { static constexpr DType value = CMP_DTYPE_INT64; };
template <> struct CppType<int32_t> { static constexpr DType value = CMP_DTYPE_INT32; };
template <> struct CppType<int16_t> { static constexpr DType value = CMP_DTYPE_INT16; };
template <> struct CppType<int8_t> { static constexpr DType value = CMP_DTYPE_INT8; };
template <> struct CppType<uint8_t> { static constexpr DType value = CMP_DTYPE_UINT8; };
template <> struct CppType<bool> { static constexpr DType value = CMP_DTYPE_BOOL; };
template <typename T> constexpr DType dtype_of = CppType<T>::value;

// The type arithmetic is done in: float32 for the 16-bit floats, the type itself otherwise.
template <typename T> struct OpMath { using type = T; };
template <> struct OpMath<Half> { using type = float; };
template <> struct OpMath<BFloat16> { using type = float; };
template <typename T> using opmath_t = typename OpMath<T>::type;

}  // namespace cmp

#define CMP_DTYPE_CASE(enumv, T, ...) \
    case enumv: {                    \
        using scalar_t = T;          \
        return __VA_ARGS__();        \
    }

// Runs the lambda given as the last argument with scalar_t bound to the C++ type of DTYPE.
#define CMP_DISPATCH_ALL_TYPES(DTYPE, OPNAME, ...)                                             \
    [&] {                                                                                      \
        switch (DTYPE) {                                                                       \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT32, float, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT64, double, __VA_ARGS__)                             \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT16, ::cmp::Half, __VA_ARGS__)                        \
            CMP_DTYPE_CASE(CMP_DTYPE_BFLOAT16, ::cmp::BFloat16, __VA_ARGS__)                   \
            CMP_DTYPE_CASE(CMP_DTYPE_INT64, int64_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT32, int32_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT16, int16_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT8, int8_t, __VA_ARGS__)                                \
            CMP_DTYPE_CASE(CMP_DTYPE_UINT8, uint8_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_BOOL, bool, __VA_ARGS__)                                  \
            default:                                                                           \
                ::cmp::fail(CMP_STATUS_DTYPE_MISMATCH, ::cmp::str(OPNAME, ": unsupported dtype ", \
                                                                  static_cast<int>(DTYPE)));   \
        }                                                                                      \
    }()

// Same, without bool (ops PyTorch does not define on bool, such as neg).
#define CMP_DISPATCH_NUMERIC_TYPES(DTYPE, OPNAME, ...)                                         \
    [&] {                                                                                      \
        switch (DTYPE) {                                                                       \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT32, float, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT64, double, __VA_ARGS__)                             \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT16, ::cmp::Half, __VA_ARGS__)                        \
            CMP_DTYPE_CASE(CMP_DTYPE_BFLOAT16, ::cmp::BFloat16, __VA_ARGS__)                   \
            CMP_DTYPE_CASE(CMP_DTYPE_INT64, int64_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT32, int32_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT16, int16_t, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_INT8, int8_t, __VA_ARGS__)                                \
            CMP_DTYPE_CASE(CMP_DTYPE_UINT8, uint8_t, __VA_ARGS__)                              \
            default:                                                                           \
                ::cmp::fail(CMP_STATUS_DTYPE_MISMATCH,                                         \
                            ::cmp::str(OPNAME, ": not defined for dtype ", ::cmp::dtype_name(DTYPE))); \
        }                                                                                      \
    }()

// Floating types only (exp of a float tensor, mean, rand...).
#define CMP_DISPATCH_FLOATING_TYPES(DTYPE, OPNAME, ...)                                        \
    [&] {                                                                                      \
        switch (DTYPE) {                                                                       \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT32, float, __VA_ARGS__)                              \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT64, double, __VA_ARGS__)                             \
            CMP_DTYPE_CASE(CMP_DTYPE_FLOAT16, ::cmp::Half, __VA_ARGS__)                        \
            CMP_DTYPE_CASE(CMP_DTYPE_BFLOAT16, ::cmp::BFloat16, __VA_ARGS__)                   \
            default:                                                                           \
                ::cmp::fail(CMP_STATUS_DTYPE_MISMATCH,                                         \
                            ::cmp::str(OPNAME, ": expected a floating dtype, got ", ::cmp::dtype_name(DTYPE))); \
        }                                                                                      \
    }()
