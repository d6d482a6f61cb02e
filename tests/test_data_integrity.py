"""Damaged data is never used silently (issue 12): cached files are checked against the sha256
that `jevons data fetch` recorded beside them, `data verify` fails on missing datasets and facts
tables, and the used columns of every dataset are range-checked at load time, naming the line.

Every test works on copies under tmp_path (a copy of the mirror, a cache of its own); the
shared mirror is only read.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_line_error, run_cli

from model.data import load_dataset, load_prices
from model.data.facts import TABLES
from model.data.locations import sidecar_path, write_sidecar
from model.errors import DataError
from model.paths import FACTS_DIR

HARDWARE = "other/epoch_ml_hardware.csv"
CAPEX = "other/hyperscaler_capex_sec_xbrl_quarterly.csv"
H100_LINE = 102  # NVIDIA H100 SXM5 80GB's record starts on this line (records span lines)


@pytest.fixture
def env(tmp_path, mirror):
    """A full copy of the mirror, an empty cache, offline, no opt-out."""
    shutil.copytree(mirror, tmp_path / "mirror")
    return {"JEVONS_OFFLINE": "1", "JEVONS_CACHE_DIR": str(tmp_path / "cache"),
            "JEVONS_DATA_MIRROR": str(tmp_path / "mirror"), "JEVONS_ALLOW_UNVERIFIED_DATA": ""}


@pytest.fixture
def use_env(env, monkeypatch):
    """The same environment for in-process calls of the data layer."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def cache_copy(env, relative, edit=None, sidecar=True):
    """Put the mirror's ``relative`` into the cache, record its sha256 beside it (as `jevons data
    fetch` does), then optionally edit its lines (after the record, as a later change would)."""
    target = f"{env['JEVONS_CACHE_DIR']}/{relative}"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(f"{env['JEVONS_DATA_MIRROR']}/{relative}", target)
    if sidecar:
        write_sidecar(target)
    if edit is not None:
        edit_lines(target, edit)
    return target


def edit_lines(path, edit):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(edit(lines)))


def set_field(prefix, index, value):
    """An edit: field ``index`` of the line starting with ``prefix`` becomes ``value``."""
    def edit(lines):
        i = next(k for k, line in enumerate(lines) if line.startswith(prefix))
        fields = lines[i].removesuffix("\n").split(",")
        fields[index] = value
        lines[i] = ",".join(fields) + "\n"
        return lines
    return edit


NVDA_ADJ_CLOSE_0127 = set_field("2025-01-27,", 5, "128.41")  # the true 118.38


# --- the cache sidecar ---------------------------------------------------------------------------
def fake_download(monkeypatch, closes=(1.0, 2.0, 3.0)):
    import yfinance

    index = pd.bdate_range("2025-01-02", periods=len(closes), name="Date")
    frame = pd.DataFrame({c: np.array(closes) for c in
                          ["Open", "High", "Low", "Close", "Adj Close", "Volume"]}, index=index)
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: frame)


def test_fetch_records_the_sha256_beside_the_file_and_reads_check_it(tmp_path, monkeypatch):
    fake_download(monkeypatch)
    cache = tmp_path / "cache"
    env = {"JEVONS_OFFLINE": "0", "JEVONS_CACHE_DIR": str(cache), "JEVONS_DATA_MIRROR": ""}
    assert run_cli("data", "fetch", "NVDA", env=env).returncode == 0
    csv, side = cache / "market" / "NVDA.csv", cache / "market" / "NVDA.csv.sha256"
    assert side.read_text() == f"{hashlib.sha256(csv.read_bytes()).hexdigest()}  NVDA.csv\n"
    result = run_cli("data", "prices", "NVDA", env={**env, "JEVONS_OFFLINE": "1"})
    assert result.returncode == 0 and result.stderr == "" and "from cache" in result.stdout


def test_a_download_on_first_use_records_its_sha256_too(tmp_path, monkeypatch):
    fake_download(monkeypatch)
    monkeypatch.setenv("JEVONS_OFFLINE", "0")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JEVONS_DATA_MIRROR", raising=False)
    assert load_prices("AVGO").attrs["origin"] == "network"
    csv = tmp_path / "cache" / "market" / "AVGO.csv"
    assert sidecar_path(csv).read_text().split()[0] == hashlib.sha256(csv.read_bytes()).hexdigest()
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    assert load_prices("AVGO").attrs["origin"] == "cache"


