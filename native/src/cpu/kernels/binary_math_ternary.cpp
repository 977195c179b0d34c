// Kernels with a condition, a mask or three inputs: where, lerp, addcmul/addcdiv, masked_fill.
// The shared pointwise loops (cpu/loops.h) take any number of inputs, so each is one functor.
#include "cpu/binary_math_stubs.h"
#include "cpu/loops.h"

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace cmp::cpu {
namespace {

// The bool condition and mask are read as their bytes (uint8_t: same size, same strides) and
// tested with != 0. GCC 12 does not vectorise a select on a loaded `bool` next to wider values:
// it kept a branch per element, which mispredicts half the time on random masks (where and
// masked_fill took 4.4 ns an element, like PyTorch); on a byte compared with 0 it widens the bytes
// to a lane mask and blends, branch-free. A bool tensor holds only 0 and 1, so the result is the
// same. (A bool OUTPUT, where on bool tensors, still stores element by element; it is rare.)
using MaskByte = uint8_t;

void where_kernel(TensorIterator& iter) {
    CMP_DISPATCH_ALL_TYPES(iter.output_dtype(), "where", [&] {
        using M = opmath_t<scalar_t>;
        iter.for_each(pointwise_loop<scalar_t, MaskByte, scalar_t, scalar_t>(
            [](MaskByte c, M a, M b) { return c != 0 ? a : b; }));
    });
}

void lerp_kernel(TensorIterator& iter) {
    CMP_DISPATCH_FLOATING_TYPES(iter.output_dtype(), "lerp", [&] {
        using M = opmath_t<scalar_t>;
        // Two formulas, each exact at its own end: a + w*(end - a) gives a at w = 0, and
        // end - (end - a)*(1 - w) gives end at w = 1 (PyTorch's choice, switching at |w| = 0.5).
        iter.for_each(pointwise_loop<scalar_t, scalar_t, scalar_t, scalar_t>([](M a, M end, M w) {
            return std::abs(w) < M(0.5) ? a + w * (end - a) : end - (end - a) * (M(1) - w);
        }));
    });
}

template <typename T>
void addcmul_div_typed(TensorIterator& iter, bool divide, const cmp_scalar& value) {
    using M = opmath_t<T>;
    const M v = scalar_to<M>(value);
    if (divide) {
        if constexpr (std::is_floating_point_v<M>) {
            iter.for_each(pointwise_loop<T, T, T, T>([v](M a, M t1, M t2) { return a + v * t1 / t2; }));
            return;
        }
        fail(CMP_STATUS_INTERNAL_ERROR, str("addcdiv kernel: not defined for dtype ", dtype_name(dtype_of<T>)));
    }
    iter.for_each(pointwise_loop<T, T, T, T>([v](M a, M t1, M t2) { return wrap_add(a, wrap_mul(wrap_mul(v, t1), t2)); }));
}

void addcmul_div_kernel(TensorIterator& iter, bool divide, const cmp_scalar& value) {
    CMP_DISPATCH_NUMERIC_TYPES(iter.output_dtype(), divide ? "addcdiv" : "addcmul",
                               [&] { addcmul_div_typed<scalar_t>(iter, divide, value); });
}

void masked_fill_kernel(TensorIterator& iter, const cmp_scalar& value) {
    CMP_DISPATCH_ALL_TYPES(iter.output_dtype(), "masked_fill", [&] {
        using M = opmath_t<scalar_t>;
        // Converted once to the stored type, so every filled element holds the same bits.
        const scalar_t v = convert<scalar_t>(scalar_to<M>(value));
        const M vm = static_cast<M>(v);
        iter.for_each(pointwise_loop<scalar_t, scalar_t, MaskByte>([vm](M a, MaskByte m) { return m != 0 ? vm : a; }));
    });
}

}  // namespace

CMP_REGISTER_KERNEL(where_stub, where_kernel)
CMP_REGISTER_KERNEL(lerp_stub, lerp_kernel)
CMP_REGISTER_KERNEL(addcmul_div_stub, addcmul_div_kernel)
CMP_REGISTER_KERNEL(masked_fill_stub, masked_fill_kernel)

}  // namespace cmp::cpu
