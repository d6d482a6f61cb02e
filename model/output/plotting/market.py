"""Figures of the market evidence: the event study of 27 January 2025 and what the market priced.

Nvidia's own reaction is drawn in ``evidence_colour("market")`` and the same-day peers in
``evidence_colour("peers")`` in every figure. Each function takes results (event-study results,
frames, estimates) and returns the Axes it drew on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from model.output.plotting.style import (
    ROLE_COLOURS,
    evidence_colour,
    figure,
    legend_below,
    log_axis,
)

_REFERENCE = ROLE_COLOURS["reference"]
#: ticker -> the name a legend gives it
FIRM_NAMES = {"NVDA": "Nvidia"}


def _percent(values) -> np.ndarray:
    return 100.0 * np.asarray(values, dtype=float)


def car_path(result, as_of_day: int, as_of_label: str, event_label: str = "27 January 2025"):
    """Daily abnormal returns (bars with their intervals) and the CAR from the first event day
    (line with its band) of one event study, with half the first-day abnormal return and the
    as-of day marked."""
    days = np.array([d.day for d in result.abnormal_returns])
    ar = _percent([d.ar for d in result.abnormal_returns])
    ar_ci = _percent([d.interval for d in result.abnormal_returns])
    car = _percent([d.car for d in result.abnormal_returns])
    car_interval = _percent([d.car_interval for d in result.abnormal_returns])
    colour = evidence_colour("market")
    _, ax = figure(1)
    ax.bar(days, ar, color=colour, alpha=0.35, label="Abnormal return")
    ax.errorbar(days, ar, yerr=[ar - ar_ci[:, 0], ar_ci[:, 1] - ar], fmt="none", ecolor=colour,
                alpha=0.5, lw=1)
    ax.plot(days, car, color=colour, lw=2.2, label="Cumulative abnormal return from day 0")
    ax.fill_between(days, car_interval[:, 0], car_interval[:, 1], color=colour, alpha=0.12, lw=0)
    ax.axhline(0, color=_REFERENCE, lw=0.8)
    ax.axhline(ar[0] / 2, color=_REFERENCE, ls="--", lw=1, label="Half of the day-0 abnormal return")
    ax.axvline(as_of_day, color=_REFERENCE, ls=":", lw=1.5, label=f"As-of date {as_of_label}")
    ax.set_xlabel(f"Trading days after {event_label}")
    ax.set_ylabel("Percent")
    legend_below(ax, ncols=2)
    return ax


def residual_tails(residuals, sigma: float, event_ar: float, event_label: str = "27 January 2025"):
    """Histogram of estimation-window residuals against the normal density with the same
    standard deviation, and the event-day abnormal return (all in percent)."""
    resid = _percent(residuals)
    _, ax = figure(1)
    ax.hist(resid, bins=40, density=True, color=ROLE_COLOURS["data"], alpha=0.55,
            label="Estimation-window residuals")
    grid = np.linspace(min(resid.min(), 100 * event_ar) - 1, resid.max() + 1, 400)
    ax.plot(grid, stats.norm.pdf(grid, 0, 100 * sigma), color=_REFERENCE, lw=1.5,
            label="Normal, same standard deviation")
    ax.axvline(100 * event_ar, color=evidence_colour("market"), lw=2,
               label=f"Abnormal return on {event_label}")
    ax.set_xlabel("Abnormal return (percent)")
    ax.set_ylabel("Density")
    ax.legend(loc="upper left")
    return ax


def cross_section(cross: pd.DataFrame, subject: str = "NVDA", peers: Sequence[str] = (),
                  event_label: str = "27 January 2025"):
    """First-day abnormal returns of a cross-section of firms (bars with intervals), grouped by
    category top to bottom, with the raw returns as crosses.

    ``cross`` is :func:`model.event_study.variants.first_day_cross_section`. The subject is
    drawn in the market colour, ``peers`` in the peers' colour and every other firm (the
    buyers of compute) in grey; each category is named at the right of its group.
    """
    y = np.arange(len(cross))[::-1]
    ar, lo, hi = (_percent(cross[c]) for c in ("ar", "ci_low", "ci_high"))
    kinds = np.where(cross["ticker"] == subject, "subject",
                     np.where(cross["ticker"].isin(list(peers)), "peers", "other"))
    styles = {"subject": (evidence_colour("market"), FIRM_NAMES.get(subject, subject)),
              "peers": (evidence_colour("peers"), "Its peers (sellers of compute)"),
              "other": (ROLE_COLOURS["reference"], "Other firms (buyers of compute)")}
    _, ax = figure(1, height=6.4)
    for kind, (colour, label) in styles.items():
        rows = kinds == kind
        if rows.any():
            ax.barh(y[rows], ar[rows], color=colour, alpha=0.8, label=label)
    ax.errorbar(ar, y, xerr=[ar - lo, hi - ar], fmt="none", ecolor=_REFERENCE, lw=1)
    ax.scatter(_percent(cross["return"]), y, marker="x", color="black", s=25, zorder=3,
               label="Raw return")
    ax.set_yticks(y, cross["ticker"])
    ax.axvline(0, color=_REFERENCE, lw=0.8)
    starts = np.flatnonzero(cross["category"].ne(cross["category"].shift()).to_numpy())
    for start in starts:
        if start:
            ax.axhline(y[start] + 0.5, color=_REFERENCE, lw=0.5, alpha=0.5)
        ax.annotate(cross["category"].iloc[start], (1.0, y[start]), xycoords=("axes fraction", "data"),
                    xytext=(-4, 0), textcoords="offset points", ha="right", va="center",
                    fontsize=8.5, color=_REFERENCE, zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    ax.set_xlabel(f"Abnormal return on {event_label} (percent)")
    ax.set_ylabel("Firm")
    legend_below(ax, ncols=2)
    return ax


def pre_news_paths(comparison, abnormal_return: float, ylim: tuple[float, float] = (-60, 40)):
    """Predicted return on the news against the elasticity for the two ways of fixing the
    pre-news path (:class:`model.calibration.market.PreNewsComparison`), with the abnormal
    return as a dotted line."""
    eps = comparison.elasticity
    _, ax = figure(1)
    ax.plot(eps, _percent(comparison.held_return), color=ROLE_COLOURS["data"], lw=2,
            label="Pre-news path held fixed")
    ax.plot(eps, _percent(comparison.fixed_return), color=ROLE_COLOURS["high"], lw=2, ls="--",
            label="Demand growth held fixed")
    ax.axhline(100 * abnormal_return, color=evidence_colour("market"), ls=":", lw=1.8,
               label="Nvidia's abnormal return")
    ax.axvline(1.0, color=_REFERENCE, lw=0.8)
    ax.set_ylim(*ylim)
    ax.set_xlabel("Price elasticity of demand for compute, ε")
    ax.set_ylabel("Predicted return (percent)")
    ax.legend(loc="upper left")
    return ax


def implied_grid(grid: pd.DataFrame, news_range: tuple[float, float] | None = None,
                 flag_unsolved: float = 0.05):
    """Implied elasticity against the news size (log axis), one line with its band per
    coverage; crosses where more than ``flag_unsolved`` of the draws are unsolved; the shaded
    strip is ``news_range``. ``grid`` is :func:`model.calibration.market.implied_grid`."""
    _, ax = figure(1, height=4.4)
    if news_range is not None:
        ax.axvspan(*news_range, color=ROLE_COLOURS["band"], alpha=0.18, lw=0)
    for k, (phi, rows) in enumerate(grid.groupby("coverage")):
        colour = f"C{k}"
        ax.plot(rows["factor"], rows["elasticity"], color=colour, lw=2, marker="o", ms=4,
                label=f"φ = {phi:.1f}")
        ax.fill_between(rows["factor"], rows["low"], rows["high"], color=colour, alpha=0.13, lw=0)
        flagged = rows[rows["unsolved_share"] > flag_unsolved]
        ax.scatter(flagged["factor"], flagged["elasticity"], marker="x", s=60, color="black", zorder=4)
    ax.axhline(1.0, color=_REFERENCE, lw=1)
    log_axis(ax, "x")
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("News size S (useful work per dollar, multiple)")
    ax.set_ylabel("Implied elasticity ε")
    legend_below(ax, ncols=5)
    return ax


def implied_draws(estimate, source: str = "market"):
    """Histogram of an elasticity estimate's draws with its median (solid), 95% interval
    (dashed) and ε = 1, in the colour of the evidence ``source``."""
    colour = evidence_colour(source)
    _, ax = figure(1)
    ax.hist(estimate.draws, bins=60, color=colour, alpha=0.55)
    ax.axvline(estimate.median, color=colour, lw=2, label="Median")
    for edge in estimate.interval:
        ax.axvline(edge, color=colour, lw=1.2, ls="--")
    ax.axvline(1.0, color="black", lw=1, label="ε = 1")
    ax.set_xlabel("Market-implied elasticity ε")
    ax.set_ylabel("Draws")
    ax.legend(loc="upper left")
    return ax


def peer_exposures(table: pd.DataFrame, common_move: float, abnormal_return: float,
                   groups: Mapping[str, Sequence[str]],
                   label_offsets: Mapping[str, tuple[float, float]] | None = None):
    """Each peer's event-day abnormal return against its pre-event exposure to Nvidia-specific
    news (±2 standard errors), the pooled slope through the origin, and Nvidia's own abnormal
    return as the slope of a dashed line and a star at exposure 1.

    ``table`` is :attr:`model.calibration.peers.PeerEvidence.table`; ``groups`` maps a label to
    its tickers, drawn with the peers' colour and a marker each (filled, then open).
    """
    peers, market = evidence_colour("peers"), evidence_colour("market")
    offsets = dict(label_offsets or {})
    _, ax = figure(1, height=4.6)
    for k, (label, tickers) in enumerate(groups.items()):
        rows = table.loc[list(tickers)]
        ax.errorbar(rows["exposure"], _percent(rows["abnormal_return"]), xerr=2 * rows["exposure_se"],
                    fmt="os"[k % 2], color=peers, mfc=peers if k % 2 == 0 else "white", ms=6, lw=1,
                    label=label)
    for t, row in table.iterrows():
        ax.annotate(t, (row["exposure"], 100 * row["abnormal_return"]), textcoords="offset points",
                    xytext=offsets.get(t, (5, 4)), fontsize=9)
    x = np.linspace(0, 1.05, 50)
    ax.plot(x, 100 * common_move * x, color=peers, lw=1.8, label="Pooled slope F̂")
    ax.plot(x, 100 * abnormal_return * x, color=market, lw=1.5, ls="--",
            label="Slope = Nvidia's own abnormal return")
    ax.scatter([1.0], [100 * abnormal_return], marker="*", s=160, color=market, zorder=4,
               label="Nvidia")
    ax.axhline(0, color=_REFERENCE, lw=0.6)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("Exposure to Nvidia-specific news before the event, b")
    ax.set_ylabel("Abnormal return on 27 January 2025 (percent)")
    legend_below(ax, ncols=2)
    return ax


GROUP_LABELS = {"sellers": "sellers of compute", "power_cooling": "power and cooling", "buyers": "buyers",
                "placebo": "placebo"}


def decomposition_fit(decomposition):
    """Each firm's abnormal return on the event day (bars) against the part the channels
    explain (dots), firms grouped as the decomposition groups them (percent)."""
    firms = decomposition.firms
    x = np.arange(len(firms))
    groups = list(dict.fromkeys(f.group for f in firms))
    colours = {g: c for g, c in zip(groups, (evidence_colour("market"), evidence_colour("peers"),
                                             evidence_colour("capex"), _REFERENCE), strict=False)}
    _, ax = figure(1)
    for g in groups:
        idx = [i for i, f in enumerate(firms) if f.group == g]
        ax.bar(x[idx], _percent([firms[i].ar for i in idx]), color=colours[g], alpha=0.55,
               label=f"Abnormal return: {GROUP_LABELS.get(g, g)}")
    ax.plot(x, _percent([f.fitted for f in firms]), "o", color=evidence_colour("combined"),
            ms=5, label="Explained by the four channels")
    ax.axhline(0, color=_REFERENCE, lw=0.8)
    ax.set_xticks(x, [f.ticker for f in firms], rotation=45, ha="right")
    ax.set_ylabel("Percent, 27 January 2025")
    legend_below(ax, ncols=2)
    return ax


def quantity_likelihood(quantity, single=None, max_elasticity: float = 1.6):
    """The market-implied density of eps from the quantity channel (the likelihood under a flat
    prior) and, if given, the histogram of the single-channel estimate's draws."""
    grid, p = quantity.grid_estimate.grid, quantity.grid_estimate.probabilities
    step = grid[1] - grid[0]
    _, ax = figure(1)
    if single is not None:
        ax.hist(single.draws, bins=np.arange(0, max_elasticity + 0.02, 0.02), density=True,
                color=evidence_colour("peers"), alpha=0.35, label="Single channel: Nvidia's whole move, raw S")
    ax.plot(grid, p / step, color=evidence_colour("market"), lw=2.2,
            label="Quantity channel, S over trend (headline)")
    ax.axvline(1.0, color=_REFERENCE, lw=0.8)
    ax.set_xlim(0, max_elasticity)
    ax.set_xlabel("Elasticity ε")
    ax.set_ylabel("Density")
    ax.legend(loc="upper left")
    return ax
