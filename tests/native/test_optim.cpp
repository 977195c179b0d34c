// The fused optimizer steps through the C ABI: argument errors (named op, argument, shapes and
// dtypes), the one strided case that is handled (grad), 16-bit parameters computed in float32,
// and large tensors split over the thread pool (the result must not depend on the split).
// Values against PyTorch are in test_optim_reference.cpp.
#include "abi_helpers.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace cmp::testing {
namespace {

std::vector<double> ramp(int64_t n, double start, double step) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = start + step * static_cast<double>(i % 97) - 0.01 * static_cast<double>(i % 13);
    return v;
}

Handle zeros(const std::vector<int64_t>& sizes, cmp_dtype dtype) {
    cmp_tensor out = nullptr;
    EXPECT_EQ(cmp_zeros(sizes.data(), static_cast<int64_t>(sizes.size()), dtype, cpu_device(), &out), CMP_STATUS_OK);
    return Handle(out);
}

void expect_error(cmp_status status, cmp_status want, const std::vector<std::string>& words) {
    EXPECT_EQ(status, want) << cmp_last_error();
    const std::string msg = cmp_last_error();
    for (const std::string& w : words) EXPECT_NE(msg.find(w), std::string::npos) << "message: " << msg << "\nmissing: " << w;
}

TEST(OptimAbi, GradShapeMismatchNamesBothShapes) {
    Handle p = tensor_from(ramp(6, 0.1, 0.2), {2, 3}, CMP_DTYPE_FLOAT32);
    Handle g = tensor_from(ramp(6, 0.3, 0.1), {3, 2}, CMP_DTYPE_FLOAT32);
    expect_error(cmp_sgd_step(p.get(), g.get(), nullptr, 0.1, 0, 0, 0, 0, 0, 0), CMP_STATUS_SHAPE_MISMATCH,
                 {"sgd_step", "grad", "[3, 2]", "[2, 3]"});
}

TEST(OptimAbi, StateDtypeMismatchNamesTheBuffer) {
    Handle p = tensor_from(ramp(4, 0.1, 0.2), {4}, CMP_DTYPE_FLOAT32);
    Handle g = tensor_from(ramp(4, 0.3, 0.1), {4}, CMP_DTYPE_FLOAT32);
    Handle m = zeros({4}, CMP_DTYPE_FLOAT32);
    Handle v = zeros({4}, CMP_DTYPE_FLOAT64);
    expect_error(cmp_adam_step(p.get(), g.get(), m.get(), v.get(), nullptr, 1, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 0),
                 CMP_STATUS_DTYPE_MISMATCH, {"adam_step", "exp_avg_sq", "float64", "float32"});
    expect_error(cmp_adam_step(p.get(), g.get(), m.get(), v.get(), nullptr, 1, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0),
                 CMP_STATUS_DTYPE_MISMATCH, {"adamw_step", "exp_avg_sq"});
}

TEST(OptimAbi, IntegerParamIsRefused) {
    Handle p = tensor_from(ramp(4, 1, 1), {4}, CMP_DTYPE_INT64);
    Handle g = tensor_from(ramp(4, 1, 1), {4}, CMP_DTYPE_INT64);
    expect_error(cmp_sgd_step(p.get(), g.get(), nullptr, 0.1, 0, 0, 0, 0, 0, 0), CMP_STATUS_DTYPE_MISMATCH,
                 {"sgd_step", "param", "floating", "int64"});
}

TEST(OptimAbi, NonContiguousParamOrStateIsRefusedByName) {
    Handle base = tensor_from(ramp(6, 0.1, 0.2), {2, 3}, CMP_DTYPE_FLOAT64);
    cmp_tensor t = nullptr;
    CMP_ASSERT_OK(cmp_transpose(base.get(), 0, 1, &t));
    Handle p(t);
    Handle g = tensor_from(ramp(6, 0.3, 0.1), {3, 2}, CMP_DTYPE_FLOAT64);
    Handle sum = zeros({3, 2}, CMP_DTYPE_FLOAT64);
    expect_error(cmp_adagrad_step(p.get(), g.get(), sum.get(), 1, 0.1, 0, 0, 1e-10, 0), CMP_STATUS_INVALID_ARGUMENT,
                 {"adagrad_step", "param", "contiguous"});
    Handle q = tensor_from(ramp(6, 0.1, 0.2), {3, 2}, CMP_DTYPE_FLOAT64);
    expect_error(cmp_adagrad_step(q.get(), g.get(), p.get(), 1, 0.1, 0, 0, 1e-10, 0), CMP_STATUS_INVALID_ARGUMENT,
                 {"adagrad_step", "state_sum", "contiguous"});
}

