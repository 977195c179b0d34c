// CUDA branches of nonzero, masked_select and advanced indexing (see cuda_ops.h): the
// front-ends (ops/indexing.cpp, ops/indexing_advanced.cpp) keep every check and message; these
// describe the tensors to the backend's nonzero and advanced_index entries.
#include "ops/cuda_ops.h"

#include "core/cuda_stream.h"
#include "core/cuda_runtime.h"

namespace cmp::ops::cuda_ops {

namespace {

// The positions of t's shape with in = t (nonzero's COUNT pass; the caller sets the rest).
compute_cuda_nonzero nonzero_desc(const char* op, const Tensor& in) {
    const int64_t nd = in.dim();
    CMP_CHECK(nd <= COMPUTE_CUDA_MAX_DIMS, DEVICE_ERROR, op, ": ", nd, " dims are not supported on CUDA yet (at most ",
              COMPUTE_CUDA_MAX_DIMS, ")");
    compute_cuda_nonzero z{};
    z.device = in.device().index;
    z.pass = COMPUTE_CUDA_NONZERO_COUNT;
    z.dtype = static_cast<int32_t>(in.dtype());
    z.ndim = static_cast<int32_t>(nd);
    z.stream = cuda::current_stream(z.device);
    z.n = in.numel();
    for (int64_t k = 0; k < nd; ++k) {
        z.shape[k] = in.size(k);
        z.in_strides[k] = in.stride(k);
    }
    z.in = in.data_ptr();
    return z;
}

// Runs the COUNT pass into a new positions tensor (kept alive by the caller for the next pass).
Tensor count_selected(const char* op, compute_cuda_nonzero& z, Device device) {
    Tensor positions = Tensor::empty({z.n}, CMP_DTYPE_INT64, device, op);
    z.positions = static_cast<int64_t*>(positions.data_ptr());
    cuda::check(cuda::get(op).nonzero(&z), op);
    return positions;
}

}  // namespace

Tensor nonzero(const char* op, const Tensor& self) {
    compute_cuda_nonzero z = nonzero_desc(op, self);
    if (z.n == 0) return Tensor::empty({0, self.dim()}, CMP_DTYPE_INT64, self.device(), op);
    const Tensor positions = count_selected(op, z, self.device());
    Tensor out = Tensor::empty({z.count, self.dim()}, CMP_DTYPE_INT64, self.device(), op);
    if (out.numel() == 0) return out;
    z.pass = COMPUTE_CUDA_NONZERO_COORDS;
    z.out = out.data_ptr();
    cuda::check(cuda::get(op).nonzero(&z), op);
    return out;
}

Tensor masked_select(const char* op, const Tensor& self, const Tensor& mask) {
    compute_cuda_nonzero z = nonzero_desc(op, mask);
    if (z.n == 0) return Tensor::empty({0}, self.dtype(), self.device(), op);
    const Tensor positions = count_selected(op, z, self.device());
    Tensor out = Tensor::empty({z.count}, self.dtype(), self.device(), op);
    if (z.count == 0) return out;
    z.pass = COMPUTE_CUDA_NONZERO_SELECT;
    for (int64_t k = 0; k < self.dim(); ++k) z.src_strides[k] = self.stride(k);
    z.element_size = static_cast<int32_t>(self.element_size());
    z.src = self.data_ptr();
    z.out = out.data_ptr();
    cuda::check(cuda::get(op).nonzero(&z), op);
    return out;
}

std::optional<IndexFailure> advanced_index(const char* op, const cpu::AdvancedIndexPlan& plan, const Tensor& values,
                                           compute_cuda_advanced_index_op kind) {
    const int64_t nd = static_cast<int64_t>(plan.shape.size()), k = static_cast<int64_t>(plan.indices.size());
    CMP_CHECK(nd <= COMPUTE_CUDA_MAX_DIMS && k <= COMPUTE_CUDA_MAX_DIMS, DEVICE_ERROR, op, ": a result of ", nd,
              " dims is not supported on CUDA yet (at most ", COMPUTE_CUDA_MAX_DIMS, ")");
    compute_cuda_advanced_index a{};
    a.device = values.device().index;
    a.op = kind;
    a.dtype = static_cast<int32_t>(values.dtype());
    a.ndim = static_cast<int32_t>(nd);
    a.nindices = static_cast<int32_t>(k);
    a.stream = cuda::current_stream(a.device);
    a.n = values.numel();
    for (int64_t d = 0; d < nd; ++d) {
        a.shape[d] = plan.shape[static_cast<size_t>(d)];
        a.self_strides[d] = plan.src.stride(d);
        a.values_strides[d] = values.stride(d);
        for (int64_t j = 0; j < k; ++j) a.index_strides[j][d] = plan.indices[static_cast<size_t>(j)].stride(d);
    }
    for (int64_t j = 0; j < k; ++j) {
        const auto i = static_cast<size_t>(j);
        a.sizes[j] = plan.sizes[i];
        a.strides[j] = plan.strides[i];
        a.indices[j] = static_cast<const int64_t*>(plan.indices[i].data_ptr());
    }
    a.self = plan.src.data_ptr();
    a.values = values.data_ptr();
    const int32_t status = cuda::get(op).advanced_index(&a);
    if (status == CMP_STATUS_INDEX_OUT_OF_RANGE) return IndexFailure{a.bad_operand, a.bad_index};
    cuda::check(status, op);
    return std::nullopt;
}

}  // namespace cmp::ops::cuda_ops
