/*
 * compute.h - the one public C ABI of the Compute tensor library.
 *
 * Rules (see DESIGN.md section 3):
 *  - C99-clean. Every function returns cmp_status unless documented otherwise; results go
 *    through out-parameters named out or out_*. Nothing throws or aborts across this
 *    boundary: on failure the function returns a non-OK status and cmp_last_error() gives a
 *    message naming the op, the argument and the shapes/dtypes/devices involved.
 *  - Tensor handles are reference counted and thread safe. Every handle returned through an
 *    out-parameter is owned by the caller, who releases it with cmp_tensor_release.
 *  - Sizes, strides, dims and indices are int64_t. Negative dims count from the end.
 *
 * The binding generator (bindings/) parses this file: keep one declaration per function
 * and put the documentation comment directly above it.
 */
#ifndef COMPUTE_COMPUTE_H
#define COMPUTE_COMPUTE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(COMPUTE_BUILDING_LIBRARY)
#define CMP_API __declspec(dllexport)
#else
#define CMP_API __declspec(dllimport)
#endif
#else
#define CMP_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version. Bumped whenever a declaration in this header changes incompatibly. */
#define CMP_ABI_VERSION 1

/** Result of every ABI call. */
typedef enum cmp_status {
    /** Success. */
    CMP_STATUS_OK = 0,
    /** An argument is invalid (bad enum value, negative size, overflowing size...). */
    CMP_STATUS_INVALID_ARGUMENT = 1,
    /** Shapes do not match or cannot be broadcast. */
    CMP_STATUS_SHAPE_MISMATCH = 2,
    /** A dtype is not supported by the op or cannot be converted as asked. */
    CMP_STATUS_DTYPE_MISMATCH = 3,
    /** A dim or an index is out of range. */
    CMP_STATUS_INDEX_OUT_OF_RANGE = 4,
    /** Memory could not be allocated, even after the allocation-failure hook ran. */
    CMP_STATUS_OUT_OF_MEMORY = 5,
    /** The device is unknown or not available (e.g. CUDA without a CUDA library). */
    CMP_STATUS_DEVICE_ERROR = 6,
    /** A handle is null or no longer valid. */
    CMP_STATUS_INVALID_HANDLE = 7,
    /** The tensor's layout does not allow the operation (e.g. view of non-contiguous data). */
    CMP_STATUS_LAYOUT_ERROR = 8,
    /** The operation is not valid in the current state. */
    CMP_STATUS_INVALID_STATE = 9,
    /** A bug in Compute; the message says where. */
    CMP_STATUS_INTERNAL_ERROR = 10
} cmp_status;

/** Element types. The numeric values are part of the ABI. */
typedef enum cmp_dtype {
    /** 32-bit IEEE float. */
    CMP_DTYPE_FLOAT32 = 0,
    /** 64-bit IEEE float. */
    CMP_DTYPE_FLOAT64 = 1,
    /** 16-bit IEEE half float (stored; computed in float32 on the CPU). */
    CMP_DTYPE_FLOAT16 = 2,
    /** 16-bit brain float (stored; computed in float32 on the CPU). */
    CMP_DTYPE_BFLOAT16 = 3,
    /** 64-bit signed integer. */
    CMP_DTYPE_INT64 = 4,
    /** 32-bit signed integer. */
    CMP_DTYPE_INT32 = 5,
    /** 16-bit signed integer. */
    CMP_DTYPE_INT16 = 6,
    /** 8-bit signed integer. */
    CMP_DTYPE_INT8 = 7,
    /** 8-bit unsigned integer. */
    CMP_DTYPE_UINT8 = 8,
    /** Boolean stored as one byte holding 0 or 1. */
    CMP_DTYPE_BOOL = 9
} cmp_dtype;

/** Kinds of device. */
typedef enum cmp_device_type {
    /** The host CPU. */
    CMP_DEVICE_CPU = 0,
    /** An NVIDIA GPU through the compute_cuda library. */
    CMP_DEVICE_CUDA = 1
} cmp_device_type;