TEST(OptimAbi, MissingOrAliasedStateIsRefused) {
    Handle p = tensor_from(ramp(5, 0.1, 0.2), {5}, CMP_DTYPE_FLOAT32);
    Handle g = tensor_from(ramp(5, 0.3, 0.1), {5}, CMP_DTYPE_FLOAT32);
    expect_error(cmp_sgd_step(p.get(), g.get(), nullptr, 0.1, 0.9, 0, 0, 0, 0, 1), CMP_STATUS_INVALID_ARGUMENT,
                 {"sgd_step", "momentum_buffer"});
    expect_error(cmp_rmsprop_step(p.get(), g.get(), p.get(), nullptr, nullptr, 0.01, 0.99, 1e-8, 0, 0, 0),
                 CMP_STATUS_INVALID_ARGUMENT, {"rmsprop_step", "square_avg", "shares memory"});
    expect_error(cmp_sgd_step(p.get(), nullptr, nullptr, 0.1, 0, 0, 0, 0, 0, 0), CMP_STATUS_INVALID_HANDLE, {"sgd_step", "grad", "NULL"});
}

TEST(OptimAbi, BadHyperParametersAreRefused) {
    Handle p = tensor_from(ramp(3, 0.1, 0.2), {3}, CMP_DTYPE_FLOAT32);
    Handle g = tensor_from(ramp(3, 0.3, 0.1), {3}, CMP_DTYPE_FLOAT32);
    Handle m = zeros({3}, CMP_DTYPE_FLOAT32), v = zeros({3}, CMP_DTYPE_FLOAT32);
    expect_error(cmp_adam_step(p.get(), g.get(), m.get(), v.get(), nullptr, 0, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 0),
                 CMP_STATUS_INVALID_ARGUMENT, {"adam_step", "step"});
    expect_error(cmp_adam_step(p.get(), g.get(), m.get(), v.get(), nullptr, 1, 1e-3, 1.0, 0.999, 1e-8, 0, 0, 0),
                 CMP_STATUS_INVALID_ARGUMENT, {"adam_step", "beta1"});
    expect_error(cmp_sgd_step(p.get(), g.get(), nullptr, -0.1, 0, 0, 0, 0, 0, 0), CMP_STATUS_INVALID_ARGUMENT,
                 {"sgd_step", "learning rate"});
    Handle buf = zeros({3}, CMP_DTYPE_FLOAT32);
    expect_error(cmp_sgd_step(p.get(), g.get(), buf.get(), 0.1, 0.9, 0.5, 0, 1, 0, 1), CMP_STATUS_INVALID_ARGUMENT,
                 {"sgd_step", "nesterov"});
}

// A strided gradient gives the same update as its contiguous copy.
TEST(OptimAbi, StridedGradIsHandled) {
    Handle gbase = tensor_from(ramp(6, 0.3, 0.1), {3, 2}, CMP_DTYPE_FLOAT32);
    cmp_tensor t = nullptr, c = nullptr;
    CMP_ASSERT_OK(cmp_transpose(gbase.get(), 0, 1, &t));
    Handle strided(t);
    CMP_ASSERT_OK(cmp_contiguous(strided.get(), &c));
    Handle dense(c);
    Handle p1 = tensor_from(ramp(6, 0.1, 0.2), {2, 3}, CMP_DTYPE_FLOAT32), p2 = tensor_from(ramp(6, 0.1, 0.2), {2, 3}, CMP_DTYPE_FLOAT32);
    Handle s1 = zeros({2, 3}, CMP_DTYPE_FLOAT32), s2 = zeros({2, 3}, CMP_DTYPE_FLOAT32);
    CMP_ASSERT_OK(cmp_adagrad_step(p1.get(), strided.get(), s1.get(), 1, 0.1, 0, 0.01, 1e-10, 0));
    CMP_ASSERT_OK(cmp_adagrad_step(p2.get(), dense.get(), s2.get(), 1, 0.1, 0, 0.01, 1e-10, 0));
    EXPECT_EQ(values_of(p1.get()), values_of(p2.get()));
    EXPECT_EQ(values_of(s1.get()), values_of(s2.get()));
}

// float16/bfloat16 parameters are updated in float32 and rounded once: plain SGD on a 16-bit
// parameter equals the float32 update of the same values, rounded.
TEST(OptimAbi, HalfParamsComputeInFloat32) {
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        Handle p = tensor_from(ramp(40, -1.0, 0.05), {40}, dt);
        Handle g = tensor_from(ramp(40, 0.5, -0.03), {40}, dt);
        cmp_tensor a = nullptr, b = nullptr;
        CMP_ASSERT_OK(cmp_to_dtype(p.get(), CMP_DTYPE_FLOAT32, &a));
        CMP_ASSERT_OK(cmp_to_dtype(g.get(), CMP_DTYPE_FLOAT32, &b));
        Handle p32(a), g32(b);
        CMP_ASSERT_OK(cmp_sgd_step(p.get(), g.get(), nullptr, 0.1, 0, 0, 0.01, 0, 0, 0));
        CMP_ASSERT_OK(cmp_sgd_step(p32.get(), g32.get(), nullptr, 0.1, 0, 0, 0.01, 0, 0, 0));
        cmp_tensor r = nullptr;
        CMP_ASSERT_OK(cmp_to_dtype(p32.get(), dt, &r));
        Handle rounded(r);
        EXPECT_EQ(values_of(p.get()), values_of(rounded.get())) << "dtype " << dt;
    }
}

