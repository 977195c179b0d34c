// cross_entropy and nll_loss, forward and backward, on a CUDA device against the CPU, shared by
// the routing tests (the fake backend runs cuda/class_loss_rows.h on the host, with host sum and
// div turned on) and the parity tests (cuda/class_loss.cu): the same inputs on both devices,
// every result compared within class_loss_tolerance (derived in docs/CUDA.md, "class losses").
#pragma once

#include "cuda_test_util.h"

#include <cmath>
#include <string>
#include <vector>

namespace cmp::testing::class_loss_cases {

// The bound of docs/CUDA.md ("class losses"): every sum of the op adds terms of one sign (exps,
// weights, weighted log-probabilities, row losses), so its relative error is at most its longest
// chain of additions L times the unit u of the accumulation type (2^-24 for float32, 16-bit
// and float32 inputs; 2^-53 for float64). Lc, the chain along a row: C where one thread walks
// the row (inner > 1, rows under 1024 classes on a warp: fewer; the fake backend) and at most
// C / 256 + 139 for longer dense rows (a block of 256 threads and its 8-step tree on the device;
// the CPU's float32 exp sums in blocks of 1024 over 8 lanes). Lr, the chain over rows of MEAN and
// SUM (0 for NONE). The log-probabilities (x - m) - log(s) of inputs within +-2.75 (so |x - m| <=
// 5.5) and log(s) <= 11 add ~17 u of absolute error; weights and gradients up to 2 and the
// gradient's p * mass - w * t difference scale it: 16 (2 Lc + Lr + 32) u relative to
// max(1, |value|). 16-bit results are rounded once more, from values that differ by that much:
// one ulp of the dtype more (cuda_test_util.h's tolerance).
inline double class_loss_tolerance(cmp_dtype dt, int64_t classes, bool strided, int64_t reduced_rows) {
    const double u = dt == CMP_DTYPE_FLOAT64 ? std::ldexp(1.0, -53) : std::ldexp(1.0, -24);
    const int64_t lc = (strided || classes < 1024) ? classes : classes / 256 + 139;
    const double accumulated = 16.0 * static_cast<double>(2 * lc + reduced_rows + 32) * u;
    return dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16 ? accumulated + tolerance(dt) : accumulated;
}

// One call's options. ignore_index -100 (the default) never hits; 1 hits every row whose target
// is class 1. prob: probability targets (cross_entropy only, default ignore_index).
struct Case {
    bool logits = true;  // cross_entropy; false: nll_loss
    std::vector<int64_t> sizes;
    cmp_dtype dtype = CMP_DTYPE_FLOAT32;
    int32_t reduction = CMP_REDUCTION_MEAN;
    bool weighted = false;
    bool prob = false;
    double smoothing = 0.0;
    int64_t ignore_index = -100;

    std::string name() const {
        std::string s = logits ? "cross_entropy" : "nll_loss";
        s += " sizes [";
        for (size_t d = 0; d < sizes.size(); ++d) s += (d ? "," : "") + std::to_string(sizes[d]);
        s += "] dtype " + std::to_string(dtype) + " reduction " + std::to_string(reduction) + (weighted ? " weighted" : "") +
             (prob ? " probabilities" : "") + " smoothing " + std::to_string(smoothing) + " ignore_index " +
             std::to_string(ignore_index);
        return s;
    }
    int64_t classes() const { return sizes.size() == 1 ? sizes[0] : sizes[1]; }
    int64_t rows() const {
        int64_t n = 1;
        for (size_t d = 0; d < sizes.size(); ++d)
            if (d != (sizes.size() == 1 ? 0 : 1)) n *= sizes[d];
        return n;
    }
    // inner > 1: a thread walks each row on the device.
    bool strided() const {
        int64_t inner = 1;
        for (size_t d = 2; d < sizes.size(); ++d) inner *= sizes[d];
        return inner > 1;
    }
    double tolerance() const {
        return class_loss_tolerance(dtype, classes(), strided(), reduction == CMP_REDUCTION_NONE ? 0 : rows());
    }
    std::vector<int64_t> row_sizes() const {
        std::vector<int64_t> s = sizes;
        s.erase(s.begin() + (sizes.size() == 1 ? 0 : 1));
        return s;
    }
};

// Deterministic values: inputs in [-2.75, 2.75], probabilities in (0, 1], class weights from 0.5.
inline std::vector<double> inputs(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 37) % 23 - 11) / 4.0;
    return v;
}
inline std::vector<double> probabilities(int64_t n) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>((i * 13) % 7 + 1) / 8.0;
    return v;
}
inline std::vector<double> class_weights(int64_t classes) {
    std::vector<double> v(static_cast<size_t>(classes));
    for (int64_t c = 0; c < classes; ++c) v[static_cast<size_t>(c)] = 0.5 + 0.25 * static_cast<double>(c % 7);
    return v;
}
// Row r's class: (3 r + 1) mod C (class 1 at rows 0, 5, 10, ... for 5 classes).
inline std::vector<double> class_targets(int64_t rows, int64_t classes) {
    std::vector<double> v(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) v[static_cast<size_t>(r)] = static_cast<double>((3 * r + 1) % classes);
    return v;
}
inline std::vector<double> row_grads(int64_t rows) {
    std::vector<double> v(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) v[static_cast<size_t>(r)] = static_cast<double>((r * 5) % 7 - 3) / 2.0;
    return v;
}

