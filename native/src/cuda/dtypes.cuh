// Element types on the device and the conversions between them. The rules are the core's CPU
// rules (cpu/loops.h): 16-bit floats compute in float32, anything -> bool is "!= 0", floating
// -> integer is the x86 result (INT64_MIN / INT32_MIN-and-low-bits when out of range or NaN),
// so a CUDA cast gives the CPU's bits.
#pragma once

#include <compute/compute.h>

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace cmp::cuda_backend {

using half_t = __half;
using bf16_t = __nv_bfloat16;

template <typename T> struct OpMath { using type = T; };
template <> struct OpMath<half_t> { using type = float; };
template <> struct OpMath<bf16_t> { using type = float; };
template <typename T> using opmath_t = typename OpMath<T>::type;

template <typename T>
constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <typename T>
constexpr bool is_float_v = std::is_floating_point_v<T> || std::is_same_v<T, half_t> || std::is_same_v<T, bf16_t>;

template <typename T>
__device__ __forceinline__ opmath_t<T> to_opmath(T v) {
    if constexpr (std::is_same_v<T, half_t>) return __half2float(v);
    else if constexpr (std::is_same_v<T, bf16_t>) return __bfloat162float(v);
    else return v;
}

template <typename T>
__device__ __forceinline__ T from_opmath(opmath_t<T> v) {
    if constexpr (std::is_same_v<T, half_t>) return __float2half_rn(v);
    else if constexpr (std::is_same_v<T, bf16_t>) return __float2bfloat16_rn(v);
    else return v;
}

template <typename T>
using wide_unsigned_t = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;

// Two's-complement wrap-around without signed-overflow UB, as cpu/loops.h.
template <typename M>
__device__ __forceinline__ M wrap_add(M a, M b) {
    if constexpr (is_int_v<M>) return static_cast<M>(static_cast<wide_unsigned_t<M>>(a) + static_cast<wide_unsigned_t<M>>(b));
    else if constexpr (std::is_same_v<M, bool>) return a || b;
    else return a + b;
}
template <typename M>
__device__ __forceinline__ M wrap_mul(M a, M b) {
    if constexpr (is_int_v<M>) return static_cast<M>(static_cast<wide_unsigned_t<M>>(a) * static_cast<wide_unsigned_t<M>>(b));
    else if constexpr (std::is_same_v<M, bool>) return a && b;
    else return a * b;
}
template <typename M>
__device__ __forceinline__ M wrap_neg(M a) {
    return static_cast<M>(wide_unsigned_t<M>(0) - static_cast<wide_unsigned_t<M>>(a));
}

// Floating -> integral without undefined behaviour, as cpu/loops.h's float_to_int.
template <typename To>
__host__ __device__ __forceinline__ To float_to_int(double v) {
    if constexpr (sizeof(To) == 8) {
        if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) return static_cast<To>(v);
        return static_cast<To>(INT64_MIN);
    } else {
        if (v > -2147483649.0 && v < 2147483648.0) return static_cast<To>(static_cast<int32_t>(v));
        return static_cast<To>(INT32_MIN);
    }
}

template <typename To, typename From>
__device__ __forceinline__ To convert(From v) {
    if constexpr (std::is_same_v<To, From>) {
        return v;
    } else if constexpr (std::is_same_v<To, bool>) {
        return to_opmath(v) != opmath_t<From>(0);
    } else if constexpr (is_int_v<To> && is_float_v<From>) {
        return float_to_int<To>(static_cast<double>(to_opmath(v)));
    } else if constexpr (std::is_same_v<To, half_t> || std::is_same_v<To, bf16_t>) {
        return from_opmath<To>(static_cast<float>(to_opmath(v)));
    } else {
        return static_cast<To>(to_opmath(v));
    }
}

