// argmax / argmin over rows (cuda/reduce_rows.cuh), with or without the values: the core's
// max/min with a dim, argmax and argmin (with no dim, over the flattened tensor). PyTorch's
// rules, as the CPU's ArgExtremumOp (cpu/kernels/reductions.cpp): the first NaN wins, then the
// strictly better value; equal values keep the lower index, whichever partial they come from,
// so the order in which threads merge does not matter.
#include "cuda/dtypes.cuh"
#include "cuda/reduce_rows.cuh"

namespace cmp::cuda_backend {

namespace {

template <typename T, bool Max>
struct ArgExtremumOp {
    // Floats compare in opmath, integers and bool as int64 (which holds every value of them).
    using V = std::conditional_t<is_float_v<T>, opmath_t<T>, int64_t>;
    struct acc_t {
        V v;
        int64_t i;  // < 0: no element yet
    };
    T* values;  // may be null (argmax / argmin)
    int64_t* indices;

    __device__ static bool better(V v, V cur) {
        if constexpr (is_float_v<T>) {
            if (cur != cur) return false;
            if (v != v) return true;
        }
        return Max ? v > cur : v < cur;
    }
    __device__ static acc_t identity() { return {V(0), -1}; }
    __device__ static acc_t load(T x, int64_t i) { return {static_cast<V>(to_opmath(x)), i}; }
    __device__ static acc_t combine(acc_t a, acc_t b) {
        if (b.i < 0) return a;
        if (a.i < 0 || better(b.v, a.v) || (!better(a.v, b.v) && b.i < a.i)) return b;
        return a;
    }
    __device__ void write(int64_t r, acc_t a, int64_t) const {
        if (values) values[r] = convert<T>(a.v);
        indices[r] = a.i;
    }
};

template <typename T, bool Max>
void launch_arg(const RowReduction& r) {
    ArgExtremumOp<T, Max> op{static_cast<T*>(r.out), static_cast<int64_t*>(r.args.indices)};
    launch_rows<ArgExtremumOp<T, Max>, T>(r.stream, r.in, r.rows, r.row_len, op);
}

}  // namespace

void reduce_arg_extremum(const RowReduction& r) {
    CMP_CUDA_DISPATCH_ALL_TYPES(r.in_dtype, "cuda argmax", [&] {
        if (r.op == COMPUTE_CUDA_REDUCE_ARGMAX) launch_arg<scalar_t, true>(r);
        else launch_arg<scalar_t, false>(r);
    });
}

}  // namespace cmp::cuda_backend
