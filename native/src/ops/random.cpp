// Random tensors from the default Philox generator. The stream layout (which block and word
// feeds which element) is specified in core/philox.h; every element is computed from
// (seed, offset, index) alone, so the fill runs in parallel and gives the same numbers for any
// thread count.
#include "core/philox.h"
#include "core/philox_values.h"
#include "cpu/random_stubs.h"
#include "ops/cuda_ops.h"
#include "ops/factories_ops.h"
#include "ops/ops.h"

#include <cmath>
#include <limits>
#include <mutex>
#include <type_traits>

namespace cmp {
namespace {

struct DefaultGenerator {
    std::mutex mutex;
    uint64_t seed = kDefaultSeed;
    uint64_t offset = 0;
};

DefaultGenerator& default_generator() {
    static DefaultGenerator g;
    return g;
}

}  // namespace

PhiloxState philox_reserve(uint64_t blocks) {
    DefaultGenerator& g = default_generator();
    std::lock_guard<std::mutex> lock(g.mutex);
    const PhiloxState state{g.seed, g.offset};
    g.offset += blocks;
    return state;
}

namespace cpu {
CMP_DEFINE_STUB(rand_stub);
CMP_DEFINE_STUB(randn_stub);
CMP_DEFINE_STUB(randint_stub);
CMP_DEFINE_STUB(bernoulli_stub);
}  // namespace cpu

}  // namespace cmp

namespace cmp::ops {
namespace {

// An element stored as T from the double philox_affine gives (16-bit types through float32, as
// the kernels store rand / randn).
template <typename T>
T store_double(double v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(static_cast<float>(v));
    else return static_cast<T>(v);
}

// rand / randn into the contiguous tensor out: reserves ceil(n / E) blocks (E = 2 for float64, 4
// otherwise) and lets the per-ISA kernel (or the CUDA backend) compute them. With an affine map,
// each element v becomes philox_affine(v, shift, scale) (normal_, uniform_): on the CPU in a
// second pass over out, on CUDA in the fill itself.
struct Affine {
    double shift, scale;
};

void random_fill_into(const Tensor& out, const char* op, bool normal, const Affine* affine) {
    const DType dtype = out.dtype();
    const int64_t n = out.numel();
    if (n == 0) return;
    const int64_t per_block = dtype == CMP_DTYPE_FLOAT64 ? 2 : 4;
    const PhiloxState state = philox_reserve(static_cast<uint64_t>((n + per_block - 1) / per_block));
    if (!out.device().is_cpu()) {
        const compute_cuda_random_op kind = affine ? (normal ? COMPUTE_CUDA_RANDOM_NORMAL : COMPUTE_CUDA_RANDOM_UNIFORM)
                                                   : (normal ? COMPUTE_CUDA_RANDOM_RANDN : COMPUTE_CUDA_RANDOM_RAND);
        compute_cuda_random r = cuda_ops::random_draw(kind, state.seed, state.offset);
        if (affine) {
            r.shift = affine->shift;
            r.scale = affine->scale;
        }
        cuda_ops::random(op, r, out);
        return;
    }
    const cpu::RandomDraw draw{state.seed, state.offset};
    if (normal) cpu::randn_stub(dtype, draw, n, out.data_ptr());
    else cpu::rand_stub(dtype, draw, n, out.data_ptr());
    if (!affine) return;
    CMP_DISPATCH_FLOATING_TYPES(dtype, op, [&] {
        scalar_t* p = out.data<scalar_t>();
        for (int64_t i = 0; i < n; ++i) {
            const double v = philox_affine(static_cast<double>(p[i]), affine->shift, affine->scale);
            // 16-bit types through float32, as the kernels store rand / randn.
            if constexpr (std::is_same_v<scalar_t, Half> || std::is_same_v<scalar_t, BFloat16>) p[i] = scalar_t(static_cast<float>(v));
            else p[i] = static_cast<scalar_t>(v);
        }
    });
}

Tensor random_fill(const Shape& sizes, DType dtype, Device device, const char* op, bool normal) {
    require_available(device, op);
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, op, ": expected a floating dtype, got ", dtype_name(dtype));
    Tensor out = Tensor::empty(sizes, dtype, device);
    random_fill_into(out, op, normal, nullptr);
    return out;
}

// The values randint may produce for dtype: the integer range of an integer type; for a
// floating type the range in which every integer is representable (+-2^digits).
template <typename T>
void randint_bounds(int64_t* lo, int64_t* hi, const char** what) {
    if constexpr (std::is_same_v<T, bool>) {
        *lo = 0;
        *hi = 1;
        *what = "";
    } else if constexpr (std::is_integral_v<T>) {
        *lo = static_cast<int64_t>(std::numeric_limits<T>::min());
        *hi = static_cast<int64_t>(std::numeric_limits<T>::max());
        *what = "";
    } else {
        int digits = std::is_same_v<T, Half> ? 11 : std::is_same_v<T, BFloat16> ? 8 : std::numeric_limits<T>::digits;
        *hi = int64_t(1) << digits;
        *lo = -*hi;
        *what = " (beyond it not every integer is representable)";
    }
}

}  // namespace

