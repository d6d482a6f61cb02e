"""Known answers for demand growth that fades (demand.long_run_growth, demand.growth_half_life,
demand.growth_fade_start; model.engine.growth): the closed form, its limits, the engine's paths,
bit-identity without the keys, vectorisation over draws and the no-news invariance."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.integrate import quad

from model.engine import demand, growth
from model.engine import simulation as sim
from model.engine.params import Budget, Params, Segment, Shock, Supply, params_from_values
from model.engine.simulation import simulate
from model.errors import JevonsError
from model.scenarios.loader import available_scenarios, load_scenario
from model.scenarios.runs import sample, simulate_values

T = np.arange(12, dtype=float)  # years since the base year, 2024-2035


def closed_form(t, g, g_inf, half_life):
    """The brief's formula, written out independently: gi t + (gl - gi)(1 - e^{-kt}) / k."""
    gl, gi, k = np.log1p(g), np.log1p(g_inf), np.log(2.0) / half_life
    return gi * t + (gl - gi) * (1.0 - np.exp(-k * t)) / k


def seg(form="isoelastic", g=1.0, g_inf=None, h=2.0, start=None, **kw):
    return Segment("all", 1.0, kw.pop("eps", 1.0), 0.67, g, form=form, long_run_growth=g_inf,
                   growth_half_life=h, growth_fade_start=start, **kw)


def spend(params):
    return simulate(params).variables["compute_spend"]


# --- the closed form ---------------------------------------------------------------------------


@pytest.mark.parametrize("g, g_inf, h", [(1.04, 0.15, 2.0), (0.5, 0.05, 1.0), (0.1, 0.4, 4.0),
                                         (2.0, -0.1, 0.5)])
