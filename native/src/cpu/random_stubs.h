// Kernels of rand, randn, randint (ops/random.cpp) and bernoulli (ops/distributions.cpp): contiguous fills from the default Philox stream,
// 16 blocks at a time in vector lanes (cpu/philox_lanes.h). The values are core/philox.h's
// layout bit for bit; the op reserves the blocks, the kernel only computes them.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cstdint>

namespace cmp::cpu {

// The blocks a fill reserved: element i comes from block offset + i / E (E = 4 for the 32-bit
// floating dtypes, 2 for float64).
struct RandomDraw {
    uint64_t seed;
    uint64_t offset;
};

// out[0 .. n) of a floating dtype = rand's uniforms in [0, 1).
CMP_DECLARE_STUB(rand_stub, void (*)(DType, const RandomDraw&, int64_t n, void* out));
// out[0 .. n) of a floating dtype = randn's standard normals (core/box_muller.h).
CMP_DECLARE_STUB(randn_stub, void (*)(DType, const RandomDraw&, int64_t n, void* out));
// out[0 .. n) of any dtype = low + (u64 mod range), u64 the word pair of rand float64's element
// i (E = 2); range = high - low as uint64, at least 1.
CMP_DECLARE_STUB(randint_stub, void (*)(DType, const RandomDraw&, int64_t n, int64_t low, uint64_t range, void* out));
// out[0 .. n) of any dtype = 1 where rand's float64 element i is < p[i] (p_all when p is null),
// else 0 (E = 2, as float64 rand). p: n contiguous values of p_dtype, float32 or float64 (a
// float32 p is compared as the double it converts to exactly, so the decisions are those of
// the float64 definition).
CMP_DECLARE_STUB(bernoulli_stub, void (*)(DType, const RandomDraw&, int64_t n, const void* p, DType p_dtype,
                                          double p_all, void* out));

}  // namespace cmp::cpu
