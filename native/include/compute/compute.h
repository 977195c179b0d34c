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

/** An uninitialised contiguous tensor of the given sizes. */
CMP_API cmp_status cmp_empty(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with zeros. */
CMP_API cmp_status cmp_zeros(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with ones. */
CMP_API cmp_status cmp_ones(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A contiguous tensor filled with value (converted to dtype). */
CMP_API cmp_status cmp_full(const int64_t* sizes, int64_t ndim, cmp_scalar value, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * A 0-dim tensor holding a number given as an operand to an op (PyTorch's wrapped number):
 * it takes part in type promotion as a Python scalar does, so int32 tensor + 2.5 is float32.
 */
CMP_API cmp_status cmp_scalar_tensor(cmp_scalar value, cmp_device device, cmp_tensor* out);

/** Values start, start+step, ... below end (above end for a negative step). */
CMP_API cmp_status cmp_arange(cmp_scalar start, cmp_scalar end, cmp_scalar step, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * A CPU tensor holding a copy of nbytes bytes at data, laid out contiguously in dtype.
 * nbytes must equal the product of sizes times the element size.
 */
CMP_API cmp_status cmp_from_buffer(const void* data, int64_t nbytes, const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_tensor* out);

/**
 * A tensor over memory the caller owns, without a copy. strides may be NULL for a
 * contiguous layout. deleter (may be NULL) is called with (data, context) once no tensor
 * uses the memory any more.
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

/** A view with new sizes (one may be -1); fails when the strides do not allow it. */
CMP_API cmp_status cmp_view(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Like cmp_view, but copies when a view is impossible. */
CMP_API cmp_status cmp_reshape(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Reorders the dims: dims is a permutation of 0..ndim-1. */
CMP_API cmp_status cmp_permute(cmp_tensor tensor, const int64_t* dims, int64_t ndim, cmp_tensor* out);

/** Swaps two dims. */
CMP_API cmp_status cmp_transpose(cmp_tensor tensor, int64_t dim0, int64_t dim1, cmp_tensor* out);

/** Elements start, start+step, ... below end along dim (bounds clamped as in Python, step > 0). */
CMP_API cmp_status cmp_slice(cmp_tensor tensor, int64_t dim, int64_t start, int64_t end, int64_t step, cmp_tensor* out);

/** The sub-tensor at index along dim; the dim is removed. */
CMP_API cmp_status cmp_select(cmp_tensor tensor, int64_t dim, int64_t index, cmp_tensor* out);

/** length elements from start along dim. */
CMP_API cmp_status cmp_narrow(cmp_tensor tensor, int64_t dim, int64_t start, int64_t length, cmp_tensor* out);

/** Broadcasts size-1 dims to sizes (-1 keeps a size); new leading dims may be added. */
CMP_API cmp_status cmp_expand(cmp_tensor tensor, const int64_t* sizes, int64_t ndim, cmp_tensor* out);

/** Removes every size-1 dim. */
CMP_API cmp_status cmp_squeeze(cmp_tensor tensor, cmp_tensor* out);

/** Removes dim if its size is 1, otherwise returns the same shape. */
CMP_API cmp_status cmp_squeeze_dim(cmp_tensor tensor, int64_t dim, cmp_tensor* out);

/** Inserts a size-1 dim at position dim (-ndim-1 <= dim <= ndim). */
CMP_API cmp_status cmp_unsqueeze(cmp_tensor tensor, int64_t dim, cmp_tensor* out);

/** A view with explicit sizes, strides (in elements) and storage offset; bounds are checked. */
CMP_API cmp_status cmp_as_strided(cmp_tensor tensor, const int64_t* sizes, const int64_t* strides, int64_t ndim, int64_t offset, cmp_tensor* out);

/** Merges dims start_dim..end_dim into one (a view when possible, else a copy). */
CMP_API cmp_status cmp_flatten(cmp_tensor tensor, int64_t start_dim, int64_t end_dim, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Copies and conversions
 * ------------------------------------------------------------------------------------- */

/** The tensor itself (a new reference) when contiguous, else a contiguous copy. */
CMP_API cmp_status cmp_contiguous(cmp_tensor tensor, cmp_tensor* out);

/** A contiguous copy with its own storage. */
CMP_API cmp_status cmp_clone(cmp_tensor tensor, cmp_tensor* out);

/** A copy converted to dtype (a new reference to the input when the dtype already matches). */
CMP_API cmp_status cmp_to_dtype(cmp_tensor tensor, cmp_dtype dtype, cmp_tensor* out);

/** A copy on device (a new reference to the input when it is already there). */
CMP_API cmp_status cmp_to_device(cmp_tensor tensor, cmp_device device, cmp_tensor* out);

/** Copies src into dst in place, broadcasting src and converting its dtype. */
CMP_API cmp_status cmp_copy_(cmp_tensor dst, cmp_tensor src);

/** Sets every element of tensor to value, in place. */
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

/** Seeds the default generator and resets its offset. */
CMP_API cmp_status cmp_manual_seed(uint64_t seed);

/** Reads the default generator's seed and offset (its whole state). */
CMP_API cmp_status cmp_rng_get_state(uint64_t* out_seed, uint64_t* out_offset);

/** Restores the default generator's seed and offset. */
CMP_API cmp_status cmp_rng_set_state(uint64_t seed, uint64_t offset);

/** Uniform numbers in [0, 1). dtype must be a floating type. */
CMP_API cmp_status cmp_rand(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Standard normal numbers. dtype must be a floating type. */
CMP_API cmp_status cmp_randn(const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Uniform integers in [low, high). */
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

/** Matrix product with PyTorch's matmul rules (1-D, 2-D and broadcast batched inputs). */
CMP_API cmp_status cmp_matmul(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/* ---------------------------------------------------------------------------------------
 * Pointwise math: unary functions and activations (issue 3)
 * ------------------------------------------------------------------------------------- */

/** |a|. Integer dtypes are kept (abs of the most negative value wraps, as in PyTorch); not defined for bool. */
CMP_API cmp_status cmp_abs(cmp_tensor a, cmp_tensor* out);

/** abs, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_abs_(cmp_tensor a);

/** -1, 0 or 1 by the sign of a (0 for NaN and for +-0). Keeps the dtype, bool included. */
CMP_API cmp_status cmp_sign(cmp_tensor a, cmp_tensor* out);

/** sign, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sign_(cmp_tensor a);

/** Square root (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sqrt(cmp_tensor a, cmp_tensor* out);

/** sqrt, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sqrt_(cmp_tensor a);

/** 1 / sqrt(a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_rsqrt(cmp_tensor a, cmp_tensor* out);

/** rsqrt, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_rsqrt_(cmp_tensor a);

/** a * a. Integer dtypes are kept; bool gives int64. */
CMP_API cmp_status cmp_square(cmp_tensor a, cmp_tensor* out);

/** square, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_square_(cmp_tensor a);

/** 2^a (integer and bool inputs give float32). */
CMP_API cmp_status cmp_exp2(cmp_tensor a, cmp_tensor* out);

/** exp2, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_exp2_(cmp_tensor a);

/** e^a - 1, accurate near 0 (integer and bool inputs give float32). */
CMP_API cmp_status cmp_expm1(cmp_tensor a, cmp_tensor* out);

/** expm1, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_expm1_(cmp_tensor a);

/** Natural logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log(cmp_tensor a, cmp_tensor* out);

/** log, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log_(cmp_tensor a);

/** Base-2 logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log2(cmp_tensor a, cmp_tensor* out);

/** log2, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log2_(cmp_tensor a);

/** Base-10 logarithm (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log10(cmp_tensor a, cmp_tensor* out);

/** log10, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log10_(cmp_tensor a);

/** log(1 + a), accurate near 0 (integer and bool inputs give float32). */
CMP_API cmp_status cmp_log1p(cmp_tensor a, cmp_tensor* out);

/** log1p, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_log1p_(cmp_tensor a);

/** Sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sin(cmp_tensor a, cmp_tensor* out);

/** sin, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sin_(cmp_tensor a);

/** Cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_cos(cmp_tensor a, cmp_tensor* out);

/** cos, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_cos_(cmp_tensor a);

/** Tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_tan(cmp_tensor a, cmp_tensor* out);

/** tan, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_tan_(cmp_tensor a);

/** Arcsine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_asin(cmp_tensor a, cmp_tensor* out);

/** asin, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_asin_(cmp_tensor a);

/** Arccosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_acos(cmp_tensor a, cmp_tensor* out);

/** acos, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_acos_(cmp_tensor a);

/** Arctangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_atan(cmp_tensor a, cmp_tensor* out);

/** atan, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_atan_(cmp_tensor a);

/** Hyperbolic sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sinh(cmp_tensor a, cmp_tensor* out);

/** sinh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sinh_(cmp_tensor a);

/** Hyperbolic cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_cosh(cmp_tensor a, cmp_tensor* out);

/** cosh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_cosh_(cmp_tensor a);

/** Hyperbolic tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_tanh(cmp_tensor a, cmp_tensor* out);

/** tanh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_tanh_(cmp_tensor a);

/** Inverse hyperbolic sine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_asinh(cmp_tensor a, cmp_tensor* out);

/** asinh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_asinh_(cmp_tensor a);

/** Inverse hyperbolic cosine (integer and bool inputs give float32). */
CMP_API cmp_status cmp_acosh(cmp_tensor a, cmp_tensor* out);

/** acosh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_acosh_(cmp_tensor a);

/** Inverse hyperbolic tangent (integer and bool inputs give float32). */
CMP_API cmp_status cmp_atanh(cmp_tensor a, cmp_tensor* out);

/** atanh, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_atanh_(cmp_tensor a);

/** 1 / (1 + e^-a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_sigmoid(cmp_tensor a, cmp_tensor* out);

/** sigmoid, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_sigmoid_(cmp_tensor a);

/** Error function (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erf(cmp_tensor a, cmp_tensor* out);

/** erf, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erf_(cmp_tensor a);

/** Complementary error function 1 - erf(a) (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erfc(cmp_tensor a, cmp_tensor* out);

/** erfc, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erfc_(cmp_tensor a);

/** Inverse error function on [-1, 1] (integer and bool inputs give float32). */
CMP_API cmp_status cmp_erfinv(cmp_tensor a, cmp_tensor* out);

/** erfinv, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_erfinv_(cmp_tensor a);

/** log |Gamma(a)| (integer and bool inputs give float32). */
CMP_API cmp_status cmp_lgamma(cmp_tensor a, cmp_tensor* out);

/** lgamma, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_lgamma_(cmp_tensor a);

/** Digamma (psi) function, the derivative of lgamma (integer and bool inputs give float32). */
CMP_API cmp_status cmp_digamma(cmp_tensor a, cmp_tensor* out);

/** digamma, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_digamma_(cmp_tensor a);

/** Largest integer not above a. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_floor(cmp_tensor a, cmp_tensor* out);

/** floor, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_floor_(cmp_tensor a);

/** Smallest integer not below a. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_ceil(cmp_tensor a, cmp_tensor* out);

/** ceil, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_ceil_(cmp_tensor a);

/** a rounded toward zero. Integer dtypes are kept (a copy); not defined for bool. */
CMP_API cmp_status cmp_trunc(cmp_tensor a, cmp_tensor* out);

/** trunc, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_trunc_(cmp_tensor a);

/** a - trunc(a), with the sign of a. Floating dtypes only. */
CMP_API cmp_status cmp_frac(cmp_tensor a, cmp_tensor* out);

/** frac, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_frac_(cmp_tensor a);

/** 1 / a (integer and bool inputs give float32). */
CMP_API cmp_status cmp_reciprocal(cmp_tensor a, cmp_tensor* out);

/** reciprocal, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_reciprocal_(cmp_tensor a);

/** max(a, 0) (NaN stays NaN). Integer dtypes are kept; not defined for bool. */
CMP_API cmp_status cmp_relu(cmp_tensor a, cmp_tensor* out);

/** relu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_relu_(cmp_tensor a);

/** min(max(a, 0), 6) (hardtanh(a, 0, 6)). Integer dtypes are kept; not defined for bool. */
CMP_API cmp_status cmp_relu6(cmp_tensor a, cmp_tensor* out);

/** relu6, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_relu6_(cmp_tensor a);

/** a * sigmoid(a) (swish). Floating dtypes only. */
CMP_API cmp_status cmp_silu(cmp_tensor a, cmp_tensor* out);

/** silu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_silu_(cmp_tensor a);

/** a * tanh(softplus(a)). Floating dtypes only. */
CMP_API cmp_status cmp_mish(cmp_tensor a, cmp_tensor* out);

/** mish, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_mish_(cmp_tensor a);

/** scale * elu(a, alpha) with SELU's fixed alpha and scale. Floating dtypes only. */
CMP_API cmp_status cmp_selu(cmp_tensor a, cmp_tensor* out);

/** selu, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_selu_(cmp_tensor a);

/** min(max(a / 6 + 1/2, 0), 1). Floating dtypes only. */
CMP_API cmp_status cmp_hardsigmoid(cmp_tensor a, cmp_tensor* out);

/** hardsigmoid, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_hardsigmoid_(cmp_tensor a);

/** a * hardsigmoid(a). Floating dtypes only. */
CMP_API cmp_status cmp_hardswish(cmp_tensor a, cmp_tensor* out);

/** hardswish, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_hardswish_(cmp_tensor a);

/** log(sigmoid(a)), computed without overflow. Floating dtypes only. */
CMP_API cmp_status cmp_logsigmoid(cmp_tensor a, cmp_tensor* out);

/** ~a for integer dtypes, logical not for bool. Floating dtypes are rejected. */
CMP_API cmp_status cmp_bitwise_not(cmp_tensor a, cmp_tensor* out);

/** bitwise_not, in place on a; the result must be castable to a's dtype. */
CMP_API cmp_status cmp_bitwise_not_(cmp_tensor a);

/** Whether a is NaN, as a bool tensor (false for integer and bool inputs). */
CMP_API cmp_status cmp_isnan(cmp_tensor a, cmp_tensor* out);

/** Whether a is +-infinity, as a bool tensor. */
CMP_API cmp_status cmp_isinf(cmp_tensor a, cmp_tensor* out);

/** Whether a is neither NaN nor +-infinity, as a bool tensor. */
CMP_API cmp_status cmp_isfinite(cmp_tensor a, cmp_tensor* out);

/** a == 0 as a bool tensor. */
CMP_API cmp_status cmp_logical_not(cmp_tensor a, cmp_tensor* out);

/** logit: log(a / (1 - a)); when eps >= 0, a is first clamped to [eps, 1 - eps] (a negative eps is PyTorch's eps=None: no clamp). Integer and bool inputs give float32. */
CMP_API cmp_status cmp_logit(cmp_tensor a, double eps, cmp_tensor* out);

/** logit, in place on a. */
CMP_API cmp_status cmp_logit_(cmp_tensor a, double eps);

/** Round half to even, to `decimals` decimal places (negative: to tens, hundreds...). Integer dtypes are kept when decimals is 0 and rejected otherwise; bool is rejected. */
CMP_API cmp_status cmp_round(cmp_tensor a, int64_t decimals, cmp_tensor* out);

/** round, in place on a. */
CMP_API cmp_status cmp_round_(cmp_tensor a, int64_t decimals);

/** GELU: a * Phi(a) with the exact normal CDF (tanh_approximation 0, PyTorch's approximate='none') or its tanh approximation (1, approximate='tanh'). Floating dtypes only. */
CMP_API cmp_status cmp_gelu(cmp_tensor a, int32_t tanh_approximation, cmp_tensor* out);

/** softplus: log(1 + e^(beta * a)) / beta, or a itself where beta * a > threshold. Floating dtypes only. */
CMP_API cmp_status cmp_softplus(cmp_tensor a, double beta, double threshold, cmp_tensor* out);

/** ELU: a where a > 0, else alpha * (e^a - 1). Floating dtypes only. */
CMP_API cmp_status cmp_elu(cmp_tensor a, double alpha, cmp_tensor* out);

/** elu, in place on a. */
CMP_API cmp_status cmp_elu_(cmp_tensor a, double alpha);

/** CELU: max(0, a) + min(0, alpha * (e^(a / alpha) - 1)); alpha must not be 0. Floating dtypes only. */
CMP_API cmp_status cmp_celu(cmp_tensor a, double alpha, cmp_tensor* out);

/** celu, in place on a. */
CMP_API cmp_status cmp_celu_(cmp_tensor a, double alpha);

/** Leaky ReLU: a where a > 0, else negative_slope * a. Floating dtypes only. */
CMP_API cmp_status cmp_leaky_relu(cmp_tensor a, double negative_slope, cmp_tensor* out);

/** leaky_relu, in place on a. */
CMP_API cmp_status cmp_leaky_relu_(cmp_tensor a, double negative_slope);

/** hardtanh: min(max(a, min_val), max_val) (NaN stays NaN). Integer dtypes are kept (bounds converted to them); not defined for bool. */
CMP_API cmp_status cmp_hardtanh(cmp_tensor a, double min_val, double max_val, cmp_tensor* out);

/** hardtanh, in place on a. */
CMP_API cmp_status cmp_hardtanh_(cmp_tensor a, double min_val, double max_val);

/** Replaces NaN by nan, +inf by *posinf and -inf by *neginf; a NULL posinf/neginf means the dtype's largest/lowest finite value. Integer and bool tensors are returned unchanged (copied). */
CMP_API cmp_status cmp_nan_to_num(cmp_tensor a, double nan, const double* posinf, const double* neginf, cmp_tensor* out);

/** nan_to_num, in place on a. */
CMP_API cmp_status cmp_nan_to_num_(cmp_tensor a, double nan, const double* posinf, const double* neginf);

/** min(max(a, *min), *max) with number bounds; either may be NULL but not both. The result dtype promotes a with the bounds as Python numbers (int tensor, float bound: float32). A NaN in a stays NaN; a NaN bound is ignored, as in PyTorch. */
CMP_API cmp_status cmp_clamp(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max, cmp_tensor* out);

/** clamp with number bounds, in place on a. */
CMP_API cmp_status cmp_clamp_(cmp_tensor a, const cmp_scalar* min, const cmp_scalar* max);

/** min(max(a, min), max) with tensor bounds, broadcast and promoted together; either bound may be NULL but not both. A NaN in any operand gives NaN. */
CMP_API cmp_status cmp_clamp_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor max, cmp_tensor* out);

/** clamp with tensor bounds, in place on a. */
CMP_API cmp_status cmp_clamp_tensor_(cmp_tensor a, cmp_tensor min, cmp_tensor max);

/** max(a, min) with a tensor bound (torch.clamp(a, min=t)); NaN in either gives NaN. */
CMP_API cmp_status cmp_clamp_min_tensor(cmp_tensor a, cmp_tensor min, cmp_tensor* out);

/** min(a, max) with a tensor bound (torch.clamp(a, max=t)); NaN in either gives NaN. */
CMP_API cmp_status cmp_clamp_max_tensor(cmp_tensor a, cmp_tensor max, cmp_tensor* out);

/* end of section: pointwise-unary */

/* ---------------------------------------------------------------------------------------
 * Pointwise: binary and ternary ops, in-place and scalar forms (issue 3)
 * ------------------------------------------------------------------------------------- */

/** Rounding of cmp_div_rounding (PyTorch's rounding_mode); passed as an int32_t. */
typedef enum cmp_rounding_mode {
    /** No rounding: true division, as cmp_div. */
    CMP_ROUNDING_NONE = 0,
    /** Round the quotient toward zero ('trunc'). */
    CMP_ROUNDING_TRUNC = 1,
    /** Round the quotient toward negative infinity ('floor'). */
    CMP_ROUNDING_FLOOR = 2
} cmp_rounding_mode;

/**
 * a / b rounded as rounding_mode (a cmp_rounding_mode value) says. With TRUNC or FLOOR the
 * result keeps the promoted dtype (integers stay integers; integer division by zero fails
 * with "ZeroDivisionError"); with NONE it is true division.
 */
CMP_API cmp_status cmp_div_rounding(cmp_tensor a, cmp_tensor b, int32_t rounding_mode, cmp_tensor* out);

/** a = a / b rounded as rounding_mode says, in place. */
CMP_API cmp_status cmp_div_rounding_(cmp_tensor a, cmp_tensor b, int32_t rounding_mode);

/** floor(a / b) (torch.floor_divide; same as cmp_div_rounding with FLOOR). */
CMP_API cmp_status cmp_floor_divide(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = floor(a / b), in place. */
CMP_API cmp_status cmp_floor_divide_(cmp_tensor a, cmp_tensor b);

/** Remainder with the sign of the divisor, as Python's % (torch.remainder). Not for bool. */
CMP_API cmp_status cmp_remainder(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = remainder(a, b), in place. */
CMP_API cmp_status cmp_remainder_(cmp_tensor a, cmp_tensor b);

/** Remainder with the sign of the dividend, as C's fmod (torch.fmod). Not for bool. */
CMP_API cmp_status cmp_fmod(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = fmod(a, b), in place. */
CMP_API cmp_status cmp_fmod_(cmp_tensor a, cmp_tensor b);

/**
 * a to the power b (torch.pow). Either side may be a wrapped number (cmp_scalar_tensor);
 * integers to a negative wrapped integer power fail as in PyTorch. Not for two bools.
 */
CMP_API cmp_status cmp_pow(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = a to the power b, in place. */
CMP_API cmp_status cmp_pow_(cmp_tensor a, cmp_tensor b);

/** atan(a / b) in the quadrant of (b, a) (torch.atan2); integer inputs give float32. */
CMP_API cmp_status cmp_atan2(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = atan2(a, b), in place. */
CMP_API cmp_status cmp_atan2_(cmp_tensor a, cmp_tensor b);

/** sqrt(a^2 + b^2) without undue overflow (torch.hypot); floating dtypes only. */
CMP_API cmp_status cmp_hypot(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = hypot(a, b), in place. */
CMP_API cmp_status cmp_hypot_(cmp_tensor a, cmp_tensor b);

/** Elementwise maximum; NaN if either is NaN (torch.maximum). */
CMP_API cmp_status cmp_maximum(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise minimum; NaN if either is NaN (torch.minimum). */
CMP_API cmp_status cmp_minimum(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise maximum ignoring NaN: NaN only when both are NaN (torch.fmax). */
CMP_API cmp_status cmp_fmax(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Elementwise minimum ignoring NaN: NaN only when both are NaN (torch.fmin). */
CMP_API cmp_status cmp_fmin(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** |a| with the sign of b (torch.copysign); integer inputs give float32. */
CMP_API cmp_status cmp_copysign(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = copysign(a, b), in place. */
CMP_API cmp_status cmp_copysign_(cmp_tensor a, cmp_tensor b);

/** a AND b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_and(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a &= b, in place. */
CMP_API cmp_status cmp_bitwise_and_(cmp_tensor a, cmp_tensor b);

/** a OR b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_or(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a |= b, in place. */
CMP_API cmp_status cmp_bitwise_or_(cmp_tensor a, cmp_tensor b);

/** a XOR b bit by bit; integer and bool dtypes only. */
CMP_API cmp_status cmp_bitwise_xor(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a ^= b, in place. */
CMP_API cmp_status cmp_bitwise_xor_(cmp_tensor a, cmp_tensor b);

/** a shifted left by b bits; shifts outside [0, bit width) give 0. Integer dtypes only. */
CMP_API cmp_status cmp_bitwise_left_shift(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a <<= b, in place. */
CMP_API cmp_status cmp_bitwise_left_shift_(cmp_tensor a, cmp_tensor b);

/**
 * a shifted right by b bits (arithmetic for signed types); shifts outside [0, bit width)
 * give the sign fill (0 or -1). Integer dtypes only.
 */
CMP_API cmp_status cmp_bitwise_right_shift(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a >>= b, in place. */
CMP_API cmp_status cmp_bitwise_right_shift_(cmp_tensor a, cmp_tensor b);

/** (a != 0) AND (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_and(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_and(a, b) stored in a's dtype (1 or 0), in place. */
CMP_API cmp_status cmp_logical_and_(cmp_tensor a, cmp_tensor b);

/** (a != 0) OR (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_or(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_or(a, b) stored in a's dtype, in place. */
CMP_API cmp_status cmp_logical_or_(cmp_tensor a, cmp_tensor b);

/** (a != 0) XOR (b != 0) as a bool tensor; any dtypes. */
CMP_API cmp_status cmp_logical_xor(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** a = logical_xor(a, b) stored in a's dtype, in place. */
CMP_API cmp_status cmp_logical_xor_(cmp_tensor a, cmp_tensor b);

/**
 * a where condition is true, else b (torch.where). condition must be bool; the three
 * broadcast together and a and b are promoted to their common dtype (either may be a
 * wrapped number).
 */
CMP_API cmp_status cmp_where(cmp_tensor condition, cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/**
 * a + weight * (end - a) (torch.lerp). a, end and weight must share one floating dtype.
 */
CMP_API cmp_status cmp_lerp(cmp_tensor a, cmp_tensor end, cmp_tensor weight, cmp_tensor* out);

/** a = lerp(a, end, weight), in place. */
CMP_API cmp_status cmp_lerp_(cmp_tensor a, cmp_tensor end, cmp_tensor weight);

/** a + weight * (end - a) with a number as weight; a and end share one floating dtype. */
CMP_API cmp_status cmp_lerp_scalar(cmp_tensor a, cmp_tensor end, cmp_scalar weight, cmp_tensor* out);

/** a = lerp(a, end, weight) with a number as weight, in place. */
CMP_API cmp_status cmp_lerp_scalar_(cmp_tensor a, cmp_tensor end, cmp_scalar weight);

/** a + value * tensor1 * tensor2, broadcasting and promoting (torch.addcmul). */
CMP_API cmp_status cmp_addcmul(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out);

/** a += value * tensor1 * tensor2, in place. */
CMP_API cmp_status cmp_addcmul_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value);

/**
 * a + value * tensor1 / tensor2 (torch.addcdiv); two integer divisor operands are rejected
 * as in PyTorch.
 */
CMP_API cmp_status cmp_addcdiv(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value, cmp_tensor* out);

/** a += value * tensor1 / tensor2, in place. */
CMP_API cmp_status cmp_addcdiv_(cmp_tensor a, cmp_tensor tensor1, cmp_tensor tensor2, cmp_scalar value);

/**
 * A copy of a (broadcast with mask) with value, converted to a's dtype, where the bool mask
 * is true (torch.masked_fill).
 */
CMP_API cmp_status cmp_masked_fill(cmp_tensor a, cmp_tensor mask, cmp_scalar value, cmp_tensor* out);

/** Writes value into a where mask is true, in place; mask broadcasts to a's shape. */
CMP_API cmp_status cmp_masked_fill_(cmp_tensor a, cmp_tensor mask, cmp_scalar value);

/** cmp_masked_fill with the value given as a 0-dim tensor. */
CMP_API cmp_status cmp_masked_fill_tensor(cmp_tensor a, cmp_tensor mask, cmp_tensor value, cmp_tensor* out);

/** cmp_masked_fill_ with the value given as a 0-dim tensor. */
CMP_API cmp_status cmp_masked_fill_tensor_(cmp_tensor a, cmp_tensor mask, cmp_tensor value);

/* end of section: pointwise-binary */

/* ---------------------------------------------------------------------------------------
 * Reductions and scans (issue 3)
 * ------------------------------------------------------------------------------------- */

/** Sum over dims after converting the input to dtype (x.sum(dim, keepdim, dtype=dtype)). */
CMP_API cmp_status cmp_sum_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/** Mean over dims after converting the input to dtype, which must be floating (x.mean(dim, keepdim, dtype=dtype)). */
CMP_API cmp_status cmp_mean_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/** Product over dims (all dims when ndims is 0); integer and bool inputs give int64, an empty product is 1. */
CMP_API cmp_status cmp_prod(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Product over dims after converting the input to dtype (x.prod(dim, keepdim, dtype=dtype)). */
CMP_API cmp_status cmp_prod_dtype(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_dtype dtype, cmp_tensor* out);

/** Largest value over dims (all dims when ndims is 0), NaN if any reduced element is NaN; a reduced dim must not be empty. */
CMP_API cmp_status cmp_amax(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Smallest value over dims (all dims when ndims is 0), NaN if any reduced element is NaN; a reduced dim must not be empty. */
CMP_API cmp_status cmp_amin(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Largest of all elements as a 0-dim tensor (torch.max(x)); NaN if any element is NaN; errors on an empty tensor. */
CMP_API cmp_status cmp_max(cmp_tensor a, cmp_tensor* out);

/** Smallest of all elements as a 0-dim tensor (torch.min(x)); NaN if any element is NaN; errors on an empty tensor. */
CMP_API cmp_status cmp_min(cmp_tensor a, cmp_tensor* out);

/** Largest values along dim and their int64 indices (torch.max(x, dim)): the first NaN wins, ties give the first index. */
CMP_API cmp_status cmp_max_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices);

/** Smallest values along dim and their int64 indices (torch.min(x, dim)): the first NaN wins, ties give the first index. */
CMP_API cmp_status cmp_min_dim(cmp_tensor a, int64_t dim, int32_t keepdim, cmp_tensor* out_values, cmp_tensor* out_indices);

/** Index of the largest value along dim, or in the flattened tensor when has_dim is 0 (torch.argmax); int64 result. */
CMP_API cmp_status cmp_argmax(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out);

/** Index of the smallest value along dim, or in the flattened tensor when has_dim is 0 (torch.argmin); int64 result. */
CMP_API cmp_status cmp_argmin(cmp_tensor a, int32_t has_dim, int64_t dim, int32_t keepdim, cmp_tensor* out);

/** Variance over dims with Bessel-style correction (divisor n - correction; 1 is PyTorch's default); floating inputs only. */
CMP_API cmp_status cmp_var(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out);

/** Standard deviation over dims: the square root of cmp_var. */
CMP_API cmp_status cmp_std(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out);

/** Variance and mean over dims in one pass (torch.var_mean). */
CMP_API cmp_status cmp_var_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out_var, cmp_tensor* out_mean);

/** Standard deviation and mean over dims in one pass (torch.std_mean). */
CMP_API cmp_status cmp_std_mean(cmp_tensor a, const int64_t* dims, int64_t ndims, double correction, int32_t keepdim, cmp_tensor* out_std, cmp_tensor* out_mean);

/**
 * Vector p-norm over dims (torch.linalg.vector_norm): ord 2, 1, INFINITY (max |x|), -INFINITY
 * (min |x|), 0 (count of non-zeros) or any other p ((sum |x|^p)^(1/p)). Floating inputs only.
 */
CMP_API cmp_status cmp_vector_norm(cmp_tensor a, double ord, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** log(sum(exp(x))) over dims, computed without overflow; integer and bool inputs give float32. */
CMP_API cmp_status cmp_logsumexp(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Whether any element over dims is non-zero: bool (uint8 for uint8 inputs, like PyTorch); false when empty. */
CMP_API cmp_status cmp_any(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Whether every element over dims is non-zero: bool (uint8 for uint8 inputs, like PyTorch); true when empty. */
CMP_API cmp_status cmp_all(cmp_tensor a, const int64_t* dims, int64_t ndims, int32_t keepdim, cmp_tensor* out);

/** Number of non-zero elements over dims (all dims when ndims is 0) as int64; NaN counts as non-zero. */
CMP_API cmp_status cmp_count_nonzero(cmp_tensor a, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/** Running sum along dim; integer and bool inputs give int64. */
CMP_API cmp_status cmp_cumsum(cmp_tensor a, int64_t dim, cmp_tensor* out);

/** Running sum along dim after converting the input to dtype. */
CMP_API cmp_status cmp_cumsum_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out);

/** Running product along dim; integer and bool inputs give int64. */
CMP_API cmp_status cmp_cumprod(cmp_tensor a, int64_t dim, cmp_tensor* out);

/** Running product along dim after converting the input to dtype. */
CMP_API cmp_status cmp_cumprod_dtype(cmp_tensor a, int64_t dim, cmp_dtype dtype, cmp_tensor* out);

/* end of section: reductions */

/* ---------------------------------------------------------------------------------------
 * Shape, joining and indexing ops (issue 3)
 * ------------------------------------------------------------------------------------- */

/**
 * Concatenates count tensors along dim (torch.cat). The result dtype promotes over all inputs;
 * 1-D empty tensors (shape [0]) are skipped as PyTorch does; the other shapes must match
 * except along dim.
 */
CMP_API cmp_status cmp_cat(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out);

/** Stacks count tensors of one shape along a new dim (torch.stack); dtypes promote as in cmp_cat. */
CMP_API cmp_status cmp_stack(const cmp_tensor* tensors, int64_t count, int64_t dim, cmp_tensor* out);

/**
 * Splits into views of split_size elements along dim (the last may be smaller; torch.split).
 * Writes up to capacity new handles into outs and the number of pieces into out_count; with
 * outs NULL only the count is computed. capacity below the count is an error.
 */
CMP_API cmp_status cmp_split(cmp_tensor tensor, int64_t split_size, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** Splits into views of the given sizes along dim (they must sum to its size); outs as in cmp_split. */
CMP_API cmp_status cmp_split_with_sizes(cmp_tensor tensor, const int64_t* sizes, int64_t nsizes, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** Splits into at most chunks views along dim, each ceil(size/chunks) long (torch.chunk); outs as in cmp_split. */
CMP_API cmp_status cmp_chunk(cmp_tensor tensor, int64_t chunks, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** The views at each index along dim, the dim removed (torch.unbind); outs as in cmp_split. */
CMP_API cmp_status cmp_unbind(cmp_tensor tensor, int64_t dim, cmp_tensor* outs, int64_t capacity, int64_t* out_count);

/** A copy with the order of elements reversed along each of dims. */
CMP_API cmp_status cmp_flip(cmp_tensor tensor, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/**
 * A copy with elements shifted circularly by shifts[i] along dims[i]; with ndims 0 the tensor
 * is flattened, rolled by the single shift and restored to its shape (torch.roll).
 */
CMP_API cmp_status cmp_roll(cmp_tensor tensor, const int64_t* shifts, int64_t nshifts, const int64_t* dims, int64_t ndims, cmp_tensor* out);

/** The tensor repeated repeats[i] times along each dim (torch.Tensor.repeat); nrepeats >= ndim. */
CMP_API cmp_status cmp_repeat(cmp_tensor tensor, const int64_t* repeats, int64_t nrepeats, cmp_tensor* out);

/** Like cmp_repeat, but reps shorter than ndim are padded with leading 1s (torch.tile). */
CMP_API cmp_status cmp_tile(cmp_tensor tensor, const int64_t* reps, int64_t nreps, cmp_tensor* out);

/** A copy keeping the elements on and below the diagonal-th diagonal of the last two dims (torch.tril). */
CMP_API cmp_status cmp_tril(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/** A copy keeping the elements on and above the diagonal-th diagonal of the last two dims (torch.triu). */
CMP_API cmp_status cmp_triu(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/** A view of the offset-th diagonal of dims dim1 and dim2, appended as the last dim (torch.diagonal). */
CMP_API cmp_status cmp_diagonal(cmp_tensor tensor, int64_t offset, int64_t dim1, int64_t dim2, cmp_tensor* out);

/**
 * torch.diag: a 1-D input gives a square matrix with it on the diagonal-th diagonal; a 2-D
 * input gives a copy of its diagonal-th diagonal.
 */
CMP_API cmp_status cmp_diag(cmp_tensor tensor, int64_t diagonal, cmp_tensor* out);

/** How scatter ops combine a value with the element already there (cmp_scatter*). */
typedef enum cmp_scatter_op {
    /** Overwrite (plain scatter). */
    CMP_SCATTER_OP_NONE = 0,
    /** Add ('add' of scatter, 'sum' of scatter_reduce). */
    CMP_SCATTER_OP_SUM = 1,
    /** Multiply ('multiply' of scatter, 'prod' of scatter_reduce). */
    CMP_SCATTER_OP_PROD = 2,
    /** Mean of the values (and the original element when include_self); scatter_reduce only. */
    CMP_SCATTER_OP_MEAN = 3,
    /** Maximum, NaN propagating; scatter_reduce only. */
    CMP_SCATTER_OP_AMAX = 4,
    /** Minimum, NaN propagating; scatter_reduce only. */
    CMP_SCATTER_OP_AMIN = 5
} cmp_scatter_op;

/**
 * out[i][j][k] = tensor[i][index[i][j][k]][k] for dim 1 (torch.gather). index is int64 with
 * the tensor's number of dims and no larger than it except along dim; out has index's shape.
 */
CMP_API cmp_status cmp_gather(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out);

/**
 * A copy of tensor with src[i][j][k] written to [i][index[i][j][k]][k] for dim 1 (torch.scatter);
 * reduce is CMP_SCATTER_OP_NONE, _SUM ('add') or _PROD ('multiply'). src has tensor's dtype.
 */
CMP_API cmp_status cmp_scatter(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, cmp_tensor* out);

/** Like cmp_scatter with every src element equal to value. */
CMP_API cmp_status cmp_scatter_value(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_scalar value, int32_t reduce, cmp_tensor* out);

/** A copy of tensor with src added at the positions index gives along dim (torch.scatter_add; gather's backward). */
CMP_API cmp_status cmp_scatter_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, cmp_tensor* out);

/** cmp_scatter_add in place. */
CMP_API cmp_status cmp_scatter_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src);

/**
 * torch.scatter_reduce: reduce is any cmp_scatter_op but NONE; include_self (0/1) says
 * whether the original elements take part. Integer means round down, as in PyTorch.
 */
CMP_API cmp_status cmp_scatter_reduce(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor src, int32_t reduce, int32_t include_self, cmp_tensor* out);

/** The entries of tensor at the 1-D int64/int32 index along dim (torch.index_select). */
CMP_API cmp_status cmp_index_select(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor* out);

/**
 * A copy of tensor with alpha * source[..., i, ...] added at [..., index[i], ...] along dim
 * (torch.index_add; index_select's backward). index is 1-D int64/int32.
 */
CMP_API cmp_status cmp_index_add(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha, cmp_tensor* out);

/** cmp_index_add in place. */
CMP_API cmp_status cmp_index_add_(cmp_tensor tensor, int64_t dim, cmp_tensor index, cmp_tensor source, cmp_scalar alpha);

/** The elements of tensor where mask (bool, broadcast with tensor) is true, as a 1-D tensor. */
CMP_API cmp_status cmp_masked_select(cmp_tensor tensor, cmp_tensor mask, cmp_tensor* out);

/** The indices of the non-zero elements as an int64 tensor [count, ndim] (torch.nonzero). */
CMP_API cmp_status cmp_nonzero(cmp_tensor tensor, cmp_tensor* out);

/**
 * Advanced indexing, PyTorch's x[indices]: indices holds count entries for the dims from dim 0;
 * a NULL entry takes its dim whole, an int64 tensor picks positions (negative count from the
 * end), a bool/uint8 mask covers as many dims as it has. The index tensors broadcast together;
 * their shape replaces the indexed dims in place when those are adjacent, else at the front.
 */
CMP_API cmp_status cmp_index(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor* out);

/** A copy of tensor with values (broadcast; same dtype) put at tensor[indices], or added when accumulate is non-zero. */
CMP_API cmp_status cmp_index_put(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate, cmp_tensor* out);

/** cmp_index_put in place (torch.index_put_); repeated indices accumulate when accumulate is non-zero. */
CMP_API cmp_status cmp_index_put_(cmp_tensor tensor, const cmp_tensor* indices, int64_t count, cmp_tensor values, int32_t accumulate);

/* end of section: shape-index */

/* ---------------------------------------------------------------------------------------
 * Factories and random distributions (issue 3)
 * ------------------------------------------------------------------------------------- */

/**
 * An uninitialised tensor shaped like tensor (torch.empty_like). A tensor whose strides are
 * dense (a permuted contiguous tensor) gives the same strides, as PyTorch's preserve format;
 * others give a contiguous result. dtype / device NULL keep the input's.
 */
CMP_API cmp_status cmp_empty_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Zeros shaped like tensor (torch.zeros_like); layout, dtype and device as in cmp_empty_like. */
CMP_API cmp_status cmp_zeros_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Ones shaped like tensor (torch.ones_like); layout, dtype and device as in cmp_empty_like. */
CMP_API cmp_status cmp_ones_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** value everywhere, shaped like tensor (torch.full_like); layout, dtype and device as in cmp_empty_like. */
CMP_API cmp_status cmp_full_like(cmp_tensor tensor, cmp_scalar value, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Uniform numbers in [0, 1) shaped like tensor (torch.rand_like); the dtype must be floating. */
CMP_API cmp_status cmp_rand_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/** Standard normal numbers shaped like tensor (torch.randn_like); the dtype must be floating. */
CMP_API cmp_status cmp_randn_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out);

/**
 * steps values evenly spaced from start to end inclusive (torch.linspace). The first half is
 * computed from start and the second from end, as PyTorch does, so both endpoints are exact.
 */
CMP_API cmp_status cmp_linspace(cmp_scalar start, cmp_scalar end, int64_t steps, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** base raised to steps exponents evenly spaced from start to end (torch.logspace). */
CMP_API cmp_status cmp_logspace(cmp_scalar start, cmp_scalar end, int64_t steps, double base, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** An n x m matrix with ones on the diagonal and zeros elsewhere (torch.eye(n, m)). */
CMP_API cmp_status cmp_eye(int64_t n, int64_t m, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** A random permutation of 0..n-1 (torch.randperm) from the default Philox generator. */
CMP_API cmp_status cmp_randperm(int64_t n, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/**
 * Normal numbers with per-element mean and std (torch.normal(mean, std)): the two broadcast,
 * the result has mean's dtype (floating) and every std must be >= 0.
 */
CMP_API cmp_status cmp_normal(cmp_tensor mean, cmp_tensor std, cmp_tensor* out);

/** Normal numbers with scalar mean and std >= 0 (torch.normal(mean, std, size)); dtype floating. */
CMP_API cmp_status cmp_normal_scalar(double mean, double std, const int64_t* sizes, int64_t ndim, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** Fills tensor in place with normal numbers of the given mean and std >= 0 (Tensor.normal_). */
CMP_API cmp_status cmp_normal_(cmp_tensor tensor, double mean, double std);

/** Fills tensor in place with uniform numbers in [from, to), from <= to (Tensor.uniform_); rounding to a narrow dtype may reach to, as in PyTorch. */
CMP_API cmp_status cmp_uniform_(cmp_tensor tensor, double from, double to);

/**
 * 1 with probability p[i] and 0 otherwise, element by element (torch.bernoulli(p)); p is
 * floating with values in [0, 1], and the result has its shape and dtype.
 */
CMP_API cmp_status cmp_bernoulli(cmp_tensor p, cmp_tensor* out);

/** 1 with probability p in [0, 1], shaped and typed like tensor (torch.bernoulli(tensor, p)). */
CMP_API cmp_status cmp_bernoulli_scalar(cmp_tensor tensor, double p, cmp_tensor* out);

/**
 * num_samples category indices (int64) per row of the 1-D or 2-D floating tensor probs, drawn
 * with probabilities proportional to its non-negative weights (torch.multinomial). Without
 * replacement (replacement 0) an index appears at most once per row.
 */
CMP_API cmp_status cmp_multinomial(cmp_tensor probs, int64_t num_samples, int32_t replacement, cmp_tensor* out);

/** The 2 x N (row, column) indices of the lower triangle of a row x col matrix, row by row (torch.tril_indices). */
CMP_API cmp_status cmp_tril_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/** The 2 x N (row, column) indices of the upper triangle of a row x col matrix, row by row (torch.triu_indices). */
CMP_API cmp_status cmp_triu_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device, cmp_tensor* out);

/* end of section: factories */

/* ---------------------------------------------------------------------------------------
 * Linear algebra beyond matmul (issue 3)
 * ------------------------------------------------------------------------------------- */

/** Product of two matrices (torch.mm): a is n x k, b is k x m, both of one dtype. */
CMP_API cmp_status cmp_mm(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Batched product of [B, n, k] and [B, k, m] tensors of one dtype (torch.bmm); no broadcasting. */
CMP_API cmp_status cmp_bmm(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Product of an n x k matrix and a k-vector (torch.mv). */
CMP_API cmp_status cmp_mv(cmp_tensor mat, cmp_tensor vec, cmp_tensor* out);

/** Dot product of two 1-D tensors of one size and dtype, as a 0-dim tensor (torch.dot). */
CMP_API cmp_status cmp_dot(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/** Outer product of two 1-D tensors (torch.outer); dtypes promote. */
CMP_API cmp_status cmp_outer(cmp_tensor a, cmp_tensor b, cmp_tensor* out);

/**
 * beta * input + alpha * (mat1 @ mat2) (torch.addmm); input broadcasts to the product's
 * shape. With beta 0 input is ignored (its NaNs do not propagate). For integer tensors beta
 * and alpha are truncated toward zero, as PyTorch does.
 */
CMP_API cmp_status cmp_addmm(cmp_tensor input, cmp_tensor mat1, cmp_tensor mat2, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/** beta * input + alpha * (batch1 @ batch2) for [B, n, k] and [B, k, m] batches (torch.baddbmm); as cmp_addmm. */
CMP_API cmp_status cmp_baddbmm(cmp_tensor input, cmp_tensor batch1, cmp_tensor batch2, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/** beta * input + alpha * (mat @ vec) (torch.addmv); as cmp_addmm. */
CMP_API cmp_status cmp_addmv(cmp_tensor input, cmp_tensor mat, cmp_tensor vec, cmp_scalar beta, cmp_scalar alpha, cmp_tensor* out);

/**
 * Einstein summation over count operands (torch.einsum). equation is NUL-terminated UTF-8 such
 * as "bij,bjk->bik": subscripts in [a-zA-Z], "..." for broadcast dims, a subscript repeated in
 * one operand takes its diagonal, subscripts missing from the output are summed; without "->"
 * the output holds the subscripts seen once, in alphabetical order (upper case first).
 */
CMP_API cmp_status cmp_einsum(const char* equation, const cmp_tensor* operands, int64_t count, cmp_tensor* out);

/* end of section: linalg */

/* ---------------------------------------------------------------------------------------
 * Neural-network kernels: forward and backward (issue 3)
 * ------------------------------------------------------------------------------------- */

/* end of section: nn */

#ifdef __cplusplus
}
#endif

#endif /* COMPUTE_COMPUTE_H */
