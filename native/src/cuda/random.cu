// Random fills on CUDA (rand, randn, normal_, uniform_, randint, bernoulli, dropout's keep mask): one thread per
// Philox block of the reserved range, each element computed by core/philox_values.h, the
// functions the CPU kernels are tested against, so a seed gives the CPU's numbers bit for bit
// (box_muller's arithmetic uses the _rn intrinsics, which nvcc never contracts).
#include "core/philox_values.h"
#include "cuda/dtypes.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/entries.h"
#include "cuda/status.h"

namespace cmp::cuda_backend {

namespace {

// The fill of one op: value(b, e) is element e of block b as the type stored in out.
template <typename T, typename Value>
__global__ void random_kernel(uint64_t seed, uint64_t offset, int64_t n, int per_block, T* out, Value value) {
    const int64_t blocks = (n + per_block - 1) / per_block;
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < blocks; t += step) {
        const PhiloxBlock b = philox_block(seed, offset + static_cast<uint64_t>(t));
        for (int e = 0; e < per_block; ++e) {
            const int64_t i = t * per_block + e;
            if (i < n) out[i] = value(b, e, i);
        }
    }
}

template <typename T, typename Value>
void launch(const compute_cuda_random& r, int per_block, const Value& value) {
    const int64_t blocks = (r.n + per_block - 1) / per_block;
    random_kernel<T, Value><<<blocks_for(blocks), kThreads, 0, static_cast<cudaStream_t>(r.stream)>>>(
        r.seed, r.offset, r.n, per_block, static_cast<T*>(r.out), value);
}

// The layout's family of a floating dtype.
PhiloxFloat family(int32_t dtype) {
    switch (dtype) {
        case CMP_DTYPE_FLOAT64: return PhiloxFloat::Float64;
        case CMP_DTYPE_FLOAT16: return PhiloxFloat::Float16;
        case CMP_DTYPE_BFLOAT16: return PhiloxFloat::BFloat16;
        default: return PhiloxFloat::Float32;
    }
}

// A double of the layout stored as T: float64 as it is, the other floating types through
// float32 (exact for rand; randn rounds to float32 first, as the CPU does).
template <typename T>
__device__ __forceinline__ T store_floating(double v) {
    if constexpr (std::is_same_v<T, double>) return v;
    else return convert<T>(static_cast<float>(v));
}

// The values of each op as functors (element e of block b, element i of the fill). normal_ and
// uniform_ transform randn's / rand's element as the dtype holds it (philox_affine).
template <typename T>
struct FloatingValue {
    PhiloxFloat k;
    bool normal;
    bool affine;
    double shift, scale;
    __device__ T operator()(const PhiloxBlock& b, int e, int64_t) const {
        const T v = store_floating<T>(normal ? philox_randn(b, e, k) : philox_rand(b, e, k));
        if (!affine) return v;
        return store_floating<T>(philox_affine(static_cast<double>(to_opmath(v)), shift, scale));
    }
};

template <typename T>
struct RandintValue {
    int64_t low;
    uint64_t range;
    __device__ T operator()(const PhiloxBlock& b, int e, int64_t) const {
        return convert<T>(philox_randint(b, e, low, range));
    }
};

// p[i] when p is given (float32 or float64 P), else p_all.
template <typename T, typename P>
struct BernoulliValue {
    const P* p;
    double p_all;
    __device__ T operator()(const PhiloxBlock& b, int e, int64_t i) const {
        const double q = p ? static_cast<double>(p[i]) : p_all;
        return convert<T>(static_cast<int64_t>(philox_bernoulli(b, e, q)));
    }
};

struct KeepValue {
    uint32_t threshold;
    __device__ bool operator()(const PhiloxBlock& b, int e, int64_t) const { return philox_keep(b, e, threshold); }
};

template <typename T>
void floating_fill(const compute_cuda_random& r) {
    const PhiloxFloat k = family(r.dtype);
    const bool normal = r.op == COMPUTE_CUDA_RANDOM_RANDN || r.op == COMPUTE_CUDA_RANDOM_NORMAL;
    const bool affine = r.op == COMPUTE_CUDA_RANDOM_NORMAL || r.op == COMPUTE_CUDA_RANDOM_UNIFORM;
    launch<T>(r, philox_per_block(k), FloatingValue<T>{k, normal, affine, r.shift, r.scale});
}

// randint and bernoulli: any dtype, 2 elements per block.
template <typename T>
void counted_fill(const compute_cuda_random& r) {
    if (r.op == COMPUTE_CUDA_RANDOM_RANDINT) launch<T>(r, 2, RandintValue<T>{r.low, r.range});
    else if (r.p_dtype == CMP_DTYPE_FLOAT32) launch<T>(r, 2, BernoulliValue<T, float>{static_cast<const float*>(r.p), r.p_all});
    else launch<T>(r, 2, BernoulliValue<T, double>{static_cast<const double*>(r.p), r.p_all});
}

bool is_floating_dtype(int32_t dtype) {
    return dtype == CMP_DTYPE_FLOAT32 || dtype == CMP_DTYPE_FLOAT64 || dtype == CMP_DTYPE_FLOAT16 ||
           dtype == CMP_DTYPE_BFLOAT16;
}

}  // namespace

int32_t random(const compute_cuda_random* desc) {
    const char* what = "cuda random";
    return run_described(what, desc, [&](const compute_cuda_random& r) {
        switch (r.op) {
            case COMPUTE_CUDA_RANDOM_RAND:
            case COMPUTE_CUDA_RANDOM_RANDN:
            case COMPUTE_CUDA_RANDOM_NORMAL:
            case COMPUTE_CUDA_RANDOM_UNIFORM:
                if (!is_floating_dtype(r.dtype))
                    fail(CMP_STATUS_DTYPE_MISMATCH, what, ": rand / randn / normal / uniform need a floating dtype, got ",
                         r.dtype);
                CMP_CUDA_DISPATCH_ALL_TYPES(r.dtype, what, [&] {
                    if constexpr (std::is_floating_point_v<scalar_t> || std::is_same_v<scalar_t, half_t> ||
                                  std::is_same_v<scalar_t, bf16_t>)
                        floating_fill<scalar_t>(r);
                });
                break;
            case COMPUTE_CUDA_RANDOM_RANDINT:
                if (r.range == 0) fail(CMP_STATUS_INVALID_ARGUMENT, what, ": randint needs a range of at least 1");
                [[fallthrough]];
            case COMPUTE_CUDA_RANDOM_BERNOULLI:
                if (r.p && r.p_dtype != CMP_DTYPE_FLOAT32 && r.p_dtype != CMP_DTYPE_FLOAT64)
                    fail(CMP_STATUS_DTYPE_MISMATCH, what, ": bernoulli's p must be float32 or float64, got ", r.p_dtype);
                CMP_CUDA_DISPATCH_ALL_TYPES(r.dtype, what, [&] { counted_fill<scalar_t>(r); });
                break;
            case COMPUTE_CUDA_RANDOM_KEEP:
                if (r.dtype != CMP_DTYPE_BOOL) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": the keep mask must be bool");
                launch<bool>(r, 4, KeepValue{r.threshold});
                break;
            default: fail(CMP_STATUS_INVALID_ARGUMENT, what, ": unknown op ", r.op);
        }
    });
}

}  // namespace cmp::cuda_backend
