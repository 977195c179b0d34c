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
* The float-lane path of float32 (|x| <= 12800, k < 2^13): pi/2 = C1 + C2 + C3 + C4 with C1 pi/2
  rounded to a float (k * C1 is taken exactly by an fma), C2 and C3 what is left rounded to 12
  significant bits (k * C2, k * C3 exact), C4 the rest rounded to a float; and S, C fitted in
  float (coefficients rounded to floats, the error measured after rounding) on R = 0.787: k
  comes from the float 2/pi, off by up to 12800 * 2.6e-8, which widens |r| <= pi/4 by 5e-4.
Prints the coefficients as double literals (highest degree first, as the header's Horner loop takes
them) and the largest relative error of each fit after rounding the coefficients to doubles,
measured at 4000 points. Deterministic: re-running prints the same numbers.
"""
import struct

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


def split_pi_over_2_float():
    rest = mp.pi / 2
    parts = [mp.mpf(to_float(rest))]
    rest -= parts[0]
    for _ in range(2):  # 12 significant bits each
        grid = mp.mpf(2) ** (mp.floor(mp.log(abs(rest), 2)) - 11)
        parts.append(mp.nint(rest / grid) * grid)
        rest -= parts[-1]
    parts.append(mp.mpf(to_float(rest)))
    rest -= parts[-1]
    return [float(p) for p in parts], rest


def to_float(v):
    """v rounded to the nearest float32 (through the double nearest v: no double rounding
    issue for the values here, which are far from float midpoints)."""
    return struct.unpack("f", struct.pack("f", float(v)))[0]


def lawson_fit(target, weight, n, npts=120, iterations=20, rounding=float):
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
    coeffs = [rounding(c[j]) for j in reversed(range(n))]  # highest degree first, rounded
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
    parts, left = split_pi_over_2_float()
    print("float lanes: pi/2 = C1 + C2 + C3 + C4, left over", mp.nstr(left, 3), ":")
    for i, p in enumerate(parts):
        print(f"    C{i + 1} = {p.hex()}  ({p!r})")
    print("2/pi as a float =", repr(to_float(2 / mp.pi)))
    global R
    R = mp.mpf("0.787")
    show("sin, float lanes: S (float coefficients)", *lawson_fit(sin_target, sin_weight, 4, rounding=to_float))
    show("cos, float lanes: C (float coefficients)", *lawson_fit(cos_target, cos_weight, 3, rounding=to_float))


if __name__ == "__main__":
    main()
