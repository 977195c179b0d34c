// The BLIS-style GEMM driver shared by the per-ISA kernel files (included once per ISA
// translation unit, so everything here has internal linkage: the three copies compiled with
// different instruction sets must never be merged by the linker).
//
// Structure (for C = alpha * A * B + beta * C, A is m x k, B is k x n):
//
//   split C into one rectangle per thread (thread_grid); each thread, on its own:
//   for jc in steps of NC over its columns:          B block of KC x NC lives in L3
//     for pc in steps of KC over k:
//       pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels
//       for ic in steps of MC over its rows:
//         pack A[ic:ic+MC, pc:pc+KC] into MR-tall panels  A block of MC x KC lives in L2
//         for each B panel (KC x NR, stays in L1):
//           for each A panel: micro-kernel -> MR x NR tile of C
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
    static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
    // The first `count` lanes of v to p (the rest of p's memory untouched).
    static void storeu_first(float* p, reg v, int count) {
        _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << count) - 1), v);
    }
    // The first `count` lanes from p, zeros in the others (the memory past them is not read).
    static reg loadu_first(const float* p, int count) {
        return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << count) - 1), p);
    }
    // In-register 16 x 16 transpose (r[i] lane j <-> r[j] lane i), for the packing of
    // operands whose k runs along memory: pairs of rows are interleaved as floats, then as
    // float pairs, and the 128-bit blocks are exchanged last, 64 shuffles in all.
    static void transpose(reg r[16]) {
        reg t[16], u[16];
        for (int i = 0; i < 16; i += 2) {
            t[i] = _mm512_mask_unpacklo_ps(r[i], kAll, r[i], r[i + 1]);
            t[i + 1] = _mm512_mask_unpackhi_ps(r[i], kAll, r[i], r[i + 1]);
        }
        // u[4g + c], 128-bit block L: rows 4g..4g+3 of column 4L + c.
        for (int g = 0; g < 16; g += 4) {
            const __m512d t0 = _mm512_castps_pd(t[g]), t1 = _mm512_castps_pd(t[g + 1]);
            const __m512d t2 = _mm512_castps_pd(t[g + 2]), t3 = _mm512_castps_pd(t[g + 3]);
            u[g] = _mm512_castpd_ps(_mm512_mask_unpacklo_pd(t0, kAll8, t0, t2));
            u[g + 1] = _mm512_castpd_ps(_mm512_mask_unpackhi_pd(t0, kAll8, t0, t2));
            u[g + 2] = _mm512_castpd_ps(_mm512_mask_unpacklo_pd(t1, kAll8, t1, t3));
            u[g + 3] = _mm512_castpd_ps(_mm512_mask_unpackhi_pd(t1, kAll8, t1, t3));
        }
        for (int c = 0; c < 4; ++c) {
            const reg v0 = blocks<0x44>(u[c], u[4 + c]), v1 = blocks<0xEE>(u[c], u[4 + c]);
            const reg v2 = blocks<0x44>(u[8 + c], u[12 + c]), v3 = blocks<0xEE>(u[8 + c], u[12 + c]);
            r[c] = blocks<0x88>(v0, v2);
            r[4 + c] = blocks<0xDD>(v0, v2);
            r[8 + c] = blocks<0x88>(v1, v3);
            r[12 + c] = blocks<0xDD>(v1, v3);
        }
    }
    // The shuffles are written in their masked forms with every lane selected: GCC 12's
    // unmasked intrinsics pass an "undefined" source that -Wmaybe-uninitialized reports.
    static constexpr __mmask16 kAll = 0xFFFF;
    static constexpr __mmask8 kAll8 = 0xFF;
    template <int kImm>
    static reg blocks(reg a, reg b) { return _mm512_mask_shuffle_f32x4(a, kAll, a, b, kImm); }
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
    static reg add(reg a, reg b) { return _mm512_add_pd(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_pd(a, b, c); }
    static void storeu_first(double* p, reg v, int count) {
        _mm512_mask_storeu_pd(p, static_cast<__mmask8>((1u << count) - 1), v);
    }
    static reg loadu_first(const double* p, int count) {
        return _mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << count) - 1), p);
    }
    // In-register 8 x 8 transpose, the float one's pattern on half as many lanes: row pairs
    // are interleaved as doubles, then the 128-bit blocks are gathered in two exchanges
    // (24 shuffles). After the first step t[2h + e], block L holds rows 2h, 2h + 1 of column
    // 2L + e, so column c comes from blocks c / 2 of t[e], t[2 + e], t[4 + e], t[6 + e].
    static void transpose(reg r[8]) {
        reg t[8];
        for (int i = 0; i < 8; i += 2) {
            t[i] = _mm512_mask_unpacklo_pd(r[i], kAll, r[i], r[i + 1]);
            t[i + 1] = _mm512_mask_unpackhi_pd(r[i], kAll, r[i], r[i + 1]);
        }
        for (int e = 0; e < 2; ++e) {
            const reg v0 = blocks<0x88>(t[e], t[2 + e]), v1 = blocks<0xDD>(t[e], t[2 + e]);
            const reg w0 = blocks<0x88>(t[4 + e], t[6 + e]), w1 = blocks<0xDD>(t[4 + e], t[6 + e]);
            r[e] = blocks<0x88>(v0, w0);
            r[4 + e] = blocks<0xDD>(v0, w0);
            r[2 + e] = blocks<0x88>(v1, w1);
            r[6 + e] = blocks<0xDD>(v1, w1);
        }
    }
    static constexpr __mmask8 kAll = 0xFF;
    template <int kImm>
    static reg blocks(reg a, reg b) { return _mm512_mask_shuffle_f64x2(a, kAll, a, b, kImm); }
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
    static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
    static void storeu_first(float* p, reg v, int count) {
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        _mm256_maskstore_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lane), v);
    }
    static reg loadu_first(const float* p, int count) {
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm256_maskload_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lane));
    }
    // In-register 8 x 8 transpose, as the AVX-512 one: floats, then float pairs of row
    // pairs are interleaved within 128-bit halves, and the halves are exchanged last.
    static void transpose(reg r[8]) {
        reg t[8], u[8];
        for (int i = 0; i < 8; i += 2) {
            t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
            t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
        }
        // u[4g + c], half L: rows 4g..4g+3 of column 4L + c.
        for (int g = 0; g < 8; g += 4) {
            u[g] = _mm256_shuffle_ps(t[g], t[g + 2], 0x44);
            u[g + 1] = _mm256_shuffle_ps(t[g], t[g + 2], 0xEE);
            u[g + 2] = _mm256_shuffle_ps(t[g + 1], t[g + 3], 0x44);
            u[g + 3] = _mm256_shuffle_ps(t[g + 1], t[g + 3], 0xEE);
        }
        for (int c = 0; c < 4; ++c) {
            r[c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x20);
            r[4 + c] = _mm256_permute2f128_ps(u[c], u[4 + c], 0x31);
        }
    }
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
    static reg add(reg a, reg b) { return _mm256_add_pd(a, b); }
    static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_pd(a, b, c); }
    static void storeu_first(double* p, reg v, int count) {
        const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
        _mm256_maskstore_pd(p, _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lane), v);
    }
    static reg loadu_first(const double* p, int count) {
        const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
        return _mm256_maskload_pd(p, _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), lane));
    }
    // In-register 4 x 4 transpose: row pairs interleaved as doubles (t[2h + e], half L: rows
    // 2h, 2h + 1 of column 2L + e), then the 128-bit halves exchanged.
    static void transpose(reg r[4]) {
        const reg t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
        const reg t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
        r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
        r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
        r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
        r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
    }
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
    static reg add(reg a, reg b) { return _mm_add_ps(a, b); }
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
    static reg add(reg a, reg b) { return _mm_add_pd(a, b); }
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
    static reg add(reg a, reg b) { for (int i = 0; i < W; ++i) a.v[i] += b.v[i]; return a; }
    static reg fma(reg a, reg b, reg c) { for (int i = 0; i < W; ++i) c.v[i] += a.v[i] * b.v[i]; return c; }
};
#endif

