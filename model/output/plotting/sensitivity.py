"""Figures of the sensitivity analysis: tornado charts and fan charts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from model.analysis.sensitivity import TORNADO_QUANTILES
from model.output.plotting.style import PANEL_HEIGHT, ROLE_COLOURS, auto_log_axis, figure, sentence


def tornado(table: pd.DataFrame, ax=None, xlabel: str | None = None, value_format: str = ".3g"):
    """Horizontal bars from the central output to the output at each input's low and high value.

    ``table`` is a :func:`model.analysis.sensitivity.tornado` table. The largest swing is at the
    top; each bar is labelled with the input's low and high values. Returns the axes.
    """
    if ax is None:
        _, ax = figure(height=max(PANEL_HEIGHT, 0.45 * len(table) + 1.2))
    central = table.attrs["central"]
    rows = np.arange(len(table))[::-1]  # largest swing on top
    low_colour, high_colour = ROLE_COLOURS["low"], ROLE_COLOURS["high"]
    for y, (_, row) in zip(rows, table.iterrows(), strict=True):
        for value, colour in ((row["output_low"], low_colour), (row["output_high"], high_colour)):
            ax.barh(y, value - central, left=central, color=colour, height=0.6)
    ax.set_yticks(rows, [f"{r.label} ({r.low:{value_format}} to {r.high:{value_format}})"
                         for r in table.itertuples()])
    ax.axvline(central, color=ROLE_COLOURS["reference"], lw=0.8)
    ax.grid(axis="y", visible=False)
    low_q, high_q = table.attrs.get("quantiles", TORNADO_QUANTILES)
    handles = [Patch(color=low_colour, label=f"Input at its {low_q:.0%} quantile"),
               Patch(color=high_colour, label=f"Input at its {high_q:.0%} quantile")]
    ax.legend(handles=handles, loc="lower right")
    if xlabel:
        ax.set_xlabel(sentence(xlabel))
    return ax


def fan(quantiles: pd.DataFrame, variable: str, ax=None, colour: str | None = None,
        label: str | None = None, ylabel: str | None = None, log: bool = False):
    """A fan chart of one variable from :func:`model.analysis.sensitivity.fan_quantiles`: the
    median line with the 25-75% and 5-95% bands (the outer quantile columns of the frame).

    Returns the axes.
    """
    if ax is None:
        _, ax = figure()
    frame = quantiles.loc[variable]
    years = frame.index.to_numpy()
    columns = list(frame.columns)
    colour = colour or ROLE_COLOURS["band"]
    mid = len(columns) // 2
    for k in range(mid):  # outer band first
        alpha = 0.18 + 0.22 * k / max(mid - 1, 1)
        ax.fill_between(years, frame[columns[k]], frame[columns[-1 - k]], color=colour,
                        alpha=alpha, lw=0, label=f"{columns[k]}–{columns[-1 - k]}")
    ax.plot(years, frame[columns[mid]], color=colour, lw=2, label=label or f"Median ({columns[mid]})")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years
    if log:  # ticks to suit the range: 1-2-5, powers of ten, or 10^k beyond a million
        auto_log_axis(ax, "y")
    if ylabel:
        ax.set_ylabel(sentence(ylabel))
    return ax


def fan_pair(quantiles: pd.DataFrame, variables: dict[str, str], colour: str | None = None,
             log: bool = True):
    """Two :func:`fan` charts side by side, one per variable of ``variables`` (name -> y label),
    the years on the x axis and the bands' legend on the first. Returns the figure."""
    fig, axes = figure(2)
    for ax, (name, label) in zip(axes, variables.items(), strict=True):
        fan(quantiles, name, ax=ax, colour=colour, ylabel=label, log=log)
        ax.set_xlabel("Year")
    axes[0].legend(loc="upper left")
    return fig
