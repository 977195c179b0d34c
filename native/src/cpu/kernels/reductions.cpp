// The fold kernel behind prod, amax/amin, max/min/argmax/argmin, var/std, vector norms,
// logsumexp, any/all and count_nonzero (the scans cumsum/cumprod are in scan.cpp).
//
// Every op is an accumulator struct: init() gives the identity, step() takes one element (and
// its index along the reduced dims), combine() merges two partial accumulators, write() stores
// the result of one output. One driver runs them all with the loop shapes of the sum kernel:
// an inner reduction over each output's elements (with kLanes independent partials per row so
// the compiler can keep them in vector registers), chunk-parallel when there are few long
// outputs, or a column reduction that accumulates a block of neighbouring outputs per row.
// Partials are merged in a fixed order, so results do not depend on the thread count. What the
// ops share (block sizes, OutBase, fold_rows_lanes) is in cpu/fold_op_base.h; any/all and
// count_nonzero are in cpu/fold_logical.h.
#include "core/parallel.h"
#include "cpu/fold_logical.h"
#include "cpu/fold_op_base.h"
#include "cpu/fold_traits.h"
#include "cpu/loops.h"
#include "cpu/reduce_loops.h"
#include "cpu/reductions_stubs.h"
#include "cpu/row_blocks.h"
#include "cpu/unary_math_vec.h"
#include "cpu/vec_math.h"
#include "cpu/vec_reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace cmp::cpu {
namespace {

using namespace fold;

template <typename T>
using prod_out_t = std::conditional_t<std::is_integral_v<T>, int64_t, T>;

// Products of float32 multiply in float32, as PyTorch's do (its CPU prod keeps the element
// type; a float64 accumulator, which the other float32 folds use, ran at 0.55-0.78 of it and
// would also turn products whose partial products overflow float32 finite where PyTorch gives
// inf).
template <typename T>
struct ProdOp : OutBase<T, prod_out_t<T>> {
    using acc_t = std::conditional_t<std::is_same_v<T, float>, float, acc_type_t<T>>;
    using OutBase<T, prod_out_t<T>>::OutBase;
    acc_t init() const { return acc_t(1); }
    void step(acc_t& a, opmath_t<T> v, int64_t) const { a = wrap_mul(a, static_cast<acc_t>(v)); }
    void combine(acc_t& a, const acc_t& b) const { a = wrap_mul(a, b); }
    void write(const acc_t& a, int64_t off) const { this->out[off] = convert<prod_out_t<T>>(a); }

    // Dense float32 rows of kRowLanes * 2 .. kShortRow elements: fold_rows_lanes' kRowLanes
    // lanes, the rest stepped in order, for a block of short rows (fold_rows) and for a row alone
    // (fold_dense) alike, so a row's bits do not depend on the path. Rows of 16384 x 64: 0.55 ->
    // 0.7 of PyTorch, rows of 1024 0.65 -> 0.9-1.0. (float64 rows measured slower on the block
    // path, 112 -> 125 us on [16384, 64] and 22 -> 41 us on [4096, 33]; they keep fold_row_steps.)
    static constexpr bool kVecRows = kHasRowBlocks<T> && std::is_same_v<T, float>;
    static constexpr int kRowLanes = 16;
    static constexpr bool takes_rows(int64_t n) { return kVecRows && n >= 2 * kRowLanes; }
    // The rows fold_row offers fold_dense, which takes those of the block path's lengths; longer
    // ones go through fold_row_steps' 64 lanes (with fewer lanes, or row_blocks' single-row
    // form, two AVX-512 multiply chains and the per-call lane tree made rows of 1024 62 -> 76 us).
    static constexpr int64_t kDenseMin = 2 * kRowLanes;
    static constexpr int kLanes = kVecRows ? 64 : 16;
    // (Their last partial run is stepped in order, not read as vectors: readable is not needed.)
    void fold_rows(const T* base, const int64_t* offs, int count, int64_t n, int64_t, acc_t* acc, bool* done) const {
        if constexpr (kVecRows) fold_lanes(base, offs, count, n, acc, done);
        else std::fill(done, done + count, false);
    }
    bool fold_dense(const T* p, int64_t n, int64_t, acc_t& a) const {
        if constexpr (kVecRows) {
            if (n > kShortRow) return false;
            const int64_t off = 0;
            bool done = false;
            fold_lanes(p, &off, 1, n, &a, &done);
            return done;
        }
        (void)p, (void)n, (void)a;
        return false;
    }

private:
    void fold_lanes(const T* base, const int64_t* offs, int count, int64_t n, acc_t* acc, bool* done) const {
#if defined(__GNUC__)
        using V = typename BlockVec<T>::type;
        fold_rows_lanes<T, kRowLanes>(
            *this, base, offs, count, n, T(1),
            [](V& a, const T* p) {
                V x;
                load_as<T>(x, p);
                a *= x;
            },
            [](V& a, const V& b) { a *= b; }, acc, done);
#else
        (void)base, (void)offs, (void)n, (void)acc;
        std::fill(done, done + count, false);
#endif
    }
};

// amax/amin: NaN wins (once the accumulator is NaN no comparison replaces it).
template <typename T, bool Max>
struct ExtremumOp : OutBase<T, T> {
    using acc_t = opmath_t<T>;
    using OutBase<T, T>::OutBase;
    acc_t init() const {
        if constexpr (std::is_same_v<acc_t, bool>) return !Max;
        else if constexpr (std::is_floating_point_v<acc_t>) return Max ? -std::numeric_limits<acc_t>::infinity() : std::numeric_limits<acc_t>::infinity();
        else return Max ? std::numeric_limits<acc_t>::lowest() : std::numeric_limits<acc_t>::max();
    }
    void step(acc_t& a, acc_t v, int64_t) const {
        if constexpr (std::is_same_v<acc_t, bool>) a = Max ? (a || v) : (a && v);
        else a = (is_nan(v) || (Max ? v > a : v < a)) ? v : a;
    }
    void combine(acc_t& a, const acc_t& b) const { step(a, b, 0); }
    void write(const acc_t& a, int64_t off) const { this->out[off] = convert<T>(a); }

