// Device parity of layer norm, RMS norm and group norm with their backward (cuda/row_norm.cu):
// the cases of row_norm_cases.h (which the routing tests also run against the fake backend) in
// every floating dtype, bounds derived there and in docs/CUDA.md; then what only a device shows:
// a strided input (made dense by the copy kernel first), and that the parameter gradients, summed
// without atomics, are the same bits from run to run on a size that spreads them over many blocks.
#include "cuda_parity_util.h"
#include "row_norm_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, RowNormsMatchTheCpu) { row_norm_cases::every_case(); }

TEST_F(CudaParity, LayerNormOfAStridedInputMatchesTheCpu) {
    const Handle host = tensor_from(sample(8 * 40, 0.25), {8, 40}, CMP_DTYPE_FLOAT32);
    const Handle t_host = transposed(host), t_dev = transposed(cuda(host));
    const int64_t ns[] = {8};
    cmp_tensor y = nullptr, mean = nullptr, rstd = nullptr;
    ASSERT_EQ(cmp_layer_norm(t_host.get(), ns, 1, nullptr, nullptr, 1e-5, &y, &mean, &rstd), CMP_STATUS_OK) << cmp_last_error();
    const Handle hy(y), hmean(mean), hrstd(rstd);
    ASSERT_EQ(cmp_layer_norm(t_dev.get(), ns, 1, nullptr, nullptr, 1e-5, &y, &mean, &rstd), CMP_STATUS_OK) << cmp_last_error();
    const Handle dy(y), dmean(mean), drstd(rstd);
    // Rows of 8: row_norm_cases.h's forward bound with n = 8.
    const double bound = tolerance(CMP_DTYPE_FLOAT32) + row_norm_cases::kFwd * 8 * std::ldexp(1.0, -24);
    expect_close(host_values(dy.get()), values_of(hy.get()), bound, "strided layer_norm out");
    expect_close(host_values(drstd.get()), values_of(hrstd.get()), bound, "strided layer_norm rstd");
}

TEST_F(CudaParity, ParameterGradientsAreTheSameBitsOnEveryRun) {
    // 3000 rows of 96 (layer norm: tiles of 32 parameters over 8 row slices) and 64 groups of
    // 2 channels x 900 (group norm: a block per parameter).
    const row_norm_cases::Case cases[] = {
        {"layer_norm", {3000, 96}, row_norm_cases::Kind::Layer, {96}},
        {"group_norm", {4, 128, 30, 30}, row_norm_cases::Kind::Group, {}, 64},
    };
    for (const auto& c : cases) {
        const row_norm_cases::Inputs host = row_norm_cases::inputs_of(c, CMP_DTYPE_FLOAT32);
        const row_norm_cases::Inputs dev{cuda(host.x), row_norm_cases::on(host.w, cuda_device()),
                                         row_norm_cases::on(host.b, cuda_device()), cuda(host.go)};
        std::vector<double> first_w, first_b;
        for (int run = 0; run < 3; ++run) {
            row_norm_cases::Results r;
            ASSERT_EQ(row_norm_cases::forward(c, dev, r), CMP_STATUS_OK) << cmp_last_error();
            ASSERT_EQ(row_norm_cases::backward(c, dev, r), CMP_STATUS_OK) << cmp_last_error();
            const std::vector<double> w = host_values(r.gw.get()), b = host_values(r.gb.get());
            if (run == 0) {
                first_w = w;
                first_b = b;
            } else {
                expect_identical(w, first_w, c.name + " grad_weight, run " + std::to_string(run));
                expect_identical(b, first_b, c.name + " grad_bias, run " + std::to_string(run));
            }
        }
    }
}

}  // namespace
}  // namespace cmp::testing
