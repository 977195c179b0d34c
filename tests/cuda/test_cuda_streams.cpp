// Streams, events, pinned memory and non-blocking copies through the C ABI, against the fake
// backend (part of compute_cuda_routing_tests, whose main() loads it): which stream the core
// names for launches, allocations and copies; the per-thread current stream; the stream pool;
// the checks on stream and event handles; pinned blocks allocated, recorded and freed; and which
// copies are queued asynchronously. The fake runs everything at once, so these check routing,
// not timing (tests/cuda/device_check.sh runs the parity suite on a GPU).
#include "core/cuda_stream.h"
#include "cuda_test_util.h"
#include "fake_export.h"

#include <string>
#include <thread>

namespace cmp::testing {
namespace {

FakeStreamLog stream_log() {
    static const auto fn = fake_export<FakeStreamLogFn>(FAKE_BACKEND_STREAM_LOG);
    return fn ? *fn() : FakeStreamLog{};
}

cmp_cuda_stream current_stream() {
    cmp_cuda_stream s = nullptr;
    EXPECT_EQ(cmp_cuda_current_stream(0, &s), CMP_STATUS_OK) << cmp_last_error();
    return s;
}

// Makes s current on this thread for a scope (the default stream again after).
class StreamScope {
public:
    explicit StreamScope(cmp_cuda_stream s) { EXPECT_EQ(cmp_cuda_set_current_stream(s), CMP_STATUS_OK); }
    ~StreamScope() { cmp_cuda_set_current_stream(default_stream()); }
    StreamScope(const StreamScope&) = delete;
    StreamScope& operator=(const StreamScope&) = delete;
};

void* data_ptr(cmp_tensor t) {
    void* p = nullptr;
    EXPECT_EQ(cmp_tensor_data_ptr(t, &p), CMP_STATUS_OK) << cmp_last_error();
    return p;
}

bool pinned(cmp_tensor t) {
    int32_t out = -1;
    EXPECT_EQ(cmp_is_pinned(t, &out), CMP_STATUS_OK) << cmp_last_error();
    return out == 1;
}

// The status of a failing call and its message, which must name op.
void expect_failure(cmp_status status, cmp_status expected, const std::string& op, const std::string& part) {
    EXPECT_EQ(status, expected) << op;
    const std::string message = cmp_last_error();
    EXPECT_NE(message.find(op), std::string::npos) << message;
    EXPECT_NE(message.find(part), std::string::npos) << message;
}

const std::vector<double> kSix = {1, 2, 3, 4, 5, 6};

TEST(CudaStreams, WorkGoesToTheDefaultStreamUntilAnotherIsSet) {
    HostKernels host_kernels;
    EXPECT_EQ(current_stream(), default_stream());
    EXPECT_EQ(default_stream()->handle, nullptr);
    const int64_t sizes[] = {2, 3};
    cmp_tensor z = nullptr;
    CMP_ASSERT_OK(cmp_zeros(sizes, 2, CMP_DTYPE_FLOAT32, cuda_device(), &z));
    Handle zeros(z);
    EXPECT_EQ(stream_log().allocate_stream, nullptr);
    EXPECT_EQ(stream_log().launch_stream, nullptr);
}

TEST(CudaStreams, LaunchesAllocationsAndCopiesUseTheCurrentStream) {
    HostKernels host_kernels;
    const cmp_cuda_stream s = new_stream();
    ASSERT_NE(s, nullptr);
    ASSERT_NE(s->handle, nullptr);
    Handle host = tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32);
    {
        StreamScope scope(s);
        EXPECT_EQ(current_stream(), s);
        Handle dev = to_device(host.get(), cuda_device());
        EXPECT_EQ(stream_log().allocate_stream, s->handle);
        EXPECT_EQ(stream_log().memcpy_stream, s->handle);
        EXPECT_EQ(stream_log().memcpy_async, 0);  // a pageable source: a synchronous copy
        cmp_tensor sum = nullptr;
        CMP_ASSERT_OK(cmp_add(dev.get(), dev.get(), cmp_scalar{CMP_SCALAR_INT, 0, 0.0, 1}, &sum));
        Handle twice(sum);
        EXPECT_EQ(stream_log().launch_stream, s->handle);
        EXPECT_EQ(host_values(twice.get()), (std::vector<double>{2, 4, 6, 8, 10, 12}));
        EXPECT_EQ(stream_log().memcpy_stream, s->handle);  // read back after the stream's work
    }
    EXPECT_EQ(current_stream(), default_stream());
    Handle again = to_device(host.get(), cuda_device());
    EXPECT_EQ(stream_log().memcpy_stream, nullptr);
}

TEST(CudaStreams, TheCurrentStreamBelongsToTheThread) {
    const cmp_cuda_stream s = new_stream();
    StreamScope scope(s);
    cmp_cuda_stream seen = s;
    std::thread other([&] { seen = current_stream(); });
    other.join();
    EXPECT_EQ(seen, default_stream());
    EXPECT_EQ(current_stream(), s);
}

TEST(CudaStreams, ThePoolHandsOutItsStreamsInTurn) {
    std::vector<cmp_cuda_stream> streams;
    for (int i = 0; i < 2 * cuda::kPoolSize; ++i) streams.push_back(new_stream());
    EXPECT_LE(stream_log().streams_created, cuda::kPoolSize);
    for (int i = 0; i < cuda::kPoolSize; ++i) {
        EXPECT_EQ(streams[static_cast<size_t>(i)], streams[static_cast<size_t>(i + cuda::kPoolSize)]);
        EXPECT_NE(streams[static_cast<size_t>(i)], streams[static_cast<size_t>((i + 1) % cuda::kPoolSize)]);
        int32_t device = -1;
        CMP_ASSERT_OK(cmp_cuda_stream_device(streams[static_cast<size_t>(i)], &device));
        EXPECT_EQ(device, 0);
    }
}

int32_t priority_of(cmp_cuda_stream s) {
    int32_t p = 99;
    EXPECT_EQ(cmp_cuda_stream_priority(s, &p), CMP_STATUS_OK) << cmp_last_error();
    return p;
}

void* native_handle(cmp_cuda_stream s) {
    void* h = reinterpret_cast<void*>(1);
    EXPECT_EQ(cmp_cuda_stream_native_handle(s, &h), CMP_STATUS_OK) << cmp_last_error();
    return h;
}

// The fake's range is 0 .. -3 (fake_streams.h). Each priority has its own pool, a priority outside
// the range is clamped into it, and work on a priority stream is queued there.
TEST(CudaStreams, EachPriorityHasItsOwnPool) {
    int32_t least = 99, greatest = 99;
    CMP_ASSERT_OK(cmp_cuda_stream_priority_range(0, &least, &greatest));
    EXPECT_EQ(least, 0);
    EXPECT_EQ(greatest, -3);
    EXPECT_EQ(priority_of(default_stream()), 0);
    EXPECT_EQ(priority_of(new_stream()), 0);
    cmp_cuda_stream urgent = nullptr, most = nullptr, clamped_up = nullptr;
    CMP_ASSERT_OK(cmp_cuda_stream_create_with_priority(0, -1, &urgent));
    CMP_ASSERT_OK(cmp_cuda_stream_create_with_priority(0, -100, &most));
    CMP_ASSERT_OK(cmp_cuda_stream_create_with_priority(0, 7, &clamped_up));
    EXPECT_EQ(priority_of(urgent), -1);
    EXPECT_EQ(priority_of(most), -3);
    EXPECT_EQ(priority_of(clamped_up), 0);
    // The backend made the streams with those priorities (the fake keeps each stream's own).
    // Wrapping a pool stream's own handle gives the pool's handle back.
    cmp_cuda_stream wrapped = nullptr;
    CMP_ASSERT_OK(cmp_cuda_stream_from_external(0, urgent->handle, &wrapped));
    EXPECT_EQ(wrapped, urgent);
    // A priority's pool is its own: the next priority -1 stream is another stream of that pool.
    cmp_cuda_stream next = nullptr;
    CMP_ASSERT_OK(cmp_cuda_stream_create_with_priority(0, -1, &next));
    EXPECT_NE(next, urgent);
    EXPECT_EQ(priority_of(next), -1);
    HostKernels host_kernels;
    {
        StreamScope scope(urgent);
        const int64_t sizes[] = {4};
        cmp_tensor z = nullptr;
        CMP_ASSERT_OK(cmp_zeros(sizes, 1, CMP_DTYPE_FLOAT32, cuda_device(), &z));
        Handle zeros(z);
        EXPECT_EQ(stream_log().launch_stream, urgent->handle);
    }
    expect_failure(cmp_cuda_stream_priority_range(0, nullptr, &greatest), CMP_STATUS_INVALID_ARGUMENT,
                   "cmp_cuda_stream_priority_range", "least");
    cmp_cuda_stream out = urgent;
    expect_failure(cmp_cuda_stream_create_with_priority(3, -1, &out), CMP_STATUS_DEVICE_ERROR,
                   "cmp_cuda_stream_create_with_priority", "cuda:3");
    EXPECT_EQ(out, nullptr);
}

// A stream the program made itself (the fake's stand-in for cudaStreamCreate) becomes a handle
// the library queues work on, with the stream's own priority; the same stream gives the same
// handle, and its native handle is the program's stream.
TEST(CudaStreams, ExternalStreamsQueueTheLibrarysWork) {
    static const auto make = fake_export<FakeExternalStreamFn>(FAKE_BACKEND_EXTERNAL_STREAM);
    static const auto destroy = fake_export<FakeDestroyExternalStreamFn>(FAKE_BACKEND_DESTROY_EXTERNAL_STREAM);
    ASSERT_TRUE(make && destroy);
    void* raw = make(-2);
    ASSERT_NE(raw, nullptr);
    cmp_cuda_stream s = nullptr, again = nullptr;
    CMP_ASSERT_OK(cmp_cuda_stream_from_external(0, raw, &s));
    CMP_ASSERT_OK(cmp_cuda_stream_from_external(0, raw, &again));
    EXPECT_EQ(s, again);
    EXPECT_EQ(native_handle(s), raw);
    EXPECT_EQ(priority_of(s), -2);
    int32_t device = -1;
    CMP_ASSERT_OK(cmp_cuda_stream_device(s, &device));
    EXPECT_EQ(device, 0);
    HostKernels host_kernels;
    {
        StreamScope scope(s);
        EXPECT_EQ(current_stream(), s);
        Handle host = tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32);
        Handle dev = to_device(host.get(), cuda_device());
        EXPECT_EQ(stream_log().allocate_stream, raw);
        EXPECT_EQ(stream_log().memcpy_stream, raw);
        CMP_ASSERT_OK(cmp_cuda_stream_synchronize(s));
    }
    EXPECT_EQ(native_handle(default_stream()), nullptr);
    const cmp_cuda_stream pooled = new_stream();
    EXPECT_EQ(native_handle(pooled), pooled->handle);
    // NULL, a bad device, and a stream the driver no longer knows are refused.
    cmp_cuda_stream out = s;
    expect_failure(cmp_cuda_stream_from_external(0, nullptr, &out), CMP_STATUS_INVALID_ARGUMENT,
                   "cmp_cuda_stream_from_external", "NULL");
    EXPECT_EQ(out, nullptr);
    expect_failure(cmp_cuda_stream_from_external(2, raw, &out), CMP_STATUS_DEVICE_ERROR,
                   "cmp_cuda_stream_from_external", "cuda:2");
    destroy(raw);
    expect_failure(cmp_cuda_stream_from_external(0, raw, &out), CMP_STATUS_DEVICE_ERROR,
                   "cmp_cuda_stream_from_external", "unknown stream");
}

