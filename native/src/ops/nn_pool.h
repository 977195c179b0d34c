// Pooling, upsampling and grid sampling (torch.nn.functional), forward and backward.
// Inputs are [N, C, *spatial] or unbatched [C, *spatial] with `nspatial` (1..3) spatial dims;
// per-dim arguments hold nspatial values (stride empty = kernel_size).
#pragma once

#include "ops/ops.h"

#include <optional>
#include <utility>
#include <vector>

namespace cmp::ops {

struct PoolArgs {
    int64_t nspatial = 2;
    Shape kernel_size, stride, padding, dilation;  // dilation empty = 1 (avg pooling has none)
    bool ceil_mode = false;
};

// (values, int64 indices into the flattened input plane).
std::pair<Tensor, Tensor> max_pool(const Tensor& input, const PoolArgs& args);
Tensor max_pool_backward(const Tensor& grad_output, const Tensor& input, int64_t nspatial, const Tensor& indices);

Tensor avg_pool(const Tensor& input, const PoolArgs& args, bool count_include_pad, int64_t divisor_override);
Tensor avg_pool_backward(const Tensor& grad_output, const Tensor& input, const PoolArgs& args, bool count_include_pad,
                         int64_t divisor_override);

Tensor adaptive_avg_pool(const Tensor& input, int64_t nspatial, const Shape& output_size);
Tensor adaptive_avg_pool_backward(const Tensor& grad_output, const Tensor& input, int64_t nspatial);
std::pair<Tensor, Tensor> adaptive_max_pool(const Tensor& input, int64_t nspatial, const Shape& output_size);

enum class InterpMode { Nearest = 0, NearestExact = 1, Linear = 2 };

struct InterpArgs {
    int64_t nspatial = 2;
    Shape size;                        // empty when scale_factor is given
    std::vector<double> scale_factor;  // empty when size is given
    InterpMode mode = InterpMode::Nearest;
    bool align_corners = false;
    bool recompute_scale_factor = false;
};

Tensor interpolate(const Tensor& input, const InterpArgs& args);
// args.nspatial = input_size.size() - 2; the output size is grad_output's.
Tensor interpolate_backward(const Tensor& grad_output, const Shape& input_size, const InterpArgs& args);

Tensor grid_sample(const Tensor& input, const Tensor& grid, int32_t mode, int32_t padding_mode, bool align_corners);
std::pair<Tensor, Tensor> grid_sample_backward(const Tensor& grad_output, const Tensor& input, const Tensor& grid,
                                               int32_t mode, int32_t padding_mode, bool align_corners);

}  // namespace cmp::ops
