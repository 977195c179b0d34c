// scaled_dot_product_attention, forward and backward: against PyTorch's composition
// softmax(q k^T * scale + mask) v and its autograd gradients (fixture nn_attention.json, written
// by tests/reference/gen_nn_loss.py), and, with dropout, by reproducibility and by finite
// differences of the forward pass run on the same Philox stream. Public C ABI only.
#include "core/philox.h"
#include "fixture.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace cmp::reference {
namespace {

// As in test_nn_loss.cpp: count rounding steps, each within eps of the computing dtype
// (float32 for bfloat16) times the fixture's magnitude bound; 16-bit results one ulp more.
Tolerance tolerance_for(const Json& c, const char* bound_key, cmp_dtype out) {
    Tolerance t;
    const cmp_dtype acc = out == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    t.bound_scale = static_cast<double>(c.at("count").as_int()) * dtype_epsilon(acc);
    t.abs_bound = &c.at(bound_key);
    t.ulps = out == CMP_DTYPE_FLOAT16 || out == CMP_DTYPE_BFLOAT16 ? 1 : 0;
    return t;
}

cmp_dtype dtype_in(const Json& t) { return dtype_from_name(t.at("dtype").as_string()); }

struct Call {
    Tensor q, k, v, mask;
    bool causal = false;
    bool has_scale = false;
    double scale = 0;
    explicit Call(const Json& c) {
        const Json& in = c.at("inputs");
        q = make_tensor(in.at("q"));
        k = make_tensor(in.at("k"));
        v = make_tensor(in.at("v"));
        if (in.has("mask")) mask = make_tensor(in.at("mask"));
        const Json& o = c.at("options");
        causal = o.has("is_causal") && o.at("is_causal").as_bool();
        has_scale = o.has("scale");
        if (has_scale) scale = o.at("scale").as_double();
    }
    const double* scale_ptr() const { return has_scale ? &scale : nullptr; }
};

class ReferenceAttention : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceAttention, ForwardAndBackwardMatchTorch) {
    const Json& c = *GetParam();
    Call call(c);
    cmp_tensor out_raw = nullptr, lse_raw = nullptr;
    uint64_t seed = 1, offset = 1;
    const cmp_status status = cmp_scaled_dot_product_attention(call.q.get(), call.k.get(), call.v.get(), call.mask.get(), 0.0,
                                                               call.causal, call.scale_ptr(), &out_raw, &lse_raw, &seed, &offset);
    Tensor out(out_raw), lse(lse_raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, "scaled_dot_product_attention")) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    EXPECT_EQ(seed, 0u);  // no dropout: no stream used
    const Json& e = c.at("expected");
    EXPECT_TRUE(tensor_matches(out.get(), e, tolerance_for(c, "abs_bound", dtype_in(e)))) << "out";
    const Json& el = c.at("logsumexp");
    EXPECT_TRUE(tensor_matches(lse.get(), el, tolerance_for(c, "logsumexp_bound", dtype_in(el)))) << "logsumexp";

    Tensor g = make_tensor(c.at("grad_output"));
    cmp_tensor gq = nullptr, gk = nullptr, gv = nullptr;
    ASSERT_EQ(cmp_scaled_dot_product_attention_backward(g.get(), call.q.get(), call.k.get(), call.v.get(), call.mask.get(), 0.0,
                                                        call.causal, call.scale_ptr(), out.get(), lse.get(), 0, 0, &gq, &gk, &gv),
              CMP_STATUS_OK)
        << cmp_last_error();
    Tensor tq(gq), tk(gk), tv(gv);
    const char* names[] = {"grad_q", "grad_k", "grad_v"};
    const char* bounds[] = {"grad_q_bound", "grad_k_bound", "grad_v_bound"};
    cmp_tensor got[] = {gq, gk, gv};
    for (int i = 0; i < 3; ++i) {
        const Json& eg = c.at(names[i]);
        EXPECT_TRUE(tensor_matches(got[i], eg, tolerance_for(c, bounds[i], dtype_in(eg)))) << names[i];
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceAttention, ::testing::ValuesIn(fixture_cases("nn_attention.json")), case_name);

// ---- dropout ----------------------------------------------------------------------------------

Tensor filled(const std::vector<int64_t>& shape, double phase) {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    std::vector<double> data(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) data[static_cast<size_t>(i)] = std::sin(0.7 * static_cast<double>(i) + phase);
    cmp_tensor t = nullptr;
    check(cmp_from_buffer(data.data(), n * 8, shape.data(), static_cast<int64_t>(shape.size()), CMP_DTYPE_FLOAT64, &t),
          "cmp_from_buffer");
    return Tensor(t);
}

