// CUDA streams, events, pinned host memory and non-blocking copies (core/cuda_stream.h).
#include "abi_util.h"
#include "core/cuda_runtime.h"
#include "core/cuda_stream.h"
#include "core/storage.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

namespace {

// Streams and events are checked against those the core made before any use, so that a stale or
// foreign pointer is an INVALID_HANDLE error rather than a crash in the driver.
const cmp_cuda_stream_impl* stream_arg(cmp_cuda_stream s, const char* op) {
    cuda::check_stream(s, op);
    return s;
}

cmp_cuda_event_impl* event_arg(cmp_cuda_event e, const char* op) {
    cuda::check_event(e, op);
    return e;
}

// PyTorch refuses to record an event of one device on another device's stream (and to make a
// stream wait on another device's event); so does the driver, with a less helpful message.
void same_device(const cmp_cuda_event_impl* e, const cmp_cuda_stream_impl* s, const char* op) {
    CMP_CHECK(e->device == s->device, DEVICE_ERROR, op, ": the event is on cuda:", e->device,
              " but the stream is on cuda:", s->device);
}

// The functions handing out a stream: *out is NULL unless get() succeeds.
template <typename Get>
cmp_status stream_out(const char* op, cmp_cuda_stream* out, Get&& get) noexcept {
    return guard(op, [&] {
        cmp_cuda_stream& o = out_arg(out, op);
        o = nullptr;
        o = const_cast<cmp_cuda_stream>(get());
    });
}

// An event and a stream, both checked and of one device, handed to call(event, stream) as the
// backend's handles (recording an event on a stream, making a stream wait on an event).
template <typename Call>
cmp_status event_and_stream(const char* op, cmp_cuda_event event, cmp_cuda_stream stream, Call&& call) noexcept {
    return guard(op, [&] {
        const cmp_cuda_event_impl* e = event_arg(event, op);
        const cmp_cuda_stream_impl* s = stream_arg(stream, op);
        same_device(e, s, op);
        cuda::check(call(e->handle, s->handle), op);
    });
}

// The two queries (stream, event): *out is 1 when the work is done, 0 when not; untouched on failure.
template <typename Query>
cmp_status query_out(const char* op, int32_t* out, Query&& query) noexcept {
    return guard(op, [&] {
        int32_t& o = out_arg(out, op);
        int32_t done = 0;
        cuda::check(query(&done), op);
        o = done;
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_cuda_default_stream(int32_t device, cmp_cuda_stream* out) {
    const char* op = "cmp_cuda_default_stream";
    return stream_out(op, out, [&] { return cuda::default_stream(device, op); });
}

CMP_API cmp_status cmp_cuda_stream_create(int32_t device, cmp_cuda_stream* out) {
    const char* op = "cmp_cuda_stream_create";
    return stream_out(op, out, [&] { return cuda::pool_stream(device, 0, op); });
}

CMP_API cmp_status cmp_cuda_stream_create_with_priority(int32_t device, int32_t priority, cmp_cuda_stream* out) {
    const char* op = "cmp_cuda_stream_create_with_priority";
    return stream_out(op, out, [&] { return cuda::pool_stream(device, priority, op); });
}

CMP_API cmp_status cmp_cuda_stream_priority_range(int32_t device, int32_t* out_least, int32_t* out_greatest) {
    const char* op = "cmp_cuda_stream_priority_range";
    return guard(op, [&] {
        int32_t& lo = out_arg(out_least, op, "out_least");
        int32_t& hi = out_arg(out_greatest, op, "out_greatest");
        cuda::priority_range(device, &lo, &hi, op);
    });
}

CMP_API cmp_status cmp_cuda_stream_priority(cmp_cuda_stream stream, int32_t* out) {
    const char* op = "cmp_cuda_stream_priority";
    return guard(op, [&] {
        int32_t& o = out_arg(out, op);
        o = cuda::stream_priority(stream_arg(stream, op), op);
    });
}

CMP_API cmp_status cmp_cuda_stream_from_external(int32_t device, void* cuda_stream, cmp_cuda_stream* out) {
    const char* op = "cmp_cuda_stream_from_external";
    return stream_out(op, out, [&] { return cuda::external_stream(device, cuda_stream, op); });
}

CMP_API cmp_status cmp_cuda_stream_native_handle(cmp_cuda_stream stream, void** out) {
    const char* op = "cmp_cuda_stream_native_handle";
    return guard(op, [&] { out_arg(out, op) = stream_arg(stream, op)->handle; });
}

CMP_API cmp_status cmp_cuda_current_stream(int32_t device, cmp_cuda_stream* out) {
    const char* op = "cmp_cuda_current_stream";
    return stream_out(op, out, [&] {
        (void)cuda::default_stream(device, op);  // validates the device when the thread set no stream
        return cuda::current(device);
    });
}

CMP_API cmp_status cmp_cuda_set_current_stream(cmp_cuda_stream stream) {
    const char* op = "cmp_cuda_set_current_stream";
    return guard(op, [&] { cuda::set_current(stream_arg(stream, op)); });
}

CMP_API cmp_status cmp_cuda_stream_device(cmp_cuda_stream stream, int32_t* out) {
    const char* op = "cmp_cuda_stream_device";
    return guard(op, [&] { out_arg(out, op) = stream_arg(stream, op)->device; });
}

CMP_API cmp_status cmp_cuda_stream_synchronize(cmp_cuda_stream stream) {
    const char* op = "cmp_cuda_stream_synchronize";
    return guard(op, [&] { cuda::check(cuda::get(op).stream_synchronize(stream_arg(stream, op)->handle), op); });
}

CMP_API cmp_status cmp_cuda_stream_query(cmp_cuda_stream stream, int32_t* out) {
    const char* op = "cmp_cuda_stream_query";
    return query_out(op, out,
                     [&](int32_t* done) { return cuda::get(op).stream_query(stream_arg(stream, op)->handle, done); });
}

CMP_API cmp_status cmp_cuda_stream_wait_event(cmp_cuda_stream stream, cmp_cuda_event event) {
    const char* op = "cmp_cuda_stream_wait_event";
    return event_and_stream(op, event, stream, [&](void* e, void* s) { return cuda::get(op).stream_wait_event(s, e); });
}

CMP_API cmp_status cmp_cuda_event_create(int32_t device, int32_t enable_timing, cmp_cuda_event* out) {
    const char* op = "cmp_cuda_event_create";
    return guard(op, [&] {
        cmp_cuda_event& o = out_arg(out, op);
        o = nullptr;
        o = cuda::create_event(device, enable_timing != 0, op);
    });
}

CMP_API cmp_status cmp_cuda_event_destroy(cmp_cuda_event event) {
    const char* op = "cmp_cuda_event_destroy";
    return guard(op, [&] { cuda::destroy_event(event, op); });
}

CMP_API cmp_status cmp_cuda_event_record(cmp_cuda_event event, cmp_cuda_stream stream) {
    const char* op = "cmp_cuda_event_record";
    return event_and_stream(op, event, stream, [&](void* e, void* s) { return cuda::get(op).event_record(e, s); });
}

CMP_API cmp_status cmp_cuda_event_synchronize(cmp_cuda_event event) {
    const char* op = "cmp_cuda_event_synchronize";
    return guard(op, [&] { cuda::check(cuda::get(op).event_synchronize(event_arg(event, op)->handle), op); });
}

CMP_API cmp_status cmp_cuda_event_query(cmp_cuda_event event, int32_t* out) {
    const char* op = "cmp_cuda_event_query";
    return query_out(op, out,
                     [&](int32_t* done) { return cuda::get(op).event_query(event_arg(event, op)->handle, done); });
}

CMP_API cmp_status cmp_cuda_event_elapsed_ms(cmp_cuda_event start, cmp_cuda_event end, float* out) {
    const char* op = "cmp_cuda_event_elapsed_ms";
    return guard(op, [&] {
        float& o = out_arg(out, op);
        const cmp_cuda_event_impl* a = event_arg(start, op);
        const cmp_cuda_event_impl* b = event_arg(end, op);
        CMP_CHECK(a->timing && b->timing, INVALID_ARGUMENT, op,
                  ": both events must be created with enable_timing (start: ", a->timing ? "yes" : "no",
                  ", end: ", b->timing ? "yes" : "no", ")");
        CMP_CHECK(a->device == b->device, DEVICE_ERROR, op, ": the events are on cuda:", a->device, " and cuda:",
                  b->device);
        float ms = 0;
        cuda::check(cuda::get(op).event_elapsed_ms(a->handle, b->handle, &ms), op);
        o = ms;
    });
}

CMP_API cmp_status cmp_record_stream(cmp_tensor tensor, cmp_cuda_stream stream) {
    const char* op = "record_stream";
    return guard(op, [&] {
        const Tensor t = tensor_arg(tensor, op, "tensor");
        const cmp_cuda_stream_impl* s = stream_arg(stream, op);
        CMP_CHECK(!t.device().is_cpu(), INVALID_ARGUMENT, op, ": expected a CUDA tensor, got one on cpu");
        CMP_CHECK(t.device().index == s->device, DEVICE_ERROR, op, ": the tensor is on ", t.device().str(),
                  " but the stream is on cuda:", s->device);
        const Storage& storage = *t.storage();
        if (!storage.from_allocator() || !storage.data()) return;  // wrapped memory: its owner decides
        cuda::check(cuda::get(op).record_stream(storage.data(), s->handle), op);
    });
}

CMP_API cmp_status cmp_pin_memory(cmp_tensor tensor, cmp_tensor* out) {
    return unary("pin_memory", tensor, out, [](const Tensor& t) { return ops::pin_memory(t); });
}

CMP_API cmp_status cmp_is_pinned(cmp_tensor tensor, int32_t* out) {
    const char* op = "is_pinned";
    return guard(op, [&] { out_arg(out, op) = ops::is_pinned(tensor_arg(tensor, op, "tensor")) ? 1 : 0; });
}

CMP_API cmp_status cmp_to_device_non_blocking(cmp_tensor tensor, cmp_device device, int32_t non_blocking,
                                              cmp_tensor* out) {
    return unary("to_device", tensor, out, [&](const Tensor& t) {
        Device d = device_arg(device, "to_device", "device");
        require_available(d, "to_device");
        return ops::to_device(t, d, non_blocking != 0);
    });
}

CMP_API cmp_status cmp_copy_non_blocking_(cmp_tensor dst, cmp_tensor src, int32_t non_blocking) {
    return guard("copy_", [&] {
        Tensor t = tensor_arg(dst, "copy_", "dst");
        ops::copy_(t, tensor_arg(src, "copy_", "src"), non_blocking != 0);
        mark_written(t);
    });
}

}  // extern "C"
