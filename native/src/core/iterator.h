// The strided iteration engine (in the spirit of ATen's TensorIterator). Every elementwise op
// and every copy goes through it: it broadcasts the inputs, computes the compute dtype (PyTorch
// type promotion), allocates or checks the output, converts inputs whose dtype differs from
// the compute dtype, then reorders and coalesces dims so the kernel sees the longest possible
// inner loops. Kernels get (data pointers, byte strides, count) for the innermost dim and run
// in parallel over the pool. A kernel is therefore written once, for one inner loop; layout,
// broadcasting, promotion and threading are all handled here.
#pragma once

#include "parallel.h"
#include "promotion.h"
#include "small_vector.h"
#include "tensor.h"

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace cmp {

class TensorIterator {
public:
    // Operand counts and ranks up to these stay inside the iterator (no heap allocation);
    // larger ones work the same through the heap.
    static constexpr size_t kInlineInputs = 4;
    static constexpr size_t kInlineDims = 6;
    using Inputs = SmallVector<Tensor, kInlineInputs>;
    using DimVector = SmallVector<int64_t, kInlineDims>;

    // Inner loop: data[i] is operand i's first element (operand 0 is the output), strides[i]
    // its byte stride along the inner dim (0 for a broadcast operand), n the element count.
    using Loop = std::function<void(char** data, const int64_t* strides, int64_t n)>;

    struct Config {
        const char* op = "op";
        // The output; undefined means "allocate it" (contiguous, broadcast shape).
        Tensor out;
        Inputs inputs;
        // Output dtype when it is not the compute dtype (bool for comparisons).
        bool has_out_dtype = false;
        DType out_dtype = CMP_DTYPE_FLOAT32;
        // Integral (and bool) compute dtypes become float32, PyTorch's default dtype
        // ("int_to_float": true division, exp).
        bool promote_int_to_float = false;
        // The given output keeps its shape (in-place ops, copy_): the inputs must broadcast to it.
        bool out_is_input = false;
        // Fixed compute dtype instead of promotion (copy uses the output's dtype).
        bool has_compute_dtype = false;
        DType compute_dtype = CMP_DTYPE_FLOAT32;
        // Convert inputs to the compute dtype before the kernel runs. Off for kernels that read
        // each input in its own dtype (copy/cast).
        bool cast_inputs = true;
    };

    // The usual pointwise config: promote the inputs, allocate the output, or write into
    // `out` in place (its shape fixed) when it is given.
    static Config pointwise(const char* op, Inputs inputs, const Tensor& out = Tensor()) {
        Config c;
        c.op = op;
        c.inputs = std::move(inputs);
        c.out = out;
        c.out_is_input = out.defined();
        return c;
    }

    explicit TensorIterator(Config config);

    // Runs loop over every element, in parallel when there are more than grain elements, then
    // copies into the caller's output if the engine computed into a temporary (an in-place op
    // whose output dtype differs from the compute dtype). CPU tensors only.
    void for_each(const Loop& loop, int64_t grain = kDefaultGrain);
    // After a device kernel wrote operand 0: copies it into the caller's output when the engine
    // computed into a temporary (for_each does this itself).
    void finish_device();

    // The op's name, for messages.
    const char* op() const { return op_; }
    // The result as the caller sees it (the given output, or the allocated one).
    const Tensor& output() const { return write_back_.defined() ? write_back_ : operands_[0]; }
    // The operand the kernel sees: 0 is the (possibly temporary) output, 1.. the inputs.
    const Tensor& operand(int i) const { return operands_[static_cast<size_t>(i)]; }
    DType dtype(int i) const { return operand(i).dtype(); }
    // The dtype the inputs were converted to (the common dtype).
    DType compute_dtype() const { return compute_dtype_; }
    DType output_dtype() const { return operands_[0].dtype(); }
    int64_t numel() const { return numel_; }
    int ntensors() const { return static_cast<int>(operands_.size()); }
    // Rank after coalescing (at least 1).
    int ndim() const { return static_cast<int>(shape_.size()); }
    // Coalesced iteration shape and byte strides of operand i, innermost dim first.
    const DimVector& shape() const { return shape_; }
    const DimVector& strides(int i) const { return strides_[static_cast<size_t>(i)]; }
    // Whether every operand is dense along one coalesced dim (the whole op is one flat loop).
    bool is_contiguous() const;
    // Whether the constructor took the dense fast path (see try_dense_layout).
    bool used_dense_layout() const { return dense_layout_; }

    // For tests: turn the dense fast path off (on by default) to compare its layouts and
    // results with those of the general path. Process-wide.
    static void set_dense_layout_enabled_for_testing(bool enabled);

private:
    void compute_layout(const Shape& shape);
    bool try_dense_layout(const Shape& shape);
    void run_range(const Loop& loop, int64_t begin, int64_t end) const;

    const char* op_;                // the op's name, for messages
    SmallVector<Tensor, kInlineInputs + 1> operands_;  // [0] = output, then inputs (converted)
    Tensor write_back_;             // caller's output when the engine computes into a temporary
    DType compute_dtype_ = CMP_DTYPE_FLOAT32;
    DimVector shape_;                                       // coalesced iteration shape, innermost first
    SmallVector<DimVector, kInlineInputs + 1> strides_;  // per operand, byte strides, innermost first
    int64_t numel_ = 0;
    bool dense_layout_ = false;
};

// Broadcast shape of a and b following PyTorch; throws SHAPE_MISMATCH naming op and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Byte strides of t seen with the broadcast shape `shape` (0 along broadcast dims). The caller
// has checked that t's shape broadcasts to shape.
std::vector<int64_t> broadcast_byte_strides(const Tensor& t, const Shape& shape);

}  // namespace cmp
