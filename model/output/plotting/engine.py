"""Figures of the model chapters: demand curves, hardware price curves, the ECP and FFT
analogies, and the shipped scenarios.

Each function takes results (arrays, frames, fits) and returns the axes (or the figure when it
has several panels); none computes anything but the drawing. Lines of a shipped scenario take
its :func:`~model.output.plotting.style.scenario_colour`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from model.output.plotting.style import (
    EVIDENCE_COLOURS,
    ROLE_COLOURS,
    SCENARIO_COLOURS,
    figure,
    legend_below,
    log_axis,
    precision_colour,
    precision_label,
    scenario_colour,
    scenario_label,
    sentence,
    wide_log_axis,
)

EPSILON_LABEL = r"Price elasticity of demand for useful work, $\varepsilon$"
SPEND_LABEL = "Compute spend (USD bn)"


def _reference_lines(ax, y: float | None = None, x: float | None = None) -> None:
    """A dashed horizontal reference at ``y`` and a dotted vertical one at ``x``."""
    if y is not None:
        ax.axhline(y, color=ROLE_COLOURS["reference"], lw=1, ls="--")
    if x is not None:
        ax.axvline(x, color=ROLE_COLOURS["reference"], lw=1, ls=":")


def _year_axis(ax) -> None:
    """Calendar years on the x axis, as whole numbers."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Year")


def _wide_log_axis(ax, which: str = "y") -> None:
    """A log scale for quantities that span many orders of magnitude (FLOP, prices near zero):
    a tick at each power of ten only, written as a plain number where that stays short
    (0.001 to 1,000,000) and as 10ᵏ beyond (:func:`~model.output.plotting.style.wide_log_axis`)."""
    wide_log_axis(ax, which)


def _axes(ax):
    return figure()[1] if ax is None else ax


def spend_multipliers(grid: pd.DataFrame, ax=None):
    """Long-run spend multiplier against the elasticity, one line per gain S
    (a :func:`model.output.tables.spend_multipliers` grid), with the threshold at one."""
    ax = _axes(ax)
    for s in grid.columns:
        ax.plot(grid.index, grid[s], label=f"Gain $S$ = {s:g}x")
    _reference_lines(ax, y=1.0, x=1.0)
    log_axis(ax, "y")
    ax.set_xlabel(EPSILON_LABEL)
    ax.set_ylabel("Spend after / spend before")
    ax.legend()
    return ax


def saturating_elasticity(curves: pd.DataFrame, ax=None):
    """Point elasticity of saturating demand against the price, one line per saturation price
    (a :func:`model.output.tables.saturating_elasticity_curves` frame)."""
    ax = _axes(ax)
    for ps in curves.columns:
        ax.plot(curves.index, curves[ps], label=f"$p_{{sat}}$ = {ps:g}")
    ax.axhline(1.0, color=ROLE_COLOURS["reference"], lw=1, ls=":")
    _wide_log_axis(ax, "x")
    ax.set_xlabel("Price of useful work (base year = 1)")
    ax.set_ylabel(r"Point elasticity $\varepsilon(p)$")
    ax.legend()
    return ax


def partial_adjustment(ratios: pd.DataFrame, ax=None):
    """Spend with a gain over spend without, one line per persistence weight lambda (a
    :func:`model.output.tables.partial_adjustment_spend_ratios` frame)."""
    ax = _axes(ax)
    for lam, path in ratios.iterrows():
        ax.plot(ratios.columns, path.to_numpy(), marker="o", ms=3, label=fr"$\lambda$ = {lam:g}")
    _reference_lines(ax, y=1.0)
    _year_axis(ax)
    ax.set_ylabel("Spend with the gain / spend without")
    ax.legend()
    return ax


