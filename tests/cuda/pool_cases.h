// Max, average and adaptive pooling with their backward on a CUDA device against the CPU's,
// shared by the routing tests (the fake backend runs cuda/pool_window.h's passes on the host) and
// the parity tests (cuda/pool.cu's kernels). Every case runs the same inputs on both devices:
// forward values, max indices and input gradients must agree exactly (docs/CUDA.md: each output
// visits its window in the CPU kernel's order, each input gradient adds its terms in the CPU's
// order, so the roundings are the same; compared with ==, so only the sign of a zero may differ),
// and errors must have the same status and message. The one exception is global average pooling
// (adaptive to 1 in every dim), which is the mean reduction on both devices: the device's mean
// sums in another order, compared within the bound derived in docs/CUDA.md.
#pragma once

#include "cuda_test_util.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace cmp::testing::pool_cases {

inline const cmp_dtype kFloating[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16};

inline int64_t numel(const std::vector<int64_t>& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

// Input flavours: distinct values, few values (ties in every window), or NaNs sprinkled in.
enum class Fill { Distinct, Ties, NaNs };

inline std::vector<double> values(int64_t n, Fill fill, int salt = 0) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const int64_t k = i * 7 + salt;
        double x = static_cast<double>(k % 23) * 0.375 - 3.0 + static_cast<double>(k % 5) * 0.0078125;
        if (fill == Fill::Ties) x = static_cast<double>(k % 3) - 1.0;
        if (fill == Fill::NaNs && i % 11 == 3) x = std::numeric_limits<double>::quiet_NaN();
        v[static_cast<size_t>(i)] = x;
    }
    return v;
}

// The input: shape as given, or stored with the last two dims swapped and seen transposed (a
// strided input) when transpose is set.
inline Handle input_of(const std::vector<int64_t>& shape, cmp_dtype dt, Fill fill, bool transpose) {
    std::vector<int64_t> stored = shape;
    const size_t r = stored.size();
    if (transpose) std::swap(stored[r - 1], stored[r - 2]);
    Handle t = tensor_from(values(numel(stored), fill), stored, dt);
    if (!transpose) return t;
    cmp_tensor v = nullptr;
    EXPECT_EQ(cmp_transpose(t.get(), static_cast<int64_t>(r) - 2, static_cast<int64_t>(r) - 1, &v), CMP_STATUS_OK)
        << cmp_last_error();
    return Handle(v);
}

// A gradient shaped and typed like ref, on ref's device (kept alive in keep).
inline cmp_tensor grad_like(cmp_tensor ref, std::vector<Handle>& keep) {
    const std::vector<int64_t> shape = sizes_of(ref);
    cmp_dtype dt{};
    EXPECT_EQ(cmp_tensor_dtype(ref, &dt), CMP_STATUS_OK);
    std::vector<double> v(static_cast<size_t>(numel(shape)));
    // Full-mantissa values (not just multiples of 1/4): a product or sum rounded in another
    // order than the CPU's then shows in the bits.
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = (static_cast<double>((i * 5) % 13) * 0.25 - 1.5) * 1.0123456789 + 0.001 * static_cast<double>(i % 7);
    keep.push_back(tensor_from(v, shape, dt));
    if (device_of(ref).type != CMP_DEVICE_CPU) keep.push_back(to_device(keep.back().get(), device_of(ref)));
    return keep.back().get();
}

// Runs op on the CPU input and on its CUDA copy: both succeed with results of equal shapes and
// values (within rtol: 0 means ==), or both fail with the same status and message.
using Op = std::function<cmp_status(cmp_tensor input, std::vector<Handle>& results)>;
inline void expect_same(const std::string& what, const Handle& input, const Op& op, double rtol = 0.0) {
    const Handle dev = to_device(input.get(), cuda_device());
    std::vector<Handle> hres, dres;
    const Failure hf = failure_of([&] { return op(input.get(), hres); });
    const Failure df = failure_of([&] { return op(dev.get(), dres); });
    if (!both_succeeded(what, hf, df)) return;
    ASSERT_EQ(dres.size(), hres.size()) << what;
    for (size_t k = 0; k < hres.size(); ++k) {
        const std::string which = what + ", result " + std::to_string(k);
        ASSERT_EQ(device_of(dres[k].get()).type, CMP_DEVICE_CUDA) << which;
        ASSERT_EQ(sizes_of(dres[k].get()), sizes_of(hres[k].get())) << which;
        expect_close(host_values(dres[k].get()), values_of(hres[k].get()), rtol, which);
    }
}

