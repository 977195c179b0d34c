#!/usr/bin/python3
"""Computes the constants of sin, cos and tan in native/src/cpu/vec_trig.h and prints them.

* pi/2 split into P1 + P2 + P3 + P4 + P5 for the Cody-Waite reduction r = x - k pi/2: P1..P4 are
  pi/2 (and then what is left of it) rounded to multiples of 2^-25, 2^-51, 2^-77 and 2^-103, so
  each has at most 26 significant bits and k * Pi is exact for |k| < 2^27; P5 is the rest rounded
  to a double. The header's comment derives why this reduction is exact enough.
* The polynomials, with r in [-R, R], R = 0.7855 (pi/4 and a margin for a k rounded the other way
  near a half-integer), z = r^2:
      sin(r) = r + r z S(z)          cos(r) = 1 - z/2 + z^2 C(z)
  S and C fitted in z to the relative error of sin and cos: weighted least squares at
  Chebyshev-spaced points, then Lawson's iteration (the weights multiplied by the errors) towards
  the minimax fit, all in mpmath at 50 digits. Two degrees each: the double functions, and the
  float functions (evaluated in double lanes, so a far shorter polynomial is enough: the float
  result needs about 2^-30).
Prints the coefficients as double literals (highest degree first, as the header's Horner loop takes
them) and the largest relative error of each fit after rounding the coefficients to doubles,
measured at 4000 points. Deterministic: re-running prints the same numbers.
"""
import mpmath as mp

mp.mp.dps = 50
R = mp.mpf("0.7855")


def split_pi_over_2():
    rest = mp.pi / 2
    parts = []
    for scale in (25, 51, 77, 103):
        p = mp.nint(rest * mp.mpf(2) ** scale) / mp.mpf(2) ** scale
        assert abs(p * mp.mpf(2) ** scale) < 2**26  # at most 26 significant bits
        parts.append(float(p))
        assert mp.mpf(parts[-1]) == p
        rest -= p
    parts.append(float(rest))
    return parts, rest - mp.mpf(parts[-1])


def lawson_fit(target, weight, n, npts=120, iterations=20):
    """c[0] + c[1] z + ... + c[n-1] z^(n-1) ~ target(z), minimising max |weight(z) * error|."""
    zs = [(1 - mp.cos(mp.pi * (i + mp.mpf(0.5)) / npts)) / 2 * R * R for i in range(npts)]
    g = [target(z) for z in zs]
    w = [weight(z) for z in zs]
    lam = [mp.mpf(1)] * npts
    c = None
    for _ in range(iterations + 1):
        a = mp.matrix(n, n)
        b = mp.matrix(n, 1)
        for z, gi, wi, li in zip(zs, g, w, lam):
            ww = li * wi * wi
            powers = [z**j for j in range(n)]
            for i in range(n):
                b[i] += ww * powers[i] * gi
                for j in range(n):
                    a[i, j] += ww * powers[i] * powers[j]
        c = mp.lu_solve(a, b)
        err = [abs(wi * (mp.polyval([c[j] for j in reversed(range(n))], z) - gi)) for z, gi, wi in zip(zs, g, w)]
        total = sum(li * ei for li, ei in zip(lam, err))
        lam = [li * ei / total for li, ei in zip(lam, err)]
    coeffs = [float(c[j]) for j in reversed(range(n))]  # highest degree first, rounded to doubles
    dense = [R * R * i / 4000 for i in range(1, 4001)]
    worst = max(abs(weight(z) * (mp.polyval([mp.mpf(v) for v in coeffs], z) - target(z))) for z in dense)
    return coeffs, worst


def sin_target(z):  # S(z) exactly: (sin(r)/r - 1) / z
    r = mp.sqrt(z)
    return (mp.sin(r) / r - 1) / z


def sin_weight(z):  # an error dS gives sin an error r z dS, relative: r z / sin(r)
    r = mp.sqrt(z)
    return r * z / mp.sin(r)


def cos_target(z):  # C(z) exactly: (cos(r) - 1 + z/2) / z^2
    return (mp.cos(mp.sqrt(z)) - 1 + z / 2) / (z * z)


def cos_weight(z):
    return z * z / mp.cos(mp.sqrt(z))


def show(name, coeffs, worst):
    print(f"{name} (relative error 2^{float(mp.log(worst, 2)):.1f}):")
    print("    " + ", ".join(repr(v) for v in coeffs))


def main():
    parts, left = split_pi_over_2()
    print("pi/2 = P1 + P2 + P3 + P4 + P5, left over", mp.nstr(left, 3), ":")
    for i, p in enumerate(parts):
        print(f"    P{i + 1} = {p.hex()}  ({p!r})")
    print("2/pi =", repr(float(2 / mp.pi)))
    show("sin, double: S", *lawson_fit(sin_target, sin_weight, 7))
    show("cos, double: C", *lawson_fit(cos_target, cos_weight, 6))
    show("sin, float: S", *lawson_fit(sin_target, sin_weight, 4))
    show("cos, float: C", *lawson_fit(cos_target, cos_weight, 3))


if __name__ == "__main__":
    main()
