// The one exported symbol of libcompute_cuda: the backend table (backend_api.h) the core loads.
#include "cuda/entries.h"
#include "cuda/status.h"

#if defined(_WIN32)
#define COMPUTE_CUDA_EXPORT extern "C" __declspec(dllexport)
#else
#define COMPUTE_CUDA_EXPORT extern "C" __attribute__((visibility("default")))
#endif

namespace cmp::cuda_backend {
namespace {

const compute_cuda_backend kBackend = {
    COMPUTE_CUDA_BACKEND_VERSION,
    sizeof(compute_cuda_backend),
    last_error,
    runtime_version,
    device_count,
    unavailable_reason,
    device_properties,
    synchronize,
    set_reclaim_hook,
    allocate,
    deallocate,
    memory_stats,
    reset_peak_stats,
    empty_cache,
    copy_bytes,
    stream_destroy,
    stream_synchronize,
    stream_query,
    stream_wait_event,
    event_create,
    event_destroy,
    event_record,
    event_synchronize,
    event_query,
    event_elapsed_ms,
    host_allocate,
    host_deallocate,
    host_record,
    fill,
    copy,
    unary,
    binary,
    sum_rows,
    unary_math,
    clamp,
    compare,
    where,
    masked_fill,
    binary_math,
    ternary_math,
    reduce_rows,
    reduce_rows_args,
    softmax,
    softmax_backward,
    scan,
    triangle,
    gemm,
    random,
    optim_step,
    row_norm,
    row_norm_backward,
    activation_backward,
    pointwise_loss,
    class_loss,
    gather,
    embedding_backward,
    scatter,
    im2col,
    pool,
    randperm,
    multinomial,
    nonzero,
    advanced_index,
    sort,
    search,
    interpolate,
    grid_sample,
    record_stream,
    stream_priority_range,
    stream_create_with_priority,
    stream_priority,
    mem_get_info,
    attention,
    attention_backward,
    batch_norm,
    batch_norm_backward,
};

}  // namespace
}  // namespace cmp::cuda_backend

COMPUTE_CUDA_EXPORT const compute_cuda_backend* compute_cuda_get_backend(void) { return &cmp::cuda_backend::kBackend; }
