"""Results of an event study: frozen dataclasses and their JSON form.

Every estimate carries an interval. Unless stated otherwise an interval is the estimate
``-/+ t_{df, (1 + level)/2}`` times its standard error (Student's t with the residual
degrees of freedom of the estimation window); :attr:`SQTest.interval` is the distribution-free
alternative from the estimation-window residual sums.

JSON is deterministic (fixed key order, shortest round-trip float repr) and valid: NaN and
infinities become ``null``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.event_study.basket import BasketTest, CrossSection
from model.event_study.single import PermutationTest, SQTest, TTest
from model.summary import Summary, interval_label

CI_METHOD = "estimate -/+ Student-t quantile (residual df of the estimation window) x standard error"


@dataclass(frozen=True)
class Parameter:
    """One estimated coefficient of the normal-return model."""

    name: str
    estimate: float
    se: float
    interval: tuple[float, float]


@dataclass(frozen=True)
class Estimation:
    """The estimation window and the fitted normal-return model.

    ``alpha`` and ``beta`` are the fitted intercept and market slope; for the market-adjusted
    model they are imposed (0 and 1, listed in ``imposed``), for the constant-mean model
    ``beta`` is None. ``beta_factor`` is the factor slope of the two-factor model.
    """

    start: str
    end: str
    n: int
    df: int
    alpha: float | None
    beta: float | None
    beta_factor: float | None
    sigma: float
    sigma_interval: tuple[float, float]
    r_squared: float | None
    params: tuple[Parameter, ...]
    imposed: tuple[str, ...]


@dataclass(frozen=True)
class DailyAbnormalReturn:
    """One event-window day: return, normal return, abnormal return and the running CAR."""

    date: str
    day: int
    ret: float
    expected: float
    ar: float
    se: float
    t: float
    interval: tuple[float, float]
    car: float
    car_se: float
    car_interval: tuple[float, float]


@dataclass(frozen=True)
class SingleTests:
    t: TTest
    sq: SQTest
    permutation: PermutationTest


@dataclass(frozen=True)
class EventStudyResult:
    """Event study of one firm over one event window."""

    ticker: str
    benchmark: str
    factor: str | None
    event_date: str
    model: str
    window: tuple[int, int]
    gap: int
    level: float
    last_date_used: str
    estimation: Estimation
    abnormal_returns: tuple[DailyAbnormalReturn, ...]
    car: float
    car_se: float
    car_interval: tuple[float, float]
    tests: SingleTests

    def to_dict(self) -> dict:
        return to_jsonable(self)

    def to_json(self) -> str:
        return dumps(self.to_dict())

    def summary(self) -> Summary:
        """What ``jevons event TICKER`` prints: the model, the CAR with its interval and the
        three tests, and the abnormal return of each day of the window."""
        est, tests = self.estimation, self.tests
        level = self.level
        coefs = "  ".join(f"{q.name} {q.estimate:.4g} ({q.interval[0]:.4g} to {q.interval[1]:.4g})"
                          for q in est.params) or "alpha = 0, beta = 1 (imposed)"
        perm = tests.permutation
        how = (f"exact, {perm.n_permutations} subsets" if perm.method == "exact"
               else f"{perm.n_permutations} random subsets, seed {perm.seed}")
        rows = [
            ("event window", f"[{self.window[0]}, {self.window[1]}] "
                             f"({self.abnormal_returns[0].date} to {self.abnormal_returns[-1].date})"),
            ("model", f"{self.model} against {self.benchmark}" + (f" and {self.factor}" if self.factor else "")),
            ("estimation window", f"{est.start} to {est.end} (L = {est.n}, gap {self.gap}, df {est.df})"),
            (f"coefficients ({level:.0%} intervals)", coefs),
            (interval_label("residual sd", level),
             f"{_pct(est.sigma, 3)} ({_pct(est.sigma_interval[0], 3)} to {_pct(est.sigma_interval[1], 3)})"),
            ("CAR", _pct(self.car)),
            (interval_label("CAR", level), f"{_pct(self.car_interval[0])} to {_pct(self.car_interval[1])}"),
            ("standard error of the CAR", _pct(self.car_se)),
            (interval_label("CAR, distribution-free (SQ)", level),
             f"{_pct(tests.sq.interval[0])} to {_pct(tests.sq.interval[1])}"),
            (f"t test (t({tests.t.df}))", f"t = {tests.t.stat:.3f}, p = {_p(tests.t.p)}, "
                                          f"p_lower = {_p(tests.t.p_lower)}"),
            (f"SQ test ({tests.sq.n_sums} window sums)",
             f"p = {_p(tests.sq.p, tests.sq.n_sums)}, p_lower = {_p(tests.sq.p_lower, tests.sq.n_sums)}"),
            (f"permutation test ({how})", f"p = {_p(perm.p)}, p_lower = {_p(perm.p_lower)}"),
        ]
        days = [{"day": d.day, "date": d.date, "return": _pct(d.ret), "expected": _pct(d.expected),
                 "AR": _pct(d.ar), interval_label("AR", level).removeprefix("AR, "):
                 f"{_pct(d.interval[0])} to {_pct(d.interval[1])}", "t": f"{d.t:.2f}", "CAR": _pct(d.car)}
                for d in self.abnormal_returns]
        return Summary.of(f"Event study of {self.ticker} on {self.event_date}", rows,
                          tables=[("abnormal returns by day", pd.DataFrame(days))],
                          notes=(f"intervals: {CI_METHOD}",
                                 "p two-sided, p_lower one-sided for a fall; an SQ p of 0 is "
                                 "below 1 / (SQ window sums)"))

    def to_row(self) -> dict:
        """One flat row: the CAR with its standard error and interval, and every test's p."""
        first, last = self.abnormal_returns[0], self.abnormal_returns[-1]
        return {
            "ticker": self.ticker,
            "model": self.model,
            "window": f"[{self.window[0]}, {self.window[1]}]",
            "first date": first.date,
            "last date": last.date,
            "days": len(self.abnormal_returns),
            "beta": self.estimation.beta,
            "car": self.car,
            "se": self.car_se,
            "ci low": self.car_interval[0],
            "ci high": self.car_interval[1],
            "t": self.tests.t.stat,
            "t p": self.tests.t.p,
            "sq p lower": self.tests.sq.p_lower,
            "sq p": self.tests.sq.p,
            "sq sums": self.tests.sq.n_sums,
            "perm p lower": self.tests.permutation.p_lower,
            "perm p": self.tests.permutation.p,
        }


