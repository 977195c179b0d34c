// Vectorised direct loops of the depthwise convolution (used by nn_conv.cpp, compiled per ISA).
//
// One (image, channel) plane at a time. The plane is first copied into a zero-bordered buffer
// (Padded below), so the loops over output rows never test for the image's edges: each output
// row is a sum over the k_h x k_w taps of a shifted buffer row times one weight, computed
// over a tile of up to 4 vectors of outputs held in registers across all taps (GCC 12 does
// not keep such a tile in registers when written as plain loops; see docs/PERFORMANCE.md).
// A width stride s > 1 is taken care of in the copy: each buffer row is stored as s phases
// (columns j with j % s == p, in order), so the outputs of a row read contiguous memory for
// every tap and all loads are plain vector loads. 3-d kernels and compilers without vector
// extensions keep the scalar loops of nn_conv.cpp.
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
#include "cpu/vec_width.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {
namespace direct_conv {

#if defined(__GNUC__)
constexpr bool kAvailable = true;

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
// are computed and dropped, only ever see zeros or data the valid outputs also see. Each row
// holds pg.sw phases of `seg` elements (see the top of the file), long enough for the last
// vector tile of any tap.
template <typename T>
class Padded {
public:
    void build(const T* src, int64_t src_h, int64_t src_w, int64_t spacing_h, int64_t spacing_w, int64_t off_h,
               int64_t off_w, const PlaneGeom& pg, int64_t lanes) {
        const int64_t rows = pg.rows_read(), used_cols = pg.cols_read(), phases = pg.sw;
        const int64_t wround = (pg.out_w + lanes - 1) / lanes * lanes;
        const int64_t seg = wround + (pg.kw - 1) * pg.dw / phases + lanes;
        pitch_ = seg * phases;
        tap_offset_.resize(static_cast<size_t>(pg.kw));
        for (int64_t kw = 0; kw < pg.kw; ++kw) {
            const int64_t c = kw * pg.dw;
            tap_offset_[kw] = c % phases * seg + c / phases;
        }
        // Every plane of one convolution writes the same positions, so the zeros around them
        // are written once, when the layout changes.
        const std::vector<int64_t> layout = {rows, pitch_, src_h, src_w, spacing_h, spacing_w, off_h, off_w};
        if (layout != layout_) {
            buf_.assign(static_cast<size_t>(rows * pitch_), T(0));
            layout_ = layout;
        }
        // Source columns c with 0 <= c * spacing_w + off_w < used_cols (off_w >= 0 here).
        const int64_t c_hi = std::min(src_w, used_cols - off_w <= 0 ? 0 : (used_cols - off_w - 1) / spacing_w + 1);
        for (int64_t r = 0; r < src_h; ++r) {
            const int64_t dr = r * spacing_h + off_h;
            if (dr >= rows) break;
            T* d = buf_.data() + dr * pitch_;
            const T* s = src + r * src_w;
            if (spacing_w == 1 && phases == 1) {
                if (c_hi > 0) std::memcpy(d + off_w, s, static_cast<size_t>(c_hi) * sizeof(T));
            } else if (phases == 1) {
                for (int64_t c = 0; c < c_hi; ++c) d[c * spacing_w + off_w] = s[c];
            } else if (spacing_w == 1 && phases == 2) {
                split_pairs(s, c_hi, d, seg, off_w);
            } else if (spacing_w == 1) {
                // Phase p takes the source columns c with (c + off_w) % phases == p, in order.
                for (int64_t p = 0; p < phases; ++p) {
                    const int64_t first = ((p - off_w) % phases + phases) % phases;
                    T* dp = d + p * seg + (first + off_w) / phases;
                    for (int64_t c = first; c < c_hi; c += phases) *dp++ = s[c];
                }
            } else {
                for (int64_t c = 0; c < c_hi; ++c) {
                    const int64_t j = c * spacing_w + off_w;
                    d[j % phases * seg + j / phases] = s[c];
                }
            }
        }
    }
    // Buffer row r, read by tap column kw: output o of the row reads element o.
    const T* tap_row(int64_t r, int64_t kw) const { return buf_.data() + r * pitch_ + tap_offset_[kw]; }

private:
    // Stride 2: source columns c go to buffer column c + off_w, even buffer columns to the first
    // phase and odd ones to the second; a pair of vectors is split by two shuffles.
    static void split_pairs(const T* s, int64_t n, T* d, int64_t seg, int64_t off_w) {
        const int64_t f = off_w & 1, a = off_w >> 1;
        T* even_dst = d + f * seg + a;            // source column 2k lands here at k
        T* odd_dst = d + (1 - f) * seg + a + f;   // source column 2k + 1 lands here at k
        int64_t k = 0;
#if defined(__GNUC__) && !defined(__clang__)
        constexpr int L = kLanes<T>;
        typename VecOf<T>::index even_idx, odd_idx;
        for (int i = 0; i < L; ++i) even_idx[i] = 2 * i, odd_idx[i] = 2 * i + 1;
        auto split_at = [&](int64_t at) {
            const Vec<T> lo = load(s + 2 * at), hi = load(s + 2 * at + L);
            const Vec<T> ev = __builtin_shuffle(lo, hi, even_idx), od = __builtin_shuffle(lo, hi, odd_idx);
            std::memcpy(even_dst + at, &ev, sizeof ev);
            std::memcpy(odd_dst + at, &od, sizeof od);
        };
        for (; 2 * k + 2 * L <= n; k += L) split_at(k);
        if (2 * k < n && n >= 2 * L) {
            // The rest through one more pair ending at (or one before) the row's end; it
            // overlaps pairs already split and stores the same values there again.
            const int64_t last = (n - 2 * L) / 2;
            split_at(last);
            k = last + L;
        }
#endif
        for (; 2 * k < n; ++k) {
            even_dst[k] = s[2 * k];
            if (2 * k + 1 < n) odd_dst[k] = s[2 * k + 1];
        }
    }

