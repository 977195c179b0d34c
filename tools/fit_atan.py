#!/usr/bin/python3
"""Fits the polynomials of cpu/vec_atan.h (atan, atan2, asin, acos) and prints them.

Both functions are odd and reduced to a small argument v >= 0 (atan: |v| <= 1/2, asin:
v <= 1/2), where they are written f(v) = v + v^3 P(v^2). P is fitted by least squares of the
relative error of f (not of P: the v^3 P term is at most 8% of f, so P needs less accuracy than
f), at Chebyshev points of v^2 in [0, 1/4], against mpmath at 50 digits. The least squares is
solved in mpmath too (a double solve would limit the double fits), each coefficient is then
rounded to a double, and the largest relative error of the rounded polynomial is printed.

Two sets per function: "f64" for the double functions, "f32" for the float ones (evaluated in
double, so they need only ~2^-32). Coefficients are printed highest degree first, as the
header's Horner loop takes them. Deterministic: re-running prints the same numbers.
"""
import mpmath as mp

mp.mp.dps = 50

Z_MAX = mp.mpf(1) / 4  # v <= 1/2


def fit(f, degree, points=600):
    """P of the given degree with v + v^3 P(v^2) ~ f(v), relative least squares in v^2 on [0, Z_MAX]."""
    zs = [Z_MAX * (1 - mp.cos(mp.pi * (i + mp.mpf(0.5)) / points)) / 2 for i in range(points)]
    rows, rhs = [], []
    for z in zs:
        v = mp.sqrt(z)
        fv = f(v)
        w = v ** 3 / fv  # relative error of f per unit error of P
        rows.append([w * z ** k for k in range(degree, -1, -1)])
        rhs.append(w * (fv - v) / v ** 3)
    c, _ = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))
    coeffs = [float(c[i]) for i in range(degree + 1)]  # rounded to doubles
    worst = mp.mpf(0)
    for i in range(4 * points):
        z = Z_MAX * mp.mpf(i + 1) / (4 * points)
        v = mp.sqrt(z)
        p = mp.mpf(0)
        for a in coeffs:
            p = p * z + mp.mpf(a)
        worst = max(worst, abs((v + v ** 3 * p) / f(v) - 1))
    return coeffs, worst


def main():
    for name, f, degree in (("atan_f64", mp.atan, 11), ("atan_f32", mp.atan, 5),
                            ("asin_f64", mp.asin, 12), ("asin_f32", mp.asin, 5)):
        coeffs, worst = fit(f, degree)
        print(f"{name} (degree {degree} in v^2, relative error {mp.nstr(worst, 3)} = 2^{mp.nstr(mp.log(worst, 2), 4)}):")
        print("    " + ", ".join(repr(a) for a in coeffs))


if __name__ == "__main__":
    main()
