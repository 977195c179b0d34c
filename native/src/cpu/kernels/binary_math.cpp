// Binary math kernels: division with rounding, remainder/fmod, pow, atan2, hypot,
// maximum/minimum/fmax/fmin, copysign, bitwise and shift ops, logical ops.
// The front-end (ops/binary_math.cpp) has already rejected the dtypes an op does not take, so
// each functor is only instantiated where it makes sense; integer arithmetic wraps like
// PyTorch's, and the few integer cases C++ leaves undefined (division by zero, INT_MIN / -1,
// shifts past the width) are given PyTorch's results or errors explicitly.
#include "cpu/binary_math_stubs.h"
#include "cpu/checked_loop.h"
#include "cpu/loops.h"
#include "cpu/vec_atan.h"
#include "cpu/vec_fmod.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace cmp::cpu {
namespace {

using ops::BinaryMathOp;

// Transcendental functions cost tens of cycles per element: parallelise sooner.
constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

template <typename M>
constexpr bool is_float_v = std::is_floating_point_v<M>;

// Integer division by zero is an error in PyTorch (a C++ trap here). The front-end prefixes
// the name the caller used (div, floor_divide, remainder_...).
[[noreturn]] [[gnu::noinline]] void zero_division(BinaryMathOp) {
    fail(CMP_STATUS_INVALID_ARGUMENT, "ZeroDivisionError (integer division by zero)");
}

// ---- integer division family: b == -1 is handled apart because INT_MIN / -1 overflows (UB),
// while PyTorch's result is the wrapped -INT_MIN == INT_MIN and a remainder of 0. ----------

template <typename T>
T int_div_trunc(T a, T b, BinaryMathOp op) {
    if (b == 0) zero_division(op);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return wrap_neg(a);
    }
    return static_cast<T>(a / b);
}

template <typename T>
T int_div_floor(T a, T b, BinaryMathOp op) {
    if (b == 0) zero_division(op);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return wrap_neg(a);
        const T q = static_cast<T>(a / b);
        // Truncation rounded toward zero; step down when the exact quotient was negative.
        return (a % b != 0 && ((a < 0) != (b < 0))) ? static_cast<T>(q - 1) : q;
    } else {
        return static_cast<T>(a / b);
    }
}

// fmod: the remainder takes the dividend's sign (C's %).
template <typename T>
T int_fmod(T a, T b, BinaryMathOp op) {
    if (b == 0) zero_division(op);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T(0);
    }
    return static_cast<T>(a % b);
}

// remainder: the remainder takes the divisor's sign (Python's %).
template <typename T>
T int_remainder(T a, T b, BinaryMathOp op) {
    T r = int_fmod(a, b, op);
    if constexpr (std::is_signed_v<T>) {
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    }
    return r;
}

// ---- floating division family --------------------------------------------------------------

// Python's float floor division. floor(a / b) alone is wrong when a / b rounds up to an
// integer (e.g. 1 / 0.1 rounds to 10 though the exact quotient is 9.99...); instead the exact
// remainder (fmod) is taken out first so (a - mod) / b is (nearly) an integer, then corrected.
// LibmOps are std::fmod and std::floor; FastOps their vectorisable equivalents
// (cpu/vec_fmod.h) on the pairs those are exact for.
struct LibmOps {
    template <typename M>
    static M fmod(M a, M b) { return std::fmod(a, b); }
    template <typename M>
    static M floor(M x) { return std::floor(x); }
};
struct FastOps {
    template <typename M>
    static M fmod(M a, M b) { return fmod_fast(a, b); }
    template <typename M>
    static M floor(M x) { return floor_fast(x); }
};

template <typename M, typename Fn = LibmOps>
CMP_VEC_INLINE M float_div_floor(M a, M b, Fn = {}) {
    // Written with selects, not early returns, so that the loop vectorises with FastOps.
    const M quotient = a / b;
    const M mod = Fn::fmod(a, b);
    M div = (a - mod) / b;
    div = (mod != M(0) && ((b < M(0)) != (mod < M(0)))) ? div - M(1) : div;
    M fl = Fn::floor(div);
    fl = div - fl > M(0.5) ? fl + M(1) : fl;  // div was a hair below an integer: round to it
    fl = div == M(0) ? std::copysign(M(0), quotient) : fl;
    return b == M(0) ? quotient : fl;  // b == 0: ±inf or NaN, as true division gives
}

