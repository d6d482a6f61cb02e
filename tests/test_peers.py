"""Peer evidence: exposures measured before the event and the pooled news move (known answers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.calibration.peers import peer_evidence
from model.event_study import get_basket


@pytest.fixture(autouse=True)
def _unverified_mirror_files(monkeypatch):
    """These tests damage or synthesise mirror files on purpose, to test what lies behind the
    manifest's hash check (tests/test_reliability.py tests the check itself)."""
    monkeypatch.setenv("JEVONS_ALLOW_UNVERIFIED_DATA", "1")


EVENT = pd.Timestamp("2025-01-27")


def write_prices(folder, ticker: str, dates: pd.DatetimeIndex, returns: np.ndarray) -> None:
    close = 100.0 * np.cumprod(1.0 + returns)
    frame = pd.DataFrame({"Date": dates.strftime("%Y-%m-%d"), "Open": close, "High": close * 1.01,
                          "Low": close * 0.99, "Close": close, "Adj Close": close,
                          "Volume": 1_000_000})
    frame.to_csv(folder / f"{ticker}.csv", index=False)


@pytest.fixture
def synthetic_market(tmp_path, monkeypatch):
    """Peers whose idiosyncratic returns load on Nvidia's with known exposures, and a planted
    common move on the event day."""
    rng = np.random.default_rng(7)
    dates = pd.bdate_range("2023-06-01", "2025-03-31")
    event = dates.get_loc(EVENT)
    peers = [t for t in get_basket("deepseek").tickers if t != "NVDA"]
    exposures = np.linspace(0.2, 0.9, len(peers))
    common_move = -0.20
    market = rng.normal(0.0005, 0.01, dates.size)
    nvda_own = rng.normal(0.0, 0.02, dates.size)
    nvda_own[event] = common_move  # Nvidia's own news move on the day
    (tmp_path / "market").mkdir()
    write_prices(tmp_path / "market", "SPY", dates, market)
    write_prices(tmp_path / "market", "NVDA", dates, 1.5 * market + nvda_own)
    for ticker, b in zip(peers, exposures, strict=True):
        own = rng.normal(0.0, 0.004, dates.size)
        write_prices(tmp_path / "market", ticker, dates, 1.1 * market + b * nvda_own + own)
    monkeypatch.setenv("JEVONS_DATA_MIRROR", str(tmp_path))
    monkeypatch.setenv("JEVONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("JEVONS_OFFLINE", "1")
    return dict(zip(peers, exposures, strict=True)), common_move


def test_exposures_and_the_common_move_are_recovered(synthetic_market):
    exposures, common_move = synthetic_market
    evidence = peer_evidence("2025-02-10")
    table = evidence.table
    assert list(table.index) == list(exposures)
    for ticker, b in exposures.items():
        row = table.loc[ticker]
        assert abs(row["exposure"] - b) < 4 * row["exposure_se"] + 1e-3, ticker
    assert evidence.common_move == pytest.approx(common_move, abs=0.02)
    # On ordinary days the same estimator picks up Nvidia's own idiosyncratic moves (sd 2%
    # here): that is the noise around the event-day estimate, ten times smaller than the move.
    assert evidence.common_move_noise.size == 250
    assert 0.015 < evidence.common_move_noise.std() < 0.025


def test_the_event_day_move_of_nvidia_itself_does_not_enter(synthetic_market, tmp_path):
    """Changing Nvidia's event-day return leaves the pooled move unchanged."""
    first = peer_evidence("2025-02-10").common_move
    path = tmp_path / "market" / "NVDA.csv"
    frame = pd.read_csv(path)
    day = frame.index[frame["Date"] == EVENT.strftime("%Y-%m-%d")][0]
    later = frame.index >= day
    frame.loc[later, ["Open", "High", "Low", "Close", "Adj Close"]] *= 0.5  # a further -50% that day
    frame.to_csv(path, index=False)
    assert peer_evidence("2025-02-10").common_move == first


def test_pooled_move_is_the_origin_regression_and_what_peer_evidence_reports(synthetic_market):
    from model.calibration.peers import peer_contributions, peer_weights, pooled_move

    evidence = peer_evidence("2025-02-10")
    table = evidence.table
    b, ar = table["exposure"].to_numpy(), table["abnormal_return"].to_numpy()
    assert pooled_move(table) == evidence.common_move
    assert pooled_move(table) == pytest.approx(b @ ar / (b @ b), rel=1e-12)
    subset = list(table.index[:4])  # the chapter's chip peers are such a subset
    sb, sar = table.loc[subset, "exposure"].to_numpy(), table.loc[subset, "abnormal_return"].to_numpy()
    assert pooled_move(table, subset) == pytest.approx(sb @ sar / (sb @ sb), rel=1e-12)
    assert peer_weights(table).sum() == pytest.approx(1.0)
    assert peer_contributions(table).sum() == pytest.approx(evidence.common_move, rel=1e-12)
    low, high = evidence.move_interval()
    noise = np.quantile(evidence.common_move_noise, [0.025, 0.975])
    assert (low, high) == (pytest.approx(evidence.common_move - noise[1]),
                           pytest.approx(evidence.common_move - noise[0]))
