// Dropout and feature dropout on the default Philox generator, and their backward.
//
// Stream layout (see core/philox.h): a call that draws n keep decisions reserves ceil(n / 4)
// blocks; decision i uses word w[i % 4] of block offset + i / 4 as rand's float32 uniform
// u = (w >> 8) * 2^-24 and keeps the element (or channel) when u >= p. So P(keep) = 1 - p up to
// the 2^-24 grid, and a seed gives the same mask for any thread count.
//
// The output is x * (kept ? 1 / (1 - p) : 0), as PyTorch's x * (bernoulli(1 - p) / (1 - p)):
// a NaN in a dropped element stays NaN.
#include "core/error.h"
#include "core/parallel.h"
#include "core/philox.h"
#include "ops/nn_norm.h"
#include "ops/nn_norm_util.h"
#include "ops/ops.h"

#include <cstdint>

namespace cmp::ops {
namespace {

constexpr int kPerBlock = 4;

void check_p(double p, const char* op) {
    CMP_CHECK(p >= 0.0 && p <= 1.0, INVALID_ARGUMENT, op, ": dropout probability has to be between 0 and 1, but got ", p);
}

// n keep decisions into mask (bool), drawn in parallel from one reserved range of blocks.
void draw_mask(bool* mask, int64_t n, double p) {
    const int64_t blocks = (n + kPerBlock - 1) / kPerBlock;
    if (blocks == 0) return;
    const PhiloxState state = philox_reserve(static_cast<uint64_t>(blocks));
    // u >= p  <=>  (w >> 8) >= p * 2^24, compared in integers to avoid rounding p.
    const double threshold = p * 16777216.0;
    parallel_for(0, blocks, 4096, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            const PhiloxBlock block = philox_block(state.seed, state.offset + static_cast<uint64_t>(b));
            const int64_t first = b * kPerBlock;
            for (int64_t j = 0; j < kPerBlock && first + j < n; ++j) mask[first + j] = static_cast<double>(block.w[j] >> 8) >= threshold;
        }
    });
}

// out = x * (mask[i / inner] ? scale : 0) for contiguous x, out.
void apply_mask(const Tensor& x, const Tensor& out, const bool* mask, int64_t inner, double scale) {
    const int64_t n = x.numel();
    CMP_DISPATCH_FLOATING_TYPES(x.dtype(), "dropout", [&] {
        using A = opmath_t<scalar_t>;
        const scalar_t* in = x.data<scalar_t>();
        scalar_t* o = out.data<scalar_t>();
        const A keep = static_cast<A>(scale);
        parallel_for(0, n, kDefaultGrain, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) o[i] = static_cast<scalar_t>(static_cast<A>(in[i]) * (mask[i / inner] ? keep : A(0)));
        });
    });
}

std::pair<Tensor, Tensor> dropout_impl(const Tensor& input, double p, bool training, const Shape& mask_shape,
                                       int64_t inner, const char* op) {
    Tensor mask = Tensor::empty(mask_shape, CMP_DTYPE_BOOL, input.device(), op);
    if (!training || p == 0.0) {
        fill_(mask, scalar_bool(true));
        return {clone(input), mask};
    }
    draw_mask(mask.data<bool>(), mask.numel(), p);
    const Tensor x = contiguous(input);
    Tensor out = Tensor::empty(input.sizes(), input.dtype(), input.device(), op);
    apply_mask(x, out, mask.data<bool>(), inner, p == 1.0 ? 0.0 : 1.0 / (1.0 - p));
    return {out, mask};
}

}  // namespace

std::pair<Tensor, Tensor> dropout(const Tensor& input, double p, bool training) {
    const char* op = "dropout";
    nn_norm::require_floating(input, op, "input");
    check_p(p, op);
    return dropout_impl(input, p, training, input.sizes(), 1, op);
}

std::pair<Tensor, Tensor> feature_dropout(const Tensor& input, double p, bool training) {
    const char* op = "feature_dropout";
    nn_norm::require_floating(input, op, "input");
    check_p(p, op);
    CMP_CHECK(input.dim() >= 2, SHAPE_MISMATCH, op, ": expected an (N, C, *) input with at least 2 dims, got shape ",
              input.sizes());
    Shape mask_shape(static_cast<size_t>(input.dim()), 1);
    mask_shape[0] = input.size(0);
    mask_shape[1] = input.size(1);
    return dropout_impl(input, p, training, mask_shape, nn_norm::prod(input.sizes(), 2, input.dim()), op);
}

Tensor dropout_backward(const Tensor& grad_output, const Tensor& mask, double p) {
    const char* op = "dropout_backward";
    nn_norm::require_floating(grad_output, op, "grad_output");
    nn_norm::require(mask, op, "mask");
    check_p(p, op);
    CMP_CHECK(mask.dtype() == CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": mask must be bool, got ", dtype_name(mask.dtype()));
    CMP_CHECK(mask.dim() == grad_output.dim(), SHAPE_MISMATCH, op, ": mask of shape ", mask.sizes(),
              " does not broadcast to grad_output of shape ", grad_output.sizes());
    for (int64_t d = 0; d < mask.dim(); ++d) {
        CMP_CHECK(mask.size(d) == grad_output.size(d) || mask.size(d) == 1, SHAPE_MISMATCH, op, ": mask of shape ",
                  mask.sizes(), " does not broadcast to grad_output of shape ", grad_output.sizes());
    }
    Tensor g = mul(grad_output, mask);
    mul_(g, scalar_tensor(scalar_float(p == 1.0 ? 0.0 : 1.0 / (1.0 - p)), grad_output.device()));
    return g;
}

}  // namespace cmp::ops
