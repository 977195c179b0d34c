// Dispatch stubs of the sort/search family: sort and topk along one dim, binary search
// (searchsorted/bucketize), and the index-map copy behind every pad mode and its backward.
#pragma once

#include "core/dtype.h"
#include "core/tensor.h"
#include "cpu/dispatch_stub.h"
#include "cpu/reduce_stubs.h"

#include <cstdint>
#include <vector>

namespace cmp::cpu {

// Lines along one dim: line k's element i sits at in + offset_of(outer, k, false) + i * in_step;
// its j-th result at offset_of(outer, k, true) + j * out_step in values and indices.
struct LinePlan {
    const char* op;
    const void* in;
    DType dtype;
    std::vector<ReduceDim> outer;  // the other dims (never empty; {1, 0, 0} for none)
    int64_t lines;
    int64_t len;
    int64_t in_step;
    void* values;    // same dtype as in; null when only indices are wanted (argsort)
    int64_t* indices;
    int64_t out_step;
};

// Sort (k == len) or top-k of each line. Order: ascending, or descending with descending;
// NaN counts as larger than every number; equal keys keep their input order (always stable).
struct SortArgs {
    bool descending = false;
    int64_t k = 0;  // results per line
};
CMP_DECLARE_STUB(sort_stub, void (*)(const LinePlan&, const SortArgs&));

// Binary search of every value in its row of a contiguous sorted sequence (seq, rows x seq_len,
// optionally read through sorter, an int64 rows x seq_len permutation). Values are contiguous,
// `per_row` of them per row (rows == 1 for a 1-D sequence). out is int64 or int32.
struct SearchPlan {
    const char* op;
    DType dtype;  // of seq and values
    const void* seq;
    const int64_t* sorter;  // may be null
    const void* values;
    void* out;
    bool out_int32;
    bool right;
    int64_t rows;
    int64_t seq_len;
    int64_t per_row;
};
CMP_DECLARE_STUB(search_stub, void (*)(const SearchPlan&));

// Padding as an index map: for every dim d of the padded ("big") tensor, map[d][o] is the
// position in the unpadded ("small") tensor that big position o copies, or -1 for a constant
// fill. Forward: big[o] = small[map(o)] (or value). Backward: small[map(o)] += big[o].
// The dims with an identity map that come first ("group" dims) are independent, which is what
// the backward parallelises over.
struct PadPlan {
    const char* op;
    DType dtype;
    const void* src;  // forward: small (any strides); backward: big (grad_output, any strides)
    void* dst;        // forward: big (contiguous); backward: small (contiguous, zeroed)
    Shape big_sizes;
    Shape small_sizes;
    Shape src_strides;
    std::vector<std::vector<int64_t>> map;  // one per dim, big_sizes[d] entries
    int64_t group_dims;                     // leading dims whose map is the identity
    double value;                           // constant fill (forward)
};
CMP_DECLARE_STUB(pad_stub, void (*)(const PadPlan&));
CMP_DECLARE_STUB(pad_backward_stub, void (*)(const PadPlan&));

}  // namespace cmp::cpu

namespace cmp::cpu {

// For `rows` contiguous rows of row_len elements: changed[0] = true, changed[i] = row i differs
// from row i - 1 in some element (NaN differs from everything, as NaN != NaN). unique and
// unique_consecutive build their groups from it.
CMP_DECLARE_STUB(row_change_stub, void (*)(const char* op, DType dtype, const void* data, int64_t rows, int64_t row_len,
                                           bool* changed));

}  // namespace cmp::cpu
