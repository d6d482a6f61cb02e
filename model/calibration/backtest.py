"""Vintage backtests: the quarterly forecasts made as of each vintage date, scored against the
outcomes the facts tables hold.

For each vintage and forecast: the median, the central 95% interval, the outcome (None while the
tables do not hold it), the error (median less outcome), whether the interval covered the outcome,
the CRPS of the forecast draws, and each naive baseline's value and error. The summary gives, per
forecast, the mean absolute percentage error, the coverage and the mean CRPS over the vintages
with an outcome, and the same errors for each baseline: a model change that makes them worse
shows here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.calibration import quarterly as qt
from model.calibration.fit import fit
from model.calibration.usage import usage_evidence
from model.constants import DEFAULT_AS_OF, SEED
from model.data.facts import fact
from model.dates import parse_date
from model.errors import JevonsError
from model.summary import Summary

NAMES = ("nvidia_dc_revenue_next_quarter_usd_bn", "capex_next_quarter_usd_bn", "capex_year_usd_bn")
FIRST_VINTAGE = DEFAULT_AS_OF
BACKTEST_DRAWS = 1000  # a quarter of the annual fit's 4000: six fits in well under two minutes


def forecasts_as_of(as_of, *, draws: int = 4000, seed: int = SEED) -> dict:
    """Fit as of ``as_of`` and return :func:`model.calibration.quarterly.forecasts_as_of`'s three
    JSON blocks."""
    stamp = qt.check_forecast_date(as_of)
    return qt.forecasts_as_of(stamp, draws=draws, seed=seed, calibration=fit_as_of(stamp, draws, seed))


def fit_as_of(as_of, draws: int, seed: int):
    """The fit behind the quarterly forecasts (its market grid at a tenth of the draws)."""
    return fit(as_of, draws=draws, grid_draws=max(40, draws // 10), seed=seed)


def model_forecaster(day, draws: int, seed: int) -> dict:
    """The three forecasts as of ``day`` from the fit as of ``day``."""
    return qt.forecast_results(day, draws=draws, seed=seed, calibration=fit_as_of(day, draws, seed))


def crps(draws, outcome: float) -> float:
    """Continuous ranked probability score of a sample for an outcome:
    E|X - y| - E|X - X'| / 2 (the sorted-sample formula, exact for the empirical distribution)."""
    x = np.sort(np.asarray(draws, dtype=float).ravel())
    n = x.size
    if n == 0:
        raise ValueError("crps of an empty sample")
    spread = 2.0 * np.sum((2.0 * np.arange(1, n + 1) - n - 1) * x) / (n * n)
    return float(np.mean(np.abs(x - outcome)) - 0.5 * spread)


def default_vintages() -> list[pd.Timestamp]:
    """FIRST_VINTAGE, then every quarter end after it up to the last data date."""
    last = qt.last_data_date()
    first = pd.Timestamp(FIRST_VINTAGE)
    ends = pd.date_range(first, last, freq="QE")
    return [first, *[d for d in ends if d > first]]


def parse_vintages(text: str) -> list[pd.Timestamp]:
    """``D1,D2,...`` as dates: ISO, strictly increasing, each within the forecasts' range."""
    parts = [p.strip() for p in str(text).split(",")]
    if not parts or any(not p for p in parts):
        raise JevonsError(f"--vintages {text!r}: an empty date; allowed: comma-separated dates "
                          "YYYY-MM-DD, e.g. 2025-03-31,2025-06-30")
    days = [parse_date(p, f"--vintages {p!r}") for p in parts]
    last = qt.last_data_date()
    for day in days:
        if not pd.Timestamp(qt.FIRST_AS_OF) <= day <= last:
            raise JevonsError(f"--vintages {day:%Y-%m-%d}: out of range; allowed: dates from "
                              f"{qt.FIRST_AS_OF} to {last:%Y-%m-%d} (the last data date)")
    for a, b in zip(days, days[1:], strict=False):
        if b == a:
            raise JevonsError(f"--vintages {b:%Y-%m-%d}: given twice; allowed: each date once")
        if b < a:
            raise JevonsError(f"--vintages {b:%Y-%m-%d} after {a:%Y-%m-%d}: not sorted; allowed: "
                              "dates in increasing order")
    return days


# --- outcomes (from the whole tables, not as of the vintage) ------------------------------------


def nvidia_outcome(quarter: str) -> float | None:
    table = qt.nvidia_quarters(None)
    hit = table[table["quarter"].map(lambda q: q.label) == quarter]
    if hit.empty or pd.isna(hit.iloc[0]["known"]):
        return None
    return float(hit.iloc[0]["dc_revenue"])


