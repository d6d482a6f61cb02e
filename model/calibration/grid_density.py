"""Distributions on a grid of equal cells, and kernel densities of draws in logs.

Two fits of the project describe a distribution by its values on a grid rather than by draws:
the capex-implied posterior (:mod:`model.calibration.capex`) and the combination of elasticity
estimates (:mod:`model.calibration.combine`). They share these tools:

* :func:`log_mean_exp`, a stable log(mean(exp(x))) for averaging likelihoods over Monte Carlo
  draws in logs;
* :func:`normalise`, :func:`quantiles_from_grid`, :func:`interval_from_grid` and
  :func:`highest_density_level`: cell probabilities from log densities, quantiles of the grid
  distribution with the CDF linear within each cell, and the level of its highest-density region;
* :func:`bandwidth`, :func:`log_kde` and :func:`log_density`: a Gaussian kernel density of draws
  (Scott's bandwidth, as scipy's ``gaussian_kde``), computed in logs so that far-apart densities
  do not underflow, and reflected at the ends of a support (Schuster 1985).
"""

from __future__ import annotations

import numpy as np

LEVEL = 0.95


def log_mean_exp(x: np.ndarray, axis: int) -> np.ndarray:
    """log(mean(exp(x))) along ``axis``, stable (x holds no NaN; -inf only where all are)."""
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):  # log 0 = -inf where every x is -inf, as documented
        return np.log(np.mean(np.exp(x - top), axis=axis)) + np.squeeze(top, axis=axis)



def normalise(log_density: np.ndarray) -> np.ndarray:
    """Probabilities of the grid cells from log densities (equal cells)."""
    p = np.exp(log_density - np.max(log_density))
    return p / p.sum()


def quantiles_from_grid(values: np.ndarray, probabilities: np.ndarray, q) -> np.ndarray:
    """Quantiles of a distribution given by equal cells (midpoints ``values``) and their
    probabilities: the CDF is linear within a cell."""
    step = values[1] - values[0]
    edges = np.append(values - step / 2.0, values[-1] + step / 2.0)
    cdf = np.concatenate([[0.0], np.cumsum(probabilities)])
    return np.interp(q, cdf, edges)


def interval_from_grid(values: np.ndarray, probabilities: np.ndarray,
                       level: float = LEVEL) -> tuple[float, float]:
    """Central interval of a grid distribution (see :func:`quantiles_from_grid`)."""
    tail = (1.0 - level) / 2.0
    lo, hi = quantiles_from_grid(values, probabilities, [tail, 1.0 - tail])
    return float(lo), float(hi)


def highest_density_level(probabilities: np.ndarray, mass: float = LEVEL) -> float:
    """The cell probability at which the most probable cells first hold at least ``mass`` of the
    distribution: the contour level of its highest-density region.

    ``probabilities`` are of the whole distribution (they may be a window of it); when the cells
    given hold less than ``mass`` in all, the level is the smallest of them.
    """
    levels = np.sort(np.ravel(probabilities))[::-1]
    return float(levels[min(int(np.searchsorted(np.cumsum(levels), mass)), levels.size - 1)])


def bandwidth(draws: np.ndarray) -> float:
    """Scott's rule, as scipy's ``gaussian_kde`` uses it: sd x n^(-1/5)."""
    return float(np.std(draws, ddof=1) * draws.size ** (-0.2))


def log_kde(draws: np.ndarray, x: np.ndarray, h: float, block: int = 64) -> np.ndarray:
    """Log of the Gaussian kernel density of ``draws`` at ``x`` with bandwidth ``h``: exact in
    the far tails (where the density underflows, its log does not), in blocks of ``x`` to bound
    memory."""
    out = np.empty(x.size)
    norm = np.log(draws.size * h * np.sqrt(2.0 * np.pi))
    for lo in range(0, x.size, block):  # blocks of grid points, each vectorised over the draws
        z = -0.5 * ((x[lo:lo + block, None] - draws[None, :]) / h) ** 2
        top = z.max(axis=1, keepdims=True)
        out[lo:lo + block] = np.log(np.exp(z - top).sum(axis=1)) + top[:, 0] - norm
    return out



def log_density(draws: np.ndarray, x: np.ndarray, support: tuple[float, float]) -> np.ndarray:
    """Log of a kernel density estimate of ``draws`` at ``x``, reflected at both ends of
    ``support`` (Scott's bandwidth), so it integrates to one over the support."""
    h = bandwidth(draws)
    lo, hi = support
    parts = [log_kde(draws, x, h), log_kde(draws, 2 * lo - x, h), log_kde(draws, 2 * hi - x, h)]
    return np.logaddexp.reduce(np.vstack(parts), axis=0)