// The operands of a case on one device.
struct Operands {
    Handle input, target, weight, grad;
};

inline Operands host_operands(const Case& c) {
    int64_t numel = 1;
    for (int64_t s : c.sizes) numel *= s;
    Operands o;
    o.input = tensor_from(inputs(numel), c.sizes, c.dtype);
    o.target = c.prob ? tensor_from(probabilities(numel), c.sizes, c.dtype)
                      : tensor_from(class_targets(c.rows(), c.classes()), c.row_sizes(), CMP_DTYPE_INT64);
    if (c.weighted) o.weight = tensor_from(class_weights(c.classes()), {c.classes()}, c.dtype);
    o.grad = c.reduction == CMP_REDUCTION_NONE ? tensor_from(row_grads(c.rows()), c.row_sizes(), c.dtype)
                                               : tensor_from({0.7}, {}, c.dtype);
    return o;
}

inline Operands on_device(const Operands& h) {
    Operands d;
    d.input = to_device(h.input.get(), cuda_device());
    d.target = to_device(h.target.get(), cuda_device());
    if (h.weight) d.weight = to_device(h.weight.get(), cuda_device());
    d.grad = to_device(h.grad.get(), cuda_device());
    return d;
}

inline cmp_status forward(const Case& c, const Operands& o, cmp_tensor* out) {
    if (c.logits)
        return cmp_cross_entropy(o.input.get(), o.target.get(), o.weight.get(), c.ignore_index, c.reduction, c.smoothing, out);
    return cmp_nll_loss(o.input.get(), o.target.get(), o.weight.get(), c.ignore_index, c.reduction, out);
}

inline cmp_status backward(const Case& c, const Operands& o, cmp_tensor* grad_input, cmp_tensor* grad_target) {
    if (c.logits)
        return cmp_cross_entropy_backward(o.grad.get(), o.input.get(), o.target.get(), o.weight.get(), c.ignore_index,
                                          c.reduction, c.smoothing, grad_input, c.prob ? grad_target : nullptr);
    return cmp_nll_loss_backward(o.grad.get(), o.input.get(), o.target.get(), o.weight.get(), c.ignore_index, c.reduction,
                                 grad_input);
}

// Runs a case (with operands built by make, host operands by default) on both devices and
// compares the loss, grad_input and (probability targets) grad_target.
inline void expect_same(const Case& c, const Operands& h, const Operands& d) {
    const std::string what = c.name();
    const double tol = c.tolerance();
    cmp_tensor raw = nullptr;
    ASSERT_EQ(forward(c, h, &raw), CMP_STATUS_OK) << what << " (CPU): " << cmp_last_error();
    Handle cpu_loss(raw);
    ASSERT_EQ(forward(c, d, &raw), CMP_STATUS_OK) << what << " (CUDA): " << cmp_last_error();
    Handle dev_loss(raw);
    EXPECT_EQ(device_of(dev_loss.get()).type, CMP_DEVICE_CUDA) << what;
    expect_close(host_values(dev_loss.get()), values_of(cpu_loss.get()), tol, what + " loss");

    cmp_tensor gi = nullptr, gt = nullptr;
    ASSERT_EQ(backward(c, h, &gi, &gt), CMP_STATUS_OK) << what << " backward (CPU): " << cmp_last_error();
    Handle cpu_gi(gi), cpu_gt(gt);
    gi = gt = nullptr;
    ASSERT_EQ(backward(c, d, &gi, &gt), CMP_STATUS_OK) << what << " backward (CUDA): " << cmp_last_error();
    Handle dev_gi(gi), dev_gt(gt);
    expect_close(host_values(dev_gi.get()), values_of(cpu_gi.get()), tol, what + " grad_input");
    ASSERT_EQ(static_cast<bool>(dev_gt), static_cast<bool>(cpu_gt)) << what;
    if (cpu_gt) expect_close(host_values(dev_gt.get()), values_of(cpu_gt.get()), tol, what + " grad_target");
}

