// Deterministic factories: the *_like family, linspace, logspace, eye, tril/triu_indices.
// linspace and logspace follow the arithmetic of PyTorch's CPU kernels (first half from start,
// second half from end, in the precision PyTorch uses per dtype) so that their values match.
#include "ops/factories_ops.h"

#include "core/half.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>

namespace cmp::ops {
namespace {

// True when the elements exactly tile [0, numel) of their storage (any dim order).
bool is_dense(const Tensor& t) {
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < t.dim(); ++d) {
        if (t.size(d) != 1) dims.push_back(d);
    }
    std::stable_sort(dims.begin(), dims.end(), [&](int64_t a, int64_t b) { return t.stride(a) < t.stride(b); });
    int64_t expected = 1;
    for (int64_t d : dims) {
        if (t.stride(d) != expected) return false;
        expected *= t.size(d);
    }
    return true;
}

// Dense strides that keep the input's dim order (innermost = smallest stride; a stride-0 dim
// keeps its place, equal strides put the smaller dim inside), as PyTorch's preserve format.
Shape preserved_strides(const Tensor& t) {
    if (t.numel() == 0 && t.dim() > 0) return contiguous_strides(t.sizes());
    if (is_dense(t)) return t.strides();
    const int64_t nd = t.dim();
    std::vector<int64_t> order(static_cast<size_t>(nd));  // order[0] is the innermost dim
    for (int64_t i = 0; i < nd; ++i) order[i] = nd - 1 - i;
    // > 0: a must move outside b.
    auto outer_than = [&](int64_t a, int64_t b) {
        if (t.stride(a) == 0 || t.stride(b) == 0) return 0;
        if (t.stride(a) != t.stride(b)) return t.stride(a) > t.stride(b) ? 1 : -1;
        return t.size(a) > t.size(b) ? 1 : 0;
    };
    for (int64_t i = 1; i < nd; ++i) {
        int64_t cur = i;
        for (int64_t j = i - 1; j >= 0; --j) {
            const int c = outer_than(order[j], order[cur]);
            if (c > 0) {
                std::swap(order[j], order[cur]);
                cur = j;
            } else if (c < 0) {
                break;
            }
        }
    }
    Shape strides(static_cast<size_t>(nd));
    int64_t s = 1;
    for (int64_t d : order) {
        strides[d] = s;
        s *= std::max<int64_t>(t.size(d), 1);
    }
    return strides;
}

// A tensor of t's shape and preserved strides over a fresh storage of numel elements, which
// base (1-D, contiguous, numel elements) provides.
Tensor like_view(const Tensor& t, const Tensor& base) { return as_strided(base, t.sizes(), preserved_strides(t), 0); }

Tensor like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device, const char* op,
            Tensor (*make)(const Shape&, DType, Device)) {
    const Device dev = device.value_or(t.device());
    require_available(dev, op);
    return like_view(t, make({t.numel()}, dtype.value_or(t.dtype()), dev));
}