    // A dense float32/float64 row through vec_reduce.h's vector select (GCC 12 does not
    // vectorise the lanes of step(), whose NaN rule keeps it a scalar select). Rows holding a
    // NaN or an infinity (and other dtypes) return false and take step().
    bool fold_dense(const T* p, int64_t n, int64_t, acc_t& a) const {
        if constexpr (kHasVecExtremum<T>) {
            bool finite = false;
            const T m = dense_extremum<Max>(p, n, &finite);
            if (!finite) return false;
            step(a, m, 0);
            return true;
        }
        (void)p, (void)n, (void)a;
        return false;
    }

    // A block of nrows rows of len contiguous columns (the column path, e.g. amax over dim 0):
    // each column's extremum by column_extremum's vector select (vec_reduce.h), step()ped into
    // acc[j], which gives the bits of step()ping its elements one by one (the select keeps the
    // first element equal to the extremum). Columns holding a NaN or an infinity in the block
    // take step() row by row. False for other dtypes.
    bool fold_columns(const T* base, const int64_t* roff, int64_t nrows, int64_t r0, int64_t len, acc_t* acc) const {
        if constexpr (kHasVecExtremum<T>) {
            T m[kColBlock];
            bool finite[kColBlock];
            column_extremum<Max>(base, roff, nrows, len, m, finite);
            for (int64_t j = 0; j < len; ++j) {
                if (finite[j]) step(acc[j], m[j], 0);
                else
                    for (int64_t r = 0; r < nrows; ++r) step(acc[j], static_cast<acc_t>(base[roff[r] + j]), r0 + r);
            }
            return true;
        }
        (void)base, (void)roff, (void)nrows, (void)r0, (void)len, (void)acc;
        return false;
    }
};

// max/min with indices and argmax/argmin: the first NaN wins, then the strictly better value;
// equal values keep the lower index (PyTorch CPU). index < 0 marks an empty accumulator.
template <typename T, bool Max>
struct ArgExtremumOp {
    using in_t = T;
    using V = opmath_t<T>;
    struct acc_t {
        V v;
        int64_t i;
    };
    static constexpr DType out_dtype = dtype_of<T>;
    T* out;  // values, may be null (argmax)
    int64_t* indices;
    ArgExtremumOp(const ReducePlan& p, const FoldArgs& args)
        : out(static_cast<T*>(p.out)), indices(static_cast<int64_t*>(args.indices)) {}
    static bool better(V v, V cur) {
        if (is_nan(cur)) return false;
        if (is_nan(v)) return true;
        return Max ? v > cur : v < cur;
    }
    acc_t init() const { return {V{}, -1}; }
    void step(acc_t& a, V v, int64_t i) const {
        if (a.i < 0 || better(v, a.v)) a = {v, i};
    }
    void combine(acc_t& a, const acc_t& b) const {
        if (b.i < 0) return;
        if (a.i < 0 || better(b.v, a.v) || (!better(a.v, b.v) && b.i < a.i)) a = b;
    }
    // A dense float32/float64 row of finite elements: the extremum by vec_reduce.h's vector
    // select, then the first element equal to it, found a vector's width at a time (the scalar
    // step() is a compare-and-branch per element, 0.4 of PyTorch on rows of 64). The value kept
    // is that element's own (+0 and -0 compare equal). Rows holding a NaN or an infinity (and
    // other dtypes) return false and take step().
    bool fold_dense(const T* p, int64_t n, int64_t idx0, acc_t& a) const {
        if constexpr (kHasVecExtremum<T>) {
            bool finite = false;
            const T m = dense_extremum<Max>(p, n, &finite);
            if (!finite) return false;
            int64_t i = 0;
#if defined(__GNUC__)
            // A vector of elements at a time, compared as one (GCC left the per-element compare
            // loop scalar: four fifths of an argmax over rows of 1024).
            using BV = typename BlockVec<T>::type;
            constexpr int64_t kW = BlockVec<T>::kLanes;
            const BV mv = BV{} + m;
            for (; i + kW <= n; i += kW) {
                BV x;
                std::memcpy(&x, p + i, sizeof x);
                const auto eq = x == mv;
                uint64_t words[sizeof eq / 8], any = 0;
                std::memcpy(words, &eq, sizeof eq);
                for (const uint64_t w : words) any |= w;
                if (any) break;
            }
#endif
            while (p[i] != m) ++i;  // m is an element of the row, so this stops within it
            combine(a, {static_cast<V>(p[i]), idx0 + i});
            return true;
        }
        (void)p, (void)n, (void)idx0, (void)a;
        return false;
    }
    void write(const acc_t& a, int64_t off) const {
        if (out) out[off] = convert<T>(a.v);
        indices[off] = a.i;
    }
};

// Welford's running mean and sum of squared deviations in float64 (as PyTorch's CPU var), merged
// with Chan's formula; divisor max(n - correction, 0) as in PyTorch.
template <typename T, bool Sqrt>
struct WelfordOp : OutBase<T, T> {
    struct acc_t {
        double mean, m2, n;
    };
    double correction;
    T* mean_out;
    WelfordOp(const ReducePlan& p, const FoldArgs& args)
        : OutBase<T, T>(p), correction(args.param), mean_out(static_cast<T*>(args.mean)) {}
    acc_t init() const { return {0, 0, 0}; }
    void step(acc_t& a, opmath_t<T> x, int64_t) const {
        const double v = static_cast<double>(x);
        a.n += 1;
        const double d = v - a.mean;
        a.mean += d / a.n;
        a.m2 += d * (v - a.mean);
    }
    void combine(acc_t& a, const acc_t& b) const {
        if (b.n == 0) return;
        if (a.n == 0) {
            a = b;
            return;
        }
        const double n = a.n + b.n, d = b.mean - a.mean;
        a.mean += d * (b.n / n);
        a.m2 += b.m2 + d * d * (a.n * b.n / n);
        a.n = n;
    }
    // Dense float32/float64 rows, a block of kMomentBlock elements at a time (in L1 for its
    // passes), by the corrected two-pass algorithm in float64 lanes (lane_sum, vectorised): the
    // block's mean, then its squared deviations from it less (sum of deviations)^2 / n, which
    // takes out the rounding of the mean (Chan, Golub and LeVeque's "corrected" form); each
    // block merges into a by Chan's formula, as any partial does. (Welford's division per element kept the row path scalar: 1.2 ns an element,
    // half numpy's speed on var over rows of 1024. One pass giving both sums of the deviations
    // was not vectorised by GCC 12: scalar accumulators on the stack.) A block whose sum is not
    // finite (an inf or NaN in it, or float64 values near the overflow) is stepped as before,
    // so what such rows give does not change.
    static constexpr int64_t kMomentBlock = 2048;
    bool fold_dense(const T* p, int64_t n, int64_t idx0, acc_t& a) const {
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
            for (int64_t b = 0; b < n; b += kMomentBlock) {
                const T* q = p + b;
                const int64_t m = std::min(kMomentBlock, n - b);
                const double count = static_cast<double>(m);
                // Shifted by the first element: a constant block has mean exactly c0 and every
                // deviation 0, so its variance is exactly 0, as Welford's (the plain sum of float64
                // values can round the mean an ulp away, which left 4e-33 for a row of 1/3).
                const double c0 = static_cast<double>(q[0]);
                const double mean = c0 + lane_sum<double>(m, [q, c0](int64_t i) { return static_cast<double>(q[i]) - c0; }) / count;
                if (!std::isfinite(mean)) {
                    for (int64_t i = 0; i < m; ++i) step(a, q[i], idx0 + b + i);
                    continue;
                }
                const double dev = lane_sum<double>(m, [q, mean](int64_t i) { return static_cast<double>(q[i]) - mean; });
                const double sq = lane_sum<double>(m, [q, mean](int64_t i) {
                    const double d = static_cast<double>(q[i]) - mean;
                    return d * d;
                });
                combine(a, acc_t{mean, std::max(0.0, sq - dev * dev / count), count});
            }
            return true;
        }
        (void)p, (void)n, (void)idx0, (void)a;
        return false;
    }
    // Columns (fold_outer: a block of at most kRowBlock rows of len contiguous columns): the same
    // corrected two passes per column over the block's rows, each pass a loop across the columns
    // that vectorises, shifted by the block's first row (a constant column gives exactly 0); each
    // column's block merges into acc[j] by Chan's formula. A column whose block mean is not finite
    // is stepped as before. (GCC 12's vectorisation of these loops proved fragile: with the fold
    // driver moved into a header ahead of the op structs they ran scalar, 2.8x slower; see
    // 76dae74. Re-measure var over dim 0 after moving code around this file.)
    bool fold_columns(const T* base, const int64_t* roff, int64_t nrows, int64_t r0, int64_t len, acc_t* acc) const {
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
            double mean[kColBlock], dev[kColBlock], sq[kColBlock];
            const T* first = base + roff[0];
            for (int64_t j = 0; j < len; ++j) {
                mean[j] = static_cast<double>(first[j]);
                dev[j] = 0.0;
            }
            for (int64_t r = 0; r < nrows; ++r) {
                const T* __restrict row = base + roff[r];
                for (int64_t j = 0; j < len; ++j) dev[j] += static_cast<double>(row[j]) - mean[j];
            }
            const double count = static_cast<double>(nrows);
            for (int64_t j = 0; j < len; ++j) {
                mean[j] += dev[j] / count;
                dev[j] = sq[j] = 0.0;
            }
            for (int64_t r = 0; r < nrows; ++r) {
                const T* __restrict row = base + roff[r];
                for (int64_t j = 0; j < len; ++j) {
                    const double d = static_cast<double>(row[j]) - mean[j];
                    dev[j] += d;
                    sq[j] += d * d;
                }
            }
            for (int64_t j = 0; j < len; ++j) {
                if (std::isfinite(mean[j])) {
                    combine(acc[j], acc_t{mean[j], std::max(0.0, sq[j] - dev[j] * dev[j] / count), count});
                } else {
                    for (int64_t r = 0; r < nrows; ++r) step(acc[j], base[roff[r] + j], r0 + r);
                }
            }
            return true;
        }
        (void)base, (void)roff, (void)nrows, (void)r0, (void)len, (void)acc;
        return false;
    }
    void write(const acc_t& a, int64_t off) const {
        const double divisor = a.n > correction ? a.n - correction : 0.0;
        const double var = a.m2 / divisor;
        this->out[off] = convert<T>(Sqrt ? std::sqrt(var) : var);
        if (mean_out) mean_out[off] = convert<T>(a.n > 0 ? a.mean : std::numeric_limits<double>::quiet_NaN());
    }
};

