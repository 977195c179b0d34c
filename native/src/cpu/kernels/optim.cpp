// Fused optimizer updates (see cpu/optim_stubs.h): each chunk of the pool runs the element
// updates of cpu/optim_update.h (shared with the CUDA backend) in a loop. Elements are
// independent, so chunks run on the pool without affecting the result.
#include "core/parallel.h"
#include "cpu/optim_stubs.h"

#include <cmath>

namespace cmp::cpu {
namespace {

template <typename Body>
void for_chunks(const OptimBuffers& b, const Body& body) {
    parallel_for(0, b.n, kDefaultGrain, [&](int64_t i0, int64_t i1) { body(i0, i1); });
}

template <typename T>
void sgd_typed(const OptimBuffers& b, const SgdArgs& a) {
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict buf = static_cast<T*>(b.state0);
    const auto c = sgd_consts<opmath_t<T>>(a);
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) sgd_update(c, p, gr, buf, i);
    });
}

template <typename T>
void adam_typed(const OptimBuffers& b, const AdamArgs& a) {
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict m = static_cast<T*>(b.state0);
    T* __restrict v = static_cast<T*>(b.state1);
    T* __restrict vmax = static_cast<T*>(b.state2);
    const auto c = adam_consts<opmath_t<T>>(a);
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) adam_update(c, p, gr, m, v, vmax, i);
    });
}

template <typename T>
void rmsprop_typed(const OptimBuffers& b, const RmspropArgs& a) {
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict sq = static_cast<T*>(b.state0);
    T* __restrict ga = static_cast<T*>(b.state1);
    T* __restrict buf = static_cast<T*>(b.state2);
    const auto c = rmsprop_consts<opmath_t<T>>(a);
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) rmsprop_update(c, p, gr, sq, ga, buf, i);
    });
}

template <typename T>
void adagrad_typed(const OptimBuffers& b, const AdagradArgs& a) {
    T* __restrict p = static_cast<T*>(b.param);
    const T* __restrict gr = static_cast<const T*>(b.grad);
    T* __restrict sum = static_cast<T*>(b.state0);
    const auto c = adagrad_consts<opmath_t<T>>(a);
    for_chunks(b, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) adagrad_update(c, p, gr, sum, i);
    });
}

void sgd_kernel(const OptimBuffers& b, const SgdArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "sgd_step", [&] { sgd_typed<scalar_t>(b, a); });
}
void adam_kernel(const OptimBuffers& b, const AdamArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "adam_step", [&] { adam_typed<scalar_t>(b, a); });
}
void rmsprop_kernel(const OptimBuffers& b, const RmspropArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "rmsprop_step", [&] { rmsprop_typed<scalar_t>(b, a); });
}
void adagrad_kernel(const OptimBuffers& b, const AdagradArgs& a) {
    CMP_DISPATCH_FLOATING_TYPES(b.dtype, "adagrad_step", [&] { adagrad_typed<scalar_t>(b, a); });
}

}  // namespace

CMP_REGISTER_KERNEL(sgd_step_stub, sgd_kernel)
CMP_REGISTER_KERNEL(adam_step_stub, adam_kernel)
CMP_REGISTER_KERNEL(rmsprop_step_stub, rmsprop_kernel)
CMP_REGISTER_KERNEL(adagrad_step_stub, adagrad_kernel)

}  // namespace cmp::cpu
