// Streams (a pool per device, never destroyed), the calling thread's current stream, events,
// and pinned host memory, over the backend table (core/cuda_stream.h).
#include "cuda_stream.h"

#include "cuda_runtime.h"
#include "error.h"

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace cmp::cuda {

namespace {

struct Pool {
    std::array<cmp_cuda_stream_impl, kPoolSize> streams{};
    int32_t created = 0;  // streams[0, created) have a backend stream
    int32_t next = 0;     // the entry the next request gets
};

struct DeviceStreams {
    cmp_cuda_stream_impl default_stream{};
    bool have_range = false;  // least / greatest asked of the backend
    int32_t least = 0;
    int32_t greatest = 0;
    std::array<Pool, kMaxPriorities> pools{};  // pools[i] holds priority least - i
    std::vector<std::unique_ptr<cmp_cuda_stream_impl>> external;
};

struct Registry {
    std::mutex mutex;
    std::vector<std::unique_ptr<DeviceStreams>> devices;  // by index, made on first use
    std::unordered_set<const cmp_cuda_event_impl*> events;
};

Registry& registry() {
    static Registry* r = new Registry();  // never destroyed: handles stay valid during exit
    return *r;
}

DeviceStreams& streams_of(Registry& r, int32_t device) {
    if (r.devices.size() <= static_cast<size_t>(device)) r.devices.resize(static_cast<size_t>(device) + 1);
    auto& d = r.devices[static_cast<size_t>(device)];
    if (!d) {
        d = std::make_unique<DeviceStreams>();
        d->default_stream = cmp_cuda_stream_impl{device, nullptr};
    }
    return *d;
}

// The device's range, asked of the backend once, with greatest limited to kMaxPriorities levels.
void load_range(DeviceStreams& d, int32_t device, const Backend& b, const char* op) {
    if (d.have_range) return;
    int32_t least = 0, greatest = 0;
    check(b.stream_priority_range(device, &least, &greatest), op);
    d.least = least;
    d.greatest = std::max(greatest, least - (kMaxPriorities - 1));
    d.have_range = true;
}

bool in_pools(const DeviceStreams& d, const cmp_cuda_stream_impl* stream) {
    for (const Pool& p : d.pools)
        if (stream >= p.streams.data() && stream < p.streams.data() + p.created) return true;
    return false;
}

void require(int32_t device, const char* op) {
    CMP_CHECK(device >= 0, DEVICE_ERROR, op, ": invalid CUDA device index ", device);
    require_device(device, op);
}

// The calling thread's current streams by device; NULL entries (and devices past the end) mean
// the default stream.
thread_local std::vector<const cmp_cuda_stream_impl*> t_current;

}  // namespace

const cmp_cuda_stream_impl* default_stream(int32_t device, const char* op) {
    require(device, op);
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    return &streams_of(r, device).default_stream;
}

// fn(streams, backend) for a validated device whose priority range is known, under the lock.
template <typename Fn>
auto with_device_streams(int32_t device, const char* op, Fn&& fn) {
    require(device, op);
    const Backend& b = get(op);
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    DeviceStreams& d = streams_of(r, device);
    load_range(d, device, b, op);
    return fn(d, b);
}

const cmp_cuda_stream_impl* pool_stream(int32_t device, int32_t priority, const char* op) {
    return with_device_streams(device, op, [&](DeviceStreams& d, const Backend& b) {
        const int32_t p = std::clamp(priority, d.greatest, d.least);
        Pool& pool = d.pools[static_cast<size_t>(d.least - p)];
        cmp_cuda_stream_impl& s = pool.streams[static_cast<size_t>(pool.next)];
        if (pool.next >= pool.created) {
            void* handle = nullptr;
            check(b.stream_create_with_priority(device, p, &handle), op);
            s = cmp_cuda_stream_impl{device, handle};
            pool.created = pool.next + 1;
        }
        pool.next = (pool.next + 1) % kPoolSize;
        return static_cast<const cmp_cuda_stream_impl*>(&s);
    });
}

void priority_range(int32_t device, int32_t* least, int32_t* greatest, const char* op) {
    with_device_streams(device, op, [&](DeviceStreams& d, const Backend&) {
        *least = d.least;
        *greatest = d.greatest;
    });
}

const cmp_cuda_stream_impl* external_stream(int32_t device, void* handle, const char* op) {
    require(device, op);
    CMP_CHECK(handle != nullptr, INVALID_ARGUMENT, op,
              ": the stream is NULL (the default stream is cmp_cuda_default_stream / CudaStream.Default)");
    // The driver must know the stream: a destroyed one fails here, with the driver's error.
    int32_t priority = 0;
    check(get(op).stream_priority(handle, &priority), op);
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    DeviceStreams& d = streams_of(r, device);
    for (Pool& p : d.pools)
        for (int32_t i = 0; i < p.created; ++i)
            if (p.streams[static_cast<size_t>(i)].handle == handle) return &p.streams[static_cast<size_t>(i)];
    for (auto& e : d.external)
        if (e->handle == handle) return e.get();
    d.external.push_back(std::make_unique<cmp_cuda_stream_impl>(cmp_cuda_stream_impl{device, handle}));
    return d.external.back().get();
}

int32_t stream_priority(const cmp_cuda_stream_impl* stream, const char* op) {
    int32_t priority = 0;
    check(get(op).stream_priority(stream->handle, &priority), op);
    return priority;
}

const cmp_cuda_stream_impl* current(int32_t device) {
    if (device >= 0 && static_cast<size_t>(device) < t_current.size() && t_current[static_cast<size_t>(device)])
        return t_current[static_cast<size_t>(device)];
    return default_stream(device, "current_stream");
}

void* current_stream(int32_t device) {
    // The common case (no stream ever set on this thread) costs a size check, no lock.
    if (device >= 0 && static_cast<size_t>(device) < t_current.size() && t_current[static_cast<size_t>(device)])
        return t_current[static_cast<size_t>(device)]->handle;
    return nullptr;
}

void set_current(const cmp_cuda_stream_impl* stream) {
    check_stream(stream, "set_stream");
    const auto device = static_cast<size_t>(stream->device);
    if (t_current.size() <= device) t_current.resize(device + 1, nullptr);
    t_current[device] = stream->handle ? stream : nullptr;
}

void check_stream(const cmp_cuda_stream_impl* stream, const char* op) {
    CMP_CHECK(stream != nullptr, INVALID_HANDLE, op, ": the stream is NULL");
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    for (const auto& d : r.devices) {
        if (!d) continue;
        if (stream == &d->default_stream || in_pools(*d, stream)) return;
        for (const auto& e : d->external)
            if (stream == e.get()) return;
    }
    fail(CMP_STATUS_INVALID_HANDLE, str(op, ": the stream handle is not a stream of this library"));
}

cmp_cuda_event_impl* create_event(int32_t device, bool timing, const char* op) {
    require(device, op);
    void* handle = nullptr;
    check(get(op).event_create(device, timing ? 1 : 0, &handle), op);
    auto* e = new cmp_cuda_event_impl{device, handle, timing};
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.events.insert(e);
    return e;
}

void destroy_event(cmp_cuda_event_impl* event, const char* op) {
    if (!event) return;
    {
        Registry& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        CMP_CHECK(r.events.erase(event) == 1, INVALID_HANDLE, op,
                  ": the event handle is not a live event of this library (destroyed twice?)");
    }
    const int32_t status = get(op).event_destroy(event->handle);
    delete event;
    check(status, op);
}

void check_event(const cmp_cuda_event_impl* event, const char* op) {
    CMP_CHECK(event != nullptr, INVALID_HANDLE, op, ": the event is NULL");
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    CMP_CHECK(r.events.count(event) == 1, INVALID_HANDLE, op,
              ": the event handle is not a live event of this library (used after destroy?)");
}

void* host_allocate(int64_t nbytes, const char* op) {
    void* p = nullptr;
    check(get(op).host_allocate(nbytes, &p), op);
    return p;
}

void host_deallocate(void* ptr) noexcept {
    // Only pinned storages come here, so the backend is loaded; a failure has nowhere to go from
    // a destructor and means the pointer was not a pinned block.
    if (const Backend* b = backend()) b->host_deallocate(ptr);
}

void host_record(void* ptr, int32_t device, void* stream, const char* op) {
    check(get(op).host_record(ptr, device, stream), op);
}

}  // namespace cmp::cuda
