// Binary math kernels: division with rounding, remainder/fmod, pow, atan2, hypot,
// maximum/minimum/fmax/fmin, copysign, bitwise and shift ops, logical ops.
// The front-end (ops/binary_math.cpp) has already rejected the dtypes an op does not take, so
// each functor is only instantiated where it makes sense. The element definitions are
// cpu/binary_math_scalar.h, shared with the CUDA backend; this file adds the loops, the
// vectorised fmod and the error of an integer division by zero.
#include "cpu/binary_math_list.h"
#include "cpu/binary_math_scalar.h"
#include "cpu/binary_math_stubs.h"
#include "cpu/checked_loop.h"
#include "cpu/loops.h"
#include "cpu/vec_atan.h"
#include "cpu/vec_fmod.h"
#include "cpu/vec_pow.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

// The element lambdas of the largest bodies (pow, atan2, hypot) are forced inline: with all of
// them in binary_math_typed, GCC's inlining budget for the function ran out and left pow's and
// atan2's call operators out of line (one call per element; tools/check_vector_inlining.py),
// although each alone inlines. Written after the lambda's parameter list.
#if defined(__GNUC__)
#define CMP_VEC_LAMBDA __attribute__((always_inline))
#else
#define CMP_VEC_LAMBDA
#endif

namespace cmp::cpu {
namespace {

using namespace binary_scalar;

// Transcendental functions cost tens of cycles per element: parallelise sooner.
constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

// Integer division by zero is an error in PyTorch (a C++ trap here). The front-end prefixes
// the name the caller used (div, floor_divide, remainder_...).
[[noreturn]] [[gnu::noinline]] void zero_division() { fail(CMP_STATUS_INVALID_ARGUMENT, kIntegerDivisionByZero); }
constexpr auto kOnZero = [] { zero_division(); };

// The floating division family on the CPU: ExactOps (binary_math_scalar.h: the C library's
// fmod and floor) or, on the pairs fmod_fast_ok accepts, their vectorisable equals
// (cpu/vec_fmod.h), which give the same bits there.
struct FastOps {
    template <typename M>
    CMP_VEC_INLINE static M fmod(M a, M b) { return fmod_fast(a, b); }
    template <typename M>
    CMP_VEC_INLINE static M floor(M x) { return floor_fast(x); }
};

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
    constexpr bool fp = std::is_floating_point_v<M>;
    // float opmath (float32/16, bfloat16) everywhere, float64 where the ISA has an FMA.
    constexpr bool fast_fmod = std::is_same_v<M, float> || (std::is_same_v<M, double> && kFmodFast64);
    constexpr bool integer = is_int_v<T>;
    constexpr bool boolean = std::is_same_v<T, bool>;
    switch (op) {
        case BinaryMathOp::DivTrunc:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return float_div_trunc(a, b); });
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_div_trunc(a, b, kOnZero); });
            break;
        case BinaryMathOp::DivFloor:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return float_div_floor(a, b, FastOps{}); },
                                          [](M a, M b) { return float_div_floor(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return float_div_floor(a, b); });
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_div_floor(a, b, kOnZero); });
            break;
        case BinaryMathOp::Remainder:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return float_remainder(a, b, FastOps{}); },
                                          [](M a, M b) { return float_remainder(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return float_remainder(a, b); });
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_remainder(a, b, kOnZero); });
            break;
        case BinaryMathOp::Fmod:
            if constexpr (fast_fmod)
                return run_fmod_family<T>(iter, [](M a, M b) { return fmod_fast(a, b); },
                                          [](M a, M b) { return fmod_of(a, b); });
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return fmod_of(a, b); });
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_fmod(a, b, kOnZero); });
            break;
        case BinaryMathOp::Pow:
            // In vector lanes (cpu/vec_pow.h): float opmath (float32/16, bfloat16) everywhere,
            // in float lanes; float64 where the ISA has an FMA; the x86-64 baseline keeps the C
            // library's pow for float64, element by element (pow_f64 would call libm's fma there).
            if constexpr (std::is_same_v<M, float>)
                return run<T>(iter, [](M a, M b) CMP_VEC_LAMBDA { return pow_f32(a, b); }, kTranscendentalGrain);
            else if constexpr (std::is_same_v<M, double> && kPowFast64)
                return run<T>(iter, [](M a, M b) CMP_VEC_LAMBDA { return pow_f64(a, b); }, kTranscendentalGrain);
            else if constexpr (fp) return run<T>(iter, [](M a, M b) { return pow_of(a, b); }, kTranscendentalGrain);
            else if constexpr (integer) return run<T>(iter, [](T a, T b) { return int_pow(a, b); });
            break;
        case BinaryMathOp::Atan2:
            if constexpr (fp) return run<T>(iter, [](M a, M b) CMP_VEC_LAMBDA { return atan2_v(a, b); }, kTranscendentalGrain);
            break;
        case BinaryMathOp::Hypot:
            if constexpr (fp) return run<T>(iter, [](M a, M b) CMP_VEC_LAMBDA { return hypot_v(a, b); }, kTranscendentalGrain);
            break;
        case BinaryMathOp::Copysign:
            if constexpr (fp) return run<T>(iter, [](M a, M b) { return copysign_of(a, b); });
            break;
        case BinaryMathOp::Maximum: return run<T>(iter, [](M a, M b) { return extremum_propagate_nan<true>(a, b); });
        case BinaryMathOp::Minimum: return run<T>(iter, [](M a, M b) { return extremum_propagate_nan<false>(a, b); });
        case BinaryMathOp::Fmax: return run<T>(iter, [](M a, M b) { return extremum_ignore_nan<true>(a, b); });
        case BinaryMathOp::Fmin: return run<T>(iter, [](M a, M b) { return extremum_ignore_nan<false>(a, b); });
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