/** A device: its type and its index (0 for the CPU). */
typedef struct cmp_device {
    /** A cmp_device_type value. */
    int32_t type;
    /** Device ordinal; 0 for the CPU. */
    int32_t index;
} cmp_device;

/** Kinds of value a cmp_scalar holds. */
typedef enum cmp_scalar_kind {
    /** The scalar is a floating-point number held in f. */
    CMP_SCALAR_FLOAT = 0,
    /** The scalar is an integer held in i. */
    CMP_SCALAR_INT = 1,
    /** The scalar is a boolean held in i (0 or 1). */
    CMP_SCALAR_BOOL = 2
} cmp_scalar_kind;

/** A number passed by value: a float, an integer or a boolean (PyTorch's Scalar). */
typedef struct cmp_scalar {
    /** A cmp_scalar_kind value. */
    int32_t kind;
    /** Padding; set to 0. */
    int32_t reserved;
    /** The value when kind is CMP_SCALAR_FLOAT. */
    double f;
    /** The value when kind is CMP_SCALAR_INT or CMP_SCALAR_BOOL. */
    int64_t i;
} cmp_scalar;

/** Memory statistics of one device, in bytes. */
typedef struct cmp_memory_stats {
    /** Bytes held by live tensors' storage. */
    int64_t allocated;
    /** Bytes obtained from the system, including the allocator's cache. */
    int64_t reserved;
    /** Highest value of allocated since start or the last reset. */
    int64_t peak_allocated;
    /** Number of allocations that failed and ran the allocation-failure hook. */
    int64_t failed_allocations;
} cmp_memory_stats;

/** Opaque, reference-counted tensor handle. */
typedef struct cmp_tensor_impl* cmp_tensor;

/** Called when external memory wrapped by cmp_from_external is no longer used. */
typedef void (*cmp_deleter)(void* data, void* context);

/**
 * Called when an allocation of nbytes fails. The hook may free memory (a managed host runs
 * its garbage collector and finalizers here); it returns non-zero to ask for one more try.
 */
typedef int32_t (*cmp_alloc_failure_hook)(int64_t nbytes, void* context);

/* ---------------------------------------------------------------------------------------
 * Library
 * ------------------------------------------------------------------------------------- */

/** The ABI version this library was built with (CMP_ABI_VERSION). Never fails. */
CMP_API uint32_t cmp_abi_version(void);

/**
 * The message of the last failed call on this thread (UTF-8, never NULL; empty after a
 * success-only history). Valid until the next failing call on the same thread.
 */
CMP_API const char* cmp_last_error(void);

/** The library version as a string such as "0.1.0" (static storage). */
CMP_API cmp_status cmp_version(const char** out);

/** Name of the CPU kernel variant chosen at load: "avx512", "avx2" or "baseline". */
CMP_API cmp_status cmp_cpu_isa(const char** out);

/** Sets the number of threads used by intra-op parallelism (>= 1). */
CMP_API cmp_status cmp_set_num_threads(int32_t num_threads);

/** Gets the number of threads used by intra-op parallelism. */
CMP_API cmp_status cmp_get_num_threads(int32_t* out);

/** Installs (or with NULL removes) the hook run when an allocation fails. */
CMP_API cmp_status cmp_set_alloc_failure_hook(cmp_alloc_failure_hook hook, void* context);

/** Memory statistics of a device. */
CMP_API cmp_status cmp_memory_stats_get(cmp_device device, cmp_memory_stats* out);

/** Returns cached, unused memory of a device to the system. */
CMP_API cmp_status cmp_empty_cache(cmp_device device);

/** Number of usable CUDA devices; 0 when no CUDA library or driver is present. */
CMP_API cmp_status cmp_cuda_device_count(int32_t* out);

/**
 * Why CUDA cannot be used (UTF-8, static storage, never NULL): the CUDA backend library could
 * not be loaded or is of another version, or it sees no device. Empty when devices exist.
 */
