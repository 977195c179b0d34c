// Library-wide ABI: versions, errors, threads, memory, devices.
#include "abi_util.h"
#include "core/allocator.h"
#include "core/cuda_runtime.h"
#include "core/parallel.h"
#include "cpu/dispatch_stub.h"

using namespace cmp;
using namespace cmp::abi;

extern "C" {

CMP_API uint32_t cmp_abi_version(void) { return CMP_ABI_VERSION; }

CMP_API const char* cmp_last_error(void) { return abi::last_error(); }

CMP_API cmp_status cmp_version(const char** out) {
    return guard("cmp_version", [&] { out_arg(out, "cmp_version") = COMPUTE_VERSION; });
}

CMP_API cmp_status cmp_cpu_isa(const char** out) {
    return guard("cmp_cpu_isa", [&] {
        const char*& o = out_arg(out, "cmp_cpu_isa");
        o = cpu::isa_level_name(cpu::selected_isa_level());
    });
}

CMP_API cmp_status cmp_set_num_threads(int32_t num_threads) {
    return guard("cmp_set_num_threads", [&] {
        CMP_CHECK(num_threads >= 1, INVALID_ARGUMENT, "cmp_set_num_threads: num_threads must be >= 1, got ",
                  num_threads);
        set_num_threads(num_threads);
    });
}

CMP_API cmp_status cmp_get_num_threads(int32_t* out) {
    return guard("cmp_get_num_threads", [&] { out_arg(out, "cmp_get_num_threads") = get_num_threads(); });
}

CMP_API cmp_status cmp_set_alloc_failure_hook(cmp_alloc_failure_hook hook, void* context) {
    return guard("cmp_set_alloc_failure_hook", [&] { cpu_allocator::set_failure_hook(hook, context); });
}

CMP_API cmp_status cmp_memory_stats_get(cmp_device device, cmp_memory_stats* out) {
    return guard("cmp_memory_stats_get", [&] {
        cmp_memory_stats& o = out_arg(out, "cmp_memory_stats_get");
        Device d = device_arg(device, "cmp_memory_stats_get", "device");
        require_available(d, "cmp_memory_stats_get");
        o = d.is_cpu() ? cpu_allocator::stats() : cuda::memory_stats(d.index, "cmp_memory_stats_get");
    });
}

CMP_API cmp_status cmp_empty_cache(cmp_device device) {
    return guard("cmp_empty_cache", [&] {
        Device d = device_arg(device, "cmp_empty_cache", "device");
        require_available(d, "cmp_empty_cache");
        if (d.is_cpu()) cpu_allocator::empty_cache();
        else cuda::empty_cache(d.index, "cmp_empty_cache");
    });
}

CMP_API cmp_status cmp_cuda_device_count(int32_t* out) {
    return guard("cmp_cuda_device_count", [&] { out_arg(out, "cmp_cuda_device_count") = cuda::device_count(); });
}

CMP_API cmp_status cmp_cuda_unavailable_reason(const char** out) {
    return guard("cmp_cuda_unavailable_reason",
                 [&] { out_arg(out, "cmp_cuda_unavailable_reason") = cuda::unavailable_reason().c_str(); });
}

CMP_API cmp_status cmp_cuda_synchronize(int32_t device) {
    return guard("cmp_cuda_synchronize", [&] {
        require_available(Device::from_c({CMP_DEVICE_CUDA, device}, "cmp_cuda_synchronize", "device"),
                          "cmp_cuda_synchronize");
        cuda::synchronize(device, "cmp_cuda_synchronize");
    });
}

CMP_API cmp_status cmp_cuda_reset_peak_memory_stats(int32_t device) {
    return guard("cmp_cuda_reset_peak_memory_stats", [&] {
        require_available(Device::from_c({CMP_DEVICE_CUDA, device}, "cmp_cuda_reset_peak_memory_stats", "device"),
                          "cmp_cuda_reset_peak_memory_stats");
        cuda::reset_peak_stats(device, "cmp_cuda_reset_peak_memory_stats");
    });
}

CMP_API cmp_status cmp_cuda_mem_get_info(int32_t device, int64_t* out_free, int64_t* out_total) {
    const char* op = "cmp_cuda_mem_get_info";
    return guard(op, [&] {
        int64_t& free_bytes = out_arg(out_free, op, "out_free");
        int64_t& total_bytes = out_arg(out_total, op, "out_total");
        require_available(Device::from_c({CMP_DEVICE_CUDA, device}, op, "device"), op);
        cuda::mem_get_info(device, &free_bytes, &total_bytes, op);
    });
}

CMP_API cmp_status cmp_cuda_set_allow_tf32(int32_t allow) {
    return guard("cmp_cuda_set_allow_tf32", [&] { cuda::set_allow_tf32(allow != 0); });
}

CMP_API cmp_status cmp_cuda_get_allow_tf32(int32_t* out) {
    return guard("cmp_cuda_get_allow_tf32",
                 [&] { out_arg(out, "cmp_cuda_get_allow_tf32") = cuda::allow_tf32() ? 1 : 0; });
}

}  // extern "C"
