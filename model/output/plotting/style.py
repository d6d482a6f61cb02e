"""The book's house style: one palette, one set of sizes, one way to label log axes.

Every figure in the book is drawn by a function of :mod:`model.output.plotting`, which applies
this style when it is imported, so colours keep their meaning across chapters:

* :data:`SCENARIO_COLOURS` gives each shipped scenario (``scenarios/*.toml``) its own colour;
* :data:`EVIDENCE_COLOURS` gives each source of evidence about the elasticity (the market's
  reaction, the peers, the capex plans, the external prior, their combination, what happened
  later) its own colour;
* :data:`ROLE_COLOURS` names the few colours with a fixed role (data points, a fitted line, a
  reference line, a band, before/after the news).

:data:`SCENARIO_LABELS` names each scenario in legends and :data:`PRECISION_COLOURS` colours
chips by the number format of their performance figure. Labels are in sentence case with proper
names capitalised (Epoch AI, GPU, FLOP, January); log axes have plain-number ticks
(:func:`log_axis`, :func:`wide_log_axis`).

Alt text: MyST-NB takes a figure's alt text from the cell's metadata, not from the figure, so
every figure cell carries one sentence that says what the figure shows (not its file name)::

    ```{code-cell} ipython3
    ---
    tags: [hide-input]
    mystnb:
      image:
        alt: Scatter of log2 FLOP/s per dollar against release year for 51 GPUs, rising
          along a fitted line, with a wide prediction band.
      figure:
        caption: ...
        name: fig-...
    ---
    ```

Sizes are chosen for the book's text column (about 7 inches): a one-panel figure is
:data:`WIDTH` wide; panels sit side by side only in pairs and otherwise stack, so labels stay
legible. Figures are rendered at :data:`DPI` dots per inch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

WIDTH = 7.0  # inches: the book's text column
PANEL_HEIGHT = 3.6  # inches per row of panels
DPI = 150

# Colour-blind-safe qualitative palette (Okabe and Ito 2008) and its extension with greys.
_OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
    "grey": "#7F7F7F", "dark_grey": "#404040",
}

SCENARIO_COLOURS = {
    "baseline": _OKABE_ITO["black"],
    "deepseek": _OKABE_ITO["vermillion"],
    "ecp-60x": _OKABE_ITO["purple"],
    "fft": _OKABE_ITO["sky"],
    "inelastic": _OKABE_ITO["blue"],
    "jevons": _OKABE_ITO["orange"],
    "saturating": _OKABE_ITO["green"],
    "supply-constrained": _OKABE_ITO["dark_grey"],
    "segments": _OKABE_ITO["yellow"],
    "partial-adjustment": "#8C564B",
    "montecarlo": _OKABE_ITO["grey"],
    "fitted": "#882255",
}
#: how a shipped scenario is named in legends (its file name is the key)
SCENARIO_LABELS = {
    "baseline": "Baseline", "deepseek": "DeepSeek", "ecp-60x": "ECP 60x", "fft": "FFT",
    "inelastic": "Inelastic", "jevons": "Jevons", "saturating": "Saturating",
    "supply-constrained": "Supply-constrained", "segments": "Segments",
    "partial-adjustment": "Partial adjustment", "montecarlo": "Monte Carlo",
    "fitted": "Fitted",
}
EVIDENCE_COLOURS = {
    "market": _OKABE_ITO["vermillion"],    # Nvidia's own reaction on 27 January 2025
    "peers": _OKABE_ITO["orange"],         # the same-day peer basket
    "capex": _OKABE_ITO["blue"],           # the hyperscalers' capex plans
    "prior": _OKABE_ITO["grey"],           # external evidence dated before the as-of date
    "combined": _OKABE_ITO["black"],       # the combination
    "later": _OKABE_ITO["purple"],         # evidence published after the as-of date
    "outcome": _OKABE_ITO["green"],        # what happened
    "baseline": _OKABE_ITO["sky"],         # naive forecasts
}
ROLE_COLOURS = {
    "data": _OKABE_ITO["blue"],
    "fit": _OKABE_ITO["vermillion"],
    "reference": _OKABE_ITO["dark_grey"],
    "band": _OKABE_ITO["sky"],
    "before": _OKABE_ITO["blue"],
    "after": _OKABE_ITO["vermillion"],
    "low": _OKABE_ITO["blue"],
    "high": _OKABE_ITO["orange"],
}
#: the number format a chip's performance figure is measured in (the hardware chapter's scatter)
PRECISION_COLOURS = {
    "fp32": _OKABE_ITO["blue"],
    "fp16": _OKABE_ITO["orange"],
    "tensor-fp16/bf16": _OKABE_ITO["green"],
    "max": _OKABE_ITO["purple"],
}
PRECISION_LABELS = {"fp32": "FP32", "fp16": "plain FP16", "tensor-fp16/bf16": "tensor FP16/BF16",
                    "max": "maximum performance"}
_CYCLE = [_OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky",
                                  "black", "yellow", "grey")]

RC = {
    "figure.figsize": (WIDTH, PANEL_HEIGHT + 0.6),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.constrained_layout.use": True,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "axes.prop_cycle": mpl.cycler(color=_CYCLE),
    "axes.titlelocation": "left",
}


def use_house_style() -> None:
    """Apply the house style to matplotlib's defaults (done once, on import of the package)."""
    mpl.rcParams.update(RC)


