"""The event-study chapter's glue dictionaries select from the results they are given."""

import pytest

from model.constants import DEFAULT_AS_OF, EVENT_DATE
from model.data import load_prices
from model.event_study import EventStudySpec, load_returns, study_ticker
from model.event_study.benchmark import contribution
from model.event_study.recovery import event_closes
from model.output import event_numbers


@pytest.fixture(scope="module")
def base():
    return study_ticker("NVDA", EventStudySpec(EVENT_DATE, benchmark="SPY"))


def test_day0_values_select_from_the_result(base):
    closes = event_closes(load_prices("NVDA")["Close"], EVENT_DATE)
    v = event_numbers.day0_values(base, closes, -0.015, 250, DEFAULT_AS_OF, 9)
    d0 = base.abnormal_returns[0]
    assert v["ar0"] == pytest.approx(100 * d0.ar)
    assert v["ar0_lo"] == pytest.approx(100 * d0.interval[0])
    assert v["beta"] == base.estimation.beta and v["r2"] == base.estimation.r_squared
    assert v["alpha_bp"] == pytest.approx(1e4 * base.estimation.alpha)
    assert v["sq_n"] == base.tests.sq.n_sums and v["G"] == base.gap and v["L"] == 250
    assert v["spy0"] == pytest.approx(-1.5) and v["as_of_day"] == 9
    assert v["raw0"] == pytest.approx(100 * closes.raw_return)


def test_benchmark_values_known_answer(base):
    # firm -17%, weight 6%, market -1.5%: the firm contributes -1.02 points, 68% of the fall
    v = event_numbers.benchmark_values(-0.17, -0.015, 0.06, base.estimation, "S&P")
    assert v["contrib"] == pytest.approx(100 * contribution(-0.17, 0.06)) == pytest.approx(-1.02)
    assert v["contrib_share"] == pytest.approx(68.0)
    assert v["spy_ex"] == pytest.approx(100 * (-0.015 + 0.0102) / 0.94)
    assert v["weight"] == pytest.approx(6.0) and v["weight_source"] == "S&P"


def test_model_values_keys():
    r = type("R", (), {"car": -0.1})()
    assert event_numbers.model_values({"market-adjusted": r}) == {"ar0_market_adjusted": -10.0}


def test_exercise_values_select_from_the_results(base):
    qqq = study_ticker("NVDA", EventStudySpec(EVENT_DATE, benchmark="QQQ"))
    sellers = type("B", (), {"tickers": ("A", "B", "C", "D", "E"), "residual_correlation": 0.1,
                             "tests": {"bmp": type("T", (), {"stat": -5.0})()}})()
    ret = float(load_returns(["NVDA", "QQQ"]).loc[EVENT_DATE, "QQQ"])
    v = event_numbers.exercise_values(base, qqq, ret, 250, sellers)
    assert v["x1_ar"] == pytest.approx(100 * base.car) and v["x2_beta"] == qqq.estimation.beta
    assert v["x3_min"] == pytest.approx(0.004) and v["x3_min_two"] == pytest.approx(0.008)
    assert v["x2_qqq0"] == pytest.approx(100 * ret)
    assert ("below" in v["x4_verdict"]) == (0.1 < v["x4_r"])


def test_tails_values_known_answer():
    tails = type("T", (), {"excess_kurtosis": 3.0, "minimum": -0.05, "n_beyond": 4,
                           "normal_beyond": 0.7, "jarque_bera_p": 0.0})()
    v = event_numbers.tails_values(tails, -0.16, 0.02)
    assert v["ar0_sd"] == pytest.approx(-8.0) and v["min_resid"] == pytest.approx(-5.0)
    assert v["jb_p"] == "0.0e+00" and v["n_beyond3"] == 4
