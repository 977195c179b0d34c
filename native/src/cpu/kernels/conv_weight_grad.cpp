// Implicit-GEMM weight gradient (stride 1, padding >= 0, conv_weight_grad_applies):
// grad_weight [m, C*K] (+)= grad_out [m, P] x im2col(image)^T without the column matrix.
//
// Why: im2col wrote the C*K x P column matrix (7 MB for a 64-channel 56x56 3x3 layer,
// allocated and page-faulted in every call), and since k = P runs along memory in it, the
// GEMM then packed it with in-register transposes: those two took as long as the
// multiply-adds. Here the image is transposed once, into channel blocks of NR (the
// micro-kernel's width) stored position-major over the zero-bordered plane of conv_shifted.h:
// blocked[cb][e][NR]. For a fixed tap, the NR channels of block cb at position p are then NR
// contiguous values at blocked + cb * plane * NR + (e(p) + tap offset) * NR, so B(p, j) with
// columns ordered (block, tap, channel in block) is read in place by the micro-kernel, one
// panel per (block, tap), with row p at offsets[p] = e(p) * NR (e(p): the extended position of
// output position p). k runs over the real output positions only, so grad_out is the A
// operand as it is. The product lands in a scratch [m, blocks * K * NR] and is permuted into
// grad_weight's (channel, tap) columns; a partial last block computes zero lanes, which
// conv_weight_grad_applies keeps under a fifth of the work.
#include "cpu/kernels/conv_shifted.h"
#include "cpu/kernels/gemm_config.h"
#include "cpu/nn_conv_stubs.h"

#include <algorithm>
#include <vector>

