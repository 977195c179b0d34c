#!/usr/bin/python3
"""Fits the rational function of normal_cdf_f32 (native/src/cpu/unary_math_vec.h), the standard
normal CDF Phi(x) = (1 + erf(x / sqrt 2)) / 2 that float32 GELU (x Phi(x)) and its derivative
use, and prints its coefficients.

  Phi(x) = 1/2 + x P(z) / Q(z),  z = x^2,  x clamped to [-6, 6];  P of degree 6, Q of degree 5
  with Q(0) = 1.

GELU needs Phi to an absolute accuracy, not a relative one: x Phi(x) is rounded against |x|
times an ulp of Phi, and PyTorch's own float32 GELU (1 + erf) is already off by a few ulps of
1/2 in Phi. A rational function of z reaches 1e-9 with 11 coefficients and no exp, where erf to
a relative accuracy (erf_f32) costs an exp and two polynomials. Phi(6) is 1 - 1e-9 and Phi(-6)
1e-9, both within the fit's error of 1 and 0, so the clamp makes Phi exactly 1 (and GELU exactly
x) above 6 and the kernel's max(Phi, 0) makes it 0 below -6.

The fit minimises max |x (P(z)/Q(z) - R(z))| with R(z) = (Phi(x) - 1/2) / x, the error in Phi, on
3000 Chebyshev-spaced points of (0, 6] against mpmath at 30 digits: Loeb's linearisation (least
squares of P - R Q weighted by 1 / Q of the previous pass) inside Lawson's reweighting towards
the minimax. The coefficients are then rounded to float one at a time, lowest degree first, and
the rest refitted after each rounding so that they absorb its error. Prints the float
coefficients (highest degree first, as the header's Horner loop takes them) and the largest error
in Phi before and after rounding. Deterministic: re-running prints the same numbers.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 30

CLAMP = 6.0
P_DEGREE, Q_DEGREE = 6, 5
POINTS = 3000


def main():
    x = np.cos(np.linspace(0.0, np.pi, POINTS)) * CLAMP / 2 + CLAMP / 2
    x = x[x > 1e-3]
    r = np.array([float((mp.ncdf(mp.mpf(v)) - mp.mpf(0.5)) / mp.mpf(v)) for v in x])
    zs = x * x / CLAMP**2  # z scaled to [0, 1] for the least squares; unscaled when printed
    # Unknowns: P's coefficients of degree 0..P_DEGREE, then Q's of degree 1..Q_DEGREE.
    columns = [zs**k for k in range(P_DEGREE + 1)] + [-r * zs**k for k in range(1, Q_DEGREE + 1)]
    a = np.stack(columns, 1)
    unscale = np.array([CLAMP ** (2 * k) for k in range(P_DEGREE + 1)] + [CLAMP ** (2 * k) for k in range(1, Q_DEGREE + 1)])

    def fit(fixed):
        """Minimax coefficients (scaled) with those in `fixed` held, and the largest error."""
        free = [j for j in range(a.shape[1]) if j not in fixed]
        target = r - sum((a[:, j] * v for j, v in fixed.items()), np.zeros_like(r))
        q = np.ones_like(r)
        lw = np.full(len(r), 1.0 / len(r))
        best = None
        for _ in range(40):
            for _ in range(25):
                s = np.sqrt(lw) * x / q
                c, *_ = np.linalg.lstsq(a[:, free] * s[:, None], target * s, rcond=None)
                full = np.zeros(a.shape[1])
                full[free] = c
                for j, v in fixed.items():
                    full[j] = v
                p_val = sum(full[k] * zs**k for k in range(P_DEGREE + 1))
                q_val = 1 + sum(full[P_DEGREE + k] * zs**k for k in range(1, Q_DEGREE + 1))
                err = np.abs(x * (p_val / q_val - r))
                lw = lw * err
                lw /= lw.sum()
            q = q_val
            if best is None or err.max() < best[0]:
                best = (err.max(), full.copy())
        return best

    fixed = {}
    unrounded, full = fit(fixed)
    order = []
    for k in range(max(P_DEGREE, Q_DEGREE) + 1):
        if k <= P_DEGREE:
            order.append(k)
        if 1 <= k <= Q_DEGREE:
            order.append(P_DEGREE + k)
    rounded = unrounded
    for j in order:
        fixed[j] = float(np.float32(full[j] / unscale[j])) * unscale[j]
        if len(fixed) < a.shape[1]:
            rounded, full = fit(fixed)
    p = [fixed[k] / unscale[k] for k in range(P_DEGREE + 1)][::-1]
    q = ([1.0] + [fixed[P_DEGREE + k] / unscale[P_DEGREE + k] for k in range(1, Q_DEGREE + 1)])[::-1]
    print(f"error in Phi: {unrounded:.3g} unrounded, {rounded:.3g} with float coefficients")
    print("numerator:", ", ".join(f"{v:.9g}f" for v in p))
    print("denominator:", ", ".join(f"{v:.9g}f" for v in q))


if __name__ == "__main__":
    main()
