"""``load_prices``: the real mirror, the reading order, and every bad input, in process.

No test touches the network: an autouse fixture sets JEVONS_OFFLINE=1, and the download path is
exercised with ``yfinance.download`` monkeypatched.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from model.data import load_prices
from model.data.market import fetch_prices
from model.errors import DataError


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")


COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Offline, with an empty cache of its own; tests set the mirror they need."""
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JEVONS_DATA_MIRROR", raising=False)


@pytest.fixture
def use_mirror(mirror, monkeypatch):
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    return mirror


@pytest.fixture
def tmp_mirror(tmp_path, monkeypatch):
    root = tmp_path / "mirror"
    (root / "market").mkdir(parents=True)
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(root))
    return root


def copy_lines(mirror, tmp_mirror, ticker="NVDA"):
    """Copy a real mirror file into the tmp mirror and return its lines (to damage)."""
    target = tmp_mirror / "market" / f"{ticker}.csv"
    shutil.copy(mirror / "market" / f"{ticker}.csv", target)
    return target, target.read_text().splitlines(keepends=True)


def line_of(lines, date):
    return next(i for i, line in enumerate(lines) if line.startswith(date))


# --- the real data ---------------------------------------------------------------------------


def test_nvda_deepseek_day_from_the_mirror(use_mirror):
    prices = load_prices("NVDA", "2025-01-24", "2025-01-27")
    assert list(prices.index.strftime("%Y-%m-%d")) == ["2025-01-24", "2025-01-27"]
    close = prices["Close"]
    assert close.iloc[0] == pytest.approx(142.62, abs=5e-3)
    assert close.iloc[1] == pytest.approx(118.42, abs=5e-3)
    assert close.iloc[1] / close.iloc[0] - 1 == pytest.approx(-0.1697, abs=5e-5)
    adj = prices["Adj Close"]
    assert adj.iloc[1] / adj.iloc[0] - 1 == pytest.approx(-0.1697, abs=5e-5)
    assert prices.attrs["origin"] == "mirror"


def test_frame_contract(use_mirror):
    prices = load_prices("NVDA")
    assert list(prices.columns) == COLUMNS
    assert prices.index.name == "Date" and prices.index.tz is None
    assert prices.index.is_monotonic_increasing and prices.index.is_unique
    assert all(prices[c].dtype == np.float64 for c in COLUMNS)
    assert not prices.isna().any().any()
    assert len(prices) == 1759
    # Trading days come from the data: 9 January 2025 (market closed) is absent.
    assert pd.Timestamp("2025-01-09") not in prices.index
    assert len(prices.loc["2024-01-01":"2024-12-31"]) == 252


def test_weekend_only_window_is_an_error(use_mirror):
    with pytest.raises(DataError, match=r"NVDA: no trading day from 2025-01-25 to 2025-01-26"):
        load_prices("NVDA", "2025-01-25", "2025-01-26")
    with pytest.raises(DataError, match="is after end"):
        load_prices("NVDA", "2025-02-01", "2025-01-01")
    with pytest.raises(DataError, match="start: '2025-13-01' is not a date"):
        load_prices("NVDA", "2025-13-01")


def test_index_adj_close_falls_back_to_close(use_mirror):
    gspc = load_prices("^GSPC", "2025-01-24", "2025-01-27")
    assert gspc.attrs["ticker"] == "GSPC"
    np.testing.assert_array_equal(gspc["Adj Close"], gspc["Close"])
    assert gspc["Close"].iloc[1] / gspc["Close"].iloc[0] - 1 == pytest.approx(-0.0146, abs=5e-5)
    ixic = load_prices("IXIC", "2025-01-24", "2025-01-27")
    assert ixic["Open"].isna().all() and ixic["Volume"].isna().all()
    assert ixic["Close"].iloc[1] == pytest.approx(19341.83, abs=5e-3)


@pytest.mark.parametrize("bad", ["../NVDA", "NV DA", "", "^"])
def test_bad_ticker_text(bad):
    with pytest.raises(DataError, match="allowed are"):
        load_prices(bad)


# --- bad files ---------------------------------------------------------------------------------


def damage(mirror, tmp_mirror, edit):
    target, lines = copy_lines(mirror, tmp_mirror)
    target.write_text("".join(edit(lines)))
    return target


def set_field(lines, date, column, value):
    header = lines[0].rstrip("\n").split(",")
    i = line_of(lines, date)
    fields = lines[i].rstrip("\n").split(",")
    fields[header.index(column)] = value
    lines[i] = ",".join(fields) + "\n"
    return lines


