"""Event-free benchmarks and the cross-sectional decomposition of the event day."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_line_error, run_cli

from model.data import load_prices
from model.errors import JevonsError
from model.event_study import EventStudySpec, study_ticker
from model.event_study import benchmark as bm
from model.event_study.decompose import (
    AI_COMPLEX,
    BENCHMARK,
    CHANNELS,
    DecompositionSpec,
    FirmExposure,
    decompose,
    decompose_event,
)

OFFLINE = {"JEVONS_OFFLINE": "1"}


def test_drifted_weights_follow_relative_returns():
    firm = np.array([[0.10], [-0.50], [0.0]])
    market = np.array([0.0, 0.0, 0.0])
    w = bm.drifted_weights(firm, market, np.array([0.2]), anchor=1)
    # weight at the start of day 2 (= close of the anchor day 1) is the anchor weight
    assert w[2, 0] == pytest.approx(0.2)
    assert w[1, 0] == pytest.approx(0.2 / 0.5)  # before the firm halved it was twice as big
    assert w[0, 0] == pytest.approx(0.2 / 0.5 / 1.1)


def test_unknown_derived_benchmark_market_is_an_error():
    with pytest.raises(JevonsError, match="S&P 500 weights"):
        EventStudySpec("2025-01-27", benchmark="QQQ-EX-NVDA")


def test_ex_nvda_default_and_by_hand(mirror):
    assert EventStudySpec("2025-01-27").benchmark == bm.EX_NVDA
    r = study_ticker("NVDA", EventStudySpec("2025-01-27"))
    spy = load_prices("SPY")["Adj Close"].pct_change()
    nvda = load_prices("NVDA")["Adj Close"].pct_change()
    ex = (spy.loc["2025-01-27"] - 0.0696 * nvda.loc["2025-01-27"]) / (1 - 0.0696)
    assert r.benchmark == "SPY-EX-NVDA"
    assert r.abnormal_returns[0].expected == pytest.approx(r.estimation.alpha + r.estimation.beta * ex, rel=1e-9)
    plain = study_ticker("NVDA", EventStudySpec("2025-01-27", benchmark="SPY"))
    assert r.abnormal_returns[0].ar < plain.abnormal_returns[0].ar - 0.02  # about -16.7% vs -13.4%


def test_derived_benchmark_refuses_events_before_its_weights(mirror):
    with pytest.raises(JevonsError, match="--benchmark SPY"):
        study_ticker("AMD", EventStudySpec("2024-06-03"))


def _simulated(planted, *, n_days=800, seed=1, event_shock=True):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2022-03-01", periods=n_days)
    n = 12
    groups = ["sellers"] * 5 + ["power_cooling"] * 2 + ["buyers"] * 5
    fixed = np.zeros((n, 3))
    fixed[:7, 0] = 1.0
    fixed[0, 1] = 1.0
    fixed[7:, 2] = 1.0
    b = rng.uniform(0.3, 2.0, n)
    beta = rng.uniform(0.5, 1.5, n)
    market = rng.normal(0.0005, 0.01, n_days)
    factor = rng.normal(0.0, 0.012, n_days)
    chol = np.linalg.cholesky(0.6 * np.eye(n) + 0.4)  # correlated idiosyncratic shocks
    noise = rng.normal(0.0, 0.015, (n_days, n)) @ chol.T
    returns = beta * market[:, None] + b * factor[:, None] + noise
    if event_shock:
        x = np.column_stack([fixed, b])
        returns[-1] += x @ np.asarray(planted) - b * factor[-1]  # the factor's day-0 move is planted
    tickers = [f"F{i}" for i in range(n)]
    frame = pd.DataFrame(returns, index=dates, columns=tickers)
    frame[BENCHMARK] = market
    frame[AI_COMPLEX] = market + factor
    firms = tuple(FirmExposure(t, g, tuple(fixed[i]), "simulated") for i, (t, g) in enumerate(zip(tickers, groups, strict=True)))
    return frame, firms, str(dates[-1].date())


def test_known_answer_planted_channels_are_recovered():
    planted = [-0.12, -0.05, 0.03, -0.04]
    frame, firms, day0 = _simulated(planted)
    r = decompose(frame, DecompositionSpec(day0, firms))
    for name, value in zip(CHANNELS, planted, strict=True):
        c = r.channel(name)
        assert c.interval[0] < value < c.interval[1], (name, c)
        assert c.interval_t[0] < value < c.interval_t[1], (name, c)
    assert r.p_all_zero < 0.05 and r.identified


def test_collinear_exposures_are_flagged_not_split():
    frame, firms, day0 = _simulated([0, 0, 0, 0])
    same = tuple(FirmExposure(f.ticker, f.group, (1.0, 1.0, 0.0), "collinear") for f in firms)
    r = decompose(frame, DecompositionSpec(day0, same))
    assert not r.identified and "NOT separately identified" in r.identification


def test_placebo_rejection_rate_and_speed(mirror):
    start = time.perf_counter()
    r = decompose_event(DecompositionSpec("2025-01-27"))
    elapsed = time.perf_counter() - start
    assert r.placebo.days >= 100
    assert 0.01 <= r.placebo.rejection_rate <= 0.10
    assert elapsed < 5.0
    assert r.p_all_zero < 0.05  # the event day itself is unusual
    payload = r.calibration_payload()
    assert set(payload["channels"]) == set(CHANNELS)
    assert payload["firms"][:3] == ["NVDA", "AMD", "AVGO"]
    assert payload["benchmark"].startswith("SPY-EX-NVDA")
    assert all(f.source for f in r.firms)


def test_decomposition_uses_no_price_after_the_event(mirror):
    full = decompose_event(DecompositionSpec("2025-01-27"))
    assert full.last_date_used == "2025-01-27"

    def altered(ticker, start=None, end=None):
        frame = load_prices(ticker, start, None).copy()
        later = frame.index > pd.Timestamp("2025-01-27")
        frame.loc[later, "Adj Close"] *= 3.0
        return frame if end is None else frame.loc[:end]

    def untruncated(ticker, start=None, end=None):  # ignores end: later rows reach decompose
        return altered(ticker, start, None)

    spec = DecompositionSpec("2025-01-27")
    assert decompose_event(spec, loader=altered).to_json() == full.to_json()
    from model.event_study.decompose import load_decomposition_returns
    frame = load_decomposition_returns([f.ticker for f in full.firms], loader=untruncated)
    assert frame.index[-1] > pd.Timestamp("2025-02-01")
    assert decompose(frame, spec).to_json() == full.to_json()


def test_cli_json(mirror):
    out = run_cli("event", "--decompose", "--date", "2025-01-27", "--json", env=OFFLINE)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert [c["name"] for c in payload["channels"]] == list(CHANNELS)
    assert payload["placebo"]["days"] == 250
    text = run_cli("event", "--decompose", "--date", "2025-01-27", env=OFFLINE)
    assert "compute_quantity" in text.stdout and "exposure source" in text.stdout


@pytest.mark.parametrize(("args", "fragments"), [
    (["--decompose", "--date", "2025-01-24"], ["after it"]),
    (["--decompose", "--date", "2025-01-25"], ["not a trading day"]),
    (["--decompose", "--date", "2025-13-01"], ["not a date"]),
    (["NVDA", "--decompose", "--date", "2025-01-27"], ["takes no TICKER"]),
    (["--decompose", "--date", "2025-01-27", "--window", "0,1"], ["--window is not used"]),
    (["--decompose", "--date", "2025-01-27", "--benchmark", "SPY"], ["--benchmark is not used"]),
    (["--decompose", "--date", "2025-01-27", "--placebo-days", "50"], ["placebo days 50"]),
    (["--decompose", "--date", "2025-01-27", "--placebo-days", "1000"], ["too short a history"]),
    (["--decompose", "--date", "2025-01-27", "--estimation", "12"], ["estimation window"]),
    (["NVDA", "--date", "2025-01-27", "--benchmark", "QQQ-EX-NVDA"], ["SPY, GSPC"]),
    (["AMD", "--date", "2024-06-03"], ["--benchmark SPY"]),
])
def test_bad_input_is_a_one_line_error(mirror, args, fragments):
    assert_one_line_error(run_cli("event", *args, env=OFFLINE), *fragments)
