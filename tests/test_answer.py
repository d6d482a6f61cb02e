"""The first screen's numbers (model.output.answer): selected from the two fits, not computed
anew, and consistent with the model's closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from model.calibration.backtest import annual_outcomes
from model.calibration.fit import catch_up_months, fit
from model.calibration.quarterly import last_data_date
from model.constants import DEFAULT_AS_OF
from model.engine.closed_forms import jevons_factor
from model.output.answer import ILLUSTRATIVE_COVERAGE, answer_values


@pytest.fixture(scope="module")
def fits(mirror):
    return fit(DEFAULT_AS_OF, draws=1000, grid_draws=100), fit(last_data_date(), draws=1000, grid_draws=100)


def test_answer_values_are_the_fits_own_numbers(fits):
    february, latest = fits
    v = answer_values(february, latest, annual_outcomes())
    assert v["q_eps"] == february.market.median
    assert (v["q_eps_lo"], v["q_eps_hi"]) == tuple(february.market.interval)
    assert v["feb_combined"] == february.combination.estimate.median
    assert v["latest_combined"] == latest.combination.estimate.median
    assert v["latest_capex"] == latest.capex.estimate.median
    assert v["data_date"] == latest.as_of and v["feb_as_of"] == february.as_of
    assert v["q_range_lo"] < v["q_range_hi"] < 1
    assert 0 < v["q_share"] <= 100


def test_spend_cut_and_catch_up_follow_the_closed_forms(fits):
    february, latest = fits
    v = answer_values(february, latest, annual_outcomes())
    eps, news = february.combination.estimate.median, february.quantity.news_median
    expected = 1 - jevons_factor(np.float64(eps), news, ILLUSTRATIVE_COVERAGE)
    assert v["cut_pct"] == pytest.approx(100 * expected, rel=1e-12)
    assert (v["cut_pct"] > 0) == (eps < 1)
    growth = february.capex.ridge_interval()[0]
    assert v["catch_up_months"] == pytest.approx(catch_up_months(1 - expected, growth), rel=1e-12)


def test_outcome_is_the_facts_tables(fits):
    february, latest = fits
    outcomes = annual_outcomes()
    v = answer_values(february, latest, outcomes)
    assert v["capex_out"] == outcomes["hyperscaler_capex_2025_usd_bn"]["value"]
    assert 0 <= v["capex_pct"] <= 100
