"""The FFT analogy: a change of the cost *exponent*, with users choosing problem size.

A problem of size n costs ops(n) = n^kappa * (log2 n)^gamma operations: the direct discrete
Fourier transform has (kappa, gamma) = (2, 0), the FFT (1, 1). A user values a result of size n at
A n^beta (0 < beta < kappa) and, facing a price P per operation, picks n to maximise
A n^beta - P ops(n). Without the log factor the choice is n* = (A beta / (P kappa))^(1/(kappa-beta)),
so operations demanded move with the price with elasticity kappa / (kappa - beta) > 1: a cheaper
operation is spent on much larger problems ("problems larger than I ever dreamed"), and spending
on operations rises. A cap n_max (memory, data, physics) ends that growth.

Sizes are handled as x = log2 n to stay in floating-point range.
"""

from __future__ import annotations

import numpy as np

LN2 = np.log(2.0)
_BISECTION_STEPS = 64  # the bracket is at most 200 wide in log2(n): 200 / 2^64 is far below 1e-12
_X_MIN = 1.0  # problems smaller than n = 2 are not problems


def log_ops(x, kappa, log_power):
    """ln ops(n) for x = log2 n: kappa x ln 2 + gamma ln x."""
    x = np.asarray(x, dtype=float)
    return kappa * x * LN2 + log_power * np.log(x)


def speedup(x, kappa_old=2.0, kappa_new=1.0, log_power_new=1.0, log_power_old=0.0):
    """Speed-up ops_old(n) / ops_new(n) at a fixed size n = 2^x (n / log2 n for the FFT)."""
    return np.exp(log_ops(x, kappa_old, log_power_old) - log_ops(x, kappa_new, log_power_new))


def implied_elasticity(kappa, beta):
    """Price elasticity of operations demanded when n is chosen freely: kappa / (kappa - beta)."""
    return kappa / (kappa - beta)


def value_scale_log(kappa, beta, n0_log2):
    """ln A such that the chosen size is n0 at price 1 with cost n^kappa (no log factor)."""
    return np.log(kappa / beta) + (kappa - beta) * n0_log2 * LN2


def _marginal(x, log_a, beta, log_price, kappa, log_power):
    """Sign-equivalent of d/dx [A 2^(beta x) - P ops(x)]: ln(marginal value / marginal cost)."""
    return (
        log_a + np.log(beta * LN2) + beta * x * LN2 - log_price
        - (kappa * x * LN2 + (log_power - 1.0) * np.log(x) + np.log(kappa * LN2 * x + log_power))
    )


def optimal_size_log2(log_price, log_a, beta, kappa, log_power, n_max_log2):
    """log2 of the size n* that maximises A n^beta - P ops(n) on [2, n_max] (vectorised).

    Solved by bisection on the marginal condition, which is decreasing in n for the exponents
    used here (beta < kappa); the corner solutions n = 2 and n = n_max are returned when the
    marginal value never crosses the marginal cost inside the range.
    """
    log_price, log_a, beta, kappa, log_power, n_max_log2 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (log_price, log_a, beta, kappa, log_power, n_max_log2))
    )
    lo = np.full(log_price.shape, _X_MIN)
    hi = n_max_log2.copy()
    at_floor = _marginal(lo, log_a, beta, log_price, kappa, log_power) <= 0
    at_cap = _marginal(hi, log_a, beta, log_price, kappa, log_power) >= 0
    for _ in range(_BISECTION_STEPS):  # iterations, not draws: every draw moves at once
        mid = 0.5 * (lo + hi)
        rising = _marginal(mid, log_a, beta, log_price, kappa, log_power) > 0
        lo = np.where(rising, mid, lo)
        hi = np.where(rising, hi, mid)
    x = 0.5 * (lo + hi)
    return np.where(at_floor, _X_MIN, np.where(at_cap, n_max_log2, x))


def local_elasticity(log_price, log_a, beta, kappa, log_power, n_max_log2, step=1e-4):
    """-d ln ops(n*) / d ln P by central differences (equals kappa/(kappa-beta) without log factor)."""
    up = optimal_size_log2(log_price + step, log_a, beta, kappa, log_power, n_max_log2)
    down = optimal_size_log2(log_price - step, log_a, beta, kappa, log_power, n_max_log2)
    return -(log_ops(up, kappa, log_power) - log_ops(down, kappa, log_power)) / (2 * step)


def value_exponent_for_elasticity(kappa, elasticity):
    """The value exponent beta at which the implied elasticity kappa / (kappa - beta) equals
    ``elasticity``: beta = kappa (1 - 1/elasticity) (the inverse of :func:`implied_elasticity`)."""
    kappa, eps = (np.asarray(v, dtype=float) for v in (kappa, elasticity))
    return kappa * (1.0 - 1.0 / eps)
