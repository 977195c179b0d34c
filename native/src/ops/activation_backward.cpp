// Front-end of the fused activation derivatives: the checks, naming the op, that PyTorch's
// *_backward functions imply (grad_output shaped and typed like the saved tensor), then one
// TensorIterator pass of the kernel, on the CPU or the CUDA backend.
#include "ops/activation_backward.h"

#include "core/error.h"
#include "core/iterator.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(activation_backward_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

Tensor activation_backward(const char* name, cpu::ActivationBackwardOp op, const Tensor& grad_output, const Tensor& x,
                           const cpu::ActivationBackwardParams& p) {
    CMP_CHECK(grad_output.defined(), INVALID_ARGUMENT, name, ": argument 'grad_output' is undefined");
    CMP_CHECK(x.defined(), INVALID_ARGUMENT, name, ": argument 'self' is undefined");
    CMP_CHECK(is_floating(x.dtype()), DTYPE_MISMATCH, name, ": not implemented for dtype ", dtype_name(x.dtype()),
              " (floating dtypes only)");
    // No promotion and no broadcasting: a gradient of another dtype or shape than the tensor it
    // belongs to is a caller's mistake, not something to quietly convert.
    CMP_CHECK(grad_output.dtype() == x.dtype(), DTYPE_MISMATCH, name, ": grad_output has dtype ",
              dtype_name(grad_output.dtype()), " but self has dtype ", dtype_name(x.dtype()));
    CMP_CHECK(grad_output.sizes() == x.sizes(), SHAPE_MISMATCH, name, ": grad_output has shape ", grad_output.sizes(),
              " but self has shape ", x.sizes());
    // TensorIterator refuses operands on different devices with PyTorch's message.
    TensorIterator iter(TensorIterator::pointwise(name, {grad_output, x}));
    if (cuda_ops::on_cuda(iter)) cuda_ops::activation_backward(iter, op, p);
    else cpu::activation_backward_stub(iter, op, p);
    return iter.output();
}

}  // namespace cmp::ops
