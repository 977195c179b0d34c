// Scaled dot-product attention, forward and backward, flash-attention style: queries are taken
// in blocks of kBlockQ rows and keys in blocks of kBlockK, the block of scores is one GEMM
// (cpu/gemm.h), and the softmax is accumulated online (a running row max m and normaliser l;
// the partial output is rescaled by e^(m_old - m_new) when the max grows), so only a
// kBlockQ x kBlockK tile of the (L, S) score matrix ever exists.
//
// Dropout multiplies the normalised weights, so the normaliser l sums the undropped
// exponentials while the output accumulates the dropped ones; the backward pass regenerates
// the same keep mask from the Philox counter. The backward pass recomputes each score tile
// from q, k and the saved log-sum-exp (P = e^(s - lse)) and uses the identity
// sum_j P_ij dP_ij = dO_i . O_i, so it needs neither the probabilities nor a second pass.
#include "core/parallel.h"
#include "cpu/dropout_keep.h"
#include "cpu/gemm.h"
#include "cpu/nn_loss_stubs.h"
#include "cpu/vec_math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace cmp::cpu {
namespace {

constexpr int64_t kBlockQ = 64;
constexpr int64_t kBlockK = 64;
constexpr int kLanes = 8;

template <typename T>
struct Attention {
    const AttentionArgs& a;
    const T* q;
    const T* k;
    const T* v;
    static constexpr T kNegInf = -std::numeric_limits<T>::infinity();

    explicit Attention(const AttentionArgs& args)
        : a(args), q(static_cast<const T*>(args.q)), k(static_cast<const T*>(args.k)), v(static_cast<const T*>(args.v)) {}

    // The masked, scaled score tile s[r, c] for queries i0.. (nq rows) and keys j0.. (nk):
    // scale * q k^T by GEMM, then the mask and the causal cut.
    void scores(int64_t b, int64_t i0, int64_t nq, int64_t j0, int64_t nk, T* s) const {
        gemm(dtype_of<T>, nq, nk, a.E, a.scale, q + (b * a.L + i0) * a.E, a.E, 1, k + (b * a.S + j0) * a.E, 1, a.E, 0.0, s, nk, 1);
        if (a.mask) {
            const int64_t base = a.mask_offsets[b];
            for (int64_t r = 0; r < nq; ++r) {
                const int64_t row = base + (i0 + r) * a.mask_rs + j0 * a.mask_cs;
                T* sr = s + r * nk;
                if (a.mask_bool) {
                    const bool* m = static_cast<const bool*>(a.mask) + row;
                    for (int64_t c = 0; c < nk; ++c) sr[c] = m[c * a.mask_cs] ? sr[c] : kNegInf;
                } else {
                    const T* m = static_cast<const T*>(a.mask) + row;
                    for (int64_t c = 0; c < nk; ++c) sr[c] += m[c * a.mask_cs];
                }
            }
        }
        if (a.causal)
            for (int64_t r = 0; r < nq; ++r)
                for (int64_t c = std::max<int64_t>(0, i0 + r - j0 + 1); c < nk; ++c) s[r * nk + c] = kNegInf;
    }

    // The dropout factors of keys j0.. (nk) for query i: 0 (dropped) or 1 / (1 - p) (kept).
    // Decisions in vector lanes (cpu/dropout_keep.h), the layout dropout itself uses.
    void keep_factors(int64_t b, int64_t i, int64_t j0, int64_t nk, T* f) const {
        const T keep_scale = static_cast<T>(1.0 / (1.0 - a.dropout_p));
        uint8_t keep[kBlockK];
        draw_keep(DropoutDraw{a.seed, a.offset, dropout_threshold(a.dropout_p)}, static_cast<uint64_t>((b * a.L + i) * a.S + j0), nk,
                  keep);
        for (int64_t c = 0; c < nk; ++c) f[c] = keep[c] != 0 ? keep_scale : T(0);
    }

    // Keys that can matter for queries up to i_last: all of them, or up to i_last when causal.
    int64_t key_end(int64_t i_last) const { return a.causal ? std::min(a.S, i_last + 1) : a.S; }