enum class NormKind { Zero, One, Two, Inf, NegInf, P };

// Vector norms accumulate in the sum accumulation type; inf/-inf norms are NaN-propagating
// max/min of |x| (PyTorch gives NaN for a NaN element). The float32 1- and 2-norms add |x| or
// x * x in float32, as PyTorch does (so squares beyond float32's range make the norm inf, as
// there), through the float32 sum's cascade (vec_reduce.h), more accurate than PyTorch's plain
// lanes: dense rows by cascade_sum, blocks of short rows by cascade_sum_rows, which give the
// same bits (the float64 accumulator these had ran at 0.88 of PyTorch on rows of 64).
template <typename T, NormKind K>
struct NormOp : OutBase<T, T> {
    static constexpr int kLanes = 16;
    static constexpr bool kCascade = std::is_same_v<T, float> && (K == NormKind::One || K == NormKind::Two);
    using acc_t = std::conditional_t<kCascade, float, acc_type_t<T>>;
    using Map = std::conditional_t<K == NormKind::Two, SumOfSquares, SumOfAbs>;
    acc_t p;
    NormOp(const ReducePlan& plan, const FoldArgs& args) : OutBase<T, T>(plan), p(static_cast<acc_t>(args.param)) {}
    acc_t init() const {
        if constexpr (K == NormKind::Inf) return acc_t(0);  // |x| >= 0; only empty-free reductions reach here
        else if constexpr (K == NormKind::NegInf) return std::numeric_limits<acc_t>::infinity();
        else return acc_t(0);
    }
    void step(acc_t& a, opmath_t<T> x, int64_t) const {
        const acc_t v = std::abs(static_cast<acc_t>(x));
        if constexpr (K == NormKind::Zero) a += v != 0 ? acc_t(1) : acc_t(0);
        else if constexpr (K == NormKind::One) a += v;
        else if constexpr (K == NormKind::Two) a += v * v;
        else if constexpr (K == NormKind::P) a += std::pow(v, p);
        else a = (is_nan(v) || (K == NormKind::Inf ? v > a : v < a)) ? v : a;
    }
    void combine(acc_t& a, const acc_t& b) const {
        if constexpr (K == NormKind::Inf || K == NormKind::NegInf) a = (is_nan(b) || (K == NormKind::Inf ? b > a : b < a)) ? b : a;
        else a += b;
    }
    void write(const acc_t& a, int64_t off) const {
        acc_t r = a;
        if constexpr (K == NormKind::Two) r = std::sqrt(a);
        else if constexpr (K == NormKind::P) r = std::pow(a, acc_t(1) / p);
        this->out[off] = convert<T>(r);
    }

