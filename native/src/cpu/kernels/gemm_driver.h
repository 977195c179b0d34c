// The BLIS-style GEMM driver shared by the per-ISA kernel files (included once per ISA
// translation unit, so everything here has internal linkage: the three copies compiled with
// different instruction sets must never be merged by the linker).
//
// Structure (for C = alpha * A * B + beta * C, A is m x k, B is k x n):
//
//   for jc in steps of NC over n:                    B block of KC x NC lives in L3
//     for pc in steps of KC over k:
//       pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels (in parallel over panels)
//       in parallel, each thread on its own rectangle (rows of m x B panels) of C:
//         for ic in steps of MC over the thread's rows:
//           pack A[ic:ic+MC, pc:pc+KC] into MR-tall panels  A block of MC x KC lives in L2
//           for each of the thread's B panels (KC x NR, stays in L1):
//             for each A panel: micro-kernel -> MR x NR tile of C
//
// The micro-kernel keeps an MR x NR tile of C in registers; NR runs along the rows of C
// (vector loads of the packed B panel, broadcasts of packed A), because our outputs are
// row-major and this lets full tiles be updated with contiguous vector loads and stores.
// Packing turns every stride pattern (transposed, sliced, broadcast) into the same unit-stride
// panels, so the micro-kernel never sees a stride other than C's.
#pragma once

#include "core/parallel.h"

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SSE2__) || defined(_M_X64)
#include <immintrin.h>
#endif

#if defined(__GNUC__)
#define CMP_GEMM_UNROLL _Pragma("GCC unroll 32")
#else
#define CMP_GEMM_UNROLL
#endif

