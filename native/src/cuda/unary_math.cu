// The unary math family and clamp on CUDA, through the one elementwise engine. The op table is
// the core's (cpu/unary_math_list.h), the math of each op is in unary_math_ops.cuh.
//
// Build time: one kernel per op and dtype would be about 60 ops x 4 dtypes x 4 layouts of
// kernels for 5 architectures. Instead each dtype has one functor that switches on the op
// (a value the whole grid shares, so the branch never diverges): 3 kernels per dtype for the
// math ops and 3 for the predicates, whatever the length of the table. They are launched
// without the 4-element vectorised kernel: it unrolls the functor, and so the whole switch,
// four times, which doubled the library's size (22 -> 44 MB) for a bandwidth gain only the
// cheapest ops would see.
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/unary_math_ops.cuh"

#include <cmath>
#include <limits>

namespace cmp::cuda_backend {

namespace {

constexpr bool is_predicate(UnaryMathOp op) { return cpu::unary_domain(op) == UnaryDomain::Predicate; }

// Operand 0 = op(operand 1), both of storage type T: every op of the table T can take, except
// the predicates.
template <typename T>
struct UnaryMathFn {
    using M = opmath_t<T>;
    UnaryMathOp op;
    UnaryArgs<M> p;
    __device__ T operator()(T v) const {
        const M x = to_opmath(v);
        switch (op) {
#define CMP_CUDA_UNARY_CASE(Name, name, domain, inplace)                                                  \
    case UnaryMathOp::Name:                                                                              \
        if constexpr (domain_accepts<T>(UnaryDomain::domain) && UnaryDomain::domain != UnaryDomain::Predicate) \
            return from_opmath<T>(static_cast<M>(UnaryOp<UnaryMathOp::Name>::apply(x, p)));                \
        break;
            CMP_UNARY_MATH_OPS(CMP_CUDA_UNARY_CASE)
#undef CMP_CUDA_UNARY_CASE
        }
        return v;  // not reached: the host checked op and dtype
    }
};

// Operand 0 (bool) = predicate(operand 1 of storage type T).
template <typename T>
struct PredicateFn {
    using M = opmath_t<T>;
    UnaryMathOp op;
    __device__ bool operator()(T v) const {
        const M x = to_opmath(v);
        const UnaryArgs<M> none{};
        switch (op) {
#define CMP_CUDA_PREDICATE_CASE(Name, name, domain, inplace)                  \
    case UnaryMathOp::Name:                                                  \
        if constexpr (UnaryDomain::domain == UnaryDomain::Predicate)         \
            return static_cast<bool>(UnaryOp<UnaryMathOp::Name>::apply(x, none)); \
        break;
            CMP_UNARY_MATH_OPS(CMP_CUDA_PREDICATE_CASE)
#undef CMP_CUDA_PREDICATE_CASE
        }
        return false;  // not reached
    }
};

// v rounded to storage type T and widened back to its compute type (PyTorch casts nan_to_num's
// replacement values to the tensor's type). 16-bit floats round through float, as the CPU does.
template <typename T>
opmath_t<T> rounded_to(double v) {
    if constexpr (std::is_same_v<T, half_t>) return __half2float(__float2half_rn(static_cast<float>(v)));
    else if constexpr (std::is_same_v<T, bf16_t>) return __bfloat162float(__float2bfloat16_rn(static_cast<float>(v)));
    else return static_cast<T>(v);
}

// The largest finite value of a floating storage type.
template <typename T>
opmath_t<T> storage_max() {
    if constexpr (std::is_same_v<T, half_t>) return 65504.0f;
    else if constexpr (std::is_same_v<T, bf16_t>) return 3.38953138925153547590e38f;  // 0x7f7f
    else return std::numeric_limits<T>::max();
}

// A double parameter as the compute type, as the CPU functors' convert<M>: integers the x86 way.
template <typename M>
M param_as(double v) {
    if constexpr (is_int_v<M>) return float_to_int<M>(v);
    else return static_cast<M>(v);
}

// The parameters of op for storage type T, resolved as the CPU functors' constructors do
// (cpu/kernels/unary_math.cpp), in the layout unary_math_ops.cuh documents per op.
template <typename T>
UnaryArgs<opmath_t<T>> prepare_unary_args(UnaryMathOp op, const compute_cuda_unary_params& p) {
    using M = opmath_t<T>;
    UnaryArgs<M> r{};
    r.i = p.i;
    if constexpr (!is_float_v<T>) {  // hardtanh (min, max) is the one op with parameters here
        r.a = param_as<M>(p.a);
        r.b = param_as<M>(p.b);
        return r;
    }
    switch (op) {
        case UnaryMathOp::Selu:  // SELU's constants (Klambauer et al. 2017)
            r.a = M(1.6732632423543772848170429916717) * M(1.0507009873554804934193349852946);
            r.b = M(1.0507009873554804934193349852946);
            r.c = M(1);
            break;
        case UnaryMathOp::Elu:
        case UnaryMathOp::Celu:  // celu: input scale 1/alpha, computed in double as PyTorch
            r.a = param_as<M>(p.a);
            r.b = M(1);
            r.c = op == UnaryMathOp::Celu ? param_as<M>(1.0 / p.a) : M(1);
            break;
        case UnaryMathOp::Logit:
            r.a = param_as<M>(p.a);
            r.b = M(1) - param_as<M>(p.a);
            r.flag = p.a >= 0.0;
            break;
        case UnaryMathOp::RoundDecimals:
            r.a = param_as<M>(std::pow(10.0, static_cast<double>(p.i < 0 ? -p.i : p.i)));
            r.flag = p.i < 0;
            break;
        case UnaryMathOp::NanToNum:
            r.a = rounded_to<T>(p.a);
            r.b = p.i & 1 ? rounded_to<T>(p.b) : storage_max<T>();
            r.c = p.i & 2 ? rounded_to<T>(p.c) : -storage_max<T>();
            break;
        default:  // softplus (beta, threshold), leaky_relu (slope), hardtanh (min, max)
            r.a = param_as<M>(p.a);
            r.b = param_as<M>(p.b);
            r.c = param_as<M>(p.c);
            break;
    }
    return r;
}

template <typename T>
bool accepts(UnaryMathOp op) {
    switch (op) {
#define CMP_CUDA_ACCEPTS(Name, name, domain, inplace) \
    case UnaryMathOp::Name:                           \
        return domain_accepts<T>(UnaryDomain::domain);
        CMP_UNARY_MATH_OPS(CMP_CUDA_ACCEPTS)
#undef CMP_CUDA_ACCEPTS
    }
    return false;
}

bool known_op(int32_t op) {
    switch (static_cast<UnaryMathOp>(op)) {
#define CMP_CUDA_KNOWN(Name, name, domain, inplace) case UnaryMathOp::Name:
        CMP_UNARY_MATH_OPS(CMP_CUDA_KNOWN)
#undef CMP_CUDA_KNOWN
        return true;
    }
    return false;
}

// Clamp, as the CPU's clamp_typed: with nan_bounds (tensor bounds, or two number bounds) a NaN
// bound gives NaN, without (one number bound) it is ignored; a NaN input stays NaN either way.
template <typename T>
struct ClampBound {
    using M = opmath_t<T>;
    bool nan_bounds;
    __device__ M nan_of(M bound, M r) const {
        if constexpr (std::is_floating_point_v<M>) return nan_bounds && bound != bound ? bound : r;
        else return r;
    }
    __device__ M lower(M x, M lo) const { return nan_of(lo, x < lo ? lo : x); }
    __device__ M upper(M x, M hi) const { return nan_of(hi, x > hi ? hi : x); }
};

template <typename T>
struct ClampBothFn {
    ClampBound<T> b;
    __device__ T operator()(T x, T lo, T hi) const {
        return from_opmath<T>(b.upper(b.lower(to_opmath(x), to_opmath(lo)), to_opmath(hi)));
    }
};

template <typename T>
struct ClampOneFn {
    ClampBound<T> b;
    bool is_min;
    __device__ T operator()(T x, T bound) const {
        return from_opmath<T>(is_min ? b.lower(to_opmath(x), to_opmath(bound)) : b.upper(to_opmath(x), to_opmath(bound)));
    }
};

}  // namespace

int32_t unary_math(const compute_cuda_iter* it, int32_t op_value, const compute_cuda_unary_params* params) {
    return guard("cuda unary math", [&] {
        if (!known_op(op_value)) fail(CMP_STATUS_INTERNAL_ERROR, "cuda unary math: unknown op ", op_value);
        if (it->noperands != 2) fail(CMP_STATUS_INTERNAL_ERROR, "cuda unary math: expected 2 operands");
        const auto op = static_cast<UnaryMathOp>(op_value);
        const bool predicate = is_predicate(op);
        if (predicate ? it->dtypes[0] != CMP_DTYPE_BOOL : it->dtypes[0] != it->dtypes[1])
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda unary math: op ", op_value, " cannot write dtype ", it->dtypes[0],
                 " from dtype ", it->dtypes[1]);
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[1], "cuda unary math", [&] {
            if (!accepts<scalar_t>(op))
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda unary math: op ", op_value, " is not defined for dtype ",
                     it->dtypes[1]);
            if (predicate) return launch_no_vector<bool, scalar_t>(*it, PredicateFn<scalar_t>{op});
            launch_no_vector<scalar_t, scalar_t>(*it, UnaryMathFn<scalar_t>{op, prepare_unary_args<scalar_t>(op, *params)});
        });
    });
}

int32_t clamp(const compute_cuda_iter* it, int32_t mode, int32_t nan_bounds_propagate) {
    return guard("cuda clamp", [&] {
        for (int k = 1; k < it->noperands; ++k)
            if (it->dtypes[k] != it->dtypes[0])
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda clamp: operand dtypes differ (", it->dtypes[0], " and ",
                     it->dtypes[k], ")");
        const auto m = static_cast<cpu::ClampMode>(mode);
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda clamp", [&] {
            const ClampBound<scalar_t> b{nan_bounds_propagate != 0};
            // Bounds are rarely dense vectors: no vectorised kernels (build time).
            if (m == cpu::ClampMode::Both)
                return launch_no_vector<scalar_t, scalar_t, scalar_t, scalar_t>(*it, ClampBothFn<scalar_t>{b});
            if (m != cpu::ClampMode::Min && m != cpu::ClampMode::Max)
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda clamp: unknown mode ", mode);
            launch_no_vector<scalar_t, scalar_t, scalar_t>(*it, ClampOneFn<scalar_t>{b, m == cpu::ClampMode::Min});
        });
    });
}

}  // namespace cmp::cuda_backend
