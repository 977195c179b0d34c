// cmp_matmul through the C ABI: PyTorch's shape rules (1-D/2-D/N-D, broadcast batch dims),
// strided and broadcast views used without copies, empty dims, integer and 16-bit float
// dtypes, and the error messages. Values are checked against a naive double-precision
// implementation of the same rules written directly from their definition; the PyTorch
// fixtures (tests/reference) cover the same rules against torch itself.
#include "abi_helpers.h"

#include <compute/compute.h>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace {

using cmp::testing::Handle;
using cmp::testing::sizes_of;
using cmp::testing::tensor_from;
using cmp::testing::values_of;
using Sizes = std::vector<int64_t>;

int64_t numel(const Sizes& s) {
    int64_t n = 1;
    for (int64_t v : s) n *= v;
    return n;
}

std::vector<double> random_values(int64_t n, std::mt19937& rng, bool small_integers = false) {
    std::uniform_real_distribution<double> dist(-1, 1);
    std::uniform_int_distribution<int> idist(-4, 4);
    std::vector<double> v(static_cast<size_t>(n));
    for (auto& x : v) x = small_integers ? idist(rng) : dist(rng);
    return v;
}

// The definition: 1-D operands become a row (left) or a column (right) whose dim is dropped
// from the result; batch dims broadcast right-aligned. Also returns sum |a||b| per element
// (for the rounding-error bound).
struct Reference {
    Sizes sizes;
    std::vector<double> values, magnitude;
};

Reference reference_matmul(const std::vector<double>& a, Sizes as, const std::vector<double>& b, Sizes bs) {
    const bool a1 = as.size() == 1, b1 = bs.size() == 1;
    if (a1) as.insert(as.begin(), 1);
    if (b1) bs.push_back(1);
    const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
    const Sizes abatch(as.begin(), as.end() - 2), bbatch(bs.begin(), bs.end() - 2);
    const size_t nd = std::max(abatch.size(), bbatch.size());
    Sizes batch(nd);
    for (size_t i = 0; i < nd; ++i) {
        const int64_t x = i + abatch.size() >= nd ? abatch[i + abatch.size() - nd] : 1;
        const int64_t y = i + bbatch.size() >= nd ? bbatch[i + bbatch.size() - nd] : 1;
        batch[i] = x == 1 ? y : x;  // 1 broadcasts (to 0 as well)
    }
    Reference r;
    r.sizes = batch;
    if (!a1) r.sizes.push_back(m);
    if (!b1) r.sizes.push_back(n);
    const int64_t count = numel(batch);
    r.values.assign(static_cast<size_t>(count * m * n), 0.0);
    r.magnitude.assign(r.values.size(), 0.0);
    // Index of the batch entry t within an operand's own (possibly size-1) batch dims.
    auto operand_batch = [&](int64_t t, const Sizes& own) {
        int64_t index = 0, stride = 1, rest = t;
        std::vector<int64_t> idx(nd);
        for (size_t d = nd; d-- > 0;) {
            idx[d] = rest % batch[d];
            rest /= batch[d];
        }
        for (size_t d = own.size(); d-- > 0;) {
            const int64_t i = own[d] == 1 ? 0 : idx[d + nd - own.size()];
            index += i * stride;
            stride *= own[d];
        }
        return index;
    };
    for (int64_t t = 0; t < count; ++t) {
        const int64_t ta = operand_batch(t, abatch), tb = operand_batch(t, bbatch);
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double s = 0, mag = 0;
                for (int64_t p = 0; p < k; ++p) {
                    const double x = a[(ta * m + i) * k + p] * b[(tb * k + p) * n + j];
                    s += x;
                    mag += std::abs(x);
                }
                r.values[(t * m + i) * n + j] = s;
                r.magnitude[(t * m + i) * n + j] = mag;
            }
    }
    return r;
}

double eps_of(cmp_dtype d) {
    switch (d) {
        case CMP_DTYPE_FLOAT32: return std::ldexp(1.0, -23);
        case CMP_DTYPE_FLOAT64: return std::ldexp(1.0, -52);
        default: return 0.0;  // integers, and the exact small-integer cases of the 16-bit floats
    }
}

