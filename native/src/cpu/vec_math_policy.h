// The CPU's math policy for the formulas shared with the CUDA backend (cpu/activation_backward_math.h,
// cpu/nn_loss_math.h): the vectorisable approximations of cpu/unary_math_vec.h, so the dense
// loops of the kernels that pass it still vectorise. Defined per ISA (inside CMP_ISA_NAME), so
// every instantiation of a shared formula names its own ISA's policy and no ISA's out-of-line
// copy can stand in for another's.
#pragma once

#include "cpu/unary_math_vec.h"

#include <cmath>

namespace cmp::cpu {
inline namespace CMP_ISA_NAME {

struct VecMath {
    template <typename M>
    static CMP_VEC_INLINE M exp(M x) { return vexp(x); }
    template <typename M>
    static CMP_VEC_INLINE M log(M x) { return vlog(x); }
    template <typename M>
    static CMP_VEC_INLINE M log1p(M x) { return vlog1p(x); }
    template <typename M>
    static CMP_VEC_INLINE M normal_cdf(M x) { return vnormal_cdf(x); }
    template <typename M>
    static CMP_VEC_INLINE M tanh(M x) { return vtanh(x); }
    template <typename M>
    static CMP_VEC_INLINE M sigmoid(M x) { return vsigmoid(x); }
    template <typename M>
    static CMP_VEC_INLINE M fabs(M x) { return std::abs(x); }
};

}  // namespace CMP_ISA_NAME
}  // namespace cmp::cpu
