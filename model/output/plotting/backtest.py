"""Figures of the vintage backtests (:mod:`model.calibration.backtest`): the forecasts made at
each vintage against what happened, and how the estimates moved as evidence arrived."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.output.plotting.style import ROLE_COLOURS, evidence_colour, figure, legend_below

TITLES = {
    "nvidia_dc_revenue_next_quarter_usd_bn": "Nvidia data-center revenue, next quarter",
    "capex_next_quarter_usd_bn": "Big-4 capex, next quarter",
    "capex_year_usd_bn": "Big-4 capex, calendar year",
}
ESTIMATES = {"market": "market-implied", "capex": "capex-implied", "usage": "usage-implied",
             "combined": "combined"}
COLOUR_OF = {"market": "market", "capex": "capex", "usage": "later", "combined": "combined"}


def forecasts_by_vintage(frame: pd.DataFrame, baseline: dict[str, pd.Series] | None = None):
    """One panel per forecast: at each vintage the median with its 95% interval and, where known,
    the outcome. ``frame`` is :meth:`model.calibration.backtest.Backtest.frame` (columns as_of,
    forecast, target, median, low, high, outcome); ``baseline`` maps a forecast to a series of
    the naive baseline's value by vintage, drawn as open squares. Returns the figure."""
    names = [n for n in TITLES if n in set(frame["forecast"])]
    fig, axes = figure(len(names), columns=1)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, names, strict=True):
        part = frame[frame["forecast"] == name].reset_index(drop=True)
        x = np.arange(len(part))
        ax.errorbar(x, part["median"], yerr=[part["median"] - part["low"], part["high"] - part["median"]],
                    fmt="o", color=ROLE_COLOURS["fit"], capsize=3, label="forecast, 95% interval")
        known = part["outcome"].notna()
        ax.plot(x[known], part.loc[known, "outcome"].astype(float), "x", ms=9, mew=2,
                color=evidence_colour("outcome"), label="outcome")
        if baseline is not None and name in baseline:
            ax.plot(x, baseline[name].to_numpy(dtype=float), "s", mfc="none", color=evidence_colour("baseline"),
                    label="naive baseline")
        ax.set_xticks(x, [f"{d}\n{t}" for d, t in zip(part["as_of"], part["target"], strict=True)], fontsize=7)
        ax.set_title(TITLES[name], fontsize=9)
        ax.set_ylabel("USD bn")
    legend_below(axes[-1], ncols=3)
    return fig


def estimates_by_vintage(frame: pd.DataFrame):
    """The elasticity estimates (left) and the demand growth drawn with the combined one (right)
    at each vintage, medians with 95% intervals. ``frame`` is the estimates frame of
    :func:`model.calibration.backtest.backtest_with_estimates`. Returns the figure."""
    fig, (left, right) = figure(2)
    x = np.arange(len(frame))
    offsets = np.linspace(-0.24, 0.24, len(ESTIMATES))
    for offset, (key, label) in zip(offsets, ESTIMATES.items(), strict=True):
        mid = frame[key].to_numpy(dtype=float)
        if np.all(np.isnan(mid)):
            continue
        err = [mid - frame[f"{key}_lo"].to_numpy(dtype=float), frame[f"{key}_hi"].to_numpy(dtype=float) - mid]
        left.errorbar(x + offset, mid, yerr=err, fmt="o", ms=4, capsize=2,
                      color=evidence_colour(COLOUR_OF[key]), label=label)
    left.axhline(1.0, color=ROLE_COLOURS["reference"], lw=0.8)
    left.set_ylabel("elasticity ε")
    left.set_xticks(x, frame["as_of"], rotation=45, fontsize=7)
    legend_below(left, ncols=2)
    g = frame["demand_growth"].to_numpy(dtype=float)
    right.errorbar(x, g, yerr=[g - frame["demand_growth_lo"], frame["demand_growth_hi"] - g], fmt="o",
                   capsize=3, color=evidence_colour("capex"), label="demand growth g (combined ε)")
    right.set_ylabel("demand growth g per year")
    right.set_xticks(x, frame["as_of"], rotation=45, fontsize=7)
    legend_below(right, ncols=1)
    return fig
