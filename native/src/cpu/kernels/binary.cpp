// Binary arithmetic kernels: add (a + alpha*b, also sub with -alpha), mul, div (true division).
// Integer arithmetic wraps around as in PyTorch; float16/bfloat16 compute in float32.
#include "cpu/elementwise_stubs.h"
#include "cpu/loops.h"

namespace cmp::cpu {
namespace {

template <typename T>
void binary_typed(TensorIterator& iter, BinaryOp op, const cmp_scalar& alpha) {
    using M = opmath_t<T>;
    switch (op) {
        case BinaryOp::Add: {
            const M a = scalar_to<M>(alpha);
            // alpha == 1 is the common case; x + 1*y == x + y exactly, so skipping the multiply
            // changes nothing but the speed.
            if (a == M(1)) iter.for_each(pointwise_loop<T, T, T>([](M x, M y) { return wrap_add(x, y); }));
            else iter.for_each(pointwise_loop<T, T, T>([a](M x, M y) { return wrap_add(x, wrap_mul(a, y)); }));
            return;
        }
        case BinaryOp::Mul:
            iter.for_each(pointwise_loop<T, T, T>([](M x, M y) { return wrap_mul(x, y); }));
            return;
        case BinaryOp::Div:
            // The front-end promotes integers to float32 (true division), so only floating
            // types reach here; integer division by zero can therefore never trap.
            if constexpr (std::is_floating_point_v<M>) {
                iter.for_each(pointwise_loop<T, T, T>([](M x, M y) { return x / y; }));
                return;
            }
            break;
    }
    fail(CMP_STATUS_INTERNAL_ERROR, str("binary kernel: op not defined for dtype ", dtype_name(dtype_of<T>)));
}

void binary_kernel(TensorIterator& iter, BinaryOp op, const cmp_scalar& alpha) {
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "binary", [&] { binary_typed<scalar_t>(iter, op, alpha); });
}

}  // namespace

CMP_REGISTER_KERNEL(binary_stub, binary_kernel)

}  // namespace cmp::cpu
