"""``jevons data`` through the real command line: output, and every bad input as one error line.

Each test gets its own cache and (usually) its own mirror under tmp_path; JEVONS_OFFLINE=1
keeps every subprocess off the network.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import assert_one_line_error, run_cli

from model.cli import main


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")



@pytest.fixture
def env(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "market").mkdir(parents=True)
    return {"JEVONS_OFFLINE": "1", "JEVONS_CACHE_DIR": str(tmp_path / "cache"),
            "JEVONS_DATA_MIRROR": str(mirror)}


@pytest.fixture
def full_env(tmp_path, mirror):
    """A copy of the whole mirror (a copy, never links: tests edit files in it) and an empty
    cache: what `data verify` needs to find nothing missing."""
    shutil.copytree(mirror, tmp_path / "mirror")
    return {"JEVONS_OFFLINE": "1", "JEVONS_CACHE_DIR": str(tmp_path / "cache"),
            "JEVONS_DATA_MIRROR": str(tmp_path / "mirror")}


def with_nvda(mirror_src, env, edit=None):
    """Put (a possibly damaged copy of) the mirror's NVDA.csv into the test mirror."""
    target = f"{env['JEVONS_DATA_MIRROR']}/market/NVDA.csv"
    shutil.copy(mirror_src / "market" / "NVDA.csv", target)
    if edit is not None:
        with open(target) as handle:
            lines = handle.read().splitlines(keepends=True)
        with open(target, "w") as handle:
            handle.write("".join(edit(lines)))
    return target


def replace_close(lines, date, value):
    i = next(k for k, line in enumerate(lines) if line.startswith(date))
    fields = lines[i].split(",")
    fields[4] = value
    lines[i] = ",".join(fields)
    return lines


def test_prices_prints_the_real_close(mirror, env):
    with_nvda(mirror, env)
    result = run_cli("data", "prices", "NVDA", "--start", "2025-01-24", "--end", "2025-01-27", env=env)
    assert result.returncode == 0, result.stderr
    assert "142.62" in result.stdout and "118.42" in result.stdout
    assert "from mirror" in result.stdout


BAD = {
    "truncated": (lambda ls: ["".join(ls)[:-25]], "truncated"),
    "duplicated date": (lambda ls: ls + [ls[-1]], "date repeats line 1760; dates must be unique"),
    "NaN row": (lambda ls: replace_close(ls, "2025-01-27", ""), "line 1434 (2025-01-27): Close is empty (NaN)"),
    "non-positive price": (lambda ls: replace_close(ls, "2025-01-27", "-118.42"), "Close is -118.42; prices must be finite and > 0"),
    "missing column": (lambda ls: [ln.replace("Adj Close", "AdjClose") for ln in ls], "missing column(s) Adj Close"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_price_file_through_the_cli(mirror, env, case):
    edit, fragment = BAD[case]
    target = with_nvda(mirror, env, edit)
    result = run_cli("data", "prices", "NVDA", env=env)
    assert_one_line_error(result, target, fragment)


def test_empty_mirror_without_network(env):
    result = run_cli("data", "prices", "NVDA", "--start", "2025-01-02", env=env)
    assert_one_line_error(result, "NVDA: no prices for 2025-01-02 to the latest date while offline",
                          env["JEVONS_CACHE_DIR"], env["JEVONS_DATA_MIRROR"], "jevons data fetch NVDA")


def test_unset_mirror_without_network(env):
    result = run_cli("data", "prices", "NVDA", env={**env, "JEVONS_DATA_MIRROR": ""})
    assert_one_line_error(result, "JEVONS_DATA_MIRROR is not set", "jevons data fetch NVDA")


def test_corrupt_cache_through_the_cli(mirror, env):
    with_nvda(mirror, env)
    cache = f"{env['JEVONS_CACHE_DIR']}/market/NVDA.csv"
    shutil.copytree(env["JEVONS_DATA_MIRROR"] + "/market", env["JEVONS_CACHE_DIR"] + "/market")
    with open(cache, "r+") as handle:
        handle.truncate(12345)
    result = run_cli("data", "prices", "NVDA", env=env)
    assert_one_line_error(result, cache, "Delete it or run `jevons data fetch NVDA`")


def test_fetch_offline_is_one_line(env):
    result = run_cli("data", "fetch", env=env)
    assert_one_line_error(result, "while offline (JEVONS_OFFLINE is set)")
    assert result.stdout == ""


def test_fetch_with_empty_yfinance_frame(tmp_path, monkeypatch, capsys):
    """The real CLI handler in process, with yfinance returning what it returns offline."""
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())
    monkeypatch.setenv("JEVONS_OFFLINE", "0")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JEVONS_DATA_MIRROR", raising=False)
    assert main(["data", "fetch", "NVDA"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(
        "error: NVDA: download from https://finance.yahoo.com/quote/NVDA/history failed: "
        "yfinance returned no prices")
    assert "the cache was not changed" in err[0]
    assert not (tmp_path / "cache").exists()


def test_fetch_writes_the_cache(tmp_path, monkeypatch, capsys):
    import numpy as np
    import yfinance

    index = pd.bdate_range("2025-01-02", periods=3, name="Date")
    frame = pd.DataFrame({c: np.array([1.0, 2.0, 3.0]) for c in
                          ["Open", "High", "Low", "Close", "Adj Close", "Volume"]}, index=index)
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: frame)
    monkeypatch.setenv("JEVONS_OFFLINE", "0")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["data", "fetch", "nvda", "^gspc"]) == 0
    out = capsys.readouterr().out
    assert "NVDA: 3 rows, 2025-01-02 to 2025-01-06, from https://finance.yahoo.com" in out
    assert sorted(p.name for p in (tmp_path / "cache" / "market").iterdir()) == [
        "GSPC.csv", "GSPC.csv.sha256", "GSPC.csv.source.json",
        "NVDA.csv", "NVDA.csv.sha256", "NVDA.csv.source.json"]
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".fetch-")]


