"""Known-answer tests of the event-study statistics on synthetic returns (no data needed)."""

from __future__ import annotations

import json
import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from model.errors import DataError, JevonsError
from model.event_study import EventStudySpec, event_study, fit_normal_model, locate_windows
from model.event_study.single import (
    ar_covariance,
    car_variance,
    cumulative_variance,
    permutation_test,
    sq_test,
    window_sums,
)

ALPHA, BETA, SIGMA = 0.001, 1.5, 0.01


def business_days(n: int, start: str = "2023-01-02") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n, name="Date")


def orthogonal_noise(rng, regressors: np.ndarray, scale: float) -> np.ndarray:
    """Noise with zero sample covariance with every regressor, so OLS recovers the truth exactly."""
    z = rng.normal(0.0, scale, regressors.shape[0])
    coef, *_ = np.linalg.lstsq(regressors, z, rcond=None)
    return z - regressors @ coef


def planted_frame(
    planted: dict[int, float], *, first: int = 0, n_days: int = 400, event_pos: int = 300, seed=0
):
    """Market-model returns whose estimation window (for an event window starting on day
    ``first``) fits exactly and whose event-window abnormal returns are exactly ``planted``
    (event day -> AR); other event days have AR 0."""
    rng = np.random.default_rng(seed)
    dates = business_days(n_days)
    market = rng.normal(0.0005, 0.01, n_days)
    firm = ALPHA + BETA * market
    est = slice(event_pos + first - 10 - 250, event_pos + first - 10)
    x = np.column_stack([np.ones(250), market[est]])
    firm[est] += orthogonal_noise(rng, x, SIGMA)
    for day, ar in planted.items():
        firm[event_pos + day] += ar
    frame = pd.DataFrame({"FIRM": firm, "MKT": market}, index=dates)
    return frame, dates[event_pos]


def spec(date, **kw) -> EventStudySpec:
    kw.setdefault("benchmark", "MKT")
    return EventStudySpec(event_date=str(date.date()), **kw)


def test_planted_abnormal_return_is_recovered_exactly():
    frame, day0 = planted_frame({0: -0.15, 1: 0.05}, first=-1)
    result = event_study(frame, "FIRM", spec(day0, window=(-1, 3)))
    ars = [d.ar for d in result.abnormal_returns]
    assert result.estimation.alpha == pytest.approx(ALPHA, abs=1e-12)
    assert result.estimation.beta == pytest.approx(BETA, abs=1e-10)
    assert ars == pytest.approx([0.0, -0.15, 0.05, 0.0, 0.0], abs=1e-12)
    assert result.car == pytest.approx(-0.10, abs=1e-12)
    assert [d.day for d in result.abnormal_returns] == [-1, 0, 1, 2, 3]
    ci = result.abnormal_returns[1].interval
    assert ci[0] < -0.15 < ci[1]


def test_planted_drop_is_significant_and_zero_is_not():
    frame, day0 = planted_frame({0: -0.08})
    hit = event_study(frame, "FIRM", spec(day0))
    assert hit.tests.t.stat < -5 and hit.tests.t.p < 1e-5
    assert hit.tests.sq.p_lower == 0.0  # below every estimation residual
    assert hit.tests.permutation.p_lower == pytest.approx(1 / 251)  # the lowest of 251 values
    frame, day0 = planted_frame({0: -0.08}, first=2)
    quiet = event_study(frame, "FIRM", spec(day0, window=(2, 2)))
    assert quiet.car == pytest.approx(0.0, abs=1e-12)
    assert quiet.tests.t.p == pytest.approx(1.0, abs=1e-6)


def test_market_model_variance_matches_mackinlay_by_hand():
    rng = np.random.default_rng(1)
    L, n = 250, 4
    rm_est, rm_ev = rng.normal(0, 0.01, L), rng.normal(0, 0.02, n)
    firm = 0.0002 + 1.2 * rm_est + rng.normal(0, 0.015, L)
    fitted = fit_normal_model("market", firm, rm_est)
    # s^2 by hand from a plain least-squares fit
    X = np.column_stack([np.ones(L), rm_est])
    b, *_ = np.linalg.lstsq(X, firm, rcond=None)
    s2 = np.sum((firm - X @ b) ** 2) / (L - 2)
    assert fitted.sigma2 == pytest.approx(s2, rel=1e-12)
    dev = rm_est - rm_est.mean()
    sxx = np.sum(dev**2)
    var_ar = s2 * (1 + 1 / L + (rm_ev - rm_est.mean()) ** 2 / sxx)
    x_ev = np.column_stack([np.ones(n), rm_ev])
    cov = ar_covariance(fitted.sigma2, fitted.xtx_inv, x_ev)
    assert np.diagonal(cov) == pytest.approx(var_ar, rel=1e-10)
    # full CAR variance: s^2 [n + sum_t sum_s (1/L + (Rm_t - m)(Rm_s - m) / Sxx)]
    d = rm_ev - rm_est.mean()
    var_car = s2 * (n + n * n / L + d.sum() ** 2 / sxx)
    assert car_variance(fitted.sigma2, fitted.xtx_inv, x_ev) == pytest.approx(var_car, rel=1e-10)
    # and the running CAR variances are the leading sub-sums
    running = cumulative_variance(cov)
    assert running == pytest.approx([cov[: t + 1, : t + 1].sum() for t in range(n)], rel=1e-12)


