#!/usr/bin/python3
"""Fits the two polynomials of erf_f32 (native/src/cpu/unary_math_vec.h) and prints them.

  small: erf(x) = x + x * S(x^2) for |x| < 0.92; S of degree 6 fitted to erf(x)/x - 1, weighted by
         x/erf(x) so that the error is relative to erf(x).
  tail:  erfc(x) = e^{-x^2} * P(u), u = x * scale + shift mapping [0.92, 3.95] onto [-1, 1]; P of
         degree 9 fitted to erfc(x) e^{x^2}, weighted by erfc(x) / 2^-24, i.e. in ulps of erf(x)
         (erf is in [0.8, 1) there, where an ulp is 2^-24): the relative error of P matters in
         proportion to erfc(x), which is 0.19 at the start and 2^-25 at the end.

Each fit is a weighted minimax by Lawson's iteratively reweighted least squares on 2000
Chebyshev-spaced points against mpmath at 40 digits. The coefficients are then rounded to float
one at a time, constant term first, and the higher-degree ones are refitted after each
rounding so that they absorb its error (rounding all of them at once costs up to 0.4 ulp near
|x| = 1). Prints the float coefficients (highest degree first, as the header's Horner loop takes
them), the scale and shift of u, and the largest weighted error of each fit after rounding.
Deterministic: re-running prints the same numbers.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40

SPLIT = 0.92  # |x| below: the series form, no exp needed
CLAMP = 3.95  # erfc(3.95) = 2.3e-8 < 2^-25: 1 - erfc rounds to 1 from here on
POINTS = 2000


def relative_fit(var, f, degree):
    """Least squares of the relative error of a polynomial of the given degree in var to f
    (coefficients highest degree first, and the largest relative error). Not used here any
    more; tools/fit_lgamma.py and tools/fit_erfinv_f32.py import it (their coefficients in
    cpu/vec_gamma.h and cpu/vec_erfinv.h came from it)."""
    a = np.vander(var, degree + 1)
    w = 1.0 / np.abs(f)
    c, *_ = np.linalg.lstsq(a * w[:, None], f * w, rcond=None)
    return c, float(np.max(np.abs((a @ c - f) / f)))


def lawson(a, f, w, iterations=400):
    """Coefficients c minimising max |w (a c - f)|, and that maximum."""
    lw = np.full(len(f), 1.0 / len(f))
    for _ in range(iterations):
        s = np.sqrt(lw) * w
        c, *_ = np.linalg.lstsq(a * s[:, None], f * s, rcond=None)
        e = np.abs(w * (a @ c - f))
        lw = lw * e
        lw /= lw.sum()
    return c


def fit_float_coefficients(a, f, w):
    """lawson's fit with the coefficients rounded to float, constant term (last column) first."""
    n = a.shape[1]
    c = np.zeros(n)
    for j in range(n - 1, -1, -1):
        free = lawson(a[:, : j + 1], f - a[:, j + 1 :] @ c[j + 1 :], w)
        c[j] = float(np.float32(free[j]))
    return c, float(np.max(np.abs(w * (a @ c - f))))


def chebyshev_points(lo, hi):
    return np.cos(np.linspace(0.0, np.pi, POINTS)) * (hi - lo) / 2 + (hi + lo) / 2


def main():
    x = chebyshev_points(0.0, SPLIT)
    x = x[x > 1e-4]
    ratio = np.array([float(mp.erf(mp.mpf(v)) / mp.mpf(v)) for v in x])
    small, small_err = fit_float_coefficients(np.vander(x * x, 7), ratio - 1.0, 1.0 / ratio)

    scale = float(np.float32(2.0 / (CLAMP - SPLIT)))
    shift = float(np.float32(-(CLAMP + SPLIT) / (CLAMP - SPLIT)))
    x = chebyshev_points(SPLIT, CLAMP)
    erfc = np.array([float(mp.erfc(mp.mpf(v))) for v in x])
    scaled = np.array([float(mp.erfc(mp.mpf(v)) * mp.exp(mp.mpf(v) ** 2)) for v in x])
    tail, tail_err = fit_float_coefficients(np.vander(x * scale + shift, 10), scaled, erfc / scaled * 2.0**24)

    print(f"small (relative error {small_err:.2g}):", ", ".join(f"{v:.9g}f" for v in small))
    print(f"tail (error {tail_err:.2g} ulp of erf):", ", ".join(f"{v:.9g}f" for v in tail))
    print(f"u = x * {scale:.9g}f + {shift:.9g}f")


if __name__ == "__main__":
    main()
