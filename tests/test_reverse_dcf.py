"""The reverse DCF: a growth path that prices Nvidia at its market value, its duration, and the
moves that each alone reproduce the abnormal return."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.calibration import reverse_dcf as rd
from model.calibration.market import pre_news
from model.constants import EVENT_YEAR
from model.engine.params import ValueCapture
from model.engine.simulation import simulate
from model.engine.valuation import Valuation, predicted_return, present_value
from model.errors import JevonsError

FACTS = Path(__file__).resolve().parents[1] / "data" / "facts"
AS_OF = "2025-02-10"
AR = -0.1337  # about the fit's NVDA abnormal return for 27 January; given so no prices are read
RATES = np.array([0.08, 0.10, 0.12])


def several(rates=RATES, **kw) -> Valuation:
    return dataclasses.replace(Valuation(**kw), discount_rate=np.asarray(rates, dtype=float))


# --- known answers ------------------------------------------------------------------------------
def test_firm_value_is_the_closed_form_geometric_sum():
    """No share drift, a constant margin: the value is a geometric sum plus a Gordon tail."""
    growth = np.array([0.0, 0.12, 0.3])
    val = several()
    got = rd.firm_value(growth, val)
    base = 223.0 * 0.6 * 0.8  # schema defaults: base spend x accelerator fraction x Nvidia share
    years = np.arange(2025, 2036)
    r, g, G = RATES[:, None], 0.03, growth[:, None]
    flows = 0.62 * base * (1 + G) ** (years - 2024)
    disc = (1 + r) ** -(years - EVENT_YEAR + 0.5)
    want = (flows * disc).sum(1) + flows[:, -1] * (1 + g) / (r[:, 0] - g) * disc[:, -1]
    np.testing.assert_allclose(got, want / 0.878, rtol=1e-12)


def test_calibrated_growth_prices_the_firm_exactly():
    val = several()
    growth = rd.calibrate_growth(3500.0, val)
    np.testing.assert_allclose(rd.firm_value(growth, val), 3500.0, rtol=1e-10)
    assert np.all(np.diff(growth) > 0)  # a higher discount rate needs faster growth for the same price
    # and a larger market value needs faster growth at every rate
    assert np.all(rd.calibrate_growth(4000.0, val) > growth)


def test_the_pre_news_path_does_not_depend_on_elasticity_or_trends():
    n = 3
    inputs = {"hardware_doubling_years": np.array([1.5, 2.46, 3.5]),
              "efficiency_doubling_years": np.array([0.4, 0.67, 1.5]),
              "nvidia_share_drift": np.full(n, -0.015), "spend_growth": np.full(n, 0.19)}
    paths = [simulate(pre_news(inputs).at(np.full(n, e))).variables["nvidia_dc_revenue"]
             for e in (0.3, 1.0, 2.2)]
    for p in paths:
        np.testing.assert_allclose(p, paths[0][:1].repeat(n, 0), rtol=1e-12)
    np.testing.assert_allclose(simulate(rd.pre_event_params(0.19, nvidia_share_drift=-0.015))
                               .variables["nvidia_dc_revenue"], paths[0][:1], rtol=1e-12)


def test_duration_is_the_rate_sensitivity_of_value():
    """Macaulay duration = -dV/dr (1 + r) / V, the terminal value included."""
    growth = np.array([0.05, 0.19, 0.3])
    val = several()
    params = rd.pre_event_params(growth)
    duration = rd.macaulay_duration(params, val)
    h = 1e-6
    up, down = (rd.dc_value(params, several(RATES + d)) for d in (h, -h))
    slope = (up - down) / (2 * h)
    np.testing.assert_allclose(-slope * (1 + RATES) / rd.dc_value(params, val), duration, rtol=1e-6)
    # a flat stream with no terminal growth: duration of a perpetuity from mid-year flows
    flat = rd.macaulay_duration(rd.pre_event_params(0.0), several([0.1], terminal_growth=0.0))
    assert 5 < flat[0] < 1.1 / 0.1 + 1


def test_equivalent_moves_reproduce_the_abnormal_return():
    val = several()
    growth = rd.calibrate_growth(3500.0, val)
    eq = rd.equivalents(AR, growth, val)
    pre = rd.pre_event_params(growth)
    # growth revision, through the engine's predicted_return
    post = rd.pre_event_params(growth + eq.growth_pp / 100)
    np.testing.assert_allclose(predicted_return(pre, post, val), AR, atol=1e-9)
    # margin change, through predicted_return with the base-year margin scaled
    margin = dataclasses.replace(pre, value_capture=dataclasses.replace(
        pre.value_capture, nvidia_margin=0.62 * (1 + eq.margin_pct / 100)))
    np.testing.assert_allclose(predicted_return(pre, margin, val), AR, atol=1e-12)
    # discount rate, through present_value (what predicted_return values with)
    run = simulate(pre)

    def value(rate):
        return present_value(run.years, run.variables["nvidia_dc_revenue"],
                             dataclasses.replace(val, discount_rate=rate), EVENT_YEAR,
                             run.variables["nvidia_margin"])

    np.testing.assert_allclose(value(RATES + eq.discount_rate_bp / 1e4) / value(RATES) - 1, AR, atol=1e-9)
    np.testing.assert_allclose(0.878 * (value(RATES + eq.discount_rate_bp_dc_only / 1e4) / value(RATES) - 1),
                               AR, atol=1e-9)
    assert np.all(eq.discount_rate_bp > 0) and np.all(eq.growth_pp < 0)
    assert np.all(eq.discount_rate_bp_dc_only > eq.discount_rate_bp)  # a narrower repricing must be larger
    np.testing.assert_allclose(eq.margin_pct, 100 * AR / 0.878)


def test_larger_falls_need_larger_moves_and_no_news_none():
    val = several([0.1])
    growth = rd.calibrate_growth(3500.0, val)
    eqs = [rd.equivalents(ar, growth, val) for ar in (-0.2, -0.1, 0.0, 0.05)]
    bp = [e.discount_rate_bp[0] for e in eqs]
    pp = [e.growth_pp[0] for e in eqs]
    assert bp[0] > bp[1] > bp[2] > bp[3] and pp[0] < pp[1] < pp[2] < pp[3]
    assert abs(bp[2]) < 1e-6 and abs(pp[2]) < 1e-9 and eqs[2].margin_pct[0] == 0.0


def test_reverse_dcf_matches_the_market_value_within_two_percent():
    result = rd.reverse_dcf(AS_OF, abnormal_return=AR)
    out = result.to_dict()
    v = out["valuation"]
    assert v["market_cap_usd_bn"] == 3500.0
    assert abs(v["pre_event_value_usd_bn"] / v["market_cap_usd_bn"] - 1) < 0.02
    assert abs(result.pricing_error) < 1e-9
    assert v["discount_rate"] == 0.10 and 10 < v["duration_years"] < 30
    assert abs(v["market_cap_check_usd_bn"] / v["market_cap_usd_bn"] - 1) < 0.02  # 589 / 16.97%
    assert set(out["equivalents"]) >= {"discount_rate_bp", "growth_pp", "margin_pct"}
    assert list(result.sensitivity["discount rate"]) == [0.08, 0.10, 0.12]
    json.dumps(out)
    text = result.summary().as_text()
    assert "Reverse DCF" in text and "Macaulay duration" in text


def test_reverse_dcf_reads_the_fit_abnormal_return_by_default(mirror):
    from model.calibration.inputs import event_evidence
    result = rd.reverse_dcf(AS_OF)
    assert result.abnormal_return == event_evidence("NVDA", AS_OF).abnormal_return


# --- as of ------------------------------------------------------------------------------------
def perturbed_facts(dst: Path, as_of: str) -> Path:
    """A copy of the facts tables with every value dated after ``as_of`` changed."""
    cut = pd.Timestamp(as_of)
    dst.mkdir()
    for path in FACTS.iterdir():
        if path.suffix != ".csv" or path.name == "statements.csv":
            shutil.copy(path, dst / path.name)
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = pd.to_datetime(frame["as_of"]) > cut
        frame.loc[later, "value"] = (pd.to_numeric(frame.loc[later, "value"]) * 2 + 1).map(repr)
        frame.to_csv(dst / path.name, index=False)
    return dst


@pytest.mark.parametrize("as_of", ["2025-01-27", AS_OF])
def test_later_facts_change_nothing(as_of, tmp_path, monkeypatch):
    before = json.dumps(rd.reverse_dcf(as_of, abnormal_return=AR).to_dict())
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(perturbed_facts(tmp_path / "facts", as_of)))
    assert json.dumps(rd.reverse_dcf(as_of, abnormal_return=AR).to_dict()) == before


def test_the_facts_it_reads_do_move_it(tmp_path, monkeypatch):
    """The market value is read from the facts: a changed row changes the calibration."""
    dst = tmp_path / "facts"
    shutil.copytree(FACTS, dst)
    path = dst / "event.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == rd.MARKET_CAP_FACT, "value"] = "4.0"
    frame.to_csv(path, index=False)
    base = rd.reverse_dcf(AS_OF, abnormal_return=AR)
    monkeypatch.setenv("JEVONS_FACTS_DIR", str(dst))
    moved = rd.reverse_dcf(AS_OF, abnormal_return=AR)
    assert moved.market_cap_usd_bn == 4000.0 and moved.spend_growth > base.spend_growth


# --- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("call,fragment", [
    (lambda: rd.calibrate_growth(-5.0, Valuation()), "market_cap_usd_bn -5.0: must be a positive"),
    (lambda: rd.calibrate_growth(float("nan"), Valuation()), "market_cap_usd_bn nan"),
    (lambda: rd.calibrate_growth(1e15, Valuation()), "no spend growth in"),
    (lambda: rd.firm_value(0.1, Valuation(discount_rate=0.02)), "must be finite and exceed the terminal growth"),
    (lambda: rd.margin_equivalent(-0.95, 0.878), "abnormal_return -0.95: must be a finite return above"),
    (lambda: rd.equivalents(float("nan"), 0.19, Valuation()), "abnormal_return nan"),
    (lambda: rd.reverse_dcf("2025-01-10", abnormal_return=AR), "before the event of 2025-01-27"),
    (lambda: rd.reverse_dcf("soon", abnormal_return=AR), "not a date"),
    (lambda: rd.reverse_dcf(AS_OF, abnormal_return=-1.2), "abnormal_return -1.2"),
])
def test_bad_input_is_a_one_line_error(call, fragment):
    with pytest.raises(JevonsError) as info:
        call()
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_margin_without_share_response_keeps_revenue():
    """The margin equivalent holds revenue fixed: a base-year margin change leaves Nvidia's
    share (and so its revenue) unchanged in the engine."""
    pre = rd.pre_event_params(0.19)
    post = dataclasses.replace(pre, value_capture=ValueCapture(nvidia_share_drift=pre.value_capture.nvidia_share_drift,
                                                                nvidia_margin=0.5))
    a, b = simulate(pre).variables, simulate(post).variables
    np.testing.assert_array_equal(a["nvidia_dc_revenue"], b["nvidia_dc_revenue"])