def test_general_variance_form_for_two_factor_and_other_models():
    rng = np.random.default_rng(2)
    L, n = 120, 3
    rm, rf = rng.normal(0, 0.01, L + n), rng.normal(0, 0.015, L + n)
    firm = 0.001 + 0.8 * rm + 0.6 * rf + rng.normal(0, 0.01, L + n)
    for model, cols in [
        ("two-factor", [np.ones(L + n), rm, rf]),
        ("constant-mean", [np.ones(L + n)]),
    ]:
        X = np.column_stack(cols)
        fitted = fit_normal_model(model, firm[:L], rm[:L], rf[:L])
        b, *_ = np.linalg.lstsq(X[:L], firm[:L], rcond=None)
        k = X.shape[1]
        s2 = np.sum((firm[:L] - X[:L] @ b) ** 2) / (L - k)
        expected_cov = s2 * (np.eye(n) + X[L:] @ np.linalg.inv(X[:L].T @ X[:L]) @ X[L:].T)
        got = ar_covariance(fitted.sigma2, fitted.xtx_inv, X[L:])
        assert got == pytest.approx(expected_cov, rel=1e-9)
        assert fitted.params == pytest.approx(b, rel=1e-9)
    # market-adjusted: nothing estimated, s^2 = sum (R - Rm)^2 / L, Var(CAR) = n s^2
    fitted = fit_normal_model("market-adjusted", firm[:L], rm[:L])
    s2 = np.sum((firm[:L] - rm[:L]) ** 2) / L
    assert fitted.sigma2 == pytest.approx(s2, rel=1e-12) and fitted.df == L
    assert car_variance(fitted.sigma2, fitted.xtx_inv, np.empty((n, 0))) == pytest.approx(n * s2)


def test_t_statistic_and_interval_by_hand():
    frame, day0 = planted_frame({0: -0.05, 1: 0.01}, seed=3)
    r = event_study(frame, "FIRM", spec(day0, window=(0, 1)))
    t = r.car / r.car_se
    assert r.tests.t.stat == pytest.approx(t)
    assert r.tests.t.df == 248
    assert r.tests.t.p == pytest.approx(2 * stats.t.sf(abs(t), 248))
    q = stats.t.ppf(0.975, 248)
    assert r.car_interval == pytest.approx((r.car - q * r.car_se, r.car + q * r.car_se))


def test_sq_test_by_hand():
    residuals = np.array([0.01, -0.02, 0.03, -0.01, 0.00, 0.02])
    # sums of 2 consecutive residuals: -0.01, 0.01, 0.02, -0.01, 0.02
    assert window_sums(residuals, 2) == pytest.approx([-0.01, 0.01, 0.02, -0.01, 0.02])
    sq = sq_test(-0.01, residuals, 2)
    assert sq.n_sums == 5
    assert sq.p_lower == pytest.approx(2 / 5)  # -0.01 and -0.01 are at least as low
    assert sq.p_upper == pytest.approx(1.0)
    assert sq.p == pytest.approx(4 / 5)
    extreme = sq_test(-0.5, residuals, 2)
    assert (extreme.p_lower, extreme.p) == (0.0, 0.0)


def test_permutation_exact_by_hand():
    residuals = np.array([0.3, -0.1, 0.2, -0.4])
    # n = 1: the event value is the 2nd lowest of five
    one = permutation_test(np.array([-0.2]), residuals)
    assert one.method == "exact" and one.n_permutations == 5
    assert one.p_lower == pytest.approx(2 / 5)
    assert one.p_upper == pytest.approx(4 / 5)
    # n = 2: all 15 pairs of six values
    event = np.array([-0.3, 0.05])
    pool = np.r_[residuals, event]
    sums = [pool[i] + pool[j] for i, j in combinations(range(6), 2)]
    two = permutation_test(event, residuals)
    assert two.n_permutations == 15
    assert two.p_lower == pytest.approx(np.mean(np.array(sums) <= -0.25 + 1e-12))
    assert two.p == pytest.approx(min(1, 2 * min(two.p_lower, two.p_upper)))


