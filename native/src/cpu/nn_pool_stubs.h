// Dispatch stubs of the pooling family (max/avg/adaptive pooling, interpolate, grid_sample).
//
// Every kernel sees channels-first contiguous tensors viewed as `planes` (N * C) planes of up
// to three spatial dims; the front-ends (ops/nn_pool*.cpp) validate arguments, make inputs
// contiguous, convert float16/bfloat16 to float32 and back, and describe the windows or the
// interpolation taps of each spatial dim once, so one kernel serves 1-d, 2-d and 3-d.
#pragma once

#include "core/tensor.h"
#include "cpu/dispatch_stub.h"

#include <vector>

namespace cmp::cpu {

constexpr int kMaxPoolDims = 3;

// One spatial dim of a pooling. Output o reads the input positions first[o] + k * step for k
// in [0, count[o]) - all inside the input, padding already cut away. divisor[o] is the dim's
// factor of an average's divisor (the window extent with or without padding).
struct PoolDim {
    int64_t in_size = 1;
    int64_t out_size = 1;
    int64_t step = 1;
    std::vector<int64_t> first, count, divisor;
    // Regular windows (not adaptive): output o reads o * stride + offset + k * step for k in
    // [0, kernel), where inside the input. Lets the kernels loop over k outside and o inside.
    bool regular = false;
    int64_t stride = 1, offset = 0, kernel = 1;
};

// Leading dims beyond the op's rank are size-1 dims with a one-element window, so the kernels
// always loop over three dims.
struct PoolPlan {
    int64_t planes = 0;
    PoolDim dims[kMaxPoolDims];
    // Average: 0 divides by the product of the dims' divisors as one int64 (avg_pool), -1
    // divides by each dim's divisor in turn (adaptive_avg_pool, as PyTorch), > 0 overrides.
    int64_t divisor_override = 0;

    int64_t in_plane() const { return dims[0].in_size * dims[1].in_size * dims[2].in_size; }
    int64_t out_plane() const { return dims[0].out_size * dims[1].out_size * dims[2].out_size; }

    // Whether the windows tile the planes: in every dim, output o reads exactly the positions
    // [o * k, (o + 1) * k) with k = in_size / out_size (global pooling, adaptive pooling to a
    // size that divides the input, kernel == stride without padding). Each input position is
    // then in exactly one window, so an average's gradient is written, not accumulated.
    bool tiles() const {
        for (const PoolDim& d : dims) {
            if (d.out_size < 1 || d.step != 1 || d.in_size % d.out_size != 0) return false;
            const int64_t k = d.in_size / d.out_size;
            for (int64_t o = 0; o < d.out_size; ++o)
                if (d.first[static_cast<size_t>(o)] != o * k || d.count[static_cast<size_t>(o)] != k) return false;
        }
        return true;
    }
};

enum class PoolKind { Max, Avg };

// Max: out = window maxima (NaN wins), indices (int64, may be undefined only for Avg) the flat
// position in the input plane. Avg: out = window mean. in/out/indices are contiguous.
CMP_DECLARE_STUB(pool_forward_stub,
                 void (*)(const PoolPlan& plan, PoolKind kind, const Tensor& in, const Tensor& out, const Tensor& indices));
// grad_in (contiguous) += the average's share of grad_out over each window; grad_in is
// zero-filled by the caller unless plan.tiles(), in which case the kernel writes every element.
CMP_DECLARE_STUB(avg_pool_backward_stub, void (*)(const PoolPlan& plan, const Tensor& grad_out, const Tensor& grad_in));
// grad_in (contiguous, zero-filled, planes x in_plane) += grad_out at indices (planes x out_plane).
CMP_DECLARE_STUB(max_pool_backward_stub, void (*)(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in,
                                                  int64_t planes, int64_t in_plane, int64_t out_plane));

// The source taps of one output index of one spatial dim: nearest modes use i0 only; linear
// mixes w0 * x[i0] + w1 * x[i1].
struct InterpTap {
    int64_t i0 = 0, i1 = 0;
    double w0 = 1, w1 = 0;
};

struct InterpDim {
    int64_t in_size = 1;
    int64_t out_size = 1;
    bool real = false;  // false for the size-1 dims that pad the op's rank to three
    std::vector<InterpTap> taps;
};

struct InterpPlan {
    int64_t planes = 0;
    bool linear = false;
    InterpDim dims[kMaxPoolDims];
};

CMP_DECLARE_STUB(interpolate_stub, void (*)(const InterpPlan& plan, const Tensor& in, const Tensor& out));
// grad_in (contiguous, zero-filled) += grad_out spread over the taps.
CMP_DECLARE_STUB(interpolate_backward_stub, void (*)(const InterpPlan& plan, const Tensor& grad_out, const Tensor& grad_in));

// grid_sample 2-d: input [N, C, H, W], grid [N, Ho, Wo, 2], out [N, C, Ho, Wo], all contiguous
// and of one floating dtype (float32 or float64).
struct GridSampleArgs {
    bool nearest = false;
    int padding = 0;  // cmp_grid_padding_mode
    bool align_corners = false;
};

CMP_DECLARE_STUB(grid_sample_stub, void (*)(const GridSampleArgs& args, const Tensor& input, const Tensor& grid, const Tensor& out));
// grad_input (zero-filled) and grad_grid (fully written) from grad_out.
CMP_DECLARE_STUB(grid_sample_backward_stub, void (*)(const GridSampleArgs& args, const Tensor& grad_out, const Tensor& input,
                                                     const Tensor& grid, const Tensor& grad_input, const Tensor& grad_grid));

}  // namespace cmp::cpu