def spend_fan(summary: pd.DataFrame, base_spend: float, scenario: str = "montecarlo", ax=None):
    """Fan chart of compute spend from a :func:`model.output.results_files.summary_frame`
    indexed by year (columns p05, p25, p50, p75, p95), with base-year spend dashed."""
    ax = _axes(ax)
    colour = scenario_colour(scenario)
    years = summary.index.to_numpy()
    ax.fill_between(years, summary["p05"], summary["p95"], color=colour, alpha=0.2, lw=0,
                    label="5–95% of draws")
    ax.fill_between(years, summary["p25"], summary["p75"], color=colour, alpha=0.4, lw=0,
                    label="25–75% of draws")
    ax.plot(years, summary["p50"], color=colour, label="Median")
    _reference_lines(ax, y=base_spend)
    log_axis(ax, "y", subs=(1.0,))
    _year_axis(ax)
    ax.set_ylabel(SPEND_LABEL)
    ax.legend(loc="upper left")
    return ax


# --- hardware -----------------------------------------------------------------------------------
def hardware_fit(fit, ax=None):
    """Launch price-performance of the chips of a
    :class:`model.calibration.hardware_fit.HardwareFit`, coloured by the performance figure
    used, with the OLS line, its 95% confidence band and the 95% prediction band."""
    if ax is None:
        _, ax = figure(height=4.8)
    line = fit.line
    band = ROLE_COLOURS["band"]
    ax.fill_between(line["year"], line["pi_low"], line["pi_high"], color=band, alpha=0.15, lw=0,
                    label="95% prediction band")
    ax.fill_between(line["year"], line["ci_low"], line["ci_high"], color=band, alpha=0.4, lw=0,
                    label="95% confidence band")
    ax.plot(line["year"], line["fitted"], color=ROLE_COLOURS["fit"],
            label=f"OLS fit, doubling every {fit.doubling_years:.2f} years")
    for source, chips in fit.chips.groupby("performance_source", sort=True):
        ax.scatter(chips["year"], chips["log2_flops_per_usd"], s=22, zorder=3,
                   label=f"Chips measured at {precision_label(source)}",
                   color=precision_colour(source))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Release date (year)")
    ax.set_ylabel("FLOP/s per US dollar (log₂)")
    legend_below(ax)
    return ax


def doubling_time_history(history: pd.DataFrame, anchor: pd.Series, ax=None):
    """The fitted doubling time as of several dates (a
    :func:`model.calibration.hardware_fit.fits_table`) with conventional and HC3 95% intervals,
    beside a published estimate ``anchor`` (``doubling (years)``, ``95% low``, ``95% high``)
    drawn as a band."""
    if ax is None:
        _, ax = figure(height=4.2)
    x = np.arange(len(history), dtype=float)  # evenly spaced: close as-of dates stay apart
    y = history["doubling_years"].to_numpy()
    for shift, low, high, label, colour in [
        (-0.1, "interval_low", "interval_high", "Conventional 95% interval", ROLE_COLOURS["data"]),
        (0.1, "interval_hc3_low", "interval_hc3_high", "HC3 95% interval", ROLE_COLOURS["fit"]),
    ]:
        errors = np.vstack([y - history[low], history[high] - y])
        ax.errorbar(x + shift, y, yerr=errors, fmt="o", color=colour, capsize=3, label=label)
    prior = EVIDENCE_COLOURS["prior"]
    ax.axhspan(anchor["95% low"], anchor["95% high"], color=prior, alpha=0.2,
               label="Epoch AI 2022, all GPUs (95% interval)")
    ax.axhline(anchor["doubling (years)"], color=prior, lw=1)
    ax.set_xticks(x, [d.date().isoformat() for d in history["as_of"]], rotation=30, ha="right")
    ax.set_xlabel("As-of date")
    ax.set_ylabel("Doubling time of FLOP/s per dollar (years)")
    ax.legend()
    return ax


# --- the ECP and the FFT ------------------------------------------------------------------------
def fft_speedup(sizes_log2, speedups, marker_log2: float, marker_speedup: float, ax=None):
    """Speed-up of the FFT over the direct transform against the problem size n = 2^x, with a
    marker at one size."""
    ax = _axes(ax)
    ax.plot(np.exp2(sizes_log2), speedups, color=ROLE_COLOURS["data"])
    ax.plot(2.0 ** marker_log2, marker_speedup, "o", color=ROLE_COLOURS["fit"])
    ax.set_xscale("log", base=2)
    _wide_log_axis(ax, "y")
    ax.set_xlabel("Problem size n")
    ax.set_ylabel("Speed-up of the FFT over the direct method")
    return ax