// Instruction sets whose Simd<T> has transpose() and storeu_first() pack transposed operands
// with vector shuffles; the others use the scalar loops.
template <typename V>
concept HasTranspose = requires(typename V::reg* r) { V::transpose(r); };
// Instruction sets with masked loads and stores (loadu_first, storeu_first) finish short rows
// with one masked vector; the others element by element.
template <typename V>
concept HasMaskedTail = requires(typename V::reg r) { V::loadu_first(nullptr, 1); V::storeu_first(nullptr, r, 1); };

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
    //
    // An edge tile (m or n short of the full tile) runs a smaller instantiation that
    // multiplies only the rows and vectors it needs: the packed panels are zero-padded, so the
    // full tile would be correct too, but for e.g. m = 64 with MR = 12 the last tile would
    // spend two thirds of its multiply-adds on padding.
    //
    // With ROWS, b is not a packed panel: row p of the panel is at b + boff[p] (NR values,
    // unit stride, any alignment), read in place.
    template <bool ROWS = false>
    static void run(int64_t kc, const T* __restrict a, const T* __restrict b, T* c, int64_t rsc, int64_t csc,
                    T alpha, T beta, int64_t m, int64_t n, const int64_t* boff = nullptr) {
        // n fitting in fewer vectors happens only in the last B panel of a matrix.
        if (NV == 1 || n > (NV - 1) * V::W) by_rows<NV, ROWS>(kc, a, b, c, rsc, csc, alpha, beta, m, n, boff);
        else by_rows<1, ROWS>(kc, a, b, c, rsc, csc, alpha, beta, m, n, boff);
    }