template <typename M, typename Fn = LibmOps>
CMP_VEC_INLINE M float_remainder(M a, M b, Fn = {}) {
    M mod = Fn::fmod(a, b);
    if (mod != M(0) && ((b < M(0)) != (mod < M(0)))) mod += b;
    return mod;
}

// ---- pow ------------------------------------------------------------------------------------

// Exponentiation by squaring with wrap-around; a negative exponent truncates 1/a^|b| toward
// zero, which is 0 except for a = ±1 (PyTorch's integer pow).
template <typename T>
T int_pow(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
        if (b < 0) {
            if (a == 1) return T(1);
            if (a == -1) return (b & 1) ? T(-1) : T(1);
            return T(0);
        }
    }
    T result = 1;
    T base = a;
    using U = std::make_unsigned_t<T>;
    U e = static_cast<U>(b);
    while (e != 0) {
        if (e & 1) result = wrap_mul(result, base);
        e >>= 1;
        if (e != 0) base = wrap_mul(base, base);
    }
    return result;
}

// ---- shifts: C++ leaves shifts by a negative count or by >= the width undefined; PyTorch
// gives 0 for a left shift and the sign fill for a right shift. ---------------------------

template <typename T>
bool shift_out_of_range(T b) {
    constexpr int bits = static_cast<int>(sizeof(T) * 8);
    if constexpr (std::is_signed_v<T>) {
        if (b < 0) return true;
    }
    return b >= static_cast<T>(bits);
}

template <typename T>
T shift_left(T a, T b) {
    if (shift_out_of_range(b)) return T(0);
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) << static_cast<int>(b)));
}

template <typename T>
T shift_right(T a, T b) {
    constexpr int bits = static_cast<int>(sizeof(T) * 8);
    if (shift_out_of_range(b)) {
        if constexpr (std::is_signed_v<T>) return static_cast<T>(a >> (bits - 1));  // sign fill
        else return T(0);
    }
    return static_cast<T>(a >> static_cast<int>(b));
}

// ---- maximum / minimum --------------------------------------------------------------------

template <typename M>
M max_propagate_nan(M a, M b) {
    if constexpr (is_float_v<M>) {
        if (a != a) return a;
        if (b != b) return b;
    }
    return a < b ? b : a;
}

template <typename M>
M min_propagate_nan(M a, M b) {
    if constexpr (is_float_v<M>) {
        if (a != a) return a;
        if (b != b) return b;
    }
    return b < a ? b : a;
}

template <typename M>
M max_ignore_nan(M a, M b) {
    if constexpr (is_float_v<M>) return std::fmax(a, b);
    else return a < b ? b : a;
}

template <typename M>
M min_ignore_nan(M a, M b) {
    if constexpr (is_float_v<M>) return std::fmin(a, b);
    else return b < a ? b : a;
}

template <typename T, typename F>
void run(TensorIterator& iter, F f, int64_t grain = kDefaultGrain) {
    iter.for_each(pointwise_loop<T, T, T>(f), grain);
}

// fmod, remainder and floor division on float opmath: `fast` (built on fmod_fast, vectorised) on
// the blocks where every pair passes fmod_fast_ok, `exact` (the std::fmod definition) on the rest.
template <typename T, typename Fast, typename Exact>
void run_fmod_family(TensorIterator& iter, Fast fast, Exact exact) {
    const auto ok = [](opmath_t<T> a, opmath_t<T> b) { return fmod_fast_ok(a, b); };
    iter.for_each(checked_pointwise_loop<T, T, T>(ok, fast, exact));
}

template <typename T, typename F>
void run_logical(TensorIterator& iter, F f) {
    iter.for_each(pointwise_loop<bool, T, T>(f));
}

