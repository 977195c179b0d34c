// Shared inner loops for pointwise kernels. A kernel supplies a functor on opmath values
// (float for float16/bfloat16) and these loops do the rest: a dense loop when every operand is
// contiguous, loops with one broadcast (stride-0) input hoisted out when the rest is dense, and
// a generic strided loop otherwise. The dense loops are plain indexed loops over typed pointers,
// which the compiler vectorises with whatever ISA the kernel file is compiled for.
//
// Everything here lives in a namespace named after the ISA: the same templates are compiled
// once per ISA, and without distinct names the linker could keep an AVX-512 copy for the
// baseline kernels (an ODR violation that crashes on older CPUs).
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/loops.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

#include "core/dtype.h"

#include <compute/compute.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

template <typename T>
constexpr bool is_int_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// ---- conversions ------------------------------------------------------------------------

// Floating -> integral without undefined behaviour. In range it truncates like a C cast; out
// of range or NaN it gives what x86 hardware (and so PyTorch on x86) gives: the 64-bit types
// get INT64_MIN, the narrower types convert through int32 (INT32_MIN when out of range) and
// keep the low bits, so 300.0 -> uint8 is 44 and -1.0 -> uint8 is 255 as in PyTorch.
template <typename To>
inline To float_to_int(double v) {
    if constexpr (sizeof(To) == 8) {
        if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) return static_cast<To>(v);
        return static_cast<To>(std::numeric_limits<int64_t>::min());
    } else {
        if (v > -2147483649.0 && v < 2147483648.0) return static_cast<To>(static_cast<int32_t>(v));
        return static_cast<To>(std::numeric_limits<int32_t>::min());
    }
}

// Value conversion between any two of the ten element types, as PyTorch's copy/cast does:
// 16-bit floats go through float32, anything -> bool is "!= 0".
template <typename To, typename From>
inline To convert(From v) {
    if constexpr (std::is_same_v<To, From>) {
        return v;
    } else if constexpr (std::is_same_v<To, bool>) {
        return static_cast<opmath_t<From>>(v) != 0;
    } else if constexpr (is_int_v<To> && !std::is_integral_v<From>) {
        return float_to_int<To>(static_cast<double>(static_cast<opmath_t<From>>(v)));
    } else if constexpr (std::is_same_v<To, Half> || std::is_same_v<To, BFloat16>) {
        return To(static_cast<float>(static_cast<opmath_t<From>>(v)));
    } else {
        return static_cast<To>(static_cast<opmath_t<From>>(v));
    }
}

// A cmp_scalar as the opmath value of T (the scalar's own kind is converted like a cast).
template <typename T>
inline T scalar_to(const cmp_scalar& s) {
    if (s.kind == CMP_SCALAR_FLOAT) return convert<T>(s.f);
    if (s.kind == CMP_SCALAR_BOOL) return convert<T>(s.i != 0);
    return convert<T>(s.i);
}

// ---- integer arithmetic that wraps instead of overflowing (signed overflow is UB in C++;
// PyTorch's results are the two's-complement wrap-around) ----------------------------------

template <typename T>
using wide_unsigned_t = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;

template <typename T>
inline T wrap_add(T a, T b) {
    if constexpr (is_int_v<T>) return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) + static_cast<wide_unsigned_t<T>>(b));
    else return a + b;
}
template <typename T>
inline T wrap_mul(T a, T b) {
    if constexpr (is_int_v<T>) return static_cast<T>(static_cast<wide_unsigned_t<T>>(a) * static_cast<wide_unsigned_t<T>>(b));
    else if constexpr (std::is_same_v<T, bool>) return a && b;
    else return a * b;
}
template <typename T>
inline T wrap_neg(T a) {
    if constexpr (is_int_v<T>) return static_cast<T>(wide_unsigned_t<T>(0) - static_cast<wide_unsigned_t<T>>(a));
    else return -a;
}

// ---- operand accessors --------------------------------------------------------------------

template <typename T>
struct Dense {  // contiguous operand
    const T* p;
    opmath_t<T> operator[](int64_t i) const { return static_cast<opmath_t<T>>(p[i]); }
};
template <typename T>
struct Broadcast {  // stride-0 operand: loaded once, outside the loop
    opmath_t<T> v;
    opmath_t<T> operator[](int64_t) const { return v; }
};
template <typename T>
struct Strided {
    const char* p;
    int64_t stride;
    opmath_t<T> operator[](int64_t i) const { return static_cast<opmath_t<T>>(*reinterpret_cast<const T*>(p + i * stride)); }
};

// ---- the pointwise loop ---------------------------------------------------------------------

template <typename out_t, typename... in_t>
struct Pointwise {
    static constexpr size_t N = sizeof...(in_t);

    // The functor is copied into a local first. Read through the reference, a functor with
    // state (elu's coefficients, softplus' beta) might be changed by the stores to out as far
    // as the compiler can tell, so it reloaded the state every element and did not vectorise
    // the loop at all (elu 0.14x PyTorch); a local whose address never escapes cannot alias out.
    template <typename F, typename... Acc>
    static void dense_out(out_t* out, int64_t n, const F& f_in, Acc... in) {
        const F f = f_in;
        for (int64_t i = 0; i < n; ++i) out[i] = static_cast<out_t>(f(in[i]...));
    }

    template <bool IsBroadcast, typename T>
    static auto accessor(char* p) {
        if constexpr (IsBroadcast) return Broadcast<T>{static_cast<opmath_t<T>>(*reinterpret_cast<const T*>(p))};
        else return Dense<T>{reinterpret_cast<const T*>(p)};
    }

    // Input S is broadcast and every other operand is dense.
    template <size_t S, typename F, size_t... I>
    static bool try_broadcast(char** data, const int64_t* s, int64_t n, const F& f, std::index_sequence<I...>) {
        if (s[S + 1] != 0) return false;
        if (!(((I == S) || s[I + 1] == static_cast<int64_t>(sizeof(in_t))) && ...)) return false;
        dense_out(reinterpret_cast<out_t*>(data[0]), n, f, accessor<I == S, in_t>(data[I + 1])...);
        return true;
    }

    template <typename F, size_t... I>
    static void run(char** data, const int64_t* s, int64_t n, const F& f, std::index_sequence<I...> seq) {
        if (s[0] == static_cast<int64_t>(sizeof(out_t))) {
            if ((... && (s[I + 1] == static_cast<int64_t>(sizeof(in_t))))) {
                dense_out(reinterpret_cast<out_t*>(data[0]), n, f, Dense<in_t>{reinterpret_cast<const in_t*>(data[I + 1])}...);
                return;
            }
            if ((... || try_broadcast<I>(data, s, n, f, seq))) return;
        }
        const F fl = f;  // a local copy, as in dense_out
        char* out = data[0];
        const int64_t so = s[0];
        const std::tuple<Strided<in_t>...> in{Strided<in_t>{data[I + 1], s[I + 1]}...};
        for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<out_t*>(out + i * so) = static_cast<out_t>(fl(std::get<I>(in)[i]...));
    }
};

// The inner loop for TensorIterator::for_each: out_t and in_t... are the operands' element
// types, f maps opmath values of the inputs to a value convertible to out_t.
template <typename out_t, typename... in_t, typename F>
auto pointwise_loop(F f) {
    return [f](char** data, const int64_t* strides, int64_t n) {
        Pointwise<out_t, in_t...>::run(data, strides, n, f, std::index_sequence_for<in_t...>{});
    };
}

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
