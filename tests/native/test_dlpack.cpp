// DLPack: the struct layout of the specification, export (strides in elements, deleter keeps
// the storage alive) and import (no copy, the producer's deleter runs when the last tensor
// using the memory dies, and not at all when the import fails).
#include "ops/dlpack.h"

#include "core/cuda_runtime.h"
#include "core/tensor.h"
#include "ops/ops.h"

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>

namespace cmp {
namespace {

using namespace cmp::dlpack;

// Field offsets fixed by dlpack.h (C layout on LP64): a consumer compiled against the
// official header reads the same bytes.
TEST(DLPack, StructLayoutFollowsTheSpec) {
    EXPECT_EQ(offsetof(DLTensor, data), 0u);
    EXPECT_EQ(offsetof(DLTensor, device), sizeof(void*));
    EXPECT_EQ(offsetof(DLTensor, ndim), sizeof(void*) + sizeof(DLDevice));
    EXPECT_EQ(offsetof(DLTensor, dtype), sizeof(void*) + sizeof(DLDevice) + 4);
    EXPECT_EQ(offsetof(DLTensor, shape), sizeof(void*) + sizeof(DLDevice) + 8);
    EXPECT_EQ(offsetof(DLTensor, strides), offsetof(DLTensor, shape) + sizeof(void*));
    EXPECT_EQ(offsetof(DLTensor, byte_offset), offsetof(DLTensor, strides) + sizeof(void*));
    EXPECT_EQ(offsetof(DLManagedTensor, manager_ctx), sizeof(DLTensor));
    EXPECT_EQ(offsetof(DLManagedTensor, deleter), sizeof(DLTensor) + sizeof(void*));
}

TEST(DLPack, DTypeCodes) {
    struct Case {
        DType dtype;
        uint8_t code;
    };
    for (Case c : {Case{CMP_DTYPE_FLOAT32, kDLFloat}, Case{CMP_DTYPE_FLOAT64, kDLFloat}, Case{CMP_DTYPE_FLOAT16, kDLFloat},
                   Case{CMP_DTYPE_BFLOAT16, kDLBfloat}, Case{CMP_DTYPE_INT64, kDLInt}, Case{CMP_DTYPE_INT32, kDLInt},
                   Case{CMP_DTYPE_INT16, kDLInt}, Case{CMP_DTYPE_INT8, kDLInt}, Case{CMP_DTYPE_UINT8, kDLUInt},
                   Case{CMP_DTYPE_BOOL, kDLBool}}) {
        Tensor t = Tensor::empty({2}, c.dtype, Device::cpu());
        auto* m = static_cast<DLManagedTensor*>(ops::to_dlpack(t));
        EXPECT_EQ(m->dl_tensor.dtype.code, c.code) << dtype_name(c.dtype);
        EXPECT_EQ(m->dl_tensor.dtype.bits, element_size(c.dtype) * 8) << dtype_name(c.dtype);
        EXPECT_EQ(m->dl_tensor.dtype.lanes, 1);
        // And back: the import maps the code to the same dtype.
        Tensor back = ops::from_dlpack(m);
        EXPECT_EQ(back.dtype(), c.dtype);
    }
}

TEST(DLPack, ExportDescribesTheViewAndKeepsStorageAlive) {
    Tensor base = Tensor::empty({3, 4}, CMP_DTYPE_FLOAT32, Device::cpu());
    for (int i = 0; i < 12; ++i) base.data<float>()[i] = static_cast<float>(i);
    Tensor v = ops::slice(ops::transpose(base, 0, 1), 0, 1, 4, 2);  // rows 1 and 3 of the transpose
    auto* m = static_cast<DLManagedTensor*>(ops::to_dlpack(v));
    const DLTensor& dl = m->dl_tensor;
    EXPECT_EQ(dl.device.device_type, kDLCPU);
    EXPECT_EQ(dl.device.device_id, 0);
    ASSERT_EQ(dl.ndim, 2);
    for (int d = 0; d < 2; ++d) {
        EXPECT_EQ(dl.shape[d], v.sizes()[d]);
        EXPECT_EQ(dl.strides[d], v.strides()[d]) << "strides are in elements";
    }
    EXPECT_EQ(static_cast<char*>(dl.data) + dl.byte_offset, v.data_ptr());
    const int64_t uses = base.storage()->use_count();
    base = Tensor();
    v = Tensor();
    EXPECT_EQ(uses, 3) << "base, view and the export";
    // The storage is still there for the consumer.
    const float* data = reinterpret_cast<const float*>(static_cast<char*>(dl.data) + dl.byte_offset);
    EXPECT_EQ(data[0], 1.0f);
    EXPECT_EQ(data[dl.strides[1]], 5.0f);
    m->deleter(m);
}

struct Producer {
    float data[6] = {0, 1, 2, 3, 4, 5};
    int64_t shape[2] = {2, 3};
    int64_t strides[2] = {1, 2};  // column-major 2x3
    DLManagedTensor managed{};
    int deleted = 0;

