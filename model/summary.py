"""Printable summaries of results, in the manner of statsmodels' ``Summary``.

Every result object of the package has ``summary()``, which returns a :class:`Summary`: printed
in a terminal it is aligned text (``print(result.summary())``); shown in a notebook it renders
as HTML; ``to_dict()`` gives the same content for JSON. The command line and the book render
results through these objects, so a number reads the same everywhere.

Intervals are named one way: ``interval`` (a pair low, high) with ``level`` (the coverage, 0.95
unless stated), and are printed as ``low to high`` with the level in the label.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

LEVEL = 0.95  # every interval of the project is a central 95% interval unless stated


def number_text(value: Any, digits: int = 4) -> str:
    """A number in ``digits`` significant digits (integers whole, NaN as "-")."""
    if value is None:
        return "-"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if value != 0 and (abs(value) >= 1e7 or abs(value) < 1e-4):
            return f"{value:.{digits - 1}e}"
        return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def interval_text(interval: Sequence[float], digits: int = 4) -> str:
    """``low to high`` for an interval pair."""
    low, high = interval
    return f"{number_text(float(low), digits)} to {number_text(float(high), digits)}"


def interval_label(name: str, level: float = LEVEL) -> str:
    """The label of an interval row, e.g. ``elasticity, 95% interval``."""
    return f"{name}, {level:.0%} interval"


def text_table(frame: pd.DataFrame) -> str:
    """A frame as aligned text: words left-aligned, numbers (cells starting with a digit or a
    sign) right-aligned, no index."""
    columns = [str(c) for c in frame.columns]
    cells = [[number_text(v) if not isinstance(v, str) else v for v in row]
             for row in frame.itertuples(index=False)]
    numeric = [all(str(r[i])[:1].isdigit() or str(r[i])[:1] in "+-" for r in cells) and bool(cells)
               for i in range(len(columns))]
    widths = [max([len(columns[i]), *(len(str(r[i])) for r in cells)]) for i in range(len(columns))]

    def line(row) -> str:
        return "  ".join(str(c).rjust(w) if num else str(c).ljust(w)
                         for c, w, num in zip(row, widths, numeric, strict=True)).rstrip()

    return "\n".join([line(columns), *(line(r) for r in cells)])


@dataclass(frozen=True)
class Summary:
    """A titled list of (label, value) rows, optional tables and notes.

    Parameters
    ----------
    title
        One line naming the result.
    rows
        ``(label, value)`` pairs; values are formatted by :func:`number_text` (a pair from
        :func:`interval_text` is already text).
    tables
        ``(caption, frame)`` pairs shown after the rows.
    notes
        Sentences printed at the end (what identifies the estimate, caveats).
    """

    title: str
    rows: tuple[tuple[str, Any], ...] = ()
    tables: tuple[tuple[str, pd.DataFrame], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, title: str, rows: Mapping[str, Any] | Iterable[tuple[str, Any]],
           tables: Iterable[tuple[str, pd.DataFrame]] = (), notes: Iterable[str] = ()) -> Summary:
        items = rows.items() if isinstance(rows, Mapping) else rows
        return cls(title, tuple((str(k), v) for k, v in items), tuple(tables), tuple(notes))

    def _cells(self) -> list[tuple[str, str]]:
        return [(label, number_text(value)) for label, value in self.rows]

    def as_text(self) -> str:
        """Aligned plain text for a terminal."""
        cells = self._cells()
        width = max((len(label) for label, _ in cells), default=0)
        lines = [self.title, "=" * len(self.title)]
        lines += [f"{label:<{width}}  {value}" for label, value in cells]
        for caption, frame in self.tables:
            lines += ["", caption, "-" * len(caption), text_table(frame)]
        if self.notes:
            lines.append("")
            lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        head = f"<caption style='text-align:left;font-weight:bold'>{html.escape(self.title)}</caption>"
        body = "".join(f"<tr><th style='text-align:left;padding-right:1.5em'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
                       for k, v in self._cells())
        parts = [f"<table class='jevons-summary'>{head}{body}</table>"]
        for caption, frame in self.tables:
            parts.append(f"<p><strong>{html.escape(caption)}</strong></p>"
                         + frame.to_html(index=False, border=0, na_rep="-"))
        parts += [f"<p><em>{html.escape(n)}</em></p>" for n in self.notes]
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The same content as JSON-ready Python objects."""
        def plain(v: Any) -> Any:
            return v.item() if isinstance(v, np.generic) else v

        return {
            "title": self.title,
            "rows": {label: plain(value) for label, value in self.rows},
            "tables": {caption: frame.to_dict(orient="records") for caption, frame in self.tables},
            "notes": list(self.notes),
        }
