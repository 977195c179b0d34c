// The per-row arithmetic of cross_entropy and nll_loss on CUDA (the class_loss entry,
// compute_cuda_class_loss), written once for both sides of the backend table: cuda/class_loss.cu
// runs a row per thread, warp or block (cuda/lines.cuh's groups), and the fake backend of the
// routing tests (tests/cuda/fake_backend.cpp) runs the same functions on the host with one
// thread per row (SerialGroup), so the routing tests check these formulas against the CPU's.
//
// The formulas are the CPU kernel's (cpu/kernels/nn_loss_class.cpp) in the accumulation type A
// (float64 for float64, float32 otherwise, as PyTorch's CUDA kernels): a logits row's maximum m
// (x > m replaces it, so a NaN never becomes m but reaches the row's results through the sum of
// the exps; a row holding +inf or only -inf gives (inf - inf) = NaN, as the CPU and PyTorch) and
// the log of the sum of exp(x - m), log_s; the log-probabilities are (x - m) - log_s (never
// x - (m + log_s), which would round at m's magnitude). nll_loss's input holds them already.
// Every branch depends on the row only, so all threads of a group take it together.
#pragma once

#include "cuda/backend_api.h"
#include "cuda/combiners.h"

#include <math.h>

#include <cmath>
#include <cstdint>
#include <string>

// CMP_CLASS_LOSS_FN: the row code (device code in class_loss.cu, which runs it with the device's
// groups only); CMP_CLASS_LOSS_HD: what the host side of class_loss.cu also calls.
#if defined(__CUDACC__)
#define CMP_CLASS_LOSS_FN __device__ __forceinline__
#define CMP_CLASS_LOSS_HD __host__ __device__ __forceinline__
#else
#define CMP_CLASS_LOSS_FN inline
#define CMP_CLASS_LOSS_HD inline
#endif

namespace cmp::class_loss {

using cuda_backend::MaxOf;
using cuda_backend::SumOf;

// exp(x), or log(x) for Log: the CUDA math library's on the device, the C++ library's on the host.
template <bool Log, typename A>
CMP_CLASS_LOSS_FN A exp_or_log(A x) {
#if defined(__CUDA_ARCH__)
    return Log ? log(x) : exp(x);
#else
    return Log ? std::log(x) : std::exp(x);
#endif
}

// No bad row yet (the device buffer is cleared to all-ones bytes).
constexpr unsigned long long kNoRow = ~0ull;

// Keeps the lowest row whose class index is out of range.
CMP_CLASS_LOSS_FN void note_bad_row(unsigned long long* first, int64_t r) {
#if defined(__CUDA_ARCH__)
    atomicMin(first, static_cast<unsigned long long>(r));
#else
    if (static_cast<unsigned long long>(r) < *first) *first = static_cast<unsigned long long>(r);
#endif
}

// The CPU kernel's message (the core puts the op's name in front).
inline std::string out_of_range(int64_t target, int64_t classes, int64_t row) {
    return "target " + std::to_string(target) + " is out of bounds for " + std::to_string(classes) +
           " classes (target element " + std::to_string(row) + ")";
}

// One thread per row (the host's group; the device's are cuda/lines.cuh's).
struct SerialGroup {
    int rank() const { return 0; }
    int size() const { return 1; }
    template <typename C, typename A>
    A all(const C&, A v) const {
        return v;
    }
};

// The line of classes of a row laid out (outer, classes, inner) as cuda/lines.cuh walks it:
// classes is at least 1 there, so a row index comes back from its base.
CMP_CLASS_LOSS_HD int64_t line_dim(int64_t classes) { return classes > 0 ? classes : 1; }
CMP_CLASS_LOSS_HD int64_t base_of(int64_t r, int64_t classes, int64_t inner) {
    return (r / inner) * line_dim(classes) * inner + r % inner;
}

// One pass (forward or backward) of compute_cuda_class_loss over element type T (the device's or
// the host's 16-bit types convert to A with static_cast).
template <typename T, typename A>
struct Rows {
    const T* in;
    const int64_t* idx;  // class-index targets, or null
    const T* prob;       // probability targets, or null
    const T* w;          // class weights, or null
    int64_t classes, inner, ignore_index;
    A smoothing;
    bool logits;
    A* loss;
    A* row_weight;
    const A* grad_rows;
    int64_t grad_stride;
    T* grad_input;
    T* grad_target;
    unsigned long long* bad_row;  // where out-of-range rows are noted (class-index targets)

