// Kernels of the unary math family (table in cpu/unary_math_stubs.h): one functor per op,
// applied by the shared pointwise loops, so the dense loop vectorises whenever the functor does
// (cpu/unary_math_vec.h, cpu/vec_hyperbolic.h, cpu/vec_erfinv.h, cpu/vec_trig.h, cpu/vec_atan.h,
// cpu/vec_gamma.h; the rest call the C library or special_math.h: lgamma and digamma at the
// baseline ISA, polygamma).
// Functors are
// templated on the storage type T and compute in opmath_t<T> (float for float16/bfloat16).
#include "cpu/checked_loop.h"
#include "cpu/loops.h"
#include "cpu/special_math.h"
#include "cpu/unary_math_stubs.h"
#include "cpu/unary_math_vec.h"
#include "cpu/vec_atan.h"
#include "cpu/vec_erfinv.h"
#include "cpu/vec_gamma.h"
#include "cpu/vec_hyperbolic.h"
#include "cpu/vec_trig.h"

#include <cmath>
#include <limits>
#include <type_traits>

namespace cmp::cpu {
namespace {

constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

template <typename T>
constexpr bool is_float_v = std::is_floating_point_v<opmath_t<T>>;

// ---- helpers shared by several functors -------------------------------------------------

// erfc: the vectorised ones (float16/bfloat16 computed in float). erf is verf
// (cpu/unary_math_vec.h), shared with GELU's derivative.
// Forced inline (as every per-element helper, see vec_math.h): out of line, erf made the exact
// GELU one call per element, 18x slower.
CMP_VEC_INLINE float erfc_any(float x) { return erfc_f32(x); }
CMP_VEC_INLINE double erfc_any(double x) { return erfc_f64(x); }

// min(max(x, lo), hi) keeping a NaN x (comparisons with NaN are false, so x falls through), as
// two selects on x alone: t = x > hi ? hi : x, then lo where x < lo. That is min(max(x, lo), hi)
// when lo <= hi; when lo > hi the result is hi for every non-NaN x, which the same selects give
// with lo replaced by hi, so lo must be clamp_lower(lo, hi). (GCC's if-conversion turned the
// chained form, max then min, into 9 AVX2 operations per vector, this into 4: relu6 0.66 -> 1.1
// and clamp 0.83 -> 1.06 of PyTorch at AVX2.)
template <typename M>
CMP_VEC_INLINE M clamp_keep_nan(M x, M lo, M hi) {
    const M t = x > hi ? hi : x;
    return x < lo ? lo : t;
}
template <typename M>
constexpr M clamp_lower(M lo, M hi) {
    return lo > hi ? hi : lo;
}

// ELU family: x > 0 ? x * scale : (e^(x * input_scale) - 1) * alpha * scale, PyTorch's one
// kernel behind elu, selu and celu. PyTorch 1.13 computes e^x - 1, not expm1 (so tiny negative
// inputs give exactly 0); the same formula keeps the results within ulps of its.
template <typename M>
struct EluCoefficients {
    M negcoef, poscoef, negiptcoef;
    CMP_VEC_INLINE M operator()(M x) const { return x <= M(0) ? (vexp(x * negiptcoef) - M(1)) * negcoef : x * poscoef; }
};

// erfinv: the vectorised ones (cpu/vec_erfinv.h; float16/bfloat16 computed in float).
CMP_VEC_INLINE float erfinv_any(float x) { return erfinv_f32(x); }
CMP_VEC_INLINE double erfinv_any(double x) { return erfinv_f64(x); }

// lgamma and digamma: the vectorised ones (float16/bfloat16 computed in float) where they
// vectorise (kGammaVectorised), the C library's lgamma and the shared scalar digamma otherwise.
CMP_VEC_INLINE float lgamma_any(float x) {
    int sign;
    if constexpr (kGammaVectorised) return lgamma_f32(x);
    else return ::lgammaf_r(x, &sign);  // the _r form: plain lgamma writes the global signgam (a data race)
}
CMP_VEC_INLINE double lgamma_any(double x) {
    int sign;
    if constexpr (kGammaVectorised) return lgamma_f64(x);
    else return ::lgamma_r(x, &sign);
}
CMP_VEC_INLINE float digamma_any(float x) {
    if constexpr (kGammaVectorised) return digamma_f32(x);
    else return static_cast<float>(special::digamma_f64(x));
}
CMP_VEC_INLINE double digamma_any(double x) {
    if constexpr (kGammaVectorised) return digamma_f64(x);
    else return special::digamma_f64(x);
}

// ---- the functors -----------------------------------------------------------------------

#define CMP_UNARY_FN(Name, ...)                                           \
    template <typename T>                                                 \
    struct Name##Fn {                                                     \
        using M = opmath_t<T>;                                            \
        explicit Name##Fn(const UnaryMathParams&) {}                      \
        CMP_VEC_INLINE auto operator()(M x) const { return __VA_ARGS__; } \
    };

// fabs for floats (abs(-0.0) is +0.0); integers wrap like PyTorch (abs(INT_MIN) = INT_MIN).
CMP_UNARY_FN(Abs, [](M v) { if constexpr (is_float_v<T>) return std::fabs(v); else return v < M(0) ? wrap_neg(v) : v; }(x))
// (0 < x) - (x < 0): NaN and +-0 give 0, as PyTorch; unsigned and bool values are never < 0.
CMP_UNARY_FN(Sign, static_cast<M>(static_cast<int>(M(0) < x) - static_cast<int>(x < M(0))))
CMP_UNARY_FN(Sqrt, std::sqrt(x))
CMP_UNARY_FN(Rsqrt, M(1) / std::sqrt(x))
CMP_UNARY_FN(Square, wrap_mul(x, x))
CMP_UNARY_FN(Exp2, vexp2(x))
CMP_UNARY_FN(Expm1, vexpm1(x))
CMP_UNARY_FN(Log, vlog(x))
CMP_UNARY_FN(Log2, vlog2(x))
CMP_UNARY_FN(Log10, vlog10(x))
CMP_UNARY_FN(Log1p, vlog1p(x))
CMP_UNARY_FN(Asin, asin_v(x))
CMP_UNARY_FN(Acos, acos_v(x))
CMP_UNARY_FN(Atan, atan_v(x))
CMP_UNARY_FN(Sinh, sinh_v(x))
CMP_UNARY_FN(Cosh, cosh_v(x))
CMP_UNARY_FN(Tanh, vtanh(x))
CMP_UNARY_FN(Asinh, asinh_v(x))
CMP_UNARY_FN(Acosh, acosh_v(x))
CMP_UNARY_FN(Atanh, atanh_v(x))
CMP_UNARY_FN(Sigmoid, vsigmoid(x))
CMP_UNARY_FN(Erf, verf(x))
CMP_UNARY_FN(Erfc, erfc_any(x))
CMP_UNARY_FN(Erfinv, erfinv_any(x))
CMP_UNARY_FN(Lgamma, lgamma_any(x))
CMP_UNARY_FN(Digamma, digamma_any(x))
// Integer inputs are already integral: floor/ceil/trunc/round are the identity on them.
CMP_UNARY_FN(Floor, [](M v) { if constexpr (is_float_v<T>) return std::floor(v); else return v; }(x))
CMP_UNARY_FN(Ceil, [](M v) { if constexpr (is_float_v<T>) return std::ceil(v); else return v; }(x))
CMP_UNARY_FN(Trunc, [](M v) { if constexpr (is_float_v<T>) return std::trunc(v); else return v; }(x))
// nearbyint rounds half to even in the default rounding mode, like torch.round.
CMP_UNARY_FN(Round, [](M v) { if constexpr (is_float_v<T>) return std::nearbyint(v); else return v; }(x))
CMP_UNARY_FN(Frac, x - std::trunc(x))
CMP_UNARY_FN(Reciprocal, M(1) / x)
// x < 0 ? 0 : x keeps NaN and -0.0, as PyTorch's clamp_min(x, 0).
CMP_UNARY_FN(Relu, (x < M(0) ? M(0) : x))
CMP_UNARY_FN(Relu6, clamp_keep_nan(x, M(0), M(6)))
CMP_UNARY_FN(Silu, x / (M(1) + vexp(-x)))
CMP_UNARY_FN(Mish, x * vtanh(vlog1p(vexp(x))))
CMP_UNARY_FN(Hardsigmoid, std::min(std::max(x + M(3), M(0)), M(6)) / M(6))
CMP_UNARY_FN(Hardswish, x * std::min(std::max(x + M(3), M(0)), M(6)) / M(6))
// min(x, 0) - log1p(e^-|x|): never overflows.
CMP_UNARY_FN(Logsigmoid, (x < M(0) ? x : M(0)) - vlog1p(vexp(x < M(0) ? x : -x)))
CMP_UNARY_FN(BitwiseNot, [](M v) { if constexpr (std::is_same_v<M, bool>) return !v; else return static_cast<M>(~v); }(x))
CMP_UNARY_FN(Isnan, x != x)
CMP_UNARY_FN(Isinf, [](M v) { if constexpr (is_float_v<T>) return std::isinf(v); else return false; }(x))
CMP_UNARY_FN(Isfinite, [](M v) { if constexpr (is_float_v<T>) return std::isfinite(v); else return true; }(x))
CMP_UNARY_FN(LogicalNot, x == M(0))
#undef CMP_UNARY_FN

// sin, cos, tan: the vectorised functions of cpu/vec_trig.h, valid for |x| <= 2^26; `apply`
// gives a block of the loop holding any other value (or inf, NaN) to `exact`, the C library's,
// and (float opmath, where kTrigFloatLanes) a block within kTrigFloatLanesMax to float_lanes.
#define CMP_TRIG_FN(Name, name)                                                                  \
    template <typename T>                                                                        \
    struct Name##Fn {                                                                            \
        using M = opmath_t<T>;                                                                   \
        explicit Name##Fn(const UnaryMathParams&) {}                                             \
        CMP_VEC_INLINE M operator()(M x) const { return v##name(x); }                            \
        CMP_VEC_INLINE static bool vector_ok(M x) { return trig_vector_ok(x); }                  \
        CMP_VEC_INLINE static bool float_lanes_ok(float x) { return trig_float_lanes_ok(x); }    \
        CMP_VEC_INLINE static float float_lanes(float x) { return name##_f32(x); }               \
        static M exact(M x) { return std::name(x); }                                             \
    };
CMP_TRIG_FN(Sin, sin)
CMP_TRIG_FN(Cos, cos)
CMP_TRIG_FN(Tan, tan)
#undef CMP_TRIG_FN

// Whether a functor's vectorised form holds only where its vector_ok does.
template <typename F, typename = void>
constexpr bool has_vector_range = false;
template <typename F>
constexpr bool has_vector_range<F, std::void_t<decltype(&F::vector_ok)>> = true;

template <typename T>
struct SeluFn {
    using M = opmath_t<T>;
    EluCoefficients<M> elu;
    // SELU's constants (Klambauer et al. 2017), converted to M like PyTorch's Scalars.
    explicit SeluFn(const UnaryMathParams&)
        : elu{M(1.6732632423543772848170429916717) * M(1.0507009873554804934193349852946),
              M(1.0507009873554804934193349852946), M(1)} {}
    CMP_VEC_INLINE M operator()(M x) const { return elu(x); }
};

template <typename T>
struct EluFn {
    using M = opmath_t<T>;
    EluCoefficients<M> elu;
    explicit EluFn(const UnaryMathParams& p) : elu{M(p.a), M(1), M(1)} {}
    CMP_VEC_INLINE M operator()(M x) const { return elu(x); }
};

template <typename T>
struct CeluFn {  // elu with input scale 1/alpha (computed in double, as PyTorch does)
    using M = opmath_t<T>;
    EluCoefficients<M> elu;
    explicit CeluFn(const UnaryMathParams& p) : elu{M(p.a), M(1), M(1.0 / p.a)} {}
    CMP_VEC_INLINE M operator()(M x) const { return elu(x); }
};

template <typename T>
struct LogitFn {
    using M = opmath_t<T>;
    M lo, hi;
    bool clamp;
    explicit LogitFn(const UnaryMathParams& p) : lo(M(p.a)), hi(M(1) - M(p.a)), clamp(p.a >= 0.0) {}
    CMP_VEC_INLINE M operator()(M x) const {
        const M z = clamp ? (x < lo ? lo : (x > hi ? hi : x)) : x;
        return vlog(z / (M(1) - z));
    }
};

template <typename T>
struct RoundDecimalsFn {
    using M = opmath_t<T>;
    M ten_pow;
    bool negative;
    // 10^|decimals| in the compute type; negative decimals divide first, positive multiply.
    explicit RoundDecimalsFn(const UnaryMathParams& p)
        : ten_pow(static_cast<M>(std::pow(10.0, static_cast<double>(p.i < 0 ? -p.i : p.i)))), negative(p.i < 0) {}
    CMP_VEC_INLINE M operator()(M x) const {
        return negative ? std::nearbyint(x / ten_pow) * ten_pow : std::nearbyint(x * ten_pow) / ten_pow;
    }
};

template <typename T>
struct GeluFn {  // x * Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2 (vnormal_cdf says how)
    using M = opmath_t<T>;
    explicit GeluFn(const UnaryMathParams&) {}
    CMP_VEC_INLINE M operator()(M x) const { return x * vnormal_cdf(x); }
};

template <typename T>
struct GeluTanhFn {  // x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
    using M = opmath_t<T>;
    explicit GeluTanhFn(const UnaryMathParams&) {}
    CMP_VEC_INLINE M operator()(M x) const {
        constexpr M beta = M(0.79788456080286535588);  // sqrt(2/pi)
        constexpr M kappa = M(0.044715);
        const M inner = beta * (x + kappa * x * x * x);
        return M(0.5) * x * (M(1) + vtanh(inner));
    }
};

template <typename T>
struct SoftplusFn {
    using M = opmath_t<T>;
    M beta, threshold;
    explicit SoftplusFn(const UnaryMathParams& p) : beta(M(p.a)), threshold(M(p.b)) {}
    CMP_VEC_INLINE M operator()(M x) const { return x * beta > threshold ? x : vlog1p(vexp(x * beta)) / beta; }
};

template <typename T>
struct LeakyReluFn {
    using M = opmath_t<T>;
    M slope;
    explicit LeakyReluFn(const UnaryMathParams& p) : slope(M(p.a)) {}
    CMP_VEC_INLINE M operator()(M x) const { return x > M(0) ? x : x * slope; }
};

template <typename T>
struct HardtanhFn {
    using M = opmath_t<T>;
    M lo, hi;
    // NaN limits do not reach here (ops::hardtanh runs them as clamp, every result NaN).
    explicit HardtanhFn(const UnaryMathParams& p) : lo(clamp_lower(convert<M>(p.a), convert<M>(p.b))), hi(convert<M>(p.b)) {}
    CMP_VEC_INLINE M operator()(M x) const { return clamp_keep_nan(x, lo, hi); }
};

// The largest finite value of a storage type (Half and BFloat16 have no numeric_limits).
template <typename T>
constexpr opmath_t<T> storage_max() {
    if constexpr (std::is_same_v<T, Half>) return 65504.0f;
    else if constexpr (std::is_same_v<T, BFloat16>) return 3.38953138925153547590e38f;  // 0x7f7f
    else return std::numeric_limits<T>::max();
}

template <typename T>
struct NanToNumFn {
    using M = opmath_t<T>;
    M nan, posinf, neginf;
    // posinf/neginf default to the limits of the storage type (65504 for float16), resolved
    // here because the front-end does not know T; bits 0/1 of i say whether they were given.
    // Given values are rounded to T first, as PyTorch casts them to the tensor's type.
    explicit NanToNumFn(const UnaryMathParams& p)
        : nan(convert<M>(convert<T>(p.a))),
          posinf(p.i & 1 ? convert<M>(convert<T>(p.b)) : storage_max<T>()),
          neginf(p.i & 2 ? convert<M>(convert<T>(p.c)) : static_cast<M>(is_float_v<T> ? -storage_max<T>() : std::numeric_limits<M>::lowest())) {}
    CMP_VEC_INLINE M operator()(M x) const {
        if constexpr (is_float_v<T>) {
            return x != x ? nan : (x == std::numeric_limits<M>::infinity() ? posinf : (x == -std::numeric_limits<M>::infinity() ? neginf : x));
        } else {
            return x;
        }
    }
};

template <typename T>
struct PolygammaFn {
    using M = opmath_t<T>;
    int64_t n;
    explicit PolygammaFn(const UnaryMathParams& p) : n(p.i) {}
    // n = 0 is digamma's own function (vectorised where digamma is), so the two ops agree bit for bit.
    CMP_VEC_INLINE M operator()(M x) const {
        return n == 0 ? digamma_any(x) : static_cast<M>(special::polygamma_f64(n, static_cast<double>(x)));
    }
};

// ---- dispatch ---------------------------------------------------------------------------

template <typename T>
constexpr bool domain_accepts(UnaryDomain d) {
    return cpu::domain_accepts(d, is_float_v<T>, std::is_same_v<T, bool>);
}

template <UnaryMathOp Op, template <typename> class Fn, typename T>
void apply(TensorIterator& iter, const UnaryMathParams& p) {
    constexpr UnaryDomain d = unary_domain(Op);
    if constexpr (domain_accepts<T>(d)) {
        const Fn<T> f(p);
        const int64_t grain = d == UnaryDomain::FloatPromote || d == UnaryDomain::FloatOnly ? kTranscendentalGrain : kDefaultGrain;
        if constexpr (has_vector_range<Fn<T>>) {
            using M = opmath_t<T>;
            const auto ok = [](M x) { return Fn<T>::vector_ok(x); };
            const auto exact = [](M x) { return Fn<T>::exact(x); };
            if constexpr (std::is_same_v<M, float> && kTrigFloatLanes) {  // the trig functors, the only ones with a range
                iter.for_each(tiered_pointwise_loop<T, T>([](float x) { return Fn<T>::float_lanes_ok(x); },
                                                          [](float x) { return Fn<T>::float_lanes(x); }, ok, f, exact),
                              grain);
            } else {
                iter.for_each(checked_pointwise_loop<T, T>(ok, f, exact), grain);
            }
        } else if constexpr (d == UnaryDomain::Predicate) {
            iter.for_each(pointwise_loop<bool, T>(f), grain);
        } else {
            iter.for_each(pointwise_loop<T, T>(f), grain);
        }
    } else {
        fail(CMP_STATUS_INTERNAL_ERROR, str("unary math kernel: op ", static_cast<int>(Op), " not defined for dtype ",
                                            dtype_name(dtype_of<T>)));
    }
}

template <typename T>
void unary_math_typed(TensorIterator& iter, UnaryMathOp op, const UnaryMathParams& p) {
    switch (op) {
#define CMP_UNARY_CASE(Name, name, domain, inplace) \
    case UnaryMathOp::Name:                         \
        return apply<UnaryMathOp::Name, Name##Fn, T>(iter, p);
        CMP_UNARY_MATH_OPS(CMP_UNARY_CASE)
#undef CMP_UNARY_CASE
    }
}

void unary_math_kernel(TensorIterator& iter, UnaryMathOp op, const UnaryMathParams& p) {
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "unary math", [&] { unary_math_typed<scalar_t>(iter, op, p); });
}

// Clamp. With nan_bounds a NaN bound makes the result NaN (PyTorch's clamp.Tensor, and its
// clamp.Scalar with two bounds); without, a NaN bound is ignored (a single number bound, its
// clamp_min/clamp_max). A NaN input stays NaN either way.
template <typename T>
void clamp_typed(TensorIterator& iter, ClampMode mode, bool nan_bounds) {
    using M = opmath_t<T>;
    auto nan_of = [nan_bounds](M bound, M r) {
        if constexpr (is_float_v<T>) return nan_bounds && bound != bound ? bound : r;
        else return r;
    };
    auto lower = [nan_of](M x, M lo) { return nan_of(lo, x < lo ? lo : x); };
    auto upper = [nan_of](M x, M hi) { return nan_of(hi, x > hi ? hi : x); };
    switch (mode) {
        case ClampMode::Both: {
            auto both = [lower, upper](M x, M lo, M hi) { return upper(lower(x, lo), hi); };
            const auto general = pointwise_loop<T, T, T, T>(both);
            // Number bounds arrive as two stride-0 operands; the shared loops hoist only one
            // broadcast input, so this case (clamp(x, a, b), the common one) would run the
            // scalar strided loop (0.16x PyTorch). Read both bounds once and run a one-input loop.
            iter.for_each([&](char** data, const int64_t* s, int64_t n) {
                if (s[2] != 0 || s[3] != 0) return general(data, s, n);
                M lo = static_cast<M>(*reinterpret_cast<const T*>(data[2]));
                M hi = static_cast<M>(*reinterpret_cast<const T*>(data[3]));
                char* pair[2] = {data[0], data[1]};
                const int64_t pair_strides[2] = {s[0], s[1]};
                if constexpr (is_float_v<T>) {
                    // A NaN bound beside another makes every result NaN (ops::clamp passes number
                    // bounds so as nan_bounds), which the two selects below would not give.
                    if (lo != lo || hi != hi) return pointwise_loop<T, T>([both, lo, hi](M x) { return both(x, lo, hi); })(pair, pair_strides, n);
                }
                lo = clamp_lower(lo, hi);
                pointwise_loop<T, T>([lo, hi](M x) { return clamp_keep_nan(x, lo, hi); })(pair, pair_strides, n);
            });
            return;
        }
        case ClampMode::Min: iter.for_each(pointwise_loop<T, T, T>(lower)); return;
        case ClampMode::Max: iter.for_each(pointwise_loop<T, T, T>(upper)); return;
    }
}

void clamp_kernel(TensorIterator& iter, ClampMode mode, bool nan_bounds) {
    // Bool only reaches here with one tensor bound (the front-end checks): max/min of bools.
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "clamp", [&] { clamp_typed<scalar_t>(iter, mode, nan_bounds); });
}

}  // namespace

CMP_REGISTER_KERNEL(unary_math_stub, unary_math_kernel)
CMP_REGISTER_KERNEL(clamp_stub, clamp_kernel)

}  // namespace cmp::cpu
