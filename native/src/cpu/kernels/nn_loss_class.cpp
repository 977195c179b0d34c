// cross_entropy and nll_loss, forward and backward, one row (the class values of one sample
// position) at a time and rows in parallel.
//
// cross_entropy fuses log_softmax into the loss: a row's log-sum-exp is found with a max pass
// and an exp-sum pass over the row (while it sits in L1), and the log-probabilities x - lse are
// only formed where the loss needs them (the target class, or a weighted sum for smoothing and
// probability targets), never stored. The backward pass recomputes the log-sum-exp the same
// way and writes grad_input = g * (softmax * target_mass - smoothed_target) directly.
//
// Sums along a row are accumulated in fixed independent partials (float64, except the exps of
// a dense row: see exp_sum), so the loops vectorise without reassociation and the result does
// not depend on the thread count.
#include "core/parallel.h"
#include "cpu/loops.h"
#include "cpu/nn_loss_stubs.h"
#include "cpu/unary_math_vec.h"
#include "cpu/vec_math.h"
#include "cpu/vec_reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

namespace cmp::cpu {
namespace {

constexpr int kLanes = 8;

// Elements per block of exp_sum: summed in M lanes inside a block, blocks added in float64.
constexpr int64_t kExpBlock = 1024;

// The sum of f(c) over a row of n elements, f returning M. The terms are summed in M's own lanes
// (float32 lanes vectorise with an exp computed in f; a float64 accumulation capped the loop at
// the conversion rate and needed a row buffer to vectorise the exp at all), and only the totals
// of blocks of kExpBlock in float64, so a long row (a 50257-word vocabulary) loses no more than a
// row of kExpBlock.
template <typename M, typename F>
double block_sum(int64_t n, const F& f) {
    double total = 0;
    for (int64_t c0 = 0; c0 < n; c0 += kExpBlock)
        total += static_cast<double>(lane_sum<M>(std::min(kExpBlock, n - c0), [&](int64_t c) { return f(c0 + c); }));
    return total;
}

// sum of exp(x[c] - m) over a contiguous row.
template <typename M>
double exp_sum(const M* x, int64_t n, M m) {
    return block_sum<M>(n, [&](int64_t c) { return vexp(x[c] - m); });
}

// Largest value of a row; NaN when the row holds a NaN (it must reach the loss).
template <typename M, typename F>
M row_max(int64_t n, const F& f) {
    M acc[kLanes];
    std::fill(acc, acc + kLanes, -std::numeric_limits<M>::infinity());
    int64_t c = 0;
    for (; c + kLanes <= n; c += kLanes)
        for (int j = 0; j < kLanes; ++j) {
            const M v = f(c + j);
            acc[j] = (v > acc[j] || v != v) ? v : acc[j];
        }
    for (; c < n; ++c) {
        const M v = f(c);
        acc[c % kLanes] = (v > acc[c % kLanes] || v != v) ? v : acc[c % kLanes];
    }
    M m = acc[0];
    for (int j = 1; j < kLanes; ++j) m = (acc[j] > m || acc[j] != acc[j]) ? acc[j] : m;
    return m;
}

// One class-loss problem of element type T; Contig: rows are contiguous (inner == 1), so the
// class stride is the constant 1 and the row loops vectorise.
template <typename T, bool Contig>
struct ClassLoss {
    using M = opmath_t<T>;
    const ClassLossArgs& a;
    const T* in;
    const T* w;
    const T* prob;
    const int64_t* idx;
    int64_t step;
    double weight_total;  // sum of the class weights (classes when unweighted)

    explicit ClassLoss(const ClassLossArgs& args)
        : a(args), in(static_cast<const T*>(args.input)), w(static_cast<const T*>(args.weight)),
          prob(args.prob_target ? static_cast<const T*>(args.target) : nullptr),
          idx(args.prob_target ? nullptr : static_cast<const int64_t*>(args.target)), step(Contig ? 1 : args.inner) {
        weight_total = w ? lane_sum<double>(args.classes, [&](int64_t c) { return static_cast<M>(w[c]); })
                         : static_cast<double>(args.classes);
    }

    // Start of row r = o * inner + i in a tensor laid out like input.
    int64_t base(int64_t r) const { return (r / a.inner) * a.classes * a.inner + r % a.inner; }
    M weight(int64_t c) const { return w ? static_cast<M>(w[c]) : M(1); }

