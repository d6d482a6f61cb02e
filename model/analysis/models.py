"""The models the sensitivity analysis is run on, which need the project's fit.

* the DeepSeek-news model behind the market-implied elasticity (:func:`news_model`), with the
  ranges of the market prior (:func:`market_parameters`);
* the fitted forecasts (:func:`forecast_model`), whose elasticity and demand growth are one joint
  input (:class:`Posterior`), and the posterior fan-chart paths (:func:`posterior_paths`), with
  demand growth held or fading after the plans towards a long-run prior; how much the fade's
  half-life moves them (:func:`fade_sensitivity`).

The generic tools (parameters, Sobol indices, tornado, fan quantiles) are in
:mod:`model.analysis.sensitivity`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from model.analysis.sensitivity import JOINT, Model, Parameter, log_outputs, lognormal, uniform
from model.calibration.fit import forecast_draws
from model.calibration.forecast import model_growth
from model.calibration.long_run_growth import LongRunGrowthPrior, long_run_growth_prior
from model.calibration.market import pre_news
from model.engine import schema
from model.engine.params import Params, Segment, ValueCapture
from model.engine.simulation import Result, simulate
from model.engine.valuation import with_news
from model.scenarios.loader import load_scenario

NEWS_VARIABLES = ("compute_spend", "flop_demand", "nvidia_dc_revenue")


# --- the model's own problems ------------------------------------------------------------------------
def market_parameters(prior, elasticity: Parameter | None) -> tuple[Parameter, ...]:
    """The inputs of the DeepSeek-news model with the ranges of a :class:`MarketPrior`.

    Every range is the prior's (see :class:`model.calibration.market.MarketPrior` for each
    source); ``elasticity`` is given separately (the ``montecarlo`` scenario's distribution,
    :func:`scenario_elasticity`, or the fit's posterior, :func:`estimate_elasticity`) and left
    out when None.
    """
    where = "model.calibration.market.MarketPrior"
    return (() if elasticity is None else (elasticity,)) + (
        uniform("spend_growth", "pre-news spend growth", prior.spend_growth,
                f"{where}.spend_growth: bracketed by pre-DeepSeek street estimates of 2025 capex "
                "and Nvidia revenue (facts capex.csv, nvidia.csv)"),
        uniform("hardware_doubling_years", "hardware doubling time", prior.hardware_doubling_years,
                f"{where}.hardware_doubling_years: 95% interval of T_hw (Epoch AI 2022 by "
                "default; the project's own fit, model.calibration.hardware_fit, through market_prior(as_of))",
                key="hardware.doubling_years"),
        lognormal("efficiency_doubling_years", "algorithmic doubling time",
                  prior.efficiency_doubling_median, prior.efficiency_doubling_log_sd,
                  f"{where}.efficiency_doubling_*: Ho et al. 2024, halving time ~8 months with "
                  "its 95% interval (facts trends.csv)", key="efficiency.doubling_years"),
        lognormal("factor", "news size s", prior.factor_median, prior.factor_log_sd,
                  f"{where}.factor_*: DeepSeek-V3's GPU-hours and R1's API price against their "
                  "US counterparts, one log-sd either side of the median (facts deepseek.csv)",
                  key="efficiency.shocks[].factor"),
        uniform("coverage", "coverage φ", prior.coverage,
                f"{where}.coverage: assumption", key="efficiency.shocks[].coverage"),
        uniform("diffusion_years", "years to half adoption", prior.diffusion_years,
                f"{where}.diffusion_years: assumption", key="efficiency.shocks[].diffusion_years"),
        uniform("nvidia_share_drift", "nvidia share drift", prior.nvidia_share_drift,
                f"{where}.nvidia_share_drift: assumption (custom silicon)",
                key="value_capture.nvidia_share_drift"),
    )


def scenario_elasticity(scenario_name: str = "montecarlo") -> Parameter:
    """The elasticity as a scenario file's distribution of ``demand.substitution`` (sigma, the
    price elasticity of budget-share demand while compute's share is small, as it is here)."""

    scenario = load_scenario(scenario_name)
    dist = scenario.distributions.get("demand.substitution")
    if dist is None:
        raise ValueError(f"scenario {scenario_name!r} gives demand.substitution no distribution")
    return Parameter("elasticity", "elasticity ε", f"scenarios/{scenario_name}.toml (demand.substitution)",
                     dist=dist, key="demand.substitution")


def estimate_elasticity(estimate) -> Parameter:
    """The elasticity as the empirical distribution of an estimate's draws
    (:class:`model.calibration.estimate.ElasticityEstimate`)."""
    return Parameter("elasticity", "elasticity ε", f"{estimate.method} estimate (model.calibration)",
                     draws=estimate.draws)


def news_outputs(values: Mapping[str, np.ndarray], year: int = 2030,
                 variables: Sequence[str] = NEWS_VARIABLES, end: int = 2035) -> dict[str, np.ndarray]:
    """The engine's outputs in ``year`` after the DeepSeek news, for every row of ``values``.

    The model of the market-implied elasticity (:mod:`model.calibration.market`): before the
    news, spend grows at ``spend_growth`` (the demand shifter's growth is set from it for each
    elasticity); the news adds a logistic efficiency shock of size ``factor`` covering
    ``coverage`` of demand (:func:`model.engine.valuation.with_news`). One :func:`simulate` call.
    """

    before = pre_news(values, end=end).at(values["elasticity"])
    after = with_news(before, values["factor"], values["coverage"], values["diffusion_years"])
    result = simulate(after)
    column = int(np.flatnonzero(result.years == year)[0])
    return {name: result.variables[name][:, column] for name in variables}


def news_model(year: int = 2030, variables: Sequence[str] = NEWS_VARIABLES,
               log: bool = True) -> Model:
    """:func:`news_outputs` at ``year`` as a model for :func:`sobol_indices` and :func:`tornado`
    (of the logarithms of the outputs when ``log``, see :func:`log_outputs`)."""
    model = partial(news_outputs, year=year, variables=tuple(variables))
    return log_outputs(model) if log else model


# --- the fitted model: forecasts and fan charts -------------------------------------------------
@dataclass(frozen=True)
class Posterior:
    """Joint draws of the elasticity and the demand growth of the fit, sorted by elasticity.

    The capex plans identify the two only together (a higher elasticity needs a lower demand
    growth to give the same plans), so they are one input of the sensitivity analysis, not two
    independent ones: :func:`posterior_parameter` picks a whole draw. Sorted by elasticity, a
    low probability picks a low-elasticity draw (with its own demand growth).
    """

    elasticity: np.ndarray
    demand_growth: np.ndarray

    def __post_init__(self) -> None:
        order = np.argsort(self.elasticity, kind="stable")
        object.__setattr__(self, "elasticity", np.asarray(self.elasticity, dtype=float)[order])
        object.__setattr__(self, "demand_growth", np.asarray(self.demand_growth, dtype=float)[order])

    @property
    def size(self) -> int:
        return int(self.elasticity.size)


def posterior_from_fit(calibration, draws: int, seed: int) -> Posterior:
    """The (elasticity, demand growth) draws behind the fit's forecasts.

    The same draws as :func:`model.calibration.fit.make_forecasts` with the same ``draws`` and
    ``seed``: elasticities resampled from the combined estimate, demand growth from the capex
    fit given each elasticity.
    """
    return Posterior(*_fit_draws(calibration, draws, seed))


def _fit_draws(calibration, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Elasticity and demand-growth draws of :func:`model.calibration.fit.forecast_draws`."""

    eps, growth, _ = forecast_draws(calibration.forecast_prior, calibration.combination.estimate,
                                    calibration.capex, draws, seed)
    return eps, growth


def posterior_parameter(posterior: Posterior, source: str = "the fit's combined estimate and "
                        "the capex fit's demand growth given it (model.calibration.fit)") -> Parameter:
    """One input that picks a joint (elasticity, demand growth) draw, each with probability 1/K."""
    return Parameter(JOINT, "elasticity with its demand growth", source,
                     draws=np.arange(posterior.size, dtype=float), discrete=True)


def forecast_parameters(prior, posterior: Posterior) -> tuple[Parameter, ...]:
    """Inputs of the fit's forecasts: the joint posterior draw and the prior's other inputs."""
    others = {"hardware_doubling_years", "efficiency_doubling_years", "factor", "coverage",
              "diffusion_years", "nvidia_share_drift"}
    return (posterior_parameter(posterior),
            *(p for p in market_parameters(prior, None) if p.name in others))


def forecast_outputs(values: Mapping[str, np.ndarray], posterior: Posterior, capex_base: float,
                     nvidia_base: float) -> dict[str, np.ndarray]:
    """The two forecasts of :mod:`model.calibration.forecast` for every row of ``values``:
    base levels times :func:`~model.calibration.forecast.model_growth` (one engine call)."""

    k = values[JOINT].astype(np.intp)
    ratios = model_growth(posterior.elasticity[k], posterior.demand_growth[k],
                          values["hardware_doubling_years"], values["efficiency_doubling_years"],
                          values["factor"], values["coverage"], values["diffusion_years"],
                          values["nvidia_share_drift"])
    return {"hyperscaler_capex_2025_usd_bn": capex_base * ratios["spend_2025"],
            "nvidia_fy2026_dc_revenue_usd_bn": nvidia_base * ratios["nvidia_fy2026"]}


def forecast_model(posterior: Posterior, capex_base: float, nvidia_base: float) -> Model:
    """:func:`forecast_outputs` as a model for :func:`sobol_indices` and :func:`tornado`."""
    return partial(forecast_outputs, posterior=posterior, capex_base=float(capex_base),
                   nvidia_base=float(nvidia_base))


FADE_STREAM = 31  # the random stream of the fade's draws: [seed, FADE_STREAM]


def fade_prior(calibration, eps, inputs: Mapping[str, np.ndarray]) -> LongRunGrowthPrior:
    """The fade's priors (:func:`~model.calibration.long_run_growth.long_run_growth_prior`)
    converted at the medians of the forecast draws ``eps`` and ``inputs`` (elasticity, hardware
    and algorithmic doubling times), as every fading forecast of the fit converts them."""
    return long_run_growth_prior(calibration, float(np.median(eps)),
                                 float(np.median(inputs["hardware_doubling_years"])),
                                 float(np.median(inputs["efficiency_doubling_years"])))


def fade_keywords(calibration, eps, inputs: Mapping[str, np.ndarray], seed: int, *,
                  half_life: float | None = None) -> dict:
    """The :class:`~model.engine.params.Segment` keywords that let demand growth fade after the
    plans: ``growth_fade_start`` the last plan year, ``long_run_growth`` one draw per draw of
    ``eps`` from its prior (stream ``[seed, FADE_STREAM]``), ``growth_half_life`` drawn from its
    prior on the same stream (or ``half_life`` for all draws when given).

    The long-run draws depend only on the fit, the number of draws and ``seed``, not on
    ``half_life``, so cases that differ in the half-life (or in the growth before the fade, as in
    :func:`model.analysis.grids.forecast_fan_grid`) share them.
    """
    prior = fade_prior(calibration, eps, inputs)
    long_run, drawn = prior.draws(np.size(eps), np.random.default_rng([seed, FADE_STREAM]))
    return {"long_run_growth": long_run, "growth_fade_start": prior.fade_start,
            "growth_half_life": drawn if half_life is None else float(half_life)}


def posterior_paths(calibration, draws: int, seed: int, end: int = 2035, *, fade: bool = True,
                    half_life: float | None = None) -> Result:
    """Monte Carlo paths to ``end`` under the fit: the forecasts' draws, extended in time.

    Elasticity and demand growth as in :func:`posterior_from_fit`; trends, the DeepSeek news
    (measured against the trend, S_news: the fit's ``forecast_prior``) and the custom-silicon
    drift, all from :func:`~model.calibration.fit.forecast_draws`; base-year spend is the four
    hyperscalers' 2024 capex, so the 2025 column is the capex forecast. One engine call.

    ``fade=True`` (the default: the plans identify growth only for the years they cover) holds
    the fitted demand growth through the last plan year and then lets it fade towards a long-run
    rate drawn from its prior (:mod:`model.calibration.long_run_growth`, :func:`fade_keywords`),
    the gap halving every ``half_life`` years (None: drawn from its prior). The long-run rates are
    the same draws whatever ``half_life`` is, so paths with different half-lives differ by the
    half-life alone. ``fade=False`` holds the fitted growth to ``end`` (an extrapolation, shown
    as a sensitivity).
    """

    eps, growth, inputs = forecast_draws(calibration.forecast_prior, calibration.combination.estimate,
                                         calibration.capex, draws, seed)
    capex_base, _ = calibration.capex.base_level()
    faded = fade_keywords(calibration, eps, inputs, seed, half_life=half_life) if fade else {}
    params = Params(
        name="posterior", start=2024, end=end, base_spend_usd_bn=float(capex_base),
        hardware_doubling_years=inputs["hardware_doubling_years"],
        segments=(Segment("all", 1.0, eps, inputs["efficiency_doubling_years"], growth, **faded),),
        value_capture=ValueCapture(nvidia_share_drift=inputs["nvidia_share_drift"]),
    )
    return simulate(with_news(params, inputs["factor"], inputs["coverage"], inputs["diffusion_years"]))


FADE_CASES: tuple[float | None, ...] = (1.0, 2.0, 4.0)  # half-lives shown beside the prior's
WORLD_GDP = schema.WORLD_GDP_2024_USD_BN  # the engine's default budget in the base year (IMF WEO)


def fade_sensitivity(calibration, draws: int, seed: int, half_lives: Sequence[float] = FADE_CASES,
                     years: Sequence[int] = (2030, 2035), end: int = 2035) -> pd.DataFrame:
    """Compute spend under the fit in ``years`` with demand growth fading at each half-life.

    One :func:`posterior_paths` run per case: the half-life drawn from its prior, each of
    ``half_lives`` (the same long-run rates), and no fade (the fitted growth held to ``end``).
    Columns: case, half_life (NaN for the prior, inf for no fade), year, the 5%, 50% and 95%
    quantiles of compute spend (USD bn), world GDP in that year at the engine's default budget
    growth (the budget of ``budget-share`` demand), the median's share of it, and the prior's
    long-run growth range, the pre-boom capex growth range it comes from and the fade start (the
    same in every row).
    """
    cases = [("fades, half-life drawn from its prior", True, None, np.nan)]
    cases += [(f"fades, half-life {h:g} year{'s' if h != 1 else ''}", True, float(h), float(h))
              for h in half_lives]
    cases.append(("no fade: the fitted growth held", False, None, np.inf))
    eps, _, inputs = forecast_draws(calibration.forecast_prior, calibration.combination.estimate,
                                    calibration.capex, draws, seed)
    prior = fade_prior(calibration, eps, inputs)
    rows = []
    for label, fade, h, shown in cases:  # a handful of cases, each one vectorised engine call
        result = posterior_paths(calibration, draws, seed, end, fade=fade, half_life=h)
        for year in years:
            column = int(np.flatnonzero(result.years == year)[0])
            p5, p50, p95 = np.quantile(result.variables["compute_spend"][:, column], [0.05, 0.5, 0.95])
            gdp = WORLD_GDP * (1.0 + schema.WORLD_GDP_GROWTH) ** (year - result.years[0])
            rows.append({"case": label, "half_life": shown, "year": int(year), "p5": p5,
                         "median": p50, "p95": p95, "world_gdp": gdp, "median_share": p50 / gdp})
    (lo, hi), (c_lo, c_hi) = prior.long_run_growth, prior.capex_growth
    return pd.DataFrame(rows).assign(long_run_low=lo, long_run_high=hi, capex_low=c_lo,
                                     capex_high=c_hi, fade_start=prior.fade_start)
