// var / std (and their means), vector norms, logsumexp and count_nonzero over rows
// (cuda/reduce_rows.cuh). The partials are the CPU fold ops' (cpu/kernels/reductions.cpp) in
// PyTorch's CUDA accumulate types (sum_acc_t: float32 for float32 and 16-bit floats, where the
// CPU accumulates float32 in float64, so results differ in the last bits).
#include "cuda/dtypes.cuh"
#include "cuda/reduce_rows.cuh"

#include <math.h>

namespace cmp::cuda_backend {

namespace {

// Welford partials (mean, sum of squared deviations, count) merged with Chan's formula; the
// divisor is max(n - correction, 0) as in PyTorch (0 gives inf, or NaN for no deviation).
template <typename T>
struct WelfordOp {
    using A = sum_acc_t<T>;
    struct acc_t {
        A mean, m2;
        int64_t n;
    };
    T* out;
    T* mean_out;  // may be null
    double correction;
    bool take_sqrt;

    __device__ static acc_t identity() { return {A(0), A(0), 0}; }
    __device__ static acc_t load(T x, int64_t) { return {static_cast<A>(to_opmath(x)), A(0), 1}; }
    __device__ static acc_t combine(acc_t a, acc_t b) {
        if (b.n == 0) return a;
        if (a.n == 0) return b;
        const int64_t n = a.n + b.n;
        const A d = b.mean - a.mean, nb_over_n = static_cast<A>(b.n) / static_cast<A>(n);
        return {a.mean + d * nb_over_n, a.m2 + b.m2 + d * d * static_cast<A>(a.n) * nb_over_n, n};
    }
    __device__ void write(int64_t r, acc_t a, int64_t) const {
        const double n = static_cast<double>(a.n);
        const double divisor = n > correction ? n - correction : 0.0;
        const double var = static_cast<double>(a.m2) / divisor;
        out[r] = convert<T>(static_cast<A>(take_sqrt ? sqrt(var) : var));
        if (mean_out) mean_out[r] = convert<T>(a.n > 0 ? a.mean : static_cast<A>(NAN));
    }
};

enum class NormKind { Zero, One, Two, Inf, NegInf, P };

// Vector norms: sums of |x|, |x|^2, |x|^p or of x != 0, or NaN-propagating max/min of |x| for
// the inf norms (the core refuses those over empty rows).
template <typename T>
struct NormOp {
    using acc_t = sum_acc_t<T>;
    T* out;
    acc_t p;
    NormKind kind;

    __device__ acc_t identity() const { return kind == NormKind::NegInf ? acc_t(INFINITY) : acc_t(0); }
    __device__ acc_t load(T x, int64_t) const {
        const acc_t v = fabs(static_cast<acc_t>(to_opmath(x)));
        switch (kind) {
            case NormKind::Zero: return v != acc_t(0) ? acc_t(1) : acc_t(0);
            case NormKind::Two: return v * v;
            case NormKind::P: return pow(v, p);
            default: return v;
        }
    }
    __device__ acc_t combine(acc_t a, acc_t b) const {
        if (kind == NormKind::Inf || kind == NormKind::NegInf) {
            if (a != a) return a;
            if (b != b) return b;
            return (kind == NormKind::Inf ? b > a : b < a) ? b : a;
        }
        return a + b;
    }
    __device__ void write(int64_t r, acc_t a, int64_t) const {
        if (kind == NormKind::Two) a = sqrt(a);
        else if (kind == NormKind::P) a = pow(a, acc_t(1) / p);
        out[r] = convert<T>(a);
    }
};

NormKind norm_kind(double ord) {
    if (ord == 0) return NormKind::Zero;
    if (ord == 1) return NormKind::One;
    if (ord == 2) return NormKind::Two;
    if (ord == INFINITY) return NormKind::Inf;
    if (ord == -INFINITY) return NormKind::NegInf;
    return NormKind::P;
}

template <typename T>
using lse_out_t = std::conditional_t<is_float_v<T>, T, float>;

// Online log-sum-exp: the running maximum m and the sum s of exp(x - m), rescaled when a larger
// maximum arrives. NaN wins from either side; +inf makes the result +inf; -inf adds nothing.
template <typename T>
struct LogSumExpOp {
    using A = sum_acc_t<lse_out_t<T>>;
    struct acc_t {
        A m, s;
    };
    lse_out_t<T>* out;

    __device__ static acc_t identity() { return {-A(INFINITY), A(0)}; }
    __device__ static acc_t load(T x, int64_t) { return {static_cast<A>(to_opmath(x)), A(1)}; }
    __device__ static acc_t combine(acc_t a, acc_t b) {
        if (a.m != a.m) return a;
        if (b.m != b.m) return b;
        if (b.m == -A(INFINITY) || a.m == A(INFINITY)) return a;
        if (a.m == -A(INFINITY) || b.m == A(INFINITY)) return b;
        if (b.m > a.m) return {b.m, a.s * exp(a.m - b.m) + b.s};
        return {a.m, a.s + b.s * exp(b.m - a.m)};
    }
    __device__ void write(int64_t r, acc_t a, int64_t) const {
        out[r] = convert<lse_out_t<T>>(isfinite(a.m) ? a.m + log(a.s) : a.m);
    }
};

template <typename T>
struct CountNonzeroOp {
    using acc_t = int64_t;
    int64_t* out;
    __device__ static acc_t identity() { return 0; }
    __device__ static acc_t load(T x, int64_t) { return to_opmath(x) != opmath_t<T>(0) ? 1 : 0; }
    __device__ static acc_t combine(acc_t a, acc_t b) { return a + b; }
    __device__ void write(int64_t r, acc_t a, int64_t) const { out[r] = a; }
};

template <typename T>
void reduce_floating(const RowReduction& r) {
    if constexpr (is_float_v<T>) {
        T* out = static_cast<T*>(r.out);
        if (r.op == COMPUTE_CUDA_REDUCE_NORM) {
            const NormOp<T> op{out, static_cast<sum_acc_t<T>>(r.args.param), norm_kind(r.args.param)};
            return launch_rows<NormOp<T>, T>(r.stream, r.in, r.rows, r.row_len, op);
        }
        const WelfordOp<T> op{out, static_cast<T*>(r.args.mean), r.args.param, r.op == COMPUTE_CUDA_REDUCE_STD};
        launch_rows<WelfordOp<T>, T>(r.stream, r.in, r.rows, r.row_len, op);
    } else {
        fail(CMP_STATUS_DTYPE_MISMATCH, "cuda reduction: floating inputs only");
    }
}

}  // namespace

void reduce_stats(const RowReduction& r) {
    CMP_CUDA_DISPATCH_ALL_TYPES(r.in_dtype, "cuda reduction", [&] {
        using T = scalar_t;
        switch (r.op) {
            case COMPUTE_CUDA_REDUCE_LOGSUMEXP:
                return launch_rows<LogSumExpOp<T>, T>(r.stream, r.in, r.rows, r.row_len,
                                                      LogSumExpOp<T>{static_cast<lse_out_t<T>*>(r.out)});
            case COMPUTE_CUDA_REDUCE_COUNT_NONZERO:
                return launch_rows<CountNonzeroOp<T>, T>(r.stream, r.in, r.rows, r.row_len,
                                                         CountNonzeroOp<T>{static_cast<int64_t*>(r.out)});
            default: return reduce_floating<T>(r);
        }
    });
}

}  // namespace cmp::cuda_backend
