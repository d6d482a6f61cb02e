"""Vintage backtests (model.calibration.backtest, ``jevons backtest``): CRPS and coverage known
answers, the JSON shape, and the command's bad inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import assert_one_line_error, run_cli
from test_quarterly import engines

from model.calibration import backtest as bt
from model.calibration import quarterly as qt
from model.errors import JevonsError


def test_crps_of_a_point_mass_is_the_absolute_error():
    assert bt.crps(np.full(50, 3.0), 5.5) == pytest.approx(2.5)
    assert bt.crps([7.0], 5.0) == pytest.approx(2.0)


def test_crps_matches_the_pairwise_definition():
    x = np.random.default_rng(3).normal(10, 2, 200)
    y = 11.3
    brute = np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert bt.crps(x, y) == pytest.approx(brute, rel=1e-12)
    assert bt.crps(x, 10.0) < bt.crps(x, 16.0)


def _scored(median, lo, hi, outcome, base):
    return {"median": median, "interval": [lo, hi], "outcome": outcome,
            "error": None if outcome is None else median - outcome,
            "covered": None if outcome is None else lo <= outcome <= hi, "crps": 0.0 if outcome is None else 1.0,
            "baselines": {"run-rate": {"value": base, "error": None if outcome is None else base - outcome}}}


def test_the_summary_counts_coverage_and_errors():
    vintages = [{"as_of": f"2025-0{i}-01", "forecasts": {name: s for name in bt.NAMES}}
                for i, s in enumerate([_scored(110, 90, 120, 100, 100), _scored(90, 85, 95, 100, 80),
                                       _scored(100, 90, 110, None, 100)], start=1)]
    summary = bt.summarise(vintages)["capex_year_usd_bn"]
    assert summary["n"] == 2
    assert summary["coverage"] == pytest.approx(0.5)
    assert summary["mape"] == pytest.approx(10.0)
    assert summary["mean_crps"] == pytest.approx(1.0)
    assert summary["baselines"]["run-rate"] == {"n": 2, "mape": pytest.approx(10.0), "mean_abs_error": pytest.approx(10.0)}


def test_default_vintages_are_quarter_ends_from_the_cutoff():
    days = [f"{d:%Y-%m-%d}" for d in bt.default_vintages()]
    assert days == ["2025-02-10", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"]


@pytest.mark.parametrize("text, fragment", [
    ("2025-03-31,2025-02-10", "not sorted"), ("2025-03-31,2025-03-31", "given twice"),
    ("2025-01-01", "out of range"), ("2026-04-01", "out of range"), ("2025-3-31", "YYYY-MM-DD"),
    ("2025-03-31,", "empty date"), ("31/03/2025", "YYYY-MM-DD")])
def test_bad_vintages_are_refused(text, fragment):
    with pytest.raises(JevonsError, match=fragment):
        bt.parse_vintages(text)
    assert_one_line_error(run_cli("backtest", "--vintages", text), "--vintages", fragment)


def test_the_json_shape_and_scores_on_the_real_tables():
    def forecaster(day, draws, seed):
        return qt.forecast_results(day, seed=seed, engines=engines(spend=0.4, nvidia=0.5, spread=0.2))

    result = bt.backtest(None, progress=False, forecaster=forecaster)
    doc = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert set(doc) == {"vintages", "summary"}
    assert [v["as_of"] for v in doc["vintages"]][0] == "2025-02-10"
    for vintage in doc["vintages"]:
        assert set(vintage) == {"as_of", "forecasts"}
        assert set(vintage["forecasts"]) == set(bt.NAMES)
        for f in vintage["forecasts"].values():
            assert set(f) == {"median", "interval", "outcome", "error", "covered", "crps", "baselines"}
            for b in f["baselines"].values():
                assert set(b) == {"value", "error"}
    first = doc["vintages"][0]["forecasts"]
    assert first["nvidia_dc_revenue_next_quarter_usd_bn"]["outcome"] == 35.58  # FY2025Q4
    assert first["capex_year_usd_bn"]["outcome"] == pytest.approx(413.44, abs=0.05)  # each on its own definition
    last = doc["vintages"][-1]["forecasts"]
    assert all(last[n]["outcome"] is None and last[n]["crps"] is None for n in bt.NAMES)  # not yet known
    for name in bt.NAMES:
        s = doc["summary"][name]
        assert s["n"] == 5 and 0 <= s["coverage"] <= 1 and s["mean_crps"] > 0
    assert "forecasts against outcomes" in result.summary().as_text()


def test_the_command_runs_a_vintage():
    result = run_cli("backtest", "--vintages", "2025-12-31", "--json", "--draws", "100")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    nv = doc["vintages"][0]["forecasts"]["nvidia_dc_revenue_next_quarter_usd_bn"]
    assert nv["outcome"] == 62.31 and nv["baselines"]["latest guidance"]["value"] == pytest.approx(65 * 51.2 / 57.006)
    assert "vintages" in result.stderr  # the progress bar


def test_bad_draws_are_refused():
    assert_one_line_error(run_cli("backtest", "--draws", "5"), "--draws", "allowed")


# --- the estimates by vintage and the annual outcomes -------------------------------------------


def test_the_annual_outcomes_are_the_plans_bases():
    out = bt.annual_outcomes()
    capex = out["hyperscaler_capex_2025_usd_bn"]
    assert capex["value"] == pytest.approx(88.2 + 91.4 + 125 + 72.22)
    assert f"{capex['known']:%Y-%m-%d}" == "2026-02-05"
    assert out["nvidia_fy2026_dc_revenue_usd_bn"]["value"] == 193.7


def test_the_outcome_percentile_is_the_share_of_draws_below():
    assert bt.outcome_percentile(np.arange(100.0), 25.0) == pytest.approx(0.25)
    assert bt.outcome_percentile([1.0, 2.0], 5.0) == 1.0


def test_backtest_with_estimates_keeps_one_row_per_vintage_from_the_same_fit():
    result, estimates = bt.backtest_with_estimates(["2025-02-10", "2025-06-30"], draws=200)
    assert list(estimates["as_of"]) == [v["as_of"] for v in result.vintages] == ["2025-02-10", "2025-06-30"]
    assert np.isnan(estimates["usage"].iloc[0]) and not np.isnan(estimates["usage"].iloc[1])  # tokens from 2025-04-30
    for key in ("market", "capex", "combined", "demand_growth"):
        assert (estimates[f"{key}_lo"] < estimates[key]).all() and (estimates[key] < estimates[f"{key}_hi"]).all()
    # the same numbers as a forecast made directly from a fit of that date
    direct = bt.model_forecaster(bt.parse_vintages("2025-06-30")[0], 200, bt.SEED)
    assert result.vintages[1]["forecasts"]["capex_year_usd_bn"]["median"] == direct["capex_year_usd_bn"].total.median
