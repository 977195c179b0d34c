// The fused activation derivatives on a CUDA device against the CPU's, shared by the routing tests
// (the fake backend evaluates cpu/activation_backward_math.h on the host) and the parity tests
// (cuda/activation_backward.cu): every op of CMP_ACTIVATION_BACKWARD_OPS with its parameters, in
// every floating dtype, on dense operands and on a transposed (strided) input beside a dense
// gradient, over values that cross each op's branch points (-3, 0, 3, the thresholds), reach
// the saturated tails, and include a NaN.
#pragma once

#include "cuda_test_util.h"

#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::activation_cases {

// call(grad_output, x, out) runs one derivative.
using Call = std::function<cmp_status(cmp_tensor, cmp_tensor, cmp_tensor*)>;

// Relative tolerance (of max(1, |CPU value|)) between the devices, docs/CUDA.md "Tolerances": the
// CPU evaluates exp, erf, tanh and log1p with its vectorisable approximations (about 1 ulp), the
// GPU and the fake backend with their math libraries (1-2 ulps); mish and gelu multiply those
// errors by |x| <= 8. One unit in the last place for the 16-bit floats, which both devices round
// from float32.
inline double rtol(cmp_dtype dt) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return 1e-5;
        case CMP_DTYPE_FLOAT64: return 1e-13;
        default: return tolerance(dt);
    }
}

// n inputs over [-8, 8] hitting -3, 0, 3 exactly (i = 0 .. n - 1 in steps of 1/8), then a NaN.
inline std::vector<double> inputs(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = -8.0 + static_cast<double>(i % 129) / 8.0;
    v[static_cast<size_t>(n - 1)] = std::nan("");
    return v;
}

inline std::vector<double> grads(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 7) % 11) / 4.0 - 1.25;
    return v;
}

inline Handle transposed_view(cmp_tensor t) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_transpose(t, 0, 1, &out), CMP_STATUS_OK) << cmp_last_error();
    return Handle(out);
}

inline void expect_same(const std::string& what, const Call& call) {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (int layout = 0; layout < 2; ++layout) {
            // Dense: [260]; strided: x is the transpose of a dense [13, 20], grad_output a dense [20, 13].
            const int64_t n = 260;
            Handle hx = tensor_from(inputs(n), layout == 0 ? std::vector<int64_t>{n} : std::vector<int64_t>{13, 20}, dt);
            Handle hg = tensor_from(grads(n), layout == 0 ? std::vector<int64_t>{n} : std::vector<int64_t>{20, 13}, dt);
            Handle dx = to_device(hx.get(), cuda_device()), dg = to_device(hg.get(), cuda_device());
            if (layout == 1) {
                hx = transposed_view(hx.get());
                dx = transposed_view(dx.get());
            }
            const std::string where = what + " dtype " + std::to_string(dt) + (layout == 0 ? " dense" : " strided");
            cmp_tensor ho = nullptr, dout = nullptr;
            ASSERT_EQ(call(hg.get(), hx.get(), &ho), CMP_STATUS_OK) << where << " (CPU): " << cmp_last_error();
            Handle host_out(ho);
            ASSERT_EQ(call(dg.get(), dx.get(), &dout), CMP_STATUS_OK) << where << " (CUDA): " << cmp_last_error();
            Handle dev_out(dout);
            EXPECT_EQ(device_of(dout).type, CMP_DEVICE_CUDA) << where;
            expect_close(host_values(dout), values_of(ho), rtol(dt), where);
        }
    }
}

inline void every_op() {
    expect_same("gelu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_gelu_backward(g, x, 0, o); });
    expect_same("gelu tanh", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_gelu_backward(g, x, 1, o); });
    expect_same("silu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_silu_backward(g, x, o); });
    expect_same("mish", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_mish_backward(g, x, o); });
    expect_same("softplus", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_softplus_backward(g, x, 1.0, 20.0, o); });
    expect_same("softplus beta 2 threshold 5",
                [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_softplus_backward(g, x, 2.0, 5.0, o); });
    expect_same("elu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_elu_backward(g, x, 1.0, 1.0, 1.0, o); });
    expect_same("elu as selu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) {
        return cmp_elu_backward(g, x, 1.6732632423543772, 1.0507009873554805, 1.0, o);
    });
    expect_same("elu as celu alpha 0.5",
                [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_elu_backward(g, x, 0.5, 1.0, 2.0, o); });
    expect_same("hardswish", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardswish_backward(g, x, o); });
    expect_same("hardsigmoid", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardsigmoid_backward(g, x, o); });
    expect_same("logsigmoid", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_logsigmoid_backward(g, x, o); });
    expect_same("leaky_relu", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_leaky_relu_backward(g, x, 0.01, o); });
    expect_same("leaky_relu slope 0.2",
                [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_leaky_relu_backward(g, x, 0.2, o); });
    expect_same("hardtanh", [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardtanh_backward(g, x, -1.0, 1.0, o); });
    expect_same("hardtanh -2 0.5",
                [](cmp_tensor g, cmp_tensor x, cmp_tensor* o) { return cmp_hardtanh_backward(g, x, -2.0, 0.5, o); });
    expect_same("sigmoid", [](cmp_tensor g, cmp_tensor y, cmp_tensor* o) { return cmp_sigmoid_backward(g, y, o); });
    expect_same("tanh", [](cmp_tensor g, cmp_tensor y, cmp_tensor* o) { return cmp_tanh_backward(g, y, o); });
}

}  // namespace cmp::testing::activation_cases
