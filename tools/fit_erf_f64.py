#!/usr/bin/python3
"""Fits the two polynomials of erf_f64/erfc_f64 (native/src/cpu/unary_math_vec.h), prints them.

  series: erf(x) = x + x * S(x^2) for |x| < 0.84375; S of degree 11 in z = x^2 on [0, 0.84375^2],
          approximating erf(x)/x - 1 (erf(x)/x is in [0.9, 1.13], so an absolute error of S is
          about the same relative error of erf).
  tail:   erfc(x) = e^{-x^2} t H(u) for x in [0.84375, 28], t = 1 / (1 + x/2), u = t scale + shift
          (t's range mapped onto [-1, 1]); H of degree 21 approximating erfc(x) e^{x^2} / t, which
          lies in [0.30, 0.68], so its absolute error is a relative error of erfc within a factor
          3.3. In t the function is smooth enough for this degree to reach 3e-19; in x itself
          degree 24 on the shorter [0.84, 6] reaches only 5e-14, hence the one division.

Both are Chebyshev interpolants (mpmath.chebyfit at 40 digits; near-minimax), as monomials in
their variable (u in [-1, 1]; z in [0, 0.712], near enough to 0 that the coefficients decrease),
printed highest degree first, as the header's Horner step takes them, with the error bound chebyfit
reports. Deterministic: re-running prints the same numbers.
"""
import mpmath as mp

mp.mp.dps = 40

SPLIT = mp.mpf(0.84375)  # |x| below: the series
END = mp.mpf(28)  # erfc(28) = 1e-342 is below every double: the clamp for erfc


def series(z):
    if z == 0:
        return 2 / mp.sqrt(mp.pi) - 1
    x = mp.sqrt(z)
    return mp.erf(x) / x - 1


def main():
    s, s_err = mp.chebyfit(series, [0, SPLIT**2], 12, error=True)

    t_lo, t_hi = 1 / (1 + END / 2), 1 / (1 + SPLIT / 2)
    scale = float(2 / (t_hi - t_lo))
    shift = float(-(t_hi + t_lo) / (t_hi - t_lo))

    def h(u):  # u as the header computes it from the double scale and shift
        t = (u - mp.mpf(shift)) / mp.mpf(scale)
        x = 2 * (1 / t - 1)
        return mp.erfc(x) * mp.exp(x * x) / t

    u_lo = mp.mpf(t_lo) * scale + shift
    u_hi = mp.mpf(t_hi) * scale + shift
    h_coef, h_err = mp.chebyfit(h, [u_lo, u_hi], 22, error=True)

    print(f"series (error {float(s_err):.2g}):", ", ".join(repr(float(v)) for v in s))
    print(f"tail (error {float(h_err):.2g}):", ", ".join(repr(float(v)) for v in h_coef))
    print(f"u = t * {scale!r} + {shift!r}")


if __name__ == "__main__":
    main()
