// Special functions the CUDA math library lacks (digamma, polygamma), written once for both
// devices: the CPU kernels (cpu/kernels/unary_math.cpp) and the CUDA backend
// (cuda/unary_math_ops.cuh) call these same functions, in double, so the two agree to the
// rounding of the device's double log/tan/pow. (Except the CPU's digamma at avx2/avx512 and on
// arm64: there it is cpu/vec_gamma.h's vectorised digamma_f32/digamma_f64, more accurate near
// the zero at 1.4616 and the poles.) Only C math functions of the global namespace (which nvcc
// provides in device code) and no static data.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define CMP_HOST_DEVICE __host__ __device__
#else
#define CMP_HOST_DEVICE
#endif

namespace cmp::special {

// Digamma: reflection for negative x, the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10,
// then the asymptotic series ln x - 1/(2x) - sum B_2k / (2k x^2k) (7 terms: the next is below
// 1e-17 relative at x = 10). Poles: psi(+-0) = -+inf as PyTorch, negative integers NaN.
CMP_HOST_DEVICE inline double digamma_f64(double x) {
    constexpr double pi = 3.14159265358979323846;
    if (x == 0.0) return ::copysign(double(INFINITY), -x);
    double result = 0.0;
    if (x < 0.0) {
        if (x == ::trunc(x)) return double(NAN);
        // psi(x) = psi(1 - x) - pi / tan(pi x); tan(pi x) through the fractional part of x
        // so that pi*x is not rounded with a large integer part.
        const double r = x - ::trunc(x);
        result = -pi / ::tan(pi * r);
        x = 1.0 - x;
    }
    while (x < 10.0) {
        result -= 1.0 / x;
        x += 1.0;
    }
    if (x == double(INFINITY)) return result + x;
    const double z = 1.0 / (x * x);
    double s = 1.0 / 12.0 * -1.0;
    s = s * z + 691.0 / 32760.0;
    s = s * z - 1.0 / 132.0;
    s = s * z + 1.0 / 240.0;
    s = s * z - 1.0 / 252.0;
    s = s * z + 1.0 / 120.0;
    s = s * z - 1.0 / 12.0;
    return result + ::log(x) - 0.5 / x + s * z;
}

// Hurwitz zeta(s, q) = sum_{k>=0} (q + k)^-s for s > 1, by the Euler-Maclaurin formula: the
// first terms are summed directly until q + k >= 10 (at least 10 of them), the tail is the
// integral w^(1-s)/(s-1) - w^-s/2 plus the Bernoulli corrections B_2j/(2j)! * s(s+1)...(s+2j-2)
// * w^-(s+2j-1), stopped when a term falls below double rounding. Poles: q a non-positive
// integer gives +inf (as PyTorch's zeta).
CMP_HOST_DEVICE inline double hurwitz_zeta(double s, double q) {
    constexpr double eps = 1.1102230246251565e-16;
    if (q <= 0.0 && q == ::floor(q)) return double(INFINITY);
    double sum = ::pow(q, -s);
    double a = q;
    double term = 0.0;
    for (int i = 0; i < 9 || a <= 9.0; ++i) {
        a += 1.0;
        term = ::pow(a, -s);
        sum += term;
        if (::fabs(term / sum) < eps) return sum;
    }
    // (2j)! / B_2j for j = 1..12: the Euler-Maclaurin coefficients' reciprocals.
    const double kFactorialOverBernoulli[] = {
        12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
        -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
        1.8152105401943546773e17, -7.1661652561756670113e18};
    const double w = a;
    sum += term * w / (s - 1.0) - 0.5 * term;
    double rising = 1.0;  // s (s+1) ... (s + 2j - 2)
    double k = 0.0;
    for (double c : kFactorialOverBernoulli) {
        rising *= s + k;
        term /= w;
        const double t = rising * term / c;
        sum += t;
        if (::fabs(t / sum) < eps) break;
        k += 1.0;
        rising *= s + k;
        term /= w;
        k += 1.0;
    }
    return sum;
}

// polygamma(n, x), the n-th derivative of digamma: digamma itself for n = 0, otherwise
// (-1)^(n+1) n! zeta(n + 1, x).
CMP_HOST_DEVICE inline double polygamma_f64(int64_t n, double x) {
    if (n == 0) return digamma_f64(x);
    const double sign = n % 2 == 1 ? 1.0 : -1.0;
    return sign * ::exp(::lgamma(static_cast<double>(n) + 1.0)) * hurwitz_zeta(static_cast<double>(n) + 1.0, x);
}

}  // namespace cmp::special
