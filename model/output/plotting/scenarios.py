"""Figures of the scenarios chapter and the ECP/FFT chapter under bounded demand.

Every spend figure here draws the budget (world GDP by default) beside the paths, so a reader
sees how far each scenario is from it. Each function takes results (arrays, frames) and returns
the axes (or the figure when it has several panels); none computes anything but the drawing.
Lines of a shipped scenario take its :func:`~model.output.plotting.style.scenario_colour`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from model.output.plotting.style import (
    ROLE_COLOURS,
    auto_log_axis,
    figure,
    legend_below,
    log_axis,
    scenario_colour,
    scenario_label,
    sentence,
)

SPEND_LABEL = "Compute spend (USD bn)"
SHARE_LABEL = "Share of the budget (%)"
SIGMA_LABEL = r"Elasticity of substitution, $\sigma$"
BUDGET_LABEL = "Budget (world GDP)"

#: the scenarios chapter's panels: the DeepSeek shock under different elasticities, under other
#: demand forms and upward-sloping supply, and the two analogies (every shipped scenario is in one)
SCENARIO_GROUPS = {
    "elasticity": ["baseline", "deepseek", "inelastic", "jevons", "montecarlo"],
    "demand form and supply": ["deepseek", "saturating", "segments", "partial-adjustment",
                               "supply-constrained"],
    "analogies": ["baseline", "ecp-60x", "fft"],
    "the fit": ["baseline", "fitted"],
}


def _axes(ax):
    return figure()[1] if ax is None else ax


def _year_axis(ax) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Year")


def _percent_tick(value: float, _pos=None) -> str:
    """A log-axis tick in percent: 0.001, 0.1, 10, 1,000."""
    if value <= 0 or not np.isfinite(value):
        return ""
    return f"{value:,.0f}" if value >= 1 else f"{value:.{max(0, -int(np.floor(np.log10(value))))}f}"


def _percent_log_axis(ax, which: str = "y") -> None:
    """A log scale in percent with a tick at each power of ten, written as a plain number."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("log")
    axis.set_major_formatter(FuncFormatter(_percent_tick))


def _budget_line(ax, years, budget) -> None:
    ax.plot(years, budget, color=ROLE_COLOURS["reference"], lw=1.2, ls="--", label=BUDGET_LABEL)


def paths_with_budget(years, paths: Mapping[str, np.ndarray], budget=None,
                      ylabel: str = SPEND_LABEL, labels: Mapping[str, str] | None = None,
                      ax=None, legend_title: str | None = None, styles: Mapping[str, str] | None = None):
    """One line per scenario (``paths``: name -> values by year) in the scenario's colour, on a
    log scale, with the ``budget`` path dashed when given; the legend sits under the axes."""
    ax = _axes(ax)
    for name, path in paths.items():
        ax.plot(years, path, color=scenario_colour(name), ls=(styles or {}).get(name, "-"),
                label=sentence((labels or {}).get(name, scenario_label(name))))
    if budget is not None:
        _budget_line(ax, years, budget)
    auto_log_axis(ax, "y")
    _year_axis(ax)
    ax.set_ylabel(sentence(ylabel))
    legend_below(ax, ncols=4, title=sentence(legend_title))
    return ax


def scenario_panels(paths: pd.DataFrame, ylabel: str, budget=None,
                    labels: Mapping[str, str] | None = None,
                    groups: Mapping[str, Sequence[str]] = SCENARIO_GROUPS):
    """Stacked panels of scenario paths (a :func:`model.output.tables.median_paths` frame), one
    per group of scenario names (default :data:`SCENARIO_GROUPS`, the group's name as the
    legend's title), on log scales, with the ``budget`` path (by year) dashed in every panel when
    given. Returns the figure."""
    fig, axes = figure(len(groups), columns=1, sharex=True, height=3.2 * len(groups) + 0.6)
    for ax, (title, members) in zip(np.atleast_1d(axes), groups.items(), strict=True):
        paths_with_budget(paths.index, {n: paths[n] for n in members}, budget, ylabel, labels,
                          ax=ax, legend_title=title)
        ax.legend(title=sentence(title), loc="upper left", bbox_to_anchor=(1.0, 1.0), alignment="left")
    for ax in np.atleast_1d(axes)[:-1]:
        ax.set_xlabel("")
    return fig


