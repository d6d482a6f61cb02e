"""Run an event study: from aligned returns (or from the data layer) to a result.

:func:`event_study` and :func:`basket_study` are pure functions of a return frame. They first
cut the frame to the days from the start of the estimation window to the end of the event
window, so nothing dated after the event window can affect the result (the as-of discipline).
:func:`load_returns` builds that frame from :func:`model.data.load_prices`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.data import load_prices
from model.errors import JevonsError
from model.event_study import basket as bk
from model.event_study import benchmark as bm
from model.event_study.models import (
    FACTOR_MODELS,
    FittedModel,
    check_model,
    design,
    fit_normal_model,
)
from model.event_study.result import (
    BasketResult,
    DailyAbnormalReturn,
    Estimation,
    EventStudyResult,
    Parameter,
    SingleTests,
)
from model.event_study.returns import aligned_returns
from model.event_study.single import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    MAX_PERMUTATIONS,
    ar_covariance,
    cumulative_variance,
    permutation_test,
    sq_test,
    t_interval,
    t_test,
)
from model.event_study.windows import EventWindows, locate_windows, parse_date


@dataclass(frozen=True)
class EventStudySpec:
    """What to estimate, with the defaults of the issue and the literature.

    Attributes
    ----------
    event_date : str
        Day 0 (``YYYY-MM-DD``); it must be a trading day in the data.
    window : (int, int)
        Event window ``[A, B]`` in trading days relative to day 0 (default ``[0, 0]``).
    model : str
        ``"market"`` (default; MacKinlay 1997), ``"market-adjusted"``, ``"constant-mean"`` or
        ``"two-factor"`` (market plus ``factor``).
    benchmark : str
        Market proxy. Default ``SPY-EX-NVDA``: the S&P 500 ETF (Adj Close, dividends included)
        without Nvidia, ``(R_m - w R_NVDA) / (1 - w)`` with Nvidia's index weight ``w`` from the
        facts (``nvda_sp500_weight_before_2025_01_27``, 6.96% at the 24 January 2025 close,
        drifted by relative returns), so that the benchmark does not contain Nvidia's own fall.
        Any ticker of the data (``SPY``, ``GSPC``, ``QQQ``, ...) or another derived benchmark
        (``SPY-EX-AI``, ``GSPC-EX-NVDA``; see :mod:`model.event_study.benchmark`) may be given.
        A derived benchmark needs an event window ending on or after the 24 January 2025 close
        its weights are known at.
    factor : str
        Sector factor of the two-factor model (default SOXX, the iShares Semiconductor ETF).
    estimation : int
        ``L``, returns in the estimation window (default 250, MacKinlay 1997).
    gap : int
        ``G``, trading days between the estimation and event windows (default 10).
    level : float
        Level of every interval (default 0.95).
    n_permutations, seed : int
        Random subsets and the fixed seed of the permutation test when it is not exact.
    """

    event_date: str
    window: tuple[int, int] = (0, 0)
    model: str = "market"
    benchmark: str = bm.DEFAULT_BENCHMARK
    factor: str = "SOXX"
    estimation: int = 250
    gap: int = 10
    level: float = 0.95
    n_permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED

    def __post_init__(self):
        check_model(self.model)
        object.__setattr__(self, "benchmark", str(self.benchmark))
        if bm.derived_benchmark(self.benchmark) is not None:
            object.__setattr__(self, "benchmark", self.benchmark.upper())
        object.__setattr__(self, "event_date", parse_date(self.event_date, "event date").strftime("%Y-%m-%d"))
        object.__setattr__(self, "window", (int(self.window[0]), int(self.window[1])))
        if not 0.0 < self.level < 1.0:
            raise JevonsError(f"level {self.level}: must lie strictly between 0 and 1")
        if not 1 <= self.n_permutations <= MAX_PERMUTATIONS:
            raise JevonsError(f"permutations {self.n_permutations}: allowed: 1 to "
                              f"{MAX_PERMUTATIONS:,} (a p resolution of 1/{MAX_PERMUTATIONS + 1:,})")
        if not 0 <= self.seed < 2**63:
            raise JevonsError(f"seed {self.seed}: allowed: an integer from 0 to 2^63-1")
        if self.uses_factor and self.factor == self.benchmark:
            raise JevonsError(
                f"factor {self.factor!r} is the benchmark: the two-factor model needs two series"
            )

    @property
    def uses_factor(self) -> bool:
        return self.model in FACTOR_MODELS

    def reference_tickers(self) -> tuple[str, ...]:
        """Benchmark (and factor, for the two-factor model) the study needs besides the firms."""
        return (self.benchmark, self.factor) if self.uses_factor else (self.benchmark,)


def _day(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _columns(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise JevonsError("returns have no column for " + ", ".join(missing))
    return frame.loc[:, list(dict.fromkeys(names))].dropna()


def _windows(frame: pd.DataFrame, spec: EventStudySpec, names: Sequence[str]) -> EventWindows:
    win = locate_windows(
        frame.index,
        spec.event_date,
        spec.window,
        spec.estimation,
        spec.gap,
        source=" and ".join(dict.fromkeys(names)),
    )
    if bm.derived_benchmark(spec.benchmark) is not None and win.last_date < pd.Timestamp(bm.ANCHOR_DATE):
        raise JevonsError(
            f"benchmark {spec.benchmark}: its index weights are known at the {bm.ANCHOR_DATE} "
            f"close, after this event window (ending {_day(win.last_date)}); use an ordinary "
            "benchmark such as --benchmark SPY for an earlier event"
        )
    return win


def _study(used: pd.DataFrame, ticker: str, spec: EventStudySpec, win: EventWindows):
    """The event study on ``used`` (exactly estimation window, gap and event window)."""
    L = spec.estimation
    est, ev = used.iloc[:L], used.iloc[L + spec.gap :]
    factor_est = est[spec.factor].to_numpy() if spec.uses_factor else None
    factor_ev = ev[spec.factor].to_numpy() if spec.uses_factor else None
    fitted = fit_normal_model(
        spec.model,
        est[ticker].to_numpy(),
        est[spec.benchmark].to_numpy(),
        factor_est,
        level=spec.level,
    )
    firm_ev = ev[ticker].to_numpy()
    expected = fitted.expected(ev[spec.benchmark].to_numpy(), factor_ev)
    ar = firm_ev - expected
    _, event_regressors = design(spec.model, ev[spec.benchmark].to_numpy(), factor_ev)
    cov = ar_covariance(fitted.sigma2, fitted.xtx_inv, event_regressors)
    ar_se = np.sqrt(np.diagonal(cov))
    running_car = np.cumsum(ar)
    running_se = np.sqrt(cumulative_variance(cov))
    df, conf = fitted.df, spec.level
    days = tuple(
        DailyAbnormalReturn(
            date=_day(date),
            day=int(day),
            ret=float(firm_ev[i]),
            expected=float(expected[i]),
            ar=float(ar[i]),
            se=float(ar_se[i]),
            t=float(ar[i] / ar_se[i]),
            interval=t_interval(ar[i], ar_se[i], df, conf),
            car=float(running_car[i]),
            car_se=float(running_se[i]),
            car_interval=t_interval(running_car[i], running_se[i], df, conf),
        )
        for i, (date, day) in enumerate(zip(ev.index, win.event_days, strict=True))
    )
    car, car_se = float(running_car[-1]), float(running_se[-1])
    tests = SingleTests(
        t=t_test(car, car_se, df),
        sq=sq_test(car, fitted.residuals, ar.size, conf),
        permutation=permutation_test(
            ar, fitted.residuals, n_permutations=spec.n_permutations, seed=spec.seed
        ),
    )
    imposed = ("alpha", "beta") if spec.model == "market-adjusted" else ()
    estimation = Estimation(
        start=_day(est.index[0]),
        end=_day(est.index[-1]),
        n=int(L),
        df=int(df),
        alpha=0.0 if imposed else fitted.param("alpha"),
        beta=1.0 if imposed else fitted.param("beta"),
        beta_factor=fitted.param("beta_factor"),
        sigma=fitted.sigma,
        sigma_interval=fitted.sigma_interval(),
        r_squared=fitted.r_squared,
        params=tuple(
            Parameter(name, float(b), float(se), (float(lo), float(hi)))
            for name, b, se, (lo, hi) in zip(
                fitted.param_names, fitted.params, fitted.param_se, fitted.param_interval, strict=True
            )
        ),
        imposed=imposed,
    )
    result = EventStudyResult(
        ticker=ticker,
        benchmark=spec.benchmark,
        factor=spec.factor if spec.uses_factor else None,
        event_date=spec.event_date,
        model=spec.model,
        window=spec.window,
        gap=spec.gap,
        level=conf,
        last_date_used=_day(used.index[-1]),
        estimation=estimation,
        abnormal_returns=days,
        car=car,
        car_se=car_se,
        car_interval=t_interval(car, car_se, df, conf),
        tests=tests,
    )
    return result, fitted, ar


def event_study(returns: pd.DataFrame, ticker: str, spec: EventStudySpec) -> EventStudyResult:
    """Event study of ``ticker`` on a frame of aligned simple returns.

    Parameters
    ----------
    returns : pandas.DataFrame
        Simple returns indexed by trading day, with columns for ``ticker``, the benchmark and
        (two-factor model) the factor. Rows with a missing value in those columns are dropped.
    ticker : str
        The firm.
    spec : EventStudySpec
        Event date, windows and model.
    """
    if ticker in spec.reference_tickers():
        raise JevonsError(
            f"{ticker} is the {'benchmark' if ticker == spec.benchmark else 'factor'} "
            "of the model; choose another firm or benchmark"
        )
    names = (ticker, *spec.reference_tickers())
    frame = _columns(returns, names)
    win = _windows(frame, spec, names)
    used = frame.iloc[win.used_slice]  # nothing after the event window from here on
    return _study(used, ticker, spec, win)[0]


def estimation_fit(returns: pd.DataFrame, ticker: str, spec: EventStudySpec) -> FittedModel:
    """The normal-return model that :func:`event_study` fits, with its residuals.

    Same windows and data cut as :func:`event_study`; useful to look at the estimation-window
    residuals (e.g. their tails) that the SQ and permutation tests use.
    """
    names = (ticker, *spec.reference_tickers())
    frame = _columns(returns, names)
    win = _windows(frame, spec, names)
    est = frame.iloc[win.estimation_slice]
    return fit_normal_model(
        spec.model,
        est[ticker].to_numpy(),
        est[spec.benchmark].to_numpy(),
        est[spec.factor].to_numpy() if spec.uses_factor else None,
        level=spec.level,
    )


def basket_study(
    returns: pd.DataFrame,
    tickers: Sequence[str],
    spec: EventStudySpec,
    name: str | None = None,
) -> BasketResult:
    """Event study of several firms sharing ``spec.event_date``, with the basket tests.

    All firms use the same trading days (the rows where every firm and the benchmark have a
    return), hence the same estimation window, which the Kolari-Pynnonen correlation needs.
    """
    tickers = tuple(dict.fromkeys(tickers))
    label = f"basket {name!r}" if name else "basket"
    if len(tickers) < 2:
        raise JevonsError(
            f"{label} has {len(tickers)} ticker(s); the basket tests need at least 2 "
            "(study a single firm with 'jevons event TICKER')"
        )
    for ticker in tickers:
        if ticker in spec.reference_tickers():
            raise JevonsError(f"{label}: {ticker} is also the benchmark or factor of the model")
    names = (*tickers, *spec.reference_tickers())
    frame = _columns(returns, names)
    win = _windows(frame, spec, names)
    used = frame.iloc[win.used_slice]
    runs = [_study(used, ticker, spec, win) for ticker in tickers]  # one regression per firm
    firms = tuple(r[0] for r in runs)
    residuals = np.vstack([r[1].residuals for r in runs])  # N x L, common dates
    event_ar = np.vstack([r[2] for r in runs])  # N x n
    df = np.array([r[1].df for r in runs], dtype=float)
    car = np.array([f.car for f in firms])
    scar = car / np.array([f.car_se for f in firms])
    rbar = bk.mean_residual_correlation(residuals)
    combined = np.hstack([residuals, event_ar])
    is_event = np.r_[np.zeros(residuals.shape[1], bool), np.ones(event_ar.shape[1], bool)]
    tests = {
        "cross_sectional_t": bk.cross_sectional_t(car, spec.level).test,
        "patell": bk.patell(scar, df),
        "bmp": bk.bmp(scar),
        "kolari_pynnonen_patell": bk.kolari_pynnonen_patell(scar, df, rbar),
        "kolari_pynnonen_bmp": bk.kolari_pynnonen_bmp(scar, rbar),
        "sign": bk.sign_test(car),
        "generalized_sign": bk.generalized_sign_test(car, residuals),
        "corrado_rank": bk.corrado_rank_test(combined, is_event),
    }
    return BasketResult(
        name=name,
        tickers=tickers,
        benchmark=spec.benchmark,
        factor=spec.factor if spec.uses_factor else None,
        event_date=spec.event_date,
        model=spec.model,
        window=spec.window,
        level=spec.level,
        firms=firms,
        mean_car=bk.cross_sectional_t(car, spec.level),
        residual_correlation=rbar,
        positive_share=bk.positive_share(residuals),
        tests=tests,
    )


def load_returns(
    tickers: Sequence[str],
    *,
    end=None,
    loader: Callable[..., pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Aligned simple returns of ``tickers`` from Adj Close, via :func:`model.data.load_prices`.

    A derived benchmark among ``tickers`` (e.g. ``SPY-EX-NVDA``) is built from its components'
    returns (:func:`model.event_study.benchmark.add_derived`); the components stay as columns.

    Parameters
    ----------
    tickers : sequence of str
        Firms, benchmark and factor.
    end : date-like, optional
        Last date to load (None: all available).
    loader : callable, optional
        ``loader(ticker, start=None, end=None)`` returning a price frame; defaults to
        :func:`model.data.load_prices`.
    """
    loader = load_prices if loader is None else loader
    tickers = tuple(dict.fromkeys(str(t) for t in tickers))
    raw = dict.fromkeys(c for name in tickers for c in bm.components(name))
    prices = {ticker: loader(ticker, None, end) for ticker in raw}
    return bm.add_derived(aligned_returns(prices), tickers)


def study_ticker(ticker: str, spec: EventStudySpec, *, loader=None) -> EventStudyResult:
    """Load the data for ``ticker`` and run :func:`event_study`."""
    return event_study(load_returns((ticker, *spec.reference_tickers()), loader=loader), ticker, spec)


def study_basket(
    tickers: Sequence[str], spec: EventStudySpec, *, name: str | None = None, loader=None
) -> BasketResult:
    """Load the data for ``tickers`` and run :func:`basket_study`."""
    frame = load_returns((*tickers, *spec.reference_tickers()), loader=loader)
    return basket_study(frame, tickers, spec, name)
