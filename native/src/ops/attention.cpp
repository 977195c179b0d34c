// scaled_dot_product_attention front-end: shape/dtype checks, the batch flattening and mask
// strides the kernel reads, the dropout stream position, and 16-bit inputs computed in float32.
//
// On a CUDA device, heads up to COMPUTE_CUDA_ATTENTION_MAX_HEAD (256) elements run the fused
// kernels of cuda/flash_attention.cuh (the backend's attention entries): a pass over the keys
// per block of queries with an online softmax, and a backward that recomputes the weights tile
// by tile from the saved log-sum-exp, so no [L, S] matrix exists, as in the CPU kernel. Larger
// heads are a composition of device ops: the scores scale * q k^T by one batched gemm, the mask
// added (additive) or applied by where (boolean), the causal cut by where with a [L, S] keep
// mask from two aranges, logsumexp and softmax over the keys, the dropout keep mask drawn by
// the device's random fill at the stream position the CPU kernel uses (its decision
// n = (b * L + i) * S + j is word n % 4 of block offset + n / 4: the layout of a dense
// [batch, L, S] mask, so the keep decisions are the CPU's), then a second gemm with v; its
// backward recomputes the scores and P = exp(s - lse) as the CPU kernel does and forms the
// three gradients with gemm.
#include "ops/nn_loss.h"

#include "core/philox.h"
#include "cpu/nn_norm_stubs.h"
#include "ops/binary_math.h"
#include "ops/cuda_ops.h"
#include "ops/nn_norm.h"
#include "ops/ops.h"
#include "ops/reductions.h"

#include <cmath>
#include <limits>
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
    for (const auto& [t, name] : {std::pair{&k, "k"}, std::pair{&v, "v"}, std::pair{&mask, "attn_mask"}})
        CMP_CHECK(!t->defined() || t->device() == q.device(), DEVICE_ERROR, op, ": expected all tensors on one device, got ",
                  q.device().str(), " for 'q' and ", t->device().str(), " for '", name, "'");
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

// ---- the fused CUDA kernels ----

// Whether the fused kernels take p: heads within their tiles, and batch dims the descriptor holds.
bool fused_fits(const AttentionProblem& p) {
    const cpu::AttentionArgs& a = p.args;
    return a.E <= COMPUTE_CUDA_ATTENTION_MAX_HEAD && a.Ev <= COMPUTE_CUDA_ATTENTION_MAX_HEAD &&
           p.lead.size() <= COMPUTE_CUDA_MAX_DIMS;
}

// The kernels' descriptor of p's operands, mask and dropout; outputs and n are the caller's.
compute_cuda_attention fused_args(const AttentionProblem& p) {
    const cpu::AttentionArgs& a = p.args;
    compute_cuda_attention d{};
    d.dtype = static_cast<int32_t>(a.dtype);
    d.batch = a.batch;
    d.L = a.L;
    d.S = a.S;
    d.E = a.E;
    d.Ev = a.Ev;
    d.scale = a.scale;
    d.causal = a.causal ? 1 : 0;
    d.q = p.q.data_ptr();
    d.k = p.k.data_ptr();
    d.v = p.v.data_ptr();
    if (p.mask.defined()) {
        // The expanded view: broadcast dims have stride 0, so nothing was copied.
        const Shape& st = p.mask.strides();
        d.mask = p.mask.data_ptr();
        d.mask_bool = a.mask_bool ? 1 : 0;
        d.mask_lead_dims = static_cast<int32_t>(p.lead.size());
        for (size_t i = 0; i < p.lead.size(); ++i) {
            d.mask_lead_sizes[i] = p.lead[i];
            d.mask_lead_strides[i] = st[i];
        }
        d.mask_rs = a.mask_rs;
        d.mask_cs = a.mask_cs;
    }
    if (a.dropout_p > 0) {
        d.dropout_p = a.dropout_p;
        d.keep_scale = 1.0 / (1.0 - a.dropout_p);
        d.threshold = cpu::dropout_threshold(a.dropout_p);
        d.seed = a.seed;
        d.offset = a.offset;
    }
    return d;
}

