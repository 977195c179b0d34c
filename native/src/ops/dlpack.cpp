// DLPack export and import. Export hands out a DLManagedTensor that holds a reference to the
// storage until the consumer calls its deleter; import wraps the producer's memory in a
// storage whose deleter calls the producer's deleter once no tensor uses it any more.
#include "dlpack.h"

#include "ops.h"

#include <limits>
#include <memory>

namespace cmp::ops {

using namespace cmp::dlpack;

namespace {

// What an exported DLManagedTensor owns: the struct itself, its shape/strides arrays and a
// reference that keeps the storage (not just this view) alive.
struct ExportContext {
    DLManagedTensor managed{};
    Shape shape;
    Shape strides;
    Ref<Storage> storage;
};

void delete_export(DLManagedTensor* self) { delete static_cast<ExportContext*>(self->manager_ctx); }

DLDataType to_dl_dtype(DType d) {
    const uint8_t bits = static_cast<uint8_t>(element_size(d) * 8);
    switch (d) {
        case CMP_DTYPE_FLOAT32:
        case CMP_DTYPE_FLOAT64:
        case CMP_DTYPE_FLOAT16: return {kDLFloat, bits, 1};
        case CMP_DTYPE_BFLOAT16: return {kDLBfloat, bits, 1};
        case CMP_DTYPE_INT64:
        case CMP_DTYPE_INT32:
        case CMP_DTYPE_INT16:
        case CMP_DTYPE_INT8: return {kDLInt, bits, 1};
        case CMP_DTYPE_UINT8: return {kDLUInt, bits, 1};
        case CMP_DTYPE_BOOL: return {kDLBool, 8, 1};
    }
    fail(CMP_STATUS_INTERNAL_ERROR, str("to_dlpack: unknown dtype ", static_cast<int>(d)));
}

DType from_dl_dtype(DLDataType t) {
    CMP_CHECK(t.lanes == 1, DTYPE_MISMATCH, "from_dlpack: vector dtypes (lanes ", t.lanes, ") are not supported");
    const int code = t.code, bits = t.bits;
    if (code == kDLFloat && bits == 32) return CMP_DTYPE_FLOAT32;
    if (code == kDLFloat && bits == 64) return CMP_DTYPE_FLOAT64;
    if (code == kDLFloat && bits == 16) return CMP_DTYPE_FLOAT16;
    if (code == kDLBfloat && bits == 16) return CMP_DTYPE_BFLOAT16;
    if (code == kDLInt && bits == 64) return CMP_DTYPE_INT64;
    if (code == kDLInt && bits == 32) return CMP_DTYPE_INT32;
    if (code == kDLInt && bits == 16) return CMP_DTYPE_INT16;
    if (code == kDLInt && bits == 8) return CMP_DTYPE_INT8;
    if (code == kDLUInt && bits == 8) return CMP_DTYPE_UINT8;
    if (code == kDLBool && bits == 8) return CMP_DTYPE_BOOL;
    fail(CMP_STATUS_DTYPE_MISMATCH, str("from_dlpack: unsupported DLPack dtype (code ", code, ", bits ", bits, ")"));
}

Device from_dl_device(DLDevice d) {
    if (d.device_type == kDLCPU) return Device::cpu();
    CMP_CHECK(d.device_type == kDLCUDA, DEVICE_ERROR, "from_dlpack: unsupported DLPack device type ", d.device_type);
    Device dev;
    dev.type = CMP_DEVICE_CUDA;
    dev.index = d.device_id;
    CMP_CHECK(d.device_id >= 0, DEVICE_ERROR, "from_dlpack: invalid CUDA device id ", d.device_id);
    require_available(dev, "from_dlpack");
    return dev;
}

// The storage deleter of an imported tensor: hands the memory back to its producer.
void release_import(void*, void* context) {
    auto* m = static_cast<DLManagedTensor*>(context);
    if (m->deleter) m->deleter(m);
}

}  // namespace

void* to_dlpack(const Tensor& t) {
    auto ctx = std::make_unique<ExportContext>();
    ctx->shape = t.sizes();
    ctx->strides = t.strides();
    ctx->storage = t.storage();
    DLTensor& dl = ctx->managed.dl_tensor;
    dl.data = t.data_ptr();
    dl.device = t.device().is_cpu() ? DLDevice{kDLCPU, 0} : DLDevice{kDLCUDA, t.device().index};
    dl.ndim = static_cast<int32_t>(t.dim());
    dl.dtype = to_dl_dtype(t.dtype());
    dl.shape = ctx->shape.data();
    dl.strides = ctx->strides.data();
    dl.byte_offset = 0;
    ctx->managed.manager_ctx = ctx.get();
    ctx->managed.deleter = &delete_export;
    return &ctx.release()->managed;
}

Tensor from_dlpack(void* managed_tensor) {
    CMP_CHECK(managed_tensor != nullptr, INVALID_ARGUMENT, "from_dlpack: argument 'managed_tensor' is NULL");
    auto* m = static_cast<DLManagedTensor*>(managed_tensor);
    const DLTensor& dl = m->dl_tensor;
    CMP_CHECK(dl.ndim >= 0, INVALID_ARGUMENT, "from_dlpack: negative ndim ", dl.ndim);
    CMP_CHECK(dl.shape != nullptr || dl.ndim == 0, INVALID_ARGUMENT, "from_dlpack: shape is NULL for ndim ", dl.ndim);
    const DType dtype = from_dl_dtype(dl.dtype);
    const Device device = from_dl_device(dl.device);
    Shape sizes(dl.shape, dl.shape + dl.ndim);
    const int64_t n = checked_numel(sizes, "from_dlpack");
    Shape strides = dl.strides ? Shape(dl.strides, dl.strides + dl.ndim) : contiguous_strides(sizes);

    // The storage spans the elements the strides can reach, starting at data + byte_offset.
    const int64_t esize = element_size(dtype);
    CMP_CHECK(dl.byte_offset % static_cast<uint64_t>(esize) == 0 &&
                  dl.byte_offset <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
              INVALID_ARGUMENT, "from_dlpack: byte_offset ", dl.byte_offset, " is not a multiple of the element size ",
              esize);
    int64_t extent = n > 0 ? 1 : 0;
    for (int32_t i = 0; i < dl.ndim && n > 0; ++i) {
        CMP_CHECK(strides[i] >= 0, INVALID_ARGUMENT, "from_dlpack: negative strides are not supported, got ", strides);
        int64_t span;
        CMP_CHECK(!mul_overflow(sizes[i] - 1, strides[i], &span) && !add_overflow(extent, span, &extent),
                  INVALID_ARGUMENT, "from_dlpack: shape ", sizes, " and strides ", strides, " overflow");
    }
    CMP_CHECK(extent <= std::numeric_limits<int64_t>::max() / esize, INVALID_ARGUMENT, "from_dlpack: shape ", sizes,
              " and strides ", strides, " overflow the byte count");
    CMP_CHECK(dl.data != nullptr || n == 0, INVALID_ARGUMENT, "from_dlpack: data is NULL for shape ", sizes);

    void* base = static_cast<char*>(dl.data) + dl.byte_offset;
    Ref<Storage> storage = Storage::wrap(base, extent * esize, device, &release_import, m);
    return Tensor::make_external(std::move(storage), dtype, std::move(sizes), std::move(strides), 0);
}

}  // namespace cmp::ops
