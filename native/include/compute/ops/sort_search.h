/*
 * compute/ops/sort_search.h - part of the C ABI: Sorting, searching, unique, padding and repeat_interleave (issue 3).
 *
 * Included by compute.h inside its extern "C" block; include compute/compute.h, never this file.
 * Same rules as compute.h (C99, cmp_status results, out-parameters, doc comment above each
 * declaration); the binding generator reads it through compute.h.
 */
#ifndef COMPUTE_OPS_SORT_SEARCH_H
#define COMPUTE_OPS_SORT_SEARCH_H

#ifndef COMPUTE_COMPUTE_H
#error "include <compute/compute.h> instead of compute/ops/sort_search.h"
#endif



/* end of section: sort_search */

#endif /* COMPUTE_OPS_SORT_SEARCH_H */
