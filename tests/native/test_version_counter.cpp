// The storage version counter (cmp_tensor_version), through the public C ABI: it starts at 0,
// every in-place write adds 1 whichever view it goes through, failed writes and out-of-place
// ops leave it alone, and a new storage starts again at 0. Autograd relies on exactly this to
// detect tensors changed after being saved for backward.
#include "abi_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace cmp::testing {
namespace {

uint64_t version_of(cmp_tensor t) {
    uint64_t v = 0;
    EXPECT_EQ(cmp_tensor_version(t, &v), CMP_STATUS_OK) << cmp_last_error();
    return v;
}

cmp_scalar number(double f) { return cmp_scalar{CMP_SCALAR_FLOAT, 0, f, 0}; }

TEST(VersionCounter, EveryInPlaceWriteCountsOnceAndViewsShareIt) {
    Handle x = tensor_from({1, 2, 3, 4, 5, 6}, {2, 3}, CMP_DTYPE_FLOAT32);
    Handle ones = tensor_from({1, 1, 1}, {3}, CMP_DTYPE_FLOAT32);
    EXPECT_EQ(version_of(x.get()), 0u);

    cmp_tensor row_raw = nullptr;
    CMP_ASSERT_OK(cmp_select(x.get(), 0, 1, &row_raw));
    Handle row(row_raw);
    EXPECT_EQ(version_of(row.get()), 0u);

    CMP_ASSERT_OK(cmp_add_(row.get(), ones.get(), number(1)));   // binary in-place, through a view
    EXPECT_EQ(version_of(x.get()), 1u);
    EXPECT_EQ(version_of(row.get()), 1u);
    CMP_ASSERT_OK(cmp_sqrt_(x.get()));                           // unary in-place
    CMP_ASSERT_OK(cmp_fill_(row.get(), number(2)));              // fill_
    CMP_ASSERT_OK(cmp_copy_(row.get(), ones.get()));             // copy_
    CMP_ASSERT_OK(cmp_polygamma_(x.get(), 1));                   // a parameterised unary in-place
    EXPECT_EQ(version_of(x.get()), 5u);
    EXPECT_EQ(version_of(row.get()), 5u);

    // Out-of-place ops and reads do not count; neither does a write that fails its checks.
    cmp_tensor sum = nullptr;
    CMP_ASSERT_OK(cmp_add(x.get(), x.get(), number(1), &sum));
    Handle sum_owned(sum);
    Handle wrong = tensor_from({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    EXPECT_NE(cmp_add_(x.get(), wrong.get(), number(1)), CMP_STATUS_OK);
    EXPECT_EQ(version_of(x.get()), 5u);
    EXPECT_EQ(version_of(sum_owned.get()), 0u) << "a new storage starts at 0";
}

TEST(VersionCounter, IndexingAndRandomWritesCount) {
    Handle x = tensor_from({0, 0, 0, 0}, {4}, CMP_DTYPE_FLOAT64);
    Handle idx = tensor_from({2}, {1}, CMP_DTYPE_INT64);
    Handle val = tensor_from({7}, {1}, CMP_DTYPE_FLOAT64);
    cmp_tensor indices[] = {idx.get()};
    CMP_ASSERT_OK(cmp_index_put_(x.get(), indices, 1, val.get(), 0));
    CMP_ASSERT_OK(cmp_index_add_(x.get(), 0, idx.get(), val.get(), number(1)));
    CMP_ASSERT_OK(cmp_scatter_add_(x.get(), 0, idx.get(), val.get()));
    CMP_ASSERT_OK(cmp_uniform_(x.get(), 0.0, 1.0));
    CMP_ASSERT_OK(cmp_normal_(x.get(), 0.0, 1.0));
    EXPECT_EQ(version_of(x.get()), 5u);
}

TEST(VersionCounter, RejectsANullHandle) {
    uint64_t v = 0;
    EXPECT_NE(cmp_tensor_version(nullptr, &v), CMP_STATUS_OK);
}

// polygamma against its own identities (the values themselves are checked against
// torch.polygamma by the C# fixture tests): n = 0 is digamma, and the recurrence
// psi_n(x + 1) = psi_n(x) + (-1)^n n! / x^(n + 1).
TEST(Polygamma, IsDigammaForZeroAndFollowsTheRecurrence) {
    const std::vector<double> xs = {0.3, 1.0, 2.5, 7.75, 12.0, -0.4, -2.6};
    Handle x = tensor_from(xs, {7}, CMP_DTYPE_FLOAT64);
    cmp_tensor p0 = nullptr, dg = nullptr;
    CMP_ASSERT_OK(cmp_polygamma(x.get(), 0, &p0));
    CMP_ASSERT_OK(cmp_digamma(x.get(), &dg));
    Handle p0h(p0), dgh(dg);
    EXPECT_EQ(values_of(p0h.get()), values_of(dgh.get()));

    std::vector<double> shifted;
    for (double v : xs) shifted.push_back(v + 1);
    Handle x1 = tensor_from(shifted, {7}, CMP_DTYPE_FLOAT64);
    for (int64_t n = 1; n <= 4; ++n) {
        cmp_tensor a = nullptr, b = nullptr;
        CMP_ASSERT_OK(cmp_polygamma(x.get(), n, &a));
        CMP_ASSERT_OK(cmp_polygamma(x1.get(), n, &b));
        Handle ah(a), bh(b);
        std::vector<double> va = values_of(ah.get()), vb = values_of(bh.get());
        for (size_t i = 0; i < xs.size(); ++i) {
            const double step = (n % 2 == 0 ? 1.0 : -1.0) * std::tgamma(static_cast<double>(n) + 1) /
                                std::pow(xs[i], static_cast<double>(n) + 1);
            // Both sides are accurate to about 1e-15 relative; the sum may cancel, so the
            // bound is relative to the larger term.
            const double scale = std::max(std::fabs(va[i]), std::fabs(step));
            EXPECT_NEAR(vb[i], va[i] + step, 1e-13 * scale) << "n = " << n << ", x = " << xs[i];
        }
    }
}

TEST(Polygamma, RejectsNegativeOrderAndHasPoles) {
    Handle x = tensor_from({0.0, -2.0, 1.5}, {3}, CMP_DTYPE_FLOAT64);
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_polygamma(x.get(), -1, &out), CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(cmp_last_error()).find("n must be non-negative"), std::string::npos) << cmp_last_error();
    CMP_ASSERT_OK(cmp_polygamma(x.get(), 2, &out));
    Handle h(out);
    std::vector<double> v = values_of(h.get());
    EXPECT_TRUE(std::isinf(v[0]) && std::isinf(v[1])) << v[0] << " " << v[1];
    EXPECT_TRUE(std::isfinite(v[2]));
}

}  // namespace
}  // namespace cmp::testing
