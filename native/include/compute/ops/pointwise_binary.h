/*
 * compute/ops/pointwise_binary.h - part of the C ABI: Pointwise: binary and ternary ops, in-place and scalar forms (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_POINTWISE_BINARY_H
#define COMPUTE_OPS_POINTWISE_BINARY_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/pointwise_binary.h"
#endif


/** Rounding of cmp_div_rounding (PyTorch's rounding_mode); passed as an int32_t. */
typedef enum cmp_rounding_mode {
    /** No rounding: true division, as cmp_div. */
    CMP_ROUNDING_NONE = 0,
    /** Round the quotient toward zero ('trunc'). */
    CMP_ROUNDING_TRUNC = 1,
    /** Round the quotient toward negative infinity ('floor'). */
    CMP_ROUNDING_FLOOR = 2
} cmp_rounding_mode;

/**
 * a / b rounded as rounding_mode (a cmp_rounding_mode value) says. With TRUNC or FLOOR the
 * result keeps the promoted dtype (integers stay integers; integer division by zero fails
 * with "ZeroDivisionError"); with NONE it is true division.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_div_rounding(cmp_tensor a, cmp_tensor b, int32_t rounding_mode, cmp_tensor* out);

/** a = a / b rounded as rounding_mode says, in place. */
CMP_API cmp_status cmp_div_rounding_(cmp_tensor a, cmp_tensor b, int32_t rounding_mode);

