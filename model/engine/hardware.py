"""Moore's-law hardware price curve: the cost of a FLOP halves every ``doubling_years``."""

from __future__ import annotations

import numpy as np


def cost_per_flop(t: np.ndarray, usd_per_flop0, doubling_years) -> np.ndarray:
    """c(t) = c0 * 2^(-t / T_hw), with t in years since the base year.

    ``usd_per_flop0`` and ``doubling_years`` are scalars or arrays that broadcast against ``t``
    (e.g. shape (n, 1) against (T,)).
    """
    return usd_per_flop0 * np.exp2(-np.asarray(t, dtype=float) / doubling_years)


def relative_cost(t: np.ndarray, doubling_years) -> np.ndarray:
    """c(t) / c(t0) = 2^(-t / T_hw)."""
    return np.exp2(-np.asarray(t, dtype=float) / doubling_years)


def log_relative_cost(t: np.ndarray, doubling_years) -> np.ndarray:
    """ln(c(t) / c(t0)) = -t ln 2 / T_hw (computed directly: no exp/log round trip)."""
    return np.asarray(t, dtype=float) * (-np.log(2.0) / np.asarray(doubling_years, dtype=float))
