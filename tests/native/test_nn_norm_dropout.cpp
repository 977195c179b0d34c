// Dropout and feature dropout (their numbers come from the library's Philox stream, so they are
// checked by properties, not against PyTorch's RNG), plus the normalisation-family properties the
// fixtures cannot show: results independent of the thread count, batch norm on an empty batch,
// and error statuses with messages.
#include "abi_helpers.h"
#include "core/philox.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace cmp::testing {
namespace {

Handle randn(const std::vector<int64_t>& sizes, cmp_dtype dtype = CMP_DTYPE_FLOAT32) {
    cmp_tensor t = nullptr;
    EXPECT_EQ(cmp_randn(sizes.data(), static_cast<int64_t>(sizes.size()), dtype, cpu_device(), &t), CMP_STATUS_OK)
        << cmp_last_error();
    return Handle(t);
}

struct Dropped {
    Handle out, mask;
};

Dropped dropout(cmp_tensor x, double p, bool training, bool feature = false) {
    cmp_tensor y = nullptr, m = nullptr;
    const cmp_status s = feature ? cmp_feature_dropout(x, p, training ? 1 : 0, &y, &m) : cmp_dropout(x, p, training ? 1 : 0, &y, &m);
    EXPECT_EQ(s, CMP_STATUS_OK) << cmp_last_error();
    return {Handle(y), Handle(m)};
}

// The keep decisions core/philox.h's layout gives decision i of a call starting at block
// `offset`: word i % 4 of block offset + i / 4 as rand's float32 u, kept when u >= p. Computed
// here one block at a time with the scalar generator, independently of the vector-lane kernel.
std::vector<double> layout_mask(uint64_t seed, uint64_t offset, int64_t n, double p) {
    std::vector<double> m(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const PhiloxBlock b = philox_block(seed, offset + static_cast<uint64_t>(i / 4));
        m[static_cast<size_t>(i)] = static_cast<double>(b.w[i % 4] >> 8) * 0x1p-24 >= p ? 1.0 : 0.0;
    }
    return m;
}

TEST(NNNormDropout, MaskFollowsThePhiloxLayout) {
    // Sizes around the kernel's 64-decision groups; an offset whose blocks cross 2^32, so the
    // counter's high word changes between the lanes of one group.
    const uint64_t seed = 0x0123456789abcdefull, offset = 0xfffffff3ull;
    for (const double p : {0.1, 0.5, 0.93}) {
        for (const int64_t n : {int64_t{1}, int64_t{3}, int64_t{63}, int64_t{64}, int64_t{65}, int64_t{1000}, int64_t{70001}}) {
            Handle x = randn({n});
            CMP_ASSERT_OK(cmp_rng_set_state(seed, offset));
            Dropped d = dropout(x.get(), p, true);
            ASSERT_EQ(values_of(d.mask.get()), layout_mask(seed, offset, n, p)) << "n=" << n << " p=" << p;
            uint64_t s = 0, o = 0;
            CMP_ASSERT_OK(cmp_rng_get_state(&s, &o));
            EXPECT_EQ(o, offset + static_cast<uint64_t>((n + 3) / 4)) << "n=" << n;
            // Kept: the float32 product x * float(1 / (1 - p)); dropped: 0.
            const std::vector<double> xs = values_of(x.get()), ys = values_of(d.out.get()), ms = values_of(d.mask.get());
            const float scale = static_cast<float>(1.0 / (1.0 - p));
            for (size_t i = 0; i < xs.size(); ++i)
                ASSERT_EQ(ys[i], ms[i] != 0 ? static_cast<double>(static_cast<float>(xs[i]) * scale) : 0.0) << i;
        }
    }
    // Feature dropout: decision i is channel i of the flattened (N, C).
    Handle x = randn({9, 13, 5});
    CMP_ASSERT_OK(cmp_rng_set_state(seed, offset));
    Dropped f = dropout(x.get(), 0.3, true, true);
    EXPECT_EQ(values_of(f.mask.get()), layout_mask(seed, offset, 9 * 13, 0.3));
}

TEST(NNNormDropout, SameSeedSameMaskAnyThreadCount) {
    // Not a multiple of the kernel's groups, and large enough for several tasks.
    Handle x = randn({1001, 301});
    Handle x4 = randn({40, 2001, 3});
    Handle go = randn({1001, 301});
    int32_t threads = 1;
    CMP_ASSERT_OK(cmp_get_num_threads(&threads));
    auto run = [&](int32_t n) {
        EXPECT_EQ(cmp_set_num_threads(n), CMP_STATUS_OK);
        EXPECT_EQ(cmp_manual_seed(7), CMP_STATUS_OK);
        Dropped a = dropout(x.get(), 0.4, true);
        Dropped f = dropout(x4.get(), 0.4, true, true);
        cmp_tensor gi = nullptr;
        EXPECT_EQ(cmp_dropout_backward(go.get(), a.mask.get(), 0.4, &gi), CMP_STATUS_OK) << cmp_last_error();
        Handle g(gi);
        return std::vector<std::vector<double>>{values_of(a.mask.get()), values_of(a.out.get()), values_of(f.mask.get()),
                                                values_of(f.out.get()), values_of(g.get())};
    };
    const auto many = run(4);
    const auto one = run(1);
    CMP_ASSERT_OK(cmp_set_num_threads(threads));
    EXPECT_EQ(many, one);
    // The stream advances: the next call draws a different mask.
    Dropped c = dropout(x.get(), 0.4, true);
    EXPECT_NE(values_of(c.mask.get()), one[0]);
}

TEST(NNNormDropout, KeptFractionAndScaling) {
    const double p = 0.3;
    const int64_t n = 200000;
    Handle x = randn({n});
    CMP_ASSERT_OK(cmp_manual_seed(11));
    Dropped d = dropout(x.get(), p, true);
    const std::vector<double> xs = values_of(x.get()), ys = values_of(d.out.get()), ms = values_of(d.mask.get());
    int64_t kept = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (ms[static_cast<size_t>(i)] != 0) {
            ++kept;
            // float32 rounding of x * (1 / (1 - p)).
            EXPECT_FLOAT_EQ(static_cast<float>(ys[static_cast<size_t>(i)]), static_cast<float>(xs[static_cast<size_t>(i)] / (1 - p)));
        } else {
            EXPECT_EQ(ys[static_cast<size_t>(i)], 0.0);
        }
    }
    // Binomial(n, 1 - p): standard deviation sqrt(n p (1 - p)) ~ 205; 10 deviations is far outside
    // any chance deviation (and the seed is fixed, so the test is deterministic anyway).
    const double sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(kept), n * (1 - p), 10 * sd);
}