struct PoolCase {
    std::string name;
    std::vector<int64_t> shape;  // [N, C, *spatial] or [C, *spatial]
    int64_t nspatial;
    std::vector<int64_t> kernel, stride, padding, dilation;  // stride empty: kernel; dilation empty: 1
    bool ceil_mode = false;
    Fill fill = Fill::Distinct;
    bool transpose = false;
};

inline std::vector<PoolCase> pool_cases() {
    return {
        {"1d k3 s2 p1", {2, 3, 10}, 1, {3}, {2}, {1}, {}},
        {"1d k3 s2 p1 ceil", {2, 3, 10}, 1, {3}, {2}, {1}, {}, true},
        {"1d k2 default stride, dilation 3", {2, 2, 11}, 1, {2}, {}, {0}, {3}},
        {"2d k3x2 s2x1 p1x1", {2, 3, 7, 9}, 2, {3, 2}, {2, 1}, {1, 1}, {}},
        {"2d k3 s2 p1 ceil", {2, 3, 8, 8}, 2, {3, 3}, {2, 2}, {1, 1}, {}, true},
        {"2d k3 s2 dilation 2x1 ceil", {1, 2, 11, 10}, 2, {3, 3}, {2, 2}, {1, 0}, {2, 1}, true},
        {"2d k2 s2 (tiling)", {2, 3, 8, 6}, 2, {2, 2}, {}, {0, 0}, {}},
        {"2d overlapping s1", {1, 2, 6, 7}, 2, {3, 3}, {1, 1}, {1, 1}, {}},
        {"2d unbatched", {3, 8, 8}, 2, {3, 3}, {2, 2}, {1, 1}, {}},
        {"2d strided input", {2, 3, 7, 9}, 2, {3, 3}, {2, 2}, {1, 1}, {}, false, Fill::Distinct, true},
        {"2d ties", {2, 2, 8, 8}, 2, {3, 3}, {2, 2}, {1, 1}, {}, false, Fill::Ties},
        {"2d NaNs", {2, 2, 8, 8}, 2, {3, 3}, {2, 2}, {1, 1}, {}, false, Fill::NaNs},
        {"2d empty batch", {0, 3, 8, 8}, 2, {3, 3}, {2, 2}, {1, 1}, {}},
        {"3d k2x3x2 s1x2x2 p1x1x0", {1, 2, 5, 6, 7}, 3, {2, 3, 2}, {1, 2, 2}, {1, 1, 0}, {}},
        {"3d dilation, ceil", {2, 1, 6, 7, 8}, 3, {2, 2, 3}, {2, 2, 2}, {0, 1, 1}, {2, 1, 2}, true},
    };
}

inline const int64_t* or_null(const std::vector<int64_t>& v) { return v.empty() ? nullptr : v.data(); }

// max_pool, then max_pool_backward of a gradient through its indices.
inline void max_pool_case(const PoolCase& c, cmp_dtype dt) {
    const Handle x = input_of(c.shape, dt, c.fill, c.transpose);
    expect_same("max_pool " + c.name + " dtype " + std::to_string(dt), x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, idx = nullptr, gi = nullptr;
        cmp_status s = cmp_max_pool(in, c.nspatial, c.kernel.data(), or_null(c.stride), c.padding.data(),
                                    or_null(c.dilation), c.ceil_mode ? 1 : 0, &out, &idx);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(out);
        r.emplace_back(idx);
        std::vector<Handle> keep;
        s = cmp_max_pool_backward(grad_like(out, keep), in, c.nspatial, idx, &gi);
        if (s == CMP_STATUS_OK) r.emplace_back(gi);
        return s;
    });
}

