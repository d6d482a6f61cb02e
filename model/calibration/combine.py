"""One elasticity or two? Combining the market-implied and the capex-implied elasticity.

Two methods. :func:`combine_likelihoods` (the fit's, ``method = "likelihood"``): each body of
evidence is a likelihood of eps on one grid, the market's and the plans' kept apart draw by draw
of the nuisance they share (news size, coverage, diffusion, trends) and multiplied before the
draws are averaged, so the shared uncertainty is integrated jointly; the consistency test is a
likelihood ratio with its power against a stated alternative; extra independent evidence (an
object with ``name`` and ``log_likelihood(eps)``) multiplies in. :func:`combine` (below, the
earlier method, kept for estimates known only by their draws): kernel densities of draws.

**Kernel combination.** Both estimates carry a flat prior on eps over the market-implied search range
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
from typing import Protocol

import numpy as np
from scipy import stats

from model.calibration.estimate import ElasticityEstimate
from model.calibration.grid_density import log_density, log_mean_exp
from model.calibration.likelihood import elasticity_grid
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


# --- the likelihood-based combination (issue 9, item 6) -------------------------------------

POWER_ALTERNATIVE = 0.5
"""The alternative the consistency test's power is stated against: the market's and the capex
plans' elasticities differ by 0.5 (e.g. 0.8 against 1.3: inelastic against clearly elastic)."""


