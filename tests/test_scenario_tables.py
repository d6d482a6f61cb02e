"""Known answers for the numbers and figures of the scenarios chapter and the ECP/FFT chapter
(model.output.scenario_tables, model.output.plotting.scenarios), and a check that every command
and scenario file those chapters print still loads."""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from model.engine import closed_forms as cf
from model.engine.simulation import Result
from model.output import scenario_tables as st
from model.output import tables as report
from model.output.plotting import scenarios as sp
from model.scenarios import parse_grid
from model.scenarios.distributions import Distribution
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario

CHAPTERS = Path(__file__).resolve().parents[1] / "book" / "chapters"
VALUES = {"budget": {"usd_bn": 1000.0, "growth": 0.1}, "time": {"start": 2024},
          "base": {"spend_usd_bn": 10.0}}


def result(years, **variables) -> Result:
    arrays = {k: np.atleast_2d(np.asarray(v, dtype=float)) for k, v in variables.items()}
    return Result(years=np.asarray(years), variables=arrays,
                  n_draws=next(iter(arrays.values())).shape[0])


def run_of(res: Result, values=VALUES):
    """What the table functions read from a model.scenarios.runs.Run."""
    return SimpleNamespace(result=res, scenario=SimpleNamespace(values=values))


@pytest.fixture(scope="module")
def deepseek():
    return load_scenario("deepseek")


# --- the budget ----------------------------------------------------------------------------------
def test_budget_path_compounds_the_budget_growth_from_the_base_year():
    np.testing.assert_allclose(st.budget_path(VALUES, [2024, 2025, 2027]),
                               [1000.0, 1100.0, 1331.0], rtol=1e-12)


def test_budget_path_matches_the_engine_budget(deepseek):
    res = run_scenario(deepseek).result
    np.testing.assert_allclose(st.budget_path(deepseek.values, res.years), res.variables["budget"][0],
                               rtol=1e-12)


def test_share_of_budget_uses_the_engine_share_or_divides_by_the_budget():
    with_share = result([2024, 2025], compute_spend=[10.0, 20.0], compute_share_of_budget=[0.5, 0.25])
    np.testing.assert_array_equal(st.share_of_budget(with_share, VALUES), [[0.5, 0.25]])
    without = result([2024, 2025], compute_spend=[10.0, 22.0])
    np.testing.assert_allclose(st.share_of_budget(without, VALUES), [[0.01, 0.02]], rtol=1e-12)


def test_share_paths_are_medians_in_percent():
    draws = result([2024, 2025], compute_spend=[[10.0, 11.0], [10.0, 33.0], [10.0, 55.0]])
    frame = st.share_paths({"a": run_of(draws)})
    np.testing.assert_allclose(frame["a"], [1.0, 3.0], rtol=1e-12)
    assert frame.index.name == "year"


def test_budget_share_table_single_and_several_draws():
    one = result([2024, 2025], compute_spend=[10.0, 22.0])
    many = result([2024, 2025], compute_spend=np.column_stack([np.full(101, 10.0),
                                                               np.linspace(0.0, 110.0, 101)]))
    table = st.budget_share_table({"one": run_of(one), "many": run_of(many)}, 2025)
    assert table.loc["one", "spend"] == pytest.approx(22.0)
    assert table.loc["one", "budget"] == pytest.approx(1100.0)
    assert table.loc["one", "share"] == pytest.approx(2.0)
    assert math.isnan(table.loc["one", "share_low"]) and math.isnan(table.loc["one", "share_high"])
    # shares 0%, 0.1%, ..., 10%: quantiles are exact on this grid
    assert table.loc["many", "share"] == pytest.approx(5.0)
    assert table.loc["many", "share_low"] == pytest.approx(0.5)
    assert table.loc["many", "share_high"] == pytest.approx(9.5)


def test_budget_share_table_rejects_a_year_not_simulated():
    with pytest.raises(KeyError, match="2030"):
        st.budget_share_table({"one": run_of(result([2024, 2025], compute_spend=[1.0, 2.0]))}, 2030)


def test_no_shipped_scenario_spends_more_than_its_budget():
    for name, run in report.shipped_runs().items():
        assert (st.share_of_budget(run.result, run.scenario.values) < 1).all(), name


# --- the fan -------------------------------------------------------------------------------------
def test_quantile_paths_on_an_evenly_spaced_grid():
    draws = result([2024, 2025], v=np.column_stack([np.arange(101.0), 2 * np.arange(101.0)]))
    frame = st.quantile_paths(draws, "v")
    assert list(frame.columns) == ["p05", "p25", "p50", "p75", "p95"]
    np.testing.assert_allclose(frame.loc[2024], [5, 25, 50, 75, 95])
    np.testing.assert_allclose(st.quantile_paths(draws, "v", (0.5,), scale=10).loc[2025], [1000.0])


