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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from myst_nb import glue

from model.constants import DEFAULT_AS_OF
from model.data.facts import fact, fact_value

TABLE_STYLES = [
    {"selector": "th, td", "props": "text-align: left; vertical-align: top; padding: 2px 8px; "
                                    "font-size: 0.85em"},
]
WIDE_LAST_COLUMN = {"selector": "td:last-child", "props": "min-width: 16em"}


def prose_value(value: Any) -> Any:
    """``value`` as the prose shows it: numpy scalars as Python scalars, dates as YYYY-MM-DD."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        value = pd.Timestamp(value).strftime("%Y-%m-%d")
    return value


def _glue(name: str, value: Any) -> None:
    glue(name, prose_value(value), display=False)


def glue_value(name: str, value: Any) -> None:
    """Glue one value for the prose under ``name``."""
    _glue(name, value)


def glue_values(values: Mapping[str, Any], prefix: str = "") -> None:
    """Glue every item of ``values`` under ``prefix + key``."""
    for key, value in values.items():
        _glue(f"{prefix}{key}", value)


def glue_estimate(key: str, estimate) -> None:
    """Glue an estimate's median and 95% interval ends under ``key``, ``key_lo``, ``key_hi``.

    ``estimate`` has ``median`` and ``interval`` (an
    :class:`~model.calibration.estimate.ElasticityEstimate`, for example).
    """
    _glue(key, estimate.median)
    _glue(f"{key}_lo", estimate.interval[0])
    _glue(f"{key}_hi", estimate.interval[1])


def glue_fact(name: str, fact_id: str, as_of=DEFAULT_AS_OF, scale: float = 1.0) -> float:
    """Glue the curated fact ``fact_id`` (``data/facts``) times ``scale``; it must be known on
    ``as_of``. Returns the glued value."""
    value = fact_value(fact_id, as_of) * scale
    _glue(name, value)
    return value


def show_table(frame: pd.DataFrame, fmt: Any = "{}", caption: str | None = None,
               index: bool = True, wide_last: bool = False):
    """A compact, left-aligned table (a pandas Styler) for the rendered page.

    ``fmt`` is a format string, or a dict of them by column, as :meth:`pandas.io.formats.style.
    Styler.format` takes it; missing values show as "-". ``wide_last`` gives the last column room
    for prose.
    """
    styles = [*TABLE_STYLES, *([WIDE_LAST_COLUMN] if wide_last else [])]
    style = frame.style.format(fmt, na_rep="-").set_table_styles(styles)
    if caption:
        style = style.set_caption(caption)
    return style if index else style.hide(axis="index")


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
