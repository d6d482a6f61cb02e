"""The fitted scenario (``jevons calibrate --scenario-out``, ``scenarios/fitted.toml``): it
regenerates byte for byte, its distributions are the fit's posterior, it loads and runs, and a bad
path is one line with exit status 2 before the fit runs."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import PROJECT_DIR, assert_one_line_error, run_cli

from model.calibration.fit import fit
from model.calibration.fitted_scenario import scenario_text
from model.calibration.long_run_growth import (
    HALF_LIFE_RANGE,
    PRE_BOOM_LAST_YEAR,
    capex_trends,
    long_run_growth_prior,
)
from model.calibration.quarterly import last_data_date, posterior_draws
from model.constants import SEED
from model.scenarios.distributions import Distribution
from model.scenarios.loader import load_scenario
from model.scenarios.runs import run_scenario

SHIPPED = PROJECT_DIR / "scenarios" / "fitted.toml"


@pytest.fixture(scope="module")
def calibration(mirror):
    return fit(last_data_date())


@pytest.fixture(scope="module")
def text(calibration):
    return scenario_text(calibration)


def test_the_shipped_file_regenerates_byte_for_byte(text):
    """If this fails after a change to the fit, regenerate the file:
    jevons calibrate --as-of 2026-03-31 --scenario-out scenarios/fitted.toml"""
    assert SHIPPED.read_text(encoding="utf-8") == text


def test_the_text_is_a_pure_function_of_the_fit(calibration, text):
    assert scenario_text(calibration) == text
    assert scenario_text(calibration, seed=SEED + 1) != text


def test_the_as_of_date_is_in_the_first_comment_lines(calibration, text):
    day = f"{calibration.as_of:%Y-%m-%d}"
    head = text.splitlines()[:2]
    assert all(line.startswith("#") for line in head)
    assert re.search(r"\d{4}-\d{2}-\d{2}", head[0])[0] == day


def test_the_distributions_are_the_posterior(calibration, tmp_path):
    path = tmp_path / "fit.toml"
    text = scenario_text(calibration)
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(str(path))
    d = scenario.distributions
    eps, growth, inputs = posterior_draws(calibration, 4000, SEED)
    lo, mid, hi = np.quantile(eps, [0.025, 0.5, 0.975])
    sub = d["demand.substitution"]
    assert sub.dist == "lognormal"
    assert sub.params[0] == pytest.approx(mid, rel=1e-3)
    assert sub.params[1] == pytest.approx(np.log(hi / lo) / 3.92, rel=1e-3)
    # growth: its conditional at the median elasticity, centred within the marginal's interval
    g = d["demand.growth"]
    assert g.dist == "normal"
    g_lo, g_hi = np.quantile(growth, [0.025, 0.975])
    assert g_lo < g.params[0] < g_hi and 0 < g.params[1] < (g_hi - g_lo) / 3.92
    hw_lo, hw_hi = calibration.hardware.interval
    assert d["hardware.doubling_years"].dist == "uniform"
    assert d["hardware.doubling_years"].params == pytest.approx((hw_lo, hw_hi), rel=1e-3)
    prior = calibration.forecast_prior  # the news over trend (S_news), as the forecasts draw it
    assert prior.factor_median == pytest.approx(calibration.news.over_trend)
    assert prior.factor_median < calibration.prior.factor_median  # below the raw ratios' 17.4
    assert d["efficiency.shocks[0].factor"].params == pytest.approx(
        (prior.factor_median, prior.factor_log_sd), rel=1e-3)
    assert f"Raw ratios (median {calibration.prior.factor_median:.1f}) as a sensitivity" in text
    assert d["efficiency.shocks[0].coverage"] == Distribution("uniform", prior.coverage)
    assert scenario.values["demand"]["form"] == "budget-share"
    # the fade: growth holds through the last plan year, then moves to the long-run prior
    fade = long_run_growth_prior(calibration, mid, np.median(inputs["hardware_doubling_years"]),
                                 np.median(inputs["efficiency_doubling_years"]))
    assert scenario.values["demand"]["growth_fade_start"] == calibration.capex.plans["year"].max()
    long_run = d["demand.long_run_growth"]
    assert long_run.dist == "uniform"
    assert long_run.params == pytest.approx(fade.long_run_growth, rel=1e-3)
    assert d["demand.growth_half_life"] == Distribution("uniform", HALF_LIFE_RANGE)
    c_lo, c_hi = fade.capex_growth
    assert 0 < c_lo < c_hi < 1  # pre-boom capex trend growth: positive, below doubling a year


def test_the_long_run_prior_uses_only_pre_boom_years_known_on_the_date(calibration):
    trends = capex_trends(calibration.as_of)
    assert all(int(years.split("-")[1]) <= PRE_BOOM_LAST_YEAR for years in trends["years"])
    early = capex_trends("2020-03-31")  # as of a date before the boom: 2019 is the last year known
    assert all(years.endswith("-2019") for years in early["years"])


def test_the_shipped_file_loads_and_runs():
    scenario = load_scenario("fitted")
    assert scenario.description
    run = run_scenario(scenario, draws=500)
    spend = run.result.variables["compute_spend"]
    assert np.all(np.isfinite(spend)) and spend.shape[0] == 500
    p05, p95 = np.percentile(spend[:, -1], [5, 95])
    assert p95 / p05 < 1e3
    assert np.all(spend < run.result.variables["budget"])  # nothing spends more than its budget
    # demand growth fades after the plans: the 2035 median is a modest share of world GDP
    share = np.median(run.result.variables["compute_share_of_budget"][:, -1])
    assert share < 0.25


def test_cli_writes_the_same_text(tmp_path, mirror, text, calibration):
    out = tmp_path / "fitted.toml"
    day = f"{calibration.as_of:%Y-%m-%d}"
    result = run_cli("calibrate", "--as-of", day, "--scenario-out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == text
    assert not [p for p in tmp_path.iterdir() if p != out]  # no temporary file left behind


@pytest.mark.parametrize("where, reason", [("missing/dir/x.toml", "No such file or directory"),
                                           (".", "Is a directory")])
def test_bad_scenario_out_is_one_line_before_the_fit(tmp_path, where, reason):
    result = run_cli("calibrate", "--scenario-out", str(tmp_path / where))
    assert result.returncode == 2
    assert_one_line_error(result, "--scenario-out", reason, "allowed: a writable file path")
