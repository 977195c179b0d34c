// The core's CUDA routing, tested without a GPU against tests/cuda/fake_backend.cpp (host
// memory as device memory, no kernels): the backend loader and its version check, storage
// through the backend's allocator, host <-> device copies with strides, broadcasting and dtype
// conversion, and the clear refusal of every op without CUDA support. The main() below points
// COMPUTE_CUDA_LIBRARY at the fake before the core first looks for a backend.
#include "core/cuda_runtime.h"
#include "cuda_test_util.h"

#include <cstdlib>

namespace cmp::testing {
namespace {

const std::vector<double> kValues = {-3.0, -1.5, 0.0, 0.5, 2.0, 7.0};
const cmp_dtype kAllDtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16,
                                CMP_DTYPE_INT64,   CMP_DTYPE_INT32,   CMP_DTYPE_INT16,   CMP_DTYPE_INT8,
                                CMP_DTYPE_UINT8,   CMP_DTYPE_BOOL};

TEST(CudaLoader, LoadsTheFakeBackend) {
    int32_t count = -1;
    CMP_ASSERT_OK(cmp_cuda_device_count(&count));
    EXPECT_EQ(count, 1);
    const char* reason = nullptr;
    CMP_ASSERT_OK(cmp_cuda_unavailable_reason(&reason));
    EXPECT_STREQ(reason, "");
}

TEST(CudaLoader, RefusesAnotherInterfaceVersionNamingBoth) {
    const std::string reason = cuda::probe_library(COMPUTE_FAKE_BACKEND_V999);
    EXPECT_NE(reason.find(COMPUTE_FAKE_BACKEND_V999), std::string::npos) << reason;
    EXPECT_NE(reason.find("implements CUDA backend interface version 999"), std::string::npos) << reason;
    EXPECT_NE(reason.find("expects version " + std::to_string(COMPUTE_CUDA_BACKEND_VERSION)), std::string::npos)
        << reason;
}

TEST(CudaLoader, RefusesALibraryWithoutTheEntryPoint) {
    const std::string reason = cuda::probe_library(COMPUTE_CORE_LIBRARY);
    EXPECT_NE(reason.find("does not export compute_cuda_get_backend"), std::string::npos) << reason;
}

TEST(CudaLoader, ReportsALibraryThatCannotBeLoaded) {
    const std::string reason = cuda::probe_library("/nonexistent/libcompute_cuda.so");
    EXPECT_NE(reason.find("/nonexistent/libcompute_cuda.so could not be loaded"), std::string::npos) << reason;
    EXPECT_EQ(cuda::probe_library(COMPUTE_FAKE_BACKEND), "");
}

TEST(CudaRouting, RoundTripKeepsEveryDtype) {
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(kValues, {2, 3}, dt);
        Handle dev = to_device(host.get(), cuda_device());
        ASSERT_TRUE(dev);
        EXPECT_EQ(device_of(dev.get()).type, CMP_DEVICE_CUDA);
        EXPECT_EQ(host_values(dev.get()), values_of(host.get())) << "dtype " << dt;
    }
}

TEST(CudaRouting, HostToDeviceGathersStridesAndConverts) {
    // A transposed float64 view copied into a float32 CUDA tensor: the CPU engine converts and
    // gathers into a staging buffer, one transfer moves it.
    Handle src = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT64);
    cmp_tensor t = nullptr;
    CMP_ASSERT_OK(cmp_transpose(src.get(), 0, 1, &t));
    Handle transposed(t);
    cmp_tensor d = nullptr;
    const int64_t sizes[] = {3, 2};
    CMP_ASSERT_OK(cmp_empty(sizes, 2, CMP_DTYPE_FLOAT32, cuda_device(), &d));
    Handle dst(d);
    CMP_ASSERT_OK(cmp_copy_(dst.get(), transposed.get()));
    EXPECT_EQ(host_values(dst.get()), (std::vector<double>{-3.0, 0.5, -1.5, 2.0, 0.0, 7.0}));
}

TEST(CudaRouting, HostToDeviceBroadcasts) {
    Handle row = tensor_from({1.0, 2.0, 3.0}, {3}, CMP_DTYPE_INT64);
    cmp_tensor d = nullptr;
    const int64_t sizes[] = {2, 3};
    CMP_ASSERT_OK(cmp_empty(sizes, 2, CMP_DTYPE_INT32, cuda_device(), &d));
    Handle dst(d);
    CMP_ASSERT_OK(cmp_copy_(dst.get(), row.get()));
    EXPECT_EQ(host_values(dst.get()), (std::vector<double>{1, 2, 3, 1, 2, 3}));
}

