// Device parity: each op with a CUDA kernel, run on the GPU and on the CPU from the same inputs,
// must agree — exactly for integers, bool, copies and sums of integer-valued data, and within
// the float tolerances below otherwise (nvcc contracts a + alpha * b into one FMA and CUDA's
// expf differs from the CPU's exp by an ulp or two; sums add in a different order).
// Every test skips with the reason when no CUDA device is usable; tests/cuda/device_check.sh
// runs this binary on a GPU machine.
#include "cuda_parity_util.h"

#include <cmath>
#include <cstdlib>

namespace cmp::testing {
namespace {

Handle call(cmp_status (*fn)(cmp_tensor, cmp_tensor*), cmp_tensor a) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(fn(a, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

TEST_F(CudaParity, RoundTripIsExactForEveryDtype) {
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(sample(1003), {1003}, dt);
        EXPECT_EQ(host_values(cuda(host).get()), values_of(host.get())) << "dtype " << dt;
    }
}

// item and copy_to_buffer (C#'s Item / ToArray) of a strided device view: the element its
// indices name, and every element in the view's row-major order.
TEST_F(CudaParity, ItemAndCopyToBufferOfADeviceView) {
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(sample(12), {3, 4}, dt);
        Handle dev = cuda(host);
        Handle hv = transposed(host), dv = transposed(dev);  // [4, 3]
        for (int64_t i = 0; i < 4; ++i) {
            for (int64_t j = 0; j < 3; ++j) {
                const int64_t idx[] = {i, j};
                cmp_scalar want{}, got{};
                ASSERT_EQ(cmp_tensor_item(hv.get(), idx, 2, &want), CMP_STATUS_OK) << cmp_last_error();
                ASSERT_EQ(cmp_tensor_item(dv.get(), idx, 2, &got), CMP_STATUS_OK) << cmp_last_error();
                EXPECT_EQ(got.kind, want.kind);
                EXPECT_EQ(got.kind == CMP_SCALAR_FLOAT ? got.f : static_cast<double>(got.i),
                          want.kind == CMP_SCALAR_FLOAT ? want.f : static_cast<double>(want.i))
                    << "dtype " << dt << " [" << i << ", " << j << "]";
            }
        }
        int64_t elem = 0;
        ASSERT_EQ(cmp_tensor_element_size(dv.get(), &elem), CMP_STATUS_OK);
        std::vector<unsigned char> a(static_cast<size_t>(12 * elem)), b(a.size());
        ASSERT_EQ(cmp_tensor_copy_to_buffer(hv.get(), a.data(), static_cast<int64_t>(a.size())), CMP_STATUS_OK);
        ASSERT_EQ(cmp_tensor_copy_to_buffer(dv.get(), b.data(), static_cast<int64_t>(b.size())), CMP_STATUS_OK)
            << cmp_last_error();
        EXPECT_EQ(a, b) << "dtype " << dt;
    }
}

TEST_F(CudaParity, CastsMatchTheCpuForEveryDtypePair) {
    // Includes out-of-range and negative values for the unsigned and narrow types.
    std::vector<double> v = sample(517, 40.0);
    v[0] = 300.0;
    v[1] = -1.0;
    v[2] = 1e10;
    for (cmp_dtype from : kAllDtypes) {
        Handle host = tensor_from(v, {11, 47}, from);
        Handle dev = cuda(host);
        for (cmp_dtype to : kAllDtypes) {
            cmp_tensor a = nullptr, b = nullptr;
            ASSERT_EQ(cmp_to_dtype(host.get(), to, &a), CMP_STATUS_OK) << cmp_last_error();
            ASSERT_EQ(cmp_to_dtype(dev.get(), to, &b), CMP_STATUS_OK) << cmp_last_error();
            Handle ca(a), cb(b);
            EXPECT_EQ(host_values(cb.get()), values_of(ca.get())) << "cast " << from << " -> " << to;
        }
    }
}

TEST_F(CudaParity, StridedAndBroadcastCopiesOnTheDevice) {
    Handle host = tensor_from(sample(2 * 3 * 5), {2, 3, 5}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    cmp_tensor t = nullptr;
    ASSERT_EQ(cmp_transpose(dev.get(), 0, 2, &t), CMP_STATUS_OK);
    Handle dev_t(t);
    ASSERT_EQ(cmp_transpose(host.get(), 0, 2, &t), CMP_STATUS_OK);
    Handle host_t(t);
    // contiguous() of a permuted view runs the strided kernel.
    Handle dc = call(cmp_contiguous, dev_t.get()), hc = call(cmp_contiguous, host_t.get());
    EXPECT_EQ(host_values(dc.get()), values_of(hc.get()));
    // A [5] row broadcast into a [3, 5] CUDA tensor, with a cast to float64.
    Handle row = cuda(tensor_from(sample(5), {5}, CMP_DTYPE_FLOAT32));
    const int64_t sizes[] = {3, 5};
    cmp_tensor d = nullptr;
    ASSERT_EQ(cmp_empty(sizes, 2, CMP_DTYPE_FLOAT64, cuda_device(), &d), CMP_STATUS_OK);
    Handle dst(d);
    ASSERT_EQ(cmp_copy_(dst.get(), row.get()), CMP_STATUS_OK) << cmp_last_error();
    std::vector<double> expected;
    for (int r = 0; r < 3; ++r)
        for (double x : host_values(row.get())) expected.push_back(x);
    EXPECT_EQ(host_values(dst.get()), expected);
}

TEST_F(CudaParity, FillMatchesTheCpu) {
    const cmp_scalar values[] = {{CMP_SCALAR_FLOAT, 0, -2.75, 0}, {CMP_SCALAR_INT, 0, 0.0, 300}, {CMP_SCALAR_BOOL, 0, 0.0, 1}};
    const int64_t sizes[] = {7, 13};
    for (cmp_dtype dt : kAllDtypes) {
        for (const cmp_scalar& v : values) {
            cmp_tensor a = nullptr, b = nullptr;
            ASSERT_EQ(cmp_full(sizes, 2, v, dt, cpu_device(), &a), CMP_STATUS_OK) << cmp_last_error();
            ASSERT_EQ(cmp_full(sizes, 2, v, dt, cuda_device(), &b), CMP_STATUS_OK) << cmp_last_error();
            Handle ha(a), hb(b);
            EXPECT_EQ(host_values(hb.get()), values_of(ha.get())) << "dtype " << dt << " kind " << v.kind;
        }
    }
}

// a op b on both devices, with a [4, 1, 6] and b [3, 6] broadcasting to [4, 3, 6].
void check_binary(const char* name, cmp_status (*fn)(cmp_tensor, cmp_tensor, cmp_tensor*), cmp_dtype dt) {
    Handle a = tensor_from(sample(24), {4, 1, 6}, dt);
    std::vector<double> bv = sample(18, 0.5);
    for (double& x : bv)
        if (x == 0.0) x = 0.25;  // no division by zero for the integer -> float32 division
    Handle b = tensor_from(bv, {3, 6}, dt);
    Handle da = cuda(a), db = cuda(b);
    cmp_tensor c = nullptr, g = nullptr;
    ASSERT_EQ(fn(a.get(), b.get(), &c), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(fn(da.get(), db.get(), &g), CMP_STATUS_OK) << cmp_last_error();
    Handle hc(c), hg(g);
    cmp_dtype out_dt = dt;
    cmp_tensor_dtype(hc.get(), &out_dt);
    expect_close(host_values(hg.get()), values_of(hc.get()), tolerance(out_dt),
                 std::string(name) + " dtype " + std::to_string(dt));
}

cmp_status add_alpha(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return cmp_add(a, b, cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 3}, out);
}
cmp_status sub_one(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return cmp_sub(a, b, cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, out);
}

TEST_F(CudaParity, BinaryArithmeticMatchesTheCpu) {
    for (cmp_dtype dt : kAllDtypes) {
        if (dt != CMP_DTYPE_BOOL) check_binary("sub", sub_one, dt);
        check_binary("add(alpha=3)", add_alpha, dt);
        check_binary("mul", cmp_mul, dt);
        check_binary("div", cmp_div, dt);
    }
}

TEST_F(CudaParity, FloatAlphaAndWrappedNumbers) {
    Handle a = tensor_from(sample(40), {5, 8}, CMP_DTYPE_FLOAT32), b = tensor_from(sample(8, 2.0), {8}, CMP_DTYPE_FLOAT32);
    Handle da = cuda(a), db = cuda(b);
    const cmp_scalar alpha{CMP_SCALAR_FLOAT, 0, -0.3, 0};
    cmp_tensor c = nullptr, g = nullptr;
    ASSERT_EQ(cmp_add(a.get(), b.get(), alpha, &c), CMP_STATUS_OK);
    ASSERT_EQ(cmp_add(da.get(), db.get(), alpha, &g), CMP_STATUS_OK) << cmp_last_error();
    Handle hc(c), hg(g);
    expect_close(host_values(hg.get()), values_of(hc.get()), tolerance(CMP_DTYPE_FLOAT32), "add alpha=-0.3");
    // A CPU number next to a CUDA tensor, as in x * 2.5.
    cmp_tensor s = nullptr;
    ASSERT_EQ(cmp_scalar_tensor(cmp_scalar{CMP_SCALAR_FLOAT, 0, 2.5, 0}, cpu_device(), &s), CMP_STATUS_OK);
    Handle scalar(s);
    ASSERT_EQ(cmp_mul(a.get(), scalar.get(), &c), CMP_STATUS_OK);
    ASSERT_EQ(cmp_mul(da.get(), scalar.get(), &g), CMP_STATUS_OK) << cmp_last_error();
    Handle hc2(c), hg2(g);
    EXPECT_EQ(device_of(hg2.get()).type, CMP_DEVICE_CUDA);
    EXPECT_EQ(host_values(hg2.get()), values_of(hc2.get()));
}

TEST_F(CudaParity, InPlaceOnANonContiguousView) {
    Handle a = tensor_from(sample(30), {5, 6}, CMP_DTYPE_FLOAT32), b = tensor_from(sample(5, 3.0), {5, 1}, CMP_DTYPE_INT32);
    Handle da = cuda(a), db = cuda(b);
    cmp_tensor t = nullptr;
    ASSERT_EQ(cmp_transpose(a.get(), 0, 1, &t), CMP_STATUS_OK);
    Handle at(t);
    ASSERT_EQ(cmp_transpose(da.get(), 0, 1, &t), CMP_STATUS_OK);
    Handle dat(t);
    ASSERT_EQ(cmp_transpose(b.get(), 0, 1, &t), CMP_STATUS_OK);
    Handle bt(t);
    ASSERT_EQ(cmp_transpose(db.get(), 0, 1, &t), CMP_STATUS_OK);
    Handle dbt(t);
    ASSERT_EQ(cmp_mul_(at.get(), bt.get()), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_mul_(dat.get(), dbt.get()), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(host_values(da.get()), values_of(a.get()));
}

TEST_F(CudaParity, UnaryOpsMatchTheCpu) {
    std::vector<double> v = sample(1001, 3.0);
    v[0] = -0.0;
    v[1] = NAN;
    v[2] = INFINITY;
    v[3] = -INFINITY;
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(v, {7, 143}, dt);
        Handle dev = cuda(host);
        if (dt != CMP_DTYPE_BOOL) {
            EXPECT_EQ(host_values(call(cmp_neg, dev.get()).get()), values_of(call(cmp_neg, host.get()).get())) << dt;
            EXPECT_EQ(host_values(call(cmp_relu, dev.get()).get()), values_of(call(cmp_relu, host.get()).get())) << dt;
        }
        Handle ec = call(cmp_exp, host.get()), eg = call(cmp_exp, dev.get());
        cmp_dtype out_dt = dt;
        cmp_tensor_dtype(ec.get(), &out_dt);
        expect_close(host_values(eg.get()), values_of(ec.get()), 2 * tolerance(out_dt), "exp dtype " + std::to_string(dt));
    }
}

Handle sum_of(cmp_tensor t, std::vector<int64_t> dims, bool keepdim) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_sum(t, dims.data(), static_cast<int64_t>(dims.size()), keepdim, &out), CMP_STATUS_OK)
        << cmp_last_error();
    return Handle(out);
}

TEST_F(CudaParity, SumIsExactOnIntegerValuedData) {
    // Integer-valued floats: every partial sum is exact, so any order gives the CPU's result.
    // [37, 300, 5] exercises the block-per-row kernel (rows >= 256) and the thread-per-row one.
    std::vector<double> v(37 * 300 * 5);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(static_cast<int64_t>(i % 13) - 6);
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_INT32, CMP_DTYPE_INT8, CMP_DTYPE_BOOL}) {
        Handle host = tensor_from(v, {37, 300, 5}, dt);
        Handle dev = cuda(host);
        const std::vector<std::vector<int64_t>> dim_sets = {{}, {0}, {1}, {2}, {0, 2}, {-1, 1}};
        for (const auto& dims : dim_sets) {
            for (bool keepdim : {false, true}) {
                Handle c = sum_of(host.get(), dims, keepdim), g = sum_of(dev.get(), dims, keepdim);
                EXPECT_EQ(sizes_of(g.get()), sizes_of(c.get()));
                cmp_dtype cd = dt, gd = dt;
                cmp_tensor_dtype(c.get(), &cd);
                cmp_tensor_dtype(g.get(), &gd);
                EXPECT_EQ(gd, cd);
                EXPECT_EQ(host_values(g.get()), values_of(c.get())) << "dtype " << dt << " dims " << dims.size();
            }
        }
    }
}

