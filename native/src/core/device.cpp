// Device validation and availability. CUDA availability is decided at run time by whether the
// compute_cuda backend library can be loaded (cuda_runtime.cpp).
#include "device.h"

#include "cuda_runtime.h"

namespace cmp {

Device Device::from_c(cmp_device d, const char* op, const char* arg) {
    CMP_CHECK(d.type == CMP_DEVICE_CPU || d.type == CMP_DEVICE_CUDA, INVALID_ARGUMENT, op, ": argument '", arg,
              "' has invalid device type ", d.type, " (expected 0 = cpu or 1 = cuda)");
    CMP_CHECK(d.index >= 0, INVALID_ARGUMENT, op, ": argument '", arg, "' has invalid device index ", d.index,
              " (must be >= 0)");
    CMP_CHECK(d.type != CMP_DEVICE_CPU || d.index == 0, INVALID_ARGUMENT, op, ": argument '", arg,
              "' has invalid device index ", d.index, " for cpu (must be 0)");
    Device out;
    out.type = static_cast<cmp_device_type>(d.type);
    out.index = d.index;
    return out;
}

std::string Device::str() const {
    if (type == CMP_DEVICE_CPU) return "cpu";
    return "cuda:" + std::to_string(index);
}

void require_available(Device device, const char* op) {
    if (device.is_cpu()) return;
    cuda::require_device(device.index, op);
}

}  // namespace cmp