def problem_sizes(sizes: pd.DataFrame, ax=None):
    """Problem size chosen by users (log2 n) by year, one line per cap n_max (a
    :func:`model.output.tables.sweep_table` of ``problem_size_log2`` over ``fft.n_max_log2``),
    with the caps dotted."""
    ax = _axes(ax)
    for cap, path in sizes.iterrows():
        (line,) = ax.plot(sizes.columns, path.to_numpy(), label=fr"Cap $n_{{max}} = 2^{{{cap:g}}}$")
        ax.axhline(cap, color=line.get_color(), lw=1, ls=":")
    _year_axis(ax)
    ax.set_ylabel(r"Problem size, $\log_2 n$")
    ax.legend()
    return ax


# --- scenarios -----------------------------------------------------------------------------------
def scenario_paths(years, paths: Mapping[str, np.ndarray], ylabel: str = SPEND_LABEL,
                   labels: Mapping[str, str] | None = None, ax=None, legend_title: str | None = None):
    """One line per shipped scenario (``paths``: name -> values by year) in the scenario's
    colour, on a log scale."""
    ax = _axes(ax)
    for name, path in paths.items():
        ax.plot(years, path, color=scenario_colour(name),
                label=sentence((labels or {}).get(name, scenario_label(name))))
    _wide_log_axis(ax, "y")
    _year_axis(ax)
    ax.set_ylabel(sentence(ylabel))
    ax.legend(title=sentence(legend_title))
    return ax


#: the scenario chapter's panels: the DeepSeek shock under different elasticities, under other
#: demand forms and a supply cap, and the two analogies (every shipped scenario is in one)
SCENARIO_PANELS = {
    "elasticity": ["baseline", "deepseek", "inelastic", "jevons", "montecarlo"],
    "demand form and supply": ["deepseek", "saturating", "segments", "partial-adjustment",
                               "supply-constrained"],
    "analogies": ["baseline", "ecp-60x", "fft"],
}


def spend_against_baseline(path, baseline, label: str = "with these values",
                           scenario: str = "deepseek", ax=None):
    """One spend path (values over the years of ``baseline``) in a scenario's colour beside
    compute spend of the ``baseline`` engine result (the live slider's figure)."""
    return scenario_paths(baseline.years,
                          {scenario: path, "baseline": baseline.variables["compute_spend"][0]},
                          labels={scenario: label}, ax=ax)


# --- the bounded demand model (the Jevons-model chapter) ----------------------------------------
SHARE_LABEL = "compute's share of the budget (%)"


def elasticity_by_share(curves: pd.DataFrame, base_share: float,
                        limits: Mapping[tuple[float, float], float] | None = None, ax=None):
    """Point elasticity of budget-share demand against compute's budget share (a
    :func:`model.output.demand_tables.elasticity_by_share` frame, shares as fractions, drawn in
    percent on a log axis): one colour per substitution sigma, solid for eta = 1 and dashed
    otherwise, with the base-year share dotted, an elasticity of one dashed and a dot at each
    backfire limit s* in ``limits`` ((sigma, eta) -> s*)."""
    ax = _axes(ax)
    sigmas = sorted({sigma for sigma, _ in curves.columns}, reverse=True)
    share = 100 * curves.index.to_numpy()
    for sigma, eta in curves.columns:
        colour = f"C{sigmas.index(sigma)}"
        ax.plot(share, curves[(sigma, eta)], color=colour, ls="-" if eta == 1.0 else "--",
                label=fr"$\sigma$ = {sigma:g}, $\eta$ = {eta:g}")
        s_star = (limits or {}).get((sigma, eta))
        if s_star is not None and np.isfinite(s_star):
            ax.plot(100 * s_star, 1.0, "o", color=colour, ms=5)
    _reference_lines(ax, y=1.0, x=100 * base_share)
    log_axis(ax, "x", subs=(1.0,))
    ax.set_xlabel(SHARE_LABEL)
    ax.set_ylabel(r"Point elasticity $\varepsilon = (1-s)\,\sigma + s\,\eta$")
    legend_below(ax, ncols=3)
    return ax


