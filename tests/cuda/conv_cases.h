// Convolutions on a CUDA device against the CPU: conv1d/2d/3d and conv_transpose1d/2d forward
// and backward (input, weight and bias gradients), unfold and fold. Shared by the routing tests
// (the fake backend runs cuda/im2col_index.h on the host and its gemm in double) and the parity
// tests (the real kernels and cuBLAS).
//
// exact_values() are quarters in [-2, 2]: every product and partial sum of these sizes is a
// multiple of 1/16 below 2^10, exact in float32 and float64, so any summation order gives the
// same bits and the device must match the CPU exactly (expect_identical); 16-bit dtypes round
// the same exact float32 value once on both sides. A wrong tap, offset, stride, group or
// chunk gives other values. The parity tests also run fractional values (ninths) with the
// tolerance of docs/CUDA.md, derived from the CPU's convolution of the absolute values.
#pragma once

#include "cuda_test_util.h"

#include <compute/ops/nn_conv.h>

#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::conv_cases {

using Shape = std::vector<int64_t>;

struct Case {
    std::string name;
    int64_t nd = 2;
    Shape input{}, weight{};
    Shape stride{}, padding{}, dilation{}, output_padding{};  // empty: 1 / 0 / 1 / 0 for every dim
    int32_t mode = CMP_CONV_PADDING_EXPLICIT;
    int64_t groups = 1;
    bool bias = true;
    bool transposed = false;
};

inline int64_t numel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

inline Shape or_fill(const Shape& v, int64_t nd, int64_t fill) { return v.empty() ? Shape(static_cast<size_t>(nd), fill) : v; }

// Quarters in [-2, 2] (see the header).
inline std::vector<double> exact_values(int64_t n, int salt) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 7 + salt * 5) % 17 - 8) / 4.0;
    return v;
}

// Ninths of mixed signs: no dtype holds them exactly.
inline std::vector<double> fractional_values(int64_t n, int salt) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 11 + salt * 3) % 19 - 9) / 9.0;
    return v;
}

// The values one run of a case compares: the forward's output, then the gradients of input,
// weight and bias (bias's empty without one).
struct Results {
    std::vector<double> out, grad_input, grad_weight, grad_bias;
    Shape out_shape;
};

using Values = std::function<std::vector<double>(int64_t n, int salt)>;

// The forward result out of a call that returned s (released here) into r: its values and
// shape; false (the failure reported) when the call failed.
inline bool take_output(const std::string& name, cmp_status s, cmp_tensor out, cmp_device device, Results& r) {
    EXPECT_EQ(s, CMP_STATUS_OK) << name << ": " << cmp_last_error();
    if (s != CMP_STATUS_OK) return false;
    const Handle y(out);
    EXPECT_EQ(device_of(y.get()).type, device.type) << name;
    r.out = host_values(y.get());
    r.out_shape = sizes_of(y.get());
    return true;
}

