// grid_sample 2-d and its backward on a CUDA device against the CPU's, shared by the routing
// tests (the fake backend runs cuda/grid_sample_math.h's passes on the host) and the parity tests
// (cuda/grid_sample.cu). Every case runs the same input and grid on both devices: outputs,
// grad_input and grad_grid must be equal (docs/CUDA.md: the same coordinate functions, every
// product rounded before it is added on both devices, every sum in the CPU kernel's order), and
// errors must have the same status and message.
#pragma once

#include "pool_cases.h"

#include <limits>
#include <string>
#include <vector>

namespace cmp::testing::grid_cases {

// Grid values over [-1.35, 1.32] (points outside the input on every side), with -1, 0 and 1
// exactly, and NaN / +-Inf where specials is set.
inline std::vector<double> grid_values(int64_t n, bool specials) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        double x = static_cast<double>((i * 37) % 29) / 10.5 - 1.35;
        if (i % 13 == 4) x = 1.0;
        if (i % 23 == 11) x = -1.0;
        if (i % 31 == 9) x = 0.0;
        if (specials && i % 17 == 5) x = std::numeric_limits<double>::quiet_NaN();
        if (specials && i % 19 == 7) x = (i % 2 ? 1.0 : -1.0) * std::numeric_limits<double>::infinity();
        v[static_cast<size_t>(i)] = x;
    }
    return v;
}

struct GridCase {
    std::string name;
    std::vector<int64_t> input;  // [N, C, H, W]
    int64_t Ho, Wo;
    bool specials = false;
};

inline std::vector<GridCase> cases() {
    return {
        {"2x3x5x7 -> 4x6", {2, 3, 5, 7}, 4, 6},
        {"upsampling 1x2x3x4 -> 9x11", {1, 2, 3, 4}, 9, 11},
        {"NaN and Inf in the grid", {2, 2, 4, 5}, 5, 5, true},
        {"H 1, W 1", {1, 2, 1, 1}, 3, 4},
        {"W 1", {1, 2, 6, 1}, 3, 4},
        {"empty batch", {0, 3, 5, 7}, 4, 6},
        {"no output sample", {2, 3, 5, 7}, 0, 6},
    };
}

// grid_sample, then grid_sample_backward of a gradient shaped like its output.
inline void grid_case(const GridCase& c, int32_t mode, int32_t padding, int32_t align, cmp_dtype dt) {
    const Handle x = pool_cases::input_of(c.input, dt, pool_cases::Fill::Distinct, false);
    const std::vector<int64_t> gshape = {c.input[0], c.Ho, c.Wo, 2};
    const Handle grid = tensor_from(grid_values(pool_cases::numel(gshape), c.specials), gshape, dt);
    const std::string what = "grid_sample " + c.name + " mode " + std::to_string(mode) + " padding " +
                             std::to_string(padding) + " align_corners " + std::to_string(align) + " dtype " +
                             std::to_string(dt);
    pool_cases::expect_same(what, x, [&](cmp_tensor in, std::vector<Handle>& r) {
        std::vector<Handle> keep;
        cmp_tensor g = grid.get();
        if (device_of(in).type != CMP_DEVICE_CPU) {
            keep.push_back(to_device(grid.get(), device_of(in)));
            g = keep.back().get();
        }
        cmp_tensor out = nullptr, gi = nullptr, gg = nullptr;
        cmp_status s = cmp_grid_sample(in, g, mode, padding, align, &out);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(out);
        s = cmp_grid_sample_backward(pool_cases::grad_like(out, keep), in, g, mode, padding, align, &gi, &gg);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(gi);
        r.emplace_back(gg);
        return s;
    });
}

// Arguments the front-end refuses: the same status and message on both devices.
inline void refusals() {
    const Handle x = pool_cases::input_of({1, 2, 4, 4}, CMP_DTYPE_FLOAT32, pool_cases::Fill::Distinct, false);
    struct Refusal {
        std::string name;
        std::vector<int64_t> grid_shape;
        cmp_dtype grid_dtype;
        int32_t mode, padding;
    };
    const Refusal refusals[] = {
        {"bad mode", {1, 2, 2, 2}, CMP_DTYPE_FLOAT32, 2, 0},
        {"bad padding", {1, 2, 2, 2}, CMP_DTYPE_FLOAT32, 0, 3},
        {"grid of another dtype", {1, 2, 2, 2}, CMP_DTYPE_FLOAT64, 0, 0},
        {"grid without a last dim of 2", {1, 2, 2, 3}, CMP_DTYPE_FLOAT32, 0, 0},
        {"batch sizes differ", {2, 2, 2, 2}, CMP_DTYPE_FLOAT32, 0, 0},
    };
    for (const Refusal& f : refusals) {
        const Handle grid = tensor_from(grid_values(pool_cases::numel(f.grid_shape), false), f.grid_shape, f.grid_dtype);
        pool_cases::expect_same("grid_sample refusal: " + f.name, x, [&](cmp_tensor in, std::vector<Handle>& r) {
            std::vector<Handle> keep;
            cmp_tensor g = grid.get();
            if (device_of(in).type != CMP_DEVICE_CPU) {
                keep.push_back(to_device(grid.get(), device_of(in)));
                g = keep.back().get();
            }
            cmp_tensor out = nullptr;
            const cmp_status s = cmp_grid_sample(in, g, f.mode, f.padding, 0, &out);
            if (s == CMP_STATUS_OK) r.emplace_back(out);
            return s;
        });
    }
}

inline void every_case() {
    const cmp_dtype dtypes[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};
    for (cmp_dtype dt : dtypes)
        for (const GridCase& c : cases())
            for (int32_t mode = 0; mode < 2; ++mode)
                for (int32_t padding = 0; padding < 3; ++padding)
                    for (int32_t align = 0; align < 2; ++align) grid_case(c, mode, padding, align, dt);
    refusals();
}

}  // namespace cmp::testing::grid_cases
