"""The curated facts tables (``data/facts/*.csv``): one sourced number per row, with its date.

Every fact carries the date it became public (``as_of``), so a fit as of a date can see only what
was known then: ``load_facts("2025-02-10")`` drops everything published later. The schema is in
``data/facts/README.md``; :func:`read_facts_file` enforces it and reports a problem as one line
naming the file, the line and the column.

Text-only facts (statements such as "Jevons paradox strikes again") live in
``statements.csv`` and are read by :func:`load_statements`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
import stat
from functools import lru_cache
from pathlib import Path

import pandas as pd

from model.dates import parse_date
from model.errors import DataError
from model.paths import facts_dir

STATEMENTS_FILE = "statements.csv"
#: The tables the code reads facts from (data/facts/README.md says what each holds); ``jevons
#: data verify`` fails when one is missing from the facts directory.
TABLES = ("capex.csv", "deepseek.csv", "event.csv", "hardware.csv", "nvidia.csv", "trends.csv",
          STATEMENTS_FILE)

FACT_COLUMNS = (
    "id", "value", "unit", "as_of", "period_start", "period_end", "basis", "used",
    "variant_of", "stated_by", "source", "note",
)
STATEMENT_COLUMNS = ("id", "statement", "as_of", "stated_by", "source", "note")
# Columns that may be left empty.
OPTIONAL = frozenset({"period_start", "period_end", "variant_of", "note"})

BASES = {
    "market": "exchange prices, index levels and market values",
    "reported": "a figure a company or agency reported for a past period",
    "guidance": "a company's plan or guidance for a future period",
    "consensus": "an analyst consensus",
    "estimate": "a research or analyst estimate",
    "spec": "a vendor specification, list price or published price sheet",
    "derived": "arithmetic on other rows or sources (the note gives the formula)",
}
UNITS = {
    "USD/share": "US dollars per share",
    "USD": "US dollars",
    "USD bn": "billions of US dollars",
    "USD tn": "trillions of US dollars",
    "USD m": "millions of US dollars",
    "USD/GPU-hour": "US dollars per GPU-hour",
    "USD/1M tokens": "US dollars per million tokens",
    "CNY/1M tokens": "Chinese yuan per million tokens",
    "%": "percent (a change or a share)",
    "index points": "index level",
    "x": "a ratio or multiple",
    "years": "years",
    "months": "months",
    "GPU-hours": "GPU-hours",
    "GPU-hours/1T tokens": "GPU-hours per trillion training tokens",
    "GPUs": "number of GPUs",
    "GW": "gigawatts",
    "W": "watts",
    "FLOP/s": "floating-point operations per second",
    "FLOP": "floating-point operations",
    "bytes": "bytes",
    "bytes/s": "bytes per second",
    "parameters": "model parameters",
    "tokens": "tokens",
    "tokens/minute": "tokens processed per minute (a usage rate)",
    "tokens/day": "tokens processed per day (a usage rate)",
    "tokens/month": "tokens processed per month (a usage rate)",
    "tokens/year": "tokens processed per year (a usage rate, often annualised)",
    "count": "a count",
    "elasticity": "a price elasticity (dimensionless, negative for a downward demand curve)",
}
# Amounts, prices, counts and durations are positive: a capex of -80 or a revenue of 0 is a typo
# that would flip or divide the fits. "%" (changes), "x" and "elasticity" may take any sign.
POSITIVE_UNITS = frozenset(UNITS) - {"%", "elasticity", "index points"}
MAX_VALUE = 1e40  # above every quantity of the tables (FLOP counts reach ~1e27)
MAX_FILE_BYTES = 20 * 2**20  # a facts table is a few hundred rows
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^https?://\S+$")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _rows(path: Path, expected: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Parse a facts CSV strictly: known header, complete lines, no blank ids."""
    try:
        info = path.stat()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path}: not a regular file (a FIFO, device or folder); allowed: a CSV file")
    if info.st_size > MAX_FILE_BYTES:
        raise DataError(f"{path}: {info.st_size:,} bytes; allowed: at most {MAX_FILE_BYTES:,}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty; line 1 must be the header {','.join(expected)}")
    if not text.endswith("\n"):
        raise DataError(f"{path}: line {text.count(chr(10)) + 1}: the file ends in the middle "
                        "of a line (truncated?)")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
        rows = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    missing = [c for c in expected if c not in header]
    if missing:
        raise DataError(f"{path}: line 1: missing column(s) {', '.join(missing)}; the header "
                        f"must be {','.join(expected)}")
    unknown = [c for c in header if c not in expected]
    if unknown:
        raise DataError(f"{path}: line 1: unknown column(s) {', '.join(unknown)}; allowed: "
                        f"{','.join(expected)}")
    if len(set(header)) != len(header):
        raise DataError(f"{path}: line 1: a column appears twice")
    out = []
    for line, row in rows:
        if len(row) != len(header):
            raise DataError(f"{path}: line {line}: {len(row)} fields where the header has "
                            f"{len(header)} (quote fields that contain commas)")
        out.append((line, {k: v.strip() for k, v in zip(header, row, strict=True)}))
    if not out:
        raise DataError(f"{path}: no data rows")
    return out