def test_fan_summary_width_in_orders_of_magnitude():
    spend = np.column_stack([np.full(101, 10.0), np.logspace(0, 4, 101)])  # 1 to 10^4
    fan = st.fan_summary(result([2024, 2025], compute_spend=spend), VALUES, 2025)
    assert fan["p50"] == pytest.approx(100.0)
    assert fan["orders"] == pytest.approx(math.log10(fan["p95"] / fan["p05"]))
    assert fan["orders"] == pytest.approx(3.6, abs=1e-9)  # log10 runs 0.2 to 3.8
    assert fan["share_p50"] == pytest.approx(100 * 100.0 / 1100.0)
    assert fan["p05_base"] == pytest.approx(100 * fan["p05"] / 10.0)
    with pytest.raises(KeyError):
        st.fan_summary(result([2024], compute_spend=[[1.0]]), VALUES, 2025)


def test_shipped_montecarlo_fan_is_bounded():
    run = run_scenario(load_scenario("montecarlo", ["montecarlo.draws=2000"]))
    fan = st.fan_summary(run.result, run.scenario.values, 2035)
    assert fan["p95"] < 25_000
    assert fan["orders"] < 4


# --- the prior -----------------------------------------------------------------------------------
def test_lognormal_prior_interval_and_tail():
    dist = Distribution("lognormal", (1.1, 0.09))
    prior = st.lognormal_prior(dist)
    assert prior["lo"] == pytest.approx(1.1 * math.exp(-1.959964 * 0.09), rel=1e-6)
    assert prior["hi"] == pytest.approx(1.1 * math.exp(1.959964 * 0.09), rel=1e-6)
    assert st.lognormal_tail(dist, 1.1) == pytest.approx(50.0)
    assert st.lognormal_tail(dist, prior["hi"]) == pytest.approx(2.5, rel=1e-6)
    assert st.lognormal_tail(dist, prior["lo"]) == pytest.approx(97.5, rel=1e-6)


def test_lognormal_prior_rejects_other_distributions_and_bad_points():
    normal = Distribution("normal", (2.46, 0.12))
    with pytest.raises(ValueError, match="'normal'.*allowed: 'lognormal'"):
        st.lognormal_prior(normal)
    with pytest.raises(ValueError, match="allowed: 'lognormal'"):
        st.lognormal_tail(1.1, 1.0)
    with pytest.raises(ValueError, match="positive"):
        st.lognormal_tail(Distribution("lognormal", (1.1, 0.09)), 0.0)


def test_shipped_montecarlo_prior_is_the_documented_one():
    dist = load_scenario("montecarlo").values["demand"]["substitution"]
    prior = st.lognormal_prior(dist)
    assert (round(prior["lo"], 2), round(prior["hi"], 2)) == (0.92, 1.31)


def test_shares_at_unit_substitution_follow_the_base_odds_closed_form(deepseek):
    """At sigma = 1 the share ignores prices: its odds fall by 1 / (1 + g_B) a year (g_D = 0)."""
    table = st.shares_at_substitutions("deepseek", [1.0], 2035)
    x0, b0 = deepseek.values["base"]["spend_usd_bn"], deepseek.values["budget"]["usd_bn"]
    odds = x0 / (b0 - x0) / (1 + deepseek.values["budget"]["growth"]) ** 11
    assert table.loc[1.0, "share"] == pytest.approx(100 * odds / (1 + odds), rel=1e-9)


def test_shares_at_substitutions_match_the_shipped_jevons_scenario():
    table = st.shares_at_substitutions("deepseek", [1.3], 2035)
    jevons = run_scenario(load_scenario("jevons")).result
    assert table.loc[1.3, "share"] == pytest.approx(
        100 * report.value_in_year(jevons, "compute_share_of_budget", 2035), rel=1e-12)
    assert table.loc[1.3, "spend"] == pytest.approx(report.value_in_year(jevons, "compute_spend", 2035))


def test_substitution_shock_path_without_a_shock_is_the_baseline():
    path = st.substitution_shock_path("deepseek", 1.1, 1.0)
    base = run_scenario(load_scenario("baseline")).result.variables["compute_spend"][0]
    np.testing.assert_allclose(path, base, rtol=1e-12)
    assert st.substitution_shock_path("deepseek", 1.3, 11.0)[-1] > path[-1]


def test_trend_numbers_use_the_closed_forms(deepseek):
    trend = st.trend_numbers(deepseek.values, 11)
    assert trend["price_fall_per_year"] == pytest.approx(2 ** (1 / 2.46 + 1 / 0.67))
    assert trend["price_fall_total"] == pytest.approx(trend["price_fall_per_year"] ** 11)
    assert trend["base_share"] == pytest.approx(100 * 223.0 / 110060.0)
    assert trend["base_sigma"] == pytest.approx(1.1)