def capex_outcomes(quarters: list[pd.Period]) -> dict[str, float | None]:
    """Each company's capex summed over ``quarters`` (None unless every one is reported) and the
    total (None unless every company's is known)."""
    out = {}
    for company in qt.COMPANIES:
        reported = dict(zip(*[qt.capex_quarters(company, None)[c] for c in ("quarter", "value")], strict=True))
        out[company] = float(sum(reported[q] for q in quarters)) if all(q in reported for q in quarters) else None
    out["total"] = None if any(v is None for v in out.values()) else float(sum(out.values()))
    return out


def _quarters_of(forecast: qt.CapexForecast) -> list[pd.Period]:
    if forecast.year is None:
        return [pd.Period(forecast.quarter, freq="Q")]
    return list(pd.period_range(pd.Period(year=forecast.year, quarter=1, freq="Q"), periods=4, freq="Q"))


def score(forecast: qt.QuarterForecast, outcome: float | None) -> dict:
    """One forecast against its outcome, in the backtest's JSON shape."""
    lo, hi = forecast.interval
    known = outcome is not None
    return {
        "median": forecast.median,
        "interval": [lo, hi],
        "outcome": outcome,
        "error": forecast.median - outcome if known else None,
        "covered": bool(lo <= outcome <= hi) if known else None,
        "crps": crps(forecast.draws, outcome) if known else None,
        "baselines": {label: {"value": value,
                              "error": value - outcome if known and value is not None else None}
                      for label, value in forecast.baselines.items()},
    }


def score_vintage(results: dict) -> dict:
    """The three forecasts of one vintage (``quarterly.forecast_results``) scored."""
    nv = results["nvidia_dc_revenue_next_quarter_usd_bn"]
    out = {"nvidia_dc_revenue_next_quarter_usd_bn": score(nv.forecast, nvidia_outcome(nv.quarter))}
    for name in ("capex_next_quarter_usd_bn", "capex_year_usd_bn"):
        f = results[name]
        out[name] = score(f.total, capex_outcomes(_quarters_of(f))["total"])
    return out


def summarise(vintages: list[dict]) -> dict:
    """Per forecast over the vintages with an outcome: n, mean absolute % error, mean absolute
    error, coverage and mean CRPS, and each baseline's n, mean absolute % error and mean absolute
    error (None where nothing is scored)."""
    def mean(values):
        return float(np.mean(values)) if values else None

    out = {}
    for name in NAMES:
        scored = [v["forecasts"][name] for v in vintages if v["forecasts"][name]["outcome"] is not None]
        labels = dict.fromkeys(label for s in (v["forecasts"][name] for v in vintages) for label in s["baselines"])
        baselines = {}
        for label in labels:
            pairs = [(s["baselines"][label]["error"], s["outcome"]) for s in scored
                     if label in s["baselines"] and s["baselines"][label]["error"] is not None]
            baselines[label] = {"n": len(pairs), "mape": mean([100 * abs(e) / y for e, y in pairs]),
                                "mean_abs_error": mean([abs(e) for e, _ in pairs])}
        out[name] = {
            "n": len(scored),
            "mape": mean([100 * abs(s["error"]) / s["outcome"] for s in scored]),
            "mean_abs_error": mean([abs(s["error"]) for s in scored]),
            "coverage": mean([float(s["covered"]) for s in scored]),
            "mean_crps": mean([s["crps"] for s in scored]),
            "baselines": baselines,
        }
    return out


@dataclass(frozen=True)
class Backtest:
    """Scored vintages and their summary (the JSON of ``jevons backtest --json``)."""

    vintages: tuple[dict, ...]
    summary_table: dict
    draws: int
    targets: tuple[dict, ...] = ()  # per vintage: forecast name -> the quarter or year forecast

    def to_dict(self) -> dict:
        return {"vintages": list(self.vintages), "summary": self.summary_table}

    def frame(self) -> pd.DataFrame:
        """One row per vintage and forecast: as_of, forecast, target, median, interval, outcome,
        error, covered, crps."""
        return pd.DataFrame([
            {"as_of": v["as_of"], "forecast": name, "target": t.get(name), "median": f["median"],
             "low": f["interval"][0], "high": f["interval"][1], "outcome": f["outcome"],
             "error": f["error"], "covered": f["covered"], "crps": f["crps"]}
            for v, t in zip(self.vintages, self.targets or ({},) * len(self.vintages), strict=True)
            for name, f in v["forecasts"].items()])

    def summary(self) -> Summary:
        def fmt(x, spec=".1f"):
            return "-" if x is None else format(x, spec)

        table = pd.DataFrame([
            {"forecast": name, "scored": s["n"], "MAPE %": fmt(s["mape"]), "coverage": fmt(s["coverage"], ".0%"),
             "mean CRPS": fmt(s["mean_crps"], ".2f"),
             **{f"{label} MAPE %": fmt(b["mape"]) for label, b in s["baselines"].items()}}
            for name, s in self.summary_table.items()]).fillna("-")
        frame = self.frame()
        frame["interval"] = frame["low"].round(1).astype(str) + " to " + frame["high"].round(1).astype(str)
        frame = frame[["as_of", "forecast", "target", "median", "interval", "outcome", "covered"]]
        frame["median"] = frame["median"].round(1)
        frame = frame.astype(object).where(frame.notna(), "-")
        return Summary.of(f"Vintage backtest: {len(self.vintages)} vintages, {self.draws} draws each",
                          [("vintages", ", ".join(v["as_of"] for v in self.vintages))],
                          tables=[("scores", table), ("forecasts against outcomes", frame)])


