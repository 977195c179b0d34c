// The dtype front of the CPU GEMM (see gemm.h): float32/float64 go to the per-ISA packed
// kernels through the dispatch stubs; 16-bit floats are widened to float32; integers use a
// simple row-parallel kernel.
#include "cpu/gemm.h"

#include "core/parallel.h"

#include <algorithm>
#include <type_traits>
#include <vector>

namespace cmp::cpu {

CMP_DEFINE_STUB(gemm_f32_stub);
CMP_DEFINE_STUB(gemm_f64_stub);

namespace {

// Integer GEMM. Products are accumulated in 64-bit unsigned arithmetic and truncated at the
// end: two's-complement wrap-around makes that bit-identical to accumulating in the dtype
// itself (what PyTorch's integer matmul does), without signed-overflow undefined behaviour.
template <typename T>
void gemm_integer(int64_t m, int64_t n, int64_t k, double alpha, const T* a, int64_t rsa, int64_t csa, const T* b,
                  int64_t rsb, int64_t csb, double beta, T* c, int64_t rsc, int64_t csc) {
    const auto alpha_i = static_cast<uint64_t>(static_cast<int64_t>(alpha));
    const auto beta_i = static_cast<uint64_t>(static_cast<int64_t>(beta));
    const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, n * std::max<int64_t>(k, 1)));
    parallel_for(0, m, grain, [&](int64_t i0, int64_t i1) {
        std::vector<uint64_t> row(static_cast<size_t>(n));
        for (int64_t i = i0; i < i1; ++i) {
            std::fill(row.begin(), row.end(), 0);
            for (int64_t p = 0; p < k; ++p) {
                const auto av = static_cast<uint64_t>(static_cast<int64_t>(a[i * rsa + p * csa]));
                const T* brow = b + p * rsb;
                for (int64_t j = 0; j < n; ++j) row[j] += av * static_cast<uint64_t>(static_cast<int64_t>(brow[j * csb]));
            }
            for (int64_t j = 0; j < n; ++j) {
                T& dst = c[i * rsc + j * csc];
                uint64_t r = alpha_i * row[j];
                if (beta != 0) r += beta_i * static_cast<uint64_t>(static_cast<int64_t>(dst));
                dst = static_cast<T>(r);
            }
        }
    });
}

// Copies an m x n strided matrix into a dense row-major float buffer.
template <typename T>
std::vector<float> widen(int64_t m, int64_t n, const T* x, int64_t rs, int64_t cs) {
    std::vector<float> out(static_cast<size_t>(m * n));
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) out[i * n + j] = static_cast<float>(x[i * rs + j * cs]);
    }
    return out;
}

// float16 / bfloat16: one float32 GEMM, one rounding per output element (as PyTorch's CPU
// kernels accumulate reduced-precision products in float32).
template <typename T>
void gemm_reduced_float(int64_t m, int64_t n, int64_t k, double alpha, const T* a, int64_t rsa, int64_t csa,
                        const T* b, int64_t rsb, int64_t csb, double beta, T* c, int64_t rsc, int64_t csc) {
    const std::vector<float> a32 = widen(m, k, a, rsa, csa);
    const std::vector<float> b32 = widen(k, n, b, rsb, csb);
    std::vector<float> c32 = beta == 0 ? std::vector<float>(static_cast<size_t>(m * n)) : widen(m, n, c, rsc, csc);
    gemm_f32_stub(m, n, k, static_cast<float>(alpha), a32.data(), k, int64_t(1), b32.data(), n, int64_t(1),
                  static_cast<float>(beta), c32.data(), n, int64_t(1));
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) c[i * rsc + j * csc] = T(c32[i * n + j]);
    }
}

// if constexpr only discards branches inside a template, hence this helper.
template <typename T>
void gemm_typed(int64_t m, int64_t n, int64_t k, double alpha, const T* a, int64_t rsa, int64_t csa, const T* b,
                int64_t rsb, int64_t csb, double beta, T* c, int64_t rsc, int64_t csc) {
    if constexpr (std::is_same_v<T, float>) {
        gemm_f32_stub(m, n, k, static_cast<float>(alpha), a, rsa, csa, b, rsb, csb, static_cast<float>(beta), c, rsc,
                      csc);
    } else if constexpr (std::is_same_v<T, double>) {
        gemm_f64_stub(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
        gemm_reduced_float(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
    } else {
        gemm_integer(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
    }
}

}  // namespace

void gemm(DType dtype, int64_t m, int64_t n, int64_t k, double alpha, const void* a, int64_t rsa, int64_t csa,
          const void* b, int64_t rsb, int64_t csb, double beta, void* c, int64_t rsc, int64_t csc) {
    CMP_CHECK(m >= 0 && n >= 0 && k >= 0, INVALID_ARGUMENT, "gemm: negative size m=", m, " n=", n, " k=", k);
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "gemm: not defined for dtype bool");
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "gemm", [&] {
        gemm_typed(m, n, k, alpha, static_cast<const scalar_t*>(a), rsa, csa, static_cast<const scalar_t*>(b), rsb,
                   csb, beta, static_cast<scalar_t*>(c), rsc, csc);
    });
}

void gemm_batched(DType dtype, int64_t batch, const int64_t* a_offsets, const int64_t* b_offsets,
                  const int64_t* c_offsets, int64_t m, int64_t n, int64_t k, double alpha, const void* a,
                  int64_t rsa, int64_t csa, const void* b, int64_t rsb, int64_t csb, double beta, void* c,
                  int64_t rsc, int64_t csc) {
    const int64_t esize = element_size(dtype);
    auto one = [&](int64_t i) {
        gemm(dtype, m, n, k, alpha, static_cast<const char*>(a) + a_offsets[i] * esize, rsa, csa,
             static_cast<const char*>(b) + b_offsets[i] * esize, rsb, csb, beta,
             static_cast<char*>(c) + c_offsets[i] * esize, rsc, csc);
    };
    // A product big enough to keep every thread busy on its own is better parallelised
    // inside (its packed blocks stay in cache); small ones are spread across the batch.
    constexpr int64_t kLargeProduct = int64_t(1) << 21;
    if (batch == 1 || m * n * std::max<int64_t>(k, 1) >= kLargeProduct) {
        for (int64_t i = 0; i < batch; ++i) one(i);
        return;
    }
    const int64_t per_item = std::max<int64_t>(1, m * n * std::max<int64_t>(k, 1));
    parallel_for(0, batch, std::max<int64_t>(1, (int64_t(1) << 15) / per_item), [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) one(i);
    });
}

}  // namespace cmp::cpu
