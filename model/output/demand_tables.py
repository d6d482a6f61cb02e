"""Tables and numbers for the Jevons-model chapter's bounded demand model: budget-share demand,
persistence on deviations from the no-news path, upward-sloping supply, shocks per segment and
Nvidia's CES share of accelerator spend.

Pure functions that return :class:`pandas.DataFrame` s or dicts of numbers for the prose. The
numbers come from the engine (:func:`model.engine.simulation.simulate`, or a shipped scenario
through :func:`model.scenarios.run_scenario`) and its closed forms
(:mod:`model.engine.closed_forms`); nothing here is model logic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from model.engine import closed_forms, demand
from model.engine.params import Params, Segment, Shock, Supply, params_from_values
from model.engine.simulation import Result, simulate
from model.engine.valuation import predicted_return
from model.scenarios import run_scenario
from model.scenarios.loader import load_scenario


def _logit(share):
    share = np.asarray(share, dtype=float)
    return np.log(share) - np.log1p(-share)


def _first_year(years, condition) -> int | None:
    """The first year where ``condition`` holds, or None when it never does."""
    condition = np.asarray(condition, dtype=bool)
    return int(np.asarray(years)[np.argmax(condition)]) if condition.any() else None


# --- budget-share demand --------------------------------------------------------------------------
def base_share(values: Mapping[str, Any]) -> float:
    """Compute's share of the budget in the base year, base spend / budget, from a scenario's
    resolved values."""
    return float(values["base"]["spend_usd_bn"]) / float(values["budget"]["usd_bn"])


def elasticity_by_share(shares: Iterable[float], cases: Sequence[tuple[float, float]],
                        base_share: float) -> pd.DataFrame:
    """Point elasticity of budget-share demand at given budget shares of compute, computed by the
    engine's demand curve.

    For each case (substitution sigma, final elasticity eta) the share s is reached at the relative
    price p with logit s = logit s_bar + (1 - sigma) ln p (s_bar = ``base_share``, the share at
    p = 1); the value is :func:`model.engine.demand.point_elasticity` of the ``budget-share`` curve
    there, which equals the Hicks-Marshall rule (1 - s) sigma + s eta.

    Returns
    -------
    pandas.DataFrame
        Index ``share``; columns a MultiIndex (``substitution``, ``final_elasticity``).

    Raises
    ------
    ValueError
        A share or the base share outside (0, 1), or a case with sigma = 1 (the share then does
        not move with the price, so no price gives another share).
    """
    shares = np.asarray(list(shares), dtype=float)
    for name, s in (("shares", shares), ("base_share", np.asarray(base_share, dtype=float))):
        if np.any((s <= 0) | (s >= 1)):
            raise ValueError(f"{name} must lie strictly between 0 and 1")
    columns = {}
    log_odds = float(_logit(base_share))
    for sigma, eta in cases:
        if sigma == 1.0:
            raise ValueError(f"case (substitution {sigma:g}, final elasticity {eta:g}): a substitution "
                             "of 1 keeps the share at its base value; allowed: any other positive value")
        price = np.exp((_logit(shares) - log_odds) / (1.0 - sigma))
        shape = demand.Shape(substitution=sigma, final_elasticity=eta, log_odds=log_odds)
        columns[(sigma, eta)] = demand.point_elasticity(price, "budget-share", shape=shape)
    frame = pd.DataFrame(columns, index=pd.Index(shares, name="share"))
    frame.columns.names = ["substitution", "final_elasticity"]
    return frame


def backfire_limits(cases: Sequence[tuple[float, float]]) -> dict[tuple[float, float], float]:
    """The budget share s* = (sigma - 1) / (sigma - eta) at which backfire stops, by case
    (:func:`model.engine.closed_forms.backfire_share_limit`; NaN where it never stops)."""
    return {(sigma, eta): float(closed_forms.backfire_share_limit(sigma, eta)) for sigma, eta in cases}


def spend_against_budget(scenario: str, end: int) -> pd.DataFrame:
    """A shipped budget-share scenario run to ``end``, beside the same scenario with isoelastic
    demand of elasticity sigma (its ``demand.substitution``), and the budget with its price index unchanged
    B_bar (1 + g_B)^t (first draw).

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``budget share``, ``isoelastic`` (compute spend, USD bn) and
        ``budget`` (USD bn).

    Raises
    ------
    ValueError
        When the scenario's demand form is not ``budget-share``.
    """
    horizon = f"time.end={end}"
    bounded = run_scenario(load_scenario(scenario, [horizon]))
    dem = bounded.values["demand"]
    if dem["form"] != "budget-share":
        raise ValueError(f"scenario {scenario!r} has demand.form {dem['form']!r}; allowed: 'budget-share'")
    sigma = dem["substitution"]
    unbounded = run_scenario(load_scenario(scenario, [horizon, "demand.form=isoelastic",
                                                       f"demand.elasticity={sigma}"]))
    years = bounded.result.years
    budget = bounded.values["budget"]
    t = years - bounded.values["time"]["start"]
    return pd.DataFrame({"budget share": bounded.result.variables["compute_spend"][0],
                         "isoelastic": unbounded.result.variables["compute_spend"][0],
                         "budget": budget["usd_bn"] * (1.0 + budget["growth"]) ** t},
                        index=pd.Index(years.astype(int), name="year"))


def budget_crossing(paths: pd.DataFrame, year: int) -> dict[str, Any]:
    """Numbers of a :func:`spend_against_budget` frame: the first year isoelastic spend exceeds
    the budget (``cross_year``, None if never), both spends as a share of the budget in ``year``
    and in the last year (``iso_share_<year>``, ``bounded_share_<year>``, ``iso_share_end``,
    ``bounded_share_end``, in percent), the last year (``end_year``) and the largest share the
    bounded path ever takes (``bounded_max_share``, percent)."""
    iso, bounded = (100 * paths[c] / paths["budget"] for c in ("isoelastic", "budget share"))
    return {"cross_year": _first_year(paths.index, paths["isoelastic"] > paths["budget"]),
            f"iso_share_{year}": float(iso[year]), f"bounded_share_{year}": float(bounded[year]),
            "iso_share_end": float(iso.iloc[-1]), "bounded_share_end": float(bounded.iloc[-1]),
            "end_year": int(paths.index[-1]), "bounded_max_share": float(bounded.max())}


def final_elasticity_peak(scenario: str, final_elasticity: float, end: int) -> dict[str, float]:
    """A shipped budget-share scenario run to ``end`` with ``demand.final_elasticity`` set: the
    year and level of peak spend (``peak_year``, ``peak``, USD bn), compute's budget share then
    (``peak_share``, percent), spend in the last year (``end``) and the backfire limit s* of the
    scenario's sigma and this eta (``s_star``, percent)."""
    run = run_scenario(load_scenario(scenario, [f"time.end={end}",
                                                f"demand.final_elasticity={final_elasticity}"]))
    spend = run.result.variables["compute_spend"][0]
    i = int(np.argmax(spend))
    sigma = run.values["demand"]["substitution"]
    return {"peak_year": int(run.result.years[i]), "peak": float(spend[i]),
            "peak_share": 100 * float(run.result.variables["compute_share_of_budget"][0, i]),
            "end": float(spend[-1]),
            "s_star": 100 * float(closed_forms.backfire_share_limit(sigma, final_elasticity))}