namespace cmp::cpu {
namespace {

// ---- One SIMD register of T, per instruction set -----------------------------------------

template <typename T> struct Simd;

#if defined(__AVX512F__)
template <> struct Simd<float> {
    using reg = __m512;
    static constexpr int W = 16;
    static reg zero() { return _mm512_setzero_ps(); }
    static reg load(const float* p) { return _mm512_load_ps(p); }
    static reg loadu(const float* p) { return _mm512_loadu_ps(p); }
    static void storeu(float* p, reg v) { _mm512_storeu_ps(p, v); }
    static void store(float* p, reg v) { _mm512_store_ps(p, v); }
    static reg set1(float v) { return _mm512_set1_ps(v); }
    static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
};
template <> struct Simd<double> {
    using reg = __m512d;
    static constexpr int W = 8;
    static reg zero() { return _mm512_setzero_pd(); }
    static reg load(const double* p) { return _mm512_load_pd(p); }
    static reg loadu(const double* p) { return _mm512_loadu_pd(p); }
    static void storeu(double* p, reg v) { _mm512_storeu_pd(p, v); }
    static void store(double* p, reg v) { _mm512_store_pd(p, v); }
    static reg set1(double v) { return _mm512_set1_pd(v); }
    static reg mul(reg a, reg b) { return _mm512_mul_pd(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_pd(a, b, c); }
};
#elif defined(__AVX2__) && defined(__FMA__)
template <> struct Simd<float> {
    using reg = __m256;
    static constexpr int W = 8;
    static reg zero() { return _mm256_setzero_ps(); }
    static reg load(const float* p) { return _mm256_load_ps(p); }
    static reg loadu(const float* p) { return _mm256_loadu_ps(p); }
    static void storeu(float* p, reg v) { _mm256_storeu_ps(p, v); }
    static void store(float* p, reg v) { _mm256_store_ps(p, v); }
    static reg set1(float v) { return _mm256_set1_ps(v); }
    static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
};
template <> struct Simd<double> {
    using reg = __m256d;
    static constexpr int W = 4;
    static reg zero() { return _mm256_setzero_pd(); }
    static reg load(const double* p) { return _mm256_load_pd(p); }
    static reg loadu(const double* p) { return _mm256_loadu_pd(p); }
    static void storeu(double* p, reg v) { _mm256_storeu_pd(p, v); }
    static void store(double* p, reg v) { _mm256_store_pd(p, v); }
    static reg set1(double v) { return _mm256_set1_pd(v); }
    static reg mul(reg a, reg b) { return _mm256_mul_pd(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_pd(a, b, c); }
};
#elif defined(__SSE2__) || defined(_M_X64)
// x86-64 baseline: SSE2 without FMA (a separate multiply and add, which is also what the
// compiler would emit for scalar code on such a CPU).
template <> struct Simd<float> {
    using reg = __m128;
    static constexpr int W = 4;
    static reg zero() { return _mm_setzero_ps(); }
    static reg load(const float* p) { return _mm_load_ps(p); }
    static reg loadu(const float* p) { return _mm_loadu_ps(p); }
    static void storeu(float* p, reg v) { _mm_storeu_ps(p, v); }
    static void store(float* p, reg v) { _mm_store_ps(p, v); }
    static reg set1(float v) { return _mm_set1_ps(v); }
    static reg mul(reg a, reg b) { return _mm_mul_ps(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
};
template <> struct Simd<double> {
    using reg = __m128d;
    static constexpr int W = 2;
    static reg zero() { return _mm_setzero_pd(); }
    static reg load(const double* p) { return _mm_load_pd(p); }
    static reg loadu(const double* p) { return _mm_loadu_pd(p); }
    static void storeu(double* p, reg v) { _mm_storeu_pd(p, v); }
    static void store(double* p, reg v) { _mm_store_pd(p, v); }
    static reg set1(double v) { return _mm_set1_pd(v); }
    static reg mul(reg a, reg b) { return _mm_mul_pd(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
};
#else
// Other architectures (arm64...): a fixed-size array the compiler maps onto its vector unit.
template <typename T> struct Simd {
    static constexpr int W = 16 / sizeof(T);
    struct reg { T v[W]; };
    static reg zero() { reg r; for (int i = 0; i < W; ++i) r.v[i] = T(0); return r; }
    static reg load(const T* p) { reg r; for (int i = 0; i < W; ++i) r.v[i] = p[i]; return r; }
    static reg loadu(const T* p) { return load(p); }
    static void storeu(T* p, reg v) { for (int i = 0; i < W; ++i) p[i] = v.v[i]; }
    static void store(T* p, reg v) { storeu(p, v); }
    static reg set1(T x) { reg r; for (int i = 0; i < W; ++i) r.v[i] = x; return r; }
    static reg mul(reg a, reg b) { for (int i = 0; i < W; ++i) a.v[i] *= b.v[i]; return a; }
    static reg fma(reg a, reg b, reg c) { for (int i = 0; i < W; ++i) c.v[i] += a.v[i] * b.v[i]; return c; }
};
#endif

template <typename T> T min_of(T a, T b) { return a < b ? a : b; }
template <typename T> T max_of(T a, T b) { return a < b ? b : a; }
inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// ---- Micro-kernel: an MR x (NV * W) tile of C -------------------------------------------

template <typename T, int MR, int NV>
struct MicroKernel {
    using V = Simd<T>;
    static constexpr int kMR = MR;
    static constexpr int kNR = NV * V::W;

    // a: packed MR x kc panel (MR values per k), b: packed kc x NR panel (NR values per k),
    // both 64-byte aligned. Writes the top-left m x n of the tile into c.
    static void run(int64_t kc, const T* __restrict a, const T* __restrict b, T* c, int64_t rsc, int64_t csc,
                    T alpha, T beta, int64_t m, int64_t n) {
        typename V::reg acc[MR][NV];
#if defined(__SSE2__) || defined(_M_X64)
        // Start bringing the C tile in while the k loop runs: its rows lie a whole row of C
        // apart and would otherwise all miss at the end (worth ~10% at n = 2048).
        for (int64_t i = 0; i < m; ++i) {
            _mm_prefetch(reinterpret_cast<const char*>(c + i * rsc), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(c + i * rsc + (n - 1) * csc), _MM_HINT_T0);
        }
#endif
        CMP_GEMM_UNROLL
        for (int i = 0; i < MR; ++i) {
            CMP_GEMM_UNROLL
            for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
        }
        for (int64_t p = 0; p < kc; ++p) {
            typename V::reg bv[NV];
            CMP_GEMM_UNROLL
            for (int v = 0; v < NV; ++v) bv[v] = V::load(b + v * V::W);
            CMP_GEMM_UNROLL
            for (int i = 0; i < MR; ++i) {
                const typename V::reg ai = V::set1(a[i]);
                CMP_GEMM_UNROLL
                for (int v = 0; v < NV; ++v) acc[i][v] = V::fma(ai, bv[v], acc[i][v]);
            }
            a += MR;
            b += kNR;
        }
        if (m == MR && n == kNR && csc == 1) {
            const typename V::reg va = V::set1(alpha);
            const typename V::reg vb = V::set1(beta);
            CMP_GEMM_UNROLL
            for (int i = 0; i < MR; ++i) {
                CMP_GEMM_UNROLL
                for (int v = 0; v < NV; ++v) {
                    T* cp = c + i * rsc + v * V::W;
                    typename V::reg r = V::mul(va, acc[i][v]);
                    if (beta != T(0)) r = V::fma(vb, V::loadu(cp), r);
                    V::storeu(cp, r);
                }
            }
            return;
        }
        // Edge tile or column-strided C: spill the tile and write element by element.
        alignas(64) T tile[MR * kNR];
        CMP_GEMM_UNROLL
        for (int i = 0; i < MR; ++i) {
            CMP_GEMM_UNROLL
            for (int v = 0; v < NV; ++v) V::store(tile + i * kNR + v * V::W, acc[i][v]);
        }
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                T& dst = c[i * rsc + j * csc];
                const T r = alpha * tile[i * kNR + j];
                dst = beta == T(0) ? r : r + beta * dst;
            }
        }
    }
};

// ---- Packing ------------------------------------------------------------------------------

// A (mc x kc, strides rsa/csa) -> ceil(mc/MR) panels, each kc groups of MR values (zero rows
// pad the last panel so the micro-kernel never branches on m).
template <typename T, int MR>
void pack_a(int64_t mc, int64_t kc, const T* a, int64_t rsa, int64_t csa, T* out) {
    for (int64_t i0 = 0; i0 < mc; i0 += MR) {
        const int64_t mr = min_of<int64_t>(MR, mc - i0);
        const T* src = a + i0 * rsa;
        if (mr == MR && csa == 1) {
            // Row-major A: walk each row along k (unit stride reads), scatter into the panel.
            for (int i = 0; i < MR; ++i) {
                const T* row = src + i * rsa;
                for (int64_t p = 0; p < kc; ++p) out[p * MR + i] = row[p];
            }
        } else if (mr == MR) {
            for (int64_t p = 0; p < kc; ++p) {
                CMP_GEMM_UNROLL
                for (int i = 0; i < MR; ++i) out[p * MR + i] = src[i * rsa + p * csa];
            }
        } else {
            for (int64_t p = 0; p < kc; ++p) {
                for (int64_t i = 0; i < MR; ++i) out[p * MR + i] = i < mr ? src[i * rsa + p * csa] : T(0);
            }
        }
        out += kc * MR;
    }
}

// B (kc x nc, strides rsb/csb) -> ceil(nc/NR) panels, each kc groups of NR values.
// Only panels [panel_begin, panel_end) are written (the packing itself runs in parallel).
template <typename T, int NR>
void pack_b(int64_t kc, int64_t nc, const T* b, int64_t rsb, int64_t csb, T* out, int64_t panel_begin,
            int64_t panel_end) {
    for (int64_t q = panel_begin; q < panel_end; ++q) {
        const int64_t j0 = q * NR;
        const int64_t nr = min_of<int64_t>(NR, nc - j0);
        const T* src = b + j0 * csb;
        T* dst = out + q * kc * NR;
        if (nr == NR && csb == 1) {
            for (int64_t p = 0; p < kc; ++p) {
                CMP_GEMM_UNROLL
                for (int j = 0; j < NR; ++j) dst[p * NR + j] = src[p * rsb + j];
            }
        } else if (nr == NR) {
            for (int64_t p = 0; p < kc; ++p) {
                CMP_GEMM_UNROLL
                for (int j = 0; j < NR; ++j) dst[p * NR + j] = src[p * rsb + j * csb];
            }
        } else {
            for (int64_t p = 0; p < kc; ++p) {
                for (int64_t j = 0; j < NR; ++j) dst[p * NR + j] = j < nr ? src[p * rsb + j * csb] : T(0);
            }
        }
    }
}

// A growable 64-byte-aligned scratch buffer; one per thread and role, reused across calls so
// steady-state GEMMs allocate nothing.
struct PackBuffer {
    void* data = nullptr;
    std::size_t bytes = 0;
    ~PackBuffer() { release(); }
    void release() {
        if (data) ::operator delete(data, std::align_val_t(64));
        data = nullptr;
        bytes = 0;
    }
    template <typename T>
    T* get(int64_t count) {
        const std::size_t need = static_cast<std::size_t>(count) * sizeof(T);
        if (need > bytes) {
            release();
            data = ::operator new(need, std::align_val_t(64));
            bytes = need;
        }
        return static_cast<T*>(data);
    }
};
thread_local PackBuffer tls_pack_a;
thread_local PackBuffer tls_pack_b;

// C = beta * C over m x n (k == 0 or alpha == 0); beta == 0 writes zeros without reading.
template <typename T>
void scale_c(int64_t m, int64_t n, T beta, T* c, int64_t rsc, int64_t csc) {
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            T& dst = c[i * rsc + j * csc];
            dst = beta == T(0) ? T(0) : beta * dst;
        }
    }
}

// How the threads split one C block: tm ranges of register-tile rows times tn ranges of B
// panels, tm * tn <= threads. The pool hands each of the tm * tn tasks to its own thread, so
// the split is chosen to minimise the largest rectangle (the slowest thread); splitting n as
// well as m keeps all threads busy when m has few tiles (e.g. 16 threads on m = 256).
struct ThreadGrid {
    int64_t tm, tn;
};

inline ThreadGrid thread_grid(int64_t threads, int64_t m_tiles, int64_t n_panels, int64_t mr, int64_t nr) {
    ThreadGrid best{1, 1};
    int64_t best_cost = -1;
    for (int64_t tm = 1; tm <= threads; ++tm) {
        const int64_t tn = min_of(threads / tm, n_panels);
        if (tm > m_tiles) break;
        const int64_t cost = ceil_div(m_tiles, tm) * mr * ceil_div(n_panels, tn) * nr;
        // On a tie prefer more row ranges: each thread then packs only its own rows of A.
        if (best_cost < 0 || cost <= best_cost) {
            best = ThreadGrid{tm, tn};
            best_cost = cost;
        }
    }
    return best;
}

// Below this many multiply-adds a GEMM runs on the calling thread: waking the pool costs
// more than it saves.
constexpr int64_t kParallelMinWork = int64_t(1) << 17;

// Matrix-vector shapes (m == 1 or n == 1, e.g. a linear layer on one sample): packing B
// would cost as much as the product itself, so the two common layouts go straight to
// vectorised loops. Each output's summation order is fixed, so threads do not change bits.
// Returns false when the layout is not one of them (the packed path handles everything).
template <typename T>
bool gemv(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa, const T* b, int64_t rsb,
          int64_t csb, T beta, T* c, int64_t rsc, int64_t csc, bool parallel) {
    using V = Simd<T>;
    constexpr int W = V::W;
    auto finish = [&](T* dst, T acc) { *dst = beta == T(0) ? alpha * acc : alpha * acc + beta * *dst; };
    if (n == 1 && csa == 1 && rsb == 1) {
        // c[i] = dot(row i of A, b): four independent vector accumulators hide FMA latency.
        parallel_for(0, m, parallel ? max_of<int64_t>(1, kParallelMinWork / k) : m, [&](int64_t i0, int64_t i1) {
            for (int64_t i = i0; i < i1; ++i) {
                const T* row = a + i * rsa;
                typename V::reg acc[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
                int64_t p = 0;
                for (; p + 4 * W <= k; p += 4 * W) {
                    CMP_GEMM_UNROLL
                    for (int u = 0; u < 4; ++u) acc[u] = V::fma(V::loadu(row + p + u * W), V::loadu(b + p + u * W), acc[u]);
                }
                alignas(64) T lanes[4 * W];
                for (int u = 0; u < 4; ++u) V::store(lanes + u * W, acc[u]);
                T sum = T(0);
                for (int l = 0; l < 4 * W; ++l) sum += lanes[l];
                for (; p < k; ++p) sum += row[p] * b[p];
                finish(c + i * rsc, sum);
            }
        });
        return true;
    }
    if (m == 1 && csb == 1) {
        // c[j] = sum_p a[p] * B[p, j]: rows of B scaled and added into a block of c that stays
        // in L1 (kJBlock values per task).
        constexpr int64_t kJBlock = 1024;
        const int64_t blocks = ceil_div(n, kJBlock);
        parallel_for(0, blocks, parallel ? 1 : blocks, [&](int64_t j0, int64_t j1) {
            alignas(64) T acc[kJBlock];
            for (int64_t jb = j0; jb < j1; ++jb) {
                const int64_t jbeg = jb * kJBlock, len = min_of(kJBlock, n - jbeg);
                for (int64_t j = 0; j < len; ++j) acc[j] = T(0);
                for (int64_t p = 0; p < k; ++p) {
                    const T* brow = b + p * rsb + jbeg;
                    const typename V::reg ap = V::set1(a[p * csa]);
                    int64_t j = 0;
                    for (; j + W <= len; j += W) V::store(acc + j, V::fma(ap, V::loadu(brow + j), V::load(acc + j)));
                    for (; j < len; ++j) acc[j] += a[p * csa] * brow[j];
                }
                for (int64_t j = 0; j < len; ++j) finish(c + (jbeg + j) * csc, acc[j]);
            }
        });
        return true;
    }
    return false;
}

template <typename T, typename Kernel, int64_t MC, int64_t KC, int64_t NC>
void gemm_packed(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa, const T* b,
                 int64_t rsb, int64_t csb, T beta, T* c, int64_t rsc, int64_t csc) {
    constexpr int MR = Kernel::kMR;
    constexpr int NR = Kernel::kNR;
    static_assert(MC % MR == 0 && NC % NR == 0, "cache blocks must hold whole register tiles");
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == T(0)) {
        scale_c(m, n, beta, c, rsc, csc);
        return;
    }
    const bool parallel = m * n * k >= kParallelMinWork && !in_parallel_region();
    const int64_t threads = parallel ? get_num_threads() : 1;
    if ((m == 1 || n == 1) && gemv(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc, parallel)) return;

    for (int64_t jc = 0; jc < n; jc += NC) {
        const int64_t nc = min_of(NC, n - jc);
        const int64_t b_panels = ceil_div(nc, NR);
        for (int64_t pc = 0; pc < k; pc += KC) {
            const int64_t kc = min_of(KC, k - pc);
            // Later slices of k accumulate onto what the first one wrote.
            const T beta_eff = pc == 0 ? beta : T(1);
            T* bp = tls_pack_b.get<T>(b_panels * NR * kc);
            const T* b_block = b + pc * rsb + jc * csb;

            // Every thread gets one rectangle of the C block: a range of MR-row tiles times a
            // range of B panels, in a tm x tn grid (see thread_grid).
            const int64_t m_tiles = ceil_div(m, MR);
            const ThreadGrid grid = thread_grid(threads, m_tiles, b_panels, MR, NR);
            // With one row range each thread uses B panels no other thread reads, so it packs
            // them itself: one fork-join per block instead of two (small products gain most).
            // Otherwise B is packed once, in parallel, before the threads share it.
            const bool own_b = grid.tm == 1;
            if (!own_b) {
                parallel_for(0, b_panels, parallel ? max_of<int64_t>(1, b_panels / threads) : b_panels,
                             [&](int64_t q0, int64_t q1) { pack_b<T, NR>(kc, nc, b_block, rsb, csb, bp, q0, q1); });
            }
            parallel_for(0, grid.tm * grid.tn, 1, [&](int64_t t0, int64_t t1) {
                for (int64_t t = t0; t < t1; ++t) {
                    const int64_t ti = t / grid.tn, tj = t % grid.tn;
                    const int64_t row_begin = ti * m_tiles / grid.tm * MR;
                    const int64_t row_end = min_of(m, (ti + 1) * m_tiles / grid.tm * MR);
                    const int64_t q_begin = tj * b_panels / grid.tn;
                    const int64_t q_end = (tj + 1) * b_panels / grid.tn;
                    if (own_b) pack_b<T, NR>(kc, nc, b_block, rsb, csb, bp, q_begin, q_end);
                    for (int64_t ic = row_begin; ic < row_end; ic += MC) {
                        const int64_t mc = min_of(MC, row_end - ic);
                        T* ap = tls_pack_a.get<T>(ceil_div(mc, MR) * MR * kc);
                        pack_a<T, MR>(mc, kc, a + ic * rsa + pc * csa, rsa, csa, ap);
                        for (int64_t q = q_begin; q < q_end; ++q) {
                            const int64_t jr = q * NR;
                            const int64_t nr = min_of<int64_t>(NR, nc - jr);
                            const T* bpanel = bp + q * kc * NR;
                            for (int64_t ir = 0; ir < mc; ir += MR) {
                                const int64_t mr = min_of<int64_t>(MR, mc - ir);
                                Kernel::run(kc, ap + ir * kc, bpanel, c + (ic + ir) * rsc + (jc + jr) * csc, rsc,
                                            csc, alpha, beta_eff, mr, nr);
                            }
                        }
                    }
                }
            });
        }
    }
}

}  // namespace
}  // namespace cmp::cpu
