"""The capex-implied fit as of a date (:func:`fit_capex`) and its result (:class:`CapexFit`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.calibration.capex.assumptions import CapexAssumptions
from model.calibration.capex.grid_posterior import (
    Grid,
    Likelihood,
    grid_likelihood,
    log_growth_prior,
)
from model.calibration.capex.observations import Nuisance, Observations, plan_table
from model.calibration.estimate import ElasticityEstimate
from model.calibration.grid_density import (
    highest_density_level,
    interval_from_grid,
    log_mean_exp,
    normalise,
    quantiles_from_grid,
)
from model.calibration.inputs import check_as_of, market_prior
from model.calibration.market import MarketPrior
from model.constants import DEFAULT_AS_OF, EVENT_DATE, SEED
from model.dates import parse_date
from model.summary import Summary, interval_label, interval_text

SENSITIVITY_PRIORS = (None, (0.15, 0.40), (0.30, 0.40), (0.30, 0.20), (1.00, 0.40))
"""Priors on demand growth g (median, log sd; None: flat in log(1 + g)) of the sensitivity the
fit reports: the plans identify spend growth on the trend, the prior picks eps along the ridge."""


@dataclass(frozen=True)
class CapexFit:
    """The capex-implied fit as of a date (see the module docstring)."""

    as_of: pd.Timestamp
    plans: pd.DataFrame
    assumptions: CapexAssumptions
    grid: Grid
    likelihood: Likelihood
    posterior: np.ndarray  # cell probabilities, eps x log(1 + g)
    log_posterior: np.ndarray  # the same unnormalised, in logs (conditionals in the far tails)
    estimate: ElasticityEstimate
    reference_log_price_fall: float  # median of log P over the nuisance draws
    nuisance: Nuisance = field(repr=False)

    # marginals and profiles -----------------------------------------------------------------
    @property
    def elasticity_marginal(self) -> np.ndarray:
        return self.posterior.sum(axis=1)

    @property
    def log_growth_marginal(self) -> np.ndarray:
        return self.posterior.sum(axis=0)

    def growth_likelihood(self) -> np.ndarray:
        """Relative likelihood of eps from the growth figures alone (1 at its maximum), with
        log(1 + g) integrated out under a flat prior over the grid.

        Integrated rather than profiled: with the trend's log P uncertain, the ridges of the
        nuisance draws fan out away from eps = 1, which lowers the maximum over g of the averaged
        likelihood there without making those elasticities fit any worse.
        """
        integral = log_mean_exp(self.likelihood.growth, axis=1)
        return np.exp(integral - integral.max())

    def revision_likelihood(self) -> np.ndarray:
        """Relative likelihood of eps from the revisions alone (1 at its maximum)."""
        r = self.likelihood.revision
        return np.exp(r - r.max())

    def demand_growth_interval(self) -> tuple[float, float]:
        lo, hi = interval_from_grid(self.grid.log_growth, self.log_growth_marginal)
        return float(np.expm1(lo)), float(np.expm1(hi))

    def ridge_interval(self, draws: int = 20000, seed: int = SEED) -> tuple[float, float, float]:
        """Median and 95% interval of the identified combination log(1 + g) + (eps - 1) log P
        (log P at its median over the nuisance draws): the log growth of spend on the trend."""
        eps, big_g = self.sample(draws, np.random.default_rng([seed, 7]))
        c = big_g + (eps - 1.0) * self.reference_log_price_fall
        lo, mid, hi = np.quantile(c, [0.025, 0.5, 0.975])
        return float(mid), float(lo), float(hi)

    def mean_plan_growth(self) -> float:
        """Precision-weighted mean log growth of the plans over their base years (weights
        1 / (firm spread^2 + measurement sd^2)): where the ridge passes at eps = 1."""
        weights = 1.0 / (self.assumptions.firm_growth_sd**2 + self.plans["growth_sd"].to_numpy(float) ** 2)
        return float(np.average(self.plans["growth"].to_numpy(float), weights=weights))

    def ridge_elasticity(self, demand_growth) -> np.ndarray | float:
        """The elasticity at which the ridge through the mean plan growth meets demand growth
        ``demand_growth`` (a rate, vectorised), at the median log P:
        eps = 1 + (y - log(1 + g)) / log P."""
        eps = 1.0 + (self.mean_plan_growth() - np.log1p(demand_growth)) / self.reference_log_price_fall
        return float(eps) if np.ndim(eps) == 0 else eps

    def ridge_log_growth(self, elasticity) -> np.ndarray:
        """log(1 + g) on the ridge through the mean plan growth at each elasticity (median log P)."""
        return self.mean_plan_growth() - (np.asarray(elasticity, dtype=float) - 1.0) * self.reference_log_price_fall

    def news_contrast(self) -> tuple[float, float]:
        """Mean log growth of the plans made before the news and of those made after it."""
        post = self.plans["post_news"].to_numpy(bool)
        growth = self.plans["growth"].to_numpy(float)
        return float(growth[~post].mean()), float(growth[post].mean())

    def ridge_view(self, max_elasticity: float = 2.5,
                   growth_range: tuple[float, float] = (0.3, 8.0), mass: float = 0.95) -> dict:
        """What the ridge figure shows, on the window eps <= ``max_elasticity`` and
        1 + g inside ``growth_range``: ``elasticity`` and ``log_growth`` (the window's cells),
        ``relative_likelihood`` (the plans alone, scaled to 1 at the best g of each elasticity,
        shape eps x g), ``ridge`` (log(1 + g) on the ridge at the median log P), ``posterior``
        (cell probabilities in the window) and ``level`` (the probability above which the
        window's cells hold ``mass`` of it)."""
        show_e = self.grid.elasticity <= max_elasticity
        show_g = (self.grid.log_growth > np.log(growth_range[0])) & (self.grid.log_growth < np.log(growth_range[1]))
        column = self.likelihood.growth[show_e][:, show_g]
        posterior = self.posterior[np.ix_(show_e, show_g)]
        eps = self.grid.elasticity[show_e]
        return {"elasticity": eps, "log_growth": self.grid.log_growth[show_g],
                "relative_likelihood": np.exp(column - column.max(axis=1, keepdims=True)),
                "ridge": self.ridge_log_growth(eps), "posterior": posterior,
                "level": highest_density_level(posterior, mass)}

    # draws --------------------------------------------------------------------------------
    def sample(self, draws: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Joint draws of (eps, log(1 + g)) from the grid posterior, uniform within cells."""
        cells = rng.choice(self.posterior.size, size=draws, p=self.posterior.ravel())
        i, j = np.divmod(cells, self.grid.log_growth.size)
        jitter = rng.uniform(-0.5, 0.5, size=(2, draws))
        eps = self.grid.elasticity[i] + jitter[0] * self.grid.elasticity_step
        big_g = self.grid.log_growth[j] + jitter[1] * self.grid.log_growth_step
        return eps, big_g

    def demand_growth_given(self, elasticity, rng: np.random.Generator | None = None) -> np.ndarray:
        """Draws of g from the posterior conditional on each elasticity (vectorised).

        The capex plans tie g to eps along the ridge, so forecasts must draw g given eps, not
        independently.
        """
        rng = rng or np.random.default_rng(SEED)
        eps = np.asarray(elasticity, dtype=float)
        lo = self.assumptions.elasticity_range[0]
        row = np.clip(((eps - lo) / self.grid.elasticity_step).astype(int), 0, self.grid.elasticity.size - 1)
        rows = self.log_posterior[row]                                         # (n, G)
        conditional = np.exp(rows - rows.max(axis=1, keepdims=True))
        cdf = np.cumsum(conditional, axis=1)
        cdf /= cdf[:, -1:]
        u = rng.uniform(size=eps.shape)
        col = np.minimum((cdf < u[..., None]).sum(axis=-1), self.grid.log_growth.size - 1)
        big_g = self.grid.log_growth[col] + rng.uniform(-0.5, 0.5, eps.shape) * self.grid.log_growth_step
        return np.expm1(big_g)

    # levels for the forecasts -------------------------------------------------------------------
    @property
    def first_year(self) -> pd.DataFrame:
        """The rows of the first year after the news (the 2025 plans, or their actuals)."""
        year = self.plans["year"] if "year" in self.plans else pd.Series(2025, index=self.plans.index)
        return self.plans[year == 2025]

    def base_level(self) -> tuple[float, str]:
        """Sum of the 2024 (base-year) capex of the firms with a 2025 figure (USD bn), a label."""
        rows = self.first_year
        firms = ", ".join(f"{r.firm} {r.base:.1f}" for r in rows.itertuples())
        return float(rows["base"].sum()), f"2024 capex known by {self.as_of:%Y-%m-%d} ({firms})"

    def guidance_total(self) -> tuple[float, str]:
        """Sum of the firms' latest 2025 plans (USD bn; a range at its midpoint; never the
        actual) and a label."""
        rows = self.first_year
        column, label = ("guidance", "guidance_label") if "guidance" in rows else ("plan", "plan_label")
        firms = ", ".join(f"{r.firm} {getattr(r, label)}" for r in rows.itertuples())
        return float(rows[column].sum()), f"2025 capex plans as forecast ({firms})"

    # reporting -----------------------------------------------------------------------------------
    def identification(self) -> dict:
        """What the capex plans identify, as JSON-ready numbers and sentences."""
        mid, lo, hi = self.ridge_interval()
        growth_only = self.growth_likelihood()
        inside = self.grid.elasticity[growth_only >= np.exp(-1.92)]  # likelihood-ratio 95% set
        rev = self.revision_likelihood()
        rev_inside = self.grid.elasticity[rev >= np.exp(-1.92)]
        g_lo, g_hi = self.demand_growth_interval()
        a = self.assumptions
        return {
            "identified": "the growth of spend on the trend, log(1+g) + (eps-1) log P, from the "
                          "figures known at the date (latest plan vintages, actuals once reported, "
                          "next-year plans once stated); eps and g only along a ridge, separated by "
                          "the revisions against the street, the contrast of pre- and post-news "
                          "figures and the prior on g",
            "spend_growth_on_trend": {"median": float(np.expm1(mid)),
                                      "interval": [float(np.expm1(lo)), float(np.expm1(hi))],
                                      "log_price_fall_per_year": self.reference_log_price_fall},
            "growth_only_set": [float(inside.min()), float(inside.max())],
            "revision_only_set": [float(rev_inside.min()), float(rev_inside.max())],
            "demand_growth": {"median": float(np.expm1(quantiles_from_grid(
                self.grid.log_growth, self.log_growth_marginal, 0.5))), "interval": [g_lo, g_hi]},
            "growth_prior": ("flat in log(1+g)" if a.growth_prior_median is None else
                             {"median": a.growth_prior_median, "log_sd": a.growth_prior_log_sd}),
            "growth_prior_sensitivity": [
                {"prior": "flat in log(1+g)" if np.isnan(r.prior_median) else
                 {"median": r.prior_median, "log_sd": r.prior_log_sd},
                 "elasticity": r.elasticity, "interval": [r.low, r.high]}
                for r in growth_prior_sensitivity(self, SENSITIVITY_PRIORS).itertuples()],
            "firms": [
                {"firm": r.firm, "plan": r.plan, "plan_as_of": f"{r.plan_as_of:%Y-%m-%d}",
                 "kind": getattr(r, "kind", "plan"), "year": int(getattr(r, "year", 2025)),
                 "base": r.base, "growth": float(np.expm1(r.growth)), "post_news": bool(r.post_news),
                 "revision": None if np.isnan(r.revision) else float(np.expm1(r.revision))}
                for r in self.plans.itertuples()
            ],
        }

    def summary(self) -> Summary:
        """The capex-implied estimate and what identifies it."""
        ident = self.identification()
        g_lo, g_hi = self.demand_growth_interval()
        rows = [*self.estimate.summary().rows,
                (interval_label("demand growth a year"), interval_text((g_lo, g_hi))),
                ("plans used", len(self.plans))]
        return Summary.of(f"Capex-implied elasticity, as of {self.as_of:%Y-%m-%d}", rows,
                          notes=(f"Identified: {ident['identified']}.",))

    def to_dict(self) -> dict:
        """The estimate and its identification as JSON-ready values."""
        return self.estimate.to_dict() | self.identification()


def fit_capex(as_of=DEFAULT_AS_OF, *, draws: int = 4000, seed: int = SEED,
              assumptions: CapexAssumptions | None = None, prior: MarketPrior | None = None,
              plans: pd.DataFrame | None = None) -> CapexFit:
    """The capex-implied elasticity with what was known on ``as_of``.

    Parameters
    ----------
    as_of
        Information cutoff: facts rows dated later are not read.
    draws, seed
        Size and seed of the posterior sample in ``estimate`` (the nuisance draws use
        ``[seed, 1]``-style streams of :func:`~model.calibration.market.draw_market_inputs`).
    assumptions
        :class:`CapexAssumptions` (defaults documented there).
    prior
        The trends and the news prior (default: :func:`model.calibration.inputs.market_prior`
        as of ``as_of``, so both elasticity estimates integrate the same uncertainties).
    plans
        A :func:`plan_table` to use instead of the facts (tests, exercises).
    """
    stamp = parse_date(as_of, "as_of") if plans is not None else _stamp(as_of)
    table = plan_table(stamp) if plans is None else plans
    a = assumptions or CapexAssumptions()
    prior = prior or market_prior(check_as_of(stamp))
    nuisance = Nuisance.from_prior(prior, a.nuisance_draws, seed, a.horizon_years)
    return fit_observations(Observations.from_table(table), nuisance, a, stamp, table, draws, seed)


def _stamp(as_of) -> pd.Timestamp:
    stamp = parse_date(as_of, "as_of")
    plan_table(stamp)  # the capex facts must be known before anything else is read
    return stamp


def fit_observations(obs: Observations, nuisance: Nuisance, assumptions: CapexAssumptions,
                     as_of: pd.Timestamp, table: pd.DataFrame, draws: int = 4000,
                     seed: int = SEED) -> CapexFit:
    """The grid posterior for given observations and nuisance draws (the testable core)."""
    a = assumptions
    grid = Grid.from_assumptions(a)
    like = grid_likelihood(obs, nuisance, grid, a.firm_growth_sd, a.revision_noise_sd,
                           a.street_gap, a.use_revisions)
    log_post = like.joint + log_growth_prior(grid, a.growth_prior_median, a.growth_prior_log_sd)[None, :]
    posterior = normalise(log_post)
    fit = CapexFit(as_of=as_of, plans=table, assumptions=a, grid=grid, likelihood=like,
                   posterior=posterior, log_posterior=log_post, estimate=ElasticityEstimate("capex-implied", np.empty(0)),
                   reference_log_price_fall=float(np.median(nuisance.log_price_fall)),
                   nuisance=nuisance)
    eps, _ = fit.sample(draws, np.random.default_rng([seed, 6]))
    post_news = int(np.sum(obs.growth_post_news))
    notes = (
        f"{obs.growth.size} plans ({post_news} made after the news of {EVENT_DATE}), "
        f"{int(obs.revision.size if a.use_revisions else 0)} revisions against the street",
        "prior: eps flat on "
        f"{a.elasticity_range[0]:g}-{a.elasticity_range[1]:g}; "
        + ("log(1+g) flat" if a.growth_prior_median is None else
           f"1+g lognormal, median {1 + a.growth_prior_median:.2f}, log sd {a.growth_prior_log_sd:.2f}"),
    )
    return replace(fit, estimate=ElasticityEstimate("capex-implied", eps, 0.0, notes))


def growth_prior_sensitivity(fit: CapexFit, priors) -> pd.DataFrame:
    """The eps marginal under other priors on g (no refit: the likelihood grid is reused).

    ``priors`` is a sequence of (median, log_sd) pairs, or None for a flat prior in log(1 + g).
    Returns one row per prior: prior_median, prior_log_sd, elasticity (median), low, high,
    growth_median, growth_low, growth_high.
    """
    rows = []
    for prior in priors:
        median, log_sd = (None, np.nan) if prior is None else prior
        post = normalise(fit.likelihood.joint + log_growth_prior(fit.grid, median, log_sd)[None, :])
        e_marg, g_marg = post.sum(axis=1), post.sum(axis=0)
        e_lo, e_hi = interval_from_grid(fit.grid.elasticity, e_marg)
        g_lo, g_hi = interval_from_grid(fit.grid.log_growth, g_marg)
        rows.append({
            "prior_median": np.nan if median is None else median, "prior_log_sd": log_sd,
            "elasticity": float(quantiles_from_grid(fit.grid.elasticity, e_marg, 0.5)),
            "low": e_lo, "high": e_hi,
            "growth_median": float(np.expm1(quantiles_from_grid(fit.grid.log_growth, g_marg, 0.5))),
            "growth_low": float(np.expm1(g_lo)), "growth_high": float(np.expm1(g_hi)),
        })
    return pd.DataFrame(rows)


def assumption_variants(as_of, variants: dict[str, dict], *, prior: MarketPrior | None = None,
                        draws: int = 4000, seed: int = SEED) -> dict[str, CapexFit]:
    """The capex fit refitted under each variant of the assumptions: ``variants`` maps a label to
    the :class:`CapexAssumptions` fields it changes (``{}`` for the defaults)."""
    return {name: fit_capex(as_of, draws=draws, seed=seed, prior=prior,
                            assumptions=replace(CapexAssumptions(), **change))
            for name, change in variants.items()}  # a handful of refits: a loop over structure
