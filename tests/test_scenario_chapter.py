"""What the scenarios chapter and the Jevons-model chapter say about the package, as tests of the
package (the chapters glue the numbers; these tests guard the claims their prose makes in words).
"""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis import grids
from model.calibration.fit import fit
from model.calibration.quarterly import last_data_date
from model.output import demand_tables
from model.output import scenario_tables as st
from model.output import tables as report
from model.output.plotting.scenarios import SCENARIO_GROUPS
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario


@pytest.fixture(scope="module")
def runs():
    return report.shipped_runs()


def test_every_shipped_scenario_is_drawn_in_a_panel(runs):
    assert set(sum(SCENARIO_GROUPS.values(), [])) == set(runs)


def test_every_shipped_scenario_but_saturating_spends_a_share_of_a_budget(runs):
    unbounded = {name for name, run in runs.items()
                 if run.scenario.values["demand"]["form"] not in ("budget-share", "segments")}
    assert unbounded == {"saturating"}


def test_the_deepseek_sweep_rises_exactly_when_sigma_exceeds_one_and_stays_under_the_budget():
    deepseek = load_scenario("deepseek")
    assert deepseek.values["demand"]["growth"] == 0.0  # the claim is for no demand growth
    sweep = report.sweep_table(deepseek, "demand.substitution=0.2:2:0.05")
    base = float(sweep.iloc[0, 0])
    away = np.abs(sweep.index - 1.0) > 0.01
    assert ((sweep[2030] > base) == (sweep.index > 1.0))[away].all()
    for year in (2025, 2030, 2035):
        assert (sweep[year] < st.budget_path(deepseek.values, [year])[0]).all()


def test_demand_growth_moves_the_crossing_below_one():
    growth = load_scenario("deepseek", ["demand.growth=0.1"])
    sweep = report.sweep_table(growth, "demand.substitution=0.2:2:0.01")
    assert report.first_grid_value_above(sweep, 2030, float(sweep.iloc[0, 0])) < 1.0


# --- the fitted scenario, the anchor of the scenarios chapter --------------------------------------
@pytest.fixture(scope="module")
def fitted_grid():
    return grids.scenario_path_grid("fitted")


def test_sigma_and_growth_move_the_fitted_paths_far_more_than_the_gain(fitted_grid):
    """The sliders' paragraph: sigma and demand growth move 2035 spend far more than the gain does;
    eta matters where sigma is high."""
    keys = [a.key for a in fitted_grid.axes]
    spend = np.log(fitted_grid.values["compute_spend"][..., -1])
    starts = [a.start for a in fitted_grid.axes]

    def spread(key, at=None):
        index = list(at or starts)
        index[keys.index(key)] = slice(None)
        return float(np.ptp(spend[tuple(index)]))

    gain = spread("efficiency.shocks[0].factor")
    assert min(spread("demand.substitution"), spread("demand.growth")) > 3 * gain
    high_sigma = list(starts)
    high_sigma[keys.index("demand.substitution")] = fitted_grid.axes[0].values.size - 1
    eta = "demand.final_elasticity"
    assert spread(eta, high_sigma) > 3 * spread(eta)


def test_the_fitted_elasticity_is_just_below_one_so_the_gain_alone_trims_spend():
    fitted = load_scenario("fitted")
    median = fitted.distributions["demand.substitution"].named["median"]
    assert 0.8 < median < 1.0
    with_gain = run_scenario(fitted, draws=500).result.variables["compute_spend"]
    no_gain = run_scenario(load_scenario("fitted", ["efficiency.shocks[0].factor=1.0"]),
                           draws=500).result.variables["compute_spend"]
    year = 2030 - 2024
    assert np.median(with_gain[:, year]) < np.median(no_gain[:, year])


def test_the_fitted_growth_fades_after_the_plans():
    fitted = load_scenario("fitted")
    demand = fitted.values["demand"]
    assert demand["growth_fade_start"] > fitted.values["time"]["start"]
    low, high = (fitted.distributions["demand.long_run_growth"].named[k] for k in ("low", "high"))
    assert high < fitted.distributions["demand.growth"].named["mean"]
    assert 0 < low < high


@pytest.fixture(scope="module")
def latest(mirror):
    return fit(last_data_date())


def test_the_files_lognormal_reaches_higher_than_the_fit(latest):
    """The chapter: the lognormal's interval reaches higher than the fit's, because the fit's
    median sits near the top of its interval."""
    combined = latest.combination.estimate
    lo, hi = combined.interval
    assert hi - combined.median < combined.median - lo
    file_sigma = st.lognormal_prior(load_scenario("fitted").distributions["demand.substitution"])
    assert file_sigma["hi"] > hi
    assert st.lognormal_tail(load_scenario("fitted").distributions["demand.substitution"], 1.0) > \
        100 * np.mean(combined.draws > 1)


# --- the Jevons-model chapter ---------------------------------------------------------------------
def test_the_alternatives_gain_that_halves_nvidias_share_does_so_in_the_engine():
    deepseek = load_scenario("deepseek")
    share = report.value_capture_summary(deepseek.values)["share"]
    sigma_a = deepseek.values["value_capture"]["substitution"]
    gain = demand_tables.substitute_gain_to_reach(share, share / 2, 2030 - 2024, sigma_a)
    table = demand_tables.nvidia_share_table("deepseek", [float(gain)], [2030])
    assert table.iloc[0, 0] == pytest.approx(50 * share, rel=1e-9)


def test_the_bounded_jevons_path_bends_under_the_budget_and_the_isoelastic_one_passes_it():
    against = demand_tables.spend_against_budget("jevons", 2050)
    assert (against["budget share"] < against["budget"]).all()
    assert (against["isoelastic"] > against["budget"]).any()
