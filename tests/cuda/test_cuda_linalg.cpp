// Device parity of the matrix products (cuBLAS through cuda/gemm.cpp): mm, bmm, matmul with
// broadcast batch dims and 1-D operands, mv, dot, outer, addmm, baddbmm, addmv and einsum run on
// the CPU and on the GPU from the same inputs, with transposed, sliced (neither rows nor
// columns dense: copied first) and broadcast operands, and empty dims (k == 0: zeros, or
// beta * input).
//
// Tolerances. Every output element is a sum of k products p = a * b (plus beta * input); let M
// be the same sum over |a| |b| (and |beta| |input|), computed here in float64 from the inputs.
// With unit roundoff u of the accumulation (2^-53 for float64, 2^-24 for float32 and for the
// 16-bit dtypes, which both devices accumulate in float32), a sum of k terms in any order
// (cuBLAS picks its own blocking and split) errs by at most (k - 1)u M to first order, plus
// one rounding per product and for alpha, beta: each device is within (k + 2)u M of the exact
// value, so the two within (2k + 4)u M. 16-bit results are then rounded to the dtype on each
// device (half an ulp each, 2^-11 relative for float16 and 2^-8 for bfloat16, of |result| <= M),
// and cuBLAS may reduce float16 / bfloat16 split-K partials in the 16-bit type (PyTorch's
// default allow_fp16/bf16_reduced_precision_reduction): we allow 8 such roundings in all,
// 8 * 2^-11 M and 8 * 2^-8 M. TF32 rounds both inputs of each product to a 10-bit mantissa
// (2^-11 relative each, 2^-10 if truncated): 2 * 2^-10 M = 2^-9 M more.
#include "cuda_parity_util.h"

#include <functional>
#include <limits>

namespace cmp::testing {
namespace {

const cmp_dtype kFloatDtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

// n values in about [-1.6, 1.6] that no dtype holds exactly (ninths), so roundings show.
std::vector<double> ninths(int64_t n, int64_t seed) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 37 + seed * 11) % 29 - 14) / 9.0;
    return v;
}

struct Input {
    std::vector<int64_t> sizes;
    std::vector<double> values;  // empty: ninths(numel, position)
};

// A product of the inputs; magnitude asks for |alpha| and |beta| in place of alpha and beta
// (the bound's M is the product of the inputs' absolute values with those).
using Product = std::function<cmp_status(const std::vector<cmp_tensor>& in, bool magnitude, cmp_tensor* out)>;

std::vector<cmp_tensor> raw(const std::vector<Handle>& hs) {
    std::vector<cmp_tensor> r;
    for (const Handle& h : hs) r.push_back(h.get());
    return r;
}

double relative_bound(cmp_dtype dt, int64_t k, bool tf32) {
    const double u = dt == CMP_DTYPE_FLOAT64 ? 0x1p-53 : 0x1p-24;
    double rel = static_cast<double>(2 * k + 4) * u;
    if (dt == CMP_DTYPE_FLOAT16) rel += 8 * 0x1p-11;
    if (dt == CMP_DTYPE_BFLOAT16) rel += 8 * 0x1p-8;
    if (tf32) rel += 0x1p-9;
    return rel;
}

// Runs product on CPU tensors of dtype dt and on their CUDA copies and compares within the
// bound above for sums of k terms.
void check_product(const std::string& what, const Product& product, const std::vector<Input>& inputs, cmp_dtype dt,
                   int64_t k, bool tf32 = false) {
    const std::string label = what + " (" + std::to_string(dt) + ")";
    std::vector<Handle> host, dev, mag;
    for (size_t i = 0; i < inputs.size(); ++i) {
        int64_t n = 1;
        for (int64_t s : inputs[i].sizes) n *= s;
        const std::vector<double> v = inputs[i].values.empty() ? ninths(n, static_cast<int64_t>(i)) : inputs[i].values;
        host.push_back(tensor_from(v, inputs[i].sizes, dt));
        dev.push_back(cuda(host.back()));
        // |x| of the values as dtype holds them, in float64.
        cmp_tensor wide = nullptr, abs_wide = nullptr;
        ASSERT_EQ(cmp_to_dtype(host.back().get(), CMP_DTYPE_FLOAT64, &wide), CMP_STATUS_OK) << cmp_last_error();
        Handle w(wide);
        ASSERT_EQ(cmp_abs(w.get(), &abs_wide), CMP_STATUS_OK) << cmp_last_error();
        mag.push_back(Handle(abs_wide));
    }
    cmp_tensor c = nullptr, g = nullptr, m = nullptr;
    ASSERT_EQ(product(raw(host), false, &c), CMP_STATUS_OK) << label << ": " << cmp_last_error();
    Handle cpu_out(c);
    ASSERT_EQ(product(raw(dev), false, &g), CMP_STATUS_OK) << label << " on CUDA: " << cmp_last_error();
    Handle gpu_out(g);
    ASSERT_EQ(product(raw(mag), true, &m), CMP_STATUS_OK) << label << " (bound): " << cmp_last_error();
    Handle bound_out(m);
    EXPECT_EQ(device_of(gpu_out.get()).type, CMP_DEVICE_CUDA) << label;
    ASSERT_EQ(sizes_of(gpu_out.get()), sizes_of(cpu_out.get())) << label;
    cmp_dtype gdt = CMP_DTYPE_BOOL;
    ASSERT_EQ(cmp_tensor_dtype(gpu_out.get(), &gdt), CMP_STATUS_OK);
    EXPECT_EQ(gdt, dt) << label;
    const std::vector<double> gv = host_values(gpu_out.get()), cv = values_of(cpu_out.get()),
                              mv = values_of(bound_out.get());
    const double rel = relative_bound(dt, k, tf32);
    for (size_t i = 0; i < cv.size(); ++i) {
        if (std::isnan(cv[i])) {
            EXPECT_TRUE(std::isnan(gv[i])) << label << " at " << i;
            continue;
        }
        EXPECT_LE(std::fabs(gv[i] - cv[i]), rel * mv[i]) << label << " at " << i << ": GPU " << gv[i] << ", CPU "
                                                         << cv[i] << ", M " << mv[i];
    }
}