def test_log_growth_is_the_closed_form(g, g_inf, h):
    np.testing.assert_allclose(growth.log_growth(T, g, g_inf, h), closed_form(T, g, g_inf, h),
                               rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("start", [0.0, 1.5, 2.0, 20.0])
def test_log_growth_is_the_integral_of_the_yearly_log_growth(start):
    g, g_inf, h = 1.04, 0.15, 2.0
    for t in (0.5, 2.0, 3.7, 11.0):
        integral, _ = quad(lambda u: float(growth.yearly_log_growth(u, g, g_inf, h, start)), 0.0, t,
                           points=[min(start, t)], epsabs=1e-13, epsrel=1e-13)
        assert float(growth.log_growth(t, g, g_inf, h, start)) == pytest.approx(integral, rel=1e-10)


def test_the_gap_to_long_run_growth_halves_every_half_life():
    g, g_inf, h = 1.04, 0.15, 2.5
    gap = growth.yearly_log_growth(np.array([0.0, h, 2 * h, 3 * h]), g, g_inf, h) - np.log1p(g_inf)
    np.testing.assert_allclose(gap, (np.log1p(g) - np.log1p(g_inf)) * 0.5 ** np.arange(4),
                               rtol=1e-12)


def test_growth_holds_until_the_fade_starts():
    g, g_inf, h, s = 1.04, 0.15, 2.0, 2.0
    path = growth.log_growth(T, g, g_inf, h, s)
    np.testing.assert_array_equal(path[:3], T[:3] * np.log1p(g))
    np.testing.assert_allclose(path[3:] - 2 * np.log1p(g), closed_form(T[3:] - 2, g, g_inf, h),
                               rtol=1e-13)


@pytest.mark.parametrize("h", [1e15, np.inf])
def test_an_infinite_half_life_is_constant_growth(h):
    np.testing.assert_allclose(growth.log_growth(T, 1.04, 0.15, h), T * np.log1p(1.04), rtol=1e-12,
                               atol=0)


def test_long_run_growth_equal_to_growth_is_constant_growth():
    np.testing.assert_allclose(growth.log_growth(T, 0.7, 0.7, 1.5), T * np.log1p(0.7), rtol=1e-12)


def test_without_a_long_run_rate_the_path_is_the_constant_growth_expression():
    np.testing.assert_array_equal(growth.log_growth(T, 0.7), T * np.log1p(0.7))
    with pytest.raises(ValueError, match="growth_half_life"):
        growth.log_growth(T, 0.7, 0.1, None)


# --- the engine ----------------------------------------------------------------------------------


def test_unit_elasticity_spend_is_base_times_the_growth_path():
    """eps = 1: spend does not respond to prices, so it is X0 e^G(t) exactly."""
    params = Params(segments=(seg(g=1.04, g_inf=0.15, h=2.0),), shocks=(Shock(2025.07, 11.0),))
    np.testing.assert_allclose(spend(params)[0], 223.0 * np.exp(closed_form(T, 1.04, 0.15, 2.0)),
                               rtol=1e-12)


def test_budget_share_log_odds_move_with_the_growth_path():
    """sigma = eta = 1: compute's share is price-independent, its log odds are those of the base
    year plus G(t) - t ln(1 + g_B)."""
    budget = Budget(usd_bn=110_000.0, growth=0.05)
    params = Params(segments=(seg("budget-share", g=1.04, g_inf=0.15, h=2.0, substitution=1.0,
                                  final_elasticity=1.0),), budget=budget)
    out = simulate(params).variables
    log_odds = (np.log(223.0 / (110_000.0 - 223.0)) + closed_form(T, 1.04, 0.15, 2.0)
                - T * np.log1p(0.05))
    np.testing.assert_allclose(out["compute_share_of_budget"][0], 1 / (1 + np.exp(-log_odds)),
                               rtol=1e-12)
    assert np.all(out["compute_spend"] < out["budget"])


@pytest.mark.parametrize("form", ["isoelastic", "budget-share", "saturating"])
def test_the_engine_with_an_infinite_half_life_or_equal_rates_is_constant_growth(form):
    shocks = (Shock(2025.07, 11.0, 0.7, 1.0),)
    constant = spend(Params(segments=(seg(form, g=1.04, eps=1.2, substitution=1.2),), shocks=shocks))
    for g_inf, h in ((0.15, 1e15), (0.15, np.inf), (1.04, 2.0)):
        faded = spend(Params(segments=(seg(form, g=1.04, g_inf=g_inf, h=h, eps=1.2, substitution=1.2),),
                             shocks=shocks))
        np.testing.assert_allclose(faded, constant, rtol=1e-12, atol=0)


def test_fft_demand_growth_fades_too():
    values = load_scenario("fft", ["demand.growth=0.5"]).values
    plain = spend(params_from_values(values))
    values["demand"]["long_run_growth"] = 0.5
    np.testing.assert_allclose(spend(params_from_values(values)), plain, rtol=1e-12)
    values["demand"]["long_run_growth"] = 0.05
    assert np.all(spend(params_from_values(values))[0, 1:] < plain[0, 1:])


def test_segments_inherit_the_keys_and_may_override_them():
    values = load_scenario("segments", ["demand.growth=0.8", "demand.long_run_growth=0.1"]).values
    params = params_from_values(values)
    assert all(s.long_run_growth == 0.1 and s.growth_half_life == 2.0 for s in params.segments)
    values["demand"]["segments"][0]["growth_half_life"] = 5.0
    values["demand"]["segments"][0]["growth_fade_start"] = 2027.0
    first = params_from_values(values).segments[0]
    assert first.growth_half_life == 5.0 and first.growth_fade_start == 2027.0


def _constant_growth_engine(monkeypatch):
    """The engine's demand-growth code as it was before the fade, verbatim (t ln(1 + g))."""
    monkeypatch.setattr(sim, "_log_demand_growth",
                        lambda seg, t, start: t * np.log1p(sim._col(seg.growth)))
    monkeypatch.setattr(sim, "_log_odds", lambda seg, base, budget_base, budget_growth, t, start:
                        demand.log_odds_path(base, budget_base, t, sim._col(seg.growth),
                                             sim._col(budget_growth)))


@pytest.mark.parametrize("name", available_scenarios())
def test_without_the_keys_every_shipped_scenario_is_bit_identical(name, monkeypatch):
    scenario = load_scenario(name)
    n = 64 if scenario.distributions else 1
    drawn = sample(scenario, n, 7)
    drawn["demand"]["long_run_growth"] = None  # the scenario without the key (fitted sets it)
    now = simulate_values(drawn, n).variables
    # the half-life and fade start are unused without a long-run rate
    other = {**drawn, "demand": {**drawn["demand"], "growth_half_life": 0.37,
                                 "growth_fade_start": 2030.0}}
    unused = simulate_values(other, n).variables
    _constant_growth_engine(monkeypatch)
    before = simulate_values(drawn, n).variables
    for key, values_now in now.items():
        np.testing.assert_array_equal(values_now, before[key], err_msg=key)
        np.testing.assert_array_equal(unused[key], before[key], err_msg=key)


def test_vectorised_over_draws_equals_each_draw_alone():
    rng = np.random.default_rng(5)
    n = 257
    g, g_inf, h = rng.uniform(0.3, 1.5, n), rng.uniform(0.0, 0.3, n), rng.uniform(0.5, 6.0, n)
    shocks = (Shock(2025.07, 11.0, 0.7, 1.0),)

    def params(i=slice(None)):
        return Params(segments=(seg("budget-share", g=g[i], g_inf=g_inf[i], h=h[i], start=2026.0,
                                    substitution=0.92),), shocks=shocks)

    together = spend(params())
    assert together.shape == (n, T.size)
    for i in (0, 17, 256):
        np.testing.assert_allclose(together[i], spend(params(i))[0], rtol=1e-13)
    np.testing.assert_allclose(together[:, 0], 223.0, rtol=1e-12)  # the base year is the base


@pytest.mark.parametrize("form", ["isoelastic", "budget-share", "saturating"])
@pytest.mark.parametrize("sloped", [False, True])
def test_persistence_and_supply_without_news_change_nothing_when_growth_fades(form, sloped):
    base = Params(segments=(seg(form, g=1.0, g_inf=0.1, h=1.5, start=2026.0, eps=1.2,
                                substitution=1.2),),
                  supply=Supply("upward-sloping" if sloped else "elastic", 0.5, 0.5))
    still = simulate(base).variables
    for lam in (0.3, 0.9):
        lagged = simulate(dataclasses.replace(base, persistence=lam)).variables
        for name, values in still.items():
            np.testing.assert_allclose(lagged[name], values, rtol=1e-12, atol=0, err_msg=name)
    if sloped:
        np.testing.assert_allclose(still["scarcity_markup"], 1.0, rtol=1e-12)


def test_the_keys_are_validated_with_one_line_errors():
    with pytest.raises(JevonsError, match="demand.growth_half_life"):
        load_scenario("baseline", ["demand.growth_half_life=0"])
    with pytest.raises(JevonsError, match="demand.long_run_growth"):
        load_scenario("baseline", ["demand.long_run_growth=-1"])


# --- the posterior paths and the sensitivity table ----------------------------------------------


@pytest.fixture(scope="module")
def calibration(mirror):
    from model.calibration.fit import fit

    return fit("2025-02-10", draws=500, grid_draws=20)


def test_posterior_paths_hold_the_fitted_growth_through_the_plans_then_fade(calibration):
    from model.analysis import models as am

    held = am.posterior_paths(calibration, 500, 7, fade=False).variables["compute_spend"]
    faded = am.posterior_paths(calibration, 500, 7)  # the default fades
    last_plan = calibration.capex.plans["year"].max()
    through = faded.years <= last_plan
    spend = faded.variables["compute_spend"]
    np.testing.assert_allclose(spend[:, through], held[:, through], rtol=1e-12)
    assert np.median(spend[:, -1]) < 0.5 * np.median(held[:, -1])
    endless = am.posterior_paths(calibration, 500, 7, fade=True, half_life=1e15)
    np.testing.assert_allclose(endless.variables["compute_spend"], held, rtol=1e-9)


def test_the_fade_table_runs_from_the_fastest_fade_to_none(calibration):
    from model.analysis import models as am
    from model.output import backtest_tables as bt

    frame = am.fade_sensitivity(calibration, 400, 7)
    late = frame[frame["year"] == 2035]
    fixed = late[np.isfinite(late["half_life"])]
    assert list(fixed["half_life"]) == [1.0, 2.0, 4.0]
    assert fixed["median"].is_monotonic_increasing
    held = late[np.isinf(late["half_life"])].iloc[0]
    assert held["median"] > fixed["median"].max()
    plain = am.posterior_paths(calibration, 400, 7, fade=False).variables["compute_spend"][:, -1]
    assert held["median"] == pytest.approx(np.median(plain), rel=1e-12)
    assert held["median_share"] == pytest.approx(held["median"] / held["world_gdp"])
    lo, hi = frame["long_run_low"].iloc[0], frame["long_run_high"].iloc[0]
    assert 0 < lo < hi < 2
    table = bt.growth_fade_table(frame)
    assert len(table) == 5 and "2035 90% band" in table.columns
