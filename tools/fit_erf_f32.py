#!/usr/bin/python3
"""Fits the two polynomials of erf_f32 (native/src/cpu/unary_math_vec.h) and prints them.

erf(x)/x as a polynomial of degree 6 in x^2 on [0, 1], and erfc(x) e^{x^2} / t as a polynomial of
degree 9 in t = 1 / (1 + x/2) for x in [0.5, 10.1]: least squares of the relative error at 4000
and 6000 Chebyshev-spaced points, against mpmath at 40 digits. Prints the coefficients (highest
degree first, as the header's Horner loop takes them) and the largest relative error of each fit.
Deterministic: re-running prints the same numbers.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40


def relative_fit(var, f, degree):
    a = np.vander(var, degree + 1)
    w = 1.0 / np.abs(f)
    c, *_ = np.linalg.lstsq(a * w[:, None], f * w, rcond=None)
    return c, float(np.max(np.abs((a @ c - f) / f)))


def main():
    x = np.cos(np.linspace(0.0, np.pi, 4000)) * 0.5 + 0.5
    x = x[x > 1e-6]
    f = np.array([float(mp.erf(mp.mpf(v)) / mp.mpf(v)) for v in x])
    small, small_err = relative_fit(x * x, f, 6)

    lo, hi = 1.0 / (1.0 + 10.1 / 2), 1.0 / (1.0 + 0.5 / 2)
    t = np.cos(np.linspace(0.0, np.pi, 6000)) * (hi - lo) / 2 + (hi + lo) / 2
    xt = 2.0 * (1.0 / t - 1.0)
    g = np.array([float(mp.erfc(mp.mpf(v)) * mp.exp(mp.mpf(v) ** 2) / mp.mpf(u)) for v, u in zip(xt, t)])
    tail, tail_err = relative_fit(t, g, 9)

    print(f"small_fit (relative error {small_err:.2g}):", ", ".join(f"{v:.9g}f" for v in small))
    print(f"tail_fit (relative error {tail_err:.2g}):", ", ".join(f"{v:.9g}f" for v in tail))


if __name__ == "__main__":
    main()