def test_status_shows_where_each_dataset_is_read_from(mirror, env):
    with_nvda(mirror, env)
    result = run_cli("data", "status", env=env)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[4:] if line.strip()}
    assert rows["NVDA"][1:] == ["no", "yes", "1759", "2019-05-16", "2026-05-14", "mirror"]
    assert rows["SPY"][-1] == "missing"
    assert rows["epoch_ml_hardware"][-1] == "missing"


def test_status_flags_an_invalid_file(mirror, env):
    with_nvda(mirror, env, lambda ls: ls[:100] + [ls[99]] + ls[100:])
    result = run_cli("data", "status", env=env)
    assert result.returncode == 0
    assert "INVALID" in result.stdout and "jevons data verify" in result.stdout


def test_verify_the_real_mirror(mirror):
    result = run_cli("data", "verify", env={"JEVONS_OFFLINE": "1", "JEVONS_DATA_MIRROR": str(mirror)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" ok ") >= 28 and "0 problem(s)" in result.stdout


def test_verify_reports_a_changed_snapshot(mirror, full_env):
    # Same length, same schema, one digit changed: only the hash can tell.
    target = with_nvda(mirror, full_env, lambda ls: replace_close(ls, "2025-01-27", "118.51999816894531"))
    result = run_cli("data", "verify", env=full_env)
    assert_one_line_error(result, target, "sha256", "differs from the manifest", "NVDA")
    assert "FAIL" in result.stdout


def test_verify_reports_a_broken_file_once_per_problem(mirror, full_env):
    target = with_nvda(mirror, full_env, lambda ls: ls[:-10])
    result = run_cli("data", "verify", env=full_env)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(e.startswith("error: " + target) for e in errors)
    assert "sha256" in errors[0] and "1749 data rows, the manifest says 1759" in errors[1]
    assert "covers 2019-05-16 to 2026-04-30" in errors[2]


def test_verify_checks_cached_files_too(full_env):
    # The sidecar matches (the hash check passes), the content does not: the loader's check.
    from model.data.locations import write_sidecar

    cache = f"{full_env['JEVONS_CACHE_DIR']}/market"
    import os

    os.makedirs(cache)
    with open(f"{cache}/SPY.csv", "w") as handle:
        handle.write("Date,Open,High,Low,Close,Adj Close,Volume\n2025-01-02,1,1,1,0,1,1\n")
    write_sidecar(f"{cache}/SPY.csv")
    result = run_cli("data", "verify", env=full_env)
    assert_one_line_error(result, f"{cache}/SPY.csv", "Close is 0", "Delete it or fetch it again")


def test_verify_mirror_not_a_directory(env, tmp_path):
    result = run_cli("data", "verify", env={**env, "JEVONS_DATA_MIRROR": str(tmp_path / "nope")})
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: JEVONS_DATA_MIRROR=") and "is not a directory" in errors[0]
    # nothing can be read, so every dataset is missing, each named on its own line
    assert all(e.startswith("error: ") and ": missing: " in e for e in errors[1:])
    assert any(e.startswith("error: NVDA: missing:") for e in errors[1:])


def test_unknown_action():
    result = run_cli("data", "download")
    assert_one_line_error(result, "invalid choice")