void fused_forward(const AttentionProblem& p, const Tensor& out, const Tensor& lse) {
    compute_cuda_attention d = fused_args(p);
    d.n = p.args.batch * p.args.L;
    d.out = out.data_ptr();
    d.lse = lse.data_ptr();
    cuda_ops::attention(kOp, d, false, p.q.device());
}

void fused_backward(const AttentionProblem& p, const Tensor& grad_out, const Tensor& out, const Tensor& lse,
                    const AttentionGrads& r) {
    // dsum = rowsum(dO * O): the identity sum_j P_ij dP_ij = dO_i . O_i the kernels use.
    const Tensor dsum = contiguous(sum(mul(grad_out, out), {-1}, false));
    compute_cuda_attention d = fused_args(p);
    d.n = r.q.numel() + r.k.numel() + r.v.numel();
    d.grad_out = grad_out.data_ptr();
    d.lse = lse.data_ptr();
    d.dsum = dsum.data_ptr();
    d.grad_q = r.q.data_ptr();
    d.grad_k = r.k.data_ptr();
    d.grad_v = r.v.data_ptr();
    cuda_ops::attention("scaled_dot_product_attention_backward", d, true, p.q.device());
}

// ---- the CUDA composition (heads above COMPUTE_CUDA_ATTENTION_MAX_HEAD) ----

// The problem's tensors as [batch, rows, cols] (contiguous, so these are views).
Tensor batched(const Tensor& t, const cpu::AttentionArgs& a, int64_t rows, int64_t cols) {
    return view(t, {a.batch, rows, cols});
}

// c = alpha * x @ y on the device, c a dense [batch, m, n] tensor (nothing to do when empty).
void product(const Tensor& x, const Tensor& y, double alpha, const Tensor& c) {
    if (c.numel() > 0) cuda_ops::gemm(kOp, x, y, alpha, 0.0, c);
}

// The masked, scaled scores [batch, L, S]: scale * q k^T, plus an additive mask, -inf where a
// boolean mask is false, -inf after the causal cut (key j > query i), in that order as the CPU.
Tensor device_scores(const AttentionProblem& p) {
    const cpu::AttentionArgs& a = p.args;
    const Device device = p.q.device();
    Tensor s = empty({a.batch, a.L, a.S}, a.dtype, device);
    product(batched(p.q, a, a.L, a.E), transpose(batched(p.k, a, a.S, a.E), 1, 2), a.scale, s);
    const Tensor minus_inf = full({}, scalar_float(-INFINITY), a.dtype, device);
    if (p.mask.defined()) {
        const Tensor full_view = view(s, p.mask.sizes());
        if (a.mask_bool) s = reshape(where(p.mask, full_view, minus_inf), {a.batch, a.L, a.S});
        else add_(full_view, p.mask, scalar_int(1));
    }
    if (a.causal) {
        const Tensor rows = view(arange(scalar_int(0), scalar_int(a.L), scalar_int(1), CMP_DTYPE_INT64, device), {a.L, 1});
        const Tensor cols = arange(scalar_int(0), scalar_int(a.S), scalar_int(1), CMP_DTYPE_INT64, device);
        s = where(compare(CompareOp::Ge, rows, cols), s, minus_inf);
    }
    return s;
}

// t times the dropout factors 0 / (1 / (1 - p)) of the keep mask (the CPU kernel's factors: the
// scale rounded to the compute dtype, one product per element).
Tensor dropped(const Tensor& t, const Tensor& keep, double p) {
    Tensor out = mul(t, keep);
    mul_(out, scalar_tensor(scalar_float(1.0 / (1.0 - p)), t.device()));
    return out;
}

// The keep mask [batch, L, S] of the call's Philox blocks: decision (b * L + i) * S + j, as the
// CPU kernel draws it (cpu/dropout_keep.h's layout, the device's KEEP fill).
Tensor keep_mask(const cpu::AttentionArgs& a, Device device) {
    Tensor keep = empty({a.batch, a.L, a.S}, CMP_DTYPE_BOOL, device);
    compute_cuda_random r = cuda_ops::random_draw(COMPUTE_CUDA_RANDOM_KEEP, a.seed, a.offset);
    r.threshold = cpu::dropout_threshold(a.dropout_p);
    if (keep.numel() > 0) cuda_ops::random(kOp, r, keep);
    return keep;
}

