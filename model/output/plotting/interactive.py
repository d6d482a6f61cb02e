"""Figures a reader of the static book can move: Plotly figures with range controls.

Each function takes a :class:`~model.analysis.grids.ParameterGrid` (the engine's output on a
grid, computed at build time) and returns an :class:`InteractiveFigure`, which a chapter shows
by ending a cell with it. The HTML holds the grid's values, the initial Plotly figure and one
slider per axis of the grid; ``book/_static/controls.js`` reads the positions of the sliders,
takes the matching slice of the precomputed arrays and redraws the figure with
``Plotly.react``. Nothing is computed in the page, so every position shows the engine's output.
plotly.js itself is served from the book's ``_static`` folder (``book/_ext/offline_assets.py``),
never from a CDN.

The specification read by ``controls.js`` (JSON, one per figure):

``figure``
    the initial Plotly figure (``data`` and ``layout``);
``axes``
    one entry per control: ``label``, ``values``, ``labels`` (what the slider's readout shows)
    and ``start`` (the initial position);
``arrays``
    named arrays, each ``{"shape": [...], "data": [...]}`` (row-major, flattened);
``updates``
    ``{"trace": i, "prop": "y", "array": name, "take": [...]}``: trace ``i``'s ``prop`` is the
    slice of ``array`` where each entry of ``take`` is an integer (a fixed index), ``"c<k>"``
    (the position of control k) or ``"free"`` (the dimension the trace runs along); or
    ``{"trace": i, "prop": "x", "axis": k}``: a one-point trace at control k's value;
``readout``
    ``{"template": "... {0} ...", "values": [{"array", "take", "digits"}]}``: a sentence under
    the figure with the values at the current position.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from model.output.plotting.style import EVIDENCE_COLOURS, ROLE_COLOURS, scenario_colour

HEIGHT = 420  # pixels: readable at the book's column width (about 700 px)
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13)
DIGITS = 5  # significant digits of the numbers written into the page
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
BAND = "rgba(86, 180, 233, {alpha})"  # the band colour (Okabe-Ito sky) at an opacity


@dataclass(frozen=True)
class InteractiveFigure:
    """A figure with its controls, as the HTML a book page embeds (``_repr_html_``)."""

    figure_id: str
    spec: dict
    caption: str = ""

    def to_html(self) -> str:
        """The figure's ``<div>``: sliders, the plot area, the readout and the JSON spec."""
        controls = []
        for k, axis in enumerate(self.spec["axes"]):
            top = len(axis["values"]) - 1
            label = html.escape(axis["label"])
            controls.append(
                f'<label class="jevons-control"><span class="jevons-control-label">{label}</span>'
                f'<input type="range" min="0" max="{top}" step="1" value="{axis["start"]}" '
                f'data-axis="{k}" aria-label="{label}">'
                f"<output>{html.escape(axis['labels'][axis['start']])}</output></label>"
            )
        payload = json.dumps(self.spec, separators=(",", ":"), allow_nan=False)
        payload = payload.replace("</", "<\\/")  # never close the script element early
        caption = (
            f'<p class="jevons-caption">{html.escape(self.caption)}</p>' if self.caption else ""
        )
        return (
            f'<div class="jevons-interactive" id="{self.figure_id}">'
            f'<div class="jevons-controls">{"".join(controls)}</div>'
            f'<div class="jevons-plot" style="height:{HEIGHT}px" role="img" '
            f'aria-label="{html.escape(self.caption or self.figure_id)}"></div>'
            f'<p class="jevons-readout" aria-live="polite"></p>{caption}'
            f'<script type="application/json" class="jevons-spec">{payload}</script></div>'
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def array(self, name: str) -> np.ndarray:
        """An embedded array, reshaped (what the page indexes)."""
        entry = self.spec["arrays"][name]
        return np.asarray(entry["data"], dtype=float).reshape(entry["shape"])


def _round(values) -> list:
    """Values rounded to :data:`DIGITS` significant digits, as a flat list (row-major)."""
    flat = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(flat)):
        raise ValueError("interactive figures take finite values only")
    return [float(f"{v:.{DIGITS}g}") for v in flat]


def _array(values) -> dict:
    values = np.asarray(values, dtype=float)
    return {"shape": list(values.shape), "data": _round(values)}


def _axis(axis, fmt: str = "{:g}") -> dict:
    labels = list(axis.labels) if axis.labels else [fmt.format(v) for v in axis.values]
    values = [float(v) if np.isfinite(v) else -1.0 for v in axis.values]
    return {"label": axis.label, "values": values, "labels": labels, "start": int(axis.start)}