TEST_F(CudaParity, SumOfFractionsWithinFloatTolerance) {
    Handle host = tensor_from(sample(4096 * 3), {3, 4096}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    // Error of a 4096-term float32 sum in any order: bounded by n * eps * sum|x| ~ 1e-3 relative
    // in the worst case; these well-conditioned sums land far inside 1e-5.
    expect_close(host_values(sum_of(dev.get(), {1}, false).get()), values_of(sum_of(host.get(), {1}, false).get()),
                 1e-5, "sum float32");
}

TEST_F(CudaParity, SixtyFourBitIndexingPath) {
    // 2^31 + 65 bytes: more elements than int32 indexing can address, so fill and sum take the
    // 64-bit kernels.
    const int64_t n = (int64_t(1) << 31) + 65;
    cmp_tensor t = nullptr;
    ASSERT_EQ(cmp_full(&n, 1, cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, CMP_DTYPE_UINT8, cuda_device(), &t),
              CMP_STATUS_OK)
        << cmp_last_error();
    Handle ones(t);
    EXPECT_EQ(host_values(sum_of(ones.get(), {}, false).get()), std::vector<double>{static_cast<double>(n)});
}

TEST_F(CudaParity, MemoryStatisticsAndEmptyCache) {
    cmp_memory_stats before{}, during{}, after{}, emptied{};
    ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &before), CMP_STATUS_OK);
    {
        const int64_t sizes[] = {1 << 20};
        cmp_tensor t = nullptr;
        ASSERT_EQ(cmp_zeros(sizes, 1, CMP_DTYPE_FLOAT32, cuda_device(), &t), CMP_STATUS_OK) << cmp_last_error();
        Handle owned(t);
        ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &during), CMP_STATUS_OK);
    }
    ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &after), CMP_STATUS_OK);
    EXPECT_GE(during.allocated - before.allocated, 4 << 20);
    EXPECT_GE(during.peak_allocated, during.allocated);
    EXPECT_EQ(after.allocated, before.allocated);
    EXPECT_GE(after.reserved, after.allocated + (4 << 20));  // the block stays cached
    ASSERT_EQ(cmp_empty_cache(cuda_device()), CMP_STATUS_OK);
    ASSERT_EQ(cmp_memory_stats_get(cuda_device(), &emptied), CMP_STATUS_OK);
    EXPECT_EQ(emptied.reserved, emptied.allocated);
    ASSERT_EQ(cmp_cuda_synchronize(0), CMP_STATUS_OK) << cmp_last_error();
}

