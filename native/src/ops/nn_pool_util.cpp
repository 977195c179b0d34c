// Shared argument handling of the pooling family (see ops/nn_pool_util.h).
#include "ops/nn_pool_util.h"

#include "core/device.h"

namespace cmp::ops::pool_util {

std::string op_name(const char* base, int64_t nspatial) { return str(base, nspatial, "d"); }

DType compute_dtype(DType d) {
    return d == CMP_DTYPE_FLOAT16 || d == CMP_DTYPE_BFLOAT16 ? CMP_DTYPE_FLOAT32 : d;
}

SpatialInput spatial_input(const Tensor& t, int64_t nspatial, const std::string& op, unsigned allowed,
                           bool nonempty_dims) {
    CMP_CHECK(t.defined(), INVALID_ARGUMENT, op, ": the input tensor is undefined");
    CMP_CHECK(nspatial >= 1 && nspatial <= 3, INVALID_ARGUMENT, op, ": nspatial must be 1, 2 or 3, got ", nspatial);
    require_available(t.device(), op.c_str());
    CMP_CHECK(t.dim() == nspatial + 1 || t.dim() == nspatial + 2, SHAPE_MISMATCH, op, ": expected a ", nspatial + 1,
              "-D (unbatched) or ", nspatial + 2, "-D (batched) input, got shape ", t.sizes());
    const DType d = t.dtype();
    const bool ok = (is_floating(d) && (allowed & kFloating)) || (d == CMP_DTYPE_INT64 && (allowed & kInt64)) ||
                    (d == CMP_DTYPE_UINT8 && (allowed & kUInt8));
    CMP_CHECK(ok, DTYPE_MISMATCH, op, ": not implemented for dtype ", dtype_name(d), " (input shape ", t.sizes(), ")");
    SpatialInput s;
    s.dtype = d;
    const int64_t nlead = t.dim() - nspatial;
    s.lead.assign(t.sizes().begin(), t.sizes().begin() + nlead);
    s.spatial.assign(t.sizes().begin() + nlead, t.sizes().end());
    if (nonempty_dims) {
        // The batch dim may be 0 (an empty batch); every other dim must hold something.
        for (int64_t i = t.dim() - nspatial - 1; i < t.dim(); ++i)
            CMP_CHECK(t.size(i) > 0, SHAPE_MISMATCH, op, ": expected non-zero sizes in every dim but the batch dim, got shape ",
                      t.sizes());
    }
    s.planes = 1;
    for (int64_t v : s.lead) s.planes *= v;
    s.x = contiguous(to_dtype(t, compute_dtype(d)));
    return s;
}

void check_per_dim(const Shape& values, int64_t nspatial, const std::string& op, const char* name, int64_t min_value) {
    CMP_CHECK(static_cast<int64_t>(values.size()) == nspatial, INVALID_ARGUMENT, op, ": ", name, " must have ", nspatial,
              " values, got ", values);
    for (int64_t v : values)
        CMP_CHECK(v >= min_value, INVALID_ARGUMENT, op, ": ", name, " must be ",
                  min_value == 0 ? "non-negative" : "greater than zero", ", got ", values);
}

void same_device(const Tensor& operand, const Tensor& input, const std::string& op, const char* name) {
    if (!operand.defined()) return;  // grad_arg / the caller name an undefined operand
    CMP_CHECK(operand.device() == input.device(), DEVICE_ERROR, op,
              ": Expected all tensors to be on the same device, but found at least two devices, ",
              input.device().str(), " and ", operand.device().str(), " (", name, ")!");
}

Shape join(const Shape& lead, const Shape& spatial) {
    Shape r = lead;
    r.insert(r.end(), spatial.begin(), spatial.end());
    return r;
}

Tensor zeros(const Shape& sizes, DType dtype) { return full(sizes, scalar_int(0), dtype, Device::cpu()); }

Tensor to_caller(const Tensor& r, DType dtype) { return r.dtype() == dtype ? r : to_dtype(r, dtype); }

Tensor grad_arg(const Tensor& grad, DType dtype, const Shape& expected, const std::string& op, const char* name) {
    CMP_CHECK(grad.defined(), INVALID_ARGUMENT, op, ": ", name, " is undefined");
    CMP_CHECK(grad.dtype() == dtype, DTYPE_MISMATCH, op, ": ", name, " has dtype ", dtype_name(grad.dtype()),
              " but the input has dtype ", dtype_name(dtype));
    CMP_CHECK(grad.sizes() == expected, SHAPE_MISMATCH, op, ": ", name, " has shape ", grad.sizes(), " but expected ",
              expected);
    return contiguous(to_dtype(grad, compute_dtype(dtype)));
}

}  // namespace cmp::ops::pool_util