std::vector<double> values(cmp_tensor t) {
    int64_t n = 0;
    check(cmp_tensor_numel(t, &n), "cmp_tensor_numel");
    std::vector<double> v(static_cast<size_t>(n));
    check(cmp_tensor_copy_to_buffer(t, v.data(), n * 8), "cmp_tensor_copy_to_buffer");
    return v;
}

struct Forward {
    Tensor out, lse;
    uint64_t seed = 0, offset = 0;
};

Forward run_forward(cmp_tensor q, cmp_tensor k, cmp_tensor v, double p, bool causal) {
    Forward f;
    cmp_tensor o = nullptr, l = nullptr;
    check(cmp_scaled_dot_product_attention(q, k, v, nullptr, p, causal, nullptr, &o, &l, &f.seed, &f.offset),
          "cmp_scaled_dot_product_attention");
    f.out.reset(o);
    f.lse.reset(l);
    return f;
}

TEST(AttentionDropout, SameStreamSameOutputAndStreamAdvances) {
    Tensor q = filled({2, 5, 3}, 0.1), k = filled({2, 7, 3}, 0.2), v = filled({2, 7, 4}, 0.3);
    check(cmp_rng_set_state(1234, 0), "cmp_rng_set_state");
    Forward a = run_forward(q.get(), k.get(), v.get(), 0.4, false);
    Forward b = run_forward(q.get(), k.get(), v.get(), 0.4, false);
    EXPECT_EQ(a.seed, 1234u);
    EXPECT_EQ(a.offset, 0u);
    EXPECT_EQ(b.offset, (2u * 5u * 7u + 3u) / 4u);  // one Philox block per 4 weights
    EXPECT_NE(values(a.out.get()), values(b.out.get()));
    check(cmp_rng_set_state(1234, 0), "cmp_rng_set_state");
    Forward c = run_forward(q.get(), k.get(), v.get(), 0.4, false);
    EXPECT_EQ(values(a.out.get()), values(c.out.get()));
    // Dropout does not change the softmax normaliser.
    Forward d = run_forward(q.get(), k.get(), v.get(), 0.0, false);
    EXPECT_EQ(values(a.lse.get()), values(d.lse.get()));
}

// The keep mask made visible: with q = 0 every weight is 1 / S, and with v the identity
// output (b, i, j) is weight (b, i, j) after dropout, 0 exactly when it was dropped. Weight n =
// (b * L + i) * S + j must be kept when word n % 4 of Philox block offset + n / 4 (the scalar
// generator of core/philox.h) as rand's float32 u is >= p. S = 70 spans two key tiles and rows
// start off block boundaries; the offset's blocks cross 2^32.
TEST(AttentionDropout, KeepMaskFollowsThePhiloxLayout) {
    const int64_t B = 2, L = 5, S = 70;
    const double p = 0.4;
    const uint64_t seed = 0xfeedface12345ull, offset = 0xfffffffaull;
    std::vector<double> eye(static_cast<size_t>(B * S * S), 0.0);
    for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < S; ++j) eye[static_cast<size_t>((b * S + j) * S + j)] = 1.0;
    const std::vector<int64_t> v_shape{B, S, S};
    cmp_tensor vt = nullptr;
    check(cmp_from_buffer(eye.data(), B * S * S * 8, v_shape.data(), 3, CMP_DTYPE_FLOAT64, &vt), "cmp_from_buffer");
    Tensor v(vt);
    const std::vector<double> zeros(static_cast<size_t>(B * L * 3), 0.0);
    const std::vector<int64_t> q_shape{B, L, 3};
    cmp_tensor qt = nullptr;
    check(cmp_from_buffer(zeros.data(), B * L * 3 * 8, q_shape.data(), 3, CMP_DTYPE_FLOAT64, &qt), "cmp_from_buffer");
    Tensor q(qt), k = filled({B, S, 3}, 0.2);
    check(cmp_rng_set_state(seed, offset), "cmp_rng_set_state");
    Forward f = run_forward(q.get(), k.get(), v.get(), p, false);
    const std::vector<double> out = values(f.out.get());
    for (int64_t n = 0; n < B * L * S; ++n) {
        const PhiloxBlock blk = philox_block(seed, offset + static_cast<uint64_t>(n / 4));
        const bool kept = static_cast<double>(blk.w[n % 4] >> 8) * 0x1p-24 >= p;
        EXPECT_EQ(out[static_cast<size_t>(n)] != 0.0, kept) << "weight " << n;
    }
}

