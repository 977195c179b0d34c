// mm, bmm, mv, dot, outer and the fused addmm / baddbmm / addmv. Each is one call of the CPU
// GEMM on strided views of its operands (a vector is a k x 1 or 1 x k matrix view, a matrix a
// batch of one), so transposed and sliced inputs are never copied. As in PyTorch the operands
// of a product must share one dtype (no promotion) and bool is rejected; outer is a broadcast
// multiply and promotes like mul.
#include "ops/linalg_ops.h"

#include "core/promotion.h"
#include "cpu/gemm.h"
#include "ops/cuda_ops.h"

#include <optional>
#include <vector>

namespace cmp::ops {
namespace {

double scalar_value(const Scalar& s) { return s.kind == CMP_SCALAR_FLOAT ? s.f : static_cast<double>(s.i); }

void check_rank(const char* op, const char* arg, const Tensor& t, int64_t rank) {
    CMP_CHECK(t.dim() == rank, SHAPE_MISMATCH, op, ": expected argument '", arg, "' to be ", rank, "-D, but got shape ",
              t.sizes(), " (", t.dim(), "-D)");
}

// Same device, same dtype, not bool: what every GEMM-backed product requires.
void check_operands(const char* op, const char* an, const Tensor& a, const char* bn, const Tensor& b) {
    CMP_CHECK(a.device() == b.device(), DEVICE_ERROR, op, ": expected '", an, "' and '", bn,
              "' on the same device, but got ", a.device().str(), " and ", b.device().str());
    require_available(a.device(), op);
    CMP_CHECK(a.dtype() == b.dtype(), DTYPE_MISMATCH, op, ": expected '", an, "' and '", bn,
              "' to have the same dtype, but got ", dtype_name(a.dtype()), " and ", dtype_name(b.dtype()), " (shapes ",
              a.sizes(), " and ", b.sizes(), ")");
    CMP_CHECK(a.dtype() != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not defined for dtype bool (shapes ", a.sizes(),
              " and ", b.sizes(), ")");
}

// c[i] = alpha * a[i] @ b[i] + beta * c[i] over 3-D strided views of one dtype, by the CPU
// GEMM or, for CUDA tensors, cuBLAS (named op in its errors).
void gemm3(const char* op, const Tensor& a, const Tensor& b, double beta, double alpha, const Tensor& c) {
    if (!c.device().is_cpu()) {
        cuda_ops::gemm(op, a, b, alpha, beta, c);
        return;
    }
    if (c.numel() == 0) return;
    const int64_t batch = c.size(0);
    std::vector<int64_t> a_off(static_cast<size_t>(batch)), b_off(a_off.size()), c_off(a_off.size());
    for (int64_t i = 0; i < batch; ++i) {
        a_off[i] = i * a.stride(0);
        b_off[i] = i * b.stride(0);
        c_off[i] = i * c.stride(0);
    }
    cpu::gemm_batched(c.dtype(), batch, a_off.data(), b_off.data(), c_off.data(), c.size(1), c.size(2), a.size(2),
                      alpha, a.data_ptr(), a.stride(1), a.stride(2), b.data_ptr(), b.stride(1), b.stride(2), beta,
                      c.data_ptr(), c.stride(1), c.stride(2));
}

// input as the bias vector of cuBLASLt's epilogue (one value per column of the product, added
// to every row in the product's pass: a Linear layer's bias), when it is one: a CUDA product of
// one matrix with k > 0, beta 1 and input of shape [n] or [1, n]. Else nothing (the product is
// added onto a copy of input).
std::optional<Tensor> row_bias(const Tensor& input, const Tensor& a, const Tensor& b, double beta) {
    const int64_t n = b.size(2);
    if (a.device().is_cpu() || beta != 1.0 || a.size(0) != 1 || a.size(2) == 0 || a.size(1) == 0 || n == 0) return {};
    const bool row = (input.dim() == 1 && input.size(0) == n) || (input.dim() == 2 && input.size(0) == 1 && input.size(1) == n);
    if (!row) return {};
    return contiguous(reshape(input, {n}));
}

// beta * input + alpha * (a @ b) for 3-D views a, b, into a new tensor of out_sizes (the
// product's shape without the dims of size 1 that vectors and single matrices add). input must broadcast to out_sizes; with beta 0 it is never read.
Tensor add_product(const char* op, const Tensor& input, const Tensor& a, const Tensor& b, const Shape& out_sizes,
                   Scalar beta, Scalar alpha) {
    CMP_CHECK(input.device() == a.device(), DEVICE_ERROR, op, ": expected 'input' on ", a.device().str(), ", but got ",
              input.device().str());
    CMP_CHECK(input.dtype() == a.dtype(), DTYPE_MISMATCH, op, ": expected 'input' to have the dtype of the product (",
              dtype_name(a.dtype()), "), but got ", dtype_name(input.dtype()), " (shape ", input.sizes(), ")");
    CMP_CHECK(input.dim() <= static_cast<int64_t>(out_sizes.size()), SHAPE_MISMATCH, op, ": 'input' of shape ",
              input.sizes(), " cannot be broadcast to the product's shape ", out_sizes);
    for (int64_t i = 1; i <= input.dim(); ++i) {
        const int64_t s = input.size(-i), o = out_sizes[out_sizes.size() - static_cast<size_t>(i)];
        CMP_CHECK(s == o || s == 1, SHAPE_MISMATCH, op, ": 'input' of shape ", input.sizes(),
                  " cannot be broadcast to the product's shape ", out_sizes);
    }
    Tensor out = Tensor::empty(out_sizes, a.dtype(), a.device());
    const double beta_v = scalar_value(beta);
    if (const std::optional<Tensor> bias = row_bias(input, a, b, beta_v)) {
        cuda_ops::gemm_bias(op, a, b, scalar_value(alpha), *bias, view(out, {a.size(0), a.size(1), b.size(2)}));
        return out;
    }
    if (beta_v != 0 && out.numel() > 0) copy_(out, input);
    const Tensor out3 = view(out, {a.size(0), a.size(1), b.size(2)});
    gemm3(op, a, b, beta_v, scalar_value(alpha), out3);
    return out;
}

// A vector as a batch of one 1 x k (row) or k x 1 (column) matrix, sharing its storage.
Tensor vector_as_row(const Tensor& v) { return as_strided(v, {1, 1, v.size(0)}, {0, 0, v.stride(0)}, v.offset()); }
Tensor vector_as_column(const Tensor& v) { return as_strided(v, {1, v.size(0), 1}, {0, v.stride(0), 0}, v.offset()); }

void check_mm_shapes(const char* op, const char* an, const Tensor& a, const char* bn, const Tensor& b) {
    CMP_CHECK(a.size(-1) == b.size(-2), SHAPE_MISMATCH, op, ": '", an, "' and '", bn, "' shapes cannot be multiplied (",
              a.size(-2), "x", a.size(-1), " and ", b.size(-2), "x", b.size(-1), "; shapes ", a.sizes(), " and ",
              b.sizes(), ")");
}

void check_bmm_shapes(const char* op, const char* an, const Tensor& a, const char* bn, const Tensor& b) {
    CMP_CHECK(a.size(0) == b.size(0) && a.size(2) == b.size(1), SHAPE_MISMATCH, op,
              ": expected size for first two dimensions of '", bn, "' to be [", a.size(0), ", ", a.size(2),
              "] but got [", b.size(0), ", ", b.size(1), "] ('", an, "' has shape ", a.sizes(), ", '", bn,
              "' has shape ", b.sizes(), ")");
}

void check_mv_shapes(const char* op, const Tensor& mat, const Tensor& vec) {
    CMP_CHECK(mat.size(1) == vec.size(0), SHAPE_MISMATCH, op, ": size mismatch, 'mat' of shape ", mat.sizes(),
              " cannot be multiplied by 'vec' of shape ", vec.sizes());
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
    check_rank("mm", "a", a, 2);
    check_rank("mm", "b", b, 2);
    check_operands("mm", "a", a, "b", b);
    check_mm_shapes("mm", "a", a, "b", b);
    Tensor out = Tensor::empty({a.size(0), b.size(1)}, a.dtype(), a.device());
    gemm3("mm", unsqueeze(a, 0), unsqueeze(b, 0), 0.0, 1.0, unsqueeze(out, 0));
    return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
    check_rank("bmm", "a", a, 3);
    check_rank("bmm", "b", b, 3);
    check_operands("bmm", "a", a, "b", b);
    check_bmm_shapes("bmm", "a", a, "b", b);
    Tensor out = Tensor::empty({a.size(0), a.size(1), b.size(2)}, a.dtype(), a.device());
    gemm3("bmm", a, b, 0.0, 1.0, out);
    return out;
}

Tensor mv(const Tensor& mat, const Tensor& vec) {
    check_rank("mv", "mat", mat, 2);
    check_rank("mv", "vec", vec, 1);
    check_operands("mv", "mat", mat, "vec", vec);
    check_mv_shapes("mv", mat, vec);
    Tensor out = Tensor::empty({mat.size(0)}, mat.dtype(), mat.device());
    gemm3("mv", unsqueeze(mat, 0), vector_as_column(vec), 0.0, 1.0, view(out, {1, mat.size(0), 1}));
    return out;
}

Tensor dot(const Tensor& a, const Tensor& b) {
    CMP_CHECK(a.dim() == 1 && b.dim() == 1, SHAPE_MISMATCH, "dot: 1D tensors expected, but got ", a.dim(), "D and ",
              b.dim(), "D tensors (shapes ", a.sizes(), " and ", b.sizes(), ")");
    check_operands("dot", "a", a, "b", b);
    CMP_CHECK(a.size(0) == b.size(0), SHAPE_MISMATCH, "dot: inconsistent tensor size, expected tensors of shapes ",
              a.sizes(), " and ", b.sizes(), " to have the same number of elements");
    Tensor out = Tensor::empty({}, a.dtype(), a.device());
    gemm3("dot", vector_as_row(a), vector_as_column(b), 0.0, 1.0, view(out, {1, 1, 1}));
    return out;
}

Tensor outer(const Tensor& a, const Tensor& b) {
    CMP_CHECK(a.dim() == 1, SHAPE_MISMATCH, "outer: expected 1-D argument 'a', but got shape ", a.sizes());
    CMP_CHECK(b.dim() == 1, SHAPE_MISMATCH, "outer: expected 1-D argument 'b', but got shape ", b.sizes());
    return mul(unsqueeze(a, 1), b);
}

Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, Scalar beta, Scalar alpha) {
    check_rank("addmm", "mat1", mat1, 2);
    check_rank("addmm", "mat2", mat2, 2);
    check_operands("addmm", "mat1", mat1, "mat2", mat2);
    check_mm_shapes("addmm", "mat1", mat1, "mat2", mat2);
    return add_product("addmm", input, unsqueeze(mat1, 0), unsqueeze(mat2, 0), {mat1.size(0), mat2.size(1)}, beta,
                       alpha);
}

Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta, Scalar alpha) {
    check_rank("baddbmm", "batch1", batch1, 3);
    check_rank("baddbmm", "batch2", batch2, 3);
    check_operands("baddbmm", "batch1", batch1, "batch2", batch2);
    check_bmm_shapes("baddbmm", "batch1", batch1, "batch2", batch2);
    return add_product("baddbmm", input, batch1, batch2, {batch1.size(0), batch1.size(1), batch2.size(2)}, beta, alpha);
}

Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta, Scalar alpha) {
    check_rank("addmv", "mat", mat, 2);
    check_rank("addmv", "vec", vec, 1);
    check_operands("addmv", "mat", mat, "vec", vec);
    check_mv_shapes("addmv", mat, vec);
    return add_product("addmv", input, unsqueeze(mat, 0), vector_as_column(vec), {mat.size(0)}, beta, alpha);
}

}  // namespace cmp::ops