def budget_shares(table: pd.DataFrame, year: int, base_share: float | None = None, ax=None):
    """Compute's share of the budget in ``year``, one dot per scenario (a
    :func:`model.output.scenario_tables.budget_share_table`, in percent), sorted, on a log scale;
    a line through the dot spans ``share_low`` to ``share_high`` where they are given (Monte
    Carlo); the whole budget (100%) is dashed and the base-year share ``base_share`` dotted."""
    if ax is None:
        _, ax = figure(height=0.32 * len(table) + 1.6)
    ordered = table.sort_values("share")
    y = np.arange(len(ordered))
    for k, (name, row) in enumerate(ordered.iterrows()):
        colour = scenario_colour(name)
        if np.isfinite(row["share_low"]):
            ax.plot([row["share_low"], row["share_high"]], [k, k], color=colour, lw=2.5, alpha=0.6)
        ax.plot(row["share"], k, "o", color=colour, ms=7, mec=ROLE_COLOURS["reference"], mew=0.6)
    ax.axvline(100.0, color=ROLE_COLOURS["reference"], lw=1.2, ls="--")
    if base_share is not None:
        ax.axvline(base_share, color=ROLE_COLOURS["reference"], lw=1, ls=":")
    ax.set_yticks(y, [scenario_label(name) for name in ordered.index])
    ax.grid(axis="y", visible=False)
    _percent_log_axis(ax, "x")
    ax.set_xlabel(f"Compute spend as a share of the budget in {year} (%)")
    return ax


def spend_fan(spend: pd.DataFrame, share: pd.DataFrame, budget, scenario: str = "montecarlo"):
    """Two panels of fan charts by year (frames of :func:`model.output.scenario_tables.
    quantile_paths`, columns p05, p25, p50, p75, p95): compute spend with the ``budget`` dashed
    (left) and its share of the budget in percent (right), on log scales. Returns the figure."""
    colour = scenario_colour(scenario)
    fig, (left, right) = figure(2, height=3.9)
    for ax, frame in ((left, spend), (right, share)):
        years = frame.index.to_numpy()
        ax.fill_between(years, frame["p05"], frame["p95"], color=colour, alpha=0.25, lw=0,
                        label="5-95%")
        ax.fill_between(years, frame["p25"], frame["p75"], color=colour, alpha=0.5, lw=0,
                        label="25-75%")
        ax.plot(years, frame["p50"], color=ROLE_COLOURS["reference"], label="Median")
        _year_axis(ax)
    _budget_line(left, spend.index.to_numpy(), budget)
    log_axis(left, "y", subs=(1.0,))
    left.set_ylabel(SPEND_LABEL)
    right.axhline(100.0, color=ROLE_COLOURS["reference"], lw=1.2, ls="--")
    _percent_log_axis(right, "y")
    right.set_ylabel(SHARE_LABEL)
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return fig


def substitution_sweep(sweep: pd.DataFrame, years: Sequence[int], base_spend: float,
                       budgets: Mapping[int, float], prior: tuple[float, float] | None = None, ax=None):
    """Spend against the substitution elasticity in a few ``years`` (a
    :func:`model.output.tables.sweep_table`), with each year's budget dotted in the year's
    colour, base-year spend dashed, sigma = 1 dotted and the prior's interval ``prior`` shaded."""
    ax = _axes(ax)
    if prior is not None:
        ax.axvspan(*prior, color=ROLE_COLOURS["band"], alpha=0.18, lw=0, label="Prior, 95% interval")
    for year in years:
        (line,) = ax.plot(sweep.index, sweep[year], label=str(year))
        ax.axhline(budgets[year], color=line.get_color(), lw=1, ls=":")
    ax.axhline(base_spend, color=ROLE_COLOURS["reference"], lw=1, ls="--", label="Base-year spend")
    ax.axvline(1.0, color=ROLE_COLOURS["reference"], lw=1, ls=":")
    ax.plot([], [], color=ROLE_COLOURS["reference"], lw=1, ls=":", label="Budget of the year")
    auto_log_axis(ax, "y")
    ax.set_xlabel(SIGMA_LABEL)
    ax.set_ylabel(SPEND_LABEL)
    ax.legend(loc="lower right")
    return ax


