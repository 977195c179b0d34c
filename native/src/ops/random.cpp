// Random tensors from the default Philox generator. The stream layout (which block and word
// feeds which element) is specified in core/philox.h; every element is computed from
// (seed, offset, index) alone, so the fill runs in parallel and gives the same numbers for any
// thread count.
#include "core/parallel.h"
#include "core/philox.h"
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

}  // namespace cmp

namespace cmp::ops {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr double kTwoPow24Inv = 1.0 / 16777216.0;               // 2^-24
constexpr double kTwoPow53Inv = 1.0 / 9007199254740992.0;        // 2^-53

// Reserves ceil(n / E) blocks and calls fn(block, first_element, count) for each, in parallel.
template <int E, typename Fn>
void fill_blocks(int64_t n, const Fn& fn) {
    const int64_t blocks = (n + E - 1) / E;
    if (blocks == 0) return;
    const PhiloxState state = philox_reserve(static_cast<uint64_t>(blocks));
    // Philox costs ~20 ns per block: a few thousand blocks is worth a thread.
    parallel_for(0, blocks, 4096, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            const PhiloxBlock block = philox_block(state.seed, state.offset + static_cast<uint64_t>(b));
            const int64_t first = b * E;
            fn(block, first, static_cast<int>(n - first < E ? n - first : E));
        }
    });
}

// A uniform in [0, 1) from one 32-bit word, with exactly the bits the type can hold.
template <typename T>
T uniform_from_word(uint32_t u) {
    if constexpr (std::is_same_v<T, Half>) return T(static_cast<float>(u >> 21) * (1.0f / 2048.0f));
    else if constexpr (std::is_same_v<T, BFloat16>) return T(static_cast<float>(u >> 24) * (1.0f / 256.0f));
    else return static_cast<float>(u >> 8) * static_cast<float>(kTwoPow24Inv);
}

template <typename T>
void rand_fill(T* out, int64_t n) {
    if constexpr (std::is_same_v<T, double>) {
        fill_blocks<2>(n, [&](const PhiloxBlock& b, int64_t first, int count) {
            for (int j = 0; j < count; ++j) out[first + j] = static_cast<double>(philox_u64(b, j) >> 11) * kTwoPow53Inv;
        });
    } else {
        fill_blocks<4>(n, [&](const PhiloxBlock& b, int64_t first, int count) {
            for (int j = 0; j < count; ++j) out[first + j] = uniform_from_word<T>(b.w[j]);
        });
    }
}

// Box-Muller: u1 in (0, 1], u2 in [0, 1) -> two independent standard normals.
inline void box_muller(double u1, double u2, double* z) {
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = kTwoPi * u2;
    z[0] = r * std::cos(theta);
    z[1] = r * std::sin(theta);
}

template <typename T>
void randn_fill(T* out, int64_t n) {
    if constexpr (std::is_same_v<T, double>) {
        fill_blocks<2>(n, [&](const PhiloxBlock& b, int64_t first, int count) {
            double z[2];
            box_muller(static_cast<double>((philox_u64(b, 0) >> 11) + 1) * kTwoPow53Inv,
                       static_cast<double>(philox_u64(b, 1) >> 11) * kTwoPow53Inv, z);
            for (int j = 0; j < count; ++j) out[first + j] = z[j];
        });
    } else {
        fill_blocks<4>(n, [&](const PhiloxBlock& b, int64_t first, int count) {
            double z[4];
            for (int pair = 0; pair < 2; ++pair) {
                box_muller(static_cast<double>((b.w[2 * pair] >> 8) + 1) * kTwoPow24Inv,
                           static_cast<double>(b.w[2 * pair + 1] >> 8) * kTwoPow24Inv, z + 2 * pair);
            }
            for (int j = 0; j < count; ++j) out[first + j] = T(static_cast<float>(z[j]));
        });
    }
}

template <typename T>
void randint_fill(T* out, int64_t n, int64_t low, uint64_t range) {
    fill_blocks<2>(n, [&](const PhiloxBlock& b, int64_t first, int count) {
        for (int j = 0; j < count; ++j) {
            const auto v = static_cast<int64_t>(static_cast<uint64_t>(low) + philox_u64(b, j) % range);
            if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) out[first + j] = T(static_cast<float>(v));
            else out[first + j] = static_cast<T>(v);
        }
    });
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

Tensor rand(const Shape& sizes, DType dtype, Device device) {
    require_available(device, "rand");
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, "rand: expected a floating dtype, got ", dtype_name(dtype));
    Tensor out = Tensor::empty(sizes, dtype, device);
    CMP_DISPATCH_FLOATING_TYPES(dtype, "rand", [&] { rand_fill(out.data<scalar_t>(), out.numel()); });
    return out;
}

Tensor randn(const Shape& sizes, DType dtype, Device device) {
    require_available(device, "randn");
    CMP_CHECK(is_floating(dtype), DTYPE_MISMATCH, "randn: expected a floating dtype, got ", dtype_name(dtype));
    Tensor out = Tensor::empty(sizes, dtype, device);
    CMP_DISPATCH_FLOATING_TYPES(dtype, "randn", [&] { randn_fill(out.data<scalar_t>(), out.numel()); });
    return out;
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
    const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    CMP_DISPATCH_ALL_TYPES(dtype, "randint", [&] { randint_fill(out.data<scalar_t>(), out.numel(), low, range); });
    return out;
}

}  // namespace cmp::ops
