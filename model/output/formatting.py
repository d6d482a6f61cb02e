"""Numbers and tables formatted for a reader: significant digits, thousands separators, dates as
YYYY-MM-DD, human column headers, no pandas index.

The book's :func:`model.output.book.show_table` renders every table through these functions, so
the data frames the package builds keep their stable column names (chapters and tests select
columns by them) and only the page shows the reader's version:

* :func:`format_number` writes one number: integers and numbers of 1,000 or more with thousands
  separators and no decimals (1234567.891 -> "1,234,568"), 100 to 1,000 with one decimal
  (192.25237 -> "192.3"), smaller numbers to three significant digits (0.012345 -> "0.0123"),
  very large or very small ones as "9.89 × 10¹⁴"; a negative zero is "0".
* :func:`column_formatters` picks a formatter for every column of a frame from its values (years
  stay "2025", not "2,025"), letting the caller's own format strings win.
* :func:`display_name` turns a column's code name into a header (:data:`DISPLAY_NAMES`).
* :func:`for_display` is the frame as shown: a meaningful index becomes the first column, a
  default 0, 1, 2... index is dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

#: Code names that appear as column names in the package's tables, and the header a reader sees.
#: A chapter may add its own with ``show_table(..., names={...})``.
DISPLAY_NAMES: dict[str, str] = {
    "T_hw (yr)": "Doubling time (years)",
    "doubling_years": "Doubling time (years)",
    "interval_low": "95% interval, low",
    "interval_high": "95% interval, high",
    "ols low": "95% interval, low (OLS)",
    "ols high": "95% interval, high (OLS)",
    "hc3 low": "95% interval, low (HC3)",
    "hc3 high": "95% interval, high (HC3)",
    "hc3_low": "95% interval, low (HC3)",
    "hc3_high": "95% interval, high (HC3)",
    "as_of": "As of",
    "last_release": "Latest release",
    "fp16_tensor_only": "FP16 tensor only",
    "fp32": "FP32",
    "fp16": "FP16",
    "bf16": "BF16",
    "tf32": "TF32",
    "fp8": "FP8",
    "int8": "INT8",
    "stated_by": "Stated by",
    "source_kind": "Kind of source",
    "fact id": "Fact",
}

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
YEAR_RANGE = (1800, 2200)


def _power_of_ten(value: float, digits: int) -> str:
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def decimals_for(magnitude: float, digits: int = 3) -> int:
    """Decimals that give a number of size ``magnitude`` ``digits`` significant digits, with one
    decimal from 100 and none from 1,000 on."""
    if magnitude >= 1000:
        return 0
    if magnitude >= 100:
        return 1
    if magnitude == 0:
        return 0
    return max(0, digits - 1 - math.floor(math.log10(magnitude)))


def format_number(value: Any, digits: int = 3, decimals: int | None = None) -> str:
    """``value`` as a table cell (see the module docstring); missing values give "".

    ``decimals`` fixes the decimals (a column's shared choice, :func:`number_formatter`); a
    non-zero number that would then round to zero keeps ``digits`` significant digits instead.
    """
    if value is None or isinstance(value, bool | np.bool_):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if isinstance(value, int):
        return f"{value:,}"
    magnitude = abs(value)
    if magnitude >= 1e12 or (0 < magnitude < 1e-4):
        return _power_of_ten(value, digits)
    own = 0 if value == round(value) else decimals_for(magnitude, digits)
    places = own if decimals is None else min(decimals, decimals_for(magnitude, digits))
    text = f"{value:,.{places}f}"
    if magnitude > 0 and text.lstrip("-").strip("0.,") == "":
        text = f"{value:,.{decimals_for(magnitude, digits)}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


def number_formatter(values: pd.Series, digits: int = 3) -> Callable[[Any], str]:
    """One formatter for a numeric column: every cell gets the decimals that give the column's
    median magnitude ``digits`` significant digits (fewer for cells of 100 or more), so the
    numbers line up; a column of whole numbers gets none."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    finite = numbers[np.isfinite(numbers)]
    if finite.empty or bool((finite == finite.round()).all()):
        decimals = 0
    else:
        nonzero = finite[finite != 0].abs()
        decimals = decimals_for(float(nonzero.median()), digits) if len(nonzero) else 0

    def cell(value: Any) -> str:
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            return f"{int(value):,}"
        return format_number(value, digits, decimals)
    return cell


def format_date(value: Any) -> str:
    """A date or timestamp as YYYY-MM-DD (a time of day is dropped); missing values give ""."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def is_year_column(values: pd.Series) -> bool:
    """Whether a numeric column holds calendar years (whole numbers from 1800 to 2200)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty or len(numbers) != values.notna().sum():
        return False
    whole = bool((numbers == numbers.round()).all())
    return whole and bool(numbers.between(*YEAR_RANGE).all())


LONG_TOKEN = 24
_LONG = re.compile(rf"\S{{{LONG_TOKEN},}}")


def soft_breaks(text: str) -> str:
    """``text`` with ``<wbr>`` break opportunities inside tokens of :data:`LONG_TOKEN` or more
    characters (hashes, paths, dotted names), after each "/", "_", "." or "," and every 16
    characters, so a narrow column can wrap them; text holding HTML is left alone."""
    if "<" in text or len(text) < LONG_TOKEN:
        return text

    def split(match: re.Match) -> str:
        token = re.sub(r"([/_.,])", r"\1<wbr>", match.group(0))
        return re.sub(r"([^<>/_.,]{16})(?=[^<>/_.,])", r"\1<wbr>", token)
    return _LONG.sub(split, text)


def _cell(value: Any) -> str:
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return format_date(value)
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return format_number(value)
    return "" if value is None else soft_breaks(str(value))


def _year(value: Any) -> str:
    return "" if pd.isna(value) else str(int(value))


def kind_of_column(values: pd.Series) -> str:
    """"date", "year", "number" or "text": how a column is formatted and aligned."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values):
        return "text"
    if pd.api.types.is_numeric_dtype(values):
        return "year" if is_year_column(values) and _year_like_name(values.name) else "number"
    present = values.dropna()
    if len(present) and all(isinstance(v, dt.date | pd.Timestamp) for v in present):
        return "date"
    if len(present) and all(isinstance(v, str) and _looks_like_date(v) for v in present):
        return "date"
    return "text"


def _year_like_name(name: Any) -> bool:
    """Years are recognised by value (1800-2200, whole) and by a header that does not name a
    quantity with a unit (so "USD bn" columns holding 1,900 stay numbers)."""
    text = " ".join(map(str, name)) if isinstance(name, tuple) else str(name)
    return "(" not in text and "usd" not in text.lower() and "bn" not in text.lower()


def _looks_like_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


Formatter = str | Callable[[Any], str]


def column_formatters(frame: pd.DataFrame, fmt: Formatter | Mapping[Any, Formatter] | None = None,
                      ) -> dict[Any, Formatter]:
    """A formatter for every column of ``frame``: the caller's ``fmt`` (one format string for
    every numeric column, or a dict by column) where given, otherwise by the column's kind
    (:func:`kind_of_column`)."""
    by_column = dict(fmt) if isinstance(fmt, Mapping) else {}
    shared = fmt if isinstance(fmt, str | Callable) and fmt != "{}" else None
    out: dict[Any, Formatter] = {}
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position].rename(column)
        kind = kind_of_column(values)
        if column in by_column:
            out[column] = by_column[column]
        elif shared is not None and kind == "number":
            out[column] = shared
        elif kind == "date":
            out[column] = format_date
        elif kind == "year":
            out[column] = _year
        elif kind == "number":
            out[column] = number_formatter(values)
        else:
            out[column] = _cell
    return out


def display_name(name: Any, names: Mapping[str, str] | None = None) -> Any:
    """The header shown for a column (or one level of a column label) called ``name``: its
    entry in ``names`` or :data:`DISPLAY_NAMES`, else the name in sentence case ("set in" ->
    "Set in"); a first word that is code-like (with a digit or an underscore, "p05", "fp32_x"),
    a symbol or abbreviation of one or two letters ("t", "se", "n") or does not start with a
    lower-case ASCII letter is left as it is."""
    if not isinstance(name, str):
        return name
    table = {**DISPLAY_NAMES, **(names or {})}
    if name in table:
        return table[name]
    first = name.split(" ", 1)[0]
    if first[:1].isascii() and first[:1].islower() and first.isalpha() and len(first) > 2:
        return name[0].upper() + name[1:]
    return name


def _default_index(index: pd.Index) -> bool:
    return (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
            and index.name is None)


def for_display(frame: pd.DataFrame, index: bool | None = None) -> tuple[pd.DataFrame, bool]:
    """``(frame, show_index)`` as the page shows it.

    With ``index=None`` (the default) a default 0, 1, 2... index is dropped and any other index
    becomes the first column(s) under its name, so that it looks like the other columns;
    ``index=True`` keeps pandas' index as it is, ``index=False`` drops it.
    """
    if index is False or (index is None and _default_index(frame.index)):
        return frame, False
    if index is True:
        return frame, True
    names = [name if name is not None else "" for name in frame.index.names]
    taken = set(map(str, frame.columns))
    if any(str(name) in taken for name in names):
        return frame, True
    shown = frame.copy()
    shown.index = shown.index.set_names(names)
    return shown.reset_index(), False


def column_kinds(frame: pd.DataFrame) -> list[str]:
    """:func:`kind_of_column` of every column, by position."""
    return [kind_of_column(frame.iloc[:, i].rename(frame.columns[i]))
            for i in range(frame.shape[1])]
