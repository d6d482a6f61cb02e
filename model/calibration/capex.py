"""Capex-implied elasticity: what the hyperscalers' 2025 capex plans say about the elasticity.

In the isoelastic model compute spend grows on the trend by

    X(t+1) / X(t) = (1 + g) P^(eps - 1),        P = 2^(1/T_hw + 1/T_alg),

where P is the yearly fall of the price of useful work (hardware price-performance times
algorithmic efficiency) and g the growth of demand at a constant price. A plan made after news of
an efficiency shock of size S covering a share phi of demand also carries the Jevons factor of the
part of the shock adopted by the plan's horizon, w (see :mod:`model.engine.efficiency`):

    J(eps) = 1 - phi w + phi w S^(eps - 1).

So the log growth a plan implies over its base year is

    y = log(1 + g) + (eps - 1) log P + [post-news] log J(eps) + firm effect + measurement error.

**What is and is not identified.** One growth figure fixes only log(1 + g) + (eps - 1) log P:
a ridge in the (eps, g) plane along which a higher elasticity is offset by slower demand growth.
Plans alone cannot separate the two. Three things can, each under a stated assumption:

* the **revision** of a plan against the street's expectation just before it (Meta's 60-65 against
  51.3, Alphabet's 75 against 59.7). The expectation already contained g and the trend, so the
  ratio plan/expectation holds only the news term log J(eps) plus other news (Q4 results, say) and
  any habitual gap between street and plan. With the gap estimated from plans made *before* the
  DeepSeek news (Meta's), the difference of revisions identifies log J(eps) (a
  difference-in-differences of two firms: weak);
* the **contrast** of plans made before the news (Microsoft 3 January, Meta 24 January) and after
  it (Alphabet 4 February, Amazon 6 February), against firm-to-firm differences in demand growth;
* a **prior on g**: because P is large (about 3.7 a year on the trend), a moderate prior on g pins
  the elasticity close to the value that makes the trend reproduce the planned growth. The result
  then depends on that prior; :func:`growth_prior_sensitivity` shows how much.

The posterior over (eps, g) is computed on a grid (vectorised; the uncertain trends, the news size
S, its coverage phi and diffusion are integrated out by Monte Carlo with the market-implied
estimate's own prior, :class:`model.calibration.market.MarketPrior`). Its marginal for eps is
reported as an :class:`~model.calibration.estimate.ElasticityEstimate` whose draws come from the
grid posterior with a seeded generator.

The as-of rule: only facts rows dated on or before ``as_of`` are read (:func:`plan_table`); a
firm enters when its plan and its base-year capex are both known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.calibration.inputs import check_as_of, market_prior
from model.calibration.market import MarketPrior, draw_market_inputs
from model.constants import DEFAULT_AS_OF, EVENT_DATE, SEED
from model.data.facts import load_facts
from model.dates import parse_date
from model.engine.closed_forms import jevons_factor
from model.engine.efficiency import diffusion_weight
from model.errors import JevonsError

LN2 = float(np.log(2.0))
_SQRT12 = float(np.sqrt(12.0))


# --- which facts play which role -----------------------------------------------------------------
@dataclass(frozen=True)
class PlanSpec:
    """Where one hyperscaler's plan, base-year capex and street expectation live in the facts.

    ``plan`` is one id (a point) or two (``_low``, ``_high``: a range). ``plan_rounding`` is the
    rounding unit (USD bn) of a point plan stated as "about X" (0 for an exact or derived figure).
    ``base`` is one id, or (total, minus ids...) for a base derived as a total minus the other
    firms. ``base_rounding`` is the base figure's rounding unit, ``base_basis_sd`` an extra log
    standard deviation for a base whose definition is uncertain. ``street`` is the id of the
    street's expectation published just before the plan (None if the tables have none).
    """

    firm: str
    period: str
    plan: tuple[str, ...]
    base: tuple[str, ...]
    plan_rounding: float = 0.0
    base_rounding: float = 0.0
    base_basis_sd: float = 0.0
    street: str | None = None


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        firm="Microsoft", period="fiscal year Jul 2024-Jun 2025",
        plan=("capex_guidance_fy2025_microsoft",), plan_rounding=5.0,
        # Microsoft's fiscal-2024 capex is not in the facts tables (and its calendar Q2 is missing
        # from the SEC XBRL file): derived as Yahoo's four-firm 2024 total minus the other three
        # firms on the same basis. Yahoo's total counts Microsoft's 80 as its 2025 figure, so the
        # derived base is Microsoft's preceding year on Yahoo's basis; FY vs calendar year and the
        # treatment of finance leases are uncertain: a 5% basis error (log sd 0.05).
        base=("capex_2024_big4_yahoo", "capex_2024_meta", "capex_2024_alphabet", "capex_2024_amazon"),
        base_rounding=1.0, base_basis_sd=0.05,
    ),
    PlanSpec(
        firm="Meta", period="calendar 2025",
        plan=("capex_guidance_2025_meta_low", "capex_guidance_2025_meta_high"),
        base=("capex_2024_meta",), base_rounding=0.01,
        street="capex_consensus_2025_meta_before_guidance",
    ),
    PlanSpec(
        firm="Alphabet", period="calendar 2025",
        plan=("capex_guidance_2025_alphabet",), plan_rounding=5.0,
        base=("capex_2024_alphabet",), base_rounding=0.1,
        street="capex_consensus_2025_alphabet_visible_alpha",
    ),
    PlanSpec(
        firm="Amazon", period="calendar 2025",
        # the used row is the Q4 run-rate x 4 (net cash capex); its variant (the press's ~100)
        # gives the measurement range
        plan=("capex_guidance_2025_amazon",),
        base=("capex_2024_amazon",), base_rounding=1.0,
    ),
)


# --- assumptions ---------------------------------------------------------------------------------
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


# --- the observations ----------------------------------------------------------------------------
def _log_sd_uniform(low: float, high: float) -> float:
    """Log sd of a quantity known only to lie in [low, high] (uniform)."""
    return float(np.log(high / low) / _SQRT12) if high > low else 0.0


def _rounding_sd(value: float, unit: float) -> float:
    return _log_sd_uniform(value - unit / 2.0, value + unit / 2.0) if unit > 0 else 0.0


def _point(facts: pd.DataFrame, ids: tuple[str, ...], rounding: float) -> dict | None:
    """A plan or expectation from its facts rows: centre, range, log sd, date (None if unknown)."""
    rows = facts.set_index("id")
    if any(i not in rows.index for i in ids):
        return None
    values = [float(rows.loc[i, "value"]) for i in ids]
    dates = [rows.loc[i, "as_of"] for i in ids]
    if len(ids) == 2:
        low, high = sorted(values)
        centre, label = 0.5 * (low + high), f"{low:g}-{high:g}"
    else:
        centre = values[0]
        # variants of the used row known by then (same period, another source or framing)
        variants = facts.loc[facts["variant_of"] == ids[0], "value"].astype(float).tolist()
        low, high = min([centre, *variants]), max([centre, *variants])
        label = f"{centre:g}" + (f" (variants {', '.join(f'{v:g}' for v in variants)})" if variants else "")
    sd = float(np.hypot(_log_sd_uniform(low, high), _rounding_sd(centre, rounding)))
    return {"value": centre, "low": low, "high": high, "log_sd": sd, "as_of": max(dates),
            "label": label, "ids": ",".join(ids)}


def plan_table(as_of, plans: tuple[PlanSpec, ...] = PLANS, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per hyperscaler whose plan and base-year capex are both known on ``as_of``.

    Columns: firm, period, plan, plan_low, plan_high, plan_label, plan_as_of, base, base_as_of,
    base_label, growth (log of plan/base), growth_sd (measurement), post_news (plan dated on or
    after the news of 27 January 2025), street, street_as_of, revision (log of plan/street, NaN
    without a street figure), revision_sd.

    Raises
    ------
    JevonsError
        When no firm has both figures by ``as_of``.
    """
    stamp = parse_date(as_of, "as_of")
    facts = load_facts(stamp) if facts is None else facts[facts["as_of"] <= stamp]
    news = pd.Timestamp(EVENT_DATE)
    rows = []
    for spec in plans:  # four firms: a loop over structure, not over draws
        plan = _point(facts, spec.plan, spec.plan_rounding)
        base_parts = _point(facts, spec.base[:1], spec.base_rounding) if spec.base else None
        if plan is None or base_parts is None:
            continue
        base, base_as_of, base_label = base_parts["value"], base_parts["as_of"], spec.base[0]
        if len(spec.base) > 1:  # a total minus the other firms
            others = [_point(facts, (i,), 0.0) for i in spec.base[1:]]
            if any(o is None for o in others):
                continue
            base -= sum(o["value"] for o in others)
            base_as_of = max([base_as_of, *(o["as_of"] for o in others)])
            base_label = f"{spec.base[0]} - " + " - ".join(spec.base[1:])
        base_sd = float(np.hypot(_rounding_sd(base, spec.base_rounding), spec.base_basis_sd))
        street = _point(facts, (spec.street,), 0.0) if spec.street else None
        rows.append({
            "firm": spec.firm, "period": spec.period,
            "plan": plan["value"], "plan_low": plan["low"], "plan_high": plan["high"],
            "plan_label": plan["label"], "plan_as_of": plan["as_of"], "plan_ids": plan["ids"],
            "base": base, "base_as_of": base_as_of, "base_label": base_label,
            "growth": float(np.log(plan["value"] / base)),
            "growth_sd": float(np.hypot(plan["log_sd"], base_sd)),
            "post_news": bool(plan["as_of"] >= news),
            "street": np.nan if street is None else street["value"],
            "street_as_of": pd.NaT if street is None else street["as_of"],
            "revision": np.nan if street is None else float(np.log(plan["value"] / street["value"])),
            "revision_sd": np.nan if street is None else float(np.hypot(plan["log_sd"], street["log_sd"])),
        })
    if not rows:
        raise JevonsError(
            f"capex-implied elasticity as of {stamp:%Y-%m-%d}: no hyperscaler has both a 2025 capex "
            "plan and its 2024 capex in the facts tables by then (data/facts/capex.csv); choose a "
            "later as_of"
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Observations:
    """The numbers the likelihood sees (arrays over firms), independent of the facts tables."""

    growth: np.ndarray
    growth_sd: np.ndarray
    growth_post_news: np.ndarray
    revision: np.ndarray
    revision_sd: np.ndarray
    revision_post_news: np.ndarray

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Observations:
        rev = table[table["revision"].notna()]
        return cls(
            growth=table["growth"].to_numpy(float), growth_sd=table["growth_sd"].to_numpy(float),
            growth_post_news=table["post_news"].to_numpy(bool),
            revision=rev["revision"].to_numpy(float), revision_sd=rev["revision_sd"].to_numpy(float),
            revision_post_news=rev["post_news"].to_numpy(bool),
        )


@dataclass(frozen=True)
class Nuisance:
    """Draws of what the fit integrates out: log P (the yearly fall of the price of useful work,
    log scale), the news size S, its coverage phi and the share w of it adopted by the plans'
    horizon."""

    log_price_fall: np.ndarray
    factor: np.ndarray
    coverage: np.ndarray
    adopted: np.ndarray

    @classmethod
    def from_prior(cls, prior: MarketPrior, draws: int, seed: int, horizon_years: float) -> Nuisance:
        inputs = draw_market_inputs(prior, draws, seed)
        log_fall = LN2 * (1.0 / inputs["hardware_doubling_years"] + 1.0 / inputs["efficiency_doubling_years"])
        adopted = diffusion_weight(np.asarray(horizon_years, dtype=float), 0.0,
                                   inputs["diffusion_years"], "logistic")
        return cls(log_fall, inputs["factor"], inputs["coverage"], np.asarray(adopted, dtype=float))

    def log_jevons(self, eps: np.ndarray) -> np.ndarray:
        """log J(eps) for every eps (rows) and draw (columns)."""
        share = (self.coverage * self.adopted)[None, :]
        return np.log(jevons_factor(np.asarray(eps, dtype=float)[:, None], self.factor[None, :], share))


# --- the grid posterior --------------------------------------------------------------------------
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


def _log_mean_exp(x: np.ndarray, axis: int) -> np.ndarray:
    """log(mean(exp(x))) along ``axis``, stable (x holds no NaN; -inf only where all are)."""
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.log(np.mean(np.exp(x - top), axis=axis)) + np.squeeze(top, axis=axis)


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
        growth[lo:hi] = _log_mean_exp(ll, axis=2)
        joint[lo:hi] = _log_mean_exp(ll + rev[lo:hi, None, :], axis=2)
    return Likelihood(joint=joint, growth=growth, revision=_log_mean_exp(rev, axis=1))


def log_growth_prior(grid: Grid, median: float | None, log_sd: float) -> np.ndarray:
    """Log prior density of log(1 + g) on the grid (flat when ``median`` is None)."""
    if median is None:
        return np.zeros_like(grid.log_growth)
    return -0.5 * ((grid.log_growth - np.log1p(median)) / log_sd) ** 2


def normalise(log_density: np.ndarray) -> np.ndarray:
    """Probabilities of the grid cells from log densities (equal cells)."""
    p = np.exp(log_density - np.max(log_density))
    return p / p.sum()


def quantiles_from_grid(values: np.ndarray, probabilities: np.ndarray, q) -> np.ndarray:
    """Quantiles of a distribution given by equal cells (midpoints ``values``) and their
    probabilities: the CDF is linear within a cell."""
    step = values[1] - values[0]
    edges = np.append(values - step / 2.0, values[-1] + step / 2.0)
    cdf = np.concatenate([[0.0], np.cumsum(probabilities)])
    return np.interp(q, cdf, edges)


def interval_from_grid(values: np.ndarray, probabilities: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Central interval of a grid distribution (see :func:`quantiles_from_grid`)."""
    tail = (1.0 - level) / 2.0
    lo, hi = quantiles_from_grid(values, probabilities, [tail, 1.0 - tail])
    return float(lo), float(hi)


# --- the fit -------------------------------------------------------------------------------------
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
        integral = _log_mean_exp(self.likelihood.growth, axis=1)
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
    def base_level(self) -> tuple[float, str]:
        """Sum of the base-year capex of the firms in the fit (USD bn) and a label."""
        firms = ", ".join(f"{r.firm} {r.base:.1f}" for r in self.plans.itertuples())
        return float(self.plans["base"].sum()), f"2024 capex known by {self.as_of:%Y-%m-%d} ({firms})"

    def guidance_total(self) -> tuple[float, str]:
        """Sum of the firms' 2025 plans (USD bn; a range at its midpoint) and a label."""
        firms = ", ".join(f"{r.firm} {r.plan_label}" for r in self.plans.itertuples())
        return float(self.plans["plan"].sum()), f"2025 capex plans as forecast ({firms})"

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
            "identified": "the growth of spend on the trend, log(1+g) + (eps-1) log P; eps and g "
                          "only along a ridge, separated by the revisions against the street, the "
                          "contrast of pre- and post-news plans and the prior on g",
            "spend_growth_on_trend": {"median": float(np.expm1(mid)),
                                      "interval": [float(np.expm1(lo)), float(np.expm1(hi))],
                                      "log_price_fall_per_year": self.reference_log_price_fall},
            "growth_only_set": [float(inside.min()), float(inside.max())],
            "revision_only_set": [float(rev_inside.min()), float(rev_inside.max())],
            "demand_growth": {"median": float(np.expm1(quantiles_from_grid(
                self.grid.log_growth, self.log_growth_marginal, 0.5))), "interval": [g_lo, g_hi]},
            "growth_prior": ("flat in log(1+g)" if a.growth_prior_median is None else
                             {"median": a.growth_prior_median, "log_sd": a.growth_prior_log_sd}),
            "firms": [
                {"firm": r.firm, "plan": r.plan, "plan_as_of": f"{r.plan_as_of:%Y-%m-%d}",
                 "base": r.base, "growth": float(np.expm1(r.growth)), "post_news": bool(r.post_news),
                 "revision": None if np.isnan(r.revision) else float(np.expm1(r.revision))}
                for r in self.plans.itertuples()
            ],
        }

    def summary(self) -> dict:
        return self.estimate.summary() | self.identification()


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