TEST(NNNormDropout, Edges) {
    Handle x = randn({4, 5});
    const std::vector<double> xs = values_of(x.get());
    for (auto [p, training] : {std::pair{0.5, false}, std::pair{0.0, true}}) {
        Dropped d = dropout(x.get(), p, training);
        EXPECT_EQ(values_of(d.out.get()), xs);
        EXPECT_EQ(values_of(d.mask.get()), std::vector<double>(xs.size(), 1.0));
    }
    Dropped all = dropout(x.get(), 1.0, true);
    EXPECT_EQ(values_of(all.out.get()), std::vector<double>(xs.size(), 0.0));
    EXPECT_EQ(values_of(all.mask.get()), std::vector<double>(xs.size(), 0.0));
    cmp_tensor y = nullptr, m = nullptr;
    EXPECT_EQ(cmp_dropout(x.get(), 1.5, 1, &y, &m), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("dropout"), std::string::npos);
    EXPECT_EQ(y, nullptr);
    Handle empty = randn({0, 3});
    Dropped e = dropout(empty.get(), 0.5, true);
    EXPECT_EQ(sizes_of(e.out.get()), (std::vector<int64_t>{0, 3}));
    // A NaN stays NaN whether kept or dropped (x * 0), as in PyTorch.
    Handle nans = tensor_from(std::vector<double>(100, std::nan("")), {100}, CMP_DTYPE_FLOAT32);
    Dropped n = dropout(nans.get(), 0.5, true);
    for (double v : values_of(n.out.get())) EXPECT_TRUE(std::isnan(v));
}

