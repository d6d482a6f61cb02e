"""The Jevons-model chapter's glue dicts (model.output.model_numbers): known answers."""

from __future__ import annotations

import pytest

from model.calibration.fit import fit
from model.calibration.quarterly import last_data_date
from model.output import demand_tables
from model.output import model_numbers as mn
from model.scenarios.loader import load_scenario


def test_fit_numbers_are_the_combined_estimate_and_its_isoelastic_multiplier():
    latest = fit(last_data_date())
    numbers = mn.fit_numbers(latest)
    estimate = latest.combination.estimate
    assert (numbers["sigma"], numbers["lo"], numbers["hi"]) == (estimate.median, *estimate.interval)
    assert numbers["multiplier"] == pytest.approx(11.0 ** (estimate.median - 1))  # S^(eps-1)


def test_budget_share_numbers_are_percentages_of_their_inputs():
    values = load_scenario("baseline").values
    s_bar = demand_tables.base_share(values)
    limits = demand_tables.backfire_limits([(1.3, 0.5), (1.1, 0.5)])
    numbers = mn.budget_share_numbers(values, s_bar, limits)
    assert numbers["s_bar"] == 100 * s_bar
    assert numbers["s_star_13"] == 100 * limits[(1.3, 0.5)] > numbers["s_star_11"]
    assert numbers["growth"] == 100 * values["budget"]["growth"]


def test_exercise_numbers_known_answers():
    numbers = mn.exercise_numbers({"share": 0.8}, 2.0, 0.01)
    assert numbers["ex1_gain"] ** (0.92 - 1) == pytest.approx(0.5)  # S^(eps-1) halves spend
    assert numbers["ex2_long"] == pytest.approx(27.0 ** 0.2)
    assert 11.0 ** (numbers["ex5_eps"] - 1) == pytest.approx(2.0)
    assert numbers["ex5_grid"] == pytest.approx(numbers["ex5_eps"], abs=1e-4)
    assert numbers["ex7_free"] == pytest.approx(0.3) and numbers["ex7_fixed"] < numbers["ex7_free"]
    assert numbers["ex4_share"] == pytest.approx(40.0, rel=0.05)  # halves a share of 80%
