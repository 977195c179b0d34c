// The binary math family on CUDA (div with a rounding mode, floor_divide, remainder, fmod, pow,
// atan2, hypot, maximum/minimum, fmax/fmin, copysign, bitwise ops, shifts, logical ops),
// through the one elementwise engine. The op table is the core's (cpu/binary_math_list.h) and
// the element definitions are the CPU kernels' own (cpu/binary_math_scalar.h, compiled here as
// __host__ __device__ functions), so the integer ops, the division family, shifts, max/min and
// copysign give the CPU's bits; pow, atan2 and hypot call the CUDA math library (docs/CUDA.md
// gives their tolerances). 16-bit floats compute in float32, as on the CPU.
//
// As unary_math.cu: one functor per dtype switching on the op (uniform across the grid), launched
// without the 4-wide vectorised kernel, so 3 kernels per dtype for the math ops and 3 for the
// logical ops whatever the length of the table.
//
// An integer division by zero is an error on the CPU. Here the functor raises a device flag and
// returns 0; the flag is read after the kernel (synchronising the stream, for integer division
// ops only) and the CPU's message is returned.
#include "cpu/binary_math_list.h"
#include "cpu/binary_math_scalar.h"
#include "cuda/device_flag.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"

namespace cmp::cuda_backend {

namespace {

using cpu::BinaryMathOp;
namespace bs = cpu::binary_scalar;

template <typename T>
constexpr bool accepts(BinaryMathOp op) {
    return cpu::binary_kernel_accepts(op, is_float_v<T>, std::is_same_v<T, bool>);
}

// The ops whose integer kernels divide (and so can meet a zero divisor).
constexpr bool divides(BinaryMathOp op) {
    return op == BinaryMathOp::DivTrunc || op == BinaryMathOp::DivFloor || op == BinaryMathOp::Remainder ||
           op == BinaryMathOp::Fmod;
}

struct RaiseFlag {
    int32_t* flag;
    __device__ void operator()() const { *flag = 1; }
};

// Operand 0 = operand 1 (op) operand 2, all of storage type T: every op of the table T takes,
// except the logical ones.
template <typename T>
struct BinaryMathFn {
    using M = opmath_t<T>;
    BinaryMathOp op;
    int32_t* zero_division;  // raised by integer division by zero (null where no op divides integers)

    __device__ T operator()(T a, T b) const { return from_opmath<T>(apply(to_opmath(a), to_opmath(b))); }

