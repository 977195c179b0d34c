// Device parity of the reductions over dims (cuda/reduce.cu): sum, mean, prod, amax, amin, any,
// all, and max/min without a dim, for every dtype, dims list and keepdim. The CPU runs first;
// where it refuses (mean of integers, amax over an empty dim) the GPU must refuse with the same
// status, otherwise shape, dtype and values must agree: exactly for integers and bool, for
// amax/amin/any/all, and for sums and means of integer-valued data (every partial sum exact);
// within a tolerance for products of fractions (the GPU multiplies float32 in float32, the CPU
// in float64, and in another order). The table test runs without a GPU: it fails when an op of
// the backend's compute_cuda_reduce_op has no case here.
#include "cuda_parity_util.h"

#include "cuda/backend_api.h"

#include <limits>
#include <set>

namespace cmp::testing {
namespace {

using DimsFn = cmp_status (*)(cmp_tensor, const int64_t*, int64_t, int32_t, cmp_tensor*);

struct ReduceCase {
    const char* name;
    compute_cuda_reduce_op op;
    DimsFn fn;
};

const ReduceCase kCases[] = {
    {"sum", COMPUTE_CUDA_REDUCE_SUM, cmp_sum},    {"mean", COMPUTE_CUDA_REDUCE_MEAN, cmp_mean},
    {"prod", COMPUTE_CUDA_REDUCE_PROD, cmp_prod}, {"amax", COMPUTE_CUDA_REDUCE_AMAX, cmp_amax},
    {"amin", COMPUTE_CUDA_REDUCE_AMIN, cmp_amin}, {"any", COMPUTE_CUDA_REDUCE_ANY, cmp_any},
    {"all", COMPUTE_CUDA_REDUCE_ALL, cmp_all},
};

bool floating(cmp_dtype dt) {
    return dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
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
            const double rtol = c.op == COMPUTE_CUDA_REDUCE_MEAN ? 2 * tolerance(dt) : 0.0;
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
            const double rtol = c.op == COMPUTE_CUDA_REDUCE_MEAN ? 2 * tolerance(dt) : 0.0;
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
            const double rtol = c.op == COMPUTE_CUDA_REDUCE_MEAN ? 2 * tolerance(dt) : 0.0;
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
                    expect_parity(c, host.get(), dev.get(), dims, keepdim, 0.0, "empty " + std::to_string(dt));
            for (const auto& dims : std::vector<std::vector<int64_t>>{{}, {0}, {-1}})
                expect_parity(c, host0.get(), dev0.get(), dims, false, 0.0, "0-dim " + std::to_string(dt));
        }
    }
}

TEST_F(CudaParity, MaxAndMinWithoutADimAndTheirRefusalWithOne) {
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
    cmp_tensor values = nullptr, indices = nullptr;
    const Failure f = failure_of([&] { return cmp_max_dim(dev.get(), 1, 0, &values, &indices); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("max: not implemented on CUDA yet with a dim (values and indices)"), std::string::npos)
        << f.message;
}

}  // namespace
}  // namespace cmp::testing
