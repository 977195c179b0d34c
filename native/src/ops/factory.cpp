// Factories: new tensors from sizes, values, ranges, host buffers and external memory.
#include "ops.h"

#include "core/parallel.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace cmp::ops {

Scalar scalar_float(double v) { return Scalar{CMP_SCALAR_FLOAT, 0, v, 0}; }
Scalar scalar_int(int64_t v) { return Scalar{CMP_SCALAR_INT, 0, 0.0, v}; }
Scalar scalar_bool(bool v) { return Scalar{CMP_SCALAR_BOOL, 0, 0.0, v ? 1 : 0}; }

namespace {

double as_double(const Scalar& s) { return s.kind == CMP_SCALAR_FLOAT ? s.f : static_cast<double>(s.i); }

// c10::Scalar::to<int64_t> semantics for a float: truncation, refusing what does not fit.
int64_t as_int64(const Scalar& s, const char* op, const char* arg) {
    if (s.kind != CMP_SCALAR_FLOAT) return s.i;
    CMP_CHECK(std::isfinite(s.f) && s.f >= -9.2233720368547758e18 && s.f < 9.2233720368547758e18, INVALID_ARGUMENT, op,
              ": argument '", arg, "' (", s.f, ") cannot be converted to int64 without overflow");
    return static_cast<int64_t>(s.f);
}

// The type arange accumulates in, as PyTorch's CPU kernel does: double for float/double,
// float for the 16-bit floats, int64 for the integers.
template <typename T>
using arange_acc_t =
    std::conditional_t<std::is_same_v<T, float> || std::is_same_v<T, double>, double,
                       std::conditional_t<std::is_integral_v<T>, int64_t, float>>;

}  // namespace

Tensor empty(const Shape& sizes, DType dtype, Device device) { return Tensor::empty(sizes, dtype, device, "empty"); }

Tensor full(const Shape& sizes, Scalar value, DType dtype, Device device) {
    Tensor t = Tensor::empty(sizes, dtype, device, "full");
    if (t.numel() > 0) fill_(t, value);
    return t;
}

Tensor scalar_tensor(Scalar value, Device device) {
    // Wrapped floats are stored in float64, as PyTorch does, so float64 tensor + 0.1 sees the
    // exact double; type promotion still counts them as the default dtype (float32).
    DType dtype = value.kind == CMP_SCALAR_FLOAT ? CMP_DTYPE_FLOAT64
                  : value.kind == CMP_SCALAR_BOOL ? CMP_DTYPE_BOOL
                                                  : CMP_DTYPE_INT64;
    Tensor t = Tensor::empty({}, dtype, device, "scalar_tensor");
    fill_(t, value);
    t.impl()->wrapped_number_ = true;
    return t;
}

Tensor arange(Scalar start, Scalar end, Scalar step, DType dtype, Device device) {
    check_dtype(dtype, "arange", "dtype");
    CMP_CHECK(dtype != CMP_DTYPE_BOOL, DTYPE_MISMATCH, "arange: not implemented for dtype bool");
    require_available(device, "arange");
    // On a device: the CPU's values (and its checks), moved in one transfer; a sequence is
    // small next to what it indexes, and the device then holds exactly the CPU's numbers.
    if (!device.is_cpu()) return to_device(arange(start, end, step, dtype, Device::cpu()), device);
    return CMP_DISPATCH_NUMERIC_TYPES(dtype, "arange", [&] {
        using acc_t = arange_acc_t<scalar_t>;
        acc_t xstart, xend, xstep;
        if constexpr (std::is_integral_v<acc_t>) {
            xstart = as_int64(start, "arange", "start");
            xend = as_int64(end, "arange", "end");
            xstep = as_int64(step, "arange", "step");
        } else {
            xstart = static_cast<acc_t>(as_double(start));
            xend = static_cast<acc_t>(as_double(end));
            xstep = static_cast<acc_t>(as_double(step));
        }
        CMP_CHECK(xstep != 0, INVALID_ARGUMENT, "arange: step must be nonzero");
        CMP_CHECK(std::isfinite(static_cast<double>(xstart)) && std::isfinite(static_cast<double>(xend)),
                  INVALID_ARGUMENT, "arange: unsupported range ", xstart, " -> ", xend);
        CMP_CHECK((xstep > 0 && xend >= xstart) || (xstep < 0 && xend <= xstart), INVALID_ARGUMENT,
                  "arange: upper bound and lower bound inconsistent with step sign (start ", xstart, ", end ", xend,
                  ", step ", xstep, ")");
        // ceil((end - start) / step), computed like PyTorch: in the accumulate type for int64
        // results, in double from the original scalars otherwise.
        double size_d;
        if constexpr (std::is_same_v<scalar_t, int64_t>)
            size_d = std::ceil(static_cast<double>(xend - xstart) / static_cast<double>(xstep));
        else
            size_d = std::ceil((as_double(end) - as_double(start)) / as_double(step));
        CMP_CHECK(size_d >= 0 && size_d <= static_cast<double>(std::numeric_limits<int64_t>::max()), INVALID_ARGUMENT,
                  "arange: invalid size ", size_d, ", possible overflow");
        const int64_t n = static_cast<int64_t>(size_d);
        Tensor t = Tensor::empty({n}, dtype, device, "arange");
        scalar_t* out = t.data<scalar_t>();
        parallel_for(0, n, kDefaultGrain, [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) {
                // PyTorch's kernel computes start + step * i contracted to one fused
                // multiply-add; rounding once is what makes its float results come out as they do.
                if constexpr (std::is_integral_v<acc_t>)
                    // Wraps like the int64 arithmetic it mirrors, without signed-overflow UB.
                    out[i] = static_cast<scalar_t>(static_cast<int64_t>(
                        static_cast<uint64_t>(xstart) + static_cast<uint64_t>(i) * static_cast<uint64_t>(xstep)));
                else
                    out[i] = static_cast<scalar_t>(std::fma(xstep, static_cast<acc_t>(i), xstart));
            }
        });
        return t;
    });
}

