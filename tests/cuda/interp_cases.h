// interpolate and its backward on a CUDA device against the CPU's, shared by the routing tests
// (the fake backend runs cuda/interp_taps.h's passes on the host) and the parity tests
// (cuda/interpolate.cu). Every case runs the same inputs on both devices: outputs and input
// gradients must be equal (docs/CUDA.md: the device applies the CPU's taps in the CPU kernel's
// order and adds each input's terms in the CPU's order, products rounded before the sums on
// both), and errors must have the same status and message.
#pragma once

#include "pool_cases.h"

#include <string>
#include <vector>

namespace cmp::testing::interp_cases {

using pool_cases::Fill;

struct InterpCase {
    std::string name;
    std::vector<int64_t> shape;  // [N, C, *spatial]
    std::vector<int64_t> size;   // empty: scale_factor
    std::vector<double> scale;   // may be given with size (the backward's form) or alone
    int32_t mode;                // cmp_interpolate_mode: 0 nearest, 1 nearest-exact, 2 linear
    bool align_corners = false;
    bool recompute = false;
    Fill fill = Fill::Distinct;
    bool transpose = false;
};

// Every mode over 1-3 spatial dims: up- and downsampling by integer and fractional factors,
// sizes that equal the input (PyTorch's copy-through), twice the input (nearest's shift rule),
// size 1, scale factors kept or recomputed, align_corners, NaNs, a strided input, an empty batch.
inline std::vector<InterpCase> cases() {
    std::vector<InterpCase> r;
    for (int32_t mode = 0; mode < 3; ++mode) {
        const std::string m = mode == 0 ? "nearest" : mode == 1 ? "nearest-exact" : "linear";
        for (int ac = 0; ac < (mode == 2 ? 2 : 1); ++ac) {
            const std::string n = m + (ac ? " align_corners" : "");
            const bool a = ac != 0;
            r.push_back({n + " 1d up x2.5", {2, 3, 6}, {}, {2.5}, mode, a});
            r.push_back({n + " 1d down to 4", {2, 2, 11}, {4}, {}, mode, a});
            r.push_back({n + " 1d size 1", {1, 2, 5}, {1}, {}, mode, a});
            r.push_back({n + " 1d same size", {1, 2, 7}, {7}, {}, mode, a});
            r.push_back({n + " 2d up x2", {2, 3, 4, 5}, {8, 10}, {}, mode, a});
            r.push_back({n + " 2d scale 1.7x0.6", {2, 2, 7, 9}, {}, {1.7, 0.6}, mode, a});
            r.push_back({n + " 2d scale 1.7x0.6 recomputed", {2, 2, 7, 9}, {}, {1.7, 0.6}, mode, a, true});
            r.push_back({n + " 2d size with scale", {1, 2, 5, 6}, {11, 4}, {2.3, 0.7}, mode, a});
            r.push_back({n + " 2d NaNs", {2, 2, 6, 6}, {9, 4}, {}, mode, a, false, Fill::NaNs});
            r.push_back({n + " 2d strided input", {2, 3, 5, 7}, {8, 9}, {}, mode, a, false, Fill::Distinct, true});
            r.push_back({n + " 2d empty batch", {0, 3, 5, 5}, {7, 7}, {}, mode, a});
            r.push_back({n + " 3d", {1, 2, 3, 4, 5}, {5, 3, 8}, {}, mode, a});
            r.push_back({n + " 3d scale 2x1.5x0.5", {2, 1, 3, 4, 6}, {}, {2.0, 1.5, 0.5}, mode, a});
        }
    }
    return r;
}

inline int64_t nspatial_of(const InterpCase& c) { return static_cast<int64_t>(c.shape.size()) - 2; }

// interpolate, then (floating dtypes) interpolate_backward of a gradient shaped like its output.
inline void interp_case(const InterpCase& c, cmp_dtype dt) {
    const Handle x = pool_cases::input_of(c.shape, dt, c.fill, c.transpose);
    const int64_t ns = nspatial_of(c);
    const std::string what = "interpolate " + c.name + " dtype " + std::to_string(dt);
    pool_cases::expect_same(what, x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, gi = nullptr;
        const int64_t* size = c.size.empty() ? nullptr : c.size.data();
        const double* scale = c.scale.empty() ? nullptr : c.scale.data();
        // PyTorch's forward takes size or scale_factor: with both given, the forward gets the size.
        cmp_status s = cmp_interpolate(in, ns, size, size ? nullptr : scale, c.mode, c.align_corners ? 1 : 0,
                                       c.recompute ? 1 : 0, &out);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(out);
        if (dt == CMP_DTYPE_UINT8) return s;
        std::vector<Handle> keep;
        // The backward takes the scale factors that shaped the coordinates (none when recomputed).
        s = cmp_interpolate_backward(pool_cases::grad_like(out, keep), c.shape.data(), static_cast<int64_t>(c.shape.size()),
                                     c.recompute ? nullptr : scale, c.mode, c.align_corners ? 1 : 0, 0, &gi);
        if (s == CMP_STATUS_OK) r.emplace_back(gi);
        return s;
    });
}