    // log-sum-exp of the row at x (0 for nll_loss, whose input already holds log-probs).
    double lse(const T* x) const {
        if (!a.logits) return 0.0;
        const int64_t n = a.classes, s = step;
        if constexpr (Contig && std::is_same_v<T, M> && kHasVecExtremum<T>) {
            // Dense float32/float64 rows: a vector max pass that also says whether every element
            // is finite, then one pass summing the exps. Rows holding NaN or inf take the exact
            // rule below (the vector max skips NaN).
            bool finite = false;
            const M m = dense_extremum<true>(x, n, &finite);
            if (finite && n > 0) return static_cast<double>(m) + std::log(exp_sum(x, n, m));
        }
        const M m = row_max<M>(n, [&](int64_t c) { return static_cast<M>(x[c * s]); });
        // A row whose max is +inf, -inf or NaN: x - max holds a NaN, so log_softmax (and with it
        // the loss and its gradient) is NaN for the whole row, as in PyTorch.
        if (!(std::abs(m) < std::numeric_limits<M>::infinity())) return std::numeric_limits<double>::quiet_NaN();
        // The exponentials go through a row buffer: a plain elementwise loop vectorises the exp,
        // which a loop that also accumulates in float64 lanes would not.
        thread_local std::vector<M> e;
        e.resize(static_cast<size_t>(n));
        M* ep = e.data();
        for (int64_t c = 0; c < n; ++c) ep[c] = vexp(static_cast<M>(x[c * s]) - m);
        const double sum = lane_sum<double>(n, [&](int64_t c) { return ep[c]; });
        return static_cast<double>(m) + std::log(sum);
    }

    // Dense float32/float64 logits whose elements are all finite: e[c] = exp(x[c] - m) for the
    // row's max m, and their sum (the same terms in the same order as lse's exp_sum, so the
    // log-sum-exp is the forward's). false, with e untouched, for other rows.
    bool dense_exps(const T* x, T* e, M* m, double* sum) const {
        if constexpr (Contig && std::is_same_v<T, M> && kHasVecExtremum<T>) {
            const int64_t n = a.classes;
            bool finite = false;
            *m = dense_extremum<true>(x, n, &finite);
            if (!finite || n == 0) return false;
            const M mm = *m;
            *sum = block_sum<M>(n, [&](int64_t c) {
                const M v = vexp(x[c] - mm);
                e[c] = v;
                return v;
            });
            return true;
        } else {
            (void)x, (void)e, (void)m, (void)sum;
            return false;
        }
    }

