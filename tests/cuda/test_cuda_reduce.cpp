// Device parity of the reductions over dims (cuda/reduce.cu, reduce_index.cu, reduce_stats.cu):
// sum, mean, prod, amax, amin, any, all, max/min without and with a dim (values and indices),
// argmax/argmin, var/std (and their means), vector norms, logsumexp and count_nonzero, for every
// dtype, dims list and keepdim. The CPU runs first; where it refuses (mean of integers, amax
// over an empty dim) the GPU must refuse with the same status, otherwise shape, dtype and values
// must agree: exactly for integers and bool, for the extrema and their indices (ties and NaN
// pick the same element), any/all, count_nonzero, and for sums, means and the 0/1/inf norms of
// integer-valued data (every partial sum exact); within a tolerance where the GPU rounds in its
// accumulate type (float32 for float32 and 16-bit floats, where the CPU uses float64) and in
// another order: products of fractions, var/std, the 2- and p-norms, logsumexp. The table test
// runs without a GPU: it fails when an op of the backend's compute_cuda_reduce_op has no case here.
#include "cuda_parity_util.h"

#include "cuda/backend_api.h"

#include <limits>
#include <set>

namespace cmp::testing {
namespace {

using DimsFn = cmp_status (*)(cmp_tensor, const int64_t*, int64_t, int32_t, cmp_tensor*);

// How closely a GPU result must match the CPU's (rtol_for).
enum class Tol {
    Exact,
    Mean,     // one division more than an exact sum
    Rounded,  // partial results rounded in the accumulate type, in another order
};

struct ReduceCase {
    const char* name;
    compute_cuda_reduce_op op;
    DimsFn fn;
    Tol tol;
};

// The ops of other signatures as DimsFn. The ops of one dim take the last of the list (dim 0 for
// an empty list; argmax/argmin take an empty list as "no dim", the flattened tensor); the output
// a case does not compare is released.
int64_t last_dim(const int64_t* dims, int64_t n) { return n > 0 ? dims[n - 1] : 0; }

using DimPairFn = cmp_status (*)(cmp_tensor, int64_t, int32_t, cmp_tensor*, cmp_tensor*);
using MomentsPairFn = cmp_status (*)(cmp_tensor, const int64_t*, int64_t, double, int32_t, cmp_tensor*, cmp_tensor*);

cmp_status keep_one(cmp_status s, cmp_tensor (&outs)[2], int which, cmp_tensor* out) {
    if (s != CMP_STATUS_OK) return s;
    cmp_tensor_release(outs[1 - which]);
    *out = outs[which];
    return s;
}

template <DimPairFn F, int Which>
cmp_status dim_pair(cmp_tensor a, const int64_t* dims, int64_t n, int32_t keepdim, cmp_tensor* out) {
    cmp_tensor outs[2] = {nullptr, nullptr};
    return keep_one(F(a, last_dim(dims, n), keepdim, &outs[0], &outs[1]), outs, Which, out);
}

template <MomentsPairFn F, int Correction, int Which>
cmp_status moments_pair(cmp_tensor a, const int64_t* dims, int64_t n, int32_t keepdim, cmp_tensor* out) {
    cmp_tensor outs[2] = {nullptr, nullptr};
    return keep_one(F(a, dims, n, Correction, keepdim, &outs[0], &outs[1]), outs, Which, out);
}

template <bool Max>
cmp_status arg_index(cmp_tensor a, const int64_t* dims, int64_t n, int32_t keepdim, cmp_tensor* out) {
    return (Max ? cmp_argmax : cmp_argmin)(a, n > 0, last_dim(dims, n), keepdim, out);
}

template <bool Sqrt, int Correction>
cmp_status moment(cmp_tensor a, const int64_t* dims, int64_t n, int32_t keepdim, cmp_tensor* out) {
    return (Sqrt ? cmp_std : cmp_var)(a, dims, n, Correction, keepdim, out);
}

constexpr double kOrds[] = {0.0, 1.0, 2.0, std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(), 3.0, 0.5, -1.5};

template <int K>
cmp_status norm(cmp_tensor a, const int64_t* dims, int64_t n, int32_t keepdim, cmp_tensor* out) {
    return cmp_vector_norm(a, kOrds[K], dims, n, keepdim, out);
}

cmp_status count_nonzero(cmp_tensor a, const int64_t* dims, int64_t n, int32_t, cmp_tensor* out) {
    return cmp_count_nonzero(a, dims, n, out);
}

const ReduceCase kCases[] = {
    {"sum", COMPUTE_CUDA_REDUCE_SUM, cmp_sum, Tol::Exact},
    {"mean", COMPUTE_CUDA_REDUCE_MEAN, cmp_mean, Tol::Mean},
    {"prod", COMPUTE_CUDA_REDUCE_PROD, cmp_prod, Tol::Exact},  // ReductionProductsMatchTheCpu
    {"amax", COMPUTE_CUDA_REDUCE_AMAX, cmp_amax, Tol::Exact},
    {"amin", COMPUTE_CUDA_REDUCE_AMIN, cmp_amin, Tol::Exact},
    {"any", COMPUTE_CUDA_REDUCE_ANY, cmp_any, Tol::Exact},
    {"all", COMPUTE_CUDA_REDUCE_ALL, cmp_all, Tol::Exact},
    {"max_dim values", COMPUTE_CUDA_REDUCE_ARGMAX, dim_pair<cmp_max_dim, 0>, Tol::Exact},
    {"max_dim indices", COMPUTE_CUDA_REDUCE_ARGMAX, dim_pair<cmp_max_dim, 1>, Tol::Exact},
    {"min_dim values", COMPUTE_CUDA_REDUCE_ARGMIN, dim_pair<cmp_min_dim, 0>, Tol::Exact},
    {"min_dim indices", COMPUTE_CUDA_REDUCE_ARGMIN, dim_pair<cmp_min_dim, 1>, Tol::Exact},
    {"argmax", COMPUTE_CUDA_REDUCE_ARGMAX, arg_index<true>, Tol::Exact},
    {"argmin", COMPUTE_CUDA_REDUCE_ARGMIN, arg_index<false>, Tol::Exact},
    {"var", COMPUTE_CUDA_REDUCE_VAR, moment<false, 1>, Tol::Rounded},
    {"var correction 0", COMPUTE_CUDA_REDUCE_VAR, moment<false, 0>, Tol::Rounded},
    {"std", COMPUTE_CUDA_REDUCE_STD, moment<true, 1>, Tol::Rounded},
    {"var_mean var", COMPUTE_CUDA_REDUCE_VAR, moments_pair<cmp_var_mean, 1, 0>, Tol::Rounded},
    {"var_mean mean", COMPUTE_CUDA_REDUCE_VAR, moments_pair<cmp_var_mean, 1, 1>, Tol::Rounded},
    {"std_mean std correction 2", COMPUTE_CUDA_REDUCE_STD, moments_pair<cmp_std_mean, 2, 0>, Tol::Rounded},
    {"vector_norm 0", COMPUTE_CUDA_REDUCE_NORM, norm<0>, Tol::Exact},
    {"vector_norm 1", COMPUTE_CUDA_REDUCE_NORM, norm<1>, Tol::Exact},
    {"vector_norm 2", COMPUTE_CUDA_REDUCE_NORM, norm<2>, Tol::Rounded},
    {"vector_norm inf", COMPUTE_CUDA_REDUCE_NORM, norm<3>, Tol::Exact},
    {"vector_norm -inf", COMPUTE_CUDA_REDUCE_NORM, norm<4>, Tol::Exact},
    {"vector_norm 3", COMPUTE_CUDA_REDUCE_NORM, norm<5>, Tol::Rounded},
    {"vector_norm 0.5", COMPUTE_CUDA_REDUCE_NORM, norm<6>, Tol::Rounded},
    {"vector_norm -1.5", COMPUTE_CUDA_REDUCE_NORM, norm<7>, Tol::Rounded},
    {"logsumexp", COMPUTE_CUDA_REDUCE_LOGSUMEXP, cmp_logsumexp, Tol::Rounded},
    {"count_nonzero", COMPUTE_CUDA_REDUCE_COUNT_NONZERO, count_nonzero, Tol::Exact},
};

bool floating(cmp_dtype dt) {
    return dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
}

// The relative tolerance of a case for inputs of dtype dt. Mean: one float division in the
// GPU's accumulate type. Rounded: partial results of up to a few hundred elements each rounded
// in float32 on the GPU (float64 on the CPU) give about n * eps, ~3e-5 at worst for float32;
// 16-bit results may round to neighbouring values from the two accumulators.
double rtol_for(const ReduceCase& c, cmp_dtype dt) {
    switch (c.tol) {
        case Tol::Exact: return 0.0;
        case Tol::Mean: return 2 * tolerance(dt);
        case Tol::Rounded:
            // logsumexp of integers and bool gives float32
            if (dt == CMP_DTYPE_FLOAT32 || !floating(dt)) return 5e-5;
            if (dt == CMP_DTYPE_FLOAT64) return 1e-12;
            return 2 * tolerance(dt);
    }
    return 0.0;
}

cmp_dtype dtype_of(cmp_tensor t) {
    cmp_dtype d = CMP_DTYPE_FLOAT32;
    cmp_tensor_dtype(t, &d);
    return d;
}

// Runs case c over dims on the CPU tensor and on the CUDA one and compares. rtol 0: the same
// values (-0.0 equal to 0.0: amax of the two may keep either, on either device).
void expect_parity(const ReduceCase& c, cmp_tensor host, cmp_tensor dev, const std::vector<int64_t>& dims, bool keepdim,
                   double rtol, const std::string& what) {
    const std::string label = what + " " + c.name + " dims " + std::to_string(dims.size()) + (keepdim ? " keepdim" : "");
    cmp_tensor cpu_out = nullptr, gpu_out = nullptr;
    const cmp_status cs = c.fn(host, dims.data(), static_cast<int64_t>(dims.size()), keepdim, &cpu_out);
    Handle owned_cpu(cpu_out);
    const cmp_status gs = c.fn(dev, dims.data(), static_cast<int64_t>(dims.size()), keepdim, &gpu_out);
    Handle owned_gpu(gpu_out);
    ASSERT_EQ(gs, cs) << label << ": " << (gs == CMP_STATUS_OK ? "" : cmp_last_error());
    if (cs != CMP_STATUS_OK) return;
    EXPECT_EQ(device_of(gpu_out).type, CMP_DEVICE_CUDA) << label;
    EXPECT_EQ(sizes_of(gpu_out), sizes_of(cpu_out)) << label;
    EXPECT_EQ(dtype_of(gpu_out), dtype_of(cpu_out)) << label;
    expect_close(host_values(gpu_out), values_of(cpu_out), rtol, label);
}

const std::vector<std::vector<int64_t>> kDimSets = {{}, {0}, {1}, {2}, {0, 2}, {-1, 1}};

// [37, 300, 5]: reducing dim 1 or everything takes the block-per-row kernel (rows >= 256),
// dims 0 and 2 the thread-per-row one.
const std::vector<int64_t> kShape = {37, 300, 5};

// Integers in [-6, 6] with a zero every 13 elements; NaN at a few places for floats when asked.
std::vector<double> integer_valued(int64_t n, bool with_nan) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>(i % 13 - 6);
    if (with_nan)
        for (int64_t i = 101; i < n; i += 4099) v[static_cast<size_t>(i)] = std::numeric_limits<double>::quiet_NaN();
    return v;
}

TEST(CudaReduceTable, EveryBackendOpHasACase) {
    std::set<int> tested;
    for (const ReduceCase& c : kCases) tested.insert(c.op);
    for (int op = 0; op < COMPUTE_CUDA_REDUCE_OP_COUNT; ++op)
        EXPECT_TRUE(tested.count(op)) << "compute_cuda_reduce_op " << op << " has no CUDA parity case";
}

TEST_F(CudaParity, ReductionsMatchTheCpuForEveryOpDtypeAndDims) {
    const int64_t n = kShape[0] * kShape[1] * kShape[2];
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(integer_valued(n, false), kShape, dt);
        Handle dev = cuda(host);
        for (const ReduceCase& c : kCases) {
            if (c.op == COMPUTE_CUDA_REDUCE_PROD) continue;  // ReductionProductsMatchTheCpu
            // Integer-valued sums are exact in every accumulator; a mean is one division more
            // (float32: in float32 here, in float64 then rounded on the CPU).
            const double rtol = rtol_for(c, dt);
            for (const auto& dims : kDimSets)
                for (bool keepdim : {false, true})
                    expect_parity(c, host.get(), dev.get(), dims, keepdim, rtol, "dtype " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, ReductionProductsMatchTheCpu) {
    const int64_t n = kShape[0] * kShape[1] * kShape[2];
    const ReduceCase& prod = kCases[2];
    ASSERT_EQ(prod.op, COMPUTE_CUDA_REDUCE_PROD);
    for (cmp_dtype dt : kAllDtypes) {
        // Floats: factors in [0.83, 1.17], so 300-factor products stay in range; integers: +-1..3
        // (products wrap around identically in int64 on both devices).
        std::vector<double> v(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            v[static_cast<size_t>(i)] = floating(dt) ? 1.0 + static_cast<double>((i * 37) % 23 - 11) / 64.0
                                                     : (i % 5 == 0 ? -1.0 : 1.0) * static_cast<double>(1 + (i * 7) % 3);
        Handle host = tensor_from(v, kShape, dt);
        Handle dev = cuda(host);
        // A product of n factors each rounded once: about n * eps relative, n <= 300 here except
        // for the whole-tensor and two-dim products, whose partial products are longer still.
        double rtol = 0.0;
        if (dt == CMP_DTYPE_FLOAT32) rtol = 2e-4;
        if (dt == CMP_DTYPE_FLOAT64) rtol = 1e-11;
        if (dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16) rtol = 2 * tolerance(dt);
        for (const auto& dims : kDimSets)
            for (bool keepdim : {false, true})
                expect_parity(prod, host.get(), dev.get(), dims, keepdim, rtol, "dtype " + std::to_string(dt));
    }
}

TEST_F(CudaParity, ReductionsPropagateNaN) {
    const int64_t n = kShape[0] * kShape[1] * kShape[2];
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        Handle host = tensor_from(integer_valued(n, true), kShape, dt);
        Handle dev = cuda(host);
        for (const ReduceCase& c : kCases) {
            if (c.op == COMPUTE_CUDA_REDUCE_PROD) continue;  // a NaN factor: NaN, as sum checks
            const double rtol = rtol_for(c, dt);
            for (const auto& dims : kDimSets)
                expect_parity(c, host.get(), dev.get(), dims, false, rtol, "NaN dtype " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, ReductionsOfStridedViews) {
    // A transposed CUDA view: the front-end permutes and makes it dense on the device first.
    const int64_t n = kShape[0] * kShape[1] * kShape[2];
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_INT16, CMP_DTYPE_BOOL}) {
        Handle host = tensor_from(integer_valued(n, false), kShape, dt);
        Handle host_t = transposed(host, 0, 2);
        Handle dev = cuda(host);
        Handle dev_t = transposed(dev, 0, 2);
        for (const ReduceCase& c : kCases) {
            if (c.op == COMPUTE_CUDA_REDUCE_PROD || (c.op == COMPUTE_CUDA_REDUCE_MEAN && !floating(dt))) continue;
            const double rtol = rtol_for(c, dt);
            for (const auto& dims : kDimSets)
                for (bool keepdim : {false, true})
                    expect_parity(c, host_t.get(), dev_t.get(), dims, keepdim, rtol, "transposed " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, EmptyReductionsGiveTheIdentityOrTheCpuError) {
    // [3, 0, 4]: over dim 1 every output reduces nothing (sum 0, prod 1, mean NaN, any false,
    // all true; amax/amin refuse); over dim 2 the output itself is empty; and a 0-dim tensor.
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_INT32, CMP_DTYPE_UINT8}) {
        cmp_tensor t = nullptr;
        const int64_t sizes[] = {3, 0, 4};
        ASSERT_EQ(cmp_zeros(sizes, 3, dt, cpu_device(), &t), CMP_STATUS_OK) << cmp_last_error();
        Handle host(t);
        Handle dev = cuda(host);
        Handle host0 = tensor_from({2.0}, {}, dt);
        Handle dev0 = cuda(host0);
        for (const ReduceCase& c : kCases) {
            for (const auto& dims : std::vector<std::vector<int64_t>>{{1}, {2}, {}, {0, 1}})
                for (bool keepdim : {false, true})
                    expect_parity(c, host.get(), dev.get(), dims, keepdim, rtol_for(c, dt), "empty " + std::to_string(dt));
            for (const auto& dims : std::vector<std::vector<int64_t>>{{}, {0}, {-1}})
                expect_parity(c, host0.get(), dev0.get(), dims, false, rtol_for(c, dt), "0-dim " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, MaxAndMinWithoutADim) {
    Handle host = tensor_from(integer_valued(3 * 700, true), {3, 700}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    using AllFn = cmp_status (*)(cmp_tensor, cmp_tensor*);
    for (AllFn fn : {AllFn(cmp_max), AllFn(cmp_min)}) {
        cmp_tensor c = nullptr, g = nullptr;
        ASSERT_EQ(fn(host.get(), &c), CMP_STATUS_OK) << cmp_last_error();
        Handle owned_c(c);
        ASSERT_EQ(fn(dev.get(), &g), CMP_STATUS_OK) << cmp_last_error();
        Handle owned_g(g);
        expect_close(host_values(g), values_of(c), 0.0, "max/min");
    }
    Handle finite = tensor_from(integer_valued(3 * 700, false), {3, 700}, CMP_DTYPE_INT64);
    Handle finite_dev = cuda(finite);
    cmp_tensor c = nullptr, g = nullptr;
    ASSERT_EQ(cmp_max(finite.get(), &c), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_c(c);
    ASSERT_EQ(cmp_max(finite_dev.get(), &g), CMP_STATUS_OK) << cmp_last_error();
    Handle owned_g(g);
    EXPECT_EQ(host_values(g), values_of(c));
}

// Large magnitudes (exp would overflow without the running maximum), infinities and NaN in
// logsumexp's rows, and ties of +0 / -0 and of infinities in the index reductions, on both
// kernels: rows of 7 (thread per row) and of 700 (block per row).
TEST_F(CudaParity, LogSumExpAndIndexReductionsOfExtremeValues) {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (int64_t len : {7, 700}) {
        const int64_t rows = 6;
        std::vector<double> v(static_cast<size_t>(rows * len));
        for (int64_t i = 0; i < rows * len; ++i) {
            const int64_t r = i / len, k = i % len;
            double x = 0.0;
            switch (r) {
                case 0: x = 1000.0 + static_cast<double>(k % 5); break;      // exp overflows
                case 1: x = -1000.0 - static_cast<double>(k % 3); break;     // exp underflows
                case 2: x = k % 4 == 1 ? -inf : static_cast<double>(k % 3); break;
                case 3: x = k == len / 2 ? inf : static_cast<double>(k % 3); break;
                case 4: x = k == len - 2 ? nan : (k == 1 ? inf : 1.0); break;  // +inf before a NaN
                default: x = k % 2 == 0 ? 0.0 : -0.0; break;                   // ties of zeros
            }
            v[static_cast<size_t>(i)] = x;
        }
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
            Handle host = tensor_from(v, {rows, len}, dt);
            Handle dev = cuda(host);
            for (const ReduceCase& c : kCases) {
                if (c.op != COMPUTE_CUDA_REDUCE_LOGSUMEXP && c.op != COMPUTE_CUDA_REDUCE_ARGMAX &&
                    c.op != COMPUTE_CUDA_REDUCE_ARGMIN && c.op != COMPUTE_CUDA_REDUCE_NORM)
                    continue;
                for (const auto& dims : std::vector<std::vector<int64_t>>{{1}, {0}})
                    expect_parity(c, host.get(), dev.get(), dims, false, rtol_for(c, dt),
                                  "extreme rows of " + std::to_string(len) + " dtype " + std::to_string(dt));
            }
        }
    }
}

}  // namespace
}  // namespace cmp::testing