BAD_FILES = {
    "truncated mid-line": (lambda ls: ["".join(ls)[: -25]], r"ends in the middle of a line \(truncated\?\)"),
    "short line": (lambda ls: ls[:1000] + [ls[1000][:30] + "\n"] + ls[1001:], r"line 1001: 3 fields where the header has 7"),
    "duplicated date": (lambda ls: ls[:500] + [ls[499]] + ls[500:], r"line 501 \(2021-05-07\): date repeats line 500"),
    "dates out of order": (lambda ls: ls[:500] + [ls[501], ls[500]] + ls[502:], r"must be in ascending order"),
    "NaN row": (lambda ls: set_field(ls, "2025-01-27", "Close", ""), r"\(2025-01-27\): Close is empty \(NaN\); Close may never be empty"),
    "NaN text": (lambda ls: set_field(ls, "2025-01-27", "Adj Close", "NaN"), r"Adj Close is empty \(NaN\)"),
    "zero price": (lambda ls: set_field(ls, "2025-01-27", "Close", "0"), r"\(2025-01-27\): Close is 0; prices must be finite and > 0"),
    "negative price": (lambda ls: set_field(ls, "2024-03-01", "Low", "-1.5"), r"\(2024-03-01\): Low is -1.5; prices must be finite and > 0"),
    "infinite price": (lambda ls: set_field(ls, "2024-03-01", "High", "inf"), r"High is inf; prices must be finite"),
    "negative volume": (lambda ls: set_field(ls, "2024-03-01", "Volume", "-5"), r"Volume is -5; must be finite and >= 0"),
    "partly empty volume": (lambda ls: set_field(ls, "2024-03-01", "Volume", ""), r"Volume is empty \(NaN\); empty cells are allowed only when an index file"),
    "text in a number": (lambda ls: set_field(ls, "2024-03-01", "Open", "12x"), r"\(2024-03-01\): Open '12x' is not a number"),
    "bad date": (lambda ls: set_field(ls, "2024-03-01", "Date", "2024-02-30"), r"Date '2024-02-30' is not a date; allowed: YYYY-MM-DD"),
    "missing column": (lambda ls: [",".join(ln.rstrip("\n").split(",")[:5] + ln.rstrip("\n").split(",")[6:]) + "\n" for ln in ls], r"line 1: missing column\(s\) Adj Close"),
    "empty file": (lambda ls: [], r"the file is empty"),
    "header only": (lambda ls: ls[:1], r"no data rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_mirror_file_is_reported(mirror, tmp_mirror, case):
    edit, pattern = BAD_FILES[case]
    target = damage(mirror, tmp_mirror, edit)
    with pytest.raises(DataError, match=pattern) as info:
        load_prices("NVDA")
    message = str(info.value)
    assert message.startswith(str(target)) and "\n" not in message
    assert "jevons data verify" in message


def test_equity_without_adj_close_is_an_error(mirror, tmp_mirror):
    def blank_adj(lines):
        out = [lines[0]]
        for line in lines[1:]:
            f = line.rstrip("\n").split(",")
            f[5] = ""
            out.append(",".join(f) + "\n")
        return out

    damage(mirror, tmp_mirror, blank_adj)
    with pytest.raises(DataError, match="Adj Close is empty"):
        load_prices("NVDA")


def test_corrupt_cache_is_reported_not_skipped(use_mirror, tmp_path):
    cache = tmp_path / "cache" / "market" / "NVDA.csv"
    cache.parent.mkdir(parents=True)
    text = (use_mirror / "market" / "NVDA.csv").read_text()
    cache.write_text(text[: len(text) // 2])  # cut in the middle of a line
    with pytest.raises(DataError) as info:
        load_prices("NVDA")
    message = str(info.value)
    assert message.startswith(str(cache))
    assert "Delete it or run `jevons data fetch NVDA`" in message


def test_valid_cache_wins_over_mirror(use_mirror, tmp_path):
    cache = tmp_path / "cache" / "market" / "NVDA.csv"
    cache.parent.mkdir(parents=True)
    lines = (use_mirror / "market" / "NVDA.csv").read_text().splitlines(keepends=True)
    cache.write_text("".join(lines[:101]))
    prices = load_prices("NVDA")
    assert prices.attrs["origin"] == "cache" and len(prices) == 100


def test_empty_mirror_offline(tmp_mirror, tmp_path):
    with pytest.raises(DataError) as info:
        load_prices("NVDA", "2025-01-01", "2025-02-10")
    message = str(info.value)
    for fragment in ("NVDA", "2025-01-01 to 2025-02-10", "while offline",
                     str(tmp_path / "cache" / "market" / "NVDA.csv"),
                     str(tmp_mirror / "market" / "NVDA.csv"), "jevons data fetch NVDA"):
        assert fragment in message, fragment


def test_no_mirror_configured_offline():
    with pytest.raises(DataError, match="JEVONS_DATA_MIRROR is not set"):
        load_prices("NVDA")


def test_bad_offline_value(monkeypatch):
    monkeypatch.setenv("JEVONS_OFFLINE", "maybe")
    with pytest.raises(DataError, match="JEVONS_OFFLINE='maybe'"):
        load_prices("NVDA")


# --- the network path, with yfinance monkeypatched ------------------------------------------


def fake_download(frame):
    calls = []

    def download(symbol, **kwargs):
        calls.append((symbol, kwargs))
        return frame.copy()

    return download, calls


def synthetic(n=5, multi=False):
    index = pd.DatetimeIndex(pd.bdate_range("2025-01-02", periods=n), name="Date")
    close = 100.0 + np.arange(n)
    frame = pd.DataFrame(
        {"Adj Close": close - 1, "Close": close, "High": close + 1, "Low": close - 2,
         "Open": close - 0.5, "Volume": np.full(n, 1e6)}, index=index)
    if multi:
        frame.columns = pd.MultiIndex.from_product([frame.columns, ["NVDA"]], names=["Price", "Ticker"])
    return frame


def test_empty_yfinance_frame_is_one_clear_error(tmp_mirror, tmp_path, monkeypatch):
    import yfinance

    download, calls = fake_download(pd.DataFrame())
    monkeypatch.setattr(yfinance, "download", download)
    with pytest.raises(DataError) as info:
        load_prices("GSPC", "2024-01-02", "2025-01-31", offline=False)
    message = str(info.value)
    assert "\n" not in message
    for fragment in ("GSPC", "2024-01-02 to 2025-01-31", "yfinance returned an empty frame for ^GSPC",
                     str(tmp_path / "cache" / "market" / "GSPC.csv"),
                     str(tmp_mirror / "market" / "GSPC.csv"), "jevons data fetch GSPC"):
        assert fragment in message, fragment
    assert calls[0][0] == "^GSPC" and calls[0][1]["auto_adjust"] is False
    assert not (tmp_path / "cache" / "market" / "GSPC.csv").exists()


def test_empty_frame_without_mirror_names_the_variable(monkeypatch):
    import yfinance

    monkeypatch.setattr(yfinance, "download", fake_download(pd.DataFrame())[0])
    with pytest.raises(DataError, match="JEVONS_DATA_MIRROR is not set"):
        load_prices("NVDA", offline=False)


@pytest.mark.parametrize("multi", [False, True])
def test_download_is_checked_then_cached(tmp_path, monkeypatch, multi):
    import yfinance

    download, calls = fake_download(synthetic(multi=multi))
    monkeypatch.setattr(yfinance, "download", download)
    prices = load_prices("NVDA", "2025-01-03", None, offline=False)
    assert prices.attrs["origin"] == "network" and len(prices) == 4
    assert list(prices.columns) == COLUMNS
    cache = tmp_path / "cache" / "market" / "NVDA.csv"
    assert cache.read_text().splitlines()[0] == "Date,Open,High,Low,Close,Adj Close,Volume"
    # The next load reads the cache, without the network.
    again = load_prices("NVDA")
    assert again.attrs["origin"] == "cache" and len(calls) == 1
    pd.testing.assert_frame_equal(again.loc["2025-01-03":], prices, check_freq=False)


def test_invalid_download_is_not_written(tmp_path, monkeypatch):
    import yfinance

    frame = synthetic()
    frame.iloc[2, frame.columns.get_loc("Close")] = np.nan
    monkeypatch.setattr(yfinance, "download", fake_download(frame)[0])
    with pytest.raises(DataError, match=r"download of NVDA: row 3 \(2025-01-06\): Close is empty"):
        load_prices("NVDA", offline=False)
    assert not (tmp_path / "cache" / "market").exists() or not any((tmp_path / "cache" / "market").iterdir())


def test_fetch_refuses_offline(tmp_path):
    with pytest.raises(DataError, match="cannot download while offline"):
        fetch_prices("NVDA")