    bool fold_dense(const T* x, int64_t n, int64_t, acc_t& a) const {
        if constexpr (kCascade) {
            a += cascade_sum(x, n, Map());
            return true;
        }
        (void)x, (void)n, (void)a;
        return false;
    }
    // Blocks of short rows: of those fold_row hands fold_dense (2 * kLanes elements and more),
    // the lengths where the block path wins, all but multiples of 16: cascade_sum runs those at
    // full vector width with no partial run, and was 5-10% faster than the block path for 2-norms
    // of rows of 64 and 128 (AVX2 and AVX-512, 2026-12-07; plain sums of them are faster on the
    // block path); other lengths were 1.2-1.8 times faster on it.
    static constexpr bool takes_rows(int64_t n) { return kCascade && kHasRowBlocks<float> && n >= 2 * kLanes && n % 16 != 0; }
    void fold_rows(const T* base, const int64_t* offs, int count, int64_t n, int64_t readable, acc_t* acc, bool* done) const {
        std::fill(done, done + count, takes_rows(n));
#if defined(__GNUC__)
        if constexpr (kCascade) {
            if (!takes_rows(n)) return;
            float s[kShortRowBlock];
            cascade_sum_blocks(base, offs, count, n, s, readable, Map());
            for (int r = 0; r < count; ++r) acc[r] += s[r];
        }
#else
        (void)base, (void)offs, (void)acc;
#endif
    }
};

