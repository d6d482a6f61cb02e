"""Daily market prices: cache, then mirror, then Yahoo Finance through yfinance.

Trading days are the dates present in the price data; the project never builds them from a
calendar.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from model.data.locations import (
    OFFLINE_ENV,
    check_hash,
    describe_mirror,
    first_existing,
    is_offline,
    ticker_stem,
    write_sidecar,
)
from model.data.manifest import TickerSpec, manifest
from model.data.validate import frame_from_download, read_price_file
from model.dates import parse_date
from model.errors import DataError
from model.io import write_csv
from model.paths import cache_dir


@dataclass(frozen=True)
class Ticker:
    """A ticker as the data layer sees it: file stem, Yahoo symbol and manifest entry."""

    stem: str
    symbol: str
    is_index: bool
    spec: TickerSpec | None

    @property
    def relative(self) -> str:
        return f"market/{self.stem}.csv"


def resolve_ticker(ticker: str) -> Ticker:
    """Look a ticker up in the manifest (``GSPC`` and ``^GSPC`` are the same ticker).

    Tickers outside the manifest are allowed (they can be fetched); they count as indices when
    written with a leading ``^``.
    """
    stem = ticker_stem(ticker)
    spec = manifest().tickers.get(stem)
    if spec is not None:
        return Ticker(stem, spec.symbol, spec.is_index, spec)
    is_index = str(ticker).strip().startswith("^")
    return Ticker(stem, f"^{stem}" if is_index else stem, is_index, None)


def _fix_for(origin: str, t: Ticker) -> str:
    if origin == "cache":
        return f"Delete it or run `jevons data fetch {t.stem}` to download it again."
    if origin == "mirror":
        return "The mirror copy is damaged: check it with `jevons data verify` and restore it."
    return f"Try `jevons data fetch {t.stem}` again later."


def _parse_day(value, name: str) -> pd.Timestamp | None:
    return None if value is None else parse_date(value, name, DataError)


def _span(start: pd.Timestamp | None, end: pd.Timestamp | None) -> str:
    if start is None and end is None:
        return "the full history"
    first = "the start" if start is None else f"{start:%Y-%m-%d}"
    last = "the latest date" if end is None else f"{end:%Y-%m-%d}"
    return f"{first} to {last}"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, " ".join(record.getMessage().split())))


def download_prices(symbol: str) -> tuple[pd.DataFrame, str]:
    """Download the full daily history of ``symbol`` with yfinance (``auto_adjust=False``).

    yfinance reports network failures by logging and returning an empty frame; the log lines
    are captured (so the CLI keeps its one-line error contract) and returned as the reason.

    Returns
    -------
    (frame, reason)
        The raw yfinance frame (possibly empty) and a short reason when it is empty.
    """
    import yfinance as yf

    logger = logging.getLogger("yfinance")
    handler = _Collect()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    sink = io.StringIO()
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            warnings.simplefilter("ignore")
            frame = yf.download(
                symbol,
                period="max",
                interval="1d",
                auto_adjust=False,
                actions=False,
                progress=False,
                multi_level_index=False,
                threads=False,
            )
    except Exception as exc:  # yfinance raises a zoo of network/parse errors
        frame = None
        handler.messages = [(logging.ERROR, " ".join(f"{type(exc).__name__}: {exc}".split()))]
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
    if frame is None or not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame()
    # The most telling line: an error naming the symbol, else any error, else anything logged.
    logged = [(lvl, m) for lvl, m in handler.messages if m and not m.endswith("Failed download:")]
    ranked = sorted(logged, key=lambda lm: (symbol not in lm[1], lm[0] < logging.ERROR))
    reason = ranked[0][1][:160] if ranked else "no rows returned"
    return frame, reason


def _store(t: Ticker, raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Check a download and only then write it atomically (a reader never sees half a file),
    with its sha256 recorded beside it (``NVDA.csv.sha256``), which every later read checks."""
    frame = frame_from_download(
        raw, source=f"download of {t.symbol}", is_index=t.is_index, fix=_fix_for("network", t)
    )
    write_csv(path, frame.reset_index(), date_format="%Y-%m-%d")
    write_sidecar(path)
    return frame