namespace cmp::cpu {
namespace {

// Element (p, j) of the B operand: column(j)[offsets[p]], where panel j / NR is a (channel
// block, tap) pair starting at base + panel_base[j / NR].
template <typename T, int NR>
struct BlockedTapsB {
    static constexpr bool kInPlace = true;
    const T* base;
    const int64_t* offsets;
    const int64_t* panel_base;
    const T* column(int64_t j) const { return base + panel_base[j / NR] + j % NR; }
};

thread_local PackBuffer tls_wgrad_blocked;
thread_local PackBuffer tls_wgrad_product;

// The image's channels in blocks of NR lanes over the padded plane (zero border, zero lanes
// past the last channel): each image row of a block goes through the GEMM's transposing pack.
template <typename T, int NR>
T* blocked_image(const T* image, int64_t channels, const ConvGeom3& g, const PaddedPlane& pp) {
    const int64_t plane = pp.size(), blocks = ceil_div(channels, NR);
    // The last block's reads run overread() positions past its plane: zeros there.
    T* buf = tls_wgrad_blocked.get<T>((blocks * plane + pp.overread()) * NR);
    std::fill(buf + blocks * plane * NR, buf + (blocks * plane + pp.overread()) * NR, T(0));
    const int64_t in_plane = g.image_plane();
    for (int64_t cb = 0; cb < blocks; ++cb) {
        T* dst = buf + cb * plane * NR;
        const int64_t live = min_of<int64_t>(NR, channels - cb * NR);
        const T* first = image + cb * NR * in_plane;
        // The border: everything before, between and after the copied rows.
        int64_t next = 0;  // first position not yet written
        pp.for_each_image_row([&](int64_t pos, int64_t d, int64_t h) {
            std::fill(dst + next * NR, dst + pos * NR, T(0));
            const T* row = first + (d * g.image[1] + h) * g.image[2];
            pack_transposed_at<T, NR>(live, pp.w_len, [row, in_plane](int64_t i) { return row + i * in_plane; },
                                      dst + pos * NR);
            next = pos + pp.w_len;
        });
        std::fill(dst + next * NR, dst + plane * NR, T(0));
    }
    return buf;
}

template <typename Kernel, int64_t MC, int64_t KC, int64_t NC, typename T>
void weight_grad_blocked(int64_t m, const T* grad_out, const T* image, int64_t channels, const ConvGeom3& g, T* gw,
                         int64_t ldw, bool accumulate) {
    constexpr int NR = Kernel::kNR;
    const PaddedPlane pp(g);
    const int64_t plane = pp.size(), blocks = ceil_div(channels, NR), K = g.kernel_volume(), P = g.out_plane();
    const T* buf = blocked_image<T, NR>(image, channels, g, pp);
    const std::vector<int64_t> taps = pp.tap_offsets();
    std::vector<int64_t> panel_base(static_cast<size_t>(blocks * K)), offsets(static_cast<size_t>(P));
    for (int64_t cb = 0; cb < blocks; ++cb) {
        for (int64_t t = 0; t < K; ++t) panel_base[cb * K + t] = (cb * plane + taps[t]) * NR;
    }
    for (int64_t od = 0, p = 0; od < g.out[0]; ++od) {
        for (int64_t oh = 0; oh < g.out[1]; ++oh) {
            for (int64_t ow = 0; ow < g.out[2]; ++ow, ++p) offsets[p] = ((od * pp.Hq + oh) * pp.Wq + ow) * NR;
        }
    }
    const int64_t n = blocks * K * NR;
    T* product = tls_wgrad_product.get<T>(m * n);
    const bool parallel = m * n * P >= kParallelMinWork && !in_parallel_region();
    gemm_packed_source<T, Kernel, MC, KC, NC>(m, n, P, T(1), grad_out, P, 1,
                                              BlockedTapsB<T, NR>{buf, offsets.data(), panel_base.data()}, T(0),
                                              product, n, 1, parallel);
    // grad_weight[o, c * K + t] (+)= product[o, (block * K + t) * NR + lane].
    for (int64_t o = 0; o < m; ++o) {
        for (int64_t c = 0; c < channels; ++c) {
            const T* src = product + o * n + (c / NR * K) * NR + c % NR;
            T* dst = gw + o * ldw + c * K;
            for (int64_t t = 0; t < K; ++t) dst[t] = accumulate ? dst[t] + src[t * NR] : src[t * NR];
        }
    }
}

template <typename T>
void weight_grad_typed(int64_t m, const T* grad_out, const T* image, int64_t channels, const ConvGeom3& g, T* gw,
                       int64_t ldw, bool accumulate) {
    const int64_t n = channels * g.kernel_volume();
    if (m <= 0 || n <= 0) return;
    if (g.out_plane() == 0) {
        if (!accumulate) {
            for (int64_t o = 0; o < m; ++o) std::fill(gw + o * ldw, gw + o * ldw + n, T(0));
        }
        return;
    }
    using Config = GemmConfig<T>;
    weight_grad_blocked<typename Config::Kernel, Config::MC, Config::KC, Config::NC>(m, grad_out, image, channels, g,
                                                                                      gw, ldw, accumulate);
}

void conv_weight_grad_kernel(DType dtype, int64_t m, const void* grad_out, const void* image, int64_t channels,
                             const ConvGeom3& g, void* grad_weight, int64_t ldw, bool accumulate) {
    if (!conv_weight_grad_applies(channels, g)) {
        fail(CMP_STATUS_INTERNAL_ERROR, "conv_weight_grad: called for a geometry it does not handle");
    }
    if (dtype == CMP_DTYPE_FLOAT32) {
        weight_grad_typed(m, static_cast<const float*>(grad_out), static_cast<const float*>(image), channels, g,
                          static_cast<float*>(grad_weight), ldw, accumulate);
    } else if (dtype == CMP_DTYPE_FLOAT64) {
        weight_grad_typed(m, static_cast<const double*>(grad_out), static_cast<const double*>(image), channels, g,
                          static_cast<double*>(grad_weight), ldw, accumulate);
    } else {
        fail(CMP_STATUS_INTERNAL_ERROR, str("conv_weight_grad: kernel called with dtype ", dtype_name(dtype)));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(conv_weight_grad_stub, conv_weight_grad_kernel)

}  // namespace cmp::cpu