// Runs the case on device from the operands values() makes in dtype dt (a transform f applied
// to each value first, e.g. fabs), grad_output of the forward's shape. The CPU's forward result
// fixes that shape.
inline Results run(const Case& c, cmp_dtype dt, cmp_device device, const Values& values,
                   const std::function<double(double)>& f = nullptr) {
    auto make = [&](const Shape& shape, int salt) {
        std::vector<double> v = values(numel(shape), salt);
        if (f)
            for (double& x : v) x = f(x);
        Handle h = tensor_from(v, shape, dt);
        return device.type == CMP_DEVICE_CPU ? std::move(h) : to_device(h.get(), device);
    };
    const Shape stride = or_fill(c.stride, c.nd, 1), padding = or_fill(c.padding, c.nd, 0);
    const Shape dilation = or_fill(c.dilation, c.nd, 1), output_padding = or_fill(c.output_padding, c.nd, 0);
    const int64_t bias_len = c.transposed ? c.weight[1] * c.groups : c.weight[0];
    const Handle x = make(c.input, 1), w = make(c.weight, 2);
    const Handle b = c.bias ? make({bias_len}, 3) : Handle();
    Results r;
    cmp_tensor out = nullptr;
    const cmp_status s = c.transposed
                             ? cmp_conv_transpose(x.get(), w.get(), b.get(), c.nd, stride.data(), padding.data(),
                                                  output_padding.data(), c.groups, dilation.data(), &out)
                             : cmp_conv(x.get(), w.get(), b.get(), c.nd, stride.data(), padding.data(), c.mode,
                                        dilation.data(), c.groups, &out);
    if (!take_output(c.name, s, out, device, r)) return r;
    const Handle gy = make(r.out_shape, 4);
    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
    const int32_t mask = CMP_CONV_GRAD_INPUT | CMP_CONV_GRAD_WEIGHT | (c.bias ? CMP_CONV_GRAD_BIAS : 0);
    const cmp_status bs =
        c.transposed ? cmp_conv_transpose_backward(gy.get(), x.get(), w.get(), c.nd, stride.data(), padding.data(),
                                                   output_padding.data(), c.groups, dilation.data(), mask, &gi, &gw, &gb)
                     : cmp_conv_backward(gy.get(), x.get(), w.get(), c.nd, stride.data(), padding.data(), c.mode,
                                         dilation.data(), c.groups, mask, &gi, &gw, &gb);
    EXPECT_EQ(bs, CMP_STATUS_OK) << c.name << " backward: " << cmp_last_error();
    if (bs != CMP_STATUS_OK) return r;
    const Handle hgi(gi), hgw(gw), hgb(gb);
    EXPECT_EQ(sizes_of(hgi.get()), c.input) << c.name;
    EXPECT_EQ(sizes_of(hgw.get()), c.weight) << c.name;
    r.grad_input = host_values(hgi.get());
    r.grad_weight = host_values(hgw.get());
    if (c.bias) r.grad_bias = host_values(hgb.get());
    return r;
}

