// Factories and random distributions: *_like, linspace, logspace, eye, randperm, normal,
// uniform_, bernoulli, multinomial, tril/triu_indices.
#include "abi_util.h"
#include "ops/factories_ops.h"

#include <optional>

using namespace cmp;
using namespace cmp::abi;

namespace {

using LikeFn = Tensor (*)(const Tensor&, std::optional<DType>, std::optional<Device>);

// The optional dtype/device overrides of the *_like functions (NULL keeps the input's).
cmp_status like(const char* op, cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out,
                LikeFn fn, const cmp_scalar* value = nullptr) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        Tensor t = tensor_arg(tensor, op, "tensor");
        std::optional<DType> d;
        std::optional<Device> dev;
        if (dtype != nullptr) d = dtype_arg(*dtype, op, "dtype");
        if (device != nullptr) dev = device_arg(*device, op, "device");
        if (value != nullptr) {
            scalar_arg(*value, op, "value");
            o = to_handle(ops::full_like(t, *value, d, dev));
        } else {
            o = to_handle(fn(t, d, dev));
        }
    });
}

Tensor zeros_like_fn(const Tensor& t, std::optional<DType> d, std::optional<Device> dev) {
    return ops::full_like(t, ops::scalar_int(0), d, dev);
}

Tensor ones_like_fn(const Tensor& t, std::optional<DType> d, std::optional<Device> dev) {
    return ops::full_like(t, ops::scalar_int(1), d, dev);
}

// A factory with no sizes argument: dtype and device only.
template <typename Fn>
cmp_status make(const char* op, const cmp_dtype& dtype, cmp_device device, cmp_tensor* out, Fn&& fn) noexcept {
    return guard(op, [&] {
        cmp_tensor& o = out_tensor(out, op);
        const DType d = dtype_arg(dtype, op, "dtype");
        const Device dev = device_arg(device, op, "device");
        o = to_handle(fn(d, dev));
    });
}

}  // namespace

extern "C" {

CMP_API cmp_status cmp_empty_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out) {
    return like("empty_like", tensor, dtype, device, out, ops::empty_like);
}

CMP_API cmp_status cmp_zeros_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out) {
    return like("zeros_like", tensor, dtype, device, out, zeros_like_fn);
}

CMP_API cmp_status cmp_ones_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out) {
    return like("ones_like", tensor, dtype, device, out, ones_like_fn);
}

CMP_API cmp_status cmp_full_like(cmp_tensor tensor, cmp_scalar value, const cmp_dtype* dtype, const cmp_device* device,
                                 cmp_tensor* out) {
    return like("full_like", tensor, dtype, device, out, nullptr, &value);
}

CMP_API cmp_status cmp_rand_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out) {
    return like("rand_like", tensor, dtype, device, out, ops::rand_like);
}

CMP_API cmp_status cmp_randn_like(cmp_tensor tensor, const cmp_dtype* dtype, const cmp_device* device, cmp_tensor* out) {
    return like("randn_like", tensor, dtype, device, out, ops::randn_like);
}

CMP_API cmp_status cmp_linspace(cmp_scalar start, cmp_scalar end, int64_t steps, cmp_dtype dtype, cmp_device device,
                                cmp_tensor* out) {
    return make("linspace", dtype, device, out, [&](DType d, Device dev) {
        scalar_arg(start, "linspace", "start");
        scalar_arg(end, "linspace", "end");
        return ops::linspace(start, end, steps, d, dev);
    });
}

CMP_API cmp_status cmp_logspace(cmp_scalar start, cmp_scalar end, int64_t steps, double base, cmp_dtype dtype,
                                cmp_device device, cmp_tensor* out) {
    return make("logspace", dtype, device, out, [&](DType d, Device dev) {
        scalar_arg(start, "logspace", "start");
        scalar_arg(end, "logspace", "end");
        return ops::logspace(start, end, steps, base, d, dev);
    });
}

CMP_API cmp_status cmp_eye(int64_t n, int64_t m, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return make("eye", dtype, device, out, [&](DType d, Device dev) { return ops::eye(n, m, d, dev); });
}

CMP_API cmp_status cmp_randperm(int64_t n, cmp_dtype dtype, cmp_device device, cmp_tensor* out) {
    return make("randperm", dtype, device, out, [&](DType d, Device dev) { return ops::randperm(n, d, dev); });
}

CMP_API cmp_status cmp_normal(cmp_tensor mean, cmp_tensor std, cmp_tensor* out) {
    return binary("normal", mean, std, out, [](const Tensor& m, const Tensor& s) { return ops::normal(m, s); });
}

CMP_API cmp_status cmp_normal_scalar(double mean, double std, const int64_t* sizes, int64_t ndim, cmp_dtype dtype,
                                     cmp_device device, cmp_tensor* out) {
    return guard("normal", [&] {
        cmp_tensor& o = out_tensor(out, "normal");
        Creation c = creation_args("normal", sizes, ndim, dtype, device);
        o = to_handle(ops::normal(mean, std, c.sizes, c.dtype, c.device));
    });
}

CMP_API cmp_status cmp_normal_(cmp_tensor tensor, double mean, double std) {
    return guard("normal_", [&] {
        Tensor t = tensor_arg(tensor, "normal_", "tensor");
        ops::normal_(t, mean, std);
        mark_written(t);
    });
}

CMP_API cmp_status cmp_uniform_(cmp_tensor tensor, double from, double to) {
    return guard("uniform_", [&] {
        Tensor t = tensor_arg(tensor, "uniform_", "tensor");
        ops::uniform_(t, from, to);
        mark_written(t);
    });
}

CMP_API cmp_status cmp_bernoulli(cmp_tensor p, cmp_tensor* out) {
    return unary("bernoulli", p, out, [](const Tensor& t) { return ops::bernoulli(t); });
}

CMP_API cmp_status cmp_bernoulli_scalar(cmp_tensor tensor, double p, cmp_tensor* out) {
    return unary("bernoulli", tensor, out, [&](const Tensor& t) { return ops::bernoulli(t, p); });
}

CMP_API cmp_status cmp_multinomial(cmp_tensor probs, int64_t num_samples, int32_t replacement, cmp_tensor* out) {
    return unary("multinomial", probs, out,
                 [&](const Tensor& t) { return ops::multinomial(t, num_samples, replacement != 0); });
}

CMP_API cmp_status cmp_tril_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device,
                                    cmp_tensor* out) {
    return make("tril_indices", dtype, device, out,
                [&](DType d, Device dev) { return ops::tril_indices(row, col, offset, d, dev); });
}

CMP_API cmp_status cmp_triu_indices(int64_t row, int64_t col, int64_t offset, cmp_dtype dtype, cmp_device device,
                                    cmp_tensor* out) {
    return make("triu_indices", dtype, device, out,
                [&](DType d, Device dev) { return ops::triu_indices(row, col, offset, d, dev); });
}

}  // extern "C"
