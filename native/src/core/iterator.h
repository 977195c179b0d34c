// The strided iteration engine (in the spirit of ATen's TensorIterator). Every elementwise op
// and every copy goes through it: it broadcasts the inputs, computes the common dtype (PyTorch
// type promotion), allocates or checks the output, converts inputs whose dtype differs from
// the compute dtype, then reorders and coalesces dims so the kernel sees the longest possible
// contiguous inner loops. Kernels get (data pointers, byte strides, count) for the innermost
// dim and run in parallel over the pool.
#pragma once

#include "tensor.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace cmp {

class TensorIterator {
public:
    // Inner loop: data[i] is operand i's first element (operand 0 is the output), strides[i]
    // its byte stride along the inner dim, n the element count.
    using Loop = std::function<void(char** data, const int64_t* strides, int64_t n)>;

    struct Config {
        const char* op = "op";
        // The output; undefined means "allocate it" with the broadcast shape.
        Tensor out;
        std::vector<Tensor> inputs;
        // Output dtype when it is not the common dtype (bool for comparisons). When unset the
        // output dtype is the common dtype.
        bool has_out_dtype = false;
        DType out_dtype = CMP_DTYPE_FLOAT32;
        // Integer inputs promote to this floating type (true division, exp): PyTorch's
        // "int_to_float" rule uses the default dtype float32.
        bool promote_int_to_float = false;
        // The output may not be resized or broadcast (in-place ops): its shape must already be
        // the broadcast shape.
        bool out_is_input = false;
        // Fixed compute dtype instead of promotion (copy uses the output's dtype).
        bool has_compute_dtype = false;
        DType compute_dtype = CMP_DTYPE_FLOAT32;
    };

    explicit TensorIterator(Config config);

    // Runs loop over every element, in parallel when large enough. Requires a CPU tensor.
    void for_each(const Loop& loop, int64_t grain = 0) const;

    const Tensor& output() const { return operands_[0]; }
    // The dtype the inputs were converted to (the common dtype).
    DType compute_dtype() const { return compute_dtype_; }
    DType output_dtype() const { return operands_[0].dtype(); }
    int64_t numel() const { return numel_; }
    int ntensors() const { return static_cast<int>(operands_.size()); }
    // Whether every operand is contiguous along the single coalesced dim (fast path check).
    bool is_contiguous() const;
    // Rank after coalescing (0 for a single element).
    int ndim() const { return static_cast<int>(shape_.size()); }

private:
    void finish_output(Config& config, const Shape& shape);

    std::vector<Tensor> operands_;  // [0] = output, then inputs (converted)
    Tensor write_back_;             // user's output when the engine computed into a temporary
    DType compute_dtype_;
    Shape shape_;                          // coalesced iteration shape, innermost first
    std::vector<std::vector<int64_t>> strides_;  // per operand, byte strides, innermost first
    int64_t numel_ = 0;
    friend class TensorIteratorTestAccess;
public:
    // Copies back into the user's output when a temporary was used (call after for_each).
    void finish() const;
};

// Broadcast shape of a and b following PyTorch; throws SHAPE_MISMATCH naming op.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// PyTorch's promote_types for two dtypes.
DType promote_types(DType a, DType b);
// PyTorch's result_type over operands: dimensioned tensors, then 0-dim tensors, then wrapped
// numbers, each category only raising the result when it is a higher kind (bool<int<float).
DType result_type(const std::vector<Tensor>& operands);
// Whether a value of dtype from can be written into dtype to by an in-place op (PyTorch's
// can_cast: no float->int, no int->bool).
bool can_cast(DType from, DType to);

}  // namespace cmp
