"""Results of an event study: frozen dataclasses and their JSON form.

Every estimate carries an interval. Unless stated otherwise an interval is the estimate
``-/+ t_{df, (1 + confidence)/2}`` times its standard error (Student's t with the residual
degrees of freedom of the estimation window); :attr:`SQTest.ci` is the distribution-free
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

from model.event_study.basket import BasketTest, CrossSection
from model.event_study.single import PermutationTest, SQTest, TTest
from model.summary import Summary, interval_label, interval_text

CI_METHOD = "estimate -/+ Student-t quantile (residual df of the estimation window) x standard error"


@dataclass(frozen=True)
class Parameter:
    """One estimated coefficient of the normal-return model."""

    name: str
    estimate: float
    se: float
    ci: tuple[float, float]


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
    sigma_ci: tuple[float, float]
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
    ci: tuple[float, float]
    car: float
    car_se: float
    car_ci: tuple[float, float]


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
    confidence: float
    last_date_used: str
    estimation: Estimation
    abnormal_returns: tuple[DailyAbnormalReturn, ...]
    car: float
    car_se: float
    car_ci: tuple[float, float]
    tests: SingleTests

    def to_dict(self) -> dict:
        return to_jsonable(self)

    def to_json(self) -> str:
        return dumps(self.to_dict())

    def summary(self) -> Summary:
        """The CAR with its interval, the fitted model and the three tests, printable."""
        est, tests = self.estimation, self.tests
        rows = [
            ("event window", f"[{self.window[0]}, {self.window[1]}] "
                             f"({self.abnormal_returns[0].date} to {self.abnormal_returns[-1].date})"),
            ("model", f"{self.model} against {self.benchmark}" + (f" and {self.factor}" if self.factor else "")),
            ("estimation window", f"{est.start} to {est.end} (L = {est.n}, gap {self.gap})"),
            ("beta", est.beta),
            ("CAR", self.car),
            (interval_label("CAR", self.confidence), interval_text(self.car_ci)),
            ("standard error", self.car_se),
            ("t", tests.t.stat), ("t p", tests.t.p),
            ("SQ p", tests.sq.p), ("SQ sums", tests.sq.n_sums),
            (interval_label("SQ", self.confidence), interval_text(tests.sq.ci)),
            ("permutation p", tests.permutation.p),
        ]
        return Summary.of(f"Event study of {self.ticker} on {self.event_date}", rows,
                          notes=(CI_METHOD, "p two-sided; an SQ p of 0 is below 1 / (SQ sums)"))

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
            "ci low": self.car_ci[0],
            "ci high": self.car_ci[1],
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
    confidence: float
    firms: tuple[EventStudyResult, ...]
    mean_car: CrossSection
    residual_correlation: float
    positive_share: float
    tests: dict[str, BasketTest]

    def to_dict(self) -> dict:
        return to_jsonable(self)

    def to_json(self) -> str:
        return dumps(self.to_dict())


_RENAME = {"ret": "return"}


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
