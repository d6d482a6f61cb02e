"""What data are available, where each dataset would be read from, and whether it matches the
manifest (the logic behind ``jevons data status`` and ``jevons data verify``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.data.datasets import cache_hash_fix, read_dataset_file
from model.data.facts import TABLES, load_facts, load_statements, missing_tables
from model.data.locations import (
    cache_hash_problem,
    candidates,
    describe_mirror,
    first_existing,
    is_offline,
    mirror_hash_problem,
)
from model.data.manifest import DatasetSpec, TickerSpec, manifest
from model.data.validate import read_price_file
from model.errors import DataError
from model.paths import MIRROR_ENV, cache_dir, facts_dir, mirror_dir


@dataclass(frozen=True)
class Entry:
    """One row of ``jevons data status``."""

    kind: str  # "market" or "other"
    name: str
    file: str
    in_cache: bool
    in_mirror: bool
    read_from: str  # "cache", "mirror", "network" or "missing"
    rows: int | None
    first: str
    last: str
    problem: str  # empty when the file that would be read passes its hash and other checks


def _read(spec: TickerSpec | DatasetSpec, path: Path, fix: str) -> pd.DataFrame:
    if isinstance(spec, TickerSpec):
        return read_price_file(path, is_index=spec.is_index, fix=fix)
    return read_dataset_file(path, spec, fix=fix)


def _span(spec: TickerSpec | DatasetSpec, frame: pd.DataFrame) -> tuple[str, str]:
    if isinstance(spec, TickerSpec):
        dates = frame.index
    elif spec.date_columns:
        dates = frame[spec.date_columns[0]].dropna()
    else:
        return "", ""
    return (f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}") if len(dates) else ("", "")


def _entries() -> list[tuple[str, str, TickerSpec | DatasetSpec]]:
    m = manifest()
    out: list[tuple[str, str, TickerSpec | DatasetSpec]] = [
        ("market", stem, spec) for stem, spec in m.tickers.items()
    ]
    out += [("other", name, spec) for name, spec in m.datasets.items()]
    return out


def status() -> list[Entry]:
    """Availability of every manifest dataset, without touching the network."""
    offline = is_offline()
    rows = []
    for kind, name, spec in _entries():
        places = {c.origin: c.path.is_file() for c in candidates(spec.file)}
        found = first_existing(spec.file)
        n, first, last, problem = None, "", "", ""
        if found is not None:
            read_from = found.origin
            problem = (mirror_hash_problem(found.path, spec.sha256) if found.origin == "mirror"
                       else cache_hash_problem(found.path)) or ""
            try:
                frame = _read(spec, found.path, fix="")
                n = len(frame)
                first, last = _span(spec, frame)
            except DataError as exc:
                problem = str(exc)
        elif kind == "market" and not offline:
            read_from = "network"
        else:
            read_from = "missing"
        rows.append(Entry(kind, name, spec.file, places.get("cache", False),
                          places.get("mirror", False), read_from, n, first, last, problem))
    return rows


@dataclass(frozen=True)
class Check:
    """One file (or missing dataset) checked by ``jevons data verify``."""

    name: str
    origin: str  # "mirror", "cache", "facts", or "-" for a dataset found nowhere
    path: str
    result: str  # "ok", "FAIL", "MISSING" (a problem), "absent" (no file here) or "download"
    detail: str


def _check_mirror_file(name: str, spec: TickerSpec | DatasetSpec, path: Path) -> list[str]:
    problems = []
    mismatch = mirror_hash_problem(path, spec.sha256)
    if mismatch:
        problems.append(f"{path}: {mismatch} (data/manifest.toml, {name}); restore the snapshot "
                        f"({spec.snapshot_of})")
    try:
        frame = _read(spec, path, fix="Restore the mirror snapshot.")
    except DataError as exc:
        return [*problems, str(exc)]
    if len(frame) != spec.rows:
        problems.append(f"{path}: {len(frame)} data rows, the manifest says {spec.rows} for {name}")
    if isinstance(spec, TickerSpec):
        first, last = _span(spec, frame)
        expected = (f"{spec.first_date:%Y-%m-%d}", f"{spec.last_date:%Y-%m-%d}")
        if (first, last) != expected:
            problems.append(f"{path}: covers {first} to {last}, the manifest says "
                            f"{expected[0]} to {expected[1]} for {name}")
    return problems


def _check_cache_file(name: str, spec: TickerSpec | DatasetSpec, path: Path) -> list[str]:
    problems = []
    if isinstance(spec, TickerSpec):
        fix = f"re-run `jevons data fetch {name}`"
    else:
        fix = cache_hash_fix(path)
    mismatch = cache_hash_problem(path)
    if mismatch:
        problems.append(f"{path}: {mismatch}; {fix}")
    try:
        _read(spec, path, fix="Delete it or fetch it again." if isinstance(spec, TickerSpec)
              else "Delete it.")
    except DataError as exc:
        problems.append(str(exc))
    return problems


def _missing(name: str, spec: TickerSpec | DatasetSpec, offline: bool) -> tuple[Check, str]:
    """The row and problem for a dataset that neither the cache nor the mirror holds; the problem
    is empty for a price file that will be downloaded on first use (online)."""
    cache = cache_dir() / spec.file
    where = f"no cache file {cache}; {describe_mirror(spec.file)}"
    if isinstance(spec, TickerSpec):
        if not offline:
            return Check(name, "-", str(cache), "download",
                         "in neither cache nor mirror: downloaded on first use"), ""
        fix = (f"set {MIRROR_ENV} to a mirror with {spec.file}, or run `jevons data fetch "
               f"{name}` with network access")
    else:
        fix = (f"set {MIRROR_ENV} to a mirror with {spec.file}, or run `jevons data fetch "
               f"{name}` with network access")
    return (Check(name, "-", str(cache), "MISSING", "in neither cache nor mirror"),
            f"{name}: missing: {where}; {fix}")


def verify(facts: str | Path | None = None) -> tuple[list[Check], list[str]]:
    """Check every dataset of the manifest and every facts table, and say what is missing.

    Mirror files must match the manifest's sha256, row count and date range and pass the
    loader's checks (schema and ranges). Cache files must match the sha256 recorded beside them
    (``<file>.sha256``, written by ``jevons data fetch``) and pass the loader's checks. A dataset
    in neither place is a problem, except a price file while online (it is downloaded, and
    checked, on first use: listed as ``download``). A facts table of
    :data:`model.data.facts.TABLES` that is missing is a problem, as is a table failing its schema.
    The opt-out ``JEVONS_ALLOW_UNVERIFIED_DATA`` does not apply here: verify reports every
    mismatch.

    Returns
    -------
    (checks, problems)
        One :class:`Check` per file or missing dataset and one one-line message per problem.
    """
    checks: list[Check] = []
    problems: list[str] = []
    facts_path = Path(facts) if facts is not None else facts_dir()
    offline = is_offline()
    mirror = mirror_dir()
    if mirror is not None and not mirror.is_dir():
        problems.append(f"{MIRROR_ENV}={mirror} is not a directory; point it at the data mirror "
                        "(laid out as market/TICKER.csv and other/*.csv)")
    for _, name, spec in _entries():
        seen = False
        for candidate in candidates(spec.file):
            path = candidate.path
            if not path.is_file():
                checks.append(Check(name, candidate.origin, str(path), "absent", ""))
                continue
            seen = True
            if candidate.origin == "mirror":
                found = _check_mirror_file(name, spec, path)
                detail = "sha256, rows, dates, schema, ranges"
            else:
                found = _check_cache_file(name, spec, path)
                detail = "sha256 (sidecar), schema, ranges"
            problems += found
            checks.append(Check(name, candidate.origin, str(path), "FAIL" if found else "ok",
                                detail))
        if not seen:
            check, problem = _missing(name, spec, offline)
            checks.append(check)
            if problem:
                problems.append(problem)
    for path in missing_tables(facts_path):
        checks.append(Check("facts", "facts", str(path), "MISSING", "facts table"))
        problems.append(f"{path}: the facts table is missing; the code reads facts from "
                        f"{', '.join(TABLES)}; restore it (the shipped copy is data/facts/{path.name})")
    try:
        facts = load_facts(directory=facts_path)
        statements = load_statements(directory=facts_path)
        checks.append(Check("facts", "facts", str(facts_path), "ok",
                            f"{len(facts)} facts, {len(statements)} statements"))
    except DataError as exc:
        problems.append(str(exc))
        checks.append(Check("facts", "facts", str(facts_path), "FAIL", "schema, ranges"))
    return checks, problems
