"""Likelihoods of the elasticity on a common grid, kept apart draw by draw of the shared nuisance.

Every body of evidence about eps is a likelihood on the same grid of eps (:func:`elasticity_grid`).
Those that depend on the nuisance parameters the fit shares (the news size S, its coverage phi
and diffusion, the hardware and algorithmic trends) are kept as one log-likelihood per nuisance
draw, shape ``(eps, draws)``, all on the *same* draws (:class:`SharedDraws`), so the combination
can multiply them draw by draw and only then average over the draws:

    L(eps) = mean_k prod_j L_j(eps | theta_k),

the likelihood with the nuisance integrated out jointly, not a product of marginals
(:mod:`model.calibration.combine`).

**The market evidence** (:class:`MarketEvidence`): an observed return ``r`` (e.g. the part of
Nvidia's abnormal return of 27 January that the cross-section's quantity channel explains) is the
return the valuation link predicts, ``R(eps | theta)``, plus noise ``u`` whose density ``f`` is a
kernel density of the same statistic on days without the event (the decomposition's reference
days): ``L(eps | theta) = f(r - R(eps | theta))``. This is a likelihood (the density of the data
given eps), not the density of draws solved for eps, which carries the Jacobian of the solution.
``R`` is computed by the engine on a coarse set of elasticities for every draw (one vectorised
call) and interpolated linearly in between (it is smooth in eps).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from model.calibration.capex.assumptions import CapexAssumptions
from model.calibration.capex.grid_posterior import (
    elasticity_log_likelihood,
    elasticity_log_likelihood_many,
)
from model.calibration.capex.observations import Nuisance, Observations
from model.calibration.estimate import ElasticityEstimate
from model.calibration.grid_density import (
    bandwidth,
    interval_from_grid,
    log_kde,
    log_mean_exp,
    normalise,
    quantiles_from_grid,
)
from model.calibration.market import (
    ELASTICITY_RANGE,
    MarketPrior,
    draw_market_inputs,
    pre_news,
    valuation_from,
)
from model.constants import SEED
from model.engine.valuation import Valuation, predicted_return, with_news
from model.errors import JevonsError

GRID_CELLS = 400
"""Cells of the common grid on 0-4 (0.01 wide)."""
NODE_STEP = 0.05
"""Spacing of the elasticities at which the engine computes the predicted return."""
SHARED_DRAWS = 1500
"""Nuisance draws the likelihoods are averaged over (enough that the average of the per-draw
market likelihoods, each about 0.1 wide in eps, is smooth at the grid's resolution)."""
NOISE_GRID = (-1.5, 1.5, 6001)
"""Where the noise density is tabulated (returns; beyond it the kernel's Gaussian tail)."""


def elasticity_grid(cells: int = GRID_CELLS, support: tuple[float, float] = ELASTICITY_RANGE) -> np.ndarray:
    """Cell midpoints of the common elasticity grid."""
    edges = np.linspace(*support, cells + 1)
    return 0.5 * (edges[:-1] + edges[1:])


@dataclass(frozen=True)
class SharedDraws:
    """One set of draws of every uncertain input of :class:`MarketPrior` (streams of
    :func:`~model.calibration.market.draw_market_inputs` with ``seed``): the market evidence
    and the capex evidence both read these, so they share S, phi, diffusion and the trends."""

    prior: MarketPrior
    seed: int
    inputs: dict[str, np.ndarray] = field(repr=False)

    @classmethod
    def draw(cls, prior: MarketPrior, draws: int = SHARED_DRAWS, seed: int = SEED) -> SharedDraws:
        return cls(prior, seed, draw_market_inputs(prior, draws, seed))

    @property
    def size(self) -> int:
        return int(self.inputs["factor"].size)

    def with_factor(self, factor: float) -> SharedDraws:
        """The same draws with the news size fixed at ``factor``."""
        inputs = dict(self.inputs) | {"factor": np.full(self.size, float(factor))}
        return dataclasses.replace(self, inputs=inputs)


def forward_returns(shared: SharedDraws, valuation: Valuation | None = None,
                    nodes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The predicted return of the news at each elasticity node for every draw: ``(nodes,
    returns)`` with returns shaped ``(draws, nodes)``; one vectorised engine call."""
    nodes = (np.arange(ELASTICITY_RANGE[0], ELASTICITY_RANGE[1] + NODE_STEP / 2, NODE_STEP)
             if nodes is None else np.asarray(nodes, dtype=float))
    k, m = shared.size, nodes.size
    tiled = {name: np.tile(v, m) for name, v in shared.inputs.items()}
    eps = np.repeat(nodes, k)
    pre = pre_news(tiled).at(eps)
    post = with_news(pre, tiled["factor"], tiled["coverage"], tiled["diffusion_years"])
    r = predicted_return(pre, post, valuation_from(tiled, valuation))
    return nodes, r.reshape(m, k).T


def interpolate(nodes: np.ndarray, values: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """``values`` (draws x nodes, equally spaced nodes) linearly interpolated at ``eps``:
    shape (eps, draws)."""
    step = nodes[1] - nodes[0]
    pos = np.clip((np.asarray(eps, dtype=float) - nodes[0]) / step, 0.0, nodes.size - 1.0)
    i = np.minimum(pos.astype(int), nodes.size - 2)
    frac = (pos - i)[:, None]
    return values[:, i].T * (1.0 - frac) + values[:, i + 1].T * frac


def interpolate_returns(nodes: np.ndarray, returns: np.ndarray, eps: np.ndarray, weight: float) -> np.ndarray:
    """Predicted returns ``w (ratio - 1)`` interpolated at ``eps`` in log(ratio)."""
    log_ratio = np.log1p(returns / weight)
    return weight * np.expm1(interpolate(nodes, log_ratio, eps))


@dataclass(frozen=True)
class NoiseDensity:
    """Kernel density of a noise sample (Scott's bandwidth), tabulated in logs."""

    sample: np.ndarray
    h: float
    x: np.ndarray = field(repr=False)
    log_f: np.ndarray = field(repr=False)
    cdf: np.ndarray = field(repr=False)
    sf: np.ndarray = field(repr=False)

    @classmethod
    def of(cls, sample) -> NoiseDensity:
        sample = np.asarray(sample, dtype=float)
        if sample.ndim != 1 or sample.size < 10 or not np.all(np.isfinite(sample)) or np.ptp(sample) == 0:
            raise JevonsError("market evidence: the noise sample needs at least 10 finite, distinct values")
        h = bandwidth(sample)
        x = np.linspace(*NOISE_GRID[:2], NOISE_GRID[2])
        z = (x[:, None] - sample[None, :]) / h
        return cls(sample, h, x, log_kde(sample, x, h, block=512), special.ndtr(z).mean(axis=1),
                   special.ndtr(-z).mean(axis=1))

    def mass(self, upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
        """P(lower < u < upper) under the density (0 outside the table), from the CDF or, above
        the median, the survival function (no cancellation near 1)."""
        upper, lower = np.asarray(upper, dtype=float), np.asarray(lower, dtype=float)
        by_cdf = np.interp(upper, self.x, self.cdf, 0.0, 1.0) - np.interp(lower, self.x, self.cdf, 0.0, 1.0)
        by_sf = np.interp(lower, self.x, self.sf, 1.0, 0.0) - np.interp(upper, self.x, self.sf, 1.0, 0.0)
        return np.where(lower > 0.0, by_sf, by_cdf)

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """log f(u); beyond the table the Gaussian tail of the nearest end."""
        u = np.asarray(u, dtype=float)
        inside = np.clip(u, self.x[0], self.x[-1])
        nearest = np.where(u > inside, self.sample.max(), self.sample.min())
        # beyond the table the nearest sample point's kernel dominates: its Gaussian decay
        tail = ((u - nearest) ** 2 - (inside - nearest) ** 2) / (2.0 * self.h**2)
        return np.interp(inside, self.x, self.log_f) - np.where(u == inside, 0.0, tail)

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draws from the kernel density (a resampled value plus kernel noise)."""
        return rng.choice(self.sample, n) + self.h * rng.standard_normal(n)


@dataclass(frozen=True)
class MarketEvidence:
    """The likelihood of eps from one observed return through the valuation link.

    ``observed`` is the return to explain, ``noise`` the density of its estimation error,
    ``returns`` the predicted return at ``nodes`` for every shared draw.
    """

    name: str
    observed: float
    noise: NoiseDensity
    nodes: np.ndarray = field(repr=False)
    returns: np.ndarray = field(repr=False)  # draws x nodes
    description: str = ""
    weight: float = Valuation.dc_value_share
    """The value share the predicted return is weighted by, w: R = w (V_after / V_before - 1)."""

    @classmethod
    def build(cls, observed: float, noise_sample, shared: SharedDraws, valuation: Valuation | None = None,
              name: str = "market", description: str = "") -> MarketEvidence:
        nodes, returns = forward_returns(shared, valuation)
        weight = float(np.asarray((valuation or Valuation()).dc_value_share))
        return cls(name, float(observed), NoiseDensity.of(noise_sample), nodes, returns, description, weight)

    def predicted(self, eps: np.ndarray) -> np.ndarray:
        """R(eps | theta_k), shape (eps, draws): interpolated in log(V_after / V_before), which is
        close to linear in eps where R itself grows exponentially."""
        return interpolate_returns(self.nodes, self.returns, eps, self.weight)

    def per_draw(self, eps: np.ndarray, observed=None) -> np.ndarray:
        """log L(eps | theta_k), shape (eps, draws), averaged over the cell around each eps
        (see :func:`cell_log_likelihood`); ``observed`` overrides the data (an array of
        simulated data gives shape (data, eps, draws))."""
        r = self.observed if observed is None else observed
        return cell_log_likelihood(self.noise, r, self.nodes, self.returns, eps, self.weight)

    def log_likelihood(self, eps: np.ndarray) -> np.ndarray:
        """log L(eps) with the nuisance averaged out (this evidence alone)."""
        return log_mean_exp(self.per_draw(np.asarray(eps, dtype=float)), axis=1)


def cell_returns(nodes: np.ndarray, returns: np.ndarray, eps: np.ndarray,
                 weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The predicted return at each ``eps`` (equally spaced) and at its cell's two edges, each
    shaped (eps, draws)."""
    eps = np.asarray(eps, dtype=float)
    step = eps[1] - eps[0] if eps.size > 1 else 0.0
    return tuple(interpolate_returns(nodes, returns, e, weight) for e in (eps, eps - step / 2.0, eps + step / 2.0))


def cell_log_likelihood(noise: NoiseDensity, observed, nodes: np.ndarray, returns: np.ndarray,
                        eps: np.ndarray, weight: float, cells=None) -> np.ndarray:
    """log of the likelihood f(r - R(eps | theta_k)) averaged over the grid cell around each
    ``eps`` (equally spaced), per draw: with R linear within the cell the average is
    [F(r - R_lo) - F(r - R_hi)] / (R_hi - R_lo). Where R is steep (large elasticities) the
    likelihood of one draw is a spike far narrower than a cell, which a value at the cell's
    midpoint would miss or overweight; the cell average integrates it. Where the mass underflows
    (far tails) or R is flat within the cell, the midpoint density is used.

    ``observed`` is a number, or an array of simulated data (the result gains a leading axis);
    ``cells`` is :func:`cell_returns` of the same arguments, when already computed.
    """
    mid, lo, hi = cell_returns(nodes, returns, eps, weight) if cells is None else cells
    r = np.asarray(observed, dtype=float)
    r = r.reshape(r.shape + (1, 1)) if r.ndim else r
    point = noise(r - mid)
    if np.asarray(eps).size < 2:
        return point
    width = np.abs(hi - lo)
    mass = noise.mass(r - np.minimum(lo, hi), r - np.maximum(lo, hi))
    usable = (mass > 1e-250) & (width > 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        cell = np.log(np.where(usable, mass, 1.0)) - np.log(np.where(usable, width, 1.0))
    return np.where(usable, cell, point)


@dataclass(frozen=True)
class GridEstimate:
    """A distribution of eps on the common grid (from a log-likelihood and a prior)."""

    grid: np.ndarray
    probabilities: np.ndarray

    @classmethod
    def from_log(cls, grid: np.ndarray, log_density: np.ndarray) -> GridEstimate:
        if not np.any(np.isfinite(log_density)):
            raise JevonsError("the likelihood is zero everywhere on the elasticity grid")
        return cls(grid, normalise(log_density))

    @property
    def median(self) -> float:
        return float(quantiles_from_grid(self.grid, self.probabilities, 0.5))

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        return interval_from_grid(self.grid, self.probabilities, level)

    def p_above(self, threshold: float = 1.0) -> float:
        """P(eps > threshold) (the CDF linear within a cell)."""
        return float(1.0 - quantile_cdf(self.grid, self.probabilities, threshold))

    def draws(self, n: int, seed: int, stream: int) -> np.ndarray:
        """Seeded draws, uniform within cells."""
        rng = np.random.default_rng([seed, stream])
        step = self.grid[1] - self.grid[0]
        cell = rng.choice(self.grid.size, size=n, p=self.probabilities)
        return self.grid[cell] + rng.uniform(-0.5, 0.5, n) * step

    def estimate(self, method: str, n: int, seed: int, stream: int, notes=()) -> ElasticityEstimate:
        return ElasticityEstimate(method=method, draws=self.draws(n, seed, stream), notes=tuple(notes))


def quantile_cdf(grid: np.ndarray, probabilities: np.ndarray, x: float) -> float:
    """The CDF of a grid distribution at ``x`` (linear within cells)."""
    step = grid[1] - grid[0]
    edges = np.append(grid - step / 2.0, grid[-1] + step / 2.0)
    cdf = np.concatenate([[0.0], np.cumsum(probabilities)])
    return float(np.interp(x, edges, cdf))


@dataclass(frozen=True)
class CapexEvidence:
    """The likelihood of eps from the hyperscalers' plans (and, later, actuals), per shared draw:
    :func:`~model.calibration.capex.grid_posterior.elasticity_log_likelihood` with demand growth
    integrated out under the fit's growth prior and the trends and news read from the shared
    draws."""

    name: str
    obs: Observations
    nuisance: Nuisance = field(repr=False)
    assumptions: CapexAssumptions

    @classmethod
    def build(cls, table, shared: SharedDraws, assumptions: CapexAssumptions | None = None,
              name: str = "capex") -> CapexEvidence:
        a = assumptions or CapexAssumptions()
        return cls(name, Observations.from_table(table), Nuisance.from_inputs(shared.inputs, a.horizon_years), a)

    def per_draw(self, eps: np.ndarray) -> np.ndarray:
        a = self.assumptions
        return elasticity_log_likelihood(self.obs, self.nuisance, np.asarray(eps, dtype=float),
                                         a.firm_growth_sd, a.revision_noise_sd, a.street_gap,
                                         a.use_revisions, a.growth_prior_median, a.growth_prior_log_sd)

    def per_draw_many(self, growth: np.ndarray, revision: np.ndarray, eps: np.ndarray) -> np.ndarray:
        """:meth:`per_draw` for simulated data sets (worlds x figures): (worlds, eps, draws)."""
        a = self.assumptions
        return elasticity_log_likelihood_many(growth, revision, self.obs, self.nuisance,
                                              np.asarray(eps, dtype=float), a.firm_growth_sd,
                                              a.revision_noise_sd, a.street_gap, a.use_revisions,
                                              a.growth_prior_median, a.growth_prior_log_sd)

    def log_likelihood(self, eps: np.ndarray) -> np.ndarray:
        return log_mean_exp(self.per_draw(eps), axis=1)
