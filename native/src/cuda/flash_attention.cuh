// Scaled dot-product attention in one pass over the keys (flash-attention style), forward and
// backward, for the compute_cuda_attention descriptor (backend_api_nn.h).
//
// Forward: a block takes R queries of one batch entry and walks the keys C at a time. Each key
// tile's scores (scale * q.k, the mask, the causal cut) go to shared memory, each query row
// updates its running maximum m and normaliser l (the partial output is rescaled by
// e^(m_old - m_new) when the maximum grows, exactly as cpu/kernels/attention.cpp does tile by
// tile), and the threads add the tile's weights times v into the outputs they own in registers.
// Only an R x C tile of the [L, S] weights ever exists.
//
// Backward: the weights are recomputed from the saved log-sum-exp (P = e^(s - lse)) and
// dS = P * (dP - dsum) with dP = dO v^T and dsum = rowsum(dO * O) (the identity the CPU kernel
// uses). One kernel has a block per key tile, owning those keys' grad_k and grad_v while it walks
// the queries; another a block per query tile, owning grad_q while it walks the keys. Each
// output has one owner, so there are no atomics and every run gives the same bits.
//
// Written in the plain subset of CUDA (threadIdx, blockIdx, __shared__, __syncthreads, no warp
// intrinsics, no dynamic shared memory) so that tests/cuda/simt_emulator.h can run these very
// kernels on the host: the fake backend does, and the routing tests compare them with the CPU.
// Arithmetic is in the element type (float32 or float64; the core converts 16-bit inputs), as
// on the CPU.
#pragma once

#include "core/philox_values.h"
#include "cuda/backend_api.h"

#include <math.h>
#include <stdint.h>

#include <string>