TEST(CudaRouting, DeviceToHostConvertsIntoAStridedDestination) {
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_INT32);
    Handle dev = to_device(host.get(), cuda_device());
    Handle out = tensor_from(std::vector<double>(6, 0.0), {3, 2}, CMP_DTYPE_FLOAT64);
    cmp_tensor t = nullptr;
    CMP_ASSERT_OK(cmp_transpose(out.get(), 0, 1, &t));
    Handle out_t(t);  // a [2, 3] view of out, not contiguous
    CMP_ASSERT_OK(cmp_copy_(out_t.get(), dev.get()));
    EXPECT_EQ(values_of(out_t.get()), (std::vector<double>{-3, -1, 0, 0, 2, 7}));
}

TEST(CudaRouting, StorageComesFromTheBackendAllocator) {
    cmp_memory_stats before{}, during{}, after{};
    CMP_ASSERT_OK(cmp_memory_stats_get(cuda_device(), &before));
    {
        cmp_tensor t = nullptr;
        const int64_t sizes[] = {1000};
        CMP_ASSERT_OK(cmp_empty(sizes, 1, CMP_DTYPE_FLOAT64, cuda_device(), &t));
        Handle owned(t);
        CMP_ASSERT_OK(cmp_memory_stats_get(cuda_device(), &during));
    }
    CMP_ASSERT_OK(cmp_memory_stats_get(cuda_device(), &after));
    EXPECT_EQ(during.allocated - before.allocated, 8000);
    EXPECT_GE(during.peak_allocated, during.allocated);
    EXPECT_EQ(after.allocated, before.allocated);
    CMP_ASSERT_OK(cmp_empty_cache(cuda_device()));
}

