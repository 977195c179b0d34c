// Kernels of the normalisation family (softmax, layer/group/RMS norm, batch norm, dropout). The front-ends
// in ops/nn_norm*.cpp check shapes, make the operands contiguous and describe them with the plans
// below; the kernels in cpu/kernels/nn_norm_*.cpp are compiled per ISA.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cmath>
#include <cstdint>

namespace cmp::cpu {

// A contiguous tensor seen as [outer, dim, inner]: softmax runs along the middle axis.
struct SoftmaxPlan {
    DType dtype;  // every operand's dtype
    int64_t outer;
    int64_t dim;
    int64_t inner;
};

// forward: out = softmax(in) or log_softmax(in).
CMP_DECLARE_STUB(softmax_stub, void (*)(const SoftmaxPlan&, const void* in, void* out, bool log));
// backward: grad_in from grad_out and the forward's output.
CMP_DECLARE_STUB(softmax_backward_stub,
                 void (*)(const SoftmaxPlan&, const void* grad_out, const void* out, void* grad_in, bool log));

// Rows normalised on their own (layer norm, group norm, RMS norm). A contiguous input is `rows`
// rows of `row_len` elements; a row holds `channels` consecutive channels of `inner` elements
// each (layer norm: channels = row_len, inner = 1; group norm: channels = C / groups,
// inner = H*W...). Channel k of row r has the affine index (r % groups) * channels + k.
struct RowNormPlan {
    DType dtype;       // input/output/weight/bias dtype
    DType stat_dtype;  // mean/rstd dtype (float32 for 16-bit inputs)
    int64_t rows;
    int64_t row_len;
    int64_t channels;
    int64_t inner;
    int64_t groups;
    double eps;
    bool rms;  // no mean: x * rsqrt(mean(x^2) + eps)
};

struct RowNormData {
    const void* x;
    const void* weight;  // null: ones
    const void* bias;    // null: zeros
    void* y;
    void* mean;  // null for rms
    void* rstd;
};

struct RowNormGrads {
    const void* grad_out;
    const void* x;
    const void* weight;  // null: ones
    const void* mean;    // null for rms
    const void* rstd;
    void* grad_in;
    void* grad_weight;  // groups * channels values
    void* grad_bias;    // null for rms
};

CMP_DECLARE_STUB(row_norm_stub, void (*)(const RowNormPlan&, const RowNormData&));
CMP_DECLARE_STUB(row_norm_backward_stub, void (*)(const RowNormPlan&, const RowNormGrads&));

// Batch norm of a contiguous [batch, channels, inner] input: statistics per channel.
struct BatchNormPlan {
    DType dtype;       // input/output/weight/bias/running dtype
    DType stat_dtype;  // save_mean/save_invstd dtype
    int64_t batch;
    int64_t channels;
    int64_t inner;
    bool training;
    double momentum;
    double eps;
};

struct BatchNormData {
    const void* x;
    const void* weight;  // null: ones
    const void* bias;    // null: zeros
    void* running_mean;  // training: updated in place when not null; eval: read
    void* running_var;
    void* y;
    void* save_mean;
    void* save_invstd;
};

struct BatchNormGrads {
    const void* grad_out;
    const void* x;
    const void* weight;  // null: ones
    const void* save_mean;
    const void* save_invstd;
    void* grad_in;
    void* grad_weight;
    void* grad_bias;
};

CMP_DECLARE_STUB(batch_norm_stub, void (*)(const BatchNormPlan&, const BatchNormData&));
CMP_DECLARE_STUB(batch_norm_backward_stub, void (*)(const BatchNormPlan&, const BatchNormGrads&));

// Dropout of a contiguous tensor seen as `rows` rows of `inner` elements with one keep decision
// per row (dropout: inner = 1; feature dropout: a row is one (sample, channel)). A kept row is
// multiplied by `scale`, a dropped one by 0, so a NaN stays NaN as in PyTorch's x * mask * scale.
struct DropoutPlan {
    DType dtype;  // input/output dtype
    int64_t rows;
    int64_t inner;
    double scale;  // 1 / (1 - p); 0 when p == 1
};

// Where the keep decisions come from (core/philox.h's stream): decision i is word i % 4 of block
// offset + i / 4 and is kept when (word >> 8) >= threshold, i.e. rand's float32 u >= p.
struct DropoutDraw {
    uint64_t seed;
    uint64_t offset;
    uint32_t threshold;  // dropout_threshold(p)
};

// u >= p  <=>  (w >> 8) >= p * 2^24  <=>  (w >> 8) >= ceil(p * 2^24): compared in integers, p
// never rounded (p * 2^24 is exact in double).
inline uint32_t dropout_threshold(double p) { return static_cast<uint32_t>(std::ceil(p * 16777216.0)); }

// forward: draws the mask (rows bools) and writes out = x * (mask ? scale : 0).
CMP_DECLARE_STUB(dropout_stub, void (*)(const DropoutPlan&, const DropoutDraw&, const void* x, void* out, bool* mask));
// backward (and the scaling of a mask already drawn): grad_in = grad_out * (mask ? scale : 0).
CMP_DECLARE_STUB(dropout_apply_stub,
                 void (*)(const DropoutPlan&, const void* grad_out, const bool* mask, void* grad_in));

}  // namespace cmp::cpu
