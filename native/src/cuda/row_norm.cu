// Layer norm, RMS norm and group norm on CUDA (compute_cuda_row_norm: the CPU's RowNormPlan).
//
// Forward: a group of threads per row (cuda/lines.cuh: a warp for rows shorter than kLongLine
// elements, a block for longer ones) computes the row's mean and then the sum of squared
// deviations from it (two passes over the row in the accumulation type: float32 for float32 and
// the 16-bit floats, float64 for float64; as accurate as the CPU's Welford pass when
// |mean| >> std, and reductions of plain sums), rstd = 1 / sqrt(var + eps) and
// y = (x - mean) * rstd * w + b (cpu/row_norm_math.h, the fake backend's formulas too). RMS
// norm is the same with mean 0.
//
// Backward: the same groups give each row's sums of dy * w and dy * w * xhat, then grad_in.
// grad_weight / grad_bias are sums over the elements of one affine index, over every row of its
// group: a second kernel, either a tile of 32 parameters x 8 row slices per block whose slices
// are added in a fixed order (inner == 1: layer norm, consecutive parameters are consecutive
// elements), or a block per parameter reducing its rows' channel runs (group norm). Neither
// uses atomics, so every run gives the same bits.
#include "cpu/row_norm_math.h"
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/lines.cuh"

#include <math.h>

namespace cmp::cuda_backend {

namespace {

namespace rn = cpu::row_norm;

template <typename A>
struct Sum {
    __device__ static A identity() { return A(0); }
    __device__ static A combine(A a, A b) { return a + b; }
};

// The plan's sizes, as every kernel reads them.
struct RowShape {
    int64_t rows, row_len, channels, inner, groups;
};

template <typename T>
__device__ __forceinline__ opmath_t<T> param_or(const T* p, int64_t i, opmath_t<T> missing) {
    return p ? to_opmath(p[i]) : missing;
}

template <typename T>
struct ForwardRow {
    using A = opmath_t<T>;
    RowShape s;
    const T *x, *w, *b;
    T* y;
    A *mean, *rstd;
    A eps;
    bool rms;

    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        const int64_t n = s.row_len, r = l.base / n;
        const T* xr = x + l.base;
        A mu = 0;
        if (!rms) {
            A sum = 0;
            for (int64_t k = g.rank(); k < n; k += g.size()) sum += to_opmath(xr[k]);
            mu = g.all(Sum<A>{}, sum) / static_cast<A>(n);
        }
        A sq = 0;
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const A d = to_opmath(xr[k]) - mu;
            sq += d * d;
        }
        const A rs = rn::rstd_of(g.all(Sum<A>{}, sq) / static_cast<A>(n), eps);
        if (g.rank() == 0) {
            if (mean) mean[r] = mu;
            rstd[r] = rs;
        }
        T* yr = y + l.base;
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const int64_t c = rn::param_index(s.groups, s.channels, s.inner, r, k);
            yr[k] = from_opmath<T>(rn::normalized(to_opmath(xr[k]), mu, rs, param_or(w, c, A(1)), param_or(b, c, A(0))));
        }
    }
};

// Rows of no element: mean 0 and var 0, or NaN for RMS (0 / 0), as the CPU kernel.
template <typename A>
__global__ void empty_rows(int64_t rows, A* mean, A* rstd, A eps, bool rms) {
    const int64_t step = static_cast<int64_t>(blockDim.x) * gridDim.x;
    for (int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; r < rows; r += step) {
        if (mean) mean[r] = A(0);
        rstd[r] = rn::rstd_of(rms ? A(NAN) : A(0), eps);
    }
}

template <typename T>
struct BackwardRow {
    using A = opmath_t<T>;
    RowShape s;
    const T *go, *x, *w;
    const A *mean, *rstd;
    T* gi;
    bool rms;

    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        const int64_t n = s.row_len, r = l.base / n;
        const T* gr = go + l.base;
        const T* xr = x + l.base;
        const A mu = mean ? mean[r] : A(0), rs = rstd[r];
        A dyw = 0, dyw_xhat = 0;
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const A d = to_opmath(gr[k]) * param_or(w, rn::param_index(s.groups, s.channels, s.inner, r, k), A(1));
            dyw += d;
            dyw_xhat += d * rn::xhat_of(to_opmath(xr[k]), mu, rs);
        }
        const A a = rms ? A(0) : g.all(Sum<A>{}, dyw) / static_cast<A>(n);
        const A bq = g.all(Sum<A>{}, dyw_xhat) / static_cast<A>(n);
        T* ir = gi + l.base;
        for (int64_t k = g.rank(); k < n; k += g.size()) {
            const A wk = param_or(w, rn::param_index(s.groups, s.channels, s.inner, r, k), A(1));
            ir[k] = from_opmath<T>(rn::grad_input(to_opmath(gr[k]), wk, rn::xhat_of(to_opmath(xr[k]), mu, rs), rs, a, bq));
        }
    }
};

