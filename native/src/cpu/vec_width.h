// The width of one vector register of the ISA a kernel file is compiled for, for code written
// with GCC/Clang vector extensions: GCC lowers an operation on vectors wider than the hardware's
// (a select above all) element by element, so such code sizes its vectors by this.
#pragma once

#ifndef CMP_ISA_NAME
#error "cpu/vec_width.h is for kernel files compiled per ISA (native/src/cpu/kernels/*.cpp)"
#endif

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

#if defined(__AVX512F__)
constexpr int kVecBytes = 64;
#elif defined(__AVX__)
constexpr int kVecBytes = 32;
#else
constexpr int kVecBytes = 16;
#endif

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
