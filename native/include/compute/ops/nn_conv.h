/*
 * compute/ops/nn_conv.h - part of the C ABI: Convolutions and transposed convolutions: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_CONV_H
#define COMPUTE_OPS_NN_CONV_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_conv.h"
#endif



/* end of section: nn_conv */

#endif /* COMPUTE_OPS_NN_CONV_H */