    Producer() {
        managed.dl_tensor.data = data;
        managed.dl_tensor.device = {kDLCPU, 0};
        managed.dl_tensor.ndim = 2;
        managed.dl_tensor.dtype = {kDLFloat, 32, 1};
        managed.dl_tensor.shape = shape;
        managed.dl_tensor.strides = strides;
        managed.dl_tensor.byte_offset = 0;
        managed.manager_ctx = this;
        managed.deleter = [](DLManagedTensor* self) { ++static_cast<Producer*>(self->manager_ctx)->deleted; };
    }
};

TEST(DLPack, ImportWrapsWithoutCopyAndCallsTheDeleterOnce) {
    Producer p;
    {
        Tensor t = ops::from_dlpack(&p.managed);
        EXPECT_EQ(t.data_ptr(), static_cast<void*>(p.data));
        EXPECT_EQ(t.sizes(), (Shape{2, 3}));
        EXPECT_EQ(t.strides(), (Shape{1, 2}));
        EXPECT_FALSE(t.is_contiguous());
        Tensor row = ops::select(t, 0, 1);
        t = Tensor();
        EXPECT_EQ(p.deleted, 0) << "a view still uses the memory";
        EXPECT_EQ(row.data<float>()[row.strides()[0] * 2], 5.0f);
    }
    EXPECT_EQ(p.deleted, 1);
}

TEST(DLPack, ImportHonoursByteOffsetAndNullStrides) {
    Producer p;
    p.managed.dl_tensor.strides = nullptr;  // compact row-major
    p.managed.dl_tensor.byte_offset = 2 * sizeof(float);
    p.shape[0] = 1;
    p.shape[1] = 4;
    {
        Tensor t = ops::from_dlpack(&p.managed);
        EXPECT_EQ(t.data_ptr(), static_cast<void*>(p.data + 2));
        EXPECT_TRUE(t.is_contiguous());
        EXPECT_EQ(t.storage()->nbytes(), 4 * static_cast<int64_t>(sizeof(float)));
    }
    EXPECT_EQ(p.deleted, 1);
}

TEST(DLPack, FailedImportLeavesOwnershipWithTheCaller) {
    Producer p;
    p.managed.dl_tensor.dtype = {kDLComplex, 64, 1};
    EXPECT_THROW(ops::from_dlpack(&p.managed), Error);
    p.managed.dl_tensor.dtype = {kDLFloat, 32, 4};  // vector lanes
    EXPECT_THROW(ops::from_dlpack(&p.managed), Error);
    p.managed.dl_tensor.dtype = {kDLFloat, 32, 1};
    p.managed.dl_tensor.device = {kDLCUDA, 0};
    if (cuda::backend() == nullptr) {
        try {
            ops::from_dlpack(&p.managed);
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.status(), CMP_STATUS_DEVICE_ERROR);
        }
    }
    p.managed.dl_tensor.device = {kDLCPU, 0};
    p.strides[0] = -1;
    EXPECT_THROW(ops::from_dlpack(&p.managed), Error);
    EXPECT_EQ(p.deleted, 0);
}

TEST(DLPack, RoundTripThroughTheAbi) {
    int64_t sizes[2] = {2, 5};
    cmp_tensor t = nullptr;
    ASSERT_EQ(cmp_empty(sizes, 2, CMP_DTYPE_INT32, {CMP_DEVICE_CPU, 0}, &t), CMP_STATUS_OK);
    void* m = nullptr;
    ASSERT_EQ(cmp_to_dlpack(t, &m), CMP_STATUS_OK);
    cmp_tensor back = nullptr;
    ASSERT_EQ(cmp_from_dlpack(m, &back), CMP_STATUS_OK);
    void *a = nullptr, *b = nullptr;
    cmp_tensor_data_ptr(t, &a);
    cmp_tensor_data_ptr(back, &b);
    EXPECT_EQ(a, b) << "no copy either way";
    int64_t uses = 0;
    cmp_tensor_storage_use_count(t, &uses);
    EXPECT_EQ(uses, 2) << "the original tensor and the export held by the import";
    cmp_tensor_release(t);
    cmp_tensor_release(back);  // runs the export's deleter, which drops the last reference
    EXPECT_EQ(cmp_from_dlpack(nullptr, &back), CMP_STATUS_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace cmp
