// The DLPack exchange structs (DLPack 0.8, unchanged as the legacy DLManagedTensor in 1.x),
// written from the specification. Enum-typed fields of the spec are C enums, which are
// 32-bit int on every ABI we target; they are spelled int32_t here to pin the layout.
#pragma once

#include <cstdint>

namespace cmp::dlpack {

enum DeviceType : int32_t {
    kDLCPU = 1,
    kDLCUDA = 2,
    kDLCUDAHost = 3,
    kDLCUDAManaged = 13,
};

enum TypeCode : uint8_t {
    kDLInt = 0,
    kDLUInt = 1,
    kDLFloat = 2,
    kDLOpaqueHandle = 3,
    kDLBfloat = 4,
    kDLComplex = 5,
    kDLBool = 6,
};

struct DLDevice {
    int32_t device_type;  // a DeviceType
    int32_t device_id;
};

struct DLDataType {
    uint8_t code;  // a TypeCode
    uint8_t bits;
    uint16_t lanes;
};

struct DLTensor {
    void* data;
    DLDevice device;
    int32_t ndim;
    DLDataType dtype;
    int64_t* shape;
    int64_t* strides;  // in elements; NULL means compact row-major
    uint64_t byte_offset;
};

struct DLManagedTensor {
    DLTensor dl_tensor;
    void* manager_ctx;
    void (*deleter)(DLManagedTensor* self);
};

static_assert(sizeof(DLDevice) == 8 && sizeof(DLDataType) == 4, "DLPack layout");
static_assert((sizeof(DLTensor) == 48 && sizeof(DLManagedTensor) == 64) || sizeof(void*) != 8, "DLPack layout");

}  // namespace cmp::dlpack
