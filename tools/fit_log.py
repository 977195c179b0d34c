#!/usr/bin/python3
"""Fits the polynomials of log's core in cpu/unary_math_vec.h (log_parts) and prints them.

log(x) is reduced to log(1 + f) with f = m - 1, m in [sqrt(1/2), sqrt(2)), and written as
f - f^2/2 + r (the large terms exact or nearly so, r the small rest). Two forms of r:

  * "f" (float): r = f^3 P(f), a polynomial in f itself, no division. P is fitted by least
    squares of the relative error of log(1 + f) (r is at most 7% of it, so P needs less
    accuracy than the result) at Chebyshev points of f in [sqrt(1/2) - 1, sqrt(2) - 1].
  * "s" (double): with s = f / (2 + f), log(1 + f) = 2 atanh(s) and r = s (f^2/2 + z Q(z)),
    z = s^2 <= 0.0295 (the atanh series with its coefficients replaced by a fit). Q is fitted
    the same way, at Chebyshev points of z in [0, z_max].

  * "pow" (double, pow_f64's double-double log in cpu/vec_pow.h): log(1 + f) = 2s + (2/3) s^3
    + s^5 C(z), the first two terms carried as double-doubles there; C is fitted the same way
    (weight s^5 / log(1 + f)), at 60 digits.

  * "powf" (float, pow_f32's float-float log2 in cpu/vec_pow.h): log2(1 + f) = K s + (K/3) s^3
    + s^5 R(z), K = 2 / ln2, the same way.

  * "exp2f" (float, pow_f32's exp2, not a log: kept here beside the log it pairs with): 2^r =
    1 + r ln2 + r^2 E(r) for r in [-1/2, 1/2], E fitted by relative least squares of 2^r.

Against mpmath at 50 digits; the least squares is solved in mpmath, each coefficient rounded
to a double (to a float for the float set: the rounding is part of the printed error), and the
largest relative error of log(1 + f) from the rounded polynomial is printed. Coefficients are
printed highest degree first, as the header's Horner and Estrin helpers take them.
Deterministic: re-running prints the same numbers.
"""
import struct
import sys

import mpmath as mp

mp.mp.dps = 50

F_LO = mp.sqrt(mp.mpf(1) / 2) - 1
F_HI = mp.sqrt(mp.mpf(2)) - 1
S_MAX = F_HI / (2 + F_HI)


def to_float32(a):
    return struct.unpack("f", struct.pack("f", float(a)))[0]


def chebyshev_points(lo, hi, n):
    return [lo + (hi - lo) * (1 - mp.cos(mp.pi * (i + mp.mpf(0.5)) / n)) / 2 for i in range(n)]


def horner(coeffs, t):
    p = mp.mpf(0)
    for a in coeffs:
        p = p * t + mp.mpf(a)
    return p


def solve(rows, rhs, degree, rounding):
    c, _ = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))
    return [rounding(c[i]) for i in range(degree + 1)]


def fit_f(degree, rounding, points=800):
    """P with f - f^2/2 + f^3 P(f) ~ log(1 + f) on [F_LO, F_HI], relative least squares."""
    rows, rhs = [], []
    for f in chebyshev_points(F_LO, F_HI, points):
        if f == 0:
            continue
        l = mp.log1p(f)
        w = f ** 3 / l
        rows.append([w * f ** k for k in range(degree, -1, -1)])
        rhs.append(w * (l - f + f * f / 2) / f ** 3)
    coeffs = solve(rows, rhs, degree, rounding)
    worst = mp.mpf(0)
    for i in range(1, 4 * points):
        f = F_LO + (F_HI - F_LO) * mp.mpf(i) / (4 * points)
        if f == 0:
            continue
        worst = max(worst, abs((f - f * f / 2 + f ** 3 * horner(coeffs, f)) / mp.log1p(f) - 1))
    return coeffs, worst


def fit_s(degree, rounding, points=800):
    """Q with 2s + s z Q(z) ~ 2 atanh(s), z = s^2 in (0, S_MAX^2], relative least squares."""
    rows, rhs = [], []
    for z in chebyshev_points(mp.mpf(0), S_MAX ** 2, points):
        s = mp.sqrt(z)
        l = 2 * mp.atanh(s)
        w = s * z / l
        rows.append([w * z ** k for k in range(degree, -1, -1)])
        rhs.append(w * (l - 2 * s) / (s * z))
    coeffs = solve(rows, rhs, degree, rounding)
    worst = mp.mpf(0)
    for i in range(1, 4 * points + 1):
        z = S_MAX ** 2 * mp.mpf(i) / (4 * points)
        s = mp.sqrt(z)
        worst = max(worst, abs((2 * s + s * z * horner(coeffs, z)) / (2 * mp.atanh(s)) - 1))
    return coeffs, worst


