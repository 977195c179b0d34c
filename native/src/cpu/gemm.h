// General matrix multiply on the CPU: C = alpha * A * B + beta * C.
//
// Every matrix is given by a base pointer and a row stride and a column stride in elements,
// so transposed, sliced and broadcast views are multiplied without a copy: element (i, j) of
// A is a[i * rsa + j * csa]. A stride may be 0 (a broadcast operand) or negative.
//
// float32 and float64 run a BLIS-style packed GEMM (kernels/gemm_driver.h) with one
// register-blocked micro-kernel per instruction set, chosen at load time through the dispatch
// stubs below. float16/bfloat16 are computed in float32 and rounded once at the end; integer
// types use a plain kernel that wraps around on overflow exactly as the dtype's arithmetic
// does in PyTorch.
//
// beta == 0 means C is write-only: its old contents (possibly NaN or uninitialised memory)
// are never read, as in BLAS.
#pragma once

#include "core/dtype.h"
#include "cpu/dispatch_stub.h"

#include <cstdint>

namespace cmp::cpu {

template <typename T>
using gemm_fn = void (*)(int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t rsa, int64_t csa,
                         const T* b, int64_t rsb, int64_t csb, T beta, T* c, int64_t rsc, int64_t csc);

CMP_DECLARE_STUB(gemm_f32_stub, gemm_fn<float>);
CMP_DECLARE_STUB(gemm_f64_stub, gemm_fn<double>);

// Any dtype except bool. Runs in parallel over the thread pool when the product is large.
void gemm(DType dtype, int64_t m, int64_t n, int64_t k, double alpha, const void* a, int64_t rsa, int64_t csa,
          const void* b, int64_t rsb, int64_t csb, double beta, void* c, int64_t rsc, int64_t csc);

// A batch of products of the same shape: product i uses a + a_offsets[i], b + b_offsets[i] and
// c + c_offsets[i] (offsets in elements). Small products run in parallel across the batch,
// large ones one after the other with the parallelism inside each product.
void gemm_batched(DType dtype, int64_t batch, const int64_t* a_offsets, const int64_t* b_offsets,
                  const int64_t* c_offsets, int64_t m, int64_t n, int64_t k, double alpha, const void* a,
                  int64_t rsa, int64_t csa, const void* b, int64_t rsb, int64_t csb, double beta, void* c,
                  int64_t rsc, int64_t csc);

}  // namespace cmp::cpu
