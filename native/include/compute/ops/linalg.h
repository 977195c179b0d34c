/*
 * compute/ops/linalg.h - part of the C ABI: Linear algebra beyond matmul (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_LINALG_H
#define COMPUTE_OPS_LINALG_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/linalg.h"
#endif


/** Product of two matrices (torch.mm): a is n x k, b is k x m, both of one dtype. Dtypes: all but bool. */
CMP_API cmp_status cmp_mm(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/**
 * Batched product of [B, n, k] and [B, k, m] tensors of one dtype (torch.bmm); no broadcasting.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_bmm(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Product of an n x k matrix and a k-vector (torch.mv). Dtypes: all but bool. */
CMP_API cmp_status cmp_mv(cmp_tensor mat, cmp_tensor vec, cmp_tensor* out);

/**
 * Dot product of two 1-D tensors of one size and dtype, as a 0-dim tensor (torch.dot).
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_dot(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Outer product of two 1-D tensors (torch.outer); dtypes promote. */
CMP_API cmp_status cmp_outer(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/**
 * beta * input + alpha * (mat1 @ mat2) (torch.addmm); input broadcasts to the product's
 * shape. With beta 0 input is ignored (its NaNs do not propagate). For integer tensors beta
 * and alpha are truncated toward zero, as PyTorch does.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_addmm(cmp_tensor input, cmp_tensor mat1, cmp_tensor mat2, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/**
 * beta * input + alpha * (batch1 @ batch2) for [B, n, k] and [B, k, m] batches (torch.baddbmm); as cmp_addmm.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_baddbmm(cmp_tensor input, cmp_tensor batch1, cmp_tensor batch2, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/** beta * input + alpha * (mat @ vec) (torch.addmv); as cmp_addmm. Dtypes: all but bool. */
CMP_API cmp_status cmp_addmv(cmp_tensor input, cmp_tensor mat, cmp_tensor vec, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/**
 * Einstein summation over count operands (torch.einsum). equation is NUL-terminated UTF-8 such
 * as "bij,bjk->bik": subscripts in [a-zA-Z], "..." for broadcast dims, a subscript repeated in
 * one operand takes its diagonal, subscripts missing from the output are summed; without "->"
 * the output holds the subscripts seen once, in alphabetical order (upper case first).
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_einsum(const char* equation, const cmp_tensor* operands, int64_t count, cmp_tensor* out);

/* end of section: linalg */

#endif /* COMPUTE_OPS_LINALG_H */
