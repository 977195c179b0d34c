// cumsum / cumprod along the lines of a [outer, dim, inner] layout (cuda/lines.cuh): the core
// converts the input to the result dtype (int64 for integers and bool) and makes it dense, as
// for the CPU's scan (ops/reductions.cpp). A group walks its line in chunks of its size: the
// chunk's inclusive scan (warp shuffles, then the warps' totals through shared memory) combined
// with the carry of the chunks before it. Accumulators are reduce_rows' SUM / PROD ones (PyTorch's
// CUDA accumulate types): float32 for float32 and 16-bit floats (the CPU uses float64 for
// float32: results differ in the last bits), float64 for float64, int64 wrapping for integers,
// which makes integer scans exact in any order and equal to the CPU's.
#include "cuda/dtypes.cuh"
#include "cuda/entries.h"
#include "cuda/lines.cuh"

namespace cmp::cuda_backend {

namespace {

template <typename A, bool Prod>
struct ScanOf {
    __device__ static A identity() { return A(Prod ? 1 : 0); }
    __device__ static A combine(A a, A b) { return Prod ? wrap_mul(a, b) : wrap_add(a, b); }
};

template <typename T, bool Prod>
struct ScanLine {
    const T* in;
    T* out;
    int64_t n;

    template <typename G>
    __device__ void operator()(const G& g, Line l) const {
        using A = sum_acc_t<T>;
        const ScanOf<A, Prod> c{};
        A carry = c.identity();
        for (int64_t first = 0; first < n; first += g.size()) {
            const int64_t k = first + g.rank();
            const int64_t at = l.base + k * l.stride;
            A total;
            const A prefix = g.scan(c, k < n ? static_cast<A>(to_opmath(in[at])) : c.identity(), total);
            if (k < n) out[at] = convert<T>(c.combine(carry, prefix));
            carry = c.combine(carry, total);
        }
    }
};

template <typename T>
void scan_typed(const compute_cuda_lines& l, const void* in, void* out, bool prod) {
    const auto* x = static_cast<const T*>(in);
    auto* y = static_cast<T*>(out);
    if (prod) launch_lines(l, ScanLine<T, true>{x, y, l.dim});
    else launch_lines(l, ScanLine<T, false>{x, y, l.dim});
}

}  // namespace

int32_t scan(const compute_cuda_lines* lines, const void* in, void* out, int32_t op) {
    const char* what = op == COMPUTE_CUDA_SCAN_CUMPROD ? "cuda cumprod" : "cuda cumsum";
    return run_lines(what, lines, [&](const compute_cuda_lines& l) {
        if (op != COMPUTE_CUDA_SCAN_CUMSUM && op != COMPUTE_CUDA_SCAN_CUMPROD)
            fail(CMP_STATUS_INVALID_ARGUMENT, "cuda scan: invalid op ", op);
        CMP_CUDA_DISPATCH_ALL_TYPES(l.dtype, what, [&] {
            if constexpr (std::is_same_v<scalar_t, bool>) fail(CMP_STATUS_DTYPE_MISMATCH, what, ": dtype bool (convert to int64 first)");
            else scan_typed<scalar_t>(l, in, out, op == COMPUTE_CUDA_SCAN_CUMPROD);
        });
    });
}

}  // namespace cmp::cuda_backend
