// The pointwise kernels of the backend table: fill, copy/cast, unary (neg, exp, relu) and
// binary (add with alpha, mul, div). Each is a functor on element values handed to the one
// engine (elementwise.cuh); the semantics are the CPU kernels' (cpu/kernels/binary.cpp,
// copy.cpp, unary.cpp, unary_math.cpp): integer arithmetic wraps, 16-bit floats compute in
// float32, relu keeps NaN.
#include "cuda/entries.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"

namespace cmp::cuda_backend {

namespace {

template <typename T>
struct FillOp {
    opmath_t<T> value;
    __device__ T operator()() const { return from_opmath<T>(value); }
};

template <typename Out, typename In>
struct CastOp {
    __device__ Out operator()(In v) const { return convert<Out>(v); }
};

// Same-dtype copies move bits: 10 dtypes share 4 kernels by element size.
template <typename U>
struct BitsOp {
    __device__ U operator()(U v) const { return v; }
};

template <typename T>
struct NegOp {
    __device__ T operator()(T v) const {
        using M = opmath_t<T>;
        const M x = to_opmath(v);
        if constexpr (is_int_v<M>) return wrap_neg(x);
        else return from_opmath<T>(-x);
    }
};

template <typename T>
struct ExpOp {
    __device__ T operator()(T v) const {
        using M = opmath_t<T>;
        if constexpr (std::is_same_v<M, double>) return ::exp(to_opmath(v));
        else return from_opmath<T>(::expf(to_opmath(v)));
    }
};

template <typename T>
struct AddOp {
    opmath_t<T> alpha;
    __device__ T operator()(T a, T b) const {
        return from_opmath<T>(wrap_add(to_opmath(a), wrap_mul(alpha, to_opmath(b))));
    }
};

template <typename T>
struct MulOp {
    __device__ T operator()(T a, T b) const { return from_opmath<T>(wrap_mul(to_opmath(a), to_opmath(b))); }
};

template <typename T>
struct DivOp {
    __device__ T operator()(T a, T b) const { return from_opmath<T>(to_opmath(a) / to_opmath(b)); }
};

// Every operand of a unary/binary launch has the compute dtype (the core converted them).
void require_same_dtypes(const compute_cuda_iter& it, const char* what) {
    for (int k = 1; k < it.noperands; ++k)
        if (it.dtypes[k] != it.dtypes[0])
            fail(CMP_STATUS_INTERNAL_ERROR, what, ": operand dtypes differ (", it.dtypes[0], " and ", it.dtypes[k], ")");
}

template <typename Out>
void cast_from(const compute_cuda_iter& it) {
    CMP_CUDA_DISPATCH_ALL_TYPES(it.dtypes[1], "cuda copy", [&] {
        launch_no_vector<Out, scalar_t>(it, CastOp<Out, scalar_t>{});
    });
}

}  // namespace

int32_t fill(const compute_cuda_iter* it, cmp_scalar value) {
    return guard("cuda fill_", [&] {
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda fill_", [&] {
            launch<scalar_t>(*it, FillOp<scalar_t>{scalar_to_opmath<scalar_t>(value)});
        });
    });
}

int32_t copy(const compute_cuda_iter* it) {
    return guard("cuda copy_", [&] {
        if (it->noperands != 2) fail(CMP_STATUS_INTERNAL_ERROR, "cuda copy_: expected 2 operands");
        if (it->dtypes[0] == it->dtypes[1]) {
            int64_t size = 0;
            CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda copy_", [&] { size = sizeof(scalar_t); });
            switch (size) {
                case 1: return launch<uint8_t, uint8_t>(*it, BitsOp<uint8_t>{});
                case 2: return launch<uint16_t, uint16_t>(*it, BitsOp<uint16_t>{});
                case 4: return launch<uint32_t, uint32_t>(*it, BitsOp<uint32_t>{});
                default: return launch<uint64_t, uint64_t>(*it, BitsOp<uint64_t>{});
            }
        }
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda copy_", [&] { cast_from<scalar_t>(*it); });
    });
}

int32_t unary(const compute_cuda_iter* it, int32_t op) {
    return guard("cuda unary", [&] {
        require_same_dtypes(*it, "cuda unary");
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda unary", [&] {
            using M = opmath_t<scalar_t>;
            switch (op) {
                case COMPUTE_CUDA_UNARY_NEG:
                    if constexpr (!std::is_same_v<M, bool>) return launch<scalar_t, scalar_t>(*it, NegOp<scalar_t>{});
                    break;
                case COMPUTE_CUDA_UNARY_EXP:
                    // The front-end promotes integers to float32 first (exp is int_to_float).
                    if constexpr (std::is_floating_point_v<M>) return launch<scalar_t, scalar_t>(*it, ExpOp<scalar_t>{});
                    break;
                default: break;
            }
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda unary: op ", op, " is not defined for dtype ", it->dtypes[0]);
        });
    });
}

int32_t binary(const compute_cuda_iter* it, int32_t op, cmp_scalar alpha) {
    return guard("cuda binary", [&] {
        require_same_dtypes(*it, "cuda binary");
        CMP_CUDA_DISPATCH_ALL_TYPES(it->dtypes[0], "cuda binary", [&] {
            using M = opmath_t<scalar_t>;
            switch (op) {
                case COMPUTE_CUDA_BINARY_ADD:
                    return launch<scalar_t, scalar_t, scalar_t>(*it, AddOp<scalar_t>{scalar_to_opmath<scalar_t>(alpha)});
                case COMPUTE_CUDA_BINARY_MUL: return launch<scalar_t, scalar_t, scalar_t>(*it, MulOp<scalar_t>{});
                case COMPUTE_CUDA_BINARY_DIV:
                    // True division: the front-end promotes integers to float32 first.
                    if constexpr (std::is_floating_point_v<M>)
                        return launch<scalar_t, scalar_t, scalar_t>(*it, DivOp<scalar_t>{});
                    break;
                default: break;
            }
            fail(CMP_STATUS_INTERNAL_ERROR, "cuda binary: op ", op, " is not defined for dtype ", it->dtypes[0]);
        });
    });
}

}  // namespace cmp::cuda_backend