CMP_API cmp_status cmp_cuda_unavailable_reason(const char** out);

/** Waits until all work queued on a CUDA device has finished. */
CMP_API cmp_status cmp_cuda_synchronize(int32_t device);

/**
 * Free and total bytes of a CUDA device as the driver counts them (torch.cuda.mem_get_info):
 * the free bytes are what every process and context leaves, not what this library's cache holds
 * (cmp_memory_stats_get tells that).
 */
CMP_API cmp_status cmp_cuda_mem_get_info(int32_t device, int64_t* out_free, int64_t* out_total);

/** Resets the peak_allocated statistic of a CUDA device to what is allocated now. */
CMP_API cmp_status cmp_cuda_reset_peak_memory_stats(int32_t device);

/**
 * Allows (non-zero) or forbids (0) TF32 tensor cores in float32 matrix products on CUDA
 * (torch.backends.cuda.matmul.allow_tf32): inputs rounded to a 10-bit mantissa, float32
 * accumulation, several times faster on Ampere and newer GPUs. Off by default. Process-wide;
 * needs no device.
 */
CMP_API cmp_status cmp_cuda_set_allow_tf32(int32_t allow);

/** Whether float32 matrix products on CUDA may use TF32 tensor cores (1) or not (0). */
CMP_API cmp_status cmp_cuda_get_allow_tf32(int32_t* out);

/* ---------------------------------------------------------------------------------------
 * CUDA streams and events
 *
 * Work on CUDA tensors is queued on the calling thread's current stream of the tensor's
 * device (torch.cuda.current_stream): the device's default stream until
 * cmp_cuda_set_current_stream names another. Streams from cmp_cuda_stream_create come from a
 * per-device pool owned by the library for the life of the process (as PyTorch's), so a
 * stream handle never dangles and is never freed. Streams do not synchronise with each
 * other: work on one stream that reads the result of another must wait for it
 * (cmp_cuda_stream_wait_event). Events are created and destroyed by the caller.
 * ------------------------------------------------------------------------------------- */

/** A CUDA stream (owned by the library; never freed). */
typedef struct cmp_cuda_stream_impl* cmp_cuda_stream;

/** A CUDA event (created by cmp_cuda_event_create, freed by cmp_cuda_event_destroy). */
typedef struct cmp_cuda_event_impl* cmp_cuda_event;

/** The default stream of a CUDA device (torch.cuda.default_stream). */
CMP_API cmp_status cmp_cuda_default_stream(int32_t device, cmp_cuda_stream* out);

/**
 * A stream of a CUDA device from the library's pool (torch.cuda.Stream()): each device has 32,
 * created on first use and handed out in turn, so a program that asks for more than 32 shares them.
 */
CMP_API cmp_status cmp_cuda_stream_create(int32_t device, cmp_cuda_stream* out);

/**
 * A stream of a CUDA device with a priority (torch.cuda.Stream(priority=...)): lower numbers are
 * more urgent, and when streams of different priorities have work ready the GPU schedules the
 * more urgent first. 0 is the default (cmp_cuda_stream_create's); a priority outside the device's
 * range (cmp_cuda_stream_priority_range) is clamped into it. Each priority has its own pool of 32.
 */
CMP_API cmp_status cmp_cuda_stream_create_with_priority(int32_t device, int32_t priority, cmp_cuda_stream* out);

/**
 * The stream priorities of a CUDA device (torch.cuda.Stream.priority_range): *out_least is 0 (the
 * default), *out_greatest the most urgent (negative, e.g. -5; 0 where the device has no priorities).
 */
CMP_API cmp_status cmp_cuda_stream_priority_range(int32_t device, int32_t* out_least, int32_t* out_greatest);

/** The priority of a stream (0 for default streams). */
CMP_API cmp_status cmp_cuda_stream_priority(cmp_cuda_stream stream, int32_t* out);