    // Asks for row r's input in L2 (a contiguous row only): the row passes are compute-bound
    // once the row is in cache, so fetching the next row while this one is computed keeps the
    // max pass from waiting on memory.
    void prefetch_row(int64_t r) const {
        if constexpr (Contig) {
            const char* p = reinterpret_cast<const char*>(in + base(r));
            const int64_t bytes = a.classes * static_cast<int64_t>(sizeof(T));
            for (int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(p + b, 0, 2);
        } else {
            (void)r;
        }
    }

    // The class index of row r, or -1 when it is ignored; throws when it is out of range.
    int64_t target_class(int64_t r) const {
        const int64_t t = idx[r];
        if (t == a.ignore_index) return -1;
        CMP_CHECK(t >= 0 && t < a.classes, INDEX_OUT_OF_RANGE, a.op, ": target ", t, " is out of bounds for ", a.classes,
                  " classes (target element ", r, ")");
        return t;
    }

    // The smoothed probability target of class c: (1 - eps) t_c + eps / C.
    double smoothed(const T* t, int64_t c) const {
        return (1.0 - a.smoothing) * static_cast<double>(static_cast<M>(t[c * step])) + a.smoothing / static_cast<double>(a.classes);
    }

    void forward(int64_t r, double* loss, double* row_weight) const {
        const T* x = in + base(r);
        const int64_t n = a.classes, s = step;
        if (prob) {
            const T* t = prob + base(r);
            const double l = lse(x);
            loss[r] = -lane_sum<double>(n, [&](int64_t c) { return weight(c) * smoothed(t, c) * (static_cast<M>(x[c * s]) - l); });
            row_weight[r] = 1.0;
            return;
        }
        const int64_t y = target_class(r);
        if (y < 0) {
            loss[r] = 0.0;
            row_weight[r] = 0.0;
            return;
        }
        const double l = lse(x);
        const double wy = weight(y);
        double v = -wy * (static_cast<double>(static_cast<M>(x[y * s])) - l);
        if (a.smoothing > 0) {
            const double smooth = -lane_sum<double>(n, [&](int64_t c) { return weight(c) * (static_cast<M>(x[c * s]) - l); });
            v = (1.0 - a.smoothing) * v + a.smoothing / static_cast<double>(n) * smooth;
        }
        loss[r] = v;
        row_weight[r] = wy;
    }

    void backward(int64_t r, double g, T* gin, T* gtarget) const {
        const int64_t b = base(r), n = a.classes, s = step;
        const T* x = in + b;
        T* gx = gin + b;
        if (prob) {
            const T* t = prob + b;
            const double l = lse(x);
            const double mass = lane_sum<double>(n, [&](int64_t c) { return weight(c) * smoothed(t, c); });
            for (int64_t c = 0; c < n; ++c) {
                const double p = std::exp(static_cast<double>(static_cast<M>(x[c * s])) - l);
                gx[c * s] = static_cast<T>(static_cast<M>(g * (p * mass - weight(c) * smoothed(t, c))));
            }
            if (gtarget) {
                T* gt = gtarget + b;
                for (int64_t c = 0; c < n; ++c)
                    gt[c * s] = static_cast<T>(static_cast<M>(-g * (1.0 - a.smoothing) * weight(c) *
                                                              (static_cast<double>(static_cast<M>(x[c * s])) - l)));
            }
            return;
        }
        const int64_t y = target_class(r);
        if (y < 0 || !a.logits) {
            for (int64_t c = 0; c < n; ++c) gx[c * s] = T(0);
            if (y >= 0) gx[y * s] = static_cast<T>(static_cast<M>(-g * weight(y)));
            return;
        }
        const double eps_c = a.smoothing / static_cast<double>(n);
        const double hard = (1.0 - a.smoothing) * weight(y);
        const double mass = hard + eps_c * weight_total;
        M m{};
        double sum = 0;
        double l;
        if (dense_exps(x, gx, &m, &sum)) {
            // One exp per element: the exps stored in gx are rescaled in place by g * mass / sum.
            // (PyTorch's backward starts from saved log-probabilities: one exp per element too.)
            // softmax = exp(x - m) / sum is at least as accurate as exp(x - lse) with lse rounded
            // to M, whose rounding error is multiplied by |lse| in the exponent.
            l = static_cast<double>(m) + std::log(sum);
            const M gm = static_cast<M>(g * mass / sum), ge = static_cast<M>(g * eps_c);
            if (w) {
                for (int64_t c = 0; c < n; ++c) gx[c] = gm * gx[c] - ge * static_cast<M>(w[c]);
            } else {
                for (int64_t c = 0; c < n; ++c) gx[c] = gm * gx[c] - ge;
            }
        } else {
            l = lse(x);
            if constexpr (std::is_same_v<M, float>) {
                // float32 math for the exp so the loop vectorises; the row factors stay float64.
                const M lf = static_cast<M>(l), gm = static_cast<M>(g * mass), ge = static_cast<M>(g * eps_c);
                if (w) {
                    for (int64_t c = 0; c < n; ++c)
                        gx[c * s] = static_cast<T>(gm * vexp(static_cast<M>(x[c * s]) - lf) - ge * static_cast<M>(w[c]));
                } else {
                    for (int64_t c = 0; c < n; ++c) gx[c * s] = static_cast<T>(gm * vexp(static_cast<M>(x[c * s]) - lf) - ge);
                }
            } else {
                for (int64_t c = 0; c < n; ++c)
                    gx[c * s] =
                        static_cast<T>(g * mass * vexp(static_cast<M>(x[c * s]) - static_cast<M>(l)) - g * eps_c * weight(c));
            }
        }
        // The target class gets its -g * hard term from the unrounded value, not from gx.
        const double py = std::exp(static_cast<double>(static_cast<M>(x[y * s])) - l);
        gx[y * s] = static_cast<T>(static_cast<M>(g * mass * py - g * eps_c * weight(y) - g * hard));
    }
};

int64_t grain_for(const ClassLossArgs& a) { return std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(a.classes, 1) / 4); }

template <typename F>
void with_class_loss(const ClassLossArgs& a, const F& f) {
    CMP_DISPATCH_FLOATING_TYPES(a.dtype, a.op, [&] {
        if (a.inner == 1) f(ClassLoss<scalar_t, true>(a));
        else f(ClassLoss<scalar_t, false>(a));
    });
}

void class_loss_forward(const ClassLossArgs& a, double* loss, double* row_weight) {
    with_class_loss(a, [&](const auto& k) {
        parallel_for(0, a.outer * a.inner, grain_for(a), [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                if (r + 1 < end) k.prefetch_row(r + 1);
                k.forward(r, loss, row_weight);
            }
        });
    });
}

void class_loss_backward(const ClassLossArgs& a, const double* grad_rows, double grad_scalar, void* grad_input,
                         void* grad_target) {
    with_class_loss(a, [&](const auto& k) {
        using T = std::remove_const_t<std::remove_pointer_t<decltype(k.in)>>;
        parallel_for(0, a.outer * a.inner, grain_for(a), [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                if (r + 1 < end) k.prefetch_row(r + 1);
                k.backward(r, grad_rows ? grad_rows[r] : grad_scalar, static_cast<T*>(grad_input), static_cast<T*>(grad_target));
            }
        });
    });
}

}  // namespace

CMP_REGISTER_KERNEL(class_loss_forward_stub, &class_loss_forward)
CMP_REGISTER_KERNEL(class_loss_backward_stub, &class_loss_backward)

}  // namespace cmp::cpu
