"""One elasticity or two? Combining the market-implied and the capex-implied elasticity.

**Combination.** Both estimates carry a flat prior on eps over the market-implied search range
(0 to 4), so the density of their draws is, up to a constant, the likelihood of each body of
evidence. Assuming the two bodies of evidence are independent given eps, the combined density is
their product, times the external-evidence prior if one is given:

    p(eps | market, capex) ∝ prior(eps) · f_market(eps) · f_capex(eps).

Each f is a Gaussian kernel density estimate of the draws (Scott's bandwidth, as scipy's
``gaussian_kde``; computed in logs so far-apart estimates do not underflow) reflected at the ends of the search range so no mass leaks past them (Schuster 1985);
the product is taken in logs on a fine grid and the combined draws are sampled from the grid with a
seeded generator (the kernel densities are in :mod:`model.calibration.grid_density`). Kernel smoothing widens each density a little, so the combined interval errs on
the wide side.

**Consistency.** Could one elasticity have produced both? Draw eps_market and eps_capex
independently from the two estimates; d = eps_market - eps_capex. The statistic is the median of
d; the two-sided p-value is 2·min(P(d < 0), P(d > 0)): how far zero lies in the tail of the
distribution of the difference. It uses the draws as they are (both estimates are skewed and
bounded, so a z-test on a normal approximation would misstate the tails) and is the same
tail-area logic as a bootstrap percentile test of equality. The estimates are called consistent
when p >= 0.05. Caveat: the two share the prior on the trends and on the size of the DeepSeek news,
so they are not fully independent; the test treats them as if they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.calibration.estimate import ElasticityEstimate
from model.calibration.grid_density import log_density
from model.constants import SEED
from model.errors import JevonsError

SUPPORT = (0.0, 4.0)  # the market-implied search range
GRID_CELLS = 800  # cells of 0.005 on 0-4
DIFFERENCE_DRAWS = 20000
LEVEL = 0.05


@dataclass(frozen=True)
class Combination:
    """The combined elasticity, the consistency test and its verdict."""

    estimate: ElasticityEstimate
    consistent: bool
    statistic: float
    """Median of eps_market - eps_capex over independent draws."""
    p_value: float
    """Two-sided: 2 min(P(d < 0), P(d > 0)), d the difference of independent draws."""
    verdict: str
    market: ElasticityEstimate
    capex: ElasticityEstimate
    prior: ElasticityEstimate | None
    grid: np.ndarray = field(repr=False)
    densities: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    """Normalised densities on ``grid``: market, capex, prior (if given) and combined."""


def _check(estimate: ElasticityEstimate, name: str) -> np.ndarray:
    draws = np.asarray(getattr(estimate, "draws", None), dtype=float)
    if draws.ndim != 1 or draws.size < 2 or not np.all(np.isfinite(draws)):
        raise JevonsError(f"combine: the {name} estimate needs at least 2 finite draws")
    if np.ptp(draws) == 0:
        raise JevonsError(f"combine: the {name} estimate's draws are all equal; a density needs spread")
    return draws


def difference_test(a: np.ndarray, b: np.ndarray, rng: np.random.Generator,
                    draws: int = DIFFERENCE_DRAWS) -> tuple[float, float]:
    """Median of a - b over independent resamples and the two-sided sign p-value."""
    d = rng.choice(a, draws) - rng.choice(b, draws)
    p = 2.0 * min(np.mean(d < 0), np.mean(d > 0))
    return float(np.median(d)), float(min(1.0, p))


def _fmt(e: ElasticityEstimate) -> str:
    lo, hi = e.interval
    return f"{e.median:.2f} [{lo:.2f}, {hi:.2f}]"


def combine(market: ElasticityEstimate, capex: ElasticityEstimate,
            prior: ElasticityEstimate | None = None, seed: int = SEED, draws: int = 4000,
            level: float = LEVEL) -> Combination:
    """Combine two elasticity estimates (and an optional prior) and test their consistency.

    Deterministic for a given ``seed``. See the module docstring for the method and why.
    """
    m = _check(market, "market-implied")
    c = _check(capex, "capex-implied")
    edges = np.linspace(*SUPPORT, GRID_CELLS + 1)
    grid = 0.5 * (edges[:-1] + edges[1:])
    logs = {"market": log_density(m, grid, SUPPORT), "capex": log_density(c, grid, SUPPORT)}
    if prior is not None:
        logs["prior"] = log_density(_check(prior, "prior"), grid, SUPPORT)
    total = sum(logs.values())
    densities = {}
    for name, lp in {**logs, "combined": total}.items():
        p = np.exp(lp - lp.max())
        densities[name] = p / (p.sum() * (edges[1] - edges[0]))
    rng = np.random.default_rng([seed, 40])
    weights = densities["combined"] / densities["combined"].sum()
    cell = rng.choice(grid.size, size=draws, p=weights)
    combined_draws = grid[cell] + rng.uniform(-0.5, 0.5, draws) * (edges[1] - edges[0])
    statistic, p_value = difference_test(m, c, np.random.default_rng([seed, 41]))
    consistent = bool(p_value >= level)
    sources = "market-implied and capex-implied" + (" with the evidence prior" if prior is not None else "")
    estimate = ElasticityEstimate(
        method=f"combined ({sources})", draws=combined_draws,
        notes=("product of reflected kernel densities on a grid over 0-4",
               f"consistency: p = {p_value:.3g} (two-sided sign test on independent draws)"),
    )
    p_text = f"p = {p_value:.2f}" if p_value >= 0.01 else f"p = {p_value:.1e}" if p_value > 0 else \
        f"p < {1 / DIFFERENCE_DRAWS:.0e}"
    if consistent:
        verdict = (f"The market-implied {_fmt(market)} and capex-implied {_fmt(capex)} elasticities "
                   f"are consistent ({p_text}), so one elasticity can explain both: combined "
                   f"{_fmt(estimate)}.")
    else:
        verdict = (f"The market-implied {_fmt(market)} and capex-implied {_fmt(capex)} elasticities "
                   f"are not consistent ({p_text}), so no single elasticity explains both at the "
                   f"{level:.0%} level and the combined {_fmt(estimate)} is a compromise, not a "
                   "common value.")
    return Combination(estimate, consistent, statistic, p_value, verdict, market, capex, prior,
                       grid, densities)