/**
 * A cudaStream_t made outside the library, on CUDA device `device`, as a stream handle
 * (torch.cuda.ExternalStream): it can be made current, waited on and recorded like the library's
 * own, so Compute's work can be queued on a stream of the program that embeds it. Wrapping the
 * same stream again gives the same handle. The caller owns the stream: it must be a stream of that
 * device, and stay alive while work is queued on it and while tensors allocated on it live
 * (synchronize it before destroying it). NULL is refused (the default stream is
 * cmp_cuda_default_stream); a stream the driver does not know fails with its error.
 */
CMP_API cmp_status cmp_cuda_stream_from_external(int32_t device, void* cuda_stream, cmp_cuda_stream* out);

/**
 * The cudaStream_t behind a stream handle (torch.cuda.Stream.cuda_stream), for passing to other
 * CUDA libraries; NULL for a device's default stream (the legacy default stream).
 */
CMP_API cmp_status cmp_cuda_stream_native_handle(cmp_cuda_stream stream, void** out);

/** The calling thread's current stream of a CUDA device (torch.cuda.current_stream). */
CMP_API cmp_status cmp_cuda_current_stream(int32_t device, cmp_cuda_stream* out);

/**
 * Makes stream the calling thread's current stream of its device (torch.cuda.set_stream); ops
 * on that device's tensors called from this thread are queued on it from now on.
 */
CMP_API cmp_status cmp_cuda_set_current_stream(cmp_cuda_stream stream);

/** The device index of a stream. */
CMP_API cmp_status cmp_cuda_stream_device(cmp_cuda_stream stream, int32_t* out);

/** Waits until all work queued on stream has finished. */
CMP_API cmp_status cmp_cuda_stream_synchronize(cmp_cuda_stream stream);

/** Whether all work queued on stream has finished (1) or not (0), without waiting. */
CMP_API cmp_status cmp_cuda_stream_query(cmp_cuda_stream stream, int32_t* out);

/** Makes work queued on stream from now on wait until event has completed (no host wait). */
CMP_API cmp_status cmp_cuda_stream_wait_event(cmp_cuda_stream stream, cmp_cuda_event event);

/**
 * A new event of a CUDA device (torch.cuda.Event). With enable_timing non-zero it records
 * times for cmp_cuda_event_elapsed_ms; without, recording and waiting are cheaper.
 */
CMP_API cmp_status cmp_cuda_event_create(int32_t device, int32_t enable_timing, cmp_cuda_event* out);

/** Frees an event (NULL is ignored). A recorded event may be destroyed before it completes. */
CMP_API cmp_status cmp_cuda_event_destroy(cmp_cuda_event event);

/** Records event at the current end of stream (a stream of the event's device). */
CMP_API cmp_status cmp_cuda_event_record(cmp_cuda_event event, cmp_cuda_stream stream);

/** Waits until the work before the event's last record has finished (at once if never recorded). */
CMP_API cmp_status cmp_cuda_event_synchronize(cmp_cuda_event event);

/** Whether the work before the event's last record has finished (1) or not (0), without waiting. */
CMP_API cmp_status cmp_cuda_event_query(cmp_cuda_event event, int32_t* out);

/**
 * Milliseconds between the records of start and end (both created with enable_timing, both
 * recorded and completed).
 */
CMP_API cmp_status cmp_cuda_event_elapsed_ms(cmp_cuda_event start, cmp_cuda_event end, float* out);

/**
 * Notes that work queued on stream uses tensor's memory (Tensor.record_stream): when its storage
 * is freed, the block is not handed out again until the work queued on stream up to that moment
 * has finished. Needed when a tensor allocated on one stream is used by work on another and
 * freed before that work is known to be done. tensor must be a CUDA tensor of the stream's device;
 * memory wrapped from outside (DLPack, cmp_from_external) is left to its owner.
 */
CMP_API cmp_status cmp_record_stream(cmp_tensor tensor, cmp_cuda_stream stream);

/* ---------------------------------------------------------------------------------------
 * Handles
 * ------------------------------------------------------------------------------------- */

/** Adds a reference to a tensor handle. */
CMP_API cmp_status cmp_tensor_retain(cmp_tensor tensor);