@dataclass(frozen=True)
class BasketResult:
    """Event study of a basket of firms sharing one event date."""

    name: str | None
    tickers: tuple[str, ...]
    benchmark: str
    factor: str | None
    event_date: str
    model: str
    window: tuple[int, int]
    level: float
    firms: tuple[EventStudyResult, ...]
    mean_car: CrossSection
    residual_correlation: float
    positive_share: float
    tests: dict[str, BasketTest]

    def summary(self) -> Summary:
        """What ``jevons event --basket NAME`` prints: each firm's CAR and tests, the mean CAR
        and the basket tests."""
        level = self.level
        first = self.firms[0]
        reference = f"{self.benchmark} and {self.factor}" if self.factor else self.benchmark
        m = self.mean_car
        rows = [
            ("firms", f"{len(self.tickers)}: {', '.join(self.tickers)}"),
            ("event window", f"[{self.window[0]}, {self.window[1]}]"),
            ("model", f"{self.model} against {reference}"),
            ("estimation window", f"{first.estimation.start} to {first.estimation.end} "
                                  f"(L = {first.estimation.n}, gap {first.gap})"),
            ("mean CAR", _pct(m.mean)),
            (interval_label("mean CAR", level), f"{_pct(m.interval[0])} to {_pct(m.interval[1])}"),
            ("cross-sectional standard error", _pct(m.se)),
            ("average residual correlation between firms", f"{self.residual_correlation:.3f}"),
            ("share of positive residuals", f"{self.positive_share:.3f}"),
        ]
        firms = pd.DataFrame([{
            "ticker": f.ticker, "beta": "" if f.estimation.beta is None else f"{f.estimation.beta:.2f}",
            "CAR": _pct(f.car), interval_label("", level).strip(", "):
            f"{_pct(f.car_interval[0])} to {_pct(f.car_interval[1])}",
            "t": f"{f.tests.t.stat:.2f}", "SQ p": f"{f.tests.sq.p:.4f}",
            "permutation p": f"{f.tests.permutation.p:.4f}"} for f in self.firms])
        tests = pd.DataFrame([{
            "test": BASKET_TEST_NAMES.get(key, key), "statistic": f"{test.stat:.3f}",
            "reference distribution": test.distribution, "p": _p(test.p),
            "p_lower": _p(test.p_lower)} for key, test in self.tests.items()])
        return Summary.of(f"Event study of the basket {self.name or ''} on {self.event_date}".replace("  ", " "),
                          rows, tables=[("firms", firms), ("basket tests of CAR = 0", tests)],
                          notes=(f"intervals: {CI_METHOD}",
                                 "p two-sided, p_lower one-sided for a fall"))

    def to_dict(self) -> dict:
        return to_jsonable(self)

    def to_json(self) -> str:
        return dumps(self.to_dict())


def _pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def _p(p: float, resolution: int | None = None) -> str:
    if resolution and p == 0.0:
        return f"0 (< 1/{resolution})"
    return f"{p:.2g}" if p < 0.001 else f"{p:.4f}"


BASKET_TEST_NAMES = {
    "cross_sectional_t": "cross-sectional t",
    "patell": "Patell Z",
    "bmp": "BMP t",
    "kolari_pynnonen_patell": "Kolari-Pynnonen Patell",
    "kolari_pynnonen_bmp": "Kolari-Pynnonen BMP",
    "sign": "sign",
    "generalized_sign": "generalized sign",
    "corrado_rank": "Corrado rank",
}


# JSON keys kept from the first release (the Python names follow model.summary: interval, level)
_RENAME = {"ret": "return", "interval": "ci", "car_interval": "car_ci", "sigma_interval": "sigma_ci",
           "param_interval": "param_ci", "level": "confidence"}


def to_jsonable(obj):
    """Dataclasses, tuples, numpy scalars and floats as plain JSON values (NaN/inf -> None)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {_RENAME.get(f.name, f.name): to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, EventStudyResult | BasketResult):
            out["interval_method"] = CI_METHOD
        return out
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | np.ndarray):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return value if math.isfinite(value) else None
    return obj


def dumps(payload: dict) -> str:
    return json.dumps(payload, indent=2, allow_nan=False) + "\n"