TEST(CudaStreams, SynchronizeAndQueryAStream) {
    const cmp_cuda_stream s = new_stream();
    CMP_ASSERT_OK(cmp_cuda_stream_synchronize(s));
    CMP_ASSERT_OK(cmp_cuda_stream_synchronize(default_stream()));
    int32_t done = -1;
    CMP_ASSERT_OK(cmp_cuda_stream_query(s, &done));
    EXPECT_EQ(done, 1);
}

TEST(CudaStreams, ForeignStreamHandlesAndDevicesAreRefused) {
    cmp_cuda_stream_impl forged{0, nullptr};
    expect_failure(cmp_cuda_set_current_stream(&forged), CMP_STATUS_INVALID_HANDLE, "cmp_cuda_set_current_stream",
                   "not a stream of this library");
    expect_failure(cmp_cuda_set_current_stream(nullptr), CMP_STATUS_INVALID_HANDLE, "cmp_cuda_set_current_stream",
                   "NULL");
    expect_failure(cmp_cuda_stream_synchronize(&forged), CMP_STATUS_INVALID_HANDLE, "cmp_cuda_stream_synchronize",
                   "not a stream");
    cmp_cuda_stream out = &forged;
    expect_failure(cmp_cuda_stream_create(1, &out), CMP_STATUS_DEVICE_ERROR, "cmp_cuda_stream_create", "cuda:1");
    EXPECT_EQ(out, nullptr);
    expect_failure(cmp_cuda_current_stream(-1, &out), CMP_STATUS_DEVICE_ERROR, "cmp_cuda_current_stream", "-1");
    EXPECT_EQ(current_stream(), default_stream());
}