def _safe_id(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "figure"


def _layout(fig: go.Figure, **extra) -> None:
    fig.update_layout(
        template="plotly_white",
        font=FONT,
        height=HEIGHT,
        margin=dict(l=70, r=20, t=30, b=110),
        legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="center", x=0.5),
        hovermode="closest",
        **extra,
    )


def _spec(
    fig: go.Figure, axes: list[dict], arrays: dict, updates: list[dict], readout: dict | None
) -> dict:
    figure = json.loads(fig.to_json())
    return {
        "figure": {"data": figure["data"], "layout": figure["layout"]},
        "config": CONFIG,
        "axes": axes,
        "arrays": arrays,
        "updates": updates,
        "readout": readout,
    }


def _take(array: np.ndarray, take: list) -> np.ndarray:
    """What ``controls.js`` computes for ``take`` at the axes' start positions (Python side)."""
    index = tuple(slice(None) if t == "free" else t for t in take)
    return np.asarray(array)[index]


def _resolve(take: list, starts: list[int]) -> list:
    return [starts[int(t[1:])] if isinstance(t, str) and t.startswith("c") else t for t in take]


# --- (a) the spend multiplier ---------------------------------------------------------------------
def spend_multiplier(
    grid, figure_id: str = "fig-multiplier-interactive", caption: str = ""
) -> InteractiveFigure:
    """The long-run spend multiplier J against the elasticity (left) and against the gain S
    (right), for the elasticity, gain and coverage set by the sliders.

    ``grid`` is :func:`model.analysis.grids.spend_multiplier_grid`; the page shows its values.
    """
    eps, s, phi = (a.values for a in grid.axes)
    cube = grid.values["multiplier"]
    starts = [a.start for a in grid.axes]
    i, j, k = starts
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06)
    line, point = ROLE_COLOURS["fit"], ROLE_COLOURS["reference"]
    fig.add_trace(
        go.Scatter(
            x=eps.tolist(),
            y=cube[:, j, k].tolist(),
            mode="lines",
            line=dict(color=line, width=2.5),
            name="Multiplier J",
            hovertemplate="ε = %{x:.2f}<br>J = %{y:.3g}<extra></extra>",
        ),
        1,
        1,
    )
    fig.add_trace(
        go.Scatter(
            x=[float(eps[i])],
            y=[float(cube[i, j, k])],
            mode="markers",
            marker=dict(color=point, size=10),
            name="The sliders' setting",
            hovertemplate="J = %{y:.3g}<extra></extra>",
        ),
        1,
        1,
    )
    fig.add_trace(
        go.Scatter(
            x=s.tolist(),
            y=cube[i, :, k].tolist(),
            mode="lines",
            line=dict(color=line, width=2.5),
            showlegend=False,
            hovertemplate="S = %{x:.3g}x<br>J = %{y:.3g}<extra></extra>",
        ),
        1,
        2,
    )
    fig.add_trace(
        go.Scatter(
            x=[float(s[j])],
            y=[float(cube[i, j, k])],
            mode="markers",
            marker=dict(color=point, size=10),
            showlegend=False,
            hovertemplate="J = %{y:.3g}<extra></extra>",
        ),
        1,
        2,
    )
    for col in (1, 2):
        fig.add_hline(
            y=1.0, line=dict(color=ROLE_COLOURS["reference"], width=1, dash="dash"), row=1, col=col
        )
    fig.add_vline(
        x=1.0, line=dict(color=ROLE_COLOURS["reference"], width=1, dash="dot"), row=1, col=1
    )
    low, high = float(cube.min()), float(cube.max())
    yrange = [np.log10(max(low, 1e-3)) - 0.1, np.log10(high) + 0.1]
    fig.update_yaxes(
        type="log", range=yrange, dtick=1, title_text="Spend multiplier J (log scale)", row=1, col=1
    )
    fig.update_yaxes(type="log", range=yrange, dtick=1, row=1, col=2)
    fig.update_xaxes(
        title_text="Price elasticity of demand ε", range=[eps[0], eps[-1]], row=1, col=1
    )
    fig.update_xaxes(
        title_text="Efficiency gain S (log scale)",
        type="log",
        dtick=1,
        range=[np.log10(s[0]), np.log10(s[-1])],
        row=1,
        col=2,
    )
    _layout(fig)
    updates = [
        {"trace": 0, "prop": "y", "array": "J", "take": ["free", "c1", "c2"]},
        {"trace": 1, "prop": "x", "axis": 0},
        {"trace": 1, "prop": "y", "array": "J", "take": ["c0", "c1", "c2"]},
        {"trace": 2, "prop": "y", "array": "J", "take": ["c0", "free", "c2"]},
        {"trace": 3, "prop": "x", "axis": 1},
        {"trace": 3, "prop": "y", "array": "J", "take": ["c0", "c1", "c2"]},
    ]
    readout = {
        "template": "Spend after the gain is {0} times spend without it.",
        "values": [{"array": "J", "take": ["c0", "c1", "c2"], "digits": 3}],
    }
    axes = [
        _axis(grid.axes[0], "{:.2f}"),
        _axis(grid.axes[1], "{:.3g}x"),
        _axis(grid.axes[2], "{:.0%}"),
    ]
    spec = _spec(fig, axes, {"J": _array(cube)}, updates, readout)
    return InteractiveFigure(_safe_id(figure_id), spec, caption)