def test_a_cached_file_changed_after_fetch_is_refused_by_event(env):
    # The reproduction of the review: NVDA's adjusted close of 2025-01-27 edited in the cache.
    target = cache_copy(env, "market/NVDA.csv", NVDA_ADJ_CLOSE_0127)
    result = run_cli("event", "NVDA", "--date", "2025-01-27", env=env)
    assert_one_line_error(result, f"{target}: sha256", "differs from the", "NVDA.csv.sha256",
                          "re-run `jevons data fetch NVDA`", "JEVONS_ALLOW_UNVERIFIED_DATA=1")
    assert result.stdout == ""


def test_an_unchanged_cached_file_is_used_without_a_word(env):
    cache_copy(env, "market/NVDA.csv")
    result = run_cli("data", "prices", "NVDA", "--start", "2025-01-27", "--end", "2025-01-27", env=env)
    assert result.returncode == 0 and result.stderr == ""
    assert "from cache" in result.stdout and "118.42" in result.stdout


@pytest.mark.parametrize("sidecar,fragment", [
    (None, "no record of its sha256 (NVDA.csv.sha256 is missing)"),
    ("", "NVDA.csv.sha256 is malformed"),
    ("abc  NVDA.csv\n", "NVDA.csv.sha256 is malformed"),
    ("0" * 64 + "  SPY.csv\n", "NVDA.csv.sha256 is malformed"),
    ("0" * 64 + "  NVDA.csv\n", "differs from the 000000000000... recorded in NVDA.csv.sha256"),
])
def test_a_missing_or_bad_sidecar_is_one_line_naming_the_file_and_the_fix(env, sidecar, fragment):
    target = cache_copy(env, "market/NVDA.csv", sidecar=False)
    if sidecar is not None:
        sidecar_path(target).write_text(sidecar)
    result = run_cli("data", "prices", "NVDA", env=env)
    assert_one_line_error(result, target, fragment, "jevons data fetch NVDA",
                          "JEVONS_ALLOW_UNVERIFIED_DATA=1")


def test_a_sidecar_in_sha256sum_binary_form_is_accepted(env):
    target = cache_copy(env, "market/NVDA.csv")
    digest = sidecar_path(target).read_text().split()[0]
    sidecar_path(target).write_text(f"{digest.upper()} *NVDA.csv\n")
    assert run_cli("data", "prices", "NVDA", env=env).returncode == 0


def test_the_opt_out_uses_a_changed_cached_file_and_names_it(env):
    target = cache_copy(env, "market/NVDA.csv", NVDA_ADJ_CLOSE_0127)
    result = run_cli("data", "prices", "NVDA", "--start", "2025-01-27", "--end", "2025-01-27",
                     env={**env, "JEVONS_ALLOW_UNVERIFIED_DATA": "1"})
    assert result.returncode == 0 and "128.41" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: using {target} unverified")


def test_verify_checks_cached_files_against_their_sidecar(env):
    target = cache_copy(env, "market/NVDA.csv", NVDA_ADJ_CLOSE_0127)
    for opt_out in ("", "1"):  # verify reports it whatever the opt-out says
        result = run_cli("data", "verify", env={**env, "JEVONS_ALLOW_UNVERIFIED_DATA": opt_out})
        assert_one_line_error(result, f"{target}: sha256", "NVDA.csv.sha256",
                              "re-run `jevons data fetch NVDA`")
        row = next(line for line in result.stdout.splitlines() if line.endswith(target))
        assert row.split()[:3] == ["NVDA", "cache", "FAIL"] and "sidecar" in row
    (sidecar_path(target)).unlink()
    assert_one_line_error(run_cli("data", "verify", env=env), target, "NVDA.csv.sha256 is missing")
    write_sidecar(target)
    result = run_cli("data", "verify", env=env)
    assert result.returncode == 0 and "0 problem(s)" in result.stdout


def test_a_cached_dataset_needs_a_recorded_hash_too(use_env):
    target = cache_copy(use_env, HARDWARE, sidecar=False)
    with pytest.raises(DataError) as info:
        load_dataset("epoch_ml_hardware")
    message = str(info.value)
    assert message.startswith(f"{target}: no record of its sha256")
    assert "sha256sum epoch_ml_hardware.csv > epoch_ml_hardware.csv.sha256" in message
    write_sidecar(target)
    assert load_dataset("epoch_ml_hardware").attrs["origin"] == "cache"


def test_status_flags_a_changed_cached_file(env):
    cache_copy(env, "market/NVDA.csv", NVDA_ADJ_CLOSE_0127)
    result = run_cli("data", "status", env=env)
    assert result.returncode == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith("NVDA "))
    assert "INVALID" in row and "jevons data verify" in result.stdout


# --- missing datasets and tables -----------------------------------------------------------------
def test_the_full_mirror_verifies(env):
    result = run_cli("data", "verify", env=env)
    assert result.returncode == 0, result.stderr
    assert "28 file(s) checked, 0 missing, 0 to download on first use, 0 problem(s)" in result.stdout


