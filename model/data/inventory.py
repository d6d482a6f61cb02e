"""What data are available, where each dataset would be read from, and whether it matches the
manifest (the logic behind ``jevons data status`` and ``jevons data verify``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.data.datasets import read_dataset_file
from model.data.facts import load_facts, load_statements
from model.data.locations import candidates, first_existing, is_offline, sha256_of
from model.data.manifest import DatasetSpec, TickerSpec, manifest
from model.data.validate import read_price_file
from model.errors import DataError
from model.paths import MIRROR_ENV, facts_dir, mirror_dir


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
    problem: str  # empty when the file that would be read passes its checks


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
    """One file checked by ``jevons data verify``."""

    name: str
    origin: str  # "mirror", "cache" or "facts"
    path: str
    result: str  # "ok", "FAIL" or "absent"
    detail: str


def _check_mirror_file(name: str, spec: TickerSpec | DatasetSpec, path: Path) -> list[str]:
    problems = []
    digest = sha256_of(path)
    if digest != spec.sha256:
        problems.append(
            f"{path}: sha256 {digest[:12]}... differs from the manifest's {spec.sha256[:12]}... "
            f"for {name} (data/manifest.toml); restore the snapshot ({spec.snapshot_of})"
        )
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


def verify(facts: str | Path | None = None) -> tuple[list[Check], list[str]]:
    """Check every available file against the manifest, and the facts tables against their schema.

    Mirror files must match the manifest's sha256, row count and date range and pass the
    loader's checks. Cache files are downloads (their hash cannot match a snapshot) and must pass
    the loader's checks. Files that are absent are listed, not counted as failures.

    Returns
    -------
    (checks, problems)
        One :class:`Check` per file and one one-line message per problem.
    """
    checks: list[Check] = []
    problems: list[str] = []
    facts_path = Path(facts) if facts is not None else facts_dir()
    mirror = mirror_dir()
    if mirror is not None and not mirror.is_dir():
        problems.append(f"{MIRROR_ENV}={mirror} is not a directory; point it at the data mirror "
                        "(laid out as market/TICKER.csv and other/*.csv)")
    for _, name, spec in _entries():
        for candidate in candidates(spec.file):
            path = candidate.path
            if not path.is_file():
                checks.append(Check(name, candidate.origin, str(path), "absent", ""))
                continue
            if candidate.origin == "mirror":
                found = _check_mirror_file(name, spec, path)
            else:
                fix = "Delete it or fetch it again." if isinstance(spec, TickerSpec) else "Delete it."
                try:
                    _read(spec, path, fix=fix)
                    found = []
                except DataError as exc:
                    found = [str(exc)]
            problems += found
            checks.append(Check(name, candidate.origin, str(path), "FAIL" if found else "ok",
                                "sha256, rows, dates, schema" if candidate.origin == "mirror" else "schema"))
    try:
        facts = load_facts(directory=facts_path)
        statements = load_statements(directory=facts_path)
        checks.append(Check("facts", "facts", str(facts_path), "ok",
                            f"{len(facts)} facts, {len(statements)} statements"))
    except DataError as exc:
        problems.append(str(exc))
        checks.append(Check("facts", "facts", str(facts_path), "FAIL", "schema"))
    return checks, problems
