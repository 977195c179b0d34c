// Layer norm, RMS norm and group norm, forward and backward, on a CUDA device against the CPU's,
// shared by the routing tests (the fake backend computes them on the host with
// cpu/row_norm_math.h) and the parity tests (cuda/row_norm.cu). Each case runs the same input,
// weight, bias and grad_output through the forward and its backward (each device from its own
// forward's statistics) and compares every output.
//
// Bounds (docs/CUDA.md, "Tolerances"): the CPU kernel sums a row with Welford and SIMD lanes (and
// the parameter gradients in float64), the device in two passes in another order (and the
// parameter gradients in the accumulation type A), so a sum of m terms may differ by up to
// m * u_A * (the sum of their magnitudes), u_A = 2^-24 for float32 and the 16-bit floats, 2^-53
// for float64 (the fake backend adds sequentially, the worst order). With the inputs below
// (|x|, |grad| <= 1.15, 0.1 <= w <= 2.35, |b| <= 1.15, rows of distinct values, so that
// |xhat| <= sqrt(n - 1) for a row of n and the forward's terms are O(1)):
//   mean, rstd, y           K_fwd * n * u_A
//   grad_input              K_bwd * n * u_A
//   grad_weight, grad_bias  K_param * m * m * sqrt(n) * u_A   (m terms of |grad * xhat| <= 1.15 sqrt(n))
// relative to max(1, |CPU value|), plus tolerance(dtype): the few ulps of the result dtype by which
// two roundings of nearly equal values to it may differ (2^-10 for float16, 2^-7 for bfloat16).
#pragma once

#include "cuda_test_util.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace cmp::testing::row_norm_cases {

enum class Kind { Layer, Rms, Group };

struct Case {
    std::string name;
    std::vector<int64_t> input;
    Kind kind;
    std::vector<int64_t> normalized;  // layer / rms
    int64_t groups = 1;               // group
    bool weight = true, bias = true;  // bias: layer / group
    std::optional<double> eps = 1e-5;
};

constexpr double kFwd = 32, kBwd = 64, kParam = 2.5;

inline double unit(cmp_dtype dt) { return dt == CMP_DTYPE_FLOAT64 ? std::ldexp(1.0, -53) : std::ldexp(1.0, -24); }

// n values in [-1.1, 1.15] (positive: [0.1, 2.35]), any 19 consecutive ones distinct.
inline std::vector<double> pattern(int64_t n, int salt, bool positive) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double x = static_cast<double>((i * (5 + 2 * salt) + salt) % 19) / 8.0;
        v[static_cast<size_t>(i)] = positive ? x + 0.1 : x - 1.1;
    }
    return v;
}

