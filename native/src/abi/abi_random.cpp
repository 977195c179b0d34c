// Random numbers from the default Philox generator.
#include "abi_util.h"
#include "ops/ops.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API cmp_status cmp_manual_seed(uint64_t seed) {
    return guard("manual_seed", [&] { ops::manual_seed(seed); });
}

CMP_API cmp_status cmp_rng_get_state(uint64_t* out_seed, uint64_t* out_offset) {
    return guard("rng_get_state", [&] {
        uint64_t& seed = out_arg(out_seed, "rng_get_state", "out_seed");
        uint64_t& offset = out_arg(out_offset, "rng_get_state", "out_offset");
        ops::rng_get_state(&seed, &offset);
    });
}

CMP_API cmp_status cmp_rng_set_state(uint64_t seed, uint64_t offset) {
    return guard("rng_set_state", [&] { ops::rng_set_state(seed, offset); });
}

CMP_API cmp_status cmp_rand(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return guard("rand", [&] {
        cmp_tensor& o = out_tensor(out, "rand");
        Creation c = creation_args("rand", sizes, ndim, dtype, device);
        o = to_handle(ops::rand(c.sizes, c.dtype, c.device));
    });
}

CMP_API cmp_status cmp_randn(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return guard("randn", [&] {
        cmp_tensor& o = out_tensor(out, "randn");
        Creation c = creation_args("randn", sizes, ndim, dtype, device);
        o = to_handle(ops::randn(c.sizes, c.dtype, c.device));
    });
}

CMP_API cmp_status cmp_randint(int64_t low, int64_t high, const int64_t* sizes, int64_t ndim, cmp_dtype dtype,
                               cmp_device device, cmp_tensor* out) {
    return guard("randint", [&] {
        cmp_tensor& o = out_tensor(out, "randint");
        Creation c = creation_args("randint", sizes, ndim, dtype, device);
        o = to_handle(ops::randint(low, high, c.sizes, c.dtype, c.device));
    });
}

}  // extern "C"