template <typename T>
using lse_out_t = std::conditional_t<std::is_integral_v<T>, float, T>;

// Online log-sum-exp: the running maximum m and sum s of exp(x - m); a larger element rescales
// s. One pass, never overflows. -inf elements add nothing; +inf makes the result +inf; NaN wins.
template <typename T>
struct LogSumExpOp : OutBase<T, lse_out_t<T>> {
    using A = acc_type_t<lse_out_t<T>>;
    struct acc_t {
        A m, s;
    };
    using OutBase<T, lse_out_t<T>>::OutBase;
    static constexpr A kInf = std::numeric_limits<A>::infinity();
    acc_t init() const { return {-kInf, 0}; }
    void step(acc_t& a, opmath_t<T> x, int64_t) const { combine(a, {static_cast<A>(x), 1}); }
    void combine(acc_t& a, const acc_t& b) const {
        // NaN first, whichever side: a +inf seen before a NaN must not hide it (torch gives NaN).
        if (std::isnan(a.m)) return;
        if (std::isnan(b.m)) {
            a = b;
            return;
        }
        if (b.m == -kInf || a.m == kInf) return;
        if (a.m == -kInf || b.m == kInf) {
            a = b;
            return;
        }
        if (b.m > a.m) {
            a.s = a.s * std::exp(a.m - b.m) + b.s;
            a.m = b.m;
        } else {
            a.s += b.s * std::exp(b.m - a.m);
        }
    }
    // A dense float32/float64 row of finite elements in two vectorised passes, as PyTorch: the
    // maximum m (vec_reduce.h), then the sum of exp(x - m) with vec_math.h's exp in the input's
    // precision, accumulated in A. Rows holding a NaN or an infinity (and other dtypes) return
    // false and take step(), whose rules give PyTorch's results for them.
    bool fold_dense(const T* p, int64_t n, int64_t, acc_t& a) const {
        if constexpr (kHasVecExtremum<T>) {
            bool finite = false;
            const T m = dense_extremum<true>(p, n, &finite);
            if (!finite) return false;
            // Lanes of T over blocks of kExpBlock, each block's sum added into A: a T -> A
            // conversion inside the lanes kept GCC from vectorising the exp (0.2 of PyTorch).
            // A block adds at most 256 values in (0, 1], 16 per lane, so its error stays a few ulps of T.
            constexpr int64_t kExpBlock = 256;
            A s = 0;
            for (int64_t b = 0; b < n; b += kExpBlock) {
                const T* q = p + b;
                s += static_cast<A>(lane_sum<T>(std::min(kExpBlock, n - b), [&](int64_t i) { return vexp(q[i] - m); }));
            }
            combine(a, {static_cast<A>(m), s});
            return true;
        }
        (void)p, (void)n, (void)a;
        return false;
    }
    // A block of nrows rows (input offsets roff from base, reduced indices r0...) of len
    // contiguous columns (the column path, e.g. logsumexp over dim 0), vectorised across the
    // columns in the same two passes as fold_dense: each column's maximum, then its sum of
    // exp(x - m) in float lanes over runs of kExpRun rows, each run added into A. Columns
    // holding a NaN or an infinity in the block take step() row by row. False for other dtypes.
    bool fold_columns(const T* base, const int64_t* roff, int64_t nrows, int64_t r0, int64_t len, acc_t* acc) const {
        if constexpr (kHasVecExtremum<T>) {
            constexpr int64_t kExpRun = 16;
            T m[kColBlock], part[kColBlock];
            bool finite[kColBlock];
            A s[kColBlock];
            column_extremum<true>(base, roff, nrows, len, m, finite);
            for (int64_t j = 0; j < len; ++j) s[j] = 0;
            for (int64_t r = 0; r < nrows; r += kExpRun) {
                const int64_t rend = std::min(nrows, r + kExpRun);
                for (int64_t j = 0; j < len; ++j) part[j] = 0;
                for (int64_t q = r; q < rend; ++q) {
                    const T* row = base + roff[q];
                    for (int64_t j = 0; j < len; ++j) part[j] += vexp(row[j] - m[j]);
                }
                for (int64_t j = 0; j < len; ++j) s[j] += static_cast<A>(part[j]);
            }
            for (int64_t j = 0; j < len; ++j) {
                if (finite[j]) {
                    combine(acc[j], {static_cast<A>(m[j]), s[j]});
                } else {
                    for (int64_t r = 0; r < nrows; ++r) step(acc[j], static_cast<opmath_t<T>>(base[roff[r] + j]), r0 + r);
                }
            }
            return true;
        }
        (void)base, (void)roff, (void)nrows, (void)r0, (void)len, (void)acc;
        return false;
    }
    void write(const acc_t& a, int64_t off) const {
        const A r = std::isfinite(a.m) ? a.m + std::log(a.s) : a.m;
        this->out[off] = convert<lse_out_t<T>>(r);
    }
    // Rows written kWriteBlock at a time (fold_inner): their logs in vector lanes with the
    // project's log (1 ulp). The C library's log, one call per row, was a sixth of logsumexp
    // over float32 rows of 64; the scalar inline log was slower still (its division and
    // polynomial are one dependency chain per row).
    void write_block(const acc_t* acc, const int64_t* offs, int count) const {
        A s[kWriteBlock], l[kWriteBlock];
        for (int i = 0; i < count; ++i) s[i] = std::isfinite(acc[i].m) ? acc[i].s : A(1);
        for (int i = 0; i < kWriteBlock; ++i) l[i] = vlog(i < count ? s[i] : A(1));
        for (int i = 0; i < count; ++i) {
            this->out[offs[i]] = convert<lse_out_t<T>>(std::isfinite(acc[i].m) ? acc[i].m + l[i] : acc[i].m);
        }
    }
};

