// Linear algebra beyond matmul: mm, bmm, mv, dot, outer, addmm, baddbmm, addmv, einsum.
#include "abi_util.h"
#include "ops/linalg_ops.h"

#include <cstring>
#include <string>
#include <vector>

using namespace cmp;
using namespace cmp::abi;

namespace {

// input + mat1 + mat2 with beta and alpha: the shape of addmm, baddbmm and addmv.
template <typename Fn>
cmp_status add_product(const char* op, cmp_tensor input, cmp_tensor m1, const char* m1_name, cmp_tensor m2,
                       const char* m2_name, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        Tensor ti = tensor_arg(input, op, "input");
        Tensor t1 = tensor_arg(m1, op, m1_name);
        Tensor t2 = tensor_arg(m2, op, m2_name);
        scalar_arg(beta, op, "beta");
        scalar_arg(alpha, op, "alpha");
        o = to_handle(fn(ti, t1, t2, beta, alpha));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_mm(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("mm", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::mm(x, y); });
}

CMP_API cmp_status cmp_bmm(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("bmm", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::bmm(x, y); });
}

CMP_API cmp_status cmp_mv(cmp_tensor mat, cmp_tensor vec, cmp_tensor* out) {
    return binary("mv", mat, vec, out, [](const Tensor& x, const Tensor& y) { return ops::mv(x, y); });
}

CMP_API cmp_status cmp_dot(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("dot", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::dot(x, y); });
}

CMP_API cmp_status cmp_outer(cmp_tensor a, cmp_tensor b, cmp_tensor* out) {
    return binary("outer", a, b, out, [](const Tensor& x, const Tensor& y) { return ops::outer(x, y); });
}

CMP_API cmp_status cmp_addmm(cmp_tensor input, cmp_tensor mat1, cmp_tensor mat2, cmp_scalar beta, cmp_scalar alpha,
                             cmp_tensor* out) {
    return add_product("addmm", input, mat1, "mat1", mat2, "mat2", beta, alpha, out, ops::addmm);
}

CMP_API cmp_status cmp_baddbmm(cmp_tensor input, cmp_tensor batch1, cmp_tensor batch2, cmp_scalar beta,
                               cmp_scalar alpha, cmp_tensor* out) {
    return add_product("baddbmm", input, batch1, "batch1", batch2, "batch2", beta, alpha, out, ops::baddbmm);
}

CMP_API cmp_status cmp_addmv(cmp_tensor input, cmp_tensor mat, cmp_tensor vec, cmp_scalar beta, cmp_scalar alpha,
                             cmp_tensor* out) {
    return add_product("addmv", input, mat, "mat", vec, "vec", beta, alpha, out, ops::addmv);
}

CMP_API cmp_status cmp_einsum(const char* equation, const cmp_tensor* operands, int64_t count, cmp_tensor* out) {
    return guard("einsum", [&] {
        cmp_tensor& o = out_tensor(out, "einsum");
        CMP_CHECK(equation != nullptr, INVALID_ARGUMENT, "einsum: argument 'equation' is NULL");
        CMP_CHECK(count >= 0 && count <= 1024, INVALID_ARGUMENT, "einsum: invalid operand count ", count);
        CMP_CHECK(operands != nullptr || count == 0, INVALID_ARGUMENT, "einsum: argument 'operands' is NULL");
        std::vector<Tensor> ts;
        for (int64_t i = 0; i < count; ++i) ts.push_back(tensor_arg(operands[i], "einsum", "operands"));
        o = to_handle(ops::einsum(std::string(equation), ts));
    });
}

}  // extern "C"