    __device__ M apply(M x, M y) const {
        constexpr bool fp = std::is_floating_point_v<M>;
        constexpr bool integer = is_int_v<M>;
        constexpr bool bits = integer || std::is_same_v<M, bool>;
        const RaiseFlag on_zero{zero_division};
        switch (op) {
            case BinaryMathOp::DivTrunc:
                if constexpr (fp) return bs::float_div_trunc(x, y);
                else if constexpr (integer) return bs::int_div_trunc(x, y, on_zero);
                break;
            case BinaryMathOp::DivFloor:
                if constexpr (fp) return bs::float_div_floor(x, y);
                else if constexpr (integer) return bs::int_div_floor(x, y, on_zero);
                break;
            case BinaryMathOp::Remainder:
                if constexpr (fp) return bs::float_remainder(x, y);
                else if constexpr (integer) return bs::int_remainder(x, y, on_zero);
                break;
            case BinaryMathOp::Fmod:
                if constexpr (fp) return bs::fmod_of(x, y);
                else if constexpr (integer) return bs::int_fmod(x, y, on_zero);
                break;
            case BinaryMathOp::Pow:
                if constexpr (fp) return bs::pow_of(x, y);
                else if constexpr (integer) return bs::int_pow(x, y);
                break;
            case BinaryMathOp::Atan2:
                if constexpr (fp) return bs::atan2_of(x, y);
                break;
            case BinaryMathOp::Hypot:
                if constexpr (fp) return bs::hypot_of(x, y);
                break;
            case BinaryMathOp::Copysign:
                if constexpr (fp) return bs::copysign_of(x, y);
                break;
            case BinaryMathOp::Maximum: return bs::extremum_propagate_nan<true>(x, y);
            case BinaryMathOp::Minimum: return bs::extremum_propagate_nan<false>(x, y);
            case BinaryMathOp::Fmax: return bs::extremum_ignore_nan<true>(x, y);
            case BinaryMathOp::Fmin: return bs::extremum_ignore_nan<false>(x, y);
            case BinaryMathOp::BitwiseAnd:
                if constexpr (bits) return static_cast<M>(x & y);
                break;
            case BinaryMathOp::BitwiseOr:
                if constexpr (bits) return static_cast<M>(x | y);
                break;
            case BinaryMathOp::BitwiseXor:
                if constexpr (bits) return static_cast<M>(x ^ y);
                break;
            case BinaryMathOp::LeftShift:
                if constexpr (integer) return bs::shift_left(x, y);
                break;
            case BinaryMathOp::RightShift:
                if constexpr (integer) return bs::shift_right(x, y);
                break;
            case BinaryMathOp::LogicalAnd:
            case BinaryMathOp::LogicalOr:
            case BinaryMathOp::LogicalXor: break;  // LogicalFn
        }
        return x;  // not reached: the host checked op and dtype
    }
};

// Operand 0 (bool) = operand 1 (op) operand 2, the inputs of storage type T.
template <typename T>
struct LogicalFn {
    using M = opmath_t<T>;
    BinaryMathOp op;
    __device__ bool operator()(T a, T b) const {
        const bool x = to_opmath(a) != M(0), y = to_opmath(b) != M(0);
        switch (op) {
            case BinaryMathOp::LogicalAnd: return x && y;
            case BinaryMathOp::LogicalOr: return x || y;
            default: return x != y;  // LogicalXor (the host sends no other op)
        }
    }
};

bool known_op(int32_t op) {
    switch (static_cast<BinaryMathOp>(op)) {
#define CMP_CUDA_BINARY_KNOWN(Name, name, inplace, domain, int_to_float, bool_out) case BinaryMathOp::Name:
        CMP_BINARY_MATH_OPS(CMP_CUDA_BINARY_KNOWN)
#undef CMP_CUDA_BINARY_KNOWN
        return true;
    }
    return false;
}

}  // namespace

int32_t binary_math(const compute_cuda_iter* it, int32_t op_value) {
    return guard("cuda binary math", [&] {
        if (!known_op(op_value)) fail(CMP_STATUS_INTERNAL_ERROR, "cuda binary math: unknown op ", op_value);
        if (it->noperands != 3 || it->dtypes[1] != it->dtypes[2])
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda binary math: expected 3 operands, the inputs of one dtype");
        const auto op = static_cast<BinaryMathOp>(op_value);
        const bool logical = cpu::binary_bool_out(op);
        if (logical ? it->dtypes[0] != CMP_DTYPE_BOOL : it->dtypes[0] != it->dtypes[1])
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda binary math: op ", op_value, " cannot write dtype ", it->dtypes[0],
                 " from dtype ", it->dtypes[1]);
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[1], "cuda binary math", [&] {
            if (!accepts<scalar_t>(op))
                fail(CMP_STATUS_INTERNAL_ERROR, "cuda binary math: op ", op_value, " is not defined for dtype ",
                     it->dtypes[1]);
            if (logical) return launch_no_vector<bool, scalar_t, scalar_t>(*it, LogicalFn<scalar_t>{op});
            if constexpr (is_int_v<scalar_t>) {
                if (divides(op)) {
                    const DeviceFlag zero_division(it->device, it->stream);
                    launch_no_vector<scalar_t, scalar_t, scalar_t>(*it, BinaryMathFn<scalar_t>{op, zero_division.get()});
                    if (zero_division.raised()) fail(CMP_STATUS_INVALID_ARGUMENT, cpu::kIntegerDivisionByZero);
                    return;
                }
            }
            launch_no_vector<scalar_t, scalar_t, scalar_t>(*it, BinaryMathFn<scalar_t>{op, nullptr});
        });
    });
}

}  // namespace cmp::cuda_backend
