"""Basket statistics against hand computations on tiny examples (no data needed)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from model.event_study import EventStudySpec, basket_study, event_study
from model.event_study import basket as bk

CAR = np.array([-0.10, -0.04, 0.02])
SE = np.array([0.02, 0.04, 0.01])
DF = np.array([248.0, 248.0, 98.0])


def test_cross_sectional_t_by_hand():
    mean = (-0.10 - 0.04 + 0.02) / 3  # -0.04
    sd = math.sqrt(((-0.06) ** 2 + 0.0**2 + 0.06**2) / 2)  # 0.06
    t = mean / (sd / math.sqrt(3))
    cs = bk.cross_sectional_t(CAR)
    assert cs.mean == pytest.approx(mean)
    assert cs.test.stat == pytest.approx(t)
    assert cs.test.p == pytest.approx(2 * stats.t.sf(abs(t), 2))
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert cs.interval == pytest.approx((mean - half, mean + half))


def test_patell_and_bmp_by_hand():
    scar = [-0.10 / 0.02, -0.04 / 0.04, 0.02 / 0.01]  # -5, -1, 2
    z = (-5 - 1 + 2) / math.sqrt(248 / 246 + 248 / 246 + 98 / 96)
    assert bk.patell(CAR / SE, DF).stat == pytest.approx(z)
    assert bk.patell(CAR / SE, DF).p == pytest.approx(2 * stats.norm.sf(abs(z)))
    mean = -4 / 3
    sd = math.sqrt(sum((s - mean) ** 2 for s in scar) / 2)
    t = mean / (sd / math.sqrt(3))
    assert bk.bmp(CAR / SE).stat == pytest.approx(t)
    assert bk.bmp(CAR / SE).distribution == "t(2)"


def test_kolari_pynnonen_by_hand():
    residuals = np.array(
        [
            [0.01, -0.02, 0.03, 0.00, -0.01],
            [0.02, -0.01, 0.01, 0.01, -0.02],
            [-0.01, 0.00, 0.02, -0.01, 0.01],
        ]
    )
    pairs = [(0, 1), (0, 2), (1, 2)]
    r = [np.corrcoef(residuals[i], residuals[j])[0, 1] for i, j in pairs]
    rbar = sum(r) / 3  # the mean over i != j (each pair counted twice, same mean)
    assert bk.mean_residual_correlation(residuals) == pytest.approx(rbar)
    scar = CAR / SE
    t_bmp = bk.bmp(scar).stat
    assert bk.kolari_pynnonen_bmp(scar, rbar).stat == pytest.approx(
        t_bmp * math.sqrt((1 - rbar) / (1 + 2 * rbar))
    )
    assert bk.kolari_pynnonen_patell(scar, DF, rbar).stat == pytest.approx(
        bk.patell(scar, DF).stat / math.sqrt(1 + 2 * rbar)
    )
    # with no cross-correlation the adjustment does nothing
    assert bk.kolari_pynnonen_bmp(scar, 0.0).stat == pytest.approx(t_bmp)


def test_sign_and_generalized_sign_by_hand():
    car = np.array([-0.1, -0.2, -0.05, 0.01, -0.3, -0.02])
    sign = bk.sign_test(car)  # 1 positive of 6 under Binomial(6, 1/2)
    assert sign.stat == pytest.approx((1 - 3) / math.sqrt(6 * 0.25))
    assert sign.p_lower == pytest.approx((1 + 6) / 64)
    assert sign.p == pytest.approx(2 * 7 / 64)
    residuals = np.array([[0.1, -0.1, 0.2, -0.3], [0.1, 0.1, -0.2, -0.3]] * 3)  # 2 of 4 each
    p_hat = np.mean([0.5, 0.5] * 3)
    gen = bk.generalized_sign_test(car, residuals)
    assert bk.positive_share(residuals) == pytest.approx(p_hat)
    assert gen.stat == pytest.approx((1 - 6 * p_hat) / math.sqrt(6 * p_hat * (1 - p_hat)))
    skew = np.array([[0.1, -0.1, -0.2, -0.3]] * 6)  # 1 of 4 positive
    gen = bk.generalized_sign_test(car, skew)
    assert gen.p_lower == pytest.approx(stats.binom.cdf(1, 6, 0.25))


def test_corrado_rank_by_hand():
    # two firms, four estimation days and one event day (the last column)
    abnormal = np.array([[0.01, -0.02, 0.03, 0.00, -0.05], [0.02, 0.01, -0.01, 0.03, -0.04]])
    is_event = np.array([False, False, False, False, True])
    ranks = np.array([[4, 2, 5, 3, 1], [4, 3, 2, 5, 1]], dtype=float)
    u = ranks / 6 - 0.5
    u_bar = u.mean(axis=0)
    s_u = math.sqrt(np.mean(u_bar**2))
    expected = u_bar[4] / s_u
    assert bk.corrado_rank_test(abnormal, is_event).stat == pytest.approx(expected)
    # two event days: sum over the window divided by sqrt(2)
    two = np.array([False, False, False, True, True])
    assert bk.corrado_rank_test(abnormal, two).stat == pytest.approx(
        (u_bar[3] + u_bar[4]) / (math.sqrt(2) * s_u)
    )


def _synthetic(n_firms=4, n_days=320, seed=0):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2023-01-02", periods=n_days, name="Date")
    market = rng.normal(0, 0.01, n_days)
    common = rng.normal(0, 0.01, n_days)  # an industry shock shared by the firms
    data = {"MKT": market}
    for i in range(n_firms):
        data[f"F{i}"] = 0.0003 + (1 + 0.2 * i) * market + common + rng.normal(0, 0.01, n_days)
        data[f"F{i}"][300] -= 0.05 * (i + 1)
    return pd.DataFrame(data, index=dates), dates[300]


def test_basket_study_agrees_with_single_firm_studies_and_hand_statistics():
    frame, day0 = _synthetic()
    spec = EventStudySpec(str(day0.date()), window=(0, 1), benchmark="MKT")
    tickers = ["F0", "F1", "F2", "F3"]
    b = basket_study(frame, tickers, spec, name="test")
    singles = [event_study(frame, t, spec) for t in tickers]
    assert [f.car for f in b.firms] == [s.car for s in singles]
    car = np.array([s.car for s in singles])
    scar = car / np.array([s.car_se for s in singles])
    assert b.tests["bmp"].stat == pytest.approx(bk.bmp(scar).stat)
    assert b.mean_car.mean == pytest.approx(car.mean())
    # the residual correlation comes from the estimation-window residuals of the market model
    est = frame.iloc[300 - 260 : 300 - 10]
    res = []
    for t in tickers:
        X = np.column_stack([np.ones(250), est.MKT])
        coef, *_ = np.linalg.lstsq(X, est[t], rcond=None)
        res.append(est[t] - X @ coef)
    rbar = bk.mean_residual_correlation(np.vstack(res))
    assert b.residual_correlation == pytest.approx(rbar)
    assert rbar > 0.2  # the planted common shock
    assert b.tests["kolari_pynnonen_bmp"].stat == pytest.approx(
        bk.bmp(scar).stat * math.sqrt((1 - rbar) / (1 + 3 * rbar))
    )
    assert abs(b.tests["kolari_pynnonen_bmp"].stat) < abs(b.tests["bmp"].stat)
    assert set(b.tests) == {
        "cross_sectional_t", "patell", "bmp", "kolari_pynnonen_patell", "kolari_pynnonen_bmp",
        "sign", "generalized_sign", "corrado_rank",
    }
    assert b.to_json() == basket_study(frame, tickers, spec, name="test").to_json()
