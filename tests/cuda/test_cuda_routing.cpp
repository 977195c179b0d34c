// The core's CUDA routing, tested without a GPU against tests/cuda/fake_backend.cpp (host
// memory as device memory, no kernels): the backend loader and its version check, storage
// through the backend's allocator, host <-> device copies with strides, broadcasting and dtype
// conversion, the clear refusal of every op without CUDA support, and the plans the front-ends
// hand to the backend entries that take one (softmax, the scans, tril/triu: the fake records the last such
// call, fake_backend.h), and the values of the entries the fake computes on the host (random fills,
// optimizer steps, layer/RMS/group norm, gather / index_select / embedding and its backward,
// randperm and multinomial), and
// the ops composed of other device ops (compose_cases.h: shape copies) and the fused kernels the
// fake runs on the host (batch norm, attention: their very code, through simt_emulator.h), and
// the convolutions (conv_cases.h: the fake's im2col / col2im and host gemm). The main() below points
// COMPUTE_CUDA_LIBRARY at the fake before the core first looks for a backend.
#include "core/cuda_runtime.h"
#include "ops/cuda_ops.h"
#include "class_loss_cases.h"
#include "compose_cases.h"
#include "conv_cases.h"
#include "cuda_test_util.h"
#include "activation_cases.h"
#include "fake_backend.h"
#include "fake_export.h"
#include "loss_cases.h"
#include "advanced_index_cases.h"
#include "index_cases.h"
#include "grid_cases.h"
#include "interp_cases.h"
#include "optim_cases.h"
#include "pool_cases.h"
#include "random_cases.h"
#include "row_norm_cases.h"
#include "sort_cases.h"
#include "train_cases.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

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

