// Reference counting of tensor handles.
#include "abi_util.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_tensor_retain(cmp_tensor tensor) {
    return guard("tensor_retain", [&] { impl_arg(tensor, "tensor_retain", "tensor")->retain(); });
}

CMP_API cmp_status cmp_tensor_release(cmp_tensor tensor) {
    if (!tensor) return CMP_STATUS_OK;
    return guard("tensor_release", [&] { impl_arg(tensor, "tensor_release", "tensor")->release(); });
}

}  // extern "C"
