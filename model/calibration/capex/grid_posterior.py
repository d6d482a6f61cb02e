"""The grid posterior of the capex-implied fit: the (eps, log(1 + g)) grid, the integrated
likelihood on it and the prior on demand growth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.calibration.capex.assumptions import CapexAssumptions
from model.calibration.capex.observations import Nuisance, Observations
from model.calibration.grid_density import log_mean_exp
from model.errors import JevonsError


@dataclass(frozen=True)
class Grid:
    """Cell midpoints of the (eps, log(1 + g)) grid."""

    elasticity: np.ndarray
    log_growth: np.ndarray

    @classmethod
    def from_assumptions(cls, a: CapexAssumptions) -> Grid:
        def mids(lo, hi, n):
            edges = np.linspace(lo, hi, n + 1)
            return 0.5 * (edges[:-1] + edges[1:])
        return cls(mids(*a.elasticity_range, a.elasticity_cells), mids(*a.log_growth_range, a.log_growth_cells))

    @property
    def elasticity_step(self) -> float:
        return float(self.elasticity[1] - self.elasticity[0])

    @property
    def log_growth_step(self) -> float:
        return float(self.log_growth[1] - self.log_growth[0])


@dataclass(frozen=True)
class Likelihood:
    """Log-likelihoods on the grid, the nuisance integrated out (constants dropped).

    ``joint`` (eps x log-growth): growth and (if used) revisions together; ``growth`` the same
    from the growth figures alone; ``revision`` (eps) from the revisions alone.
    """

    joint: np.ndarray
    growth: np.ndarray
    revision: np.ndarray



def grid_likelihood(obs: Observations, nuisance: Nuisance, grid: Grid, firm_growth_sd: float,
                    revision_noise_sd: float, street_gap: str = "estimated",
                    use_revisions: bool = True, block: int = 16) -> Likelihood:
    """Integrated log-likelihood of (eps, log(1 + g)) on the grid.

    Growth of firm i given draw k: y_i ~ N(G + (eps-1) L_k + post_i log J_k(eps), s_i^2) with
    s_i^2 = firm_growth_sd^2 + growth_sd_i^2. Revision j: r_j ~ N(b + post_j log J_k(eps), v_j),
    v_j = revision_noise_sd^2 + revision_sd_j^2, with the street gap b integrated out under a flat
    prior (``street_gap="estimated"``) or b = 0 (``"none"``). The likelihood is averaged over the
    nuisance draws k (the same draw for every firm: the trends are common).
    """
    if street_gap not in ("estimated", "none"):
        raise JevonsError(f"street_gap {street_gap!r}; allowed: estimated, none")
    eps, big_g = grid.elasticity, grid.log_growth
    log_j = nuisance.log_jevons(eps)                                         # (E, K)
    trend = (eps[:, None] - 1.0) * nuisance.log_price_fall[None, :]          # (E, K)
    # growth: sum_i (y_i - G - m_ik)^2 / s_i^2 = W G^2 - 2 G A + B
    s2 = firm_growth_sd**2 + obs.growth_sd**2
    resid = obs.growth[None, None, :] - trend[:, :, None] - log_j[:, :, None] * obs.growth_post_news
    w_sum = float(np.sum(1.0 / s2))
    a = np.sum(resid / s2, axis=2)                                           # (E, K)
    b = np.sum(resid**2 / s2, axis=2)                                        # (E, K)
    # revisions: the street gap b is profiled out analytically (flat prior) when estimated
    if obs.revision.size and use_revisions:
        v = revision_noise_sd**2 + obs.revision_sd**2
        d = obs.revision[None, None, :] - log_j[:, :, None] * obs.revision_post_news
        quad = np.sum(d**2 / v, axis=2)
        if street_gap == "estimated":
            quad = quad - np.sum(d / v, axis=2) ** 2 / np.sum(1.0 / v)
        rev = -0.5 * quad                                                    # (E, K)
    else:
        rev = np.zeros_like(a)
    joint = np.empty((eps.size, big_g.size))
    growth = np.empty_like(joint)
    g2 = big_g[None, :, None] ** 2
    for lo in range(0, eps.size, block):  # blocks of grid rows keep the (E, G, K) array small
        hi = min(lo + block, eps.size)
        ll = -0.5 * (w_sum * g2 - 2.0 * big_g[None, :, None] * a[lo:hi, None, :] + b[lo:hi, None, :])
        growth[lo:hi] = log_mean_exp(ll, axis=2)
        joint[lo:hi] = log_mean_exp(ll + rev[lo:hi, None, :], axis=2)
    return Likelihood(joint=joint, growth=growth, revision=log_mean_exp(rev, axis=1))


def log_growth_prior(grid: Grid, median: float | None, log_sd: float) -> np.ndarray:
    """Log prior density of log(1 + g) on the grid (flat when ``median`` is None)."""
    if median is None:
        return np.zeros_like(grid.log_growth)
    return -0.5 * ((grid.log_growth - np.log1p(median)) / log_sd) ** 2

