"""Known answers for the bounded demand model: budget-share demand, persistence on deviations,
the ECP replacing the trend, shocks per segment, upward-sloping supply, Nvidia's share and margin."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import load_scenario, run_scenario
from model.engine import closed_forms as cf
from model.engine import demand
from model.engine.params import (
    Budget,
    Params,
    Segment,
    Shock,
    Supply,
    ValueCapture,
    params_from_values,
)
from model.engine.simulation import simulate
from model.engine.valuation import predicted_return
from model.scenarios.loader import available_scenarios

YEARS = np.arange(2024, 2036)


def seg(form="budget-share", sigma=1.3, eta=1.0, eps=1.3, growth=0.0, name="all", share=1.0, alg=0.67):
    return Segment(name, share, eps, alg, growth, form=form, substitution=sigma, final_elasticity=eta)


def run(params: Params) -> dict[str, np.ndarray]:
    return simulate(params).variables


# --- budget share ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sigma", [0.6, 1.0, 1.3, 1.6])
def test_a_huge_budget_gives_the_isoelastic_path_with_elasticity_sigma(sigma):
    shocks = (Shock(2025.07, 11.0, 0.7, 1.0),)
    growth = 0.1
    bounded = Params(segments=(seg(sigma=sigma, growth=growth),), shocks=shocks,
                     budget=Budget(usd_bn=223.0 * 1e12, growth=growth))
    iso = Params(segments=(seg("isoelastic", eps=sigma, growth=growth),), shocks=shocks)
    np.testing.assert_allclose(run(bounded)["compute_spend"], run(iso)["compute_spend"], rtol=1e-6)


def test_the_base_year_spend_is_the_observed_one_whatever_the_budget():
    for budget in (300.0, 1e4, 1e6):
        out = run(Params(segments=(seg(sigma=1.5, eta=0.5),), budget=Budget(budget, 0.03)))
        assert out["compute_spend"][0, 0] == pytest.approx(223.0, rel=1e-12)
        assert out["budget"][0, 0] == pytest.approx(budget, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(sigma=st.floats(0.1, 5.0), eta=st.floats(0.1, 3.0), factor=st.floats(1.0, 1e6),
       budget=st.floats(224.0, 1e6), growth=st.floats(-0.5, 2.0), budget_growth=st.floats(-0.3, 0.5),
       lam=st.sampled_from([0.0, 0.7]), sloped=st.booleans())
def test_spend_never_exceeds_the_budget(sigma, eta, factor, budget, growth, budget_growth, lam, sloped):
    params = Params(segments=(seg(sigma=sigma, eta=eta, growth=growth),),
                    shocks=(Shock(2025.07, factor, 1.0, 0.5),), budget=Budget(budget, budget_growth),
                    persistence=lam, supply=Supply("upward-sloping" if sloped else "elastic", 0.7, 0.3))
    out = run(params)
    assert np.all(np.isfinite(out["compute_spend"]))
    assert np.all(out["compute_spend"] <= out["budget"] * (1 + 1e-12))
    assert np.all(out["compute_share_of_budget"] > 0) and np.all(out["compute_share_of_budget"] <= 1 + 1e-12)


def test_the_point_elasticity_moves_from_sigma_to_eta_with_the_share():
    sigma, eta = 1.6, 0.4
    p = np.geomspace(1e-12, 1e4, 400)  # cheaper compute: a larger share when sigma > 1
    shape = demand.Shape(substitution=sigma, final_elasticity=eta, log_odds=np.log(1e-3 / (1 - 1e-3)))
    eps = demand.point_elasticity(p, "budget-share", shape=shape)
    assert eps[-1] == pytest.approx(sigma, abs=1e-3)  # expensive compute: a negligible share
    assert eps[0] == pytest.approx(eta, abs=1e-3)  # almost free compute: almost the whole budget
    assert np.all(np.diff(eps) >= -1e-12)  # monotone in the price
    assert np.all((eps >= eta - 1e-12) & (eps <= sigma + 1e-12))
    share = np.exp(demand.budget_share_logs(np.log(p), sigma, eta, shape.log_odds)[0])
    np.testing.assert_allclose(eps, cf.budget_share_elasticity(share, sigma, eta), rtol=1e-12)


def test_backfire_stops_at_the_share_where_the_elasticity_crosses_one():
    sigma, eta = 1.5, 0.5
    s_star = float(cf.backfire_share_limit(sigma, eta))
    assert s_star == pytest.approx(0.5)
    assert cf.budget_share_elasticity(s_star, sigma, eta) == pytest.approx(1.0)
    assert np.isnan(cf.backfire_share_limit(1.5, 1.0)) and np.isnan(cf.backfire_share_limit(0.8, 0.5))


def test_unit_substitution_and_final_elasticity_keep_the_share_constant_under_any_shock():
    for factor in (0.5, 11.0, 1e4):
        out = run(Params(segments=(seg(sigma=1.0, eta=1.0),), shocks=(Shock(2025.0, factor),),
                         budget=Budget(1e5, 0.0)))
        np.testing.assert_allclose(out["compute_spend"], 223.0, rtol=1e-12)


def _shipped_runs():
    return {name: run_scenario(load_scenario(name)) for name in available_scenarios()}


@pytest.fixture(scope="module")
def shipped():
    return _shipped_runs()


def test_every_shipped_scenario_stays_within_its_budget_in_every_draw_and_year(shipped):
    for name, r in shipped.items():
        out = r.result.variables
        if "budget" in out:
            budget = out["budget"]
        else:  # curves without a budget are held to the scenario's budget path all the same
            p = params_from_values(r.values)
            budget = np.asarray(p.budget.usd_bn) * (1 + np.asarray(p.budget.growth)) ** (r.result.years - p.start)
        assert np.all(out["compute_spend"] <= budget * (1 + 1e-12)), name
        assert np.all(np.isfinite(out["compute_spend"])), name


def test_the_montecarlo_fan_chart_carries_information(shipped):
    mc = shipped["montecarlo"].result
    spend_2035 = mc.variables["compute_spend"][:, -1]
    p05, p95 = np.percentile(spend_2035, [5, 95])
    assert mc.n_draws == 10_000
    assert p95 < 25_000  # about 13% of world GDP in 2035
    assert p95 / p05 < 1e3  # the 90% band spans under three orders of magnitude


# --- persistence on deviations --------------------------------------------------------------------


@pytest.mark.parametrize("form", ["isoelastic", "budget-share", "saturating"])
@pytest.mark.parametrize("sloped", [False, True])
def test_persistence_without_news_changes_nothing(form, sloped):
    base = Params(segments=(seg(form, growth=0.2),), supply=Supply("upward-sloping" if sloped else "elastic", 0.5, 0.5))
    still = run(base)
    for lam in (0.3, 0.9):
        lagged = run(dataclasses.replace(base, persistence=lam))
        for name, values in still.items():
            np.testing.assert_allclose(lagged[name], values, rtol=1e-12, atol=0, err_msg=name)


def test_persistence_scales_the_first_year_log_response_by_one_minus_lambda():
    lam = 0.6
    base = Params(segments=(seg(sigma=1.4),), shocks=(Shock(2025.0, 11.0),))
    no_news = run(dataclasses.replace(base, shocks=()))["useful_work"]
    long_run = np.log(run(base)["useful_work"] / no_news)
    short_run = np.log(run(dataclasses.replace(base, persistence=lam))["useful_work"] / no_news)
    assert short_run[0, 1] == pytest.approx((1 - lam) * long_run[0, 1], rel=1e-9)
    assert abs(short_run[0, -1] - long_run[0, -1]) < 0.05 * long_run[0, -1]  # the gap closes


def test_the_persistence_scenario_no_longer_falls_without_news():
    values = load_scenario("partial-adjustment", ["efficiency.shocks=[]"]).values
    lagged = run(params_from_values(values))["compute_spend"]
    plain = run(params_from_values(load_scenario("baseline").values))["compute_spend"]
    np.testing.assert_allclose(lagged, plain, rtol=1e-12)


# --- the ECP replaces the trend -------------------------------------------------------------------


@pytest.mark.parametrize("gain", [10.0, 60.0])
def test_the_ecp_programme_multiplies_useful_work_per_flop_by_exactly_its_gain(gain):
    # A programme from mid-2024 for 7 years covers the mid-years of 2024 to 2031 exactly.
    scenario = load_scenario("ecp-60x", [f"ecp.gain={gain}", "ecp.start=2024.5", "ecp.years=7"])
    a = run_scenario(scenario).result.variables["useful_work_per_flop"][0]
    assert a[7] / a[0] == pytest.approx(gain, rel=1e-12)  # 2031 / 2024
    trend = 2 ** (1 / scenario.values["efficiency"]["doubling_years"])
    assert a[9] / a[7] == pytest.approx(trend ** 2, rel=1e-12)  # the trend resumes afterwards
    added = load_scenario("ecp-60x", [f"ecp.gain={gain}", "ecp.start=2024.5", "ecp.years=7", "ecp.mode=add"])
    b = run_scenario(added).result.variables["useful_work_per_flop"][0]
    assert b[7] / b[0] == pytest.approx(gain * trend ** 7, rel=1e-12)  # stacked: double counted


# --- shocks per segment ---------------------------------------------------------------------------


def test_a_shock_restricted_to_one_segment_leaves_the_other_unchanged():
    segments = (seg(name="training", share=0.4, sigma=1.0), seg(name="inference", share=0.6, sigma=1.3))
    none = run(Params(segments=segments))
    only = run(Params(segments=segments, shocks=(Shock(2025.07, 27.0, 1.0, 0.5, segments=("inference",)),)))
    np.testing.assert_array_equal(only["compute_spend|training"], none["compute_spend|training"])
    assert np.all(only["compute_spend|inference"][0, 1:] > none["compute_spend|inference"][0, 1:])
    np.testing.assert_allclose(only["compute_spend|training"] + only["compute_spend|inference"],
                               only["compute_spend"], rtol=1e-12)


def test_the_segments_scenario_sends_each_deepseek_shock_to_its_segment():
    out = run_scenario(load_scenario("segments")).result.variables
    trend = run_scenario(load_scenario("segments", ["efficiency.shocks=[]"])).result.variables
    # training has unit elasticity: its training-only shock leaves its spend where it was
    np.testing.assert_allclose(out["compute_spend|training"], trend["compute_spend|training"], rtol=1e-12)
    assert out["compute_spend|inference"][0, -1] > trend["compute_spend|inference"][0, -1]


# --- upward-sloping supply ------------------------------------------------------------------------


@pytest.mark.parametrize("eps", [0.5, 1.0, 1.5, 2.5])
@pytest.mark.parametrize("eta_s", [0.05, 0.5, 2.0, 200.0])
def test_upward_sloping_supply_damps_the_rebound_by_the_closed_form(eps, eta_s):
    factor = 11.0
    base = Params(segments=(seg("isoelastic", eps=eps),), supply=Supply("upward-sloping", eta_s, 0.0))
    shocked = dataclasses.replace(base, shocks=(Shock(2025.0, factor),))
    ratio = run(shocked)["compute_spend"] / run(base)["compute_spend"]
    expected = factor ** cf.supply_spend_exponent(eps, eta_s)
    np.testing.assert_allclose(ratio[0, 1:], expected, rtol=1e-9)
    assert run(base)["scarcity_markup"] == pytest.approx(1.0)  # no news: no markup


def test_the_supply_exponent_has_the_stated_limits():
    eps = np.array([0.5, 1.5, 3.0])
    np.testing.assert_allclose(cf.supply_spend_exponent(eps, 1e12), eps - 1, rtol=1e-9)
    np.testing.assert_allclose(cf.supply_spend_exponent(eps, 1e-12), (eps - 1) / eps, rtol=1e-9)


def test_capacity_expansion_builds_the_markup_away():
    supply = Supply("upward-sloping", 0.5, 0.5)
    params = Params(segments=(seg(sigma=1.4),), shocks=(Shock(2025.0, 11.0),), supply=supply)
    markup = run(params)["scarcity_markup"][0]
    stuck = run(dataclasses.replace(params, supply=dataclasses.replace(supply, expansion=0.0)))["scarcity_markup"][0]
    assert markup[1] == pytest.approx(stuck[1], rel=1e-12)  # the first year is the same
    assert np.all(markup[2:] < stuck[2:])
    assert abs(np.log(markup[-1])) < abs(np.log(markup[1]))  # towards the trend cost
    rent = run(params)["scarcity_rent"][0]
    assert np.all(np.sign(rent) == np.sign(np.round(markup - 1, 15)))  # a glut is a negative rent


def test_the_supply_constrained_scenario_is_bounded_and_its_markup_modest():
    out = run_scenario(load_scenario("supply-constrained")).result.variables
    assert np.all(out["compute_spend"] <= out["budget"])
    assert 1.0 < out["scarcity_markup"].max() < 10.0


# --- Nvidia's share and margin --------------------------------------------------------------------


def _nvidia(**vc):
    return run(Params(segments=(seg(sigma=1.1),), value_capture=ValueCapture(**vc)))


def test_nvidia_share_is_the_ces_logit_of_relative_price_performance():
    t = YEARS - 2024
    out = _nvidia(nvidia_share=0.8, substitution=3.0, substitute_gain=0.1)
    logit = np.log(0.8 / 0.2) + (1 - 3.0) * t * np.log(1.1)
    np.testing.assert_allclose(out["nvidia_share"][0], 1 / (1 + np.exp(-logit)), rtol=1e-12)
    np.testing.assert_allclose(out["nvidia_dc_revenue"], out["nvidia_share"] * 0.6 * out["compute_spend"], rtol=1e-12)
    # unit substitution: relative prices do not move the share
    np.testing.assert_allclose(_nvidia(substitution=1.0, substitute_gain=0.3)["nvidia_share"], 0.8, rtol=1e-12)


def test_a_margin_squeeze_lowers_the_margin_and_raises_the_share():
    out = _nvidia(nvidia_margin=0.62, margin_drift=-0.03, substitution=2.0)
    assert out["nvidia_margin"][0, 0] == pytest.approx(0.62)
    assert out["nvidia_margin"][0, -1] == pytest.approx(0.62 - 0.33)
    assert np.all(np.diff(out["nvidia_share"][0]) > 0)


def test_news_of_cheaper_custom_silicon_lowers_nvidia_value_with_no_efficiency_news():
    pre = Params(segments=(seg(sigma=1.1),))
    post = dataclasses.replace(pre, value_capture=ValueCapture(substitute_gain=0.05))
    assert float(predicted_return(pre, post)[0]) < -0.05
    squeeze = dataclasses.replace(pre, value_capture=ValueCapture(margin_drift=-0.02))
    assert float(predicted_return(pre, squeeze)[0]) < 0
    assert float(predicted_return(pre, pre)[0]) == 0.0  # no news, no return


# --- the FFT analogy under the budget -------------------------------------------------------------


def test_the_fft_scenario_respects_the_budget():
    out = run_scenario(load_scenario("fft")).result.variables
    assert np.all(out["compute_spend"] <= out["budget"])
    unbounded = run_scenario(load_scenario("fft", ["demand.form=isoelastic"])).result.variables
    assert unbounded["compute_spend"].max() > out["budget"].max()  # what the budget prevents


# --- sourced defaults -----------------------------------------------------------------------------


def test_no_default_cites_an_issue_or_the_brief():
    from pathlib import Path

    from model.engine import schema
    for f in schema.FIELDS:
        assert "issue" not in f.source.lower() and "DESIGN.md" not in f.source, f.key
    for path in sorted(Path("scenarios").glob("*.toml")):
        text = path.read_text()
        assert "issue #" not in text and "DESIGN.md" not in text, path


def test_the_budget_and_margin_defaults_are_the_facts_they_cite():
    from model.data.facts import fact_value
    from model.engine import schema
    assert schema.BY_KEY["budget.usd_bn"].default == fact_value("world_gdp_2024_usd_bn")
    margin = fact_value("nvda_operating_income_fy2025_q3") / fact_value("nvda_revenue_fy2025_q3")
    assert schema.BY_KEY["value_capture.nvidia_margin"].default == pytest.approx(margin, abs=0.005)
    real = fact_value("world_real_growth_2025_pct") / 100
    assert schema.BY_KEY["budget.growth"].default == pytest.approx(real + 0.02, abs=0.005)


def test_every_numeric_default_has_a_source_or_a_reasoned_assumption():
    from model.engine import schema
    for f in schema.FIELDS:
        if f.kind in (schema.FLOAT, schema.INT) and f.default is not None and not f.key.startswith("montecarlo."):
            assert f.source.strip() not in ("-", "assumption", ""), f.key
