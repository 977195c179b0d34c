#!/usr/bin/python3
"""Fits the three polynomials of erfinv_f64 (native/src/cpu/vec_erfinv.h) and prints them.

Giles' change of variable ("Approximating the erfinv function", GPU Computing Gems, 2011), as
for erfinv_f32 (tools/fit_erfinv_f32.py), with w = -log((1 - x)(1 + x)) and erfinv(x) / x
approximated by
  central: a polynomial in w - 3.125 for w in [0, 6.25] (|x| up to 0.99806),
  mid:     a polynomial in sqrt(w) - 3.25 for sqrt(w) in [2.5, 4] (|x| up to 1 - 1.3e-8),
  tail:    a polynomial in sqrt(w) - 5 for sqrt(w) in [4, 6.01]; the double closest to 1,
           1 - 2^-53, has w = 36.04, sqrt(w) = 6.003.
Chebyshev interpolants (mpmath.chebyfit at 40 digits, near-minimax) as monomials in their
variable, printed highest degree first, as the header's Horner step takes them, with the error
bound chebyfit reports (erfinv(x) / x is in [0.886, 6.1], so that absolute error is at most
the same relative error). Degrees 25, 21 and 19 keep each fit below 3e-18, a fortieth of an
ulp. Deterministic: re-running prints the same numbers.
"""
import mpmath as mp

mp.mp.dps = 40


def erfinv_over_x(w):
    w = mp.mpf(w)
    if w == 0:
        return mp.sqrt(mp.pi) / 2  # the limit at x = 0
    x = mp.sqrt(-mp.expm1(-w))
    return mp.erfinv(x) / x


def fit(name, f, center, half, lo_extra, n):
    coef, err = mp.chebyfit(lambda v: f(v + center), [-half, half + lo_extra], n, error=True)
    print(f"{name} (variable - {float(center)!r}, error {float(err):.2g}):", ", ".join(repr(float(v)) for v in coef))


def main():
    fit("central", erfinv_over_x, mp.mpf(3.125), mp.mpf(3.125), 0, 26)
    fit("mid", lambda s: erfinv_over_x(s * s), mp.mpf(3.25), mp.mpf(0.75), 0, 22)
    fit("tail", lambda s: erfinv_over_x(s * s), mp.mpf(5), mp.mpf(1), mp.mpf(0.01), 20)


if __name__ == "__main__":
    main()