@pytest.mark.parametrize("name,relative", [
    ("NVDA", "market/NVDA.csv"),
    ("epoch_ml_hardware", HARDWARE),
    ("hyperscaler_capex_sec_xbrl_quarterly", CAPEX),
])
def test_a_dataset_in_neither_cache_nor_mirror_fails_verify(env, name, relative):
    (f := Path(env["JEVONS_DATA_MIRROR"]) / relative).unlink()
    result = run_cli("data", "verify", env=env)
    assert_one_line_error(result, f"{name}: missing: no cache file", str(f))
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"{name} "))
    assert row.split()[1:3] == ["-", "MISSING"]
    assert "1 missing" in result.stdout


def test_a_price_file_missing_while_online_is_listed_not_failed(env):
    (Path(env["JEVONS_DATA_MIRROR"]) / "market" / "NVDA.csv").unlink()
    result = run_cli("data", "verify", env={**env, "JEVONS_OFFLINE": "0"})
    assert result.returncode == 0 and result.stderr == ""
    row = next(line for line in result.stdout.splitlines() if line.startswith("NVDA "))
    assert row.split()[1:3] == ["-", "download"]
    assert "0 missing, 1 to download on first use, 0 problem(s)" in result.stdout
    # a dataset that cannot be downloaded is missing online too
    (Path(env["JEVONS_DATA_MIRROR"]) / CAPEX).unlink()
    result = run_cli("data", "verify", env={**env, "JEVONS_OFFLINE": "0"})
    assert_one_line_error(result, "hyperscaler_capex_sec_xbrl_quarterly: missing")


def test_the_expected_facts_tables_are_the_shipped_ones():
    assert set(TABLES) == {p.name for p in FACTS_DIR.glob("*.csv")}


@pytest.mark.parametrize("table", ["nvidia.csv", "statements.csv"])
def test_a_deleted_facts_table_fails_verify(env, tmp_path, table):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, facts)
    (facts / table).unlink()
    result = run_cli("data", "verify", "--facts-dir", str(facts), env=env)
    assert_one_line_error(result, f"{facts / table}: the facts table is missing",
                          f"data/facts/{table}")
    assert "MISSING" in result.stdout


# --- range checks at load time -------------------------------------------------------------------
H100 = "NVIDIA H100 SXM5 80GB,"
PRICE_FIELD, TENSOR_FIELD, FP32_FIELD = 5, 6, 15


@pytest.mark.parametrize("field,value,fragment", [
    (PRICE_FIELD, "-33600.0", "Release price (USD) is -33600"),
    (PRICE_FIELD, "0", "Release price (USD) is 0"),
    (PRICE_FIELD, "inf", "Release price (USD) is inf"),
    (TENSOR_FIELD, "0.0", "Tensor-FP16/BF16 performance (FLOP/s) is 0"),
    (FP32_FIELD, "-1e12", "FP32 (single precision) performance (FLOP/s) is -1e+12"),
    (FP32_FIELD, "nan", None),  # NaN is an empty cell (missing data), not a range error
])
def test_a_bad_hardware_figure_is_an_error_naming_the_line(use_env, field, value, fragment):
    target = cache_copy(use_env, HARDWARE)
    edit_lines(target, set_field(H100, field, value))
    write_sidecar(target)  # a file adopted on purpose: only the range check can tell
    if fragment is None:
        assert load_dataset("epoch_ml_hardware").attrs["origin"] == "cache"
        return
    with pytest.raises(DataError) as info:
        load_dataset("epoch_ml_hardware")
    message = str(info.value)
    assert message.startswith(f"{target}: line {H100_LINE} (Hardware name='NVIDIA H100 SXM5 80GB')")
    assert fragment in message and "allowed: a finite number > 0 or empty" in message


def test_verify_names_the_line_of_a_bad_hardware_price(env):
    target = cache_copy(env, HARDWARE, set_field(H100, PRICE_FIELD, "-33600.0"))
    write_sidecar(target)
    result = run_cli("data", "verify", env=env)
    assert_one_line_error(result, f"{target}: line {H100_LINE} (Hardware name='NVIDIA H100 SXM5 80GB')",
                          "Release price (USD) is -33600; allowed: a finite number > 0 or empty")
    row = next(line for line in result.stdout.splitlines() if line.endswith(target))
    assert row.split()[:3] == ["epoch_ml_hardware", "cache", "FAIL"]


