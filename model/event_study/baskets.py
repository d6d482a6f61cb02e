"""Named peer groups for basket event studies, read from ``data/baskets.toml``.

Each top-level table is one basket::

    [deepseek]
    label = "Nvidia's peers on 27 January 2025"
    kind = "peers"            # "peers" or "category"
    description = "..."       # optional
    tickers = ["AVGO", "TSM"]

The file is data: it is parsed with :mod:`tomllib` and validated strictly (unknown keys, wrong
types, empty or duplicated tickers are errors naming the file and the key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from model.errors import JevonsError
from model.io import read_toml
from model.paths import DATA_DIR

BASKETS_FILE = DATA_DIR / "baskets.toml"
KINDS = ("peers", "category")
_KEYS = {"label", "kind", "description", "tickers"}
_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-^]{0,14}$")


@dataclass(frozen=True)
class Basket:
    """A named group of tickers."""

    name: str
    label: str
    kind: str
    description: str
    tickers: tuple[str, ...]


def _where(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def load_baskets(path: str | Path = BASKETS_FILE) -> dict[str, Basket]:
    """All baskets of ``path``, in file order."""
    path = Path(path)
    where = _where(path)
    raw = read_toml(path, where, JevonsError, missing="basket file not found")
    baskets = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise JevonsError(f"{where}: {name}: must be a table [{name}] with label, kind, tickers")
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise JevonsError(
                f"{where}: {name}.{unknown[0]}: unknown key; allowed: {', '.join(sorted(_KEYS))}"
            )
        for key in ("label", "kind", "tickers"):
            if key not in table:
                raise JevonsError(f"{where}: {name}.{key}: missing")
        for key in ("label", "kind", "description"):
            if key in table and not isinstance(table[key], str):
                raise JevonsError(f"{where}: {name}.{key}: must be a string")
        if table["kind"] not in KINDS:
            raise JevonsError(f"{where}: {name}.kind: {table['kind']!r}; allowed: {', '.join(KINDS)}")
        tickers = table["tickers"]
        if not isinstance(tickers, list) or not tickers:
            raise JevonsError(f"{where}: {name}.tickers: must be a non-empty list of tickers")
        for ticker in tickers:
            if not isinstance(ticker, str) or not _TICKER.match(ticker):
                raise JevonsError(
                    f"{where}: {name}.tickers: {ticker!r} is not a ticker (upper-case letters, "
                    "digits, '.', '-', '^')"
                )
        if len(set(tickers)) != len(tickers):
            raise JevonsError(f"{where}: {name}.tickers: a ticker is listed twice")
        baskets[name] = Basket(
            name=name,
            label=table["label"],
            kind=table["kind"],
            description=table.get("description", ""),
            tickers=tuple(tickers),
        )
    if not baskets:
        raise JevonsError(f"{where}: no baskets defined")
    return baskets


def get_basket(name: str, path: str | Path = BASKETS_FILE) -> Basket:
    """The basket called ``name``; an unknown name is an error that lists the known ones."""
    baskets = load_baskets(path)
    if name not in baskets:
        raise JevonsError(
            f"unknown basket {name!r} in {_where(Path(path))}; known baskets: {', '.join(baskets)}"
        )
    return baskets[name]


def ticker_categories(path: str | Path = BASKETS_FILE) -> dict[str, str]:
    """The label of the ``category`` basket each ticker belongs to (the last one listed if it
    is in several)."""
    return {t: b.label for b in load_baskets(path).values() if b.kind == "category" for t in b.tickers}