TEST(AttentionDropout, ResultDoesNotDependOnThreadCount) {
    Tensor q = filled({3, 70, 4}, 0.5), k = filled({3, 130, 4}, 0.6), v = filled({3, 130, 2}, 0.7);
    int32_t threads = 0;
    check(cmp_get_num_threads(&threads), "cmp_get_num_threads");
    check(cmp_rng_set_state(99, 5), "cmp_rng_set_state");
    Forward many = run_forward(q.get(), k.get(), v.get(), 0.25, true);
    check(cmp_set_num_threads(1), "cmp_set_num_threads");
    check(cmp_rng_set_state(99, 5), "cmp_rng_set_state");
    Forward one = run_forward(q.get(), k.get(), v.get(), 0.25, true);
    check(cmp_set_num_threads(threads), "cmp_set_num_threads");
    EXPECT_EQ(values(many.out.get()), values(one.out.get()));
}

// The backward pass with dropout must differentiate the forward pass with the same mask: compare
// it with central differences of sum(out * g), the forward re-run on the same Philox stream.
TEST(AttentionDropout, BackwardMatchesFiniteDifferencesOnTheSameMask) {
    const std::vector<int64_t> qs{2, 3, 4}, ks{2, 5, 4}, vs{2, 5, 3};
    Tensor q = filled(qs, 0.1), k = filled(ks, 0.9), v = filled(vs, 1.7), g = filled({2, 3, 3}, 2.3);
    const double p = 0.3;
    check(cmp_rng_set_state(77, 11), "cmp_rng_set_state");
    Forward f = run_forward(q.get(), k.get(), v.get(), p, false);
    cmp_tensor gq = nullptr, gk = nullptr, gv = nullptr;
    check(cmp_scaled_dot_product_attention_backward(g.get(), q.get(), k.get(), v.get(), nullptr, p, 0, nullptr, f.out.get(),
                                                    f.lse.get(), f.seed, f.offset, &gq, &gk, &gv),
          "backward");
    Tensor tq(gq), tk(gk), tv(gv);
    const std::vector<double> gout = values(g.get());
    auto objective = [&](const std::vector<double>& qd, const std::vector<double>& kd, const std::vector<double>& vd) {
        cmp_tensor a = nullptr, b = nullptr, c = nullptr, o = nullptr;
        check(cmp_from_buffer(qd.data(), static_cast<int64_t>(qd.size()) * 8, qs.data(), 3, CMP_DTYPE_FLOAT64, &a), "q");
        check(cmp_from_buffer(kd.data(), static_cast<int64_t>(kd.size()) * 8, ks.data(), 3, CMP_DTYPE_FLOAT64, &b), "k");
        check(cmp_from_buffer(vd.data(), static_cast<int64_t>(vd.size()) * 8, vs.data(), 3, CMP_DTYPE_FLOAT64, &c), "v");
        Tensor ta(a), tb(b), tc(c);
        check(cmp_rng_set_state(77, 11), "cmp_rng_set_state");
        check(cmp_scaled_dot_product_attention(a, b, c, nullptr, p, 0, nullptr, &o, nullptr, nullptr, nullptr), "forward");
        Tensor to(o);
        const std::vector<double> out = values(o);
        double s = 0;
        for (size_t i = 0; i < out.size(); ++i) s += out[i] * gout[i];
        return s;
    };
    std::vector<double> in[3] = {values(q.get()), values(k.get()), values(v.get())};
    const std::vector<double> analytic[3] = {values(gq), values(gk), values(gv)};
    const double h = 1e-6;
    for (int which = 0; which < 3; ++which) {
        for (size_t i = 0; i < in[which].size(); ++i) {
            const double x0 = in[which][i];
            in[which][i] = x0 + h;
            const double up = objective(in[0], in[1], in[2]);
            in[which][i] = x0 - h;
            const double down = objective(in[0], in[1], in[2]);
            in[which][i] = x0;
            const double numeric = (up - down) / (2 * h);
            // Central differences in float64: truncation O(h^2) and rounding O(eps / h) ~ 1e-10.
            EXPECT_NEAR(analytic[which][i], numeric, 1e-7) << "input " << which << " element " << i;
        }
    }
}

TEST(AttentionErrors, MessagesNameOpAndArguments) {
    Tensor q = filled({2, 3, 4}, 0), k = filled({2, 5, 4}, 0), v = filled({2, 5, 4}, 0);
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_scaled_dot_product_attention(q.get(), k.get(), v.get(), nullptr, 1.0, 0, nullptr, &out, nullptr, nullptr, nullptr),
              CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::strstr(cmp_last_error(), "dropout_p"), nullptr) << cmp_last_error();
    Tensor bad_mask = filled({4, 5}, 0);
    EXPECT_EQ(cmp_scaled_dot_product_attention(q.get(), k.get(), v.get(), bad_mask.get(), 0.0, 0, nullptr, &out, nullptr, nullptr,
                                               nullptr),
              CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(std::strstr(cmp_last_error(), "attn_mask"), nullptr) << cmp_last_error();
    EXPECT_EQ(out, nullptr);
}

}  // namespace
}  // namespace cmp::reference
