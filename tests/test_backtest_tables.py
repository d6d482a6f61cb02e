"""The chapter "What happened next": its tables (model.output.backtest_tables), numbers
(model.output.backtest_numbers) and figures (model.output.plotting.backtest), on a synthetic
backtest and a stand-in engine."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from test_quarterly import engines

from model.calibration import backtest as bt
from model.calibration import quarterly as qt
from model.calibration.forecast import Forecast
from model.output import backtest_numbers as bn
from model.output import backtest_tables as tables
from model.output.plotting import backtest as plots

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def result():
    def forecaster(day, draws, seed):
        return qt.forecast_results(day, seed=seed, engines=engines(spend=0.4, nvidia=0.5, spread=0.2))

    return bt.backtest(None, progress=False, forecaster=forecaster)


def test_the_scorecard_carries_the_summary(result):
    table = tables.scorecard_table(result)
    assert len(table) == 3 and (table["scored"] == 5).all()
    s = result.summary_table["capex_year_usd_bn"]
    row = table[table["forecast"] == plots.TITLES["capex_year_usd_bn"]].iloc[0]
    assert row["model MAPE %"] == s["mape"] and row["latest plan MAPE %"] == s["baselines"]["latest plan"]["mape"]
    values = bn.scorecard_values(result)
    assert values["cy_mape"] == s["mape"] and values["scored"] == 5 and values["vintages"] == 6


def test_the_vintage_table_errors_are_percent_of_the_outcome(result):
    table = tables.vintage_table(result)
    frame = result.frame()
    known = frame["outcome"].notna()
    np.testing.assert_allclose(table.loc[known, "error %"],
                               100 * (frame.loc[known, "median"] - frame.loc[known, "outcome"]) / frame.loc[known, "outcome"])
    assert table.loc[~known, "covered"].isna().all()


def test_the_february_scorecard_and_its_numbers():
    draws = np.linspace(80.0, 120.0, 401)
    forecasts = {name: Forecast(name, "USD bn", draws, 90.0, "plan", "2025-02-10", 70.0, "base")
                 for name in tables.ANNUAL_TITLES}
    outcomes = {name: {"value": 110.0, "ids": (), "known": pd.Timestamp("2026-02-05")} for name in forecasts}
    table = tables.february_scorecard(forecasts, outcomes)
    assert table["outcome's percentile"].tolist() == ["74.8%", "74.8%"]  # 300 of 401 draws below 110
    values = bn.february_values(forecasts, outcomes)
    assert values["capex_err"] == pytest.approx(100 * (100 - 110) / 110)
    assert values["nv_base_err"] == pytest.approx(100 * (90 - 110) / 110)


def test_the_swings_table_lists_each_input_of_each_forecast():
    results = qt.forecast_results("2026-03-31", engines=engines(spend=0.3, spread=0.1))
    table = tables.input_swings_table(results)
    assert table["forecast"].nunique() == 3
    assert set(table["input"]) >= {qt.USAGE_DEMAND, qt.USAGE_INTENSITY, qt.SUPPLY_BACKLOG}
    np.testing.assert_allclose(table["change"], table["median at high"] - table["median at low"])
    latest = bn.latest_values(results)
    assert latest["cy_y"] == "2026" and latest["top_input"].startswith("engine")


def test_the_figures_draw(result):
    fig = plots.forecasts_by_vintage(result.frame(), tables.baselines_by_vintage(result))
    assert len([a for a in fig.axes if a.get_visible()]) == 3
    frame = pd.DataFrame({"as_of": ["2025-02-10", "2025-06-30"], **{
        f"{k}{s}": [0.9, 0.95] if s == "" else ([0.8, 0.85] if s == "_lo" else [1.0, 1.05])
        for k in ("market", "capex", "combined", "demand_growth") for s in ("", "_lo", "_hi")},
        "usage": [np.nan, 0.9], "usage_lo": [np.nan, 0.1], "usage_hi": [np.nan, 2.7]})
    assert len(plots.estimates_by_vintage(frame).axes) == 2
    assert tables.estimates_table(frame)["usage-implied"].iloc[0] == "–"
