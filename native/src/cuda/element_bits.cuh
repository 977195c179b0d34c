// Launching a kernel that moves elements as bits by their size (gather, masked_select): the
// dtypes of one size share one instantiation.
#pragma once

#include "cuda/status.h"

#include <cstdint>

namespace cmp::cuda_backend {

// Runs launch(U{}) with U the unsigned integer of element_size bytes (1, 2, 4 or 8); another size
// is an INVALID_ARGUMENT naming what.
template <typename Launch>
void with_element_bits(int32_t element_size, const char* what, Launch&& launch) {
    switch (element_size) {
        case 1: launch(uint8_t{}); break;
        case 2: launch(uint16_t{}); break;
        case 4: launch(uint32_t{}); break;
        case 8: launch(uint64_t{}); break;
        default: fail(CMP_STATUS_INVALID_ARGUMENT, what, ": element size ", element_size);
    }
}

}  // namespace cmp::cuda_backend
