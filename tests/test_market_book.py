"""The package functions behind the market chapters (event study, what the market priced):
known answers, limits and invariances on synthetic data, and the chapters' identities."""

from __future__ import annotations

import dataclasses
import html

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from model.calibration import market
from model.calibration.estimate import ElasticityEstimate
from model.calibration.market import MarketPrior
from model.data.facts import fact
from model.errors import DataError
from model.event_study import EventStudySpec, study_ticker
from model.event_study.basket import (
    bmp_critical_value,
    kolari_pynnonen_bmp_factor,
    kolari_pynnonen_critical_correlation,
)
from model.event_study.baskets import Basket, ticker_categories
from model.event_study.benchmark import abnormal_return_without, benchmark_without
from model.event_study.recovery import event_closes, event_windows_with_recovery
from model.event_study.tails import tail_statistics
from model.event_study.variants import first_day_cross_section, study_models, study_windows
from model.event_study.windows import event_day_of
from model.output import market_tables as mt
from model.output import sources

EVENT = "2025-01-27"


def planted_loader(seed: int = 3, ar0: float = -0.12):
    """A price loader for FIRM, PEER and MKT: market-model returns with a planted day-0 move."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2023-09-01", "2025-04-30", name="Date")
    day0 = dates.get_loc(pd.Timestamp(EVENT))
    mkt = rng.normal(0.0005, 0.01, dates.size)
    firm = 0.001 + 1.5 * mkt + rng.normal(0, 0.02, dates.size)
    peer = 0.8 * mkt + rng.normal(0, 0.015, dates.size)
    firm[day0] += ar0
    returns = {"FIRM": firm, "PEER": peer, "MKT": mkt}

    def loader(ticker, start=None, end=None):
        close = 100.0 * np.cumprod(1.0 + returns[ticker])
        frame = pd.DataFrame({"Close": close, "Adj Close": close}, index=dates)
        return frame.loc[:end] if end is not None else frame

    return loader


# --- event study ------------------------------------------------------------------------------

def test_event_day_of_counts_trading_days_and_steps_back_over_weekends():
    dates = pd.bdate_range("2025-01-20", "2025-02-14")
    assert event_day_of(dates, EVENT, EVENT) == 0
    assert event_day_of(dates, EVENT, "2025-02-10") == 10  # a Monday, two weeks on
    assert event_day_of(dates, EVENT, "2025-02-09") == event_day_of(dates, EVENT, "2025-02-07") == 9
    assert event_day_of(dates, EVENT, "2025-01-24") == -1
    with pytest.raises(DataError):
        event_day_of(dates, "2025-01-25", EVENT)  # a Saturday is no event day


def test_event_closes_are_the_day_before_and_day_zero():
    dates = pd.bdate_range("2025-01-22", periods=6)
    close = pd.Series([100.0, 102.0, 120.0, 102.0, 110.0, 125.0], index=dates)
    got = event_closes(close, EVENT)
    assert got.date_before == pd.Timestamp("2025-01-24")
    assert (got.close_before, got.close_day0) == (120.0, 102.0)
    assert got.raw_return == pytest.approx(-0.15)
    with pytest.raises(DataError):
        event_closes(close, "2025-01-22")  # no close before the first day


def test_event_windows_with_recovery_are_the_table_rows_in_order():
    windows = event_windows_with_recovery(3, 40, "2025-01-24")
    assert list(windows.values()) == [(0, 0), (0, 1), (-1, 5), (0, 3), (0, 40)]
    assert list(windows)[-1] == "[0, 40], close regains the 24 January close"
    assert (0, 3) not in event_windows_with_recovery(None, 40, "2025-01-24").values()


def test_tail_statistics_known_answers():
    residuals = np.r_[np.full(50, 0.01), np.full(50, -0.01), [0.05, -0.06]]
    tails = tail_statistics(residuals, sigma=0.01)
    assert tails.n_beyond == 2 and tails.minimum == -0.06
    assert tails.normal_beyond == pytest.approx(102 * 2 * stats.norm.sf(3))
    assert tails.excess_kurtosis == pytest.approx(stats.kurtosis(residuals))
    normal = np.random.default_rng(0).normal(0, 1, 200_000)
    big = tail_statistics(normal, sigma=1.0)
    assert abs(big.excess_kurtosis) < 0.05 and big.jarque_bera_p > 0.001
    assert big.n_beyond == pytest.approx(big.normal_beyond, rel=0.1)


def test_abnormal_return_without_the_firm_by_hand():
    # weight 0.25 in a stock that fell 20% while the rest of the index rose 2%
    market = 0.25 * -0.20 + 0.75 * 0.02
    got = abnormal_return_without(-0.20, market, 0.25, alpha=0.001, beta=2.0)
    assert got == pytest.approx(-0.20 - 0.001 - 2.0 * 0.02)
    assert abnormal_return_without(-0.2, market, 0.0, 0.0, 1.0) == pytest.approx(-0.2 - market)
    assert got == pytest.approx(-0.20 - 0.001 - 2.0 * benchmark_without(market, -0.20, 0.25))


@pytest.mark.parametrize("stat, n", [(-4.0, 10), (6.5, 10), (3.1, 25)])
def test_kolari_pynnonen_critical_correlation_makes_the_test_just_stop_rejecting(stat, n):
    r = kolari_pynnonen_critical_correlation(stat, n)
    critical = bmp_critical_value(n)
    assert abs(stat) * kolari_pynnonen_bmp_factor(r, n) == pytest.approx(critical, rel=1e-12)
    by_root = optimize.brentq(lambda x: abs(stat) * kolari_pynnonen_bmp_factor(x, n) - critical, 0, 0.999)
    assert r == pytest.approx(by_root, abs=1e-10)
    assert critical == pytest.approx(stats.t.ppf(0.975, n - 1))


def test_kolari_pynnonen_critical_correlation_is_zero_without_a_rejection():
    assert kolari_pynnonen_critical_correlation(1.0, 10) == 0.0
    assert kolari_pynnonen_bmp_factor(0.0, 10) == 1.0


def test_variants_equal_the_single_studies_they_collect():
    loader = planted_loader()
    spec = EventStudySpec(EVENT, benchmark="MKT")
    windows = {"day 0": (0, 0), "two days": (0, 1)}
    by_window = study_windows("FIRM", windows, spec, loader=loader)
    assert list(by_window) == ["day 0", "two days"]
    two = study_ticker("FIRM", dataclasses.replace(spec, window=(0, 1)), loader=loader)
    assert by_window["two days"] == two
    by_model = study_models("FIRM", ["market", "constant-mean"], spec, loader=loader)
    assert by_model["market"] == by_window["day 0"]
    assert by_model["constant-mean"].model == "constant-mean"


def test_first_day_cross_section_rows_are_the_day0_of_each_study():
    loader = planted_loader(ar0=-0.12)
    spec = EventStudySpec(EVENT, benchmark="MKT")
    baskets = [Basket("a", "sellers", "category", "", ("FIRM",)),
               Basket("b", "buyers", "category", "", ("PEER",))]
    cross = first_day_cross_section(baskets, spec, loader=loader)
    assert list(cross["ticker"]) == ["FIRM", "PEER"] and list(cross["category"]) == ["sellers", "buyers"]
    firm = study_ticker("FIRM", spec, loader=loader)
    row = cross.iloc[0]
    assert row["ar"] == firm.car and row["sq_sums"] == 250 and row["ci_low"] < row["ar"] < row["ci_high"]
    assert row["ar"] == pytest.approx(-0.12, abs=0.06)  # the planted move, give or take a day's noise
    assert row["return"] - row["expected"] == pytest.approx(row["ar"], abs=1e-15)


def test_ticker_categories_of_a_baskets_file(tmp_path):
    path = tmp_path / "baskets.toml"
    path.write_text('[p]\nlabel = "peers"\nkind = "peers"\ntickers = ["A", "B"]\n'
                    '[c]\nlabel = "chips"\nkind = "category"\ntickers = ["A", "C"]\n', encoding="utf-8")
    assert ticker_categories(path) == {"A": "chips", "C": "chips"}


# --- display helpers -------------------------------------------------------------------------

def test_p_text_known_answers():
    assert mt.p_text(0.0, 250) == "below 1/250"
    assert mt.p_text(0.0) == "0.0e+00"
    assert mt.p_text(5.4e-7) == "5.4e-07"
    assert mt.p_text(0.0123) == "0.012"


def test_car_tables_carry_the_results():
    loader = planted_loader()
    spec = EventStudySpec(EVENT, benchmark="MKT")
    results = study_windows("FIRM", {"[0, 0]": (0, 0), "[0, 1]": (0, 1)}, spec, loader=loader)
    table = mt.car_windows_table(results)
    assert list(table.index) == ["[0, 0]", "[0, 1]"]
    assert table.loc["[0, 1]", "CAR (%)"] == 100 * results["[0, 1]"].car
    values = mt.car_test_values("c", results["[0, 0]"])
    assert values["c_lo"] == 100 * results["[0, 0]"].car_interval[0]
    models = mt.normal_models_table(study_models("FIRM", ["market", "market-adjusted"], spec, loader=loader))
    assert np.isnan(models.loc["market-adjusted", "beta"]) and models.loc["market", "beta"] > 1


def test_price_provenance_lists_each_file_once(mirror):
    table = mt.price_provenance_table(["NVDA", "SPY", "NVDA", "AMD", "SPY"])
    assert list(table.index) == ["NVDA", "SPY", "AMD"]
    assert table["sha256"].str.endswith("…").all()
    assert "retrieved" not in table.columns  # the table fits the text column
    assert table.loc["NVDA", "snapshot of"].endswith("…")  # commit hash shortened


def test_breakable_id_only_adds_break_opportunities():
    assert mt.breakable_id("nvda_revenue_fy2025_q3") == "nvda_<wbr>revenue_<wbr>fy2025_<wbr>q3"
    assert html.unescape(mt.breakable_id("a<b_c").replace("<wbr>", "")) == "a<b_c"


def test_short_commits_cuts_only_full_hashes():
    full = "0123456789abcdef0123456789abcdef01234567"
    assert mt.short_commits(f"org/repo: a.csv @ {full}") == "org/repo: a.csv @ 0123456789…"
    assert mt.short_commits("org/repo @ 0123456789abcdef") == "org/repo @ 0123456789abcdef"


def test_event_study_parameters_are_text_with_a_labelled_source():
    spec = EventStudySpec("2025-01-27", benchmark="SPY")
    table = mt.event_study_parameters_table(spec, "2025-02-10", "nvda_sp500_weight_before_2025_01_27")
    assert table["value"].map(type).eq(str).all()  # a seed is not shown as "20,250,127"
    assert table.loc["permutation seed", "value"] == str(spec.seed)
    assert table.loc["interval level", "value"] == "95%"
    assert table.loc["Nvidia S&P 500 weight", "source or reason"].startswith("<a href=")


def test_linked_facts_say_what_kind_each_source_is():
    table = mt.linked_facts_table("2025-02-10")
    urls = table["source"].str.startswith("<a href=")
    assert urls.any() and (~urls).any()  # the derived ratios give their formula
    assert table.loc[urls, "kind of source"].isin(sources.KINDS.values()).all()
    assert (table.loc[~urls, "kind of source"] == "").all()
    for fact_id in table.index[urls]:
        row = fact(fact_id, "2025-02-10")
        assert table.loc[fact_id, "kind of source"] == sources.KINDS[sources.source_kind(row["source"])]
        assert sources.link_text(row["source"], row["stated_by"]) in html.unescape(table.loc[fact_id, "source"])


# --- what the market priced ------------------------------------------------------------------

def test_instant_shock_returns_are_the_closed_form_for_every_rate():
    prior = MarketPrior()
    inputs = market.central_inputs(prior, 2.5)
    eps = np.array([0.0, 0.7, 1.0, 1.6])
    got = market.instant_shock_returns(inputs, eps, (2.0, 27.0), (0.08, 0.12))
    assert got.shape == (2, 2, 4)
    want = 0.878 * (np.array([2.0, 27.0])[:, None] ** (eps - 1) - 1)
    np.testing.assert_allclose(got, np.broadcast_to(want, got.shape), rtol=1e-12, atol=1e-14)


def test_pre_news_path_held_fixed_is_monotone_and_factors():
    prior = MarketPrior()
    inputs = market.central_inputs(prior, 2.5)
    factor, coverage, diffusion = market.central_news(prior)
    assert (coverage, diffusion) == (pytest.approx(0.65), pytest.approx(1.25))
    eps = np.linspace(0.0, 1.5, 61)
    paths = market.compare_pre_news_paths(inputs, factor, coverage, diffusion, eps)
    assert np.all(np.diff(paths.held_return) > 0)
    assert np.ptp(paths.held_weight) < 1e-12 and 0 < paths.held_weight[0] < 1
    from_factors = (0.878 * coverage * paths.held_weight * (factor ** (eps - 1) - 1))
    np.testing.assert_allclose(paths.held_return, from_factors, rtol=1e-10, atol=1e-14)
    # with the demand growth fixed the weight moves with eps and the curve turns
    assert paths.fixed_weight[0] < paths.held_weight[0]
    turn = market.non_monotone_range(eps, paths.fixed_return)
    assert 0 < turn.elasticity_at_minimum < 1 and turn.minimum < turn.ambiguous_above


def test_non_monotone_range_known_answer_and_monotone_curve():
    x = np.linspace(0, 2, 201)
    turn = market.non_monotone_range(x, (x - 0.5) ** 2)
    assert turn.elasticity_at_minimum == pytest.approx(0.5) and turn.minimum == pytest.approx(0.0)
    assert turn.ambiguous_above == pytest.approx(0.25)
    with pytest.raises(ValueError):
        market.non_monotone_range(x, x)


def test_prior_news_size_interval_and_ratio():
    prior = MarketPrior(factor_median=10.0, factor_log_sd=np.log(3.0) / 2)
    assert prior.factor_ratio == pytest.approx(3.0)
    low, high = prior.factor_interval(z=1.0)
    assert (low, high) == (pytest.approx(10 / np.sqrt(3)), pytest.approx(10 * np.sqrt(3)))


def test_grid_value_and_share_of_draws_below():
    grid = pd.DataFrame({"factor": [2.0, 2.0, 11.0], "coverage": [0.5, 1.0, 1.0],
                         "elasticity": [0.3, 0.5, 0.8]})
    assert market.grid_value(grid, 11, 1.0) == 0.8
    estimate = ElasticityEstimate("x", np.array([0.2, 0.9, 1.0, 1.3]))
    assert market.share_of_draws_below(estimate) == 0.5


def test_grid_tables_pivot_by_news_size_and_coverage():
    grid = pd.DataFrame({"factor": [2.0, 2.0, 11.0, 11.0], "coverage": [0.5, 1.0, 0.5, 1.0],
                         "elasticity": [0.3, 0.5, 0.7, 0.8], "low": [0.1] * 4, "high": [0.9] * 4,
                         "unsolved_share": [0.5, 0.0, 0.25, 0.0]})
    bands = mt.grid_bands_table(grid)
    assert list(bands.index) == [2, 11] and list(bands.columns) == ["φ = 0.5", "φ = 1.0"]
    assert bands.loc[11, "φ = 0.5"] == "0.70 (0.10–0.90)"
    assert mt.grid_unsolved_table(grid).loc[2, "φ = 0.5"] == 50.0
