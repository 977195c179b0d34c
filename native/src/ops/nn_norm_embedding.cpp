// Embedding lookup (with PyTorch's optional in-place max_norm renormalisation of the looked-up
// rows) and its dense backward.
#include "core/error.h"
#include "core/parallel.h"
#include "ops/binary_math.h"
#include "ops/cuda_ops.h"
#include "ops/indexing.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"
#include "ops/reductions.h"
#include "ops/sort_search.h"

#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace cmp::ops {
namespace {

// The indices as int64 values, each checked to lie in [0, num).
std::vector<int64_t> read_indices(const Tensor& indices, int64_t num, const char* op) {
    nn_norm::require(indices, op, "indices");
    CMP_CHECK(indices.dtype() == CMP_DTYPE_INT64 || indices.dtype() == CMP_DTYPE_INT32, DTYPE_MISMATCH, op,
              ": indices must be int64 or int32, got ", dtype_name(indices.dtype()));
    const Tensor idx = contiguous(indices);
    std::vector<int64_t> v(static_cast<size_t>(idx.numel()));
    for (size_t i = 0; i < v.size(); ++i) {
        v[i] = idx.dtype() == CMP_DTYPE_INT64 ? idx.data<int64_t>()[i] : idx.data<int32_t>()[i];
        CMP_CHECK(v[i] >= 0 && v[i] < num, INDEX_OUT_OF_RANGE, op, ": index ", v[i], " is out of range for ", num,
                  " embeddings");
    }
    return v;
}

// padding_idx wrapped into [0, num) (negative counts from the end), or -1 for none.
int64_t wrap_padding(std::optional<int64_t> padding_idx, int64_t num, const char* op) {
    if (!padding_idx) return -1;
    const int64_t p = *padding_idx;
    CMP_CHECK(p >= -num && p < num, INDEX_OUT_OF_RANGE, op, ": padding_idx ", p, " must be within num_embeddings ", num);
    return p < 0 ? p + num : p;
}

// PyTorch's embedding_renorm_: rows whose norm exceeds max_norm are scaled to max_norm / (norm + 1e-7).
void renorm_rows(const Tensor& weight, const std::vector<int64_t>& idx, double max_norm, double norm_type) {
    std::vector<int64_t> rows(idx);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const int64_t d = weight.size(1);
    CMP_DISPATCH_FLOATING_TYPES(weight.dtype(), "embedding", [&] {
        using A = opmath_t<scalar_t>;
        for (int64_t r : rows) {
            scalar_t* row = weight.data<scalar_t>() + r * weight.stride(0);
            const int64_t step = weight.stride(1);
            // vector_norm's ords: 0 counts the non-zeros, +-inf the largest / smallest |x|.
            const bool extreme = std::isinf(norm_type);
            double norm = extreme && norm_type < 0 ? std::numeric_limits<double>::infinity() : 0.0;
            for (int64_t j = 0; j < d; ++j) {
                const double a = std::fabs(static_cast<double>(static_cast<A>(row[j * step])));
                if (norm_type == 0) norm += a != 0 ? 1.0 : 0.0;
                else if (extreme) norm = norm_type > 0 ? std::max(norm, a) : std::min(norm, a);
                else norm += std::pow(a, norm_type);
            }
            if (norm_type != 0 && !extreme) norm = std::pow(norm, 1.0 / norm_type);
            if (norm > max_norm) {
                const A scale = static_cast<A>(max_norm / (norm + 1e-7));
                for (int64_t j = 0; j < d; ++j) row[j * step] = static_cast<scalar_t>(static_cast<A>(row[j * step]) * scale);
            }
        }
    });
}

// The indices must live where the weight (or grad_output) does: neither kernel reads across devices.
void check_same_device(const Tensor& indices, const Tensor& other, const char* op) {
    nn_norm::require(indices, op, "indices");
    CMP_CHECK(indices.device() == other.device(), DEVICE_ERROR, op, ": expected all tensors on one device, got ",
              other.device().str(), " and ", indices.device().str(), " for 'indices'");
}

// The indices of a CUDA embedding as a dense int64 tensor on their device (checked as
// read_indices does, but for the values, which the kernels check).
Tensor device_indices(const Tensor& indices, const char* op) {
    CMP_CHECK(indices.dtype() == CMP_DTYPE_INT64 || indices.dtype() == CMP_DTYPE_INT32, DTYPE_MISMATCH, op,
              ": indices must be int64 or int32, got ", dtype_name(indices.dtype()));
    return contiguous(to_dtype(indices, CMP_DTYPE_INT64));
}

[[noreturn]] void bad_index(int64_t i, int64_t num, const char* op) {
    CMP_CHECK(false, INDEX_OUT_OF_RANGE, op, ": index ", i, " is out of range for ", num, " embeddings");
    std::abort();
}

// renorm_rows on the device, composed of device ops: the distinct rows (unique), their norms in
// float64 (as the CPU's), the scale max_norm / (norm + 1e-7) where a norm exceeds max_norm and 1
// elsewhere, rounded to the opmath dtype, each row multiplied in that dtype and written back in
// place by index_put_. Rows under max_norm are multiplied by 1, which leaves their bits.
void renorm_rows_cuda(const Tensor& weight, const Tensor& idx, double max_norm, double norm_type) {
    const Device dev = weight.device();
    const Tensor rows = std::get<0>(unique(idx, false, false, false, 0));
    const Tensor w = index_select(weight, 0, rows);
    const Tensor norm = vector_norm(to_dtype(w, CMP_DTYPE_FLOAT64), norm_type, {1}, true);
    const Tensor limit = scalar_tensor(scalar_float(max_norm), dev);
    const Tensor shrink = div(limit, add(norm, scalar_tensor(scalar_float(1e-7), dev), scalar_int(1)));
    const Tensor scale = where(compare(CompareOp::Gt, norm, limit), shrink, scalar_tensor(scalar_float(1.0), dev));
    const DType math = weight.dtype() == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    const Tensor scaled = mul(to_dtype(w, math), to_dtype(scale, math));
    index_put_(weight, {rows}, to_dtype(scaled, weight.dtype()), false);
}

// embedding on CUDA: the rows gathered by the device's gather kernel ([n, d] seen with the
// index repeated along the columns). With max_norm the lookup runs first, so a bad index fails
// with the CPU's message (the first bad position) before any row is rewritten; the renormalised
// rows are then looked up again.
Tensor embedding_cuda(const Tensor& weight, const Tensor& indices, std::optional<double> max_norm, double norm_type,
                      const char* op) {
    const Tensor idx = device_indices(indices, op);
    const int64_t n = idx.numel(), d = weight.size(1);
    Shape out_shape = indices.sizes();
    out_shape.push_back(d);
    Tensor out = Tensor::empty(out_shape, weight.dtype(), weight.device(), op);
    const Tensor rows = Tensor::make(idx.storage(), CMP_DTYPE_INT64, {n, d}, {1, 0}, idx.offset());
    std::optional<int64_t> bad;
    if (n * d != 0) bad = cuda_ops::gather(op, view(out, {n, d}), weight, 0, rows);
    if (bad) bad_index(*bad, weight.size(0), op);
    if (!max_norm) return out;
    CMP_CHECK(is_floating(weight.dtype()), DTYPE_MISMATCH, op, ": expected a floating dtype, got ",
              dtype_name(weight.dtype()));  // the CPU's renorm_rows dispatch message
    if (n * d == 0) return out;
    renorm_rows_cuda(weight, idx, *max_norm, norm_type);
    bad = cuda_ops::gather(op, view(out, {n, d}), weight, 0, rows);
    if (bad) bad_index(*bad, weight.size(0), op);
    return out;
}

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<int64_t> padding_idx,
                 std::optional<double> max_norm, double norm_type) {
    const char* op = "embedding";
    nn_norm::require(weight, op, "weight");
    CMP_CHECK(weight.dim() == 2, SHAPE_MISMATCH, op, ": weight must be 2-D (num_embeddings, embedding_dim), got shape ",
              weight.sizes());
    const int64_t num = weight.size(0), d = weight.size(1);
    wrap_padding(padding_idx, num, op);
    check_same_device(indices, weight, op);
    if (!weight.device().is_cpu()) return embedding_cuda(weight, indices, max_norm, norm_type, op);
    const std::vector<int64_t> idx = read_indices(indices, num, op);
    if (max_norm) renorm_rows(weight, idx, *max_norm, norm_type);
    Shape out_shape = indices.sizes();
    out_shape.push_back(d);
    Tensor out = Tensor::empty(out_shape, weight.dtype(), weight.device(), op);
    const Tensor w = contiguous(weight);
    const int64_t row_bytes = d * w.element_size();
    const char* src = static_cast<const char*>(w.data_ptr());
    char* dst = static_cast<char*>(out.data_ptr());
    parallel_for(0, static_cast<int64_t>(idx.size()), std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(d, 1)),
                 [&](int64_t b, int64_t e) {
                     for (int64_t i = b; i < e; ++i)
                         std::memcpy(dst + i * row_bytes, src + idx[static_cast<size_t>(i)] * row_bytes, static_cast<size_t>(row_bytes));
                 });
    return out;
}

