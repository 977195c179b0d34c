// Device parity of the rearranging ops and factories that run on CUDA since the shape slice:
// flip (a view with negative strides laid out by the copy kernel), roll (block copies),
// tril / triu (cuda/triangle.cu), eye (fill_ of a diagonal view), arange / linspace / logspace /
// tril_indices / triu_indices (built on the CPU, moved). Each op runs on the CPU and the GPU from
// the same input and must give the same elements bit for bit (nothing is computed: every element
// is moved or zeroed), in every dtype, bool and integers included.
#include "cuda_parity_util.h"

#include <functional>

namespace cmp::testing {
namespace {

using Op = std::function<cmp_status(cmp_tensor, cmp_tensor*)>;

// op on the CPU tensor and on its CUDA copy (and on the transposed view of each when
// transpose): same sizes, the GPU result on the GPU, identical values.
void expect_same(const Handle& host, const Op& op, const std::string& what, bool transpose = false) {
    Handle dev = cuda(host);
    Handle h = transpose ? transposed(host) : Handle(nullptr), d = transpose ? transposed(dev) : Handle(nullptr);
    cmp_tensor in_cpu = transpose ? h.get() : host.get(), in_gpu = transpose ? d.get() : dev.get();
    cmp_tensor cpu_out = nullptr, gpu_out = nullptr;
    const cmp_status cs = op(in_cpu, &cpu_out);
    const cmp_status gs = op(in_gpu, &gpu_out);
    Handle c(cpu_out), g(gpu_out);
    ASSERT_EQ(gs, cs) << what << ": " << cmp_last_error();
    if (cs != CMP_STATUS_OK) return;
    EXPECT_EQ(device_of(gpu_out).type, CMP_DEVICE_CUDA) << what;
    EXPECT_EQ(sizes_of(gpu_out), sizes_of(cpu_out)) << what;
    expect_identical(host_values(gpu_out), host_values(cpu_out), what);
}

std::string name(const char* op, cmp_dtype dt, const std::vector<int64_t>& sizes) {
    std::string s = std::string(op) + " dtype " + std::to_string(dt) + " [";
    for (int64_t n : sizes) s += std::to_string(n) + ",";
    return s + "]";
}

// Values with signed zeros, NaN and infinities where the dtype has them.
Handle input(const std::vector<int64_t>& sizes, cmp_dtype dt) {
    int64_t n = 1;
    for (int64_t s : sizes) n *= s;
    std::vector<double> v = sample(n);
    const bool floating = dt == CMP_DTYPE_FLOAT32 || dt == CMP_DTYPE_FLOAT64 || dt == CMP_DTYPE_FLOAT16 ||
                          dt == CMP_DTYPE_BFLOAT16;
    if (floating && n > 3) {
        v[0] = -0.0;
        v[1] = std::nan("");
        v[2] = INFINITY;
        v[3] = -INFINITY;
    }
    if (dt == CMP_DTYPE_UINT8)
        for (double& x : v) x = std::fabs(x) * 4;
    return tensor_from(v, sizes, dt);
}

TEST_F(CudaParity, FlipMatchesTheCpuForEveryDtypeAndDims) {
    const std::vector<std::vector<int64_t>> dim_sets = {{0}, {1}, {2}, {-1}, {0, 2}, {0, 1, 2}, {}};
    for (cmp_dtype dt : kAllDtypes) {
        const std::vector<int64_t> sizes = {3, 5, 7};
        const Handle host = input(sizes, dt);
        for (const auto& dims : dim_sets) {
            const Op op = [&](cmp_tensor t, cmp_tensor* out) {
                return cmp_flip(t, dims.data(), static_cast<int64_t>(dims.size()), out);
            };
            expect_same(host, op, name("flip", dt, dims));
            expect_same(host, op, name("flip of a transposed view", dt, dims), true);
        }
    }
    // Large enough for many blocks of the grid-stride loop, 0-dim and empty tensors.
    const Handle big = input({1000, 700}, CMP_DTYPE_FLOAT32);
    const int64_t d1[] = {1};
    expect_same(big, [&](cmp_tensor t, cmp_tensor* out) { return cmp_flip(t, d1, 1, out); }, "flip [1000, 700]");
    const Handle empty = input({0, 4}, CMP_DTYPE_INT32);
    const int64_t both[] = {0, 1};
    expect_same(empty, [&](cmp_tensor t, cmp_tensor* out) { return cmp_flip(t, both, 2, out); }, "flip [0, 4]");
    const Handle scalar = input({}, CMP_DTYPE_FLOAT64);
    expect_same(scalar, [&](cmp_tensor t, cmp_tensor* out) { return cmp_flip(t, nullptr, 0, out); }, "flip 0-dim");
}

TEST_F(CudaParity, RollMatchesTheCpuForEveryDtypeAndShift) {
    struct Case {
        std::vector<int64_t> shifts, dims;
    };
    const std::vector<Case> cases = {{{1}, {0}}, {{-2}, {1}}, {{9}, {2}}, {{2, -1}, {0, 2}}, {{4}, {}}, {{-13}, {}}};
    for (cmp_dtype dt : kAllDtypes) {
        const Handle host = input({3, 4, 5}, dt);
        for (const Case& c : cases) {
            const Op op = [&](cmp_tensor t, cmp_tensor* out) {
                return cmp_roll(t, c.shifts.data(), static_cast<int64_t>(c.shifts.size()), c.dims.data(),
                                static_cast<int64_t>(c.dims.size()), out);
            };
            expect_same(host, op, name("roll", dt, c.shifts));
            expect_same(host, op, name("roll of a transposed view", dt, c.shifts), true);
        }
    }
}

TEST_F(CudaParity, TrilAndTriuMatchTheCpuForEveryDtypeAndDiagonal) {
    const std::vector<std::vector<int64_t>> shapes = {{4, 6}, {6, 4}, {2, 3, 5, 4}, {1, 1}, {0, 3}, {2, 0, 3}};
    for (cmp_dtype dt : kAllDtypes)
        for (const auto& sizes : shapes) {
            const Handle host = input(sizes, dt);
            for (int64_t diagonal = -7; diagonal <= 7; ++diagonal) {
                const Op lower = [&](cmp_tensor t, cmp_tensor* out) { return cmp_tril(t, diagonal, out); };
                const Op upper = [&](cmp_tensor t, cmp_tensor* out) { return cmp_triu(t, diagonal, out); };
                const std::string at = " diagonal " + std::to_string(diagonal);
                expect_same(host, lower, name("tril", dt, sizes) + at);
                expect_same(host, upper, name("triu", dt, sizes) + at);
                if (sizes.size() == 2) {
                    expect_same(host, lower, name("tril of a transposed view", dt, sizes) + at, true);
                    expect_same(host, upper, name("triu of a transposed view", dt, sizes) + at, true);
                }
            }
        }
    // A causal mask's size, many blocks; a 1-D input is the CPU's error on both.
    const Handle big = input({4, 1024, 1024}, CMP_DTYPE_FLOAT32);
    expect_same(big, [](cmp_tensor t, cmp_tensor* out) { return cmp_triu(t, 1, out); }, "triu [4, 1024, 1024]");
    const Handle vec = input({5}, CMP_DTYPE_FLOAT32);
    expect_same(vec, [](cmp_tensor t, cmp_tensor* out) { return cmp_tril(t, 0, out); }, "tril of a vector");
}

TEST_F(CudaParity, FactoriesMatchTheCpu) {
    for (cmp_dtype dt : kAllDtypes)
        for (const auto& nm : std::vector<std::pair<int64_t, int64_t>>{{3, 3}, {2, 5}, {5, 2}, {0, 4}, {1, 1}}) {
            cmp_tensor c = nullptr, g = nullptr;
            const cmp_status cs = cmp_eye(nm.first, nm.second, dt, cpu_device(), &c);
            const cmp_status gs = cmp_eye(nm.first, nm.second, dt, cuda_device(), &g);
            Handle hc(c), hg(g);
            ASSERT_EQ(gs, cs) << cmp_last_error();
            ASSERT_EQ(cs, CMP_STATUS_OK) << cmp_last_error();
            EXPECT_EQ(device_of(g).type, CMP_DEVICE_CUDA);
            expect_identical(host_values(g), host_values(c), name("eye", dt, {nm.first, nm.second}));
        }
    const cmp_scalar start{CMP_SCALAR_FLOAT, 0, -2.0, 0}, end{CMP_SCALAR_FLOAT, 0, 3.0, 0},
        step{CMP_SCALAR_FLOAT, 0, 0.25, 0};
    for (cmp_dtype dt : {CMP_DTYPE_FLOAT32, CMP_DTYPE_FLOAT64, CMP_DTYPE_FLOAT16, CMP_DTYPE_BFLOAT16}) {
        cmp_tensor c = nullptr, g = nullptr;
        CMP_ASSERT_OK(cmp_arange(start, end, step, dt, cpu_device(), &c));
        CMP_ASSERT_OK(cmp_arange(start, end, step, dt, cuda_device(), &g));
        Handle hc(c), hg(g);
        expect_identical(host_values(g), host_values(c), name("arange", dt, {}));
        cmp_tensor c2 = nullptr, g2 = nullptr;
        CMP_ASSERT_OK(cmp_linspace(start, end, 11, dt, cpu_device(), &c2));
        CMP_ASSERT_OK(cmp_linspace(start, end, 11, dt, cuda_device(), &g2));
        Handle hc2(c2), hg2(g2);
        expect_identical(host_values(g2), host_values(c2), name("linspace", dt, {}));
    }
    for (int64_t offset : {-1, 0, 2}) {
        cmp_tensor c = nullptr, g = nullptr;
        CMP_ASSERT_OK(cmp_triu_indices(6, 5, offset, CMP_DTYPE_INT64, cpu_device(), &c));
        CMP_ASSERT_OK(cmp_triu_indices(6, 5, offset, CMP_DTYPE_INT64, cuda_device(), &g));
        Handle hc(c), hg(g);
        expect_identical(host_values(g), host_values(c), name("triu_indices", CMP_DTYPE_INT64, {6, 5}));
    }
}

}  // namespace
}  // namespace cmp::testing
