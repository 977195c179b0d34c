// Storage: device memory with one owner (the allocator or an external deleter).
#include "storage.h"

#include "allocator.h"
#include "cuda_runtime.h"
#include "cuda_stream.h"

namespace cmp {

Ref<Storage> Storage::allocate(int64_t nbytes, Device device) {
    require_available(device, "allocate");
    CMP_CHECK(nbytes >= 0, INVALID_ARGUMENT, "allocate: negative byte count ", nbytes);
    Ref<Storage> s = Ref<Storage>::adopt(new Storage());
    s->data_ = device.is_cpu() ? cpu_allocator::allocate(nbytes) : cuda::allocate(device.index, nbytes, "allocate");
    s->nbytes_ = nbytes;
    s->device_ = device;
    s->from_allocator_ = true;
    return s;
}

Ref<Storage> Storage::allocate_pinned(int64_t nbytes) {
    CMP_CHECK(nbytes >= 0, INVALID_ARGUMENT, "pin_memory: negative byte count ", nbytes);
    Ref<Storage> s = Ref<Storage>::adopt(new Storage());
    s->data_ = cuda::host_allocate(nbytes, "pin_memory");
    s->nbytes_ = nbytes;
    s->device_ = Device::cpu();
    s->pinned_ = true;
    return s;
}

Ref<Storage> Storage::wrap(void* data, int64_t nbytes, Device device, cmp_deleter deleter, void* context) {
    CMP_CHECK(nbytes >= 0, INVALID_ARGUMENT, "wrap: negative byte count ", nbytes);
    Ref<Storage> s = Ref<Storage>::adopt(new Storage());
    s->data_ = data;
    s->nbytes_ = nbytes;
    s->device_ = device;
    s->deleter_ = deleter;
    s->context_ = context;
    return s;
}

Storage::~Storage() {
    if (pinned_) cuda::host_deallocate(data_);
    else if (from_allocator_) {
        if (device_.is_cpu()) cpu_allocator::deallocate(data_, nbytes_);
        else cuda::deallocate(data_);
    }
    else if (deleter_) deleter_(data_, context_);
}

}  // namespace cmp
