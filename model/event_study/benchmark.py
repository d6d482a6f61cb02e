"""How much of a benchmark's move is the firm's own?

A firm with index weight ``w`` contributes ``w R_i`` to the index return ``R_m``. The return of
the rest of the index is

    R_m^{(-i)} = (R_m - w R_i) / (1 - w),

the benchmark an event study would use if the firm were not in it. For a very large firm on
the day of its own news (Nvidia on 27 January 2025), the abnormal return against ``R_m`` is
partly measured against the firm itself.
"""

from __future__ import annotations

import numpy as np


def contribution(firm_return, weight):
    """The firm's contribution ``w R_i`` to the index return."""
    return np.asarray(weight, dtype=float) * np.asarray(firm_return, dtype=float)


def benchmark_without(market_return, firm_return, weight):
    """Return of the index without the firm: ``(R_m - w R_i) / (1 - w)``.

    Parameters
    ----------
    market_return, firm_return : float or ndarray
        Simple returns over the same period.
    weight : float or ndarray
        The firm's weight in the index at the start of the period, in ``[0, 1)``.
    """
    weight = np.asarray(weight, dtype=float)
    if np.any((weight < 0) | (weight >= 1)):
        raise ValueError("weight must lie in [0, 1)")
    return (np.asarray(market_return, dtype=float) - contribution(firm_return, weight)) / (1.0 - weight)


def abnormal_return_without(firm_return, market_return, weight, alpha, beta):
    """The market-model abnormal return against the index without the firm:
    ``R_i - alpha - beta R_m^{(-i)}``, with the same ``alpha`` and ``beta``."""
    return (np.asarray(firm_return, dtype=float) - alpha
            - beta * benchmark_without(market_return, firm_return, weight))
