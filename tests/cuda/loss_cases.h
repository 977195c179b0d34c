// The pointwise losses on a CUDA device against the CPU's, shared by the routing tests (the
// fake backend evaluates cpu/nn_loss_math.h on the host, and with its host kernels switched on
// also the sums, means, min/max, fills and casts the front-end runs around the loss kernel) and
// the parity tests (cuda/pointwise_loss.cu): every loss, forward and backward (with and without
// the target's gradient), under every reduction it takes, with weight and pos_weight where they
// exist, with broadcast operands, in every floating dtype, and one mixed-dtype case.
#pragma once

#include "cuda_test_util.h"

#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::loss_cases {

// Operands of one case, in order: input, target, weight (may be null), pos_weight (may be null).
using Forward = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor, cmp_tensor, int32_t, cmp_tensor*)>;
using Backward = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor, cmp_tensor, cmp_tensor, int32_t, cmp_tensor*,
                                          cmp_tensor*)>;

// Relative tolerance (of max(1, |CPU value|)), docs/CUDA.md "Tolerances": the per-element
// formulas differ by their exp / log / log1p / sigmoid (a few ulps); a reduced loss, and the
// gradient of a broadcast operand, also sum up to 24 terms in another order. One unit in the
// last place for the 16-bit floats (both devices compute in float32 and round once).
inline double rtol(cmp_dtype dt, bool summed) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return summed ? 1e-4 : 1e-5;
        case CMP_DTYPE_FLOAT64: return summed ? 1e-12 : 1e-13;
        default: return tolerance(dt);
    }
}

// What a loss's inputs look like.
enum class Domain {
    Real,         // input and target anywhere (regression losses, logits)
    Probability,  // input and target in [0, 1], both ends included (binary_cross_entropy)
    LogProb,      // input log-probabilities, target probabilities with zeros (kl_div)
    LogLog,       // input and target log-probabilities (kl_div, log_target)
};

inline std::vector<double> input_values(Domain d, int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double u = static_cast<double>((i * 5) % 13) / 12.0;  // 0 .. 1, both ends
        switch (d) {
            case Domain::Real: v[static_cast<size_t>(i)] = 6.0 * u - 3.0; break;
            case Domain::Probability: v[static_cast<size_t>(i)] = u; break;
            case Domain::LogProb:
            case Domain::LogLog: v[static_cast<size_t>(i)] = -0.25 - 3.0 * u; break;
        }
    }
    return v;
}

inline std::vector<double> target_values(Domain d, int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double u = static_cast<double>((i * 7 + 3) % 11) / 10.0;  // 0 .. 1, both ends
        switch (d) {
            case Domain::Real: v[static_cast<size_t>(i)] = 6.0 * u - 3.0; break;  // some equal the input
            case Domain::Probability:
            case Domain::LogProb: v[static_cast<size_t>(i)] = u; break;
            case Domain::LogLog: v[static_cast<size_t>(i)] = -0.5 - 2.0 * u; break;
        }
    }
    return v;
}

inline std::vector<double> positive_values(int64_t n, int salt) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = 0.25 + static_cast<double>((i * 3 + salt) % 7) / 4.0;
    return v;
}

