"""Validation of price files and downloaded price frames, and the range rules of the other
datasets (:data:`DATASET_RULES`, applied by :func:`model.data.datasets.read_dataset_file`).

Every frame the loader returns has passed :func:`check_prices`. A problem raises
:class:`model.errors.DataError` with one line naming the source (file or download), the line or
row, the date, the column, what is allowed, and how to fix it.

Rules (``kind`` comes from the manifest; unknown tickers count as equities unless their Yahoo
symbol starts with ``^``):

* columns ``Date, Open, High, Low, Close, Adj Close, Volume`` are all present (extra columns are
  ignored); every line has as many fields as the header; the file ends with a newline (a file cut
  off in the middle of a line is reported as truncated);
* ``Date`` is ``YYYY-MM-DD``, strictly ascending, no duplicates;
* ``Close`` is never empty; ``Adj Close`` is never empty, except that an index file may leave
  the whole column empty (a price index pays no dividends, so Adj Close is set to Close);
  ``Open``, ``High``, ``Low`` and ``Volume`` are complete, or (index files only) wholly empty;
* every price is finite and > 0; Volume is finite and >= 0.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.manifest import PRICE_COLUMNS
from model.errors import DataError

DATE_FORMAT = "%Y-%m-%d"
PRICES = ("Open", "High", "Low", "Close", "Adj Close")
# Columns an index file may leave wholly empty (the mirror's IXIC has only Close).
INDEX_MAY_BE_EMPTY = ("Open", "High", "Low", "Adj Close", "Volume")


def _fail(source: str, where: str, problem: str, fix: str) -> DataError:
    where = f": {where}" if where else ""
    return DataError(f"{source}{where}: {problem}. {fix}".rstrip())


def check_prices(
    dates: pd.DatetimeIndex,
    columns: dict[str, np.ndarray],
    *,
    source: str,
    labels: Sequence[str],
    is_index: bool,
    fix: str,
) -> pd.DataFrame:
    """Check parsed price columns and return the loader's frame.

    Parameters
    ----------
    dates
        One date per row (already parsed).
    columns
        Float arrays for each of :data:`PRICE_COLUMNS` (NaN = empty cell).
    source
        The file path or download being checked, for the message.
    labels
        One label per row (``"line 17"``) used in messages.
    is_index
        Whether the series is a price index (relaxes the empty-column rules, see module doc).
    fix
        What the user should do, appended to every message.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``Date`` (tz-naive, ascending, unique), float columns in
        :data:`PRICE_COLUMNS` order; an empty index ``Adj Close`` is filled from ``Close``.
    """
    n = len(dates)
    if n == 0:
        raise _fail(source, "", "no data rows", fix)

    def at(i: int) -> str:
        return f"{labels[i]} ({dates[i]:%Y-%m-%d})"

    step = np.diff(dates.values.astype("datetime64[ns]").astype(np.int64))
    if (step <= 0).any():
        i = int(np.argmax(step <= 0)) + 1
        if step[i - 1] == 0:
            raise _fail(source, at(i), f"date repeats {labels[i - 1]}; dates must be unique", fix)
        raise _fail(
            source, at(i), f"date is before {dates[i - 1]:%Y-%m-%d} on {labels[i - 1]}; "
            "dates must be in ascending order", fix,
        )

    out = {}
    for name in PRICE_COLUMNS:
        values = np.asarray(columns[name], dtype=float)
        empty = np.isnan(values)
        if empty.all() and is_index and name in INDEX_MAY_BE_EMPTY:
            out[name] = values
            continue
        if empty.any():
            i = int(np.argmax(empty))
            allowed = (
                "empty cells are allowed only when an index file leaves the whole column empty"
                if name in INDEX_MAY_BE_EMPTY and name != "Close"
                else "Close may never be empty"
            )
            raise _fail(source, at(i), f"{name} is empty (NaN); {allowed}", fix)
        bad = ~np.isfinite(values)
        bad |= (values <= 0) if name in PRICES else (values < 0)
        if bad.any():
            i = int(np.argmax(bad))
            rule = "prices must be finite and > 0" if name in PRICES else "must be finite and >= 0"
            raise _fail(source, at(i), f"{name} is {float(values[i]):g}; {rule}", fix)
        out[name] = values
    if is_index and np.isnan(out["Adj Close"]).all():
        out["Adj Close"] = out["Close"].copy()
    index = pd.DatetimeIndex(dates.values.astype("datetime64[ns]"), name="Date")
    return pd.DataFrame(out, index=index, columns=list(PRICE_COLUMNS))


def read_price_file(path: str | Path, *, is_index: bool, fix: str) -> pd.DataFrame:
    """Read and check a price CSV (the yfinance layout ``Date,Open,...,Volume``).

    Raises
    ------
    DataError
        On any rule in the module docstring, naming ``path``, the line, date and column.
    """
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(source, "", f"not UTF-8 text (byte {exc.start})", fix) from None
    except OSError as exc:
        raise _fail(source, "", f"cannot be read ({exc.strerror})", fix) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark from spreadsheet exports
    if not text.strip():
        raise _fail(source, "", "the file is empty", fix)
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        raise _fail(
            source, f"line {last}", "the file ends in the middle of a line (truncated?); "
            "a complete CSV file ends with a newline", fix,
        )
    try:
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader)]
        numbered = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        raise _fail(source, "", f"not a readable CSV file ({exc})", fix) from None
    missing = [c for c in ("Date", *PRICE_COLUMNS) if c not in header]
    if missing:
        raise _fail(
            source, "line 1", f"missing column(s) {', '.join(missing)}; required: "
            f"{', '.join(('Date', *PRICE_COLUMNS))}", fix,
        )
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise _fail(source, "line 1", f"column {dup!r} appears twice", fix)
    if not numbered:
        raise _fail(source, "", "no data rows", fix)
    for line, row in numbered:
        if len(row) != len(header):
            raise _fail(
                source, f"line {line}", f"{len(row)} fields where the header has {len(header)} "
                "(truncated or damaged line)", fix,
            )
    labels = [f"line {line}" for line, _ in numbered]
    cells = np.array([row for _, row in numbered], dtype=object).reshape(len(numbered), -1)

    raw_dates = pd.Series(cells[:, header.index("Date")], dtype=object).str.strip()
    dates = pd.to_datetime(raw_dates, format=DATE_FORMAT, errors="coerce")
    if dates.isna().any():
        i = int(np.argmax(dates.isna().to_numpy()))
        raise _fail(
            source, labels[i], f"Date {raw_dates[i]!r} is not a date; allowed: YYYY-MM-DD", fix
        )
    dates = pd.DatetimeIndex(dates)

    columns = {}
    for name in PRICE_COLUMNS:
        raw = pd.Series(cells[:, header.index(name)], dtype=object).str.strip()
        values = pd.to_numeric(raw.replace("", np.nan), errors="coerce").to_numpy(dtype=float)
        unparsed = np.isnan(values) & (raw != "").to_numpy() & ~raw.str.lower().isin(["nan"])
        if unparsed.any():
            i = int(np.argmax(unparsed))
            raise _fail(
                source, f"{labels[i]} ({dates[i]:%Y-%m-%d})",
                f"{name} {raw[i]!r} is not a number", fix,
            )
        columns[name] = values
    return check_prices(
        dates, columns, source=source, labels=labels, is_index=is_index, fix=fix
    )


def frame_from_download(raw: pd.DataFrame, *, source: str, is_index: bool, fix: str) -> pd.DataFrame:
    """Check a frame returned by ``yfinance.download(..., auto_adjust=False)``."""
    frame = raw.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        # yfinance may return (Price, Ticker) columns even for one ticker.
        frame.columns = frame.columns.get_level_values(0)
    missing = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if missing:
        raise _fail(source, "", f"missing column(s) {', '.join(missing)} in the download", fix)
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    index = index.normalize()
    columns = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype=float) for c in PRICE_COLUMNS}
    labels = [f"row {i + 1}" for i in range(len(index))]
    return check_prices(index, columns, source=source, labels=labels, is_index=is_index, fix=fix)


# --- the used columns of the other datasets -----------------------------------------------------
@dataclass(frozen=True)
class Range:
    """What the values of one column may be: finite, above ``low`` (strictly when ``low_open``),
    at most ``high``; whole numbers when ``integer``; an empty cell is an error when ``required``
    (else it is missing data, which the fits skip)."""

    column: str
    low: float
    low_open: bool = True
    high: float = math.inf
    required: bool = False
    integer: bool = False
    note: str = ""

    def allowed(self) -> str:
        low = f"> {self.low:g}" if self.low_open else f">= {self.low:g}"
        high = "" if math.isinf(self.high) else f" and <= {self.high:g}"
        kind = "a whole number" if self.integer else "a finite number"
        empty = "" if self.required else " or empty"
        note = f" ({self.note})" if self.note else ""
        return f"{kind} {low}{high}{empty}{note}"


@dataclass(frozen=True)
class DatasetRules:
    """The range checks of one dataset, applied when it is loaded: ``ranges`` on numeric columns,
    ``required_text`` columns that may not be empty, ``unique`` columns that together name a row
    at most once."""

    ranges: tuple[Range, ...] = ()
    required_text: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()


_PERFORMANCE = ("Tensor-FP16/BF16 performance (FLOP/s)", "FP16 (half precision) performance (FLOP/s)",
                "FP32 (single precision) performance (FLOP/s)")

#: Rules by manifest dataset name. The hardware fit takes logs of price and performance, so a
#: figure it may use must be positive; the capex regressions index years and quarters.
DATASET_RULES: dict[str, DatasetRules] = {
    "epoch_ml_hardware": DatasetRules(
        ranges=(
            Range("Release price (USD)", 0, note="a launch price in USD; empty when unknown"),
            *(Range(c, 0, note="FLOP/s; empty when unknown") for c in _PERFORMANCE),
            Range("Max performance", 0, low_open=False, note="FLOP/s; 0 means Epoch gives no figure"),
        ),
    ),
    "hyperscaler_capex_sec_xbrl_quarterly": DatasetRules(
        ranges=(
            Range("year", 1990, low_open=False, high=2100, required=True, integer=True),
            Range("quarter", 0, low_open=False, high=4, required=True, integer=True,
                  note="0 = the calendar year, 1-4 = a calendar quarter"),
            Range("payments_usd", 0, low_open=False, high=1e12, required=True,
                  note="USD of capex in the period"),
        ),
        required_text=("ticker",),
        unique=("ticker", "year", "quarter"),
    ),
    "epoch_notable_ai_models": DatasetRules(
        ranges=tuple(Range(c, 0, low_open=False) for c in (
            "Parameters", "Training compute (FLOP)", "Hardware quantity",
            "Training compute cost (2023 USD)")),
    ),
    "epoch_gpu_clusters": DatasetRules(
        ranges=tuple(Range(c, 0, low_open=False) for c in (
            "H100 equivalents", "Chip quantity (primary)", "Power Capacity (MW)", "Hardware Cost")),
    ),
}


def range_violation(values: np.ndarray, rule: Range) -> tuple[int, str] | None:
    """The first row of ``values`` (floats, NaN = empty) that breaks ``rule``, with what is wrong;
    None when every row passes."""
    values = np.asarray(values, dtype=float)
    empty = np.isnan(values)
    bad = empty.copy() if rule.required else np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        full = ~empty
        out = ~np.isfinite(values) | (values <= rule.low if rule.low_open else values < rule.low)
        out |= values > rule.high
        if rule.integer:
            out |= np.isfinite(values) & (values != np.round(values))
    bad |= full & out
    if not bad.any():
        return None
    i = int(np.argmax(bad))
    shown = "empty" if empty[i] else f"{values[i]:g}"
    return i, f"{rule.column} is {shown}; allowed: {rule.allowed()}"


def record_lines(text: str) -> list[int]:
    """The line on which each data record of a CSV text starts (records may span lines when a
    quoted field holds a newline; blank lines are skipped, as pandas does)."""
    reader = csv.reader(io.StringIO(text))
    starts, previous = [], 0
    for row in reader:
        if row:
            starts.append(previous + 1)
        previous = reader.line_num
    return starts[1:]  # the first record is the header