def test_permutation_monte_carlo_is_deterministic_and_close_to_exact():
    rng = np.random.default_rng(4)
    residuals = rng.standard_t(4, 60) * 0.01
    event = np.array([-0.02, -0.01, 0.005])
    exact = permutation_test(event, residuals)
    assert exact.method == "exact"
    a = permutation_test(event, residuals, max_exact=0, n_permutations=20_000, seed=7)
    b = permutation_test(event, residuals, max_exact=0, n_permutations=20_000, seed=7)
    assert a.method == "monte-carlo" and a == b
    assert a.p_lower == pytest.approx(exact.p_lower, abs=0.01)
    c = permutation_test(event, residuals, max_exact=0, n_permutations=20_000, seed=8)
    assert c.p_lower != a.p_lower


def test_windows_follow_the_stated_convention():
    dates = business_days(400)
    win = locate_windows(dates, dates[300], (-1, 5), 250, 10)
    assert win.event_dates[0] == dates[299] and win.event_dates[-1] == dates[305]
    # the estimation window ends G = 10 trading days before day -1, i.e. 10 days left out
    assert len(win.estimation_dates) == 250
    assert win.estimation_dates[-1] == dates[299 - 10 - 1]
    assert win.estimation_dates[0] == dates[299 - 10 - 250]
    assert win.last_date == dates[305]


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"event_date": "2023-01-07"}, DataError, "2023-01-07 is not a trading day"),
        ({"window": (0, 200)}, DataError, "leaves"),
        ({"window": (-301, -300)}, DataError, "leaves"),
        ({"estimation_length": 5000}, DataError, "too short a history"),
        ({"window": (3, 1)}, JevonsError, "must not come after"),
        ({"gap": -1}, JevonsError, "gap -1"),
        ({"estimation_length": 10}, JevonsError, "too short for an event window"),
    ],
)
def test_window_errors(kwargs, error, fragment):
    dates = business_days(400)
    args = {"event_date": dates[300], "window": (0, 0), "estimation_length": 250, "gap": 10}
    args.update(kwargs)
    with pytest.raises(error, match=fragment) as info:
        locate_windows(dates, args.pop("event_date"), **args)
    assert "\n" not in str(info.value)


def test_nothing_after_the_window_or_in_the_gap_or_before_estimation_is_used():
    frame, day0 = planted_frame({0: -0.1}, seed=5)
    s = spec(day0, window=(0, 2), model="market")
    base = event_study(frame, "FIRM", s).to_json()
    pos = frame.index.get_loc(day0)
    changed = frame.copy()
    changed.iloc[pos + 3 :] = 0.5  # after the window end
    changed.iloc[pos - 10 : pos] = -0.3  # the gap
    changed.iloc[: pos - 260] = 0.2  # before the estimation window
    assert event_study(changed, "FIRM", s).to_json() == base
    changed.iloc[pos + 2, 0] += 0.01  # the last event day does matter
    assert event_study(changed, "FIRM", s).to_json() != base


def test_two_factor_recovers_planted_factor_loading():
    rng = np.random.default_rng(6)
    n = 400
    dates = business_days(n)
    rm, rf = rng.normal(0, 0.01, n), rng.normal(0, 0.012, n)
    firm = 0.0005 + 0.9 * rm + 1.3 * rf
    est = slice(300 - 260, 300 - 10)
    firm[est] += orthogonal_noise(rng, np.column_stack([np.ones(250), rm[est], rf[est]]), 0.01)
    firm[300] -= 0.07
    frame = pd.DataFrame({"FIRM": firm, "MKT": rm, "SEMI": rf}, index=dates)
    r = event_study(frame, "FIRM", spec(dates[300], model="two-factor", factor="SEMI"))
    assert r.estimation.beta == pytest.approx(0.9, abs=1e-10)
    assert r.estimation.beta_factor == pytest.approx(1.3, abs=1e-10)
    assert r.car == pytest.approx(-0.07, abs=1e-12)
    assert r.estimation.df == 247 and r.factor == "SEMI"


def test_market_adjusted_and_constant_mean_abnormal_returns():
    frame, day0 = planted_frame({0: -0.1}, seed=7)
    pos = frame.index.get_loc(day0)
    adj = event_study(frame, "FIRM", spec(day0, model="market-adjusted"))
    assert adj.car == pytest.approx(frame.FIRM.iloc[pos] - frame.MKT.iloc[pos], abs=1e-15)
    assert (adj.estimation.alpha, adj.estimation.beta) == (0.0, 1.0)
    assert adj.estimation.imposed == ("alpha", "beta")
    mean = event_study(frame, "FIRM", spec(day0, model="constant-mean"))
    mu = frame.FIRM.iloc[pos - 260 : pos - 10].mean()
    assert mean.car == pytest.approx(frame.FIRM.iloc[pos] - mu, abs=1e-15)
    assert mean.estimation.beta is None