def backtest(vintages=None, *, draws: int = BACKTEST_DRAWS, seed: int = SEED, progress: bool = True,
             forecaster=None) -> Backtest:
    """Forecast as of each vintage (default :func:`default_vintages`) and score the forecasts.

    ``forecaster(as_of, draws, seed)`` returns the three results of
    :func:`model.calibration.quarterly.forecast_results` (the default); tests pass a cheaper one.
    """
    days = default_vintages() if vintages is None else [qt.check_forecast_date(d) for d in vintages]
    forecaster = forecaster or model_forecaster
    from tqdm import tqdm

    rows, targets = [], []
    for day in tqdm(days, desc="vintages", unit="vintage", file=sys.stderr, disable=not progress):
        results = forecaster(day, draws, seed)
        rows.append({"as_of": f"{day:%Y-%m-%d}", "forecasts": score_vintage(results)})
        targets.append({name: r.forecast.target if hasattr(r, "forecast") else r.target
                        for name, r in results.items()})
    return Backtest(tuple(rows), summarise(rows), draws, tuple(targets))


# --- the estimates behind each vintage -----------------------------------------------------------

# The annual forecasts' outcomes, on the plans' own bases (the capex fit's): Microsoft's fiscal
# year to June 2025 including finance leases, Alphabet's and Amazon's (net) cash capex and Meta's
# including finance-lease principal, for calendar 2025; Nvidia's fiscal-2026 data-center revenue.
ANNUAL_OUTCOMES = {
    "hyperscaler_capex_2025_usd_bn": ("capex_fy2025_microsoft_incl_leases", "capex_2025_alphabet",
                                      "capex_2025_amazon", "capex_2025_meta"),
    "nvidia_fy2026_dc_revenue_usd_bn": ("nvda_dc_revenue_fy2026",),
}


def annual_outcomes() -> dict[str, dict]:
    """Each annual forecast's outcome from the whole facts tables: ``value``, ``ids``, ``known``
    (the date the last of them became public)."""
    out = {}
    for name, ids in ANNUAL_OUTCOMES.items():
        rows = [fact(i) for i in ids]
        out[name] = {"value": float(sum(r["value"] for r in rows)), "ids": ids,
                     "known": max(pd.Timestamp(r["as_of"]) for r in rows)}
    return out


def outcome_percentile(draws, outcome: float) -> float:
    """Share of the forecast draws below the outcome (where it fell in the distribution)."""
    return float(np.mean(np.asarray(draws, dtype=float) < outcome))


def _interval(draws) -> tuple[float, float, float]:
    lo, mid, hi = np.quantile(np.asarray(draws, dtype=float), [0.025, 0.5, 0.975])
    return float(mid), float(lo), float(hi)


def vintage_estimates(calibration, draws: int, seed: int) -> dict:
    """What the fit as of one vintage estimated: each elasticity's median and 95% interval
    (``usage`` NaN before the first token-volume fact) and the demand growth drawn with the
    combined elasticity (the forecasts' draws)."""
    row: dict = {"as_of": f"{calibration.as_of:%Y-%m-%d}"}
    usage = usage_evidence(calibration.as_of, draws=draws, seed=seed)
    estimates = {"market": calibration.market, "capex": calibration.capex.estimate,
                 "usage": None if usage is None else usage.estimate,
                 "combined": calibration.combination.estimate}
    for name, est in estimates.items():
        mid, lo, hi = (np.nan,) * 3 if est is None else _interval(est.draws)
        row |= {f"{name}": mid, f"{name}_lo": lo, f"{name}_hi": hi}
    _, growth, _ = qt.posterior_draws(calibration, draws, seed)
    mid, lo, hi = _interval(growth)
    return row | {"demand_growth": mid, "demand_growth_lo": lo, "demand_growth_hi": hi}


def backtest_with_estimates(vintages=None, *, draws: int = BACKTEST_DRAWS, seed: int = SEED,
                            progress: bool = False) -> tuple[Backtest, pd.DataFrame]:
    """:func:`backtest` with the default forecaster, and one row of :func:`vintage_estimates`
    per vintage from the same fits (no fit is made twice)."""
    rows = []

    def forecaster(day, n, s):
        calibration = fit_as_of(day, n, s)
        rows.append(vintage_estimates(calibration, n, s))
        return qt.forecast_results(day, draws=n, seed=s, calibration=calibration)

    result = backtest(vintages, draws=draws, seed=seed, progress=progress, forecaster=forecaster)
    return result, pd.DataFrame(rows)
