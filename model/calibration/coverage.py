"""Do the combination's 95% intervals cover the truth 95% of the time? A simulation check.

In each simulated world the truth is known: an elasticity ``eps`` drawn from the analysis prior
(flat on 0-4) and one draw ``theta`` of the shared nuisance from the same distribution as the
fit's draws (news size, coverage, diffusion, trends, the valuation inputs). The world's data are
made by the model the likelihoods assume:

* the market: the valuation link's return ``R(eps | theta)`` plus noise drawn from the kernel
  density of the reference days (:class:`~model.calibration.likelihood.NoiseDensity`);
* the plans: ``y_i = G + (eps - 1) log P + news_i(eps) + e_i`` with ``G`` from the growth prior
  and ``e_i`` normal with the fit's spreads; the revisions ``r_j = post_j log J(eps) + u_j``
  (the street gap, integrated out under a flat prior, set to zero).

Each world is then fitted exactly as the data are (:func:`model.calibration.combine.
combine_likelihoods`'s likelihood, the fit's nuisance draws, not the world's own) and the check
counts the worlds whose central interval contains their ``eps``. Averaged over worlds drawn from
the prior, a correct posterior covers at exactly its level, so the check tests the whole chain:
the likelihoods, the joint integration over finitely many nuisance draws and the grid. The
Monte Carlo standard error of the rate, sqrt(p (1 - p) / worlds), is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.calibration.capex.observations import Nuisance
from model.calibration.grid_density import log_mean_exp
from model.calibration.likelihood import (
    CapexEvidence,
    MarketEvidence,
    SharedDraws,
    elasticity_grid,
)
from model.calibration.market import pre_news, valuation_from
from model.constants import SEED
from model.engine.valuation import Valuation, predicted_return, with_news
from model.errors import JevonsError
from model.summary import Summary

LEVEL = 0.95
CELLS = 200  # a coarser grid than the fit's (0.02 wide): the check's cost is grid x draws x worlds
BLOCK = 8  # worlds fitted together (bounds memory: block x cells x draws arrays)


@dataclass(frozen=True)
class CoverageCheck:
    """The share of simulated worlds whose interval covers their true elasticity."""

    worlds: int
    level: float
    coverage: float
    """Combined (market x capex, nuisance integrated jointly)."""
    coverage_market: float
    coverage_capex: float
    truth: np.ndarray = field(repr=False)
    covered: np.ndarray = field(repr=False)
    intervals: np.ndarray = field(repr=False)  # worlds x 2, combined

    @property
    def standard_error(self) -> float:
        return float(np.sqrt(self.level * (1.0 - self.level) / self.worlds))

    def by_range(self, edges=(0.0, 0.75, 1.25, 2.0, 4.0)) -> pd.DataFrame:
        """Coverage of the combined interval by range of the true elasticity."""
        bins = pd.cut(self.truth, edges, include_lowest=True)
        frame = pd.DataFrame({"true elasticity": bins, "covered": self.covered})
        return (frame.groupby("true elasticity", observed=False)["covered"]
                .agg(worlds="size", coverage="mean").reset_index())

    def summary(self) -> Summary:
        rows = [("worlds", self.worlds),
                (f"coverage of the combined {self.level:.0%} interval", f"{self.coverage:.3f}"),
                ("Monte Carlo standard error at the nominal level", f"{self.standard_error:.3f}"),
                ("coverage, market alone", f"{self.coverage_market:.3f}"),
                ("coverage, capex alone", f"{self.coverage_capex:.3f}")]
        return Summary.of("Coverage of the likelihood combination in simulated worlds", rows,
                          tables=[("by true elasticity", self.by_range())])

    def to_dict(self) -> dict:
        return {"worlds": self.worlds, "level": self.level, "coverage": self.coverage,
                "coverage_market": self.coverage_market, "coverage_capex": self.coverage_capex,
                "standard_error": self.standard_error}


def grid_intervals(grid: np.ndarray, probabilities: np.ndarray, level: float = LEVEL) -> np.ndarray:
    """Central intervals of many grid distributions at once (rows of ``probabilities``; the
    CDF linear within cells): shape (rows, 2)."""
    step = grid[1] - grid[0]
    edges = np.append(grid - step / 2.0, grid[-1] + step / 2.0)
    cdf = np.concatenate([np.zeros((probabilities.shape[0], 1)), np.cumsum(probabilities, axis=1)], axis=1)
    out = np.empty((probabilities.shape[0], 2))
    for j, q in enumerate(((1.0 - level) / 2.0, (1.0 + level) / 2.0)):  # two quantiles
        i = np.clip((cdf < q).sum(axis=1) - 1, 0, grid.size - 1)
        rows = np.arange(cdf.shape[0])
        lo, hi = cdf[rows, i], cdf[rows, i + 1]
        frac = np.where(hi > lo, (q - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0)
        out[:, j] = edges[i] + frac * step
    return out


def _normalised(log_p: np.ndarray) -> np.ndarray:
    p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def simulate_coverage(market: MarketEvidence, capex: CapexEvidence, truth: SharedDraws, *,
                      valuation: Valuation | None = None, seed: int = SEED, level: float = LEVEL,
                      cells: int = CELLS, block: int = BLOCK) -> CoverageCheck:
    """The check with one world per draw of ``truth`` (same distribution as the fit's draws,
    other streams). See the module docstring."""
    a = capex.assumptions
    if a.growth_prior_median is None:
        raise JevonsError("coverage check: the capex fit needs a proper growth prior to simulate "
                          "worlds (growth_prior_median is None)")
    worlds = truth.size
    rng = np.random.default_rng([seed, 90])
    eps = rng.uniform(0.0, 4.0, worlds)
    # the market datum: R(eps | theta_w) from the engine at the world's own eps, plus noise
    rows = np.arange(worlds)
    pre = pre_news(truth.inputs).at(eps)
    post = with_news(pre, truth.inputs["factor"], truth.inputs["coverage"], truth.inputs["diffusion_years"])
    r_true = predicted_return(pre, post, valuation_from(truth.inputs, valuation))
    market_obs = r_true + market.noise.draw(worlds, rng)
    # the plans: G from the growth prior, the trend and news terms of the world's own draw
    obs = capex.obs
    nuisance = Nuisance.from_inputs(truth.inputs, a.horizon_years)
    news = nuisance.news_terms(eps, obs)[rows, rows]                       # (W, n)
    big_g = rng.normal(np.log1p(a.growth_prior_median), a.growth_prior_log_sd, worlds)
    s = np.sqrt(a.firm_growth_sd**2 + obs.growth_sd**2)
    growth = (big_g[:, None] + ((eps - 1.0) * nuisance.log_price_fall)[:, None] + news
              + rng.standard_normal((worlds, obs.growth.size)) * s)
    log_j = nuisance.log_jevons(eps)[rows, rows]                           # (W,)
    v = np.sqrt(a.revision_noise_sd**2 + obs.revision_sd**2)
    revision = (log_j[:, None] * obs.revision_post_news
                + rng.standard_normal((worlds, obs.revision.size)) * v)
    grid = elasticity_grid(cells)
    intervals = {name: np.empty((worlds, 2)) for name in ("combined", "market", "capex")}
    for lo in range(0, worlds, block):  # blocks of worlds bound memory; each is vectorised
        hi = min(lo + block, worlds)
        lm = market.per_draw(grid, observed=market_obs[lo:hi])
        lc = capex.per_draw_many(growth[lo:hi], revision[lo:hi], grid)
        for name, ll in (("combined", lm + lc), ("market", lm), ("capex", lc)):
            intervals[name][lo:hi] = grid_intervals(grid, _normalised(log_mean_exp(ll, axis=2)), level)
    covered = {name: (iv[:, 0] <= eps) & (eps <= iv[:, 1]) for name, iv in intervals.items()}
    return CoverageCheck(worlds, level, float(covered["combined"].mean()), float(covered["market"].mean()),
                         float(covered["capex"].mean()), eps, covered["combined"], intervals["combined"])