TEST(NNNormDropout, FeatureDropoutDropsWholeChannels) {
    Handle x = randn({6, 8, 3, 4}, CMP_DTYPE_FLOAT64);
    CMP_ASSERT_OK(cmp_manual_seed(5));
    Dropped d = dropout(x.get(), 0.5, true, true);
    EXPECT_EQ(sizes_of(d.mask.get()), (std::vector<int64_t>{6, 8, 1, 1}));
    const std::vector<double> xs = values_of(x.get()), ys = values_of(d.out.get()), ms = values_of(d.mask.get());
    int kept = 0;
    for (size_t ch = 0; ch < ms.size(); ++ch) {
        kept += ms[ch] != 0;
        for (size_t k = 0; k < 12; ++k) EXPECT_EQ(ys[ch * 12 + k], ms[ch] != 0 ? xs[ch * 12 + k] * 2.0 : 0.0);
    }
    EXPECT_GT(kept, 0);
    EXPECT_LT(kept, 48);
    cmp_tensor y = nullptr, m = nullptr;
    Handle flat = randn({5});
    EXPECT_EQ(cmp_feature_dropout(flat.get(), 0.5, 1, &y, &m), CMP_STATUS_SHAPE_MISMATCH);
}

TEST(NNNormDropout, BackwardUsesTheMask) {
    Handle x = randn({7, 9});
    CMP_ASSERT_OK(cmp_manual_seed(3));
    Dropped d = dropout(x.get(), 0.25, true);
    Handle go = randn({7, 9});
    cmp_tensor gi = nullptr;
    CMP_ASSERT_OK(cmp_dropout_backward(go.get(), d.mask.get(), 0.25, &gi));
    Handle g(gi);
    const std::vector<double> gs = values_of(go.get()), ms = values_of(d.mask.get()), r = values_of(g.get());
    for (size_t i = 0; i < gs.size(); ++i) EXPECT_FLOAT_EQ(static_cast<float>(r[i]), static_cast<float>(gs[i] * ms[i] / 0.75));
    // Feature mask broadcasts over the trailing dims.
    Handle x4 = randn({2, 3, 4});
    Dropped f = dropout(x4.get(), 0.5, true, true);
    Handle go4 = randn({2, 3, 4});
    CMP_ASSERT_OK(cmp_dropout_backward(go4.get(), f.mask.get(), 0.5, &gi));
    Handle g4(gi);
    const std::vector<double> a = values_of(go4.get()), fm = values_of(f.mask.get()), b = values_of(g4.get());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_FLOAT_EQ(static_cast<float>(b[i]), static_cast<float>(a[i] * fm[i / 4] * 2.0));
    EXPECT_EQ(cmp_dropout_backward(go.get(), go.get(), 0.5, &gi), CMP_STATUS_DTYPE_MISMATCH);
}

