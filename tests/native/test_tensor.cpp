// Core tensor structures: dtypes, devices, layout helpers, factories, external memory.
#include "core/cuda_runtime.h"
#include "core/tensor.h"
#include "ops/ops.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>

namespace cmp {
namespace {

// Runs fn, which must throw cmp::Error with `status`; returns the message for more checks.
template <typename Fn>
std::string expect_error(cmp_status status, Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        EXPECT_EQ(e.status(), status) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected cmp::Error with status " << status;
    return {};
}

TEST(DType, SizesMatchTheCppTypes) {
    for (int d = 0; d < kNumDTypes; ++d) {
        DType dt = static_cast<DType>(d);
        int64_t cpp_size = CMP_DISPATCH_ALL_TYPES(dt, "test", [] { return static_cast<int64_t>(sizeof(scalar_t)); });
        EXPECT_EQ(element_size(dt), cpp_size) << dtype_name(dt);
    }
}

TEST(DType, InvalidValueNamesOpAndArgument) {
    std::string msg = expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { check_dtype(42, "zeros", "dtype"); });
    EXPECT_NE(msg.find("zeros"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'dtype'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("42"), std::string::npos) << msg;
    EXPECT_STREQ(dtype_name(static_cast<DType>(-1)), "invalid");
}

TEST(Device, FromCValidates) {
    EXPECT_TRUE(Device::from_c({CMP_DEVICE_CPU, 0}).is_cpu());
    EXPECT_EQ(Device::from_c({CMP_DEVICE_CUDA, 1}).str(), "cuda:1");
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { Device::from_c({7, 0}); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { Device::from_c({CMP_DEVICE_CPU, 1}); });
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { Device::from_c({CMP_DEVICE_CUDA, -1}); });
}

TEST(Device, CudaWithoutBackendIsAClearError) {
    if (cuda::backend() != nullptr) GTEST_SKIP() << "a CUDA backend library is loaded on this machine";
    EXPECT_EQ(cuda::device_count(), 0);
    Device gpu = Device::from_c({CMP_DEVICE_CUDA, 0});
    std::string msg = expect_error(CMP_STATUS_DEVICE_ERROR, [&] { require_available(gpu, "zeros"); });
    EXPECT_NE(msg.find("zeros: device cuda:0 is not available"), std::string::npos) << msg;
    EXPECT_NE(msg.find("could not be loaded"), std::string::npos) << msg;
    expect_error(CMP_STATUS_DEVICE_ERROR, [&] { Tensor::empty({2}, CMP_DTYPE_FLOAT32, gpu); });
    require_available(Device::cpu(), "zeros");  // never throws
}

TEST(Layout, ContiguousStridesAndContiguity) {
    // Expected strides are the running products of the trailing sizes, by definition.
    Shape sizes{2, 3, 4, 5};
    Shape st = contiguous_strides(sizes);
    int64_t expect = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
        EXPECT_EQ(st[i], expect);
        expect *= sizes[i];
    }
    Tensor t = Tensor::empty(sizes, CMP_DTYPE_FLOAT32, Device::cpu());
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_EQ(t.numel(), 2 * 3 * 4 * 5);
    EXPECT_EQ(t.nbytes(), t.numel() * 4);
    EXPECT_EQ(t.storage()->nbytes(), t.nbytes());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % 64, 0u);
    // A size-1 dim may have any stride; an empty tensor is contiguous whatever its strides.
    Tensor odd = Tensor::make(t.storage(), CMP_DTYPE_FLOAT32, {3, 1, 4}, {4, 99, 1}, 0);
    EXPECT_TRUE(odd.is_contiguous());
    Tensor empty = Tensor::make(t.storage(), CMP_DTYPE_FLOAT32, {3, 0}, {7, 3}, 0);
    EXPECT_TRUE(empty.is_contiguous());
    Tensor transposed = Tensor::make(t.storage(), CMP_DTYPE_FLOAT32, {4, 3}, {1, 4}, 0);
    EXPECT_FALSE(transposed.is_contiguous());
}

