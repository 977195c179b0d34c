// Devices: the CPU and CUDA GPUs. Every storage and tensor carries one.
#pragma once

#include "error.h"

#include <compute/compute.h>

#include <string>

namespace cmp {

struct Device {
    cmp_device_type type = CMP_DEVICE_CPU;
    int32_t index = 0;

    static Device cpu() { return {}; }
    // Validates the type and index; errors name op (the ABI function) and the argument.
    static Device from_c(cmp_device d, const char* op = "device", const char* arg = "device");
    cmp_device to_c() const { return {static_cast<int32_t>(type), index}; }
    bool is_cpu() const { return type == CMP_DEVICE_CPU; }
    bool operator==(const Device& o) const { return type == o.type && index == o.index; }
    bool operator!=(const Device& o) const { return !(*this == o); }
    std::string str() const;  // "cpu", "cuda:0"
};

// Throws DEVICE_ERROR when the op cannot run on device (today: anything but the CPU, until the
// CUDA backend is loaded; the message says why CUDA is unavailable).
void require_available(Device device, const char* op);

}  // namespace cmp