TEST(CudaEvents, RecordWaitQueryAndTime) {
    cmp_cuda_event start = nullptr, end = nullptr;
    CMP_ASSERT_OK(cmp_cuda_event_create(0, 1, &start));
    CMP_ASSERT_OK(cmp_cuda_event_create(0, 1, &end));
    const cmp_cuda_stream s = new_stream();
    CMP_ASSERT_OK(cmp_cuda_event_record(start, s));
    EXPECT_EQ(stream_log().record_event, start->handle);
    EXPECT_EQ(stream_log().record_stream, s->handle);
    CMP_ASSERT_OK(cmp_cuda_event_record(end, s));
    CMP_ASSERT_OK(cmp_cuda_event_synchronize(end));
    int32_t done = -1;
    CMP_ASSERT_OK(cmp_cuda_event_query(end, &done));
    EXPECT_EQ(done, 1);
    float ms = -1;
    CMP_ASSERT_OK(cmp_cuda_event_elapsed_ms(start, end, &ms));
    EXPECT_GE(ms, 0.0f);
    CMP_ASSERT_OK(cmp_cuda_stream_wait_event(default_stream(), end));
    EXPECT_EQ(stream_log().wait_stream, nullptr);
    EXPECT_EQ(stream_log().wait_event, end->handle);
    CMP_ASSERT_OK(cmp_cuda_event_destroy(start));
    CMP_ASSERT_OK(cmp_cuda_event_destroy(end));
    CMP_ASSERT_OK(cmp_cuda_event_destroy(nullptr));
}