def _check_common(path: Path, line: int, row: dict[str, str], seen: dict[str, str]) -> None:
    where = f"{path}: line {line}"
    fid = row["id"]
    if not _ID.match(fid):
        raise DataError(f"{where}: id {fid!r} is not snake_case (a-z, 0-9, _; starts with a letter)")
    if fid in seen:
        raise DataError(f"{where}: id {fid!r} is already used at {seen[fid]}; ids must be unique "
                        "across all facts files")
    seen[fid] = f"{path.name} line {line}"
    if _date(row["as_of"]) is None:
        raise DataError(f"{where} ({fid}): as_of {row['as_of']!r} is not a date; allowed: YYYY-MM-DD")
    for key in ("stated_by", "source"):
        if not row[key]:
            raise DataError(f"{where} ({fid}): {key} is empty; every fact names who stated it "
                            "and where")


def _check_fact(path: Path, line: int, row: dict[str, str]) -> None:
    where = f"{path}: line {line} ({row['id']})"
    try:
        value = float(row["value"])
    except ValueError:
        raise DataError(
            f"{where}: value {row['value']!r} is not a number; one number per row (a range "
            "becomes two rows _low/_high; text goes to statements.csv)"
        ) from None
    if not math.isfinite(value):
        raise DataError(f"{where}: value {row['value']!r} must be a finite number")
    if row["unit"] not in UNITS:
        raise DataError(f"{where}: unit {row['unit']!r} is not known; allowed: {', '.join(UNITS)}")
    if row["unit"] in POSITIVE_UNITS and not 0 < value <= MAX_VALUE:
        raise DataError(f"{where}: value {row['value']} {row['unit']} is out of range; allowed: a "
                        f"positive amount up to {MAX_VALUE:g} (a fall or a loss is stated as a "
                        "positive amount or in %)")
    if row["basis"] not in BASES:
        raise DataError(f"{where}: basis {row['basis']!r}; allowed: {', '.join(BASES)}")
    if row["used"] not in ("yes", "no"):
        raise DataError(f"{where}: used {row['used']!r}; allowed: yes, no")
    days = {}
    for key in ("period_start", "period_end"):
        if row[key]:
            days[key] = _date(row[key])
            if days[key] is None:
                raise DataError(f"{where}: {key} {row[key]!r} is not a date; allowed: "
                                "YYYY-MM-DD or empty")
    if len(days) == 1:
        raise DataError(f"{where}: give both period_start and period_end, or neither")
    if days and days["period_start"] > days["period_end"]:
        raise DataError(f"{where}: period_start is after period_end")
    if row["used"] == "no" and not row["variant_of"]:
        raise DataError(f"{where}: used is 'no' but variant_of is empty; name the id of the "
                        "row the project uses instead")
    if row["basis"] != "derived" and not _URL.match(row["source"]):
        raise DataError(f"{where}: source {row['source']!r} is not a URL; allowed: an http(s) "
                        "URL (or, for basis 'derived', the formula)")


def _files(directory: Path) -> list[Path]:
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError(f"{directory}: the facts directory does not exist")
    files = sorted(p for p in directory.glob("*.csv") if p.name != STATEMENTS_FILE)
    if not files:
        raise DataError(f"{directory}: no facts tables (*.csv)")
    return files


def missing_tables(directory: str | Path) -> list[Path]:
    """The expected tables (:data:`TABLES`) that do not exist in ``directory``."""
    return [Path(directory) / name for name in TABLES if not (Path(directory) / name).exists()]


def _signature(directory: Path) -> tuple:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(Path(directory).glob("*.csv"))
    )


