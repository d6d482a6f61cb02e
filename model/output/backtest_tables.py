"""Display tables of the chapter "What happened next": the February-2025 forecasts against the
outcomes, the vintage scorecard, the estimates by vintage and how much each input moves the
quarterly forecasts. Every function selects, formats and labels results the package computed; the
chapter hands the frames to :func:`model.output.book.show_table`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.calibration.backtest import Backtest, outcome_percentile
from model.output.plotting.backtest import ESTIMATES, TITLES

ANNUAL_TITLES = {"hyperscaler_capex_2025_usd_bn": "Big-4 capex 2025 (the plans' bases)",
                 "nvidia_fy2026_dc_revenue_usd_bn": "Nvidia data-center revenue, fiscal 2026"}


def _interval(low: float, high: float, fmt: str = ".1f") -> str:
    return f"{low:{fmt}} to {high:{fmt}}"


def february_scorecard(forecasts: Mapping, outcomes: Mapping[str, Mapping]) -> pd.DataFrame:
    """The annual forecasts of one fit (``Calibration.forecasts``) against their outcomes
    (:func:`model.calibration.backtest.annual_outcomes`): median, 95% interval, the naive
    baseline, the outcome, where it fell in the forecast distribution and the errors."""
    rows = []
    for name, f in forecasts.items():
        y = outcomes[name]["value"]
        lo, hi = f.interval
        rows.append({"forecast": ANNUAL_TITLES.get(name, name), "median": f.median,
                     "95% interval": _interval(lo, hi), "baseline": f.baseline, "outcome": y,
                     "outcome's percentile": f"{100 * outcome_percentile(f.draws, y):.1f}%",
                     "model error %": 100 * (f.median - y) / y, "baseline error %": 100 * (f.baseline - y) / y,
                     "published": f"{outcomes[name]['known']:%Y-%m-%d}"})
    return pd.DataFrame(rows)


def scorecard_table(result: Backtest) -> pd.DataFrame:
    """Per forecast over the scored vintages: the model's mean absolute % error, coverage and
    CRPS, and each naive baseline's mean absolute % error."""
    rows = []
    for name, s in result.summary_table.items():
        row = {"forecast": TITLES.get(name, name), "scored": s["n"], "model MAPE %": s["mape"],
               "coverage": None if s["coverage"] is None else f"{s['coverage']:.0%}", "mean CRPS": s["mean_crps"]}
        row |= {f"{label} MAPE %": b["mape"] for label, b in s["baselines"].items()}
        rows.append(row)
    return pd.DataFrame(rows)


def vintage_table(result: Backtest) -> pd.DataFrame:
    """One row per vintage and forecast: the target, median, interval, outcome and % error."""
    frame = result.frame()
    out = pd.DataFrame({
        "as of": frame["as_of"], "forecast": frame["forecast"].map(lambda n: TITLES.get(n, n)),
        "target": frame["target"], "median": frame["median"],
        "95% interval": [_interval(lo, hi) for lo, hi in zip(frame["low"], frame["high"], strict=True)],
        "outcome": frame["outcome"].astype(float),
        "error %": 100 * frame["error"].astype(float) / frame["outcome"].astype(float),
        "covered": frame["covered"].map({True: "yes", False: "no"}),
    })
    return out


def baselines_by_vintage(result: Backtest) -> dict[str, pd.Series]:
    """Each forecast's first-named baseline value at each vintage (for the figure)."""
    out = {}
    for name in TITLES:
        values = [v["forecasts"][name]["baselines"] for v in result.vintages]
        label = next(iter(values[0]))
        out[name] = pd.Series([b[label]["value"] for b in values], dtype=float)
    return out


def estimates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The estimates by vintage (:func:`model.calibration.backtest.backtest_with_estimates`):
    each as "median (low to high)", "–" before the evidence exists."""
    def cell(row, key, fmt=".2f"):
        if np.isnan(row[key]):
            return "–"
        return f"{row[key]:{fmt}} ({row[f'{key}_lo']:{fmt}} to {row[f'{key}_hi']:{fmt}})"

    out = pd.DataFrame({"as of": frame["as_of"]})
    for key, label in ESTIMATES.items():
        out[label] = [cell(r, key) for _, r in frame.iterrows()]
    out["demand growth g"] = [cell(r, "demand_growth") for _, r in frame.iterrows()]
    return out


def input_swings_table(results: Mapping) -> pd.DataFrame:
    """How much each input moves each quarterly forecast (``quarterly.forecast_results``): the
    input from its low to its high value, the others as fitted, and the median's change, in
    USD bn. One row per forecast and input, the largest change first within a forecast."""
    rows = []
    for name, r in results.items():
        f = r.forecast if hasattr(r, "forecast") else r.total
        table = f.swings_table()
        for t in table.itertuples(index=False):
            rows.append({"forecast": f"{TITLES.get(name, name)} ({f.target})", "input": t.input,
                         "low": t.low.split(" ")[0], "high": t.high.split(" ")[0],
                         "median at low": t[3], "median at high": t[4], "change": t.change})
    return pd.DataFrame(rows)


def growth_fade_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Compute spend under the fit with demand growth fading at each half-life
    (:func:`model.analysis.models.fade_sensitivity`): one row per case, for each year the median,
    the 90% band (USD bn) and the median's share of world GDP."""
    rows = {}
    for r in frame.itertuples():
        row = rows.setdefault(r.case, {"demand growth after the plans": r.case})
        row[f"{r.year} median"] = r.median
        row[f"{r.year} 90% band"] = _interval(r.p5, r.p95, ",.0f")
        row[f"{r.year} share of world GDP"] = f"{r.median_share:.1%}"
    return pd.DataFrame(list(rows.values()))