# --- (b) scenario paths ---------------------------------------------------------------------------
SHOCK_KEY = "efficiency.shocks[0].factor"


def scenario_paths(
    grid,
    variable: str = "compute_spend",
    ylabel: str = "Compute spend (USD bn, log scale)",
    figure_id: str = "fig-scenario-paths-interactive",
    caption: str = "",
) -> InteractiveFigure:
    """A scenario's yearly path of ``variable`` for the keys set by the sliders, with the same
    path without the shock (gain 1x), the scenario as shipped and its budget.

    ``grid`` is :func:`model.analysis.grids.scenario_path_grid`.
    """
    years = grid.years.astype(int).tolist()
    cube = grid.values[variable]
    keys = [a.key for a in grid.axes]
    starts = [a.start for a in grid.axes]
    name = grid.notes.get("scenario", "scenario")
    random = grid.notes.get("draws", "1") != "1"
    colour = scenario_colour(name)
    take = [f"c{k}" for k in range(len(keys))] + ["free"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=years,
            y=grid.reference["budget"].tolist(),
            mode="lines",
            line=dict(color=ROLE_COLOURS["reference"], width=1.2, dash="dash"),
            name="Budget (world GDP)",
            hovertemplate="%{x}: %{y:,.0f}<extra>budget</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=grid.reference[variable].tolist(),
            mode="lines",
            line=dict(color=ROLE_COLOURS["reference"], width=1.5, dash="dot"),
            name=f"{name} as shipped" + (" (median)" if random else ""),
            hovertemplate="%{x}: %{y:,.0f}<extra>as shipped</extra>",
        )
    )
    updates = []
    if SHOCK_KEY in keys:
        no_shock = keys.index(SHOCK_KEY)
        values = grid.axes[no_shock].values
        if not np.any(values == 1.0):
            raise ValueError(
                f"the grid of {SHOCK_KEY} needs the value 1 (no gain) for the "
                "path without the shock"
            )
        base_take = list(take)
        base_take[no_shock] = int(np.flatnonzero(values == 1.0)[0])
        fig.add_trace(
            go.Scatter(
                x=years,
                y=_take(cube, _resolve(base_take, starts)).tolist(),
                mode="lines",
                line=dict(color=ROLE_COLOURS["low"], width=2),
                name="The same without the gain (1x)",
                hovertemplate="%{x}: %{y:,.0f}<extra>without the gain</extra>",
            )
        )
        updates.append({"trace": 2, "prop": "y", "array": "paths", "take": base_take})
    fig.add_trace(
        go.Scatter(
            x=years,
            y=_take(cube, _resolve(take, starts)).tolist(),
            mode="lines+markers",
            line=dict(color=colour, width=2.8),
            marker=dict(size=5),
            name="The sliders' setting",
            hovertemplate="%{x}: %{y:,.0f}<extra>the sliders' setting</extra>",
        )
    )
    updates.append({"trace": len(fig.data) - 1, "prop": "y", "array": "paths", "take": take})
    low = float(min(cube.min(), grid.reference[variable].min()))
    high = float(max(cube.max(), grid.reference["budget"].max()))
    fig.update_yaxes(
        type="log", range=[np.log10(low) - 0.1, np.log10(high) + 0.1], dtick=1, title_text=ylabel
    )
    fig.update_xaxes(title_text="Year", dtick=2, range=[years[0] - 0.3, years[-1] + 0.3])
    _layout(fig)
    last = len(years) - 1
    readout = {
        "template": f"Compute spend in {years[last]}: {{0}} USD bn, {{1}}% of the budget.",
        "values": [
            {"array": "paths", "take": take[:-1] + [last], "digits": 3},
            {"array": "share", "take": take[:-1], "digits": 2},
        ],
    }
    share = 100 * cube[..., last] / grid.reference["budget"][last]
    formats = {SHOCK_KEY: "{:.3g}x", "demand.growth": "{:.0%}", "budget.growth": "{:.0%}"}
    axes = [_axis(a, formats.get(a.key, "{:.2f}")) for a in grid.axes]
    spec = _spec(fig, axes, {"paths": _array(cube), "share": _array(share)}, updates, readout)
    return InteractiveFigure(_safe_id(figure_id), spec, caption or path_caption(grid))


