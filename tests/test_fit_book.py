"""The package functions behind the fit chapters (buyers_planned, one_or_two,
forecasts_sensitivity): known answers, limits and invariances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_capex import LOG_FALL, fixed_nuisance
from test_longrun import synthetic as synthetic_longrun

from model.analysis import sensitivity as sa
from model.calibration import capex, evidence, grid_density, longrun
from model.calibration.capex import CapexAssumptions, Observations
from model.calibration.capex.plans import EXTRA_FACT_ROLES, PLANS, fact_roles
from model.calibration.fit import catch_up_months, news_spend_multiplier
from model.calibration.market import MarketPrior
from model.output import fit_numbers, fit_tables, sources

EPS0, G0 = 0.7, 0.8
Y0 = np.log1p(G0) + (EPS0 - 1) * LOG_FALL  # every plan's log growth on the ridge


def ridge_fit(post_news=(False, False, True, True), growth=None):
    """A capex fit to four plans that grew by exactly Y0 (or ``growth``), with known trends."""
    growth = np.full(4, Y0) if growth is None else np.asarray(growth, dtype=float)
    post = np.array(post_news)
    obs = Observations(growth, np.full(4, 0.01), post, np.empty(0), np.empty(0), np.empty(0, bool))
    table = pd.DataFrame({"firm": list("abcd"), "growth": growth, "growth_sd": 0.01, "post_news": post,
                          "plan": 50.0 * np.exp(growth), "plan_label": "x", "base": 50.0})
    a = CapexAssumptions(firm_growth_sd=0.05, growth_prior_median=None)
    return capex.fit_observations(obs, fixed_nuisance(adopted=0.0), a, pd.Timestamp("2025-02-10"), table,
                                  draws=1000, seed=1)


# --- the capex fit ---------------------------------------------------------------------------------
def test_the_ridge_through_the_plans_meets_the_true_growth_at_the_true_elasticity():
    fit = ridge_fit()
    assert fit.mean_plan_growth() == pytest.approx(Y0, abs=1e-12)
    assert fit.ridge_elasticity(G0) == pytest.approx(EPS0, abs=1e-12)
    # the ridge is a line of slope -log P, and ridge_log_growth inverts ridge_elasticity
    g = np.array([0.1, 0.5, 2.0])
    np.testing.assert_allclose(fit.ridge_log_growth(fit.ridge_elasticity(g)), np.log1p(g), atol=1e-12)
    assert np.diff(fit.ridge_log_growth([0.0, 1.0]))[0] == pytest.approx(-LOG_FALL)


def test_mean_plan_growth_weights_by_precision():
    fit = ridge_fit(growth=[0.1, 0.1, 0.5, 0.5])
    assert fit.mean_plan_growth() == pytest.approx(0.3)  # equal precisions: the plain mean
    assert fit.news_contrast() == pytest.approx((0.1, 0.5))


def test_ridge_view_scales_each_elasticity_to_its_best_growth_and_encloses_the_mass():
    fit = ridge_fit()
    window = fit.ridge_view(max_elasticity=2.0, growth_range=(0.5, 4.0))
    assert window["elasticity"].max() <= 2.0 and np.exp(window["log_growth"]).min() > 0.5
    np.testing.assert_allclose(window["relative_likelihood"].max(axis=1), 1.0)
    whole = fit.ridge_view(max_elasticity=4.0, growth_range=(np.exp(-3.6), np.exp(3.1)), mass=0.9)
    assert whole["posterior"].shape == fit.posterior.shape
    inside = whole["posterior"][whole["posterior"] >= whole["level"]].sum()
    assert 0.9 <= inside < 0.95
    np.testing.assert_allclose(whole["ridge"], fit.ridge_log_growth(fit.grid.elasticity))


def test_highest_density_level_of_a_normal_grid():
    edges = np.linspace(-6, 6, 12001)
    mids = 0.5 * (edges[:-1] + edges[1:])
    p = grid_density.normalise(-0.5 * mids**2)
    level = grid_density.highest_density_level(p, 0.95)
    inside = mids[p >= level]
    np.testing.assert_allclose([inside.min(), inside.max()], [-1.96, 1.96], atol=2e-3)
    assert grid_density.highest_density_level(p[:10], 0.95) == p[:10].min()  # a window holding less


def test_growth_prior_interval_is_the_lognormal_interval():
    lo, hi = CapexAssumptions(growth_prior_median=0.3, growth_prior_log_sd=0.4).growth_prior_interval()
    assert (lo, hi) == pytest.approx((1.3 * np.exp(-1.96 * 0.4) - 1, 1.3 * np.exp(1.96 * 0.4) - 1))
    assert np.isnan(CapexAssumptions(growth_prior_median=None).growth_prior_interval()[0])


def test_fact_roles_cover_every_plan_fact_once():
    roles = fact_roles()
    for spec in PLANS:
        for fid in (*spec.plan, spec.base[0], *([spec.street] if spec.street else [])):
            assert fid in roles
    assert roles["capex_2024_big4_yahoo"].endswith("derived as this total minus the other firms")
    assert list(roles)[-len(EXTRA_FACT_ROLES):] == list(EXTRA_FACT_ROLES)


# --- the long run ------------------------------------------------------------------------------------
def test_longrun_trends_and_fitted_line():
    capex_frame, chips = synthetic_longrun(1.0, growth=0.25)  # capex grows 25% a year whatever Q does
    lr = longrun.fit_longrun("2025-06-30", capex=capex_frame, chips=chips)
    assert lr.capex_trend_growth() == pytest.approx(0.25, abs=1e-9)
    capex_frame, chips = synthetic_longrun(1.4)  # log X = 2 + 0.4 log Q exactly
    lr = longrun.fit_longrun("2025-06-30", capex=capex_frame, chips=chips)
    log_q, fitted = lr.fitted_line(points=5)
    assert log_q[0] == lr.data["log_q"].min() and log_q[-1] == lr.data["log_q"].max()
    assert np.diff(fitted) == pytest.approx(np.full(4, 0.4 * np.diff(log_q)[0]), rel=0.05)  # slope eps - 1
    # an OLS line passes through the means
    mean_q = lr.data["log_q"].mean()
    assert lr.fitted_log_capex(mean_q) == pytest.approx(np.log(lr.data["total"]).mean(), abs=1e-10)
    q_slope = np.polyfit(lr.data["year"], lr.data["log_q"], 1)[0]
    assert lr.price_performance_growth() == pytest.approx(np.expm1(q_slope))
    assert 0.3 < q_slope < 0.4  # the synthetic frontier's trend is 0.35 a year, plus wiggles


def test_last_known_date_is_the_filing_lag_after_the_last_period():
    frame = pd.DataFrame({"ticker": "GOOG", "year": 2025, "quarter": [1, 2, 3], "payments_usd": 1e9})
    assert longrun.last_known_date("2025-12-31", 2025, frame=frame) == pd.Timestamp("2025-09-30") + pd.Timedelta(days=45)
    assert longrun.last_known_date("2025-08-13", 2025, frame=frame) == pd.Timestamp("2025-03-31") + pd.Timedelta(days=45)


# --- the combination ---------------------------------------------------------------------------------
def test_news_multiplier_is_one_at_unit_elasticity_and_the_work_is_the_news_size():
    prior = MarketPrior()
    out = news_spend_multiplier(np.ones(500), prior, seed=3)
    np.testing.assert_allclose(out["multiplier"], 1.0)
    np.testing.assert_allclose(out["full_adoption"], 1.0)
    below = news_spend_multiplier(np.full(500, 0.5), prior, seed=3)
    assert np.all(below["full_adoption"] <= below["multiplier"]) and np.all(below["multiplier"] < 1.0)
    np.testing.assert_allclose(below["work"] ** 2, out["work"])  # S^0.5 squared is S^1


def test_catch_up_months():
    assert catch_up_months(np.exp(-0.1), 0.2) == pytest.approx(6.0)
    assert catch_up_months(1.0, 0.3) == 0.0


# --- numbers for the prose ---------------------------------------------------------------------------
def test_small_prose_helpers():
    assert fit_numbers.percent(0.25) == 25.0
    assert fit_numbers.draws_above_text(1) == "1 draw lies" and fit_numbers.draws_above_text(0) == "0 draws lie"
    assert fit_numbers.long_date("2025-02-10") == "10 February 2025"
    assert fit_numbers.estimate_values("k", 1.0, (0.5, 2.0)) == {"k": 1.0, "k_lo": 0.5, "k_hi": 2.0}


def test_fan_values_of_a_constant_growth_path():
    years = np.arange(2024, 2036)
    path = 100.0 * 1.2 ** (years - 2024)
    index = pd.MultiIndex.from_product([["flop_demand", "compute_spend"], years], names=["variable", "year"])
    fan = pd.DataFrame({"5%": np.tile(path / 2, 2), "50%": np.tile(path, 2), "95%": np.tile(path * 3, 2)},
                       index=index)
    values = fit_numbers.fan_values(fan)
    assert values["fan_growth"] == pytest.approx(0.2)
    assert values["fan_ratio_2035"] == pytest.approx(6.0)
    assert values["fan_2030_50"] == pytest.approx(100 * 1.2**6)


def test_tornado_values_read_the_rows_by_parameter():
    table = pd.DataFrame({"parameter": ["spend_growth", "elasticity", "coverage", "factor"],
                          "low": [0.1, 0.8, 0.3, 5.0], "high": [0.4, 0.99, 1.0, 50.0],
                          "output_low": [1.0, 2.0, 3.0, 4.0], "output_high": [5.0, 6.0, 7.0, 8.0]})
    table.attrs["central"] = 4.5
    values = fit_numbers.tornado_values(table)
    assert values["tornado_central"] == 4.5
    assert values["tornado_cov_in_high"] == 1.0 and values["tornado_factor_low"] == 4.0


def test_news_multiplier_exercise_is_the_jevons_mixture():
    params = (sa.uniform("elasticity", "e", (0.8, 1.0), "t"), sa.uniform("coverage", "c", (0.4, 0.6), "t"),
              sa.uniform("factor", "s", (10.0, 30.0), "t"))
    values = fit_numbers.news_multiplier_exercise_values(params, (0.05, 0.95))
    assert values["eps_med"] == pytest.approx(0.9) and values["phi_med"] == pytest.approx(0.5)
    assert values["s_lo"] == pytest.approx(11.0)
    assert values["mult_lo"] == pytest.approx(0.5 + 0.5 * 11.0 ** -0.1)


def test_indices_of_and_timed():
    frame = pd.DataFrame({"output": ["a", "a", "b"], "parameter": ["x", "y", "x"], "ST": [0.1, 0.2, 0.3]})
    assert sa.indices_of(frame, "a")["ST"].to_dict() == {"x": 0.1, "y": 0.2}
    result, seconds = sa.timed(sum, [1, 2, 3])
    assert result == 6 and seconds >= 0.0


# --- display tables ----------------------------------------------------------------------------------
def test_table_cells():
    assert fit_tables.index_cell(-0.0001, 0.002) == "<0.001 ± 0.002"
    assert fit_tables.index_cell(0.0002, 0.0004) == "<0.001"  # not "0.000 ± 0.000"
    assert fit_tables.index_cell(0.1234, 0.0003) == "0.123 ± <0.001"
    assert fit_tables.index_cell(-0.02, 0.0105) == "-0.020 ± 0.011"
    assert fit_tables.signed_percent(np.log(1.22)) == "+22%" and fit_tables.signed_percent(np.nan) == ""
    frame = pd.DataFrame({"a": ["x"], "b": [1.0], "c": [2]})
    assert fit_tables.numeric_formats(frame, "{:.1f}") == {"b": "{:.1f}"}
    assert (fit_tables.source_link("https://www.sec.gov/x?a&b", "Alphabet 10-K")
            == '<a href="https://www.sec.gov/x?a&amp;b">Alphabet 10-K</a>')
    assert fit_tables.source_kind("https://www.sec.gov/x", "Alphabet 10-K") == sources.KINDS["primary"]
    copy = fit_tables.source_link("https://www.menafn.com/1", "Bloomberg (via MENAFN)")
    assert ">secondary copy of a Bloomberg report (menafn.com)</a>" in copy
    assert fit_tables.source_link("a report", "X") == "X: a report"
    assert fit_tables.source_kind("a report", "X") == ""


def test_coverage_by_range_reads_as_ranges_and_percent():
    truth = np.array([0.0, 0.5, 1.0, 3.0, 3.5])
    by_range = pd.DataFrame({"true elasticity": pd.cut(truth, (0.0, 0.75, 1.25, 2.0, 4.0), include_lowest=True),
                             "covered": [True, False, True, True, True]})
    by_range = (by_range.groupby("true elasticity", observed=False)["covered"]
                .agg(worlds="size", coverage="mean").reset_index())
    table = fit_tables.coverage_by_range_table(by_range)
    assert list(table["true elasticity"]) == ["0 to 0.75", "0.75 to 1.25", "1.25 to 2", "2 to 4"]
    assert list(table["worlds"]) == [2, 1, 0, 2]
    assert table["covered (%)"].iloc[0] == 50.0 and table["covered (%)"].iloc[3] == 100.0


def test_fact_tables_say_what_kind_each_source_is():
    table = fit_tables.used_facts_table({"deepseek_v3_gpu_hours": "news size"}, "2025-02-10")
    assert table.loc["deepseek_v3_gpu_hours", "kind of source"] == sources.KINDS["research"]
    assert table.loc["deepseek_v3_gpu_hours", "source"].startswith('<a href="https://arxiv.org/')
    shown = fit_tables.evidence_sources_table(evidence.evidence_table("2025-02-10"))
    urls = shown["source"].str.startswith("<a href=")
    assert urls.any() and shown.loc[urls, "kind of source"].isin(sources.KINDS.values()).all()
    assert (shown.loc[~urls, "kind of source"] == "").all()


def test_growth_prior_table_labels_the_flat_prior():
    sens = pd.DataFrame({"prior_median": [0.3, np.nan], "prior_log_sd": [0.4, np.nan],
                         "elasticity": [0.9, 1.1], "low": [0.5, 0.1], "high": [1.2, 1.5],
                         "growth_median": [0.3, 0.2], "growth_low": [0.0, -0.5], "growth_high": [1.0, 3.0]})
    table = fit_tables.growth_prior_table(sens)
    assert list(table.index) == ["median 30%, log sd 0.4", "flat in ln(1+g)"]
    assert table.loc["flat in ln(1+g)", "ε 95% interval"] == "0.10 to 1.50"


def test_used_facts_table_leaves_out_facts_public_after_the_date(mirror):
    from model.constants import DEFAULT_AS_OF
    from model.data.facts import load_facts

    roles = fact_roles()
    table = fit_tables.used_facts_table(roles, DEFAULT_AS_OF)
    known = set(load_facts(DEFAULT_AS_OF)["id"])
    assert set(table.index) == {f for f in roles if f in known}
    assert len(table) < len(roles)  # the later plan vintages and the 2025 actuals are left out
