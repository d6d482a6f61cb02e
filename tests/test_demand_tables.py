"""The bounded demand model's tables and figures for the Jevons-model chapter
(model.output.demand_tables and the matching model.output.plotting.engine functions): each
against a known answer, the engine or a closed form, with the bad inputs they refuse."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from model.engine import closed_forms as cf
from model.engine import demand
from model.engine.params import Params, Shock, ValueCapture, params_from_values
from model.engine.simulation import Result, simulate
from model.output import demand_tables as dt
from model.output import plotting as plots
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario


def result(years, **variables) -> Result:
    arrays = {k: np.atleast_2d(np.asarray(v, dtype=float)) for k, v in variables.items()}
    return Result(years=np.asarray(years, dtype=float), variables=arrays, n_draws=1)


@pytest.fixture(scope="module")
def segments_params():
    return params_from_values(load_scenario("segments").values)


# --- budget-share demand ----------------------------------------------------------------------------
def test_base_share_is_base_spend_over_the_budget():
    values = load_scenario("baseline").values
    assert dt.base_share(values) == pytest.approx(223.0 / 110060.0)


def test_elasticity_by_share_is_the_engines_point_elasticity_at_the_price_giving_that_share():
    s_bar, shares = 0.002, np.array([1e-3, 0.01, 0.3, 0.9])
    cases = [(1.3, 1.0), (0.8, 0.5), (2.0, 0.2)]
    table = dt.elasticity_by_share(shares, cases, s_bar)
    assert list(table.columns) == cases and table.index.name == "share"
    for sigma, eta in cases:
        # Hicks-Marshall: (1 - s) sigma + s eta, at exactly the requested share
        np.testing.assert_allclose(table[(sigma, eta)], (1 - shares) * sigma + shares * eta, rtol=1e-12)
        # the same number from a numerical derivative of the engine's demand curve
        log_odds = np.log(s_bar / (1 - s_bar))
        log_p = (np.log(shares / (1 - shares)) - log_odds) / (1 - sigma)
        shape = demand.Shape(substitution=sigma, final_elasticity=eta, log_odds=log_odds)
        h = 1e-6
        up, _ = demand.quantity_and_spend(log_p + h, "budget-share", shape=shape)
        down, _ = demand.quantity_and_spend(log_p - h, "budget-share", shape=shape)
        numeric = -(np.log(up) - np.log(down)) / (2 * h)
        np.testing.assert_allclose(table[(sigma, eta)], numeric, rtol=1e-6)
        share_at_p = np.exp(demand.budget_share_logs(log_p, sigma, eta, log_odds)[0])
        np.testing.assert_allclose(share_at_p, shares, rtol=1e-9)


def test_elasticity_by_share_refuses_unit_substitution_and_shares_outside_the_unit_interval():
    with pytest.raises(ValueError, match="substitution of 1"):
        dt.elasticity_by_share([0.1], [(1.0, 0.5)], 0.002)
    for shares, base in (([0.0, 0.5], 0.002), ([0.5, 1.0], 0.002), ([0.5], 0.0), ([0.5], 1.2)):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            dt.elasticity_by_share(shares, [(1.3, 1.0)], base)


def test_backfire_limits_are_where_the_elasticity_crosses_one():
    limits = dt.backfire_limits([(1.5, 0.5), (1.3, 0.5), (1.3, 1.0), (0.9, 0.5)])
    assert limits[(1.5, 0.5)] == pytest.approx(0.5)
    assert cf.budget_share_elasticity(limits[(1.3, 0.5)], 1.3, 0.5) == pytest.approx(1.0)
    assert np.isnan(limits[(1.3, 1.0)]) and np.isnan(limits[(0.9, 0.5)])


@pytest.fixture(scope="module")
def jevons_to_2045():
    return dt.spend_against_budget("jevons", 2045)


def test_spend_against_budget_bounds_one_path_and_not_the_other(jevons_to_2045):
    paths = jevons_to_2045
    assert list(paths.columns) == ["budget share", "isoelastic", "budget"]
    assert paths.index[0] == 2024 and paths.index[-1] == 2045
    np.testing.assert_allclose(paths["budget"], 110060.0 * 1.05 ** (paths.index - 2024), rtol=1e-12)
    assert (paths["budget share"] < paths["budget"]).all()
    assert (paths["isoelastic"] > paths["budget"]).any()
    assert paths.loc[2024, "budget share"] == pytest.approx(223.0)
    # while compute's share is small the two forms agree (elasticity ~ sigma)
    assert paths.loc[2025, "budget share"] == pytest.approx(paths.loc[2025, "isoelastic"], rel=0.01)
    iso = run_scenario(load_scenario("jevons", ["time.end=2045", "demand.form=isoelastic",
                                                "demand.elasticity=1.3"])).result
    np.testing.assert_allclose(paths["isoelastic"], iso.variables["compute_spend"][0], rtol=1e-12)


def test_spend_against_budget_refuses_a_scenario_without_a_budget():
    with pytest.raises(ValueError, match="allowed: 'budget-share'"):
        dt.spend_against_budget("saturating", 2030)


def test_budget_crossing_on_a_known_frame(jevons_to_2045):
    frame = pd.DataFrame({"budget share": [1.0, 5.0, 9.0], "isoelastic": [1.0, 5.0, 20.0],
                          "budget": [10.0, 10.0, 10.0]}, index=[2024, 2025, 2026])
    numbers = dt.budget_crossing(frame, 2025)
    assert numbers == {"cross_year": 2026, "iso_share_2025": 50.0, "bounded_share_2025": 50.0,
                       "iso_share_end": 200.0, "bounded_share_end": 90.0, "end_year": 2026,
                       "bounded_max_share": 90.0}
    assert dt.budget_crossing(frame.assign(isoelastic=[1.0, 2.0, 3.0]), 2025)["cross_year"] is None
    assert dt.budget_crossing(jevons_to_2045, 2035)["cross_year"] == 2040


def test_final_elasticity_below_one_makes_spend_peak_and_fall():
    numbers = dt.final_elasticity_peak("jevons", 0.5, 2050)
    assert numbers["s_star"] == pytest.approx(100 * 0.3 / 0.8)
    assert 2035 < numbers["peak_year"] < 2050 and numbers["end"] < numbers["peak"] / 10
    assert 0 < numbers["peak_share"] < 100


# --- persistence --------------------------------------------------------------------------------------
def test_persistence_changes_nothing_without_news_and_something_with_it():
    assert dt.no_news_persistence_gap("baseline", 0.6) < 1e-12
    assert dt.no_news_persistence_gap("deepseek", 0.6) > 0.1


def test_news_ratios_and_persistence_summary_on_known_paths():
    years = [2024, 2025, 2026, 2027]
    ref = result(years, compute_spend=[10, 10, 10, 10])
    lagged = result(years, compute_spend=[10, 5, 8, 12])
    plain = result(years, compute_spend=[10, 13, 13, 13])
    ratios = dt.news_ratios({"plain": plain, "lagged": lagged}, ref)
    assert list(ratios.columns) == ["plain", "lagged"] and ratios.index.name == "year"
    np.testing.assert_allclose(ratios["lagged"], [1.0, 0.5, 0.8, 1.2])
    assert dt.persistence_summary(ratios, "lagged", "plain") == {
        "dip_year": 2025, "dip": 0.5, "cross_year": 2027, "lagged_end": 1.2, "unlagged_end": 1.3,
        "end_year": 2027}
    never = dt.news_ratios({"plain": plain, "lagged": result(years, compute_spend=[10, 5, 8, 9])}, ref)
    assert dt.persistence_summary(never, "lagged", "plain")["cross_year"] is None


def test_the_partial_adjustment_scenario_dips_then_recovers():
    runs = {n: run_scenario(load_scenario(n)).result for n in ("baseline", "deepseek", "partial-adjustment")}
    ratios = dt.news_ratios({n: runs[n] for n in ("deepseek", "partial-adjustment")}, runs["baseline"])
    numbers = dt.persistence_summary(ratios, "partial-adjustment", "deepseek")
    assert numbers["dip"] < 0.5 and numbers["cross_year"] is not None
    assert numbers["lagged_end"] > 1.0 and numbers["unlagged_end"] > 1.0


# --- upward-sloping supply ----------------------------------------------------------------------------
def test_supply_spend_multipliers_match_the_closed_form_and_its_limits():
    eps, etas = np.array([0.3, 1.0, 1.3, 2.2]), [0.25, 1.0, 1e6]
    grid = dt.supply_spend_multipliers(eps, etas, 11.0)
    assert grid.shape == (4, 3) and grid.index.name == "elasticity"
    np.testing.assert_allclose(grid, 11.0 ** cf.supply_spend_exponent(eps[:, None], np.array(etas)),
                               rtol=1e-9)
    np.testing.assert_allclose(grid.loc[1.0], 1.0, rtol=1e-9)  # the threshold does not move
    np.testing.assert_allclose(grid[1e6], 11.0 ** (eps - 1), rtol=1e-4)  # elastic supply
    assert (grid.loc[[1.3, 2.2], 0.25] < grid.loc[[1.3, 2.2], 1e6]).all()  # rebound damped above one
    assert (grid.loc[[1.3, 2.2], 0.25] > 1.0).all()  # but not reversed
    assert grid.loc[0.3, 0.25] < grid.loc[0.3, 1e6] < 1.0  # the fall deepened below one


def test_supply_spend_multipliers_refuse_a_non_positive_supply_elasticity():
    with pytest.raises(ValueError, match="positive"):
        dt.supply_spend_multipliers([1.3], [0.0], 11.0)


def test_supply_summary_on_known_paths():
    years = [2024, 2025, 2026, 2027]
    constrained = result(years, scarcity_markup=[1.0, 1.5, 1.2, 0.9], scarcity_rent=[0, 20, 40, -10],
                         compute_spend=[100, 90, 200, 110])
    free = result(years, compute_spend=[100, 100, 200, 100])
    assert dt.supply_summary(constrained, free) == pytest.approx({
        "markup_peak": 1.5, "markup_year": 2025, "rent_peak": 40.0, "rent_year": 2026,
        "rent_share": 20.0, "glut_year": 2027, "markup_end": 0.9, "rent_end": -10.0,
        "spend_gap": 10.0})
    no_glut = result(years, scarcity_markup=[1.0, 1.5, 1.2, 1.1], scarcity_rent=[0, 20, 40, 10],
                     compute_spend=[100, 90, 200, 110])
    assert dt.supply_summary(no_glut, free)["glut_year"] is None


# --- shocks per segment ------------------------------------------------------------------------------
def test_segment_news_ratios_move_only_the_segment_a_shock_reaches(segments_params):
    ratios = dt.segment_news_ratios(segments_params)
    assert list(ratios.columns) == ["training", "inference", "total"]
    np.testing.assert_allclose(ratios["training"], 1.0, rtol=1e-12)  # sigma = eta = 1: a fixed share
    assert ratios["inference"].iloc[-1] > 1.3
    assert ((ratios["total"] >= 1.0 - 1e-12) & (ratios["total"] <= ratios["inference"] + 1e-12)).all()
    # an elastic training segment: its shock alone moves it, and leaves inference where it was
    elastic = replace(segments_params, segments=(replace(segments_params.segments[0], substitution=1.5),
                                                 segments_params.segments[1]))
    with_both = dt.segment_news_ratios(elastic)
    inference_only = replace(elastic, shocks=tuple(s for s in elastic.shocks if s.segments == ("inference",)))
    assert with_both["training"].iloc[-1] > 1.2
    np.testing.assert_allclose(dt.segment_news_ratios(inference_only)["inference"], with_both["inference"],
                               rtol=1e-12)
    np.testing.assert_allclose(dt.segment_news_ratios(inference_only)["training"], 1.0, rtol=1e-12)


def test_segment_news_ratios_need_two_segments():
    with pytest.raises(ValueError, match="at least two"):
        dt.segment_news_ratios(Params())


def test_segment_shock_summary_reports_each_segments_shock_and_its_closed_form(segments_params):
    ratios = dt.segment_news_ratios(segments_params)
    numbers = dt.segment_shock_summary(segments_params, ratios, 2027)
    assert numbers["training_factor"] == 11.0 and numbers["inference_factor"] == 27.0
    assert numbers["inference_coverage"] == 0.5 and numbers["training_share"] == pytest.approx(40.0)
    assert numbers["inference_closed"] == pytest.approx(1 - 0.5 + 0.5 * 27.0 ** 0.2)
    assert numbers["inference_ratio"] == pytest.approx(numbers["inference_closed"], rel=0.01)
    assert numbers["training_ratio_end"] == pytest.approx(1.0)
    doubled = replace(segments_params, shocks=segments_params.shocks + (Shock(2026.0, 2.0),))
    with pytest.raises(ValueError, match="exactly one"):
        dt.segment_shock_summary(doubled, ratios, 2027)


# --- Nvidia's share -------------------------------------------------------------------------------------
def test_ces_share_is_the_engines_nvidia_share():
    t = np.arange(12.0)
    for gain, drift, sigma_a in ((0.15, 0.0, 2.0), (0.0, -0.02, 3.0), (0.1, 0.01, 0.5)):
        vc = ValueCapture(nvidia_share=0.8, substitution=sigma_a, substitute_gain=gain, nvidia_margin=0.62,
                          margin_drift=drift)
        engine = simulate(Params(value_capture=vc)).variables["nvidia_share"][0]
        np.testing.assert_allclose(engine, dt.ces_share(0.8, sigma_a, gain, t, 0.62, 0.62 + drift * t),
                                   rtol=1e-12)
    np.testing.assert_allclose(dt.ces_share(0.8, 1.0, 0.3, t), 0.8)  # sigma_a = 1: no substitution


def test_substitute_gain_to_reach_inverts_the_ces_share():
    gain = dt.substitute_gain_to_reach(0.8, 0.4, 6, 2.0)
    assert gain == pytest.approx(np.exp((np.log(4.0) - np.log(0.4 / 0.6)) / 6) - 1)
    assert dt.ces_share(0.8, 2.0, gain, 6) == pytest.approx(0.4)
    assert dt.substitute_gain_to_reach(0.8, 0.8, 6, 2.0) == pytest.approx(0.0)


def test_nvidia_share_table_from_the_engine():
    table = dt.nvidia_share_table("deepseek", [0.0, 0.2], [2024, 2035])
    assert table.index.name == "substitute gain"
    assert table.loc[0.0, ("share (%)", 2035)] == pytest.approx(80.0)
    assert table.loc[0.2, ("share (%)", 2035)] == pytest.approx(100 * dt.ces_share(0.8, 2.0, 0.2, 11))
    assert table.loc[0.2, ("share (%)", 2024)] == pytest.approx(80.0)
    assert table.loc[0.0, ("revenue (USD bn)", 2024)] == pytest.approx(223.0 * 0.6 * 0.8)
    with pytest.raises(KeyError, match="2040"):
        dt.nvidia_share_table("deepseek", [0.0], [2030, 2040])


def test_value_news_return_reads_the_share_and_the_margin():
    assert dt.value_news_return("deepseek", "value_capture.substitute_gain=0.0") == pytest.approx(0.0, abs=1e-12)
    assert dt.value_news_return("deepseek", "value_capture.substitute_gain=0.1") < -0.05
    assert dt.value_news_return("deepseek", "value_capture.margin_drift=-0.02") < -0.05
    assert dt.value_news_return("deepseek", "value_capture.substitute_gain=-0.1") > 0.05


def test_drawn_interval_of_known_draws():
    low, high = dt.drawn_interval(np.arange(1001.0))
    assert (low, high) == pytest.approx((25.0, 975.0))
    with pytest.raises(ValueError, match="level"):
        dt.drawn_interval([1.0, 2.0], level=1.0)


def test_montecarlo_sigma_draws_span_the_stated_interval():
    mc = run_scenario(load_scenario("montecarlo"), draws=20_000)
    low, high = dt.drawn_interval(mc.values["demand"]["substitution"])
    assert low == pytest.approx(1.1 * np.exp(-1.96 * 0.09), rel=0.01)
    assert high == pytest.approx(1.1 * np.exp(1.96 * 0.09), rel=0.01)


# --- figures -------------------------------------------------------------------------------------------
def test_bounded_model_figures_draw_what_they_are_given(segments_params):
    cases = [(1.3, 1.0), (1.3, 0.5), (0.9, 1.0)]
    ax = plots.engine.elasticity_by_share(dt.elasticity_by_share([1e-3, 0.5], cases, 0.002), 0.002,
                                          dt.backfire_limits(cases))
    assert len(ax.lines) == 3 + 1 + 2  # curves, one backfire dot, two reference lines
    assert [ax.lines[k].get_linestyle() for k in (0, 1, 3)] == ["-", "--", "-"]  # dashed: eta < 1
    assert ax.lines[2].get_xdata()[0] == pytest.approx(100 * 0.3 / 0.8)  # the dot at s*, in percent
    paths = pd.DataFrame({"budget share": [1.0, 2.0], "isoelastic": [1.0, 3.0], "budget": [2.5, 2.5]},
                         index=[2024, 2025])
    ax = plots.engine.spend_against_budget(paths, 1.3, horizon=2025)
    assert ax.lines[1].get_color() == plots.scenario_colour("jevons") and len(ax.lines) == 4
    ratios = dt.segment_news_ratios(segments_params).assign(deepseek=1.0)
    ax = plots.engine.ratio_paths(ratios, "ratio")
    colours = [line.get_color() for line in ax.lines[1:]]  # after the reference line
    assert colours[2] == plots.ROLE_COLOURS["reference"] and colours[3] == plots.scenario_colour("deepseek")
    grid = dt.supply_spend_multipliers([0.5, 1.5], [0.5, 2.0], 11.0)
    ax = plots.engine.supply_multipliers(grid, pd.Series([0.3, 3.0], index=[0.5, 1.5]))
    assert len(ax.lines) == 2 + 1 + 2
    years = [2024, 2025]
    fig = plots.engine.supply_rents(result(years, scarcity_markup=[1.0, 1.2], scarcity_rent=[0.0, 5.0]))
    assert len(fig.axes) == 2