// cmp_cuda_mem_get_info is the backend's answer (the fake: a 16 GiB device less its live blocks),
// with the device checked and both outputs required.
TEST(CudaRouting, MemGetInfoAsksTheBackend) {
    int64_t free_before = -1, total = -1, free_during = -1;
    CMP_ASSERT_OK(cmp_cuda_mem_get_info(0, &free_before, &total));
    EXPECT_EQ(total, int64_t{16} << 30);
    {
        cmp_tensor t = nullptr;
        const int64_t sizes[] = {1000};
        CMP_ASSERT_OK(cmp_empty(sizes, 1, CMP_DTYPE_FLOAT64, cuda_device(), &t));
        Handle owned(t);
        CMP_ASSERT_OK(cmp_cuda_mem_get_info(0, &free_during, &total));
    }
    EXPECT_EQ(free_before - free_during, 8000);
    Failure f = failure_of([&] { return cmp_cuda_mem_get_info(2, &free_before, &total); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("cmp_cuda_mem_get_info"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_cuda_mem_get_info(0, nullptr, &total); });
    EXPECT_EQ(f.status, CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(f.message.find("out_free"), std::string::npos) << f.message;
}

TEST(CudaRouting, OpsWithoutCudaSupportAreRefusedAtTheDoor) {
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    void* capsule = nullptr;
    Failure f = failure_of([&] { return cmp_to_dlpack(dev.get(), &capsule); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("to_dlpack: not implemented on CUDA yet (argument 'tensor' is on cuda:0)"),
              std::string::npos)
        << f.message;
    EXPECT_EQ(capsule, nullptr);
    void* data = nullptr;
    f = failure_of([&] { return cmp_tensor_data_ptr(dev.get(), &data); });
    EXPECT_NE(f.message.find("tensor_data_ptr: not implemented on CUDA yet"), std::string::npos) << f.message;
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

// The last softmax / softmax_backward / scan call the fake backend received (fake_backend.h).
FakeLineCall last_line_call() {
    static const auto fn = fake_export<FakeLastLineCallFn>(FAKE_BACKEND_LAST_LINE_CALL);
    return fn ? *fn() : FakeLineCall{};
}

// n distinct values in (-3, 3).
std::vector<double> sample_values(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 7) % 11 - 5) / 2.0;
    return v;
}

void expect_lines(const FakeLineCall& c, const char* entry, cmp_dtype dtype, int64_t outer, int64_t dim, int64_t inner,
                  int32_t flag) {
    EXPECT_STREQ(c.entry, entry);
    EXPECT_EQ(c.lines.device, 0) << entry;
    EXPECT_EQ(c.lines.dtype, dtype) << entry;
    EXPECT_EQ(c.lines.stream, nullptr) << entry;
    EXPECT_EQ(c.lines.outer, outer) << entry;
    EXPECT_EQ(c.lines.dim, dim) << entry;
    EXPECT_EQ(c.lines.inner, inner) << entry;
    EXPECT_EQ(c.flag, flag) << entry;
    EXPECT_NE(c.inputs[0], nullptr) << entry;
    EXPECT_NE(c.out, nullptr) << entry;
    EXPECT_NE(c.out, c.inputs[0]) << entry;
}

void expect_fake_failure(const Failure& f, const char* op) {
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR) << op;
    EXPECT_NE(f.message.find(std::string(op) + ": fake backend: no kernels"), std::string::npos) << f.message;
}

TEST(CudaRouting, SoftmaxReachesTheBackendWithTheCpusPlan) {
    // A dense [2, 3, 4] tensor: softmax along dim d runs on [prod(sizes before d), size d,
    // prod(sizes after d)], the CPU kernel's plan; the input goes over without a copy kernel
    // (the fake has none, so a copy would fail in "copy" first).
    Handle dev = to_device(tensor_from(sample_values(24), {2, 3, 4}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_fake_failure(failure_of([&] { return cmp_softmax(dev.get(), 1, nullptr, &out); }), "softmax");
    expect_lines(last_line_call(), "softmax", CMP_DTYPE_FLOAT32, 2, 3, 4, 0);
    expect_fake_failure(failure_of([&] { return cmp_log_softmax(dev.get(), -1, nullptr, &out); }), "log_softmax");
    expect_lines(last_line_call(), "softmax", CMP_DTYPE_FLOAT32, 6, 4, 1, 1);
    const cmp_dtype same = CMP_DTYPE_FLOAT32;
    expect_fake_failure(failure_of([&] { return cmp_softmax(dev.get(), 0, &same, &out); }), "softmax");
    expect_lines(last_line_call(), "softmax", CMP_DTYPE_FLOAT32, 1, 2, 12, 0);
    // A 0-dim tensor is one line of one element.
    Handle scalar = to_device(tensor_from({1.5}, {}, CMP_DTYPE_FLOAT64).get(), cuda_device());
    expect_fake_failure(failure_of([&] { return cmp_log_softmax(scalar.get(), 0, nullptr, &out); }), "log_softmax");
    expect_lines(last_line_call(), "softmax", CMP_DTYPE_FLOAT64, 1, 1, 1, 1);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, SoftmaxBackwardReachesTheBackendWithTheCpusPlan) {
    Handle y = to_device(tensor_from(sample_values(24), {4, 6}, CMP_DTYPE_FLOAT64).get(), cuda_device());
    Handle go = to_device(tensor_from(sample_values(24), {4, 6}, CMP_DTYPE_FLOAT64).get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_fake_failure(failure_of([&] { return cmp_softmax_backward(go.get(), y.get(), 1, &out); }),
                        "softmax_backward");
    FakeLineCall c = last_line_call();
    expect_lines(c, "softmax_backward", CMP_DTYPE_FLOAT64, 4, 6, 1, 0);
    EXPECT_NE(c.inputs[1], nullptr);
    EXPECT_NE(c.inputs[0], c.inputs[1]);  // grad_output, then the forward's output
    expect_fake_failure(failure_of([&] { return cmp_log_softmax_backward(go.get(), y.get(), 0, &out); }),
                        "log_softmax_backward");
    expect_lines(last_line_call(), "softmax_backward", CMP_DTYPE_FLOAT64, 1, 4, 6, 1);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, SoftmaxRefusalsComeBeforeTheBackend) {
    Handle dev = to_device(tensor_from(sample_values(6), {2, 3}, CMP_DTYPE_INT64).get(), cuda_device());
    cmp_tensor out = nullptr;
    // An integer input without a dtype: the CPU's message.
    Failure f = failure_of([&] { return cmp_softmax(dev.get(), 1, nullptr, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("softmax: expected a floating dtype, got int64"), std::string::npos) << f.message;
    // A dim out of range.
    Handle y = to_device(tensor_from(sample_values(6), {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    f = failure_of([&] { return cmp_log_softmax(y.get(), 2, nullptr, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_INDEX_OUT_OF_RANGE) << f.message;
    // grad_output on the CPU, the forward's output on the device: PyTorch's error.
    Handle host_grad = tensor_from(sample_values(6), {2, 3}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] { return cmp_softmax_backward(host_grad.get(), y.get(), 1, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("softmax_backward: Expected all tensors to be on the same device, but found at least "
                             "two devices, cpu and cuda:0!"),
              std::string::npos)
        << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, TheScansReachTheBackendWithTheirLines) {
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_fake_failure(failure_of([&] { return cmp_cumsum(dev.get(), 1, &out); }), "cumsum");
    expect_lines(last_line_call(), "scan", CMP_DTYPE_FLOAT32, 2, 3, 1, COMPUTE_CUDA_SCAN_CUMSUM);
    expect_fake_failure(failure_of([&] { return cmp_cumprod(dev.get(), 0, &out); }), "cumprod");
    expect_lines(last_line_call(), "scan", CMP_DTYPE_FLOAT32, 1, 2, 3, COMPUTE_CUDA_SCAN_CUMPROD);
    expect_fake_failure(failure_of([&] { return cmp_cumprod_dtype(dev.get(), -1, CMP_DTYPE_FLOAT32, &out); }),
                        "cumprod");
    expect_lines(last_line_call(), "scan", CMP_DTYPE_FLOAT32, 2, 3, 1, COMPUTE_CUDA_SCAN_CUMPROD);
    // int64 needs no conversion: its scan accumulates in int64 as the CPU's (int32 would be
    // converted by a copy kernel first, which the fake does not have).
    Handle ints = to_device(tensor_from(kValues, {3, 2}, CMP_DTYPE_INT64).get(), cuda_device());
    expect_fake_failure(failure_of([&] { return cmp_cumsum(ints.get(), 0, &out); }), "cumsum");
    expect_lines(last_line_call(), "scan", CMP_DTYPE_INT64, 1, 3, 2, COMPUTE_CUDA_SCAN_CUMSUM);
    // A dim out of range is the CPU's error; bool is refused as a result dtype.
    Failure f = failure_of([&] { return cmp_cumsum(dev.get(), 2, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_INDEX_OUT_OF_RANGE) << f.message;
    f = failure_of([&] { return cmp_cumsum_dtype(dev.get(), 0, CMP_DTYPE_BOOL, &out); });
    EXPECT_NE(f.message.find("cumsum: dtype bool is not supported"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, EmptyScansNeedNoKernel) {
    // Nothing to scan: an empty CUDA result, as on the CPU, without a call to the backend (the
    // record of the call before is left as it was).
    Handle marker = to_device(tensor_from(sample_values(35), {5, 7}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_fake_failure(failure_of([&] { return cmp_cumsum(marker.get(), 1, &out); }), "cumsum");
    cmp_tensor t = nullptr;
    const int64_t sizes[] = {2, 0, 3};
    ASSERT_EQ(cmp_empty(sizes, 3, CMP_DTYPE_FLOAT32, cuda_device(), &t), CMP_STATUS_OK) << cmp_last_error();
    Handle dev(t);
    CMP_ASSERT_OK(cmp_cumsum(dev.get(), 2, &out));
    Handle owned(out);
    EXPECT_EQ(device_of(out).type, CMP_DEVICE_CUDA);
    EXPECT_EQ(sizes_of(out), (std::vector<int64_t>{2, 0, 3}));
    expect_lines(last_line_call(), "scan", CMP_DTYPE_FLOAT32, 5, 7, 1, COMPUTE_CUDA_SCAN_CUMSUM);
}

TEST(CudaRouting, TrilAndTriuReachTheBackendWithTheirMatrices) {
    // [2, 3, 4]: 2 matrices of 3 rows and 4 columns, dense, so no copy kernel comes first.
    Handle dev = to_device(tensor_from(sample_values(24), {2, 3, 4}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_fake_failure(failure_of([&] { return cmp_tril(dev.get(), -1, &out); }), "tril");
    FakeLineCall c = last_line_call();
    expect_lines(c, "triangle", CMP_DTYPE_FLOAT32, 2, 3, 4, 0);
    EXPECT_EQ(c.param, -1);
    EXPECT_EQ(c.inputs[1], nullptr);
    expect_fake_failure(failure_of([&] { return cmp_triu(dev.get(), 2, &out); }), "triu");
    c = last_line_call();
    expect_lines(c, "triangle", CMP_DTYPE_FLOAT32, 2, 3, 4, 1);
    EXPECT_EQ(c.param, 2);
    // Every dtype goes as it is (the kernel moves bits), bool and integers included; a matrix
    // without batch dims is one matrix.
    for (cmp_dtype dt : {CMP_DTYPE_BOOL, CMP_DTYPE_INT8, CMP_DTYPE_INT64, CMP_DTYPE_BFLOAT16}) {
        Handle m = to_device(tensor_from(sample_values(15), {5, 3}, dt).get(), cuda_device());
        expect_fake_failure(failure_of([&] { return cmp_triu(m.get(), 0, &out); }), "triu");
        expect_lines(last_line_call(), "triangle", dt, 1, 5, 3, 1);
    }
    // Fewer than 2 dims is the CPU's error, before the backend.
    Handle vec = to_device(tensor_from(kValues, {6}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    const Failure f = failure_of([&] { return cmp_tril(vec.get(), 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH) << f.message;
    EXPECT_NE(f.message.find("tril: input tensor must have at least 2 dimensions"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, FlipRollAndEyeReachTheCopyAndFillKernels) {
    // flip lays out a view with negative strides, roll copies blocks, eye fills: all through the
    // elementwise engine's kernels, which the fake does not have (admitted at the door, failing
    // in the backend with its message).
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor out = nullptr;
    const int64_t dims[] = {0, 1};
    const int64_t shifts[] = {1, -2};
    Failure f = failure_of([&] { return cmp_flip(dev.get(), dims, 2, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_roll(dev.get(), shifts, 2, dims, 2, &out); });
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_eye(3, 4, CMP_DTYPE_FLOAT32, cuda_device(), &out); });
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
    // The CPU's argument checks come first.
    const int64_t twice[] = {1, -1};
    f = failure_of([&] { return cmp_flip(dev.get(), twice, 2, &out); });
    EXPECT_NE(f.message.find("flip: dim 1 appears multiple times in the list of dims"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_roll(dev.get(), shifts, 2, dims, 1, &out); });
    EXPECT_NE(f.message.find("roll: shifts and dimensions must align"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, SequencesOnADeviceHoldTheCpusValues) {
    // arange / linspace / logspace are built on the CPU and moved in one transfer (which the
    // fake does, host memory standing in for the device's), so they hold the CPU's numbers.
    const cmp_scalar start{CMP_SCALAR_FLOAT, 0, -1.5, 0}, end{CMP_SCALAR_FLOAT, 0, 2.25, 0},
        step{CMP_SCALAR_FLOAT, 0, 0.3, 0};
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_BFLOAT16, CMP_DTYPE_INT32}) {
        cmp_tensor host = nullptr, dev = nullptr;
        const cmp_scalar s = dt == CMP_DTYPE_INT32 ? cmp_scalar{CMP_SCALAR_INT, 0, 0.0, -7} : start;
        const cmp_scalar e = dt == CMP_DTYPE_INT32 ? cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 20} : end;
        const cmp_scalar st = dt == CMP_DTYPE_INT32 ? cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 3} : step;
        CMP_ASSERT_OK(cmp_arange(s, e, st, dt, cpu_device(), &host));
        CMP_ASSERT_OK(cmp_arange(s, e, st, dt, cuda_device(), &dev));
        Handle h(host), d(dev);
        EXPECT_EQ(device_of(dev).type, CMP_DEVICE_CUDA);
        EXPECT_EQ(host_values(dev), host_values(host)) << "arange " << dt;
        CMP_ASSERT_OK(cmp_linspace(start, end, 7, dt, cpu_device(), &host));
        CMP_ASSERT_OK(cmp_linspace(start, end, 7, dt, cuda_device(), &dev));
        Handle h2(host), d2(dev);
        EXPECT_EQ(device_of(dev).type, CMP_DEVICE_CUDA);
        EXPECT_EQ(host_values(dev), host_values(host)) << "linspace " << dt;
    }
    // tril_indices / triu_indices: the CPU's indices too, every offset sign, and the CPU's checks.
    using TriIndicesFn = cmp_status (*)(int64_t, int64_t, int64_t, cmp_dtype, cmp_device, cmp_tensor*);
    const std::pair<TriIndicesFn, const char*> tri_ops[] = {{cmp_tril_indices, "tril_indices"},
                                                            {cmp_triu_indices, "triu_indices"}};
    for (const auto& [fn, op] : tri_ops)
        for (cmp_dtype dt : {CMP_DTYPE_INT64, CMP_DTYPE_INT32})
            for (int64_t offset : {-2, 0, 1, 7}) {
                cmp_tensor host = nullptr, dev = nullptr;
                CMP_ASSERT_OK(fn(5, 4, offset, dt, cpu_device(), &host));
                CMP_ASSERT_OK(fn(5, 4, offset, dt, cuda_device(), &dev));
                Handle h(host), d(dev);
                EXPECT_EQ(device_of(dev).type, CMP_DEVICE_CUDA);
                EXPECT_EQ(sizes_of(dev), sizes_of(host)) << op << " " << offset;
                EXPECT_EQ(host_values(dev), host_values(host)) << op << " " << offset;
            }
    {
        cmp_tensor out = nullptr;
        const Failure f = failure_of([&] { return cmp_tril_indices(3, 3, 0, CMP_DTYPE_FLOAT32, cuda_device(), &out); });
        EXPECT_NE(f.message.find("tril_indices: expected an integer dtype"), std::string::npos) << f.message;
        EXPECT_EQ(out, nullptr);
    }
    cmp_tensor out = nullptr;
    const Failure f = failure_of(
        [&] { return cmp_arange(start, end, cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.0, 0}, CMP_DTYPE_FLOAT32, cuda_device(), &out); });
    EXPECT_NE(f.message.find("arange: step must be nonzero"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

// The last gemm call the fake backend received, and the count of calls (fake_backend.h).
FakeGemmCall last_gemm_call() {
    static const auto fn = fake_export<FakeLastGemmCallFn>(FAKE_BACKEND_LAST_GEMM_CALL);
    return fn ? *fn() : FakeGemmCall{};
}

struct Matrices {
    int64_t batch_stride, row_stride, col_stride;
};

void expect_gemm(const char* what, cmp_dtype dtype, int64_t batch, int64_t m, int64_t n, int64_t k, Matrices a,
                 Matrices b, Matrices c, double alpha = 1.0, double beta = 0.0, int32_t tf32 = 0) {
    const compute_cuda_gemm g = last_gemm_call().gemm;
    EXPECT_EQ(g.device, 0) << what;
    EXPECT_EQ(g.dtype, dtype) << what;
    EXPECT_EQ(g.stream, nullptr) << what;
    EXPECT_EQ(g.batch, batch) << what;
    EXPECT_EQ(g.m, m) << what;
    EXPECT_EQ(g.n, n) << what;
    EXPECT_EQ(g.k, k) << what;
    const compute_cuda_matrices* got[] = {&g.a, &g.b, &g.c};
    const Matrices want[] = {a, b, c};
    for (int i = 0; i < 3; ++i) {
        EXPECT_NE(got[i]->data, nullptr) << what << " operand " << i;
        if (batch > 1) {
            EXPECT_EQ(got[i]->batch_stride, want[i].batch_stride) << what << " operand " << i;
        }
        EXPECT_EQ(got[i]->row_stride, want[i].row_stride) << what << " operand " << i;
        EXPECT_EQ(got[i]->col_stride, want[i].col_stride) << what << " operand " << i;
    }
    EXPECT_EQ(g.alpha, alpha) << what;
    EXPECT_EQ(g.beta, beta) << what;
    EXPECT_EQ(g.allow_tf32, tf32) << what;
    EXPECT_EQ(g.epilogue, COMPUTE_CUDA_GEMM_EPILOGUE_NONE) << what;
}

Handle dev_tensor(const std::vector<int64_t>& sizes, cmp_dtype dt = CMP_DTYPE_FLOAT32) {
    int64_t n = 1;
    for (int64_t s : sizes) n *= s;
    return to_device(tensor_from(sample_values(n), sizes, dt).get(), cuda_device());
}

Handle view_transposed(const Handle& t, int64_t d0, int64_t d1) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_transpose(t.get(), d0, d1, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

// A product that failed in one of the fake's elementwise kernels (a copy or fill) before
// reaching gemm, which was called `calls` times before it.
void expect_kernel_failure_before_gemm(const Failure& f, int64_t calls) {
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
    EXPECT_EQ(last_gemm_call().calls, calls);
}

TEST(CudaRouting, MatrixProductsReachGemmWithTheirStrides) {
    // Each product reaches the gemm entry once, with the operands' own strides (no copy kernel:
    // the fake has none, so a copy would fail in "copy" before gemm), then fails there.
    const Handle a = dev_tensor({3, 4}), b = dev_tensor({4, 5}), bt = dev_tensor({5, 4});
    cmp_tensor out = nullptr;
    int64_t calls = last_gemm_call().calls;
    expect_fake_failure(failure_of([&] { return cmp_mm(a.get(), b.get(), &out); }), "mm");
    EXPECT_EQ(last_gemm_call().calls, ++calls);
    expect_gemm("mm", CMP_DTYPE_FLOAT32, 1, 3, 5, 4, {0, 4, 1}, {0, 5, 1}, {0, 5, 1});  // batch strides unused
    // A transposed operand goes in as it is: dense columns.
    const Handle b_t = view_transposed(bt, 0, 1);
    expect_fake_failure(failure_of([&] { return cmp_matmul(a.get(), b_t.get(), &out); }), "matmul");
    EXPECT_EQ(last_gemm_call().calls, ++calls);
    expect_gemm("matmul a @ b^T", CMP_DTYPE_FLOAT32, 1, 3, 5, 4, {0, 4, 1}, {0, 1, 4}, {15, 5, 1});
    // bmm over a batch; baddbmm with beta 0 never reads input (no copy of it first).
    const Handle x = dev_tensor({2, 3, 4}, CMP_DTYPE_FLOAT64), y = dev_tensor({2, 4, 5}, CMP_DTYPE_FLOAT64);
    expect_fake_failure(failure_of([&] { return cmp_bmm(x.get(), y.get(), &out); }), "bmm");
    expect_gemm("bmm", CMP_DTYPE_FLOAT64, 2, 3, 5, 4, {12, 4, 1}, {20, 5, 1}, {15, 5, 1});
    const Handle bias = dev_tensor({5}, CMP_DTYPE_FLOAT64);
    expect_fake_failure(failure_of([&] {
                            return cmp_baddbmm(bias.get(), x.get(), y.get(), cmp_scalar{CMP_SCALAR_FLOAT, 0, 0.0, 0},
                                               cmp_scalar{CMP_SCALAR_FLOAT, 0, 2.5, 0}, &out);
                        }),
                        "baddbmm");
    expect_gemm("baddbmm", CMP_DTYPE_FLOAT64, 2, 3, 5, 4, {12, 4, 1}, {20, 5, 1}, {15, 5, 1}, 2.5, 0.0);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, MatmulBroadcastsItsBatchIntoOneBatchStride) {
    cmp_tensor out = nullptr;
    // One matrix against a batch: the expanded matrix keeps batch stride 0, no copy.
    const Handle a = dev_tensor({3, 4}), b = dev_tensor({6, 4, 2});
    expect_fake_failure(failure_of([&] { return cmp_matmul(a.get(), b.get(), &out); }), "matmul");
    expect_gemm("[3, 4] @ [6, 4, 2]", CMP_DTYPE_FLOAT32, 6, 3, 2, 4, {0, 4, 1}, {8, 2, 1}, {6, 2, 1});
    // A vector on the left is one row; on the right one column; 1-D @ 1-D is a 1 x 1 product.
    const Handle v = dev_tensor({4});
    expect_fake_failure(failure_of([&] { return cmp_matmul(v.get(), b.get(), &out); }), "matmul");
    const compute_cuda_gemm g = last_gemm_call().gemm;
    EXPECT_EQ(g.batch, 6);
    EXPECT_EQ(g.m, 1);
    EXPECT_EQ(g.n, 2);
    EXPECT_EQ(g.k, 4);
    EXPECT_EQ(g.a.batch_stride, 0);
    EXPECT_EQ(g.a.col_stride, 1);
    const Handle w = dev_tensor({6, 3, 4});
    expect_fake_failure(failure_of([&] { return cmp_matmul(w.get(), v.get(), &out); }), "matmul");
    expect_gemm("[6, 3, 4] @ [4]", CMP_DTYPE_FLOAT32, 6, 3, 1, 4, {12, 4, 1}, {0, 1, 1}, {3, 1, 1});
    expect_fake_failure(failure_of([&] { return cmp_matmul(v.get(), v.get(), &out); }), "matmul");
    EXPECT_EQ(last_gemm_call().gemm.m, 1);
    EXPECT_EQ(last_gemm_call().gemm.n, 1);
    EXPECT_EQ(last_gemm_call().gemm.k, 4);
    // Batch dims that broadcast against each other cannot share one stride: the operands are
    // copied first (here the fake's copy kernel fails before gemm is reached).
    const int64_t calls = last_gemm_call().calls;
    const Handle p = dev_tensor({2, 1, 3, 4}), q = dev_tensor({5, 4, 2});
    expect_kernel_failure_before_gemm(failure_of([&] { return cmp_matmul(p.get(), q.get(), &out); }), calls);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, VectorProductsAndEinsumReachGemm) {
    cmp_tensor out = nullptr;
    const Handle mat = dev_tensor({3, 4}), v = dev_tensor({4}), u = dev_tensor({3});
    expect_fake_failure(failure_of([&] { return cmp_mv(mat.get(), v.get(), &out); }), "mv");
    expect_gemm("mv", CMP_DTYPE_FLOAT32, 1, 3, 1, 4, {0, 4, 1}, {0, 1, 0}, {3, 1, 1});
    expect_fake_failure(failure_of([&] {
                            return cmp_addmv(u.get(), mat.get(), v.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 0},
                                             cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 3}, &out);
                        }),
                        "addmv");
    expect_gemm("addmv", CMP_DTYPE_FLOAT32, 1, 3, 1, 4, {0, 4, 1}, {0, 1, 0}, {3, 1, 1}, 3.0, 0.0);
    // dot of a strided vector: a row with column stride 2, read in place.
    const Handle long_v = dev_tensor({8});
    cmp_tensor sliced = nullptr;
    CMP_ASSERT_OK(cmp_slice(long_v.get(), 0, 0, 8, 2, &sliced));
    Handle strided(sliced);
    expect_fake_failure(failure_of([&] { return cmp_dot(strided.get(), v.get(), &out); }), "dot");
    expect_gemm("dot", CMP_DTYPE_FLOAT32, 1, 1, 1, 4, {0, 0, 2}, {0, 1, 0}, {1, 1, 1});
    const int64_t calls = last_gemm_call().calls;
    const cmp_tensor pair[] = {mat.get(), mat.get()};
    expect_fake_failure(failure_of([&] { return cmp_einsum("ij,kj->ik", pair, 2, &out); }), "bmm");
    EXPECT_EQ(last_gemm_call().calls, calls + 1);
    EXPECT_EQ(last_gemm_call().gemm.m, 3);
    EXPECT_EQ(last_gemm_call().gemm.n, 3);
    EXPECT_EQ(last_gemm_call().gemm.k, 4);
    // outer is a broadcast multiply: the elementwise engine, not gemm.
    expect_fake_failure(failure_of([&] { return cmp_outer(u.get(), v.get(), &out); }), "mul");
    EXPECT_EQ(last_gemm_call().calls, calls + 1);
    EXPECT_EQ(out, nullptr);
}

// addmm with a bias of one value per column (a Linear layer's) and beta 1 is one gemm call with
// cuBLASLt's bias epilogue and the bias as a dense vector; any other input is copied into the
// result first (the fake's copy kernel fails there without host kernels) and gemm adds onto it.
TEST(CudaRouting, AddmmWithARowBiasIsOneGemmWithTheBiasEpilogue) {
    const cmp_scalar one{CMP_SCALAR_INT, 0, 0.0, 1}, two{CMP_SCALAR_FLOAT, 0, 2.0, 0};
    const Handle a = dev_tensor({3, 4}), b = dev_tensor({4, 5}), bias = dev_tensor({5}), bias_row = dev_tensor({1, 5});
    cmp_tensor out = nullptr;
    for (const Handle* in : {&bias, &bias_row}) {
        int64_t calls = last_gemm_call().calls;
        expect_fake_failure(failure_of([&] { return cmp_addmm(in->get(), a.get(), b.get(), one, two, &out); }), "addmm");
        EXPECT_EQ(last_gemm_call().calls, calls + 1);
        const compute_cuda_gemm g = last_gemm_call().gemm;
        EXPECT_EQ(g.epilogue, COMPUTE_CUDA_GEMM_EPILOGUE_BIAS);
        // The fake's device memory is host memory: the epilogue's bias holds the input's values.
        ASSERT_NE(g.bias, nullptr);
        const std::vector<double> want = sample_values(5);
        for (size_t j = 0; j < want.size(); ++j)
            EXPECT_EQ(static_cast<const float*>(g.bias)[j], static_cast<float>(want[j])) << j;
        EXPECT_EQ(g.alpha, 2.0);
        EXPECT_EQ(g.beta, 0.0);
        EXPECT_EQ(g.m, 3);
        EXPECT_EQ(g.n, 5);
    }
    // beta other than 1, a full [m, n] input or a batch: the input is copied first.
    const Handle full = dev_tensor({3, 5});
    const int64_t calls = last_gemm_call().calls;
    expect_kernel_failure_before_gemm(
        failure_of([&] { return cmp_addmm(bias.get(), a.get(), b.get(), two, one, &out); }), calls);
    expect_kernel_failure_before_gemm(
        failure_of([&] { return cmp_addmm(full.get(), a.get(), b.get(), one, one, &out); }), calls);
    EXPECT_EQ(out, nullptr);
    // With the fake's host kernels the epilogue's result is the CPU's addmm.
    HostKernels on;
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT32}) {
        const Handle ha = tensor_from(sample_values(12), {3, 4}, dt), hb = tensor_from(sample_values(20), {4, 5}, dt);
        const Handle hbias = tensor_from(sample_values(5), {5}, dt);
        const Handle da = to_device(ha.get(), cuda_device()), db = to_device(hb.get(), cuda_device());
        const Handle dbias = to_device(hbias.get(), cuda_device());
        cmp_tensor ho = nullptr, dout = nullptr;
        CMP_ASSERT_OK(cmp_addmm(hbias.get(), ha.get(), hb.get(), one, two, &ho));
        const Handle hres(ho);
        CMP_ASSERT_OK(cmp_addmm(dbias.get(), da.get(), db.get(), one, two, &dout));
        const Handle dres(dout);
        EXPECT_EQ(last_gemm_call().gemm.epilogue, COMPUTE_CUDA_GEMM_EPILOGUE_BIAS);
        // The fake adds in double; the CPU's float32 GEMM rounds once per fused step.
        expect_close(host_values(dres.get()), values_of(hres.get()), dt == CMP_DTYPE_FLOAT64 ? 1e-14 : 1e-6, "addmm bias");
    }
}

TEST(CudaRouting, Tf32IsOffByDefaultAndReachesGemm) {
    int32_t allow = -1;
    CMP_ASSERT_OK(cmp_cuda_get_allow_tf32(&allow));
    EXPECT_EQ(allow, 0);
    const Handle a = dev_tensor({3, 4}), b = dev_tensor({4, 5});
    cmp_tensor out = nullptr;
    CMP_ASSERT_OK(cmp_cuda_set_allow_tf32(1));
    CMP_ASSERT_OK(cmp_cuda_get_allow_tf32(&allow));
    EXPECT_EQ(allow, 1);
    expect_fake_failure(failure_of([&] { return cmp_mm(a.get(), b.get(), &out); }), "mm");
    EXPECT_EQ(last_gemm_call().gemm.allow_tf32, 1);
    CMP_ASSERT_OK(cmp_cuda_set_allow_tf32(0));
    expect_fake_failure(failure_of([&] { return cmp_mm(a.get(), b.get(), &out); }), "mm");
    EXPECT_EQ(last_gemm_call().gemm.allow_tf32, 0);
}

TEST(CudaRouting, MatrixProductRefusalsComeBeforeGemm) {
    const int64_t calls = last_gemm_call().calls;
    cmp_tensor out = nullptr;
    // Integer products have no cuBLAS kernel (PyTorch: "addmm_cuda" not implemented for 'Long').
    const Handle ia = dev_tensor({3, 4}, CMP_DTYPE_INT64), ib = dev_tensor({4, 5}, CMP_DTYPE_INT64);
    Failure f = failure_of([&] { return cmp_mm(ia.get(), ib.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("mm: not implemented on CUDA for dtype int64"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_matmul(ia.get(), ib.get(), &out); });
    EXPECT_NE(f.message.find("matmul: not implemented on CUDA for dtype int64"), std::string::npos) << f.message;
    // The CPU's shape, dtype and device checks, with the CPU's messages.
    const Handle a = dev_tensor({3, 4}), b = dev_tensor({5, 4});
    f = failure_of([&] { return cmp_mm(a.get(), b.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("mm: 'a' and 'b' shapes cannot be multiplied (3x4 and 5x4"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_matmul(a.get(), b.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    const Handle d = dev_tensor({4, 5}, CMP_DTYPE_FLOAT64);
    f = failure_of([&] { return cmp_matmul(a.get(), d.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("matmul: expected both operands to have the same dtype, but got float32 and float64"),
              std::string::npos)
        << f.message;
    // A CPU operand next to a CUDA one.
    const Handle host = tensor_from(sample_values(20), {4, 5}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] { return cmp_matmul(a.get(), host.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("matmul: expected both tensors on the same device, but got cuda:0 and cpu"),
              std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_mm(host.get(), a.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("mm: expected 'a' and 'b' on the same device, but got cpu and cuda:0"), std::string::npos)
        << f.message;
    const Handle c = dev_tensor({3, 5});
    f = failure_of([&] {
        return cmp_addmm(host.get(), a.get(), c.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1},
                         cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, &out);
    });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);  // 3x4 @ 3x5 first, as on the CPU
    EXPECT_EQ(last_gemm_call().calls, calls);
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, EmptyProductsNeedNoGemm) {
    // m == 0: nothing to compute; k == 0: zeros from the fill kernel (the fake's fails), never gemm.
    const int64_t calls = last_gemm_call().calls;
    const Handle e = dev_tensor({0, 4}), b = dev_tensor({4, 5});
    cmp_tensor out = nullptr;
    CMP_ASSERT_OK(cmp_mm(e.get(), b.get(), &out));
    Handle result(out);
    EXPECT_EQ(sizes_of(result.get()), (std::vector<int64_t>{0, 5}));
    out = nullptr;
    const Handle k0a = dev_tensor({3, 0}), k0b = dev_tensor({0, 5});
    expect_kernel_failure_before_gemm(failure_of([&] { return cmp_mm(k0a.get(), k0b.get(), &out); }), calls);
    EXPECT_EQ(out, nullptr);
}

// The fake computes random fills on the host with core/philox_values.h (as cuda/random.cu does
// on the device): every fill reaches the backend with the blocks the CPU would use. (bernoulli
// of a p tensor and dropout need more kernels than the fake has: the parity tests run them.)
TEST(CudaRouting, RandomFillsGiveTheCpusValuesAndAdvanceTheGenerator) {
    random_cases::rand_and_randn();
    random_cases::randint();
    random_cases::bernoulli_of_a_number();
}

// normal's tensor form, its std check and fills of a strided view need elementwise kernels, which
// the fake lacks: the parity tests run them; here the fills of contiguous tensors.
TEST(CudaRouting, NormalAndUniformGiveTheCpusValues) { random_cases::normal_and_uniform(/*with_kernels=*/false); }

TEST(CudaRouting, RandomFillsCarryTheirParameters) {
    static const auto last = fake_export<FakeLastRandomCallFn>(FAKE_BACKEND_LAST_RANDOM_CALL);
    ASSERT_NE(last, nullptr);
    const int64_t sizes[] = {5};
    cmp_tensor out = nullptr;
    ASSERT_EQ(cmp_rng_set_state(77, 1000), CMP_STATUS_OK);
    CMP_ASSERT_OK(cmp_randint(-3, 4, sizes, 1, CMP_DTYPE_INT32, cuda_device(), &out));
    Handle owned(out);
    compute_cuda_random r = last()->random;
    EXPECT_EQ(r.op, COMPUTE_CUDA_RANDOM_RANDINT);
    EXPECT_EQ(r.dtype, CMP_DTYPE_INT32);
    EXPECT_EQ(r.seed, 77u);
    EXPECT_EQ(r.offset, 1000u);
    EXPECT_EQ(r.n, 5);
    EXPECT_EQ(r.low, -3);
    EXPECT_EQ(r.range, 7u);
    // Nothing to draw: no call, and the generator does not move.
    const int64_t calls = last()->calls;
    const int64_t empty[] = {0};
    CMP_ASSERT_OK(cmp_rand(empty, 1, CMP_DTYPE_FLOAT32, cuda_device(), &out));
    Handle owned_empty(out);
    EXPECT_EQ(last()->calls, calls);
    uint64_t seed = 0, offset = 0;
    ASSERT_EQ(cmp_rng_get_state(&seed, &offset), CMP_STATUS_OK);
    EXPECT_EQ(offset, 1003u);  // ceil(5 / 2) blocks for the randint above
    // Dropout draws its keep mask on the device (applying it takes mul, which the fake lacks):
    // one decision per element, 4 per block, threshold ceil(p 2^24).
    Handle x = to_device(tensor_from(std::vector<double>(10, 1.0), {2, 5}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor y = nullptr, mask = nullptr;
    EXPECT_NE(cmp_dropout(x.get(), 0.25, 1, &y, &mask), CMP_STATUS_OK);
    r = last()->random;
    EXPECT_EQ(r.op, COMPUTE_CUDA_RANDOM_KEEP);
    EXPECT_EQ(r.dtype, CMP_DTYPE_BOOL);
    EXPECT_EQ(r.n, 10);
    EXPECT_EQ(r.offset, 1003u);
    EXPECT_EQ(r.threshold, 1u << 22);
    ASSERT_EQ(cmp_rng_get_state(&seed, &offset), CMP_STATUS_OK);
    EXPECT_EQ(offset, 1006u);  // ceil(10 / 4) blocks
}

// item and copy_to_buffer (C#'s Item / ToArray) read a device tensor back through one transfer:
// the element a strided view's indices name, and a whole tensor's bytes.
TEST(CudaRouting, ItemAndCopyToBufferReadDeviceTensors) {
    for (cmp_dtype dt : kAllDtypes) {
        Handle host = tensor_from(kValues, {2, 3}, dt);
        Handle dev = to_device(host.get(), cuda_device());
        cmp_tensor view = nullptr;
        CMP_ASSERT_OK(cmp_transpose(dev.get(), 0, 1, &view));  // [3, 2], strides (1, 3)
        Handle t(view);
        const std::vector<double> want = values_of(host.get());
        for (int64_t i = 0; i < 3; ++i) {
            for (int64_t j = -2; j < 2; ++j) {
                const int64_t idx[] = {i, j};
                cmp_scalar got{};
                CMP_ASSERT_OK(cmp_tensor_item(t.get(), idx, 2, &got));
                const double v = got.kind == CMP_SCALAR_FLOAT ? got.f : static_cast<double>(got.i);
                EXPECT_EQ(v, want[static_cast<size_t>((j + 2) % 2 * 3 + i)]) << "dtype " << dt << " [" << i << ", " << j << "]";
            }
        }
        // The whole tensor (a dense one: a strided view is made dense by a copy kernel first,
        // which the fake does not have).
        int64_t elem = 0;
        CMP_ASSERT_OK(cmp_tensor_element_size(dev.get(), &elem));
        std::vector<unsigned char> bytes(static_cast<size_t>(6 * elem));
        CMP_ASSERT_OK(cmp_tensor_copy_to_buffer(dev.get(), bytes.data(), static_cast<int64_t>(bytes.size())));
        void* data = nullptr;
        CMP_ASSERT_OK(cmp_tensor_data_ptr(host.get(), &data));
        EXPECT_EQ(std::memcmp(bytes.data(), data, bytes.size()), 0) << "dtype " << dt;
    }
    const int64_t out_of_range[] = {3, 0};
    cmp_tensor dev = nullptr;
    CMP_ASSERT_OK(cmp_to_device(tensor_from(kValues, {3, 2}, CMP_DTYPE_FLOAT32).get(), cuda_device(), &dev));
    Handle owned(dev);
    cmp_scalar s{};
    EXPECT_EQ(cmp_tensor_item(dev, out_of_range, 2, &s), CMP_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT_NE(std::string(cmp_last_error()).find("item: index 3 is out of bounds for dimension 0 with size 3"),
              std::string::npos)
        << cmp_last_error();
}

// The fake runs cpu/optim_update.h's element updates on the host (as cuda/optim.cu does on the
// device): every optimizer reaches the backend with the CPU's buffers and arguments.
TEST(CudaRouting, OptimizerStepsGiveTheCpusUpdates) { optim_cases::every_optimizer(); }

TEST(CudaRouting, RowNormsGiveTheCpusValues) { row_norm_cases::every_case(); }

TEST(CudaRouting, RowNormRefusalsComeBeforeTheBackend) {
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = to_device(host.get(), cuda_device());
    Handle host_w = tensor_from({1.0, 2.0, 3.0}, {3}, CMP_DTYPE_FLOAT32);
    const int64_t ns[] = {3}, wrong[] = {2};
    cmp_tensor out = nullptr, mean = nullptr, rstd = nullptr;
    Failure f = failure_of([&] { return cmp_layer_norm(dev.get(), ns, 1, host_w.get(), nullptr, 1e-5, &out, &mean, &rstd); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("layer_norm: Expected all tensors to be on the same device, but found at least two devices, "
                             "cpu and cuda:0!"),
              std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_layer_norm(dev.get(), wrong, 1, nullptr, nullptr, 1e-5, &out, &mean, &rstd); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("layer_norm: normalized_shape [2] does not match the trailing dims of input of shape [2, 3]"),
              std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_group_norm(dev.get(), 2, nullptr, nullptr, 1e-5, &out, &mean, &rstd); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    // The saved statistics of a CPU forward cannot feed a backward on the device.
    Handle hy, hmean, hrstd;
    CMP_ASSERT_OK(cmp_layer_norm(host.get(), ns, 1, nullptr, nullptr, 1e-5, &out, &mean, &rstd));
    hy = Handle(out);
    hmean = Handle(mean);
    hrstd = Handle(rstd);
    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
    f = failure_of([&] {
        return cmp_layer_norm_backward(dev.get(), dev.get(), ns, 1, hmean.get(), hrstd.get(), nullptr, &gi, &gw, &gb);
    });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("layer_norm_backward: Expected all tensors to be on the same device"), std::string::npos)
        << f.message;
    EXPECT_EQ(gi, nullptr);
}

// The fake evaluates cpu/activation_backward_math.h on the host (as cuda/activation_backward.cu
// does on the device): every op reaches the backend with its op value and parameters and the
// engine's layout, and gives the CPU's gradients.
TEST(CudaRouting, ActivationDerivativesGiveTheCpusValues) { activation_cases::every_op(); }

// The front-end's refusals come before the backend, with the CPU's messages.
TEST(CudaRouting, ActivationDerivativeRefusalsComeBeforeTheBackend) {
    Handle x = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    Handle g6 = to_device(tensor_from(kValues, {6}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    Handle g64 = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT64).get(), cuda_device());
    Handle xi = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_INT64).get(), cuda_device());
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32);
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_silu_backward(g6.get(), x.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("silu_backward: grad_output has shape [6] but self has shape [2, 3]"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_tanh_backward(g64.get(), x.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("tanh_backward: grad_output has dtype float64 but self has dtype float32"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_gelu_backward(xi.get(), xi.get(), 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("gelu_backward: not implemented for dtype int64"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_gelu_backward(host.get(), x.get(), 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("gelu_backward: Expected all tensors to be on the same device, but found at least two "
                             "devices, cpu and cuda:0!"),
              std::string::npos)
        << f.message;
    EXPECT_EQ(out, nullptr);
}

// randperm and multinomial (the fake runs cuda/randperm_multinomial.cu's passes on the host with
// core/multinomial_rows.h): the CPU's permutation and samples for a seed, the generator left where
// the CPU leaves it, and the CPU's refusals with nothing drawn.
TEST(CudaRouting, RandpermGivesTheCpusPermutation) { random_cases::randperm(); }

TEST(CudaRouting, RandpermRefusalsComeBeforeTheDraw) { random_cases::randperm_refusals(); }

TEST(CudaRouting, MultinomialGivesTheCpusSamples) {
    HostKernels host_kernels;  // probs of other dtypes and layouts reach float64 through copy
    random_cases::multinomial();
}

TEST(CudaRouting, MultinomialRefusalsComeBeforeTheDraw) {
    HostKernels host_kernels;
    random_cases::multinomial_refusals();
}

// sort / argsort / msort / topk and searchsorted / bucketize (the fake runs cpu/sort_key.h's keys,
// a stable sort per row and the bisection on the host, as cuda/sort_search.cu does on the device):
// every dtype, dim, direction, k and flag gives the CPU's values and indices, and the CPU's refusals.
// Host kernels: a dim not last is moved last by a copy, topk's head copied back, promotions.
TEST(CudaRouting, SortArgsortMsortGiveTheCpusOrder) {
    HostKernels host_kernels;
    sort_cases::sort_argsort_msort();
}

TEST(CudaRouting, TopkGivesTheCpusHead) {
    HostKernels host_kernels;
    sort_cases::topk();
}

TEST(CudaRouting, SortRefusalsAreTheCpus) {
    HostKernels host_kernels;
    sort_cases::sort_refusals();
}

TEST(CudaRouting, SearchsortedAndBucketizeGiveTheCpusPositions) {
    HostKernels host_kernels;
    sort_cases::searches();
}

TEST(CudaRouting, SearchRefusalsAreTheCpus) {
    HostKernels host_kernels;
    sort_cases::search_refusals();
}

// unique / unique_consecutive: device ops around the sort and search entries (compare, any, sum,
// index_select: the fake's host kernels and gather), the CPU's values, inverse and counts.
TEST(CudaRouting, UniqueGivesTheCpusGroups) {
    HostKernels host_kernels;
    sort_cases::uniques();
}

// The fake evaluates cpu/nn_loss_math.h on the host (as cuda/pointwise_loss.cu does on the
// device): every loss, reduction, optional operand, broadcast and dtype reaches the backend with
// the CPU's operands, scale and flags and gives the CPU's losses and gradients.
TEST(CudaRouting, PointwiseLossesGiveTheCpusValues) {
    HostKernels host_kernels;
    loss_cases::every_case();
}

// The front-ends' refusals on CUDA tensors, with the CPU's messages; binary_cross_entropy's range
// check reads the input's min and max back from the device.
TEST(CudaRouting, PointwiseLossRefusalsComeBeforeTheBackend) {
    HostKernels host_kernels;
    auto dev = [](const std::vector<double>& v, const std::vector<int64_t>& shape, cmp_dtype dt = CMP_DTYPE_FLOAT32) {
        return to_device(tensor_from(v, shape, dt).get(), cuda_device());
    };
    Handle x = dev({0.1, 0.5, 1.5, 0.2, 0.3, 0.9}, {2, 3});
    Handle p = dev({0.1, 0.5, 0.7, 0.2, 0.3, 0.9}, {2, 3});
    Handle y = dev({0.0, 1.0, 1.0, 0.0, 1.0, 0.0}, {2, 3});
    Handle y3 = dev({0.0, 1.0, 1.0}, {3});
    Handle w2 = dev({1.0, 2.0}, {2, 1, 1});
    Handle xi = dev({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_INT64);
    Handle g = dev({1.0, 1.0, 1.0}, {3});
    cmp_tensor out = nullptr, gt = nullptr;
    Failure f = failure_of([&] { return cmp_binary_cross_entropy(x.get(), y.get(), nullptr, CMP_REDUCTION_MEAN, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(f.message.find("binary_cross_entropy: all elements of input should be between 0 and 1"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_binary_cross_entropy(p.get(), y3.get(), nullptr, CMP_REDUCTION_MEAN, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("binary_cross_entropy: target shape [3] must be the same as input shape [2, 3]"),
              std::string::npos)
        << f.message;
    f = failure_of([&] {
        return cmp_binary_cross_entropy_with_logits(x.get(), y.get(), w2.get(), nullptr, CMP_REDUCTION_SUM, &out);
    });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("binary_cross_entropy_with_logits: weight of shape [2, 1, 1] does not broadcast to input's shape [2, 3]"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_mse_loss(xi.get(), xi.get(), CMP_REDUCTION_MEAN, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("mse_loss: expected floating input and target"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_l1_loss_backward(g.get(), x.get(), y.get(), CMP_REDUCTION_NONE, &out, &gt); });
    EXPECT_EQ(f.status, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(f.message.find("l1_loss_backward: grad_output has shape [3], expected [2, 3] (the unreduced loss)"),
              std::string::npos)
        << f.message;
    Handle host_y = tensor_from({0.0, 1.0, 1.0, 0.0, 1.0, 0.0}, {2, 3}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] { return cmp_huber_loss(x.get(), host_y.get(), CMP_REDUCTION_MEAN, 1.0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("Expected all tensors to be on the same device"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(gt, nullptr);
}

// The fake runs cuda/class_loss_rows.h on the host (as cuda/class_loss.cu does on the device) and
// the reductions with its host sum and div: every option of cross_entropy and nll_loss, forward
// and backward, gives the CPU's values (class_loss_cases.h).
TEST(CudaRouting, ClassLossesGiveTheCpusValues) {
    HostKernels on;
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        class_loss_cases::every_option(dt);
        class_loss_cases::non_finite_rows(dt);
    }
}

TEST(CudaRouting, ClassLossTargetsOutOfRangeFailAsOnTheCpu) {
    HostKernels on;
    class_loss_cases::out_of_range_targets(CMP_DTYPE_FLOAT32);
}

// Without the fake's host sum, MEAN and SUM stop at the sum kernel; NONE needs none.
TEST(CudaRouting, ClassLossReductionsRunOnTheDevice) {
    class_loss_cases::Case c;
    c.sizes = {3, 4};
    const auto h = class_loss_cases::host_operands(c);
    const auto d = class_loss_cases::on_device(h);
    cmp_tensor out = nullptr;
    const Failure f = failure_of([&] { return class_loss_cases::forward(c, d, &out); });
    EXPECT_NE(f.message.find("sum: fake backend: no kernels"), std::string::npos) << f.message;
    c.reduction = CMP_REDUCTION_NONE;
    ASSERT_EQ(class_loss_cases::forward(c, d, &out), CMP_STATUS_OK) << cmp_last_error();
    Handle loss(out);
    EXPECT_EQ(device_of(loss.get()).type, CMP_DEVICE_CUDA);
}

TEST(CudaRouting, ClassLossesRefuseOperandsOnAnotherDevice) {
    class_loss_cases::Case c;
    c.sizes = {3, 4};
    c.reduction = CMP_REDUCTION_SUM;
    const auto h = class_loss_cases::host_operands(c);
    const auto d = class_loss_cases::on_device(h);
    cmp_tensor out = nullptr, gt = nullptr;
    const std::string mixed = "Expected all tensors to be on the same device, but found at least two devices, ";
    Failure f = failure_of([&] {
        return cmp_cross_entropy(d.input.get(), h.target.get(), nullptr, -100, CMP_REDUCTION_SUM, 0.0, &out);
    });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("cross_entropy: " + mixed + "cuda:0 and cpu!"), std::string::npos) << f.message;
    const Handle weight = tensor_from({1.0, 2.0, 3.0, 4.0}, {4}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] { return cmp_nll_loss(d.input.get(), d.target.get(), weight.get(), -100, CMP_REDUCTION_SUM, &out); });
    EXPECT_NE(f.message.find("nll_loss: " + mixed + "cuda:0 and cpu!"), std::string::npos) << f.message;
    f = failure_of([&] {
        return cmp_cross_entropy_backward(h.grad.get(), d.input.get(), d.target.get(), nullptr, -100, CMP_REDUCTION_SUM,
                                          0.0, &out, &gt);
    });
    EXPECT_NE(f.message.find("cross_entropy: " + mixed + "cuda:0 and cpu!"), std::string::npos) << f.message;
    // And a CPU input with a device target never reaches the CPU kernel.
    f = failure_of([&] { return cmp_nll_loss(h.input.get(), d.target.get(), nullptr, -100, CMP_REDUCTION_SUM, &out); });
    EXPECT_NE(f.message.find("nll_loss: " + mixed + "cpu and cuda:0!"), std::string::npos) << f.message;
}

// The fake runs cuda/index.cu's loops on the host: gather, index_select and embedding (every
// dtype) and embedding_backward (floating dtypes) give the CPU's bits and the CPU's index errors.
TEST(CudaRouting, GatherIndexSelectAndEmbeddingGiveTheCpusValues) { index_cases::every_case(); }

// 50 training steps of a small MLP through the C ABI (train_cases.h), every op of the step on the
// fake's host kernels, give the CPU's losses and weights.
TEST(CudaRouting, ASmallModelTrainsToTheCpusLosses) {
    HostKernels on;
    train_cases::fifty_steps();
}

// embedding's max_norm is a composition (unique, index_select, vector_norm, where, index_put_):
// with the fake's host kernels it renormalises the CPU's rows.
TEST(CudaRouting, EmbeddingMaxNormRenormalisesTheCpusRows) {
    HostKernels on;
    index_cases::every_max_norm_case();
}

TEST(CudaRouting, IndexingRefusalsComeBeforeTheBackend) {
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = to_device(host.get(), cuda_device());
    Handle host_index = tensor_from({0.0, 1.0}, {2}, CMP_DTYPE_INT64);
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_index_select(dev.get(), 0, host_index.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("index_select: expected all tensors on one device"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_embedding(dev.get(), host_index.get(), 0, 0, nullptr, 2.0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("embedding: expected all tensors on one device, got cuda:0 and cpu"), std::string::npos)
        << f.message;
    Handle dev_index = to_device(host_index.get(), cuda_device());
    // A CPU weight with device indices: refused before the CPU kernel would read device memory.
    f = failure_of([&] { return cmp_embedding(host.get(), dev_index.get(), 0, 0, nullptr, 2.0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("embedding: expected all tensors on one device, got cpu and cuda:0"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_embedding_backward(host.get(), dev_index.get(), 4, 0, 0, 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    Handle float_index = to_device(tensor_from({0.0}, {1}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    f = failure_of([&] { return cmp_gather(dev.get(), 0, float_index.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    f = failure_of([&] { return cmp_embedding_backward(dev.get(), float_index.get(), 4, 0, 0, 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_EQ(out, nullptr);
}

// The fake runs cuda/nonzero.cu's and cuda/advanced_index.cu's passes on the host: nonzero,
// masked_select, index and the puts (accumulate or not, duplicates, masks, broadcasting, negative
// and bad indices) give the CPU's bits and errors in every dtype; the host copy kernel serves the
// puts' value copies and the uint8 masks.
TEST(CudaRouting, NonzeroMaskedSelectAndAdvancedIndexingGiveTheCpusValues) {
    HostKernels on;
    advanced_index_cases::every_case();
}

TEST(CudaRouting, AdvancedIndexingRefusesOperandsOnAnotherDevice) {
    HostKernels on;
    Handle dev = to_device(tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    Handle host_index = tensor_from({1.0, 0.0}, {2}, CMP_DTYPE_INT64);
    Handle host_mask = tensor_from({1, 0, 1, 1, 0, 0}, {2, 3}, CMP_DTYPE_BOOL);
    cmp_tensor out = nullptr;
    cmp_tensor indices[] = {host_index.get()};
    Failure f = failure_of([&] { return cmp_index(dev.get(), indices, 1, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("index: index 0 is on cpu but the tensor is on cuda:0"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_masked_select(dev.get(), host_mask.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("masked_select: expected all tensors on one device"), std::string::npos) << f.message;
    Handle dev_index = to_device(host_index.get(), cuda_device());
    Handle host_values = tensor_from({1.0, 2.0, 3.0}, {3}, CMP_DTYPE_FLOAT32);
    cmp_tensor dev_indices[] = {dev_index.get()};
    f = failure_of([&] { return cmp_index_put_(dev.get(), dev_indices, 1, host_values.get(), 0); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("index_put_: values are on cpu but the tensor is on cuda:0"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

// The fake runs cuda/im2col_index.h's im2col / col2im on the host and its gemm in double, with
// the host copy, fill, add and sum kernels around them: every convolution option, conv_transpose,
// the three gradients, unfold and fold give the CPU's bits (conv_cases.h: exact values).
TEST(CudaRouting, ConvolutionsGiveTheCpusValues) {
    HostKernels on;
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16})
        conv_cases::every_case_identical(dt);
}

// The same in chunks of one image: the chunks' offsets, and the weight gradient accumulated
// over chunks (beta = 1 after the first).
TEST(CudaRouting, ConvolutionsInChunksOfOneImageGiveTheCpusValues) {
    HostKernels on;
    const int64_t budget = ops::cuda_ops::set_conv_column_budget(1);
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) conv_cases::every_case_identical(dt);
    ops::cuda_ops::set_conv_column_budget(budget);
}

TEST(CudaRouting, ConvolutionRefusalsComeBeforeTheBackend) {
    HostKernels on;
    conv_cases::refusals();
}

// The fake runs cuda/pool_window.h's passes on the host (as cuda/pool.cu does on the device): max,
// average and adaptive pooling, 1-d to 3-d, every window option, ties, NaNs, strided and empty
// inputs, four floating dtypes (int64 average), forward values, indices and input gradients equal
// to the CPU's, and max_pool_backward's index error with the CPU's message. Host kernels: the
// front-ends convert dtypes and make inputs dense with the copy kernel, global pooling is a mean.
TEST(CudaRouting, PoolingGivesTheCpusValues) {
    HostKernels host_kernels;
    pool_cases::every_case();
}

// The fake runs cuda/interp_taps.h's passes on the host over the taps (or inverse tap lists) the
// front-end uploads, as cuda/interpolate.cu does on the device: nearest, nearest-exact and linear
// over 1-3 spatial dims, align_corners, sizes and scale factors (kept or recomputed), NaNs,
// strided and empty inputs, four floating dtypes and uint8: outputs and input gradients equal to
// the CPU's; refused arguments with the CPU's messages.
TEST(CudaRouting, InterpolateGivesTheCpusValues) {
    HostKernels host_kernels;
    interp_cases::every_case();
}

// The fake runs cuda/grid_sample_math.h's passes on the host (the backward's corner entries sorted
// stably by pixel, as cuda/grid_sample.cu sorts them with CUB): bilinear and nearest, zeros /
// border / reflection padding, align_corners, points outside the input, on its edges and at
// NaN / Inf, 1-pixel dims, an empty batch, no output sample, four floating dtypes: outputs,
// grad_input and grad_grid equal to the CPU's; refused arguments with the CPU's messages.
TEST(CudaRouting, GridSampleGivesTheCpusValues) {
    HostKernels host_kernels;
    grid_cases::every_case();
}

TEST(CudaRouting, GridSampleRefusesOperandsOnAnotherDevice) {
    HostKernels host_kernels;
    const Handle x = pool_cases::input_of({1, 2, 4, 4}, CMP_DTYPE_FLOAT32, pool_cases::Fill::Distinct, false);
    const Handle g = tensor_from(grid_cases::grid_values(8, false), {1, 2, 2, 2}, CMP_DTYPE_FLOAT32);
    const Handle dx = to_device(x.get(), cuda_device());
    cmp_tensor out = nullptr;
    const Failure f = failure_of([&] { return cmp_grid_sample(dx.get(), g.get(), 0, 0, 0, &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("Expected all tensors to be on the same device"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

TEST(CudaRouting, PoolingRefusesOperandsOnAnotherDevice) {
    HostKernels host_kernels;
    const Handle x = pool_cases::input_of({1, 2, 4, 4}, CMP_DTYPE_FLOAT32, pool_cases::Fill::Distinct, false);
    const Handle dx = to_device(x.get(), cuda_device());
    const int64_t k[2] = {2, 2}, pad[2] = {0, 0};
    cmp_tensor out = nullptr, idx = nullptr;
    CMP_ASSERT_OK(cmp_max_pool(dx.get(), 2, k, nullptr, pad, nullptr, 0, &out, &idx));
    const Handle dout(out), didx(idx);
    const Handle host_idx = to_device(didx.get(), cpu_device());
    const Handle grad = tensor_from(pool_cases::values(8, pool_cases::Fill::Distinct), {1, 2, 2, 2}, CMP_DTYPE_FLOAT32);
    const Handle dgrad = to_device(grad.get(), cuda_device());
    cmp_tensor gi = nullptr;
    Failure f = failure_of([&] { return cmp_max_pool_backward(grad.get(), dx.get(), 2, didx.get(), &gi); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("max_pool_backward: Expected all tensors to be on the same device"), std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_max_pool_backward(dgrad.get(), dx.get(), 2, host_idx.get(), &gi); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("cuda:0 and cpu (indices)!"), std::string::npos) << f.message;
    f = failure_of([&] { return cmp_avg_pool_backward(grad.get(), dx.get(), 2, k, nullptr, pad, 0, 1, 0, &gi); });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("avg_pool2d_backward: Expected all tensors to be on the same device"), std::string::npos)
        << f.message;
    EXPECT_EQ(gi, nullptr);
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

// cat, stack, repeat, tile, repeat_interleave, diag, pad and its backward, the split views:
// compositions of copy_, fill_, index_select and index_add (the fake's host kernels), the CPU's
// bits in every dtype.
TEST(CudaRouting, ShapeCopiesGiveTheCpusValues) {
    HostKernels host_kernels;
    compose_cases::shape_copy_cases();
}

// batch_norm and its backward, training and evaluation: cuda/batch_norm.cuh's kernels on the
// host emulator (and the fake's host kernels for the conversions of 16-bit operands), every
// output and the running statistics updated in place within the tolerance compose_cases.h derives.
TEST(CudaRouting, BatchNormGivesTheCpusValues) {
    HostKernels host_kernels;
    compose_cases::batch_norm_cases_all();
}

// scaled_dot_product_attention and its backward: cuda/flash_attention.cuh's kernels on the host
// emulator (heads up to 256: tiles, masks, causal cut, online softmax, in-kernel dropout draws),
// and for a head of 260 the composition (gemm, logsumexp, softmax, the fake's KEEP fill),
// compared with the CPU's flash-style kernel within compose_cases.h's tolerance.
TEST(CudaRouting, AttentionGivesTheCpusValues) {
    HostKernels host_kernels;
    compose_cases::attention_cases_all();
}

// Heads up to 256 elements are the backend's fused attention entries alone (the fake runs
// cuda/flash_attention.cuh's kernels on the host): with the fake's other kernels off, where
// gemm, softmax and every elementwise op refuse, the forward of dense float32 operands still
// runs and gives the CPU's values; a head of 260 is the composition, which needs them.
TEST(CudaRouting, AttentionWithHeadsUpTo256IsOneFusedKernel) {
    auto attend = [](int64_t e) {
        const std::vector<int64_t> qs{2, 5, e}, ks{2, 7, e}, vs{2, 7, 3};
        Handle q = tensor_from(sample_values(2 * 5 * e), qs, CMP_DTYPE_FLOAT32), k = tensor_from(sample_values(2 * 7 * e), ks, CMP_DTYPE_FLOAT32),
               v = tensor_from(sample_values(2 * 7 * 3), vs, CMP_DTYPE_FLOAT32);
        Handle dq = to_device(q.get(), cuda_device()), dk = to_device(k.get(), cuda_device()), dv = to_device(v.get(), cuda_device());
        cmp_tensor o = nullptr, lse = nullptr, ho = nullptr, hl = nullptr;
        uint64_t seed = 0, offset = 0;
        const cmp_status st = cmp_scaled_dot_product_attention(dq.get(), dk.get(), dv.get(), nullptr, 0.0, 1, nullptr, &o, &lse, &seed, &offset);
        if (st != CMP_STATUS_OK) return st;
        Handle oh(o), lh(lse);
        EXPECT_EQ(cmp_scaled_dot_product_attention(q.get(), k.get(), v.get(), nullptr, 0.0, 1, nullptr, &ho, &hl, &seed, &offset),
                  CMP_STATUS_OK);
        Handle hoh(ho), hlh(hl);
        const std::vector<double> want = values_of(ho), got = host_values(o);
        EXPECT_EQ(got.size(), want.size());
        for (size_t i = 0; i < want.size() && i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 3e-5) << "e " << e << " at " << i;
        return st;
    };
    EXPECT_EQ(attend(256), CMP_STATUS_OK) << cmp_last_error();
    const Failure f = failure_of([&] { return attend(260); });
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
}

// batch_norm and its backward of dense float32 operands are the backend's fused entries alone:
// with the fake's other kernels off (every elementwise op, copy and reduction refuses), the
// training forward, its running statistics and the backward still run and give the CPU's values;
// a float16 input, which goes through float32 conversions first, needs them.
TEST(CudaRouting, BatchNormIsTheFusedKernelsAlone) {
    const std::vector<int64_t> shape{3, 2, 4};
    const std::vector<double> xs = sample_values(24), gs = sample_values(31);
    auto run = [&](cmp_device dev, cmp_dtype dt, std::vector<std::vector<double>>& results) {
        auto make = [&](const std::vector<double>& v, const std::vector<int64_t>& sizes) {
            Handle h = tensor_from(v, sizes, dt);
            return dev.type == CMP_DEVICE_CPU ? std::move(h) : to_device(h.get(), dev);
        };
        Handle x = make(xs, shape), g = make({gs.begin() + 7, gs.end()}, shape), w = make({0.5, -1.5}, {2}),
               rm = make({0.25, -0.5}, {2}), rv = make({1.0, 2.0}, {2});
        cmp_tensor y = nullptr, m = nullptr, s = nullptr;
        cmp_status st = cmp_batch_norm(x.get(), w.get(), nullptr, rm.get(), rv.get(), 1, 0.1, 1e-5, &y, &m, &s);
        if (st != CMP_STATUS_OK) return st;
        Handle yh(y), mh(m), sh(s);
        cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
        st = cmp_batch_norm_backward(g.get(), x.get(), w.get(), m, s, 1, &gi, &gw, &gb);
        if (st != CMP_STATUS_OK) return st;
        Handle gih(gi), gwh(gw), gbh(gb);
        for (cmp_tensor t : {y, m, s, rm.get(), rv.get(), gi, gw, gb}) results.push_back(host_values(t));
        return st;
    };
    std::vector<std::vector<double>> cpu, cuda;
    ASSERT_EQ(run(cmp_device{CMP_DEVICE_CPU, 0}, CMP_DTYPE_FLOAT32, cpu), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(run(cuda_device(), CMP_DTYPE_FLOAT32, cuda), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cuda.size(), cpu.size());
    for (size_t i = 0; i < cpu.size(); ++i) {
        ASSERT_EQ(cuda[i].size(), cpu[i].size()) << "result " << i;
        for (size_t j = 0; j < cpu[i].size(); ++j)
            EXPECT_NEAR(cuda[i][j], cpu[i][j], 2e-5 * std::max(1.0, std::fabs(cpu[i][j]))) << "result " << i << ", element " << j;
    }
    std::vector<std::vector<double>> unused;
    const Failure f = failure_of([&] { return run(cuda_device(), CMP_DTYPE_FLOAT16, unused); });
    EXPECT_NE(f.message.find("fake backend: no kernels"), std::string::npos) << f.message;
}

// batch_norm and attention name the operand on another device (the CPU kernels would read
// device memory, the device ops would refuse with a less specific message).
TEST(CudaRouting, ComposedOpsRefuseOperandsOnAnotherDevice) {
    auto expect_refused = [](const Failure& f, const std::string& message) {
        EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
        EXPECT_NE(f.message.find(message), std::string::npos) << f.message;
    };
    Handle host = tensor_from(kValues, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = to_device(host.get(), cuda_device());
    Handle w = tensor_from({1.0, 2.0, 3.0}, {3}, CMP_DTYPE_FLOAT32);
    Handle stat = to_device(w.get(), cuda_device());
    cmp_tensor a = nullptr, b = nullptr, c = nullptr;
    expect_refused(failure_of([&] { return cmp_batch_norm(dev.get(), w.get(), nullptr, nullptr, nullptr, 1, 0.1, 1e-5, &a, &b, &c); }),
                   "batch_norm: expected all tensors on one device, got cuda:0 for the input and cpu for 'weight'");
    expect_refused(failure_of([&] { return cmp_batch_norm_backward(dev.get(), dev.get(), nullptr, stat.get(), w.get(), 1, &a, &b, &c); }),
                   "batch_norm_backward: expected all tensors on one device, got cuda:0 for the input and cpu for 'save_invstd'");
    uint64_t seed = 0, offset = 0;
    expect_refused(failure_of([&] {
                       return cmp_scaled_dot_product_attention(dev.get(), host.get(), dev.get(), nullptr, 0.0, 0, nullptr, &a, &b,
                                                               &seed, &offset);
                   }),
                   "scaled_dot_product_attention: expected all tensors on one device, got cuda:0 for 'q' and cpu for 'k'");
}

}  // namespace
}  // namespace cmp::testing

int main(int argc, char** argv) {
    setenv("COMPUTE_CUDA_LIBRARY", COMPUTE_FAKE_BACKEND, 1);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
