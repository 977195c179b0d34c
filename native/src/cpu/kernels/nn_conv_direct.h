// Vectorised direct loops of the depthwise convolution (used by nn_conv.cpp, compiled per ISA).
//
// One (image, channel) plane at a time. The plane is first copied into a zero-bordered buffer
// (Padded below), so the loops over output rows never test for the image's edges: each output
// row is a sum over the k_h x k_w taps of a shifted buffer row times one weight, computed
// over a tile of up to 4 vectors of outputs held in registers across all taps (GCC 12 does
// not keep such a tile in registers when written as plain loops; see docs/PERFORMANCE.md).
// Only the output width's stride of 1 or 2 is handled here (a stride-2 row is loaded as two
// vectors and its even elements picked by a shuffle); other strides, 3-d kernels and compilers
// without vector extensions keep the scalar loops of nn_conv.cpp.
//
// The three passes map onto two loops:
//  - forward: rows of the padded image convolved with the weight;
//  - gradient of the image: grad_out spread out by the stride (zeros in between) and padded by
//    dilation * (k - 1) - padding, convolved at stride 1 with the flipped weight;
//  - gradient of the weight: per tap, the dot product of grad_out with the shifted image.
#pragma once

#ifndef CMP_ISA_NAME
#error "nn_conv_direct.h is for kernel files compiled per ISA"
#endif

