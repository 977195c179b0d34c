// sum and mean over all dims or a list of dims, with keepdim; and the plan builder that every
// reduction (ops/reductions*.cpp) and the CUDA reductions (ops/cuda_ops.cpp) share.
#include "ops/ops.h"
#include "ops/reductions.h"

#include "core/device.h"
#include "core/promotion.h"
#include "cpu/reduce_stubs.h"
#include "ops/cuda_ops.h"

#include <algorithm>
#include <cstdlib>

namespace cmp::cpu {
CMP_DEFINE_STUB(reduce_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

using cpu::ReduceDim;

// Sorts dims outermost-first by input stride and merges neighbours whose strides continue
// each other in both the input and the output.
std::vector<ReduceDim> coalesce(std::vector<ReduceDim> dims) {
    std::stable_sort(dims.begin(), dims.end(), [](const ReduceDim& a, const ReduceDim& b) {
        return std::abs(a.in_stride) > std::abs(b.in_stride);
    });
    std::vector<ReduceDim> out;
    for (const ReduceDim& d : dims) {
        if (!out.empty()) {
            ReduceDim& o = out.back();
            if (o.in_stride == d.in_stride * d.size && o.out_stride == d.out_stride * d.size) {
                o.size *= d.size;
                o.in_stride = d.in_stride;
                o.out_stride = d.out_stride;
                continue;
            }
        }
        out.push_back(d);
    }
    return out;
}

Tensor reduce(const char* op, cpu::ReduceOp kind, const Tensor& a, const Shape& dims, bool keepdim, DType out_dtype) {
    PlannedReduction r = plan_reduction(op, a, dims, keepdim, out_dtype);
    cpu::reduce_stub(r.plan, kind);
    return r.result();
}

}  // namespace

Tensor PlannedReduction::result() const {
    return Tensor::make(out.storage(), out.dtype(), out_shape, contiguous_strides(out_shape), 0);
}

Tensor PlannedReduction::sibling(DType dtype) const { return Tensor::empty(out.sizes(), dtype, out.device()); }

PlannedReduction plan_reduction(const char* op, const Tensor& a, const Shape& dims, bool keepdim, DType out_dtype) {
    require_available(a.device(), op);
    const int64_t nd = a.dim();
    std::vector<bool> reduced(static_cast<size_t>(nd), dims.empty());
    for (int64_t d : dims) {
        // A 0-dim tensor accepts dim 0 and -1, as in PyTorch.
        const int64_t w = wrap_dim(d, a, op);
        if (nd == 0) continue;
        CMP_CHECK(!reduced[static_cast<size_t>(w)], INVALID_ARGUMENT, op, ": dim ", w,
                  " appears multiple times in the list of dims");
        reduced[static_cast<size_t>(w)] = true;
    }

    PlannedReduction r;
    Shape keep_shape = a.sizes();
    for (int64_t d = 0; d < nd; ++d) {
        if (reduced[static_cast<size_t>(d)]) keep_shape[static_cast<size_t>(d)] = 1;
        if (!reduced[static_cast<size_t>(d)] || keepdim) r.out_shape.push_back(keep_shape[static_cast<size_t>(d)]);
    }
    r.out = Tensor::empty(keep_shape, out_dtype, a.device());
    const Shape out_strides = contiguous_strides(keep_shape);

    cpu::ReducePlan& plan = r.plan;
    plan.op = op;
    plan.in = a.data_ptr();
    plan.out = r.out.data_ptr();
    plan.in_dtype = a.dtype();
    plan.out_dtype = out_dtype;
    plan.reduce_numel = 1;
    plan.out_numel = r.out.numel();
    std::vector<ReduceDim> kept, red;
    for (int64_t d = 0; d < nd; ++d) {
        const size_t i = static_cast<size_t>(d);
        const int64_t size = a.sizes()[i];
        if (reduced[i]) plan.reduce_numel *= size;
        if (size == 1) continue;
        if (reduced[i]) red.push_back({size, a.strides()[i], 0});
        else kept.push_back({size, a.strides()[i], out_strides[i]});
    }
    plan.kept = coalesce(std::move(kept));
    plan.reduced = coalesce(std::move(red));
    if (plan.reduced.empty()) plan.reduced.push_back({plan.reduce_numel == 0 ? 0 : 1, 0, 0});
    r.reduced_dims = std::move(reduced);
    return r;
}

Tensor sum(const Tensor& a, const Shape& dims, bool keepdim) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, "sum: argument 'input' is undefined");
    const DType out = is_floating(a.dtype()) ? a.dtype() : CMP_DTYPE_INT64;
    if (!a.device().is_cpu()) return cuda_ops::reduce("sum", COMPUTE_CUDA_REDUCE_SUM, a, dims, keepdim, out);
    return reduce("sum", cpu::ReduceOp::Sum, a, dims, keepdim, out);
}

Tensor mean(const Tensor& a, const Shape& dims, bool keepdim) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, "mean: argument 'input' is undefined");
    CMP_CHECK(is_floating(a.dtype()), DTYPE_MISMATCH,
              "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
              "dtype. Got: ", legacy_type_name(a.dtype()));
    if (!a.device().is_cpu()) return cuda_ops::reduce("mean", COMPUTE_CUDA_REDUCE_MEAN, a, dims, keepdim, a.dtype());
    return reduce("mean", cpu::ReduceOp::Mean, a, dims, keepdim, a.dtype());
}

}  // namespace cmp::ops
