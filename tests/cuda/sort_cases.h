// sort / argsort / msort / topk and searchsorted / bucketize on a CUDA device against the CPU's,
// shared by the routing tests (against the fake backend, which runs cpu/sort_key.h's keys and
// bisection on the host) and the parity tests (the real kernels of cuda/sort_search.cu): every
// value and index must be the CPU's bit for bit (values: -0.0 and 0.0 told apart, NaN where the
// CPU has NaN), and a refusal must be the CPU's status and message.
#pragma once

#include "cuda_test_util.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace cmp::testing::sort_cases {

// run(a, outs) calls the op on a (on either device) with up to three outputs.
using Op = std::function<cmp_status(cmp_tensor a, cmp_tensor* outs)>;

inline const cmp_dtype kEveryDtype[] = {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16,
                                        CMP_DTYPE_INT64,   CMP_DTYPE_INT32,   CMP_DTYPE_INT16,   CMP_DTYPE_INT8,
                                        CMP_DTYPE_UINT8,   CMP_DTYPE_BOOL};

inline bool is_floating(cmp_dtype dt) {
    return dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 || dt == CMP_DTYPE_BFLOAT16;
}

// n values with many ties; for floating dtypes also NaN, +-inf, -0.0 and 0.0 scattered, and values
// of the 16-bit types' lower precision that are equal only after rounding.
inline std::vector<double> tied_values(int64_t n, cmp_dtype dt, uint32_t seed = 12345u) {
    std::vector<double> v(static_cast<size_t>(n));
    uint32_t x = seed;
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u;
        const uint32_t r = x >> 8;
        double value = static_cast<double>(static_cast<int>(r % 13) - 6);
        if (dt == CMP_DTYPE_UINT8) value = static_cast<double>(r % 13);
        if (dt == CMP_DTYPE_BOOL) value = static_cast<double>(r % 2);
        if (is_floating(dt)) {
            switch (r % 17) {
                case 0: value = nan; break;
                case 1: value = -0.0; break;
                case 2: value = 0.0; break;
                case 3: value = inf; break;
                case 4: value = -inf; break;
                case 5: value = 1.0 + 1e-4 * static_cast<double>(r % 3); break;  // ties in float16 / bfloat16 only
                case 6: value = -1e-30; break;
                default: value += 0.25 * static_cast<double>(r % 4);
            }
        }
        v[static_cast<size_t>(i)] = value;
    }
    return v;
}