    CMP_CLASS_LOSS_FN int64_t row_of(int64_t base) const {
        return (base / (line_dim(classes) * inner)) * inner + base % inner;
    }
    CMP_CLASS_LOSS_FN A weight(int64_t c) const { return w ? static_cast<A>(w[c]) : A(1); }
    // The smoothed probability target of class c: (1 - eps) t_c + eps / C.
    CMP_CLASS_LOSS_FN A smoothed(const T* t, int64_t c) const {
        return (A(1) - smoothing) * static_cast<A>(t[c * inner]) + smoothing / static_cast<A>(classes);
    }

    // m and log_s of the row at x (both 0 for nll_loss).
    template <typename G>
    CMP_CLASS_LOSS_FN void lse(const G& g, const T* x, A& m, A& log_s) const {
        m = A(0);
        log_s = A(0);
        if (!logits) return;
        A mx = MaxOf<A>::identity();
        for (int64_t k = g.rank(); k < classes; k += g.size()) mx = MaxOf<A>::combine(mx, static_cast<A>(x[k * inner]));
        m = g.all(MaxOf<A>{}, mx);
        A s = 0;
        for (int64_t k = g.rank(); k < classes; k += g.size()) s += exp_or_log<false>(static_cast<A>(x[k * inner]) - m);
        log_s = exp_or_log<true>(g.all(SumOf<A>{}, s));
    }

    // The class of row r; -1 when ignored, -2 when out of range (noted in bad_row).
    template <typename G>
    CMP_CLASS_LOSS_FN int64_t target_class(const G& g, int64_t r) const {
        const int64_t t = idx[r];
        if (t == ignore_index) return -1;
        if (t < 0 || t >= classes) {
            if (g.rank() == 0) note_bad_row(bad_row, r);
            return -2;
        }
        return t;
    }

    // loss[r] (when loss is not null) and row_weight[r] of the row at base.
    template <typename G>
    CMP_CLASS_LOSS_FN void forward(const G& g, int64_t base) const {
        const int64_t r = row_of(base);
        const T* x = in + base;
        A m, log_s;
        if (prob) {
            if (loss) {
                lse(g, x, m, log_s);
                const T* t = prob + base;
                A acc = 0;
                for (int64_t k = g.rank(); k < classes; k += g.size())
                    acc += weight(k) * smoothed(t, k) * ((static_cast<A>(x[k * inner]) - m) - log_s);
                acc = g.all(SumOf<A>{}, acc);
                if (g.rank() == 0) loss[r] = -acc;
            }
            if (g.rank() == 0) row_weight[r] = A(1);
            return;
        }
        const int64_t y = target_class(g, r);
        if (y < 0) {
            if (g.rank() == 0) {
                if (loss) loss[r] = y == -1 ? A(0) : A(NAN);
                row_weight[r] = A(0);
            }
            return;
        }
        const A wy = weight(y);
        if (loss) {
            lse(g, x, m, log_s);
            A v = -wy * ((static_cast<A>(x[y * inner]) - m) - log_s);
            if (smoothing > A(0)) {
                A acc = 0;
                for (int64_t k = g.rank(); k < classes; k += g.size())
                    acc += weight(k) * ((static_cast<A>(x[k * inner]) - m) - log_s);
                acc = g.all(SumOf<A>{}, acc);
                v = (A(1) - smoothing) * v - smoothing / static_cast<A>(classes) * acc;
            }
            if (g.rank() == 0) loss[r] = v;
        }
        if (g.rank() == 0) row_weight[r] = wy;
    }