// A cmp_scalar as the opmath value of T, on the host (what the CPU's scalar_to gives, before
// the final narrowing of 16-bit floats, which the kernel does).
template <typename T>
opmath_t<T> scalar_to_opmath(const cmp_scalar& s) {
    using M = opmath_t<T>;
    if constexpr (std::is_same_v<M, bool>) {
        return s.kind == CMP_SCALAR_FLOAT ? s.f != 0.0 : s.i != 0;
    } else if constexpr (is_int_v<M>) {
        if (s.kind == CMP_SCALAR_FLOAT) return float_to_int<M>(s.f);
        return static_cast<M>(s.kind == CMP_SCALAR_BOOL ? (s.i != 0) : s.i);
    } else {
        if (s.kind == CMP_SCALAR_FLOAT) return static_cast<M>(s.f);
        return static_cast<M>(s.kind == CMP_SCALAR_BOOL ? static_cast<int64_t>(s.i != 0) : s.i);
    }
}

// Kernels that move elements unchanged (where, masked_fill, tril/triu) share one kernel per
// element size: bits_t<T> is the unsigned integer of T's size.
template <size_t N> struct BitsOf;
template <> struct BitsOf<1> { using type = uint8_t; };
template <> struct BitsOf<2> { using type = uint16_t; };
template <> struct BitsOf<4> { using type = uint32_t; };
template <> struct BitsOf<8> { using type = uint64_t; };
template <typename T> using bits_t = typename BitsOf<sizeof(T)>::type;

}  // namespace cmp::cuda_backend

#define CMP_CUDA_DTYPE_CASE(enumv, T, ...) \
    case enumv: {                         \
        using scalar_t = T;               \
        return __VA_ARGS__();             \
    }

// Runs the lambda given last with scalar_t bound to the device type of DTYPE; an unknown
// dtype is a Failure naming WHAT.
// The four floating dtypes' cases.
#define CMP_CUDA_FLOATING_CASES(...)                                                           \
    CMP_CUDA_DTYPE_CASE(CMP_DTYPE_FLOAT32, float, __VA_ARGS__)                                 \
    CMP_CUDA_DTYPE_CASE(CMP_DTYPE_FLOAT64, double, __VA_ARGS__)                                \
    CMP_CUDA_DTYPE_CASE(CMP_DTYPE_FLOAT16, ::cmp::cuda_backend::half_t, __VA_ARGS__)           \
    CMP_CUDA_DTYPE_CASE(CMP_DTYPE_BFLOAT16, ::cmp::cuda_backend::bf16_t, __VA_ARGS__)

#define CMP_CUDA_DISPATCH_ALL_TYPES(DTYPE, WHAT, ...)                                              \
    [&] {                                                                                          \
        switch (DTYPE) {                                                                           \
            CMP_CUDA_FLOATING_CASES(__VA_ARGS__)                                                   \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_INT64, int64_t, __VA_ARGS__)                             \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_INT32, int32_t, __VA_ARGS__)                             \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_INT16, int16_t, __VA_ARGS__)                             \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_INT8, int8_t, __VA_ARGS__)                               \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_UINT8, uint8_t, __VA_ARGS__)                             \
            CMP_CUDA_DTYPE_CASE(CMP_DTYPE_BOOL, bool, __VA_ARGS__)                                 \
            default:                                                                               \
                ::cmp::cuda_backend::fail(CMP_STATUS_DTYPE_MISMATCH, WHAT, ": unsupported dtype ",   \
                                          static_cast<int>(DTYPE));                                \
        }                                                                                          \
    }()

// The same for the floating dtypes only (float32, float64, float16, bfloat16).
#define CMP_CUDA_DISPATCH_FLOATING_TYPES(DTYPE, WHAT, ...)                                         \
    [&] {                                                                                          \
        switch (DTYPE) {                                                                           \
            CMP_CUDA_FLOATING_CASES(__VA_ARGS__)                                                   \
            default:                                                                               \
                ::cmp::cuda_backend::fail(CMP_STATUS_DTYPE_MISMATCH, WHAT, ": not a floating dtype ", \
                                          static_cast<int>(DTYPE));                                \
        }                                                                                          \
    }()
