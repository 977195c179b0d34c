// Argument checking and geometry shared by the convolution front-ends (nn_conv_plan.cpp):
// one Plan describes a convolution or transposed convolution in the engine's terms (image side,
// output side, kernel), with the shapes the caller sees and the dtype the work is done in.
#pragma once

#include "ops/nn_conv.h"
#include "ops/nn_conv_engine.h"

#include <string>

namespace cmp::ops::conv_plan {

struct Plan {
    std::string op;            // "conv2d", "conv_transpose1d", ...
    conv_engine::Problem prob;
    bool batched = true;
    bool transposed = false;
    DType dtype{};             // the caller's dtype
    DType compute{};           // float32 for float16/bfloat16, else dtype
    Device device;             // the input's (every operand's) device
    Shape image_shape;         // [N, C, *image], batched, in the engine's terms
    Shape out_shape;           // [N, C, *out], batched, in the engine's terms
};

std::string op_name(const char* base, int64_t nspatial);

// Checks every argument of a (transposed) convolution and derives its geometry.
Plan make_plan(const char* base, const Tensor& input, const Tensor& weight, int64_t nspatial, const ConvArgs& args,
               bool transposed);

// bias, when defined: 1-D, `channels` long, the input's dtype.
void check_bias(const Plan& plan, const Tensor& bias, int64_t channels);

// The shape the caller sees for an engine-side batched shape (the batch dim dropped when unbatched).
Shape user_shape(const Plan& plan, const Shape& batched);

// t converted to the compute dtype, contiguous, viewed with the batched shape.
Tensor prepare(const Plan& plan, const Tensor& t, const Shape& batched);

// A result computed in the compute dtype, back in the caller's dtype and shape.
Tensor finish(const Plan& plan, const Tensor& t, const Shape& user);

}  // namespace cmp::ops::conv_plan