private:
    // The smallest of MR, 2/3 MR and 1/3 MR rows that covers m.
    template <int NVUSED, bool ROWS>
    static void by_rows(int64_t kc, const T* __restrict a, const T* __restrict b, T* c, int64_t rsc, int64_t csc,
                        T alpha, T beta, int64_t m, int64_t n, const int64_t* boff) {
        constexpr int kThird = MR / 3 > 0 ? MR / 3 : 1;
        if (m > 2 * kThird) tile<MR, NVUSED, ROWS>(kc, a, b, c, rsc, csc, alpha, beta, m, n, boff);
        else if (m > kThird) tile<2 * kThird, NVUSED, ROWS>(kc, a, b, c, rsc, csc, alpha, beta, m, n, boff);
        else tile<kThird, NVUSED, ROWS>(kc, a, b, c, rsc, csc, alpha, beta, m, n, boff);
    }

    // Rows x (NVUSED * W) of the tile: the packed panels keep their MR / NR strides.
    template <int ROWS, int NVUSED, bool INPLACE>
    static void tile(int64_t kc, const T* __restrict a, const T* __restrict b, T* c, int64_t rsc, int64_t csc,
                     T alpha, T beta, int64_t m, int64_t n, const int64_t* __restrict boff) {
        constexpr int kTileN = NVUSED * V::W;
        typename V::reg acc[ROWS][NVUSED];
#if defined(__SSE2__) || defined(_M_X64)
        // Start bringing the C tile in while the k loop runs: its rows lie a whole row of C
        // apart and would otherwise all miss at the end (worth ~10% at n = 2048).
        for (int64_t i = 0; i < m; ++i) {
            _mm_prefetch(reinterpret_cast<const char*>(c + i * rsc), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(c + i * rsc + (n - 1) * csc), _MM_HINT_T0);
        }
#endif
        CMP_GEMM_UNROLL
        for (int i = 0; i < ROWS; ++i) {
            CMP_GEMM_UNROLL
            for (int v = 0; v < NVUSED; ++v) acc[i][v] = V::zero();
        }
        for (int64_t p = 0; p < kc; ++p) {
            typename V::reg bv[NVUSED];
            CMP_GEMM_UNROLL
            for (int v = 0; v < NVUSED; ++v) {
                if constexpr (INPLACE) bv[v] = V::loadu(b + boff[p] + v * V::W);
                else bv[v] = V::load(b + v * V::W);
            }
            CMP_GEMM_UNROLL
            for (int i = 0; i < ROWS; ++i) {
                const typename V::reg ai = V::set1(a[i]);
                CMP_GEMM_UNROLL
                for (int v = 0; v < NVUSED; ++v) acc[i][v] = V::fma(ai, bv[v], acc[i][v]);
            }
            a += MR;
            if constexpr (!INPLACE) b += kNR;
        }
        if (m == ROWS && n == kTileN && csc == 1) {
            const typename V::reg va = V::set1(alpha);
            const typename V::reg vb = V::set1(beta);
            CMP_GEMM_UNROLL
            for (int i = 0; i < ROWS; ++i) {
                CMP_GEMM_UNROLL
                for (int v = 0; v < NVUSED; ++v) {
                    T* cp = c + i * rsc + v * V::W;
                    typename V::reg r = V::mul(va, acc[i][v]);
                    if (beta != T(0)) r = V::fma(vb, V::loadu(cp), r);
                    V::storeu(cp, r);
                }
            }
            return;
        }
        // Edge tile or column-strided C: spill the tile and write element by element.
        alignas(64) T spill[ROWS * kTileN];
        CMP_GEMM_UNROLL
        for (int i = 0; i < ROWS; ++i) {
            CMP_GEMM_UNROLL
            for (int v = 0; v < NVUSED; ++v) V::store(spill + i * kTileN + v * V::W, acc[i][v]);
        }
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                T& dst = c[i * rsc + j * csc];
                const T r = alpha * spill[i * kTileN + j];
                dst = beta == T(0) ? r : r + beta * dst;
            }
        }
    }
};

