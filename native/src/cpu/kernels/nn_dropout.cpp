// Dropout: the keep mask drawn from the Philox stream 16 blocks (64 decisions) at a time in
// vector lanes (cpu/dropout_keep.h), and the scaling by the mask.
//
// Work is cut into groups of 1024 decisions at fixed positions (group g holds decisions
// 1024g .. 1024g + 1023, i.e. blocks offset + 256g ..), so every decision uses the block
// core/philox.h's layout gives it, whichever thread draws it: the mask does not depend on the
// thread count.
// Rows are walked, never found by dividing the element index.
#include "core/parallel.h"
#include "cpu/dropout_keep.h"
#include "cpu/kernels/nn_norm_vec.h"
#include "cpu/loops.h"
#include "cpu/nn_norm_stubs.h"

#include <algorithm>

namespace cmp::cpu {
namespace {

// Decisions per group: 16 philox_lanes calls, then one scaling loop over the group while its
// mask bytes are in L1.
constexpr int64_t kGroup = 16 * kKeepRun;

// The factor of a kept element, rounded to T first: PyTorch scales by a Scalar, which its
// float16/bfloat16 kernels round to the tensor's dtype (native_dropout and
// native_dropout_backward give x * mask * float16(1 / (1 - p)) for float16).
template <typename T>
opmath_t<T> kept_factor(const DropoutPlan& p) {
    return static_cast<opmath_t<T>>(static_cast<T>(p.scale));
}

// out[i] = x[i] * (keep[i] ? s : 0), i < n; keep read as bytes (a loop reading bool values does
// not vectorise: GCC has no vector of bool to load them into).
template <typename T, typename A>
CMP_VEC_INLINE void scale_kept(const T* x, const bool* keep, T* out, int64_t n, A s) {
    const auto* k = reinterpret_cast<const uint8_t*>(keep);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(static_cast<A>(x[i]) * (k[i] != 0 ? s : A(0)));
}

// Runs fn(first, n) for the groups of `count` decisions (decisions first .. first + n - 1) in
// parallel, about kDefaultGrain elements per task when a decision covers
// `inner` elements.
template <typename Fn>
void for_each_group(int64_t count, int64_t inner, const Fn& fn) {
    const int64_t groups = (count + kGroup - 1) / kGroup;
    parallel_for(0, groups, std::max<int64_t>(1, rows_grain(inner) / kGroup), [&](int64_t g0, int64_t g1) {
        for (int64_t g = g0; g < g1; ++g) fn(g * kGroup, std::min(kGroup, count - g * kGroup));
    });
}

// x * (mask[r] ? scale : 0) over rows of p.inner elements.
template <typename T>
void apply_typed(const DropoutPlan& p, const T* x, const bool* mask, T* out) {
    using A = opmath_t<T>;
    const A s = kept_factor<T>(p);
    if (p.inner == 1) {
        parallel_for(0, p.rows, kDefaultGrain, [&](int64_t b, int64_t e) { scale_kept(x + b, mask + b, out + b, e - b, s); });
        return;
    }
    parallel_for(0, p.rows, rows_grain(p.inner), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
            const A f = mask[r] ? s : A(0);
            const T* xr = x + r * p.inner;
            T* o = out + r * p.inner;
            for (int64_t k = 0; k < p.inner; ++k) o[k] = static_cast<T>(static_cast<A>(xr[k]) * f);
        }
    });
}

template <typename T>
void dropout_typed(const DropoutPlan& p, const DropoutDraw& d, const T* x, T* out, bool* mask) {
    if (p.inner != 1) {
        // Few decisions (one per channel): draw them all, then scale row by row.
        for_each_group(p.rows, p.inner, [&](int64_t first, int64_t n) {
            draw_keep(d, static_cast<uint64_t>(first), n, reinterpret_cast<uint8_t*>(mask) + first);
        });
        apply_typed(p, x, mask, out);
        return;
    }
    // One decision per element: draw and scale group by group.
    const opmath_t<T> s = kept_factor<T>(p);
    for_each_group(p.rows, 1, [&](int64_t first, int64_t n) {
        draw_keep(d, static_cast<uint64_t>(first), n, reinterpret_cast<uint8_t*>(mask) + first);
        scale_kept(x + first, mask + first, out + first, n, s);
    });
}

void dropout_kernel(const DropoutPlan& p, const DropoutDraw& d, const void* x, void* out, bool* mask) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "dropout", [&] {
        dropout_typed(p, d, static_cast<const scalar_t*>(x), static_cast<scalar_t*>(out), mask);
    });
}

void dropout_apply_kernel(const DropoutPlan& p, const void* grad_out, const bool* mask, void* grad_in) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, "dropout_backward", [&] {
        apply_typed(p, static_cast<const scalar_t*>(grad_out), mask, static_cast<scalar_t*>(grad_in));
    });
}

}  // namespace

CMP_REGISTER_KERNEL(dropout_stub, dropout_kernel)
CMP_REGISTER_KERNEL(dropout_apply_stub, dropout_apply_kernel)

}  // namespace cmp::cpu