    std::vector<T> buf_;
    std::vector<int64_t> tap_offset_, layout_;
    int64_t pitch_ = 0;
};

#if defined(__GNUC__)
// U vectors of outputs starting at column o0 of output row oh; `count` of them are valid.
template <int U, typename T>
inline void conv_tile(const Padded<T>& buf, const T* w, const PlaneGeom& pg, int64_t oh, int64_t o0,
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
            acc[u] = Vec<T>{} + init;  // broadcast; element stores left GCC's arm64 build warning uninitialised
        }
    }
    for (int64_t kh = 0; kh < pg.kh; ++kh) {
        const int64_t r = oh * pg.sh + kh * pg.dh;
        for (int64_t kw = 0; kw < pg.kw; ++kw) {
            const T wv = w[kh * pg.kw + kw];
            const T* src = buf.tap_row(r, kw) + o0;
            for (int u = 0; u < U; ++u) acc[u] += wv * load(src + u * L);
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

// out [out_h, out_w] = (accumulate ? out : init) + the taps of buf (see PlaneGeom).
template <typename T>
void conv_plane(const Padded<T>& buf, const T* w, const PlaneGeom& pg, T* out, bool accumulate, T init) {
    constexpr int L = kLanes<T>;
    for (int64_t oh = 0; oh < pg.out_h; ++oh) {
        T* dst = out + oh * pg.out_w;
        int64_t o0 = 0;
        for (; o0 + kTile * L <= pg.out_w; o0 += kTile * L) {
            conv_tile<kTile>(buf, w, pg, oh, o0, kTile * L, dst, accumulate, init);
        }
        const int64_t rest = pg.out_w - o0;  // < kTile * L: up to kTile vectors, the last partial
        switch ((rest + L - 1) / L) {
            case 0: break;
            case 1: conv_tile<1>(buf, w, pg, oh, o0, rest, dst, accumulate, init); break;
            case 2: conv_tile<2>(buf, w, pg, oh, o0, rest, dst, accumulate, init); break;
            case 3: conv_tile<3>(buf, w, pg, oh, o0, rest, dst, accumulate, init); break;
            default: conv_tile<kTile>(buf, w, pg, oh, o0, rest, dst, accumulate, init); break;
        }
    }
}

// gw[kh][kw] += sum over the plane of gy[oh][ow] * buf[oh * sh + kh * dh][ow * sw + kw * dw].
// KW taps of one kernel row share each vector of grad_out (KW accumulators, two sets for
// latency); the rest of a row past its last full vector is scalar, so lanes past the output
// width never meet the buffer (a masked vector tail was tried: slower, 3.1 -> 4.5 ms on the
// bench's [8, 128, 56, 56] case).
template <int KW, typename T>
void weight_grad_taps(const Padded<T>& buf, const T* gy, const PlaneGeom& pg, int64_t kh, int64_t kw0, T* gw) {
    constexpr int L = kLanes<T>;
    const int64_t full = pg.out_w / L * L;
    Vec<T> acc0[KW] = {}, acc1[KW] = {};
    T tail[KW] = {};
    for (int64_t oh = 0; oh < pg.out_h; ++oh) {
        const int64_t r = oh * pg.sh + kh * pg.dh;
        const T* x[KW];
        for (int kw = 0; kw < KW; ++kw) x[kw] = buf.tap_row(r, kw0 + kw);
        const T* g = gy + oh * pg.out_w;
        int64_t o = 0;
        for (; o + 2 * L <= full; o += 2 * L) {
            const Vec<T> g0 = load(g + o), g1 = load(g + o + L);
            for (int kw = 0; kw < KW; ++kw) {
                acc0[kw] += g0 * load(x[kw] + o);
                acc1[kw] += g1 * load(x[kw] + o + L);
            }
        }
        for (; o < full; o += L) {
            const Vec<T> g0 = load(g + o);
            for (int kw = 0; kw < KW; ++kw) acc0[kw] += g0 * load(x[kw] + o);
        }
        for (; o < pg.out_w; ++o) {
            for (int kw = 0; kw < KW; ++kw) tail[kw] += g[o] * x[kw][o];
        }
    }
    for (int kw = 0; kw < KW; ++kw) {
        const Vec<T> a = acc0[kw] + acc1[kw];
        T sum = tail[kw];
        for (int i = 0; i < L; ++i) sum += a[i];
        gw[kh * pg.kw + kw0 + kw] += sum;
    }
}

// Taps kw0 .. kw0 + KW - 1 of a kernel row at a time, KW <= 5 fixed at compile time (which
// keeps the accumulators in registers).
template <typename T>
void weight_grad_plane(const Padded<T>& buf, const T* gy, const PlaneGeom& pg, T* gw) {
    for (int64_t kh = 0; kh < pg.kh; ++kh) {
        for (int64_t kw0 = 0; kw0 < pg.kw; kw0 += 5) {
            switch (std::min<int64_t>(pg.kw - kw0, 5)) {
                case 1: weight_grad_taps<1>(buf, gy, pg, kh, kw0, gw); break;
                case 2: weight_grad_taps<2>(buf, gy, pg, kh, kw0, gw); break;
                case 3: weight_grad_taps<3>(buf, gy, pg, kh, kw0, gw); break;
                case 4: weight_grad_taps<4>(buf, gy, pg, kh, kw0, gw); break;
                default: weight_grad_taps<5>(buf, gy, pg, kh, kw0, gw); break;
            }
        }
    }
}
#endif

// Whether the vector loops take problem g: 1-d or 2-d.
inline bool applies(const ConvGeom3& g) {
    return kAvailable && g.image[0] == 1 && g.kernel[0] == 1 && g.out[0] == 1 && g.pad[0] == 0;
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