# --- persistence on deviations ----------------------------------------------------------------------
def no_news_persistence_gap(scenario: str, persistence: float) -> float:
    """Largest relative difference, over every output, draw and year, between a shipped scenario
    and the same scenario with ``demand.persistence`` set. Zero (to rounding) for a scenario
    without dated news: the lag acts only on deviations from the no-news path."""
    plain = run_scenario(load_scenario(scenario)).result.variables
    lagged = run_scenario(load_scenario(scenario, [f"demand.persistence={persistence}"])).result.variables
    return max(float(np.max(np.abs(lagged[k] / plain[k] - 1.0))) for k in plain if np.all(plain[k] != 0))


def news_ratios(results: Mapping[str, Result], reference: Result,
                variable: str = "compute_spend") -> pd.DataFrame:
    """``variable`` of several results over that of a reference run (first draw, same years):
    index ``year``, one column per result."""
    ref = reference.variables[variable][0]
    return pd.DataFrame({name: r.variables[variable][0] / ref for name, r in results.items()},
                        index=pd.Index(reference.years.astype(int), name="year"))


def persistence_summary(ratios: pd.DataFrame, lagged: str, unlagged: str) -> dict[str, Any]:
    """The persistence section's numbers from a :func:`news_ratios` frame: the year and depth of
    the lagged path's dip (``dip_year``, ``dip``), the first year after it that the lagged path is
    above the no-news path (``cross_year``), and both paths in the last year (``lagged_end``,
    ``unlagged_end``, ``end_year``)."""
    path = ratios[lagged]
    dip_year = int(path.idxmin())
    after = path.index > dip_year
    return {"dip_year": dip_year, "dip": float(path.min()),
            "cross_year": _first_year(path.index[after], path[after] > 1.0),
            "lagged_end": float(path.iloc[-1]), "unlagged_end": float(ratios[unlagged].iloc[-1]),
            "end_year": int(path.index[-1])}


