"""``jevons data fetch`` from the canonical sources, served here by a local HTTP server on
127.0.0.1 from tests/fixtures/fetch (Epoch AI exports, SEC company facts); yfinance is replaced
by a stand-in returning what it returns online (a frame) or offline (an empty frame).

Checks: every table lands in the cache, checked and with its sha256 sidecar, and loads from
there; SEC is asked with the User-Agent given; the capex rules give known answers; a bad response
(404, wrong columns, a truncated body, not JSON) leaves the cache as it was with one error line
naming the dataset and the URL, exit 2; ``--missing`` (the check of ``make book``) does nothing
when the mirror holds everything and stops at once, with one line, when it cannot download.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli

from model.data.datasets import load_dataset
from model.data.manifest import manifest
from model.data.sec import company_rows
from model.data.sources import SEC_COMPANIES
from model.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
TABLES = ["epoch_ml_hardware", "epoch_notable_ai_models", "epoch_gpu_clusters",
          "hyperscaler_capex_sec_xbrl_quarterly"]
AGENT = "Test Reader reader@example.org"


class Server:
    """Fixture files over HTTP; ``override`` maps a path to (status, body, declared length)."""

    def __init__(self):
        self.override: dict[str, tuple[int, bytes, int | None]] = {}
        self.requests: list[tuple[str, str]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                outer.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, body, length = outer.override.get(self.path, (None, b"", None))
                if status is None:
                    file = FIXTURES / self.path.lstrip("/")
                    status, body = (200, file.read_bytes()) if file.is_file() else (404, b"no")
                self.send_response(status)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture
def env(tmp_path, server):
    return {"JEVONS_OFFLINE": "0", "JEVONS_CACHE_DIR": str(tmp_path / "cache"),
            "JEVONS_DATA_MIRROR": "", "JEVONS_EPOCH_URL": f"{server.url}/epoch",
            "JEVONS_SEC_URL": f"{server.url}/sec", "JEVONS_SEC_USER_AGENT": AGENT}


def cache_bytes(cache: Path) -> dict[str, bytes]:
    return {str(p.relative_to(cache)): p.read_bytes() for p in sorted(cache.rglob("*"))
            if p.is_file()} if cache.exists() else {}


def test_fetch_every_table_from_its_source(env, server, tmp_path, monkeypatch):
    start = time.perf_counter()
    result = run_cli("data", "fetch", *TABLES, env=env)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    assert elapsed < 10, f"four tables from 127.0.0.1 took {elapsed:.1f} s"
    cache = tmp_path / "cache"
    for name in TABLES:
        spec = manifest().datasets[name]
        data = cache / spec.file
        digest = hashlib.sha256(data.read_bytes()).hexdigest()
        assert (cache / (spec.file + ".sha256")).read_text() == f"{digest}  {data.name}\n"
        assert f"{name}: " in result.stdout and str(data) in result.stdout
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for name in TABLES:
        frame = load_dataset(name)  # the loader's hash, schema and range checks pass
        assert frame.attrs["origin"] == "cache"
    capex = load_dataset("hyperscaler_capex_sec_xbrl_quarterly")
    assert len(capex) == 11  # MSFT 3, GOOG 4, AMZN 4
    sec = [(path, agent) for path, agent in server.requests if path.startswith("/sec/")]
    assert sorted(p for p, _ in sec) == sorted(f"/sec/CIK{c.cik}.json" for c in SEC_COMPANIES)
    assert {agent for _, agent in sec} == {AGENT}
    assert not [p for p in cache.iterdir() if p.name.startswith(".fetch-")]


def test_capex_rules_known_answers():
    """Quarters from three-month facts or year-to-date differences, years from calendar-year
    facts, the latest filing winning, and nothing from a July-June fiscal year."""
    import json

    by_ticker = {c.ticker: c for c in SEC_COMPANIES}
    rows = {}
    for ticker, company in by_ticker.items():
        document = json.loads((FIXTURES / "sec" / f"CIK{company.cik}.json").read_text())
        rows[ticker] = {(y, q): v / 1e6 for _, y, q, v in company_rows(document, company, "x")}
    assert rows["GOOG"] == {(2024, 0): 52535, (2024, 1): 12012, (2024, 2): 13186,
                            (2024, 3): 38259 - 25198}
    assert rows["AMZN"] == {(2024, 0): 82999, (2024, 1): 14925, (2024, 2): 32545 - 14925,
                            (2024, 3): 55165 - 32545}
    assert rows["MSFT"] == {(2024, 3): 14923, (2024, 4): 15804, (2025, 1): 16745}
    with pytest.raises(DataError, match="not SEC company facts"):
        company_rows({"facts": {}}, by_ticker["MSFT"], "x")


@pytest.mark.parametrize("case", ["404", "schema", "truncated", "html"])
def test_a_bad_response_leaves_the_cache_untouched(case, env, server, tmp_path):
    assert run_cli("data", "fetch", "epoch_ml_hardware", env=env).returncode == 0
    cache = tmp_path / "cache"
    before = cache_bytes(cache)
    good = (FIXTURES / "epoch" / "ml_hardware.csv").read_bytes()
    server.override["/epoch/ml_hardware.csv"] = {
        "404": (404, b"not here", None),
        "schema": (200, good.replace(b"Release date", b"Released", 1), None),
        "truncated": (200, good[:3000], len(good)),
        "html": (200, b"<html><body>Just a moment...</body></html>\n", None),
    }[case]
    result = run_cli("data", "fetch", "epoch_ml_hardware", env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    url = f"{server.url}/epoch/ml_hardware.csv"
    assert len(lines) == 1 and lines[0].startswith("error: epoch_ml_hardware: download from "
                                                   f"{url} failed"), result.stderr
    assert "the cache was not changed" in lines[0]
    assert {"404": "HTTP 404", "schema": "'Release date'", "truncated": "truncated",
            "html": "missing column"}[case] in lines[0]
    assert cache_bytes(cache) == before


def test_sec_refuses_without_a_user_agent(env, server):
    result = run_cli("data", "fetch", "hyperscaler_capex_sec_xbrl_quarterly",
                     env={**env, "JEVONS_SEC_USER_AGENT": ""})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "JEVONS_SEC_USER_AGENT=" in result.stderr
    assert server.requests == []
    bad = run_cli("data", "fetch", "hyperscaler_capex_sec_xbrl_quarterly",
                  env={**env, "JEVONS_SEC_USER_AGENT": "anonymous"})
    assert bad.returncode == 2 and "allowed is a name and an email address" in bad.stderr


def test_sec_not_json_names_the_company_url(env, server, tmp_path):
    server.override["/sec/CIK0001652044.json"] = (200, b"<html>rate limited</html>", None)
    result = run_cli("data", "fetch", "hyperscaler_capex_sec_xbrl_quarterly", env=env)
    assert result.returncode == 2
    assert f"{server.url}/sec/CIK0001652044.json failed: the response is not JSON" in result.stderr
    assert cache_bytes(tmp_path / "cache") == {}


def test_prices_through_yfinance_and_an_empty_frame(tmp_path, monkeypatch, capsys):
    import yfinance

    from model.cli import main

    monkeypatch.setenv("JEVONS_OFFLINE", "0")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JEVONS_DATA_MIRROR", raising=False)
    index = pd.bdate_range("2025-01-02", periods=4, name="Date")
    frame = pd.DataFrame({c: np.array([1.0, 2.0, 3.0, 4.0]) for c in
                          ["Open", "High", "Low", "Close", "Adj Close", "Volume"]}, index=index)
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: frame)
    assert main(["data", "fetch", "NVDA"]) == 0
    csv = tmp_path / "cache" / "market" / "NVDA.csv"
    before = csv.read_bytes()
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    assert main(["data", "fetch", "NVDA"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "NVDA: download from https://finance.yahoo.com/quote/NVDA/history" \
        " failed: yfinance returned no prices" in err[0]
    assert csv.read_bytes() == before


def test_missing_is_a_no_op_when_the_mirror_holds_everything(tmp_path, server):
    mirror = tmp_path / "mirror"
    m = manifest()
    for spec in [*m.tickers.values(), *m.datasets.values()]:
        (mirror / spec.file).parent.mkdir(parents=True, exist_ok=True)
        (mirror / spec.file).write_text("x\n")
    env = {"JEVONS_CACHE_DIR": str(tmp_path / "cache"), "JEVONS_DATA_MIRROR": str(mirror),
           "JEVONS_EPOCH_URL": f"{server.url}/epoch", "JEVONS_SEC_URL": f"{server.url}/sec"}
    result = run_cli("data", "fetch", "--missing", env=env)
    assert result.returncode == 0 and result.stderr == ""
    assert "every dataset of data/manifest.toml is in the cache or the mirror" in result.stdout
    assert server.requests == []


def test_missing_without_network_or_mirror_stops_at_once(tmp_path):
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    env = {"JEVONS_OFFLINE": "0", "JEVONS_CACHE_DIR": str(tmp_path / "cache"),
           "JEVONS_DATA_MIRROR": "", "JEVONS_EPOCH_URL": closed, "JEVONS_SEC_URL": closed,
           "JEVONS_SEC_USER_AGENT": AGENT}
    start = time.perf_counter()
    result = run_cli("data", "fetch", "--missing", env=env)
    elapsed = time.perf_counter() - start
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: data for the book: epoch_ml_hardware")
    assert "cannot be reached" in lines[0] and "set JEVONS_DATA_MIRROR" in lines[0]
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert cache_bytes(tmp_path / "cache") == {}
    offline = run_cli("data", "fetch", "--missing", env={**env, "JEVONS_OFFLINE": "1"})
    assert offline.returncode == 2 and offline.stderr.count("\n") == 1
    assert "while offline" in offline.stderr and "JEVONS_DATA_MIRROR" in offline.stderr
