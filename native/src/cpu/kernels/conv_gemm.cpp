// Implicit-GEMM convolution (padding >= 0, stride 1 or conv_gemm_applies' strides): out =
// bias + weight x im2col(image) with the GEMM of gemm_driver.h reading its B operand straight
// from a zero-bordered copy of the image, so the C*K x P column matrix (7 MB for a 64-channel
// 56x56 3x3 layer) is never written, read back or packed.
//
// The output is computed over the extended positions of conv_shifted.h: row r of the B
// operand is a plane of the padded image (of one of its phases with a stride) shifted by
// offsets[r], with unit stride along e, so the micro-kernel loads its B rows from there
// (ShiftedRowsB, kInPlace), nothing is packed. The extended columns with ow >= the output
// width are computed into a scratch C and dropped when it is copied to out (1 of 57 for a
// 56-wide 3x3 layer, whose rows share a border column, 1 of 29 for its stride-2 version).
#include "cpu/kernels/conv_shifted.h"
#include "cpu/kernels/gemm_config.h"
#include "cpu/nn_conv_stubs.h"

namespace cmp::cpu {
namespace {

// Element (r, j) of the B operand: base[offsets[r] + j], readable NR - 1 elements past the
// last column.
template <typename T>
struct ShiftedRowsB {
    static constexpr bool kInPlace = true;
    const T* base;
    const int64_t* offsets;
    const T* column(int64_t j) const { return base + j; }
};

// dst[0, len) = src[0, len) + b. Output rows are short in the small-image layers (14 wide:
// less than one AVX-512 vector): a masked vector finishes each row, and dst is only written
// (adding into a bias written first made each row's load wait on the previous row's masked
// store to the same cache line: that pass took a fifth of a [32, 16, 14, 14] layer's time).
template <typename T>
void biased_row(T* __restrict dst, const T* __restrict src, int64_t len, T b) {
    using V = Simd<T>;
    const typename V::reg vb = V::set1(b);
    int64_t w = 0;
    for (; w + V::W <= len; w += V::W) V::storeu(dst + w, V::add(V::loadu(src + w), vb));
    if constexpr (HasMaskedTail<V>) {
        const int rest = static_cast<int>(len - w);
        if (rest > 0) V::storeu_first(dst + w, V::add(V::loadu_first(src + w, rest), vb), rest);
    } else {
        for (; w < len; ++w) dst[w] = src[w] + b;
    }
}

thread_local PackBuffer tls_conv_padded;
thread_local PackBuffer tls_conv_extended;

template <typename Kernel, int64_t MC, int64_t KC, int64_t NC, typename T>
void conv_gemm_shifted(int64_t m, const T* weight, int64_t ldw, const T* image, int64_t channels, const ConvGeom3& g,
                       const T* bias, T* out) {
    // The last panel's in-place reads go up to NR - 1 columns past the last extended position.
    const ShiftedImage<T> src = shifted_image(image, channels, g, Kernel::kNR, tls_conv_padded);
    const int64_t Hp = src.Hp, Wp = src.Wp, n_ext = src.n_ext, k = channels * g.kernel_volume();
    T* ext = tls_conv_extended.get<T>(m * n_ext);
    const bool parallel = m * n_ext * k >= kParallelMinWork && !in_parallel_region();
    gemm_packed_source<T, Kernel, MC, KC, NC>(m, n_ext, k, T(1), weight, ldw, 1,
                                              ShiftedRowsB<T>{src.buf, src.offsets.data()}, T(0), ext, n_ext, 1,
                                              parallel);
    // out = bias + the extended result's real columns.
    const int64_t W = g.out[2];
    for (int64_t o = 0; o < m; ++o) {
        const T b = bias ? bias[o] : T(0);
        for (int64_t d = 0; d < g.out[0]; ++d) {
            for (int64_t h = 0; h < g.out[1]; ++h) {
                biased_row(out + ((o * g.out[0] + d) * g.out[1] + h) * W, ext + o * n_ext + (d * Hp + h) * Wp, W, b);
            }
        }
    }
}

template <typename T>
void conv_gemm_typed(int64_t m, const T* weight, int64_t ldw, const T* image, int64_t channels, const ConvGeom3& g,
                     const T* bias, T* out) {
    const int64_t K = g.kernel_volume(), k = channels * K, n = g.out_plane();
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {  // an empty sum: the bias alone
        for (int64_t o = 0; o < m; ++o) std::fill(out + o * n, out + (o + 1) * n, bias ? bias[o] : T(0));
        return;
    }
    using Config = GemmConfig<T>;
    using Kernel = typename Config::Kernel;
    conv_gemm_shifted<Kernel, Config::MC, Config::KC, Config::NC>(m, weight, ldw, image, channels, g, bias, out);
}

void conv_gemm_kernel(DType dtype, int64_t m, const void* weight, int64_t ldw, const void* image, int64_t channels,
                      const ConvGeom3& g, const void* bias, void* out) {
    if (!conv_gemm_applies(g)) fail(CMP_STATUS_INTERNAL_ERROR, "conv_gemm: called for a geometry it does not handle");
    if (dtype == CMP_DTYPE_FLOAT32) {
        conv_gemm_typed(m, static_cast<const float*>(weight), ldw, static_cast<const float*>(image), channels, g,
                        static_cast<const float*>(bias), static_cast<float*>(out));
    } else if (dtype == CMP_DTYPE_FLOAT64) {
        conv_gemm_typed(m, static_cast<const double*>(weight), ldw, static_cast<const double*>(image), channels, g,
                        static_cast<const double*>(bias), static_cast<double*>(out));
    } else {
        fail(CMP_STATUS_INTERNAL_ERROR, str("conv_gemm: kernel called with dtype ", dtype_name(dtype)));
    }
}

}  // namespace

CMP_REGISTER_KERNEL(conv_gemm_stub, conv_gemm_kernel)

}  // namespace cmp::cpu
