"""The scenarios chapter's glue dicts (model.output.scenario_numbers) equal what they select."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration.fit import fit
from model.calibration.quarterly import last_data_date
from model.output import scenario_numbers as sn
from model.output import scenario_tables as st
from model.output import tables as report


@pytest.fixture(scope="module")
def runs():
    return report.shipped_runs()


def test_overview_numbers_are_the_budget_path_ends(runs):
    numbers = sn.overview_numbers(runs)
    budget = st.budget_path(runs["baseline"].scenario.values, runs["baseline"].result.years)
    assert numbers["n_scenarios"] == len(runs)
    assert numbers["budget_2024"] == budget[0] and numbers["budget_2035"] == budget[-1]
    assert numbers["budget_2035"] == pytest.approx(
        budget[0] * (1 + numbers["budget_growth"] / 100) ** (len(budget) - 1))


def test_fitted_numbers_come_from_the_fit_and_the_scenario_file(runs):
    latest = fit(last_data_date())
    numbers = sn.fitted_numbers(runs["fitted"], latest)
    estimate = latest.combination.estimate
    assert (numbers["sigma"], numbers["sigma_lo"], numbers["sigma_hi"]) == (
        estimate.median, *estimate.interval)
    assert numbers["draws"] == runs["fitted"].n_draws
    assert numbers["2030_p05"] <= numbers["2030_p50"] <= numbers["2030_p95"]
    assert -1 <= numbers["corr"] <= 1 and 0 <= numbers["sigma_above_1"] <= 100


def test_share_numbers_select_the_2035_share_table(runs):
    table = st.budget_share_table(runs, 2035)
    numbers = sn.share_numbers(runs, table)
    assert numbers["top_1_share"] == table["share"].max()
    assert numbers["top_1_share"] >= numbers["top_2_share"]
    assert numbers["n_below_1pct"] == int((table["share"] < 1).sum())
    for name, share in table["share"].items():
        assert numbers[f"share_2035_{name.replace('-', '_')}"] == share


def test_prior_check_numbers_agree_with_the_fan_and_prior(runs):
    numbers = sn.prior_check_numbers(runs)
    mc = runs["montecarlo"]
    assert numbers["fan_p50"] == st.fan_summary(mc.result, mc.scenario.values, 2035)["p50"]
    prior = st.lognormal_prior(mc.scenario.values["demand"]["substitution"])
    assert numbers["prior_lo"] == prior["lo"] and numbers["prior_hi"] == prior["hi"]
    assert 1.2 <= numbers["ppc_fifth"] <= 1.5
    assert numbers["ppc_share_13"] < numbers["ppc_share_15"]
    assert numbers["wide_p95"] / numbers["wide_p05"] > numbers["fixed_p95"] / numbers["fixed_p05"]


def test_example_numbers_damp_spend_with_sloped_supply(runs):
    base = float(runs["baseline"].result.variables["compute_spend"][0, 0])
    numbers = sn.example_numbers(runs, base)
    free = report.quantiles_in_year(runs["montecarlo"].result, "compute_spend", 2035)
    assert numbers["mc_free_p50"] == free["p50"]
    assert 0.2 <= numbers["ex_growth_cross"] <= 2.0
    assert np.isfinite(numbers["mc_sloped_p50"]) and numbers["mc_sloped_p50"] < free["p50"]