def spend_against_budget(paths: pd.DataFrame, substitution: float, scenario: str = "jevons",
                         horizon: float | None = None, ax=None):
    """Compute spend under budget-share and isoelastic demand with the same sigma beside the
    budget (a :func:`model.output.demand_tables.spend_against_budget` frame), on a log scale,
    with the year ``horizon`` dotted."""
    ax = _axes(ax)
    years = paths.index.to_numpy()
    ax.plot(years, paths["isoelastic"], color=ROLE_COLOURS["data"],
            label=fr"Isoelastic, $\varepsilon$ = {substitution:g}")
    ax.plot(years, paths["budget share"], color=scenario_colour(scenario),
            label=fr"Budget share, $\sigma$ = {substitution:g}, $\eta$ = 1")
    ax.plot(years, paths["budget"], color=ROLE_COLOURS["reference"], ls="--",
            label="Budget: world GDP (nominal, price index unchanged)")
    _reference_lines(ax, x=horizon)
    _wide_log_axis(ax, "y")
    _year_axis(ax)
    ax.set_ylabel(SPEND_LABEL)
    ax.legend(loc="upper left")
    return ax


def ratio_paths(ratios: pd.DataFrame, ylabel: str, labels: Mapping[str, str] | None = None, ax=None):
    """Paths relative to a reference path, one line per column (a
    :func:`model.output.demand_tables.news_ratios` or ``segment_news_ratios`` frame): a shipped
    scenario in its colour, ``total`` in the reference colour, anything else from the palette;
    the reference (one) dashed."""
    ax = _axes(ax)
    _reference_lines(ax, y=1.0)  # first, so a path at one stays visible
    for k, name in enumerate(ratios.columns):
        if name in SCENARIO_COLOURS:
            colour = scenario_colour(name)
        elif name == "total":
            colour = ROLE_COLOURS["reference"]
        else:
            colour = f"C{k}"
        ax.plot(ratios.index, ratios[name], color=colour, marker="o", ms=3,
                label=sentence((labels or {}).get(name, scenario_label(name))))
    _year_axis(ax)
    ax.set_ylabel(sentence(ylabel))
    ax.legend()
    return ax


def supply_multipliers(grid: pd.DataFrame, elastic: pd.Series | None = None, ax=None):
    """Long-run spend multiplier against the elasticity, one line per supply elasticity eta_s (a
    :func:`model.output.demand_tables.supply_spend_multipliers` grid), with perfectly elastic
    supply (``elastic``, the isoelastic S^(eps - 1)) in the reference colour."""
    ax = _axes(ax)
    for eta in grid.columns:
        ax.plot(grid.index, grid[eta], label=fr"$\eta_s$ = {eta:g}")
    if elastic is not None:
        ax.plot(elastic.index, elastic.to_numpy(), color=ROLE_COLOURS["reference"],
                label=r"Elastic supply, $\eta_s \to \infty$")
    _reference_lines(ax, y=1.0, x=1.0)
    log_axis(ax, "y")
    ax.set_xlabel(EPSILON_LABEL)
    ax.set_ylabel("Spend after / spend before")
    ax.legend()
    return ax


def supply_rents(run, scenario: str = "supply-constrained"):
    """Two panels of an upward-sloping-supply engine result (first draw): the markup on the trend
    cost of a FLOP (left; one dashed) and the scarcity rent, spend x (1 - 1/markup), in USD bn
    (right; zero dashed). Returns the figure."""
    years = run.years
    colour = scenario_colour(scenario)
    fig, (ax1, ax2) = figure(2)
    ax1.plot(years, run.variables["scarcity_markup"][0], color=colour, marker="o", ms=3)
    _reference_lines(ax1, y=1.0)
    _year_axis(ax1)
    ax1.set_ylabel("Markup on the trend cost of a FLOP (x)")
    ax2.plot(years, run.variables["scarcity_rent"][0], color=colour, marker="o", ms=3)
    _reference_lines(ax2, y=0.0)
    _year_axis(ax2)
    ax2.set_ylabel("Scarcity rent (USD bn)")
    return fig
