// Implicit-GEMM convolution (stride 1, padding >= 0): out += weight x im2col(image) with the
// GEMM of gemm_driver.h reading its B operand straight from a zero-bordered copy of the image,
// so the C*K x P column matrix (7 MB for a 64-channel 56x56 3x3 layer) is never written, read
// back or packed.
//
// The image is copied into planes of Dp x Hp x Wp (out + dilated kernel reach - 1 per dim)
// and the output is computed over "extended" positions e = (od * Hp + oh) * Wp + ow, ow
// running over the whole padded width. Tap (c, kd, kh, kw) of every extended position then
// reads the buffer at e + a fixed offset, so row r of the B operand is the buffer itself
// shifted by offsets[r], with unit stride along e: the micro-kernel loads its B rows from
// there (ShiftedRowsB, kInPlace), nothing is packed. The extended columns with ow >= the
// output width are computed into a scratch C and dropped when it is added to out (2 of 58
// for a 56-wide 3x3 layer). Strided convolutions keep im2col (their rows are not shifts).
#include "cpu/kernels/gemm_config.h"
#include "cpu/nn_conv_stubs.h"

#include <algorithm>
#include <vector>

namespace cmp::cpu {
namespace {

// Row r of the B operand: base + offsets[r], readable NR - 1 elements past the last column.
template <typename T>
struct ShiftedRowsB {
    static constexpr bool kInPlace = true;
    const T* base;
    const int64_t* offsets;
};

thread_local PackBuffer tls_conv_padded;
thread_local PackBuffer tls_conv_extended;

template <typename Kernel, int64_t MC, int64_t KC, int64_t NC, typename T>
void conv_gemm_shifted(int64_t m, const T* weight, int64_t ldw, const T* image, int64_t channels, const ConvGeom3& g,
                       T* out) {
    int64_t padded[3];
    for (int i = 0; i < 3; ++i) padded[i] = g.out[i] + g.dilation[i] * (g.kernel[i] - 1);
    const int64_t Dp = padded[0], Hp = padded[1], Wp = padded[2], plane = Dp * Hp * Wp;
    // The last panel's in-place reads go up to NR - 1 columns past the last extended position.
    const int64_t slack = Kernel::kNR;
    T* buf = tls_conv_padded.get<T>(channels * plane + slack);
    std::fill(buf, buf + channels * plane + slack, T(0));
    // Image rows beyond the padded extent are never read (the padding after the image only
    // shows in the output size), so the copy is clipped to it.
    const int64_t d_end = min_of(g.image[0], Dp - g.pad[0]), h_end = min_of(g.image[1], Hp - g.pad[1]);
    const int64_t w_len = min_of(g.image[2], Wp - g.pad[2]);
    for (int64_t c = 0; c < channels; ++c) {
        for (int64_t d = 0; d < d_end; ++d) {
            for (int64_t h = 0; h < h_end; ++h) {
                const T* src = image + ((c * g.image[0] + d) * g.image[1] + h) * g.image[2];
                std::copy(src, src + max_of<int64_t>(0, w_len), buf + c * plane + ((d + g.pad[0]) * Hp + h + g.pad[1]) * Wp + g.pad[2]);
            }
        }
    }
    const int64_t K = g.kernel_volume(), k = channels * K;
    std::vector<int64_t> offsets(static_cast<size_t>(k));
    for (int64_t c = 0, r = 0; c < channels; ++c) {
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
            for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                for (int64_t kw = 0; kw < g.kernel[2]; ++kw, ++r) {
                    offsets[r] = c * plane + (kd * g.dilation[0] * Hp + kh * g.dilation[1]) * Wp + kw * g.dilation[2];
                }
            }
        }
    }
    const int64_t n_ext = ((g.out[0] - 1) * Hp + g.out[1] - 1) * Wp + g.out[2];
    T* ext = tls_conv_extended.get<T>(m * n_ext);
    const bool parallel = m * n_ext * k >= kParallelMinWork && !in_parallel_region();
    gemm_packed_source<T, Kernel, MC, KC, NC>(m, n_ext, k, T(1), weight, ldw, 1, ShiftedRowsB<T>{buf, offsets.data()},
                                              T(0), ext, n_ext, 1, parallel);
    // out (holding the bias) += the extended result's real columns.
    const int64_t W = g.out[2];
    for (int64_t o = 0; o < m; ++o) {
        for (int64_t d = 0; d < g.out[0]; ++d) {
            for (int64_t h = 0; h < g.out[1]; ++h) {
                T* __restrict dst = out + ((o * g.out[0] + d) * g.out[1] + h) * W;
                const T* __restrict src = ext + o * n_ext + (d * Hp + h) * Wp;
                for (int64_t w = 0; w < W; ++w) dst[w] += src[w];
            }
        }
    }
}

template <typename T>
void conv_gemm_typed(int64_t m, const T* weight, int64_t ldw, const T* image, int64_t channels, const ConvGeom3& g,
                     T* out) {
    const int64_t K = g.kernel_volume(), k = channels * K, n = g.out_plane();
    if (m <= 0 || n <= 0 || k <= 0) return;
    using Config = GemmConfig<T>;
    using Kernel = typename Config::Kernel;
    conv_gemm_shifted<Kernel, Config::MC, Config::KC, Config::NC>(m, weight, ldw, image, channels, g, out);
}

void conv_gemm_kernel(DType dtype, int64_t m, const void* weight, int64_t ldw, const void* image, int64_t channels,
                      const ConvGeom3& g, void* out) {
    if (!conv_gemm_applies(g)) fail(CMP_STATUS_INTERNAL_ERROR, "conv_gemm: called for a geometry it does not handle");
    if (dtype == CMP_DTYPE_FLOAT32) {
        conv_gemm_typed(m, static_cast<const float*>(weight), ldw, static_cast<const float*>(image), channels, g,
                        static_cast<float*>(out));
    } else if (dtype == CMP_DTYPE_FLOAT64) {
        conv_gemm_typed(m, static_cast<const double*>(weight), ldw, static_cast<const double*>(image), channels, g,
                        static_cast<double*>(out));
    } else {
        fail(CMP_STATUS_INTERNAL_ERROR, str("conv_gemm: kernel called with dtype ", dtype_name(dtype)));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(conv_gemm_stub, conv_gemm_kernel)

}  // namespace cmp::cpu
