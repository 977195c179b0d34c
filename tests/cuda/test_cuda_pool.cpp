// Device parity of max, average and adaptive pooling with their backward (cuda/pool.cu): the
// cases of pool_cases.h (which the routing tests also run against the fake backend), values,
// indices and gradients equal to the CPU's (docs/CUDA.md); then what only a device shows: many
// blocks (a ResNet stem's pooling), gradients that are the same bits from run to run where many
// windows share an input (no atomics), and many outputs naming one input in max_pool_backward.
#include "cuda_parity_util.h"
#include "pool_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, PoolingMatchesTheCpu) { pool_cases::every_case(); }

TEST_F(CudaParity, LargePoolingMatchesTheCpu) {
    // A ResNet stem's max pooling (k3 s2 p1) and an average pooling over 8 x 64 x 56 x 56.
    const Handle x = tensor_from(sample(8 * 64 * 56 * 56), {8, 64, 56, 56}, CMP_DTYPE_FLOAT32);
    const int64_t k[2] = {3, 3}, s[2] = {2, 2}, p[2] = {1, 1};
    pool_cases::expect_same("large max_pool", x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, idx = nullptr, gi = nullptr;
        cmp_status st = cmp_max_pool(in, 2, k, s, p, nullptr, 0, &out, &idx);
        if (st != CMP_STATUS_OK) return st;
        r.emplace_back(out);
        r.emplace_back(idx);
        std::vector<Handle> keep;
        st = cmp_max_pool_backward(pool_cases::grad_like(out, keep), in, 2, idx, &gi);
        if (st == CMP_STATUS_OK) r.emplace_back(gi);
        return st;
    });
    pool_cases::expect_same("large avg_pool", x, [&](cmp_tensor in, std::vector<Handle>& r) {
        cmp_tensor out = nullptr, gi = nullptr;
        cmp_status st = cmp_avg_pool(in, 2, k, s, p, 0, 1, 0, &out);
        if (st != CMP_STATUS_OK) return st;
        r.emplace_back(out);
        std::vector<Handle> keep;
        st = cmp_avg_pool_backward(pool_cases::grad_like(out, keep), in, 2, k, s, p, 0, 1, 0, &gi);
        if (st == CMP_STATUS_OK) r.emplace_back(gi);
        return st;
    });
}

TEST_F(CudaParity, PoolingGradientsAreTheSameBitsOnEveryRun) {
    // Ties everywhere: stride-1 max windows name the same inputs many times; adaptive windows of
    // 3 -> 64 repeat each input about 21 times.
    const Handle x = pool_cases::input_of({4, 8, 33, 33}, CMP_DTYPE_FLOAT32, pool_cases::Fill::Ties, false);
    const Handle dx = cuda(x);
    const int64_t k[2] = {5, 5}, s[2] = {1, 1}, p[2] = {2, 2};
    cmp_tensor out = nullptr, idx = nullptr;
    CMP_ASSERT_OK(cmp_max_pool(dx.get(), 2, k, s, p, nullptr, 0, &out, &idx));
    const Handle dout(out), didx(idx);
    std::vector<Handle> keep;
    const cmp_tensor g = pool_cases::grad_like(dout.get(), keep);
    std::vector<double> first;
    for (int run = 0; run < 3; ++run) {
        cmp_tensor gi = nullptr, ga = nullptr;
        CMP_ASSERT_OK(cmp_max_pool_backward(g, dx.get(), 2, didx.get(), &gi));
        const Handle hgi(gi);
        CMP_ASSERT_OK(cmp_avg_pool_backward(g, dx.get(), 2, k, s, p, 0, 1, 0, &ga));
        const Handle hga(ga);
        std::vector<double> v = host_values(hgi.get());
        const std::vector<double> a = host_values(hga.get());
        v.insert(v.end(), a.begin(), a.end());
        if (run == 0) first = v;
        else expect_identical(v, first, "run " + std::to_string(run));
    }
    const pool_cases::AdaptiveCase up{"3x3 -> 64x64", {2, 3, 3, 3}, {64, 64}};
    pool_cases::adaptive_case(up, CMP_DTYPE_FLOAT64);
}

}  // namespace
}  // namespace cmp::testing
