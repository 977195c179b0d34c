// Front-ends of the reductions beyond sum/mean and of the scans: argument checks with
// PyTorch's rules and messages, output dtypes, then one fold (or scan) kernel call.
#include "ops/reductions.h"

#include "core/device.h"
#include "core/promotion.h"
#include "cpu/reductions_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <cmath>
#include <limits>

namespace cmp::cpu {
CMP_DEFINE_STUB(fold_stub);
CMP_DEFINE_STUB(scan_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

using cpu::FoldArgs;
using cpu::FoldOp;

void require_input(const Tensor& a, const char* op) {
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, op, ": argument 'input' is undefined");
}

DType int_to_int64(DType d) { return is_floating(d) ? d : CMP_DTYPE_INT64; }

// The dims a list names (every dim when the list is empty), wrapped.
std::vector<int64_t> named_dims(const Tensor& a, const Shape& dims, const char* op) {
    std::vector<int64_t> out;
    if (dims.empty()) {
        for (int64_t d = 0; d < a.dim(); ++d) out.push_back(d);
    } else if (a.dim() > 0) {
        for (int64_t d : dims) out.push_back(wrap_dim(d, a, op));
    }
    return out;
}

// Ops without an identity (amax, max, argmax, the inf norms) reject empty reductions with
// PyTorch's messages: "<op>(): Expected reduction dim ..."
void require_nonempty_reduction(const Tensor& a, const Shape& dims, const char* op) {
    if (dims.empty()) {
        CMP_CHECK(a.numel() != 0, INVALID_ARGUMENT, op, "(): Expected reduction dim to be specified for input.numel() == 0. "
                  "Specify the reduction dim with the 'dim' argument.");
        return;
    }
    for (int64_t d : named_dims(a, dims, op))
        CMP_CHECK(a.sizes()[static_cast<size_t>(d)] != 0, INDEX_OUT_OF_RANGE, op, "(): Expected reduction dim ", d,
                  " to have non-zero size (input shape ", shape_str(a.sizes()), ").");
}

// The CUDA reduction of each fold op (cuda/backend_api.h; the same operands as FoldArgs).
compute_cuda_reduce_op cuda_reduce_op(FoldOp kind) {
    switch (kind) {
        case FoldOp::Prod: return COMPUTE_CUDA_REDUCE_PROD;
        case FoldOp::Amax: return COMPUTE_CUDA_REDUCE_AMAX;
        case FoldOp::Amin: return COMPUTE_CUDA_REDUCE_AMIN;
        case FoldOp::ArgMax: return COMPUTE_CUDA_REDUCE_ARGMAX;
        case FoldOp::ArgMin: return COMPUTE_CUDA_REDUCE_ARGMIN;
        case FoldOp::Var: return COMPUTE_CUDA_REDUCE_VAR;
        case FoldOp::Std: return COMPUTE_CUDA_REDUCE_STD;
        case FoldOp::Norm: return COMPUTE_CUDA_REDUCE_NORM;
        case FoldOp::LogSumExp: return COMPUTE_CUDA_REDUCE_LOGSUMEXP;
        case FoldOp::Any: return COMPUTE_CUDA_REDUCE_ANY;
        case FoldOp::All: return COMPUTE_CUDA_REDUCE_ALL;
        case FoldOp::CountNonzero: return COMPUTE_CUDA_REDUCE_COUNT_NONZERO;
    }
    fail(CMP_STATUS_INTERNAL_ERROR, "unknown fold op");
}

// The backend's scan ops are cpu::ScanOp's.
static_assert(static_cast<int>(cpu::ScanOp::CumSum) == COMPUTE_CUDA_SCAN_CUMSUM &&
              static_cast<int>(cpu::ScanOp::CumProd) == COMPUTE_CUDA_SCAN_CUMPROD);

// Runs fold op kind over the plan r of a: the CPU's fold kernel, or for a CUDA tensor the
// backend's row reduction, with the same plan and operands.
void run_fold(const char* op, FoldOp kind, const Tensor& a, const PlannedReduction& r, const FoldArgs& args) {
    if (a.device().is_cpu()) {
        cpu::fold_stub(r.plan, kind, args);
        return;
    }
    const compute_cuda_reduce_args cuda_args{args.param, args.indices, args.mean};
    cuda_ops::reduce(op, cuda_reduce_op(kind), a, r, &cuda_args);
}

Tensor fold(const char* op, FoldOp kind, const Tensor& a, const Shape& dims, bool keepdim, DType out_dtype,
            const FoldArgs& args = {}) {
    PlannedReduction r = plan_reduction(op, a, dims, keepdim, out_dtype);
    run_fold(op, kind, a, r, args);
    return r.result();
}

Tensor extremum(const char* op, FoldOp kind, const Tensor& a, const Shape& dims, bool keepdim) {
    require_input(a, op);
    require_nonempty_reduction(a, dims, op);
    return fold(op, kind, a, dims, keepdim, a.dtype());
}

// max/min/argmax/argmin along one dim: values (when want_values) and int64 indices.
std::pair<Tensor, Tensor> arg_extremum(const char* op, FoldOp kind, const Tensor& a, int64_t dim, bool keepdim,
                                       bool want_values) {
    require_input(a, op);
    const Shape dims{dim};
    wrap_dim(dim, a, op);
    require_nonempty_reduction(a, dims, op);
    PlannedReduction r = plan_reduction(op, a, dims, keepdim, a.dtype());
    Tensor indices = r.sibling(CMP_DTYPE_INT64);
    FoldArgs args;
    args.indices = indices.data_ptr();
    if (!want_values) r.plan.out = nullptr;
    run_fold(op, kind, a, r, args);
    Tensor values = r.result();
    Tensor idx = Tensor::make(indices.storage(), CMP_DTYPE_INT64, r.out_shape, contiguous_strides(r.out_shape), 0);
    return {want_values ? values : Tensor(), idx};
}

Tensor arg_index(const char* op, FoldOp kind, const Tensor& a, bool has_dim, int64_t dim, bool keepdim) {
    require_input(a, op);
    CMP_CHECK(a.dtype() != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not defined for dtype bool (like PyTorch's \"",
              op, "_cpu\")");
    if (has_dim) return arg_extremum(op, kind, a, dim, keepdim, false).second;
    CMP_CHECK(a.numel() != 0, INVALID_ARGUMENT, op, "(): Expected reduction dim to be specified for input.numel() == 0.");
    // No dim: the index into the row-major flattened tensor (a copy only when a is not contiguous).
    Tensor flat = reshape(a, Shape{a.numel()});
    Tensor idx = arg_extremum(op, kind, flat, 0, false, false).second;
    if (!keepdim) return idx;
    return reshape(idx, Shape(static_cast<size_t>(a.dim()), 1));
}

void require_floating(const Tensor& a, const char* op) {
    CMP_CHECK(is_floating(a.dtype()), DTYPE_MISMATCH, op, ": std and var only support floating point and complex dtypes, got ",
              dtype_name(a.dtype()));
}

std::pair<Tensor, Tensor> moments(const char* op, FoldOp kind, const Tensor& a, const Shape& dims, double correction,
                                  bool keepdim, bool want_mean) {
    require_input(a, op);
    require_floating(a, op);
    CMP_CHECK(!std::isnan(correction), INVALID_ARGUMENT, op, ": argument 'correction' is NaN");
    PlannedReduction r = plan_reduction(op, a, dims, keepdim, a.dtype());
    FoldArgs args;
    args.param = correction;
    Tensor mean_full;
    if (want_mean) {
        mean_full = r.sibling(a.dtype());
        args.mean = mean_full.data_ptr();
    }
    run_fold(op, kind, a, r, args);
    Tensor m;
    if (want_mean) m = Tensor::make(mean_full.storage(), a.dtype(), r.out_shape, contiguous_strides(r.out_shape), 0);
    return {r.result(), m};
}

Tensor logical(const char* op, FoldOp kind, const Tensor& a, const Shape& dims, bool keepdim) {
    require_input(a, op);
    // PyTorch keeps uint8 for uint8 inputs (a legacy of uint8 masks); everything else gives bool.
    const DType out = a.dtype() == CMP_DTYPE_UINT8 ? CMP_DTYPE_UINT8 : CMP_DTYPE_BOOL;
    return fold(op, kind, a, dims, keepdim, out);
}

Tensor scan(const char* op, cpu::ScanOp kind, const Tensor& input, int64_t dim, DType dtype) {
    const int64_t w = wrap_dim(dim, input, op);
    require_available(input.device(), op);
    const Tensor a = to_dtype(input, dtype);
    Tensor out = Tensor::empty(a.sizes(), dtype, a.device());
    if (out.numel() == 0) return out;
    if (!a.device().is_cpu()) {
        cuda_ops::scan(op, static_cast<compute_cuda_scan_op>(kind), a, w, out);
        return out;
    }
    const Shape out_strides = contiguous_strides(a.sizes());
    cpu::ScanPlan plan;
    plan.op = op;
    plan.in = a.data_ptr();
    plan.out = out.data_ptr();
    plan.dtype = dtype;
    plan.len = a.dim() == 0 ? 1 : a.sizes()[static_cast<size_t>(w)];
    plan.in_step = a.dim() == 0 ? 0 : a.strides()[static_cast<size_t>(w)];
    plan.out_step = a.dim() == 0 ? 0 : out_strides[static_cast<size_t>(w)];
    plan.lines = a.numel() / plan.len;
    for (int64_t d = 0; d < a.dim(); ++d) {
        const size_t i = static_cast<size_t>(d);
        if (d != w && a.sizes()[i] != 1) plan.outer.push_back({a.sizes()[i], a.strides()[i], out_strides[i]});
    }
    if (plan.outer.empty()) plan.outer.push_back({1, 0, 0});
    cpu::scan_stub(plan, kind);
    return out;
}

}  // namespace

Tensor sum_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype) {
    require_input(a, "sum");
    // The sum kernel accumulates integers in int64; wrapping arithmetic makes the narrowing
    // at the end equal to accumulating in dtype, as PyTorch does.
    return to_dtype(sum(to_dtype(a, dtype), dims, keepdim), dtype);
}

