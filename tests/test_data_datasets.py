"""``load_dataset`` and the manifest: real mirror files, damaged copies, a broken manifest."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from model.data import DATASETS, load_dataset
from model.data.manifest import MANIFEST_PATH, manifest, read_manifest
from model.errors import DataError


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")


NAMES = ["epoch_ml_hardware", "epoch_notable_ai_models", "epoch_gpu_clusters",
         "hyperscaler_capex_sec_xbrl_quarterly"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("JEVONS_DATA_MIRROR", raising=False)


@pytest.fixture
def use_mirror(mirror, monkeypatch):
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    return mirror


def test_manifest_lists_the_datasets_and_tickers():
    assert list(DATASETS) == NAMES
    m = manifest()
    assert {"NVDA", "SPY", "SOXX", "GSPC", "AVGO", "MSFT"} <= set(m.tickers)
    assert m.tickers["GSPC"].symbol == "^GSPC" and m.tickers["GSPC"].is_index
    assert m.tickers["NVDA"].role == "subject"
    for spec in list(m.tickers.values()) + list(m.datasets.values()):
        assert len(spec.sha256) == 64 and spec.rows > 0 and spec.snapshot_of


@pytest.mark.parametrize("name", NAMES)
def test_each_dataset_loads_with_dates_parsed(use_mirror, name):
    frame = load_dataset(name)
    spec = DATASETS[name]
    assert len(frame) == spec.rows
    assert set(spec.columns) <= set(frame.columns)
    for column in spec.date_columns:
        assert frame[column].dtype == "datetime64[ns]"
    for column in spec.numeric_columns:
        assert pd.api.types.is_float_dtype(frame[column])
    assert frame.attrs["origin"] == "mirror"


def test_spot_values_match_provenance(use_mirror):
    hw = load_dataset("epoch_ml_hardware").set_index("Hardware name")
    h100 = hw.loc["NVIDIA H100 SXM5 80GB"]
    assert h100["Tensor-FP16/BF16 performance (FLOP/s)"] == pytest.approx(9.894e14)
    assert h100["Release price (USD)"] == 33600
    assert h100["Release date"] == pd.Timestamp("2022-09-20")
    capex = load_dataset("hyperscaler_capex_sec_xbrl_quarterly")
    row = capex[(capex.ticker == "GOOG") & (capex.year == 2024) & (capex.quarter == 0)]
    assert row["payments_usd"].item() == 52_535_000_000
    clusters = load_dataset("epoch_gpu_clusters")  # M/D/YYYY in the source
    assert clusters["First Operational Date"].dropna().min() == pd.Timestamp("2010-11-15")


def test_unknown_dataset_lists_known_names():
    with pytest.raises(DataError, match="unknown dataset 'epoch_hardware'; known datasets") as info:
        load_dataset("epoch_hardware")
    assert all(name in str(info.value) for name in NAMES)


def test_missing_dataset_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError) as info:
        load_dataset("epoch_ml_hardware")
    message = str(info.value)
    assert "no cache file" in message and str(tmp_path / "empty" / "other" / "epoch_ml_hardware.csv") in message
    assert "run `jevons data fetch epoch_ml_hardware` with network access" in message


def damaged_copy(mirror, tmp_path, monkeypatch, name, edit):
    spec = DATASETS[name]
    root = tmp_path / "mirror"
    target = root / spec.file
    target.parent.mkdir(parents=True)
    shutil.copy(mirror / spec.file, target)
    target.write_bytes(edit(target.read_bytes()))
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(root))
    return target


@pytest.mark.parametrize("edit, pattern", [
    (lambda b: b[:-40], "ends in the middle of a line"),
    (lambda b: b.replace(b"Release date", b"Released", 1), "missing column\\(s\\) 'Release date'"),
    (lambda b: b.replace(b"2022-09-20", b"20/09/2022", 1), "Release date '20/09/2022' is not a date"),
    (lambda b: b.replace(b",33600.0,", b",about 33600,", 1), "Release price \\(USD\\) 'about 33600' is not a number"),
    (lambda b: b"", "the file is empty"),
])
def test_damaged_dataset_is_reported(mirror, tmp_path, monkeypatch, edit, pattern):
    target = damaged_copy(mirror, tmp_path, monkeypatch, "epoch_ml_hardware", edit)
    with pytest.raises(DataError, match=pattern) as info:
        load_dataset("epoch_ml_hardware")
    assert str(info.value).startswith(str(target)) and "\n" not in str(info.value)


def test_corrupt_cached_dataset_is_reported(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(mirror))
    cached = tmp_path / "cache" / "other" / "hyperscaler_capex_sec_xbrl_quarterly.csv"
    cached.parent.mkdir(parents=True)
    cached.write_text("ticker,year,quarter\nMSFT,2024,1\n")
    with pytest.raises(DataError, match="missing column\\(s\\) 'payments_usd'") as info:
        load_dataset("hyperscaler_capex_sec_xbrl_quarterly")
    assert str(info.value).startswith(str(cached)) and "Delete it" in str(info.value)


def test_broken_manifest_is_reported(tmp_path):
    text = MANIFEST_PATH.read_text()
    bad = tmp_path / "manifest.toml"
    bad.write_text(text.replace('kind = "index"', 'kind = "indx"', 1))
    with pytest.raises(DataError, match=r"market.tickers.GSPC.kind is 'indx'; allowed: equity, etf, index"):
        read_manifest(bad)
    bad.write_text(text.replace("rows = 170\n", "", 1))
    with pytest.raises(DataError, match=r"datasets.epoch_ml_hardware.rows is missing"):
        read_manifest(bad)
    bad.write_text(text + "\n[oops\n")
    with pytest.raises(DataError, match="malformed TOML"):
        read_manifest(bad)
