// The random fills on a CUDA device against the CPU's, shared by the routing tests (against the
// fake backend, which computes the fills on the host from core/philox_values.h) and the parity
// tests (the real kernels of cuda/random.cu): from the same generator state every op must give
// the CPU's values bit for bit and leave the generator where the CPU leaves it.
#pragma once

#include "cuda_test_util.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>

namespace cmp::testing::random_cases {

// draw(device, outputs) makes the op's outputs on device (1 or 2 of them).
using Draw = std::function<cmp_status(cmp_device, cmp_tensor* outs)>;

inline void expect_same_draw(const std::string& what, const Draw& draw, int outputs = 1) {
    const uint64_t seed = 0x5eed0123456789ull, offset = (uint64_t{1} << 32) - 3;  // the counter's low word wraps
    uint64_t after[2][2] = {};
    cmp_tensor outs[2][2] = {};
    const cmp_device devices[2] = {cpu_device(), cuda_device()};
    for (int d = 0; d < 2; ++d) {
        ASSERT_EQ(cmp_rng_set_state(seed, offset), CMP_STATUS_OK);
        ASSERT_EQ(draw(devices[d], outs[d]), CMP_STATUS_OK) << what << ": " << cmp_last_error();
        ASSERT_EQ(cmp_rng_get_state(&after[d][0], &after[d][1]), CMP_STATUS_OK);
    }
    for (int k = 0; k < outputs; ++k) {
        Handle c(outs[0][k]), g(outs[1][k]);
        const std::string out_what = what + " output " + std::to_string(k);
        EXPECT_EQ(device_of(g.get()).type, CMP_DEVICE_CUDA) << out_what;
        EXPECT_EQ(sizes_of(g.get()), sizes_of(c.get())) << out_what;
        expect_identical(host_values(g.get()), values_of(c.get()), out_what);
    }
    EXPECT_EQ(after[1][0], after[0][0]) << what << ": seed";
    EXPECT_EQ(after[1][1], after[0][1]) << what << ": the generator's offset after the draw";
}

inline std::string label(const char* op, cmp_dtype dt, int64_t n) {
    return std::string(op) + " dtype " + std::to_string(dt) + " n " + std::to_string(n);
}

// A tensor of values on device.
inline Handle on(cmp_device device, const std::vector<double>& values, const std::vector<int64_t>& sizes, cmp_dtype dt) {
    Handle host = tensor_from(values, sizes, dt);
    return device.type == CMP_DEVICE_CPU ? std::move(host) : to_device(host.get(), device);
}

inline void rand_and_randn() {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (int64_t n : {int64_t(1), int64_t(7), int64_t(1001)}) {
            const std::vector<int64_t> sizes = {n};
            expect_same_draw(label("rand", dt, n), [&](cmp_device dev, cmp_tensor* o) {
                return cmp_rand(sizes.data(), 1, dt, dev, o);
            });
            expect_same_draw(label("randn", dt, n), [&](cmp_device dev, cmp_tensor* o) {
                return cmp_randn(sizes.data(), 1, dt, dev, o);
            });
        }
        // rand_like / randn_like of a device tensor stay on its device.
        expect_same_draw(label("randn_like", dt, 6), [&](cmp_device dev, cmp_tensor* o) {
            Handle like = on(dev, {0, 0, 0, 0, 0, 0}, {2, 3}, dt);
            return cmp_randn_like(like.get(), nullptr, nullptr, o);
        });
    }
}

