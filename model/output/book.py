"""Helpers the book's chapters call: numbers for the prose, tables for the page, facts as of a date.

A chapter computes nothing itself: it calls the package for results, then hands them to these
helpers, which only convert and format.

* :func:`glue_value` and :func:`glue_values` put a number, date or text in the prose
  (``{glue:text}`name:.2f```); numpy scalars become Python scalars so that format specs apply,
  dates become ``YYYY-MM-DD``.
* :func:`glue_estimate` glues an estimate's median and interval ends under ``key``, ``key_lo``
  and ``key_hi``.
* :func:`glue_fact` glues a curated fact, checked to be known on the as-of date.
* :func:`show_table` renders a frame as a compact, left-aligned table.
* :func:`facts_table` lists curated facts by id as they stood on a date, with their sources.

In a live notebook (a chapter opened in Jupyter, where the prose's ``{glue:text}`` roles stay
raw), every glue call also shows the values it glued as a small "numbers used in the text" table
in the cell's output, so the reader sees the numbers next to the code that made them. The book's
build sets ``JEVONS_BOOK_BUILD=1`` (``book/_ext/notebooks.py``), and there the tables are not
shown: the prose carries the numbers.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from IPython import get_ipython
from IPython.display import display
from myst_nb import glue

from model.constants import DEFAULT_AS_OF
from model.data.facts import fact, fact_value
from model.output import formatting, sources

TABLE_STYLES = [
    # the table sizes to its content (never wider than the text column) and keeps its columns
    # apart: MyST-NB's own CSS lays tables out with a fixed width, which runs cells together
    {"selector": "", "props": "table-layout: auto; width: auto; max-width: 100%; "
                              "border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 600; "
                                     "padding: 0 0 4px 0"},
    {"selector": "th, td", "props": "text-align: left; vertical-align: top; padding: 3px 6px; "
                                    "white-space: normal; overflow-wrap: break-word; "
                                    "border-bottom: 1px solid #e0e0e0"},
    {"selector": "thead th", "props": "font-weight: 600; vertical-align: bottom; "
                                      "overflow-wrap: normal; border-bottom: 1px solid #999"},
]
WIDE_LAST_COLUMN = {"selector": "td:last-child", "props": "min-width: 12em; max-width: 40em"}
#: tables with this many columns or more are set a size smaller, so they fit the text column
MANY_COLUMNS = 8
SMALLER_TEXT = [{"selector": "", "props": "font-size: 0.78em"},
                {"selector": "th, td", "props": "padding: 2px 4px"}]
#: Cell styles by column kind (:func:`model.output.formatting.kind_of_column`): numbers right
#: aligned in tabular figures, dates and years never broken across lines.
KIND_STYLES = {
    "number": "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums",
    "year": "white-space: nowrap",
    "date": "white-space: nowrap",
    "text": "hyphens: auto",
}


def prose_value(value: Any) -> Any:
    """``value`` as the prose shows it: numpy scalars as Python scalars, dates as YYYY-MM-DD."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        value = pd.Timestamp(value).strftime("%Y-%m-%d")
    return value


#: Set (to 1) by the book's build, where the prose shows the glued numbers and the live tables
#: would only clutter the page.
BOOK_BUILD_ENV = "JEVONS_BOOK_BUILD"


def _shown(value: Any) -> str:
    """A glued value as the live table shows it: floats to 6 significant digits."""
    if isinstance(value, bool) or not isinstance(value, float | int):
        return str(value)
    return f"{value:.6g}" if isinstance(value, float) else f"{value:,}"


class GluedNumbers:
    """The values one glue call stored, shown as a two-column table ("name", "value") in a live
    notebook; ``name`` is the key the prose's ``{glue:text}`name:fmt``` role refers to."""

    def __init__(self, values: Mapping[str, Any]):
        self.values = {name: prose_value(value) for name, value in values.items()}

    def rows(self) -> list[tuple[str, str]]:
        return [(name, _shown(value)) for name, value in self.values.items()]

    def __repr__(self) -> str:
        rows = self.rows()
        width = max(len(name) for name, _ in rows) if rows else 0
        lines = ["numbers used in the text:"]
        lines += [f"  {name:<{width}}  {value}" for name, value in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td><code>{html.escape(name)}</code></td>"
                       f"<td style='text-align:right'>{html.escape(value)}</td></tr>"
                       for name, value in self.rows())
        return ("<details open><summary>numbers used in the text</summary>"
                "<table style='font-size:0.85em'><thead><tr><th>name</th><th>value</th></tr>"
                f"</thead><tbody>{body}</tbody></table></details>")