def scenario_colour(name: str) -> str:
    """The colour of a shipped scenario; scenarios not in the palette get the reference grey."""
    return SCENARIO_COLOURS.get(name, ROLE_COLOURS["reference"])


#: words a label passed in lower case gets back in their proper form (whole words, outside maths)
PROPER_NAMES = {
    "usd": "USD", "gdp": "GDP", "flop": "FLOP", "flops": "FLOPs", "gpu": "GPU", "gpus": "GPUs",
    "nvidia": "Nvidia", "nvidia's": "Nvidia's", "epoch ai": "Epoch AI", "deepseek": "DeepSeek",
    "ecp": "ECP", "fft": "FFT", "ols": "OLS", "hc3": "HC3", "sobol": "Sobol",
    **{month.lower(): month for month in (
        "January", "February", "March", "April", "June", "July", "August", "September",
        "October", "November", "December")},
}
_PROPER = re.compile(r"(?<![\w$\\])(" + "|".join(sorted(map(re.escape, PROPER_NAMES), key=len,
                                                          reverse=True)) + r")(?![\w])")


def _proper_names(text: str) -> str:
    parts = text.split("$")  # even parts are prose, odd parts maths
    for k in range(0, len(parts), 2):
        parts[k] = _PROPER.sub(lambda m: PROPER_NAMES[m.group(1)], parts[k])
    return "$".join(parts)


def sentence(text: str | None) -> str | None:
    """``text`` in sentence case with proper names restored (:data:`PROPER_NAMES`: "usd" ->
    "USD", "january" -> "January"); only the first letter is raised, so a label starting with
    maths or a digit keeps its start, and maths between dollar signs is never touched."""
    if not text:
        return text
    text = _proper_names(text)
    return text[0].upper() + text[1:] if text[0].islower() else text


def scenario_label(name: str) -> str:
    """A shipped scenario's name as legends show it ("DeepSeek", not ``deepseek``); other names
    are returned as they are."""
    return SCENARIO_LABELS.get(name, name)


def precision_colour(source: str) -> str:
    """The colour of a performance figure's number format (:data:`PRECISION_COLOURS`)."""
    return PRECISION_COLOURS.get(source, ROLE_COLOURS["reference"])


def precision_label(source: str) -> str:
    """A performance figure's number format in words ("tensor FP16/BF16")."""
    return PRECISION_LABELS.get(source, source)


def evidence_colour(source: str) -> str:
    """The colour of an evidence source (see :data:`EVIDENCE_COLOURS`)."""
    try:
        return EVIDENCE_COLOURS[source]
    except KeyError:
        raise KeyError(f"evidence source {source!r}: allowed: {', '.join(EVIDENCE_COLOURS)}") from None


