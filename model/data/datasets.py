"""The non-market datasets (Epoch AI tables, SEC capex): cache, then mirror.

``jevons data fetch`` downloads them from their publishers into the cache
(``model.paths.cache_dir()/other/<file>``, see :mod:`model.data.fetch`), which then takes
precedence over the mirror; an export of one's own can be put there too. A file is checked
against its recorded sha256 before it is read (the manifest's for a mirror file; for a cached one
the sidecar ``<file>.sha256`` beside it, which the fetch writes, or the user with ``sha256sum`` to
adopt an export), then against its schema and the range rules of
:data:`model.data.validate.DATASET_RULES`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.locations import check_hash, describe_mirror, first_existing, sidecar_path
from model.data.manifest import DatasetSpec, manifest
from model.data.validate import DATASET_RULES, DatasetRules, range_violation, record_lines
from model.errors import DataError
from model.paths import cache_dir


class _Datasets(Mapping):
    """Datasets by manifest name, read from the manifest on first use (so importing
    ``model.data`` never fails on a broken manifest; using it reports the problem)."""

    def __getitem__(self, name: str) -> DatasetSpec:
        return manifest().datasets[name]

    def __iter__(self) -> Iterator[str]:
        return iter(manifest().datasets)

    def __len__(self) -> int:
        return len(manifest().datasets)

    def __repr__(self) -> str:
        return f"DATASETS({', '.join(self)})"


DATASETS: Mapping[str, DatasetSpec] = _Datasets()


def dataset_spec(name: str) -> DatasetSpec:
    """The manifest entry of a dataset; unknown names raise DataError listing the known ones."""
    known = manifest().datasets
    if name not in known:
        raise DataError(
            f"unknown dataset {name!r}; known datasets (data/manifest.toml): {', '.join(known)}"
        )
    return known[name]


def read_dataset_file(path: str | Path, spec: DatasetSpec, *, fix: str) -> pd.DataFrame:
    """Read and check one dataset file against its manifest entry and its range rules.

    Checks: the file is complete (ends with a newline, parses as CSV), has the manifest's
    ``columns``, its ``numeric_columns`` hold numbers or nothing, and its ``date_columns`` hold
    dates in ``date_format`` or nothing; then the rules of
    :data:`model.data.validate.DATASET_RULES` (ranges of the used columns, required cells, rows
    named once). A problem is one line naming the file, the line of the record and its first
    field. Date columns are returned as ``datetime64[ns]``.
    """
    path = Path(path)

    def fail(problem: str) -> DataError:
        return DataError(f"{path}: {problem}. {fix}")

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise fail("the file is empty")
    if not data.endswith(b"\n"):
        raise fail("the file ends in the middle of a line (truncated?)")
    try:
        text = data.decode("utf-8-sig")
        frame = pd.read_csv(
            io.StringIO(text), dtype={c: str for c in spec.date_columns}, low_memory=False,
        )
        lines = record_lines(text)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise fail(f"not a readable CSV file ({reason})") from None
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise fail(f"missing column(s) {', '.join(map(repr, missing))}; {spec.name} needs "
                   f"{', '.join(map(repr, spec.columns))}")
    if frame.empty:
        raise fail("no data rows")
    key = frame.columns[0]
    if len(lines) != len(frame):  # the csv module and pandas disagree: name records by number
        lines = None

    def record(i: int) -> str:
        where = f"line {lines[i]}" if lines is not None else f"record {i + 1}"
        return f"{where} ({key}={_show(frame[key].iloc[i])})"

    for column in spec.numeric_columns:
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna()
        if bad.any():
            i = int(np.argmax(bad.to_numpy()))
            raise fail(f"{record(i)}: {column} {raw.iloc[i]!r} is not a number")
        frame[column] = values.astype(float)
    for column in spec.date_columns:
        raw = frame[column].str.strip()
        dates = pd.to_datetime(raw, format=spec.date_format, errors="coerce")
        bad = dates.isna() & raw.notna() & (raw != "")
        if bad.any():
            i = int(np.argmax(bad.to_numpy()))
            raise fail(
                f"{record(i)}: {column} {raw.iloc[i]!r} is not a date in the format "
                f"{spec.date_format!r}"
            )
        frame[column] = dates.astype("datetime64[ns]")
    _check_rules(frame, DATASET_RULES.get(spec.name, DatasetRules()), record, fail)
    return frame


def _show(value) -> str:
    """A cell as a message shows it: text quoted, 2024.0 as 2024, an empty cell as 'empty'."""
    if isinstance(value, str):
        return repr(value)
    if value is None or pd.isna(value):
        return "empty"
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else f"{float(value):g}"
    return repr(value)


def _check_rules(frame: pd.DataFrame, rules: DatasetRules, record, fail) -> None:
    """Apply a dataset's range rules; ``record(i)`` names row i, ``fail`` builds the error."""
    for rule in rules.ranges:
        if rule.column not in frame.columns:
            continue  # a column the manifest does not require (e.g. Max performance)
        raw = frame[rule.column]
        values = pd.to_numeric(raw, errors="coerce")
        unparsed = values.isna() & raw.notna()
        if unparsed.any():
            i = int(np.argmax(unparsed.to_numpy()))
            raise fail(f"{record(i)}: {rule.column} {raw.iloc[i]!r} is not a number; allowed: "
                       f"{rule.allowed()}")
        found = range_violation(values.to_numpy(dtype=float), rule)
        if found is not None:
            i, problem = found
            raise fail(f"{record(i)}: {problem}")
    for column in rules.required_text:
        empty = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if empty.any():
            i = int(np.argmax(empty.to_numpy()))
            raise fail(f"{record(i)}: {column} is empty; every row needs one")
    if rules.unique:
        repeated = frame.duplicated(list(rules.unique), keep=False)
        if repeated.any():
            first, second = np.flatnonzero(repeated.to_numpy())[:2]
            same = ", ".join(f"{c}={_show(frame[c].iloc[second])}" for c in rules.unique)
            raise fail(f"{record(int(second))}: repeats {same} of {record(int(first))}; "
                       f"allowed: each {'/'.join(rules.unique)} once")