// ---- the driver ----------------------------------------------------------------------------

template <typename Op>
using acc_of = typename Op::acc_t;

template <typename Op>
opmath_t<typename Op::in_t> load(const typename Op::in_t* p) {
    return static_cast<opmath_t<typename Op::in_t>>(*p);
}

#if defined(__GNUC__)
#define CMP_FOLD_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define CMP_FOLD_NOINLINE __declspec(noinline)
#else
#define CMP_FOLD_NOINLINE
#endif


// fold_row's element-by-element part: kLanes independent accumulators (lane k takes elements
// k, k + kLanes, ...) over long rows, merged with combine(), which every op makes independent of
// the merge order (index ops compare indices), then the rest in order. Out of line: its lane
// array gives it a realigned stack frame that, inlined into fold_row, every row paid for, also
// the rows fold_dense takes (a tenth of an AVX2 amax over rows of 64 was that prologue and
// epilogue).
template <typename Op>
CMP_FOLD_NOINLINE void fold_row_steps(const Op& op, const typename Op::in_t* p, int64_t stride, int64_t n, int64_t idx0,
                                      acc_of<Op>& acc) {
    constexpr int kLanes = LanesOf<Op>::value;
    int64_t i = 0;
    if (n >= 2 * kLanes) {
        acc_of<Op> lanes[kLanes];
        for (int k = 0; k < kLanes; ++k) lanes[k] = op.init();
        if (stride == 1) {
            for (; i + kLanes <= n; i += kLanes)
                for (int k = 0; k < kLanes; ++k) op.step(lanes[k], load<Op>(p + i + k), idx0 + i + k);
        } else {
            for (; i + kLanes <= n; i += kLanes)
                for (int k = 0; k < kLanes; ++k) op.step(lanes[k], load<Op>(p + (i + k) * stride), idx0 + i + k);
        }
        op.combine(acc, lane_tree<kLanes>(lanes, [&](acc_of<Op>& a, const acc_of<Op>& b) { op.combine(a, b); }));
    }
    for (; i < n; ++i) op.step(acc, load<Op>(p + i * stride), idx0 + i);
}

// Folds n elements `stride` apart, whose reduced indices are idx0, idx0 + 1, ..., into acc:
// dense rows through the op's fold_dense where it has one and takes the row, else fold_row_steps.
template <typename Op>
inline void fold_row(const Op& op, const typename Op::in_t* p, int64_t stride, int64_t n, int64_t idx0, acc_of<Op>& acc) {
    if constexpr (HasFoldDense<Op>::value) {
        if (stride == 1 && n >= DenseMinOf<Op>::value && op.fold_dense(p, n, idx0, acc)) return;
    }
    fold_row_steps(op, p, stride, n, idx0, acc);
}