def fit_pow(degree, rounding, points=600):
    """C with 2s + (2/3) s^3 + s^5 C(z) ~ 2 atanh(s), z = s^2 in (0, S_MAX^2], relative least squares."""
    with mp.workdps(60):
        rows, rhs = [], []
        for z in chebyshev_points(mp.mpf(0), S_MAX ** 2, points):
            s = mp.sqrt(z)
            l = 2 * mp.atanh(s)
            w = s ** 5 / l
            rows.append([w * z ** k for k in range(degree, -1, -1)])
            rhs.append(w * (l - 2 * s - mp.mpf(2) / 3 * s ** 3) / s ** 5)
        coeffs = solve(rows, rhs, degree, rounding)
        worst = mp.mpf(0)
        for i in range(1, 4 * points + 1):
            z = S_MAX ** 2 * mp.mpf(i) / (4 * points)
            s = mp.sqrt(z)
            approx = 2 * s + mp.mpf(2) / 3 * s ** 3 + s ** 5 * horner(coeffs, z)
            worst = max(worst, abs(approx / (2 * mp.atanh(s)) - 1))
    return coeffs, worst


def fit_powf(degree, rounding, points=600):
    """R with K s + (K/3) s^3 + s^5 R(z) ~ log2(1 + f) = K atanh(s), K = 2 / ln2 (pow_f32's log2)."""
    with mp.workdps(60):
        k = 2 / mp.log(2)
        rows, rhs = [], []
        for z in chebyshev_points(mp.mpf(0), S_MAX ** 2, points):
            s = mp.sqrt(z)
            l = k * mp.atanh(s)
            w = s ** 5 / l
            rows.append([w * z ** j for j in range(degree, -1, -1)])
            rhs.append(w * (l - k * s - k / 3 * s ** 3) / s ** 5)
        coeffs = solve(rows, rhs, degree, rounding)
        worst = mp.mpf(0)
        for i in range(1, 4 * points + 1):
            z = S_MAX ** 2 * mp.mpf(i) / (4 * points)
            s = mp.sqrt(z)
            approx = k * s + k / 3 * s ** 3 + s ** 5 * horner(coeffs, z)
            worst = max(worst, abs(approx / (k * mp.atanh(s)) - 1))
    return coeffs, worst


def fit_exp2f(degree, rounding, points=600):
    """E with 1 + r ln2 + r^2 E(r) ~ 2^r for r in [-1/2, 1/2] (pow_f32's exp2), relative least squares."""
    with mp.workdps(60):
        ln2 = mp.log(2)
        rows, rhs = [], []
        for r in chebyshev_points(mp.mpf(-0.5), mp.mpf(0.5), points):
            if r == 0:
                continue
            v = mp.power(2, r)
            w = r * r / v
            rows.append([w * r ** j for j in range(degree, -1, -1)])
            rhs.append(w * (v - 1 - r * ln2) / (r * r))
        coeffs = solve(rows, rhs, degree, rounding)
        worst = mp.mpf(0)
        for i in range(-2 * points, 2 * points + 1):
            r = mp.mpf(i) / (4 * points)
            worst = max(worst, abs((1 + r * ln2 + r * r * horner(coeffs, r)) / mp.power(2, r) - 1))
    return coeffs, worst


def main():
    sets = (("log_f32 (f form)", fit_f, 7, to_float32), ("log_f64 (s form)", fit_s, 6, float),
            ("pow_f64's log (pow form)", fit_pow, 7, float), ("pow_f32's log2 (powf form)", fit_powf, 2, to_float32),
            ("pow_f32's exp2 (exp2f)", fit_exp2f, 5, to_float32))
    if len(sys.argv) > 1:  # exploring: python3 tools/fit_log.py f|s|pow|powf|exp2f DEGREE [float|double]
        fitter = {"f": fit_f, "s": fit_s, "pow": fit_pow, "powf": fit_powf, "exp2f": fit_exp2f}[sys.argv[1]]
        rounding = to_float32 if sys.argv[3:] == ["float"] else float
        sets = ((f"{sys.argv[1]} form", fitter, int(sys.argv[2]), rounding),)
    for name, fitter, degree, rounding in sets:
        coeffs, worst = fitter(degree, rounding)
        print(f"{name}, degree {degree}, relative error {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}:")
        print("    " + ", ".join(repr(a) for a in coeffs))


if __name__ == "__main__":
    main()