    void forward_block(int64_t b, int64_t i0, int64_t nq, T* out, T* lse) const {
        std::vector<T> s(static_cast<size_t>(nq * kBlockK)), o(static_cast<size_t>(nq * a.Ev), T(0));
        std::vector<T> m(static_cast<size_t>(nq), kNegInf), l(static_cast<size_t>(nq), T(0)), f(static_cast<size_t>(kBlockK));
        const int64_t kend = key_end(i0 + nq - 1);
        for (int64_t j0 = 0; j0 < kend; j0 += kBlockK) {
            const int64_t nk = std::min(kBlockK, kend - j0);
            scores(b, i0, nq, j0, nk, s.data());
            for (int64_t r = 0; r < nq; ++r) {
                T* sr = s.data() + r * nk;
                T mx = m[r];
                for (int64_t c = 0; c < nk; ++c) mx = sr[c] > mx ? sr[c] : mx;
                if (mx == kNegInf) {  // nothing unmasked yet in this row: contributes nothing
                    std::fill(sr, sr + nk, T(0));
                    continue;
                }
                const T alpha = vexp(m[r] - mx);
                // Exponentials in their own loop (it vectorises), then the sum in kLanes partials.
                for (int64_t c = 0; c < nk; ++c) sr[c] = vexp(sr[c] - mx);
                T lanes[kLanes] = {};
                int64_t c0 = 0;
                for (; c0 + kLanes <= nk; c0 += kLanes)
                    for (int j = 0; j < kLanes; ++j) lanes[j] += sr[c0 + j];
                for (; c0 < nk; ++c0) lanes[0] += sr[c0];
                T sum = 0;
                for (T part : lanes) sum += part;
                l[r] = l[r] * alpha + sum;
                m[r] = mx;
                if (alpha != T(1))
                    for (int64_t e = 0; e < a.Ev; ++e) o[r * a.Ev + e] *= alpha;
                if (a.dropout_p > 0) {
                    keep_factors(b, i0 + r, j0, nk, f.data());
                    for (int64_t c = 0; c < nk; ++c) sr[c] *= f[static_cast<size_t>(c)];
                }
            }
            gemm(dtype_of<T>, nq, a.Ev, nk, 1.0, s.data(), nk, 1, v + (b * a.S + j0) * a.Ev, a.Ev, 1, 1.0, o.data(), a.Ev, 1);
        }
        for (int64_t r = 0; r < nq; ++r) {
            // A row with every key masked out has l = 0: 0/0 = NaN, as softmax gives in PyTorch.
            const T inv = T(1) / l[r];
            T* dst = out + (b * a.L + i0 + r) * a.Ev;
            for (int64_t e = 0; e < a.Ev; ++e) dst[e] = o[r * a.Ev + e] * inv;
            lse[b * a.L + i0 + r] = m[r] + std::log(l[r]);
        }
    }