def fetch_prices(ticker: str) -> tuple[Path, pd.DataFrame]:
    """Download ``ticker`` from Yahoo Finance, check it and write it atomically into the cache.

    Raises
    ------
    DataError
        When the download is empty (offline, unknown symbol) or fails validation; the cache
        is then left untouched. A stored download has its sha256 written beside it
        (``TICKER.csv.sha256``).
    """
    t = resolve_ticker(ticker)
    path = cache_dir() / t.relative
    if is_offline():
        raise DataError(
            f"{t.stem}: cannot download while offline ({OFFLINE_ENV} is set); "
            f"unset {OFFLINE_ENV} to fetch {t.symbol} from Yahoo Finance into {path}"
        )
    raw, reason = download_prices(t.symbol)
    if raw.empty:
        raise DataError(
            f"{t.stem}: yfinance returned no prices for {t.symbol} ({reason}); the cache "
            f"{path} was not changed; check the network or the symbol, or set "
            f"JEVONS_DATA_MIRROR to a mirror with {t.relative}"
        )
    return path, _store(t, raw, path)


def load_prices(
    ticker: str,
    start: str | None = None,
    end: str | None = None,
    *,
    offline: bool | None = None,
) -> pd.DataFrame:
    """Daily prices of one ticker, checked on every load.

    Reads, in order: the cache (``model.paths.cache_dir()/market/TICKER.csv``), the mirror
    (``$JEVONS_DATA_MIRROR/market/TICKER.csv``), then Yahoo Finance through yfinance
    (``auto_adjust=False``) unless offline; a download is checked, then written atomically into
    the cache with its sha256 beside it. Before a file is read its hash is checked: a mirror
    file against the manifest, a cached one against the sha256 recorded when it was fetched
    (``JEVONS_ALLOW_UNVERIFIED_DATA=1`` uses a file that fails, with a warning naming it). A
    file that fails the checks is reported, never skipped.

    Parameters
    ----------
    ticker
        Manifest ticker (``NVDA``, ``GSPC``) or Yahoo symbol (``^GSPC``).
    start, end
        Inclusive bounds (``YYYY-MM-DD``); None means the first/last date available.
    offline
        Forbid the network; None reads ``JEVONS_OFFLINE`` (1/true/yes).

    Returns
    -------
    pandas.DataFrame
        Index ``Date`` (tz-naive, ascending, unique trading days); float columns ``Open, High,
        Low, Close, Adj Close, Volume``. For an index whose file leaves ``Adj Close`` empty
        (the mirror's GSPC, NDX, IXIC) ``Adj Close`` equals ``Close``, which is exact for a
        price index; columns an index file leaves empty (Volume; Open/High/Low for IXIC) are
        NaN. ``frame.attrs`` holds ``ticker``, ``origin`` (cache/mirror/network) and ``path``.
        The frame may cover less than [start, end] (check its first and last dates).

    Raises
    ------
    DataError
        Bad ticker or dates; a file or download failing validation; no data for the ticker in
        the cache or mirror while offline or when yfinance returns an empty frame; no trading
        day within [start, end].
    """
    t = resolve_ticker(ticker)
    first, last = _parse_day(start, "start"), _parse_day(end, "end")
    if first is not None and last is not None and first > last:
        raise DataError(f"{t.stem}: start {first:%Y-%m-%d} is after end {last:%Y-%m-%d}")
    found = first_existing(t.relative)
    if found is not None:
        check_hash(found, t.spec.sha256 if t.spec else None,
                   f"re-run `jevons data fetch {t.stem}` to download it again")
        frame = read_price_file(found.path, is_index=t.is_index, fix=_fix_for(found.origin, t))
        origin, path = found.origin, found.path
    else:
        cache = cache_dir() / t.relative
        where = f"no cache file {cache}; {describe_mirror(t.relative)}"
        fix = (
            f"set JEVONS_DATA_MIRROR to a mirror with {t.relative}, or run "
            f"`jevons data fetch {t.stem}` with network access"
        )
        if is_offline(offline):
            raise DataError(
                f"{t.stem}: no prices for {_span(first, last)} while offline: {where}; {fix}"
            )
        raw, reason = download_prices(t.symbol)
        if raw.empty:
            raise DataError(
                f"{t.stem}: no prices for {_span(first, last)}: yfinance returned an empty "
                f"frame for {t.symbol} ({reason}); {where}; {fix}"
            )
        frame = _store(t, raw, cache)
        origin, path = "network", cache
    window = frame.loc[first:last] if (first is not None or last is not None) else frame
    if window.empty:
        raise DataError(
            f"{t.stem}: no trading day from {_span(first, last)} in {path} "
            f"(it covers {frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d})"
        )
    window = window.copy()
    window.attrs = {"ticker": t.stem, "origin": origin, "path": str(path)}
    return window
