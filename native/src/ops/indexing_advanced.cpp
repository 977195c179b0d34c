// Advanced indexing front-end: turns PyTorch's x[tensors...] into an AdvancedIndexPlan. Masks
// become int64 indices (nonzero), the index tensors broadcast to one shape B, and the result
// shape is self's dims with the indexed ones replaced by B: in their place when they are
// adjacent, at the front otherwise (PyTorch's and NumPy's rule).
#include "ops/indexing.h"

#include "core/device.h"
#include "core/iterator.h"
#include "cpu/indexing_stubs.h"
#include "ops/cuda_ops.h"

#include <algorithm>

namespace cmp::cpu {
CMP_DEFINE_STUB(index_stub);
CMP_DEFINE_STUB(index_put_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

// One int64 index per dim of self (undefined where the dim is taken whole).
std::vector<Tensor> expand_masks(const Tensor& self, const std::vector<Tensor>& indices, const char* op) {
    std::vector<Tensor> out;
    int64_t dim = 0;
    for (size_t i = 0; i < indices.size(); ++i) {
        const Tensor& t = indices[i];
        if (!t.defined()) {
            out.emplace_back();
            ++dim;
            continue;
        }
        CMP_CHECK(t.device() == self.device(), DEVICE_ERROR, op, ": index ", i, " is on ", t.device().str(),
                  " but the tensor is on ", self.device().str());
        if (t.dtype() == CMP_DTYPE_BOOL || t.dtype() == CMP_DTYPE_UINT8) {
            CMP_CHECK(t.dim() > 0, INVALID_ARGUMENT, op, ": a 0-dim boolean index (at position ", i, ") is not supported");
            CMP_CHECK(dim + t.dim() <= self.dim(), INDEX_OUT_OF_RANGE, op, ": too many indices for tensor of shape ",
                      self.sizes(), " (the mask at position ", i, " has shape ", t.sizes(), ")");
            for (int64_t k = 0; k < t.dim(); ++k)
                CMP_CHECK(t.size(k) == self.size(dim + k), INDEX_OUT_OF_RANGE, op, ": the shape of the mask ", t.sizes(),
                          " at index ", k, " does not match the shape of the indexed tensor ", self.sizes(), " at index ",
                          dim + k);
            const Tensor nz = nonzero(t.dtype() == CMP_DTYPE_BOOL ? t : to_dtype(t, CMP_DTYPE_BOOL));
            for (int64_t k = 0; k < t.dim(); ++k) out.push_back(select(nz, 1, k));
            dim += t.dim();
            continue;
        }
        CMP_CHECK(t.dtype() == CMP_DTYPE_INT64, DTYPE_MISMATCH, op,
                  ": tensors used as indices must be int64, bool or uint8 tensors, got ", dtype_name(t.dtype()),
                  " at position ", i);
        out.push_back(t);
        ++dim;
    }
    CMP_CHECK(dim <= self.dim(), INDEX_OUT_OF_RANGE, op, ": too many indices for tensor of shape ", self.sizes(), ": ",
              dim, " dims indexed");
    out.resize(static_cast<size_t>(self.dim()));
    return out;
}

cpu::AdvancedIndexPlan make_plan(const Tensor& self, const std::vector<Tensor>& given, const char* op) {
    std::vector<Tensor> idx = expand_masks(self, given, op);
    Shape pos;  // self dims that are indexed
    Shape b;    // broadcast shape of the indices
    bool first = true;
    for (size_t d = 0; d < idx.size(); ++d) {
        if (!idx[d].defined()) continue;
        pos.push_back(static_cast<int64_t>(d));
        b = first ? idx[d].sizes() : broadcast_shapes(b, idx[d].sizes(), op);
        first = false;
    }
    CMP_CHECK(!pos.empty(), INVALID_ARGUMENT, op, ": expected at least one index tensor");
    // Non-adjacent indexed dims: move them to the front, in order (the result dims lead).
    Shape order = pos;
    const bool adjacent = pos.back() - pos.front() + 1 == static_cast<int64_t>(pos.size());
    for (int64_t d = 0; d < self.dim(); ++d)
        if (std::find(pos.begin(), pos.end(), d) == pos.end()) order.push_back(d);
    if (adjacent) {
        order.clear();
        for (int64_t d = 0; d < self.dim(); ++d) order.push_back(d);
    }
    const int64_t a = adjacent ? pos.front() : 0;  // where the run of indexed dims starts
    const int64_t k = static_cast<int64_t>(pos.size()), nb = static_cast<int64_t>(b.size());
    cpu::AdvancedIndexPlan plan;
    Shape src_strides;
    for (int64_t j = 0; j < a; ++j) {
        plan.shape.push_back(self.size(order[static_cast<size_t>(j)]));
        src_strides.push_back(self.stride(order[static_cast<size_t>(j)]));
    }
    for (int64_t j = 0; j < nb; ++j) {
        plan.shape.push_back(b[static_cast<size_t>(j)]);
        src_strides.push_back(0);
    }
    for (int64_t j = a + k; j < self.dim(); ++j) {
        plan.shape.push_back(self.size(order[static_cast<size_t>(j)]));
        src_strides.push_back(self.stride(order[static_cast<size_t>(j)]));
    }
    plan.src = Tensor::make(self.storage(), self.dtype(), plan.shape, src_strides, self.offset());
    for (int64_t j = 0; j < k; ++j) {
        const int64_t d = pos[static_cast<size_t>(j)];
        const Tensor e = expand(idx[static_cast<size_t>(d)], b);
        Shape st(plan.shape.size(), 0);
        for (int64_t q = 0; q < nb; ++q) st[static_cast<size_t>(a + q)] = e.stride(q);
        plan.indices.push_back(Tensor::make(e.storage(), CMP_DTYPE_INT64, plan.shape, st, e.offset()));
        plan.sizes.push_back(self.size(d));
        plan.strides.push_back(self.stride(d));
        plan.dims.push_back(d);
    }
    return plan;
}

// The index kernel on plan's device. A CUDA index out of range fails with the CPU kernel's words
// (its first bad position in row-major order, then operand), nothing written then.
void run_index(const cpu::AdvancedIndexPlan& plan, const Tensor& values, compute_cuda_advanced_index_op kind) {
    if (plan.src.device().is_cpu()) {
        if (kind == COMPUTE_CUDA_INDEX_GET) return cpu::index_stub(values, plan);
        return cpu::index_put_stub(plan, values, kind == COMPUTE_CUDA_INDEX_PUT_ACCUMULATE);
    }
    const std::optional<cuda_ops::IndexFailure> bad =
        cuda_ops::advanced_index(kind == COMPUTE_CUDA_INDEX_GET ? "index" : "index_put_", plan, values, kind);
    if (!bad) return;
    const auto k = static_cast<size_t>(bad->operand);
    fail(CMP_STATUS_INDEX_OUT_OF_RANGE,
         str("index: index ", bad->value, " is out of bounds for dimension ", plan.dims[k], " with size ", plan.sizes[k]));
}

}  // namespace

Tensor index(const Tensor& self, const std::vector<Tensor>& indices) {
    CMP_CHECK(self.defined(), INVALID_ARGUMENT, "index: the tensor is undefined");
    require_available(self.device(), "index");
    const cpu::AdvancedIndexPlan plan = make_plan(self, indices, "index");
    Tensor out = Tensor::empty(plan.shape, self.dtype(), self.device(), "index");
    if (out.numel() > 0) run_index(plan, out, COMPUTE_CUDA_INDEX_GET);
    return out;
}

void index_put_(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
    const char* op = "index_put_";
    CMP_CHECK(self.defined() && values.defined(), INVALID_ARGUMENT, op, ": the tensor or the values are undefined");
    require_available(self.device(), op);
    CMP_CHECK(values.device() == self.device(), DEVICE_ERROR, op, ": values are on ", values.device().str(),
              " but the tensor is on ", self.device().str());
    for (int64_t d = 0; d < self.dim(); ++d)
        CMP_CHECK(self.size(d) <= 1 || self.stride(d) != 0, INVALID_ARGUMENT, op,
                  ": more than one element of the written-to tensor (shape ", self.sizes(),
                  ") refers to a single memory location; clone it first");
    CMP_CHECK(values.dtype() == self.dtype(), DTYPE_MISMATCH, op, ": the source and destination dtypes must match, got ",
              dtype_name(self.dtype()), " for the destination and ", dtype_name(values.dtype()), " for the source");
    const cpu::AdvancedIndexPlan plan = make_plan(self, indices, op);
    // Values broadcast to the indexing result; a contiguous copy also keeps values that alias
    // self from changing while they are written.
    Tensor v = Tensor::empty(plan.shape, self.dtype(), self.device(), op);
    CMP_CHECK(broadcast_shapes(values.sizes(), plan.shape, op) == plan.shape, SHAPE_MISMATCH, op,
              ": shape mismatch: value tensor of shape ", values.sizes(), " cannot be broadcast to indexing result of shape ",
              plan.shape);
    if (v.numel() == 0) return;
    copy_(v, values);
    run_index(plan, v, accumulate ? COMPUTE_CUDA_INDEX_PUT_ACCUMULATE : COMPUTE_CUDA_INDEX_PUT);
}

Tensor index_put(const Tensor& self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
    CMP_CHECK(self.defined(), INVALID_ARGUMENT, "index_put: the tensor is undefined");
    Tensor out = clone(self);
    index_put_(out, indices, values, accumulate);
    return out;
}

}  // namespace cmp::ops
