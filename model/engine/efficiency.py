"""Algorithmic efficiency: the trend and dated shocks.

Useful work per FLOP is a(t) = 2^(t / T_alg) * (shock multipliers). A shock k of factor S_k
covers a share phi_k of demand. Two shapes:

* ``logistic``: a share phi_k * w_k(t) of demand has adopted the full factor S_k, with w_k an
  S-curve that is exactly 0 at the shock and exactly 1 after twice the diffusion time;
* ``ramp``: all covered demand gains S_k^w_k(t), with w_k rising linearly from 0 to 1 over twice
  the diffusion time (the ECP's cumulative gain over a programme).

Demand is then a mixture of 2^K adoption classes (adopted or not, for each of K shocks, assumed
independent). The classes are few (K <= 6) and structural; draws and years stay vectorised.
"""

from __future__ import annotations

import numpy as np

# The model's years are calendar years of flows (spend, revenue); a year sees the adoption
# reached at its middle, so a shock dated 27 January 2025 already moves 2025.
MID_YEAR = 0.5

# The untruncated logistic runs from 1% to 99% over [shock, shock + 2 * diffusion]; truncating
# and rescaling makes adoption exactly 0 at the shock and exactly 1 at full diffusion.
_LOGISTIC_TAIL = 0.01
_LOGISTIC_SCALE = np.log((1 - _LOGISTIC_TAIL) / _LOGISTIC_TAIL)  # ln 99


def trend(t: np.ndarray, doubling_years) -> np.ndarray:
    """Trend of useful work per FLOP: 2^(t / T_alg), t in years since the base year."""
    return np.exp2(np.asarray(t, dtype=float) / doubling_years)


def diffusion_weight(years: np.ndarray, shock_year, diffusion_years, shape: str) -> np.ndarray:
    """Weight w(t) in [0, 1]: 0 before the shock, 0.5 after ``diffusion_years``, 1 after twice that.

    With ``diffusion_years = 0`` the weight jumps to 1 at the shock date.
    """
    years = np.asarray(years, dtype=float)
    elapsed = years - shock_year
    half = np.asarray(diffusion_years, dtype=float)
    instant = half <= 0
    safe_half = np.where(instant, 1.0, half)
    if shape == "ramp":
        gradual = np.clip(elapsed / (2.0 * safe_half), 0.0, 1.0)
    elif shape == "logistic":
        z = (elapsed - safe_half) * (_LOGISTIC_SCALE / safe_half)
        logistic = 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow
        gradual = np.clip((logistic - _LOGISTIC_TAIL) / (1 - 2 * _LOGISTIC_TAIL), 0.0, 1.0)
        gradual = np.where(elapsed <= 0, 0.0, gradual)
    else:  # pragma: no cover - the schema rejects other shapes
        raise ValueError(f"unknown shock shape {shape!r}")
    return np.where(instant, (elapsed >= 0).astype(float), gradual)


def applies_to(shock, segment_name: str) -> bool:
    """Whether ``shock`` reaches the demand segment ``segment_name`` (no list = every segment)."""
    return not shock.segments or segment_name in shock.segments


def paused_trend_years(years: np.ndarray, shock) -> np.ndarray:
    """Years of trend a trend-replacing ramp has used up by the middle of each calendar year:
    clip(t + 1/2 - start, 0, programme length), programme length = 2 x diffusion_years."""
    mid_year = np.asarray(years, dtype=float) + MID_YEAR
    return np.clip(mid_year - _col(shock.year), 0.0, 2.0 * _col(shock.diffusion_years))


def adoption_classes(years: np.ndarray, shocks, log_trend_rate=0.0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The 2^K adoption classes as a list of ``(weight, log_multiplier)`` pairs.

    Calendar year t is evaluated at its middle, t + 1/2 (see ``MID_YEAR``).

    ``weight`` is the share of demand in the class and ``log_multiplier`` the log of its
    efficiency multiplier; both broadcast to (n, T) but keep their smallest shape (a multiplier
    that does not change over time stays (n, 1)), which keeps large Monte Carlo runs light.
    Weights sum to 1 over the classes. With no shocks: one class of weight 1, multiplier 1.

    A ramp with ``replaces_trend`` (the ECP in mode 'replace') is the algorithmic progress of
    its programme: the classes that have it lose the trend's progress over the programme,
    ``log_trend_rate`` (ln 2 / T_alg, an (n, 1) column) times :func:`paused_trend_years`, so
    their useful work per FLOP grows by exactly the programme's gain over the programme.
    """
    mid_year = np.asarray(years, dtype=float) + MID_YEAR
    classes = [(np.ones((1, 1)), np.zeros((1, 1)))]
    for shock in shocks:
        w = diffusion_weight(mid_year, _col(shock.year), _col(shock.diffusion_years), shock.shape)
        phi = _col(shock.coverage)
        log_s = np.log(_col(shock.factor))
        if shock.shape == "ramp":  # all covered demand gains S^w(t)
            share, log_gain = phi, log_s * w
            if getattr(shock, "replaces_trend", False):
                log_gain = log_gain - np.asarray(log_trend_rate, float) * paused_trend_years(years, shock)
        else:  # a share phi * w(t) has adopted the full factor S
            share, log_gain = phi * w, log_s
        # Each existing class splits into "not adopted" and "adopted".
        classes = [(weight * (1 - share), log_m) for weight, log_m in classes] + [
            (weight * share, log_m + log_gain) for weight, log_m in classes
        ]
    return classes


def _col(x) -> np.ndarray:
    """A scalar or a 1-D array of draws as an (n, 1) column that broadcasts against years."""
    return np.asarray(x, dtype=float).reshape(-1, 1)