Tensor mean_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype) {
    require_input(a, "mean");
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, "mean(): could not infer output dtype. Optional dtype must be either "
              "a floating point or complex dtype. Got: ", legacy_type_name(dtype));
    return mean(to_dtype(a, dtype), dims, keepdim);
}

Tensor prod(const Tensor& a, const Shape& dims, bool keepdim) {
    require_input(a, "prod");
    return fold("prod", FoldOp::Prod, a, dims, keepdim, int_to_int64(a.dtype()));
}

Tensor prod_dtype(const Tensor& a, const Shape& dims, bool keepdim, DType dtype) {
    require_input(a, "prod");
    return to_dtype(prod(to_dtype(a, dtype), dims, keepdim), dtype);
}

Tensor amax(const Tensor& a, const Shape& dims, bool keepdim) { return extremum("amax", FoldOp::Amax, a, dims, keepdim); }
Tensor amin(const Tensor& a, const Shape& dims, bool keepdim) { return extremum("amin", FoldOp::Amin, a, dims, keepdim); }
Tensor max_all(const Tensor& a) { return extremum("max", FoldOp::Amax, a, {}, false); }
Tensor min_all(const Tensor& a) { return extremum("min", FoldOp::Amin, a, {}, false); }

std::pair<Tensor, Tensor> max_dim(const Tensor& a, int64_t dim, bool keepdim) {
    return arg_extremum("max", FoldOp::ArgMax, a, dim, keepdim, true);
}
std::pair<Tensor, Tensor> min_dim(const Tensor& a, int64_t dim, bool keepdim) {
    return arg_extremum("min", FoldOp::ArgMin, a, dim, keepdim, true);
}

