"""The long-run regression: recovery on synthetic data, the filing lag, the real data, bad inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.calibration import longrun
from model.errors import JevonsError


def synthetic(eps, growth=0.0, years=range(2010, 2024), noise=0.0, seed=0):
    """Capex X = D Q^(eps - 1) for two firms, Q with a trend and wiggles, D growing at ``growth``."""
    rng = np.random.default_rng(seed)
    years = np.array(list(years))
    t = years - years[0]
    log_q = 20.0 + 0.35 * t + 0.4 * np.sin(1.7 * t)  # a trend and deviations from it
    log_x = 2.0 + np.log1p(growth) * t + (eps - 1) * log_q + noise * rng.standard_normal(t.size)
    rows = [{"ticker": tk, "year": y, "quarter": 0, "payments_usd": share * np.exp(v) * 1e9}
            for tk, share in (("GOOG", 0.4), ("AMZN", 0.6)) for y, v in zip(years, log_x, strict=True)]
    capex = pd.DataFrame(rows)
    chips = pd.DataFrame({"name": [f"chip{y}" for y in years],
                          "release_date": pd.to_datetime([f"{y}-06-30" for y in years]),
                          "price_usd": 10000.0, "flops_per_usd": np.exp(log_q)})
    return capex, chips


def test_recovers_the_elasticity_when_demand_does_not_trend():
    capex, chips = synthetic(1.4, noise=0.03, seed=1)
    fit = longrun.fit_longrun("2025-06-30", capex=capex, chips=chips)
    got = fit.elasticity("price-performance")
    assert got["interval"][0] <= 1.4 <= got["interval"][1]
    assert got["elasticity"] == pytest.approx(1.4, abs=0.05)


def test_a_demand_trend_biases_the_slope_and_the_trend_term_removes_it():
    capex, chips = synthetic(0.6, growth=0.5, noise=0.03, seed=2)
    fit = longrun.fit_longrun("2025-06-30", capex=capex, chips=chips)
    naive = fit.elasticity("price-performance")
    assert not naive["interval"][0] <= 0.6 <= naive["interval"][1]  # confounded with demand growth
    trend = fit.elasticity("price-performance + trend")
    assert trend["interval"][0] <= 0.6 <= trend["interval"][1]
    assert trend["interval"][1] - trend["interval"][0] > naive["interval"][1] - naive["interval"][0]


def test_a_year_is_known_only_after_the_filing_lag():
    capex, _ = synthetic(1.0, years=range(2020, 2025))
    at = lambda day: longrun.annual_capex(day, frame=capex)["year"].max()  # noqa: E731
    assert at("2025-02-13") == 2023  # 2024 ends 12-31; 45 days later is 02-14
    assert at("2025-02-14") == 2024
    assert longrun.annual_capex("2025-02-14", frame=capex, lag_days=60)["year"].max() == 2023


def test_year_to_date_growth_compares_the_same_quarters():
    rows = [("GOOG", 2024, q, v) for q, v in ((1, 10.0), (2, 11.0), (3, 12.0), (4, 13.0))]
    rows += [("GOOG", 2025, q, v) for q, v in ((1, 15.0), (2, 16.5), (3, 18.0))]
    rows += [("MSFT", 2024, q, v) for q, v in ((1, 5.0), (3, 6.0))] + [("MSFT", 2025, 1, 7.0), ("MSFT", 2025, 3, 7.0)]
    frame = pd.DataFrame(rows, columns=["ticker", "year", "quarter", "payments_usd"])
    frame["payments_usd"] *= 1e9
    got = longrun.year_to_date_growth("2025-12-31", 2025, firms=("GOOG", "MSFT"), frame=frame).set_index("ticker")
    assert got.loc["GOOG", "quarters"] == "Q1-Q3" and got.loc["GOOG", "growth"] == pytest.approx(49.5 / 33 - 1)
    assert got.loc["MSFT", "quarters"] == "Q1+Q3" and got.loc["MSFT", "growth"] == pytest.approx(14 / 11 - 1)
    # only quarters filed by as_of count: Q3 2025 ends 09-30, known 45 days later
    early = longrun.year_to_date_growth("2025-11-13", 2025, firms=("GOOG",), frame=frame)
    assert early.loc[0, "quarters"] == "Q1-Q2"


def test_bad_inputs_are_one_line_errors():
    capex, chips = synthetic(1.0, years=range(2018, 2024))
    with pytest.raises(JevonsError, match="only 3 years"):
        longrun.fit_longrun("2021-06-30", capex=capex, chips=chips)
    with pytest.raises(JevonsError, match="no complete calendar year of capex for GOOG, AMZN"):
        longrun.fit_longrun("2018-12-31", capex=capex, chips=chips)
    with pytest.raises(JevonsError, match="no chip with a release price of at least 50000"):
        longrun.fit_longrun("2025-06-30", capex=capex, chips=chips, min_price_usd=50000)
    with pytest.raises(JevonsError, match="no complete calendar year of capex for MSFT"):
        longrun.fit_longrun("2025-06-30", capex=capex, chips=chips, firms=("GOOG", "MSFT"))
    with pytest.raises(JevonsError, match="not a date"):
        longrun.fit_longrun("soon", capex=capex, chips=chips)


def test_real_data_as_of_the_cutoff(mirror):
    fit = longrun.fit_longrun("2025-02-10")
    assert list(fit.data["year"]) == list(range(2016, 2024))  # GOOG and AMZN complete; 2024 not filed
    row = fit.data.set_index("year").loc[2023]
    assert row["total"] == pytest.approx(32.251 + 52.729)
    assert fit.trend_correlation > 0.9  # price-performance and the trend are nearly collinear
    free = fit.elasticity("price-performance")
    trend = fit.elasticity("price-performance + trend")
    width = lambda d: d["interval"][1] - d["interval"][0]  # noqa: E731
    assert width(trend) > 1.5 * width(free)
    assert fit.to_dict()["n"] == 8
    assert "elasticity with a trend, 95% interval" in str(fit.summary())