// The cases: every option of the front-ends, batches of 0, 1 and more, unbatched inputs.
inline std::vector<Case> every_case() {
    std::vector<Case> v;
    auto add = [&](Case c) { v.push_back(std::move(c)); };
    // conv1d
    add({"conv1d", 1, {2, 3, 9}, {4, 3, 3}});
    add({"conv1d stride 2 padding 1 no bias", 1, {3, 2, 10}, {5, 2, 4}, {2}, {1}, {}, {}, CMP_CONV_PADDING_EXPLICIT, 1,
         false});
    add({"conv1d dilation 2 groups 2", 1, {2, 4, 11}, {6, 2, 3}, {1}, {2}, {2}, {}, CMP_CONV_PADDING_EXPLICIT, 2});
    add({"conv1d same, even kernel", 1, {2, 3, 8}, {2, 3, 4}, {}, {}, {}, {}, CMP_CONV_PADDING_SAME});
    add({"conv1d unbatched", 1, {3, 7}, {2, 3, 2}});
    // conv2d
    add({"conv2d", 2, {2, 3, 6, 5}, {4, 3, 3, 3}});
    add({"conv2d batch 1 stride 2 padding 1", 2, {1, 2, 7, 8}, {3, 2, 3, 3}, {2, 2}, {1, 1}});
    add({"conv2d stride (1, 3) padding (2, 0) dilation (2, 1)", 2, {3, 2, 7, 9}, {2, 2, 3, 2}, {1, 3}, {2, 0}, {2, 1}});
    add({"conv2d groups 3 no bias", 2, {2, 6, 5, 5}, {9, 2, 2, 3}, {}, {1, 1}, {}, {}, CMP_CONV_PADDING_EXPLICIT, 3,
         false});
    add({"conv2d depthwise", 2, {2, 4, 6, 6}, {4, 1, 3, 3}, {}, {1, 1}, {}, {}, CMP_CONV_PADDING_EXPLICIT, 4});
    add({"conv2d depthwise multiplier 2 stride 2", 2, {3, 3, 7, 6}, {6, 1, 3, 3}, {2, 2}, {1, 1}, {}, {},
         CMP_CONV_PADDING_EXPLICIT, 3});
    add({"conv2d 1x1", 2, {2, 5, 4, 3}, {3, 5, 1, 1}});
    add({"conv2d 1x1 stride 2", 2, {2, 3, 5, 5}, {4, 3, 1, 1}, {2, 2}});
    add({"conv2d same dilation 2", 2, {2, 2, 6, 7}, {3, 2, 3, 2}, {}, {}, {2, 2}, {}, CMP_CONV_PADDING_SAME});
    add({"conv2d valid", 2, {2, 2, 5, 6}, {2, 2, 3, 3}, {}, {}, {}, {}, CMP_CONV_PADDING_VALID});
    add({"conv2d padding larger than the kernel", 2, {1, 1, 3, 3}, {2, 1, 2, 2}, {2, 1}, {3, 2}});
    add({"conv2d empty batch", 2, {0, 3, 5, 5}, {2, 3, 3, 3}});
    add({"conv2d unbatched", 2, {2, 5, 4}, {3, 2, 2, 2}, {}, {1, 0}});
    // conv3d
    add({"conv3d", 3, {2, 2, 4, 5, 4}, {3, 2, 2, 3, 2}});
    add({"conv3d stride 2 padding 1 dilation (1, 2, 1) groups 2", 3, {2, 4, 5, 6, 5}, {4, 2, 3, 2, 3}, {2, 1, 2},
         {1, 1, 1}, {1, 2, 1}, {}, CMP_CONV_PADDING_EXPLICIT, 2});
    // conv_transpose
    Case t1{"conv_transpose1d", 1, {2, 3, 6}, {3, 4, 3}};
    t1.transposed = true;
    add(t1);
    Case t2{"conv_transpose1d stride 3 padding 1 output_padding 2 groups 3", 1, {2, 6, 5}, {6, 2, 4}, {3}, {1}, {}, {2}};
    t2.groups = 3;
    t2.transposed = true;
    add(t2);
    Case t3{"conv_transpose2d stride 2 output_padding 1 no bias", 2, {2, 4, 4, 3}, {4, 3, 3, 3}, {2, 2}, {1, 1}, {}, {1, 1}};
    t3.bias = false;
    t3.transposed = true;
    add(t3);
    Case t4{"conv_transpose2d groups 2 dilation 2", 2, {1, 4, 3, 4}, {4, 2, 2, 3}, {1, 2}, {0, 1}, {2, 1}, {0, 1}};
    t4.groups = 2;
    t4.transposed = true;
    add(t4);
    Case t5{"conv_transpose2d empty batch", 2, {0, 2, 3, 3}, {2, 3, 3, 3}};
    t5.transposed = true;
    add(t5);
    return v;
}

// unfold / fold of the CPU's and the device's, values from values() in dtype dt.
struct FoldCase {
    std::string name;
    Shape input{};  // unfold: [N, C, H, W] or [C, H, W]; fold: [N, C*K, L] or [C*K, L]
    Shape output_size{}, kernel{}, dilation{}, padding{}, stride{};
    bool fold = false;
};

inline std::vector<FoldCase> fold_cases() {
    return {
        {"unfold", {2, 3, 5, 6}, {}, {2, 3}, {1, 1}, {0, 0}, {1, 1}},
        {"unfold dilation 2 padding 1 stride 2", {1, 2, 7, 6}, {}, {3, 2}, {2, 1}, {1, 2}, {2, 1}},
        {"unfold unbatched", {2, 4, 4}, {}, {2, 2}, {1, 1}, {1, 0}, {1, 2}},
        {"unfold empty batch", {0, 2, 4, 4}, {}, {2, 2}, {1, 1}, {0, 0}, {1, 1}},
        {"fold", {2, 12, 9}, {4, 5}, {2, 3}, {1, 1}, {0, 0}, {1, 1}, true},
        {"fold dilation 2 padding 1 stride 2", {1, 8, 16}, {7, 6}, {2, 2}, {2, 1}, {1, 1}, {2, 2}, true},
        {"fold unbatched overlapping", {6, 8}, {4, 4}, {3, 2}, {1, 1}, {1, 0}, {1, 2}, true},
    };
}