// grad * mask / (1 - p) for every mask shape dropout_backward takes: grad's own shape and the
// (N, C, 1) / (N, 1, 1) prefixes go through the dropout kernel, other broadcasts ((1, C, L),
// (N, 1, L)) through the general mul; a transposed (non-contiguous) grad as well; all dtypes.
TEST(NNNormDropout, BackwardKernelAndBroadcastPaths) {
    const double p = 0.3;
    const std::vector<int64_t> g_sizes{6, 5, 4};
    const std::vector<std::vector<int64_t>> mask_sizes{{6, 5, 4}, {6, 5, 1}, {6, 1, 1}, {1, 5, 4}, {6, 1, 4}};
    for (const cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        for (const bool transposed : {false, true}) {
            Handle go_src = randn(transposed ? std::vector<int64_t>{6, 4, 5} : g_sizes, dtype);
            cmp_tensor t = nullptr;
            if (transposed) {
                CMP_ASSERT_OK(cmp_transpose(go_src.get(), 1, 2, &t));
            }
            Handle go_t(t);
            cmp_tensor go = transposed ? go_t.get() : go_src.get();
            const std::vector<double> gs = values_of(go);
            for (const auto& ms_sizes : mask_sizes) {
                int64_t mn = 1;
                for (int64_t s : ms_sizes) mn *= s;
                std::vector<double> mv(static_cast<size_t>(mn));
                for (size_t i = 0; i < mv.size(); ++i) mv[i] = (i * 7 + 3) % 5 < 3 ? 1.0 : 0.0;
                Handle mask = tensor_from(mv, ms_sizes, CMP_DTYPE_BOOL);
                cmp_tensor gi = nullptr;
                CMP_ASSERT_OK(cmp_dropout_backward(go, mask.get(), p, &gi));
                Handle g(gi);
                const std::vector<double> r = values_of(g.get());
                ASSERT_EQ(sizes_of(g.get()), g_sizes);
                for (int64_t a = 0; a < 6; ++a)
                    for (int64_t b = 0; b < 5; ++b)
                        for (int64_t c = 0; c < 4; ++c) {
                            const size_t i = static_cast<size_t>((a * 5 + b) * 4 + c);
                            const int64_t ma = ms_sizes[0] == 1 ? 0 : a, mb = ms_sizes[1] == 1 ? 0 : b, mc = ms_sizes[2] == 1 ? 0 : c;
                            const double m = mv[static_cast<size_t>((ma * ms_sizes[1] + mb) * ms_sizes[2] + mc)];
                            // In opmath (float32 for the 16-bit types) with the scale rounded to
                            // the dtype first, as PyTorch 1.13's native_dropout_backward does.
                            double want = 0;
                            if (m == 0) {
                                want = 0;
                            } else if (dtype == CMP_DTYPE_FLOAT64) {
                                want = gs[i] * (1.0 / (1.0 - p));
                            } else if (dtype == CMP_DTYPE_FLOAT32) {
                                want = static_cast<float>(gs[i]) * static_cast<float>(1.0 / (1.0 - p));
                            } else if (dtype == CMP_DTYPE_FLOAT16) {
                                const float sc = Half(static_cast<float>(1.0 / (1.0 - p)));
                                want = static_cast<float>(Half(static_cast<float>(gs[i]) * sc));
                            } else {
                                const float sc = BFloat16(static_cast<float>(1.0 / (1.0 - p)));
                                want = static_cast<float>(BFloat16(static_cast<float>(gs[i]) * sc));
                            }
                            ASSERT_EQ(r[i], want) << "dtype " << dtype << " mask " << ms_sizes[0] << "x" << ms_sizes[1] << "x"
                                                  << ms_sizes[2] << (transposed ? " transposed" : "") << " at " << i;
                        }
            }
        }
    }
}

// Parameter gradients are summed in fixed row chunks: 1 thread and many give identical bits.
TEST(NNNormThreads, LayerNormBackwardIsDeterministic) {
    const std::vector<int64_t> ns{4};
    Handle x = randn({20000, 4});
    Handle w = randn({4});
    Handle go = randn({20000, 4});
    auto grads = [&] {
        cmp_tensor y = nullptr, mean = nullptr, rstd = nullptr, gi = nullptr, gw = nullptr, gb = nullptr;
        EXPECT_EQ(cmp_layer_norm(x.get(), ns.data(), 1, w.get(), nullptr, 1e-5, &y, &mean, &rstd), CMP_STATUS_OK);
        Handle hy(y), hm(mean), hr(rstd);
        EXPECT_EQ(cmp_layer_norm_backward(go.get(), x.get(), ns.data(), 1, mean, rstd, w.get(), &gi, &gw, &gb), CMP_STATUS_OK);
        Handle a(gi), b(gw), c(gb);
        return std::vector<std::vector<double>>{values_of(hy.get()), values_of(a.get()), values_of(b.get()), values_of(c.get())};
    };
    int32_t threads = 1;
    CMP_ASSERT_OK(cmp_get_num_threads(&threads));
    CMP_ASSERT_OK(cmp_set_num_threads(4));
    const auto many = grads();
    CMP_ASSERT_OK(cmp_set_num_threads(1));
    const auto one = grads();
    CMP_ASSERT_OK(cmp_set_num_threads(threads));
    EXPECT_EQ(many, one);
}

