// Internal, device-independent op API. The abi layer (abi/*.cpp) validates handles and calls
// these; they check shapes/dtypes (throwing cmp::Error with a message naming the op, the
// argument and the shapes), allocate outputs and dispatch to device kernels.
#pragma once

#include "core/tensor.h"

#include <compute/compute.h>

#include <cstdint>
#include <vector>

namespace cmp::ops {

using Scalar = cmp_scalar;
Scalar scalar_float(double v);
Scalar scalar_int(int64_t v);
Scalar scalar_bool(bool v);

// Factories (factory.cpp)
Tensor empty(const Shape& sizes, DType dtype, Device device);
Tensor full(const Shape& sizes, Scalar value, DType dtype, Device device);
Tensor scalar_tensor(Scalar value, Device device);  // wrapped number: int64/float64/bool (floats promote as float32)
Tensor arange(Scalar start, Scalar end, Scalar step, DType dtype, Device device);
Tensor from_buffer(const void* data, int64_t nbytes, const Shape& sizes, DType dtype);
Tensor from_external(void* data, const Shape& sizes, const Shape* strides, DType dtype, Device device,
                     cmp_deleter deleter, void* context);

// Views (views.cpp): results share storage.
Tensor view(const Tensor& t, Shape sizes);
Tensor reshape(const Tensor& t, Shape sizes);
Tensor permute(const Tensor& t, const Shape& dims);
Tensor transpose(const Tensor& t, int64_t dim0, int64_t dim1);
Tensor slice(const Tensor& t, int64_t dim, int64_t start, int64_t end, int64_t step);
Tensor select(const Tensor& t, int64_t dim, int64_t index);
Tensor narrow(const Tensor& t, int64_t dim, int64_t start, int64_t length);
Tensor expand(const Tensor& t, const Shape& sizes);
Tensor squeeze(const Tensor& t);
Tensor squeeze_dim(const Tensor& t, int64_t dim);
Tensor unsqueeze(const Tensor& t, int64_t dim);
Tensor as_strided(const Tensor& t, const Shape& sizes, const Shape& strides, int64_t offset);
Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim);

// Copies and conversions (copy.cpp)
void copy_(const Tensor& dst, const Tensor& src);  // broadcasts src, converts dtype
// With non_blocking, a copy between a CUDA device and pinned host memory (contiguous, same dtype
// and shape) is queued on the device's current stream and not waited for (copy_across_devices).
void copy_(const Tensor& dst, const Tensor& src, bool non_blocking);
void fill_(const Tensor& t, Scalar value);
Tensor contiguous(const Tensor& t);
Tensor clone(const Tensor& t);
Tensor to_dtype(const Tensor& t, DType dtype);
Tensor to_device(const Tensor& t, Device device, bool non_blocking = false);
// A contiguous copy of a CPU tensor in pinned host memory, or t itself when it is pinned already.
Tensor pin_memory(const Tensor& t);
bool is_pinned(const Tensor& t);
Scalar item(const Tensor& t, const Shape& indices);

// Pointwise (binary.cpp, unary.cpp, compare.cpp). out-of-place when out is undefined.
Tensor add(const Tensor& a, const Tensor& b, Scalar alpha);
void add_(const Tensor& a, const Tensor& b, Scalar alpha);
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha);
void sub_(const Tensor& a, const Tensor& b, Scalar alpha);
Tensor mul(const Tensor& a, const Tensor& b);
void mul_(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
void div_(const Tensor& a, const Tensor& b);
Tensor neg(const Tensor& a);
Tensor exp(const Tensor& a);
enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
Tensor compare(CompareOp op, const Tensor& a, const Tensor& b);

// Reductions (reduce.cpp). Empty dims = all dims.
Tensor sum(const Tensor& a, const Shape& dims, bool keepdim);
Tensor mean(const Tensor& a, const Shape& dims, bool keepdim);

// Linear algebra (linalg.cpp)
Tensor matmul(const Tensor& a, const Tensor& b);

// Random (random.cpp): Philox 4x32-10 default generator.
void manual_seed(uint64_t seed);
void rng_get_state(uint64_t* seed, uint64_t* offset);
void rng_set_state(uint64_t seed, uint64_t offset);
Tensor rand(const Shape& sizes, DType dtype, Device device);
Tensor randn(const Shape& sizes, DType dtype, Device device);
Tensor randint(int64_t low, int64_t high, const Shape& sizes, DType dtype, Device device);

// DLPack (dlpack.cpp)
void* to_dlpack(const Tensor& t);
Tensor from_dlpack(void* managed_tensor);

}  // namespace cmp::ops
