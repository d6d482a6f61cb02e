"""A common container for elasticity estimates from different evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

INTERVAL = 0.95  # every reported interval is a central 95% interval unless stated


@dataclass(frozen=True)
class ElasticityEstimate:
    """An estimate of the price elasticity of demand for compute, with its uncertainty.

    ``draws`` are samples from the estimate's distribution (Monte Carlo or posterior draws,
    NaN-free), so estimates from different evidence can be compared and combined without
    assuming normality. ``unsolved_share`` is the share of Monte Carlo draws for which no
    elasticity in the search range reproduces the evidence (they are left out of ``draws``).
    """

    method: str
    draws: np.ndarray
    unsolved_share: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def median(self) -> float:
        return float(np.median(self.draws))

    @property
    def interval(self) -> tuple[float, float]:
        tail = (1.0 - INTERVAL) / 2.0
        lo, hi = np.quantile(self.draws, [tail, 1.0 - tail])
        return float(lo), float(hi)

    def summary(self) -> dict:
        return {
            "elasticity": self.median,
            "interval": list(self.interval),
            "interval_level": INTERVAL,
            "method": self.method,
            "draws": int(self.draws.size),
            "unsolved_share": self.unsolved_share,
            "notes": list(self.notes),
        }