def test_supply_damping_limits():
    assert st.supply_damping(1.1, 0.5)["k_sloped"] == pytest.approx(1.5 * 0.1 / 1.6)
    assert st.supply_damping(1.1, 1e9)["k_sloped"] == pytest.approx(0.1, rel=1e-6)
    assert st.supply_damping(1.5, 1e-9)["k_sloped"] == pytest.approx(0.5 / 1.5, rel=1e-6)
    assert st.supply_damping(1.1, 0.5)["k_free"] == pytest.approx(0.1)


# --- the ECP -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ecp_runs():
    ecp = load_scenario("ecp-60x")
    return (ecp, run_scenario(ecp).result,
            run_scenario(load_scenario("ecp-60x", ["ecp.mode=add"])).result,
            run_scenario(load_scenario("baseline")).result)


def test_ecp_replace_grows_useful_work_per_flop_by_the_gain_not_the_trend(ecp_runs):
    ecp, replace, add, base = ecp_runs
    n = st.ecp_trend_numbers(ecp.values, replace, add, base)
    assert n["trend_gain"] == pytest.approx(2 ** (7 / 0.67))
    assert n["trend_gain"] == pytest.approx(1397, abs=1)
    assert n["net_engine"] == pytest.approx(60 / n["trend_gain"], rel=1e-9)
    assert n["add_engine"] == pytest.approx(60.0, rel=1e-9)
    assert n["gain_rate"] == pytest.approx(60 ** (1 / 7)) and n["gain_rate"] < n["trend_rate"]
    assert n["add_rate"] == pytest.approx(60 ** (1 / 7) * 2 ** (1 / 0.67))
    assert n["spend_replace"] < 1 < n["spend_add"]  # sigma = 1.1 > 1: a slower gain spends less


def test_ecp_gain_equal_to_the_trend_leaves_spend_on_the_baseline(ecp_runs):
    ecp, _, add, base = ecp_runs
    even = load_scenario("ecp-60x", [f"ecp.gain={2 ** (7 / 0.67)!r}"])
    n = st.ecp_trend_numbers(even.values, run_scenario(even).result, add, base)
    assert n["spend_replace"] == pytest.approx(1.0, rel=1e-9)
    assert n["net_engine"] == pytest.approx(1.0, rel=1e-9)


# --- the FFT under the budget --------------------------------------------------------------------
def test_fft_budget_frame_and_numbers_on_a_known_path():
    values = {"budget": {"usd_bn": 100.0, "growth": 0.0}, "time": {"start": 2024}}
    years = [2024, 2025, 2026, 2027]
    bounded = result(years, compute_spend=[1.0, 50.0, 80.0, 10.0])
    free = result(years, compute_spend=[1.0, 150.0, 400.0, 11.0])
    frame = st.fft_budget_frame(bounded, free, values)
    np.testing.assert_allclose(frame["share"], [0.01, 0.5, 0.8, 0.1])
    np.testing.assert_allclose(frame["share_unbounded"], [0.01, 1.5, 4.0, 0.11])
    n = st.fft_budget_numbers(frame, 2025)
    assert n["share_2025"] == pytest.approx(50.0) and n["free_share_2025"] == pytest.approx(150.0)
    assert (n["peak_share"], n["peak_share_year"]) == (pytest.approx(80.0), 2026)
    assert (n["free_peak_ratio"], n["free_peak_year"]) == (pytest.approx(4.0), 2026)
    assert n["free_years_over"] == 2
    with pytest.raises(KeyError):
        st.fft_budget_numbers(frame, 2030)


def test_shipped_fft_budget_binds_in_its_first_year():
    fft = load_scenario("fft")
    frame = st.fft_budget_frame(run_scenario(fft).result,
                                run_scenario(load_scenario("fft", ["demand.form=isoelastic"])).result,
                                fft.values)
    n = st.fft_budget_numbers(frame, 2025)
    assert n["free_share_2025"] > 100 > n["peak_share"]
    assert 40 < n["share_2025"] < 60  # about half of world GDP


# --- figures -------------------------------------------------------------------------------------
def _all_axes(obj):
    fig = obj if hasattr(obj, "axes") and not hasattr(obj, "plot") else obj.figure
    return [ax for ax in fig.axes if ax.get_visible()]


def _check_house_rules(obj):
    for ax in _all_axes(obj):
        assert ax.get_title() == "", "no titles: captions carry them"
        for label in (ax.get_xlabel(), ax.get_ylabel()):  # sentence case (maths may lead)
            assert label == "" or not label[0].islower(), label
    plt.close("all")