inline void randint() {
    struct Case {
        cmp_dtype dtype;
        int64_t low, high;
    };
    // An odd range, the full int64 range, a power of two, bool, floating dtypes.
    const Case cases[] = {{CMP_DTYPE_INT64, -1000, 1000}, {CMP_DTYPE_INT64, INT64_MIN, INT64_MAX},
                          {CMP_DTYPE_INT32, -7, 9},       {CMP_DTYPE_UINT8, 0, 256},
                          {CMP_DTYPE_INT8, -128, 127},    {CMP_DTYPE_BOOL, 0, 2},
                          {CMP_DTYPE_FLOAT32, -5, 6},     {CMP_DTYPE_FLOAT16, -3, 3}};
    for (const Case& c : cases) {
        for (int64_t n : {int64_t(1), int64_t(513)}) {
            const std::vector<int64_t> sizes = {n};
            expect_same_draw(label("randint", c.dtype, n) + " [" + std::to_string(c.low) + ", " + std::to_string(c.high) + ")",
                             [&](cmp_device dev, cmp_tensor* o) {
                                 return cmp_randint(c.low, c.high, sizes.data(), 1, c.dtype, dev, o);
                             });
        }
    }
}

inline void bernoulli_of_a_number() {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_INT64, CMP_DTYPE_BOOL, CMP_DTYPE_FLOAT16}) {
        expect_same_draw(label("bernoulli_scalar 0.3", dt, 257), [&](cmp_device dev, cmp_tensor* o) {
            Handle like = on(dev, std::vector<double>(257, 0.0), {257}, dt);
            return cmp_bernoulli_scalar(like.get(), 0.3, o);
        });
    }
}

inline void bernoulli_of_a_tensor() {
    std::vector<double> p(301);
    for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<double>(i % 11) / 10.0;  // 0, 0.1, ..., 1
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        expect_same_draw(label("bernoulli of p", dt, 301), [&](cmp_device dev, cmp_tensor* o) {
            Handle pt = on(dev, p, {7, 43}, dt);
            return cmp_bernoulli(pt.get(), o);
        });
    }
}

inline void bernoulli_refuses_p_outside_0_1() {
    for (double bad : {-0.25, 1.5, std::nan("")}) {
        Handle p = on(cuda_device(), {0.5, bad, 0.25}, {3}, CMP_DTYPE_FLOAT32);
        cmp_tensor out = nullptr;
        EXPECT_EQ(cmp_bernoulli(p.get(), &out), CMP_STATUS_INVALID_ARGUMENT) << bad;
        Handle owned(out);
        EXPECT_NE(std::string(cmp_last_error()).find("bernoulli: expects all elements of p to be in [0, 1]"),
                  std::string::npos)
            << cmp_last_error();
    }
}

inline void dropout() {
    std::vector<double> x(5 * 33);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 13) - 6.5;
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16}) {
        for (double p : {0.0, 0.4, 1.0}) {
            const std::string at = " p " + std::to_string(p);
            expect_same_draw(label("dropout", dt, 165) + at, [&](cmp_device dev, cmp_tensor* o) {
                Handle in = on(dev, x, {33, 5}, dt);
                return cmp_dropout(in.get(), p, 1, &o[0], &o[1]);
            }, 2);
            expect_same_draw(label("feature_dropout", dt, 165) + at, [&](cmp_device dev, cmp_tensor* o) {
                Handle in = on(dev, x, {3, 11, 5}, dt);
                return cmp_feature_dropout(in.get(), p, 1, &o[0], &o[1]);
            }, 2);
            // The backward of a drawn mask (the draw itself takes no numbers).
            expect_same_draw(label("dropout_backward", dt, 165) + at, [&](cmp_device dev, cmp_tensor* o) {
                Handle in = on(dev, x, {33, 5}, dt);
                cmp_tensor out = nullptr, mask = nullptr;
                const cmp_status s = cmp_dropout(in.get(), p, 1, &out, &mask);
                Handle owned_out(out), owned_mask(mask);
                if (s != CMP_STATUS_OK) return s;
                return cmp_dropout_backward(in.get(), mask, p, o);
            });
        }
    }
}

