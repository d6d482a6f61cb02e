"""The identification keys of `jevons calibrate --json` (issue 9's contract, first part): the
market-consistent valuation, the observational-equivalence moves, the news against the trend."""

from __future__ import annotations

import pytest

from model.calibration.fit import fit
from model.constants import DEFAULT_AS_OF


@pytest.fixture(scope="module")
def doc(mirror):
    return fit(DEFAULT_AS_OF, draws=400, grid_draws=40).to_dict()


def test_the_pre_event_value_matches_the_market_cap_within_two_percent(doc):
    v = doc["valuation"]
    assert set(v) >= {"pre_event_value_usd_bn", "market_cap_usd_bn", "discount_rate", "duration_years"}
    assert abs(v["pre_event_value_usd_bn"] / v["market_cap_usd_bn"] - 1) < 0.02
    assert 5 < v["duration_years"] < 40


def test_the_equivalents_and_the_news_factor_are_reported(doc):
    m = doc["market_implied"]
    eq = m["equivalents"]
    assert eq["discount_rate_bp"] > 0 and eq["growth_pp"] < 0 and eq["margin_pct"] < 0
    assert eq["abnormal_return"] == pytest.approx(m["abnormal_return"])
    news = m["news_factor"]
    assert news["raw"] > news["over_trend"] > 1
    assert 0.0 <= m["p_above_one"] <= 1.0


def test_the_existing_keys_are_kept(doc):
    assert {"as_of", "market_implied", "capex_implied", "external_prior", "combined",
            "hardware_doubling_years", "forecasts"} <= set(doc)
    assert {"elasticity", "interval", "abnormal_return", "ticker", "peers"} <= set(doc["market_implied"])


def test_the_decomposition_is_in_the_document(doc):
    d = doc["event_decomposition"]
    assert set(d) >= {"channels", "firms", "placebo"}
    assert "NVDA" in d["firms"] and len(d["channels"]) == 4
    for channel in d["channels"].values():
        lo, hi = channel["interval"]
        assert lo <= channel["estimate"] <= hi
    assert 0.01 <= d["placebo"]["rejection_rate"] <= 0.10 and d["placebo"]["days"] >= 100
    assert doc["market_implied"]["benchmark"].startswith("SPY")


def test_the_quarterly_forecast_blocks_are_in_the_document(doc):
    f = doc["forecasts"]
    assert {"hyperscaler_capex_2025_usd_bn", "nvidia_fy2026_dc_revenue_usd_bn"} <= set(f)  # kept
    nvda = f["nvidia_dc_revenue_next_quarter_usd_bn"]
    assert nvda["quarter"] == "FY2025Q4"  # the first Nvidia quarter not reported by 2025-02-10
    lo, hi = nvda["interval"]
    assert lo < nvda["median"] < hi and nvda["baseline_label"]
    capex = f["capex_next_quarter_usd_bn"]
    assert capex["quarter"] == "2025Q1" and set(capex["companies"]) == {"MSFT", "GOOGL", "AMZN", "META"}
    assert f["capex_year_usd_bn"]["total"]["median"] > 0