def live_notebook() -> bool:
    """Whether glue calls run in a live notebook: an IPython kernel, not the book's build."""
    if os.environ.get(BOOK_BUILD_ENV, "") not in ("", "0"):
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _glue_all(values: Mapping[str, Any]) -> None:
    """Glue every item of ``values`` (already prefixed) and, in a live notebook, show them."""
    for name, value in values.items():
        glue(name, prose_value(value), display=False)
    if values and live_notebook():
        display(GluedNumbers(values))


def _glue(name: str, value: Any) -> None:
    _glue_all({name: value})


def glue_value(name: str, value: Any) -> None:
    """Glue one value for the prose under ``name``."""
    _glue(name, value)


def glue_values(values: Mapping[str, Any], prefix: str = "") -> None:
    """Glue every item of ``values`` under ``prefix + key`` (one live table for all of them)."""
    _glue_all({f"{prefix}{key}": value for key, value in values.items()})


def glue_estimate(key: str, estimate) -> None:
    """Glue an estimate's median and 95% interval ends under ``key``, ``key_lo``, ``key_hi``.

    ``estimate`` has ``median`` and ``interval`` (an
    :class:`~model.calibration.estimate.ElasticityEstimate`, for example).
    """
    _glue_all({key: estimate.median, f"{key}_lo": estimate.interval[0],
               f"{key}_hi": estimate.interval[1]})


def glue_fact(name: str, fact_id: str, as_of=DEFAULT_AS_OF, scale: float = 1.0) -> float:
    """Glue the curated fact ``fact_id`` (``data/facts``) times ``scale``; it must be known on
    ``as_of``. Returns the glued value."""
    value = fact_value(fact_id, as_of) * scale
    _glue(name, value)
    return value


def show_table(frame: pd.DataFrame, fmt: Any = None, caption: str | None = None,
               index: bool | None = None, wide_last: bool = False,
               names: Mapping[str, str] | None = None):
    """A table for the rendered page (a pandas Styler), formatted for a reader.

    Numbers get thousands separators and three significant digits, aligned by column (see
    :mod:`model.output.formatting`); dates are YYYY-MM-DD and never wrap; long text wraps so the
    table fits the text column; missing values show as "–". ``fmt`` (a format string for every
    numeric column, or a dict of them or of functions by column) overrides the automatic format.
    Headers are the column names with code names replaced (:data:`~model.output.formatting.
    DISPLAY_NAMES`, extended by ``names``); the frame's own columns are not renamed. A default
    0, 1, 2... index is not shown and any other becomes the first column (``index=True`` shows
    pandas' index, ``index=False`` drops it). ``wide_last`` gives the last column room for prose.
    """
    shown, show_index = formatting.for_display(frame, index)
    styles = [*TABLE_STYLES, *([WIDE_LAST_COLUMN] if wide_last else []),
              *(SMALLER_TEXT if shown.shape[1] >= MANY_COLUMNS else [])]
    for position, kind in enumerate(formatting.column_kinds(shown)):
        styles.append({"selector": f"td.col{position}", "props": KIND_STYLES[kind]})
        if kind == "number":
            styles.append({"selector": f"th.col_heading.col{position}", "props": "text-align: right"})
    style = (shown.style.format(formatting.column_formatters(shown, fmt), na_rep="–")
             .format_index(lambda name: formatting.display_name(name, names), axis="columns")
             .set_table_styles(styles))
    if caption:
        style = style.set_caption(caption)
    return style if show_index else style.hide(axis="index")


def facts_table(ids: Iterable[str], as_of=DEFAULT_AS_OF,
                columns: Sequence[str] = ("id", "value", "unit", "as_of", "stated_by", "source"),
                ) -> pd.DataFrame:
    """The curated facts ``ids`` (``data/facts``) as known on ``as_of``, in the order given.

    Raises
    ------
    DataError
        For an unknown id, or a fact that became known after ``as_of`` (see
        :func:`model.data.facts.fact`).
    """
    rows = pd.DataFrame([fact(i, as_of) for i in ids])
    rows["as_of"] = pd.to_datetime(rows["as_of"]).dt.strftime("%Y-%m-%d")
    return rows[list(columns)].reset_index(drop=True)


def with_source_kinds(frame: pd.DataFrame, source: str = "source", stated_by: str = "stated_by",
                      kind: str = "kind of source") -> pd.DataFrame:
    """``frame`` (a :func:`facts_table`, say) with each ``source`` URL turned into a link whose
    text says what the source is, and a ``kind`` column after it ("secondary copy or rewrite of
    another outlet's report", "weak aggregator or content farm", ...; see
    :mod:`model.output.sources`). Show it with :func:`show_table`, which keeps the links."""
    cells = [sources.link_and_kind(str(url), str(by))
             for url, by in zip(frame[source], frame[stated_by], strict=True)]
    out = frame.copy()
    out[source] = [cell for cell, _ in cells]
    out.insert(out.columns.get_loc(source) + 1, kind, [k for _, k in cells])
    return out
