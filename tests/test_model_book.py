"""The closed forms, path summaries and chapter tables that the model chapters of the book call
(model.engine.closed_forms, model.engine.problem_size, model.output.tables): each against a known
answer, the engine, or an inverse."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from model.constants import DEFAULT_AS_OF
from model.data.facts import fact_value
from model.engine import closed_forms as cf
from model.engine import demand, problem_size
from model.engine.params import Params, params_from_values
from model.engine.simulation import Result, simulate
from model.output import plotting as plots
from model.output import tables as report
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario


def result(years, **variables) -> Result:
    arrays = {k: np.atleast_2d(np.asarray(v, dtype=float)) for k, v in variables.items()}
    return Result(years=np.asarray(years), variables=arrays, n_draws=next(iter(arrays.values())).shape[0])


# --- closed forms ----------------------------------------------------------------------------------
def test_spend_multiplier_is_the_full_coverage_jevons_factor():
    eps, s = np.linspace(0, 2.5, 26)[:, None], np.array([2.0, 11.0, 60.0])
    np.testing.assert_allclose(cf.spend_multiplier(eps, s), cf.jevons_factor(eps, s, 1.0), rtol=1e-12)
    np.testing.assert_allclose(cf.spend_multiplier(1.0, s), 1.0)


def test_gain_and_elasticity_for_a_multiplier_invert_the_multiplier():
    gain = cf.gain_for_spend_multiplier(0.5, 0.92)
    assert cf.spend_multiplier(0.92, gain) == pytest.approx(0.5)
    assert gain == pytest.approx(2 ** (1 / 0.08))  # S = 2^(1/(1 - eps))
    eps = cf.elasticity_for_spend_multiplier(2.0, 11.0)
    assert cf.spend_multiplier(eps, 11.0) == pytest.approx(2.0)


def test_price_fall_compounds_the_yearly_fall_and_matches_the_log_form():
    assert cf.price_fall(11, 2.5, 0.67) == pytest.approx(cf.price_fall_per_year(2.5, 0.67) ** 11)
    assert math.log(cf.price_fall(3.0, 2.5, 0.67)) == pytest.approx(cf.log_price_fall(3.0, 2.5, 0.67))
    assert cf.hardware_share_of_price_fall(2.0, 2.0) == pytest.approx(0.5)
    assert 0 < cf.hardware_share_of_price_fall(2.5, 0.67) < 0.5  # the faster trend dominates


def test_saturating_unit_elasticity_price_has_point_elasticity_one():
    for eps0, p_sat in [(1.5, 0.01), (2.0, 1.0), (1.2, 3e-4)]:
        p = cf.saturating_unit_elasticity_price(eps0, p_sat)
        assert demand.point_elasticity(p, "saturating", eps0, p_sat) == pytest.approx(1.0)


def test_partial_adjustment_ratios_match_the_closed_forms():
    eps, gain, lambdas = 1.2, 11.0, [0.0, 0.3, 0.6, 0.9]
    ratios = report.partial_adjustment_spend_ratios(eps, lambdas, gain)
    np.testing.assert_allclose(ratios[2025], cf.impact_spend_multiplier(eps, lambdas, gain), rtol=1e-9)
    np.testing.assert_allclose(ratios.loc[0.0, 2025:], cf.spend_multiplier(eps, gain), rtol=1e-9)
    np.testing.assert_allclose(ratios[2024], 1.0, rtol=1e-12)  # before the shock
    summary = report.partial_adjustment_summary(ratios, eps, 0.6, gain)
    assert summary["short"] == pytest.approx(0.4 * 1.2)
    assert summary["impact"] == pytest.approx(gain ** (0.4 * 1.2 - 1))
    assert summary["impact"] < 1 < summary["long"]  # short-run inelastic, long-run elastic
    assert ratios.loc[0.6, summary["cross_year"]] > 1 >= ratios.loc[0.6, summary["cross_year"] - 1]


def test_ramp_closed_form_matches_the_ecp_scenario_at_several_elasticities():
    iso = ["demand.form=isoelastic"]
    baseline = load_scenario("baseline", iso)
    for mode in ("replace", "add"):
        ecp = load_scenario("ecp-60x", [*iso, f"ecp.mode={mode}"])
        gap = report.ramp_closed_form_gap(ecp, run_scenario(ecp).result, run_scenario(baseline).result)
        assert gap < 1e-9, mode
        ratios = report.sweep_ratio_table(ecp, baseline, "demand.elasticity=0.5:1.5:0.25")
        g = ecp.values["ecp"]
        trend = ecp.values["efficiency"]["doubling_years"] if mode == "replace" else None
        closed = cf.ramp_spend_ratio(ratios.columns.to_numpy(), g["gain"], g["start"], g["years"],
                                     ratios.index.to_numpy()[:, None], trend_doubling_years=trend)
        np.testing.assert_allclose(ratios.to_numpy(), closed, rtol=1e-9)
        np.testing.assert_allclose(ratios.loc[1.0], 1.0, rtol=1e-12)


def test_ramp_weight_and_annual_rate():
    w = cf.ramp_weight(np.arange(2024, 2034), 2025.0, 7.0)
    assert w[0] == 0 and w[-1] == 1 and np.all(np.diff(w) >= 0)
    assert w[1] == pytest.approx(0.5 / 7)  # 2025 is taken at its middle
    assert cf.annual_rate(60.0, 7.0) ** 7 == pytest.approx(60.0)


def test_value_capture_revenue_matches_the_engine_in_the_base_year():
    values = load_scenario("deepseek").values
    run = run_scenario(load_scenario("deepseek")).result
    summary = report.value_capture_summary(values)
    assert summary["base_rev"] == pytest.approx(run.variables["nvidia_dc_revenue"][0, 0])
    assert cf.value_capture_revenue(100.0, 0.5, 0.9, drift=0.1, t=5) == pytest.approx(50.0)  # clipped
    drift = cf.share_drift_to_reach(0.8, 0.5, 6)
    assert 0.8 + 6 * drift == pytest.approx(0.4)


def test_value_exponent_inverts_the_implied_elasticity():
    beta = problem_size.value_exponent_for_elasticity(2.0, 3.0)
    assert beta == pytest.approx(4 / 3)
    assert problem_size.implied_elasticity(2.0, beta) == pytest.approx(3.0)


def test_fft_elasticity_table_matches_the_formula():
    table = report.fft_elasticity_table([0.25, 0.5, 0.75], [1.0, 2.0])
    assert len(table) == 6
    np.testing.assert_allclose(table["numeric"], table["kappa/(kappa-beta)"], rtol=1e-6)
    with_log = table["numeric, n log2 n cost"]
    assert with_log[table["kappa"] == 2.0].isna().all()
    beta = table.loc[table["kappa"] == 1.0, "beta"]
    # the log factor damps the move to larger problems, but demand stays elastic
    assert ((with_log.dropna() > 1) & (with_log.dropna() < 1 / (1 - beta))).all()


# --- summaries of paths and runs ---------------------------------------------------------------------
def test_path_helpers_on_a_known_path():
    r = result([2024, 2025, 2026, 2027], x=[[1.0, 3.0, 2.0, 0.5]])
    assert report.peak(r, "x") == (2025, 3.0)
    assert report.path_summary(r, "x") == {"peak_year": 2025, "peak": 3.0, "end_year": 2027, "end": 0.5}
    assert report.value_in_year(r, "x", 2026) == 2.0
    assert report.year_reaching(r, "x", 2.0) == 2025
    assert report.first_year_where(r.years, r.variables["x"][0] < 1) == 2027
    with pytest.raises(ValueError):
        report.first_year_where(r.years, r.variables["x"][0] > 10)
    with pytest.raises(KeyError):
        report.year_index(r.years, 2030)


def test_draw_summaries():
    draws = np.arange(1.0, 101.0)[:, None] * np.ones((1, 2))
    r = result([2024, 2025], x=draws)
    assert report.share_of_draws_below(r, "x", 2025, 11.0) == 0.10
    q = report.quantiles_in_year(r, "x", 2025)
    assert q == {"p05": pytest.approx(5.95), "p50": pytest.approx(50.5), "p95": pytest.approx(95.05)}
    medians = report.median_paths({"a": r, "b": result([2024, 2025], x=[[1.0, 2.0]])}, "x")
    assert medians.loc[2025].tolist() == [50.5, 2.0]


def test_max_relative_gap_and_text_helpers():
    assert report.max_relative_gap([1.0, 2.2], [1.0, 2.0]) == pytest.approx(0.1)
    assert report.interval_position_text((1.0, 2.0), 2.0) == "lies inside"
    assert report.interval_position_text((1.0, 2.0), 2.5) == "lies outside"
    assert report.two_decimals(1.234) == "1.23" and report.two_decimals("x") == "x"
    assert report.upper_end_text(math.inf).startswith("infinity")
    assert report.upper_end_text(3.14159) == "3.14 years"
    assert report.annualised_from_quarters([1.0, 2.0, 3.0]) == pytest.approx(8.0)


def test_segment_spend_total_is_the_sum_of_the_segments():
    params = params_from_values(load_scenario("segments").values)
    spend = report.segment_spend(params)
    assert list(spend.columns) == [s.name for s in params.segments] + ["total"]
    np.testing.assert_allclose(spend.drop(columns="total").sum(axis=1), spend["total"], rtol=1e-12)
    summary = report.segment_summary(params, spend)
    shares = [summary[f"{s.name}_share"] for s in params.segments]
    assert sum(shares) == pytest.approx(100.0)
    ends = [summary[f"{s.name}_share_end"] for s in params.segments]
    assert sum(ends) == pytest.approx(100.0)


def test_sweep_table_crosses_base_spend_at_unit_elasticity():
    deepseek = load_scenario("deepseek", ["demand.form=isoelastic"])
    sweep = report.sweep_table(deepseek, "demand.elasticity=0.2:2:0.05")
    assert sweep.index.name == "demand.elasticity" and len(sweep) == 37
    base = float(sweep.iloc[0, 0])
    assert report.first_grid_value_above(sweep, 2030, base) == pytest.approx(1.05)
    with pytest.raises(ValueError):
        report.first_grid_value_above(sweep, 2030, np.inf)


def test_spend_and_flop_moves_count_scenarios():
    base = result([2024, 2030], compute_spend=[[100.0, 150.0]], flop_demand=[[10.0, 40.0]])
    spend = pd.DataFrame({2030: [150.0, 80.0, 50.0]}, index=["a", "b", "c"])
    flop = pd.DataFrame({2030: [40.0, 20.0, 5.0]}, index=["a", "b", "c"])
    moves = report.spend_and_flop_moves(base, spend, flop, 2030)
    assert moves == {"flop_base": 10.0, "n_flop_up": 2, "n_spend_down": 2, "spend_down_flop_up": "b"}


def test_trend_summary_uses_the_closed_forms():
    values = load_scenario("baseline").values
    trend = report.trend_summary(values, 11)
    assert trend["price_fall_total"] == pytest.approx(trend["price_fall_per_year"] ** 11)
    assert trend["t_alg_months"] == pytest.approx(12 * values["efficiency"]["doubling_years"])


def test_problem_size_summary_of_the_fft_scenario():
    fft, baseline = load_scenario("fft"), load_scenario("baseline")
    run = run_scenario(fft).result
    s = report.problem_size_summary(fft, run, run_scenario(baseline).result)
    p = fft.values["fft"]
    assert s["eps_before"] == pytest.approx(p["kappa_old"] / (p["kappa_old"] - p["beta"]))
    assert s["eps_after"] > s["eps_before"] > 1
    sizes = run.variables["problem_size_log2"][0]
    i = int(np.flatnonzero(run.years == s["cap_year"])[0])
    assert sizes[i] == pytest.approx(p["n_max_log2"]) and sizes[i - 1] < p["n_max_log2"]


def test_override_comparison_and_parameter_tables():
    table = report.override_comparison("deepseek", "value_capture.nvidia_share_drift=-0.03", "drift",
                                       "nvidia_dc_revenue", [2025, 2030])
    assert (table.loc["drift"] < table.loc["deepseek"]).all()
    deepseek, mc = load_scenario("deepseek"), load_scenario("montecarlo")
    both = report.parameter_comparison(deepseek, ["demand.elasticity", "demand.growth"], mc,
                                       ["demand.elasticity"])
    assert list(both.columns) == ["key", "deepseek", "montecarlo", "unit", "set in", "source"]
    assert both.set_index("key").loc["demand.growth", "montecarlo"] == "as deepseek"
    stacked = report.parameter_tables({"x": (deepseek, ["demand.elasticity"]),
                                       "y": (mc, ["demand.elasticity"])})
    assert stacked["scenario"].tolist() == ["x", "y"]


def test_headline_facts_and_gpu_hours():
    facts = report.headline_facts(DEFAULT_AS_OF)
    assert facts["nvda_change"] == -fact_value("nvda_change_pct_2025_01_27", DEFAULT_AS_OF)
    assert facts["o1_r1_ratio"] == pytest.approx(facts["o1_out"] / facts["r1_out"])
    hours = report.gpu_hours_comparison()
    assert hours["llama_ratio"] == pytest.approx(fact_value("llama31_405b_to_deepseek_v3_gpu_hours_ratio"),
                                                 abs=0.01)
    later = report.later_elasticity()
    assert later["later_eps"] > 1  # an elastic demand estimate, shown as a positive number


def test_spend_multiplier_table_labels_rows():
    table = report.spend_multiplier_table([0.5, 1.0], [2.0, 60.0], {1.0: "threshold"})
    assert table.index.tolist() == [0.5, "threshold"] and list(table.columns) == ["S = 2x", "S = 60x"]
    np.testing.assert_allclose(table.loc["threshold"], 1.0, rtol=1e-12)


def test_saturating_elasticity_curves_fall_towards_zero_at_low_prices():
    curves = report.saturating_elasticity_curves(np.logspace(-5, 1, 50), 1.5, [0.001, 0.01])
    assert curves.shape == (50, 2)
    assert (curves.iloc[0] < 0.01).all() and (curves.iloc[-1] > 1.4).all()
    assert (np.diff(curves.to_numpy(), axis=0) >= 0).all()


def test_engine_figures_draw_without_computing():
    grid = report.spend_multipliers([0.5, 1.0, 1.5], [2.0, 11.0])
    ax = plots.engine.spend_multipliers(grid)
    assert len(ax.lines) == 2 + 2  # two gains and two reference lines
    run = simulate(Params())
    ax = plots.engine.spend_against_baseline(run.variables["compute_spend"][0] * 2, run)
    assert [line.get_color() for line in ax.lines] == [plots.scenario_colour("deepseek"),
                                                       plots.scenario_colour("baseline")]
