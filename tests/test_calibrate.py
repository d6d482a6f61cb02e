"""`jevons calibrate` and `fit(as_of)`: the as-of guarantee, the contract of the JSON, bad inputs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_DIR, assert_one_line_error, run_cli


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")


AS_OF = "2025-02-10"
FACTS = PROJECT_DIR / "data" / "facts"


def perturb_mirror(src: Path, dst: Path, as_of: str) -> None:
    """Copy the mirror, changing every row dated after ``as_of``."""
    cut = pd.Timestamp(as_of)
    shutil.copytree(src, dst)
    for path in (dst / "market").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = pd.to_datetime(frame["Date"]) > cut
        for column in ("Open", "High", "Low", "Close", "Adj Close"):
            values = pd.to_numeric(frame.loc[later, column], errors="coerce")
            frame.loc[later, column] = np.where(values.notna(), (values * 1.37).map(repr), "")
        frame.to_csv(path, index=False)
    hardware = dst / "other" / "epoch_ml_hardware.csv"
    frame = pd.read_csv(hardware, dtype=str, keep_default_na=False)
    later = pd.to_datetime(frame["Release date"], errors="coerce") > cut
    price = pd.to_numeric(frame.loc[later, "Release price (USD)"], errors="coerce")
    frame.loc[later, "Release price (USD)"] = np.where(price.notna(), (price / 10).map(repr), "")
    frame.to_csv(hardware, index=False, quoting=csv.QUOTE_MINIMAL)
    capex = dst / "other" / "hyperscaler_capex_sec_xbrl_quarterly.csv"
    frame = pd.read_csv(capex)
    # a quarter is dated by its end (a full year, quarter 0, by 31 December)
    month = frame["quarter"].where(frame["quarter"] > 0, 4) * 3
    end = pd.to_datetime(dict(year=frame["year"], month=month, day=1)) + pd.offsets.MonthEnd(0)
    frame.loc[end > cut - pd.Timedelta(days=120), "payments_usd"] *= 3
    frame.to_csv(capex, index=False)


def perturb_facts(dst: Path, as_of: str) -> None:
    """Copy the facts tables, changing the value of every row that became known after ``as_of``."""
    cut = pd.Timestamp(as_of)
    dst.mkdir()
    for path in FACTS.iterdir():
        if path.suffix != ".csv" or path.name == "statements.csv":
            shutil.copy(path, dst / path.name)
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        later = pd.to_datetime(frame["as_of"]) > cut
        frame.loc[later, "value"] = (pd.to_numeric(frame.loc[later, "value"]) * 2 + 1).map(repr)
        frame.to_csv(path.with_name(path.name).as_posix().replace(str(FACTS), str(dst)), index=False)


def calibrate(*extra: str, env: dict | None = None):
    return run_cli("calibrate", "--as-of", AS_OF, "--json", "--draws", "500", *extra, env=env)


@pytest.fixture(scope="module")
def baseline_doc(mirror):
    result = calibrate(env={"JEVONS_DATA_MIRROR": str(mirror), "JEVONS_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_contract(baseline_doc):
    doc = json.loads(baseline_doc)
    assert doc["as_of"] == AS_OF
    for key in ("market_implied", "capex_implied", "combined"):
        assert set(doc[key]) >= {"elasticity", "interval"}
        lo, hi = doc[key]["interval"]
        assert lo <= doc[key]["elasticity"] <= hi
    for key in ("hyperscaler_capex_2025_usd_bn", "nvidia_fy2026_dc_revenue_usd_bn"):
        forecast = doc["forecasts"][key]
        assert set(forecast) >= {"median", "interval", "baseline"}
        lo, hi = forecast["interval"]
        assert lo <= forecast["median"] <= hi
    # the Nvidia abnormal return of 27 January 2025 is strongly negative: demand read as inelastic
    assert doc["market_implied"]["abnormal_return"] < -0.10
    assert doc["market_implied"]["elasticity"] < 1.0


def test_outputs_do_not_move_when_later_data_change(baseline_doc, mirror, tmp_path):
    perturb_mirror(mirror, tmp_path / "mirror", AS_OF)
    perturb_facts(tmp_path / "facts", AS_OF)
    env = {"JEVONS_DATA_MIRROR": str(tmp_path / "mirror"), "JEVONS_FACTS_DIR": str(tmp_path / "facts"),
           "JEVONS_OFFLINE": "1", "JEVONS_CACHE_DIR": str(tmp_path / "cache")}
    # the perturbation is real: later prices and facts did change
    later = run_cli("data", "facts", "--id", "nvda_dc_revenue_consensus_fy2026", env=env)
    assert "368.6" in later.stdout, later.stdout + later.stderr
    changed = calibrate(env=env)
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout == baseline_doc


def test_same_seed_same_bytes(baseline_doc, mirror):
    again = calibrate(env={"JEVONS_DATA_MIRROR": str(mirror), "JEVONS_OFFLINE": "1"})
    assert again.stdout == baseline_doc


@pytest.mark.parametrize(
    "as_of,fragment",
    [
        ("2024-06-30", "before the event of 2025-01-27"),
        ("2019-01-01", "before the event of 2025-01-27"),
        ("2031-01-01", "after the last price in the data"),
        ("2025-13-01", "not a date"),
        ("yesterday", "not a date"),
    ],
)
def test_bad_as_of(mirror, as_of, fragment):
    result = run_cli("calibrate", "--as-of", as_of, env={"JEVONS_DATA_MIRROR": str(mirror)})
    assert_one_line_error(result, "--as-of", fragment)


@pytest.mark.parametrize("args,fragment", [(("--draws", "5"), "--draws"), (("--seed", "-1"), "--seed")])
def test_bad_options(args, fragment):
    assert_one_line_error(run_cli("calibrate", *args), fragment)


def test_no_data_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("calibrate", env={"JEVONS_DATA_MIRROR": str(tmp_path / "empty"),
                                       "JEVONS_OFFLINE": "1", "JEVONS_CACHE_DIR": str(tmp_path / "cache")})
    assert_one_line_error(result)