Tensor embedding_backward(const Tensor& grad_output, const Tensor& indices, int64_t num_weights,
                          std::optional<int64_t> padding_idx, bool scale_grad_by_freq) {
    const char* op = "embedding_backward";
    nn_norm::require_floating(grad_output, op, "grad_output");
    CMP_CHECK(num_weights >= 0, INVALID_ARGUMENT, op, ": num_weights must not be negative, got ", num_weights);
    const int64_t pad = wrap_padding(padding_idx, num_weights, op);
    check_same_device(indices, grad_output, op);
    const bool cuda = !grad_output.device().is_cpu();
    const Tensor device_idx = cuda ? device_indices(indices, op) : Tensor();
    const std::vector<int64_t> idx = cuda ? std::vector<int64_t>() : read_indices(indices, num_weights, op);
    bool shape_ok = grad_output.dim() == indices.dim() + 1;
    for (int64_t k = 0; shape_ok && k < indices.dim(); ++k) shape_ok = grad_output.size(k) == indices.size(k);
    CMP_CHECK(shape_ok, SHAPE_MISMATCH, op, ": grad_output of shape ", grad_output.sizes(),
              " must be the indices' shape ", indices.sizes(), " plus embedding_dim");
    if (cuda) {
        std::optional<int64_t> bad;
        Tensor grad = cuda_ops::embedding_backward(op, grad_output, device_idx, num_weights, pad, scale_grad_by_freq, &bad);
        if (bad) bad_index(*bad, num_weights, op);
        return grad;
    }
    const int64_t d = grad_output.size(-1);
    std::vector<int64_t> count;
    if (scale_grad_by_freq) {
        count.assign(static_cast<size_t>(num_weights), 0);
        for (int64_t i : idx) ++count[static_cast<size_t>(i)];
    }
    const Tensor go = contiguous(grad_output);
    Tensor grad = Tensor::empty({num_weights, d}, grad_output.dtype(), grad_output.device(), op);
    CMP_DISPATCH_FLOATING_TYPES(grad_output.dtype(), op, [&] {
        using A = opmath_t<scalar_t>;
        // Accumulate in opmath, one column block per task: each element's sum runs over the
        // indices in order on one thread, so duplicates add up deterministically.
        std::vector<A> acc(static_cast<size_t>(num_weights * d), A(0));
        const scalar_t* g = go.data<scalar_t>();
        parallel_for(0, d, std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(static_cast<int64_t>(idx.size()), 1)),
                     [&](int64_t j0, int64_t j1) {
                         for (size_t i = 0; i < idx.size(); ++i) {
                             const int64_t r = idx[i];
                             if (r == pad) continue;
                             const A scale = scale_grad_by_freq ? A(1) / static_cast<A>(count[static_cast<size_t>(r)]) : A(1);
                             A* dst = acc.data() + r * d;
                             const scalar_t* src = g + static_cast<int64_t>(i) * d;
                             for (int64_t j = j0; j < j1; ++j) dst[j] += static_cast<A>(src[j]) * scale;
                         }
                     });
        scalar_t* out = grad.data<scalar_t>();
        for (size_t k = 0; k < acc.size(); ++k) out[k] = static_cast<scalar_t>(acc[k]);
    });
    return grad;
}

}  // namespace cmp::ops
