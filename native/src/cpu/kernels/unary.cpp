// Unary pointwise kernels.
#include "cpu/elementwise_stubs.h"
#include "cpu/loops.h"
#include "cpu/vec_math.h"

namespace cmp::cpu {
namespace {

// Transcendental functions cost tens of cycles per element: parallelise sooner.
constexpr int64_t kTranscendentalGrain = kDefaultGrain / 8;

template <typename T>
void unary_typed(TensorIterator& iter, UnaryOp op) {
    using M = opmath_t<T>;
    switch (op) {
        case UnaryOp::Neg:
            if constexpr (!std::is_same_v<T, bool>) {
                iter.for_each(pointwise_loop<T, T>([](M x) { return wrap_neg(x); }));
                return;
            }
            break;
        case UnaryOp::Exp:
            if constexpr (std::is_floating_point_v<M>) {
                iter.for_each(pointwise_loop<T, T>([](M x) { return vexp(x); }), kTranscendentalGrain);
                return;
            }
            break;
    }
    fail(CMP_STATUS_INTERNAL_ERROR, str("unary kernel: op not defined for dtype ", dtype_name(dtype_of<T>)));
}

void unary_kernel(TensorIterator& iter, UnaryOp op) {
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "unary", [&] { unary_typed<scalar_t>(iter, op); });
}

}  // namespace

CMP_REGISTER_KERNEL(unary_stub, unary_kernel)

}  // namespace cmp::cpu