@lru_cache(maxsize=8)
def _read_all(directory: str, signature: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All facts and statements of a directory, checked (cached on the files' mtimes)."""
    seen: dict[str, str] = {}
    records = []
    for path in _files(Path(directory)):
        for line, row in _rows(path, FACT_COLUMNS):
            _check_common(path, line, row, seen)
            _check_fact(path, line, row)
            records.append({**row, "file": path.name, "line": line})
    by_id = {r["id"]: r for r in records}
    for r in records:
        target = r["variant_of"]
        if not target:
            continue
        where = f"{Path(directory) / r['file']}: line {r['line']} ({r['id']})"
        if target == r["id"] or target not in by_id:
            raise DataError(f"{where}: variant_of {target!r} must be the id of another fact")
        if by_id[target]["used"] != "yes":
            raise DataError(f"{where}: variant_of {target!r} names a row that is not used "
                            "itself; point to the row the project uses")
    facts = pd.DataFrame.from_records(records, columns=[*FACT_COLUMNS, "file", "line"])
    facts["value"] = facts["value"].astype(float)
    for key in ("as_of", "period_start", "period_end"):
        facts[key] = pd.to_datetime(facts[key].replace("", None), format="%Y-%m-%d")
    facts["used"] = facts["used"] == "yes"

    statements = pd.DataFrame(columns=[*STATEMENT_COLUMNS, "file", "line"])
    spath = Path(directory) / STATEMENTS_FILE
    if spath.exists():
        rows = []
        for line, row in _rows(spath, STATEMENT_COLUMNS):
            _check_common(spath, line, row, seen)
            if not row["statement"]:
                raise DataError(f"{spath}: line {line} ({row['id']}): statement is empty")
            if not _URL.match(row["source"]):
                raise DataError(f"{spath}: line {line} ({row['id']}): source is not an http(s) URL")
            rows.append({**row, "file": spath.name, "line": line})
        statements = pd.DataFrame.from_records(rows, columns=[*STATEMENT_COLUMNS, "file", "line"])
        statements["as_of"] = pd.to_datetime(statements["as_of"], format="%Y-%m-%d")
    return facts, statements


def _as_of(as_of) -> pd.Timestamp | None:
    return None if as_of is None else parse_date(as_of, "as_of", DataError)


def _load(directory) -> tuple[pd.DataFrame, pd.DataFrame]:
    directory = Path(directory)
    return _read_all(str(directory), _signature(directory))


def load_facts(as_of: str | dt.date | None = None, *, directory: str | Path | None = None) -> pd.DataFrame:
    """All numeric facts known on ``as_of`` (every fact when None).

    Parameters
    ----------
    as_of
        Keep rows whose ``as_of`` is on or before this date.
    directory
        The facts directory (default: ``JEVONS_FACTS_DIR`` or ``data/facts``).

    Returns
    -------
    pandas.DataFrame
        Columns ``id, value, unit, as_of, period_start, period_end, basis, used, variant_of,
        stated_by, source, note, file, line``; ``value`` float, dates ``datetime64``, ``used``
        bool (False for a variant kept beside the figure the project uses).

    Raises
    ------
    DataError
        A file breaking the schema (one line naming the file, line and column); a bad date.
    """
    facts, _ = _load(directory or facts_dir())
    day = _as_of(as_of)
    out = facts if day is None else facts[facts["as_of"] <= day]
    return out.reset_index(drop=True).copy()


def load_statements(as_of: str | dt.date | None = None, *, directory: str | Path | None = None) -> pd.DataFrame:
    """Text-only facts (``statements.csv``) known on ``as_of``."""
    _, statements = _load(directory or facts_dir())
    day = _as_of(as_of)
    out = statements if day is None else statements[statements["as_of"] <= day]
    return out.reset_index(drop=True).copy()


def fact(fact_id: str, as_of: str | dt.date | None = None, *, directory: str | Path | None = None) -> pd.Series:
    """The row of one fact, checked to be known on ``as_of``."""
    facts, _ = _load(directory or facts_dir())
    match = facts[facts["id"] == fact_id]
    if match.empty:
        close = difflib.get_close_matches(str(fact_id), facts["id"].tolist(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see data/facts/*.csv"
        raise DataError(f"unknown fact id {fact_id!r}{hint}")
    row = match.iloc[0]
    day = _as_of(as_of)
    if day is not None and row["as_of"] > day:
        raise DataError(
            f"fact {fact_id!r} ({row['file']} line {row['line']}) became known on "
            f"{row['as_of']:%Y-%m-%d}, after the as-of date {day:%Y-%m-%d}"
        )
    return row


def fact_value(fact_id: str, as_of: str | dt.date | None = None, *, directory: str | Path | None = None) -> float:
    """The value of one fact; DataError when the id is unknown or not yet known on ``as_of``."""
    return float(fact(fact_id, as_of, directory=directory)["value"])