// Folds reduced linear indices [begin, end) of the output whose input starts at base.
template <typename Op>
void fold_range(const Op& op, const typename Op::in_t* base, const std::vector<ReduceDim>& r, int64_t begin, int64_t end,
                acc_of<Op>& acc) {
    const ReduceDim& inner = r.back();
    int64_t i = begin;
    while (i < end) {
        const int64_t pos = i % inner.size;
        const int64_t len = std::min(end - i, inner.size - pos);
        fold_row(op, base + offset_of(r, i, false), inner.in_stride, len, i, acc);
        i += len;
    }
}

// Many short dense rows (is_short_row_reduction) of an op with fold_rows: blocks of rows
// through it, the rows it declines through fold_row.
template <typename Op>
void fold_short_rows(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / rn);
    const int64_t readable = short_rows_readable(plan);
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        for_each_output_block(plan.kept, b, e, [&](int count, const int64_t* in_offs, const int64_t* out_offs) {
            acc_of<Op> acc[kShortRowBlock];
            bool done[kShortRowBlock];
            for (int r = 0; r < count; ++r) acc[r] = op.init();
            op.fold_rows(in, in_offs, count, rn, readable, acc, done);
            for (int r = 0; r < count; ++r) {
                if (!done[r]) fold_row(op, in + in_offs[r], 1, rn, 0, acc[r]);
                op.write(acc[r], out_offs[r]);
            }
        });
    });
}

template <typename Op>
void fold_inner(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const int64_t rn = plan.reduce_numel;
    const int64_t nchunks = (rn + kChunk - 1) / kChunk;
    if (plan.out_numel < get_num_threads() && nchunks > 1) {
        // Few long outputs: chunks in parallel, partials merged in chunk order.
        std::vector<acc_of<Op>> partial(static_cast<size_t>(nchunks));
        for (int64_t k = 0; k < plan.out_numel; ++k) {
            const T* base = in + offset_of(plan.kept, k, false);
            parallel_for(0, nchunks, 1, [&](int64_t b, int64_t e) {
                for (int64_t c = b; c < e; ++c) {
                    acc_of<Op> a = op.init();
                    fold_range(op, base, plan.reduced, c * kChunk, std::min(rn, (c + 1) * kChunk), a);
                    partial[static_cast<size_t>(c)] = a;
                }
            });
            acc_of<Op> total = op.init();
            for (const auto& a : partial) op.combine(total, a);
            op.write(total, offset_of(plan.kept, k, true));
        }
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn, 1));
    const bool one_row = plan.reduced.size() == 1;  // rows of a matrix: no index arithmetic
    parallel_for(0, plan.out_numel, grain, [&](int64_t b, int64_t e) {
        [[maybe_unused]] acc_of<Op> done[HasWriteBlock<Op>::value ? kWriteBlock : 1];
        [[maybe_unused]] int64_t done_off[HasWriteBlock<Op>::value ? kWriteBlock : 1];
        [[maybe_unused]] int ndone = 0;
        for_each_output(plan.kept, b, e, [&](int64_t, int64_t in_off, int64_t out_off) {
            acc_of<Op> a = op.init();
            if (one_row) fold_row(op, in + in_off, plan.reduced[0].in_stride, rn, 0, a);
            else fold_range(op, in + in_off, plan.reduced, 0, rn, a);
            if constexpr (HasWriteBlock<Op>::value) {
                done[ndone] = a;
                done_off[ndone] = out_off;
                if (++ndone == kWriteBlock) op.write_block(done, done_off, std::exchange(ndone, 0));
            } else {
                op.write(a, out_off);
            }
        });
        if constexpr (HasWriteBlock<Op>::value) {
            if (ndone > 0) op.write_block(done, done_off, ndone);
        }
    });
}

