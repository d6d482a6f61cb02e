"""Market-implied elasticity: the elasticity at which the valuation link reproduces the abnormal
return of 27 January 2025.

For news of an efficiency shock of size S covering a share phi of demand, the predicted return
rises with the elasticity (below 1 the shock destroys revenue, above 1 it creates it), so each
abnormal return maps to one elasticity. :func:`solve_elasticity` inverts the valuation link by
vectorised bisection over all draws and grid points at once. The uncertainty carried through:

* the abnormal return: the event-day estimate minus a resampled estimation-window residual sum
  (the noise an ordinary day adds; heavy tails kept, no normality assumed);
* the news itself: S and phi (a grid, or a prior for the headline number);
* the valuation and trend parameters (discount rate, terminal growth, custom-silicon drift,
  hardware and algorithmic doubling times, demand growth), drawn from :class:`MarketPrior`.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration.estimate import ElasticityEstimate
from model.constants import EVENT_YEAR, SEED
from model.engine.params import Params, Segment, ValueCapture
from model.engine.valuation import Valuation, mean_adoption_weight, predicted_return, with_news

ELASTICITY_RANGE = (0.0, 4.0)  # search range; draws outside it are reported as unsolved
_BISECTION_STEPS = 36  # 4 / 2^36 < 1e-10
GRID_BISECTION_STEPS = 22
"""Bisection steps of :func:`implied_grid`: 4 / 2^22 < 1e-6, far below the two decimals its
table prints (fewer engine calls: the grid was most of the fit's time)."""


@dataclass(frozen=True)
class MarketPrior:
    """Uncertain inputs of the market-implied elasticity, with sources.

    Ranges are for uniform draws unless a median and log-sd are given (lognormal).
    """

    factor_median: float = float(np.sqrt(11.0 * 27.0))
    """News size S, median: geometric mean of DeepSeek-V3's ~11x fewer GPU-hours than Llama 3.1
    405B (DESIGN.md section 2) and R1's ~27x lower API price than o1 (15/0.55 and 60/2.19 USD per
    1M tokens; facts deepseek.csv)."""
    factor_log_sd: float = float(np.log(27.0 / 11.0) / 2.0)
    """News size S, log-sd: 11x and 27x sit one standard deviation either side of the median."""
    coverage: tuple[float, float] = (0.3, 1.0)
    """Share phi of compute demand the news applies to (assumption)."""
    diffusion_years: tuple[float, float] = (0.5, 2.0)
    """Years to half adoption of the new methods (assumption)."""
    discount_rate: tuple[float, float] = (0.08, 0.12)
    """See :class:`model.engine.valuation.Valuation`."""
    terminal_growth: tuple[float, float] = (0.02, 0.04)
    """See :class:`model.engine.valuation.Valuation`."""
    nvidia_share_drift: tuple[float, float] = (-0.03, 0.0)
    """Yearly change of Nvidia's share of accelerator spend (custom silicon; assumption)."""
    hardware_doubling_years: tuple[float, float] = (2.24, 2.72)
    """Epoch AI 2022, all GPUs: 95% CI of the FLOP/s-per-dollar doubling time."""
    efficiency_doubling_median: float = 0.67
    """Ho et al. 2024: compute for fixed LLM performance halves every ~8 months."""
    efficiency_doubling_log_sd: float = float(np.log(14.0 / 5.0) / (2 * 1.96))
    """Ho et al. 2024: 95% CI 5-14 months."""
    spend_growth: tuple[float, float] = (0.15, 0.45)
    """Growth of compute spend per year the market expected before the news, 2025-2035.
    Assumption bracketed by expectations published before 10 February 2025: street estimates of
    2025 capex of +14% (Alphabet, 59.7 vs 52.5 USD bn) and +31% (Meta, 51.3 vs 39.2), and the
    Big-4 plans of +46% (Yahoo Finance, 325 vs 223, 2025-02-08); facts capex.csv."""

    @property
    def factor_ratio(self) -> float:
        """How uncertain the news size is, as a factor: ``exp(2 log-sd)``, the ratio of the two
        anchors that sit one log-sd either side of the median."""
        return float(np.exp(2 * self.factor_log_sd))

    def factor_interval(self, z: float = 1.96) -> tuple[float, float]:
        """The central interval of the news size S, ``median x exp(-/+ z log-sd)`` (95% for
        the default ``z``)."""
        low, high = np.exp(np.log(self.factor_median) + np.array([-z, z]) * self.factor_log_sd)
        return float(low), float(high)


def draw_market_inputs(prior: MarketPrior, n: int, seed: int, news: bool = True) -> dict[str, np.ndarray]:
    """Draw the uncertain inputs (one independent stream per input, so adding one moves no other)."""
    names = ["coverage", "diffusion_years", "discount_rate", "terminal_growth", "nvidia_share_drift",
             "hardware_doubling_years", "spend_growth"]
    out: dict[str, np.ndarray] = {}
    for k, name in enumerate(names):
        lo, hi = getattr(prior, name)
        out[name] = np.random.default_rng([seed, 1, k]).uniform(lo, hi, n)
    out["efficiency_doubling_years"] = np.random.default_rng([seed, 2]).lognormal(
        np.log(prior.efficiency_doubling_median), prior.efficiency_doubling_log_sd, n)
    if news:
        out["factor"] = np.random.default_rng([seed, 3]).lognormal(
            np.log(prior.factor_median), prior.factor_log_sd, n)
    return out


@dataclass(frozen=True)
class PreNews:
    """What the market expected before the news: trends and the expected growth of spend.

    The demand shifter's growth is not free: for each elasticity it is set so the pre-news spend
    path grows at ``spend_growth`` (see :func:`demand_growth_for`). So every elasticity starts
    from the same expected revenue path, and the news changes that path by the Jevons
    multiplier: the predicted return then rises monotonically with the elasticity.
    """

    template: Params
    spend_growth: np.ndarray

    def at(self, elasticity: np.ndarray) -> Params:
        seg = self.template.segments[0]
        growth = demand_growth_for(elasticity, self.spend_growth, self.template.hardware_doubling_years,
                                   seg.efficiency_doubling_years)
        seg = dataclasses.replace(seg, elasticity=elasticity, growth=growth)
        return dataclasses.replace(self.template, segments=(seg,))


def demand_growth_for(elasticity, spend_growth, hardware_doubling_years, efficiency_doubling_years):
    """Demand growth g that makes isoelastic spend grow at ``spend_growth`` on the trend.

    Spend grows by (1 + g) P^(eps - 1) a year, where P = 2^(1/T_hw + 1/T_alg) is the yearly fall
    of the price of useful work; so 1 + g = (1 + spend_growth) P^(1 - eps).
    """
    log_fall = np.log(2.0) * (1.0 / np.asarray(hardware_doubling_years) + 1.0 / np.asarray(efficiency_doubling_years))
    return (1.0 + np.asarray(spend_growth)) * np.exp((1.0 - np.asarray(elasticity)) * log_fall) - 1.0


def pre_news(inputs: dict[str, np.ndarray], start: int = 2024, end: int = 2035) -> PreNews:
    """The pre-news model: one isoelastic segment with the drawn trends (elasticity set later)."""
    template = Params(
        name="pre-news",
        start=start,
        end=end,
        hardware_doubling_years=inputs["hardware_doubling_years"],
        segments=(Segment("all", 1.0, 1.0, inputs["efficiency_doubling_years"], 0.0),),
        value_capture=ValueCapture(nvidia_share_drift=inputs["nvidia_share_drift"]),
    )
    return PreNews(template, inputs["spend_growth"])


def solve_elasticity(target: np.ndarray, before: PreNews, factor, coverage, diffusion_years,
                     valuation: Valuation, *, variable: str = "nvidia_dc_revenue", exposure=None,
                     news_date: float = EVENT_YEAR,
                     bounds: tuple[float, float] = ELASTICITY_RANGE,
                     steps: int = _BISECTION_STEPS) -> np.ndarray:
    """Elasticity at which the predicted return equals ``target`` (NaN where none in ``bounds``).

    All arguments broadcast to the length of ``target``; one vectorised bisection of ``steps``
    halvings (precision ``(high - low) / 2^steps``) solves every draw and grid point together.
    """
    target = np.asarray(target, dtype=float)
    n = target.size

    def gap(eps: np.ndarray) -> np.ndarray:
        pre = before.at(eps)
        post = with_news(pre, factor, coverage, diffusion_years, news_date)
        return predicted_return(pre, post, valuation, variable, exposure, news_date) - target

    lo = np.full(n, bounds[0])
    hi = np.full(n, bounds[1])
    solvable = (gap(lo) <= 0) & (gap(hi) >= 0)
    for _ in range(steps):  # iterations; all draws move together
        mid = 0.5 * (lo + hi)
        below = gap(mid) < 0
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return np.where(solvable, 0.5 * (lo + hi), np.nan)


def valuation_from(inputs: dict[str, np.ndarray], base: Valuation | None = None) -> Valuation:
    return dataclasses.replace(base or Valuation(), discount_rate=inputs["discount_rate"],
                               terminal_growth=inputs["terminal_growth"])


def implied_estimate(abnormal_return: float, residual_sums: np.ndarray, prior: MarketPrior | None = None,
                     draws: int = 4000, seed: int = SEED, valuation: Valuation | None = None,
                     method: str = "market-implied (NVDA)") -> ElasticityEstimate:
    """Headline market-implied elasticity: news size and coverage drawn from the prior.

    ``residual_sums`` are estimation-window abnormal-return sums over windows as long as the
    event window: resampling them gives the noise around the event-day estimate.
    """
    prior = prior or MarketPrior()
    inputs = draw_market_inputs(prior, draws, seed)
    noise = np.random.default_rng([seed, 4]).choice(np.asarray(residual_sums, dtype=float), draws)
    target = abnormal_return - noise
    eps = solve_elasticity(target, pre_news(inputs), inputs["factor"], inputs["coverage"],
                           inputs["diffusion_years"], valuation_from(inputs, valuation))
    solved = np.isfinite(eps)
    return ElasticityEstimate(
        method=method,
        draws=eps[solved],
        unsolved_share=float(1.0 - solved.mean()),
        notes=(f"abnormal return {abnormal_return:+.4f} with resampled estimation-window noise",
               f"news size S lognormal, median {prior.factor_median:.1f}; coverage phi uniform "
               f"{prior.coverage[0]:.1f}-{prior.coverage[1]:.1f}"),
    )


def implied_grid(abnormal_return: float, residual_sums: np.ndarray, factors, coverages,
                 prior: MarketPrior | None = None, draws: int = 400, seed: int = SEED,
                 valuation: Valuation | None = None) -> pd.DataFrame:
    """Implied elasticity over a grid of news size S and coverage phi, with 95% bands.

    Returns one row per (S, phi): median, 2.5% and 97.5% quantiles over the solved draws, and the
    share of draws with no solution in the search range.
    """
    factors = np.asarray(factors, dtype=float)
    coverages = np.asarray(coverages, dtype=float)
    s_grid, phi_grid = (a.ravel() for a in np.meshgrid(factors, coverages, indexing="ij"))
    points = s_grid.size
    inputs = draw_market_inputs(prior or MarketPrior(), draws, seed, news=False)
    noise = np.random.default_rng([seed, 4]).choice(np.asarray(residual_sums, dtype=float), draws)
    # Every grid point sees the same draws (common random numbers): bands differ only by (S, phi).
    tiled = {k: np.tile(v, points) for k, v in inputs.items()}
    eps = solve_elasticity(
        np.tile(abnormal_return - noise, points), pre_news(tiled),
        np.repeat(s_grid, draws), np.repeat(phi_grid, draws), tiled["diffusion_years"],
        valuation_from(tiled, valuation), steps=GRID_BISECTION_STEPS,
    ).reshape(points, draws)
    solved = np.isfinite(eps)
    with warnings.catch_warnings():  # a grid point with no solved draw gives NaN quantiles
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(eps, [0.025, 0.5, 0.975], axis=1)
    return pd.DataFrame({
        "factor": s_grid, "coverage": phi_grid,
        "elasticity": q[1], "low": q[0], "high": q[2],
        "unsolved_share": 1.0 - solved.mean(axis=1),
    })


def central_inputs(prior: MarketPrior, hardware_doubling_years: float) -> dict[str, float]:
    """One illustrative set of pre-news inputs, the prior's centre: the hardware doubling time
    given (e.g. the point estimate of the hardware fit), the median algorithmic doubling time
    and the midpoints of the share drift and of the expected spend growth."""
    return {
        "hardware_doubling_years": float(hardware_doubling_years),
        "efficiency_doubling_years": prior.efficiency_doubling_median,
        "nvidia_share_drift": float(np.mean(prior.nvidia_share_drift)),
        "spend_growth": float(np.mean(prior.spend_growth)),
    }


def central_news(prior: MarketPrior) -> tuple[float, float, float]:
    """The news at the prior's centre: ``(S, phi, years to half adoption)``, the median news
    size and the midpoints of the coverage and diffusion ranges."""
    return (prior.factor_median, float(np.mean(prior.coverage)), float(np.mean(prior.diffusion_years)))


def with_demand_growth(params: Params, growth) -> Params:
    """``params`` with the demand shifter's growth of its first segment set to ``growth``; with
    a fixed growth each elasticity implies its own pre-news spend path (the alternative that
    :class:`PreNews` avoids)."""
    segment = dataclasses.replace(params.segments[0], growth=growth)
    return dataclasses.replace(params, segments=(segment, *params.segments[1:]))


def instant_shock_returns(inputs: dict, elasticities, factors, discount_rates,
                          valuation: Valuation | None = None) -> np.ndarray:
    """Predicted returns from the valuation link on news of an instant shock covering all
    demand, for every discount rate, news size and elasticity (shape ``(rates, factors,
    elasticities)``), the pre-news path held at ``inputs``; one vectorised model run."""
    valuation = valuation or Valuation()
    rate, factor, eps = (a.ravel() for a in np.meshgrid(np.asarray(discount_rates, dtype=float),
                                                         np.asarray(factors, dtype=float),
                                                         np.asarray(elasticities, dtype=float),
                                                         indexing="ij"))
    pre = pre_news(inputs).at(eps)
    got = predicted_return(pre, with_news(pre, factor, 1.0, 0.0),
                           dataclasses.replace(valuation, discount_rate=rate))
    return got.reshape(len(discount_rates), len(factors), len(elasticities))


@dataclass(frozen=True)
class PreNewsComparison:
    """Predicted return and mean adoption weight against the elasticity, for the pre-news path
    held at the expected spend growth (``held_*``, :class:`PreNews`) and for the demand
    shifter's growth held fixed instead (``fixed_*``)."""

    elasticity: np.ndarray
    held_return: np.ndarray
    fixed_return: np.ndarray
    held_weight: np.ndarray
    fixed_weight: np.ndarray


def compare_pre_news_paths(inputs: dict, factor: float, coverage: float, diffusion_years: float,
                           elasticities, valuation: Valuation | None = None) -> PreNewsComparison:
    """:class:`PreNewsComparison` for one set of ``inputs`` (e.g. :func:`central_inputs`) and one
    piece of news; with the demand growth fixed, it is fixed at ``inputs["spend_growth"]``."""
    valuation = valuation or Valuation()
    eps = np.asarray(elasticities, dtype=float)
    held = pre_news(inputs).at(eps)
    fixed = with_demand_growth(held, inputs["spend_growth"])
    returns = [predicted_return(p, with_news(p, factor, coverage, diffusion_years), valuation)
               for p in (held, fixed)]
    weights = [mean_adoption_weight(p, diffusion_years, valuation) for p in (held, fixed)]
    return PreNewsComparison(eps, returns[0], returns[1], weights[0], weights[1])


@dataclass(frozen=True)
class NonMonotone:
    """Where a predicted-return curve turns: its lowest point and the returns it reaches twice."""

    elasticity_at_minimum: float
    minimum: float
    ambiguous_above: float
    """The largest return reached at or below the minimum's elasticity: every return between
    ``minimum`` and it is reached by two elasticities."""


def non_monotone_range(elasticity, returns) -> NonMonotone:
    """The turning point of a predicted-return curve over ``elasticity`` (ascending).

    Raises ValueError when the minimum lies at an end of the grid (the curve does not turn).
    """
    returns = np.asarray(returns, dtype=float)
    lowest = int(np.argmin(returns))
    if not 0 < lowest < returns.size - 1:
        raise ValueError("the curve has no interior minimum: it does not turn on this grid")
    return NonMonotone(float(np.asarray(elasticity)[lowest]), float(returns[lowest]),
                       float(returns[: lowest + 1].max()))


def grid_value(grid: pd.DataFrame, factor: float, coverage: float, column: str = "elasticity") -> float:
    """One cell of :func:`implied_grid`: ``column`` at news size ``factor`` and ``coverage``."""
    return grid.loc[(grid["factor"] == factor) & (grid["coverage"] == coverage), column].item()


def share_of_draws_below(estimate: ElasticityEstimate, threshold: float = 1.0) -> float:
    """The share of an estimate's (solved) draws below ``threshold``."""
    return float(np.mean(estimate.draws < threshold))
