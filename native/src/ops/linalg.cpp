// matmul with PyTorch's rules:
//   1-D @ 1-D  -> 0-dim dot product
//   2-D @ 2-D  -> matrix product
//   1-D @ N-D  -> the vector is a 1 x k matrix whose added dim is removed from the result
//   N-D @ 1-D  -> the vector is a k x 1 matrix whose added dim is removed from the result
//   N-D @ N-D  -> batched product; the batch dims (all but the last two) broadcast.
// On the CPU the operands are never copied for their layout: the GEMM takes row and column
// strides, so transposed, sliced and broadcast views (stride 0) go straight in. CUDA tensors go
// to cuBLAS (matmul_cuda). As in PyTorch, both operands must have the same dtype (no promotion).
#include "cpu/gemm.h"
#include "ops/cuda_ops.h"
#include "ops/ops.h"

#include <algorithm>
#include <vector>

namespace cmp::ops {
namespace {

// One operand seen as a batch of matrices: batch sizes/strides, then rows x cols with strides.
struct MatrixOperand {
    Shape batch_sizes;
    Shape batch_strides;
    int64_t rows = 0, cols = 0;
    int64_t row_stride = 0, col_stride = 0;
};

// A 1-D left operand is one row; a 1-D right operand one column (is_left picks which).
MatrixOperand as_matrices(const Tensor& t, bool is_left) {
    MatrixOperand m;
    const int64_t nd = t.dim();
    if (nd == 1) {
        if (is_left) {
            m.rows = 1;
            m.cols = t.size(0);
            m.col_stride = t.stride(0);
        } else {
            m.rows = t.size(0);
            m.cols = 1;
            m.row_stride = t.stride(0);
        }
        return m;
    }
    m.batch_sizes.assign(t.sizes().begin(), t.sizes().end() - 2);
    m.batch_strides.assign(t.strides().begin(), t.strides().end() - 2);
    m.rows = t.size(-2);
    m.cols = t.size(-1);
    m.row_stride = t.stride(-2);
    m.col_stride = t.stride(-1);
    return m;
}

// Broadcast batch shape; the message names the full operand shapes, not just the batch dims.
Shape broadcast_batch(const Shape& a, const Shape& b, const Tensor& ta, const Tensor& tb) {
    const size_t nd = std::max(a.size(), b.size());
    Shape out(nd);
    for (size_t i = 0; i < nd; ++i) {
        const int64_t sa = i < nd - a.size() ? 1 : a[i - (nd - a.size())];
        const int64_t sb = i < nd - b.size() ? 1 : b[i - (nd - b.size())];
        CMP_CHECK(sa == sb || sa == 1 || sb == 1, SHAPE_MISMATCH, "matmul: batch dimensions of shapes ", ta.sizes(),
                  " and ", tb.sizes(), " cannot be broadcast (", sa, " != ", sb, " at batch dim ", i, ")");
        out[i] = sa == 1 ? sb : sa;
    }
    return out;
}

// Element offset of every batch entry of an operand within the broadcast batch shape
// (a broadcast dim contributes stride 0, so its one matrix is reused without a copy).
std::vector<int64_t> batch_offsets(const Shape& batch, const MatrixOperand& m) {
    const size_t nd = batch.size();
    const size_t lead = nd - m.batch_sizes.size();
    Shape strides(nd, 0);
    for (size_t i = lead; i < nd; ++i) {
        strides[i] = m.batch_sizes[i - lead] == 1 ? 0 : m.batch_strides[i - lead];
    }
    int64_t count = 1;
    for (int64_t s : batch) count *= s;
    std::vector<int64_t> offsets(static_cast<size_t>(count));
    Shape index(nd, 0);
    int64_t offset = 0;
    for (int64_t i = 0; i < count; ++i) {
        offsets[static_cast<size_t>(i)] = offset;
        // Odometer increment from the innermost batch dim.
        for (size_t d = nd; d-- > 0;) {
            if (++index[d] < batch[d]) {
                offset += strides[d];
                break;
            }
            offset -= strides[d] * (index[d] - 1);
            index[d] = 0;
        }
    }
    return offsets;
}

// matmul of CUDA tensors: cuBLAS takes one batch stride per operand, so each operand's
// matrices (a 1-D operand as one row or column) are expanded to the broadcast batch and the
// batch flattened into one dim. That is a view when the strides allow (a single matrix against
// a batch keeps batch stride 0), else a copy; out (contiguous) is viewed the same way.
void matmul_cuda(const Tensor& a, const Tensor& b, const Shape& batch, const Tensor& out) {
    int64_t count = 1;
    for (int64_t s : batch) count *= s;
    auto flat_batch = [&](const Tensor& t, bool is_left) {
        const Tensor mat = t.dim() == 1 ? unsqueeze(t, is_left ? 0 : 1) : t;
        Shape sizes = batch;
        sizes.push_back(mat.size(-2));
        sizes.push_back(mat.size(-1));
        return reshape(expand(mat, sizes), {count, mat.size(-2), mat.size(-1)});
    };
    const Tensor a3 = flat_batch(a, true), b3 = flat_batch(b, false);
    cuda_ops::gemm("matmul", a3, b3, 1.0, 0.0, view(out, {count, a3.size(1), b3.size(2)}));
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    CMP_CHECK(a.dim() >= 1 && b.dim() >= 1, INVALID_ARGUMENT,
              "matmul: both arguments need to be at least 1-D, but got shapes ", a.sizes(), " (", a.dim(), "-D) and ",
              b.sizes(), " (", b.dim(), "-D)");
    CMP_CHECK(a.device() == b.device(), DEVICE_ERROR, "matmul: expected both tensors on the same device, but got ",
              a.device().str(), " and ", b.device().str());
    require_available(a.device(), "matmul");
    // PyTorch does not promote matmul operands (torch.ones(2, 2) @ torch.ones(2, 2).double()
    // fails): a silent float64 upcast of a large float32 product would be a costly surprise.
    CMP_CHECK(a.dtype() == b.dtype(), DTYPE_MISMATCH, "matmul: expected both operands to have the same dtype, but got ",
              dtype_name(a.dtype()), " and ", dtype_name(b.dtype()), " (shapes ", a.sizes(), " and ", b.sizes(), ")");
    const DType dtype = a.dtype();
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "matmul: not defined for dtype bool (shapes ", a.sizes(),
              " and ", b.sizes(), ")");

