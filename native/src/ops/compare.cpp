// eq/ne/lt/le/gt/ge: inputs promoted to their common dtype, bool output.
#include "ops/ops.h"

#include "core/iterator.h"
#include "cpu/elementwise_stubs.h"
#include "ops/cuda_ops.h"

namespace cmp::cpu {
CMP_DEFINE_STUB(compare_stub);
}  // namespace cmp::cpu

namespace cmp::ops {

namespace {

const char* compare_name(CompareOp op) {
    switch (op) {
        case CompareOp::Eq: return "eq";
        case CompareOp::Ne: return "ne";
        case CompareOp::Lt: return "lt";
        case CompareOp::Le: return "le";
        case CompareOp::Gt: return "gt";
        case CompareOp::Ge: return "ge";
    }
    return nullptr;
}

}  // namespace

Tensor compare(CompareOp op, const Tensor& a, const Tensor& b) {
    const char* name = compare_name(op);
    CMP_CHECK(name != nullptr, INVALID_ARGUMENT, "compare: invalid comparison ", static_cast<int>(op));
    CMP_CHECK(a.defined(), INVALID_ARGUMENT, name, ": argument 'input' is undefined");
    CMP_CHECK(b.defined(), INVALID_ARGUMENT, name, ": argument 'other' is undefined");
    auto config = TensorIterator::pointwise(name, {a, b});
    config.has_out_dtype = true;
    config.out_dtype = CMP_DTYPE_BOOL;
    TensorIterator iter(std::move(config));
    if (cuda_ops::on_cuda(iter)) cuda_ops::compare(iter, op);
    else cpu::compare_stub(iter, op);
    return iter.output();
}

}  // namespace cmp::ops