TEST(CudaRouting, OpsWithoutCudaSupportAreRefusedAtTheDoor) {
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_matmul(dev.get(), dev.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("matmul: not implemented on CUDA yet (argument 'a' is on cuda:0)"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_cumsum(dev.get(), 0, &out); });
    EXPECT_NE(f.message.find("cumsum: not implemented on CUDA yet"), std::string::npos) << f.message;
    std::vector<float> buffer(6);
    f = failure_of([&] { return cmp_tensor_copy_to_buffer(dev.get(), buffer.data(), 24); });
    EXPECT_NE(f.message.find("tensor_copy_to_buffer: not implemented on CUDA yet"), std::string::npos) << f.message;
    const int64_t sizes[] = {4};
    f = failure_of([&] { return cmp_rand(sizes, 1, CMP_DTYPE_FLOAT32, cuda_device(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("rand: not implemented on CUDA yet (argument 'device' is on cuda:0)"), std::string::npos)
        << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, KernelCallsReachTheBackendAndCarryItsMessage) {
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_add(dev.get(), dev.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("add: fake backend: no kernels"), std::string::npos) << f.message;
    // A CPU wrapped number next to a CUDA tensor is allowed, as in PyTorch.
    cmp_tensor s = nullptr;
    CMP_ASSERT_OK(cmp_scalar_tensor(cmp_scalar{CMP_SCALAR_FLOAT, 0, 2.0, 0}, cpu_device(), &s));
    Handle scalar(s);
    f = failure_of([&] { return cmp_mul(dev.get(), scalar.get(), &out); });
    EXPECT_NE(f.message.find("mul: fake backend: no kernels"), std::string::npos) << f.message;
    // The unary math family and clamp reach their own entries of the table.
    f = failure_of([&] { return cmp_sigmoid(dev.get(), &out); });
    EXPECT_NE(f.message.find("sigmoid: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_isnan(dev.get(), &out); });
    EXPECT_NE(f.message.find("isnan: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_lt(dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("lt: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_clamp_tensor(dev.get(), dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("clamp: fake backend: no kernels"), std::string::npos) << f.message;
    // The binary and ternary math families reach theirs, div with a rounding mode included.
    f = failure_of([&] { return cmp_div_rounding(dev.get(), dev.get(), CMP_ROUNDING_FLOOR, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("div: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_floor_divide(dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("floor_divide: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_pow(dev.get(), scalar.get(), &out); });
    EXPECT_NE(f.message.find("pow: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_logical_xor(dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("logical_xor: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_lerp(dev.get(), dev.get(), dev.get(), &out); });
    EXPECT_NE(f.message.find("lerp: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_addcdiv_(dev.get(), dev.get(), dev.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}); });
    EXPECT_NE(f.message.find("addcdiv_: fake backend: no kernels"), std::string::npos) << f.message;
    // The reductions reach reduce_rows (over the last dim or every dim of a contiguous tensor:
    // no copy kernel needed first).
    const int64_t last[] = {1};
    f = failure_of([&] { return cmp_mean(dev.get(), last, 1, 0, &out); });
    EXPECT_NE(f.message.find("mean: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_amax(dev.get(), last, 1, 1, &out); });
    EXPECT_NE(f.message.find("amax: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_all(dev.get(), nullptr, 0, 0, &out); });
    EXPECT_NE(f.message.find("all: fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_max(dev.get(), &out); });
    EXPECT_NE(f.message.find("max: fake backend: no kernels"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, TheReductionsWithMoreOperandsReachTheBackend) {
    // max/min with a dim, argmax/argmin, var/std (and their means), vector_norm, logsumexp and
    // count_nonzero pass the ABI's list and their front-end's checks and reach reduce_rows_args
    // (over the last dim of a contiguous tensor: no copy kernel first), which fails here; no
    // output is left behind.
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor values = nullptr, indices = nullptr, out = nullptr;
    const int64_t last[] = {1};
    const auto expect_backend = [](const Failure& f, const char* op) {
        EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR) << op;
        EXPECT_NE(f.message.find(std::string(op) + ": fake backend: no kernels"), std::string::npos) << f.message;
    };
    expect_backend(failure_of([&] { return cmp_max_dim(dev.get(), 1, 0, &values, &indices); }), "max");
    expect_backend(failure_of([&] { return cmp_min_dim(dev.get(), -1, 1, &values, &indices); }), "min");
    expect_backend(failure_of([&] { return cmp_argmax(dev.get(), 1, 1, 0, &out); }), "argmax");
    expect_backend(failure_of([&] { return cmp_argmin(dev.get(), 0, 0, 0, &out); }), "argmin");
    expect_backend(failure_of([&] { return cmp_var(dev.get(), last, 1, 1.0, 0, &out); }), "var");
    expect_backend(failure_of([&] { return cmp_std(dev.get(), nullptr, 0, 0.0, 1, &out); }), "std");
    expect_backend(failure_of([&] { return cmp_var_mean(dev.get(), last, 1, 1.0, 0, &values, &indices); }),
                   "var_mean");
    expect_backend(failure_of([&] { return cmp_std_mean(dev.get(), last, 1, 1.0, 0, &values, &indices); }),
                   "std_mean");
    expect_backend(failure_of([&] { return cmp_vector_norm(dev.get(), 3.0, last, 1, 0, &out); }),
                   "linalg.vector_norm");
    expect_backend(failure_of([&] { return cmp_logsumexp(dev.get(), last, 1, 0, &out); }), "logsumexp");
    expect_backend(failure_of([&] { return cmp_count_nonzero(dev.get(), last, 1, &out); }), "count_nonzero");
    EXPECT_EQ(values, nullptr);
    EXPECT_EQ(indices, nullptr);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, TheScansAreRefused) {
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_cumsum(dev.get(), 1, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("cumsum: not implemented on CUDA yet (argument 'tensor' is on cuda:0)"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_cumprod(dev.get(), 0, &out); });
    EXPECT_NE(f.message.find("cumprod: not implemented on CUDA yet"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, MixedDevicesGivePyTorchsError) {
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = to_device(host.get(), cuda_device());
    cmp_tensor out = nullptr;
    const Failure f =
        failure_of([&] { return cmp_add(host.get(), dev.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("add: Expected all tensors to be on the same device, but found at least two devices, "
                             "cpu and cuda:0!"),
              std::string::npos)
        << f.message;
}

}  // namespace
}  // namespace cmp::testing

int main(int argc, char** argv) {
    setenv("COMPUTE_CUDA_LIBRARY", COMPUTE_FAKE_BACKEND, 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