// result = a @ b checked against the reference; the operands are given as handles (any view)
// plus their logical values.
void expect_matches(cmp_tensor a, cmp_tensor b, cmp_dtype dtype, const std::string& what) {
    cmp_tensor out = nullptr;
    ASSERT_EQ(cmp_matmul(a, b, &out), CMP_STATUS_OK) << what << ": " << cmp_last_error();
    Handle result(out);
    const Reference ref = reference_matmul(values_of(a), sizes_of(a), values_of(b), sizes_of(b));
    ASSERT_EQ(sizes_of(out), ref.sizes) << what;
    cmp_dtype out_dtype;
    cmp_tensor_dtype(out, &out_dtype);
    EXPECT_EQ(out_dtype, dtype) << what;
    const std::vector<double> got = values_of(out);
    const Sizes as = sizes_of(a);
    const double k = static_cast<double>(as.back());
    for (size_t i = 0; i < got.size(); ++i) {
        // Twice the classical K-term dot product bound (see test_gemm.cpp).
        const double tol = (k + 4) * eps_of(dtype) * ref.magnitude[i];
        ASSERT_NEAR(got[i], ref.values[i], tol) << what << " element " << i;
    }
}

Handle make(const Sizes& sizes, cmp_dtype dtype, std::mt19937& rng, bool small_integers = false) {
    return tensor_from(random_values(numel(sizes), rng, small_integers), sizes, dtype);
}

struct RuleCase {
    Sizes a, b, out;
};

// The output shapes are PyTorch's documented rules for torch.matmul.
TEST(Matmul, ShapeRules) {
    const std::vector<RuleCase> cases = {
        {{3}, {3}, {}},                          // dot -> 0-dim
        {{3, 4}, {4, 5}, {3, 5}},                // mm
        {{4}, {4, 5}, {5}},                      // 1-D @ 2-D: prepended dim removed
        {{3, 4}, {4}, {3}},                      // mv
        {{2, 1, 3, 4}, {5, 4, 6}, {2, 5, 3, 6}}, // broadcast batch
        {{7, 3, 4}, {4}, {7, 3}},
        {{4}, {7, 4, 5}, {7, 5}},
        {{2, 3, 4}, {4, 5}, {2, 3, 5}},
        {{3, 4}, {2, 4, 5}, {2, 3, 5}},
        {{1, 3, 4}, {6, 1, 4, 2}, {6, 1, 3, 2}},
        {{0, 3, 4}, {4, 5}, {0, 3, 5}},          // empty batch
        {{3, 0}, {0, 5}, {3, 5}},                // K = 0: zeros
        {{0}, {0}, {}},                          // empty dot: 0
        {{1, 1}, {1, 1}, {1, 1}},
    };
    std::mt19937 rng(17);
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        for (const RuleCase& c : cases) {
            Handle a = make(c.a, dtype, rng), b = make(c.b, dtype, rng);
            cmp_tensor out = nullptr;
            ASSERT_EQ(cmp_matmul(a.get(), b.get(), &out), CMP_STATUS_OK) << cmp_last_error();
            Handle result(out);
            EXPECT_EQ(sizes_of(out), c.out);
            expect_matches(a.get(), b.get(), dtype, "shape rule case");
        }
    }
}

TEST(Matmul, LargeAndBatchedAcrossCacheBlocks) {
    std::mt19937 rng(23);
    Handle a = make({3, 130, 257}, CMP_DTYPE_FLOAT32, rng), b = make({257, 300}, CMP_DTYPE_FLOAT32, rng);
    expect_matches(a.get(), b.get(), CMP_DTYPE_FLOAT32, "[3,130,257] @ [257,300]");
    Handle c = make({64, 7, 9}, CMP_DTYPE_FLOAT64, rng), d = make({64, 9, 5}, CMP_DTYPE_FLOAT64, rng);
    expect_matches(c.get(), d.get(), CMP_DTYPE_FLOAT64, "many small products");
}

// Transposed, sliced (step) and expanded (stride 0) operands go to the GEMM as strides.
TEST(Matmul, StridedAndBroadcastViews) {
    std::mt19937 rng(29);
    for (cmp_dtype dtype : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_INT64}) {
        const bool ints = dtype == CMP_DTYPE_INT64;
        Handle a = make({40, 33}, dtype, rng, ints), b = make({40, 50}, dtype, rng, ints);
        cmp_tensor at = nullptr, bs = nullptr, ae = nullptr, au = nullptr;
        CMP_ASSERT_OK(cmp_transpose(a.get(), 0, 1, &at));  // [33, 40], column-major
        Handle a_t(at);
        CMP_ASSERT_OK(cmp_slice(b.get(), 1, 1, 50, 3, &bs));  // [40, 17], column stride 3
        Handle b_s(bs);
        expect_matches(a_t.get(), b_s.get(), dtype, "transposed @ sliced");
        CMP_ASSERT_OK(cmp_unsqueeze(a_t.get(), 0, &au));
        Handle a_u(au);
        const int64_t expanded[] = {4, 33, 40};
        CMP_ASSERT_OK(cmp_expand(a_u.get(), expanded, 3, &ae));  // batch stride 0
        Handle a_e(ae);
        expect_matches(a_e.get(), b_s.get(), dtype, "expanded batch @ sliced");
        cmp_tensor v = nullptr;
        CMP_ASSERT_OK(cmp_select(b.get(), 1, 7, &v));  // a column: 1-D with stride 50
        Handle col(v);
        expect_matches(a_t.get(), col.get(), dtype, "transposed @ strided vector");
        expect_matches(col.get(), b_s.get(), dtype, "strided vector @ sliced");
    }
}