// avg_pool and its backward, for every count_include_pad and divisor_override 0 / 3.
inline void avg_pool_case(const PoolCase& c, cmp_dtype dt) {
    if (!c.dilation.empty()) return;  // average pooling has no dilation
    const Handle x = input_of(c.shape, dt, c.fill, c.transpose);
    for (int32_t include_pad : {0, 1}) {
        for (int64_t divisor : {int64_t{0}, int64_t{3}}) {
            const std::string what = "avg_pool " + c.name + " include_pad " + std::to_string(include_pad) + " divisor " +
                                     std::to_string(divisor) + " dtype " + std::to_string(dt);
            expect_same(what, x, [&](cmp_tensor in, std::vector<Handle>& r) {
                cmp_tensor out = nullptr, gi = nullptr;
                cmp_status s = cmp_avg_pool(in, c.nspatial, c.kernel.data(), or_null(c.stride), c.padding.data(),
                                            c.ceil_mode ? 1 : 0, include_pad, divisor, &out);
                if (s != CMP_STATUS_OK) return s;
                r.emplace_back(out);
                if (dt == CMP_DTYPE_INT64) return s;  // no backward for integers
                std::vector<Handle> keep;
                s = cmp_avg_pool_backward(grad_like(out, keep), in, c.nspatial, c.kernel.data(), or_null(c.stride),
                                          c.padding.data(), c.ceil_mode ? 1 : 0, include_pad, divisor, &gi);
                if (s == CMP_STATUS_OK) r.emplace_back(gi);
                return s;
            });
        }
    }
}

struct AdaptiveCase {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<int64_t> output_size;
    Fill fill = Fill::Distinct;
    bool transpose = false;
};

inline std::vector<AdaptiveCase> adaptive_cases() {
    return {
        {"1d 10 -> 4", {2, 3, 10}, {4}},
        {"1d 5 -> 7 (overlapping, repeated)", {2, 2, 5}, {7}},
        {"2d 7x9 -> 3x4", {2, 3, 7, 9}, {3, 4}},
        {"2d 8x6 -> 4x3 (dividing)", {2, 3, 8, 6}, {4, 3}},
        {"2d unbatched 7x9 -> 2x5", {3, 7, 9}, {2, 5}},
        {"2d strided 7x9 -> 3x4", {2, 3, 7, 9}, {3, 4}, Fill::Distinct, true},
        {"2d ties", {2, 2, 8, 8}, {3, 3}, Fill::Ties},
        {"2d NaNs", {2, 2, 8, 8}, {3, 3}, Fill::NaNs},
        {"2d empty batch", {0, 3, 8, 8}, {3, 3}},
        {"2d to 0x3", {2, 3, 8, 8}, {0, 3}},
        {"3d 5x6x7 -> 2x4x3", {1, 2, 5, 6, 7}, {2, 4, 3}},
    };
}

// adaptive_max_pool with max_pool_backward through its indices; adaptive_avg_pool with its backward.
inline void adaptive_case(const AdaptiveCase& c, cmp_dtype dt) {
    const Handle x = input_of(c.shape, dt, c.fill, c.transpose);
    const int64_t ns = static_cast<int64_t>(c.output_size.size());
    const std::string suffix = " " + c.name + " dtype " + std::to_string(dt);
    expect_same("adaptive_max_pool" + suffix, x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, idx = nullptr, gi = nullptr;
        cmp_status s = cmp_adaptive_max_pool(in, ns, c.output_size.data(), &out, &idx);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(out);
        r.emplace_back(idx);
        std::vector<Handle> keep;
        s = cmp_max_pool_backward(grad_like(out, keep), in, ns, idx, &gi);
        if (s == CMP_STATUS_OK) r.emplace_back(gi);
        return s;
    });
    expect_same("adaptive_avg_pool" + suffix, x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, gi = nullptr;
        cmp_status s = cmp_adaptive_avg_pool(in, ns, c.output_size.data(), &out);
        if (s != CMP_STATUS_OK) return s;
        r.emplace_back(out);
        std::vector<Handle> keep;
        s = cmp_adaptive_avg_pool_backward(grad_like(out, keep), in, ns, &gi);
        if (s == CMP_STATUS_OK) r.emplace_back(gi);
        return s;
    });
}