// normal / normal_ / uniform_: randn's or rand's numbers mapped by philox_affine on each device.
// with_kernels adds what needs the elementwise kernels (the fake backend has none): the in-place
// forms on a transposed view (filled through a contiguous tensor, then copied: the numbers go to
// the view's elements in its order) and normal of mean and std tensors.
inline void normal_and_uniform(bool with_kernels) {
    using Fill = std::function<cmp_status(cmp_tensor)>;
    const std::pair<const char*, Fill> fills[] = {
        {"normal_", [](cmp_tensor t) { return cmp_normal_(t, -1.0, 0.25); }},
        {"uniform_", [](cmp_tensor t) { return cmp_uniform_(t, -3.0, 5.0); }},
    };
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (int64_t n : {int64_t(1), int64_t(7), int64_t(1001)}) {
            const std::vector<int64_t> sizes = {n};
            expect_same_draw(label("normal", dt, n), [&](cmp_device dev, cmp_tensor* o) {
                return cmp_normal_scalar(0.5, 3.0, sizes.data(), 1, dt, dev, o);
            });
        }
        for (const auto& [what, fill] : fills) {
            for (bool transposed : {false, true}) {
                if (transposed && !with_kernels) continue;
                const std::string at = transposed ? " of a transposed view" : "";
                expect_same_draw(label(what, dt, 30) + at, [&, f = fill](cmp_device dev, cmp_tensor* o) {
                    Handle x = on(dev, std::vector<double>(30, 0.0), {5, 6}, dt);
                    cmp_tensor v = nullptr;
                    if (transposed) {
                        const cmp_status s = cmp_transpose(x.get(), 0, 1, &v);
                        if (s != CMP_STATUS_OK) return s;
                    }
                    Handle view(v);
                    const cmp_status filled = f(transposed ? view.get() : x.get());
                    if (filled != CMP_STATUS_OK) return filled;
                    o[0] = x.release();
                    return CMP_STATUS_OK;
                });
            }
        }
    }
    if (!with_kernels) return;
    // mean and std tensors broadcast together: randn of the broadcast shape, then mean + std * z.
    expect_same_draw("normal of tensors", [&](cmp_device dev, cmp_tensor* o) {
        Handle mean = on(dev, {0.0, 1.0, 2.0}, {3, 1}, CMP_DTYPE_FLOAT32);
        Handle std = on(dev, {1.0, 0.5}, {1, 2}, CMP_DTYPE_FLOAT32);
        return cmp_normal(mean.get(), std.get(), o);
    });
}

inline void normal_refuses_a_negative_std() {
    for (double bad : {-0.5, -std::numeric_limits<double>::infinity()}) {
        Handle mean = on(cuda_device(), {0.0, 0.0, 0.0}, {3}, CMP_DTYPE_FLOAT32);
        Handle std = on(cuda_device(), {1.0, bad, std::nan("")}, {3}, CMP_DTYPE_FLOAT32);
        cmp_tensor out = nullptr;
        EXPECT_EQ(cmp_normal(mean.get(), std.get(), &out), CMP_STATUS_INVALID_ARGUMENT) << bad;
        Handle owned(out);
        EXPECT_NE(std::string(cmp_last_error()).find("normal: expects all elements of std >= 0.0"), std::string::npos)
            << cmp_last_error();
    }
    // NaN alone passes, as in PyTorch (and on the CPU).
    Handle mean = on(cuda_device(), {0.0}, {1}, CMP_DTYPE_FLOAT32);
    Handle std = on(cuda_device(), {std::nan("")}, {1}, CMP_DTYPE_FLOAT32);
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_normal(mean.get(), std.get(), &out), CMP_STATUS_OK) << cmp_last_error();
    Handle owned(out);
}

