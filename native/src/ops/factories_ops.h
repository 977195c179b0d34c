// Factories and random distributions beyond rand/randn/randint (factories2.cpp,
// distributions.cpp). Random ops draw from the default Philox generator; which stream
// positions feed which element is written next to each op in distributions.cpp, on top of
// the layout in core/philox.h.
#pragma once

#include "ops/ops.h"

#include <optional>

namespace cmp::ops {

// *_like: the input's shape, and its strides when they are dense (PyTorch's preserve
// format); otherwise dense strides in the input's stride order. dtype/device default to the input's.
Tensor empty_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device);
Tensor full_like(const Tensor& t, Scalar value, std::optional<DType> dtype, std::optional<Device> device);
Tensor rand_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device);
Tensor randn_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device);

Tensor linspace(Scalar start, Scalar end, int64_t steps, DType dtype, Device device);
Tensor logspace(Scalar start, Scalar end, int64_t steps, double base, DType dtype, Device device);
Tensor eye(int64_t n, int64_t m, DType dtype, Device device);
Tensor tril_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device);
Tensor triu_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device);

Tensor randperm(int64_t n, DType dtype, Device device);
Tensor normal(const Tensor& mean, const Tensor& std);
Tensor normal(double mean, double std, const Shape& sizes, DType dtype, Device device);
void normal_(const Tensor& t, double mean, double std);
void uniform_(const Tensor& t, double from, double to);
// Fills t (any layout, floating) with randn's (normal) or rand's numbers of its shape and dtype,
// each element v (as the dtype holds it) mapped to shift + scale * v in float64
// (core/philox_values.h's philox_affine): normal_ and uniform_ on every device. A contiguous t
// is filled in place, another through a contiguous tensor copied into it, so a layout never
// changes the numbers.
void random_affine_(const Tensor& t, const char* op, bool normal, double shift, double scale);
Tensor bernoulli(const Tensor& p);
Tensor bernoulli(const Tensor& t, double p);
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement);

}  // namespace cmp::ops
