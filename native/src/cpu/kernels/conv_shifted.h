// The layout shared by the implicit-GEMM convolutions (conv_gemm.cpp: forward and image
// gradient; conv_weight_grad.cpp: weight gradient; conv_gemm_applies).
//
// The image is copied with its zero border into planes of Dq x Hq x Wq, and output positions
// are indexed "extended": e = (od * Hq + oh) * Wq + ow with ow running over the whole plane
// width (and oh over its height between depth slices). Tap (kd, kh, kw) of every extended
// position then reads a plane at e + a fixed offset, so the im2col row of a (channel, tap) is
// a plane shifted, with unit stride along e. The extended positions with ow >= out width (or
// oh >= out height) are not output positions; the callers drop or skip them.
//
// At stride 1 there is one plane per channel, the padded image (Hq = out + dilated kernel
// reach - 1). With a stride s > 1 along a dim, the padded image is split into s phases along
// it, phase f holding the padded rows f, f + s, f + 2s, ...: output o's tap k reads padded row
// o * s + k * dilation = (o + k * dilation / s) * s + k * dilation % s, i.e. row o + k *
// dilation / s of phase k * dilation % s, again a shift. Each channel then has s0 * s1 * s2
// phase planes (the copy reads the image once; im2col wrote kernel-volume / stride-product
// times the image).
//
// Rows share their horizontal border at stride 1 along the width: a row is laid out as
// [left zeros][image][right zeros], and the right zeros of row r may be the left zeros of row
// r + 1, because a tap that reads past a row's end lands at column c - Wq of the next row,
// which is left border while c - Wq < pad. So Wq = the full padded width minus `shared` =
// min(left pad, right pad, kernel reach) columns; the extended positions that are not output
// positions drop from 2 to 1 per row of a 14-wide 3x3 layer (16 -> 15 columns: a GEMM with
// 1/16 less work). A read past the last row of the last plane reaches `shared - 1` elements
// past the planes, covered by `overread()` zeros.
#pragma once

#include "cpu/kernels/gemm_driver.h"
#include "cpu/nn_conv_stubs.h"

#include <algorithm>
#include <vector>

namespace cmp::cpu {
namespace {

struct PaddedPlane {
    int64_t Dq, Hq, Wq;  // one plane (phase)
    int64_t phases;      // planes per channel: the product of the strides
    const ConvGeom3* g;
    // Image rows beyond the padded extent are never read (the padding after the image only
    // shows in the output size), so stride-1 copies are clipped to d_end x h_end rows of w_len.
    int64_t d_end, h_end, w_len;

    explicit PaddedPlane(const ConvGeom3& geom)
        : Dq(extent(geom, 0)), Hq(extent(geom, 1)), Wq(extent(geom, 2) - shared_columns(geom)),
          phases(geom.stride[0] * geom.stride[1] * geom.stride[2]), g(&geom),
          d_end(min_of(geom.image[0], Dq - geom.pad[0])),
          h_end(min_of(geom.image[1], Hq - geom.pad[1])),
          w_len(max_of<int64_t>(0, min_of(geom.image[2], Wq - geom.pad[2]))) {}