    // Gradients of one batch entry: it owns its rows of grad_k/grad_v, so entries run in parallel.
    void backward_entry(int64_t b, const T* dout, const T* out, const T* lse, T* gq, T* gk, T* gv) const {
        const int64_t L = a.L, S = a.S, E = a.E, Ev = a.Ev;
        std::fill(gq + b * L * E, gq + (b + 1) * L * E, T(0));
        std::fill(gk + b * S * E, gk + (b + 1) * S * E, T(0));
        std::fill(gv + b * S * Ev, gv + (b + 1) * S * Ev, T(0));
        std::vector<T> p(static_cast<size_t>(kBlockQ * kBlockK)), dp(p.size()), pd(p.size()), dsum(static_cast<size_t>(kBlockQ)),
            f(static_cast<size_t>(kBlockK));
        for (int64_t i0 = 0; i0 < L; i0 += kBlockQ) {
            const int64_t nq = std::min(kBlockQ, L - i0);
            const T* dob = dout + (b * L + i0) * Ev;
            for (int64_t r = 0; r < nq; ++r) {
                T d = 0;
                for (int64_t e = 0; e < Ev; ++e) d += dob[r * Ev + e] * out[(b * L + i0 + r) * Ev + e];
                dsum[static_cast<size_t>(r)] = d;
            }
            const int64_t kend = key_end(i0 + nq - 1);
            for (int64_t j0 = 0; j0 < kend; j0 += kBlockK) {
                const int64_t nk = std::min(kBlockK, kend - j0);
                scores(b, i0, nq, j0, nk, p.data());
                // dP of the dropped weights: dO v^T.
                gemm(dtype_of<T>, nq, nk, Ev, 1.0, dob, Ev, 1, v + (b * S + j0) * Ev, 1, Ev, 0.0, dp.data(), nk, 1);
                for (int64_t r = 0; r < nq; ++r) {
                    T* pr = p.data() + r * nk;
                    T* pdr = pd.data() + r * nk;
                    T* dpr = dp.data() + r * nk;
                    const T l = lse[b * L + i0 + r];
                    for (int64_t c = 0; c < nk; ++c) pr[c] = vexp(pr[c] - l);
                    if (a.dropout_p > 0) {
                        // The dropped weights and, by the chain rule, dP both take the keep factor.
                        keep_factors(b, i0 + r, j0, nk, f.data());
                        for (int64_t c = 0; c < nk; ++c) {
                            pdr[c] = pr[c] * f[static_cast<size_t>(c)];
                            dpr[c] *= f[static_cast<size_t>(c)];
                        }
                    } else {
                        std::copy(pr, pr + nk, pdr);
                    }
                    const T d = dsum[static_cast<size_t>(r)];
                    for (int64_t c = 0; c < nk; ++c) dpr[c] = pr[c] * (dpr[c] - d);  // dS
                }
                // grad_v += Pd^T dO, grad_q += scale dS k, grad_k += scale dS^T q.
                gemm(dtype_of<T>, nk, Ev, nq, 1.0, pd.data(), 1, nk, dob, Ev, 1, 1.0, gv + (b * S + j0) * Ev, Ev, 1);
                gemm(dtype_of<T>, nq, E, nk, a.scale, dp.data(), nk, 1, k + (b * S + j0) * E, E, 1, 1.0, gq + (b * L + i0) * E, E, 1);
                gemm(dtype_of<T>, nk, E, nq, a.scale, dp.data(), 1, nk, q + (b * L + i0) * E, E, 1, 1.0, gk + (b * S + j0) * E, E, 1);
            }
        }
    }
};

// The front-end converts 16-bit inputs, so only float32 and float64 reach the kernels.
template <typename F>
void with_type(const AttentionArgs& a, const F& f) {
    if (a.dtype == CMP_DTYPE_FLOAT64) f(Attention<double>(a));
    else if (a.dtype == CMP_DTYPE_FLOAT32) f(Attention<float>(a));
    else fail(CMP_STATUS_INTERNAL_ERROR, str("scaled_dot_product_attention: kernel called with ", dtype_name(a.dtype)));
}

void attention_forward(const AttentionArgs& a, void* out, void* lse) {
    with_type(a, [&](const auto& att) {
        using T = std::remove_const_t<std::remove_pointer_t<decltype(att.q)>>;
        const int64_t qblocks = (a.L + kBlockQ - 1) / kBlockQ;
        parallel_for(0, a.batch * qblocks, 1, [&](int64_t begin, int64_t end) {
            for (int64_t w = begin; w < end; ++w) {
                const int64_t b = w / qblocks, i0 = (w % qblocks) * kBlockQ;
                att.forward_block(b, i0, std::min(kBlockQ, a.L - i0), static_cast<T*>(out), static_cast<T*>(lse));
            }
        });
    });
}

void attention_backward(const AttentionArgs& a, const void* grad_out, const void* out, const void* lse, void* grad_q,
                        void* grad_k, void* grad_v) {
    with_type(a, [&](const auto& att) {
        using T = std::remove_const_t<std::remove_pointer_t<decltype(att.q)>>;
        parallel_for(0, a.batch, 1, [&](int64_t begin, int64_t end) {
            for (int64_t b = begin; b < end; ++b)
                att.backward_entry(b, static_cast<const T*>(grad_out), static_cast<const T*>(out), static_cast<const T*>(lse),
                                   static_cast<T*>(grad_q), static_cast<T*>(grad_k), static_cast<T*>(grad_v));
        });
    });
}

}  // namespace

CMP_REGISTER_KERNEL(attention_forward_stub, &attention_forward)
CMP_REGISTER_KERNEL(attention_backward_stub, &attention_backward)

}  // namespace cmp::cpu