// randperm: the keys of the reserved blocks sorted with their indices; every numeric dtype the CPU
// allows, n = 1, odd, even, large; n = 0 draws nothing (the offset stays).
inline void randperm() {
    for (cmp_dtype dt : {CMP_DTYPE_INT64, CMP_DTYPE_INT32, CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_INT16,
                         CMP_DTYPE_UINT8, CMP_DTYPE_INT8, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (int64_t n : {int64_t(0), int64_t(1), int64_t(2), int64_t(7), int64_t(100), int64_t(127), int64_t(257),
                          int64_t(2049), int64_t(100001)}) {
            if ((dt == CMP_DTYPE_INT8 && n > 128) || (dt == CMP_DTYPE_UINT8 && n > 256) ||
                (dt == CMP_DTYPE_BFLOAT16 && n > 257) || (dt == CMP_DTYPE_FLOAT16 && n > 2049) ||
                (dt == CMP_DTYPE_INT16 && n > 32768))
                continue;
            expect_same_draw(label("randperm", dt, n), [&](cmp_device dev, cmp_tensor* o) {
                return cmp_randperm(n, dt, dev, o);
            });
        }
    }
}

// randperm's checks on CUDA: the CPU's statuses and messages, the generator untouched.
inline void randperm_refusals() {
    struct Case {
        int64_t n;
        cmp_dtype dtype;
        cmp_status status;
        const char* message;
    };
    const Case cases[] = {{-1, CMP_DTYPE_INT64, CMP_STATUS_INVALID_ARGUMENT, "randperm: n must be non-negative, got -1"},
                          {3, CMP_DTYPE_BOOL, CMP_STATUS_DTYPE_MISMATCH, "randperm: not defined for dtype bool"},
                          {300, CMP_DTYPE_INT8, CMP_STATUS_INVALID_ARGUMENT, "randperm: n = 300 is too large for dtype"},
                          {258, CMP_DTYPE_BFLOAT16, CMP_STATUS_INVALID_ARGUMENT, "randperm: n = 258 is too large for dtype"},
                          {int64_t(1) << 32, CMP_DTYPE_INT64, CMP_STATUS_INVALID_ARGUMENT,
                           "randperm: n = 4294967296 is too large on CUDA"}};
    for (const Case& c : cases) {
        ASSERT_EQ(cmp_rng_set_state(7, 11), CMP_STATUS_OK);
        cmp_tensor out = nullptr;
        EXPECT_EQ(cmp_randperm(c.n, c.dtype, cuda_device(), &out), c.status) << c.message;
        Handle owned(out);
        EXPECT_EQ(out, nullptr) << c.message;
        EXPECT_NE(std::string(cmp_last_error()).find(c.message), std::string::npos) << cmp_last_error();
        uint64_t seed = 0, offset = 0;
        ASSERT_EQ(cmp_rng_get_state(&seed, &offset), CMP_STATUS_OK);
        EXPECT_EQ(offset, 11u) << c.message << ": a refused randperm draws nothing";
    }
}

// multinomial with and without replacement, 1-D and 2-D probs of every floating dtype (float16 /
// bfloat16 through float64 as on the CPU), zero-probability categories, one category, all of a
// row's weight in one category, strided probs, as many samples as categories.
inline void multinomial() {
    std::vector<double> w;
    for (int i = 0; i < 6 * 37; ++i) w.push_back(i % 5 == 3 ? 0.0 : static_cast<double>((i * 7) % 11) + 0.25);
    struct Case {
        std::vector<double> values;
        std::vector<int64_t> sizes;
        int64_t samples;
    };
    const Case cases[] = {{w, {6, 37}, 37},
                          {w, {6, 37}, 5},
                          {w, {222}, 100},
                          {{0.0, 0.0, 5.0}, {3}, 3},
                          {{0.0, 2.0, 0.0, 0.0, 1.0, 0.0}, {2, 3}, 3},
                          {{4.0}, {1}, 1},
                          {{1e-300, 1e300, 0.0, 3.0}, {4}, 2}};
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (const Case& c : cases) {
            if (dt != CMP_DTYPE_FLOAT64 && c.values[0] == 1e-300) continue;  // float64 only
            for (bool replacement : {true, false}) {
                for (int64_t samples : {c.samples, int64_t(1), replacement ? int64_t(1000) : c.samples}) {
                    const std::string what = label("multinomial", dt, static_cast<int64_t>(c.values.size())) + " dims " +
                                             std::to_string(c.sizes.size()) + " samples " + std::to_string(samples) +
                                             (replacement ? " with" : " without") + " replacement";
                    expect_same_draw(what, [&](cmp_device dev, cmp_tensor* o) {
                        Handle p = on(dev, c.values, c.sizes, dt);
                        return cmp_multinomial(p.get(), samples, replacement ? 1 : 0, o);
                    });
                }
            }
        }
    }
    // A transposed (strided) view of probs.
    for (bool replacement : {true, false}) {
        expect_same_draw(std::string("multinomial of a transposed view") + (replacement ? " with" : " without"),
                         [&](cmp_device dev, cmp_tensor* o) {
                             Handle p = on(dev, w, {37, 6}, CMP_DTYPE_FLOAT32);
                             cmp_tensor t = nullptr;
                             const cmp_status s = cmp_transpose(p.get(), 0, 1, &t);
                             Handle view(t);
                             if (s != CMP_STATUS_OK) return s;
                             return cmp_multinomial(view.get(), 4, replacement ? 1 : 0, o);
                         });
    }
}

