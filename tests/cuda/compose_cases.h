// The shape copies that run on a CUDA device as compositions of other device ops (cat, stack,
// repeat, tile, repeat_interleave, diag, pad and its backward, the split family's views), and
// the ops with fused kernels written in the plain CUDA subset (docs/CUDA.md): batch_norm with its
// backward, and scaled_dot_product_attention with its backward (a composition for heads above
// 128). Shared by the routing tests (the fake backend computes each device op on the host, and
// runs the fused kernels themselves through tests/cuda/simt_emulator.h) and the parity tests
// (the real kernels): each case runs the same inputs on the CPU and on a CUDA device and compares
// every output and every input afterwards (batch_norm updates its running statistics in place),
// or both fail with the same status and message. The shape copies move elements as bits
// (identical results required); the arithmetic is compared with the tolerances docs/CUDA.md
// derives (see batch_norm_case and attention_case).
#pragma once

#include "cuda_test_util.h"
#include "index_cases.h"

#include <functional>
#include <string>
#include <vector>

namespace cmp::testing::compose_cases {

// The dtype lists, numel and the sample values are index_cases.h's.
using index_cases::kEveryDtype;
using index_cases::kFloating;
using index_cases::numel;
using index_cases::values;

// One operand on both devices: the CPU tensor and its CUDA copy, seen transposed (dims 0 and 1
// swapped, a strided view made on each device) when asked. An absent operand is NULL on both.
struct Operand {
    Handle host, dev;
};

inline Handle transposed_view(const Handle& t) {
    cmp_tensor v = nullptr;
    EXPECT_EQ(cmp_transpose(t.get(), 0, 1, &v), CMP_STATUS_OK) << cmp_last_error();
    return Handle(v);
}

inline Operand given(const std::vector<double>& v, const std::vector<int64_t>& shape, cmp_dtype dt,
                       bool transpose = false) {
    std::vector<int64_t> stored = shape;
    if (transpose) std::swap(stored[0], stored[1]);
    Handle host = tensor_from(v, stored, dt);
    Handle dev = to_device(host.get(), cuda_device());
    if (!transpose) return {std::move(host), std::move(dev)};
    return {transposed_view(host), transposed_view(dev)};
}

inline Operand operand(const std::vector<int64_t>& shape, cmp_dtype dt, int salt = 0, bool transpose = false) {
    return given(values(numel(shape), salt), shape, dt, transpose);
}

// The op under test: the operands (NULL for an absent one) in, its results into *outs.
using Op = std::function<cmp_status(const std::vector<cmp_tensor>&, std::vector<cmp_tensor>*)>;

inline void expect_values(cmp_tensor dev, cmp_tensor host, double rtol, const std::string& what) {
    ASSERT_EQ(device_of(dev).type, device_of(host).type == CMP_DEVICE_CPU ? CMP_DEVICE_CUDA : CMP_DEVICE_CPU) << what;
    EXPECT_EQ(sizes_of(dev), sizes_of(host)) << what;
    cmp_dtype hd{}, dd{};
    ASSERT_EQ(cmp_tensor_dtype(host, &hd), CMP_STATUS_OK);
    ASSERT_EQ(cmp_tensor_dtype(dev, &dd), CMP_STATUS_OK);
    EXPECT_EQ(dd, hd) << what;
    if (rtol == 0.0) expect_identical(host_values(dev), values_of(host), what);
    else expect_close(host_values(dev), values_of(host), rtol, what);
}

// Runs op on the CPU operands and on their CUDA copies: both succeed, every result on its
// operands' device with the CPU's shape, dtype and values (identical for rtol 0, else within
// rtol relative, absolute below 1) and every operand still equal afterwards; or both fail with
// the same status and message.
inline void expect_same(const std::string& what, const std::vector<const Operand*>& ops, const Op& op, double rtol = 0.0) {
    std::vector<cmp_tensor> h, d;
    for (const Operand* o : ops) {
        h.push_back(o ? o->host.get() : nullptr);
        d.push_back(o ? o->dev.get() : nullptr);
    }
    std::vector<cmp_tensor> ho, dout;
    const Failure hf = failure_of([&] { return op(h, &ho); });
    std::vector<Handle> hres, dres;
    for (cmp_tensor t : ho) hres.emplace_back(t);
    const Failure df = failure_of([&] { return op(d, &dout); });
    for (cmp_tensor t : dout) dres.emplace_back(t);
    if (!both_succeeded(what, hf, df)) return;
    ASSERT_EQ(dres.size(), hres.size()) << what;
    for (size_t i = 0; i < hres.size(); ++i) {
        if (!hres[i]) continue;
        expect_values(dres[i].get(), hres[i].get(), rtol, what + ", result " + std::to_string(i));
    }
    for (size_t i = 0; i < ops.size(); ++i)
        if (ops[i]) expect_values(d[i], h[i], rtol, what + ", operand " + std::to_string(i) + " afterwards");
}

// An op with one result.
template <typename Fn>
Op one(Fn fn) {
    return [fn](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
        cmp_tensor o = nullptr;
        const cmp_status s = fn(t, &o);
        if (o) outs->push_back(o);
        return s;
    };
}

// ---- shape copies -----------------------------------------------------------------------

inline void cat_stack_cases(cmp_dtype dt) {
    const std::string tag = " dtype " + std::to_string(dt);
    const Operand a = operand({2, 3, 4}, dt, 0), b = operand({2, 5, 4}, dt, 3), c = operand({2, 1, 4}, dt, 5, true);
    const Operand empty1d = operand({0}, dt), mid_empty = operand({2, 0, 4}, dt);
    auto cat = [](int64_t dim) {
        return one([dim](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
            return cmp_cat(t.data(), static_cast<int64_t>(t.size()), dim, o);
        });
    };
    expect_same("cat dim 1" + tag, {&a, &b, &c, &mid_empty}, cat(1));
    expect_same("cat dim -2 with skipped 1-D empties" + tag, {&empty1d, &a, &empty1d, &b}, cat(-2));
    const Operand a0 = operand({3, 3, 4}, dt, 7, true), a2 = operand({2, 3, 6}, dt, 9);
    expect_same("cat dim 0 (a transposed operand)" + tag, {&a, &a0}, cat(0));
    expect_same("cat dim -1" + tag, {&a2, &a}, cat(-1));
    expect_same("cat only 1-D empties" + tag, {&empty1d, &empty1d}, cat(0));
    expect_same("cat sizes mismatch" + tag, {&a, &a2}, cat(1));
    expect_same("cat dim out of range" + tag, {&a, &b}, cat(3));
    const Operand other = operand({2, 2, 4}, dt == CMP_DTYPE_INT32 ? CMP_DTYPE_FLOAT32 : CMP_DTYPE_INT32, 11);
    expect_same("cat promoting with int32 / float32" + tag, {&a, &other}, cat(1));
    auto stack = [](int64_t dim) {
        return one([dim](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
            return cmp_stack(t.data(), static_cast<int64_t>(t.size()), dim, o);
        });
    };
    const Operand a1 = operand({2, 3, 4}, dt, 13, true);
    for (int64_t dim : {0, 1, 3, -1, -4}) expect_same("stack dim " + std::to_string(dim) + tag, {&a, &a1, &a}, stack(dim));
    expect_same("stack of empties" + tag, {&mid_empty, &mid_empty}, stack(1));
    expect_same("stack sizes mismatch" + tag, {&a, &b}, stack(0));
}

inline void repeat_cases(cmp_dtype dt) {
    const std::string tag = " dtype " + std::to_string(dt);
    const Operand a = operand({2, 3}, dt, 1), at = operand({3, 2}, dt, 2, true), e = operand({0, 3}, dt);
    const Operand scalar = given({4.5}, {}, dt);
    auto repeat = [](std::vector<int64_t> r, bool tile) {
        return one([r, tile](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
            return tile ? cmp_tile(t[0], r.data(), static_cast<int64_t>(r.size()), o)
                        : cmp_repeat(t[0], r.data(), static_cast<int64_t>(r.size()), o);
        });
    };
    expect_same("repeat [2, 3]" + tag, {&a}, repeat({2, 3}, false));
    expect_same("repeat with new leading dims" + tag, {&at}, repeat({2, 1, 3, 2}, false));
    expect_same("repeat zero" + tag, {&a}, repeat({0, 2}, false));
    expect_same("repeat empty" + tag, {&e}, repeat({2, 2}, false));
    expect_same("repeat 0-dim" + tag, {&scalar}, repeat({3, 2}, false));
    expect_same("repeat too few" + tag, {&a}, repeat({2}, false));
    expect_same("repeat negative" + tag, {&a}, repeat({2, -1}, false));
    expect_same("tile short reps" + tag, {&at}, repeat({3}, true));
    expect_same("tile long reps" + tag, {&a}, repeat({2, 1, 2}, true));
    auto interleave = [](int64_t r, bool has_dim, int64_t dim, int64_t output_size) {
        return one([=](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
            return cmp_repeat_interleave(t[0], r, has_dim, dim, output_size, o);
        });
    };
    expect_same("repeat_interleave flat" + tag, {&at}, interleave(3, 0, 0, -1));
    expect_same("repeat_interleave dim 0" + tag, {&at}, interleave(2, 1, 0, 6));
    expect_same("repeat_interleave dim -1" + tag, {&at}, interleave(3, 1, -1, -1));
    expect_same("repeat_interleave zero" + tag, {&a}, interleave(0, 1, 1, -1));
    expect_same("repeat_interleave empty" + tag, {&e}, interleave(2, 1, 1, -1));
    expect_same("repeat_interleave output_size mismatch" + tag, {&a}, interleave(2, 1, 0, 5));
    expect_same("repeat_interleave negative" + tag, {&a}, interleave(-1, 1, 0, -1));
    auto by_tensor = [](bool has_dim, int64_t dim, int64_t output_size) {
        return one([=](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
            return cmp_repeat_interleave_tensor(t[0], t[1], has_dim, dim, output_size, o);
        });
    };
    const Operand r3 = given({2, 0, 3}, {3}, CMP_DTYPE_INT64), r2 = given({1, 4}, {2}, CMP_DTYPE_INT32);
    const Operand r6 = given({1, 0, 2, 3, 0, 1}, {6}, CMP_DTYPE_INT64), r0 = given({2}, {}, CMP_DTYPE_INT64);
    const Operand bad = given({1, -2, 1}, {3}, CMP_DTYPE_INT64), fl = given({1, 2, 1}, {3}, CMP_DTYPE_FLOAT32);
    expect_same("repeat_interleave tensor dim 1" + tag, {&a, &r3}, by_tensor(1, 1, -1));
    expect_same("repeat_interleave tensor dim -2 (int32 repeats, transposed input)" + tag, {&at, &r2}, by_tensor(1, -1, 5));
    expect_same("repeat_interleave tensor flat" + tag, {&a, &r6}, by_tensor(0, 0, -1));
    expect_same("repeat_interleave 0-dim tensor" + tag, {&a, &r0}, by_tensor(1, 0, -1));
    expect_same("repeat_interleave tensor negative" + tag, {&a, &bad}, by_tensor(1, 1, -1));
    expect_same("repeat_interleave tensor wrong size" + tag, {&a, &r3}, by_tensor(1, 0, -1));
    expect_same("repeat_interleave tensor output_size" + tag, {&a, &r3}, by_tensor(1, 1, 4));
    expect_same("repeat_interleave float repeats" + tag, {&a, &fl}, by_tensor(1, 1, -1));
    if (dt == CMP_DTYPE_INT64 || dt == CMP_DTYPE_INT32) {
        const Operand idx = given({3, 0, 1, 2}, {4}, dt);
        expect_same("repeat_interleave indices" + tag, {&idx}, one([](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
                        return cmp_repeat_interleave_indices(t[0], -1, o);
                    }));
    }
}

inline void diag_split_cases(cmp_dtype dt) {
    const std::string tag = " dtype " + std::to_string(dt);
    const Operand v = operand({4}, dt, 3), m = operand({3, 5}, dt, 4), mt = operand({4, 3}, dt, 5, true);
    const Operand e = operand({0}, dt), three = operand({2, 2, 2}, dt);
    auto diag = [](int64_t k) {
        return one([k](const std::vector<cmp_tensor>& t, cmp_tensor* o) { return cmp_diag(t[0], k, o); });
    };
    for (int64_t k : {0, 2, -1}) {
        expect_same("diag of a vector k " + std::to_string(k) + tag, {&v}, diag(k));
        expect_same("diag of a matrix k " + std::to_string(k) + tag, {&m}, diag(k));
        expect_same("diag of a transposed matrix k " + std::to_string(k) + tag, {&mt}, diag(k));
    }
    expect_same("diag past the matrix" + tag, {&m}, diag(7));
    expect_same("diag of an empty vector" + tag, {&e}, diag(1));
    expect_same("diag of a 3-D tensor" + tag, {&three}, diag(0));
    // The split family gives views: each piece copied back must hold the CPU's values.
    auto pieces = [](std::function<cmp_status(cmp_tensor, cmp_tensor*, int64_t*)> fn) {
        return [fn](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
            cmp_tensor buf[16] = {};
            int64_t n = 0;
            const cmp_status s = fn(t[0], buf, &n);
            for (int64_t i = 0; i < n; ++i) outs->push_back(buf[i]);
            return s;
        };
    };
    expect_same("split" + tag, {&mt}, pieces([](cmp_tensor t, cmp_tensor* o, int64_t* n) { return cmp_split(t, 2, 0, o, 16, n); }));
    const int64_t sizes[] = {1, 2};
    expect_same("split_with_sizes" + tag, {&mt},
                pieces([&](cmp_tensor t, cmp_tensor* o, int64_t* n) { return cmp_split_with_sizes(t, sizes, 2, -1, o, 16, n); }));
    expect_same("chunk" + tag, {&m}, pieces([](cmp_tensor t, cmp_tensor* o, int64_t* n) { return cmp_chunk(t, 2, 1, o, 16, n); }));
    expect_same("unbind" + tag, {&mt}, pieces([](cmp_tensor t, cmp_tensor* o, int64_t* n) { return cmp_unbind(t, -1, o, 16, n); }));
    expect_same("diagonal" + tag, {&three}, one([](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
                    return cmp_diagonal(t[0], 1, 0, 2, o);
                }));
}

struct PadCase {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<int64_t> pad;
    int32_t mode;
    bool transpose = false;
};

inline std::vector<PadCase> pad_cases() {
    return {
        {"constant last dim", {2, 3}, {1, 2}, CMP_PAD_CONSTANT},
        {"constant 3 dims, transposed", {3, 2, 4}, {0, 1, 2, 0, 1, 1}, CMP_PAD_CONSTANT, true},
        {"constant cropping", {3, 5}, {-1, 2, 1, -2}, CMP_PAD_CONSTANT},
        {"constant cropping everything", {3, 2}, {-1, -1}, CMP_PAD_CONSTANT},
        {"constant of an empty dim", {0, 3}, {1, 1, 2, 0}, CMP_PAD_CONSTANT},
        {"constant 0-dim", {}, {}, CMP_PAD_CONSTANT},
        {"constant 4 dims", {2, 2, 1, 2}, {1, 0, 0, 1, 1, 1, 1, 0}, CMP_PAD_CONSTANT},
        {"reflect 1 dim, 2-D input", {3, 5}, {2, 3}, CMP_PAD_REFLECT},
        {"reflect 1 dim, 3-D transposed", {4, 2, 5}, {4, 1}, CMP_PAD_REFLECT, true},
        {"reflect 2 dims", {2, 3, 4}, {1, 2, 2, 1}, CMP_PAD_REFLECT},
        {"reflect 3 dims, negative", {1, 2, 3, 4, 5}, {2, -1, 1, 0, -1, 2}, CMP_PAD_REFLECT},
        {"reflect too much", {2, 3}, {3, 0}, CMP_PAD_REFLECT},
        {"replicate 1 dim", {2, 3, 4}, {3, 5}, CMP_PAD_REPLICATE},
        {"replicate 2 dims, transposed", {3, 2, 4}, {1, 0, 2, 3}, CMP_PAD_REPLICATE, true},
        {"replicate 3 dims", {3, 2, 3, 2}, {1, 1, 0, 2, 2, 0}, CMP_PAD_REPLICATE},
        {"replicate empty batch", {0, 2, 3}, {1, 1}, CMP_PAD_REPLICATE},
        {"circular 1 dim", {2, 3, 4}, {2, 4}, CMP_PAD_CIRCULAR},
        {"circular 2 dims, negative", {2, 1, 4, 5}, {-2, 3, 1, -1}, CMP_PAD_CIRCULAR},
        {"circular 3 dims", {1, 2, 2, 3, 4}, {1, 2, 2, 1, 0, 2}, CMP_PAD_CIRCULAR},
        {"circular without a batch dim", {3, 4}, {1, 1}, CMP_PAD_CIRCULAR},
        {"odd pad length", {3, 4}, {1}, CMP_PAD_CONSTANT},
    };
}

inline void pad_case(const PadCase& c, cmp_dtype dt) {
    const std::string what = "pad " + c.name + " dtype " + std::to_string(dt);
    const Operand a = operand(c.shape, dt, 2, c.transpose);
    const std::vector<int64_t> pad = c.pad;
    const int32_t mode = c.mode;
    expect_same(what, {&a}, one([pad, mode](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
                    return cmp_pad(t[0], pad.data(), static_cast<int64_t>(pad.size()), mode, 2.5, o);
                }));
    bool floating = false;
    for (cmp_dtype f : kFloating) floating = floating || f == dt;
    if (!floating) return;
    // The backward from a grad_output of the padded shape (taken from the CPU's forward).
    cmp_tensor out = nullptr;
    if (cmp_pad(a.host.get(), pad.data(), static_cast<int64_t>(pad.size()), mode, 0.0, &out) != CMP_STATUS_OK) return;
    const Handle padded(out);
    const std::vector<int64_t> big = sizes_of(padded.get()), small = c.shape;
    const Operand g = operand(big, dt, 5);
    // Several gradients can meet in one element (reflect, replicate): sums in another order.
    const double rtol = mode == CMP_PAD_CONSTANT ? 0.0 : tolerance(dt) * 4;
    expect_same("pad_backward " + c.name + " dtype " + std::to_string(dt), {&g},
                one([pad, mode, small](const std::vector<cmp_tensor>& t, cmp_tensor* o) {
                    return cmp_pad_backward(t[0], small.data(), static_cast<int64_t>(small.size()), pad.data(),
                                            static_cast<int64_t>(pad.size()), mode, o);
                }),
                rtol);
}

inline void shape_copy_cases() {
    for (cmp_dtype dt : kEveryDtype) {
        cat_stack_cases(dt);
        repeat_cases(dt);
        diag_split_cases(dt);
        for (const PadCase& c : pad_cases()) pad_case(c, dt);
    }
}

// ---- batch norm ---------------------------------------------------------------------------

// The CPU kernel merges Welford moments in the statistics dtype (float32 for float32 and the
// 16-bit floats); the device (and the fake, in double) reduces in another order, so the
// statistics differ by a few ulps of float32, amplified in y and the gradients by
// |x - mean| * invstd * |w| and the backward's sums (at most about 10 for these inputs):
// relative 2e-5 float32, 1e-13 float64 (to max(1, |CPU value|)); a 16-bit result is rounded once
// from values that close, so one ulp of its dtype more (docs/CUDA.md).
inline double composed_tolerance(cmp_dtype dt, double float32, double float64) {
    if (dt == CMP_DTYPE_FLOAT64) return float64;
    return dt == CMP_DTYPE_FLOAT32 ? float32 : tolerance(dt) + float32;
}
inline double norm_tolerance(cmp_dtype dt) { return composed_tolerance(dt, 2e-5, 1e-13); }

struct BatchNormCase {
    std::string name;
    std::vector<int64_t> shape;
    bool affine, running, training;
    bool transpose = false;
};

inline std::vector<BatchNormCase> batch_norm_cases() {
    return {
        {"(N, C) training", {6, 4}, true, true, true},
        {"(N, C, L) training", {2, 3, 5}, true, true, true},
        {"(N, C, H, W) training, transposed", {3, 2, 2, 3}, true, true, true, true},
        {"training without affine or running stats", {2, 3, 4}, false, false, true},
        {"training with one sample", {1, 3, 7}, true, true, true},
        {"training on an empty batch", {0, 3, 4}, true, true, true},
        {"(N, C) evaluation", {5, 3}, true, true, false},
        {"(N, C, H, W) evaluation without affine", {2, 4, 3, 2}, false, true, false},
        {"evaluation without running stats", {2, 3}, true, false, false},
        {"training with one value per channel", {1, 3}, true, true, true},
        // More values per channel than the fused kernels' 256 threads (each adds several before
        // the block's tree), channels split into slices of 2048 values or more (a block each,
        // the cut falling inside a run), runs of 320 (walked run by run), of 250 and of 1 (one
        // flat index), and elementwise passes of several blocks.
        {"(N, C, H, W) training, 2 slices of runs of 320", {9, 2, 16, 20}, true, true, true},
        {"(N, C, L) training, 3 slices of runs of 250", {20, 2, 250}, true, true, true},
        {"(N, C) training, 300 samples", {300, 3}, true, true, true},
        {"(N, C, L) evaluation, 1200 values", {4, 3, 100}, true, true, false},
    };
}

inline void batch_norm_case(const BatchNormCase& c, cmp_dtype dt) {
    const std::string what = "batch_norm " + c.name + " dtype " + std::to_string(dt);
    const int64_t channels = c.shape[1];
    const Operand x = operand(c.shape, dt, 1, c.transpose);
    const Operand w = operand({channels}, dt, 4), b = operand({channels}, dt, 8);
    std::vector<double> var(static_cast<size_t>(channels));
    for (size_t i = 0; i < var.size(); ++i) var[i] = 0.5 + static_cast<double>(i);
    const Operand rm = operand({channels}, dt, 2), rv = given(var, {channels}, dt);
    const Operand* affine_w = c.affine ? &w : nullptr;
    const Operand* affine_b = c.affine ? &b : nullptr;
    const Operand* run_m = c.running ? &rm : nullptr;
    const Operand* run_v = c.running ? &rv : nullptr;
    const int32_t training = c.training ? 1 : 0;
    expect_same(what, {&x, affine_w, affine_b, run_m, run_v},
                [training](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
                    cmp_tensor y = nullptr, m = nullptr, s = nullptr;
                    const cmp_status st = cmp_batch_norm(t[0], t[1], t[2], t[3], t[4], training, 0.1, 1e-5, &y, &m, &s);
                    for (cmp_tensor o : {y, m, s})
                        if (o) outs->push_back(o);
                    return st;
                },
                norm_tolerance(dt));
    // The backward from the CPU forward's saved statistics (moved to the device as operands).
    const Operand xf = operand(c.shape, dt, 1, c.transpose);
    cmp_tensor y = nullptr, m = nullptr, s = nullptr;
    const Operand rm2 = operand({channels}, dt, 2), rv2 = given(var, {channels}, dt);
    if (cmp_batch_norm(xf.host.get(), w.host.get(), b.host.get(), c.running ? rm2.host.get() : nullptr,
                       c.running ? rv2.host.get() : nullptr, training, 0.1, 1e-5, &y, &m, &s) != CMP_STATUS_OK)
        return;
    const Handle yh(y), mh(m), sh(s);
    const Operand mean = given(values_of(mh.get()), sizes_of(mh.get()), dt == CMP_DTYPE_FLOAT64 ? dt : CMP_DTYPE_FLOAT32);
    const Operand invstd = given(values_of(sh.get()), sizes_of(sh.get()), dt == CMP_DTYPE_FLOAT64 ? dt : CMP_DTYPE_FLOAT32);
    const Operand g = operand(c.shape, dt, 6);
    expect_same("batch_norm_backward " + c.name + " dtype " + std::to_string(dt), {&g, &x, affine_w, &mean, &invstd},
                [training](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
                    cmp_tensor gi = nullptr, gw = nullptr, gb = nullptr;
                    const cmp_status st = cmp_batch_norm_backward(t[0], t[1], t[2], t[3], t[4], training, &gi, &gw, &gb);
                    for (cmp_tensor o : {gi, gw, gb})
                        if (o) outs->push_back(o);
                    return st;
                },
                norm_tolerance(dt));
}

inline void batch_norm_cases_all() {
    for (cmp_dtype dt : kFloating)
        for (const BatchNormCase& c : batch_norm_cases()) batch_norm_case(c, dt);
    // Refusals with the CPU's messages: an integer input, a weight of the wrong shape.
    const Operand xi = operand({2, 3}, CMP_DTYPE_INT64), x = operand({2, 3}, CMP_DTYPE_FLOAT32);
    const Operand w2 = operand({2}, CMP_DTYPE_FLOAT32), w3 = operand({3}, CMP_DTYPE_FLOAT64);
    auto forward = [](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
        cmp_tensor y = nullptr, m = nullptr, s = nullptr;
        const cmp_status st = cmp_batch_norm(t[0], t[1], nullptr, nullptr, nullptr, 1, 0.1, 1e-5, &y, &m, &s);
        for (cmp_tensor o : {y, m, s})
            if (o) outs->push_back(o);
        return st;
    };
    expect_same("batch_norm of an integer input", {&xi, nullptr}, forward);
    expect_same("batch_norm with a weight of the wrong shape", {&x, &w2}, forward);
    expect_same("batch_norm with a weight of another dtype", {&x, &w3}, forward);
}

// ---- attention -------------------------------------------------------------------------------

// The device composes gemm, softmax and logsumexp where the CPU kernel accumulates an online
// softmax over tiles: every value is formed in another order. With q and k scaled to |x| <= 1.3
// the scores stay below 4 in magnitude, so their rounding (a few ulps after E = 5 products),
// softmax's exp and normalisation and the products with v (|v| <= 5.25, 6 keys) and, backward,
// the sums of dS over keys and queries stay within 3e-5 relative to max(1, |CPU value|) in
// float32 and 1e-12 in float64; 16-bit inputs are computed in float32 on both devices, so their
// results are one rounding to the dtype apart at most: one ulp more (docs/CUDA.md).
inline double attention_tolerance(cmp_dtype dt) { return composed_tolerance(dt, 3e-5, 1e-12); }

struct AttentionCase {
    std::string name;
    std::vector<int64_t> q, k, v;
    int mask = 0;                     // 0 none, 1 boolean, 2 additive (q's dtype), 3 boolean with query 1 masked out
    std::vector<int64_t> mask_shape = {};
    bool causal = false;
    double dropout = 0.0;
    bool scale = false;               // 0.3 instead of 1 / sqrt(E)
    bool transpose_q = false;
};

inline std::vector<AttentionCase> attention_cases() {
    return {
        {"plain", {2, 3, 4, 5}, {2, 3, 6, 5}, {2, 3, 6, 3}},
        {"2-D", {4, 5}, {6, 5}, {6, 2}},
        {"boolean mask (L, S)", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 1, {4, 6}},
        {"boolean mask (lead, 1, S)", {2, 3, 4, 5}, {2, 3, 6, 5}, {2, 3, 6, 3}, 1, {3, 1, 6}},
        {"additive mask", {2, 3, 4, 5}, {2, 3, 6, 5}, {2, 3, 6, 3}, 2, {3, 4, 6}},
        {"causal, L < S", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 0, {}, true},
        {"causal, L > S", {2, 7, 5}, {2, 4, 5}, {2, 4, 3}, 0, {}, true},
        {"scale", {3, 4, 5}, {3, 6, 5}, {3, 6, 4}, 0, {}, false, 0.0, true},
        {"transposed q", {4, 2, 5}, {4, 6, 5}, {4, 6, 3}, 0, {}, false, 0.0, false, true},
        {"dropout", {2, 3, 4, 5}, {2, 3, 6, 5}, {2, 3, 6, 3}, 0, {}, false, 0.3},
        {"dropout, causal, scale", {2, 9, 5}, {2, 9, 5}, {2, 9, 3}, 0, {}, true, 0.5, true},
        {"dropout with an additive mask", {3, 4, 5}, {3, 6, 5}, {3, 6, 3}, 2, {4, 6}, false, 0.2},
        {"one query", {2, 1, 5}, {2, 6, 5}, {2, 6, 3}},
        {"no batch", {0, 4, 5}, {0, 6, 5}, {0, 6, 3}},
        {"no query", {2, 0, 5}, {2, 6, 5}, {2, 6, 3}},
        {"no key", {2, 4, 5}, {2, 0, 5}, {2, 0, 3}},
        {"mask that does not broadcast", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 1, {4, 5}},
        {"causal with a mask", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 1, {4, 6}, true},
        {"dropout 1", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 0, {}, false, 1.0},
        {"k of another size", {2, 4, 5}, {2, 6, 4}, {2, 6, 3}},
        {"a query with every key masked", {2, 4, 5}, {2, 6, 5}, {2, 6, 3}, 3, {4, 6}},
        // Larger than one tile of the fused kernels (cuda/flash_attention.cuh: 32, 16 or 8
        // queries and 32, 16, 8 or 4 keys a block), in the three head buckets (up to 64, 128 and
        // 256), and a head above 256, which the device composes from gemm and softmax.
        {"several tiles of queries and keys", {2, 2, 70, 20}, {2, 2, 45, 20}, {2, 2, 45, 24}},
        {"heads of 64 to 128, causal", {1, 40, 100}, {1, 37, 100}, {1, 37, 80}, 0, {}, true},
        {"boolean mask (lead, 1, S) over several tiles", {2, 50, 16}, {2, 40, 16}, {2, 40, 8}, 1, {2, 1, 40}},
        {"additive mask and dropout over several tiles", {3, 33, 8}, {3, 65, 8}, {3, 65, 8}, 2, {33, 65}, false, 0.25},
        {"causal with dropout over several tiles", {1, 75, 16}, {1, 75, 16}, {1, 75, 16}, 0, {}, true, 0.1},
        {"heads of 128 to 256, additive mask and dropout", {2, 20, 130}, {2, 19, 130}, {2, 19, 200}, 2, {20, 19}, false, 0.2},
        {"a head above 256 (composed)", {1, 5, 260}, {1, 6, 260}, {1, 6, 3}},
    };
}

// Values scaled by `factor` (q and k small enough to keep the scores moderate).
inline Operand scaled_operand(const std::vector<int64_t>& shape, cmp_dtype dt, int salt, double factor, bool transpose = false) {
    std::vector<double> v = values(numel(shape), salt);
    for (double& x : v) x *= factor;
    return given(v, shape, dt, transpose);
}

// A boolean mask that keeps key 0 of every query (no row is masked out entirely) and drops a
// pattern of the others; an additive one of small values with some -inf; or a boolean one that
// masks out every key of query 1 (NaN on both devices, and in every gradient it reaches).
inline Operand attention_mask(const AttentionCase& c, cmp_dtype dt) {
    const int64_t n = numel(c.mask_shape), cols = c.mask_shape.back();
    std::vector<double> m(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const int64_t j = i % cols;
        if (c.mask == 1) m[static_cast<size_t>(i)] = j == 0 || (i * 5 + i / cols) % 3 != 0 ? 1.0 : 0.0;
        else if (c.mask == 3) m[static_cast<size_t>(i)] = i / cols == 1 ? 0.0 : 1.0;
        else m[static_cast<size_t>(i)] = j != 0 && (i * 7) % 5 == 0 ? -INFINITY : static_cast<double>((i * 3) % 7) * 0.25 - 0.75;
    }
    return given(m, c.mask_shape, c.mask == 2 ? dt : CMP_DTYPE_BOOL);
}

inline void attention_case(const AttentionCase& c, cmp_dtype dt) {
    const std::string what = "scaled_dot_product_attention " + c.name + " dtype " + std::to_string(dt);
    const Operand q = scaled_operand(c.q, dt, 1, 0.25, c.transpose_q), k = scaled_operand(c.k, dt, 4, 0.25),
                  v = scaled_operand(c.v, dt, 7, 1.0);
    const Operand none{};
    const Operand mask = c.mask ? attention_mask(c, dt) : Operand{};
    const Operand* m = c.mask ? &mask : nullptr;
    const double scale = 0.3, p = c.dropout;
    const int32_t causal = c.causal ? 1 : 0;
    const double* sp = c.scale ? &scale : nullptr;
    const double tol = attention_tolerance(dt);
    // Both runs start from the same generator state, so a dropout call draws the same blocks.
    expect_same(what, {&q, &k, &v, m}, [=](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
        cmp_manual_seed(1234);
        cmp_tensor o = nullptr, lse = nullptr;
        uint64_t seed = 0, offset = 0;
        const cmp_status st = cmp_scaled_dot_product_attention(t[0], t[1], t[2], t[3], p, causal, sp, &o, &lse, &seed, &offset);
        for (cmp_tensor x : {o, lse})
            if (x) outs->push_back(x);
        return st;
    }, tol);
    // The backward from the CPU forward's out and logsumexp and its seed / offset.
    cmp_manual_seed(1234);
    cmp_tensor o = nullptr, lse = nullptr;
    uint64_t seed = 0, offset = 0;
    if (cmp_scaled_dot_product_attention(q.host.get(), k.host.get(), v.host.get(), m ? m->host.get() : nullptr, p, causal, sp, &o,
                                         &lse, &seed, &offset) != CMP_STATUS_OK)
        return;
    const Handle oh(o), lh(lse);
    cmp_dtype odt{}, ldt{};
    cmp_tensor_dtype(oh.get(), &odt);
    cmp_tensor_dtype(lh.get(), &ldt);
    const Operand out = given(values_of(oh.get()), sizes_of(oh.get()), odt), l = given(values_of(lh.get()), sizes_of(lh.get()), ldt);
    const Operand g = scaled_operand(sizes_of(oh.get()), dt, 9, 0.5);
    expect_same("scaled_dot_product_attention_backward " + c.name + " dtype " + std::to_string(dt), {&g, &q, &k, &v, m, &out, &l},
                [=](const std::vector<cmp_tensor>& t, std::vector<cmp_tensor>* outs) {
                    cmp_tensor gq = nullptr, gk = nullptr, gv = nullptr;
                    const cmp_status st = cmp_scaled_dot_product_attention_backward(t[0], t[1], t[2], t[3], t[4], p, causal, sp,
                                                                                    t[5], t[6], seed, offset, &gq, &gk, &gv);
                    for (cmp_tensor x : {gq, gk, gv})
                        if (x) outs->push_back(x);
                    return st;
                },
                tol);
}

inline void attention_cases_all() {
    for (cmp_dtype dt : kFloating)
        for (const AttentionCase& c : attention_cases()) attention_case(c, dt);
}

}  // namespace cmp::testing::compose_cases
