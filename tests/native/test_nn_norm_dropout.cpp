// Dropout and feature dropout (their numbers come from the library's Philox stream, so they are
// checked by properties, not against PyTorch's RNG), plus the normalisation-family properties the
// fixtures cannot show: results independent of the thread count, batch norm on an empty batch,
// and error statuses with messages.
#include "abi_helpers.h"

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

TEST(NNNormDropout, SameSeedSameMaskAnyThreadCount) {
    Handle x = randn({300, 200});
    int32_t threads = 1;
    CMP_ASSERT_OK(cmp_get_num_threads(&threads));
    CMP_ASSERT_OK(cmp_manual_seed(7));
    Dropped a = dropout(x.get(), 0.4, true);
    CMP_ASSERT_OK(cmp_set_num_threads(1));
    CMP_ASSERT_OK(cmp_manual_seed(7));
    Dropped b = dropout(x.get(), 0.4, true);
    CMP_ASSERT_OK(cmp_set_num_threads(threads));
    EXPECT_EQ(values_of(a.mask.get()), values_of(b.mask.get()));
    EXPECT_EQ(values_of(a.out.get()), values_of(b.out.get()));
    // The stream advances: the next call draws a different mask.
    Dropped c = dropout(x.get(), 0.4, true);
    EXPECT_NE(values_of(a.mask.get()), values_of(c.mask.get()));
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
