"""The numbers the scenarios chapter glues, one dict per cell (keys are the glue names).

Pure functions of shipped runs (:func:`model.output.tables.shipped_runs`), the latest fit and
scenario files: they select and combine what :mod:`model.output.scenario_tables` and
:mod:`model.output.tables` compute; nothing here is model logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from model.calibration.quarterly import posterior_draws
from model.constants import SEED
from model.output import scenario_tables as st
from model.output import tables as report
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario

# The wide prior of the prior predictive check, as written in the scenarios chapter's prose.
WIDE_PRIOR = 'demand.substitution={dist="lognormal",median=1.1,sigma=0.2}'


def _named(dist, key: str) -> float:
    return dist.named[key]


def overview_numbers(runs: Mapping[str, Any]) -> dict[str, Any]:
    """How many scenarios ship, the montecarlo draws and the baseline budget (world GDP) in the
    first and last year (USD bn) and its growth (percent a year)."""
    values = runs["baseline"].scenario.values
    budget = st.budget_path(values, runs["baseline"].result.years)
    return {"n_scenarios": len(runs), "mc_draws": runs["montecarlo"].n_draws,
            "budget_2024": budget[0], "budget_2035": budget[-1],
            "budget_growth": 100 * values["budget"]["growth"]}


def fitted_numbers(fitted, latest) -> dict[str, Any]:
    """The fitted scenario's numbers beside the fit ``latest`` it is written from (glued with
    prefix ``fit_``): as-of date, base spend, draws, spend quantiles in 2025 and 2030, the
    combined elasticity estimate and the priors the scenario file draws from, the correlation of
    the posterior draws, the hardware trend and the fade of demand growth."""
    drawn = fitted.scenario.distributions
    values = fitted.scenario.values
    combined = latest.combination.estimate
    eps_draws, growth_draws, _ = posterior_draws(latest, fitted.n_draws, SEED)
    file_sigma = st.lognormal_prior(drawn["demand.substitution"])
    fan_2030 = st.fan_summary(fitted.result, values, 2030)
    return {"date": latest.as_of, "base": values["base"]["spend_usd_bn"],
            "draws": fitted.n_draws,
            "2025_p50": report.quantiles_in_year(fitted.result, "compute_spend", 2025)["p50"],
            **{f"2030_{k}": fan_2030[k] for k in ("p05", "p50", "p95")},
            "2030_share_p50": fan_2030["share_p50"],
            "sigma": combined.median, "sigma_lo": combined.interval[0],
            "sigma_hi": combined.interval[1], "sigma_above_1": 100 * np.mean(combined.draws > 1),
            "file_sigma_lo": file_sigma["lo"], "file_sigma_hi": file_sigma["hi"],
            "file_sigma_above_1": st.lognormal_tail(drawn["demand.substitution"], 1.0),
            "growth": _named(drawn["demand.growth"], "mean"),
            "growth_sd": _named(drawn["demand.growth"], "sd"),
            "corr": np.corrcoef(eps_draws, np.log1p(growth_draws))[0, 1],
            "hw_lo": _named(drawn["hardware.doubling_years"], "low"),
            "hw_hi": _named(drawn["hardware.doubling_years"], "high"),
            "hw_n": latest.hardware.n, "hw_doubling": latest.hardware.doubling_years,
            "factor": _named(drawn["efficiency.shocks[0].factor"], "median"),
            "fade_start": int(values["demand"]["growth_fade_start"]),
            "long_lo": _named(drawn["demand.long_run_growth"], "low"),
            "long_hi": _named(drawn["demand.long_run_growth"], "high"),
            "half_lo": _named(drawn["demand.growth_half_life"], "low"),
            "half_hi": _named(drawn["demand.growth_half_life"], "high")}


def share_numbers(runs: Mapping[str, Any], share_2035: pd.DataFrame) -> dict[str, Any]:
    """What the budget-share figure's prose cites: scenarios under 1% of the budget in 2035, the
    saturating scenario's 2035 spend, the peak scarcity markup of supply-constrained and its
    year, the two largest shares, the segments scenario's inference elasticity and R1's price
    cut, and every scenario's 2035 share (``share_2035_<name>``, dashes as underscores).
    ``share_2035`` is :func:`~model.output.scenario_tables.budget_share_table` in 2035."""
    top = share_2035["share"].nlargest(2)
    markup_year, markup_peak = report.peak(runs["supply-constrained"].result, "scarcity_markup")
    segments = runs["segments"].scenario.values
    inference = next(seg for seg in segments["demand"]["segments"] if seg["name"] == "inference")
    r1_cut = next(shock for shock in segments["efficiency"]["shocks"]
                  if tuple(shock["segments"]) == ("inference",))
    shares = share_2035["share"].rename(lambda name: name.replace("-", "_")).to_dict()
    return {"n_below_1pct": int((share_2035["share"] < 1).sum()),
            "sat_spend_2035": share_2035.loc["saturating", "spend"],
            "markup_peak": markup_peak, "markup_year": markup_year,
            **{f"top_{k + 1}_name": name for k, name in enumerate(top.index)},
            **{f"top_{k + 1}_share": value for k, value in enumerate(top)},
            "sigma_inference": inference["substitution"], "r1_factor": r1_cut["factor"],
            **{f"share_2035_{name}": value for name, value in shares.items()}}


def prior_check_numbers(runs: Mapping[str, Any]) -> dict[str, Any]:
    """The prior predictive check on the montecarlo scenario: its 2035 fan (``fan_``), its
    elasticity prior (``prior_``), deepseek's 2035 share and spend at sigma 1.3 and 1.5
    (``ppc_``), the smallest sigma on a 0.001 grid at which deepseek's 2035 share passes a fifth
    (``ppc_fifth``) and the prior's mass above it, and the fan with sigma fixed at 1.1
    (``fixed_``) and with the wider prior :data:`WIDE_PRIOR` (``wide_``)."""
    mc = runs["montecarlo"]
    prior_dist = mc.scenario.values["demand"]["substitution"]
    check = st.shares_at_substitutions("deepseek", [1.3, 1.5], 2035)
    fifth = report.sweep_table(runs["deepseek"].scenario, "demand.substitution=1.2:1.5:0.001",
                               "compute_share_of_budget")
    sigma_fifth = report.first_grid_value_above(fifth, 2035, 0.2)
    fixed = run_scenario(load_scenario("montecarlo", ["demand.substitution=1.1"]))
    wide = run_scenario(load_scenario("montecarlo", [WIDE_PRIOR]))
    groups = {"fan_": st.fan_summary(mc.result, mc.scenario.values, 2035),
              "prior_": st.lognormal_prior(prior_dist),
              "ppc_": {"share_13": check.loc[1.3, "share"], "share_15": check.loc[1.5, "share"],
                       "spend_15": check.loc[1.5, "spend"]},
              "": {"ppc_fifth": sigma_fifth,
                   "prior_above_fifth": st.lognormal_tail(prior_dist, sigma_fifth)},
              "fixed_": st.fan_summary(fixed.result, fixed.scenario.values, 2035),
              "wide_": st.fan_summary(wide.result, wide.scenario.values, 2035)}
    return {f"{prefix}{key}": value for prefix, group in groups.items()
            for key, value in group.items()}


def example_numbers(runs: Mapping[str, Any], base_spend: float) -> dict[str, Any]:
    """The worked examples' numbers: the smallest sigma (0.01 grid) at which deepseek with 10%
    demand growth spends more than ``base_spend`` in 2030 (``ex_growth_cross``), the 2035
    spend quantiles of montecarlo with free (``mc_free_``) and upward-sloping supply of
    elasticity 0.5 (``mc_sloped_``), the latter's 2035 markup (``mc_markup_``) and the closed-form
    damping at the baseline's sigma (``ex_``)."""
    growth_sweep = report.sweep_table(load_scenario("deepseek", ["demand.growth=0.1"]),
                                      "demand.substitution=0.2:2:0.01")
    sloped = ["supply.form=upward-sloping", "supply.elasticity=0.5"]
    sloped_mc = run_scenario(load_scenario("montecarlo", sloped)).result
    groups = {"": {"ex_growth_cross": report.first_grid_value_above(growth_sweep, 2030,
                                                                    base_spend)},
              "mc_free_": report.quantiles_in_year(runs["montecarlo"].result, "compute_spend",
                                                   2035),
              "mc_sloped_": report.quantiles_in_year(sloped_mc, "compute_spend", 2035),
              "mc_markup_": report.quantiles_in_year(sloped_mc, "scarcity_markup", 2035),
              "ex_": st.supply_damping(
                  runs["baseline"].scenario.values["demand"]["substitution"], 0.5)}
    return {f"{prefix}{key}": value for prefix, group in groups.items()
            for key, value in group.items()}