inline Results run_fold(const FoldCase& c, cmp_dtype dt, cmp_device device, const Values& values) {
    Handle x = tensor_from(values(numel(c.input), 5), c.input, dt);
    if (device.type != CMP_DEVICE_CPU) x = to_device(x.get(), device);
    cmp_tensor out = nullptr;
    const cmp_status s =
        c.fold ? cmp_fold(x.get(), c.output_size.data(), c.kernel.data(), c.dilation.data(), c.padding.data(),
                          c.stride.data(), &out)
               : cmp_unfold(x.get(), c.kernel.data(), c.dilation.data(), c.padding.data(), c.stride.data(), &out);
    Results r;
    take_output(c.name, s, out, device, r);
    return r;
}

inline void expect_same_results(const Results& d, const Results& h, const std::string& what) {
    EXPECT_EQ(d.out_shape, h.out_shape) << what;
    expect_identical(d.out, h.out, what + ": output");
    expect_identical(d.grad_input, h.grad_input, what + ": grad_input");
    expect_identical(d.grad_weight, h.grad_weight, what + ": grad_weight");
    expect_identical(d.grad_bias, h.grad_bias, what + ": grad_bias");
}

// Every case, unfold and fold, with exact values in dtype dt: the device's results identical to the CPU's.
inline void every_case_identical(cmp_dtype dt) {
    const std::string dts = "dtype " + std::to_string(static_cast<int>(dt));
    for (const Case& c : every_case()) {
        const Results h = run(c, dt, cpu_device(), exact_values);
        const Results d = run(c, dt, cuda_device(), exact_values);
        expect_same_results(d, h, c.name + " " + dts);
    }
    for (const FoldCase& c : fold_cases()) {
        const Results h = run_fold(c, dt, cpu_device(), exact_values);
        const Results d = run_fold(c, dt, cuda_device(), exact_values);
        EXPECT_EQ(d.out_shape, h.out_shape) << c.name;
        expect_identical(d.out, h.out, c.name + " " + dts);
    }
}

// The refusals on CUDA, with the front-ends' messages: integer dtypes (no integer GEMM in
// cuBLAS), and a bias or grad_output on another device than the input.
inline void refusals() {
    const Handle xi = to_device(tensor_from(exact_values(2 * 3 * 5, 1), {2, 3, 5}, CMP_DTYPE_INT32).get(), cuda_device());
    const Handle wi = to_device(tensor_from(exact_values(4 * 3 * 2, 2), {4, 3, 2}, CMP_DTYPE_INT32).get(), cuda_device());
    const int64_t one[] = {1}, zero[] = {0};
    cmp_tensor out = nullptr, gi = nullptr, gw = nullptr, gb = nullptr;
    Failure f = failure_of([&] {
        return cmp_conv(xi.get(), wi.get(), nullptr, 1, one, zero, CMP_CONV_PADDING_EXPLICIT, one, 1, &out);
    });
    EXPECT_EQ(f.status, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(f.message.find("conv1d: not implemented on CUDA for dtype int32"), std::string::npos) << f.message;
    const Handle x = to_device(tensor_from(exact_values(2 * 3 * 5, 1), {2, 3, 5}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    const Handle w = to_device(tensor_from(exact_values(4 * 3 * 2, 2), {4, 3, 2}, CMP_DTYPE_FLOAT32).get(), cuda_device());
    const Handle host_bias = tensor_from(exact_values(4, 3), {4}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] {
        return cmp_conv(x.get(), w.get(), host_bias.get(), 1, one, zero, CMP_CONV_PADDING_EXPLICIT, one, 1, &out);
    });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("conv1d: expected bias on cuda:0 (the input's device), but got cpu"), std::string::npos)
        << f.message;
    const Handle host_grad = tensor_from(exact_values(2 * 4 * 4, 4), {2, 4, 4}, CMP_DTYPE_FLOAT32);
    f = failure_of([&] {
        return cmp_conv_backward(host_grad.get(), x.get(), w.get(), 1, one, zero, CMP_CONV_PADDING_EXPLICIT, one, 1,
                                 CMP_CONV_GRAD_INPUT, &gi, &gw, &gb);
    });
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("conv1d_backward: expected grad_output on cuda:0 (the input's device), but got cpu"),
              std::string::npos)
        << f.message;
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(gi, nullptr);
}

}  // namespace cmp::testing::conv_cases
