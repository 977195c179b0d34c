// Entries of the backend table (backend_api.h), grouped by the file that implements them.
#pragma once

#include "cuda/backend_api.h"

#include <cstdint>

namespace cmp::cuda_backend {

// device.cu
int32_t runtime_version();
int32_t device_count();
const char* unavailable_reason();
int32_t device_properties(int32_t device, compute_cuda_device_properties* out);
int32_t synchronize(int32_t device);
int32_t copy_bytes(int32_t device, void* dst, const void* src, int64_t nbytes, void* stream, int32_t async);
int32_t mem_get_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes);
int32_t stream_priority_range(int32_t device, int32_t* least, int32_t* greatest);
int32_t stream_create_with_priority(int32_t device, int32_t priority, void** out);
int32_t stream_priority(void* stream, int32_t* out);
int32_t stream_destroy(void* stream);
int32_t stream_synchronize(void* stream);
int32_t stream_query(void* stream, int32_t* done);
int32_t stream_wait_event(void* stream, void* event);
int32_t event_create(int32_t device, int32_t timing, void** out);
int32_t event_destroy(void* event);
int32_t event_record(void* event, void* stream);
int32_t event_synchronize(void* event);
int32_t event_query(void* event, int32_t* done);
int32_t event_elapsed_ms(void* start, void* end, float* out);

// host_allocator.cpp
int32_t host_allocate(int64_t nbytes, void** out);
int32_t host_deallocate(void* ptr);
int32_t host_record(void* ptr, int32_t device, void* stream);

// allocator.cu
int32_t set_reclaim_hook(compute_cuda_reclaim_fn hook, void* context);
int32_t allocate(int32_t device, int64_t nbytes, void* stream, void** out);
int32_t deallocate(void* ptr);
int32_t memory_stats(int32_t device, cmp_memory_stats* out);
int32_t reset_peak_stats(int32_t device);
int32_t empty_cache(int32_t device);
int32_t record_stream(void* ptr, void* stream);

// elementwise.cu
int32_t fill(const compute_cuda_iter* iter, cmp_scalar value);
int32_t copy(const compute_cuda_iter* iter);
int32_t unary(const compute_cuda_iter* iter, int32_t op);
int32_t binary(const compute_cuda_iter* iter, int32_t op, cmp_scalar alpha);

// unary_math.cu
int32_t unary_math(const compute_cuda_iter* iter, int32_t op, const compute_cuda_unary_params* params);
int32_t clamp(const compute_cuda_iter* iter, int32_t mode, int32_t nan_bounds_propagate);

// select_compare.cu
int32_t compare(const compute_cuda_iter* iter, int32_t op);
int32_t where(const compute_cuda_iter* iter);
int32_t masked_fill(const compute_cuda_iter* iter, cmp_scalar value);

// binary_math.cu, ternary_math.cu
int32_t binary_math(const compute_cuda_iter* iter, int32_t op);
int32_t ternary_math(const compute_cuda_iter* iter, int32_t op, cmp_scalar value);

// reduce.cu
int32_t sum_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                 int64_t rows, int64_t row_len);
int32_t reduce_rows(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                    int64_t rows, int64_t row_len, int32_t op);
int32_t reduce_rows_args(int32_t device, void* stream, const void* in, int32_t in_dtype, void* out, int32_t out_dtype,
                         int64_t rows, int64_t row_len, int32_t op, const compute_cuda_reduce_args* args);

// softmax.cu, scan.cu (lines.cuh)
int32_t softmax(const compute_cuda_lines* lines, const void* in, void* out, int32_t log);
int32_t softmax_backward(const compute_cuda_lines* lines, const void* grad_out, const void* out, void* grad_in,
                         int32_t log);
int32_t scan(const compute_cuda_lines* lines, const void* in, void* out, int32_t op);

// triangle.cu
int32_t triangle(const compute_cuda_lines* lines, const void* in, void* out, int64_t diagonal, int32_t upper);

// gemm.cpp (cuBLAS)
int32_t gemm(const compute_cuda_gemm* g);

// random.cu
int32_t random(const compute_cuda_random* r);

// optim.cu
int32_t optim_step(const compute_cuda_optim* o);

// row_norm.cu
int32_t row_norm(const compute_cuda_row_norm* d);
int32_t row_norm_backward(const compute_cuda_row_norm* d);

// activation_backward.cu
int32_t activation_backward(const compute_cuda_iter* iter, int32_t op, const compute_cuda_activation_params* params);

// pointwise_loss.cu
int32_t pointwise_loss(const compute_cuda_iter* iter, const compute_cuda_loss_args* a);
// index.cu
int32_t gather(compute_cuda_gather* g);
int32_t embedding_backward(compute_cuda_embedding_backward* e);
int32_t scatter(compute_cuda_scatter* s);

// im2col.cu (im2col_index.h)
int32_t im2col(const compute_cuda_im2col* d);

// randperm_multinomial.cu (scratch.h, core/multinomial_rows.h)
int32_t randperm(const compute_cuda_randperm* r);
int32_t multinomial(compute_cuda_multinomial* m);

// sort_search.cu (scratch.h, cpu/sort_key.h)
int32_t sort(const compute_cuda_sort* s);
int32_t search(const compute_cuda_search* s);

// class_loss.cu (lines.cuh, class_loss_rows.h)
int32_t class_loss(const compute_cuda_class_loss* c);

// pool.cu (pool_window.h)
int32_t pool(compute_cuda_pool* p);

// nonzero.cu and advanced_index.cu (advanced_index_walk.h)
int32_t nonzero(compute_cuda_nonzero* z);
int32_t advanced_index(compute_cuda_advanced_index* a);

// interpolate.cu (interp_taps.h)
int32_t interpolate(const compute_cuda_interp* d);

// grid_sample.cu (grid_sample_math.h, scratch.h)
int32_t grid_sample(const compute_cuda_grid_sample* d);

// flash_attention.cu
int32_t attention(const compute_cuda_attention* a);
int32_t attention_backward(const compute_cuda_attention* a);

// batch_norm.cu
int32_t batch_norm(const compute_cuda_batch_norm* b);
int32_t batch_norm_backward(const compute_cuda_batch_norm* b);

}  // namespace cmp::cuda_backend