TEST(CudaEvents, MisuseIsAClearError) {
    cmp_cuda_event plain = nullptr, timed = nullptr;
    CMP_ASSERT_OK(cmp_cuda_event_create(0, 0, &plain));
    CMP_ASSERT_OK(cmp_cuda_event_create(0, 1, &timed));
    CMP_ASSERT_OK(cmp_cuda_event_record(plain, default_stream()));
    CMP_ASSERT_OK(cmp_cuda_event_record(timed, default_stream()));
    float ms = -1;
    expect_failure(cmp_cuda_event_elapsed_ms(plain, timed, &ms), CMP_STATUS_INVALID_ARGUMENT,
                   "cmp_cuda_event_elapsed_ms", "start: no, end: yes");
    CMP_ASSERT_OK(cmp_cuda_event_destroy(plain));
    expect_failure(cmp_cuda_event_record(plain, default_stream()), CMP_STATUS_INVALID_HANDLE, "cmp_cuda_event_record",
                   "not a live event");
    expect_failure(cmp_cuda_event_destroy(plain), CMP_STATUS_INVALID_HANDLE, "cmp_cuda_event_destroy",
                   "destroyed twice");
    cmp_cuda_event out = timed;
    expect_failure(cmp_cuda_event_create(3, 0, &out), CMP_STATUS_DEVICE_ERROR, "cmp_cuda_event_create", "cuda:3");
    EXPECT_EQ(out, nullptr);
    CMP_ASSERT_OK(cmp_cuda_event_destroy(timed));
}