def test_the_hardware_fit_no_longer_drops_a_chip_with_a_bad_price(use_env):
    from model.calibration.hardware_fit import fit_from_data

    before = fit_from_data("2025-02-10")
    target = cache_copy(use_env, HARDWARE, set_field(H100, PRICE_FIELD, "-33600.0"))
    write_sidecar(target)
    with pytest.raises(DataError, match=f"line {H100_LINE}.*Release price"):
        fit_from_data("2025-02-10")
    # an empty price stays what it was: a chip without a price, counted and skipped
    edit_lines(target, set_field(H100, PRICE_FIELD, ""))
    write_sidecar(target)
    after = fit_from_data("2025-02-10")
    assert after.n == before.n - 1 and after.excluded["no_price"] == before.excluded["no_price"] + 1


GOOG_2024 = "GOOG,2024,0,"  # line 116


@pytest.mark.parametrize("line,fragment", [
    ("GOOG,,0,52535000000.0\n", "year is empty; allowed: a whole number >= 1990 and <= 2100"),
    ("GOOG,2024,,52535000000.0\n", "quarter is empty"),
    ("GOOG,2024,9,52535000000.0\n", "quarter is 9; allowed: a whole number >= 0 and <= 4 "
                                    "(0 = the calendar year, 1-4 = a calendar quarter)"),
    ("GOOG,2024,2.5,52535000000.0\n", "quarter is 2.5"),
    ("GOOG,1850,0,52535000000.0\n", "year is 1850"),
    ("GOOG,2024,0,-52535000000.0\n", "payments_usd is -5.2535e+10; allowed: a finite number >= 0"),
    ("GOOG,2024,0,inf\n", "payments_usd is inf"),
    ("GOOG,2024,0,\n", "payments_usd is empty"),
    ("GOOG,2024,0,5e15\n", "payments_usd is 5e+15"),
    ("GOOG,2024,first,52535000000.0\n", "quarter 'first' is not a number"),
    (",2024,0,52535000000.0\n", "ticker is empty"),
    ("GOOG,2024,1,52535000000.0\n", "repeats ticker='GOOG', year=2024, quarter=1 of line 116"),
])
def test_a_bad_capex_row_is_an_error_naming_the_line(use_env, line, fragment):
    from model.calibration import longrun

    target = cache_copy(use_env, CAPEX)
    edit_lines(target, lambda ls: [line if ln.startswith(GOOG_2024) else ln for ln in ls])
    write_sidecar(target)
    with pytest.raises(DataError) as info:  # used to crash annual_capex with a ValueError
        longrun.annual_capex("2025-02-10")
    message = str(info.value)
    assert message.startswith(f"{target}: line 11"), message
    assert fragment in message and "\n" not in message
    if "repeats" not in fragment:
        assert message.startswith(f"{target}: line 116 (ticker=")
    else:
        assert message.startswith(f"{target}: line 118 (ticker='GOOG')")


@pytest.mark.parametrize("edit,fragment", [
    (set_field("2025-01-27,", 4, "inf"), "line 1434 (2025-01-27): Close is inf; prices must be finite and > 0"),
    (set_field("2025-01-27,", 2, "0"), "line 1434 (2025-01-27): High is 0"),
    (set_field("2025-01-27,", 6, "-5"), "line 1434 (2025-01-27): Volume is -5; must be finite and >= 0"),
    (set_field("2025-01-27,", 0, "2025-01-32"), "line 1434: Date '2025-01-32' is not a date"),
])
def test_a_bad_price_row_is_an_error_naming_the_line(env, edit, fragment):
    target = cache_copy(env, "market/NVDA.csv", edit)
    write_sidecar(target)
    result = run_cli("event", "NVDA", "--date", "2025-01-27", env=env)
    assert_one_line_error(result, f"{target}: {fragment}")


def test_the_range_rules_pass_on_every_shipped_dataset(use_env):
    for name in ("epoch_ml_hardware", "epoch_notable_ai_models", "epoch_gpu_clusters",
                 "hyperscaler_capex_sec_xbrl_quarterly"):
        assert load_dataset(name).attrs["origin"] == "mirror"


def test_a_negative_count_in_an_unused_dataset_is_refused_too(use_env):
    target = cache_copy(use_env, "other/epoch_gpu_clusters.csv")
    text = Path(target).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("xAI 5 year plan,") and ",50025265.29," in text
    Path(target).write_text(text.replace(",50025265.29,", ",-50025265.29,", 1), encoding="utf-8")
    write_sidecar(target)
    with pytest.raises(DataError) as info:
        load_dataset("epoch_gpu_clusters")
    assert str(info.value).startswith(
        f"{target}: line 2 (Name='xAI 5 year plan'): H100 equivalents is -5.00253e+07; "
        "allowed: a finite number >= 0 or empty")