def cache_hash_fix(path: Path) -> str:
    """How to get a verified cached copy of a dataset the project cannot download."""
    return (f"delete it (the mirror copy is then used), or, for an export you trust, record its "
            f"hash with `sha256sum {path.name} > {sidecar_path(path).name}` in {path.parent}")


def load_dataset(name: str) -> pd.DataFrame:
    """Load a dataset of the manifest by name, from the cache or else the mirror.

    Parameters
    ----------
    name
        A key of :data:`DATASETS`: ``epoch_ml_hardware``, ``epoch_notable_ai_models``,
        ``epoch_gpu_clusters``, ``hyperscaler_capex_sec_xbrl_quarterly``.

    Returns
    -------
    pandas.DataFrame
        All columns of the file; the manifest's date columns parsed to ``datetime64[ns]``
        (NaT where the source leaves them empty), its numeric columns as float.
        ``frame.attrs`` holds ``dataset``, ``origin`` (cache/mirror) and ``path``.

    Raises
    ------
    DataError
        Unknown name (listing the known ones); no file in the cache or mirror; a file failing
        the checks of :func:`read_dataset_file`.
    """
    spec = dataset_spec(name)
    found = first_existing(spec.file)
    if found is None:
        cache = cache_dir() / spec.file
        raise DataError(
            f"{name}: no data: no cache file {cache}; {describe_mirror(spec.file)}; set "
            f"JEVONS_DATA_MIRROR to a mirror with {spec.file}, or run `jevons data fetch "
            f"{name}` with network access"
        )
    if found.origin == "cache":
        fix = f"Delete it (the mirror is then used) or replace it with a complete export of {spec.source_url}."
    else:
        fix = "The mirror copy is damaged: check it with `jevons data verify` and restore it."
    check_hash(found, spec.sha256, cache_hash_fix(found.path))
    frame = read_dataset_file(found.path, spec, fix=fix)
    frame.attrs = {"dataset": name, "origin": found.origin, "path": str(found.path)}
    return frame
