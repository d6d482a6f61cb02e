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
    resid = obs.growth[None, None, :] - trend[:, :, None] - nuisance.news_terms(eps, obs)
    w_sum = float(np.sum(1.0 / s2))
    a = np.sum(resid / s2, axis=2)                                           # (E, K)
    b = np.sum(resid**2 / s2, axis=2)                                        # (E, K)
    # revisions: the street gap b is profiled out analytically (flat prior) when estimated
    if obs.revision.size and use_revisions:
        rev = revision_log_likelihood(obs, log_j, revision_noise_sd, street_gap)  # (E, K)
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


def revision_log_likelihood(obs: Observations, log_j: np.ndarray, revision_noise_sd: float,
                            street_gap: str = "estimated") -> np.ndarray:
    """Log-likelihood of the revisions against the street given log J (eps x draws), the street
    gap integrated out under a flat prior (``"estimated"``) or zero (``"none"``)."""
    if not obs.revision.size:
        return np.zeros_like(log_j)
    v = revision_noise_sd**2 + obs.revision_sd**2
    d = obs.revision[None, None, :] - log_j[:, :, None] * obs.revision_post_news
    quad = np.sum(d**2 / v, axis=2)
    if street_gap == "estimated":
        quad = quad - np.sum(d / v, axis=2) ** 2 / np.sum(1.0 / v)
    return -0.5 * quad


def elasticity_log_likelihood(obs: Observations, nuisance: Nuisance, eps: np.ndarray,
                              firm_growth_sd: float, revision_noise_sd: float,
                              street_gap: str = "estimated", use_revisions: bool = True,
                              growth_prior_median: float | None = 0.30,
                              growth_prior_log_sd: float = 0.40) -> np.ndarray:
    """Log-likelihood of eps given each nuisance draw (shape eps x draws), with G = log(1 + g)
    integrated out in closed form under its prior (normal, mean log(1 + median), sd ``log_sd``;
    flat over the real line when ``growth_prior_median`` is None). Constants that do not depend
    on eps or the draw are dropped.

    The growth figures give -(W G^2 - 2 A G + B) / 2 in G (see :func:`grid_likelihood`); with
    the prior N(mu, tau^2) the integral over G is

        -log(tau^2 P) / 2 + Q^2 / (2 P) - B / 2 - mu^2 / (2 tau^2),   P = W + 1/tau^2, Q = A + mu/tau^2,

    and with a flat prior -log(W) / 2 + A^2 / (2 W) - B / 2. Unlike :func:`grid_likelihood` it
    keeps the draws apart, so another body of evidence that shares them can be multiplied in
    draw by draw before averaging (:mod:`model.calibration.combine`).
    """
    return elasticity_log_likelihood_many(
        obs.growth[None, :], obs.revision[None, :], obs, nuisance, eps, firm_growth_sd,
        revision_noise_sd, street_gap, use_revisions, growth_prior_median, growth_prior_log_sd)[0]


def elasticity_log_likelihood_many(growth: np.ndarray, revision: np.ndarray, obs: Observations,
                                   nuisance: Nuisance, eps: np.ndarray, firm_growth_sd: float,
                                   revision_noise_sd: float, street_gap: str = "estimated",
                                   use_revisions: bool = True,
                                   growth_prior_median: float | None = 0.30,
                                   growth_prior_log_sd: float = 0.40) -> np.ndarray:
    """:func:`elasticity_log_likelihood` for several data sets at once (simulated worlds):
    ``growth`` (worlds x figures) and ``revision`` (worlds x revisions) replace the values of
    ``obs``, whose standard deviations, news horizons and flags are kept. Shape (worlds, eps,
    draws)."""
    if street_gap not in ("estimated", "none"):
        raise JevonsError(f"street_gap {street_gap!r}; allowed: estimated, none")
    eps = np.asarray(eps, dtype=float)
    growth = np.atleast_2d(np.asarray(growth, dtype=float))
    s2 = firm_growth_sd**2 + obs.growth_sd**2
    mean = (eps[:, None] - 1.0) * nuisance.log_price_fall[None, :]
    mean = mean[:, :, None] + nuisance.news_terms(eps, obs)                 # (E, K, n)
    w = float(np.sum(1.0 / s2))
    y_w = growth / s2                                                        # (W, n)
    a = (y_w.sum(axis=1)[:, None, None]
         - np.sum(mean / s2, axis=2)[None])                                 # (W, E, K)
    b = (np.sum(growth * y_w, axis=1)[:, None, None]
         - 2.0 * np.einsum("wn,ekn->wek", y_w, mean)
         + np.sum(mean**2 / s2, axis=2)[None])
    if growth_prior_median is None:
        out = -0.5 * np.log(w) + 0.5 * a**2 / w - 0.5 * b
    else:
        mu, tau2 = float(np.log1p(growth_prior_median)), float(growth_prior_log_sd) ** 2
        p = w + 1.0 / tau2
        q = a + mu / tau2
        out = -0.5 * np.log(tau2 * p) + 0.5 * q**2 / p - 0.5 * b - 0.5 * mu**2 / tau2
    revision = np.atleast_2d(np.asarray(revision, dtype=float))
    if use_revisions and obs.revision.size:
        v = revision_noise_sd**2 + obs.revision_sd**2
        log_j = nuisance.log_jevons(eps)[:, :, None] * obs.revision_post_news  # (E, K, m)
        d = revision[:, None, None, :] - log_j[None]                             # (W, E, K, m)
        quad = np.sum(d**2 / v, axis=3)
        if street_gap == "estimated":
            quad = quad - np.sum(d / v, axis=3) ** 2 / np.sum(1.0 / v)
        out = out - 0.5 * quad
    return out


def log_growth_prior(grid: Grid, median: float | None, log_sd: float) -> np.ndarray:
    """Log prior density of log(1 + g) on the grid (flat when ``median`` is None)."""
    if median is None:
        return np.zeros_like(grid.log_growth)
    return -0.5 * ((grid.log_growth - np.log1p(median)) / log_sd) ** 2