# --- upward-sloping supply ------------------------------------------------------------------------
def supply_spend_multipliers(elasticities: Iterable[float], supply_elasticities: Iterable[float],
                             factor: float, params: Params | None = None) -> pd.DataFrame:
    """Long-run spend multiplier of an instant, full efficiency gain ``factor`` under
    upward-sloping supply, computed by the engine.

    Every (elasticity, supply elasticity) pair is one draw of a single vectorised :func:`simulate`
    call with isoelastic demand, ``supply.form = "upward-sloping"`` and no capacity expansion,
    run with the gain one year after the base year and without it; the multiplier is the ratio of
    spend in the last year. It equals S^k, k = (1 + eta_s)(eps - 1) / (eta_s + eps)
    (:func:`model.engine.closed_forms.supply_spend_exponent`).

    Returns
    -------
    pandas.DataFrame
        Index ``elasticity``, columns ``supply elasticity``.
    """
    eps = np.asarray(list(elasticities), dtype=float)
    eta = np.asarray(list(supply_elasticities), dtype=float)
    if np.any(eta <= 0):
        raise ValueError("supply elasticities must be positive")
    grid_eps, grid_eta = (a.reshape(-1) for a in np.meshgrid(eps, eta, indexing="ij"))
    base = Params() if params is None else params
    first = base.segments[0]
    segment = Segment(first.name, 1.0, grid_eps, first.efficiency_doubling_years, first.growth)
    without = replace(base, segments=(segment,), shocks=(), persistence=0.0,
                      supply=Supply("upward-sloping", grid_eta, 0.0))
    with_shock = replace(without, shocks=(Shock(float(base.start + 1), factor, label="one-off"),))
    ratio = (simulate(with_shock).variables["compute_spend"][:, -1]
             / simulate(without).variables["compute_spend"][:, -1])
    return pd.DataFrame(ratio.reshape(eps.size, eta.size), index=pd.Index(eps, name="elasticity"),
                        columns=pd.Index(eta, name="supply elasticity"))


def supply_summary(constrained: Result, free: Result) -> dict[str, Any]:
    """Numbers of an upward-sloping-supply run beside the same scenario with elastic supply (first
    draw): the peak markup and its year (``markup_peak``, ``markup_year``), the peak rent, its
    year and its share of that year's spend (``rent_peak`` USD bn, ``rent_year``,
    ``rent_share`` percent), the first year the markup is below one (``glut_year``, None if
    never), the markup and rent in the last year (``markup_end``, ``rent_end``) and the largest
    gap between the two spend paths (``spend_gap``, percent of the elastic-supply path)."""
    markup = constrained.variables["scarcity_markup"][0]
    rent = constrained.variables["scarcity_rent"][0]
    spend = constrained.variables["compute_spend"][0]
    years = constrained.years
    i, j = int(np.argmax(markup)), int(np.argmax(rent))
    gap = 100 * np.abs(spend / free.variables["compute_spend"][0] - 1.0)
    return {"markup_peak": float(markup[i]), "markup_year": int(years[i]),
            "rent_peak": float(rent[j]), "rent_year": int(years[j]),
            "rent_share": 100 * float(rent[j] / spend[j]),
            "glut_year": _first_year(years, markup < 1.0),
            "markup_end": float(markup[-1]), "rent_end": float(rent[-1]),
            "spend_gap": float(gap.max())}


# --- shocks per segment ---------------------------------------------------------------------------
def segment_news_ratios(params: Params) -> pd.DataFrame:
    """Spend of each demand segment, and in total, with the scenario's dated shocks over spend
    without them (the ``compute_spend|<segment>`` outputs, first draw): index ``year``, one column
    per segment and ``total``."""
    if len(params.segments) < 2:
        raise ValueError("segment_news_ratios needs a scenario with at least two demand segments")
    with_news = simulate(params).variables
    without = simulate(replace(params, shocks=())).variables
    names = [s.name for s in params.segments]
    columns = {n: with_news[f"compute_spend|{n}"][0] / without[f"compute_spend|{n}"][0] for n in names}
    columns["total"] = with_news["compute_spend"][0] / without["compute_spend"][0]
    return pd.DataFrame(columns, index=pd.Index(params.years.astype(int), name="year"))


