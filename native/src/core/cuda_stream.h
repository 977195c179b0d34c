// Streams, events and pinned host memory as the core sees them (the ABI's cmp_cuda_stream,
// cmp_cuda_event, cmp_pin_memory). Every launch on a CUDA tensor goes to the calling thread's
// current stream of the tensor's device (current_stream), as PyTorch's ops do; allocations and
// copies too, so a block freed by work on a stream is reused only by later work on that stream.
//
// Streams are never destroyed: each device has a pool of kPoolSize streams created on first use
// and handed out in turn (PyTorch's torch.cuda.Stream() draws from such a pool too), so a
// cmp_cuda_stream handle stays valid for the life of the process, and the allocator's per-stream
// pools never outlive their stream. Handles from the C caller are checked against the streams and
// events the core made before use, so a stale or foreign pointer is an error, not a crash.
#pragma once

#include <compute/compute.h>

#include <cstdint>

// The objects behind the ABI's opaque handles.
struct cmp_cuda_stream_impl {
    int32_t device;
    void* handle;  // the backend's stream; NULL for the device's default stream
};

struct cmp_cuda_event_impl {
    int32_t device;
    void* handle;  // the backend's event
    bool timing;
};

namespace cmp::cuda {

constexpr int32_t kPoolSize = 32;
// Pools of kPoolSize streams for at most this many priorities (0, -1, ...; GPUs offer 0 to -5).
constexpr int32_t kMaxPriorities = 8;

// The default stream of device (validated).
const cmp_cuda_stream_impl* default_stream(int32_t device, const char* op);
// The next stream of device's pool of priority (validated; creates the stream on first use). A
// priority outside the device's range is clamped into it, as CUDA and PyTorch do.
const cmp_cuda_stream_impl* pool_stream(int32_t device, int32_t priority, const char* op);
// The device's priority range: least (0, the default) and greatest (the most urgent, <= 0).
void priority_range(int32_t device, int32_t* least, int32_t* greatest, const char* op);
// A stream made outside the library (torch.cuda.ExternalStream), as a handle the core accepts
// from then on; wrapping the same stream again gives the same handle. The caller owns the stream
// and must keep it alive while work is queued on it or tensors allocated on it live.
const cmp_cuda_stream_impl* external_stream(int32_t device, void* handle, const char* op);
// The stream's priority, as the driver reports it (0 for the default stream).
int32_t stream_priority(const cmp_cuda_stream_impl* stream, const char* op);
// The calling thread's current stream of device (its default stream until set).
const cmp_cuda_stream_impl* current(int32_t device);
// The backend handle of current(device): what every launch, allocation and copy on device uses.
void* current_stream(int32_t device);
void set_current(const cmp_cuda_stream_impl* stream);
// Throws INVALID_HANDLE naming op unless stream is one the core handed out.
void check_stream(const cmp_cuda_stream_impl* stream, const char* op);

cmp_cuda_event_impl* create_event(int32_t device, bool timing, const char* op);
void destroy_event(cmp_cuda_event_impl* event, const char* op);
// Throws INVALID_HANDLE naming op unless event is live (created and not destroyed).
void check_event(const cmp_cuda_event_impl* event, const char* op);

// Pinned host memory from the backend's cache (host_allocate / host_deallocate), and the note
// that work queued on stream of device uses the block at ptr (host_record).
void* host_allocate(int64_t nbytes, const char* op);
void host_deallocate(void* ptr) noexcept;
void host_record(void* ptr, int32_t device, void* stream, const char* op);

}  // namespace cmp::cuda
