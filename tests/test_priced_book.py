"""The package functions behind the rebuilt chapters "What the market priced" and "One elasticity
or two?": the decomposition, range and equivalence tables, the numbers the prose quotes and the
figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from model.calibration.fit import combination_under_capex_variants, fit, recombine
from model.constants import DEFAULT_AS_OF
from model.output import fit_numbers, fit_tables, market_tables
from model.output.plotting import market as market_plots


@pytest.fixture(scope="module")
def cal(mirror):
    return fit(DEFAULT_AS_OF, draws=400, grid_draws=20)


def test_the_channel_and_range_tables(cal):
    channels = market_tables.decomposition_channels_table(cal.decomposition)
    assert list(channels.index) == ["quantity of compute", "Nvidia's rents", "buyers' cost saving",
                                    "AI discount rate"]
    table = market_tables.quantity_range_table(cal.quantity, cal.prior.factor_median)
    assert any("(the decomposition)" in row for row in table.index)
    assert any("over trend" in c for c in table.columns) and any("raw" in c for c in table.columns)
    assert table.shape == (5, 6)
    firms = market_tables.decomposition_firms_table(cal.decomposition)
    assert "NVDA" in firms.index and len(firms) == len(cal.decomposition.firms)


def test_the_equivalence_and_estimates_tables(cal):
    eq = market_tables.equivalence_table(cal.valuation_check)
    assert len(eq) == 4 and eq.iloc[0, 0].startswith("+") and eq.iloc[0, 0].endswith("bp")
    estimates = market_tables.market_estimates_table(cal)
    assert estimates.index[0] == "quantity channel (headline)"
    assert estimates.loc["quantity channel (headline)", "method"] == "likelihood, flat prior"


def test_the_numbers_the_market_chapter_quotes(cal):
    v = fit_numbers.market_priced_values(cal)
    assert v["eps"] == pytest.approx(cal.market.median) and v["eps_lo"] < v["eps"] < v["eps_hi"]
    assert v["q_obs"] == pytest.approx(v["nvda_compute_quantity"])
    assert v["q_obs_lo"] < v["q_obs"] < v["q_obs_hi"]
    assert abs(v["value_gap"]) < 2.0  # the pre-event value within 2% of the market value
    assert v["s_raw"] > v["s_news"] > 1 and v["eq_pp_abs"] == pytest.approx(-v["eq_pp"])
    assert 1.0 <= v["placebo_rate"] <= 10.0


def test_the_combination_chapter_numbers_and_variants(cal):
    v = fit_numbers.combination_values(cal)
    assert 0 < v["power"] < 100 and v["alternative"] == 0.5 and v["draws_integrated"] == cal.shared.size
    variants = combination_under_capex_variants(cal, {"default": {}, "flat": {"growth_prior_median": None}})
    assert variants.loc[0, "p_value"] == pytest.approx(cal.combination.p_value)
    assert variants.loc[1, "power"] < variants.loc[0, "power"]  # the plans alone say less
    table = fit_tables.combination_variants_table(variants)
    assert "power (0.5 apart)" in table.columns
    assert "likelihoods" in fit_tables.elasticity_estimates_table(cal).loc["combined", "evidence"]
    none = recombine(cal, use_prior=False)
    assert none.prior is None and none.estimate.median != cal.combination.estimate.median


def test_the_figures_draw(cal):
    ax = market_plots.decomposition_fit(cal.decomposition)
    assert len(ax.get_xticklabels()) == len(cal.decomposition.firms)
    ax = market_plots.quantity_likelihood(cal.quantity, cal.market_single_channel)
    line = ax.get_lines()[0]
    assert np.isclose(np.trapezoid(line.get_ydata(), line.get_xdata()), 1.0, atol=0.02)