def path_caption(grid) -> str:
    """The default caption of :func:`scenario_paths`: what is drawn, and how it was computed."""
    name, draws = grid.notes.get("scenario", "scenario"), int(grid.notes.get("draws", "1"))
    text = (f"Compute spend in the {name} scenario, 2024-2035, for the parameters set by the "
            "sliders (log scale): with the gain, without it (1x), the scenario as shipped "
            "(dotted) and the budget, world GDP (dashed). Every position is computed by the "
            f"engine when the book is built, {grid.size:,} positions in one call.")
    if draws > 1:
        text += (f" The scenario draws some values from distributions: each position is the "
                 f"median across {draws} draws of the others, the same draws at every position; "
                 f"the dotted line is the median of its {grid.notes['reference_draws']} draws.")
    return text


# --- (c) the forecast fan -------------------------------------------------------------------------
def forecast_fan(
    grid,
    ylabel: str = "Big-4 capex (USD bn, log scale)",
    figure_id: str = "fig-forecast-fan-interactive",
    caption: str = "",
) -> InteractiveFigure:
    """The fit's fan (5-95% and 25-75% bands, median) with the elasticity held at the
    percentile and demand growth set by the sliders, beside the fit's own median.

    ``grid`` is :func:`model.analysis.grids.forecast_fan_grid` with the quantiles 5, 25, 50, 75
    and 95%.
    """
    quantiles = [float(q) for q in grid.notes["quantiles"].split(",")]
    if quantiles != [0.05, 0.25, 0.5, 0.75, 0.95]:
        raise ValueError(
            f"forecast_fan needs the quantiles 0.05, 0.25, 0.5, 0.75, 0.95; got {quantiles}"
        )
    years = grid.years.astype(int).tolist()
    fan = grid.values["fan"]  # (percentiles, growths, quantiles, years)
    starts = [a.start for a in grid.axes]
    colour = EVIDENCE_COLOURS["combined"]
    fig = go.Figure()

    def take(q):
        return ["c0", "c1", q, "free"]

    at = {q: _take(fan, _resolve(take(q), starts)).tolist() for q in range(5)}
    styles = [
        (0, "none", None, False, "5%"),
        (4, "tonexty", BAND.format(alpha=0.3), True, "90% band"),
        (1, "none", None, False, "25%"),
        (3, "tonexty", BAND.format(alpha=0.6), True, "50% band"),
    ]
    for q, fill, fillcolour, legend, label in styles:
        fig.add_trace(
            go.Scatter(
                x=years,
                y=at[q],
                mode="lines",
                line=dict(width=0),
                fill=fill,
                fillcolor=fillcolour,
                showlegend=legend,
                name=label,
                hovertemplate=f"%{{x}}: %{{y:,.0f}}<extra>{label}</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=at[2],
            mode="lines",
            line=dict(color=colour, width=2.5),
            name="Median",
            hovertemplate="%{x}: %{y:,.0f}<extra>median</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=grid.reference["fan"][2].tolist(),
            mode="lines",
            line=dict(color=ROLE_COLOURS["reference"], width=1.5, dash="dot"),
            name="The fit's median (every ε)",
            hovertemplate="%{x}: %{y:,.0f}<extra>the fit's median</extra>",
        )
    )
    updates = [
        {"trace": t, "prop": "y", "array": "fan", "take": take(q)}
        for t, q in enumerate((0, 4, 1, 3, 2))
    ]
    low = float(min(fan.min(), grid.reference["fan"].min()))
    high = float(max(fan.max(), grid.reference["fan"].max()))
    fig.update_yaxes(
        type="log", range=[np.log10(low) - 0.05, np.log10(high) + 0.05], dtick=1, title_text=ylabel
    )
    fig.update_xaxes(title_text="Year", dtick=2, range=[years[0], years[-1]])
    _layout(fig)
    mid = years.index(2030) if 2030 in years else len(years) // 2
    readout = {
        "template": f"{years[mid]}: median {{0}} USD bn, 90% band {{1}} to {{2}}.",
        "values": [{"array": "fan", "take": ["c0", "c1", q, mid], "digits": 3} for q in (2, 0, 4)],
    }
    axes = [_axis(grid.axes[0]), _axis(grid.axes[1])]
    spec = _spec(fig, axes, {"fan": _array(fan)}, updates, readout)
    return InteractiveFigure(_safe_id(figure_id), spec, caption)