def test_json_is_valid_deterministic_and_has_the_contract_keys():
    frame, day0 = planted_frame({0: -0.1, 1: 0.02}, seed=8)
    s = spec(day0, window=(-1, 5))
    text = event_study(frame, "FIRM", s).to_json()
    assert text == event_study(frame, "FIRM", s).to_json()
    payload = json.loads(text)  # strict: NaN would not round-trip through allow_nan=False
    for key in ("ticker", "benchmark", "event_date", "model", "window", "estimation",
                "abnormal_returns", "car", "tests"):
        assert key in payload
    assert payload["window"] == [-1, 5]
    assert set(payload["estimation"]) >= {"start", "end", "n", "alpha", "beta", "sigma"}
    assert set(payload["abnormal_returns"][0]) >= {"date", "day", "return", "expected", "ar"}
    assert {"stat", "p"} <= set(payload["tests"]["t"])
    assert "p" in payload["tests"]["sq"] and "p" in payload["tests"]["permutation"]
    assert payload["tests"]["permutation"]["method"] == "monte-carlo"


def test_firm_equal_to_benchmark_is_an_error():
    frame, day0 = planted_frame({0: -0.1})
    with pytest.raises(JevonsError, match="MKT is the benchmark"):
        event_study(frame, "MKT", spec(day0))


def test_collinear_estimation_window_is_an_error():
    frame, day0 = planted_frame({})
    frame["COPY"] = 2 * frame["MKT"]
    with pytest.raises(DataError, match="residual variance is zero"):
        event_study(frame, "COPY", spec(day0))


def test_spec_rejects_bad_arguments():
    with pytest.raises(JevonsError, match="unknown model 'fama-french'"):
        EventStudySpec("2025-01-27", model="fama-french")
    with pytest.raises(JevonsError, match="not a date"):
        EventStudySpec("2025-13-45")
    with pytest.raises(JevonsError, match="is the benchmark"):
        EventStudySpec("2025-01-27", model="two-factor", factor="SPY", benchmark="SPY")
    assert math.isclose(EventStudySpec("2025-01-27").level, 0.95)


def test_estimation_fit_is_the_fit_the_study_uses():
    from model.event_study import estimation_fit

    frame, day0 = planted_frame({0: -0.1}, seed=9)
    s = spec(day0)
    fitted = estimation_fit(frame, "FIRM", s)
    result = event_study(frame, "FIRM", s)
    assert fitted.param("beta") == result.estimation.beta
    assert fitted.residuals.size == 250
    row = result.to_row()
    assert row["car"] == result.car and row["sq sums"] == 250 and row["window"] == "[0, 0]"
    summary = result.summary().to_dict()
    assert summary["rows"]["CAR"] == f"{100 * result.car:.2f}%"
    assert summary["rows"]["SQ test (250 window sums)"].startswith("p = ")
    assert "CAR, 95% interval" in summary["rows"] and "FIRM" in str(result.summary())
    days = summary["tables"]["abnormal returns by day"]
    assert [d["day"] for d in days] == [0] and days[0]["CAR"] == f"{100 * result.car:.2f}%"


def test_benchmark_without_the_firm_by_hand():
    from model.event_study.benchmark import benchmark_without, contribution

    # an index of two stocks: weight 0.25 in a stock that fell 20%, the rest rose 2%
    market = 0.25 * -0.20 + 0.75 * 0.02
    assert contribution(-0.20, 0.25) == pytest.approx(-0.05)
    assert benchmark_without(market, -0.20, 0.25) == pytest.approx(0.02)
    assert benchmark_without(market, -0.20, 0.0) == pytest.approx(market)
    with pytest.raises(ValueError):
        benchmark_without(market, -0.2, 1.0)


def test_recovery_definitions_on_planted_paths():
    from model.event_study import car_recovery, close_recovery

    # AR path from day 0: -0.10, +0.02, +0.02, +0.02 -> CAR -0.10, -0.08, -0.06, -0.04
    frame, day0 = planted_frame({0: -0.10, 1: 0.02, 2: 0.02, 3: 0.02})
    r = event_study(frame, "FIRM", spec(day0, window=(0, 5)))
    assert car_recovery(r, 0.5) == 3  # first CAR >= -0.05
    assert car_recovery(r, 0.35) == 2  # first CAR >= -0.065
    assert car_recovery(r, 0.9) is None
    dates = business_days(6)
    close = pd.Series([100.0, 101.0, 90.0, 95.0, 101.0, 99.0], index=dates)
    assert close_recovery(close, dates[2]) == dates[4]
    assert close_recovery(close.iloc[:4], dates[2]) is None
    with pytest.raises(DataError):
        close_recovery(close, dates[0])