inline std::string shape_str(const std::vector<int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

// run(inputs, outs) calls an op on the inputs (all on one device) with up to three outputs.
using OpN = std::function<cmp_status(const cmp_tensor* inputs, cmp_tensor* outs)>;

// Runs op on the CPU tensors and on their CUDA copies (each transposed first, on both devices,
// where transpose_01) and compares the outputs, or the refusals. Returns the CPU's status.
inline cmp_status expect_same_n(const std::string& what, const std::vector<cmp_tensor>& cpu_inputs, const OpN& op,
                                int outputs, bool transpose_01 = false) {
    std::vector<Handle> keep;
    std::vector<cmp_tensor> inputs[2];
    for (cmp_tensor a : cpu_inputs) {
        cmp_tensor on_device[2] = {a, nullptr};
        keep.push_back(to_device(a, cuda_device()));
        on_device[1] = keep.back().get();
        for (int d = 0; d < 2; ++d) {
            cmp_tensor t = on_device[d];
            if (transpose_01) {
                EXPECT_EQ(cmp_transpose(on_device[d], 0, 1, &t), CMP_STATUS_OK) << cmp_last_error();
                keep.emplace_back(t);
            }
            inputs[d].push_back(t);
        }
    }
    cmp_tensor outs[2][3] = {};
    Failure f[2];
    for (int d = 0; d < 2; ++d) f[d] = failure_of([&] { return op(inputs[d].data(), outs[d]); });
    Handle owned[2][3] = {{Handle(outs[0][0]), Handle(outs[0][1]), Handle(outs[0][2])},
                          {Handle(outs[1][0]), Handle(outs[1][1]), Handle(outs[1][2])}};
    if (!both_succeeded(what, f[0], f[1])) return f[0].status;
    for (int k = 0; k < outputs; ++k) {
        const std::string out_what = what + " output " + std::to_string(k);
        if (!owned[1][k].get() || !owned[0][k].get()) {
            ADD_FAILURE() << out_what << ": missing";
            continue;
        }
        EXPECT_EQ(device_of(owned[1][k].get()).type, CMP_DEVICE_CUDA) << out_what;
        EXPECT_EQ(sizes_of(owned[1][k].get()), sizes_of(owned[0][k].get())) << out_what;
        cmp_dtype dc = CMP_DTYPE_FLOAT32, dg = CMP_DTYPE_FLOAT32;
        cmp_tensor_dtype(owned[0][k].get(), &dc);
        cmp_tensor_dtype(owned[1][k].get(), &dg);
        EXPECT_EQ(dg, dc) << out_what;
        expect_identical(host_values(owned[1][k].get()), values_of(owned[0][k].get()), out_what);
    }
    return f[0].status;
}

inline cmp_status expect_same(const std::string& what, cmp_tensor a, const Op& op, int outputs, bool transpose_01 = false) {
    return expect_same_n(what, {a}, [&](const cmp_tensor* in, cmp_tensor* o) { return op(in[0], o); }, outputs,
                         transpose_01);
}

// A refusal: the CPU fails, and CUDA fails alike.
inline void expect_refused(const std::string& what, cmp_tensor a, const Op& op, int outputs) {
    EXPECT_NE(expect_same(what, a, op, outputs), CMP_STATUS_OK) << what << ": the CPU accepted it";
}

struct Shape {
    std::vector<int64_t> sizes;
    std::vector<int64_t> dims;  // the dims to sort along
};

inline const Shape kShapes[] = {
    {{}, {0, -1}},               // 0-dim: dim 0 and -1 are valid
    {{1}, {0}},                  // one element
    {{0}, {0}},                  // empty
    {{7}, {0, -1}},              // shorter than the CPU's radix threshold (64)
    {{300}, {0}},                // longer: the CPU's radix sort
    {{5, 37}, {0, 1, -1}},       // rows, and the sorted dim not last
    {{3, 4, 70}, {1, 2, 0}},     // a middle dim
    {{1, 9, 1}, {0, 1, 2}},      // size-1 dims
    {{4, 0}, {1, 0}},            // an empty dim
};

// sort (both directions, every dim of every shape, every dtype), argsort, msort.
inline void sort_argsort_msort() {
    for (cmp_dtype dt : kEveryDtype) {
        for (const Shape& s : kShapes) {
            int64_t n = 1;
            for (int64_t v : s.sizes) n *= v;
            Handle a = tensor_from(tied_values(n, dt), s.sizes, dt);
            const std::string base = "dtype " + std::to_string(dt) + " shape " + shape_str(s.sizes);
            for (int64_t dim : s.dims) {
                for (int32_t desc : {0, 1}) {
                    const std::string what = base + " dim " + std::to_string(dim) + (desc ? " descending" : "");
                    expect_same("sort " + what, a.get(), [&](cmp_tensor t, cmp_tensor* o) {
                        return cmp_sort(t, dim, desc, 1, &o[0], &o[1]);
                    }, 2);
                    expect_same("argsort " + what, a.get(), [&](cmp_tensor t, cmp_tensor* o) {
                        return cmp_argsort(t, dim, desc, 0, &o[0]);
                    }, 1);
                }
            }
            expect_same("msort " + base, a.get(), [&](cmp_tensor t, cmp_tensor* o) { return cmp_msort(t, &o[0]); }, 1);
        }
        // A transposed view (not dense) sorted along each of its dims.
        Handle m = tensor_from(tied_values(6 * 50, dt, 777u), {6, 50}, dt);
        for (int64_t dim : {0, 1})
            for (int32_t desc : {0, 1})
                expect_same("sort of a transposed view dtype " + std::to_string(dt) + " dim " + std::to_string(dim) +
                                (desc ? " descending" : ""),
                            m.get(), [&](cmp_tensor t, cmp_tensor* o) { return cmp_sort(t, dim, desc, 0, &o[0], &o[1]); },
                            2, true);
    }
}

// topk: k from 0 to the whole dim, largest or smallest, sorted or not (the CPU returns the
// head of its stable sort either way), every dim of the shapes, every dtype.
inline void topk() {
    for (cmp_dtype dt : kEveryDtype) {
        for (const Shape& s : kShapes) {
            int64_t n = 1;
            for (int64_t v : s.sizes) n *= v;
            Handle a = tensor_from(tied_values(n, dt, 99u), s.sizes, dt);
            for (int64_t dim : s.dims) {
                const size_t wrapped = s.sizes.empty() ? 0 : static_cast<size_t>(dim < 0 ? dim + static_cast<int64_t>(s.sizes.size()) : dim);
                const int64_t len = s.sizes.empty() ? 1 : s.sizes[wrapped];
                for (int64_t k : {int64_t(0), int64_t(1), int64_t(3), len / 2, len}) {
                    if (k > len) continue;
                    for (int32_t largest : {0, 1})
                        for (int32_t sorted : {0, 1})
                            expect_same("topk dtype " + std::to_string(dt) + " shape " + shape_str(s.sizes) + " dim " +
                                            std::to_string(dim) + " k " + std::to_string(k) +
                                            (largest ? " largest" : " smallest") + (sorted ? " sorted" : ""),
                                        a.get(), [&](cmp_tensor t, cmp_tensor* o) {
                                            return cmp_topk(t, k, dim, largest, sorted, &o[0], &o[1]);
                                        }, 2);
                }
            }
        }
    }
}

// The CPU's refusals on either device: a dim out of range, k out of range.
inline void sort_refusals() {
    Handle a = tensor_from({3, 1, 2, 5, 4, 0}, {2, 3}, CMP_DTYPE_FLOAT32);
    const auto sort_dim = [](int64_t dim) {
        return [dim](cmp_tensor t, cmp_tensor* o) { return cmp_sort(t, dim, 0, 0, &o[0], &o[1]); };
    };
    expect_refused("sort dim 2", a.get(), sort_dim(2), 2);
    expect_refused("sort dim -3", a.get(), sort_dim(-3), 2);
    expect_refused("argsort dim 5", a.get(), [](cmp_tensor t, cmp_tensor* o) { return cmp_argsort(t, 5, 0, 0, &o[0]); }, 1);
    for (int64_t k : {int64_t(-1), int64_t(4)})
        expect_refused("topk k " + std::to_string(k), a.get(),
                    [k](cmp_tensor t, cmp_tensor* o) { return cmp_topk(t, k, 1, 1, 1, &o[0], &o[1]); }, 2);
    expect_refused("topk dim 3", a.get(), [](cmp_tensor t, cmp_tensor* o) { return cmp_topk(t, 1, 3, 1, 1, &o[0], &o[1]); }, 2);
}

// ---- searchsorted / bucketize ----

// A sorted row for dt (ties, and for floating dtypes -inf, -0.0 beside 0.0, inf and NaN last, where
// the CPU's sort puts it).
inline std::vector<double> sorted_row(cmp_dtype dt) {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    if (is_floating(dt)) return {-inf, -3, -1, -1, -0.0, 0.0, 0.5, 1.0, 1.0001, 2, 2, 2, 5, inf, nan};
    if (dt == CMP_DTYPE_UINT8) return {0, 0, 1, 2, 2, 5, 9, 9, 12};
    return {-6, -3, -1, -1, 0, 0, 2, 2, 2, 5};
}

inline std::vector<double> repeat_rows(const std::vector<double>& row, int64_t rows) {
    std::vector<double> r;
    for (int64_t i = 0; i < rows; ++i) r.insert(r.end(), row.begin(), row.end());
    return r;
}

inline std::string flags(int32_t out_int32, int32_t right) {
    return std::string(out_int32 ? " int32" : " int64") + (right ? " right" : " left");
}

// searchsorted (1-D and batched sequences, tensor and scalar values, a sorter), bucketize, every
// dtype, both sides, both output dtypes; values with NaN, +-inf, +-0.0 and ties.
inline void searches() {
    for (cmp_dtype dt : kEveryDtype) {
        if (dt == CMP_DTYPE_BOOL) continue;  // refused (search_refusals)
        const std::vector<double> row = sorted_row(dt);
        const int64_t len = static_cast<int64_t>(row.size());
        Handle seq = tensor_from(row, {len}, dt);
        Handle seq3 = tensor_from(repeat_rows(row, 3), {3, len}, dt);
        Handle values = tensor_from(tied_values(40, dt, 4242u), {5, 8}, dt);
        Handle values3 = tensor_from(tied_values(33, dt, 4343u), {3, 11}, dt);
        // An unsorted sequence with the permutation that sorts it (argsort on the CPU).
        Handle shuffled = tensor_from(tied_values(3 * 17, dt, 5151u), {3, 17}, dt);
        cmp_tensor order = nullptr;
        ASSERT_EQ(cmp_argsort(shuffled.get(), -1, 0, 1, &order), CMP_STATUS_OK) << cmp_last_error();
        Handle sorter(order);
        const std::string base = "dtype " + std::to_string(dt);
        for (int32_t out_int32 : {0, 1}) {
            for (int32_t right : {0, 1}) {
                const std::string f = base + flags(out_int32, right);
                expect_same_n("searchsorted 1-D" + f, {seq.get(), values.get()}, [&](const cmp_tensor* in, cmp_tensor* o) {
                    return cmp_searchsorted(in[0], in[1], out_int32, right, &o[0]);
                }, 1);
                expect_same_n("searchsorted batched" + f, {seq3.get(), values3.get()}, [&](const cmp_tensor* in, cmp_tensor* o) {
                    return cmp_searchsorted(in[0], in[1], out_int32, right, &o[0]);
                }, 1);
                expect_same_n("searchsorted with a sorter" + f, {shuffled.get(), values3.get(), sorter.get()},
                              [&](const cmp_tensor* in, cmp_tensor* o) {
                                  return cmp_searchsorted_sorter(in[0], in[1], out_int32, right, in[2], &o[0]);
                              }, 1);
                expect_same_n("bucketize" + f, {values.get(), seq.get()}, [&](const cmp_tensor* in, cmp_tensor* o) {
                    return cmp_bucketize(in[0], in[1], out_int32, right, &o[0]);
                }, 1);
                for (double v : {-1.0, 0.0, -0.0, 2.0, 100.0, std::numeric_limits<double>::quiet_NaN()}) {
                    const cmp_scalar sv{CMP_SCALAR_FLOAT, 0, v, 0};
                    expect_same("searchsorted scalar " + std::to_string(v) + f, seq.get(), [&](cmp_tensor t, cmp_tensor* o) {
                        return cmp_searchsorted_scalar(t, sv, out_int32, right, &o[0]);
                    }, 1);
                }
            }
        }
    }
    // Mixed dtypes (promoted to float32), an empty sequence, empty values, a transposed sequence.
    Handle seq_i = tensor_from({-2, 0, 0, 3, 7}, {5}, CMP_DTYPE_INT64);
    Handle val_f = tensor_from({-2.5, 0.0, 0.5, 3.0, 7.5, std::numeric_limits<double>::quiet_NaN()}, {6}, CMP_DTYPE_FLOAT32);
    const OpN ss = [](const cmp_tensor* in, cmp_tensor* o) { return cmp_searchsorted(in[0], in[1], 0, 0, &o[0]); };
    expect_same_n("searchsorted int64 sequence, float32 values", {seq_i.get(), val_f.get()}, ss, 1);
    Handle empty_seq = tensor_from({}, {0}, CMP_DTYPE_FLOAT32);
    expect_same_n("searchsorted empty sequence", {empty_seq.get(), val_f.get()}, ss, 1);
    Handle empty_val = tensor_from({}, {0}, CMP_DTYPE_FLOAT32);
    expect_same_n("searchsorted empty values", {seq_i.get(), empty_val.get()}, ss, 1);
    Handle square = tensor_from({0, 5, 1, 6, 2, 7}, {3, 2}, CMP_DTYPE_FLOAT64);  // transposed: rows [0 1 2], [5 6 7]
    Handle vals2 = tensor_from({1, 1.5, 6, 9}, {2, 2}, CMP_DTYPE_FLOAT64);
    expect_same_n("searchsorted transposed sequence", {square.get(), vals2.get()}, [](const cmp_tensor* in, cmp_tensor* o) {
        cmp_tensor t = nullptr;
        const cmp_status st = cmp_transpose(in[0], 0, 1, &t);
        if (st != CMP_STATUS_OK) return st;
        Handle owned(t);
        return cmp_searchsorted(t, in[1], 0, 1, &o[0]);
    }, 1);
}

// The CPU's refusals on either device: bool, a 0-dim sequence, mismatched leading dims, a scalar
// with a 2-D sequence, a sorter of another dtype / shape or with an entry out of range (first bad
// entry named), 2-D boundaries of bucketize, operands on two devices.
inline void search_refusals() {
    Handle seq = tensor_from({0, 1, 2, 3}, {4}, CMP_DTYPE_FLOAT32);
    Handle seq2 = tensor_from({0, 1, 2, 3, 4, 5}, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle vals = tensor_from({0.5, 2.5, 1.0}, {3}, CMP_DTYPE_FLOAT32);
    Handle vals32 = tensor_from({0.5, 2.5, 1.0, 1, 1, 1}, {3, 2}, CMP_DTYPE_FLOAT32);
    Handle bseq = tensor_from({0, 1}, {2}, CMP_DTYPE_BOOL);
    Handle bval = tensor_from({1, 0}, {2}, CMP_DTYPE_BOOL);
    Handle zero_dim = tensor_from({1}, {}, CMP_DTYPE_FLOAT32);
    const OpN ss = [](const cmp_tensor* in, cmp_tensor* o) { return cmp_searchsorted(in[0], in[1], 0, 0, &o[0]); };
    const auto refused = [](const std::string& what, const std::vector<cmp_tensor>& in, const OpN& op) {
        EXPECT_NE(expect_same_n(what, in, op, 1), CMP_STATUS_OK) << what << ": the CPU accepted it";
    };
    refused("searchsorted bool", {bseq.get(), bval.get()}, ss);
    refused("searchsorted 0-dim sequence", {zero_dim.get(), vals.get()}, ss);
    refused("searchsorted leading dims", {seq2.get(), vals32.get()}, ss);
    refused("searchsorted scalar with a 2-D sequence", {seq2.get()}, [](const cmp_tensor* in, cmp_tensor* o) {
        return cmp_searchsorted_scalar(in[0], cmp_scalar{CMP_SCALAR_FLOAT, 0, 1.0, 0}, 0, 0, &o[0]);
    });
    const OpN with_sorter = [](const cmp_tensor* in, cmp_tensor* o) {
        return cmp_searchsorted_sorter(in[0], in[1], 0, 0, in[2], &o[0]);
    };
    Handle sorter_i32 = tensor_from({0, 1, 2, 3}, {4}, CMP_DTYPE_INT32);
    Handle sorter_short = tensor_from({0, 1, 2}, {3}, CMP_DTYPE_INT64);
    refused("searchsorted sorter int32", {seq.get(), vals.get(), sorter_i32.get()}, with_sorter);
    refused("searchsorted sorter shape", {seq.get(), vals.get(), sorter_short.get()}, with_sorter);
    for (const std::vector<double>& bad : {std::vector<double>{0, 1, 4, 3}, std::vector<double>{0, -1, 2, 7},
                                          std::vector<double>{3, 2, 1, -2}}) {
        Handle sorter = tensor_from(bad, {4}, CMP_DTYPE_INT64);
        refused("searchsorted sorter out of range", {seq.get(), vals.get(), sorter.get()}, with_sorter);
    }
    refused("bucketize 2-D boundaries", {vals.get(), seq2.get()}, [](const cmp_tensor* in, cmp_tensor* o) {
        return cmp_bucketize(in[0], in[1], 0, 0, &o[0]);
    });
    // A CUDA sequence with CPU values (and the reverse for bucketize): PyTorch's device message.
    Handle dseq = to_device(seq.get(), cuda_device());
    cmp_tensor out = nullptr;
    Failure f = failure_of([&] { return cmp_searchsorted(dseq.get(), vals.get(), 0, 0, &out); });
    Handle owned(out);
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("searchsorted: Expected all tensors to be on the same device, but found at least two devices, "
                             "cuda:0 and cpu!"),
              std::string::npos)
        << f.message;
    f = failure_of([&] { return cmp_bucketize(vals.get(), dseq.get(), 0, 0, &out); });
    Handle owned2(out);
    EXPECT_EQ(f.status, CMP_STATUS_DEVICE_ERROR);
    EXPECT_NE(f.message.find("bucketize: Expected all tensors to be on the same device"), std::string::npos) << f.message;
}

// ---- unique / unique_consecutive ----

// unique (flattened or along each dim) and unique_consecutive, with and without inverse and counts,
// every dtype; values with NaN (each its own group, NaN != NaN), -0.0 beside 0.0 (one group, the
// first in sorted order kept), ties; empty tensors and empty slices; the CPU's refusals.
inline void uniques() {
    struct Case {
        std::vector<int64_t> sizes;
        std::vector<int64_t> dims;  // -100: flattened
    };
    const Case cases[] = {{{}, {-100}},         {{1}, {-100, 0}},     {{0}, {-100, 0}},   {{37}, {-100, 0, -1}},
                          {{6, 5}, {-100, 0, 1}}, {{4, 3, 2}, {-100, 0, 1, 2}}, {{3, 0}, {-100, 1}}, {{0, 3}, {0, 1}}};
    for (cmp_dtype dt : kEveryDtype) {
        for (const Case& c : cases) {
            int64_t n = 1;
            for (int64_t v : c.sizes) n *= v;
            // Few distinct values so that slices repeat too.
            std::vector<double> v = tied_values(n, dt, 31u);
            for (size_t i = 0; i < v.size(); ++i)
                if (i % 3 == 1 && !std::isnan(v[i])) v[i] = v[i - 1];
            Handle a = tensor_from(v, c.sizes, dt);
            for (int64_t dim : c.dims) {
                const int32_t has_dim = dim != -100;
                for (int32_t inv : {0, 1}) {
                    for (int32_t cnt : {0, 1}) {
                        const std::string what = "dtype " + std::to_string(dt) + " shape " + shape_str(c.sizes) +
                                                 (has_dim ? " dim " + std::to_string(dim) : " flattened") +
                                                 (inv ? " inverse" : "") + (cnt ? " counts" : "");
                        expect_same("unique " + what, a.get(), [&](cmp_tensor t, cmp_tensor* o) {
                            return cmp_unique(t, 1, inv, cnt, has_dim, has_dim ? dim : 0, &o[0], &o[1], &o[2]);
                        }, 3);
                        expect_same("unique_consecutive " + what, a.get(), [&](cmp_tensor t, cmp_tensor* o) {
                            return cmp_unique_consecutive(t, inv, cnt, has_dim, has_dim ? dim : 0, &o[0], &o[1], &o[2]);
                        }, 3);
                    }
                }
            }
        }
    }
    // A transposed view, and refusals (dim out of range, a 0-dim input with a dim, empty dims other than dim).
    Handle m = tensor_from(tied_values(24, CMP_DTYPE_FLOAT32, 8u), {4, 6}, CMP_DTYPE_FLOAT32);
    expect_same("unique of a transposed view", m.get(), [](cmp_tensor t, cmp_tensor* o) {
        return cmp_unique(t, 1, 1, 1, 1, 0, &o[0], &o[1], &o[2]);
    }, 3, true);
    const auto refused = [](const std::string& what, cmp_tensor t, const Op& op) {
        EXPECT_NE(expect_same(what, t, op, 3), CMP_STATUS_OK) << what << ": the CPU accepted it";
    };
    refused("unique dim 2", m.get(), [](cmp_tensor t, cmp_tensor* o) { return cmp_unique(t, 1, 1, 1, 1, 2, &o[0], &o[1], &o[2]); });
    Handle zero_dim = tensor_from({3}, {}, CMP_DTYPE_FLOAT32);
    refused("unique_consecutive of a 0-dim with a dim", zero_dim.get(), [](cmp_tensor t, cmp_tensor* o) {
        return cmp_unique_consecutive(t, 1, 1, 1, 0, &o[0], &o[1], &o[2]);
    });
    Handle empty = tensor_from({}, {0, 3}, CMP_DTYPE_FLOAT32);
    refused("unique of [0, 3] along dim 1", empty.get(), [](cmp_tensor t, cmp_tensor* o) {
        return cmp_unique(t, 1, 0, 0, 1, 1, &o[0], &o[1], &o[2]);
    });
}

}  // namespace cmp::testing::sort_cases