def spend_grid(paths: Mapping[tuple[float, float], np.ndarray], baseline, budget=None, ax=None):
    """Spend paths for a grid of (substitution elasticity, gain) over the years of the
    ``baseline`` engine result: one colour per sigma, one line style per gain, the baseline's
    compute spend and the ``budget`` dashed (the sliders' static equivalent)."""
    if ax is None:
        _, ax = figure(height=4.6)
    years = baseline.years
    sigmas = sorted({e for e, _ in paths})
    gains = sorted({s for _, s in paths})
    styles = dict(zip(gains, ("-", "--", ":", "-."), strict=False))
    for (e, s), path in paths.items():
        ax.plot(years, path, ls=styles[s], color=f"C{sigmas.index(e)}",
                label=fr"$\sigma$ = {e:g}, $S$ = {s:g}x")
    ax.plot(years, baseline.variables["compute_spend"][0], color=scenario_colour("baseline"),
            label="Baseline")
    if budget is not None:
        _budget_line(ax, years, budget)
    auto_log_axis(ax, "y")
    _year_axis(ax)
    ax.set_ylabel(SPEND_LABEL)
    legend_below(ax, ncols=3)
    return ax


# --- the ECP and the FFT ------------------------------------------------------------------------
def useful_work_per_flop(paths: pd.DataFrame, start: float, end: float, ax=None):
    """Useful work per FLOP by year for the baseline and the ECP in its two modes (a frame with
    columns ``baseline``, ``replace``, ``add``, base year = 1), on a log scale, with the
    programme from ``start`` to ``end`` shaded."""
    ax = _axes(ax)
    ax.axvspan(start, end, color=ROLE_COLOURS["band"], alpha=0.15, lw=0, label="Programme")
    ax.plot(paths.index, paths["baseline"], color=scenario_colour("baseline"),
            label="Baseline (trend only)")
    ax.plot(paths.index, paths["replace"], color=scenario_colour("ecp-60x"),
            label="ECP, replacing the trend (default)")
    ax.plot(paths.index, paths["add"], color=scenario_colour("ecp-60x"), ls="--",
            label="ECP, stacked on the trend")
    auto_log_axis(ax, "y")
    _year_axis(ax)
    ax.set_ylabel("Useful work per FLOP (2024 = 1)")
    ax.legend(loc="upper left")
    return ax


def ratio_by_substitution(ratios: pd.DataFrame, ax=None):
    """Spend relative to a reference path, one line per substitution elasticity (a
    :func:`model.output.tables.sweep_ratio_table` over ``demand.substitution``), log scale."""
    ax = _axes(ax)
    for sigma, path in ratios.iterrows():
        ax.plot(ratios.columns, path.to_numpy(), label=fr"$\sigma$ = {sigma:g}")
    ax.axhline(1.0, color=ROLE_COLOURS["reference"], lw=1, ls="--")
    log_axis(ax, "y", subs=(1.0, 2.0, 5.0))
    _year_axis(ax)
    ax.set_ylabel("Spend / baseline spend")
    ax.legend(ncols=2, loc="lower left")
    return ax


def fft_budget(frame: pd.DataFrame, scenario: str = "fft"):
    """The FFT scenario with and without the budget (a
    :func:`model.output.scenario_tables.fft_budget_frame`): compute spend beside the budget
    (left) and spend as a share of the budget, 100% dashed (right), both on log scales.
    Returns the figure."""
    colour = scenario_colour(scenario)
    fig, (left, right) = figure(2, height=3.9)
    years = frame.index.to_numpy()
    left.plot(years, frame["spend"], color=colour, label="Under the budget")
    left.plot(years, frame["spend_unbounded"], color=colour, ls="--", label="Unbounded (isoelastic)")
    _budget_line(left, years, frame["budget"])
    right.plot(years, 100 * frame["share"], color=colour)
    right.plot(years, 100 * frame["share_unbounded"], color=colour, ls="--")
    right.axhline(100.0, color=ROLE_COLOURS["reference"], lw=1.2, ls="--")
    for ax in (left, right):
        _year_axis(ax)
    log_axis(left, "y", subs=(1.0,))
    left.set_ylabel(SPEND_LABEL)
    _percent_log_axis(right, "y")
    right.set_ylabel("Spend as a share of the budget (%)")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncols=3)
    return fig