Tensor from_buffer(const void* data, int64_t nbytes, const Shape& sizes, DType dtype) {
    check_dtype(dtype, "from_buffer", "dtype");
    const int64_t n = checked_numel(sizes, "from_buffer");
    const int64_t esize = element_size(dtype);
    CMP_CHECK(n <= std::numeric_limits<int64_t>::max() / esize && nbytes == n * esize, SHAPE_MISMATCH,
              "from_buffer: nbytes is ", nbytes, " but sizes ", sizes, " of dtype ", dtype_name(dtype), " need ",
              n <= std::numeric_limits<int64_t>::max() / esize ? std::to_string(n * esize) : std::string("more than 2^63"),
              " bytes");
    CMP_CHECK(data != nullptr || nbytes == 0, INVALID_ARGUMENT, "from_buffer: argument 'data' is NULL");
    Tensor t = Tensor::empty(sizes, dtype, Device::cpu(), "from_buffer");
    if (nbytes) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
    return t;
}

Tensor from_external(void* data, const Shape& sizes, const Shape* strides, DType dtype, Device device,
                     cmp_deleter deleter, void* context) {
    check_dtype(dtype, "from_external", "dtype");
    require_available(device, "from_external");
    const int64_t n = checked_numel(sizes, "from_external");
    Shape st = strides ? *strides : contiguous_strides(sizes);
    CMP_CHECK(st.size() == sizes.size(), SHAPE_MISMATCH, "from_external: ", st.size(), " strides given for sizes ",
              sizes);
    // The storage spans from data to one past the farthest element any index can reach.
    int64_t extent = n > 0 ? 1 : 0;
    const int64_t esize = element_size(dtype);
    for (size_t i = 0; i < sizes.size() && n > 0; ++i) {
        CMP_CHECK(st[i] >= 0, INVALID_ARGUMENT, "from_external: negative strides are not supported, got strides ", st);
        int64_t span;
        CMP_CHECK(!mul_overflow(sizes[i] - 1, st[i], &span) && !add_overflow(extent, span, &extent),
                  INVALID_ARGUMENT, "from_external: sizes ", sizes, " and strides ", st, " overflow");
    }
    CMP_CHECK(extent <= std::numeric_limits<int64_t>::max() / esize, INVALID_ARGUMENT, "from_external: sizes ", sizes,
              " and strides ", st, " overflow the byte count");
    CMP_CHECK(data != nullptr || n == 0, INVALID_ARGUMENT, "from_external: argument 'data' is NULL for sizes ", sizes);
    Ref<Storage> storage = Storage::wrap(data, extent * esize, device, deleter, context);
    return Tensor::make_external(std::move(storage), dtype, sizes, std::move(st), 0);
}

}  // namespace cmp::ops