// ---- Packing ------------------------------------------------------------------------------

// rows (<= R) vectors of kc values each, vector i at src + i * stride with unit stride along
// k, -> kc groups of R values (out[p * R + i]), zero beyond `rows`. This is the packing of an
// operand whose k runs along memory: A row-major, or B transposed (x @ W^T). Where the ISA
// has an in-register transpose, W x W blocks go through it; otherwise (and for the k tail)
// element by element. row_at(i) gives the start of vector i (i < rows): a fixed stride for
// a matrix, any address for the shifted image rows of a convolution's weight gradient.
template <typename T, int R, typename RowAt>
void pack_transposed_at(int64_t rows, int64_t kc, const RowAt& row_at, T* out) {
    using V = Simd<T>;
    constexpr int W = V::W;
    int64_t p0 = 0;
    if constexpr (HasTranspose<V>) {
        for (; p0 + W <= kc; p0 += W) {
            for (int g = 0; g < R; g += W) {
                const int live = static_cast<int>(min_of<int64_t>(W, max_of<int64_t>(0, rows - g)));
                typename V::reg r[W];
                CMP_GEMM_UNROLL
                for (int i = 0; i < W; ++i) r[i] = i < live ? V::loadu(row_at(g + i) + p0) : V::zero();
                V::transpose(r);
                const int width = min_of(W, R - g);
                CMP_GEMM_UNROLL
                for (int q = 0; q < W; ++q) {
                    if (width == W) V::storeu(out + (p0 + q) * R + g, r[q]);
                    else V::storeu_first(out + (p0 + q) * R + g, r[q], width);
                }
            }
        }
    }
    // One k at a time: R loads from R source vectors (R cache lines stay live), R contiguous
    // stores. Walking each source vector along k instead (strided stores) measured slower:
    // float64 32 x 4096 x 1024 x @ W^T at 28-33 GFLOP/s against 41-45 this way.
    if (rows == R) {
        for (int64_t p = p0; p < kc; ++p) {
            CMP_GEMM_UNROLL
            for (int i = 0; i < R; ++i) out[p * R + i] = row_at(i)[p];
        }
    } else {
        for (int64_t p = p0; p < kc; ++p) {
            for (int64_t i = 0; i < R; ++i) out[p * R + i] = i < rows ? row_at(i)[p] : T(0);
        }
    }
}

