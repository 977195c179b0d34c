// Kernels of pad and its backward: one index-map copy serves every mode (the front-end builds
// the maps: constant = -1 outside the input, reflect/replicate/circular = the mirrored, clamped
// or wrapped position), so the modes differ only in their maps.
#include "cpu/sort_search_stubs.h"
#include "cpu/loops.h"

#include "core/parallel.h"

#include <algorithm>
#include <vector>

namespace cmp::cpu {
namespace {

// Offset in src of big row `row` (all dims but the last), or -1 when some dim maps to the
// constant fill. dims = big_sizes.size() - 1 leading dims are decoded from row.
inline int64_t row_source(const PadPlan& p, int64_t row, size_t first_dim) {
    int64_t off = 0;
    const size_t last = p.big_sizes.size() - 1;
    for (size_t d = last; d-- > first_dim;) {
        const int64_t c = row % p.big_sizes[d];
        row /= p.big_sizes[d];
        const int64_t m = p.map[d][static_cast<size_t>(c)];
        if (m < 0) return -1;
        off += m * p.src_strides[d];
    }
    return off;
}

template <typename T>
void pad_typed(const PadPlan& p) {
    const T* src = static_cast<const T*>(p.src);
    T* dst = static_cast<T*>(p.dst);
    const int64_t w = p.big_sizes.back();
    if (w == 0) return;
    int64_t rows = 1;
    for (size_t d = 0; d + 1 < p.big_sizes.size(); ++d) rows *= p.big_sizes[d];
    const std::vector<int64_t>& mw = p.map.back();
    const int64_t sw = p.src_strides.back();
    const T fill = convert<T>(p.value);
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / w);
    parallel_for(0, rows, grain, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
            T* out = dst + r * w;
            const int64_t base = row_source(p, r, 0);
            if (base < 0) {
                std::fill(out, out + w, fill);
                continue;
            }
            const T* in = src + base;
            for (int64_t o = 0; o < w; ++o) {
                const int64_t m = mw[static_cast<size_t>(o)];
                out[o] = m < 0 ? fill : in[m * sw];
            }
        }
    });
}

void pad_kernel(const PadPlan& p) {
    CMP_DISPATCH_ALL_TYPES(p.dtype, p.op, [&] { pad_typed<scalar_t>(p); });
}

// small[map(o)] += big[o], big read through its strides, small contiguous and zeroed. Several
// big elements can land on one small element (mirrors, clamped edges), so only the leading
// identity-mapped dims (batch, channel) are split between threads; within a group the big
// elements are visited in row-major order, the order PyTorch's kernels add them in.
template <typename T>
void pad_backward_typed(const PadPlan& p) {
    using A = opmath_t<T>;
    const T* big = static_cast<const T*>(p.src);
    T* small = static_cast<T*>(p.dst);
    const size_t nd = p.big_sizes.size();
    const size_t g = static_cast<size_t>(p.group_dims);
    int64_t groups = 1, rows_per_group = 1, small_group = 1;
    for (size_t d = 0; d < g; ++d) groups *= p.big_sizes[d];
    for (size_t d = g; d + 1 < nd; ++d) rows_per_group *= p.big_sizes[d];
    for (size_t d = g; d < nd; ++d) small_group *= p.small_sizes[d];
    const int64_t w = p.big_sizes.back();
    if (w == 0 || groups == 0 || rows_per_group == 0) return;
    const Shape small_strides = contiguous_strides(p.small_sizes);
    const std::vector<int64_t>& mw = p.map.back();
    const int64_t bw = p.src_strides.back();
    const int64_t grain = std::max<int64_t>(1, kDefaultGrain / std::max<int64_t>(rows_per_group * w, 1));
    parallel_for(0, groups, grain, [&](int64_t b, int64_t e) {
        for (int64_t grp = b; grp < e; ++grp) {
            // The group's offset in big (through its strides); small's groups are contiguous.
            int64_t big_base = 0, rem = grp;
            for (size_t d = g; d-- > 0;) {
                big_base += (rem % p.big_sizes[d]) * p.src_strides[d];
                rem /= p.big_sizes[d];
            }
            T* sg = small + grp * small_group;
            for (int64_t r = 0; r < rows_per_group; ++r) {
                // Decode the row within the group: big offset and mapped small offset.
                int64_t big_off = big_base, small_off = 0, rr = r;
                bool constant = false;
                for (size_t d = nd - 1; d-- > g;) {
                    const int64_t c = rr % p.big_sizes[d];
                    rr /= p.big_sizes[d];
                    big_off += c * p.src_strides[d];
                    const int64_t m = p.map[d][static_cast<size_t>(c)];
                    if (m < 0) constant = true;
                    small_off += m * small_strides[d];
                }
                if (constant) continue;  // constant-filled rows had no source
                const T* in = big + big_off;
                T* out = sg + small_off;
                for (int64_t o = 0; o < w; ++o) {
                    const int64_t m = mw[static_cast<size_t>(o)];
                    if (m < 0) continue;
                    out[m] = convert<T>(static_cast<A>(out[m]) + static_cast<A>(in[o * bw]));
                }
            }
        }
    });
}

void pad_backward_kernel(const PadPlan& p) {
    CMP_DISPATCH_FLOATING_TYPES(p.dtype, p.op, [&] { pad_backward_typed<scalar_t>(p); });
}

}  // namespace

CMP_REGISTER_KERNEL(pad_stub, pad_kernel)
CMP_REGISTER_KERNEL(pad_backward_stub, pad_backward_kernel)

}  // namespace cmp::cpu
