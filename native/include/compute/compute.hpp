/*
 * compute.hpp - header-only C++17 wrapper over the Compute C ABI (compute.h).
 *
 * It adds exactly three things to the C functions, and nothing else:
 *  - ownership: compute::Tensor owns one reference to a cmp_tensor handle; copying retains,
 *    moving steals, destruction releases. Views share storage exactly as in the C ABI.
 *  - errors: every non-OK status becomes a compute::Error carrying the status and the
 *    library's message (cmp_last_error()), so callers never check return codes by hand.
 *  - spelling: PyTorch-like member functions and operators (a + b, a.matmul(b), a.sum({1})).
 * All work happens in the library; this header holds no logic that the C ABI does not have,
 * which keeps C and C++ consumers behaving identically.
 */
#ifndef COMPUTE_COMPUTE_HPP
#define COMPUTE_COMPUTE_HPP

#include "compute.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace compute {

/** A failed call: the C status and the library's message naming the op and the arguments. */
class Error : public std::runtime_error {
public:
    Error(cmp_status status, const std::string& message) : std::runtime_error(message), status_(status) {}

    /** The status the C function returned. */
    cmp_status status() const noexcept { return status_; }

private:
    cmp_status status_;
};

namespace detail {
/** Throws compute::Error for a non-OK status; the message is read on the failing thread. */
inline void check(cmp_status status) {
    if (status != CMP_STATUS_OK) throw Error(status, cmp_last_error());
}
}  // namespace detail

/** Element types; the values are those of cmp_dtype. */
enum class DType : int32_t {
    Float32 = CMP_DTYPE_FLOAT32,
    Float64 = CMP_DTYPE_FLOAT64,
    Float16 = CMP_DTYPE_FLOAT16,
    BFloat16 = CMP_DTYPE_BFLOAT16,
    Int64 = CMP_DTYPE_INT64,
    Int32 = CMP_DTYPE_INT32,
    Int16 = CMP_DTYPE_INT16,
    Int8 = CMP_DTYPE_INT8,
    UInt8 = CMP_DTYPE_UINT8,
    Bool = CMP_DTYPE_BOOL,
};

/** The DType holding C++ type T (float -> Float32, int64_t -> Int64, bool -> Bool, ...). */
template <class T>
constexpr DType dtype_of() {
    if constexpr (std::is_same_v<T, float>) return DType::Float32;
    else if constexpr (std::is_same_v<T, double>) return DType::Float64;
    else if constexpr (std::is_same_v<T, int64_t>) return DType::Int64;
    else if constexpr (std::is_same_v<T, int32_t>) return DType::Int32;
    else if constexpr (std::is_same_v<T, int16_t>) return DType::Int16;
    else if constexpr (std::is_same_v<T, int8_t>) return DType::Int8;
    else if constexpr (std::is_same_v<T, uint8_t>) return DType::UInt8;
    else if constexpr (std::is_same_v<T, bool>) return DType::Bool;
    else static_assert(sizeof(T) == 0, "compute::dtype_of: no Compute dtype holds this C++ type");
}

/** A device: the CPU or a CUDA GPU with its ordinal. */
struct Device {
    cmp_device raw{CMP_DEVICE_CPU, 0};

    static Device cpu() { return Device{}; }
    static Device cuda(int32_t index = 0) { return Device{cmp_device{CMP_DEVICE_CUDA, index}}; }
    bool is_cpu() const noexcept { return raw.type == CMP_DEVICE_CPU; }
    bool is_cuda() const noexcept { return raw.type == CMP_DEVICE_CUDA; }
    int32_t index() const noexcept { return raw.index; }
};

/** A number passed by value (PyTorch's Scalar): float, integer or bool, kept as given. */
class Scalar {
public:
    Scalar(bool v) noexcept : raw_{CMP_SCALAR_BOOL, 0, 0.0, v ? 1 : 0} {}
    Scalar(double v) noexcept : raw_{CMP_SCALAR_FLOAT, 0, v, 0} {}
    Scalar(float v) noexcept : Scalar(static_cast<double>(v)) {}
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Scalar(T v) noexcept : raw_{CMP_SCALAR_INT, 0, 0.0, static_cast<int64_t>(v)} {}