// The operands of grad_weight / grad_bias. Parameter p = (group, k) gathers, for each of the
// rows / groups rows of its group, the `inner` elements of channel k: term j is element
// j % inner of batch j / inner.
template <typename T>
struct ParamGrads {
    using A = opmath_t<T>;
    RowShape s;
    const T *go, *x;
    const A *mean, *rstd;
    T *gw, *gb;

    __device__ void add_term(int64_t p, int64_t j, A& sw, A& sb) const {
        const int64_t group = p / s.channels, k = p % s.channels;
        const int64_t batch = s.inner == 1 ? j : j / s.inner, i = s.inner == 1 ? 0 : j % s.inner;
        const int64_t r = batch * s.groups + group;
        const int64_t e = r * s.row_len + k * s.inner + i;
        const A dy = to_opmath(go[e]);
        sw += dy * rn::xhat_of(to_opmath(x[e]), mean ? mean[r] : A(0), rstd[r]);
        sb += dy;
    }
    __device__ void store(int64_t p, A sw, A sb) const {
        if (gw) gw[p] = from_opmath<T>(sw);
        if (gb) gb[p] = from_opmath<T>(sb);
    }
};

constexpr int kTileParams = 32;
constexpr int kTileSlices = kThreads / kTileParams;

// inner == 1: neighbouring threads take neighbouring parameters (coalesced rows); the block's
// kTileSlices slices of rows are added in slice order.
template <typename T>
__global__ void param_grads_tiles(ParamGrads<T> a, int64_t params, int64_t terms) {
    using A = opmath_t<T>;
    __shared__ A part_w[kTileSlices][kTileParams + 1];
    __shared__ A part_b[kTileSlices][kTileParams + 1];
    const int tx = static_cast<int>(threadIdx.x) % kTileParams, ty = static_cast<int>(threadIdx.x) / kTileParams;
    const int64_t p = static_cast<int64_t>(blockIdx.x) * kTileParams + tx;
    A sw = 0, sb = 0;
    if (p < params)
        for (int64_t j = ty; j < terms; j += kTileSlices) a.add_term(p, j, sw, sb);
    part_w[ty][tx] = sw;
    part_b[ty][tx] = sb;
    __syncthreads();
    if (ty == 0 && p < params) {
        for (int y = 1; y < kTileSlices; ++y) {
            sw += part_w[y][tx];
            sb += part_b[y][tx];
        }
        a.store(p, sw, sb);
    }
}

// inner > 1 (or 0): a block per parameter (grid-stride), its threads over the terms.
template <typename T>
__global__ void param_grads_blocks(ParamGrads<T> a, int64_t params, int64_t terms) {
    using A = opmath_t<T>;
    for (int64_t p = blockIdx.x; p < params; p += gridDim.x) {
        A sw = 0, sb = 0;
        for (int64_t j = threadIdx.x; j < terms; j += blockDim.x) a.add_term(p, j, sw, sb);
        sw = BlockGroup{}.all(Sum<A>{}, sw);
        sb = BlockGroup{}.all(Sum<A>{}, sb);
        if (threadIdx.x == 0) a.store(p, sw, sb);
    }
}

compute_cuda_lines rows_of(const compute_cuda_row_norm& d) {
    compute_cuda_lines l{};
    l.device = d.device;
    l.dtype = d.dtype;
    l.stream = d.stream;
    l.outer = d.rows;
    l.dim = d.row_len;
    l.inner = 1;
    return l;
}