TEST(CudaStreams, RecordStreamNamesTheBlockAndTheStream) {
    Handle dev = to_device(tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    void* const block = stream_log().allocate_ptr;
    cmp_tensor row = nullptr;
    CMP_ASSERT_OK(cmp_select(dev.get(), 0, 1, &row));  // a view: its storage's block is recorded
    Handle second(row);
    const cmp_cuda_stream s = new_stream();
    const int64_t uses = stream_log().stream_uses;
    CMP_ASSERT_OK(cmp_record_stream(second.get(), s));
    EXPECT_EQ(stream_log().stream_uses, uses + 1);
    EXPECT_EQ(stream_log().stream_use_ptr, block);
    EXPECT_EQ(stream_log().stream_use_stream, s->handle);
    Handle host = tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32);
    expect_failure(cmp_record_stream(host.get(), s), CMP_STATUS_INVALID_ARGUMENT, "record_stream", "CUDA tensor");
    cmp_cuda_stream_impl forged{0, nullptr};
    expect_failure(cmp_record_stream(dev.get(), &forged), CMP_STATUS_INVALID_HANDLE, "record_stream", "not a stream");
    EXPECT_EQ(stream_log().stream_uses, uses + 1);
}

TEST(CudaPinnedMemory, PinMemoryCopiesIntoAPinnedBlockOnce) {
    const int64_t live = stream_log().pinned_live;
    Handle host = tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT64);
    cmp_tensor tr = nullptr;
    CMP_ASSERT_OK(cmp_transpose(host.get(), 0, 1, &tr));
    Handle transposed(tr);
    EXPECT_FALSE(pinned(transposed.get()));
    {
        Handle p = pin(transposed.get());
        EXPECT_TRUE(pinned(p.get()));
        EXPECT_EQ(device_of(p.get()).type, CMP_DEVICE_CPU);
        EXPECT_EQ(sizes_of(p.get()), (std::vector<int64_t>{3, 2}));
        EXPECT_EQ(values_of(p.get()), values_of(transposed.get()));
        EXPECT_EQ(stream_log().pinned_live, live + 1);
        Handle again = pin(p.get());  // already pinned: the same tensor
        EXPECT_EQ(data_ptr(again.get()), data_ptr(p.get()));
        EXPECT_EQ(stream_log().pinned_live, live + 1);
        cmp_tensor view = nullptr;
        CMP_ASSERT_OK(cmp_transpose(p.get(), 0, 1, &view));
        Handle v(view);
        EXPECT_TRUE(pinned(v.get()));  // views share the pinned storage
    }
    EXPECT_EQ(stream_log().pinned_live, live);  // freed with its last tensor
    Handle dev = to_device(host.get(), cuda_device());
    cmp_tensor out = nullptr;
    expect_failure(cmp_pin_memory(dev.get(), &out), CMP_STATUS_INVALID_ARGUMENT, "pin_memory", "cuda:0");
    EXPECT_EQ(out, nullptr);
}