    const cmp_scalar& raw() const noexcept { return raw_; }

    /** The value converted to T (as a C++ cast would). */
    template <class T>
    T to() const noexcept {
        return raw_.kind == CMP_SCALAR_FLOAT ? static_cast<T>(raw_.f) : static_cast<T>(raw_.i);
    }

private:
    cmp_scalar raw_;
};

/** Sizes, strides or dims: Tensor::zeros({2, 3}). */
using Shape = std::vector<int64_t>;

/** An owned reference to a Compute tensor. A default-constructed Tensor holds no handle. */
class Tensor {
public:
    Tensor() noexcept = default;
    Tensor(const Tensor& other) : handle_(other.handle_) {
        if (handle_) detail::check(cmp_tensor_retain(handle_));
    }
    Tensor(Tensor&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Tensor& operator=(const Tensor& other) {
        Tensor copy(other);
        swap(copy);
        return *this;
    }
    Tensor& operator=(Tensor&& other) noexcept {
        Tensor moved(std::move(other));
        swap(moved);
        return *this;
    }
    ~Tensor() {
        // Release cannot fail for a handle we own; a destructor must not throw anyway.
        if (handle_) cmp_tensor_release(handle_);
    }

    /** Takes ownership of a handle returned by a C function (no retain). */
    static Tensor adopt(cmp_tensor handle) noexcept {
        Tensor t;
        t.handle_ = handle;
        return t;
    }
    /** The handle, still owned by this Tensor (for calling the C ABI directly). */
    cmp_tensor get() const noexcept { return handle_; }
    /** Gives up ownership: the caller releases the returned handle. */
    cmp_tensor release() noexcept { return std::exchange(handle_, nullptr); }
    explicit operator bool() const noexcept { return handle_ != nullptr; }
    void swap(Tensor& other) noexcept { std::swap(handle_, other.handle_); }

    // ----- factories -------------------------------------------------------------------

    static Tensor empty(const Shape& sizes, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_empty, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }
    static Tensor zeros(const Shape& sizes, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_zeros, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }
    static Tensor ones(const Shape& sizes, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_ones, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }
    static Tensor full(const Shape& sizes, Scalar value, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_full, sizes.data(), ndim(sizes), value.raw(), raw(dtype), device.raw);
    }
    /** start, start+step, ... below end. */
    static Tensor arange(Scalar start, Scalar end, Scalar step = Scalar(int64_t{1}), DType dtype = DType::Float32,
                         Device device = Device::cpu()) {
        return call(cmp_arange, start.raw(), end.raw(), step.raw(), raw(dtype), device.raw);
    }
    /** A 0-dim tensor holding a number that promotes like a Python scalar (wrapped number). */
    static Tensor scalar(Scalar value, Device device = Device::cpu()) {
        return call(cmp_scalar_tensor, value.raw(), device.raw);
    }
    /** A CPU tensor holding a copy of values laid out row-major in sizes. */
    template <class T>
    static Tensor from(const std::vector<T>& values, const Shape& sizes) {
        static_assert(!std::is_same_v<T, bool>, "compute::Tensor::from: std::vector<bool> is packed; use uint8_t");
        return call(cmp_from_buffer, static_cast<const void*>(values.data()),
                    static_cast<int64_t>(values.size() * sizeof(T)), sizes.data(), ndim(sizes), raw(dtype_of<T>()));
    }
    static Tensor rand(const Shape& sizes, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_rand, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }
    static Tensor randn(const Shape& sizes, DType dtype = DType::Float32, Device device = Device::cpu()) {
        return call(cmp_randn, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }
    static Tensor randint(int64_t low, int64_t high, const Shape& sizes, DType dtype = DType::Int64,
                          Device device = Device::cpu()) {
        return call(cmp_randint, low, high, sizes.data(), ndim(sizes), raw(dtype), device.raw);
    }

    // ----- metadata --------------------------------------------------------------------

    int64_t dim() const { return get_value<int64_t>(cmp_tensor_ndim); }
    Shape sizes() const { return get_shape(cmp_tensor_sizes); }
    Shape strides() const { return get_shape(cmp_tensor_strides); }
    int64_t size(int64_t d) const {
        const Shape s = sizes();
        const int64_t n = static_cast<int64_t>(s.size());
        const int64_t i = d < 0 ? d + n : d;
        if (i < 0 || i >= n)
            throw Error(CMP_STATUS_INDEX_OUT_OF_RANGE, "size: dim " + std::to_string(d) + " is out of range for a tensor of " +
                                                           std::to_string(n) + " dims");
        return s[static_cast<size_t>(i)];
    }
    int64_t offset() const { return get_value<int64_t>(cmp_tensor_offset); }
    DType dtype() const { return static_cast<DType>(get_value<cmp_dtype>(cmp_tensor_dtype)); }
    Device device() const { return Device{get_value<cmp_device>(cmp_tensor_device)}; }
    int64_t numel() const { return get_value<int64_t>(cmp_tensor_numel); }
    int64_t element_size() const { return get_value<int64_t>(cmp_tensor_element_size); }
    bool is_contiguous() const { return get_value<int32_t>(cmp_tensor_is_contiguous) != 0; }
    void* data_ptr() const { return get_value<void*>(cmp_tensor_data_ptr); }

    // ----- reading values --------------------------------------------------------------

    /** All elements in row-major order; T must be the tensor's dtype (see dtype_of). */
    template <class T>
    std::vector<T> to_vector() const {
        static_assert(!std::is_same_v<T, bool>, "compute::Tensor::to_vector: std::vector<bool> is packed; use uint8_t");
        std::vector<T> values(static_cast<size_t>(numel()));
        detail::check(cmp_tensor_copy_to_buffer(handle_, values.data(), static_cast<int64_t>(values.size() * sizeof(T))));
        return values;
    }
    /** The one element of a tensor with numel() == 1, converted to T. */
    template <class T>
    T item() const {
        const Shape index(static_cast<size_t>(dim()), 0);
        cmp_scalar out{};
        detail::check(cmp_tensor_item(handle_, index.data(), ndim(index), &out));
        return out.kind == CMP_SCALAR_FLOAT ? static_cast<T>(out.f) : static_cast<T>(out.i);
    }

    // ----- views (share storage) -------------------------------------------------------

    Tensor view(const Shape& sizes) const { return call(cmp_view, handle_, sizes.data(), ndim(sizes)); }
    Tensor reshape(const Shape& sizes) const { return call(cmp_reshape, handle_, sizes.data(), ndim(sizes)); }
    Tensor permute(const Shape& dims) const { return call(cmp_permute, handle_, dims.data(), ndim(dims)); }
    Tensor transpose(int64_t dim0, int64_t dim1) const { return call(cmp_transpose, handle_, dim0, dim1); }
    Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const {
        return call(cmp_slice, handle_, dim, start, end, step);
    }
    Tensor select(int64_t dim, int64_t index) const { return call(cmp_select, handle_, dim, index); }
    Tensor narrow(int64_t dim, int64_t start, int64_t length) const { return call(cmp_narrow, handle_, dim, start, length); }
    Tensor expand(const Shape& sizes) const { return call(cmp_expand, handle_, sizes.data(), ndim(sizes)); }
    Tensor squeeze() const { return call(cmp_squeeze, handle_); }
    Tensor squeeze(int64_t dim) const { return call(cmp_squeeze_dim, handle_, dim); }
    Tensor unsqueeze(int64_t dim) const { return call(cmp_unsqueeze, handle_, dim); }
    Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const { return call(cmp_flatten, handle_, start_dim, end_dim); }
    Tensor as_strided(const Shape& sizes, const Shape& strides, int64_t offset) const {
        if (sizes.size() != strides.size())
            throw Error(CMP_STATUS_INVALID_ARGUMENT, "as_strided: got " + std::to_string(sizes.size()) + " sizes but " +
                                                         std::to_string(strides.size()) + " strides");
        return call(cmp_as_strided, handle_, sizes.data(), strides.data(), ndim(sizes), offset);
    }

    // ----- copies and conversions ------------------------------------------------------

    Tensor contiguous() const { return call(cmp_contiguous, handle_); }
    Tensor clone() const { return call(cmp_clone, handle_); }
    Tensor to(DType dtype) const { return call(cmp_to_dtype, handle_, raw(dtype)); }
    Tensor to(Device device) const { return call(cmp_to_device, handle_, device.raw); }
    Tensor& copy_(const Tensor& src) { return in_place(cmp_copy_(handle_, src.handle_)); }
    Tensor& fill_(Scalar value) { return in_place(cmp_fill_(handle_, value.raw())); }

    // ----- ops -------------------------------------------------------------------------

    Tensor add(const Tensor& other, Scalar alpha = Scalar(int64_t{1})) const {
        return call(cmp_add, handle_, other.handle_, alpha.raw());
    }
    Tensor sub(const Tensor& other, Scalar alpha = Scalar(int64_t{1})) const {
        return call(cmp_sub, handle_, other.handle_, alpha.raw());
    }
    Tensor mul(const Tensor& other) const { return call(cmp_mul, handle_, other.handle_); }
    Tensor div(const Tensor& other) const { return call(cmp_div, handle_, other.handle_); }
    Tensor neg() const { return call(cmp_neg, handle_); }
    Tensor exp() const { return call(cmp_exp, handle_); }
    Tensor eq(const Tensor& other) const { return call(cmp_eq, handle_, other.handle_); }
    Tensor ne(const Tensor& other) const { return call(cmp_ne, handle_, other.handle_); }
    Tensor lt(const Tensor& other) const { return call(cmp_lt, handle_, other.handle_); }
    Tensor le(const Tensor& other) const { return call(cmp_le, handle_, other.handle_); }
    Tensor gt(const Tensor& other) const { return call(cmp_gt, handle_, other.handle_); }
    Tensor ge(const Tensor& other) const { return call(cmp_ge, handle_, other.handle_); }
    Tensor& add_(const Tensor& other, Scalar alpha = Scalar(int64_t{1})) {
        return in_place(cmp_add_(handle_, other.handle_, alpha.raw()));
    }
    Tensor& sub_(const Tensor& other, Scalar alpha = Scalar(int64_t{1})) {
        return in_place(cmp_sub_(handle_, other.handle_, alpha.raw()));
    }
    Tensor& mul_(const Tensor& other) { return in_place(cmp_mul_(handle_, other.handle_)); }
    Tensor& div_(const Tensor& other) { return in_place(cmp_div_(handle_, other.handle_)); }

    /** Sum over every element. */
    Tensor sum() const { return call(cmp_sum, handle_, static_cast<const int64_t*>(nullptr), int64_t{0}, int32_t{0}); }
    /** Sum over dims. */
    Tensor sum(const Shape& dims, bool keepdim = false) const {
        return call(cmp_sum, handle_, dims.data(), ndim(dims), int32_t{keepdim});
    }
    Tensor mean() const { return call(cmp_mean, handle_, static_cast<const int64_t*>(nullptr), int64_t{0}, int32_t{0}); }
    Tensor mean(const Shape& dims, bool keepdim = false) const {
        return call(cmp_mean, handle_, dims.data(), ndim(dims), int32_t{keepdim});
    }
    Tensor matmul(const Tensor& other) const { return call(cmp_matmul, handle_, other.handle_); }

private:
    // Calls a C function whose last parameter is a cmp_tensor* result and adopts the result.
    template <class F, class... Args>
    static Tensor call(F function, Args... args) {
        cmp_tensor out = nullptr;
        detail::check(function(args..., &out));
        return adopt(out);
    }
    template <class T, class F>
    T get_value(F function) const {
        T out{};
        detail::check(function(handle_, &out));
        return out;
    }
    template <class F>
    Shape get_shape(F function) const {
        Shape out(static_cast<size_t>(dim()));
        detail::check(function(handle_, out.data(), ndim(out)));
        return out;
    }
    Tensor& in_place(cmp_status status) {
        detail::check(status);
        return *this;
    }
    static int64_t ndim(const Shape& shape) noexcept { return static_cast<int64_t>(shape.size()); }
    static cmp_dtype raw(DType dtype) noexcept { return static_cast<cmp_dtype>(dtype); }

    cmp_tensor handle_ = nullptr;
};

// ----- operators: tensors with tensors, and with numbers promoted like Python scalars -----

inline Tensor operator+(const Tensor& a, const Tensor& b) { return a.add(b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return a.sub(b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return a.mul(b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return a.div(b); }
inline Tensor operator-(const Tensor& a) { return a.neg(); }
inline Tensor operator==(const Tensor& a, const Tensor& b) { return a.eq(b); }
inline Tensor operator!=(const Tensor& a, const Tensor& b) { return a.ne(b); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return a.lt(b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return a.le(b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return a.gt(b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return a.ge(b); }
inline Tensor& operator+=(Tensor& a, const Tensor& b) { return a.add_(b); }
inline Tensor& operator-=(Tensor& a, const Tensor& b) { return a.sub_(b); }
inline Tensor& operator*=(Tensor& a, const Tensor& b) { return a.mul_(b); }
inline Tensor& operator/=(Tensor& a, const Tensor& b) { return a.div_(b); }

// A number operand goes through the library's wrapped-number tensor so that int32 + 2.5 is
// float32 exactly as in PyTorch; the rules live in the library, not here.
#define COMPUTE_SCALAR_OPERATOR(op)                                                              \
    inline Tensor operator op(const Tensor& a, Scalar b) { return a op Tensor::scalar(b, a.device()); } \
    inline Tensor operator op(Scalar a, const Tensor& b) { return Tensor::scalar(a, b.device()) op b; }
COMPUTE_SCALAR_OPERATOR(+)
COMPUTE_SCALAR_OPERATOR(-)
COMPUTE_SCALAR_OPERATOR(*)
COMPUTE_SCALAR_OPERATOR(/)
COMPUTE_SCALAR_OPERATOR(==)
COMPUTE_SCALAR_OPERATOR(!=)
COMPUTE_SCALAR_OPERATOR(<)
COMPUTE_SCALAR_OPERATOR(<=)
COMPUTE_SCALAR_OPERATOR(>)
COMPUTE_SCALAR_OPERATOR(>=)
#undef COMPUTE_SCALAR_OPERATOR

inline Tensor matmul(const Tensor& a, const Tensor& b) { return a.matmul(b); }

// ----- library ---------------------------------------------------------------------------

/** The library's version string, e.g. "0.1.0". */
inline std::string version() {
    const char* v = nullptr;
    detail::check(cmp_version(&v));
    return v;
}

/** Throws when the loaded library's ABI differs from the header this code was compiled with. */
inline void check_abi() {
    const uint32_t loaded = cmp_abi_version();
    if (loaded != CMP_ABI_VERSION)
        throw Error(CMP_STATUS_INVALID_STATE, "compute: library ABI version " + std::to_string(loaded) +
                                                  " does not match header ABI version " + std::to_string(CMP_ABI_VERSION));
}

inline void manual_seed(uint64_t seed) { detail::check(cmp_manual_seed(seed)); }
inline void set_num_threads(int32_t n) { detail::check(cmp_set_num_threads(n)); }
inline int32_t get_num_threads() {
    int32_t n = 0;
    detail::check(cmp_get_num_threads(&n));
    return n;
}

}  // namespace compute

#endif /* COMPUTE_COMPUTE_HPP */
