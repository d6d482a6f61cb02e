"""The stated assumptions of the capex-implied fit (:class:`CapexAssumptions`), each shown in the
book with its effect."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CapexAssumptions:
    """Stated assumptions of the capex-implied fit (each is shown in the book with its effect)."""

    firm_growth_sd: float = 0.10
    """Firm-to-firm spread of planned growth around the common (1 + g) P^(eps - 1), log sd.
    Assumption: the four plans' log growths spread by about 0.07 (facts capex.csv)."""
    revision_noise_sd: float = 0.10
    """Other news in a plan's revision against the street (Q4 results, guidance style), log sd.
    Assumption: not estimable from two revisions."""
    street_gap: str = "estimated"
    """``"estimated"``: the street's habitual gap to the plans (Meta's plan beat the street by
    22% before the DeepSeek news) is a free parameter, estimated from plans made before the news
    (flat prior, integrated out), so only the difference of revisions informs eps. ``"none"``:
    the street is unbiased."""
    horizon_years: float = 1.0
    """A plan made after the news carries the share of the shock adopted this many years after it
    (capacity bought in 2025 serves demand from 2026). Assumption."""
    use_revisions: bool = True
    """Include the revisions against the street in the posterior."""
    elasticity_range: tuple[float, float] = (0.0, 4.0)
    """Grid range of eps, the market-implied estimate's search range: the prior on eps is flat
    on it, so the capex posterior is a likelihood the combination can multiply with others."""
    elasticity_cells: int = 200
    log_growth_range: tuple[float, float] = (-3.5, 3.0)
    """Grid range of log(1 + g): wide enough that the ridge stays inside the grid for every eps
    on the eps grid (at eps = 4 the trend alone would multiply spend by P^3)."""
    log_growth_cells: int = 260
    growth_prior_median: float | None = 0.30
    """Median of the prior on g (None: flat in log(1 + g) over the grid, i.e. the ridge alone).
    Centred on 30% a year, the middle of the growth of spend the market expected before the news
    (MarketPrior.spend_growth, 15-45%), which equals g at eps = 1."""
    growth_prior_log_sd: float = 0.40
    """Log sd of the prior on 1 + g: 95% of its mass between -40% and +180% a year."""
    nuisance_draws: int = 256
    """Monte Carlo draws of the trends and of the news used to integrate them out."""

    def growth_prior_interval(self, z: float = 1.96) -> tuple[float, float]:
        """The central 95% interval of the prior on g (growth rates, e.g. -0.4 to 1.8), or NaNs
        for a flat prior."""
        if self.growth_prior_median is None:
            return float("nan"), float("nan")
        centre = np.log1p(self.growth_prior_median)
        return (float(np.expm1(centre - z * self.growth_prior_log_sd)),
                float(np.expm1(centre + z * self.growth_prior_log_sd)))