Tensor argmax(const Tensor& a, bool has_dim, int64_t dim, bool keepdim) {
    return arg_index("argmax", FoldOp::ArgMax, a, has_dim, dim, keepdim);
}
Tensor argmin(const Tensor& a, bool has_dim, int64_t dim, bool keepdim) {
    return arg_index("argmin", FoldOp::ArgMin, a, has_dim, dim, keepdim);
}

Tensor var(const Tensor& a, const Shape& dims, double correction, bool keepdim) {
    return moments("var", FoldOp::Var, a, dims, correction, keepdim, false).first;
}
Tensor std_dev(const Tensor& a, const Shape& dims, double correction, bool keepdim) {
    return moments("std", FoldOp::Std, a, dims, correction, keepdim, false).first;
}
std::pair<Tensor, Tensor> var_mean(const Tensor& a, const Shape& dims, double correction, bool keepdim) {
    return moments("var_mean", FoldOp::Var, a, dims, correction, keepdim, true);
}
std::pair<Tensor, Tensor> std_mean(const Tensor& a, const Shape& dims, double correction, bool keepdim) {
    return moments("std_mean", FoldOp::Std, a, dims, correction, keepdim, true);
}

Tensor vector_norm(const Tensor& a, double ord, const Shape& dims, bool keepdim) {
    const char* op = "linalg.vector_norm";
    require_input(a, op);
    CMP_CHECK(is_floating(a.dtype()), DTYPE_MISMATCH, op, ": Expected a floating point or complex tensor as input. Got ",
              legacy_type_name(a.dtype()));
    CMP_CHECK(!std::isnan(ord), INVALID_ARGUMENT, op, ": argument 'ord' is NaN");
    if (std::isinf(ord)) {
        // max/min of |x| has no identity, so an empty reduction is an error as in PyTorch.
        const char* name = ord > 0 ? "inf" : "-inf";
        if (dims.empty()) {
            CMP_CHECK(a.numel() != 0, INVALID_ARGUMENT, op, " cannot compute the ", name,
                      " norm on an empty tensor because the operation does not have an identity");
        } else {
            for (int64_t d : named_dims(a, dims, op))
                CMP_CHECK(a.sizes()[static_cast<size_t>(d)] != 0, INVALID_ARGUMENT, op, " cannot compute the ", name,
                          " norm on the dimension ", d, " because this dimension is empty and the operation does not "
                          "have an identity (input shape ", shape_str(a.sizes()), ")");
        }
    }
    FoldArgs args;
    args.param = ord;
    return fold(op, FoldOp::Norm, a, dims, keepdim, a.dtype(), args);
}

