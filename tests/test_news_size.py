"""The news of DeepSeek day measured against the expected path, and the trend-change reading."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_reverse_dcf import perturbed_facts

from model.calibration import news_size as ns
from model.calibration.inputs import market_prior
from model.errors import JevonsError

FACTS = Path(__file__).resolve().parents[1] / "data" / "facts"
AS_OF = "2025-02-10"


# --- known answers ------------------------------------------------------------------------------
def test_zero_gap_leaves_the_raw_ratio():
    raw = np.array([2.0, 11.06, 27.27])
    np.testing.assert_array_equal(ns.news_over_trend(raw, 0.0, 4.0), raw)
    np.testing.assert_array_equal(ns.news_over_trend(raw, 0.5, 1.0), raw)  # no trend, no expected fall
    assert ns.news_interval(11.06, (0.0, 0.0), (1.5, 10.0)) == (11.06, 11.06)


def test_a_ratio_on_trend_is_no_news():
    """A model one year later and 4x cheaper on a 4x-a-year curve is exactly on the path."""
    assert ns.news_over_trend(4.0, 1.0, 4.0) == pytest.approx(1.0, rel=1e-15)
    assert ns.news_over_trend(2.0, 8 / 12, ns.trend_per_year_from_halving(8.0)) == pytest.approx(1.0, rel=1e-12)


@given(st.floats(1.0, 100.0), st.floats(0.0, 2.0), st.floats(0.01, 1.0), st.floats(1.01, 20.0))
def test_news_falls_with_the_gap_and_the_trend(raw, gap, more, trend):
    s = ns.news_over_trend(raw, gap, trend)
    assert ns.news_over_trend(raw, gap + more, trend) < s
    assert ns.news_over_trend(raw, gap + more, trend * 1.5) < ns.news_over_trend(raw, gap + more, trend)
    lo, hi = ns.news_interval(raw, (gap, gap + more), (trend, 1.5 * trend))
    assert lo <= s <= hi and lo == pytest.approx(ns.news_over_trend(raw, gap + more, 1.5 * trend))


def test_trend_change_compounds_to_the_news_over_its_span():
    t = 8 / 12
    after = ns.doubling_time_after(3.0, 0.5, t)
    assert after < t
    assert ns.equivalent_factor(t, after, 0.5) == pytest.approx(3.0, rel=1e-12)
    assert ns.equivalent_factor(t, after, 1.0) == pytest.approx(9.0, rel=1e-12)  # S^(h / span)
    assert ns.equivalent_factor(t, t, 10.0) == 1.0
    assert ns.doubling_time_after(1.0, 0.5, t) == pytest.approx(t)  # no news, no change


def test_news_size_from_the_facts():
    result = ns.news_size(AS_OF)
    out = result.to_dict()
    training, price = result.training, result.price
    assert training.raw == 11.06 and price.raw == 27.27
    # the release gap from the facts' dates: Llama 3.1 (2024-07-23) to V3 (2024-12-27)
    assert training.gap_years == pytest.approx(157 / 365.25)
    assert training.over_trend == pytest.approx(11.06 / 2 ** (training.gap_years / (8 / 12)))
    assert training.gap_range == pytest.approx((157 / 365.25, 10 / 12))
    assert training.trend_range == pytest.approx((2 ** (12 / 14), 2 ** (12 / 5)))
    assert price.over_trend == pytest.approx(27.27 / 10 ** (2.5 / 12))
    for c in (training, price):
        lo, hi = c.interval
        assert lo < c.over_trend < hi <= c.raw
    assert out["raw"] == pytest.approx(np.sqrt(11.06 * 27.27))
    assert out["over_trend"] < out["raw"]
    assert {"raw", "over_trend"} <= set(out) and json.dumps(out)
    table = result.table()
    amodei = table[(table["gap"] == "Amodei, high") & (table["trend"] == "Amodei")]
    assert amodei["news over trend"].item() == pytest.approx(11.06 / 4 ** (10 / 12))
    change = result.trend_change()
    assert change["doubling_years_after"] < change["doubling_years_after_spread_to_horizon"] < 8 / 12
    assert change["factor_at_horizon"] > change["factor_after_one_year"] > 1
    assert "against the trend" in result.summary().as_text()


def test_the_raw_size_is_the_fits_news_size(mirror):
    assert ns.news_size(AS_OF).raw == pytest.approx(market_prior(AS_OF).factor_median, rel=1e-12)


# --- as of ------------------------------------------------------------------------------------
def test_amodei_enters_only_from_29_january():
    early, late = ns.news_size("2025-01-28"), ns.news_size(AS_OF)
    assert early.training.gap_range[0] == early.training.gap_range[1]  # only the release gap
    assert "Amodei" not in set(early.table()["trend"])
    assert late.training.gap_range[1] == pytest.approx(10 / 12)
    assert late.training.interval[0] < early.training.interval[0]


@pytest.mark.parametrize("as_of", ["2025-01-28", AS_OF])
def test_later_facts_change_nothing(as_of, tmp_path, monkeypatch):
    before = json.dumps(ns.news_size(as_of).to_dict())
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(perturbed_facts(tmp_path / "facts", as_of)))
    assert json.dumps(ns.news_size(as_of).to_dict()) == before
    if as_of == "2025-01-28":  # the perturbation is real: a later date sees the changed Amodei rows
        assert json.dumps(ns.news_size(AS_OF).to_dict()) != json.dumps(_original(AS_OF, monkeypatch))


def _original(as_of, monkeypatch):
    with monkeypatch.context() as m:
        m.setenv("JEVONS_FACTS_DIR", str(FACTS))
        return ns.news_size(as_of).to_dict()


def test_the_facts_it_reads_do_move_it(tmp_path, monkeypatch):
    dst = tmp_path / "facts"
    shutil.copytree(FACTS, dst)
    path = dst / "trends.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "algo_progress_halving_months", "value"] = "4"
    frame.to_csv(path, index=False)
    base = ns.news_size(AS_OF).training.over_trend
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(dst))
    assert ns.news_size(AS_OF).training.over_trend < base  # a faster trend leaves less news


# --- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("call,fragment", [
    (lambda: ns.news_over_trend(-2.0, 0.5, 4.0), "raw ratio -2.0: must be finite and positive"),
    (lambda: ns.news_over_trend(11.0, -0.1, 4.0), "gap_years -0.1: must be finite and zero or more"),
    (lambda: ns.news_over_trend(11.0, 0.5, 0.5), "trend_per_year 0.5: must be at least 1"),
    (lambda: ns.news_over_trend(11.0, float("nan"), 4.0), "gap_years nan"),
    (lambda: ns.trend_per_year_from_halving(0.0), "halving months 0.0"),
    (lambda: ns.doubling_time_after(3.0, 0.0, 0.67), "span_years 0.0"),
    (lambda: ns.equivalent_factor(0.67, -1.0, 5.0), "doubling_after -1.0"),
    (lambda: ns.news_size(AS_OF, r1_o1_gap_months=(4.0, 1.0)), "r1_o1_gap_months (4.0, 1.0)"),
    (lambda: ns.news_size("2024-12-31"), "before the event of 2025-01-27"),
])
def test_bad_input_is_a_one_line_error(call, fragment):
    with pytest.raises(JevonsError) as info:
        call()
    assert fragment in str(info.value) and "\n" not in str(info.value)