// Views of the operands, made on whichever device they are.
cmp_tensor t_view(cmp_tensor t, int64_t d0, int64_t d1) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_transpose(t, d0, d1, &out), CMP_STATUS_OK) << cmp_last_error();
    return out;
}
cmp_tensor slice_view(cmp_tensor t, int64_t dim, int64_t step) {
    int64_t nd = 0;
    cmp_tensor_ndim(t, &nd);
    const std::vector<int64_t> s = sizes_of(t);
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_slice(t, dim, 0, s[static_cast<size_t>(dim < 0 ? dim + nd : dim)], step, &out), CMP_STATUS_OK)
        << cmp_last_error();
    return out;
}

cmp_scalar real(double v, bool magnitude) { return cmp_scalar{CMP_SCALAR_FLOAT, 0, magnitude ? std::fabs(v) : v, 0}; }

using Binary = cmp_status (*)(cmp_tensor, cmp_tensor, cmp_tensor*);
Product plain(Binary op) {
    return [op](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) { return op(in[0], in[1], out); };
}

using CudaLinalg = CudaParity;

TEST_F(CudaLinalg, MmAndBmmMatchTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        check_product("mm", plain(cmp_mm), {{{37, 53}, {}}, {{53, 29}, {}}}, dt, 53);
        check_product("bmm", plain(cmp_bmm), {{{4, 17, 33}, {}}, {{4, 33, 9}, {}}}, dt, 33);
        check_product("mm 1 x 1", plain(cmp_mm), {{{1, 70}, {}}, {{70, 1}, {}}}, dt, 70);
    }
}

TEST_F(CudaLinalg, TransposedAndSlicedOperandsMatchTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        // a^T @ b, a @ b^T, a^T @ b^T: dense columns, read in place (CUBLAS_OP_T).
        const auto mm_t = [](bool ta, bool tb) {
            return Product([ta, tb](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
                Handle a(ta ? t_view(in[0], 0, 1) : nullptr), b(tb ? t_view(in[1], 0, 1) : nullptr);
                return cmp_mm(ta ? a.get() : in[0], tb ? b.get() : in[1], out);
            });
        };
        check_product("mm a^T b", mm_t(true, false), {{{53, 37}, {}}, {{53, 29}, {}}}, dt, 53);
        check_product("mm a b^T", mm_t(false, true), {{{37, 53}, {}}, {{29, 53}, {}}}, dt, 53);
        check_product("mm a^T b^T", mm_t(true, true), {{{53, 37}, {}}, {{29, 53}, {}}}, dt, 53);
        // Every other column (column stride 2: copied first) and every other row (row stride
        // 2 * cols: a leading dimension larger than the row, read in place).
        check_product("mm sliced", Product([](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
                          Handle a(slice_view(in[0], 1, 2)), b(slice_view(in[1], 0, 2));
                          return cmp_mm(a.get(), b.get(), out);
                      }),
                      {{{37, 106}, {}}, {{106, 29}, {}}}, dt, 53);
        // bmm of every other matrix of a batch, times a batch of transposed matrices.
        check_product("bmm strided", Product([](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
                          Handle a(slice_view(in[0], 0, 2)), b(t_view(in[1], 1, 2));
                          return cmp_bmm(a.get(), b.get(), out);
                      }),
                      {{{8, 17, 33}, {}}, {{4, 9, 33}, {}}}, dt, 33);
    }
}