def segment_shock_summary(params: Params, ratios: pd.DataFrame, year: int) -> dict[str, float]:
    """For each segment ``name`` of a segmented scenario with one shock per segment: its
    substitution (``<name>_sigma``), share of base-year spend (``<name>_share``, percent), its
    shock's factor and coverage (``<name>_factor``, ``<name>_coverage``), the engine's spend ratio
    in ``year`` and in the last year of a :func:`segment_news_ratios` frame (``<name>_ratio``,
    ``<name>_ratio_end``) and the small-share closed form 1 - phi + phi S^(sigma - 1)
    (``<name>_closed``)."""
    values: dict[str, float] = {}
    for s in params.segments:
        shocks = [k for k in params.shocks if not k.segments or s.name in k.segments]
        if len(shocks) != 1:
            raise ValueError(f"segment {s.name!r} has {len(shocks)} shocks; allowed: exactly one")
        shock = shocks[0]
        values.update({f"{s.name}_sigma": float(s.substitution), f"{s.name}_share": 100 * float(s.share),
                       f"{s.name}_factor": float(shock.factor), f"{s.name}_coverage": float(shock.coverage),
                       f"{s.name}_ratio": float(ratios.loc[year, s.name]),
                       f"{s.name}_ratio_end": float(ratios[s.name].iloc[-1]),
                       f"{s.name}_closed": float(closed_forms.jevons_factor(s.substitution, shock.factor,
                                                                            shock.coverage))})
    return values


# --- Nvidia's share ---------------------------------------------------------------------------------
def ces_share(share0, substitution, substitute_gain, t, margin0=0.62, margin=None):
    """Nvidia's CES share of accelerator spend after t years: logit s_t = logit s_0 +
    (1 - sigma_a) ln rho_t with rho_t = (1 + g_alt)^t (1 - m_0) / (1 - m_t) (``margin`` m_t
    defaults to m_0). The closed form of the engine's ``nvidia_share`` without a linear drift."""
    margin = margin0 if margin is None else margin
    log_rho = (np.asarray(t, dtype=float) * np.log1p(np.asarray(substitute_gain, dtype=float))
               + np.log1p(-np.asarray(margin0, dtype=float)) - np.log1p(-np.asarray(margin, dtype=float)))
    logit = _logit(share0) + (1.0 - np.asarray(substitution, dtype=float)) * log_rho
    return 1.0 / (1.0 + np.exp(-logit))


def substitute_gain_to_reach(share0, target, years, substitution):
    """The yearly gain g_alt of the alternatives' price-performance that takes Nvidia's CES share
    from ``share0`` to ``target`` in ``years`` at a constant margin: ln(1 + g_alt) =
    (logit s_0 - logit target) / ((sigma_a - 1) years) (the inverse of :func:`ces_share`)."""
    return np.expm1((_logit(share0) - _logit(target))
                    / ((np.asarray(substitution, dtype=float) - 1.0) * np.asarray(years, dtype=float)))


def nvidia_share_table(scenario: str, gains: Sequence[float], years: Sequence[int]) -> pd.DataFrame:
    """Nvidia's share of accelerator spend (percent) and its data-center revenue (USD bn) in
    ``years`` for a shipped scenario run with several ``value_capture.substitute_gain`` values
    (first draw).

    Returns
    -------
    pandas.DataFrame
        Index ``substitute gain``; columns a MultiIndex (``share (%)`` or ``revenue (USD bn)``,
        year).

    Raises
    ------
    KeyError
        A year the scenario does not simulate.
    """
    rows = {}
    for g in gains:
        run = run_scenario(load_scenario(scenario, [f"value_capture.substitute_gain={g}"])).result
        missing = [y for y in years if y not in run.years]
        if missing:
            raise KeyError(f"year(s) {', '.join(map(str, missing))} not simulated in scenario {scenario!r}")
        idx = [int(np.flatnonzero(run.years == y)[0]) for y in years]
        rows[g] = {**{("share (%)", y): 100 * float(run.variables["nvidia_share"][0, i])
                      for y, i in zip(years, idx, strict=True)},
                   **{("revenue (USD bn)", y): float(run.variables["nvidia_dc_revenue"][0, i])
                      for y, i in zip(years, idx, strict=True)}}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    frame.index.name = "substitute gain"
    return frame


def value_news_return(scenario: str, override: str) -> float:
    """Predicted return (:func:`model.engine.valuation.predicted_return`, first draw) on news that
    changes a shipped scenario by one ``--set`` override, such as a faster gain of the
    alternatives (``value_capture.substitute_gain``) or a margin squeeze
    (``value_capture.margin_drift``): the valuation reads the engine's share and margin paths."""
    pre = params_from_values(run_scenario(load_scenario(scenario)).values)
    post = params_from_values(run_scenario(load_scenario(scenario, [override])).values)
    return float(predicted_return(pre, post)[0])


def drawn_interval(draws, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` interval of a parameter's Monte Carlo draws (empirical quantiles)."""
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    low, high = np.quantile(np.asarray(draws, dtype=float), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)
