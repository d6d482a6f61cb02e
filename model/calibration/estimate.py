"""A common container for elasticity estimates from different evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.summary import LEVEL, Summary, interval_label, interval_text

INTERVAL = LEVEL  # every reported interval is a central 95% interval unless stated


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

    @property
    def level(self) -> float:
        """Coverage of :attr:`interval`."""
        return INTERVAL

    def summary(self) -> Summary:
        """The estimate in a few lines (text in a terminal, HTML in a notebook)."""
        rows = [("median", self.median), (interval_label("elasticity", INTERVAL),
                                          interval_text(self.interval)),
                ("draws", int(self.draws.size))]
        if self.unsolved_share:
            rows.append(("share of draws with no solution", self.unsolved_share))
        return Summary.of(f"Elasticity of demand for compute: {self.method}", rows,
                          notes=self.notes)

    def to_dict(self) -> dict:
        """The estimate as JSON-ready values (``jevons calibrate --json``)."""
        return {
            "elasticity": self.median,
            "interval": list(self.interval),
            "interval_level": INTERVAL,
            "method": self.method,
            "draws": int(self.draws.size),
            "unsolved_share": self.unsolved_share,
            "notes": list(self.notes),
        }