Tensor logsumexp(const Tensor& a, const Shape& dims, bool keepdim) {
    require_input(a, "logsumexp");
    const DType out = is_floating(a.dtype()) ? a.dtype() : CMP_DTYPE_FLOAT32;
    return fold("logsumexp", FoldOp::LogSumExp, a, dims, keepdim, out);
}

Tensor any(const Tensor& a, const Shape& dims, bool keepdim) { return logical("any", FoldOp::Any, a, dims, keepdim); }
Tensor all(const Tensor& a, const Shape& dims, bool keepdim) { return logical("all", FoldOp::All, a, dims, keepdim); }

Tensor count_nonzero(const Tensor& a, const Shape& dims) {
    require_input(a, "count_nonzero");
    return fold("count_nonzero", FoldOp::CountNonzero, a, dims, false, CMP_DTYPE_INT64);
}

Tensor cumsum(const Tensor& a, int64_t dim) {
    require_input(a, "cumsum");
    return scan("cumsum", cpu::ScanOp::CumSum, a, dim, int_to_int64(a.dtype()));
}
Tensor cumsum_dtype(const Tensor& a, int64_t dim, DType dtype) {
    require_input(a, "cumsum");
    check_dtype(static_cast<int32_t>(dtype), "cumsum", "dtype");
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "cumsum: dtype bool is not supported");
    return scan("cumsum", cpu::ScanOp::CumSum, a, dim, dtype);
}
Tensor cumprod(const Tensor& a, int64_t dim) {
    require_input(a, "cumprod");
    return scan("cumprod", cpu::ScanOp::CumProd, a, dim, int_to_int64(a.dtype()));
}
Tensor cumprod_dtype(const Tensor& a, int64_t dim, DType dtype) {
    require_input(a, "cumprod");
    check_dtype(static_cast<int32_t>(dtype), "cumprod", "dtype");
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "cumprod: dtype bool is not supported");
    return scan("cumprod", cpu::ScanOp::CumProd, a, dim, dtype);
}

}  // namespace cmp::ops