TEST(CudaPinnedMemory, NonBlockingCopyFromPinnedMemoryIsQueuedAndRecorded) {
    Handle p = pin(tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32).get());
    const cmp_cuda_stream s = new_stream();
    StreamScope scope(s);
    const int64_t records = stream_log().host_records;
    Handle dev = to_device_nb(p.get(), cuda_device(), 1);
    EXPECT_EQ(stream_log().memcpy_async, 1);
    EXPECT_EQ(stream_log().memcpy_stream, s->handle);
    EXPECT_EQ(stream_log().host_records, records + 1);
    EXPECT_EQ(stream_log().host_record_ptr, data_ptr(p.get()));
    EXPECT_EQ(stream_log().host_record_stream, s->handle);
    EXPECT_EQ(stream_log().host_record_device, 0);
    CMP_ASSERT_OK(cmp_cuda_stream_synchronize(s));
    EXPECT_EQ(host_values(dev.get()), kSix);
    // No element: nothing queued, nothing recorded, both ways.
    Handle none = pin(tensor_from({}, {0, 3}, CMP_DTYPE_FLOAT32).get());
    Handle none_dev = to_device_nb(none.get(), cuda_device(), 1);
    Handle none_back = to_device_nb(none_dev.get(), cpu_device(), 1);
    EXPECT_EQ(sizes_of(none_back.get()), (std::vector<int64_t>{0, 3}));
    EXPECT_EQ(stream_log().host_records, records + 1);
}

TEST(CudaPinnedMemory, NonBlockingCopiesThatCannotBeAsyncAreSynchronous) {
    const int64_t records = stream_log().host_records;
    // Pageable memory.
    Handle pageable = tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle dev = to_device_nb(pageable.get(), cuda_device(), 1);
    EXPECT_EQ(stream_log().memcpy_async, 0);
    // Pinned, but of another dtype than the destination: converted on the host first.
    Handle p = pin(pageable.get());
    const int64_t sizes[] = {2, 3};
    cmp_tensor d64 = nullptr;
    CMP_ASSERT_OK(cmp_empty(sizes, 2, CMP_DTYPE_FLOAT64, cuda_device(), &d64));
    Handle dst(d64);
    CMP_ASSERT_OK(cmp_copy_non_blocking_(dst.get(), p.get(), 1));
    EXPECT_EQ(stream_log().memcpy_async, 0);
    EXPECT_EQ(host_values(dst.get()), kSix);
    // non_blocking 0 from pinned memory.
    Handle sync = to_device_nb(p.get(), cuda_device(), 0);
    EXPECT_EQ(stream_log().memcpy_async, 0);
    EXPECT_EQ(stream_log().host_records, records);
    EXPECT_EQ(host_values(sync.get()), kSix);
}

TEST(CudaPinnedMemory, NonBlockingCopyToTheHostLandsInPinnedMemory) {
    HostKernels host_kernels;  // the transposed source is made dense on the device first
    Handle dev = to_device(tensor_from(kSix, {2, 3}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    cmp_tensor tr = nullptr;
    CMP_ASSERT_OK(cmp_transpose(dev.get(), 0, 1, &tr));
    Handle transposed(tr);
    const int64_t records = stream_log().host_records;
    Handle back = to_device_nb(transposed.get(), cpu_device(), 1);
    EXPECT_TRUE(pinned(back.get()));
    EXPECT_EQ(stream_log().memcpy_async, 1);
    EXPECT_EQ(stream_log().host_records, records + 1);
    EXPECT_EQ(stream_log().host_record_ptr, data_ptr(back.get()));
    CMP_ASSERT_OK(cmp_cuda_stream_synchronize(current_stream()));
    EXPECT_EQ(values_of(back.get()), (std::vector<double>{1, 4, 2, 5, 3, 6}));
}

}  // namespace
}  // namespace cmp::testing
