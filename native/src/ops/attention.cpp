// scaled_dot_product_attention front-end: shape/dtype checks, the batch flattening and mask
// strides the kernel reads, the dropout stream position, and 16-bit inputs computed in float32.
#include "ops/nn_loss.h"

#include "core/philox.h"
#include "ops/ops.h"

#include <cmath>
#include <vector>

namespace cmp::cpu {
CMP_DEFINE_STUB(attention_forward_stub);
CMP_DEFINE_STUB(attention_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {
namespace {

constexpr const char* kOp = "scaled_dot_product_attention";

// Validated operands in the compute dtype, contiguous, with the kernel's arguments. Holds the
// converted tensors and the mask offsets the arguments point into.
struct AttentionProblem {
    Tensor q, k, v, mask;
    std::vector<int64_t> mask_offsets;
    Shape lead;  // the batch dims
    cpu::AttentionArgs args{};
};

AttentionProblem make_problem(const char* op, const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                              double dropout_p, bool is_causal, std::optional<double> scale) {
    for (const Tensor* t : {&q, &k, &v}) {
        CMP_CHECK(is_floating(t->dtype()), DTYPE_MISMATCH, op, ": expected floating q, k, v, got ", dtype_name(q.dtype()), ", ",
                  dtype_name(k.dtype()), ", ", dtype_name(v.dtype()));
        CMP_CHECK(t->dim() >= 2, SHAPE_MISMATCH, op, ": q, k, v need at least 2 dims, got shapes ", q.sizes(), ", ", k.sizes(),
                  ", ", v.sizes());
    }
    CMP_CHECK(q.dtype() == k.dtype() && q.dtype() == v.dtype(), DTYPE_MISMATCH, op, ": q, k, v must have one dtype, got ",
              dtype_name(q.dtype()), ", ", dtype_name(k.dtype()), ", ", dtype_name(v.dtype()));
    AttentionProblem p;
    p.lead.assign(q.sizes().begin(), q.sizes().end() - 2);
    const Shape klead(k.sizes().begin(), k.sizes().end() - 2), vlead(v.sizes().begin(), v.sizes().end() - 2);
    const int64_t L = q.size(-2), E = q.size(-1), S = k.size(-2), Ev = v.size(-1);
    CMP_CHECK(klead == p.lead && vlead == p.lead && k.size(-1) == E && v.size(-2) == S, SHAPE_MISMATCH, op,
              ": expected q (..., L, E), k (..., S, E), v (..., S, Ev) with the same leading dims, got q ", q.sizes(), ", k ",
              k.sizes(), ", v ", v.sizes());
    CMP_CHECK(dropout_p >= 0.0 && dropout_p < 1.0, INVALID_ARGUMENT, op, ": dropout_p must be in [0, 1), got ", dropout_p);
    CMP_CHECK(!(is_causal && mask.defined()), INVALID_ARGUMENT, op, ": attn_mask must be NULL when is_causal is set");
    CMP_CHECK(!scale || std::isfinite(*scale), INVALID_ARGUMENT, op, ": scale must be finite, got ", scale ? *scale : 0.0);
    const DType dtype = q.dtype() == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    p.q = contiguous(to_dtype(q, dtype));
    p.k = contiguous(to_dtype(k, dtype));
    p.v = contiguous(to_dtype(v, dtype));
    int64_t batch = 1;
    for (int64_t s : p.lead) batch *= s;
    cpu::AttentionArgs& a = p.args;
    a.dtype = dtype;
    a.batch = batch;
    a.L = L;
    a.S = S;
    a.E = E;
    a.Ev = Ev;
    a.q = p.q.data_ptr();
    a.k = p.k.data_ptr();
    a.v = p.v.data_ptr();
    a.causal = is_causal;
    a.scale = scale ? *scale : 1.0 / std::sqrt(static_cast<double>(E));
    a.dropout_p = dropout_p;
    if (mask.defined()) {
        CMP_CHECK(mask.dtype() == CMP_DTYPE_BOOL || mask.dtype() == q.dtype(), DTYPE_MISMATCH, op,
                  ": attn_mask must be bool or q's dtype (", dtype_name(q.dtype()), "), got ", dtype_name(mask.dtype()));
        Shape full = p.lead;
        full.push_back(L);
        full.push_back(S);
        bool fits = mask.dim() <= static_cast<int64_t>(full.size());
        for (int64_t d = 1; fits && d <= mask.dim(); ++d) {
            const int64_t m = mask.size(-d), f = full[full.size() - static_cast<size_t>(d)];
            fits = m == 1 || m == f;
        }
        CMP_CHECK(fits, SHAPE_MISMATCH, op, ": attn_mask of shape ", mask.sizes(), " does not broadcast to ", full, " (q ",
                  q.sizes(), ", k ", k.sizes(), ")");
        // Converted at its own size, then viewed (not copied) at the full size: broadcast dims
        // get stride 0, so a (L, S) mask shared by every batch entry stays (L, S) in memory.
        p.mask = expand(mask.dtype() == CMP_DTYPE_BOOL ? mask : to_dtype(mask, dtype), full);
        const Shape& st = p.mask.strides();
        p.mask_offsets.resize(static_cast<size_t>(batch));
        for (int64_t b = 0; b < batch; ++b) {
            int64_t rest = b, off = p.mask.offset();
            for (size_t d = p.lead.size(); d-- > 0;) {
                off += (rest % p.lead[d]) * st[d];
                rest /= p.lead[d];
            }
            p.mask_offsets[static_cast<size_t>(b)] = off;
        }
        // The kernel indexes from the storage start: offsets above already include the view's.
        a.mask = static_cast<const char*>(p.mask.storage()->data());
        a.mask_bool = mask.dtype() == CMP_DTYPE_BOOL;
        a.mask_offsets = p.mask_offsets.data();
        a.mask_rs = st[st.size() - 2];
        a.mask_cs = st[st.size() - 1];
    }
    return p;
}

Shape with_last(const Shape& lead, int64_t a, int64_t b) {
    Shape s = lead;
    s.push_back(a);
    if (b >= 0) s.push_back(b);
    return s;
}

}  // namespace

AttentionResult scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                                             double dropout_p, bool is_causal, std::optional<double> scale) {
    AttentionProblem p = make_problem(kOp, q, k, v, mask, dropout_p, is_causal, scale);
    cpu::AttentionArgs& a = p.args;
    AttentionResult r;
    if (dropout_p > 0) {
        const uint64_t n = static_cast<uint64_t>(a.batch * a.L * a.S);
        const PhiloxState st = philox_reserve((n + 3) / 4);
        a.seed = r.seed = st.seed;
        a.offset = r.offset = st.offset;
    }
    Tensor out = empty(with_last(p.lead, a.L, a.Ev), a.dtype, q.device());
    r.lse = empty(with_last(p.lead, a.L, -1), a.dtype, q.device());
    cpu::attention_forward_stub(a, out.data_ptr(), r.lse.data_ptr());
    r.out = out.dtype() == q.dtype() ? out : to_dtype(out, q.dtype());
    return r;
}

AttentionGrads scaled_dot_product_attention_backward(const Tensor& grad_out, const Tensor& q, const Tensor& k, const Tensor& v,
                                                     const Tensor& mask, double dropout_p, bool is_causal,
                                                     std::optional<double> scale, const Tensor& out, const Tensor& lse,
                                                     uint64_t seed, uint64_t offset) {
    constexpr const char* op = "scaled_dot_product_attention_backward";
    AttentionProblem p = make_problem(op, q, k, v, mask, dropout_p, is_causal, scale);
    cpu::AttentionArgs& a = p.args;
    a.seed = seed;
    a.offset = offset;
    const Shape out_shape = with_last(p.lead, a.L, a.Ev), lse_shape = with_last(p.lead, a.L, -1);
    CMP_CHECK(grad_out.sizes() == out_shape && out.sizes() == out_shape, SHAPE_MISMATCH, op, ": grad_output and out must have shape ",
              out_shape, ", got ", grad_out.sizes(), " and ", out.sizes());
    CMP_CHECK(lse.sizes() == lse_shape, SHAPE_MISMATCH, op, ": logsumexp must have shape ", lse_shape, ", got ", lse.sizes());
    for (const Tensor* t : {&grad_out, &out, &lse})
        CMP_CHECK(is_floating(t->dtype()), DTYPE_MISMATCH, op, ": grad_output, out and logsumexp must be floating, got ",
                  dtype_name(t->dtype()));
    const Tensor g = contiguous(to_dtype(grad_out, a.dtype)), o = contiguous(to_dtype(out, a.dtype)),
                 l = contiguous(to_dtype(lse, a.dtype));
    AttentionGrads r{empty(p.q.sizes(), a.dtype, q.device()), empty(p.k.sizes(), a.dtype, q.device()),
                     empty(p.v.sizes(), a.dtype, q.device())};
    cpu::attention_backward_stub(a, g.data_ptr(), o.data_ptr(), l.data_ptr(), r.q.data_ptr(), r.k.data_ptr(), r.v.data_ptr());
    if (r.q.dtype() != q.dtype()) r = {to_dtype(r.q, q.dtype()), to_dtype(r.k, q.dtype()), to_dtype(r.v, q.dtype())};
    return r;
}

}  // namespace cmp::ops
