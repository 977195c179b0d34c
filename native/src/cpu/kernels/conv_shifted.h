// The layout shared by the implicit-GEMM convolutions (conv_gemm.cpp: forward and image
// gradient; conv_weight_grad.cpp: weight gradient), stride 1 only (conv_gemm_applies).
//
// The image is copied into planes of Dp x Hp x Wp (out + dilated kernel reach - 1 per dim)
// with its zero border, and output positions are indexed "extended": e = (od * Hp + oh) * Wp
// + ow with ow running over the whole padded width (and oh over the padded height between
// depth slices). Tap (kd, kh, kw) of every extended position then reads the plane at e + a
// fixed offset, so the im2col row of a (channel, tap) is the padded plane shifted, with unit
// stride along e. The extended positions with ow >= out width (or oh >= out height) are not
// output positions; the callers drop or skip them.
#pragma once

#include "cpu/kernels/gemm_driver.h"
#include "cpu/nn_conv_stubs.h"

#include <algorithm>
#include <vector>

namespace cmp::cpu {
namespace {

struct PaddedPlane {
    int64_t Dp, Hp, Wp;
    // Image rows beyond the padded extent are never read (the padding after the image only
    // shows in the output size), so copies are clipped to d_end x h_end rows of w_len.
    int64_t d_end, h_end, w_len;

    explicit PaddedPlane(const ConvGeom3& g)
        : Dp(g.out[0] + g.dilation[0] * (g.kernel[0] - 1)),
          Hp(g.out[1] + g.dilation[1] * (g.kernel[1] - 1)),
          Wp(g.out[2] + g.dilation[2] * (g.kernel[2] - 1)),
          d_end(min_of(g.image[0], Dp - g.pad[0])),
          h_end(min_of(g.image[1], Hp - g.pad[1])),
          w_len(max_of<int64_t>(0, min_of(g.image[2], Wp - g.pad[2]))) {}

    int64_t size() const { return Dp * Hp * Wp; }
    // Extended positions up to the last output position.
    int64_t extended(const ConvGeom3& g) const { return ((g.out[0] - 1) * Hp + g.out[1] - 1) * Wp + g.out[2]; }
    // Offset of each tap (kd, kh, kw), in positions.
    std::vector<int64_t> tap_offsets(const ConvGeom3& g) const {
        std::vector<int64_t> off;
        for (int64_t kd = 0; kd < g.kernel[0]; ++kd) {
            for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
                for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                    off.push_back((kd * g.dilation[0] * Hp + kh * g.dilation[1]) * Wp + kw * g.dilation[2]);
                }
            }
        }
        return off;
    }
    // Calls fn(padded position of the row's first pixel, d, h) for every image row copied.
    template <typename Fn>
    void for_each_image_row(const ConvGeom3& g, Fn&& fn) const {
        for (int64_t d = 0; d < d_end; ++d) {
            for (int64_t h = 0; h < h_end; ++h) fn(((d + g.pad[0]) * Hp + h + g.pad[1]) * Wp + g.pad[2], d, h);
        }
    }
};

template <typename T>
struct ShiftedImage {
    int64_t Hp = 0, Wp = 0;      // padded height and width
    int64_t n_ext = 0;           // extended positions up to the last output position
    const T* buf = nullptr;      // channels planes of Dp * Hp * Wp, then `slack` zeros
    std::vector<int64_t> offsets;  // per im2col row (c, kd, kh, kw), in elements from buf
};

// Copies `channels` planes of image into storage (zero-bordered, `slack` zeros after the
// last plane) and fills in the offsets.
template <typename T>
ShiftedImage<T> shifted_image(const T* image, int64_t channels, const ConvGeom3& g, int64_t slack,
                              PackBuffer& storage) {
    const PaddedPlane pp(g);
    const int64_t plane = pp.size();
    T* buf = storage.get<T>(channels * plane + slack);
    std::fill(buf, buf + channels * plane + slack, T(0));
    for (int64_t c = 0; c < channels; ++c) {
        pp.for_each_image_row(g, [&](int64_t pos, int64_t d, int64_t h) {
            const T* src = image + ((c * g.image[0] + d) * g.image[1] + h) * g.image[2];
            std::copy(src, src + pp.w_len, buf + c * plane + pos);
        });
    }
    ShiftedImage<T> s;
    s.Hp = pp.Hp;
    s.Wp = pp.Wp;
    s.n_ext = pp.extended(g);
    s.buf = buf;
    const std::vector<int64_t> taps = pp.tap_offsets(g);
    for (int64_t c = 0; c < channels; ++c) {
        for (const int64_t t : taps) s.offsets.push_back(c * plane + t);
    }
    return s;
}

}  // namespace
}  // namespace cmp::cpu