TEST_F(CudaLinalg, MatmulBroadcastsLikeTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        const Product mm = plain(cmp_matmul);
        check_product("matmul 2-D", mm, {{{37, 53}, {}}, {{53, 29}, {}}}, dt, 53);
        check_product("matmul [2, 1, 5, 7] @ [3, 7, 6]", mm, {{{2, 1, 5, 7}, {}}, {{3, 7, 6}, {}}}, dt, 7);
        check_product("matmul [5, 7] @ [4, 7, 6]", mm, {{{5, 7}, {}}, {{4, 7, 6}, {}}}, dt, 7);
        check_product("matmul [4, 5, 7] @ [7, 6]", mm, {{{4, 5, 7}, {}}, {{7, 6}, {}}}, dt, 7);
        check_product("matmul [7] @ [4, 7, 6]", mm, {{{7}, {}}, {{4, 7, 6}, {}}}, dt, 7);
        check_product("matmul [2, 4, 5, 7] @ [7]", mm, {{{2, 4, 5, 7}, {}}, {{7}, {}}}, dt, 7);
        check_product("matmul [40] @ [40]", mm, {{{40}, {}}, {{40}, {}}}, dt, 40);
        check_product("matmul [3, 1, 4, 8] @ [1, 2, 8, 5]", mm, {{{3, 1, 4, 8}, {}}, {{1, 2, 8, 5}, {}}}, dt, 8);
    }
}

TEST_F(CudaLinalg, VectorProductsMatchTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        check_product("mv", plain(cmp_mv), {{{33, 65}, {}}, {{65}, {}}}, dt, 65);
        check_product("mv transposed", Product([](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
                          Handle m(t_view(in[0], 0, 1));
                          return cmp_mv(m.get(), in[1], out);
                      }),
                      {{{65, 33}, {}}, {{65}, {}}}, dt, 65);
        check_product("dot", plain(cmp_dot), {{{100}, {}}, {{100}, {}}}, dt, 100);
        check_product("dot strided", Product([](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
                          Handle a(slice_view(in[0], 0, 3));
                          return cmp_dot(a.get(), in[1], out);
                      }),
                      {{{300}, {}}, {{100}, {}}}, dt, 100);
        check_product("outer", plain(cmp_outer), {{{13}, {}}, {{9}, {}}}, dt, 1);
    }
}

TEST_F(CudaLinalg, FusedAddFormsMatchTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        check_product("addmm", Product([](const std::vector<cmp_tensor>& in, bool mag, cmp_tensor* out) {
                          return cmp_addmm(in[0], in[1], in[2], real(0.5, mag), real(-1.5, mag), out);
                      }),
                      {{{29}, {}}, {{37, 53}, {}}, {{53, 29}, {}}}, dt, 53);
        check_product("baddbmm", Product([](const std::vector<cmp_tensor>& in, bool mag, cmp_tensor* out) {
                          return cmp_baddbmm(in[0], in[1], in[2], real(-1.0, mag), real(0.25, mag), out);
                      }),
                      {{{4, 17, 9}, {}}, {{4, 17, 33}, {}}, {{4, 33, 9}, {}}}, dt, 33);
        check_product("addmv", Product([](const std::vector<cmp_tensor>& in, bool mag, cmp_tensor* out) {
                          return cmp_addmv(in[0], in[1], in[2], real(2.0, mag), real(1.0, mag), out);
                      }),
                      {{{33}, {}}, {{33, 65}, {}}, {{65}, {}}}, dt, 65);
        // beta 0: input is not read, so its NaN does not reach the result (as in PyTorch).
        const double nan = std::numeric_limits<double>::quiet_NaN();
        check_product("addmm beta 0", Product([](const std::vector<cmp_tensor>& in, bool mag, cmp_tensor* out) {
                          return cmp_addmm(in[0], in[1], in[2], real(0.0, mag), real(1.0, mag), out);
                      }),
                      {{{2, 3}, {nan, 1, 2, 3, nan, 5}}, {{2, 8}, {}}, {{8, 3}, {}}}, dt, 8);
    }
}

TEST_F(CudaLinalg, EinsumMatchesTheCpu) {
    const auto einsum = [](const char* eq) {
        return Product([eq](const std::vector<cmp_tensor>& in, bool, cmp_tensor* out) {
            return cmp_einsum(eq, in.data(), static_cast<int64_t>(in.size()), out);
        });
    };
    for (cmp_dtype dt : kFloatDtypes) {
        check_product("einsum bij,bjk->bik", einsum("bij,bjk->bik"), {{{3, 5, 11}, {}}, {{3, 11, 4}, {}}}, dt, 11);
        check_product("einsum ij,kj->ik", einsum("ij,kj->ik"), {{{6, 21}, {}}, {{7, 21}, {}}}, dt, 21);
        check_product("einsum i,i->", einsum("i,i->"), {{{50}, {}}, {{50}, {}}}, dt, 50);
    }
}

