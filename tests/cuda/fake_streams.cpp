// Streams, events and pinned memory for the fake backend. The fake runs every kernel on the host
// at once, so every stream is always idle and every recorded event complete; what the routing
// tests check is which stream the core named in each call, and that pinned blocks are allocated,
// recorded and freed as the core promises.
#include "fake_streams.h"

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <unordered_set>

namespace fake_streams {

namespace {

struct Stream {
    int64_t id;
    int32_t priority;
};

struct Event {
    bool timing;
    bool recorded;
    std::chrono::steady_clock::time_point at;
};

std::mutex g_mutex;
FakeStreamLog g_log{};
std::unordered_set<void*> g_pinned;
std::unordered_set<void*> g_streams;
std::unordered_set<void*> g_events;

bool known(const std::unordered_set<void*>& set, void* p) {
    std::lock_guard lock(g_mutex);
    return set.count(p) == 1;
}

}  // namespace

int32_t stream_create_with_priority(int32_t device, int32_t priority, void** out) {
    *out = nullptr;
    if (device != 0) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: no such device");
    if (priority > 0 || priority < kGreatestPriority) return fail(CMP_STATUS_INVALID_ARGUMENT, "fake backend: priority out of range");
    std::lock_guard lock(g_mutex);
    auto* s = new Stream{++g_log.streams_created, priority};
    g_streams.insert(s);
    *out = s;
    return CMP_STATUS_OK;
}


int32_t stream_priority_range(int32_t device, int32_t* least, int32_t* greatest) {
    if (device != 0) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: no such device");
    *least = 0;
    *greatest = kGreatestPriority;
    return CMP_STATUS_OK;
}

// As cudaStreamGetPriority: NULL is the default stream (0); a handle the fake never made, or
// destroyed, is an error.
int32_t stream_priority(void* stream, int32_t* out) {
    if (!stream) {
        *out = 0;
        return CMP_STATUS_OK;
    }
    std::lock_guard lock(g_mutex);
    if (g_streams.count(stream) != 1) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: unknown stream");
    *out = static_cast<const Stream*>(stream)->priority;
    return CMP_STATUS_OK;
}

int32_t stream_destroy(void* stream) {
    std::lock_guard lock(g_mutex);
    if (g_streams.erase(stream) != 1) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown stream");
    delete static_cast<Stream*>(stream);
    return CMP_STATUS_OK;
}

// NULL is the default stream; any other pointer must be one of the fake's.
int32_t stream_synchronize(void* stream) {
    if (stream && !known(g_streams, stream)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown stream");
    return CMP_STATUS_OK;
}

int32_t stream_query(void* stream, int32_t* done) {
    *done = 1;
    return stream_synchronize(stream);
}

int32_t stream_wait_event(void* stream, void* event) {
    if (stream && !known(g_streams, stream)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown stream");
    if (!known(g_events, event)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown event");
    std::lock_guard lock(g_mutex);
    g_log.wait_stream = stream;
    g_log.wait_event = event;
    return CMP_STATUS_OK;
}

int32_t event_create(int32_t device, int32_t timing, void** out) {
    *out = nullptr;
    if (device != 0) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: no such device");
    auto* e = new Event{timing != 0, false, {}};
    std::lock_guard lock(g_mutex);
    g_events.insert(e);
    *out = e;
    return CMP_STATUS_OK;
}

int32_t event_destroy(void* event) {
    std::lock_guard lock(g_mutex);
    if (g_events.erase(event) != 1) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown event");
    delete static_cast<Event*>(event);
    return CMP_STATUS_OK;
}

int32_t event_record(void* event, void* stream) {
    if (stream && !known(g_streams, stream)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown stream");
    if (!known(g_events, event)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown event");
    auto* e = static_cast<Event*>(event);
    e->recorded = true;
    e->at = std::chrono::steady_clock::now();
    std::lock_guard lock(g_mutex);
    g_log.record_event = event;
    g_log.record_stream = stream;
    return CMP_STATUS_OK;
}

int32_t event_synchronize(void* event) {
    if (!known(g_events, event)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown event");
    return CMP_STATUS_OK;
}

int32_t event_query(void* event, int32_t* done) {
    *done = 1;
    return event_synchronize(event);
}

// As cudaEventElapsedTime: both events recorded, both with timing.
int32_t event_elapsed_ms(void* start, void* end, float* out) {
    if (!known(g_events, start) || !known(g_events, end))
        return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown event");
    const auto* a = static_cast<const Event*>(start);
    const auto* b = static_cast<const Event*>(end);
    if (!a->timing || !b->timing) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: an event without timing");
    if (!a->recorded || !b->recorded) return fail(CMP_STATUS_DEVICE_ERROR, "fake backend: an event never recorded");
    *out = std::chrono::duration<float, std::milli>(b->at - a->at).count();
    return CMP_STATUS_OK;
}

int32_t host_allocate(int64_t nbytes, void** out) {
    *out = nullptr;
    if (nbytes == 0) return CMP_STATUS_OK;
    void* p = std::malloc(static_cast<size_t>(nbytes));
    if (!p) return fail(CMP_STATUS_OUT_OF_MEMORY, "fake backend: out of pinned memory");
    std::lock_guard lock(g_mutex);
    g_pinned.insert(p);
    ++g_log.pinned_live;
    ++g_log.pinned_allocations;
    *out = p;
    return CMP_STATUS_OK;
}

int32_t host_deallocate(void* ptr) {
    if (!ptr) return CMP_STATUS_OK;
    std::lock_guard lock(g_mutex);
    if (g_pinned.erase(ptr) != 1) return fail(CMP_STATUS_INVALID_ARGUMENT, "fake backend: not a pinned block");
    --g_log.pinned_live;
    std::free(ptr);
    return CMP_STATUS_OK;
}

int32_t host_record(void* ptr, int32_t device, void* stream) {
    std::lock_guard lock(g_mutex);
    if (g_pinned.count(ptr) != 1) return fail(CMP_STATUS_INVALID_ARGUMENT, "fake backend: record on a non-pinned block");
    ++g_log.host_records;
    g_log.host_record_ptr = ptr;
    g_log.host_record_device = device;
    g_log.host_record_stream = stream;
    return CMP_STATUS_OK;
}

// The fake frees blocks at once (its work has all run), so it only notes the call.
int32_t record_stream(void* ptr, void* stream) {
    if (!ptr) return fail(CMP_STATUS_INVALID_ARGUMENT, "fake backend: record_stream of NULL");
    if (stream && !known(g_streams, stream)) return fail(CMP_STATUS_INTERNAL_ERROR, "fake backend: unknown stream");
    std::lock_guard lock(g_mutex);
    ++g_log.stream_uses;
    g_log.stream_use_ptr = ptr;
    g_log.stream_use_stream = stream;
    return CMP_STATUS_OK;
}

void note_allocate(void* stream, void* ptr) {
    std::lock_guard lock(g_mutex);
    g_log.allocate_stream = stream;
    g_log.allocate_ptr = ptr;
}

void note_memcpy(void* stream, int32_t async) {
    std::lock_guard lock(g_mutex);
    g_log.memcpy_stream = stream;
    g_log.memcpy_async = async;
    ++g_log.memcpy_calls;
}

void note_launch(void* stream) {
    std::lock_guard lock(g_mutex);
    g_log.launch_stream = stream;
}

const FakeStreamLog* stream_log() { return &g_log; }

}  // namespace fake_streams

// A stream made outside the library, as a program's own cudaStreamCreate (for the external
// stream tests), and its destruction.
extern "C" __attribute__((visibility("default"))) void* fake_backend_external_stream(int32_t priority) {
    void* s = nullptr;
    return fake_streams::stream_create_with_priority(0, priority, &s) == CMP_STATUS_OK ? s : nullptr;
}

extern "C" __attribute__((visibility("default"))) void fake_backend_destroy_external_stream(void* stream) {
    (void)fake_streams::stream_destroy(stream);
}

extern "C" __attribute__((visibility("default"))) const FakeStreamLog* fake_backend_stream_log(void) {
    return fake_streams::stream_log();
}