TEST(Layout, ZeroDimTensor) {
    Tensor t = Tensor::empty({}, CMP_DTYPE_INT64, Device::cpu());
    EXPECT_EQ(t.dim(), 0);
    EXPECT_EQ(t.numel(), 1);
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_EQ(wrap_dim(-1, 0, "op"), 0);
    EXPECT_EQ(wrap_dim(0, 0, "op"), 0);
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [] { wrap_dim(1, 0, "op"); });
}

TEST(Layout, NumelChecksNegativeAndOverflow) {
    EXPECT_EQ(checked_numel({}, "op"), 1);
    EXPECT_EQ(checked_numel({int64_t{1} << 62, 4, 0}, "op"), 0);  // a zero wins over overflow
    std::string msg = expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { checked_numel({2, -3}, "zeros"); });
    EXPECT_NE(msg.find("zeros"), std::string::npos);
    EXPECT_NE(msg.find("[2, -3]"), std::string::npos) << msg;
    msg = expect_error(CMP_STATUS_INVALID_ARGUMENT, [] { checked_numel({int64_t{1} << 40, int64_t{1} << 40}, "ones"); });
    EXPECT_NE(msg.find("overflow"), std::string::npos) << msg;
    // Fits in elements but not in bytes.
    msg = expect_error(CMP_STATUS_INVALID_ARGUMENT,
                       [] { Tensor::empty({int64_t{1} << 62}, CMP_DTYPE_FLOAT64, Device::cpu(), "empty"); });
    EXPECT_NE(msg.find("byte count"), std::string::npos) << msg;
}

TEST(Layout, WrapDim) {
    EXPECT_EQ(wrap_dim(-1, 3, "op"), 2);
    EXPECT_EQ(wrap_dim(-3, 3, "op"), 0);
    std::string msg = expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [] { wrap_dim(3, 3, "sum"); });
    EXPECT_NE(msg.find("sum"), std::string::npos);
    EXPECT_NE(msg.find("[-3, 2]"), std::string::npos) << msg;
    expect_error(CMP_STATUS_INDEX_OUT_OF_RANGE, [] { wrap_dim(-4, 3, "op"); });
}

TEST(Factory, FromBufferCopies) {
    double src[6];
    for (int i = 0; i < 6; ++i) src[i] = i * 0.25;
    Tensor t = ops::from_buffer(src, sizeof src, {2, 3}, CMP_DTYPE_FLOAT64);
    EXPECT_NE(t.data_ptr(), static_cast<void*>(src));
    EXPECT_EQ(std::memcmp(t.data_ptr(), src, sizeof src), 0);
    std::string msg = expect_error(CMP_STATUS_SHAPE_MISMATCH, [&] { ops::from_buffer(src, 40, {2, 3}, CMP_DTYPE_FLOAT64); });
    EXPECT_NE(msg.find("from_buffer"), std::string::npos);
    EXPECT_NE(msg.find("[2, 3]"), std::string::npos) << msg;
}

struct DeleterLog {
    int calls = 0;
    void* data = nullptr;
};
void log_deleter(void* data, void* context) {
    auto* log = static_cast<DeleterLog*>(context);
    ++log->calls;
    log->data = data;
}

TEST(Factory, FromExternalDeleterRunsOnceWhenLastViewDies) {
    float buf[12] = {};
    DeleterLog log;
    {
        Tensor t = ops::from_external(buf, {3, 4}, nullptr, CMP_DTYPE_FLOAT32, Device::cpu(), &log_deleter, &log);
        EXPECT_EQ(t.data_ptr(), static_cast<void*>(buf));
        EXPECT_EQ(t.storage()->nbytes(), static_cast<int64_t>(sizeof buf));
        Tensor v = ops::transpose(t, 0, 1);
        t = Tensor();
        EXPECT_EQ(log.calls, 0);
        // Element (1, 0) of the transpose is element (0, 1) of the original: buf[1].
        v.data<float>()[v.strides()[0]] = 5.0f;
        EXPECT_EQ(buf[1], 5.0f);
    }
    EXPECT_EQ(log.calls, 1);
    EXPECT_EQ(log.data, static_cast<void*>(buf));
}

