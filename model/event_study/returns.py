"""Simple daily returns from adjusted closes, aligned on the days every series traded.

Returns are computed *after* alignment: each return then spans the same interval for a firm
and its benchmark (a day one series misses would otherwise give it a two-day return against
the other's one-day return).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.errors import DataError

PRICE_COLUMN = "Adj Close"  # split- and dividend-adjusted, so simple returns are total returns


def aligned_prices(prices: Mapping[str, pd.DataFrame], column: str = PRICE_COLUMN) -> pd.DataFrame:
    """One column of ``column`` per ticker, on the dates present in every frame.

    Parameters
    ----------
    prices : mapping of ticker -> DataFrame
        Price frames with a DatetimeIndex and a ``column`` column.
    column : str
        The price column to use (default ``"Adj Close"``).

    Raises
    ------
    DataError
        If a frame lacks the column, has a missing or non-positive price, or the frames share
        no trading day.
    """
    series = {}
    for ticker, frame in prices.items():
        if column not in frame.columns:
            raise DataError(f"{ticker}: price data have no column {column!r}")
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        bad = values.isna() | ~np.isfinite(values) | (values <= 0)
        if bad.any():
            when = pd.Timestamp(values.index[bad.to_numpy()][0]).strftime("%Y-%m-%d")
            raise DataError(
                f"{ticker}: column {column!r} has {int(bad.sum())} missing or non-positive "
                f"values (first on {when}); simple returns need a positive price every day"
            )
        series[ticker] = values
    frame = pd.concat(series, axis=1, join="inner").sort_index()
    if frame.empty:
        raise DataError("the price series share no trading day: " + ", ".join(series))
    return frame


def simple_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """``R_t = P_t / P_{t-1} - 1`` for each column; the first date (no return) is dropped."""
    values = prices.to_numpy(dtype=float)
    returns = values[1:] / values[:-1] - 1.0
    return pd.DataFrame(returns, index=prices.index[1:], columns=prices.columns)


def aligned_returns(
    prices: Mapping[str, pd.DataFrame], column: str = PRICE_COLUMN
) -> pd.DataFrame:
    """Simple returns of every ticker on their common trading days (see :func:`aligned_prices`)."""
    return simple_returns(aligned_prices(prices, column))
