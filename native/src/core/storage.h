// A storage is a refcounted block of device memory shared by a tensor and its views. It is
// either owned by an allocator or wraps external memory with a caller-supplied deleter.
#pragma once

#include "device.h"
#include "refcount.h"

#include <compute/compute.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace cmp {

class Storage : public RefCounted {
public:
    // Allocates nbytes on device (64-byte aligned on the CPU).
    static Ref<Storage> allocate(int64_t nbytes, Device device);
    // Allocates nbytes of pinned (page-locked) host memory from the CUDA backend's cache: a CPU
    // storage that copies to and from a CUDA device can read or write asynchronously.
    static Ref<Storage> allocate_pinned(int64_t nbytes);
    // Wraps memory owned elsewhere; deleter(data, context) runs when the storage dies.
    static Ref<Storage> wrap(void* data, int64_t nbytes, Device device, cmp_deleter deleter, void* context);

    ~Storage() override;

    void* data() const { return data_; }
    int64_t nbytes() const { return nbytes_; }
    Device device() const { return device_; }
    bool pinned() const { return pinned_; }
    bool from_allocator() const { return from_allocator_; }
    // Forgets the external deleter: used when building a tensor over wrapped memory fails
    // after the storage exists, so the caller keeps ownership as the ABI promises.
    void disarm_deleter() { deleter_ = nullptr; }

    // How many times the storage was written in place (PyTorch's version counter, which a base
    // and all its views share because they share the storage). Autograd compares it with the
    // version it saw when it saved a tensor for backward. Bumped by mark_written (abi_util.h).
    uint64_t version() const { return version_.load(std::memory_order_relaxed); }
    void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

private:
    Storage() = default;
    void* data_ = nullptr;
    int64_t nbytes_ = 0;
    Device device_;
    bool from_allocator_ = false;  // the CPU caching allocator, or the CUDA backend's on a GPU
    bool pinned_ = false;          // from the CUDA backend's pinned host cache (allocate_pinned)
    cmp_deleter deleter_ = nullptr;
    void* context_ = nullptr;
    std::atomic<uint64_t> version_{0};
};

}  // namespace cmp