template <typename T>
T from_double(double v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

// Reduced floats: PyTorch's Half/BFloat16 arithmetic rounds after every operation.
template <typename T>
float rnd(float v) {
    return static_cast<float>(T(v));
}

template <typename T>
void linspace_fill(T* out, Scalar s0, Scalar s1, int64_t steps) {
    const int64_t halfway = steps / 2;
    auto to_t = [](const Scalar& s) {
        return s.kind == CMP_SCALAR_FLOAT ? from_double<T>(s.f) : from_double<T>(static_cast<double>(s.i));
    };
    if constexpr (std::is_integral_v<T>) {
        // Integer results: the step in double, each value truncated toward zero.
        const T start = s0.kind == CMP_SCALAR_FLOAT ? static_cast<T>(s0.f) : static_cast<T>(s0.i);
        const T end = s1.kind == CMP_SCALAR_FLOAT ? static_cast<T>(s1.f) : static_cast<T>(s1.i);
        const double step = (static_cast<double>(end) - static_cast<double>(start)) / static_cast<double>(steps - 1);
        for (int64_t i = 0; i < steps; ++i) {
            out[i] = static_cast<T>(i < halfway ? start + step * static_cast<double>(i)
                                                : end - step * static_cast<double>(steps - i - 1));
        }
    } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
        const T start = to_t(s0), end = to_t(s1);
        // PyTorch's AVX2 kernel compiles start + step * i as one fused multiply-add. Its
        // vector path (8 or 4 lanes from one such base, base + j * step) is not reproduced:
        // which lanes take it depends on the build's vector width, and it differs from this
        // formula by at most 3 roundings of values below max(|start|, |end|) (see the test).
        const T step = (end - start) / static_cast<T>(steps - 1);
        for (int64_t i = 0; i < steps; ++i) {
            out[i] = i < halfway ? std::fma(step, static_cast<T>(i), start)
                                 : std::fma(-step, static_cast<T>(steps - i - 1), end);
        }
    } else {
        const float start = static_cast<float>(to_t(s0)), end = static_cast<float>(to_t(s1));
        const float step = rnd<T>(rnd<T>(end - start) / rnd<T>(static_cast<float>(steps - 1)));
        for (int64_t i = 0; i < steps; ++i) {
            out[i] = i < halfway ? T(start + rnd<T>(step * rnd<T>(static_cast<float>(i))))
                                 : T(end - rnd<T>(step * rnd<T>(static_cast<float>(steps - i - 1))));
        }
    }
}

template <typename T>
void logspace_fill(T* out, Scalar s0, Scalar s1, int64_t steps, double base) {
    // Exponents in double from start and end in the dtype (their difference taken in the dtype,
    // as PyTorch does), then pow in double rounded once.
    const T start = s0.kind == CMP_SCALAR_FLOAT ? from_double<T>(s0.f) : from_double<T>(static_cast<double>(s0.i));
    const T end = s1.kind == CMP_SCALAR_FLOAT ? from_double<T>(s1.f) : from_double<T>(static_cast<double>(s1.i));
    double diff;
    if constexpr (std::is_integral_v<T>) diff = static_cast<double>(static_cast<T>(end - start));
    else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) diff = rnd<T>(float(end) - float(start));
    else diff = static_cast<double>(end - start);
    const double step = diff / static_cast<double>(steps - 1);
    const int64_t halfway = steps / 2;
    for (int64_t i = 0; i < steps; ++i) {
        const double e = i < halfway ? static_cast<double>(start) + step * static_cast<double>(i)
                                     : static_cast<double>(end) - step * static_cast<double>(steps - i - 1);
        out[i] = from_double<T>(std::pow(base, e));
    }
}

void check_steps(const char* op, int64_t steps, DType dtype) {
    CMP_CHECK(steps >= 0, INVALID_ARGUMENT, op, ": number of steps must be non-negative, got ", steps);
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, op, ": not defined for dtype bool");
}

Tensor tri_indices(const char* op, int64_t row, int64_t col, int64_t offset, DType dtype, Device device, bool lower) {
    require_available(device, op);
    CMP_CHECK(row >= 0, INVALID_ARGUMENT, op, ": row must be non-negative, got ", row);
    CMP_CHECK(col >= 0, INVALID_ARGUMENT, op, ": col must be non-negative, got ", col);
    CMP_CHECK(is_integral(dtype, false), DTYPE_MISMATCH, op, ": expected an integer dtype, got ", dtype_name(dtype));
    // On a device: the CPU's indices moved in one transfer, as arange's (2 x count integers).
    if (!device.is_cpu()) return to_device(tri_indices(op, row, col, offset, dtype, Device::cpu(), lower), device);
    // Entries of row r: columns [0, r + offset] (lower) or [r + offset, col) (upper), clipped.
    auto range = [&](int64_t r) {
        const int64_t lo = lower ? 0 : std::clamp<int64_t>(r + offset, 0, col);
        const int64_t hi = lower ? std::clamp<int64_t>(r + offset + 1, 0, col) : col;
        return std::pair<int64_t, int64_t>(lo, hi);
    };
    int64_t n = 0;
    for (int64_t r = 0; r < row; ++r) n += range(r).second - range(r).first;
    Tensor out = Tensor::empty({2, n}, dtype, device);
    CMP_DISPATCH_ALL_TYPES(dtype, op, [&] {
        scalar_t* rows = out.data<scalar_t>();
        scalar_t* cols = rows + n;
        int64_t k = 0;
        for (int64_t r = 0; r < row; ++r) {
            const auto [lo, hi] = range(r);
            for (int64_t c = lo; c < hi; ++c, ++k) {
                rows[k] = static_cast<scalar_t>(r);
                cols[k] = static_cast<scalar_t>(c);
            }
        }
    });
    return out;
}

}  // namespace

