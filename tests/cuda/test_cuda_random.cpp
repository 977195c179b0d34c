// Device parity of the random fills (cuda/random.cu): rand, randn, normal, uniform_, randint, bernoulli and
// dropout's mask, and randperm and multinomial (cuda/randperm_multinomial.cu), on the GPU give the
// CPU's numbers bit for bit from the same generator state and advance the generator as the CPU does (the cases are random_cases.h, which the routing
// tests also run against the fake backend).
#include "cuda_parity_util.h"
#include "random_cases.h"

namespace cmp::testing {
namespace {

TEST_F(CudaParity, RandAndRandnAreTheCpusNumbers) { random_cases::rand_and_randn(); }

TEST_F(CudaParity, RandintIsTheCpusNumbers) { random_cases::randint(); }

TEST_F(CudaParity, BernoulliIsTheCpusNumbers) {
    random_cases::bernoulli_of_a_number();
    random_cases::bernoulli_of_a_tensor();
}

TEST_F(CudaParity, BernoulliChecksItsP) { random_cases::bernoulli_refuses_p_outside_0_1(); }

TEST_F(CudaParity, NormalAndUniformAreTheCpusNumbers) { random_cases::normal_and_uniform(/*with_kernels=*/true); }

TEST_F(CudaParity, NormalChecksItsStd) { random_cases::normal_refuses_a_negative_std(); }

TEST_F(CudaParity, DropoutIsTheCpusMask) { random_cases::dropout(); }

// randperm: the keys drawn on the device, CUB's stable radix sort (cuda/randperm_multinomial.cu).
TEST_F(CudaParity, RandpermIsTheCpusPermutation) { random_cases::randperm(); }

TEST_F(CudaParity, RandpermChecksItsArguments) { random_cases::randperm_refusals(); }

// multinomial: the checks, the running sums / keys and the segmented sort on the device
// (core/multinomial_rows.h on both devices), ties among zero-probability categories in index order.
TEST_F(CudaParity, MultinomialIsTheCpusSamples) { random_cases::multinomial(); }

TEST_F(CudaParity, MultinomialChecksItsProbabilities) { random_cases::multinomial_refusals(); }

}  // namespace
}  // namespace cmp::testing
