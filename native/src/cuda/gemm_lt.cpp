// cuBLASLt's bias epilogue for the gemm entry (cuda/gemm_lt.h). The layouts are those of
// cuda/gemm.cpp's transposed product: cuBLASLt's first operand is B, its second A, and its
// column-major n x m result is the row-major C, so the bias (one value per column of C) is
// cuBLASLt's per-row bias of length n.
#include "cuda/gemm_lt.h"

#include "cuda/blas_handle.h"
#include "cuda/scratch.h"
#include "cuda/status.h"

#include <cublasLt.h>

#include <array>
#include <mutex>

namespace cmp::cuda_backend {

namespace {

// cuBLASLt's workspace per product: what PyTorch gives its cuBLASLt calls by default. It comes
// from the caching allocator on the product's stream, so freeing it after the call is safe.
constexpr int64_t kWorkspaceBytes = int64_t{1} << 20;

constexpr int kMaxDevices = 64;

// One cuBLASLt handle per device, created on first use. They are never destroyed: a handle
// holds no stream and no per-thread state, and destroying it at exit would race with the CUDA
// runtime's own teardown (the cuBLAS pool in blas_handle.cpp orders that with care; these need not).
cublasLtHandle_t lt_handle(int32_t device) {
    static std::mutex mutex;
    static std::array<cublasLtHandle_t, kMaxDevices> handles{};
    if (device < 0 || device >= kMaxDevices) fail(CMP_STATUS_DEVICE_ERROR, "cublasLtCreate: device ", device, " out of range");
    std::lock_guard lock(mutex);
    cublasLtHandle_t& h = handles[static_cast<size_t>(device)];
    if (!h) check_blas(cublasLtCreate(&h), cat("cublasLtCreate on cuda:", device));
    return h;
}

// Owners of cuBLASLt's descriptors, destroyed at the end of the call whatever happens.
struct MatmulDesc {
    cublasLtMatmulDesc_t d = nullptr;
    ~MatmulDesc() {
        if (d) cublasLtMatmulDescDestroy(d);
    }
};
struct Layout {
    cublasLtMatrixLayout_t l = nullptr;
    ~Layout() {
        if (l) cublasLtMatrixLayoutDestroy(l);
    }
};
struct Preference {
    cublasLtMatmulPreference_t p = nullptr;
    ~Preference() {
        if (p) cublasLtMatmulPreferenceDestroy(p);
    }
};

template <typename T>
void set_attr(cublasLtMatmulDesc_t d, cublasLtMatmulDescAttributes_t attr, const T& value, const std::string& what) {
    check_blas(cublasLtMatmulDescSetAttribute(d, attr, &value, sizeof(value)), what + ": cublasLtMatmulDescSetAttribute");
}

// A column-major rows x cols layout of the operand that op applies to (op T: stored cols x rows).
void make_layout(Layout& out, cudaDataType_t data, cublasOperation_t op, int64_t rows, int64_t cols, int ld,
                 const std::string& what) {
    const bool t = op == CUBLAS_OP_T;
    check_blas(cublasLtMatrixLayoutCreate(&out.l, data, static_cast<uint64_t>(t ? cols : rows),
                                          static_cast<uint64_t>(t ? rows : cols), ld),
               what + ": cublasLtMatrixLayoutCreate");
}

}  // namespace

bool gemm_bias_lt(const compute_cuda_gemm& g, const LtProduct& p, const std::string& what) {
    const std::string lt_what = what + " (cuBLASLt bias epilogue)";
    cublasLtHandle_t lt = lt_handle(g.device);
    MatmulDesc desc;
    check_blas(cublasLtMatmulDescCreate(&desc.d, p.compute, CUDA_R_32F), lt_what + ": cublasLtMatmulDescCreate");
    set_attr(desc.d, CUBLASLT_MATMUL_DESC_TRANSA, p.op_b, lt_what);
    set_attr(desc.d, CUBLASLT_MATMUL_DESC_TRANSB, p.op_a, lt_what);
    set_attr(desc.d, CUBLASLT_MATMUL_DESC_EPILOGUE, CUBLASLT_EPILOGUE_BIAS, lt_what);
    set_attr(desc.d, CUBLASLT_MATMUL_DESC_BIAS_POINTER, g.bias, lt_what);
    // The result C^T is n x m; cuBLASLt's first operand (B^T) n x k, its second (A^T) k x m.
    Layout lb, la, lc;
    make_layout(lb, p.data, p.op_b, g.n, g.k, p.ld_b, lt_what);
    make_layout(la, p.data, p.op_a, g.k, g.m, p.ld_a, lt_what);
    make_layout(lc, p.data, CUBLAS_OP_N, g.n, g.m, p.ld_c, lt_what);
    Preference pref;
    check_blas(cublasLtMatmulPreferenceCreate(&pref.p), lt_what + ": cublasLtMatmulPreferenceCreate");
    const uint64_t workspace = kWorkspaceBytes;
    check_blas(cublasLtMatmulPreferenceSetAttribute(pref.p, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace,
                                                    sizeof(workspace)),
               lt_what + ": cublasLtMatmulPreferenceSetAttribute");
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    const cublasStatus_t h =
        cublasLtMatmulAlgoGetHeuristic(lt, desc.d, lb.l, la.l, lc.l, lc.l, pref.p, 1, &result, &found);
    if (h == CUBLAS_STATUS_NOT_SUPPORTED || (h == CUBLAS_STATUS_SUCCESS && found == 0)) return false;
    check_blas(h, lt_what + ": cublasLtMatmulAlgoGetHeuristic");
    Scratch space(g.device, static_cast<int64_t>(result.workspaceSize), g.stream);
    const float alpha = static_cast<float>(g.alpha), beta = 0.0f;
    check_blas(cublasLtMatmul(lt, desc.d, &alpha, g.b.data, lb.l, g.a.data, la.l, &beta, g.c.data, lc.l, g.c.data,
                              lc.l, &result.algo, space.as<void>(), result.workspaceSize,
                              static_cast<cudaStream_t>(g.stream)),
               lt_what + ": cublasLtMatmul");
    return true;
}

}  // namespace cmp::cuda_backend