Tensor empty_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device) {
    return like(t, dtype, device, "empty_like", empty);
}

Tensor full_like(const Tensor& t, Scalar value, std::optional<DType> dtype, std::optional<Device> device) {
    Tensor out = empty_like(t, dtype, device);
    if (out.numel() > 0) fill_(out, value);
    return out;
}

// rand_like / randn_like: rand / randn of numel elements, laid out in the result's memory order
// (so a permuted-layout result holds the same stream as a contiguous one, permuted).
Tensor rand_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device) {
    return like(t, dtype, device, "rand_like", rand);
}

Tensor randn_like(const Tensor& t, std::optional<DType> dtype, std::optional<Device> device) {
    return like(t, dtype, device, "randn_like", randn);
}

Tensor linspace(Scalar start, Scalar end, int64_t steps, DType dtype, Device device) {
    require_available(device, "linspace");
    // On a device: the CPU's values, moved in one transfer (as arange).
    if (!device.is_cpu()) return to_device(linspace(start, end, steps, dtype, Device::cpu()), device);
    check_steps("linspace", steps, dtype);
    Tensor out = Tensor::empty({steps}, dtype, device);
    if (steps == 0) return out;
    if (steps == 1) {
        fill_(out, start);
        return out;
    }
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "linspace", [&] { linspace_fill(out.data<scalar_t>(), start, end, steps); });
    return out;
}

Tensor logspace(Scalar start, Scalar end, int64_t steps, double base, DType dtype, Device device) {
    require_available(device, "logspace");
    // On a device: the CPU's values, moved in one transfer (as arange).
    if (!device.is_cpu()) return to_device(logspace(start, end, steps, base, dtype, Device::cpu()), device);
    check_steps("logspace", steps, dtype);
    Tensor out = Tensor::empty({steps}, dtype, device);
    if (steps == 0) return out;
    if (steps == 1) {
        const double s = start.kind == CMP_SCALAR_FLOAT ? start.f : static_cast<double>(start.i);
        fill_(out, scalar_float(std::pow(base, s)));
        return out;
    }
    CMP_DISPATCH_NUMERIC_TYPES(dtype, "logspace", [&] { logspace_fill(out.data<scalar_t>(), start, end, steps, base); });
    return out;
}

Tensor eye(int64_t n, int64_t m, DType dtype, Device device) {
    require_available(device, "eye");
    CMP_CHECK(n >= 0, INVALID_ARGUMENT, "eye: n must be greater or equal to 0, got ", n);
    CMP_CHECK(m >= 0, INVALID_ARGUMENT, "eye: m must be greater or equal to 0, got ", m);
    Tensor out = full({n, m}, scalar_int(0), dtype, device);
    const Tensor diagonal = as_strided(out, {std::min(n, m)}, {m + 1}, 0);
    if (diagonal.numel() > 0) fill_(diagonal, scalar_int(1));
    return out;
}

Tensor tril_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device) {
    return tri_indices("tril_indices", row, col, offset, dtype, device, true);
}

Tensor triu_indices(int64_t row, int64_t col, int64_t offset, DType dtype, Device device) {
    return tri_indices("triu_indices", row, col, offset, dtype, device, false);
}

}  // namespace cmp::ops
