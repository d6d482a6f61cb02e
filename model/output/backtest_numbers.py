"""Numbers for the prose of the chapter "What happened next", read from results the package made
(the February-2025 fit, the vintage backtest and its estimates, the forecasts as of the last data
date, the usage evidence). Nothing is computed here beyond selecting and converting; the chapter
glues the dictionaries with :func:`model.output.book.glue_values`."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.calibration.backtest import Backtest, outcome_percentile

NV, CQ, CY = "nvidia_dc_revenue_next_quarter_usd_bn", "capex_next_quarter_usd_bn", "capex_year_usd_bn"
ANNUAL_CAPEX, ANNUAL_NV = "hyperscaler_capex_2025_usd_bn", "nvidia_fy2026_dc_revenue_usd_bn"


def february_values(forecasts: Mapping, outcomes: Mapping[str, Mapping]) -> dict:
    """The annual forecasts of the February-2025 fit against their outcomes."""
    out = {}
    for key, name in (("capex", ANNUAL_CAPEX), ("nv", ANNUAL_NV)):
        f, y = forecasts[name], outcomes[name]["value"]
        lo, hi = f.interval
        out |= {f"{key}_med": f.median, f"{key}_lo": lo, f"{key}_hi": hi, f"{key}_base": f.baseline,
                f"{key}_out": y, f"{key}_pct": 100 * outcome_percentile(f.draws, y),
                f"{key}_err": 100 * (f.median - y) / y, f"{key}_base_err": 100 * (f.baseline - y) / y,
                f"{key}_known": outcomes[name]["known"]}
    return out


def scorecard_values(result: Backtest) -> dict:
    """The backtest's summary: per forecast the model's MAPE and coverage and the baselines'."""
    s = result.summary_table
    scored = [v for v in result.vintages if v["forecasts"][NV]["outcome"] is not None]
    return {
        "vintages": len(result.vintages), "scored": len(scored), "first": result.vintages[0]["as_of"],
        "last": result.vintages[-1]["as_of"], "draws": result.draws,
        "nv_mape": s[NV]["mape"], "nv_cov": s[NV]["coverage"],
        "nv_guid_mape": s[NV]["baselines"]["latest guidance"]["mape"],
        "nv_growth_mape": s[NV]["baselines"]["last quarter's growth compounded"]["mape"],
        "cq_mape": s[CQ]["mape"], "cq_cov": s[CQ]["coverage"], "cq_plan_mape": s[CQ]["baselines"]["latest plan"]["mape"],
        "cy_mape": s[CY]["mape"], "cy_cov": s[CY]["coverage"], "cy_plan_mape": s[CY]["baselines"]["latest plan"]["mape"],
        "cy_growth_mape": s[CY]["baselines"]["last quarter's growth compounded"]["mape"],
    }


def estimate_values(frame: pd.DataFrame) -> dict:
    """The estimates at the first and the last vintage."""
    first, last = frame.iloc[0], frame.iloc[-1]
    out = {}
    for key in ("market", "capex", "combined", "demand_growth"):
        out |= {f"{key}_first": first[key], f"{key}_last": last[key],
                f"{key}_last_lo": last[f"{key}_lo"], f"{key}_last_hi": last[f"{key}_hi"]}
    used = frame[frame["usage"].notna()]
    out |= {"usage_first_as_of": used["as_of"].iloc[0], "usage_last": last["usage"],
            "usage_last_lo": last["usage_lo"], "usage_last_hi": last["usage_hi"]}
    return out


def usage_values(evidence) -> dict:
    """The usage evidence's series count and its estimate under the lowest and highest shift
    prior of its ranges table."""
    shift = evidence.ranges[evidence.ranges["prior on"] == "demand shift"]
    low, high = shift.iloc[0], shift.iloc[-1]
    return {"series": len(evidence.table), "shift_low": low["centre (x a year)"], "eps_at_shift_low": low["median"],
            "shift_high": high["centre (x a year)"], "eps_at_shift_high": high["median"],
            "floor": evidence.prior.shift_sd / (evidence.price_decline - evidence.prior.intensity_mean)}


def latest_values(results: Mapping) -> dict:
    """The quarterly forecasts as of the last data date, and the input that moves the capex-year
    forecast most."""
    nv, cq, cy = results[NV], results[CQ], results[CY]
    swings = cy.total.swings_table()
    top = swings.iloc[0]
    out = {"nv_q": nv.quarter, "nv_q_med": nv.median, "nv_q_lo": nv.interval[0], "nv_q_hi": nv.interval[1],
           "nv_q_base": nv.forecast.baseline, "cq_q": cq.quarter, "cq_q_med": cq.total.median,
           "cq_q_lo": cq.total.interval[0], "cq_q_hi": cq.total.interval[1], "cy_y": str(cy.year),
           "cy_med": cy.total.median, "cy_lo": cy.total.interval[0], "cy_hi": cy.total.interval[1],
           "cy_base": cy.total.baseline, "cy_base_label": cy.total.baseline_label,
           "top_input": top["input"], "top_change": float(top["change"])}
    return out


def fan_values(fan: pd.DataFrame) -> dict:
    """Median and 5-95% band of compute spend in 2030 and 2035 (``sensitivity.fan_quantiles``)."""
    out = {}
    for year in (2026, 2030, 2035):
        row = fan.loc[("compute_spend", year)]
        out |= {f"fan_{year}_50": float(row["50%"]), f"fan_{year}_5": float(row["5%"]),
                f"fan_{year}_95": float(row["95%"])}
    out["fan_ratio_2035"] = out["fan_2035_95"] / out["fan_2035_5"]
    return {k: float(v) if isinstance(v, np.floating) else v for k, v in out.items()}


def fade_values(fade: pd.DataFrame) -> dict:
    """The growth-fade sensitivity (:func:`model.analysis.models.fade_sensitivity`): the long-run
    and capex growth ranges and fade start of its first row, the 2035 median with growth held
    (no fade) and its share, and the ratio of the 4-year to the 1-year half-life medians."""
    held = fade[np.isinf(fade["half_life"]) & (fade["year"] == 2035)].iloc[0]
    first = fade.iloc[0]
    ends = fade[fade["half_life"].isin([1.0, 4.0])].pivot(index="year", columns="half_life",
                                                          values="median")
    return {"lr_lo": first["long_run_low"], "lr_hi": first["long_run_high"],
            "cx_lo": first["capex_low"], "cx_hi": first["capex_high"],
            "start": int(first["fade_start"]), "held_2035": held["median"],
            "held_share": held["median_share"], "ratio_2030": ends.loc[2030, 4.0] / ends.loc[2030, 1.0],
            "ratio_2035": ends.loc[2035, 4.0] / ends.loc[2035, 1.0]}
