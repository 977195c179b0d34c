#!/usr/bin/python3
"""Fits the polynomials of lgamma_f32, digamma_f32 and lgamma_f64 (native/src/cpu/vec_gamma.h),
prints them.

lgamma: lgamma(2 + u) / u as a polynomial of degree 11 in u on [-1/2, 1/2] (lgamma itself is u
times it, with its zero at 2 exact), by least squares of the relative error at 3000
Chebyshev-spaced points against mpmath at 40 digits (the limit at 0 is digamma(2)).

digamma: digamma(x0 + v) / v, x0 = 1.4616... the positive zero of digamma, as a polynomial of
degree 22 in v on [1 - x0, 2 - x0], by Chebyshev interpolation (mpmath's chebyfit, 50 digits)
converted to powers of v. This one must be accurate to double precision, not just float: the
reflection subtracts pi cot(pi x) from it at x near -0.504 (digamma's first negative zero, where
1 - x is near x0), so its relative error becomes the result's absolute error there (degree 13,
2e-11, gave 26 ulp; degree 22 interpolates to 4e-18).

lgamma_f64: lgamma(1 + e) / e on [-1/2, 1/2] (degree 28, near_one) and lgamma(2 + u) / u on
[-1/2, 1/2] (degree 18, near_two), by the same Chebyshev interpolation (digamma_f64 reuses
digamma_f32's polynomial, already accurate to double precision).

Prints x0 as two doubles (x0_hi + x0_lo), the coefficients (highest degree first, as the
header's Horner loop takes them) and the largest relative error of each fit. Deterministic:
re-running prints the same numbers.
"""
import mpmath as mp
import numpy as np

from fit_erf_f32 import relative_fit  # the same weighted least squares


def chebyshev_powers(f, lo, hi, degree):
    """f's Chebyshev interpolant of the given degree on [lo, hi] (mpmath's chebyfit, on the
    interval mapped to [-1, 1]) in powers of the original variable, highest first, and
    chebyfit's error bound."""
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    cheb, bound = mp.chebyfit(lambda s: f(mid + half * s), [-1, 1], degree + 1, error=True)
    # cheb[i] multiplies s^(degree - i) with s = (v - mid) / half: expand in powers of v.
    coeffs = [mp.mpf(0)]
    for c in cheb:  # Horner in s, on polynomials in v (lowest power first)
        shifted = [mp.mpf(0)] * (len(coeffs) + 1)
        for k, a in enumerate(coeffs):
            shifted[k] -= a * mid / half
            shifted[k + 1] += a / half
        shifted[0] += c
        coeffs = shifted[:-1] if shifted[-1] == 0 else shifted
    return list(reversed(coeffs)), bound


def main():
    mp.mp.dps = 40
    u = np.cos(np.linspace(0.0, np.pi, 3000)) * 0.5
    over_u = [float(mp.digamma(2) if v == 0 else mp.loggamma(2 + mp.mpf(v)) / mp.mpf(v)) for v in u]
    near_two, err = relative_fit(u, np.array(over_u), 11)
    print(f"lgamma near_two (relative error {err:.2g}):", ", ".join(repr(float(c)) for c in near_two))

    mp.mp.dps = 50
    x0 = mp.findroot(mp.digamma, mp.mpf("1.46"))
    x0_hi = float(x0)
    x0_lo = float(x0 - mp.mpf(x0_hi))
    lo, hi = 1 - x0, 2 - x0
    mid, half = (lo + hi) / 2, (hi - lo) / 2

    def over_v(v):
        return mp.psi(1, x0) if v == 0 else mp.digamma(x0 + v) / v

    coeffs, bound = chebyshev_powers(over_v, lo, hi, 22)
    rel = bound / min(abs(over_v(lo)), abs(over_v(hi)))
    print(f"digamma x0_hi, x0_lo: {x0_hi!r}, {x0_lo!r}")
    print(f"digamma near_zero (relative error {mp.nstr(rel, 3)}):", ", ".join(repr(float(c)) for c in coeffs))

    half = mp.mpf(1) / 2
    for name, f, degree in (("near_one", lambda e: -mp.euler if e == 0 else mp.loggamma(1 + e) / e, 28),
                            ("near_two", lambda u: mp.digamma(2) if u == 0 else mp.loggamma(2 + u) / u, 18)):
        coeffs, bound = chebyshev_powers(f, -half, half, degree)
        print(f"lgamma_f64 {name} (interpolation error bound {mp.nstr(bound, 3)}):", ", ".join(repr(float(c)) for c in coeffs))


if __name__ == "__main__":
    main()
