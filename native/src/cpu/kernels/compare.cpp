// Comparison kernels: inputs in the common dtype, bool output.
#include "cpu/elementwise_stubs.h"
#include "cpu/loops.h"

namespace cmp::cpu {
namespace {

template <typename T, typename F>
void run_compare(TensorIterator& iter, F f) {
    iter.for_each(pointwise_loop<bool, T, T>(f));
}

template <typename T>
void compare_typed(TensorIterator& iter, ops::CompareOp op) {
    using M = opmath_t<T>;
    using ops::CompareOp;
    switch (op) {
        case CompareOp::Eq: return run_compare<T>(iter, [](M x, M y) { return x == y; });
        case CompareOp::Ne: return run_compare<T>(iter, [](M x, M y) { return x != y; });
        case CompareOp::Lt: return run_compare<T>(iter, [](M x, M y) { return x < y; });
        case CompareOp::Le: return run_compare<T>(iter, [](M x, M y) { return x <= y; });
        case CompareOp::Gt: return run_compare<T>(iter, [](M x, M y) { return x > y; });
        case CompareOp::Ge: return run_compare<T>(iter, [](M x, M y) { return x >= y; });
    }
    fail(CMP_STATUS_INTERNAL_ERROR, "compare kernel: unknown comparison");
}

void compare_kernel(TensorIterator& iter, ops::CompareOp op) {
    CMP_DISPATCH_ALL_TYPES(iter.compute_dtype(), "compare", [&] { compare_typed<scalar_t>(iter, op); });
}

}  // namespace

CMP_REGISTER_KERNEL(compare_stub, compare_kernel)

}  // namespace cmp::cpu