// Arguments the front-end refuses: the same status and message on both devices.
inline void refusals() {
    const Handle x = pool_cases::input_of({1, 2, 4, 4}, CMP_DTYPE_FLOAT32, Fill::Distinct, false);
    const Handle xu8 = pool_cases::input_of({1, 2, 4, 4}, CMP_DTYPE_UINT8, Fill::Distinct, false);
    const int64_t size[2] = {8, 8}, bad_size[1] = {8};
    const double zero_scale[2] = {0.0, 2.0};
    struct Refusal {
        std::string name;
        const Handle* input;
        int64_t nspatial;
        const int64_t* size;
        const double* scale;
        int32_t mode, align_corners, recompute;
    };
    const Refusal refusals[] = {
        {"align_corners with nearest", &x, 2, size, nullptr, 0, 1, 0},
        {"linear on uint8", &xu8, 2, size, nullptr, 2, 0, 0},
        {"wrong rank", &x, 1, bad_size, nullptr, 2, 0, 0},
        {"scale 0", &x, 2, nullptr, zero_scale, 2, 0, 0},
        {"recompute with size", &x, 2, size, nullptr, 2, 0, 1},
        {"bad mode", &x, 2, size, nullptr, 7, 0, 0},
    };
    for (const Refusal& f : refusals)
        pool_cases::expect_same("interpolate refusal: " + f.name, *f.input, [&](cmp_tensor in, std::vector<Handle>& r) {
            cmp_tensor out = nullptr;
            const cmp_status s = cmp_interpolate(in, f.nspatial, f.size, f.scale, f.mode, f.align_corners, f.recompute, &out);
            if (s == CMP_STATUS_OK) r.emplace_back(out);
            return s;
        });
    // The backward's own checks: a grad_output of another rank or shape.
    pool_cases::expect_same("interpolate_backward refusal: grad shape", x, [&](cmp_tensor in, std::vector<Handle>& r) {
        const int64_t input_size[4] = {1, 2, 3, 3};
        cmp_tensor gi = nullptr;
        const cmp_status s = cmp_interpolate_backward(in, input_size, 3, nullptr, 2, 0, 0, &gi);
        if (s == CMP_STATUS_OK) r.emplace_back(gi);
        return s;
    });
}

inline void every_case() {
    const cmp_dtype dtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16, CMP_DTYPE_UINT8};
    for (cmp_dtype dt : dtypes)
        for (const InterpCase& c : cases())
            if (dt != CMP_DTYPE_UINT8 || (c.mode != 2 && c.fill != Fill::NaNs)) interp_case(c, dt);
    refusals();
}

}  // namespace cmp::testing::interp_cases
