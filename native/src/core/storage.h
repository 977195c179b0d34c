// A storage is a refcounted block of device memory shared by a tensor and its views. It is
// either owned by an allocator or wraps external memory with a caller-supplied deleter.
#pragma once

#include "device.h"
#include "refcount.h"

#include <compute/compute.h>

#include <cstddef>
#include <cstdint>

namespace cmp {

class Storage : public RefCounted {
public:
    // Allocates nbytes on device (64-byte aligned on the CPU).
    static Ref<Storage> allocate(int64_t nbytes, Device device);
    // Wraps memory owned elsewhere; deleter(data, context) runs when the storage dies.
    static Ref<Storage> wrap(void* data, int64_t nbytes, Device device, cmp_deleter deleter, void* context);

    ~Storage() override;

    void* data() const { return data_; }
    int64_t nbytes() const { return nbytes_; }
    Device device() const { return device_; }
    // Forgets the external deleter: used when building a tensor over wrapped memory fails
    // after the storage exists, so the caller keeps ownership as the ABI promises.
    void disarm_deleter() { deleter_ = nullptr; }

private:
    Storage() = default;
    void* data_ = nullptr;
    int64_t nbytes_ = 0;
    Device device_;
    bool from_allocator_ = false;
    cmp_deleter deleter_ = nullptr;
    void* context_ = nullptr;
};

}  // namespace cmp
