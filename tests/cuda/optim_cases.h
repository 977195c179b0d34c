// The fused optimizer steps on a CUDA device against the CPU's, shared by the routing tests (the
// fake backend runs cpu/optim_update.h on the host) and the parity tests (cuda/optim.cu): the
// same parameter, gradient and states, one or three steps on each device, then every buffer
// compared within a few ulps of its dtype (the CPU kernels built for AVX2/AVX-512 fuse some
// products into FMAs, nvcc fuses others).
#pragma once

#include "cuda_test_util.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::optim_cases {

// step(buffers, k) runs step k (1-based) on buffers[0] = param, [1] = grad, [2..4] = states.
using Step = std::function<cmp_status(const std::array<cmp_tensor, 5>&, int64_t k)>;

inline std::vector<double> values(int64_t n, int salt, bool positive) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const double x = static_cast<double>((i * (7 + salt) + 3 * salt) % 19) / 8.0 - (positive ? 0.0 : 1.1);
        v[static_cast<size_t>(i)] = positive ? x + 0.01 : x;
    }
    return v;
}

inline void expect_same_step(const std::string& what, cmp_dtype dt, int states, const Step& step) {
    const int64_t n = 1031;
    std::array<Handle, 5> host, dev;
    for (int k = 0; k < 2 + states; ++k) {
        // States that hold squares must start non-negative, as the optimizers keep them.
        host[static_cast<size_t>(k)] = tensor_from(values(n, k, k >= 2), {n}, dt);
        dev[static_cast<size_t>(k)] = to_device(host[static_cast<size_t>(k)].get(), cuda_device());
    }
    std::array<cmp_tensor, 5> h{}, d{};
    for (size_t k = 0; k < 5; ++k) {
        h[k] = host[k].get();
        d[k] = dev[k].get();
    }
    for (int64_t k = 1; k <= 3; ++k) {
        ASSERT_EQ(step(h, k), CMP_STATUS_OK) << what << " (CPU): " << cmp_last_error();
        ASSERT_EQ(step(d, k), CMP_STATUS_OK) << what << " (CUDA): " << cmp_last_error();
    }
    const char* names[] = {"param", "grad", "state0", "state1", "state2"};
    for (int k = 0; k < 2 + states; ++k) {
        expect_close(host_values(d[static_cast<size_t>(k)]), values_of(h[static_cast<size_t>(k)]), tolerance(dt),
                     what + " dtype " + std::to_string(dt) + " " + names[k]);
    }
}

inline void every_optimizer() {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        expect_same_step("sgd", dt, 0, [](const std::array<cmp_tensor, 5>& b, int64_t) {
            return cmp_sgd_step(b[0], b[1], nullptr, 0.1, 0.0, 0.0, 0.0, 0, 0, 0);
        });
        expect_same_step("sgd nesterov momentum, weight decay", dt, 1, [](const std::array<cmp_tensor, 5>& b, int64_t k) {
            return cmp_sgd_step(b[0], b[1], b[2], 0.05, 0.9, 0.0, 0.01, 1, 0, k == 1 ? 1 : 0);
        });
        expect_same_step("sgd dampening, maximize", dt, 1, [](const std::array<cmp_tensor, 5>& b, int64_t) {
            return cmp_sgd_step(b[0], b[1], b[2], 0.05, 0.8, 0.3, 0.0, 0, 1, 0);
        });
        expect_same_step("adam, weight decay", dt, 2, [](const std::array<cmp_tensor, 5>& b, int64_t k) {
            return cmp_adam_step(b[0], b[1], b[2], b[3], nullptr, k, 1e-2, 0.9, 0.999, 1e-8, 0.01, 0, 0);
        });
        expect_same_step("adamw amsgrad", dt, 3, [](const std::array<cmp_tensor, 5>& b, int64_t k) {
            return cmp_adam_step(b[0], b[1], b[2], b[3], b[4], k, 1e-2, 0.8, 0.99, 1e-6, 0.1, 1, 0);
        });
        expect_same_step("rmsprop centered momentum", dt, 3, [](const std::array<cmp_tensor, 5>& b, int64_t) {
            return cmp_rmsprop_step(b[0], b[1], b[2], b[3], b[4], 1e-2, 0.99, 1e-8, 0.01, 0.9, 0);
        });
        expect_same_step("rmsprop", dt, 1, [](const std::array<cmp_tensor, 5>& b, int64_t) {
            return cmp_rmsprop_step(b[0], b[1], b[2], nullptr, nullptr, 1e-2, 0.9, 1e-8, 0.0, 0.0, 1);
        });
        expect_same_step("adagrad", dt, 1, [](const std::array<cmp_tensor, 5>& b, int64_t k) {
            return cmp_adagrad_step(b[0], b[1], b[2], k, 0.1, 0.01, 0.001, 1e-10, 0);
        });
    }
}

}  // namespace cmp::testing::optim_cases
