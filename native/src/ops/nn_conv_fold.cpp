// F.unfold and F.fold: the engine's im2col and col2im exposed on their own (2 spatial dims, as
// in PyTorch). They share the convolution geometry: "image" is the picture, "out" the grid of
// block positions.
#include "ops/nn_conv.h"

#include "ops/nn_conv_engine.h"

namespace cmp::ops {
namespace {

struct Blocks {
    conv_engine::Problem prob;
    DType compute;
    int64_t kernel_volume, blocks;
};

// Checks the per-dim arrays and the dtype, and derives the block grid of a [*, C, H, W] image.
Blocks block_grid(const char* op, const Tensor& t, int64_t batch, int64_t channels, const Shape& image,
                  const Shape& kernel_size, const Shape& dilation, const Shape& padding, const Shape& stride) {
    CMP_CHECK(is_floating(t.dtype()), DTYPE_MISMATCH, op, ": expected a floating-point input, but got ",
              dtype_name(t.dtype()), " (input of shape ", t.sizes(), ")");
    require_available(t.device(), op);
    const std::pair<const char*, const Shape*> arrays[] = {
        {"kernel_size", &kernel_size}, {"dilation", &dilation}, {"padding", &padding}, {"stride", &stride}};
    for (const auto& [name, v] : arrays) {
        CMP_CHECK(v->size() == 2, INVALID_ARGUMENT, op, ": expected ", name, " to have 2 values, but got ", *v);
        const int64_t min = v == &padding ? 0 : 1;
        for (int64_t x : *v) {
            CMP_CHECK(x >= min, INVALID_ARGUMENT, op, ": expected ", name, min == 0 ? " to be non-negative" : " to be positive",
                      ", but got ", name, "=", *v);
        }
    }
    Blocks b{};
    b.compute = t.dtype() == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    b.prob.batch = batch;
    b.prob.image_channels = b.prob.out_channels = channels;
    auto& g = b.prob.geom;
    g.image[0] = g.out[0] = g.kernel[0] = g.stride[0] = g.dilation[0] = 1;
    g.pad[0] = 0;
    Shape grid(2);
    for (int i = 0; i < 2; ++i) {
        grid[i] = (image[i] + 2 * padding[i] - dilation[i] * (kernel_size[i] - 1) - 1) / stride[i] + 1;
        const bool fits = image[i] + 2 * padding[i] >= dilation[i] * (kernel_size[i] - 1) + 1;
        CMP_CHECK(fits && grid[i] >= 1, SHAPE_MISMATCH, op, ": image of spatial size ", image, " with kernel_size=",
                  kernel_size, ", dilation=", dilation, ", padding=", padding, ", stride=", stride,
                  " has no complete sliding block in dim ", i, " (input of shape ", t.sizes(), ")");
        g.image[i + 1] = image[i];
        g.out[i + 1] = grid[i];
        g.kernel[i + 1] = kernel_size[i];
        g.stride[i + 1] = stride[i];
        g.dilation[i + 1] = dilation[i];
        g.pad[i + 1] = padding[i];
    }
    b.kernel_volume = kernel_size[0] * kernel_size[1];
    b.blocks = grid[0] * grid[1];
    return b;
}

Tensor prepared(const Tensor& t, DType compute, const Shape& batched) {
    return view(contiguous(to_dtype(t, compute)), batched);
}

}  // namespace

Tensor unfold(const Tensor& input, const Shape& kernel_size, const Shape& dilation, const Shape& padding,
              const Shape& stride) {
    CMP_CHECK(input.dim() == 3 || input.dim() == 4, SHAPE_MISMATCH,
              "unfold: expected 3-D (unbatched) or 4-D (batched) input, but got input of shape ", input.sizes());
    const bool batched = input.dim() == 4;
    const int64_t n = batched ? input.size(0) : 1, c = input.size(-3);
    const Blocks b = block_grid("unfold", input, n, c, {input.size(-2), input.size(-1)}, kernel_size, dilation, padding,
                                stride);
    const Tensor x = prepared(input, b.compute, {n, c, input.size(-2), input.size(-1)});
    Tensor cols = Tensor::empty({n, c * b.kernel_volume, b.blocks}, b.compute, input.device());
    conv_engine::unfold(b.prob, x, cols);
    Tensor out = to_dtype(cols, input.dtype());
    return batched ? out : view(out, {c * b.kernel_volume, b.blocks});
}

Tensor fold(const Tensor& input, const Shape& output_size, const Shape& kernel_size, const Shape& dilation,
            const Shape& padding, const Shape& stride) {
    CMP_CHECK(input.dim() == 2 || input.dim() == 3, SHAPE_MISMATCH,
              "fold: expected 2-D (unbatched) or 3-D (batched) input, but got input of shape ", input.sizes());
    CMP_CHECK(output_size.size() == 2, INVALID_ARGUMENT, "fold: expected output_size to have 2 values, but got ",
              output_size);
    CMP_CHECK(kernel_size.size() == 2 && kernel_size[0] > 0 && kernel_size[1] > 0, INVALID_ARGUMENT,
              "fold: expected kernel_size to have 2 positive values, but got ", kernel_size);
    const bool batched = input.dim() == 3;
    const int64_t n = batched ? input.size(0) : 1, rows = input.size(-2);
    const int64_t kv = kernel_size[0] * kernel_size[1];
    CMP_CHECK(rows % kv == 0, SHAPE_MISMATCH, "fold: expected input's dim ", batched ? 1 : 0,
              " to be divisible by the product of kernel_size ", kernel_size, ", but got input of shape ", input.sizes());
    const int64_t c = rows / kv;
    const Blocks b = block_grid("fold", input, n, c, output_size, kernel_size, dilation, padding, stride);
    CMP_CHECK(input.size(-1) == b.blocks, SHAPE_MISMATCH, "fold: expected input's last dim to be the number of ",
              "sliding blocks ", b.blocks, " of output_size=", output_size, ", but got input of shape ", input.sizes());
    const Tensor cols = prepared(input, b.compute, {n, rows, b.blocks});
    Tensor image = Tensor::empty({n, c, output_size[0], output_size[1]}, b.compute, input.device());
    conv_engine::fold(b.prob, cols, image);
    Tensor out = to_dtype(image, input.dtype());
    return batched ? out : view(out, {c, output_size[0], output_size[1]});
}

}  // namespace cmp::ops
