"""The data manifest (``data/manifest.toml``): what each external dataset is and where it lives.

The manifest is read once and turned into frozen dataclasses. A manifest that does not follow
the layout below raises :class:`model.errors.DataError` naming the key, so a typo in the file
cannot silently drop a dataset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from model.errors import DataError
from model.io import read_toml
from model.paths import DATA_DIR

MANIFEST_PATH = DATA_DIR / "manifest.toml"

PRICE_COLUMNS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
TICKER_KINDS = ("equity", "etf", "index")
TICKER_ROLES = ("subject", "peer", "hyperscaler", "benchmark")


@dataclass(frozen=True)
class TickerSpec:
    """One ticker of the market-price dataset.

    ``ticker`` is the file stem (``GSPC``); ``symbol`` is what Yahoo Finance calls it (``^GSPC``).
    """

    ticker: str
    name: str
    symbol: str
    kind: str
    role: str
    file: str
    sha256: str
    rows: int
    first_date: dt.date
    last_date: dt.date
    empty_columns: tuple[str, ...]
    retrieved: dt.date
    snapshot_of: str

    @property
    def is_index(self) -> bool:
        return self.kind == "index"


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset under ``other/`` in the mirror (Epoch AI tables, SEC capex)."""

    name: str
    title: str
    source: str
    source_url: str
    licence: str
    file: str
    columns: tuple[str, ...]
    numeric_columns: tuple[str, ...]
    date_columns: tuple[str, ...]
    date_format: str | None
    sha256: str
    rows: int
    retrieved: dt.date
    snapshot_of: str
    notes: str


@dataclass(frozen=True)
class Manifest:
    """The parsed manifest: market metadata, tickers by file stem and datasets by name."""

    path: Path
    market_source: str
    market_source_url: str
    market_licence: str
    tickers: Mapping[str, TickerSpec]
    datasets: Mapping[str, DatasetSpec]


def _need(table: Mapping, key: str, kind: type | tuple[type, ...], where: str, path: Path):
    if key not in table:
        raise DataError(f"{path}: {where}.{key} is missing")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DataError(f"{path}: {where}.{key} must be a {names}, got {value!r}")
    return value


def _strings(table: Mapping, key: str, where: str, path: Path) -> tuple[str, ...]:
    values = _need(table, key, list, where, path)
    if not all(isinstance(v, str) for v in values):
        raise DataError(f"{path}: {where}.{key} must be a list of strings")
    return tuple(values)


def _ticker(stem: str, t: Mapping, path: Path) -> TickerSpec:
    where = f"market.tickers.{stem}"
    kind = _need(t, "kind", str, where, path)
    if kind not in TICKER_KINDS:
        raise DataError(f"{path}: {where}.kind is {kind!r}; allowed: {', '.join(TICKER_KINDS)}")
    role = _need(t, "role", str, where, path)
    if role not in TICKER_ROLES:
        raise DataError(f"{path}: {where}.role is {role!r}; allowed: {', '.join(TICKER_ROLES)}")
    empty = _strings(t, "empty_columns", where, path)
    if kind != "index" and empty:
        raise DataError(f"{path}: {where}.empty_columns must be empty for kind {kind!r}")
    return TickerSpec(
        ticker=stem,
        name=_need(t, "name", str, where, path),
        symbol=_need(t, "symbol", str, where, path),
        kind=kind,
        role=role,
        file=_need(t, "file", str, where, path),
        sha256=_need(t, "sha256", str, where, path),
        rows=_need(t, "rows", int, where, path),
        first_date=_need(t, "first_date", dt.date, where, path),
        last_date=_need(t, "last_date", dt.date, where, path),
        empty_columns=empty,
        retrieved=_need(t, "retrieved", dt.date, where, path),
        snapshot_of=_need(t, "snapshot_of", str, where, path),
    )


def _dataset(name: str, d: Mapping, path: Path) -> DatasetSpec:
    where = f"datasets.{name}"
    columns = _strings(d, "columns", where, path)
    for key in ("numeric_columns", "date_columns"):
        extra = set(_strings(d, key, where, path)) - set(columns)
        if extra:
            raise DataError(f"{path}: {where}.{key} names {sorted(extra)} not in {where}.columns")
    date_columns = _strings(d, "date_columns", where, path)
    date_format = d.get("date_format")
    if date_columns and not isinstance(date_format, str):
        raise DataError(f"{path}: {where}.date_format is required when date_columns is not empty")
    return DatasetSpec(
        name=name,
        title=_need(d, "title", str, where, path),
        source=_need(d, "source", str, where, path),
        source_url=_need(d, "source_url", str, where, path),
        licence=_need(d, "licence", str, where, path),
        file=_need(d, "file", str, where, path),
        columns=columns,
        numeric_columns=_strings(d, "numeric_columns", where, path),
        date_columns=date_columns,
        date_format=date_format,
        sha256=_need(d, "sha256", str, where, path),
        rows=_need(d, "rows", int, where, path),
        retrieved=_need(d, "retrieved", dt.date, where, path),
        snapshot_of=_need(d, "snapshot_of", str, where, path),
        notes=_need(d, "notes", str, where, path),
    )


def read_manifest(path: str | Path = MANIFEST_PATH) -> Manifest:
    """Parse and check a manifest file.

    Raises
    ------
    DataError
        When the file is missing, is not valid TOML, or an entry lacks a key or has a bad value.
    """
    path = Path(path)
    raw = read_toml(path, error=DataError, missing="the data manifest is missing")
    market = _need(raw, "market", dict, "manifest", path)
    tickers = _need(market, "tickers", dict, "market", path)
    datasets = _need(raw, "datasets", dict, "manifest", path)
    columns = _strings(market, "columns", "market", path)
    if columns != ("Date", *PRICE_COLUMNS):
        raise DataError(f"{path}: market.columns must be {['Date', *PRICE_COLUMNS]}")
    return Manifest(
        path=path,
        market_source=_need(market, "source", str, "market", path),
        market_source_url=_need(market, "source_url", str, "market", path),
        market_licence=_need(market, "licence", str, "market", path),
        tickers=MappingProxyType({s: _ticker(s, t, path) for s, t in tickers.items()}),
        datasets=MappingProxyType({n: _dataset(n, d, path) for n, d in datasets.items()}),
    )


@lru_cache(maxsize=1)
def manifest() -> Manifest:
    """The project's manifest, read once per process."""
    return read_manifest(MANIFEST_PATH)
