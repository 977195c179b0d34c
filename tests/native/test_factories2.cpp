// Factories and random distributions, through the public C ABI only.
//  - linspace, logspace, eye, tril/triu_indices and *_like against PyTorch (factories2.json,
//    written by tests/reference/gen_factories2.py).
//  - randperm, normal, uniform_, bernoulli, multinomial, rand_like/randn_like: PyTorch's CPU
//    generator is not Philox, so their values cannot match it. They are checked for what they
//    promise instead: the same numbers for a seed whatever the thread count, different numbers
//    for different seeds, and distributions within bounds stated next to each check (fixed
//    seeds, so a run is deterministic; the bounds are ~5 standard deviations wide).
#include "fixture.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace cmp::reference {
namespace {

constexpr cmp_device kCpu{CMP_DEVICE_CPU, 0};

cmp_status run(const Json& c, cmp_tensor* out, std::vector<Tensor>& keep) {
    const std::string op = c.at("op").as_string();
    auto dtype = [&] { return dtype_from_name(c.at("dtype").as_string()); };
    if (op == "linspace") {
        return cmp_linspace(scalar_from_json(c.at("start")), scalar_from_json(c.at("end")), c.at("steps").as_int(),
                            dtype(), kCpu, out);
    }
    if (op == "logspace") {
        const double base = c.has("base") ? c.at("base").as_double() : 10.0;
        return cmp_logspace(scalar_from_json(c.at("start")), scalar_from_json(c.at("end")), c.at("steps").as_int(),
                            base, dtype(), kCpu, out);
    }
    if (op == "eye") return cmp_eye(c.at("n").as_int(), c.at("m").as_int(), dtype(), kCpu, out);
    if (op == "tril_indices" || op == "triu_indices") {
        auto fn = op == "tril_indices" ? cmp_tril_indices : cmp_triu_indices;
        return fn(c.at("row").as_int(), c.at("col").as_int(), c.at("offset").as_int(), dtype(), kCpu, out);
    }
    keep.push_back(make_tensor(c.at("input")));
    cmp_tensor in = keep.back().get();
    cmp_dtype d{};
    const cmp_dtype* dp = nullptr;
    if (c.has("dtype")) {
        d = dtype();
        dp = &d;
    }
    if (op == "zeros_like") return cmp_zeros_like(in, dp, nullptr, out);
    if (op == "ones_like") return cmp_ones_like(in, dp, &kCpu, out);
    if (op == "full_like") return cmp_full_like(in, scalar_from_json(c.at("value")), dp, nullptr, out);
    throw std::runtime_error("unknown op " + op);
}

// linspace: PyTorch's vector path computes some elements as fl(base + j * step) from a rounded
// base = fl(start + idx * step); this library computes fl(start + i * step) (one FMA, as
// PyTorch's scalar path). Each rounding errs by at most u * |its value| <= u * max(|start|,
// |end|) (abs_bound), three roundings in all: 3u = 1.5 eps. Everything else is exact (logspace
// takes pow in double from the same exponents and rounds once, as PyTorch does).
Tolerance tolerance_for(const Json& c) {
    if (!c.has("abs_bound")) return Tolerance::exact();
    Tolerance t;
    t.abs_bound = &c.at("abs_bound");
    t.bound_scale = 1.5 * dtype_epsilon(dtype_from_name(c.at("expected").at("dtype").as_string()));
    return t;
}

class ReferenceFactories2 : public ::testing::TestWithParam<const Json*> {};

TEST_P(ReferenceFactories2, MatchesTorch) {
    const Json& c = *GetParam();
    std::vector<Tensor> keep;
    cmp_tensor raw = nullptr;
    const cmp_status status = run(c, &raw, keep);
    Tensor out(raw);
    if (c.has("error")) {
        EXPECT_TRUE(fails_with_message(status, c.at("op").as_string().c_str())) << "PyTorch: " << c.at("error").as_string();
        return;
    }
    ASSERT_EQ(status, CMP_STATUS_OK) << cmp_last_error();
    EXPECT_TRUE(tensor_matches(out.get(), c.at("expected"), tolerance_for(c)));
    if (c.has("strides")) {
        std::vector<int64_t> expected;
        for (const Json& s : c.at("strides").items()) expected.push_back(s.as_int());
        EXPECT_EQ(strides_of(out.get()), expected);
    }
}

INSTANTIATE_TEST_SUITE_P(Torch, ReferenceFactories2, ::testing::ValuesIn(fixture_cases("factories2.json")), case_name);

// ---------------------------------------------------------------------------------------
// Random factories
// ---------------------------------------------------------------------------------------

std::vector<double> values(cmp_tensor t) {
    cmp_tensor d = nullptr;
    check(cmp_to_dtype(t, CMP_DTYPE_FLOAT64, &d), "to_dtype");
    Tensor owned(d);
    int64_t n = 0;
    check(cmp_tensor_numel(d, &n), "numel");
    std::vector<double> v(static_cast<size_t>(n));
    check(cmp_tensor_copy_to_buffer(d, v.data(), n * 8), "copy_to_buffer");
    return v;
}

Tensor from_doubles(const std::vector<double>& v, std::vector<int64_t> shape, cmp_dtype dtype = CMP_DTYPE_FLOAT64) {
    cmp_tensor t = nullptr;
    check(cmp_from_buffer(v.data(), static_cast<int64_t>(v.size() * 8), shape.data(), static_cast<int64_t>(shape.size()),
                          CMP_DTYPE_FLOAT64, &t),
          "from_buffer");
    Tensor owned(t);
    cmp_tensor c = nullptr;
    check(cmp_to_dtype(t, dtype, &c), "to_dtype");
    return Tensor(c);
}

// Runs make() with seed on 1 and on 2 threads; both must give the same values, which it returns.
template <typename Make>
std::vector<double> same_on_all_thread_counts(uint64_t seed, Make make) {
    int32_t saved = 1;
    check(cmp_get_num_threads(&saved), "get_num_threads");
    std::vector<double> first;
    for (int32_t threads : {1, 2}) {
        check(cmp_set_num_threads(threads), "set_num_threads");
        check(cmp_manual_seed(seed), "manual_seed");
        Tensor t(make());
        std::vector<double> v = values(t.get());
        if (first.empty()) first = v;
        else EXPECT_EQ(v, first) << "values differ between 1 and 2 threads";
    }
    check(cmp_set_num_threads(saved), "set_num_threads");
    return first;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

TEST(Randperm, IsAPermutationReproducibleAcrossThreads) {
    const int64_t n = 100000;  // > one parallel grain of Philox blocks
    auto make = [&] {
        cmp_tensor t = nullptr;
        check(cmp_randperm(n, CMP_DTYPE_INT64, kCpu, &t), "randperm");
        return t;
    };
    std::vector<double> a = same_on_all_thread_counts(7, make);
    std::vector<double> b = same_on_all_thread_counts(8, make);
    EXPECT_NE(a, b);
    std::vector<double> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(sorted[i], static_cast<double>(i));
}

TEST(Randperm, PositionsAreUniform) {
    // Where element 0 lands in a permutation of 4, over 8000 draws: each of the 4 positions
    // has p = 1/4; chi-square with 3 degrees of freedom stays below 25 with probability
    // > 1 - 2e-5.
    check(cmp_manual_seed(11), "manual_seed");
    std::vector<double> counts(4, 0.0);
    const int draws = 8000;
    for (int i = 0; i < draws; ++i) {
        cmp_tensor t = nullptr;
        check(cmp_randperm(4, CMP_DTYPE_INT32, kCpu, &t), "randperm");
        Tensor owned(t);
        std::vector<double> v = values(t);
        counts[std::find(v.begin(), v.end(), 0.0) - v.begin()] += 1;
    }
    double chi2 = 0;
    for (double c : counts) chi2 += (c - draws / 4.0) * (c - draws / 4.0) / (draws / 4.0);
    EXPECT_LT(chi2, 25.0);
}

TEST(Randperm, RejectsBadArguments) {
    cmp_tensor t = nullptr;
    EXPECT_TRUE(fails_with_message(cmp_randperm(-1, CMP_DTYPE_INT64, kCpu, &t), "randperm"));
    EXPECT_TRUE(fails_with_message(cmp_randperm(300, CMP_DTYPE_INT8, kCpu, &t), "randperm"));
    EXPECT_TRUE(fails_with_message(cmp_randperm(3, CMP_DTYPE_BOOL, kCpu, &t), "randperm"));
    EXPECT_EQ(t, nullptr);
}

TEST(Normal, ScalarMomentsAndReproducibility) {
    // 200000 samples of N(2, 3^2): the sample mean has sd 3 / sqrt(n) = 0.0067, bound 5 sd;
    // the sample variance has sd ~ 9 * sqrt(2 / n) = 0.028, bound 5 sd = 0.15.
    const std::vector<int64_t> shape{400, 500};
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        std::vector<double> v = same_on_all_thread_counts(3, [&] {
            cmp_tensor t = nullptr;
            check(cmp_normal_scalar(2.0, 3.0, shape.data(), 2, dtype, kCpu, &t), "normal_scalar");
            return t;
        });
        const double m = mean_of(v);
        double var = 0;
        for (double x : v) var += (x - m) * (x - m);
        var /= static_cast<double>(v.size() - 1);
        EXPECT_NEAR(m, 2.0, 5 * 3.0 / std::sqrt(200000.0));
        EXPECT_NEAR(var, 9.0, 0.15);
    }
}

TEST(Normal, TensorMeanAndStdBroadcast) {
    // mean [2, 1] = {-10, 10}, std [3] = {0, 1, 2}: column 0 has std 0 (exactly the mean), the
    // others are N(mean, std^2) samples of 5 sd at most (all 6 values, checked loosely at 6 sd).
    Tensor mean = from_doubles({-10.0, 10.0}, {2, 1}, CMP_DTYPE_FLOAT32);
    Tensor std = from_doubles({0.0, 1.0, 2.0}, {3});
    cmp_tensor raw = nullptr;
    check(cmp_manual_seed(5), "manual_seed");
    ASSERT_EQ(cmp_normal(mean.get(), std.get(), &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor out(raw);
    EXPECT_EQ(sizes_of(raw), (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(dtype_of(raw), CMP_DTYPE_FLOAT32);
    std::vector<double> v = values(raw);
    EXPECT_EQ(v[0], -10.0);
    EXPECT_EQ(v[3], 10.0);
    for (int r = 0; r < 2; ++r) {
        for (int c = 1; c < 3; ++c) EXPECT_NEAR(v[r * 3 + c], r == 0 ? -10.0 : 10.0, 6.0 * c);
    }
    Tensor negative = from_doubles({1.0, -1.0}, {2});
    EXPECT_TRUE(fails_with_message(cmp_normal(mean.get(), negative.get(), &raw), "normal"));
    Tensor int_mean = from_doubles({1.0}, {1}, CMP_DTYPE_INT64);
    EXPECT_TRUE(fails_with_message(cmp_normal(int_mean.get(), std.get(), &raw), "normal"));
    const int64_t n3 = 3;
    EXPECT_TRUE(fails_with_message(cmp_normal_scalar(0.0, -1.0, &n3, 1, CMP_DTYPE_FLOAT32, kCpu, &raw), "normal"));
}

TEST(Uniform, InPlaceRangeMomentsAndStridedTarget) {
    // 100000 uniforms on [-2, 6): mean 2, sd (8 / sqrt(12)) / sqrt(n) = 0.0073, bound 5 sd.
    std::vector<double> v = same_on_all_thread_counts(9, [] {
        const int64_t shape[] = {1000, 100};
        cmp_tensor t = nullptr;
        check(cmp_empty(shape, 2, CMP_DTYPE_FLOAT32, kCpu, &t), "empty");
        cmp_tensor tt = nullptr;
        check(cmp_transpose(t, 0, 1, &tt), "transpose");  // a non-contiguous target
        check(cmp_tensor_release(t), "release");
        check(cmp_uniform_(tt, -2.0, 6.0), "uniform_");
        return tt;
    });
    for (double x : v) {
        ASSERT_GE(x, -2.0);
        ASSERT_LT(x, 6.0);
    }
    EXPECT_NEAR(mean_of(v), 2.0, 5 * (8.0 / std::sqrt(12.0)) / std::sqrt(100000.0));
    Tensor ints = from_doubles({1, 2}, {2}, CMP_DTYPE_INT64);
    EXPECT_TRUE(fails_with_message(cmp_uniform_(ints.get(), 0, 1), "uniform_"));
    Tensor floats = from_doubles({1, 2}, {2}, CMP_DTYPE_FLOAT32);
    EXPECT_TRUE(fails_with_message(cmp_uniform_(floats.get(), 1, 0), "uniform_"));
}

TEST(Bernoulli, RatesFollowP) {
    // p = {0, 1, 0.3} repeated 30000 times: p = 0 and 1 are exact; the 0.3 column's rate has
    // sd sqrt(0.21 / 30000) = 0.0026, bound 5 sd.
    std::vector<double> p;
    for (int i = 0; i < 30000; ++i) p.insert(p.end(), {0.0, 1.0, 0.3});
    Tensor probs = from_doubles(p, {30000, 3}, CMP_DTYPE_FLOAT32);
    std::vector<double> v = same_on_all_thread_counts(13, [&] {
        cmp_tensor t = nullptr;
        check(cmp_bernoulli(probs.get(), &t), "bernoulli");
        return t;
    });
    double ones = 0;
    for (int i = 0; i < 30000; ++i) {
        ASSERT_EQ(v[3 * i], 0.0);
        ASSERT_EQ(v[3 * i + 1], 1.0);
        ones += v[3 * i + 2];
    }
    EXPECT_NEAR(ones / 30000.0, 0.3, 5 * std::sqrt(0.21 / 30000.0));

    // Scalar p keeps the input's shape and dtype (an int64 tensor here).
    Tensor ints = from_doubles(std::vector<double>(40000, 0.0), {200, 200}, CMP_DTYPE_INT64);
    std::vector<double> w = same_on_all_thread_counts(14, [&] {
        cmp_tensor t = nullptr;
        check(cmp_bernoulli_scalar(ints.get(), 0.75, &t), "bernoulli_scalar");
        EXPECT_EQ(dtype_of(t), CMP_DTYPE_INT64);
        return t;
    });
    EXPECT_NEAR(mean_of(w), 0.75, 5 * std::sqrt(0.1875 / 40000.0));
    cmp_tensor raw = nullptr;
    EXPECT_TRUE(fails_with_message(cmp_bernoulli_scalar(ints.get(), 1.5, &raw), "bernoulli"));
    EXPECT_TRUE(fails_with_message(cmp_bernoulli(ints.get(), &raw), "bernoulli"));
    Tensor bad = from_doubles({0.5, 2.0}, {2});
    EXPECT_TRUE(fails_with_message(cmp_bernoulli(bad.get(), &raw), "bernoulli"));
}

TEST(Multinomial, WithReplacementFrequencies) {
    // Weights {1, 0, 3, 4} (p = 1/8, 0, 3/8, 4/8), 40000 samples in each of 2 rows: category 1
    // never appears; chi-square over the other 3 (2 degrees of freedom) stays below 25 with
    // probability > 1 - 4e-6.
    Tensor probs = from_doubles({1, 0, 3, 4, 1, 0, 3, 4}, {2, 4}, CMP_DTYPE_FLOAT32);
    const int64_t n = 40000;
    std::vector<double> v = same_on_all_thread_counts(17, [&] {
        cmp_tensor t = nullptr;
        check(cmp_multinomial(probs.get(), n, 1, &t), "multinomial");
        EXPECT_EQ(sizes_of(t), (std::vector<int64_t>{2, n}));
        EXPECT_EQ(dtype_of(t), CMP_DTYPE_INT64);
        return t;
    });
    const double p[] = {1 / 8.0, 0, 3 / 8.0, 4 / 8.0};
    for (int r = 0; r < 2; ++r) {
        std::vector<double> counts(4, 0.0);
        for (int64_t s = 0; s < n; ++s) counts[static_cast<size_t>(v[r * n + s])] += 1;
        EXPECT_EQ(counts[1], 0.0);
        double chi2 = 0;
        for (int c : {0, 2, 3}) chi2 += (counts[c] - n * p[c]) * (counts[c] - n * p[c]) / (n * p[c]);
        EXPECT_LT(chi2, 25.0);
    }
}

TEST(Multinomial, WithoutReplacement) {
    // 3 of 5 categories per row: distinct in every row; the first pick follows the weights
    // {1, 2, 3, 4, 0} / 10 (chi-square, 3 degrees of freedom, < 25 with probability > 1 - 2e-5);
    // the zero-weight category is drawn only when fewer than 3 others remain (never here).
    std::vector<double> w;
    const int rows = 20000;
    for (int r = 0; r < rows; ++r) w.insert(w.end(), {1, 2, 3, 4, 0});
    Tensor probs = from_doubles(w, {rows, 5});
    std::vector<double> v = same_on_all_thread_counts(19, [&] {
        cmp_tensor t = nullptr;
        check(cmp_multinomial(probs.get(), 3, 0, &t), "multinomial");
        return t;
    });
    std::vector<double> first(5, 0.0);
    for (int r = 0; r < rows; ++r) {
        const double a = v[3 * r], b = v[3 * r + 1], c = v[3 * r + 2];
        ASSERT_TRUE(a != b && b != c && a != c);
        ASSERT_NE(a, 4.0);
        ASSERT_NE(b, 4.0);
        ASSERT_NE(c, 4.0);
        first[static_cast<size_t>(a)] += 1;
    }
    double chi2 = 0;
    for (int c = 0; c < 4; ++c) {
        const double e = rows * (c + 1) / 10.0;
        chi2 += (first[c] - e) * (first[c] - e) / e;
    }
    EXPECT_LT(chi2, 25.0);

    // With all of a row's weight in one category, the rest follow in index order (weight 0).
    Tensor one = from_doubles({0, 0, 5}, {3});
    cmp_tensor raw = nullptr;
    ASSERT_EQ(cmp_multinomial(one.get(), 3, 0, &raw), CMP_STATUS_OK) << cmp_last_error();
    Tensor out(raw);
    EXPECT_EQ(values(raw), (std::vector<double>{2, 0, 1}));
}

TEST(Multinomial, RejectsBadArguments) {
    cmp_tensor raw = nullptr;
    Tensor probs = from_doubles({1, 1, 0}, {3});
    EXPECT_TRUE(fails_with_message(cmp_multinomial(probs.get(), 4, 0, &raw), "multinomial"));
    EXPECT_TRUE(fails_with_message(cmp_multinomial(probs.get(), 0, 1, &raw), "multinomial"));
    Tensor negative = from_doubles({1, -1, 0}, {3});
    EXPECT_TRUE(fails_with_message(cmp_multinomial(negative.get(), 1, 1, &raw), "multinomial"));
    Tensor zeros = from_doubles({0, 0, 0}, {3});
    EXPECT_TRUE(fails_with_message(cmp_multinomial(zeros.get(), 1, 1, &raw), "multinomial"));
    Tensor ints = from_doubles({1, 1, 0}, {3}, CMP_DTYPE_INT64);
    EXPECT_TRUE(fails_with_message(cmp_multinomial(ints.get(), 1, 1, &raw), "multinomial"));
    Tensor cube = from_doubles(std::vector<double>(8, 1.0), {2, 2, 2});
    EXPECT_TRUE(fails_with_message(cmp_multinomial(cube.get(), 1, 1, &raw), "multinomial"));
    EXPECT_EQ(raw, nullptr);
}

TEST(RandLike, KeepsShapeStridesAndReproduces) {
    // rand_like/randn_like of a transposed [3, 4] tensor: the result has its strides (dense),
    // the requested dtype, and for a seed the same values on any thread count.
    Tensor base = from_doubles(std::vector<double>(12, 0.0), {3, 4}, CMP_DTYPE_FLOAT32);
    cmp_tensor tt = nullptr;
    check(cmp_transpose(base.get(), 0, 1, &tt), "transpose");
    Tensor input(tt);
    const cmp_dtype f64 = CMP_DTYPE_FLOAT64;
    std::vector<double> u = same_on_all_thread_counts(23, [&] {
        cmp_tensor t = nullptr;
        check(cmp_rand_like(input.get(), &f64, nullptr, &t), "rand_like");
        EXPECT_EQ(strides_of(t), (std::vector<int64_t>{1, 4}));
        EXPECT_EQ(dtype_of(t), CMP_DTYPE_FLOAT64);
        return t;
    });
    for (double x : u) {
        EXPECT_GE(x, 0.0);
        EXPECT_LT(x, 1.0);
    }
    same_on_all_thread_counts(23, [&] {
        cmp_tensor t = nullptr;
        check(cmp_randn_like(input.get(), nullptr, nullptr, &t), "randn_like");
        EXPECT_EQ(dtype_of(t), CMP_DTYPE_FLOAT32);
        return t;
    });
    const cmp_dtype i64 = CMP_DTYPE_INT64;
    cmp_tensor raw = nullptr;
    EXPECT_TRUE(fails_with_message(cmp_rand_like(input.get(), &i64, nullptr, &raw), "rand_like"));
}

}  // namespace
}  // namespace cmp::reference