// multinomial's checks on CUDA: the CPU's statuses and messages (the first failure in the CPU's
// order: row-major elements, a row's sum after its elements), the generator untouched.
inline void multinomial_refusals() {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    struct Case {
        std::vector<double> values;
        std::vector<int64_t> sizes;
        int64_t samples;
        bool replacement;
        cmp_dtype dtype;
    };
    const Case cases[] = {
        {{1.0, -0.5, 2.0}, {3}, 1, true, CMP_DTYPE_FLOAT32},
        {{1.0, 2.0, inf}, {3}, 1, true, CMP_DTYPE_FLOAT64},
        {{1.0, nan, 2.0, 1.0}, {2, 2}, 1, false, CMP_DTYPE_FLOAT64},
        {{1.0, 2.0, 0.0, 0.0, -1.0, 3.0}, {3, 2}, 1, true, CMP_DTYPE_FLOAT64},  // row 1's zero sum comes first
        {{1.0, 2.0, 3.0, -1.0, 0.0, 0.0}, {3, 2}, 1, true, CMP_DTYPE_FLOAT64},  // row 1's -1 comes first
        {{0.0, 0.0}, {2}, 1, true, CMP_DTYPE_FLOAT16},
        {{}, {2, 0}, 1, true, CMP_DTYPE_FLOAT32},
        {{1.0, 2.0}, {2}, 3, false, CMP_DTYPE_FLOAT32},
        {{1.0, 2.0}, {2}, 0, true, CMP_DTYPE_FLOAT32},
        {{1.0, 2.0}, {1, 1, 2}, 1, true, CMP_DTYPE_FLOAT32},
        {{1.0, 2.0}, {2}, 1, true, CMP_DTYPE_INT64},
    };
    for (const Case& c : cases) {
        std::string messages[2];
        cmp_status statuses[2];
        const cmp_device devices[2] = {cpu_device(), cuda_device()};
        for (int d = 0; d < 2; ++d) {
            ASSERT_EQ(cmp_rng_set_state(7, 11), CMP_STATUS_OK);
            Handle p = on(devices[d], c.values, c.sizes, c.dtype);
            cmp_tensor out = nullptr;
            statuses[d] = cmp_multinomial(p.get(), c.samples, c.replacement ? 1 : 0, &out);
            Handle owned(out);
            messages[d] = cmp_last_error();
            EXPECT_EQ(out, nullptr) << messages[d];
            uint64_t seed = 0, offset = 0;
            ASSERT_EQ(cmp_rng_get_state(&seed, &offset), CMP_STATUS_OK);
            EXPECT_EQ(offset, 11u) << messages[d] << ": a refused multinomial draws nothing";
        }
        EXPECT_NE(statuses[0], CMP_STATUS_OK) << messages[0];
        EXPECT_EQ(statuses[1], statuses[0]) << messages[1];
        EXPECT_EQ(messages[1], messages[0]);
    }
}

}  // namespace cmp::testing::random_cases
