// float16 and bfloat16 storage types. Conversions are exact where the value is representable
// and round to nearest-even otherwise, bit-for-bit as PyTorch does; arithmetic on them is done
// in float32 by the kernels.
#pragma once

#include <cstdint>
#include <cstring>

namespace cmp {

inline uint32_t float_bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
inline float bits_float(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

struct Half {
    uint16_t bits = 0;
    Half() = default;
    Half(float f) : bits(from_float(f)) {}
    operator float() const { return to_float(bits); }

    static uint16_t from_float(float f) {
        uint32_t x = float_bits(f);
        uint32_t sign = (x >> 16) & 0x8000u;
        uint32_t abs = x & 0x7fffffffu;
        if (abs >= 0x7f800000u) {  // Inf or NaN (NaN keeps a quiet payload bit)
            return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u | ((abs >> 13) & 0x3ffu) : 0u));
        }
        if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to Inf
        if (abs < 0x38800000u) {  // result is subnormal or zero: scale with float arithmetic
            // Adding 0.5 makes the FPU round the mantissa to the half subnormal grid (RNE).
            float a = bits_float(abs) + 0.5f;
            return static_cast<uint16_t>(sign | (float_bits(a) - 0x3f000000u));
        }
        uint32_t mant_odd = (abs >> 13) & 1u;
        abs += 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round to nearest even
        return static_cast<uint16_t>(sign | (abs >> 13));
    }
    static float to_float(uint16_t h) {
        uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
        uint32_t exp = (h >> 10) & 0x1fu;
        uint32_t mant = h & 0x3ffu;
        if (exp == 0x1f) return bits_float(sign | 0x7f800000u | (mant << 13));
        if (exp == 0) {
            // subnormal: value = mant * 2^-24, exact in float
            float v = static_cast<float>(mant) * 5.9604644775390625e-08f;
            return sign ? -v : v;
        }
        return bits_float(sign | ((exp + 112u) << 23) | (mant << 13));
    }
};

struct BFloat16 {
    uint16_t bits = 0;
    BFloat16() = default;
    BFloat16(float f) : bits(from_float(f)) {}
    operator float() const { return to_float(bits); }

    static uint16_t from_float(float f) {
        uint32_t x = float_bits(f);
        if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
        uint32_t rounding = 0x7fffu + ((x >> 16) & 1u);
        return static_cast<uint16_t>((x + rounding) >> 16);
    }
    static float to_float(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }
};

}  // namespace cmp