def figure(panels: int = 1, columns: int | None = None, height: float | None = None,
           sharex: bool = False, sharey: bool = False):
    """A figure of ``panels`` axes sized for the text column.

    At most two panels sit side by side (``columns`` defaults to 1 for one panel, 2 otherwise);
    more panels stack in rows of :data:`PANEL_HEIGHT`. Returns ``(fig, axes)`` with ``axes`` a
    flat array (a single Axes for one panel).
    """
    if panels < 1:
        raise ValueError(f"panels must be at least 1, got {panels}")
    columns = min(panels, 2) if columns is None else columns
    rows = -(-panels // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, height or PANEL_HEIGHT * rows + 0.6),
                             sharex=sharex, sharey=sharey, squeeze=False)
    flat = axes.ravel()
    for ax in flat[panels:]:
        ax.set_visible(False)
    return fig, (flat[0] if panels == 1 else flat[:panels])


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _plain(value: float, _pos=None) -> str:
    """A log-axis tick as a plain number: 0.01, 0.5, 3, 40, 1,000, 2,000,000; from ten million
    on as a power of ten (10⁷, 2×10⁷), since a unit such as "USD bn" leaves no room for "m"."""
    if value <= 0 or not np.isfinite(value):
        return ""
    if value >= 1e7:
        exponent = int(np.floor(np.log10(value) + 1e-9))
        mantissa = value / 10.0 ** exponent
        power = "10" + str(exponent).translate(_SUPERSCRIPT)
        return power if abs(mantissa - 1) < 1e-9 else f"{mantissa:.3g}×{power}"
    if value >= 1:
        return f"{value:,.0f}" if value >= 10 else f"{value:.3g}"
    return f"{value:.3g}"


def log_axis(ax, which: str = "y", subs: Sequence[float] = (1.0, 2.0, 5.0)) -> None:
    """Put ``which`` ("x", "y" or "both") of ``ax`` on a log scale with plain-number ticks at
    1, 2 and 5 times the powers of ten (no "2×10⁻¹")."""
    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[which]
    for axis in axes:
        (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10, subs=subs))
        axis.set_major_formatter(FuncFormatter(_plain))
        axis.set_minor_formatter(NullFormatter())


def _plain_or_power(value: float, _pos=None) -> str:
    """A tick of a log axis spanning many decades: a plain number from 0.001 to 1,000,000
    (0.001, 1, 1,000), a power of ten (10⁹, 10⁻⁶) beyond."""
    if value <= 0 or not np.isfinite(value):
        return ""
    if 1e-3 <= value <= 1e6:
        return f"{value:,.0f}" if value >= 1 else f"{value:.{-int(np.floor(np.log10(value)))}f}"
    return "10" + str(int(round(np.log10(value)))).translate(_SUPERSCRIPT)


def wide_log_axis(ax, which: str = "y") -> None:
    """A log scale for a quantity spanning many orders of magnitude: a tick at each power of ten,
    labelled by :func:`_plain_or_power`."""
    axes = {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[which]
    for axis in axes:
        (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10, subs=(1.0,)))
        axis.set_major_formatter(FuncFormatter(_plain_or_power))
        axis.set_minor_formatter(NullFormatter())


def auto_log_axis(ax, which: str = "y") -> None:
    """A log scale whose ticks suit the data already drawn: 1, 2 and 5 times the powers of ten
    over up to three decades, each power of ten over up to six (both as plain numbers), and
    :func:`wide_log_axis` beyond."""
    for name in (("x", "y") if which == "both" else (which,)):
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        low, high = ax.get_xlim() if name == "x" else ax.get_ylim()
        decades = np.log10(high / low) if low > 0 and high > 0 else np.inf
        if decades <= 3:
            log_axis(ax, name)
        elif decades <= 6:
            log_axis(ax, name, subs=(1.0,))
        else:
            wide_log_axis(ax, name)


def legend_below(ax, ncols: int = 3, **kwargs) -> None:
    """A legend under the axes, in ``ncols`` columns, so it never covers the data."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=ncols, **kwargs)