    // grad_input (and grad_target) of the row at base.
    template <typename G>
    CMP_CLASS_LOSS_FN void backward(const G& g, int64_t base) const {
        const int64_t r = row_of(base);
        const A gr = grad_rows[r * grad_stride];
        const T* x = in + base;
        T* gx = grad_input + base;
        A m, log_s;
        if (prob) {
            const T* t = prob + base;
            lse(g, x, m, log_s);
            A mass = 0;
            for (int64_t k = g.rank(); k < classes; k += g.size()) mass += weight(k) * smoothed(t, k);
            mass = g.all(SumOf<A>{}, mass);
            for (int64_t k = g.rank(); k < classes; k += g.size()) {
                const A logp = (static_cast<A>(x[k * inner]) - m) - log_s;
                gx[k * inner] = static_cast<T>(gr * (exp_or_log<false>(logp) * mass - weight(k) * smoothed(t, k)));
                if (grad_target) grad_target[base + k * inner] = static_cast<T>(-gr * (A(1) - smoothing) * weight(k) * logp);
            }
            return;
        }
        const int64_t y = target_class(g, r);
        if (y < 0 || !logits) {
            // Ignored (or out of range) rows get zeros; nll_loss puts -g * w_y at the target.
            const A at_y = y >= 0 ? -gr * weight(y) : A(0);
            for (int64_t k = g.rank(); k < classes; k += g.size()) gx[k * inner] = static_cast<T>(k == y ? at_y : A(0));
            return;
        }
        lse(g, x, m, log_s);
        // grad = g * (softmax * mass - smoothed one-hot): mass = (1 - eps) w_y + eps / C * sum(w).
        const A eps_c = smoothing / static_cast<A>(classes);
        const A hard = (A(1) - smoothing) * weight(y);
        A wsum = static_cast<A>(classes);
        if (w && smoothing > A(0)) {
            A acc = 0;
            for (int64_t k = g.rank(); k < classes; k += g.size()) acc += weight(k);
            wsum = g.all(SumOf<A>{}, acc);
        }
        const A gm = gr * (hard + eps_c * wsum), ge = gr * eps_c;
        for (int64_t k = g.rank(); k < classes; k += g.size()) {
            const A p = exp_or_log<false>((static_cast<A>(x[k * inner]) - m) - log_s);
            A v = gm * p - ge * weight(k);
            if (k == y) v -= gr * hard;
            gx[k * inner] = static_cast<T>(v);
        }
    }
};

// The pass c describes over element type T, accumulating in A; bad_row may be null for
// probability targets.
template <typename T, typename A>
CMP_CLASS_LOSS_HD Rows<T, A> rows_of(const compute_cuda_class_loss& c, unsigned long long* bad_row) {
    Rows<T, A> k{};
    k.in = static_cast<const T*>(c.input);
    k.idx = c.prob_target ? nullptr : static_cast<const int64_t*>(c.target);
    k.prob = c.prob_target ? static_cast<const T*>(c.target) : nullptr;
    k.w = static_cast<const T*>(c.weight);
    k.classes = c.classes;
    k.inner = c.inner;
    k.ignore_index = c.ignore_index;
    k.smoothing = static_cast<A>(c.smoothing);
    k.logits = c.logits != 0;
    k.loss = static_cast<A*>(c.loss);
    k.row_weight = static_cast<A*>(c.row_weight);
    k.grad_rows = static_cast<const A*>(c.grad_rows);
    k.grad_stride = c.grad_rows_stride;
    k.grad_input = static_cast<T*>(c.grad_input);
    k.grad_target = static_cast<T*>(c.grad_target);
    k.bad_row = bad_row;
    return k;
}

}  // namespace cmp::class_loss