TEST(NNNormBatchNorm, EmptyTrainingBatchKeepsRunningStats) {
    Handle x = randn({0, 3, 2});
    Handle rm = tensor_from({0.5, -1.0, 2.0}, {3}, CMP_DTYPE_FLOAT32);
    Handle rv = tensor_from({1.0, 2.0, 3.0}, {3}, CMP_DTYPE_FLOAT32);
    cmp_tensor y = nullptr, m = nullptr, s = nullptr;
    CMP_ASSERT_OK(cmp_batch_norm(x.get(), nullptr, nullptr, rm.get(), rv.get(), 1, 0.1, 1e-5, &y, &m, &s));
    Handle hy(y), hm(m), hs(s);
    EXPECT_EQ(sizes_of(hy.get()), (std::vector<int64_t>{0, 3, 2}));
    EXPECT_EQ(values_of(rm.get()), (std::vector<double>{0.5, -1.0, 2.0}));
    EXPECT_EQ(values_of(rv.get()), (std::vector<double>{1.0, 2.0, 3.0}));
}

TEST(NNNormBatchNorm, UpdatesNonContiguousRunningStats) {
    // Running stats that are strided views (every other element of a buffer) are updated in place.
    Handle x = randn({6, 2});
    Handle buf = tensor_from({0.0, 9.0, 0.0, 9.0}, {2, 2}, CMP_DTYPE_FLOAT32);
    cmp_tensor col0 = nullptr, col0v = nullptr;
    CMP_ASSERT_OK(cmp_select(buf.get(), 1, 0, &col0));
    Handle rm(col0);
    Handle buf2 = tensor_from({1.0, 9.0, 1.0, 9.0}, {2, 2}, CMP_DTYPE_FLOAT32);
    CMP_ASSERT_OK(cmp_select(buf2.get(), 1, 0, &col0v));
    Handle rv(col0v);
    cmp_tensor y = nullptr, m = nullptr, s = nullptr;
    CMP_ASSERT_OK(cmp_batch_norm(x.get(), nullptr, nullptr, rm.get(), rv.get(), 1, 1.0, 1e-5, &y, &m, &s));
    Handle hy(y), hm(m), hs(s);
    const std::vector<double> xs = values_of(x.get()), means = values_of(hm.get()), b = values_of(buf.get());
    EXPECT_FLOAT_EQ(static_cast<float>(b[0]), static_cast<float>(means[0]));
    EXPECT_FLOAT_EQ(static_cast<float>(b[2]), static_cast<float>(means[1]));
    EXPECT_EQ(b[1], 9.0);
    EXPECT_EQ(b[3], 9.0);
}

TEST(NNNormErrors, MessagesNameOpAndShapes) {
    Handle x = randn({3, 5});
    const std::vector<int64_t> bad{4};
    cmp_tensor y = nullptr, m = nullptr, r = nullptr;
    EXPECT_EQ(cmp_layer_norm(x.get(), bad.data(), 1, nullptr, nullptr, 1e-5, &y, &m, &r), CMP_STATUS_SHAPE_MISMATCH);
    std::string msg = cmp_last_error();
    EXPECT_NE(msg.find("layer_norm"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[3, 5]"), std::string::npos) << msg;
    EXPECT_EQ(y, nullptr);
    Handle x3 = randn({2, 6, 4});
    EXPECT_EQ(cmp_group_norm(x3.get(), 4, nullptr, nullptr, 1e-5, &y, &m, &r), CMP_STATUS_SHAPE_MISMATCH);
    msg = cmp_last_error();
    EXPECT_NE(msg.find("num_groups=4"), std::string::npos) << msg;
    Handle w = randn({10, 3});
    Handle idx = tensor_from({1, 10}, {2}, CMP_DTYPE_INT64);
    EXPECT_EQ(cmp_embedding(w.get(), idx.get(), 0, 0, nullptr, 2.0, &y), CMP_STATUS_INDEX_OUT_OF_RANGE);
    msg = cmp_last_error();
    EXPECT_NE(msg.find("index 10"), std::string::npos) << msg;
    EXPECT_EQ(cmp_softmax(nullptr, 0, nullptr, &y), CMP_STATUS_INVALID_HANDLE);
    EXPECT_EQ(cmp_softmax(x.get(), 0, nullptr, nullptr), CMP_STATUS_INVALID_ARGUMENT);
    Handle go = randn({3, 4});
    EXPECT_EQ(cmp_softmax_backward(go.get(), x.get(), 1, &y), CMP_STATUS_SHAPE_MISMATCH);
}

}  // namespace
}  // namespace cmp::testing