    const MatrixOperand ma = as_matrices(a, true);
    const MatrixOperand mb = as_matrices(b, false);
    CMP_CHECK(ma.cols == mb.rows, SHAPE_MISMATCH, "matmul: shapes ", a.sizes(), " and ", b.sizes(),
              " cannot be multiplied (", ma.cols, " != ", mb.rows, ")");
    const int64_t m = ma.rows, k = ma.cols, n = mb.cols;

    const Shape batch = broadcast_batch(ma.batch_sizes, mb.batch_sizes, a, b);
    Shape out_sizes = batch;
    if (a.dim() > 1) out_sizes.push_back(m);
    if (b.dim() > 1) out_sizes.push_back(n);
    Tensor out = Tensor::empty(out_sizes, dtype, a.device());
    if (out.numel() == 0) return out;

    if (!out.device().is_cpu()) {
        matmul_cuda(a, b, batch, out);
        return out;
    }
    const std::vector<int64_t> a_off = batch_offsets(batch, ma);
    const std::vector<int64_t> b_off = batch_offsets(batch, mb);
    std::vector<int64_t> c_off(a_off.size());
    for (size_t i = 0; i < c_off.size(); ++i) c_off[i] = static_cast<int64_t>(i) * m * n;
    // The output is contiguous: row stride n, column stride 1 (also right for the removed
    // dims of 1-D operands, whose size is 1).
    cpu::gemm_batched(dtype, static_cast<int64_t>(c_off.size()), a_off.data(), b_off.data(), c_off.data(), m, n, k,
                      1.0, a.data_ptr(), ma.row_stride, ma.col_stride, b.data_ptr(), mb.row_stride, mb.col_stride,
                      0.0, out.data_ptr(), n, 1);
    return out;
}

}  // namespace cmp::ops
