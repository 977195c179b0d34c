// Device parity of gather, index_select, embedding and embedding_backward (cuda/index.cu): the
// cases of index_cases.h (which the routing tests also run against the fake backend) in every
// dtype, identical bits required (docs/CUDA.md); then what only a device shows: int32 indices
// (converted by the copy kernel), a 0-dim index_select (cloned on the device), many blocks, and
// embedding_backward's sums being the same bits from run to run with many repeated indices.
#include "cuda_parity_util.h"
#include "index_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, GatherIndexSelectEmbeddingAndScattersMatchTheCpu) { index_cases::every_case(true); }

TEST_F(CudaParity, EmbeddingMaxNormMatchesTheCpu) { index_cases::every_max_norm_case(); }

TEST_F(CudaParity, IndexSelectAndEmbeddingTakeInt32Indices) {
    const Handle self = tensor_from(sample(6 * 5), {6, 5}, CMP_DTYPE_FLOAT32);
    const Handle index = tensor_from({5, 0, 3, 3}, {4}, CMP_DTYPE_INT32);
    index_cases::expect_same("index_select int32", {&self, &index}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_index_select(t[0], 1, t[1], out);
    });
    index_cases::expect_same("embedding int32", {&self, &index}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_embedding(t[0], t[1], 3, 1, nullptr, 2.0, out);
    });
    const Handle grad = tensor_from(sample(4 * 5), {4, 5}, CMP_DTYPE_FLOAT32);
    index_cases::expect_same("embedding_backward int32", {&grad, &index}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_embedding_backward(t[0], t[1], 6, 0, 0, 1, out);
    });
    const Handle scalar = tensor_from({2.5}, {}, CMP_DTYPE_FLOAT64);
    const Handle zero = tensor_from({0}, {1}, CMP_DTYPE_INT64);
    index_cases::expect_same("index_select 0-dim", {&scalar, &zero}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_index_select(t[0], 0, t[1], out);
    });
}

TEST_F(CudaParity, LargeGathersMatchTheCpu) {
    // 2^20 elements over many blocks, and a token table's lookup and gradient.
    const Handle self = tensor_from(sample(512 * 2048), {512, 2048}, CMP_DTYPE_FLOAT32);
    std::vector<double> iv(512 * 1024);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<double>((i * 2654435761u) % 2048);
    const Handle index = tensor_from(iv, {512, 1024}, CMP_DTYPE_INT64);
    index_cases::expect_same("large gather", {&self, &index}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_gather(t[0], 1, t[1], out);
    });
    const Handle tokens = tensor_from(std::vector<double>(iv.begin(), iv.begin() + 4096), {4096}, CMP_DTYPE_INT64);
    const Handle grad = tensor_from(sample(4096 * 256), {4096, 256}, CMP_DTYPE_FLOAT32);
    index_cases::expect_same("large embedding_backward", {&grad, &tokens}, [](const std::vector<cmp_tensor>& t, cmp_tensor* out) {
        return cmp_embedding_backward(t[0], t[1], 2048, 0, 1, 1, out);
    });
}

TEST_F(CudaParity, EmbeddingGradientsAreTheSameBitsOnEveryRun) {
    // 20000 indices over 37 rows (about 540 repeats each) and padding row 0.
    std::vector<double> iv(20000);
    for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<double>((i * 7919) % 37);
    const Handle indices = cuda(tensor_from(iv, {20000}, CMP_DTYPE_INT64));
    const Handle grad = cuda(tensor_from(sample(20000 * 64, 0.5), {20000, 64}, CMP_DTYPE_FLOAT32));
    std::vector<double> first;
    for (int run = 0; run < 3; ++run) {
        cmp_tensor out = nullptr;
        ASSERT_EQ(cmp_embedding_backward(grad.get(), indices.get(), 37, 0, 1, 0, &out), CMP_STATUS_OK) << cmp_last_error();
        const Handle g(out);
        const std::vector<double> v = host_values(g.get());
        if (run == 0) first = v;
        else expect_identical(v, first, "embedding_backward run " + std::to_string(run));
    }
}

}  // namespace
}  // namespace cmp::testing
