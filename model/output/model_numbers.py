"""The numbers the Jevons-model chapter glues, one dict per cell (keys are the glue names).

Pure functions of the latest fit, loaded scenario values and the closed forms in
:mod:`model.engine.closed_forms`: they select and combine what the engine and
:mod:`model.output.tables` / :mod:`model.output.demand_tables` compute; nothing here is model
logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from model.engine import closed_forms as cf
from model.output import demand_tables
from model.output import tables as report


def fit_numbers(latest) -> dict[str, Any]:
    """The fit ``latest``'s as-of date and combined elasticity (median, 95% interval ends) and
    the long-run spend multiplier of an 11x gain at that median (glued with prefix ``fit_``)."""
    combined = latest.combination.estimate  # market-implied, capex-implied and the prior
    return {"date": latest.as_of, "sigma": combined.median, "lo": combined.interval[0],
            "hi": combined.interval[1],
            "multiplier": report.spend_multipliers([combined.median], [11.0]).iloc[0, 0]}


def budget_share_numbers(values: Mapping[str, Any], s_bar: float,
                         limits: Mapping[tuple[float, float], float]) -> dict[str, Any]:
    """Budget-share demand's numbers (glued with prefix ``bs_``): the base-year share ``s_bar``
    and the point elasticity there at sigma 1.1, eta 1 (percent / plain), the shares at which
    backfire stops for sigma 1.3 and 1.1 with eta 0.5 (from ``limits``, keyed (sigma, eta);
    percent), the trend price fall per year and the budget's growth (percent) of ``values``."""
    return {"s_bar": 100 * s_bar, "eps_base": cf.budget_share_elasticity(s_bar, 1.1, 1.0),
            "s_star_13": 100 * limits[(1.3, 0.5)], "s_star_11": 100 * limits[(1.1, 0.5)],
            "price_fall": report.trend_summary(values, 1)["price_fall_per_year"],
            "growth": 100 * values["budget"]["growth"]}


def exercise_numbers(vc: Mapping[str, float], sigma_a: float, s_bar: float) -> dict[str, Any]:
    """The exercises' answers. 1: the gain that halves spend at an elasticity of 0.92; 2: the
    short-run elasticity, impact and long-run multipliers of a 27x gain at sigma 1.2 with
    persistence 0.6, and the engine's 2025 ratio; 4: the alternatives' yearly gain that halves
    Nvidia's share ``vc["share"]`` by 2030 at substitution ``sigma_a`` and the share the deepseek
    scenario then gives; 5: the elasticity at which an 11x gain doubles spend, in closed form and
    on a 0.0001 grid; 6: the backfire limit and the base-share (``s_bar``) elasticity at sigma 1.3,
    eta 0.5; 7: the spend exponents with free and fixed supply at sigma 1.3."""
    ex2 = report.partial_adjustment_spend_ratios(1.2, [0.6], 27.0)  # Params(persistence=0.6)
    ex4_gain = demand_tables.substitute_gain_to_reach(vc["share"], vc["share"] / 2, 2030 - 2024,
                                                      sigma_a)
    ex4_share = demand_tables.nvidia_share_table("deepseek", [float(ex4_gain)], [2030]).iloc[0, 0]
    ex5 = report.spend_multipliers(np.linspace(1.2, 1.4, 2001), [11.0])[11.0]
    return {"ex1_eps": 0.92, "ex1_gain": cf.gain_for_spend_multiplier(0.5, 0.92),
            "ex2_short": cf.short_run_elasticity(1.2, 0.6),
            "ex2_impact": cf.impact_spend_multiplier(1.2, 0.6, 27.0),
            "ex2_engine": ex2.loc[0.6, 2025], "ex2_long": cf.spend_multiplier(1.2, 27.0),
            "ex4_gain": ex4_gain, "ex4_share": ex4_share,
            "ex5_eps": cf.elasticity_for_spend_multiplier(2.0, 11.0),
            "ex5_grid": float((ex5 - 2.0).abs().idxmin()),
            "ex6_s_star": 100 * cf.backfire_share_limit(1.3, 0.5),
            "ex6_eps_base": cf.budget_share_elasticity(s_bar, 1.3, 0.5),
            "ex7_free": 1.3 - 1, "ex7_fixed": cf.supply_spend_exponent(1.3, 0.0)}