namespace cmp::cuda_backend::flash {

constexpr int kThreads = 128;

// Queries (rows) and keys per block, by element type and head bucket (E and Ev at most kHead:
// 64, 128 or 256),
// so that one block's shared memory stays within the 48 KiB a kernel has without opting in.
template <typename T, int kHead>
struct Tiles;
template <>
struct Tiles<float, 64> {
    static constexpr int kRows = 32, kKeys = 32, kGradRows = 32, kGradKeys = 32;
};
template <>
struct Tiles<float, 128> {
    static constexpr int kRows = 32, kKeys = 16, kGradRows = 16, kGradKeys = 16;
};
template <>
struct Tiles<double, 64> {
    static constexpr int kRows = 32, kKeys = 16, kGradRows = 16, kGradKeys = 16;
};
template <>
struct Tiles<double, 128> {
    static constexpr int kRows = 16, kKeys = 8, kGradRows = 8, kGradKeys = 8;
};
template <>
struct Tiles<float, 256> {
    static constexpr int kRows = 16, kKeys = 8, kGradRows = 8, kGradKeys = 8;
};
template <>
struct Tiles<double, 256> {
    static constexpr int kRows = 8, kKeys = 4, kGradRows = 4, kGradKeys = 4;
};

// Rows of the tiles are padded by one element: threads reading element e of different rows
// then touch different banks.
template <int kHead>
constexpr int kLd = kHead + 1;

template <typename T, int kHead, int R, int C>
struct ForwardTiles {
    T q[R * kLd<kHead>];
    T k[C * kLd<kHead>];
    T v[C * kLd<kHead>];
    T s[R * (C + 1)];  // scores, then the tile's (dropped) weights
    T m[R], l[R], alpha[R];
};

template <typename T, int kHead, int R, int C>
struct GradTiles {
    T q[R * kLd<kHead>];
    T dout[R * kLd<kHead>];
    T k[C * kLd<kHead>];
    T v[C * kLd<kHead>];
    T p[R * (C + 1)];   // the dropped weights P * keep
    T ds[R * (C + 1)];  // dS = P * (dP * keep - dsum)
    T lse[R], dsum[R];
};

// How a block's threads share the work of a tile (the products are register-tiled: a thread
// loads a few elements of each operand per step and forms all their products).
//
// Products of R rows by C rows (the scores q . k and dP = dO . v): the thread owns an MR x MC
// corner, rows tr + i * RG and columns tc + j * CG; threads past RG * CG idle (the smallest tiles).
template <int R, int C>
struct PairLayout {
    static constexpr int MC = C < 4 ? C : 4, CG = C / MC;
    static constexpr int RG = R < kThreads / CG ? R : kThreads / CG, MR = R / RG;
    static_assert(C % MC == 0 && R % RG == 0, "tile sizes must split over the layout");
};

// Outputs of `Rows` rows of kHead elements (the forward's out, the gradients): the thread owns
// rows tr + i * RG (i < MR) and elements te + j * EG (j < 4).
template <int Rows, int kHead>
struct OutLayout {
    static constexpr int EG = kHead / 4, RG = kThreads / EG, MR = Rows / RG;
    static_assert(kThreads % EG == 0 && Rows % RG == 0 && MR > 0, "output rows must split evenly over the block's threads");
};

constexpr int kSharedLimit = 48 * 1024;
static_assert(sizeof(ForwardTiles<float, 64, 32, 32>) <= kSharedLimit && sizeof(ForwardTiles<float, 128, 32, 16>) <= kSharedLimit &&
                  sizeof(ForwardTiles<double, 64, 32, 16>) <= kSharedLimit &&
                  sizeof(ForwardTiles<double, 128, 16, 8>) <= kSharedLimit && sizeof(ForwardTiles<float, 256, 16, 8>) <= kSharedLimit &&
                  sizeof(ForwardTiles<double, 256, 8, 4>) <= kSharedLimit,
              "a forward block's tiles must fit 48 KiB of shared memory");
static_assert(sizeof(GradTiles<float, 64, 32, 32>) <= kSharedLimit && sizeof(GradTiles<float, 128, 16, 16>) <= kSharedLimit &&
                  sizeof(GradTiles<double, 64, 16, 16>) <= kSharedLimit && sizeof(GradTiles<double, 128, 8, 8>) <= kSharedLimit &&
                  sizeof(GradTiles<float, 256, 8, 8>) <= kSharedLimit && sizeof(GradTiles<double, 256, 4, 4>) <= kSharedLimit,
              "a backward block's tiles must fit 48 KiB of shared memory");

__device__ __forceinline__ float exp_of(float x) { return expf(x); }
__device__ __forceinline__ double exp_of(double x) { return exp(x); }
__device__ __forceinline__ float log_of(float x) { return logf(x); }
__device__ __forceinline__ double log_of(double x) { return log(x); }

__device__ __forceinline__ int64_t min_of(int64_t a, int64_t b) { return a < b ? a : b; }

template <typename T>
__device__ __forceinline__ T minus_inf() {
    return -static_cast<T>(INFINITY);
}

// Keys that can matter for queries up to i_last: all, or up to i_last with the causal cut.
__device__ __forceinline__ int64_t key_end(const compute_cuda_attention& d, int64_t i_last) {
    return d.causal ? min_of(d.S, i_last + 1) : d.S;
}

// The block's share of `count` rows taken `per` at a time, across the batch: block
// b * tiles + t has batch entry b and rows first .. first + n.
struct BlockRows {
    int64_t b, first, n;
};

__device__ __forceinline__ BlockRows block_rows(int64_t count, int per) {
    const int64_t tiles = (count + per - 1) / per, block = static_cast<int64_t>(blockIdx.x);
    const int64_t first = block % tiles * per;
    return {block / tiles, first, min_of(per, count - first)};
}

// The mask's element offset of batch entry b (its index split over the batch dims).
__device__ __forceinline__ int64_t mask_base(const compute_cuda_attention& d, int64_t b) {
    int64_t off = 0;
    for (int dim = d.mask_lead_dims - 1; dim >= 0; --dim) {
        off += (b % d.mask_lead_sizes[dim]) * d.mask_lead_strides[dim];
        b /= d.mask_lead_sizes[dim];
    }
    return off;
}

// Score (i, j) from the product q_i . k_j: scaled, then the mask (mask_row: the offset of row
// i's mask elements), then the causal cut, in the CPU kernel's order.
template <typename T>
__device__ __forceinline__ T score(const compute_cuda_attention& d, int64_t mask_row, int64_t i, int64_t j, T dot) {
    T s = dot * static_cast<T>(d.scale);
    if (d.mask) {
        const int64_t at = mask_row + j * d.mask_cs;
        if (d.mask_bool) s = static_cast<const uint8_t*>(d.mask)[at] != 0 ? s : minus_inf<T>();
        else s += static_cast<const T*>(d.mask)[at];
    }
    if (d.causal && j > i) s = minus_inf<T>();
    return s;
}

// Dropout's factor of weight (b, i, j): keep_scale when kept, else 0 (the CPU kernel's draw).
template <typename T>
__device__ __forceinline__ T keep_factor(const compute_cuda_attention& d, int64_t b, int64_t i, int64_t j) {
    const uint64_t n = static_cast<uint64_t>((b * d.L + i) * d.S + j);
    const PhiloxBlock block = philox_block(d.seed, d.offset + n / 4);
    return philox_keep(block, static_cast<int>(n % 4), d.threshold) ? static_cast<T>(d.keep_scale) : T(0);
}

// Rows [0, n) of the dense [n, cols] matrix at src into the tile dst (R padded rows), zeros past
// n and cols.
template <typename T, int R, int kHead>
__device__ __forceinline__ void load_rows(T* dst, const T* src, int64_t n, int64_t cols) {
    for (int x = static_cast<int>(threadIdx.x); x < R * kHead; x += kThreads) {
        const int r = x / kHead, e = x % kHead;
        dst[r * kLd<kHead> + e] = r < n && e < cols ? src[r * cols + e] : T(0);
    }
}

// The products x_r . y_c (n elements) of R padded rows of x and C of y: f(r, c, product) for
// each of the thread's corner (PairLayout).
template <typename T, int kHead, int R, int C, typename F>
__device__ __forceinline__ void pair_products(const T* x, const T* y, int64_t n, const F& f) {
    using P = PairLayout<R, C>;
    const int tid = static_cast<int>(threadIdx.x);
    if (tid >= P::RG * P::CG) return;
    const int tr = tid / P::CG, tc = tid % P::CG;
    T acc[P::MR][P::MC];
    for (int i = 0; i < P::MR; ++i)
        for (int j = 0; j < P::MC; ++j) acc[i][j] = T(0);
    for (int64_t e = 0; e < n; ++e) {
        T a[P::MR], b[P::MC];
        for (int i = 0; i < P::MR; ++i) a[i] = x[(tr + i * P::RG) * kLd<kHead> + e];
        for (int j = 0; j < P::MC; ++j) b[j] = y[(tc + j * P::CG) * kLd<kHead> + e];
        for (int i = 0; i < P::MR; ++i)
            for (int j = 0; j < P::MC; ++j) acc[i][j] += a[i] * b[j];
    }
    for (int i = 0; i < P::MR; ++i)
        for (int j = 0; j < P::MC; ++j) f(tr + i * P::RG, tc + j * P::CG, acc[i][j]);
}

// A thread's share of Rows output rows (OutLayout), in registers.
template <typename T, int Rows, int kHead>
struct OutTile {
    using O = OutLayout<Rows, kHead>;
    T v[O::MR][4];