/** floor(a / b) (torch.floor_divide; same as cmp_div_rounding with FLOOR). Dtypes: all but bool. */
CMP_API cmp_status cmp_floor_divide(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = floor(a / b), in place. */
CMP_API cmp_status cmp_floor_divide_(cmp_tensor a, cmp_tensor b);

/** Remainder with the sign of the divisor, as Python's % (torch.remainder). Not for bool. */
CMP_API cmp_status cmp_remainder(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = remainder(a, b), in place. */
CMP_API cmp_status cmp_remainder_(cmp_tensor a, cmp_tensor b);

/** Remainder with the sign of the dividend, as C's fmod (torch.fmod). Not for bool. */
CMP_API cmp_status cmp_fmod(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = fmod(a, b), in place. */
CMP_API cmp_status cmp_fmod_(cmp_tensor a, cmp_tensor b);

/**
 * a to the power b (torch.pow). Either side may be a wrapped number (cmp_scalar_tensor);
 * integers to a negative wrapped integer power fail as in PyTorch. Not for two bools.
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_pow(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = a to the power b, in place. */
CMP_API cmp_status cmp_pow_(cmp_tensor a, cmp_tensor b);

/** atan(a / b) in the quadrant of (b, a) (torch.atan2); integer inputs give float32. */
CMP_API cmp_status cmp_atan2(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = atan2(a, b), in place. */
CMP_API cmp_status cmp_atan2_(cmp_tensor a, cmp_tensor b);

/** sqrt(a^2 + b^2) without undue overflow (torch.hypot); floating dtypes only. */
CMP_API cmp_status cmp_hypot(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = hypot(a, b), in place. */
CMP_API cmp_status cmp_hypot_(cmp_tensor a, cmp_tensor b);

/** Elementwise maximum; NaN if either is NaN (torch.maximum). Dtypes: all. */
CMP_API cmp_status cmp_maximum(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise minimum; NaN if either is NaN (torch.minimum). Dtypes: all. */
CMP_API cmp_status cmp_minimum(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise maximum ignoring NaN: NaN only when both are NaN (torch.fmax). Dtypes: all. */
CMP_API cmp_status cmp_fmax(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise minimum ignoring NaN: NaN only when both are NaN (torch.fmin). Dtypes: all. */
CMP_API cmp_status cmp_fmin(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** |a| with the sign of b (torch.copysign); integer inputs give float32. */
CMP_API cmp_status cmp_copysign(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = copysign(a, b), in place. */
CMP_API cmp_status cmp_copysign_(cmp_tensor a, cmp_tensor b);

/** a AND b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_and(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a &= b, in place. */
CMP_API cmp_status cmp_bitwise_and_(cmp_tensor a, cmp_tensor b);

/** a OR b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_or(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a |= b, in place. */
CMP_API cmp_status cmp_bitwise_or_(cmp_tensor a, cmp_tensor b);

/** a XOR b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_xor(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a ^= b, in place. */
CMP_API cmp_status cmp_bitwise_xor_(cmp_tensor a, cmp_tensor b);

/** a shifted left by b bits; shifts outside [0, bit width) give 0. Integer dtypes only. Dtypes: integer. */
CMP_API cmp_status cmp_bitwise_left_shift(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a <<= b, in place. */
CMP_API cmp_status cmp_bitwise_left_shift_(cmp_tensor a, cmp_tensor b);

/**
 * a shifted right by b bits (arithmetic for signed types); shifts outside [0, bit width)
 * give the sign fill (0 or -1). Integer dtypes only.
 * Dtypes: integer.
 */
CMP_API cmp_status cmp_bitwise_right_shift(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a >>= b, in place. */
CMP_API cmp_status cmp_bitwise_right_shift_(cmp_tensor a, cmp_tensor b);

/** (a != 0) AND (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_and(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_and(a, b) stored in a's dtype (1 or 0), in place. */
CMP_API cmp_status cmp_logical_and_(cmp_tensor a, cmp_tensor b);

/** (a != 0) OR (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_or(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_or(a, b) stored in a's dtype, in place. */
CMP_API cmp_status cmp_logical_or_(cmp_tensor a, cmp_tensor b);

/** (a != 0) XOR (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_xor(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_xor(a, b) stored in a's dtype, in place. */
CMP_API cmp_status cmp_logical_xor_(cmp_tensor a, cmp_tensor b);

/**
 * a where condition is true, else b (torch.where). condition must be bool; the three
 * broadcast together and a and b are promoted to their common dtype (either may be a
 * wrapped number).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_where(cmp_tensor condition, cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/**
 * a + weight * (end - a) (torch.lerp). a, end and weight must share one floating dtype.
 */
CMP_API cmp_status cmp_lerp(cmp_tensor a, cmp_tensor end, cmp_tensor weight, cmp_tensor* out);

/** a = lerp(a, end, weight), in place. */
CMP_API cmp_status cmp_lerp_(cmp_tensor a, cmp_tensor end, cmp_tensor weight);

/** a + weight * (end - a) with a number as weight; a and end share one floating dtype. */
CMP_API cmp_status cmp_lerp_scalar(cmp_tensor a, cmp_tensor end, cmp_scalar weight, cmp_tensor* out);

/** a = lerp(a, end, weight) with a number as weight, in place. */
CMP_API cmp_status cmp_lerp_scalar_(cmp_tensor a, cmp_tensor end, cmp_scalar weight);

/** a + value * tensor1 * tensor2, broadcasting and promoting (torch.addcmul). Dtypes: all but bool. */
CMP_API cmp_status cmp_addcmul(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out);

/** a += value * tensor1 * tensor2, in place. */
CMP_API cmp_status cmp_addcmul_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value);

/**
 * a + value * tensor1 / tensor2 (torch.addcdiv); two integer divisor operands are rejected
 * as in PyTorch.
 * Dtypes: floating.
 */
CMP_API cmp_status cmp_addcdiv(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out);

/** a += value * tensor1 / tensor2, in place. */
CMP_API cmp_status cmp_addcdiv_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value);

/**
 * A copy of a (broadcast with mask) with value, converted to a's dtype, where the bool mask
 * is true (torch.masked_fill).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_masked_fill(cmp_tensor a, cmp_tensor mask, cmp_scalar value, cmp_tensor* out);

/** Writes value into a where mask is true, in place; mask broadcasts to a's shape. */
CMP_API cmp_status cmp_masked_fill_(cmp_tensor a, cmp_tensor mask, cmp_scalar value);

/** cmp_masked_fill with the value given as a 0-dim tensor. */
CMP_API cmp_status cmp_masked_fill_tensor(cmp_tensor a, cmp_tensor mask, cmp_tensor value, cmp_tensor* out);

/** cmp_masked_fill_ with the value given as a 0-dim tensor. */
CMP_API cmp_status cmp_masked_fill_tensor_(cmp_tensor a, cmp_tensor mask, cmp_tensor value);

/* end of section: pointwise-binary */

#endif /* COMPUTE_OPS_POINTWISE_BINARY_H */
