"""``jevons data fetch``: every dataset of the manifest from its canonical source into the cache.

Sources (:mod:`model.data.sources`): Yahoo Finance through yfinance for prices; Epoch AI's CSV
exports; SEC EDGAR XBRL company facts (with the User-Agent SEC requires) for the capex table.

Each dataset is downloaded into a staging folder inside the cache, checked there exactly as the
loader checks it (prices by :mod:`model.data.validate`, the other tables against the manifest's
columns and the range rules), and only then moved into place with its ``.sha256`` sidecar and a
``.source.json`` record (URL, time of retrieval, sha256, rows). A bad response (an HTTP error, a
body shorter than its Content-Length, a file that fails the checks) leaves the cache as it was
and is reported on one line naming the dataset and the URL.

A fetched file is the publisher's current export, not the snapshot the manifest's sha256
describes: it is trusted through its sidecar, and its rows and dates may differ from the
manifest's.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from model.data.datasets import dataset_spec, read_dataset_file
from model.data.locations import (
    OFFLINE_ENV,
    first_existing,
    is_offline,
    sha256_of,
    sidecar_path,
)
from model.data.manifest import manifest
from model.data.market import download_prices, resolve_ticker
from model.data.sec import capex_table
from model.data.sources import (
    EPOCH_FILES,
    SEC_COMPANIES,
    SEC_DATASET,
    epoch_url,
    sec_base,
    sec_user_agent,
)
from model.data.validate import frame_from_download, read_price_file
from model.errors import DataError
from model.io import write_csv, write_json, write_text
from model.paths import MIRROR_ENV, cache_dir

TIMEOUT_SECONDS = 60.0
MAX_BYTES = 200 * 2**20  # the largest export (notable AI models) is about 2 MB
YAHOO_URL = "https://finance.yahoo.com/quote/{symbol}/history"
SOURCE_SUFFIX = ".source.json"


@dataclass(frozen=True)
class Fetched:
    """One dataset written into the cache."""

    name: str
    path: Path
    rows: int
    urls: tuple[str, ...]
    span: str = ""  # first to last date, when the dataset has dates

    def line(self) -> str:
        span = f", {self.span}" if self.span else ""
        return f"{self.name}: {self.rows} rows{span}, from {', '.join(self.urls)}, written to {self.path}"


def _span(frame, spec) -> str:
    dates = frame[spec.date_columns[0]].dropna() if spec.date_columns else ()
    return f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else ""


def http_get(url: str, *, headers: dict[str, str] | None = None,
             timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The body of ``url``; an HTTP error, a network failure or a truncated body raises
    DataError naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": "jevons-compute", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            expected = response.headers.get("Content-Length")
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise DataError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise DataError(f"{url}: the response was cut off after {len(exc.partial)} bytes "
                        "(truncated)") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise DataError(f"{url}: cannot be reached ({reason})") from None
    if len(body) > MAX_BYTES:
        raise DataError(f"{url}: more than {MAX_BYTES >> 20} MB; not a dataset export")
    if expected is not None and expected.isdigit() and len(body) != int(expected):
        raise DataError(f"{url}: {len(body)} bytes where Content-Length says {expected} "
                        "(truncated)")
    return body


class Staging:
    """A folder inside the cache where one dataset's files are written and checked before they
    are moved into place together; removed on exit whatever happens."""

    def __init__(self, name: str):
        self.name = name
        self.root = cache_dir()
        self.files: list[str] = []

    def __enter__(self) -> Staging:
        self.root.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f".fetch-{self.name}-", dir=self.root))
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, relative: str) -> Path:
        self.files.append(relative)
        target = self.dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def record(self, relative: str, urls: Sequence[str], rows: int) -> None:
        """Write the sidecar and the source record of a staged data file."""
        data = self.dir / relative
        digest = sha256_of(data)
        write_text(sidecar_path(data), f"{digest}  {data.name}\n")
        write_json(data.with_name(data.name + SOURCE_SUFFIX), {
            "dataset": self.name, "urls": list(urls), "rows": rows, "sha256": digest,
            "retrieved": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })

    def commit(self) -> None:
        """Move every staged file into the cache: each move is atomic (same file system), and
        none happens before every file of the dataset has been written and checked."""
        for relative in self.files:
            data = self.dir / relative
            final = self.root / relative
            final.parent.mkdir(parents=True, exist_ok=True)
            for staged in (data.with_name(data.name + SOURCE_SUFFIX), data, sidecar_path(data)):
                os.replace(staged, final.with_name(staged.name))


def _failed(name: str, url: str, problem: str) -> DataError:
    return DataError(f"{name}: download from {url} failed: {problem}; the cache was not changed")


def fetch_epoch(name: str) -> Fetched:
    """Download one Epoch AI table, check it against the manifest and store it."""
    spec = dataset_spec(name)
    url = epoch_url(name)
    try:
        body = http_get(url)
    except DataError as exc:
        raise _failed(name, url, str(exc).removeprefix(f"{url}: ")) from None
    with Staging(name) as stage:
        path = stage.path(spec.file)
        path.write_bytes(body)
        try:
            frame = read_dataset_file(path, spec, fix="")
        except DataError as exc:
            problem = str(exc).removeprefix(f"{path}: ").rstrip(". ")
            raise _failed(name, url, f"{problem} (data/manifest.toml, datasets.{name})") from None
        stage.record(spec.file, [url], len(frame))
        stage.commit()
    return Fetched(name, cache_dir() / spec.file, len(frame), (url,), _span(frame, spec))


def fetch_sec(user_agent: str | None = None) -> Fetched:
    """Download the company facts of the capex table's companies from SEC EDGAR (with the
    User-Agent SEC requires), build the table, check it and store it."""
    spec = dataset_spec(SEC_DATASET)
    agent = sec_user_agent(user_agent)
    base = sec_base()
    documents = {}
    for company in SEC_COMPANIES:
        url = company.url(base)
        try:
            body = http_get(url, headers={"User-Agent": agent, "Accept": "application/json"})
            documents[company.ticker] = (json.loads(body), url)
        except DataError as exc:
            raise _failed(SEC_DATASET, url, str(exc).removeprefix(f"{url}: ")) from None
        except (ValueError, UnicodeDecodeError):
            raise _failed(SEC_DATASET, url, "the response is not JSON") from None
    urls = [url for _, url in documents.values()]
    try:
        frame = capex_table(documents, SEC_COMPANIES)
    except DataError as exc:
        url = str(exc).split(": ", 1)[0]
        raise _failed(SEC_DATASET, url, str(exc).removeprefix(f"{url}: ")) from None
    with Staging(SEC_DATASET) as stage:
        path = stage.path(spec.file)
        frame.to_csv(path, index=False, lineterminator="\n")
        try:
            checked = read_dataset_file(path, spec, fix="")
        except DataError as exc:
            problem = str(exc).removeprefix(f"{path}: ").rstrip(". ")
            raise _failed(SEC_DATASET, base, problem) from None
        stage.record(spec.file, urls, len(checked))
        stage.commit()
    return Fetched(SEC_DATASET, cache_dir() / spec.file, len(checked), tuple(urls))


def fetch_ticker(ticker: str) -> Fetched:
    """Download one ticker's full daily history with yfinance, check it and store it. An empty
    frame (how yfinance reports that Yahoo cannot be reached) is a failure."""
    t = resolve_ticker(ticker)
    url = YAHOO_URL.format(symbol=t.symbol)
    if is_offline():
        raise DataError(f"{t.stem}: cannot download {url} while offline ({OFFLINE_ENV} is set); "
                        f"unset {OFFLINE_ENV} or set {MIRROR_ENV} to a mirror with {t.relative}")
    raw, reason = download_prices(t.symbol)
    if raw.empty:
        raise _failed(t.stem, url, f"yfinance returned no prices ({reason})")
    try:
        frame = frame_from_download(raw, source=f"download of {t.symbol}", is_index=t.is_index,
                                    fix="")
    except DataError as exc:
        raise _failed(t.stem, url, str(exc).rstrip(". ")) from None
    with Staging(t.stem) as stage:
        path = stage.path(t.relative)
        write_csv(path, frame.reset_index(), date_format="%Y-%m-%d")
        read_price_file(path, is_index=t.is_index, fix="")
        stage.record(t.relative, [url], len(frame))
        stage.commit()
    span = f"{frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}"
    return Fetched(t.stem, cache_dir() / t.relative, len(frame), (url,), span)


def all_names() -> list[str]:
    """Every dataset of the manifest: the tables first (plain HTTP), then the tickers."""
    m = manifest()
    return [*m.datasets, *m.tickers]


def resolve_names(names: Iterable[str]) -> list[str]:
    """Manifest dataset names and tickers as given (tickers upper-cased, ``^GSPC`` as GSPC)."""
    m = manifest()
    out = []
    for name in names:
        if name in m.datasets:
            out.append(name)
        else:
            out.append(resolve_ticker(name).stem)
    return out


def missing_names() -> list[str]:
    """The datasets of the manifest found in neither the cache nor the mirror."""
    m = manifest()
    files = {name: spec.file for name, spec in m.datasets.items()}
    files |= {stem: spec.file for stem, spec in m.tickers.items()}
    return [name for name in all_names() if first_existing(files[name]) is None]


def fetcher(name: str, user_agent: str | None = None) -> Callable[[], Fetched]:
    """The download of one dataset or ticker."""
    if name in EPOCH_FILES:
        return lambda: fetch_epoch(name)
    if name == SEC_DATASET:
        return lambda: fetch_sec(user_agent)
    if name in manifest().datasets:
        raise DataError(f"{name}: no download source is known (model/data/sources.py)")
    return lambda: fetch_ticker(name)


def fetch(names: Sequence[str], *, user_agent: str | None = None, stop_on_error: bool = False,
          progress: bool | None = None,
          report: Callable[[str], None] = print,
          error: Callable[[str], None] = lambda line: None) -> list[DataError]:
    """Fetch ``names`` in order, with a tqdm progress bar when there are several (on a terminal
    only, unless ``progress`` is given). Each result is reported as one line through ``report``
    and each failure through ``error``; with ``stop_on_error`` the first failure ends the run.

    Returns the failures.
    """
    from tqdm import tqdm

    failures: list[DataError] = []
    disable = len(names) < 2 or progress is False or (None if progress is None else False)
    bar = tqdm(total=len(names), desc="fetch", unit="dataset", disable=disable, leave=False)
    try:
        for name in names:
            bar.set_postfix_str(name)
            try:
                done = fetcher(name, user_agent)()
            except DataError as exc:
                failures.append(exc)
                with bar.external_write_mode():
                    error(str(exc))
                if stop_on_error:
                    break
            else:
                with bar.external_write_mode():
                    report(done.line())
            bar.update()
    finally:
        bar.close()
    return failures