    __device__ __forceinline__ int row(int i) const { return static_cast<int>(threadIdx.x) / O::EG + i * O::RG; }
    __device__ __forceinline__ int col(int j) const { return static_cast<int>(threadIdx.x) % O::EG + j * O::EG; }

    __device__ __forceinline__ void clear() {
        for (int i = 0; i < O::MR; ++i)
            for (int j = 0; j < 4; ++j) v[i][j] = T(0);
    }

    // v[row][e] += sum_{k < n} w(row, k) * z[k][e], w(row, k) = w[row * kWRow + k * kWCol] and z
    // a tile of padded rows.
    template <int kWRow, int kWCol>
    __device__ __forceinline__ void add_products(const T* w, const T* z, int64_t n) {
        for (int64_t k = 0; k < n; ++k) {
            T a[O::MR], b[4];
            for (int i = 0; i < O::MR; ++i) a[i] = w[row(i) * kWRow + k * kWCol];
            for (int j = 0; j < 4; ++j) b[j] = z[k * kLd<kHead> + col(j)];
            for (int i = 0; i < O::MR; ++i)
                for (int j = 0; j < 4; ++j) v[i][j] += a[i] * b[j];
        }
    }

    // dst[row * ld + e] = v * factor(row) for rows < rows and elements e < cols.
    template <typename F>
    __device__ __forceinline__ void store(T* dst, int64_t ld, int64_t rows, int64_t cols, const F& factor) const {
        for (int i = 0; i < O::MR; ++i) {
            if (row(i) >= rows) continue;
            const T f = factor(row(i));
            for (int j = 0; j < 4; ++j)
                if (col(j) < cols) dst[row(i) * ld + col(j)] = v[i][j] * f;
        }
    }
};

// One query row's online-softmax step over the tile's scores sr[0, nk): the new maximum and
// normaliser, the weights e^(s - m) in place (times dropout's factors), and the factor alpha
// the row's partial output is rescaled by. A row with nothing unmasked yet adds nothing.
template <typename T>
__device__ __forceinline__ void softmax_step(const compute_cuda_attention& d, int64_t b, int64_t i, int64_t j0, int64_t nk, T* sr,
                                             T& m, T& l, T& alpha) {
    T mx = m;
    for (int64_t c = 0; c < nk; ++c) mx = sr[c] > mx ? sr[c] : mx;
    if (mx == minus_inf<T>()) {
        for (int64_t c = 0; c < nk; ++c) sr[c] = T(0);
        alpha = T(1);
        return;
    }
    alpha = exp_of(m - mx);
    T sum = 0;
    for (int64_t c = 0; c < nk; ++c) {
        const T p = exp_of(sr[c] - mx);
        sr[c] = p;
        sum += p;
    }
    l = l * alpha + sum;
    m = mx;
    // The normaliser sums the undropped weights; the output takes the dropped ones.
    if (d.dropout_p > 0)
        for (int64_t c = 0; c < nk; ++c) sr[c] *= keep_factor<T>(d, b, i, j0 + c);
}

// out and lse of R queries of one batch entry (block b * query_tiles + tile).
template <typename T, int kHead>
__global__ void __launch_bounds__(kThreads) forward_kernel(const compute_cuda_attention d) {
    constexpr int R = Tiles<T, kHead>::kRows, C = Tiles<T, kHead>::kKeys, SL = C + 1;
    __shared__ ForwardTiles<T, kHead, R, C> sm;
    const int tid = static_cast<int>(threadIdx.x);
    const BlockRows rows = block_rows(d.L, R);
    const int64_t b = rows.b, i0 = rows.first, nq = rows.n;
    const T* k = static_cast<const T*>(d.k) + b * d.S * d.E;
    const T* v = static_cast<const T*>(d.v) + b * d.S * d.Ev;
    const int64_t mask0 = d.mask ? mask_base(d, b) : 0;
    load_rows<T, R, kHead>(sm.q, static_cast<const T*>(d.q) + (b * d.L + i0) * d.E, nq, d.E);
    if (tid < R) {
        sm.m[tid] = minus_inf<T>();
        sm.l[tid] = T(0);
    }
    OutTile<T, R, kHead> acc;
    acc.clear();
    const int64_t kend = key_end(d, i0 + nq - 1);
    for (int64_t j0 = 0; j0 < kend; j0 += C) {
        const int64_t nk = min_of(C, kend - j0);
        __syncthreads();  // the previous tile's readers are done
        load_rows<T, C, kHead>(sm.k, k + j0 * d.E, nk, d.E);
        load_rows<T, C, kHead>(sm.v, v + j0 * d.Ev, nk, d.Ev);
        __syncthreads();
        pair_products<T, kHead, R, C>(sm.q, sm.k, d.E, [&](int r, int c, T dot) {
            sm.s[r * SL + c] = r < nq && c < nk ? score<T>(d, mask0 + (i0 + r) * d.mask_rs, i0 + r, j0 + c, dot) : minus_inf<T>();
        });
        __syncthreads();
        if (tid < nq) softmax_step<T>(d, b, i0 + tid, j0, nk, sm.s + tid * SL, sm.m[tid], sm.l[tid], sm.alpha[tid]);
        __syncthreads();
        for (int i = 0; i < OutLayout<R, kHead>::MR; ++i) {
            const T alpha = acc.row(i) < nq ? sm.alpha[acc.row(i)] : T(1);
            for (int j = 0; j < 4; ++j) acc.v[i][j] *= alpha;
        }
        acc.template add_products<SL, 1>(sm.s, sm.v, nk);
    }
    __syncthreads();
    // A row with every key masked out has l = 0: 0 / 0 = NaN, as on the CPU.
    acc.store(static_cast<T*>(d.out) + (b * d.L + i0) * d.Ev, d.Ev, nq, d.Ev, [&](int r) { return T(1) / sm.l[r]; });
    if (tid < nq) static_cast<T*>(d.lse)[b * d.L + i0 + tid] = sm.m[tid] + log_of(sm.l[tid]);
}

// Queries i0.. (nq) of batch entry b with their output gradients, log-sum-exp and dsum.
template <typename T, int kHead, int R, int C>
__device__ __forceinline__ void load_queries(const compute_cuda_attention& d, GradTiles<T, kHead, R, C>& sm, int64_t b, int64_t i0,
                                             int64_t nq) {
    load_rows<T, R, kHead>(sm.q, static_cast<const T*>(d.q) + (b * d.L + i0) * d.E, nq, d.E);
    load_rows<T, R, kHead>(sm.dout, static_cast<const T*>(d.grad_out) + (b * d.L + i0) * d.Ev, nq, d.Ev);
    const int tid = static_cast<int>(threadIdx.x);
    if (tid < R) {
        sm.lse[tid] = tid < nq ? static_cast<const T*>(d.lse)[b * d.L + i0 + tid] : T(0);
        sm.dsum[tid] = tid < nq ? static_cast<const T*>(d.dsum)[b * d.L + i0 + tid] : T(0);
    }
}

// Keys j0.. (nk) of batch entry b with their values.
template <typename T, int kHead, int R, int C>
__device__ __forceinline__ void load_keys(const compute_cuda_attention& d, GradTiles<T, kHead, R, C>& sm, int64_t b, int64_t j0,
                                          int64_t nk) {
    load_rows<T, C, kHead>(sm.k, static_cast<const T*>(d.k) + (b * d.S + j0) * d.E, nk, d.E);
    load_rows<T, C, kHead>(sm.v, static_cast<const T*>(d.v) + (b * d.S + j0) * d.Ev, nk, d.Ev);
}

// The loaded tile's dropped weights P * keep and dS = P * (dP * keep - dsum), dP = dO . v,
// zeros outside the nq x nk corner. Two passes of products: first the weights (P in ds for a
// moment), then dP.
template <typename T, int kHead, int R, int C>
__device__ __forceinline__ void gradient_tile(const compute_cuda_attention& d, GradTiles<T, kHead, R, C>& sm, int64_t b, int64_t mask0,
                                              int64_t i0, int64_t nq, int64_t j0, int64_t nk) {
    constexpr int SL = C + 1;
    pair_products<T, kHead, R, C>(sm.q, sm.k, d.E, [&](int r, int c, T dot) {
        T p = 0;
        if (r < nq && c < nk) {
            const int64_t i = i0 + r;
            p = exp_of(score<T>(d, mask0 + i * d.mask_rs, i, j0 + c, dot) - sm.lse[r]);
        }
        sm.ds[r * SL + c] = p;
    });
    // Each (r, c) is written and then read by the same thread (the same layout both passes).
    pair_products<T, kHead, R, C>(sm.dout, sm.v, d.Ev, [&](int r, int c, T dp) {
        const T p = sm.ds[r * SL + c];
        T pd = p;
        if (r < nq && c < nk && d.dropout_p > 0) {
            // The dropped weights and, by the chain rule, dP both take the keep factor.
            const T f = keep_factor<T>(d, b, i0 + r, j0 + c);
            pd = p * f;
            dp *= f;
        }
        sm.p[r * SL + c] = pd;
        sm.ds[r * SL + c] = r < nq && c < nk ? p * (dp - sm.dsum[r]) : T(0);
    });
}

// grad_k and grad_v of C keys of one batch entry (block b * key_tiles + tile).
template <typename T, int kHead>
__global__ void __launch_bounds__(kThreads) key_grads_kernel(const compute_cuda_attention d) {
    constexpr int R = Tiles<T, kHead>::kGradRows, C = Tiles<T, kHead>::kGradKeys, SL = C + 1;
    __shared__ GradTiles<T, kHead, R, C> sm;
    const BlockRows keys = block_rows(d.S, C);
    const int64_t b = keys.b, j0 = keys.first, nk = keys.n;
    const int64_t mask0 = d.mask ? mask_base(d, b) : 0;
    load_keys(d, sm, b, j0, nk);
    OutTile<T, C, kHead> gk, gv;
    gk.clear();
    gv.clear();
    // With the causal cut, queries before the tile's first key see none of its keys.
    for (int64_t i0 = d.causal ? j0 / R * R : 0; i0 < d.L; i0 += R) {
        const int64_t nq = min_of(R, d.L - i0);
        __syncthreads();
        load_queries(d, sm, b, i0, nq);
        __syncthreads();
        gradient_tile(d, sm, b, mask0, i0, nq, j0, nk);
        __syncthreads();
        // grad_v[c] += sum_r Pd[r][c] dO[r], grad_k[c] += sum_r dS[r][c] q[r] (scaled below).
        gv.template add_products<1, SL>(sm.p, sm.dout, nq);
        gk.template add_products<1, SL>(sm.ds, sm.q, nq);
    }
    const T scale = static_cast<T>(d.scale);
    gk.store(static_cast<T*>(d.grad_k) + (b * d.S + j0) * d.E, d.E, nk, d.E, [&](int) { return scale; });
    gv.store(static_cast<T*>(d.grad_v) + (b * d.S + j0) * d.Ev, d.Ev, nk, d.Ev, [](int) { return T(1); });
}

// grad_q of R queries of one batch entry (block b * query_tiles + tile).
template <typename T, int kHead>
__global__ void __launch_bounds__(kThreads) query_grads_kernel(const compute_cuda_attention d) {
    constexpr int R = Tiles<T, kHead>::kGradRows, C = Tiles<T, kHead>::kGradKeys, SL = C + 1;
    __shared__ GradTiles<T, kHead, R, C> sm;
    const BlockRows rows = block_rows(d.L, R);
    const int64_t b = rows.b, i0 = rows.first, nq = rows.n;
    const int64_t mask0 = d.mask ? mask_base(d, b) : 0;
    load_queries(d, sm, b, i0, nq);
    OutTile<T, R, kHead> gq;
    gq.clear();
    const int64_t kend = key_end(d, i0 + nq - 1);
    for (int64_t j0 = 0; j0 < kend; j0 += C) {
        const int64_t nk = min_of(C, kend - j0);
        __syncthreads();
        load_keys(d, sm, b, j0, nk);
        __syncthreads();
        gradient_tile(d, sm, b, mask0, i0, nq, j0, nk);
        __syncthreads();
        gq.template add_products<SL, 1>(sm.ds, sm.k, nk);  // grad_q[r] += sum_c dS[r][c] k[c]
    }
    const T scale = static_cast<T>(d.scale);
    gq.store(static_cast<T*>(d.grad_q) + (b * d.L + i0) * d.E, d.E, nq, d.E, [&](int) { return scale; });
}

// Why d cannot run here (a sentence for the error), or empty.
inline std::string unsupported(const compute_cuda_attention& d) {
    if (d.dtype != CMP_DTYPE_FLOAT32 && d.dtype != CMP_DTYPE_FLOAT64)
        return "float32 or float64 elements only, got dtype " + std::to_string(d.dtype);
    if (d.batch < 0 || d.L < 0 || d.S < 0 || d.E < 0 || d.Ev < 0)
        return "negative size (batch " + std::to_string(d.batch) + ", L " + std::to_string(d.L) + ", S " + std::to_string(d.S) +
               ", E " + std::to_string(d.E) + ", Ev " + std::to_string(d.Ev) + ")";
    if (d.E > COMPUTE_CUDA_ATTENTION_MAX_HEAD || d.Ev > COMPUTE_CUDA_ATTENTION_MAX_HEAD)
        return "head sizes E " + std::to_string(d.E) + " and Ev " + std::to_string(d.Ev) + " above " +
               std::to_string(COMPUTE_CUDA_ATTENTION_MAX_HEAD);
    if (d.mask && (d.mask_lead_dims < 0 || d.mask_lead_dims > COMPUTE_CUDA_MAX_DIMS))
        return "mask with " + std::to_string(d.mask_lead_dims) + " batch dims";
    if (d.dropout_p < 0 || d.dropout_p >= 1) return "dropout_p " + std::to_string(d.dropout_p) + " outside [0, 1)";
    return {};
}

// The launches of the pass (kernel, blocks of kThreads threads each), in order, for launch.
template <typename T, int kHead, typename Launch>
void launches_of(const compute_cuda_attention& d, bool backward, const Launch& launch) {
    using Tl = Tiles<T, kHead>;
    const auto tiles = [](int64_t n, int64_t per) { return (n + per - 1) / per; };
    if (!backward) {
        launch(&forward_kernel<T, kHead>, d.batch * tiles(d.L, Tl::kRows));
        return;
    }
    launch(&key_grads_kernel<T, kHead>, d.batch * tiles(d.S, Tl::kGradKeys));
    launch(&query_grads_kernel<T, kHead>, d.batch * tiles(d.L, Tl::kGradRows));
}

// The instantiation for d's head bucket (64, 128 or 256 elements at most).
template <typename T, typename Launch>
void launches_for_head(const compute_cuda_attention& d, bool backward, const Launch& launch) {
    const int64_t head = d.E > d.Ev ? d.E : d.Ev;
    if (head <= 64) launches_of<T, 64>(d, backward, launch);
    else if (head <= 128) launches_of<T, 128>(d, backward, launch);
    else launches_of<T, 256>(d, backward, launch);
}

// Picks the instantiation for d's dtype and head sizes (d passed unsupported()).
template <typename Launch>
void run(const compute_cuda_attention& d, bool backward, const Launch& launch) {
    if (d.dtype == CMP_DTYPE_FLOAT64) launches_for_head<double>(d, backward, launch);
    else launches_for_head<float>(d, backward, launch);
}

}  // namespace cmp::cuda_backend::flash