// Global average pooling is the mean reduction on both devices, summed in other orders: within
// 2 (n + 1) u max|x| relative to max(1, |mean|) for float32 / float64 (n = the plane's size;
// |x| <= 3 here, docs/CUDA.md), one unit of the last place for the 16-bit dtypes (their float32
// means may round to neighbouring 16-bit values).
inline double global_rtol(cmp_dtype dt, int64_t n) {
    switch (dt) {
        case CMP_DTYPE_FLOAT32: return 2.0 * static_cast<double>(n + 1) * 3.0 * std::ldexp(1.0, -24);
        case CMP_DTYPE_FLOAT64: return 2.0 * static_cast<double>(n + 1) * 3.0 * std::ldexp(1.0, -53);
        case CMP_DTYPE_FLOAT16: return std::ldexp(1.0, -10);
        default: return std::ldexp(1.0, -7);
    }
}

inline void global_avg_case(cmp_dtype dt) {
    const Handle x = input_of({2, 3, 7, 9}, dt, Fill::Distinct, false);
    const int64_t ones[2] = {1, 1};
    expect_same(
        "global adaptive_avg_pool dtype " + std::to_string(dt), x,
        [&](cmp_tensor in, std::vector<Handle>& r) {
            cmp_tensor out = nullptr;
            const cmp_status s = cmp_adaptive_avg_pool(in, 2, ones, &out);
            if (s == CMP_STATUS_OK) r.emplace_back(out);
            return s;
        },
        global_rtol(dt, 63));
    // Its backward is the window pass (a tiling window: grad / 7 / 9 everywhere), exact.
    expect_same("global adaptive_avg_pool_backward dtype " + std::to_string(dt), x,
                [&](cmp_tensor in, std::vector<Handle>& r) {
                    const Handle g = tensor_from({0.5, -1.25, 3.0, 0.0, 7.5, -2.0}, {2, 3, 1, 1}, dt);
                    const Handle gd = device_of(in).type == CMP_DEVICE_CPU ? to_device(g.get(), cpu_device())
                                                                           : to_device(g.get(), device_of(in));
                    cmp_tensor gi = nullptr;
                    const cmp_status s = cmp_adaptive_avg_pool_backward(gd.get(), in, 2, &gi);
                    if (s == CMP_STATUS_OK) r.emplace_back(gi);
                    return s;
                });
}

// Errors after the checks: a max index outside its plane fails on both with the CPU's message.
inline void bad_index_case() {
    const Handle x = input_of({1, 2, 4, 4}, CMP_DTYPE_FLOAT32, Fill::Distinct, false);
    for (double bad : {16.0, -1.0}) {
        expect_same("max_pool_backward index " + std::to_string(bad), x, [&](cmp_tensor in, std::vector<Handle>& r) {
            const Handle idx = to_device(tensor_from({0, 5, 7, 15, 3, bad, 2, 2}, {1, 2, 2, 2}, CMP_DTYPE_INT64).get(),
                                         device_of(in));
            const Handle g = to_device(tensor_from(values(8, Fill::Distinct), {1, 2, 2, 2}, CMP_DTYPE_FLOAT32).get(),
                                       device_of(in));
            cmp_tensor gi = nullptr;
            const cmp_status s = cmp_max_pool_backward(g.get(), in, 2, idx.get(), &gi);
            if (s == CMP_STATUS_OK) r.emplace_back(gi);
            return s;
        });
    }
}

// Every case: max_pool, avg_pool (floating and, forward only, int64), adaptive pooling.
inline void every_case() {
    for (cmp_dtype dt : kFloating) {
        for (const PoolCase& c : pool_cases()) {
            max_pool_case(c, dt);
            avg_pool_case(c, dt);
        }
        for (const AdaptiveCase& c : adaptive_cases()) adaptive_case(c, dt);
        global_avg_case(dt);
    }
    for (const PoolCase& c : pool_cases())
        if (c.fill != Fill::NaNs) avg_pool_case(c, CMP_DTYPE_INT64);
    bad_index_case();
}

}  // namespace cmp::testing::pool_cases