    static int64_t extent(const ConvGeom3& g, int i) {
        return g.out[i] + g.dilation[i] * (g.kernel[i] - 1) / g.stride[i];
    }
    // Border columns a row shares with the next (see the top of the file).
    static int64_t shared_columns(const ConvGeom3& g) {
        if (g.stride[2] != 1) return 0;
        const int64_t right = extent(g, 2) - g.pad[2] - g.image[2], reach = g.dilation[2] * (g.kernel[2] - 1);
        return max_of<int64_t>(0, min_of(min_of(g.pad[2], right), reach));
    }
    // Zero elements a buffer of planes needs after its last plane for the reads that run past
    // the last row into the next row's left border.
    int64_t overread() const { return extent(*g, 2) - Wq; }
    int64_t size() const { return Dq * Hq * Wq; }
    // Elements per channel.
    int64_t channel_size() const { return phases * size(); }
    // Extended positions up to the last output position.
    int64_t extended() const { return ((g->out[0] - 1) * Hq + g->out[1] - 1) * Wq + g->out[2]; }
    // Offset of each tap (kd, kh, kw) from a channel's first plane, in elements.
    std::vector<int64_t> tap_offsets() const {
        std::vector<int64_t> off;
        for (int64_t kd = 0; kd < g->kernel[0]; ++kd) {
            for (int64_t kh = 0; kh < g->kernel[1]; ++kh) {
                for (int64_t kw = 0; kw < g->kernel[2]; ++kw) {
                    const int64_t rd = kd * g->dilation[0], rh = kh * g->dilation[1], rw = kw * g->dilation[2];
                    const int64_t phase = ((rd % g->stride[0]) * g->stride[1] + rh % g->stride[1]) * g->stride[2] +
                                          rw % g->stride[2];
                    off.push_back(phase * size() + ((rd / g->stride[0]) * Hq + rh / g->stride[1]) * Wq +
                                  rw / g->stride[2]);
                }
            }
        }
        return off;
    }
    // Stride 1: calls fn(position of the row's first pixel in the plane, d, h) for every
    // image row copied.
    template <typename Fn>
    void for_each_image_row(Fn&& fn) const {
        for (int64_t d = 0; d < d_end; ++d) {
            for (int64_t h = 0; h < h_end; ++h) fn(((d + g->pad[0]) * Hq + h + g->pad[1]) * Wq + g->pad[2], d, h);
        }
    }
    // Copies one channel (image plane src) into its planes at dst, which hold zeros.
    template <typename T>
    void copy_channel(const T* src, T* dst) const {
        const int64_t W = g->image[2];
        if (phases == 1) {
            for_each_image_row([&](int64_t pos, int64_t d, int64_t h) {
                const T* row = src + (d * g->image[1] + h) * W;
                std::copy(row, row + w_len, dst + pos);
            });
            return;
        }
        const int64_t s0 = g->stride[0], s1 = g->stride[1], s2 = g->stride[2];
        for (int64_t f = 0; f < phases; ++f) {
            const int64_t fd = f / (s1 * s2), fh = f / s2 % s1, fw = f % s2;
            // Plane column j holds image column j * s2 + fw - pad: those inside the image.
            const int64_t first = fw - g->pad[2];  // image column of j = 0
            const int64_t j_lo = first >= 0 ? 0 : (-first + s2 - 1) / s2;
            const int64_t j_hi = min_of(Wq, W - 1 - first < 0 ? int64_t(0) : (W - 1 - first) / s2 + 1);
            for (int64_t i = 0; i < Dq; ++i) {
                const int64_t d = i * s0 + fd - g->pad[0];
                if (d < 0 || d >= g->image[0]) continue;
                for (int64_t r = 0; r < Hq; ++r) {
                    const int64_t h = r * s1 + fh - g->pad[1];
                    if (h < 0 || h >= g->image[1]) continue;
                    const T* row = src + (d * g->image[1] + h) * W;
                    T* out = dst + f * size() + (i * Hq + r) * Wq;
                    for (int64_t j = j_lo; j < j_hi; ++j) out[j] = row[first + j * s2];
                }
            }
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

// Copies `channels` planes of image into storage (zero-bordered, overread() + `slack` zeros
// after the last plane) and fills in the offsets.
template <typename T>
ShiftedImage<T> shifted_image(const T* image, int64_t channels, const ConvGeom3& g, int64_t slack,
                              PackBuffer& storage) {
    const PaddedPlane pp(g);
    const int64_t per_channel = pp.channel_size();
    const int64_t total = channels * per_channel + pp.overread() + slack;
    T* buf = storage.get<T>(total);
    std::fill(buf, buf + total, T(0));
    for (int64_t c = 0; c < channels; ++c) pp.copy_channel(image + c * g.image_plane(), buf + c * per_channel);
    ShiftedImage<T> s;
    s.Hp = pp.Hq;
    s.Wp = pp.Wq;
    s.n_ext = pp.extended();
    s.buf = buf;
    const std::vector<int64_t> taps = pp.tap_offsets();
    for (int64_t c = 0; c < channels; ++c) {
        for (const int64_t t : taps) s.offsets.push_back(c * per_channel + t);
    }
    return s;
}

}  // namespace
}  // namespace cmp::cpu