void manual_seed(uint64_t seed) { rng_set_state(seed, 0); }

void rng_get_state(uint64_t* seed, uint64_t* offset) {
    DefaultGenerator& g = default_generator();
    std::lock_guard<std::mutex> lock(g.mutex);
    *seed = g.seed;
    *offset = g.offset;
}

void rng_set_state(uint64_t seed, uint64_t offset) {
    DefaultGenerator& g = default_generator();
    std::lock_guard<std::mutex> lock(g.mutex);
    g.seed = seed;
    g.offset = offset;
}

Tensor rand(const Shape& sizes, DType dtype, Device device) { return random_fill(sizes, dtype, device, "rand", false); }

Tensor randn(const Shape& sizes, DType dtype, Device device) { return random_fill(sizes, dtype, device, "randn", true); }

void random_affine_(const Tensor& t, const char* op, bool normal, double shift, double scale) {
    const Affine affine{shift, scale};
    if (t.is_contiguous()) {
        random_fill_into(t, op, normal, &affine);
        return;
    }
    const Tensor dense = Tensor::empty(t.sizes(), t.dtype(), t.device());
    random_fill_into(dense, op, normal, &affine);
    copy_(t, dense);
}
Tensor randint(int64_t low, int64_t high, const Shape& sizes, DType dtype, Device device) {
    require_available(device, "randint");
    CMP_CHECK(low < high, INVALID_ARGUMENT, "randint: expected low < high, but got low=", low, " >= high=", high);
    CMP_DISPATCH_ALL_TYPES(dtype, "randint", [&] {
        int64_t lo = 0, hi = 0;
        const char* why = "";
        randint_bounds<scalar_t>(&lo, &hi, &why);
        CMP_CHECK(low >= lo, INVALID_ARGUMENT, "randint: low=", low, " is out of bounds [", lo, ", ", hi, "] for ",
                  dtype_name(dtype), why);
        CMP_CHECK(high - 1 <= hi, INVALID_ARGUMENT, "randint: high - 1 = ", high - 1, " is out of bounds [", lo, ", ",
                  hi, "] for ", dtype_name(dtype), why);
    });
    Tensor out = Tensor::empty(sizes, dtype, device);
    const int64_t n = out.numel();
    if (n == 0) return out;
    const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    const PhiloxState state = philox_reserve(static_cast<uint64_t>((n + 1) / 2));
    if (!device.is_cpu()) {
        compute_cuda_random r = cuda_ops::random_draw(COMPUTE_CUDA_RANDOM_RANDINT, state.seed, state.offset);
        r.low = low;
        r.range = range;
        cuda_ops::random("randint", r, out);
        return out;
    }
    cpu::randint_stub(dtype, cpu::RandomDraw{state.seed, state.offset}, n, low, range, out.data_ptr());
    return out;
}

}  // namespace cmp::ops