inline int64_t numel_of(const std::vector<int64_t>& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

// One loss: its C functions, the domain of its inputs, and what it takes.
struct Loss {
    std::string name;
    Domain domain;
    Forward forward;
    Backward backward;
    bool same_shape = false;  // target must have input's shape (no broadcasting)
    bool weight = false;
    bool pos_weight = false;
    bool batchmean = false;
};

// The shapes of one case: input, target, weight (empty: none), pos_weight (empty: none).
struct Shapes {
    std::vector<int64_t> input, target, weight, pos_weight;
};

inline Handle on_device(const Handle& t) { return t ? to_device(t.get(), cuda_device()) : Handle(); }

inline void expect_values(cmp_tensor dev, cmp_tensor host, double tol, const std::string& what) {
    ASSERT_NE(dev, nullptr) << what;
    ASSERT_NE(host, nullptr) << what;
    EXPECT_EQ(device_of(dev).type, CMP_DEVICE_CUDA) << what;
    EXPECT_EQ(sizes_of(dev), sizes_of(host)) << what;
    cmp_dtype a = CMP_DTYPE_FLOAT32, b = CMP_DTYPE_FLOAT32;
    cmp_tensor_dtype(dev, &a);
    cmp_tensor_dtype(host, &b);
    EXPECT_EQ(a, b) << what;
    expect_close(host_values(dev), values_of(host), tol, what);
}

// Runs one case on both devices: the forward, then the backward with and without the target's
// gradient, and compares every result.
inline void expect_same(const Loss& loss, const Shapes& s, cmp_dtype in_dt, cmp_dtype target_dt, int32_t reduction) {
    const std::string what = loss.name + " input dtype " + std::to_string(in_dt) + " target dtype " +
                             std::to_string(target_dt) + " reduction " + std::to_string(reduction) + " shapes " +
                             std::to_string(s.input.size()) + "/" + std::to_string(s.target.size()) +
                             (s.weight.empty() ? "" : " weight") + (s.pos_weight.empty() ? "" : " pos_weight") +
                             (s.input == s.target ? "" : " broadcast");
    Handle hi = tensor_from(input_values(loss.domain, numel_of(s.input)), s.input, in_dt);
    Handle ht = tensor_from(target_values(loss.domain, numel_of(s.target)), s.target, target_dt);
    Handle hw = s.weight.empty() ? Handle() : tensor_from(positive_values(numel_of(s.weight), 1), s.weight, in_dt);
    Handle hp = s.pos_weight.empty() ? Handle() : tensor_from(positive_values(numel_of(s.pos_weight), 4), s.pos_weight, in_dt);
    Handle di = on_device(hi), dt = on_device(ht), dw = on_device(hw), dp = on_device(hp);
    const bool reduced = reduction != CMP_REDUCTION_NONE;
    const cmp_dtype result = in_dt == target_dt ? in_dt : CMP_DTYPE_FLOAT32;  // the cases mix 16-bit with float32 only
    const bool mixed = in_dt != target_dt;

    cmp_tensor ho = nullptr, dout = nullptr;
    ASSERT_EQ(loss.forward(hi.get(), ht.get(), hw.get(), hp.get(), reduction, &ho), CMP_STATUS_OK)
        << what << " (CPU): " << cmp_last_error();
    Handle host_loss(ho);
    ASSERT_EQ(loss.forward(di.get(), dt.get(), dw.get(), dp.get(), reduction, &dout), CMP_STATUS_OK)
        << what << " (CUDA): " << cmp_last_error();
    Handle dev_loss(dout);
    expect_values(dout, ho, rtol(result, reduced), what + " loss");

    // grad_output: 0-dim for a reduced loss, the loss's shape otherwise.
    const std::vector<int64_t> gshape = reduced ? std::vector<int64_t>{} : sizes_of(ho);
    std::vector<double> gv(static_cast<size_t>(numel_of(gshape)));
    for (size_t i = 0; i < gv.size(); ++i) gv[i] = 0.75 - static_cast<double>(i % 5) * 0.375;
    Handle hg = tensor_from(gv, gshape, result);
    Handle dg = on_device(hg);
    for (int want_target = 0; want_target < 2; ++want_target) {
        cmp_tensor hgi = nullptr, hgt = nullptr, dgi = nullptr, dgt = nullptr;
        ASSERT_EQ(loss.backward(hg.get(), hi.get(), ht.get(), hw.get(), hp.get(), reduction, &hgi,
                                want_target ? &hgt : nullptr),
                  CMP_STATUS_OK)
            << what << " backward (CPU): " << cmp_last_error();
        Handle h1(hgi), h2(hgt);
        ASSERT_EQ(loss.backward(dg.get(), di.get(), dt.get(), dw.get(), dp.get(), reduction, &dgi,
                                want_target ? &dgt : nullptr),
                  CMP_STATUS_OK)
            << what << " backward (CUDA): " << cmp_last_error();
        Handle d1(dgi), d2(dgt);
        expect_values(dgi, hgi, rtol(result, s.input != s.target || mixed), what + " grad_input");
        if (want_target) expect_values(dgt, hgt, rtol(result, s.input != s.target || mixed), what + " grad_target");
    }
}

inline std::vector<Loss> every_loss() {
    std::vector<Loss> v;
    v.push_back({"mse_loss", Domain::Real,
                 [](cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* o) { return cmp_mse_loss(i, t, r, o); },
                 [](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* gi, cmp_tensor* gt) {
                     return cmp_mse_loss_backward(g, i, t, r, gi, gt);
                 }});
    v.push_back({"l1_loss", Domain::Real,
                 [](cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* o) { return cmp_l1_loss(i, t, r, o); },
                 [](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* gi, cmp_tensor* gt) {
                     return cmp_l1_loss_backward(g, i, t, r, gi, gt);
                 }});
    for (double beta : {1.0, 0.0}) {
        v.push_back({"smooth_l1_loss beta " + std::to_string(beta), Domain::Real,
                     [beta](cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* o) {
                         return cmp_smooth_l1_loss(i, t, r, beta, o);
                     },
                     [beta](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* gi,
                            cmp_tensor* gt) { return cmp_smooth_l1_loss_backward(g, i, t, r, beta, gi, gt); }});
    }
    for (double delta : {1.0, 0.5}) {
        v.push_back({"huber_loss delta " + std::to_string(delta), Domain::Real,
                     [delta](cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* o) {
                         return cmp_huber_loss(i, t, r, delta, o);
                     },
                     [delta](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* gi,
                             cmp_tensor* gt) { return cmp_huber_loss_backward(g, i, t, r, delta, gi, gt); }});
    }
    v.push_back({"binary_cross_entropy", Domain::Probability,
                 [](cmp_tensor i, cmp_tensor t, cmp_tensor w, cmp_tensor, int32_t r, cmp_tensor* o) {
                     return cmp_binary_cross_entropy(i, t, w, r, o);
                 },
                 [](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor w, cmp_tensor, int32_t r, cmp_tensor* gi,
                    cmp_tensor* gt) { return cmp_binary_cross_entropy_backward(g, i, t, w, r, gi, gt); },
                 true, true});
    v.push_back({"binary_cross_entropy_with_logits", Domain::Real,
                 [](cmp_tensor i, cmp_tensor t, cmp_tensor w, cmp_tensor p, int32_t r, cmp_tensor* o) {
                     return cmp_binary_cross_entropy_with_logits(i, t, w, p, r, o);
                 },
                 [](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor w, cmp_tensor p, int32_t r, cmp_tensor* gi,
                    cmp_tensor* gt) { return cmp_binary_cross_entropy_with_logits_backward(g, i, t, w, p, r, gi, gt); },
                 true, true, true});
    for (int log_target = 0; log_target < 2; ++log_target) {
        v.push_back({log_target ? "kl_div log_target" : "kl_div", log_target ? Domain::LogLog : Domain::LogProb,
                     [log_target](cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r, cmp_tensor* o) {
                         return cmp_kl_div(i, t, r, log_target, o);
                     },
                     [log_target](cmp_tensor g, cmp_tensor i, cmp_tensor t, cmp_tensor, cmp_tensor, int32_t r,
                                  cmp_tensor* gi, cmp_tensor* gt) {
                         return cmp_kl_div_backward(g, i, t, r, log_target, gi, gt);
                     },
                     false, false, false, true});
    }
    return v;
}

// Every loss x reduction x operand layout x dtype.
inline void every_case() {
    for (const Loss& loss : every_loss()) {
        std::vector<int32_t> reductions = {CMP_REDUCTION_NONE, CMP_REDUCTION_MEAN, CMP_REDUCTION_SUM};
        if (loss.batchmean) reductions.push_back(CMP_REDUCTION_BATCHMEAN);
        std::vector<Shapes> layouts = {{{4, 6}, {4, 6}, {}, {}}};
        if (!loss.same_shape) {
            layouts.push_back({{4, 6}, {6}, {}, {}});     // target broadcast
            layouts.push_back({{4, 1}, {4, 6}, {}, {}});  // input broadcast
        }
        if (loss.weight) {
            layouts.push_back({{4, 6}, {4, 6}, {4, 6}, {}});
            layouts.push_back({{4, 6}, {4, 6}, {6}, {}});  // weight broadcast
        }
        if (loss.pos_weight) {
            layouts.push_back({{4, 6}, {4, 6}, {}, {6}});
            layouts.push_back({{4, 6}, {4, 6}, {4, 6}, {6}});  // all six operands in the backward
        }
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16})
            for (const Shapes& s : layouts)
                for (int32_t r : reductions) expect_same(loss, s, dt, dt, r);
        // Mixed dtypes: the iterator computes in float32, the gradients go back to each operand's dtype.
        expect_same(loss, layouts.back(), CMP_DTYPE_BFLOAT16, CMP_DTYPE_FLOAT32, CMP_REDUCTION_MEAN);
    }
}

}  // namespace cmp::testing::loss_cases
