// DLPack exchange.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_to_dlpack(cmp_tensor tensor, void** out) {
    return guard("to_dlpack", [&] {
        void*& o = out_arg(out, "to_dlpack");
        o = nullptr;
        o = ops::to_dlpack(tensor_arg(tensor, "to_dlpack", "tensor"));
    });
}

CMP_API cmp_status cmp_from_dlpack(void* managed_tensor, cmp_tensor* out) {
    return guard("from_dlpack", [&] {
        cmp_tensor& o = out_tensor(out, "from_dlpack");
        CMP_CHECK(managed_tensor != nullptr, INVALID_ARGUMENT, "from_dlpack: argument 'managed_tensor' is NULL");
        o = to_handle(ops::from_dlpack(managed_tensor));
    });
}

}  // extern "C"
