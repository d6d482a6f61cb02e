"""Every figure of the book, drawn in one house style (:mod:`model.output.plotting.style`).

Importing this package applies the style. Chapters call the functions here and never set
colours, sizes or fonts themselves::

    from model.output import plotting as plots
    ax = plots.tornado(table, xlabel="compute spend in 2030 (USD bn)")

The figure functions are grouped by topic: :mod:`~model.output.plotting.engine` (the model
chapters), :mod:`~model.output.plotting.market` (the event study and what the market priced),
:mod:`~model.output.plotting.fit` (capex plans, combination, forecasts),
:mod:`~model.output.plotting.sensitivity` (tornado and fan charts) and
:mod:`~model.output.plotting.interactive` (Plotly figures with sliders for the static book), e.g.
``plots.market.cross_section(...)``; the most used are re-exported here.
"""

from __future__ import annotations

from model.output.plotting import engine, fit, interactive, market, sensitivity
from model.output.plotting.sensitivity import fan, tornado
from model.output.plotting.style import (
    DPI,
    EVIDENCE_COLOURS,
    ROLE_COLOURS,
    SCENARIO_COLOURS,
    WIDTH,
    evidence_colour,
    figure,
    legend_below,
    log_axis,
    scenario_colour,
    use_house_style,
)

use_house_style()

__all__ = [
    "engine", "fit", "interactive", "market", "sensitivity",
    "DPI", "EVIDENCE_COLOURS", "ROLE_COLOURS", "SCENARIO_COLOURS", "WIDTH", "evidence_colour",
    "fan", "figure", "legend_below", "log_axis", "scenario_colour", "tornado", "use_house_style",
]