inline void expect_same(const Case& c) {
    const Operands h = host_operands(c);
    expect_same(c, h, on_device(h));
}

// Every option of both ops over the shapes (C), (N, C) and (N, C, d1, d2) in dtype dt.
inline void every_option(cmp_dtype dt) {
    const std::vector<std::vector<int64_t>> shapes = {{5}, {6, 5}, {2, 5, 3, 2}};
    for (const auto& sizes : shapes)
        for (int32_t reduction : {CMP_REDUCTION_NONE, CMP_REDUCTION_MEAN, CMP_REDUCTION_SUM})
            for (bool weighted : {false, true}) {
                Case c;
                c.sizes = sizes;
                c.dtype = dt;
                c.reduction = reduction;
                c.weighted = weighted;
                for (int64_t ignore : {int64_t{-100}, int64_t{1}}) {
                    c.ignore_index = ignore;
                    c.logits = false;
                    c.smoothing = 0.0;
                    expect_same(c);
                    c.logits = true;
                    for (double smoothing : {0.0, 0.1}) {
                        c.smoothing = smoothing;
                        expect_same(c);
                    }
                }
                c.ignore_index = -100;
                c.prob = true;
                for (double smoothing : {0.0, 0.1}) {
                    c.smoothing = smoothing;
                    expect_same(c);
                }
            }
}

// A row holding NaN, +inf or only -inf gives NaN (loss and the row's gradient) on both devices;
// a MEAN over ignored targets only is NaN (0 / 0).
inline void non_finite_rows(cmp_dtype dt) {
    const double inf = INFINITY;
    Case c;
    c.sizes = {4, 3};
    c.dtype = dt;
    for (int32_t reduction : {CMP_REDUCTION_NONE, CMP_REDUCTION_MEAN, CMP_REDUCTION_SUM})
        for (bool prob : {false, true}) {
            c.reduction = reduction;
            c.prob = prob;
            Operands h = host_operands(c);
            h.input = tensor_from({0.5, NAN, -1.0, inf, 0.0, 1.0, -inf, -inf, -inf, -inf, 2.0, 1.0}, c.sizes, dt);
            expect_same(c, h, on_device(h));
        }
    c.prob = false;
    c.reduction = CMP_REDUCTION_MEAN;
    c.sizes = {3, 4};
    c.ignore_index = 1;
    Operands h = host_operands(c);
    h.target = tensor_from({1, 1, 1}, {3}, CMP_DTYPE_INT64);
    expect_same(c, h, on_device(h));
}

// A class index out of range (and not ignore_index) fails on both devices with the CPU's error.
inline void out_of_range_targets(cmp_dtype dt) {
    for (bool logits : {true, false})
        for (int32_t reduction : {CMP_REDUCTION_NONE, CMP_REDUCTION_MEAN}) {
            Case c;
            c.logits = logits;
            c.sizes = {6, 5, 2};
            c.dtype = dt;
            c.reduction = reduction;
            c.ignore_index = 3;
            Operands h = host_operands(c);
            // Rows 4 (7) and 9 (-1) are out of range; row 1 (3) is ignored.
            h.target = tensor_from({0, 3, 4, 2, 7, 1, 0, 4, 2, -1, 1, 0}, {6, 2}, CMP_DTYPE_INT64);
            const Operands d = on_device(h);
            for (bool grad : {false, true}) {
                cmp_tensor a = nullptr, b = nullptr;
                const Failure cpu = failure_of([&] { return grad ? backward(c, h, &a, &b) : forward(c, h, &a); });
                const Failure dev = failure_of([&] { return grad ? backward(c, d, &a, &b) : forward(c, d, &a); });
                EXPECT_EQ(cpu.status, CMP_STATUS_INDEX_OUT_OF_RANGE) << c.name();
                EXPECT_EQ(dev.status, CMP_STATUS_INDEX_OUT_OF_RANGE) << c.name();
                EXPECT_NE(dev.message.find("target 7 is out of bounds for 5 classes (target element 4)"), std::string::npos)
                    << dev.message;
                EXPECT_NE(dev.message.find(logits ? "cross_entropy" : "nll_loss"), std::string::npos) << dev.message;
                EXPECT_EQ(dev.message, cpu.message) << c.name();
            }
        }
}

}  // namespace cmp::testing::class_loss_cases