TEST(Factory, FromExternalWithStrides) {
    float buf[12] = {};
    Shape strides{1, 3};  // a column-major 3x4 block
    Tensor t = ops::from_external(buf, {3, 4}, &strides, CMP_DTYPE_FLOAT32, Device::cpu(), nullptr, nullptr);
    EXPECT_FALSE(t.is_contiguous());
    EXPECT_EQ(t.storage()->nbytes(), static_cast<int64_t>(sizeof buf));
    Shape negative{-1, 3};
    DeleterLog log;
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] {
        ops::from_external(buf, {3, 4}, &negative, CMP_DTYPE_FLOAT32, Device::cpu(), &log_deleter, &log);
    });
    EXPECT_EQ(log.calls, 0) << "a failed wrap leaves ownership with the caller";
}

TEST(Factory, ScalarTensorIsAWrappedNumber) {
    Tensor f = ops::scalar_tensor(ops::scalar_float(0.1), Device::cpu());
    EXPECT_TRUE(f.is_wrapped_number());
    EXPECT_EQ(f.dim(), 0);
    // Stored in double so float64 arithmetic sees the exact value given.
    ASSERT_EQ(f.dtype(), CMP_DTYPE_FLOAT64);
    EXPECT_EQ(*f.data<double>(), 0.1);
    Tensor i = ops::scalar_tensor(ops::scalar_int(std::numeric_limits<int64_t>::min()), Device::cpu());
    ASSERT_EQ(i.dtype(), CMP_DTYPE_INT64);
    EXPECT_EQ(*i.data<int64_t>(), std::numeric_limits<int64_t>::min());
    Tensor b = ops::scalar_tensor(ops::scalar_bool(true), Device::cpu());
    ASSERT_EQ(b.dtype(), CMP_DTYPE_BOOL);
    EXPECT_TRUE(*b.data<bool>());
    // A view of a wrapped number is an ordinary tensor.
    EXPECT_FALSE(ops::unsqueeze(f, 0).is_wrapped_number());
}

TEST(Factory, ArangeErrors) {
    auto i = ops::scalar_int;
    std::string msg = expect_error(CMP_STATUS_INVALID_ARGUMENT,
                                   [&] { ops::arange(i(0), i(5), i(0), CMP_DTYPE_INT64, Device::cpu()); });
    EXPECT_NE(msg.find("arange"), std::string::npos);
    EXPECT_NE(msg.find("nonzero"), std::string::npos) << msg;
    msg = expect_error(CMP_STATUS_INVALID_ARGUMENT,
                       [&] { ops::arange(i(0), i(5), i(-1), CMP_DTYPE_FLOAT32, Device::cpu()); });
    EXPECT_NE(msg.find("step sign"), std::string::npos) << msg;
    expect_error(CMP_STATUS_INVALID_ARGUMENT, [&] {
        ops::arange(ops::scalar_float(0), ops::scalar_float(std::numeric_limits<double>::infinity()), i(1),
                    CMP_DTYPE_FLOAT64, Device::cpu());
    });
    expect_error(CMP_STATUS_DTYPE_MISMATCH, [&] { ops::arange(i(0), i(2), i(1), CMP_DTYPE_BOOL, Device::cpu()); });
}

TEST(Factory, ArangeLengthIsCeilOfSpanOverStep) {
    // The length rule itself, checked over a grid of integer ranges against exact integer
    // ceil division.
    for (int64_t start = -7; start <= 7; ++start)
        for (int64_t end = -7; end <= 7; ++end)
            for (int64_t step : {-3, -2, -1, 1, 2, 3}) {
                if ((step > 0 && end < start) || (step < 0 && end > start)) continue;
                int64_t span = end - start;
                int64_t expect = span / step + (span % step != 0 ? 1 : 0);
                Tensor t = ops::arange(ops::scalar_int(start), ops::scalar_int(end), ops::scalar_int(step),
                                       CMP_DTYPE_INT64, Device::cpu());
                ASSERT_EQ(t.numel(), expect) << start << " " << end << " " << step;
                for (int64_t k = 0; k < expect; ++k) ASSERT_EQ(t.data<int64_t>()[k], start + k * step);
            }
}

}  // namespace
}  // namespace cmp