#include "cpu/nn_conv_stubs.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {
namespace direct_conv {

#if defined(__GNUC__)
constexpr bool kAvailable = true;

#if defined(__AVX512F__)
constexpr int kVecBytes = 64;
#elif defined(__AVX__)
constexpr int kVecBytes = 32;
#else
constexpr int kVecBytes = 16;
#endif

template <typename T> struct VecOf;
template <> struct VecOf<float> {
    typedef float type __attribute__((vector_size(kVecBytes)));
    typedef int32_t index __attribute__((vector_size(kVecBytes)));
};
template <> struct VecOf<double> {
    typedef double type __attribute__((vector_size(kVecBytes)));
    typedef int64_t index __attribute__((vector_size(kVecBytes)));
};

template <typename T> using Vec = typename VecOf<T>::type;
template <typename T> constexpr int kLanes = kVecBytes / static_cast<int>(sizeof(T));
constexpr int kTile = 4;  // vectors of outputs per register tile

template <typename T>
inline Vec<T> load(const T* p) {
    Vec<T> v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// p[0], p[S], p[2 S], ... (S = 1 or 2); reads 2 vectors' worth for S = 2.
template <int S, typename T>
inline Vec<T> load_strided(const T* p) {
    if constexpr (S == 1) {
        return load(p);
    } else {
        static_assert(S == 2, "direct_conv handles strides 1 and 2");
        constexpr int L = kLanes<T>;
#if defined(__clang__)
        Vec<T> v;
        for (int i = 0; i < L; ++i) v[i] = p[2 * i];
        return v;
#else
        typename VecOf<T>::index even;
        for (int i = 0; i < L; ++i) even[i] = 2 * i;
        return __builtin_shuffle(load(p), load(p + L), even);
#endif
    }
}
#else
constexpr bool kAvailable = false;
#endif

// One plane of a 2-d problem in the buffer's coordinates: out[oh][ow] = sum over taps (kh, kw)
// of weight[kh][kw] * buf[oh * sh + kh * dh][ow * sw + kw * dw].
struct PlaneGeom {
    int64_t out_h, out_w;
    int64_t kh, kw, sh, sw, dh, dw;

    int64_t rows_read() const { return (out_h - 1) * sh + (kh - 1) * dh + 1; }
    int64_t cols_read() const { return (out_w - 1) * sw + (kw - 1) * dw + 1; }
};

// A zero-bordered copy of one plane: src [src_h, src_w] lands at rows r * spacing_h + off_h,
// cols c * spacing_w + off_w; everything else is zero. Entries outside what the plane's valid
// outputs read (rows_read x cols_read) stay zero, so the lanes past the output width, which
// are computed and dropped, only ever see zeros or data the valid outputs also see. The row
// pitch leaves room for the last vector tile (its stride-2 loads read two vectors).
template <typename T>
class Padded {
public:
    void build(const T* src, int64_t src_h, int64_t src_w, int64_t spacing_h, int64_t spacing_w, int64_t off_h,
               int64_t off_w, const PlaneGeom& pg, int64_t lanes) {
        rows_ = pg.rows_read();
        const int64_t used_cols = pg.cols_read();
        const int64_t wround = (pg.out_w + lanes - 1) / lanes * lanes;
        pitch_ = std::max(used_cols, (wround - 1) * pg.sw + (pg.kw - 1) * pg.dw + 1) + pg.sw * lanes;
        buf_.assign(static_cast<size_t>(rows_ * pitch_), T(0));
        // Source columns c with 0 <= c * spacing_w + off_w < used_cols.
        const int64_t c_lo = off_w >= 0 ? 0 : (-off_w + spacing_w - 1) / spacing_w;
        const int64_t c_hi = std::min(src_w, used_cols - off_w <= 0 ? 0 : (used_cols - off_w - 1) / spacing_w + 1);
        for (int64_t r = 0; r < src_h; ++r) {
            const int64_t dr = r * spacing_h + off_h;
            if (dr < 0) continue;
            if (dr >= rows_) break;
            T* d = buf_.data() + dr * pitch_ + off_w;
            const T* s = src + r * src_w;
            if (spacing_w == 1) {
                if (c_hi > c_lo) std::memcpy(d + c_lo, s + c_lo, static_cast<size_t>(c_hi - c_lo) * sizeof(T));
            } else {
                for (int64_t c = c_lo; c < c_hi; ++c) d[c * spacing_w] = s[c];
            }
        }
    }
    const T* data() const { return buf_.data(); }
    int64_t pitch() const { return pitch_; }

private:
    std::vector<T> buf_;
    int64_t rows_ = 0, pitch_ = 0;
};

#if defined(__GNUC__)
// U vectors of outputs starting at column o0 of output row oh; `count` of them are valid.
template <int S, int U, typename T>
inline void conv_tile(const T* buf, int64_t pitch, const T* w, const PlaneGeom& pg, int64_t oh, int64_t o0,
                      int64_t count, T* dst, bool accumulate, T init) {
    constexpr int L = kLanes<T>;
    Vec<T> acc[U];
    for (int u = 0; u < U; ++u) {
        if (accumulate) {
            T tmp[L] = {};
            const int64_t n = std::clamp<int64_t>(count - u * L, 0, L);
            std::memcpy(tmp, dst + o0 + u * L, static_cast<size_t>(n) * sizeof(T));
            acc[u] = load(tmp);
        } else {
            for (int i = 0; i < L; ++i) acc[u][i] = init;
        }
    }
    for (int64_t kh = 0; kh < pg.kh; ++kh) {
        const T* row = buf + (oh * pg.sh + kh * pg.dh) * pitch + o0 * S;
        for (int64_t kw = 0; kw < pg.kw; ++kw) {
            const T wv = w[kh * pg.kw + kw];
            const T* src = row + kw * pg.dw;
            for (int u = 0; u < U; ++u) acc[u] += wv * load_strided<S>(src + u * L * S);
        }
    }
    for (int u = 0; u < U; ++u) {
        const int64_t n = std::clamp<int64_t>(count - u * L, 0, L);
        if (n == L) {
            std::memcpy(dst + o0 + u * L, &acc[u], sizeof acc[u]);
        } else if (n > 0) {
            T tmp[L];
            std::memcpy(tmp, &acc[u], sizeof tmp);
            std::memcpy(dst + o0 + u * L, tmp, static_cast<size_t>(n) * sizeof(T));
        }
    }
}

template <int S, typename T>
void conv_plane_s(const T* buf, int64_t pitch, const T* w, const PlaneGeom& pg, T* out, bool accumulate, T init) {
    constexpr int L = kLanes<T>;
    for (int64_t oh = 0; oh < pg.out_h; ++oh) {
        T* dst = out + oh * pg.out_w;
        int64_t o0 = 0;
        for (; o0 + kTile * L <= pg.out_w; o0 += kTile * L) {
            conv_tile<S, kTile>(buf, pitch, w, pg, oh, o0, kTile * L, dst, accumulate, init);
        }
        const int64_t rest = pg.out_w - o0;  // < kTile * L: up to kTile vectors, the last partial
        switch ((rest + L - 1) / L) {
            case 0: break;
            case 1: conv_tile<S, 1>(buf, pitch, w, pg, oh, o0, rest, dst, accumulate, init); break;
            case 2: conv_tile<S, 2>(buf, pitch, w, pg, oh, o0, rest, dst, accumulate, init); break;
            case 3: conv_tile<S, 3>(buf, pitch, w, pg, oh, o0, rest, dst, accumulate, init); break;
            default: conv_tile<S, kTile>(buf, pitch, w, pg, oh, o0, rest, dst, accumulate, init); break;
        }
    }
}

// out [out_h, out_w] = (accumulate ? out : init) + the taps of buf (see PlaneGeom).
template <typename T>
void conv_plane(const T* buf, int64_t pitch, const T* w, const PlaneGeom& pg, T* out, bool accumulate, T init) {
    if (pg.sw == 1) conv_plane_s<1>(buf, pitch, w, pg, out, accumulate, init);
    else conv_plane_s<2>(buf, pitch, w, pg, out, accumulate, init);
}

// gw[kh][kw] += sum over the plane of gy[oh][ow] * buf[oh * sh + kh * dh][ow * sw + kw * dw].
// Full vectors of each row go through 2 accumulators per tap; the rest of the row is scalar,
// so lanes past the output width never meet the buffer.
template <int S, typename T>
void weight_grad_plane_s(const T* buf, int64_t pitch, const T* gy, const PlaneGeom& pg, T* gw) {
    constexpr int L = kLanes<T>;
    const int64_t full = pg.out_w / L * L;
    for (int64_t kh = 0; kh < pg.kh; ++kh) {
        for (int64_t kw = 0; kw < pg.kw; ++kw) {
            Vec<T> acc0 = {}, acc1 = {};
            T tail = 0;
            for (int64_t oh = 0; oh < pg.out_h; ++oh) {
                const T* x = buf + (oh * pg.sh + kh * pg.dh) * pitch + kw * pg.dw;
                const T* g = gy + oh * pg.out_w;
                int64_t o = 0;
                for (; o + 2 * L <= full; o += 2 * L) {
                    acc0 += load(g + o) * load_strided<S>(x + o * S);
                    acc1 += load(g + o + L) * load_strided<S>(x + (o + L) * S);
                }
                for (; o < full; o += L) acc0 += load(g + o) * load_strided<S>(x + o * S);
                for (; o < pg.out_w; ++o) tail += g[o] * x[o * S];
            }
            acc0 += acc1;
            T sum = tail;
            for (int i = 0; i < L; ++i) sum += acc0[i];
            gw[kh * pg.kw + kw] += sum;
        }
    }
}

template <typename T>
void weight_grad_plane(const T* buf, int64_t pitch, const T* gy, const PlaneGeom& pg, T* gw) {
    if (pg.sw == 1) weight_grad_plane_s<1>(buf, pitch, gy, pg, gw);
    else weight_grad_plane_s<2>(buf, pitch, gy, pg, gw);
}
#endif

// Whether the vector loops take problem g: 1-d or 2-d, output width stride 1 or 2.
inline bool applies(const ConvGeom3& g) {
    return kAvailable && g.image[0] == 1 && g.kernel[0] == 1 && g.out[0] == 1 && g.pad[0] == 0 &&
           (g.stride[2] == 1 || g.stride[2] == 2);
}

// The image gradient spreads grad_out with a padding of dilation * (k - 1) - pad, which must
// not be negative (a padding wider than the kernel's reach keeps the scalar loop).
inline bool applies_backward_image(const ConvGeom3& g) {
    return kAvailable && g.image[0] == 1 && g.kernel[0] == 1 && g.out[0] == 1 && g.pad[0] == 0 &&
           g.dilation[1] * (g.kernel[1] - 1) >= g.pad[1] && g.dilation[2] * (g.kernel[2] - 1) >= g.pad[2];
}

inline PlaneGeom forward_geom(const ConvGeom3& g) {
    return {g.out[1], g.out[2], g.kernel[1], g.kernel[2], g.stride[1], g.stride[2], g.dilation[1], g.dilation[2]};
}

// The image gradient as a stride-1 convolution over grad_out spread by the stride.
inline PlaneGeom backward_image_geom(const ConvGeom3& g) {
    return {g.image[1], g.image[2], g.kernel[1], g.kernel[2], 1, 1, g.dilation[1], g.dilation[2]};
}

}  // namespace direct_conv
}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