TEST(Matmul, IntegerAndReducedFloatDtypes) {
    std::mt19937 rng(31);
    // Values in [-4, 4] and K = 7 keep every sum within +-112: exact in every dtype (int8
    // included), so the comparison is exact.
    for (cmp_dtype dtype : {CMP_DTYPE_INT64, CMP_DTYPE_INT32, CMP_DTYPE_INT16, CMP_DTYPE_INT8, CMP_DTYPE_FLOAT16,
                            CMP_DTYPE_BFLOAT16}) {
        Handle a = make({2, 5, 7}, dtype, rng, true), b = make({7, 3}, dtype, rng, true);
        expect_matches(a.get(), b.get(), dtype, std::string("dtype ") + std::to_string(dtype));
    }
}

TEST(Matmul, KZeroGivesZeros) {
    std::mt19937 rng(37);
    Handle a = make({2, 3, 0}, CMP_DTYPE_FLOAT32, rng), b = make({0, 4}, CMP_DTYPE_FLOAT32, rng);
    cmp_tensor out = nullptr;
    CMP_ASSERT_OK(cmp_matmul(a.get(), b.get(), &out));
    Handle r(out);
    EXPECT_EQ(sizes_of(out), (Sizes{2, 3, 4}));
    for (double v : values_of(out)) EXPECT_EQ(v, 0.0);
}

// The failing call's status and message (the message names the op and the shapes).
std::pair<cmp_status, std::string> failure(cmp_tensor a, cmp_tensor b) {
    cmp_tensor out = nullptr;
    const cmp_status s = cmp_matmul(a, b, &out);
    EXPECT_EQ(out, nullptr);
    return {s, cmp_last_error()};
}

TEST(Matmul, ErrorsNameTheShapes) {
    std::mt19937 rng(41);
    Handle a34 = make({3, 4}, CMP_DTYPE_FLOAT32, rng), b56 = make({5, 6}, CMP_DTYPE_FLOAT32, rng);
    auto [s1, m1] = failure(a34.get(), b56.get());
    EXPECT_EQ(s1, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_EQ(m1, "matmul: shapes [3, 4] and [5, 6] cannot be multiplied (4 != 5)");

    Handle v3 = make({3}, CMP_DTYPE_FLOAT32, rng), v4 = make({4}, CMP_DTYPE_FLOAT32, rng);
    auto [s2, m2] = failure(v3.get(), v4.get());
    EXPECT_EQ(s2, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_EQ(m2, "matmul: shapes [3] and [4] cannot be multiplied (3 != 4)");

    Handle scalar = make({}, CMP_DTYPE_FLOAT32, rng);
    auto [s3, m3] = failure(scalar.get(), v3.get());
    EXPECT_EQ(s3, CMP_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(m3.find("at least 1-D"), std::string::npos) << m3;
    EXPECT_NE(m3.find("[] (0-D) and [3] (1-D)"), std::string::npos) << m3;

    Handle b234 = make({2, 3, 4}, CMP_DTYPE_FLOAT32, rng), b345 = make({3, 4, 5}, CMP_DTYPE_FLOAT32, rng);
    auto [s4, m4] = failure(b234.get(), b345.get());
    EXPECT_EQ(s4, CMP_STATUS_SHAPE_MISMATCH);
    EXPECT_NE(m4.find("[2, 3, 4] and [3, 4, 5] cannot be broadcast"), std::string::npos) << m4;

    Handle d45 = make({4, 5}, CMP_DTYPE_FLOAT64, rng);
    auto [s5, m5] = failure(a34.get(), d45.get());
    EXPECT_EQ(s5, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(m5.find("float32 and float64"), std::string::npos) << m5;

    Handle bool_a = make({2, 2}, CMP_DTYPE_BOOL, rng, true);
    auto [s6, m6] = failure(bool_a.get(), bool_a.get());
    EXPECT_EQ(s6, CMP_STATUS_DTYPE_MISMATCH);
    EXPECT_NE(m6.find("bool"), std::string::npos) << m6;
}

}  // namespace
