// extern "C" layer of the indexing ops: gather/scatter, index_select/index_add, masked_select,
// nonzero.
#include "abi_util.h"
#include "ops/indexing.h"

#include <string>
#include <vector>

using namespace cmp;
using namespace cmp::abi;

namespace {

// Reads the reduce code as an int (a C caller may pass anything) and names it in errors.
ops::ScatterReduce reduce_arg(int32_t reduce, const char* op) {
    CMP_CHECK(reduce >= CMP_SCATTER_OP_NONE && reduce <= CMP_SCATTER_OP_AMIN, INVALID_ARGUMENT, op,
              ": invalid reduce value ", reduce);
    return static_cast<ops::ScatterReduce>(reduce);
}

// The shape shared by the scatter family: (tensor, dim, index, src) -> out.
template <typename Fn>
cmp_status with_index(const char* op, cmp_tensor tensor, cmp_tensor index, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        Tensor t = tensor_arg(tensor, op, "tensor");
        Tensor i = tensor_arg(index, op, "index");
        o = to_handle(fn(t, i));
    });
}

// The optional index tensors of advanced indexing: NULL entries stay undefined (whole dim).
std::vector<Tensor> optional_tensors(const cmp_tensor* indices, int64_t count, const char* op) {
    CMP_CHECK(count >= 0 && count <= kMaxDims, INVALID_ARGUMENT, op, ": count must be in [0, ", kMaxDims, "], got ", count);
    CMP_CHECK(count == 0 || indices != nullptr, INVALID_ARGUMENT, op, ": argument 'indices' is NULL with count ", count);
    std::vector<Tensor> out;
    for (int64_t i = 0; i < count; ++i) {
        const std::string arg = str("indices[", i, "]");
        out.push_back(indices[i] ? tensor_arg(indices[i], op, arg.c_str()) : Tensor());
    }
    return out;
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_index(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor* out) {
    return unary("index", tensor, out, [&](const Tensor& t) { return ops::index(t, optional_tensors(indices, count, "index")); });
}

CMP_API cmp_status cmp_index_put(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate, cmp_tensor* out) {
    return unary("index_put", tensor, out, [&](const Tensor& t) {
        return ops::index_put(t, optional_tensors(indices, count, "index_put"), tensor_arg(values, "index_put", "values"),
                              accumulate != 0);
    });
}

CMP_API cmp_status cmp_index_put_(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate) {
    return guard("index_put_", [&] {
        Tensor t = tensor_arg(tensor, "index_put_", "tensor");
        ops::index_put_(t, optional_tensors(indices, count, "index_put_"), tensor_arg(values, "index_put_", "values"),
                        accumulate != 0);
        mark_written(t);
    });
}

CMP_API cmp_status cmp_gather(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out) {
    return with_index("gather", tensor, index, out, [&](const Tensor& t, const Tensor& i) { return ops::gather(t, dim, i); });
}

CMP_API cmp_status cmp_scatter(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, cmp_tensor* out) {
    return with_index("scatter", tensor, index, out, [&](const Tensor& t, const Tensor& i) {
        Tensor s = tensor_arg(src, "scatter", "src");
        return ops::scatter(t, dim, i, s, ops::scalar_int(0), reduce_arg(reduce, "scatter"));
    });
}

CMP_API cmp_status cmp_scatter_value(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_scalar value, int32_t reduce, cmp_tensor* out) {
    return with_index("scatter", tensor, index, out, [&](const Tensor& t, const Tensor& i) {
        scalar_arg(value, "scatter", "value");
        return ops::scatter(t, dim, i, Tensor(), value, reduce_arg(reduce, "scatter"));
    });
}

CMP_API cmp_status cmp_scatter_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, cmp_tensor* out) {
    return with_index("scatter_add", tensor, index, out, [&](const Tensor& t, const Tensor& i) {
        return ops::scatter_add(t, dim, i, tensor_arg(src, "scatter_add", "src"));
    });
}

CMP_API cmp_status cmp_scatter_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src) {
    return guard("scatter_add_", [&] {
        Tensor t = tensor_arg(tensor, "scatter_add_", "tensor");
        ops::scatter_add_(t, dim, tensor_arg(index, "scatter_add_", "index"), tensor_arg(src, "scatter_add_", "src"));
        mark_written(t);
    });
}

CMP_API cmp_status cmp_scatter_reduce(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, int32_t include_self, cmp_tensor* out) {
    return with_index("scatter_reduce", tensor, index, out, [&](const Tensor& t, const Tensor& i) {
        return ops::scatter_reduce(t, dim, i, tensor_arg(src, "scatter_reduce", "src"), reduce_arg(reduce, "scatter_reduce"),
                                   include_self != 0);
    });
}

CMP_API cmp_status cmp_index_select(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out) {
    return with_index("index_select", tensor, index, out,
                      [&](const Tensor& t, const Tensor& i) { return ops::index_select(t, dim, i); });
}

CMP_API cmp_status cmp_index_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha, cmp_tensor* out) {
    return with_index("index_add", tensor, index, out, [&](const Tensor& t, const Tensor& i) {
        scalar_arg(alpha, "index_add", "alpha");
        return ops::index_add(t, dim, i, tensor_arg(source, "index_add", "source"), alpha);
    });
}

CMP_API cmp_status cmp_index_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha) {
    return guard("index_add_", [&] {
        scalar_arg(alpha, "index_add_", "alpha");
        Tensor t = tensor_arg(tensor, "index_add_", "tensor");
        ops::index_add_(t, dim, tensor_arg(index, "index_add_", "index"), tensor_arg(source, "index_add_", "source"), alpha);
        mark_written(t);
    });
}

CMP_API cmp_status cmp_masked_select(cmp_tensor tensor, cmp_tensor mask, cmp_tensor* out) {
    return binary("masked_select", tensor, mask, out, [](const Tensor& t, const Tensor& m) { return ops::masked_select(t, m); });
}

CMP_API cmp_status cmp_nonzero(cmp_tensor tensor, cmp_tensor* out) {
    return unary("nonzero", tensor, out, [](const Tensor& t) { return ops::nonzero(t); });
}

}  // extern "C"
