// Device parity of sort / argsort / msort / topk and searchsorted / bucketize (cuda/sort_search.cu),
// and unique / unique_consecutive composed of them (ops/sort_search_unique.cpp):
// on the GPU every value and index is the CPU's bit for bit -- the same keys (cpu/sort_key.h: NaN
// largest, -0.0 equal to 0.0, ties in increasing index in both directions) through CUB's stable
// radix sort, and the same bisection -- so no tolerance is involved (docs/CUDA.md). The cases are
// sort_cases.h, which the routing tests also run against the fake backend.
#include "cuda_parity_util.h"
#include "sort_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, SortArgsortMsortAreTheCpus) { sort_cases::sort_argsort_msort(); }

TEST_F(CudaParity, TopkIsTheCpus) { sort_cases::topk(); }

TEST_F(CudaParity, SortRefusalsAreTheCpus) { sort_cases::sort_refusals(); }

TEST_F(CudaParity, SearchsortedAndBucketizeAreTheCpus) { sort_cases::searches(); }

TEST_F(CudaParity, SearchRefusalsAreTheCpus) { sort_cases::search_refusals(); }

TEST_F(CudaParity, UniqueAndUniqueConsecutiveAreTheCpus) { sort_cases::uniques(); }

}  // namespace
}  // namespace cmp::testing
