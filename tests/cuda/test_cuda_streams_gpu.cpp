// Streams, events and pinned memory on a real GPU (skipped without one): work queued on a side
// stream gives the default stream's results once waited for; many pinned blocks copied
// asynchronously and dropped at once are not reused before their copies have run (the pinned cache
// keeps them until the copies' events complete); events time work and answer queries; streams of
// another priority compute alike and report the driver's priority.
#include "cuda_parity_util.h"

namespace cmp::testing {
namespace {

using CudaStreamsGpu = CudaParity;

TEST_F(CudaStreamsGpu, ASideStreamComputesTheDefaultStreamsResult) {
    Handle a = tensor_from(sample(512 * 512), {512, 512}, CMP_DTYPE_FLOAT32);
    Handle dev = cuda(a);
    cmp_tensor prod = nullptr;
    ASSERT_EQ(cmp_matmul(dev.get(), dev.get(), &prod), CMP_STATUS_OK) << cmp_last_error();
    Handle expected(prod);
    const cmp_cuda_stream s = new_stream();
    ASSERT_EQ(cmp_cuda_set_current_stream(s), CMP_STATUS_OK);
    // Streams are not ordered with each other: the side stream waits for the default stream's
    // work so far, as a program handing tensors between streams must.
    cmp_cuda_event ready = nullptr;
    ASSERT_EQ(cmp_cuda_event_create(0, 0, &ready), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_event_record(ready, default_stream()), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_stream_wait_event(s, ready), CMP_STATUS_OK);
    cmp_tensor side = nullptr;
    ASSERT_EQ(cmp_matmul(dev.get(), dev.get(), &side), CMP_STATUS_OK) << cmp_last_error();
    Handle on_side(side);
    std::vector<double> got = host_values(on_side.get());  // copied on the side stream, after its matmul
    ASSERT_EQ(cmp_cuda_set_current_stream(default_stream()), CMP_STATUS_OK);
    EXPECT_EQ(got, host_values(expected.get()));
    cmp_cuda_event_destroy(ready);
}

TEST_F(CudaStreamsGpu, PinnedBlocksAreNotReusedBeforeTheirCopiesRun) {
    const cmp_cuda_stream s = new_stream();
    ASSERT_EQ(cmp_cuda_set_current_stream(s), CMP_STATUS_OK);
    // Keep the stream busy so the copies queue behind real work.
    Handle big = cuda(tensor_from(sample(1024 * 1024), {1024, 1024}, CMP_DTYPE_FLOAT32));
    cmp_tensor busy = nullptr;
    ASSERT_EQ(cmp_matmul(big.get(), big.get(), &busy), CMP_STATUS_OK) << cmp_last_error();
    Handle keep_busy(busy);
    std::vector<Handle> on_device;
    for (int i = 0; i < 16; ++i) {
        // Each pinned source dies right after its copy is queued; a reused block would be
        // overwritten by the next iteration's values before the copy reads it.
        Handle src = pin(tensor_from(std::vector<double>(4096, static_cast<double>(i)), {4096}, CMP_DTYPE_FLOAT32).get());
        on_device.push_back(to_device_nb(src.get(), cuda_device()));
    }
    ASSERT_EQ(cmp_cuda_stream_synchronize(s), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_set_current_stream(default_stream()), CMP_STATUS_OK);
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(host_values(on_device[static_cast<size_t>(i)].get()),
                  std::vector<double>(4096, static_cast<double>(i))) << "copy " << i;
}

TEST_F(CudaStreamsGpu, RecordStreamKeepsABlockFromReuseUntilTheOtherStreamsWorkRan) {
    const int64_t n = 1 << 20;
    Handle x = cuda(tensor_from(std::vector<double>(static_cast<size_t>(n), 1.0), {n}, CMP_DTYPE_FLOAT32));
    Handle big = cuda(tensor_from(sample(2048 * 2048), {2048, 2048}, CMP_DTYPE_FLOAT32));
    const cmp_cuda_stream s = new_stream();
    ASSERT_EQ(cmp_cuda_set_current_stream(s), CMP_STATUS_OK);
    cmp_tensor busy = nullptr, doubled = nullptr;
    ASSERT_EQ(cmp_matmul(big.get(), big.get(), &busy), CMP_STATUS_OK) << cmp_last_error();  // keeps s busy
    Handle keep_busy(busy);
    ASSERT_EQ(cmp_add(x.get(), x.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, &doubled), CMP_STATUS_OK);
    Handle twice(doubled);  // reads x on s, after the product
    ASSERT_EQ(cmp_record_stream(x.get(), s), CMP_STATUS_OK) << cmp_last_error();
    ASSERT_EQ(cmp_cuda_set_current_stream(default_stream()), CMP_STATUS_OK);
    x.reset();  // freed while s may still be reading it
    // Same size on the default stream: without the record, x's block would be handed out here
    // and overwritten before s's add reads it.
    const int64_t sizes[] = {n};
    cmp_tensor fives = nullptr;
    ASSERT_EQ(cmp_full(sizes, 1, cmp_scalar{CMP_SCALAR_FLOAT, 0, 5.0, 0}, CMP_DTYPE_FLOAT32, cuda_device(), &fives),
              CMP_STATUS_OK);
    Handle five(fives);
    ASSERT_EQ(cmp_cuda_stream_synchronize(s), CMP_STATUS_OK);
    EXPECT_EQ(host_values(twice.get()), std::vector<double>(static_cast<size_t>(n), 2.0));
}

TEST_F(CudaStreamsGpu, EventsTimeWorkAndAnswerQueries) {
    cmp_cuda_event start = nullptr, end = nullptr;
    ASSERT_EQ(cmp_cuda_event_create(0, 1, &start), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_event_create(0, 1, &end), CMP_STATUS_OK);
    Handle big = cuda(tensor_from(sample(1024 * 1024), {1024, 1024}, CMP_DTYPE_FLOAT32));
    ASSERT_EQ(cmp_cuda_event_record(start, default_stream()), CMP_STATUS_OK);
    cmp_tensor prod = nullptr;
    ASSERT_EQ(cmp_matmul(big.get(), big.get(), &prod), CMP_STATUS_OK);
    Handle p(prod);
    ASSERT_EQ(cmp_cuda_event_record(end, default_stream()), CMP_STATUS_OK);
    ASSERT_EQ(cmp_cuda_event_synchronize(end), CMP_STATUS_OK);
    int32_t done = 0;
    ASSERT_EQ(cmp_cuda_event_query(end, &done), CMP_STATUS_OK);
    EXPECT_EQ(done, 1);
    float ms = 0;
    ASSERT_EQ(cmp_cuda_event_elapsed_ms(start, end, &ms), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_GT(ms, 0.0f);
    // A non-blocking copy back lands in pinned memory with the values once synchronised.
    Handle back = to_device_nb(p.get(), cpu_device());
    ASSERT_EQ(cmp_cuda_stream_synchronize(default_stream()), CMP_STATUS_OK);
    int32_t is_pinned = 0;
    ASSERT_EQ(cmp_is_pinned(back.get(), &is_pinned), CMP_STATUS_OK);
    EXPECT_EQ(is_pinned, 1);
    EXPECT_EQ(values_of(back.get()), host_values(p.get()));
    cmp_cuda_event_destroy(start);
    cmp_cuda_event_destroy(end);
}

}  // namespace
}  // namespace cmp::testing

namespace cmp::testing {
namespace {

// Priorities on a real device: its range (0 down to a negative number on every GPU since Kepler),
// a stream of the most urgent priority computing the default stream's result, and the driver's
// priorities of the streams the pools made; the native handle of a pool stream wrapped as an
// external stream is the pool's own handle.
TEST_F(CudaStreamsGpu, PriorityStreamsAndWrappedHandlesWork) {
    int32_t least = 1, greatest = 1;
    ASSERT_EQ(cmp_cuda_stream_priority_range(0, &least, &greatest), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(least, 0);
    EXPECT_LT(greatest, 0);
    cmp_cuda_stream urgent = nullptr;
    ASSERT_EQ(cmp_cuda_stream_create_with_priority(0, greatest - 10, &urgent), CMP_STATUS_OK) << cmp_last_error();
    int32_t p = 1;
    ASSERT_EQ(cmp_cuda_stream_priority(urgent, &p), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(p, greatest);
    ASSERT_EQ(cmp_cuda_stream_priority(default_stream(), &p), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(p, 0);
    Handle a = cuda(tensor_from(sample(256 * 256), {256, 256}, CMP_DTYPE_FLOAT32));
    cmp_tensor prod = nullptr;
    ASSERT_EQ(cmp_matmul(a.get(), a.get(), &prod), CMP_STATUS_OK) << cmp_last_error();
    Handle expected(prod);
    const std::vector<double> want = host_values(expected.get());
    ASSERT_EQ(cmp_cuda_set_current_stream(urgent), CMP_STATUS_OK);
    cmp_tensor again = nullptr;
    ASSERT_EQ(cmp_matmul(a.get(), a.get(), &again), CMP_STATUS_OK) << cmp_last_error();
    Handle on_urgent(again);
    EXPECT_EQ(host_values(on_urgent.get()), want);
    ASSERT_EQ(cmp_cuda_set_current_stream(default_stream()), CMP_STATUS_OK);
    void* raw = nullptr;
    ASSERT_EQ(cmp_cuda_stream_native_handle(urgent, &raw), CMP_STATUS_OK);
    ASSERT_NE(raw, nullptr);
    cmp_cuda_stream wrapped = nullptr;
    ASSERT_EQ(cmp_cuda_stream_from_external(0, raw, &wrapped), CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(wrapped, urgent);
}

}  // namespace
}  // namespace cmp::testing