// A tensor large enough to be split over the pool, updated whole and in 1-D slices (views with
// offsets): every element must come out the same, for each optimizer.
TEST(OptimAbi, LargeTensorsMatchSlicedUpdates) {
    const int64_t n = 100003, piece = 777;
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64}) {
        Handle g = tensor_from(ramp(n, -0.4, 0.01), {n}, dt);
        for (int which = 0; which < 4; ++which) {
            Handle pw = tensor_from(ramp(n, 0.2, -0.003), {n}, dt), ps = tensor_from(ramp(n, 0.2, -0.003), {n}, dt);
            Handle aw = zeros({n}, dt), as = zeros({n}, dt), bw = zeros({n}, dt), bs = zeros({n}, dt);
            auto run = [&](cmp_tensor p, cmp_tensor gr, cmp_tensor s0, cmp_tensor s1) {
                switch (which) {
                    case 0: return cmp_sgd_step(p, gr, s0, 0.1, 0.9, 0.1, 0.01, 0, 0, 0);
                    case 1: return cmp_adam_step(p, gr, s0, s1, nullptr, 3, 1e-2, 0.9, 0.999, 1e-8, 0.01, 1, 0);
                    case 2: return cmp_rmsprop_step(p, gr, s0, s1, nullptr, 1e-2, 0.9, 1e-8, 0, 0, 1);
                    default: return cmp_adagrad_step(p, gr, s0, 2, 0.1, 0.1, 0, 1e-10, 0);
                }
            };
            for (int rep = 0; rep < 2; ++rep) {
                CMP_ASSERT_OK(run(pw.get(), g.get(), aw.get(), bw.get()));
                for (int64_t start = 0; start < n; start += piece) {
                    const int64_t len = std::min(piece, n - start);
                    cmp_tensor v[4] = {};
                    cmp_tensor src[4] = {ps.get(), g.get(), as.get(), bs.get()};
                    for (int k = 0; k < 4; ++k) CMP_ASSERT_OK(cmp_narrow(src[k], 0, start, len, &v[k]));
                    Handle h0(v[0]), h1(v[1]), h2(v[2]), h3(v[3]);
                    CMP_ASSERT_OK(run(v[0], v[1], v[2], v[3]));
                }
            }
            EXPECT_EQ(values_of(pw.get()), values_of(ps.get())) << "optimizer " << which << " dtype " << dt;
            EXPECT_EQ(values_of(aw.get()), values_of(as.get())) << "optimizer " << which << " dtype " << dt;
        }
    }
}

uint64_t version_of(cmp_tensor t) {
    uint64_t v = 0;
    EXPECT_EQ(cmp_tensor_version(t, &v), CMP_STATUS_OK) << cmp_last_error();
    return v;
}

// A step writes param and state in place: each one's version counter goes up by one (autograd
// relies on it to refuse a backward through tensors changed after they were saved); grad is
// only read.
TEST(OptimAbi, StepsBumpVersionCountersOfWhatTheyWrite) {
    Handle p = tensor_from(ramp(4, 0.1, 0.2), {4}, CMP_DTYPE_FLOAT32);
    Handle g = tensor_from(ramp(4, 0.3, 0.1), {4}, CMP_DTYPE_FLOAT32);
    Handle m = zeros({4}, CMP_DTYPE_FLOAT32), v = zeros({4}, CMP_DTYPE_FLOAT32);
    const uint64_t p0 = version_of(p.get()), m0 = version_of(m.get()), v0 = version_of(v.get()), g0 = version_of(g.get());
    CMP_ASSERT_OK(cmp_adam_step(p.get(), g.get(), m.get(), v.get(), nullptr, 1, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0));
    EXPECT_EQ(version_of(p.get()), p0 + 1);
    EXPECT_EQ(version_of(m.get()), m0 + 1);
    EXPECT_EQ(version_of(v.get()), v0 + 1);
    EXPECT_EQ(version_of(g.get()), g0);
    CMP_ASSERT_OK(cmp_sgd_step(p.get(), g.get(), nullptr, 0.1, 0, 0, 0, 0, 0, 0));
    EXPECT_EQ(version_of(p.get()), p0 + 2);
}

}  // namespace
}  // namespace cmp::testing