// Column reduction: one work item holds the accumulators of up to kColBlock neighbouring
// outputs and runs down the reduced rows (in blocks of kRowBlock, whose offsets are walked
// once instead of a division per row); the inner loop goes across outputs.
template <typename Op>
void fold_outer(const ReducePlan& plan, const Op& op) {
    using T = typename Op::in_t;
    const T* in = static_cast<const T*>(plan.in);
    const ReduceDim col = plan.kept.back();
    const std::vector<ReduceDim> outer_kept(plan.kept.begin(), plan.kept.end() - 1);
    const int64_t outer_numel = plan.out_numel / col.size;
    const int64_t blocks = (col.size + kColBlock - 1) / kColBlock;
    const int64_t rn = plan.reduce_numel;
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rn * kColBlock, 1));
    parallel_for(0, outer_numel * blocks, grain, [&](int64_t b, int64_t e) {
        // Not std::vector: vector<bool> has no bool& elements.
        std::unique_ptr<acc_of<Op>[]> acc(new acc_of<Op>[kColBlock]);
        int64_t roff[kRowBlock];
        for (int64_t item = b; item < e; ++item) {
            const int64_t o = item / blocks;
            const int64_t j0 = (item % blocks) * kColBlock;
            const int64_t len = std::min(kColBlock, col.size - j0);
            const T* base = in + offset_of(outer_kept, o, false) + j0 * col.in_stride;
            std::fill(acc.get(), acc.get() + len, op.init());
            for (int64_t r0 = 0; r0 < rn; r0 += kRowBlock) {
                const int64_t r1 = std::min(rn, r0 + kRowBlock);
                for_each_output(plan.reduced, r0, r1, [&](int64_t r, int64_t off, int64_t) { roff[r - r0] = off; });
                if constexpr (HasFoldColumns<Op>::value) {
                    if (col.in_stride == 1 && op.fold_columns(base, roff, r1 - r0, r0, len, acc.get())) continue;
                }
                for (int64_t r = r0; r < r1; ++r) {
                    const T* row = base + roff[r - r0];
                    if (col.in_stride == 1) {
                        for (int64_t j = 0; j < len; ++j) op.step(acc[j], load<Op>(row + j), r);
                    } else {
                        for (int64_t j = 0; j < len; ++j) op.step(acc[j], load<Op>(row + j * col.in_stride), r);
                    }
                }
            }
            const int64_t out0 = offset_of(outer_kept, o, true) + j0 * col.out_stride;
            for (int64_t jj = 0; jj < len; ++jj) op.write(acc[jj], out0 + jj * col.out_stride);
        }
    });
}

template <typename Op>
void run_fold(const ReducePlan& plan, const Op& op) {
    CMP_CHECK(plan.out_dtype == Op::out_dtype, INTERNAL_ERROR, plan.op, ": unexpected output dtype ",
              dtype_name(plan.out_dtype));
    if (plan.out_numel == 0) return;
    if (is_column_reduction(plan)) {
        fold_outer(plan, op);
        return;
    }
    if constexpr (HasFoldRows<Op>::value) {
        if (is_short_row_reduction(plan) && Op::takes_rows(plan.reduce_numel)) {
            fold_short_rows(plan, op);
            return;
        }
    }
    fold_inner(plan, op);
}

template <typename T>
void fold_norm(const ReducePlan& plan, const FoldArgs& args) {
    const double p = args.param;
    if (p == 0) run_fold(plan, NormOp<T, NormKind::Zero>(plan, args));
    else if (p == 1) run_fold(plan, NormOp<T, NormKind::One>(plan, args));
    else if (p == 2) run_fold(plan, NormOp<T, NormKind::Two>(plan, args));
    else if (p == std::numeric_limits<double>::infinity()) run_fold(plan, NormOp<T, NormKind::Inf>(plan, args));
    else if (p == -std::numeric_limits<double>::infinity()) run_fold(plan, NormOp<T, NormKind::NegInf>(plan, args));
    else run_fold(plan, NormOp<T, NormKind::P>(plan, args));
}

void fold_kernel(const ReducePlan& plan, FoldOp op, const FoldArgs& args) {
    switch (op) {
        case FoldOp::Prod:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, ProdOp<scalar_t>(plan)); });
        case FoldOp::Amax:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, ExtremumOp<scalar_t, true>(plan)); });
        case FoldOp::Amin:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, ExtremumOp<scalar_t, false>(plan)); });
        case FoldOp::ArgMax:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, ArgExtremumOp<scalar_t, true>(plan, args)); });
        case FoldOp::ArgMin:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, ArgExtremumOp<scalar_t, false>(plan, args)); });
        case FoldOp::Var:
            return CMP_DISPATCH_FLOATING_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, WelfordOp<scalar_t, false>(plan, args)); });
        case FoldOp::Std:
            return CMP_DISPATCH_FLOATING_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, WelfordOp<scalar_t, true>(plan, args)); });
        case FoldOp::Norm:
            return CMP_DISPATCH_FLOATING_TYPES(plan.in_dtype, plan.op, [&] { fold_norm<scalar_t>(plan, args); });
        case FoldOp::LogSumExp:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, LogSumExpOp<scalar_t>(plan)); });
        case FoldOp::Any:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, LogicalOp<scalar_t, true>(plan)); });
        case FoldOp::All:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, LogicalOp<scalar_t, false>(plan)); });
        case FoldOp::CountNonzero:
            return CMP_DISPATCH_ALL_TYPES(plan.in_dtype, plan.op, [&] { run_fold(plan, CountNonzeroOp<scalar_t>(plan)); });
    }
    fail(CMP_STATUS_INTERNAL_ERROR, str(plan.op, ": unknown fold op"));
}

}  // namespace

CMP_REGISTER_KERNEL(fold_stub, fold_kernel)

}  // namespace cmp::cpu
