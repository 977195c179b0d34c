// Device parity of nonzero, masked_select, index, index_put and index_put_ (cuda/nonzero.cu,
// cuda/advanced_index.cu): the cases of advanced_index_cases.h (which the routing tests also run
// against the fake backend) in every dtype, identical bits required (docs/CUDA.md); then what only
// a device shows: many blocks (CUB's multi-block scan and sort), and accumulating puts with many
// repeated targets giving the same bits on every run.
#include "advanced_index_cases.h"
#include "cuda_parity_util.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, NonzeroMaskedSelectAndAdvancedIndexingMatchTheCpu) { advanced_index_cases::every_case(); }

TEST_F(CudaParity, LargeNonzeroAndIndexingMatchTheCpu) {
    // 2^20 elements, about a third zero: the scan and the coordinates over many blocks.
    std::vector<double> v(1 << 20);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 2654435761u) % 3);
    const Handle self = tensor_from(v, {1024, 1024}, CMP_DTYPE_FLOAT32);
    index_cases::expect_same("large nonzero", {&self}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_nonzero(t[0], out);
    });
    const Handle mask = tensor_from(v, {1024, 1024}, CMP_DTYPE_BOOL);
    index_cases::expect_same("large masked_select", {&self, &mask}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_masked_select(t[0], t[1], out);
    });
    // 300000 rows of a [1024, 16] table (about 293 repeats each), then puts of 65536 rows into it
    // with and without accumulate.
    std::vector<double> iv(300000);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<double>((i * 7919) % 1024);
    const Handle rows = tensor_from(iv, {300000}, CMP_DTYPE_INT64);
    const Handle table = tensor_from(sample(1024 * 16), {1024, 16}, CMP_DTYPE_FLOAT32);
    index_cases::expect_same("large index", {&table, &rows}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        cmp_tensor e[] = {t[1]};
        return cmp_index(t[0], e, 1, out);
    });
    const Handle cols = tensor_from(std::vector<double>(iv.begin(), iv.begin() + 65536), {65536}, CMP_DTYPE_INT64);
    const Handle vals = tensor_from(sample(65536 * 16, 0.5), {65536, 16}, CMP_DTYPE_FLOAT32);
    for (int32_t accumulate : {0, 1})
        index_cases::expect_same("large index_put accumulate " + std::to_string(accumulate), {&table, &cols, &vals},
                                 [&](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
                                     cmp_tensor e[] = {t[1]};
                                     return cmp_index_put(t[0], e, 1, t[2], accumulate, out);
                                 });
}

TEST_F(CudaParity, AccumulatingPutsAreTheSameBitsOnEveryRun) {
    std::vector<double> iv(50000);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<double>((i * 7919) % 37);
    const Handle index = cuda(tensor_from(iv, {50000}, CMP_DTYPE_INT64));
    const Handle vals = cuda(tensor_from(sample(50000 * 8, 0.5), {50000, 8}, CMP_DTYPE_FLOAT32));
    const Handle table = cuda(tensor_from(sample(37 * 8), {37, 8}, CMP_DTYPE_FLOAT32));
    std::vector<double> first;
    for (int run = 0; run < 3; ++run) {
        cmp_tensor out = nullptr;
        cmp_tensor e[] = {index.get()};
        ASSERT_EQ(cmp_index_put(table.get(), e, 1, vals.get(), 1, &out), CMP_STATUS_OK) << cmp_last_error();
        const Handle r(out);
        const std::vector<double> v = host_values(r.get());
        if (run == 0) first = v;
        else expect_identical(v, first, "index_put accumulate run " + std::to_string(run));
    }
}

}  // namespace
}  // namespace cmp::testing