template <typename T>
void binary_math_typed(TensorIterator& iter, BinaryMathOp op) {
    using M = opmath_t<T>;
    constexpr bool fp = is_float_v<M>;
    // float opmath (float32/16, bfloat16) everywhere, float64 where the ISA has an FMA.
    constexpr bool fast_fmod = std::is_same_v<M, float> || (std::is_same_v<M, double> && kFmodFast64);
    constexpr bool integer = is_int_v<T>;
    constexpr bool boolean = std::is_same_v<T, bool>;
    switch (op) {
        case BinaryMathOp::DivTrunc:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return std::trunc(a / b); });
            else if constexpr (integer) return run<T>(iter, [op](T a, T b) { return int_div_trunc(a, b, op); });
            break;
        case BinaryMathOp::DivFloor:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return float_div_floor(a, b, FastOps{}); },
                                          [](M a, M b) { return float_div_floor(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return float_div_floor(a, b); });
            else if constexpr (integer) return run<T>(iter, [op](T a, T b) { return int_div_floor(a, b, op); });
            break;
        case BinaryMathOp::Remainder:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return float_remainder(a, b, FastOps{}); },
                                          [](M a, M b) { return float_remainder(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return float_remainder(a, b); });
            else if constexpr (integer) return run<T>(iter, [op](T a, T b) { return int_remainder(a, b, op); });
            break;
        case BinaryMathOp::Fmod:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return fmod_fast(a, b); },
                                          [](M a, M b) { return std::fmod(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return std::fmod(a, b); });
            else if constexpr (integer) return run<T>(iter, [op](T a, T b) { return int_fmod(a, b, op); });
            break;
        case BinaryMathOp::Pow:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return std::pow(a, b); }, kTranscendentalGrain);
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_pow(a, b); });
            break;
        case BinaryMathOp::Atan2:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return atan2_v(a, b); }, kTranscendentalGrain);
            break;
        case BinaryMathOp::Hypot:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return hypot_v(a, b); }, kTranscendentalGrain);
            break;
        case BinaryMathOp::Copysign:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return std::copysign(a, b); });
            break;
        case BinaryMathOp::Maximum: return run<T>(iter, [](M a, M b) { return max_propagate_nan(a, b); });
        case BinaryMathOp::Minimum: return run<T>(iter, [](M a, M b) { return min_propagate_nan(a, b); });
        case BinaryMathOp::Fmax: return run<T>(iter, [](M a, M b) { return max_ignore_nan(a, b); });
        case BinaryMathOp::Fmin: return run<T>(iter, [](M a, M b) { return min_ignore_nan(a, b); });
        case BinaryMathOp::BitwiseAnd:
            if constexpr (integer || boolean) return run<T>(iter, [](T a, T b) { return static_cast<T>(a & b); });
            break;
        case BinaryMathOp::BitwiseOr:
            if constexpr (integer || boolean) return run<T>(iter, [](T a, T b) { return static_cast<T>(a | b); });
            break;
        case BinaryMathOp::BitwiseXor:
            if constexpr (integer || boolean) return run<T>(iter, [](T a, T b) { return static_cast<T>(a ^ b); });
            break;
        case BinaryMathOp::LeftShift:
            if constexpr (integer) return run<T>(iter, [](T a, T b) { return shift_left(a, b); });
            break;
        case BinaryMathOp::RightShift:
            if constexpr (integer) return run<T>(iter, [](T a, T b) { return shift_right(a, b); });
            break;
        case BinaryMathOp::LogicalAnd: return run_logical<T>(iter, [](M a, M b) { return a != M(0) && b != M(0); });
        case BinaryMathOp::LogicalOr: return run_logical<T>(iter, [](M a, M b) { return a != M(0) || b != M(0); });
        case BinaryMathOp::LogicalXor: return run_logical<T>(iter, [](M a, M b) { return (a != M(0)) != (b != M(0)); });
    }
    fail(CMP_STATUS_INTERNAL_ERROR,
         str("binary_math kernel: ", ops::binary_math_name(op), " not defined for dtype ", dtype_name(dtype_of<T>)));
}

void binary_math_kernel(TensorIterator& iter, BinaryMathOp op) {
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "binary_math", [&] { binary_math_typed<scalar_t>(iter, op); });
}

}  // namespace

CMP_REGISTER_KERNEL(binary_math_stub, binary_math_kernel)

}  // namespace cmp::cpu
