/*
 * compute/ops/nn_loss.h - part of the C ABI: Loss functions and scaled dot-product attention: forward and backward (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_NN_LOSS_H
#define COMPUTE_OPS_NN_LOSS_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/nn_loss.h"
#endif



/* end of section: nn_loss */

#endif /* COMPUTE_OPS_NN_LOSS_H */
