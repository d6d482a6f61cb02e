"""Tables and numbers for the scenarios chapter and the ECP/FFT chapter under bounded demand.

Budget-share demand spends a share of a budget (world GDP by default), so these chapters show
every path beside the budget: compute's share of it, the Monte Carlo fan against it, how the
elasticity prior's spread translates into shares of world GDP (a prior predictive check), the
ECP's replace-not-stack choice and the FFT analogy with and without the budget.

Pure functions of engine results and loaded scenarios that return frames or dicts of numbers;
nothing here is model logic (the numbers come from :func:`model.scenarios.run_scenario`, the
closed forms in :mod:`model.engine.closed_forms` and the scenario files).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from model.engine import closed_forms
from model.engine.simulation import Result
from model.output.tables import overridden_path, year_index
from model.scenarios import run_scenario
from model.scenarios.distributions import Distribution
from model.scenarios.loader import load_scenario

#: the quantiles a fan chart shows, keyed as :func:`quantile_paths` names its columns
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_Z95 = 1.959963984540054  # the standard normal's 97.5% quantile


def _quantile_name(q: float) -> str:
    return f"p{round(100 * q):02d}"


# --- the budget ----------------------------------------------------------------------------------
def budget_path(values: Mapping[str, Any], years) -> np.ndarray:
    """The budget of a scenario's resolved values over ``years``: B_0 (1 + g_B)^(year - start),
    with B_0 = ``budget.usd_bn`` and g_B = ``budget.growth`` (the path budget-share demand takes
    a share of when compute's price index does not move it, eta = 1)."""
    budget, start = values["budget"], values["time"]["start"]
    t = np.asarray(years, dtype=float) - float(start)
    return float(budget["usd_bn"]) * np.exp(t * np.log1p(float(budget["growth"])))


def share_of_budget(result: Result, values: Mapping[str, Any]) -> np.ndarray:
    """Compute's share of the budget, draw by draw (n, T): the engine's
    ``compute_share_of_budget`` where the demand form has a budget, otherwise (``saturating``,
    ``isoelastic``) compute spend over :func:`budget_path`, the share of world GDP that spend
    would be."""
    if "compute_share_of_budget" in result.variables:
        return np.asarray(result.variables["compute_share_of_budget"], dtype=float)
    return result.variables["compute_spend"] / budget_path(values, result.years)


def share_paths(runs: Mapping[str, Any]) -> pd.DataFrame:
    """The median across draws of :func:`share_of_budget` for several runs
    (:class:`model.scenarios.runs.Run`, same years): index year, one column per run, in percent."""
    first = next(iter(runs.values())).result
    frame = pd.DataFrame({name: 100 * np.median(share_of_budget(run.result, run.scenario.values), axis=0)
                          for name, run in runs.items()}, index=pd.Index(first.years, name="year"))
    return frame


def budget_share_table(runs: Mapping[str, Any], year: int,
                       interval: tuple[float, float] = (0.05, 0.95)) -> pd.DataFrame:
    """Spend, budget and compute's share of the budget in ``year`` for several runs.

    Parameters
    ----------
    runs : mapping of str to Run
        Scenario name -> :class:`model.scenarios.runs.Run`.
    year : int
        A simulated year.
    interval : (float, float)
        Quantiles across draws for the share's interval (shown for runs with several draws;
        NaN for a single draw).

    Returns
    -------
    pandas.DataFrame
        Index ``scenario``; columns ``spend`` (median, USD bn), ``budget`` (USD bn), ``share``
        (median, percent), ``share_low`` and ``share_high`` (percent).
    """
    rows = {}
    for name, run in runs.items():
        i = year_index(run.result.years, year)
        share = 100 * share_of_budget(run.result, run.scenario.values)[:, i]
        several = share.size > 1
        low, high = (float(np.quantile(share, q)) if several else math.nan for q in interval)
        rows[name] = {"spend": float(np.median(run.result.variables["compute_spend"][:, i])),
                      "budget": float(budget_path(run.scenario.values, [year])[0]),
                      "share": float(np.median(share)), "share_low": low, "share_high": high}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "scenario"
    return frame


# --- the Monte Carlo fan -------------------------------------------------------------------------
def quantile_paths(result: Result, variable: str,
                   quantiles: Sequence[float] = FAN_QUANTILES, scale: float = 1.0) -> pd.DataFrame:
    """Quantiles across draws of ``variable`` (times ``scale``) year by year: index year, columns
    ``p05, p25, ...`` (numpy's linear interpolation)."""
    values = scale * np.asarray(result.variables[variable], dtype=float)
    table = np.quantile(values, list(quantiles), axis=0).T
    return pd.DataFrame(table, index=pd.Index(result.years, name="year"),
                        columns=[_quantile_name(q) for q in quantiles])


def fan_summary(result: Result, values: Mapping[str, Any], year: int) -> dict[str, float]:
    """The fan chart's numbers in ``year``: the 5%, 50% and 95% quantiles of compute spend
    (``p05, p50, p95``, USD bn) and of its share of the budget (``share_p05 ...``, percent),
    the budget (``budget``), the 5% quantile as a percentage of base-year spend (``p05_base``)
    and the band's width in orders of magnitude, log10(p95 / p05) (``orders``)."""
    i = year_index(result.years, year)
    spend = result.variables["compute_spend"][:, i]
    share = 100 * share_of_budget(result, values)[:, i]
    out = {}
    for q in (0.05, 0.5, 0.95):
        out[_quantile_name(q)] = float(np.quantile(spend, q))
        out[f"share_{_quantile_name(q)}"] = float(np.quantile(share, q))
    out["budget"] = float(budget_path(values, [year])[0])
    out["p05_base"] = 100 * out["p05"] / float(values["base"]["spend_usd_bn"])
    out["orders"] = math.log10(out["p95"] / out["p05"])
    return out


# --- the elasticity prior ------------------------------------------------------------------------
def _lognormal(dist: Distribution, caller: str) -> tuple[float, float]:
    if not isinstance(dist, Distribution) or dist.dist != "lognormal":
        shown = dist.dist if isinstance(dist, Distribution) else type(dist).__name__
        raise ValueError(f"{caller}: distribution is {shown!r}, allowed: 'lognormal'")
    return float(dist.named["median"]), float(dist.named["sigma"])


def lognormal_prior(dist: Distribution) -> dict[str, float]:
    """A lognormal prior's numbers for the prose: ``median``, ``sigma`` (of the log) and the ends
    of its central 95% interval (``lo``, ``hi``), median x exp(-+1.96 sigma).

    Raises
    ------
    ValueError
        For a value that is not a lognormal :class:`model.scenarios.distributions.Distribution`.
    """
    median, sigma = _lognormal(dist, "lognormal_prior")
    return {"median": median, "sigma": sigma,
            "lo": median * math.exp(-_Z95 * sigma), "hi": median * math.exp(_Z95 * sigma)}


def lognormal_tail(dist: Distribution, x: float) -> float:
    """The prior probability, in percent, that a lognormal ``dist`` exceeds ``x`` (> 0):
    100 (1 - Phi(ln(x / median) / sigma)). ValueError for another distribution or x <= 0."""
    median, sigma = _lognormal(dist, "lognormal_tail")
    if not x > 0:
        raise ValueError(f"lognormal_tail: x must be positive, got {x}")
    return 100 * 0.5 * math.erfc(math.log(x / median) / (sigma * math.sqrt(2.0)))


def supply_damping(elasticity: float, supply_elasticity: float) -> dict[str, float]:
    """How much upward-sloping supply damps the long-run rebound of a full instant shock under
    isoelastic demand: the exponent of S with elastic supply, eps - 1 (``k_free``), and with
    supply elasticity eta_s, (1 + eta_s)(eps - 1) / (eta_s + eps) (``k_sloped``,
    :func:`model.engine.closed_forms.supply_spend_exponent`), beside the inputs."""
    return {"elasticity": float(elasticity), "supply_elasticity": float(supply_elasticity),
            "k_free": float(elasticity) - 1.0,
            "k_sloped": float(closed_forms.supply_spend_exponent(elasticity, supply_elasticity))}


def shares_at_substitutions(scenario: str, substitutions: Sequence[float], year: int,
                            overrides: Sequence[str] = ()) -> pd.DataFrame:
    """A shipped scenario rerun with ``demand.substitution`` held at each value (and any other
    ``--set`` ``overrides``): compute spend (``spend``, USD bn) and its share of the budget
    (``share``, percent) in ``year``, first draw. Index ``substitution``. A prior predictive
    check: what a value of sigma implies for compute's share of world GDP."""
    rows = {}
    for sigma in substitutions:
        sc = load_scenario(scenario, [*overrides, f"demand.substitution={sigma}"])
        result = run_scenario(sc).result
        i = year_index(result.years, year)
        rows[float(sigma)] = {"spend": float(result.variables["compute_spend"][0, i]),
                              "share": float(100 * share_of_budget(result, sc.values)[0, i])}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "substitution"
    return frame


def substitution_shock_path(scenario: str, substitution: float, factor: float,
                            variable: str = "compute_spend") -> np.ndarray:
    """One draw of ``variable`` for a shipped scenario rerun with ``demand.substitution`` and the
    first shock's factor overridden (what the scenarios chapter's sliders move)."""
    return overridden_path(scenario, [f"demand.substitution={substitution}",
                                      f"efficiency.shocks[0].factor={factor}"], variable)


def trend_numbers(values: Mapping[str, Any], years: float) -> dict[str, float]:
    """The trend assumptions of a scenario's resolved values: ``t_hw`` (years), ``t_alg_months``,
    the substitution elasticity (``base_sigma``), the base-year share of the budget in percent
    (``base_share``), and the factor by which the price of useful work falls in a year and over
    ``years`` years on the two trends (``price_fall_per_year``, ``price_fall_total``)."""
    t_hw, t_alg = values["hardware"]["doubling_years"], values["efficiency"]["doubling_years"]
    return {"t_hw": t_hw, "t_alg_months": 12 * t_alg,
            "base_sigma": values["demand"]["substitution"],
            "base_share": 100 * values["base"]["spend_usd_bn"] / values["budget"]["usd_bn"],
            "price_fall_per_year": float(closed_forms.price_fall_per_year(t_hw, t_alg)),
            "price_fall_total": float(closed_forms.price_fall(years, t_hw, t_alg))}


# --- the ECP: replace, not stack -----------------------------------------------------------------
def ecp_trend_numbers(values: Mapping[str, Any], replace: Result, add: Result,
                      baseline: Result) -> dict[str, float]:
    """The ECP section's numbers: the programme (``gain`` G, ``years`` Y, ``start``, ``end``), the
    trend's doubling time (``t_alg``) and what it gives over the programme, 2^(Y/T)
    (``trend_gain``), both as yearly rates (``gain_rate`` G^(1/Y), ``trend_rate`` 2^(1/T)); the
    closed-form net gain of the 'replace' mode over the baseline, G 2^(-Y/T) (``net``), and the
    engine's useful work per FLOP over the baseline's in the last simulated year, for 'replace'
    (``net_engine``) and 'add' (``add_engine``, which should be G); the yearly rate of useful work
    per FLOP during the programme in 'add' mode, G^(1/Y) 2^(1/T) (``add_rate``); and compute
    spend over the baseline's in the last year for both (``spend_replace``, ``spend_add``)."""
    ecp, t_alg = values["ecp"], float(values["efficiency"]["doubling_years"])
    gain, years = float(ecp["gain"]), float(ecp["years"])

    def last(result: Result, variable: str) -> float:
        return float(result.variables[variable][0, -1] / baseline.variables[variable][0, -1])

    trend_gain = 2.0 ** (years / t_alg)
    return {"gain": gain, "years": years, "start": int(ecp["start"]),
            "end": int(ecp["start"] + years), "t_alg": t_alg, "trend_gain": trend_gain,
            "gain_rate": float(closed_forms.annual_rate(gain, years)),
            "trend_rate": 2.0 ** (1.0 / t_alg), "net": gain / trend_gain,
            "net_engine": last(replace, "useful_work_per_flop"),
            "add_engine": last(add, "useful_work_per_flop"),
            "add_rate": float(closed_forms.annual_rate(gain, years)) * 2.0 ** (1.0 / t_alg),
            "spend_replace": last(replace, "compute_spend"), "spend_add": last(add, "compute_spend")}


# --- the FFT under the budget --------------------------------------------------------------------
def fft_budget_frame(bounded: Result, unbounded: Result, values: Mapping[str, Any]) -> pd.DataFrame:
    """The FFT scenario under its budget beside the same scenario without one (first draws): index
    year; columns ``budget`` (USD bn), ``spend`` and ``spend_unbounded`` (USD bn), ``share``
    (the bounded run's share of the budget) and ``share_unbounded`` (unbounded spend over the
    same budget, which may exceed 1)."""
    budget = budget_path(values, bounded.years)
    spend = bounded.variables["compute_spend"][0]
    free = unbounded.variables["compute_spend"][0]
    return pd.DataFrame({"budget": budget, "spend": spend, "spend_unbounded": free,
                         "share": share_of_budget(bounded, values)[0], "share_unbounded": free / budget},
                        index=pd.Index(bounded.years.astype(int), name="year"))


def fft_budget_numbers(frame: pd.DataFrame, first_year: int) -> dict[str, Any]:
    """Numbers of an :func:`fft_budget_frame` for the prose: in ``first_year`` the budget, the two
    spends and shares (``budget_<y>``, ``spend_<y>``, ``free_<y>``, ``share_<y>``,
    ``free_share_<y>``; shares in percent); the bounded run's peak share (``peak_share``,
    percent, and ``peak_share_year``); the unbounded path's peak over the budget
    (``free_peak_ratio``, ``free_peak_year``) and the years in which it exceeds the budget
    (``free_years_over``)."""
    row = frame.loc[first_year]
    over = frame.index[frame["share_unbounded"] > 1.0]
    y = first_year
    return {f"budget_{y}": float(row["budget"]), f"spend_{y}": float(row["spend"]),
            f"free_{y}": float(row["spend_unbounded"]), f"share_{y}": 100 * float(row["share"]),
            f"free_share_{y}": 100 * float(row["share_unbounded"]),
            "peak_share": 100 * float(frame["share"].max()),
            "peak_share_year": int(frame["share"].idxmax()),
            "free_peak_ratio": float(frame["share_unbounded"].max()),
            "free_peak_year": int(frame["share_unbounded"].idxmax()),
            "free_years_over": int(over.size)}

