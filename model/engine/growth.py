"""Demand growth at a constant price: held constant, or fading towards a long-run rate.

The capex plans identify demand growth g for the years they cover only; holding it for a decade
is an extrapolation. The scenario keys ``demand.long_run_growth`` (g_inf),
``demand.growth_half_life`` (h) and ``demand.growth_fade_start`` (the year the fade begins, s
years after the base year; default the base year, s = 0) let the yearly log growth move from
ln(1 + g) towards ln(1 + g_inf), the gap halving every h years:

    log growth at time u      gl_u = gl                       for u < s,
                              gl_u = gi + (gl - gi) e^(-k (u - s))   for u >= s,
    with gl = ln(1 + g), gi = ln(1 + g_inf), k = ln 2 / h; and its integral from 0 to t,

    cumulative log growth     G(t) = gl min(t, s) + gi tau + (gl - gi) (1 - e^(-k tau)) / k,
                              tau = max(t - s, 0),

so with s = 0, G(t) = gi t + (gl - gi) (1 - e^(-k t)) / k. As h grows (k -> 0) G(t) tends to
gl t, constant growth; with g_inf = g it is gl t. Without ``long_run_growth`` the engine computes
t ln(1 + g) as it always has, so every scenario without the key gives bit-identical output.

Everything broadcasts: the rates are (n, 1) columns of draws (or scalars) and t a row of years.
"""

from __future__ import annotations

import numpy as np

LN2 = np.log(2.0)


def fade_rate(half_life):
    """k = ln 2 / h: the yearly rate at which the gap to long-run growth closes (0 for h = inf)."""
    return LN2 / np.asarray(half_life, dtype=float)


def faded_years(t, half_life):
    """(1 - e^(-k t)) / k, the years of initial growth that the fade leaves by year t.

    Equal to t when k = 0 (h infinite) and about t - k t^2 / 2 for small k: computed with
    ``expm1`` so it has no cancellation error as h grows.
    """
    t = np.asarray(t, dtype=float)
    k = fade_rate(half_life)
    positive = k > 0
    safe = np.where(positive, k, 1.0)
    return np.where(positive, -np.expm1(-safe * t) / safe, t)


def log_growth(t, growth, long_run_growth=None, half_life=None, start=0.0):
    """Cumulative log demand growth G(t) from the base year to year t (see the module docstring).

    ``long_run_growth`` None: t ln(1 + g), constant growth (the engine's behaviour without the
    key, computed by the same expression). Otherwise growth is ln(1 + g) until ``start`` (years
    after the base year, >= 0) and fades after it; ``half_life`` must then be given (years,
    positive, may be infinite).
    """
    t = np.asarray(t, dtype=float)
    gl = np.log1p(growth)
    if long_run_growth is None:
        return t * gl
    if half_life is None:
        raise ValueError("a long-run demand growth needs a half-life (demand.growth_half_life)")
    gi = np.log1p(long_run_growth)
    start = np.asarray(start, dtype=float)
    tau = np.maximum(t - start, 0.0)
    return gl * np.minimum(t, start) + gi * tau + (gl - gi) * faded_years(tau, half_life)


def yearly_log_growth(t, growth, long_run_growth=None, half_life=None, start=0.0):
    """Instantaneous log growth gl_u at time t (the derivative of :func:`log_growth`)."""
    t = np.asarray(t, dtype=float)
    gl = np.log1p(growth)
    if long_run_growth is None:
        return gl + 0.0 * t
    gi = np.log1p(long_run_growth)
    tau = np.maximum(t - np.asarray(start, dtype=float), 0.0)
    return gi + (gl - gi) * np.exp(-fade_rate(half_life) * tau)