void forward_on_device(const AttentionProblem& p, const Tensor& out, const Tensor& lse) {
    const cpu::AttentionArgs& a = p.args;
    const Tensor s = device_scores(p);
    copy_(view(lse, {a.batch, a.L}), logsumexp(s, {2}, false));
    Tensor weights = softmax(s, 2, std::nullopt);
    if (a.dropout_p > 0) weights = dropped(weights, keep_mask(a, s.device()), a.dropout_p);
    const Tensor o = batched(out, a, a.L, a.Ev);
    product(weights, batched(p.v, a, a.S, a.Ev), 1.0, o);
    // No key: the CPU kernel divides an empty sum by an empty normaliser (0 / 0).
    if (a.S == 0) fill_(o, scalar_float(std::numeric_limits<double>::quiet_NaN()));
}

void backward_on_device(const AttentionProblem& p, const Tensor& grad_out, const Tensor& out, const Tensor& lse,
                        const AttentionGrads& r) {
    const cpu::AttentionArgs& a = p.args;
    const Device device = p.q.device();
    const Tensor dout = batched(grad_out, a, a.L, a.Ev);
    // P = exp(s - lse) from the saved log-sum-exp, dP = dO v^T, D = rowsum(dO * O).
    const Tensor weights = exp(sub(device_scores(p), view(lse, {a.batch, a.L, 1}), scalar_int(1)));
    Tensor dp = empty({a.batch, a.L, a.S}, a.dtype, device);
    product(dout, transpose(batched(p.v, a, a.S, a.Ev), 1, 2), 1.0, dp);
    const Tensor d = sum(mul(dout, batched(out, a, a.L, a.Ev)), {2}, true);
    Tensor kept = weights;
    if (a.dropout_p > 0) {
        const Tensor keep = keep_mask(a, device);
        kept = dropped(weights, keep, a.dropout_p);
        dp = dropped(dp, keep, a.dropout_p);
    }
    const Tensor ds = mul(weights, sub(dp, d, scalar_int(1)));
    // grad_v = Pd^T dO, grad_q = scale dS k, grad_k = scale dS^T q.
    product(transpose(kept, 1, 2), dout, 1.0, batched(r.v, a, a.S, a.Ev));
    product(ds, batched(p.k, a, a.S, a.E), a.scale, batched(r.q, a, a.L, a.E));
    product(transpose(ds, 1, 2), batched(p.q, a, a.L, a.E), a.scale, batched(r.k, a, a.S, a.E));
    // No query or no key: nothing flows (the products above had no terms or no rows).
    if (a.L == 0 || a.S == 0) {
        for (const Tensor* t : {&r.q, &r.k, &r.v}) fill_(*t, scalar_float(0.0));
    }
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
    if (q.device().is_cpu()) cpu::attention_forward_stub(a, out.data_ptr(), r.lse.data_ptr());
    else if (fused_fits(p)) fused_forward(p, out, r.lse);
    else forward_on_device(p, out, r.lse);
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
    for (const auto& [t, name] : {std::pair{&grad_out, "grad_output"}, std::pair{&out, "out"}, std::pair{&lse, "logsumexp"}})
        CMP_CHECK(t->device() == q.device(), DEVICE_ERROR, op, ": expected all tensors on one device, got ", q.device().str(),
                  " for 'q' and ", t->device().str(), " for '", name, "'");
    const Tensor g = contiguous(to_dtype(grad_out, a.dtype)), o = contiguous(to_dtype(out, a.dtype)),
                 l = contiguous(to_dtype(lse, a.dtype));
    AttentionGrads r{empty(p.q.sizes(), a.dtype, q.device()), empty(p.k.sizes(), a.dtype, q.device()),
                     empty(p.v.sizes(), a.dtype, q.device())};
    if (q.device().is_cpu())
        cpu::attention_backward_stub(a, g.data_ptr(), o.data_ptr(), l.data_ptr(), r.q.data_ptr(), r.k.data_ptr(), r.v.data_ptr());
    else if (fused_fits(p))
        fused_backward(p, g, o, l, r);
    else
        backward_on_device(p, g, o, l, r);
    if (r.q.dtype() != q.dtype()) r = {to_dtype(r.q, q.dtype()), to_dtype(r.k, q.dtype()), to_dtype(r.v, q.dtype())};
    return r;
}

}  // namespace cmp::ops