def test_figures_follow_the_house_rules_and_draw_the_budget():
    years = np.arange(2024, 2028)
    paths = pd.DataFrame({n: np.geomspace(1, 10, 4) for n in ("baseline", "deepseek", "fft")},
                         index=years)
    fig = sp.scenario_panels(paths, "compute spend (USD bn)", np.full(4, 100.0),
                             groups={"a": ["baseline"], "b": ["deepseek", "fft"]})
    assert len(_all_axes(fig)) == 2
    assert all(sp.BUDGET_LABEL in [line.get_label() for line in ax.lines] for ax in fig.axes)
    _check_house_rules(fig)

    table = pd.DataFrame({"share": [0.1, 5.0], "share_low": [np.nan, 1.0],
                          "share_high": [np.nan, 9.0]}, index=["baseline", "montecarlo"])
    ax = sp.budget_shares(table, 2035, base_share=0.2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Baseline", "Monte Carlo"]
    _check_house_rules(ax)

    q = pd.DataFrame({c: np.geomspace(1, 10, 4) * k for c, k in
                      zip(["p05", "p25", "p50", "p75", "p95"], [0.5, 0.8, 1, 1.2, 2], strict=True)},
                     index=years)
    _check_house_rules(sp.spend_fan(q, q / 100, np.full(4, 1000.0)))

    sweep = pd.DataFrame({y: np.geomspace(1, 100, 5) for y in (2025, 2030)},
                         index=np.linspace(0.5, 1.5, 5))
    _check_house_rules(sp.substitution_sweep(sweep, [2025, 2030], 10.0, {2025: 1e3, 2030: 2e3},
                                             (0.9, 1.3)))
    eff = pd.DataFrame({"baseline": [1, 2, 4, 8], "replace": [1, 1.5, 2, 4], "add": [1, 3, 9, 27]},
                       index=years)
    _check_house_rules(sp.useful_work_per_flop(eff, 2025, 2027))
    ratios = pd.DataFrame([[1, 0.9, 0.8, 0.8], [1, 1, 1, 1]], index=[1.2, 1.0], columns=years)
    _check_house_rules(sp.ratio_by_substitution(ratios))
    fft = pd.DataFrame({"budget": 100.0, "spend": [1, 50, 80, 10], "spend_unbounded": [1, 150, 400, 11],
                        "share": [0.01, 0.5, 0.8, 0.1], "share_unbounded": [0.01, 1.5, 4, 0.11]},
                       index=years)
    _check_house_rules(sp.fft_budget(fft))
    base = result(years, compute_spend=[1, 2, 3, 4])
    _check_house_rules(sp.spend_grid({(1.1, 11.0): np.ones(4), (1.3, 27.0): np.ones(4)}, base,
                                     np.full(4, 10.0)))


# --- what the chapters print still runs ----------------------------------------------------------
def _chapter(name: str) -> str:
    return (CHAPTERS / name).read_text()


def _commands(text: str) -> list[str]:
    """Every `jevons run|sweep SCENARIO --set/--grid ...` the text shows, across line breaks."""
    flat = " ".join(text.split())
    return re.findall(r"jevons (?:run|sweep) [\w.-]+(?: --(?:set|grid) (?:'[^']+'|[^\s`]+))+", flat)


@pytest.mark.parametrize("chapter", ["scenarios.md", "ecp_fft.md"])
def test_every_command_in_the_chapter_loads(chapter):
    commands = _commands(_chapter(chapter))
    assert len(commands) >= 4
    for command in commands:
        name = command.split()[2]
        sets = [text.strip("'") for text in re.findall(r"--set (\S+)", command)]
        scenario = load_scenario(name, sets)
        if scenario.values["demand"]["form"] == "budget-share":  # demand.elasticity would do nothing
            assert "demand.elasticity" not in command, command
        for grid in re.findall(r"--grid (\S+)", command):
            assert parse_grid(grid, scenario).values.size > 1, command


def test_no_removed_keys_in_the_chapters():
    for chapter in ("scenarios.md", "ecp_fft.md"):
        text = _chapter(chapter)
        for removed in ("supply.capped", "capacity_growth", "headroom", "partial-adjustment form"):
            assert removed not in text, (chapter, removed)


def test_the_example_scenario_file_of_the_chapter_loads_and_stays_in_its_budget(tmp_path):
    block = re.search(r"```toml\n(.*?)```", _chapter("scenarios.md"), re.S).group(1)
    path = tmp_path / "my-case.toml"
    path.write_text(block)
    scenario = load_scenario(path)
    assert scenario.values["supply"]["form"] == "upward-sloping"
    assert scenario.values["demand"]["substitution"] == pytest.approx(0.95)
    res = run_scenario(scenario).result
    assert (st.share_of_budget(res, scenario.values) < 1).all()
    assert "scarcity_markup" in res.variables


def test_closed_form_of_the_supply_exponent_is_what_supply_damping_reports():
    assert st.supply_damping(1.2, 0.7)["k_sloped"] == pytest.approx(cf.supply_spend_exponent(1.2, 0.7))
