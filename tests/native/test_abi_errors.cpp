// Bad input through the C ABI: every case returns the documented status (never aborts) and
// leaves a message in cmp_last_error() naming the op and the shapes/values involved.
#include "abi_helpers.h"

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <functional>
#include <thread>
#include <string>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CMP_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CMP_TEST_ASAN 1
#endif

namespace cmp::testing {
namespace {

const cmp_device kCpu{CMP_DEVICE_CPU, 0};

cmp_scalar int_scalar(int64_t v) { return cmp_scalar{CMP_SCALAR_INT, 0, 0.0, v}; }

Handle zeros(std::vector<int64_t> sizes, cmp_dtype dtype = CMP_DTYPE_FLOAT32) {
    cmp_tensor t = nullptr;
    EXPECT_EQ(cmp_zeros(sizes.data(), static_cast<int64_t>(sizes.size()), dtype, kCpu, &t), CMP_STATUS_OK)
        << cmp_last_error();
    return Handle(t);
}

struct BadCall {
    const char* name;
    std::function<cmp_status()> call;
    cmp_status status;
    std::vector<std::string> message_parts;
};

class AbiErrors : public ::testing::TestWithParam<BadCall> {};

TEST_P(AbiErrors, ReturnsStatusAndExplains) {
    const BadCall& c = GetParam();
    cmp_status s = c.call();
    EXPECT_EQ(s, c.status) << cmp_last_error();
    std::string msg = cmp_last_error();
    for (const std::string& part : c.message_parts) EXPECT_NE(msg.find(part), std::string::npos) << "'" << part << "' not in: " << msg;
}

std::vector<BadCall> bad_calls() {
    static Handle a23 = zeros({2, 3});
    static Handle a4 = zeros({4});
    static Handle m34 = zeros({3, 4});
    static Handle m56 = zeros({5, 6});
    static Handle b2 = zeros({2}, CMP_DTYPE_BOOL);
    static cmp_tensor out = nullptr;
    static int64_t i64 = 0;
    static const int64_t neg[2] = {2, -1};
    static const int64_t huge[2] = {int64_t{1} << 40, int64_t{1} << 40};
    static const int64_t ok2[2] = {2, 3};
    return {
        {"negative_size", [] { return cmp_zeros(neg, 2, CMP_DTYPE_FLOAT32, kCpu, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"zeros", "[2, -1]"}},
        {"overflowing_sizes", [] { return cmp_ones(huge, 2, CMP_DTYPE_FLOAT32, kCpu, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"ones", "overflow", "[1099511627776, 1099511627776]"}},
        {"negative_ndim", [] { return cmp_empty(ok2, -1, CMP_DTYPE_FLOAT32, kCpu, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"empty", "-1"}},
        {"huge_ndim", [] { return cmp_empty(ok2, 1000, CMP_DTYPE_FLOAT32, kCpu, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"empty", "1000"}},
        {"null_sizes", [] { return cmp_zeros(nullptr, 2, CMP_DTYPE_FLOAT32, kCpu, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"zeros", "'sizes' is NULL"}},
        {"invalid_dtype", [] { return cmp_zeros(ok2, 2, static_cast<cmp_dtype>(99), kCpu, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"zeros", "dtype", "99"}},
        {"invalid_device_type", [] { return cmp_zeros(ok2, 2, CMP_DTYPE_FLOAT32, cmp_device{5, 0}, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"zeros", "device", "5"}},
        {"null_out", [] { return cmp_zeros(ok2, 2, CMP_DTYPE_FLOAT32, kCpu, nullptr); }, CMP_STATUS_INVALID_ARGUMENT,
         {"zeros", "'out' is NULL"}},
        {"invalid_scalar_kind", [] { return cmp_full(ok2, 2, cmp_scalar{7, 0, 0.0, 0}, CMP_DTYPE_FLOAT32, kCpu, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"full", "'value'", "7"}},
        {"add_shape_mismatch", [] { return cmp_add(a23.get(), a4.get(), int_scalar(1), &out); },
         CMP_STATUS_SHAPE_MISMATCH, {"add", "[2, 3]", "[4]"}},
        {"matmul_shape_mismatch", [] { return cmp_matmul(m34.get(), m56.get(), &out); }, CMP_STATUS_SHAPE_MISMATCH,
         {"matmul", "[3, 4]", "[5, 6]"}},
        {"sum_dim_out_of_range", [] {
             int64_t dim = 5;
             return cmp_sum(a23.get(), &dim, 1, 0, &out);
         }, CMP_STATUS_INDEX_OUT_OF_RANGE, {"sum", "5"}},
        {"select_index_out_of_range", [] { return cmp_select(a23.get(), 1, 3, &out); },
         CMP_STATUS_INDEX_OUT_OF_RANGE, {"select", "[2, 3]", "3"}},
        {"transpose_dim_out_of_range", [] { return cmp_transpose(a23.get(), 0, -3, &out); },
         CMP_STATUS_INDEX_OUT_OF_RANGE, {"transpose", "-3"}},
        {"view_of_non_contiguous", [] {
             Handle t;
             cmp_tensor tt = nullptr;
             cmp_transpose(m34.get(), 0, 1, &tt);
             t.reset(tt);
             int64_t flat = 12;
             return cmp_view(t.get(), &flat, 1, &out);
         }, CMP_STATUS_LAYOUT_ERROR, {"view", "[12]", "[4, 3]"}},
        {"reshape_wrong_numel", [] {
             int64_t s[2] = {4, 2};
             return cmp_reshape(a23.get(), s, 2, &out);
         }, CMP_STATUS_SHAPE_MISMATCH, {"reshape", "[4, 2]", "6"}},
        {"expand_non_singleton", [] {
             int64_t s[2] = {2, 4};
             return cmp_expand(a23.get(), s, 2, &out);
         }, CMP_STATUS_SHAPE_MISMATCH, {"expand", "[2, 4]", "[2, 3]"}},
        {"permute_null_dims", [] { return cmp_permute(a23.get(), nullptr, 2, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"permute", "'dims' is NULL"}},
        {"null_handle", [] { return cmp_tensor_numel(nullptr, &i64); }, CMP_STATUS_INVALID_HANDLE,
         {"tensor_numel", "NULL tensor handle"}},
        {"null_handle_in_op", [] { return cmp_add(a23.get(), nullptr, int_scalar(1), &out); },
         CMP_STATUS_INVALID_HANDLE, {"add", "'b'"}},
        {"retain_null", [] { return cmp_tensor_retain(nullptr); }, CMP_STATUS_INVALID_HANDLE, {"tensor_retain"}},
        {"neg_of_bool", [] { return cmp_neg(b2.get(), &out); }, CMP_STATUS_DTYPE_MISMATCH, {"neg", "bool"}},
        {"to_dtype_invalid", [] { return cmp_to_dtype(a23.get(), static_cast<cmp_dtype>(-3), &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"to_dtype", "-3"}},
        {"copy_to_buffer_wrong_size", [] {
             float buf[6];
             return cmp_tensor_copy_to_buffer(a23.get(), buf, 20);
         }, CMP_STATUS_SHAPE_MISMATCH, {"tensor_copy_to_buffer", "[2, 3]", "24", "20"}},
        {"sizes_capacity_too_small", [] {
             int64_t s[1];
             return cmp_tensor_sizes(a23.get(), s, 1);
         }, CMP_STATUS_INVALID_ARGUMENT, {"tensor_sizes", "capacity", "[2, 3]"}},
        {"from_buffer_null_data", [] { return cmp_from_buffer(nullptr, 24, ok2, 2, CMP_DTYPE_FLOAT32, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"from_buffer", "'data'"}},
        {"from_buffer_wrong_nbytes", [] {
             float buf[6] = {};
             return cmp_from_buffer(buf, 12, ok2, 2, CMP_DTYPE_FLOAT32, &out);
         }, CMP_STATUS_SHAPE_MISMATCH, {"from_buffer", "[2, 3]", "12", "24"}},
        {"arange_zero_step",
         [] { return cmp_arange(int_scalar(0), int_scalar(4), int_scalar(0), CMP_DTYPE_INT64, kCpu, &out); },
         CMP_STATUS_INVALID_ARGUMENT, {"arange", "step"}},
        {"slice_zero_step", [] { return cmp_slice(a23.get(), 0, 0, 2, 0, &out); }, CMP_STATUS_INVALID_ARGUMENT,
         {"slice", "step"}},
        {"as_strided_out_of_bounds", [] {
             int64_t s[2] = {3, 3}, st[2] = {3, 1};
             return cmp_as_strided(a23.get(), s, st, 2, 0, &out);
         }, CMP_STATUS_INDEX_OUT_OF_RANGE, {"as_strided", "[3, 3]", "[3, 1]"}},
        {"out_of_memory", [] {
             const int64_t s[1] = {int64_t{1} << 59};
             return cmp_empty(s, 1, CMP_DTYPE_FLOAT32, kCpu, &out);
         }, CMP_STATUS_OUT_OF_MEMORY, {"out of memory allocating 2305843009213693952 bytes"}},
        {"item_index_out_of_range", [] {
             const int64_t idx[2] = {1, 3};
             cmp_scalar v;
             return cmp_tensor_item(a23.get(), idx, 2, &v);
         }, CMP_STATUS_INDEX_OUT_OF_RANGE, {"item", "3"}},
        {"item_wrong_index_count", [] {
             const int64_t idx[1] = {0};
             cmp_scalar v;
             return cmp_tensor_item(a23.get(), idx, 1, &v);
         }, CMP_STATUS_INVALID_ARGUMENT, {"item", "[2, 3]"}},
        {"set_num_threads_zero", [] { return cmp_set_num_threads(0); }, CMP_STATUS_INVALID_ARGUMENT,
         {"cmp_set_num_threads", "0"}},
        {"rand_integer_dtype", [] { return cmp_rand(ok2, 2, CMP_DTYPE_INT32, kCpu, &out); },
         CMP_STATUS_DTYPE_MISMATCH, {"rand"}},
    };
}

INSTANTIATE_TEST_SUITE_P(Abi, AbiErrors, ::testing::ValuesIn(bad_calls()),
                         [](const ::testing::TestParamInfo<BadCall>& param) { return std::string(param.param.name); });

TEST(AbiErrorState, OutIsNulledOnFailureAndMessagePersistsAfterSuccess) {
    const int64_t neg[1] = {-1};
    cmp_tensor out = reinterpret_cast<cmp_tensor>(0x1);  // garbage the caller forgot to clear
    EXPECT_EQ(cmp_zeros(neg, 1, CMP_DTYPE_FLOAT32, kCpu, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(out, nullptr);
    std::string first = cmp_last_error();
    int32_t n = 0;
    EXPECT_EQ(cmp_get_num_threads(&n), CMP_STATUS_OK);
    EXPECT_EQ(first, cmp_last_error()) << "a success leaves the last error in place";
}

TEST(AbiErrorState, MessagesAreThreadLocal) {
    const int64_t neg[1] = {-1};
    cmp_tensor out = nullptr;
    cmp_zeros(neg, 1, CMP_DTYPE_FLOAT32, kCpu, &out);
    std::string mine = cmp_last_error();
    std::string other;
    std::thread([&] { other = cmp_last_error(); }).join();
    EXPECT_EQ(other, "") << "another thread has no error yet";
    EXPECT_EQ(mine, cmp_last_error());
}

TEST(AbiErrorState, CudaIsAClearDeviceError) {
    int32_t count = -1;
    ASSERT_EQ(cmp_cuda_device_count(&count), CMP_STATUS_OK);
    if (count > 0) GTEST_SKIP() << "CUDA devices present";
    const int64_t s[1] = {2};
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_zeros(s, 1, CMP_DTYPE_FLOAT32, cmp_device{CMP_DEVICE_CUDA, 0}, &out), CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(std::string(cmp_last_error()).find("zeros: device cuda:0 is not available"), std::string::npos)
        << cmp_last_error();
    cmp_memory_stats stats;
    EXPECT_EQ(cmp_memory_stats_get(cmp_device{CMP_DEVICE_CUDA, 0}, &stats), CMP_STATUS_DEVICE_ERROR);
    Handle t = zeros({2});
    EXPECT_EQ(cmp_to_device(t.get(), cmp_device{CMP_DEVICE_CUDA, 0}, &out), CMP_STATUS_DEVICE_ERROR);
}

TEST(AbiErrorState, ReleasedHandleIsDetected) {
#if defined(CMP_TEST_ASAN)
    GTEST_SKIP() << "reading a released handle is a use-after-free that AddressSanitizer reports by design";
#else
    Handle keep = zeros({2, 2});
    cmp_tensor t = nullptr;
    ASSERT_EQ(cmp_clone(keep.get(), &t), CMP_STATUS_OK);
    ASSERT_EQ(cmp_tensor_release(t), CMP_STATUS_OK);
    int64_t n = 0;
    EXPECT_EQ(cmp_tensor_numel(t, &n), CMP_STATUS_INVALID_HANDLE);
    EXPECT_NE(std::string(cmp_last_error()).find("not a live tensor handle"), std::string::npos) << cmp_last_error();
#endif
}

TEST(AbiErrorState, AllocationHookRunsBeforeOutOfMemory) {
    struct Count {
        int calls = 0;
        int64_t nbytes = 0;
    } count;
    auto hook = [](int64_t nbytes, void* ctx) -> int32_t {
        auto* c = static_cast<Count*>(ctx);
        ++c->calls;
        c->nbytes = nbytes;
        return 1;
    };
    ASSERT_EQ(cmp_set_alloc_failure_hook(hook, &count), CMP_STATUS_OK);
    cmp_memory_stats before{}, after{};
    ASSERT_EQ(cmp_memory_stats_get(kCpu, &before), CMP_STATUS_OK);
    const int64_t s[1] = {int64_t{1} << 59};
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_empty(s, 1, CMP_DTYPE_FLOAT32, kCpu, &out), CMP_STATUS_OUT_OF_MEMORY);
    ASSERT_EQ(cmp_set_alloc_failure_hook(nullptr, nullptr), CMP_STATUS_OK);
    ASSERT_EQ(cmp_memory_stats_get(kCpu, &after), CMP_STATUS_OK);
    EXPECT_EQ(count.calls, 1);
    EXPECT_EQ(count.nbytes, int64_t{1} << 61);
    EXPECT_EQ(after.failed_allocations, before.failed_allocations + 1);
}

}  // namespace
}  // namespace cmp::testing