/** Drops a reference; the tensor is freed when the last one goes. NULL is ignored. */
CMP_API cmp_status cmp_tensor_release(cmp_tensor tensor);

/* ---------------------------------------------------------------------------------------
 * Creation
 * ------------------------------------------------------------------------------------- */

/** An uninitialised contiguous tensor of the given sizes. Dtypes: all. */
CMP_API cmp_status cmp_empty(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with zeros. Dtypes: all. */
CMP_API cmp_status cmp_zeros(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with ones. Dtypes: all. */
CMP_API cmp_status cmp_ones(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with value (converted to dtype). Dtypes: all. */
CMP_API cmp_status cmp_full(const int64_t* sizes, int64_t ndim, cmp_scalar value, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * A 0-dim tensor holding a number given as an operand to an op (PyTorch's wrapped number):
 * it takes part in type promotion as a Python scalar does, so int32 tensor + 2.5 is float32.
 */
CMP_API cmp_status cmp_scalar_tensor(cmp_scalar value, cmp_device device, cmp_tensor* out);

/** Values start, start+step, ... below end (above end for a negative step). Dtypes: all but bool. */
CMP_API cmp_status cmp_arange(cmp_scalar start, cmp_scalar end, cmp_scalar step, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * A CPU tensor holding a copy of nbytes bytes at data, laid out contiguously in dtype.
 * nbytes must equal the product of sizes times the element size.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_from_buffer(const void* data, int64_t nbytes, const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_tensor* out);

/**
 * A tensor over memory the caller owns, without a copy. strides may be NULL for a
 * contiguous layout. deleter (may be NULL) is called with (data, context) once no tensor
 * uses the memory any more.
 * Dtypes: all.
 */
CMP_API cmp_status cmp_from_external(void* data, const int64_t* sizes, const int64_t* strides, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_deleter deleter, void* context, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------------------- */

/** Number of dimensions. */
CMP_API cmp_status cmp_tensor_ndim(cmp_tensor tensor, int64_t* out);

/** Copies the sizes into out, which holds capacity values (at least ndim). */
CMP_API cmp_status cmp_tensor_sizes(cmp_tensor tensor, int64_t* out, int64_t capacity);

/** Copies the strides (in elements) into out, which holds capacity values (at least ndim). */
CMP_API cmp_status cmp_tensor_strides(cmp_tensor tensor, int64_t* out, int64_t capacity);

/** Offset of the first element from the start of the storage, in elements. */
CMP_API cmp_status cmp_tensor_offset(cmp_tensor tensor, int64_t* out);

/** Element type. */
CMP_API cmp_status cmp_tensor_dtype(cmp_tensor tensor, cmp_dtype* out);

/** Device holding the data. */
CMP_API cmp_status cmp_tensor_device(cmp_tensor tensor, cmp_device* out);

/** Number of elements (product of sizes). */
CMP_API cmp_status cmp_tensor_numel(cmp_tensor tensor, int64_t* out);

/** Size of one element in bytes. */
CMP_API cmp_status cmp_tensor_element_size(cmp_tensor tensor, int64_t* out);

/** Whether the elements are laid out contiguously in row-major order (1) or not (0). */
CMP_API cmp_status cmp_tensor_is_contiguous(cmp_tensor tensor, int32_t* out);

/** Size in bytes of the storage behind the tensor (shared by its views). */
CMP_API cmp_status cmp_tensor_storage_nbytes(cmp_tensor tensor, int64_t* out);

/** Number of tensor handles (views included) currently sharing the tensor's storage. */
CMP_API cmp_status cmp_tensor_storage_use_count(cmp_tensor tensor, int64_t* out);

/**
 * The version counter of the tensor's storage, shared by all its views: it starts at 0 and
 * every in-place op through this ABI that writes into the tensor or a view of it adds 1
 * (PyTorch's _version). Autograd uses it to detect tensors changed after being saved.
 */
CMP_API cmp_status cmp_tensor_version(cmp_tensor tensor, uint64_t* out);

/** Address of the first element (storage base plus offset). */
CMP_API cmp_status cmp_tensor_data_ptr(cmp_tensor tensor, void** out);

/**
 * Copies the elements in row-major order into dst (any layout of the tensor is accepted);
 * nbytes must equal numel times the element size.
 */
CMP_API cmp_status cmp_tensor_copy_to_buffer(cmp_tensor tensor, void* dst, int64_t nbytes);

/** Reads one element at the given indices (one per dim) as a scalar of the tensor's kind. */
CMP_API cmp_status cmp_tensor_item(cmp_tensor tensor, const int64_t* indices, int64_t count, cmp_scalar* out);

/* ---------------------------------------------------------------------------------------
 * Views: the result shares storage with the input.
 * ------------------------------------------------------------------------------------- */

/** A view with new sizes (one may be -1); fails when the strides do not allow it. Dtypes: all. */
CMP_API cmp_status cmp_view(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Like cmp_view, but copies when a view is impossible. Dtypes: all. */
CMP_API cmp_status cmp_reshape(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Reorders the dims: dims is a permutation of 0..ndim-1. Dtypes: all. */
CMP_API cmp_status cmp_permute(cmp_tensor tensor, const int64_t* dims, int64_t ndim, cmp_tensor* out);

/** Swaps two dims. Dtypes: all. */
CMP_API cmp_status cmp_transpose(cmp_tensor tensor, int64_t dim0, int64_t dim1, cmp_tensor* out);

/**
 * Elements start, start+step, ... below end along dim (bounds clamped as in Python, step > 0).
 * Dtypes: all.
 */
CMP_API cmp_status cmp_slice(cmp_tensor tensor, int64_t dim, int64_t start, int64_t end, int64_t step, cmp_tensor* out);

/** The sub-tensor at index along dim; the dim is removed. Dtypes: all. */
CMP_API cmp_status cmp_select(cmp_tensor tensor, int64_t dim, int64_t index, cmp_tensor* out);

/** length elements from start along dim. Dtypes: all. */
CMP_API cmp_status cmp_narrow(cmp_tensor tensor, int64_t dim, int64_t start, int64_t length, cmp_tensor* out);

/** Broadcasts size-1 dims to sizes (-1 keeps a size); new leading dims may be added. Dtypes: all. */
CMP_API cmp_status cmp_expand(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Removes every size-1 dim. Dtypes: all. */
CMP_API cmp_status cmp_squeeze(cmp_tensor tensor, cmp_tensor* out);

/** Removes dim if its size is 1, otherwise returns the same shape. */
CMP_API cmp_status cmp_squeeze_dim(cmp_tensor tensor, int64_t dim, cmp_tensor* out);

/** Inserts a size-1 dim at position dim (-ndim-1 <= dim <= ndim). Dtypes: all. */
CMP_API cmp_status cmp_unsqueeze(cmp_tensor tensor, int64_t dim, cmp_tensor* out);

/** A view with explicit sizes, strides (in elements) and storage offset; bounds are checked. Dtypes: all. */
CMP_API cmp_status cmp_as_strided(cmp_tensor tensor, const int64_t* sizes, const int64_t* strides, int64_t ndim, int64_t offset, cmp_tensor* out);

/** Merges dims start_dim..end_dim into one (a view when possible, else a copy). Dtypes: all. */
CMP_API cmp_status cmp_flatten(cmp_tensor tensor, int64_t start_dim, int64_t end_dim, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Copies and conversions
 * ------------------------------------------------------------------------------------- */

/** The tensor itself (a new reference) when contiguous, else a contiguous copy. Dtypes: all. */
CMP_API cmp_status cmp_contiguous(cmp_tensor tensor, cmp_tensor* out);

/** A contiguous copy with its own storage. Dtypes: all. */
CMP_API cmp_status cmp_clone(cmp_tensor tensor, cmp_tensor* out);

/** A copy converted to dtype (a new reference to the input when the dtype already matches). Dtypes: all. */
CMP_API cmp_status cmp_to_dtype(cmp_tensor tensor, cmp_dtype dtype, cmp_tensor* out);

/** A copy on device (a new reference to the input when it is already there). Dtypes: all. */
CMP_API cmp_status cmp_to_device(cmp_tensor tensor, cmp_device device, cmp_tensor* out);

/** Copies src into dst in place, broadcasting src and converting its dtype. Dtypes: all. */
CMP_API cmp_status cmp_copy_(cmp_tensor dst, cmp_tensor src);

/**
 * A copy of a CPU tensor in page-locked (pinned) host memory (Tensor.pin_memory), or a new
 * reference to it when it is pinned already. Copies between pinned memory and a CUDA device can
 * run asynchronously (cmp_to_device_non_blocking). Needs a CUDA device. Dtypes: all.
 */
CMP_API cmp_status cmp_pin_memory(cmp_tensor tensor, cmp_tensor* out);

/** Whether a tensor lives in pinned host memory (1) or not (0). Dtypes: all. */
CMP_API cmp_status cmp_is_pinned(cmp_tensor tensor, int32_t* out);

/**
 * cmp_to_device with PyTorch's non_blocking: when non_blocking is non-zero and the copy is
 * between a CUDA device and pinned host memory (the host side contiguous, of the same dtype),
 * it is queued on the current stream of the CUDA device and the call returns before it has
 * run; the result must not be read on the host before that stream is synchronised. Pinned
 * memory given to such a copy is not reused until the copy has finished, even if its tensor is
 * freed at once. Any other copy is synchronous, as with non_blocking zero. Dtypes: all.
 */
CMP_API cmp_status cmp_to_device_non_blocking(cmp_tensor tensor, cmp_device device, int32_t non_blocking,
                                              cmp_tensor* out);

/** cmp_copy_ with PyTorch's non_blocking, under the rules of cmp_to_device_non_blocking. Dtypes: all. */
CMP_API cmp_status cmp_copy_non_blocking_(cmp_tensor dst, cmp_tensor src, int32_t non_blocking);

/** Sets every element of tensor to value, in place. Dtypes: all. */
CMP_API cmp_status cmp_fill_(cmp_tensor tensor, cmp_scalar value);

/* ---------------------------------------------------------------------------------------
 * DLPack exchange (DLPack 0.8 / 1.x DLManagedTensor layout).
 * ------------------------------------------------------------------------------------- */

/**
 * Exports the tensor as a DLManagedTensor*. The consumer calls its deleter when done; the
 * storage stays alive until then.
 */
CMP_API cmp_status cmp_to_dlpack(cmp_tensor tensor, void** out);

/**
 * Imports a DLManagedTensor* without a copy; Compute calls its deleter when the last tensor
 * using it is released. On failure the DLManagedTensor is left to the caller.
 */
CMP_API cmp_status cmp_from_dlpack(void* managed_tensor, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Random numbers (Philox 4x32-10, counter based: the same seed gives the same numbers
 * whatever the number of threads).
 * ------------------------------------------------------------------------------------- */

/** Seeds the default generator and resets its offset. Dtypes: none (no tensor argument). */
CMP_API cmp_status cmp_manual_seed(uint64_t seed);

/** Reads the default generator's seed and offset (its whole state). Dtypes: none (no tensor argument). */
CMP_API cmp_status cmp_rng_get_state(uint64_t* out_seed, uint64_t* out_offset);

/** Restores the default generator's seed and offset. Dtypes: none (no tensor argument). */
CMP_API cmp_status cmp_rng_set_state(uint64_t seed, uint64_t offset);

/** Uniform numbers in [0, 1). dtype must be a floating type. Dtypes: floating. */
CMP_API cmp_status cmp_rand(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Standard normal numbers. dtype must be a floating type. Dtypes: floating. */
CMP_API cmp_status cmp_randn(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Uniform integers in [low, high). Dtypes: all. */
CMP_API cmp_status cmp_randint(int64_t low, int64_t high, const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Pointwise ops. Inputs broadcast; the result dtype follows PyTorch's type promotion.
 * Functions ending in _ work in place on their first argument.
 * ------------------------------------------------------------------------------------- */

/** a + alpha * b. */
CMP_API cmp_status cmp_add(cmp_tensor a, cmp_tensor b, cmp_scalar alpha, cmp_tensor* out);

/** a += alpha * b, in place. */
CMP_API cmp_status cmp_add_(cmp_tensor a, cmp_tensor b, cmp_scalar alpha);

/** a - alpha * b. */
CMP_API cmp_status cmp_sub(cmp_tensor a, cmp_tensor b, cmp_scalar alpha, cmp_tensor* out);

/** a -= alpha * b, in place. */
CMP_API cmp_status cmp_sub_(cmp_tensor a, cmp_tensor b, cmp_scalar alpha);

/** a * b. */
CMP_API cmp_status cmp_mul(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a *= b, in place. */
CMP_API cmp_status cmp_mul_(cmp_tensor a, cmp_tensor b);

/** a / b (true division: integer inputs give a float result). */
CMP_API cmp_status cmp_div(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a /= b, in place. */
CMP_API cmp_status cmp_div_(cmp_tensor a, cmp_tensor b);

/** -a. Not defined for bool. */
CMP_API cmp_status cmp_neg(cmp_tensor a, cmp_tensor* out);

/** e^a (integer inputs give float32). */
CMP_API cmp_status cmp_exp(cmp_tensor a, cmp_tensor* out);

/** a == b as a bool tensor. */
CMP_API cmp_status cmp_eq(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a != b as a bool tensor. */
CMP_API cmp_status cmp_ne(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a < b as a bool tensor. */
CMP_API cmp_status cmp_lt(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a <= b as a bool tensor. */
CMP_API cmp_status cmp_le(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a > b as a bool tensor. */
CMP_API cmp_status cmp_gt(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a >= b as a bool tensor. */
CMP_API cmp_status cmp_ge(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Reductions. dims may be NULL with ndims 0 to reduce over every dim.
 * ------------------------------------------------------------------------------------- */

/** Sum over dims (integer and bool inputs sum to int64, like PyTorch). */
CMP_API cmp_status cmp_sum(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Mean over dims; floating inputs only. */
CMP_API cmp_status cmp_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Linear algebra
 * ------------------------------------------------------------------------------------- */

/**
 * Matrix product with PyTorch's matmul rules (1-D, 2-D and broadcast batched inputs).
 * Dtypes: all but bool.
 */
CMP_API cmp_status cmp_matmul(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Op families, one header each (kept apart so no file grows past what a reader can hold).
 * ------------------------------------------------------------------------------------- */

#include "ops/pointwise_unary.h" /* Pointwise math: unary functions and activations (issue 3) */
#include "ops/pointwise_binary.h" /* Pointwise: binary and ternary ops, in-place and scalar forms (issue 3) */
#include "ops/reductions.h" /* Reductions and scans (issue 3) */
#include "ops/shape_index.h" /* Shape, joining and indexing ops (issue 3) */
#include "ops/factories.h" /* Factories and random distributions (issue 3) */
#include "ops/linalg.h" /* Linear algebra beyond matmul (issue 3) */
#include "ops/sort_search.h" /* Sorting, searching, unique, padding, repeat_interleave (issue 3) */
#include "ops/nn_norm.h" /* Softmax, norms, dropout, embedding: forward and backward (issue 3) */
#include "ops/nn_conv.h" /* Convolutions: forward and backward (issue 3) */
#include "ops/nn_pool.h" /* Pooling, upsampling, grid sampling: forward and backward (issue 3) */
#include "ops/nn_loss.h" /* Losses and attention: forward and backward (issue 3) */
#include "ops/optim.h" /* Fused optimizer update steps (issue 5) */

#ifdef __cplusplus
}
#endif

#endif /* COMPUTE_COMPUTE_H */
