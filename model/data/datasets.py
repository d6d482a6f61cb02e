"""The non-market datasets (Epoch AI tables, SEC capex): cache, then mirror.

These have no download path in the project: a fresher export can be put into the cache
(``model.paths.cache_dir()/other/<file>``), which then takes precedence over the mirror.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from model.data.locations import check_mirror_hash, describe_mirror, first_existing
from model.data.manifest import DatasetSpec, manifest
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
    """Read and check one dataset file against its manifest entry.

    Checks: the file is complete (ends with a newline, parses as CSV), has the manifest's
    ``columns``, its ``numeric_columns`` hold numbers or nothing, and its ``date_columns`` hold
    dates in ``date_format`` or nothing. Date columns are returned as ``datetime64[ns]``.
    """
    path = Path(path)

    def fail(problem: str) -> DataError:
        return DataError(f"{path}: {problem}. {fix}")

    try:
        text = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    if not text.strip():
        raise fail("the file is empty")
    if not text.endswith(b"\n"):
        raise fail("the file ends in the middle of a line (truncated?)")
    try:
        frame = pd.read_csv(
            path, dtype={c: str for c in spec.date_columns}, low_memory=False,
            encoding="utf-8-sig",
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise fail(f"not a readable CSV file ({reason})") from None
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise fail(f"missing column(s) {', '.join(map(repr, missing))}; {spec.name} needs "
                   f"{', '.join(map(repr, spec.columns))}")
    if frame.empty:
        raise fail("no data rows")
    key = frame.columns[0]

    def record(i: int) -> str:
        return f"record {i + 1} ({key}={frame[key].iloc[i]!r})"

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
    return frame


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
            f"JEVONS_DATA_MIRROR to a mirror with {spec.file}, or save the CSV export of "
            f"{spec.source_url} as {cache}"
        )
    if found.origin == "cache":
        fix = f"Delete it (the mirror is then used) or replace it with a complete export of {spec.source_url}."
    else:
        fix = "The mirror copy is damaged: check it with `jevons data verify` and restore it."
    if found.origin == "mirror":
        check_mirror_hash(found.path, spec.sha256)
    frame = read_dataset_file(found.path, spec, fix=fix)
    frame.attrs = {"dataset": name, "origin": found.origin, "path": str(found.path)}
    return frame
