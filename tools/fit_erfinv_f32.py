#!/usr/bin/python3
"""Fits the two polynomials of erfinv_f32 (native/src/cpu/vec_erfinv.h) and prints them.

With w = -log((1 - x)(1 + x)), erfinv(x) / x as a polynomial of degree 10 in w - 2.5 for
w in [0, 5] (|x| up to 0.9966) and in s = sqrt(w) - 3 for w in [5, 16.7] (up to the float
closest to 1, where w = 15.9): least squares of the relative error at 3000 Chebyshev-spaced
points each, against mpmath at 40 digits. Prints the coefficients (highest degree first, as
the header's Horner loop takes them) and the largest relative error of each fit. Deterministic.
"""
import mpmath as mp
import numpy as np

from fit_erf_f32 import relative_fit  # the same weighted least squares

mp.mp.dps = 40


def erfinv_over_x(w):
    x = mp.sqrt(1 - mp.exp(-mp.mpf(w)))
    return float(mp.erfinv(x) / x)


def main():
    w = np.cos(np.linspace(0.0, np.pi, 3000)) * 2.5 + 2.5
    w = w[w > 1e-12]
    central, central_err = relative_fit(w - 2.5, np.array([erfinv_over_x(v) for v in w]), 10)
    lo, hi = np.sqrt(5.0) - 3.0, np.sqrt(16.7) - 3.0
    s = np.cos(np.linspace(0.0, np.pi, 3000)) * (hi - lo) / 2 + (hi + lo) / 2
    tail, tail_err = relative_fit(s, np.array([erfinv_over_x((v + 3.0) ** 2) for v in s]), 10)
    print(f"central (relative error {central_err:.2g}):", ", ".join(repr(float(v)) for v in central))
    print(f"tail (relative error {tail_err:.2g}):", ", ".join(repr(float(v)) for v in tail))


if __name__ == "__main__":
    main()