// The driver's free bytes drop by at least a fresh block's size while the block is cached and
// come back once empty_cache returns it (other processes could change them meanwhile: the
// lent GPU machine runs nothing else).
TEST_F(CudaParity, MemGetInfoSeesTheCachesBlocks) {
    ASSERT_EQ(cmp_empty_cache(cuda_device()), CMP_STATUS_OK);
    int64_t free0 = 0, total = 0, free1 = 0, free2 = 0;
    ASSERT_EQ(cmp_cuda_mem_get_info(0, &free0, &total), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_GT(total, 0);
    EXPECT_LE(free0, total);
    const int64_t bytes = int64_t{256} << 20;
    {
        const int64_t sizes[] = {bytes / 4};
        cmp_tensor t = nullptr;
        ASSERT_EQ(cmp_empty(sizes, 1, CMP_DTYPE_FLOAT32, cuda_device(), &t), CMP_STATUS_OK) << cmp_last_error();
        Handle owned(t);
    }
    ASSERT_EQ(cmp_cuda_mem_get_info(0, &free1, &total), CMP_STATUS_OK);
    EXPECT_LE(free1, free0 - bytes);  // freed to the cache, still taken from the driver
    ASSERT_EQ(cmp_empty_cache(cuda_device()), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_mem_get_info(0, &free2, &total), CMP_STATUS_OK);
    EXPECT_GE(free2, free1 + bytes);
}

int32_t g_hook_calls = 0;
int32_t count_hook(int64_t, void*) {
    ++g_hook_calls;
    return 1;
}

TEST_F(CudaParity, OutOfMemoryRunsTheHookAndReportsTheStatistics) {
    ASSERT_EQ(cmp_set_alloc_failure_hook(count_hook, nullptr), CMP_STATUS_OK);
    const int64_t sizes[] = {int64_t(1) << 50};  // 1 PiB
    cmp_tensor t = nullptr;
    const Failure f = failure_of([&] { return cmp_empty(sizes, 1, CMP_DTYPE_UINT8, cuda_device(), &t); });
    cmp_set_alloc_failure_hook(nullptr, nullptr);
    EXPECT_EQ(f.status, CMP_STATUS_OUT_OF_MEMORY);
    EXPECT_NE(f.message.find("CUDA out of memory. Tried to allocate"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("reserved"), std::string::npos) << f.message;
    EXPECT_EQ(g_hook_calls, 1);
}

TEST_F(CudaParity, MixedDevicesAndUnsupportedOpsAreClearErrors) {
    Handle host = tensor_from(sample(6), {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(host);
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_mul(dev.get(), host.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("Expected all tensors to be on the same device, but found at least two devices, cuda:0 "
                             "and cpu!"),
              std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_matmul(dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("matmul: not implemented on CUDA yet"), std::string::npos) << f.message;
}

}  // namespace
}  // namespace cmp::testing

int main(int argc, char** argv) {
    // The backend built next to this binary unless the caller chose one.
    if (!std::getenv("COMPUTE_CUDA_LIBRARY") && std::string(COMPUTE_CUDA_BACKEND_PATH).size() > 0)
        setenv("COMPUTE_CUDA_LIBRARY", COMPUTE_CUDA_BACKEND_PATH, 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