inline int64_t numel(const std::vector<int64_t>& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

inline std::vector<int64_t> param_shape(const Case& c) {
    return c.kind == Kind::Group ? std::vector<int64_t>{c.input[1]} : c.normalized;
}

// Elements per normalised row, and per parameter-gradient sum.
inline int64_t row_len(const Case& c) {
    return c.kind == Kind::Group ? numel(c.input) / (c.input[0] * c.groups) : numel(c.normalized);
}
inline int64_t param_terms(const Case& c) { return numel(c.input) / numel(param_shape(c)); }

// What one device gives for a case: y, mean (undefined for rms), rstd, grad_input, grad_weight,
// grad_bias (undefined for rms).
struct Results {
    Handle y, mean, rstd, gi, gw, gb;
};

// The case's inputs on the CPU: input, weight, bias, grad_output (weight / bias undefined when
// the case has none).
struct Inputs {
    Handle x, w, b, go;
};

inline Inputs inputs_of(const Case& c, cmp_dtype dt) {
    Inputs in;
    const int64_t n = numel(c.input), p = numel(param_shape(c));
    in.x = tensor_from(pattern(n, 0, false), c.input, dt);
    in.go = tensor_from(pattern(n, 1, false), c.input, dt);
    if (c.weight) in.w = tensor_from(pattern(p, 2, true), param_shape(c), dt);
    if (c.bias && c.kind != Kind::Rms) in.b = tensor_from(pattern(p, 3, false), param_shape(c), dt);
    return in;
}

inline Handle on(const Handle& t, cmp_device d) { return t ? to_device(t.get(), d) : Handle(); }

inline cmp_status forward(const Case& c, const Inputs& in, Results& r) {
    cmp_tensor y = nullptr, mean = nullptr, rstd = nullptr;
    const int64_t nd = static_cast<int64_t>(c.normalized.size());
    cmp_status s = CMP_STATUS_OK;
    switch (c.kind) {
        case Kind::Layer:
            s = cmp_layer_norm(in.x.get(), c.normalized.data(), nd, in.w.get(), in.b.get(), *c.eps, &y, &mean, &rstd);
            break;
        case Kind::Rms: s = cmp_rms_norm(in.x.get(), c.normalized.data(), nd, in.w.get(), c.eps ? &*c.eps : nullptr, &y, &rstd); break;
        case Kind::Group: s = cmp_group_norm(in.x.get(), c.groups, in.w.get(), in.b.get(), *c.eps, &y, &mean, &rstd); break;
    }
    r.y = Handle(y);
    r.mean = Handle(mean);
    r.rstd = Handle(rstd);
    return s;
}

inline cmp_status backward(const Case& c, const Inputs& in, Results& r) {
    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
    const int64_t nd = static_cast<int64_t>(c.normalized.size());
    cmp_status s = CMP_STATUS_OK;
    switch (c.kind) {
        case Kind::Layer:
            s = cmp_layer_norm_backward(in.go.get(), in.x.get(), c.normalized.data(), nd, r.mean.get(), r.rstd.get(),
                                        in.w.get(), &gi, &gw, &gb);
            break;
        case Kind::Rms:
            s = cmp_rms_norm_backward(in.go.get(), in.x.get(), c.normalized.data(), nd, r.rstd.get(), in.w.get(), &gi, &gw);
            break;
        case Kind::Group:
            s = cmp_group_norm_backward(in.go.get(), in.x.get(), c.groups, r.mean.get(), r.rstd.get(), in.w.get(), &gi,
                                        &gw, &gb);
            break;
    }
    r.gi = Handle(gi);
    r.gw = Handle(gw);
    r.gb = Handle(gb);
    return s;
}

// Runs c on the CPU and on the CUDA device in dtype dt and compares every output.
inline void expect_same(const Case& c, cmp_dtype dt) {
    const std::string what = c.name + " dtype " + std::to_string(dt);
    const Inputs host = inputs_of(c, dt);
    const Inputs dev{on(host.x, cuda_device()), on(host.w, cuda_device()), on(host.b, cuda_device()),
                     on(host.go, cuda_device())};
    Results h, d;
    ASSERT_EQ(forward(c, host, h), CMP_STATUS_OK) << what << " (CPU): " << cmp_last_error();
    ASSERT_EQ(forward(c, dev, d), CMP_STATUS_OK) << what << " (CUDA): " << cmp_last_error();
    ASSERT_EQ(device_of(d.y.get()).type, CMP_DEVICE_CUDA) << what;
    ASSERT_EQ(backward(c, host, h), CMP_STATUS_OK) << what << " backward (CPU): " << cmp_last_error();
    ASSERT_EQ(backward(c, dev, d), CMP_STATUS_OK) << what << " backward (CUDA): " << cmp_last_error();
    const double n = static_cast<double>(row_len(c)), m = static_cast<double>(param_terms(c)), u = unit(dt);
    const cmp_dtype stat = dt == CMP_DTYPE_FLOAT64 ? CMP_DTYPE_FLOAT64 : CMP_DTYPE_FLOAT32;
    const auto compare = [&](const Handle& dv, const Handle& hv, double bound, const char* name) {
        ASSERT_EQ(static_cast<bool>(dv), static_cast<bool>(hv)) << what << " " << name;
        if (hv) expect_close(host_values(dv.get()), values_of(hv.get()), bound, what + " " + name);
    };
    compare(d.mean, h.mean, tolerance(stat) + kFwd * n * u, "mean");
    compare(d.rstd, h.rstd, tolerance(stat) + kFwd * n * u, "rstd");
    compare(d.y, h.y, tolerance(dt) + kFwd * n * u, "out");
    compare(d.gi, h.gi, tolerance(dt) + kBwd * n * u, "grad_input");
    compare(d.gw, h.gw, tolerance(dt) + kParam * m * m * std::sqrt(n) * u, "grad_weight");
    compare(d.gb, h.gb, tolerance(dt) + kParam * m * m * std::sqrt(n) * u, "grad_bias");
}

// Every option of the three ops: layer norm over 1 and 2 dims with and without weight and bias,
// RMS norm with eps given and default, group norm with 1, 2 and C groups with and without
// spatial dims; rows of 1100 elements take the device's block-per-row path.
inline std::vector<Case> all_cases() {
    std::vector<Case> v;
    v.push_back({"layer_norm 1 dim", {4, 5, 6}, Kind::Layer, {6}});
    v.push_back({"layer_norm 2 dims", {4, 5, 6}, Kind::Layer, {5, 6}});
    v.push_back({"layer_norm no weight, no bias", {3, 7}, Kind::Layer, {7}, 1, false, false});
    v.push_back({"layer_norm weight only", {3, 7}, Kind::Layer, {7}, 1, true, false});
    v.push_back({"layer_norm bias only, eps 0.1", {2, 3, 8}, Kind::Layer, {8}, 1, false, true, 0.1});
    v.push_back({"layer_norm long rows", {3, 1100}, Kind::Layer, {1100}});
    v.push_back({"rms_norm eps given", {4, 5, 6}, Kind::Rms, {6}, 1, true, false, 1e-6});
    v.push_back({"rms_norm eps default", {4, 5, 6}, Kind::Rms, {5, 6}, 1, true, false, std::nullopt});
    v.push_back({"rms_norm no weight", {6, 9}, Kind::Rms, {9}, 1, false, false, 1e-5});
    v.push_back({"rms_norm long rows", {2, 1100}, Kind::Rms, {1100}, 1, true, false, std::nullopt});
    v.push_back({"group_norm 1 group", {2, 6, 3, 4}, Kind::Group, {}, 1});
    v.push_back({"group_norm 2 groups", {2, 6, 3, 4}, Kind::Group, {}, 2});
    v.push_back({"group_norm C groups", {2, 6, 3, 4}, Kind::Group, {}, 6});
    v.push_back({"group_norm no spatial dims", {5, 6}, Kind::Group, {}, 2});
    v.push_back({"group_norm 1-D spatial, no weight, no bias", {3, 4, 5}, Kind::Group, {}, 2, false, false});
    v.push_back({"group_norm weight only, long rows", {1, 32, 8, 8}, Kind::Group, {}, 2, true, false});
    // Nothing to normalise: no rows (grad_weight and grad_bias are zeros), rows of no element
    // (mean 0, rstd 1 / sqrt(eps)).
    v.push_back({"layer_norm no rows", {0, 6}, Kind::Layer, {6}});
    v.push_back({"group_norm empty rows", {2, 4, 0}, Kind::Group, {}, 2});
    return v;
}

inline void every_case() {
    for (const Case& c : all_cases())
        for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) expect_same(c, dt);
}

}  // namespace cmp::testing::row_norm_cases