template <typename T, int R>
void pack_transposed(int64_t rows, int64_t kc, const T* src, int64_t stride, T* out) {
    pack_transposed_at<T, R>(rows, kc, [src, stride](int64_t i) { return src + i * stride; }, out);
}

// A (mc x kc, strides rsa/csa) -> ceil(mc/MR) panels, each kc groups of MR values (zero rows
// pad the last panel so the micro-kernel never branches on m).
template <typename T, int MR>
void pack_a(int64_t mc, int64_t kc, const T* a, int64_t rsa, int64_t csa, T* out) {
    for (int64_t i0 = 0; i0 < mc; i0 += MR) {
        const int64_t mr = min_of<int64_t>(MR, mc - i0);
        const T* src = a + i0 * rsa;
        if (csa == 1) {
            pack_transposed<T, MR>(mr, kc, src, rsa, out);
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
template <typename T, int NR>
void pack_b(int64_t kc, int64_t nc, const T* b, int64_t rsb, int64_t csb, T* out) {
    for (int64_t q = 0; q < ceil_div(nc, NR); ++q) {
        const int64_t j0 = q * NR;
        const int64_t nr = min_of<int64_t>(NR, nc - j0);
        const T* src = b + j0 * csb;
        T* dst = out + q * kc * NR;
        if (rsb == 1 && csb != 1) {
            pack_transposed<T, NR>(nr, kc, src, csb, dst);
        } else if (nr == NR && csb == 1) {
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

// The B operand as the driver sees it. StridedB is a matrix in memory, packed into NR-wide
// panels (pack_b's layout) by pack(). A source with kInPlace instead has element (p, j) at
// column(j) + offsets[p], unit column stride within a panel, which the micro-kernel reads
// where it is (the shifted image rows of a convolution, see conv_gemm.cpp).
template <typename T>
struct StridedB {
    static constexpr bool kInPlace = false;
    const T* b;
    int64_t rsb, csb;
    // Rows [p0, p0 + kc), columns [j0, j0 + nc).
    template <int NR>
    void pack(int64_t p0, int64_t kc, int64_t j0, int64_t nc, T* out) const {
        pack_b<T, NR>(kc, nc, b + p0 * rsb + j0 * csb, rsb, csb, out);
    }
};

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

// How the threads split C: tm ranges of register-tile rows times tn ranges of B panels,
// tm * tn <= threads. Each of the tm * tn tasks multiplies its own rectangle of C from start
// to end, packing the A rows and B columns it needs itself (one fork-join per GEMM, no
// sharing between threads), so A is packed tn times and B tm times in all. The split
// minimises the largest task: its multiply-adds (rows and columns rounded up to whole tiles)
// plus its packing, weighted as kPackCost multiply-adds per packed element (vector copies
// and shuffles move a few elements in the time the micro-kernel does 32 multiply-adds).
// Splitting only m for a short, wide C would make every thread pack all of B.
struct ThreadGrid {
    int64_t tm, tn;
};

constexpr int64_t kPackCost = 4;

inline ThreadGrid thread_grid(int64_t threads, int64_t m_tiles, int64_t n_panels, int64_t k, int64_t mr, int64_t nr) {
    ThreadGrid best{1, 1};
    int64_t best_cost = -1;
    for (int64_t tm = 1; tm <= threads && tm <= m_tiles; ++tm) {
        const int64_t tn = min_of(threads / tm, n_panels);
        const int64_t rows = ceil_div(m_tiles, tm) * mr, cols = ceil_div(n_panels, tn) * nr;
        const int64_t cost = rows * cols * k + kPackCost * (rows + cols) * k;
        if (best_cost < 0 || cost < best_cost) {
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

// One packed B panel (kc x NR, nr columns live) times every MR-row panel of a packed A
// block of mc rows: an mc x nr strip of C.
template <typename T, typename Kernel>
void panel_times_block(int64_t mc, int64_t kc, const T* ap, const T* bpanel, T* c, int64_t rsc, int64_t csc, T alpha,
                       T beta, int64_t nr) {
    constexpr int MR = Kernel::kMR;
    for (int64_t ir = 0; ir < mc; ir += MR) {
        Kernel::run(kc, ap + ir * kc, bpanel, c + ir * rsc, rsc, csc, alpha, beta, min_of<int64_t>(MR, mc - ir), nr);
    }
}

// A packed A block of mc rows times the panels of an in-place B source (kInPlace: element
// (p, j) of the B operand is at b.column(j) + b.offsets[p], with unit column stride within
// each NR-wide panel, readable up to the panel's NR-th column), columns [j0, j0 + nc): no B
// packing at all.
template <typename T, typename Kernel, typename BSource>
void panels_in_place(int64_t mc, int64_t kc, const T* ap, const BSource& b, int64_t pc, int64_t j0, int64_t nc, T* c,
                     int64_t rsc, int64_t csc, T alpha, T beta) {
    constexpr int MR = Kernel::kMR;
    constexpr int NR = Kernel::kNR;
    for (int64_t jr = 0; jr < nc; jr += NR) {
        const int64_t nr = min_of<int64_t>(NR, nc - jr);
        for (int64_t ir = 0; ir < mc; ir += MR) {
            Kernel::template run<true>(kc, ap + ir * kc, b.column(j0 + jr), c + ir * rsc + jr * csc, rsc, csc, alpha,
                                       beta, min_of<int64_t>(MR, mc - ir), nr, b.offsets + pc);
        }
    }
}

// One thread's GEMM on its rectangle of C (the whole product when single-threaded): the
// BLIS loops of the header comment, packing into this thread's buffers. The rectangle's
// columns start at column j_base of the B source.
template <typename T, typename Kernel, int64_t MC, int64_t KC, int64_t NC, typename BSource>
void gemm_serial(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa, const BSource& b,
                 int64_t j_base, T beta, T* c, int64_t rsc, int64_t csc) {
    constexpr int MR = Kernel::kMR;
    constexpr int NR = Kernel::kNR;
    for (int64_t jc = 0; jc < n; jc += NC) {
        const int64_t nc = min_of(NC, n - jc);
        const int64_t b_panels = ceil_div(nc, NR);
        for (int64_t pc = 0; pc < k; pc += KC) {
            const int64_t kc = min_of(KC, k - pc);
            // Later slices of k accumulate onto what the first one wrote.
            const T beta_eff = pc == 0 ? beta : T(1);
            if constexpr (BSource::kInPlace) {
                // Nothing to pack on the B side: each A block meets every panel in place.
                for (int64_t ic = 0; ic < m; ic += MC) {
                    const int64_t mc = min_of(MC, m - ic);
                    T* ap = tls_pack_a.get<T>(ceil_div(mc, MR) * MR * kc);
                    pack_a<T, MR>(mc, kc, a + ic * rsa + pc * csa, rsa, csa, ap);
                    panels_in_place<T, Kernel>(mc, kc, ap, b, pc, j_base + jc, nc, c + ic * rsc + jc * csc, rsc, csc,
                                               alpha, beta_eff);
                }
            } else if (m <= MC) {
                // One block of rows (the batch of a Linear layer, a short-and-wide C): each B
                // panel serves only this block, so it is packed just before its use into a
                // buffer that stays in L1, instead of packing the whole KC x NC block first
                // and reading it back from L3.
                T* ap = tls_pack_a.get<T>(ceil_div(m, MR) * MR * kc);
                pack_a<T, MR>(m, kc, a + pc * csa, rsa, csa, ap);
                T* bp = tls_pack_b.get<T>(NR * kc);
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    const int64_t nr = min_of<int64_t>(NR, nc - jr);
                    b.template pack<NR>(pc, kc, j_base + jc + jr, nr, bp);
                    panel_times_block<T, Kernel>(m, kc, ap, bp, c + (jc + jr) * csc, rsc, csc, alpha, beta_eff, nr);
                }
            } else {
                T* bp = tls_pack_b.get<T>(b_panels * NR * kc);
                b.template pack<NR>(pc, kc, j_base + jc, nc, bp);
                for (int64_t ic = 0; ic < m; ic += MC) {
                    const int64_t mc = min_of(MC, m - ic);
                    T* ap = tls_pack_a.get<T>(ceil_div(mc, MR) * MR * kc);
                    pack_a<T, MR>(mc, kc, a + ic * rsa + pc * csa, rsa, csa, ap);
                    for (int64_t q = 0; q < b_panels; ++q) {
                        const int64_t jr = q * NR;
                        panel_times_block<T, Kernel>(mc, kc, ap, bp + q * kc * NR, c + ic * rsc + (jc + jr) * csc,
                                                     rsc, csc, alpha, beta_eff, min_of<int64_t>(NR, nc - jr));
                    }
                }
            }
        }
    }
}

// C = alpha * A * B + beta * C with B given by a source (see StridedB), split over threads
// by thread_grid. `parallel` false keeps it on the calling thread.
template <typename T, typename Kernel, int64_t MC, int64_t KC, int64_t NC, typename BSource>
void gemm_packed_source(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa,
                        const BSource& b, T beta, T* c, int64_t rsc, int64_t csc, bool parallel) {
    constexpr int MR = Kernel::kMR;
    constexpr int NR = Kernel::kNR;
    static_assert(MC % MR == 0 && NC % NR == 0, "cache blocks must hold whole register tiles");
    const int64_t threads = parallel ? get_num_threads() : 1;
    const int64_t m_tiles = ceil_div(m, MR), n_panels = ceil_div(n, NR);
    const ThreadGrid grid = thread_grid(threads, m_tiles, n_panels, k, MR, NR);
    if (grid.tm * grid.tn == 1) {
        gemm_serial<T, Kernel, MC, KC, NC>(m, n, k, alpha, a, rsa, csa, b, 0, beta, c, rsc, csc);
        return;
    }
    parallel_for(0, grid.tm * grid.tn, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t ti = t / grid.tn, tj = t % grid.tn;
            const int64_t row_begin = ti * m_tiles / grid.tm * MR;
            const int64_t row_end = min_of(m, (ti + 1) * m_tiles / grid.tm * MR);
            const int64_t col_begin = tj * n_panels / grid.tn * NR;
            const int64_t col_end = min_of(n, (tj + 1) * n_panels / grid.tn * NR);
            gemm_serial<T, Kernel, MC, KC, NC>(row_end - row_begin, col_end - col_begin, k, alpha,
                                               a + row_begin * rsa, rsa, csa, b, col_begin, beta,
                                               c + row_begin * rsc + col_begin * csc, rsc, csc);
        }
    });
}

template <typename T, typename Kernel, int64_t MC, int64_t KC, int64_t NC>
void gemm_packed(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa, const T* b,
                 int64_t rsb, int64_t csb, T beta, T* c, int64_t rsc, int64_t csc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == T(0)) {
        scale_c(m, n, beta, c, rsc, csc);
        return;
    }
    const bool parallel = m * n * k >= kParallelMinWork && !in_parallel_region();
    if ((m == 1 || n == 1) && gemv(m, n, k, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc, parallel)) return;
    gemm_packed_source<T, Kernel, MC, KC, NC>(m, n, k, alpha, a, rsa, csa, StridedB<T>{b, rsb, csb}, beta, c, rsc,
                                              csc, parallel);
}

}  // namespace
}  // namespace cmp::cpu