template <typename T>
void forward_typed(const compute_cuda_row_norm& d) {
    using A = opmath_t<T>;
    const auto stream = static_cast<cudaStream_t>(d.stream);
    auto* mean = static_cast<A*>(d.mean);
    auto* rstd = static_cast<A*>(d.rstd);
    const A eps = static_cast<A>(d.eps);
    if (d.rows == 0) return;
    if (d.row_len == 0) {
        empty_rows<A><<<blocks_for(d.rows), kThreads, 0, stream>>>(d.rows, mean, rstd, eps, d.rms != 0);
        return;
    }
    const RowShape s{d.rows, d.row_len, d.channels, d.inner, d.groups};
    launch_lines(rows_of(d), ForwardRow<T>{s, static_cast<const T*>(d.x), static_cast<const T*>(d.weight),
                                           static_cast<const T*>(d.bias), static_cast<T*>(d.y), mean, rstd, eps,
                                           d.rms != 0});
}

template <typename T>
void backward_typed(const compute_cuda_row_norm& d) {
    using A = opmath_t<T>;
    const auto stream = static_cast<cudaStream_t>(d.stream);
    const RowShape s{d.rows, d.row_len, d.channels, d.inner, d.groups};
    const auto* go = static_cast<const T*>(d.grad_out);
    const auto* x = static_cast<const T*>(d.x);
    const auto* mean = static_cast<const A*>(d.mean);
    const auto* rstd = static_cast<const A*>(d.rstd);
    if (d.rows > 0 && d.row_len > 0)
        launch_lines(rows_of(d), BackwardRow<T>{s, go, x, static_cast<const T*>(d.weight), mean, rstd,
                                                static_cast<T*>(d.grad_in), d.rms != 0});
    const int64_t params = d.groups * d.channels;
    if (params == 0 || (!d.grad_weight && !d.grad_bias)) return;
    const ParamGrads<T> a{s, go, x, mean, rstd, static_cast<T*>(d.grad_weight), static_cast<T*>(d.grad_bias)};
    const int64_t terms = (d.rows / d.groups) * d.inner;
    if (d.inner == 1) {
        const int64_t tiles = (params + kTileParams - 1) / kTileParams;
        param_grads_tiles<T><<<static_cast<unsigned>(tiles), kThreads, 0, stream>>>(a, params, terms);
    } else {
        param_grads_blocks<T><<<static_cast<unsigned>(std::min<int64_t>(params, kMaxBlocks)), kThreads, 0, stream>>>(
            a, params, terms);
    }
}

// Checks what the kernels rely on, then runs body with scalar_t bound to the element type.
template <typename Body>
void run_row_norm(const char* what, const compute_cuda_row_norm& d, const Body& body) {
    if (d.rows < 0 || d.row_len < 0 || d.channels < 0 || d.inner < 0 || d.groups <= 0 ||
        d.channels * d.inner != d.row_len || d.rows % d.groups != 0)
        fail(CMP_STATUS_INVALID_ARGUMENT, what, ": inconsistent plan (rows ", d.rows, ", row_len ", d.row_len,
             ", channels ", d.channels, ", inner ", d.inner, ", groups ", d.groups, ")");
    const int32_t stat = d.dtype == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    if (d.stat_dtype != stat)
        fail(CMP_STATUS_DTYPE_MISMATCH, what, ": statistics of dtype ", d.stat_dtype, " for elements of dtype ", d.dtype);
    switch (d.dtype) {
        case CMP_DTYPE_FLOAT32: body(float{}); break;
        case CMP_DTYPE_FLOAT64: body(double{}); break;
        case CMP_DTYPE_FLOAT16: body(half_t{}); break;
        case CMP_DTYPE_BFLOAT16: body(bf16_t{}); break;
        default: fail(CMP_STATUS_DTYPE_MISMATCH, what, ": floating dtypes only, got dtype ", d.dtype);
    }
}

}  // namespace

int32_t row_norm(const compute_cuda_row_norm* desc) {
    const char* what = "cuda row_norm";
    return run_described(what, desc, [&](const compute_cuda_row_norm& d) {
        run_row_norm(what, d, [&](auto zero) { forward_typed<decltype(zero)>(d); });
    });
}

int32_t row_norm_backward(const compute_cuda_row_norm* desc) {
    const char* what = "cuda row_norm_backward";
    return run_described(what, desc, [&](const compute_cuda_row_norm& d) {
        run_row_norm(what, d, [&](auto zero) { backward_typed<decltype(zero)>(d); });
    });
}

}  // namespace cmp::cuda_backend
