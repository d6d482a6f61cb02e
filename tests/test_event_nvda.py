"""The 27 January 2025 event study on the real mirror data, checked independently.

The independent check rebuilds returns with pandas and the market model with plain numpy
least squares (no statsmodels, no project code beyond the data layer) and compares.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from model.data import load_prices
from model.event_study import EventStudySpec, close_recovery, study_basket, study_ticker
from model.event_study.baskets import load_baskets

DAY0 = pd.Timestamp("2025-01-27")


@pytest.fixture(scope="module")
def returns(mirror):
    """NVDA and SPY simple returns from Adj Close, joined on common dates (independent code)."""
    nvda = load_prices("NVDA")["Adj Close"].rename("NVDA")
    spy = load_prices("SPY")["Adj Close"].rename("SPY")
    prices = pd.concat([nvda, spy], axis=1, join="inner")
    return (prices / prices.shift(1) - 1).iloc[1:]


def independent(returns: pd.DataFrame, first: int, last: int, L: int = 250, G: int = 10):
    """Market model by numpy lstsq; AR, CAR, its variance by explicit sums, t, SQ and n=1 perm."""
    i = returns.index.get_loc(DAY0)
    est = returns.iloc[i + first - G - L : i + first - G]
    ev = returns.iloc[i + first : i + last + 1]
    X = np.column_stack([np.ones(L), est["SPY"].to_numpy()])
    (alpha, beta), *_ = np.linalg.lstsq(X, est["NVDA"].to_numpy(), rcond=None)
    resid = est["NVDA"].to_numpy() - alpha - beta * est["SPY"].to_numpy()
    s2 = resid @ resid / (L - 2)
    m = est["SPY"].mean()
    sxx = ((est["SPY"] - m) ** 2).sum()
    d = ev["SPY"].to_numpy() - m
    ar = ev["NVDA"].to_numpy() - alpha - beta * ev["SPY"].to_numpy()
    n = ar.size
    # Var(CAR) = s^2 [n + sum_t sum_s (1/L + d_t d_s / Sxx)]  (MacKinlay with covariances)
    var_car = s2 * (n + n * n / L + d.sum() ** 2 / sxx)
    sums = np.array([resid[j : j + n].sum() for j in range(L - n + 1)])
    return {
        "est_start": est.index[0], "est_end": est.index[-1], "alpha": alpha, "beta": beta,
        "sigma": math.sqrt(s2), "ar": ar, "car": ar.sum(), "se": math.sqrt(var_car),
        "sq_lower": np.mean(sums <= ar.sum()),
        "perm_lower": (np.sum(resid <= ar[0]) + 1) / (L + 1) if n == 1 else None,
    }


def test_the_mirror_has_the_known_nvda_closes(mirror):
    close = load_prices("NVDA", "2025-01-24", "2025-01-27")["Close"]
    assert close.loc["2025-01-24"] == pytest.approx(142.62, abs=0.005)
    assert close.loc["2025-01-27"] == pytest.approx(118.42, abs=0.005)
    assert close.iloc[1] / close.iloc[0] - 1 == pytest.approx(-0.1697, abs=5e-5)


@pytest.mark.parametrize("window", [(0, 0), (0, 1), (-1, 5)])
def test_market_model_matches_an_independent_numpy_computation(returns, window):
    r = study_ticker("NVDA", EventStudySpec("2025-01-27", window=window, benchmark="SPY"))
    ref = independent(returns, *window)
    assert pd.Timestamp(r.estimation.start) == ref["est_start"]
    assert pd.Timestamp(r.estimation.end) == ref["est_end"]
    assert r.estimation.alpha == pytest.approx(ref["alpha"], rel=1e-9)
    assert r.estimation.beta == pytest.approx(ref["beta"], rel=1e-9)
    assert r.estimation.sigma == pytest.approx(ref["sigma"], rel=1e-9)
    assert [d.ar for d in r.abnormal_returns] == pytest.approx(list(ref["ar"]), rel=1e-9)
    assert r.car == pytest.approx(ref["car"], rel=1e-9)
    assert r.car_se == pytest.approx(ref["se"], rel=1e-9)
    assert r.tests.t.stat == pytest.approx(ref["car"] / ref["se"], rel=1e-9)
    assert r.tests.sq.p_lower == pytest.approx(ref["sq_lower"])
    if ref["perm_lower"] is not None:
        assert r.tests.permutation.p_lower == pytest.approx(ref["perm_lower"])


def test_nvda_day0_abnormal_return_is_strongly_negative(mirror):
    r = study_ticker("NVDA", EventStudySpec("2025-01-27", benchmark="SPY"))
    day0 = r.abnormal_returns[0]
    assert day0.ret == pytest.approx(-0.1697, abs=5e-5)  # Adj Close return equals the raw one
    # the market model's AR on the day: about -13.4% (beta about 2.67 times SPY's -1.46% plus alpha)
    assert day0.ar == pytest.approx(-0.1337, abs=5e-4)
    assert r.estimation.beta == pytest.approx(2.672, abs=1e-3)
    assert r.car_interval[1] < 0
    assert r.tests.t.p < 1e-5
    assert r.tests.sq.p_lower == 0.0  # below every one of the 250 estimation residuals
    assert r.tests.permutation.p_lower == pytest.approx(1 / 251)


def test_results_do_not_depend_on_data_after_the_window(mirror):
    spec = EventStudySpec("2025-01-27", window=(-1, 5), model="two-factor")
    full = study_ticker("NVDA", spec)

    def truncated(ticker, start=None, end=None):
        return load_prices(ticker, start, full.last_date_used)

    assert study_ticker("NVDA", spec, loader=truncated).to_json() == full.to_json()


def test_baskets_use_only_mirror_tickers(mirror):
    for basket in load_baskets().values():
        for ticker in basket.tickers:
            frame = load_prices(ticker, "2024-01-02", "2025-03-31", offline=True)
            assert frame.attrs["origin"] in ("mirror", "cache")
            assert len(frame) == 312, ticker


def test_basket_of_peers_fell_together(mirror):
    b = study_basket(load_baskets()["deepseek"].tickers, EventStudySpec("2025-01-27"), name="deepseek")
    assert len(b.firms) == 10
    assert b.mean_car.interval[1] < 0
    assert 0 < b.residual_correlation < 1
    # the cross-correlation correction can only weaken the BMP statistic
    assert abs(b.tests["kolari_pynnonen_bmp"].stat) < abs(b.tests["bmp"].stat)


def test_close_recovery_date(mirror):
    close = load_prices("NVDA")["Close"]
    day = close_recovery(close, "2025-01-27")
    assert day is not None and day > DAY0
    between = close.loc[DAY0:day]
    assert between.iloc[-1] >= close.loc["2025-01-24"]
    assert (between.iloc[:-1] < close.loc["2025-01-24"]).all()
