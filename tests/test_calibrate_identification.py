"""The identification keys of `jevons calibrate --json` (issue 9's contract, first part): the
market-consistent valuation, the observational-equivalence moves, the news against the trend."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_capex import perturb_facts, perturb_mirror

from model.calibration.fit import coverage_check, fit
from model.constants import DEFAULT_AS_OF
from model.errors import JevonsError


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


# --- issue 9 items 5 and 6: the quantity channel and the likelihood combination ------------------
def test_the_headline_is_the_quantity_channel_and_the_single_channel_is_kept(doc):
    m = doc["market_implied"]
    q = m["quantity_channel"]
    assert q["channel"] == "compute_quantity" and q["exposure"] == pytest.approx(0.878, abs=0.001)
    assert q["observed_return"] == pytest.approx(q["exposure"] * q["channel_estimate"])
    lo, hi = q["observed_interval"]
    assert lo < q["observed_return"] < hi < 0
    assert 0 < q["share_of_abnormal_return"] < 1  # part of Nvidia's fall, not all of it
    assert q["news_size"]["median"] == pytest.approx(m["news_factor"]["over_trend"])
    single = m["single_channel"]
    assert single["news_factor"] == pytest.approx(m["news_factor"]["raw"])
    assert single["elasticity"] != m["elasticity"] and "single channel" in single["method"]
    assert 0.0 <= m["p_above_one"] <= 1.0
    cells = pd.DataFrame(q["ranges"])
    assert len(cells) >= 20 and {"share", "factor", "elasticity", "low", "high", "p_above_one"} <= set(cells)
    # a larger quantity share or a smaller news factor: a lower elasticity (the range is real)
    at_news = cells[cells["factor"] == cells["factor"].max()].sort_values("share")
    assert at_news["elasticity"].is_monotonic_decreasing
    at_half = cells[cells["share"] == 0.5].sort_values("factor")
    assert at_half["elasticity"].is_monotonic_increasing


def test_the_combination_is_likelihood_based_with_its_power(doc):
    c = doc["combined"]
    assert c["method"] == "likelihood"
    assert 0.0 < c["consistency_power"] < 1.0 and "0.5" in c["power_alternative"]
    assert 0.0 <= c["p_value"] <= 1.0 and c["evidence"][:2] == ["market", "capex"]
    assert doc["usage_implied"] is None  # no token volumes are known on 10 February 2025


@pytest.fixture(scope="module")
def late(mirror):
    return fit("2026-03-31", draws=400, grid_draws=40)


def test_estimates_move_with_later_evidence(doc, late):
    later = late.to_dict()
    assert later["capex_implied"]["elasticity"] != pytest.approx(doc["capex_implied"]["elasticity"], abs=0.05)
    assert later["combined"]["elasticity"] != doc["combined"]["elasticity"]
    assert later["usage_implied"] is not None and later["usage_implied"]["name"] == "usage"
    assert "usage" in later["combined"]["evidence"]
    kinds = {f["firm"]: f["kind"] for f in later["capex_implied"]["firms"]}
    assert kinds["Meta"] == "actual" and "Meta (2026 plan)" in kinds


def test_the_coverage_check_runs_on_the_fit(late):
    check = coverage_check(late, worlds=40, seed=3)
    assert check.worlds == 40 and 0.0 <= check.coverage <= 1.0
    with pytest.raises(JevonsError, match="worlds"):
        coverage_check(late, worlds=2)


def test_a_later_fit_does_not_move_when_rows_after_its_date_change(mirror, tmp_path, monkeypatch):
    as_of = "2025-08-15"
    before = json.dumps(fit(as_of, draws=300, grid_draws=20).to_dict())
    perturb_facts(tmp_path / "facts", as_of)
    perturb_mirror(mirror, tmp_path / "mirror", as_of)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(tmp_path / "facts"))
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")
    assert json.dumps(fit(as_of, draws=300, grid_draws=20).to_dict()) == before