class Evidence(Protocol):
    """An independent body of evidence about eps (e.g. :mod:`model.calibration.usage`)."""

    name: str

    def log_likelihood(self, eps: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class LikelihoodCombination(Combination):
    """The evidence combined as likelihoods on one grid, the nuisance integrated jointly.

    The attributes of :class:`Combination` keep their meaning, except that ``statistic`` is the
    median of eps_market - eps_capex under their joint likelihood (flat priors) and ``p_value``
    the likelihood-ratio test of one elasticity for both against chi-squared(1); ``market`` and
    ``capex`` are each body of evidence alone under a flat prior.
    """

    method: str = "likelihood"
    lr_statistic: float = float("nan")
    difference_sd: float = float("nan")
    consistency_power: float = float("nan")
    power_alternative: float = POWER_ALTERNATIVE
    p_above_one: float = float("nan")
    independent: dict[str, ElasticityEstimate] = field(default_factory=dict)
    """Each extra independent body of evidence alone (flat prior), by name."""
    draws_integrated: int = 0

    def to_dict(self) -> dict:
        return self.estimate.to_dict() | {
            "method": self.method, "consistent": bool(self.consistent), "p_value": float(self.p_value),
            "verdict": self.verdict, "consistency_test": "likelihood ratio, one elasticity against two, "
                                                         "nuisance integrated jointly; chi-squared(1)",
            "lr_statistic": self.lr_statistic, "difference_median": self.statistic,
            "difference_sd": self.difference_sd, "consistency_power": self.consistency_power,
            "power_alternative": f"true elasticities differing by {self.power_alternative:g}",
            "p_above_one": self.p_above_one, "evidence": ["market", "capex",
                                                          *(["prior"] if self.prior is not None else []),
                                                          *self.independent],
        }


def _grid_estimate(grid: np.ndarray, log_density: np.ndarray):
    p = np.exp(log_density - np.max(log_density))
    return p / p.sum()


def _sample(grid: np.ndarray, p: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    step = grid[1] - grid[0]
    return grid[rng.choice(grid.size, size=n, p=p)] + rng.uniform(-0.5, 0.5, n) * step


def consistency(lm: np.ndarray, lc: np.ndarray, grid: np.ndarray, level: float = LEVEL,
                alternative: float = POWER_ALTERNATIVE) -> dict[str, float]:
    """One elasticity or two, with the nuisance integrated jointly.

    ``lm`` and ``lc`` are per-draw log-likelihoods (eps x draws) on the same draws. The joint
    likelihood of (eps_m, eps_c) is L(e1, e2) = mean_k L_m(e1 | k) L_c(e2 | k) (a matrix
    product). The test: LR = 2 [max L(e1, e2) - max L(e, e)] in logs, against chi-squared(1).
    Its power against true elasticities differing by ``alternative``: with the difference's sd
    s under the joint likelihood (flat priors), LR is about non-central chi-squared(1) with
    non-centrality (alternative / s)^2.
    """
    a = np.exp(lm - lm.max())
    b = np.exp(lc - lc.max())
    with np.errstate(divide="ignore"):
        joint = np.log(a @ b.T)  # (E, E), up to a constant
    lr = float(max(0.0, 2.0 * (joint.max() - np.diag(joint).max())))
    p_value = float(stats.chi2.sf(lr, 1))
    w = np.exp(joint - joint.max())
    w /= w.sum()
    diff = grid[:, None] - grid[None, :]
    order = np.argsort(diff, axis=None)
    cdf = np.cumsum(w.ravel()[order])
    median = float(diff.ravel()[order][np.searchsorted(cdf, 0.5)])
    mean = float(np.sum(w * diff))
    sd = float(np.sqrt(np.sum(w * (diff - mean) ** 2)))
    critical = stats.chi2.ppf(1.0 - level, 1)
    power = float(stats.ncx2.sf(critical, 1, (alternative / sd) ** 2))
    return {"lr": lr, "p_value": p_value, "median": median, "sd": sd, "power": power}


def combine_likelihoods(market, capex, prior_log_density: np.ndarray | None = None,
                        prior: ElasticityEstimate | None = None, extra: tuple = (),
                        grid: np.ndarray | None = None, seed: int = SEED, draws: int = 4000,
                        level: float = LEVEL, alternative: float = POWER_ALTERNATIVE) -> LikelihoodCombination:
    """Combine the market and capex evidence (objects with ``per_draw(eps) -> (eps, draws)`` on
    the same shared draws, :mod:`model.calibration.likelihood`), a prior density on the grid
    (log, e.g. :func:`model.calibration.evidence.prior_log_density`) and any ``extra``
    independent evidence (objects with ``name`` and ``log_likelihood(eps)``):

        log p(eps) = log mean_k [L_m(eps | k) L_c(eps | k)] + log prior(eps) + sum_j log L_j(eps).

    Deterministic for a given ``seed``.
    """
    grid = elasticity_grid() if grid is None else np.asarray(grid, dtype=float)
    lm, lc = market.per_draw(grid), capex.per_draw(grid)
    if lm.shape != lc.shape:
        raise JevonsError(f"combine: the market and capex likelihoods are on different draws "
                          f"({lm.shape} against {lc.shape}); build both from one SharedDraws")
    logs = {"market": log_mean_exp(lm, axis=1), "capex": log_mean_exp(lc, axis=1)}
    total = log_mean_exp(lm + lc, axis=1)
    if prior_log_density is not None:
        logs["prior"] = np.asarray(prior_log_density, dtype=float)
        total = total + logs["prior"]
    for item in extra:  # a few bodies of evidence: structure
        ll = np.asarray(item.log_likelihood(grid), dtype=float)
        if ll.shape != grid.shape:
            raise JevonsError(f"combine: evidence {item.name!r} returned a log-likelihood of shape "
                              f"{ll.shape}; expected one value per grid point {grid.shape}")
        logs[item.name] = ll
        total = total + ll
    if not np.any(np.isfinite(total)):
        raise JevonsError("combine: the combined likelihood is zero everywhere on the grid")
    step = grid[1] - grid[0]
    densities = {name: _grid_estimate(grid, lp) / step for name, lp in {**logs, "combined": total}.items()}
    rng = np.random.default_rng([seed, 40])
    combined = _sample(grid, densities["combined"] * step, draws, rng)
    alone = {name: ElasticityEstimate(f"{name} alone (likelihood, flat prior on 0-4)",
                                      _sample(grid, densities[name] * step, draws,
                                              np.random.default_rng([seed, 42, k])))
             for k, name in enumerate(logs) if name != "prior"}
    test = consistency(lm, lc, grid, level, alternative)
    consistent = bool(test["p_value"] >= level)
    sources = "market and capex" + (" with the evidence prior" if prior_log_density is not None else "") + \
        "".join(f", {item.name}" for item in extra)
    estimate = ElasticityEstimate(
        method=f"combined ({sources}; likelihood)", draws=combined,
        notes=(f"likelihoods on a grid of {grid.size} cells over 0-4, the shared nuisance (news size, "
               f"coverage, diffusion, trends) integrated jointly over {lm.shape[1]} draws",
               f"consistency: likelihood ratio {test['lr']:.2f}, p = {test['p_value']:.3g}; power "
               f"{test['power']:.2f} against elasticities {alternative:g} apart"),
    )
    p_above = float(densities["combined"][grid > 1.0].sum() * step)
    p_text = f"p = {test['p_value']:.2f}" if test["p_value"] >= 0.01 else f"p = {test['p_value']:.1e}"
    power_text = (f"the test's power against elasticities {alternative:g} apart is "
                  f"{test['power']:.0%}")
    m, c = alone["market"], alone["capex"]
    if consistent:
        verdict = (f"The market's {_fmt(m)} and the capex plans' {_fmt(c)} elasticities are "
                   f"consistent ({p_text}; {power_text}), so one elasticity can explain both: "
                   f"combined {_fmt(estimate)}.")
    else:
        verdict = (f"The market's {_fmt(m)} and the capex plans' {_fmt(c)} elasticities are not "
                   f"consistent ({p_text}; {power_text}), so no single elasticity explains both at "
                   f"the {level:.0%} level and the combined {_fmt(estimate)} is a compromise, not a "
                   "common value.")
    return LikelihoodCombination(
        estimate=estimate, consistent=consistent, statistic=test["median"], p_value=test["p_value"],
        verdict=verdict, market=m, capex=c, prior=prior, grid=grid, densities=densities,
        lr_statistic=test["lr"], difference_sd=test["sd"], consistency_power=test["power"],
        power_alternative=alternative, p_above_one=p_above,
        independent={k: v for k, v in alone.items() if k not in ("market", "capex")},
        draws_integrated=int(lm.shape[1]),
    )