TEST_F(CudaLinalg, EmptyDimsMatchTheCpu) {
    for (cmp_dtype dt : kFloatDtypes) {
        // k == 0: every element is an empty sum (zeros), or beta * input.
        check_product("mm k 0", plain(cmp_mm), {{{3, 0}, {}}, {{0, 4}, {}}}, dt, 0);
        check_product("matmul k 0", plain(cmp_matmul), {{{2, 3, 0}, {}}, {{0, 5}, {}}}, dt, 0);
        check_product("addmm k 0", Product([](const std::vector<cmp_tensor>& in, bool mag, cmp_tensor* out) {
                          return cmp_addmm(in[0], in[1], in[2], real(2.0, mag), real(1.0, mag), out);
                      }),
                      {{{3, 4}, {}}, {{3, 0}, {}}, {{0, 4}, {}}}, dt, 0);
        check_product("dot k 0", plain(cmp_dot), {{{0}, {}}, {{0}, {}}}, dt, 0);
        // Empty results.
        check_product("mm m 0", plain(cmp_mm), {{{0, 5}, {}}, {{5, 4}, {}}}, dt, 5);
        check_product("bmm batch 0", plain(cmp_bmm), {{{0, 2, 5}, {}}, {{0, 5, 4}, {}}}, dt, 5);
    }
}

// Sets TF32 for a scope and restores it, even when an assertion returns early.
struct Tf32Scope {
    int32_t before = 0;
    explicit Tf32Scope(bool allow) {
        cmp_cuda_get_allow_tf32(&before);
        cmp_cuda_set_allow_tf32(allow ? 1 : 0);
    }
    ~Tf32Scope() { cmp_cuda_set_allow_tf32(before); }
};

TEST_F(CudaLinalg, Tf32StaysWithinItsTolerance) {
    int32_t allow = -1;
    ASSERT_EQ(cmp_cuda_get_allow_tf32(&allow), CMP_STATUS_OK);
    EXPECT_EQ(allow, 0) << "TF32 must be off by default";
    {
        Tf32Scope on(true);
        check_product("mm TF32", plain(cmp_mm), {{{64, 256}, {}}, {{256, 48}, {}}}, CMP_DTYPE_FLOAT32, 256, true);
        check_product("bmm TF32", plain(cmp_bmm), {{{3, 40, 96}, {}}, {{3, 96, 24}, {}}}, CMP_DTYPE_FLOAT32, 96,
                      true);
        // float64 never uses TF32: the float64 bound still holds with it allowed.
        check_product("mm float64, TF32 allowed", plain(cmp_mm), {{{64, 256}, {}}, {{256, 48}, {}}},
                      CMP_DTYPE_FLOAT64, 256);
    }
    // Off again: the full float32 bound.
    check_product("mm TF32 off", plain(cmp_mm), {{{64, 256}, {}}, {{256, 48}, {}}}, CMP_DTYPE_FLOAT32, 256);
}

TEST_F(CudaLinalg, RefusalsMatchTheCpuOrNameCuda) {
    // Shape errors are the CPU's (same status); integer products are not implemented on CUDA.
    const Handle a = tensor_from(ninths(12, 0), {3, 4}, CMP_DTYPE_FLOAT32), b = tensor_from(ninths(15, 1), {5, 3}, CMP_DTYPE_FLOAT32);
    const Handle da = cuda(a), db = cuda(b);
    cmp_tensor out = nullptr;
    const Failure cpu = failure_of([&] { return cmp_mm(a.get(), b.get(), &out); });
    const Failure gpu = failure_of([&] { return cmp_mm(da.get(), db.get(), &out); });
    EXPECT_EQ(gpu.status, cpu.status);
    EXPECT_EQ(gpu.message, cpu.message);
    const Handle ia = cuda(tensor_from(ninths(12, 0), {3, 4}, CMP_DTYPE_INT64));
    const Handle ib = cuda(tensor_from(ninths(12, 1), {4, 3}, CMP_DTYPE_INT64));
    const Failure f = failure_of([&] { return cmp_matmul(ia.get(), ib.get(), &out); });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("matmul: not implemented on CUDA for dtype int64"), std::string::npos) << f.message;
    EXPECT_EQ(out, nullptr);
}

}  // namespace
}  // namespace cmp::testing
