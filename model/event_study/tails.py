"""How heavy are the tails of the estimation-window residuals?

The single-firm t-test assumes normal shocks; these statistics show how far the residuals that
the SQ and permutation tests resample are from normal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class TailStatistics:
    """Tail statistics of a residual series.

    Attributes
    ----------
    excess_kurtosis : float
        Fisher's kurtosis (0 for a normal distribution).
    minimum : float
        The most negative residual.
    n_beyond : int
        Residuals more than ``threshold`` residual standard deviations from zero.
    normal_beyond : float
        The number a normal distribution with that standard deviation would give.
    threshold : float
        The cut-off in standard deviations.
    jarque_bera_p : float
        p-value of the Jarque-Bera test of normality.
    """

    excess_kurtosis: float
    minimum: float
    n_beyond: int
    normal_beyond: float
    threshold: float
    jarque_bera_p: float


def tail_statistics(residuals: np.ndarray, sigma: float, threshold: float = 3.0) -> TailStatistics:
    """Tail statistics of ``residuals`` scaled by their standard deviation ``sigma``."""
    residuals = np.asarray(residuals, dtype=float)
    return TailStatistics(
        excess_kurtosis=float(stats.kurtosis(residuals)),
        minimum=float(residuals.min()),
        n_beyond=int(np.sum(np.abs(residuals / sigma) > threshold)),
        normal_beyond=float(residuals.size * 2 * stats.norm.sf(threshold)),
        threshold=float(threshold),
        jarque_bera_p=float(stats.jarque_bera(residuals).pvalue),
    )
